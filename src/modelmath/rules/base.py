"""What a rule sees (:class:`LayerCall`) and what it returns (:class:`RuleResult`).

Rules are pure functions of a layer's config and its input shapes; they never see a
framework object.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from modelmath.errors import LayerError
from modelmath.expr import Expr, Num, Sym, product
from modelmath.fastinit import fast_frozen_init
from modelmath.graph import Shape


@fast_frozen_init
@dataclass(frozen=True)
class OutputShape:
    """An output shape whose dimensions are formulas (``None`` where unknown)."""

    dims: tuple[Expr | None, ...]
    axes: tuple[str, ...] = ()  # a word per dimension: "batch", "height", …
    why: str = ""  # the settings that decided it, e.g. "padding='valid', strides=1"
    values: Shape = field(init=False, repr=False, compare=False)  # the dims' numbers

    def __post_init__(self) -> None:
        values = tuple([None if d is None else int(d.value) for d in self.dims])
        self.__dict__["values"] = values


@fast_frozen_init
@dataclass(frozen=True)
class Weight:
    """One weight tensor of a layer, by the framework's own name for it."""

    name: str
    shape: tuple[Expr, ...]
    trainable: bool = True
    meaning: str = ""
    dtype: str | None = None  # None: the layer's variable dtype
    count: Expr = field(init=False, repr=False, compare=False)  # product of the shape

    def __post_init__(self) -> None:
        # Built once: rows, totals and byte sizes all read it.
        self.__dict__["count"] = product(self.shape)


@fast_frozen_init
@dataclass(frozen=True)
class RuleResult:
    outputs: tuple[OutputShape, ...]
    weights: tuple[Weight, ...] = ()
    params_why: str = ""


@fast_frozen_init
@dataclass(frozen=True)
class LayerCall:
    """One layer applied to inputs of known shapes: the whole input of a rule."""

    name: str
    op: str
    config: Mapping[str, Any]
    inputs: tuple[Shape, ...]
    framework: str = "keras"
    call_index: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    # -- config access --------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        value = self.config.get(key, default)
        return default if value is None else value

    def integer(self, key: str, default: int | None = None) -> int:
        """A config entry that must be an int (an axis, say): a float, a string or a bool
        is refused, as Keras refuses it, never rounded.

        >>> LayerCall("d", "Dense", {"axis": -1}, ((None, 4),)).integer("axis")
        -1
        """
        raw = self.get(key, default)
        found = as_int(raw)
        if found is None:
            raise self.error(f"`{key}` must be an int", received=f"{key}={raw!r}")
        return found

    def positive_int(self, key: str, default: int | None = None) -> int:
        """A config entry that must be an int of at least 1 (units, filters, heads).

        >>> try:
        ...     LayerCall("d", "Dense", {"units": 0}, ((None, 4),)).positive_int("units")
        ... except LayerError as err:
        ...     print(err)
        Layer 'd': Dense `units` must be a positive int. Received: units=0.
        """
        raw = self.get(key, default)
        found = as_int(raw)
        if found is None or found < 1:
            raise self.error(f"`{key}` must be a positive int", received=f"{key}={raw!r}")
        return found

    def int_tuple(
        self,
        key: str,
        rank: int,
        default: int | Sequence[int] | None = None,
        *,
        positive: bool = False,
    ) -> tuple[int, ...]:
        """A config entry that Keras accepts as an int or a tuple of ``rank`` ints (each at
        least 1 when ``positive``: kernel sizes, strides, dilations, pool sizes)."""
        found = self._int_tuple(key, rank, default)
        if positive and min(found, default=1) < 1:
            raise self.error(
                f"`{key}` must be positive ints", received=f"{key}={self.config.get(key)!r}"
            )
        return found

    def _int_tuple(
        self, key: str, rank: int, default: int | Sequence[int] | None
    ) -> tuple[int, ...]:
        raw = self.config.get(key, default)
        if raw is None:
            raw = default
        kind = type(raw)
        if kind is int:
            return (raw,) * rank
        if (kind is list or kind is tuple) and len(raw) == rank:  # the usual [3, 3]
            for v in raw:
                if type(v) is not int:
                    break
            else:
                return tuple(raw)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return (raw,) * rank
        if isinstance(raw, (list, tuple)) and all(isinstance(v, int) for v in raw):
            if len(raw) == 1 and rank > 1:
                return (int(raw[0]),) * rank
            if len(raw) == rank:
                return tuple(int(v) for v in raw)
        raise self.error(f"`{key}` must be an int or a tuple of {rank} ints", received=repr(raw))

    def axes(self, raw: Any, key: str, rank: int) -> list[int]:
        """``raw`` (an int or a list of ints, from setting ``key``) as axes of a rank-``rank``
        input, each counted from 0, in the order given; an axis out of range, not an int or
        named twice is refused.

        >>> LayerCall("n", "LayerNormalization", {}, ((None, 4, 6),)).axes([-1, 1], "axis", 3)
        [2, 1]
        """
        found = [as_int(a) for a in raw] if isinstance(raw, (list, tuple)) else [as_int(raw)]
        out = []
        for a in found:
            if a is None or not -rank <= a < rank:
                raise self.error(
                    f"`{key}` must be axes of a rank-{rank} input", received=f"{key}={raw!r}"
                )
            out.append(a % rank)
        if len(set(out)) != len(out):
            raise self.error(f"`{key}` names an axis twice", received=f"{key}={raw!r}")
        return out

    def option(self, key: str, default: Any = None) -> Any:
        """A non-tensor keyword argument of the call (``return_attention_scores=True``)."""
        options = self.extra.get("options") or {}
        return options.get(key, default)

    def arguments(self) -> tuple[list[Shape], dict[str, Shape]]:
        """Input shapes split into positional ones and those passed by keyword (the first
        tensor of each keyword: ``key=`` for attention, masks are told apart by name)."""
        roles = tuple(self.extra.get("roles") or ())
        if len(roles) != len(self.inputs):
            return list(self.inputs), {}
        positional = [s for s, r in zip(self.inputs, roles) if not r]
        named: dict[str, Shape] = {}
        for shape, role in zip(self.inputs, roles):
            if role:
                named.setdefault(role, shape)
        return positional, named

    # -- inputs ---------------------------------------------------------------------
    @property
    def shape(self) -> Shape:
        """The single input's shape; an error when the layer got several."""
        if len(self.inputs) != 1:
            raise self.error(f"{self.op} takes one input", received=f"{len(self.inputs)} inputs")
        return self.inputs[0]

    def require_rank(self, rank: int | Sequence[int], what: str = "") -> Shape:
        shape = self.shape
        ranks = (rank,) if isinstance(rank, int) else tuple(rank)
        if len(shape) not in ranks:
            want = " or ".join(f"{r}-D" for r in ranks)
            raise self.error(
                f"{self.op} expects a {want} input{what}", received=f"input {fmt_shape(shape)}"
            )
        return shape

    def known(self, value: int | None, what: str) -> int:
        """A dimension a weight depends on: it must be known."""
        if value is None:
            first = self.shape if len(self.inputs) == 1 else self.inputs[0]
            raise self.error(
                f"{self.op} needs a known {what} to create its weights",
                received=f"input {fmt_shape(first)}",
                fix="Give the input a fixed size on that axis",
            )
        return value

    def error(
        self, message: str, *, received: str | None = None, fix: str | None = None
    ) -> LayerError:
        return LayerError(
            f"{self.op} {message}" if not message.startswith(self.op) else message,
            layer=self.name,
            received=received,
            fix=fix,
        )


def as_int(value: Any) -> int | None:
    """``value`` when it is an integer (a NumPy one too), else None: a bool, a float or a
    string is not one, as Keras's own checks say.

    >>> as_int(3), as_int(3.0), as_int(True), as_int("3")
    (3, None, None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def fmt_shape(shape: Sequence[int | None]) -> str:
    """Write a shape as Keras does: ``(None, 148, 148, 16)``.

    >>> fmt_shape((None, 3))
    '(None, 3)'
    """
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    if len(shape) == 1:
        inner += ","
    return f"({inner})"


def sym(name: str, value: int | None, meaning: str) -> Expr | None:
    """A named symbol, or ``None`` for an unknown dimension."""
    return None if value is None else Sym(name, value, meaning)


def keep(value: int | None, name: str, meaning: str) -> Expr | None:
    """A dimension passed through unchanged, named so the explanation can say which."""
    return sym(name, value, meaning)


def num(value: int) -> Expr:
    return Num(value)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 bias``, ``16 biases``: counts read as English.

    >>> plural(1, "bias", "biases"), plural(16, "filter")
    ('1 bias', '16 filters')
    """
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n} {word}"


class NoStaticFormula(LayerError):
    """A layer whose numbers cannot be worked out from its config (a Lambda without
    ``output_shape``). Analysis treats it like a layer without a rule: the file's stated
    shapes are kept, and this message says what the user can pass instead."""
