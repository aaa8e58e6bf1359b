"""Run every benchmark, one after the other, each in its own process; then list the targets.

Run: ``.venv/bin/python benchmarks/run_all.py [--quick] [--check]``.

``--quick`` runs them on 10x fewer samples (a smoke test of the scripts, in well under a
minute; its ratios are not the targets' ratios). ``--check`` makes any benchmark exit 1
when it misses a target, and this script exit 1 when any did. Without squigglepy
installed, that benchmark is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Each script and the arguments of a quick run.
BENCHMARKS: dict[str, str] = {
    "bench_vs_numpy.py": "--samples 1000000 --loop-samples 10000 --repeats 2",
    "bench_vs_squigglepy.py": "--samples 1000000 --repeats 2 --squigglepy-repeats 1",
    "bench_floor.py": "--samples 1000000 --floor-samples 3000000 --repeats 1",
    "bench_memory.py": "--samples 1000000 10000000",
    "bench_sweep.py": "--side 50 --repeats 2 --loop-points 100",
    "bench_vs_salib.py": "--exponent 11 --repeats 2",
    "bench_load.py": "--repeats 2",
    "bench_contingents.py": "--samples 200000 --repeats 2",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer samples: a smoke test")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    failed, targets = [], []
    for script, quick in BENCHMARKS.items():
        if script == "bench_vs_squigglepy.py" and importlib.util.find_spec("squigglepy") is None:
            print(f"-- skipping {script}: pip install squigglepy==0.30\n", flush=True)
            continue
        if script == "bench_vs_salib.py" and importlib.util.find_spec("SALib") is None:
            print(f"-- skipping {script}: pip install 'SALib>=1.5'\n", flush=True)
            continue
        command = [sys.executable, str(HERE / script), *(quick.split() if args.quick else [])]
        if args.check:
            command.append("--check")
        done = subprocess.run(  # noqa: S603 - our own scripts
            command, capture_output=True, text=True, check=False
        )
        print(done.stdout, end="", flush=True)
        print(done.stderr, end="", file=sys.stderr, flush=True)
        print()
        targets += [line for line in done.stdout.splitlines() if line.startswith("TARGET")]
        if done.returncode != 0:
            failed.append(script)
    print("== targets")
    print("\n".join(targets))
    if failed:
        print(f"exit status not 0: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
