"""Scenario test files (*.check.toml): the shipped files reproduce the published figures,
``paymodel check`` reports a diff and exits 0 / 1 / 2, and the pytest plugin collects them.

Bad check files, one line each with exit status 2, are in tests/test_bad_input.py.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import paymodel as pm
from helpers import bad, ok, run
from paymodel.checks import (
    CHECK_SUFFIX,
    Expectation,
    check_files,
    load_checks,
    run_checks,
    shipped_checks,
)

PACKAGE = Path(pm.__file__).parent

# -- the shipped files ----------------------------------------------------------------------------

#: What each shipped case must reproduce: (file, case, output) → (the model's figure, worked
#: by hand, and the published figure with its claim). The model's figure is compared with ==
#: where the arithmetic is exact in floating point.
REPRODUCED = {
    # 10,000 × 2,000 × 12 = 240,000,000 (NIS: "well over $200 million"; 240 M the arithmetic)
    ("nis-revenue", "ten-thousand-troops", "regime_revenue_per_year_usd"): (240e6, "REV-01"),
    # 11,000 × 2,000 × 12 = 264,000,000 ≥ 200,000,000
    ("nis-revenue", "eleven-thousand-troops", "regime_revenue_per_year_usd"): (264e6, "REV-01"),
    # 11,000 × 2,000 = 22,000,000 a month (Business Insider)
    ("business-insider-pay-bill", "business-insider-11000", "paid_usd"): (22e6, "REV-02"),
    # 12,000 × 2,000 = 24,000,000 > 20,000,000 (Korea Town Daily)
    ("business-insider-pay-bill", "korea-town-daily-12000", "paid_usd"): (24e6, "REV-02"),
    # 10,000 × 2,000 × 12 = 240,000,000 (Sejong Institute)
    ("sejong-allowances", "ten-thousand-troops-ten-percent-kept", "paid_usd"): (240e6, "REV-07"),
    # 2,000 − 0.9 × 2,000 = 200 (workers keep 10 %)
    ("sejong-allowances", "ten-thousand-troops-ten-percent-kept", "take_home_monthly_usd"): (
        200.0,
        "PAY-12",
    ),
    # 10,000 × (2,500 × 12 + 2,000) = 320,000,000 (INSS, mercenaries)
    ("inss-mercenary", "mercenary-pay", "regime_revenue_per_year_usd"): (320e6, "REV-04"),
    # 320,000,000 + 8,500 × 10,000 × 12 = 1,340,000,000 (INSS, formal ally): the ally part
    # (134,000 − 32,000) / 12 = 8,500 a soldier-month as a state transfer, not as pay
    ("inss-mercenary", "formal-ally", "regime_revenue_per_year_usd"): (1.34e9, "REV-04"),
    # The same with the soldiers keeping 10 %: North Korea is paid 2,500 × 120,000 + 2,000 ×
    # 10,000 + 8,500 × 120,000 = 1,340,000,000; the soldiers keep 250 a month (checked in
    # the file), not a share of the transfer
    ("inss-mercenary", "formal-ally-ten-percent-kept", "paid_usd"): (1.34e9, "REV-04"),
    # INSS's REV-14: 4 % and 19.6 % of the model's 556,429,318.84 to December 2025 (the
    # inss-2026 reading) delivered, all as goods: 22,257,172.75 and 109,060,146.49
    ("inss-confirmed-receipts", "four-percent-confirmed", "paid_usd"): (
        0.04 * 556_429_318.8384719,
        "REV-14",
    ),
    ("inss-confirmed-receipts", "nineteen-point-six-percent-confirmed", "paid_usd"): (
        0.196 * 556_429_318.8384719,
        "REV-14",
    ),
    # 5,000 × (24,000 + 4,600) = 143,000,000; 20,000 × 28,600 = 572,000,000 (FNF)
    ("fnf-putins-partner", "five-thousand-troops", "regime_revenue_per_year_usd"): (
        143e6,
        "REV-05",
    ),
    ("fnf-putins-partner", "twenty-thousand-troops", "regime_revenue_per_year_usd"): (
        572e6,
        "REV-05",
    ),
    # 40,000 × 2,000 = 80,000,000 in a month (Kim Byung-yeon)
    ("snu-forty-thousand", "forty-thousand-for-a-month", "regime_revenue_usd"): (80e6, "REV-03"),
    # 2,000 − 0.9 × 2,000 = 200 a month; 200 × 6 = 1,200 and 200 × 12 = 2,400 a tour (The
    # Independent's range)
    ("independent-take-home", "six-month-tour", "take_home_monthly_usd"): (200.0, "PAY-02"),
    ("independent-take-home", "six-month-tour", "take_home_per_tour_usd"): (1200.0, "PAY-02"),
    ("independent-take-home", "twelve-month-tour", "take_home_per_tour_usd"): (2400.0, "PAY-02"),
    # 2,000 − 0.95 × 2,000 = 100 (AP's 95 %)
    ("independent-take-home", "ap-95-percent", "take_home_monthly_usd"): (100.0, "PAY-03"),
    # 15,000 × 12 / 2 = 90,000 individuals ("roughly 100,000")
    ("rotation-100k", "two-month-tours", "individuals_deployed"): (90_000.0, "DEP-09"),
    # 11,000 × 12 / 8.8 = 15,000 individuals; soldiers keep nothing
    ("rand-bennett-rotation", "rotation-to-fifteen-thousand", "individuals_deployed"): (
        15_000.0,
        "DEP-09",
    ),
    ("rand-bennett-rotation", "rotation-to-fifteen-thousand", "take_home_monthly_usd"): (
        0.0,
        "PAY-11",
    ),
    # 0.0165 × 11,000 × 11 = 1,996.5 deaths; 11,000 + 1,996.5 = 12,996.5 individuals
    ("casualties", "deaths-and-individuals", "deaths"): (1996.5, "CAS-15"),
    ("casualties", "deaths-and-individuals", "individuals_deployed"): (12_996.5, "DEP-16"),
    # 2,000 / 1.81 = 1,104.97 times a factory wage; 2,000 / 98 = 20.41 times income per head
    ("wage-multiple", "factory-wage", "domestic_wage_multiple"): (2000 / 1.81, "DOM-03"),
    ("wage-multiple", "rounded-to-1100", "domestic_wage_multiple"): (2000 / 1.81, "DOM-11"),
    ("wage-multiple", "income-per-head", "domestic_wage_multiple"): (2000 / 98, "DOM-11"),
    # Contingents (DESIGN §6). INSS to December 2025 (a reading of unpublished headcounts):
    # 201,247.03 soldier-months × 2,500 + 18,932.1 enlistments × 2,000 + 1,930.95 deaths ×
    # 8,000, the medians of deployment-as-reported; pinned as the model gives it.
    ("inss-2026", "october-2024-to-december-2025", "regime_revenue_usd"): (
        556_429_318.8384719,
        "REV-12",
    ),
    # 2026 at November 2025's strength: 16,000 × 2,500 × 12 = 480,000,000 (INSS: 560 M)
    ("inss-2026", "a-year-from-2026", "regime_revenue_per_year_usd"): (480e6, "REV-13"),
    # (12,000 × 2,800 + 1,500 × 3,000 + 1,200 × 3,500 + 300 × 5,000) × 12 = 525,600,000
    ("daily-nk-ranks", "pay-by-rank", "regime_revenue_per_year_usd"): (525.6e6, "REV-22"),
    # 38,682 × 850 × 12 + 61,318 × 150 × 12 = 504,928,800 (UN Panel: ~500 M)
    ("un-panel-workers", "russia-and-china", "regime_revenue_per_year_usd"): (
        504_928_800.0,
        "OW-01",
    ),
    # Estimates in won (DESIGN §7), each at the rate its own dollar and won figures imply.
    # Sejong: 10,000 × 2,000 × 12 = 240,000,000 $ × (334.8e9 / 240e6 = 1,395) = 334.8e9 won
    ("won-estimates", "sejong-334.8-bn-won", "paid_krw"): (334.8e9, "REV-07"),
    ("won-estimates", "sejong-334.8-bn-won", "paid_usd"): (240e6, "REV-07"),
    # Rep. Yu: 20,000 × (24,000 + 4,600) = 572,000,000 $ × (789.1e9 / 572e6) = 789.1e9 won
    ("won-estimates", "rep-yu-789.1-bn-won", "regime_revenue_per_year_krw"): (789.1e9, "REV-23"),
    ("won-estimates", "rep-yu-789.1-bn-won", "regime_revenue_per_year_usd"): (572e6, "REV-23"),
    # INSS to December 2025: the model's 556,429,318.84 $ (above) × 928.5e9 / 620e6 won/$
    ("won-estimates", "inss-928.5-bn-won-to-december-2025", "regime_revenue_krw"): (
        556_429_318.8384719 * 928.5e9 / 620e6,
        "REV-12",
    ),
    # INSS from 2026: 480,000,000 $ × 838.8e9 / 560e6 won/$ = 718,971,428,571.43 won
    ("won-estimates", "inss-838.8-bn-won-a-year-from-2026", "regime_revenue_per_year_krw"): (
        480e6 * 838.8e9 / 560e6,
        "REV-13",
    ),
    # KIDA: 14,000 × 2,000 × 12 = 336,000,000 $ gives 400e9 won only at 400e9 / 336e6 won/$
    ("won-estimates", "kida-400-bn-won-as-stated", "regime_revenue_per_year_krw"): (
        400e9,
        "REV-09",
    ),
    # KIDA at Sejong's 1,395 won/$: 11,950 × 24,000 × 1,395 = 400,086,000,000 won
    ("won-estimates", "kida-400-bn-won-at-sejongs-rate", "regime_revenue_per_year_krw"): (
        400_086_000_000.0,
        "REV-09",
    ),
}


@functools.cache
def _shipped_results() -> dict[tuple[str, str, str], tuple[float, str | None, bool]]:
    """(file stem, case, output) → (got, claim, passed), the shipped checks run once."""
    found = {}
    for result in run_checks().results:
        stem = Path(result.case.file).name.removesuffix(CHECK_SUFFIX)
        for outcome in result.outcomes:
            key = (stem, result.case.name, outcome.expectation.output)
            found[key] = (outcome.got, outcome.expectation.claim, outcome.passed)
    return found


def test_the_shipped_checks_pass() -> None:
    report = run_checks()
    assert report.passed, report.to_text()
    assert len(report.files) == 16
    assert len(report.results) == 33


@pytest.mark.parametrize(("key", "expected"), list(REPRODUCED.items()), ids=lambda x: str(x))
def test_each_published_figure_is_reproduced(
    key: tuple[str, str, str], expected: tuple[float, str]
) -> None:
    got, claim, passed = _shipped_results()[key]
    figure, claim_id = expected
    assert got == pytest.approx(figure, rel=1e-12)
    assert claim == claim_id
    assert passed


def test_every_claim_backed_figure_is_in_the_table() -> None:
    backed = {key for key, (_, claim, _) in _shipped_results().items() if claim is not None}
    assert backed == set(REPRODUCED)


@pytest.mark.parametrize("path", shipped_checks(), ids=lambda p: p.name)
def test_each_shipped_file_says_what_its_source_assumed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "What the source" in text  # "What the source assumed" / "What the sources assumed"
    cases = load_checks(path)
    for case in cases:
        assert case.description
        assert case.claims
        assert all(e.claim is None or e.claim in case.claims for e in case.expectations)
    # Every file reproduces published figures, each with its claim id (a case may add the
    # model's own arithmetic, such as the other end of a range).
    assert any(e.claim is not None for case in cases for e in case.expectations)


def test_the_shipped_files_are_package_data() -> None:
    files = shipped_checks()
    assert files
    for path in files:
        assert path.is_relative_to(PACKAGE / "data" / "checks")
        assert path.name.endswith(CHECK_SUFFIX)
    # The scenario file one of them uses lies next to them, and is not a check file.
    assert (PACKAGE / "data" / "checks" / "wage-multiple-scenario.toml").is_file()
    assert all(not p.name.endswith("scenario.toml") for p in files)


# -- the command line ---------------------------------------------------------------------------


def test_check_with_no_file_runs_the_shipped_checks() -> None:
    out = ok("check")
    assert out.endswith("33 cases in 16 files: 33 passed, 0 failed\n")
    assert out.count("PASS  ") == 33


def test_check_shows_short_file_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # From a folder outside the package: the shipped checks by their names, never a long
    # site-packages path; JSON keeps the paths as read.
    monkeypatch.chdir(tmp_path)
    lines = ok("check").splitlines()
    heads = [line for line in lines if line.startswith("PASS  ")]
    assert heads[0] == "PASS  business-insider-pay-bill.check.toml::business-insider-11000"
    assert all("/" not in head and os.sep not in head for head in heads)
    document = json.loads(ok("check", "--json"))
    assert Path(document["files"][0]).is_absolute()
    # A file of the user's: relative to the current folder when it lies inside, else as given.
    (tmp_path / "mine").mkdir()
    mine = tmp_path / "mine" / "right.check.toml"
    mine.write_text("[[case]]\n" + WRONG.split("[[case]]\n")[2], encoding="utf-8")
    assert ok("check", str(mine)).startswith(f"PASS  mine{os.sep}right.check.toml::right\n")
    monkeypatch.chdir(tmp_path / "mine")
    assert ok("check", "../mine/right.check.toml").startswith("PASS  right.check.toml::right\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert ok("check", str(mine)).startswith(f"PASS  {mine}::right\n")


def test_check_json_shape() -> None:
    document = json.loads(ok("check", "--json"))
    assert list(document) == ["files", "passed", "failed", "cases"]
    assert (document["passed"], document["failed"]) == (33, 0)
    first = document["cases"][0]
    assert list(first) == ["file", "name", "claims", "passed", "expected"]
    assert set(first["expected"][0]) >= {"output", "got", "passed", "claim", "note"}


WRONG = """\
[[case]]
name = "three-hundred-million"
description = "NIS pay for 11,000 troops: does the state earn $300 million a year?"
claims = ["PAY-01"]
scenario = "nis-estimate"

[case.expected]
regime_revenue_per_year_usd = { value = 300_000_000, relative_tolerance = 0.05 }
take_home_monthly_usd = 0

[[case]]
name = "right"
scenario = "nis-estimate"
expected = { regime_revenue_per_year_usd = { min = 200e6, max = 300e6 } }
"""


def test_a_mismatch_exits_1_with_a_diff(tmp_path: Path) -> None:
    path = tmp_path / "wrong.check.toml"
    path.write_text(WRONG, encoding="utf-8")
    status, out, err = run("check", str(path))
    assert (status, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == f"FAIL  {path}::three-hundred-million"
    # 11,000 × 2,000 × 12 = 264,000,000, 12 % below 300,000,000 (outside ± 5 %).
    assert lines[1] == "  - regime_revenue_per_year_usd: 300,000,000 ± 5 %  (expected)"
    assert lines[2] == "  + regime_revenue_per_year_usd: 264,000,000  (got; -12 %)"
    assert lines[3] == "    take_home_monthly_usd: 0  (as expected)"
    assert lines[4] == f"PASS  {path}::right"
    assert lines[-1] == "2 cases in 1 file: 1 passed, 1 failed"


def test_a_folder_is_searched_for_check_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.check.toml").write_text(WRONG.split("[[case]]")[0] + "[[case]]" +
                                                    WRONG.split("[[case]]")[2])  # fmt: skip
    (tmp_path / "scenario.toml").write_text("not a check file, and not valid TOML either [")
    (tmp_path / "check_b.toml").write_text("[")  # not *.check.toml: ignored
    out = ok("check", str(tmp_path))
    assert out.endswith("1 case in 1 file: 1 passed, 0 failed\n")
    assert check_files([tmp_path]) == [tmp_path / "sub" / "a.check.toml"]


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    a, b = tmp_path / "sub" / "a.check.toml", tmp_path / "b.check.toml"
    a.write_text(WRONG.split("[[case]]")[0] + "[[case]]" + WRONG.split("[[case]]")[2])
    b.write_text(a.read_text())
    (tmp_path / "link.check.toml").symlink_to(a)  # the same file by another name
    # b as given; then the folder's files in order (b, link, sub/a): b and a, met before
    # under other names, are left out.
    named = [b, b, tmp_path / "sub" / ".." / "b.check.toml", tmp_path]
    assert check_files(named) == [b, tmp_path / "link.check.toml"]
    out = ok("check", str(b), str(b), str(tmp_path))
    assert out.endswith("2 cases in 2 files: 2 passed, 0 failed\n")


def test_a_case_name_may_have_80_characters(tmp_path: Path) -> None:
    path = tmp_path / "long.check.toml"
    name = "c" * 80  # the most, as for a scenario's name; 81 is refused (test_bad_input)
    path.write_text(f'[[case]]\nname = "{name}"\nscenario = "nis-estimate"\n'
                    "expected = { deaths = 0 }\n")  # fmt: skip
    assert [case.name for case in load_checks(path)] == [name]


def test_one_file_or_folder_is_one_name_not_its_characters(tmp_path: Path) -> None:
    path = tmp_path / "wrong.check.toml"
    path.write_text(WRONG, encoding="utf-8")
    for name in (str(path), path, str(tmp_path)):
        assert check_files(name) == [path]
        assert run_checks(name).files == (str(path),)


def test_an_empty_folder_is_bad_input(tmp_path: Path) -> None:
    assert bad("check", str(tmp_path)) == (
        f"paymodel: error: {tmp_path}: no *.check.toml files in this folder"
    )


def test_a_bad_file_stops_everything_before_any_case_runs(tmp_path: Path) -> None:
    good = tmp_path / "good.check.toml"
    good.write_text(WRONG, encoding="utf-8")
    broken = tmp_path / "broken.check.toml"
    broken.write_text("[[case]]\nname = 'x'\n", encoding="utf-8")
    line = bad("check", str(good), str(broken))
    assert line == f"paymodel: error: {broken}: case 'x': scenario: required key is missing"


def test_a_scenario_path_is_relative_to_the_check_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "mine.toml").write_text(
        'name = "mine"\n[pay]\ngross_monthly_usd = 1000\n[deployment]\ntroops = 100\nmonths = 12\n',
        encoding="utf-8",
    )
    (folder / "mine.check.toml").write_text(
        '[[case]]\nname = "relative"\nscenario = "mine.toml"\n'
        # 100 × 1,000 × 12 = 1,200,000 paid; no layers, so the soldiers keep it all.
        "[case.expected]\npaid_usd = 1_200_000\nsoldiers_take_home_usd = 1_200_000\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # elsewhere: the path is taken from the check file's folder
    assert ok("check", "checks").endswith("1 passed, 0 failed\n")


def test_set_accepts_nested_tables_and_distributions(tmp_path: Path) -> None:
    path = tmp_path / "nested.check.toml"
    path.write_text(
        '[[case]]\nname = "nested"\nscenario = "nis-estimate"\n'
        "[case.set.deployment]\ntroops = 10000\n"
        '[case.set.pay]\ngross_monthly_usd = { kind = "uniform", low = 1000, high = 3000 }\n'
        # The median of uniform(1000, 3000) is 2,000: 10,000 × 2,000 × 12 = 240,000,000.
        "[case.expected]\nregime_revenue_per_year_usd = 240e6\n",
        encoding="utf-8",
    )
    (case,) = load_checks(path)
    assert case.scenario.deployment.troops == 10_000
    assert isinstance(case.scenario.pay.gross_monthly_usd, pm.Uniform)
    assert case.run().passed


# -- tolerances ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expectation", "inside", "outside"),
    [
        # |got − 100| ≤ max(0, 0.05 × 100) = 5
        (Expectation("paid_usd", 100.0, relative_tolerance=0.05), [95.0, 105.0], [94.9, 105.1]),
        # the absolute tolerance wins when it is larger: max(2, 1e-9 × 100) = 2
        (Expectation("paid_usd", 100.0, absolute_tolerance=2.0), [98.0, 102.0], [97.9]),
        # an expected 0 with the default tolerances: exactly 0
        (Expectation("paid_usd", 0.0), [0.0], [1e-300]),
        (Expectation("paid_usd", minimum=10.0), [10.0, 1e300], [9.99]),
        (Expectation("paid_usd", maximum=10.0), [-1.0, 10.0], [10.01]),
        (Expectation("paid_usd", minimum=1.0, maximum=2.0), [1.0, 2.0], [0.5, 2.5]),
    ],
)
def test_tolerances(expectation: Expectation, inside: list[float], outside: list[float]) -> None:
    assert all(expectation.holds(x) for x in inside)
    assert not any(expectation.holds(x) for x in outside)
    assert not expectation.holds(float("nan"))


def test_descriptions() -> None:
    assert Expectation("x", 240e6, relative_tolerance=0.005).describe() == "240,000,000 ± 0.5 %"
    assert Expectation("x", 5.0, absolute_tolerance=1.0).describe() == "5 ± 1"
    assert Expectation("x", 5.0, relative_tolerance=0).describe() == "5"
    assert Expectation("x", minimum=200e6).describe() == "at least 200,000,000"
    assert Expectation("x", maximum=3.0).describe() == "at most 3"
    assert Expectation("x", minimum=1.0, maximum=2.0).describe() == "between 1 and 2"


def test_case_tolerances_are_defaults_for_its_values(tmp_path: Path) -> None:
    path = tmp_path / "tolerant.check.toml"
    path.write_text(
        '[[case]]\nname = "tolerant"\nscenario = "nis-estimate"\nrelative_tolerance = 0.2\n'
        "[case.expected]\n"
        # 264,000,000 is 12 % above 235,000,000: inside the case's 20 %
        "regime_revenue_per_year_usd = 235e6\n"
        # …but this one sets its own 1 %
        "paid_usd = { value = 235e6, relative_tolerance = 0.01 }\n",
        encoding="utf-8",
    )
    (case,) = load_checks(path)
    outcomes = case.run().outcomes
    assert [o.passed for o in outcomes] == [True, False]


# -- the pytest plugin ---------------------------------------------------------------------------


def _pytest(folder: Path, *options: str, ci: bool = False) -> subprocess.CompletedProcess[str]:
    # The paymodel under test first on the path: run in ``folder``, a relative PYTHONPATH
    # (``src``) would miss it and the plugin of another installed copy would run instead.
    under_test = str(Path(pm.__file__).resolve().parents[1])
    path = os.pathsep.join([under_test, *filter(None, [os.environ.get("PYTHONPATH")])])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
        env={**_ci_or_not(ci), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": path},
    )


#: What changes the inner pytest's output: CI and BUILD_NUMBER repeat a failure's whole report
#: in the short summary; PY_COLORS and FORCE_COLOR (often set on CI machines) colour it with
#: escape sequences; PYTEST_ADDOPTS adds the outer run's options.
_OUTPUT_CHANGING = {"CI", "BUILD_NUMBER", "PY_COLORS", "FORCE_COLOR", "NO_COLOR", "PYTEST_ADDOPTS"}


def _ci_or_not(ci: bool) -> dict[str, str]:
    # The inner run must not depend on where the suite itself runs.
    env = {key: value for key, value in os.environ.items() if key not in _OUTPUT_CHANGING}
    return {**env, "CI": "true"} if ci else env


def test_pytest_collects_each_case_as_an_item(tmp_path: Path) -> None:
    (tmp_path / "mixed.check.toml").write_text(WRONG, encoding="utf-8")
    (tmp_path / "scenario.toml").write_text("[ not toml", encoding="utf-8")  # never collected
    done = _pytest(tmp_path, "-rA")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "PASSED mixed.check.toml::right" in done.stdout
    assert "FAILED mixed.check.toml::three-hundred-million" in done.stdout
    # The failure shows the diff, not a traceback.
    assert "  + regime_revenue_per_year_usd: 264,000,000  (got; -12 %)" in done.stdout
    assert "Traceback" not in done.stdout


def test_a_bad_check_file_is_a_one_line_collection_error(tmp_path: Path) -> None:
    (tmp_path / "bad.check.toml").write_text("[[case]]\nname = 'x'\ncolour = 1\n")
    done = _pytest(tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "ERROR collecting bad.check.toml" in done.stdout
    assert "bad.check.toml: case.0.colour: unknown key (allowed: name," in done.stdout


def test_the_plugin_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "mixed.check.toml").write_text(WRONG, encoding="utf-8")
    done = _pytest(tmp_path, "-p", "no:paymodel")
    assert done.returncode == 5, done.stdout + done.stderr  # no tests collected
    assert "no tests ran" in done.stdout


#: A note that tries to colour the terminal and to fake a "+" line of the diff.
HOSTILE_NOTE = """\
[[case]]
name = "c"
scenario = "nis-estimate"
[case.expected]
paid_usd = { value = 1, note = "\\u001b[31mRED\\n  + paid_usd: 1  (got)" }
"""


def test_a_note_stays_on_its_line_escaped_in_every_report(tmp_path: Path) -> None:
    (tmp_path / "hostile.check.toml").write_text(HOSTILE_NOTE, encoding="utf-8")
    (case,) = load_checks(tmp_path / "hostile.check.toml")
    escaped = "(expected; \\u001b[31mRED\\u000a  + paid_usd: 1  (got))"
    # The Python API's report, the CLI's and the pytest plugin's (which prints the report).
    status, out, err = run("check", str(tmp_path / "hostile.check.toml"))
    assert (status, err) == (1, "")
    done = _pytest(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    # On a CI machine (and with -vv) pytest's short summary repeats the whole report: the
    # real "+" line is printed twice, and the note's fake one still never.
    verbose = _pytest(tmp_path, ci=True)
    assert verbose.returncode == 1, verbose.stdout + verbose.stderr
    got = "  + paid_usd: 264,000,000  (got; +2.64e+10 %)"
    for text, times in ((case.run().report(), 1), (out, 1), (done.stdout, 1), (verbose.stdout, 2)):
        assert escaped in text
        assert "\x1b" not in text
        # The only "+" line is what the model gave: 11,000 × 2,000 × 12 = 264,000,000.
        plus = [line for line in text.splitlines() if line.startswith("  + ")]
        assert plus == [got] * times
