"""Money in another currency (DESIGN §7): the twins of every money output and layer revenue.

Hand-worked figures first (the arithmetic in comments), then every analysis that reports
money (compute, explain, simulate, sweep, timeline, compare, solve, tornado, Sobol, discover,
frames, check files, the report), conservation in the currency as a property, and runs that
must be bit-identical whatever the chunk size or worker count with a distributed rate.
"""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paymodel as pm
from helpers import WORKED_EXAMPLE_OUTPUTS, ok, ok_json, run
from paymodel.checks import load_checks
from paymodel.currency import dollar_key, twin_code, twin_key, with_twins
from paymodel.display import output_kind, output_value
from paymodel.kernel import OUTPUT_NAMES
from paymodel.outputs import output_key
from paymodel.results import Result
from paymodel.sampling import BLOCK_SIZE
from paymodel.testing import check_invariants, contingent_scenarios, currencies, scenarios

#: DESIGN §1's worked example (g = 2,000, one layer keeping 90 %, 11,000 troops, 12 months).
WORKED = pm.Scenario(
    name="worked-example",
    pay={"gross_monthly_usd": 2000},
    diversion=[{"name": "state treasury", "share": 0.9}],
    deployment={"troops": 11_000, "months": 12},
)
KRW = {"code": "KRW", "per_usd": 1395}
#: The money outputs: those whose name ends in _usd.
MONEY = [name for name in OUTPUT_NAMES if name.endswith("_usd")]
#: A rate from 1,300 to 1,500 won to the dollar, one per sample.
UNIFORM_RATE = {"code": "KRW", "per_usd": {"kind": "uniform", "low": 1300, "high": 1500}}


# -- the rule: names -------------------------------------------------------------------------


def test_the_money_outputs_are_those_display_calls_money() -> None:
    assert [name for name in OUTPUT_NAMES if output_kind(name) == "money"] == MONEY
    assert len(MONEY) == 8


@pytest.mark.parametrize("name", OUTPUT_NAMES)
def test_a_twin_for_money_and_none_for_the_rest(name: str) -> None:
    twin = twin_key(name, "KRW")
    if name in MONEY:
        assert twin == name.removesuffix("_usd") + "_krw"
        assert dollar_key(str(twin), OUTPUT_NAMES) == name
        assert twin_code(str(twin)) == "KRW"
    else:
        assert twin is None


def test_layer_twins_and_codes() -> None:
    assert twin_key("layer:party / Kim family", "JPY") == "layer_jpy:party / Kim family"
    assert dollar_key("layer_jpy:party / Kim family", ("layer:party / Kim family",)) == (
        "layer:party / Kim family"
    )
    assert twin_code("layer_usd:x") is None  # dollars are no twin
    assert twin_code("deaths_krw") is None  # people have none
    assert dollar_key("paid_usd", ("paid_usd",)) is None


def test_with_twins_keeps_the_order_and_multiplies() -> None:
    columns = {"paid_usd": np.array([1.0, 2.0]), "deaths": np.array([3.0, 4.0])}
    twinned = with_twins(columns, "KRW", np.array([1000.0, 1500.0]))
    assert list(twinned) == ["paid_usd", "paid_krw", "deaths"]
    # one rate per sample: 1 × 1,000 and 2 × 1,500
    assert twinned["paid_krw"].tolist() == [1000.0, 3000.0]
    assert with_twins(columns, None, 5.0) == columns


def test_a_float_column_against_one_rate_per_sample_gives_an_array() -> None:
    # 2 $ at 1,000 and at 1,500 won to the dollar: 2,000 and 3,000 won (no float() of an array).
    twinned = with_twins({"paid_usd": 2.0}, "KRW", np.array([1000.0, 1500.0]))
    assert twinned["paid_krw"].tolist() == [2000.0, 3000.0]


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        # A twin keyed paid_usd would overwrite the dollars (it gave {'paid_usd': 6.0}).
        (lambda: with_twins({"paid_usd": 2.0}, "USD", 3.0), pm.ArgumentError, "other than USD"),
        (lambda: with_twins({"paid_usd": 2.0}, "K", 3.0), pm.ArgumentError, "(got 'K')"),
        (lambda: with_twins([("paid_usd", 2.0)], "KRW", 3.0), pm.ArgumentTypeError, "mapping"),
        (lambda: with_twins({"paid_usd": 2.0}, "KRW", "x"), pm.ArgumentError, "per_usd must"),
        (lambda: twin_key(5, "KRW"), pm.ArgumentTypeError, "key must be text"),
        (lambda: twin_key("paid_usd", 5), pm.ArgumentTypeError, "code must be text"),
    ],
    ids=["usd", "short-code", "not-a-mapping", "rate-not-a-number", "key-int", "code-int"],
)
def test_bad_arguments_to_the_rule_are_paymodel_errors(
    call: Any, error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error) as caught:
        call()
    assert fragment in str(caught.value)


def test_output_key_accepts_twins_only_with_a_currency() -> None:
    assert output_key("regime_revenue_per_year_krw", currency="KRW") == (
        "regime_revenue_per_year_krw"
    )
    assert output_key("layer_krw:state", ["state"], currency="KRW") == "layer_krw:state"
    with pytest.raises(pm.UnknownOutputError, match=r"need a \[currency\]"):
        output_key("regime_revenue_per_year_krw")
    with pytest.raises(pm.UnknownOutputError, match="did you mean 'paid_krw'"):
        output_key("paid_jpy", currency="KRW")
    with pytest.raises(pm.UnknownOutputError):
        output_key("deaths_krw", currency="KRW")  # people have no twin
    with pytest.raises(pm.UnknownOutputError):
        output_key("layer_krw:other", ["state"], currency="KRW")


# -- the point estimate, by hand ------------------------------------------------------------


def test_worked_example_in_won_by_hand() -> None:
    result = pm.compute(WORKED.evolve(currency=KRW))
    # Every dollar figure of the worked example × 1,395 won per dollar, exact in floats:
    # t = 200 → 279,000; per tour 2,400 → 3,348,000; paid 264,000,000 → 368,280,000,000;
    # regime 237,600,000 → 331,452,000,000; soldiers 26,400,000 → 36,828,000,000.
    assert result.take_home_monthly_krw == 279_000
    assert result.take_home_per_tour_krw == 3_348_000
    assert result.take_home_per_individual_krw == 3_348_000
    assert result.paid_krw == result.promised_krw == 368_280_000_000
    assert result.regime_revenue_krw == result.regime_revenue_per_year_krw == 331_452_000_000
    assert result.soldiers_take_home_krw == 36_828_000_000
    # No twin for shares, people, months and multiples; the dollar outputs are unchanged.
    assert {k: result.outputs[k] for k in OUTPUT_NAMES} == WORKED_EXAMPLE_OUTPUTS
    assert len(result.outputs) == len(OUTPUT_NAMES) + len(MONEY)
    # The twins come right after their dollar output.
    names = list(result.outputs)
    assert names[names.index("paid_usd") + 1] == "paid_krw"
    # The layer: 237,600,000 × 1,395
    assert result.to_dict()["layers"] == [
        {"name": "state treasury", "revenue_usd": 237_600_000.0, "revenue_krw": 331_452_000_000.0}
    ]


def test_without_a_currency_nothing_changes() -> None:
    result = pm.compute(WORKED)
    assert result.to_dict()["outputs"] == WORKED_EXAMPLE_OUTPUTS
    assert result.to_dict()["layers"] == [{"name": "state treasury", "revenue_usd": 237.6e6}]
    with pytest.raises(AttributeError):
        _ = result.paid_krw


def test_the_twin_of_a_distributed_rate_at_the_point_estimate_is_the_median() -> None:
    result = pm.compute(WORKED.evolve(currency=UNIFORM_RATE))
    # The median of uniform(1,300, 1,500) is 1,400: 264,000,000 × 1,400
    assert result.paid_krw == 369_600_000_000


def test_contingents_get_twins_and_add_up_in_won(waves: dict[str, Any]) -> None:
    scenario = pm.Scenario.model_validate({**waves, "currency": KRW})
    result = pm.compute(scenario)
    # DESIGN §6's totals × 1,395: regime 201,078,000 → 280,503,810,000; soldiers 22,342,000
    # → 31,167,090,000; promised 223,420,000 → 311,670,900,000.
    assert result.regime_revenue_krw == pytest.approx(280_503_810_000, rel=1e-15)
    assert result.soldiers_take_home_krw == pytest.approx(31_167_090_000, rel=1e-15)
    assert result.promised_krw == pytest.approx(311_670_900_000, rel=1e-15)
    reinforcements = next(c for c in result.contingents if c.name == "reinforcements")
    # 18,000 × 1,800 + 0.9 × 2,000,000 = 34,200,000 $ × 1,395
    assert reinforcements.outputs["regime_revenue_krw"] == pytest.approx(47_709e6, rel=1e-15)
    assert reinforcements.to_dict()["layers"][0]["revenue_krw"] == pytest.approx(47_709e6)
    check_invariants(result)
    assert sum(c.outputs["paid_krw"] for c in result.contingents) == pytest.approx(
        result.paid_krw, rel=1e-12
    )


@pytest.fixture
def waves() -> dict[str, Any]:
    from helpers import WAVES

    return dict(WAVES)


def test_through_cuts_the_twins_too(waves: dict[str, Any]) -> None:
    scenario = pm.Scenario.model_validate({**waves, "currency": KRW})
    # DESIGN §6: --through 2025-03 gives regime 100,746,000 $ × 1,395 = 140,540,670,000
    cut = pm.compute(scenario, through="2025-03")
    assert cut.regime_revenue_krw == pytest.approx(140_540_670_000, rel=1e-15)


def test_evolve_the_rate_and_the_whole_currency() -> None:
    won = WORKED.evolve(currency=KRW)
    assert won.evolve(**{"currency.per_usd": 1000}).currency == pm.Currency(
        code="KRW", per_usd=1000
    )
    # A scenario without a currency gets one from its two paths, set together.
    both = WORKED.evolve(**{"currency.code": "JPY", "currency.per_usd": 150})
    assert pm.compute(both).paid_jpy == 264e6 * 150
    assert won.currency_code == "KRW"
    assert WORKED.currency_code is None
    assert "currency.per_usd" in won.input_paths()
    assert "currency.per_usd" not in WORKED.input_paths()


def test_a_file_with_a_currency_and_a_citation(tmp_path: Path) -> None:
    path = tmp_path / "won.toml"
    path.write_text(
        'name = "won"\n[pay]\ngross_monthly_usd = 2000\n[deployment]\ntroops = 10000\n'
        'months = 12\n[currency]\ncode = "KRW"\nper_usd = 1395\n'
        '[citations]\n"currency.per_usd" = ["REV-07"]\n',
        encoding="utf-8",
    )
    scenario = pm.load(path)
    assert scenario.claims_for("currency.per_usd") == ("REV-07",)
    # No diversion: the soldiers keep 10,000 × 2,000 × 12 = 240,000,000 $ × 1,395.
    # REV-07 is a revenue figure, not an exchange rate: the citation is kept, with a warning
    # (tests/test_measures.py).
    with pytest.warns(pm.MeasureWarning, match="currency.per_usd cites REV-07"):
        assert pm.compute(scenario).soldiers_take_home_krw == 334.8e9
    status, explained, err = run("explain", str(path))
    assert status == 0
    assert "currency.per_usd = 1,395" in explained
    assert "REV-07" in explained
    assert err.startswith("paymodel: warning: won: currency.per_usd cites REV-07")


# -- the command line -------------------------------------------------------------------------


def test_run_json_and_text() -> None:
    document = ok_json("run", "nis-estimate", "--currency", "KRW=1395")
    # 11,000 × 2,000 × 12 = 264,000,000 $ × 1,395 = 368,280,000,000 won
    assert document["outputs"]["regime_revenue_per_year_krw"] == 368_280_000_000
    assert document["layers"][0]["revenue_krw"] == 368_280_000_000
    text = ok("run", "nis-estimate", "--currency", "KRW=1395")
    assert "regime_revenue_per_year_krw    KRW 368,280,000,000" in text
    assert "layer 'state treasury' in KRW  KRW 368,280,000,000" in text


def test_currency_replaces_the_files_currency(tmp_path: Path) -> None:
    path = tmp_path / "jpy.json"
    path.write_text(
        json.dumps({**WORKED.model_dump(mode="json"), "currency": {"code": "JPY", "per_usd": 150}}),
        encoding="utf-8",
    )
    assert ok_json("run", str(path))["outputs"]["paid_jpy"] == 264e6 * 150
    replaced = ok_json("run", str(path), "--currency", "KRW=1000")["outputs"]
    assert "paid_jpy" not in replaced
    assert replaced["paid_krw"] == 264e9


def test_set_changes_the_rate_currency_gives() -> None:
    # --currency applies first: 264,000,000 $ × 1,000 (the --set rate, not 1,395) won.
    argv = ("run", "nis-estimate", "--currency", "KRW=1395", "--set", "currency.per_usd=1000")
    assert ok_json(*argv)["outputs"]["regime_revenue_per_year_krw"] == 264e9


def test_explain_shows_the_arithmetic_of_each_twin() -> None:
    steps = dict(pm.explain(WORKED.evolve(currency=KRW)).steps)
    assert steps["regime_revenue_per_year_krw"] == (
        "regime_revenue_per_year_usd × per_usd = 237,600,000 × 1,395 = 331,452,000,000"
    )
    assert steps["layer 'state treasury' in KRW"] == (
        "layer 'state treasury' × per_usd = 237,600,000 × 1,395 = 331,452,000,000"
    )
    assert "deaths_krw" not in steps
    explained = ok_json("explain", "nis-estimate", "--currency", "KRW=1395")
    assert explained["outputs"]["paid_krw"] == 368_280_000_000


def test_compare_has_a_column_in_the_currency() -> None:
    text = ok("compare", "nis-estimate", "independent-90", "--currency", "KRW=1000")
    assert "regime/year in KRW" in text.splitlines()[0]
    # nis-estimate: 264,000,000 $ × 1,000 = 264.00 bn won; independent-90: 237.6 M → 237.60 bn
    assert "KRW 264.00 bn" in text
    assert "KRW 237.60 bn" in text
    document = ok_json("compare", "nis-estimate", "--currency", "KRW=1000", "--samples", "0")
    scenario = document["scenarios"][0]
    assert scenario["outputs"]["paid_krw"] == 264e9
    assert scenario["intervals"]["paid_krw"] == {"p5": 264e9, "p50": 264e9, "p95": 264e9}
    assert "regime/year in" not in ok("compare", "nis-estimate", "--samples", "0")


def test_timeline_columns_and_the_text_column() -> None:
    line = pm.timeline(WORKED.evolve(currency=KRW), samples=0)
    # Each month: 1,800 × 11,000 = 19,800,000 $ to the regime × 1,395 = 27,621,000,000 won
    assert line.columns["regime_revenue_krw"].tolist() == [27_621_000_000.0] * 12
    assert line.total("layer_krw:state treasury") == 331_452_000_000
    assert line.total("paid_krw") == 368_280_000_000
    text = ok("timeline", "nis-estimate", "--currency", "KRW=1395")
    assert "regime revenue in KRW" in text
    # 2,000 × 11,000 = 22,000,000 $ a month × 1,395 = 30,690,000,000 won
    assert "KRW 30,690,000,000" in text
    csv_header = ok("timeline", "nis-estimate", "--currency", "KRW=1395", "--csv").splitlines()[0]
    assert "regime_revenue_krw" in csv_header.split(",")
    assert "cumulative_layer_krw:state treasury" in csv_header.split(",")


def test_sweep_over_the_rate_and_troops() -> None:
    sweep = pm.sweep(
        WORKED.evolve(currency=KRW),
        {"currency.per_usd": [1000, 1500], "deployment.troops": [10_000, 11_000]},
    )
    # 1,800 × 12 × troops × rate: 21,600 × 10,000 × 1,000 = 216e9 ... × 11,000 × 1,500
    assert sweep["regime_revenue_per_year_krw"].tolist() == [
        [216e9, 237.6e9],
        [324e9, 356.4e9],
    ]
    assert sweep["layer_krw:state treasury"].tolist() == sweep["regime_revenue_krw"].tolist()
    # The dollar figures do not depend on the rate.
    assert sweep["regime_revenue_usd"][0].tolist() == sweep["regime_revenue_usd"][1].tolist()
    document = sweep.to_dict(["layer_krw:state treasury"])
    assert document["layers"] == [
        {"name": "state treasury", "revenue_krw": [[216e9, 237.6e9], [324e9, 356.4e9]]}
    ]
    assert "layer_krw:state treasury" in sweep.to_csv().splitlines()[0].split(",")


def test_solve_for_a_target_in_won() -> None:
    scenario = pm.builtin("nis-estimate").evolve(currency=KRW)
    # Sejong's 334.8 bn won at 1,395 won/$: 240,000,000 $ = H × 2,000 × 12, H = 10,000
    troops = pm.solve(scenario, "deployment.troops", {"regime_revenue_per_year_krw": 334.8e9})
    assert troops.value == pytest.approx(10_000, rel=1e-12)
    # The rate that makes 11,000 troops' 264,000,000 $ worth 334.8 bn: 1,268.18 won/$
    rate = pm.solve(scenario, "currency.per_usd", {"regime_revenue_per_year_krw": 334.8e9})
    assert rate.value == pytest.approx(334.8e9 / 264e6, rel=1e-12)
    with pytest.raises(pm.UnknownOutputError, match=r"need a \[currency\]"):
        pm.solve(pm.builtin("nis-estimate"), "deployment.troops", {"paid_krw": 1e9})


def test_the_rate_ranks_in_a_tornado_and_sobol() -> None:
    scenario = pm.builtin("span-sources").evolve(currency=UNIFORM_RATE)
    won = pm.tornado(scenario, "regime_revenue_per_year_krw")
    assert "currency.per_usd" in [row.path for row in won.rows]
    dollars = pm.tornado(scenario, "regime_revenue_per_year_usd")
    by_path = {row.path: row.swing for row in dollars.rows}
    assert by_path["currency.per_usd"] == 0.0  # the rate moves no dollar
    indices = pm.sobol_indices(scenario, "layer_krw:state treasury", samples=4096, seed=3)
    rows = {row.path: row for row in indices.rows}
    # Y = U·R with U (the dollar layer) and R (the rate) independent: S₁(R) = c_R² / v and
    # S_T(R) = (1 + c_U²)·c_R² / v, v = (1 + c_U²)(1 + c_R²) − 1, c² a squared coefficient
    # of variation. c_R² = (200²/12) / 1,400² = 0.0017007; span-sources' c_U² = 0.0353
    # (200,000 draws): v = 0.03707, S₁ = 0.0459, S_T = 0.0475. Seeds 1-5 give both within
    # 0.002 of these; a twin at the median rate gives 0.
    assert rows["currency.per_usd"].first_order == pytest.approx(0.0459, abs=0.005)
    assert rows["currency.per_usd"].total_order == pytest.approx(0.0475, abs=0.005)
    in_dollars = pm.sobol_indices(scenario, "regime_revenue_usd", samples=4096, seed=3)
    assert {row.path: row for row in in_dollars.rows}["currency.per_usd"].total_order == 0.0


def test_discover_on_a_twin() -> None:
    scenario = WORKED.evolve(currency=UNIFORM_RATE)
    # 237,600,000 $ × rate > 344.52e9 won when rate > 1,450: a quarter of the draws
    simulation = pm.simulate(scenario, 4000, seed=2, keep_samples=True)
    found = pm.discover(simulation, "regime_revenue_per_year_krw", above=344.52e9)
    # P(rate > 1,450) = 50 / 200 = 0.25; 4,000 draws: σ = √(0.25·0.75/4,000) = 0.0068, ±3σ
    assert found.hit_share == pytest.approx(0.25, abs=0.021)
    (restriction,) = found.box.restrictions
    assert restriction.path == "currency.per_usd"
    assert restriction.low == pytest.approx(1450, rel=0.01)


# -- simulations: per sample, reproducible -----------------------------------------------------


def test_each_sample_uses_its_own_rate() -> None:
    scenario = pm.builtin("span-sources").evolve(currency=UNIFORM_RATE)
    sim = pm.simulate(scenario, 5000, seed=11, keep_samples=True)
    rate = sim.input_values("currency.per_usd")
    for name in MONEY:
        twin = name.removesuffix("_usd") + "_krw"
        assert np.array_equal(sim.values(twin), sim.values(name) * rate), name
    layer = sim.values("layer_krw:state treasury")
    assert np.array_equal(layer, sim.values("layer:state treasury") * rate)
    check_invariants(sim)
    document = sim.to_dict()
    assert set(document["outputs"]) == {*OUTPUT_NAMES, *(n[:-4] + "_krw" for n in MONEY)}
    assert document["layers"][0]["revenue_krw"]["mean"] == pytest.approx(float(layer.mean()))
    frame = sim.to_frame()
    assert "layer_krw:state treasury" in frame.index
    assert "regime_revenue_per_year_krw" in sim.to_frame(samples=True).columns
    assert "layer state treasury in KRW" in sim.to_text()


def test_contingents_flows_in_won_in_a_simulation(waves: dict[str, Any]) -> None:
    waves["pay"] = {"gross_monthly_usd": {"kind": "uniform", "low": 1500, "high": 2500}}
    scenario = pm.Scenario.model_validate({**waves, "currency": UNIFORM_RATE})
    sim = pm.simulate(scenario, 3000, seed=5, keep_samples=True)
    rate = sim.input_values("currency.per_usd")
    first = sim.values("contingent:first wave:regime_revenue_krw")
    assert np.array_equal(first, sim.values("contingent:first wave:regime_revenue_usd") * rate)
    groups = sim.to_dict()["contingents"]
    assert "paid_krw" in groups[0]["outputs"]
    check_invariants(sim)


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_bit_identical_whatever_the_chunk_size_with_a_distributed_rate(method: str) -> None:
    scenario = pm.builtin("span-sources").evolve(currency=UNIFORM_RATE)
    samples = 2 * BLOCK_SIZE + 777
    runs = [
        pm.simulate(scenario, samples, seed=99, method=method, chunk_size=size).to_dict()  # type: ignore[arg-type]
        for size in (1_000, BLOCK_SIZE, 10**6)
    ]
    assert runs[0] == runs[1] == runs[2]


def test_bit_identical_with_two_workers_with_a_distributed_rate() -> None:
    scenario = pm.builtin("span-sources").evolve(currency=UNIFORM_RATE)
    serial = pm.simulate(scenario, 3 * BLOCK_SIZE, seed=4, chunk_size=BLOCK_SIZE)
    line = pm.timeline(scenario, samples=3000, seed=4)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = pm.simulate(
            scenario, 3 * BLOCK_SIZE, seed=4, chunk_size=BLOCK_SIZE, executor=pool
        )
        parallel_line = pm.timeline(scenario, samples=3000, seed=4, executor=pool)
    assert serial.to_dict() == parallel.to_dict()
    assert line.to_dict() == parallel_line.to_dict()
    assert "regime_revenue_krw" in line.bands


def test_the_currency_leaves_the_dollars_bit_identical() -> None:
    scenario = pm.builtin("span-sources")
    plain = pm.simulate(scenario, 20_000, seed=8).to_dict()
    won = pm.simulate(scenario.evolve(currency=UNIFORM_RATE), 20_000, seed=8).to_dict()
    # The rate is one more uncertain input; the method draws every input from its own
    # stream (mc: one column each), so the dollar outputs are the same draws.
    for name in OUTPUT_NAMES:
        assert won["outputs"][name] == plain["outputs"][name], name


# -- conservation in the currency, as a property --------------------------------------------


@settings(max_examples=40, deadline=None)
@given(scenario=scenarios(currency=currencies()))
def test_conservation_in_the_currency_point_estimate(scenario: pm.Scenario) -> None:
    check_invariants(pm.compute(scenario))


@settings(max_examples=15, deadline=None)
@given(scenario=scenarios(currency=currencies(uncertain=True), uncertain=True))
def test_conservation_in_the_currency_in_a_simulation(scenario: pm.Scenario) -> None:
    check_invariants(pm.simulate(scenario, 500, seed=1, keep_samples=True))
    check_invariants(pm.simulate(scenario, 500, seed=1))


@settings(max_examples=15, deadline=None)
@given(scenario=contingent_scenarios(max_contingents=3), data=st.data())
def test_conservation_in_the_currency_with_contingents(
    scenario: pm.Scenario, data: st.DataObject
) -> None:
    scenario = scenario.evolve(currency=data.draw(currencies()))
    check_invariants(pm.compute(scenario))


@settings(max_examples=20, deadline=None)
@given(
    scenario=scenarios(currency=currencies(uncertain=False), uncertain=False),
    rates=st.lists(st.floats(1e-6, 1e9), min_size=1, max_size=3),
)
def test_conservation_in_the_currency_over_a_sweep(
    scenario: pm.Scenario, rates: list[float]
) -> None:
    sweep = pm.sweep(scenario, {"currency.per_usd": rates})
    code = str(scenario.currency_code).lower()
    paid = sweep[f"paid_{code}"]
    parts = sweep[f"regime_revenue_{code}"] + sweep[f"soldiers_take_home_{code}"]
    assert np.allclose(paid, parts, rtol=1e-9, atol=1e-9)
    layers = sum((sweep[f"layer_{code}:{n}"] for n in sweep.layers), np.zeros(len(rates)))
    assert np.allclose(sweep[f"regime_revenue_{code}"], layers, rtol=1e-9, atol=1e-9)
    assert np.array_equal(sweep[f"paid_{code}"], sweep["paid_usd"] * np.asarray(rates))


@settings(max_examples=15, deadline=None)
@given(scenario=scenarios(currency=currencies(), max_months=36))
def test_conservation_in_the_currency_month_by_month(scenario: pm.Scenario) -> None:
    line = pm.timeline(scenario, samples=0)
    code = str(scenario.currency_code).lower()
    paid = line.cumulative[f"paid_{code}"]
    parts = (
        line.cumulative[f"regime_revenue_{code}"] + line.cumulative[f"soldiers_take_home_{code}"]
    )
    assert np.allclose(paid, parts, rtol=1e-9, atol=1e-6)
    total = pm.compute(scenario)
    assert line.total(f"paid_{code}") == pytest.approx(
        total.outputs[f"paid_{code}"], rel=1e-9, abs=1e-6
    )


# -- check files, frames, the report -----------------------------------------------------------


def test_a_check_file_expects_twins(tmp_path: Path) -> None:
    path = tmp_path / "won.check.toml"
    path.write_text(
        '[[case]]\nname = "sejong"\ndescription = "Sejong in won."\nclaims = ["REV-07"]\n'
        'scenario = "nis-estimate"\n'
        'set = { "deployment.troops" = 10000, "currency.code" = "KRW", '
        '"currency.per_usd" = 1395 }\n'
        "[case.expected]\n"
        'regime_revenue_per_year_krw = { value = 334.8e9, claim = "REV-07" }\n'
        '"contingents.x.paid_krw" = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(pm.CheckFileError, match="no contingent 'x'"):
        load_checks(path)
    path.write_text(path.read_text(encoding="utf-8").replace('"contingents.x.paid_krw" = 1\n', ""))
    (case,) = load_checks(path)
    assert case.run().passed
    assert "regime_revenue_per_year_krw = 334,800,000,000" in ok("check", str(path))


def test_frames_have_the_twins() -> None:
    pytest.importorskip("pandas")
    result = pm.compute(WORKED.evolve(currency=KRW))
    frame = result.to_frame()
    assert frame.loc["layer_krw:state treasury", "value"] == 331_452_000_000
    assert frame.loc["soldiers_take_home_krw", "value"] == 36_828_000_000
    compared = pm.compare([WORKED.evolve(currency=KRW), pm.builtin("nis-estimate")], samples=0)
    table = compared.to_frame()
    assert table.loc["worked-example", "paid_krw"] == 368_280_000_000
    assert np.isnan(table.loc["nis-estimate", "paid_krw"])  # it has no currency


def test_display_of_money_in_another_currency() -> None:
    assert output_value("regime_revenue_krw", 334.8e9) == "KRW 334,800,000,000"
    assert output_value("regime_revenue_krw", 334.8e9, compact=True) == "KRW 334.80 bn"
    assert output_value("layer_jpy:state", 1.5e7, compact=True) == "JPY 15.0 M"
    assert output_value("take_home_monthly_krw", 279_000.5) == "KRW 279,000"
    # An exchange rate reads as a number, not dollars.
    assert output_value("currency_per_usd", 1395) == "1,395"


def test_the_report_shows_the_currency(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "won.md"
    ok(
        "report",
        "nis-estimate",
        "--currency",
        "KRW=1395",
        "--samples",
        "100",
        "--seed",
        "1",
        "--out",
        str(out),
    )
    text = out.read_text(encoding="utf-8")
    assert "regime/year in KRW" in text
    assert "KRW 368.28 bn" in text
    assert "regime_revenue_per_year_krw: regime_revenue_per_year_usd × per_usd" in text


def test_every_layer_has_a_twin_whatever_its_name() -> None:
    scenario = pm.builtin("nis-estimate").evolve(
        **{"pay.state_transfer_monthly_usd": 1000, "pay.in_kind_share": 0.1}, currency=KRW
    )
    result = pm.compute(scenario)
    # S = 11,000 × 12 = 132,000; × 1,395 won/$:
    # state transfer 1,000 × S = 132,000,000 $ → 184,140,000,000 won;
    # in kind 0.1 × 2,000 × S = 26,400,000 $ → 36,828,000,000 won;
    # state treasury 0.9 × 2,000 × S = 237,600,000 $ → 331,452,000,000 won.
    assert [(x["name"], x["revenue_krw"]) for x in result.to_dict()["layers"]] == [
        ("state transfer", 184_140_000_000.0),
        ("in kind", 36_828_000_000.0),
        ("state treasury", 331_452_000_000.0),
    ]
    # 132,000,000 + 26,400,000 + 237,600,000 = 396,000,000 $ → 552,420,000,000 won
    assert result.regime_revenue_krw == 552_420_000_000
    check_invariants(result)


# -- simulate(outputs=[...]) with twins -------------------------------------------------------


def test_simulate_only_twins_gives_the_full_runs_statistics_bit_for_bit() -> None:
    scenario = pm.builtin("span-sources").evolve(currency=UNIFORM_RATE)
    full = pm.simulate(scenario, 3 * BLOCK_SIZE, seed=5)
    asked = ["regime_revenue_per_year_krw", "layer_krw:state treasury", "deaths"]
    part = pm.simulate(scenario, 3 * BLOCK_SIZE, seed=5, outputs=asked)
    assert part.currency == full.currency == "KRW"
    assert set(part.summaries) == set(asked)
    for name in asked:
        assert part.statistics(name) == full.statistics(name)
    # Only the twin of the layer was asked for: its dollars were computed, not summarised.
    with pytest.raises(KeyError, match="was not simulated"):
        part.statistics("regime_revenue_per_year_usd")
    with pytest.raises(KeyError, match="was not simulated"):
        part.statistics("layer:state treasury")
    layers = part.to_dict()["layers"]
    assert layers == [
        {"name": "state treasury", "revenue_krw": full.statistics("layer_krw:state treasury")}
    ]


def test_simulate_output_twin_on_the_command_line() -> None:
    shape = ok_json(
        "simulate", "nis-estimate", "--samples", "1000", "--seed", "3",
        "--currency", "KRW=1395", "--output", "regime_revenue_per_year_krw",
    )  # fmt: skip
    # 264,000,000 $ a year × 1,395 KRW/$ = 368,280,000,000 KRW, in every draw (no spread).
    assert list(shape["outputs"]) == ["regime_revenue_per_year_krw"]
    assert shape["outputs"]["regime_revenue_per_year_krw"]["p50"] == pytest.approx(368.28e9)


# The properties above pass only if check_invariants looks at the twins at all: break each
# identity in won by one unit and see it named. The worked example in won (× 1,395): paid
# 368,280,000,000 = regime 331,452,000,000 + soldiers 36,828,000,000; the one layer takes
# 331,452,000,000; t = 279,000.
def _won_with(layer_krw: float = 331_452_000_000.0, **changes: float) -> Result:
    result = pm.compute(WORKED.evolve(currency=KRW))
    (layer,) = result.layers
    layers = (dataclasses.replace(layer, twins=(("revenue_krw", layer_krw),)),)
    return Result("won", {**result.outputs, **changes}, layers)


def test_the_unbroken_result_in_won_passes() -> None:
    check_invariants(_won_with())


@pytest.mark.parametrize(
    ("broken", "fragment"),
    [
        # 36,828,000,000 + 1,000 won: 368,280,000,000 ≠ 331,452,000,000 + 36,828,001,000
        ({"soldiers_take_home_krw": 36_828_001_000.0}, "conservation in KRW"),
        # the layer 1,000 won short of the regime's 331,452,000,000
        ({"layer_krw": 331_451_999_000.0}, "layers sum in KRW"),
        # 279,001 won a month is not 200 $ at the 1,395 of paid_krw / paid_usd
        ({"take_home_monthly_krw": 279_001.0}, "one rate: take_home_monthly_krw"),
    ],
    ids=["conservation", "layers-sum", "one-rate"],
)
def test_a_broken_identity_in_won_is_named(broken: dict[str, float], fragment: str) -> None:
    with pytest.raises(pm.InvariantError, match=fragment):
        check_invariants(_won_with(**broken))


def test_varying_a_currency_says_how_to_give_one() -> None:
    # The code is text, and a scenario without [currency] has no rate to vary: every
    # analysis that varies an input says how to give a currency, in one line.
    plain = pm.builtin("nis-estimate")
    with pytest.raises(pm.ScenarioError, match=r"currency\.code: a currency's code is text"):
        pm.sweep(plain, {"currency.code": [1.0, 2.0]})
    with pytest.raises(pm.ScenarioError, match=r"currency\.per_usd: this scenario has no \["):
        pm.sweep(plain, {"currency.per_usd": [1300.0, 1400.0]})
    with pytest.raises(pm.ScenarioError, match=r"currency=\{'code': 'KRW', 'per_usd': 1395\}"):
        plain.variable_input("currency.per_usd")
    # With a currency its rate is an input like any other: 1,300 and 1,400 won a dollar.
    won = plain.evolve(currency={"code": "KRW", "per_usd": 1395})
    grid = pm.sweep(won, {"currency.per_usd": [1300.0, 1400.0]})
    # nis-estimate: $264,000,000 a year; × 1,300 = 343.2 bn won, × 1,400 = 369.6 bn won.
    assert grid["regime_revenue_per_year_krw"].tolist() == pytest.approx([343.2e9, 369.6e9])
