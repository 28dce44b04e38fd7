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
        # The class's _print_X functions, not bound methods: bound ones held here would
        # make the printer a reference cycle, and every formula it printed would wait in
        # memory for the garbage collector instead of going with the printer.
        self._methods: dict[type, Callable[[Any, Any], tuple[str, int]]] = {}
        # Symbols and numbers are written in line (_wrapped, _wrapped_all) unless a
        # subclass prints them its own way.
        self._own_leaves = (
            type(self)._print_Sym is FormulaPrinter._print_Sym
            and type(self)._print_Num is FormulaPrinter._print_Num
        )

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
        return self._method(type(expr))(self, expr)

    def _method(self, kind: type) -> Callable[[Any, Any], tuple[str, int]]:
        method = self._methods.get(kind)
        if method is None:
            method = self._methods[kind] = getattr(type(self), f"_print_{kind.__name__}")
        return method

    def _wrapped(self, expr: Expr, at_least: int) -> str:
        kind = type(expr)
        if self._own_leaves and (kind is Sym or kind is Num):  # atoms: never bracketed
            if kind is Sym and not self._with_values:
                name: str = expr.name  # type: ignore[attr-defined]
                return name
            value = expr.value
            return str(value) if type(value) is int else format_number(value)
        # _print without its call: this runs for every node of every formula printed
        method = self._methods.get(kind) or self._method(kind)
        text, strength = method(self, expr)
        return f"({text})" if strength < at_least else text

    def _wrapped_all(self, children: tuple[Expr, ...], at_least: int) -> list[str]:
        """``[self._wrapped(c, at_least) for c in children]`` with the atoms written
        here: most parts of sums and products are symbols and numbers, and a call costs
        more than their text."""
        if not self._own_leaves:
            return [self._wrapped(c, at_least) for c in children]
        names = not self._with_values
        texts = []
        for child in children:
            kind = type(child)
            if kind is not Sym and kind is not Num:
                texts.append(self._wrapped(child, at_least))
            elif names and kind is Sym:
                texts.append(child.name)  # type: ignore[attr-defined]
            else:
                value = child.value
                texts.append(str(value) if type(value) is int else format_number(value))
        return texts

    def _print_Num(self, expr: Num) -> tuple[str, int]:
        return format_number(expr.value), _ATOM

    def _print_Sym(self, expr: Sym) -> tuple[str, int]:
        if self._with_values:
            return format_number(expr.value), _ATOM
        return expr.name, _ATOM

    def _print_Sum(self, expr: Sum) -> tuple[str, int]:
        return " + ".join(self._wrapped_all(expr.terms, _SUM)), _SUM

    def _print_Diff(self, expr: Diff) -> tuple[str, int]:
        left = self._wrapped(expr.left, _SUM)
        right = self._wrapped(expr.right, _PROD)
        return f"{left} {self.glyphs.minus} {right}", _SUM

    def _print_Prod(self, expr: Prod) -> tuple[str, int]:
        return self.glyphs.times.join(self._wrapped_all(expr.factors, _PROD)), _PROD

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
