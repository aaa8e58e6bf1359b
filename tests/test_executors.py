"""Every sampling analysis on an executor: bit-identical to the serial run.

`paymodel.simulate` has its own tests (tests/test_simulate.py); here the other analyses
that draw or evaluate many samples: timeline bands, Sobol indices (and sensitivity through
them), discover's simulation and the report, in worker processes and on a Dask cluster,
and the command line's ``--workers`` for each. Sizes are small: the machine may have two
cores, and what is checked is equality, not speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import paymodel as pm
import paymodel.workers
from helpers import bad, ok, ok_json
from paymodel.sampling import BLOCK_SIZE
from paymodel.workers import POINTS_PER_TASK, TASKS_AHEAD, point_tasks, run_tasks, worker_pool

SPAN = pm.builtin("span-sources")
#: span-sources with an uncertain length: the months are found from the draws first.
LONGER = SPAN.evolve(**{"deployment.months": {"kind": "uniform", "low": 6, "high": 18}})
REVENUE = "regime_revenue_per_year_usd"


@pytest.fixture(scope="module")
def pool() -> Iterator[Executor]:
    with ProcessPoolExecutor(max_workers=2) as executor:
        yield executor


def test_timeline_bands_are_bit_identical_on_workers(pool: Executor) -> None:
    # 10,000 samples are 3 slices of at most 4,096 (4,096 + 4,096 + 1,808), so both
    # workers evaluate months; with uncertain months the month count comes first.
    assert point_tasks(10_000) == [slice(0, 4096), slice(4096, 8192), slice(8192, 10_000)]
    for scenario, method in ((SPAN, "mc"), (LONGER, "lhs")):
        serial = pm.timeline(scenario, samples=10_000, seed=5, method=method, keep_samples=True)
        parallel = pm.timeline(
            scenario, samples=10_000, seed=5, method=method, keep_samples=True, executor=pool
        )
        assert parallel.to_json() == serial.to_json()
        assert serial.kept is not None
        assert parallel.kept is not None
        for name, values in serial.kept.items():
            np.testing.assert_array_equal(parallel.kept[name], values, err_msg=name)


def test_timeline_samples_are_simulate_samples_whatever_the_slicing() -> None:
    # Sample i of the timeline is simulate's sample i: its last cumulative month equals
    # simulate's total for that sample, across a block boundary (65,536) and slices.
    samples = 65_536 + 100
    line = pm.timeline(SPAN, samples=samples, seed=9, keep_samples=True)
    sim = pm.simulate(SPAN, samples, seed=9, keep_samples=True)
    assert line.kept is not None
    totals = line.kept["regime_revenue_usd"].sum(axis=1)
    np.testing.assert_allclose(totals, sim.values("regime_revenue_usd"), rtol=1e-12)


def test_sobol_indices_are_bit_identical_on_workers(pool: Executor) -> None:
    # 8,192 base rows are two slices of 4,096: each worker evaluates A, B and every ABᵢ.
    serial = pm.sobol_indices(SPAN, REVENUE, 8192, seed=3, bootstrap=200)
    parallel = pm.sobol_indices(SPAN, REVENUE, 8192, seed=3, bootstrap=200, executor=pool)
    assert parallel.to_dict() == serial.to_dict()
    through = pm.sensitivity(SPAN, REVENUE, "sobol", samples=8192, seed=3, bootstrap=200,
                             executor=pool)  # fmt: skip
    assert through.to_dict() == serial.to_dict()


def test_the_report_is_identical_on_workers(pool: Executor, tmp_path: Path) -> None:
    pages = []
    for folder, executor in (("serial", None), ("parallel", pool)):
        (tmp_path / folder).mkdir()
        page = pm.report(
            ["span-sources"], tmp_path / folder / "r.html", samples=5_000, seed=2,
            executor=executor,
        )  # fmt: skip
        pages.append(page.read_bytes())
    assert pages[0] == pages[1]


def test_dask_cluster_gives_the_serial_timeline_and_indices() -> None:
    distributed = pytest.importorskip("distributed")
    serial_line = pm.timeline(SPAN, samples=6_000, seed=4)
    serial_indices = pm.sobol_indices(SPAN, REVENUE, 4096 + 512, seed=4, bootstrap=100)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor()
        line = pm.timeline(SPAN, samples=6_000, seed=4, executor=executor)
        indices = pm.sobol_indices(SPAN, REVENUE, 4096 + 512, seed=4, bootstrap=100,
                                   executor=executor)  # fmt: skip
    assert line.to_json() == serial_line.to_json()
    assert indices.to_dict() == serial_indices.to_dict()


@pytest.mark.parametrize(
    "call",
    [
        lambda e: pm.timeline(SPAN, samples=10, executor=e),
        lambda e: pm.sobol_indices(SPAN, REVENUE, 64, executor=e),
        lambda e: pm.simulate(SPAN, 10, executor=e),
        lambda e: pm.report(["span-sources"], "unused.html", samples=10, executor=e),
    ],
    ids=["timeline", "sobol", "simulate", "report"],
)
def test_an_executor_that_is_not_one_is_one_line(call: object) -> None:
    with pytest.raises(TypeError, match=r"^executor must be a concurrent.futures.Executor or "
                       r"None \(got an integer 2\)$"):  # fmt: skip
        call(2)  # type: ignore[operator]


# -- the pool: processes only for parallel work ------------------------------------------------


def test_a_pool_starts_no_process_for_work_that_cannot_be_shared() -> None:
    with worker_pool(2) as executor:
        pm.timeline(pm.builtin("nis-estimate"), executor=executor)  # no distributions
        pm.timeline(SPAN, samples=100, seed=1, executor=executor)  # one slice
        assert executor.processes == 0
        assert list(run_tasks(abs, [-3, -4, 5], executor)) == [3, 4, 5]  # in task order
        assert executor.processes == 2


def test_a_pool_starts_no_more_processes_than_tasks() -> None:
    with worker_pool(8) as executor:
        assert list(run_tasks(abs, [-1, -2], executor)) == [1, 2]
        assert executor.processes == 2


def test_point_tasks_cover_every_point_once() -> None:
    assert point_tasks(0) == []
    assert point_tasks(POINTS_PER_TASK) == [slice(0, POINTS_PER_TASK)]
    assert point_tasks(7, 3) == [slice(0, 3), slice(3, 6), slice(6, 7)]


# -- the command line's --workers --------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["timeline", "span-sources", "--samples", "10000", "--seed", "3"],
        [
            "sensitivity",
            "span-sources",
            "--output",
            REVENUE,
            "--method",
            "sobol",
            "--seed",
            "3",
            "--bootstrap",
            "200",
        ],
        [
            "discover",
            "span-sources",
            "--output",
            REVENUE,
            "--above",
            "300e6",
            "--seed",
            "3",
            "--samples",
            str(65_536 + 1000),
        ],
    ],
    ids=["timeline", "sensitivity", "discover"],
)
def test_two_workers_give_the_same_json_as_one(argv: list[str]) -> None:
    assert ok_json(*argv, "--workers", "2") == ok_json(*argv)


def test_report_with_two_workers_writes_the_same_file(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
    argv = ["report", "span-sources", "--samples", "3000", "--seed", "1"]
    ok(*argv, "--out", str(tmp_path / "one" / "r.html"))
    ok(*argv, "--out", str(tmp_path / "two" / "r.html"), "--workers", "2")
    assert (tmp_path / "one" / "r.html").read_bytes() == (tmp_path / "two" / "r.html").read_bytes()


def test_workers_flags_refuse_bad_values_in_one_line() -> None:
    for command in (["timeline", "span-sources"], ["discover", "span-sources", "--above", "1"]):
        assert "argument --workers: must be at least 1 (got 0)" in bad(*command, "--workers", "0")
    line = bad("sensitivity", "span-sources", "--output", REVENUE, "--workers", "2")
    assert line.endswith("sensitivity: --workers applies only to --method sobol")


class _Counting(Executor):
    """A thread pool that counts the tasks handed to it (through `submit`, as `map` does)."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(2)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.submitted += 1
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_run_tasks_hands_an_executor_two_windows_at_most() -> None:
    # A million tasks from a generator: Executor.map alone would submit them all before the
    # first result; run_tasks submits the first window, then one more before each read.
    with _Counting() as executor:
        results = run_tasks(abs, (-n for n in range(10**6)), executor)
        assert next(results) == 0
        assert executor.submitted == 2 * TASKS_AHEAD
        # The rest of the first window and the first of the second: reading that one
        # submits the third window.
        firsts = [next(results) for _ in range(TASKS_AHEAD)]
        assert firsts == list(range(1, TASKS_AHEAD + 1))
        assert executor.submitted == 3 * TASKS_AHEAD
        results.close()


@pytest.mark.xfail(
    strict=True,
    reason="closing run_tasks cancels only the window being read: Executor.map's iterator of "
    "the next window, never started, cancels nothing, so the caller's executor runs it whole",
)
def test_run_tasks_closed_cancels_every_task_not_started() -> None:
    gate, ran = threading.Event(), []

    def task(n: int) -> int:
        if n > TASKS_AHEAD:  # the second window's, after its first: held until the gate opens
            gate.wait()
        ran.append(n)
        return n

    with ThreadPoolExecutor(2) as executor:
        try:
            results = run_tasks(task, iter(range(10**6)), executor)
            # 257 results read: the first window and the first of the second (3 windows submitted)
            assert [next(results) for _ in range(TASKS_AHEAD + 1)] == list(range(TASKS_AHEAD + 1))
            results.close()
        finally:
            gate.set()
    # The 257 tasks read, and at most the two the threads had started; about 515 ran (the third
    # window whole, 256 tasks no one will read).
    assert TASKS_AHEAD + 1 <= len(ran) <= TASKS_AHEAD + 3, len(ran)


def test_windows_keep_the_task_order_and_simulate_its_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows of 2 tasks: 7 one-block tasks run in 4 windows, results in task order.
    monkeypatch.setattr(paymodel.workers, "TASKS_AHEAD", 2)
    with _Counting() as pool:
        assert list(run_tasks(abs, range(0, -7, -1), pool)) == [0, 1, 2, 3, 4, 5, 6]
        assert pool.submitted == 7
        scenario = pm.builtin("span-sources")
        serial = pm.simulate(scenario, 7 * BLOCK_SIZE - 5, seed=8)
        windowed = pm.simulate(
            scenario, 7 * BLOCK_SIZE - 5, seed=8, chunk_size=BLOCK_SIZE, executor=pool
        )
        assert pool.submitted == 7 + 7  # the simulation ran on the pool, one task a block
    assert windowed.to_dict() == serial.to_dict()


def test_an_interrupted_pool_drops_the_tasks_not_started() -> None:
    # Ctrl-C (or an error) inside `with worker_pool(...)` cancels what has not started
    # instead of running every waiting task first. Two workers hold at most two tasks running
    # and three queued (ProcessPoolExecutor queues workers + 1 ahead): of 400 half-second
    # tasks, at least 395 never start. Without the cancel, all 400 would run (100 s).
    with pytest.raises(KeyboardInterrupt), worker_pool(2) as pool:  # noqa: PT012
        futures = [pool.submit(time.sleep, 0.5) for _ in range(400)]
        raise KeyboardInterrupt
    assert sum(future.cancelled() for future in futures) >= 395
    assert all(future.done() for future in futures)
