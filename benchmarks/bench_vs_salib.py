"""paymodel ``sobol_indices`` vs SALib's ``sobol.sample`` + ``sobol.analyze`` on one model.

The model: the built-in ``span-sources`` with a fifth uncertain input, a signing bonus
uniform between $0 and $4,000 (gross pay lognormal p5 1,500 / p95 2,500, the share kept
choice(0.9, 1.0), troops uniform 11,000-15,000, tours uniform 6-12 months), output
``regime_revenue_per_year_usd``. First- and total-order indices, no second order, N = 2¹⁴
base samples (N·(d + 2) = 114,688 evaluations), 100 bootstrap resamples (SALib's default) and
95 % intervals for both.

- paymodel: ``pm.sobol_indices(scenario, output, N, seed=..., bootstrap=100)``: the scrambled
  Sobol design, each input's quantile function, the kernel, the estimators and the bootstrap.
- SALib: ``sobol.sample(problem, N, calc_second_order=False, seed=...)`` on the unit cube, the
  same quantile functions and the same kernel (`paymodel.evaluate`) on its rows, then
  ``sobol.analyze(problem, Y, calc_second_order=False, num_resamples=100, seed=...)``.

The indices of the two must agree within their intervals (a check that both compute the same
thing). Needs SALib: ``.venv/bin/pip install 'SALib>=1.5'`` (in the ``test`` and ``bench``
extras).

Run: ``.venv/bin/python benchmarks/bench_vs_salib.py [--exponent 14] [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from _bench import best_of, finish, header, raw_timings, target

import paymodel as pm
from paymodel.inputs import output_column, varied_inputs
from paymodel.kernel import evaluate
from paymodel.sobol import sobol_estimate

#: Target of the issue: paymodel at least this many times faster than SALib.
TARGET_SPEEDUP = 2.0

SCENARIO = pm.builtin("span-sources").evolve(
    name="span-sources-bonus",
    **{"pay.signing_bonus_usd": {"kind": "uniform", "low": 0, "high": 4000}},
)
OUTPUT = "regime_revenue_per_year_usd"
RESAMPLES = 100
#: SALib's points of the unit cube are clipped as paymodel's are, so quantiles stay finite.
U_LOW, U_HIGH = 2.0**-53, 1.0 - 2.0**-53


def problem() -> dict[str, object]:
    """SALib's problem: every uncertain input on the unit cube (the quantile functions map)."""
    uncertain = SCENARIO.uncertain_inputs()
    return {
        "num_vars": len(uncertain),
        "names": list(uncertain),
        "bounds": [[0.0, 1.0]] * len(uncertain),
    }


def salib_outputs(samples: int, seed: int) -> np.ndarray:
    """The kernel's outputs on SALib's sample (rows in blocks [A, AB₁, …, AB_d, B])."""
    from SALib.sample import sobol as salib_sample

    uncertain = SCENARIO.uncertain_inputs()
    unit = salib_sample.sample(problem(), samples, calc_second_order=False, seed=seed)
    unit = np.clip(unit, U_LOW, U_HIGH)
    changes = {path: dist.ppf(unit[:, i]) for i, (path, dist) in enumerate(uncertain.items())}
    return np.array(output_column(SCENARIO, evaluate(varied_inputs(SCENARIO, changes)), OUTPUT))


def salib_analysis(values: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    from SALib.analyze import sobol as salib_analyze

    result = salib_analyze.analyze(
        problem(), values, calc_second_order=False, num_resamples=RESAMPLES, seed=seed
    )
    return {key: np.asarray(result[key]) for key in ("S1", "S1_conf", "ST", "ST_conf")}


def salib(samples: int, seed: int) -> dict[str, np.ndarray]:
    """SALib's sample and analysis around the same quantile functions and kernel."""
    return salib_analysis(salib_outputs(samples, seed), seed)


def paymodel_estimate(values: np.ndarray, seed: int) -> None:
    """paymodel's estimator alone, on SALib's outputs."""
    step = len(SCENARIO.uncertain_inputs()) + 2
    sobol_estimate(
        values[0::step],
        values[step - 1 :: step],
        np.stack([values[j + 1 :: step] for j in range(step - 2)]),
        bootstrap=RESAMPLES,
        seed=seed,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exponent", type=int, default=14, help="N = 2**exponent (default 14)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    n, seed = 2**args.exponent, args.seed

    import importlib.metadata

    try:
        version = importlib.metadata.version("SALib")
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit("SALib is not installed: .venv/bin/pip install 'SALib>=1.5'") from None
    d = len(SCENARIO.uncertain_inputs())
    header(
        f"bench_vs_salib: N = 2^{args.exponent} = {n:,} base samples, {d} inputs, "
        f"{n * (d + 2):,} evaluations, {RESAMPLES} bootstrap resamples, SALib {version}, "
        f"best of {args.repeats}"
    )
    with warnings.catch_warnings():  # warm up imports and caches; 1,024 samples warn
        warnings.simplefilter("ignore", pm.SampleSizeWarning)
        pm.sobol_indices(SCENARIO, OUTPUT, 1024, seed=seed, bootstrap=RESAMPLES)
    salib(1024, seed)

    holder: dict[str, object] = {}

    def run_paymodel() -> None:
        holder["pm"] = pm.sobol_indices(SCENARIO, OUTPUT, n, seed=seed, bootstrap=RESAMPLES)

    def run_salib() -> None:
        holder["salib"] = salib(n, seed)

    def run_paymodel_default() -> None:
        pm.sobol_indices(SCENARIO, OUTPUT, n, seed=seed)

    times = best_of(
        {
            "paymodel sobol_indices": run_paymodel,
            "SALib sample+analyze": run_salib,
            "paymodel, 1,000 resamples": run_paymodel_default,
        },
        args.repeats,
    )
    ours, theirs = min(times["paymodel sobol_indices"]), min(times["SALib sample+analyze"])
    ratio = theirs / ours
    print(f"SALib / paymodel: {ratio:.2f}  (paymodel {ours:.3f} s, SALib {theirs:.3f} s)")
    default = min(times["paymodel, 1,000 resamples"])
    print(
        f"SALib ({RESAMPLES} resamples) / paymodel with its default 1,000 resamples: "
        f"{theirs / default:.2f}  (informative; paymodel {default:.3f} s)"
    )

    result = holder["pm"]
    assert isinstance(result, pm.SobolIndices)
    reference = holder["salib"]
    assert isinstance(reference, dict)
    order = list(SCENARIO.uncertain_inputs())
    print("indices (paymodel: value [95 % interval]; SALib: value ± conf):")
    agree = True
    for row in sorted(result.rows, key=lambda r: order.index(r.path)):
        i = order.index(row.path)
        line = [f"  {row.path:<24}"]
        for name, key, value, interval in (
            ("S1", "S1", row.first_order, row.first_order_ci),
            ("ST", "ST", row.total_order, row.total_order_ci),
        ):
            theirs_value, theirs_conf = reference[key][i], reference[f"{key}_conf"][i]
            half = (interval[1] - interval[0]) / 2
            agree &= abs(value - theirs_value) <= half + theirs_conf + 1e-12
            line.append(
                f"{name} {value:.4f} [{interval[0]:.4f}, {interval[1]:.4f}] vs "
                f"{theirs_value:.4f} ± {theirs_conf:.4f}"
            )
        print("   ".join(line))
    print(f"indices agree within the intervals: {agree}")
    # Informative: the analysis alone (estimators and 100 bootstrap resamples) on the same
    # outputs, SALib's sample; SALib's sampling is a Python loop over the rows.
    values = salib_outputs(n, seed)
    alone = best_of(
        {
            "paymodel sobol_estimate only": lambda: paymodel_estimate(values, seed),
            "SALib analyze only": lambda: salib_analysis(values, seed),
        },
        args.repeats,
    )
    analysis_ratio = min(alone["SALib analyze only"]) / min(alone["paymodel sobol_estimate only"])
    print(f"analysis alone, SALib / paymodel: {analysis_ratio:.2f} (informative)")
    raw_timings({**times, **alone})
    met = target(
        f"paymodel at least {TARGET_SPEEDUP:g}x faster than SALib", ratio >= TARGET_SPEEDUP
    )
    met &= target("the two agree within their intervals", agree)
    finish(met, args.check)


if __name__ == "__main__":
    main()
