"""Build a scenario in Python: three layers of withholding, then variants of it.

Run: python examples/custom_scenario.py
"""

from __future__ import annotations

import paymodel as pm

scenario = pm.Scenario(
    name="three-layers",
    title="Treasury, a fixed party levy, then commanders",
    sources=["PAY-01", "PAY-03", "DEP-11"],
    citations={"pay.gross_monthly_usd": ("PAY-01",), "deployment.troops": ("DEP-11",)},
    pay=pm.Pay(gross_monthly_usd=2000, signing_bonus_usd=1000),
    diversion=[
        pm.Layer(name="state treasury", share=0.8),
        pm.Layer(name="party levy", quota_monthly_usd=150),
        pm.Layer(name="commanders", share=pm.Uniform(low=0.1, high=0.3)),
    ],
    deployment=pm.Deployment(troops=11_000, months=12, tour_months=6),
    baseline=pm.Baseline(domestic_monthly_wage_kpw=30_000, kpw_per_usd=18_000),
)

result = pm.compute(scenario)
print(result.to_text())

# By hand, at the median commanders' share of 0.2:
# 2,000 → treasury 1,600 → 400 → levy 150 → 250 → commanders 50 → t = 200 a month.
# Bonus 1,000 through the share layers only: φ = 0.2·0.8 = 0.16 → 160 kept.
# Per tour: 200·6 + 160 = 1,360.
assert abs(result.take_home_monthly_usd - 200.0) < 1e-9
assert abs(result.take_home_per_tour_usd - 1360.0) < 1e-9
assert abs(result.paid_usd - result.regime_revenue_usd - result.soldiers_take_home_usd) < 1e-3

# Variants are validated again: a dotted path changes one input.
bigger = scenario.evolve(**{"deployment.troops": 15_000})
print(f"\n15,000 troops: regime revenue ${pm.compute(bigger).regime_revenue_usd:,.0f}")

# A share above 1 is refused with a message naming the field.
try:
    scenario.evolve(**{"diversion.state treasury.share": 1.5})
except pm.ScenarioError as error:
    print(f"\nrefused: {error}")
    assert "diversion.0.share" in str(error)
