"""Every torch.nn module class is explained or listed with a reason, every class with a
rule is checked against PyTorch (a model of test_layers.py or corpus.py has it), and
docs/coverage-torch.md is the generator's current output."""

from __future__ import annotations

from pathlib import Path

import torch
from corpus import CORPUS
from test_layers import CASES

from modelmath.torch_coverage import torch_module_classes, torch_status, torch_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage-torch.md"


def test_every_torch_module_class_is_covered_or_explained() -> None:
    missing = [n for n in torch_module_classes() if torch_status(n)[0] == "missing"]
    assert not missing, f"torch.nn classes with neither a rule nor a reason: {missing}"


def test_every_class_with_a_rule_is_checked_against_torch() -> None:
    # Lazy classes are checked by test_lazy.py, as the classes they become.
    ruled = {
        n
        for n in torch_module_classes()
        if torch_status(n)[0] == "rule" and not n.startswith("Lazy")
    }
    # Both files' models go through check_module (tests/torch/test_corpus.py for the corpus).
    builds = [*CASES.values(), *CORPUS.values()]
    built = {type(m).__name__ for build in builds for m in build()[0].modules()}
    assert not ruled - built, f"no model of test_layers.py or corpus.py has {sorted(ruled - built)}"


def test_torch_coverage_doc_is_up_to_date() -> None:
    expected = torch_table(torch_module_classes(), torch.__version__.split("+")[0])
    assert DOC.read_text() == expected, (
        "docs/coverage-torch.md is out of date: run "
        "`python -m modelmath.torch_coverage > docs/coverage-torch.md`"
    )
