"""Monte Carlo: reproducible to the bit, exact where it must be, faithful to the inputs."""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import stats

import paymodel as pm
from paymodel.kernel import OUTPUT_NAMES
from paymodel.sampling import BLOCK_SIZE

SPAN = pm.builtin("span-sources")


def test_fixed_scenario_medians_equal_compute_exactly() -> None:
    scenario = pm.builtin("nis-estimate")  # every input a plain number
    point = pm.compute(scenario)
    sim = pm.simulate(scenario, 70_000, seed=1)
    for name in OUTPUT_NAMES:
        stats_ = sim.statistics(name)
        assert stats_["p50"] == point.outputs[name], name
        assert stats_["min"] == stats_["max"] == point.outputs[name], name
        assert stats_["std"] == 0.0, name


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_bit_identical_whatever_the_chunk_size(method: str) -> None:
    samples = 3 * BLOCK_SIZE + 1234  # a short last block too
    runs = [
        pm.simulate(SPAN, samples, seed=2024, method=method, chunk_size=size).to_dict()  # type: ignore[arg-type]
        for size in (1_000, 65_536, 1_000_000)
    ]
    assert runs[0] == runs[1] == runs[2]


def test_bit_identical_with_two_worker_processes() -> None:
    samples = 4 * BLOCK_SIZE
    serial = pm.simulate(SPAN, samples, seed=7, chunk_size=BLOCK_SIZE)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = pm.simulate(SPAN, samples, seed=7, chunk_size=BLOCK_SIZE, executor=pool)
    assert serial.to_dict() == parallel.to_dict()


def test_seed_is_recorded_and_repeats_the_run() -> None:
    first = pm.simulate(SPAN, 10_000)
    assert isinstance(first.seed, int)
    again = pm.simulate(SPAN, 10_000, seed=first.seed)
    assert first.to_dict() == again.to_dict()
    other = pm.simulate(SPAN, 10_000, seed=first.seed + 1)
    assert other.to_dict()["outputs"] != first.to_dict()["outputs"]


def test_a_seed_sequence_runs_as_its_integer_entropy() -> None:
    sequence = pm.simulate(SPAN, 1_000, seed=np.random.SeedSequence(21))
    assert sequence.seed == 21
    assert sequence.to_dict() == pm.simulate(SPAN, 1_000, seed=21).to_dict()


def test_lognormal_interval_holds_in_the_output() -> None:
    # Gross pay lognormal with p5 = 1,500 and p95 = 2,500; everything else fixed, no layer:
    # take-home = gross, so 5 % of samples fall below 1,500 and 5 % above 2,500.
    scenario = pm.Scenario(
        name="lognormal-pay",
        pay={"gross_monthly_usd": {"kind": "lognormal", "p5": 1500, "p95": 2500}},
        deployment={"troops": 1, "months": 1},
    )
    sim = pm.simulate(scenario, 1_000_000, seed=11, keep_samples=True)
    assert sim.probability("take_home_monthly_usd", below=1500) == pytest.approx(0.05, abs=0.001)
    assert sim.probability("take_home_monthly_usd", above=2500) == pytest.approx(0.05, abs=0.001)
    streaming = pm.simulate(scenario, 1_000_000, seed=11)
    assert streaming.probability("take_home_monthly_usd", below=1500) == pytest.approx(
        0.05, abs=0.001
    )


def test_streaming_percentiles_agree_with_exact_ones() -> None:
    exact = pm.simulate(SPAN, 500_000, seed=5, keep_samples=True)
    streaming = pm.simulate(SPAN, 500_000, seed=5)
    for name in ("take_home_monthly_usd", "regime_revenue_per_year_usd", "individuals_deployed"):
        a, b = exact.statistics(name), streaming.statistics(name)
        for p in ("p5", "p25", "p50", "p75", "p95"):
            assert b[p] == pytest.approx(a[p], rel=0.005), (name, p)
        for s in ("mean", "std", "min", "max"):
            assert b[s] == a[s], (name, s)  # the same streaming moments either way


def test_every_sample_conserves_money() -> None:
    sim = pm.simulate(pm.builtin("in-kind-credit"), 50_000, seed=3, keep_samples=True)
    paid = sim.values("paid_usd")
    revenue = sim.values("regime_revenue_usd")
    kept = sim.values("soldiers_take_home_usd")
    np.testing.assert_allclose(paid, revenue + kept, rtol=1e-9)
    layers = sum(sim.values(name) for name in sim.layer_names)
    np.testing.assert_allclose(layers, revenue, rtol=1e-9)
    assert sim.layer_names == ("in kind", "state treasury")


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_marginals_follow_the_input_distributions(method: str) -> None:
    # No layer, 1 soldier-month: take-home = gross pay, individuals = troops.
    scenario = pm.Scenario(
        name="marginals",
        pay={"gross_monthly_usd": {"kind": "lognormal", "p5": 1500, "p95": 2500}},
        deployment={"troops": {"kind": "uniform", "low": 11000, "high": 15000}, "months": 1},
    )
    sim = pm.simulate(scenario, 100_000, seed=8, method=method, keep_samples=True)  # type: ignore[arg-type]
    sigma = math.log(2500 / 1500) / (2 * 1.6448536269514722)
    pay = stats.lognorm(sigma, scale=math.sqrt(1500 * 2500))
    assert stats.kstest(sim.values("take_home_monthly_usd"), pay.cdf).pvalue > 1e-4
    troops = stats.uniform(11000, 4000)
    assert stats.kstest(sim.values("individuals_deployed"), troops.cdf).pvalue > 1e-4


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
@pytest.mark.parametrize("rank", [-0.5, 0.3, 0.8])
def test_rank_correlation_is_achieved_and_marginals_unchanged(method: str, rank: float) -> None:
    scenario = pm.Scenario(
        name="correlated",
        pay={"gross_monthly_usd": {"kind": "lognormal", "p5": 1500, "p95": 2500}},
        deployment={
            "troops": {"kind": "uniform", "low": 11000, "high": 15000},
            "months": 1,
        },
        correlations=[{"between": ["deployment.troops", "pay.gross_monthly_usd"], "rank": rank}],
    )
    sim = pm.simulate(scenario, 100_000, seed=9, method=method, keep_samples=True)  # type: ignore[arg-type]
    pay, troops = sim.values("take_home_monthly_usd"), sim.values("individuals_deployed")
    achieved = stats.spearmanr(pay, troops).statistic
    assert achieved == pytest.approx(rank, abs=0.02)
    assert stats.kstest(troops, stats.uniform(11000, 4000).cdf).pvalue > 1e-4


def test_impossible_correlations_are_rejected() -> None:
    uncertain = {"kind": "uniform", "low": 0.1, "high": 0.9}
    with pytest.raises(pm.ScenarioError, match="positive semi-definite"):
        pm.load(SPAN).evolve(
            **{"pay.delivered_share": uncertain},
            correlations=[
                {"between": ["pay.gross_monthly_usd", "deployment.troops"], "rank": 0.9},
                {"between": ["pay.gross_monthly_usd", "pay.delivered_share"], "rank": 0.9},
                {"between": ["deployment.troops", "pay.delivered_share"], "rank": -0.9},
            ],
        )
    with pytest.raises(pm.ScenarioError, match="not an uncertain input"):
        SPAN.evolve(
            correlations=[{"between": ["deployment.months", "deployment.troops"], "rank": 0.5}]
        )


def test_probability_query_and_layers() -> None:
    sim = pm.simulate(SPAN, 200_000, seed=12, keep_samples=True)
    revenue = sim.values("regime_revenue_per_year_usd")
    expected = float(np.mean(revenue > 250e6))
    assert sim.probability("regime_revenue_per_year_usd", above=250e6) == expected
    streaming = pm.simulate(SPAN, 200_000, seed=12)
    assert streaming.probability("regime_revenue_per_year_usd", above=250e6) == pytest.approx(
        expected, abs=0.005
    )
    # The one layer's revenue by hand from the kept inputs: share · g · H · M (no deaths,
    # M = 12), its mean against the streaming summary found by the layer's bare name. (Its
    # summary and regime_revenue_usd's are one object: comparing those could not fail.)
    share, gross, troops = (
        sim.input_values(path)
        for path in ("diversion.0.share", "pay.gross_monthly_usd", "deployment.troops")
    )
    by_hand = share * gross * troops * 12.0
    assert streaming.statistics("state treasury")["mean"] == pytest.approx(
        float(np.mean(by_hand)), rel=1e-12
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"samples": 0}, "samples must be between 1"),
        ({"samples": 2.5}, "samples must be a whole number"),
        ({"samples": 10, "method": "quasi"}, "method must be one of"),
        ({"samples": 10, "chunk_size": 0}, r"chunk_size must be at least 1 \(got 0\)"),
        ({"samples": 10, "seed": -1}, "seed must be a non-negative"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(pm.ScenarioError, match=fragment):
        pm.simulate(SPAN, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="no output or layer"):
        pm.simulate(SPAN, 10, seed=1).statistics("revenue")


def test_dask_cluster_gives_the_serial_result() -> None:
    distributed = pytest.importorskip("distributed")
    samples = 3 * BLOCK_SIZE
    serial = pm.simulate(SPAN, samples, seed=13, chunk_size=BLOCK_SIZE)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = pm.simulate(
            SPAN, samples, seed=13, chunk_size=BLOCK_SIZE, executor=client.get_executor()
        )
    assert on_dask.to_dict() == serial.to_dict()


def test_streaming_percentiles_within_half_a_percent_on_ten_million() -> None:
    # The bound: p5, p50 and p95 of a 10⁷-sample streaming run within 0.5 % of the
    # exact percentiles of the same samples (the estimator's own bound is 2⁻⁹ ≈ 0.2 %).
    # Two uncertain inputs (pay, troops): 13 outputs + 1 layer + 2 inputs = 16 kept values a
    # sample, so 10⁷ kept samples fit in the arrays' limit (167,772,160 // 16 = 10,485,760).
    fixed = {"diversion.0.share": 0.9, "deployment.tour_months": 9}
    scenario = pm.builtin("span-sources").evolve(**fixed)
    exact = pm.simulate(scenario, 10**7, seed=2026, keep_samples=True)
    streaming = pm.simulate(scenario, 10**7, seed=2026)
    for name in ("take_home_monthly_usd", "regime_revenue_per_year_usd", "individuals_deployed"):
        for p in ("p5", "p50", "p95"):
            approx, truth = streaming.statistics(name)[p], exact.statistics(name)[p]
            assert abs(approx - truth) <= 0.005 * abs(truth), (name, p, approx, truth)


def test_draws_below_a_fields_smallest_value_count_as_zero() -> None:
    # Found by the ci hypothesis profile: gross pay triangular on [0, 10⁻⁶ $] and a delivered
    # share beta(1/256, 1) reach their fields' smallest nonzero values (10⁻⁶ $, 10⁻¹²), yet
    # almost every draw lies below them; products such as δ·g then fell into subnormal floats
    # and diverted_share came out as 1.0000004. Such draws now count as 0 (Domain.snap), in
    # samples and in the point estimate, so every sample lies in its field's domain.
    # Such a scenario stays valid: only values a field cannot hold at all (below 0, or
    # below one soldier, a day) count against the one-in-a-billion rule, and values in the
    # gap between 0 and the smallest amount are moved to 0, by less than that amount.
    scenario = pm.Scenario.model_validate(
        {
            "name": "tiny",
            "pay": {
                "gross_monthly_usd": {"kind": "triangular", "low": 0, "mode": 0, "high": 1e-6},
                "delivered_share": {"kind": "beta", "alpha": 0.00390625, "beta": 1.0},
            },
            "diversion": [{"name": "state", "share": 1.0}],
            "deployment": {"troops": 1, "months": 2, "replace_losses": False},
        }
    )
    for method in ("mc", "lhs"):
        sim = pm.simulate(scenario, 20_000, seed=116, method=method, keep_samples=True)
        pm.check_invariants(sim)
        gross = sim.input_values("pay.gross_monthly_usd")
        delivered = sim.input_values("pay.delivered_share")
        assert np.all((gross == 0) | (gross >= 1e-6))
        assert np.all((delivered == 0) | (delivered >= 1e-12))
        assert np.any(gross == 0)  # most draws lay below 10⁻⁶ $
        assert sim.statistics("diverted_share")["max"] <= 1.0
    # The point estimate: the triangular's median, 10⁻⁶·(1 − 1/√2) ≈ 2.9·10⁻⁷ $, counts as 0.
    assert pm.compute(scenario).paid_usd == 0.0


# -- only the outputs asked for ---------------------------------------------------------------


@pytest.mark.parametrize("name", pm.builtin_names())
def test_chosen_outputs_are_bit_identical_to_the_full_run(name: str) -> None:
    # Two blocks and a bit (131,073 samples), every built-in: contingents, in-kind layers,
    # quotas, death rates. The same seed gives the chosen outputs' statistics to the bit.
    scenario = pm.builtin(name)
    layer = scenario.layer_names()[-1]
    asked = ["diverted_share", layer, "soldiers_take_home_usd", "deaths"]
    full = pm.simulate(scenario, 2 * BLOCK_SIZE + 1, seed=5)
    few = pm.simulate(scenario, 2 * BLOCK_SIZE + 1, seed=5, outputs=asked)
    assert few.output_names == ("soldiers_take_home_usd", "diverted_share", "deaths")
    assert few.layer_names == (layer,)
    for output in asked:
        assert few.statistics(output) == full.statistics(output), output
    wanted = {n: full.to_dict()["outputs"][n] for n in few.output_names}
    assert few.to_dict()["outputs"] == wanted
    layers = full.to_dict()["layers"]
    assert few.to_dict()["layers"] == [each for each in layers if each["name"] == layer]
    for contingent in few.to_dict().get("contingents", []):  # only the flows asked for
        assert list(contingent["outputs"]) == ["soldiers_take_home_usd", "deaths"]


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_chosen_outputs_with_other_methods_chunks_and_a_cut(method: str) -> None:
    scenario = pm.builtin("deployment-as-reported")  # contingents and a calendar
    kwargs = {"seed": 9, "method": method, "through": "2025-03"}
    full = pm.simulate(scenario, 3 * BLOCK_SIZE, **kwargs)  # type: ignore[arg-type]
    few = pm.simulate(
        scenario,
        3 * BLOCK_SIZE,
        outputs=["regime_revenue_per_year_usd"],
        chunk_size=2 * BLOCK_SIZE,
        **kwargs,  # type: ignore[arg-type]
    )
    assert few.statistics("regime_revenue_per_year_usd") == full.statistics(
        "regime_revenue_per_year_usd"
    )


def test_chosen_outputs_with_two_worker_processes_and_kept_samples() -> None:
    scenario = pm.builtin("span-sources")
    serial = pm.simulate(scenario, 3 * BLOCK_SIZE, seed=2, outputs=["paid_usd"], keep_samples=True)
    with ProcessPoolExecutor(2) as pool:
        parallel = pm.simulate(
            scenario,
            3 * BLOCK_SIZE,
            seed=2,
            outputs=["paid_usd"],
            keep_samples=True,
            chunk_size=BLOCK_SIZE,
            executor=pool,
        )
    assert parallel.to_dict() == serial.to_dict()
    assert np.array_equal(parallel.values("paid_usd"), serial.values("paid_usd"))
    assert serial.kept is not None
    assert list(serial.kept) == ["paid_usd"]


def test_an_output_not_simulated_says_so() -> None:
    few = pm.simulate(pm.builtin("span-sources"), 1_000, seed=1, outputs=["paid_usd"])
    for other in ("deaths", "state treasury", "layer:state treasury"):
        with pytest.raises(pm.UnknownOutputError, match="was not simulated: this run summarised"):
            few.statistics(other)
    with pytest.raises(pm.UnknownOutputError, match="did you mean 'paid_usd'"):
        few.statistics("paid")  # a name that is no output at all: the usual message
    with pytest.raises(pm.ArgumentError, match="identities need every output"):
        pm.check_invariants(few)
    assert few.probability("paid_usd", above=0.0) == 1.0


@pytest.mark.parametrize(
    ("outputs", "error", "fragment"),
    [
        (["paid"], pm.UnknownOutputError, "outputs: no output or layer named 'paid'; did you"),
        ([], pm.ArgumentError, "outputs must name at least one output or layer"),
        ("paid_usd", pm.ArgumentTypeError, "outputs must be a list of names"),
        ([3], pm.ArgumentTypeError, "each of outputs must be text"),
    ],
)
def test_bad_output_lists(outputs: object, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        pm.simulate(pm.builtin("span-sources"), 100, seed=1, outputs=outputs)  # type: ignore[arg-type]


def test_a_name_given_twice_counts_once() -> None:
    few = pm.simulate(pm.builtin("span-sources"), 100, seed=1, outputs=["paid_usd", "paid_usd"])
    assert few.output_names == ("paid_usd",)


def test_freed_memory_is_kept_for_the_next_block_on_glibc() -> None:
    # A fresh process each time: the setting is made once per process, and glibc reads
    # MALLOC_* from the environment only when a process starts (Dask sets one for its workers).
    import os
    import platform
    import subprocess
    import sys

    script = (
        "import paymodel as pm\n"
        "from paymodel._allocator import keep_freed_memory\n"
        "pm.simulate(pm.builtin('span-sources'), 100, seed=1)\n"
        "print(keep_freed_memory(), keep_freed_memory())\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    for extra, kept in (({}, glibc), ({"MALLOC_TRIM_THRESHOLD_": "65536"}, False)):
        shown = subprocess.run(
            [sys.executable, "-c", script],
            env={**clean, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert shown == [str(kept)] * 2, extra
