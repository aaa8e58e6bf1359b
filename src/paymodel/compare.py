"""Scenarios side by side: the main job of paymodel (``paymodel compare``)."""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from paymodel.arguments import check_text, check_whole, fail
from paymodel.calendar import through_months
from paymodel.catalogue import builtin_names, load
from paymodel.compute import compute
from paymodel.currency import currency_of, twin_key
from paymodel.display import (
    html_table,
    number,
    output_cents,
    output_value,
    table,
    terminal_text,
)
from paymodel.errors import ArgumentError, UnknownOutputError
from paymodel.kernel import OUTPUT_NAMES
from paymodel.limits import MAX_ARRAY_VALUES, check_array_values
from paymodel.measures import warn_misfits
from paymodel.messages import did_you_mean, show
from paymodel.results import JsonResult, Result
from paymodel.sampling import Seed, entropy_of
from paymodel.scenario import Scenario
from paymodel.shape import Shape, describe, describe_briefly, shape_of
from paymodel.simulate import MAX_KEPT_SAMPLES, Simulation, kept_columns, simulate
from paymodel.sources import claim

__all__ = [
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "SIMULATED_COLUMNS",
    "Comparison",
    "check_through",
    "compare",
    "months_label",
    "scenario_sources",
]

#: Draws per scenario with distributions for the simulated median and 90 % interval.
DEFAULT_SAMPLES = 10_000
#: The seed `compare` uses unless told: fixed, so the table reads the same every time.
DEFAULT_SEED = 1

#: The headline outputs, whose simulated median and interval the tables show (compare's
#: second table, the report's grey line), each with its heading in the point table.
SIMULATED_COLUMNS = (
    ("take_home_monthly_usd", "take-home/month"),
    ("take_home_per_tour_usd", "per tour"),
    ("regime_revenue_per_year_usd", "regime/year"),
    ("diverted_share", "diverted"),
)

_PER_YEAR = "regime_revenue_per_year_usd"

_STATUS_MARK = {"reported": "", "unverified": "?", "conflicting": "!"}
_NOTE = (
    "Point estimates (distributions at their median). Claims: ? unverified, ! conflicting; "
    "`paymodel sources ID` shows one, `paymodel explain NAME` the arithmetic."
)


def months_label(result: Result) -> str:
    """The months the regime's total covers, for its label: ``11 mo`` (12·total / per year).

    Examples
    --------
    >>> import paymodel as pm
    >>> months_label(pm.compute(pm.builtin("casualty-aware")))
    '11 mo'
    """
    per_year = result.regime_revenue_per_year_usd
    if per_year <= 0:
        return "—"
    return f"{number(round(12 * result.regime_revenue_usd / per_year, 1))} mo"


@dataclass(frozen=True)
class Comparison(JsonResult):
    """Point estimates of several scenarios, with the claims each rests on.

    Attributes
    ----------
    scenarios
        The scenarios compared, in order.
    results
        Their point estimates, in the same order.
    """

    scenarios: tuple[Scenario, ...]
    results: tuple[Result, ...]
    simulations: tuple[Simulation | None, ...] = ()
    samples: int = 0
    seed: int | None = None

    def simulation(self, index: int) -> Simulation | None:
        """The simulation of scenario ``index`` (``None`` for one without distributions)."""
        index = check_whole(index, "index", low=0, high=len(self.scenarios) - 1)
        return self.simulations[index] if self.simulations else None

    def shape(self, index: int, output: str) -> Shape | None:
        """The shape of one output's draws for scenario ``index`` (`paymodel.shape`)."""
        sim = self.simulation(index)
        return None if sim is None or sim.kept is None else shape_of(sim.values(output))

    def cents(self, output: str) -> bool:
        """Whether ``output``'s dollars show cents, in every table that shows it.

        One style for the point estimates and the simulated values shown for them (the
        median and interval, or the parts a point mass or two clusters are described by):
        `paymodel.display.output_cents` of them all.
        """
        check_text(output, "output", example="paid_usd")
        if any(output not in result.outputs for result in self.results):
            first, *others = (result.outputs for result in self.results)
            common = [name for name in first if all(name in o for o in others)]
            hint = did_you_mean(output, common)
            rule = f"no output named {show(output)} in every scenario{hint} ({', '.join(common)})"
            raise UnknownOutputError(f"output: {rule}", argument="output", rule=rule)
        values = [float(result.outputs[output]) for result in self.results]
        for index in range(len(self.scenarios)):
            shape = self.shape(index, output)
            if shape is not None:
                values += shape.values_shown()
        return output_cents(output, values)

    def intervals(self, index: int) -> dict[str, dict[str, float]]:
        """``{output: {"p5", "p50", "p95"}}`` for scenario ``index``.

        Simulated when it has distributions, else the point estimate three times.
        """
        sim = self.simulation(index)
        out: dict[str, dict[str, float]] = {}
        for name in self.results[index].outputs:  # with a currency, the twins too
            if sim is None:
                value = float(self.results[index].outputs[name])
                out[name] = {"p5": value, "p50": value, "p95": value}
            else:
                stats = sim.statistics(name)
                out[name] = {p: stats[p] for p in ("p5", "p50", "p95")}
        return out

    def notes(self, index: int) -> dict[str, str]:
        """Outputs whose draws have a point mass or two clusters, said in words."""
        found = {}
        for name in OUTPUT_NAMES:
            shape = self.shape(index, name)
            if shape is not None and not shape.plain:
                found[name] = describe(name, shape)
        return found

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``paymodel compare --json``: ``{"samples", "seed", "scenarios"}``.

        Each scenario is ``{"scenario", "title", "sources", "outputs", "intervals",
        "notes", "layers"}``.

        ``outputs`` are the point estimates; ``intervals`` each output's simulated
        ``{"p5", "p50", "p95"}`` (the point estimate three times for a scenario without
        distributions, or when ``samples`` is 0); ``notes`` says in words each output whose
        draws have a point mass or two clusters (`paymodel.shape.describe`).
        """
        rows = []
        for index, (scenario, result) in enumerate(zip(self.scenarios, self.results, strict=True)):
            row = result.to_dict()
            rows.append(
                {
                    "scenario": scenario.name,
                    "title": scenario.title,
                    "sources": [
                        {"id": cid, "status": claim(cid).status} for cid in scenario.sources
                    ],
                    "outputs": row["outputs"],
                    "intervals": self.intervals(index),
                    "notes": self.notes(index),
                    "layers": row["layers"],
                }
            )
        return {"samples": self.samples, "seed": self.seed, "scenarios": rows}

    def _table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]], tuple[bool, ...]]:
        """Headers, formatted rows and alignment of the side-by-side table."""
        headers: tuple[str, ...] = (
            "scenario",
            "take-home/month",
            "per tour",
            "x home wage",
            "regime/year",
            "regime total",
            "over",
            "diverted",
            "deaths",
        )
        outputs = [result.outputs for result in self.results]

        def column(name: str, *, compact: bool = False) -> list[str]:
            cents = self.cents(name)
            return [output_value(name, out[name], compact=compact, cents=cents) for out in outputs]

        # With a currency (DESIGN §7): the regime's revenue a year in it, "—" for a
        # scenario without one.
        codes = [currency_of(tuple(out)) for out in outputs]
        twins = ["—" if code is None else str(twin_key(_PER_YEAR, code)) for code in codes]
        twin_cells = [
            "—" if twin == "—" else output_value(twin, out[twin], compact=True)
            for twin, out in zip(twins, outputs, strict=True)
        ]
        shown = {code for code in codes if code is not None}

        # One column per output, each in one style (display's rules: whole people; cents
        # for every amount of a column when one needs them, the simulated values under it
        # included: `cents`).
        columns = [
            [scenario.name for scenario in self.scenarios],
            column("take_home_monthly_usd"),
            column("take_home_per_tour_usd"),
            [f"{number(round(out['domestic_wage_multiple'], 1))}x" for out in outputs],
            column("regime_revenue_per_year_usd", compact=True),
            column("regime_revenue_usd", compact=True),
            [months_label(result) for result in self.results],
            column("diverted_share"),
            column("deaths"),
        ]
        right: tuple[bool, ...] = (False, True, True, True, True, True, True, True, True)
        if shown:
            headers += (
                f"regime/year in {shown.pop()}" if len(shown) == 1 else "regime/year, other",
            )
            columns.append(twin_cells)
            right += (True,)
        rows = [tuple(cells) for cells in zip(*columns, strict=True)]
        return headers, rows, right

    def simulated_cell(self, index: int, output: str, *, cents: bool | None = None) -> str:
        """A simulated output for a table: ``$134 [$0–$237]``, median [5th–95th percentile].

        The shape in brief words instead when the draws have a point mass or two clusters
        (a quantile could fall where no draw lies). Dollars in the style of the output's
        column (`cents`, computed when not given).
        """
        shape = self.shape(index, output)
        if shape is None:
            return ""
        if cents is None:
            cents = self.cents(output)
        if not shape.plain:
            return describe_briefly(output, shape, cents=cents)
        low, mid, high = (
            output_value(output, v, compact=True, cents=cents)
            for v in (shape.p5, shape.p50, shape.p95)
        )
        return mid if low == high else f"{mid} [{low}–{high}]"

    def _simulated_table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]], tuple[bool, ...]]:
        """The simulated medians and intervals of the scenarios with distributions."""
        headers = ("scenario", *(title for _, title in SIMULATED_COLUMNS))
        cents = {name: self.cents(name) for name, _ in SIMULATED_COLUMNS}
        rows = [
            (s.name, *(self.simulated_cell(i, n, cents=cents[n]) for n, _ in SIMULATED_COLUMNS))
            for i, s in enumerate(self.scenarios)
            if self.simulation(i) is not None
        ]
        return headers, rows, (False, *(True for _ in SIMULATED_COLUMNS))

    def simulated_heading(self) -> str:
        """What the simulated table shows, with its draws and seed."""
        return (
            f"Simulated ({self.samples:,} draws per scenario with distributions, seed "
            f"{self.seed}): median [5th–95th percentile], or in words where draws pile up at "
            "one value or form two clusters."
        )

    def _notes_lines(self) -> list[str]:
        lines = []
        for index, scenario in enumerate(self.scenarios):
            for name, words in self.notes(index).items():
                if name in dict(SIMULATED_COLUMNS):
                    lines.append(f"  {scenario.name}, {dict(SIMULATED_COLUMNS)[name]}: {words}")
        return lines

    def _cited(self, scenario: Scenario) -> str:
        """The claims a scenario cites, each with its status mark; ``none cited`` for none."""
        marked = [cid + _STATUS_MARK[claim(cid).status] for cid in scenario.sources]
        return " ".join(marked) or "none cited"

    def to_text(self) -> str:
        """The side-by-side table, then each scenario's title and cited claims."""
        lines = [table(*self._table()), ""]
        simulated = self._simulated_table()
        if simulated[1]:
            lines += [self.simulated_heading(), table(*simulated), *self._notes_lines(), ""]
        for scenario in self.scenarios:
            lines.append(f"{scenario.name}: {terminal_text(scenario.title, lines=False)}")
            lines.append(f"    claims: {self._cited(scenario)}")
        lines += ["", _NOTE]
        return terminal_text("\n".join(lines))

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per scenario (index ``scenario``).

        Columns: ``title``, every output, then ``layer:<name>`` for every layer of any
        scenario (NaN where a scenario has no such layer). Needs pandas (``pip install
        'paymodel[frame]'``).
        """
        from paymodel.frames import data_frame

        columns: dict[str, list[Any]] = {
            "scenario": [s.name for s in self.scenarios],
            "title": [s.title for s in self.scenarios],
        }
        # Every output, then each layer's revenue (twins too), as `Result.to_frame` has them;
        # NaN where a scenario has no such layer or currency.
        values = [r._values() for r in self.results]
        names = dict.fromkeys(name for each in values for name in each)
        for name in sorted(names, key=lambda n: n.startswith("layer")):  # outputs first
            columns[name] = [each.get(name, math.nan) for each in values]
        return data_frame(columns, "scenario")

    def _repr_html_(self) -> str:
        headers, rows, right = self._table()
        claims = [[s.name, s.title, self._cited(s)] for s in self.scenarios]
        simulated = self._simulated_table()
        extra = [html_table(*simulated, caption=self.simulated_heading())] if simulated[1] else []
        return "\n".join(
            [
                html_table(headers, rows, right, caption="Point estimates"),
                *extra,
                html_table(["scenario", "title", "claims"], claims, [False, False, False]),
                f"<p>{html.escape(_NOTE)}</p>",
            ]
        )


def scenario_sources(
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | None,
) -> list[Scenario | str | os.PathLike[str]]:
    """The scenarios an analysis of several takes: the list given, or every built-in's name.

    One check for `compare` and `paymodel.report`: a single name or file is refused rather
    than read as a list of its characters.

    Raises
    ------
    ArgumentTypeError
        When ``scenarios`` is not a list (a string, a path, a number).

    Examples
    --------
    >>> scenario_sources(["span-sources"])
    ['span-sources']
    >>> scenario_sources("span-sources")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentTypeError: scenarios must be a list of scenarios, names or files, ...
    """
    if isinstance(scenarios, str | bytes | os.PathLike) or not isinstance(
        scenarios, Sequence | None
    ):
        fail(
            "scenarios",
            f"must be a list of scenarios, names or files, or None (got {scenarios!r:.60})",
            wrong_type=True,
        )
    return list(builtin_names()) if scenarios is None else list(scenarios)


def check_through(scenarios: Sequence[Scenario], through: str | int | None) -> None:
    """``through`` against each of several scenarios, naming the first it does not fit.

    One check for `compare` and `paymodel.report`: of the ten built-ins, only those with a
    calendar take ``YYYY-MM``. A value that is no month for any scenario (``"soon"``,
    ``0``, ``"2025-13"``) is said once, naming none of them.

    Raises
    ------
    ArgumentError
        Naming ``through``, and the scenario for a month that does not fit it.

    Examples
    --------
    >>> scenarios = [load("deployment-as-reported"), load("nis-estimate")]
    >>> check_through(scenarios, "2025-03")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentError: through nis-estimate: '2025-03' is a calendar month, but ...
    """
    for scenario in scenarios:
        try:
            through_months(scenario.start, through)
        except ArgumentError as error:
            if len(scenarios) == 1:
                raise
            through_months("1900-01", through)  # no month for any calendar: said unnamed
            fail("through", f"{scenario.name}: {error.rule}")


def compare(
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | None = None,
    *,
    through: str | int | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: Seed = DEFAULT_SEED,
    executor: Executor | None = None,
) -> Comparison:
    """Compute several scenarios side by side, with simulated intervals where inputs are uncertain.

    Parameters
    ----------
    scenarios
        Scenarios, built-in names or files; all built-in scenarios when omitted.
    through
        Totals (and simulations) up to the end of that month, ``"YYYY-MM"`` or a month
        number (DESIGN §6); the whole deployment when omitted.
    samples
        Draws per scenario with distributions (`paymodel.simulate`, every draw kept so that
        a point mass is found exactly); 0 for point estimates only.
    seed
        Seed of every simulation; fixed by default (`DEFAULT_SEED`) so the same command
        gives the same table.
    executor
        Where the simulations run (`paymodel.simulate`); the results do not depend on it.

    Returns
    -------
    Comparison
        The point estimates with the claims behind each, and the simulations.

    Warns
    -----
    MeasureWarning
        Once for each input of the scenarios that cites a claim whose measure does not fit it
        (`paymodel.measures`).

    Examples
    --------
    >>> import paymodel as pm
    >>> table = pm.compare(["nis-estimate", "inss-mercenary"])
    >>> [r.regime_revenue_per_year_usd for r in table.results]
    [264000000.0, 320000000.0]
    """
    sources = scenario_sources(scenarios)
    samples = check_whole(samples, "samples", low=0, high=MAX_KEPT_SAMPLES)
    entropy = entropy_of(seed)
    chosen = [load(s) for s in sources]
    check_through(chosen, through)
    uncertain = [s for s in chosen if s.uncertain_inputs()] if samples else []
    check_array_values(
        "compare",
        {"samples": samples, "kept values a sample": sum(kept_columns(s) for s in uncertain)},
        "use fewer samples (--samples) or fewer scenarios",
        limit=MAX_ARRAY_VALUES,
    )
    with warn_misfits(chosen):
        simulations = tuple(
            simulate(
                s, samples, seed=entropy, keep_samples=True, through=through, executor=executor
            )
            if s in uncertain
            else None
            for s in chosen
        )
        results = tuple(compute(s, through=through) for s in chosen)
    return Comparison(tuple(chosen), results, simulations if samples else (), samples, entropy)
