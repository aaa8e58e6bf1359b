"""One-line messages from pydantic's validation errors, and how values are shown in them.

Every door into the models (`paymodel.load`, `paymodel.Scenario(...)`, `Scenario.evolve`,
the command line) reports a broken rule the same way: where, which field, what rule, what
value, on one line (`validation_message`, `scenario_error`). This module imports no model:
what it needs to know about them (the keys a table allows, the distribution kinds) it reads
from the model class it is given, so that the models can use it without an import circle.
"""

from __future__ import annotations

import difflib
import itertools
import math
import shlex
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from paymodel.errors import ScenarioError
from paymodel.text import text_problem

__all__ = [
    "did_you_mean",
    "point_estimate_note",
    "scenario_error",
    "show",
    "show_path",
    "type_name",
    "validation_message",
    "validation_messages",
]

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


def did_you_mean(name: str, known: Iterable[str], *, first: str | None = None) -> str:
    """``"; did you mean 'x'?"`` for the known name closest to ``name``, or ``""``.

    The one place messages suggest a name. ``first``, when given, is suggested before any
    spelling match (a caller's own normalisation, such as ``PAY-1`` → ``PAY-01``).

    Examples
    --------
    >>> did_you_mean("deployment.troop", ["deployment.troops", "deployment.months"])
    "; did you mean 'deployment.troops'?"
    >>> did_you_mean("zzz", ["deployment.troops"])
    ''
    """
    if first is None:
        close = difflib.get_close_matches(name, list(known), n=1)
        first = close[0] if close else None
    return f"; did you mean {first!r}?" if first is not None else ""


def type_name(value: Any) -> str:
    """``'an integer'``, ``'a string'``, ``'a table'``…: what a user typed, in TOML's words.

    Examples
    --------
    >>> type_name(3), type_name({"a": 1}), type_name(1 + 2j)
    ('an integer', 'a table', 'a complex')
    """
    name = _TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    if isinstance(value, Mapping):
        return "a table"
    text = type(value).__name__
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


#: Longest rendering of a bad value in a message; a message stays one readable line.
_SHOW_CHARS = 60


def show(value: Any) -> str:
    """The value as it would be written, shortened to one line of reasonable length.

    Examples
    --------
    >>> show("x" * 100)[-3:], show(10**400)
    ('xx…', 'an integer of about 401 digits')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        # Not str(value): Python refuses to convert integers of more than 4,300 digits.
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # absurdly nested or long
        return type_name(value)
    if len(text) > _SHOW_CHARS:
        text = text[: _SHOW_CHARS - 1] + "…"
    return text


def show_path(loc: Sequence[str | int]) -> str:
    """``pay.gross_monthly_usd``; a key with control characters is shown quoted.

    A mixture's component is shown by its index in brackets, ``….of[1]``.

    Examples
    --------
    >>> show_path(["pay", "gross_monthly_usd", "of", 1, "low"])
    'pay.gross_monthly_usd.of[1].low'
    """
    text = ""
    for index, part in enumerate(loc):
        if isinstance(part, int) and index and loc[index - 1] == "of":
            text += f"[{part}]"
        elif isinstance(part, int) or (part.isprintable() and len(part) <= _SHOW_CHARS):
            text += ("." if index else "") + str(part)
        else:
            text += ("." if index else "") + show(part)
    return text


# -- what the models allow, read from the model classes ------------------------------------


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation names (through unions, tuples, ``Annotated``…)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in annotation if isinstance(annotation, tuple) else get_args(annotation):
        found += [m for m in _models_in(argument) if m not in found]
    return found


def _field_annotation(model: type[BaseModel], key: str) -> tuple[Any, ...] | None:
    field = model.model_fields.get(key)
    return None if field is None else (field.annotation, *field.metadata)


def _kind_of(model: type[BaseModel]) -> str | None:
    """A distribution model's ``kind`` (the default of its ``kind`` field), else None."""
    field = model.model_fields.get("kind")
    return None if field is None or not isinstance(field.default, str) else field.default


@cache
def _kinds(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every distribution kind reachable from ``root``, with its model, in declaration order."""
    kinds: dict[str, type[BaseModel]] = {}
    seen: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model in seen:
            continue
        seen.append(model)
        kind = _kind_of(model)
        if kind is not None:
            kinds.setdefault(kind, model)
        for key in model.model_fields:
            pending += _models_in(_field_annotation(model, key))
    return kinds


def _distribution_kind(node: Any, kinds: Mapping[str, Any]) -> str | None:
    """The kind of a distribution table, or None when ``node`` is not one."""
    if isinstance(node, Mapping):
        kind = node.get("kind")
        if isinstance(kind, str) and kind in kinds:
            return kind
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


def _pick(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The model an annotation stands for at ``node`` (a union's member chosen by kind)."""
    models = _models_in(annotation)
    if len(models) == 1:
        return models[0]
    kind = node.get("kind") if isinstance(node, Mapping) else None
    return next((m for m in models if kind is not None and _kind_of(m) == kind), None)


def _model_at(root: type[BaseModel], loc: Sequence[str | int], data: Any) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``loc`` (a cleaned location) below ``root``."""
    annotation: Any = root
    node = data
    for part in loc:
        if isinstance(part, str):
            model = _pick(annotation, node)
            annotation = None if model is None else _field_annotation(model, part)
            if annotation is None:
                return None
        node = _child(node, part)[1]
    return _pick(annotation, node)


def _clean_loc(loc: Sequence[str | int], data: Any, kinds: Mapping[str, Any]) -> list[str | int]:
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
        in_distribution = _distribution_kind(node, kinds) is not None
        if not found and (part == "number" or (part in kinds and not in_distribution)):
            continue  # a union tag, not a key (a beta's missing 'beta' is a key)
        cleaned.append(part)
        node = child
        tag_expected = _distribution_kind(node, kinds) is not None
    return cleaned


# -- the message -------------------------------------------------------------------------------


def _choose(errors: Sequence[Any], data: Any, kinds: Mapping[str, Any]) -> Any:
    """The error to report: the first, unless a typo explains it.

    A misspelt required key gives two errors, the missing key first; the unknown key next
    to it says more ("did you mean …?"), so it is the one reported.
    """
    first = errors[0]
    if first["type"] == "missing":
        parent = _clean_loc(first["loc"], data, kinds)[:-1]
        for other in errors[1:]:
            if (
                other["type"] == "extra_forbidden"
                and _clean_loc(other["loc"], data, kinds)[:-1] == parent
            ):
                return other
    return first


def _kind_message(value: Any, kinds: Mapping[str, Any]) -> str:
    """The message for a value that is neither a number nor a distribution table."""
    names = ", ".join(kinds)  # uniform, triangular, pert, normal, lognormal, …
    example = 'e.g. { kind = "uniform", low = 0.9, high = 1.0 }'
    if not isinstance(value, Mapping):
        return f"must be a number or a distribution table (got {type_name(value)} {show(value)})"
    if "kind" not in value:
        return f"a distribution table needs a kind ({names}); {example}"
    kind = value["kind"]
    if not isinstance(kind, str):
        return f"kind must be text, one of {names} (got {show(kind)})"
    hint = did_you_mean(kind, kinds)
    return f"unknown distribution kind {show(kind)}{hint} (kinds: {names})"


_WANTED = {
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
}


def _message(first: Any, loc: Sequence[str | int], data: Any, root: type[BaseModel]) -> str:
    """The rule broken, in words, with the bad value."""
    kind, message, value = first["type"], first["msg"], first.get("input")
    ctx = first.get("ctx") or {}
    kinds = _kinds(root)
    if message.startswith(("Value error, ", "Assertion failed, ")):
        return str(message.split(", ", 1)[1])
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1], data)
        allowed = sorted(model.model_fields) if model is not None else []
        hint = did_you_mean(str(loc[-1]), allowed) if loc else ""
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key{hint}{listing}"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_kind":
        return _kind_message(value, kinds)
    if kind == "union_tag_invalid":
        given = value if isinstance(value, Mapping) else {"kind": ctx.get("tag")}
        return _kind_message(given, kinds)
    if kind == "union_tag_not_found":
        return _kind_message({}, kinds)
    if kind in {"float_type", "float_parsing"} and type(value) is int:
        return f"is too large to be a number (got {show(value)})"
    wanted = _WANTED.get(kind)
    if wanted is not None:
        if value is None:  # JSON's null (TOML has none)
            return f"must be {wanted} (got null)"
        return f"must be {wanted} (got {type_name(value)} {show(value)})"
    if kind == "finite_number":
        return f"must be a finite number (got {show(value)})"
    if kind == "string_unicode" and isinstance(value, str):  # pydantic-core's own check
        problem = text_problem(value)
        if problem is not None:
            return problem
    if kind in {"too_short", "too_long"}:
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        entries = "entry" if bound == 1 else "entries"
        least = "at least" if kind == "too_short" else "at most"
        return f"must have {least} {bound} {entries} (got {ctx.get('actual_length')})"
    if kind in {"string_too_short", "string_too_long"}:
        bound = ctx.get("min_length" if kind == "string_too_short" else "max_length")
        chars = "character" if bound == 1 else "characters"
        least = "at least" if kind == "string_too_short" else "at most"
        return f"must have {least} {bound} {chars} (got {show(value)})"
    bound_words = {
        "greater_than": ("gt", "greater than"),
        "greater_than_equal": ("ge", "greater than or equal to"),
        "less_than": ("lt", "less than"),
        "less_than_equal": ("le", "less than or equal to"),
    }
    if kind in bound_words and isinstance(ctx.get(bound_words[kind][0]), int | float):
        # pydantic writes a bound in fixed point (1e-300 as 0.000…, hundreds of digits)
        key, words = bound_words[kind]
        bound = ctx[key]
        shown = str(int(bound)) if float(bound).is_integer() and abs(bound) < 1e16 else repr(bound)
        return f"must be {words} {shown} (got {show(value)})"
    if message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    else:
        message = f"{message[:1].lower()}{message[1:]}"
    return f"{message} (got {show(value)})"


def validation_message(
    error: ValidationError, data: Any, where: str = "", *, model: type[BaseModel]
) -> str:
    """Turn a pydantic error into one line: where, which field, what rule, what value.

    Parameters
    ----------
    error
        The validation error.
    data
        The input that was validated (to tell keys from pydantic's union tags).
    where
        A prefix such as the file name.
    model
        The model class ``data`` was validated as (e.g. `paymodel.Scenario`): the keys
        each table allows and the distribution kinds are read from it.

    Returns
    -------
    str
        E.g. ``s.toml: deployment.troops: must be between 1 and 10,000,000 (got -5)``.
    """
    lines = validation_messages(error, data, where, model=model)
    more = len(lines) - 1
    if not more:
        return lines[0]
    return f"{lines[0]} [and {more} more problem{'s' if more > 1 else ''}; --debug lists them]"


def validation_messages(
    error: ValidationError, data: Any, where: str = "", *, model: type[BaseModel]
) -> list[str]:
    """Every problem of a pydantic error, one line each, the one named first leading.

    `validation_message` shows the first and counts the others.

    Parameters
    ----------
    error, data, where, model
        As for `validation_message`.

    Returns
    -------
    list of str
        One line per problem, each as `validation_message` would show it alone.
    """
    kinds = _kinds(model)
    errors = error.errors(include_url=False)
    first = _choose(errors, data, kinds)
    ordered = [first, *(e for e in errors if e is not first)]
    return [_line(e, data, where, model, kinds) for e in ordered]


def _line(
    problem: Any, data: Any, where: str, model: type[BaseModel], kinds: Mapping[str, Any]
) -> str:
    """One problem on one line: where, which field, what rule, what value."""
    loc = _clean_loc(problem["loc"], data, kinds)
    # A rule broken by one part of the value (a mixture's component) says which part.
    loc += list(getattr((problem.get("ctx") or {}).get("error"), "location", ()))
    path = show_path(loc)
    message = _message(problem, loc, data, model)
    # Name the layers and contingents on the way: "(contingent 'guard duty', layer 'x')".
    kinds_named = {"diversion": "layer", "contingents": "contingent"}
    names = []
    for at, (part, index) in enumerate(itertools.pairwise(loc)):
        entry = _node_at(loc[: at + 2], data)
        if part in kinds_named and isinstance(index, int) and isinstance(entry, Mapping):
            name = entry.get("name")
            if isinstance(name, str):
                names.append(f"{kinds_named[str(part)]} {show(name)}")
    if names:
        path = f"{path} ({', '.join(names)})"
    parts = [p for p in (where, path) if p]
    return " ".join(": ".join([*parts, message]).splitlines())


def scenario_error(
    error: ValidationError, data: Any, where: str = "", *, model: type[BaseModel]
) -> ScenarioError:
    """The paymodel error for a pydantic error: `validation_message` in the right class.

    A validator that raised a paymodel error (an
    :class:`~paymodel.errors.UnknownClaimError` for a claim id not in the registry) keeps
    its class; anything else is a :class:`~paymodel.errors.ScenarioError`.

    Parameters
    ----------
    error, data, where, model
        As for `validation_message`.
    """
    first = _choose(error.errors(include_url=False), data, _kinds(model))
    cause = (first.get("ctx") or {}).get("error")
    cls = type(cause) if isinstance(cause, ScenarioError) else ScenarioError
    result = cls(validation_message(error, data, where, model=model))
    if error.error_count() > 1:
        result.problems = tuple(validation_messages(error, data, where, model=model))
    return result


def point_estimate_note(name: str, given: str | None = None) -> str:
    """The line `run` prints under a scenario with distributions: how to see the spread.

    Examples
    --------
    >>> print(point_estimate_note("span-sources"))  # doctest: +NORMALIZE_WHITESPACE
    Point estimate: every uncertain input at its median. For the distribution: paymodel
    compare span-sources (median and 90 % interval) or paymodel simulate span-sources.
    """
    shown = shlex.quote(given or name)
    return (
        "Point estimate: every uncertain input at its median. For the distribution: "
        f"paymodel compare {shown} (median and 90 % interval) or paymodel simulate {shown}."
    )
