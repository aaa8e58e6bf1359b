"""Scenario models: inputs by dotted path, evolve, layers, citations and built-ins."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import paymodel as pm

BASE = {
    "name": "base",
    "pay": {"gross_monthly_usd": 2000},
    "diversion": [
        {"name": "state treasury", "share": 0.9},
        {"name": "party levy", "quota_monthly_usd": 50},
    ],
    "deployment": {"troops": 11000, "months": 12},
}


def test_inputs_are_listed_by_canonical_path_in_a_fixed_order() -> None:
    scenario = pm.Scenario.model_validate(BASE)
    assert scenario.input_paths() == (
        "pay.gross_monthly_usd",
        "pay.signing_bonus_usd",
        "pay.death_benefit_usd",
        "pay.delivered_share",
        "pay.in_kind_share",
        "pay.state_transfer_monthly_usd",
        "diversion.0.share",
        "diversion.1.quota_monthly_usd",
        "deployment.troops",
        "deployment.months",
        "deployment.monthly_death_rate",
        "baseline.domestic_monthly_wage_usd",
    )
    assert scenario.inputs()["baseline.domestic_monthly_wage_usd"] == 1.0


def test_models_are_frozen() -> None:
    scenario = pm.Scenario.model_validate(BASE)
    with pytest.raises(ValidationError, match="frozen"):
        scenario.name = "other"  # type: ignore[misc]


def test_evolve_by_field_and_dotted_path_revalidates() -> None:
    scenario = pm.Scenario.model_validate(BASE)
    assert scenario.evolve(name="v2").name == "v2"
    bigger = scenario.evolve(**{"deployment.troops": 15_000})
    assert bigger.deployment.troops == 15_000
    assert scenario.deployment.troops == 11_000  # the original is unchanged
    by_name = scenario.evolve(**{"diversion.party levy.quota_monthly_usd": 75})
    assert by_name.diversion[1].quota_monthly_usd == 75
    as_share = scenario.evolve(**{"diversion.1.share": 0.5})  # a quota becomes a share
    assert (as_share.diversion[1].share, as_share.diversion[1].quota_monthly_usd) == (0.5, None)
    uncertain = scenario.evolve(**{"pay.gross_monthly_usd": pm.Lognormal(p5=1500, p95=2500)})
    assert isinstance(uncertain.pay.gross_monthly_usd, pm.Lognormal)
    with pytest.raises(pm.ScenarioError, match=r"deployment\.troops: must be between 1 and"):
        scenario.evolve(**{"deployment.troops": -1})
    with pytest.raises(pm.ScenarioError, match="not an input path"):
        scenario.evolve(**{"deployment.soldiers": 1})
    with pytest.raises(pm.ScenarioError) as caught:
        scenario.evolve(**{"deployment.troop": 9})
    assert str(caught.value) == (
        "deployment.troop: not an input path of this scenario; did you mean 'deployment.troops'?"
    )
    with pytest.raises(pm.ScenarioError, match=r"did you mean 'deployment\.replace_losses'"):
        scenario.evolve(**{"deployment.replace_loss": False})  # any field, not only numbers
    with pytest.raises(pm.ScenarioError, match=r"did you mean 'diversion\.1\.share'"):
        scenario.evolve(**{"diversion.1.shar": 0.5})
    # The analyses look paths up in one place, and suggest the same way.
    with pytest.raises(pm.ScenarioError, match=r"did you mean 'deployment\.troops'"):
        scenario.variable_input("deployment.troop")
    with pytest.raises(pm.ScenarioError, match="no layer"):
        scenario.evolve(**{"diversion.7.share": 0.5})
    # Tables keyed by input paths are set whole: a dotted key into one is no path, and the
    # message says so rather than suggesting the key itself.
    for table in ("assumptions", "citations"):
        with pytest.raises(pm.ScenarioError) as caught:
            scenario.evolve(**{f"{table}.deployment.months": "one year"})
        assert str(caught.value) == (
            f"{table}.deployment.months: {table} is keyed by input paths, so it is set as a "
            f"whole table, e.g. {table}={{'deployment.months': ...}}"
        )


def test_in_kind_layer_appears_only_when_paying_in_goods() -> None:
    scenario = pm.Scenario.model_validate(BASE)
    assert scenario.layer_names() == ("state treasury", "party levy")
    in_goods = scenario.evolve(**{"pay.in_kind_share": 0.3})
    assert in_goods.layer_names() == ("in kind", "state treasury", "party levy")
    uncertain = scenario.evolve(**{"pay.in_kind_share": pm.Uniform(low=0, high=0.5)})
    assert uncertain.layer_names()[0] == "in kind"


def test_tour_months_defaults_to_months() -> None:
    scenario = pm.Scenario.model_validate(BASE)
    assert "deployment.tour_months" not in scenario.inputs()
    # M = 12 and no tour given: I = max(H, S/M) = H, per tour t·12.
    assert pm.compute(scenario).individuals_deployed == 11_000


def test_citations_name_inputs_and_existing_claims() -> None:
    cited = pm.Scenario.model_validate(
        {**BASE, "citations": {"diversion.state treasury.share": ["PAY-03"]}}
    )
    assert cited.citations["diversion.state treasury.share"] == ("PAY-03",)
    with pytest.raises(ValidationError, match="not an input"):
        pm.Scenario.model_validate({**BASE, "citations": {"pay.gross": ["PAY-01"]}})
    with pytest.raises(ValidationError, match="unknown claim id 'PAY-999'"):
        pm.Scenario.model_validate({**BASE, "sources": ["PAY-999"]})


def test_json_schema_describes_the_file_format() -> None:
    schema = pm.Scenario.model_json_schema()
    assert {"pay", "diversion", "deployment", "baseline", "sources"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    json.dumps(schema)  # serialisable


@pytest.mark.parametrize("name", pm.builtin_names())
def test_builtins_cite_claims_for_every_figure_they_set(name: str) -> None:
    scenario = pm.builtin(name)
    assert scenario.sources, "a built-in must cite its claims"
    assert scenario.title
    assert scenario.description
    assert "pay.gross_monthly_usd" in scenario.citations
    troops = [p for p in scenario.citations if p.split(".")[-1] == "troops"]
    assert troops
    for layer_index, layer in enumerate(scenario.diversion):
        # Cited, or derived from claims that measure something else, and the reason says so.
        path = f"diversion.{layer_index}.{layer.rule}"
        assert scenario.claims_for(path) or scenario.reason_for(path)
    cited = {cid for ids in scenario.citations.values() for cid in ids}
    assert cited <= set(scenario.sources), "every cited claim is listed in sources"


def test_builtin_headline_figures() -> None:
    # Figures worked out by hand from each scenario's assumptions.
    def run(name: str) -> pm.Result:
        return pm.compute(pm.builtin(name))

    # 10 % of $2,000 = $200 a month; median tour 9 months → $1,800.
    assert run("independent-90").take_home_per_tour_usd == 1800.0
    # 11,000·$2,000·12 = $264 M, all of it kept; 11,000·12/8.8 = 15,000 individuals.
    assert run("rand-bennett-all").regime_revenue_per_year_usd == 264_000_000.0
    assert run("rand-bennett-all").individuals_deployed == pytest.approx(15_000.0, rel=1e-12)
    # INSS: 10,000·(2,500·12 + 2,000) = $320 M (its published lower figure).
    assert run("inss-mercenary").regime_revenue_per_year_usd == 320_000_000.0
    # Casualties: D = 0.0165·11,000·11 = 1,996.5; I = 11,000 + 1,996.5.
    casualty = run("casualty-aware")
    assert casualty.deaths == pytest.approx(1996.5, rel=1e-12)
    assert casualty.individuals_deployed == pytest.approx(12_996.5, rel=1e-12)
    # Worker quota: (2,000 − 800)·0.85 = $1,020; w = 30,000/18,000 → 1,020·0.6 = 612×.
    quota = run("worker-quota")
    assert quota.take_home_monthly_usd == 1020.0
    assert quota.domestic_wage_multiple == pytest.approx(612.0, rel=1e-12)
