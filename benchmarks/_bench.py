"""Shared helpers of the benchmark scripts (timing, printing, targets).

Not a benchmark itself: the scripts beside it import it (run them as
``python benchmarks/<script>.py``, which puts this folder on ``sys.path``).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any


def best_of(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Time each function ``repeats`` times, interleaved (A, B, A, B, ...), in seconds.

    Interleaving spreads any drift of the machine (another process, frequency scaling)
    over every contestant instead of penalising whichever ran last.
    """
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return times


def time_once(function: Callable[[], Any]) -> tuple[float, Any]:
    """``(seconds, result)`` of one call."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def header(title: str) -> None:
    """A title line and the machine the numbers come from."""
    import numpy as np

    import paymodel

    print(f"== {title}")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"paymodel {paymodel.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min)"
    )


def raw_timings(times: dict[str, list[float]], scale: dict[str, float] | None = None) -> None:
    """Every repeat of every contestant, and the best."""
    print("raw timings (s):")
    width = max(len(name) for name in times)
    for name, values in times.items():
        shown = ", ".join(f"{v:.4f}" for v in values)
        note = ""
        if scale and name in scale:
            note = f"  (×{scale[name]:g} → {min(values) * scale[name]:.3f} s scaled)"
        print(f"  {name:<{width}}  best {min(values):.4f}  [{shown}]{note}")


def target(label: str, met: bool) -> bool:
    """Print a target line and return whether it was met."""
    print(f"TARGET {label}: {'met' if met else 'MISSED'}")
    return met


def finish(all_met: bool, check: bool) -> None:
    """Exit 1 when ``--check`` was given and a target was missed."""
    if check and not all_met:
        sys.exit(1)
