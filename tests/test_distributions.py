"""The seven distribution kinds: medians, quantiles and samples against known answers."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

import paymodel as pm

KINDS: list[pm.BaseDistribution] = [
    pm.Uniform(low=1.0, high=3.0),
    pm.Triangular(low=0.0, mode=1.0, high=4.0),
    pm.Pert(low=0.0, mode=1.0, high=4.0),
    pm.Normal(mean=10.0, sd=2.0),
    pm.Normal(mean=0.5, sd=0.3, low=0.0, high=1.0),
    pm.Lognormal(p5=1500.0, p95=2500.0),
    pm.Beta(alpha=2.0, beta=5.0),
    pm.Choice(values=(0.9, 1.0), weights=(3.0, 1.0)),
]


def reference(dist: pm.BaseDistribution) -> stats.rv_continuous | None:
    """The same distribution in scipy.stats, to check against (None for choice)."""
    if isinstance(dist, pm.Uniform):
        return stats.uniform(dist.low, dist.high - dist.low)
    if isinstance(dist, pm.Triangular):
        width = dist.high - dist.low
        return stats.triang((dist.mode - dist.low) / width, dist.low, width)
    if isinstance(dist, pm.Pert):
        # α = 1 + 4·(1 − 0)/4 = 2, β = 1 + 4·(4 − 1)/4 = 4 on [0, 4].
        return stats.beta(2.0, 4.0, loc=0.0, scale=4.0)
    if isinstance(dist, pm.Normal):
        if dist.low is None:
            return stats.norm(dist.mean, dist.sd)
        a, b = (dist.low - dist.mean) / dist.sd, (dist.high - dist.mean) / dist.sd  # type: ignore[operator]
        return stats.truncnorm(a, b, dist.mean, dist.sd)
    if isinstance(dist, pm.Lognormal):
        # σ = ln(2500/1500)/(2·1.6449) = 0.15528, median √(1500·2500) = 1936.49.
        sigma = math.log(2500 / 1500) / (2 * 1.6448536269514722)
        return stats.lognorm(sigma, scale=math.sqrt(1500 * 2500))
    if isinstance(dist, pm.Beta):
        return stats.beta(dist.alpha, dist.beta)
    return None


@pytest.mark.parametrize("dist", KINDS[:-1], ids=lambda d: d.describe())
def test_quantiles_and_median_match_scipy(dist: pm.BaseDistribution) -> None:
    ref = reference(dist)
    assert ref is not None
    q = np.array([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
    np.testing.assert_allclose(dist.ppf(q), ref.ppf(q), rtol=1e-9)
    assert dist.median() == pytest.approx(float(ref.median()), rel=1e-9)


@pytest.mark.parametrize("dist", KINDS, ids=lambda d: d.describe())
def test_samples_follow_the_distribution(dist: pm.BaseDistribution) -> None:
    rng = np.random.default_rng(20241031)
    draws = dist.sample(rng, 200_000)
    assert draws.shape == (200_000,)
    assert draws.dtype == np.float64
    low, high, _ = dist.support()
    assert draws.min() >= low
    assert draws.max() <= high
    ref = reference(dist)
    if ref is not None:
        # Kolmogorov–Smirnov against the exact distribution; p < 1e-4 would be a real bug.
        assert stats.kstest(draws, ref.cdf).pvalue > 1e-4


def test_lognormal_puts_five_percent_below_p5_and_above_p95() -> None:
    draws = pm.Lognormal(p5=1500.0, p95=2500.0).sample(np.random.default_rng(7), 1_000_000)
    assert np.mean(draws < 1500) == pytest.approx(0.05, abs=0.001)
    assert np.mean(draws > 2500) == pytest.approx(0.05, abs=0.001)


def test_choice_median_is_the_smallest_value_reaching_half_the_weight() -> None:
    # Equal weights: cumulative 0.5 at 0.9 reaches half → 0.9 (not the midpoint 0.95).
    assert pm.Choice(values=(1.0, 0.9)).median() == 0.9
    # Weights 1, 3 for 0.9, 1.0: cumulative 0.25, 1.0 → 1.0.
    assert pm.Choice(values=(0.9, 1.0), weights=(1.0, 3.0)).median() == 1.0
    # Three values, weights 0.3, 0.2, 0.5: cumulative 0.3, 0.5, 1.0 → the second value.
    assert pm.Choice(values=(10.0, 20.0, 30.0), weights=(0.3, 0.2, 0.5)).median() == 20.0


def test_choice_quantiles() -> None:
    # Weights 3, 1 on 0.9, 1.0: F(0.9) = 0.75, so q ≤ 0.75 gives 0.9 and q > 0.75 gives 1.0.
    dist = pm.Choice(values=(1.0, 0.9), weights=(1.0, 3.0))
    np.testing.assert_array_equal(
        dist.ppf(np.array([0.0, 0.5, 0.75, 0.76, 1.0])), [0.9, 0.9, 0.9, 1.0, 1.0]
    )


def test_choice_samples_in_proportion_to_weights() -> None:
    draws = pm.Choice(values=(0.9, 1.0), weights=(3.0, 1.0)).sample(
        np.random.default_rng(1), 400_000
    )
    assert set(np.unique(draws)) == {0.9, 1.0}
    assert np.mean(draws == 0.9) == pytest.approx(0.75, abs=0.005)


def test_triangular_median_closed_form() -> None:
    # mode 1 < midpoint 2 of [0, 4]: median = 4 − √(4·3/2) = 4 − √6 = 1.5505.
    assert pm.Triangular(low=0.0, mode=1.0, high=4.0).median() == pytest.approx(4 - math.sqrt(6))
    # mode 3 ≥ midpoint: median = 0 + √(4·3/2) = √6.
    assert pm.Triangular(low=0.0, mode=3.0, high=4.0).median() == pytest.approx(math.sqrt(6))


def test_same_seed_same_draws() -> None:
    dist = pm.Lognormal(p5=1.0, p95=2.0)
    a = dist.sample(np.random.default_rng(3), 1000)
    b = dist.sample(np.random.default_rng(3), 1000)
    assert np.array_equal(a, b)


def test_point_estimates_do_not_import_scipy() -> None:
    code = (
        "import io, sys\n"
        "from paymodel.cli import main\n"
        "assert main(['compare'], stdout=io.StringIO()) == 0\n"
        "assert main(['run', 'span-sources'], stdout=io.StringIO()) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
