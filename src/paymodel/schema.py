"""The JSON Schema of scenario files: what the models enforce, where JSON Schema can say it.

`scenario_schema` is what ``paymodel schema`` prints. It is pydantic's schema of `Scenario`
(types, required keys, ``additionalProperties: false`` everywhere) made by one generator,
`ScenarioJsonSchema`, which adds what pydantic does not know how to write:

- ``$schema``: the dialect, draft 2020-12;
- every numeric field's domain (`paymodel.domains`): the minimum and maximum of a plain
  number (and the gap between 0 and the smallest amount the field accepts), the bounds of
  each distribution's parameters and of each component of a mixture, which parameters a
  normal needs (``low``, and ``high`` for a share), and which kinds a field cannot take (a
  lognormal has no upper end, so a share cannot be one; a beta reaches 0, so a troop
  count cannot be one);
- a layer has exactly one of ``share`` and ``quota_monthly_usd``; a baseline gives the
  wage in won together with the rate, and never both a dollar and a won wage;
- a scenario's ``name`` pattern, the reserved layer names ``in kind`` and ``state
  transfer``, the claim ids ``sources`` and ``citations`` may name (the registry's ids and
  aliases), and a reason of ``assumptions`` on one line, not blank.

What it cannot say is checked by paymodel only: rules that compare two values of one
document (``low < high``, ``p5 < p95``, a normal's 95th percentile against the field's
limit, unique layer names, citations and assumptions of inputs the scenario has, one reason
per input, correlations between its uncertain inputs and whether they can hold together).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from paymodel.domains import Domain
from paymodel.scenario import (
    IN_KIND_LAYER,
    NAME_PATTERN,
    STATE_TRANSFER_LAYER,
    Baseline,
    Layer,
    Scenario,
)
from paymodel.sources import claims

__all__ = ["DIALECT", "ONE_LINE_PATTERN", "ScenarioJsonSchema", "scenario_schema"]

#: The JSON Schema dialect of `scenario_schema`.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Text on one line that shows something (`paymodel.text.text_problem` with ``name=True``):
#: no control character (Unicode category Cc, U+0000-U+001F and U+007F-U+009F), and at
#: least one character that is not white space.
ONE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*\S[^\u0000-\u001f\u007f-\u009f]*$"

#: The ends of each distribution kind's support, checked against the field's domain as a
#: plain number is; a normal's ``mean`` only against its limit, as the model does.
_ENDS = {"uniform": ("low", "high"), "triangular": ("low", "high"), "pert": ("low", "high")}
_ENDS["normal"] = ("low", "high")
#: Parameters between the ends (the model checks them against the ends only).
_INSIDE = {"triangular": ("mode",), "pert": ("mode",)}


def _present(name: str) -> dict[str, Any]:
    """The schema of "the key is given, and not as null"."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def _any_case(text: str) -> str:
    """A regular expression matching ``text`` in any case (JSON Schema has no ``(?i)``)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in text)


def _number(domain: Domain) -> dict[str, Any]:
    """A plain number the domain accepts: `Domain.allows` written as JSON Schema."""
    if not domain.zero_allowed:
        return {"type": "number", "minimum": domain.smallest, "maximum": domain.largest}
    return {
        "type": "number",
        "minimum": 0,
        "maximum": domain.largest,
        # 0 itself, or at least the smallest amount: nothing in between.
        "not": {"exclusiveMinimum": 0, "exclusiveMaximum": domain.smallest},
    }


def _range(domain: Domain) -> dict[str, Any]:
    """The domain's lowest and largest values, without the gap below its smallest amount.

    For values the model checks only against the ends of a distribution (a mode), which
    may fall in that gap.
    """
    lowest = domain.smallest if domain.low_open else domain.low
    return {"minimum": lowest, "maximum": domain.largest}


def _allows_kind(domain: Domain, low: float, high: float, attained: bool) -> bool:
    """Whether a distribution whose support is ``[low, high]`` can ever fit the domain."""
    try:
        domain.check_support(low, high, attained, domain.smallest, domain.smallest)
    except ValueError:
        return False
    return True


def _kind_constraints(kind: str, domain: Domain) -> dict[str, Any] | None:
    """What the domain asks of a distribution of this kind (``None``: the kind cannot fit)."""
    properties: dict[str, Any] = {}
    required = ["kind"]  # the model tells kinds apart by it: it has no default in a file
    properties.update({name: _number(domain) for name in _ENDS.get(kind, ())})
    properties.update({name: _range(domain) for name in _INSIDE.get(kind, ())})
    if kind == "normal":
        properties["mean"] = {"maximum": domain.limit}
        required += ["low"] if math.isfinite(domain.low) else []
        required += ["high"] if math.isfinite(domain.high) else []
        for end in ("low", "high"):  # an end the field does not need may be null (no bound)
            if end not in required:
                properties[end] = {"anyOf": [properties[end], {"type": "null"}]}
    elif kind == "lognormal":
        if not _allows_kind(domain, 0.0, math.inf, False):
            return None
        bounds = {"minimum": domain.smallest, "maximum": domain.limit}
        properties = {"p5": bounds, "p95": bounds}
    elif kind == "beta":
        if not _allows_kind(domain, 0.0, 1.0, True):
            return None
    elif kind == "choice":
        # Each value is a figure the user typed: held to the field as a plain number is.
        properties = {"values": {"items": _number(domain)}}
    out: dict[str, Any] = {"required": required}
    if properties:
        out["properties"] = properties
    return out


def _tags(schema: CoreSchema) -> list[str] | None:
    """The kinds of a tagged union (``"number"`` and the distribution kinds), in order."""
    if schema["type"] == "tagged-union":
        return [str(tag) for tag in schema["choices"]]
    return None


class ScenarioJsonSchema(GenerateJsonSchema):
    """pydantic's JSON Schema generator, stating paymodel's domains and one-of rules."""

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        """The schema with its dialect (``$schema``) first."""
        return {"$schema": DIALECT, **super().generate(schema, mode)}

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        """A field checked against a domain: its number and distributions within bounds."""
        value = super().function_after_schema(schema)
        domain = getattr(schema["function"]["function"], "domain", None)
        tags = _tags(schema["schema"])
        if not isinstance(domain, Domain) or tags is None or "oneOf" not in value:
            return value
        branches: list[dict[str, Any]] = []
        for tag, branch in zip(tags, value["oneOf"], strict=True):
            if tag == "number":
                branches.append(_number(domain))
                continue
            if tag == "mixture":
                # Each component fits the field as a value of it does: a number or a kind
                # within the domain (the branches so far; a mixture is never a component).
                components = {"items": {"oneOf": list(branches)}}
                mixture = {"required": ["kind"], "properties": {"of": components}}
                branches.append({"allOf": [branch, mixture]})
                continue
            extra = _kind_constraints(tag, domain)
            if extra is None:
                continue  # the kind cannot fit this field
            branches.append({"allOf": [branch, extra]})
        return {**value, "oneOf": branches}

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        """A model's schema, with the rules between its keys that JSON Schema can state."""
        value = super().model_schema(schema)
        model = schema["cls"]  # sources and citations are done by `scenario_schema`
        if model is Layer:
            value["oneOf"] = [_present("share"), _present("quota_monthly_usd")]
            # The reserved names, in any case and with spaces around them, as the model
            # compares.
            reserved = "|".join(_any_case(n) for n in (IN_KIND_LAYER, STATE_TRANSFER_LAYER))
            value["properties"]["name"]["not"] = {"pattern": rf"^\s*({reserved})\s*$"}
        elif model is Baseline:
            usd, kpw, rate = "domestic_monthly_wage_usd", "domestic_monthly_wage_kpw", "kpw_per_usd"
            value["allOf"] = [
                {"if": _present(kpw), "then": _present(rate)},
                {"if": _present(rate), "then": _present(kpw)},
                {"not": {"allOf": [_present(usd), _present(kpw)]}},
            ]
        elif model is Scenario:
            value["properties"]["name"]["pattern"] = NAME_PATTERN
        return value


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files, as ``paymodel schema`` prints it.

    Returns
    -------
    dict
        The schema; `jsonschema` or any draft 2020-12 validator can check documents with
        it. A document it rejects is rejected by paymodel too; rules that compare two
        values (``low < high``) are paymodel's only.

    Examples
    --------
    >>> schema = scenario_schema()
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> schema["$defs"]["Deployment"]["properties"]["troops"]["oneOf"][0]["minimum"]
    1.0
    """
    schema = Scenario.model_json_schema(schema_generator=ScenarioJsonSchema)
    # The claim ids, added once pydantic has resolved its own references.
    ids = [c.id for c in claims()] + [alias for c in claims() for alias in c.aliases]
    schema["$defs"]["ClaimId"] = {
        "type": "string",
        "enum": ids,
        "description": "A claim id of the registry, or an alias (`paymodel sources` lists them).",
    }
    claim_id = {"$ref": "#/$defs/ClaimId"}
    schema["properties"]["sources"]["items"] = claim_id
    schema["properties"]["citations"]["additionalProperties"]["items"] = claim_id
    # A reason is one line that shows something: no control character, not only spaces.
    schema["properties"]["assumptions"]["additionalProperties"]["pattern"] = ONE_LINE_PATTERN
    return schema
