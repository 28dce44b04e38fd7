"""A small SVG diagram of the layer graph, with each edge labelled by the tensor's shape.

Layers are placed in rows by depth (longest path from an input), so a chain reads top to
bottom and branches sit side by side. Pure string building: no layout library needed.

>>> import modelmath
>>> svg = graph_svg(modelmath.summary("examples/seed_config.json"))   # doctest: +SKIP
>>> svg.startswith("<svg")                                            # doctest: +SKIP
True
"""

from __future__ import annotations

from html import escape

from modelmath.model_summary import Row, Summary
from modelmath.renderers.table import keras_shape

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 190, 38, 30, 46, 12
LABEL_CHAR_W = 6.1  # a 10px monospace character (the .shape style), with some room
NODE_CHARS = 25  # characters of a name that fit in a node; longer ones end in "…"


def _fit(text: str) -> str:
    return text if len(text) <= NODE_CHARS else text[: NODE_CHARS - 1] + "…"


def _depths(rows: tuple[Row, ...]) -> dict[str, int]:
    """Longest-path depth of each row; rows come in an order where inputs precede users."""
    depth: dict[str, int] = {}
    for row in rows:
        parents = [depth[r.layer] for r in row.connected_to if r.layer in depth]
        depth[row.name] = 1 + max(parents) if parents else 0
    return depth


def _out_label(row: Row, tensor: int) -> str:
    if tensor < len(row.outputs):
        return keras_shape(row.outputs[tensor].values)
    return "?"


def graph_svg(summary: Summary) -> str:
    """The layer graph of ``summary`` as an inline SVG element."""
    rows = summary.rows
    depth = _depths(rows)
    levels: dict[int, list[Row]] = {}
    for row in rows:
        levels.setdefault(depth[row.name], []).append(row)
    width_nodes = max((len(v) for v in levels.values()), default=1)
    pos: dict[str, tuple[int, int]] = {}
    for level, members in levels.items():
        for i, row in enumerate(members):
            pos[row.name] = (MARGIN + i * (NODE_W + GAP_X), MARGIN + level * (NODE_H + GAP_Y))
    width = MARGIN * 2 + width_nodes * (NODE_W + GAP_X) - GAP_X
    height = MARGIN * 2 + (max(levels, default=0) + 1) * (NODE_H + GAP_Y) - GAP_Y
    by_name = {r.name: r for r in rows}
    parts: list[str] = []
    for row in rows:
        x2, y2 = pos[row.name]
        for ref in row.connected_to:
            if ref.layer not in pos:
                continue
            x1, y1 = pos[ref.layer]
            ax, ay = x1 + NODE_W // 2, y1 + NODE_H
            bx, by = x2 + NODE_W // 2, y2
            parts.append(f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" class="edge"/>')
            label = _out_label(by_name[ref.layer], ref.tensor)
            label_x = (ax + bx) // 2 + 4
            # Shapes are wider than the gap beside a chain: grow the canvas to show them whole.
            width = max(width, label_x + round(len(label) * LABEL_CHAR_W) + MARGIN)
            parts.append(
                f'<text x="{label_x}" y="{(ay + by) // 2 + 4}" class="shape">'
                f"{escape(label)}</text>"
            )
    for row in rows:
        x, y = pos[row.name]
        parts.append(
            f'<g class="node"><title>{escape(row.name)} ({escape(row.op)})</title>'
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
            f'<text x="{x + 8}" y="{y + 16}" class="name">{escape(_fit(row.name))}</text>'
            f'<text x="{x + 8}" y="{y + 31}" class="op">{escape(_fit(row.op))}</text></g>'
        )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="Layer graph of {escape(summary.name)}">'
    )
    return head + "".join(parts) + "</svg>"
