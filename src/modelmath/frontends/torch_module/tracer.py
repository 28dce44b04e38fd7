"""Run a module's forward pass on the meta device and record what it does.

Three instruments watch the pass, none of which changes what the model computes:

- forward hooks on every module build the call tree (the hierarchy as it ran) with the
  shapes each call took and returned;
- a ``TorchFunctionMode`` sees the functional operations the Python code calls
  (``torch.matmul``, ``@``, ``F.scaled_dot_product_attention``, ``torch.cat``, ``view``,
  ``einsum``) and files each under the module whose forward called it;
- a ``TorchDispatchMode`` sees the contractions they dispatch to (``mm``, ``addmm``,
  ``bmm``, ``baddbmm``, ``convolution``): the operations that carry the MACs, and the
  ones ``torch.utils.flop_counter`` counts.

Tensors are on the meta device, so no memory is allocated for activations and no
arithmetic is done: a pass costs microseconds per operation whatever the model's size.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from modelmath.frontends.torch_module.configs import module_config, plain
from modelmath.frontends.torch_module.records import (
    AtenOp,
    FunctionCall,
    ModuleCall,
    TensorInfo,
    TensorSlot,
    Tree,
)

# Contractions and where their two operands sit in the argument list.
_CONTRACTIONS: dict[str, tuple[int, int]] = {
    "mm": (0, 1),
    "addmm": (1, 2),
    "bmm": (0, 1),
    "baddbmm": (1, 2),
    "convolution": (0, 1),
    "_convolution": (0, 1),
    "_grouped_mm": (0, 1),  # mixture-of-experts layers: each row times its expert's matrix
}

# Functional operations worth a line in the summary even when they cost no MACs.
_SHOWN_TORCH = {
    "matmul", "mm", "bmm", "baddbmm", "addmm", "einsum", "cat", "concat", "concatenate",
    "stack", "split", "chunk", "flatten", "reshape", "permute", "transpose", "conv1d",
    "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "tensordot", "outer", "inner", "dot", "vdot", "mv", "addmv", "addbmm", "kron",
}  # fmt: skip
_SHOWN_TENSOR = {
    "view", "reshape", "permute", "transpose", "flatten", "unflatten", "matmul", "mm",
    "bmm", "__matmul__", "__rmatmul__", "split", "chunk", "expand", "repeat", "unfold",
}  # fmt: skip
_HIDDEN_F = {"has_torch_function", "handle_torch_function", "_in_projection_packed"}
_NO_TORCH_FUNCTION = torch._C.DisableTorchFunction
_NAMES: dict[Any, str] = {}  # function → how the user wrote it (function_name), memoized
_BASES: dict[type, tuple[tuple[str, ...], bool]] = {}  # class → torch_nn_bases(class)


def torch_nn_bases(cls: type) -> tuple[tuple[str, ...], bool]:
    """The ``torch.nn`` layer classes ``cls`` derives from, nearest first (whose rule may
    explain its calls), and whether a class above the first of them defines ``forward``.

    Such code replaces the layer's and may take other inputs, pad, permute or return more
    (transformers' channels-first ``ConvNextLayerNorm(nn.LayerNorm)``, a causal ``Conv1d``,
    a router ``Linear`` returning a pair, an ``Embedding`` given a shape): the layer's rule
    explains its calls only where it agrees with them, and is never held against them.
    """
    own_forward = False
    for c in cls.__mro__:
        if c.__module__.startswith("torch.nn.modules"):
            break
        if "forward" in vars(c):
            own_forward = True
            break
    bases = tuple(
        c.__name__
        for c in cls.__mro__[1:]
        if c.__module__.startswith("torch.nn.modules") and c.__name__ != "Module"
    )
    return bases, own_forward and bool(bases)


_ORDERS: dict[type[torch.nn.Module], dict[str, int]] = {}


def keyword_order(cls: type[torch.nn.Module], kwargs: Mapping[str, Any]) -> list[str]:
    """The names of ``kwargs`` in the order of ``cls.forward``'s parameters (names it does
    not list last, as given): keyword tensors then reach a rule in the order a positional
    call would give them (``mha(query=q, key=k, value=v)`` as ``mha(q, k, v)``)."""
    order = _ORDERS.get(cls)
    if order is None:
        try:
            names = list(inspect.signature(cls.forward).parameters)
        except (TypeError, ValueError):  # no signature to read: the call's own order
            names = []
        order = _ORDERS[cls] = {n: i for i, n in enumerate(names)}
    return sorted(kwargs, key=lambda k: order.get(k, len(order)))


_DTYPE_NAMES: dict[Any, str] = {}


def dtype_name(dtype: Any) -> str:
    """``float32`` for ``torch.float32``."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype).removeprefix("torch.")
    return name


def tensor_info(t: torch.Tensor) -> TensorInfo:
    return TensorInfo(tuple(t.shape), dtype_name(t.dtype))


def to_tree(obj: Any, depth: int = 0) -> Tree:
    """Shapes of the tensors in ``obj``, keeping tuples, lists and dicts (ModelOutput too)."""
    if isinstance(obj, torch.Tensor):
        return tensor_info(obj)
    if depth > 6:
        return None
    if isinstance(obj, Mapping):
        return {str(k): to_tree(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return tuple(to_tree(v, depth + 1) for v in obj)
    if isinstance(obj, list):
        return [to_tree(v, depth + 1) for v in obj]
    return None


def _tensors(obj: Any, out: list[torch.Tensor], depth: int = 0) -> list[torch.Tensor]:
    if isinstance(obj, torch.Tensor):
        out.append(obj)
    elif isinstance(obj, (tuple, list)) and depth < 3:
        for v in obj:
            _tensors(v, out, depth + 1)
    return out


def function_name(func: Callable[..., Any]) -> str:
    """``F.conv2d``, ``Tensor.view``, ``torch.matmul``: how the user wrote it."""
    name = getattr(func, "__name__", None) or repr(func)
    module = getattr(func, "__module__", None) or ""
    if module in ("torch.nn.functional", "torch._C._nn"):
        return f"F.{name}"
    owner = getattr(func, "__objclass__", None)
    qual = getattr(func, "__qualname__", "")
    if owner is not None or qual.startswith(("TensorBase.", "Tensor.")):
        return f"Tensor.{name}"
    return f"torch.{name}"


def _shown(name: str) -> bool:
    kind, _, base = name.partition(".")
    if kind == "F":
        return base not in _HIDDEN_F
    if kind == "Tensor":
        return base in _SHOWN_TENSOR
    return base in _SHOWN_TORCH


def small_positional(a: Any) -> bool:
    """A positional argument kept with a functional op: a number, a name, or sizes."""
    if isinstance(a, (int, str, float, bool)):
        return True
    return isinstance(a, (tuple, list, torch.Size)) and all(
        isinstance(v, (int, float, str)) for v in a
    )


def small_keyword(v: Any) -> bool:
    """A keyword argument kept with a functional op: anything holding no tensor."""
    return not isinstance(v, torch.Tensor) and not _tensors(v, [])


def _small_args(name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The non-tensor arguments that decide a functional op's shape (sizes, dims, equation)."""
    out: dict[str, Any] = {f"arg{i}": plain(a) for i, a in enumerate(args) if small_positional(a)}
    out.update((k, plain(v)) for k, v in kwargs.items() if small_keyword(v))
    return out


class _Pending:
    """A functional call being run: its arguments, and the contractions seen so far."""

    __slots__ = ("args", "aten", "kwargs", "name")

    def __init__(self, name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        self.name, self.args, self.kwargs = name, args, kwargs
        self.aten: list[AtenOp] = []


class Tracer:
    """Builds the :class:`ModuleCall` tree of one forward pass of ``model``."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.model = model
        self.names: dict[int, str] = {}
        for name, module in model.named_modules(remove_duplicate=False):
            self.names.setdefault(id(module), name)
        self.owners: dict[int, str] = {}
        for name, p in model.named_parameters(remove_duplicate=True):
            self.owners.setdefault(id(p), name)
        for name, b in model.named_buffers(remove_duplicate=True):
            self.owners.setdefault(id(b), name)
        self.stack: list[ModuleCall] = []
        self.failed: ModuleCall | None = None  # the innermost module whose forward raised
        self.roots: list[ModuleCall] = []
        self.call_counts: dict[int, int] = {}
        self.functions: list[_Pending | None] = []  # None: a call not followed
        self.called: set[int] = set()
        self.described: dict[int, Any] = {}  # id(module) → what describe() reads of it

    # -- the module hierarchy ---------------------------------------------------------
    def slots(self, module: torch.nn.Module, path: str) -> tuple[tuple[TensorSlot, ...], ...]:
        params = []
        for local, p in module._parameters.items():
            if p is not None:
                params.append(
                    TensorSlot(
                        local,
                        tuple(p.shape),
                        dtype_name(p.dtype),
                        bool(p.requires_grad),
                        self.owners.get(id(p), f"{path}.{local}".lstrip(".")),
                    )
                )
        buffers = []
        non_persistent: set[str] = getattr(module, "_non_persistent_buffers_set", set())
        for local, b in module._buffers.items():
            if b is not None:
                buffers.append(
                    TensorSlot(
                        local,
                        tuple(b.shape),
                        dtype_name(b.dtype),
                        False,
                        self.owners.get(id(b), f"{path}.{local}".lstrip(".")),
                        is_buffer=True,
                        persistent=local not in non_persistent,
                    )
                )
        return tuple(params), tuple(buffers)

    def config(self, module: torch.nn.Module) -> dict[str, Any]:
        """The module's settings (see :func:`module_config`)."""
        return module_config(module)

    def describe(self, module: torch.nn.Module, depth: int, call_index: int) -> ModuleCall:
        known = self.described.get(id(module))
        if known is None:
            path = self.names.get(id(module), "?")
            params, buffers = self.slots(module, path)
            cls = type(module)
            found = _BASES.get(cls)
            if found is None:
                found = _BASES[cls] = torch_nn_bases(cls)
            known = self.described[id(module)] = (
                path,
                cls.__name__,
                self.config(module),
                params,
                buffers,
                not module._modules,
                cls.__module__,
                *found,
            )
        path, op, config, params, buffers, is_leaf, class_module, bases, own_forward = known
        return ModuleCall(
            path, op, id(module), depth, call_index, config, params, buffers, is_leaf,
            class_module, bases, own_forward=own_forward,
        )  # fmt: skip  (positional: one per module call, in ModuleCall's field order)

    # The hooks run inside the function mode: reading a tensor's shape there would go
    # through FunctionRecorder once per property, so they read with torch functions off.
    def pre_hook(self, module: torch.nn.Module, args: Any, kwargs: Any) -> None:
        with _NO_TORCH_FUNCTION():
            self._pre_hook(module, args, kwargs)

    def post_hook(self, module: torch.nn.Module, args: Any, kwargs: Any, output: Any) -> None:
        if self.stack and self.stack[-1].module_id == id(module):
            call = self.stack.pop()
            if output is None and self.failed is None and sys.exc_info()[1] is not None:
                # torch runs always_call hooks from its `except` clause when forward raised:
                # the first such call is the innermost module, where the error happened.
                self.failed = call
            with _NO_TORCH_FUNCTION():
                call.outputs = to_tree(output)

    def _pre_hook(self, module: torch.nn.Module, args: Any, kwargs: Any) -> None:
        index = self.call_counts.get(id(module), 0)
        self.call_counts[id(module)] = index + 1
        self.called.add(id(module))
        call = self.describe(module, len(self.stack), index)
        inputs: list[Tree] = [to_tree(a) for a in args]
        if kwargs:
            names = keyword_order(type(module), kwargs)
            inputs.append({k: to_tree(kwargs[k]) for k in names if _tensors(kwargs[k], [])})
        call.inputs = tuple(inputs)
        call.options = {k: plain(v) for k, v in (kwargs or {}).items() if not _tensors(v, [])}
        (self.stack[-1].children if self.stack else self.roots).append(call)
        self.stack.append(call)

    def install(self) -> list[Any]:
        handles = []
        for module in self.model.modules():
            handles.append(module.register_forward_pre_hook(self.pre_hook, with_kwargs=True))
            handles.append(
                module.register_forward_hook(self.post_hook, with_kwargs=True, always_call=True)
            )
        return handles

    def uncalled(self) -> list[ModuleCall]:
        """Modules the pass never ran (they still hold parameters)."""
        out = []
        seen: set[int] = set()
        for name, module in self.model.named_modules():
            if id(module) in self.called or id(module) in seen:
                continue
            seen.add(id(module))
            depth = name.count(".") + 1 if name else 0
            out.append(self.describe(module, depth, 0))
        return out

    # -- functional operations --------------------------------------------------------
    def enter_function(self, name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        # Calls made while a shown call runs are not seen (the mode is off inside it);
        # every top-level call is followed, since even one not shown may dispatch to a
        # contraction (F.multi_head_attention_forward) that must be counted. What it took
        # is read when it returns, and only if it is kept.
        if not self.stack or self.functions:
            self.functions.append(None)
            return
        self.functions.append(_Pending(name, args, kwargs))

    def exit_function(self, result: Any) -> None:
        pending = self.functions.pop()
        if pending is None or not (pending.aten or _shown(pending.name)):
            return
        args, kwargs = pending.args, pending.kwargs
        self.stack[-1].functions.append(
            FunctionCall(
                pending.name,
                tuple(tuple(t.shape) for t in _tensors(list(args), [])),
                tuple(tuple(t.shape) for t in _tensors(result, [])),
                pending.aten,
                args=_small_args(pending.name, args, kwargs),
            )
        )

    def record_aten(self, op: str, args: Sequence[Any], out: Any) -> None:
        if not self.stack:
            return
        a, b = _CONTRACTIONS[op]
        shapes = (tuple(args[a].shape), tuple(args[b].shape))
        config: dict[str, Any] = {}
        if op in ("convolution", "_convolution"):
            config = {"transposed": bool(args[6]), "groups": int(args[8])}
        aten = AtenOp(op, shapes, tuple(out.shape), config)
        current = self.functions[-1] if self.functions else None
        if current is None:
            # A contraction outside any Python-level call we show: file it on its own.
            fn = FunctionCall(f"aten.{op}", shapes, (aten.output,), [aten])
            self.stack[-1].functions.append(fn)
        else:
            current.aten.append(aten)


class FunctionRecorder(TorchFunctionMode):
    """Files each top-level functional call under the module that made it."""

    def __init__(self, tracer: Tracer) -> None:
        super().__init__()
        self.tracer = tracer

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: Any,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        short = getattr(func, "__name__", "")
        if short.startswith("__") and short not in ("__matmul__", "__rmatmul__"):
            return func(*args, **kwargs)  # property reads, __getitem__, …: never shown
        tracer = self.tracer
        if not tracer.stack or tracer.functions:  # inside a followed call: not seen
            return func(*args, **kwargs)
        name = _NAMES.get(func)
        if name is None:
            name = function_name(func)
            if len(_NAMES) < 4096:
                _NAMES[func] = name
        tracer.enter_function(name, args, kwargs)
        result = None
        try:
            result = func(*args, **kwargs)
            return result
        finally:
            tracer.exit_function(result)


# How the dispatcher's result of an op can be reused for a later call with the same
# input metadata: PURE ops return fresh tensors, INPLACE ops return their first argument.
_PURE, _INPLACE, _NEVER = 0, 1, 2
_KINDS: dict[Any, tuple[int, str | None]] = {}  # op → (kind, its name if a contraction)
_SCALARS = (bool, int, float, str, torch.dtype, torch.device, torch.layout, torch.memory_format)


def _op_kind(func: Any) -> tuple[int, str | None]:
    found = _KINDS.get(func)
    if found is None:
        schema = func._schema
        args = [a.alias_info for a in schema.arguments]
        rets = [r.alias_info for r in schema.returns]
        if not any(args) and not any(rets):
            kind = _PURE
        elif (
            len(rets) == 1
            and rets[0] is not None
            and rets[0].is_write
            and args
            and args[0] is not None
            and args[0].is_write
            and not any(args[1:])
        ):
            kind = _INPLACE
        else:
            kind = _NEVER
        name = func.overloadpacket.__name__
        found = _KINDS[func] = (kind, name if name in _CONTRACTIONS else None)
    return found


def _key(obj: Any) -> Any:
    """A hashable description of an argument as the meta kernel sees it: a meta tensor by
    shape, strides and dtype, a scalar by type and value. ``None`` when not describable
    (a tensor off the meta device, a tensor subclass, an unknown object)."""
    if isinstance(obj, torch.Tensor):
        if not obj.is_meta or type(obj) not in (torch.Tensor, torch.nn.Parameter):
            return None
        if obj.layout != torch.strided or obj.is_conj() or obj.is_neg():
            return None
        return (obj.shape, obj.stride(), obj.dtype)
    if obj is None:
        return ()
    if isinstance(obj, _SCALARS):
        return (type(obj), obj)
    if isinstance(obj, (list, tuple)):
        parts = [_key(v) for v in obj]
        return None if any(p is None for p in parts) else (len(parts), *parts)
    return None


def _spec(out: Any) -> Any:
    """How to rebuild ``out`` (a meta tensor, or a tuple/list of them); None if not."""
    if isinstance(out, torch.Tensor):
        if type(out) is not torch.Tensor or not out.is_meta or out.layout != torch.strided:
            return None
        if out.is_conj() or out.is_neg():
            return None
        return (tuple(out.shape), out.stride(), out.dtype)
    if isinstance(out, (tuple, list)):
        parts = [() if o is None else _spec(o) for o in out]
        return None if any(p is None for p in parts) else (type(out), parts)
    return None


def _rebuild(spec: Any) -> Any:
    if isinstance(spec[0], type):
        kind, parts = spec
        return kind(None if p == () else _rebuild(p) for p in parts)
    shape, stride, dtype = spec
    return torch.empty_strided(shape, stride, dtype=dtype, device="meta")


_LOW_PRECISION = (torch.float16, torch.bfloat16)
_FLOATS = (torch.float32, torch.float64, *_LOW_PRECISION)


def _batch_norm_meta(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """``aten.native_batch_norm`` on meta tensors without its Python meta kernel (half a
    millisecond a call): the output is laid out like the input, the saved mean and inverse
    deviation have one value per channel, in float32 for a half-precision input. Used only
    for a dense, non-empty input whose per-channel tensors are 1-d of the channel count (the tests
    compare it with torch's kernel); anything else returns None and torch's kernel runs."""
    if kwargs or len(args) != 8:
        return None
    x = args[0]
    if type(x) is not torch.Tensor or not x.is_meta or x.dim() < 2 or x.dtype not in _FLOATS:
        return None
    if x.layout != torch.strided:
        return None
    if x.numel() == 0:
        return None
    if not (x.is_contiguous() or (x.dim() == 4 and x.is_contiguous(memory_format=_CL))):
        return None
    if not args[5] and (args[3] is None or args[4] is None):
        return None  # eval mode without running statistics: torch's kernel refuses it
    channels = x.shape[1]
    if args[5] and x.numel() // max(channels, 1) <= 1:
        return None  # one value per channel in training: torch's kernel refuses it
    for t in args[1:5]:
        if t is not None and (
            not isinstance(t, torch.Tensor) or not t.is_meta or tuple(t.shape) != (channels,)
        ):
            return None
    stats = torch.float32 if x.dtype in _LOW_PRECISION else x.dtype
    return (
        torch.empty_like(x),
        torch.empty((channels,), dtype=stats, device="meta"),
        torch.empty((channels,), dtype=stats, device="meta"),
    )


def _standard_layout(x: Any) -> bool:
    """A float meta tensor laid out exactly as ``torch.empty`` lays it out, contiguous or
    channels-last (no expanded or sliced strides, even on dimensions of size 1)."""
    if type(x) not in (torch.Tensor, torch.nn.Parameter) or not x.is_meta:
        return False
    if x.layout != torch.strided:
        return False
    if x.dtype not in _FLOATS or x.numel() == 0:
        return False
    stride, shape = x.stride(), x.shape
    expected, step = [0] * len(shape), 1
    for i in range(len(shape) - 1, -1, -1):
        expected[i] = step
        step *= max(shape[i], 1)
    if list(stride) == expected:
        return True
    if len(shape) == 4:
        _, c, h, w = shape
        return bool(stride == (h * w * c, 1, w * c, c) and min(shape) > 1)
    return False


def _elementwise_meta(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """A pointwise op (``relu``, ``gelu``, ``add`` of two tensors …) on meta tensors
    without its Python meta kernel, in the one case where the answer is plain: every
    tensor operand has the same shape, dtype (a float) and standard layout; the result
    is then laid out like the first. Anything else returns None and torch's kernel runs."""
    if not args or not _standard_layout(args[0]):
        return None
    x: torch.Tensor = args[0]
    for other in args[1:]:
        if isinstance(other, torch.Tensor) and (
            not _standard_layout(other)
            or other.shape != x.shape
            or other.dtype != x.dtype
            or other.stride() != x.stride()
        ):
            return None
        if not isinstance(other, (torch.Tensor, int, float, str)):  # alpha, approximate
            return None
    if not all(isinstance(v, (int, float, str)) for v in kwargs.values()):
        return None
    return torch.empty_like(x)


def _grouped_mm_meta(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """``_grouped_mm`` of rows (S, K) by a stack of expert matrices (E, K, N), as
    transformers' mixture-of-experts layers call it, in a float dtype other than
    bfloat16: torch's meta kernel refuses those (it checks what the CUDA kernel takes)
    where the CPU kernel gives (S, N) in the input's dtype; the result is that. Any other
    case returns None and torch's kernel runs (or refuses)."""
    names = ("self", "mat2", "offs", "bias", "out_dtype")
    bound = dict(zip(names, args)) | dict(kwargs)
    a, b, offs = bound.get("self"), bound.get("mat2"), bound.get("offs")
    if not all(isinstance(t, torch.Tensor) and t.is_meta for t in (a, b, offs)):
        return None
    assert isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)
    assert isinstance(offs, torch.Tensor)
    if a.dtype != b.dtype or a.dtype not in _FLOATS or a.dtype == torch.bfloat16:
        return None
    if bound.get("bias") is not None or bound.get("out_dtype") not in (None, a.dtype):
        return None
    if a.dim() != 2 or b.dim() != 3 or offs.dim() != 1 or offs.dtype != torch.int32:
        return None
    if a.shape[1] != b.shape[1] or offs.shape[0] != b.shape[0]:
        return None
    return torch.empty((a.shape[0], b.shape[2]), dtype=a.dtype, device="meta")


_CL = torch.channels_last
_FAST: dict[Any, Callable[[Sequence[Any], Mapping[str, Any]], Any]] = {
    torch.ops.aten.native_batch_norm.default: _batch_norm_meta,
    torch.ops.aten._grouped_mm.default: _grouped_mm_meta,
    **{
        op: _elementwise_meta
        for op in (
            torch.ops.aten.add.Tensor,
            torch.ops.aten.sub.Tensor,
            torch.ops.aten.mul.Tensor,
            torch.ops.aten.relu.default,
            torch.ops.aten.gelu.default,
            torch.ops.aten.silu.default,
            torch.ops.aten.sigmoid.default,
            torch.ops.aten.tanh.default,
            torch.ops.aten.hardtanh.default,
            torch.ops.aten.hardswish.default,
        )
    },
}


def _check_one_dtype(op: str, args: Sequence[Any]) -> None:
    """torch's meta kernels multiply a float32 input by a bfloat16 weight; its CPU kernels
    (and CUDA's, outside autocast) refuse: a summary must not exist for a call that
    fails on the real device."""
    a, b = _CONTRACTIONS[op]
    x, w = args[a], args[b]
    if (
        isinstance(x, torch.Tensor)
        and isinstance(w, torch.Tensor)
        and x.dtype != w.dtype
        and x.is_floating_point()
        and w.is_floating_point()
    ):
        raise RuntimeError(
            f"{op} of a {dtype_name(x.dtype)} input and a {dtype_name(w.dtype)} weight: "
            "PyTorch's kernels take operands of one dtype"
        )


class ContractionRecorder(TorchDispatchMode):  # type: ignore[no-untyped-call]
    """Records the contractions (the MAC-carrying aten ops) as they are dispatched.

    It also remembers what each op returned for given input metadata: on the meta device
    a result depends only on the inputs' shapes, strides and dtypes and on the op's other
    arguments, and many meta kernels are written in Python (a batch norm costs half a
    millisecond), so a repeated block replays its results as empty meta tensors of the same
    shape, strides and dtype instead of running the kernels again. Only ops that return
    fresh tensors, or that write into their first argument without changing its shape,
    are remembered; views and anything involving a tensor off the meta device always run.
    """

    def __init__(self, tracer: Tracer) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.tracer = tracer
        self.cache: dict[Any, Any] = {}

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # torch would wrap __torch_dispatch__ to keep torch.compile out of it: a wrapper
        # that costs microseconds per op and imports torch._dynamo (most of a second) on
        # the first call. Nothing here runs under torch.compile.
        return False

    def __torch_dispatch__(
        self,
        func: Any,
        types: Any,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        kind, contraction = _op_kind(func)
        if contraction:
            _check_one_dtype(contraction, args)
        key = None
        if kind != _NEVER:
            key = _key(args)
            if key is not None and kwargs:
                extra = _key(tuple(kwargs.values()))
                key = None if extra is None else (key, tuple(kwargs), extra)
            if key is not None:
                key = (func, key)
                spec = self.cache.get(key)
                if spec is not None:
                    out = args[0] if kind == _INPLACE else _rebuild(spec)
                    if contraction:
                        self.tracer.record_aten(contraction, args, out)
                    return out
        before = _key(args[0]) if key is not None and kind == _INPLACE else None
        fast = _FAST.get(func)
        out = fast(args, kwargs) if fast is not None else None
        if out is None:
            out = func(*args, **kwargs)
        if key is not None:
            if kind == _PURE:
                spec = _spec(out)
                if spec is not None:
                    self.cache[key] = spec
            elif out is args[0] and before is not None and _key(out) == before:
                self.cache[key] = True  # wrote into its first argument, shape unchanged
        if contraction:
            self.tracer.record_aten(contraction, args, out)
        return out
