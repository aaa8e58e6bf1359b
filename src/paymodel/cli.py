"""The ``paymodel`` command line: a thin layer over the Python API.

Every command takes a built-in scenario name or a file and ``--json`` for scripts. Bad
input of any kind prints one line on stderr and exits with status 2; ``--debug`` shows the
traceback instead. Exit status 1 means something else went wrong (or, for ``paymodel check``,
that a case gave other outputs than expected).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
import tomllib
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

from paymodel.display import terminal_text
from paymodel.errors import (
    ArgumentError,
    MeasureWarning,
    PaymodelError,
    SampleSizeWarning,
    ScenarioError,
    ScenarioFileError,
)

if TYPE_CHECKING:
    from paymodel.scenario import Scenario
    from paymodel.simulate import Simulation

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

#: The most values (points × printed columns) `paymodel sweep` prints as text or JSON, which
#: are built whole before they are written: JSON's nested lists take some 160 bytes of memory
#: a value (a million points of 13 outputs peaked at 2 GB), a text table as much. CSV is
#: streamed (`paymodel.sweep.Sweep.write_csv`): any grid `paymodel.sweep.sweep` holds.
_MAX_PRINTED_VALUES = 5_000_000


class _Terminal:
    """A text stream whose every write passes through `paymodel.display.terminal_text`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_text(text))

    def rewrite_line(self, text: str) -> None:
        """Write ``text`` over the current line (a progress line).

        Its carriage return is the one that reaches the terminal as it is: `terminal_text`
        escapes any other.
        """
        self._stream.write("\r" + terminal_text(text, lines=False))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()


class _UsageError(Exception):
    """Bad command-line arguments (argparse's complaint, as one line)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("paymodel").strip()
        where = f"{command}: " if command else ""
        raise _UsageError(f"{where}{message} (see `{self.prog} --help`)")


def _scenario_argument(
    parser: argparse.ArgumentParser,
    many: bool = False,
    *,
    settings: bool = True,
    through: bool = False,
) -> None:
    from paymodel.catalogue import builtin_names

    names = ", ".join(builtin_names())
    parser.add_argument(
        "scenario",
        nargs="*" if many else None,
        metavar="SCENARIO",
        help=f"a built-in scenario ({names}) or a TOML/JSON file",
    )
    if settings:  # sweep's own --set takes several values: a grid
        parser.add_argument(
            "--set",
            dest="settings",
            action="append",
            default=[],
            metavar="PATH=VALUE",
            help="one value for one input, e.g. deployment.troops=15000 (repeatable)",
        )
    parser.add_argument(
        "--currency",
        metavar="CODE=RATE",
        help="money also in another currency, its ISO code and units per dollar, e.g. "
        "KRW=1395 (sets or replaces the scenario's [currency])",
    )
    if through:
        parser.add_argument(
            "--through",
            metavar="MONTH",
            help="totals up to the end of this month: YYYY-MM with a calendar, or a month "
            "number (1 is the first); default: the whole deployment",
        )


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")


def _show(value: object) -> str:
    """`paymodel.messages.show`: a value cut to one short line (a 5,000-digit one too).

    Imported when a message needs it, as it loads pydantic.
    """
    from paymodel.messages import show

    return show(value)


_MOST_DIGITS = 30  # the largest power of ten `_whole` reads in scientific notation


def _whole(text: str) -> int:
    """A whole number as people write it: ``10000000``, ``10_000_000`` or ``1e7``.

    Scientific notation is taken only when it is exactly whole (``1e7``, not ``1.5`` or
    ``1e-3``); anything else is `argparse.ArgumentTypeError`, one line.
    """
    import decimal  # only for scientific notation

    plain = text.strip().replace("_", "")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        value = decimal.Decimal(plain)  # exact: 1e23 is 10**23, not the float nearest it
    except decimal.InvalidOperation:
        value = decimal.Decimal("NaN")
    # a small exponent, so that 1e999999999 is refused rather than built digit by digit
    scientific = value.is_finite() and "e" in plain.lower()
    if scientific and value.adjusted() <= _MOST_DIGITS and value == value.to_integral_value():
        return int(value)
    raise argparse.ArgumentTypeError(f"must be a whole number (got {_show(text)})")


def _positive(text: str, least: int = 1) -> int:
    value = _whole(text)
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least} (got {_show(value)})")
    return value


def _non_negative(text: str) -> int:
    return _positive(text, least=0)


def _number(text: str) -> float:
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {_show(text)})") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number (got {_show(text)})")
    return value


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        required=True,
        metavar="NAME",
        help="an output (e.g. regime_revenue_per_year_usd) or a layer's revenue, layer:NAME",
    )


def _report_warnings(caught: list[warnings.WarningMessage], err: TextIO) -> None:
    """Write each warning an analysis issued as one line on stderr."""
    for warning in caught:
        err.write(f"paymodel: warning: {warning.message}\n")


@contextlib.contextmanager
def _measure_warnings(err: TextIO) -> Iterator[None]:
    """Write each `MeasureWarning` the command's analysis issued as one line on stderr.

    Printed once the command has done its work (stdout, JSON included, stays clean); the
    exit status does not change. A command that fails prints its error line only.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MeasureWarning)
        yield
    _report_warnings(caught, err)


def _workers(text: str) -> int:
    from paymodel.workers import usable_cores

    value = _positive(text)
    cores = usable_cores()
    if value > cores:
        raise argparse.ArgumentTypeError(
            f"must be at most {cores}, the processor cores this process may use "
            f"(got {_show(value)})"
        )
    return value


def _workers_option(p: argparse.ArgumentParser, default: int | None = 1, *, only: str = "") -> None:
    p.add_argument(
        "--workers",
        type=_workers,
        default=default,
        metavar="W",
        help=f"{only}worker processes (default 1, at most the usable cores and what memory "
        "holds); results are identical",
    )


@contextlib.contextmanager
def _pool(
    command: str, asked: int, each_bytes: int, tasks: int | None = None
) -> Iterator[Executor | None]:
    """Up to ``asked`` worker processes of ``each_bytes`` (none for one), or a one-line refusal.

    ``tasks``, when known, caps the processes (more would idle); otherwise the pool starts
    no more processes than its first parallel work has tasks (`paymodel.workers.WorkerPool`).
    """
    from paymodel.workers import worker_pool, workers_that_fit

    workers = asked if tasks is None else min(asked, tasks)
    if workers <= 1:
        yield None
        return
    most, why = workers_that_fit(each_bytes)
    if workers > most:
        raise _UsageError(
            f"{command}: argument --workers: must be at most {most} here, {why} (got {asked})"
        )
    with worker_pool(workers) as pool:
        yield pool


def _seed(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative (got {_show(value)})")
    return value


def _version() -> str:
    from paymodel import __version__

    return __version__


def _load(source: str, args: argparse.Namespace | None = None) -> Scenario:
    """:func:`paymodel.load`, with an unreadable name as bad input rather than a crash.

    With ``args``, its ``--currency CODE=RATE`` and then its ``--set PATH=VALUE`` settings
    are applied (re-validated), so that ``--set currency.per_usd=...`` can change the rate
    ``--currency`` gives.
    """
    from paymodel.catalogue import load
    from paymodel.edits import with_currency, with_settings

    try:
        scenario = load(source)
    except OSError as error:  # e.g. a name too long for the file system
        shown = source if source.isprintable() and len(source) <= 80 else repr(source[:80])
        reason = error.strerror or type(error).__name__
        raise ScenarioFileError(f"{shown}: cannot read ({reason})") from error
    scenario = with_currency(scenario, getattr(args, "currency", None))
    return with_settings(scenario, getattr(args, "settings", None) or [])


def _compare_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.compare import DEFAULT_SAMPLES as COMPARE_SAMPLES
    from paymodel.compare import DEFAULT_SEED as COMPARE_SEED

    _scenario_argument(p, many=True, through=True)
    p.add_argument(
        "--samples",
        type=_non_negative,
        default=COMPARE_SAMPLES,
        metavar="N",
        help=f"draws per scenario with distributions for the simulated median and 90 %% "
        f"interval (default {COMPARE_SAMPLES:,}; 0: point estimates only)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=COMPARE_SEED,
        metavar="S",
        help=f"seed of the simulations (default {COMPARE_SEED}, so the table repeats)",
    )
    _workers_option(p)
    _json_flag(p)


def _kept_simulation_bytes(scenarios: Sequence[Scenario] | None) -> int:
    """What a `compare` or `report` worker holds: a task of a simulation keeping its samples.

    A task is simulate's chunk (4 blocks), for the largest of the scenarios (the built-ins
    when ``None``).
    """
    from paymodel.catalogue import builtin_names, load
    from paymodel.sampling import BLOCK_SIZE
    from paymodel.simulate import worker_bytes

    chosen = scenarios or [load(name) for name in builtin_names()]  # cached by the catalogue
    return max(worker_bytes(s, 4 * BLOCK_SIZE, keep_samples=True) for s in chosen)


def _several(args: argparse.Namespace) -> list[Scenario] | None:
    """The scenarios of `compare` or `report`, loaded (bad input before any work).

    Those named, or every built-in when ``--set`` or ``--currency`` edits them, with the
    edits applied; ``None`` for the built-ins as they are.
    """
    from paymodel.catalogue import builtin_names

    chosen = args.scenario or (builtin_names() if args.settings or args.currency else None)
    return [_load(name, args) for name in chosen] if chosen else None


def _compare(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.compare import compare
    from paymodel.sampling import BLOCK_SIZE
    from paymodel.workers import task_count

    loaded = _several(args)
    each = _kept_simulation_bytes(loaded) if args.workers > 1 else 0  # no pool for one
    tasks = task_count(args.samples, 4 * BLOCK_SIZE) if args.samples else 1
    with _pool("compare", args.workers, each, tasks) as executor, _measure_warnings(args.stderr):
        table = compare(
            loaded,
            through=args.through,
            samples=args.samples,
            seed=args.seed,
            executor=executor,
        )
        out.write((table.to_json() if args.json else table.to_text()) + "\n")
    return EXIT_OK


def _run_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_argument(p, through=True)
    _json_flag(p)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.compute import compute

    scenario = _load(args.scenario, args)
    with _measure_warnings(args.stderr):
        result = compute(scenario, through=args.through)
        out.write((result.to_json() if args.json else result.to_text()) + "\n")
    if not args.json and scenario.uncertain_inputs():
        from paymodel.messages import point_estimate_note

        out.write(terminal_text(point_estimate_note(scenario.name, args.scenario)) + "\n")
    return EXIT_OK


def _simulate_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.sampling import BLOCK_SIZE, METHODS

    _scenario_argument(p, through=True)
    p.add_argument(
        "--samples",
        type=_positive,
        default=100_000,
        metavar="N",
        help="number of samples (default 100,000)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="S",
        help="seed for a reproducible run (default: fresh, printed in the result)",
    )
    p.add_argument(
        "--method",
        choices=METHODS,
        default="mc",
        help="mc (Monte Carlo), lhs (Latin hypercube) or sobol (default mc)",
    )
    p.add_argument(
        "--chunk-size",
        type=_positive,
        default=4 * BLOCK_SIZE,
        metavar="C",
        help=f"samples per task, in whole blocks of {BLOCK_SIZE:,} (default "
        f"{4 * BLOCK_SIZE:,}); changes memory use, never results",
    )
    _workers_option(p)
    p.add_argument(
        "--keep-samples",
        action="store_true",
        help="keep every sample: exact percentiles, memory grows with N",
    )
    p.add_argument(
        "--output",
        dest="outputs",
        action="append",
        metavar="NAME",
        help="an output or layer to simulate (repeatable); only those are computed and "
        "summarised (default: every one)",
    )
    _json_flag(p)


def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.simulate import simulate, worker_bytes
    from paymodel.workers import task_count

    scenario = _load(args.scenario, args)
    # simulate() checks --output before any work (no worker starts before it), and main
    # names the flag in its message, as for every argument the Python API checks.
    err = cast(_Terminal, args.stderr)  # main's
    show_progress = args.samples >= 2_000_000 and err.isatty()

    def progress(done: int, total: int) -> None:
        err.rewrite_line(f"simulate: {100 * done / total:5.1f} % ({done:,} of {total:,} samples)")
        if done == total:
            err.write("\n")
        err.flush()

    def run(executor: Executor | None) -> Simulation:
        return simulate(
            scenario,
            args.samples,
            seed=args.seed,
            method=args.method,
            chunk_size=args.chunk_size,
            executor=executor,
            keep_samples=args.keep_samples,
            progress=progress if show_progress else None,
            through=args.through,
            outputs=args.outputs,
        )

    each = worker_bytes(scenario, args.chunk_size, args.keep_samples)
    tasks = task_count(args.samples, args.chunk_size)
    with _pool("simulate", args.workers, each, tasks) as executor:
        result = run(executor)
    out.write((result.to_json() if args.json else result.to_text()) + "\n")
    return EXIT_OK


def _explain_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_argument(p, through=True)
    _json_flag(p)


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.explain import explain

    scenario = _load(args.scenario, args)
    with _measure_warnings(args.stderr):
        explanation = explain(scenario, through=args.through)
        out.write((explanation.to_json() if args.json else explanation.to_text()) + "\n")
    return EXIT_OK


def _check_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.checks import CHECK_SUFFIX

    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help=f"*{CHECK_SUFFIX} files or folders holding them (default: the checks shipped with "
        "paymodel, which reproduce published estimates)",
    )
    _json_flag(p)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.checks import run_checks

    checks = run_checks(args.files or None)  # every file is validated before any case runs
    out.write((checks.to_json() if args.json else checks.to_text()) + "\n")
    return EXIT_OK if checks.passed else EXIT_FAILURE


#: The heading of a report whose command line gives no --title.
_REPORT_TITLE = "Where the money goes"


def _report_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.report import FORMATS as REPORT_FORMATS

    _scenario_argument(p, many=True, through=True)
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="the file to write: .html, or .md with its charts in FILE_files/ beside it",
    )
    p.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default=None,
        help="html or md (default: from the file name, .html or .md)",
    )
    p.add_argument(
        "--samples",
        type=_positive,
        default=10_000,
        metavar="N",
        help="samples per scenario for intervals and histograms (default 10,000)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="S",
        help="seed for a reproducible report (default: fresh, recorded in the report)",
    )
    p.add_argument(
        "--output",
        action="append",
        dest="outputs",
        metavar="NAME",
        help="an output whose distribution and tornado each scenario shows; repeat for "
        "several (default: regime_revenue_per_year_usd and take_home_per_tour_usd)",
    )
    p.add_argument(
        "--title",
        default=_REPORT_TITLE,
        help=f"the report's heading (default: {_REPORT_TITLE})",
    )
    _workers_option(p)
    _json_flag(p)


def _repeat_options(args: argparse.Namespace) -> list[str]:
    """The scenarios as named on this command line and the options that edited them."""
    options = list(args.scenario)
    for setting in args.settings:
        options += ["--set", setting]
    if args.currency is not None:
        options += ["--currency", args.currency]
    return options


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.catalogue import builtin_names
    from paymodel.files import shown_name
    from paymodel.report import DEFAULT_OUTPUTS, image_folder, report, report_format
    from paymodel.sampling import entropy_of
    from paymodel.workers import evaluation_worker_bytes

    loaded = _several(args)
    outputs = tuple(args.outputs) if args.outputs else DEFAULT_OUTPUTS
    # A worker holds a task of a simulation keeping its samples, or a slice of a timeline.
    each = max(evaluation_worker_bytes(), _kept_simulation_bytes(loaded))
    seed = entropy_of(args.seed)  # drawn here when not given, so that --json can give it
    try:
        with _pool("report", args.workers, each) as executor, _measure_warnings(args.stderr):
            written = report(
                # the scenarios as edited, else their names
                loaded if args.settings or args.currency else args.scenario or None,
                args.out,
                args.format,
                samples=args.samples,
                seed=seed,
                outputs=outputs,
                title=args.title,
                through=args.through,
                executor=executor,
                repeat=_repeat_options(args),
            )
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise _UsageError(f"report: cannot write {shown_name(args.out)} ({reason})") from error
    kind = report_format(written, args.format)
    charts = image_folder(written) if kind == "md" else None
    if args.json:
        document: dict[str, object] = {
            "path": str(written),
            "format": kind,
            "charts": None if charts is None else str(charts),
            "scenarios": [s.name for s in loaded] if loaded else list(builtin_names()),
            "samples": args.samples,
            "seed": seed,
        }
        out.write(json.dumps(document, indent=2) + "\n")
    elif charts is not None:
        folder = shown_name(f"{charts}{os.sep}")
        out.write(f"wrote {shown_name(written)} and its charts in {folder}\n")
    else:
        out.write(f"wrote {shown_name(written)}\n")
    return EXIT_OK


def _sweep_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_argument(p, settings=False, through=True)
    p.add_argument(
        "--set",
        dest="grid",
        action="append",
        required=True,
        metavar="PATH=VALUES",
        help="an input and its values, a,b,c or start:stop:count (repeat for more axes), "
        "e.g. deployment.troops=11000:15000:5",
    )
    p.add_argument(
        "--output",
        dest="outputs",
        action="append",
        metavar="NAME",
        help="an output or layer to show (repeatable); default: every one for --json and "
        "--csv, the main four for text",
    )
    _workers_option(p)
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    shape.add_argument("--csv", action="store_true", help="one CSV line per grid point on stdout")


def _sweep(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.sweep import (
        MAX_AXES,
        TEXT_OUTPUTS,
        axis_path,
        columns_per_point,
        grid_size,
        sweep,
    )
    from paymodel.workers import evaluation_worker_bytes

    scenario = _load(args.scenario, args)
    grid = []
    for given in args.grid:
        path, equals, values = given.rpartition("=")
        if not equals or not path.strip():
            raise _UsageError(
                f"sweep: --set {given!r}: give PATH=VALUES, e.g. deployment.troops=11000:15000:5"
            )
        grid.append((path.strip(), values))
        # The path first, unless the axes are too many (grid_size says so).
        if len(args.grid) <= MAX_AXES:
            try:  # named by its flag (sweep checks it again, as its owner)
                axis_path(scenario, path.strip())
            except ScenarioError as error:
                raise _UsageError(f"sweep: argument --set: {error}") from error
    points = grid_size(grid)  # before any work: JSON or text of 10⁸ points needs 100s of GB
    if not args.csv:
        if args.outputs:
            columns = len(args.outputs)
        elif args.json:
            columns = columns_per_point(scenario)
        else:
            columns = len(TEXT_OUTPUTS)
        printed = points * (columns + len(grid))
        if printed > _MAX_PRINTED_VALUES:
            shape = "JSON" if args.json else "text"
            raise _UsageError(
                f"sweep: {points:,} points × {columns + len(grid)} columns is {printed:,} "
                f"values; at most {_MAX_PRINTED_VALUES:,} as {shape}, which is built whole "
                "(--csv streams larger grids; choose outputs with --output, sweep fewer values, "
                "or split the grid)"
            )
    with _pool("sweep", args.workers, evaluation_worker_bytes()) as executor:
        result = sweep(scenario, grid, through=args.through, executor=executor)
    if args.json:
        out.write(result.to_json(args.outputs) + "\n")
    elif args.csv:
        result.write_csv(out, args.outputs)
    else:
        out.write(result.to_text(args.outputs) + "\n")
    return EXIT_OK


def _solve_arguments(p: argparse.ArgumentParser) -> None:
    _scenario_argument(p, through=True)
    p.add_argument(
        "--vary", required=True, metavar="PATH", help="the input to vary, e.g. diversion.0.share"
    )
    p.add_argument(
        "--target",
        required=True,
        metavar="NAME=VALUE",
        help="the output and the value to reach, e.g. take_home_monthly_usd=500",
    )
    _json_flag(p)


def _solve(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.solve import parse_target, solve

    scenario = _load(args.scenario, args)
    try:  # the path first, named by its flag (solve checks it again, as its owner)
        scenario.variable_input(args.vary)
    except ScenarioError as error:
        raise _UsageError(f"solve: argument --vary: {error}") from error
    solution = solve(scenario, args.vary, parse_target(args.target), through=args.through)
    out.write((solution.to_json() if args.json else solution.to_text()) + "\n")
    return EXIT_OK


def _timeline_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.calendar import PERIODS
    from paymodel.sampling import METHODS

    _scenario_argument(p, through=True)
    p.add_argument(
        "--by",
        choices=PERIODS,
        default="month",
        help="one row per month (default), quarter or year",
    )
    p.add_argument(
        "--samples",
        type=_non_negative,
        default=None,
        metavar="N",
        help="samples for the percentile bands of an uncertain scenario (default 10,000; "
        "0 for none)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="S",
        help="seed for reproducible bands (default: fresh)",
    )
    p.add_argument("--method", choices=METHODS, default="mc", help="mc, lhs or sobol (default mc)")
    _workers_option(p)
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    shape.add_argument("--csv", action="store_true", help="one CSV line per month on stdout")


def _timeline(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.timeline import timeline
    from paymodel.workers import evaluation_worker_bytes

    scenario = _load(args.scenario, args)
    with _pool("timeline", args.workers, evaluation_worker_bytes()) as executor:
        line = timeline(
            scenario,
            samples=args.samples,
            seed=args.seed,
            method=args.method,
            through=args.through,
            by=args.by,
            executor=executor,
        )
    if args.csv:
        out.write(line.to_csv())
    else:
        out.write((line.to_json() if args.json else line.to_text()) + "\n")
    return EXIT_OK


def _sensitivity_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.sensitivity import METHODS as SENSITIVITY_METHODS

    _scenario_argument(p, through=True)
    _output_option(p)
    p.add_argument(
        "--method",
        choices=SENSITIVITY_METHODS,
        default="tornado",
        help="tornado (each input p5 to p95, the others at medians) or sobol (shares of the "
        "variance, with bootstrap intervals); default tornado",
    )
    p.add_argument(
        "--samples",
        type=_positive,
        default=None,
        metavar="N",
        help="sobol: base sample size N, N·(d + 2) evaluations (default 8,192)",
    )
    p.add_argument(
        "--seed", type=_seed, default=None, metavar="S", help="sobol: seed (default: fresh)"
    )
    p.add_argument(
        "--bootstrap",
        type=_positive,
        default=None,
        metavar="B",
        help="sobol: bootstrap resamples behind the intervals (default 1,000)",
    )
    p.add_argument(
        "--confidence",
        type=_number,
        default=None,
        metavar="C",
        help="sobol: level of the intervals (default 0.95)",
    )
    _workers_option(p, default=None, only="sobol: ")
    _json_flag(p)


def _sensitivity(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.sensitivity import sensitivity
    from paymodel.workers import evaluation_worker_bytes

    options = {
        name: getattr(args, name)
        for name in ("samples", "seed", "bootstrap", "confidence", "workers")
        if getattr(args, name) is not None
    }
    if args.method == "tornado" and options:
        flags = ", ".join(f"--{name}" for name in options)
        verb = "applies" if len(options) == 1 else "apply"
        raise _UsageError(f"sensitivity: {flags} {verb} only to --method sobol")
    scenario = _load(args.scenario, args)
    workers = options.pop("workers", 1)
    with (
        _pool("sensitivity", workers, evaluation_worker_bytes()) as executor,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always", SampleSizeWarning)
        if executor is not None:
            options["executor"] = executor
        if args.through is not None:
            options["through"] = args.through
        result = sensitivity(scenario, args.output, args.method, **options)
    out.write((result.to_json() if args.json else result.to_text()) + "\n")
    _report_warnings(caught, args.stderr)
    return EXIT_OK


def _discover_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.sampling import METHODS

    _scenario_argument(p, through=True)
    _output_option(p)
    p.add_argument("--above", type=_number, default=None, metavar="X", help="output above X")
    p.add_argument("--below", type=_number, default=None, metavar="X", help="output below X")
    p.add_argument(
        "--samples", type=_positive, default=20_000, metavar="N", help="samples (default 20,000)"
    )
    p.add_argument("--seed", type=_seed, default=None, metavar="S", help="seed (default: fresh)")
    p.add_argument(
        "--method", choices=METHODS, default="mc", help="sampling: mc, lhs or sobol (default mc)"
    )
    p.add_argument(
        "--peel-alpha",
        type=_number,
        default=0.05,
        metavar="A",
        help="share of the box's samples one peeling step cuts off (default 0.05)",
    )
    p.add_argument(
        "--paste-alpha",
        type=_number,
        default=0.05,
        metavar="A",
        help="share of the box's samples one pasting step may add (default 0.05)",
    )
    p.add_argument(
        "--min-mass",
        type=_number,
        default=None,
        metavar="M",
        help="smallest share of all samples a box may hold (default 0.05, or half the "
        "share meeting the condition if smaller)",
    )
    p.add_argument(
        "--threshold",
        type=_number,
        default=0.8,
        metavar="T",
        help="density the chosen box must reach, if any box does (default 0.8)",
    )
    _workers_option(p)
    _json_flag(p)


def _discover(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.discover import check_discovery, discover, prim_values_per_sample
    from paymodel.sampling import BLOCK_SIZE
    from paymodel.simulate import largest_kept_samples, simulate, worker_bytes
    from paymodel.workers import task_count

    parameters = {
        "above": args.above,
        "below": args.below,
        "peel_alpha": args.peel_alpha,
        "paste_alpha": args.paste_alpha,
        "min_mass": args.min_mass,
        "threshold": args.threshold,
    }
    scenario = _load(args.scenario, args)
    try:  # every check before the simulation (main names each flag, as for every command)
        check_discovery(scenario, args.output, **parameters)
    except ArgumentError as error:
        if error.argument == "condition":
            raise _UsageError("discover: give the condition, --above X and/or --below X") from error
        raise
    uncertain = len(scenario.uncertain_inputs())
    largest = largest_kept_samples(scenario, prim_values_per_sample(uncertain))
    if args.samples > largest:  # every sample is kept, and PRIM copies the inputs
        raise _UsageError(
            f"discover: argument --samples: must be at most {largest:,} for this scenario, "
            f"whose samples are all kept in memory (got {args.samples:,})"
        )
    chunk_size = BLOCK_SIZE  # a task a block: the most parallel the draws allow
    each = worker_bytes(scenario, chunk_size, keep_samples=True)
    with _pool("discover", args.workers, each, task_count(args.samples, chunk_size)) as executor:
        simulation = simulate(
            scenario,
            args.samples,
            seed=args.seed,
            method=args.method,
            keep_samples=True,
            executor=executor,
            through=args.through,
        )
    found = discover(simulation, args.output, **parameters)
    out.write((found.to_json() if args.json else found.to_text()) + "\n")
    return EXIT_OK


def _sources_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help="show only these claims")
    _json_flag(p)


def _sources(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.sources import check_claim_ids, claim, claims

    check_claim_ids(args.ids, where="sources")
    chosen = [claim(i) for i in args.ids] if args.ids else list(claims())
    if args.json:
        out.write(json.dumps([c.to_dict() for c in chosen], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for c in chosen:
        out.write(f"{c.id}  [{c.status}]  {c.quantity}: {c.figure()}  (measure: {c.measure})\n")
        out.write(f"    {c.claimed_by}; reported in {c.reported_in}; {c.when} ({c.period})\n")
        if c.title is not None:
            out.write(f"    title: {c.title}\n")
        if c.url is not None:
            out.write(f"    url: {c.url}\n")
        if c.note:
            out.write(f"    {c.note}\n")
    return EXIT_OK


def _schema_arguments(p: argparse.ArgumentParser) -> None:
    _json_flag(p)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.schema import scenario_schema

    out.write(json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _init_arguments(p: argparse.ArgumentParser) -> None:
    from paymodel.files import TEMPLATES

    p.add_argument("file", metavar="FILE", help="where to write: a .toml name (commented) or .json")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--template",
        choices=tuple(TEMPLATES),
        default="deployment",
        help="one [deployment] (default), or several [[contingents]] over a calendar",
    )
    _json_flag(p)


#: What `paymodel init` says about a file in the way: it writes over nothing unless told to.
_INIT_REMEDY = "add --force to overwrite it, or choose another name"


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from paymodel.files import (
        TEMPLATES,
        check_replaceable,
        file_kind,
        load_scenario_file,
        scenario_from_dict,
        shown_name,
        template_for,
        write_atomic,
    )

    target = Path(args.file)
    shown = shown_name(target)
    try:
        kind, folder = file_kind(target, "write"), file_kind(target.parent, "write")
        if kind == "folder":
            raise _UsageError(
                f"init: {shown} is a directory; give a file name such as "
                f"{shown_name(target / 'scenario.toml')}"
            )
        template = template_for(target, args.template)  # before anything else: TOML or JSON
        if not args.force:  # a scenario file is the user's to edit: never replaced unasked
            check_replaceable(target, None, what="scenario file", remedy=_INIT_REMEDY)
    except ScenarioFileError as error:
        raise _UsageError(f"init: {error}") from None
    if folder != "folder":
        raise _UsageError(f"init: directory {shown_name(target.parent)} does not exist")
    # The template must load as written; check before touching the file system.
    scenario_from_dict(tomllib.loads(TEMPLATES[args.template]), where="the starting template")
    try:
        write_atomic(target, template)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise _UsageError(f"init: cannot write {shown} ({reason})") from error
    load_scenario_file(target)
    if args.json:
        out.write(json.dumps({"path": str(target), "template": args.template}, indent=2) + "\n")
    else:
        out.write(f"wrote {shown}; try `paymodel run {shown}`\n")
    return EXIT_OK


@dataclass(frozen=True)
class _Command:
    """One command: its one-line summary, its arguments, and what it does."""

    summary: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO], int]


_COMMANDS: dict[str, _Command] = {
    "compare": _Command(
        "the built-in scenarios (or those named) side by side",
        _compare_arguments,
        _compare,
    ),
    "run": _Command(
        "point estimate of one scenario",
        _run_arguments,
        _run,
    ),
    "explain": _Command(
        "each input with its claims, each output's arithmetic",
        _explain_arguments,
        _explain,
    ),
    "simulate": _Command(
        "Monte Carlo: the distribution of every output",
        _simulate_arguments,
        _simulate,
    ),
    "sensitivity": _Command(
        "which assumption moves an output most (tornado or Sobol indices)",
        _sensitivity_arguments,
        _sensitivity,
    ),
    "timeline": _Command(
        "month by month: headcount, deaths, arrivals, pay and revenue",
        _timeline_arguments,
        _timeline,
    ),
    "sweep": _Command(
        "every output over a grid of assumptions",
        _sweep_arguments,
        _sweep,
    ),
    "solve": _Command(
        "the value of one assumption that gives a target",
        _solve_arguments,
        _solve,
    ),
    "discover": _Command(
        "the ranges of the inputs where an output is above or below a value",
        _discover_arguments,
        _discover,
    ),
    "report": _Command(
        "a self-contained HTML (or Markdown) report with charts",
        _report_arguments,
        _report,
    ),
    "check": _Command(
        "run scenario test files: the figures scenarios must reproduce",
        _check_arguments,
        _check,
    ),
    "sources": _Command(
        "the dated public claims scenarios cite",
        _sources_arguments,
        _sources,
    ),
    "schema": _Command(
        "the JSON Schema of scenario files",
        _schema_arguments,
        _schema,
    ),
    "init": _Command(
        "write a commented starting scenario file",
        _init_arguments,
        _init,
    ),
}


def _build_parser(chosen: str | None = None) -> _Parser:
    """The parser, with the arguments of the command ``chosen`` only (see `_chosen_command`).

    A command's arguments name constants of the modules that run it (the report's formats,
    the sampling methods, the built-ins' names), so building every command's arguments would
    import every module: ``paymodel run`` would load the report and the charts.
    """
    parser = _Parser(
        prog="paymodel",
        description="Where does the money go when a state sends its soldiers abroad for pay?",
    )
    debug_help = "list every problem found, then the traceback"
    parser.add_argument("--debug", action="store_true", help=debug_help)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    # --debug is accepted after the command too; SUPPRESS keeps a subcommand from resetting it.
    common = _Parser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, command in _COMMANDS.items():
        p = sub.add_parser(
            name, help=command.summary, description=command.summary, parents=[common]
        )
        if name == chosen:
            command.arguments(p)
    return parser


def _flag(command: str, argument: str | None) -> str | None:
    """The option of ``command`` that gives the Python API's parameter ``argument``, if any.

    ``through`` is ``--through``, ``peel_alpha`` ``--peel-alpha``, and ``outputs`` (a list)
    ``--output``, which is given once for each.

    Examples
    --------
    >>> _flag("sensitivity", "samples"), _flag("simulate", "outputs"), _flag("run", "samples")
    ('--samples', '--output', None)
    """
    if not argument:
        return None
    parser = _Parser(prog=f"paymodel {command}", add_help=False)
    _COMMANDS[command].arguments(parser)
    flags = set(re.findall(r"--[a-z][a-z-]*", parser.format_usage()))
    for name in (argument, argument.removesuffix("s")):
        flag = "--" + name.replace("_", "-")
        if flag in flags:
            return flag
    return None


def _chosen_command(arguments: Sequence[str]) -> str | None:
    """The command the arguments name: the first that is not an option, if any.

    Before the command come only ``--debug``, ``--help`` and ``--version``, none of which
    takes a value; ``paymodel --help`` lists the commands by their summaries alone.
    """
    return next((a for a in arguments if not a.startswith("-")), None)


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when omitted.
    stdout, stderr
        Where to write; the process's streams when omitted.

    Returns
    -------
    int
        0 on success, 2 for bad input (one line on stderr), 1 for anything else.
    """
    # Everything printed passes through display.terminal_text: a title or a file name can
    # hold escape sequences or bidirectional overrides, shown escaped, never acted on.
    out = cast(TextIO, _Terminal(sys.stdout if stdout is None else stdout))
    err = cast(TextIO, _Terminal(sys.stderr if stderr is None else stderr))
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    try:
        try:
            with contextlib.redirect_stdout(out):  # --help and --version print to `out`
                args = _build_parser(_chosen_command(arguments)).parse_args(arguments)
        except SystemExit as stop:  # --help and --version print and stop
            return stop.code if isinstance(stop.code, int) else EXIT_OK
        debug = bool(getattr(args, "debug", False))
        args.stderr = err
        try:
            return _COMMANDS[args.command].run(args, out)
        except ArgumentError as error:  # named as the Python API names it: name the flag
            flag = _flag(args.command, error.argument)
            rule = error.rule or str(error).removeprefix(f"{error.argument}: ")
            if flag is None or rule == str(error):
                raise
            raise _UsageError(f"{args.command}: argument {flag}: {rule}") from error
    except (_UsageError, PaymodelError) as error:
        if debug:
            for line in _problems(error):
                err.write(f"paymodel: problem: {line}\n")
            raise
        err.write(f"paymodel: error: {_one_line(error)}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`paymodel sources | head`); say nothing more.
        if stdout is None:  # so that flushing at exit does not complain again
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # What the file system refused and no command caught: a name too long, a full disk,
        # no permission. Bad input or a bad place, not a bug: one line, as for bad input.
        if debug:
            raise
        from paymodel.files import shown_name

        name = f"{shown_name(error.filename)}: " if isinstance(error.filename, str) else ""
        reason = error.strerror or _one_line(error, type(error).__name__ + ": ")
        err.write(f"paymodel: error: {name}{reason}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err.write("paymodel: interrupted\n")
        return 130
    except Exception as error:
        if debug:
            raise
        err.write(
            f"paymodel: internal error: {_one_line(error, type(error).__name__ + ': ')} "
            "(run again with --debug for a traceback, and report it)\n"
        )
        return EXIT_FAILURE


def _problems(error: BaseException) -> tuple[str, ...]:
    """Every problem an error found, one line each (``--debug`` lists them), when several."""
    cause: BaseException | None = error
    while cause is not None:
        problems = getattr(cause, "problems", ())
        if problems:
            return tuple(problems)
        cause = cause.__cause__  # a message wrapped around the validation error's own
    return ()


def _one_line(error: BaseException, prefix: str = "") -> str:
    """The error's message on one line (a message is one line; this makes sure of it)."""
    text = str(error) or type(error).__name__
    return prefix + " ".join(line.strip() for line in text.splitlines() if line.strip())
