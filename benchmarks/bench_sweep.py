"""paymodel ``sweep`` vs the bare kernel on the same grid, and vs a Python loop of ``compute``.

The grid: ``casualty-aware`` (pay $2,000, one layer 0.9, 11,000 troops, 11 months, deaths
replaced, a death benefit) over troops × the layer's share × the monthly death rate,
``--side`` values each (100 → 10**6 points). Contestants, in one process:

paymodel sweep
    ``sweep(scenario, {path: values, ...})``: checks every path and value against its
    domain, builds the broadcast arrays, one kernel call, labelled arrays of every output
    and layer.
bare kernel
    ``evaluate`` on the same broadcast arrays, built by hand: no checks, no labels. The
    floor for anything that evaluates this grid with the library's formulas.
Python loop
    ``compute(scenario.evolve(**point))`` point by point (validation and one kernel call
    per point), on ``--loop-points`` points, scaled linearly to the grid.

Targets: sweep at most 1.5× the bare kernel (checking and labelling cost little), and at
least 1,000× faster than the loop.

Then grids in chunks (no target; the figures for docs/sweep.md), the same three axes:

- ``--fits-side`` values each (149 → 3,307,949 points), the largest cube whose kernel
  arrays still fit one call (3,355,443 points with one layer): the one call, the same grid
  in chunks of 671,088 points here, and on two worker processes (chunks of 65,536);
- ``--big-side`` values each (170 → 4,913,000 points), too big for one call: in chunks
  here, and on two worker processes.

The workers are started before the clock runs (a warm pool); each figure is the best of
``--big-repeats``.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--side 100] [--repeats 5] [--loop-points 300]
[--fits-side 149] [--big-side 170] [--big-repeats 3]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _bench import best_of, finish, header, raw_timings, target, time_once

import paymodel as pm
from paymodel.inputs import point_inputs
from paymodel.kernel import evaluate
from paymodel.sweep import chunk_points
from paymodel.workers import worker_pool

#: Targets: sweep / bare kernel, and loop / sweep.
TARGET_OVERHEAD = 1.5
TARGET_SPEEDUP = 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=100, help="values per axis (3 axes)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--loop-points", type=int, default=300)
    parser.add_argument("--fits-side", type=int, default=149, help="values per axis, one call")
    parser.add_argument("--big-side", type=int, default=170, help="values per axis, chunks")
    parser.add_argument("--big-repeats", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    scenario = pm.builtin("casualty-aware")
    axes = {
        "deployment.troops": np.linspace(8_000, 20_000, args.side),
        "diversion.0.share": np.linspace(0.5, 1.0, args.side),
        "deployment.monthly_death_rate": np.linspace(0.0, 0.05, args.side),
    }
    points = args.side ** len(axes)
    header(f"sweep: {points:,} grid points ({args.side} per axis × {len(axes)} axes)")

    def with_sweep() -> object:
        return pm.sweep(scenario, axes)

    def bare_kernel() -> object:
        inputs: dict[str, np.ndarray] = dict(point_inputs(scenario))
        for index, (path, values) in enumerate(axes.items()):
            shape = [1] * len(axes)
            shape[index] = values.size
            inputs[path] = values.reshape(shape)
        return evaluate(inputs)

    with_sweep(), bare_kernel()  # warm up
    times = best_of({"paymodel sweep": with_sweep, "bare kernel": bare_kernel}, args.repeats)

    rng = np.random.default_rng(0)
    chosen = [
        {path: float(values[rng.integers(values.size)]) for path, values in axes.items()}
        for _ in range(args.loop_points)
    ]
    loop_seconds, _ = time_once(lambda: [pm.compute(scenario.evolve(**point)) for point in chosen])
    loop_scaled = loop_seconds * points / args.loop_points

    sweep_best, kernel_best = min(times["paymodel sweep"]), min(times["bare kernel"])
    overhead = sweep_best / kernel_best
    speedup = loop_scaled / sweep_best
    print(f"paymodel sweep / bare kernel: {overhead:.2f}")
    print(f"Python loop (scaled) / paymodel sweep: {speedup:,.0f}")
    print(
        f"per grid point: sweep {sweep_best / points * 1e9:.1f} ns, "
        f"loop {loop_seconds / args.loop_points * 1e6:.0f} µs"
    )
    raw_timings(times)
    print(
        f"  python loop  {loop_seconds:.4f} s on {args.loop_points} points "
        f"(×{points / args.loop_points:g} → {loop_scaled:.1f} s scaled)"
    )
    met = target(f"sweep / bare kernel <= {TARGET_OVERHEAD}", overhead <= TARGET_OVERHEAD)
    met &= target(f"loop / sweep >= {TARGET_SPEEDUP:g}", speedup >= TARGET_SPEEDUP)
    chunked(scenario, args.fits_side, args.big_side, args.big_repeats)
    finish(met, args.check)


def chunked(scenario: pm.Scenario, fits_side: int, big_side: int, repeats: int) -> None:
    """Grids in chunks: one call, chunks here and chunks on two workers, side by side."""

    def axes(side: int) -> dict[str, np.ndarray]:
        return {
            "deployment.troops": np.linspace(8_000, 20_000, side),
            "diversion.0.share": np.linspace(0.5, 1.0, side),
            "deployment.monthly_death_rate": np.linspace(0.0, 0.05, side),
        }

    beyond = chunk_points(scenario, 10**8)  # the chunk size here for a grid past one call
    with worker_pool(2) as pool:
        pm.sweep(scenario, axes(4), chunk_size=16, executor=pool)  # start both workers
        for side in (fits_side, big_side):
            grid = axes(side)
            points = side**3
            one_call = chunk_points(scenario, points) == points
            print(
                f"\n== sweep in chunks: {points:,} points ({side}³; "
                f"{'one call fits' if one_call else 'too big for one call'}; chunks of "
                f"{beyond:,} here, {chunk_points(scenario, points, executor=pool):,} on workers)"
            )
            contestants = {
                "chunks here": lambda g=grid: pm.sweep(scenario, g, chunk_size=beyond),
                "2 workers": lambda g=grid: pm.sweep(scenario, g, executor=pool),
            }
            if one_call:
                contestants = {"one call": lambda g=grid: pm.sweep(scenario, g), **contestants}
            times = best_of(contestants, repeats)
            best = {name: min(values) for name, values in times.items()}
            for name, seconds in best.items():
                print(f"{name}: {seconds:.3f} s, {seconds / points * 1e9:.1f} ns a point")
            print(f"chunks here / 2 workers: {best['chunks here'] / best['2 workers']:.2f}")
            if one_call:
                print(f"chunks here / one call: {best['chunks here'] / best['one call']:.2f}")
            raw_timings(times)


if __name__ == "__main__":
    main()
