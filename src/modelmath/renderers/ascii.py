"""Plain ASCII for terminals and logs without Unicode: box drawing and tree lines become
``- | +``, math signs their ASCII spelling (``×`` → ``x``, ``⌊a⌋`` → ``floor(a)``), Greek
letters their names.

The formula printer writes ASCII formulas itself (``FormulaPrinter(ascii_only=True)``);
this covers the rest of a rendered text: the table's lines, the words that explain a
number, the notes.

>>> ascii_text("├─Conv2d: c1   params 448 = 16·3·3·3 + 16   kernel 3×3, γ and β")
'+-Conv2d: c1   params 448 = 16*3*3*3 + 16   kernel 3x3, gamma and beta'
"""

from __future__ import annotations

_TO_ASCII = str.maketrans(
    {c: "-" for c in "━─−–—"}
    | {c: "|" for c in "┃│"}
    | {c: "+" for c in "┏┳┓┡╇┩├┼┤└┴┘"}
    | {
        "×": "x",
        "·": "*",
        "…": "...",
        "⌊": "floor(",
        "⌋": ")",
        "⌈": "ceil(",
        "⌉": ")",
        "√": "sqrt",
        "Σ": "sum",
        "Π": "prod",
        "→": "->",
        "≈": "~",
        "≥": ">=",
        "≤": "<=",
        "±": "+/-",
        "²": "^2",
        "ᵀ": "^T",
        "⁰": "^0",
        "₁": "_1",
        "₂": "_2",
        "α": "alpha",
        "β": "beta",
        "γ": "gamma",
        "ε": "epsilon",
        "σ": "sigma",
        "▸": ">",
        "▾": "v",
        "▲": "^",
    }
)


def ascii_text(text: str) -> str:
    """``text`` with every character of modelmath's own output that is not ASCII
    replaced by its ASCII spelling."""
    return text.translate(_TO_ASCII)
