"""Which assumption moves the regime's yearly revenue most? A tornado, then Sobol indices.

`span-sources` spans the reports: pay lognormal with a 90 % interval of $1,500-2,500 a
month, the state keeping 90 % or all of it, 11,000-15,000 troops, tours of 6-12 months.
The tornado moves one assumption at a time from its 5th to its 95th percentile; Sobol
indices split the whole variance, interactions included. Both go through the one kernel.

Run: python examples/sensitivity.py
"""

from __future__ import annotations

import math

import paymodel as pm

span = pm.builtin("span-sources")
revenue = "regime_revenue_per_year_usd"

# One at a time: pay moves revenue by $140 M, troops by $75 M, the share kept by $30 M.
tornado = pm.tornado(span, revenue)
print(tornado.to_text())
print()
assert [row.path for row in tornado.rows][:3] == [
    "pay.gross_monthly_usd",
    "deployment.troops",
    "diversion.0.share",
]
# Revenue is g·s·H·12: $1,500 → $2,500 a month at 90 % kept and 13,000 troops.
pay = tornado.rows[0]
assert math.isclose(pay.output_at_low, 1500 * 0.9 * 13_000 * 12)
assert math.isclose(pay.swing, 1000 * 0.9 * 13_000 * 12)
# Tours decide who serves, not what is paid: no swing at all.
assert tornado.rows[-1].path == "deployment.tour_months" and tornado.rows[-1].swing == 0

# The whole variance: pay accounts for about 69 %, troops 22 %, the share kept 8 %.
indices = pm.sobol_indices(span, revenue, 8192, seed=1)
print(indices.to_text())
print()
first = {row.path: row.first_order for row in indices.rows}
assert 0.65 < first["pay.gross_monthly_usd"] < 0.73
assert 0.20 < first["deployment.troops"] < 0.25
assert 0.06 < first["diversion.0.share"] < 0.10

# A soldier's take-home: the share kept decides almost everything, and pay matters only
# when the state keeps 90 % (at 100 % there is nothing to take home): pay's total index is
# about twice its first-order index; the difference is that interaction.
take_home = pm.sobol_indices(span, "take_home_monthly_usd", 8192, seed=1)
rows = {row.path: row for row in take_home.rows}
pay_row = rows["pay.gross_monthly_usd"]
print(
    f"take-home: pay alone {pay_row.first_order:.3f}, pay with its interactions "
    f"{pay_row.total_order:.3f}; the share kept alone {rows['diversion.0.share'].first_order:.3f}"
)
assert pay_row.total_order_ci[0] > pay_row.first_order_ci[1]
