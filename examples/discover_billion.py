"""When would the regime earn more than $1 billion a year? Scenario discovery with PRIM.

No built-in scenario gets there: `span-sources` tops out near $600 M a year. The claims do
allow a larger question: what if the deployment grows towards the 25,000-30,000 troops
Ukraine's intelligence expected, rotates every few months, and a $2,000 signing bonus is
paid per soldier sent? `examples/expansion.toml` spans those claims; `discover` finds the
box of inputs where revenue passes $1 billion.

Run: python examples/discover_billion.py
"""

from __future__ import annotations

from pathlib import Path

import paymodel as pm

expansion = pm.load(Path(__file__).with_name("expansion.toml"))
revenue = "regime_revenue_per_year_usd"

sim = pm.simulate(expansion, 50_000, seed=1, keep_samples=True)
share = sim.probability(revenue, above=1e9)
print(f"P(regime revenue > $1 billion a year) = {share:.2%}")
assert 0.001 < share < 0.01  # rare: every assumption has to be near its top

found = pm.discover(sim, revenue, above=1e9, threshold=0.5)
print(found.to_text())
print()
limits = {r.path: r for r in found.box.restrictions}
assert limits["deployment.troops"].low is not None and limits["deployment.troops"].low > 20_000
tours = limits["deployment.tour_months"].high
assert tours is not None and tours < 8  # of 2-12 months
assert found.box.density >= 0.5

# The trajectory trades coverage for density: a looser box that still holds three in four
# of the billion-dollar samples.
loose = max((box for box in found.trajectory if box.coverage >= 0.75), key=lambda box: box.density)
print(
    f"looser: {loose.describe()} holds {loose.coverage:.0%} of them "
    f"(density {loose.density:.1%}, {loose.mass:.1%} of all samples)"
)
assert loose.density < found.box.density

# span-sources never gets there: discover says so instead of drawing a box.
try:
    pm.discover(
        pm.simulate(pm.builtin("span-sources"), 20_000, seed=1, keep_samples=True),
        revenue,
        above=1e9,
    )
except pm.ScenarioError as error:
    print(f"span-sources: {error}")
else:
    raise AssertionError("span-sources should never reach $1 billion a year")
