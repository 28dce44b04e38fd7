"""A real notebook execution: a Jupyter kernel imports modelmath and displays a summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from project_paths import EXAMPLES


def test_summary_displays_as_html_in_a_real_notebook(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="runs a real notebook")
    nbclient = pytest.importorskip("nbclient", reason="runs a real notebook")
    pytest.importorskip("ipykernel", reason="the notebook's Python kernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import modelmath\ns = modelmath.summary({str(EXAMPLES / 'seed.keras')!r})\ns"
        ),
        nbformat.v4.new_code_cell("print(s.rows[1].params.value)"),
    ]
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    shown = nb.cells[0].outputs[0]["data"]
    assert "text/html" in shown and "text/plain" in shown
    html = shown["text/html"]
    assert 'data-value="448"' in html and "<math" in html and "<details" in html
    assert nb.cells[1].outputs[0]["text"].strip() == "448"
    (tmp_path / "executed.ipynb").write_text(nbformat.writes(nb))
