"""What would have to be true? Goal-seeking on the figures the reports give.

Each question starts from a reported answer and asks which value of one assumption would
produce it, all else as in the scenario:

- a soldier keeping $500 a month of $2,000 (PAY-13): what share is withheld?
- $1,200 to $2,400 per soldier (PAY-02) at $200 a month: how long is a tour?
- $1 billion a year for the regime: how many troops, at $2,000 with 90 % withheld?
- a target out of reach: the error says what range can be reached.

Run: python examples/solve_targets.py
"""

from __future__ import annotations

import paymodel as pm

independent = pm.builtin("independent-90")  # $2,000 a month, 90 % withheld, 11,000 troops

share = pm.solve(independent, "diversion.0.share", {"take_home_monthly_usd": 500})
print(share.to_text())
assert abs(share.value - 0.75) < 1e-12  # 2,000·(1 − s) = 500

for per_tour, months in ((1200, 6), (2400, 12)):
    tour = pm.solve(independent, "deployment.tour_months", {"take_home_per_tour_usd": per_tour})
    print(tour.to_text())
    assert abs(tour.value - months) < 1e-12  # 200 $/month × T

troops = pm.solve(independent, "deployment.troops", {"regime_revenue_per_year_usd": 1e9})
print(troops.to_text())
assert abs(troops.value - 1e9 / (1800 * 12)) < 1e-6  # 1,800 $/month taken × 12 × H
print(f"  that is {troops.value / 11_000:.1f} times the 11,000 reported in Kursk (DEP-11)")

try:
    pm.solve(independent, "diversion.0.share", {"take_home_monthly_usd": 2500})
except pm.NoSolutionError as error:
    print(f"out of reach: {error}")
    assert (error.low, error.high) == (0.0, 2000.0)
else:
    raise AssertionError("a soldier cannot keep more than the $2,000 paid")
