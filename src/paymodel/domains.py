"""Domains of the model's inputs: which values each field accepts, and why.

A domain has hard bounds, which follow from the meaning of the field (a share lies in
[0, 1]; a troop count is positive), and a *limit*, the largest value the model accepts for
the field. Limits keep every output finite with a wide margin (the largest possible
regime revenue, 10⁶ $/month × 10⁷ troops × 1,200 months ≈ 10¹⁹ $, is far below the
largest float, 10³⁰⁸) and catch unit mistakes (pay entered in won, not dollars).

Hard bounds are checked against a distribution's whole support: a share may not be drawn
from a normal distribution unless it is truncated to [0, 1]. Limits are checked against a
distribution's largest parameter (``high``, ``p95``, ``mean``, the largest ``values``),
because a lognormal's support has no upper end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "COUNT",
    "DURATION",
    "KPW_PER_USD",
    "MONEY_LUMP",
    "MONEY_MONTHLY",
    "RATE",
    "SHARE",
    "WAGE_KPW",
    "WAGE_USD",
    "Domain",
]


def _number(x: float) -> str:
    """Format a bound for a message: ``10,000,000``, ``0.5``, ``1e+30``."""
    if x == math.inf:
        return "∞"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:g}"


@dataclass(frozen=True)
class Domain:
    """The values a numeric field accepts.

    Parameters
    ----------
    low
        Hard lower bound.
    low_open
        True when ``low`` itself is excluded (``> 0`` rather than ``≥ 0``).
    high
        Hard upper bound (``inf`` when the meaning sets none).
    limit
        Largest value accepted, to keep outputs finite and catch unit mistakes.
    """

    low: float
    low_open: bool
    high: float
    limit: float

    def describe(self) -> str:
        """The rule in words, e.g. ``> 0 and at most 10,000,000`` or ``between 0 and 1``."""
        if self.high != math.inf:
            return f"between {_number(self.low)} and {_number(self.high)}"
        sign = ">" if self.low_open else "≥"
        return f"{sign} {_number(self.low)} and at most {_number(self.limit)}"

    def check_number(self, value: float) -> None:
        """Raise ``ValueError`` when a plain number lies outside the domain."""
        below = value <= self.low if self.low_open else value < self.low
        if below or value > self.high or value > self.limit:
            raise ValueError(f"must be {self.describe()} (got {value:g})")

    def check_support(
        self, support_low: float, support_high: float, low_attained: bool, largest_parameter: float
    ) -> None:
        """Raise ``ValueError`` when a distribution can produce values outside the domain.

        Parameters
        ----------
        support_low, support_high
            The distribution's support.
        low_attained
            False when ``support_low`` is an open end (a lognormal never reaches 0).
        largest_parameter
            The distribution's largest parameter, checked against ``limit``.
        """
        below = support_low < self.low or (
            self.low_open and low_attained and support_low <= self.low
        )
        if below or support_high > self.high:
            raise ValueError(
                f"the distribution's values span [{support_low:g}, {support_high:g}], "
                f"but the field must be {self.describe()}; give a bounded distribution "
                "inside that range (a normal can be truncated with low and high)"
            )
        if largest_parameter > self.limit:
            raise ValueError(
                f"must be {self.describe()} (the distribution reaches {largest_parameter:g})"
            )


#: A share of money, or a fraction of people: 0 … 1.
SHARE = Domain(low=0.0, low_open=False, high=1.0, limit=1.0)
#: A monthly rate such as the death rate: 0 … 1.
RATE = SHARE
#: Dollars per soldier-month (gross pay, quotas).
MONEY_MONTHLY = Domain(low=0.0, low_open=False, high=math.inf, limit=1e6)
#: One-off dollars per individual (signing bonus, death benefit).
MONEY_LUMP = Domain(low=0.0, low_open=False, high=math.inf, limit=1e8)
#: Headcounts: positive, at most ten million (more than any army abroad).
COUNT = Domain(low=0.0, low_open=True, high=math.inf, limit=1e7)
#: Durations in months: positive, at most a century.
DURATION = Domain(low=0.0, low_open=True, high=math.inf, limit=1200.0)
#: Domestic monthly wage in dollars.
WAGE_USD = Domain(low=0.0, low_open=True, high=math.inf, limit=1e6)
#: Domestic monthly wage in North Korean won.
WAGE_KPW = Domain(low=0.0, low_open=True, high=math.inf, limit=1e12)
#: Market exchange rate, won per dollar.
KPW_PER_USD = Domain(low=0.0, low_open=True, high=math.inf, limit=1e9)
