"""Sweeps: every output over a grid of assumptions, in chunks of the kernel's broadcasts.

`sweep` takes a scenario and, for one or more numeric inputs addressed by dotted path,
the values to try. The grid is the product of those values: each input becomes an array
along its own axis, every other input keeps its point value (`paymodel.inputs`), and the
one kernel (`paymodel.kernel.evaluate`) broadcasts them — no loop over grid points. The
result, a `Sweep`, holds every output and each layer's revenue as an n-dimensional array
labelled by the axes.

A grid whose kernel arrays fit `paymodel.limits.MAX_ARRAY_VALUES` is one call of the kernel,
whose outputs are the results. A larger one is cut into chunks (`grid_chunks`, of
`chunk_points` points): blocks of points that are consecutive in C order, each one call of
the kernel on the same broadcast shapes within `paymodel.limits.WORKING_BYTES`, whose results
are written into arrays allocated once for the whole grid. The chunks run one after
the other, or on any `concurrent.futures.Executor` (`paymodel.workers.run_tasks`). The kernel
is elementwise, so the values do not depend on the chunks: they are bit-identical whatever
the chunk size, the executor or the number of workers.

Values are given as numbers, or as text the way the command line takes them: ``a,b,c``
or ``start:stop:count`` (``count`` evenly spaced values, both ends included).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel._optional import require
from paymodel.arguments import check_texts, check_type, check_whole, fail
from paymodel.calendar import through_months
from paymodel.contingents import Structure, evaluate_scenario
from paymodel.currency import is_money, layer_revenue_field, twin_key
from paymodel.display import number, output_values, table, terminal_text
from paymodel.errors import ArgumentError, ScenarioError
from paymodel.frames import data_frame
from paymodel.inputs import output_columns, varied_inputs
from paymodel.kernel import OUTPUT_NAMES
from paymodel.limits import (
    MAX_ARRAY_VALUES,
    check_array_values,
    kernel_values_per_point,
    points_at_once,
)
from paymodel.messages import type_name
from paymodel.outputs import LAYER_PREFIX, output_key
from paymodel.results import TableResult, json_document
from paymodel.scenario import Scenario, check_scenario
from paymodel.workers import check_executor, run_tasks

if TYPE_CHECKING:  # the optional extras, for annotations only
    import pandas as pd
    import xarray as xr

__all__ = [
    "CSV_ROWS_AT_ONCE",
    "MAX_AXES",
    "MAX_CHUNKS",
    "MAX_GRID_POINTS",
    "POINTS_PER_CHUNK",
    "TEXT_OUTPUTS",
    "Chunk",
    "Sweep",
    "axis_path",
    "chunk_points",
    "columns_per_point",
    "grid_chunks",
    "grid_size",
    "parse_number",
    "parse_values",
    "sweep",
]

#: The largest grid accepted. Memory bounds it further: the results (every output and layer
#: at every point) must fit `paymodel.limits.MAX_ARRAY_VALUES` (10,485,760 points with one
#: layer, 16 columns a point).
MAX_GRID_POINTS = 10**8

#: The most points of one chunk when the chunks run on an executor and no ``chunk_size`` is
#: given: a grid of a million points is 16 tasks, enough to keep the workers busy.
POINTS_PER_CHUNK = 1 << 16

#: The most chunks a sweep is cut into: a smaller ``chunk_size`` is raised to
#: points / `MAX_CHUNKS`, so that the list of tasks stays small.
MAX_CHUNKS = 10_000

#: The most axes of a grid: each is one dimension of every output array, and numpy arrays
#: have at most 64.
MAX_AXES = 32

#: Rows `Sweep.write_csv` formats at a time: some 10 MB of text with every output.
CSV_ROWS_AT_ONCE = 1 << 14

#: The outputs `Sweep.to_text` shows when none are chosen.
TEXT_OUTPUTS: tuple[str, ...] = (
    "take_home_monthly_usd",
    "take_home_per_tour_usd",
    "regime_revenue_per_year_usd",
    "diverted_share",
)

#: The one input that is true or false; a sweep takes it as 0 (false) and 1 (true).
_FLAG = "deployment.replace_losses"

_VALUES_FORM = "give VALUES as a,b,c or start:stop:count (e.g. 11000:15000:5)"

FloatArray = NDArray[np.float64]


def parse_number(text: str, where: str) -> float:
    """A finite number typed by a person: ``2000``, ``0.9``, ``1e9``, ``11_000``.

    Parameters
    ----------
    text
        The text.
    where
        What it is for, to start the error message (e.g. ``"deployment.troops"``).

    Raises
    ------
    ScenarioError
        When the text is not a finite number.

    Examples
    --------
    >>> parse_number("11_000", "deployment.troops")
    11000.0
    """
    try:
        value = float(text.strip())
    except ValueError:
        raise ScenarioError(f"{where}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ScenarioError(f"{where}: must be a finite number (got {text.strip()!r})")
    return value


@dataclass(frozen=True)
class _Span:
    """``start:stop:count``, kept unexpanded until the size of the grid is checked."""

    start: float
    stop: float
    count: int

    def values(self) -> FloatArray:
        return np.linspace(self.start, self.stop, self.count)


def _parse(text: str, where: str) -> _Span | FloatArray:
    """VALUES as text: a list or a span (a span stays unexpanded)."""
    text = text.strip()
    if not text:
        raise ScenarioError(f"{where}: no values; {_VALUES_FORM}")
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ScenarioError(f"{where}: {text!r} is not start:stop:count; {_VALUES_FORM}")
        start, stop = (parse_number(part, where) for part in parts[:2])
        try:
            count = int(parts[2].strip())
        except ValueError:
            raise ScenarioError(
                f"{where}: the count in {text!r} must be a whole number (got {parts[2].strip()!r})"
            ) from None
        if count < 2:
            raise ScenarioError(
                f"{where}: the count in {text!r} must be at least 2 (one value is written "
                "as just that value)"
            )
        if not math.isfinite(stop - start):  # linspace would step by ±inf and give NaN
            raise ScenarioError(
                f"{where}: the span {text!r} is too wide to divide into {count:,} values "
                f"(stop − start overflows a float); give a narrower range"
            )
        return _Span(start, stop, count)
    items = text.split(",")
    if any(not item.strip() for item in items):
        raise ScenarioError(f"{where}: an empty value in {text!r}; {_VALUES_FORM}")
    return np.array([parse_number(item, where) for item in items], dtype=np.float64)


def parse_values(text: str, where: str = "values") -> FloatArray:
    """The values of one axis, from ``a,b,c`` or ``start:stop:count``.

    Parameters
    ----------
    text
        A comma-separated list of numbers, or ``start:stop:count``: ``count`` (at least 2)
        evenly spaced values from ``start`` to ``stop``, both included.
    where
        What the values are for, to start an error message (the path).

    Raises
    ------
    ScenarioError
        With a one-line message when the text has neither form.

    Examples
    --------
    >>> parse_values("11000:15000:5").tolist()
    [11000.0, 12000.0, 13000.0, 14000.0, 15000.0]
    >>> parse_values("0.9, 0.95, 1").tolist()
    [0.9, 0.95, 1.0]
    """
    parsed = _parse(text, where)
    if isinstance(parsed, _Span):
        if parsed.count > MAX_GRID_POINTS:
            raise ScenarioError(
                f"{where}: {parsed.count:,} values; a sweep takes at most {MAX_GRID_POINTS:,}"
            )
        return parsed.values()
    return parsed


def _axis_values(given: ArrayLike | str, where: str) -> _Span | FloatArray:
    """One axis's values as given to `sweep`: text, a number, or a sequence of numbers."""
    if isinstance(given, str):
        if where == _FLAG:  # true and false may be written as words
            words = {"true": "1", "false": "0"}
            given = ",".join(words.get(x.strip().lower(), x) for x in given.split(","))
        return _parse(given, where)
    try:
        values = np.asarray(given, dtype=np.float64)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: the values must be numbers (got {given!r:.60})") from None
    if values.ndim == 0:
        values = values.reshape(1)
    if values.ndim != 1:
        raise ScenarioError(f"{where}: the values must be a flat list (got shape {values.shape})")
    if values.size == 0:
        raise ScenarioError(f"{where}: no values; {_VALUES_FORM}")
    if not np.isfinite(values).all():
        bad = values[~np.isfinite(values)][0]
        raise ScenarioError(f"{where}: must be a finite number (got {bad})")
    return values


_PAIR_EXAMPLE = "('deployment.troops', '11000:15000:5')"


def _pairs(
    grid: Mapping[str, ArrayLike | str] | Iterable[tuple[str, ArrayLike | str]],
) -> list[tuple[str, ArrayLike | str]]:
    """The grid as ``(path, values)`` pairs, each checked for its shape and its path's type."""
    if isinstance(grid, str | bytes) or not isinstance(grid, Mapping | Iterable):
        fail(
            "grid",
            f"must be a mapping of paths to values, or (path, values) pairs (got {grid!r:.60})",
            wrong_type=True,
        )
    pairs = list(grid.items()) if isinstance(grid, Mapping) else list(grid)
    for pair in pairs:
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            fail(
                "grid",
                f"each axis must be a (path, values) pair, such as {_PAIR_EXAMPLE} "
                f"(got {pair!r:.60})",
                wrong_type=True,
            )
        check_type(pair[0], str, "grid", f"a path as text, such as {_PAIR_EXAMPLE}")
    if not pairs:
        raise ArgumentError("sweep: give at least one path and its values", argument="grid")
    if len(pairs) > MAX_AXES:
        raise ArgumentError(
            f"sweep: {len(pairs)} paths are swept; at most {MAX_AXES} (one array dimension each)",
            argument="grid",
        )
    return pairs


def _parsed_grid(
    pairs: Sequence[tuple[str, ArrayLike | str]],
) -> tuple[list[tuple[str, _Span | FloatArray]], int]:
    """Each axis's values (spans unexpanded) and the number of grid points they make."""
    parsed = [(path, _axis_values(values, path)) for path, values in pairs]
    points = math.prod(
        values.count if isinstance(values, _Span) else values.size for _, values in parsed
    )
    return parsed, points


def grid_size(
    grid: Mapping[str, ArrayLike | str] | Iterable[tuple[str, ArrayLike | str]],
) -> int:
    """The number of points a grid makes, read without expanding it (or evaluating anything).

    Parameters
    ----------
    grid
        As for `sweep`.

    Raises
    ------
    ScenarioError
        When the grid's values cannot be read (see `parse_values`).

    Examples
    --------
    >>> grid_size({"deployment.troops": "11000:15000:10001", "diversion.0.share": [0.9, 1]})
    20002
    """
    return _parsed_grid(_pairs(grid))[1]


def axis_path(scenario: Scenario, path: str) -> str:
    """The canonical path of an input a sweep can vary (``deployment.replace_losses`` too).

    Raises
    ------
    ScenarioError
        When ``path`` is no input of the scenario that can vary (`Scenario.variable_input`).

    Examples
    --------
    >>> import paymodel as pm
    >>> axis_path(pm.builtin("independent-90"), "diversion.state treasury.share")
    'diversion.0.share'
    """
    return path if path == _FLAG else scenario.variable_input(path)[0]


def _check_domain(scenario: Scenario, path: str, values: FloatArray) -> str:
    """Check an axis's values against the input's domain; return the canonical path."""
    if path == _FLAG:
        wrong = values[(values != 0) & (values != 1)]
        if wrong.size:
            raise ScenarioError(
                f"{path}: is true or false; a sweep takes it as 0 or false, 1 or true "
                f"(got {wrong[0]:g})"
            )
        return _FLAG
    canonical, domain = scenario.variable_input(path)
    allowed = domain.allows(values)
    if not allowed.all():
        try:
            domain.check_number(float(values[~allowed][0]))
        except ValueError as error:
            raise ScenarioError(f"{path}: {error}") from None
    return canonical


@dataclass(frozen=True)
class Sweep(TableResult):
    """Every output of a scenario over a grid of assumptions.

    Each array has one dimension per axis, in the order the axes were given:
    ``outputs["regime_revenue_usd"][i, j]`` is the revenue at the ``i``-th value of the
    first path and the ``j``-th value of the second. ``sweep[name]`` gives an output or a
    layer's revenue by name.

    Attributes
    ----------
    scenario
        The scenario's name.
    axes
        ``(path, values)`` per axis: the path as given, the values tried.
    outputs
        Every output of `paymodel.OUTPUT_NAMES` by name, shaped by the axes (read-only
        arrays; an output that does not depend on an axis is repeated along it).
    layers
        Each layer's revenue [$] by layer name, shaped by the axes, ``"state transfer"`` and
        ``"in kind"`` first when there are transfers or goods at some grid point.
    currency
        The code of the scenario's currency (DESIGN §7), or ``None`` when it has none. With
        a code, `outputs` hold the twins of money (``paid_krw``) too, and `layer_twins` each
        layer's revenue in the currency.
    layer_twins
        Each layer's revenue in the currency, by layer name (``sweep["layer_krw:<name>"]``);
        empty without a currency.
    """

    scenario: str
    axes: tuple[tuple[str, FloatArray], ...]
    outputs: dict[str, FloatArray]
    layers: dict[str, FloatArray]
    currency: str | None = None
    layer_twins: dict[str, FloatArray] = field(default_factory=dict)

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths swept, in axis order."""
        return tuple(path for path, _ in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of values along each axis."""
        return tuple(len(values) for _, values in self.axes)

    @property
    def size(self) -> int:
        """The number of grid points."""
        return math.prod(self.shape)

    def __getitem__(self, name: str) -> FloatArray:
        """An output, or a layer's revenue (by the layer's name or ``"layer:<name>"``).

        With a currency, a twin too: ``sweep["paid_krw"]``, ``sweep["layer_krw:<name>"]``.
        """
        key = self._key(name)
        if key in self.outputs:
            return self.outputs[key]
        if key in self.layers:
            return self.layers[key]
        return self.layer_twins[key.partition(":")[2]]

    def _key(self, name: str) -> str:
        """An output's name, a layer's bare name, or a layer's twin ``"layer_krw:<name>"``."""
        key = output_key(name, tuple(self.layers), currency=self.currency)
        return key.removeprefix(LAYER_PREFIX)

    def _chosen(self, names: Sequence[str] | None) -> tuple[list[str], list[str]]:
        """Outputs and layers selected by name (every one when ``names`` is None).

        A layer is its bare name, its twin ``"layer_krw:<name>"``.
        """
        if names is None:
            layers = []
            for name in self.layers:
                layers.append(name)
                if self.currency is not None:  # then every layer has its twin
                    layers.append(str(twin_key(f"{LAYER_PREFIX}{name}", self.currency)))
            return list(self.outputs), layers
        keys = [self._key(name) for name in check_texts(names, "outputs", example="['paid_usd']")]
        if len(set(keys)) != len(keys):
            raise ScenarioError(f"output: a name is given twice in {', '.join(names)}")
        return [k for k in keys if k in self.outputs], [k for k in keys if k not in self.outputs]

    def _layer_column(self, layer: str) -> tuple[str, FloatArray]:
        """A chosen layer's column name (``layer:<name>``, or its twin's key) and array."""
        if layer in self.layers:
            return f"{LAYER_PREFIX}{layer}", self.layers[layer]
        return layer, self.layer_twins[layer.partition(":")[2]]

    def _columns(self, names: Sequence[str] | None) -> list[tuple[str, FloatArray]]:
        """``(column name, array)`` of the chosen outputs, then layers (``layer:<name>``)."""
        outputs, layers = self._chosen(names)
        return [(n, self.outputs[n]) for n in outputs] + [self._layer_column(n) for n in layers]

    def _grid_columns(self) -> list[FloatArray]:
        """Each axis's value at every grid point, in C order (the last axis fastest)."""
        grids = np.meshgrid(*(values for _, values in self.axes), indexing="ij")
        return [grid.ravel() for grid in grids]

    def to_dict(self, outputs: Sequence[str] | None = None) -> dict[str, Any]:
        """The JSON shape of ``paymodel sweep --json`` (DESIGN §5), with the layers.

        Parameters
        ----------
        outputs
            Names of the outputs and layers to include; every one by default.

        Returns
        -------
        dict
            ``{"scenario", "axes": [{"path", "values"}], "outputs": {name: nested lists},
            "layers": [{"name", "revenue_usd": nested lists}]}``; the nested lists are
            shaped by the axes. With a currency, the outputs include the twins of money and
            a layer has ``"revenue_krw"`` (when chosen, as ``layer_krw:<name>``).
        """
        chosen_outputs, chosen_layers = self._chosen(outputs)
        layers: dict[str, dict[str, Any]] = {}
        for layer in chosen_layers:
            twin = layer not in self.layers
            name = layer.partition(":")[2] if twin else layer
            field_name = layer_revenue_field(str(self.currency)) if twin else "revenue_usd"
            column = self._layer_column(layer)[1]
            layers.setdefault(name, {"name": name})[field_name] = column.tolist()
        return {
            "scenario": self.scenario,
            "axes": [{"path": path, "values": values.tolist()} for path, values in self.axes],
            "outputs": {name: self.outputs[name].tolist() for name in chosen_outputs},
            "layers": list(layers.values()),
        }

    def to_json(self, outputs: Sequence[str] | None = None, indent: int | None = 2) -> str:
        """`to_dict` as a JSON document."""
        return json_document(self.to_dict(outputs), indent)

    def to_csv(self, outputs: Sequence[str] | None = None) -> str:
        """One row per grid point: the axes' values, then the outputs and layers.

        Columns are the paths, the outputs' names and ``layer:<name>`` for each layer's
        revenue; numbers are written in full precision. The last axis varies fastest.
        `write_csv` writes the same text to a stream, a slice of rows at a time.
        """
        buffer = io.StringIO()
        self.write_csv(buffer, outputs)
        return buffer.getvalue()

    def write_csv(self, stream: TextIO, outputs: Sequence[str] | None = None) -> None:
        """`to_csv`'s text, written to ``stream`` `CSV_ROWS_AT_ONCE` rows at a time.

        Memory beyond the sweep's arrays is one slice of rows, whatever the grid's size:
        ``paymodel sweep --csv`` streams any grid `sweep` holds.

        Parameters
        ----------
        stream
            Where to write (a text file, ``sys.stdout``, a `io.StringIO`).
        outputs
            Names of the outputs and layers to include; every one by default.
        """
        if not callable(getattr(stream, "write", None)):
            fail("stream", f"must be a text stream, such as sys.stdout (got {type_name(stream)})")
        columns = self._columns(outputs)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*self.paths, *(name for name, _ in columns)])
        grid = [values for _, values in self.axes]
        for start in range(0, self.size, CSV_ROWS_AT_ONCE):
            stop = min(start + CSV_ROWS_AT_ONCE, self.size)
            at = np.unravel_index(np.arange(start, stop), self.shape)
            data = [*(v[i] for v, i in zip(grid, at, strict=True)), *(a[at] for _, a in columns)]
            writer.writerows(zip(*(column.tolist() for column in data), strict=True))
            stream.write(terminal_text(buffer.getvalue()))
            buffer.seek(0)
            buffer.truncate()

    def to_text(self, outputs: Sequence[str] | None = None) -> str:
        """A table for a terminal: a matrix per output for two axes, else one row per point.

        Parameters
        ----------
        outputs
            Names of the outputs and layers to show; by default `TEXT_OUTPUTS`.
        """
        columns = self._columns(TEXT_OUTPUTS if outputs is None else outputs)
        sizes = " × ".join(f"{path} ({len(values)})" for path, values in self.axes)
        lines = [f"{self.scenario}: sweep over {sizes}, {self.size:,} points"]
        if len(self.axes) == 2:
            (row_path, row_values), (column_path, column_values) = self.axes
            for name, array in columns:
                cells = output_values(name, array.ravel().tolist(), compact=True)
                width = array.shape[1]
                rows = [
                    [number(float(row_value)), *cells[i * width : (i + 1) * width]]
                    for i, row_value in enumerate(row_values)
                ]
                headers = [f"{row_path} \\ {column_path}", *map(number, column_values.tolist())]
                lines += ["", name, table(headers, rows, [True] * len(headers))]
            return terminal_text("\n".join(lines))
        headers, rows = self._point_rows(columns, self.size)
        return terminal_text("\n".join([*lines, table(headers, rows, [True] * len(headers))]))

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        """One row per grid point (at most 1,000 shown): the axes, then `TEXT_OUTPUTS`."""
        shown = min(self.size, 1000)
        sizes = " × ".join(f"{path} ({len(values)})" for path, values in self.axes)
        more = f"; the first {shown:,} shown" if shown < self.size else ""
        heading = f"{self.scenario}: sweep over {sizes}, {self.size:,} points{more}"
        headers, rows = self._point_rows(self._columns(TEXT_OUTPUTS), shown)
        return heading, headers, rows, [True] * len(headers)

    def _point_rows(
        self, columns: list[tuple[str, FloatArray]], count: int
    ) -> tuple[list[str], list[list[str]]]:
        """Headers, and one row per grid point for the first ``count``: axes, then outputs."""
        grid = self._grid_columns()
        shown = [output_values(name, array.ravel()[:count].tolist()) for name, array in columns]
        rows = [
            [number(float(column[i])) for column in grid] + [cells[i] for cells in shown]
            for i in range(count)
        ]
        return [*self.paths, *(name for name, _ in columns)], rows

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per grid point (needs ``paymodel[frame]``).

        Columns: the paths, every output, and ``layer:<name>`` for each layer's revenue;
        the last axis varies fastest, as in `to_csv`.
        """
        data: dict[str, FloatArray] = dict(zip(self.paths, self._grid_columns(), strict=True))
        for name, array in self._columns(None):
            data[name] = array.ravel()
        frame = data_frame(data)
        frame.attrs["scenario"] = self.scenario
        return frame

    def to_xarray(self) -> xr.Dataset:
        """An xarray Dataset with one dimension per path (needs ``paymodel[xarray]``).

        Data variables: every output, and ``layer:<name>`` for each layer's revenue; each
        dimension's coordinate holds the values tried.
        """
        xarray = require("xarray", "Sweep.to_xarray()")
        variables = {name: (self.paths, np.asarray(array)) for name, array in self._columns(None)}
        coords = dict(self.axes)
        dataset: xr.Dataset = xarray.Dataset(
            variables, coords=coords, attrs={"scenario": self.scenario}
        )
        return dataset


@dataclass(frozen=True)
class Chunk:
    """A block of grid points, consecutive in C order: one call of the kernel.

    The points with the leading axes at ``fixed``, axis ``len(fixed)`` from ``first`` to
    ``stop`` (excluded), and every value of the axes after it: in the flattened grid, the
    points ``start`` to ``start + size``.

    Attributes
    ----------
    fixed
        The index on each axis before the sliced one.
    first, stop
        The range of indices on the sliced axis.
    start
        The chunk's first point in the flattened grid (C order, the last axis fastest).
    shape
        The chunk's shape: ``(stop - first, *grid_shape[len(fixed) + 1:])``.
    """

    fixed: tuple[int, ...]
    first: int
    stop: int
    start: int
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        """The number of points in the chunk."""
        return math.prod(self.shape)

    @property
    def points(self) -> slice:
        """The chunk's points in the flattened grid."""
        return slice(self.start, self.start + self.size)

    def values(self, index: int, column: NDArray[np.generic]) -> NDArray[np.generic]:
        """Axis ``index``'s values in this chunk, shaped to broadcast over it (a view)."""
        axes = len(self.fixed) + len(self.shape)
        along = [1] * axes
        axis = len(self.fixed)
        if index < axis:
            return column[self.fixed[index] : self.fixed[index] + 1].reshape(along)
        along[index] = self.shape[index - axis]
        if index == axis:
            return column[self.first : self.stop].reshape(along)
        return column.reshape(along)


def columns_per_point(scenario: Scenario) -> int:
    """The most columns a `Sweep` of the scenario holds: the values it keeps a grid point.

    Every output of `paymodel.OUTPUT_NAMES` and every layer's revenue, ``"state transfer"``
    and ``"in kind"`` counted (a swept share or transfer may add them), and with a currency
    the twin of each money output and layer. `sweep` checks its memory with it, and
    ``paymodel sweep --json`` the size of what it prints.

    Parameters
    ----------
    scenario
        The scenario swept.

    Examples
    --------
    >>> import paymodel as pm
    >>> columns_per_point(pm.builtin("independent-90"))  # 13 outputs + (1 + 2) layers
    16
    >>> won = pm.builtin("independent-90").evolve(currency={"code": "KRW", "per_usd": 1395})
    >>> columns_per_point(won)  # 16 + 8 money outputs' twins + 3 layers' twins
    27
    """
    layer_count = len(scenario.layer_names()) + 2  # "state transfer" and "in kind" may appear
    columns = len(OUTPUT_NAMES) + layer_count
    if scenario.currency is not None:  # the twins: each money output and layer once more
        columns += sum(map(is_money, OUTPUT_NAMES)) + layer_count  # every layer is money
    return columns


def grid_chunks(shape: Sequence[int], largest: int) -> list[Chunk]:
    """Cut a grid into chunks of at most ``largest`` points, consecutive in C order.

    The first axis is sliced when the axes after it make at most ``largest`` points;
    otherwise each index of the first axis is cut the same way along the next axis, and so
    on. A chunk holds more than ``largest / 2`` points unless it ends a row.

    Parameters
    ----------
    shape
        The number of values along each axis.
    largest
        The most points of a chunk (at least 1).

    Examples
    --------
    >>> [(c.fixed, c.first, c.stop, c.start, c.shape) for c in grid_chunks((3, 4), 8)]
    [((), 0, 2, 0, (2, 4)), ((), 2, 3, 8, (1, 4))]
    >>> [(c.fixed, c.first, c.stop, c.start) for c in grid_chunks((2, 5), 3)]
    [((0,), 0, 3, 0), ((0,), 3, 5, 3), ((1,), 0, 3, 5), ((1,), 3, 5, 8)]
    """
    largest = max(1, largest)
    after = [math.prod(shape[axis + 1 :]) for axis in range(len(shape))]
    axis = next(axis for axis, points in enumerate(after) if points <= largest)
    rows = largest // after[axis]
    chunks = []
    for fixed in np.ndindex(*shape[:axis]):
        offset = sum(index * after[k] for k, index in enumerate(fixed))
        for first in range(0, shape[axis], rows):
            stop = min(first + rows, shape[axis])
            chunk_shape = (stop - first, *shape[axis + 1 :])
            chunks.append(Chunk(fixed, first, stop, offset + first * after[axis], chunk_shape))
    return chunks


def chunk_points(
    scenario: Scenario,
    points: int,
    *,
    chunk_size: int | None = None,
    executor: Executor | None = None,
) -> int:
    """The most points `sweep` evaluates in one call of the kernel.

    Here and with no ``chunk_size``, a grid whose kernel arrays fit in
    `paymodel.limits.MAX_ARRAY_VALUES` is one call (the kernel's outputs are then the
    results: nothing is copied); 3,355,443 points with one layer. Otherwise the kernel's
    arrays for one chunk stay within `paymodel.limits.WORKING_BYTES`
    (`paymodel.limits.points_at_once`, each point once per contingent, and once more for the
    currency's twins) and, within that, ``chunk_size`` when given, `POINTS_PER_CHUNK` on an
    executor (so that the workers share the grid); never fewer than points / `MAX_CHUNKS`.

    Parameters
    ----------
    scenario
        The scenario swept.
    points
        The number of grid points.
    chunk_size
        The most points of a chunk asked for, or ``None``.
    executor
        Where the chunks run (``None``: here).

    Examples
    --------
    >>> import paymodel as pm
    >>> independent = pm.builtin("independent-90")  # 32 + 6 × 3 = 50 values a point
    >>> chunk_points(independent, 3_355_443)  # 167,772,160 values // 50: one call
    3355443
    >>> chunk_points(independent, 10**7)  # 2**28 bytes // (8 × 50)
    671088
    >>> chunk_points(independent, 10**7, chunk_size=100)  # 10**7 / 10,000
    1000
    """
    layers = len(scenario.layer_names()) + 2  # "state transfer" and "in kind" may appear
    twins = 0 if scenario.currency is None else 1  # the twins: less than one more evaluation
    evaluations = max(1, len(scenario.contingents)) + twins
    one_call = points * kernel_values_per_point(layers) * evaluations <= MAX_ARRAY_VALUES
    if chunk_size is None and executor is None and one_call:
        return points
    fits = points_at_once(layers, per_point=evaluations)
    if chunk_size is None:
        chunk_size = fits if executor is None else POINTS_PER_CHUNK
    return min(fits, max(chunk_size, math.ceil(points / MAX_CHUNKS)))


def _chunk_columns(
    scenario: Scenario,
    structure: Structure,
    cut: float | None,
    changes: dict[str, NDArray[np.generic]],
) -> dict[str, FloatArray]:
    """Every output and layer column of one chunk (runs in a worker: a module-level function)."""
    evaluation = evaluate_scenario(structure, varied_inputs(scenario, changes), through=cut)
    return output_columns(structure.layer_names, evaluation.total, structure.currency)


def _result_columns(
    chunks: Sequence[Chunk],
    results: Iterable[dict[str, FloatArray]],
    shape: tuple[int, ...],
) -> dict[str, FloatArray]:
    """Each column over the whole grid (read-only), from the chunks' columns in order.

    One chunk: its arrays, broadcast (a column that no axis moves takes no memory). Several:
    an array a column, allocated once, each chunk written into its points.
    """
    if len(chunks) == 1:
        (columns,) = results
        return {key: np.broadcast_to(values, shape) for key, values in columns.items()}
    points = math.prod(shape)
    grid: dict[str, FloatArray] = {}
    for chunk, columns in zip(chunks, results, strict=True):
        for key, values in columns.items():
            if key not in grid:
                grid[key] = np.empty(points)
            grid[key][chunk.points].reshape(chunk.shape)[...] = values
    for values in grid.values():
        values.flags.writeable = False
    return {key: values.reshape(shape) for key, values in grid.items()}


def sweep(
    scenario: Scenario,
    grid: Mapping[str, ArrayLike | str] | Iterable[tuple[str, ArrayLike | str]],
    *,
    through: str | int | None = None,
    chunk_size: int | None = None,
    executor: Executor | None = None,
) -> Sweep:
    """Evaluate every output over a grid of assumptions, in chunks of one kernel call each.

    Parameters
    ----------
    scenario
        A validated scenario; the inputs not swept keep their point value (a distribution
        its median).
    grid
        For each axis, a dotted path (``deployment.troops``, ``diversion.0.share`` or
        ``diversion.state treasury.share``) and its values: numbers, or text ``a,b,c`` or
        ``start:stop:count``. A mapping, or ``(path, values)`` pairs. Sweeping an input given
        as a distribution replaces the distribution by the values. Any numeric input can be
        swept, also ``deployment.tour_months`` when it defaults to ``months`` and a layer's
        other rule (a quota for a share layer); ``deployment.replace_losses`` takes 0 and
        1, or false and true.
    through
        Totals up to the end of this month (``"YYYY-MM"`` with a calendar, or a month
        number), as `paymodel.compute` takes it; ``None``: the whole deployment.
    chunk_size
        The most grid points one call of the kernel evaluates (`chunk_points`; never more
        than fit in `paymodel.limits.WORKING_BYTES`). ``None``: the whole grid in one call
        when its kernel arrays fit in 1.25 GiB, else as many as fit the working memory; on
        an executor `POINTS_PER_CHUNK`. The results do not depend on it.
    executor
        Where the chunks run: ``None`` (here, one after the other) or any
        `concurrent.futures.Executor` (`paymodel.workers.worker_pool`, a Dask ``distributed``
        client's ``get_executor()``). The results do not depend on it.

    Returns
    -------
    Sweep
        Every output and layer revenue as arrays shaped by the axes.

    Raises
    ------
    ScenarioError
        Before any work, with a one-line message: an unknown or non-numeric path, a path
        given twice, a value outside the input's domain, more than `MAX_GRID_POINTS`, or
        more points than the results (every output and layer revenue, and their twins, at
        every point) fit in 1.25 GiB (`paymodel.limits.MAX_ARRAY_VALUES` values).

    Notes
    -----
    Every grid point is the point estimate of the scenario with those values set: equal to
    ``compute(scenario.evolve(**{path: value, ...}))``, computed in broadcast passes. Memory:
    the kernel's arrays of one call over the grid, when they fit in 1.25 GiB; otherwise the
    results, and one chunk's kernel arrays (at most `paymodel.limits.WORKING_BYTES`) at a time
    on each worker.

    Examples
    --------
    Regime revenue per year for 11,000 to 15,000 troops and a share of 0.9 or 1:
    2,000 × 12 × 11,000 × 0.9 = $237.6 million, … 2,000 × 12 × 15,000 = $360 million.

    >>> import paymodel as pm
    >>> grid = pm.sweep(pm.builtin("independent-90"),
    ...                 {"deployment.troops": "11000:15000:3", "diversion.0.share": [0.9, 1.0]})
    >>> grid.shape
    (3, 2)
    >>> (grid["regime_revenue_per_year_usd"] / 1e6).round(1).tolist()
    [[237.6, 264.0], [280.8, 312.0], [324.0, 360.0]]

    The same grid in chunks of two points on two worker processes, bit for bit:

    >>> from paymodel.workers import worker_pool
    >>> with worker_pool(2) as pool:
    ...     chunked = pm.sweep(pm.builtin("independent-90"),
    ...                        {"deployment.troops": "11000:15000:3",
    ...                         "diversion.0.share": [0.9, 1.0]},
    ...                        chunk_size=2, executor=pool)
    >>> bool((chunked["regime_revenue_per_year_usd"] == grid["regime_revenue_per_year_usd"]).all())
    True
    """
    check_scenario(scenario)
    executor = check_executor(executor)
    if chunk_size is not None:
        chunk_size = check_whole(chunk_size, "chunk_size", low=1)
    pairs = _pairs(grid)
    seen: dict[str, str] = {}
    for path, _ in pairs:
        canonical = axis_path(scenario, path)
        layer = canonical.rpartition(".")[0]
        for key, given in seen.items():
            if key != canonical and key.startswith("diversion.") and key.startswith(f"{layer}."):
                raise ScenarioError(
                    f"{path}: the layer is also swept as {given!r}; a layer takes a share or a "
                    "quota, not both"
                )
        if canonical in seen:
            also = f" (also as {seen[canonical]!r})" if seen[canonical] != path else ""
            raise ScenarioError(f"{path}: swept twice{also}; give each path once")
        seen[canonical] = path
    parsed, points = _parsed_grid(pairs)
    if points > MAX_GRID_POINTS:
        raise ScenarioError(
            f"sweep: the grid has {points:,} points; at most {MAX_GRID_POINTS:,} (sweep fewer "
            "values, or split the grid)"
        )
    axes = tuple(
        (path, values.values() if isinstance(values, _Span) else values) for path, values in parsed
    )
    changes: dict[str, NDArray[np.generic]] = {}
    for path, values in axes:
        canonical = _check_domain(scenario, path, values)
        changes[canonical] = values.astype(bool) if canonical == _FLAG else values
    shape = tuple(values.size for _, values in axes)
    # What is kept is the results (`columns_per_point` at every point); the kernel's arrays are
    # one chunk's at a time (`chunk_points`).
    columns = columns_per_point(scenario)
    check_array_values(
        "sweep",
        {"grid points": points, "columns a point": columns},
        f"at most {MAX_ARRAY_VALUES // columns:,} points for this scenario's "
        f"{len(scenario.layer_names())} layers (sweep fewer values, or split the grid)",
        limit=MAX_ARRAY_VALUES,
    )

    # A swept in-kind share or state transfer that reaches above 0 gives the "in kind" or
    # "state transfer" layer its column. Only the layers' names are wanted from the evolved
    # scenario: its correlations go, since a swept input is no longer uncertain in it.
    own_layers: dict[str, Any] = {
        path: float(np.max(values))
        for path, values in changes.items()
        if path.endswith(("pay.in_kind_share", "pay.state_transfer_monthly_usd"))
    }
    if own_layers:
        own_layers["correlations"] = []
    structure = Structure.of(scenario.evolve(**own_layers) if own_layers else scenario)
    cut = through_months(scenario.start, through)
    largest = chunk_points(scenario, points, chunk_size=chunk_size, executor=executor)
    chunks = grid_chunks(shape, largest)
    # Each chunk is the kernel on the axes' values in it, shaped to broadcast (views here;
    # an executor pickles only the chunk's values).
    tasks = [
        {path: chunk.values(index, values) for index, (path, values) in enumerate(changes.items())}
        for chunk in chunks
    ]
    work = partial(_chunk_columns, scenario, structure, cut)
    grid_columns = _result_columns(chunks, run_tasks(work, tasks, executor), shape)
    code = structure.currency
    return Sweep(
        scenario=scenario.name,
        axes=axes,
        outputs={k: v for k, v in grid_columns.items() if not k.startswith("layer")},
        layers={
            key.removeprefix(LAYER_PREFIX): v
            for key, v in grid_columns.items()
            if key.startswith(LAYER_PREFIX)
        },
        currency=code,
        layer_twins={}
        if code is None
        else {
            n: grid_columns[str(twin_key(f"{LAYER_PREFIX}{n}", code))]
            for n in structure.layer_names
        },
    )
