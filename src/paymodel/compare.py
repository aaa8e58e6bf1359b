"""Scenarios side by side: the main job of paymodel (``paymodel compare``)."""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from paymodel.arguments import fail
from paymodel.catalogue import builtin_names, load
from paymodel.compute import compute
from paymodel.display import html_table, number, output_values, table, terminal_text
from paymodel.kernel import OUTPUT_NAMES
from paymodel.results import JsonResult, Result
from paymodel.scenario import Scenario
from paymodel.sources import claim

__all__ = ["Comparison", "compare"]

_STATUS_MARK = {"reported": "", "unverified": "?", "conflicting": "!"}
_NOTE = (
    "Point estimates (distributions at their median). Claims: ? unverified, ! conflicting; "
    "`paymodel sources ID` shows one, `paymodel explain NAME` the arithmetic."
)


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

    def to_dict(self) -> dict[str, Any]:
        """``{"scenarios": [{"scenario", "title", "sources", "outputs", "layers"}]}``."""
        rows = []
        for scenario, result in zip(self.scenarios, self.results, strict=True):
            row = result.to_dict()
            rows.append(
                {
                    "scenario": scenario.name,
                    "title": scenario.title,
                    "sources": [
                        {"id": cid, "status": claim(cid).status} for cid in scenario.sources
                    ],
                    "outputs": row["outputs"],
                    "layers": row["layers"],
                }
            )
        return {"scenarios": rows}

    def _table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]], tuple[bool, ...]]:
        """Headers, formatted rows and alignment of the side-by-side table."""
        headers = (
            "scenario",
            "take-home/month",
            "per tour",
            "x home wage",
            "regime/year",
            "regime total",
            "diverted",
            "deaths",
        )
        outputs = [result.outputs for result in self.results]

        def column(name: str, *, compact: bool = False) -> list[str]:
            return output_values(name, [out[name] for out in outputs], compact=compact)

        # One column per output, each in one style (display's rules: whole people; cents
        # for every amount of a column when one needs them).
        columns = [
            [scenario.name for scenario in self.scenarios],
            column("take_home_monthly_usd"),
            column("take_home_per_tour_usd"),
            [f"{number(round(out['domestic_wage_multiple'], 1))}x" for out in outputs],
            column("regime_revenue_per_year_usd", compact=True),
            column("regime_revenue_usd", compact=True),
            column("diverted_share"),
            column("deaths"),
        ]
        rows = [tuple(cells) for cells in zip(*columns, strict=True)]
        right = (False, True, True, True, True, True, True, True)
        return headers, rows, right

    def _cited(self, scenario: Scenario) -> str:
        return " ".join(cid + _STATUS_MARK[claim(cid).status] for cid in scenario.sources)

    def to_text(self) -> str:
        """The side-by-side table, then each scenario's title and cited claims."""
        lines = [table(*self._table()), ""]
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
        columns.update({name: [r.outputs[name] for r in self.results] for name in OUTPUT_NAMES})
        layers = dict.fromkeys(x.name for r in self.results for x in r.layers)
        for name in layers:
            revenue = [{x.name: x.revenue_usd for x in r.layers}.get(name) for r in self.results]
            columns[f"layer:{name}"] = [math.nan if v is None else v for v in revenue]
        return data_frame(columns, "scenario")

    def _repr_html_(self) -> str:
        headers, rows, right = self._table()
        claims = [[s.name, s.title, self._cited(s)] for s in self.scenarios]
        return "\n".join(
            [
                html_table(headers, rows, right, caption="Point estimates"),
                html_table(["scenario", "title", "claims"], claims, [False, False, False]),
                f"<p>{html.escape(_NOTE)}</p>",
            ]
        )


def compare(
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | None = None,
    *,
    through: str | int | None = None,
) -> Comparison:
    """Compute several scenarios side by side.

    Parameters
    ----------
    scenarios
        Scenarios, built-in names or files; all built-in scenarios when omitted.

    Returns
    -------
    Comparison
        The point estimates with the claims behind each.

    Examples
    --------
    >>> import paymodel as pm
    >>> table = pm.compare(["nis-estimate", "inss-mercenary"])
    >>> [r.regime_revenue_per_year_usd for r in table.results]
    [264000000.0, 320000000.0]
    """
    if isinstance(scenarios, str | bytes | os.PathLike) or not isinstance(
        scenarios, Sequence | None
    ):
        fail(
            "scenarios",
            f"must be a list of scenarios, names or files, or None (got {scenarios!r:.60})",
            wrong_type=True,
        )
    chosen = [load(s) for s in (builtin_names() if scenarios is None else scenarios)]
    return Comparison(tuple(chosen), tuple(compute(s, through=through) for s in chosen))
