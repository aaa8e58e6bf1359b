"""paymodel.testing: the strategies draw valid objects within their bounds, check their
arguments at once, register with st.from_type; check_invariants names what breaks; the
model's outputs stay finite for every accepted input, at the domain limits too; and the
three examples of docs/testing.md pass as a pasted test file while its wrong assumption
fails with hypothesis's shrunk counterexample.
"""

from __future__ import annotations

import dataclasses
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import paymodel as pm
from paymodel.distributions import BaseDistribution
from paymodel.results import LayerRevenue, Result
from paymodel.testing import (
    FIELDS,
    KINDS,
    baselines,
    check_invariants,
    deployments,
    distributions,
    diversion_chains,
    pays,
    scenarios,
    values,
)

ROOT = Path(__file__).resolve().parents[1]

#: The profile's number of examples (100 by default, 500 under HYPOTHESIS_PROFILE=ci), for
#: tests that scale it.
EXAMPLES = settings.default.max_examples


def within(value: float | BaseDistribution, low: float, high: float) -> bool:
    """Every value the number or distribution can take lies in [low, high]."""
    if isinstance(value, BaseDistribution):
        support_low, support_high, _ = value.support()
        return low <= support_low and support_high <= high and low <= value.median() <= high
    return low <= value <= high


# -- every drawn object is valid ----------------------------------------------------------------


@pytest.mark.parametrize("field", list(FIELDS))
@settings(max_examples=2 * EXAMPLES)
@given(data=st.data())
def test_distributions_are_valid_for_their_field(field: str, data: Any) -> None:
    distribution = data.draw(distributions(field))
    section, name = field.split(".")
    domain = FIELDS[field]
    # Validated again by the model that holds the field (a layer's share, a deployment's
    # troops, …): each draw is accepted as it is.
    if section == "diversion":
        pm.Layer(name="layer", **{name: distribution})
    else:
        domain.check_support(
            *distribution.support(),
            distribution.largest_parameter(),
            distribution.smallest_parameter(),
        )
    median = distribution.median()
    assert math.isfinite(median)
    draws = distribution.sample(np.random.default_rng(0), 64)
    assert np.all(np.isfinite(draws))
    low, high, _ = distribution.support()
    assert np.all((low <= draws) & (draws <= high))


@settings(max_examples=2 * EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_scenarios_are_valid_and_survive_a_round_trip(scenario: pm.Scenario) -> None:
    again = pm.Scenario.model_validate(scenario.model_dump(mode="json"))
    assert again == scenario
    for path, value in scenario.inputs().items():
        if isinstance(value, BaseDistribution):
            continue
        assert math.isfinite(value), path


@given(pays(), diversion_chains(max_layers=6), deployments(), baselines())
def test_parts_are_valid(
    pay: pm.Pay, chain: tuple[pm.Layer, ...], deployment: pm.Deployment, baseline: pm.Baseline
) -> None:
    scenario = pm.Scenario(
        name="parts", pay=pay, diversion=chain, deployment=deployment, baseline=baseline
    )
    assert len(scenario.diversion) <= 6
    names = [layer.name.strip().casefold() for layer in chain]
    assert len(set(names)) == len(names)


# -- bounds are respected -------------------------------------------------------------------------


@given(scenarios(min_troops=10_000, max_troops=15_000, min_share=0.9, min_layers=1))
def test_scenario_bounds_hold_for_numbers_and_supports(scenario: pm.Scenario) -> None:
    assert within(scenario.deployment.troops, 10_000, 15_000)
    assert 1 <= len(scenario.diversion) <= 3
    for layer in scenario.diversion:
        if layer.share is not None:
            assert within(layer.share, 0.9, 1.0)


@given(
    scenarios(
        min_gross_monthly_usd=1500,
        max_gross_monthly_usd=2500,
        max_share=0.5,
        min_months=6,
        max_months=12,
        quotas=False,
        uncertain=True,
    )
)
def test_uncertain_scenarios_have_distributions_within_bounds(scenario: pm.Scenario) -> None:
    assert isinstance(scenario.pay.gross_monthly_usd, BaseDistribution)
    assert within(scenario.pay.gross_monthly_usd, 1500, 2500)
    assert within(scenario.deployment.months, 6, 12)
    for layer in scenario.diversion:
        assert layer.share is not None
        assert isinstance(layer.share, BaseDistribution)
        assert within(layer.share, 0, 0.5)


@given(scenarios(uncertain=False))
def test_certain_scenarios_have_no_distributions(scenario: pm.Scenario) -> None:
    assert scenario.uncertain_inputs() == {}
    assert scenario.correlations == ()


@given(
    deployments(
        min_troops=11_000,
        max_troops=11_000,
        min_tour_months=6,
        max_tour_months=9,
        max_monthly_death_rate=0.02,
        replace_losses=False,
    )
)
def test_deployment_bounds(deployment: pm.Deployment) -> None:
    assert within(deployment.troops, 11_000, 11_000)  # equal bounds: that value only
    assert deployment.tour_months is not None
    assert within(deployment.tour_months, 6, 9)
    assert within(deployment.monthly_death_rate, 0, 0.02)
    assert deployment.replace_losses is False


@given(baselines(in_won=True))
def test_baselines_in_won(baseline: pm.Baseline) -> None:
    assert baseline.in_won


@given(baselines(min_domestic_monthly_wage_usd=0.5, max_domestic_monthly_wage_usd=2))
def test_baselines_in_dollars_with_bounds(baseline: pm.Baseline) -> None:
    assert baseline.domestic_monthly_wage_usd is not None
    assert within(baseline.domestic_monthly_wage_usd, 0.5, 2)


@given(
    diversion_chains(
        min_layers=2, max_layers=2, quotas=False, min_share=0.5, max_share=0.5, uncertain=False
    )
)
def test_chains_of_fixed_shares(chain: tuple[pm.Layer, ...]) -> None:
    assert [layer.share for layer in chain] == [0.5, 0.5]


@given(values("pay.gross_monthly_usd", min_value=0, max_value=0, uncertain=False))
def test_zero_only(value: float) -> None:
    assert value == 0.0


@given(values("diversion.0.share", max_value=1e-12, uncertain=False))
def test_a_share_below_the_smallest_is_zero_or_the_smallest(value: float) -> None:
    # The domain accepts 0, or 10⁻¹² and more: nothing in between is drawn.
    assert value in (0.0, 1e-12)


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_each_kind_can_be_drawn_alone(kind: str, data: Any) -> None:
    field = "pay.gross_monthly_usd" if kind == "lognormal" else "pay.delivered_share"
    distribution = data.draw(distributions(field, kinds=[kind]))
    assert distribution.kind == kind  # type: ignore[attr-defined]


def test_the_unbounded_kinds_need_a_field_without_bounds() -> None:
    with pytest.raises(InvalidArgument, match="no distribution of kind lognormal fits"):
        distributions("pay.gross_monthly_usd", max_value=5000, kinds=["lognormal"])
    with pytest.raises(InvalidArgument, match="no distribution of kind beta fits"):
        distributions("deployment.troops", kinds=["beta"])


@given(distributions("deployment.troops", min_value=100, kinds=["normal"]))
def test_a_normal_without_high_stays_within_the_limit(distribution: BaseDistribution) -> None:
    # Its 95th percentile is held to the domain's limit (10 million), as validation demands.
    assert distribution.largest_parameter() <= 1e7
    assert distribution.support()[0] >= 100


# -- arguments are checked when the strategy is made ---------------------------------------------

BAD_ARGUMENTS = [
    pytest.param(lambda: scenarios(min_troops=0), "min_troops=0 is not a value of", id="troops-0"),
    pytest.param(lambda: scenarios(max_troops=1e8), "max_troops=100000000.0", id="troops-limit"),
    pytest.param(
        lambda: scenarios(min_troops=15_000, max_troops=10_000),
        "min_troops=15000 is greater than max_troops=10000",
        id="reversed",
    ),
    pytest.param(lambda: scenarios(min_share=1.5), "min_share=1.5", id="share-above-1"),
    pytest.param(lambda: scenarios(min_share=-0.1), "min_share=-0.1", id="share-negative"),
    pytest.param(lambda: scenarios(min_share=1e-13), "0 or 1e-12 … 1", id="share-tiny"),
    pytest.param(lambda: scenarios(min_share=math.nan), "must be a finite number", id="nan"),
    pytest.param(lambda: scenarios(max_troops=math.inf), "must be a finite number", id="inf"),
    pytest.param(lambda: scenarios(min_troops="10"), "must be a number", id="string"),
    pytest.param(lambda: scenarios(min_troops=True), "must be a number", id="bool"),
    pytest.param(lambda: scenarios(max_troops=10**400), "too large", id="huge-int"),
    pytest.param(
        lambda: scenarios(min_layers=-1),
        "min_layers must be between 0 and 20 (got -1)",
        id="layers",
    ),
    pytest.param(
        lambda: scenarios(max_layers=21),
        "max_layers must be between 0 and 20 (got 21)",
        id="layers-21",
    ),
    pytest.param(lambda: scenarios(min_layers=3, max_layers=2), "greater than", id="layers-rev"),
    pytest.param(lambda: scenarios(uncertain="yes"), "True, False or None", id="uncertain"),
    pytest.param(lambda: scenarios(quotas=None), "True or False", id="quotas"),
    pytest.param(lambda: scenarios(correlations=1), "True or False", id="correlations"),
    pytest.param(
        lambda: scenarios(pay=pays(), min_gross_monthly_usd=1), "either pay= or", id="both"
    ),
    pytest.param(lambda: scenarios(pay=5), "must be a hypothesis strategy", id="not-strategy"),
    pytest.param(lambda: scenarios(baseline="x"), "must be a hypothesis strategy", id="baseline"),
    pytest.param(lambda: distributions("pay.gross"), "not a numeric field", id="field"),
    pytest.param(lambda: distributions(5), "must be a dotted path", id="field-type"),
    pytest.param(lambda: distributions(kinds=["gamma"]), "unknown kind", id="kind"),
    pytest.param(lambda: distributions(kinds=[]), "non-empty sequence", id="no-kinds"),
    pytest.param(lambda: distributions(kinds="uniform"), "non-empty sequence", id="kinds-str"),
    pytest.param(
        lambda: distributions("deployment.troops", min_value=5, max_value=5, kinds=["uniform"]),
        "no distribution of kind uniform fits between 5 and 5",
        id="no-room",
    ),
    pytest.param(
        lambda: values("deployment.months", min_value=0), "min_value=0 is not", id="months-0"
    ),
    pytest.param(
        lambda: deployments(min_monthly_death_rate=2), "min_monthly_death_rate=2", id="rate"
    ),
    pytest.param(lambda: deployments(replace_losses="no"), "True, False or None", id="replace"),
    pytest.param(lambda: pays(max_in_kind_share=1.1), "max_in_kind_share=1.1", id="in-kind"),
    pytest.param(
        lambda: baselines(in_won=True, max_domestic_monthly_wage_usd=2), "need in_won", id="won"
    ),
    pytest.param(
        lambda: diversion_chains(max_quota_monthly_usd=-1), "max_quota_monthly_usd=-1", id="quota"
    ),
    # Arguments that contradict each other: the bound or the kinds would be ignored.
    pytest.param(
        lambda: diversion_chains(min_quota_monthly_usd=5, quotas=False),
        "bounds on quota_monthly_usd need quotas=True",
        id="quota-without-quotas",
    ),
    pytest.param(
        lambda: diversion_chains(max_quota_monthly_usd=5, quotas=False),
        "bounds on quota_monthly_usd need quotas=True",
        id="quota-max-without-quotas",
    ),
    pytest.param(
        lambda: values("deployment.troops", uncertain=False, kinds=["uniform"]),
        "with uncertain=False only numbers are drawn",
        id="kinds-without-distributions",
    ),
]


@pytest.mark.parametrize(("make", "fragment"), BAD_ARGUMENTS)
def test_bad_arguments_fail_at_once(make: Any, fragment: str) -> None:
    # Raised by the call itself, before anything is drawn.
    with pytest.raises(InvalidArgument) as caught:
        make()
    assert fragment in str(caught.value)


# -- st.from_type --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls",
    [
        *(pm.Scenario, pm.Pay, pm.Layer, pm.Deployment, pm.Baseline, pm.BaseDistribution),
        *(pm.Uniform, pm.Triangular, pm.Pert, pm.Normal, pm.Lognormal, pm.Beta, pm.Choice),
    ],
    ids=lambda cls: cls.__name__,
)
@settings(max_examples=max(10, EXAMPLES // 5))
@given(data=st.data())
def test_from_type(cls: type, data: Any) -> None:
    assert isinstance(data.draw(st.from_type(cls)), cls)


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )


def test_the_entry_point_registers_the_strategies_when_hypothesis_loads() -> None:
    # Only hypothesis is imported: its entry point brings in paymodel.testing.
    done = _python(
        "import sys\n"
        "from hypothesis import strategies as st\n"
        "assert 'paymodel.testing' in sys.modules\n"
        "import paymodel as pm\n"
        "print(st.from_type(pm.Scenario))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "build()"  # the strategy of paymodel.testing.scenarios
    # Without plugins, importing paymodel.testing registers them itself.
    done = _python(
        "import sys\n"
        "from hypothesis import strategies as st\n"
        "assert 'paymodel.testing' not in sys.modules\n"
        "import paymodel.testing, paymodel as pm\n"
        "print(st.from_type(pm.Scenario))\n",
        HYPOTHESIS_NO_PLUGINS="1",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "build()"


def test_the_core_never_imports_hypothesis() -> None:
    done = _python(
        "import io, sys\n"
        "import paymodel as pm\n"
        "from paymodel.cli import main\n"
        "pm.check_invariants(pm.compute(pm.builtin('casualty-aware')))\n"
        "assert main(['run', 'span-sources'], stdout=io.StringIO()) == 0\n"
        "assert main(['check'], stdout=io.StringIO()) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'hypothesis'))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_hypothesis_the_error_names_the_extra() -> None:
    done = _python(
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "import paymodel as pm\n"
        "try:\n"
        "    import paymodel.testing\n"
        "except pm.MissingExtraError as error:\n"
        "    print(error)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "paymodel.testing needs hypothesis, which is not installed; "
        "run: pip install 'paymodel[testing]'"
    )


# -- check_invariants -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", pm.builtin_names())
def test_every_builtin_keeps_the_invariants(name: str) -> None:
    scenario = pm.builtin(name)
    check_invariants(pm.compute(scenario))
    check_invariants(pm.simulate(scenario, 2_000, seed=1, keep_samples=True))
    check_invariants(pm.simulate(scenario, 2_000, seed=1))
    check_invariants(pm.evaluate({"pay.gross_monthly_usd": np.array([0.0, 2000.0]),
                                  "diversion.0.share": 0.9,
                                  "deployment.troops": 11_000.0,
                                  "deployment.months": 12.0}))  # fmt: skip


def _broken(**changes: float) -> Result:
    """The worked example's result (DESIGN §1) with some outputs replaced."""
    result = pm.compute(pm.builtin("independent-90").evolve(**{"deployment.tour_months": 12}))
    return Result("broken", {**result.outputs, **changes}, result.layers)


# Worked example: paid 264,000,000 = regime 237,600,000 + soldiers 26,400,000; the layer takes
# 237,600,000; diverted 0.9; S = 132,000; t = 200; I = 11,000; D = 0.
BROKEN = [
    pytest.param(
        _broken(soldiers_take_home_usd=26_400_001.0),
        "broken: conservation: paid_usd = regime_revenue_usd + soldiers_take_home_usd does not "
        "hold: 264,000,000 ≠ 237,600,000 + 26,400,001 = 264,000,001 (off by -1;",
        id="conservation",
    ),
    pytest.param(
        Result("broken", _broken().outputs, (LayerRevenue("state treasury", 237_000_000.0),)),
        "layers sum: regime_revenue_usd = layer 'state treasury' does not hold: "
        "237,600,000 ≠ 237,000,000 (off by 600,000;",
        id="layers-sum",
    ),
    pytest.param(
        _broken(deaths=math.nan),
        "finite: deaths is a finite number does not hold: deaths = nan",
        id="nan",
    ),
    pytest.param(
        _broken(promised_usd=math.inf),
        "finite: promised_usd is a finite number does not hold: promised_usd = inf",
        id="inf",
    ),
    pytest.param(
        _broken(take_home_per_tour_usd=-1.0),
        "non-negative: take_home_per_tour_usd ≥ 0 does not hold: take_home_per_tour_usd = -1",
        id="negative",
    ),
    pytest.param(
        _broken(diverted_share=1.5),
        "diverted share: diverted_share ≤ 1 does not hold: diverted_share = 1.5",
        id="diverted-above-1",
    ),
    pytest.param(
        _broken(diverted_share=0.8),
        "diverted share: diverted_share · paid_usd = regime_revenue_usd does not hold: "
        "0.8 × 264,000,000 = 211,200,000 ≠ 237,600,000",
        id="diverted-share",
    ),
    pytest.param(
        _broken(promised_usd=200_000_000.0),
        "monotone relation: paid_usd ≤ promised_usd does not hold: 264,000,000 > 200,000,000",
        id="paid-above-promised",
    ),
    pytest.param(
        _broken(take_home_monthly_usd=201.0),
        # 201 × 132,000 = 26,532,000 > 26,400,000
        "take_home_monthly_usd · soldier_months ≤ soldiers_take_home_usd does not hold: "
        "26,532,000 > 26,400,000",
        id="monthly-above-total",
    ),
    pytest.param(
        _broken(deaths=20_000.0),
        "monotone relation: deaths ≤ individuals_deployed does not hold: 20,000 > 11,000",
        id="deaths-above-individuals",
    ),
]


@pytest.mark.parametrize(("result", "fragment"), BROKEN)
def test_a_broken_identity_is_named_with_its_numbers(result: Result, fragment: str) -> None:
    with pytest.raises(pm.InvariantError) as caught:
        check_invariants(result)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, AssertionError)
    assert isinstance(caught.value, pm.PaymodelError)


def test_the_tolerance_is_relative_with_an_absolute_floor() -> None:
    # 264,000,000 · 1e-9 = 0.264: a difference of 0.2 passes, 0.3 does not.
    check_invariants(_broken(soldiers_take_home_usd=26_400_000.2))
    with pytest.raises(pm.InvariantError, match=r"tolerance 0\.264"):
        check_invariants(_broken(soldiers_take_home_usd=26_400_000.3))
    check_invariants(_broken(soldiers_take_home_usd=26_400_000.3), rel_tol=1e-8)
    # An amount below a billionth of a dollar always passes.
    tiny = Result("tiny", {**_broken().outputs, "paid_usd": 264e6 + 1e-10}, _broken().layers)
    check_invariants(tiny, rel_tol=0)


def test_an_evaluation_names_the_sample() -> None:
    evaluation = pm.evaluate(
        {
            "pay.gross_monthly_usd": np.array([2000.0, 2000.0, 2000.0]),
            "diversion.0.share": 0.9,
            "deployment.troops": 11_000.0,
            "deployment.months": 12.0,
        }
    )
    check_invariants(evaluation)
    evaluation.outputs["paid_usd"] = np.array([264e6, 264e6, 265e6])
    with pytest.raises(pm.InvariantError, match=r"^evaluation: conservation: .*\(at sample 2\)"):
        check_invariants(evaluation)


def test_a_simulation_with_kept_samples_is_checked_sample_by_sample() -> None:
    simulation = pm.simulate(pm.builtin("span-sources"), 1_000, seed=2, keep_samples=True)
    check_invariants(simulation)
    assert simulation.kept is not None
    simulation.kept["layer:state treasury"][17] += 1.0
    with pytest.raises(pm.InvariantError, match=r"span-sources \(simulation\): layers sum: .*"
                       r"\(at sample 17\)"):  # fmt: skip
        check_invariants(simulation)


def _with_summary(simulation: pm.Simulation, column: str, values: list[float]) -> pm.Simulation:
    """The simulation with one column's summary made from ``values`` instead."""
    summary = type(simulation.summaries[column]).of(np.array(values))
    return dataclasses.replace(simulation, summaries={**simulation.summaries, column: summary})


def test_a_simulation_without_samples_is_checked_on_its_summaries() -> None:
    simulation = pm.simulate(pm.builtin("in-kind-credit"), 5_000, seed=3)
    assert simulation.kept is None
    check_invariants(simulation)
    # Means are linear, so conservation holds for them: break one and it is found.
    paid = simulation.summaries["paid_usd"]
    with pytest.raises(pm.InvariantError, match=r"means over the samples: conservation"):
        check_invariants(_with_summary(simulation, "paid_usd", [paid.max * 2]))


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        (
            "layer:state treasury",
            [-1.0, 5.0],
            "min over the samples: non-negative: layer 'state treasury' ≥ 0 does not hold: "
            "layer 'state treasury' = -1",
        ),
        (
            "diverted_share",
            [0.5, 1.5],
            "diverted share: diverted_share ≤ 1 does not hold: the largest sample is 1.5",
        ),
        (
            # 11,000 troops are deployed; a mean of 20,000 deaths is more than were there.
            "deaths",
            [20_000.0],
            "means over the samples: monotone relation: deaths ≤ individuals_deployed does not "
            "hold: 20,000 > ",
        ),
    ],
    ids=["negative-minimum", "diverted-above-1", "deaths-above-individuals"],
)
def test_each_summary_identity_is_checked(column: str, values: list[float], message: str) -> None:
    simulation = pm.simulate(pm.builtin("in-kind-credit"), 1_000, seed=3)
    with pytest.raises(pm.InvariantError) as caught:
        check_invariants(_with_summary(simulation, column, values))
    assert str(caught.value).startswith("in-kind-credit (simulation)")
    assert message in str(caught.value)


def test_an_evaluation_checks_the_in_kind_layer() -> None:
    # g = 2,000, in kind 0.25, one layer 0.9 of the cash; H = 100, M = 10: S = 1,000,
    # paid 2,000,000; in kind 500,000; the layer 0.9 × 1,500 × 1,000 = 1,350,000.
    evaluation = pm.evaluate(
        {
            "pay.gross_monthly_usd": 2000.0,
            "pay.in_kind_share": 0.25,
            "diversion.0.share": 0.9,
            "deployment.troops": 100.0,
            "deployment.months": 10.0,
        }
    )
    assert float(evaluation.in_kind_revenue_usd) == 500_000.0
    assert float(evaluation.layer_revenue_usd[0]) == 1_350_000.0
    check_invariants(evaluation)
    broken = evaluation._replace(in_kind_revenue_usd=np.float64(400_000.0))
    # No transfers: the "state transfer" layer is 0.
    with pytest.raises(
        pm.InvariantError,
        match=r"^evaluation: layers sum: regime_revenue_usd = layer 'state transfer' \+ "
        r"layer 'in kind' \+ layer 0 does not hold: 1,850,000 ≠ 0 \+ 400,000 \+ 1,350,000 = "
        r"1,750,000 \(off by 100,000;",
    ):
        check_invariants(broken)


@pytest.mark.parametrize(
    ("argument", "error"),
    [({"rel_tol": -1}, ValueError), ({"abs_tol": "x"}, TypeError), ({"rel_tol": True}, TypeError)],
)
def test_bad_tolerances(argument: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        check_invariants(_broken(), **argument)


def test_only_results_are_checked() -> None:
    with pytest.raises(TypeError, match="takes a Result"):
        check_invariants({"paid_usd": 1.0})  # type: ignore[arg-type]


# -- every accepted input gives finite outputs (the model's domain limits) ------------------------


@settings(max_examples=2 * EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_layers=4))
def test_every_accepted_scenario_keeps_the_invariants(scenario: pm.Scenario) -> None:
    # Finite, non-negative outputs; conservation; layers sum; monotone relations — for the
    # point estimate and for samples of every distribution.
    check_invariants(pm.compute(scenario))
    check_invariants(pm.simulate(scenario, 256, seed=0, keep_samples=True))


#: Each field at its largest accepted value (the limits of paymodel.domains).
AT_THE_LIMITS = scenarios(
    pay=pays(
        min_gross_monthly_usd=1e6,
        min_signing_bonus_usd=1e8,
        min_death_benefit_usd=1e8,
        min_delivered_share=1.0,
    ),
    min_troops=1e7,
    min_months=1200,
    max_layers=4,
)


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(AT_THE_LIMITS)
def test_outputs_are_finite_at_the_largest_values(scenario: pm.Scenario) -> None:
    result = pm.compute(scenario)
    check_invariants(result)
    # The largest pay bill (docs/model.md): g·H·M + b·I + d·D with H·M = 1.2·10¹⁰
    # soldier-months, I ≤ H·M/(1/30) + H·M individuals and D ≤ H·M deaths:
    # 10⁶ × 1.2·10¹⁰ + 10⁸ × 3.72·10¹¹ + 10⁸ × 1.2·10¹⁰ ≈ 3.84·10¹⁹, far below 10³⁰⁸.
    assert result.promised_usd <= 1e6 * 1.2e10 + 1e8 * 3.72e11 + 1e8 * 1.2e10


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenarios(
        pay=pays(max_gross_monthly_usd=1e-6, max_delivered_share=1e-12, max_in_kind_share=0),
        min_troops=1,
        max_troops=1,
        min_months=1 / 30,
        max_months=1 / 30,
        min_share=1e-12,
        max_share=1e-12,
        quotas=False,
        max_layers=6,
    )
)
def test_outputs_are_finite_at_the_smallest_values(scenario: pm.Scenario) -> None:
    check_invariants(pm.compute(scenario))
    check_invariants(pm.simulate(scenario, 64, seed=0, keep_samples=True))


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(
    deployments(min_months=1200, min_troops=1e7, min_monthly_death_rate=0.5, uncertain=True),
    baselines(in_won=True, uncertain=True),
)
def test_extreme_uncertain_deployments_stay_finite(
    deployment: pm.Deployment, baseline: pm.Baseline
) -> None:
    scenario = pm.Scenario(
        name="extreme",
        # The whole domain of pay (a lognormal with p5 10⁻⁶ and p95 10⁶ once stood here; 5 %
        # of its values left the domain at each end, and such a distribution is refused).
        pay={"gross_monthly_usd": {"kind": "uniform", "low": 1e-6, "high": 1e6}},
        diversion=[{"name": "state", "quota_monthly_usd": 1e6}],
        deployment=deployment,
        baseline=baseline,
    )
    check_invariants(pm.compute(scenario))
    check_invariants(pm.simulate(scenario, 512, seed=0, keep_samples=True))


# -- the guide's examples (docs/testing.md), as a user pastes them -------------------------------

GUIDE = ROOT / "docs" / "testing.md"
_MARKED = re.compile(
    r"<!-- guide-example: (?P<kind>passes|fails) -->\s*```python\n(?P<code>.*?)```", re.DOTALL
)


def _guide_blocks(kind: str) -> list[str]:
    return [m["code"] for m in _MARKED.finditer(GUIDE.read_text("utf-8")) if m["kind"] == kind]


def _pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run pytest on a folder the way a user would, in a fresh process (a fixed seed, so
    that the run is the same every time)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--hypothesis-seed=1", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )  # fmt: skip


def test_the_guide_has_three_examples_and_a_wrong_assumption() -> None:
    assert len(_guide_blocks("passes")) == 3
    assert len(_guide_blocks("fails")) == 1


def test_the_guide_examples_pass_as_a_test_file(tmp_path: Path) -> None:
    for index, code in enumerate(_guide_blocks("passes")):
        (tmp_path / f"test_example_{index + 1}.py").write_text(code, encoding="utf-8")
    done = _pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_the_wrong_assumption_fails_with_a_shrunk_counterexample(tmp_path: Path) -> None:
    (code,) = _guide_blocks("fails")
    (tmp_path / "test_wrong.py").write_text(code, encoding="utf-8")
    done = _pytest(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    report = done.stdout
    # Hypothesis calls the shrunk counterexample the "Falsifying example" (the "Failing test
    # case" since 6.1xx); either way it is a whole scenario, printed so that it can be pasted
    # back, and the assertion shows how many individuals it deployed.
    wording = r"(Falsifying example|Failing test case): test_no_more_people_than_troops\("
    heading = re.search(wording, report)
    assert heading is not None, report
    example = report[heading.end() :]
    assert "scenario=Scenario(" in example
    individuals = re.search(r"assert ([0-9.e+]+) <= 15000", report)
    assert individuals is not None, report
    assert float(individuals[1]) > 15_000
