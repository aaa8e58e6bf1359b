"""Worker processes and the tasks they run: how many fit, that they end, and in what order.

Every sampling analysis (`paymodel.simulate`, `paymodel.timeline`,
`paymodel.sobol_indices`, and through them sensitivity, discover's simulation and the
report), and `paymodel.sweep` for the chunks of a large grid, cuts its work into tasks and
hands them to `run_tasks`: here one after the other, or on any `concurrent.futures.Executor`
(a `worker_pool`, a Dask ``distributed`` client's ``get_executor()``). A task never draws
from a generator it shares with another: blocks of samples draw from their own child of the
run's seed (`paymodel.sampling`), and the other tasks only evaluate points drawn (or grid
points chosen) before they were cut. So results are
bit-identical whatever the executor, the number of workers or the size of the tasks.

Each worker is a whole Python process with numpy and scipy loaded (about 47 MB), and holds
one task's blocks of samples while it works. `workers_that_fit` says how many the machine
takes: no more than the processor cores this process may run on, and no more than fit in
the memory available. `worker_pool` starts them so that they never outlive the process
that started them: each worker watches its parent, and exits when the parent is gone
(killed with ``kill -9``, which leaves it no chance to stop them).
"""

from __future__ import annotations

import itertools
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

from paymodel.arguments import check_type, check_whole
from paymodel.limits import WORKING_BYTES
from paymodel.sampling import BLOCK_SIZE

__all__ = [
    "POINTS_PER_TASK",
    "TASKS_AHEAD",
    "WORKER_BASE_BYTES",
    "WorkerPool",
    "available_memory_bytes",
    "block_tasks",
    "check_executor",
    "evaluation_worker_bytes",
    "point_tasks",
    "run_tasks",
    "task_count",
    "usable_cores",
    "worker_pool",
    "workers_that_fit",
]

Task = TypeVar("Task")
Result = TypeVar("Result")

#: Points one task evaluates when an analysis evaluates points drawn beforehand (a
#: timeline's months of a slice of samples, one matrix of a Sobol design): small enough
#: that a default run of 10,000 samples or 8,192 base points keeps two workers busy.
POINTS_PER_TASK = 4_096

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


def evaluation_worker_bytes() -> int:
    """Memory one worker may use evaluating points drawn beforehand [bytes].

    `WORKER_BASE_BYTES` and the kernel's working arrays, which every analysis keeps within
    `paymodel.limits.WORKING_BYTES` (a timeline's months, a Sobol design's matrices).
    """
    return WORKER_BASE_BYTES + WORKING_BYTES


def workers_that_fit(each: int) -> tuple[int, str]:
    """The most worker processes of ``each`` bytes that may start here, and why that many.

    Parameters
    ----------
    each
        Memory one worker may use [bytes] (`paymodel.simulate.worker_bytes`,
        `evaluation_worker_bytes`).

    Returns
    -------
    tuple
        ``(count, reason)``: the usable cores, or fewer when the memory available holds
        fewer workers (at least 1).
    """
    cores = usable_cores()
    available = available_memory_bytes()
    if available is None:
        return cores, f"the {cores} processor cores this process may use"
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


class WorkerPool(Executor):
    """Up to ``workers`` processes that exit when this process dies (see `_watch_parent`).

    No process starts before work that can run in parallel: the first `map` of more than
    one task starts as many as it has tasks, at most ``workers``, and later calls reuse
    them; a `map` of one task before that runs here. So an analysis given a pool it cannot
    use (a tornado, a timeline without distributions, 10 samples) starts none.

    Parameters
    ----------
    workers
        The most processes, at least 1.

    Raises
    ------
    ArgumentTypeError
        When ``workers`` is not a whole number.
    ArgumentError
        When it is below 1.
    """

    def __init__(self, workers: int) -> None:
        self._workers = check_whole(workers, "workers", low=1)
        self._pool: ProcessPoolExecutor | None = None
        self._processes = 0

    @property
    def processes(self) -> int:
        """How many processes the pool holds (0 until work ran in parallel)."""
        return self._processes

    def _started(self, tasks: int) -> ProcessPoolExecutor:
        if self._pool is None:
            self._processes = max(1, min(self._workers, tasks))
            self._pool = ProcessPoolExecutor(
                max_workers=self._processes,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def submit(self, fn: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Future[Result]:
        """Run ``fn(*args, **kwargs)`` in a worker (starting the processes if needed)."""
        return self._started(self._workers).submit(fn, *args, **kwargs)

    def map(
        self,
        fn: Callable[..., Result],
        *iterables: Iterable[Any],
        timeout: float | None = None,
        chunksize: int = 1,
    ) -> Iterator[Result]:
        """``fn`` on each task, results in task order; one task runs here if none started."""
        tasks = list(zip(*iterables, strict=False))
        if self._pool is None and len(tasks) <= 1:
            return iter([fn(*task) for task in tasks])
        pool = self._started(len(tasks))
        return pool.map(fn, *zip(*tasks, strict=True), timeout=timeout, chunksize=chunksize)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the processes, if any started."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        """Stop the processes; after an error or Ctrl-C, the tasks not yet started are dropped."""
        self.shutdown(wait=True, cancel_futures=kind is not None)


def worker_pool(workers: int) -> WorkerPool:
    """A process pool whose workers exit when this process dies (see `WorkerPool`).

    Parameters
    ----------
    workers
        The most processes, at least 1; none start before work that can run in parallel.

    Raises
    ------
    ArgumentTypeError
        When ``workers`` is not a whole number (``"2"``, ``2.0``).
    ArgumentError
        When it is below 1.
    """
    return WorkerPool(workers)


def check_executor(executor: object) -> Executor | None:
    """Check an ``executor=`` argument: a `concurrent.futures.Executor` or ``None``."""
    check_type(
        executor, (Executor, type(None)), "executor", "a concurrent.futures.Executor or None"
    )
    return executor  # type: ignore[return-value] # checked just above


def run_tasks(
    function: Callable[[Task], Result], tasks: Iterable[Task], executor: Executor | None
) -> Iterator[Result]:
    """``function`` on each task, here one after the other or on ``executor``, in task order.

    Parameters
    ----------
    function
        What one task does; it and the tasks must pickle when ``executor`` runs them in
        other processes (a module-level function, or a `functools.partial` of one).
    tasks
        The tasks, in the order their results are wanted; read as they are needed, so a
        generator of millions of tasks is never held whole.
    executor
        ``None`` (here, lazily: a task runs when its result is asked for) or any
        `concurrent.futures.Executor`, given the tasks in windows of `TASKS_AHEAD` with the
        next window submitted before the results of the one before are read: at most
        ``2 * TASKS_AHEAD`` tasks and their results are waiting at any time
        (`Executor.map` alone submits every task at once).

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as pool:
    ...     list(run_tasks(abs, range(-3, 0), pool))
    [3, 2, 1]
    """
    if executor is None:
        return map(function, tasks)
    return _in_windows(function, iter(tasks), executor)


#: Tasks handed to an executor at a time by `run_tasks` (one window; two may be waiting).
TASKS_AHEAD = 256


def _in_windows(
    function: Callable[[Task], Result], tasks: Iterator[Task], executor: Executor
) -> Iterator[Result]:
    """`run_tasks` on an executor: `Executor.map` on windows of tasks, one window ahead."""
    waiting: deque[Iterator[Result]] = deque()
    while window := list(itertools.islice(tasks, TASKS_AHEAD)):
        waiting.append(executor.map(function, window))
        if len(waiting) == 2:  # the next window is submitted: read the one before
            yield from waiting.popleft()
    while waiting:
        yield from waiting.popleft()


def task_count(samples: int, chunk_size: int) -> int:
    """How many tasks a run of ``samples`` is cut into: more workers than this would idle.

    >>> task_count(1_000, 262_144), task_count(10**6, 262_144)
    (1, 4)
    """
    # Counted, not iterated: --samples 10²⁰ is refused later, and must not hang here first.
    blocks = math.ceil(samples / BLOCK_SIZE)
    return -(-blocks // max(1, chunk_size // BLOCK_SIZE))


def block_tasks(samples: int, chunk_size: int) -> Iterator[range]:
    """The blocks of a run of ``samples``, grouped into tasks of about ``chunk_size`` samples.

    Examples
    --------
    >>> list(block_tasks(3 * BLOCK_SIZE + 1, 2 * BLOCK_SIZE))
    [range(0, 2), range(2, 4)]
    """
    blocks = math.ceil(samples / BLOCK_SIZE)
    per_task = max(1, chunk_size // BLOCK_SIZE)
    for start in range(0, blocks, per_task):
        yield range(start, min(start + per_task, blocks))


def point_tasks(points: int, largest: int = POINTS_PER_TASK) -> list[slice]:
    """Consecutive slices of ``points`` points drawn beforehand, at most ``largest`` each.

    Examples
    --------
    >>> point_tasks(10_000)
    [slice(0, 4096, None), slice(4096, 8192, None), slice(8192, 10000, None)]
    """
    step = max(1, largest)
    return [slice(start, min(start + step, points)) for start in range(0, points, step)]
