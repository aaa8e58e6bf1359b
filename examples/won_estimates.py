"""Money in South Korean won: the twins of every money output (DESIGN §7).

- Sejong's 334.8 billion won (REV-07): 10,000 troops at $2,000 a month, at the 1,395 won
  to the dollar its own figures imply (334.8e9 / 240e6);
- the same in a scenario file whose rate is uncertain (examples/in-won.toml): a point
  estimate, then a simulation where each sample's won figures use that sample's rate, and
  money is conserved in won sample by sample;
- which assumption moves the regime's revenue in won most, the rate included.

Run: python examples/won_estimates.py
"""

from __future__ import annotations

import math
from pathlib import Path

import paymodel as pm

sejong = pm.builtin("nis-estimate").evolve(
    **{"deployment.troops": 10_000}, currency={"code": "KRW", "per_usd": 334.8e9 / 240e6}
)
result = pm.compute(sejong)
print(result.to_text())
# 10,000 × 2,000 × 12 = 240,000,000 $ × 1,395 = 334,800,000,000 won
assert math.isclose(result.paid_krw, 334.8e9, rel_tol=1e-12)

in_won = pm.load(Path(__file__).with_name("in-won.toml"))
point = pm.compute(in_won)
# The median rate (1,379.5 + 1,497.6) / 2 = 1,438.55: 264,000,000 $ × 1,438.55 won/$
assert math.isclose(point.regime_revenue_per_year_krw, 264e6 * 1438.55, rel_tol=1e-12)
print(point.to_text())

simulation = pm.simulate(in_won, 20_000, seed=7, keep_samples=True)
pm.check_invariants(simulation)  # paid_krw = regime_revenue_krw + soldiers_take_home_krw
won = simulation.statistics("regime_revenue_per_year_krw")
print(f"regime revenue a year: {won['p5'] / 1e9:,.1f} to {won['p95'] / 1e9:,.1f} billion won")
# Every dollar amount here is fixed (264,000,000 $), so the 90 % interval is the rate's:
# 264e6 × (1,379.5 + 0.05 × 118.1) and 264e6 × (1,379.5 + 0.95 × 118.1).
assert math.isclose(won["p5"], 264e6 * (1379.5 + 0.05 * 118.1), rel_tol=1e-3)
assert math.isclose(won["p95"], 264e6 * (1379.5 + 0.95 * 118.1), rel_tol=1e-3)

swing = pm.tornado(in_won, "regime_revenue_per_year_krw")
print(swing.to_text())
assert swing.rows[0].path == "currency.per_usd"  # the only uncertain input
