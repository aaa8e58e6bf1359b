"""Every ``to_frame()``: its index, columns and values; a missing extra names the install."""

from __future__ import annotations

import json
import math
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import paymodel as pm
from paymodel._optional import EXTRAS, require
from paymodel.kernel import FLOW_NAMES, OUTPUT_NAMES
from paymodel.simulate import STATISTICS


def test_result_frame_is_every_output_then_every_layer() -> None:
    result = pm.compute(pm.builtin("in-kind-credit"))
    frame = result.to_frame()
    assert frame.index.name == "output"
    assert list(frame.columns) == ["value"]
    assert list(frame.index) == [*OUTPUT_NAMES, "layer:in kind", "layer:state treasury"]
    for name in OUTPUT_NAMES:
        assert frame.loc[name, "value"] == result.outputs[name]
    for layer in result.layers:
        assert frame.loc[f"layer:{layer.name}", "value"] == layer.revenue_usd


def test_comparison_frame_has_a_row_per_scenario_and_a_column_per_layer() -> None:
    comparison = pm.compare(["independent-90", "worker-quota", "in-kind-credit"])
    frame = comparison.to_frame()
    assert frame.index.name == "scenario"
    assert list(frame.index) == ["independent-90", "worker-quota", "in-kind-credit"]
    # One recipient, one name: worker-quota's quota goes to the same "state treasury".
    layers = [
        "layer:state treasury",
        "layer:lodging and food",
        "layer:in kind",
    ]
    assert list(frame.columns) == ["title", *OUTPUT_NAMES, *layers]
    for scenario, result in zip(comparison.scenarios, comparison.results, strict=True):
        row = frame.loc[scenario.name]
        assert row["title"] == scenario.title
        assert [row[name] for name in OUTPUT_NAMES] == [result.outputs[n] for n in OUTPUT_NAMES]
        own = {f"layer:{x.name}": x.revenue_usd for x in result.layers}
        for column in layers:
            if column in own:
                assert row[column] == own[column]
            else:
                assert math.isnan(row[column])  # the scenario has no such layer


def test_simulation_frame_of_statistics_and_of_samples() -> None:
    s = pm.builtin("span-sources")
    sim = pm.simulate(s, 2_000, seed=5, keep_samples=True)
    frame = sim.to_frame()
    assert frame.index.name == "output"
    assert list(frame.index) == [*OUTPUT_NAMES, "layer:state treasury"]
    assert list(frame.columns) == list(STATISTICS)
    for name in frame.index:
        assert frame.loc[name].to_dict() == sim.statistics(name)
    samples = sim.to_frame(samples=True)
    assert samples.index.name == "sample"
    assert list(samples.index) == list(range(2_000))
    uncertain = list(s.uncertain_inputs())
    assert list(samples.columns) == [*OUTPUT_NAMES, "layer:state treasury", *uncertain]
    for name in [*OUTPUT_NAMES, "layer:state treasury"]:
        assert np.array_equal(samples[name].to_numpy(), sim.values(name))
    for path in uncertain:
        assert np.array_equal(samples[path].to_numpy(), sim.input_values(path))
    # Streaming statistics (samples not kept) are the same shape; samples=True needs samples.
    streaming = pm.simulate(s, 2_000, seed=5)
    assert streaming.to_frame().shape == frame.shape
    with pytest.raises(ValueError, match="samples were not kept"):
        streaming.to_frame(samples=True)


def test_explanation_frames_of_inputs_and_steps() -> None:
    explanation = pm.explain(pm.builtin("span-sources"))
    inputs = explanation.to_frame()
    assert inputs.index.name == "path"
    assert list(inputs.columns) == ["given", "value", "claims", "assumption", "reason"]
    assert list(inputs.index) == [x.path for x in explanation.inputs]
    assert inputs.loc["deployment.troops", "value"] == 13_000  # uniform(11,000, 15,000)
    assert inputs.loc["deployment.troops", "claims"] == "DEP-09 DEP-11 DEP-15"
    assert not inputs.loc["deployment.troops", "assumption"]
    assert inputs.loc["deployment.tour_months", "assumption"]  # uncited, with its reason:
    assert inputs.loc["deployment.tour_months", "reason"].startswith("Derived: PAY-02's")
    steps = explanation.to_frame("steps")
    assert steps.index.name == "step"
    assert list(steps.columns) == ["arithmetic"]
    assert steps.loc["soldier_months", "arithmetic"] == "S = H·M = 13,000 × 12 = 156,000"
    assert len(steps) == len(explanation.steps)
    with pytest.raises(
        pm.ArgumentError, match=r"^part must be one of inputs, steps \(got 'outputs'\)$"
    ):
        explanation.to_frame("outputs")  # type: ignore[arg-type]


def test_timeline_frame_has_a_row_per_month() -> None:
    line = pm.timeline(pm.builtin("span-sources"), samples=500, seed=2)
    frame = line.to_frame()
    assert frame.index.name == "month"
    assert list(frame.index) == list(range(1, 13))
    names = ["headcount", *FLOW_NAMES, "layer:state treasury"]
    cumulative = [f"cumulative_{n}" for n in names[1:]]
    assert list(frame.columns) == ["month_length", *names, *cumulative]
    for name in names:
        assert np.array_equal(frame[name].to_numpy(), line.columns[name])
    for name in names[1:]:
        assert np.array_equal(frame[f"cumulative_{name}"].to_numpy(), line.cumulative[name])
    banded = line.to_frame(bands=True)
    assert banded.shape[1] == frame.shape[1] + 5 * (len(names) + len(names) - 1)
    assert np.array_equal(
        banded["regime_revenue_usd:p95"].to_numpy(), line.bands["regime_revenue_usd"]["p95"]
    )
    assert np.array_equal(
        banded["cumulative_paid_usd:p5"].to_numpy(), line.cumulative_bands["paid_usd"]["p5"]
    )
    # A fixed scenario has no bands: the same columns either way.
    fixed = pm.timeline(pm.builtin("nis-estimate"))
    assert list(fixed.to_frame(bands=True).columns) == list(fixed.to_frame().columns)


# -- without the extra ---------------------------------------------------------------------------


def _sobol_frame() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pm.SampleSizeWarning)  # few samples: only the shape counts
        indices = pm.sobol_indices(SPAN, "regime_revenue_usd", 64, seed=1, bootstrap=100)
    return indices.to_frame()


SPAN = pm.builtin("span-sources")

#: Every to_frame of the library, as a call that builds the result and then its frame.
FRAMES: dict[str, Callable[[], Any]] = {
    "Result": lambda: pm.compute(SPAN).to_frame(),
    "Comparison": lambda: pm.compare([SPAN]).to_frame(),
    "Simulation": lambda: pm.simulate(SPAN, 100, seed=1).to_frame(),
    "Simulation samples": lambda: pm.simulate(SPAN, 100, seed=1, keep_samples=True).to_frame(
        samples=True
    ),
    "Explanation": lambda: pm.explain(SPAN).to_frame(),
    "Explanation steps": lambda: pm.explain(SPAN).to_frame("steps"),
    "Timeline": lambda: pm.timeline(SPAN, samples=100, seed=1).to_frame(),
    "Sweep": lambda: pm.sweep(SPAN, {"deployment.troops": [11_000, 15_000]}).to_frame(),
    "Tornado": lambda: pm.tornado(SPAN, "regime_revenue_usd").to_frame(),
    "SobolIndices": _sobol_frame,
    "Solution": lambda: _solution().to_frame(),
    "Discovery": lambda: _discovery().to_frame(),
}


def _solution() -> pm.Solution:
    return pm.solve(
        pm.builtin("independent-90"), "diversion.0.share", {"take_home_monthly_usd": 500}
    )


def _discovery() -> pm.Discovery:
    simulation = pm.simulate(SPAN, 4000, seed=1, keep_samples=True)
    return pm.discover(simulation, "regime_revenue_per_year_usd", above=350e6)


def test_solution_frame_is_one_row() -> None:
    # 2,000·(1 − s) = 500 gives s = 0.75 (the solve docstring's example).
    frame = _solution().to_frame()
    assert list(frame.columns) == ["vary", "value", "output", "achieved", "target"]
    assert frame.iloc[0]["vary"] == "diversion.0.share"
    assert frame.iloc[0]["value"] == pytest.approx(0.75, abs=1e-12)
    assert (frame.iloc[0]["achieved"], frame.iloc[0]["target"]) == (500.0, 500.0)


#: Every result, for the notebook table docs/notebooks.md promises for each.
RESULTS: dict[str, Callable[[], Any]] = {
    "Result": lambda: pm.compute(SPAN),
    "Comparison": lambda: pm.compare([SPAN]),
    "Simulation": lambda: pm.simulate(SPAN, 100, seed=1),
    "Explanation": lambda: pm.explain(SPAN),
    "Timeline": lambda: pm.timeline(SPAN, samples=100, seed=1),
    "Sweep": lambda: pm.sweep(SPAN, {"deployment.troops": [11_000, 15_000]}),
    "Tornado": lambda: pm.tornado(SPAN, "regime_revenue_usd"),
    "SobolIndices": lambda: _sobol(),
    "Solution": _solution,
    "Discovery": _discovery,
}


def _sobol() -> pm.SobolIndices:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pm.SampleSizeWarning)
        return pm.sobol_indices(SPAN, "regime_revenue_usd", 64, seed=1, bootstrap=100)


@pytest.mark.parametrize("name", RESULTS)
def test_every_result_shows_as_a_table_in_a_notebook(name: str) -> None:
    result = RESULTS[name]()
    page = result._repr_html_()
    assert page.startswith("<table>")
    assert "</table>" in page
    assert "<caption>" in page
    assert page.count("<tr>") >= 2  # a header row and at least one row of figures
    if isinstance(getattr(result, "scenario", None), str):
        assert result.scenario in page
        assert json.loads(result.to_json())["scenario"] == result.scenario


@pytest.mark.parametrize("name", FRAMES)
def test_every_frame_is_a_dataframe(name: str) -> None:
    assert isinstance(FRAMES[name](), pd.DataFrame)


@pytest.mark.parametrize("name", FRAMES)
def test_to_frame_without_pandas_names_the_extra(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # what an absent package looks like
    with pytest.raises(pm.MissingExtraError) as caught:
        FRAMES[name]()
    assert str(caught.value) == (
        "to_frame() needs pandas, which is not installed; run: pip install 'paymodel[frame]'"
    )
    assert isinstance(caught.value, ImportError)


def test_to_xarray_without_xarray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    grid = pm.sweep(pm.builtin("nis-estimate"), {"deployment.troops": [11_000, 15_000]})
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(pm.MissingExtraError, match=r"pip install 'paymodel\[xarray\]'"):
        grid.to_xarray()


@pytest.mark.parametrize(("module", "extra"), sorted(EXTRAS.items()))
def test_every_optional_module_names_its_extra(
    module: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(pm.MissingExtraError) as caught:
        require(module, "this feature")
    assert str(caught.value) == (
        f"this feature needs {module}, which is not installed; run: pip install 'paymodel[{extra}]'"
    )


def test_the_core_does_not_import_pandas() -> None:
    import subprocess

    code = (
        "import sys, paymodel as pm; pm.timeline(pm.builtin('casualty-aware'));"
        "pm.compute(pm.builtin('nis-estimate'))._repr_html_();"
        "print(sorted(m for m in ('pandas', 'xarray', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
