"""The cost registry (duplicates refused, same op names as the shape rules), the doctests
of the cost modules, and `import modelmath` staying framework-free."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

from modelmath.costs import find_cost, known_cost_ops
from modelmath.costs.registry import DuplicateCostError, cost
from modelmath.rules import known_ops

MODULES = [
    "modelmath.costs.base",
    "modelmath.costs.registry",
    "modelmath.costs.activation",
    "modelmath.costs.conv",
    "modelmath.costs.dense",
    "modelmath.costs.recurrent",
    "modelmath.costs.attention",
    "modelmath.costs.norm",
    "modelmath.costs.pooling",
    "modelmath.costs.elementwise",
    "modelmath.costs.receptive_field",
    "modelmath.costs.compute",
    "modelmath.costs.data",
    "modelmath.renderers.cost_working",
]


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(DuplicateCostError, match="Conv2D"):
        cost("Conv2D")(lambda c: None)  # type: ignore[arg-type,return-value]


def test_cost_ops_are_shape_rule_ops() -> None:
    """A cost rule is keyed by an op the shape rules know (InputLayer aside)."""
    assert set(known_cost_ops()) - {"InputLayer"} <= set(known_ops())
    assert find_cost("Conv2D") is find_cost("Convolution2D")


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_import_modelmath_costs_imports_no_framework() -> None:
    code = (
        "import sys, modelmath, modelmath.costs, modelmath.costs.attach;"
        "print(sorted(m for m in ('keras', 'torch', 'rich', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
