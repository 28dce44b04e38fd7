"""Rules, one module per op family. Importing this package registers them all.

The list is explicit so that what modelmath knows is visible in one place.
"""

from modelmath.rules import (  # noqa: F401  (imported for their registrations)
    conv,
    dense,
    elementwise,
    merge,
    norm,
    padding,
    pooling,
    shaping,
)
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight
from modelmath.rules.registry import find_rule, known_ops, rule

__all__ = ["LayerCall", "OutputShape", "RuleResult", "Weight", "find_rule", "known_ops", "rule"]
