"""Tornado diagrams and the ``sensitivity`` dispatcher: hand-worked swings, the batch against
one evaluation per point, money conservation across tornados, the JSON contract, the CLI."""

from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import paymodel as pm
from helpers import WAVES, bad, ok, ok_json
from paymodel.kernel import OUTPUT_NAMES

SPAN = pm.builtin("span-sources")
REVENUE = "regime_revenue_per_year_usd"
#: DESIGN §5's keys of a tornado row, in order.
ROW_KEYS = ["path", "low", "high", "output_at_low", "output_at_high", "swing"]

# span-sources' medians: g = √(1500·2500) = 1936.4916731…, share 0.9 (choice: the smallest
# value whose cumulative weight reaches 0.5), troops 13,000, 12 months; no bonus, so revenue
# per year is g·s·H·12 and tour length does not enter it.
G_MEDIAN = math.sqrt(1500 * 2500)


def revenue(g: float, share: float, troops: float) -> float:
    return g * share * troops * 12


def test_span_sources_revenue_tornado_by_hand() -> None:
    t = pm.tornado(SPAN, REVENUE)
    assert t.scenario == "span-sources"
    assert t.output == REVENUE
    assert t.method == "tornado"
    assert t.baseline == pytest.approx(revenue(G_MEDIAN, 0.9, 13_000), rel=1e-12)
    assert t.baseline == pytest.approx(271_883_430.9, abs=0.1)
    rows = {row.path: row for row in t.rows}
    # Lognormal given by its p5 and p95: the ends are those two numbers.
    pay = rows["pay.gross_monthly_usd"]
    assert (pay.low, pay.high) == pytest.approx((1500, 2500), rel=1e-12)
    assert pay.output_at_low == pytest.approx(210_600_000, rel=1e-12)  # 1500·0.9·13,000·12
    assert pay.output_at_high == pytest.approx(351_000_000, rel=1e-12)  # 2500·0.9·13,000·12
    # Uniform 11,000-15,000: p5 = 11,000 + 0.05·4,000 = 11,200, p95 = 14,800.
    troops = rows["deployment.troops"]
    assert (troops.low, troops.high) == pytest.approx((11_200, 14_800), rel=1e-12)
    assert troops.output_at_low == pytest.approx(revenue(G_MEDIAN, 0.9, 11_200), rel=1e-12)
    assert troops.output_at_high == pytest.approx(revenue(G_MEDIAN, 0.9, 14_800), rel=1e-12)
    # choice(0.9, 1.0): p5 is 0.9 (the median too), p95 is 1.0.
    share = rows["diversion.0.share"]
    assert (share.low, share.high) == (0.9, 1.0)
    assert share.output_at_low == t.baseline
    assert share.output_at_high == pytest.approx(revenue(G_MEDIAN, 1.0, 13_000), rel=1e-12)
    # Tours uniform 6-12: p5 6.3, p95 11.7; revenue does not depend on them at all.
    tours = rows["deployment.tour_months"]
    assert (tours.low, tours.high) == pytest.approx((6.3, 11.7), rel=1e-12)
    assert tours.output_at_low == tours.output_at_high == t.baseline
    assert tours.swing == 0
    # Sorted by swing: 140.4 M (pay) > 75.3 M (troops) > 30.2 M (share) > 0 (tours).
    assert [row.path for row in t.rows] == [
        "pay.gross_monthly_usd",
        "deployment.troops",
        "diversion.0.share",
        "deployment.tour_months",
    ]
    assert pay.swing == pytest.approx(140_400_000, rel=1e-12)


def test_take_home_tornado_puts_the_diversion_first() -> None:
    # t = g·(1 − s): at s = 1.0 nothing is left; at the medians t = 0.1·1936.49 = 193.65.
    t = pm.tornado(SPAN, "take_home_monthly_usd")
    first = t.rows[0]
    assert first.path == "diversion.0.share"
    assert first.output_at_low == pytest.approx(0.1 * G_MEDIAN, rel=1e-12)
    assert first.output_at_high == 0
    # Pay from 1,500 to 2,500 moves it from 150 to 250: swing 100.
    assert t.rows[1].path == "pay.gross_monthly_usd"
    assert t.rows[1].swing == pytest.approx(100, rel=1e-12)
    assert [row.swing for row in t.rows[2:]] == [0, 0]


@pytest.mark.parametrize("output", [*OUTPUT_NAMES, "layer:state treasury"])
def test_batch_equals_one_evaluation_per_point(output: str) -> None:
    # Every row of the one batch equals compute() on the scenario with that input fixed.
    t = pm.tornado(SPAN, output)
    name = "regime_revenue_usd" if output.startswith("layer:") else output
    assert t.baseline == pytest.approx(pm.compute(SPAN).outputs[name], rel=1e-12, abs=1e-9)
    for row in t.rows:
        for value, expected in ((row.low, row.output_at_low), (row.high, row.output_at_high)):
            alone = pm.compute(SPAN.evolve(**{row.path: value})).outputs[name]
            assert expected == pytest.approx(alone, rel=1e-12, abs=1e-9), (row.path, value)
    swings = [row.swing for row in t.rows]
    assert swings == sorted(swings, reverse=True)


def test_layer_by_bare_name_and_in_kind_layer() -> None:
    by_prefix = pm.tornado(SPAN, "layer:state treasury")
    assert pm.tornado(SPAN, "state treasury") == by_prefix
    assert by_prefix.output == "layer:state treasury"
    # A layer's revenue is shown in dollars: pay at p5, 1,500·0.9·13,000·12 = $210,600,000.
    assert by_prefix.to_text().splitlines()[3].split()[3] == "$210,600,000"
    # in-kind-credit: the "in kind" layer takes κ·δ·P. With δ at p95 = 0.2 + 0.95·0.6 = 0.77
    # and κ at its median 0.85: 0.85·0.77·2,000·11,000·12.
    credit = pm.builtin("in-kind-credit")
    t = pm.tornado(credit, "layer:in kind")
    delivered = {row.path: row for row in t.rows}["pay.delivered_share"]
    assert delivered.high == pytest.approx(0.77, rel=1e-12)
    assert delivered.output_at_high == pytest.approx(0.85 * 0.77 * 2000 * 11_000 * 12, rel=1e-12)


@given(
    troops=st.tuples(st.integers(1_000, 20_000), st.integers(1, 20_000)),
    share=st.tuples(st.integers(0, 50), st.integers(1, 50)),  # hundredths
    # A bonus from $0 spans at least $1,000, so at most 10⁻⁶/10³ = 10⁻⁹ of it lies below the
    # smallest amount, 10⁻⁶ $ (more is refused).
    bonus=st.tuples(st.integers(0, 5_000), st.integers(1_000, 5_000)),
    tours=st.tuples(st.integers(10, 60), st.integers(5, 60)),  # tenths of a month
)
def test_money_is_conserved_row_by_row(
    troops: tuple[int, int],
    share: tuple[int, int],
    bonus: tuple[int, int],
    tours: tuple[int, int],
) -> None:
    # paid = regime revenue + soldiers' take-home at every point of every tornado.
    scenario = pm.Scenario(
        name="property",
        pay={
            "gross_monthly_usd": 2000,
            "signing_bonus_usd": {"kind": "uniform", "low": bonus[0], "high": sum(bonus)},
        },
        diversion=[
            {
                "name": "a",
                "share": {"kind": "uniform", "low": share[0] / 100, "high": sum(share) / 100},
            },
            {"name": "b", "quota_monthly_usd": 300},
        ],
        deployment={
            "troops": {"kind": "uniform", "low": troops[0], "high": sum(troops)},
            "months": 12,
            "tour_months": {"kind": "uniform", "low": tours[0] / 10, "high": sum(tours) / 10},
        },
    )
    paid, regime, soldiers = (
        {row.path: row for row in pm.tornado(scenario, name).rows}
        for name in ("paid_usd", "regime_revenue_usd", "soldiers_take_home_usd")
    )
    layers = [
        {row.path: row for row in pm.tornado(scenario, f"layer:{name}").rows} for name in "ab"
    ]
    for path, row in paid.items():
        for end in ("output_at_low", "output_at_high"):
            total = getattr(regime[path], end) + getattr(soldiers[path], end)
            assert getattr(row, end) == pytest.approx(total, rel=1e-9)
            by_layer = sum(getattr(layer[path], end) for layer in layers)
            assert getattr(regime[path], end) == pytest.approx(by_layer, rel=1e-9)


def test_json_contract_and_frame() -> None:
    t = pm.tornado(SPAN, REVENUE)
    data = json.loads(t.to_json())
    assert list(data) == ["scenario", "output", "method", "baseline", "inputs"]
    assert data["method"] == "tornado"
    assert all(list(row) == ROW_KEYS for row in data["inputs"])
    assert [row["swing"] for row in data["inputs"]] == sorted(
        (row["swing"] for row in data["inputs"]), reverse=True
    )
    for row in data["inputs"]:
        assert row["swing"] == abs(row["output_at_high"] - row["output_at_low"])
    frame = t.to_frame()
    assert list(frame.columns) == ROW_KEYS
    assert frame["path"].tolist() == [row.path for row in t.rows]
    assert frame["swing"].tolist() == [row.swing for row in t.rows]


def test_text_shows_inputs_and_outputs_in_their_units() -> None:
    text = pm.tornado(SPAN, REVENUE).to_text()
    lines = text.splitlines()
    assert lines[0].startswith("span-sources: tornado of regime_revenue_per_year_usd")
    assert "$271,883,431" in lines[0]
    assert lines[3].split() == [
        "pay.gross_monthly_usd",
        "$1,500",
        "$2,500",
        "$210,600,000",
        "$351,000,000",
        "$140,400,000",
    ]
    assert "90.0 %" in lines[5]
    assert "100.0 %" in lines[5]


def test_dispatcher() -> None:
    assert pm.sensitivity(SPAN, REVENUE) == pm.tornado(SPAN, REVENUE)
    sobol = pm.sensitivity(SPAN, REVENUE, "sobol", samples=8192, seed=1)
    assert sobol == pm.sobol_indices(SPAN, REVENUE, 8192, seed=1)
    with pytest.raises(pm.ScenarioError, match="tornado: takes no options"):
        pm.sensitivity(SPAN, REVENUE, "tornado", samples=10)
    with pytest.raises(pm.ScenarioError, match="method must be one of tornado, sobol"):
        pm.sensitivity(SPAN, REVENUE, "morris")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scenario", "output", "fragment"),
    [
        ("nis-estimate", REVENUE, "tornado: scenario 'nis-estimate' has no uncertain inputs"),
        ("span-sources", "revenue", "no output or layer named 'revenue'"),
        ("span-sources", "layer:state", "layers: state treasury"),
    ],
)
def test_bad_input(scenario: str, output: str, fragment: str) -> None:
    with pytest.raises(pm.ScenarioError, match=fragment):
        pm.tornado(pm.builtin(scenario), output)


# -- the command line -------------------------------------------------------------------------


def test_cli_json_equals_the_python_api() -> None:
    data = ok_json("sensitivity", "span-sources", "--output", REVENUE)
    assert data == pm.tornado(SPAN, REVENUE).to_dict()
    data = ok_json("sensitivity", "span-sources", "--output", REVENUE, "--method", "tornado")
    assert data["inputs"][0]["path"] == "pay.gross_monthly_usd"


def test_cli_text() -> None:
    assert ok("sensitivity", "span-sources", "--output", REVENUE) == (
        pm.tornado(SPAN, REVENUE).to_text() + "\n"
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["span-sources"], "the following arguments are required: --output"),
        (["span-sources", "--output", "nope"], "no output or layer named 'nope'"),
        (["nis-estimate", "--output", REVENUE], "has no uncertain inputs"),
        (["span-sources", "--output", REVENUE, "--method", "morris"], "invalid choice: 'morris'"),
        (
            ["span-sources", "--output", REVENUE, "--samples", "100"],
            "--samples applies only to --method sobol",
        ),
        (
            ["span-sources", "--output", REVENUE, "--seed", "1", "--bootstrap", "200"],
            "--seed, --bootstrap apply only to --method sobol",
        ),
        (["no-such-scenario", "--output", REVENUE], "no-such-scenario"),
    ],
)
def test_cli_bad_input(argv: list[str], fragment: str) -> None:
    assert fragment in bad("sensitivity", *argv)


def test_a_tornado_is_cut_at_through_like_every_total() -> None:
    # DESIGN §6's worked example with the reinforcements' headcount uncertain: they start in
    # 2025-01, so up to the end of 2024-12 nothing they do can move the regime's revenue,
    # while over the whole deployment their troops move it. At the median 2,000
    # reinforcements, regime revenue to 2024-12 is the first wave's alone:
    # 1,800 × 27,100 = $48,780,000.
    scenario = _waves()
    whole = pm.tornado(scenario, "regime_revenue_usd")
    cut = pm.tornado(scenario, "regime_revenue_usd", through="2024-12")
    assert whole.rows[0].swing > 0
    assert cut.rows[0].swing == 0.0
    assert cut.baseline == pytest.approx(48_780_000, rel=1e-12)
    assert pm.sensitivity(scenario, "regime_revenue_usd", through="2024-12") == cut


def _waves() -> pm.Scenario:
    document = copy.deepcopy(WAVES)
    document["contingents"][2]["troops"] = {"kind": "uniform", "low": 1000, "high": 3000}
    return pm.Scenario.model_validate(document)
