"""The command line for PyTorch models: ``modelmath FILE.py:NAME --input-size 1,3,224,224``.

A PyTorch model is Python code, so this form *imports and runs* FILE.py (as ``python``
would import it) and then builds NAME — a ``torch.nn.Module`` class or a function that
returns a module, called with ``--kwargs`` — or takes NAME as a module object. Nothing
else in the file is called. The module is then traced from shapes alone.

>>> is_module_target("mypkg/models.py:ResNet"), is_module_target("model.keras")
(True, False)
>>> parse_kwargs(["depth=50", "name='a'", "pretrained=False"])
{'depth': 50, 'name': 'a', 'pretrained': False}
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib.util
import os
import re
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from modelmath.errors import InputFileError, UsageError

_TARGET = re.compile(r"^(?P<path>.+\.py):(?P<name>[A-Za-z_][\w.]*)$")

HELP = (
    "PyTorch: FILE.py:NAME imports and runs FILE.py to build the module NAME (a class or a "
    "function called with --kwargs, or a module object); only that module is built, then "
    "traced from shapes alone (no weights or activations allocated)."
)


def is_module_target(text: str) -> bool:
    """``path/to/file.py:Name``: a PyTorch module to build from a Python file."""
    return _TARGET.match(text) is not None


def add_torch_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the FILE.py:NAME form."""
    group = parser.add_argument_group("PyTorch models (FILE.py:NAME)", HELP)
    group.add_argument(
        "--input-size",
        action="append",
        metavar="DIMS",
        help="size of an input with its batch axis, e.g. 1,3,224,224; repeat for each input",
    )
    group.add_argument(
        "--dtypes",
        metavar="NAMES",
        help="dtype of each input, e.g. long for token ids (default float32)",
    )
    group.add_argument(
        "--kwargs",
        nargs="+",
        metavar="KEY=VALUE",
        help="arguments for NAME, as Python literals: depth=50 name='a'",
    )
    group.add_argument(
        "--depth", type=int, default=3, help="show modules down to this depth (default 3)"
    )
    group.add_argument(
        "--mode",
        choices=("eval", "train"),
        default="eval",
        help="the mode the model is traced in (default eval, as torchinfo)",
    )


def parse_kwargs(items: Sequence[str] | None) -> dict[str, Any]:
    """``["depth=50"]`` → ``{"depth": 50}``; values are Python literals (or plain words)."""
    out: dict[str, Any] = {}
    for item in items or ():
        key, sep, raw = item.partition("=")
        if not sep or not key.isidentifier():
            raise UsageError(
                "--kwargs takes KEY=VALUE pairs", received=repr(item), fix="Write depth=50"
            )
        try:
            out[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            out[key] = raw  # a bare word: a string
    return out


def _sizes(items: Sequence[str] | None) -> list[tuple[int, ...]]:
    if not items:
        raise UsageError(
            "a PyTorch model needs --input-size", fix="Give it like --input-size 1,3,224,224"
        )
    sizes = []
    for text in items:
        try:
            sizes.append(tuple(int(p) for p in text.replace(" ", "").split(",") if p))
        except ValueError:
            raise UsageError(
                "--input-size takes integers separated by commas",
                received=repr(text),
                fix="Write it like 1,3,224,224",
            ) from None
    return sizes


def load_target(target: str, kwargs: dict[str, Any]) -> Any:
    """Import the file and build the module it names."""
    match = _TARGET.match(target)
    assert match is not None
    path, name = match["path"], match["name"]
    if not os.path.isfile(path):
        raise InputFileError("no such file", received=path)
    folder = os.path.dirname(os.path.abspath(path))
    # Imports beside the file (and from the current folder, for packages) must work.
    for entry in (os.getcwd(), folder):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    spec = importlib.util.spec_from_file_location("_modelmath_user_module", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # The file's own prints go to stderr: stdout carries the summary (or its JSON).
    with contextlib.redirect_stdout(sys.stderr):
        try:
            spec.loader.exec_module(module)
        except Exception as err:  # the user's own code failed: one line, no traceback
            raise _user_error(f"running {path} failed", err, path) from None
        obj: Any = module
        for part in name.split("."):
            if not hasattr(obj, part):
                raise UsageError(f"{path} has no {name!r}", received=part, where=path)
            obj = getattr(obj, part)
        try:
            built = obj(**kwargs) if callable(obj) and not _is_module(obj) else obj
        except Exception as err:
            raise _user_error(f"building {name} failed", err, path) from None
    if not _is_module(built):
        raise UsageError(
            f"{name} is not a torch.nn.Module and did not build one",
            received=type(built).__name__,
            where=path,
        )
    return built


def _user_error(what: str, err: Exception, path: str) -> UsageError:
    """The user's file raised: where in it (file:line, file:line:col for its syntax) and,
    for a missing constructor argument, how to give it."""
    where = path
    if isinstance(err, SyntaxError) and err.lineno:
        where = f"{path}:{err.lineno}" + (f":{err.offset}" if err.offset else "")
    else:
        mine = os.path.abspath(path)
        lines = [f.lineno for f in traceback.extract_tb(err.__traceback__)
                 if os.path.abspath(f.filename) == mine and f.lineno]  # fmt: skip
        if lines:
            where = f"{path}:{lines[-1]}"  # the innermost line of the file
    fix = None
    if isinstance(err, TypeError) and "required positional argument" in str(err):
        fix = "Give the constructor's arguments with --kwargs, e.g. --kwargs width=64"
    message = err.msg if isinstance(err, SyntaxError) else str(err)
    return UsageError(what, received=f"{type(err).__name__}: {message}", where=where, fix=fix)


def _is_module(obj: Any) -> bool:
    from modelmath.frontends.torch_module import is_torch_module

    return is_torch_module(obj)


def run_module_target(args: argparse.Namespace) -> int:
    """Build, trace and print; the CLI's return code."""
    from modelmath.renderers.module_table import module_summary_json, render_module_table
    from modelmath.torch_analysis import summary_of_module

    model = load_target(args.model, parse_kwargs(args.kwargs))
    dtypes = [d.strip() for d in args.dtypes.split(",")] if args.dtypes else None
    columns = (
        [c.strip() for c in args.columns.split(",")] if getattr(args, "columns", None) else None
    )
    summary = summary_of_module(
        model,
        input_size=_sizes(args.input_size),
        dtypes=dtypes,
        depth=args.depth,
        columns=columns,
        mode=args.mode,
    )
    if getattr(args, "explain", None):
        from modelmath.renderers.explain_module import explain_module

        text = explain_module(summary, args.explain, ascii_only=bool(args.ascii))
    elif args.format == "json":
        import json

        text = json.dumps(module_summary_json(summary), indent=1, ensure_ascii=False) + "\n"
    elif args.format == "text":
        text = render_module_table(
            summary, explain=not args.no_explain, ascii_only=bool(args.ascii)
        )
    elif args.format == "md":
        from modelmath.renderers.markdown import render_markdown

        text = render_markdown([summary])
    elif args.format == "html":
        from modelmath.renderers.html import render_html

        text = render_html([summary], title=f"modelmath: {args.model}")
    else:
        raise UsageError(
            f"--format {args.format} is not available for PyTorch models",
            fix="Use --format text, md, html or json",
        )
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0
