"""A traced PyTorch pass → :class:`ModuleSummary`: rules explain what the trace observed.

The meta-device pass is the ground truth for shapes; each standard layer's rule gives
the formulas, which are kept only when their numbers equal the pass's (a rule that
disagrees is reported, never trusted). Parameters are counted once, in the row of the
module where the model defines them (their first name in ``named_parameters``), and
only at that module's first call; a tied or repeated use is listed and marked.

>>> import torch, modelmath
>>> s = modelmath.summary(torch.nn.Linear(4, 2), input_size=(1, 4))
>>> s.totals.params.value, s.rows[0].params.expr.value
(10, 10)
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from math import prod
from typing import Any

from modelmath.costs import CostCall
from modelmath.errors import LayerError
from modelmath.expr import (
    DeferredQuantity,
    Expr,
    Num,
    Number,
    Quantity,
    Sym,
    product,
    total,
    total_value,
)
from modelmath.frontends.torch_module.records import (
    ModuleCall,
    ModuleTrace,
    TensorSlot,
    tree_shapes,
    tree_tensors,
)
from modelmath.gcpause import paused_gc
from modelmath.module_summary import (
    FunctionRow,
    ModuleRow,
    ModuleStatus,
    ModuleSummary,
    ModuleTotals,
    TensorRow,
)
from modelmath.rules import LayerCall, RuleResult, find_rule
from modelmath.rules.registry import Rule
from modelmath.torch_layer_macs import find_layer_cost
from modelmath.torch_macs import function_macs

_ZERO = Quantity(Num(0), "none")


def rule_for(call: ModuleCall) -> tuple[str, Rule] | None:
    """The rule of a torch.nn layer (or of the torch.nn class a custom one derives from).

    Only classes of ``torch.nn`` are looked up: a class elsewhere that happens to share a
    Keras name (transformers' ``Conv1D``) is not that layer.
    """
    names = [call.op] if call.class_module.startswith("torch.nn.") else []
    names += list(call.bases)
    for name in names:
        found = find_rule(f"torch.{name}") or find_rule(name)
        if found is not None:
            return name, found
    return None


def layer_call(call: ModuleCall, op: str) -> LayerCall:
    """What a rule sees of a module call: config, positional input shapes, options."""
    shapes: list[tuple[int | None, ...]] = []
    inputs = call.inputs if isinstance(call.inputs, tuple) else (call.inputs,)
    for arg in inputs:
        # Keyword tensors come last, in the order of the forward's parameters (see
        # tracer.keyword_order): as a positional call would give them.
        shapes.extend(t.shape for t in tree_tensors(arg))
    op_name = f"torch.{op}" if find_rule(f"torch.{op}") is not None else op
    return LayerCall(
        name=call.path or call.op,
        op=op_name,
        config=call.config,
        inputs=tuple(shapes),
        framework="torch",
        call_index=call.call_index,
        extra=dict(call.options),
    )


def _observed(call: ModuleCall) -> list[tuple[int, ...]]:
    return [t.shape for t in tree_tensors(call.outputs)]


def _apply_rule(
    call: ModuleCall, op: str, fn: Rule
) -> tuple[RuleResult | None, LayerCall | None, str]:
    """The rule's result (and what it saw) when its output shapes equal the traced ones;
    else a note saying how they differ. The rule's :class:`LayerError` is let through."""
    ctx = layer_call(call, op)
    result = fn(ctx)
    expected = _observed(call)
    got = [o.values for o in result.outputs]
    if not _agree(got, expected):
        return None, None, f"the {op} rule gives outputs {got}, the traced pass {expected}"
    return result, ctx, ""


def _agree(got: list[Any], expected: list[tuple[int, ...]]) -> bool:
    """The rule's shapes equal the traced ones, a ``None`` of the rule's (a size that is
    a tensor's value, not a shape: a packed sequence's batch) standing for any size."""
    if got == expected:  # nearly always: no walk needed
        return True
    return len(got) == len(expected) and all(
        len(g) == len(e) and all(a is None or a == b for a, b in zip(g, e))
        for g, e in zip(got, expected)
    )


def _layer_macs(ctx: LayerCall, result: RuleResult, traced: Quantity) -> Quantity:
    """The layer's own MAC formula (:mod:`modelmath.torch_layer_macs`) when it equals the
    traced contractions' count; the traced formula otherwise."""
    rule = find_layer_cost(ctx.op)
    if rule is None:
        return traced
    try:
        macs = rule(CostCall(ctx, result)).macs
    except LayerError:
        return traced
    return macs if macs.value == traced.value else traced


def _shape_formula(slot: TensorSlot) -> Expr:
    """A tensor a module holds without a rule: its count is the product of its shape."""
    if not slot.shape:
        return Num(1)
    return product(Num(d) for d in slot.shape)


@dataclass(frozen=True)
class _Work:
    """What a call's row takes from its rule and its functional calls.

    It depends only on the call's class, config, options, shapes and functional calls,
    never on its name, so calls alike (ResNet's repeated blocks, a transformer's layers)
    can share one: see :func:`_work_key`.
    """

    result: RuleResult | None
    note: str  # why the rule was not kept ("" when it was, or when there is none)
    functions: tuple[FunctionRow, ...]
    macs: Quantity
    weights: dict[str, Quantity]  # the rule's count of each weight, by local name
    status: ModuleStatus
    shareable: bool  # False when the note quotes the layer's name (a rule's error)


def _work(call: ModuleCall, *, called: bool = True) -> _Work:
    """The rule's result (for a call the pass ran), the functional calls and the MACs."""
    found = rule_for(call) if called else None
    result, ctx, note, shareable = None, None, "", True
    if found is not None:
        try:
            result, ctx, note = _apply_rule(call, *found)
        except LayerError as err:  # its message names the layer: not for other calls
            note, shareable = f"the {found[0]} rule could not be applied: {err}", False
        except Exception as err:  # a rule's own failure: said, never a traceback
            note = f"the {found[0]} rule failed: {type(err).__name__}: {err}"
            shareable = False
        if note and call.own_forward:
            # A subclass whose forward replaces the layer's: its rule explains the calls it
            # agrees with, and the others are observed, as a custom module's are.
            result, ctx, note, shareable = None, None, "", True
    functions = tuple(
        FunctionRow(f.name, f.inputs, f.outputs, function_macs(f), dict(f.args))
        for f in call.functions
    )
    mac_terms = [f.macs.expr for f in functions if f.macs.value]
    macs = Quantity(total(mac_terms), "the contractions this module runs itself")
    if result is not None and ctx is not None and macs.value:
        macs = _layer_macs(ctx, result, macs)
    weights = {w.name: Quantity(w.count, w.meaning) for w in result.weights} if result else {}
    status = ModuleStatus.COMPUTED if result else ModuleStatus.OBSERVED
    if note:
        status = ModuleStatus.DISAGREES
    return _Work(result, note, functions, macs, weights, status, shareable)


def _work_key(call: ModuleCall, inputs: Any, outputs: Any) -> bytes | None:
    """Everything :func:`_work` reads of ``call``, as bytes (``None`` when it cannot be
    pickled: such a call is worked out on its own).

    Pickled rather than hashed: configs hold lists and dicts, and pickle keeps apart
    what ``==`` merges (``1``, ``1.0`` and ``True``; ``0.0`` and ``-0.0``), which a rule
    may print differently. ``inputs`` and ``outputs`` are the call's shape trees (the
    rules see shapes, not dtypes).
    """
    functions = [
        (
            f.name,
            f.inputs,
            f.outputs,
            f.args,
            [(a.op, a.inputs, a.output, a.config) for a in f.aten],
        )
        for f in call.functions
    ]
    parts = (call.op, call.class_module, call.bases, call.config, call.options)
    try:
        return pickle.dumps((parts, inputs, outputs, functions), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an object pickle refuses: no sharing for this call
        return None


class _Rows:
    """Builds the rows in execution order; counts each unique tensor once.

    Within one :func:`summarize` (never across calls), the work of calls alike is done
    once (``works``), and so is the product formula of each tensor shape (``shapes``).
    """

    def __init__(self, trace: ModuleTrace) -> None:
        self.trace = trace
        self.counted: set[str] = set()  # qualified names already counted in a row
        self.rows: list[ModuleRow] = []
        self.notes: list[str] = []
        self.works: dict[bytes, _Work] = {}
        # The first call of each op and shapes, with its work, not yet keyed (see _work)
        self.firsts: dict[tuple[Any, ...], Any] = {}
        self.by_identity: dict[tuple[Any, ...], _Work] = {}
        self.shapes: dict[tuple[int, ...], Quantity] = {}
        self.trees: dict[int, tuple[Any, Any]] = {}
        self.quantities: dict[tuple[int, str], Quantity] = {}
        self.sums: dict[tuple[int, ...], tuple[list[Expr], Expr]] = {}
        self.zero: Expr = Num(0)  # shared: rows alike then share their working's memo key
        self.no_params = (Quantity(Num(0), _TRAINABLE), Quantity(Num(0), _FROZEN))
        self.spans: dict[int, tuple[int, int]] = {}  # id of a call → where its rows are

    def work(self, call: ModuleCall, inputs: Any, outputs: Any) -> _Work:
        # A call the symbolic tracer replayed holds the very objects of the call it copies:
        # found by identity, it needs no pickling (the trace keeps those objects alive).
        # (Its list of functional calls is the very list too: its id stands for them.)
        same = (call.op, call.class_module, id(call.config), id(call.options),
                id(call.inputs), id(call.outputs), id(call.functions))  # fmt: skip
        found = self.by_identity.get(same)
        if found is not None:
            return found
        found = self._work(call, inputs, outputs)
        if found.shareable:
            self.by_identity[same] = found
        return found

    def _work(self, call: ModuleCall, inputs: Any, outputs: Any) -> _Work:
        # Calls alike have the same op and shapes (the full key holds them too): most calls
        # are the only ones of their kind, and the full key, pickled, is made only once a
        # second call of a kind comes, for the first one as well.
        kind = (call.op, call.class_module, inputs, outputs)
        try:
            first = self.firsts.get(kind, call)
        except TypeError:  # shapes in a list or a dictionary: keyed at once
            return self._keyed(call, inputs, outputs)
        if first is call:
            found = _work(call)
            self.firsts[kind] = (call, inputs, outputs, found)
            return found
        if first is not None:
            self.firsts[kind] = None  # its calls are keyed from now on
            earlier, earlier_inputs, earlier_outputs, earlier_work = first
            earlier_key = _work_key(earlier, earlier_inputs, earlier_outputs)
            if earlier_key is not None and earlier_work.shareable:
                self.works[earlier_key] = earlier_work
        return self._keyed(call, inputs, outputs)

    def _keyed(self, call: ModuleCall, inputs: Any, outputs: Any) -> _Work:
        key = _work_key(call, inputs, outputs)
        if key is None:
            return _work(call)
        found = self.works.get(key)
        if found is None:
            found = _work(call)
            if found.shareable:
                self.works[key] = found
        return found

    def quantity(self, expr: Expr, why: str) -> Quantity:
        """``Quantity(expr, why)``, one per formula object and reason."""
        key = (id(expr), why)
        found = self.quantities.get(key)
        if found is None:
            found = self.quantities[key] = Quantity(expr, why)  # it keeps its formula's id
        return found

    def shapes_of(self, tree: Any) -> Any:
        """``tree_shapes(tree)``, made once per tree object: a replayed call holds the very
        trees of the call it copies, and a row's output is often the next row's input."""
        found = self.trees.get(id(tree))
        if found is None:
            found = self.trees[id(tree)] = (tree, tree_shapes(tree))  # the tree keeps its id
        return found[1]

    def sum_of(self, terms: list[Expr]) -> Expr:
        """``total(terms)``, made once per list of the same terms: calls alike count the
        same weight formulas, and then show the same sum (written once by a renderer)."""
        if len(terms) < 2:
            return total(terms)
        key = tuple(map(id, terms))  # the value holds the terms: their ids stay theirs
        found = self.sums.get(key)
        if found is None:
            found = self.sums[key] = (terms, total(terms))
        return found[1]

    def tensors(
        self, call: ModuleCall, slots: Sequence[TensorSlot], weights: dict[str, Quantity]
    ) -> tuple[list[TensorRow], list[Expr]]:
        """A row per tensor, and the counts of those counted in this row (first calls
        only, each tensor at most once, in the module where the model defines it)."""
        rows: list[TensorRow] = []
        counted: list[Expr] = []
        path, first_call = call.path, call.call_index == 0
        done, shapes = self.counted, self.shapes
        for slot in slots:
            name, shape = slot.name, slot.shape
            qualified = f"{path}.{name}" if path else name
            # The rule's formula for the tensor where it gives its size; its shape's
            # otherwise (one per shape: its value is the tensor's size).
            count = shapes.get(shape)
            if count is None:
                count = shapes[shape] = Quantity(_shape_formula(slot), f"a tensor of shape {shape}")
            w = weights.get(name)
            if w is not None and w.expr.value == count.expr.value:
                count = w
            here = first_call and slot.owner == qualified and qualified not in done
            if here:
                done.add(qualified)
                counted.append(count.expr)
            row = TensorRow(
                name, qualified, shape, count, slot.requires_grad, slot.is_buffer,
                slot.dtype, slot.owner, here,
            )  # fmt: skip
            rows.append(row)
        return rows, counted

    def split(self, params: list[TensorRow]) -> tuple[Quantity, Quantity]:
        """The trainable and frozen parameters counted in a row."""
        if not params:  # most rows: one pair of zeros serves them all
            return self.no_params
        train = [t.count.expr for t in params if t.counted_here and t.trainable]
        frozen = [t.count.expr for t in params if t.counted_here and not t.trainable]
        # One Quantity per formula: rows alike count the very same formulas.
        return (
            self.quantity(self.sum_of(train) if train else self.zero, _TRAINABLE),
            self.quantity(self.sum_of(frozen) if frozen else self.zero, _FROZEN),
        )

    def build(self, call: ModuleCall, *, called: bool = True) -> tuple[Number, Number]:
        """Append rows for ``call`` and its children; return its subtree's params and MACs."""
        if call.replay_of is not None:
            span = self.spans.get(id(call.replay_of))
            if span is not None:
                again = self.again(call, span)
                if again is not None:
                    return again
        if called:
            inputs, outputs = self.shapes_of(call.inputs), self.shapes_of(call.outputs)
            work = self.work(call, inputs, outputs)
        else:
            inputs = outputs = None
            work = _work(call, called=False)
        result = work.result
        if work.note:
            self.notes.append(f"{call.path or call.op}: {work.note}")
        params: list[TensorRow] = []
        buffers: list[TensorRow] = []
        own = self.zero
        if call.params:
            params, counted = self.tensors(call, call.params, work.weights)
            own = self.sum_of(counted)
        if call.buffers:
            buffers, _ = self.tensors(call, call.buffers, work.weights)
            self.counted.update(b.qualified for b in buffers)  # apart, in the totals only
        index = len(self.rows)
        self.rows.append(None)  # type: ignore[arg-type]  # filled in below, after children
        if call.children:
            # Their values now, their formulas (a term per child) when read.
            under_params: list[tuple[str, Number]] = []
            under_macs: list[tuple[str, Number]] = []
            for child in call.children:
                p, m = self.build(child)
                if p:
                    under_params.append((child.path, p))
                if m:
                    under_macs.append((child.path, m))
            macs_here = work.macs.expr
            p_values = [own.value] if own.value else []
            m_values = [macs_here.value] if macs_here.value else []
            subtree_params: Quantity = DeferredQuantity(
                total_value(p_values + [p for _, p in under_params]),
                _SUBTREE,
                functools.partial(_under, own, under_params, "parameters"),
            )
            subtree_macs: Quantity = DeferredQuantity(
                total_value(m_values + [m for _, m in under_macs]),
                _SUBTREE,
                functools.partial(_under, macs_here, under_macs, "MACs"),
            )
        else:  # a leaf's subtree is itself (a zero is Num(0), as total() of no terms)
            macs = work.macs.expr
            subtree_params = self.quantity(own if own.value else self.zero, _SUBTREE)
            subtree_macs = self.quantity(macs if macs.value else self.zero, _SUBTREE)
        trainable, non_trainable = self.split(params)
        note = _reuse_note(call, params, called) if params or call.call_index or not called else ""
        self.rows[index] = ModuleRow(
            call.path, call.op, call.depth, call.call_index, inputs, outputs,
            result.outputs if result else (),
            self.quantity(own, result.params_why if result else _own_words(params)),
            trainable, non_trainable, result.params_why if result else "",
            tuple(params), tuple(buffers), work.macs, subtree_params, subtree_macs,
            work.functions, work.status, call.is_leaf, called, note,
        )  # fmt: skip  (positional: a row per module call, in ModuleRow's field order)
        if called:
            self.spans[id(call)] = (index, len(self.rows))
        return subtree_params.value, subtree_macs.value

    def again(self, call: ModuleCall, span: tuple[int, int]) -> tuple[Number, Number] | None:
        """The rows of a call the symbolic tracer replayed, made from those of the call it
        copies (``span``: where they are): the very work, shapes and counts, under this
        call's names. They are what :meth:`build` would make, which the checks ensure:
        each tensor is counted here as it was there, none is tied, no rule disagreed.
        None when a check fails, and :meth:`build` makes them instead."""
        template = iter(self.rows[span[0] : span[1]])
        rows: list[ModuleRow] = []
        counted: list[str] = []
        try:
            found = self._again(call, call.replay_of, template, rows, counted)
        except _Differs:
            return None
        self.rows += rows
        self.counted.update(counted)
        return found

    def _again(
        self, call: ModuleCall, like: ModuleCall | None, template: Iterator[ModuleRow],
        rows: list[ModuleRow], counted: list[str],
    ) -> tuple[Number, Number]:  # fmt: skip
        """One call of a replayed subtree (``like``: the template's call in its place, whose
        row ``template`` gives next), then its children."""
        r = next(template, None)
        if (
            r is None
            or like is None
            or r.path != like.path
            or r.status is ModuleStatus.DISAGREES
            or r.call_index != call.call_index
            or len(call.children) != len(like.children)
            # The very records :meth:`work` is found by: the template's work is this one's.
            or call.op != like.op
            or call.class_module != like.class_module
            or call.config is not like.config
            or call.options is not like.options
            or call.inputs is not like.inputs
            or call.outputs is not like.outputs
            or call.functions is not like.functions
        ):
            raise _Differs
        first = call.call_index == 0
        params = self._tensors_again(call, call.params, r.weights, first, counted, False)
        buffers = self._tensors_again(call, call.buffers, r.buffers, first, counted, True)
        index = len(rows)
        rows.append(None)  # type: ignore[arg-type]  # filled in below, after children
        subtree_params, subtree_macs = r.subtree_params, r.subtree_macs
        if call.children:
            under_params: list[tuple[str, Number]] = []
            under_macs: list[tuple[str, Number]] = []
            for child, child_like in zip(call.children, like.children):
                p, m = self._again(child, child_like, template, rows, counted)
                if p:
                    under_params.append((child.path, p))
                if m:
                    under_macs.append((child.path, m))
            subtree_params = DeferredQuantity(
                subtree_params.value,
                _SUBTREE,
                functools.partial(_under, r.params.expr, under_params, "parameters"),
            )
            subtree_macs = DeferredQuantity(
                subtree_macs.value,
                _SUBTREE,
                functools.partial(_under, r.macs.expr, under_macs, "MACs"),
            )
        rows[index] = ModuleRow(
            call.path, r.op, call.depth, call.call_index, r.inputs, r.outputs,
            r.output_formulas, r.params, r.trainable, r.non_trainable, r.params_why,
            params, buffers, r.macs, subtree_params, subtree_macs, r.functions, r.status,
            r.is_leaf, True, r.note,
        )  # fmt: skip
        return subtree_params.value, subtree_macs.value

    def _tensors_again(
        self, call: ModuleCall, slots: Sequence[TensorSlot], template: Sequence[TensorRow],
        first: bool, counted: list[str], is_buffer: bool,
    ) -> tuple[TensorRow, ...]:  # fmt: skip
        """:meth:`tensors` for a replayed call: the template's counts, this call's names;
        _Differs unless each is counted here exactly as it was in the template, untied."""
        if len(slots) != len(template):
            raise _Differs
        if not slots:
            return ()
        path, done = call.path, self.counted
        rows = []
        for slot, t in zip(slots, template):
            name = slot.name
            qualified = f"{path}.{name}" if path else name
            here = first and qualified not in done
            if (
                slot.owner != qualified  # tied: its note names the original
                or t.counted_at != t.qualified
                or here != t.counted_here
                or name != t.name
                or slot.requires_grad != t.trainable
            ):
                raise _Differs
            if here or is_buffer:
                counted.append(qualified)
            rows.append(
                TensorRow(name, qualified, slot.shape, t.count, slot.requires_grad,
                          slot.is_buffer, slot.dtype, slot.owner, here)
            )  # fmt: skip
        return tuple(rows)


class _Differs(Exception):
    """A replayed call's rows differ from its template's by more than names."""


def _under(own: Expr, children: list[tuple[str, Number]], what: str) -> Expr:
    """A subtree's count: the module's own (when not zero), then each child's subtree."""
    terms = [own] if own.value else []
    terms += [Sym(path, n, f"{what} under {path}") for path, n in children]
    return total(terms)


_TRAINABLE = "parameters with requires_grad=True"
_FROZEN = "parameters with requires_grad=False"
_SUBTREE = "this module and the modules below it"


def _reuse_note(call: ModuleCall, params: list[TensorRow], called: bool) -> str:
    """Why a row's parameters are counted elsewhere (tied, or a repeated call), if so."""
    tied = [t for t in params if t.counted_at != t.qualified]
    if tied:
        return "; ".join(f"{t.name} is {t.counted_at} (counted there)" for t in tied)
    if call.call_index:
        return f"call {call.call_index + 1} of a module listed above: parameters counted there"
    return "" if called else "not called as a module by the forward pass"


def _place_uncalled(rows: list[ModuleRow]) -> tuple[ModuleRow, ...]:
    """Rows of modules the pass never ran, moved under their parent (after its subtree):
    MultiheadAttention's out_proj is used by functional code, never called as a module."""
    called = [r for r in rows if r.called]
    if len(called) == len(rows):  # most models: every module ran
        return tuple(rows)
    for row in (r for r in rows if not r.called):
        # A container never called whose modules were (a parametrized weight's
        # ModuleDict): listed just before the first of them.
        inside = next((i for i, r in enumerate(called) if r.path.startswith(f"{row.path}.")), None)
        if inside is not None:
            called.insert(inside, row)
            continue
        parent = row.path.rsplit(".", 1)[0] if "." in row.path else ""
        at = next((i for i, r in enumerate(called) if r.path == parent), None)
        if at is None:
            called.append(row)
            continue
        end = at + 1
        while end < len(called) and called[end].depth > called[at].depth:
            end += 1
        called.insert(end, row)
    return tuple(called)


def _own_words(params: Sequence[TensorRow]) -> str:
    if not params:
        return "no parameters of its own"
    return ", ".join(f"{t.name} {t.shape}" for t in params)


def _bytes(slots: Sequence[TensorSlot], what: str) -> Quantity:
    from modelmath.analysis import dtype_bits

    by_dtype: dict[str, int] = {}
    for s in slots:
        by_dtype[s.dtype] = by_dtype.get(s.dtype, 0) + prod(s.shape)  # s.numel, in C
    terms = [
        Sym(f"n_{d}", n, f"{d} {what}")
        * Sym(f"b_{d}", max(dtype_bits(d) // 8, 1), f"bytes per {d}")
        for d, n in by_dtype.items()
    ]
    return Quantity(
        total(terms), "; ".join(f"{d}: {dtype_bits(d) // 8} bytes each" for d in by_dtype)
    )


# The totals' formulas, written when read (picklable: module-level functions).
def _trainable(rows: list[ModuleRow]) -> Expr:
    return total(
        Sym(r.path or r.op, r.trainable.value, f"trainable parameters of {r.path}") for r in rows
    )


def _frozen(rows: list[ModuleRow]) -> Expr:
    return total(
        Sym(r.path or r.op, r.non_trainable.value, f"frozen parameters of {r.path}") for r in rows
    )


def _params_formula(train: list[ModuleRow], frozen: list[ModuleRow]) -> Expr:
    parts = [e for e in (_trainable(train), _frozen(frozen)) if e.value]
    return total(parts) if parts else Num(0)


def _buffers(buffers: list[TensorRow]) -> Expr:
    return total(Sym(b.qualified, b.count.value, "buffer") for b in buffers)


def _macs(rows: list[ModuleRow]) -> Expr:
    return total(Sym(r.path or r.op, r.macs.value, f"MACs of {r.path or r.op}") for r in rows)


def summarize(
    trace: ModuleTrace, *, depth: int = 3, columns: Sequence[str] | None = None
) -> ModuleSummary:
    """The ModuleSummary of a traced pass."""
    rows = _Rows(trace)
    rows.build(trace.root)
    for call in trace.uncalled:
        rows.build(call, called=False)
    all_rows = _place_uncalled(rows.rows)
    # The totals' values now; their formulas (a term per row, hundreds of them) when read.
    train: list[ModuleRow] = []
    frozen: list[ModuleRow] = []
    buffers: list[TensorRow] = []
    with_macs: list[ModuleRow] = []
    for r in all_rows:
        if r.trainable.value:
            train.append(r)
        if r.non_trainable.value:
            frozen.append(r)
        if r.buffers:
            buffers += [b for b in r.buffers if b.counted_here and b.count.value]
        if r.macs.value:
            with_macs.append(r)
    t_value = total_value([r.trainable.value for r in train])
    f_value = total_value([r.non_trainable.value for r in frozen])
    totals = ModuleTotals(
        params=DeferredQuantity(
            total_value([v for v in (t_value, f_value) if v]),
            "trainable + non-trainable, each parameter once",
            functools.partial(_params_formula, train, frozen),
        ),
        trainable=DeferredQuantity(
            t_value, "sum of the rows' trainable parameters", functools.partial(_trainable, train)
        ),
        non_trainable=DeferredQuantity(
            f_value, "sum of the rows' frozen parameters", functools.partial(_frozen, frozen)
        ),
        buffers=DeferredQuantity(
            total_value([b.count.value for b in buffers]),
            "buffers (running statistics, masks…), apart",
            functools.partial(_buffers, buffers),
        ),
        macs=DeferredQuantity(
            total_value([r.macs.value for r in with_macs]),
            "sum of the rows' MACs (children's included once)",
            functools.partial(_macs, with_macs),
        ),
        param_bytes=_bytes(trace.parameters, "parameters"),
        buffer_bytes=_bytes(trace.buffers, "buffer elements"),
    )
    return ModuleSummary(
        name=trace.model_name,
        rows=all_rows,
        totals=totals,
        inputs=tree_shapes(trace.inputs),
        notes=(*trace.notes, *rows.notes),
        depth=depth,
        columns=module_columns(columns),
    )


# Keras-side column names the torch table understands, and torchinfo's.
_COLUMN_ALIASES = {
    "shape": "output",
    "output_size": "output",
    "input_size": "input",
    "num_params": "params",
    "mult_adds": "macs",
}
_COLUMNS = ("input", "output", "params", "trainable", "macs")
_TORCHINFO_ONLY = {  # torchinfo's columns modelmath does not have, and where to look
    "kernel_size": "each layer's formula lines show its kernel",
    "groups": "each convolution's parameter formula shows its groups",
    "params_percent": "the Param # column and the total give the share",
}


def module_columns(columns: Sequence[str] | None) -> tuple[str, ...]:
    """The columns asked for, by modelmath's or torchinfo's names; unknown ones refused."""
    if not columns:
        return ModuleSummary.columns
    if isinstance(columns, str):  # "params" or "shape,params", as the CLI takes them
        columns = [c.strip() for c in columns.split(",") if c.strip()]
    out = []
    for c in columns:
        name = _COLUMN_ALIASES.get(c, c)
        if name not in _COLUMNS:
            from modelmath.errors import UsageError

            other = _TORCHINFO_ONLY.get(c)
            raise UsageError(
                f"torchinfo's {c} column is not one of modelmath's ({other})"
                if other
                else f"unknown column {c!r} for a PyTorch model",
                received=", ".join(columns),
                fix=f"Use {', '.join(_COLUMNS)}",
            )
        out.append(name)
    return tuple(out)


def _check_module(model: Any, depth: Any, mode: Any) -> None:
    """Refuse what no trace can read, before tracing: a compiled TorchScript module (its
    forward is TorchScript, not Python code modules are called from), a bad depth or
    mode."""
    from modelmath.errors import UsageError

    if mode not in ("eval", "train"):
        raise UsageError(
            "mode is the mode the model runs in for the trace",
            received=repr(mode),
            fix='Pass mode="eval" (the default, as torchinfo) or mode="train"',
        )

    if type(depth) is not int or depth < 0:
        raise UsageError(
            "depth is how many levels of nested modules the table shows",
            received=repr(depth),
            fix="Pass an int ≥ 0 (0: the model's row only; the default is 3)",
        )
    import torch

    if isinstance(model, torch.jit.ScriptModule):
        raise UsageError(
            "a TorchScript module (torch.jit.script or torch.jit.trace) runs compiled code "
            "that modelmath cannot trace",
            received=type(model).__name__,
            fix="Summarize the torch.nn.Module you scripted, before torch.jit.script()",
        )


@paused_gc
def summary_of_module(
    model: Any,
    *,
    input_size: Sequence[Any] | None = None,
    input_data: Any = None,
    dtypes: Sequence[Any] | None = None,
    depth: int = 3,
    columns: Sequence[str] | None = None,
    forward_kwargs: dict[str, Any] | None = None,
    mode: str = "eval",
    batch_dim: int | None = None,
    ascii_only: bool = False,
    hide_reused: bool = False,
) -> ModuleSummary:
    """Trace ``model`` from shapes alone (symbolically, or on the meta device) and
    summarize it; ``mode`` is the mode the copy runs in, "eval" (as torchinfo's default)
    or "train" (the model's own flag is left as it is); ``batch_dim`` adds a batch axis
    of 1 to the inputs (torchinfo's setting); ``ascii_only``: its text is plain ASCII;
    ``hide_reused``: its table leaves out the rows of modules' later calls.

    The cyclic garbage collector is paused meanwhile (and restored as it was): the call
    makes many small objects that all stay alive until it returns, and a full collection
    triggered by them would walk the whole model, real weights included, for nothing.
    """
    from modelmath.frontends.torch_module import trace

    _check_module(model, depth, mode)
    traced = trace(
        model,
        input_size=input_size,
        input_data=input_data,
        dtypes=dtypes,
        forward_kwargs=forward_kwargs,
        train=mode == "train",
        batch_dim=batch_dim,
    )
    found = summarize(traced, depth=depth, columns=columns)
    if ascii_only or hide_reused:
        found = replace(found, ascii_only=ascii_only, hide_reused=hide_reused)
    return found


__all__ = ["layer_call", "rule_for", "summarize", "summary_of_module"]
