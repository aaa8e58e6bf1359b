"""Bad input: every problem is one line that names the field (or the file) and the rule.

One table of (scenario document, field, message fragment), exercised three ways: the Python
API (:func:`paymodel.files.scenario_from_dict` and ``pm.Scenario.model_validate``), a TOML or
JSON file through :func:`paymodel.load`, and ``paymodel run FILE``. Then files that are not
scenarios at all: empty, binary, truncated, too large, too deep, directories, missing.
"""

from __future__ import annotations

import copy
import io
import json
import math
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import paymodel as pm
from paymodel.cli import main
from paymodel.files import MAX_FILE_BYTES, load_scenario_file, scenario_from_dict

# -- helpers --------------------------------------------------------------------------------

#: DESIGN §1's worked example: valid, and the base every bad document changes one thing of.
BASE: dict[str, Any] = {
    "name": "worked-example",
    "pay": {"gross_monthly_usd": 2000},
    "diversion": [{"name": "state treasury", "share": 0.9}],
    "deployment": {"troops": 11000, "months": 12},
}


def changed(**changes: Any) -> dict[str, Any]:
    """BASE with values replaced; ``pay__in_kind_share`` sets ``doc["pay"]["in_kind_share"]``.

    A value of ``DROP`` removes the key.
    """
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        *parents, last = key.split("__")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if value is DROP:
            del node[last]
        else:
            node[last] = value
    return doc


DROP = object()


def layer(**fields: Any) -> list[dict[str, Any]]:
    """A one-layer diversion chain."""
    return [fields]


def uniform(low: float, high: float) -> dict[str, Any]:
    return {"kind": "uniform", "low": low, "high": high}


def toml_value(value: Any) -> str:
    """Write a value as TOML (inline tables); enough for the documents of this file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"no TOML for {value!r}")


def to_toml(doc: Mapping[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in doc.items())


def to_json(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2)  # NaN and Infinity are written as JSON's constants


def write_doc(folder: Path, doc: Mapping[str, Any], fmt: str) -> Path:
    path = folder / f"scenario.{fmt}"
    path.write_text(to_toml(doc) if fmt == "toml" else to_json(doc), encoding="utf-8")
    return path


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def assert_one_line(text: str) -> str:
    """``text`` is exactly one line ending in a newline, with no traceback; return the line."""
    assert text.endswith("\n"), repr(text)
    assert len(text.splitlines()) == 1, repr(text)
    assert text.count("\n") == 1, repr(text)
    assert "Traceback" not in text
    return text.rstrip("\n")


def test_base_is_valid() -> None:
    scenario = scenario_from_dict(BASE)
    assert pm.compute(scenario).take_home_monthly_usd == 200.0


# -- the table ------------------------------------------------------------------------------

ALLOWED_PAY = "allowed: death_benefit_usd, delivered_share, gross_monthly_usd"

# (document, the field the message must name, a fragment of the rule)
CASES = [
    # A typo'd key at every level, with a 'did you mean' hint; as an extra key, and
    # replacing a required key (the typo is reported, not only the missing key).
    pytest.param(changed(titel="x"), "titel", "did you mean 'title'?", id="typo-top"),
    pytest.param(
        {**changed(deployment=DROP), "deploymnet": BASE["deployment"]},
        "deploymnet",
        "did you mean 'deployment'?",
        id="typo-top-replacing-required",
    ),
    pytest.param(
        changed(pay__signing_bonus=5),
        "pay.signing_bonus",
        "did you mean 'signing_bonus_usd'?",
        id="typo-pay",
    ),
    pytest.param(
        changed(pay={"gros_monthly_usd": 2000}),
        "pay.gros_monthly_usd",
        "did you mean 'gross_monthly_usd'?",
        id="typo-pay-replacing-required",
    ),
    pytest.param(
        changed(diversion=layer(name="a", share=0.5, shar=0.9)),
        "diversion.0.shar",
        "did you mean 'share'?",
        id="typo-layer",
    ),
    pytest.param(
        changed(diversion=layer(nmae="a", share=0.5)),
        "diversion.0.nmae",
        "did you mean 'name'?",
        id="typo-layer-replacing-required",
    ),
    pytest.param(
        changed(deployment__monthly_deaht_rate=0.01),
        "deployment.monthly_deaht_rate",
        "did you mean 'monthly_death_rate'?",
        id="typo-deployment",
    ),
    pytest.param(
        changed(deployment={"tropps": 5, "months": 12}),
        "deployment.tropps",
        "did you mean 'troops'?",
        id="typo-deployment-replacing-required",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage": 1}),
        "baseline.domestic_monthly_wage",
        "did you mean 'domestic_monthly_wage_usd'?",
        id="typo-baseline",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "uniform", "low": 1, "high": 5, "hihg": 5}),
        "deployment.troops.hihg",
        "did you mean 'high'?",
        id="typo-distribution",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "uniform", "low": 1, "hihg": 5}),
        "deployment.troops.hihg",
        "did you mean 'high'?",
        id="typo-distribution-replacing-required",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "beta", "alpha": 2, "bta": 5}),
        "pay.delivered_share.bta",
        "did you mean 'beta'?",
        id="typo-beta-parameter",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "normal", "mean": 0.5, "sd": 0.1, "hgh": 1}),
        "pay.delivered_share.hgh",
        "did you mean 'high'?",
        id="typo-normal",
    ),
    pytest.param(changed(pay__bonus=1), "pay.bonus", ALLOWED_PAY, id="unknown-key-lists-allowed"),
    # Wrong types.
    pytest.param(
        changed(pay__gross_monthly_usd="2000"),
        "pay.gross_monthly_usd",
        "must be a number (got a string '2000')",
        id="string-for-number",
    ),
    pytest.param(
        changed(deployment__troops=True),
        "deployment.troops",
        "must be a number (got a boolean True)",
        id="bool-for-number",
    ),
    pytest.param(
        changed(diversion=layer(name="a", share=False)),
        "diversion.0.share",
        "must be a number (got a boolean False)",
        id="bool-for-share",
    ),
    pytest.param(
        changed(deployment__months=[12]),
        "deployment.months",
        "must be a number (got an array [12])",
        id="array-for-number",
    ),
    pytest.param(changed(diversion=5), "diversion", "must be an array", id="number-for-layers"),
    pytest.param(changed(diversion=[5]), "diversion.0", "must be a table", id="number-for-a-layer"),
    pytest.param(changed(pay="2000"), "pay", "must be a table", id="string-for-table"),
    pytest.param(changed(name=5), "name", "must be text (got an integer 5)", id="number-for-name"),
    pytest.param(changed(sources="PAY-01"), "sources", "must be an array", id="string-for-list"),
    pytest.param(
        changed(deployment__replace_losses="yes"),
        "deployment.replace_losses",
        "must be true or false",
        id="string-for-bool",
    ),
    pytest.param(
        changed(deployment__replace_losses=1),
        "deployment.replace_losses",
        "must be true or false",
        id="number-for-bool",
    ),
    pytest.param(
        changed(citations=["PAY-01"]), "citations", "must be a table", id="array-for-citations"
    ),
    pytest.param(
        changed(pay__gross_monthly_usd="x" * 5000),
        "pay.gross_monthly_usd",
        "must be a number",
        id="long-string-is-shortened",
    ),
    # Missing keys.
    pytest.param(changed(pay=DROP), "pay", "required key is missing", id="missing-pay"),
    pytest.param(
        changed(pay={}), "pay.gross_monthly_usd", "required key is missing", id="missing-gross"
    ),
    pytest.param(
        changed(deployment__months=DROP),
        "deployment.months",
        "required key is missing",
        id="missing-months",
    ),
    pytest.param(changed(name=DROP), "name", "required key is missing", id="missing-name"),
    pytest.param(
        changed(diversion=layer(share=0.5)),
        "diversion.0.name",
        "required key is missing",
        id="missing-layer-name",
    ),
    # Names.
    pytest.param(changed(name="my scenario"), "name", "letters, digits", id="name-with-space"),
    pytest.param(changed(name=""), "name", "at least 1 character", id="empty-name"),
    pytest.param(
        changed(diversion=layer(name="", share=0.5)),
        "diversion.0.name",
        "at least 1 character",
        id="empty-layer-name",
    ),
    pytest.param(
        changed(diversion=layer(name="x" * 81, share=0.5)),
        "diversion.0.name",
        "at most 80 characters",
        id="long-layer-name",
    ),
    # Negative and zero where not allowed.
    pytest.param(
        changed(deployment__troops=0),
        "deployment.troops",
        "must be between 1 and 10,000,000 (got 0)",
        id="troops-zero",
    ),
    pytest.param(
        changed(deployment__troops=-5),
        "deployment.troops",
        "must be between 1 and 10,000,000 (got -5)",
        id="troops-negative",
    ),
    pytest.param(
        changed(deployment__months=0),
        "deployment.months",
        "must be between 0.0333 and 1,200 (got 0)",
        id="months-zero",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=-1),
        "pay.gross_monthly_usd",
        "must be between 0 and 1,000,000 (got -1)",
        id="gross-negative",
    ),
    pytest.param(
        changed(deployment__tour_months=0),
        "deployment.tour_months",
        "must be between 0.0333 and 1,200 (got 0)",
        id="tour-zero",
    ),
    pytest.param(
        changed(pay__signing_bonus_usd=-1),
        "pay.signing_bonus_usd",
        "must be between 0 and",
        id="bonus-negative",
    ),
    pytest.param(
        changed(diversion=layer(name="a", quota_monthly_usd=-10)),
        "diversion.0.quota_monthly_usd",
        "must be between 0 and",
        id="quota-negative",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_usd": 0}),
        "baseline.domestic_monthly_wage_usd",
        "must be between 0.001 and 1,000,000 (got 0)",
        id="wage-zero",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_kpw": 30000, "kpw_per_usd": -1}),
        "baseline.kpw_per_usd",
        "must be between 1 and 1,000,000,000 (got -1)",
        id="rate-negative",
    ),
    # Shares and rates outside [0, 1].
    pytest.param(
        changed(pay__delivered_share=1.5),
        "pay.delivered_share",
        "must be between 0 and 1 (got 1.5)",
        id="delivered-share-above-1",
    ),
    pytest.param(
        changed(diversion=layer(name="a", share=1.5)),
        "diversion.0.share",
        "must be between 0 and 1 (got 1.5)",
        id="layer-share-above-1",
    ),
    pytest.param(
        changed(pay__in_kind_share=-0.1),
        "pay.in_kind_share",
        "must be between 0 and 1 (got -0.1)",
        id="in-kind-share-negative",
    ),
    pytest.param(
        changed(deployment__monthly_death_rate=1.2),
        "deployment.monthly_death_rate",
        "must be between 0 and 1 (got 1.2)",
        id="death-rate-above-1",
    ),
    # NaN and infinity (TOML spells nan and inf; JSON writes NaN and Infinity).
    pytest.param(
        changed(pay__gross_monthly_usd=math.nan),
        "pay.gross_monthly_usd",
        "must be a finite number (got nan)",
        id="nan",
    ),
    pytest.param(
        changed(deployment__troops=math.inf),
        "deployment.troops",
        "must be a finite number (got inf)",
        id="inf",
    ),
    pytest.param(
        changed(deployment__months=-math.inf),
        "deployment.months",
        "must be a finite number (got -inf)",
        id="minus-inf",
    ),
    pytest.param(
        changed(diversion=layer(name="a", share=math.nan)),
        "diversion.0.share",
        "must be a finite number",
        id="nan-share",
    ),
    pytest.param(
        changed(deployment__troops=uniform(1, math.inf)),
        "deployment.troops.high",
        "must be a finite number",
        id="inf-in-distribution",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [1, math.nan]}),
        "deployment.troops.values.1",
        "must be a finite number",
        id="nan-in-choice",
    ),
    # Every distribution rule.
    pytest.param(
        changed(deployment__troops=uniform(5, 5)),
        "deployment.troops",
        "low must be less than high",
        id="uniform-low-equals-high",
    ),
    pytest.param(
        changed(deployment__troops=uniform(9, 5)),
        "deployment.troops",
        "low must be less than high",
        id="uniform-low-above-high",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "triangular", "low": 1, "mode": 10, "high": 5}),
        "deployment.troops",
        "mode must lie between low and high",
        id="triangular-mode-outside",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "triangular", "low": 5, "mode": 5, "high": 5}),
        "deployment.troops",
        "low must be less than high",
        id="triangular-degenerate",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "pert", "low": 10, "mode": 1, "high": 50}),
        "deployment.troops",
        "mode must lie between low and high",
        id="pert-mode-outside",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "pert", "low": 50, "mode": 50, "high": 10}),
        "deployment.troops",
        "low must be less than high",
        id="pert-low-above-high",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "normal", "mean": 2000, "sd": 0, "low": 0}),
        "pay.gross_monthly_usd.sd",
        "must be greater than 0 (got 0)",
        id="normal-sd-zero",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "normal", "mean": 2000, "sd": -5, "low": 0}),
        "pay.gross_monthly_usd.sd",
        "must be greater than 0 (got -5)",
        id="normal-sd-negative",
    ),
    pytest.param(
        changed(
            pay__delivered_share={"kind": "normal", "mean": 0.5, "sd": 0.1, "low": 1, "high": 0}
        ),
        "pay.delivered_share",
        "low must be less than high",
        id="normal-bounds-reversed",
    ),
    pytest.param(
        changed(
            pay__delivered_share={"kind": "normal", "mean": 0.1, "sd": 0.01, "low": 0.9, "high": 1}
        ),
        "pay.delivered_share",
        "more than 11 sd from the mean",
        id="normal-bounds-far-from-mean",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 0, "p95": 3000}),
        "pay.gross_monthly_usd",
        "p5 must be greater than 0 (got 0)",
        id="lognormal-p5-zero",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": -1, "p95": 3000}),
        "pay.gross_monthly_usd",
        "p5 must be greater than 0",
        id="lognormal-p5-negative",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 3000, "p95": 3000}),
        "pay.gross_monthly_usd",
        "p5 must be less than p95",
        id="lognormal-p5-equals-p95",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 3000, "p95": 1500}),
        "pay.gross_monthly_usd",
        "p5 must be less than p95",
        id="lognormal-p5-above-p95",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "beta", "alpha": 0, "beta": 2}),
        "pay.delivered_share.alpha",
        "must be greater than 0 (got 0)",
        id="beta-alpha-zero",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "beta", "alpha": 2, "beta": -1}),
        "pay.delivered_share.beta",
        "must be greater than 0 (got -1)",
        id="beta-beta-negative",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": []}),
        "deployment.troops.values",
        "must have at least 1 entry",
        id="choice-empty",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [1, 2], "weights": [1]}),
        "deployment.troops",
        "weights must have one entry per value",
        id="choice-weights-length",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [1, 2], "weights": [1, 0]}),
        "deployment.troops.weights.1",
        "must be greater than 0 (got 0)",
        id="choice-weight-zero",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [1, 2], "weights": [1, -2]}),
        "deployment.troops.weights.1",
        "must be greater than 0",
        id="choice-weight-negative",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "gamma", "shape": 2}),
        "deployment.troops",
        "unknown distribution kind 'gamma'",
        id="unknown-kind",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "unifrom", "low": 1, "high": 5}),
        "deployment.troops",
        "did you mean 'uniform'?",
        id="misspelt-kind",
    ),
    pytest.param(
        changed(deployment__troops={"low": 1, "high": 5}),
        "deployment.troops",
        "needs a kind",
        id="missing-kind",
    ),
    pytest.param(
        changed(deployment__troops={"kind": 3, "low": 1, "high": 5}),
        "deployment.troops",
        "kind must be text",
        id="number-for-kind",
    ),
    pytest.param(
        changed(deployment__troops={"kind": ["uniform"], "low": 1, "high": 5}),
        "deployment.troops",
        "kind must be text",
        id="array-for-kind",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "normal", "mean": 0.5, "sd": 0.1}),
        "pay.delivered_share",
        "values span [-inf, inf], but the field must be between 0 and 1",
        id="normal-share-unbounded",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "normal", "mean": 0.5, "sd": 0.1, "low": 0}),
        "pay.delivered_share",
        "values span [0, inf]",
        id="normal-share-half-bounded",
    ),
    pytest.param(
        changed(deployment__troops=uniform(0, 100)),
        "deployment.troops",
        "values span [0, 100], but the field must be between 1 and 10,000,000",
        id="uniform-troops-from-zero",
    ),
    pytest.param(
        changed(deployment__monthly_death_rate={"kind": "lognormal", "p5": 0.01, "p95": 0.1}),
        "deployment.monthly_death_rate",
        "values span [0, inf]",
        id="lognormal-rate",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [0, 11000]}),
        "deployment.troops",
        "values span [0, 11000]",
        id="choice-troops-zero",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "beta", "alpha": 2, "beta": 2}),
        "deployment.troops",
        "values span [0, 1], but the field must be between 1 and",
        id="beta-troops-reaches-zero",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=uniform(1000, 1e9)),
        "pay.gross_monthly_usd",
        "between 0 and 1,000,000 (the distribution reaches 1e+09)",
        id="distribution-above-limit",
    ),
    # Layers.
    pytest.param(
        changed(diversion=layer(name="a", share=0.5, quota_monthly_usd=100)),
        "diversion.0",
        "exactly one of share or quota_monthly_usd",
        id="layer-both-rules",
    ),
    pytest.param(
        changed(diversion=layer(name="a")),
        "diversion.0",
        "exactly one of share or quota_monthly_usd",
        id="layer-no-rule",
    ),
    pytest.param(
        changed(
            diversion=[{"name": "commanders", "share": 0.1}, {"name": "commanders", "share": 0.2}]
        ),
        "diversion",
        "two layers are named 'commanders'",
        id="duplicate-layer-names",
    ),
    pytest.param(
        changed(diversion=[{"name": "a", "share": 0.1}, {"name": " A ", "share": 0.2}]),
        "diversion",
        "two layers are named",
        id="duplicate-layer-names-up-to-case",
    ),
    pytest.param(
        changed(diversion=layer(name="in kind", share=0.5)),
        "diversion",
        "reserved for the in-kind part",
        id="layer-named-in-kind",
    ),
    pytest.param(
        changed(diversion=layer(name="In Kind", share=0.5)),
        "diversion",
        "reserved",
        id="layer-named-in-kind-capitalised",
    ),
    # Baseline.
    pytest.param(
        changed(baseline={"domestic_monthly_wage_kpw": 30000}),
        "baseline",
        "give domestic_monthly_wage_kpw and kpw_per_usd together",
        id="won-wage-without-rate",
    ),
    pytest.param(
        changed(baseline={"kpw_per_usd": 8000}),
        "baseline",
        "give domestic_monthly_wage_kpw and kpw_per_usd together",
        id="rate-without-won-wage",
    ),
    pytest.param(
        changed(
            baseline={
                "domestic_monthly_wage_usd": 1,
                "domestic_monthly_wage_kpw": 30000,
                "kpw_per_usd": 8000,
            }
        ),
        "baseline",
        "not both",
        id="wage-in-dollars-and-won",
    ),
    # Claims.
    pytest.param(
        changed(sources=["PAY-01", "PAY-99"]),
        "sources",
        "unknown claim id 'PAY-99'",
        id="unknown-source",
    ),
    pytest.param(
        changed(citations={"pay.gross_monthly_usd": ["NOPE-1"]}),
        "citations.pay.gross_monthly_usd",
        "unknown claim id 'NOPE-1'",
        id="unknown-citation-id",
    ),
    pytest.param(
        changed(citations={"pay.gross": ["PAY-01"]}),
        "citations",
        "'pay.gross' is not an input of this scenario",
        id="citation-path-not-an-input",
    ),
    pytest.param(
        changed(citations={"diversion.nobody.share": ["PAY-01"]}),
        "citations",
        "'diversion.nobody.share' is not an input",
        id="citation-unknown-layer",
    ),
    pytest.param(
        changed(citations={"deployment.tour_months": ["PAY-01"]}),
        "citations",
        "'deployment.tour_months' is not an input",
        id="citation-of-an-unset-input",
    ),
    pytest.param(
        changed(citations={"pay.gross_monthly_usd": "PAY-01"}),
        "citations.pay.gross_monthly_usd",
        "must be an array",
        id="citation-not-a-list",
    ),
    # Absurd magnitudes.
    pytest.param(
        changed(deployment__troops=1e150),
        "deployment.troops",
        "and 10,000,000 (got 1e+150)",
        id="troops-1e150",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=1e300),
        "pay.gross_monthly_usd",
        "and 1,000,000 (got 1e+300)",
        id="gross-1e300",
    ),
    pytest.param(
        changed(deployment__months=12_000),
        "deployment.months",
        "and 1,200 (got",
        id="months-a-millennium",
    ),
    pytest.param(
        changed(pay__signing_bonus_usd=1e12),
        "pay.signing_bonus_usd",
        "and 100,000,000 (got",
        id="bonus-1e12",
    ),
    pytest.param(
        changed(deployment__troops=10**400),
        "deployment.troops",
        "too large to be a number",
        id="integer-of-400-digits",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 1, "p95": 1e300}),
        "pay.gross_monthly_usd",
        "the distribution reaches 1e+300",
        id="lognormal-p95-1e300",
    ),
    # A normal with no high reaches as far as its sd takes it: its mean (5) is small, but
    # its median is 0.674·10³⁰⁰ troops (half-normal), which overflowed every output.
    pytest.param(
        changed(deployment__troops={"kind": "normal", "mean": 5, "sd": 1e300, "low": 1}),
        "deployment.troops",
        "and 10,000,000 (the distribution reaches 1.95996e+300)",  # p95 = 1.96·sd
        id="normal-no-high-huge-sd",
    ),
    # Mean far below the truncation (10 sd, allowed): the values pile up just above low, at
    # a scale of sd²/(low − mean) = 10²⁹⁸.
    pytest.param(
        changed(deployment__months={"kind": "normal", "mean": -1e300, "sd": 1e299, "low": 1}),
        "deployment.months",
        "and 1,200 (the distribution reaches 2.9",
        id="normal-mean-far-below-low",
    ),
    # A lognormal spreads its draws over p95/p5: p5 = 10⁻³⁰⁰ with p95 = 10⁶ gives
    # σ = ln(10³⁰⁶)/3.29 = 214, and a draw 6.6 σ above the median is beyond 10³⁰⁸.
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 1e-300, "p95": 1e6}),
        "pay.gross_monthly_usd",
        "must be 0 or at least 1e-06: a smaller amount is a mistake (the distribution reaches "
        "down to 1e-300)",
        id="lognormal-p5-1e-300",
    ),
    pytest.param(
        changed(pay__delivered_share=uniform(1e-13, 1)),
        "pay.delivered_share",
        "must be 0 or at least 1e-12",
        id="uniform-share-from-below-the-smallest",
    ),
    # sd = 10³⁰⁷ between bounds 10⁻¹⁷ apart: the standardised bounds were subnormal and the
    # median came out as NaN (found by the property test of tests/test_testing.py).
    pytest.param(
        changed(
            deployment__monthly_death_rate={
                "kind": "normal",
                "mean": 0.2178881525738,
                "sd": 1.12e307,
                "low": 0.0,
                "high": 0.21788815257383348,
            }
        ),
        "deployment.monthly_death_rate",
        "more than a million times the width between low and high",
        id="normal-sd-dwarfs-its-bounds",
    ),
    # Beta(4·10¹⁵, 4·10¹⁶): scipy's quantiles are NaN (found by tests/test_testing.py).
    pytest.param(
        changed(pay__in_kind_share={"kind": "beta", "alpha": 4.3e15, "beta": 4.4e16}),
        "pay.in_kind_share.alpha",
        "must be less than or equal to 1000000 (got 4300000000000000.0)",
        id="beta-parameters-huge",
    ),
    # Every value subnormal: the diverted share came out as 1.5 (tests/test_testing.py).
    pytest.param(
        changed(pay__delivered_share=uniform(0, 5e-324)),
        "pay.delivered_share",
        "must be 0 or at least 1e-12: a smaller amount is a mistake (the distribution's values "
        "all lie below 4.94066e-324)",
        id="uniform-share-all-subnormal",
    ),
    # Weights whose running sum overflows: every draw took the last value.
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [1, 2], "weights": [1e308] * 2}),
        "deployment.troops",
        "weights must add up to a finite number",
        id="choice-weights-overflow",
    ),
    # A key with a line break stays on one line.
    pytest.param(
        changed(pay__gross_monthly_usd=2000, **{"pay__a\nb": 1}),
        "pay.'a\\nb'",
        "unknown key",
        id="key-with-line-break",
    ),
]


def _check_message(message: str, field: str, fragment: str) -> None:
    assert "\n" not in message
    assert field in message, message
    assert fragment in message, message


@pytest.mark.parametrize(("doc", "field", "fragment"), CASES)
def test_scenario_from_dict(doc: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc)
    _check_message(str(caught.value), field, fragment)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(("doc", "field", "fragment"), CASES)
def test_model_validate(doc: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ValidationError):
        pm.Scenario.model_validate(doc)


@pytest.mark.parametrize("fmt", ["toml", "json"])
@pytest.mark.parametrize(("doc", "field", "fragment"), CASES)
def test_load_file(
    doc: dict[str, Any], field: str, fragment: str, fmt: str, tmp_path: Path
) -> None:
    path = write_doc(tmp_path, doc, fmt)
    with pytest.raises(pm.ScenarioError) as caught:
        pm.load(path)
    message = str(caught.value)
    _check_message(message, field, fragment)
    assert message.startswith(f"{path}: "), message


@pytest.mark.parametrize("fmt", ["toml", "json"])
@pytest.mark.parametrize(("doc", "field", "fragment"), CASES)
def test_cli_run(doc: dict[str, Any], field: str, fragment: str, fmt: str, tmp_path: Path) -> None:
    path = write_doc(tmp_path, doc, fmt)
    status, out, err = run_cli(["run", str(path)])
    assert status == 2
    assert out == ""
    line = assert_one_line(err)
    assert line.startswith(f"paymodel: error: {path}: "), line
    assert field in line
    assert fragment in line


def test_the_table_is_large() -> None:
    assert len(CASES) >= 100


def test_typo_hint_also_names_what_is_allowed() -> None:
    with pytest.raises(pm.ScenarioError, match=r"allowed: high, kind, low\)"):
        scenario_from_dict(changed(deployment__troops={"kind": "uniform", "low": 1, "hgh": 5}))


def test_layer_is_named_in_the_message() -> None:
    doc = changed(diversion=[{"name": "treasury", "share": 0.5}, {"name": "army", "share": 2}])
    with pytest.raises(pm.ScenarioError, match=r"diversion\.1\.share \(layer 'army'\)"):
        scenario_from_dict(doc)


def test_several_problems_are_counted_on_the_same_line() -> None:
    doc = changed(deployment__troops=-1, deployment__months=-1)
    with pytest.raises(pm.ScenarioError, match=r"\[and 1 more problem\]$"):
        scenario_from_dict(doc)


def test_unknown_claim_is_an_unknown_claim_error() -> None:
    """The registry's own error class survives validation (it is also a LookupError)."""
    with pytest.raises(pm.UnknownClaimError) as caught:
        scenario_from_dict(changed(sources=["PAY-99"]))
    assert isinstance(caught.value, LookupError)
    assert "did you mean" in str(caught.value)


@pytest.mark.parametrize("document", [[1, 2], "name", 5, None])
def test_a_document_that_is_not_a_table(document: Any) -> None:
    with pytest.raises(pm.ScenarioFileError, match=r"^a scenario must be a table of keys \(got"):
        scenario_from_dict(document)
    with pytest.raises(pm.ScenarioFileError, match=r"^x\.json: a scenario must be a table"):
        scenario_from_dict(document, where="x.json")


def test_json_top_level_array(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    status, _, err = run_cli(["run", str(path)])
    assert status == 2
    assert "a scenario must be a table of keys (got an array)" in assert_one_line(err)


# Absurdly small positive values pass the domains (which have a ceiling, `limit`, but no
# floor above 0) and then overflow in the kernel: a RuntimeWarning on stderr, `Infinity` in
# `--json` output (not valid JSON), or subnormal arithmetic that breaks conservation.
TOO_SMALL = [
    pytest.param(
        changed(deployment__tour_months=5e-324),
        "deployment.tour_months",
        id="tour-subnormal-individuals-overflow",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_usd": 1e-320}),
        "baseline.domestic_monthly_wage_usd",
        id="wage-subnormal-multiple-overflow",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_kpw": 1e12, "kpw_per_usd": 1e-300}),
        "baseline.kpw_per_usd",
        id="rate-tiny-wage-overflow",
    ),
    pytest.param(
        changed(deployment__troops=5e-324),
        "deployment.troops",
        id="troops-subnormal-breaks-conservation",
    ),
]


@pytest.mark.parametrize(("doc", "field"), TOO_SMALL)
def test_absurdly_small_values_are_rejected(doc: dict[str, Any], field: str) -> None:
    with pytest.raises(pm.ScenarioError, match=field.replace(".", r"\.")):
        scenario_from_dict(doc)


@pytest.mark.parametrize(("doc", "field"), TOO_SMALL)
def test_absurdly_small_values_are_one_line_in_the_cli(
    doc: dict[str, Any], field: str, tmp_path: Path
) -> None:
    path = write_doc(tmp_path, doc, "json")
    status, _, err = run_cli(["run", "--json", str(path)])
    assert status == 2
    assert field in assert_one_line(err)


# -- files that are not scenarios ----------------------------------------------------------

_WORKED = 'name = "x"\n[pay]\ngross_monthly_usd = 2000\n[deployment]\ntroops = 1\nmonths = 1\n'

FILES = [
    pytest.param("empty.toml", b"", "file is empty", id="empty"),
    pytest.param("blank.toml", b"  \n\t\r\n   \n", "file is empty", id="whitespace-only"),
    pytest.param("blank.json", b"\n\n", "file is empty", id="whitespace-only-json"),
    pytest.param(
        "noise.toml",
        bytes([0xFF, 0xFE]) + random.Random(0).randbytes(4096),  # noqa: S311 - not a secret
        "not UTF-8 text",
        id="random-bytes",
    ),
    pytest.param(
        "picture.toml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        "not UTF-8 text",
        id="png-header",
    ),
    pytest.param("nul.toml", b'name = "x"\x00\n', "contains NUL bytes", id="nul-byte"),
    pytest.param(
        "cut.toml",
        b'name = "x"\n[pay]\ngross_monthly_usd = 2000\n[deploym',
        "invalid TOML",
        id="truncated-toml",
    ),
    pytest.param(
        "cut2.toml",
        b'name = "x"\n[pay]\ngross_monthly_usd = { kind = "uniform", low = 1,',
        "invalid TOML",
        id="truncated-inline-table",
    ),
    pytest.param("cut.json", b'{"name": "x", "pay": {', "invalid JSON at line 1", id="bad-json"),
    pytest.param("trail.json", b'{"name": "x",}', "invalid JSON", id="trailing-comma-json"),
    pytest.param(
        "twice.toml", b'name = "x"\nname = "y"\n', "invalid TOML", id="duplicate-key-toml"
    ),
    pytest.param(
        "twice.json",
        b'{"name": "x", "name": "y", "pay": {"gross_monthly_usd": 1},'
        b' "deployment": {"troops": 1, "months": 1}}',
        "the key 'name' appears twice",
        id="duplicate-key-json",
    ),
    pytest.param(
        "big.toml",
        (b"# padding\n" * (MAX_FILE_BYTES // 10 + 1)) + _WORKED.encode(),
        f"larger than {MAX_FILE_BYTES:,} bytes",
        id="just-over-the-limit",
    ),
    pytest.param("deep.toml", b"x = " + b"[" * 100_000, "nested too deeply", id="deep-toml"),
    pytest.param(
        "deep2.toml", b"x = " + b"{ a = " * 100_000, "nested too deeply", id="deep-toml-tables"
    ),
    pytest.param("deep.json", b"[" * 100_000, "nested too deeply", id="deep-json"),
    pytest.param("deep2.json", b'{"a": ' * 100_000, "nested too deeply", id="deep-json-objects"),
    pytest.param(
        "digits.json",
        b'{"name": "x", "pay": {"gross_monthly_usd": ' + b"9" * 5000 + b"}}",
        "too many digits",
        id="integer-too-long-json",
    ),
    pytest.param(
        "digits.toml",
        b'name = "x"\n[pay]\ngross_monthly_usd = ' + b"9" * 5000 + b"\n",
        "too many digits",
        id="integer-too-long-toml",
    ),
    pytest.param(
        "huge.json",
        b'{"name": "x", "pay": {"gross_monthly_usd": 1e400},'
        b' "deployment": {"troops": 1, "months": 1}}',
        "pay.gross_monthly_usd: must be a finite number",
        id="float-overflow-json",
    ),
    pytest.param(
        "infinity.json",
        b'{"name": "x", "pay": {"gross_monthly_usd": 1},'
        b' "deployment": {"troops": Infinity, "months": 1}}',
        "deployment.troops: must be a finite number (got inf)",
        id="json-infinity-constant",
    ),
    pytest.param(
        "notanumber.json",
        b'{"name": "x", "pay": {"gross_monthly_usd": NaN},'
        b' "deployment": {"troops": 1, "months": 1}}',
        "pay.gross_monthly_usd: must be a finite number (got nan)",
        id="json-nan-constant",
    ),
    pytest.param(
        "date.toml",
        b'name = "x"\n[pay]\ngross_monthly_usd = 2024-10-31\n'
        b"[deployment]\ntroops = 1\nmonths = 1\n",
        "pay.gross_monthly_usd: must be a number (got a date",
        id="toml-date-for-number",
    ),
]


@pytest.mark.parametrize(("name", "content", "fragment"), FILES)
def test_bad_file_api(name: str, content: bytes, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(pm.ScenarioError) as caught:
        pm.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    assert fragment in message, message


@pytest.mark.parametrize(("name", "content", "fragment"), FILES)
def test_bad_file_cli(name: str, content: bytes, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    status, out, err = run_cli(["run", str(path)])
    assert status == 2
    assert out == ""
    line = assert_one_line(err)
    assert line.startswith(f"paymodel: error: {path}: "), line
    assert fragment in line, line


def test_just_at_the_limit_is_read(tmp_path: Path) -> None:
    padding = b"#" * (MAX_FILE_BYTES - len(_WORKED) - 1) + b"\n"
    path = tmp_path / "full.toml"
    path.write_bytes(padding + _WORKED.encode())
    assert path.stat().st_size == MAX_FILE_BYTES
    assert pm.load(path).name == "x"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    for suffix, text in (("toml", _WORKED), ("json", json.dumps(changed(name="x")))):
        path = tmp_path / f"bom.{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        assert pm.load(path).name == "x"


def test_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(pm.ScenarioFileError, match="is a directory"):
        pm.load(folder)
    status, _, err = run_cli(["run", str(folder)])
    assert status == 2
    assert f"{folder}: is a directory, not a scenario file" in assert_one_line(err)


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(pm.ScenarioFileError, match="no such file"):
        load_scenario_file(missing)
    with pytest.raises(pm.UnknownScenarioError, match="neither a built-in scenario nor"):
        pm.load(missing)
    status, _, err = run_cli(["run", str(missing)])
    assert status == 2
    assert "is neither a built-in scenario nor an existing file" in assert_one_line(err)


def test_an_unknown_builtin_name_gets_a_hint() -> None:
    with pytest.raises(pm.UnknownScenarioError, match="did you mean 'nis-estimate'"):
        pm.load("nis-estimat")
    status, _, err = run_cli(["run", "nis-estimat"])
    assert status == 2
    line = assert_one_line(err)
    assert "'nis-estimat' is neither a built-in scenario nor an existing file" in line
    assert "did you mean 'nis-estimate'?" in line
    assert "independent-90" in line  # the built-ins are listed


def test_a_file_name_with_a_nul_character() -> None:
    with pytest.raises(pm.ScenarioFileError, match="not a valid file name"):
        load_scenario_file("bad\x00name.toml")
    status, _, err = run_cli(["run", "bad\x00name.toml"])
    assert status == 2
    assert "bad\\x00name.toml" in assert_one_line(err)


def test_a_file_name_too_long_for_the_file_system_cli() -> None:
    status, _, err = run_cli(["run", "a" * 5000])
    assert status == 2
    assert "cannot read" in assert_one_line(err)


def test_a_file_name_too_long_for_the_file_system_api() -> None:
    with pytest.raises(pm.ScenarioError):
        pm.load("a" * 5000)


def test_load_scenario_file_reports_an_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.toml"
    path.write_text(_WORKED)

    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(pm.ScenarioFileError, match=r"locked\.toml: cannot read \(Permission"):
        load_scenario_file(path)
    status, _, err = run_cli(["run", str(path)])
    assert status == 2
    assert "cannot read (Permission denied)" in assert_one_line(err)


# -- whatever the document, one line ----------------------------------------------------------

_KEYS = sorted(
    {
        *pm.Scenario.model_fields,
        *pm.Pay.model_fields,
        *pm.Layer.model_fields,
        *pm.Deployment.model_fields,
        *pm.Baseline.model_fields,
        "kind",
        "low",
        "high",
        "mode",
        "mean",
        "sd",
        "p5",
        "p95",
        "alpha",
        "beta",
        "values",
        "weights",
        "uniform",
        "number",
    }
)
_PARAMETERS = (
    "low",
    "high",
    "mode",
    "mean",
    "sd",
    "p5",
    "p95",
    "alpha",
    "beta",
    "values",
    "weights",
)
_KINDS = ["uniform", "triangular", "pert", "normal", "lognormal", "beta", "choice", "gamma"]
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([0, -1, 1e300, 0.5])
    | st.sampled_from([400, 5000]).map(lambda digits: 10**digits)
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(_KINDS)
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=4)
        | st.fixed_dictionaries(
            {"kind": st.sampled_from(_KINDS)},
            optional=dict.fromkeys(_PARAMETERS, inner),
        )
    ),
    max_leaves=12,
)
_PLACES = [(), ("pay",), ("deployment",), ("baseline",), ("diversion", 0)]


@given(
    place=st.sampled_from(_PLACES),
    key=st.sampled_from(_KEYS) | st.text(max_size=6),
    value=_VALUES,
)
def test_any_document_is_a_scenario_or_one_line(
    place: tuple[Any, ...], key: str, value: Any
) -> None:
    doc = copy.deepcopy(BASE)
    doc.setdefault("baseline", {})
    node: Any = doc
    for part in place:
        node = node[part]
    node[key] = value
    try:
        scenario = scenario_from_dict(doc, where="x.toml")
    except pm.ScenarioError as error:
        message = str(error)
        assert message.startswith("x.toml: ")
        assert "\n" not in message
        assert len(message) < 2000
    else:
        pm.compute(scenario)  # a scenario that validates also computes


def test_error_tree() -> None:
    """errors.py's tree: every bad-input error is a ScenarioError and a ValueError."""
    for cls in (pm.ScenarioFileError, pm.UnknownScenarioError, pm.UnknownClaimError):
        assert issubclass(cls, pm.ScenarioError)
        assert issubclass(cls, ValueError)
        assert issubclass(cls, pm.PaymodelError)
    assert issubclass(pm.UnknownScenarioError, LookupError)
    assert issubclass(pm.UnknownClaimError, LookupError)
