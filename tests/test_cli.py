"""The command line, in process: every command, its JSON shapes, and its errors.

``paymodel.cli.main(argv, stdout=..., stderr=...)`` returns the exit status: 0 on success,
2 for bad input (one line on stderr), 1 for anything else; ``--debug`` re-raises.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import paymodel as pm
import paymodel.cli
from helpers import WORKED_EXAMPLE_OUTPUTS, bad, ok, ok_json, run
from paymodel.cli import main
from paymodel.files import TEMPLATE, write_atomic

WORKED_EXAMPLE = """\
# DESIGN §1's worked example.
name = "worked-example"

[pay]
gross_monthly_usd = 2000

[[diversion]]
name = "state treasury"
share = 0.9

[deployment]
troops = 11000
months = 12
"""


@pytest.fixture
def worked_example(tmp_path: Path) -> Path:
    path = tmp_path / "worked-example.toml"
    path.write_text(WORKED_EXAMPLE, encoding="utf-8")
    return path


# -- compare --------------------------------------------------------------------------------


def test_compare_lists_every_builtin_with_its_claims() -> None:
    text = ok("compare")
    for name in pm.builtin_names():
        scenario = pm.builtin(name)
        assert f"{name}: {scenario.title}" in text
        for claim_id in scenario.sources:
            assert claim_id in text
    rows = [line.split()[0] for line in text.splitlines()[2:] if line.strip()]
    assert rows[: len(pm.builtin_names())] == list(pm.builtin_names())


def test_compare_json_shape() -> None:
    data = ok_json("compare")
    assert set(data) == {"samples", "seed", "scenarios"}
    assert (data["samples"], data["seed"]) == (10_000, 1)
    assert [row["scenario"] for row in data["scenarios"]] == list(pm.builtin_names())
    for row in data["scenarios"]:
        assert set(row) == {
            "scenario",
            "title",
            "sources",
            "outputs",
            "intervals",
            "notes",
            "layers",
        }
        assert list(row["intervals"]) == list(pm.OUTPUT_NAMES)
        for name, interval in row["intervals"].items():
            assert set(interval) == {"p5", "p50", "p95"}
            assert interval["p5"] <= interval["p50"] <= interval["p95"], name
        if not pm.builtin(row["scenario"]).uncertain_inputs():
            assert all(
                row["intervals"][name] == {"p5": value, "p50": value, "p95": value}
                for name, value in row["outputs"].items()
            )
        scenario = pm.builtin(row["scenario"])
        assert row["title"] == scenario.title
        assert [s["id"] for s in row["sources"]] == list(scenario.sources)
        assert all(s["status"] in {"reported", "unverified", "conflicting"} for s in row["sources"])
        assert list(row["outputs"]) == list(pm.OUTPUT_NAMES)
        assert all(isinstance(v, float) for v in row["outputs"].values())
        for entry in row["layers"]:
            assert set(entry) == {"name", "revenue_usd"}
        assert [entry["name"] for entry in row["layers"]] == list(scenario.layer_names())


def test_compare_span_sources_headline_in_words_and_intervals() -> None:
    data = ok_json("compare", "span-sources", "--samples", "2000", "--seed", "7")
    (row,) = data["scenarios"]
    # Half the draws keep 90 % (take-home 0.1·pay, pay $1,500–2,500 at p5–p95) and half
    # all of it ($0): the 5th percentile is $0, the point estimate stays 0.1 · $1,936.5.
    assert row["intervals"]["take_home_monthly_usd"]["p5"] == 0.0
    assert 150 < row["intervals"]["take_home_monthly_usd"]["p95"] < 300
    assert row["outputs"]["take_home_monthly_usd"] == pytest.approx(193.65, abs=0.01)
    assert row["notes"]["take_home_monthly_usd"].startswith("in ")
    assert (
        "% of draws the soldier keeps nothing; otherwise mostly $"
        in row["notes"]["take_home_monthly_usd"]
    )
    assert "regime_revenue_per_year_usd" not in row["notes"]  # a plain spread
    assert ok_json("compare", "span-sources", "--samples", "2000", "--seed", "7") == data
    text = ok("compare", "span-sources", "--samples", "2000", "--seed", "7")
    assert "Simulated (2,000 draws per scenario with distributions, seed 7)" in text
    assert "span-sources, take-home/month: in " in text
    assert "% at $0, else $" in text


def test_compare_without_samples_gives_point_estimates_only() -> None:
    data = ok_json("compare", "span-sources", "--samples", "0")
    (row,) = data["scenarios"]
    assert row["notes"] == {}
    assert row["intervals"]["diverted_share"] == {"p5": 0.9, "p50": 0.9, "p95": 0.9}
    assert "Simulated" not in ok("compare", "span-sources", "--samples", "0")


def test_compare_on_two_workers_gives_the_same_table() -> None:
    # 300,000 samples are two tasks of 262,144 (simulate's chunk): each worker draws one.
    argv = ["compare", "span-sources", "in-kind-credit", "--samples", "300000", "--seed", "4"]
    one = ok_json(*argv, "--json")
    assert one == ok_json(*argv, "--json", "--workers", "2")
    assert ok(*argv, "--workers", "2") == ok(*argv)
    # The simulation really ran: span-sources keeps 90 % or all of the pay, so its diverted
    # share's 5th percentile is 90 % and its 95th 100 % (the point estimate is 90 % three times).
    diverted = one["scenarios"][0]["intervals"]["diverted_share"]
    assert (diverted["p5"], diverted["p95"]) == (pytest.approx(0.9), pytest.approx(1.0))


def test_compare_says_when_a_scenario_cites_no_claim(tmp_path: Path) -> None:
    path = tmp_path / "bare.toml"
    path.write_text(
        'name = "bare"\ntitle = "No claims"\n[pay]\ngross_monthly_usd = 2000\n'
        '[[diversion]]\nname = "state"\nshare = 0.9\n[deployment]\ntroops = 10\nmonths = 1\n'
    )
    lines = ok("compare", str(path), "nis-estimate", "--samples", "0").splitlines()
    at = lines.index("bare: No claims")
    assert lines[at + 1] == "    claims: none cited"  # was "    claims: " with nothing after
    assert lines[at + 3].startswith("    claims: PAY-")  # nis-estimate's claims, unchanged


def test_compare_labels_the_regime_total_with_its_months() -> None:
    # casualty-aware runs 11 months: $271.7 M in total is $296.4 M a year (271.7 · 12 / 11).
    text = ok("compare", "casualty-aware", "independent-90")
    row = next(line for line in text.splitlines() if line.startswith("casualty-aware"))
    assert "$296.4 M" in row
    assert "$271.7 M" in row
    assert "11 mo" in row
    assert "12 mo" in next(line for line in text.splitlines() if line.startswith("independent-90"))


def test_run_says_it_is_a_point_estimate_when_inputs_are_uncertain() -> None:
    text = ok("run", "span-sources")
    assert text.rstrip().splitlines()[-1].startswith("Point estimate: every uncertain input")
    assert "paymodel compare span-sources" in text
    assert "paymodel simulate span-sources" in text
    assert "Point estimate: every" not in ok("run", "nis-estimate")  # plain numbers only
    assert set(ok_json("run", "span-sources")) == {"scenario", "outputs", "layers"}


def test_compare_named_scenarios_in_the_order_given() -> None:
    data = ok_json("compare", "nis-estimate", "independent-90")
    assert [row["scenario"] for row in data["scenarios"]] == ["nis-estimate", "independent-90"]
    text = ok("compare", "nis-estimate", "independent-90")
    assert "nis-estimate: " in text
    assert "independent-90: " in text
    assert "rotation-100k: " not in text


def test_compare_a_file_with_a_builtin(worked_example: Path) -> None:
    data = ok_json("compare", str(worked_example), "nis-estimate")
    assert [row["scenario"] for row in data["scenarios"]] == ["worked-example", "nis-estimate"]
    assert data["scenarios"][0]["outputs"]["take_home_monthly_usd"] == 200.0


def test_compare_every_builtin_in_a_currency() -> None:
    # Without names, --currency applies to every built-in (it was ignored): nis-estimate's
    # $264,000,000 a year (2,000 × 11,000 × 12) is 264e6 × 1,000 = 264e9 won.
    data = ok_json("compare", "--currency", "KRW=1000", "--samples", "0")
    assert [row["scenario"] for row in data["scenarios"]] == list(pm.builtin_names())
    nis = next(row for row in data["scenarios"] if row["scenario"] == "nis-estimate")
    assert nis["outputs"]["regime_revenue_per_year_krw"] == 264e9
    assert "regime/year in KRW" in ok("compare", "--currency", "KRW=1000", "--samples", "0")
    line = bad("compare", "--currency", "KRW")  # a bad value is refused, not ignored
    assert line.startswith("paymodel: error: --currency 'KRW': give CODE=RATE")


def test_compare_through_a_calendar_month_names_the_scenario_without_one() -> None:
    # Of the built-ins only deployment-as-reported has a calendar (from 2024-10): the line
    # names the first that has none rather than "the scenario" among ten.
    line = bad("compare", "--through", "2025-03")
    assert line.startswith(
        "paymodel: error: compare: argument --through: independent-90: '2025-03' is a "
        "calendar month, but the scenario has no start"
    )
    # 2024-10 … 2025-03 is six months of deployment-as-reported (the "over" column).
    text = ok("compare", "deployment-as-reported", "--through", "2025-03", "--samples", "0")
    assert " 6 mo " in text.splitlines()[2]


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("0", "must be a calendar month written YYYY-MM (such as 2025-03) or a whole month"),
        ("abc", "must be a calendar month written YYYY-MM"),
        ("99999999", "must be a calendar month written YYYY-MM"),
    ],
)
@pytest.mark.parametrize("command", ["compare", "report"])
def test_a_malformed_through_names_no_scenario(
    command: str, value: str, rule: str, tmp_path: Path
) -> None:
    # No month for any of the ten built-ins: naming independent-90 (the first) would say that
    # scenario is at fault. (A calendar month is checked against each scenario: one without
    # a start is told so, test_calendar_and_setting_arguments.)
    target = tmp_path / "never-written.html"  # not in the folder the suite runs from
    extra = ["--out", str(target)] if command == "report" else []
    line = bad(command, "--through", value, *extra)
    assert line.startswith(f"paymodel: error: {command}: argument --through: {rule}"), line
    assert "independent-90" not in line
    assert not target.exists()


def test_compare_an_unknown_scenario() -> None:
    line = bad("compare", "nis-estimate", "nope")
    assert "'nope' is neither a built-in scenario nor an existing file" in line


# -- run ------------------------------------------------------------------------------------


def test_run_builtin_text() -> None:
    text = ok("run", "independent-90")
    assert text.startswith("independent-90: point estimate\n")
    for name in pm.OUTPUT_NAMES:
        assert name in text
    assert "layer 'state treasury'" in text


def test_run_json_shape() -> None:
    data = ok_json("run", "in-kind-credit")
    assert list(data) == ["scenario", "outputs", "layers"]
    assert data["scenario"] == "in-kind-credit"
    assert list(data["outputs"]) == list(pm.OUTPUT_NAMES)
    assert len(data["outputs"]) == 13  # DESIGN §1 with take_home_per_individual_usd (§6)
    assert all(isinstance(v, float) for v in data["outputs"].values())
    assert data["layers"][0]["name"] == "in kind"
    for entry in data["layers"]:
        assert list(entry) == ["name", "revenue_usd"]
        assert isinstance(entry["name"], str)
        assert isinstance(entry["revenue_usd"], float)


def test_run_json_equals_the_python_api() -> None:
    for name in pm.builtin_names():
        assert ok_json("run", name) == pm.compute(pm.builtin(name)).to_dict()


def test_run_the_worked_example_file(worked_example: Path) -> None:
    """DESIGN §1: g = 2000, one layer share 0.9, H = 11 000, M = 12 (exact in floats)."""
    data = ok_json("run", str(worked_example))
    assert data["scenario"] == "worked-example"
    assert data["outputs"] == WORKED_EXAMPLE_OUTPUTS  # worked by hand in tests/helpers.py
    assert data["layers"] == [{"name": "state treasury", "revenue_usd": 237_600_000}]
    text = ok("run", str(worked_example))
    assert text.startswith("worked-example: point estimate\n")


def test_run_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "worked.json"
    path.write_text(
        json.dumps(
            {
                "name": "worked-json",
                "pay": {"gross_monthly_usd": 2000},
                "diversion": [{"name": "state treasury", "share": 0.9}],
                "deployment": {"troops": 11000, "months": 12},
            }
        )
    )
    assert ok_json("run", str(path))["outputs"]["regime_revenue_usd"] == 237_600_000


# -- explain --------------------------------------------------------------------------------


def test_explain_text() -> None:
    text = ok("explain", "independent-90")
    for name in pm.OUTPUT_NAMES:
        assert name in text
    assert "conservation: paid = revenue + soldiers' take-home" in text
    assert "PAY-02" in text


def test_explain_json() -> None:
    data = ok_json("explain", "casualty-aware")
    assert data["scenario"] == "casualty-aware"
    assert {"inputs", "steps", "outputs"} <= set(data)
    assert list(data["outputs"]) == list(pm.OUTPUT_NAMES)
    steps = {step["name"] for step in data["steps"]}
    assert set(pm.OUTPUT_NAMES) <= steps
    assert "conservation" in steps
    paths = [entry["path"] for entry in data["inputs"]]
    assert paths == list(pm.builtin("casualty-aware").input_paths())


def test_explain_a_file(worked_example: Path) -> None:
    assert "worked-example" in ok("explain", str(worked_example))


# -- sources --------------------------------------------------------------------------------


def test_sources_lists_every_claim() -> None:
    text = ok("sources")
    ids = [line.split()[0] for line in text.splitlines() if not line.startswith(" ")]
    assert len(ids) == 156
    assert ids == [c.id for c in pm.claims()]


def test_sources_one_claim() -> None:
    text = ok("sources", "PAY-01")
    assert text.startswith("PAY-01  [")
    assert [line for line in text.splitlines() if not line.startswith(" ")] == [
        text.splitlines()[0]
    ]


def test_sources_shows_title_url_measure_and_an_undated_claim() -> None:
    text = ok("sources", "DEP-02", "OW-24")
    lines = text.splitlines()
    assert lines[0].endswith("(measure: troops)")
    assert (
        "    title: North Korea Sent 1,500 More Troops to Russia, South Korea's Spy Agency "
        "Tells Lawmakers"
    ) in lines
    assert (
        "    url: https://www.themoscowtimes.com/2024/10/23/north-korea-sent-1500-more-troops-to-"
        "russia-south-koreas-spy-agency-tells-lawmakers-a86785"
    ) in lines
    # OW-24 has neither title nor url, and no date: it says so instead of printing None.
    ow24 = text[text.index("OW-24") :]
    assert "title:" not in ow24
    assert "url:" not in ow24
    assert "; undated (selection phase (report date not established))" in ow24
    assert "None" not in text


def test_sources_unknown_id() -> None:
    line = bad("sources", "PAY-01", "PAY-99")
    assert "sources: unknown claim id 'PAY-99'" in line


def test_sources_json() -> None:
    data = ok_json("sources")
    assert isinstance(data, list)
    assert len(data) == 156
    for row in data:
        assert {"id", "status", "quantity", "value_low", "value_high", "unit", "date"} <= set(row)
        assert {"title", "url", "measure"} <= set(row)
        assert row["status"] in {"reported", "unverified", "conflicting"}
    by_id = {row["id"]: row for row in data}
    assert by_id["PAY-02"]["date"] == "2024-10-30"
    assert by_id["PAY-23"]["date"] is None
    assert by_id["CAS-22"]["measure"] == "killed"
    assert by_id["DEP-02"]["url"].startswith("https://www.themoscowtimes.com/")
    only = ok_json("sources", "PAY-01", "DEP-11")
    assert [row["id"] for row in only] == ["PAY-01", "DEP-11"]


# -- schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize("flags", [(), ("--json",)])
def test_schema(flags: tuple[str, ...]) -> None:
    schema = json.loads(ok("schema", *flags))
    assert {"pay", "diversion", "deployment"} <= set(schema["properties"])
    assert schema == pm.scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# -- init -----------------------------------------------------------------------------------


def test_init_writes_a_file_run_accepts(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    out = ok("init", str(target))
    assert str(target) in out
    assert target.read_text(encoding="utf-8") == TEMPLATE
    assert ok_json("run", str(target))["scenario"] == "my-scenario"
    assert not [p for p in tmp_path.iterdir() if p != target]  # no temporary file left


def test_init_json_says_what_it_wrote(tmp_path: Path) -> None:
    target = tmp_path / "waves.toml"
    document = ok_json("init", str(target), "--template", "contingents")
    assert document == {"path": str(target), "template": "contingents"}
    assert pm.load(target).contingents  # the contingents template, written and loadable


def test_report_json_gives_the_file_and_the_seed_that_repeats_it(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "notes.md"
    argv = ("report", "nis-estimate", "span-sources", "--samples", "2000", "--out", str(target))
    document = ok_json(*argv)
    seed = document.pop("seed")  # drawn, as no --seed was given
    assert isinstance(seed, int)
    assert seed >= 0
    assert document == {
        "path": str(target),
        "format": "md",
        "charts": str(tmp_path / "notes_files"),
        "scenarios": ["nis-estimate", "span-sources"],
        "samples": 2000,
    }
    first = target.read_bytes()
    # The seed printed repeats the report byte for byte (written again over its own file).
    assert ok_json(*argv, "--seed", str(seed))["seed"] == seed
    assert target.read_bytes() == first
    assert f"seed {seed}".encode() in first


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("precious\n")
    line = bad("init", str(target))
    assert "exists; add --force to overwrite it" in line
    assert target.read_text() == "precious\n"


def test_init_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("precious\n")
    ok("init", str(target), "--force")
    assert target.read_text(encoding="utf-8") == TEMPLATE


def test_init_force_replaces_a_link_not_what_it_points_to(tmp_path: Path) -> None:
    precious = tmp_path / "precious.toml"
    precious.write_text("precious\n")
    link = tmp_path / "mine.toml"
    link.symlink_to("precious.toml")
    assert "mine.toml exists (a symbolic link); add --force to overwrite it" in bad(
        "init", str(link)
    )
    assert link.is_symlink()
    ok("init", str(link), "--force")
    assert not link.is_symlink()  # the link is replaced by the new file, not written through
    assert link.read_text(encoding="utf-8") == TEMPLATE
    assert precious.read_text() == "precious\n"


def test_init_into_a_missing_directory(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "mine.toml"
    line = bad("init", str(target))
    assert "does not exist" in line
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("force", [(), ("--force",)])
def test_init_onto_a_directory(tmp_path: Path, force: tuple[str, ...]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert "is a directory" in bad("init", str(folder), *force)
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_init_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: Any, target: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "mine.toml"
    line = bad("init", str(target))
    assert f"cannot write {target} (Permission denied)" in line
    assert list(tmp_path.iterdir()) == []


# -- errors, --debug, --help ----------------------------------------------------------------


def test_debug_reraises() -> None:
    with pytest.raises(pm.UnknownScenarioError):
        run("--debug", "run", "nope")


def test_debug_after_the_command_reraises() -> None:
    with pytest.raises(pm.UnknownScenarioError):
        run("run", "nope", "--debug")


def test_debug_shows_a_bad_file_as_the_error_it_is(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[pay]\ngross_monthly_usd = -1\n')
    with pytest.raises(pm.ScenarioError):
        run("--debug", "run", str(path))


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ((), "the following arguments are required: COMMAND"),
        (("bogus",), "invalid choice: 'bogus'"),
        (("run",), "run: the following arguments are required: SCENARIO"),
        (("explain",), "the following arguments are required: SCENARIO"),
        (("init",), "the following arguments are required: FILE"),
        (("run", "nis-estimate", "extra"), "unrecognized arguments: extra"),
        (("run", "nis-estimate", "--jsn"), "unrecognized arguments: --jsn"),
        (("--nope", "sources"), "unrecognized arguments: --nope"),
    ],
)
def test_usage_errors_are_one_line(argv: tuple[str, ...], fragment: str) -> None:
    line = bad(*argv)
    assert fragment in line
    assert "--help" in line  # where to look next


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        # The Python API's checks name its parameters (through, samples, output, target);
        # on the command line the line names the flag, as argparse's own checks do.
        (
            ("run", "nis-estimate", "--through", "2025-03"),
            "run: argument --through: '2025-03' is a calendar month, but the scenario has no "
            "start;",
        ),
        (
            ("sensitivity", "span-sources", "--output", "paid_usd", "--method", "sobol",
             "--samples", "1"),
            "sensitivity: argument --samples: must be between 2 and 4,194,304 (got 1)",
        ),
        (
            ("sensitivity", "span-sources", "--output", "paid"),
            "sensitivity: argument --output: no output or layer named 'paid'; did you mean",
        ),
        (
            ("sweep", "independent-90", "--set", "deployment.troops=1,2", "--output", "paid"),
            "sweep: argument --output: no output or layer named 'paid'; did you mean",
        ),
        (
            ("solve", "independent-90", "--vary", "deployment.troops", "--target", "paid=1"),
            "solve: argument --target: no output named 'paid'",
        ),
        (
            ("solve", "independent-90", "--vary", "pay.gross", "--target", "paid_usd=1"),
            "solve: argument --vary: pay.gross: not a numeric input of this scenario; did you "
            "mean 'pay.gross_monthly_usd'?",
        ),
        (
            ("sweep", "independent-90", "--set", "deployment.troop=1,2"),
            "sweep: argument --set: deployment.troop: not a numeric input of this scenario; "
            "did you mean 'deployment.troops'?",
        ),
        (
            ("report", "--out", "r.html", "--title", ""),  # refused before anything is written
            "report: argument --title: give the report a heading (got '')",
        ),
        (
            ("timeline", "span-sources", "--samples", "100001"),
            "timeline: argument --samples: must be between 0 and 100,000 for a timeline",
        ),
    ],
)  # fmt: skip
def test_errors_of_the_python_api_name_the_flag(
    argv: tuple[str, ...], line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # report's r.html, were it written, lands here
    assert bad(*argv).startswith(f"paymodel: error: {line}")
    assert not list(tmp_path.iterdir())  # refused before anything is written


def test_help_exits_0() -> None:
    status, out, err = run("--help")
    assert status == 0
    assert out.startswith("usage: paymodel")
    for command in ("compare", "run", "explain", "sources", "schema", "init"):
        assert command in out
    assert err == ""


def test_command_help_exits_0() -> None:
    status, out, _ = run("run", "--help")
    assert status == 0
    assert out.startswith("usage: paymodel run")


#: Options that take a value but have no default to state: required, or nothing when absent.
_NO_DEFAULT = {"--set", "--currency", "--above", "--below", "--vary", "--target", "--out"}


@pytest.mark.parametrize("command", list(paymodel.cli._COMMANDS))
def test_every_option_help_states_its_default(command: str) -> None:
    # `paymodel COMMAND --help` is where a user looks for a default; the flags below said
    # none (--chunk-size, --through, timeline's --seed and --method, report's --title).
    sub = next(
        action.choices[command]
        for action in paymodel.cli._build_parser(command)._actions
        if isinstance(action.choices, dict)
    )
    for action in sub._actions:
        flag = action.option_strings[-1] if action.option_strings else None
        if flag is None or action.nargs == 0 or action.required or flag in _NO_DEFAULT:
            continue
        assert "default" in (action.help or ""), f"paymodel {command} {flag}: no default"
    if command == "sensitivity":  # its sampling options are Sobol's alone, --workers too
        options = {flag: action.help for action in sub._actions for flag in action.option_strings}
        for flag in ("--samples", "--seed", "--bootstrap", "--confidence", "--workers"):
            assert (options[flag] or "").startswith("sobol: "), flag


def test_version() -> None:
    status, out, _ = run("--version")
    assert status == 0
    assert out == f"paymodel {pm.__version__}\n"


def test_an_internal_error_is_one_line_with_status_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(scenario: Any, **options: Any) -> Any:
        raise ZeroDivisionError("boom\nsecond line")

    # The CLI imports `compute` from its module when `run` runs (`paymodel.compute` on the
    # package is the function, so the module comes from import_module).
    monkeypatch.setattr(importlib.import_module("paymodel.compute"), "compute", broken)
    status, out, err = run("run", "nis-estimate")
    assert status == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "internal error: ZeroDivisionError: boom second line" in err
    assert "--debug" in err
    with pytest.raises(ZeroDivisionError):
        run("--debug", "run", "nis-estimate")


def test_a_closed_pipe_is_not_an_error() -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    assert main(["sources"], stdout=ClosedPipe(), stderr=err) == 0
    assert err.getvalue() == ""


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "paymodel", "compare", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["scenarios"]) == len(pm.builtin_names())


def test_console_script() -> None:
    script = Path(sys.executable).with_name("paymodel")
    assert script.is_file()
    done = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: paymodel")


def test_console_script_bad_input_is_one_line() -> None:
    script = Path(sys.executable).with_name("paymodel")
    done = subprocess.run(
        [str(script), "run", "nis-estimat"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert "did you mean 'nis-estimate'?" in done.stderr


# -- atomic writes --------------------------------------------------------------------------


def _fail_replace(source: Any, target: Any) -> None:
    raise OSError(28, "No space left on device")


def _fail_fsync(descriptor: int) -> None:
    raise OSError(5, "Input/output error")


def _interrupt_fsync(descriptor: int) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("patch", "text", "error"),
    [
        pytest.param(("replace", _fail_replace), "new\n" * 10_000, OSError, id="replace-fails"),
        pytest.param(("fsync", _fail_fsync), "new\n" * 10_000, OSError, id="fsync-fails"),
        pytest.param(
            ("fsync", _interrupt_fsync), "new\n" * 10_000, KeyboardInterrupt, id="interrupted"
        ),
        pytest.param(None, "new\n" * 10_000 + "\ud800", UnicodeEncodeError, id="unencodable"),
    ],
)
def test_write_atomic_failure_leaves_the_old_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    patch: tuple[str, Any] | None,
    text: str,
    error: type[BaseException],
) -> None:
    target = tmp_path / "scenario.toml"
    target.write_text("old\n")
    if patch is not None:
        monkeypatch.setattr(os, patch[0], patch[1])
    with pytest.raises(error):
        write_atomic(target, text)
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_write_atomic_failure_leaves_no_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _fail_replace)
    with pytest.raises(OSError, match="No space"):
        write_atomic(tmp_path / "new.toml", "text\n")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_onto_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(OSError):  # noqa: PT011 - IsADirectoryError or PermissionError by OS
        write_atomic(folder, "text\n")
    assert list(tmp_path.iterdir()) == [folder]
    assert list(folder.iterdir()) == []


def test_write_atomic_into_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "x.toml", "text\n")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "scenario.toml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomic(target, "new ₩\n")
    assert target.read_text(encoding="utf-8") == "new ₩\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert list(tmp_path.iterdir()) == [target]


def test_write_atomic_new_file_follows_the_umask(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "new.toml"
    write_atomic(target, "text\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_an_empty_scenario_name_is_unknown_not_the_current_directory() -> None:
    # Path("") means ".", which used to give ": is a directory, not a scenario file".
    assert "'' is neither a built-in scenario nor an existing file" in bad("run", "")
    with pytest.raises(pm.UnknownScenarioError):
        pm.load("")
