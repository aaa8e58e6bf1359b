"""Every example script runs and every example scenario file loads (examples never rot)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

import paymodel as pm
from helpers import WORKED_EXAMPLE_OUTPUTS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_script_runs(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


@pytest.mark.parametrize("file", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_example_file_loads_and_conserves_money(file: Path) -> None:
    result = pm.compute(pm.load(file))
    assert result.paid_usd == pytest.approx(
        result.regime_revenue_usd + result.soldiers_take_home_usd, rel=1e-12
    )


def test_worked_example_file_gives_design_figures() -> None:
    result = pm.compute(pm.load(EXAMPLES / "worked-example.toml"))
    assert result.to_dict()["outputs"] == WORKED_EXAMPLE_OUTPUTS


def test_design_section_3_example_loads_verbatim() -> None:
    # DESIGN §3 cites "independent-2024-pay" and "independent-2024-share": aliases of PAY-02.
    scenario = pm.load(EXAMPLES / "design-example.toml")
    assert pm.claim("independent-2024-pay").id == "PAY-02"
    # Medians: share 0.95, troops 13,000: t = 2000·0.05 = 100, per tour 100·6 = 600.
    result = pm.compute(scenario)
    assert result.take_home_monthly_usd == pytest.approx(100.0, rel=1e-12)
    assert result.take_home_per_tour_usd == pytest.approx(600.0, rel=1e-12)


def test_disagreeing_sources_takes_the_mixtures_median() -> None:
    # Shares 40 % (NIS's $2,000), 40 % uniform(2,000, 3,000), 20 % Daily NK's range:
    # F(x) = 0.4 + 0.4·(x − 2,000)/1,000 = 0.5 at x = 2,250; 10 % of it is $225; the
    # state takes 0.9 × 2,250 × 11,000 × 12 = $267,300,000.
    scenario = pm.load(EXAMPLES / "disagreeing-sources.toml")
    assert isinstance(scenario.pay.gross_monthly_usd, pm.Mixture)
    result = pm.compute(scenario)
    assert result.take_home_monthly_usd == pytest.approx(225.0, rel=1e-12)
    assert result.regime_revenue_usd == pytest.approx(267_300_000, rel=1e-12)
    # The mean: 0.4·2,000 + 0.4·2,500 + 0.2·(2,800 + 2,800 + 5,000)/3 = 2,506.67 a month.
    sim = pm.simulate(scenario, 2**17, seed=1, method="sobol")
    assert sim.statistics("take_home_monthly_usd")["mean"] == pytest.approx(250.667, rel=1e-3)
    pm.check_invariants(sim)
