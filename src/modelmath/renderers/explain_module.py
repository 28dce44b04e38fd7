"""``--explain MODULE`` for PyTorch: one module's numbers, each with its formula, the
symbols' meanings, the values put in and the result (the Keras paragraph's twin).

>>> import torch, modelmath
>>> net = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3))
>>> s = modelmath.summary(net, input_size=(1, 3, 150, 150))
>>> print(explain_module(s, "0").splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
0 is a Conv2d module. It takes [1, 3, 150, 150] and gives [1, 16, 148, 148], with 448
parameters: kernel 3×3 × 3 in-channels × 16 filters, + 16 biases.
"""

from __future__ import annotations

from modelmath.errors import UsageError
from modelmath.module_summary import ModuleRow, ModuleStatus, ModuleSummary, TensorRow
from modelmath.renderers.explain import formula_block, output_lines
from modelmath.renderers.module_table import shape_text
from modelmath.renderers.printer import FormulaPrinter, format_number


def find_row(summary: ModuleSummary, name: str) -> ModuleRow:
    """The first row of the module whose nested name is ``name``, or else whose name ends
    with ``.name`` when only one module's does (``conv1`` for ``features.conv1``)."""
    for row in summary.rows:
        if row.path == name:
            return row
    paths = list(dict.fromkeys(r.path for r in summary.rows if r.path.endswith(f".{name}")))
    if len(paths) == 1:
        return summary.row(paths[0])
    names = ", ".join(paths[:8]) + (" …" if len(paths) > 8 else "")
    raise UsageError(
        f"model '{summary.name}' has no module named '{name}'"
        + (f"; it has several ending so: {names}" if paths else ""),
        received=name,
        fix="Give the nested name as the table's first column shows it (layer1.0.conv1)",
    )


def _sentence(row: ModuleRow) -> str:
    name = row.path or "The model"
    text = f"{name} is a {row.op} module. It takes {shape_text(row.inputs)} and gives "
    text += shape_text(row.outputs)
    if row.params.value:
        text += f", with {int(row.params.value):,} parameters"
        if row.params_why:
            text += f": {row.params_why}"
    elif not row.is_leaf and row.subtree_params.value:
        text += f"; the modules under it hold {int(row.subtree_params.value):,} parameters"
    return text + "."


def _shape_section(row: ModuleRow, printer: FormulaPrinter) -> list[str]:
    if row.status is not ModuleStatus.COMPUTED or not row.output_formulas:
        return [
            f"Output {shape_text(row.outputs)}: as the traced pass produced it "
            + (
                "(the rule's shapes differ: see the note)"
                if row.status is ModuleStatus.DISAGREES
                else f"(modelmath has no shape formula for {row.op})"
            )
        ]
    return output_lines(row.output_formulas, printer, shape_text, "(a tensor's value: as traced)")


def _tensor_lines(t: TensorRow, printer: FormulaPrinter) -> list[str]:
    head = f"  {t.name} {list(t.shape)} {t.dtype}"
    if not t.is_buffer:
        head += ", trainable" if t.trainable else ", frozen (requires_grad=False)"
    if not t.counted_here:
        return [f"{head}: counted at {t.counted_at}"]
    why = t.count.why.removeprefix("buffer: ")  # the section says they are buffers
    lines = [head + (f": {why}" if why else "")]
    if t.count.expr.is_leaf:
        return [*lines, f"    n = {format_number(t.count.value)}"]
    return lines + formula_block("n", t.count.expr, printer)


def _params_section(row: ModuleRow, printer: FormulaPrinter) -> list[str]:
    if not row.weights:
        if row.is_leaf:
            return ["Parameters: 0 (no weights)"]
        return [
            f"Parameters under it: {int(row.subtree_params.value):,}",
            *formula_block("params", row.subtree_params.expr, printer),
        ]
    lines = [f"Parameters: {int(row.params.value):,}" + (f"  ({row.note})" if row.note else "")]
    for t in row.weights:
        lines += _tensor_lines(t, printer)
    counted = [t for t in row.weights if t.counted_here]
    if len(counted) > 1:
        parts = " + ".join(format_number(t.count.value) for t in counted)
        lines.append(f"  total: {parts} = {format_number(row.params.value)}")
    lines.append(
        f"  trainable {format_number(row.trainable.value)}, "
        f"frozen {format_number(row.non_trainable.value)}"
    )
    return lines


def _buffers_section(row: ModuleRow, printer: FormulaPrinter) -> list[str]:
    if not row.buffers:
        return []
    lines = ["Buffers (state the module keeps, not parameters):"]
    for t in row.buffers:
        lines += _tensor_lines(t, printer)
    return lines


def _macs_section(row: ModuleRow, printer: FormulaPrinter) -> list[str]:
    counted = [f for f in row.functions if f.macs.value]
    if not row.macs.value:
        lines = ["MACs: 0 (no matrix products or convolutions of its own)"]
        if row.subtree_macs.value:
            lines.append(f"MACs under it: {int(row.subtree_macs.value):,}")
            lines += formula_block("MACs", row.subtree_macs.expr, printer)
        return lines
    lines = [f"MACs: {int(row.macs.value):,}  ({row.macs.why})"]
    if not row.macs.expr.is_leaf:
        lines += formula_block("MACs", row.macs.expr, printer)
    for f in counted:
        ins = ", ".join(shape_text(s) for s in f.inputs)
        lines.append(f"  {f.name} on {ins} → {', '.join(shape_text(s) for s in f.outputs)}")
        if len(counted) > 1 and not f.macs.expr.is_leaf:
            lines += formula_block("MACs", f.macs.expr, printer)
    lines.append("FLOPs ≈ 2 × MACs")
    return lines


def explain_module(summary: ModuleSummary, name: str, *, ascii_only: bool = False) -> str:
    """A paragraph explaining every number of module ``name`` (its first call)."""
    text = _explain_module(summary, name, ascii_only)
    if ascii_only:
        from modelmath.renderers.ascii import ascii_text

        text = ascii_text(text)
    return text


def _explain_module(summary: ModuleSummary, name: str, ascii_only: bool) -> str:
    row = find_row(summary, name)
    printer = FormulaPrinter(ascii_only=ascii_only)
    if not row.called:
        return (
            f"{row.path} is a {row.op} module that the forward pass never called, so it has "
            f"no shapes; its parameters ({int(row.params.value):,}) are counted from their "
            "shapes.\n"
        )
    sections = [
        [_sentence(row)],
        _shape_section(row, printer),
        _params_section(row, printer) + _buffers_section(row, printer),
        _macs_section(row, printer),
    ]
    return "\n\n".join("\n".join(s) for s in sections if s).rstrip() + "\n"
