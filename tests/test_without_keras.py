"""Saved models are read without Keras (or any framework) and without reading weights."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

from project_paths import EXAMPLES

BLOCKER = textwrap.dedent("""
    import sys, importlib.abc
    BLOCKED = ("keras", "tensorflow", "torch", "jax", "h5py", "numpy")
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked in this test")
            return None
    sys.meta_path.insert(0, Block())
""")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_reads_keras_archive_with_frameworks_blocked() -> None:
    proc = _run(f"""
        from modelmath.cli import main
        raise SystemExit(main([{str(EXAMPLES / "seed.keras")!r}, "--width", "200"]))
    """)
    assert proc.returncode == 0, proc.stderr
    assert "9,494,561" in proc.stdout
    assert "148 = ⌊(150 − 3 + 2·0)/1⌋ + 1" in proc.stdout


def test_weights_member_is_never_opened() -> None:
    """Only config.json is read from the 38 MB archive."""
    proc = _run(f"""
        import zipfile
        opened = []
        original = zipfile.ZipFile.open
        def spy(self, name, *a, **k):
            opened.append(getattr(name, "filename", name))
            return original(self, name, *a, **k)
        zipfile.ZipFile.open = spy
        import modelmath
        modelmath.summary({str(EXAMPLES / "seed.keras")!r})
        print(opened)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['config.json']"
    with zipfile.ZipFile(EXAMPLES / "seed.keras") as z:
        assert "model.weights.h5" in z.namelist()


def test_import_modelmath_is_light() -> None:
    """`import modelmath` loads no framework and not even rich."""
    proc = _run("""
        import sys, modelmath
        heavy = [m for m in ("rich", "keras", "torch") if m in sys.modules]
        print(heavy)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
