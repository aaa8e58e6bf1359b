"""Contingents and the calendar (DESIGN §6): the worked example, the rules, the properties."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

import paymodel as pm
from helpers import WAVES, ok, ok_json
from paymodel.contingents import Structure, death_rate, evaluate_scenario
from paymodel.inputs import point_inputs
from paymodel.testing import check_invariants, contingent_scenarios

SCENARIO = pm.Scenario.model_validate(WAVES)

#: The figures of DESIGN §6, worked by hand:
#: first wave S = 10,000·(1 − 0.9³)/0.1 = 27,100, D = 10,000 − 7,290 = 2,710, I = 10,000;
#: guard duty H = C = 7,290, S = 65,610, I = 0; reinforcements S = 18,000, I = 2,000;
#: S = 110,710; promised 2,000·110,710 + 1,000·2,000 = 223,420,000;
#: regime 1,800·110,710 + 0.9·2,000,000 = 201,078,000; soldiers 200·110,710 + 200,000 =
#: 22,342,000; horizon 2024-10 … 2025-09 = 12 months, so per year = 201,078,000;
#: per individual 22,342,000 / 12,000 = 1,861.8333….
WORKED = {
    "soldier_months": 110_710.0,
    "promised_usd": 223_420_000.0,
    "paid_usd": 223_420_000.0,
    "regime_revenue_usd": 201_078_000.0,
    "soldiers_take_home_usd": 22_342_000.0,
    "deaths": 2_710.0,
    "individuals_deployed": 12_000.0,
    "regime_revenue_per_year_usd": 201_078_000.0,
    "take_home_per_individual_usd": 22_342_000 / 12_000,
    "take_home_monthly_usd": 200.0,
    "diverted_share": 0.9,
}

#: ``through 2025-03``: S = 27,100 + 3·7,290 + 3·2,000 = 54,970; regime 1,800·54,970 +
#: 1,800,000 (the bonuses are paid in the month the individuals arrive) = 100,746,000.
THROUGH_MARCH = {"soldier_months": 54_970.0, "regime_revenue_usd": 100_746_000.0}


def close(a: float, b: float) -> bool:
    # The power (1 − k)^M in floating point: exact to a few units in the last place.
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1.0)


@pytest.mark.parametrize(("name", "expected"), WORKED.items())
def test_the_worked_example_of_design(name: str, expected: float) -> None:
    assert close(pm.compute(SCENARIO).outputs[name], expected)


def test_the_worked_example_rounds_to_the_published_figures() -> None:
    out = pm.compute(SCENARIO).outputs
    assert round(out["take_home_per_individual_usd"], 2) == 1_861.83
    assert [round(out[n]) for n in ("soldier_months", "deaths", "individuals_deployed")] == [
        110_710,
        2_710,
        12_000,
    ]


def test_each_contingent_of_the_worked_example() -> None:
    first, guard, late = pm.compute(SCENARIO).contingents
    assert (first.name, first.start, first.months) == ("first wave", "2024-10", 3.0)
    assert close(first.outputs["soldier_months"], 27_100)
    assert close(first.outputs["deaths"], 2_710)
    assert first.outputs["individuals_deployed"] == 10_000  # max(10,000, 27,100 / 3)
    assert (guard.start, guard.months) == ("2025-01", 9.0)
    assert close(guard.outputs["soldier_months"], 65_610)  # 7,290 × 9
    assert guard.outputs["individuals_deployed"] == 0  # 7,290 − min(7,290, 7,290)
    assert late.outputs["soldier_months"] == 18_000
    assert late.outputs["individuals_deployed"] == 2_000
    # 2,000 × 18,000 + 1,000 × 2,000: the bonus for the 2,000 new arrivals.
    assert late.outputs["promised_usd"] == 38_000_000


@pytest.mark.parametrize("through", ["2025-03", 6])
def test_through_march_2025(through: str | int) -> None:
    result = pm.compute(SCENARIO, through=through)
    for name, expected in THROUGH_MARCH.items():
        assert close(result.outputs[name], expected)
    assert (result.start, result.end) == ("2024-10", "2025-03")
    # The horizon is cut too: six months, so per year = 2 × 100,746,000.
    assert close(result.regime_revenue_per_year_usd, 201_492_000)


def test_run_json_carries_contingents_and_the_calendar(tmp_path: Any) -> None:
    path = tmp_path / "waves.json"
    path.write_text(json.dumps(WAVES), encoding="utf-8")
    data = ok_json("run", str(path))
    assert list(data) == ["scenario", "outputs", "layers", "start", "end", "contingents"]
    assert (data["start"], data["end"]) == ("2024-10", "2025-09")
    names = [c["name"] for c in data["contingents"]]
    assert names == ["first wave", "guard duty", "reinforcements"]
    assert list(data["contingents"][0]) == ["name", "start", "months", "outputs", "layers"]
    assert data["contingents"][1]["start"] == "2025-01"
    for name, expected in WORKED.items():
        assert close(data["outputs"][name], expected)
    march = ok_json("run", str(path), "--through", "2025-03")
    assert close(march["outputs"]["regime_revenue_usd"], 100_746_000)
    assert close(march["outputs"]["soldier_months"], 54_970)


def test_init_contingents_template_is_the_worked_example(tmp_path: Any) -> None:
    path = tmp_path / "w.toml"
    ok("init", "--template", "contingents", str(path))
    out = pm.compute(pm.load(path)).outputs
    for name, expected in WORKED.items():
        assert close(out[name], expected)


def test_a_deployment_is_one_contingent() -> None:
    for name in pm.builtin_names():
        scenario = pm.builtin(name)
        deployment = scenario.deployment
        if deployment is None:
            continue  # a built-in with contingents already
        contingent = {
            k: v for k, v in deployment.model_dump().items() if v is not None or k == "deaths"
        }
        citations, assumptions = (
            {k.replace("deployment.", "contingents.0."): v for k, v in table.items()}
            for table in (scenario.citations, scenario.assumptions)
        )
        twin = scenario.evolve(
            deployment=None,
            contingents=[{"name": "all", **contingent}],
            citations=citations,
            assumptions=assumptions,
            correlations=[],
        )
        ours, theirs = pm.compute(scenario), pm.compute(twin)
        assert ours.outputs == theirs.outputs, name
        assert ours.layers == theirs.layers


def test_deaths_become_a_rate() -> None:
    # Not replaced: 1 − (1 − 2,710/10,000)^(1/3) = 1 − 0.729^(1/3) = 0.1.
    assert float(death_rate(2_710, 10_000, 3, False)) == pytest.approx(0.1, rel=1e-12)
    # Replaced: 120 / (1,000 × 12) = 0.01.
    assert float(death_rate(120, 1_000, 12, True)) == 0.01
    given = SCENARIO.evolve(**{"contingents.first wave.deaths": 2_710})
    assert given.contingents[0].monthly_death_rate == 0.0
    assert close(pm.compute(given).deaths, 2_710)
    assert close(pm.compute(given).soldier_months, 110_710)


def test_a_deployment_with_deaths() -> None:
    base = pm.builtin("nis-estimate")
    killed = base.evolve(**{"deployment.deaths": 1_320})
    # Replaced: k = 1,320 / (11,000 × 12) = 0.01; D = k·H·M = 1,320, I = 11,000 + 1,320.
    out = pm.compute(killed).outputs
    assert out["deaths"] == pytest.approx(1_320, rel=1e-12)
    assert out["individuals_deployed"] == pytest.approx(12_320, rel=1e-12)


def test_troops_beyond_the_survivors_are_new_arrivals() -> None:
    # Guard duty with 9,000 troops: 9,000 − min(9,000, 7,290) = 1,710 arrive and get the
    # bonus; the 7,290 survivors do not.
    bigger = SCENARIO.evolve(
        **{
            "contingents.guard duty.troops": 9_000,
            "contingents.guard duty.pay": {"signing_bonus_usd": 500},
        }
    )
    guard = pm.compute(bigger).contingents[1]
    assert guard.outputs["individuals_deployed"] == pytest.approx(1_710, rel=1e-12)
    assert guard.outputs["promised_usd"] == pytest.approx(2_000 * 81_000 + 500 * 1_710)


def test_layers_of_the_same_name_add_up_and_own_chains_replace_the_default() -> None:
    own = SCENARIO.evolve(
        **{
            "contingents.reinforcements.diversion": [
                {"name": "commanders", "quota_monthly_usd": 100},
                {"name": "state", "share": 0.5},
            ]
        }
    )
    result = pm.compute(own)
    assert [x.name for x in result.layers] == ["state", "commanders"]
    layers = {x.name: x.revenue_usd for x in result.layers}
    # Reinforcements: commanders 100 × 18,000; state 0.5 × 1,900 × 18,000 + 0.5 × 2,000,000.
    assert layers["commanders"] == pytest.approx(1_800_000)
    state = 1_800 * (27_100 + 65_610) + 0.5 * 1_900 * 18_000 + 0.5 * 2_000_000
    assert layers["state"] == pytest.approx(state, rel=1e-12)
    check_invariants(result)


def test_a_scenario_level_path_moves_every_contingent_that_does_not_override_it() -> None:
    sweep = pm.sweep(SCENARIO, {"pay.gross_monthly_usd": [1000, 2000]})
    assert sweep.outputs["regime_revenue_usd"][1] == pytest.approx(201_078_000, rel=1e-12)
    # Half the pay: 900 × 110,710 + the unchanged bonuses' 1,800,000.
    assert sweep.outputs["regime_revenue_usd"][0] == pytest.approx(
        900 * 110_710 + 1_800_000, rel=1e-12
    )


def test_check_invariants_checks_each_contingent_and_the_sums() -> None:
    import dataclasses

    result = pm.compute(SCENARIO)
    check_invariants(result)
    broken = dataclasses.replace(result, outputs={**result.outputs, "deaths": 1.0})
    with pytest.raises(pm.InvariantError, match="contingents sum: deaths"):
        check_invariants(broken)
    first = result.contingents[0]
    bad_first = dataclasses.replace(first, outputs={**first.outputs, "soldiers_take_home_usd": 0.0})
    mixed = dataclasses.replace(result, contingents=(bad_first, *result.contingents[1:]))
    with pytest.raises(pm.InvariantError, match="contingent 'first wave': conservation"):
        check_invariants(mixed)


def test_explain_shows_each_contingent_then_the_combination() -> None:
    steps = dict(pm.explain(SCENARIO).steps)
    assert steps["first wave: window"] == "from 2024-10, 3 months"
    assert "follows 'first wave'" in steps["guard duty: window"]
    assert steps["guard duty: individuals_deployed"].endswith("− min(7,290, 7,290) = 0")
    assert steps["soldier_months"] == (
        "Σ over first wave, guard duty, reinforcements = 27,100 + 65,610 + 18,000 = 110,710"
    )
    assert steps["take_home_per_individual_usd"].endswith("22,342,000 / 12,000 = 1,861.83")
    assert steps["regime_revenue_per_year_usd"].endswith("× 12 / 12 = 201,078,000")


# -- properties -------------------------------------------------------------------------------


@settings(deadline=None, max_examples=60)
@given(contingent_scenarios(max_contingents=4, uncertain=False, max_months=36))
def test_monthly_rows_sum_to_the_totals(scenario: pm.Scenario) -> None:
    line = pm.timeline(scenario, samples=0)
    result = pm.compute(scenario)
    for name in (
        "soldier_months",
        "deaths",
        "individuals_deployed",
        "paid_usd",
        "regime_revenue_usd",
        "soldiers_take_home_usd",
    ):
        total = result.outputs[name]
        assert float(np.sum(line.columns[name])) == pytest.approx(total, rel=1e-9, abs=1e-6)
    for layer in result.layers:
        assert float(np.sum(line.columns[f"layer:{layer.name}"])) == pytest.approx(
            layer.revenue_usd, rel=1e-9, abs=1e-6
        )


@settings(deadline=None, max_examples=60)
@given(contingent_scenarios(max_contingents=4, uncertain=False, max_months=36))
def test_through_a_month_is_the_timeline_up_to_it(scenario: pm.Scenario) -> None:
    line = pm.timeline(scenario, samples=0)
    month = int(line.months[len(line.months) // 2])
    cut = pm.compute(scenario, through=month)
    for name in ("soldier_months", "regime_revenue_usd", "individuals_deployed"):
        assert cut.outputs[name] == pytest.approx(
            float(line.cumulative[name][month - 1]), rel=1e-9, abs=1e-6
        )
    check_invariants(cut)


@settings(deadline=None, max_examples=100)
@given(contingent_scenarios())
def test_money_is_conserved_per_contingent_and_in_total(scenario: pm.Scenario) -> None:
    check_invariants(pm.compute(scenario))


@settings(deadline=None, max_examples=30)
@given(contingent_scenarios(max_contingents=3, uncertain=True))
def test_samples_are_conserved_per_contingent(scenario: pm.Scenario) -> None:
    check_invariants(pm.simulate(scenario, samples=200, seed=1, keep_samples=True))
    structure = Structure.of(scenario)
    evaluation = evaluate_scenario(structure, point_inputs(scenario))
    for group in evaluation.groups:
        check_invariants(
            group._replace(
                outputs={
                    **group.outputs,
                    "individuals_deployed": np.maximum(
                        group.outputs["individuals_deployed"], group.outputs["deaths"]
                    ),
                }
            )
        )


# -- paths of contingents in every analysis ----------------------------------------------------


def test_sweep_solve_and_evolve_take_contingent_paths() -> None:
    # Troops of the first wave by name: S = H·2.71 + 0.729·H·9 + 18,000 for H = 10,000 …
    sweep = pm.sweep(SCENARIO, {"contingents.first wave.troops": [10_000, 20_000]})
    months = sweep.outputs["soldier_months"]
    assert months[0] == pytest.approx(110_710, rel=1e-12)
    # … and twice the first wave (and its survivors) for H = 20,000: 110,710 + 92,710.
    assert months[1] == pytest.approx(110_710 + 27_100 + 65_610, rel=1e-12)
    # The reinforcements' own pay, by index: what gives the state $210,078,000 in all?
    # 1,800·(27,100 + 65,610) + 0.9·g·18,000 + 1,800,000 = 210,078,000 → g = 2,555.55….
    solution = pm.solve(
        SCENARIO, "contingents.2.pay.gross_monthly_usd", {"regime_revenue_usd": 210_078_000}
    )
    assert solution.value == pytest.approx(2_000 + 9_000_000 / (0.9 * 18_000), rel=1e-9)
    layered = SCENARIO.evolve(
        **{"contingents.reinforcements.diversion": [{"name": "state", "share": 0.9}]}
    ).evolve(**{"contingents.reinforcements.diversion.state.share": 0.5})
    assert layered.contingents[2].diversion is not None
    assert layered.contingents[2].diversion[0].share == 0.5


def test_sensitivity_and_simulate_name_contingent_inputs() -> None:
    uncertain = SCENARIO.evolve(
        **{
            "contingents.first wave.troops": {"kind": "uniform", "low": 9_000, "high": 11_000},
            "contingents.guard duty.months": {"kind": "uniform", "low": 6, "high": 12},
        }
    )
    rows = pm.tornado(uncertain, "regime_revenue_usd").rows
    assert {row.path for row in rows} == {"contingents.0.troops", "contingents.1.months"}
    simulation = pm.simulate(uncertain, 2_000, seed=1, keep_samples=True)
    assert simulation.contingent_names == ("first wave", "guard duty", "reinforcements")
    # The reinforcements do not vary: every sample gives their 18,000 soldier-months.
    stats = simulation.statistics("contingent:reinforcements:soldier_months")
    assert stats["min"] == stats["max"] == 18_000
    data = simulation.to_dict()
    assert [c["name"] for c in data["contingents"]] == list(simulation.contingent_names)
    found = pm.discover(simulation, "regime_revenue_usd", above=210e6)
    paths = {r.path for r in found.box.restrictions}
    assert paths
    assert paths <= {"contingents.0.troops", "contingents.1.months"}
    check_invariants(simulation)


def test_check_files_expect_contingent_outputs(tmp_path: Any) -> None:
    (tmp_path / "waves.json").write_text(json.dumps(WAVES), encoding="utf-8")
    check = tmp_path / "w.check.toml"
    check.write_text(
        """
[[case]]
name = "whole"
scenario = "waves.json"
[case.expected]
regime_revenue_usd = 201_078_000
"contingents.first wave.deaths" = 2710
[case.expected.contingents."guard duty"]
soldier_months = 65_610
individuals_deployed = 0

[[case]]
name = "march"
scenario = "waves.json"
through = "2025-03"
[case.expected]
soldier_months = 54_970
regime_revenue_usd = 100_746_000
""",
        encoding="utf-8",
    )
    report = pm.run_checks(check)
    assert report.passed
    assert sum(len(r.outcomes) for r in report.results) == 6
    check.write_text(check.read_text().replace("first wave.deaths", "first wav.deaths"))
    with pytest.raises(pm.CheckFileError, match="the scenario has no contingent 'first wav'"):
        pm.run_checks(check)
    text = check.read_text().replace("first wav.", "first wave.").replace("2025-03", "2024-03")
    check.write_text(text)
    with pytest.raises(pm.CheckFileError, match="before the scenario's start"):
        pm.run_checks(check)
    # One output both as a key and in the contingent's table: one would be dropped unread.
    text = check.read_text().replace("2024-03", "2025-03")
    check.write_text(text.replace("individuals_deployed = 0", "individuals_deployed = 0\ndeaths = 1"
                                  ).replace('"contingents.first wave.deaths"',
                                            '"contingents.guard duty.deaths"'))  # fmt: skip
    with pytest.raises(pm.CheckFileError) as caught:
        pm.run_checks(check)
    assert str(caught.value).endswith(
        "case 'whole': expected.\"contingents.guard duty.deaths\": given twice, as a key and in "
        '[case.expected.contingents."guard duty"]; keep one'
    )


def test_timeline_rows_are_calendar_months_and_periods() -> None:
    line = pm.timeline(SCENARIO)
    assert line.labels[:4] == ("2024-10", "2024-11", "2024-12", "2025-01")
    assert line.labels[-1] == "2025-09"
    # 2025-01: guard duty's 7,290 and the 2,000 reinforcements serve.
    assert line.columns["headcount"][3] == pytest.approx(9_290, rel=1e-12)
    assert line.columns["individuals_deployed"][3] == 2_000
    # Stacked: the contingents' columns add up to the totals, row by row.
    stacked = sum(columns["regime_revenue_usd"] for columns in line.contingents.values())
    assert np.allclose(stacked, line.columns["regime_revenue_usd"], rtol=1e-12)
    quarters = pm.timeline(SCENARIO, by="quarter")
    assert quarters.labels == ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3")
    # 2025-Q1 = the first three months of 2025: 3 × 9,290 soldier-months.
    assert quarters.columns["soldier_months"][1] == pytest.approx(27_870, rel=1e-12)
    years = pm.timeline(SCENARIO, by="year", through="2025-03")
    assert years.labels == ("2024", "2025")
    assert years.cumulative["regime_revenue_usd"][-1] == pytest.approx(100_746_000, rel=1e-12)
    csv_text = ok("timeline", "deployment-as-reported", "--by", "year", "--csv", "--samples", "0")
    assert csv_text.splitlines()[0].startswith("month,label,month_length,")
    assert [row.split(",")[1] for row in csv_text.splitlines()[1:]] == ["2024", "2025", "2026"]


# -- --through on every command that takes a scenario (DESIGN §5) ------------------------------


def test_sweep_solve_and_sobol_are_cut_at_through() -> None:
    # Up to the end of 2025-03 (DESIGN §6): regime = 1,800 × (27,100 + 3 × 7,290 + 3·R)
    # + 0.9 × 1,000 × R for R reinforcements; R = 2,000 gives $100,746,000, and each
    # reinforcement adds 1,800 × 3 + 900 = $6,300.
    swept = pm.sweep(SCENARIO, {"contingents.2.troops": [1000, 2000, 3000]}, through="2025-03")
    assert swept.outputs["regime_revenue_usd"].tolist() == pytest.approx(
        [100_746_000 - 6_300_000, 100_746_000, 100_746_000 + 6_300_000], rel=1e-12
    )
    solved = pm.solve(
        SCENARIO, "contingents.2.troops", {"regime_revenue_usd": 100_746_000}, through="2025-03"
    )
    assert solved.value == pytest.approx(2000, rel=1e-9)
    # Up to 2024-12 the reinforcements (from 2025-01) move nothing: their Sobol indices are 0.
    document = {**WAVES, "contingents": [dict(c) for c in WAVES["contingents"]]}
    document["contingents"][2]["troops"] = {"kind": "uniform", "low": 1000, "high": 3000}
    document["contingents"][0]["troops"] = {"kind": "uniform", "low": 9000, "high": 11000}
    uncertain = pm.Scenario.model_validate(document)
    indices = pm.sobol_indices(uncertain, "regime_revenue_usd", 4096, seed=1, through="2024-12")
    rows = {row.path: row for row in indices.rows}
    assert rows["contingents.2.troops"].first_order == 0.0
    assert rows["contingents.2.troops"].total_order == 0.0
    # The first wave's troops alone move it (an estimate: 1 to the estimator's noise).
    assert rows["contingents.0.troops"].total_order == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    "argv",
    [
        ["sweep", "--set", "contingents.2.troops=2000", "--output", "regime_revenue_usd"],
        ["solve", "--vary", "contingents.2.troops", "--target", "regime_revenue_usd=100746000"],
    ],
)
def test_the_command_line_takes_through_on_sweep_and_solve(argv: list[str], tmp_path: Any) -> None:
    path = tmp_path / "waves.json"
    path.write_text(json.dumps(WAVES), encoding="utf-8")
    command, *rest = argv
    text = ok(command, str(path), *rest, "--through", "2025-03")
    assert "100,746,000" in text


def test_explain_shows_a_median_count_of_people_whole() -> None:
    # People are whole in text: the triangular(1000, 2000, 2700) deaths of the first wave
    # have median 1,921.95, shown "≈ 1,922"; a median that is already whole
    # (uniform(10900, 12000) troops: 11,450) needs no "≈".
    explanation = pm.explain(pm.builtin("deployment-as-reported"))
    given = {x.path: x.given for x in explanation.inputs}
    assert given["contingents.0.deaths"] == "triangular(1000, 2000, 2700) -> median ≈ 1,922"
    assert given["contingents.0.troops"] == "uniform(10900, 12000) -> median 11,450"
    assert given["pay.gross_monthly_usd"].endswith("-> median 2,000")
