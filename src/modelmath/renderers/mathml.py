"""Formulas as MathML, which browsers render natively (no script, no network).

Same class dispatch as :class:`~modelmath.renderers.printer.FormulaPrinter`.

>>> from modelmath.expr import Sym
>>> MathMLPrinter().values(Sym("K_h", 3, "kernel height") * 2)
'<mn>3</mn><mo>·</mo><mn>2</mn>'
"""

from __future__ import annotations

from html import escape

from modelmath.expr import CeilDiv, Diff, Div, Expr, FloorDiv, Num, Prod, Sum, Sym
from modelmath.renderers.printer import format_number

_SUM, _PROD, _ATOM = 1, 2, 3


class MathMLPrinter:
    """Prints an Expr as presentation MathML (the inside of a ``<math>`` element)."""

    def __init__(self) -> None:
        self._with_values = False

    def symbols(self, expr: Expr) -> str:
        self._with_values = False
        return self._print(expr)[0]

    def values(self, expr: Expr) -> str:
        self._with_values = True
        return self._print(expr)[0]

    def _print(self, expr: Expr) -> tuple[str, int]:
        method = getattr(self, f"_print_{type(expr).__name__}")
        result: tuple[str, int] = method(expr)
        return result

    def _wrapped(self, expr: Expr, at_least: int) -> str:
        text, strength = self._print(expr)
        if strength < at_least:
            return f"<mrow><mo>(</mo>{text}<mo>)</mo></mrow>"
        return text

    def _print_Num(self, expr: Num) -> tuple[str, int]:
        return f"<mn>{format_number(expr.value)}</mn>", _ATOM

    def _print_Sym(self, expr: Sym) -> tuple[str, int]:
        if self._with_values:
            return f"<mn>{format_number(expr.value)}</mn>", _ATOM
        return symbol_mathml(expr.name), _ATOM

    def _print_Sum(self, expr: Sum) -> tuple[str, int]:
        return "<mo>+</mo>".join(self._wrapped(t, _SUM) for t in expr.terms), _SUM

    def _print_Diff(self, expr: Diff) -> tuple[str, int]:
        left = self._wrapped(expr.left, _SUM)
        right = self._wrapped(expr.right, _PROD)
        return f"{left}<mo>−</mo>{right}", _SUM

    def _print_Prod(self, expr: Prod) -> tuple[str, int]:
        return "<mo>·</mo>".join(self._wrapped(f, _PROD) for f in expr.factors), _PROD

    def _fraction(self, num: Expr, den: Expr) -> str:
        return (
            f"<mfrac><mrow>{self._print(num)[0]}</mrow><mrow>{self._print(den)[0]}</mrow></mfrac>"
        )

    def _print_FloorDiv(self, expr: FloorDiv) -> tuple[str, int]:
        return f"<mrow><mo>⌊</mo>{self._fraction(expr.num, expr.den)}<mo>⌋</mo></mrow>", _ATOM

    def _print_CeilDiv(self, expr: CeilDiv) -> tuple[str, int]:
        return f"<mrow><mo>⌈</mo>{self._fraction(expr.num, expr.den)}<mo>⌉</mo></mrow>", _ATOM

    def _print_Div(self, expr: Div) -> tuple[str, int]:
        return self._fraction(expr.num, expr.den), _ATOM


def symbol_mathml(name: str) -> str:
    """``K_h`` → K with subscript h; other names as identifiers."""
    base, _, sub = name.partition("_")
    mi = (
        f'<mi mathvariant="normal">{escape(base)}</mi>'
        if len(base) > 1
        else f"<mi>{escape(base)}</mi>"
    )
    if sub:
        return f"<msub>{mi}<mi>{escape(sub)}</mi></msub>"
    return mi


def math(inner: str, display: bool = False) -> str:
    """Wrap MathML content in a ``<math>`` element."""
    mode = ' display="block"' if display else ""
    return f"<math{mode}>{inner}</math>"
