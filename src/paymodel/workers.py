"""Worker processes for `paymodel simulate --workers`: how many fit, and that they end.

Each worker is a whole Python process with numpy and scipy loaded (about 47 MB), and holds
one task's blocks of samples while it works. `most_workers` says how many the machine
takes: no more than the processor cores this process may run on, and no more than fit in
the memory available. `worker_pool` starts them so that they never outlive the process
that started them: each worker watches its parent, and exits when the parent is gone
(killed with ``kill -9``, which leaves it no chance to stop them).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from paymodel.limits import kernel_values_per_point
from paymodel.sampling import BLOCK_SIZE
from paymodel.scenario import Scenario

__all__ = [
    "WORKER_BASE_BYTES",
    "available_memory_bytes",
    "most_workers",
    "usable_cores",
    "worker_bytes",
    "worker_pool",
]

#: Memory of a worker before it draws a sample: the interpreter, numpy, scipy and paymodel
#: (measured at about 47 MB), with a margin.
WORKER_BASE_BYTES = 64 << 20

#: How often a worker looks whether its parent is still there [s].
_WATCH_SECONDS = 0.25


def usable_cores() -> int:
    """The processor cores this process may run on (its CPU affinity, where known)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def available_memory_bytes() -> int | None:
    """Memory available to new processes without swapping [bytes], or ``None`` if unknown.

    Linux's ``MemAvailable`` (``/proc/meminfo``); elsewhere the free physical pages.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def worker_bytes(scenario: Scenario, chunk_size: int, keep_samples: bool) -> int:
    """Memory one worker may use for a run of ``scenario`` [bytes].

    `WORKER_BASE_BYTES`, one block's draws and kernel arrays (8 bytes × 65,536 samples ×
    (`paymodel.limits.kernel_values_per_point` + uncertain inputs)) and, when samples are
    kept, a task's kept values twice (its own and the copy sent back to the parent).
    """
    from paymodel.simulate import kept_columns

    layers = len(scenario.layer_names())
    block = 8 * BLOCK_SIZE * (kernel_values_per_point(layers) + len(scenario.uncertain_inputs()))
    task = max(BLOCK_SIZE, chunk_size - chunk_size % BLOCK_SIZE)
    kept = 2 * 8 * task * kept_columns(scenario) if keep_samples else 0
    return WORKER_BASE_BYTES + block + kept


def most_workers(scenario: Scenario, chunk_size: int, keep_samples: bool) -> tuple[int, str]:
    """The most worker processes a run of ``scenario`` may start here, and why that many.

    Returns
    -------
    tuple
        ``(count, reason)``: the usable cores, or fewer when the memory available holds
        fewer workers of `worker_bytes` each (at least 1).
    """
    cores = usable_cores()
    available = available_memory_bytes()
    if available is None:
        return cores, f"the {cores} processor cores this process may use"
    each = worker_bytes(scenario, chunk_size, keep_samples)
    fit = max(1, available // each)
    if fit < cores:
        return fit, (
            f"the workers of about {each / 2**20:,.0f} MB each that fit in the "
            f"{available / 2**20:,.0f} MB of memory available"
        )
    return cores, f"the {cores} processor cores this process may use"


def _watch_parent(parent: int) -> None:
    """Worker initializer: exit this worker as soon as the process that started it is gone.

    A thread looks every `_WATCH_SECONDS` whether the parent process id has changed (an
    orphan is adopted by another process); then the worker ends at once. Portable, unlike
    Linux's ``PR_SET_PDEATHSIG``.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="paymodel-parent-watch", daemon=True).start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers exit when this process dies (see `_watch_parent`).

    Parameters
    ----------
    workers
        How many processes.
    """
    return ProcessPoolExecutor(
        max_workers=workers, initializer=_watch_parent, initargs=(os.getpid(),)
    )
