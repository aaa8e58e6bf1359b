"""`paymodel schema` states what the models enforce, checked with the `jsonschema` package.

Two directions. Every document the models accept (the built-ins, hypothesis's scenarios)
validates against the schema; and every document of the bad-input catalogue that JSON
Schema *can* express is rejected by it. What JSON Schema cannot express is decided by the
written rule in `expressible` below, not case by case.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

import paymodel as pm
from helpers import ok
from paymodel.files import scenario_from_dict
from paymodel.testing import scenarios
from test_bad_input import CASES, NULLS, TOO_SMALL

SCHEMA = pm.scenario_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

#: Fragments of the rules that compare two or more values of one document. JSON Schema
#: checks each value on its own (its type, bounds, pattern, allowed words, which keys are
#: present); it cannot compare one value with another, count against another array, sum,
#: or check uniqueness up to case, so these rules are paymodel's only.
CROSS_FIELD = (
    "low must be less than high",  # two parameters of a distribution
    "mode must lie between low and high",
    "p5 must be less than p95",
    "sd from the mean",  # a normal's bounds against its mean and sd
    "times the width between low and high",
    "weights must have one entry per value",  # the lengths of two arrays
    "weights must have one entry per component",
    "weights must add up to a finite number",  # a sum of the weights
    "two layers are named",  # names unique among the layers, up to case
    "is not an input of this scenario",  # citations against the inputs the scenario has
    "are the same input",  # two paths (by index, by name) that name one input
    "is not an input",
    "is not an uncertain input",  # correlations against which inputs are distributions
    "cannot be correlated with itself",  # two paths that name one input
    "appears twice",
    "cannot hold together",  # a matrix's eigenvalues
)


def _floats(value: Any) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _floats(item)


def _at(doc: dict[str, Any], field: str) -> Any:
    node: Any = doc
    for part in field.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def expressible(doc: dict[str, Any], field: str, fragment: str) -> bool:
    """Whether JSON Schema can state the rule a bad document breaks.

    Not expressible: a document with NaN or an infinity (JSON has neither; the schema
    speaks of JSON documents); a rule that compares values (`CROSS_FIELD`); and how far a
    normal distribution reaches (its 95th percentile, mean + 1.645·sd, against the
    field's limit: two parameters). Everything else, one value against its own bounds,
    type, pattern or allowed words, or which keys a table has, is expressible.
    """
    if any(not math.isfinite(x) for x in _floats(doc)):
        return False
    if any(rule in fragment for rule in CROSS_FIELD):
        return False
    value = _at(doc, field)
    normal = isinstance(value, dict) and value.get("kind") == "normal"
    return not ("the distribution reaches" in fragment and normal)


DOCUMENTS = [*CASES, *NULLS]
EXPRESSIBLE = [p for p in DOCUMENTS if expressible(p.values[0], p.values[1], p.values[2])]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_cli_prints_it() -> None:
    assert json.loads(ok("schema")) == SCHEMA


@pytest.mark.parametrize("name", pm.builtin_names())
def test_every_builtin_validates(name: str) -> None:
    text = resources.files("paymodel").joinpath(f"data/scenarios/{name}.toml").read_text("utf-8")
    VALIDATOR.validate(tomllib.loads(text))
    # and as the model writes it back (defaults and nulls included)
    VALIDATOR.validate(pm.builtin(name).model_dump(mode="json"))


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_every_scenario_the_models_accept_validates(scenario: pm.Scenario) -> None:
    """The schema is never stricter than the models."""
    VALIDATOR.validate(scenario.model_dump(mode="json"))


def test_most_of_the_catalogue_is_expressible() -> None:
    # The rule must not explain the catalogue away. Of 162 documents (158 cases, 4 nulls)
    # when this was written, 12 have NaN or an infinity, 24 break a rule between values and
    # 2 a normal's reach: 124 are expressible, and the schema rejects each of them.
    assert len(DOCUMENTS) >= 162
    assert len(EXPRESSIBLE) >= 120
    assert len(EXPRESSIBLE) >= 3 * (len(DOCUMENTS) - len(EXPRESSIBLE))


@pytest.mark.parametrize(("doc", "field", "fragment"), EXPRESSIBLE)
def test_the_schema_rejects_every_expressible_bad_document(
    doc: dict[str, Any], field: str, fragment: str
) -> None:
    assert not VALIDATOR.is_valid(doc), (field, fragment)


@pytest.mark.parametrize(("doc", "field"), TOO_SMALL)
def test_the_schema_rejects_absurdly_small_values(doc: dict[str, Any], field: str) -> None:
    assert not VALIDATOR.is_valid(doc), field


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        # what the schema states, each beside the model's rule it mirrors
        ({"name": "x", "pay": {"gross_monthly_usd": 1e7}}, ["pay", "gross_monthly_usd"]),
        ({"diversion": [{"name": "a"}]}, ["diversion", 0]),  # neither share nor quota
        ({"diversion": [{"name": "a", "share": 0.5, "quota_monthly_usd": 1}]}, ["diversion", 0]),
        ({"diversion": [{"name": " In Kind ", "share": 0.5}]}, ["diversion", 0, "name"]),
        ({"baseline": {"kpw_per_usd": 8000}}, ["baseline"]),
        ({"sources": ["PAY-99"]}, ["sources", 0]),
        ({"name": "-x"}, ["name"]),
        ({"pay": {"delivered_share": {"kind": "lognormal", "p5": 0.1, "p95": 0.5}}}, None),
        ({"deployment": {"troops": {"kind": "beta", "alpha": 2, "beta": 2}, "months": 1}}, None),
        ({"pay": {"delivered_share": {"kind": "normal", "mean": 0.5, "sd": 0.1, "low": 0}}}, None),
    ],
)
def test_each_rule_of_the_schema(doc: dict[str, Any], path: list[Any] | None) -> None:
    base: dict[str, Any] = {
        "name": "x",
        "pay": {"gross_monthly_usd": 2000},
        "deployment": {"troops": 1, "months": 1},
    }
    for key, value in doc.items():
        base[key] = {**base[key], **value} if isinstance(base.get(key), dict) else value
    with pytest.raises(pm.ScenarioError):  # the model refuses it ...
        scenario_from_dict(base)
    errors = list(VALIDATOR.iter_errors(base))  # ... and so does the schema
    assert errors
    if path is not None:
        assert any(list(e.absolute_path)[: len(path)] == path for e in errors), errors
