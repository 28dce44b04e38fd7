"""Markdown and HTML for PyTorch summaries: the same numbers as the summary, with their
working, in a self-contained page; the notebook and the command line use them."""

from __future__ import annotations

import gc
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
from torch import nn

import modelmath
from modelmath.cli import main
from modelmath.frontends.torch_module import trace
from modelmath.module_summary import ModuleSummary
from modelmath.renderers.html import render_html
from modelmath.renderers.markdown import render_markdown
from modelmath.renderers.module_table import visible_rows
from modelmath.renderers.printer import format_number
from modelmath.torch_analysis import summarize

sys.path.insert(0, str(Path(__file__).parent))
from corpus import CORPUS

NAMES = ["resnet_basic", "gpt_tied", "vit", "lstm_tagger", "frozen_backbone"]


def _summary(name: str, depth: int = 3) -> ModuleSummary:
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    s = modelmath.summary(model, input_data=inputs, depth=depth)
    assert isinstance(s, ModuleSummary)
    return s


def _n(value: object) -> str:
    return f"{int(value):,}"  # type: ignore[call-overload]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("depth", [1, 3])
def test_markdown_numbers_are_the_summarys(name: str, depth: int) -> None:
    s = _summary(name, depth)
    md = render_markdown([s])
    assert f'### Model: "{s.name}"' in md
    table = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
    rows = list(visible_rows(s))
    assert len(table) == len(rows) + 1  # the header, then one line per visible row
    for line, (row, folded) in zip(table[1:], rows):
        params = row.subtree_params if folded else row.params
        macs = row.subtree_macs if folded else row.macs
        if params.value:
            assert f"**{_n(params.value)}**" in line or f"(reused) {_n(params.value)}" in line
        if macs.value:
            assert f"**{_n(macs.value)}**" in line
        # every working line evaluates to the number it stands under
        for value, _formula in re.findall(r"`(\d+) = ([^`]+)`", line):
            assert int(value) in {int(params.value), int(macs.value)} or _is_dim(row, int(value))
    t = s.totals
    assert f"**Total params:** {_n(t.params.value)}" in md
    assert f"**Total MACs:** {_n(t.macs.value)}" in md
    assert f"**Non-trainable params:** {_n(t.non_trainable.value)}" in md


def _is_dim(row: object, value: int) -> bool:
    shapes = repr(getattr(row, "outputs", None)) + repr(getattr(row, "functions", None))
    return str(value) in shapes


class _Checker(HTMLParser):
    """Collects what a page fetches and checks that elements close in order."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.fetches: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key in ("src", "href"):
            if found.get(key):
                self.fetches.append(str(found[key]))
        if tag == "link":
            self.fetches.append("link")
        if tag == "details" and found.get("data-value"):
            self.values.append(str(found["data-value"]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


@pytest.mark.parametrize("name", NAMES)
def test_html_is_self_contained_and_clickable(name: str) -> None:
    s = _summary(name)
    page = render_html([s])
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == ["html"] or checker.stack == []  # <html> closes at the end
    assert checker.fetches == []  # nothing fetched: works offline
    values = set(checker.values)
    t = s.totals
    assert format_number(t.params.value) in values or t.params.expr.is_leaf
    for row, folded in visible_rows(s):
        params = row.subtree_params if folded else row.params
        if params.value and not params.expr.is_leaf:
            assert format_number(params.value) in values, row.path
        macs = row.subtree_macs if folded else row.macs
        if macs.value and not macs.expr.is_leaf:
            assert format_number(macs.value) in values, row.path
    assert "<math" in page
    assert f"Model: &quot;{s.name}&quot;" in page or f'Model: "{s.name}"' in page


def test_notebook_fragment() -> None:
    s = modelmath.summary(nn.Sequential(nn.Linear(4, 3), nn.ReLU()), input_size=(2, 4))
    fragment = s._repr_html_()
    assert fragment.startswith("<div><style>") and "<html" not in fragment
    assert 'data-value="15"' in fragment  # 4·3 + 3, one click from its formula


def test_mixed_keras_and_torch_page() -> None:
    cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}  # fmt: skip
    keras_like = modelmath.summary(cfg, input_shape=(4,))
    torch_one = modelmath.summary(nn.Linear(4, 2), input_size=(1, 4))
    page = render_html([keras_like, torch_one])
    assert page.count("<section") == 2
    md = render_markdown([keras_like, torch_one])
    assert '### Model: "s"' in md and '### Model: "Linear"' in md


MODELS_PY = """
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))
"""


@pytest.mark.parametrize("fmt, marker", [("md", "### Model:"), ("html", "<!DOCTYPE html>")])
def test_cli_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, marker: str
) -> None:
    path = tmp_path / "models.py"
    path.write_text(MODELS_PY)
    assert main([f"{path}:Net", "--input-size", "1,3,8,8", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.startswith(marker)
    assert "122" in out  # 3·4·9 + 4 + 4·2 + 2


@pytest.mark.parametrize("name", NAMES)
def test_a_summary_and_its_renderings_leave_no_reference_cycle(name: str) -> None:
    """What a summary and its text, Markdown, HTML and explanation make is freed when they
    go, by reference counting: nothing waits for the garbage collector (whose walks over
    it, with the collector paused while a summary is made, would fall on the caller)."""
    torch.manual_seed(0)
    model, inputs = CORPUS[name]()
    str(summarize(trace(model, input_data=inputs, tracer="symbolic")))  # one-time caches
    gc.collect()
    gc.disable()
    try:
        s = summarize(trace(model, input_data=inputs, tracer="symbolic"))
        str(s), render_markdown([s]), render_html([s]), s.explain("")
        del s
        assert gc.collect() == 0
    finally:
        gc.enable()
