"""Helpers shared by several test modules: the in-process CLI runner, DESIGN's figures."""

from __future__ import annotations

import io
import json
from typing import Any

from paymodel.cli import main

#: DESIGN §1's worked example (g = 2000, one layer 0.9, H = 11,000, M = 12), worked by hand:
#: τ = 0.9·2000 = 1800, t = 2000 − 1800 = 200; S = 11,000·12 = 132,000;
#: paid = 2000·132,000 = 264,000,000; revenue = 1800·132,000 = 237,600,000;
#: soldiers = 200·132,000 = 26,400,000; per tour = 200·12 = 2400; I = 11,000; D = 0;
#: per individual (DESIGN §6) = 26,400,000 / 11,000 = 2400.
#: Every figure is exact in floating point, so tests compare with ==.
WORKED_EXAMPLE_OUTPUTS: dict[str, float] = {
    "take_home_monthly_usd": 200.0,
    "take_home_per_tour_usd": 2400.0,
    "take_home_per_individual_usd": 2400.0,
    "domestic_wage_multiple": 200.0,
    "promised_usd": 264_000_000.0,
    "paid_usd": 264_000_000.0,
    "regime_revenue_usd": 237_600_000.0,
    "regime_revenue_per_year_usd": 237_600_000.0,
    "soldiers_take_home_usd": 26_400_000.0,
    "diverted_share": 0.9,
    "soldier_months": 132_000.0,
    "individuals_deployed": 11_000.0,
    "deaths": 0.0,
}


def run(*argv: str) -> tuple[int, str, str]:
    """Run ``paymodel ARGV`` in process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def ok(*argv: str) -> str:
    """Run a command that must succeed, with nothing on stderr; return stdout."""
    status, out, err = run(*argv)
    assert (status, err) == (0, ""), err
    return out


def ok_json(*argv: str) -> Any:
    """Run a command that must succeed with ``--json``; return the parsed document."""
    return json.loads(ok(*argv, "--json"))


def bad(*argv: str) -> str:
    """Run a command that must fail as bad input; return its one line on stderr."""
    status, out, err = run(*argv)
    assert status == 2, (status, out, err)
    assert out == ""
    assert err.endswith("\n")
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert err.startswith("paymodel: error: ")
    return err.rstrip("\n")


#: DESIGN §6's worked example ($2,000 a month, 90 % to the state): one document for every
#: test of contingents (copy it before changing it).
WAVES: dict[str, Any] = {
    "name": "waves-example",
    "start": "2024-10",
    "pay": {"gross_monthly_usd": 2000},
    "diversion": [{"name": "state", "share": 0.9}],
    "contingents": [
        {
            "name": "first wave",
            "start": "2024-10",
            "troops": 10000,
            "months": 3,
            "monthly_death_rate": 0.1,
            "replace_losses": False,
        },
        {"name": "guard duty", "follows": "first wave", "months": 9},
        {
            "name": "reinforcements",
            "start": "2025-01",
            "troops": 2000,
            "months": 9,
            "pay": {"signing_bonus_usd": 1000},
        },
    ],
}
