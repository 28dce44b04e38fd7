"""Formula printing by node class (the sympy ``_print_<Class>`` pattern).

A :class:`FormulaPrinter` writes an :class:`~modelmath.expr.Expr` either with its
symbols (``⌊(W − K)/S⌋ + 1``) or with the values put in (``⌊(150 − 3)/1⌋ + 1``).

>>> from modelmath.expr import Sym
>>> f = Sym("K", 3, "kernel") * Sym("F", 16, "filters") + Sym("F", 16, "filters")
>>> FormulaPrinter().values(f)
'3·16 + 16'
>>> FormulaPrinter().symbols(f)
'K·F + F'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from modelmath.expr import CeilDiv, Diff, Div, Expr, FloorDiv, Num, Prod, Sum, Sym

# Binding strength: a child binding more loosely than its parent needs brackets.
_SUM, _PROD, _ATOM = 1, 2, 3


@dataclass(frozen=True)
class Glyphs:
    times: str
    minus: str
    floor: tuple[str, str]
    ceil: tuple[str, str]


UNICODE = Glyphs("·", "−", ("⌊", "⌋"), ("⌈", "⌉"))
ASCII = Glyphs("*", "-", ("floor(", ")"), ("ceil(", ")"))


def format_number(x: float | int) -> str:
    """Write a number the way the tables do: integers plain, floats shortest."""
    if type(x) is int:
        return str(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


class FormulaPrinter:
    """Prints formulas; dispatches on the node's class name."""

    def __init__(self, ascii_only: bool = False) -> None:
        self.glyphs = ASCII if ascii_only else UNICODE
        self._with_values = False
        # Formulas are immutable and a model's repeated blocks share them: each is printed
        # once per printer. Keyed by id, holding the node so that its id stays its own.
        self._printed: dict[tuple[int, bool], tuple[Expr, str]] = {}
        self._methods: dict[type, Callable[[Any], tuple[str, int]]] = {}
        self._own_sym = type(self)._print_Sym is FormulaPrinter._print_Sym

    def symbols(self, expr: Expr) -> str:
        return self._top(expr, False)

    def values(self, expr: Expr) -> str:
        return self._top(expr, True)

    def _top(self, expr: Expr, with_values: bool) -> str:
        key = (id(expr), with_values)
        done = self._printed.get(key)
        if done is not None:
            return done[1]
        self._with_values = with_values
        text = self._print(expr)[0]
        self._printed[key] = (expr, text)
        return text

    # Each _print_X returns (text, binding strength).
    def _print(self, expr: Expr) -> tuple[str, int]:
        method = self._methods.get(type(expr))
        if method is None:
            method = self._methods[type(expr)] = getattr(self, f"_print_{type(expr).__name__}")
        result: tuple[str, int] = method(expr)
        return result

    def _wrapped(self, expr: Expr, at_least: int) -> str:
        kind = type(expr)
        if kind is Sym and self._own_sym:  # the usual leaf: an atom, never bracketed
            return format_number(expr.value) if self._with_values else expr.name  # type: ignore[attr-defined]
        text, strength = self._print(expr)
        return f"({text})" if strength < at_least else text

    def _print_Num(self, expr: Num) -> tuple[str, int]:
        return format_number(expr.value), _ATOM

    def _print_Sym(self, expr: Sym) -> tuple[str, int]:
        if self._with_values:
            return format_number(expr.value), _ATOM
        return expr.name, _ATOM

    def _print_Sum(self, expr: Sum) -> tuple[str, int]:
        return " + ".join([self._wrapped(t, _SUM) for t in expr.terms]), _SUM

    def _print_Diff(self, expr: Diff) -> tuple[str, int]:
        left = self._wrapped(expr.left, _SUM)
        right = self._wrapped(expr.right, _PROD)
        return f"{left} {self.glyphs.minus} {right}", _SUM

    def _print_Prod(self, expr: Prod) -> tuple[str, int]:
        return self.glyphs.times.join([self._wrapped(f, _PROD) for f in expr.factors]), _PROD

    def _fraction(self, num: Expr, den: Expr) -> str:
        return f"{self._wrapped(num, _ATOM)}/{self._wrapped(den, _ATOM)}"

    def _print_FloorDiv(self, expr: FloorDiv) -> tuple[str, int]:
        left, right = self.glyphs.floor
        return f"{left}{self._fraction(expr.num, expr.den)}{right}", _ATOM

    def _print_CeilDiv(self, expr: CeilDiv) -> tuple[str, int]:
        left, right = self.glyphs.ceil
        return f"{left}{self._fraction(expr.num, expr.den)}{right}", _ATOM

    def _print_Div(self, expr: Div) -> tuple[str, int]:
        # a·b/2 reads left to right as (a·b)/2: a product needs no brackets over a divisor.
        return f"{self._wrapped(expr.num, _PROD)}/{self._wrapped(expr.den, _ATOM)}", _PROD
