"""Results: what every result shares, and the point estimate's own.

Every result of an analysis (`Result`, `paymodel.Simulation`, `paymodel.Sweep`,
`paymodel.Tornado`, …) has ``to_dict`` (the JSON shape of its command), ``to_json``,
``to_text``, ``to_frame`` and ``_repr_html_`` (a table in a notebook). `JsonResult` writes
``to_json`` once from ``to_dict``; `TableResult` writes ``_repr_html_`` and the terminal
table once from a result's ``_table``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from paymodel.arguments import check_whole
from paymodel.currency import twin_key
from paymodel.display import (
    html_table,
    layer_label,
    number,
    output_value,
    padded_text,
    table,
    terminal_text,
    text_width,
)
from paymodel.kernel import OUTPUT_NAMES

__all__ = [
    "ContingentResult",
    "JsonResult",
    "LayerRevenue",
    "Result",
    "TableResult",
    "json_document",
]


#: The widest indent `json_document` takes: spaces a level, a bound so that a typo cannot ask
#: for gigabytes of them.
MAX_JSON_INDENT = 16


def json_document(data: Any, indent: int | None = 2, *, ascii_only: bool = True) -> str:
    """``data`` as a JSON document; NaN and infinity are refused, as JSON has neither.

    ``indent`` is ``None`` (one line) or 0 to `MAX_JSON_INDENT` spaces a level.
    """
    if indent is not None:
        check_whole(indent, "indent", low=0, high=MAX_JSON_INDENT)
    return json.dumps(data, indent=indent, allow_nan=False, ensure_ascii=ascii_only)


class JsonResult:
    """A result whose JSON is its ``to_dict``: ``to_json`` is written here once."""

    #: Whether characters beyond ASCII are written as ``\u`` escapes.
    ascii_json: ClassVar[bool] = True

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (the JSON shape of its command)."""
        raise NotImplementedError

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict` as a JSON document."""
        return json_document(self.to_dict(), indent, ascii_only=self.ascii_json)


class TableResult:
    """A result shown as one table: in a notebook (``_repr_html_``) and in a terminal."""

    def _table(self) -> tuple[str, list[str], list[list[str]], list[bool]]:
        """Heading, headers, rows and which columns are right-aligned."""
        raise NotImplementedError

    def _text_table(self) -> str:
        heading, headers, rows, right = self._table()
        return terminal_text(heading + "\n" + table(headers, rows, right))

    def _repr_html_(self) -> str:
        heading, headers, rows, right = self._table()
        return html_table(headers, rows, right, caption=heading)


@dataclass(frozen=True)
class LayerRevenue:
    """What one layer of the diversion chain takes over the deployment.

    Attributes
    ----------
    name
        The layer's name (``"state transfer"`` for money paid to the state on top of pay,
        ``"in kind"`` for goods delivered to the state).
    revenue_usd
        Its total take [$].
    twins
        With a currency (DESIGN §7), its take in it as ``(("revenue_krw", value),)``
        [KRW]; empty otherwise.
    """

    name: str
    revenue_usd: float
    twins: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "revenue_usd"}``, and ``"revenue_krw"`` with a currency."""
        return {"name": self.name, "revenue_usd": self.revenue_usd, **dict(self.twins)}

    def values(self) -> dict[str, float]:
        """Its revenue by output key: ``"layer:<name>"``, and ``"layer_krw:<name>"``."""
        shown = {f"layer:{self.name}": self.revenue_usd}
        for field, value in self.twins:  # "revenue_krw": the code is what follows revenue_
            shown[str(twin_key(f"layer:{self.name}", field.removeprefix("revenue_")))] = value
        return shown


@dataclass(frozen=True)
class ContingentResult:
    """One contingent's own outputs and layers, within a `Result` (DESIGN §6).

    Attributes
    ----------
    name
        The contingent's name.
    start
        When its window starts: ``"YYYY-MM"`` with a calendar, else months after month 0.
    months
        Its window's length as evaluated (cut by ``through``) [months].
    outputs
        Every output of `paymodel.OUTPUT_NAMES`, for this contingent alone (with a
        currency, each money output's twin after it).
    layers
        Each of its layers' revenue.
    """

    name: str
    start: str | float
    months: float
    outputs: dict[str, float]
    layers: tuple[LayerRevenue, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "start", "months", "outputs", "layers"}``."""
        return {
            "name": self.name,
            "start": self.start,
            "months": self.months,
            "outputs": dict(self.outputs),
            "layers": [x.to_dict() for x in self.layers],
        }


@dataclass(frozen=True)
class Result(JsonResult):
    """The point estimate of one scenario.

    Every output of DESIGN §1 is an attribute (``result.take_home_monthly_usd``) and an
    entry of `outputs`.

    Attributes
    ----------
    scenario
        The scenario's name.
    outputs
        Every output by name, in the order of `paymodel.OUTPUT_NAMES`; with a currency
        (DESIGN §7), each money output's twin right after it (``regime_revenue_krw``).
    layers
        Each layer's revenue, ``"state transfer"`` and ``"in kind"`` first when the
        scenario has them; layers of the same name in different contingents add up.
    contingents
        Each contingent's own outputs and layers (empty for a ``[deployment]``).
    start, end
        The first and last calendar months covered, when the scenario has a ``start``.
    """

    scenario: str
    outputs: dict[str, float]
    layers: tuple[LayerRevenue, ...]
    contingents: tuple[ContingentResult, ...] = ()
    start: str | None = None
    end: str | None = None

    def __getattr__(self, name: str) -> float:
        """Look up an output by name: ``result.regime_revenue_usd``."""
        outputs = self.__dict__.get("outputs", {})
        if name in outputs:
            return float(outputs[name])
        raise AttributeError(
            f"{type(self).__name__!r} has no attribute {name!r}; outputs: {', '.join(OUTPUT_NAMES)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``paymodel run --json`` (DESIGN §5).

        Returns
        -------
        dict
            ``{"scenario", "outputs": {name: number}, "layers": [{"name", "revenue_usd"}]}``
            (with a currency, twins among the outputs and ``"revenue_krw"`` in each layer);
            with contingents also ``"contingents": [{"name", "start", "months", "outputs",
            "layers"}]``, and ``"start"``, ``"end"`` with a calendar (DESIGN §6).
        """
        shape: dict[str, Any] = {
            "scenario": self.scenario,
            "outputs": dict(self.outputs),
            "layers": [x.to_dict() for x in self.layers],
        }
        if self.start is not None:
            shape["start"], shape["end"] = self.start, self.end
        if self.contingents:
            shape["contingents"] = [c.to_dict() for c in self.contingents]
        return shape

    def to_text(self) -> str:
        """Every output and each layer's revenue, aligned, for a terminal."""
        # Labels are made safe before they are measured: an escaped character is wider.
        layers = {
            terminal_text(layer_label(k, quoted=True), lines=False): (k, v)
            for x in self.layers
            for k, v in x.values().items()
        }
        names = [*self.outputs, *layers]
        width = max(text_width(name) for name in names)
        span = f" ({self.start} to {self.end})" if self.start is not None else ""
        lines = [f"{self.scenario}: point estimate{span}"]
        lines += [
            f"  {padded_text(name, width)}  {output_value(name, value)}"
            for name, value in self.outputs.items()
        ]
        lines += [
            f"  {padded_text(label, width)}  {output_value(key, value)}"
            for label, (key, value) in layers.items()
        ]
        if self.contingents:
            lines.append("contingents:")
            shown = (
                "soldier_months",
                "individuals_deployed",
                "deaths",
                "regime_revenue_usd",
                "soldiers_take_home_usd",
            )
            for c in self.contingents:
                lines.append(f"  {c.name!r}: from {c.start}, {number(c.months)} months")
                lines += [
                    f"    {padded_text(n, width)}  {output_value(n, c.outputs[n])}" for n in shown
                ]
        return terminal_text("\n".join(lines))

    def _values(self) -> dict[str, float]:
        """Every output, then each layer's revenue as ``"layer:<name>"`` [$] (and twins)."""
        values = dict(self.outputs)
        for x in self.layers:
            values.update(x.values())
        return values

    def to_frame(self) -> Any:
        """A pandas DataFrame with one row per output and per layer (``layer:<name>``).

        With a currency, each money row is followed by its twin (``paid_krw``,
        ``layer_krw:<name>``).

        Index ``output``, one column ``value``. Needs pandas (``pip install
        'paymodel[frame]'``).
        """
        from paymodel.frames import data_frame

        values = self._values()
        return data_frame({"output": list(values), "value": list(values.values())}, "output")

    def _repr_html_(self) -> str:
        rows = [[name, output_value(name, value)] for name, value in self.outputs.items()]
        rows += [
            [layer_label(key), output_value(key, value)]
            for x in self.layers
            for key, value in x.values().items()
        ]
        caption = f"{self.scenario}: point estimate"
        return html_table(["output", "value"], rows, [False, True], caption=caption)
