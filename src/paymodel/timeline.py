"""Month by month: headcount, deaths, arrivals, pay and the regime's revenue over time.

`timeline` spreads the totals of DESIGN §1 over the months of the deployment with
`paymodel.kernel.evaluate_monthly` (the one kernel, evaluated on the deployment up to the
end of each month), so a column's months add up to the total `paymodel.compute` gives. For
a scenario with distributions it also draws samples exactly as `paymodel.simulate` does
(the same seed gives the same draws) and reports, for every month, the 5th, 25th, 50th,
75th and 95th percentiles over the samples.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel.arguments import check_choice, check_flag, check_text, check_whole
from paymodel.calendar import PERIODS, month_label, period_label, through_months
from paymodel.contingents import Structure, evaluate_scenario
from paymodel.currency import RATE_NAME, currency_of, is_money, twin_key, with_twins
from paymodel.display import (
    money,
    money_compact,
    needs_cents,
    number,
    output_value,
    people,
    table,
    terminal_text,
    whole,
)
from paymodel.errors import UnknownOutputError
from paymodel.inputs import named_layer_revenues, point_inputs
from paymodel.kernel import FLOW_NAMES, per_month
from paymodel.limits import MAX_ARRAY_VALUES, check_array_values, points_at_once
from paymodel.messages import show
from paymodel.results import JsonResult, TableResult
from paymodel.sampling import (
    BLOCK_SIZE,
    METHODS,
    Method,
    SamplingPlan,
    Seed,
    entropy_of,
    plan_sampling,
)
from paymodel.scenario import Scenario, check_scenario
from paymodel.workers import POINTS_PER_TASK, check_executor, point_tasks, run_tasks

__all__ = [
    "BANDS",
    "DEFAULT_SAMPLES",
    "MAX_SAMPLES",
    "Timeline",
    "largest_samples",
    "point_values",
    "timeline",
    "values_per_cell",
]

FloatArray = NDArray[np.float64]

#: The percentiles reported for every month, by name.
BANDS: dict[str, float] = {"p5": 5.0, "p25": 25.0, "p50": 50.0, "p75": 75.0, "p95": 95.0}

#: Samples drawn for the bands when none are asked for.
DEFAULT_SAMPLES = 10_000

#: The largest number of samples: every sample's months are kept to take exact percentiles.
MAX_SAMPLES = 100_000


def values_per_cell(layer_count: int, keep_samples: bool = False, *, currency: bool = False) -> int:
    """Float64 values a timeline holds for each sample and month.

    Every column's running totals (the flows of `paymodel.kernel.FLOW_NAMES`, the
    headcount and each layer), once more when ``keep_samples`` keeps the monthly amounts,
    and three for the monthly amounts and percentiles of the column being summarised.

    Parameters
    ----------
    layer_count
        The scenario's layers, "state transfer" and "in kind" included
        (`paymodel.Scenario.layer_names`).
    keep_samples
        Whether every sample's months are kept as well.
    currency
        Whether the scenario has a currency: each money flow and layer then has a twin.
    """
    columns = len(FLOW_NAMES) + 1 + layer_count
    if currency:
        columns += sum(map(is_money, FLOW_NAMES)) + layer_count  # every layer is money
    return columns * (2 if keep_samples else 1) + 3


def largest_samples(
    scenario: Scenario,
    month_count: int,
    keep_samples: bool = False,
    budget: int = MAX_ARRAY_VALUES,
) -> int:
    """The most samples a timeline of ``month_count`` months draws for ``scenario``.

    At most `MAX_SAMPLES`, and samples × months × `values_per_cell` within ``budget``
    values, by default `paymodel.limits.MAX_ARRAY_VALUES` (1.25 GiB): 11,650 samples over
    1,200 months of a scenario with one layer. `paymodel.report` gives a smaller budget,
    since it also keeps every scenario's samples.
    """
    per_cell = values_per_cell(
        len(scenario.layer_names()), keep_samples, currency=scenario.currency is not None
    )
    return min(MAX_SAMPLES, budget // (max(1, month_count) * per_cell))


def point_values(scenario: Scenario, through: str | int | None = None) -> int:
    """Float64 values a timeline without samples keeps: ``timeline(scenario, samples=0)``.

    Counted without running the model, for an analysis that keeps such timelines beside
    other arrays and checks its memory before any work (`paymodel.report`).

    Parameters
    ----------
    scenario
        The scenario.
    through
        As `timeline` takes it: months after this one are not kept.

    Notes
    -----
    Months × (the month's length, the headcount, each flow
    (`paymodel.kernel.FLOW_NAMES`) and layer per month and running, and with several
    contingents each one's headcount and flows); with a currency, each money flow and layer
    has a twin wherever it is kept.

    Examples
    --------
    >>> import paymodel as pm
    >>> point_values(pm.builtin("nis-estimate"))  # 12 × (1 + 1 + 2 × (7 flows + 1 layer))
    216
    >>> won = pm.builtin("nis-estimate").evolve(currency={"code": "KRW", "per_usd": 1395})
    >>> point_values(won)  # 12 × (1 + 1 + 2 × (8 + 4 money flows' twins + 1 layer's twin))
    336
    """
    structure = Structure.of(scenario)
    months = _month_count(_latest_end(structure, point_inputs(scenario)))
    cut = through_months(scenario.start, through)
    if cut is not None:
        months = min(months, int(cut))
    flows = len(FLOW_NAMES)
    if structure.currency is not None:  # the twins of money (DESIGN §7)
        flows += sum(map(is_money, FLOW_NAMES))
    columns = flows + len(structure.layer_names) * (1 if structure.currency is None else 2)
    per_month = 1 + 1 + 2 * columns
    if not structure.single:
        per_month += len(structure.groups) * (1 + flows)
    return months * per_month


@dataclass(frozen=True)
class Timeline(JsonResult, TableResult):
    """A scenario month by month: the point estimate, and percentile bands when uncertain.

    Column names are those of `paymodel.kernel.FLOW_NAMES` (the outputs that add up over
    time), each layer's revenue as ``"layer:<name>"`` (``"state transfer"`` and ``"in kind"``
    first when the scenario has them) and ``"headcount"``; with a currency (DESIGN §7), each
    money column's twin after it (``"paid_krw"``, ``"layer_krw:<name>"``). Every array has
    one value per month.

    Attributes
    ----------
    scenario
        The scenario's name.
    months
        Month numbers 1, 2, …, N with N = ceil(M) (the largest M drawn, when months are
        uncertain).
    month_lengths
        How much of each month the point estimate's deployment covers: 1, a fraction for a
        partial last month, 0 after its end [months].
    columns
        Point estimate (every distribution at its median) month by month:
        ``"headcount"`` (soldiers serving at the month's start), ``"soldier_months"``,
        ``"deaths"``, ``"individuals_deployed"`` (new individuals arriving that month: the
        first wave, rotations and replacements of the dead), ``"promised_usd"``,
        ``"paid_usd"``, ``"regime_revenue_usd"``, ``"soldiers_take_home_usd"`` and
        ``"layer:<name>"`` [$ for money]. Each column but ``"headcount"`` sums to the total
        of `paymodel.compute`.
    cumulative
        Running totals of the same columns (all but ``"headcount"``) up to the end of each
        month; the last value is the total.
    bands
        Column name → ``{"p5", "p25", "p50", "p75", "p95"}`` → per-month percentiles over
        the samples; empty when the scenario has no distributions (or ``samples=0``).
    cumulative_bands
        The same for the running totals (percentiles of each sample's running total, not
        running totals of percentiles).
    layer_names
        The layers, in the order of the ``"layer:<name>"`` columns.
    samples
        Samples drawn for the bands (0 when none).
    seed
        The seed of the samples (``None`` when none were drawn); with the same seed and
        method `paymodel.simulate` draws the same samples.
    method
        The sampling method (``None`` when no samples were drawn).
    kept
        With ``keep_samples=True``: every sample's monthly values, column name → array of
        shape (samples, months); else ``None``.
    labels
        Each row's label: ``"2024-10"`` (``"2024-Q4"``, ``"2024"``) when the scenario has a
        calendar, else the month number (``"Q1"``, ``"Y1"``).
    by
        ``"month"``, ``"quarter"`` or ``"year"``: what a row covers.
    contingents
        With several contingents: each one's point-estimate columns (``"headcount"`` and
        those of `paymodel.kernel.FLOW_NAMES`, and their twins with a currency), row by row;
        they add up to the columns.
    """

    scenario: str
    months: NDArray[np.int64]
    month_lengths: FloatArray
    columns: dict[str, FloatArray]
    cumulative: dict[str, FloatArray]
    bands: dict[str, dict[str, FloatArray]]
    cumulative_bands: dict[str, dict[str, FloatArray]]
    layer_names: tuple[str, ...]
    samples: int = 0
    seed: int | None = None
    method: str | None = None
    kept: dict[str, FloatArray] | None = None
    labels: tuple[str, ...] = ()
    by: str = "month"
    contingents: dict[str, dict[str, FloatArray]] = field(default_factory=dict)

    def total(self, name: str) -> float:
        """The total of a column over the deployment (its last running total)."""
        check_text(name, "name", example="regime_revenue_usd")
        if name not in self.cumulative:
            rule = f"no column {show(name)} adds up (columns: {', '.join(self.cumulative)})"
            raise UnknownOutputError(f"name: {rule}", argument="name", rule=rule)
        return float(self.cumulative[name][-1])

    def table_columns(self, bands: bool = True) -> dict[str, FloatArray]:
        """Every column as one flat table, one value per month, in a fixed order.

        ``month``, ``month_length``, the point columns, ``cumulative_<name>`` for each
        running total, then (with ``bands`` and when the timeline has bands)
        ``<name>:<percentile>`` and ``cumulative_<name>:<percentile>``. This is the table
        `to_csv` writes and `to_frame` returns.
        """
        flat: dict[str, FloatArray] = {
            "month": self.months.astype(np.float64),
            "month_length": self.month_lengths,
        }
        flat.update(self.columns)
        flat.update({f"cumulative_{name}": v for name, v in self.cumulative.items()})
        if check_flag(bands, "bands"):
            for prefix, chosen in (("", self.bands), ("cumulative_", self.cumulative_bands)):
                for name, percentiles in chosen.items():
                    flat.update({f"{prefix}{name}:{p}": v for p, v in percentiles.items()})
        return flat

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``paymodel timeline --json``.

        ``{"scenario", "samples", "seed", "method", "by", "months", "labels",
        "month_lengths", "layers", "columns": {name: [...]}, "cumulative": {name: [...]},
        "bands": {name: {"p5": [...], ...}}, "cumulative_bands": {...}, "contingents":
        {name: {column: [...]}}}``; ``bands`` are empty without samples, ``contingents``
        with one group.
        """

        def listed(values: FloatArray) -> list[float]:
            return [float(v) for v in values]

        def banded(chosen: dict[str, dict[str, FloatArray]]) -> dict[str, Any]:
            return {n: {p: listed(v) for p, v in ps.items()} for n, ps in chosen.items()}

        return {
            "scenario": self.scenario,
            "samples": self.samples,
            "seed": self.seed,
            "method": self.method,
            "by": self.by,
            "months": [int(m) for m in self.months],
            "labels": list(self.labels),
            "month_lengths": listed(self.month_lengths),
            "layers": list(self.layer_names),
            "columns": {name: listed(v) for name, v in self.columns.items()},
            "cumulative": {name: listed(v) for name, v in self.cumulative.items()},
            "bands": banded(self.bands),
            "cumulative_bands": banded(self.cumulative_bands),
            "contingents": {
                name: {column: listed(v) for column, v in columns.items()}
                for name, columns in self.contingents.items()
            },
        }

    def to_csv(self) -> str:
        """`table_columns` as CSV: a header line, then one line per row (full precision).

        With a calendar or ``by``, a ``label`` column (``2024-10``, ``2025-Q1``, ``2025``)
        follows ``month``.
        """
        flat = self.table_columns()
        labelled = bool(self.labels) and any(
            label != str(int(month)) for label, month in zip(self.labels, self.months, strict=True)
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = list(flat)
        writer.writerow([header[0], "label", *header[1:]] if labelled else header)
        for index, month in enumerate(self.months):
            row = [str(int(month)), *([self.labels[index]] if labelled else [])]
            row += [repr(float(values[index])) for name, values in flat.items() if name != "month"]
            writer.writerow(row)
        return terminal_text(buffer.getvalue())

    def to_frame(self, bands: bool = False) -> Any:
        """`table_columns` as a pandas DataFrame indexed by ``month`` (needs pandas).

        Parameters
        ----------
        bands
            Add the percentile columns ``<name>:p5`` … (when the timeline has bands).
        """
        from paymodel.frames import data_frame

        flat: dict[str, Any] = dict(self.table_columns(bands))
        flat["month"] = self.months
        return data_frame(flat, index="month")

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        """Heading, headers, rows and alignment of the table people read."""
        headers = [
            self.by,
            "headcount",
            "deaths",
            "arriving",
            "paid",
            "regime revenue",
            "regime, so far",
            "soldiers keep",
        ]
        with_bands = bool(self.bands)
        if with_bands:
            headers.append("regime p5–p95")
        c, running = self.columns, self.cumulative
        code = currency_of(tuple(c))
        twin = None if code is None else twin_key("regime_revenue_usd", code)
        if twin is not None:
            headers.append(f"regime revenue in {code}")
        # One money style per column (display's rule): cents for all when one needs them.
        flows = ("paid_usd", "regime_revenue_usd", "soldiers_take_home_usd")
        cents = {name: needs_cents([*c[name], self.total(name)]) for name in flows}
        cents["so far"] = needs_cents(running["regime_revenue_usd"])
        band_cents = with_bands and needs_cents(
            [*self.bands["regime_revenue_usd"]["p5"], *self.bands["regime_revenue_usd"]["p95"]]
        )
        rows = []
        for i, month in enumerate(self.months):
            label = self.labels[i] if self.labels else str(int(month))
            if self.by == "month" and self.month_lengths[i] < 1:
                label += f" ({number(round(float(self.month_lengths[i]), 3))})"
            row = [
                label,
                people(float(c["headcount"][i])),
                people(float(c["deaths"][i])),
                people(float(c["individuals_deployed"][i])),
                money(float(c["paid_usd"][i]), cents=cents["paid_usd"]),
                money(float(c["regime_revenue_usd"][i]), cents=cents["regime_revenue_usd"]),
                money(float(running["regime_revenue_usd"][i]), cents=cents["so far"]),
                money(float(c["soldiers_take_home_usd"][i]), cents=cents["soldiers_take_home_usd"]),
            ]
            if with_bands:
                low, high = (
                    money_compact(float(self.bands["regime_revenue_usd"][p][i]), cents=band_cents)
                    for p in ("p5", "p95")
                )
                row.append(f"{low} – {high}")
            if twin is not None:
                row.append(output_value(twin, float(c[twin][i])))
            rows.append(row)
        totals = [
            "total",
            "",
            people(self.total("deaths")),
            people(self.total("individuals_deployed")),
            *(money(self.total(name), cents=cents[name]) for name in flows[:2]),
            "",
            money(self.total(flows[2]), cents=cents[flows[2]]),
        ]
        rows.append(
            totals
            + ([""] if with_bands else [])
            + ([output_value(twin, self.total(twin))] if twin is not None else [])
        )
        extra = int(with_bands) + int(twin is not None)
        for name, columns in self.contingents.items():
            rows.append([f"  {name}", "", "", "", "", "", "", ""] + [""] * extra)
            rows[-1][2] = number(round(float(np.sum(columns["deaths"])), 1))
            rows[-1][3] = number(round(float(np.sum(columns["individuals_deployed"])), 1))
            rows[-1][4] = money(float(np.sum(columns["paid_usd"])))
            rows[-1][5] = money(float(np.sum(columns["regime_revenue_usd"])))
            rows[-1][7] = money(float(np.sum(columns["soldiers_take_home_usd"])))
        if self.samples:
            heading = (
                f"{self.scenario}: {self.by} by {self.by} (point estimate; bands from "
                f"{self.samples:,} samples, {self.method}, seed {self.seed})"
            )
        else:
            heading = f"{self.scenario}: {self.by} by {self.by} (point estimate)"
        return heading, headers, rows, [False] + [True] * (len(headers) - 1)

    def to_text(self) -> str:
        """The main columns month by month, with totals, for a terminal."""
        heading, headers, rows, right = self._table()
        lines = [heading, table(headers, rows, right)]
        if self.contingents:
            lines.append("The rows after the total are each contingent's share of it.")
        if self.by == "month" and any(length < 1 for length in self.month_lengths):
            lines.append("A fraction after a month is the part of it the deployment covers.")
        counts = [*self.columns["deaths"], *self.columns["individuals_deployed"]]
        if any(whole(float(count)) != count for count in counts):
            lines.append(
                "People are shown whole; the totals add the exact expected counts, so the rounded "
                "months may not sum to them."
            )
        return terminal_text("\n".join(lines))


def _frozen(values: NDArray[Any]) -> NDArray[Any]:
    """A read-only copy (a timeline is immutable)."""
    array = np.array(values)
    array.flags.writeable = False
    return array


def _running_totals(
    structure: Structure,
    inputs: Mapping[str, NDArray[np.generic]],
    month_count: int,
) -> tuple[FloatArray, FloatArray, dict[str, FloatArray], dict[str, dict[str, FloatArray]]]:
    """Month lengths, headcount and every running total for one set of input arrays.

    The scenario is evaluated through the end of every month at once (a trailing axis of
    month ends, `paymodel.contingents.evaluate_scenario`): its running totals. A month's
    length is the largest part of it any contingent covers; the headcount at its start is
    the sum over the contingents serving then, H·(1 − k)^(months served) for each (H when
    the dead are replaced).
    """
    expanded = {path: np.asarray(value)[..., np.newaxis] for path, value in inputs.items()}
    ends = np.arange(1, month_count + 1, dtype=np.float64)
    evaluation = evaluate_scenario(structure, expanded, through=ends)
    running = {name: evaluation.total.outputs[name] for name in FLOW_NAMES}
    for name, values in named_layer_revenues(structure.layer_names, evaluation.total):
        running[f"layer:{name}"] = values
    code = structure.currency  # the twins of money, with a currency (DESIGN §7)
    running = with_twins(running, code, evaluation.total.intermediates.get(RATE_NAME))
    lengths: FloatArray = np.zeros(1)
    headcount: FloatArray = np.zeros(1)
    groups: dict[str, dict[str, FloatArray]] = {}
    for group, each, start, covered, months, kernel in zip(
        structure.groups,
        evaluation.groups,
        evaluation.starts,
        evaluation.months,
        evaluation.window_months,
        evaluation.kernel_inputs,
        strict=True,
    ):
        lengths = np.maximum(lengths, per_month(covered))
        served = ends - 1 - start  # months served at the start of each month
        troops = np.asarray(kernel["deployment.troops"], dtype=np.float64)
        rate = np.asarray(kernel.get("deployment.monthly_death_rate", 0.0), dtype=np.float64)
        replaced = np.asarray(kernel.get("deployment.replace_losses", True), dtype=bool)
        serving = (served >= 0) & (served < months)
        # H·(1 − k)^t as a power, so that a small remnant keeps its precision.
        surviving = np.where(replaced, 1.0, np.power(1.0 - rate, np.maximum(served, 0.0)))
        heads = np.where(serving, troops * surviving, 0.0)
        headcount = headcount + heads
        groups[group.name] = {"headcount": heads}
        flows = {name: each.outputs[name] for name in FLOW_NAMES}
        groups[group.name].update(with_twins(flows, code, each.intermediates.get(RATE_NAME)))
    shape = np.broadcast_shapes(*(np.shape(v) for v in running.values()))
    for columns in groups.values():
        for name, values in columns.items():
            columns[name] = np.broadcast_to(values, shape)
    return (
        np.broadcast_to(lengths, shape),
        np.broadcast_to(headcount, shape),
        running,
        groups,
    )


def _month_count(ends: ArrayLike) -> int:
    return max(1, math.ceil(float(np.max(ends))))


def _latest_end(structure: Structure, inputs: Mapping[str, NDArray[np.generic]]) -> float:
    """The latest end of any contingent's window [months after month 0] (no kernel runs)."""
    starts, months = structure.windows(inputs)
    return max(float(np.max(s + m)) for s, m in zip(starts, months, strict=True))


def _sampled_month_count(structure: Structure, plan: SamplingPlan, samples: int) -> int:
    """N = ceil(latest end) over the samples (a first pass when a window's length varies)."""
    if not any(path.endswith("months") for path in plan.uncertain):
        return 1  # every sample's windows are the point estimate's
    largest = 0
    for index in range(math.ceil(samples / BLOCK_SIZE)):
        size = min(BLOCK_SIZE, samples - index * BLOCK_SIZE)
        largest = max(largest, _month_count(_latest_end(structure, plan.block(index, size))))
    return largest


def _slice_running_totals(
    structure: Structure, month_count: int, draws: dict[str, NDArray[np.generic]]
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Headcount and running totals of a slice of drawn samples (runs in a worker)."""
    _, heads, totals, _ = _running_totals(structure, draws, month_count)
    size = max((np.shape(v)[0] for v in draws.values() if np.ndim(v)), default=1)
    shape = (size, month_count)
    return np.broadcast_to(heads, shape), {n: np.broadcast_to(v, shape) for n, v in totals.items()}


def _sampled_running_totals(
    structure: Structure,
    plan: SamplingPlan,
    samples: int,
    month_count: int,
    executor: Executor | None,
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Headcount and running totals of every sample, arrays of shape (samples, months).

    The samples are drawn here, block by block as `paymodel.simulate` draws them; their
    months are evaluated in slices of at most `paymodel.workers.POINTS_PER_TASK` samples
    (fewer when months and contingents are many, so the kernel stays within its working
    memory), here or on ``executor``.
    """
    # Each point is evaluated once per month and once per contingent.
    per_slice = points_at_once(
        len(structure.layer_names), per_point=month_count * len(structure.groups)
    )
    per_slice = min(POINTS_PER_TASK, per_slice)
    rows: list[slice] = []
    tasks: list[dict[str, NDArray[np.generic]]] = []
    for index in range(math.ceil(samples / BLOCK_SIZE)):
        first = index * BLOCK_SIZE
        size = min(BLOCK_SIZE, samples - first)
        draws = plan.block(index, size)  # the draws of simulate's block `index`
        for part in point_tasks(size, per_slice):
            rows.append(slice(first + part.start, first + part.stop))
            tasks.append({p: v[part] if np.ndim(v) else v for p, v in draws.items()})
    headcount = np.empty((samples, month_count))
    running: dict[str, FloatArray] = {}
    work = partial(_slice_running_totals, structure, month_count)
    for into, (heads, totals) in zip(rows, run_tasks(work, tasks, executor), strict=True):
        headcount[into] = heads
        for name, values in totals.items():
            if name not in running:
                running[name] = np.empty((samples, month_count))
            running[name][into] = values
    return headcount, running


def _percentiles(values: FloatArray) -> dict[str, FloatArray]:
    bands = np.percentile(values, list(BANDS.values()), axis=0)
    return {name: _frozen(band) for name, band in zip(BANDS, bands, strict=True)}


def _check_samples(samples: int | None) -> int | None:
    if samples is None:
        return None
    return check_whole(samples, "samples", low=0, high=MAX_SAMPLES, why=" for a timeline")


def timeline(
    scenario: Scenario,
    *,
    samples: int | None = None,
    seed: Seed = None,
    method: Method = "mc",
    keep_samples: bool = False,
    through: str | int | None = None,
    by: str = "month",
    executor: Executor | None = None,
) -> Timeline:
    """Spread a scenario's totals over the months of its deployment.

    Parameters
    ----------
    scenario
        A validated scenario.
    samples
        Samples for the percentile bands when the scenario has distributions: at most
        `MAX_SAMPLES` (100,000), and `largest_samples` for the scenario's months and layers
        (samples × months × `values_per_cell` within 1.25 GiB of float64);
        ``None`` draws `DEFAULT_SAMPLES` (10,000), 0 none. Ignored (no bands) when every
        input is a plain number.
    seed
        As for `paymodel.simulate`: with the same seed and method, sample i is the same
        draw as `simulate`'s sample i.
    method
        ``"mc"``, ``"lhs"`` or ``"sobol"``, as for `paymodel.simulate`.
    keep_samples
        Keep every sample's monthly values in `Timeline.kept`.
    through
        Stop at the end of this month (``"YYYY-MM"`` with a calendar, or a month number).
    by
        ``"month"`` (default), ``"quarter"`` or ``"year"``: one row per period, flows summed
        over it (the difference of the running totals at its ends, so bands stay exact) and
        the headcount at its start. Quarters and years are calendar ones with a ``start``,
        else counted from month 1.
    executor
        Where to evaluate the samples' months: ``None`` here; any
        `concurrent.futures.Executor` (`paymodel.workers.worker_pool`, or a Dask
        ``distributed`` client's ``get_executor()``) in slices of at most 4,096 samples,
        in parallel. The samples are drawn here, so the bands are bit-identical.

    Returns
    -------
    Timeline
        Month-by-month point estimate, running totals and, for uncertain scenarios, bands.

    Notes
    -----
    Month j covers the deployment from j − 1 to min(j, M), so the last month may be partial.
    Each column is the difference of the kernel's totals for a deployment ending at
    min(j, M) and one ending at min(j − 1, M) (see `paymodel.kernel.evaluate_monthly`):
    soldier-months and deaths follow the headcount; the first wave of H individuals
    arrives in month 1, rotation starts once the first tour is served and then brings in
    S/T individuals per soldier-month, and the dead are replaced (when they are) in the
    month they die. The signing bonus is paid when an individual arrives, the death
    benefit when one dies, and pay every month; each layer takes its monthly share or quota
    of every soldier-month, and its share of that month's lump sums. So every column adds
    up to the total of `paymodel.compute`, and for each sample to the total of the same
    sample in `paymodel.simulate`.

    Memory: the bands keep every sample's months, 8 bytes × samples × months ×
    `values_per_cell` (11 + layers): 11 MB for 10,000 samples over 12 months with one layer,
    at most 1.25 GiB (`paymodel.limits.MAX_ARRAY_VALUES`).

    Examples
    --------
    >>> import paymodel as pm
    >>> line = pm.timeline(pm.builtin("nis-estimate"))
    >>> line.months.tolist()[:3], float(line.columns["regime_revenue_usd"][0])
    ([1, 2, 3], 22000000.0)
    >>> line.total("regime_revenue_usd") == pm.compute(pm.builtin("nis-estimate")).regime_revenue_usd
    True
    """  # noqa: E501 - a doctest line
    check_scenario(scenario)
    chosen = _check_samples(samples)
    check_choice(method, "method", METHODS)
    keep_samples = check_flag(keep_samples, "keep_samples")
    executor = check_executor(executor)
    structure = Structure.of(scenario)
    layer_names = structure.layer_names
    point = point_inputs(scenario)
    check_choice(by, "by", PERIODS)
    cut = through_months(scenario.start, through)
    month_count = _month_count(_latest_end(structure, point))
    if cut is not None:
        month_count = min(month_count, int(cut))
    count = DEFAULT_SAMPLES if chosen is None else chosen
    if not scenario.uncertain_inputs():
        count = 0
    sampled_headcount: FloatArray | None = None
    sampled: dict[str, FloatArray] = {}
    entropy: int | None = None
    if count:
        entropy = entropy_of(seed)
        plan = plan_sampling(scenario, method, entropy)
        month_count = max(month_count, _sampled_month_count(structure, plan, count))
        if cut is not None:
            month_count = min(month_count, int(cut))
        check_array_values(
            "timeline",
            {
                "samples": count,
                "months": month_count,
                "values a month": values_per_cell(
                    len(layer_names), keep_samples, currency=structure.currency is not None
                ),
            },
            f"use at most {largest_samples(scenario, month_count, keep_samples):,} samples",
        )
        sampled_headcount, sampled = _sampled_running_totals(
            structure, plan, count, month_count, executor
        )
    lengths, headcount, running, groups = _running_totals(structure, point, month_count)
    labels = [
        str(j) if scenario.start is None else month_label(scenario.start, j - 1)
        for j in range(1, month_count + 1)
    ]
    # Periods: the last month of each, and their labels (months unchanged with by="month").
    periods = [period_label(label, by) for label in labels]
    ends = [j for j in range(month_count) if j + 1 == month_count or periods[j + 1] != periods[j]]
    firsts = [0, *(j + 1 for j in ends[:-1])]
    lengths = np.add.reduceat(lengths, firsts, axis=-1)

    def at_ends(values: FloatArray) -> FloatArray:
        return values[..., ends]

    def at_starts(values: FloatArray) -> FloatArray:
        return values[..., firsts]

    running = {name: at_ends(values) for name, values in running.items()}
    columns = {"headcount": _frozen(at_starts(headcount))}
    columns.update({name: _frozen(per_month(values)) for name, values in running.items()})
    contingents = {}
    if not structure.single:
        for name, group in groups.items():
            contingents[name] = {"headcount": _frozen(at_starts(group.pop("headcount")))}
            contingents[name].update(
                {column: _frozen(per_month(at_ends(v))) for column, v in group.items()}
            )
    bands: dict[str, dict[str, FloatArray]] = {}
    cumulative_bands: dict[str, dict[str, FloatArray]] = {}
    kept: dict[str, FloatArray] | None = {} if keep_samples and count else None
    if sampled_headcount is not None:
        sampled_headcount = at_starts(sampled_headcount)
        bands["headcount"] = _percentiles(sampled_headcount)
        if kept is not None:
            kept["headcount"] = _frozen(sampled_headcount)
        for name, values in sampled.items():
            values = at_ends(values)
            monthly = per_month(values)
            bands[name] = _percentiles(monthly)
            cumulative_bands[name] = _percentiles(values)
            if kept is not None:
                kept[name] = _frozen(monthly)
    return Timeline(
        scenario=scenario.name,
        months=_frozen(np.arange(1, len(ends) + 1, dtype=np.int64)),
        month_lengths=_frozen(lengths),
        columns=columns,
        cumulative={name: _frozen(values) for name, values in running.items()},
        bands=bands,
        cumulative_bands=cumulative_bands,
        layer_names=layer_names,
        samples=count,
        seed=entropy,
        method=method if count else None,
        kept=kept,
        labels=tuple(periods[j] for j in ends),
        by=by,
        contingents=contingents,
    )
