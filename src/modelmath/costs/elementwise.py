"""Element-wise layers (activations, merges, scalings) and layers that only move data.

No MACs; the operations per element are in docs/conventions.md. Dropout and noise layers
are the identity at inference, so they count nothing.

>>> from modelmath.rules import find_rule
>>> from modelmath.rules.base import LayerCall
>>> call = LayerCall("a", "Add", {}, ((None, 4), (None, 4), (None, 4)))
>>> merge(CostCall(call, find_rule("Add")(call))).elementwise.value
8
"""

from __future__ import annotations

from modelmath.costs.activation import SOFTMAX_OPS, activation_ops
from modelmath.costs.base import CostCall, OpCost, no_ops, per_element
from modelmath.costs.registry import cost
from modelmath.expr import Expr, Num, Quantity, Sym, total

_NO_MACS = "element-wise: no multiply-accumulates"


def _zero() -> Quantity:
    return Quantity(Num(0), _NO_MACS)


@cost("Activation", "ReLU", "LeakyReLU", "ELU", "ThresholdedReLU", "Softmax")
def activation(c: CostCall) -> OpCost:
    """1 operation per element (softmax: 3), as the activation conventions say."""
    if c.call.op == "Activation":
        ops = activation_ops(c.call.config.get("activation"))
    else:
        ops = SOFTMAX_OPS if c.call.op == "Softmax" else 1
    words = f"{ops} per element" if ops != SOFTMAX_OPS else "softmax: exp, sum, divide"
    return OpCost(_zero(), per_element(c.in_elements(), ops, words))


@cost(
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "Identity",
    "ActivityRegularization",
    "InputLayer",
)
def identity_at_inference(c: CostCall) -> OpCost:
    return no_ops("the identity at inference")


# Keras's random image augmentations only transform when training=True; a summary's costs
# are for inference, where each returns its input (tests/costs check this against Keras).
AUGMENTATIONS = (
    "AugMix", "CutMix", "MixUp", "RandAugment", "RandomBrightness", "RandomColorDegeneration",
    "RandomColorJitter", "RandomContrast", "RandomElasticTransform", "RandomErasing",
    "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
    "RandomPerspective", "RandomRotation", "RandomSaturation", "RandomSharpness",
    "RandomShear", "RandomTranslation", "RandomZoom",
)  # fmt: skip


@cost(*AUGMENTATIONS)
def augmentation_at_inference(c: CostCall) -> OpCost:
    return no_ops("a random augmentation: only applied in training, the identity at inference")


@cost(
    "Flatten",
    "Reshape",
    "Permute",
    "RepeatVector",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Concatenate",
    "Embedding",
    "ReversibleEmbedding",
    "Masking",
)
def data_movement(c: CostCall) -> OpCost:
    """Copies, lookups and reshapes: no arithmetic (Masking's comparison is not counted)."""
    return no_ops("moves or looks up data: no arithmetic")


@cost("UpSampling1D", "UpSampling2D", "UpSampling3D")
def upsampling(c: CostCall) -> OpCost:
    """Nearest: copies. Bilinear: 3 interpolations per output element of a 2-D image."""
    if str(c.call.get("interpolation", "nearest")) == "nearest":
        return no_ops("nearest-neighbour copies: no arithmetic")
    # Each bilinear output is 3 linear interpolations, each 1 MAC-like a + t·(b − a): 2 ops.
    return OpCost(_zero(), per_element(c.out_elements(), 6, "3 interpolations (2 ops each)"))


@cost("Add", "Subtract", "Multiply", "Maximum", "Minimum", "Average")
def merge(c: CostCall) -> OpCost:
    """n inputs: n − 1 operations per output element (Average: n, with the division)."""
    n = Sym("n", len(c.call.inputs), "inputs")
    per: Expr = n if c.call.op == "Average" else n - 1
    words = "n − 1 adds and a division" if c.call.op == "Average" else f"n − 1 {c.call.op}s"
    return OpCost(_zero(), Quantity(c.out_elements() * per, words + " per output element"))


@cost("Rescaling")
def rescaling(c: CostCall) -> OpCost:
    """x · scale + offset: 2 per element."""
    return OpCost(_zero(), per_element(c.in_elements(), 2, "x · scale + offset per element"))


@cost("LayerScale")
def layer_scale(c: CostCall) -> OpCost:
    return OpCost(_zero(), per_element(c.in_elements(), 1, "one multiply per element"))


@cost("CustomScaleLayer")
def custom_scale(c: CostCall) -> OpCost:
    """shortcut + scale · residual: 2 per output element."""
    return OpCost(_zero(), per_element(c.out_elements(), 2, "a multiply and an add per element"))


@cost("PReLU")
def prelu(c: CostCall) -> OpCost:
    """max(0, x) + α · min(0, x): counted as a comparison and a multiply per element."""
    return OpCost(_zero(), per_element(c.in_elements(), 2, "a comparison and a multiply"))


@cost("Dot")
def dot(c: CostCall) -> OpCost:
    """Each output element sums over the dot axis: N · output elements · its size."""
    a = c.call.inputs[0]
    raw = c.call.config.get("axes", -1)
    axis = (raw % len(a) if raw < 0 else raw) if isinstance(raw, int) else int(raw[0])
    size = Sym("K", c.call.known(a[axis], "size of the dot axis"), "size of the summed axis")
    macs = Quantity(
        c.out_elements() * size, "every output element is a dot product over the summed axis"
    )
    if not c.call.get("normalize", False):
        return OpCost(macs)
    both = total((c.in_elements(0), c.in_elements(1)))
    return OpCost(macs, per_element(both, 3, "L2 normalization: square, add, divide"))
