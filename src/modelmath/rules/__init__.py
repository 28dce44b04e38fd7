"""Rules, one module per op family. Importing this package registers them all.

The list is explicit so that what modelmath knows is visible in one place.
"""

from modelmath.rules import (  # noqa: F401  (imported for their registrations)
    attention,
    conv,
    conv_lstm,
    custom,
    dense,
    elementwise,
    embedding,
    merge,
    norm,
    operations,
    padding,
    pooling,
    preprocessing,
    recurrent,
    shaping,
    torch_nn,
    wrappers,
)
from modelmath.rules.base import LayerCall, NoStaticFormula, OutputShape, RuleResult, Weight
from modelmath.rules.registry import find_rule, known_ops, rule

__all__ = [
    "LayerCall",
    "NoStaticFormula",
    "OutputShape",
    "RuleResult",
    "Weight",
    "find_rule",
    "known_ops",
    "rule",
]
