"""A grid of assumptions: the regime's revenue and a soldier's pay across the reported ranges.

The reports give ranges, not numbers: 11,000 troops, perhaps 15,000 with rotation (DEP-09);
90 % of the $2,000 withheld (PAY-02) or all of it (PAY-11). This script sweeps
`independent-90` over both ranges at once, in one pass of the model, prints the regime's
revenue per year as a matrix, and shows the start of the grid as CSV for a spreadsheet
(`paymodel sweep ... --csv > grid.csv` writes it from the command line).

Run: python examples/sweep_revenue.py
"""

from __future__ import annotations

import numpy as np

import paymodel as pm

independent = pm.builtin("independent-90")
grid = pm.sweep(
    independent,
    {"deployment.troops": "11000:15000:5", "diversion.0.share": "0.9:1:5"},
)
print(grid.to_text(["regime_revenue_per_year_usd", "take_home_monthly_usd"]))
print()

revenue = grid["regime_revenue_per_year_usd"]
# 2,000 $/month × 12 × troops × share, at the corners of the grid:
assert revenue[0, 0] == 2000 * 12 * 11_000 * 0.9  # $237.6 M
assert revenue[-1, -1] == 2000 * 12 * 15_000  # $360 M
low, high = float(revenue.min()), float(revenue.max())
print(f"Across both ranges the regime earns ${low / 1e6:,.1f} M to ${high / 1e6:,.1f} M a year.")

# Which range matters more? The troop count moves revenue by 15/11 = 1.36×, the share by
# 1/0.9 = 1.11×.
by_troops = revenue[-1, 0] / revenue[0, 0]
by_share = revenue[0, -1] / revenue[0, 0]
print(f"15,000 instead of 11,000 troops: ×{by_troops:.2f}; all instead of 90 %: ×{by_share:.2f}")
assert np.isclose(by_troops, 15 / 11) and np.isclose(by_share, 1 / 0.9)

# A soldier's take-home does not depend on the troop count at all.
take_home = grid["take_home_monthly_usd"]
assert np.allclose(take_home, take_home[0])
assert np.allclose(take_home[0], 2000 * (1 - grid.axes[1][1]))

# Money is conserved at every one of the 25 grid points.
assert np.allclose(grid["paid_usd"], grid["regime_revenue_usd"] + grid["soldiers_take_home_usd"])

# One CSV row per grid point, the last axis (the share) varying fastest.
rows = grid.to_csv(["regime_revenue_per_year_usd"]).splitlines()
print()
print("\n".join(rows[:4]) + "\n...")
assert rows[0] == "deployment.troops,diversion.0.share,regime_revenue_per_year_usd"
assert len(rows) == 1 + grid.size
