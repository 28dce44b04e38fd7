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


def tensor_info(t: torch.Tensor) -> TensorInfo:
    return TensorInfo(tuple(int(d) for d in t.shape), str(t.dtype).removeprefix("torch."))


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


def _small_args(name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The non-tensor arguments that decide a functional op's shape (sizes, dims, equation)."""
    out: dict[str, Any] = {}
    for i, a in enumerate(args):
        if isinstance(a, (int, str, float, bool)) or (
            isinstance(a, (tuple, list, torch.Size))
            and all(isinstance(v, (int, float, str)) for v in a)
        ):
            out[f"arg{i}"] = plain(a)
    for k, v in kwargs.items():
        if not isinstance(v, torch.Tensor) and not _tensors(v, []):
            out[k] = plain(v)
    return out


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
        self.roots: list[ModuleCall] = []
        self.call_counts: dict[int, int] = {}
        self.functions: list[FunctionCall | None] = []  # None: a call not shown
        self.called: set[int] = set()

    # -- the module hierarchy ---------------------------------------------------------
    def slots(self, module: torch.nn.Module, path: str) -> tuple[tuple[TensorSlot, ...], ...]:
        params = []
        for local, p in module._parameters.items():
            if p is not None:
                params.append(
                    TensorSlot(
                        local,
                        tuple(p.shape),
                        str(p.dtype).removeprefix("torch."),
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
                        str(b.dtype).removeprefix("torch."),
                        False,
                        self.owners.get(id(b), f"{path}.{local}".lstrip(".")),
                        is_buffer=True,
                        persistent=local not in non_persistent,
                    )
                )
        return tuple(params), tuple(buffers)

    def describe(self, module: torch.nn.Module, depth: int, call_index: int) -> ModuleCall:
        path = self.names.get(id(module), "?")
        params, buffers = self.slots(module, path)
        return ModuleCall(
            path=path,
            op=type(module).__name__,
            module_id=id(module),
            depth=depth,
            call_index=call_index,
            config=module_config(module),
            params=params,
            buffers=buffers,
            is_leaf=not module._modules,
            class_module=type(module).__module__,
            bases=tuple(
                c.__name__
                for c in type(module).__mro__[1:]
                if c.__module__.startswith("torch.nn.modules") and c.__name__ != "Module"
            ),
        )

    def pre_hook(self, module: torch.nn.Module, args: Any, kwargs: Any) -> None:
        index = self.call_counts.get(id(module), 0)
        self.call_counts[id(module)] = index + 1
        self.called.add(id(module))
        call = self.describe(module, len(self.stack), index)
        inputs: list[Tree] = [to_tree(a) for a in args]
        if kwargs:
            inputs.append({k: to_tree(v) for k, v in kwargs.items() if _tensors(v, [])})
        call.inputs = tuple(inputs)
        call.options = {k: plain(v) for k, v in (kwargs or {}).items() if not _tensors(v, [])}
        (self.stack[-1].children if self.stack else self.roots).append(call)
        self.stack.append(call)

    def post_hook(self, module: torch.nn.Module, args: Any, kwargs: Any, output: Any) -> None:
        if self.stack and self.stack[-1].module_id == id(module):
            call = self.stack.pop()
            call.outputs = to_tree(output)

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
        # contraction (F.multi_head_attention_forward) that must be counted.
        if not self.stack or self.functions:
            self.functions.append(None)
            return
        inputs = tuple(tuple(t.shape) for t in _tensors(list(args), []))
        self.functions.append(FunctionCall(name, inputs, (), args=_small_args(name, args, kwargs)))

    def exit_function(self, result: Any) -> None:
        fn = self.functions.pop()
        if fn is None:
            return
        fn.outputs = tuple(tuple(t.shape) for t in _tensors(result, []))
        if fn.aten or _shown(fn.name):
            self.stack[-1].functions.append(fn)

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
        name = function_name(func)
        if name.startswith("Tensor.__") and name not in ("Tensor.__matmul__", "Tensor.__rmatmul__"):
            return func(*args, **kwargs)  # property reads, __getitem__, …: never shown
        self.tracer.enter_function(name, args, kwargs)
        result = None
        try:
            result = func(*args, **kwargs)
            return result
        finally:
            self.tracer.exit_function(result)


class ContractionRecorder(TorchDispatchMode):  # type: ignore[no-untyped-call]
    """Records the contractions (the MAC-carrying aten ops) as they are dispatched."""

    def __init__(self, tracer: Tracer) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.tracer = tracer

    def __torch_dispatch__(
        self,
        func: Any,
        types: Any,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> Any:
        out = func(*args, **(kwargs or {}))
        op = func.overloadpacket.__name__
        if op in _CONTRACTIONS:
            self.tracer.record_aten(op, args, out)
        return out
