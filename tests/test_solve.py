"""Goal-seeking: exact answers to the seed claims' questions, flat stretches, errors, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import paymodel as pm
from grid_strategies import values_in, variable_paths, varied_scenarios
from helpers import bad, ok, ok_json
from paymodel.kernel import OUTPUT_NAMES
from paymodel.solve import parse_target

INDEPENDENT = pm.builtin("independent-90")  # $2,000, one layer 0.9, 11,000 troops, 12 months


# -- the questions of issue 5, answered exactly -----------------------------------------------


def test_share_withheld_that_leaves_a_soldier_500_of_2000() -> None:
    # 2,000·(1 − s) = 500 → s = 0.75.
    solution = pm.solve(INDEPENDENT, "diversion.0.share", {"take_home_monthly_usd": 500})
    assert solution.value == pytest.approx(0.75, abs=1e-12)
    assert solution.achieved == pytest.approx(500.0, abs=1e-9)
    assert solution.target == {"take_home_monthly_usd": 500.0}
    assert solution.output == "take_home_monthly_usd"


@pytest.mark.parametrize(("per_tour", "months"), [(1200, 6.0), (2400, 12.0)])
def test_tour_lengths_behind_the_independents_1200_to_2400(per_tour: float, months: float) -> None:
    # The Independent (PAY-02): $200 a month kept, $1,200 to $2,400 per soldier: per tour is
    # t·min(T, M) = 200·T over a 12-month deployment, so T = 6 and T = 12. For 2,400 every
    # T ≥ 12 gives 200·12; the tour closest to the scenario's own (median 9) is 12.
    solution = pm.solve(INDEPENDENT, "deployment.tour_months", {"take_home_per_tour_usd": per_tour})
    assert solution.value == pytest.approx(months, abs=1e-12)
    assert solution.achieved == pytest.approx(per_tour, abs=1e-9)


def test_the_deployment_length_cannot_give_2400_per_tour() -> None:
    # Varying months instead (tour at its median, 9): per tour is 200·min(9, M) ≤ 1,800, so
    # the $2,400 of PAY-02 is a statement about the tour, not the deployment.
    assert pm.solve(
        INDEPENDENT, "deployment.months", {"take_home_per_tour_usd": 1200}
    ).value == pytest.approx(6.0, abs=1e-12)
    with pytest.raises(pm.NoSolutionError, match=r"reachable range is \$6\.67 to \$1,800"):
        pm.solve(INDEPENDENT, "deployment.months", {"take_home_per_tour_usd": 2400})


def test_troops_for_a_billion_a_year() -> None:
    # 1,800 $/month taken × 12 months × H = 10⁹ → H = 10⁹ / 21,600 = 46,296.296…
    solution = pm.solve(INDEPENDENT, "deployment.troops", {"regime_revenue_per_year_usd": 1e9})
    assert solution.value == pytest.approx(1e9 / 21_600, rel=1e-14)
    assert solution.achieved == pytest.approx(1e9, rel=1e-15)


def test_pay_that_leaves_500_after_the_90_percent() -> None:
    # g·0.1 = 500 → g = 5,000.
    solution = pm.solve(INDEPENDENT, "pay.gross_monthly_usd", "take_home_monthly_usd=500")
    assert solution.value == pytest.approx(5000.0, rel=1e-14)


def test_a_layer_name_path_and_a_distribution_median() -> None:
    # span-sources keeps 90 % or all (a choice); the layer is named, and the share found
    # replaces the distribution: troops and pay at their medians.
    scenario = pm.builtin("span-sources")
    point = pm.compute(scenario)
    wanted = point.regime_revenue_usd * 0.5
    solution = pm.solve(scenario, "diversion.state treasury.share", {"regime_revenue_usd": wanted})
    assert solution.vary == "diversion.state treasury.share"
    evolved = pm.compute(scenario.evolve(**{"diversion.0.share": solution.value}))
    assert evolved.regime_revenue_usd == pytest.approx(wanted, rel=1e-12)


# -- flat stretches, and the value closest to the scenario's own --------------------------------


def test_a_quota_takes_everything_from_the_pay_upwards() -> None:
    # take-home = max(2,000 − q, 0) is 0 for every q ≥ 2,000: the stretch's end nearest the
    # scenario (which has no quota, so the search starts from q = 0) is q = 2,000 exactly.
    solution = pm.solve(INDEPENDENT, "diversion.0.quota_monthly_usd", {"take_home_monthly_usd": 0})
    assert solution.value == 2000.0
    assert solution.achieved == 0.0


def test_the_edge_of_a_stretch_below_the_scenarios_value() -> None:
    # worker-quota: take-home = (g − 800)·0.85 for g ≥ 800, else 0. From g = 2,000 the
    # nearest pay at which a soldier keeps nothing is the top of the stretch, g = 800.
    solution = pm.solve(
        pm.builtin("worker-quota"), "pay.gross_monthly_usd", {"take_home_monthly_usd": 0}
    )
    assert solution.value == 800.0
    assert solution.achieved == 0.0


def test_a_scenario_that_already_hits_the_target_keeps_its_value() -> None:
    long_tour = INDEPENDENT.evolve(**{"deployment.tour_months": 20})
    # per tour = 200·min(20, 12) = 2,400 already; every tour ≥ 12 gives it.
    solution = pm.solve(long_tour, "deployment.tour_months", {"take_home_per_tour_usd": 2400})
    assert solution.value == 20.0
    short_tour = INDEPENDENT.evolve(**{"deployment.tour_months": 3})
    solution = pm.solve(short_tour, "deployment.tour_months", {"take_home_per_tour_usd": 2400})
    assert solution.value == 12.0  # the start of the stretch, nearest 3


def test_the_ends_of_the_domain() -> None:
    # take-home 2,000·(1 − s): all of it at s = 0, nothing at s = 1.
    assert pm.solve(INDEPENDENT, "diversion.0.share", {"take_home_monthly_usd": 2000}).value == 0.0
    assert pm.solve(INDEPENDENT, "diversion.0.share", {"take_home_monthly_usd": 0}).value == 1.0


# -- no solution --------------------------------------------------------------------------


def test_an_unreachable_target_gives_the_reachable_range() -> None:
    with pytest.raises(pm.NoSolutionError) as caught:
        pm.solve(INDEPENDENT, "diversion.0.share", {"take_home_monthly_usd": 2500})
    message = str(caught.value)
    assert message == (
        "no value of diversion.0.share (between 0 and 1) gives take_home_monthly_usd = "
        "$2,500: the reachable range is $0 to $2,000"
    )
    assert (caught.value.low, caught.value.high) == (0.0, 2000.0)
    assert isinstance(caught.value, ValueError)


def test_an_output_that_does_not_depend_on_the_input() -> None:
    # With losses replaced, revenue per year is 1,800·11,000·12 whatever the length.
    with pytest.raises(pm.NoSolutionError, match=r"is \$237,600,000 whatever the value"):
        pm.solve(INDEPENDENT, "deployment.months", {"regime_revenue_per_year_usd": 1e9})


def test_a_huge_target_is_shown_with_an_exponent() -> None:
    # Not 1e300 written out in 301 digits, most of them float noise.
    with pytest.raises(pm.NoSolutionError) as caught:
        pm.solve(INDEPENDENT, "diversion.0.share", {"take_home_monthly_usd": 1e300})
    assert str(caught.value) == (
        "no value of diversion.0.share (between 0 and 1) gives take_home_monthly_usd = "
        "$1e+300: the reachable range is $0 to $2,000"
    )


def test_a_tiny_amount_in_the_currency_keeps_its_code() -> None:
    # Soldiers keep $200 a month; the rate runs from 1e-6 to 1e9 won a dollar, so take-home
    # in won reaches 200 × 1e-6 = KRW 0.0002 up to 200 × 1e9 = KRW 200,000,000,000.
    won = INDEPENDENT.evolve(currency={"code": "KRW", "per_usd": 1395})
    with pytest.raises(pm.NoSolutionError) as caught:
        pm.solve(won, "currency.per_usd", {"take_home_monthly_krw": -5})
    assert str(caught.value).endswith("the reachable range is KRW 0.0002 to KRW 200,000,000,000")


def test_a_target_between_zero_and_the_smallest_amount() -> None:
    # Pay is 0 or at least $0.000001; take-home 0.1·g jumps from 0 to 1e-7 across that gap.
    with pytest.raises(pm.NoSolutionError, match=r"jumps from \$0 .* to \$1e-07 at 1e-06"):
        pm.solve(INDEPENDENT, "pay.gross_monthly_usd", {"take_home_monthly_usd": 1e-8})


BAD_SOLVES: list[tuple[str, Any, str]] = [
    ("deployment.soldiers", {"deaths": 1}, "deployment.soldiers: not a numeric input"),
    ("deployment.replace_losses", {"deaths": 1}, "is true or false, not a number"),
    ("diversion.2.share", {"deaths": 1}, "no layer '2' in diversion"),
    ("diversion.0.share", {"revenue": 1}, "target: no output named 'revenue' (outputs: "),
    ("diversion.0.share", {}, "give exactly one output"),
    ("diversion.0.share", {"deaths": 1, "paid_usd": 2}, "give exactly one output"),
    ("diversion.0.share", {"deaths": float("nan")}, "must be a finite number"),
    ("diversion.0.share", {"deaths": float("inf")}, "must be a finite number"),
    ("diversion.0.share", {"deaths": True}, "target deaths must be a number (got a boolean True)"),
    ("diversion.0.share", {"deaths": "1"}, "must be a number"),
    ("diversion.0.share", "deaths", "give NAME=VALUE"),
    ("diversion.0.share", "deaths=x", "target deaths: 'x' is not a number"),
]


@pytest.mark.parametrize(("vary", "target", "fragment"), BAD_SOLVES, ids=lambda x: str(x)[:30])
def test_bad_input_is_one_line(vary: str, target: Any, fragment: str) -> None:
    with pytest.raises(pm.ScenarioError) as caught:
        pm.solve(INDEPENDENT, vary, target)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


# -- results ----------------------------------------------------------------------------------


def test_to_dict_is_the_design_shape() -> None:
    solution = pm.solve(INDEPENDENT, "diversion.0.share", {"take_home_monthly_usd": 500})
    data = solution.to_dict()
    assert list(data) == ["scenario", "vary", "target", "value", "achieved"]
    assert data["scenario"] == "independent-90"
    assert data["vary"] == "diversion.0.share"
    assert data["target"] == {"take_home_monthly_usd": 500.0}
    assert json.loads(solution.to_json()) == data
    assert solution.to_text() == (
        "independent-90: diversion.0.share = 0.75 gives take_home_monthly_usd = $500 (target $500)"
    )


def test_parse_target() -> None:
    assert parse_target(" regime_revenue_per_year_usd = 1e9 ") == {
        "regime_revenue_per_year_usd": 1e9
    }
    assert parse_target("deaths=1_000") == {"deaths": 1000.0}


def test_sweeps_need_no_scipy_and_only_solve_imports_it() -> None:
    # scipy's root finder is imported when solve runs, not with paymodel or for a sweep.
    code = (
        "import io, sys\n"
        "from paymodel.cli import main\n"
        "def loaded():\n"
        "    return sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'pandas'})\n"
        "argv = ['sweep', 'span-sources', '--set', 'deployment.troops=1,2', '--csv']\n"
        "assert main(argv, stdout=io.StringIO()) == 0\n"
        "print(loaded())\n"
        "argv = ['solve', 'independent-90', '--vary', 'deployment.troops',\n"
        "        '--target', 'soldier_months=120000']\n"
        "assert main(argv, stdout=io.StringIO()) == 0\n"
        "print(loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "['scipy']"]


# -- round trip: solve, then compute gives the target -------------------------------------


@st.composite
def reachable_targets(draw: st.DrawFn) -> tuple[pm.Scenario, str, str, float]:
    """A scenario, an input, an output and a target the output reaches."""
    scenario = draw(varied_scenarios())
    path = draw(st.sampled_from(variable_paths(scenario)))
    name = draw(st.sampled_from(OUTPUT_NAMES))
    value = draw(values_in(scenario.variable_input(path)[1]))
    target = pm.compute(scenario.evolve(**{path: value})).outputs[name]
    return scenario, path, name, target


@given(reachable_targets())
def test_solve_then_compute_gives_the_target(case: tuple[pm.Scenario, str, str, float]) -> None:
    scenario, path, name, target = case
    solution = pm.solve(scenario, path, {name: target})
    computed = pm.compute(scenario.evolve(**{path: solution.value})).outputs[name]
    assert computed == pytest.approx(solution.achieved, rel=1e-12, abs=0)
    # Exact to rounding: within 10⁻¹² of the output's scale over the input's domain.
    domain = scenario.variable_input(path)[1]
    ends = pm.sweep(scenario, {path: [domain.smallest, domain.largest]})[name]
    scale = max(float(np.abs(ends).max()), abs(target))
    assert abs(solution.achieved - target) <= 1e-12 * scale


# -- command line -----------------------------------------------------------------------------


def test_cli_text() -> None:
    out = ok(
        "solve",
        "independent-90",
        "--vary",
        "diversion.0.share",
        "--target",
        "take_home_monthly_usd=500",
    )
    assert out == (
        "independent-90: diversion.0.share = 0.75 gives take_home_monthly_usd = $500 "
        "(target $500)\n"
    )


def test_cli_json() -> None:
    data = ok_json(
        "solve", "independent-90", "--vary", "deployment.tour_months",
        "--target", "take_home_per_tour_usd=1200",
    )  # fmt: skip
    assert list(data) == ["scenario", "vary", "target", "value", "achieved"]
    assert data["target"] == {"take_home_per_tour_usd": 1200.0}
    assert data["value"] == pytest.approx(6.0, abs=1e-12)
    assert data["achieved"] == pytest.approx(1200.0, abs=1e-9)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("--target", "deaths=1"), "the following arguments are required: --vary"),
        (("--vary", "diversion.0.share"), "the following arguments are required: --target"),
        (
            ("--vary", "diversion.0.share", "--target", "take_home_monthly_usd=2500"),
            "gives take_home_monthly_usd = $2,500: the reachable range is $0 to $2,000",
        ),
        (("--vary", "diversion.0.share", "--target", "take_home"), "give NAME=VALUE"),
        (
            ("--vary", "diversion.0.share", "--target", "bogus=1"),
            "target: no output named 'bogus' (outputs: take_home_monthly_usd,",
        ),
        (("--vary", "diversion.0.share", "--target", "deaths=nan"), "must be a finite number"),
        (("--vary", "deployment.soldiers", "--target", "deaths=1"), "not a numeric input"),
    ],
)
def test_cli_bad_input_is_one_line(argv: tuple[str, ...], fragment: str) -> None:
    assert fragment in bad("solve", "independent-90", *argv)
