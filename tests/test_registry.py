"""The rule registry: every name once, duplicates refused, one module per family."""

from __future__ import annotations

import pytest

from modelmath.rules import find_rule, known_ops
from modelmath.rules.registry import DuplicateRuleError, rule


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(DuplicateRuleError, match="Conv2D"):
        rule("Conv2D")(lambda ctx: None)  # type: ignore[arg-type,return-value]


def test_aliases_share_one_rule() -> None:
    assert find_rule("Conv2D") is find_rule("Convolution2D")
    assert find_rule("MaxPooling2D") is find_rule("MaxPool2D")


def test_unknown_op_has_no_rule() -> None:
    assert find_rule("NoSuchLayer") is None
    assert "Dense" in known_ops()
