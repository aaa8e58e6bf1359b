"""How numbers read: whole people, one money style per table, in every text output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import paymodel as pm
from helpers import ok, ok_json
from paymodel.display import (
    OUTPUT_KINDS,
    input_values,
    money,
    money_values,
    needs_cents,
    output_cents,
    output_kind,
    output_value,
    output_values,
    people,
    table,
    text_width,
    whole,
)
from paymodel.kernel import OUTPUT_NAMES
from paymodel.shape import describe, describe_briefly, shape_of


def test_every_output_has_a_kind() -> None:
    """One table owns the form of every output; a new output must be added to it."""
    assert set(OUTPUT_NAMES) <= set(OUTPUT_KINDS)
    assert {name for name in OUTPUT_NAMES if OUTPUT_KINDS[name] == "people"} == {
        "deaths",
        "individuals_deployed",
    }
    assert OUTPUT_KINDS["soldier_months"] == "months"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1996.5, 1997.0),  # half away from zero, not Python's round-half-even (1,996)
        (181.5, 182.0),
        (2.5, 3.0),
        (12996.49, 12996.0),
        (-0.5, -1.0),
        (0.0, 0.0),
    ],
)
def test_people_round_half_away_from_zero(value: float, expected: float) -> None:
    assert whole(value) == expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("deaths", 1996.5, "1,997"),
        ("individuals_deployed", 12996.5, "12,997"),
        ("deaths", 0.3, "0"),
        ("soldier_months", 121000.0, "121,000"),
        ("soldier_months", 120523.46, "120,523.5"),  # a measure: fractions of months count
        ("diverted_share", 0.9, "90.0 %"),
        ("domestic_wage_multiple", 193.65, "193.65×"),
        ("take_home_monthly_usd", 193.65, "$193.65"),
        ("layer:state", 5e6, "$5,000,000"),
        ("deployment_troops", 12345.5, "12,346"),  # an input path counting people
        ("deployment_monthly_death_rate", 0.0165, "0.0165"),  # a rate keeps its digits
        ("deployment_tour_months", 6.3, "6.3"),
    ],
)
def test_output_value_by_kind(name: str, value: float, expected: str) -> None:
    assert output_value(name, value) == expected


def test_output_kind_falls_back_on_the_name() -> None:
    assert output_kind("layer:state treasury") == "money"
    assert output_kind("contingents_first wave_troops") == "people"
    assert output_kind("pay_in_kind_share") == "share"
    assert output_kind("deployment_months") == "number"


def test_one_money_style_per_group() -> None:
    # $193.65 has cents and is below $1,000: every amount of its group shows cents.
    assert money_values([200, 193.65, 0, 1020]) == ["$200.00", "$193.65", "$0.00", "$1,020.00"]
    # No amount below $1,000 has cents: whole dollars for all ($1,743.27 too).
    assert money_values([18, 342, 1743.27]) == ["$18", "$342", "$1,743"]
    # Millions stay compact whatever the group needs.
    assert money_values([237.6e6, 193.65], compact=True) == ["$237.6 M", "$193.65"]
    assert needs_cents([0.004]) is False  # under half a cent rounds to $0
    assert money(-0.001, cents=True) == "$0.00"  # no "-$0.00"
    assert output_values("deaths", [1996.5, 181.5]) == ["1,997", "182"]
    assert people(11181.5) == "11,182"


def test_compare_shows_whole_deaths_and_one_style_per_column() -> None:
    text = pm.compare().to_text().split("\n\n")[0]  # the point estimates' table
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    # casualty-aware: 0.0165 × 11,000 × 11 = 1,996.5 deaths, shown as 1,997.
    assert lines["casualty-aware"].split()[-1] == "1,997"
    # span-sources takes home $193.65, so every take-home/month cell shows cents.
    assert lines["span-sources"].split()[1] == "$193.65"
    assert lines["independent-90"].split()[1] == "$200.00"
    assert lines["worker-quota"].split()[1] == "$1,020.00"
    # Per tour: deployment-as-reported's $959.28 has cents, so the column shows them all
    # (span-sources' $1,742.84 with it).
    assert lines["span-sources"].split()[2] == "$1,742.84"


def _dollars(cell: str) -> list[str]:
    """The amounts below a million in a cell (millions read "$237.6 M" in every style)."""
    found = re.findall(r"\$[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?: M| bn)?", cell)
    return [amount for amount in found if not amount.endswith(("M", "bn"))]


def test_compare_simulated_table_has_one_money_style_per_column() -> None:
    """The simulated cells once mixed styles: `$200` above `$13.04 [$1.30–$35.38]`, and
    `$1,051 [$681.59–$1,667]` in one cell. Each column now takes the style of all the
    dollars shown for its output (point estimates and simulated values alike)."""
    comparison = pm.compare()
    text = comparison.to_text().split("\n\n")[1]
    rows = [line for line in text.splitlines()[3:] if not line.startswith("  ")]
    assert len(rows) == 5  # the scenarios with distributions
    for name in ("take_home_monthly_usd", "take_home_per_tour_usd"):
        assert comparison.cents(name)  # $193.65 and $959.28 are point estimates with cents
    for row in rows:
        for amount in _dollars(row):
            assert re.fullmatch(r"\$[0-9,]+\.[0-9]{2}", amount), (row, amount)
    span = next(row for row in rows if row.startswith("span-sources"))
    assert "at $0.00, else $" in span  # the point mass in the column's style too
    independent = next(row for row in rows if row.startswith("independent-90"))
    assert independent.split()[1] == "$200.00"  # no spread: the median alone, with cents


def test_output_cents_and_shape_words_take_a_groups_style() -> None:
    assert output_cents("take_home_monthly_usd", [200, 12.5]) is True
    assert output_cents("take_home_monthly_usd", [200, 1250.5]) is False  # cents only < $1,000
    assert output_cents("deaths", [1996.5]) is False
    assert input_values("pay.gross_monthly_usd", [812.5, 990]) == ["$812.50", "$990.00"]
    assert input_values("pay.gross_monthly_usd", [1500, 2500]) == ["$1,500", "$2,500"]
    # Half the draws at $0, the rest $100…$300 by $50: p5 and p95 of the rest are $110 and
    # $290 (linear interpolation), whole, so the description is whole unless told.
    shape = shape_of([0.0] * 5 + [100.0, 150.0, 200.0, 250.0, 300.0])
    assert describe_briefly("take_home_monthly_usd", shape) == "50.0 % at $0, else $110–$290"
    assert (
        describe_briefly("take_home_monthly_usd", shape, cents=True)
        == "50.0 % at $0.00, else $110.00–$290.00"
    )
    # A range whose ends differ in style alone ($681.59 has cents, $1,667.17 is above
    # $1,000) shows both with cents.
    mixed = shape_of([0.0] * 5 + [681.59, 900.0, 1200.0, 1500.0, 1667.17] * 3)
    words = describe("take_home_per_tour_usd", mixed)
    assert re.search(r"otherwise mostly \$[0-9,]+\.[0-9]{2}–\$1,[0-9]{3}\.[0-9]{2}$", words)


def test_run_and_explain_show_whole_people_json_keeps_them_exact() -> None:
    out = ok("run", "casualty-aware")
    assert re.search(r"^  deaths +1,997$", out, re.M)
    assert re.search(r"^  individuals_deployed +12,997$", out, re.M)
    assert "1,996.5" not in out
    assert ok_json("run", "casualty-aware")["outputs"]["deaths"] == pytest.approx(1996.5)
    out = ok("explain", "casualty-aware")
    # D = 0.0165 × 11,000 × 11 = 1,996.5: "≈" as the shown count is rounded.
    assert "deaths: D = k·H·M = 0.0165 × 11,000 × 11 ≈ 1,997" in out
    assert "+ 1,997 ≈ 12,997" in out
    assert "people: shown whole; the sums use the exact deaths 1,996.5, individuals 12,996.5" in out
    out = ok("explain", "nis-estimate")
    assert "deaths: D = k·H·M = 0 × 11,000 × 12 = 0" in out  # exact: "=" and no note
    assert "people:" not in out


def test_timeline_shows_whole_people_and_says_the_rows_are_rounded() -> None:
    text = pm.timeline(pm.builtin("casualty-aware")).to_text()
    rows = text.splitlines()
    # 181.5 deaths a month (0.0165 × 11,000) → 182; the first month 11,000 + 181.5 arrive.
    assert rows[3].split()[:4] == ["1", "11,000", "182", "11,182"]
    total = next(r for r in rows if r.startswith("total"))
    assert total.split()[1:3] == ["1,997", "12,997"]  # 11 × 181.5 = 1,996.5
    assert "may not sum" in rows[-1]
    assert "may not sum" not in pm.timeline(pm.builtin("nis-estimate")).to_text()


def test_simulate_and_sweep_tables_show_whole_people() -> None:
    sim = pm.simulate(pm.builtin("casualty-aware"), 100, seed=1)
    row = next(r for r in sim.to_text().splitlines() if r.startswith("deaths"))
    assert row.split()[1:] == ["1,997"] * 4  # no uncertain input moves deaths
    sweep = pm.sweep(
        pm.builtin("casualty-aware"), {"deployment.monthly_death_rate": [0.01, 0.0165]}
    )
    text = sweep.to_text(["deaths"])
    # 0.01 × 11,000 × 11 = 1,210 and 0.0165 × 11,000 × 11 = 1,996.5 → 1,997.
    assert text.splitlines()[-2].split() == ["0.01", "1,210"]
    assert text.splitlines()[-1].split() == ["0.0165", "1,997"]


def test_sweep_matrix_uses_one_money_style_per_output() -> None:
    # $2,000 × (1 − 0.9) = $200 and $2,000 × (1 − 0.95) = $100; $1,937.30 × 0.1 = $193.73.
    sweep = pm.sweep(
        pm.builtin("independent-90"),
        {"diversion.0.share": [0.9, 0.95], "pay.gross_monthly_usd": [1937.3, 2000]},
    )
    lines = sweep.to_text(["take_home_monthly_usd"]).splitlines()
    assert lines[-2].split()[1:] == ["$193.73", "$200.00"]
    assert lines[-1].split()[1:] == ["$96.87", "$100.00"]  # 1,937.3 × 0.05 = 96.865


def test_tornado_uses_one_money_style_for_its_outputs() -> None:
    result = pm.tornado(pm.builtin("span-sources"), "take_home_monthly_usd")
    text = result.to_text()
    assert "at the medians $193.65" in text
    row = next(r for r in text.splitlines() if r.startswith("pay.gross_monthly_usd"))
    # $1,500 × 0.1 = $150 and $2,500 × 0.1 = $250 beside $193.65: cents for all.
    assert row.split()[3:] == ["$150.00", "$250.00", "$100.00"]


def test_tables_pad_by_the_columns_a_terminal_gives_each_character() -> None:
    # Hangul takes two columns a character: "노동당" is 6 columns wide, as "party!" is;
    # a combining acute adds none ("é" written as e + U+0301 is one column).
    rows = [["노동당", "$1"], ["party!", "$2"], ["e\u0301", "$3"]]
    text = table(["layer", "take"], rows, [False, True])
    assert text.splitlines() == [
        "layer   take",
        "------  ----",
        "노동당    $1",
        "party!    $2",
        "e\u0301" + " " * 5 + "  " + "  $3",  # 1 column padded to 6, the gap, "$3" to 4
    ]


def test_run_aligns_wide_and_escaped_layer_names(tmp_path: Path) -> None:
    # "layer '국가'" is 10 characters but 12 columns; "layer 'st\u202eate'" is escaped to
    # 19 characters; every amount must start in the same terminal column.
    path = tmp_path / "names.toml"
    path.write_text(
        'name = "names"\ntitle = "t"\n[pay]\ngross_monthly_usd = 2000\n'
        '[[diversion]]\nname = "국가"\nshare = 0.5\n'
        '[[diversion]]\nname = "st\\u202eate"\nshare = 0.5\n'
        "[deployment]\ntroops = 10\nmonths = 1\n"
    )
    lines = ok("run", str(path)).splitlines()[1:]
    columns = {text_width(line[: line.index("$")]) if "$" in line else None for line in lines}
    columns.discard(None)
    assert len(columns) == 1, lines
    assert any("'st\\u202eate'" in line for line in lines)  # shown escaped, never raw
