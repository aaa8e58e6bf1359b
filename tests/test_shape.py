"""The shape of an output's draws: point masses and clusters said in words (paymodel.shape)."""

from __future__ import annotations

import numpy as np
import pytest

import paymodel as pm
from paymodel.shape import Part, describe, shape_of


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
