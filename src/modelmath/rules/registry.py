"""The rule registry: one rule per op family, under every framework's name for the op.

>>> from modelmath.rules import find_rule
>>> find_rule("Conv2D") is not None
True
>>> find_rule("NoSuchLayer") is None
True
"""

from __future__ import annotations

from collections.abc import Callable

from modelmath.rules.base import LayerCall, RuleResult

Rule = Callable[[LayerCall], RuleResult]

_RULES: dict[str, Rule] = {}


class DuplicateRuleError(RuntimeError):
    """Two rules claim the same op name: a programming error, caught at import."""


def rule(*op_names: str) -> Callable[[Rule], Rule]:
    """Register a rule for each of ``op_names``; a name already taken is refused."""

    def register(fn: Rule) -> Rule:
        for op in op_names:
            if op in _RULES:
                raise DuplicateRuleError(
                    f"op {op!r} already has rule {_RULES[op].__qualname__}; "
                    f"{fn.__qualname__} cannot take it too"
                )
            _RULES[op] = fn
        return fn

    return register


def find_rule(op: str) -> Rule | None:
    """The rule for ``op``, or ``None`` when modelmath has no formula for it."""
    return _RULES.get(op)


def known_ops() -> list[str]:
    """Every op name that has a rule, sorted."""
    return sorted(_RULES)
