"""Scenario files: reading TOML or JSON, writing atomically, the starting template.

Everything a user types passes through here before it becomes a
:class:`~paymodel.scenario.Scenario`, and every problem becomes one line that names the file,
the field and the rule (:class:`~paymodel.errors.ScenarioError`).
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from paymodel.distributions import DISTRIBUTION_KINDS
from paymodel.errors import ScenarioError, ScenarioFileError
from paymodel.scenario import Baseline, Deployment, Layer, Pay, Scenario

__all__ = [
    "MAX_FILE_BYTES",
    "TEMPLATE",
    "load_scenario_file",
    "scenario_from_dict",
    "validation_message",
    "write_atomic",
]

#: Largest scenario file read (a scenario is a few kilobytes; this catches wrong files).
MAX_FILE_BYTES = 1_000_000

_KIND_FIELDS: dict[str, type[BaseModel]] = {
    str(cls.model_fields["kind"].default): cls for cls in DISTRIBUTION_KINDS
}
_TABLES: dict[str, type[BaseModel]] = {
    "pay": Pay,
    "deployment": Deployment,
    "baseline": Baseline,
}


def _model_at(loc: Sequence[str | int], data: Any) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``loc`` (a cleaned location)."""
    if not loc:
        return Scenario
    if len(loc) == 1 and isinstance(loc[0], str):
        return _TABLES.get(loc[0])
    if len(loc) == 2 and loc[0] == "diversion":
        return Layer
    node = _node_at(loc, data)
    if isinstance(node, Mapping) and isinstance(node.get("kind"), str):
        return _KIND_FIELDS.get(node["kind"])
    return None


def _child(node: Any, part: str | int) -> tuple[bool, Any]:
    """``(True, node[part])`` if ``part`` is a key or index of ``node``; else (False, None)."""
    if isinstance(node, Mapping) and part in node:
        return True, node[part]
    if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _node_at(loc: Sequence[str | int], data: Any) -> Any:
    node = data
    for part in loc:
        found, node = _child(node, part)
        if not found:
            return None
    return node


def _clean_loc(loc: Sequence[str | int], data: Any) -> list[str | int]:
    """Drop pydantic's union tags ('number', 'uniform', …) that are not keys of the input."""
    cleaned: list[str | int] = []
    node = data
    for part in loc:
        found, child = _child(node, part)
        if not found and isinstance(part, str) and (part == "number" or part in _KIND_FIELDS):
            continue  # a union tag, not a key
        cleaned.append(part)
        node = child
    return cleaned


def _type_name(value: Any) -> str:
    return {
        bool: "boolean",
        str: "string",
        int: "integer",
        float: "number",
        list: "array",
        dict: "table",
    }.get(type(value), type(value).__name__)


def validation_message(error: ValidationError, data: Any, where: str = "") -> str:
    """Turn a pydantic error into one line: where, which field, what rule, what value.

    Parameters
    ----------
    error
        The validation error.
    data
        The input that was validated (to tell keys from pydantic's union tags).
    where
        A prefix such as the file name.

    Returns
    -------
    str
        E.g. ``s.toml: deployment.troops: must be > 0 and at most 10,000,000 (got -5)``.
    """
    first = error.errors(include_url=False)[0]
    loc = _clean_loc(first["loc"], data)
    path = ".".join(str(p) for p in loc)
    kind, message, value = first["type"], first["msg"], first.get("input")
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    if kind == "extra_forbidden":
        parent = loc[:-1]
        model = _model_at(parent, data)
        allowed = sorted(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        message = f"unknown key{hint}{listing}"
    elif kind == "missing":
        message = "required key is missing"
    elif kind in {"float_type", "float_parsing", "int_type", "bool_type", "string_type"}:
        wanted = {
            "float_type": "a number",
            "float_parsing": "a number",
            "int_type": "an integer",
            "bool_type": "true or false",
            "string_type": "text",
        }[kind]
        message = f"must be {wanted} (got {value!r}, a {_type_name(value)})"
    elif kind == "finite_number":
        message = f"must be a finite number (got {value!r})"
    elif kind == "union_tag_invalid":
        message = (
            f"unknown distribution kind {first.get('ctx', {}).get('tag', value)!r} (kinds: "
            "uniform, triangular, pert, normal, lognormal, beta, choice)"
        )
    elif kind in {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "too_short",
        "too_long",
    }:
        message = f"{message[0].lower()}{message[1:]} (got {value!r})"
    elif kind in {"tuple_type", "list_type", "dict_type", "model_type", "model_attributes_type"}:
        message = f"{message[0].lower()}{message[1:]} (got a {_type_name(value)})"
    if isinstance(value, Mapping) and loc and isinstance(loc[-1], int) and loc[0] == "diversion":
        name = value.get("name")
        if isinstance(name, str):
            path = f"{path} (layer {name!r})"
    elif len(loc) >= 2 and loc[0] == "diversion" and isinstance(loc[1], int):
        layer = _node_at(loc[:2], data)
        if isinstance(layer, Mapping) and isinstance(layer.get("name"), str):
            path = f"{path} (layer {layer['name']!r})"
    more = error.error_count() - 1
    suffix = f" [and {more} more problem{'s' if more > 1 else ''}]" if more else ""
    parts = [p for p in (where, path) if p]
    return ": ".join([*parts, message]) + suffix


def scenario_from_dict(data: Any, *, where: str = "") -> Scenario:
    """Validate a parsed document as a scenario, with a one-line error.

    Parameters
    ----------
    data
        The parsed TOML or JSON document.
    where
        What the document came from, for messages.

    Raises
    ------
    ScenarioError
        With a one-line message naming the field and the problem.
    """
    if not isinstance(data, Mapping):
        raise ScenarioFileError(
            f"{where}: a scenario must be a table of keys (got a {_type_name(data)})"
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(validation_message(error, data, where)) from error
    except ScenarioError as error:
        raise type(error)(f"{where}: {error}" if where else str(error)) from error


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a scenario accepts")


def load_scenario_file(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario from a TOML file (or a JSON file with the same structure).

    Parameters
    ----------
    path
        The file; ``.json`` is read as JSON, anything else as TOML.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioFileError
        When the file cannot be read or parsed.
    ScenarioError
        When a value breaks a rule of the model.
    """
    file = Path(path)
    where = str(path)
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioFileError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ScenarioFileError(f"{where}: is a directory, not a scenario file") from None
    except OSError as error:
        raise ScenarioFileError(f"{where}: cannot read ({error.strerror})") from error
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(
            f"{where}: file is larger than {MAX_FILE_BYTES:,} bytes; a scenario file is a few "
            "kilobytes"
        )
    if not raw.strip():
        raise ScenarioFileError(f"{where}: file is empty (`paymodel init FILE` writes a start)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioFileError(
            f"{where}: not UTF-8 text (byte {error.start}); is this a binary file?"
        ) from None
    if "\x00" in text:
        raise ScenarioFileError(f"{where}: contains NUL bytes; is this a binary file?")
    try:
        if file.suffix.lower() == ".json":
            data = json.loads(text, parse_constant=_reject_constant)
        else:
            data = tomllib.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioFileError(
            f"{where}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioFileError(f"{where}: invalid TOML: {error}") from None
    except ValueError as error:  # a NaN or Infinity constant in JSON
        raise ScenarioFileError(f"{where}: {error}") from None
    except RecursionError:
        raise ScenarioFileError(f"{where}: nested too deeply to be a scenario") from None
    return scenario_from_dict(data, where=where)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either complete or untouched.

    The text goes to a temporary file in the same directory, which then replaces ``path``
    in one step (:func:`os.replace`).
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


TEMPLATE = """\
# A paymodel scenario. Every numeric value is a number or a distribution, written as an
# inline table with a kind, e.g. { kind = "uniform", low = 0.9, high = 1.0 }.
# Kinds: uniform (low, high), triangular (low, mode, high), pert (low, mode, high),
# normal (mean, sd, optional low/high), lognormal (p5, p95), beta (alpha, beta),
# choice (values, optional weights). Money is US dollars; rates are per month.
# `paymodel sources` lists the claim ids you can cite; `paymodel schema` prints the format.

name = "my-scenario"
title = "NIS figures: $2,000 a month, 90 % kept by the state"
description = "Start from the South Korean intelligence estimate and change what you doubt."
sources = ["PAY-01", "PAY-03", "DEP-11"]

[citations]                      # optional: claims behind single inputs
"pay.gross_monthly_usd" = ["PAY-01"]
"diversion.0.share" = ["PAY-03"]
"deployment.troops" = ["DEP-11"]

[pay]
gross_monthly_usd = 2000         # what the paying state pays per soldier per month [$]
signing_bonus_usd = 0            # one-off payment per individual deployed [$]
death_benefit_usd = 0            # one-off payment per soldier killed [$]
delivered_share = 1.0            # share of what is promised that is actually delivered
in_kind_share = 0.0              # share of what is delivered that arrives as goods

# The diversion chain, in order: each layer takes a share of what is left, or a fixed
# quota_monthly_usd per soldier-month (capped at what is left).
[[diversion]]
name = "state treasury"
share = { kind = "uniform", low = 0.9, high = 0.95 }

[deployment]
troops = 11000                   # headcount at the start (H)
months = 12                      # length of the deployment evaluated (M)
tour_months = 12                 # how long one soldier serves before rotation (T)
monthly_death_rate = 0.0         # fraction of those deployed killed each month (k)
replace_losses = true            # the dead are replaced so the headcount stays H

[baseline]
domestic_monthly_wage_usd = 1.0  # pay at home [$/month]; or give
# domestic_monthly_wage_kpw = 30000 and kpw_per_usd = 18000 instead
"""
