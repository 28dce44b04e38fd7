"""The fast tracer: a module's forward code run on shape-only tensors.

The general tracer (:mod:`.tracer`) runs the forward pass on the meta device under two
torch modes and forward hooks; every operation then goes through torch's dispatcher and
its meta kernels, tens of microseconds each. This one runs the same forward code on
:class:`SymTensor` objects instead: each torch function it calls is answered by a shape
rule of :mod:`.shape_rules` in a few microseconds, and module calls are seen by
wrapping each module's ``forward`` on a light copy of the module tree (no hooks). It
records exactly what the general tracer records — the same :class:`ModuleCall` tree,
the same functional calls with the same aten contractions — and the tests hold the two
equal on every model of the corpus.

It gives up (raises :class:`Unsupported`) at the first thing it does not know exactly: an
operation without a rule, an argument a rule does not expect, a module with hooks, a module
held outside the module tree, reading a tensor's values. The caller then uses the general
tracer, so the answer never depends on which one ran.

Blocks alike are traced once. Each module gets a structural signature (its class, its
plain attributes, its tensors' shapes, dtypes and strides, its children's signatures); a
later call of a module with the signature of one already traced, given inputs of the
same shapes (and the same aliasing), replays that record onto its own modules without
running the forward code. Only when the first block's calls all stay inside it, not in
training mode, where forward code may draw random numbers, and only while every module
involved is as the copy made it (forward code may write to a module: see _unchanged).

The copy shares nothing mutable with the user's model: parameters and buffers become
SymTensors, containers of plain values are copied, the hook dictionaries are the copy's
own (a module's forward hooks copied, and run as Module.__call__ runs them), and any
attribute that is not plain data makes the fast tracer give up. The user's model is never
touched.

>>> import torch
>>> t = fast_trace(torch.nn.Sequential(torch.nn.Linear(4, 2)),
...                [SymTensor((1, 4), torch.float32)], {}, train=False)
>>> [c.op for c in t.root.walk()], t.root.outputs.shape, t.traced_by
(['Sequential', 'Linear'], (1, 2), 'symbolic')
"""

from __future__ import annotations

import copy
import enum
import functools
import math
import operator
import types
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from modelmath.frontends.torch_module.configs import module_config, plain
from modelmath.frontends.torch_module.direct_leaves import NOT_DIRECT, direct_call
from modelmath.frontends.torch_module.meta_copy import same_order_set
from modelmath.frontends.torch_module.records import (
    FunctionCall,
    ModuleCall,
    ModuleTrace,
    TensorInfo,
    TensorSlot,
    Tree,
)
from modelmath.frontends.torch_module.shape_rules import HANDLERS
from modelmath.frontends.torch_module.symbolic import (
    Shape,
    SymParameter,
    SymTensor,
    Unsupported,
    set_dispatch,
)
from modelmath.frontends.torch_module.tracer import (
    Tracer,
    _shown,
    dtype_name,
    function_name,
    keyword_order,
    small_positional,
)

_pop_function_mode = torch._C._pop_torch_function_stack
_push_function_mode = torch._C._push_on_torch_function_stack

# Attribute values shared with the copy as they are: immutable plain data.
_PLAIN = {
    int, float, bool, str, bytes, complex, type(None), type, torch.dtype, torch.device,
    torch.memory_format, torch.layout, types.FunctionType, types.BuiltinFunctionType,
}  # fmt: skip
_FORWARD_HOOKS = (
    "_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks",
)  # fmt: skip
_FORWARD_HOOK, _FORWARD_PRE_HOOK, _BACKWARD_HOOK, _BACKWARD_PRE_HOOK = _FORWARD_HOOKS
_GLOBAL_HOOKS = (
    "_global_forward_hooks", "_global_forward_pre_hooks", "_global_backward_hooks",
    "_global_backward_pre_hooks",
)  # fmt: skip
_EMPTY_MAPS = (dict, OrderedDict)
_TAG = object()  # marks a signature's part describing an attribute that is not plain data
# function → its name as the general tracer writes it, and whether a call is shown
_NAMES: dict[Any, tuple[str, bool]] = {}
_DUNDER_SHOWN = ("__matmul__", "__rmatmul__")


# What every module holds for torch's own bookkeeping (its tensors, children, hooks, mode,
# the names of its non-persistent buffers): the copy replaces each of them.
_BOOKKEEPING = frozenset(torch.nn.Module().__dict__)
# Its dictionaries of hooks: the copy's are never the model's (forward code may register
# hooks on the copy, as transformers does to record the outputs asked for).
_FORWARD_HOOK_DICTS = (
    "_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called"
)  # fmt: skip
_HOOK_DICTS = tuple(
    k for k, v in torch.nn.Module().__dict__.items()
    if isinstance(v, dict) and ("hooks" in k or k.endswith("called"))
)  # fmt: skip


# class → its modules' attribute names (as the last one had them), the names that are not
# torch's bookkeeping, and a function reading their values as a tuple
_OWN_KEYS: dict[type, tuple[tuple[str, ...], tuple[str, ...], Any]] = {}


def _no_values(state: dict[str, Any]) -> tuple[Any, ...]:
    return ()


def _one_value(key: str, state: dict[str, Any]) -> tuple[Any, ...]:
    return (state[key],)


def _own_keys(cls: type, state: dict[str, Any]) -> tuple[tuple[str, ...], Any]:
    """The attribute names of a module that are not torch's bookkeeping, in their order,
    and a function reading their values as a tuple: modules of one class mostly have the
    same names (compared, not hashed: the names are the very same strings), so they are
    sorted out once per class."""
    names = tuple(state)
    found = _OWN_KEYS.get(cls)
    if found is None or found[0] != names:
        own = tuple(k for k in names if k not in _BOOKKEEPING)
        if not own:
            read: Any = _no_values
        elif len(own) == 1:
            read = functools.partial(_one_value, own[0])
        else:
            read = operator.itemgetter(*own)
        found = (names, own, read)
        if len(_OWN_KEYS) < 1024:
            _OWN_KEYS[cls] = found
    return found[1], found[2]


_CONFIG_CLASSES = ("PretrainedConfig", "PreTrainedConfig", "GenerationConfig")


def _is_model_config(value: Any) -> bool:
    """A transformers configuration (the model's or its generation settings), found
    without importing transformers."""
    return any(
        c.__name__ in _CONFIG_CLASSES and c.__module__.startswith("transformers.")
        for c in type(value).__mro__
    )


def _plain_value(value: Any) -> Any:
    """``value`` if the copy may share it (immutable plain data), a fresh copy of a
    container of plain data (a flat one, lists of lists of names, settings by name in a
    dictionary), else Unsupported."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind in (tuple, list, set, frozenset) and all(type(v) in _PLAIN for v in value):
        if kind is set:  # forward code may iterate it: in the original's order
            return same_order_set(value)
        return value if kind in (tuple, frozenset) else kind(value)
    if kind in (tuple, list):
        # lists of lists of names (RNN weights), sizes beside shapes (PP-OCR's stages)
        return kind(_plain_value(v) for v in value)
    if kind in (dict, OrderedDict) and all(type(k) in (str, int) for k in value):
        # settings by name, or by number (Aria's query counts by patch count)
        return kind((k, _plain_value(v)) for k, v in value.items())
    if isinstance(value, enum.Enum):  # a member is a constant (deepcopy keeps it too)
        return value
    if kind is functools.partial and type(value.func) in _PLAIN:
        # A function with some arguments set (transformers' tanh GELU): a new partial of
        # the same function, its arguments copied as plain data.
        args = _plain_value(value.args)
        return functools.partial(value.func, *args, **_plain_value(value.keywords))
    if isinstance(value, torch.nn.Module):  # in a plain list (MaskFormer's convolutions)
        raise Unsupported("a module held outside the module tree")
    raise Unsupported(f"an attribute {value!r:.60} of type {kind.__name__}")


def _shapes(obj: Any, out: list[Shape], depth: int = 0) -> list[Shape]:
    """The shapes of the tensors in ``obj``, found as the general tracer's ``_tensors``
    finds them (nested tuples and lists, three levels down)."""
    if type(obj) is SymTensor or type(obj) is SymParameter:
        out.append(obj._shape)
    elif isinstance(obj, (tuple, list)) and depth < 3:
        for v in obj:
            _shapes(v, out, depth + 1)
    elif isinstance(obj, torch.Tensor):
        raise Unsupported("a real tensor among the operands")
    return out


_INFOS: dict[tuple[Shape, Any], TensorInfo] = {}  # one frozen record per shape and dtype


def _tree(obj: Any, depth: int = 0) -> Tree:
    """The general tracer's ``to_tree`` for SymTensors (read without torch.Size round trips)."""
    kind = type(obj)
    if kind is SymTensor or kind is SymParameter:
        key = (obj._shape, obj.dtype)
        info = _INFOS.get(key)
        if info is None:
            info = TensorInfo(obj._shape, dtype_name(obj.dtype))
            if len(_INFOS) < 4096:
                _INFOS[key] = info
        return info
    if isinstance(obj, torch.Tensor):
        raise Unsupported("a real tensor passed between modules")
    if depth > 6:
        return None
    if isinstance(obj, Mapping):
        return {str(k): _tree(v, depth + 1) for k, v in obj.items()}
    if kind is tuple or isinstance(obj, tuple):
        return tuple(_tree(v, depth + 1) for v in obj)
    if isinstance(obj, list):
        return [_tree(v, depth + 1) for v in obj]
    return None


def _has_tensor(obj: Any, depth: int = 0) -> bool:
    """True when the general tracer's ``_tensors`` would find a tensor in ``obj`` (a
    SymTensor is known by its type: it refuses ``isinstance`` tests, see symbolic.py)."""
    kind = type(obj)
    if kind is SymTensor or kind is SymParameter:
        return True
    if isinstance(obj, (tuple, list)):
        return depth < 3 and any(_has_tensor(v, depth + 1) for v in obj)
    return isinstance(obj, torch.Tensor)


# Plain data whose == is identity of value: equal only to values of the same type and text
# (bools, floats and complex numbers are == to ints, and 0.0 to -0.0: see _apart). Tuples
# of such values too, at the top of a signature (their items are looked at apart).
_EXACT_ITEMS = frozenset(_PLAIN - {bool, float, complex})
_EXACT = _EXACT_ITEMS | {tuple}


def _apart(value: Any) -> Any:
    """What ``==`` leaves out of ``value`` (plain data): the type of each number that is not
    an int, and the sign of each float, so that signatures equal only for equal settings.
    Forward code may branch on ``flag is True`` or print ``-0.0``; and modules alike share
    their record and their config."""
    kind = type(value)
    if kind is float:
        return (float, math.copysign(1.0, value))
    if kind is complex:
        return (complex, math.copysign(1.0, value.real), math.copysign(1.0, value.imag))
    if kind is bool:
        return bool
    if kind is tuple or kind is list:
        return (kind, tuple(map(_apart, value)))
    return None  # an int, a name, None, a dtype…: equal only to values of its own type


def _tensor_key(t: SymTensor | None) -> Any:
    if t is None:
        return None
    return (t._shape, t._stride, t.dtype, t.requires_grad, t._is_param)


def _hashable(value: Any) -> Any:
    if type(value) is functools.partial:
        return (functools.partial, value.func, _hashable(value.args), _hashable(value.keywords))
    if isinstance(value, dict):
        return (type(value), tuple((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, set):
        # In its iteration order: forward code that loops over it runs in that order, so
        # two modules whose sets are equal but iterate apart are not alike.
        return (set, tuple(value))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(map(_hashable, value)))
    kind = type(value)
    if kind is bool or kind is float or kind is complex:
        return (kind, value, _apart(value))  # 1, True and 1.0 apart (see _apart)
    return value


_SCALAR_ARGS = {type(None), int, float, bool, str}
_SYM_TYPES = (SymTensor, SymParameter)


_ARG_NAMES = tuple(f"arg{i}" for i in range(16))
_WORDS = frozenset((int, float, bool, str))  # numbers and names: small, kept as they are


def _operands(
    args: Sequence[Any], kwargs: Mapping[str, Any]
) -> tuple[tuple[Shape, ...], dict[str, Any]]:
    """A functional call's tensor shapes (as :func:`_shapes` finds them in ``args``) and
    the small arguments the general tracer's ``_small_args`` keeps, in one pass over the
    arguments: most are a tensor or a number, which need no walk. SymTensors are known by
    their type (they refuse ``isinstance`` tests: see symbolic.py)."""
    shapes: list[Shape] = []
    small: dict[str, Any] = {}
    for i, a in enumerate(args):
        kind = type(a)
        if kind is SymTensor or kind is SymParameter:
            shapes.append(a._shape)
        elif kind in _WORDS or (kind is tuple and all(type(v) in _WORDS for v in a)):
            small[_ARG_NAMES[i] if i < 16 else f"arg{i}"] = a  # a number, a name or sizes
        elif a is not None:
            _shapes(a, shapes, 1)
            if not _has_tensor(a) and small_positional(a):
                small[f"arg{i}"] = plain(a)
    if kwargs:
        small.update((k, plain(v)) for k, v in kwargs.items() if not _has_tensor(v))
    return tuple(shapes), small


def inputs_key(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """What a module call's result depends on besides the module: each tensor's shape,
    strides, dtype and which arguments are one same tensor; each plain value. None when an
    argument is anything else (the call is then never reused)."""
    parts: list[Any] = []
    seen: dict[int, int] = {}  # id of a tensor → the first argument that held it
    named: Iterable[tuple[str | None, Any]] = zip(repeat(None), args)
    if kwargs:
        named = chain(named, kwargs.items())
    for name, value in named:
        kind = type(value)
        if kind is SymTensor:
            parts.append((name, _tensor_key(value), seen.setdefault(id(value), len(parts))))
        elif kind is float:  # 0.0 and -0.0 apart
            parts.append((name, kind, value, math.copysign(1.0, value)))
        elif kind in _SCALAR_ARGS:
            parts.append((name, kind, value))
        else:
            return None
    return tuple(parts)


def output_spec(output: Any, args: Sequence[Any]) -> Any:
    """How to rebuild ``output`` for a reused call: new SymTensors of the same metadata,
    or the very argument it returned. None when it holds anything else."""
    kind = type(output)
    if kind is SymTensor:
        for i, a in enumerate(args):
            if a is output:
                return ("arg", i)
        return ("new", output._shape, output._stride, output.dtype, output.requires_grad)
    if kind in _SCALAR_ARGS:
        return ("value", output)
    if kind in (tuple, list):
        parts = [output_spec(o, args) for o in output]
        return None if any(p is None for p in parts) else (kind, parts)
    return None


def rebuild(spec: Any, args: Sequence[Any]) -> Any:
    tag = spec[0]
    if tag == "arg":
        return args[spec[1]]
    if tag == "new":
        return SymTensor(spec[1], spec[3], spec[2], spec[4])
    if tag == "value":
        return spec[1]
    return spec[0](rebuild(p, args) for p in spec[1])


def _self_contained(call: ModuleCall) -> bool:
    """True when every call under ``call`` is of a module inside its subtree."""
    prefix = f"{call.path}."
    pending = list(call.children)  # a walk without generators: it runs for every call
    while pending:
        c = pending.pop()
        if not c.path.startswith(prefix):
            return False
        pending += c.children
    return True


_CONTAINERS = (list, dict, set, OrderedDict)  # attributes the copy holds fresh copies of
_NON_PERSISTENT = "_non_persistent_buffers_set"


class _Registry(dict):  # type: ignore[type-arg]
    """A module copy's dictionary of parameters, buffers or children, which counts the
    writes forward code makes to it (``module.table = bigger``, ``register_buffer``):
    the copy's module is then no longer as the copy made it. ``writes`` is its
    module's count, shared by its three dictionaries."""

    __slots__ = ("writes",)
    writes: list[int]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.writes[0] += 1
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self.writes[0] += 1
        dict.__delitem__(self, key)

    def _written(self, method: Any, *args: Any) -> Any:
        self.writes[0] += 1
        return method(self, *args)

    def pop(self, *args: Any) -> Any:
        return self._written(dict.pop, *args)

    def popitem(self) -> Any:
        return self._written(dict.popitem)

    def clear(self) -> None:
        self._written(dict.clear)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.writes[0] += 1
        dict.update(self, *args, **kwargs)

    def setdefault(self, *args: Any) -> Any:
        return self._written(dict.setdefault, *args)


class _NoHooks(OrderedDict):  # type: ignore[type-arg]
    """The hook dictionaries the copies of modules without hooks share: a hook that
    forward code registers (transformers' output recording does) would run for all of
    them, so the trace gives up at once."""

    def __setitem__(self, key: Any, value: Any) -> None:
        raise Unsupported("hooks registered by forward code")

    def setdefault(self, *args: Any) -> Any:
        raise Unsupported("hooks registered by forward code")

    def update(self, *args: Any, **kwargs: Any) -> None:
        raise Unsupported("hooks registered by forward code")


def _registry(items: dict[str, Any], writes: list[int]) -> _Registry:
    found = _Registry(items)
    found.writes = writes
    return found


def _contents(value: Any) -> tuple[Any, ...]:
    """A container's items (a dictionary's keys and values), to compare by identity."""
    if isinstance(value, dict):
        return (*value, *value.values())
    return tuple(value)


def _unchanged(state: dict[str, Any], made: tuple[Any, ...]) -> bool:
    """True when a module copy's state is still as the copy made it (``made``: how many
    attributes it had, its mode, a function reading its own attributes and their values
    then, its dictionaries' count of writes, and the containers it held with their
    items): the very objects. Forward code that wrote to it (a counter, a cache, a buffer
    grown, a flag set by its parent) changed them; its signature no longer says what it
    holds."""
    n, training, read, own, writes, held = made
    try:
        if (
            writes[0]
            or len(state) != n
            or state["training"] is not training
            or not all(map(operator.is_, read(state), own))
        ):
            return False
        for key, value, items in held:
            now = state[key]
            if now is not value:
                return False
            found = _contents(now)
            if len(found) != len(items) or not all(map(operator.is_, found, items)):
                return False
    except KeyError:  # an attribute deleted
        return False
    return True


# Read once: a model's copy reads them for each of its tensors, hundreds of times.
_PARAMETER, _TENSOR, _STRIDED = torch.nn.Parameter, torch.Tensor, torch.strided


class FastTracer(Tracer):
    """Copies the module tree with SymTensor weights and records the pass as it runs."""

    def __init__(self, model: torch.nn.Module, train: bool) -> None:
        # Tracer's own __init__ walks the tree three times; the copy below does it once.
        self.train = train
        self.names: dict[int, str] = {}
        self.parameters: list[TensorSlot] = []
        self.buffers: list[TensorSlot] = []
        self.memo: dict[int, Any] = {}
        self.stack: list[ModuleCall] = []
        self.failed: ModuleCall | None = None
        self.roots: list[ModuleCall] = []
        self.call_counts: dict[int, int] = {}
        self.functions: list[Any] = []
        self.called: set[int] = set()
        self.described: dict[int, Any] = {}
        # Repeated blocks: each module's structural signature (an interned int; None when
        # its subtree is not its own), and the recorded call of each (signature, inputs).
        self.signatures: dict[int, int | None] = {}
        self.interned: dict[Any, int] = {}
        self.recorded: dict[Any, tuple[ModuleCall, Any]] = {}
        self.configs: dict[int, dict[str, Any]] = {}
        self.hook_dicts: dict[str, Any] = {k: _NoHooks() for k in _HOOK_DICTS}
        self.no_names: set[str] = set()  # see _copy
        # Each copy's state as the copy made it (see _unchanged): a module is alike another
        # only while its state is still that.
        self.pristine: dict[int, tuple[Any, ...]] = {}
        self.taints = 0  # how many calls found their module's state changed
        self.slot_of: dict[int, TensorSlot] = {}  # id(SymTensor) → its model-wide slot
        self.module_slots: dict[int, tuple[tuple[TensorSlot, ...], ...]] = {}
        self.copies: list[tuple[torch.nn.Module, str]] = []  # each copy and its name
        self.reuse = not train  # in training, forward code may draw random numbers
        self.mode: TorchFunctionMode | None = None  # the function mode of the pass
        # id of a template call → each of its calls' module names under it (for replays)
        self.parts: dict[int, dict[int, list[str]]] = {}
        self.model = self._copy(model, "")

    # -- the copy -------------------------------------------------------------------------
    def _tensor(self, t: Any) -> SymTensor:
        """The SymTensor standing for ``t`` (one per tensor, however often it is held)."""
        found: SymTensor | None = self.memo.get(id(t))
        if found is None:
            found = self.memo[id(t)] = self._symbolic(t)
        return found

    def _slots(
        self, tensors: dict[str, Any], prefix: str, is_buffer: bool, non_persistent: Any
    ) -> tuple[dict[str, Any], tuple[TensorSlot, ...], tuple[Any, ...]]:
        """The SymTensors of a module's parameters (or buffers), the module's slots for
        them as :meth:`Tracer.slots` makes them (the model-wide slot itself where this
        module is where the tensor is counted, a slot naming its owner where it is tied),
        and their part of the module's signature."""
        syms: dict[str, Any] = {}
        slots: list[TensorSlot] = []
        keys: list[Any] = []
        memo, slot_of, symbolic = self.memo, self.slot_of, self._symbolic
        listed = self.buffers if is_buffer else self.parameters
        for k, t in tensors.items():
            if t is None:
                syms[k] = None
                keys.append((k, None))
                continue
            sym = memo.get(id(t))
            if sym is None:
                sym = memo[id(t)] = symbolic(t)
            syms[k] = sym
            shape, dtype, grad = sym._shape, sym.dtype, sym.requires_grad
            keys.append((k, shape, sym._stride, dtype, grad, sym._is_param))  # _tensor_key
            counted = slot_of.get(id(sym))
            persistent = k not in non_persistent
            if counted is None:  # its first name in named_parameters: counted there
                counted = slot_of[id(sym)] = TensorSlot(
                    k, shape, dtype_name(dtype), grad and not is_buffer, prefix + k, is_buffer
                )
                listed.append(counted)
                if persistent:
                    slots.append(counted)
                    continue
            elif persistent and counted.owner == prefix + k:
                slots.append(counted)
                continue
            slots.append(
                TensorSlot(k, shape, dtype_name(dtype), grad and not is_buffer, counted.owner,
                           is_buffer, persistent)
            )  # fmt: skip
        return syms, tuple(slots), tuple(keys)

    def _config_copy(self, config: Any) -> Any:
        """A model-zoo configuration object, copied once for the whole copy: the modules
        that shared it share the copy (read in forward code, never written back)."""
        found = self.memo.get(id(config))
        if found is None:
            found = self.memo[id(config)] = copy.copy(config)
        return found

    @staticmethod
    def _symbolic(t: Any) -> SymTensor:
        kind = type(t)
        if kind is _PARAMETER:
            sym: SymTensor = SymParameter.__new__(SymParameter)
        elif kind is _TENSOR:
            sym = SymTensor.__new__(SymTensor)
        else:
            raise Unsupported(f"a tensor of type {kind.__name__}")
        if t.layout != _STRIDED:
            raise Unsupported(f"a tensor of layout {t.layout}")
        # SymTensor.__init__'s work, without its checks, and the tensor's own layout (a
        # weight held transposed lays out what forward code computes from it as it does).
        sym._shape = tuple(t.shape)
        sym._stride = tuple(t.stride())
        sym.dtype = t.dtype
        sym.requires_grad = t.requires_grad
        return sym

    def _copy(self, module: torch.nn.Module, path: str) -> torch.nn.Module:
        memo = self.memo
        found = memo.get(id(module))
        if found is not None:
            return found  # type: ignore[no-any-return]
        cls = type(module)
        state = module.__dict__
        get = state.get
        if "forward" in state or get("_compiled_call_impl") is not None:
            raise Unsupported("a module whose forward is replaced or compiled")
        if get(_FORWARD_PRE_HOOK) or get(_BACKWARD_HOOK) or get(_BACKWARD_PRE_HOOK):
            raise Unsupported("a module with pre-forward or backward hooks")
        # Forward hooks run after its forward code (see traced_forward), and may do
        # anything (transformers' record the outputs asked for): never replayed.
        hooked = bool(get(_FORWARD_HOOK))
        new = cls.__new__(cls)
        memo[id(module)] = new
        self.names[id(new)] = path
        self.copies.append((new, path))
        prefix = f"{path}." if path else ""
        copied = new.__dict__
        copied.update(state)  # plain values stay shared; the rest is replaced below
        # Hooks: the copy shares the tracer's empty dictionaries (any hook forward code
        # registers there makes the trace give up, see fast_trace), and a module's forward
        # hooks are copied (its pre-forward and backward hooks are refused above; its
        # state-dict hooks never run in a forward pass).
        copied.update(self.hook_dicts)
        # The names of its non-persistent buffers (a set torch writes with its buffers,
        # whose writes are counted, see _Registry): the copy's own, shared when empty.
        names = get(_NON_PERSISTENT)
        copied[_NON_PERSISTENT] = same_order_set(names) if names else self.no_names
        if hooked:
            for key in _FORWARD_HOOK_DICTS:
                hooks: Any = state[key]
                copied[key] = type(hooks)(hooks)
        keys, read = _own_keys(cls, state)
        # The signature: the class, the attribute names, then each attribute's value
        # (plain data as it is, anything else as a tagged description).
        values = read(state)
        kinds = tuple(map(type, values))
        signature: list[Any] = [cls, keys, *values]
        held: tuple[Any, ...] = ()  # the containers it holds, with their items
        held_values = values  # its attributes' values as the copy holds them
        if not _PLAIN.issuperset(kinds):  # most modules hold plain data only
            exact, is_plain = _EXACT_ITEMS.issuperset, _PLAIN.__contains__
            containers = []
            for i, value in enumerate(values, 2):
                kind = type(value)
                if kind is tuple and exact(map(type, value)):
                    continue  # sizes, names: as they are
                if kind is tuple and all(map(is_plain, map(type, value))):
                    signature[i] = (_TAG, tuple, value, _apart(value))  # (1, 1) ≠ (True, True)
                elif kind not in _PLAIN:
                    key = keys[i - 2]
                    signature[i] = self._attribute(key, value, kind, copied, module)
                    if type(copied[key]) in _CONTAINERS:
                        containers.append((key, copied[key], _contents(copied[key])))
            held = tuple(containers)
            held_values = read(copied)  # with the copies put in place of the rest
        if not _EXACT.issuperset(kinds):
            # 1 == True == 1.0: their types; 0.0 == -0.0: the signs of zeros (see _apart)
            signature.append(kinds)
            if complex in kinds or (float in kinds and 0.0 in values):
                signature.append(tuple(map(_apart, values)))
        # Parameters, then buffers, then children: named_parameters' order.
        params: tuple[TensorSlot, ...] = ()
        buffers: tuple[TensorSlot, ...] = ()
        writes = [0]  # the writes to the copy's three dictionaries below (see _Registry)
        if module._parameters:
            syms, params, param_keys = self._slots(module._parameters, prefix, False, ())
            copied["_parameters"] = _registry(syms, writes)
            signature.append(param_keys)
        else:
            copied["_parameters"] = _registry({}, writes)
            signature.append(())
        if module._buffers:
            syms, buffers, buffer_keys = self._slots(
                module._buffers, prefix, True, get(_NON_PERSISTENT, ())
            )
            copied["_buffers"] = _registry(syms, writes)
            signature.append(buffer_keys)
        else:
            copied["_buffers"] = _registry({}, writes)
            signature.append(())
        self.module_slots[id(new)] = (params, buffers)
        children: dict[str, torch.nn.Module | None] = {}
        own = not hooked  # the subtree holds no module that appears elsewhere in the model
        signatures = self.signatures
        for k, c in module._modules.items():
            if c is None:
                children[k] = None
                signature.append((k, None))
                continue
            if id(c) in memo:
                own = False
            children[k] = child = self._copy(c, prefix + k)
            inner = signatures[id(child)]
            if inner is None:
                own = False
            signature.append((k, inner))
        copied["_modules"] = _registry(children, writes)
        copied["training"] = self.train
        if own:
            whole = tuple(signature)
            interned = self.interned
            signatures[id(new)] = interned.setdefault(whole, len(interned))
        else:
            signatures[id(new)] = None
        # Module.__call__ reads _call_impl from the instance first: the traced forward is
        # called instead of _call_impl (it runs the copy's forward hooks itself; global
        # hooks are refused before the pass). ``forward`` is the same, for code calling it.
        copied["forward"] = copied["_call_impl"] = self._forward(new, cls.forward)
        # What _unchanged compares with (see there).
        self.pristine[id(new)] = (len(copied), self.train, read, held_values, writes, held)
        return new

    def _attribute(
        self, key: str, value: Any, kind: type, copied: dict[str, Any], module: torch.nn.Module
    ) -> Any:
        """An attribute of ``module`` that is not plain data: its copy, put in ``copied``
        (the copy's state), and its part of the module's signature (tagged with
        :data:`_TAG`, which plain data never holds); Unsupported when the copy may not
        hold it."""
        if kind is set and not value:
            copied[key] = set()
            return (_TAG, (set, ()))  # as _hashable writes an empty set
        if kind in _EMPTY_MAPS and not value:
            copied[key] = kind()
            return (_TAG, kind)
        if isinstance(value, torch.Tensor):
            copied[key] = sym = self._tensor(value)
            return (_TAG, _tensor_key(sym))
        if isinstance(value, torch.nn.Module):
            raise Unsupported("a module held outside the module tree")
        if (
            kind in (list, tuple)
            and value
            and all(t is None or isinstance(t, torch.Tensor) for t in value)
        ):  # recurrent layers keep their weights in a list too (_flat_weights)
            syms = [None if t is None else self._tensor(t) for t in value]
            copied[key] = kind(syms)
            return (_TAG, kind, tuple(map(_tensor_key, syms)))
        if kind is list and value and all(type(r) is weakref.ref for r in value):
            # ... and weak references to them (_flat_weight_refs)
            targets = [r() for r in value]
            if not all(isinstance(t, torch.Tensor) for t in targets):
                raise Unsupported("weak references to something else than tensors")
            syms = [self._tensor(t) for t in targets]
            copied[key] = [weakref.ref(sym) for sym in syms]
            return (_TAG, "weakref", tuple(map(_tensor_key, syms)))
        if _is_model_config(value):
            copied[key] = self._config_copy(value)
            return (_TAG, "config", id(value))
        if kind is types.MethodType and value.__self__ is module:
            # A method of the module itself, chosen when it was built (VideoPrism's GELU
            # keeps _gelu_python): the same function, bound to the copy.
            copied[key] = types.MethodType(value.__func__, self.memo[id(module)])
            return (_TAG, "method", value.__func__)
        copied[key] = _plain_value(value)
        return (_TAG, _hashable(copied[key]))

    def _forward(self, module: torch.nn.Module, forward: Any) -> Callable[..., Any]:
        bound = forward.__get__(module)
        direct = direct_call(type(module))  # a standard layer's rule, called directly

        def traced_forward(*args: Any, **kwargs: Any) -> Any:
            key = None
            signature = self.signatures.get(id(module))
            if signature is not None and self.reuse and self.stack:
                if not _unchanged(module.__dict__, self.pristine[id(module)]):
                    # Forward code wrote to it (or to one of its parents' calls did): its
                    # signature no longer says what it holds, and the calls around it
                    # are not records of modules as the copy made them.
                    self.taints += 1
                else:
                    inputs = inputs_key(args, kwargs)
                    if inputs is not None:
                        key = (signature, inputs)
                        found = self.recorded.get(key)
                        if found is not None and self._unchanged_below(module):
                            return self._replay(module, found, args)
            taints = self.taints
            self._pre_hook(module, args, kwargs)
            call = self.stack[-1]
            output = NOT_DIRECT
            if direct is not None and len(args) == 1 and not kwargs and type(args[0]) is SymTensor:
                output = direct(module, args[0], self._call_unmoded)
            if output is NOT_DIRECT:
                output = bound(*args, **kwargs)
            hooks = module._forward_hooks
            if module._forward_pre_hooks:  # registered by forward code: not run here
                raise Unsupported("a module with pre-forward hooks")
            if hooks:  # as Module.__call__ runs them, inside the call (their calls are its)
                with_kwargs = module._forward_hooks_with_kwargs
                for hook_id, hook in tuple(hooks.items()):
                    found = (
                        hook(module, args, kwargs, output)
                        if hook_id in with_kwargs
                        else hook(module, args, output)
                    )
                    if found is not None:
                        output = found
            self.stack.pop()
            call.outputs = _tree(output)
            if key is not None and self.taints == taints:
                spec = output_spec(output, args)
                if spec is not None and _self_contained(call):
                    self.recorded[key] = (call, spec)
            return output

        return traced_forward

    def _unchanged_below(self, module: torch.nn.Module) -> bool:
        """:func:`_unchanged` for every module below ``module``: a replay runs none of
        their forward code, so none of them may differ from the copy of the record's."""
        pending = list(module._modules.values())
        pristine = self.pristine
        while pending:
            child = pending.pop()
            if child is None:
                continue
            made = pristine.get(id(child))
            if made is None or not _unchanged(child.__dict__, made):
                return False
            pending += child._modules.values()
        return True

    def _pre_hook(self, module: torch.nn.Module, args: Any, kwargs: Any) -> None:
        # The general tracer's pre-hook, with SymTensors read directly.
        index = self.call_counts.get(id(module), 0)
        self.call_counts[id(module)] = index + 1
        self.called.add(id(module))
        call = self.describe(module, len(self.stack), index)
        inputs: list[Tree] = [_tree(a) for a in args]
        if kwargs:
            names = keyword_order(type(module), kwargs)
            inputs.append({k: _tree(kwargs[k]) for k in names if _has_tensor(kwargs[k])})
            # a dictionary holding tensors is written as its repr, each tensor as the
            # meta tensor it stands for (SymTensor.__repr__): as the meta tracer writes it
            # (Gemma 4's shared key/value states)
            options = {k: v for k, v in kwargs.items() if not _has_tensor(v)}
            call.options = {k: plain(v) for k, v in options.items()}
        call.inputs = tuple(inputs)
        (self.stack[-1].children if self.stack else self.roots).append(call)
        self.stack.append(call)

    def config(self, module: torch.nn.Module) -> dict[str, Any]:
        # Modules of one signature have the same class, settings and tensors: one config.
        signature = self.signatures.get(id(module))
        if signature is None:
            return module_config(module)
        found = self.configs.get(signature)
        if found is None:
            found = self.configs[signature] = module_config(module)
        return found

    def slots(self, module: torch.nn.Module, path: str) -> tuple[tuple[TensorSlot, ...], ...]:
        return self.module_slots[id(module)]  # made with the copy

    def _replay(self, module: torch.nn.Module, found: tuple[ModuleCall, Any], args: Any) -> Any:
        """A call alike one already traced (same structure, settings, tensor shapes and
        inputs): its record is copied onto this module and its descendants, without
        running the forward code again."""
        template, spec = found
        shift = len(self.stack) - template.depth
        start = len(template.path) + 1 if template.path else 0
        parts = self.parts.get(id(template))
        if parts is None:
            parts = self.parts[id(template)] = {}
        clone = self._clone(template, module, module, start, shift, parts)
        clone.replay_of = template
        self.stack[-1].children.append(clone)
        return rebuild(spec, args)

    def _clone(
        self,
        t: ModuleCall,
        target: torch.nn.Module,
        root: torch.nn.Module,
        start: int,
        shift: int,
        parts: dict[int, list[str]],
    ) -> ModuleCall:
        """``t`` recorded again for ``target``; its children's modules are found by their
        names under the replayed block ``root`` (``start``: where those names begin in the
        template's paths; ``parts``: those names, split once per template). A method, not a
        closure: a recursive closure is a reference cycle, left for the garbage collector,
        per replay."""
        index = self.call_counts.get(id(target), 0)
        self.call_counts[id(target)] = index + 1
        self.called.add(id(target))
        # Alike modules have one config (by signature), class and children: only the name
        # and the slots (which name their owners) are the target's own. The record is
        # shared, not copied: the template's call has returned, so nothing appends to its
        # list of functional calls any more, and a replayed call runs none of its own.
        params, buffers = self.module_slots[id(target)]
        call = ModuleCall(
            self.names[id(target)], t.op, id(target), t.depth + shift, index, t.config,
            params, buffers, t.is_leaf, t.class_module, t.bases, t.options, t.inputs,
            t.outputs, t.functions, own_forward=t.own_forward,
        )  # fmt: skip
        if t.children:
            children = call.children
            for child in t.children:
                inner = root
                names = parts.get(id(child))
                if names is None:
                    names = parts[id(child)] = child.path[start:].split(".")
                for part in names:
                    inner = inner._modules[part]  # type: ignore[assignment]
                children.append(self._clone(child, inner, root, start, shift, parts))
        return call

    def uncalled(self) -> list[ModuleCall]:
        # The copy named every module once, in named_modules' order: no second walk.
        return [
            self.describe(module, path.count(".") + 1 if path else 0, 0)
            for module, path in self.copies
            if id(module) not in self.called
        ]

    def release(self) -> None:
        """Empty the copies: each holds its traced forward, which holds the tracer and the
        copy, a cycle the garbage collector would have to walk. Emptied, the copy and the
        tracer are freed as soon as the trace is made, and the collector never sees them."""
        for module, _ in self.copies:
            module.__dict__.clear()
        self.memo.clear()
        self.mode = None  # which holds the tracer

    # -- functional calls -----------------------------------------------------------------
    def _call_unmoded(self, func: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        """:meth:`call` as torch makes it from a layer's forward code: with the tracer's
        function mode taken off the stack meanwhile (so a rule's own torch calls run as
        torch's). NOT_DIRECT when the mode is not on top: forward code has pushed a mode of
        its own, which its functional call would reach first."""
        mode = _pop_function_mode()
        try:
            if mode is not self.mode:
                return NOT_DIRECT
            return self.call(func, args, kwargs)
        finally:
            _push_function_mode(mode)

    def call(self, func: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        handler = HANDLERS.get(func)
        if handler is None:
            raise Unsupported(f"no shape rule for {getattr(func, '__name__', func)}")
        aten: list[Any] = []
        result = handler(args, kwargs, aten)
        if not self.stack:
            return result
        known = _NAMES.get(func)
        if known is None:
            known = _NAMES[func] = _record_name(func)
        name, shown = known
        if name and (aten or shown):
            shapes, small = _operands(args, kwargs)
            outputs = (result._shape,) if type(result) is SymTensor else tuple(_shapes(result, []))
            self.stack[-1].functions.append(FunctionCall(name, shapes, outputs, aten, small))
        return result


def _record_name(func: Any) -> tuple[str, bool]:
    """A function's name as the general tracer records it ("" for the dunder methods it
    leaves out), and whether its call is recorded without contractions too."""
    short = getattr(func, "__name__", "")
    if short.startswith("__") and short not in _DUNDER_SHOWN:
        return "", False
    name = function_name(func)
    return name, _shown(name)


class _SymbolicMode(TorchFunctionMode):
    """Sends every torch function called during the pass to the fast tracer's rules."""

    def __init__(self, tracer: FastTracer) -> None:
        super().__init__()
        self.tracer = tracer

    def __torch_function__(
        self,
        func: Callable[..., Any],
        types: Any,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> Any:
        return self.tracer.call(func, args, kwargs or {})


def symbolic_inputs(tensors: Any) -> Any:
    """Meta (or real) tensors in a nested structure → SymTensors of the same metadata."""
    if type(tensors) in _SYM_TYPES:  # already one (it refuses isinstance tests)
        return tensors
    if isinstance(tensors, torch.Tensor):
        return SymTensor(tensors.shape, tensors.dtype, tensors.stride())
    if isinstance(tensors, Mapping):
        return {k: symbolic_inputs(v) for k, v in tensors.items()}
    if isinstance(tensors, tuple) and hasattr(tensors, "_fields"):  # a named tuple
        return type(tensors)(*(symbolic_inputs(v) for v in tensors))
    if isinstance(tensors, (list, tuple)):
        return type(tensors)(symbolic_inputs(v) for v in tensors)
    return tensors


def fast_trace(
    model: torch.nn.Module,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    *,
    train: bool,
) -> ModuleTrace:
    """Trace ``model`` on SymTensors; raises :class:`Unsupported` (or whatever the forward
    code raised) when it cannot, and the caller falls back to the general tracer."""
    hooks = torch.nn.modules.module
    if any(getattr(hooks, h, None) for h in _GLOBAL_HOOKS):
        raise Unsupported("global module hooks are registered")
    tracer = FastTracer(model, train)
    sym_args = [symbolic_inputs(a) for a in args]
    sym_kwargs = {k: symbolic_inputs(v) for k, v in kwargs.items()}
    set_dispatch(tracer.call)
    tracer.mode = _SymbolicMode(tracer)
    try:
        with torch.no_grad(), tracer.mode:
            tracer.model(*sym_args, **sym_kwargs)
        if not tracer.roots:
            raise Unsupported("the model was not called as a module")
        if any(tracer.hook_dicts.values()):  # written past _NoHooks (dict.__setitem__)
            raise Unsupported("hooks registered by forward code")
        uncalled = tuple(tracer.uncalled())
    finally:
        set_dispatch(None)
        tracer.release()  # also when it gave up: the meta tracer runs next
    return ModuleTrace(
        root=tracer.roots[0],
        model_name=type(model).__name__,
        inputs=_tree([*sym_args, *sym_kwargs.values()]),
        parameters=tuple(tracer.parameters),
        buffers=tuple(tracer.buffers),
        uncalled=uncalled,
        traced_by="symbolic",
    )


__all__ = ["FastTracer", "fast_trace", "symbolic_inputs"]
