"""A copy of a PyTorch module whose tensors live on the ``meta`` device.

The user's model is never altered and never moved: :func:`meta_copy` copies the module
tree with a ``memo`` that already maps every parameter, buffer and tensor attribute to a
meta tensor of the same shape, dtype and ``requires_grad``, so no real tensor is
duplicated and the copy costs no weight memory; a parameter shared by two modules (tied
embeddings) maps to one meta parameter: the copy keeps the sharing.

Modules are copied the way ``copy.deepcopy`` would copy them (a new object of the same
class, its ``__dict__`` copied), but without walking what needs no copy: numbers,
strings and tuples of them are kept, empty hook dictionaries are made anew, tensors come
from the memo and child modules are copied the same way. Anything else an attribute
holds, and any module class with its own copying or pickling methods, goes through
``copy.deepcopy`` with the same memo.

>>> import torch
>>> lin = torch.nn.Linear(4, 2)
>>> m = meta_copy(lin)
>>> m.weight.device.type, lin.weight.device.type, m.weight.shape
('meta', 'cpu', torch.Size([2, 4]))
"""

from __future__ import annotations

import copy
import types
from collections import OrderedDict
from typing import Any

import torch
from torch.nn.parameter import is_lazy

_Module = torch.nn.Module
_OBJECT: Any = object
_MODULE: Any = torch.nn.Module
_KEPT = {
    int, float, bool, str, bytes, complex, type(None), type, torch.dtype, torch.device,
    torch.memory_format, torch.layout, types.FunctionType, types.BuiltinFunctionType,
}  # fmt: skip
_EMPTY = {dict, OrderedDict, set, list}


def _to_meta(t: torch.Tensor) -> torch.Tensor:
    """The meta twin of ``t``: same shape, strides, dtype and gradient flag, no storage
    (a weight held transposed lays out what forward code computes from it as the real
    one does)."""
    if is_lazy(t):
        # A lazy module's tensor has no shape until its first call: the twin is left
        # uninitialized too, on meta, and the copy's first call gives it its shape there
        # (the user's module stays uninitialized).
        uninitialized: Any = type(t)  # torch's stubs leave out its device and dtype
        return uninitialized(requires_grad=t.requires_grad, device="meta", dtype=t.dtype)  # type: ignore[no-any-return]
    if t.device.type == "meta" and not isinstance(t, torch.nn.Parameter):
        return t
    if t.layout == torch.strided:
        meta = torch.empty_strided(t.shape, t.stride(), dtype=t.dtype, device="meta")
    else:
        meta = torch.empty(t.shape, dtype=t.dtype, device="meta")
    if isinstance(t, torch.nn.Parameter):
        return torch.nn.Parameter(meta, requires_grad=t.requires_grad)
    return meta


def meta_memo(model: torch.nn.Module) -> dict[int, Any]:
    """A deepcopy memo mapping each tensor the module tree holds to its meta twin."""
    memo: dict[int, Any] = {}
    for module in model.modules():
        tensors: list[torch.Tensor | None] = [
            *module._parameters.values(),
            *module._buffers.values(),
            *(v for v in vars(module).values() if isinstance(v, torch.Tensor)),
        ]
        for t in tensors:
            if t is not None and id(t) not in memo:
                memo[id(t)] = _to_meta(t)
    return memo


def _plainly_copied(cls: Any) -> bool:
    """True when ``copy.deepcopy`` would copy an instance of ``cls`` as a new object with
    a copied ``__dict__`` given to its ``__setstate__`` (no ``__deepcopy__``, pickling
    methods or slots of its own; torch.nn's ``__setstate__`` overrides only fill in
    attributes that old pickles lack)."""
    return (
        getattr(cls, "__deepcopy__", None) is None
        and cls.__reduce_ex__ is _OBJECT.__reduce_ex__
        and cls.__reduce__ is _OBJECT.__reduce__
        and cls.__getstate__ is _MODULE.__getstate__
        and getattr(cls.__setstate__, "__module__", "").startswith("torch.nn.")
        and not any("__slots__" in vars(c) for c in cls.__mro__)
    )


_PLAIN: dict[type, bool] = {}


def _copy_value(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in _KEPT:
        return value
    if kind is tuple and all(type(v) in _KEPT for v in value):
        return value
    if kind in _EMPTY and not value:
        return kind()
    if (kind is set or kind is frozenset) and all(type(v) in _KEPT for v in value):
        return same_order_set(value)
    if isinstance(value, _Module):
        return _copy_module(value, memo)
    if isinstance(value, torch.Tensor) and id(value) in memo:
        return memo[id(value)]
    return copy.deepcopy(value, memo)


def same_order_set(value: set[Any] | frozenset[Any]) -> set[Any] | frozenset[Any]:
    """A copy of a set of plain values that iterates in the original's order.

    Model code iterates such sets (transformers computes one rotary embedding per layer
    type in ``set(layer_types)``'s order), so the copy's calls must come in the original's
    order. ``copy.deepcopy`` re-inserts the items and, when two collide in the hash table,
    can swap them; ``set.copy`` copies the table slot by slot where the sizes allow. A
    frozenset cannot change and is kept; in the rare case the copy's order still differs
    the original is kept too, since calls in the wrong order would misplace every row.
    """
    if type(value) is frozenset:
        return value
    twin = value.copy()
    return twin if list(twin) == list(value) else value


def _copy_module(module: torch.nn.Module, memo: dict[int, Any]) -> torch.nn.Module:
    found: torch.nn.Module | None = memo.get(id(module))
    if found is not None:
        return found
    cls = type(module)
    plain = _PLAIN.get(cls)
    if plain is None:
        plain = _PLAIN[cls] = _plainly_copied(cls)
    if not plain:
        return copy.deepcopy(module, memo)
    new = cls.__new__(cls)
    memo[id(module)] = new
    state: dict[str, Any] = {}
    for name, value in module.__dict__.items():
        if name == "_compiled_call_impl":  # Module.__getstate__ leaves it out
            continue
        if name in ("_parameters", "_buffers"):
            state[name] = {k: None if t is None else memo[id(t)] for k, t in value.items()}
        elif name == "_modules":
            state[name] = {
                k: None if c is None else _copy_module(c, memo) for k, c in value.items()
            }
        else:
            state[name] = _copy_value(value, memo)
    setstate: Any = new.__setstate__
    setstate(state)
    return new


def meta_copy(model: torch.nn.Module) -> torch.nn.Module:
    """A copy of ``model`` on the meta device; ``model`` itself is left as it was."""
    memo = meta_memo(model)
    # the memo also keeps the originals alive while the copy is made, as deepcopy's does
    memo[id(memo)] = [model]
    return _copy_module(model, memo)
