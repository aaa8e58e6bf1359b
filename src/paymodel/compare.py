"""Scenarios side by side: the main job of paymodel (``paymodel compare``)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from paymodel.catalogue import builtin_names, load
from paymodel.compute import compute
from paymodel.display import money, money_compact, number, percent, table
from paymodel.results import Result
from paymodel.scenario import Scenario
from paymodel.sources import claim

__all__ = ["Comparison", "compare"]

_STATUS_MARK = {"reported": "", "unverified": "?", "conflicting": "!"}


@dataclass(frozen=True)
class Comparison:
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

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict` as a JSON document."""
        return json.dumps(self.to_dict(), indent=indent)

    def to_text(self) -> str:
        """The side-by-side table, then each scenario's title and cited claims."""
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
        rows = []
        for scenario, result in zip(self.scenarios, self.results, strict=True):
            out = result.outputs
            rows.append(
                (
                    scenario.name,
                    money(out["take_home_monthly_usd"]),
                    money(out["take_home_per_tour_usd"]),
                    f"{number(round(out['domestic_wage_multiple'], 1))}x",
                    money_compact(out["regime_revenue_per_year_usd"]),
                    money_compact(out["regime_revenue_usd"]),
                    percent(out["diverted_share"]),
                    number(round(out["deaths"])),
                )
            )
        right = (False, True, True, True, True, True, True, True)
        lines = [table(headers, rows, right), ""]
        for scenario in self.scenarios:
            cited = " ".join(cid + _STATUS_MARK[claim(cid).status] for cid in scenario.sources)
            lines.append(f"{scenario.name}: {scenario.title}")
            lines.append(f"    claims: {cited}")
        lines += [
            "",
            "Point estimates (distributions at their median). Claims: ? unverified, "
            "! conflicting; `paymodel sources ID` shows one, `paymodel explain NAME` the "
            "arithmetic.",
        ]
        return "\n".join(lines)


def compare(scenarios: Sequence[Scenario | str | os.PathLike[str]] | None = None) -> Comparison:
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
    chosen = [load(s) for s in (builtin_names() if scenarios is None else scenarios)]
    return Comparison(tuple(chosen), tuple(compute(s) for s in chosen))
