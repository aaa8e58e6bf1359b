"""Monte Carlo over the sources: how sure can one be about the money?

`span-sources` spans the reports instead of picking one: pay lognormal with a 90 % interval
of $1,500-2,500 a month, the state keeping 90 % or all of it (equally likely), 11,000-15,000
troops, tours of 6-12 months. This script simulates it, answers two questions a reader
asks, and shows what a rank correlation between troops and tour length changes.

Run: python examples/uncertainty.py
"""

from __future__ import annotations

import numpy as np
from scipy import stats

import paymodel as pm

SAMPLES, SEED = 100_000, 2024

span = pm.builtin("span-sources")
# keep_samples: exact percentiles and probabilities (100,000 samples × 13 columns ≈ 10 MB).
sim = pm.simulate(span, SAMPLES, seed=SEED, keep_samples=True)
print(sim.to_text())
print()

# "What is the probability that the regime earns more than $300 M a year?"
above = sim.probability("regime_revenue_per_year_usd", above=300e6)
revenue = sim.values("regime_revenue_per_year_usd")
print(f"P(regime revenue > $300 M a year) = {above:.1%}")
assert above == np.mean(revenue > 300e6)
assert 0.35 < above < 0.45  # about 40 %; the point estimate ($271.9 M) says "no"
# The streaming summary (no samples kept) agrees for a continuous output.
streamed = pm.simulate(span, SAMPLES, seed=SEED)
assert abs(streamed.probability("regime_revenue_per_year_usd", above=300e6) - above) < 0.005

# "What is the 90 % interval of a soldier's take-home per tour?"
tour = sim.statistics("take_home_per_tour_usd")
print(f"take-home per tour, 90 % interval: ${tour['p5']:,.0f} to ${tour['p95']:,.0f}")
assert tour["p5"] == 0.0  # in about half of the samples the state keeps everything
assert 2_000 < tour["p95"] < 2_700
# The interval straddles two readings of the sources; each on its own:
kept_90 = pm.simulate(span.evolve(**{"diversion.0.share": 0.9}), SAMPLES, seed=SEED)
when_90 = kept_90.statistics("take_home_per_tour_usd")
print(
    f"  if the state keeps 90 %: ${when_90['p5']:,.0f} to ${when_90['p95']:,.0f} "
    f"(median ${when_90['p50']:,.0f}); if it keeps all: $0"
)
assert 1_000 < when_90["p5"] < when_90["p50"] < when_90["p95"] < 2_800
print()

# A correlated variant: suppose larger contingents serve longer tours (rank correlation
# 0.8). Troops and tours keep their distributions; only their pairing changes.
linked = span.evolve(
    correlations=[{"between": ["deployment.troops", "deployment.tour_months"], "rank": 0.8}]
)
paired = pm.simulate(linked, SAMPLES, seed=SEED, keep_samples=True)

# With 12 months and tours of at most 12, troops = soldier-months / 12 and
# tour = soldier-months / individuals: the outputs give the inputs back.
soldier_months = paired.values("soldier_months")
troops, tours = soldier_months / 12, soldier_months / paired.values("individuals_deployed")
achieved = stats.spearmanr(troops, tours).statistic
print(f"correlated variant: achieved rank correlation of troops and tours {achieved:.3f}")
assert abs(achieved - 0.8) < 0.01
# The marginal is unchanged: troops still uniform(11,000, 15,000).
assert troops.min() >= 11_000 and troops.max() <= 15_000 and abs(np.mean(troops) - 13_000) < 50

# Revenue does not depend on tour length, so its spread does not move; the number of
# individuals (12·troops/tour) varies less, because troops and tours now rise together.
for name, unit, scale in (
    ("regime_revenue_per_year_usd", "$ M a year", 1e6),
    ("individuals_deployed", "people", 1),
):
    alone, together = sim.statistics(name), paired.statistics(name)
    print(
        f"  {name} [{unit}], 90 % interval: {alone['p5'] / scale:,.0f} to "
        f"{alone['p95'] / scale:,.0f} independent, {together['p5'] / scale:,.0f} to "
        f"{together['p95'] / scale:,.0f} correlated"
    )
spread = {
    name: paired.statistics(name)["std"] / sim.statistics(name)["std"]
    for name in ("regime_revenue_per_year_usd", "individuals_deployed")
}
assert abs(spread["regime_revenue_per_year_usd"] - 1) < 0.03
assert spread["individuals_deployed"] < 0.7  # about 0.62
