"""Reading untrusted files with size limits: plain JSON and the config of a .keras archive.

Nothing read here is executed; a `.keras` archive's weights are never opened.

>>> import json, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "m.json")
>>> _ = open(path, "w").write(json.dumps({"layers": []}))
>>> read_json_file(path)
{'layers': []}
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import IO, Any

from modelmath.errors import InputFileError

MAX_JSON_BYTES = 64 * 1024 * 1024  # a config of 10,000 layers is a few MB
MAX_COMPRESSION_RATIO = 200  # refuse zip bombs before inflating them
ZIP_MAGIC = b"PK\x03\x04"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def sniff(path: str) -> bytes:
    """The first bytes of ``path``; a clear error when it cannot be read."""
    if not os.path.exists(path):
        raise InputFileError(
            "no such file",
            received=path,
            fix="Check the path; modelmath reads .keras, .json and .py files",
        )
    if os.path.isdir(path):
        raise InputFileError("expected a file, got a directory", received=path)
    try:
        with open(path, "rb") as f:
            return f.read(8)
    except OSError as err:
        raise InputFileError(f"cannot read the file: {err.strerror}", received=path) from None


def parse_json(data: bytes, where: str) -> Any:
    """JSON from bytes, with the line and column of the first error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFileError(
            "expected UTF-8 JSON text, found binary data",
            received=f"byte 0x{data[err.start]:02x} at offset {err.start}",
            where=where,
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        what = "truncated JSON" if err.pos >= len(text.rstrip()) else "malformed JSON"
        raise InputFileError(
            f"{what}: {err.msg}",
            received=f"{text[max(0, err.pos - 20) : err.pos + 20]!r}",
            where=f"{where}:{err.lineno}:{err.colno}",
            fix="Re-export the config with model.to_json()",
        ) from None
    except RecursionError:
        raise InputFileError("JSON nested too deeply", where=where) from None


def read_json_file(path: str, limit: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON file of at most ``limit`` bytes."""
    size = os.path.getsize(path)
    if size > limit:
        raise InputFileError(
            f"the JSON file is larger than the {limit // 2**20} MiB limit",
            received=f"{size:,} bytes",
            where=path,
        )
    with open(path, "rb") as f:
        return parse_json(f.read(), path)


def read_keras_archive_config(
    source: str | IO[bytes], limit: int = MAX_JSON_BYTES, *, where: str | None = None
) -> Any:
    """The model config inside a `.keras` zip archive (a path or an open binary file);
    the weights are not read."""
    path = where or (source if isinstance(source, str) else "<archive>")
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise InputFileError(
            "not a valid .keras (zip) archive",
            received=path,
            fix="Save the model again with model.save('model.keras')",
        ) from None
    with archive:
        try:
            info = archive.getinfo("config.json")
        except KeyError:
            names = ", ".join(archive.namelist()[:5]) or "nothing"
            raise InputFileError(
                "the archive has no config.json, so it is not a Keras 3 model",
                received=f"members {names}",
                where=path,
                fix="Save the model with model.save('model.keras')",
            ) from None
        if info.file_size > limit:
            raise InputFileError(
                f"config.json is larger than the {limit // 2**20} MiB limit",
                received=f"{info.file_size:,} bytes",
                where=f"{path}:config.json",
            )
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            raise InputFileError(
                "config.json is compressed suspiciously well (a zip bomb?)",
                received=f"{info.compress_size:,} → {info.file_size:,} bytes",
                where=f"{path}:config.json",
            )
        try:
            with archive.open(info) as member:
                data = member.read(limit + 1)  # never trust the header's size alone
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise InputFileError(
                f"config.json cannot be read from the archive: {err}", where=path
            ) from None
        if len(data) > limit:
            raise InputFileError(
                f"config.json is larger than the {limit // 2**20} MiB limit",
                where=f"{path}:config.json",
            )
    return parse_json(data, f"{path}:config.json")
