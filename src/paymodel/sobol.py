"""Sobol indices: what share of an output's variance each uncertain input accounts for.

The **first-order** index Sᵢ = Var(E[Y | Xᵢ]) / Var(Y) is the share of the variance that
input i explains on its own; the **total-order** index S_Tᵢ = E[Var(Y | X₋ᵢ)] / Var(Y) adds
every interaction input i takes part in. S_Tᵢ − Sᵢ is what input i does only together with
others; an input with S_Tᵢ ≈ 0 can be fixed at any value without changing the answer's
spread.

Design (Saltelli et al. 2010): one scrambled Sobol sequence (`scipy.stats.qmc.Sobol`) in
2·d dimensions gives N points; its first d columns are the matrix A, the last d the matrix
B (points of the unit cube, mapped through each input's quantile function ``ppf``). ABᵢ is
A with column i taken from B. The model is evaluated on A, B and every ABᵢ: N·(d + 2)
evaluations. With f the outputs, centred and scaled by the mean and standard deviation of
all N·(d + 2) of them (as SALib does), and V the variance of f(A) and f(B) together:

- first order (Saltelli et al. 2010): Sᵢ = mean(f(B)·(f(ABᵢ) − f(A))) / V;
- total order (Jansen 1999): S_Tᵢ = mean((f(A) − f(ABᵢ))²) / (2·V).

Confidence intervals come from the bootstrap: ``bootstrap`` resamples of the N rows (drawn
as a (resamples, N) array of indices and applied to all sums at once, as a matrix of counts
times the matrix of per-row terms), and the interval between the (1 − c)/2 and (1 + c)/2
quantiles of the resampled indices (percentile bootstrap). The sequence is quasi-random, so
these intervals are conservative.

**When the sample is too small.** A `paymodel.errors.SampleSizeWarning` is issued when
N < `MIN_SAMPLES` (1,024) or when any interval is wider than `MAX_INTERVAL_WIDTH` (0.1):
then the intervals are too wide to rank inputs whose indices differ by less than that.
Interval widths shrink as 1/√N: four times the samples halves them.

**Correlated inputs are refused.** Sobol indices decompose the variance of a function of
*independent* inputs; with correlated inputs the decomposition is not unique and an
"index" silently mixes an input's effect with its partners'. `sobol_indices` raises a
`paymodel.errors.ScenarioError` for a scenario with correlations; a tornado (one input at
a time) or the scenario without its correlations (``scenario.evolve(correlations=[])``)
are the alternatives.

The estimator works on any vectorized function (`sobol_estimate_of`), so it is tested on
functions whose indices are known in closed form (Ishigami, linear models);
`sobol_indices` feeds it the one kernel, `paymodel.kernel.evaluate`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import NDArray

from paymodel.arguments import check_number, check_whole
from paymodel.calendar import through_months
from paymodel.contingents import Structure, evaluate_scenario
from paymodel.display import terminal_text
from paymodel.errors import ArgumentError, SampleSizeWarning, ScenarioError
from paymodel.frames import data_frame
from paymodel.inputs import output_column, uncertain_inputs_of, varied_inputs
from paymodel.limits import MAX_ARRAY_VALUES, check_array_values, points_at_once
from paymodel.outputs import output_key
from paymodel.results import JsonResult, TableResult
from paymodel.sampling import Seed, clip_uniforms, entropy_of, generator_of
from paymodel.scenario import Scenario, check_scenario
from paymodel.workers import POINTS_PER_TASK, check_executor, point_tasks, run_tasks

__all__ = [
    "MAX_INTERVAL_WIDTH",
    "MIN_SAMPLES",
    "SobolEstimate",
    "SobolIndices",
    "SobolRow",
    "saltelli_design",
    "sobol_estimate",
    "sobol_estimate_of",
    "sobol_indices",
]

FloatArray = NDArray[np.float64]

#: Fewer base samples than this always draw a `SampleSizeWarning`.
MIN_SAMPLES = 1024
#: An interval wider than this (on the 0-1 scale of the indices) draws a `SampleSizeWarning`.
MAX_INTERVAL_WIDTH = 0.1
#: The largest number of base samples accepted (N·(d + 2) evaluations follow). Memory also
#: bounds N: N·`values_per_sample` (d) values must fit `paymodel.limits.MAX_ARRAY_VALUES`
#: (`largest_samples`), 2,621,440 for span-sources' 4 inputs.
MAX_SAMPLES = 2**22
#: Bootstrap resamples are drawn in batches of at most this many indices (memory bound).
_BOOTSTRAP_BATCH_CELLS = 2**22


def values_per_sample(dimensions: int) -> int:
    """Float64 values `sobol_indices` holds for each of its N base samples, with d inputs.

    The design's points (2·d), A and B mapped (2·d), the ABᵢ matrix (d), f(ABᵢ) (d), the
    centred outputs (2·d) and the per-row terms (2·d + 4), with temporaries: measured
    with `tracemalloc`, about 11·d + 12; counted as 12·d + 16. The kernel runs on slices
    of at most `paymodel.limits.points_at_once` points, so it adds a fixed amount.
    """
    return 12 * dimensions + 16


def largest_samples(dimensions: int) -> int:
    """The largest N `sobol_indices` accepts for d inputs.

    At most `MAX_SAMPLES`, and N·`values_per_sample` (d) within
    `paymodel.limits.MAX_ARRAY_VALUES`.
    """
    return min(MAX_SAMPLES, MAX_ARRAY_VALUES // values_per_sample(dimensions))


class SobolEstimate(NamedTuple):
    """First- and total-order indices of d inputs, with their confidence intervals.

    Attributes
    ----------
    first_order, total_order
        Shape ``(d,)``.
    first_order_ci, total_order_ci
        Shape ``(d, 2)``: the low and high ends of each interval.
    """

    first_order: FloatArray
    first_order_ci: FloatArray
    total_order: FloatArray
    total_order_ci: FloatArray


def _check_bootstrap(bootstrap: object, confidence: object) -> tuple[int, float]:
    return (
        check_whole(bootstrap, "bootstrap", low=100, high=10**6),
        check_number(
            confidence, "confidence", low=0, high=1, low_open=True, high_open=True, example="0.95"
        ),
    )


def saltelli_design(
    dimensions: int, samples: int, seed: Seed = None
) -> tuple[FloatArray, FloatArray]:
    """The matrices A and B of points in the unit cube, from one scrambled Sobol sequence.

    Parameters
    ----------
    dimensions
        d, the number of inputs.
    samples
        N, the number of points (rows); a power of two keeps the sequence's balance.
    seed
        Scrambles the sequence (an int, a `SeedSequence`, a `Generator` or ``None``).

    Returns
    -------
    tuple of numpy.ndarray
        A and B, each of shape ``(N, d)``: the first and last d columns of N points of a
        2·d-dimensional scrambled Sobol sequence, kept inside [2⁻⁵³, 1 − 2⁻⁵³] so that
        every quantile function stays finite.

    Examples
    --------
    >>> a, b = saltelli_design(3, 8, seed=1)
    >>> a.shape, b.shape, bool(((0 < a) & (a < 1)).all())
    ((8, 3), (8, 3), True)
    """
    from scipy.stats import qmc

    dimensions = check_whole(dimensions, "dimensions", low=1)
    samples = check_whole(samples, "samples", low=1)
    engine = qmc.Sobol(d=2 * dimensions, scramble=True, rng=generator_of(seed))
    with warnings.catch_warnings():
        # A sample size that is not a power of two is allowed; it only loses the balance.
        warnings.filterwarnings("ignore", "The balance properties", UserWarning)
        points = clip_uniforms(engine.random(samples))
    return points[:, :dimensions], points[:, dimensions:]


def sobol_estimate(
    outputs_a: FloatArray,
    outputs_b: FloatArray,
    outputs_ab: FloatArray,
    *,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    seed: Seed = None,
) -> SobolEstimate:
    """First- and total-order indices from a Saltelli design's model outputs.

    Parameters
    ----------
    outputs_a, outputs_b
        f(A) and f(B), shape ``(N,)``.
    outputs_ab
        f(ABᵢ) for each input i, shape ``(d, N)``.
    bootstrap
        Number of bootstrap resamples for the intervals (at least 100).
    confidence
        Level of the intervals, e.g. 0.95.
    seed
        Draws the resamples.

    Returns
    -------
    SobolEstimate

    Notes
    -----
    With f centred and scaled by the mean and standard deviation of all N·(d + 2) outputs
    and V the variance of f(A) and f(B) together (2·N values):
    Sᵢ = mean(f(B)·(f(ABᵢ) − f(A))) / V and S_Tᵢ = mean((f(A) − f(ABᵢ))²) / (2·V).
    Each bootstrap resample draws N row indices with replacement; a (resamples, N) matrix
    of counts times the (N, 2·d + 4) matrix of per-row terms gives every resample's sums at
    once.

    Examples
    --------
    A linear model y = x₀ + 2·x₁ on uniform inputs: S = (1/5, 4/5), no interactions.

    >>> import numpy as np
    >>> a, b = saltelli_design(2, 4096, seed=7)
    >>> def f(x):
    ...     return x[:, 0] + 2 * x[:, 1]
    >>> ab = np.stack([np.where(np.arange(2) == i, b, a) for i in range(2)])
    >>> est = sobol_estimate(f(a), f(b), np.stack([f(m) for m in ab]), seed=7)
    >>> np.round(est.first_order, 2), np.round(est.total_order, 2)
    (array([0.2, 0.8]), array([0.2, 0.8]))
    """
    bootstrap, confidence = _check_bootstrap(bootstrap, confidence)
    y_a = np.asarray(outputs_a, dtype=np.float64)
    y_b = np.asarray(outputs_b, dtype=np.float64)
    y_ab = np.asarray(outputs_ab, dtype=np.float64)
    samples = y_a.shape[0]
    if (
        y_a.shape != (samples,)
        or y_b.shape != (samples,)
        or y_ab.ndim != 2
        or (y_ab.shape[1] != samples)
    ):
        raise ArgumentError(
            f"outputs must have shapes (N,), (N,) and (d, N) (got {y_a.shape}, {y_b.shape}, "
            f"{y_ab.shape})"
        )
    dimensions = y_ab.shape[0]
    everything = np.concatenate([y_a, y_b, y_ab.ravel()])
    if not np.isfinite(everything).all():  # before the mean: inf - inf would warn
        raise ArgumentError("the model gave a value that is not finite")
    with np.errstate(over="ignore", invalid="ignore"):  # told below, in words
        centre, scale = float(everything.mean()), float(everything.std())
    if not math.isfinite(scale):  # finite values whose spread overflows
        raise ArgumentError("the model gave a value that is not finite")
    if scale == 0 or np.ptp(np.concatenate([y_a, y_b])) == 0:
        raise ArgumentError("the output does not vary: there is no variance to apportion")
    y_a, y_b, y_ab = (y_a - centre) / scale, (y_b - centre) / scale, (y_ab - centre) / scale

    # Per-row terms: the sums of every estimate are column sums of this matrix.
    terms = np.empty((samples, 4 + 2 * dimensions))
    terms[:, 0], terms[:, 1] = y_a, y_b
    terms[:, 2], terms[:, 3] = y_a * y_a, y_b * y_b
    terms[:, 4 : 4 + dimensions] = (y_b * (y_ab - y_a)).T
    terms[:, 4 + dimensions :] = ((y_a - y_ab) ** 2).T

    def indices(means: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(first, total) from the means of the terms; ``means`` has shape (..., k)."""
        variance = (means[..., 2] + means[..., 3]) / 2 - ((means[..., 0] + means[..., 1]) / 2) ** 2
        variance = variance[..., np.newaxis]
        safe = np.where(variance > 0, variance, 1.0)
        first = np.where(variance > 0, means[..., 4 : 4 + dimensions] / safe, 0.0)
        total = np.where(variance > 0, means[..., 4 + dimensions :] / (2 * safe), 0.0)
        return first, total

    first, total = indices(terms.mean(axis=0))

    rng = generator_of(seed)
    per_batch = max(1, _BOOTSTRAP_BATCH_CELLS // samples)
    first_resampled = np.empty((bootstrap, dimensions))
    total_resampled = np.empty((bootstrap, dimensions))
    for start in range(0, bootstrap, per_batch):
        count = min(per_batch, bootstrap - start)
        rows = rng.integers(0, samples, size=(count, samples))  # the resampled row indices
        cells = (np.arange(count)[:, np.newaxis] * samples + rows).ravel()
        counts = np.bincount(cells, minlength=count * samples).reshape(count, samples)
        # einsum's own loop, not BLAS: each sum runs over the rows in one fixed order, so
        # the intervals are bit-identical whatever the batch size, machine or thread count.
        means = np.einsum("bn,nk->bk", counts.astype(np.float64), terms) / samples
        first_resampled[start : start + count], total_resampled[start : start + count] = indices(
            means
        )
    tails = [(1 - confidence) / 2, (1 + confidence) / 2]
    return SobolEstimate(
        first_order=first,
        first_order_ci=np.quantile(first_resampled, tails, axis=0).T,
        total_order=total,
        total_order_ci=np.quantile(total_resampled, tails, axis=0).T,
    )


def sobol_estimate_of(
    model: Callable[[FloatArray], FloatArray],
    a: FloatArray,
    b: FloatArray,
    *,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    seed: Seed = None,
) -> SobolEstimate:
    """Sobol indices of a vectorized function on the design matrices A and B.

    Parameters
    ----------
    model
        Takes an ``(n, d)`` array of input points and returns the ``(n,)`` outputs.
    a, b
        The design's matrices of input points, shape ``(N, d)`` (e.g. `saltelli_design`'s,
        mapped through each input's quantile function).
    bootstrap, confidence, seed
        As in `sobol_estimate`.

    Returns
    -------
    SobolEstimate

    Examples
    --------
    The Ishigami function, whose indices are known in closed form (S₁ ≈ 0.314,
    S₂ ≈ 0.442, S₃ = 0; total S_T₁ ≈ 0.558, S_T₂ ≈ 0.442, S_T₃ ≈ 0.244):

    >>> import numpy as np
    >>> def ishigami(x):
    ...     return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    >>> a, b = saltelli_design(3, 2**14, seed=3)
    >>> est = sobol_estimate_of(ishigami, np.pi * (2 * a - 1), np.pi * (2 * b - 1), seed=3)
    >>> np.round(est.first_order, 2), np.round(est.total_order, 2)
    (array([0.31, 0.44, 0.  ]), array([0.56, 0.44, 0.24]))
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or a.shape != b.shape:
        raise ArgumentError(
            f"a and b must be (N, d) arrays of one shape (got {a.shape}, {b.shape})"
        )

    def run(points: FloatArray) -> FloatArray:
        return np.broadcast_to(np.asarray(model(points), dtype=np.float64), (points.shape[0],))

    outputs_ab = np.empty((a.shape[1], a.shape[0]))
    mixed = a.copy()
    for column in range(a.shape[1]):
        mixed[:, column] = b[:, column]  # ABᵢ: A with column i from B
        outputs_ab[column] = run(mixed)
        mixed[:, column] = a[:, column]
    return sobol_estimate(
        run(a), run(b), outputs_ab, bootstrap=bootstrap, confidence=confidence, seed=seed
    )


@dataclass(frozen=True)
class SobolRow:
    """One input's Sobol indices, with their confidence intervals.

    Attributes
    ----------
    path
        The input's dotted path.
    first_order, first_order_ci
        Sᵢ, the share of the variance the input explains alone, and its interval (lo, hi).
    total_order, total_order_ci
        S_Tᵢ, that share with every interaction the input takes part in, and its interval.
    """

    path: str
    first_order: float
    first_order_ci: tuple[float, float]
    total_order: float
    total_order_ci: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """``{"path", "first_order", "first_order_ci", "total_order", "total_order_ci"}``."""
        return {
            "path": self.path,
            "first_order": self.first_order,
            "first_order_ci": list(self.first_order_ci),
            "total_order": self.total_order,
            "total_order_ci": list(self.total_order_ci),
        }


def _share(index: float) -> str:
    """A Sobol index as a whole percentage, clipped to 0–100 %: ``95 %``, ``under 1 %``."""
    share = min(1.0, max(0.0, index))
    return "under 1 %" if share < 0.005 else f"{round(100 * share)} %"


@dataclass(frozen=True)
class SobolIndices(JsonResult, TableResult):
    """Sobol indices of one output of a scenario, with bootstrap confidence intervals.

    Attributes
    ----------
    scenario
        The scenario's name.
    output
        The output followed (``"layer:<name>"`` for a layer's revenue).
    samples
        N, the base sample size; the model ran N·(d + 2) times (`evaluations`).
    seed
        The seed used (recorded also when none was given).
    bootstrap
        The number of bootstrap resamples behind the intervals.
    confidence
        The intervals' level, e.g. 0.95.
    rows
        One `SobolRow` per uncertain input, largest total-order index first.
    """

    scenario: str
    output: str
    samples: int
    seed: int
    bootstrap: int
    confidence: float
    rows: tuple[SobolRow, ...]

    method: ClassVar[str] = "sobol"

    @property
    def evaluations(self) -> int:
        """How many times the kernel evaluated the model: N·(d + 2)."""
        return self.samples * (len(self.rows) + 2)

    @property
    def widest_interval(self) -> float:
        """The width of the widest confidence interval, first or total order."""
        return max(
            max(
                r.first_order_ci[1] - r.first_order_ci[0], r.total_order_ci[1] - r.total_order_ci[0]
            )
            for r in self.rows
        )

    @property
    def summary(self) -> str:
        """What the indices say, in one plain sentence (the first line of `to_text`).

        The input with the largest total-order index, with its share of the output's
        variance alone and with its interactions; the next three that explain 1 % or more
        (with interactions), alone; how many explain less. Shares are clipped to 0–100 % and
        rounded to whole percents.
        """
        if not self.rows:
            return f"In {self.scenario}, no uncertain input moves {self.output}."
        top, *others = self.rows
        text = (
            f"In {self.scenario}, {top.path} explains about {_share(top.first_order)} of how "
            f"much {self.output} varies across the draws on its own, and "
            f"{_share(top.total_order)} with its interactions with the other inputs"
        )
        moving = [r for r in others if r.total_order >= 0.005]  # 1 % or more, rounded
        named = ", ".join(f"{r.path} about {_share(r.first_order)}" for r in moving[:3])
        if named:
            text += f"; on their own {named}" if len(moving) > 1 else f"; on its own {named}"
        if len(moving) > 3:
            text += f" and {len(moving) - 3} more"
        small = len(others) - len(moving)
        if small:
            text += "; the other input under 1 %" if small == 1 else f"; {small} others under 1 %"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``paymodel sensitivity --method sobol`` (DESIGN §5).

        ``{"scenario", "output", "method", "samples", "seed", "bootstrap", "confidence",
        "summary", "inputs": [{"path", "first_order", "first_order_ci": [lo, hi],
        "total_order", "total_order_ci": [lo, hi]}]}``, largest total-order index first;
        ``summary`` is `summary`, the finding in one plain sentence.
        """
        return {
            "scenario": self.scenario,
            "output": self.output,
            "method": self.method,
            "samples": self.samples,
            "seed": self.seed,
            "bootstrap": self.bootstrap,
            "confidence": self.confidence,
            "summary": self.summary,
            "inputs": [row.to_dict() for row in self.rows],
        }

    def to_text(self) -> str:
        """What the indices say in one sentence, then their table with intervals."""
        return terminal_text(self.summary) + "\n\n" + self._text_table()

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        def shown(value: float, interval: tuple[float, float]) -> list[str]:
            return [f"{value:.3f}", f"{interval[0]:.3f} to {interval[1]:.3f}"]

        level = f"{100 * self.confidence:g} %"
        rows = [
            [
                row.path,
                *shown(row.first_order, row.first_order_ci),
                *shown(row.total_order, row.total_order_ci),
            ]
            for row in self.rows
        ]
        heading = (
            f"{self.scenario}: Sobol indices of {self.output} ({self.samples:,} samples, "
            f"{self.evaluations:,} evaluations, seed {self.seed}; {level} bootstrap intervals "
            f"from {self.bootstrap:,} resamples)"
        )
        headers = ["input", "first order", f"{level} interval", "total order", f"{level} interval"]
        return heading, headers, rows, [False, True, True, True, True]

    def to_frame(self) -> Any:
        """One row per input, the intervals as ``_low`` and ``_high`` columns.

        Columns ``path``, ``first_order``, ``first_order_low``, ``first_order_high``,
        ``total_order``, ``total_order_low``, ``total_order_high`` (needs ``paymodel[frame]``).
        """
        columns: dict[str, list[Any]] = {"path": [r.path for r in self.rows]}
        for name in ("first_order", "total_order"):
            columns[name] = [getattr(r, name) for r in self.rows]
            columns[f"{name}_low"] = [getattr(r, f"{name}_ci")[0] for r in self.rows]
            columns[f"{name}_high"] = [getattr(r, f"{name}_ci")[1] for r in self.rows]
        return data_frame(columns)


def _design_outputs(
    scenario: Scenario,
    structure: Structure,
    paths: tuple[str, ...],
    key: str,
    cut: float | None,
    rows: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """f(A), f(B) and f(ABᵢ) for every input i on a slice of the design (runs in a worker)."""
    a, b = rows

    def output(points: FloatArray) -> FloatArray:
        changes = {path: points[:, i] for i, path in enumerate(paths)}
        inputs = varied_inputs(scenario, changes)
        evaluation = evaluate_scenario(structure, inputs, through=cut).total
        values = output_column(scenario, evaluation, key)
        return np.broadcast_to(np.asarray(values, dtype=np.float64), (points.shape[0],))

    outputs_ab = np.empty((len(paths), a.shape[0]))
    mixed = a.copy()
    for column in range(len(paths)):
        mixed[:, column] = b[:, column]  # ABᵢ: A with column i from B
        outputs_ab[column] = output(mixed)
        mixed[:, column] = a[:, column]
    return output(a), output(b), outputs_ab


def sobol_indices(
    scenario: Scenario,
    output: str,
    samples: int = 8192,
    *,
    seed: Seed = None,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    executor: Executor | None = None,
    through: str | int | None = None,
) -> SobolIndices:
    """First- and total-order Sobol indices of one output over a scenario's uncertain inputs.

    Parameters
    ----------
    scenario
        A scenario with at least one input given as a distribution and no correlations.
    output
        An output name, or a layer's revenue as ``"layer:<name>"``.
    samples
        N, the base sample size (a power of two is best); the kernel runs N·(d + 2) times
        for d uncertain inputs. At most `largest_samples` (d): 2²², and less for many
        inputs, so that the design fits in memory.
    seed
        An int, a SeedSequence, a Generator or ``None`` (fresh, recorded in the result);
        the same seed gives the same indices and intervals to the last digit.
    bootstrap
        Bootstrap resamples behind the intervals (at least 100).
    confidence
        The intervals' level, e.g. 0.95.
    executor
        Where to run the kernel: ``None`` here; any `concurrent.futures.Executor`
        (`paymodel.workers.worker_pool`, or a Dask ``distributed`` client's
        ``get_executor()``) in slices of at most 4,096 rows of the design, in parallel.
        The design and the bootstrap are drawn here, so the indices are bit-identical.
    through
        Totals up to the end of this month (``"YYYY-MM"`` with a calendar, or a month
        number), as `paymodel.compute` takes it; ``None``: the whole deployment.

    Returns
    -------
    SobolIndices
        One row per uncertain input, largest total-order index first.

    Raises
    ------
    ScenarioError
        For an unknown output, a scenario without uncertain inputs or with correlations,
        an output that does not vary, or bad arguments.

    Warns
    -----
    SampleSizeWarning
        When N < `MIN_SAMPLES` or an interval is wider than `MAX_INTERVAL_WIDTH`.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = pm.sobol_indices(pm.builtin("span-sources"), "regime_revenue_per_year_usd", seed=1)
    >>> [row.path for row in s.rows][:2]
    ['pay.gross_monthly_usd', 'deployment.troops']
    >>> s.rows[-1].path, round(s.rows[-1].total_order, 6)  # tours do not move revenue
    ('deployment.tour_months', 0.0)
    """
    check_scenario(scenario)
    samples = check_whole(samples, "samples", low=2, high=MAX_SAMPLES)
    bootstrap, confidence = _check_bootstrap(bootstrap, confidence)
    executor = check_executor(executor)
    key = output_key(output, scenario.layer_names(), currency=scenario.currency_code)
    uncertain = uncertain_inputs_of(scenario, "sobol")
    if scenario.correlations:
        pairs = "; ".join(" with ".join(c.between) for c in scenario.correlations)
        raise ScenarioError(
            f"sobol: scenario {scenario.name!r} correlates its inputs ({pairs}); Sobol indices "
            "assume independent inputs, so they are not computed; use the tornado method, or "
            "the scenario without its correlations (scenario.evolve(correlations=[]))"
        )
    entropy = entropy_of(seed)
    design_seed = np.random.SeedSequence(entropy, spawn_key=(0,))
    bootstrap_seed = np.random.SeedSequence(entropy, spawn_key=(1,))

    paths = list(uncertain)
    distributions = list(uncertain.values())
    check_array_values(
        "sobol",
        {"samples": samples, "values a sample": values_per_sample(len(paths))},
        f"use at most {largest_samples(len(paths)):,} samples for {len(paths)} uncertain inputs",
    )
    unit_a, unit_b = saltelli_design(len(paths), samples, design_seed)
    a = np.column_stack([d.ppf(unit_a[:, i]) for i, d in enumerate(distributions)])
    b = np.column_stack([d.ppf(unit_b[:, i]) for i, d in enumerate(distributions)])

    structure = Structure.of(scenario)
    # Each point is evaluated once per contingent. Row slices of the design, evaluated here
    # or on the executor: A, B and every ABᵢ of each slice (the design is drawn above, so
    # the slicing changes no digit).
    at_once = points_at_once(len(structure.layer_names), per_point=len(structure.groups))
    slices = point_tasks(samples, min(POINTS_PER_TASK, at_once))
    cut = through_months(scenario.start, through)
    work = partial(_design_outputs, scenario, structure, tuple(paths), key, cut)
    outputs_a, outputs_b = np.empty(samples), np.empty(samples)
    outputs_ab = np.empty((len(paths), samples))
    tasks = [(a[part], b[part]) for part in slices]
    for part, (f_a, f_b, f_ab) in zip(slices, run_tasks(work, tasks, executor), strict=True):
        outputs_a[part], outputs_b[part], outputs_ab[:, part] = f_a, f_b, f_ab
    try:
        estimate = sobol_estimate(
            outputs_a,
            outputs_b,
            outputs_ab,
            bootstrap=bootstrap,
            confidence=confidence,
            seed=bootstrap_seed,
        )
    except ValueError as error:
        raise ScenarioError(
            f"sobol: output {key!r} of scenario {scenario.name!r}: {error}"
        ) from None
    rows = [
        SobolRow(
            path=path,
            first_order=float(estimate.first_order[i]),
            first_order_ci=(
                float(estimate.first_order_ci[i, 0]),
                float(estimate.first_order_ci[i, 1]),
            ),
            total_order=float(estimate.total_order[i]),
            total_order_ci=(
                float(estimate.total_order_ci[i, 0]),
                float(estimate.total_order_ci[i, 1]),
            ),
        )
        for i, path in enumerate(paths)
    ]
    rows.sort(key=lambda row: -row.total_order)  # stable: ties keep the scenario's order
    result = SobolIndices(
        scenario=scenario.name,
        output=key,
        samples=samples,
        seed=entropy,
        bootstrap=bootstrap,
        confidence=confidence,
        rows=tuple(rows),
    )
    warn_if_too_few(result)
    return result


def warn_if_too_few(result: SobolIndices) -> str | None:
    """Issue a `SampleSizeWarning` when the sample is too small; return its message.

    The rule: N < `MIN_SAMPLES`, or an interval wider than `MAX_INTERVAL_WIDTH`.
    """
    widest = result.widest_interval
    if result.samples >= MIN_SAMPLES and widest <= MAX_INTERVAL_WIDTH:
        return None
    message = (
        f"sobol: {result.samples:,} samples are too few for these intervals to mean much "
        f"(the widest {100 * result.confidence:g} % interval is {widest:.3f} wide; the rule is "
        f"at least {MIN_SAMPLES:,} samples and intervals at most {MAX_INTERVAL_WIDTH} wide); "
        f"try {4 * result.samples:,} samples, which halves the widths"
    )
    warnings.warn(message, SampleSizeWarning, stacklevel=3)
    return message
