"""Derived values: numbers that remember the formula they were computed from.

An :class:`Expr` is a small immutable tree. Its ``value`` is evaluated from the tree
when the node is built, so the number and the formula can never disagree.

>>> W = Sym("W", 150, "input width")
>>> K = Sym("K", 3, "kernel width")
>>> out = (W - K) // Num(1) + 1
>>> out.value
148
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from modelmath.fastinit import fast_frozen_init

Number = int | float


class Expr:
    """Base class of every formula node.

    Nodes are never changed after they are built (nothing in modelmath assigns to them);
    they are slotted, not frozen, dataclasses because a model builds thousands of them
    and frozen construction costs about three times as much.
    """

    __slots__ = ()
    value: Number

    @property
    def children(self) -> tuple[Expr, ...]:
        return ()

    def walk(self) -> Iterator[Expr]:
        """Yield this node and all nodes below it, depth first."""
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def symbols(self) -> list[Sym]:
        """The distinct symbols of this formula, in order of first appearance."""
        seen: dict[str, Sym] = {}
        for node in self.walk():
            if isinstance(node, Sym) and node.name not in seen:
                seen[node.name] = node
        return list(seen.values())

    @property
    def is_leaf(self) -> bool:
        return not self.children

    # Operators build trees; plain ints are lifted to Num.
    def __add__(self, other: Expr | int) -> Expr:
        return Sum((self, lift(other)))

    def __radd__(self, other: int) -> Expr:
        return Sum((lift(other), self))

    def __sub__(self, other: Expr | int) -> Expr:
        return Diff(self, lift(other))

    def __rsub__(self, other: int) -> Expr:
        return Diff(lift(other), self)

    def __mul__(self, other: Expr | int) -> Expr:
        return Prod((self, lift(other)))

    def __rmul__(self, other: int) -> Expr:
        return Prod((lift(other), self))

    def __floordiv__(self, other: Expr | int) -> Expr:
        return FloorDiv(self, lift(other))

    def __int__(self) -> int:
        return int(self.value)


def lift(x: Expr | int | float) -> Expr:
    """Return ``x`` as an Expr, wrapping plain numbers in :class:`Num`."""
    if isinstance(x, Expr):
        return x
    return Num(x)


@dataclass(slots=True, eq=False)
class Num(Expr):
    """A literal number that has no name (the 1 in ``… + 1``)."""

    value: Number

    is_leaf = True  # a constant: a number has no children


@dataclass(slots=True, eq=False)
class Sym(Expr):
    """A named quantity with its value and what it means.

    >>> Sym("F", 16, "filters").value
    16
    """

    name: str
    value: Number
    meaning: str = ""

    is_leaf = True  # a constant: a symbol has no children


@dataclass(slots=True, eq=False, init=False)
class Sum(Expr):
    """n-ary addition."""

    terms: tuple[Expr, ...]
    value: Number

    def __init__(self, terms: tuple[Expr, ...]) -> None:
        self.terms = terms
        # sum() starts from 0; so does the two-term case (0 + -0.0 is 0.0, as in sum()).
        if len(terms) == 2:
            self.value = 0 + terms[0].value + terms[1].value
        else:
            self.value = sum([t.value for t in terms])

    @property
    def children(self) -> tuple[Expr, ...]:
        return self.terms


@dataclass(slots=True, eq=False, init=False)
class Diff(Expr):
    """Subtraction ``left − right``."""

    left: Expr
    right: Expr
    value: Number

    def __init__(self, left: Expr, right: Expr) -> None:
        self.left = left
        self.right = right
        self.value = left.value - right.value

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(slots=True, eq=False, init=False)
class Prod(Expr):
    """n-ary multiplication."""

    factors: tuple[Expr, ...]
    value: Number

    def __init__(self, factors: tuple[Expr, ...]) -> None:
        self.factors = factors
        self.value = math.prod([f.value for f in factors])

    @property
    def children(self) -> tuple[Expr, ...]:
        return self.factors


@dataclass(slots=True, eq=False, init=False)
class FloorDiv(Expr):
    """``⌊num / den⌋``."""

    num: Expr
    den: Expr
    value: Number

    def __init__(self, num: Expr, den: Expr) -> None:
        self.num = num
        self.den = den
        a, b = num.value, den.value
        # Integer floor division stays exact for sizes beyond 2**53.
        self.value = a // b if isinstance(a, int) and isinstance(b, int) else math.floor(a / b)

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.num, self.den)


@dataclass(slots=True, eq=False, init=False)
class CeilDiv(Expr):
    """``⌈num / den⌉``."""

    num: Expr
    den: Expr
    value: Number

    def __init__(self, num: Expr, den: Expr) -> None:
        self.num = num
        self.den = den
        self.value = -((-num.value) // den.value)

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.num, self.den)


@dataclass(slots=True, eq=False, init=False)
class Div(Expr):
    """Exact division ``num / den`` (bytes to KiB, for example)."""

    num: Expr
    den: Expr
    value: Number

    def __init__(self, num: Expr, den: Expr) -> None:
        self.num = num
        self.den = den
        a, b = num.value, den.value
        # Keep integers integral: C_in/groups is a count, not a float.
        exact = isinstance(a, int) and isinstance(b, int) and b != 0 and a % b == 0
        self.value = a // b if exact else a / b

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.num, self.den)


def total(parts: Iterable[Expr]) -> Expr:
    """Sum of ``parts``; a single part is returned as it is, none gives ``Num(0)``.

    >>> total([Num(2), Num(3)]).value
    5
    """
    items = tuple(parts)
    if not items:
        return Num(0)
    if len(items) == 1:
        return items[0]
    return Sum(items)


def total_value(values: list[Number]) -> Number:
    """The value :func:`total` gives terms of these values, computed as it computes it
    (no term: 0; one: itself; two: ``0 + a + b``; more: ``sum``).

    >>> total_value([2, 3]), total([Num(2), Num(3)]).value, total_value([])
    (5, 5, 0)
    """
    if len(values) == 2:
        return 0 + values[0] + values[1]
    if len(values) == 1:
        return values[0]
    return sum(values)


def product(parts: Iterable[Expr]) -> Expr:
    """Product of ``parts``; a single part is returned as it is, none gives ``Num(1)``.

    >>> product([Num(2), Num(3)]).value
    6
    """
    items = tuple(parts)
    if not items:
        return Num(1)
    if len(items) == 1:
        return items[0]
    return Prod(items)


@fast_frozen_init
@dataclass(frozen=True, eq=False)
class Quantity:
    """One printed number: its formula and a one-line reason in words.

    >>> q = Quantity(Sym("F", 16, "filters") * 3, "three per filter")
    >>> q.value
    48
    """

    expr: Expr
    why: str = ""

    @property
    def value(self) -> Number:
        return self.expr.value

    @property
    def is_trivial(self) -> bool:
        """True when the formula is a bare symbol or number: nothing to explain."""
        return self.expr.is_leaf


class DeferredQuantity(Quantity):
    """A :class:`Quantity` whose value is known now and whose formula is written when it
    is first read: a sum over hundreds of rows, which a table prints as a number only.
    ``write`` must build the formula of that very value (see :func:`total_value`).

    >>> q = DeferredQuantity(5, "two parts", lambda: total([Num(2), Num(3)]))
    >>> q.value, q.expr.value, q.why
    (5, 5, 'two parts')
    """

    def __init__(self, value: Number, why: str, write: Callable[[], Expr]) -> None:
        state = self.__dict__  # frozen, as Quantity: fields set as its own __init__ sets them
        state["why"] = why
        state["_value"] = value
        state["_write"] = write

    @property
    def value(self) -> Number:
        return self._value  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold yet
        if name != "expr" or "_write" not in self.__dict__:
            raise AttributeError(name)
        expr = self.__dict__["expr"] = self.__dict__.pop("_write")()
        return expr

    def __reduce__(self) -> tuple[Any, ...]:
        return (Quantity, (self.expr, self.why))  # pickled and copied as a plain Quantity

