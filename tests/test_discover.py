"""Scenario discovery (PRIM): a known box recovered, the trajectory's invariants, boxes on
paymodel scenarios checked against the kept samples, simulate's kept inputs, errors, CLI."""

from __future__ import annotations

import importlib
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import paymodel as pm
from helpers import bad, ok, ok_json
from paymodel.discover import Box, Discovery, Restriction, prim
from paymodel.sampling import BLOCK_SIZE

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SPAN = pm.builtin("span-sources")
REVENUE = "regime_revenue_per_year_usd"


def inside_box(box: Box, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """Which samples the box holds, from its restrictions alone."""
    mask = np.ones(len(next(iter(inputs.values()))), dtype=bool)
    for r in box.restrictions:
        if r.low is not None:
            mask &= inputs[r.path] >= r.low
        if r.high is not None:
            mask &= inputs[r.path] <= r.high
    return mask


def check_box_numbers(box: Box, inputs: dict[str, np.ndarray], hits: np.ndarray) -> None:
    """Coverage, density and mass recomputed from the samples; so is each 'without'."""
    mask = inside_box(box, inputs)
    assert box.mass == pytest.approx(mask.mean(), abs=1e-12)
    assert box.coverage == pytest.approx(hits[mask].sum() / hits.sum(), abs=1e-12)
    assert box.density == pytest.approx(hits[mask].mean(), abs=1e-12)
    for dropped in box.restrictions:
        others = Box(0, 0, 0, tuple(r for r in box.restrictions if r is not dropped))
        wider = inside_box(others, inputs)
        assert dropped.density_without == pytest.approx(hits[wider].mean(), abs=1e-12)
        assert dropped.coverage_without == pytest.approx(hits[wider].sum() / hits.sum(), abs=1e-12)


# -- PRIM on synthetic data with a known box ----------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_a_known_box(seed: int) -> None:
    # Hits exactly when x < 0.3 and y > 0.6 (12 % of the unit cube); z is noise.
    rng = np.random.default_rng(seed)
    x, y, z = rng.random((3, 20_000))
    hits = (x < 0.3) & (y > 0.6)
    inputs = {"x": x, "y": y, "z": z}
    trajectory, chosen, box = prim(inputs, hits, threshold=0.95)
    by_path = {r.path: r for r in box.restrictions}
    assert set(by_path) == {"x", "y"}  # z is left free
    assert by_path["x"].low is None
    assert by_path["x"].high == pytest.approx(0.3, abs=0.02)
    assert by_path["y"].low == pytest.approx(0.6, abs=0.02)
    assert by_path["y"].high is None
    assert box.coverage > 0.95
    assert box.density > 0.95
    assert box.mass == pytest.approx(0.12, abs=0.01)
    # Dropping a restriction lets in the samples on its wrong side: without x's, the density
    # is P(y > 0.6) = 0.4; without y's, P(x < 0.3) = 0.3.
    assert by_path["x"].density_without == pytest.approx(0.3, abs=0.03)
    assert by_path["y"].density_without == pytest.approx(0.4, abs=0.03)
    check_box_numbers(box, inputs, hits)
    assert trajectory[chosen].density >= 0.95


def test_recovers_a_box_with_noise_and_a_discrete_input() -> None:
    # A choice-like input c ∈ {0, 1, 2}: hits mostly when c = 2 and u > 0.5, with 10 % of
    # the labels flipped at random.
    rng = np.random.default_rng(7)
    c = rng.integers(0, 3, 30_000).astype(float)
    u, v = rng.random((2, 30_000))
    hits = (c == 2) & (u > 0.5)
    hits ^= rng.random(30_000) < 0.1
    inputs = {"c": c, "u": u, "v": v}
    _, _, box = prim(inputs, hits, threshold=0.8)
    by_path = {r.path: r for r in box.restrictions}
    assert by_path["c"].low == 2
    assert by_path["c"].high is None
    assert by_path["u"].low == pytest.approx(0.5, abs=0.05)
    assert "v" not in by_path or by_path["v"].density_without > box.density - 0.05
    assert box.density > 0.8
    check_box_numbers(box, inputs, hits)


def test_trajectory_invariants() -> None:
    rng = np.random.default_rng(3)
    x, y = rng.random((2, 10_000))
    hits = x + y > 1.5  # a corner, not a box: PRIM approximates it
    trajectory, chosen, box = prim({"x": x, "y": y}, hits, min_mass=0.02, threshold=0.9)
    first = trajectory[0]
    assert (first.coverage, first.mass, first.restrictions) == (1.0, 1.0, ())
    assert first.density == pytest.approx(hits.mean())
    masses = [b.mass for b in trajectory]
    coverages = [b.coverage for b in trajectory]
    assert all(a > b for a, b in itertools.pairwise(masses))  # each peel removes
    assert all(a >= b for a, b in itertools.pairwise(coverages))
    assert masses[-1] >= 0.02  # the minimum support
    assert trajectory[chosen].density >= 0.9
    # The chosen box is the first (largest coverage) to reach the threshold.
    assert all(b.density < 0.9 for b in trajectory[:chosen])
    # Pasting never lowers the density and never shrinks the box.
    assert box.density >= trajectory[chosen].density
    assert box.mass >= trajectory[chosen].mass
    check_box_numbers(box, {"x": x, "y": y}, hits)


def test_peel_alpha_sets_the_step() -> None:
    rng = np.random.default_rng(4)
    x = rng.random(10_000)
    trajectory, _, _ = prim({"x": x}, x > 0.9, peel_alpha=0.1, min_mass=0.05)
    # Each step cuts off 10 % of what is left: mass 1, 0.9, 0.81, ...
    assert [round(b.mass, 2) for b in trajectory[:4]] == [1.0, 0.9, 0.81, 0.73]


def test_no_box_reaches_the_threshold() -> None:
    rng = np.random.default_rng(5)
    x = rng.random(5_000)
    hits = rng.random(5_000) < 0.3  # unrelated to x
    trajectory, chosen, box = prim({"x": x}, hits, threshold=0.99)
    assert chosen == max(range(len(trajectory)), key=lambda i: trajectory[i].density)
    assert box.density < 0.6


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"peel_alpha": 0.6}, r"peel_alpha must lie in \(0, 0.5\]"),
        ({"paste_alpha": 0}, r"paste_alpha must lie in \(0, 0.5\]"),
        ({"min_mass": 1.5}, r"min_mass must lie in \(0, 1\]"),
        ({"threshold": -1}, r"threshold must lie in \(0, 1\]"),
        ({"threshold": "high"}, "threshold must be a number"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], fragment: str) -> None:
    x = np.arange(10.0)
    with pytest.raises(pm.ScenarioError, match=fragment):
        prim({"x": x}, x > 5, **kwargs)  # type: ignore[arg-type]


# -- simulate keeps the inputs ---------------------------------------------------------------


def test_simulate_keeps_each_uncertain_input() -> None:
    sim = pm.simulate(SPAN, 20_000, seed=4, keep_samples=True)
    assert sim.kept_inputs is not None
    assert list(sim.kept_inputs) == list(SPAN.uncertain_inputs())
    troops = sim.input_values("deployment.troops")
    # Revenue per year = g·s·H·12 sample by sample: the kept inputs gave the kept outputs.
    rebuilt = (
        sim.input_values("pay.gross_monthly_usd")
        * sim.input_values("diversion.0.share")
        * troops
        * 12
    )
    np.testing.assert_allclose(rebuilt, sim.values(REVENUE), rtol=1e-12)
    assert set(np.unique(sim.input_values("diversion.0.share"))) == {0.9, 1.0}
    with pytest.raises(KeyError, match=r"no uncertain input 'deployment\.months'"):
        sim.input_values("deployment.months")


def test_kept_inputs_change_no_result() -> None:
    kept = pm.simulate(SPAN, 70_000, seed=6, keep_samples=True)
    streamed = pm.simulate(SPAN, 70_000, seed=6)
    assert streamed.kept_inputs is None
    assert streamed.summaries == kept.summaries
    with pytest.raises(ValueError, match="keep_samples=True"):
        streamed.input_values("deployment.troops")


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_kept_inputs_do_not_depend_on_the_chunk_size(method: str) -> None:
    samples = BLOCK_SIZE + 1000
    one = pm.simulate(SPAN, samples, seed=2, method=method, keep_samples=True)
    many = pm.simulate(
        SPAN, samples, seed=2, method=method, keep_samples=True, chunk_size=BLOCK_SIZE
    )
    assert one.kept_inputs is not None
    assert many.kept_inputs is not None
    for path, values in one.kept_inputs.items():
        assert values.shape == (samples,)
        np.testing.assert_array_equal(values, many.kept_inputs[path])


# -- discover on paymodel scenarios ----------------------------------------------------------


def test_take_home_below_100_is_the_state_keeping_everything() -> None:
    # t = g·(1 − s): below $100 only when s = 1 (at s = 0.9 it would need g < $1,000, about
    # 4.3 standard deviations below the lognormal's log-median: essentially never).
    sim = pm.simulate(SPAN, 20_000, seed=1, keep_samples=True)
    found = pm.discover(sim, "take_home_monthly_usd", below=100)
    (restriction,) = found.box.restrictions
    assert (restriction.path, restriction.low, restriction.high) == ("diversion.0.share", 1.0, None)
    assert found.box.coverage == 1.0
    assert found.box.density == 1.0
    assert found.hit_share == pytest.approx(0.5, abs=0.02)


def test_revenue_above_350_million_needs_high_pay() -> None:
    sim = pm.simulate(SPAN, 20_000, seed=1, keep_samples=True)
    found = pm.discover(sim, REVENUE, above=350e6)
    values = sim.values(REVENUE)
    hits = values > 350e6
    assert found.hit_share == hits.mean()
    assert found.scenario == "span-sources"
    assert (found.samples, found.seed, found.method) == (20_000, 1, "mc")
    by_path = {r.path: r for r in found.box.restrictions}
    # Pay is the first thing the box needs: $350 M ÷ (15,000·12) = $1,944 a month at least.
    assert by_path["pay.gross_monthly_usd"].low > 1944
    assert "deployment.tour_months" not in by_path  # tours do not move revenue
    assert found.box.density >= 0.8
    inputs = {path: sim.input_values(path) for path in SPAN.uncertain_inputs()}
    check_box_numbers(found.box, inputs, hits)


def test_the_billion_dollar_question() -> None:
    # examples/expansion.toml: revenue > $1 billion a year needs everything to line up.
    expansion = pm.load(EXAMPLES / "expansion.toml")
    sim = pm.simulate(expansion, 100_000, seed=1, keep_samples=True)
    found = pm.discover(sim, REVENUE, above=1e9, threshold=0.5)
    assert found.hit_share < 0.01
    by_path = {r.path: r for r in found.box.restrictions}
    assert by_path["deployment.troops"].low > 20_000
    assert by_path["deployment.tour_months"].high < 6
    assert by_path["pay.signing_bonus_usd"].low == 2000
    assert found.box.density >= 0.5
    # Revenue is s·H·12·(g + b/T): at most 1.0·30,000·12·(g + 2000/2); > $1 bn needs a large
    # H even at the highest pay, which the box's lower bound on troops reflects.
    assert found.box.coverage > 0.3


def test_layer_and_both_bounds() -> None:
    sim = pm.simulate(SPAN, 10_000, seed=2, keep_samples=True)
    layer = pm.discover(sim, "state treasury", above=350e6)
    assert layer.output == "layer:state treasury"
    assert layer.condition() == "layer:state treasury > $350,000,000"
    assert layer.box == pm.discover(sim, REVENUE, above=350e6).box  # one layer: same revenue
    band = pm.discover(sim, REVENUE, above=250e6, below=300e6)
    values = sim.values(REVENUE)
    assert band.hit_share == np.mean((values > 250e6) & (values < 300e6))
    assert band.condition() == (
        "regime_revenue_per_year_usd > $250,000,000 and regime_revenue_per_year_usd < $300,000,000"
    )


@pytest.mark.parametrize(
    ("scenario", "keep", "kwargs", "fragment"),
    [
        ("span-sources", False, {"above": 1}, "did not keep its samples"),
        ("nis-estimate", True, {"above": 1}, "has no uncertain inputs"),
        ("span-sources", True, {}, "give a condition"),
        ("span-sources", True, {"above": 2e9}, "no sample meets the condition"),
        ("span-sources", True, {"above": 0}, "every sample meets the condition"),
        ("span-sources", True, {"above": 5, "below": 4}, "above must be less than below"),
        ("span-sources", True, {"above": float("nan")}, "above must be a finite number"),
        ("span-sources", True, {"above": 1, "peel_alpha": 1}, "peel_alpha must lie in"),
    ],
)
def test_discover_bad_input(
    scenario: str, keep: bool, kwargs: dict[str, object], fragment: str
) -> None:
    sim = pm.simulate(pm.builtin(scenario), 1000, seed=1, keep_samples=keep)
    with pytest.raises(pm.ScenarioError, match=fragment):
        pm.discover(sim, REVENUE, **kwargs)  # type: ignore[arg-type]


def test_kept_samples_are_bounded_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every kept sample stays in memory: past largest_kept_samples the run is refused at once
    # (it would run out of memory), while a streamed run of that size is accepted.
    simulate_module = importlib.import_module("paymodel.simulate")  # the module, not pm.simulate

    def no_work(*args: object) -> object:
        raise AssertionError("sampling began before the sample count was checked")

    monkeypatch.setattr(simulate_module, "plan_sampling", no_work)
    # span-sources keeps 13 outputs, 1 layer and 4 inputs: 18 values a sample, and
    # 1.25·2³⁰/8 // 18 = 9,320,675 samples fit in 1.25 GiB (below MAX_KEPT_SAMPLES, 10⁷).
    limit = simulate_module.largest_kept_samples(SPAN)
    assert limit == 167_772_160 // 18 == 9_320_675
    with pytest.raises(pm.ScenarioError, match=f"samples must be at most {limit:,} when every"):
        pm.simulate(SPAN, limit + 1, seed=1, keep_samples=True)
    with pytest.raises(AssertionError, match="sampling began"):
        pm.simulate(SPAN, limit + 1, seed=1)  # streaming: no such bound
    with pytest.raises(AssertionError, match="sampling began"):
        pm.simulate(SPAN, limit, seed=1, keep_samples=True)  # the limit itself is allowed


def test_unknown_output() -> None:
    sim = pm.simulate(SPAN, 1000, seed=1, keep_samples=True)
    with pytest.raises(pm.ScenarioError, match="no output or layer named 'revenue'"):
        pm.discover(sim, "revenue", above=1)


# -- JSON, text, frame and the CLI ----------------------------------------------------------


def test_json_text_and_frame() -> None:
    sim = pm.simulate(SPAN, 20_000, seed=1, keep_samples=True)
    found = pm.discover(sim, REVENUE, above=350e6)
    data = json.loads(found.to_json())
    assert list(data) == [
        "scenario", "output", "above", "below", "samples", "seed", "method", "hit_share",
        "threshold", "summary", "box", "trajectory", "chosen",
    ]  # fmt: skip
    assert list(data["box"]) == ["coverage", "density", "mass", "restrictions"]
    assert list(data["box"]["restrictions"][0]) == [
        "path", "low", "high", "density_without", "coverage_without",
    ]  # fmt: skip
    assert data["below"] is None
    assert len(data["trajectory"]) == len(found.trajectory)
    assert list(data["trajectory"][0]) == ["coverage", "density", "mass", "restricted"]
    text = found.to_text()
    assert data["summary"] == found.summary == text.splitlines()[0]  # the plain sentence leads
    assert text.splitlines()[2].startswith(
        "span-sources: where regime_revenue_per_year_usd > $350,000,000 (20,000 samples, mc, "
        "seed 1; 13.8 % of them meet it)"
    )
    assert f"Mostly when {found.box.describe()}:" in text
    frame = found.to_frame()
    assert list(frame.columns) == ["coverage", "density", "mass", "restricted"]
    assert len(frame) == len(found.trajectory)


def test_cli_json_equals_the_python_api() -> None:
    data = ok_json(
        "discover", "span-sources", "--output", REVENUE, "--above", "350e6", "--seed", "1",
        "--samples", "20000", "--threshold", "0.9", "--peel-alpha", "0.1",
    )  # fmt: skip
    sim = pm.simulate(SPAN, 20_000, seed=1, keep_samples=True)
    expected = pm.discover(sim, REVENUE, above=350e6, threshold=0.9, peel_alpha=0.1)
    assert data == expected.to_dict()


def test_cli_text_with_defaults() -> None:
    out = ok("discover", "span-sources", "--output", "take_home_monthly_usd", "--below", "100",
             "--seed", "3")  # fmt: skip
    sim = pm.simulate(SPAN, 20_000, seed=3, keep_samples=True)
    assert out == pm.discover(sim, "take_home_monthly_usd", below=100).to_text() + "\n"
    assert "Mostly when diversion.0.share ≥ 100.0 %:" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["span-sources", "--output", REVENUE], "give the condition, --above X and/or --below X"),
        (["span-sources", "--above", "1"], "the following arguments are required: --output"),
        (["span-sources", "--output", "x", "--above", "1"], "no output or layer named 'x'"),
        (["nis-estimate", "--output", REVENUE, "--above", "1"], "has no uncertain inputs"),
        (["span-sources", "--output", REVENUE, "--above", "1e12"], "no sample meets"),
        (["span-sources", "--output", REVENUE, "--above", "x"], "--above: must be a number"),
        (
            ["span-sources", "--output", REVENUE, "--above", "1", "--min-mass", "0"],
            "discover: argument --min-mass: must lie in (0, 1] (got 0.0)",
        ),
        (["span-sources", "--output", REVENUE, "--above", "1", "--method", "qmc"], "qmc"),
    ],
)
def test_cli_bad_input(argv: list[str], fragment: str) -> None:
    assert fragment in bad("discover", *argv, "--samples", "2000")


def test_cli_refuses_more_samples_than_fit_in_memory() -> None:
    # 10¹¹ kept samples would need some 30 TB: one line, not an out-of-memory kill.
    message = bad("discover", "span-sources", "--output", REVENUE, "--above", "3e8",
                  "--samples", "100000000000")  # fmt: skip
    # 18 kept values a sample (13 outputs, 1 layer, 4 inputs) and PRIM's 4·4 + 2 = 18:
    # 1.25·2³⁰/8 // 36 = 4,660,337 samples fit in 1.25 GiB.
    assert "argument --samples: must be at most 4,660,337 for this scenario" in message


def _found(box: Box, **condition: float) -> Discovery:
    return Discovery(
        scenario="s",
        output=REVENUE,
        above=condition.get("above"),
        below=condition.get("below"),
        samples=1000,
        seed=1,
        method="mc",
        hit_share=0.12,
        box=box,
        trajectory=(box,),
        chosen=0,
        threshold=0.8,
    )


def test_the_summary_says_what_was_found_in_plain_words() -> None:
    troops = Restriction("deployment.troops", 18_000, None, 0.5, 0.9)
    kept = Restriction("diversion.0.share", 0.85, None, 0.6, 0.95)
    box = Box(coverage=0.8, density=0.83, mass=0.1, restrictions=(troops, kept))
    assert _found(box, above=1e9).summary == (
        "In s, regime_revenue_per_year_usd is above $1,000,000,000 in 83.0 % of the draws "
        "where deployment.troops is at least 18,000 and diversion.0.share is at least 85.0 % "
        "(against 12.0 % across all draws); those draws hold 80.0 % of all the draws where it is."
    )
    tours = Restriction("deployment.tour_months", 2, 5.5, 0.2, 0.9)
    one = Box(coverage=0.7, density=0.5, mass=0.2, restrictions=(tours,))
    assert _found(one, above=2e8, below=3e8).summary == (
        "In s, regime_revenue_per_year_usd is between $200,000,000 and $300,000,000 in 50.0 % "
        "of the draws where deployment.tour_months is between 2 and 5.5 (against 12.0 % across "
        "all draws); those draws hold 70.0 % of all the draws where it is."
    )
    whole_space = Box(coverage=1.0, density=0.12, mass=1.0, restrictions=())
    assert _found(whole_space, below=1e8).summary == (
        "In s, regime_revenue_per_year_usd is below $100,000,000 in 12.0 % of the draws, and no "
        "range of the inputs stands out where it is more often."
    )
