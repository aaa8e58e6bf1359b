"""Scenario discovery: the ranges of the inputs where an output is high (or low).

"When does the regime earn more than $1 billion a year?" `discover` answers with a **box**:
a range for a few inputs (tours under 3 months, more than 24,000 troops) inside which most
samples meet the condition, and which holds most of the samples that meet it. It runs the
Patient Rule Induction Method (PRIM; Friedman and Fisher 1999, as used for scenario
discovery by Bryant and Lempert 2010) on a simulation's kept samples.

Three numbers describe a box:

- **coverage**: the share of all samples meeting the condition that lie in the box;
- **density**: the share of the samples in the box that meet the condition;
- **mass**: the share of all samples that lie in the box.

**Peeling.** Start from the box of every sample. At each step, for every input and both of
its ends, consider cutting off the ``peel_alpha`` share of the box's samples with the
lowest (highest) values: the ``peel_alpha`` quantile of that input within the box (for an
input with few distinct values, such as a ``choice``, its whole lowest or highest value
when the quantile cuts off nothing). Keep the cut that leaves the highest density (ties:
the one that keeps more samples). Stop when no cut leaves at least ``min_mass`` of all
samples (by default 5 %, or half the share of samples meeting the condition when that is
smaller, so that a rare condition can still be boxed), or when the density reaches 1.
The boxes met on the way are the *peeling trajectory*: coverage falls and density
(mostly) rises along it.

**Choosing and pasting.** The chosen box is the trajectory's box of largest coverage whose
density is at least ``threshold`` (or, when none reaches it, the box of highest density).
Pasting then widens it again: for every input and end, take in the ``paste_alpha`` share
(of the box's samples) of the nearest samples just outside that end, and keep the widening
that gives the highest density, as long as the density does not fall. Every step is
vectorized over all inputs and ends at once.

For each input the chosen box restricts, the result also gives the density and coverage
the box would have without that restriction: a restriction whose removal barely changes
them does little, and can be read as "any value".

Written for paymodel in numpy rather than taken from the EMA Workbench, whose PRIM needs
pandas, Python 3.12 and many other packages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel.arguments import check_number, check_type, fail
from paymodel.display import input_value, output_value, percent, table, terminal_text
from paymodel.errors import ArgumentError, ScenarioError
from paymodel.frames import data_frame
from paymodel.inputs import uncertain_inputs_of
from paymodel.limits import check_array_values
from paymodel.outputs import output_key
from paymodel.results import JsonResult, TableResult
from paymodel.scenario import Scenario, check_scenario
from paymodel.simulate import Simulation

__all__ = [
    "DEFAULT_MIN_MASS",
    "Box",
    "Discovery",
    "Restriction",
    "check_discovery",
    "discover",
    "prim",
    "prim_values_per_sample",
]

#: The smallest share of all samples a box may hold, unless the condition is rarer.
DEFAULT_MIN_MASS = 0.05

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Restriction:
    """The range a box allows for one input it restricts.

    Attributes
    ----------
    path
        The input's dotted path.
    low, high
        The box's ends for this input; ``None`` where the box does not cut (on that side
        it reaches the lowest or highest value sampled).
    density_without, coverage_without
        The box's density and coverage if this restriction were dropped.
    """

    path: str
    low: float | None
    high: float | None
    density_without: float
    coverage_without: float

    def describe(self) -> str:
        """``"deployment.troops ≥ 24,000"``, ``"a ≤ x ≤ b"``, in the input's unit."""
        if self.low is not None and self.high is not None:
            low, high = input_value(self.path, self.low), input_value(self.path, self.high)
            return f"{low} ≤ {self.path} ≤ {high}"
        if self.low is not None:
            return f"{self.path} ≥ {input_value(self.path, self.low)}"
        assert self.high is not None  # noqa: S101 - a restriction cuts at least one side
        return f"{self.path} ≤ {input_value(self.path, self.high)}"

    def words(self) -> str:
        """The range in words: ``"deployment.troops is at least 24,000"``."""
        if self.low is not None and self.high is not None:
            low, high = input_value(self.path, self.low), input_value(self.path, self.high)
            return f"{self.path} is between {low} and {high}"
        if self.low is not None:
            return f"{self.path} is at least {input_value(self.path, self.low)}"
        assert self.high is not None  # noqa: S101 - a restriction cuts at least one side
        return f"{self.path} is at most {input_value(self.path, self.high)}"

    def to_dict(self) -> dict[str, Any]:
        """``{"path", "low", "high", "density_without", "coverage_without"}``."""
        return asdict(self)


@dataclass(frozen=True)
class Box:
    """A box of input ranges, with how well it captures the samples meeting a condition.

    Attributes
    ----------
    coverage
        Share of the samples meeting the condition that lie in the box.
    density
        Share of the box's samples that meet the condition.
    mass
        Share of all samples that lie in the box.
    restrictions
        The inputs whose range the box narrows, in input order; the others may take any
        sampled value.
    """

    coverage: float
    density: float
    mass: float
    restrictions: tuple[Restriction, ...]

    def describe(self) -> str:
        """The restrictions joined by "and", e.g. ``"tours ≤ 3 and troops ≥ 24,000"``."""
        return " and ".join(r.describe() for r in self.restrictions) or "any inputs"

    def to_dict(self) -> dict[str, Any]:
        """``{"coverage", "density", "mass", "restrictions": [Restriction.to_dict()]}``."""
        return {
            "coverage": self.coverage,
            "density": self.density,
            "mass": self.mass,
            "restrictions": [r.to_dict() for r in self.restrictions],
        }


class _Data:
    """The samples, the hits and their totals, and how to describe a box over them."""

    def __init__(self, paths: list[str], points: FloatArray, hits: BoolArray) -> None:
        self.paths = paths
        self.points = points
        self.hits = hits
        self.count = points.shape[0]
        self.hit_count = int(hits.sum())
        self.lowest = points.min(axis=0)
        self.highest = points.max(axis=0)

    def outside(self, low: FloatArray, high: FloatArray) -> BoolArray:
        """(n, d): whether each sample lies outside the box along each input."""
        return np.asarray((self.points < low) | (self.points > high))

    def box(self, low: FloatArray, high: FloatArray) -> Box:
        outside = self.outside(low, high)
        violations = outside.sum(axis=1)
        inside = violations == 0
        in_count = int(inside.sum())
        in_hits = int(self.hits[inside].sum())
        # Inside on every input but j: (n, d); drop restriction j and these are the box.
        inside_but = (violations[:, np.newaxis] - outside) == 0
        count_but = inside_but.sum(axis=0)
        hits_but = (inside_but & self.hits[:, np.newaxis]).sum(axis=0)
        restrictions = []
        for j, path in enumerate(self.paths):
            cuts_low, cuts_high = low[j] > self.lowest[j], high[j] < self.highest[j]
            if cuts_low or cuts_high:
                restrictions.append(
                    Restriction(
                        path=path,
                        low=float(low[j]) if cuts_low else None,
                        high=float(high[j]) if cuts_high else None,
                        density_without=float(hits_but[j] / count_but[j]),
                        coverage_without=float(hits_but[j] / self.hit_count),
                    )
                )
        return Box(
            coverage=in_hits / self.hit_count,
            density=in_hits / in_count,
            mass=in_count / self.count,
            restrictions=tuple(restrictions),
        )


def _peel(
    data: _Data, low: FloatArray, high: FloatArray, alpha: float, min_count: int
) -> tuple[FloatArray, FloatArray] | None:
    """One peeling step: the new (low, high), or ``None`` when no cut is allowed."""
    inside = ~data.outside(low, high).any(axis=1)
    points, hits = data.points[inside], data.hits[inside]
    in_count, in_hits = points.shape[0], int(hits.sum())
    if in_hits == in_count:  # already pure: no cut can raise the density
        return None
    cuts = np.quantile(points, [alpha, 1 - alpha], axis=0)  # (2, d)
    box_low, box_high = points.min(axis=0), points.max(axis=0)
    # An input with few distinct values: cut off its whole lowest (highest) value.
    next_up = np.where(points > box_low, points, np.inf).min(axis=0)
    next_down = np.where(points < box_high, points, -np.inf).max(axis=0)
    removes_low = points < cuts[0]
    removes_high = points > cuts[1]
    whole_low = ~removes_low.any(axis=0)
    whole_high = ~removes_high.any(axis=0)
    removes_low[:, whole_low] = points[:, whole_low] <= box_low[whole_low]
    removes_high[:, whole_high] = points[:, whole_high] >= box_high[whole_high]
    new_low = np.where(whole_low, next_up, cuts[0])
    new_high = np.where(whole_high, next_down, cuts[1])

    removes = np.stack([removes_low, removes_high])  # (2, n_in, d)
    removed = removes.sum(axis=1)  # (2, d)
    removed_hits = (removes & hits[np.newaxis, :, np.newaxis]).sum(axis=1)
    kept = in_count - removed
    density = np.where(kept > 0, (in_hits - removed_hits) / np.maximum(kept, 1), -1.0)
    allowed = (removed > 0) & (kept >= min_count)
    return _best_move(low, high, allowed, density, kept, new_low, new_high)


def _best_move(
    low: FloatArray,
    high: FloatArray,
    allowed: BoolArray,
    density: FloatArray,
    count: NDArray[np.integer],
    new_low: FloatArray,
    new_high: FloatArray,
) -> tuple[FloatArray, FloatArray] | None:
    """The box after the allowed move that leaves the highest density, or ``None`` if none is.

    ``allowed``, ``density`` and ``count`` are (2, d): moving input j's low end (row 0) to
    ``new_low[j]`` or its high end (row 1) to ``new_high[j]``. Ties go to the larger
    ``count`` (the samples a peel keeps, or a paste adds), then to the first.
    """
    if not allowed.any():
        return None
    score = np.where(allowed, density, -np.inf)
    best = np.flatnonzero(score == score.max())
    side, j = divmod(int(best[np.argmax(count.ravel()[best])]), low.shape[0])
    low, high = low.copy(), high.copy()
    if side == 0:
        low[j] = new_low[j]
    else:
        high[j] = new_high[j]
    return low, high


def _paste(
    data: _Data, low: FloatArray, high: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    """Widen the box while the density does not fall (see the module's docstring)."""
    while True:
        outside = data.outside(low, high)
        violations = outside.sum(axis=1)
        inside = violations == 0
        in_count, in_hits = int(inside.sum()), int(data.hits[inside].sum())
        step = max(1, math.ceil(alpha * in_count))
        only = violations[:, np.newaxis] == 1  # outside the box along one input only
        below = only & (data.points < low)  # (n, d)
        above = only & (data.points > high)
        # The nearest `step` candidates of each input and end, by sorting each column.
        nearest_below = -np.sort(-np.where(below, data.points, -np.inf), axis=0)
        nearest_above = np.sort(np.where(above, data.points, np.inf), axis=0)
        take_below = np.minimum(step, below.sum(axis=0))
        take_above = np.minimum(step, above.sum(axis=0))
        columns = np.arange(low.shape[0])
        limit_low = nearest_below[np.maximum(take_below - 1, 0), columns]
        limit_high = nearest_above[np.maximum(take_above - 1, 0), columns]
        added_below = below & (data.points >= limit_low)
        added_above = above & (data.points <= limit_high)
        added = np.stack([added_below.sum(axis=0), added_above.sum(axis=0)])  # (2, d)
        added_hits = np.stack(
            [
                (added_below & data.hits[:, np.newaxis]).sum(axis=0),
                (added_above & data.hits[:, np.newaxis]).sum(axis=0),
            ]
        )
        density = (in_hits + added_hits) / (in_count + np.maximum(added, 1))
        allowed = (added > 0) & (density >= in_hits / in_count)
        moved = _best_move(low, high, allowed, density, added, limit_low, limit_high)
        if moved is None:
            return low, high
        low, high = moved


def _share(value: Any, name: str, upper: float = 1.0) -> float:
    return check_number(value, name, low=0, high=upper, low_open=True)


def _check_parameters(
    peel_alpha: float, paste_alpha: float, min_mass: float | None, threshold: float
) -> tuple[float, float, float | None, float]:
    """PRIM's parameters, checked (see `prim`)."""
    return (
        _share(peel_alpha, "peel_alpha", upper=0.5),
        _share(paste_alpha, "paste_alpha", upper=0.5),
        None if min_mass is None else _share(min_mass, "min_mass"),
        _share(threshold, "threshold"),
    )


def _check_condition(above: Any, below: Any) -> tuple[float | None, float | None]:
    """The condition output > ``above`` and/or output < ``below``, checked."""
    low = None if above is None else check_number(above, "above")
    high = None if below is None else check_number(below, "below")
    if low is None and high is None:
        raise ArgumentError(
            "discover: give a condition, above=... and/or below=...", argument="condition"
        )
    if low is not None and high is not None and not low < high:
        fail("above", f"must be less than below (got above={above}, below={below})")
    return low, high


def prim_values_per_sample(dimensions: int) -> int:
    """Float64 values (or their equal in bytes) `prim` holds for each sample, with d inputs.

    The samples as one (n, d) array, the masks of which sample lies outside the box along
    each input (booleans) and the counts derived from them (integers), and the samples left
    inside a peeled box: counted as 4·d + 2.
    """
    return 4 * dimensions + 2


def check_discovery(
    scenario: Scenario,
    output: str,
    *,
    above: float | None = None,
    below: float | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    min_mass: float | None = None,
    threshold: float = 0.8,
) -> str:
    """Every check `discover` makes that needs no samples, before a simulation is run.

    Parameters
    ----------
    scenario
        The scenario to be simulated.
    output, above, below, peel_alpha, paste_alpha, min_mass, threshold
        As for `discover`.

    Returns
    -------
    str
        The output's key (``"layer:<name>"`` for a layer).

    Raises
    ------
    ArgumentError
        For a bad argument; ``error.argument`` names it (``"condition"`` when neither
        ``above`` nor ``below`` is given).
    ScenarioError
        When the scenario has no uncertain inputs.

    Examples
    --------
    >>> import paymodel as pm
    >>> check_discovery(pm.builtin("span-sources"), "state treasury", above=1e8)
    'layer:state treasury'
    """
    check_scenario(scenario)
    _check_condition(above, below)
    _check_parameters(peel_alpha, paste_alpha, min_mass, threshold)
    key = output_key(output, scenario.layer_names(), currency=scenario.currency_code)
    uncertain_inputs_of(scenario, "discover")
    return key


def prim(
    inputs: Mapping[str, ArrayLike],
    hits: ArrayLike,
    *,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    min_mass: float | None = None,
    threshold: float = 0.8,
) -> tuple[tuple[Box, ...], int, Box]:
    """PRIM on plain arrays: peel, choose a box, paste it.

    Parameters
    ----------
    inputs
        Each input's samples by name, arrays of one length n.
    hits
        Boolean array of length n: which samples meet the condition.
    peel_alpha
        Share of the box's samples one peeling step cuts off (0 < α ≤ 0.5).
    paste_alpha
        Share of the box's samples one pasting step may take in (0 < α ≤ 0.5).
    min_mass
        Peeling stops before the box holds less than this share of all samples (the
        minimum support). ``None``: 0.05, or half the share of samples that hit when that
        is smaller.
    threshold
        The density the chosen box must reach, if any box on the trajectory does.

    Returns
    -------
    tuple
        ``(trajectory, chosen, box)``: every box met while peeling (the first holds every
        sample), the index of the one chosen, and that box after pasting.

    Examples
    --------
    Samples hit when x < 0.3 and y > 0.6; z does not matter.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, y, z = rng.random((3, 20_000))
    >>> trajectory, chosen, box = prim({"x": x, "y": y, "z": z}, (x < 0.3) & (y > 0.6),
    ...                                threshold=0.95)
    >>> box.describe()
    'x ≤ 0.311 and y ≥ 0.606'
    >>> round(box.coverage, 3), round(box.density, 3), round(box.mass, 3)
    (0.983, 0.97, 0.122)
    """
    peel_alpha, paste_alpha, min_mass, threshold = _check_parameters(
        peel_alpha, paste_alpha, min_mass, threshold
    )
    paths = list(inputs)
    if not paths:
        raise ScenarioError("discover: no inputs to restrict")
    points = np.column_stack([np.asarray(inputs[p], dtype=np.float64) for p in paths])
    hit = np.asarray(hits, dtype=bool)
    if hit.shape != (points.shape[0],):
        fail("hits", f"must have one entry per sample (got {hit.shape} for {points.shape[0]})")
    if not np.isfinite(points).all():
        raise ScenarioError("discover: an input sample is not finite")
    data = _Data(paths, points, hit)
    low, high = data.lowest.copy(), data.highest.copy()
    if min_mass is None:
        min_mass = min(DEFAULT_MIN_MASS, data.hit_count / data.count / 2)
    min_count = max(1, math.ceil(min_mass * data.count))
    limits = [(low, high)]
    while (step := _peel(data, low, high, peel_alpha, min_count)) is not None:
        low, high = step
        limits.append(step)
    trajectory = tuple(data.box(lo, hi) for lo, hi in limits)
    dense = [i for i, b in enumerate(trajectory) if b.density >= threshold]
    if dense:
        chosen = max(dense, key=lambda i: (trajectory[i].coverage, -trajectory[i].mass))
    else:
        chosen = max(range(len(trajectory)), key=lambda i: trajectory[i].density)
    pasted = _paste(data, *limits[chosen], paste_alpha)
    return trajectory, chosen, data.box(*pasted)


@dataclass(frozen=True)
class Discovery(JsonResult, TableResult):
    """Where in the inputs' space an output meets a condition: PRIM's boxes.

    Attributes
    ----------
    scenario
        The scenario's name.
    output
        The output followed (``"layer:<name>"`` for a layer's revenue).
    above, below
        The condition: output > ``above`` and/or output < ``below``.
    samples, seed, method
        The simulation's sample count, seed and sampling method.
    hit_share
        Share of all samples that meet the condition (the density of the whole space).
    box
        The chosen box, after pasting.
    trajectory
        The boxes met while peeling, from the whole space on.
    chosen
        Index in ``trajectory`` of the box that was pasted into ``box``.
    threshold
        The density the chosen box had to reach; ``box.density`` may fall short when no
        box on the trajectory reached it.
    """

    scenario: str
    output: str
    above: float | None
    below: float | None
    samples: int
    seed: int
    method: str
    hit_share: float
    box: Box
    trajectory: tuple[Box, ...]
    chosen: int
    threshold: float

    def condition(self) -> str:
        """The condition in words, e.g. ``"regime_revenue_per_year_usd > $1,000,000,000"``."""
        parts = []
        if self.above is not None:
            parts.append(f"{self.output} > {output_value(self.output, self.above)}")
        if self.below is not None:
            parts.append(f"{self.output} < {output_value(self.output, self.below)}")
        return " and ".join(parts)

    @property
    def summary(self) -> str:
        """What was found, in one plain sentence (the first line of `to_text`).

        Examples
        --------
        ``"In span-sources, take_home_monthly_usd is above $100 in 100.0 % of the draws
        where diversion.0.share is at most 90.0 % (against 50.3 % across all draws); those
        draws hold 100.0 % of all the draws where it is."``
        """
        if self.above is not None and self.below is not None:
            low, high = (output_value(self.output, v) for v in (self.above, self.below))
            met = f"is between {low} and {high}"
        elif self.above is not None:
            met = f"is above {output_value(self.output, self.above)}"
        else:
            assert self.below is not None  # noqa: S101 - discover needs above or below
            met = f"is below {output_value(self.output, self.below)}"
        start = f"In {self.scenario}, {self.output} {met}"
        box = self.box
        if not box.restrictions:
            return (
                f"{start} in {percent(self.hit_share)} of the draws, and no range of the "
                "inputs stands out where it is more often."
            )
        where = [r.words() for r in box.restrictions]
        ranges = where[0] if len(where) == 1 else f"{', '.join(where[:-1])} and {where[-1]}"
        return (
            f"{start} in {percent(box.density)} of the draws where {ranges} (against "
            f"{percent(self.hit_share)} across all draws); those draws hold "
            f"{percent(box.coverage)} of all the draws where it is."
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``paymodel discover --json``.

        ``{"scenario", "output", "above", "below", "samples", "seed", "method",
        "hit_share", "threshold", "summary", "box": {"coverage", "density", "mass",
        "restrictions": [{"path", "low", "high", "density_without", "coverage_without"}]},
        "trajectory": [{"coverage", "density", "mass", "restricted": [path]}], "chosen"}``;
        ``summary`` is `summary`, the finding in one plain sentence.
        """
        return {
            "scenario": self.scenario,
            "output": self.output,
            "above": self.above,
            "below": self.below,
            "samples": self.samples,
            "seed": self.seed,
            "method": self.method,
            "hit_share": self.hit_share,
            "threshold": self.threshold,
            "summary": self.summary,
            "box": self.box.to_dict(),
            "trajectory": [
                {
                    "coverage": b.coverage,
                    "density": b.density,
                    "mass": b.mass,
                    "restricted": [r.path for r in b.restrictions],
                }
                for b in self.trajectory
            ],
            "chosen": self.chosen,
        }

    def to_text(self) -> str:
        """What was found in one sentence; then the box as a table, and how it was found."""
        box = self.box
        lines = [
            self.summary,
            "",
            f"{self.scenario}: where {self.condition()} ({self.samples:,} samples, "
            f"{self.method}, seed {self.seed}; {percent(self.hit_share)} of them meet it)",
            "",
            f"Mostly when {box.describe()}:",
            f"  coverage {percent(box.coverage)} (of the samples meeting it, the share in the box)",
            f"  density  {percent(box.density)} (of the samples in the box, the share meeting it)",
            f"  mass     {percent(box.mass)} (of all samples, the share in the box)",
        ]
        if box.density < self.threshold:
            lines.append(
                f"  (no box reached the density threshold {percent(self.threshold)}; this is "
                "the densest)"
            )
        if box.restrictions:
            _, headers, rows, right = self._table()
            lines += ["", table(headers, rows, right)]
        shown = sorted(
            {
                *range(0, len(self.trajectory), max(1, len(self.trajectory) // 10)),
                len(self.trajectory) - 1,
                self.chosen,
            }
        )
        rows = [
            [
                str(i),
                "*" if i == self.chosen else "",
                percent(self.trajectory[i].coverage),
                percent(self.trajectory[i].density),
                percent(self.trajectory[i].mass),
                str(len(self.trajectory[i].restrictions)),
            ]
            for i in shown
        ]
        lines += [
            "",
            f"How the box was found: PRIM's peeling trajectory, each step trimming the inputs' "
            f"ranges ({len(self.trajectory)} boxes; * the one chosen, then widened where that "
            "kept its density, 'pasting'):",
            table(
                ["step", "chosen", "coverage", "density", "mass", "inputs restricted"],
                rows,
                [True, False, True, True, True, True],
            ),
        ]
        return terminal_text("\n".join(lines))

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        """The chosen box's restrictions, under the condition and the box's three numbers."""
        box = self.box
        heading = (
            f"{self.scenario}: where {self.condition()}: mostly when {box.describe()} "
            f"(coverage {percent(box.coverage)}, density {percent(box.density)}, mass "
            f"{percent(box.mass)}; {self.samples:,} samples)"
        )
        rows = [
            [
                r.path,
                "" if r.low is None else input_value(r.path, r.low),
                "" if r.high is None else input_value(r.path, r.high),
                percent(r.density_without),
                percent(r.coverage_without),
            ]
            for r in box.restrictions
        ]
        headers = ["input", "from", "to", "density without", "coverage without"]
        return heading, headers, rows, [False, True, True, True, True]

    def to_frame(self) -> Any:
        """The peeling trajectory, one row per box (needs ``paymodel[frame]``)."""
        return data_frame(
            {
                "coverage": [b.coverage for b in self.trajectory],
                "density": [b.density for b in self.trajectory],
                "mass": [b.mass for b in self.trajectory],
                "restricted": [", ".join(r.path for r in b.restrictions) for b in self.trajectory],
            }
        )


def discover(
    simulation: Simulation,
    output: str,
    *,
    above: float | None = None,
    below: float | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    min_mass: float | None = None,
    threshold: float = 0.8,
) -> Discovery:
    """Find the ranges of the uncertain inputs where an output is above (or below) a value.

    Parameters
    ----------
    simulation
        A simulation run with ``keep_samples=True`` (it keeps every input's samples).
    output
        An output name, or a layer's revenue as ``"layer:<name>"`` (or its bare name).
    above, below
        The condition: output > ``above`` and/or output < ``below`` (at least one).
    peel_alpha, paste_alpha, min_mass, threshold
        PRIM's parameters; see `prim`.

    Returns
    -------
    Discovery

    Raises
    ------
    ScenarioError
        When samples were not kept, the scenario has no uncertain inputs, the condition is
        missing or met by no sample (or by every sample), or a parameter is out of range.

    Examples
    --------
    >>> import paymodel as pm
    >>> sim = pm.simulate(pm.builtin("span-sources"), 20_000, seed=1, keep_samples=True)
    >>> found = pm.discover(sim, "regime_revenue_per_year_usd", above=350e6)
    >>> [r.path for r in found.box.restrictions][:1]
    ['pay.gross_monthly_usd']
    """
    check_type(simulation, Simulation, "simulation", "a Simulation, which pm.simulate gives")
    above, below = _check_condition(above, below)
    _check_parameters(peel_alpha, paste_alpha, min_mass, threshold)
    key = output_key(output, simulation.layer_names, currency=simulation.currency)
    if simulation.kept is None or simulation.kept_inputs is None:
        raise ScenarioError(
            "discover: the simulation did not keep its samples; run "
            "simulate(..., keep_samples=True)"
        )
    if not simulation.kept_inputs:
        raise ScenarioError(
            f"discover: scenario {simulation.scenario!r} has no uncertain inputs, so no range "
            "of them can explain an output; give at least one input as a distribution"
        )
    check_array_values(
        "discover",
        {
            "samples": simulation.samples,
            "values a sample": prim_values_per_sample(len(simulation.kept_inputs)),
        },
        "simulate fewer samples",
    )
    values = simulation.values(key)
    hits = np.ones(values.shape, dtype=bool)
    if above is not None:
        hits &= values > above
    if below is not None:
        hits &= values < below
    count = int(hits.sum())
    if count in (0, values.shape[0]):
        lowest, highest = (output_value(key, float(v)) for v in (values.min(), values.max()))
        which = "no sample meets" if count == 0 else "every sample meets"
        raise ScenarioError(
            f"discover: {which} the condition on {key} (its samples range from {lowest} to "
            f"{highest}); nothing tells the samples apart, choose another value"
        )
    trajectory, chosen, box = prim(
        simulation.kept_inputs,
        hits,
        peel_alpha=peel_alpha,
        paste_alpha=paste_alpha,
        min_mass=min_mass,
        threshold=threshold,
    )
    return Discovery(
        scenario=simulation.scenario,
        output=key,
        above=above,
        below=below,
        samples=simulation.samples,
        seed=simulation.seed,
        method=simulation.method,
        hit_share=count / values.shape[0],
        box=box,
        trajectory=trajectory,
        chosen=chosen,
        threshold=float(threshold),
    )
