"""Sobol indices: closed forms (linear, Ishigami, a product of independent inputs), SALib,
reproducibility, the sample-size warning, refusals, the JSON contract and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from numpy.typing import NDArray

import paymodel as pm
import paymodel.sobol as sobol_module
from helpers import bad, ok_json, run
from paymodel.inputs import output_column, varied_inputs
from paymodel.kernel import evaluate
from paymodel.sampling import _U_HIGH, _U_LOW
from paymodel.sobol import (
    SobolIndices,
    SobolRow,
    saltelli_design,
    sobol_estimate,
    sobol_estimate_of,
)

SPAN = pm.builtin("span-sources")
REVENUE = "regime_revenue_per_year_usd"
TAKE_HOME = "take_home_monthly_usd"
#: ``paymodel sensitivity span-sources --output regime_revenue_per_year_usd --method sobol``.
SOBOL = ("sensitivity", "span-sources", "--output", REVENUE, "--method", "sobol")
ROW_KEYS = ["path", "first_order", "first_order_ci", "total_order", "total_order_ci"]
FloatArray = NDArray[np.float64]


def inside(value: float, interval: tuple[float, float] | FloatArray, slack: float = 0.0) -> bool:
    return bool(interval[0] - slack <= value <= interval[1] + slack)


# -- closed forms -----------------------------------------------------------------------------


def test_linear_model_indices_are_a_squared_var_over_var() -> None:
    # y = 3·x0 + x1 + x2 + 0·x3 with x0 ~ U(0, 1), x1 ~ N(0, 0.5), x2 ~ U(−1, 1),
    # x3 ~ U(0, 1): Var = 9/12 + 0.25 + 4/12 + 0 = 4/3, so S = Sᵀ = (0.5625, 0.1875, 0.25, 0).
    distributions = [
        pm.Uniform(low=0, high=1),
        pm.Normal(mean=0, sd=0.5),
        pm.Uniform(low=-1, high=1),
        pm.Uniform(low=0, high=1),
    ]
    a_unit, b_unit = saltelli_design(4, 2**13, seed=11)
    a, b = (
        np.column_stack([d.ppf(m[:, i]) for i, d in enumerate(distributions)])
        for m in (a_unit, b_unit)
    )
    coefficients = np.array([3.0, 1.0, 1.0, 0.0])
    estimate = sobol_estimate_of(lambda x: x @ coefficients, a, b, seed=11)
    truth = np.array([0.5625, 0.1875, 0.25, 0.0])
    for i, expected in enumerate(truth):
        assert inside(expected, estimate.first_order_ci[i]), (i, estimate)
        assert inside(expected, estimate.total_order_ci[i]), (i, estimate)
        assert estimate.first_order[i] == pytest.approx(expected, abs=0.02)
        assert estimate.total_order[i] == pytest.approx(expected, abs=0.02)
    # x3 never changes the output: f(AB₃) = f(A) exactly, so its total index is exactly 0.
    assert estimate.total_order[3] == 0
    assert tuple(estimate.total_order_ci[3]) == (0, 0)


def ishigami(x: FloatArray) -> FloatArray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices() -> tuple[list[float], list[float]]:
    # a = 7, b = 0.1: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V₁ = (1 + bπ⁴/5)²/2, V₂ = a²/8,
    # V₁₃ = b²π⁸(1/18 − 1/50); S = (V₁, V₂, 0)/V, Sᵀ = (V₁ + V₁₃, V₂, V₁₃)/V.
    a, b, pi = 7.0, 0.1, math.pi
    variance = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1, v2 = 0.5 * (1 + b * pi**4 / 5) ** 2, a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    return [v1 / variance, v2 / variance, 0.0], [
        (v1 + v13) / variance,
        v2 / variance,
        v13 / variance,
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ishigami_indices_lie_in_their_intervals(seed: int) -> None:
    first, total = ishigami_indices()
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)
    a, b = saltelli_design(3, 2**13, seed=seed)
    estimate = sobol_estimate_of(ishigami, math.pi * (2 * a - 1), math.pi * (2 * b - 1), seed=seed)
    for i in range(3):
        assert inside(first[i], estimate.first_order_ci[i]), (i, estimate.first_order_ci)
        assert inside(total[i], estimate.total_order_ci[i]), (i, estimate.total_order_ci)
        assert estimate.first_order_ci[i][1] - estimate.first_order_ci[i][0] < 0.1


def test_span_sources_revenue_against_the_product_closed_form() -> None:
    # Revenue per year = g·s·H·12: a product of independent inputs (tours do not enter).
    # With cᵢ = Var(Xᵢ)/E[Xᵢ]², Var(Y)/E[Y]² = Π(1 + cᵢ) − 1, Sᵢ = cᵢ/(Π(1 + c) − 1) and
    # Sᵀᵢ = cᵢ·Π_{j≠i}(1 + cⱼ)/(Π(1 + c) − 1).
    # g lognormal, σ = ln(2500/1500)/(2·1.6449) = 0.15528: c_g = exp(σ²) − 1 = 0.024405;
    # s ∈ {0.9, 1}: c_s = 0.0025/0.9025 = 0.002770;
    # H ~ U(11,000, 15,000): c_H = (4000²/12)/13,000² = 0.007890.
    # Π(1 + c) − 1 = 0.035347: S = (0.6904, 0.0784, 0.2232), Sᵀ = (0.6978, 0.0809, 0.2293).
    sigma = math.log(2500 / 1500) / (2 * 1.6448536269514722)
    c = {
        "pay.gross_monthly_usd": math.expm1(sigma**2),
        "diversion.0.share": 0.0025 / 0.95**2,
        "deployment.troops": (4000**2 / 12) / 13_000**2,
    }
    variance = math.prod(1 + v for v in c.values()) - 1
    result = pm.sobol_indices(SPAN, REVENUE, 2**14, seed=5)
    rows = {row.path: row for row in result.rows}
    for path, ci in c.items():
        first = ci / variance
        total = ci * math.prod(1 + v for p, v in c.items() if p != path) / variance
        assert inside(first, rows[path].first_order_ci), (path, first, rows[path])
        assert inside(total, rows[path].total_order_ci), (path, total, rows[path])
    tours = rows["deployment.tour_months"]
    assert (tours.first_order, tours.total_order) == (0, 0)
    assert [row.path for row in result.rows] == [
        "pay.gross_monthly_usd",
        "deployment.troops",
        "diversion.0.share",
        "deployment.tour_months",
    ]


def test_take_home_has_an_interaction_between_pay_and_diversion() -> None:
    # t = g·(1 − s): zero whenever s = 1, so pay matters only when s = 0.9. Closed form with
    # u = 1 − s ∈ {0, 0.1}: E[u] = 0.05, Var u = 0.0025, E[u²] = 0.005; m, v the mean and
    # variance of g. Var t = E[g²]E[u²] − (m·E[u])²; V_s = m²·Var u; V_g = v·E[u]²;
    # Sᵀ_g = E[u²]·v / Var t (the variance left when s is known).
    sigma = math.log(2500 / 1500) / (2 * 1.6448536269514722)
    median = math.sqrt(1500 * 2500)
    m = median * math.exp(sigma**2 / 2)
    v = m**2 * math.expm1(sigma**2)
    total_variance = (v + m**2) * 0.005 - (m * 0.05) ** 2
    s_share, s_pay = m**2 * 0.0025 / total_variance, v * 0.05**2 / total_variance
    st_pay = 0.005 * v / total_variance
    st_share = 1 - s_pay
    result = pm.sobol_indices(SPAN, TAKE_HOME, 2**14, seed=8)
    rows = {row.path: row for row in result.rows}
    share, pay = rows["diversion.0.share"], rows["pay.gross_monthly_usd"]
    assert inside(s_share, share.first_order_ci)
    assert inside(st_share, share.total_order_ci)
    assert inside(s_pay, pay.first_order_ci)
    assert inside(st_pay, pay.total_order_ci)
    # Pay's total index is about twice its first-order index: the rest is the interaction.
    assert st_pay == pytest.approx(2 * s_pay, rel=0.05)
    assert pay.total_order_ci[0] > pay.first_order_ci[1]


# -- SALib ------------------------------------------------------------------------------------


def salib_run(
    output: str, samples: int, seed: int
) -> tuple[dict[str, FloatArray], FloatArray, int]:
    """SALib's sample, mapped through the inputs' quantile functions into the kernel."""
    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    uncertain = SPAN.uncertain_inputs()
    problem = {"num_vars": len(uncertain), "names": list(uncertain), "bounds": [[0, 1]] * 4}
    unit = np.clip(
        salib_sample.sample(problem, samples, calc_second_order=False, seed=seed), _U_LOW, _U_HIGH
    )
    changes = {path: dist.ppf(unit[:, i]) for i, (path, dist) in enumerate(uncertain.items())}
    values = np.array(output_column(SPAN, evaluate(varied_inputs(SPAN, changes)), output))
    result = salib_analyze.analyze(problem, values, calc_second_order=False, seed=seed)
    return {key: np.asarray(result[key]) for key in ("S1", "S1_conf", "ST", "ST_conf")}, values, 4


@pytest.mark.parametrize("output", [REVENUE, TAKE_HOME])
def test_same_outputs_give_salibs_point_estimates(output: str) -> None:
    # SALib's rows come as blocks [A, AB₁, …, AB_d, B]; fed to our estimator they give SALib's
    # numbers: the same estimators (Saltelli 2010, Jansen) on the same centred outputs.
    salib, values, d = salib_run(output, 2**12, seed=4)
    step = d + 2
    estimate = sobol_estimate(
        values[0::step],
        values[step - 1 :: step],
        np.stack([values[j + 1 :: step] for j in range(d)]),
        seed=4,
    )
    np.testing.assert_allclose(estimate.first_order, salib["S1"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(estimate.total_order, salib["ST"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("output", [REVENUE, TAKE_HOME])
def test_agrees_with_salib_within_the_intervals(output: str) -> None:
    # Different samples, so the indices differ by sampling error: within both half-widths.
    salib, _, _ = salib_run(output, 2**13, seed=21)
    ours = pm.sobol_indices(SPAN, output, 2**13, seed=21)
    order = list(SPAN.uncertain_inputs())
    for row in ours.rows:
        i = order.index(row.path)
        for index, conf, mine, interval in (
            ("S1", "S1_conf", row.first_order, row.first_order_ci),
            ("ST", "ST_conf", row.total_order, row.total_order_ci),
        ):
            half_width = (interval[1] - interval[0]) / 2
            difference = abs(mine - salib[index][i])
            assert difference <= half_width + salib[conf][i] + 1e-12, (row.path, index)


# -- reproducibility, arguments, warnings, refusals ------------------------------------------


def test_same_seed_same_indices_bit_for_bit() -> None:
    first = pm.sobol_indices(SPAN, REVENUE, 4096, seed=9)
    assert pm.sobol_indices(SPAN, REVENUE, 4096, seed=9) == first
    assert pm.sobol_indices(SPAN, REVENUE, 4096, seed=10) != first
    assert first.seed == 9
    fresh = pm.sobol_indices(SPAN, REVENUE, 4096)
    assert pm.sobol_indices(SPAN, REVENUE, 4096, seed=fresh.seed) == fresh
    generated = pm.sobol_indices(SPAN, REVENUE, 4096, seed=np.random.default_rng(3))
    assert generated.seed == np.random.default_rng(3).integers(0, 2**63)


def test_bootstrap_batches_do_not_change_the_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = pm.sobol_indices(SPAN, TAKE_HOME, 4096, seed=2)
    monkeypatch.setattr(sobol_module, "_BOOTSTRAP_BATCH_CELLS", 4096 * 7)  # 7 resamples a batch
    assert pm.sobol_indices(SPAN, TAKE_HOME, 4096, seed=2) == whole


def test_evaluations_and_bootstrap_count() -> None:
    calls: list[int] = []

    def model(points: FloatArray) -> FloatArray:
        calls.append(points.shape[0])
        return points.sum(axis=1)

    a, b = saltelli_design(3, 256, seed=1)
    sobol_estimate_of(model, a, b, seed=1)
    assert calls == [256] * 5  # N·(d + 2) evaluations: AB₁, AB₂, AB₃, then A and B
    result = pm.sobol_indices(SPAN, REVENUE, 4096, seed=1, bootstrap=250, confidence=0.9)
    assert result.evaluations == 4096 * 6
    assert (result.bootstrap, result.confidence) == (250, 0.9)


def test_higher_confidence_gives_wider_intervals() -> None:
    narrow = pm.sobol_indices(SPAN, REVENUE, 4096, seed=1, confidence=0.8)
    wide = pm.sobol_indices(SPAN, REVENUE, 4096, seed=1, confidence=0.99)
    for a, b in zip(narrow.rows, wide.rows, strict=True):
        assert a.first_order == b.first_order
        assert b.first_order_ci[0] <= a.first_order_ci[0] <= a.first_order_ci[1]
        assert a.first_order_ci[1] <= b.first_order_ci[1]


def test_too_few_samples_warns() -> None:
    with pytest.warns(pm.SampleSizeWarning, match=r"512 samples are too few .* at least 1,024"):
        pm.sobol_indices(SPAN, REVENUE, 512, seed=1)
    # 1,024 samples pass the count, but take-home's widest interval is about 0.14 wide.
    with pytest.warns(pm.SampleSizeWarning, match=r"interval is 0\.1[0-9]* wide"):
        result = pm.sobol_indices(SPAN, TAKE_HOME, 1024, seed=1)
    assert result.widest_interval > 0.1
    # 8,192 samples: intervals under 0.1 wide, no warning (pytest turns warnings into errors).
    assert pm.sobol_indices(SPAN, TAKE_HOME, 8192, seed=1).widest_interval < 0.1


def test_correlated_inputs_are_refused() -> None:
    linked = SPAN.evolve(
        correlations=[{"between": ["deployment.troops", "deployment.tour_months"], "rank": 0.5}]
    )
    with pytest.raises(pm.ScenarioError, match="Sobol indices assume independent inputs"):
        pm.sobol_indices(linked, REVENUE)
    # Without its correlations the same scenario is analysed.
    assert pm.sobol_indices(linked.evolve(correlations=[]), REVENUE, 4096, seed=1) == (
        pm.sobol_indices(SPAN, REVENUE, 4096, seed=1)
    )


@pytest.mark.parametrize(
    ("scenario", "output", "kwargs", "fragment"),
    [
        ("nis-estimate", REVENUE, {}, "sobol: scenario 'nis-estimate' has no uncertain inputs"),
        (
            "span-sources",
            "deaths",
            {},
            "output 'deaths' of scenario 'span-sources': the output does not vary",
        ),
        ("span-sources", "x", {}, "no output or layer named 'x'"),
        ("span-sources", REVENUE, {"samples": 1}, "samples must be between 2 and"),
        (
            "span-sources",
            REVENUE,
            {"samples": 2**22 + 1},
            r"between 2 and 4,194,304 \(got 4,194,305\)",
        ),
        ("span-sources", REVENUE, {"samples": 2.5}, "samples must be a whole number"),
        ("span-sources", REVENUE, {"samples": True}, "samples must be a whole number"),
        ("span-sources", REVENUE, {"bootstrap": 99}, "bootstrap must be between 100 and"),
        ("span-sources", REVENUE, {"confidence": 1.0}, "confidence must lie strictly between"),
        ("span-sources", REVENUE, {"confidence": "0.9"}, "confidence must be a number"),
        ("span-sources", REVENUE, {"seed": -1}, "seed must be a non-negative integer"),
    ],
)
def test_bad_input(scenario: str, output: str, kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(pm.ScenarioError, match=fragment):
        pm.sobol_indices(pm.builtin(scenario), output, **kwargs)  # type: ignore[arg-type]


def test_estimator_checks_shapes_and_constant_outputs() -> None:
    with pytest.raises(ValueError, match=r"shapes \(N,\), \(N,\) and \(d, N\)"):
        sobol_estimate(np.zeros(4), np.zeros(4), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="does not vary"):
        sobol_estimate(np.ones(4), np.ones(4), np.ones((2, 4)))
    with pytest.raises(ValueError, match="must be"):
        sobol_estimate_of(lambda x: x[:, 0], np.zeros((4, 2)), np.zeros((4, 3)))


# -- the JSON contract and the CLI ------------------------------------------------------------


def test_json_contract_and_frame() -> None:
    result = pm.sobol_indices(SPAN, REVENUE, 4096, seed=3)
    data = json.loads(result.to_json())
    assert list(data)[:4] == ["scenario", "output", "method", "samples"]  # DESIGN §5
    assert list(data) == [
        "scenario",
        "output",
        "method",
        "samples",
        "seed",
        "bootstrap",
        "confidence",
        "summary",
        "inputs",
    ]
    assert (data["method"], data["samples"], data["seed"]) == ("sobol", 4096, 3)
    assert all(list(row) == ROW_KEYS for row in data["inputs"])
    totals = [row["total_order"] for row in data["inputs"]]
    assert totals == sorted(totals, reverse=True)
    for row in data["inputs"]:
        assert len(row["first_order_ci"]) == len(row["total_order_ci"]) == 2
    frame = result.to_frame()
    assert list(frame.columns) == [
        "path",
        "first_order",
        "first_order_low",
        "first_order_high",
        "total_order",
        "total_order_low",
        "total_order_high",
    ]
    assert frame["total_order_high"].tolist() == [r.total_order_ci[1] for r in result.rows]


def test_cli_json_equals_the_python_api() -> None:
    data = ok_json(
        *SOBOL,
        "--samples",
        "4096",
        "--seed",
        "3",
        "--bootstrap",
        "300",
        "--confidence",
        "0.9",
    )
    expected = pm.sobol_indices(SPAN, REVENUE, 4096, seed=3, bootstrap=300, confidence=0.9)
    assert data == expected.to_dict()


def test_cli_text_and_default_samples() -> None:
    status, out, err = run(*SOBOL, "--seed", "4")
    assert (status, err) == (0, "")
    assert out == pm.sobol_indices(SPAN, REVENUE, seed=4).to_text() + "\n"
    summary, blank, heading = out.splitlines()[:3]
    # Pay moves revenue most (about 69 % with seed 1, docs/sensitivity.md), then troops.
    assert summary.startswith("In span-sources, pay.gross_monthly_usd explains about ")
    assert "; on their own deployment.troops about " in summary
    assert blank == ""
    assert heading == (
        "span-sources: Sobol indices of regime_revenue_per_year_usd (8,192 samples, 49,152 "
        "evaluations, seed 4; 95 % bootstrap intervals from 1,000 resamples)"
    )


def test_cli_warns_on_stderr_and_still_answers() -> None:
    status, out, err = run(
        *SOBOL,
        "--samples",
        "256",
        "--seed",
        "1",
        "--json",
    )
    assert status == 0
    assert json.loads(out)["samples"] == 256
    assert err.startswith("paymodel: warning: sobol: 256 samples are too few")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--samples", "0"], "--samples: must be at least 1"),
        (["--samples", "1"], "argument --samples: must be between 2 and"),
        (["--confidence", "95"], "argument --confidence: must lie strictly between 0 and 1"),
        (["--confidence", "nan"], "--confidence: must be a finite number"),
        (["--bootstrap", "10"], "argument --bootstrap: must be between 100 and"),
    ],
)
def test_cli_bad_input(argv: list[str], fragment: str) -> None:
    message = bad(*SOBOL, *argv)
    assert fragment in message


def test_design_points_stay_inside_the_unit_cube() -> None:
    a, b = saltelli_design(5, 1000, seed=0)  # not a power of two: allowed, no warning
    assert a.shape == b.shape == (1000, 5)
    assert min(a.min(), b.min()) >= _U_LOW
    assert max(a.max(), b.max()) <= _U_HIGH
    np.testing.assert_array_equal(saltelli_design(5, 1000, seed=0)[0], a)


def _row(path: str, first: float, total: float) -> SobolRow:
    return SobolRow(path, first, (first, first), total, (total, total))


def test_the_summary_says_what_the_indices_mean_in_plain_words() -> None:
    # The linear model above: S = Sᵀ = (0.5625, 0.1875, 0.25, 0), rows by total order.
    rows = (
        _row("x0", 0.5625, 0.5625),
        _row("x2", 0.25, 0.25),
        _row("x1", 0.1875, 0.1875),
        _row("x3", 0.0, 0.0),
    )
    result = SobolIndices("lin", "y", 8192, 1, 1000, 0.95, rows)
    assert result.summary == (
        "In lin, x0 explains about 56 % of how much y varies across the draws on its own, and "
        "56 % with its interactions with the other inputs; on their own x2 about 25 %, x1 about "
        "19 %; the other input under 1 %."
    )
    assert result.to_text().splitlines()[0] == result.summary
    assert result.to_dict()["summary"] == result.summary
    # Estimates outside [0, 1] (sampling noise) are clipped; two small inputs are counted.
    noisy = (_row("a", 1.02, 1.03), _row("b", -0.01, 0.001), _row("c", 0.0, 0.0))
    assert SobolIndices("n", "y", 8192, 1, 1000, 0.95, noisy).summary == (
        "In n, a explains about 100 % of how much y varies across the draws on its own, and "
        "100 % with its interactions with the other inputs; 2 others under 1 %."
    )
