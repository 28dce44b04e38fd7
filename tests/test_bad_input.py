"""Bad input: one line on stderr saying what and where, exit code 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from project_paths import EXAMPLES

from modelmath.cli import main
from modelmath.frontends import files


def _seed_config() -> dict[str, object]:
    result: dict[str, object] = json.loads((EXAMPLES / "seed_config.json").read_text())
    return result


def _missing(tmp: Path) -> Path:
    return tmp / "nope.keras"


def _not_a_model(tmp: Path) -> Path:
    path = tmp / "notes.txt"
    path.write_text("hello, this is not a model\n")
    return path


def _json_not_a_model(tmp: Path) -> Path:
    path = tmp / "data.json"
    path.write_text(json.dumps({"accuracy": 0.9}))
    return path


def _malformed_json(tmp: Path) -> Path:
    path = tmp / "bad.json"
    path.write_text('{"class_name": "Functional",\n "config": {"layers": [,]}}')
    return path


def _truncated_json(tmp: Path) -> Path:
    path = tmp / "cut.json"
    path.write_text((EXAMPLES / "seed_config.json").read_text()[:3000])
    return path


def _archive_without_config(tmp: Path) -> Path:
    path = tmp / "empty.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", "{}")
    return path


def _corrupt_archive(tmp: Path) -> Path:
    path = tmp / "corrupt.keras"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    return path


def _zip_bomb_member(tmp: Path) -> Path:
    path = tmp / "bomb.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", " " * (8 * 2**20))
    return path


def _bad_layer(tmp: Path) -> Path:
    """A config whose Conv2D cannot fit its input: the error names the layer."""
    cfg = _seed_config()
    text = json.dumps(cfg).replace('"kernel_size": [3, 3]', '"kernel_size": [300, 300]', 1)
    path = tmp / "too_small.json"
    path.write_text(text)
    return path


def _dangling_connection(tmp: Path) -> Path:
    text = json.dumps(_seed_config()).replace(
        '"keras_history": ["conv2d", 0, 0]', '"keras_history": ["ghost", 0, 0]'
    )
    path = tmp / "dangling.json"
    path.write_text(text)
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing file": (_missing, "no such file"),
    "not a model": (_not_a_model, "not a model"),
    "json that is not a model": (_json_not_a_model, "not a Keras model config"),
    "malformed json": (_malformed_json, "malformed JSON"),
    "truncated json": (_truncated_json, "truncated JSON"),
    "archive without config.json": (_archive_without_config, "no config.json"),
    "corrupt archive": (_corrupt_archive, "not a valid .keras"),
    "oversized member": (_zip_bomb_member, "compressed suspiciously"),
    "layer that does not fit": (_bad_layer, "Layer 'conv2d'"),
    "dangling connection": (_dangling_connection, "ghost"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_line_error_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = CASES[case]
    path = make(tmp_path)
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert expected in lines[0]
    assert "Traceback" not in captured.err
    assert lines[0].startswith("modelmath: error: ")
    # "where": the file is named, with line:col for JSON syntax errors.
    if case not in ("missing file",):
        assert path.name in lines[0]
    if case in ("malformed json", "truncated json"):
        assert f"{path.name}:" in lines[0]


def test_oversized_member_by_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A config.json over the size limit is refused before it is read."""
    path = tmp_path / "big.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("config.json", json.dumps(_seed_config()))
    monkeypatch.setattr(files, "MAX_JSON_BYTES", 1000)
    monkeypatch.setattr(files.read_keras_archive_config, "__defaults__", (1000,))
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "larger than" in err and "big.keras:config.json" in err


def test_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err


def test_bad_input_shape_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EXAMPLES / "seed_config.json"), "--input-shape", "28,x"]) == 2
    assert "--input-shape" in capsys.readouterr().err


def test_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    """The installed command, as a process: exit status 2 and one line."""
    path = _truncated_json(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "modelmath", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
