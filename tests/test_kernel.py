"""The kernel against values worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import paymodel as pm
from helpers import WORKED_EXAMPLE_OUTPUTS
from paymodel.kernel import OUTPUT_NAMES, evaluate, ratio_or_zero


def outputs(**inputs: object) -> dict[str, float]:
    """Evaluate scalar inputs given as keyword arguments with '__' for '.'."""
    values = {key.replace("__", "."): value for key, value in inputs.items()}
    evaluation = evaluate(values)  # type: ignore[arg-type]
    return {name: float(v) for name, v in evaluation.outputs.items()}


def conserved(out: dict[str, float]) -> None:
    assert out["paid_usd"] == pytest.approx(
        out["regime_revenue_usd"] + out["soldiers_take_home_usd"], rel=1e-12
    )


def test_worked_example_of_design_is_exact() -> None:
    # g = 2000, one layer 0.9, H = 11,000, M = 12: the arithmetic is in tests/helpers.py.
    out = outputs(
        pay__gross_monthly_usd=2000.0,
        diversion__0__share=0.9,
        deployment__troops=11_000.0,
        deployment__months=12.0,
    )
    assert out == WORKED_EXAMPLE_OUTPUTS


def test_rotation_counts_individuals_and_caps_the_tour() -> None:
    # H = 11,000 for M = 12 with tours of T = 6: S = 132,000, I = max(11,000, 132,000/6)
    # = 22,000 individuals; a soldier keeps t = 200 for min(6, 12) = 6 months = 1,200.
    out = outputs(
        pay__gross_monthly_usd=2000.0,
        diversion__0__share=0.9,
        deployment__troops=11_000.0,
        deployment__months=12.0,
        deployment__tour_months=6.0,
    )
    assert out["individuals_deployed"] == 22_000.0
    assert out["take_home_per_tour_usd"] == 1200.0
    # A tour longer than the deployment: per tour = 200·min(18, 12) = 2,400; I = max(H, S/18) = H.
    out = outputs(
        pay__gross_monthly_usd=2000.0,
        diversion__0__share=0.9,
        deployment__troops=11_000.0,
        deployment__months=12.0,
        deployment__tour_months=18.0,
    )
    assert out["take_home_per_tour_usd"] == 2400.0
    assert out["individuals_deployed"] == 11_000.0


def test_deaths_with_replacement() -> None:
    # H = 1,000, M = 10, k = 0.01, replaced: S = H·M = 10,000; D = k·H·M = 100;
    # I = max(1,000, 10,000/10) + 100 = 1,100. Death benefit d = 5,000 through a 0.9 share:
    # lump sums = 5,000·100 = 500,000, of which the layer takes 450,000, families 50,000.
    # Monthly: g = 1,000 → layer 900, soldier 100 per month: 9,000,000 and 1,000,000.
    out = outputs(
        pay__gross_monthly_usd=1000.0,
        pay__death_benefit_usd=5000.0,
        diversion__0__share=0.9,
        deployment__troops=1000.0,
        deployment__months=10.0,
        deployment__monthly_death_rate=0.01,
        deployment__replace_losses=True,
    )
    assert out["soldier_months"] == 10_000.0
    assert out["deaths"] == pytest.approx(100.0, rel=1e-15)
    assert out["individuals_deployed"] == pytest.approx(1100.0, rel=1e-15)
    assert out["promised_usd"] == pytest.approx(10_500_000.0, rel=1e-15)
    assert out["regime_revenue_usd"] == pytest.approx(9_450_000.0, rel=1e-12)
    assert out["soldiers_take_home_usd"] == pytest.approx(1_050_000.0, rel=1e-12)
    conserved(out)


def test_deaths_without_replacement() -> None:
    # H = 1,000, M = 2, k = 0.1, not replaced. Month 1: 1,000 serve, 100 die; month 2: 900
    # serve, 90 die. S = 1,900 = 1,000·(1 − 0.9²)/0.1; D = 190 = 1,000·(1 − 0.81).
    # I = max(1,000, 1,900/2) = 1,000 (the dead are not replaced by new individuals).
    out = outputs(
        pay__gross_monthly_usd=100.0,
        deployment__troops=1000.0,
        deployment__months=2.0,
        deployment__monthly_death_rate=0.1,
        deployment__replace_losses=False,
    )
    assert out["soldier_months"] == pytest.approx(1900.0, rel=1e-12)
    assert out["deaths"] == pytest.approx(190.0, rel=1e-12)
    assert out["individuals_deployed"] == 1000.0
    # Nobody takes anything: the soldiers keep all 100·1,900 = 190,000.
    assert out["soldiers_take_home_usd"] == pytest.approx(190_000.0, rel=1e-12)


def test_edge_death_rates_without_replacement() -> None:
    # k = 0: S = H·M = 3,000, D = 0.  k = 1: everybody dies after the first month:
    # S = H·(1 − 0³)/1 = 1,000, D = 1,000.
    out = outputs(
        pay__gross_monthly_usd=1.0,
        deployment__troops=1000.0,
        deployment__months=3.0,
        deployment__replace_losses=False,
    )
    assert (out["soldier_months"], out["deaths"]) == (3000.0, 0.0)
    out = outputs(
        pay__gross_monthly_usd=1.0,
        deployment__troops=1000.0,
        deployment__months=3.0,
        deployment__monthly_death_rate=1.0,
        deployment__replace_losses=False,
    )
    assert (out["soldier_months"], out["deaths"]) == (1000.0, 1000.0)


def test_quota_larger_than_what_is_left_is_capped() -> None:
    # g = 1,000; a 0.5 share leaves 500; an 800 quota can take only those 500: t = 0.
    # H = 10, M = 1: layer revenues 5,000 and 5,000; soldiers 0.
    evaluation = evaluate(
        {
            "pay.gross_monthly_usd": 1000.0,
            "diversion.0.share": 0.5,
            "diversion.1.quota_monthly_usd": 800.0,
            "deployment.troops": 10.0,
            "deployment.months": 1.0,
        }
    )
    assert float(evaluation.outputs["take_home_monthly_usd"]) == 0.0
    assert [float(x) for x in evaluation.layer_take_monthly_usd] == [500.0, 500.0]
    assert [float(x) for x in evaluation.layer_left_monthly_usd] == [500.0, 0.0]
    assert [float(x) for x in evaluation.layer_revenue_usd] == [5000.0, 5000.0]


def test_lump_sums_pass_through_share_layers_only() -> None:
    # g = 1,000, bonus b = 2,000; chain: share 0.5, quota 100, share 0.5; H = 10, M = T = 1.
    # Monthly: 1,000 → τ1 = 500 → 500 → τ2 = 100 → 400 → τ3 = 200 → t = 200.
    # Lump sums b·I = 2,000·10 = 20,000: φ = 0.5·0.5 = 0.25; layer 1 takes 0.5 of them
    # (10,000), the quota none, layer 3 takes 0.5·0.5 = 0.25 (5,000), soldiers 0.25 (5,000).
    # Layer revenue: 500·10 + 10,000 = 15,000; 100·10 = 1,000; 200·10 + 5,000 = 7,000.
    # Soldiers: 200·10 + 5,000 = 7,000. Per tour: 200·1 + 2,000·0.25 = 700.
    evaluation = evaluate(
        {
            "pay.gross_monthly_usd": 1000.0,
            "pay.signing_bonus_usd": 2000.0,
            "diversion.0.share": 0.5,
            "diversion.1.quota_monthly_usd": 100.0,
            "diversion.2.share": 0.5,
            "deployment.troops": 10.0,
            "deployment.months": 1.0,
        }
    )
    out = {name: float(v) for name, v in evaluation.outputs.items()}
    assert [float(x) for x in evaluation.layer_revenue_usd] == [15_000.0, 1_000.0, 7_000.0]
    assert out["soldiers_take_home_usd"] == 7_000.0
    assert out["take_home_per_tour_usd"] == 700.0
    assert out["paid_usd"] == 30_000.0  # 1,000·10 + 20,000
    conserved(out)


def test_partial_delivery() -> None:
    # δ = 0.5 of g = 2,000: x₀ = 1,000; a 0.9 share takes 900, t = 100. H = 100, M = 1:
    # promised 200,000, paid 100,000, revenue 90,000, soldiers 10,000; diverted 0.9.
    out = outputs(
        pay__gross_monthly_usd=2000.0,
        pay__delivered_share=0.5,
        diversion__0__share=0.9,
        deployment__troops=100.0,
        deployment__months=1.0,
    )
    assert out["promised_usd"] == 200_000.0
    assert out["paid_usd"] == 100_000.0
    assert out["take_home_monthly_usd"] == 100.0
    assert out["regime_revenue_usd"] == 90_000.0
    assert out["soldiers_take_home_usd"] == 10_000.0
    assert out["diverted_share"] == pytest.approx(0.9, rel=1e-15)


def test_in_kind_share_goes_to_the_state_before_every_layer() -> None:
    # κ = 0.25, g = 2,000, bonus 400, one 0.5 share; H = 100, M = T = 1.
    # P = 2,000·100 + 400·100 = 240,000; in kind 0.25·240,000 = 60,000.
    # Monthly cash x₀ = 2,000·0.75 = 1,500; layer 750, t = 750.
    # Lump cash 0.75·40,000 = 30,000: layer 15,000, soldiers 15,000.
    # Layer: 750·100 + 15,000 = 90,000; soldiers: 750·100 + 15,000 = 90,000.
    # Per tour: 750·1 + 400·1·0.75·0.5 = 900.
    evaluation = evaluate(
        {
            "pay.gross_monthly_usd": 2000.0,
            "pay.signing_bonus_usd": 400.0,
            "pay.in_kind_share": 0.25,
            "diversion.0.share": 0.5,
            "deployment.troops": 100.0,
            "deployment.months": 1.0,
        }
    )
    out = {name: float(v) for name, v in evaluation.outputs.items()}
    assert float(evaluation.in_kind_revenue_usd) == 60_000.0
    assert float(evaluation.layer_revenue_usd[0]) == 90_000.0
    assert out["soldiers_take_home_usd"] == 90_000.0
    assert out["regime_revenue_usd"] == 150_000.0
    assert out["take_home_per_tour_usd"] == 900.0
    conserved(out)


def test_won_baseline() -> None:
    # w = 30,000 ₩ / 18,000 ₩/$ = 1.6667 $/month; t = 1,000 → multiple 1,000/1.6667 = 600.
    out = outputs(
        pay__gross_monthly_usd=1000.0,
        deployment__troops=1.0,
        deployment__months=1.0,
        baseline__domestic_monthly_wage_kpw=30_000.0,
        baseline__kpw_per_usd=18_000.0,
    )
    assert out["domestic_wage_multiple"] == pytest.approx(600.0, rel=1e-12)


def test_nothing_paid_gives_zero_diverted_share_without_warnings() -> None:
    # δ = 0: paid = 0, and the diverted share is defined as 0 (pytest turns warnings into errors).
    out = outputs(
        pay__gross_monthly_usd=2000.0,
        pay__delivered_share=0.0,
        diversion__0__share=0.9,
        deployment__troops=10.0,
        deployment__months=1.0,
    )
    assert out["paid_usd"] == 0.0
    assert out["diverted_share"] == 0.0
    assert out["promised_usd"] == 20_000.0


def test_per_year_scales_by_twelve_over_months() -> None:
    # M = 6: revenue = 1·10·6 = 60 over six months, 60·12/6 = 120 a year.
    out = outputs(
        pay__gross_monthly_usd=1.0,
        diversion__0__share=1.0,
        deployment__troops=10.0,
        deployment__months=6.0,
    )
    assert (out["regime_revenue_usd"], out["regime_revenue_per_year_usd"]) == (60.0, 120.0)


def test_arrays_and_broadcasting() -> None:
    # troops (2, 1) against shares (1, 3): revenue = g·s·H·M for each pair.
    troops = np.array([[1000.0], [2000.0]])
    shares = np.array([[0.5, 0.9, 1.0]])
    evaluation = evaluate(
        {
            "pay.gross_monthly_usd": 2000.0,
            "diversion.0.share": shares,
            "deployment.troops": troops,
            "deployment.months": 12.0,
        }
    )
    revenue = evaluation.outputs["regime_revenue_usd"]
    assert revenue.shape == (2, 3)
    expected = 2000.0 * shares * troops * 12.0  # e.g. 2000·0.5·1000·12 = 12,000,000
    np.testing.assert_allclose(revenue, expected, rtol=1e-15)
    assert all(v.shape == (2, 3) for v in evaluation.outputs.values())


def test_compute_runs_the_kernel_on_medians() -> None:
    # span-sources: medians g = √(1500·2500) = 1936.49, share choice(0.9, 1) → 0.9,
    # H = 13,000, T = 9: t = 0.1·1936.49 = 193.649, per tour 193.649·9 = 1742.84.
    result = pm.compute(pm.builtin("span-sources"))
    assert result.take_home_monthly_usd == pytest.approx(0.1 * np.sqrt(1500 * 2500), rel=1e-12)
    assert result.take_home_per_tour_usd == pytest.approx(0.9 * np.sqrt(1500 * 2500), rel=1e-12)
    assert result.individuals_deployed == pytest.approx(13_000 * 12 / 9, rel=1e-12)
    assert list(result.outputs) == list(OUTPUT_NAMES)


def test_in_kind_layer_listed_first_when_paid_in_goods() -> None:
    # in-kind-credit at medians: δ = 0.5, κ = 0.85; paid = 0.5·2000·132,000 = 132,000,000;
    # in kind 0.85·132,000,000 = 112,200,000; cash 19,800,000 of which the treasury 90 %.
    result = pm.compute(pm.builtin("in-kind-credit"))
    assert [x.name for x in result.layers] == ["in kind", "state treasury"]
    assert result.layers[0].revenue_usd == pytest.approx(112_200_000.0, rel=1e-12)
    assert result.layers[1].revenue_usd == pytest.approx(17_820_000.0, rel=1e-12)
    assert result.take_home_monthly_usd == pytest.approx(15.0, rel=1e-12)
    assert sum(x.revenue_usd for x in result.layers) == pytest.approx(
        result.regime_revenue_usd, rel=1e-12
    )


def test_two_outputs_compute_only_what_they_need() -> None:
    # The benchmark model's two outputs: t = g·(1 − s) and t·H·M. Nothing about
    # individuals, promised pay, the lump sums' split or the regime is computed for them.
    from paymodel.kernel import _Model

    model = _Model(
        {
            "pay.gross_monthly_usd": np.array([2000.0, 2500.0]),
            "diversion.0.share": np.array([0.9, 0.96]),
            "deployment.troops": np.array([11_000.0, 15_000.0]),
            "deployment.months": 12.0,
        }
    )
    # 2,000 − 0.9·2,000 = 200; 2,500 − 0.96·2,500 = 100.
    assert model.output("take_home_monthly_usd").tolist() == pytest.approx([200.0, 100.0])
    # 200 · 11,000 · 12 = 26,400,000; 100 · 15,000 · 12 = 18,000,000.
    assert model.output("soldiers_take_home_usd").tolist() == pytest.approx([26.4e6, 18e6])
    computed = set(vars(model))
    assert {"held", "chain", "take_home", "soldiers_take_home"} <= computed
    never = {"individuals", "promised_pay", "lump_fractions", "layer_revenue", "regime_revenue"}
    assert not never & computed


def test_evaluate_without_details_leaves_the_layers_out() -> None:
    inputs = {
        "pay.gross_monthly_usd": np.array([2000.0, 2500.0]),
        "diversion.0.share": 0.9,
        "deployment.troops": 11_000.0,
        "deployment.months": 12.0,
    }
    part = evaluate(inputs, ["regime_revenue_usd"], details=False)
    # 0.9 · 2,000 · 11,000 · 12 = 237,600,000; 0.9 · 2,500 · 132,000 = 297,000,000.
    assert part.outputs["regime_revenue_usd"].tolist() == pytest.approx([237.6e6, 297e6])
    assert part.layer_revenue_usd == part.layer_take_monthly_usd == ()
    assert part.intermediates == {}
    # Without `only` the details are always given.
    assert len(evaluate(inputs, details=False).layer_revenue_usd) == 1


def test_a_factor_multiplied_by_a_plain_zero_is_not_computed() -> None:
    from paymodel.kernel import _product

    def never() -> np.ndarray:
        raise AssertionError("computed although multiplied by 0")

    assert float(_product(np.asarray(0.0), never)) == 0.0
    assert float(_product(never, np.asarray(2.0), np.asarray(0.0))) == 0.0
    # 2 · 3 · [1, 4] = [6, 24], the thunk called once it is needed.
    assert _product(np.asarray(2.0), lambda: np.asarray(3.0), np.array([1.0, 4.0])).tolist() == [
        6.0,
        24.0,
    ]


def test_every_output_has_one_formula() -> None:
    from paymodel.kernel import _OUTPUT_ATTRIBUTES

    assert tuple(_OUTPUT_ATTRIBUTES) == OUTPUT_NAMES


def test_ratio_or_zero_is_zero_where_nothing_is_divided() -> None:
    # 6/3 = 2, 5/0 → 0, 0/0 → 0; the kernel's per-individual and diverted-share rule, and
    # combine's for the contingents' sums (one function since they were two copies).
    top, bottom = np.array([6.0, 5.0, 0.0]), np.array([3.0, 0.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division warning either
        assert ratio_or_zero(top, bottom).tolist() == [2.0, 0.0, 0.0]
        assert ratio_or_zero(top[:2], bottom[:1]).tolist() == [2.0, 5.0 / 3.0]
        assert ratio_or_zero(np.array([]), np.array([])).shape == (0,)  # not numpy's min error
