"""Peak memory of a streaming ``simulate`` on ``span-sources``: constant in the sample count.

Each measurement runs in a fresh child Python, so nothing earlier inflates its peak:

baseline
    a child that only imports numpy and paymodel.
N samples
    a child that imports the same, then runs ``simulate(builtin("span-sources"), N)``
    (streaming, default chunk size, no executor).

For each child two peaks are read: ``VmHWM`` from ``/proc/self/status`` inside the child
(its resident high-water mark), and ``ru_maxrss`` of that one child from ``os.wait4`` in
the parent (the kernel's count of the same thing, as ``getrusage(RUSAGE_CHILDREN)`` would
give it for a single child). The figure that matters is the child's peak minus the
baseline's: what simulate itself holds at its peak. Target: under 200 MiB for 10**8 samples,
and the same at 10**7 (the peak does not grow with N).

Linux only (``/proc``, ``os.wait4``). Run:
``.venv/bin/python benchmarks/bench_memory.py [--samples 10000000 100000000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from _bench import finish, header, target

#: Target of the issue: extra peak resident memory of a 10**8-sample simulate, in MiB.
TARGET_MIB = 200.0

CHILD = r"""
import json, sys, time
import numpy as np
import paymodel as pm

samples = int(sys.argv[1])
seconds = 0.0
if samples:
    scenario = pm.builtin("span-sources")
    start = time.perf_counter()
    sim = pm.simulate(scenario, samples, seed=20240601)
    seconds = time.perf_counter() - start
    assert sim.samples == samples
status = dict(
    line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line
)
kib = {key: int(status[key].split()[0]) for key in ("VmHWM", "VmRSS")}
print(json.dumps({"samples": samples, "seconds": seconds, **kib}))
"""


def measure(samples: int) -> dict[str, float]:
    """Run one child; its report plus ``ru_maxrss`` (KiB) and the child's wall time."""
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CHILD, str(samples)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"child for {samples:,} samples failed (exit {child.returncode})")
    report = json.loads(output)
    return {**report, "ru_maxrss": usage.ru_maxrss, "wall": wall}


def mib(kib: float) -> float:
    return kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[10**7, 10**8])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    header("bench_memory: peak RSS of simulate(span-sources) in a fresh child")
    baseline = measure(0)
    print(
        f"baseline (import numpy, paymodel): VmHWM {mib(baseline['VmHWM']):.1f} MiB, "
        f"ru_maxrss {mib(baseline['ru_maxrss']):.1f} MiB, child wall {baseline['wall']:.2f} s"
    )
    extras = {}
    for samples in args.samples:
        run = measure(samples)
        extra = mib(run["VmHWM"] - baseline["VmHWM"])
        extra_ru = mib(run["ru_maxrss"] - baseline["ru_maxrss"])
        extras[samples] = extra
        print(
            f"{samples:>13,} samples: VmHWM {mib(run['VmHWM']):.1f} MiB "
            f"(+{extra:.1f} MiB over baseline), ru_maxrss {mib(run['ru_maxrss']):.1f} MiB "
            f"(+{extra_ru:.1f}); simulate {run['seconds']:.2f} s, "
            f"{samples / run['seconds'] / 1e6:.2f} M samples/s; child wall {run['wall']:.2f} s"
        )
    met = True
    if 10**8 in extras:
        met = target(f"10**8 samples under {TARGET_MIB:.0f} MiB", extras[10**8] < TARGET_MIB)
    if len(extras) > 1:
        low, high = min(extras), max(extras)
        growth = extras[high] - extras[low]
        print(f"growth from {low:,} to {high:,} samples: {growth:+.1f} MiB")
        # "does not grow with N": allow allocator noise of a few MiB.
        met = target("peak does not grow with N (within 16 MiB)", growth < 16) and met
    finish(met, args.check)


if __name__ == "__main__":
    main()
