"""paymodel ``simulate`` vs squigglepy 0.30 on ``gross * (1 - withholding) * troops``.

gross is lognormal with a 90 % interval 1,500-2,500 (``sq.lognorm(1500, 2500)``),
withholding uniform 0.9-1.0, troops uniform 11,000-15,000. For paymodel this is a
scenario with that pay, one layer whose share is the withholding, those troops and
``months = 1``: its ``soldiers_take_home_usd`` is exactly gross·(1 − w)·troops.

paymodel's time is a full ``simulate`` (every output and the layer summarised, streaming);
squigglepy's is ``sq.sample(expr, n=N)`` alone (the samples of the one expression, no
statistics). Both medians are printed and must agree within 1 %.

Needs squigglepy: ``.venv/bin/pip install squigglepy==0.30``.
Run: ``.venv/bin/python benchmarks/bench_vs_squigglepy.py [--samples N] [--repeats R]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _bench import best_of, finish, header, raw_timings, target

import paymodel as pm

#: Target of the issue: paymodel at least this many times faster than squigglepy.
TARGET_SPEEDUP = 2.5
#: The two medians must agree within this relative difference.
MEDIAN_TOLERANCE = 0.01

SCENARIO = pm.Scenario(
    name="squigglepy-parity",
    title="gross × (1 − withholding) × troops, one month",
    pay={"gross_monthly_usd": {"kind": "lognormal", "p5": 1500, "p95": 2500}},
    diversion=[{"name": "withholding", "share": {"kind": "uniform", "low": 0.9, "high": 1.0}}],
    deployment={"troops": {"kind": "uniform", "low": 11_000, "high": 15_000}, "months": 1},
)
OUTPUT = "soldiers_take_home_usd"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=5, help="repeats of paymodel")
    parser.add_argument(
        "--squigglepy-repeats", type=int, default=3, help="repeats of squigglepy (≥ 1)"
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    n, seed = args.samples, args.seed

    try:
        import squigglepy as sq
    except ImportError:
        raise SystemExit(
            "squigglepy is not installed: .venv/bin/pip install squigglepy==0.30"
        ) from None

    rounds = max(1, args.squigglepy_repeats)
    header(
        f"bench_vs_squigglepy: {n:,} samples, squigglepy {sq.__version__}, best of "
        f"{max(rounds, args.repeats)} (paymodel) / {rounds} (squigglepy)"
    )
    sq.set_seed(seed)
    expr = sq.lognorm(1500, 2500) * (1 - sq.uniform(0.9, 1.0)) * sq.uniform(11_000, 15_000)
    print(f"squigglepy expression: {expr}")
    pm.simulate(SCENARIO, 65_536, seed=seed)  # warm up imports and caches
    sq.sample(expr, n=65_536)

    holder: dict[str, object] = {}

    def run_paymodel() -> None:
        holder["sim"] = pm.simulate(SCENARIO, n, seed=seed)

    def run_squigglepy() -> None:
        holder["sq"] = sq.sample(expr, n=n)

    times = best_of(
        {"paymodel simulate": run_paymodel, "squigglepy sample": run_squigglepy}, rounds
    )
    if args.repeats > rounds:  # paymodel is cheap to repeat: more rounds, alone
        alone = best_of({"paymodel simulate": run_paymodel}, args.repeats - rounds)
        times["paymodel simulate"] += alone["paymodel simulate"]

    paymodel_s = min(times["paymodel simulate"])
    squigglepy_s = min(times["squigglepy sample"])
    speedup = squigglepy_s / paymodel_s
    print("ratios (best times):")
    print(f"  squigglepy / paymodel = {speedup:.2f}×  (paymodel faster; target ≥ {TARGET_SPEEDUP})")
    print(
        f"throughput (M samples/s): paymodel {n / paymodel_s / 1e6:.2f}, "
        f"squigglepy {n / squigglepy_s / 1e6:.2f}"
    )
    raw_timings(times)

    sim = holder["sim"]
    samples = np.asarray(holder["sq"])
    ours = sim.statistics(OUTPUT)  # type: ignore[attr-defined]
    theirs = float(np.median(samples))
    difference = abs(ours["p50"] - theirs) / theirs
    print(f"medians of {OUTPUT} (gross·(1 − w)·troops):")
    print(f"  paymodel   p50 {ours['p50']:.6g}  (streaming histogram; mean {ours['mean']:.6g})")
    print(f"  squigglepy p50 {theirs:.6g}  (np.median of its samples; mean {samples.mean():.6g})")
    print(f"  relative difference {difference:.4%}")
    same = target(f"medians within {MEDIAN_TOLERANCE:.0%}", difference <= MEDIAN_TOLERANCE)
    fast = target(f"paymodel ≥ {TARGET_SPEEDUP}× faster than squigglepy", speedup >= TARGET_SPEEDUP)
    finish(same and fast, args.check)


if __name__ == "__main__":
    main()
