"""Say why a module's forward pass failed, in the module's own terms.

torch's messages name tensors, not layers ("a and b must have same reduction dim, but got
[1, 5408] X [7200, 10]"). The tracer knows which module raised and what it was given;
for the usual mistakes (a Linear whose in_features does not match the flattened size, a
convolution or norm given the wrong number of channels, float token ids for an
Embedding, inputs of another dtype than the weights) this names the setting and the value
that would fit; where transformers' code read a tensor's values, it says what to leave
out. :func:`forward_failure` turns a failed meta pass into the error the user sees.

>>> from modelmath.frontends.torch_module.records import ModuleCall, TensorInfo
>>> call = ModuleCall("head", "Linear", 0, 1, 0, {}, (), (), True,
...                   inputs=(TensorInfo((1, 5408), "float32"),))
>>> class Linear:
...     in_features, out_features = 7200, 10
...     def extra_repr(self) -> str:
...         return "in_features=7200, out_features=10, bias=True"
>>> what, fix = describe_failure(call, Linear())
>>> print(what)  # doctest: +NORMALIZE_WHITESPACE
the forward pass failed in Linear 'head' (in_features=7200, out_features=10, bias=True),
given an input of shape (1, 5408)
>>> print(fix)  # doctest: +NORMALIZE_WHITESPACE
Its input has 5408 features on the last axis, not in_features=7200: set in_features=5408,
or change the layers before it so that they give 7200
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from modelmath.errors import UsageError
from modelmath.frontends.torch_module.records import ModuleCall, TensorInfo

GENERIC_FIX = (
    "Check this module's settings against the shape it is given (the modules before it "
    "decide that shape); code that reads tensor values (.item(), data-dependent shapes) "
    "cannot run on the meta device"
)
_CHANNEL_FIRST = ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
                  "ConvTranspose3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
                  "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d")  # fmt: skip
_SPATIAL_RANK = {"1d": 1, "2d": 2, "3d": 3}


def _tensors(tree: Any) -> list[TensorInfo]:
    if isinstance(tree, TensorInfo):
        return [tree]
    if isinstance(tree, (tuple, list)):
        return [t for item in tree for t in _tensors(item)]
    if isinstance(tree, dict):
        return [t for item in tree.values() for t in _tensors(item)]
    return []


def _shape(info: TensorInfo) -> str:
    dims = ", ".join(str(d) for d in info.shape)
    return f"({dims},)" if len(info.shape) == 1 else f"({dims})"


def describe_failure(call: ModuleCall, module: Any) -> tuple[str, str]:
    """What failed (module, settings, input shapes) and how to fix it."""
    inputs = _tensors(call.inputs)
    settings = ""
    if module is not None:
        try:
            settings = str(module.extra_repr())
        except Exception:  # a user's extra_repr may itself fail; the message must not
            settings = ""
    given = (
        f", given an input of shape {_shape(inputs[0])}"
        if len(inputs) == 1
        else f", given inputs of shapes {', '.join(_shape(i) for i in inputs)}"
        if inputs
        else ""
    )
    what = f"the forward pass failed in {call.op} '{call.path or '(the model)'}'"
    what += f" ({settings})" if settings else ""
    return what + given, _fix(call.op, module, inputs)


def _fix(op: str, module: Any, inputs: list[TensorInfo]) -> str:
    first = inputs[0] if inputs else None
    if first is None or module is None:
        return GENERIC_FIX
    if op in ("Linear", "LazyLinear") and first.shape:
        expected, got = getattr(module, "in_features", None), first.shape[-1]
        if isinstance(expected, int) and expected != got:
            return (
                f"Its input has {got} features on the last axis, not in_features={expected}: "
                f"set in_features={got}, or change the layers before it so that they give "
                f"{expected}"
            )
    if op in _CHANNEL_FIRST:
        setting = "in_channels" if op.startswith("Conv") else "num_features"
        expected = getattr(module, setting, None)
        rank = _SPATIAL_RANK[op[-2:]]
        # Batched input: (N, C, *spatial); unbatched: (C, *spatial).
        axis = 1 if len(first.shape) == rank + 2 else 0 if len(first.shape) == rank + 1 else None
        if axis is None:
            return (
                f"{op} takes (N, C, {', '.join(['…'] * rank)}) input: "
                f"{rank + 2} axes with the batch, or {rank + 1} without; it was given "
                f"{len(first.shape)}"
            )
        got = first.shape[axis]
        if isinstance(expected, int) and expected != got:
            unbatched = (
                f" (with {rank + 1} axes the input has no batch axis, so axis 0 is read as "
                "the channels: if the batch is missing, give the size with it first)"
                if axis == 0
                else ""
            )
            return (
                f"Its input has {got} channel{'s' if got != 1 else ''} on axis {axis}, not "
                f"{setting}={expected}{unbatched}: set {setting}={got}, or change the layers "
                f"before it so that they give {expected}"
            )
    if op in ("Embedding", "EmbeddingBag") and first.dtype.startswith("float"):
        return (
            "Token ids must be integers: give the input dtype as torch.long "
            "(dtypes=[torch.long], or --dtypes long on the command line)"
        )
    return GENERIC_FIX


def unregistered_modules(model: Any) -> list[tuple[str, str, str]]:
    """Modules with tensors held in a plain list, tuple or dict attribute instead of
    ``nn.ModuleList``/``nn.ModuleDict``: (owner path, attribute, class of the module).

    PyTorch registers only modules assigned directly or held in its containers; these
    are left out of ``model.parameters()`` (no optimizer trains them) and out of
    ``model.to(device)``, a common mistake the forward pass then trips over.

    >>> import torch
    >>> class Net(torch.nn.Module):
    ...     def __init__(self) -> None:
    ...         super().__init__()
    ...         self.layers = [torch.nn.Linear(2, 2)]
    >>> unregistered_modules(Net())
    [('', 'layers', 'Linear')]
    """
    import torch

    found: list[tuple[str, str, str]] = []
    for path, module in model.named_modules():
        for attr, value in vars(module).items():
            if attr.startswith("_") or not isinstance(value, (list, tuple, dict)):
                continue
            items = value.values() if isinstance(value, dict) else value
            for item in items:
                if isinstance(item, torch.nn.Module) and any(
                    True for _ in item.parameters()
                ):  # modules without tensors copy and run on meta as they are
                    found.append((path, attr, type(item).__name__))
                    break
    return found


def unregistered_error(found: list[tuple[str, str, str]]) -> tuple[str, str]:
    """The message and the fix for :func:`unregistered_modules`' findings."""
    path, attr, cls = found[0]
    owner = f"module '{path}'" if path else "the model"
    what = (
        f"{owner} holds {cls} modules in the plain {attr!r} attribute, so PyTorch does not "
        "register their parameters (model.parameters() leaves them out: no optimizer "
        "trains them, model.to() does not move them)"
    )
    return what, (
        f"Hold them in nn.ModuleList (or nn.ModuleDict): self.{attr} = nn.ModuleList([...])"
    )


def forward_failure(
    err: Exception, model: Any, copy: Any, tracer: Any, keywords: Collection[str] = ()
) -> UsageError:
    """The user's forward code raised on the meta copy: say where and why, never a
    traceback (``keywords``: the names of the keyword inputs given)."""
    loose = unregistered_modules(model)
    if loose:  # their real weights were copied as they are, off the meta device
        what, fix = unregistered_error(loose)
        return UsageError(what, fix=fix)
    where = tracer.failed or (tracer.stack[-1] if tracer.stack else None)
    return forward_error(err, where, copy, keywords)


def forward_error(
    err: Exception, where: ModuleCall | None, model: Any, keywords: Collection[str] = ()
) -> UsageError:
    """The user's forward pass raised: say in which module, with what it was given and
    what it expects, instead of torch's message alone."""
    received = f"{type(err).__name__}: {err}".splitlines()[0][:300].rstrip(".")
    if where is None:
        return UsageError(
            "the forward pass on the meta device failed",
            received=received,
            fix="Check the input sizes and dtypes (token ids need dtypes=[torch.long]); "
            "code that reads tensor values (.item(), data-dependent shapes) cannot run on meta",
        )
    module = dict(model.named_modules()).get(where.path)
    what, fix = describe_failure(where, module)
    dtype = _weight_dtype(module)
    if _mixed_dtypes(err) and dtype is not None:
        fix = (
            f"The model's weights are {dtype}: give its inputs that dtype, "
            f"dtypes=[torch.{dtype}] (--dtypes {dtype}), or convert the model"
        )
    if _reads_values(err) and is_transformers(model):
        fix = _value_read_fix(model, keywords)
    return UsageError(what, received=received, fix=fix)


def _value_read_fix(model: Any, keywords: Collection[str]) -> str:
    """What may spare transformers' value-reading code, of what is known here: the mask
    given can be left out, the attention path not yet eager can be made eager."""
    ways = []
    if "attention_mask" in keywords:
        ways.append("leave attention_mask out (a mask changes no shape, parameter or MAC)")
    config = getattr(model, "config", None)
    if getattr(config, "_attn_implementation", None) != "eager":
        ways.append('build the model with attn_implementation="eager"')
    said = (
        "transformers code read a tensor's values here (its mask code does, to choose an "
        "attention path, and some models check their ids), which no shape-only pass can"
    )
    if not ways:  # a mask the model builds itself, or its own check of the ids
        return f"{said}; neither leaving a mask out nor eager attention avoids it in this model"
    return f"{said}: {', or '.join(ways)}"


def _mixed_dtypes(err: Exception) -> bool:
    """torch's (or the meta tracer's) refusal of operands of two dtypes."""
    text = str(err)
    return any(
        words in text
        for words in ("must have the same dtype", "should be the same", "of one dtype")
    )


def _weight_dtype(module: Any) -> str | None:
    """The dtype of a module's first floating-point parameter, if it has one."""
    if module is None:
        return None
    for p in module.parameters():
        if p.is_floating_point():
            return str(p.dtype).removeprefix("torch.")
    return None


def _reads_values(err: Exception) -> bool:
    """torch's refusal to read a meta tensor's values (``.item()``, ``bool(t)``…)."""
    text = str(err)
    return "cannot be called on meta tensors" in text or "out of meta tensor" in text


def is_transformers(model: Any) -> bool:
    """A model of the transformers zoo, known without importing transformers."""
    return any(c.__module__.startswith("transformers.") for c in type(model).__mro__)
