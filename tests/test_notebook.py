"""Notebooks: results render as HTML tables, and examples/tour.ipynb runs in a real kernel.

The tour runs in ipykernel's ``python3`` kernel, written into a temporary directory for this
interpreter (``sys.executable``) and put first on ``JUPYTER_PATH``: a fresh virtual
environment may not have registered a kernel, and one registered elsewhere may run another
Python without paymodel.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

import paymodel as pm

ROOT = Path(__file__).resolve().parents[1]
TOUR = ROOT / "examples" / "tour.ipynb"


def rows_of(markup: str) -> list[list[str]]:
    """The cells of every body row of every table, unescaped."""
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", markup, re.DOTALL))
    return [
        [html.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_result_html_is_its_table() -> None:
    markup = pm.compute(pm.builtin("independent-90"))._repr_html_()
    assert markup.startswith("<table>")
    assert "<caption>independent-90: point estimate</caption>" in markup
    rows = rows_of(markup)
    assert rows[0] == ["take_home_monthly_usd", "$200"]
    assert ["regime_revenue_usd", "$237,600,000"] in rows
    assert rows[-1] == ["layer state treasury", "$237,600,000"]


def test_comparison_html_has_the_table_and_the_claims() -> None:
    markup = pm.compare(["independent-90", "nis-estimate"])._repr_html_()
    rows = rows_of(markup)
    assert rows[0][:2] == ["independent-90", "$200"]
    assert rows[1][:2] == ["nis-estimate", "$0"]
    # independent-90 has distributions: its simulated row, then the claims table.
    assert rows[2][0] == "independent-90"
    assert rows[2][1] == "$200"  # its take-home does not move: the median, no interval
    assert rows[3][0] == "independent-90"
    assert "PAY-02?" in rows[3][2]  # an unverified claim keeps its mark


def test_simulation_explanation_timeline_and_scenario_render() -> None:
    span = pm.builtin("span-sources")
    sim = pm.simulate(span, 1000, seed=1)
    assert rows_of(sim._repr_html_())[0][0] == "take_home_monthly_usd"
    explanation = rows_of(pm.explain(span)._repr_html_())
    assert explanation[0][0] == "pay.gross_monthly_usd"
    assert ["soldier_months", "S = H·M = 13,000 × 12 = 156,000"] in explanation
    line = rows_of(pm.timeline(pm.builtin("casualty-aware"))._repr_html_())
    # 0.0165 × 11,000 = 181.5 deaths a month, shown as whole people: 182; 11,000 + 181.5 arrive.
    assert line[0][:4] == ["1", "11,000", "182", "11,182"]
    assert line[-1][:4] == ["total", "", "1,997", "12,997"]  # 11 × 181.5 = 1,996.5 → 1,997
    scenario = rows_of(span._repr_html_())
    assert scenario[0] == [
        "pay.gross_monthly_usd",
        "lognormal(p5 1500, p95 2500)",
        "PAY-01 PAY-04 PAY-06",
    ]
    assert [
        "diversion.0.share (state treasury)",
        "choice(0.9, 1)",
        "PAY-03 PAY-11",
    ] in scenario


def test_html_escapes_every_text() -> None:
    s = pm.builtin("independent-90").evolve(title="<script>alert(1)</script> & co")
    for markup in (s._repr_html_(), pm.compare([s])._repr_html_(), pm.explain(s)._repr_html_()):
        assert "<script>" not in markup
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in markup


# -- the tour notebook ---------------------------------------------------------------------------


def _outputs(cell: dict[str, Any]) -> list[dict[str, Any]]:
    return list(cell.get("outputs", []))


@pytest.fixture
def python3_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """ipykernel's python3 kernel spec for this interpreter, first on JUPYTER_PATH."""
    from ipykernel.kernelspec import write_kernel_spec

    write_kernel_spec(tmp_path / "kernels" / "python3")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's paths, without its warning
    # Jupyter's and IPython's own folders in the test's, not the home folder: a HOME that
    # cannot be written (a CI user's) made IPython warn, and warnings are errors here.
    for name in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return "python3"


def test_tour_notebook_runs_and_shows_tables(python3_kernel: str) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(TOUR, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    # The committed notebook has no outputs: every one below comes from running it now.
    assert all(not _outputs(c) for c in notebook.cells if c.cell_type == "code")
    client = NotebookClient(
        notebook,
        kernel_name=python3_kernel,
        timeout=300,
        resources={"metadata": {"path": str(TOUR.parent)}},
    )
    client.execute()  # raises CellExecutionError on any error in a cell
    code = [c for c in notebook.cells if c.cell_type == "code"]
    html_outputs = [
        o["data"]["text/html"]
        for c in code
        for o in _outputs(c)
        if o["output_type"] in ("execute_result", "display_data") and "text/html" in o["data"]
    ]
    # compare, the scenario, its result, its timeline, the simulation and a DataFrame.
    assert len(html_outputs) == 6
    assert all("<table" in markup for markup in html_outputs)
    assert "casualty-aware" in html_outputs[0]
    assert "span-sources" in html_outputs[0]
    assert ["deployment.monthly_death_rate", "0.0165", "CAS-15"] in rows_of(html_outputs[1])
    assert ["regime_revenue_usd", "$271,705,500"] in rows_of(html_outputs[2])
    assert rows_of(html_outputs[3])[-1][0] == "total"
    assert "20,000 samples" in html_outputs[4]
    assert "regime_revenue_per_year_usd" in html_outputs[5]  # pandas' own table
    images = [o for c in code for o in _outputs(c) if "image/png" in o.get("data", {})]
    assert len(images) == 1  # the histogram
    errors = [
        o["text"]
        for c in code
        for o in _outputs(c)
        if o["output_type"] == "stream" and o["name"] == "stderr"
    ]
    assert not [text for text in errors if "Warning" in text or "Traceback" in text], errors
    # The notebook file stays valid JSON with its kernel named.
    assert (
        json.loads(TOUR.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"] == "python3"
    )
