"""The shape of an output's draws: point masses and clusters said in words (paymodel.shape)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import paymodel as pm
from paymodel.shape import Part, describe, shape_of

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _either_or() -> pm.Scenario:
    """$2,000 a month; the state keeps 90 % or all of it, equally likely (span-sources' choice)."""
    return pm.builtin("independent-90").evolve(
        **{"diversion.0.share": {"kind": "choice", "values": [0.9, 1.0]}}
    )


def test_half_the_draws_at_zero_is_a_point_mass_said_in_words() -> None:
    sim = pm.simulate(_either_or(), 4_000, seed=1, keep_samples=True)
    values = sim.values("take_home_monthly_usd")
    # Take-home is 2,000 · (1 − 0.9) = $200 or 2,000 · (1 − 1.0) = $0, never in between.
    zero_share = float(np.mean(values == 0.0))
    assert 0.45 < zero_share < 0.55
    shape = shape_of(values)
    assert shape.mass == Part(share=zero_share, low=0.0, high=0.0)
    assert shape.rest is not None
    assert shape.rest.low == pytest.approx(200.0)
    assert shape.rest.high == pytest.approx(200.0)
    assert shape.gap is not None
    assert shape.gap[0] == 0.0
    assert shape.gap[1] == pytest.approx(200.0)
    assert not shape.plain
    words = describe("take_home_monthly_usd", shape)
    assert words == (
        f"in {100 * zero_share:.1f} % of draws the soldier keeps nothing; otherwise $200"
    )


def test_a_median_between_the_mass_and_the_rest_is_in_the_gap() -> None:
    # Five draws at $0 and five at $100…$300: np.percentile's median is (0 + 100) / 2 = $50,
    # a value no draw takes.
    shape = shape_of([0.0] * 5 + [100.0, 150.0, 200.0, 250.0, 300.0])
    assert shape.p50 == 50.0
    assert shape.in_gap(shape.p50)
    assert not shape.in_gap(0.0)
    assert not shape.in_gap(100.0)
    # The rest's 5th percentile: 100 + 0.2 · 50 = 110; its 95th: 250 + 0.8 · 50 = 290.
    assert shape.rest == Part(share=0.5, low=110.0, high=290.0)


def test_two_clusters_without_a_mass() -> None:
    # 1, 2, 3 and 97, 98, 99: the step 3 → 97 is 94 of a range of 98 (> 20 %), 3 draws a side.
    shape = shape_of([1.0, 2.0, 3.0, 97.0, 98.0, 99.0])
    assert shape.mass is None
    assert shape.gap == (3.0, 97.0)
    assert shape.clusters == (Part(0.5, 1.1, 2.9), Part(0.5, 97.1, 98.9))
    assert (
        describe("domestic_wage_multiple", shape)
        == "two clusters: 50.0 % of draws mostly 1.1×–2.9×, 50.0 % mostly 97.1×–98.9×"
    )


@pytest.mark.parametrize(
    "values",
    [
        np.linspace(0.0, 1.0, 1_001),  # even spacing: no step stands out
        [1.0, 2.0, 3.0, 4.0],  # a wide step, but one draw on a side is no cluster
        [5.0] * 10,  # one value only: nothing to say beyond it
        np.random.default_rng(1).normal(size=10_000),
    ],
)
def test_plain_spreads_keep_their_percentiles(values: object) -> None:
    shape = shape_of(values)  # type: ignore[arg-type]
    assert shape.plain
    assert shape.gap is None
    assert describe("paid_usd", shape) == ""


def test_span_sources_headline_take_home_is_told_in_words() -> None:
    sim = pm.simulate(pm.builtin("span-sources"), 10_000, seed=1, keep_samples=True)
    words = describe("take_home_monthly_usd", shape_of(sim.values("take_home_monthly_usd")))
    assert words.startswith("in 49.7 % of draws the soldier keeps nothing; otherwise mostly $")
    # The revenue per year moves continuously (pay and troops are continuous): plain.
    assert shape_of(sim.values("regime_revenue_per_year_usd")).plain


def test_a_ratio_that_is_constant_but_for_rounding_is_one_value() -> None:
    # regime / paid is 0.9 in one draw and 0.8999999999999999 (one ulp below) in the next:
    # the diverted share of a scenario with one fixed 90 % layer. It read "72.0 % at
    # 90.0 %, else 90.0 %" when draws were compared bit for bit.
    ulp = np.spacing(0.9)
    values = [0.9] * 72 + [0.9 - ulp] * 20 + [0.9 + ulp] * 8
    shape = shape_of(values)
    assert shape.plain
    assert describe("diverted_share", shape) == ""


def test_rounding_joins_the_point_mass_and_leaves_the_rest() -> None:
    # 60 draws at 0.9 and 5 one ulp off are one mass of 65 of 105 = 61.9 %; the 40 draws
    # at 1.0 are the rest.
    ulp = np.spacing(0.9)
    shape = shape_of([0.9] * 60 + [0.9 + ulp] * 5 + [1.0] * 40)
    assert shape.mass == Part(65 / 105, 0.9, 0.9)
    assert shape.rest == Part(40 / 105, 1.0, 1.0)
    assert describe("diverted_share", shape) == "in 61.9 % of draws 90.0 %; otherwise 100.0 %"


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(
        lambda v: abs(v) > 1e-200
    ),
    offsets=st.lists(st.integers(min_value=-4, max_value=4), min_size=2, max_size=200),
)
def test_draws_a_few_ulps_apart_are_never_a_point_mass(value: float, offsets: list[int]) -> None:
    # Any constant output computed with rounding: a few ulps either side of one value.
    values = np.array([value], dtype=np.float64) + np.array(offsets) * np.spacing(value)
    shape = shape_of(values)
    assert shape.mass is None
    assert shape.clusters is None


def test_compare_names_the_constant_share_of_a_mixture_example_plainly() -> None:
    # examples/disagreeing-sources.toml keeps one 90 % layer, so its diverted share is
    # 90 % in every draw, whatever pay is drawn.
    comparison = pm.compare([pm.load(EXAMPLES / "disagreeing-sources.toml")], samples=10_000)
    # One value in every draw: the median with no interval, and no words of a point mass.
    assert comparison.shape(0, "diverted_share").plain
    assert comparison.simulated_cell(0, "diverted_share") == "90.0 %"
