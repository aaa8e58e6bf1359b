"""Monte Carlo: the distribution of every output, in constant memory, reproducibly.

`simulate` draws the uncertain inputs block by block (`paymodel.sampling`),
runs each block through the one kernel (`paymodel.kernel.evaluate`) and folds each
block's streaming summary (`paymodel.summary.Summary`) into the total, in block
order. Blocks are grouped into tasks of about ``chunk_size`` samples, run one after the
other or on any `concurrent.futures.Executor` (processes, or a Dask cluster's
``client.get_executor()``); the statistics are bit-identical whatever the grouping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from paymodel._allocator import keep_freed_memory
from paymodel.arguments import check_choice, check_flag, check_text, check_whole, fail
from paymodel.calendar import through_months
from paymodel.contingents import SUMMED_NAMES, Structure, evaluate_scenario
from paymodel.currency import (
    RATE_NAME,
    dollar_keys_needed,
    layer_revenue_field,
    twin_key,
    with_twins,
)
from paymodel.errors import ArgumentError, UnknownOutputError
from paymodel.inputs import output_columns
from paymodel.kernel import OUTPUT_NAMES
from paymodel.limits import MAX_ARRAY_VALUES, kernel_values_per_point
from paymodel.messages import did_you_mean, show
from paymodel.outputs import LAYER_PREFIX, dollar_output_keys, output_key, output_keys
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
from paymodel.summary import Summary
from paymodel.workers import WORKER_BASE_BYTES, block_tasks, check_executor, run_tasks

__all__ = ["STATISTICS", "Simulation", "simulate"]

#: The statistics reported for every output, in order (DESIGN §5).
STATISTICS: tuple[str, ...] = ("mean", "std", "min", "max", "p5", "p25", "p50", "p75", "p95")
_PERCENTILES = {"p5": 5.0, "p25": 25.0, "p50": 50.0, "p75": 75.0, "p95": 95.0}

#: The largest number of samples accepted (10¹² blocks of work is weeks on one machine).
MAX_SAMPLES = 10**12
#: The most samples kept with ``keep_samples=True``: every sample of every output, layer and
#: uncertain input stays in memory, 8 bytes each; `largest_kept_samples` also bounds the
#: product by `paymodel.limits.MAX_ARRAY_VALUES`.
MAX_KEPT_SAMPLES = 10**7


def _every_key(scenario: Scenario) -> tuple[str, ...]:
    """The keys of every output and layer, each money one followed by its twin."""
    keys = dollar_output_keys(scenario.layer_names())
    return tuple(with_twins(dict.fromkeys(keys, 0.0), scenario.currency_code, 1.0))


def kept_columns(scenario: Scenario) -> int:
    """Arrays of one value a sample that ``keep_samples=True`` keeps: outputs, layers, inputs."""
    several = len(scenario.contingents) > 1  # each one's flows are kept too
    flows = len(with_twins(dict.fromkeys(SUMMED_NAMES, 0.0), scenario.currency_code, 1.0))
    contingents = len(scenario.contingents) * flows if several else 0
    return len(_every_key(scenario)) + len(scenario.uncertain_inputs()) + contingents


def largest_kept_samples(scenario: Scenario, extra_columns: int = 0) -> int:
    """The most samples ``simulate(..., keep_samples=True)`` accepts for ``scenario``.

    At most `MAX_KEPT_SAMPLES`, and samples × (`kept_columns` + ``extra_columns``) within
    `paymodel.limits.MAX_ARRAY_VALUES` (1.25 GiB of float64): 9,320,675 for span-sources'
    13 outputs, 1 layer and 4 uncertain inputs (and each contingent's flows when there
    are several).

    Parameters
    ----------
    scenario
        The scenario simulated.
    extra_columns
        Arrays of one value a sample that the caller adds (`paymodel.discover` copies
        the inputs once more).
    """
    per_sample = kept_columns(scenario) + extra_columns
    return min(MAX_KEPT_SAMPLES, MAX_ARRAY_VALUES // per_sample)


def worker_bytes(scenario: Scenario, chunk_size: int, keep_samples: bool) -> int:
    """Memory one worker may use for a run of ``scenario`` [bytes].

    `WORKER_BASE_BYTES`, one block's draws and kernel arrays (8 bytes × 65,536 samples ×
    (`paymodel.limits.kernel_values_per_point` + uncertain inputs)) and, when samples are
    kept, a task's kept values twice (its own and the copy sent back to the parent).
    """
    layers = len(scenario.layer_names())
    block = 8 * BLOCK_SIZE * (kernel_values_per_point(layers) + len(scenario.uncertain_inputs()))
    task = max(BLOCK_SIZE, chunk_size - chunk_size % BLOCK_SIZE)
    kept = 2 * 8 * task * kept_columns(scenario) if keep_samples else 0
    return WORKER_BASE_BYTES + block + kept


@dataclass(frozen=True)
class _Block:
    """One block's results: a summary per output and per layer, and kept samples."""

    summaries: dict[str, Summary]
    kept: dict[str, NDArray[np.float64]] | None
    kept_inputs: dict[str, NDArray[np.float64]] | None = None


def _block_column(values: NDArray[np.float64], size: int) -> NDArray[np.float64]:
    """One value per sample of the block: ``values`` itself, or a number broadcast."""
    return values if values.shape == (size,) else np.broadcast_to(values, (size,))


def _summarise(columns: dict[str, NDArray[np.float64]]) -> dict[str, Summary]:
    """Each column's summary; one array under several names is summarised once.

    The kernel hands back the same array for outputs that its formulas make equal (an
    output equal to another, or to an input); a column that does not vary is a broadcast
    number, which `Summary.of` summarises in O(1).
    """
    by_array: dict[tuple[int, tuple[int, ...]], Summary] = {}
    summaries = {}
    for name, values in columns.items():
        # Every column is alive until the end, so its address and strides name its values.
        same = (int(values.__array_interface__["data"][0]), values.strides)
        if same not in by_array:
            by_array[same] = Summary.of(values)
        summaries[name] = by_array[same]
    return summaries


def _run_blocks(
    plan: SamplingPlan,
    total: int,
    structure: Structure,
    through: float | None,
    keep: bool,
    asked: frozenset[str] | None,
    blocks: range,
) -> list[_Block]:
    """Draw and evaluate a range of blocks (runs in a worker; must stay picklable).

    ``asked`` holds the outputs' and layers' keys to summarise (``None``: every one).
    """
    layer_names = structure.layer_names
    # Every block reuses the last one's memory (`paymodel._allocator`): the kernel's arrays
    # of each contingent, and of their total when there are several.
    evaluations = len(structure.groups) + (0 if structure.single else 1)
    keep_freed_memory(8 * BLOCK_SIZE * kernel_values_per_point(len(layer_names)) * evaluations)
    dollar_keys = dollar_output_keys(layer_names)
    needed = None if asked is None else dollar_keys_needed(asked, dollar_keys)
    outputs = tuple(n for n in OUTPUT_NAMES if needed is None or n in needed)
    layers_needed = needed is None or any(key.startswith(LAYER_PREFIX) for key in needed)
    results = []
    for index in blocks:
        size = min(BLOCK_SIZE, total - index * BLOCK_SIZE)
        draws = plan.block(index, size)
        scenario_evaluation = evaluate_scenario(
            structure,
            draws,
            through=through,
            outputs=None if asked is None else outputs,
            details=layers_needed,
        )
        evaluation = scenario_evaluation.total
        columns = {
            key: _block_column(values, size)
            for key, values in output_columns(
                layer_names, evaluation, structure.currency, asked
            ).items()
        }
        if not structure.single:  # each contingent's own outputs (DESIGN §6)
            for group, each in zip(structure.groups, scenario_evaluation.groups, strict=True):
                flows = {
                    f"contingent:{group.name}:{n}": each.outputs[n]
                    for n in SUMMED_NAMES
                    if needed is None or n in needed
                }
                rate = each.intermediates.get(RATE_NAME)
                for key, values in with_twins(flows, structure.currency, rate).items():
                    if asked is None or key.rpartition(":")[2] in asked:
                        columns[key] = _block_column(values, size)
        results.append(
            _Block(
                summaries=_summarise(columns),
                kept={name: np.array(v) for name, v in columns.items()} if keep else None,
                kept_inputs={p: np.asarray(draws[p], dtype=np.float64) for p in plan.uncertain}
                if keep
                else None,
            )
        )
    return results


@dataclass(frozen=True)
class Simulation(JsonResult, TableResult):
    """The distribution of every output of a scenario.

    Attributes
    ----------
    scenario
        The scenario's name.
    samples
        Number of samples drawn.
    seed
        The seed used (recorded also when none was given): ``simulate(..., seed=seed)``
        repeats the run bit for bit.
    method
        ``"mc"``, ``"lhs"`` or ``"sobol"``.
    summaries
        Streaming summary per output name, per layer as ``"layer:<name>"``, and with
        several contingents each one's money, soldier-months, individuals and deaths
        (`paymodel.contingents.SUMMED_NAMES`) as ``"contingent:<name>:<output>"``; only
        those asked for when ``simulate`` was given ``outputs``.
    kept
        Every sample of every output when ``keep_samples=True``, else ``None``.
    kept_inputs
        Every sample of every uncertain input, by dotted path, when ``keep_samples=True``
        (sample i of an input gave sample i of every output), else ``None``.
    not_simulated
        The keys of the scenario's outputs and layers that were not simulated because
        ``simulate`` was given ``outputs`` (empty when every one was).
    currency
        The code of the currency the twins of money are in (``"KRW"``), or ``None``
        (DESIGN §7).
    """

    scenario: str
    samples: int
    seed: int
    method: str
    summaries: dict[str, Summary]
    kept: dict[str, NDArray[np.float64]] | None = None
    kept_inputs: dict[str, NDArray[np.float64]] | None = None
    not_simulated: tuple[str, ...] = ()
    currency: str | None = None

    @property
    def contingent_names(self) -> tuple[str, ...]:
        """The contingents whose outputs were summarised (none for one group)."""
        names: list[str] = []
        for key in self.summaries:
            if key.startswith("contingent:"):
                name = key.removeprefix("contingent:").rsplit(":", 1)[0]
                if name not in names:
                    names.append(name)
        return tuple(names)

    @property
    def output_names(self) -> tuple[str, ...]:
        """The outputs summarised: every one (with a currency, their twins too) or those chosen."""
        return tuple(n for n in self.summaries if not n.startswith(("layer", "contingent:")))

    @property
    def layer_names(self) -> tuple[str, ...]:
        """The layers whose revenue was summarised, ``"state transfer"`` and ``"in kind"`` first."""
        return tuple(n.removeprefix("layer:") for n in self.summaries if n.startswith("layer:"))

    def _key(self, name: str) -> str:
        """The summaries' key of an output, a layer or a contingent's output.

        Outputs and layers by `paymodel.outputs.output_key`; a contingent's output as
        ``"contingent:<name>:<output>"``. One the run was not asked for is an
        `paymodel.errors.UnknownOutputError` that says so.
        """
        if isinstance(name, str) and name.startswith("contingent:") and name in self.summaries:
            return name
        skipped_layers = [
            k.removeprefix(LAYER_PREFIX) for k in self.not_simulated if k.startswith(LAYER_PREFIX)
        ]
        key = output_key(name, (*self.layer_names, *skipped_layers), currency=self.currency)
        if key in self.not_simulated:
            rule = (
                f"{show(name)} was not simulated: this run summarised only "
                f"{', '.join(k.removeprefix(LAYER_PREFIX) for k in self.summaries)} "
                "(simulate(..., outputs=[...]) or --output); simulate again with it among "
                "the outputs, or without choosing outputs for every one"
            )
            raise UnknownOutputError(f"output: {rule}", argument="output", rule=rule)
        return key

    def statistics(self, name: str) -> dict[str, float]:
        """Mean, std, min, max, p5, p25, p50, p75 and p95 of one output or layer.

        Percentiles are exact (linear interpolation) when samples were kept, and from the
        streaming histogram otherwise (relative error at most
        `paymodel.summary.Summary.RELATIVE_ERROR`).
        """
        key = self._key(name)
        summary = self.summaries[key]
        stats = {"mean": summary.mean, "std": summary.std, "min": summary.min, "max": summary.max}
        if self.kept is not None:
            values = np.percentile(self.kept[key], list(_PERCENTILES.values()))
            stats.update({p: float(v) for p, v in zip(_PERCENTILES, values, strict=True)})
        else:
            stats.update({p: summary.quantile(q / 100) for p, q in _PERCENTILES.items()})
        return stats

    def quantile(self, name: str, q: float) -> float:
        """The ``q``-quantile (0 ≤ q ≤ 1) of one output or layer."""
        key = self._key(name)
        estimate = self.summaries[key].quantile(q)  # checks q (`paymodel.arguments`)
        if self.kept is not None:
            return float(np.quantile(self.kept[key], q))
        return estimate

    def probability(
        self, name: str, *, above: float | None = None, below: float | None = None
    ) -> float:
        """The probability that an output lies above ``above`` and/or below ``below``.

        Examples
        --------
        >>> import paymodel as pm
        >>> sim = pm.simulate(pm.builtin("span-sources"), 20_000, seed=1)
        >>> 0.5 < sim.probability("regime_revenue_per_year_usd", above=200e6) < 1
        True
        """
        key = self._key(name)
        # The streaming estimate checks the arguments (both paths accept the same ones).
        estimate = self.summaries[key].probability(above=above, below=below)
        if self.kept is None:
            return estimate
        values = self.kept[key]
        inside = np.ones(values.shape, dtype=bool)
        if above is not None:
            inside &= values > above
        if below is not None:
            inside &= values < below
        return float(np.mean(inside))

    def _kept_samples(
        self,
    ) -> tuple[dict[str, NDArray[np.float64]], dict[str, NDArray[np.float64]]]:
        """``kept`` and ``kept_inputs``; an `ArgumentError` when the samples were not kept."""
        if self.kept is None or self.kept_inputs is None:
            raise ArgumentError("samples were not kept; run simulate(..., keep_samples=True)")
        return self.kept, self.kept_inputs

    def values(self, name: str) -> NDArray[np.float64]:
        """Every sample of one output or layer (only when run with ``keep_samples=True``).

        Raises
        ------
        ArgumentError
            When the samples were not kept (also a ``ValueError``).
        UnknownOutputError
            When no output or layer of this run has that name (also a ``KeyError``).
        """
        kept, _ = self._kept_samples()
        return kept[self._key(name)]

    def input_values(self, path: str) -> NDArray[np.float64]:
        """Every sample of one uncertain input, by canonical dotted path (``keep_samples=True``).

        Raises
        ------
        ArgumentError
            When the samples were not kept (also a ``ValueError``).
        ArgumentTypeError
            When ``path`` is not text.
        UnknownOutputError
            When ``path`` is not one of the scenario's uncertain inputs (also a ``KeyError``).

        Examples
        --------
        >>> import paymodel as pm
        >>> sim = pm.simulate(pm.builtin("span-sources"), 1000, seed=1, keep_samples=True)
        >>> troops = sim.input_values("deployment.troops")
        >>> troops.shape, bool(11_000 <= troops.min() and troops.max() <= 15_000)
        ((1000,), True)
        """
        _, kept_inputs = self._kept_samples()
        check_text(path, "path", example="'deployment.troops'")
        if path not in kept_inputs:
            rule = (
                f"no uncertain input {show(path)}{did_you_mean(path, kept_inputs)} "
                f"(uncertain inputs: {', '.join(kept_inputs) or 'none'})"
            )
            raise UnknownOutputError(f"path: {rule}", argument="path", rule=rule)
        return kept_inputs[path]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``paymodel simulate --json`` (DESIGN §5), with the layers.

        ``{"scenario", "samples", "seed", "method", "outputs": {name: {stat: value}},
        "layers": [{"name", stat: value, ...}]}``; with several contingents also
        ``"contingents": [{"name", "outputs": {name: {stat: value}}}]``. With a currency
        (DESIGN §7) the outputs include the twins of money (``paid_krw``) and each layer
        has ``"revenue_krw": {stat: value}``.
        """
        code = self.currency
        layers = []
        for n in self._layers_summarised():
            entry: dict[str, Any] = {"name": n}
            if f"{LAYER_PREFIX}{n}" in self.summaries:
                entry.update(self.statistics(f"{LAYER_PREFIX}{n}"))
            twin = None if code is None else twin_key(f"{LAYER_PREFIX}{n}", code)
            if twin is not None and twin in self.summaries:
                entry[layer_revenue_field(code)] = self.statistics(twin)  # type: ignore[arg-type]
            layers.append(entry)
        shape: dict[str, Any] = {
            "scenario": self.scenario,
            "samples": self.samples,
            "seed": self.seed,
            "method": self.method,
            "outputs": {name: self.statistics(name) for name in self.output_names},
            "layers": layers,
        }
        if self.contingent_names:
            shape["contingents"] = [
                {
                    "name": c,
                    "outputs": {
                        key.removeprefix(f"contingent:{c}:"): self.statistics(key)
                        for key in self.summaries
                        if key.startswith(f"contingent:{c}:")
                    },
                }
                for c in self.contingent_names
            ]
        return shape

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        """Heading, headers, rows and alignment of the table people read."""
        from paymodel.display import layer_label, output_values

        rows = []
        for name in self._names():
            stats = self.statistics(name)
            shown = output_values(name, [stats[s] for s in ("mean", "p5", "p50", "p95")])
            rows.append([layer_label(name) if name.startswith("layer") else name, *shown])
        for contingent in self.contingent_names:
            for name in ("soldier_months", "deaths", "regime_revenue_usd"):
                if f"contingent:{contingent}:{name}" not in self.summaries:
                    continue
                stats = self.statistics(f"contingent:{contingent}:{name}")
                shown = output_values(name, [stats[s] for s in ("mean", "p5", "p50", "p95")])
                rows.append([f"{contingent}: {name}", *shown])
        exact = "exact" if self.kept is not None else "streaming"
        heading = (
            f"{self.scenario}: {self.samples:,} samples ({self.method}, seed {self.seed}; "
            f"{exact} percentiles)"
        )
        headers = ["output", "mean", "p5", "median", "p95"]
        return heading, headers, rows, [False, True, True, True, True]

    def _layers_summarised(self) -> list[str]:
        """The layers whose revenue, or its twin, was summarised, in order."""
        keys = (k for k in self.summaries if k.startswith("layer"))
        return list(dict.fromkeys(k.partition(":")[2] for k in keys))

    def _names(self) -> list[str]:
        """Every output, then each layer's revenue (and with a currency, each's twin)."""
        layers = [n for n in self.summaries if n.startswith("layer")]
        return [*self.output_names, *layers]

    def to_text(self) -> str:
        """A table of every output's statistics, for a terminal."""
        return self._text_table()

    def to_frame(self, samples: bool = False) -> Any:
        """A pandas DataFrame of the statistics, or of every sample (needs pandas).

        Parameters
        ----------
        samples
            ``False``: one row per output and per layer (``layer:<name>``), index
            ``output``, one column per statistic (``mean``, ``std``, ``min``, ``max``,
            ``p5`` … ``p95``). ``True``: one row per sample (index ``sample``), one column
            per output and layer, then one per uncertain input (its dotted path); only
            when run with ``keep_samples=True``.

        Raises
        ------
        MissingExtraError
            Without pandas: ``pip install 'paymodel[frame]'``.
        ArgumentError
            ``samples=True`` when the samples were not kept (also a ``ValueError``).
        ArgumentTypeError
            ``samples`` that is not ``True`` or ``False``.
        """
        from paymodel.frames import data_frame

        names = self._names()
        if not check_flag(samples, "samples"):
            table = [self.statistics(name) for name in names]
            columns: dict[str, Any] = {"output": names}
            columns.update({stat: [row[stat] for row in table] for stat in STATISTICS})
            return data_frame(columns, "output")
        _, kept_inputs = self._kept_samples()
        columns = {"sample": np.arange(self.samples)}
        columns.update({name: self.values(name) for name in names})
        columns.update(kept_inputs)
        return data_frame(columns, "sample")


def simulate(
    scenario: Scenario,
    samples: int = 100_000,
    *,
    seed: Seed = None,
    method: Method = "mc",
    chunk_size: int = 4 * BLOCK_SIZE,
    executor: Executor | None = None,
    keep_samples: bool = False,
    progress: Callable[[int, int], None] | None = None,
    through: str | int | None = None,
    outputs: Sequence[str] | None = None,
) -> Simulation:
    """Draw ``samples`` scenarios from the distributions and summarise every output.

    Parameters
    ----------
    scenario
        A validated scenario; inputs given as plain numbers stay fixed.
    samples
        Number of samples.
    seed
        An int, a SeedSequence of one int (not a spawned child: `paymodel.sampling.entropy_of`),
        a Generator or ``None`` (fresh 63-bit entropy, recorded in the result).
    method
        ``"mc"`` (Monte Carlo), ``"lhs"`` (Latin hypercube per block) or ``"sobol"``
        (one scrambled Sobol sequence).
    chunk_size
        Samples per task, rounded down to whole blocks of 65,536 (at least one block): what
        one worker holds in memory at once (without an executor, blocks run one at a
        time). It does not change any result.
    executor
        Where to run tasks: ``None`` runs them here, one after the other; any
        `concurrent.futures.Executor` (``ProcessPoolExecutor``, or a Dask
        ``distributed`` client's ``get_executor()``) runs them in parallel, with
        identical results.
    keep_samples
        Keep every sample of every output (memory grows with ``samples``, which may then be
        at most `largest_kept_samples`, 8 bytes × samples × `kept_columns` within 1.25 GiB):
        percentiles and probabilities are then exact, and
        `Simulation.values` gives the arrays;
        `Simulation.input_values` gives each uncertain input's samples (what
        `paymodel.discover` needs).
    progress
        Called as ``progress(samples_done, samples)`` after each task; the library is
        otherwise silent.
    through
        Totals up to the end of this month (``"YYYY-MM"`` with a calendar, or a month
        number), as for `paymodel.compute`.
    outputs
        The outputs and layers to simulate, by name (`paymodel.outputs.output_key`:
        ``"paid_usd"``, ``"layer:state treasury"`` or a layer's bare name); ``None``: every
        one. Only those, and what they are computed from, are computed and summarised: a
        run of two outputs takes a fraction of the time of all of them, and their
        statistics are bit for bit those of the full run with the same seed. The result
        holds only them; asking it for another is an
        `paymodel.errors.UnknownOutputError` that says it was not simulated.

    Returns
    -------
    Simulation
        Summary statistics per output and per layer (and per contingent's output when the
        scenario has several).

    Examples
    --------
    >>> import paymodel as pm
    >>> sim = pm.simulate(pm.builtin("span-sources"), 10_000, seed=42)
    >>> stats = sim.statistics("take_home_monthly_usd")
    >>> stats["min"] == 0.0 and stats["p95"] > 150
    True

    Two outputs only:

    >>> two = pm.simulate(pm.builtin("span-sources"), 10_000, seed=42,
    ...                   outputs=["take_home_monthly_usd", "state treasury"])
    >>> two.output_names, two.layer_names
    (('take_home_monthly_usd',), ('state treasury',))
    >>> two.statistics("take_home_monthly_usd") == stats
    True
    """
    check_scenario(scenario)
    samples = check_whole(samples, "samples", low=1, high=MAX_SAMPLES)
    if check_flag(keep_samples, "keep_samples") and samples > largest_kept_samples(scenario):
        fail(
            "samples",
            f"must be at most {largest_kept_samples(scenario):,} when every sample of this "
            f"scenario's {kept_columns(scenario)} outputs, layers and uncertain inputs is kept "
            f"in memory (got {samples:,}); without keeping them any number runs in constant "
            "memory",
        )
    check_choice(method, "method", METHODS)
    structure = Structure.of(scenario)
    code = structure.currency
    asked = None if outputs is None else output_keys(outputs, scenario.layer_names(), currency=code)
    chunk_size = check_whole(chunk_size, "chunk_size", low=1)
    executor = check_executor(executor)
    if progress is not None and not callable(progress):
        fail("progress", "must be a function of (done, total), or None", wrong_type=True)
    entropy = entropy_of(seed)
    plan = plan_sampling(scenario, method, entropy)
    cut = through_months(scenario.start, through)
    run = partial(
        _run_blocks,
        plan,
        samples,
        structure,
        cut,
        keep_samples,
        None if asked is None else frozenset(asked),
    )
    # Without an executor the blocks run here one at a time: a task's results are never held
    # together, whatever chunk_size says (the result does not depend on it).
    size = int(chunk_size) if executor is not None else BLOCK_SIZE
    # The same tasks twice, each generated as it is needed (10¹² samples are 15 M blocks):
    # one series to run, one to tell where each result goes (an executor reads ahead).
    tasks = block_tasks(samples, size)
    results = run_tasks(run, block_tasks(samples, size), executor)
    total: dict[str, Summary] | None = None
    # Kept samples go straight into their place in one array per column (no second copy
    # while joining blocks), so kept_columns(scenario) × samples values is the whole cost.
    kept: dict[str, NDArray[np.float64]] = {}
    kept_inputs: dict[str, NDArray[np.float64]] = {}
    done = 0
    for task, blocks in zip(tasks, results, strict=True):
        for index, block in zip(task, blocks, strict=True):  # in block order, as drawn
            if total is None:
                total = dict(block.summaries)
            else:
                total = {name: total[name].merge(s) for name, s in block.summaries.items()}
            rows = slice(index * BLOCK_SIZE, min(samples, (index + 1) * BLOCK_SIZE))
            for into, columns in ((kept, block.kept), (kept_inputs, block.kept_inputs)):
                for name, values in (columns or {}).items():
                    into.setdefault(name, np.empty(samples))[rows] = values
        done = min(samples, (task.stop) * BLOCK_SIZE)
        if progress is not None:
            progress(done, samples)
    assert total is not None  # noqa: S101 - samples ≥ 1 gives at least one block
    return Simulation(
        scenario=scenario.name,
        samples=samples,
        seed=entropy,
        method=method,
        summaries=total,
        kept=kept if keep_samples else None,
        kept_inputs={path: kept_inputs[path] for path in plan.uncertain} if keep_samples else None,
        not_simulated=()
        if asked is None
        else tuple(k for k in _every_key(scenario) if k not in asked),
        currency=code,
    )
