"""paymodel ``simulate`` against the floor, squigglepy as a whole process, and its workers.

The benchmark model (issue "Monte Carlo at the floor"): gross pay lognormal with a 90 %
interval 1,500-2,500, one layer whose share is uniform 0.9-1.0, troops uniform
11,000-15,000, 12 months. Figures, each a ratio of times measured side by side in this
one run (best of ``--repeats``, interleaved):

whole process vs squigglepy (``--samples``, default 10⁷; paymodel's bytecode cached first,
as an installed wheel has it, like squigglepy's)
    ``paymodel simulate FILE --samples N --output take_home_monthly_usd --output
    soldiers_take_home_usd`` against a ``python`` process that imports squigglepy 0.30
    and samples the two outputs it can express, ``take_home_monthly_usd`` =
    gross·(1 − share) and ``soldiers_take_home_usd`` = gross·(1 − share)·troops·12; and,
    for information, ``paymodel simulate`` of every output against the same.
in process vs the floor (``--floor-samples``, default 3·10⁷)
    ``simulate`` of those two outputs (``outputs=[...]``) and of every output against the
    floor: the same three inputs drawn in the same blocks from the same seed tree
    (`paymodel.sampling.SamplingPlan.block`), nothing else.
workers
    ``paymodel simulate --workers 1`` and ``--workers 2`` as whole processes, and
    ``simulate(..., executor=client.get_executor())`` on a Dask ``LocalCluster`` of two
    single-threaded worker processes against the same run with no executor (the
    ``distributed`` extra; skipped without it).
lower bound
    What exact summaries cost on their own: one block's distinct varying arrays of every
    output, each summarised by `paymodel.summary.Summary.of`, against the floor's time a
    block. The floor plus those summaries is the least an exact, mergeable summary of every
    output can cost, before the kernel computes anything.
profile (``--profile``)
    cProfile of one ``simulate`` run, its time split by what a block does: the kernel
    (`paymodel.kernel.evaluate`), the summaries (`paymodel.summary.Summary.of` and
    ``merge``) and the sampling (`paymodel.sampling.SamplingPlan.block`).

The comparison with the hand-written numpy job of all outputs is ``bench_vs_numpy.py``.

Needs squigglepy for the first figure: ``pip install 'squigglepy==0.30'`` (the ``bench``
extra); without it that figure is skipped.
Run: ``python benchmarks/bench_floor.py [--samples N] [--floor-samples N] [--repeats R]
[--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _bench import best_of, finish, header, raw_timings, target

import paymodel as pm
from paymodel.sampling import BLOCK_SIZE, plan_sampling

#: Targets of the issue, for the speed work that follows (today's figures are the baseline).
TARGET_VS_SQUIGGLEPY = 3.0  # squigglepy / paymodel, whole process
TARGET_TWO_VS_FLOOR = 1.6  # two outputs / floor
TARGET_ALL_VS_FLOOR = 2.5  # all outputs / floor

#: The two outputs squigglepy computes (and the floor comparison of two outputs).
TWO_OUTPUTS = ("take_home_monthly_usd", "soldiers_take_home_usd")

#: The benchmark model, one file (tests/test_lazy_imports.py runs it too).
MODEL = Path(__file__).with_name("benchmark-model.toml")

SQUIGGLEPY_JOB = """\
import sys
import numpy as np
import squigglepy as sq
n, seed = int(sys.argv[1]), int(sys.argv[2])
sq.set_seed(seed)
gross, share, troops = sq.lognorm(1500, 2500), sq.uniform(0.9, 1.0), sq.uniform(11000, 15000)
# Two outputs of one model: the same draws for both, as in paymodel.
g, s, h = sq.sample(gross, n=n), sq.sample(share, n=n), sq.sample(troops, n=n)
monthly = g * (1 - s)
soldiers = monthly * h * 12
for values in (monthly, soldiers):
    np.percentile(values, [5, 50, 95]), values.mean(), values.std()
"""


def floor(scenario: pm.Scenario, samples: int, seed: int) -> None:
    """Draw the scenario's uncertain inputs in simulate's blocks, and nothing else."""
    plan = plan_sampling(scenario, "mc", seed)
    for index in range(-(-samples // BLOCK_SIZE)):
        plan.block(index, min(BLOCK_SIZE, samples - index * BLOCK_SIZE))


def lower_bound(scenario: pm.Scenario, seed: int, floor_per_block: float, repeats: int) -> None:
    """Print what summarising every output costs a block, against the floor's time a block."""
    import numpy as np

    from paymodel.contingents import Structure, evaluate_scenario
    from paymodel.inputs import output_columns
    from paymodel.summary import Summary

    plan = plan_sampling(scenario, "mc", seed)
    structure = Structure.of(scenario)
    blocks = [plan.block(index, BLOCK_SIZE) for index in range(8)]
    kernel_times, summary_times, pass_times = [], [], []
    columns: dict[str, np.ndarray] = {}
    distinct: dict[tuple[int, tuple[int, ...]], np.ndarray] = {}
    for _ in range(repeats):
        kernel = summaries = one_pass = 0.0
        for draws in blocks:  # as simulate runs them: a block at a time
            start = time.perf_counter()
            evaluation = evaluate_scenario(structure, draws).total
            kernel += time.perf_counter() - start
            columns = output_columns(structure.layer_names, evaluation, structure.currency)
            # As simulate does: one array under several names is summarised once, and an
            # array that does not vary (a broadcast number) in O(1).
            distinct = {
                (int(v.__array_interface__["data"][0]), v.strides): v
                for v in columns.values()
                if v.strides != (0,)
            }
            start = time.perf_counter()
            for values in distinct.values():
                Summary.of(values)
            summaries += time.perf_counter() - start
            # The least work that makes an array: one numpy pass (a product) per array.
            start = time.perf_counter()
            for values in distinct.values():
                np.multiply(values, 2.0)
            one_pass += time.perf_counter() - start
        kernel_times.append(kernel / len(blocks))
        summary_times.append(summaries / len(blocks))
        pass_times.append(one_pass / len(blocks))
    kernel, summaries, passes = min(kernel_times), min(summary_times), min(pass_times)
    print(
        f"lower bound, a block of {BLOCK_SIZE:,} (best of {repeats}, 8 blocks): the floor "
        f"{floor_per_block * 1e3:.2f} ms; Summary.of of the {len(distinct)} distinct varying "
        f"arrays of the {len(columns)} columns {summaries * 1e3:.2f} ms "
        f"({summaries / len(distinct) * 1e6:.0f} µs each); one numpy pass to make each "
        f"{passes * 1e3:.2f} ms; the kernel as it is {kernel * 1e3:.2f} ms"
    )
    print(
        "  all outputs / floor ≥ 1 + (summaries + one pass each) / floor = "
        f"{1 + (summaries + passes) / floor_per_block:.2f}× (with the kernel as it is: "
        f"{1 + (summaries + kernel) / floor_per_block:.2f}×)"
    )


def cache_bytecode() -> str:
    """Compile paymodel's modules to bytecode, as installing a wheel does; say what was done.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as on the machine these
    figures come from) compiles every module from source at each start, about 45 ms, while
    squigglepy's bytecode was cached when pip installed it. Caching paymodel's too compares
    the two programs as a user installs them.
    """
    import compileall

    package = Path(pm.__file__).parent
    if compileall.compile_dir(package, quiet=1):
        return f"paymodel's bytecode is cached in {package}, as an installed wheel has it"
    return f"paymodel's bytecode could not be cached in {package}: it compiles at each start"


def process(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our commands


def profile(
    scenario: pm.Scenario, samples: int, seed: int, outputs: tuple[str, ...] | None = None
) -> None:
    """Where one simulate run's time goes, by what a block does."""
    profiler = cProfile.Profile()
    profiler.enable()
    pm.simulate(scenario, samples, seed=seed, outputs=outputs)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    cumulative = {
        f"{Path(file).name}:{name}": entry[3]
        for (file, _, name), entry in stats.stats.items()  # type: ignore[attr-defined]
    }
    parts = {
        "kernel (kernel.py:evaluate)": cumulative.get("kernel.py:evaluate", 0.0),
        "summaries (summary.py:of)": cumulative.get("summary.py:of", 0.0),
        "merging summaries (summary.py:merge)": cumulative.get("summary.py:merge", 0.0),
        "sampling (sampling.py:block)": cumulative.get("sampling.py:block", 0.0),
    }
    asked = "every output" if outputs is None else ", ".join(outputs)
    print(f"profile of simulate({samples:,} samples, {asked}), cProfile, {total:.2f} s in all:")
    for label, seconds in parts.items():
        print(f"  {label:<38} {seconds:6.2f} s  {seconds / total:6.1%}")
    rest = total - sum(parts.values())
    print(f"  {'everything else':<38} {rest:6.2f} s  {rest / total:6.1%}")
    print("  top functions by own time:")
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])  # type: ignore[attr-defined]
    for (file, line, name), entry in ranked[:8]:
        print(f"    {entry[2]:6.2f} s  {Path(file).name}:{line}:{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10**7)
    parser.add_argument("--floor-samples", type=int, default=3 * 10**7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--profile", action="store_true", help="add a cProfile of one run")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    n, seed = args.samples, args.seed

    header(f"bench_floor: the benchmark model, best of {args.repeats}")
    print(cache_bytecode())
    with tempfile.TemporaryDirectory() as folder:
        model = MODEL
        job = Path(folder) / "squigglepy_job.py"
        job.write_text(SQUIGGLEPY_JOB, encoding="utf-8")
        scenario = pm.load(model)
        paymodel_cli = shutil.which("paymodel") or sys.exit("the paymodel command is not on PATH")
        cli = [paymodel_cli, "simulate", str(model), "--samples", str(n), "--seed", str(seed)]
        two = [flag for name in TWO_OUTPUTS for flag in ("--output", name)]

        contestants = {
            "paymodel simulate (process)": lambda: process(*cli),
            "paymodel, 2 outputs (process)": lambda: process(*cli, *two),
            "paymodel --workers 2 (process)": lambda: process(*cli, "--workers", "2"),
        }
        has_squigglepy = importlib.util.find_spec("squigglepy") is not None
        if has_squigglepy:
            squigglepy = [sys.executable, str(job), str(n), str(seed)]
            contestants["squigglepy, 2 outputs (process)"] = lambda: process(*squigglepy)
        else:
            print("squigglepy is not installed (pip install 'squigglepy==0.30'): skipped")
        whole = best_of(contestants, args.repeats)

        m = args.floor_samples
        pm.simulate(scenario, BLOCK_SIZE, seed=seed)  # warm up imports and caches
        inside = best_of(
            {
                f"simulate, all outputs ({m:,})": lambda: pm.simulate(scenario, m, seed=seed),
                f"simulate, 2 outputs ({m:,})": lambda: pm.simulate(
                    scenario, m, seed=seed, outputs=TWO_OUTPUTS
                ),
                f"floor: draws only ({m:,})": lambda: floor(scenario, m, seed),
            },
            args.repeats,
        )

        dask: dict[str, list[float]] = {}
        if importlib.util.find_spec("distributed") is not None:
            import distributed

            with (
                distributed.LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
                ) as cluster,
                distributed.Client(cluster) as client,
            ):
                executor = client.get_executor()
                pm.simulate(scenario, 4 * BLOCK_SIZE, seed=seed, executor=executor)  # warm up
                dask = best_of(
                    {
                        f"simulate, no executor ({n:,})": lambda: pm.simulate(
                            scenario, n, seed=seed
                        ),
                        f"simulate on Dask, 2 workers ({n:,})": lambda: pm.simulate(
                            scenario, n, seed=seed, executor=executor
                        ),
                    },
                    args.repeats,
                )
        else:
            print("distributed is not installed (pip install 'paymodel[distributed]'): skipped")

    best = {name: min(times) for name, times in {**whole, **inside, **dask}.items()}
    middle = {name: statistics.median(times) for name, times in {**whole, **inside, **dask}.items()}
    all_name, two_name = f"simulate, all outputs ({m:,})", f"simulate, 2 outputs ({m:,})"
    floor_name = f"floor: draws only ({m:,})"

    def ratio(top: str, bottom: str) -> str:
        """A ratio of best times, and of median times in brackets."""
        return f"{best[top] / best[bottom]:.2f}× (medians {middle[top] / middle[bottom]:.2f}×)"

    all_vs_floor = best[all_name] / best[floor_name]
    two_vs_floor = best[two_name] / best[floor_name]
    print("ratios (best times; of the median times in brackets):")
    met = True
    if has_squigglepy:
        squigglepy = "squigglepy, 2 outputs (process)"
        versus = best[squigglepy] / best["paymodel, 2 outputs (process)"]
        print(
            "  squigglepy / paymodel, the same 2 outputs, whole process = "
            f"{ratio(squigglepy, 'paymodel, 2 outputs (process)')}"
        )
        print(
            "  squigglepy (2 outputs) / paymodel (all outputs), whole process = "
            f"{ratio(squigglepy, 'paymodel simulate (process)')}"
        )
        met &= target(
            f"paymodel ≥ {TARGET_VS_SQUIGGLEPY}× faster than squigglepy",
            versus >= TARGET_VS_SQUIGGLEPY,
        )
    print(f"  simulate (all outputs) / floor, {m:,} samples = {ratio(all_name, floor_name)}")
    print(f"  simulate (2 outputs) / floor, {m:,} samples = {ratio(two_name, floor_name)}")
    met &= target(
        f"all outputs ≤ {TARGET_ALL_VS_FLOOR}× the floor", all_vs_floor <= TARGET_ALL_VS_FLOOR
    )
    met &= target(
        f"two outputs ≤ {TARGET_TWO_VS_FLOOR}× the floor", two_vs_floor <= TARGET_TWO_VS_FLOOR
    )
    print(
        "  --workers 1 / --workers 2, whole process = "
        f"{ratio('paymodel simulate (process)', 'paymodel --workers 2 (process)')} faster with two"
    )
    if dask:
        print(
            "  no executor / Dask LocalCluster (2 workers) = "
            f"{ratio(f'simulate, no executor ({n:,})', f'simulate on Dask, 2 workers ({n:,})')}"
            " faster on Dask"
        )
    rate = m / best[f"simulate, all outputs ({m:,})"] / 1e6
    floor_rate = m / best[f"floor: draws only ({m:,})"] / 1e6
    print(f"throughput (M samples/s): simulate {rate:.1f}, floor {floor_rate:.1f}")
    lower_bound(scenario, seed, best[floor_name] / -(-m // BLOCK_SIZE), args.repeats)
    raw_timings({**whole, **inside, **dask})
    if args.profile:
        profile(scenario, min(n, 4 * 10**6), seed)
        profile(scenario, min(n, 4 * 10**6), seed, TWO_OUTPUTS)
    finish(met, args.check)


if __name__ == "__main__":
    main()
