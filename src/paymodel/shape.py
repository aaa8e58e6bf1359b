"""The shape of an output's draws: a point mass, two clusters, or one plain spread.

A median is an honest headline only when draws lie around it. When a share of the draws
sits at exactly one value (``span-sources`` gives a soldier $0 in every draw where the
state keeps all of the pay) or the draws form two clusters with an empty stretch between
them, a quantile can fall where no draw lies. `shape_of` finds those cases and
`describe` says them in words: "in 50 % of draws the soldier keeps nothing; otherwise
mostly $150–$250". `compare`, the report's table and its histograms all ask this one
function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from paymodel.display import output_cents, output_value, percent

__all__ = [
    "GAP_SHARE",
    "MASS_SHARE",
    "SAME_VALUE",
    "Part",
    "Shape",
    "describe",
    "describe_briefly",
    "shape_of",
]

#: A value that at least this share of the draws take exactly is a point mass (continuous
#: draws never repeat a float, so any repetition this common is a real atom).
MASS_SHARE = 0.05
#: An empty stretch between two neighbouring draws wider than this share of the whole
#: range, with at least `MASS_SHARE` of the draws on each side, splits them into two clusters.
GAP_SHARE = 0.2
#: Two draws closer than this, relative to their size, are the same value with rounding
#: between them (a ratio's last bits), for finding a point mass.
SAME_VALUE = 1e-9


@dataclass(frozen=True)
class Part:
    """One part of the draws: its share of them and where most of it lies.

    Attributes
    ----------
    share
        Fraction of the draws in this part (0 … 1).
    low, high
        Its 5th and 95th percentiles (equal for a point mass).
    """

    share: float
    low: float
    high: float


@dataclass(frozen=True)
class Shape:
    """How an output's draws are spread.

    Attributes
    ----------
    p5, p50, p95
        The 5th, 50th and 95th percentiles of all the draws (linear interpolation).
    mass
        The point mass, as a `Part` with ``low == high`` (the value), or ``None``.
    rest
        The draws other than the point mass, or ``None`` when there is no mass.
    clusters
        The two clusters, lower first, when an empty gap splits the draws; else ``None``.
    gap
        The empty stretch ``(last draw below, first draw above)`` between the clusters (or
        between the mass and the rest), or ``None``.
    """

    p5: float
    p50: float
    p95: float
    mass: Part | None = None
    rest: Part | None = None
    clusters: tuple[Part, Part] | None = None
    gap: tuple[float, float] | None = None

    def values_shown(self) -> tuple[float, ...]:
        """The values a table or `describe` quotes: the percentiles, or the parts' ranges.

        For a money style that covers them all (`paymodel.display.output_cents`).

        Examples
        --------
        >>> shape_of([0.0] * 5 + [100.0, 150.0, 200.0, 250.0, 300.0]).values_shown()
        (0.0, 110.0, 290.0)
        """
        if self.mass is not None and self.rest is not None:
            return (self.mass.low, self.rest.low, self.rest.high)
        if self.clusters is not None:
            return tuple(v for part in self.clusters for v in (part.low, part.high))
        return (self.p5, self.p50, self.p95)

    @property
    def plain(self) -> bool:
        """Whether the percentiles tell the story: no point mass and no two clusters."""
        return self.mass is None and self.clusters is None

    def in_gap(self, value: float) -> bool:
        """Whether ``value`` lies strictly inside the empty gap, where no draw lies."""
        return self.gap is not None and self.gap[0] < value < self.gap[1]


def _part(values: np.ndarray, total: int) -> Part:
    low, high = np.percentile(values, [5.0, 95.0])
    return Part(share=values.size / total, low=float(low), high=float(high))


def _near(values: np.ndarray, value: float) -> np.ndarray:
    """Which of ``values`` equal ``value`` but for rounding (`SAME_VALUE` apart, relatively)."""
    near: np.ndarray = np.abs(values - value) <= SAME_VALUE * np.maximum(np.abs(values), abs(value))
    return near


def _same_values(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of sorted ``data`` and their counts, rounding apart.

    A ratio such as regime / paid gives 0.9 in one draw and 0.8999999999999999 in the
    next: those are one value, or a constant output would read "71 % at 90.0 %, else
    90.0 %". Neighbouring distinct values closer than `SAME_VALUE` (relatively) join one
    group, named by its most common member.
    """
    distinct, counts = np.unique(data, return_counts=True)
    if distinct.size < 2:
        return distinct, counts
    scale = np.maximum(np.abs(distinct[1:]), np.abs(distinct[:-1]))
    begins = np.concatenate(([True], np.diff(distinct) > SAME_VALUE * scale))
    if begins.all():
        return distinct, counts
    starts = np.flatnonzero(begins)
    group = np.cumsum(begins) - 1
    # The most common member of each group names it: sort by group, then by count.
    order = np.lexsort((-counts, group))
    first = np.searchsorted(group[order], np.arange(starts.size))
    return distinct[order[first]], np.add.reduceat(counts, starts)


def shape_of(values: ArrayLike) -> Shape:
    """The shape of one output's draws.

    Parameters
    ----------
    values
        Finite draws of one output (at least one).

    Returns
    -------
    Shape
        The percentiles, and a point mass (the most common value, or 0 whenever 0 is a
        mass itself, when at least `MASS_SHARE` of the draws take it and not all do) or
        two clusters (the widest empty stretch between neighbouring distinct values, when
        wider than `GAP_SHARE` of the range with at least `MASS_SHARE` of the draws on
        each side).

    Examples
    --------
    Half the draws at $0 and half between $100 and $300:

    >>> s = shape_of([0.0] * 5 + [100.0, 150.0, 200.0, 250.0, 300.0])
    >>> s.mass, s.rest.share, s.gap
    (Part(share=0.5, low=0.0, high=0.0), 0.5, (0.0, 100.0))
    >>> s.in_gap(s.p50), s.p50
    (True, 50.0)
    """
    data = np.sort(np.asarray(values, dtype=np.float64).ravel())
    total = data.size
    p5, p50, p95 = (float(v) for v in np.percentile(data, [5.0, 50.0, 95.0]))
    distinct, counts = _same_values(data)
    if distinct.size < 2:
        return Shape(p5, p50, p95)
    gap: tuple[float, float] | None = None
    steps = np.diff(distinct)
    widest = int(np.argmax(steps))
    below = int(np.searchsorted(data, distinct[widest], side="right"))
    sides_hold = min(below, total - below) >= max(2.0, MASS_SHARE * total)
    if steps[widest] > GAP_SHARE * (distinct[-1] - distinct[0]) and sides_hold:
        gap = (float(distinct[widest]), float(distinct[widest + 1]))
    most = int(np.argmax(counts))
    zero = int(np.searchsorted(distinct, 0.0))
    if zero < distinct.size and distinct[zero] == 0.0 and counts[zero] >= MASS_SHARE * total:
        most = zero  # nothing at all is the news, even when another value is as common
    if counts[most] >= max(2.0, MASS_SHARE * total):
        value = float(distinct[most])
        mass = Part(share=float(counts[most]) / total, low=value, high=value)
        rest = _part(data[~_near(data, value)], total)
        return Shape(p5, p50, p95, mass=mass, rest=rest, gap=gap)
    if gap is not None:
        clusters = (_part(data[:below], total), _part(data[below:], total))
        return Shape(p5, p50, p95, clusters=clusters, gap=gap)
    return Shape(p5, p50, p95)


_NOTHING = {
    "take_home_monthly_usd": "the soldier keeps nothing",
    "take_home_per_tour_usd": "the soldier keeps nothing",
    "take_home_per_individual_usd": "the soldier keeps nothing",
    "domestic_wage_multiple": "the soldier keeps nothing",
    "soldiers_take_home_usd": "the soldiers keep nothing",
    "regime_revenue_usd": "the regime gets nothing",
    "regime_revenue_per_year_usd": "the regime gets nothing",
}


def _range(output: str, part: Part, cents: bool) -> str:
    low = output_value(output, part.low, compact=True, cents=cents)
    high = output_value(output, part.high, compact=True, cents=cents)
    return low if low == high else f"{low}–{high}"


def _cents(output: str, shape: Shape, cents: bool | None) -> bool:
    """The money style of a description: as given, else one style for its own values."""
    return output_cents(output, shape.values_shown()) if cents is None else cents


def describe(output: str, shape: Shape, *, cents: bool | None = None) -> str:
    """The shape in words, for an output whose percentiles would mislead; "" when plain.

    A range is the 5th to 95th percentile of the draws it describes ("mostly").

    Parameters
    ----------
    output
        The output's name (`paymodel.OUTPUT_NAMES`), for units and words.
    shape
        What `shape_of` found.
    cents
        Dollars with cents (``True``) or whole (``False``), to match the other values of a
        table (`paymodel.display.output_cents`); by default one style for the values quoted.

    Examples
    --------
    >>> describe("take_home_monthly_usd", shape_of([0.0] * 5 + [100.0, 150, 200, 250, 300]))
    'in 50.0 % of draws the soldier keeps nothing; otherwise mostly $110–$290'
    >>> describe("deaths", shape_of([10.0] * 4 + [50.0] * 6))
    'in 60.0 % of draws 50; otherwise 10'
    >>> describe("paid_usd", shape_of([1.0, 2.0, 3.0, 97.0, 98.0, 99.0]))
    'two clusters: 50.0 % of draws mostly $1.10–$2.90, 50.0 % mostly $97.10–$98.90'
    >>> describe("paid_usd", shape_of([1.0, 2.0, 3.0, 4.0]))
    ''
    """
    cents = _cents(output, shape, cents)
    if shape.mass is not None and shape.rest is not None:
        value = shape.mass.low
        what = _NOTHING.get(output) if value == 0 else None
        if output == "diverted_share" and value == 1:
            what = "the regime keeps all of it"
        said = what or output_value(output, value, compact=True, cents=cents)
        rest = _range(output, shape.rest, cents)
        mostly = "" if shape.rest.low == shape.rest.high else "mostly "
        return f"in {percent(shape.mass.share)} of draws {said}; otherwise {mostly}{rest}"
    if shape.clusters is not None:
        low, high = shape.clusters
        return (
            f"two clusters: {percent(low.share)} of draws mostly {_range(output, low, cents)}, "
            f"{percent(high.share)} mostly {_range(output, high, cents)}"
        )
    return ""


def describe_briefly(output: str, shape: Shape, *, cents: bool | None = None) -> str:
    """`describe` for a table cell: ``49.7 % at $0, else $151–$249``; "" when plain.

    ``cents`` as for `describe`: a table passes its column's style.

    Examples
    --------
    >>> describe_briefly("take_home_monthly_usd", shape_of([0.0] * 5 + [100.0, 150, 200, 250, 300]))
    '50.0 % at $0, else $110–$290'
    >>> describe_briefly("domestic_wage_multiple", shape_of([1.0, 2.0, 3.0, 97.0, 98.0, 99.0]))
    '50.0 % 1.1×–2.9× / 50.0 % 97.1×–98.9×'
    """
    cents = _cents(output, shape, cents)
    if shape.mass is not None and shape.rest is not None:
        value = output_value(output, shape.mass.low, compact=True, cents=cents)
        rest = _range(output, shape.rest, cents)
        return f"{percent(shape.mass.share)} at {value}, else {rest}"
    if shape.clusters is not None:
        low, high = shape.clusters
        return (
            f"{percent(low.share)} {_range(output, low, cents)} / "
            f"{percent(high.share)} {_range(output, high, cents)}"
        )
    return ""
