"""Argument checks: every public function's arguments, one helper per kind of rule.

Modelled on Hypothesis's ``internal/validation.py`` (``check_type``, ``check_valid_bound``):
each function of the Python API checks its arguments eagerly, through these helpers, so the
same mistake gives the same message wherever it is made.

The rule (drawn in `paymodel.errors`): a bad argument raises
:class:`~paymodel.errors.ArgumentError`, a ``ValueError``; an argument of the wrong type
raises :class:`~paymodel.errors.ArgumentTypeError`, which is also a ``TypeError``. Messages
are one line: the parameter's name, the rule, the value given (``samples must be between 1
and 1,000,000,000,000 (got 0)``); the error keeps the name and the rule apart
(``error.argument``, ``error.rule``) for the command line, which names its flags instead.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from paymodel.errors import ArgumentError, ArgumentTypeError
from paymodel.messages import show, type_name

__all__ = [
    "check_choice",
    "check_flag",
    "check_mapping",
    "check_number",
    "check_text",
    "check_texts",
    "check_type",
    "check_whole",
    "fail",
]


def fail(name: str, rule: str, *, wrong_type: bool = False) -> NoReturn:
    """Raise the error of argument ``name`` breaking ``rule`` (``"must be …  (got …)"``).

    Parameters
    ----------
    name
        The parameter's name.
    rule
        The rule broken and the value given, e.g. ``"must be at least 1 (got 0)"``.
    wrong_type
        An `ArgumentTypeError` (also a ``TypeError``) rather than an `ArgumentError`.
    """
    error = ArgumentTypeError if wrong_type else ArgumentError
    raise error(f"{name} {rule}", argument=name, rule=rule)


def _got(value: Any) -> str:
    """``(got a list ['x'])``: the type in words, then the value."""
    return f"(got {type_name(value)} {show(value)})"


def check_type(value: Any, types: type | tuple[type, ...], name: str, expected: str) -> None:
    """Check that ``value`` is an instance of ``types``; ``True`` is never a number.

    Parameters
    ----------
    value
        The argument.
    types
        The accepted classes.
    name
        The parameter's name.
    expected
        What it must be, in words: ``"a Scenario"``, ``"text"``.

    Raises
    ------
    ArgumentTypeError
        ``{name} must be {expected} (got {type} {value})``.

    Examples
    --------
    >>> check_type(["paid_usd"], str, "output", "text")
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentTypeError: output must be text (got an array ['paid_usd'])
    """
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
        fail(name, f"must be {expected} {_got(value)}", wrong_type=True)


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _whole_figure(value: int) -> str:
    """A whole number as a message shows it: ``1,000,000``; one of 61 digits or more by size.

    (`paymodel.messages.show`: Python refuses to write an integer of over 4,300 digits, and
    a message of thousands of digits is no one line.)
    """
    return f"{value:,}" if value.bit_length() <= 200 else show(value)


def _figure(value: Any) -> str:
    """A bound or a value as a message shows it: ``1,000,000`` for whole numbers, else repr."""
    if isinstance(value, numbers.Integral):
        return _whole_figure(int(value))
    return repr(float(value))


def _bound(value: float) -> str:
    """A bound as a message shows it: ``1,000,000``, ``1`` for 1.0, ``0.5``."""
    number = float(value)
    return f"{int(number):,}" if number.is_integer() and abs(number) < 1e15 else f"{number:g}"


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    """The rule of an interval in words: ``must be between 0 and 1``, ``must lie in (0, 1]``."""
    if low is not None and high is not None:
        if not low_open and not high_open:
            return f"must be between {_bound(low)} and {_bound(high)}"
        if low_open and high_open:
            return f"must lie strictly between {_bound(low)} and {_bound(high)}"
        if low_open:
            return f"must lie in ({_bound(low)}, {_bound(high)}]"
        return f"must be at least {_bound(low)} and less than {_bound(high)}"
    if low is not None:
        return f"must be {'above' if low_open else 'at least'} {_bound(low)}"
    assert high is not None  # noqa: S101 - called with at least one bound
    return f"must be {'below' if high_open else 'at most'} {_bound(high)}"


def check_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    example: str = "",
    finite: bool = True,
) -> float:
    """A finite real number (not a bool), optionally within bounds, as a float.

    Parameters
    ----------
    value
        The argument: an int, a float or a numpy number.
    name
        The parameter's name.
    low, high
        The bounds, included unless ``low_open`` (``high_open``).
    example
        A valid value, shown after the rule (``"0.95"``).
    finite
        ``False`` accepts ±infinity (a threshold); NaN is never a number.

    Raises
    ------
    ArgumentTypeError
        When ``value`` is not a real number.
    ArgumentError
        When it is not finite, or outside the bounds.

    Examples
    --------
    >>> check_number(0.5, "peel_alpha", low=0, high=0.5, low_open=True)
    0.5
    >>> check_number(2.0, "peel_alpha", low=0, high=0.5, low_open=True)
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentError: peel_alpha must lie in (0, 0.5] (got 2.0)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, f"must be a number {_got(value)}", wrong_type=True)
    try:
        number = float(value)
    except OverflowError:
        fail(name, f"is too large to be a number (got {show(value)})")
    if math.isnan(number) or (finite and not math.isfinite(number)):
        fail(name, f"must be a finite number (got {show(value)})")
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and (number >= high if high_open else number > high)
    if below or above:
        hint = f", e.g. {example}" if example else ""
        fail(name, f"{_interval(low, high, low_open, high_open)}{hint} (got {_figure(value)})")
    return number


def check_whole(
    value: Any, name: str, *, low: int | None = None, high: int | None = None, why: str = ""
) -> int:
    """A whole number (an int or a numpy integer, not a bool), optionally within bounds.

    Parameters
    ----------
    value
        The argument.
    name
        The parameter's name.
    low, high
        The bounds, both included.
    why
        Words after the rule, saying why the bound is there (``" for a report"``).

    Examples
    --------
    >>> check_whole(0, "samples", low=1, high=10**12)
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentError: samples must be between 1 and 1,000,000,000,000 (got 0)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fail(name, f"must be a whole number {_got(value)}", wrong_type=True)
    whole = int(value)
    if (low is not None and whole < low) or (high is not None and whole > high):
        fail(name, f"{_interval(low, high, False, False)}{why} (got {_whole_figure(whole)})")
    return whole


def check_flag(value: Any, name: str, *, maybe: bool = False) -> bool:
    """``True`` or ``False`` (a numpy bool too), nothing else; ``None`` too with ``maybe``.

    Examples
    --------
    >>> check_flag(1, "keep_samples")
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentTypeError: keep_samples must be True or False (got an integer 1)
    """
    if maybe and value is None:
        return None  # type: ignore[return-value]
    if type(value).__name__ not in ("bool", "bool_"):
        allowed = "True, False or None" if maybe else "True or False"
        fail(name, f"must be {allowed} {_got(value)}", wrong_type=True)
    return bool(value)


def check_text(value: Any, name: str, *, example: str = "") -> str:
    """Text (a str), not empty.

    Parameters
    ----------
    value
        The argument.
    name
        The parameter's name.
    example
        A valid value, shown in the message (``"'diversion.0.share'"``).
    """
    such_as = f", such as {example}" if example else ""
    check_type(value, str, name, f"text{such_as}")
    if not value.strip():
        fail(name, f"must not be empty{such_as} (got {show(value)})")
    return str(value)


def check_texts(value: Any, name: str, *, example: str = "") -> tuple[str, ...]:
    """A list of texts; one text alone is refused (it would be read letter by letter).

    Examples
    --------
    >>> check_texts("paid_usd", "outputs", example="['paid_usd']")
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentTypeError: outputs must be a list of names, such as ['paid_usd'] \
(got a string 'paid_usd')
    """
    such_as = f", such as {example}" if example else ""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        fail(name, f"must be a list of names{such_as} {_got(value)}", wrong_type=True)
    for item in value:
        check_type(item, str, f"each of {name}", "text")
    return tuple(value)


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """One of ``choices``.

    Examples
    --------
    >>> check_choice("quasi", "method", ("mc", "lhs", "sobol"))
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentError: method must be one of mc, lhs, sobol (got 'quasi')
    """
    if not isinstance(value, str) or value not in choices:
        fail(name, f"must be one of {', '.join(choices)} (got {show(value)})")
    return value


def check_mapping(value: Any, name: str, *, example: str = "") -> Mapping[Any, Any]:
    """A mapping (a dict), e.g. ``{"take_home_monthly_usd": 500}``."""
    such_as = f", such as {example}" if example else ""
    check_type(value, Mapping, name, f"a mapping{such_as}")
    return value  # type: ignore[no-any-return]
