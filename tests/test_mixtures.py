"""Mixtures (DESIGN §2, §7): one source's range or another's, checked against closed forms."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import paymodel as pm
from paymodel.sampling import BLOCK_SIZE, plan_sampling
from paymodel.testing import check_invariants, distributions, scenarios, values

#: Two sources' ranges of monthly pay, weighted 3 : 7. The CDF in closed form:
#: F(x) = 0.3·clip((x − 1,000)/1,000) + 0.7·clip((x − 1,500)/2,000).
TWO_RANGES = pm.Mixture(
    of=[pm.Uniform(low=1000, high=2000), pm.Uniform(low=1500, high=3500)], weights=[3, 7]
)


def two_ranges_cdf(x: float) -> float:
    return 0.3 * min(max((x - 1000) / 1000, 0), 1) + 0.7 * min(max((x - 1500) / 2000, 0), 1)


#: Points of TWO_RANGES's CDF: below, inside one range, inside both, above.
POINTS = [900.0, 1250.0, 1500.0, 1750.0, 2000.0, 2600.0, 3400.0, 3600.0]


def scenario_with(**pay: Any) -> pm.Scenario:
    """DESIGN §1's worked example (one layer taking 90 %), with the pay given."""
    return pm.Scenario(
        name="mixture-test",
        pay=pm.Pay(**pay),
        diversion=[pm.Layer(name="state", share=0.9)],
        deployment=pm.Deployment(troops=11_000, months=12),
    )


def drawn(scenario: pm.Scenario, method: str, blocks: int, seed: int = 5) -> np.ndarray:
    """The gross pay of ``blocks`` whole blocks of the sampling plan."""
    plan = plan_sampling(scenario, method, seed)  # type: ignore[arg-type]
    parts = [plan.block(j, BLOCK_SIZE)["pay.gross_monthly_usd"] for j in range(blocks)]
    return np.concatenate(parts)


# -- the closed forms ----------------------------------------------------------------------------


def test_cdf_is_the_weighted_sum_of_the_components() -> None:
    got = TWO_RANGES.cdf(np.array(POINTS))
    np.testing.assert_allclose(got, [two_ranges_cdf(x) for x in POINTS], rtol=0, atol=1e-15)
    # by hand at 1,750: 0.3·0.75 + 0.7·0.125 = 0.225 + 0.0875 = 0.3125
    assert TWO_RANGES.cdf(1750.0) == pytest.approx(0.3125, abs=1e-15)


@pytest.mark.parametrize(("method", "tolerance"), [("mc", 2.5e-3), ("lhs", 1e-4), ("sobol", 1e-4)])
def test_the_cdf_of_a_million_samples(method: str, tolerance: float) -> None:
    # 16 blocks: 1,048,576 samples. Monte Carlo's empirical CDF has a standard error of at
    # most √(0.25/2²⁰) ≈ 4.9·10⁻⁴ (the tolerance is 5 of them); Latin hypercube and Sobol
    # points are stratified, off by about one sample in a block (1/65,536 ≈ 1.5·10⁻⁵).
    samples = drawn(scenario_with(gross_monthly_usd=TWO_RANGES), method, blocks=16)
    assert samples.size == 2**20
    for x in POINTS:
        assert np.mean(samples <= x) == pytest.approx(two_ranges_cdf(x), abs=tolerance), x
    # Monte Carlo draws a component by weight: 30 % of the draws come from the first range,
    # and only it reaches below 1,500 (0.3·0.5 = 15 % of all draws).
    assert np.mean(samples < 1500) == pytest.approx(0.15, abs=tolerance)


def test_hand_worked_median() -> None:
    # Equal weights, uniform(1,000, 2,000) and uniform(1,500, 2,500). Between 1,500 and 2,000
    # F(x) = 0.5·(x − 1,000)/1,000 + 0.5·(x − 1,500)/1,000 = (2x − 2,500)/2,000;
    # F(x) = 0.5 at 2x − 2,500 = 1,000, x = 1,750.
    equal = pm.Mixture(of=[pm.Uniform(low=1000, high=2000), pm.Uniform(low=1500, high=2500)])
    assert equal.median() == pytest.approx(1750, rel=1e-15)
    # Weights 1 : 3: F(x) = 0.25·(x − 1,000)/1,000 + 0.75·(x − 1,500)/1,000
    #              = (x − 1,375)/1,000 = 0.5 at x = 1,875.
    weighted = equal.evolve(weights=(1, 3))
    assert weighted.median() == pytest.approx(1875, rel=1e-15)
    # run uses the median: take-home 10 % of 1,875 = 187.50 a month; the state takes
    # 0.9·1,875·11,000·12 = 222,750,000.
    result = pm.compute(scenario_with(gross_monthly_usd=weighted))
    assert result.take_home_monthly_usd == pytest.approx(187.5, rel=1e-12)
    assert result.regime_revenue_usd == pytest.approx(222_750_000, rel=1e-12)


def test_a_point_mass_and_a_range() -> None:
    # A range of 1,500–2,500 (weight 1) and a point mass at 2,800 (weight 1):
    # F = 0.5·(x − 1,500)/1,000 below 2,500, 0.5 up to 2,800, 1 from 2,800 on.
    sources = pm.Mixture(of=[pm.Uniform(low=1500, high=2500), 2800])
    assert sources.cdf([2000.0, 2500.0, 2799.0, 2800.0]).tolist() == [0.25, 0.5, 0.5, 1.0]
    q = np.array([0.0, 0.25, 0.5, np.nextafter(0.5, 1), 0.75, 1.0])
    # Q(0.25) = 1,500 + 1,000·0.25/0.5 = 2,000; Q(0.5) = 2,500, where F reaches 0.5 (the
    # range's top end; the gap up to 2,800 holds nothing); above 0.5 the point mass, exactly.
    assert sources.ppf(q).tolist() == [1500.0, 2000.0, 2500.0, 2800.0, 2800.0, 2800.0]
    assert sources.median() == 2500.0
    # A point mass inside a range: uniform(1,000, 3,000) (60 %) and 2,000 (40 %).
    # F(2,000⁻) = 0.6·0.5 = 0.3, F(2,000) = 0.7: every q in (0.3, 0.7] gives 2,000 exactly;
    # Q(0.2) = 1,000 + 2,000·0.2/0.6 = 1,666.67; Q(0.8) = 1,000 + 2,000·(0.8 − 0.4)/0.6.
    inside = pm.Mixture(of=[pm.Uniform(low=1000, high=3000), 2000], weights=[0.6, 0.4])
    assert inside.median() == 2000.0
    assert inside.ppf(np.array([0.3 + 1e-12, 0.5, 0.7])).tolist() == [2000.0] * 3
    np.testing.assert_allclose(
        inside.ppf(np.array([0.2, 0.8])), [1000 + 2000 / 3, 1000 + 2000 * 0.4 / 0.6], rtol=1e-14
    )
    # Every method draws the point mass in its share of samples, to the bit.
    for method in ("mc", "lhs", "sobol"):
        samples = drawn(scenario_with(gross_monthly_usd=sources), method, blocks=2)
        assert np.mean(samples == 2800.0) == pytest.approx(0.5, abs=5e-3), method
        assert np.all((samples == 2800.0) | ((samples >= 1500) & (samples <= 2500))), method


def test_a_choice_inside_a_mixture_is_its_point_masses() -> None:
    # 50 % choice(2,000, 2,500) (each value half of it) and 50 % uniform(1,000, 3,000):
    # F(2,000) = 0.25 + 0.5·0.5 = 0.5, so the median is the choice's 2,000.
    mixed = pm.Mixture(of=[pm.Choice(values=(2000, 2500)), pm.Uniform(low=1000, high=3000)])
    assert mixed.median() == 2000.0
    assert mixed.cdf(2500.0) == pytest.approx(0.25 + 0.25 + 0.5 * 0.75)


# -- the quantile function: accurate, monotone, vectorized ---------------------------------------

HARD = [
    pm.Mixture(
        of=[pm.Lognormal(p5=1500, p95=2500), pm.Normal(mean=3000, sd=400, low=0)], weights=[2, 1]
    ),
    pm.Mixture(
        of=[
            pm.Pert(low=0, mode=200, high=5000),
            pm.Triangular(low=1000, mode=1200, high=4000),
            2600,
        ]
    ),
    pm.Mixture(of=[pm.Beta(alpha=2, beta=8), pm.Beta(alpha=9, beta=1.5), 0.5], weights=[5, 3, 2]),
    pm.Mixture(
        of=[pm.Normal(mean=-3, sd=1), pm.Normal(mean=4, sd=0.5), pm.Uniform(low=-1, high=1)]
    ),
]


@pytest.mark.parametrize(
    "mixture", HARD, ids=["lognormal-normal", "pert-triangular-point", "betas", "normals"]
)
def test_quantiles_agree_with_scipys_root_finding(mixture: pm.Mixture) -> None:
    q = np.array([1e-9, 0.001, 0.05, 0.2, 0.37, 0.5, 0.61, 0.8, 0.95, 0.999, 1 - 1e-9])
    got = mixture.ppf(q)
    low, high, _ = mixture.support()
    atoms = [c for c in mixture.of if not isinstance(c, pm.BaseDistribution)]
    for value, wanted in zip(got, q, strict=True):
        if any(value == atom for atom in atoms):
            # A point mass: F jumps over q there.
            before = float(mixture.cdf(np.nextafter(value, -np.inf)))
            assert before < wanted <= float(mixture.cdf(value))
            continue
        a = max(low, -1e6)
        b = min(high, 1e7)
        root = optimize.brentq(
            lambda x, q=wanted: float(mixture.cdf(x)) - q, a, b, xtol=1e-14, rtol=1e-15
        )
        assert value == pytest.approx(root, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("mixture", [TWO_RANGES, *HARD])
def test_quantiles_are_monotone_and_invert_the_cdf(mixture: pm.Mixture) -> None:
    q = np.linspace(0, 1, 200_001)
    x = mixture.ppf(q)
    assert np.all(np.diff(x) >= 0)
    assert np.all(mixture.cdf(x) >= q - 1e-12)
    assert mixture.ppf(np.array([[0.5]])).shape == (1, 1)
    assert np.isnan(mixture.ppf(np.array([-0.1, 1.5, np.nan]))).all()


def test_ends_are_the_components_ends() -> None:
    assert TWO_RANGES.ppf(np.array([0.0, 1.0])).tolist() == [1000.0, 3500.0]
    assert TWO_RANGES.support() == (1000.0, 3500.0, True)
    assert TWO_RANGES.largest_parameter() == 3500.0


# -- sampling: reproducible, correlated through the quantile function ----------------------------


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_bit_identical_whatever_the_chunk_size(method: str) -> None:
    scenario = scenario_with(
        gross_monthly_usd=pm.Mixture(of=[pm.Uniform(low=1500, high=2500), 2800])
    )
    samples = 2 * BLOCK_SIZE + 777
    runs = [
        pm.simulate(scenario, samples, seed=11, method=method, chunk_size=size).to_dict()  # type: ignore[arg-type]
        for size in (1_000, BLOCK_SIZE, 10**6)
    ]
    assert runs[0] == runs[1] == runs[2]


def test_bit_identical_with_two_worker_processes() -> None:
    scenario = scenario_with(gross_monthly_usd=TWO_RANGES)
    serial = pm.simulate(scenario, 2 * BLOCK_SIZE, seed=3, chunk_size=BLOCK_SIZE)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = pm.simulate(
            scenario, 2 * BLOCK_SIZE, seed=3, chunk_size=BLOCK_SIZE, executor=pool
        )
    assert serial.to_dict() == parallel.to_dict()


def test_a_correlated_mixture_keeps_its_distribution() -> None:
    # The copula maps correlated uniforms through each input's quantile function: the
    # mixture's CDF holds, and its ranks follow the other input's.
    scenario = pm.Scenario(
        name="correlated-mixture",
        pay=pm.Pay(gross_monthly_usd=TWO_RANGES),
        diversion=[pm.Layer(name="state", share=pm.Uniform(low=0.8, high=1.0))],
        deployment=pm.Deployment(troops=11_000, months=12),
        correlations=[
            pm.Correlation(between=["pay.gross_monthly_usd", "diversion.0.share"], rank=0.8)
        ],
    )
    for method in ("mc", "lhs", "sobol"):
        sim = pm.simulate(scenario, 2**17, seed=9, method=method, keep_samples=True)  # type: ignore[arg-type]
        pay = sim.input_values("pay.gross_monthly_usd")
        share = sim.input_values("diversion.0.share")
        for x in POINTS:
            assert np.mean(pay <= x) == pytest.approx(two_ranges_cdf(x), abs=6e-3), (method, x)
        assert stats.spearmanr(pay, share).statistic == pytest.approx(0.8, abs=0.02), method


def test_tornado_and_sobol_indices_take_mixtures() -> None:
    scenario = scenario_with(
        gross_monthly_usd=TWO_RANGES, delivered_share=pm.Uniform(low=0.5, high=1)
    )
    tornado = pm.sensitivity(scenario, "regime_revenue_usd", method="tornado")
    row = next(r for r in tornado.rows if r.path == "pay.gross_monthly_usd")  # type: ignore[union-attr]
    # 5th percentile: below 1,500 only the first range, F = 0.3·(x − 1,000)/1,000 = 0.05 at
    # x = 1,000 + 1,000/6; 95th: F = 0.3 + 0.7·(x − 1,500)/2,000 = 0.95 at
    # x = 1,500 + 2,000·0.65/0.7.
    assert row.low == pytest.approx(1000 + 1000 / 6, rel=1e-12)
    assert row.high == pytest.approx(1500 + 2000 * 0.65 / 0.7, rel=1e-12)
    indices = pm.sensitivity(scenario, "regime_revenue_usd", "sobol", samples=4096, seed=1)
    assert {x["path"] for x in indices.to_dict()["inputs"]} == {
        "pay.gross_monthly_usd",
        "pay.delivered_share",
    }


# -- shown readably ------------------------------------------------------------------------------


def test_explain_and_the_report_show_the_mixture() -> None:
    scenario = scenario_with(
        gross_monthly_usd=pm.Mixture(of=[pm.Uniform(low=1500, high=2500), 2800])
    )
    line = next(x for x in pm.explain(scenario).inputs if x.path == "pay.gross_monthly_usd")
    assert line.given == "mixture of 50 % uniform(1500, 2500) and 50 % 2800 -> median 2,500"
    three = pm.Mixture(of=[2000, 2500, pm.Uniform(low=2800, high=5000)], weights=[1, 1, 2])
    assert three.describe() == "mixture of 25 % 2000, 25 % 2500 and 50 % uniform(2800, 5000)"


# -- properties ----------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(data=st.data(), scenario=scenarios(min_troops=1, max_troops=20_000))
def test_money_is_conserved_with_mixtures(data: st.DataObject, scenario: pm.Scenario) -> None:
    gross = data.draw(values("pay.gross_monthly_usd", uncertain=True, kinds=["mixture"]))
    delivered = data.draw(values("pay.delivered_share", uncertain=True, kinds=["mixture"]))
    mixed = scenario.evolve(
        pay=scenario.pay.evolve(gross_monthly_usd=gross, delivered_share=delivered)
    )
    check_invariants(pm.compute(mixed))
    check_invariants(pm.simulate(mixed, 2_000, seed=1, keep_samples=True))


@settings(max_examples=60, deadline=None)
@given(distributions("deployment.troops", min_value=10, max_value=15_000, kinds=["mixture"]))
def test_strategies_draw_valid_mixtures(mixture: pm.BaseDistribution) -> None:
    assert isinstance(mixture, pm.Mixture)
    low, high, _ = mixture.support()
    assert 10 <= low <= mixture.median() <= high <= 15_000
    draws = mixture.sample(np.random.default_rng(0), 1_000)
    assert np.all((draws >= low) & (draws <= high))


@pytest.mark.parametrize(
    "of",
    [
        [{"kind": "uniform", "low": 1, "high": 2}, {"kind": "uniform", "low": 2, "high": 3}],
        [{"kind": "uniform", "low": 1, "high": 2}, {"kind": "choice", "values": [2, 3]}],
    ],
)
def test_mixtures_compare_after_their_median_is_computed(of: list[Any]) -> None:
    # The median caches the point masses; cached numpy arrays (none, or two values) in the
    # model made pydantic's equality raise "the truth value of an array is ambiguous" (found
    # by hypothesis when tour_months, a mixture, was compared with its default, months).
    first, second = pm.Mixture(of=of), pm.Mixture(of=of)
    # Half the mass on [1, 2] and half above 2: the median is 2 in both.
    assert first.median() == second.median() == 2.0
    assert first == second
    assert first != pm.Mixture(of=[of[0], 5.0])


def test_an_input_equal_to_its_default_mixture_is_not_an_assumption() -> None:
    months = {
        "kind": "mixture",
        "of": [{"kind": "uniform", "low": 6, "high": 9}, {"kind": "uniform", "low": 9, "high": 12}],
    }
    scenario = pm.Scenario(
        name="same-mixture",
        pay={"gross_monthly_usd": 2000},
        deployment={"troops": 11_000, "months": months, "tour_months": months},
    )
    explanation = pm.explain(scenario)  # compares tour_months with its default, months
    tour = next(x for x in explanation.inputs if x.path == "deployment.tour_months")
    assert tour.assumption is False


@pytest.mark.parametrize("alpha", [4.2059961354722164e-308, 1e-301])
def test_a_beta_parameter_below_the_smallest_is_refused(alpha: float) -> None:
    # alpha = beta = 4.2e-308 (hypothesis found it) has no median in scipy: NaN.
    with pytest.raises(pm.ScenarioError, match="alpha"):
        pm.Beta(alpha=alpha, beta=alpha)


@pytest.mark.parametrize("alpha", [1e-300, 1e-100, 1e-3, 1.0, 1e6])
@pytest.mark.parametrize("beta", [1e-300, 1e-3, 1.0, 1e6])
def test_every_accepted_beta_has_finite_quantiles(alpha: float, beta: float) -> None:
    quantiles = pm.Beta(alpha=alpha, beta=beta).ppf(np.linspace(0.0, 1.0, 21))
    assert np.isfinite(quantiles).all()
    assert ((quantiles >= 0.0) & (quantiles <= 1.0)).all()


def test_a_tiny_bound_is_written_as_a_number_people_read() -> None:
    # pydantic writes 1e-300 in fixed point, some 300 digits; the message shows 1e-300.
    with pytest.raises(pm.ScenarioError) as caught:
        pm.Beta(alpha=1e-310, beta=1.0)
    assert str(caught.value) == "alpha: must be greater than or equal to 1e-300 (got 1e-310)"
