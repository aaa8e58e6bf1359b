"""Scenario files: reading TOML or JSON, writing atomically, the starting template.

Everything a user types passes through here before it becomes a
:class:`~paymodel.scenario.Scenario`, and every problem becomes one line that names the file,
the field and the rule (:class:`~paymodel.errors.ScenarioError`).
"""

from __future__ import annotations

import difflib
import errno
import json
import math
import os
import secrets
import stat
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from paymodel.distributions import DISTRIBUTION_KINDS
from paymodel.errors import ScenarioError, ScenarioFileError
from paymodel.scenario import Baseline, Correlation, Deployment, Layer, Pay, Scenario

__all__ = [
    "MAX_FILE_BYTES",
    "TEMPLATE",
    "load_scenario_file",
    "read_document",
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
    if len(loc) == 2 and loc[0] == "correlations":
        return Correlation
    kind = _distribution_kind(_node_at(loc, data))
    return None if kind is None else _KIND_FIELDS[kind]


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
    """Drop pydantic's union tags ('number', 'uniform', …) that are not keys of the input.

    A distribution's tag repeats its ``kind`` right after the field (``pay.delivered_share``
    → ``beta`` → ``alpha``), and may also be one of its keys (a beta's ``beta``); the first
    part inside a distribution table that equals its kind is therefore the tag.
    """
    cleaned: list[str | int] = []
    node = data
    tag_expected = False
    for part in loc:
        if tag_expected and part == node.get("kind"):
            tag_expected = False
            continue  # the tag of the distribution this node spells
        tag_expected = False
        found, child = _child(node, part)
        in_distribution = _distribution_kind(node) is not None
        if not found and (part == "number" or (part in _KIND_FIELDS and not in_distribution)):
            continue  # a union tag, not a key (a beta's missing 'beta' is a key)
        cleaned.append(part)
        node = child
        tag_expected = _distribution_kind(node) is not None
    return cleaned


def _distribution_kind(node: Any) -> str | None:
    """The kind of a distribution table, or None when ``node`` is not one."""
    if isinstance(node, Mapping):
        kind = node.get("kind")
        if isinstance(kind, str) and kind in _KIND_FIELDS:
            return kind
    return None


_TYPE_NAMES: dict[type, str] = {
    bool: "a boolean",
    str: "a string",
    int: "an integer",
    float: "a number",
    list: "an array",
    tuple: "an array",
    dict: "a table",
    type(None): "nothing",
}


def _type_name(value: Any) -> str:
    """``'an integer'``, ``'a string'``, ``'a table'``…: what a user typed, in TOML's words."""
    name = _TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    if isinstance(value, Mapping):
        return "a table"
    text = type(value).__name__
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


#: Longest rendering of a bad value in a message; a message stays one readable line.
_SHOW_CHARS = 60


def _show(value: Any) -> str:
    """The value as it would be written, shortened to one line of reasonable length."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        # Not str(value): Python refuses to convert integers of more than 4,300 digits.
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # absurdly nested or long
        return _type_name(value)
    if len(text) > _SHOW_CHARS:
        text = text[: _SHOW_CHARS - 1] + "…"
    return text


def _show_path(loc: Sequence[str | int]) -> str:
    """``pay.gross_monthly_usd``; a key with control characters is shown quoted."""
    return ".".join(
        str(p) if isinstance(p, int) or (p.isprintable() and len(p) <= _SHOW_CHARS) else _show(p)
        for p in loc
    )


_KIND_NAMES = ", ".join(_KIND_FIELDS)  # uniform, triangular, pert, normal, lognormal, …


def _choose(errors: Sequence[Any], data: Any) -> Any:
    """The error to report: the first, unless a typo explains it.

    A misspelt required key gives two errors, the missing key first; the unknown key next
    to it says more ("did you mean …?"), so it is the one reported.
    """
    first = errors[0]
    if first["type"] == "missing":
        parent = _clean_loc(first["loc"], data)[:-1]
        for other in errors[1:]:
            if other["type"] == "extra_forbidden" and _clean_loc(other["loc"], data)[:-1] == parent:
                return other
    return first


def _kind_message(value: Any) -> str:
    """The message for a value that is neither a number nor a distribution table."""
    example = 'e.g. { kind = "uniform", low = 0.9, high = 1.0 }'
    if not isinstance(value, Mapping):
        return f"must be a number or a distribution table (got {_type_name(value)} {_show(value)})"
    if "kind" not in value:
        return f"a distribution table needs a kind ({_KIND_NAMES}); {example}"
    kind = value["kind"]
    if not isinstance(kind, str):
        return f"kind must be text, one of {_KIND_NAMES} (got {_show(kind)})"
    close = difflib.get_close_matches(kind, list(_KIND_FIELDS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown distribution kind {_show(kind)}{hint} (kinds: {_KIND_NAMES})"


def _message(first: Any, loc: Sequence[str | int], data: Any) -> str:
    """The rule broken, in words, with the bad value."""
    kind, message, value = first["type"], first["msg"], first.get("input")
    ctx = first.get("ctx") or {}
    if message.startswith(("Value error, ", "Assertion failed, ")):
        return str(message.split(", ", 1)[1])
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], data)
        allowed = sorted(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1) if loc else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key{hint}{listing}"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_kind":
        return _kind_message(value)
    if kind == "union_tag_invalid":
        return _kind_message(value if isinstance(value, Mapping) else {"kind": ctx.get("tag")})
    if kind == "union_tag_not_found":
        return _kind_message({})
    if kind in {"float_type", "float_parsing"} and type(value) is int:
        return f"is too large to be a number (got {_show(value)})"
    wanted = {
        "float_type": "a number",
        "float_parsing": "a number",
        "int_type": "an integer",
        "bool_type": "true or false",
        "string_type": "text",
        "tuple_type": "an array",
        "list_type": "an array",
        "dict_type": "a table",
        "model_type": "a table",
        "model_attributes_type": "a table",
    }.get(kind)
    if wanted is not None:
        if value is None:  # JSON's null (TOML has none)
            return f"must be {wanted} (got null)"
        return f"must be {wanted} (got {_type_name(value)} {_show(value)})"
    if kind == "finite_number":
        return f"must be a finite number (got {_show(value)})"
    if kind in {"too_short", "too_long"}:
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        entries = "entry" if bound == 1 else "entries"
        least = "at least" if kind == "too_short" else "at most"
        return f"must have {least} {bound} {entries} (got {ctx.get('actual_length')})"
    if kind in {"string_too_short", "string_too_long"}:
        bound = ctx.get("min_length" if kind == "string_too_short" else "max_length")
        chars = "character" if bound == 1 else "characters"
        least = "at least" if kind == "string_too_short" else "at most"
        return f"must have {least} {bound} {chars} (got {_show(value)})"
    if message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    else:
        message = f"{message[:1].lower()}{message[1:]}"
    return f"{message} (got {_show(value)})"


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
        E.g. ``s.toml: deployment.troops: must be between 1 and 10,000,000 (got -5)``.
    """
    first = _choose(error.errors(include_url=False), data)
    loc = _clean_loc(first["loc"], data)
    path = _show_path(loc)
    message = _message(first, loc, data)
    value = first.get("input")
    if isinstance(value, Mapping) and loc and isinstance(loc[-1], int) and loc[0] == "diversion":
        name = value.get("name")
        if isinstance(name, str):
            path = f"{path} (layer {_show(name)})"
    elif len(loc) >= 2 and loc[0] == "diversion" and isinstance(loc[1], int):
        layer = _node_at(loc[:2], data)
        if isinstance(layer, Mapping) and isinstance(layer.get("name"), str):
            path = f"{path} (layer {_show(layer['name'])})"
    more = error.error_count() - 1
    suffix = f" [and {more} more problem{'s' if more > 1 else ''}]" if more else ""
    parts = [p for p in (where, path) if p]
    return " ".join(": ".join([*parts, message]).splitlines()) + suffix


def _error_class(error: ValidationError, data: Any) -> type[ScenarioError]:
    """The paymodel error a validator raised (e.g. an unknown claim id), or ScenarioError."""
    first = _choose(error.errors(include_url=False), data)
    cause = (first.get("ctx") or {}).get("error")
    return type(cause) if isinstance(cause, ScenarioError) else ScenarioError


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
        With a one-line message naming the field and the problem (an
        :class:`~paymodel.errors.UnknownClaimError` for a claim id not in the registry).
    """
    if not isinstance(data, Mapping):
        prefix = f"{where}: " if where else ""
        raise ScenarioFileError(
            f"{prefix}a scenario must be a table of keys (got {_type_name(data)})"
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise _error_class(error, data)(validation_message(error, data, where)) from error
    except ScenarioError as error:
        raise type(error)(f"{where}: {error}" if where else str(error)) from error


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (JSON would keep the last)."""
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise _DuplicateKeyError(key)
        table[key] = value
    return table


class _DuplicateKeyError(ValueError):
    """A JSON object names the same key twice."""


def _parse(text: str, *, json_syntax: bool, where: str) -> Any:
    """Parse a scenario document, every failure as one :class:`ScenarioFileError` line."""
    try:
        if json_syntax:
            # NaN and Infinity parse as floats, so that the model names the field they are in.
            return json.loads(text, object_pairs_hook=_unique_keys)
        return tomllib.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioFileError(
            f"{where}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioFileError(f"{where}: invalid TOML: {error}") from None
    except _DuplicateKeyError as error:
        raise ScenarioFileError(
            f"{where}: the key {_show(error.args[0])} appears twice in one table; keep one"
        ) from None
    except ValueError as error:  # an integer too long for Python to convert
        raise ScenarioFileError(
            f"{where}: a number has too many digits to be read ({_show(str(error))})"
        ) from None
    except RecursionError:
        raise ScenarioFileError(f"{where}: nested too deeply to be a scenario") from None


def read_document(path: str | os.PathLike[str], *, what: str = "scenario file") -> tuple[str, Any]:
    """Read and parse a TOML file (or JSON, for a ``.json`` name), every failure one line.

    The checks every file paymodel reads goes through: it must exist, be at most
    `MAX_FILE_BYTES` long, not be empty, be UTF-8 text without NUL bytes (a byte-order
    mark is dropped) and parse, without a key given twice or nesting too deep to read.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be, for messages (``"scenario file"``).

    Returns
    -------
    tuple
        ``(where, document)``: the path as messages show it, and the parsed document.

    Raises
    ------
    ScenarioFileError
        When the file cannot be read or parsed.
    """
    text_path = os.fspath(path)
    if not isinstance(text_path, str):
        raise TypeError(f"a {what} is named by a str or a path (got {type(path).__name__})")
    if not text_path:  # Path("") is the current folder
        raise ScenarioFileError(f"'': an empty name is not a {what}")
    where = text_path if text_path.isprintable() else repr(text_path)
    file = Path(text_path)
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioFileError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ScenarioFileError(f"{where}: is a directory, not a {what}") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioFileError(f"{where}: cannot read ({reason})") from error
    except ValueError:  # a NUL character in the path
        raise ScenarioFileError(f"{where}: not a valid file name") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(
            f"{where}: file is larger than {MAX_FILE_BYTES:,} bytes; a {what} is a few kilobytes"
        )
    if not raw.strip():
        start = " (`paymodel init FILE` writes a start)" if what == "scenario file" else ""
        raise ScenarioFileError(f"{where}: file is empty{start}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioFileError(
            f"{where}: not UTF-8 text (byte {error.start}); is this a binary file?"
        ) from None
    if "\x00" in text:
        raise ScenarioFileError(f"{where}: contains NUL bytes; is this a binary file?")
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write
    return where, _parse(text, json_syntax=file.suffix.lower() == ".json", where=where)


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
    where, data = read_document(path)
    try:
        return scenario_from_dict(data, where=where)
    except RecursionError:
        raise ScenarioFileError(f"{where}: nested too deeply to be a scenario") from None


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either complete or untouched.

    The text goes to a new file in the same directory, which then replaces ``path`` in one
    step (:func:`os.replace`); if anything fails before that step, the new file is removed
    and ``path`` is as it was. The new file gets the permissions of the file it replaces
    (or the usual ones, under the umask, for a new file).

    Parameters
    ----------
    path
        The file to write.
    text
        Its whole content, written as UTF-8.

    Raises
    ------
    OSError
        When ``path`` exists and is not a regular file (a device such as ``/dev/full``, a
        pipe, a directory): replacing it would remove it, so it is left alone.
    """
    target = Path(path)
    try:
        status = target.stat()
    except OSError:
        mode: int | None = None
    else:
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(target))
        mode = stat.S_IMODE(status.st_mode)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
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
