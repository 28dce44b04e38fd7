"""The ``modelmath`` command.

    modelmath model.keras                 explained summary
    modelmath config.json --no-explain    Keras's own table
    modelmath model.keras --explain conv2d

Bad input is one line on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from modelmath.errors import ModelMathError, UsageError

if TYPE_CHECKING:
    from modelmath.model_summary import Summary
    from modelmath.renderers.table import TableOptions

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="modelmath",
        description="Model summaries where every number shows its formula. "
        "Reads .keras archives and config JSON without Keras and without reading weights. "
        "`modelmath serve` starts a local page to paste code into.",
    )
    p.add_argument(
        "model",
        help="a .keras file, the JSON that model.to_json() writes, or a Keras script "
        "(.py, or - for standard input; read as text, never executed); or FILE.py:NAME for "
        "a PyTorch module, which imports and runs FILE.py to build NAME (see below)",
    )
    p.add_argument(
        "--model",
        dest="model_name",
        metavar="NAME",
        help="in a script that builds several models, the one to show (variable or model name)",
    )
    p.add_argument(
        "--explain", metavar="LAYER", help="explain every number of one layer in a paragraph"
    )
    p.add_argument(
        "--no-explain",
        action="store_true",
        help="print Keras's own summary table, without the working",
    )
    p.add_argument(
        "--input-shape",
        metavar="DIMS",
        help="input shape without the batch axis, e.g. 28,28,1 "
        "(completes a Sequential model that has none)",
    )
    p.add_argument(
        "--expand-nested", action="store_true", help="list a nested model's layers under it"
    )
    p.add_argument(
        "--show-trainable", action="store_true", help="add Keras's Trainable column (Y/N/-)"
    )
    p.add_argument(
        "--layer-range",
        nargs=2,
        metavar=("FIRST", "LAST"),
        help="show only the rows from FIRST to LAST (names or regexes, as in Keras)",
    )
    p.add_argument(
        "--format",
        choices=("text", "md", "json", "html"),
        default="text",
        help="text (terminal table, the default), md (GitHub Markdown), json (schema in "
        "docs/json-schema.json) or html (one self-contained file)",
    )
    p.add_argument(
        "--columns",
        metavar="LIST",
        help="columns to show, comma-separated, from shape,params,macs,flops,memory,rf "
        "(MACs, FLOPs = 2·MACs + element-wise ops, activation memory, receptive field)",
    )
    p.add_argument(
        "--batch",
        type=int,
        metavar="N",
        help="batch size for MACs, FLOPs and memory (default 1; a model's fixed batch wins)",
    )
    p.add_argument(
        "--optimizer",
        choices=("sgd", "momentum", "adam"),
        help="optimizer for the training memory estimate (default adam)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--width", type=int, metavar="N", help="line length of the table")
    p.add_argument("--ascii", action="store_true", help="plain ASCII formulas (* - floor())")
    p.add_argument("--version", action="version", version="modelmath 0.1.0")
    from modelmath.torch_cli import add_torch_arguments

    add_torch_arguments(p)
    return p


def parse_shape(text: str) -> tuple[int | None, ...]:
    """``"28,28,1"`` → ``(28, 28, 1)``; ``None`` or ``?`` for an unknown size.

    >>> parse_shape("28, 28,1")
    (28, 28, 1)
    """
    dims: list[int | None] = []
    for part in text.replace("(", "").replace(")", "").split(","):
        part = part.strip()
        if not part:
            continue
        if part in ("None", "?", "-1"):
            dims.append(None)
        elif part.isdigit() and int(part) > 0:
            dims.append(int(part))
        else:
            raise UsageError(
                "--input-shape takes positive integers separated by commas",
                received=repr(text),
                fix="Write it like 28,28,1",
            )
    if not dims:
        raise UsageError("--input-shape is empty", received=repr(text), fix="Write it like 28,28,1")
    return tuple(dims)


def _serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="modelmath serve",
        description="A local page to paste Keras code or upload a model and see its explained "
        "summary. What is pasted or uploaded is only read, never executed.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        serve_args = _serve_parser().parse_args(argv[1:])
        try:
            from modelmath.web import serve
        except ImportError as err:
            print(
                f"modelmath: error: serve needs `pip install modelmath[serve]` ({err})",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        serve(serve_args.host, serve_args.port)
        return EXIT_OK
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ModelMathError as err:
        print(f"modelmath: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    import modelmath
    from modelmath.renderers.table import TableOptions
    from modelmath.torch_cli import is_module_target, run_module_target

    if is_module_target(args.model):  # PyTorch: FILE.py:NAME is imported and built
        return run_module_target(args)

    shape = parse_shape(args.input_shape) if args.input_shape else None
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    # --explain covers the cost figures too: count them (batch 1, adam unless given).
    batch = args.batch if args.batch is not None or not args.explain else 1
    chosen, costs = modelmath.cost_request(columns, batch, args.optimizer)
    if args.model == "-":
        from modelmath.analysis import analyze
        from modelmath.frontends import MAX_SOURCE_BYTES, load_source

        data = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1)
        graphs = load_source(data, "<stdin>", input_shape=shape, model_name=args.model_name)
        found = [modelmath.with_columns(analyze(g, costs=costs), chosen) for g in graphs]
    else:
        found = modelmath.summaries(
            args.model,
            input_shape=shape,
            model_name=args.model_name,
            columns=columns,
            batch=batch,
            optimizer=args.optimizer,
        )
    options = TableOptions(
        explain=not args.no_explain,
        width=args.width,
        terminal_width=shutil.get_terminal_size((200, 24)).columns,
        ascii_only=args.ascii,
        expand_nested=args.expand_nested,
        show_trainable=args.show_trainable,
        layer_range=tuple(args.layer_range) if args.layer_range else None,
    )
    text = _render(found, args, options)
    if args.ascii:
        from modelmath.renderers.ascii import ascii_text

        text = ascii_text(text)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as err:
            raise UsageError(
                f"cannot write the output: {err.strerror}", received=args.output
            ) from None
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _render(found: list[Summary], args: argparse.Namespace, options: TableOptions) -> str:
    if args.explain:
        from modelmath.renderers.explain import explain_layer

        return "\n".join(explain_layer(s, args.explain, ascii_only=args.ascii) for s in found)
    if args.format == "md":
        from modelmath.renderers.markdown import render_markdown

        return render_markdown(found)
    if args.format == "json":
        import json

        from modelmath.renderers.json_data import render_json

        return json.dumps(render_json(found), indent=1, ensure_ascii=False) + "\n"
    if args.format == "html":
        from modelmath.renderers.html import render_html

        return render_html(found, title=f"modelmath: {args.model}")
    from modelmath.renderers.text import render_text

    color = sys.stdout.isatty() and not args.output
    return "\n".join(render_text(s, options, color=color) for s in found)
