"""Markdown, JSON and HTML outputs: same numbers as the Summary, working for every number."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from project_paths import EXAMPLES

import modelmath
from modelmath.cli import main
from modelmath.renderers.html import render_html
from modelmath.renderers.json_data import render_json
from modelmath.renderers.markdown import render_markdown

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "json-schema.json").read_text())
SEED = EXAMPLES / "seed.keras"


def _seed() -> modelmath.Summary:
    return modelmath.summary(SEED)


def test_json_validates_against_schema_and_keeps_numbers() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="validates docs/json-schema.json")
    doc = render_json([_seed()])
    jsonschema.validate(doc, SCHEMA)
    conv = doc["models"][0]["rows"][1]
    assert conv["params"]["value"] == 448
    assert conv["params"]["with_values"] == "3·3·3·16 + 16"
    assert conv["params"]["text"] == "K_h·K_w·C_in·F + F"
    assert conv["outputs"][0]["value"] == [None, 148, 148, 16]
    assert conv["outputs"][0]["dims"][1]["with_values"] == "⌊(150 − 3 + 2·0)/1⌋ + 1"


def _eval_tree(node: dict[str, object]) -> float:
    """Re-evaluate a JSON formula tree: the tree alone must give the number."""
    import math

    op, args = node["op"], [_eval_tree(a) for a in node.get("args", [])]  # type: ignore[union-attr, arg-type]
    if op in ("Num", "Sym"):
        return node["value"]  # type: ignore[return-value]
    table = {
        "Sum": lambda: sum(args),
        "Prod": lambda: math.prod(args),
        "Diff": lambda: args[0] - args[1],
        "FloorDiv": lambda: math.floor(args[0] / args[1]),
        "CeilDiv": lambda: math.ceil(args[0] / args[1]),
        "Div": lambda: args[0] / args[1],
    }
    return table[op]()  # type: ignore[index, no-any-return]


def test_json_trees_evaluate_to_their_values() -> None:
    doc = render_json([_seed()])
    found = 0

    def visit(obj: object) -> None:
        nonlocal found
        if isinstance(obj, dict):
            if "tree" in obj and "value" in obj:
                assert _eval_tree(obj["tree"]) == obj["value"]
                found += 1
            for v in obj.values():
                visit(v)
        elif isinstance(obj, list):
            for v in obj:
                visit(v)

    visit(doc)
    assert found > 20


def test_markdown_table_has_working() -> None:
    md = render_markdown([_seed()])
    lines = md.splitlines()
    assert "| Layer (type) | Output Shape | Param # |" in lines
    conv = next(line for line in lines if line.startswith("| conv2d (Conv2D)"))
    assert "`148 = ⌊(150 − 3 + 2·0)/1⌋ + 1 (height, width)`" in conv
    assert "`= 3·3·3·16 + 16`" in conv
    assert conv.count(" | ") == 2  # three cells: no stray pipe broke the row
    assert "**Total params:** 9,494,561 (36.22 MiB)" in md


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for key, value in attrs:
            if key in ("src", "href") and value:
                self.srcs.append(value)


def test_html_report_is_self_contained_with_math_and_graph(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main([str(SEED), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text()
    parser = _Collector()
    parser.feed(page)
    assert parser.srcs == []  # nothing fetched: no CDN, no network
    assert "math" in parser.tags and "svg" in parser.tags and "details" in parser.tags
    assert 'data-value="448"' in page and 'data-value="148"' in page
    # every non-zero parameter count is a clickable derivation
    clickable = set(re.findall(r'<details class="num" data-value="([0-9.]+)"', page))
    for row in _seed().rows:
        if row.params is not None and row.params.value:
            assert str(row.params.value) in clickable
    assert "@media print" in page and "max-width: 700px" in page


def test_notebook_repr_html() -> None:
    html = _seed()._repr_html_()
    assert "<table" in html and 'data-value="448"' in html and "<html" not in html


@pytest.mark.parametrize("fmt", ["md", "json", "html", "text"])
def test_cli_formats_write_files(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main([str(SEED), "--format", fmt, "-o", str(out)]) == 0
    assert "9,494,561" in out.read_text() or "9494561" in out.read_text()


def test_html_renders_in_many_models() -> None:
    page = render_html([_seed(), modelmath.summary(EXAMPLES / "seed_config.json")])
    assert page.count('<section class="modelmath"') == 2
