"""Charts: each one builds, is labelled and sourced, saves, and draws the model's numbers."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import paymodel as pm
from paymodel import plot

SEED = 11


def _texts(figure: Figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_text()]


def _sources_text(figure: Figure) -> str:
    found = [t.get_text() for t in figure.findobj(Text) if t.get_gid() == plot.SOURCES_GID]
    assert len(found) == 1
    return found[0]


def _bars(figure: Figure) -> list[Rectangle]:
    """The data bars of the figure's first axes (not the axes' background patch)."""
    return [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]


@pytest.fixture(scope="module")
def comparison() -> pm.Comparison:
    return pm.compare()


@pytest.fixture(scope="module")
def simulations(comparison: pm.Comparison) -> list[pm.Simulation]:
    return [pm.simulate(s, 4_000, seed=SEED, keep_samples=True) for s in comparison.scenarios]


def _every_chart(
    comparison: pm.Comparison, simulations: list[pm.Simulation]
) -> dict[str, tuple[Figure, list[pm.Scenario]]]:
    span = pm.builtin("span-sources")
    span_sim = simulations[comparison.scenarios.index(span)]
    everything = list(comparison.scenarios)
    return {
        "take_home": (plot.take_home(comparison, simulations), everything),
        "revenue": (plot.revenue(comparison, simulations), everything),
        "dollar_split": (plot.dollar_split(comparison), everything),
        "distribution": (
            plot.distribution(span_sim, "regime_revenue_per_year_usd", span),
            [span],
        ),
        "tornado": (plot.tornado(pm.tornado(span, "take_home_monthly_usd"), span), [span]),
        "fan": (plot.fan(pm.timeline(span, samples=2_000, seed=SEED), span), [span]),
    }


@pytest.fixture(scope="module")
def charts(
    comparison: pm.Comparison, simulations: list[pm.Simulation]
) -> dict[str, tuple[Figure, list[pm.Scenario]]]:
    return _every_chart(comparison, simulations)


CHARTS = ["take_home", "revenue", "dollar_split", "distribution", "tornado", "fan"]


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_has_title_units_and_claims(
    name: str, charts: dict[str, tuple[Figure, list[pm.Scenario]]]
) -> None:
    figure, scenarios = charts[name]
    assert isinstance(figure, Figure)
    assert len(figure.axes) == 1
    ax = figure.axes[0]
    title = figure.texts[0].get_text()  # the suptitle, left-aligned over the chart
    assert title
    assert title[0].isupper()
    assert ax.get_title(loc="left")  # the subtitle
    # Every axis that carries numbers says what and in which unit.
    assert "[" in ax.get_xlabel()
    assert "]" in ax.get_xlabel()
    if name in {"distribution", "fan"}:
        assert "[" in ax.get_ylabel()
    sources = " ".join(_sources_text(figure).split())  # as read, without the line breaks
    for scenario in scenarios:
        for cid in scenario.sources:
            assert cid in sources
    assert "paymodel sources ID" in sources


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_saves_a_png_and_shows_dollars_literally(
    name: str, charts: dict[str, tuple[Figure, list[pm.Scenario]]]
) -> None:
    figure, _ = charts[name]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000
    # Two dollar signs in one text must not turn it into mathtext ($2,500 … $2,000).
    for text in _texts(figure):
        assert not text.get_parse_math(), text.get_text()


def test_text_is_not_too_small(charts: dict[str, tuple[Figure, list[pm.Scenario]]]) -> None:
    for figure, _ in charts.values():
        sizes = [t.get_fontsize() for t in _texts(figure)]
        assert min(sizes) >= 8.5


def test_take_home_dots_sit_at_the_take_home_and_zero_is_a_marker(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]], comparison: pm.Comparison
) -> None:
    figure, _ = charts["take_home"]
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    assert _bars(figure) == []  # a bar's length on a log axis means nothing: dots instead
    floor = ax.get_xlim()[0]
    dots = {
        round(float(line.get_ydata()[0])): float(line.get_xdata()[0])
        for line in ax.get_lines()
        if line.get_marker() == "o" and line.get_markerfacecolor() != "white"
    }
    zero_rows = []
    for row, result in enumerate(comparison.results):
        value = result.take_home_monthly_usd
        if value > 0:
            assert dots[row] == pytest.approx(value, rel=1e-12)
        else:
            assert row not in dots  # $0 is an open circle on the edge, not a dot
            zero_rows.append(row)
    # nis-estimate and three others keep everything: t = 0 by hand (share 1.0).
    assert len(zero_rows) == 4
    circles = [
        line
        for line in ax.get_lines()
        if line.get_marker() == "o" and line.get_markerfacecolor() == "white"
    ]
    assert sorted(float(line.get_ydata()[0]) for line in circles) == zero_rows
    assert all(float(line.get_xdata()[0]) == floor for line in circles)
    labels = {t.get_text() for t in ax.texts}
    assert "$0" in labels
    # worker-quota: x₀ = 2000, quota 800 → 1200, 15 % upkeep → 1020 = 612 × (30,000/18,000).
    assert "$1,020.00 = 612× pay at home" in labels  # cents for all: $193.65 has them
    wages = next(c for c in ax.collections if isinstance(c, PathCollection)).get_offsets()
    worker = [s.name for s in comparison.scenarios].index("worker-quota")
    assert wages[worker][0] == pytest.approx(30_000 / 18_000)
    assert wages[0][0] == 1.0


def test_take_home_whiskers_are_the_simulated_percentiles(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]],
    comparison: pm.Comparison,
    simulations: list[pm.Simulation],
) -> None:
    figure, _ = charts["take_home"]
    ax = figure.axes[0]
    floor = ax.get_xlim()[0]
    whiskers = {
        float(line.get_ydata()[0]): tuple(line.get_xdata())
        for line in ax.get_lines()
        if len(line.get_xdata()) == 2 and line.get_linestyle() == "-"
    }
    names = [s.name for s in comparison.scenarios]
    for row, sim in enumerate(simulations):
        stats = sim.statistics("take_home_monthly_usd")
        if stats["p5"] == stats["p95"]:
            assert row not in whiskers  # a fixed take-home has no interval to draw
            continue
        low, high = whiskers[row]
        assert high == stats["p95"]
        assert low == max(stats["p5"], floor)
    # span-sources keeps all of it half the time: p5 = $0, drawn to the left edge.
    assert whiskers[names.index("span-sources")][0] == floor


def test_revenue_bars_are_the_point_estimates_and_whiskers_the_percentiles(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]],
    comparison: pm.Comparison,
    simulations: list[pm.Simulation],
) -> None:
    figure, _ = charts["revenue"]
    ax = figure.axes[0]
    widths = [bar.get_width() for bar in _bars(figure)]
    assert widths == [r.regime_revenue_per_year_usd for r in comparison.results]
    # nis-estimate by hand: 2000 × 11,000 × 12 = 264,000,000 a year.
    assert widths[[s.name for s in comparison.scenarios].index("nis-estimate")] == 264e6
    (container,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    segments = container.lines[2][0].get_segments()
    moving = [
        (row, sim.statistics("regime_revenue_per_year_usd"))
        for row, sim in enumerate(simulations)
        if sim.statistics("regime_revenue_per_year_usd")["p5"]
        < sim.statistics("regime_revenue_per_year_usd")["p95"]
    ]
    assert [row for row, _ in moving] == [
        [s.name for s in comparison.scenarios].index(n)
        for n in ("in-kind-credit", "span-sources", "deployment-as-reported")
    ]
    for segment, (row, stats) in zip(segments, moving, strict=True):
        (x0, y0), (x1, y1) = segment
        assert (y0, y1) == (row, row)
        assert x0 == pytest.approx(stats["p5"], rel=1e-12)
        assert x1 == pytest.approx(stats["p95"], rel=1e-12)


def test_dollar_split_segments_are_layer_revenues_over_promised(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]], comparison: pm.Comparison
) -> None:
    figure, _ = charts["dollar_split"]
    bars = _bars(figure)
    expected = []
    for result in comparison.results:
        parts = [result.promised_usd - result.paid_usd]
        parts += [layer.revenue_usd for layer in result.layers]
        parts.append(result.soldiers_take_home_usd)
        expected += [p / result.promised_usd for p in parts if p > 0]
    assert [bar.get_width() for bar in bars] == pytest.approx(expected, rel=1e-12)
    rows: dict[int, float] = {}
    for bar in bars:
        row = round(bar.get_y() + bar.get_height() / 2)
        rows[row] = rows.get(row, 0.0) + bar.get_width()
    assert list(rows.values()) == pytest.approx([1.0] * len(comparison.results), abs=1e-12)
    # in-kind-credit by hand: δ = 0.5 (median of 0.2–0.8), κ = 0.85 (median of 0.7–1):
    # undelivered 0.5, in kind 0.5 × 0.85 = 0.425, treasury 0.5 × 0.15 × 0.9 = 0.0675,
    # soldiers 0.5 × 0.15 × 0.1 = 0.0075.
    index = [s.name for s in comparison.scenarios].index("in-kind-credit")
    shares = plot.dollar_shares(comparison)[index]
    assert [name for name, _ in shares] == ["undelivered", "in kind", "state treasury", "soldiers"]
    assert [share for _, share in shares] == pytest.approx([0.5, 0.425, 0.0675, 0.0075])
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend[:3] == ["undelivered", "in kind", "state treasury"]
    assert legend[-1] == "soldiers"


def test_distribution_is_the_samples_with_their_percentiles(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]],
    comparison: pm.Comparison,
    simulations: list[pm.Simulation],
) -> None:
    figure, _ = charts["distribution"]
    ax = figure.axes[0]
    sim = simulations[[s.name for s in comparison.scenarios].index("span-sources")]
    values = sim.values("regime_revenue_per_year_usd")
    heights = np.array([bar.get_height() for bar in _bars(figure)])
    assert heights.sum() == pytest.approx(100.0)  # shares of samples, in per cent
    counts, _ = np.histogram(values, bins=60)
    assert heights == pytest.approx(100 * counts / values.size)
    stats = sim.statistics("regime_revenue_per_year_usd")
    vertical = {line.get_label().split(" ")[0]: line.get_xdata()[0] for line in ax.get_lines()}
    assert vertical["p5"] == stats["p5"]
    assert vertical["median"] == stats["p50"]
    assert vertical["p95"] == stats["p95"]
    point = pm.compute(pm.builtin("span-sources")).regime_revenue_per_year_usd
    assert vertical["point"] == point


def test_distribution_of_a_fixed_output_is_one_spike() -> None:
    s = pm.builtin("nis-estimate")
    sim = pm.simulate(s, 500, seed=1, keep_samples=True)
    figure = plot.distribution(sim, "regime_revenue_per_year_usd", s)
    (bar,) = _bars(figure)
    assert bar.get_height() == 100.0
    assert bar.get_x() + bar.get_width() / 2 == pytest.approx(264e6)
    assert "no uncertainty" in figure.axes[0].get_title(loc="left")


def test_tornado_bars_reach_the_output_at_each_end(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]],
) -> None:
    figure, _ = charts["tornado"]
    span = pm.builtin("span-sources")
    result = pm.tornado(span, "take_home_monthly_usd")
    bars = _bars(figure)
    assert len(bars) == 2 * len(result.rows)
    for index, row in enumerate(result.rows):
        low_bar, high_bar = bars[2 * index], bars[2 * index + 1]
        for bar, value in ((low_bar, row.output_at_low), (high_bar, row.output_at_high)):
            assert bar.get_x() == result.baseline
            assert bar.get_x() + bar.get_width() == pytest.approx(value, rel=1e-12, abs=1e-9)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels[0].startswith(result.rows[0].path)  # the largest swing on top
    for label, row in zip(labels, result.rows, strict=True):
        for cid in span.claims_for(row.path):
            assert cid in label


def test_fan_is_the_running_total_with_its_bands(
    charts: dict[str, tuple[Figure, list[pm.Scenario]]],
) -> None:
    figure, _ = charts["fan"]
    span = pm.builtin("span-sources")
    line = pm.timeline(span, samples=2_000, seed=SEED)
    ax = figure.axes[0]
    solid = [x for x in ax.get_lines() if x.get_linestyle() == "-"]
    dashed = [x for x in ax.get_lines() if x.get_linestyle() == "--"]
    assert list(solid[0].get_xdata()) == list(range(13))
    assert list(solid[0].get_ydata()) == [0.0, *line.cumulative["regime_revenue_usd"]]
    assert solid[0].get_ydata()[-1] == pm.compute(span).regime_revenue_usd
    assert list(dashed[0].get_ydata()) == [
        0.0,
        *line.cumulative_bands["regime_revenue_usd"]["p50"],
    ]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2  # 5th–95th and 25th–75th
    top = bands[0].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(line.cumulative_bands["regime_revenue_usd"]["p95"][-1])


def test_fan_without_uncertainty_has_no_bands() -> None:
    s = pm.builtin("casualty-aware")
    figure = plot.fan(pm.timeline(s), s)
    ax = figure.axes[0]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert "no bands" in ax.get_title(loc="left")
    # 2000 × 11,000 × 11 × 0.9 + 30,000 × 0.9 × 1,996.5 deaths = 217,800,000 + 53,905,500.
    assert ax.get_lines()[0].get_ydata()[-1] == pytest.approx(271_705_500.0)


def test_charts_draw_into_given_axes() -> None:
    figure = plt.figure(figsize=(14, 5))
    try:
        left, right = figure.subplots(1, 2)
        comparison = pm.compare(["independent-90", "worker-quota"])
        assert plot.dollar_split(comparison, ax=left) is figure
        assert plot.revenue(comparison, ax=right) is figure
        assert [p.get_width() for p in right.patches] == [237.6e6, pytest.approx(129.36e6)]
        for ax in (left, right):
            title = ax.get_title(loc="left")
            assert title.startswith(("Where each promised dollar goes", "What the regime earns"))
            (sources,) = [t for t in ax.texts if t.get_gid() == plot.SOURCES_GID]
            assert "PAY-02" in sources.get_text()
            assert "OW-10" in sources.get_text()
        assert not figure.texts  # nothing written over the caller's figure
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        assert len(buffer.getvalue()) > 10_000
    finally:
        plt.close(figure)


def test_wrong_arguments_say_what_to_do() -> None:
    span, nis = pm.builtin("span-sources"), pm.builtin("nis-estimate")
    kept = pm.simulate(span, 200, seed=1, keep_samples=True)
    with pytest.raises(pm.ArgumentError, match="keep_samples=True"):
        plot.distribution(pm.simulate(span, 200, seed=1), "regime_revenue_usd", span)
    with pytest.raises(pm.ArgumentError, match="'span-sources', not 'nis-estimate'"):
        plot.distribution(kept, "regime_revenue_usd", nis)
    with pytest.raises(ValueError, match="no output or layer named 'revenue'"):
        plot.distribution(kept, "revenue", span)
    comparison = pm.compare(["nis-estimate", "span-sources"])
    with pytest.raises(pm.ArgumentError, match="one per scenario"):
        plot.revenue(comparison, [kept])
    with pytest.raises(pm.ArgumentError, match="expected a simulation of 'nis-estimate'"):
        plot.take_home(comparison, [kept, kept])
    with pytest.raises(pm.UnknownOutputError, match="no running total named 'headcount'"):
        plot.fan(pm.timeline(span, samples=100, seed=1), span, column="headcount")
    with pytest.raises(pm.ArgumentError, match="the tornado is of 'span-sources'"):
        plot.tornado(pm.tornado(span, "paid_usd"), nis)


def test_layer_revenue_distribution_is_labelled_in_dollars() -> None:
    s = pm.builtin("in-kind-credit")
    sim = pm.simulate(s, 1_000, seed=2, keep_samples=True)
    figure = plot.distribution(sim, "layer:in kind", s)
    assert figure.axes[0].get_xlabel() == "revenue of the layer 'in kind' [$]"
    formatter = figure.axes[0].xaxis.get_major_formatter()
    assert formatter(120e6, 0) == "$120 M"


CALLS: dict[str, Callable[[], Any]] = {
    "take_home": lambda: plot.take_home(pm.compare(["nis-estimate"])),
    "revenue": lambda: plot.revenue(pm.compare(["nis-estimate"])),
    "dollar_split": lambda: plot.dollar_split(pm.compare(["nis-estimate"])),
    "fan": lambda: plot.fan(pm.timeline(pm.builtin("nis-estimate")), pm.builtin("nis-estimate")),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=list(CALLS))
def test_without_matplotlib_the_error_names_the_extra(
    call: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what an absent package looks like
    with pytest.raises(pm.MissingExtraError, match=r"pip install 'paymodel\[plot\]'"):
        call()


# -- every chart copes with every scenario the model accepts (issue 11) ---------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=pm.testing.scenarios(),
    outputs=st.lists(st.sampled_from(pm.OUTPUT_NAMES), min_size=1, max_size=2, unique=True),
    samples=st.sampled_from([1, 2, 50]),
    seed=st.integers(0, 2**32),
)
def test_every_chart_of_a_report_draws_for_any_accepted_scenario(
    scenario: pm.Scenario, outputs: list[str], samples: int, seed: int
) -> None:
    # What `paymodel report` draws: the overview charts, and per scenario each output's
    # histogram and tornado (when its inputs move it) and the month-by-month fan.
    import importlib

    report_module = importlib.import_module("paymodel.report")  # the module, not the function
    plt.switch_backend("Agg")
    content = report_module._content([scenario], samples, seed, tuple(outputs), "t", "c")
    for chart in content.charts:
        assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = chart.size
        assert width > 100
        assert height > 100
    plt.close("all")


@pytest.mark.parametrize(
    "values",
    [
        [5.0],  # one sample
        [3.0] * 100,  # a constant
        [237599999.99999994, 237600000.0, 237600000.00000006],  # rounding only
        [1e9, 1e9 + 1e-6 * 1e9],  # narrow, but more than rounding
        [0.0, 1e-300],  # tiny values
        [-1.7e308, 0.0, 1.7e308],  # as wide as floats go
        [1.0] * 999 + [1e12],  # a point mass and one far value
        [0.0, 5e-324],  # the smallest subnormal
    ],
)
def test_histogram_edges_for_any_finite_data(values: list[float]) -> None:
    data = np.array(values)
    edges = plot.histogram_edges(data, 60)
    if edges is None:
        assert data.max() - data.min() <= 1e-9 * np.abs(data).max()
        return
    assert 2 <= edges.size <= 61
    assert np.all(np.diff(edges) > 0)
    assert (edges[0], edges[-1]) == (data.min(), data.max())
    counts, _ = np.histogram(data, bins=edges)  # numpy accepts them: no "too many bins"
    assert counts.sum() == data.size


def test_one_recipient_one_name_and_one_colour_across_the_builtins() -> None:
    # Every built-in's state layer is "state treasury" (one recipient, as the claims say:
    # NIS's state, Bennett's party and Kim family, AP's treasury), drawn in one colour.
    names = {layer for s in pm.compare(samples=0).scenarios for layer in s.layer_names()}
    assert names == {"state treasury", "in kind", "lodging and food"}
    assert plot.layer_colour("state treasury") == "#D55E00"
    assert plot.layer_colour("in kind") == "#8C6D31"
    # A user's name: the same colour in every call and process (CRC-32 of the text, not
    # Python's salted hash): crc32(b"commanders") % 7 picks one of the seven.
    import zlib

    palette = ("#CC79A7", "#E69F00", "#882255", "#F0A870", "#AA4499", "#661100", "#999933")
    assert plot.layer_colour("commanders") == palette[zlib.crc32(b"commanders") % 7]
    assert plot.layer_colour("commanders") != plot.layer_colour("state treasury")


def test_running_totals_compare_the_scenarios_in_one_chart() -> None:
    chosen = [pm.builtin("nis-estimate"), pm.builtin("casualty-aware")]
    figure = plot.running_totals([pm.timeline(s) for s in chosen], chosen)
    lines = figure.axes[0].get_lines()
    # nis-estimate: the regime keeps all of $2,000 × 11,000 × 12 = $264 M; both start at 0.
    assert [float(line.get_ydata()[0]) for line in lines] == [0.0, 0.0]
    assert float(lines[0].get_ydata()[-1]) == pytest.approx(264e6)
    assert float(lines[0].get_xdata()[-1]) == 12.0
    assert float(lines[1].get_xdata()[-1]) == 11.0  # casualty-aware runs 11 months
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    # largest total first: casualty-aware's $271.7 M over 11 months, then nis-estimate's $264 M
    assert legend == [
        "casualty-aware: $271.7 M in 11 months",
        "nis-estimate: $264.0 M in 12 months",
    ]
    with pytest.raises(ValueError, match="one timeline per scenario"):
        plot.running_totals([pm.timeline(chosen[0])], chosen)


@pytest.mark.parametrize(
    "names",
    [
        ["nis-estimate", "span-sources", "deployment-as-reported"],  # ran into the legend
        ["independent-90"],
        ["worker-quota", "in-kind-credit"],
        list(pm.builtin_names()),
    ],
)
def test_take_home_labels_end_inside_the_axes(names: list[str]) -> None:
    # A label's text has a fixed width while a decade's width depends on the axis: with
    # three scenarios the axis ended at $1,000 and "$193.65 = 193.6× pay at home" ran
    # past it into the legend. Every label must end inside the axes, left of the legend.
    scenarios = [pm.builtin(n) for n in names]
    comparison = pm.compare(scenarios, samples=0)
    sims = [pm.simulate(s, 2_000, seed=SEED) for s in scenarios]
    figure = plot.take_home(comparison, simulations=sims)
    figure.draw_without_rendering()
    ax = figure.axes[0]
    right = ax.get_window_extent().x1
    legend_left = ax.get_legend().get_window_extent().x0
    for label in ax.texts:
        assert label.get_window_extent().x1 <= right, label.get_text()
    assert right <= legend_left
    plt.close(figure)
