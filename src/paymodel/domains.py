"""Domains of the model's inputs: which values each field accepts, and why.

A domain has hard bounds, which follow from the meaning of the field (a share lies in
[0, 1]; a troop count is positive), and a *limit*, the largest value the model accepts for
the field. Limits keep every output finite with a wide margin (the largest possible
regime revenue, 10⁶ $/month × 10⁷ troops × 1,200 months ≈ 10¹⁶ $, is far below the
largest float, 10³⁰⁸) and catch unit mistakes (pay entered in won, not dollars).

Every field also has a *smallest* nonzero magnitude: a troop count below one soldier, a
tour shorter than a day or a share below 10⁻¹² is a mistake, and such values would push
sums of money into subnormal floats, where they lose the precision that the conservation
identity (paid = regime revenue + soldiers' take-home) needs.

Hard bounds are checked against a distribution's whole support: a share may not be drawn
from a normal distribution unless it is truncated to [0, 1]. Limits are checked against a
distribution's largest parameter (``high``, ``p95``, ``mean``, the largest ``values``),
because a lognormal's support has no upper end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "COUNT",
    "CURRENCY_PER_USD",
    "DEATH_COUNT",
    "DURATION",
    "KPW_PER_USD",
    "MONEY_LUMP",
    "MONEY_MONTHLY",
    "OUTSIDE_SHARE",
    "RATE",
    "SHARE",
    "WAGE_KPW",
    "WAGE_USD",
    "Domain",
]

#: The largest share of a distribution's values allowed outside its field's domain: one in
#: a billion. Beyond it a run of a million samples would change some draw to fit the field.
OUTSIDE_SHARE = 1e-9


class _Cumulative(Protocol):
    """What `Domain.check_shares` needs of a distribution."""

    def share_at_most(self, x: float) -> float: ...

    def share_below(self, x: float) -> float: ...

    def share_above(self, x: float) -> float: ...

    def bound_hint(self, above: bool, bound: float) -> str: ...


def _number(x: float) -> str:
    """Format a bound for a message: ``10,000,000``, ``0.5``, ``1e+30``."""
    if x == math.inf:
        return "∞"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.3g}"


def _percent(share: float) -> str:
    """``4.25 %``, ``1.2e-05 %``: a share as a percentage, never rounded to 0."""
    return f"{100 * share:.3g} %"


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
    smallest
        Smallest nonzero value accepted (0 itself is accepted where ``low`` allows it).
    """

    low: float
    low_open: bool
    high: float
    limit: float
    smallest: float

    def describe(self) -> str:
        """The rule in words: ``between 0 and 1``, ``between 1 and 10,000,000``."""
        low = self.smallest if self.low_open else self.low
        return f"between {_number(low)} and {_number(self.largest)}"

    @property
    def largest(self) -> float:
        """The largest value accepted: the hard upper bound or the limit, whichever is lower."""
        return min(self.high, self.limit)

    @property
    def zero_allowed(self) -> bool:
        """True when 0 itself is accepted (then nothing between 0 and `smallest` is)."""
        return not self.low_open and self.low <= 0 <= self.largest

    def allows(self, values: ArrayLike) -> NDArray[np.bool_]:
        """Which values the domain accepts, element by element (NaN never).

        Accepted: `smallest` … `largest`, and 0 when `zero_allowed`.

        Examples
        --------
        >>> SHARE.allows([0.0, 1e-15, 0.5, 1.5]).tolist()
        [True, False, True, False]
        """
        array = np.asarray(values, dtype=np.float64)
        inside = (self.smallest <= array) & (array <= self.largest)
        return np.asarray(inside | ((array == 0) & self.zero_allowed), dtype=np.bool_)

    def snap(self, values: ArrayLike) -> NDArray[np.float64]:
        """Values drawn from a distribution, with those below `smallest` moved out of the gap.

        A distribution may reach the field's smallest nonzero value and still put much of
        its mass below it (a triangular from 0 to 10⁻⁶ $, a beta with a tiny alpha). Such a
        draw is not an amount the model accepts as a number: it counts as 0 where the field
        allows 0, and as `smallest` where it does not. This keeps every sample inside the
        domain, so sums of money never reach subnormal floats, where conservation loses its
        precision.

        Examples
        --------
        >>> SHARE.snap([0.0, 1e-300, 1e-12, 0.5]).tolist()
        [0.0, 0.0, 1e-12, 0.5]
        >>> COUNT.snap([0.25, 3.0]).tolist()
        [1.0, 3.0]
        """
        array = np.asarray(values, dtype=np.float64)
        if array.size and not np.min(array) < self.smallest:  # one pass when nothing is small
            return array
        gap = (array > 0) & (array < self.smallest)
        if not gap.any():
            return array
        return np.where(gap, 0.0 if self.zero_allowed else self.smallest, array)

    def check_number(self, value: float) -> None:
        """Raise ``ValueError`` when a plain number lies outside the domain."""
        if self.allows(value):
            return
        if self.zero_allowed and 0 < value < self.smallest:
            raise ValueError(
                f"must be 0 or at least {self.smallest:g}: a smaller amount is a mistake "
                f"(got {value:g})"
            )
        raise ValueError(f"must be {self.describe()} (got {value:g})")

    def check_support(
        self,
        support_low: float,
        support_high: float,
        low_attained: bool,
        largest_parameter: float,
        smallest_parameter: float,
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
        smallest_parameter
            The distribution's smallest positive parameter (``p5`` of a lognormal; the
            support's low end otherwise), checked against ``smallest``: where the domain
            excludes 0 it must reach it; elsewhere it must be 0 or reach it, as a plain
            number must (a lognormal's draws spread as far as p95/p5, and p5 = 10⁻³⁰⁰
            with p95 = 10⁶ draws values beyond the largest float).
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
        if self.low_open and smallest_parameter < self.smallest:
            raise ValueError(
                f"must be {self.describe()} (the distribution reaches down to "
                f"{smallest_parameter:g})"
            )
        if 0 < smallest_parameter < self.smallest:
            raise ValueError(
                f"must be 0 or at least {self.smallest:g}: a smaller amount is a mistake (the "
                f"distribution reaches down to {smallest_parameter:g})"
            )
        if 0 < support_high < self.smallest:
            raise ValueError(
                f"must be 0 or at least {self.smallest:g}: a smaller amount is a mistake (the "
                f"distribution's values all lie below {support_high:g})"
            )

    def shares_outside(self, distribution: _Cumulative) -> tuple[float, float]:
        """The shares of a distribution's values below and above what the field accepts.

        Below: under `smallest` where the domain excludes 0 (`snap` would move those values
        up to `smallest`, a material change: a troop count of 0.2 becomes one soldier); where
        it allows 0, under 0. The gap between 0 and `smallest` of such a field does not
        count: `snap` moves a value there to 0, by less than the field's smallest meaningful
        amount (a millionth of a dollar, 10⁻¹² of a share), so a bonus uniform from $0 to
        $100 is accepted. Above: over `largest`.
        """
        if self.zero_allowed:
            below = distribution.share_below(0.0)
        else:
            below = distribution.share_below(self.smallest)
        return below, distribution.share_above(self.largest)

    def check_shares(self, distribution: _Cumulative) -> None:
        """Raise ``ValueError`` when more than `OUTSIDE_SHARE` of the values leave the domain.

        A lognormal for troops with p5 = 1.5 and p95 = 9·10⁶ has 4.2 % of its values below
        one soldier and 4.7 % above the limit of ten million: they would be changed to fit,
        silently. The message names the shares and how to bound the distribution.
        """
        below, above = self.shares_outside(distribution)
        parts, hints = [], []
        if below > OUTSIDE_SHARE:
            low = 0.0 if self.zero_allowed else self.smallest
            parts.append(f"{_percent(below)} of its values lie below {_number(low)}")
            hints.append(distribution.bound_hint(above=False, bound=low))
        if above > OUTSIDE_SHARE:
            parts.append(f"{_percent(above)} above {_number(self.largest)}")
            hints.append(distribution.bound_hint(above=True, bound=self.largest))
        if parts:
            raise ValueError(
                f"must be {self.describe()}, but {' and '.join(parts)} (at most one in a "
                f"billion may): {' and '.join(hints)}, or bound it (a normal with low and high)"
            )


#: A share of money, or a fraction of people: 0 … 1.
SHARE = Domain(low=0.0, low_open=False, high=1.0, limit=1.0, smallest=1e-12)
#: A monthly rate such as the death rate: 0 … 1.
RATE = SHARE
#: Dollars per soldier-month (gross pay, quotas).
MONEY_MONTHLY = Domain(low=0.0, low_open=False, high=math.inf, limit=1e6, smallest=1e-6)
#: One-off dollars per individual (signing bonus, death benefit).
MONEY_LUMP = Domain(low=0.0, low_open=False, high=math.inf, limit=1e8, smallest=1e-6)
#: Headcounts: at least one soldier, at most ten million (more than any army abroad).
COUNT = Domain(low=0.0, low_open=True, high=math.inf, limit=1e7, smallest=1.0)
#: People killed over a window (``deaths``): none, or at least one, at most ten million.
DEATH_COUNT = Domain(low=0.0, low_open=False, high=math.inf, limit=1e7, smallest=1.0)
#: Durations in months: at least a day (1/30 month), at most a century.
DURATION = Domain(low=0.0, low_open=True, high=math.inf, limit=1200.0, smallest=1 / 30)
#: Domestic monthly wage in dollars: at least a tenth of a cent.
WAGE_USD = Domain(low=0.0, low_open=True, high=math.inf, limit=1e6, smallest=1e-3)
#: Domestic monthly wage in North Korean won: at least one won.
WAGE_KPW = Domain(low=0.0, low_open=True, high=math.inf, limit=1e12, smallest=1.0)
#: Market exchange rate, won per dollar: at least one.
KPW_PER_USD = Domain(low=0.0, low_open=True, high=math.inf, limit=1e9, smallest=1.0)
#: Units of another currency per dollar (``[currency] per_usd``): above 0, from a millionth
#: (no currency is worth a million dollars) to a billion (beyond any rate quoted today).
CURRENCY_PER_USD = Domain(low=0.0, low_open=True, high=math.inf, limit=1e9, smallest=1e-6)
