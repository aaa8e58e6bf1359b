"""Every sampling analysis on an executor: bit-identical to the serial run.

`paymodel.simulate` has its own tests (tests/test_simulate.py); here the other analyses
that draw or evaluate many samples: timeline bands, Sobol indices (and sensitivity through
them), discover's simulation and the report, in worker processes and on a Dask cluster,
and the command line's ``--workers`` for each. Sizes are small: the machine may have two
cores, and what is checked is equality, not speed.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import paymodel as pm
from helpers import bad, ok, ok_json
from paymodel.workers import POINTS_PER_TASK, point_tasks, run_tasks, worker_pool

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
