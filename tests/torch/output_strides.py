"""The strides of every module call's outputs, as each tracer traces them.

The records the tracers make hold shapes, not strides, so two traces can agree call by
call while one lays a tensor out otherwise (a shape rule's strides of axes of size 1, say,
which later rules may read). :func:`output_strides` traces a model with one tracer while
watching each module call's outputs, by (module name, call index).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

from modelmath.frontends.torch_module import fast_trace, trace
from modelmath.frontends.torch_module import tracer as general
from modelmath.frontends.torch_module.symbolic import SymTensor

Layouts = dict[tuple[str, int], list[tuple[tuple[int, ...], tuple[int, ...]]]]


def _layouts(obj: Any, out: list[Any], depth: int = 0) -> list[Any]:
    """(shape, strides) of each tensor in ``obj``, as the tracers find tensors."""
    if isinstance(obj, SymTensor):
        out.append((tuple(obj._shape), tuple(obj._stride)))
    elif isinstance(obj, torch.Tensor):
        out.append((tuple(obj.shape), tuple(obj.stride())))
    elif depth < 3 and isinstance(obj, (list, tuple)):
        for v in obj:
            _layouts(v, out, depth + 1)
    elif depth < 3 and isinstance(obj, dict):
        for v in obj.values():
            _layouts(v, out, depth + 1)
    elif depth < 3 and hasattr(obj, "to_tuple"):  # transformers' ModelOutput
        _layouts(obj.to_tuple(), out, depth + 1)
    return out


@contextmanager
def _watching(found: Layouts) -> Iterator[None]:
    """Both tracers, each module call's outputs written into ``found`` as they return."""
    symbolic_forward = fast_trace.FastTracer._forward
    meta_post_hook = general.Tracer.post_hook

    def forward(self: Any, module: torch.nn.Module, code: Any) -> Any:
        inner = symbolic_forward(self, module, code)
        name = self.names.get(id(module), "?")

        def traced(*args: Any, **kwargs: Any) -> Any:
            output = inner(*args, **kwargs)
            index = sum(1 for key in found if key[0] == name)
            found[(name, index)] = _layouts(output, [])
            return output

        return traced

    def post_hook(self: Any, module: torch.nn.Module, args: Any, kwargs: Any, output: Any) -> None:
        if self.stack and self.stack[-1].module_id == id(module):
            call = self.stack[-1]
            with general._NO_TORCH_FUNCTION():
                found[(call.path, call.call_index)] = _layouts(output, [])
        meta_post_hook(self, module, args, kwargs, output)

    fast_trace.FastTracer._forward = forward  # type: ignore[method-assign]
    general.Tracer.post_hook = post_hook  # type: ignore[method-assign]
    try:
        yield
    finally:
        fast_trace.FastTracer._forward = symbolic_forward  # type: ignore[method-assign]
        general.Tracer.post_hook = meta_post_hook  # type: ignore[method-assign]


def output_strides(model: torch.nn.Module, inputs: Any, tracer: str) -> tuple[Any, Layouts]:
    """The trace of ``model`` by ``tracer``, and its module calls' output layouts."""
    found: Layouts = {}
    with _watching(found):
        traced = trace(model, input_data=inputs, tracer=tracer)
    return traced, found
