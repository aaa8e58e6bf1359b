"""The timeline: months worked by hand, rows that add up to the totals, bands, the CLI."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import paymodel as pm
from helpers import bad, ok, ok_json
from paymodel.contingents import Structure
from paymodel.distributions import BaseDistribution
from paymodel.kernel import FLOW_NAMES, evaluate, evaluate_monthly, per_month
from paymodel.sampling import BLOCK_SIZE
from paymodel.timeline import MAX_SAMPLES, largest_samples

BANDS = ("p5", "p25", "p50", "p75", "p95")


def scenario(**deployment: Any) -> pm.Scenario:
    """A small scenario with deaths, rotation, lump sums and a share and a quota layer."""
    return pm.Scenario(
        name="small",
        pay={"gross_monthly_usd": 1000, "signing_bonus_usd": 100, "death_benefit_usd": 1000},
        diversion=[
            {"name": "treasury", "share": 0.5},
            {"name": "commanders", "quota_monthly_usd": 100},
        ],
        deployment={"troops": 100, "months": 2.5, "tour_months": 2, "monthly_death_rate": 0.1}
        | deployment,
    )


def close(actual: Any, expected: Any, rel: float = 1e-12) -> bool:
    return bool(np.allclose(actual, expected, rtol=rel, atol=0.0))


# -- months worked by hand ----------------------------------------------------------------------


def test_deaths_replaced_and_rotation_month_by_month() -> None:
    # H = 100, M = 2.5 (month 3 is half a month), T = 2, k = 0.1, dead replaced.
    # Running totals at the ends τ = 1, 2, 2.5:
    #   S(τ) = H·τ = 100, 200, 250            → soldier-months 100, 100, 50
    #   D(τ) = k·H·τ = 10, 20, 25             → deaths 10, 10, 5
    #   I(τ) = max(H, S/T) + D = max(100, 50) + 10 = 110; max(100, 100) + 20 = 120;
    #          max(100, 125) + 25 = 150      → arrivals 110 (first wave + 10 replacements),
    #                                           10 (replacements), 30 (25 rotated in + 5)
    # Chain: share 0.5 takes 500 of 1000, the quota 100, the soldier keeps t = 400; the share
    # layer takes half of lump sums (φ = 0.5), the quota none.
    # Month 1: P = 1000·100 + 100·110 + 1000·10 = 121,000; lumps 21,000;
    #   treasury 500·100 + 0.5·21,000 = 60,500; commanders 100·100 = 10,000;
    #   regime 70,500; soldiers 400·100 + 0.5·21,000 = 50,500.
    # Month 2: P = 100,000 + 1,000 + 10,000 = 111,000; lumps 11,000; treasury 55,500;
    #   commanders 10,000; regime 65,500; soldiers 45,500.
    # Month 3: P = 50,000 + 3,000 + 5,000 = 58,000; lumps 8,000; treasury 29,000;
    #   commanders 5,000; regime 34,000; soldiers 24,000.
    line = pm.timeline(scenario())
    expected = {
        "headcount": [100, 100, 100],
        "soldier_months": [100, 100, 50],
        "deaths": [10, 10, 5],
        "individuals_deployed": [110, 10, 30],
        "promised_usd": [121_000, 111_000, 58_000],
        "paid_usd": [121_000, 111_000, 58_000],
        "regime_revenue_usd": [70_500, 65_500, 34_000],
        "soldiers_take_home_usd": [50_500, 45_500, 24_000],
        "layer:treasury": [60_500, 55_500, 29_000],
        "layer:commanders": [10_000, 10_000, 5_000],
    }
    assert line.months.tolist() == [1, 2, 3]
    assert line.month_lengths.tolist() == [1.0, 1.0, 0.5]
    assert list(line.columns) == list(expected)
    for name, values in expected.items():
        assert close(line.columns[name], values), (name, line.columns[name])
    assert close(line.cumulative["regime_revenue_usd"], [70_500, 136_000, 170_000])
    assert close(line.cumulative["individuals_deployed"], [110, 120, 150])
    assert line.layer_names == ("treasury", "commanders")
    assert (line.bands, line.cumulative_bands, line.samples, line.seed) == ({}, {}, 0, None)
    # The totals are compute's: P = 1000·250 + 100·150 + 1000·25 = 290,000.
    result = pm.compute(scenario())
    assert line.total("promised_usd") == pytest.approx(result.promised_usd, rel=1e-12)
    assert result.promised_usd == 290_000


def test_losses_not_replaced_month_by_month() -> None:
    # H = 1000, k = 0.1, M = 2.5, T = M (no rotation), dead not replaced, g = 100, one layer
    # keeping 0.9: headcount H·0.9^(j−1) = 1000, 900, 810.
    # S(τ) = H·(1 − 0.9^τ)/0.1 = 1000, 1900, 10,000·(1 − 0.9^2.5); 0.9^2.5 = 0.81·√0.9
    #      = 0.768433471 → S(2.5) = 2315.665287 → soldier-months 1000, 900, 415.665287
    # D(τ) = H·(1 − 0.9^τ) = 100, 190, 231.5665287 → deaths 100, 90, 41.5665287
    # I(τ) = max(1000, S/2.5) = 1000 throughout → arrivals 1000, 0, 0
    # regime 90·S per month: 90,000, 81,000, 37,409.876
    line = pm.timeline(
        scenario(troops=1000, tour_months=None, replace_losses=False).evolve(
            pay={"gross_monthly_usd": 100},
            diversion=[{"name": "treasury", "share": 0.9}],
        )
    )
    last = 10_000 * (1 - 0.81 * math.sqrt(0.9)) - 1900
    assert close(line.columns["headcount"], [1000, 900, 810])
    assert close(line.columns["soldier_months"], [1000, 900, last])
    assert close(line.columns["deaths"], [100, 90, last / 10])
    assert line.columns["individuals_deployed"].tolist() == [1000, 0, 0]
    assert close(line.columns["regime_revenue_usd"], [90_000, 81_000, 90 * last])
    assert close(line.columns["soldiers_take_home_usd"], [10_000, 9_000, 10 * last])


def test_in_kind_and_arrears_month_by_month() -> None:
    # H = 10, M = 2, g = 1000, b = 100, δ = 0.5, κ = 0.2, one layer keeping 0.5.
    # Month 1: S = 10, I = 10: P = 10,000 + 1,000 = 11,000; paid 5,500; in kind 0.2·5,500
    #   = 1,100; x₀ = 1000·0.5·0.8 = 400, the layer takes 200·10 + 0.5·(0.8·0.5·1,000 = 400)
    #   = 2,200; regime 3,300; soldiers 200·10 + 200 = 2,200 (3,300 + 2,200 = 5,500).
    # Month 2: S = 10, I = 0: paid 5,000; in kind 1,000; layer 2,000; soldiers 2,000.
    s = pm.Scenario(
        name="in-kind",
        pay={
            "gross_monthly_usd": 1000,
            "signing_bonus_usd": 100,
            "delivered_share": 0.5,
            "in_kind_share": 0.2,
        },
        diversion=[{"name": "treasury", "share": 0.5}],
        deployment={"troops": 10, "months": 2},
    )
    line = pm.timeline(s)
    assert line.layer_names == ("in kind", "treasury")
    assert close(line.columns["paid_usd"], [5_500, 5_000])
    assert close(line.columns["layer:in kind"], [1_100, 1_000])
    assert close(line.columns["layer:treasury"], [2_200, 2_000])
    assert close(line.columns["regime_revenue_usd"], [3_300, 3_000])
    assert close(line.columns["soldiers_take_home_usd"], [2_200, 2_000])
    assert close(line.columns["promised_usd"], [11_000, 10_000])


def test_kernel_monthly_pads_samples_that_end_early() -> None:
    # Two samples: 2.5 and 1.2 months. The second's running totals stop after month 2 (0.2
    # of a month), its headcount is 0 in month 3.
    monthly = evaluate_monthly(
        {
            "pay.gross_monthly_usd": 1000.0,
            "deployment.troops": np.array([100.0, 10.0]),
            "deployment.months": np.array([2.5, 1.2]),
        },
        3,
    )
    assert monthly.month_lengths.tolist() == [[1.0, 1.0, 0.5], [1.0, pytest.approx(0.2), 0.0]]
    assert monthly.headcount.tolist() == [[100, 100, 100], [10, 10, 0]]
    soldier_months = per_month(monthly.at_month_end.outputs["soldier_months"])
    assert close(soldier_months, [[100, 100, 50], [10, 2, 0]])


# -- rows add up to the totals -------------------------------------------------------------------


def assert_adds_up(line: pm.Timeline, result: pm.Result) -> None:
    """Every column's months sum to compute's total, and the last running total is it."""
    totals = dict(result.outputs)
    totals.update({f"layer:{x.name}": x.revenue_usd for x in result.layers})
    assert list(line.cumulative) == [*FLOW_NAMES, *(f"layer:{x.name}" for x in result.layers)]
    scale = max(abs(v) for v in totals.values() if math.isfinite(v))
    for name in line.cumulative:
        total = totals[name]
        assert float(np.sum(line.columns[name])) == pytest.approx(
            total, rel=1e-12, abs=1e-12 * scale
        )
        assert line.total(name) == pytest.approx(total, rel=1e-12, abs=1e-12 * scale)
        assert np.all(line.columns[name] >= -1e-9 * scale), name  # nothing flows backwards
    # Conservation holds month by month, and the layers add up to the regime's revenue (to
    # the rounding of the running totals the months are differences of).
    c = line.columns
    assert np.allclose(
        c["paid_usd"],
        c["regime_revenue_usd"] + c["soldiers_take_home_usd"],
        rtol=1e-9,
        atol=1e-12 * scale,
    )
    layers = sum((c[f"layer:{x.name}"] for x in result.layers), np.zeros(len(line.months)))
    assert np.allclose(layers, c["regime_revenue_usd"], rtol=1e-9, atol=1e-9 * scale)


def latest_end_months(s: pm.Scenario) -> float:
    """The latest month end any sample's windows can reach, from month 0, by hand: each
    window's start plus the largest value its ``months`` can take (a contingent that
    follows another starts at that one's latest end)."""

    def largest(value: float | BaseDistribution) -> float:
        return float(value.support()[1]) if isinstance(value, BaseDistribution) else float(value)

    if s.deployment is not None:
        return largest(s.deployment.months)
    structure = Structure.of(s)
    ends: dict[int, float] = {}
    for i in structure.order:
        group = structure.groups[i]
        start = group.start_months if group.follows is None else ends[group.follows]
        ends[i] = start + largest(s.contingents[i].months)
    return max(ends.values())


@pytest.mark.parametrize("name", pm.builtin_names())
def test_rows_add_up_to_compute_for_every_builtin(name: str) -> None:
    s = pm.builtin(name)
    line = pm.timeline(s, samples=0)
    assert_adds_up(line, pm.compute(s))
    assert len(line.months) == math.ceil(latest_end_months(s))


shares = st.just(0.0) | st.floats(1e-12, 1.0)
monthly_money = st.just(0.0) | st.floats(1e-6, 1e4)
lump_money = st.just(0.0) | st.floats(1e-6, 1e5)


@st.composite
def scenarios(draw: st.DrawFn) -> pm.Scenario:
    """Valid scenarios of plain numbers: any deployment, chain and lump sums."""
    layers = []
    for index in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            layers.append({"name": f"layer {index}", "share": draw(shares)})
        else:
            layers.append({"name": f"layer {index}", "quota_monthly_usd": draw(monthly_money)})
    deployment: dict[str, Any] = {
        "troops": draw(st.floats(1.0, 1e6)),
        "months": draw(st.floats(1 / 30, 240.0)),
        "monthly_death_rate": draw(shares),
        "replace_losses": draw(st.booleans()),
    }
    if draw(st.booleans()):
        deployment["tour_months"] = draw(st.floats(1 / 30, 240.0))
    return pm.Scenario(
        name="generated",
        pay={
            "gross_monthly_usd": draw(monthly_money),
            "signing_bonus_usd": draw(lump_money),
            "death_benefit_usd": draw(lump_money),
            "delivered_share": draw(shares),
            "in_kind_share": draw(shares),
        },
        diversion=layers,
        deployment=deployment,
    )


@given(scenarios())
def test_rows_add_up_to_compute_for_generated_scenarios(s: pm.Scenario) -> None:
    line = pm.timeline(s)
    assert_adds_up(line, pm.compute(s))
    # Headcount: H throughout when the dead are replaced, H·(1 − k)^(j − 1) when not.
    h, k = float(s.deployment.troops), float(s.deployment.monthly_death_rate)  # type: ignore[arg-type]
    j = line.months
    expected = h if s.deployment.replace_losses else h * (1 - k) ** (j - 1)
    assert close(line.columns["headcount"], np.broadcast_to(expected, j.shape), 1e-9)


@given(
    st.lists(st.floats(1 / 30, 40.0), min_size=1, max_size=6),
    st.floats(0.0, 1.0),
    st.booleans(),
    st.floats(0.5, 30.0),
)
def test_kernel_batch_rows_add_up_per_sample(
    months: list[float], rate: float, replaced: bool, tour: float
) -> None:
    # Samples of different lengths in one batch: each row's months sum to its own totals.
    inputs = {
        "pay.gross_monthly_usd": 2000.0,
        "pay.signing_bonus_usd": 500.0,
        "pay.death_benefit_usd": 9000.0,
        "diversion.0.share": 0.9,
        "deployment.troops": np.linspace(1000.0, 5000.0, len(months)),
        "deployment.months": np.array(months),
        "deployment.tour_months": tour,
        "deployment.monthly_death_rate": rate,
        "deployment.replace_losses": replaced,
    }
    count = math.ceil(max(months))
    monthly = evaluate_monthly(inputs, count)
    totals = evaluate(inputs)
    for name in FLOW_NAMES:
        sums = per_month(monthly.at_month_end.outputs[name]).sum(axis=-1)
        assert np.allclose(sums, totals.outputs[name], rtol=1e-12, atol=1e-6), name
    assert monthly.headcount.shape == (len(months), count)


# -- bands from simulate's draws -----------------------------------------------------------------


def uncertain_months() -> pm.Scenario:
    """span-sources with an uncertain length, deaths and lump sums (rows of unequal length)."""
    return pm.builtin("span-sources").evolve(
        **{
            "deployment.months": pm.Uniform(low=6, high=12.5),
            "deployment.monthly_death_rate": pm.Uniform(low=0, high=0.03),
            "pay.death_benefit_usd": 30_000,
            "pay.signing_bonus_usd": 1_000,
        }
    )


@pytest.mark.parametrize(
    ("make", "samples", "method"),
    [
        (lambda: pm.builtin("span-sources"), 3_000, "mc"),
        (uncertain_months, 2_000, "lhs"),
        (uncertain_months, BLOCK_SIZE + 300, "mc"),
        (lambda: pm.builtin("rotation-100k"), 1_000, "sobol"),
    ],
)
def test_each_sample_adds_up_to_simulate_for_that_sample(
    make: Any, samples: int, method: str
) -> None:
    s = make()
    line = pm.timeline(s, samples=samples, seed=11, method=method, keep_samples=True)
    sim = pm.simulate(s, samples, seed=11, method=method, keep_samples=True)
    assert line.kept is not None
    assert line.samples == samples
    assert line.seed == 11
    assert line.method == method
    for name in line.cumulative:
        rows = line.kept[name]
        assert rows.shape == (samples, len(line.months))
        assert np.allclose(rows.sum(axis=1), sim.values(name), rtol=1e-12, atol=1e-6), name
    # Every sample's headcount is 0 after its deployment ended (no soldier-months), and
    # positive before; samples of uncertain length end in different months.
    serving = line.kept["soldier_months"] > 0
    assert np.array_equal(line.kept["headcount"] > 0, serving)
    assert np.all(serving[:, 0])
    ends = serving.sum(axis=1)
    if "deployment.months" in s.uncertain_inputs():
        assert set(ends.tolist()) == set(range(7, 14))  # M in (6, 12.5): 7 to 13 months
    else:
        assert set(ends.tolist()) == {12}


def test_bands_are_ordered_and_bracket_the_spread() -> None:
    line = pm.timeline(uncertain_months(), samples=4_000, seed=2)
    assert set(line.bands) == {"headcount", *line.cumulative}
    assert set(line.cumulative_bands) == set(line.cumulative)
    for chosen in (line.bands, line.cumulative_bands):
        for name, band in chosen.items():
            assert list(band) == list(BANDS)
            stacked = np.stack([band[p] for p in BANDS])
            assert stacked.shape == (5, len(line.months))
            assert np.all(np.diff(stacked, axis=0) >= 0), name
    # The 13th month exists only for deployments longer than 12 months (1/13 of the draws
    # of uniform(6, 12.5)): its median revenue is 0, its 95th percentile is not.
    assert len(line.months) == 13
    assert line.bands["regime_revenue_usd"]["p50"][12] == 0
    assert line.bands["regime_revenue_usd"]["p95"][12] > 0
    # Running totals widen as the months go by.
    spread = line.cumulative_bands["regime_revenue_usd"]
    width = spread["p95"] - spread["p5"]
    assert np.all(np.diff(width) > 0)


def test_same_seed_same_timeline_and_recorded_seed_repeats_it() -> None:
    s = pm.builtin("span-sources")
    first = pm.timeline(s, samples=2_000, seed=7)
    second = pm.timeline(s, samples=2_000, seed=7)
    assert first.to_dict() == second.to_dict()
    other = pm.timeline(s, samples=2_000, seed=8)
    assert other.bands["regime_revenue_usd"]["p5"][0] != first.bands["regime_revenue_usd"]["p5"][0]
    fresh = pm.timeline(s, samples=500)
    assert isinstance(fresh.seed, int)
    assert pm.timeline(s, samples=500, seed=fresh.seed).to_dict() == fresh.to_dict()


def test_fixed_scenario_and_zero_samples_have_no_bands() -> None:
    fixed = pm.timeline(pm.builtin("nis-estimate"), samples=1000, seed=1)
    assert (fixed.bands, fixed.samples, fixed.seed, fixed.method) == ({}, 0, None, None)
    none = pm.timeline(pm.builtin("span-sources"), samples=0)
    assert (none.bands, none.samples) == ({}, 0)
    assert pm.timeline(pm.builtin("span-sources"), seed=1).samples == 10_000  # the default


def test_timeline_arrays_are_read_only() -> None:
    line = pm.timeline(pm.builtin("span-sources"), samples=100, seed=1)
    with pytest.raises(ValueError, match="read-only"):
        line.columns["paid_usd"][0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        line.bands["paid_usd"]["p5"][0] = 0.0


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"samples": -1}, "samples must be between 0 and 100,000"),
        ({"samples": MAX_SAMPLES + 1}, "samples must be between 0 and 100,000"),
        ({"samples": 1.5}, "samples must be a whole number"),
        ({"samples": True}, "samples must be a whole number"),
        ({"method": "grid"}, "method must be one of mc, lhs, sobol"),
        ({"seed": -3}, "seed must be a non-negative integer"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(pm.ScenarioError, match=fragment):
        pm.timeline(pm.builtin("span-sources"), **kwargs)


def test_samples_times_months_is_bounded() -> None:
    # One layer: 7 flows + headcount + 1 layer = 9 columns, + 3 while summarising = 12
    # values a sample and month; 100,000 × 1,200 × 12 = 1,440,000,000 > 1.25·2³⁰/8 = 167,772,160,
    # and 167,772,160 // (1,200 × 12) = 11,650 samples fit.
    long = pm.builtin("span-sources").evolve(**{"deployment.months": 1200})
    with pytest.raises(
        pm.ScenarioError,
        match=r"timeline: 100,000 samples × 1,200 months × 12 values a month is "
        r"1,440,000,000 values .*; use at most 11,650 samples",
    ):
        pm.timeline(long, samples=MAX_SAMPLES, seed=1)
    assert largest_samples(long, 1200) == 11_650
    assert largest_samples(long, 1200, keep_samples=True) == 167_772_160 // (1200 * 21)
    assert pm.timeline(long, samples=10, seed=1).columns["paid_usd"].shape == (1200,)


# -- what people and scripts read ----------------------------------------------------------------


def test_text_shows_every_month_and_the_totals() -> None:
    text = pm.timeline(scenario()).to_text()
    lines = text.splitlines()
    assert lines[0] == "small: month by month (point estimate)"
    assert lines[3].split()[:4] == ["1", "100", "10", "110"]
    assert lines[5].startswith("3 (0.5)")
    assert "$34,000" in lines[5]
    assert "$170,000" in lines[5]
    assert lines[6].split()[:3] == ["total", "25", "150"]
    assert lines[-1].startswith("A fraction after a month")


def test_text_with_bands_names_the_samples() -> None:
    text = pm.timeline(pm.builtin("span-sources"), samples=1000, seed=4).to_text()
    assert "bands from 1,000 samples, mc, seed 4" in text.splitlines()[0]
    assert "regime p5–p95" in text


def test_cli_text_json_and_csv() -> None:
    assert (
        ok("timeline", "casualty-aware")
        == pm.timeline(pm.builtin("casualty-aware")).to_text() + "\n"
    )
    data = ok_json("timeline", "span-sources", "--samples", "800", "--seed", "3")
    assert data == pm.timeline(pm.builtin("span-sources"), samples=800, seed=3).to_dict()
    assert sorted(data) == sorted(
        [
            "scenario",
            "samples",
            "seed",
            "method",
            "by",
            "months",
            "labels",
            "month_lengths",
            "layers",
            "columns",
            "cumulative",
            "bands",
            "cumulative_bands",
            "contingents",
        ]
    )
    assert data["months"] == list(range(1, 13))
    assert list(data["bands"]["paid_usd"]) == list(BANDS)
    rows = list(csv.DictReader(io.StringIO(ok("timeline", "casualty-aware", "--csv"))))
    assert [int(r["month"]) for r in rows] == list(range(1, 12))
    # 181.5 deaths a month: 0.0165 × 11,000; eleven of them are compute's 1,996.5.
    assert [float(r["deaths"]) for r in rows] == [pytest.approx(181.5, rel=1e-12)] * 11
    assert float(rows[-1]["cumulative_regime_revenue_usd"]) == pytest.approx(271_705_500, rel=1e-12)


def test_cli_csv_with_bands_has_percentile_columns() -> None:
    text = ok("timeline", "span-sources", "--csv", "--samples", "500", "--seed", "1")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["month", "month_length", "headcount"]
    assert "regime_revenue_usd:p5" in header
    assert "cumulative_paid_usd:p95" in header
    assert text.count("\n") == 13


def test_cli_zero_samples_draws_no_bands_as_the_api_does() -> None:
    data = ok_json("timeline", "span-sources", "--samples", "0")
    assert (data["samples"], data["seed"], data["bands"]) == (0, None, {})
    assert data == pm.timeline(pm.builtin("span-sources"), samples=0).to_dict()


def test_cli_same_seed_same_output() -> None:
    argv = ("timeline", "rotation-100k", "--samples", "300", "--seed", "9", "--method", "lhs")
    assert ok(*argv, "--json") == ok(*argv, "--json")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("timeline", "casualty-aware", "--json", "--csv"), "not allowed with argument"),
        (("timeline", "span-sources", "--samples", "-1"), "--samples: must be at least 0"),
        (("timeline", "span-sources", "--samples", "many"), "--samples: must be a whole number"),
        (("timeline", "span-sources", "--samples", "100001"), "--samples: must be between 0"),
        (("timeline", "span-sources", "--seed", "-1"), "--seed: must not be negative"),
        (("timeline", "no-such-scenario"), "no-such-scenario"),
        (("timeline",), "the following arguments are required: SCENARIO"),
        (("timeline", "span-sources", "--method", "grid"), "invalid choice"),
    ],
)
def test_cli_bad_arguments(argv: tuple[str, ...], fragment: str) -> None:
    assert fragment in bad(*argv)


@pytest.mark.parametrize("name", pm.builtin_names())
@pytest.mark.parametrize("currency", [None, {"code": "KRW", "per_usd": 1395}])
def test_point_values_counts_what_a_point_timeline_keeps(
    name: str, currency: dict[str, Any] | None
) -> None:
    """`point_values` is the report's memory budget for a timeline without samples: it must
    count every array that timeline keeps, the twins of money included (they were missed)."""
    from paymodel.timeline import point_values

    chosen = pm.builtin(name) if currency is None else pm.builtin(name).evolve(currency=currency)
    line = pm.timeline(chosen, samples=0)
    kept = line.month_lengths.size
    kept += sum(values.size for values in line.columns.values())
    kept += sum(values.size for values in line.cumulative.values())
    kept += sum(v.size for columns in line.contingents.values() for v in columns.values())
    assert point_values(chosen) == kept
