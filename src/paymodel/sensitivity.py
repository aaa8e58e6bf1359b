"""Which assumption moves an output most: tornado diagrams, and the dispatcher to Sobol indices.

A **tornado** moves one uncertain input at a time from its 5th to its 95th percentile
(its distribution's quantile function, ``ppf``), every other input at its median (the point
estimate of `paymodel.compute`), and reports the output at both ends. Inputs are sorted by
their *swing*, ``|output_at_high − output_at_low|``, largest first: the top bar is the
assumption the answer depends on most, one at a time. All ``2·d`` rows (and the baseline)
go through the one kernel, `paymodel.kernel.evaluate`, as a single batch.

A tornado is local and one-at-a-time: it says nothing of interactions (an input that
matters only when another is high) nor of correlations between inputs, which it ignores by
construction. Sobol indices (`paymodel.sobol`) apportion the whole variance, interactions
included; `sensitivity` runs either.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from paymodel.arguments import check_choice
from paymodel.calendar import through_months
from paymodel.contingents import Structure, evaluate_scenario
from paymodel.display import input_value, output_values
from paymodel.errors import ArgumentError
from paymodel.frames import data_frame
from paymodel.inputs import output_column, uncertain_inputs_of, varied_inputs
from paymodel.outputs import output_key
from paymodel.results import JsonResult, TableResult
from paymodel.scenario import Scenario, check_scenario
from paymodel.sobol import SobolIndices, sobol_indices

__all__ = ["METHODS", "TORNADO_QUANTILES", "Tornado", "TornadoRow", "sensitivity", "tornado"]

#: The methods `sensitivity` runs.
METHODS: tuple[str, ...] = ("tornado", "sobol")

#: The quantiles each input is moved to in a tornado: its 5th and 95th percentiles.
TORNADO_QUANTILES: tuple[float, float] = (0.05, 0.95)


@dataclass(frozen=True)
class TornadoRow:
    """One bar of a tornado: an input moved from its 5th to its 95th percentile.

    Attributes
    ----------
    path
        The input's dotted path, e.g. ``"deployment.troops"``.
    low, high
        The input's 5th and 95th percentiles (in the input's unit).
    output_at_low, output_at_high
        The output with this input at ``low`` (``high``) and every other at its median.
    """

    path: str
    low: float
    high: float
    output_at_low: float
    output_at_high: float

    @property
    def swing(self) -> float:
        """``|output_at_high − output_at_low|``: how far this input alone moves the output."""
        return abs(self.output_at_high - self.output_at_low)

    def to_dict(self) -> dict[str, Any]:
        """``{"path", "low", "high", "output_at_low", "output_at_high", "swing"}``."""
        return {**asdict(self), "swing": self.swing}


@dataclass(frozen=True)
class Tornado(JsonResult, TableResult):
    """A tornado diagram's numbers: each uncertain input's swing of one output.

    Attributes
    ----------
    scenario
        The scenario's name.
    output
        The output followed (``"layer:<name>"`` for a layer's revenue).
    baseline
        The output with every input at its median (the point estimate).
    rows
        One `TornadoRow` per uncertain input, largest swing first (ties keep the
        scenario's input order).
    """

    scenario: str
    output: str
    baseline: float
    rows: tuple[TornadoRow, ...]

    method: ClassVar[str] = "tornado"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``paymodel sensitivity --method tornado`` (DESIGN §5).

        ``{"scenario", "output", "method", "baseline", "inputs": [{"path", "low", "high",
        "output_at_low", "output_at_high", "swing"}]}``, largest swing first.
        """
        return {
            "scenario": self.scenario,
            "output": self.output,
            "method": self.method,
            "baseline": self.baseline,
            "inputs": [row.to_dict() for row in self.rows],
        }

    def to_text(self) -> str:
        """A table, largest swing first, for a terminal."""
        return self._text_table()

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        # The output's values, the baseline last, in one style (display's rule: one money
        # style per table): three per row, at p5, at p95 and the swing.
        values = [v for r in self.rows for v in (r.output_at_low, r.output_at_high, r.swing)]
        *cells, baseline = output_values(self.output, [*values, self.baseline])
        rows = [
            [
                row.path,
                input_value(row.path, row.low),
                input_value(row.path, row.high),
                *cells[3 * i : 3 * i + 3],
            ]
            for i, row in enumerate(self.rows)
        ]
        heading = (
            f"{self.scenario}: tornado of {self.output} (each input from its 5th to its 95th "
            f"percentile, the others at their medians; at the medians {baseline})"
        )
        headers = ["input", "p5", "p95", "output at p5", "output at p95", "swing"]
        return heading, headers, rows, [False, True, True, True, True, True]

    def to_frame(self) -> Any:
        """The rows as a `pandas.DataFrame`, one per input (needs ``paymodel[frame]``)."""
        fields = ("path", "low", "high", "output_at_low", "output_at_high", "swing")
        return data_frame({name: [getattr(row, name) for row in self.rows] for name in fields})


def tornado(scenario: Scenario, output: str, *, through: str | int | None = None) -> Tornado:
    """Move each uncertain input from its 5th to its 95th percentile, the others at medians.

    Parameters
    ----------
    scenario
        A scenario with at least one input given as a distribution.
    output
        An output name (see `paymodel.OUTPUT_NAMES`), or a layer's revenue as
        ``"layer:<name>"`` (or the layer's bare name).
    through
        Totals up to the end of this month (``"YYYY-MM"`` with a calendar, or a month
        number), as `paymodel.compute` takes it; ``None``: the whole deployment.

    Returns
    -------
    Tornado
        One row per uncertain input, largest swing first.

    Raises
    ------
    ScenarioError
        When the output is unknown or the scenario has no uncertain input.

    Notes
    -----
    For input i with quantile function Fᵢ⁻¹, low = Fᵢ⁻¹(0.05), high = Fᵢ⁻¹(0.95) and
    swing = |y(…, high, …) − y(…, low, …)|, every other input at its median. The rows
    are evaluated as one batch of 2·d + 1 points (the last is the baseline). Correlations
    between inputs do not enter: each input moves alone.

    Examples
    --------
    >>> import paymodel as pm
    >>> t = pm.tornado(pm.builtin("span-sources"), "regime_revenue_per_year_usd")
    >>> [row.path for row in t.rows]  # doctest: +NORMALIZE_WHITESPACE
    ['pay.gross_monthly_usd', 'deployment.troops', 'diversion.0.share',
     'deployment.tour_months']
    >>> t.rows[-1].swing  # tour length does not change what the regime earns
    0.0
    """
    scenario = check_scenario(scenario)
    key = output_key(output, scenario.layer_names(), currency=scenario.currency_code)
    cut = through_months(scenario.start, through)
    uncertain = uncertain_inputs_of(scenario, "tornado")
    count = len(uncertain)
    ends = np.empty((count, 2))
    columns = {}
    for position, (path, distribution) in enumerate(uncertain.items()):
        ends[position] = distribution.ppf(np.asarray(TORNADO_QUANTILES))
        # Row 2·i is input i at its low end, row 2·i + 1 at its high end; row 2·d is the
        # baseline. Every other row keeps this input at its median.
        column = np.full(2 * count + 1, distribution.median())
        column[2 * position : 2 * position + 2] = ends[position]
        columns[path] = column
    evaluation = evaluate_scenario(
        Structure.of(scenario), varied_inputs(scenario, columns), through=cut
    ).total
    values = np.broadcast_to(output_column(scenario, evaluation, key), (2 * count + 1,))
    rows = [
        TornadoRow(
            path=path,
            low=float(ends[i, 0]),
            high=float(ends[i, 1]),
            output_at_low=float(values[2 * i]),
            output_at_high=float(values[2 * i + 1]),
        )
        for i, path in enumerate(uncertain)
    ]
    rows.sort(key=lambda row: -row.swing)  # stable: ties keep the scenario's order
    return Tornado(scenario=scenario.name, output=key, baseline=float(values[-1]), rows=tuple(rows))


def sensitivity(
    scenario: Scenario,
    output: str,
    method: Literal["tornado", "sobol"] = "tornado",
    **options: Any,
) -> Tornado | SobolIndices:
    """Which assumption moves ``output`` most, by a tornado or by Sobol indices.

    Parameters
    ----------
    scenario
        A scenario with at least one input given as a distribution.
    output
        An output name, or a layer's revenue as ``"layer:<name>"``.
    method
        ``"tornado"`` (`tornado`: one input at a time, p5 to p95) or ``"sobol"``
        (`paymodel.sobol.sobol_indices`: shares of the variance, interactions included).
    **options
        Passed to `paymodel.sobol.sobol_indices` (``samples``, ``seed``, ``bootstrap``,
        ``confidence``, ``executor``: a `concurrent.futures.Executor` that runs the
        kernel in parallel, with bit-identical indices); a tornado takes none.

    Returns
    -------
    Tornado or SobolIndices

    Examples
    --------
    >>> import paymodel as pm
    >>> span = pm.builtin("span-sources")
    >>> pm.sensitivity(span, "take_home_monthly_usd").rows[0].path
    'diversion.0.share'
    """
    check_choice(method, "method", METHODS)
    if method == "tornado":
        through = options.pop("through", None)
        if options:
            raise ArgumentError(
                f"tornado: takes no options but through (got {', '.join(sorted(options))}); "
                "they belong to method='sobol'",
                argument="options",
            )
        return tornado(scenario, output, through=through)
    return sobol_indices(scenario, output, **options)
