"""Hypothesis strategies shared by the sweep and solve tests: scenarios and in-domain values.

Scenarios are the built-ins with up to three inputs set to random values their domains
accept, so the draws cover every shape of scenario the project ships (quotas, in-kind pay,
deaths, won wages, distributions at their medians) far from the built-ins' own numbers.
"""

from __future__ import annotations

from hypothesis import strategies as st

import paymodel as pm
from paymodel.domains import Domain


def values_in(domain: Domain) -> st.SearchStrategy[float]:
    """Values a field accepts: 0 where allowed, else between its smallest and largest."""
    inside = st.floats(domain.smallest, domain.largest)
    return (st.just(0.0) | inside) if domain.zero_allowed else inside


def variable_paths(scenario: pm.Scenario) -> list[str]:
    """The inputs an analysis may vary: every input, the tour when it is defaulted, and
    each layer's other rule (a quota for a share layer, which switches it)."""
    switched = {
        f"diversion.{index}.{'quota_monthly_usd' if layer.rule == 'share' else 'share'}"
        for index, layer in enumerate(scenario.diversion)
    }
    # A window given by its deaths couples them to its troops and months (D < H, D ≤ H·M):
    # a value in each field's own domain may break the rule, so those stay as they are.
    coupled = {
        f"{prefix}{field}"
        for prefix, window in _windows(scenario)
        if window.deaths is not None
        for field in ("troops", "months", "deaths", "monthly_death_rate")
    }
    coupled |= {  # a contingent following one given by its deaths starts from its survivors
        f"contingents.{i}.troops"
        for i, c in enumerate(scenario.contingents)
        if c.follows is not None
    }
    paths = {*scenario.input_paths(), *switched}
    if scenario.deployment is not None:
        paths.add("deployment.tour_months")
    return sorted(paths - coupled)


def _windows(scenario: pm.Scenario) -> list[tuple[str, pm.Deployment | pm.Contingent]]:
    if scenario.deployment is not None:
        return [("deployment.", scenario.deployment)]
    return [(f"contingents.{i}.", c) for i, c in enumerate(scenario.contingents)]


@st.composite
def varied_scenarios(draw: st.DrawFn) -> pm.Scenario:
    """A built-in scenario with up to three inputs set to random in-domain numbers."""
    scenario = pm.builtin(draw(st.sampled_from(pm.builtin_names())))
    paths = draw(st.lists(st.sampled_from(variable_paths(scenario)), max_size=3, unique=True))
    changes = {path: draw(values_in(scenario.variable_input(path)[1])) for path in paths}
    return scenario.evolve(**changes) if changes else scenario
