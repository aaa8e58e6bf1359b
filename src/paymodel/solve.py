"""Goal-seeking: the value of one assumption that makes an output hit a target.

`solve` answers "what would have to be true": the share withheld that leaves a soldier
$500 a month, the troop count that earns the regime $1 billion a year. It varies one
numeric input over the values its domain allows, holding every other input at its point
value, and finds where the output equals the target:

1. a scan: the kernel evaluates the output at once on a few thousand values spread over
   the domain (evenly and geometrically, both ends and the scenario's own value included);
2. among the places where the output crosses or touches the target, the one closest to
   the scenario's own value is refined: a crossing with Brent's method
   (`scipy.optimize.brentq`, to a few units in the last place), the edge of a stretch where
   the output equals the target exactly (take-home is 0 for every quota above the pay) by
   bisection to adjacent floating-point numbers.

The model is piecewise linear in most inputs, so the answers are exact to rounding.
When no allowed value reaches the target, `NoSolutionError` says so and gives the range
the output does reach.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel.arguments import check_mapping, check_number, check_text
from paymodel.calendar import through_months
from paymodel.contingents import Structure, evaluate_scenario
from paymodel.currency import twin_code
from paymodel.display import number, output_value, terminal_text
from paymodel.domains import Domain
from paymodel.errors import ArgumentError, NoSolutionError, ScenarioError
from paymodel.inputs import output_column, point_inputs, varied_inputs
from paymodel.kernel import OUTPUT_NAMES
from paymodel.outputs import output_key
from paymodel.results import JsonResult, TableResult
from paymodel.scenario import Scenario, check_scenario
from paymodel.sweep import parse_number

__all__ = ["SCAN_POINTS", "Solution", "parse_target", "solve"]

#: Values scanned evenly, and as many geometrically, over the domain before refining.
SCAN_POINTS = 4097

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Solution(JsonResult, TableResult):
    """The value of one input that gives a target output.

    Attributes
    ----------
    scenario
        The scenario's name.
    vary
        The dotted path of the input varied, as given.
    target
        ``{output name: target value}``.
    value
        The value of the input that gives the target.
    achieved
        The output at that value (equal to the target, to rounding).
    """

    scenario: str
    vary: str
    target: dict[str, float]
    value: float
    achieved: float

    @property
    def output(self) -> str:
        """The name of the output aimed at."""
        return next(iter(self.target))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``paymodel solve --json`` (DESIGN §5).

        Returns
        -------
        dict
            ``{"scenario", "vary", "target": {name: value}, "value", "achieved"}``.
        """
        return {
            "scenario": self.scenario,
            "vary": self.vary,
            "target": dict(self.target),
            "value": self.value,
            "achieved": self.achieved,
        }

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        name = self.output
        target = _shown(name, self.target[name])
        heading = f"{self.scenario}: the {self.vary} that gives {name} = {target}"
        headers = ["input", "value", "output", "achieved", "target"]
        row = [
            self.vary,
            number(self.value),
            name,
            _shown(name, self.achieved),
            _shown(name, self.target[name]),
        ]
        return heading, headers, [row], [False, True, False, True, True]

    def to_frame(self) -> Any:
        """One row: ``vary``, ``value``, ``output``, ``achieved``, ``target`` (needs pandas).

        Raises
        ------
        MissingExtraError
            Without pandas: ``pip install 'paymodel[frame]'``.
        """
        from paymodel.frames import data_frame

        name = self.output
        columns = {
            "vary": [self.vary],
            "value": [self.value],
            "output": [name],
            "achieved": [self.achieved],
            "target": [self.target[name]],
        }
        return data_frame(columns)

    def to_text(self) -> str:
        """One line for a terminal: the value found and what it gives."""
        name = self.output
        return terminal_text(
            f"{self.scenario}: {self.vary} = {number(self.value)} gives {name} = "
            f"{_shown(name, self.achieved)} (target {_shown(name, self.target[name])})"
        )


def parse_target(text: str) -> dict[str, float]:
    """``NAME=VALUE`` as typed on the command line, e.g. ``take_home_monthly_usd=500``.

    Examples
    --------
    >>> parse_target("regime_revenue_per_year_usd=1e9")
    {'regime_revenue_per_year_usd': 1000000000.0}
    """
    check_text(text, "target", example="'take_home_monthly_usd=500'")
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ScenarioError(
            f"target {text!r}: give NAME=VALUE, e.g. take_home_monthly_usd=500 (outputs: "
            f"{', '.join(OUTPUT_NAMES)})"
        )
    return {name.strip(): parse_number(value, f"target {name.strip()}")}


def _checked_target(target: Mapping[str, float], currency: str | None = None) -> tuple[str, float]:
    example = "{'take_home_monthly_usd': 500}"
    check_mapping(target, "target", example=example)
    if len(target) != 1:
        raise ArgumentError(
            f"target: give exactly one output and its value, e.g. {example} (got {target!r:.80})",
            argument="target",
        )
    ((name, value),) = target.items()
    name = output_key(name, None, argument="target", currency=currency)
    return name, check_number(value, f"target {name}")


def _scan_values(domain: Domain, current: float) -> FloatArray:
    """The values scanned: spread evenly and geometrically over the domain, sorted."""
    low, high = domain.smallest, domain.largest
    parts = [
        np.linspace(low, high, SCAN_POINTS),
        np.geomspace(low, high, SCAN_POINTS),
        np.array([current]),
    ]
    if domain.zero_allowed:
        parts.append(np.zeros(1))
    values = np.unique(np.concatenate(parts))
    return values[domain.allows(values)]


def _edge(gap: Callable[[FloatArray], FloatArray], inside: float, outside: float) -> float:
    """The end of a stretch where ``gap`` is exactly 0, between ``inside`` (in it) and ``outside``.

    Bisects, 64 points a step, until the two are adjacent floating-point numbers; returns the
    last value inside the stretch.
    """
    while True:
        points = np.linspace(inside, outside, 66)[1:-1]
        between = (points - inside) * (outside - points) > 0
        points = np.unique(points[between])
        if inside > outside:
            points = points[::-1]  # ordered from inside to outside
        if points.size == 0:
            return inside
        zero = gap(points) == 0
        first_out = int(np.argmin(zero)) if not zero.all() else points.size
        if first_out > 0:
            inside = float(points[first_out - 1])
        if first_out < points.size:
            outside = float(points[first_out])


def solve(
    scenario: Scenario,
    vary: str,
    target: Mapping[str, float] | str,
    *,
    through: str | int | None = None,
) -> Solution:
    """The value of one input that makes an output equal a target.

    Parameters
    ----------
    scenario
        A validated scenario; every other input keeps its point value (a distribution its
        median).
    vary
        The dotted path of the numeric input to vary (``diversion.0.share``,
        ``deployment.troops``, ``diversion.state treasury.share``, …). An input given as a
        distribution is replaced by the value found.
    target
        ``{output name: value}``, one output (or the text ``NAME=VALUE``).
    through
        Totals up to the end of this month (``"YYYY-MM"`` with a calendar, or a month
        number), as `paymodel.compute` takes it; ``None``: the whole deployment.

    Returns
    -------
    Solution
        The value and the output it achieves.

    Raises
    ------
    NoSolutionError
        When no value the input may take gives the target; the message gives the range the
        output reaches.
    ScenarioError
        For a path that is not a numeric input, or a target that is not one output with a
        finite value.

    Notes
    -----
    The input ranges over its domain (`Scenario.variable_input`), e.g. 0 … 1 for a share,
    1 … 10,000,000 for troops; where the domain allows 0 and then nothing below its
    smallest amount (10⁻¹² for a share), no value in between is tried. When several values
    give the target — the output equals it along a stretch, or it is not monotone — the
    value closest to the scenario's own value (its median, for a distribution) is returned;
    a stretch is left at its end. For an output that is not monotone in the input, crossings
    closer together than the scan's spacing can be missed.

    Examples
    --------
    The share withheld that leaves a soldier $500 of $2,000 a month: 2,000·(1 − s) = 500,
    s = 0.75.

    >>> import paymodel as pm
    >>> solution = pm.solve(pm.builtin("independent-90"), "diversion.0.share",
    ...                     {"take_home_monthly_usd": 500})
    >>> round(solution.value, 12), solution.achieved
    (0.75, 500.0)
    """
    from scipy.optimize import brentq  # only goal-seeking needs scipy's root finder

    check_scenario(scenario)
    check_text(vary, "vary", example="'diversion.0.share'")
    name, wanted = _checked_target(
        parse_target(target) if isinstance(target, str) else target, scenario.currency_code
    )
    path, domain = scenario.variable_input(vary)
    point = point_inputs(scenario)
    if path in point:
        current = float(point[path])
    elif path.endswith(".tour_months"):
        current = float(point[path.replace(".tour_months", ".months")])  # the tour defaults
        # to the window's length
    else:
        current = 0.0 if domain.zero_allowed else domain.smallest  # a layer's other rule
    base = varied_inputs(scenario, {path: current})
    structure = Structure.of(scenario)
    cut = through_months(scenario.start, through)

    def output(values: ArrayLike) -> FloatArray:
        inputs = {**base, path: np.asarray(values, dtype=np.float64)}
        total = evaluate_scenario(structure, inputs, through=cut).total
        return output_column(scenario, total, name)

    def gap(values: ArrayLike) -> FloatArray:
        return output(values) - wanted

    def gap_at(value: float) -> float:
        return float(gap(value))

    values = _scan_values(domain, current)
    reached = output(values)
    gaps = reached - wanted
    here = int(np.searchsorted(values, current))

    def solution(value: float) -> Solution:
        return Solution(scenario.name, vary, {name: wanted}, value, float(output(value)))

    if gaps[here] == 0:  # the scenario's value, or the nearest allowed value above it
        return solution(float(values[here]))

    def across_gap(k: int) -> bool:
        """True for the pair (0, smallest): nothing between them is allowed."""
        return bool(values[k] == 0 and values[k + 1] > 0)

    def refine(k: int, towards_low: bool) -> float | None:
        """The root in [values[k], values[k+1]] closest to the scenario's value, if any."""
        low, high, g_low, g_high = values[k], values[k + 1], gaps[k], gaps[k + 1]
        # The end nearer the scenario's value is not a root (else the scan would have
        # stopped there); the far end may be.
        near, far, g_far = (high, low, g_low) if towards_low else (low, high, g_high)
        if across_gap(k):
            return float(far) if g_far == 0 else None
        if g_far == 0:
            return _edge(gap, float(far), float(near))
        if np.sign(g_low) != np.sign(g_high):
            xtol = domain.smallest * 1e-9
            root: float = brentq(gap_at, low, high, xtol=xtol, rtol=4 * np.finfo(float).eps)
            return _polish(gap, root, float(low), float(high))
        return None

    candidates = []
    for k in range(here, values.size - 1):  # above the scenario's value
        found = refine(k, towards_low=False)
        if found is not None:
            candidates.append(found)
            break
    for k in range(here - 1, -1, -1):  # below it
        found = refine(k, towards_low=True)
        if found is not None:
            candidates.append(found)
            break
    if candidates:
        best = min(candidates, key=lambda x: (abs(x - current), x))
        return solution(best)
    low, high = float(reached.min()), float(reached.max())
    reachable = f"the reachable range is {_shown(name, low)} to {_shown(name, high)}"
    if math.isclose(low, high, rel_tol=1e-12):
        reason = f"{name} is {_shown(name, low)} whatever the value of {vary}"
    elif low <= wanted <= high and domain.zero_allowed:
        reason = (
            f"{name} jumps from {_shown(name, float(reached[0]))} at {vary} = 0 to "
            f"{_shown(name, float(reached[1]))} at {domain.smallest:g}, and no value in "
            f"between is allowed ({reachable})"
        )
    else:
        reason = reachable
    raise NoSolutionError(
        f"no value of {vary} ({domain.describe()}) gives {name} = {_shown(name, wanted)}: {reason}",
        low=low,
        high=high,
    )


def _shown(name: str, value: float) -> str:
    """An output in its unit for a message; tiny amounts in full (``$1e-08``, not ``$0.00``).

    A twin's tiny amount keeps its currency too (``KRW 0.0002``, not a bare ``0.0002``).
    """
    text = output_value(name, value)
    if value != 0 and not any(digit in text for digit in "123456789"):
        code = twin_code(name)
        unit = "$" if name.endswith("_usd") else "" if code is None else f"{code} "
        return f"{unit}{value:.3g}"
    return text


def _polish(gap: Callable[[FloatArray], FloatArray], root: float, low: float, high: float) -> float:
    """The floating-point number next to Brent's root (within 8 units) closest to the target."""
    near = root + np.arange(-8, 9) * np.spacing(root)
    near = near[(near >= low) & (near <= high)]
    misses = np.abs(gap(near))
    return float(near[np.lexsort((np.abs(near - root), misses))[0]])
