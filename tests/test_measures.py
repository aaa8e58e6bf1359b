"""What a claim measures: which claims fit which input, the warnings, and assumptions.

DESIGN §7: an input that cites a claim whose ``measure`` does not fit it gets one
`pm.MeasureWarning` (one line on stderr in the CLI) from run, explain, compare and the
report; an input that differs from its default and cites nothing is an assumption, and a
scenario's ``[assumptions]`` says why.
"""

from __future__ import annotations

import copy
import json
import re
import typing
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import paymodel as pm
from helpers import WAVES, run
from paymodel.distributions import BaseDistribution
from paymodel.measures import (
    FITS,
    assumption_paths,
    fitting_measures,
    input_default,
    is_assumption,
    misfits,
)
from paymodel.scenario import field_domain
from paymodel.sources import MEASURES
from paymodel.testing import contingent_scenarios, scenarios

#: DESIGN §1's worked example; each test cites claims for it.
BASE: dict[str, Any] = {
    "name": "cited",
    "pay": {"gross_monthly_usd": 2000},
    "diversion": [{"name": "state treasury", "share": 0.9}],
    "deployment": {"troops": 11000, "months": 12, "deaths": 1100},
}


def cited(citations: dict[str, list[str]], **changes: Any) -> pm.Scenario:
    return pm.Scenario.model_validate({**BASE, **changes, "citations": citations})


def warned(call: Any) -> list[str]:
    """The messages of the measure warnings ``call()`` issues."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught if issubclass(w.category, pm.MeasureWarning)]


# -- the table ------------------------------------------------------------------------------


def _models(model: Any, seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every model reachable from ``model``'s fields (distributions left out)."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        if issubclass(model, BaseDistribution) or model in seen:
            return seen
        seen.add(model)
        for field in model.model_fields.values():
            _models(field.annotation, seen)
        return seen
    for argument in typing.get_args(model):
        _models(argument, seen)
    return seen


def test_every_numeric_field_of_the_models_has_a_line() -> None:
    # A field added to a model (a transfer, a currency's rate) must say which claims fit it.
    numeric = {
        name
        for model in _models(pm.Scenario, set())
        for name in model.model_fields
        if field_domain(model, name) is not None
    }
    assert {"gross_monthly_usd", "share", "troops", "deaths", "kpw_per_usd"} <= numeric
    assert numeric <= set(FITS), numeric - set(FITS)


def test_the_table_uses_the_registry_words() -> None:
    for field, fits in FITS.items():
        assert set(fits) <= set(MEASURES), field
        assert "other" not in fits  # other fits everything: fitting_measures adds it
    assert FITS["deaths"] == FITS["monthly_death_rate"] == ("killed",)
    # The two fields other branches add: one line each, here already.
    assert FITS["state_transfer_monthly_usd"] == ("revenue", "pay")
    assert FITS["per_usd"] == ("exchange_rate",)


@pytest.mark.parametrize("field", sorted(FITS))
def test_other_fits_every_field(field: str) -> None:
    assert fitting_measures(f"contingents.0.{field}")[-1] == "other"


def test_a_field_the_table_does_not_know_is_not_checked() -> None:
    assert fitting_measures("deployment.something_new") == MEASURES


# -- the rules, each of which can fail ------------------------------------------------------


def test_deaths_citing_casualties_warn() -> None:
    # CAS-03: 1,100 killed and wounded; deaths need a count of the killed.
    scenario = cited({"deployment.deaths": ["CAS-03"]})
    with pytest.warns(pm.MeasureWarning) as caught:
        pm.compute(scenario)
    assert [str(w.message) for w in caught] == [
        "cited: deployment.deaths cites CAS-03, a count of killed and wounded (casualties); "
        "deaths needs a killed figure"
    ]


def test_deaths_citing_killed_do_not_warn() -> None:
    scenario = cited({"deployment.deaths": ["CAS-15"]})  # 2,000 killed (NIS)
    assert misfits(scenario) == ()
    assert warned(lambda: pm.compute(scenario)) == []


def test_a_death_rate_citing_wounded_or_casualties_warns() -> None:
    doc = {**BASE, "deployment": {"troops": 11000, "months": 12, "monthly_death_rate": 0.01}}
    for claim_id in ("CAS-06", "CAS-17"):  # killed and wounded, both
        scenario = pm.Scenario.model_validate(
            {**doc, "citations": {"deployment.monthly_death_rate": [claim_id]}}
        )
        (misfit,) = misfits(scenario)
        assert misfit.path == "deployment.monthly_death_rate"
        assert [c.id for c in misfit.claims] == [claim_id]


def test_troops_citing_revenue_warn() -> None:
    scenario = cited({"deployment.troops": ["REV-04"]})  # $320 M a year for 10,000 troops
    assert warned(lambda: pm.compute(scenario)) == [
        "cited: deployment.troops cites REV-04, a revenue figure (revenue); troops needs a "
        "troops or workers figure"
    ]


def test_troops_citing_troops_or_workers_do_not_warn() -> None:
    assert misfits(cited({"deployment.troops": ["DEP-11", "OW-14"]})) == ()


def test_a_share_citing_pay_warns() -> None:
    # PAY-02's figures are a soldier's $1,200-2,400, not the 90 % its story mentions.
    scenario = cited({"diversion.state treasury.share": ["PAY-02", "PAY-03"]})
    (misfit,) = misfits(scenario)
    assert misfit.path == "diversion.0.share"  # canonical, though cited by name
    assert [c.id for c in misfit.claims] == ["PAY-02"]  # PAY-03 (share_kept) fits
    assert misfit.message().endswith("share needs a share_kept figure")


def test_other_fits_anything() -> None:
    # REV-14 (other: 4-19.6 % of an estimate confirmed) may support any input.
    everything = {path: ["REV-14"] for path in cited({}).input_paths()}
    assert misfits(cited(everything)) == ()


def test_a_field_only_other_fits_says_so() -> None:
    scenario = cited({"pay.delivered_share": ["PAY-14", "PAY-01"]})  # other fits, pay does not
    (message,) = warned(lambda: pm.explain(scenario))
    assert message == (
        "cited: pay.delivered_share cites PAY-01, a pay figure (pay); no measure but other fits "
        "delivered_share: cite a claim of measure other, or say why under [assumptions]"
    )


def test_one_line_per_input_naming_every_claim_that_does_not_fit() -> None:
    scenario = cited({"deployment.deaths": ["CAS-03", "CAS-15", "CAS-06"]})
    (message,) = warned(lambda: pm.compute(scenario))
    assert "\n" not in message
    assert "CAS-03, a count of killed and wounded (casualties) and CAS-06" in message
    assert "CAS-15" not in message


def test_contingent_inputs_are_checked_by_their_field() -> None:
    doc = copy.deepcopy(WAVES)
    doc["citations"] = {
        "contingents.first wave.troops": ["REV-01"],
        "contingents.reinforcements.pay.signing_bonus_usd": ["PAY-06"],  # pay fits a bonus
    }
    scenario = pm.Scenario.model_validate(doc)
    assert [(m.path, [c.id for c in m.claims]) for m in misfits(scenario)] == [
        ("contingents.0.troops", ["REV-01"])
    ]


def test_worker_wages_fit_pay_and_quotas_fit_revenue() -> None:
    scenario = cited(
        {"pay.gross_monthly_usd": ["OW-23"], "diversion.0.quota_monthly_usd": ["OW-10"]},
        diversion=[{"name": "state", "quota_monthly_usd": 800}],
    )
    assert misfits(scenario) == ()


def test_state_transfers_fit_revenue() -> None:
    pay = {"gross_monthly_usd": 2000, "state_transfer_monthly_usd": 1000}
    assert misfits(cited({"pay.state_transfer_monthly_usd": ["REV-04"]}, pay=pay)) == ()
    (misfit,) = misfits(cited({"pay.state_transfer_monthly_usd": ["DEP-11"]}, pay=pay))
    assert misfit.path == "pay.state_transfer_monthly_usd"


def test_a_currency_rate_fits_exchange_rates() -> None:
    currency = {"code": "KRW", "per_usd": 1395}
    assert misfits(cited({"currency.per_usd": ["DOM-14"]}, currency=currency)) == ()
    (misfit,) = misfits(cited({"currency.per_usd": ["REV-07"]}, currency=currency))
    assert misfit.path == "currency.per_usd"


# -- where the warnings come from, and how often -------------------------------------------


WRONG = {"deployment.deaths": ["CAS-03"], "deployment.troops": ["REV-04"]}


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda s: pm.compute(s), ["cited"]),
        (lambda s: pm.explain(s), ["cited"]),
        (lambda s: pm.compare([s], samples=0), ["cited"]),
        (lambda s: pm.compare([s, s.evolve(name="again")], samples=100), ["cited", "again"]),
    ],
    ids=["compute", "explain", "compare", "compare-two"],
)
def test_once_per_input_per_scenario(call: Any, names: list[str]) -> None:
    # compare computes each scenario (and simulates it): still one warning per input.
    messages = warned(lambda: call(cited(WRONG)))
    expected = [
        f"{name}: {path} cites"
        for name in names
        for path in ("deployment.troops", "deployment.deaths")
    ]
    assert [m[: len(e)] for m, e in zip(messages, expected, strict=True)] == expected


def test_the_report_warns_once_per_input(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    scenario = cited(WRONG)
    messages = warned(lambda: pm.report([scenario], tmp_path / "r.md", samples=50, seed=1))
    assert len(messages) == 2


def test_the_warning_points_at_the_callers_line() -> None:
    with pytest.warns(pm.MeasureWarning) as caught:
        pm.explain(cited(WRONG))
    assert {Path(w.filename).name for w in caught} == {"test_measures.py"}


def test_other_analyses_do_not_warn() -> None:
    scenario = cited(WRONG)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pm.MeasureWarning)
        pm.simulate(scenario, 100, seed=1)
        pm.sweep(scenario, {"deployment.troops": [10_000, 12_000]})


# -- the command line -----------------------------------------------------------------------


def _file(tmp_path: Path, citations: dict[str, list[str]], name: str = "mine") -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({**BASE, "name": name, "citations": citations}), "utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["run", "explain"])
def test_cli_warns_on_stderr_and_keeps_json_clean(command: str, tmp_path: Path) -> None:
    status, out, err = run(command, _file(tmp_path, WRONG), "--json")
    assert status == 0
    json.loads(out)
    assert err.splitlines() == [
        "paymodel: warning: mine: deployment.troops cites REV-04, a revenue figure (revenue); "
        "troops needs a troops or workers figure",
        "paymodel: warning: mine: deployment.deaths cites CAS-03, a count of killed and "
        "wounded (casualties); deaths needs a killed figure",
    ]


def test_cli_compare_names_the_scenario_of_each_line(tmp_path: Path) -> None:
    first = _file(tmp_path, {"deployment.deaths": ["CAS-03"]}, "first")
    second = _file(tmp_path, {"deployment.deaths": ["CAS-15"]}, "second")
    third = _file(tmp_path, {"deployment.troops": ["REV-04"]}, "third")
    status, _, err = run("compare", first, second, third, "--samples", "0")
    assert status == 0
    assert [line.split(": ")[2] for line in err.splitlines()] == ["first", "third"]


def test_cli_report_warns(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.html"
    status, _, err = run("report", _file(tmp_path, WRONG), "--samples", "50", "--out", str(out))
    assert status == 0
    assert len(err.splitlines()) == 2
    assert out.exists()


def test_cli_bad_input_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**BASE, "citations": WRONG, "pay": {}}), "utf-8")
    status, out, err = run("run", str(path))
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1


# -- assumptions ----------------------------------------------------------------------------


def test_an_uncited_input_away_from_its_default_is_an_assumption() -> None:
    scenario = cited({"deployment.troops": ["DEP-11"]}, pay={"gross_monthly_usd": 2000})
    assert assumption_paths(scenario) == (
        "pay.gross_monthly_usd",  # required: no default
        "diversion.0.share",
        "deployment.months",
        "deployment.deaths",  # given instead of a rate
    )
    # At its default (signing bonus 0, everything delivered, $1 at home): not one.
    assert not is_assumption(scenario, "pay.signing_bonus_usd")
    assert not is_assumption(scenario, "baseline.domestic_monthly_wage_usd")
    bonus = scenario.evolve(**{"pay.signing_bonus_usd": 1000})
    assert is_assumption(bonus, "pay.signing_bonus_usd")
    # By name as by index.
    assert is_assumption(scenario, "diversion.state treasury.share")


def test_defaults_that_come_from_other_inputs() -> None:
    scenario = cited({}, deployment={"troops": 11000, "months": 12, "tour_months": 12})
    assert input_default(scenario, "deployment.tour_months") == 12.0
    assert not is_assumption(scenario, "deployment.tour_months")  # = months, the default
    assert is_assumption(scenario.evolve(**{"deployment.tour_months": 6}), "deployment.tour_months")
    assert not is_assumption(cited({}), "deployment.tour_months")  # left out
    # A contingent's pay override defaults to the scenario's pay.
    doc = copy.deepcopy(WAVES)
    doc["contingents"][2]["pay"]["gross_monthly_usd"] = 2000  # the same as [pay]
    same = pm.Scenario.model_validate(doc)
    assert not is_assumption(same, "contingents.reinforcements.pay.gross_monthly_usd")
    assert is_assumption(same, "contingents.reinforcements.pay.signing_bonus_usd")  # 1,000


def test_a_distribution_is_never_at_a_plain_default() -> None:
    scenario = cited(
        {}, pay={"gross_monthly_usd": 2000, "delivered_share": pm.Uniform(low=0.5, high=1)}
    )
    assert is_assumption(scenario, "pay.delivered_share")


def test_explain_shows_assumptions_and_reasons() -> None:
    scenario = cited(
        {"deployment.troops": ["DEP-11"]},
        assumptions={
            "deployment.months": "One year, the period of the yearly estimates",
            "deployment.troops": "NIS's count of those moved to Kursk",
        },
    )
    explanation = pm.explain(scenario)
    lines = {line.path: line for line in explanation.inputs}
    months, troops, share = (
        lines["deployment.months"],
        lines["deployment.troops"],
        lines["diversion.0.share"],
    )
    assert (months.assumption, months.reason) == (
        True,
        "One year, the period of the yearly estimates",
    )
    assert months.basis == "assumption: One year, the period of the yearly estimates"
    assert (troops.assumption, troops.basis) == (False, "NIS's count of those moved to Kursk")
    assert share.basis == "assumption, no reason given"
    assert lines["pay.signing_bonus_usd"].basis == ""
    text = explanation.to_text()
    assert (
        "  deployment.months = 12\n      assumption: One year, the period of the yearly estimates\n"
        in text
    )
    assert "  diversion.0.share = 0.9\n      assumption, no reason given\n" in text
    data = {line["path"]: line for line in explanation.to_dict()["inputs"]}
    assert data["deployment.months"]["assumption"] is True
    assert data["deployment.troops"] == {
        "path": "deployment.troops",
        "given": "11,000",
        "value": 11_000,
        "claims": ["DEP-11"],
        "assumption": False,
        "reason": "NIS's count of those moved to Kursk",
    }
    assert data["pay.signing_bonus_usd"]["reason"] is None


def test_explain_frame_has_the_assumption_columns() -> None:
    pytest.importorskip("pandas")
    frame = pm.explain(pm.builtin("nis-estimate")).to_frame()
    assert bool(frame.loc["deployment.months", "assumption"]) is True
    assert frame.loc["deployment.months", "reason"].startswith("One year")
    assert bool(frame.loc["deployment.troops", "assumption"]) is False


def test_cli_explain_json_shows_assumptions() -> None:
    _, out, _ = run("explain", "worker-quota", "--json")
    inputs = {line["path"]: line for line in json.loads(out)["inputs"]}
    assert inputs["diversion.1.share"]["assumption"] is True
    assert inputs["diversion.1.share"]["reason"].startswith("NKDB")
    assert inputs["diversion.0.quota_monthly_usd"]["claims"] == ["OW-10"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_input_table_marks_assumptions(fmt: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = pm.report(["nis-estimate"], tmp_path / f"r.{fmt}", samples=50, seed=1)
    text = path.read_text("utf-8")
    reason = "One year, the period of NIS" + ("'" if fmt == "md" else "&#x27;")
    assert f"assumption: {reason}s yearly revenue figure (REV-01)" in text


def test_a_reason_follows_its_input_through_evolve() -> None:
    scenario = cited({}, assumptions={"diversion.state treasury.share": "assumed"})
    assert scenario.reason_for("diversion.0.share") == "assumed"
    assert scenario.evolve(**{"deployment.troops": 12_000}).reason_for("diversion.0.share")
    # Switching the layer to a quota drops the share, and its reason with it.
    quota = scenario.evolve(**{"diversion.0.quota_monthly_usd": 800})
    assert quota.assumptions == {}


def test_the_schema_describes_assumptions() -> None:
    schema = pm.scenario_schema()["properties"]["assumptions"]
    assert schema["type"] == "object"
    reason = schema["additionalProperties"]
    assert (reason["type"], reason["minLength"], reason["maxLength"]) == ("string", 1, 200)
    one_line = re.compile(reason["pattern"])
    assert one_line.search("One year, the period of the yearly estimates")
    assert not one_line.search("two\nlines")
    assert not one_line.search("  ")


# -- the built-ins --------------------------------------------------------------------------


@pytest.mark.parametrize("name", pm.builtin_names())
def test_builtins_cite_fitting_claims_or_give_reasons(name: str) -> None:
    scenario = pm.builtin(name)
    assert misfits(scenario) == ()
    for path in assumption_paths(scenario):
        assert scenario.reason_for(path), f"{name}: {path} is an assumption without a reason"
    with warnings.catch_warnings():
        warnings.simplefilter("error", pm.MeasureWarning)
        pm.explain(scenario)


def test_builtins_compare_without_warnings() -> None:
    status, _, err = run("compare", "--samples", "0")
    assert (status, err) == (0, "")


# -- any scenario ---------------------------------------------------------------------------

_IDS = [c.id for c in pm.claims()]


@st.composite
def cited_scenarios(draw: st.DrawFn) -> pm.Scenario:
    """A scenario from paymodel.testing with claims and reasons for some of its inputs."""
    scenario = draw(st.one_of(scenarios(), contingent_scenarios()))
    paths = draw(st.lists(st.sampled_from(scenario.input_paths()), unique=True))
    citations = {p: draw(st.lists(st.sampled_from(_IDS), max_size=3)) for p in paths}
    reasons = draw(st.lists(st.sampled_from(scenario.input_paths()), unique=True, max_size=3))
    return scenario.evolve(citations=citations, assumptions={p: f"reason for {p}" for p in reasons})


@given(cited_scenarios())
def test_the_check_never_crashes(scenario: pm.Scenario) -> None:
    found = misfits(scenario)
    for misfit in found:
        fits = fitting_measures(misfit.path)
        assert misfit.claims
        assert all(c.measure not in fits for c in misfit.claims)
        assert "\n" not in misfit.message()
        assert misfit.path in misfit.message()
    flagged = {m.path for m in found}
    for path in scenario.input_paths():
        if path not in flagged:
            assert all(
                pm.claim(c).measure in fitting_measures(path) for c in scenario.claims_for(path)
            )
    assumed = assumption_paths(scenario)
    assert all(not scenario.claims_for(path) for path in assumed)
    messages = warned(lambda: pm.explain(scenario))
    assert messages == [m.message() for m in found]
