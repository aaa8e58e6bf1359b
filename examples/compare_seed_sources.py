"""Compare what the two seed reports imply, side by side.

The project started from two reports of late 2024: an Associated Press story carried by
The Independent (30 Oct 2024: $2,000 a month, about 90 % to the treasury, $1,200-2,400 for
a soldier) and
Business Insider (Nov 2024: RAND's Bruce Bennett and the defector Hyunseung Lee say the
money goes to the party and the Kim family; 11,000 troops, maybe 15,000 with rotation;
the "100,000" headline). This script puts their scenarios next to the South Korean
intelligence estimate and checks the reported soldier range against the model.

Run: python examples/compare_seed_sources.py
"""

from __future__ import annotations

import paymodel as pm

SEED = ["independent-90", "rand-bennett-all", "rotation-100k", "nis-estimate"]

table = pm.compare(SEED)
print(table.to_text())
print()

# The Independent's "$1,200 to $2,400 for a soldier" is a tour total, not a monthly wage:
# at $200 a month (10 % of $2,000) it takes a 6- to 12-month tour.
independent = pm.builtin("independent-90")
for tour_months in (6, 12):
    variant = independent.evolve(**{"deployment.tour_months": tour_months})
    per_tour = pm.compute(variant).take_home_per_tour_usd
    print(f"Independent, {tour_months:>2}-month tour: soldier keeps ${per_tour:,.0f}")
    assert per_tour in (1200.0, 2400.0)

# The "100,000" headline counts people passing through, not soldiers at once: revenue
# follows the 15,000 serving at a time.
rotation = pm.compute(pm.builtin("rotation-100k"))
print(
    f"'100,000' headline: {rotation.individuals_deployed:,.0f} individuals at the median "
    f"tour, regime revenue ${rotation.regime_revenue_per_year_usd / 1e6:,.0f} M a year"
)
# 15,000 troops · $2,000 · 12 months = $360 M; 15,000·12/2.5 = 72,000 individuals.
assert rotation.regime_revenue_per_year_usd == 360_000_000.0
assert rotation.individuals_deployed == 72_000.0
