"""Calendar months: ``"YYYY-MM"`` labels, month arithmetic and ``--through`` cut-offs.

A scenario with a ``start = "2024-10"`` has a calendar: its month 0 is October 2024, a
contingent's ``start`` is a calendar month, timeline rows are labelled ``2024-10``, … and
``through="2025-03"`` means "up to the end of March 2025". Without a calendar, months are
numbered from 0 and ``through=6`` means "up to the end of month 6". Everything here works
in whole months counted from the scenario's month 0 (DESIGN §6).
"""

from __future__ import annotations

import re

from paymodel.arguments import fail
from paymodel.messages import show

__all__ = [
    "PERIODS",
    "check_month",
    "month_index",
    "month_label",
    "period_label",
    "through_months",
]

# ASCII digits, matched whole (`fullmatch`): "2024-10\n" or other scripts' digits are not months.
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

#: The periods a timeline can be grouped by.
PERIODS: tuple[str, ...] = ("month", "quarter", "year")

#: The years a calendar month may fall in: enough for any deployment, and catches typos.
_FIRST_YEAR, _LAST_YEAR = 1900, 2200
#: The largest month number ``through`` may be (without a calendar).
_LAST_MONTH = 100_000


def month_index(text: str) -> int:
    """Months since January of year 0 for a ``"YYYY-MM"`` label.

    Parameters
    ----------
    text
        A calendar month, e.g. ``"2024-10"``.

    Raises
    ------
    ValueError
        When the text is not a month between 1900-01 and 2200-12.

    Examples
    --------
    >>> month_index("2025-01") - month_index("2024-10")
    3
    """
    found = _MONTH.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise ValueError(
            f"must be a calendar month written YYYY-MM, such as 2024-10 (got {text!r})"
        )
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(
            f"must be a month between {_FIRST_YEAR}-01 and {_LAST_YEAR}-12 written YYYY-MM, "
            f"such as 2024-10 (got {text!r})"
        )
    return year * 12 + month - 1


def check_month(text: str) -> str:
    """Return ``text`` when it is a valid ``"YYYY-MM"`` month (a pydantic after-validator)."""
    month_index(text)
    return text


def month_label(start: str, offset: int) -> str:
    """The calendar month ``offset`` whole months after ``start``.

    Examples
    --------
    >>> month_label("2024-10", 3)
    '2025-01'
    """
    index = month_index(start) + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_label(label: str, by: str) -> str:
    """The quarter or year a month label falls in: ``2025-Q1``, ``2025``; months unchanged.

    Without a calendar, labels are month numbers ``"1"``, ``"2"``, …; quarters are then
    ``"Q1"`` (months 1–3), ``"Q2"``, … and years ``"Y1"`` (months 1–12), ``"Y2"``, ….

    Examples
    --------
    >>> period_label("2025-02", "quarter"), period_label("2025-02", "year")
    ('2025-Q1', '2025')
    >>> period_label("13", "year")
    'Y2'
    """
    if by == "month":
        return label
    found = _MONTH.fullmatch(label)
    if found is None:
        number = int(label) - 1
        return f"Q{number // 3 + 1}" if by == "quarter" else f"Y{number // 12 + 1}"
    year, month = found.group(1), int(found.group(2))
    return f"{year}-Q{(month - 1) // 3 + 1}" if by == "quarter" else year


def through_months(start: str | None, through: str | int | float | None) -> float | None:
    """A ``--through`` cut-off as months after the scenario's month 0 (its end, exclusive).

    Parameters
    ----------
    start
        The scenario's calendar start, or ``None`` without a calendar.
    through
        ``"YYYY-MM"`` (with a calendar): up to the end of that month; a whole number N
        (with or without a calendar): up to the end of month N, counting from 1; ``None``:
        no cut.

    Returns
    -------
    float or None
        The number of months from month 0 to the cut (``None`` for no cut).

    Raises
    ------
    ArgumentError
        With a one-line message for a malformed month, a calendar month on a scenario
        without a ``start``, a month before the scenario's start, or a month number that is
        not whole or not between 1 and 100,000.

    Examples
    --------
    >>> through_months("2024-10", "2025-03"), through_months(None, 6)
    (6.0, 6.0)
    """
    if through is None:
        return None
    if isinstance(through, str) and re.match(r"[0-9]{4}-", through.strip()):
        if start is None:
            fail(
                "through",
                f"{through!r} is a calendar month, but the scenario has no start; give a month "
                'number instead (e.g. 6), or set start = "2024-10" in the scenario',
            )
        try:
            index = month_index(through.strip())
        except ValueError as error:
            fail("through", str(error))
        months = index - month_index(start) + 1
        if months < 1:
            fail("through", f"{through!r} is before the scenario's start {start!r}")
        return float(months)
    rule = (
        "must be a calendar month written YYYY-MM (such as 2025-03) or a whole month number "
        f"from 1 to {_LAST_MONTH:,} (got {show(through)})"
    )
    if isinstance(through, bool):
        fail("through", rule)
    try:
        number = float(through)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond float's range
        fail("through", rule)
    if not number.is_integer() or not 1 <= number <= _LAST_MONTH:
        fail("through", rule)
    return number
