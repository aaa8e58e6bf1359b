"""State transfers (DESIGN §7): money the payer gives the sending state on top of pay.

``pay.state_transfer_monthly_usd`` (s) is promised per soldier-month, P = g·S + b·I + d·D +
s·S; the delivered share δ applies to it, and all of δ·s·S goes to the regime as the layer
"state transfer", listed before "in kind". The in-kind share κ does not apply to it (the
transfer goes whole to its own layer; κ is a share of the delivered pay and lump sums). It
never reaches soldiers: their take-home, per tour and per individual do not change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paymodel as pm
from helpers import bad, ok, ok_json
from paymodel.kernel import FLOW_NAMES, OUTPUT_NAMES, evaluate, evaluate_monthly, per_month
from paymodel.testing import check_invariants, contingent_scenarios, pays, scenarios

#: The hand-worked example: g = 2,000, s = 500, δ = 0.8, one layer 0.9, H = 10,000, M = 12.
EXAMPLE: dict[str, Any] = {
    "name": "transfer-example",
    "pay": {"gross_monthly_usd": 2000, "state_transfer_monthly_usd": 500, "delivered_share": 0.8},
    "diversion": [{"name": "state treasury", "share": 0.9}],
    "deployment": {"troops": 10_000, "months": 12},
}

SOLDIERS_OUTPUTS = (
    "take_home_monthly_usd",
    "take_home_per_tour_usd",
    "take_home_per_individual_usd",
    "domestic_wage_multiple",
    "soldiers_take_home_usd",
)


def _example(**pay: Any) -> pm.Scenario:
    data = json.loads(json.dumps(EXAMPLE))
    data["pay"].update(pay)
    return pm.Scenario.model_validate(data)


# -- hand-worked numbers ----------------------------------------------------------------------


def test_hand_worked_example() -> None:
    # S = 10,000·12 = 120,000 soldier-months; I = 10,000; D = 0.
    # P = g·S + s·S = 2,000·120,000 + 500·120,000 = 240,000,000 + 60,000,000 = 300,000,000.
    # paid = δ·P = 0.8·300,000,000 = 240,000,000.
    # state transfer = δ·s·S = 0.8·500·120,000 = 48,000,000 (all of it to the regime).
    # cash x₀ = g·δ = 1,600 a month; the layer takes 0.9·1,600 = 1,440; t = 160.
    # layer 'state treasury' = 1,440·120,000 = 172,800,000; soldiers 160·120,000 = 19,200,000.
    # regime = 48,000,000 + 172,800,000 = 220,800,000 (per year the same, M = 12);
    # diverted = 220,800,000 / 240,000,000 = 0.92; per tour 160·12 = 1,920 = per individual.
    result = pm.compute(_example())
    assert result.promised_usd == 300_000_000.0
    assert result.paid_usd == 240_000_000.0
    assert result.regime_revenue_usd == 220_800_000.0
    assert result.regime_revenue_per_year_usd == 220_800_000.0
    assert result.soldiers_take_home_usd == pytest.approx(19_200_000.0, rel=1e-15)
    assert result.take_home_monthly_usd == pytest.approx(160.0, rel=1e-15)
    assert result.take_home_per_tour_usd == pytest.approx(1_920.0, rel=1e-15)
    assert result.take_home_per_individual_usd == pytest.approx(1_920.0, rel=1e-15)
    assert result.diverted_share == pytest.approx(0.92, rel=1e-15)
    assert [(x.name, x.revenue_usd) for x in result.layers] == [
        ("state transfer", 48_000_000.0),
        ("state treasury", 172_800_000.0),
    ]
    check_invariants(result)


def test_in_kind_share_does_not_apply_to_the_transfer() -> None:
    # As above with κ = 0.25 and a bonus b = 1,000 (I = 10,000):
    # P = 240,000,000 + 1,000·10,000 + 60,000,000 = 310,000,000; paid = 0.8·P = 248,000,000.
    # state transfer = 0.8·500·120,000 = 48,000,000, whole: κ is not taken from it.
    # in kind = κ·δ·(P − s·S) = 0.25·0.8·250,000,000 = 50,000,000.
    # cash x₀ = 2,000·0.8·0.75 = 1,200; layer 1,080·120,000 = 129,600,000 plus 0.9 of the
    # lump cash 0.75·0.8·10,000,000 = 6,000,000, i.e. 5,400,000: 135,000,000.
    # soldiers: 120·120,000 + 0.1·6,000,000 = 14,400,000 + 600,000 = 15,000,000.
    # regime 48,000,000 + 50,000,000 + 135,000,000 = 233,000,000; + soldiers = 248,000,000.
    result = pm.compute(_example(in_kind_share=0.25, signing_bonus_usd=1000))
    layers = {x.name: x.revenue_usd for x in result.layers}
    assert list(layers) == ["state transfer", "in kind", "state treasury"]
    assert layers["state transfer"] == pytest.approx(48_000_000.0, rel=1e-15)
    assert layers["in kind"] == pytest.approx(50_000_000.0, rel=1e-15)
    assert layers["state treasury"] == pytest.approx(135_000_000.0, rel=1e-15)
    assert result.soldiers_take_home_usd == pytest.approx(15_000_000.0, rel=1e-15)
    assert result.regime_revenue_usd == pytest.approx(233_000_000.0, rel=1e-15)
    assert result.paid_usd == pytest.approx(248_000_000.0, rel=1e-15)
    check_invariants(result)


def test_kernel_arrays_broadcast() -> None:
    # s = 0, 250, 500 against δ = 1, 0.5 (a 2 × 3 grid): state transfer = δ·s·S with
    # S = 10·1 = 10: [[0, 2,500, 5,000], [0, 1,250, 2,500]].
    evaluation = evaluate(
        {
            "pay.gross_monthly_usd": 100.0,
            "pay.state_transfer_monthly_usd": np.array([0.0, 250.0, 500.0]),
            "pay.delivered_share": np.array([[1.0], [0.5]]),
            "deployment.troops": 10.0,
            "deployment.months": 1.0,
        }
    )
    assert evaluation.transfer_revenue_usd.tolist() == [[0, 2500, 5000], [0, 1250, 2500]]
    # No layers: soldiers keep g·δ·S = 1,000 or 500 whatever s is.
    assert evaluation.outputs["soldiers_take_home_usd"].tolist() == [[1000] * 3, [500] * 3]
    # P = 100·10 + s·10 = 1,000, 3,500, 6,000.
    assert evaluation.outputs["promised_usd"].tolist() == [[1000, 3500, 6000]] * 2


def test_a_contingent_may_set_its_own_transfer() -> None:
    # Two contingents of 1,000 for 10 months at $1,000, all to the state: "paid" has s = 200
    # (δ = 1): 200·10,000 = 2,000,000; "unpaid" has none. Regime: 2·10,000,000 + 2,000,000.
    scenario = pm.Scenario.model_validate(
        {
            "name": "two",
            "pay": {"gross_monthly_usd": 1000},
            "diversion": [{"name": "state", "share": 1.0}],
            "contingents": [
                {
                    "name": "paid",
                    "troops": 1000,
                    "months": 10,
                    "pay": {"state_transfer_monthly_usd": 200},
                },
                {"name": "unpaid", "troops": 1000, "months": 10},
            ],
        }
    )
    assert scenario.layer_names() == ("state transfer", "state")
    assert scenario.contingent_layer_names(1) == ("state",)
    result = pm.compute(scenario)
    assert result.regime_revenue_usd == 22_000_000.0
    assert [(x.name, x.revenue_usd) for x in result.layers] == [
        ("state transfer", 2_000_000.0),
        ("state", 20_000_000.0),
    ]
    paid, unpaid = result.contingents
    # Each contingent's own money: "paid" 200·10,000 = 2,000,000 transferred and
    # 1,000·10,000 = 10,000,000 of pay kept by the state; "unpaid" only the 10,000,000.
    # The soldiers keep nothing: paid = regime in each, 12,000,000 + 10,000,000 = 22,000,000.
    assert [(x.name, x.revenue_usd) for x in paid.layers] == [
        ("state transfer", 2_000_000.0),
        ("state", 10_000_000.0),
    ]
    assert [(x.name, x.revenue_usd) for x in unpaid.layers] == [("state", 10_000_000.0)]
    assert [c.outputs["regime_revenue_usd"] for c in result.contingents] == [12e6, 10e6]
    assert [c.outputs["paid_usd"] for c in result.contingents] == [12e6, 10e6]
    assert [c.outputs["soldiers_take_home_usd"] for c in result.contingents] == [0.0, 0.0]
    assert result.paid_usd == 22_000_000.0
    check_invariants(result)
    # The path of the override sweeps like any input.
    swept = pm.sweep(scenario, {"contingents.paid.pay.state_transfer_monthly_usd": [0, 300]})
    assert swept.layers["state transfer"].tolist() == [0.0, 3_000_000.0]


def test_default_zero_adds_no_layer_and_changes_nothing() -> None:
    for name in pm.builtin_names():
        scenario = pm.builtin(name)
        assert "state transfer" not in scenario.layer_names(), name
    plain = pm.builtin("nis-estimate")
    # The DESIGN §1 figures, untouched by an explicit zero.
    zero = plain.evolve(**{"pay.state_transfer_monthly_usd": 0})
    assert pm.compute(zero).outputs == pm.compute(plain).outputs
    assert zero.layer_names() == plain.layer_names()


def test_uncertain_transfer_lists_the_layer_first() -> None:
    scenario = _example(
        state_transfer_monthly_usd={"kind": "uniform", "low": 0, "high": 1000},
        in_kind_share=0.1,
    )
    assert scenario.layer_names() == ("state transfer", "in kind", "state treasury")


@pytest.mark.parametrize("name", ["state transfer", " State Transfer ", "in kind"])
def test_the_layer_names_are_reserved(tmp_path: Path, name: str) -> None:
    path = tmp_path / "reserved.json"
    path.write_text(
        json.dumps({**EXAMPLE, "diversion": [{"name": name, "share": 0.5}]}), encoding="utf-8"
    )
    assert "is reserved for" in bad("run", str(path))


@pytest.mark.parametrize("value", [-1, "a lot", {"kind": "uniform", "low": -5, "high": 5}])
def test_bad_transfers_are_refused_in_one_line(tmp_path: Path, value: Any) -> None:
    data = {**EXAMPLE, "pay": {**EXAMPLE["pay"], "state_transfer_monthly_usd": value}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "pay.state_transfer_monthly_usd" in bad("run", str(path))


# -- every analysis ---------------------------------------------------------------------------


def test_cli_run_set_and_explain() -> None:
    # independent-90 at its medians (g = 2,000, a 0.9 layer, S = 132,000) with s = 500:
    # state transfer 500·132,000 = 66,000,000; regime 237,600,000 + 66,000,000 = 303,600,000;
    # paid 264,000,000 + 66,000,000 = 330,000,000; the soldiers keep $200 a month as before.
    data = ok_json("run", "independent-90", "--set", "pay.state_transfer_monthly_usd=500")
    assert data["layers"][0] == {"name": "state transfer", "revenue_usd": 66_000_000.0}
    assert data["outputs"]["regime_revenue_usd"] == 303_600_000.0
    assert data["outputs"]["paid_usd"] == 330_000_000.0
    assert data["outputs"]["take_home_monthly_usd"] == 200.0
    assert data["outputs"]["soldiers_take_home_usd"] == 26_400_000.0
    text = ok("explain", "independent-90", "--set", "pay.state_transfer_monthly_usd=500")
    assert "P = g·S + b·I + d·D + s·S = 2,000 × 132,000" in text
    assert "δ·s·S = 1 × 500 × 132,000 = 66,000,000" in text
    plain = ok("explain", "independent-90")
    assert "s·S" not in plain
    assert "state transfer" not in plain.split("Arithmetic")[1]


def test_solve_finds_the_transfer_for_a_revenue() -> None:
    # regime per year = 237,600,000 + s·132,000 = 303,600,000 at s = 500.
    solution = pm.solve(
        pm.builtin("independent-90"),
        "pay.state_transfer_monthly_usd",
        {"regime_revenue_per_year_usd": 303_600_000},
    )
    assert solution.value == pytest.approx(500.0, rel=1e-9)


def test_tornado_and_sobol_take_the_transfer() -> None:
    scenario = _example(state_transfer_monthly_usd={"kind": "uniform", "low": 0, "high": 1000})
    tornado = pm.tornado(scenario, "regime_revenue_usd")
    assert [row.path for row in tornado.rows] == ["pay.state_transfer_monthly_usd"]
    # Linear: the swing is δ·S·(p95 − p5) = 0.8·120,000·900 = 86,400,000.
    assert tornado.rows[0].swing == pytest.approx(86_400_000.0, rel=1e-9)
    sobol = pm.sobol_indices(scenario, "layer:state transfer", 4096, seed=1, bootstrap=100)
    assert sobol.rows[0].first_order == pytest.approx(1.0, abs=0.05)
    # Soldiers' take-home does not move at all.
    flat = pm.tornado(scenario, "soldiers_take_home_usd")
    assert flat.rows[0].swing == 0.0


def test_check_file_may_set_the_transfer(tmp_path: Path) -> None:
    path = tmp_path / "transfer.check.toml"
    path.write_text(
        """title = "a transfer"
[[case]]
name = "independent-90-with-transfer"
scenario = "independent-90"
set = { "pay.state_transfer_monthly_usd" = 500 }
[case.expected]
regime_revenue_usd = 303_600_000
take_home_monthly_usd = 200
""",
        encoding="utf-8",
    )
    report = pm.run_checks([path])
    assert report.passed, report.to_text()


def test_json_schema_knows_the_field() -> None:
    schema = pm.scenario_schema()
    pay = schema["$defs"]["Pay"]["properties"]
    assert "state_transfer_monthly_usd" in pay
    assert "state_transfer_monthly_usd" in schema["$defs"]["PayOverrides"]["properties"]


# -- conservation, as properties --------------------------------------------------------------

_TRANSFERS = pays(min_state_transfer_monthly_usd=1.0, max_state_transfer_monthly_usd=1e4)


@settings(deadline=None, max_examples=40)
@given(scenarios(pay=_TRANSFERS))
def test_compute_conserves_money_with_transfers(scenario: pm.Scenario) -> None:
    result = pm.compute(scenario)
    check_invariants(result)
    assert result.layers[0].name == "state transfer"


@settings(deadline=None, max_examples=25)
@given(contingent_scenarios(max_contingents=3, max_troops=1e5, max_months=36), st.data())
def test_contingents_conserve_money_with_transfers(scenario: pm.Scenario, data: Any) -> None:
    transfer = data.draw(st.floats(1.0, 1e4))
    varied = scenario.evolve(**{"pay.state_transfer_monthly_usd": transfer})
    result = pm.compute(varied)
    check_invariants(result)  # per contingent and in total
    for contingent in result.contingents:
        own = varied.contingents[[c.name for c in varied.contingents].index(contingent.name)]
        if own.pay.state_transfer_monthly_usd is None:
            assert contingent.layers[0].name == "state transfer"


@settings(deadline=None, max_examples=20)
@given(scenarios(pay=_TRANSFERS, max_troops=1e5, max_months=60))
def test_simulate_conserves_money_with_transfers(scenario: pm.Scenario) -> None:
    check_invariants(pm.simulate(scenario, 64, seed=3, keep_samples=True))
    check_invariants(pm.simulate(scenario, 64, seed=3))


@settings(deadline=None, max_examples=20)
@given(
    scenarios(pay=_TRANSFERS),
    st.lists(st.just(0.0) | st.floats(1e-6, 1e5), min_size=1, max_size=5),
)
def test_sweep_conserves_money_with_transfers(scenario: pm.Scenario, values: list[float]) -> None:
    swept = pm.sweep(scenario, {"pay.state_transfer_monthly_usd": values})
    out = swept.outputs
    np.testing.assert_allclose(
        out["paid_usd"], out["regime_revenue_usd"] + out["soldiers_take_home_usd"], rtol=1e-9
    )
    layers = sum(swept.layers.values(), np.zeros(len(values)))
    np.testing.assert_allclose(out["regime_revenue_usd"], layers, rtol=1e-9)
    # The soldiers' amounts do not depend on the transfer.
    for name in SOLDIERS_OUTPUTS:
        assert np.all(out[name] == out[name][0]), name


def test_sweeping_a_correlated_input_that_names_a_layer() -> None:
    # The swept input is a number in the scenario that names the layers, so the correlation
    # that cites it must not be checked there (it failed with "not an uncertain input").
    scenario = _example(
        state_transfer_monthly_usd={"kind": "uniform", "low": 0, "high": 1000},
        in_kind_share={"kind": "uniform", "low": 0, "high": 0.5},
    ).evolve(
        correlations=[
            {"between": ["pay.state_transfer_monthly_usd", "pay.in_kind_share"], "rank": 0.5}
        ]
    )
    for path in ("pay.state_transfer_monthly_usd", "pay.in_kind_share"):
        swept = pm.sweep(scenario, {path: [0, 0.25]})
        assert list(swept.layers) == ["state transfer", "in kind", "state treasury"]


@settings(deadline=None, max_examples=20)
@given(scenarios(pay=_TRANSFERS, uncertain=False, max_months=48))
def test_timeline_months_add_up_to_the_totals(scenario: pm.Scenario) -> None:
    timeline = pm.timeline(scenario)
    result = pm.compute(scenario)
    for name in ("paid_usd", "regime_revenue_usd", "promised_usd", "soldiers_take_home_usd"):
        assert timeline.columns[name].sum() == pytest.approx(result.outputs[name], rel=1e-9)
    for layer in result.layers:
        total = timeline.columns[f"layer:{layer.name}"].sum()
        assert total == pytest.approx(layer.revenue_usd, rel=1e-9, abs=1e-9)
    # Month by month too; a month's amount is a difference of running totals, so its
    # rounding is relative to the total.
    monthly = timeline.columns
    np.testing.assert_allclose(
        monthly["paid_usd"],
        monthly["regime_revenue_usd"] + monthly["soldiers_take_home_usd"],
        rtol=1e-9,
        atol=1e-9 * result.paid_usd + 1e-9,
    )


def test_transfers_are_paid_monthly_like_pay() -> None:
    # 100 soldiers for 2.5 months, s = 40, δ = 0.5: δ·s·Sⱼ = 0.5·40·[100, 100, 50].
    monthly = evaluate_monthly(
        {
            "pay.gross_monthly_usd": 1000.0,
            "pay.state_transfer_monthly_usd": 40.0,
            "pay.delivered_share": 0.5,
            "deployment.troops": 100.0,
            "deployment.months": 2.5,
        },
        3,
    )
    assert per_month(monthly.at_month_end.transfer_revenue_usd).tolist() == [2000, 2000, 1000]
    # P per month: (1,000 + 40)·Sⱼ = 104,000, 104,000, 52,000.
    promised = per_month(monthly.at_month_end.outputs["promised_usd"]).tolist()
    assert promised == [104_000, 104_000, 52_000]
    assert "promised_usd" in FLOW_NAMES


@settings(deadline=None)
@given(
    st.floats(0.0, 1e6),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(1.0, 1e6),
    st.floats(0.1, 120.0),
)
def test_soldiers_never_see_the_transfer(
    transfer: float, delivered: float, in_kind: float, troops: float, months: float
) -> None:
    base = {
        "pay.gross_monthly_usd": 2000.0,
        "pay.signing_bonus_usd": 500.0,
        "pay.death_benefit_usd": 1000.0,
        "pay.delivered_share": delivered,
        "pay.in_kind_share": in_kind,
        "deployment.troops": troops,
        "deployment.months": months,
        "deployment.monthly_death_rate": 0.01,
        "diversion.0.share": 0.5,
        "diversion.1.quota_monthly_usd": 100.0,
    }
    without = evaluate(base)
    with_transfer = evaluate({**base, "pay.state_transfer_monthly_usd": transfer})
    for name in SOLDIERS_OUTPUTS:
        assert with_transfer.outputs[name] == without.outputs[name], name
    s_months = float(without.outputs["soldier_months"])
    assert float(with_transfer.transfer_revenue_usd) == delivered * (transfer * s_months)
    assert float(with_transfer.in_kind_revenue_usd) == float(without.in_kind_revenue_usd)
    regime = float(with_transfer.outputs["regime_revenue_usd"])
    added = float(without.outputs["regime_revenue_usd"]) + delivered * transfer * s_months
    assert regime == pytest.approx(added, rel=1e-12, abs=1e-9)
    assert set(OUTPUT_NAMES) == set(with_transfer.outputs)


def test_the_dollar_split_shows_the_transfer_first() -> None:
    from paymodel import plot

    # Of each promised dollar (P = 300,000,000): undelivered 0.2, the transfer 48 M / 300 M
    # = 0.16, the state treasury 172.8 M / 300 M = 0.576, the soldiers 19.2 M / 300 M = 0.064.
    comparison = pm.compare([_example()])
    parts = plot.dollar_shares(comparison)[0]
    assert [name for name, _ in parts] == [
        "undelivered",
        "state transfer",
        "state treasury",
        "soldiers",
    ]
    assert [share for _, share in parts] == pytest.approx([0.2, 0.16, 0.576, 0.064], rel=1e-12)
    figure = plot.dollar_split(pm.compare([_example(in_kind_share=0.25)]))
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend[:3] == ["undelivered", "state transfer", "in kind"]
