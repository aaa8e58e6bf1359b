"""Bad input: every problem is one line that names the field (or the file) and the rule.

One table of (scenario document, field, message fragment), exercised three ways: the Python
API (:func:`paymodel.files.scenario_from_dict` and ``pm.Scenario.model_validate``), a TOML or
JSON file through :func:`paymodel.load`, and ``paymodel run FILE``. Then files that are not
scenarios at all: empty, binary, truncated, too large, too deep, directories, missing.
"""

from __future__ import annotations

import contextlib
import copy
import html.parser
import inspect
import io
import json
import math
import random
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import paymodel as pm
from helpers import WAVES, bad, run
from paymodel import contingents, edits, inputs, measures, sampling, workers
from paymodel.checks import check_files, load_checks
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


def correlated(correlations: Any) -> dict[str, Any]:
    """BASE with troops and months uncertain, and the ``correlations`` given."""
    return changed(
        deployment={"troops": uniform(1, 5), "months": uniform(1, 5)}, correlations=correlations
    )


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
        "must be greater than or equal to 1e-300 (got 0)",
        id="beta-alpha-zero",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "beta", "alpha": 2, "beta": -1}),
        "pay.delivered_share.beta",
        "must be greater than or equal to 1e-300 (got -1)",
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
    pytest.param(
        changed(diversion=layer(name=" State Transfer ", share=0.5)),
        "diversion",
        "reserved for the state transfers; set pay.state_transfer_monthly_usd instead",
        id="layer-named-state-transfer",
    ),
    pytest.param(
        changed(pay__state_transfer_monthly_usd=-1),
        "pay.state_transfer_monthly_usd",
        "",
        id="negative-state-transfer",
    ),
    pytest.param(
        changed(pay__state_transfer_monthly_usd=uniform(-5, 5)),
        "pay.state_transfer_monthly_usd",
        "",
        id="state-transfer-distribution-below-zero",
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
        "'pay.gross' is not an input of this scenario; did you mean 'pay.gross_monthly_usd'?",
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
    # Reasons for assumptions: one line, at most 200 characters, for an input of the scenario.
    pytest.param(
        changed(assumptions={"pay.gross": "a typo"}),
        "assumptions",
        "'pay.gross' is not an input of this scenario; did you mean 'pay.gross_monthly_usd'?",
        id="assumption-path-not-an-input",
    ),
    pytest.param(
        changed(assumptions={"diversion.nobody.share": "no such layer"}),
        "assumptions",
        "'diversion.nobody.share' is not an input",
        id="assumption-unknown-layer",
    ),
    pytest.param(
        changed(assumptions={"deployment.tour_months": "left out, so at its default"}),
        "assumptions",
        "'deployment.tour_months' is not an input",
        id="assumption-of-an-unset-input",
    ),
    pytest.param(
        changed(
            assumptions={
                "diversion.0.share": "by index",
                "diversion.state treasury.share": "by name",
            }
        ),
        "assumptions",
        "are the same input; give one reason for it",
        id="assumption-given-twice",
    ),
    pytest.param(
        changed(assumptions={"deployment.months": "one year\nand a second line"}),
        "assumptions.deployment.months",
        "must be one line without control characters",
        id="assumption-of-two-lines",
    ),
    pytest.param(
        changed(assumptions={"deployment.months": "   "}),
        "assumptions.deployment.months",
        "must not be blank",
        id="assumption-blank",
    ),
    pytest.param(
        changed(assumptions={"deployment.months": "x" * 201}),
        "assumptions.deployment.months",
        "at most 200 characters",
        id="assumption-too-long",
    ),
    pytest.param(
        changed(assumptions={"deployment.months": 12}),
        "assumptions.deployment.months",
        "must be text (got an integer 12)",
        id="assumption-not-text",
    ),
    pytest.param(
        changed(assumptions=["deployment.months"]),
        "assumptions",
        "must be a table",
        id="assumptions-not-a-table",
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
    # More wrong types: text fields, lists of claim ids, JSON's null.
    pytest.param(
        changed(title=5), "title", "must be text (got an integer 5)", id="number-for-title"
    ),
    pytest.param(
        changed(description=["a"]), "description", "must be text (got an array", id="list-for-text"
    ),
    pytest.param(
        changed(diversion=layer(name=5, share=0.5)),
        "diversion.0.name",
        "must be text (got an integer 5)",
        id="number-for-layer-name",
    ),
    pytest.param(changed(sources=[5]), "sources.0", "must be text", id="number-for-claim-id"),
    pytest.param(
        changed(citations={"pay.gross_monthly_usd": [5]}),
        "citations.pay.gross_monthly_usd.0",
        "must be text",
        id="number-in-citations",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "uniform", "low": "1", "high": 5}),
        "deployment.troops.low",
        "must be a number (got a string '1')",
        id="string-for-distribution-parameter",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": "1,2"}),
        "deployment.troops.values",
        "must be an array",
        id="string-for-choice-values",
    ),
    # More negative and zero values where they are not allowed.
    pytest.param(
        changed(deployment__months=-3),
        "deployment.months",
        "must be between 0.0333 and 1,200 (got -3)",
        id="months-negative",
    ),
    pytest.param(
        changed(deployment__tour_months=-1),
        "deployment.tour_months",
        "must be between 0.0333 and 1,200 (got -1)",
        id="tour-negative",
    ),
    pytest.param(
        changed(deployment__monthly_death_rate=-0.1),
        "deployment.monthly_death_rate",
        "must be between 0 and 1 (got -0.1)",
        id="death-rate-negative",
    ),
    pytest.param(
        changed(pay__death_benefit_usd=-5),
        "pay.death_benefit_usd",
        "must be between 0 and 100,000,000 (got -5)",
        id="death-benefit-negative",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_kpw": 0, "kpw_per_usd": 100}),
        "baseline.domestic_monthly_wage_kpw",
        "must be between 1 and 1,000,000,000,000 (got 0)",
        id="won-wage-zero",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_kpw": 10, "kpw_per_usd": 0}),
        "baseline.kpw_per_usd",
        "must be between 1 and 1,000,000,000 (got 0)",
        id="rate-zero",
    ),
    pytest.param(
        changed(deployment__troops=uniform(-100, 100)),
        "deployment.troops",
        "values span [-100, 100]",
        id="uniform-troops-negative",
    ),
    # More shares above 1.
    pytest.param(
        changed(pay__in_kind_share=1.5),
        "pay.in_kind_share",
        "must be between 0 and 1 (got 1.5)",
        id="in-kind-share-above-1",
    ),
    pytest.param(
        changed(pay__delivered_share=uniform(0.5, 1.5)),
        "pay.delivered_share",
        "values span [0.5, 1.5], but the field must be between 0 and 1",
        id="share-distribution-above-1",
    ),
    pytest.param(
        changed(diversion=layer(name="a", share={"kind": "choice", "values": [0.9, 1.1]})),
        "diversion.0.share",
        "values span [0.9, 1.1]",
        id="share-choice-above-1",
    ),
    # NaN and infinity inside distributions and correlations.
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "normal", "mean": 1, "sd": math.nan, "low": 0}),
        "pay.gross_monthly_usd.sd",
        "must be a finite number (got nan)",
        id="nan-sd",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 1, "p95": math.inf}),
        "pay.gross_monthly_usd.p95",
        "must be a finite number (got inf)",
        id="inf-p95",
    ),
    pytest.param(
        changed(
            pay__gross_monthly_usd={"kind": "triangular", "low": 1, "mode": math.nan, "high": 9}
        ),
        "pay.gross_monthly_usd.mode",
        "must be a finite number (got nan)",
        id="nan-mode",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "choice", "values": [1, 2], "weights": [1, math.inf]}),
        "deployment.troops.weights.1",
        "must be a finite number (got inf)",
        id="inf-weight",
    ),
    pytest.param(
        changed(pay__delivered_share={"kind": "beta", "alpha": math.nan, "beta": 1}),
        "pay.delivered_share.alpha",
        "must be a finite number (got nan)",
        id="nan-beta-alpha",
    ),
    pytest.param(
        correlated([{"between": ["deployment.troops", "deployment.months"], "rank": math.nan}]),
        "correlations.0.rank",
        "must be a finite number (got nan)",
        id="nan-rank",
    ),
    # Reversed bounds, more kinds.
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "triangular", "low": 10, "mode": 5, "high": 1}),
        "pay.gross_monthly_usd",
        "low must be less than high (got low=10, high=1)",
        id="triangular-reversed",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "normal", "mean": 5, "sd": 1, "low": 9, "high": 1}),
        "pay.gross_monthly_usd",
        "low must be less than high (got low=9, high=1)",
        id="normal-reversed-money",
    ),
    # Unknown keys at the remaining levels: a correlation, another kind's parameter.
    pytest.param(
        correlated(
            [{"between": ["deployment.troops", "deployment.months"], "rank": 0.5, "rnak": 1}]
        ),
        "correlations.0.rnak",
        "unknown key; did you mean 'rank'? (allowed: between, rank)",
        id="typo-correlation",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "lognormal", "p5": 1, "p95": 10, "low": 1}),
        "pay.gross_monthly_usd.low",
        "unknown key (allowed: kind, p5, p95)",
        id="another-kinds-parameter",
    ),
    # Correlations that cannot be.
    pytest.param(
        correlated([{"between": ["deployment.troops", "deployment.troops"], "rank": 0.5}]),
        "correlations.0",
        "an input cannot be correlated with itself",
        id="self-correlation",
    ),
    pytest.param(
        correlated([{"between": ["deployment.troops", "pay.gross_monthly_usd"], "rank": 0.5}]),
        "correlations.0",
        "'pay.gross_monthly_usd' is not an uncertain input",
        id="correlation-with-a-number",
    ),
    pytest.param(
        correlated([{"between": ["deployment.troops", "deployment.months"], "rank": 1.5}]),
        "correlations.0.rank",
        "must be less than or equal to 1 (got 1.5)",
        id="rank-above-1",
    ),
    pytest.param(
        correlated(
            [
                {"between": ["deployment.troops", "deployment.months"], "rank": 0.5},
                {"between": ["deployment.months", "deployment.troops"], "rank": 0.2},
            ]
        ),
        "correlations.1",
        "appears twice",
        id="correlation-twice",
    ),
    pytest.param(
        changed(
            deployment={
                "troops": uniform(1, 5),
                "months": uniform(1, 5),
                "tour_months": uniform(1, 5),
            },
            correlations=[
                {"between": ["deployment.troops", "deployment.months"], "rank": 0.9},
                {"between": ["deployment.months", "deployment.tour_months"], "rank": 0.9},
                {"between": ["deployment.troops", "deployment.tour_months"], "rank": -0.9},
            ],
        ),
        "correlations",
        "cannot hold together (the matrix is not positive semi-definite",
        id="correlations-impossible",
    ),
    pytest.param(
        correlated([{"between": "deployment.troops", "rank": 0.5}]),
        "correlations.0.between",
        "must be an array",
        id="correlation-not-a-pair",
    ),
    # More absurd magnitudes, every field that would overflow.
    pytest.param(
        changed(pay__gross_monthly_usd=1e308),
        "pay.gross_monthly_usd",
        "and 1,000,000 (got 1e+308)",
        id="gross-1e308",
    ),
    pytest.param(
        changed(deployment__troops=10**30),
        "deployment.troops",
        "and 10,000,000 (got 1e+30)",
        id="troops-integer-1e30",
    ),
    pytest.param(
        changed(deployment__months=1e150),
        "deployment.months",
        "and 1,200 (got 1e+150)",
        id="months-1e150",
    ),
    pytest.param(
        changed(diversion=layer(name="q", quota_monthly_usd=1e150)),
        "diversion.0.quota_monthly_usd (layer 'q')",
        "and 1,000,000 (got 1e+150)",
        id="quota-1e150",
    ),
    pytest.param(
        changed(pay__death_benefit_usd=1e150),
        "pay.death_benefit_usd",
        "and 100,000,000 (got 1e+150)",
        id="death-benefit-1e150",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_usd": 1e150}),
        "baseline.domestic_monthly_wage_usd",
        "and 1,000,000 (got 1e+150)",
        id="wage-1e150",
    ),
    pytest.param(
        changed(baseline={"domestic_monthly_wage_kpw": 1e6, "kpw_per_usd": 1e300}),
        "baseline.kpw_per_usd",
        "and 1,000,000,000 (got 1e+300)",
        id="rate-1e300",
    ),
    pytest.param(
        changed(deployment__troops={"kind": "triangular", "low": 1, "mode": 2, "high": 1e150}),
        "deployment.troops",
        "(the distribution reaches 1e+150)",
        id="triangular-troops-1e150",
    ),
    # [currency] (DESIGN §7): an ISO code other than USD, and a positive finite rate.
    *(
        pytest.param(
            changed(currency={"code": code, "per_usd": 1395}),
            "currency.code",
            "must be an ISO 4217 code, three capital letters A-Z such as KRW",
            id=f"currency-code-{code or 'empty'}",
        )
        for code in ("krw", "KRWX", "K1W", "KR", "", "Krw", "ÄRW")
    ),
    pytest.param(
        changed(currency={"code": "USD", "per_usd": 1}),
        "currency.code",
        "must not be USD: every amount is in dollars already",
        id="currency-usd",
    ),
    pytest.param(
        changed(currency={"code": 410, "per_usd": 1395}),
        "currency.code",
        "must be text",
        id="currency-code-number",
    ),
    *(
        pytest.param(
            changed(currency={"code": "KRW", "per_usd": rate}),
            "currency.per_usd",
            fragment,
            id=f"currency-rate-{rate}",
        )
        for rate, fragment in (
            (0, "must be between 1e-06 and 1,000,000,000 (got 0)"),
            (-1395, "must be between 1e-06 and 1,000,000,000 (got -1395)"),
            (math.nan, "must be a finite number"),
            (math.inf, "must be a finite number"),
            (1e12, "must be between 1e-06 and 1,000,000,000 (got 1e+12)"),
            ("1395", "must be a number"),
        )
    ),
    pytest.param(
        changed(currency={"code": "KRW", "per_usd": uniform(0, 1500)}),
        "currency.per_usd",
        "but the field must be between 1e-06 and 1,000,000,000",
        id="currency-rate-uniform-from-0",
    ),
    pytest.param(
        changed(
            currency={
                "code": "KRW",
                "per_usd": {"kind": "mixture", "of": [1395, uniform(-5, 1500)]},
            }
        ),
        "currency.per_usd.of[1]",
        "but the field must be between 1e-06 and 1,000,000,000",
        id="currency-rate-mixture-component",
    ),
    pytest.param(
        changed(currency={"code": "KRW"}),
        "currency.per_usd",
        "required",
        id="currency-rate-missing",
    ),
    pytest.param(
        changed(currency={"code": "KRW", "per_usd": 1395, "rate": 1}),
        "currency.rate",
        "",
        id="currency-unknown-key",
    ),
    pytest.param(
        changed(currency="KRW=1395"),
        "currency",
        "must be a table",
        id="currency-not-a-table",
    ),
]


#: JSON's null (TOML has no null): checked through the API and JSON files only.
NULLS = [
    pytest.param(
        changed(pay__gross_monthly_usd=None),
        "pay.gross_monthly_usd",
        "must be a number (got null)",
        id="null-for-number",
    ),
    pytest.param(
        changed(deployment__replace_losses=None),
        "deployment.replace_losses",
        "must be true or false (got null)",
        id="null-for-bool",
    ),
    pytest.param(changed(name=None), "name", "must be text (got null)", id="null-for-name"),
    pytest.param(changed(pay=None), "pay", "must be a table (got null)", id="null-for-table"),
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


@pytest.mark.parametrize(("doc", "field", "fragment"), CASES)
def test_constructor(doc: dict[str, Any], field: str, fragment: str) -> None:
    """``pm.Scenario(...)`` gives the same one line as a file, without the file's name."""
    with pytest.raises(pm.ScenarioError) as caught:
        pm.Scenario(**doc)
    with pytest.raises(pm.ScenarioError) as from_file:
        scenario_from_dict(doc)
    assert str(caught.value) == str(from_file.value)
    assert type(caught.value) is type(from_file.value)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: pm.Pay(gross_monthly_usd=-1),
            "gross_monthly_usd: must be between 0 and 1,000,000 (got -1)",
        ),
        (
            lambda: pm.Layer(name="state", shar=0.9),
            "shar: unknown key; did you mean 'share'? (allowed: name, quota_monthly_usd, share)",
        ),
        (
            lambda: pm.Deployment(troops=pm.Uniform(low=1, high=5), months=0),
            "months: must be between 0.0333 and 1,200 (got 0)",
        ),
        (lambda: pm.Uniform(low=2, high=1), "low must be less than high (got low=2, high=1)"),
        (
            lambda: pm.Correlation(between=["a", "b"], rank=2),
            "rank: must be less than or equal to 1 (got 2)",
        ),
        (
            lambda: pm.Baseline(kpw_per_usd=18_000),
            "give domestic_monthly_wage_kpw and kpw_per_usd together",
        ),
        (
            lambda: pm.Pay(gross_monthly_usd=1).evolve(delivered_share=2),
            "delivered_share: must be between 0 and 1 (got 2)",
        ),
    ],
)
def test_every_model_constructor_gives_one_line(build: Any, message: str) -> None:
    with pytest.raises(pm.ScenarioError) as caught:
        build()
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


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
    status, out, err = run("run", str(path))
    assert status == 2
    assert out == ""
    line = assert_one_line(err)
    assert line.startswith(f"paymodel: error: {path}: "), line
    assert field in line
    assert fragment in line


@pytest.mark.parametrize(("doc", "field", "fragment"), NULLS)
def test_null(doc: dict[str, Any], field: str, fragment: str, tmp_path: Path) -> None:
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc)
    _check_message(str(caught.value), field, fragment)
    path = write_doc(tmp_path, doc, "json")
    status, out, err = run("run", str(path))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert line.startswith(f"paymodel: error: {path}: {field}: "), line
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
    with pytest.raises(pm.ScenarioError, match=r"\[and 1 more problem; --debug lists them\]$"):
        scenario_from_dict(doc)


def test_every_problem_is_kept_one_a_line() -> None:
    doc = changed(deployment__troops=-1, deployment__months=-1)
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc, where="s.toml")
    assert caught.value.problems == (
        "s.toml: deployment.troops: must be between 1 and 10,000,000 (got -1)",
        "s.toml: deployment.months: must be between 0.0333 and 1,200 (got -1)",
    )
    assert str(caught.value).startswith(caught.value.problems[0])
    with pytest.raises(pm.ScenarioError) as single:
        scenario_from_dict(changed(deployment__troops=-1))
    assert single.value.problems == ()  # one problem: the message is all of it


def test_debug_lists_every_problem_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "two.toml"
    path.write_text(
        'name = "two"\n[pay]\ngross_monthly_usd = -5\n[deployment]\ntroops = -3\nmonths = 12\n',
        encoding="utf-8",
    )
    first = f"{path}: pay.gross_monthly_usd: must be between 0 and 1,000,000 (got -5)"
    second = f"{path}: deployment.troops: must be between 1 and 10,000,000 (got -3)"
    # Without --debug: one line, saying how to see the others.
    assert bad("run", str(path)) == (
        f"paymodel: error: {first} [and 1 more problem; --debug lists them]"
    )
    # With --debug: every problem, one a line, then the traceback.
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(pm.ScenarioError):
        main(["run", str(path), "--debug"], stdout=out, stderr=err)
    assert err.getvalue() == f"paymodel: problem: {first}\npaymodel: problem: {second}\n"


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
    status, _, err = run("run", str(path))
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
    pytest.param(
        # A value typed into a choice (or a mixture) is held to the field's smallest amount,
        # as a plain number is: 10⁻⁹ $ is a mistake, not a draw that rounds to 0.
        changed(pay__death_benefit_usd={"kind": "choice", "values": [0, 1e-9, 5000]}),
        "pay.death_benefit_usd",
        id="choice-value-in-the-gap",
    ),
    pytest.param(
        changed(pay__death_benefit_usd={"kind": "mixture", "of": [0, 1e-9]}),
        "pay.death_benefit_usd.of[1]",
        id="mixture-component-in-the-gap",
    ),
]


@pytest.mark.parametrize(("doc", "field"), TOO_SMALL)
def test_absurdly_small_values_are_rejected(doc: dict[str, Any], field: str) -> None:
    with pytest.raises(pm.ScenarioError, match=re.escape(field)):
        scenario_from_dict(doc)


@pytest.mark.parametrize(("doc", "field"), TOO_SMALL)
def test_absurdly_small_values_are_one_line_in_the_cli(
    doc: dict[str, Any], field: str, tmp_path: Path
) -> None:
    path = write_doc(tmp_path, doc, "json")
    status, _, err = run("run", "--json", str(path))
    assert status == 2
    assert field in assert_one_line(err)


# -- files that are not scenarios ----------------------------------------------------------

_WORKED = 'name = "x"\n[pay]\ngross_monthly_usd = 2000\n[deployment]\ntroops = 1\nmonths = 1\n'

FILES = [
    pytest.param(
        "empty.toml", b"", "file is empty (`paymodel init FILE` writes a start)", id="empty"
    ),
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
    # TOML spells infinity and NaN with signs too.
    pytest.param(
        "plusinf.toml",
        _WORKED.replace("troops = 1\n", "troops = +inf\n").encode(),
        "deployment.troops: must be a finite number (got inf)",
        id="toml-plus-inf",
    ),
    pytest.param(
        "minusnan.toml",
        _WORKED.replace("gross_monthly_usd = 2000", "gross_monthly_usd = -nan").encode(),
        "pay.gross_monthly_usd: must be a finite number (got nan)",
        id="toml-minus-nan",
    ),
    pytest.param(
        "nanparameter.toml",
        _WORKED.replace(
            "troops = 1\n", 'troops = { kind = "uniform", low = 1, high = +nan }\n'
        ).encode(),
        "deployment.troops.high: must be a finite number (got nan)",
        id="toml-nan-in-a-distribution",
    ),
    pytest.param(
        "exponent.toml",
        _WORKED.replace("troops = 1\n", "troops = 1e150\n").encode(),
        "deployment.troops: must be between 1 and 10,000,000 (got 1e+150)",
        id="toml-1e150-troops",
    ),
    pytest.param(
        "overflow.toml",
        _WORKED.replace("months = 1\n", "months = 1e999\n").encode(),
        "deployment.months: must be a finite number (got inf)",
        id="toml-float-overflow",
    ),
    # Encodings that are not UTF-8, and a JSON document that is not a table.
    pytest.param("utf16.toml", _WORKED.encode("utf-16"), "not UTF-8 text (byte 0)", id="utf-16"),
    pytest.param(
        "latin1.toml",
        'name = "Pyongyang caf\xe9"\n'.encode("latin-1"),
        "not UTF-8 text",
        id="latin-1",
    ),
    pytest.param("string.json", b'"a scenario"', "a scenario must be a table", id="json-string"),
    pytest.param(
        "null.json", b"null", "a scenario must be a table of keys (got nothing)", id="json-null"
    ),
    # Duplicate tables and keys in TOML, unknown keys in a table header.
    pytest.param(
        "twotables.toml",
        b'name = "x"\n[pay]\ngross_monthly_usd = 1\n[pay]\ndelivered_share = 1\n',
        "invalid TOML",
        id="toml-table-twice",
    ),
    pytest.param(
        "header.toml",
        _WORKED.encode() + b"[paymnet]\ngross_monthly_usd = 1\n",
        "paymnet: unknown key; did you mean 'pay'?",
        id="toml-unknown-table",
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
    status, out, err = run("run", str(path))
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
    status, _, err = run("run", str(folder))
    assert status == 2
    assert f"{folder}: is a directory, not a scenario file" in assert_one_line(err)


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(pm.ScenarioFileError, match="no such file"):
        load_scenario_file(missing)
    with pytest.raises(pm.UnknownScenarioError, match="neither a built-in scenario nor"):
        pm.load(missing)
    status, _, err = run("run", str(missing))
    assert status == 2
    assert "is neither a built-in scenario nor an existing file" in assert_one_line(err)


def test_an_unknown_builtin_name_gets_a_hint() -> None:
    with pytest.raises(pm.UnknownScenarioError, match="did you mean 'nis-estimate'"):
        pm.load("nis-estimat")
    status, _, err = run("run", "nis-estimat")
    assert status == 2
    line = assert_one_line(err)
    assert "'nis-estimat' is neither a built-in scenario nor an existing file" in line
    assert "did you mean 'nis-estimate'?" in line
    assert "independent-90" in line  # the built-ins are listed


def test_an_unknown_builtin_name_is_shown_cut() -> None:
    # A 10,000-character name is not repeated whole: shown_name cuts it to 120 characters.
    for name in ("a" * 10_000, "\x1b[2J" * 2_000):
        with pytest.raises(pm.UnknownScenarioError) as caught:
            pm.builtin(name)
        message = assert_one_line(f"{caught.value}\n")
        assert message.startswith("'")
        assert "…" in message
        assert "is neither a built-in scenario nor an existing file" in message
        assert len(message) < 400
        _terminal_safe(message)


def test_a_file_name_with_a_nul_character() -> None:
    with pytest.raises(pm.ScenarioFileError, match="not a valid file name"):
        load_scenario_file("bad\x00name.toml")
    status, _, err = run("run", "bad\x00name.toml")
    assert status == 2
    assert "bad\\x00name.toml" in assert_one_line(err)


def test_a_file_name_too_long_for_the_file_system_cli() -> None:
    status, _, err = run("run", "a" * 5000)
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
    status, _, err = run("run", str(path))
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


# -- a 100 MB file ------------------------------------------------------------------------------


def _hundred_megabytes(path: Path, start: bytes) -> Path:
    """A 100 MB file beginning with ``start`` (sparse: the rest reads as zero bytes)."""
    with path.open("wb") as handle:
        handle.write(start)
        handle.truncate(100 * 2**20)
    return path


@pytest.mark.parametrize("name", ["huge.toml", "huge.json"])
def test_a_100_megabyte_scenario_file(name: str, tmp_path: Path) -> None:
    path = _hundred_megabytes(tmp_path / name, _WORKED.encode())
    assert path.stat().st_size == 100 * 2**20
    with pytest.raises(pm.ScenarioFileError, match=r"larger than 1,000,000 bytes"):
        pm.load(path)
    for command in (["run"], ["explain"], ["simulate", "--samples", "10"], ["timeline"]):
        status, out, err = run(*command, str(path))
        assert (status, out) == (2, ""), command
        assert f"{path}: file is larger than 1,000,000 bytes" in assert_one_line(err)


def test_a_100_megabyte_check_file(tmp_path: Path) -> None:
    path = _hundred_megabytes(tmp_path / "huge.check.toml", _CHECK.encode())
    with pytest.raises(pm.CheckFileError, match=r"larger than 1,000,000 bytes; a scenario test"):
        load_checks(path)
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    assert "file is larger than 1,000,000 bytes" in assert_one_line(err)


# -- bad scenario test files (paymodel check) ------------------------------------------------------

#: A valid check file: every bad one below changes one thing of it.
_CHECK = (
    '[[case]]\nname = "c"\nscenario = "nis-estimate"\n'
    # 11,000 × 2,000 × 12 = 264,000,000
    "[case.expected]\npaid_usd = 264e6\n"
)


def _check_with(**replacements: str) -> bytes:
    text = _CHECK
    for old, new in replacements.items():
        old = old.replace("__", " = ").replace("_NL", "\n")
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


def _expected(line: str) -> bytes:
    return _CHECK.replace("paid_usd = 264e6\n", line + "\n").encode()


def _case(line: str) -> bytes:
    return _CHECK.replace('name = "c"\n', f'name = "c"\n{line}\n').encode()


BAD_CHECKS = [
    # Not a check file at all.
    pytest.param(b"", "file is empty", id="empty"),
    pytest.param(random.Random(1).randbytes(2048), "not UTF-8 text", id="binary"),  # noqa: S311
    pytest.param(b'[[case]]\nname = "c\x00"\n', "contains NUL bytes", id="nul"),
    pytest.param(_CHECK.encode()[:40], "invalid TOML", id="truncated"),
    pytest.param(
        b"case = " + b"[" * 100_000, "nested too deeply to be a scenario test file", id="deep"
    ),
    pytest.param(
        b"case = " + b"{ a = " * 100_000,
        "nested too deeply to be a scenario test file",
        id="deep-tables",
    ),
    pytest.param(
        b"# pad\n" * (MAX_FILE_BYTES // 6 + 1) + _CHECK.encode(),
        "larger than 1,000,000 bytes",
        id="over-the-limit",
    ),
    # The top level.
    pytest.param(
        b'titel = "x"\n' + _CHECK.encode(),
        "titel: unknown key; did you mean 'title'? (allowed: title, case)",
        id="typo-top",
    ),
    pytest.param(b'title = "x"\n', "case: required: at least one [[case]] table", id="no-case"),
    pytest.param(b"case = []\n", "case: required: at least one [[case]] table", id="no-cases"),
    pytest.param(b"case = 5\n", "case: must be an array of tables", id="case-number"),
    pytest.param(b"case = [1]\n", "case.0: must be a table (got an integer 1)", id="case-item"),
    pytest.param(b"title = 5\n" + _CHECK.encode(), "title: must be text", id="title-number"),
    # A case's keys.
    pytest.param(
        _check_with(**{"scenario": "scenaro"}),
        "case.0.scenaro: unknown key; did you mean 'scenario'?",
        id="typo-case",
    ),
    pytest.param(
        _check_with(**{'name__"c"_NL': ""}),
        "case.0.name: required key is missing",
        id="missing-name",
    ),
    pytest.param(
        _check_with(**{'scenario__"nis-estimate"_NL': ""}),
        "case 'c': scenario: required key is missing",
        id="missing-scenario",
    ),
    pytest.param(
        _CHECK.split("[case.expected]")[0].encode(),
        "case 'c': expected: required key is missing",
        id="missing-expected",
    ),
    pytest.param(_check_with(**{'"c"': '"a b"'}), "case.0.name: must use letters", id="name"),
    pytest.param(_check_with(**{'"c"': "5"}), "case.0.name: must be text", id="name-number"),
    pytest.param(
        _check_with(**{'"c"': '"' + "c" * 81 + '"'}), "case.0.name: must use", id="name-81"
    ),
    pytest.param(_check_with(**{'"c"': '"c\\n"'}), "case.0.name: must use", id="name-newline"),
    pytest.param(
        (_CHECK + _CHECK).encode(), "case.1.name: two cases are named 'c'", id="same-name"
    ),
    pytest.param(_case("description = 5"), "case 'c': description: must be text", id="description"),
    pytest.param(
        _case('claims = "PAY-01"'), "case 'c': claims: must be an array of claim ids", id="claims"
    ),
    pytest.param(
        _case('claims = ["PAY-99"]'),
        "case 'c': claims: unknown claim id 'PAY-99'",
        id="unknown-claim",
    ),
    pytest.param(
        _case("relative_tolerance = -0.1"),
        "case 'c': relative_tolerance: must be 0 or more (got -0.1)",
        id="case-tolerance-negative",
    ),
    pytest.param(
        _case("absolute_tolerance = nan"),
        "case 'c': absolute_tolerance: must be a finite number (got nan)",
        id="case-tolerance-nan",
    ),
    pytest.param(
        _case("relative_tolerance = 1e300"),
        "case 'c': relative_tolerance: must be less than 1, i.e. 100 % (got 1e+300); for a "
        "range, give min and/or max",
        id="case-tolerance-vacuous",
    ),
    # The scenario.
    pytest.param(
        _check_with(**{'"nis-estimate"': '"nis-estimat"'}),
        "case 'c': scenario: 'nis-estimat' is neither a built-in scenario",
        id="unknown-builtin",
    ),
    pytest.param(
        _check_with(**{'"nis-estimate"': "5"}),
        "case 'c': scenario: must be text (got an integer 5)",
        id="scenario-number",
    ),
    pytest.param(
        _check_with(
            **{
                'scenario__"nis-estimate"': 'scenario = { name = "x", pay = { gross_monthly_usd'
                " = 1 }, deployment = { troops = -5, months = 1 } }"
            }
        ),
        "case 'c': scenario: deployment.troops: must be between 1 and 10,000,000 (got -5)",
        id="inline-scenario",
    ),
    pytest.param(
        _check_with(
            **{
                'scenario__"nis-estimate"': 'scenario = { name = "x", pay = { gross_monthly_usd'
                " = 1 }, deployment = { troops = 1, months = 1, tropps = 5 } }"
            }
        ),
        "case 'c': scenario: deployment.tropps: unknown key; did you mean 'troops'?",
        id="inline-scenario-typo",
    ),
    # The changes.
    pytest.param(
        _case('set = { "deployment.tropps" = 5 }'),
        "case 'c': set: deployment.tropps: not an input path of this scenario",
        id="set-unknown-path",
    ),
    pytest.param(
        _case('set = { "deployment.troops" = -5 }'),
        "case 'c': set: deployment.troops: must be between 1 and 10,000,000 (got -5)",
        id="set-negative",
    ),
    pytest.param(
        _case('set = { "diversion.0.share" = 1.5 }'),
        "case 'c': set: diversion.0.share (layer 'state treasury'): must be between 0 and 1 "
        "(got 1.5)",
        id="set-share-above-1",
    ),
    pytest.param(
        _case('set = { "deployment.troops" = nan }'),
        "case 'c': set: deployment.troops: must be a finite number (got nan)",
        id="set-nan",
    ),
    pytest.param(
        _case('set = { "deployment.troops" = 1e150 }'),
        "case 'c': set: deployment.troops: must be between 1 and 10,000,000 (got 1e+150)",
        id="set-1e150",
    ),
    pytest.param(
        _case('set = { "deployment.troops" = { kind = "uniform", low = 9, high = 1 } }'),
        "case 'c': set: deployment.troops: low must be less than high",
        id="set-reversed-bounds",
    ),
    pytest.param(
        _case('set = { "diversion.7.share" = 0.5 }'),
        "case 'c': set: diversion.7.share: no layer '7' in diversion",
        id="set-unknown-layer",
    ),
    pytest.param(_case("set = 5"), "case 'c': set: must be a table", id="set-number"),
    # The expected outputs.
    pytest.param(
        _check_with(**{"[case.expected]_NLpaid_usd = 264e6": "expected = 5"}),
        "case 'c': expected: must be a table",
        id="expected-number",
    ),
    pytest.param(
        _check_with(**{"[case.expected]_NLpaid_usd = 264e6": "expected = {}"}),
        "case 'c': expected: must name at least one output",
        id="expected-empty",
    ),
    pytest.param(
        _expected("paid = 264e6"),
        "case 'c': expected.paid: not an output; did you mean 'paid_usd'?",
        id="unknown-output",
    ),
    pytest.param(
        _expected('paid_usd = "264e6"'),
        "case 'c': expected.paid_usd: must be a number (got a string '264e6')",
        id="string-value",
    ),
    pytest.param(_expected("paid_usd = true"), "must be a number (got a boolean", id="bool"),
    pytest.param(
        _expected("paid_usd = nan"),
        "case 'c': expected.paid_usd: must be a finite number (got nan)",
        id="nan-value",
    ),
    pytest.param(
        _expected("paid_usd = -inf"), "must be a finite number (got -inf)", id="inf-value"
    ),
    pytest.param(
        _expected("paid_usd = " + "9" * 400),
        "case 'c': expected.paid_usd: is too large to be a number",
        id="huge-integer",
    ),
    pytest.param(
        _expected("paid_usd = { value = 1, min = 0 }"),
        "give either value (with tolerances) or min and/or max",
        id="value-and-range",
    ),
    pytest.param(
        _expected('paid_usd = { claim = "PAY-01" }'),
        "give either value (with tolerances) or min and/or max",
        id="neither",
    ),
    pytest.param(
        _expected("paid_usd = { valeu = 1 }"),
        "case 'c': expected.paid_usd.valeu: unknown key; did you mean 'value'?",
        id="typo-expected",
    ),
    pytest.param(
        _expected("paid_usd = { value = 1, relative_tolerance = -1 }"),
        "case 'c': expected.paid_usd.relative_tolerance: must be 0 or more (got -1)",
        id="tolerance-negative",
    ),
    pytest.param(
        # 100 % passes anything from 0 to twice the value: it tests next to nothing.
        _expected("paid_usd = { value = 1, relative_tolerance = 1 }"),
        "case 'c': expected.paid_usd.relative_tolerance: must be less than 1, i.e. 100 % (got 1)",
        id="tolerance-vacuous",
    ),
    pytest.param(
        _expected("paid_usd = { min = 1, relative_tolerance = 0.1 }"),
        "expected.paid_usd.relative_tolerance: applies to value, not to min and max",
        id="tolerance-on-a-range",
    ),
    pytest.param(
        _expected("paid_usd = { min = 5, max = 1 }"),
        "case 'c': expected.paid_usd: min 5 is greater than max 1",
        id="range-reversed",
    ),
    pytest.param(
        _expected('paid_usd = { value = 1, claim = "NOPE-1" }'),
        "case 'c': expected.paid_usd: claim: unknown claim id 'NOPE-1'",
        id="unknown-claim-of-a-figure",
    ),
    pytest.param(
        _expected("paid_usd = { value = 1, note = 5 }"),
        "case 'c': expected.paid_usd.note: must be text",
        id="note-number",
    ),
]


@pytest.mark.parametrize(("content", "fragment"), BAD_CHECKS)
def test_bad_check_file_api(content: bytes, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.check.toml"
    path.write_bytes(content)
    with pytest.raises(pm.CheckFileError) as caught:
        load_checks(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    assert fragment in message, message


@pytest.mark.parametrize(("content", "fragment"), BAD_CHECKS)
def test_bad_check_file_cli(content: bytes, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.check.toml"
    path.write_bytes(content)
    for argv in (["check", str(path)], ["check", "--json", str(tmp_path)]):
        status, out, err = run(*argv)
        assert (status, out) == (2, ""), argv
        line = assert_one_line(err)
        assert line.startswith(f"paymodel: error: {path}: "), line
        assert fragment in line, line


def test_an_empty_check_file_is_not_sent_to_paymodel_init(tmp_path: Path) -> None:
    # `paymodel init` writes scenario files, not check files: no such hint here.
    path = tmp_path / "empty.check.toml"
    path.write_bytes(b"")
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    assert assert_one_line(err) == f"paymodel: error: {path}: file is empty"


@pytest.mark.parametrize("load", [load_checks, load_scenario_file])
def test_an_empty_file_name_is_not_the_current_folder(load: Any) -> None:
    with pytest.raises(pm.ScenarioFileError, match=r"^'': an empty name is not a "):
        load("")
    with pytest.raises(pm.ArgumentTypeError, match=r"is named by a str or a path \(got bytes\)$"):
        load(b"scenario.toml")
    for other in (None, 5, ["scenario.toml"]):  # os.fspath's own TypeError before
        with pytest.raises(pm.ArgumentTypeError, match=r"is named by a str or a path \(got "):
            load(other)


def test_a_check_files_scenario_file_that_is_bad(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\n[pay]\ngross_monthly_usd = -1\n')
    path = tmp_path / "c.check.toml"
    path.write_bytes(_check_with(**{'"nis-estimate"': '"mine.toml"'}))
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert line.startswith(f"paymodel: error: {path}: case 'c': scenario: {tmp_path / 'mine.toml'}")
    assert "pay.gross_monthly_usd: must be between 0 and 1,000,000 (got -1)" in line


# -- bad arguments to every command ---------------------------------------------------------------

BAD_ARGUMENTS = [
    # sweep
    (
        ["sweep", "independent-90", "--set", "deployment.troops=a,b"],
        "deployment.troops: 'a' is not a number",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops"],
        "--set 'deployment.troops': give PATH=VALUES",
    ),
    (["sweep", "independent-90", "--set", "=1,2"], "--set '=1,2': give PATH=VALUES"),
    (
        ["sweep", "independent-90", "--set", "deployment.tropps=1,2"],
        "deployment.tropps: not a numeric input",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=-5,10"],
        "deployment.troops: must be between 1 and 10,000,000 (got -5)",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=0"],
        "deployment.troops: must be between 1 and 10,000,000 (got 0)",
    ),
    (
        ["sweep", "independent-90", "--set", "diversion.0.share=1.5"],
        "diversion.0.share: must be between 0 and 1 (got 1.5)",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=nan"],
        "deployment.troops: must be a finite number (got 'nan')",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=inf"],
        "deployment.troops: must be a finite number (got 'inf')",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1e400"],
        "deployment.troops: must be a finite number",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1e150"],
        "deployment.troops: must be between 1 and 10,000,000 (got 1e+150)",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1:10:0"],
        "deployment.troops: the count in '1:10:0' must be at least 2",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1:10"],
        "deployment.troops: '1:10' is not start:stop:count",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1:10:1e9"],
        "the count in '1:10:1e9' must be a whole number",
    ),
    (
        [
            "sweep",
            "independent-90",
            "--set",
            "deployment.troops=1,2",
            "--set",
            "deployment.troops=3",
        ],
        "deployment.troops: swept twice",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1,2", "--output", "nope"],
        "output: no output or layer named 'nope'",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.replace_losses=maybe"],
        "deployment.replace_losses: 'maybe'",
    ),
    (
        ["sweep", "independent-90", "--set", "diversion.5.share=0.5"],
        "diversion.5.share: no layer '5' in diversion",
    ),
    (
        [
            "sweep",
            "independent-90",
            "--set",
            "deployment.troops=1:10:100000",
            "--set",
            "deployment.months=1:10:100000",
        ],
        "10,000,000,000 points × 6 columns is 60,000,000,000 values; at most 5,000,000 as text",
    ),
    (["sweep", "independent-90"], "the following arguments are required: --set"),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1,2", "--json", "--csv"],
        "argument --csv: not allowed with argument --json",
    ),
    # solve
    (
        [
            "solve",
            "independent-90",
            "--vary",
            "diversion.0.share",
            "--target",
            "take_home_monthly_usd",
        ],
        "target 'take_home_monthly_usd': give NAME=VALUE",
    ),
    (
        ["solve", "independent-90", "--vary", "diversion.0.share", "--target", "nope=5"],
        "target: no output named 'nope' (outputs: take_home_monthly_usd,",
    ),
    (
        [
            "solve",
            "independent-90",
            "--vary",
            "diversion.0.share",
            "--target",
            "take_home_monthly_usd=nan",
        ],
        "target take_home_monthly_usd: must be a finite number (got 'nan')",
    ),
    (
        [
            "solve",
            "independent-90",
            "--vary",
            "diversion.0.share",
            "--target",
            "take_home_monthly_usd=1e400",
        ],
        "target take_home_monthly_usd: must be a finite number",
    ),
    (
        [
            "solve",
            "independent-90",
            "--vary",
            "diversion.0.share",
            "--target",
            "take_home_monthly_usd=x",
        ],
        "target take_home_monthly_usd: 'x' is not a number",
    ),
    (
        ["solve", "independent-90", "--vary", "pay.gross", "--target", "take_home_monthly_usd=5"],
        "pay.gross: not a numeric input",
    ),
    (
        [
            "solve",
            "independent-90",
            "--vary",
            "deployment.replace_losses",
            "--target",
            "take_home_monthly_usd=5",
        ],
        "deployment.replace_losses: is true or false, not a number",
    ),
    (
        [
            "solve",
            "independent-90",
            "--vary",
            "diversion.0.share",
            "--target",
            "take_home_monthly_usd=-5",
        ],
        "no value of diversion.0.share (between 0 and 1) gives take_home_monthly_usd = -$5",
    ),
    (
        ["solve", "independent-90", "--target", "take_home_monthly_usd=5"],
        "the following arguments are required: --vary",
    ),
    # sensitivity
    (
        ["sensitivity", "span-sources", "--output", "nope"],
        "output: no output or layer named 'nope'",
    ),
    (
        ["sensitivity", "span-sources", "--output", "paid_usd", "--method", "magic"],
        "argument --method: invalid choice: 'magic'",
    ),
    (
        [
            "sensitivity",
            "span-sources",
            "--output",
            "paid_usd",
            "--method",
            "sobol",
            "--confidence",
            "nan",
        ],
        "argument --confidence: must be a finite number (got 'nan')",
    ),
    (
        [
            "sensitivity",
            "span-sources",
            "--output",
            "paid_usd",
            "--method",
            "sobol",
            "--samples",
            "0",
        ],
        "argument --samples: must be at least 1 (got 0)",
    ),
    (
        [
            "sensitivity",
            "span-sources",
            "--output",
            "paid_usd",
            "--method",
            "sobol",
            "--bootstrap",
            "-1",
        ],
        "argument --bootstrap: must be at least 1 (got -1)",
    ),
    (
        [
            "sensitivity",
            "span-sources",
            "--output",
            "paid_usd",
            "--method",
            "sobol",
            "--seed",
            "-1",
        ],
        "argument --seed: must not be negative (got -1)",
    ),
    (["sensitivity", "nis-estimate"], "the following arguments are required: --output"),
    # timeline
    (
        ["timeline", "span-sources", "--samples", "-1"],
        "argument --samples: must be at least 0 (got -1)",
    ),
    (
        ["timeline", "span-sources", "--seed", "-1"],
        "argument --seed: must not be negative (got -1)",
    ),
    (["timeline", "span-sources", "--method", "x"], "argument --method: invalid choice: 'x'"),
    (
        ["timeline", "span-sources", "--json", "--csv"],
        "argument --csv: not allowed with argument --json",
    ),
    (
        ["timeline", "nis-estimat"],
        "'nis-estimat' is neither a built-in scenario nor an existing file",
    ),
    # discover
    (
        ["discover", "span-sources", "--output", "paid_usd"],
        "discover: give the condition, --above X and/or --below X",
    ),
    (
        ["discover", "span-sources", "--output", "paid_usd", "--above", "nan"],
        "argument --above: must be a finite number (got 'nan')",
    ),
    (
        ["discover", "span-sources", "--output", "paid_usd", "--below", "inf"],
        "argument --below: must be a finite number",
    ),
    (
        ["discover", "span-sources", "--output", "paid_usd", "--above", "1", "--peel-alpha", "2"],
        "discover: argument --peel-alpha: must lie in (0, 0.5] (got 2.0)",
    ),
    (
        ["discover", "span-sources", "--output", "nope", "--above", "1"],
        "output: no output or layer named 'nope'",
    ),
    (
        ["discover", "span-sources", "--output", "paid_usd", "--above", "1", "--samples", "0"],
        "argument --samples: must be at least 1 (got 0)",
    ),
    # simulate
    # 1e3 is read as 1,000; scientific notation that is not whole is refused
    (
        ["simulate", "span-sources", "--samples", "1.5e-3"],
        "argument --samples: must be a whole number (got '1.5e-3')",
    ),
    (
        ["simulate", "span-sources", "--samples", "2.5"],
        "argument --samples: must be a whole number (got '2.5')",
    ),
    # built digit by digit it would take minutes and gigabytes
    (
        ["simulate", "span-sources", "--samples", "1e999999999"],
        "argument --samples: must be a whole number (got '1e999999999')",
    ),
    (
        ["simulate", "span-sources", "--samples", "1e13"],
        "simulate: argument --samples: must be between 1 and 1,000,000,000,000 "
        "(got 10,000,000,000,000)",
    ),
    (
        ["simulate", "span-sources", "--samples", "9" * 20],
        "simulate: argument --samples: must be between 1 and 1,000,000,000,000",
    ),
    (
        ["simulate", "span-sources", "--seed", "nan"],
        "argument --seed: must be a whole number (got 'nan')",
    ),
    (
        ["simulate", "span-sources", "--chunk-size", "0"],
        "argument --chunk-size: must be at least 1 (got 0)",
    ),
    (
        ["simulate", "span-sources", "--workers", "0"],
        "argument --workers: must be at least 1 (got 0)",
    ),
    (
        ["sweep", "independent-90", "--set", "deployment.troops=1,2", "--workers", "0"],
        "argument --workers: must be at least 1 (got 0)",
    ),
    (
        ["simulate", "span-sources", "--method", "halton"],
        "argument --method: invalid choice: 'halton'",
    ),
    # report (a writer: nothing may be left behind)
    (
        ["report", "--out", "missing/r.html"],
        "report: cannot write missing/r.html: directory missing does not exist",
    ),
    (["report", "--out", "."], "report: . is a directory; give a file name"),
    (["report", "--out", "r.html", "--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
    (
        ["report", "nope", "--out", "r.html"],
        "'nope' is neither a built-in scenario nor an existing file",
    ),
    (
        ["report", "--out", "r.html", "--output", "nope"],
        "output: no output named 'nope' (outputs: take_home_monthly_usd,",
    ),
    (
        ["report", "--out", "r.html", "--samples", "0"],
        "argument --samples: must be at least 1 (got 0)",
    ),
    (["report", "nis-estimate"], "the following arguments are required: --out"),
    (["compare", "--workers", "0"], "compare: argument --workers: must be at least 1 (got 0)"),
    (["compare", "--workers", "nan"], "compare: argument --workers: must be a whole number"),
    # check, sources, init, run, compare, explain
    (["check", "nope.check.toml"], "nope.check.toml: no such file or folder"),
    # Path("") is the current folder: an empty name must not run whatever lies there.
    (["check", ""], "'': an empty name is neither a file nor a folder"),
    (["sources", "PAY-99"], "sources: unknown claim id 'PAY-99'"),
    (["init"], "init: the following arguments are required: FILE"),
    (["init", "missing/my.toml"], "init: directory missing does not exist"),
    (["run", "nis-estimate", "--samples", "5"], "unrecognized arguments: --samples 5"),
    (
        ["compare", "nis-estimate", "nope"],
        "'nope' is neither a built-in scenario nor an existing file",
    ),
    (["explain"], "the following arguments are required: SCENARIO"),
]


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("argv", "fragment"), BAD_ARGUMENTS, ids=[" ".join(a)[:60] for a, _ in BAD_ARGUMENTS]
)
def test_bad_arguments_are_one_line_and_write_nothing(
    argv: list[str], fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("unchanged\n")
    before = _listing(tmp_path)
    status, out, err = run(*argv)
    assert (status, out) == (2, ""), (argv, err)
    line = assert_one_line(err)
    assert line.startswith("paymodel: error: ")
    assert fragment in line, line
    assert _listing(tmp_path) == before  # no output file, partial or whole, no temporary


def test_the_argument_table_covers_every_command() -> None:
    from paymodel.cli import _COMMANDS

    assert {argv[0] for argv, _ in BAD_ARGUMENTS} >= set(_COMMANDS) - {"schema"}


# -- bad arguments to the Python API --------------------------------------------------------------
#
# Every public function checks its arguments (`paymodel.arguments`): a wrong type is an
# ArgumentTypeError (also a TypeError), a wrong value an ArgumentError (also a ValueError), an
# unknown output an UnknownOutputError (also a KeyError); never an AttributeError from deep
# inside, nor numpy's "truth value of an array is ambiguous".

_I90 = "independent-90"


def _sim(**options: Any) -> pm.Simulation:
    return pm.simulate(pm.builtin("span-sources"), 200, seed=1, **options)


def _structure() -> contingents.Structure:
    return contingents.Structure.of(pm.builtin(_I90))


def _point() -> dict[str, Any]:
    return inputs.point_inputs(pm.builtin(_I90))


def _grid() -> pm.Sweep:
    return pm.sweep(pm.builtin(_I90), {"deployment.troops": [11_000, 12_000]})


# (function covered, the call, the error class, a fragment of the message)
API_ARGUMENTS = [
    ("compute", lambda: pm.compute(_I90), pm.ArgumentTypeError, "scenario must be a Scenario"),
    ("explain", lambda: pm.explain(_I90), pm.ArgumentTypeError, "scenario must be a Scenario"),
    (
        "compare",
        lambda: pm.compare("nis-estimate"),
        pm.ArgumentTypeError,
        "scenarios must be a list of scenarios, names or files, or None (got 'nis-estimate')",
    ),
    ("load", lambda: pm.load(5), pm.ArgumentTypeError, "source must be a built-in's name, a file"),
    ("builtin", lambda: pm.builtin(5), pm.ArgumentTypeError, "name must be text"),
    # Checked before the cache of built-ins, which would say "unhashable type: 'list'".
    ("builtin-list", lambda: pm.builtin(["nis-estimate"]), pm.ArgumentTypeError, "name must be"),
    ("claim", lambda: pm.claim(5), pm.ArgumentTypeError, "claim_id must be text"),
    ("run_checks", lambda: pm.run_checks(5), pm.ArgumentTypeError, "paths must be a file or"),
    # One item of the list: not os.fspath's bare "expected str, bytes or os.PathLike object".
    (
        "run_checks-item",
        lambda: pm.run_checks([5]),
        pm.ArgumentTypeError,
        "paths must be files and folders, each a str or a path (got an integer 5)",
    ),
    ("run_checks-none", lambda: pm.run_checks([None]), pm.ArgumentTypeError, "paths must be"),
    ("run_checks-bytes", lambda: pm.run_checks([b"x"]), pm.ArgumentTypeError, "paths must be"),
    (
        "run_checks-bytes-path",
        lambda: pm.run_checks([type("P", (), {"__fspath__": lambda _: b"x"})()]),
        pm.ArgumentTypeError,
        "paths must name files as text",
    ),
    (
        "simulate",
        lambda: pm.simulate(pm.builtin(_I90), 100, keep_samples=np.array([1, 2])),
        pm.ArgumentTypeError,
        "keep_samples must be True or False (got a ndarray array([1, 2]))",
    ),
    (
        "simulate",
        lambda: pm.simulate(pm.builtin(_I90), "100"),
        pm.ArgumentTypeError,
        "samples must be a whole number (got a string '100')",
    ),
    (
        "simulate",
        lambda: pm.simulate(pm.builtin(_I90), 100, progress=5),
        pm.ArgumentTypeError,
        "progress must be a function",
    ),
    (
        "simulate",
        lambda: pm.simulate(pm.builtin(_I90), 100, seed="7"),
        pm.ArgumentTypeError,
        "seed must be an integer, a Generator or None (got '7')",
    ),
    (
        "simulate",  # an int beyond a float's range: an OverflowError from float() before
        lambda: pm.simulate(pm.builtin(_I90), 100, through=10**400),
        pm.ArgumentError,
        "through must be a calendar month written YYYY-MM (such as 2025-03) or a whole month "
        "number from 1 to 100,000 (got an integer of about 401 digits)",
    ),
    (
        "simulate",
        lambda: pm.simulate(pm.builtin(_I90), 100, through=100_001),
        pm.ArgumentError,
        "a whole month number from 1 to 100,000 (got 100001)",
    ),
    (
        "simulate",  # a spawned child ran as its parent's seed 5: every child the same run
        lambda: pm.simulate(pm.builtin(_I90), 100, seed=np.random.SeedSequence(5).spawn(2)[1]),
        pm.ArgumentError,
        "seed must be a SeedSequence of one integer and no spawn key, as a run records its "
        "seed as one integer that repeats it; pass an integer, such as "
        "int(child.generate_state(1)[0]) (got SeedSequence(entropy=5, spawn_key=(1,)))",
    ),
    (
        "simulate",  # int([1, 2]): a TypeError from inside before
        lambda: pm.simulate(pm.builtin(_I90), 100, seed=np.random.SeedSequence([1, 2])),
        pm.ArgumentError,
        "(got SeedSequence(entropy=[1, 2], spawn_key=()))",
    ),
    (
        "Simulation.quantile",
        lambda: _sim().quantile("paid_usd", 1.5),
        pm.ArgumentError,
        "q must be between 0 and 1, e.g. 0.95 for the 95th percentile (got 1.5)",
    ),
    (
        "Simulation.statistics",
        lambda: _sim().statistics("paid"),
        pm.UnknownOutputError,
        "output: no output or layer named 'paid'; did you mean 'paid_usd'?",
    ),
    (
        "Simulation.statistics",
        lambda: _sim().statistics(["paid_usd"]),
        pm.ArgumentTypeError,
        "output must be text",
    ),
    (
        "Simulation.input_values",  # a TypeError "unhashable type: 'list'" before
        lambda: _sim(keep_samples=True).input_values(["deployment.troops"]),
        pm.ArgumentTypeError,
        "path must be text, such as 'deployment.troops' (got an array ['deployment.troops'])",
    ),
    (
        "Simulation.input_values",  # a bare KeyError before, quoted as a key
        lambda: _sim(keep_samples=True).input_values("deployment.troop"),
        pm.UnknownOutputError,
        "path: no uncertain input 'deployment.troop'; did you mean 'deployment.troops'? "
        "(uncertain inputs: pay.gross_monthly_usd, diversion.0.share, deployment.troops, "
        "deployment.tour_months)",
    ),
    (
        "Simulation.input_values",  # a bare ValueError before
        lambda: _sim().input_values("deployment.troops"),
        pm.ArgumentError,
        "samples were not kept; run simulate(..., keep_samples=True)",
    ),
    (
        "Simulation.values",
        lambda: _sim().values("paid_usd"),
        pm.ArgumentError,
        "samples were not kept; run simulate(..., keep_samples=True)",
    ),
    (
        "Simulation.to_frame",  # "yes" was taken as True
        lambda: _sim(keep_samples=True).to_frame("yes"),
        pm.ArgumentTypeError,
        "samples must be True or False (got a string 'yes')",
    ),
    (
        "Simulation.probability",
        lambda: _sim().probability("paid_usd", above="1"),
        pm.ArgumentTypeError,
        "above must be a number (got a string '1')",
    ),
    (
        "sweep",
        lambda: pm.sweep(pm.builtin(_I90), [("deployment.troops",)]),
        pm.ArgumentTypeError,
        "grid each axis must be a (path, values) pair",
    ),
    (
        "sweep",
        lambda: pm.sweep(pm.builtin(_I90), "deployment.troops=1,2"),
        pm.ArgumentTypeError,
        "grid must be a mapping of paths to values",
    ),
    (
        "sweep",
        lambda: pm.sweep(pm.builtin(_I90), {"deployment.troops": [1, 2]}, chunk_size=0),
        pm.ArgumentError,
        "chunk_size must be at least 1 (got 0)",
    ),
    (
        "sweep",
        lambda: pm.sweep(pm.builtin(_I90), {"deployment.troops": [1, 2]}, chunk_size="8"),
        pm.ArgumentTypeError,
        "chunk_size must be a whole number (got a string '8')",
    ),
    (
        "sweep",
        lambda: pm.sweep(pm.builtin(_I90), {"deployment.troops": [1, 2]}, executor=2),
        pm.ArgumentTypeError,
        "executor must be a concurrent.futures.Executor or None (got an integer 2)",
    ),
    (
        "Sweep.__getitem__",
        lambda: _grid()["paid"],
        pm.UnknownOutputError,
        "did you mean 'paid_usd'?",
    ),
    (
        "Sweep.to_json",
        lambda: _grid().to_json("paid_usd"),
        pm.ArgumentTypeError,
        "outputs must be a list of names",
    ),
    (
        "solve",
        lambda: pm.solve(pm.builtin(_I90), ["diversion.0.share"], {"take_home_monthly_usd": 500}),
        pm.ArgumentTypeError,
        "vary must be text, such as 'diversion.0.share' (got an array ['diversion.0.share'])",
    ),
    (
        "solve",
        lambda: pm.solve(pm.builtin(_I90), "diversion.0.share", ["take_home_monthly_usd", 500]),
        pm.ArgumentTypeError,
        "target must be a mapping, such as {'take_home_monthly_usd': 500}",
    ),
    (
        "sensitivity",
        lambda: pm.sensitivity(pm.builtin(_I90), ["paid_usd"]),
        pm.ArgumentTypeError,
        "output must be text",
    ),
    (
        "sensitivity",
        lambda: pm.sensitivity(pm.builtin("span-sources"), "paid_usd", "morris"),
        pm.ArgumentError,
        "method must be one of tornado, sobol (got 'morris')",
    ),
    (
        "tornado",
        lambda: pm.tornado(pm.builtin("span-sources"), "paid"),
        pm.UnknownOutputError,
        "output: no output or layer named 'paid'; did you mean 'paid_usd'?",
    ),
    (
        "sobol_indices",
        lambda: pm.sobol_indices(pm.builtin("span-sources"), "paid_usd", samples=True),
        pm.ArgumentTypeError,
        "samples must be a whole number (got a boolean True)",
    ),
    (
        "timeline",
        lambda: pm.timeline(pm.builtin(_I90), keep_samples="yes"),
        pm.ArgumentTypeError,
        "keep_samples must be True or False",
    ),
    (
        "discover",
        lambda: pm.discover("simulation", "paid_usd", above=1),
        pm.ArgumentTypeError,
        "simulation must be a Simulation",
    ),
    (
        "discover",
        lambda: pm.discover(_sim(keep_samples=True), "paid_usd", above="1"),
        pm.ArgumentTypeError,
        "above must be a number (got a string '1')",
    ),
    (
        "report",
        lambda: pm.report([_I90], "report.html", outputs="paid_usd"),
        pm.ArgumentTypeError,
        "outputs must be a list of names",
    ),
    (
        "report",
        lambda: pm.report("nis-estimate", "report.html", samples=10),
        pm.ArgumentTypeError,
        "scenarios must be a list of scenarios, names or files, or None (got 'nis-estimate')",
    ),
    (
        "report",
        lambda: pm.report([_I90], None, samples=10),
        pm.ArgumentTypeError,
        "path must be a file name (got nothing None)",
    ),
    (
        "report",
        lambda: pm.report([_I90], b"report.html", samples=10),
        pm.ArgumentTypeError,
        "path must be a file name (got a bytes b'report.html')",
    ),
    (
        "check_invariants",
        lambda: pm.check_invariants(pm.compute(pm.builtin(_I90)), rel_tol="0"),
        pm.ArgumentTypeError,
        "rel_tol must be a number (got a string '0')",
    ),
    (
        "Scenario",
        lambda: pm.Scenario(name="x", pay={"gross_monthly_usd": -1}),
        pm.ScenarioError,
        "pay.gross_monthly_usd: must be between 0 and 1,000,000 (got -1)",
    ),
    # The documented helpers of paymodel.measures and paymodel.edits (docs/api.md), and the
    # Scenario methods that take an input's path: an AttributeError from deep inside before.
    # The documented helpers of paymodel.contingents and paymodel.sampling (docs/api.md): an
    # AttributeError ('NoneType' object has no attribute 'currency_code') before.
    (
        "contingents.Structure.of",
        lambda: contingents.Structure.of(None),
        pm.ArgumentTypeError,
        "scenario must be a Scenario, such as pm.load('independent-90') gives (got nothing None)",
    ),
    (
        "contingents.evaluate_scenario",  # 'Scenario' object has no attribute 'groups' before
        lambda: contingents.evaluate_scenario(pm.builtin(_I90), {}),
        pm.ArgumentTypeError,
        "structure must be a Structure, such as Structure.of(scenario) gives (got a Scenario ",
    ),
    (
        "inputs.output_columns",  # 'Scenario' object is not subscriptable before
        lambda: inputs.output_columns(
            pm.builtin(_I90), contingents.evaluate_scenario(_structure(), _point()).total, None
        ),
        pm.ArgumentTypeError,
        "layer_names must be a list of names, such as scenario.layer_names() (got a Scenario ",
    ),
    (
        "inputs.output_columns",  # 'ScenarioEvaluation' object has no attribute 'outputs'
        lambda: inputs.output_columns(
            ("state treasury",), contingents.evaluate_scenario(_structure(), _point()), None
        ),
        pm.ArgumentTypeError,
        "evaluation must be an Evaluation, such as evaluate_scenario(...).total "
        "(got a ScenarioEvaluation ",
    ),
    (
        "sampling.correlation_factor",
        lambda: sampling.correlation_factor(_I90),
        pm.ArgumentTypeError,
        "scenario must be a Scenario, such as pm.load('independent-90') gives "
        "(got a string 'independent-90')",
    ),
    # paymodel.workers.worker_pool (docs/uncertainty.md, docs/sweep.md): "2" was a TypeError
    # from min() at the first parallel map, 0 quietly one process.
    (
        "workers.worker_pool",
        lambda: workers.worker_pool("2"),
        pm.ArgumentTypeError,
        "workers must be a whole number (got a string '2')",
    ),
    (
        "workers.worker_pool",
        lambda: workers.worker_pool(0),
        pm.ArgumentError,
        "workers must be at least 1 (got 0)",
    ),
    (
        "sampling.plan_sampling",  # any other method was drawn as Sobol's, silently
        lambda: sampling.plan_sampling(pm.builtin("span-sources"), "halton", 1),
        pm.ArgumentError,
        "method must be one of mc, lhs, sobol (got 'halton')",
    ),
    (
        "measures.misfits",
        lambda: measures.misfits(_I90),
        pm.ArgumentTypeError,
        "scenario must be a Scenario",
    ),
    (
        "measures.assumption_paths",
        lambda: measures.assumption_paths(_I90),
        pm.ArgumentTypeError,
        "scenario must be a Scenario",
    ),
    (
        "measures.is_assumption",
        lambda: measures.is_assumption(pm.builtin(_I90), 5),
        pm.ArgumentTypeError,
        "path must be text, such as 'deployment.months' (got an integer 5)",
    ),
    (
        "measures.input_default",
        lambda: measures.input_default(pm.builtin(_I90), "deployment.troop"),
        pm.ScenarioError,
        "deployment.troop: not a numeric input of this scenario; did you mean",
    ),
    (
        "measures.fitting_measures",
        lambda: measures.fitting_measures(None),
        pm.ArgumentTypeError,
        "path must be text, such as 'deployment.deaths' (got nothing None)",
    ),
    (
        "edits.with_settings",
        lambda: edits.with_settings(pm.builtin(_I90), "deployment.troops=5"),
        pm.ArgumentTypeError,
        "settings must be a list of names, such as ['deployment.troops=15000']",
    ),
    (
        "edits.with_settings",
        lambda: edits.with_settings(_I90, []),
        pm.ArgumentTypeError,
        "scenario must be a Scenario",
    ),
    (
        "edits.with_currency",
        lambda: edits.with_currency(pm.builtin(_I90), 1395),
        pm.ArgumentTypeError,
        "currency must be text CODE=RATE, such as 'KRW=1395' (got an integer 1395)",
    ),
    (
        "Scenario.reason_for",
        lambda: pm.builtin(_I90).reason_for(5),
        pm.ArgumentTypeError,
        "path must be text, an input's dotted path such as 'deployment.troops'",
    ),
    (
        "Scenario.claims_for",
        lambda: pm.builtin(_I90).claims_for(["deployment.troops"]),
        pm.ArgumentTypeError,
        "path must be text",
    ),
]


@pytest.mark.parametrize(
    ("function", "call", "error", "fragment"),
    API_ARGUMENTS,
    ids=[f"{f}-{i}" for i, (f, *_) in enumerate(API_ARGUMENTS)],
)
def test_bad_arguments_to_the_python_api(
    function: str,
    call: Any,
    error: type[Exception],
    fragment: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    assert fragment in message, message
    assert "\n" not in message
    assert isinstance(caught.value, pm.PaymodelError)
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_api_table_covers_every_public_function() -> None:
    """Every function of `paymodel.__all__` that takes arguments has a bad-argument case.

    `pm.evaluate` is the kernel, which never validates (DESIGN §4); `load_scenario_file`
    reads a file's name as `pm.load` does (the files section above covers it).
    """
    functions = {
        name
        for name in pm.__all__
        if inspect.isfunction(getattr(pm, name)) and inspect.signature(getattr(pm, name)).parameters
    }
    covered = {function for function, *_ in API_ARGUMENTS}
    assert functions - {"evaluate", "load_scenario_file"} <= covered


def test_argument_errors_are_also_the_builtin_errors_callers_expect() -> None:
    assert issubclass(pm.ArgumentError, pm.ScenarioError)
    assert issubclass(pm.ArgumentError, ValueError)
    assert issubclass(pm.ArgumentTypeError, TypeError)
    assert issubclass(pm.ArgumentTypeError, pm.ArgumentError)
    assert issubclass(pm.UnknownOutputError, KeyError)
    assert issubclass(pm.UnknownOutputError, pm.ArgumentError)
    with pytest.raises(KeyError) as caught:  # `except KeyError` kept working
        _sim().statistics("typo")
    assert str(caught.value).startswith("output: no output or layer named 'typo'")  # unquoted


# -- writers never leave a partial file -----------------------------------------------------------


def _fail_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make ``os.<name>`` fail as a full disk would, during writing."""
    import os

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, name, full)


@pytest.mark.parametrize("step", ["fsync", "replace"])
@pytest.mark.parametrize("existing", [False, True])
def test_init_leaves_no_partial_file(
    step: str, existing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "my.toml"
    if existing:
        target.write_text("old\n")
    before = _listing(tmp_path)
    _fail_at(monkeypatch, step)
    status, out, err = run("init", str(target), "--force")
    assert (status, out) == (2, "")
    assert "No space left on device" in assert_one_line(err)
    assert _listing(tmp_path) == before  # the old file as it was, or none; no temporary
    if existing:
        assert target.read_text() == "old\n"


@pytest.mark.parametrize("suffix", ["html", "md"])
@pytest.mark.parametrize("existing", [False, True])
def test_report_leaves_no_partial_file(
    suffix: str, existing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / f"report.{suffix}"
    argv = ["report", "nis-estimate", "--samples", "200", "--out", str(target)]
    if existing:  # an earlier report (paymodel writes over no other file)
        assert run(*argv, "--seed", "2")[0] == 0
    old = target.read_bytes() if existing else None
    before = _listing(tmp_path)
    _fail_at(monkeypatch, "replace")
    status, out, err = run(*argv, "--seed", "1")
    assert (status, out) == (2, "")
    assert "No space left on device" in assert_one_line(err)
    assert _listing(tmp_path) == before  # no report, no image folder, no temporary
    if existing:
        assert target.read_bytes() == old


# -- whatever the file, one line: the loader and the CLI, fuzzed ----------------------------------

#: Leaves for documents written to files: JSON cannot write an integer of 5,000 digits (Python
#: refuses to convert it; the loader's own message for one is in FILES).
_FILE_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([0, -1, 1e300, 0.5, 10**400])
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(_KINDS)
)
_FILE_VALUES = st.recursive(
    _FILE_LEAVES,
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


def _cli_gives_a_result_or_one_line(path: Path) -> None:
    status, out, err = run("run", "--json", str(path))
    if status == 0:
        assert err == ""
        json.loads(out)  # valid JSON: no NaN or Infinity
    else:
        assert (status, out) == (2, "")
        assert assert_one_line(err).startswith(f"paymodel: error: {path}: ")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(_PLACES), key=st.sampled_from(_KEYS), value=_FILE_VALUES)
def test_any_document_in_a_file_through_the_loader_and_the_cli(
    place: tuple[Any, ...], key: str, value: Any, tmp_path: Path
) -> None:
    doc = copy.deepcopy(BASE)
    doc.setdefault("baseline", {})
    node: Any = doc
    for part in place:
        node = node[part]
    node[key] = value
    path = tmp_path / "fuzzed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        pm.load(path)
    except pm.ScenarioError as error:
        message = str(error)
        assert message.startswith(f"{path}: ")
        assert "\n" not in message
    _cli_gives_a_result_or_one_line(path)


#: TOML-like text: table headers and ``key = value`` lines, keys from the model and not,
#: values among every literal TOML has (inf, nan, signs, huge integers, dates, inline tables)
#: and some it does not have.
_TOML_VALUES = st.sampled_from(
    [
        "1", "-5", "0", "2000", "0.9", "1.5", "1e150", "1e999", "-1e-320", "9" * 400, "inf",
        "+inf", "-inf", "nan", "+nan", "-nan", "true", "false", '"text"', '""', "[]", "[1, 2]",
        "{}", '{ kind = "uniform", low = 1, high = 5 }', '{ kind = "uniform", low = 5, high = 1 }',
        '{ kind = "lognormal", p5 = 1, p95 = 1e9 }', '{ kind = "beta", alpha = 2, beta = 5 }',
        '{ kind = "normal", mean = 5, sd = 1e300, low = 1 }', '{ kind = "gamma" }',
        '{ kind = "choice", values = [0.9, 1.0] }', "2024-10-31", "[[1]]", "{ a = { b = 1 } }",
        "null", "None", "'single'", '"""multi\nline"""', "0x10", "1_000", "=", "",
    ]
)  # fmt: skip
_TOML_HEADERS = st.sampled_from(
    ["[pay]", "[deployment]", "[baseline]", "[[diversion]]", "[[correlations]]", "[citations]",
     "[pay.gross_monthly_usd]", "[x]", "[[case]]", "[case.expected]", "[pay", "]"]
)  # fmt: skip
_TOML_LINES = st.one_of(
    _TOML_HEADERS,
    st.builds(
        lambda key, value: f"{key} = {value}",
        st.sampled_from(_KEYS) | st.text(alphabet="abc_.\"' ", min_size=1, max_size=5),
        _TOML_VALUES,
    ),
)
_TOML_DOCUMENTS = st.lists(_TOML_LINES, max_size=12).map(
    lambda lines: 'name = "fuzz"\n' + "\n".join(lines) + "\n"
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TOML_DOCUMENTS)
def test_any_toml_like_text_is_a_scenario_or_one_line(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzzed.toml"
    path.write_text(text, encoding="utf-8")
    try:
        scenario = pm.load(path)
    except pm.ScenarioError as error:
        message = str(error)
        assert message.startswith(f"{path}: ")
        assert "\n" not in message
    else:
        pm.check_invariants(pm.compute(scenario))
    _cli_gives_a_result_or_one_line(path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TOML_DOCUMENTS | st.text(max_size=200))
def test_any_text_is_a_check_file_or_one_line(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzzed.check.toml"
    path.write_text(text.replace('name = "fuzz"\n', ""), encoding="utf-8")
    try:
        load_checks(path)
    except pm.CheckFileError as error:
        message = str(error)
        assert message.startswith(f"{path}: ")
        assert "\n" not in message
    status, _, err = run("check", str(path))
    assert status in (0, 1, 2)
    if status == 2:
        assert assert_one_line(err).startswith(f"paymodel: error: {path}: ")


def test_the_ci_profile_runs_many_more_examples() -> None:
    # The fuzz tests above run the profile's examples: a bounded number in the normal suite,
    # five times as many under HYPOTHESIS_PROFILE=ci (.ci/run).
    default, ci = settings.get_profile("default"), settings.get_profile("ci")
    assert default.max_examples == 100
    assert ci.max_examples >= 5 * default.max_examples


def test_the_catalogue_size() -> None:
    # 1 document table exercised 6 ways (the API twice, TOML and JSON files, TOML and JSON
    # through the CLI), plus the tables of files, check files and arguments.
    assert len(CASES) >= 158
    assert len(FILES) >= 34
    assert len(BAD_CHECKS) >= 55
    assert len(BAD_ARGUMENTS) >= 68


# -- mixtures (DESIGN §7): appended to the document table ---------------------------------------
# Added to CASES itself, so that every door above (the API twice, TOML and JSON files, the
# command line) and the schema's test (tests/test_schema.py) check each of them.


def mixture(*components: Any, **extra: Any) -> dict[str, Any]:
    """A mixture table of ``components``, with ``extra`` keys (``weights``)."""
    return {"kind": "mixture", "of": list(components), **extra}


MIXTURE_CASES = [
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(uniform(1500, 2500), 2e7)),
        "pay.gross_monthly_usd.of[1]",
        "must be between 0 and 1,000,000 (got 2e+07)",
        id="mixture-number-above-limit",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, uniform(-500, 2500))),
        "pay.gross_monthly_usd.of[1]",
        "values span [-500, 2500], but the field must be between 0 and 1,000,000",
        id="mixture-range-below-0",
    ),
    pytest.param(
        changed(pay__delivered_share=mixture(0.5, {"kind": "normal", "mean": 0.5, "sd": 0.1})),
        "pay.delivered_share.of[1]",
        "values span [-inf, inf], but the field must be between 0 and 1",
        id="mixture-share-untruncated-normal",
    ),
    pytest.param(
        changed(deployment__troops=mixture(11000, {"kind": "choice", "values": [0, 12000]})),
        "deployment.troops.of[1]",
        "must be between 1 and 10,000,000",
        id="mixture-troops-choice-zero",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(uniform(2500, 1500), 2800)),
        "pay.gross_monthly_usd.of[0]",
        "low must be less than high (got low=2500, high=1500)",
        id="mixture-component-reversed",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, {"kind": "unifrom", "low": 1, "high": 2})),
        "pay.gross_monthly_usd.of[1]",
        "unknown distribution kind 'unifrom'; did you mean 'uniform'?",
        id="mixture-component-unknown-kind",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, {"low": 1, "high": 2})),
        "pay.gross_monthly_usd.of[1]",
        "a distribution table needs a kind",
        id="mixture-component-without-kind",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, "2500")),
        "pay.gross_monthly_usd.of[1]",
        "must be a number (got a string '2500')",
        id="mixture-component-string",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, {"kind": "uniform", "low": 1, "hi": 2})),
        "pay.gross_monthly_usd.of[1].hi",
        "unknown key; did you mean 'high'?",
        id="mixture-component-typo",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, mixture(2500, 2800))),
        "pay.gross_monthly_usd.of[1]",
        "a mixture cannot be a component of a mixture",
        id="mixture-nested",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000)),
        "pay.gross_monthly_usd",
        "a mixture needs at least 2 components in of (got 1)",
        id="mixture-one-component",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture()),
        "pay.gross_monthly_usd",
        "a mixture needs at least 2 components in of (got 0)",
        id="mixture-no-component",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(*range(1000, 1021))),
        "pay.gross_monthly_usd",
        "a mixture has at most 20 components (got 21)",
        id="mixture-too-many-components",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "mixture", "of": 2000}),
        "pay.gross_monthly_usd.of",
        "must be an array (got an integer 2000)",
        id="mixture-of-not-a-list",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd={"kind": "mixture"}),
        "pay.gross_monthly_usd.of",
        "required key is missing",
        id="mixture-without-of",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, 2500, weights=[1])),
        "pay.gross_monthly_usd",
        "weights must have one entry per component (got 1 weights for 2 components)",
        id="mixture-weights-length",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, 2500, weights=[1, 0])),
        "pay.gross_monthly_usd.weights.1",
        "must be greater than 0 (got 0)",
        id="mixture-weight-zero",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, 2500, weights=[1, -1])),
        "pay.gross_monthly_usd.weights.1",
        "must be greater than 0 (got -1)",
        id="mixture-weight-negative",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, 2500, weights=[1, math.inf])),
        "pay.gross_monthly_usd.weights.1",
        "must be a finite number (got inf)",
        id="mixture-weight-infinite",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, 2500, weights=[1e308, 1e308])),
        "pay.gross_monthly_usd",
        "weights must add up to a finite number",
        id="mixture-weights-overflow",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, math.nan)),
        "pay.gross_monthly_usd.of[1]",
        "must be a finite number (got nan)",
        id="mixture-nan-component",
    ),
    pytest.param(
        changed(pay__gross_monthly_usd=mixture(2000, 2500, wieghts=[1, 2])),
        "pay.gross_monthly_usd.wieghts",
        "unknown key; did you mean 'weights'?",
        id="mixture-typo-weights",
    ),
]
CASES += MIXTURE_CASES


def test_mixture_cases_reach_every_door() -> None:
    # The table's tests read CASES when they are collected, after this module has run.
    assert all(case in CASES for case in MIXTURE_CASES)


# -- files that are not regular files: a named pipe must not block forever ----------------------


def _finishes(call: Any, seconds: float = 20.0) -> Any:
    """Run ``call()`` in a thread; fail (instead of hanging the suite) if it blocks."""
    import threading

    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked reading a file that is not a regular file"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _fifo(path: Path) -> Path:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("name", ["pipe.toml", "pipe.json"])
def test_a_named_pipe_as_a_scenario_file(name: str, tmp_path: Path) -> None:
    pipe = _fifo(tmp_path / name)
    with pytest.raises(pm.ScenarioFileError, match="is a named pipe"):
        _finishes(lambda: pm.load(pipe))
    with pytest.raises(pm.ScenarioFileError, match="is a named pipe"):
        _finishes(lambda: load_scenario_file(pipe))
    for command in ("run", "simulate", "explain", "timeline"):
        status, out, err = _finishes(lambda c=command: run(c, str(pipe)))  # type: ignore[misc]
        assert (status, out) == (2, "")
        assert f"{pipe}: is a named pipe (FIFO), not a scenario file" in assert_one_line(err)


def test_a_named_pipe_as_a_check_file(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path / "pipe.check.toml")
    with pytest.raises(pm.CheckFileError, match="is a named pipe"):
        _finishes(lambda: load_checks(pipe))
    status, _, err = _finishes(lambda: run("check", str(pipe)))
    assert status == 2
    assert "is a named pipe (FIFO), not a scenario test file" in assert_one_line(err)


def test_a_named_pipe_in_a_checked_folder_is_not_read(tmp_path: Path) -> None:
    # A folder is searched for regular *.check.toml files; a pipe of that name is skipped.
    _fifo(tmp_path / "pipe.check.toml")
    status, _, err = _finishes(lambda: run("check", str(tmp_path)))
    assert status == 2
    assert "no *.check.toml files" in assert_one_line(err)


def test_a_named_pipe_as_a_check_files_scenario(tmp_path: Path) -> None:
    _fifo(tmp_path / "pipe.toml")
    check = tmp_path / "c.check.toml"
    check.write_text('[[case]]\nname = "a"\nscenario = "pipe.toml"\n[case.expected]\ndeaths = 0\n')
    status, _, err = _finishes(lambda: run("check", str(check)))
    assert status == 2
    assert "pipe.toml" in assert_one_line(err)


def test_a_device_is_not_a_scenario_file() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    with pytest.raises(pm.ScenarioFileError, match="/dev/zero: is a character device"):
        _finishes(lambda: load_scenario_file("/dev/zero"))
    status, _, err = run("run", "/dev/null")
    assert status == 2
    assert "/dev/null: is a character device, not a scenario file" in assert_one_line(err)


# -- paymodel check DIR: deep, looping or huge folder trees ------------------------------------


@pytest.fixture
def deep_tree(tmp_path: Path) -> Any:
    """Makes ``tmp_path/deep/d/d/…/d`` as deep as asked; removes it afterwards.

    Both level by level: os.makedirs and shutil.rmtree recurse, and pytest's own clean-up
    of old temporary folders would fail on a tree deeper than the recursion limit.
    """
    import os

    top = tmp_path / "deep"

    def make(levels: int) -> Path:
        folder = top
        folder.mkdir()
        for _ in range(levels):
            folder = folder / "d"
            os.mkdir(folder)
        return folder

    yield make
    if not top.exists():
        return
    bottom = top
    while (bottom / "d").is_dir():
        bottom = bottom / "d"
    while True:
        for entry in os.scandir(bottom):
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
        os.rmdir(bottom)
        if bottom == top:
            break
        bottom = bottom.parent


def test_check_a_folder_tree_too_deep_to_search(tmp_path: Path, deep_tree: Any) -> None:
    from paymodel.checks import MAX_FOLDER_DEPTH

    bottom = deep_tree(1100)  # deeper than Python's recursion limit
    (bottom / "x.check.toml").write_text("")
    with pytest.raises(pm.CheckFileError, match=f"nested more than {MAX_FOLDER_DEPTH} levels"):
        pm.run_checks(tmp_path / "deep")
    status, out, err = run("check", str(tmp_path / "deep"))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert f"{tmp_path / 'deep'}: folders nested more than {MAX_FOLDER_DEPTH} levels deep" in line


def test_check_a_folder_at_the_depth_limit(tmp_path: Path, deep_tree: Any) -> None:
    from paymodel.checks import MAX_FOLDER_DEPTH, check_files

    bottom = deep_tree(MAX_FOLDER_DEPTH)
    (bottom / "x.check.toml").write_text("")
    assert check_files(tmp_path / "deep") == [bottom / "x.check.toml"]


def test_check_a_folder_with_a_symbolic_link_loop(tmp_path: Path) -> None:
    import os
    import shutil

    from paymodel.checks import check_files, shipped_checks

    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links")
    (tmp_path / "a").mkdir()
    os.symlink("..", tmp_path / "a" / "back")  # a/back/a/back/… loops forever
    os.symlink("self", tmp_path / "self")  # a link to itself
    nis = next(p for p in shipped_checks() if p.name == "nis-revenue.check.toml")
    shutil.copy(nis, tmp_path / "a" / nis.name)
    # Found once, although the loop reaches it through every a/back/a/back/… path.
    assert _finishes(lambda: check_files(tmp_path)) == [tmp_path / "a" / nis.name]
    status, out, _ = _finishes(lambda: run("check", str(tmp_path)))
    assert status == 0
    assert "2 cases in 1 file: 2 passed" in out


def test_check_a_folder_with_too_many_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paymodel.checks as checks

    monkeypatch.setattr(checks, "MAX_FOLDER_ENTRIES", 50)
    for index in range(60):
        (tmp_path / f"f{index}.txt").write_text("")
    with pytest.raises(pm.CheckFileError, match="more than 50 files and folders"):
        pm.run_checks(tmp_path)
    status, _, err = run("check", str(tmp_path))
    assert status == 2
    assert "more than 50 files and folders to search" in assert_one_line(err)


# -- the size of a scenario: limits, and work linear in it --------------------------------------


def _layers(count: int, share: Any = 0.001) -> list[dict[str, Any]]:
    return [{"name": f"layer {i}", "share": share} for i in range(count)]


def _too_large() -> list[tuple[dict[str, Any], str]]:
    from paymodel.limits import (
        MAX_CHOICE_VALUES,
        MAX_CORRELATIONS,
        MAX_LAYERS,
        MAX_UNCERTAIN_INPUTS,
    )

    tiny = uniform(0.001, 0.002)
    many_pairs = [
        {"between": [f"diversion.{i}.share", f"diversion.{j}.share"], "rank": 0.01}
        for i in range(MAX_UNCERTAIN_INPUTS)
        for j in range(i + 1, MAX_UNCERTAIN_INPUTS)
    ]
    return [
        (
            changed(diversion=_layers(MAX_LAYERS + 1)),
            f"diversion: must have at most {MAX_LAYERS} entries (got {MAX_LAYERS + 1})",
        ),
        (  # the issue's file: 2,000 uncertain layers (simulate peaked at 5.2 GB)
            changed(diversion=_layers(2000, tiny)),
            f"diversion: must have at most {MAX_LAYERS} entries (got 2000)",
        ),
        (  # 14,000 layers and one correlation built a dense 14,000² matrix
            changed(
                diversion=[{"name": "a", "share": tiny}, *_layers(13_999)[1:]],
                deployment={"troops": uniform(1, 5), "months": 12},
                correlations=[{"between": ["diversion.0.share", "deployment.troops"], "rank": 0.3}],
            ),
            f"diversion: must have at most {MAX_LAYERS} entries (got 13999)",
        ),
        (  # three uncertain inputs and one layer fewer than the limit: one too many
            changed(
                pay__gross_monthly_usd=uniform(1000, 2000),
                diversion=_layers(MAX_UNCERTAIN_INPUTS - 2, tiny),
                deployment={"troops": uniform(1, 5), "months": uniform(1, 5)},
            ),
            f"uncertain inputs: {MAX_UNCERTAIN_INPUTS + 1} inputs are given as distributions "
            f"(pay.gross_monthly_usd",
        ),
        (
            changed(
                diversion=_layers(MAX_UNCERTAIN_INPUTS, tiny),
                correlations=[*many_pairs, many_pairs[0]],
            ),
            f"correlations: must have at most {MAX_CORRELATIONS:,} entries",
        ),
        (
            changed(pay__gross_monthly_usd={"kind": "choice", "values": list(range(1, 1002))}),
            f"pay.gross_monthly_usd.values: must have at most {MAX_CHOICE_VALUES:,} entries",
        ),
    ]


@pytest.mark.parametrize("case", range(6))
def test_a_scenario_too_large_is_one_line(case: int, tmp_path: Path) -> None:
    cases = _too_large()
    assert len(cases) == 6  # one more case and the parametrize above must count it
    doc, fragment = cases[case]
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc)
    assert fragment.replace(",", "") in str(caught.value).replace(",", "")
    assert "\n" not in str(caught.value)
    path = tmp_path / "large.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    for command in ("run", "simulate"):
        status, out, err = run(command, str(path))
        assert (status, out) == (2, "")
        assert fragment.replace(",", "") in assert_one_line(err).replace(",", "")


def test_the_largest_scenario_accepted_is_valid() -> None:
    from paymodel.limits import MAX_CORRELATIONS, MAX_LAYERS, MAX_UNCERTAIN_INPUTS

    tiny = uniform(0.001, 0.002)
    paths = [f"diversion.{i}.share" for i in range(MAX_UNCERTAIN_INPUTS)]
    scenario = scenario_from_dict(
        changed(
            diversion=_layers(MAX_UNCERTAIN_INPUTS, tiny) + _layers(MAX_LAYERS)[50:],
            correlations=[
                {"between": [paths[i], paths[j]], "rank": 0.01}
                for i in range(len(paths))
                for j in range(i + 1, len(paths))
            ][:MAX_CORRELATIONS],
        )
    )
    assert len(scenario.uncertain_inputs()) == MAX_UNCERTAIN_INPUTS
    assert len(scenario.correlations) == MAX_CORRELATIONS


def test_the_correlation_matrix_covers_only_the_correlated_inputs() -> None:
    # One correlation among 40 uncertain inputs: a 2 × 2 matrix, not 41 × 41.
    tiny = uniform(0.001, 0.002)
    scenario = scenario_from_dict(
        changed(
            diversion=_layers(40, tiny),
            deployment={"troops": uniform(1, 5), "months": 12},
            correlations=[{"between": ["diversion.7.share", "deployment.troops"], "rank": 0.5}],
        )
    )
    assert scenario.correlated_inputs() == ("diversion.7.share", "deployment.troops")
    from paymodel.sampling import correlation_factor

    assert scenario.correlation_matrix().shape == (2, 2)
    factor = correlation_factor(scenario)
    assert factor is not None
    assert factor.shape == (2, 2)
    # r = 2·sin(π·0.5/6) = 0.5176…: F·Fᵀ is the Pearson matrix.
    r = 2 * math.sin(math.pi * 0.5 / 6)
    assert (factor @ factor.T).round(12).tolist() == [[1.0, round(r, 12)], [round(r, 12), 1.0]]
    sim = pm.simulate(scenario, 20_000, seed=3, keep_samples=True)
    from scipy.stats import spearmanr

    rho = spearmanr(sim.input_values("diversion.7.share"), sim.input_values("deployment.troops"))
    assert abs(rho.statistic - 0.5) < 0.03
    other = spearmanr(sim.input_values("diversion.8.share"), sim.input_values("deployment.troops"))
    assert abs(other.statistic) < 0.03  # an input not named stays independent


def test_inputs_are_built_once_per_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading and preparing an analysis once rebuilt every input for each input (quadratic:
    # 8,000 layers took 41 s). The table of inputs is built once per scenario; the
    # benchmark benchmarks/bench_load.py prints the 1,000 against 4,000 layers ratio.
    from paymodel.inputs import point_inputs
    from paymodel.sampling import plan_sampling
    from paymodel.scenario import Scenario

    table = Scenario.__dict__["_inputs_by_path"]
    builds: list[int] = []
    build = table.func

    def counting(self: Scenario) -> Any:
        builds.append(1)
        return build(self)

    monkeypatch.setattr(table, "func", counting)
    tiny = uniform(0.001, 0.002)
    doc = changed(
        diversion=_layers(45, tiny),
        deployment={"troops": uniform(1, 5), "months": uniform(1, 5)},
        correlations=[{"between": ["diversion.3.share", "deployment.troops"], "rank": 0.3}],
        citations={f"diversion.layer {i}.share": [] for i in range(45)},
    )
    path = tmp_path / "layers.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    scenario = load_scenario_file(path)
    assert len(builds) == 1  # validation (citations, correlations) built it once
    for input_path in scenario.input_paths():
        scenario.variable_input(input_path)
        scenario.claims_for(input_path)
    point_inputs(scenario)
    plan_sampling(scenario, "lhs", 1)
    pm.compute(scenario)
    pm.simulate(scenario, 100, seed=1)
    pm.explain(scenario)
    assert len(builds) == 1


# -- simulate --workers: no more than the machine holds, and none outlive their parent ---------


def test_workers_above_the_usable_cores_are_one_line() -> None:
    from paymodel.workers import usable_cores

    cores = usable_cores()
    status, out, err = run("simulate", "span-sources", "--workers", str(cores + 1))
    assert (status, out) == (2, "")
    assert (
        f"argument --workers: must be at most {cores}, the processor cores this process may "
        f"use (got {cores + 1})"
    ) in assert_one_line(err)
    status, _, err = run("simulate", "span-sources", "--workers", "256")  # the issue's case
    assert status == 2
    assert "the processor cores this process may use (got 256)" in assert_one_line(err)


def test_workers_above_what_memory_holds_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import paymodel.workers  # the CLI imports what it uses from here when a command runs

    monkeypatch.setattr(paymodel.workers, "usable_cores", lambda: 64)
    # 300 MB available; a worker of span-sources takes 64 MiB + 8 × 65,536 × (38 + 4) bytes
    # = 67,108,864 + 22,020,096 = 89,128,960 bytes: three fit.
    monkeypatch.setattr(paymodel.workers, "available_memory_bytes", lambda: 300_000_000)

    def no_pool(*_: object) -> None:
        raise AssertionError("workers were started beyond what memory holds")

    monkeypatch.setattr(paymodel.workers, "worker_pool", no_pool)
    status, out, err = run(
        "simulate", "span-sources", "--samples", "1000000", "--chunk-size", "65536",
        "--workers", "4",
    )  # fmt: skip
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "argument --workers: must be at most 3 here, the workers of about 85 MB each" in line
    assert "(got 4)" in line


def _children(parent: int) -> list[int]:
    """Process ids whose parent is ``parent`` (from /proc; Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(parent):
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_workers_end_when_their_parent_is_killed() -> None:
    # kill -9 of `simulate --workers 2` left both workers running a minute later. Each
    # worker now watches its parent and exits once it is gone.
    import os
    import signal
    import subprocess
    import sys
    import time

    from paymodel.workers import usable_cores

    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to find the workers")
    if usable_cores() < 2:
        pytest.skip("two workers need two usable cores")
    parent = subprocess.Popen(
        [sys.executable, "-m", "paymodel", "simulate", "span-sources", "--samples",
         "100000000000", "--chunk-size", "65536", "--workers", "2", "--seed", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            assert parent.poll() is None, "simulate ended before its workers started"
            workers = [p for p in _children(parent.pid) if _alive(p)]
        assert len(workers) >= 2, "the two workers did not start"
        time.sleep(1.0)  # let them take up work
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "a worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in workers:  # whatever the outcome, nothing of this test keeps running
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- memory: every command counts all its dimensions and refuses in one line before work -------


def _fifty_layers(tmp_path: Path, **deployment: Any) -> Path:
    """A valid scenario at the layer limit, troops uncertain, as a JSON file."""
    from paymodel.limits import MAX_LAYERS

    doc = changed(
        diversion=_layers(MAX_LAYERS),
        deployment={"troops": uniform(1000, 2000), "months": 12, **deployment},
    )
    path = tmp_path / "fifty.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the kernel runs: a refusal must come before any work."""
    import importlib

    def no_work(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the kernel ran before the size was checked")

    # Every analysis evaluates a scenario through paymodel.contingents.evaluate_scenario.
    # The modules are imported here: with lazy imports, a test run alone may not have
    # loaded them yet.
    for module in ("paymodel.sweep", "paymodel.sobol", "paymodel.simulate", "paymodel.timeline"):
        monkeypatch.setattr(importlib.import_module(module), "evaluate_scenario", no_work)


def test_timeline_counts_layers_and_months(tmp_path: Path, no_kernel: None) -> None:
    # The issue's case: 50 layers over 1,200 months reached 6.2 GB. A sample-month holds
    # 7 flows + headcount + 50 layers = 58 columns, + 3 = 61 values: 10,000 (the default)
    # × 1,200 × 61 = 732,000,000 > 167,772,160, and 167,772,160 // 73,200 = 2,291 fit.
    path = _fifty_layers(tmp_path, months=1200)
    fragment = (
        "timeline: 10,000 samples × 1,200 months × 61 values a month is 732,000,000 values "
        "(5.5 GiB); at most 167,772,160 (1.25 GiB) are held at once; use at most 2,291 samples"
    )
    with pytest.raises(pm.ScenarioError) as caught:
        pm.timeline(pm.load(path), seed=1)
    assert str(caught.value) == fragment
    status, out, err = run("timeline", str(path), "--seed", "1")
    assert (status, out) == (2, "")
    assert assert_one_line(err) == f"paymodel: error: {fragment}"


def test_sweep_counts_layers(tmp_path: Path, no_kernel: None) -> None:
    # 3,000 × 1,000 points of a 50-layer scenario: the results hold 13 outputs + 52 layers
    # = 65 columns a point (50 layers, and "in kind" and "state transfer", which may appear
    # along an axis), 195,000,000 values in all > 167,772,160; 167,772,160 // 65 = 2,581,110
    # points fit. (The kernel's arrays are one chunk's at a time.)
    scenario = pm.load(_fifty_layers(tmp_path))
    grid = {"pay.gross_monthly_usd": "1:2:3000", "deployment.months": "1:2:1000"}
    with pytest.raises(pm.ScenarioError) as caught:
        pm.sweep(scenario, grid)
    assert str(caught.value) == (
        "sweep: 3,000,000 grid points × 65 columns a point is 195,000,000 values (1.5 GiB); "
        "at most 167,772,160 (1.25 GiB) are held at once; at most 2,581,110 points for this "
        "scenario's 50 layers (sweep fewer values, or split the grid)"
    )


def test_sweep_printout_counts_its_columns() -> None:
    # 500 × 800 = 400,000 points, printed as JSON with 13 outputs + 1 layer + "in kind" +
    # "state transfer" and 2 axes = 18 columns: 7,200,000 values > 5,000,000 (a million
    # points of JSON took 2 GB).
    status, out, err = run(
        "sweep", "independent-90", "--set", "deployment.troops=1000:2000:500",
        "--set", "deployment.months=1:12:800", "--json",
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert assert_one_line(err) == (
        "paymodel: error: sweep: 400,000 points × 18 columns is 7,200,000 values; at most "
        "5,000,000 as JSON, which is built whole (--csv streams larger grids; choose outputs "
        "with --output, sweep fewer values, or split the grid)"
    )
    # Two outputs chosen: 400,000 × 4 = 1,600,000 values, printed.
    out = run(
        "sweep", "independent-90", "--set", "deployment.troops=1000:2000:500",
        "--set", "deployment.months=1:12:800", "--csv", "--output", "paid_usd",
        "--output", "deaths",
    )[1]  # fmt: skip
    assert len(out.splitlines()) == 400_001


def test_sweep_printout_counts_the_twins_it_prints() -> None:
    # With a currency the JSON holds the twin of each of the 8 money outputs and 3 layers:
    # 16 + 8 + 3 = 27 columns + 2 axes = 29. 400 × 450 = 180,000 points × 29 = 5,220,000 >
    # 5,000,000, refused; at 400 × 430 = 172,000 points, 4,988,000 values are within it
    # (an upper bound that doubled every column, 34, refused that grid too: 5,848,000).
    grid = ("--set", "deployment.troops=1000:2000:400", "--currency", "KRW=1395", "--json")
    status, out, err = run("sweep", "independent-90", *grid, "--set", "deployment.months=1:12:450")
    assert (status, out) == (2, "")
    assert assert_one_line(err).startswith(
        "paymodel: error: sweep: 180,000 points × 29 columns is 5,220,000 values; at most "
        "5,000,000 as JSON"
    )
    status, out, err = run("sweep", "independent-90", *grid, "--set", "deployment.months=1:12:430")
    assert (status, err) == (0, "")
    printed = json.loads(out)
    outputs = printed["outputs"]
    assert len(outputs) == 13 + 8  # every output, and the money ones' twins
    # The first point, 1,000 troops for 1 month at $2,000: $2,000,000, × 1,395 won a dollar.
    assert (outputs["paid_usd"][0][0], outputs["paid_krw"][0][0]) == (2_000_000, 2_790_000_000)
    # Money is conserved at every point: paid = the soldiers' take-home + the layers' take.
    paid, kept, taken = (
        np.array(outputs[name])
        for name in ("paid_krw", "soldiers_take_home_krw", "regime_revenue_krw")
    )
    np.testing.assert_allclose(kept + taken, paid, rtol=1e-12)


def test_sobol_counts_its_inputs(no_kernel: None) -> None:
    # span-sources' 4 inputs: 12·4 + 16 = 64 values a base sample; 2²² × 64 = 268,435,456 >
    # 167,772,160 (2²² samples once peaked at 2 GB), and 167,772,160 // 64 = 2,621,440 fit.
    fragment = (
        "sobol: 4,194,304 samples × 64 values a sample is 268,435,456 values (2.0 GiB); at most "
        "167,772,160 (1.25 GiB) are held at once; use at most 2,621,440 samples for 4 uncertain "
        "inputs"
    )
    with pytest.raises(pm.ScenarioError) as caught:
        pm.sobol_indices(pm.builtin("span-sources"), "paid_usd", 2**22, seed=1)
    assert str(caught.value) == fragment
    status, _, err = run(
        "sensitivity", "span-sources", "--output", "paid_usd", "--method", "sobol",
        "--samples", str(2**22),
    )  # fmt: skip
    assert status == 2
    assert assert_one_line(err) == f"paymodel: error: {fragment}"


def test_kept_samples_count_layers(tmp_path: Path, no_kernel: None) -> None:
    # 13 outputs + 50 layers + 1 uncertain input = 64 kept values a sample:
    # 167,772,160 // 64 = 2,621,440 samples fit, far below MAX_KEPT_SAMPLES (10⁷).
    scenario = pm.load(_fifty_layers(tmp_path))
    with pytest.raises(pm.ScenarioError, match=r"samples must be at most 2,621,440 when every"):
        pm.simulate(scenario, 10**7, seed=1, keep_samples=True)
    status, _, err = run("simulate", str(tmp_path / "fifty.json"), "--keep-samples",
                         "--samples", "3000000")  # fmt: skip
    assert status == 2
    assert "argument --samples: must be at most 2,621,440 when every" in assert_one_line(err)


def test_discover_counts_layers(tmp_path: Path, no_kernel: None) -> None:
    # 64 kept values and PRIM's 4·1 + 2 = 6: 167,772,160 // 70 = 2,396,745 samples.
    status, _, err = run(
        "discover", str(_fifty_layers(tmp_path)), "--output", "paid_usd", "--above", "1",
        "--samples", "3000000",
    )  # fmt: skip
    assert status == 2
    assert "argument --samples: must be at most 2,396,745 for this scenario" in assert_one_line(err)


def test_report_counts_every_scenarios_samples(tmp_path: Path, no_kernel: None) -> None:
    # Three 50-layer scenarios keep 3 × 64 = 192 values a sample: 10⁶ samples are
    # 192,000,000 values > 167,772,160.
    document = json.loads(_fifty_layers(tmp_path).read_text())
    names = []
    for index in range(3):
        names.append(str(tmp_path / f"s{index}.json"))
        Path(names[-1]).write_text(json.dumps({**document, "name": f"s{index}"}))
    out = tmp_path / "r.html"
    status, _, err = run("report", *names, "--samples", "1000000", "--out", str(out))
    assert status == 2
    line = assert_one_line(err)
    assert "report: 1,000,000 samples × 192 kept values a sample is 192,000,000 values" in line
    assert not out.exists()


def _paths_of(layers: int) -> tuple[pm.Scenario, list[str]]:
    scenario = scenario_from_dict(changed(diversion=_layers(layers)))
    return scenario, list(scenario.input_paths())


@pytest.mark.parametrize("count", [33, 65])
def test_a_sweep_with_too_many_axes(count: int) -> None:
    # numpy arrays have at most 64 dimensions, one per axis; 65 axes crashed.
    from paymodel.sweep import MAX_AXES

    scenario, paths = _paths_of(50)
    grid = [(path, "1") if "share" not in path else (path, "0.001") for path in paths][:count]
    if len(grid) < count:  # a path swept twice is refused later; the count comes first
        grid += [grid[0]] * (count - len(grid))
    with pytest.raises(pm.ScenarioError) as caught:
        pm.sweep(scenario, grid)
    assert str(caught.value) == (
        f"sweep: {count} paths are swept; at most {MAX_AXES} (one array dimension each)"
    )
    argv = [f"--set={path}={values}" for path, values in grid]
    status, out, err = run("sweep", "nis-estimate", *argv)
    assert (status, out) == (2, "")
    assert f"sweep: {count} paths are swept; at most {MAX_AXES}" in assert_one_line(err)


def test_the_most_axes_allowed_run() -> None:
    from paymodel.sweep import MAX_AXES

    scenario, paths = _paths_of(30)
    grid = [(p, "0.001") if "share" in p else (p, "1") for p in paths if "wage" not in p]
    grid = grid[:MAX_AXES]
    assert len(grid) == MAX_AXES
    assert pm.sweep(scenario, grid).shape == (1,) * MAX_AXES


@pytest.mark.parametrize("span", ["1e308:-1e308:3", "-1.7e308:1.7e308:5", "1.5e308:-1.5e308:1000"])
def test_a_sweep_span_too_wide_for_a_float(span: str) -> None:
    # linspace stepped by ±inf: numpy warnings, then a complaint about a NaN never typed.
    fragment = f"pay.gross_monthly_usd: the span {span!r} is too wide to divide into"
    with pytest.raises(pm.ScenarioError) as caught:
        pm.sweep(pm.builtin("independent-90"), {"pay.gross_monthly_usd": span})
    assert str(caught.value).startswith(fragment)
    assert "nan" not in str(caught.value).lower()
    status, out, err = run("sweep", "independent-90", "--set", f"pay.gross_monthly_usd={span}")
    assert (status, out) == (2, "")
    assert fragment in assert_one_line(err)


# -- distributions that leave their field's domain -----------------------------------------------

OUTSIDE_THE_DOMAIN = [
    pytest.param(  # the issue's case: 4.25 % of draws became 1 troop, 4.7 % passed 10⁷
        "deployment__troops",
        {"kind": "lognormal", "p5": 1.5, "p95": 9e6},
        # σ = ln(6·10⁶)/(2·1.6449) = 4.742, median √(1.35·10⁷) = 3,674.2: below 1 is
        # Φ(−ln 3,674.2/4.742) = Φ(−1.731) = 4.18 %, above 10⁷ Φ(−(16.118 − 8.209)/4.742) =
        # Φ(−1.668) = 4.78 %.
        "must be between 1 and 10,000,000, but 4.18 % of its values lie below 1 and 4.78 % "
        "above 10,000,000 (at most one in a billion may): raise p5 and lower p95",
        id="troops-lognormal",
    ),
    pytest.param(
        "deployment__months",
        {"kind": "normal", "mean": 1180, "sd": 10, "low": 1},
        # Its p95, 1,196.4, is within the limit, yet 1,200 is 2 sd above the mean:
        # Φ(−2) = 2.28 % of the values lie above it.
        "2.28 % above 1,200 (at most one in a billion may): truncate it with a high of 1200",
        id="months-normal-open-above",
    ),
    pytest.param(
        "baseline__kpw_per_usd",
        {"kind": "lognormal", "p5": 2, "p95": 10_000},
        # σ = ln(5,000)/(2·1.6449) = 2.589, median √20,000 = 141.4: Φ(−4.952/2.589) = 2.79 %.
        "2.79 % of its values lie below 1 (at most one in a billion may): raise p5",
        id="exchange-rate-lognormal-below-1",
    ),
]


@pytest.mark.parametrize(("field", "value", "fragment"), OUTSIDE_THE_DOMAIN)
def test_a_distribution_outside_its_domain_is_refused(
    field: str, value: dict[str, Any], fragment: str, tmp_path: Path
) -> None:
    doc = changed(**{field: value})
    if field.startswith("baseline__kpw"):
        doc["baseline"]["domestic_monthly_wage_kpw"] = 30_000
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc)
    message = str(caught.value)
    assert field.replace("__", ".") in message
    assert fragment in message
    path = tmp_path / "outside.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, out, err = run("simulate", str(path))
    assert (status, out) == (2, "")
    assert fragment in assert_one_line(err)
    # The same through evolve, as sweeps, checks and the API change an input.
    with pytest.raises(pm.ScenarioError, match="at most one in a billion"):
        pm.builtin("nis-estimate").evolve(**{field.replace("__", "."): value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        # Just inside: the log-median lies 6.2 σ from both ends of [1, 10⁷].
        ("deployment__troops", {"kind": "lognormal", "p5": 1024.0, "p95": 9765.0}),
        ("deployment__troops", {"kind": "lognormal", "p5": 11_000, "p95": 15_000}),
        # From 0: the values between 0 and the field's smallest amount (10⁻⁶/100 = 10⁻⁸ of
        # a bonus uniform on [0, 100] lie below a millionth of a dollar; a beta(0.5, 5) share
        # puts about 2·10⁻⁶ below 10⁻¹²) count as 0 when drawn, a change smaller than the
        # field's smallest amount, so they are not outside the domain.
        ("pay__signing_bonus_usd", {"kind": "uniform", "low": 0, "high": 1000}),
        ("pay__signing_bonus_usd", {"kind": "uniform", "low": 0, "high": 100}),
        ("pay__delivered_share", {"kind": "beta", "alpha": 0.5, "beta": 5}),
        ("pay__gross_monthly_usd", {"kind": "triangular", "low": 0, "mode": 0, "high": 1e-5}),
        ("pay__delivered_share", {"kind": "beta", "alpha": 2, "beta": 5}),
        ("pay__delivered_share", {"kind": "normal", "mean": 0.9, "sd": 0.05, "low": 0, "high": 1}),
        ("deployment__months", {"kind": "normal", "mean": 12, "sd": 2, "low": 1}),
    ],
)
def test_a_distribution_inside_its_domain_is_accepted(field: str, value: dict[str, Any]) -> None:
    scenario = scenario_from_dict(changed(**{field: value}))
    below, above = scenario.variable_input(field.replace("__", "."))[1].shares_outside(
        scenario.uncertain_inputs()[field.replace("__", ".")]
    )
    assert below <= 1e-9
    assert above <= 1e-9


# -- digit-like characters in dotted paths (issue 11) ------------------------------------------

#: ``str.isdigit`` is true for these, and ``int`` refuses them: a path part made of them is a
#: layer name (none has it), never an index, and the error is one line.
_DIGIT_LIKE = ["²", "①", "³0", "٣"]  # superscript, circled, mixed, Arabic-Indic three
#: Indexes past every list: 19 digits, and 5,000, more than int() reads (4,300), which
#: made an internal error of `--set diversion.<5,000 digits>.share=0.5`.
_HUGE_INDEXES = ["9" * 19, "1" * 5_000]
_BAD_PARTS = [
    *(pytest.param(part, id=part) for part in _DIGIT_LIKE),
    *(pytest.param(part, id=f"{len(part)}-digits") for part in _HUGE_INDEXES),
]


@pytest.mark.parametrize("part", _BAD_PARTS)
def test_digit_like_path_part_api(part: str) -> None:
    scenario = pm.builtin("independent-90")
    path = f"diversion.{part}.share"
    calls = [
        lambda: scenario.evolve(**{path: 0.5}),
        lambda: scenario.variable_input(path),
        lambda: pm.sweep(scenario, [(path, [0.5, 0.6])]),
        lambda: pm.solve(scenario, path, {"take_home_monthly_usd": 500}),
    ]
    for call in calls:
        with pytest.raises(pm.ScenarioError) as caught:
            call()
        message = str(caught.value)
        assert f"no layer {part!r} in diversion" in message
        assert "\n" not in message


def test_a_layer_named_with_digit_like_characters_is_found_by_name() -> None:
    scenario = pm.builtin("independent-90").evolve(diversion=[{"name": "²", "share": 0.9}])
    # t = 2000·(1 − 0.5) = 1000
    changed_scenario = scenario.evolve(**{"diversion.².share": 0.5})
    assert pm.compute(changed_scenario).take_home_monthly_usd == 1000.0


@pytest.mark.parametrize("part", _BAD_PARTS)
def test_digit_like_path_part_cli(part: str) -> None:
    for argv in (
        ["sweep", "independent-90", "--set", f"diversion.{part}.share=0.5"],
        [
            "solve",
            "independent-90",
            "--vary",
            f"diversion.{part}.share",
            "--target",
            "take_home_monthly_usd=500",
        ],
    ):
        status, out, err = run(*argv)
        assert (status, out) == (2, ""), (argv, err)
        assert f"no layer {part!r} in diversion" in assert_one_line(err)


@pytest.mark.parametrize("part", _BAD_PARTS)
def test_digit_like_path_part_check_file(part: str, tmp_path: Path) -> None:
    path = tmp_path / "digits.check.toml"
    path.write_bytes(_case(f'set = {{ "diversion.{part}.share" = 0.5 }}'))
    with pytest.raises(pm.CheckFileError, match=f"no layer '{part}' in diversion"):
        load_checks(path)
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    assert f"no layer '{part}' in diversion" in assert_one_line(err)


def test_digit_like_path_part_testing_strategies() -> None:
    from hypothesis.errors import InvalidArgument

    from paymodel.testing import distributions

    distributions("diversion.0.share")  # an index: the generic field diversion.share
    with pytest.raises(InvalidArgument, match="is not a numeric field"):
        distributions("diversion.².share")


# -- names the file system refuses, in every command (issue 11) ---------------------------------

#: A name longer than any file system allows (255 bytes a part on Linux and macOS).
_TOO_LONG = "a" * 300


def _entries(folder: Path) -> list[tuple[str, int]]:
    """Every name under ``folder`` with its size, links as links (a loop of links is listed)."""
    return sorted((str(p.relative_to(folder)), p.lstat().st_size) for p in folder.rglob("*"))


#: Every command that takes a file name, with that name where it goes: {name} is replaced.
_NAMED_FILE_COMMANDS = [
    ["run", "{name}"],
    ["compare", "nis-estimate", "{name}"],
    ["explain", "{name}"],
    ["simulate", "{name}", "--samples", "10"],
    ["sensitivity", "{name}", "--output", "paid_usd"],
    ["timeline", "{name}"],
    ["sweep", "{name}", "--set", "deployment.troops=1,2"],
    ["solve", "{name}", "--vary", "deployment.troops", "--target", "paid_usd=1"],
    ["discover", "{name}", "--output", "paid_usd", "--above", "1"],
    ["report", "{name}", "--out", "r.html"],
    ["report", "nis-estimate", "--samples", "10", "--out", "{name}.html"],
    ["report", "nis-estimate", "--samples", "10", "--out", "{name}.md"],
    ["report", "nis-estimate", "--samples", "10", "--out", "{name}/r.md"],
    ["check", "{name}.check.toml"],
    ["init", "{name}.toml"],
    ["init", "{name}/my.toml"],
    ["init", "--force", "{name}.toml"],
]


@pytest.mark.parametrize("how", ["too-long", "link-loop"])
@pytest.mark.parametrize("argv", _NAMED_FILE_COMMANDS, ids=lambda a: " ".join(a)[:40])
def test_a_name_the_file_system_refuses_is_one_line(
    argv: list[str], how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = _TOO_LONG
    if how == "link-loop":
        name = "loop"
        (tmp_path / "loop").symlink_to("loop")
        for suffix in (".html", ".md", ".check.toml", ".toml"):
            (tmp_path / f"loop{suffix}").symlink_to(f"loop{suffix}")
    before = _entries(tmp_path)
    status, out, err = run(*(part.replace("{name}", name) for part in argv))
    assert (status, out) == (2, ""), err
    line = assert_one_line(err)
    reason = "File name too long" if how == "too-long" else "Too many levels of symbolic links"
    assert reason in line, line
    assert _entries(tmp_path) == before


def test_a_name_the_file_system_refuses_in_a_check_file(tmp_path: Path) -> None:
    path = tmp_path / "long.check.toml"
    path.write_bytes(_check_with(**{'scenario__"nis-estimate"': f'scenario = "{_TOO_LONG}.toml"'}))
    with pytest.raises(pm.CheckFileError, match=r"scenario: .*cannot read \(File name too long"):
        load_checks(path)
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    assert "File name too long" in assert_one_line(err)


@pytest.mark.parametrize(
    "argv", [["init", "locked/my.toml"], ["report", "nis-estimate", "--out", "locked/r.html"]]
)
def test_a_folder_paymodel_may_not_look_into(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root, permissions do not stop anything: make the file system refuse, as it would.
    import os

    monkeypatch.chdir(tmp_path)
    real_stat = os.stat

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if "locked" in os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refuse)
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    assert "locked/" in assert_one_line(err)
    assert "(Permission denied)" in err


def test_an_os_error_no_command_caught_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import paymodel.cli

    def refuse(args: Any, out: Any) -> int:
        raise OSError(28, "No space left on device", "/somewhere/file")

    import dataclasses

    command = paymodel.cli._COMMANDS["run"]
    monkeypatch.setitem(paymodel.cli._COMMANDS, "run", dataclasses.replace(command, run=refuse))
    status, out, err = run("run", "nis-estimate")
    assert (status, out) == (2, "")
    assert assert_one_line(err) == "paymodel: error: /somewhere/file: No space left on device"


# -- paymodel init: the format the name says, or nothing written (issue 11) ---------------------


@pytest.mark.parametrize("name", ["my.toml", "my.json", "MY.JSON", "my.scenario.Toml"])
def test_init_writes_what_the_name_says_and_it_loads_back(name: str, tmp_path: Path) -> None:
    import tomllib

    from paymodel.files import TEMPLATE

    target = tmp_path / name
    status, out, err = run("init", str(target))
    assert (status, err) == (0, ""), err
    text = target.read_text(encoding="utf-8")
    if name.lower().endswith(".json"):
        document = json.loads(text)  # JSON, not the TOML template under a .json name
        assert document["name"] == "my-scenario"
    else:
        assert text == TEMPLATE
    # Both formats hold the same scenario: the loader reads .json as JSON, the rest as TOML.
    assert pm.load(target) == scenario_from_dict(tomllib.loads(TEMPLATE))
    status, out, err = run("run", "--json", str(target))
    assert (status, err) == (0, "")
    assert json.loads(out)["scenario"] == "my-scenario"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("notes.md", "name the file .toml (commented TOML) or .json (JSON)"),
        ("scenario", "name the file .toml (commented TOML) or .json (JSON)"),
        ("my.toml.bak", "name the file .toml (commented TOML) or .json (JSON)"),
        ("my.check.toml", "a name ending in .check.toml is for scenario test files"),
    ],
)
@pytest.mark.parametrize("existing", [False, True])
def test_init_refuses_a_name_it_would_not_read_back_as_written(
    name: str, fragment: str, existing: bool, tmp_path: Path
) -> None:
    target = tmp_path / name
    if existing:
        target.write_text("the user's own\n")
    before = _listing(tmp_path)
    status, out, err = run("init", "--force", str(target))
    assert (status, out) == (2, "")
    assert fragment in assert_one_line(err)
    assert _listing(tmp_path) == before
    if existing:
        assert target.read_text() == "the user's own\n"


# -- free text: one rule for every field a person writes (issue 11) -----------------------------

#: (document, the field the message names, a fragment of the rule). Lone surrogates reach
#: paymodel only through JSON's \u escapes (TOML refuses them); they can be neither printed nor
#: written as UTF-8, so `compare`, `explain` and `report` crashed on a title holding one.
FREE_TEXT = [
    pytest.param(changed(title="\udfff"), "title", "lone surrogate", id="title-surrogate"),
    pytest.param(
        changed(description="fine, then \ud800"), "description", "lone surrogate", id="desc"
    ),
    pytest.param(
        changed(diversion=layer(name="state \udfff", share=0.9)),
        "diversion.0.name",
        "lone surrogate",
        id="layer-surrogate",
    ),
    pytest.param(changed(name="\udfff"), "name", "lone surrogate", id="name-surrogate"),
    # A name is one line that shows something.
    pytest.param(changed(name="worked-example\n"), "name", "must use letters", id="name-newline"),
    pytest.param(
        changed(diversion=layer(name="state\n", share=0.9)),
        "diversion.0.name",
        "one line without control characters",
        id="layer-newline",
    ),
    pytest.param(
        changed(diversion=layer(name="\x1b[2Jstate", share=0.9)),
        "diversion.0.name",
        "one line without control characters",
        id="layer-escape",
    ),
    pytest.param(
        changed(diversion=layer(name="   ", share=0.9)),
        "diversion.0.name",
        "must not be blank",
        id="layer-spaces",
    ),
    pytest.param(
        changed(diversion=layer(name="\u3000\u00a0", share=0.9)),
        "diversion.0.name",
        "must not be blank",
        id="layer-unicode-spaces",
    ),
]


@pytest.mark.parametrize(("doc", "field", "fragment"), FREE_TEXT)
def test_free_text_api_and_file(
    doc: dict[str, Any], field: str, fragment: str, tmp_path: Path
) -> None:
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc)
    _check_message(str(caught.value), field, fragment)
    with pytest.raises(ValidationError):
        pm.Scenario.model_validate(doc)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # \udfff as JSON's escape
    for argv in (["run", str(path)], ["compare", str(path)], ["explain", str(path)]):
        status, out, err = run(*argv)
        assert (status, out) == (2, ""), (argv, err)
        line = assert_one_line(err)
        assert fragment in line, line
        assert field in line, line


def test_a_lone_surrogate_never_reaches_a_report(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(changed(title="\udfff")), encoding="utf-8")
    status, out, err = run("report", str(path), "--samples", "10", "--out", str(tmp_path / "r.md"))
    assert (status, out) == (2, "")
    assert "lone surrogate" in assert_one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.json"]
    with pytest.raises(pm.ScenarioError, match="title: must not hold a lone surrogate"):
        pm.report(["nis-estimate"], tmp_path / "r.html", samples=10, title="\udcff")


def test_a_report_title_from_undecodable_arguments(tmp_path: Path) -> None:
    # A byte that is not UTF-8 in argv reaches Python as a lone surrogate (surrogateescape).
    status, out, err = run(
        "report", "nis-estimate", "--samples", "10", "--title", "caf\udce9",
        "--out", str(tmp_path / "r.html"),
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert "title: must not hold a lone surrogate" in assert_one_line(err)


def test_names_that_read_well_are_still_accepted() -> None:
    # Unicode letters, inner spaces, punctuation: names as people write them.
    for name in ("party / Kim family", "Partei – Familie Kim", "당", "state (2024)"):
        scenario_from_dict(changed(diversion=layer(name=name, share=0.9)))
    scenario_from_dict(changed(title="a title\twith a tab", description="two\nlines"))


_CHECK_FREE_TEXT = [
    pytest.param(_check_with(**{'name__"c"': 'name = "c\\n"'}), "name: must use", id="newline"),
    pytest.param(_check_with(**{'name__"c"': 'name = "c "'}), "name: must use", id="space"),
    pytest.param(_check_with(**{'name__"c"': 'name = " "'}), "name: must use", id="blank"),
]


@pytest.mark.parametrize(("content", "fragment"), _CHECK_FREE_TEXT)
def test_check_case_names_are_whole_matches(content: bytes, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.check.toml"
    path.write_bytes(content)
    with pytest.raises(pm.CheckFileError, match=fragment):
        load_checks(path)
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    assert fragment in assert_one_line(err)


@pytest.mark.parametrize(
    "where",
    [
        ("title",),
        ("case", 0, "description"),
        ("case", 0, "expected", "paid_usd", "note"),
        ("case", 0, "scenario", "title"),
    ],
)
def test_check_file_free_text_refuses_lone_surrogates(
    where: tuple[Any, ...], tmp_path: Path
) -> None:
    # A check file named .json is read as JSON, which can spell a lone surrogate.
    document: dict[str, Any] = {
        "case": [
            {
                "name": "c",
                "scenario": copy.deepcopy(BASE),
                "expected": {"paid_usd": {"value": 264e6}},
            }
        ]
    }
    node: Any = document
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = "text \udfff"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(pm.CheckFileError, match="lone surrogate"):
        load_checks(path)
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    assert "lone surrogate" in assert_one_line(err)


# -- what reaches a terminal: control and bidirectional characters escaped (issue 11) -------------

#: A title and a description that try to clear the screen, set the window title, make a
#: hyperlink, ring the bell and show text backwards; a layer name with a right-to-left
#: override and a zero-width space (control characters are refused in names).
_EVIL_TITLE = "T\x1b[2J\x1b]0;pwned\x07 \u202eevil\u202c \u2066x\u2069 \x9b1m"
_EVIL_DESCRIPTION = "line one\nline two \x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\ \u200b"
_EVIL_LAYER = "st\u202eate\u200b"
_EVIL = changed(
    title=_EVIL_TITLE,
    description=_EVIL_DESCRIPTION,
    diversion=layer(name=_EVIL_LAYER, share=uniform(0.8, 0.9)),
)


def _terminal_safe(text: str) -> None:
    """Nothing in ``text`` acts on a terminal: only printable characters and line breaks."""
    acting = sorted({f"U+{ord(c):04X}" for c in text if not (c.isprintable() or c in "\n")})
    assert not acting, acting


def _evil_file(folder: Path) -> Path:
    path = folder / "evil.json"
    path.write_text(json.dumps(_EVIL), encoding="utf-8")
    return path


_TERMINAL_COMMANDS = [
    ["run", "{file}"],
    ["explain", "{file}"],
    ["compare", "{file}"],
    ["simulate", "{file}", "--samples", "200", "--seed", "1"],
    ["timeline", "{file}", "--samples", "20", "--seed", "1"],
    ["timeline", "{file}", "--samples", "20", "--seed", "1", "--csv"],
    ["sweep", "{file}", "--set", "deployment.troops=1,2", "--output", f"layer:{_EVIL_LAYER}"],
    ["sweep", "{file}", "--set", "deployment.troops=1,2", "--csv"],
    ["sensitivity", "{file}", "--output", f"layer:{_EVIL_LAYER}"],
    ["solve", "{file}", "--vary", "deployment.troops", "--target", "paid_usd=1e6"],
    ["discover", "{file}", "--output", "paid_usd", "--above", "1", "--samples", "500",
     "--seed", "1"],
    ["sweep", "{file}", "--set", "deployment.troops=1,2", "--output", "layer:\u202enope"],
]  # fmt: skip


@pytest.mark.parametrize("argv", _TERMINAL_COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:])[:40])
def test_user_text_reaches_the_terminal_escaped(argv: list[str], tmp_path: Path) -> None:
    file = str(_evil_file(tmp_path))
    status, out, err = run(*(part.replace("{file}", file) for part in argv))
    assert status in (0, 2), err
    _terminal_safe(out)
    _terminal_safe(err)
    assert out or err


def test_explain_shows_the_escapes_where_the_characters_were(tmp_path: Path) -> None:
    status, out, err = run("explain", str(_evil_file(tmp_path)))
    assert (status, err) == (0, "")
    # The title stays on its line with every character accounted for.
    assert "T\\u001b[2J\\u001b]0;pwned\\u0007 \\u202eevil\\u202c \\u2066x\\u2069 \\u009b1m" in out
    assert "line one\nline two \\u001b]8;;https://example.com" in out  # lines kept
    assert "\\u200b" in out
    # The Python API's text is the same text.
    _terminal_safe(pm.explain(scenario_from_dict(_EVIL)).to_text())
    _terminal_safe(pm.compare([scenario_from_dict(_EVIL)]).to_text())


def test_a_title_with_a_newline_stays_on_its_line(tmp_path: Path) -> None:
    doc = changed(title="first\nFAKE: second")
    for text in (pm.explain(scenario_from_dict(doc)).to_text(),
                 pm.compare([scenario_from_dict(doc)]).to_text()):  # fmt: skip
        assert "worked-example: first\\u000aFAKE: second" in text
        assert "\nFAKE" not in text


def test_a_carriage_return_cannot_overwrite_a_line(tmp_path: Path) -> None:
    # "\r" alone sends the cursor back: the rest of the description would be shown over its
    # start. It is escaped; a "\r\n" line end stays as it is.
    doc = changed(description="An honest line\r  pay.gross_monthly_usd = 99,999\r\nnext")
    path = tmp_path / "cr.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, out, err = run("explain", str(path))
    assert (status, err) == (0, "")
    assert "An honest line\\u000d  pay.gross_monthly_usd = 99,999\r\nnext" in out
    assert out.count("\r") == 1
    # The progress line of simulate is the one carriage return written as it is.
    from paymodel.cli import _Terminal

    stream = io.StringIO()
    _Terminal(stream).rewrite_line("simulate: 50.0 % \x1b[2J\r")
    assert stream.getvalue() == "\rsimulate: 50.0 % \\u001b[2J\\u000d"


def test_tables_stay_in_line_with_escaped_names() -> None:
    # The layer's name, "st\u202eate\u200b", is 5 characters that show as 23 once escaped:
    # the table measures its columns after escaping, so the layer's row is as long as the
    # others (the last column is right-aligned, so every row ends at the same column).
    text = pm.simulate(scenario_from_dict(_EVIL), 200, seed=1).to_text()
    rows = text.splitlines()[1:]
    assert rows[-1].startswith("layer st\\u202eate\\u200b ")
    assert {len(row) for row in rows} == {len(rows[0])}
    _terminal_safe(text)


def test_check_reports_escape_file_names_and_text(tmp_path: Path) -> None:
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "\x1b[2J\u202e.check.toml").write_bytes(_CHECK.encode())
    bad = folder / "bad\x07"
    bad.mkdir()
    (bad / "x.check.toml").write_bytes(_check_with(**{'name__"c"': 'name = "c\\u001b"'}))
    status, out, err = run("check", str(folder / "\x1b[2J\u202e.check.toml"))
    assert status == 0, err
    _terminal_safe(out)
    assert "[2J" in out  # the name, shown escaped (as messages quote file names)
    status, out, err = run("check", str(folder))
    assert (status, out) == (2, "")
    _terminal_safe(err)


def test_python_messages_show_file_names_as_files_does(tmp_path: Path) -> None:
    # The Python API's messages (not only the CLI's, which escapes every line) name a file
    # through files.shown_name: quoted when it holds a control character, cut in the middle
    # when long, so that the file's own name (the end) is still there.
    empty = tmp_path / "empty\x1b[2J"
    empty.mkdir()
    long_name = tmp_path / ("b" * 200) / "x.check.toml"
    for make, fragment, shown in (
        (lambda: check_files([empty]), "no *.check.toml files in this folder", "empty\\x1b[2J"),
        (lambda: check_files([tmp_path / "gone\x1b[2J"]), "no such file or", "gone\\x1b[2J"),
        (lambda: load_checks(tmp_path / "gone\x1b.check.toml"), "no such file", "gone\\x1b."),
        (lambda: load_scenario_file(tmp_path / "gone\x07.toml"), "no such file", "gone\\x07."),
        (lambda: check_files([long_name]), "no such file or folder", "bbb/x.check.toml"),
    ):
        with pytest.raises(pm.ScenarioError) as caught:
            make()
        message = assert_one_line(f"{caught.value}\n")
        assert fragment in message
        assert shown in message
        _terminal_safe(message)
        assert "b" * 200 not in message  # shown_name shows at most 120 characters


def test_check_file_messages_quote_a_key_with_control_characters(tmp_path: Path) -> None:
    # Keys of [case.expected] name outputs and contingents; the Python API's message shows
    # such a key quoted (show_path), not raw, as the CLI does.
    path = tmp_path / "keys.check.toml"
    for expected in (
        '[case.expected.contingents."\\u001b[2J"]\ndeaths = 1\n',
        '[case.expected.contingents."\\u001b[2J"]\ndeaths = "x"\n',
        '[case.expected]\n"contingents.\\u001b[2J.deaths" = 1\n',
        '[case.expected]\n"\\u001b[2J" = 1\n',
    ):
        path.write_text(_CHECK.split("[case.expected]")[0] + expected, encoding="utf-8")
        with pytest.raises(pm.CheckFileError) as caught:
            load_checks(path)
        message = assert_one_line(f"{caught.value}\n")
        _terminal_safe(message)
        assert "\\x1b[2J" in message, message


def test_error_lines_escape_what_they_quote(tmp_path: Path) -> None:
    for argv in (
        ["run", "\x1b]0;pwned\x07.toml"],
        ["sources", "\u202eX"],
        ["sweep", "nis-estimate", "--set", "\x1b[2J=1"],
        ["simulate", "nis-estimate", "--samples", "\x1b[2J"],
    ):
        status, out, err = run(*argv)
        assert (status, out) == (2, ""), argv
        _terminal_safe(assert_one_line(err))


# -- reports: nothing a user wrote is markup (issue 11) ------------------------------------------

#: A file name that closes a backtick code span and opens an image with a script; a title,
#: description and layer name that try HTML, links, emphasis and a code fence.
_HOSTILE_FILE = "x`<img src=x onerror=alert(1)>`.json"
_HOSTILE = changed(
    name="hostile",
    title="<script>alert(1)</script> [t](javascript:alert(2)) ``` *b*",
    description="<img src=y onerror=alert(3)> & [d](javascript:alert(4)) <!-- c -->",
    pay={"gross_monthly_usd": uniform(1500, 2500)},
    diversion=layer(name="<a href=javascript:alert(5)>x</a> ``` ]", share=0.5),
)


class _Tags(html.parser.HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _hostile_report(folder: Path, out: str) -> tuple[Path, str]:
    source = folder / _HOSTILE_FILE
    source.write_text(json.dumps(_HOSTILE), encoding="utf-8")
    target = folder / out
    status, _stdout, err = run(
        "report", str(source), "--samples", "200", "--seed", "1", "--output", "paid_usd",
        "--title", "<b>t</b> `x` [l](javascript:alert(6))", "--out", str(target),
    )  # fmt: skip
    assert (status, err) == (0, ""), err
    return target, target.read_text(encoding="utf-8")


def _no_live_markup(page: str, images_from: str) -> None:
    """Only the report's own tags: images of its charts, no script, handler or link."""
    parser = _Tags()
    parser.feed(page)
    for tag, attributes in parser.tags:
        assert tag not in {"script", "iframe", "object", "embed", "a"} or (
            tag == "a" and (attributes.get("href") or "").startswith("#")
        ), (tag, attributes)
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        if tag == "img":
            assert (attributes.get("src") or "").startswith(images_from), attributes


@pytest.mark.parametrize("out", ["r.md", "my notes (draft).md"])
def test_markdown_report_shows_every_user_text_as_text(out: str, tmp_path: Path) -> None:
    import urllib.parse

    markdown = pytest.importorskip("markdown")  # Python-Markdown, as mkdocs renders pages
    target, text = _hostile_report(tmp_path, out)
    folder = target.stem + "_files"
    for page in (
        markdown.markdown(text, extensions=["tables", "fenced_code"]),
        markdown.markdown(text),
    ):
        _no_live_markup(page, urllib.parse.quote(folder))
        assert "alert(1)" in page  # the file name is shown, as text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Every chart the text links to exists, the link target percent-encoded.
    targets = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(targets) >= 5
    for link in targets:
        assert " " not in link
        assert "(" not in link
        assert (tmp_path / urllib.parse.unquote(link)).is_file(), link


def test_html_report_shows_every_user_text_as_text(tmp_path: Path) -> None:
    _, page = _hostile_report(tmp_path, "r.html")
    _no_live_markup(page, "data:image/svg+xml;base64,")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "x`&lt;img src=x onerror=alert(1)&gt;`.json" in page


# -- a Markdown report never takes a name that is the user's (issue 11) ----------------------------


@pytest.mark.parametrize("kind", ["file", "folder", "empty-folder", "link"])
def test_report_refuses_a_chart_folder_name_paymodel_did_not_write(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    taken = tmp_path / "x_files"
    if kind == "file":
        taken.write_text("the user's own\n")
    elif kind == "link":
        (tmp_path / "elsewhere").mkdir()
        taken.symlink_to("elsewhere")
    else:
        taken.mkdir()
        if kind == "folder":
            (taken / "notes.txt").write_text("the user's own\n")
            (taken / "take-home.png").write_bytes(b"mine")
    before = _entries(tmp_path)
    status, out, err = run("report", "nis-estimate", "--samples", "50", "--out", "x.md")
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "x_files is a " in line
    assert "paymodel did not write" in line
    assert _entries(tmp_path) == before  # nothing moved aside, replaced or added
    with pytest.raises(pm.ScenarioError, match="paymodel did not write"):
        pm.report(["nis-estimate"], tmp_path / "x.md", samples=50)
    assert _entries(tmp_path) == before


def test_report_takes_back_a_chart_folder_an_earlier_paymodel_wrote(tmp_path: Path) -> None:
    # Before the marker, the folder held the charts only, always with the three overviews.
    folder = tmp_path / "r_files"
    folder.mkdir()
    for name in ("take-home.png", "revenue.png", "dollar-split.png", "01-x-timeline.png"):
        (folder / name).write_bytes(b"\x89PNG old")
    # The text as paymodel 0.1 wrote it, without the mark Markdown reports now end with.
    (tmp_path / "r.md").write_text(
        "# Where the money goes\n\nWhat one soldier takes home ...\n\n"
        "paymodel 0.1.0 · 1 scenario · 50 samples per scenario · seed 1 · to repeat: "
        "`paymodel report nis-estimate --samples 50 --seed 1 --out r.md`\n\n"
        "![old](r_files/revenue.png)\n"
    )
    status, _, err = run(
        "report", "nis-estimate", "--samples", "50", "--out", str(tmp_path / "r.md")
    )
    assert (status, err) == (0, "")
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == ".paymodel-charts"
    assert len(names) == 2  # the marker and the new charts; the old charts are gone
    assert re.fullmatch(r"charts-[0-9a-f]{16}", names[1])


# -- paymodel writes over nothing it did not write: reports and init -------------------------------

_OWN = "{} exists and is not a report paymodel wrote; choose another name for the report or remove"
_LINK = "{} is a symbolic link, and paymodel writes a report neither over a link nor through it"
_PIPE = "cannot write {} (not a regular file)"

#: (the command line, naming a file last; its one line, the name in place of {}). What is at
#: each name is made by `_taken_names`: the user's own page and notes, an empty file, links,
#: pipes, a folder. `marked.html` starts as a report paymodel wrote does: a link to it is
#: refused for being a link.
_TAKEN_NAMES: list[tuple[list[str], str]] = [
    (["report", "nis-estimate", "--out", "index.html"], _OWN),
    (["report", "nis-estimate", "--out", "notes.md"], _OWN),
    (["report", "--format", "md", "--out", "notes.txt"], _OWN),
    (["report", "--out", "empty.html"], _OWN),
    (["report", "--out", "copied-head.html"], _OWN),
    (["report", "--out", "to-marked.html"], _LINK),
    (["report", "--out", "to-notes.md"], _LINK),
    (["report", "--out", "dangling.html"], _LINK),
    (["report", "--out", "pipe.html"], _PIPE),
    (["report", "--out", "folder.md"], "{} is a directory; give a file name"),
    (["init", "mine.toml"], "{} exists; add --force to overwrite it, or choose another name"),
    (["init", "link.toml"], "{} exists (a symbolic link); add --force to overwrite it"),
    (["init", "pipe.toml"], _PIPE),
    (["init", "--force", "pipe.toml"], _PIPE),
]


def _taken_names(folder: Path) -> dict[str, bytes]:
    """Put the user's things at every name of `_TAKEN_NAMES`; return each file's bytes."""
    import os

    from paymodel.report import _GENERATOR, _HTML_START  # what a report's head starts with

    files = {
        "index.html": b'<!DOCTYPE html>\n<html><head><meta name="generator" content="Hugo">',
        "notes.md": b"# My notes\n\nWhere the money goes: paymodel report, seed 7.\n",
        "notes.txt": b"notes\n",
        "empty.html": b"",
        # The head of a paymodel report before the mark, without the rest of one.
        "copied-head.html": (
            _HTML_START + '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "\n<title>Mine</title>\n<p>My page, no paymodel line.</p>\n"
        ).encode(),
        "marked.html": (_HTML_START + _GENERATOR.format(version="0.1.0") + "\n").encode(),
        "mine.toml": b'name = "mine"\n',
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "to-marked.html").symlink_to("marked.html")
    (folder / "to-notes.md").symlink_to("notes.md")
    (folder / "dangling.html").symlink_to("nowhere.html")
    (folder / "link.toml").symlink_to("mine.toml")
    os.mkfifo(folder / "pipe.html")
    os.mkfifo(folder / "pipe.toml")
    (folder / "folder.md").mkdir()
    return files


def _no_simulation(*_: object, **__: object) -> None:
    raise AssertionError("the report simulated before refusing its name")


@pytest.mark.parametrize(
    ("argv", "message"), _TAKEN_NAMES, ids=[" ".join(a) for a, _ in _TAKEN_NAMES]
)
def test_paymodel_writes_over_nothing_it_did_not_write(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import os
    import stat

    monkeypatch.chdir(tmp_path)
    report_module = importlib.import_module("paymodel.report")  # pm.report is the function
    # Refused before any work: computing and drawing a report (its simulations) fails here.
    monkeypatch.setattr(report_module, "_content", _no_simulation)
    files = _taken_names(tmp_path)
    before = _entries(tmp_path)
    status, out, err = run(*argv)
    assert (status, out) == (2, ""), err
    line = assert_one_line(err)
    name = argv[-1]
    fragment = message.format(name)
    assert line.startswith(f"paymodel: error: {argv[0]}: {fragment}"), line
    assert _entries(tmp_path) == before  # nothing added, moved aside or replaced
    assert {n: (tmp_path / n).read_bytes() for n in files} == files
    assert os.readlink("to-marked.html") == "marked.html"
    assert stat.S_ISFIFO(os.lstat("pipe.html").st_mode)
    if argv[0] == "report":  # the same refusal from Python, a ValueError naming the path
        with pytest.raises(pm.ArgumentError, match=re.escape(fragment)) as caught:
            pm.report(["nis-estimate"], name, "md" if name.endswith(".txt") else None)
        assert caught.value.argument == "path"
        assert _entries(tmp_path) == before
        with pytest.raises(AssertionError, match="simulated before"):  # a free name: work
            pm.report(["nis-estimate"], "free.html")


# -- what a killed report leaves is cleaned by the next one (issue 11) ----------------------------

_OLD = 2 * 3600  # seconds: older than paymodel.files.LEFTOVER_SECONDS (600)


def _age(path: Path, seconds: float) -> None:
    import os
    import time

    when = time.time() - seconds
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(item, (when, when), follow_symlinks=False)


def test_leftovers_of_a_killed_report_are_removed_by_the_next(tmp_path: Path) -> None:
    from paymodel.files import LEFTOVER_SECONDS

    assert LEFTOVER_SECONDS == 600
    hexes = iter(["0123456789ab", "ba9876543210", "aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    old_file = tmp_path / f".r.html.{next(hexes)}.tmp"
    old_folder = tmp_path / f".r_files.{next(hexes)}.tmp"
    young_file = tmp_path / f".r.html.{next(hexes)}.tmp"  # maybe another report, writing now
    old_aside = tmp_path / f".r_files.{next(hexes)}.old"  # an earlier paymodel's
    old_file.write_text("<html>partial")
    old_folder.mkdir()
    (old_folder / "revenue.png").write_bytes(b"partial")
    young_file.write_text("<html>partial")
    old_aside.mkdir()
    # Not paymodel's patterns exactly: never touched, however old.
    others = [
        tmp_path / ".r.html.0123456789ab.tmp.keep",
        tmp_path / ".r.html.xyz.tmp",
        tmp_path / "r.html.0123456789ab.tmp",
        tmp_path / ".s.html.0123456789ab.tmp",
        tmp_path / ".r.html.0123456789AB.tmp",
    ]
    for other in others:
        other.write_text("the user's own")
    for path in [old_file, old_folder, old_aside, *others]:
        _age(path, _OLD)
    for out in ("r.html", "r.md"):
        status, _, err = run(
            "report", "nis-estimate", "--samples", "50", "--out", str(tmp_path / out)
        )
        assert (status, err) == (0, ""), err
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["r.html", "r.md", "r_files", young_file.name, *(o.name for o in others)])


def test_leftover_charts_inside_the_folder_are_removed_when_old(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    assert run("report", "nis-estimate", "--samples", "50", "--out", str(target))[0] == 0
    folder = tmp_path / "r_files"
    stale = folder / "charts-00000000000000aa"  # no text links to it, two hours old
    staged = folder / ".charts-00000000000000bb.0123456789ab.tmp"
    young = folder / "charts-00000000000000cc"  # another report's, just written
    for path in (stale, staged, young):
        path.mkdir()
        (path / "revenue.png").write_bytes(b"x")
    _age(stale, _OLD)
    _age(staged, _OLD)
    assert run("report", "independent-90", "--samples", "50", "--out", str(target))[0] == 0
    names = sorted(p.name for p in folder.iterdir())
    assert stale.name not in names
    assert staged.name not in names
    assert young.name in names
    assert len(names) == 3  # the marker, the young folder and the report's own charts


# -- a Markdown report and its charts agree after a crash at any point (issue 11) ------------------


def _links(folder: Path) -> set[str]:
    text = (folder / "r.md").read_text(encoding="utf-8")
    return set(re.findall(r"\]\(([^)]+)\)", text))


def _consistent(folder: Path, texts: Sequence[str | None]) -> None:
    """The text there is one of ``texts`` (or none), and every chart it links to exists."""
    target = folder / "r.md"
    if not target.exists():
        assert None in texts
        return
    assert target.read_text(encoding="utf-8") in texts
    for link in _links(folder):
        assert (folder / link).is_file(), link


def _charts(label: str) -> list[tuple[str, bytes]]:
    return [(f"{label}-{i}", f"\x89PNG {label} {i}".encode()) for i in range(3)]


def _text_for(label: str) -> Callable[[str], str]:
    def text(link: str) -> str:
        return "".join(f"![{label}]({link}/{stem}.png)\n" for stem, _ in _charts(label))

    return text


class _SimulatedCrashError(OSError):
    """The k-th rename failing, as if the process died there."""


class _CrashAt:
    """Renames that fail at the k-th call, keeping a copy of the folder as it was then."""

    def __init__(self, k: int, place: Path, copy_to: Path) -> None:
        self.k, self.place, self.copy_to, self.count = k, place, copy_to, 0

    def wrap(self, rename: Callable[..., None]) -> Callable[..., None]:
        def call(source: Any, destination: Any, *args: Any, **kwargs: Any) -> None:
            self.count += 1
            if self.count == self.k:
                # What kill -9 would leave: the folder as it is at this instant.
                shutil.copytree(self.place, self.copy_to, symlinks=True)
                raise _SimulatedCrashError(5, "Input/output error (a simulated crash)")
            rename(source, destination, *args, **kwargs)

        return call


def _written(folder: Path, label: str) -> str:
    """The text `write_markdown` writes for ``label`` (charts are named by their hash)."""
    from paymodel.chart_folder import write_markdown

    folder.mkdir()
    write_markdown(folder / "r.md", _charts(label), _text_for(label))
    return (folder / "r.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("earlier", [False, True])
def test_a_crash_at_every_rename_leaves_a_consistent_report(
    earlier: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from paymodel.chart_folder import write_markdown

    old, new = _written(tmp_path / "old", "old"), _written(tmp_path / "new", "new")
    before = [old] if earlier else [None]
    k = 0
    while True:
        k += 1
        place, crashed = tmp_path / f"k{k}", tmp_path / f"crashed-{k}"
        place.mkdir()
        if earlier:
            write_markdown(place / "r.md", _charts("old"), _text_for("old"))
        crash = _CrashAt(k, place, crashed)
        with monkeypatch.context() as patch:
            patch.setattr(os, "rename", crash.wrap(os.rename))
            patch.setattr(os, "replace", crash.wrap(os.replace))
            with contextlib.suppress(_SimulatedCrashError):
                write_markdown(place / "r.md", _charts("new"), _text_for("new"))
        calls = {"count": crash.count}
        if calls["count"] < k:  # no rename left to crash at: the write is whole
            _consistent(place, [new])
            break
        _consistent(crashed, [*before, new])  # at the crash: the old pair or the new pair
        _consistent(place, before)  # after the failure was handled: the old pair
        # The next report removes what the crash left, once it is old enough.
        _age(crashed, _OLD)
        write_markdown(crashed / "r.md", _charts("next"), _text_for("next"))
        assert sorted(p.name for p in crashed.iterdir()) == ["r.md", "r_files"]
        assert len(list((crashed / "r_files").iterdir())) == 2  # the marker, the charts
        _consistent(crashed, [(crashed / "r.md").read_text(encoding="utf-8")])
    # Renames: charts into place, (the first time, the folder itself), the text.
    assert k - 1 == (2 if earlier else 3)


# -- every chart copes with every accepted scenario (issue 11) -----------------------------------


@pytest.mark.parametrize("months", [uniform(6, 18), {"kind": "lognormal", "p5": 10, "p95": 20}])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_report_on_uncertain_months_draws(months: Any, fmt: str, tmp_path: Path) -> None:
    # The revenue per year, revenue·12/months, cannot move with the months: its samples
    # differ by rounding only (237,599,999.99999994 … 237,600,000.00000006), which numpy
    # could not split into 60 bins ("Too many bins for data range").
    path = tmp_path / "months.json"
    path.write_text(json.dumps(changed(deployment={"troops": 11000, "months": months})))
    target = tmp_path / f"r.{fmt}"
    status, _out, err = run(
        "report", str(path), "--samples", "500", "--seed", "1", "--out", str(target)
    )
    assert (status, err) == (0, ""), err
    text = html.unescape(target.read_text(encoding="utf-8"))
    # 11,000 troops × $2,000 × 90 % = $19.8 M a month, $237.6 M a year whatever the months.
    assert "Regime revenue per year does not depend on this scenario's uncertain inputs" in text
    assert "every sample gives $237,600,000" in text.replace("\\$", "$")


# -- contingents and the calendar (DESIGN §6) ----------------------------------------------

# DESIGN §6's worked example (helpers.WAVES) is valid, and the base every bad contingent
# document changes.


def waves(**changes: Any) -> dict[str, Any]:
    """WAVES with values replaced: ``contingents__1__follows`` sets the second's follows."""
    doc = copy.deepcopy(WAVES)
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


CONTINGENT_CASES = [
    pytest.param(
        waves(contingents__2__name="first wave"),
        "contingents.2 (contingent 'first wave')",
        "name: two contingents are named 'first wave'",
        id="duplicate-name",
    ),
    pytest.param(
        waves(contingents__2__name="First Wave "),
        "contingent 'First Wave '",
        "two contingents are named",
        id="duplicate-name-case",
    ),
    pytest.param(
        waves(contingents__1__start="2024-10"),
        "contingents.1 (contingent 'guard duty')",
        "give start or follows, not both",
        id="start-and-follows",
    ),
    pytest.param(
        waves(contingents__1__follows="nobody"),
        "contingents.1 (contingent 'guard duty')",
        "follows: no contingent named 'nobody'",
        id="follows-unknown",
    ),
    pytest.param(
        waves(contingents__0__start=DROP, contingents__0__follows="guard duty"),
        "contingents.0 (contingent 'first wave')",
        "follows: the chain loops ('first wave' → 'guard duty' → 'first wave')",
        id="follows-loop",
    ),
    pytest.param(
        waves(contingents__2__start=DROP, contingents__2__follows="reinforcements"),
        "contingents.2 (contingent 'reinforcements')",
        "follows: the chain loops",
        id="follows-itself",
    ),
    pytest.param(
        waves(contingents__2__start=DROP, contingents__2__follows="first wave"),
        "contingents.2 (contingent 'reinforcements')",
        "follows: 'first wave' is already followed by 'guard duty'",
        id="followed-twice",
    ),
    pytest.param(
        waves(contingents__0__deaths=2710),
        "contingents.0 (contingent 'first wave')",
        "deaths: give either deaths (the total killed in the window) or monthly_death_rate",
        id="deaths-and-rate",
    ),
    pytest.param(
        waves(contingents__0__monthly_death_rate=DROP, contingents__0__deaths=10000),
        "contingents.0 (contingent 'first wave')",
        "deaths: must be fewer than the troops when losses are not replaced",
        id="deaths-not-below-troops",
    ),
    pytest.param(
        waves(
            contingents__0__monthly_death_rate=DROP,
            contingents__0__deaths=uniform(1000, 10500),
        ),
        "contingents.0 (contingent 'first wave')",
        "deaths up to 10,500, troops from 10,000",
        id="deaths-distribution-reaches-troops",
    ),
    pytest.param(
        # The survivors of the first wave, 10,000·0.9³ = 7,290, are guard duty's troops.
        waves(contingents__1__deaths=8000, contingents__1__replace_losses=False),
        "contingents.1 (contingent 'guard duty')",
        "deaths up to 8,000, troops from 7,290",
        id="deaths-above-survivors",
    ),
    pytest.param(
        waves(contingents__2__deaths=20000, contingents__2__replace_losses=True),
        "contingents.2 (contingent 'reinforcements')",
        "at most troops × months can be killed",
        id="deaths-above-soldier-months",
    ),
    pytest.param(
        waves(contingents__2__deaths=-1),
        "contingents.2.deaths (contingent 'reinforcements')",
        "must be between 0 and",
        id="deaths-negative",
    ),
    pytest.param(
        waves(
            deployment={"troops": 10, "months": 2, "deaths": 5, "monthly_death_rate": 0.1},
            contingents=DROP,
        ),
        "deployment",
        "deaths: give either deaths",
        id="deployment-deaths-and-rate",
    ),
    pytest.param(
        waves(
            deployment={"troops": 10, "months": 2, "deaths": 10, "replace_losses": False},
            contingents=DROP,
        ),
        "deployment",
        "deaths: must be fewer than the troops",
        id="deployment-deaths-not-below-troops",
    ),
    pytest.param(
        waves(contingents__2__start="2024-09"),
        "contingents.2 (contingent 'reinforcements')",
        "start: '2024-09' is before the scenario's start '2024-10'",
        id="start-before-calendar",
    ),
    pytest.param(
        waves(contingents__2__start="2025-13"),
        "contingents.2.start (contingent 'reinforcements')",
        "written YYYY-MM, such as 2024-10 (got '2025-13')",
        id="start-bad-month",
    ),
    pytest.param(
        waves(contingents__2__start=3),
        "contingents.2 (contingent 'reinforcements')",
        "the scenario has a calendar (start = '2024-10')",
        id="start-number-with-calendar",
    ),
    pytest.param(
        waves(contingents__2__start=2.5),
        "contingents.2.start (contingent 'reinforcements')",
        "a whole number of months from 0 to 1,200 (got 2.5)",
        id="start-fraction",
    ),
    pytest.param(
        waves(start=DROP),
        "contingents.0 (contingent 'first wave')",
        "'2024-10' is a calendar month but the scenario has no start",
        id="calendar-month-without-calendar",
    ),
    pytest.param(waves(start="Oct 2024"), "start", "written YYYY-MM", id="scenario-start-bad"),
    pytest.param(waves(start=202410), "start", "must be text", id="scenario-start-number"),
    pytest.param(
        waves(contingents__2__troops=DROP),
        "contingents.2 (contingent 'reinforcements')",
        "troops: required unless the contingent follows another",
        id="troops-missing",
    ),
    pytest.param(
        waves(contingents__2__months=DROP),
        "contingents.2.months (contingent 'reinforcements')",
        "required key is missing",
        id="months-missing",
    ),
    pytest.param(
        waves(contingents__2__troop=5),
        "contingents.2.troop (contingent 'reinforcements')",
        "did you mean 'troops'?",
        id="contingent-unknown-key",
    ),
    pytest.param(
        waves(contingents__2__pay={"gross": 1}),
        "contingents.2.pay.gross (contingent 'reinforcements')",
        "unknown key",
        id="pay-override-unknown",
    ),
    pytest.param(
        waves(contingents__2__pay={"delivered_share": 1.5}),
        "contingents.2.pay.delivered_share (contingent 'reinforcements')",
        "must be between 0 and 1 (got 1.5)",
        id="pay-override-out-of-domain",
    ),
    pytest.param(
        waves(contingents__2__diversion=[{"name": "x", "share": 0.1}] * 2),
        "contingents.2 (contingent 'reinforcements')",
        "diversion: two layers are named 'x'",
        id="own-chain-duplicate-layer",
    ),
    pytest.param(
        waves(contingents__2__diversion=[{"name": "in kind", "share": 0.1}]),
        "contingents.2 (contingent 'reinforcements')",
        "reserved for the in-kind part",
        id="own-chain-in-kind",
    ),
    pytest.param(
        waves(contingents__2__diversion=[{"name": "x", "share": 1.5}]),
        "contingents.2.diversion.0.share (contingent 'reinforcements', layer 'x')",
        "must be between 0 and 1 (got 1.5)",
        id="own-chain-bad-share",
    ),
    pytest.param(
        waves(contingents__2__name="a.b"),
        "contingents.2 (contingent 'a.b')",
        "no '.', not a bare number",
        id="dotted-name",
    ),
    pytest.param(
        waves(contingents__2__name="7"),
        "contingents.2 (contingent '7')",
        "not a bare number",
        id="number-name",
    ),
    pytest.param(
        waves(deployment={"troops": 10, "months": 2}),
        "give either [deployment] or [[contingents]]",
        "not both",
        id="deployment-and-contingents",
    ),
    pytest.param(
        waves(contingents=[]),
        "deployment",
        "required (or give one or more [[contingents]])",
        id="no-contingents",
    ),
    pytest.param(
        waves(contingents__1__replace_losses="no"),
        "contingents.1.replace_losses (contingent 'guard duty')",
        "must be true or false",
        id="replace-losses-text",
    ),
]


def test_waves_is_valid() -> None:
    assert pm.compute(scenario_from_dict(WAVES)).soldier_months == pytest.approx(110_710, rel=1e-12)


@pytest.mark.parametrize(("doc", "field", "fragment"), CONTINGENT_CASES)
def test_contingent_scenario_from_dict(doc: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(pm.ScenarioError) as caught:
        scenario_from_dict(doc)
    _check_message(str(caught.value), field, fragment)


@pytest.mark.parametrize("fmt", ["toml", "json"])
@pytest.mark.parametrize(("doc", "field", "fragment"), CONTINGENT_CASES)
def test_contingent_cli_run(
    doc: dict[str, Any], field: str, fragment: str, fmt: str, tmp_path: Path
) -> None:
    path = write_doc(tmp_path, doc, fmt)
    status, out, err = run("run", str(path))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert line.startswith(f"paymodel: error: {path}: "), line
    assert field in line
    assert fragment in line


CALENDAR_ARGUMENTS = [
    (("run", "independent-90", "--set", "deployment.troops=-5"), "deployment.troops: must be"),
    (("run", "independent-90", "--set", "deployment.troops"), "give PATH=VALUE"),
    (
        ("run", "independent-90", "--set", "nope=3"),
        "--set 'nope=3': independent-90: nope: not a numeric input",
    ),
    # compare edits every built-in: the line names the one that has no such input
    (
        ("compare", "--set", "deployment.months=6", "--samples", "0"),
        "--set 'deployment.months=6': deployment-as-reported: deployment.months: not a numeric",
    ),
    (("run", "independent-90", "--set", "deployment.troops=many"), "'many' is not a number"),
    (("run", "independent-90", "--set", "deployment.replace_losses=2"), "is true or false"),
    (("explain", "nis-estimate", "--set", "diversion.9.share=0.5"), "no layer '9'"),
    (("run", "independent-90", "--through", "2025-03"), "the scenario has no start"),
    (("run", "independent-90", "--through", "0"), "a whole month number from 1"),
    (("run", "independent-90", "--through", "1.5"), "a whole month number from 1"),
    (
        ("simulate", "span-sources", "--through", "soon"),
        "simulate: argument --through: must be a calendar month written",
    ),
    (("timeline", "nis-estimate", "--through", "-3"), "a whole month number from 1"),
    # The message gives both ends of the rule that 1,000,000 breaks.
    (("run", "nis-estimate", "--through", "1000000"), "from 1 to 100,000 (got '1000000')"),
    (("compare", "nis-estimate", "--through", "2025-3"), "the scenario has no start"),
    (("timeline", "nis-estimate", "--by", "week"), "invalid choice: 'week'"),
]


@pytest.mark.parametrize(("argv", "fragment"), CALENDAR_ARGUMENTS)
def test_calendar_and_setting_arguments(argv: tuple[str, ...], fragment: str) -> None:
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert line.startswith("paymodel: error: ")
    assert fragment in line, line


def test_through_before_the_calendar_start(tmp_path: Path) -> None:
    path = write_doc(tmp_path, WAVES, "json")
    status, out, err = run("run", str(path), "--through", "2024-09")
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "run: argument --through: '2024-09' is before the scenario's start '2024-10'" in line
    status, _, err = run("run", str(path), "--set", "contingents.first wave.troops=0")
    assert status == 2
    assert "contingents.0.troops (contingent 'first wave'): must be between 1" in err


# -- calendar months are ASCII digits, matched whole ------------------------------------------


@pytest.mark.parametrize("start", ["2024-10\n", "٢٠٢٤-١٠", "2024-1", " 2024-10x"])
def test_a_start_that_is_not_a_whole_yyyy_mm_is_one_line(start: str, tmp_path: Path) -> None:
    # "2024-10\n" passed the month rule (`$` matches before a final newline), and digits of
    # other scripts passed `\d`; both are refused like any other malformed month.
    doc = {**changed(), "start": start}
    with pytest.raises(pm.ScenarioError, match="start"):
        scenario_from_dict(doc)
    path = write_doc(tmp_path, doc, "json")
    status, out, err = run("run", str(path))
    assert (status, out) == (2, "")
    assert "start" in assert_one_line(err)


# -- --currency CODE=RATE on every command that prints money (DESIGN §5, §7) -----------------

#: The commands that take --currency, each with the arguments it needs besides the scenario.
CURRENCY_COMMANDS = [
    ("run", "nis-estimate"),
    ("compare", "nis-estimate"),
    ("explain", "nis-estimate"),
    ("simulate", "span-sources", "--samples", "10"),
    ("timeline", "nis-estimate"),
    ("sweep", "nis-estimate", "--set", "deployment.troops=1,2"),
    ("solve", "nis-estimate", "--vary", "deployment.troops", "--target", "paid_usd=1e8"),
    ("sensitivity", "span-sources", "--output", "paid_usd"),
    ("discover", "span-sources", "--output", "paid_usd", "--above", "1"),
    ("report", "nis-estimate", "--out", "never-written.html"),
]

CURRENCY_ARGUMENTS = [
    ("KRW=0", "--currency 'KRW=0': currency.per_usd: must be between 1e-06 and"),
    ("KRW=-1", "--currency 'KRW=-1': currency.per_usd: must be between 1e-06 and"),
    ("USD=1", "--currency 'USD=1': currency.code: must not be USD"),
    ("krw=1395", "--currency 'krw=1395': currency.code: must be an ISO 4217 code"),
    ("KRWX=1395", "currency.code: must be an ISO 4217 code, three capital letters"),
    ("K1W=1395", "currency.code: must be an ISO 4217 code, three capital letters"),
    ("KRW=abc", "--currency KRW: 'abc' is not a number"),
    ("KRW=nan", "--currency KRW: must be a finite number (got 'nan')"),
    ("KRW=inf", "--currency KRW: must be a finite number (got 'inf')"),
    ("KRW", "--currency 'KRW': give CODE=RATE"),
    ("=1395", "--currency '=1395': give CODE=RATE"),
    ("KRW=", "--currency 'KRW=': give CODE=RATE"),
]


@pytest.mark.parametrize("command", CURRENCY_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("currency", "fragment"), CURRENCY_ARGUMENTS)
def test_a_bad_currency_is_one_line_on_every_command(
    command: tuple[str, ...], currency: str, fragment: str, tmp_path: Path
) -> None:
    argv = [part.replace("never-written", str(tmp_path / "never-written")) for part in command]
    status, out, err = run(*argv, "--currency", currency)
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert line.startswith("paymodel: error: ")
    assert fragment in line, line
    assert not (tmp_path / "never-written.html").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ("run", "nis-estimate", "--currency", "KRW=1395", "--currency", "JPY=150"),
        ("run", "nis-estimate", "--currency", "KRW=1395"),
    ],
)
def test_the_last_currency_given_wins(argv: tuple[str, ...]) -> None:
    status, out, _ = run(*argv, "--json")
    assert status == 0
    outputs = json.loads(out)["outputs"]
    code = argv[-1].partition("=")[0].lower()
    # $264,000,000 a year (nis-estimate) × 1,395 KRW/$ or × 150 JPY/$
    expected = 264e6 * (150 if code == "jpy" else 1395)
    assert outputs[f"regime_revenue_per_year_{code}"] == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            ("sensitivity", "span-sources", "--output", "regime_revenue_per_year_krw"),
            "twins in another currency need a [currency] or --currency CODE=RATE",
        ),
        (
            ("simulate", "span-sources", "--samples", "10", "--currency", "KRW=1395"),
            None,
        ),
        (
            (
                "sensitivity",
                "span-sources",
                "--output",
                "regime_revenue_per_year_jpy",
                "--currency",
                "KRW=1395",
            ),
            "did you mean 'regime_revenue_per_year_krw'?",
        ),
        (
            ("solve", "nis-estimate", "--vary", "deployment.troops", "--target", "paid_krw=1"),
            "twins in another currency need a [currency]",
        ),
        (
            ("sweep", "nis-estimate", "--set", "currency.per_usd=1,2"),
            "currency.per_usd: this scenario has no [currency] whose rate could vary",
        ),
        (
            ("run", "nis-estimate", "--set", "currency.per_usd=1400"),
            "currency.per_usd: this scenario has no [currency] whose rate could vary",
        ),
    ],
)
def test_twins_need_a_currency(argv: tuple[str, ...], fragment: str | None) -> None:
    status, out, err = run(*argv)
    if fragment is None:  # the control: with a currency the twins are there
        assert status == 0
        assert "regime_revenue_per_year_krw" in out
        return
    assert (status, out) == (2, "")
    assert fragment in assert_one_line(err), err


@pytest.mark.parametrize(
    "argv",
    [
        ("run", "nis-estimate", "--set", "currency.code=KRW"),
        ("run", "nis-estimate", "--set", "currency=KRW"),
        ("run", "nis-estimate", "--set", "currency.per_usd=1400"),
        ("sweep", "nis-estimate", "--set", "currency.code=KRW,JPY"),
        ("sweep", "nis-estimate", "--set", "currency.per_usd=1300,1400"),
        ("solve", "nis-estimate", "--vary", "currency.per_usd", "--target", "paid_usd=1"),
        ("sensitivity", "nis-estimate", "--output", "paid_usd", "--set", "currency.code=1"),
    ],
)
def test_set_of_a_currency_points_to_the_currency_flag(argv: tuple[str, ...]) -> None:
    # The currency's code is text and a scenario without [currency] has no rate to change:
    # --currency CODE=RATE is how the command line gives one, and the message says so.
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "--currency CODE=RATE" in line, line
    assert "is not a number" not in line, line


def test_a_check_that_expects_a_twin_in_another_currency(tmp_path: Path) -> None:
    # The case's currency is KRW: a twin in JPY is closest to its KRW twin, as output_key
    # says for --output (not to the dollar output, which the plain spelling nearness picks).
    path = tmp_path / "c.check.toml"
    path.write_text(
        '[[case]]\nname = "c"\nscenario = "nis-estimate"\n'
        'set = { "currency.code" = "KRW", "currency.per_usd" = 1395 }\n'
        "[case.expected]\npaid_jpy = 1\n"
    )
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "expected.paid_jpy: not an output; did you mean 'paid_krw'?" in line, line


def test_a_check_that_expects_a_twin_without_a_currency(tmp_path: Path) -> None:
    path = tmp_path / "c.check.toml"
    path.write_text(
        '[[case]]\nname = "c"\nscenario = "nis-estimate"\n'
        "[case.expected]\nregime_revenue_per_year_krw = 1\n"
    )
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "expected.regime_revenue_per_year_krw: not an output" in line
    assert "a twin in another currency needs the scenario's [currency]" in line
    assert 'set "currency.code" and "currency.per_usd"' in line


def test_a_check_that_sets_half_a_currency(tmp_path: Path) -> None:
    path = tmp_path / "c.check.toml"
    path.write_text(
        '[[case]]\nname = "c"\nscenario = "nis-estimate"\n'
        'set = { "currency.code" = "KRW" }\n'
        "[case.expected]\npaid_usd = 1\n"
    )
    status, out, err = run("check", str(path))
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert "case 'c': set: currency.per_usd: must be a number (got null)" in line, line


# -- every bad argument is one of paymodel's errors ---------------------------------------------


def _bad_public_calls() -> dict[str, tuple[Callable[[], object], type[Exception], str]]:
    """Calls of the Python API with one bad argument each: the error expected and its words.

    These raised plain ValueError/TypeError/KeyError before, so ``except pm.PaymodelError``
    (the rule drawn in `paymodel.errors`) let them through.
    """
    from paymodel import plot, sobol
    from paymodel.discover import prim
    from paymodel.testing import check_invariants

    one, two = np.ones(8), np.ones((2, 8))
    spread = np.arange(8.0)
    reported = pm.builtin("deployment-as-reported")
    nis = pm.builtin("nis-estimate")
    return {
        "plot.contingents of one group": (
            lambda: plot.contingents(pm.timeline(nis), nis),
            pm.ArgumentError,
            "contingents: the timeline has one group",
        ),
        "plot.contingents column": (
            lambda: plot.contingents(pm.timeline(reported), reported, column="revenue"),
            pm.UnknownOutputError,
            "column: no column named 'revenue'",
        ),
        "plot.running_totals count": (
            lambda: plot.running_totals([pm.timeline(nis)], [nis, reported]),
            pm.ArgumentError,
            "results: one timeline per scenario",
        ),
        "plot.running_totals column": (
            lambda: plot.running_totals([pm.timeline(nis)], [nis], column="headcount"),
            pm.UnknownOutputError,
            "column: no running total named 'headcount'",
        ),
        "sobol_estimate shapes": (
            lambda: sobol.sobol_estimate(one, one[:4], two),
            pm.ArgumentError,
            r"outputs must have shapes \(N,\), \(N,\) and \(d, N\)",
        ),
        "sobol_estimate constant": (
            lambda: sobol.sobol_estimate(one, one, two),
            pm.ArgumentError,
            "the output does not vary",
        ),
        "sobol_estimate not finite": (
            lambda: sobol.sobol_estimate(np.full(8, np.inf), spread, two),
            pm.ArgumentError,
            "the model gave a value that is not finite",
        ),
        "sobol_estimate_of shapes": (
            lambda: sobol.sobol_estimate_of(np.sum, np.ones((8, 2)), np.ones((8, 3))),
            pm.ArgumentError,
            r"a and b must be \(N, d\) arrays of one shape",
        ),
        "prim hits": (
            lambda: prim({"x": spread}, [True, False]),
            pm.ArgumentError,
            r"^hits must have one entry per sample \(got \(2,\) for 8\)$",
        ),
        "Timeline.total": (
            lambda: pm.timeline(nis).total("headcount"),
            pm.UnknownOutputError,
            r"^name: no column 'headcount' adds up \(columns: soldier_months, deaths, ",
        ),
        "check_invariants type": (
            lambda: check_invariants(5),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            "check_invariants takes a Result",
        ),
        "Explanation.to_frame part": (
            lambda: pm.explain(nis).to_frame("outputs"),  # type: ignore[arg-type]
            pm.ArgumentError,
            r"^part must be one of inputs, steps \(got 'outputs'\)$",
        ),
        "to_json indent not whole": (
            lambda: pm.compute(nis).to_json(indent=1.5),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            r"^indent must be a whole number \(got a number 1.5\)$",
        ),
        "to_json indent of a billion spaces": (
            lambda: pm.sweep(nis, {"deployment.troops": [1, 2]}).to_json(indent=10**9),
            pm.ArgumentError,
            r"^indent must be between 0 and 16 \(got 1,000,000,000\)$",
        ),
        "Timeline.table_columns bands": (
            lambda: pm.timeline(nis).table_columns(bands=spread),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            "^bands must be True or False",
        ),
        "Timeline.total name": (
            lambda: pm.timeline(nis).total([]),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            "^name must be text",
        ),
        "Sweep.write_csv stream": (
            lambda: pm.sweep(nis, {"deployment.troops": [1, 2]}).write_csv(None),  # type: ignore[arg-type]
            pm.ArgumentError,
            r"^stream must be a text stream, such as sys.stdout \(got nothing\)$",
        ),
        "Comparison.cents type": (
            lambda: pm.compare(["nis-estimate"]).cents(None),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            "^output must be text",
        ),
        "Comparison.cents unknown": (
            lambda: pm.compare(["nis-estimate"]).cents("paid"),
            pm.UnknownOutputError,
            r"^output: no output named 'paid' in every scenario; did you mean 'paid_usd'\? \(take_",
        ),
        "Comparison.intervals index": (
            lambda: pm.compare(["nis-estimate", "span-sources"]).intervals(2),
            pm.ArgumentError,
            r"^index must be between 0 and 1 \(got 2\)$",
        ),
        "Comparison.notes index type": (
            lambda: pm.compare(["nis-estimate"]).notes(None),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            "^index must be a whole number",
        ),
        "Scenario.contingent_index": (
            lambda: reported.contingent_index(None),  # type: ignore[arg-type]
            pm.ArgumentTypeError,
            "^name must be text",
        ),
        "Scenario.contingent_layer_names index": (
            lambda: reported.contingent_layer_names(len(reported.contingents)),
            pm.ArgumentError,
            f"^i must be between 0 and {len(reported.contingents) - 1} ",
        ),
        "Scenario.contingent_layer_names without contingents": (
            lambda: nis.contingent_layer_names(0),
            pm.ArgumentError,
            "^i: scenario 'nis-estimate' has no \\[\\[contingents\\]\\]$",
        ),
    }


@pytest.mark.parametrize("name", list(_bad_public_calls()))
def test_a_bad_argument_is_a_paymodel_error(name: str) -> None:
    call, expected, words = _bad_public_calls()[name]
    with pytest.raises(expected, match=words) as caught:
        call()
    # pytest.raises accepts a subclass: the class named in the table is the one raised (each
    # is a PaymodelError and the built-in a caller would catch, ValueError, TypeError or
    # KeyError, by paymodel.errors' hierarchy, so an isinstance check of those could not fail).
    assert type(caught.value) is expected, type(caught.value)
    assert "\n" not in str(caught.value)


#: Python writes no integer of more than 4,300 digits as text (a ValueError of its own).
_HUGE = 10**5000


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (
            lambda: pm.simulate(pm.builtin("nis-estimate"), _HUGE),
            r"^samples must be between 1 and 1,000,000,000,000 \(got an integer of about "
            r"5,001 digits\)$",
        ),
        (
            lambda: pm.simulate(pm.builtin("span-sources"), 10, seed=_HUGE),
            r"^seed must be below 2\*\*256 \(got an integer of about 5,001 digits\)$",
        ),
        (
            lambda: pm.simulate(pm.builtin("span-sources"), 10, seed=-_HUGE),
            r"^seed must be a non-negative integer \(got an integer of about 5,001 digits\)$",
        ),
        (
            lambda: pm.simulate(pm.builtin("span-sources"), 10, seed=2**256),
            r"^seed must be below 2\*\*256 \(got an integer of about 78 digits\)$",
        ),
        (
            lambda: pm.timeline(pm.builtin("span-sources"), seed=np.random.SeedSequence(2**300)),
            r"^seed must be below 2\*\*256 ",
        ),
        (
            lambda: pm.compute(pm.builtin("nis-estimate")).to_json(indent=_HUGE),
            r"^indent must be between 0 and 16 \(got an integer of about 5,001 digits\)$",
        ),
    ],
)
def test_an_integer_of_thousands_of_digits_is_said_by_its_size(
    call: Callable[[], object], words: str
) -> None:
    # It used to reach int-to-text conversion: a plain ValueError (samples), or a seed taken
    # and recorded whole, so that the result's to_json and to_text then failed.
    with pytest.raises(pm.ArgumentError, match=words):
        call()


def test_the_largest_seed_runs_and_is_recorded() -> None:
    largest = 2**256 - 1  # sampling.MAX_SEED_BITS: a SHA-256 digest read as an integer fits
    first = pm.simulate(pm.builtin("span-sources"), 100, seed=largest)
    assert first.seed == largest
    assert json.loads(first.to_json())["seed"] == largest
    assert pm.simulate(pm.builtin("span-sources"), 100, seed=largest).to_dict() == first.to_dict()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        # Text that is no number: cut to 60 characters, with an ellipsis.
        (["compare", "--seed", "9" * 5000], "--seed: must be a whole number (got '999"),
        (["compare", "--samples", "1" * 5000], "--samples: must be a whole number (got '111"),
        (["discover", "span-sources", "--output", "paid_usd", "--above", "9" * 5000], "--above"),
        # A whole number Python can still read (4,000 digits) said by its size.
        (["compare", "--workers", "9" * 4000], "(got an integer of about 4,001 digits)"),
        (["compare", "--seed=-" + "9" * 4000], "must not be negative (got an integer of about"),
        (["compare", "--samples=-" + "9" * 4000], "must be at least 0 (got an integer of about"),
    ],
)
def test_a_huge_number_on_the_command_line_is_not_repeated_whole(
    argv: list[str], said: str
) -> None:
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    line = assert_one_line(err)
    assert said in line
    assert len(line) < 200, line  # the thousands of digits were repeated whole


def test_compare_and_report_name_the_scenario_a_calendar_month_does_not_fit(
    tmp_path: Path,
) -> None:
    # Only deployment-as-reported has a calendar (from 2024-10): the Python API names the
    # scenario without one, as the command line does (which said so alone before).
    both = ["deployment-as-reported", "nis-estimate"]
    named = "through nis-estimate: '2025-03' is a calendar month, but the scenario has no start"
    with pytest.raises(pm.ArgumentError, match=f"^{re.escape(named)}") as caught:
        pm.compare(both, through="2025-03", samples=0)
    assert caught.value.argument == "through"
    with pytest.raises(pm.ArgumentError, match=f"^{re.escape(named)}"):
        pm.report(both, tmp_path / "r.html", through="2025-03", samples=1)
    assert list(tmp_path.iterdir()) == []  # refused before anything was written
    # No month for any scenario: said once, naming none.
    with pytest.raises(pm.ArgumentError, match=r"^through must be a month between 1900-01"):
        pm.compare(both, through="2025-13", samples=0)
    # One scenario: its own message, as run gives it.
    with pytest.raises(pm.ArgumentError, match=r"^through '2025-03' is a calendar month, but"):
        pm.compare(["nis-estimate"], through="2025-03", samples=0)
