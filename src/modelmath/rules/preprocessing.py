"""Preprocessing layers. Almost all have no weights: image augmentations keep the shape,
Resizing and the crops set height and width, encoders add a one-value-per-class axis,
spectrograms turn audio into frames × frequencies. STFTSpectrogram is the exception: its
Fourier basis is stored as two kernels (Keras freezes them: trainable=False by default).

>>> from modelmath.rules.base import LayerCall
>>> resize(LayerCall("r", "Resizing", {"height": 8, "width": 9}, ((None, 32, 32, 3),))
...        ).outputs[0].values
(None, 8, 9, 3)
"""

from __future__ import annotations

from modelmath.expr import Expr, Num, Sym
from modelmath.rules.base import LayerCall, OutputShape, RuleResult, Weight
from modelmath.rules.inner import as_layer, run_inner
from modelmath.rules.registry import rule
from modelmath.rules.shaping import passthrough, same_shape
from modelmath.rules.spatial import Axis, window_output

# Augmentations and colour transforms: applied per image, the shape never changes.
IMAGE_SAME_SHAPE = (
    "AugMix",
    "AutoContrast",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Equalization",
    "MixUp",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Solarization",
)


@rule(*IMAGE_SAME_SHAPE)
def image_augmentation(ctx: LayerCall) -> RuleResult:
    """A random or fixed image transform: same shape out, nothing learned."""
    result = same_shape(ctx, "an image transform keeps the shape")
    return RuleResult(result.outputs, (), "no weights (random state is not a weight)")


@rule("Resizing", "CenterCrop", "RandomCrop")
def resize(ctx: LayerCall) -> RuleResult:
    """Images of any size become height × width; channels unchanged."""
    shape = ctx.require_rank((3, 4), " (an image, batched or not)")
    dims = list(passthrough(shape))
    first = ctx.get("data_format", "channels_last") == "channels_first"
    h_axis = (1 if len(shape) == 3 else 2) if first else (0 if len(shape) == 3 else 1)
    if ctx.op == "RandomCrop" and len(shape) == 3:
        h_axis = 1 if first else 0
    dims[h_axis] = Sym("h", ctx.positive_int("height"), "target height")
    dims[h_axis + 1] = Sym("w", ctx.positive_int("width"), "target width")
    why = f"height={ctx.get('height')}, width={ctx.get('width')}"
    return RuleResult((OutputShape(tuple(dims), why=why),), (), "no weights")


@rule("CategoryEncoding")
def category_encoding(ctx: LayerCall) -> RuleResult:
    """Integer ids become vectors of num_tokens (one-hot, multi-hot or counts)."""
    shape = ctx.shape
    n = Sym("n", ctx.positive_int("num_tokens"), "num_tokens")
    kept = passthrough(shape)
    mode = ctx.get("output_mode", "multi_hot")
    if mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
        dims = (*kept, n)
    else:
        dims = (*kept[:-1], n)
    return RuleResult((OutputShape(dims, why=f"output_mode='{mode}'"),), (), "no weights")


@rule("Discretization")
def discretization(ctx: LayerCall) -> RuleResult:
    """Values become bin indices ('int') or a vector of bins; the boundaries are not weights."""
    shape = ctx.shape
    kept = passthrough(shape)
    mode = ctx.get("output_mode", "int")
    if mode == "int":
        return RuleResult((OutputShape(kept, why="a bin index per value"),), (), "no weights")
    bounds = ctx.config.get("bin_boundaries")
    depth: Expr = (
        Sym("B", len(bounds), "bin boundaries") + 1
        if bounds is not None
        else Sym("n", ctx.positive_int("num_bins"), "num_bins")
    )
    if mode == "one_hot":
        dims = (*kept[:-1], depth) if len(shape) > 1 and shape[-1] == 1 else (*kept, depth)
    else:
        dims = (kept[0], *kept[2:], depth) if len(shape) >= 2 else (depth,)
    return RuleResult((OutputShape(dims, why=f"output_mode='{mode}'"),), (), "no weights")


@rule("MelSpectrogram")
def mel_spectrogram(ctx: LayerCall) -> RuleResult:
    """Audio (batch, samples) → (batch, num_mel_bins, frames); frames = ⌊(L + s + 1)/s⌋."""
    shape = ctx.shape
    stride = Sym("s", ctx.positive_int("sequence_stride", 512), "sequence_stride")
    mels = Sym("M", ctx.positive_int("num_mel_bins", 128), "num_mel_bins")
    length = shape[-1]
    frames = None if length is None else (Sym("L", length, "samples") + stride + 1) // stride
    kept = passthrough(shape)
    dims = (mels, frames) if len(shape) == 1 else (kept[0], mels, frames)
    return RuleResult((OutputShape(dims, why="mel bins × frames"),), (), "no weights")


@rule("STFTSpectrogram")
def stft_spectrogram(ctx: LayerCall) -> RuleResult:
    """Frames of frame_length samples, each turned into fft_length/2 + 1 frequencies."""
    shape = ctx.require_rank(3, " (batch, samples, channels)")
    frame = ctx.positive_int("frame_length")
    fft = ctx.positive_int("fft_length", 1 << (frame - 1).bit_length())  # next power of 2
    step = ctx.positive_int("frame_step", frame // 2)
    mode = ctx.get("mode", "log")
    first = ctx.get("data_format", "channels_last") == "channels_first"
    length, channels = (shape[2], shape[1]) if first else (shape[1], shape[2])
    c = ctx.known(channels, "number of channels")
    Fq = Sym("F", fft // 2 + 1, "frequencies: fft_length/2 + 1")
    freq: Expr = Num(2) * Fq if mode == "stft" else Fq
    Kf = Sym("K", frame, "frame_length")
    time = window_output(
        length,
        Axis("L", "samples", ""),
        kernel=frame,
        stride=step,
        dilation=1,
        padding=str(ctx.get("padding", "valid")),
    )
    batch = passthrough(shape)[0]
    C = Sym("C", c, "channels")
    dims: tuple[Expr | None, ...]
    if ctx.get("expand_dims", False):
        dims = (batch, C, time, freq) if first else (batch, time, freq, C)
    else:
        merged = freq * C
        dims = (batch, merged, time) if first else (batch, time, merged)
    weights = []
    if mode != "imag":
        weights.append(Weight("real_kernel", (Kf, Num(1), Fq), meaning="cosine basis"))
    if mode != "real":
        weights.append(Weight("imag_kernel", (Kf, Num(1), Fq), meaning="sine basis"))
    words = "Fourier basis as convolution kernels: frame_length × 1 × frequencies each"
    return RuleResult((OutputShape(dims, why=f"mode='{mode}'"),), tuple(weights), words)


@rule("Pipeline")
def pipeline(ctx: LayerCall) -> RuleResult:
    """Its layers applied one after the other (each through its own rule)."""
    inputs = ctx.inputs
    weights: list[Weight] = []
    result = same_shape(ctx)
    for raw in ctx.config.get("layers") or []:
        op, cfg = as_layer(ctx, raw, "layers")
        result = run_inner(ctx, op, cfg, inputs)
        weights += result.weights
        inputs = tuple(o.values for o in result.outputs)
    return RuleResult(result.outputs, tuple(weights), "the weights of its layers")
