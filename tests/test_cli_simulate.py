"""``paymodel simulate`` in process: its JSON shape, reproducibility, flags and errors.

``paymodel.cli.main(argv, stdout=..., stderr=...)`` returns the exit status: 0 on success,
2 for bad input with one line on stderr and no traceback.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import paymodel as pm
from helpers import bad, ok, ok_json
from paymodel.cli import main
from paymodel.kernel import OUTPUT_NAMES
from paymodel.sampling import BLOCK_SIZE
from paymodel.summary import Summary

STATISTICS = ["mean", "std", "min", "max", "p5", "p25", "p50", "p75", "p95"]
#: DESIGN §5's keys, then the two this project adds ("method" and "layers").
KEYS = ["scenario", "samples", "seed", "outputs", "method", "layers"]


# -- the JSON shape ---------------------------------------------------------------------------


def test_json_has_the_design_keys_plus_method_and_layers() -> None:
    data = ok_json("simulate", "span-sources", "--samples", "20000", "--seed", "3")
    assert sorted(data) == sorted(KEYS)
    assert (data["scenario"], data["samples"], data["seed"], data["method"]) == (
        "span-sources",
        20_000,
        3,
        "mc",
    )
    assert list(data["outputs"]) == list(OUTPUT_NAMES)
    for name, statistics in data["outputs"].items():
        assert list(statistics) == STATISTICS, name
        assert all(isinstance(v, float) for v in statistics.values()), name
        ordered = [statistics[s] for s in ("min", "p5", "p25", "p50", "p75", "p95", "max")]
        assert ordered == sorted(ordered), name
        assert statistics["min"] <= statistics["mean"] <= statistics["max"], name
    assert data["layers"] == [{"name": "state treasury", **data["outputs"]["regime_revenue_usd"]}]


def test_json_equals_the_python_api() -> None:
    data = ok_json("simulate", "span-sources", "--samples", "20000", "--seed", "3")
    assert data == pm.simulate(pm.builtin("span-sources"), 20_000, seed=3).to_dict()


def test_fixed_scenario_gives_the_point_estimate_with_no_spread() -> None:
    # nis-estimate has no distribution: every sample is the point estimate, 2,000 × 11,000 × 12.
    data = ok_json("simulate", "nis-estimate", "--samples", "1000", "--seed", "1")
    point = pm.compute(pm.builtin("nis-estimate")).outputs
    for name, statistics in data["outputs"].items():
        assert statistics == {**dict.fromkeys(STATISTICS, point[name]), "std": 0.0}, name
    assert data["outputs"]["regime_revenue_usd"]["p50"] == 264_000_000


def test_layers_put_in_kind_first() -> None:
    data = ok_json("simulate", "in-kind-credit", "--samples", "1000", "--seed", "1")
    assert [layer["name"] for layer in data["layers"]] == ["in kind", "state treasury"]
    assert all(list(layer) == ["name", *STATISTICS] for layer in data["layers"])


# -- reproducibility --------------------------------------------------------------------------


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_same_seed_gives_identical_stdout(json_flag: list[str]) -> None:
    argv = ["simulate", "span-sources", "--samples", "20000", "--seed", "3", *json_flag]
    assert ok(*argv) == ok(*argv)
    other = ["simulate", "span-sources", "--samples", "20000", "--seed", "4", *json_flag]
    assert ok(*other) != ok(*argv)


def test_without_a_seed_the_seed_is_printed_and_repeats_the_run() -> None:
    first = ok("simulate", "span-sources", "--samples", "5000")
    seed = re.search(r"seed (\d+);", first.splitlines()[0])
    assert seed is not None, first
    assert ok("simulate", "span-sources", "--samples", "5000", "--seed", seed[1]) == first
    data = ok_json("simulate", "span-sources", "--samples", "5000")
    again = ok_json("simulate", "span-sources", "--samples", "5000", "--seed", str(data["seed"]))
    assert again == data


def test_two_workers_give_the_same_json_as_one() -> None:
    # Four blocks in tasks of one block each, so two processes really share the work.
    argv = ["simulate", "span-sources", "--samples", str(3 * BLOCK_SIZE + 1234), "--seed", "3"]
    argv += ["--chunk-size", str(BLOCK_SIZE)]
    one = ok_json(*argv, "--workers", "1")
    two = ok_json(*argv, "--workers", "2")
    assert two == one
    assert ok_json(*argv[:-2], "--chunk-size", "1000000") == one  # nor does the chunk size


def test_no_more_processes_than_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    # 10 samples make one task: asking for 200 workers used to start 200 processes (and
    # --workers 100000 hung the machine); now the run stays in this process.
    import paymodel.workers  # the CLI imports what it uses from here when a command runs

    def no_pool(*_: object) -> None:
        raise AssertionError("a process pool was started for a single task")

    monkeypatch.setattr(paymodel.workers, "worker_pool", no_pool)
    monkeypatch.setattr(paymodel.workers, "usable_cores", lambda: 200)  # as on a large machine
    argv = ["simulate", "span-sources", "--samples", "10", "--seed", "3"]
    assert ok_json(*argv, "--workers", "200") == ok_json(*argv)


def test_twenty_thousand_samples_with_two_workers() -> None:
    argv = ["simulate", "span-sources", "--samples", "20000", "--seed", "3"]
    assert ok_json(*argv, "--workers", "2") == ok_json(*argv, "--workers", "1")


# -- methods and kept samples -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_other_methods_work_and_repeat(method: str) -> None:
    argv = ["simulate", "span-sources", "--samples", "20000", "--seed", "3", "--method", method]
    data = ok_json(*argv)
    assert data["method"] == method
    assert sorted(data) == sorted(KEYS)
    assert ok_json(*argv) == data
    mc = ok_json("simulate", "span-sources", "--samples", "20000", "--seed", "3")
    assert data["outputs"] != mc["outputs"]
    # The same distributions, drawn differently: the means agree within sampling noise.
    revenue, revenue_mc = (d["outputs"]["regime_revenue_per_year_usd"] for d in (data, mc))
    assert abs(revenue["mean"] - revenue_mc["mean"]) < 4 * revenue_mc["std"] / 20_000**0.5
    assert f"({method}, seed 3;" in ok(*argv)


def test_keep_samples_gives_exact_percentiles() -> None:
    argv = ["simulate", "span-sources", "--samples", "20000", "--seed", "3"]
    kept = ok_json(*argv, "--keep-samples")
    streamed = ok_json(*argv)
    python = pm.simulate(pm.builtin("span-sources"), 20_000, seed=3, keep_samples=True)
    assert kept == python.to_dict()
    for name in OUTPUT_NAMES:
        exact, estimate = kept["outputs"][name], streamed["outputs"][name]
        for statistic in ("mean", "std", "min", "max"):
            assert estimate[statistic] == exact[statistic], (name, statistic)
        for p in ("p5", "p25", "p50", "p75", "p95"):
            assert abs(estimate[p] - exact[p]) <= Summary.RELATIVE_ERROR * abs(exact[p]), (name, p)
    assert "exact percentiles" in ok(*argv, "--keep-samples").splitlines()[0]
    assert "streaming percentiles" in ok(*argv).splitlines()[0]


def test_samples_accept_underscores() -> None:
    data = ok_json("simulate", "nis-estimate", "--samples", "1_000", "--seed", "1")
    assert data["samples"] == 1_000


@pytest.mark.parametrize(("text", "count"), [("1e3", 1_000), ("1.5E3", 1_500), ("2_0e2", 2_000)])
def test_samples_and_seed_accept_whole_scientific_notation(text: str, count: int) -> None:
    data = ok_json("simulate", "nis-estimate", "--samples", text, "--seed", "1e1")
    assert (data["samples"], data["seed"]) == (count, 10)
    # the same run as the count written out
    assert data == ok_json("simulate", "nis-estimate", "--samples", str(count), "--seed", "10")


# -- text output ------------------------------------------------------------------------------


def test_text_lists_every_output_and_layer() -> None:
    out = ok("simulate", "in-kind-credit", "--samples", "2000", "--seed", "5")
    lines = out.splitlines()
    assert lines[0] == "in-kind-credit: 2,000 samples (mc, seed 5; streaming percentiles)"
    assert lines[1].split() == ["output", "mean", "p5", "median", "p95"]
    names = [line.split("  ")[0] for line in lines[3:]]
    assert names == [*OUTPUT_NAMES, "layer in kind", "layer state treasury"]


def test_help_lists_the_flags() -> None:
    out = ok("simulate", "--help")
    for flag in ("--samples", "--seed", "--method", "--chunk-size", "--workers", "--keep-samples"):
        assert flag in out, flag


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "fragment"),
    [
        (["--samples", "0"], "--samples: must be at least 1 (got 0)"),
        (["--samples", "x"], "--samples: must be a whole number (got 'x')"),
        (["--samples", "2.5"], "--samples: must be a whole number (got '2.5')"),
        (["--samples", "-3"], "--samples: must be at least 1 (got -3)"),
        (["--samples", "10000000000000"], "--samples: must be between 1 and 1,000,000,000,000"),
        (["--seed", "-1"], "--seed: must not be negative (got -1)"),
        (["--seed", "x"], "--seed: must be a whole number (got 'x')"),
        (["--method", "foo"], "--method: invalid choice: 'foo'"),
        (["--workers", "0"], "--workers: must be at least 1 (got 0)"),
        (
            ["--workers", "100000"],
            "--workers: must be at most {cores}, the processor cores this process may use "
            "(got 100000)",
        ),
        (["--chunk-size", "0"], "--chunk-size: must be at least 1 (got 0)"),
        (["--samples"], "--samples: expected one argument"),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_bad_flags(flags: list[str], fragment: str) -> None:
    from paymodel.workers import usable_cores

    message = bad("simulate", "span-sources", *flags)
    assert fragment.replace("{cores}", str(usable_cores())) in message


def test_bad_scenario_names() -> None:
    assert "did you mean 'span-sources'" in bad("simulate", "span-source", "--samples", "10")
    assert "required: SCENARIO" in bad("simulate", "--samples", "10")


UNCERTAIN = """\
name = "correlated"

[pay]
gross_monthly_usd = { kind = "lognormal", p5 = 1500, p95 = 2500 }

[[diversion]]
name = "state treasury"
share = { kind = "choice", values = [0.9, 1.0] }

[deployment]
troops = { kind = "uniform", low = 11000, high = 15000 }
months = 12
tour_months = { kind = "uniform", low = 6, high = 12 }
"""


def correlation(first: str, second: str, rank: float) -> str:
    return f'\n[[correlations]]\nbetween = ["{first}", "{second}"]\nrank = {rank}\n'


TROOPS, TOUR, PAY = "deployment.troops", "deployment.tour_months", "pay.gross_monthly_usd"


@pytest.mark.parametrize(
    ("tables", "fragment"),
    [
        (
            correlation("deployment.troop", TOUR, 0.5),
            "correlations.0: 'deployment.troop' is not an uncertain input",
        ),
        (
            correlation("deployment.months", TOUR, 0.5),
            "correlations.0: 'deployment.months' is not an uncertain input",
        ),
        (correlation(TOUR, TOUR, 0.5), "correlations.0: an input cannot be correlated with itself"),
        (
            correlation(TROOPS, TOUR, 0.5) + correlation(TOUR, TROOPS, 0.3),
            "correlations.1: the pair 'deployment.tour_months', 'deployment.troops' appears twice",
        ),
        (correlation(TROOPS, TOUR, 1.5), "correlations.0.rank: must be less than or equal to 1"),
        (
            correlation(TROOPS, TOUR, -1.5),
            "correlations.0.rank: must be greater than or equal to -1",
        ),
        (
            correlation(TROOPS, TOUR, 0.9)
            + correlation(TROOPS, PAY, 0.9)
            + correlation(TOUR, PAY, -0.9),
            "not positive semi-definite",
        ),
        ('\n[[correlations]]\nbetween = ["deployment.troops"]\nrank = 0.5\n', "correlations.0"),
        (correlation(TROOPS, TOUR, 0.5).replace("rank", "rnak"), "correlations.0"),
    ],
    ids=[
        "unknown-path",
        "fixed-input",
        "self",
        "duplicated-pair",
        "rank-above-1",
        "rank-below-minus-1",
        "not-psd",
        "one-path",
        "typo",
    ],
)
def test_bad_correlations_in_a_file(tmp_path: Path, tables: str, fragment: str) -> None:
    path = tmp_path / "correlated.toml"
    path.write_text(UNCERTAIN + tables, encoding="utf-8")
    message = bad("simulate", str(path), "--samples", "100", "--seed", "1")
    assert str(path) in message
    assert fragment in message
    with pytest.raises(pm.ScenarioError):  # --debug shows the error itself
        main(["simulate", str(path), "--debug"], stdout=io.StringIO(), stderr=io.StringIO())


def test_good_correlations_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "correlated.toml"
    path.write_text(UNCERTAIN + correlation(TROOPS, TOUR, 0.9), encoding="utf-8")
    argv = ["simulate", str(path), "--samples", "20000", "--seed", "3"]
    data = ok_json(*argv)
    assert data["scenario"] == "correlated"
    assert ok_json(*argv) == data
    # Individuals = 12·troops/tour: when troops and tours rise together it varies less.
    independent = tmp_path / "independent.toml"
    independent.write_text(UNCERTAIN, encoding="utf-8")
    alone = ok_json("simulate", str(independent), "--samples", "20000", "--seed", "3")
    spread = data["outputs"]["individuals_deployed"]["std"]
    assert spread < 0.7 * alone["outputs"]["individuals_deployed"]["std"]
    # Revenue does not depend on the tour: its distribution is the same within noise.
    revenue, revenue_alone = (
        d["outputs"]["regime_revenue_per_year_usd"]["mean"] for d in (data, alone)
    )
    assert abs(revenue / revenue_alone - 1) < 0.01


# -- --output ---------------------------------------------------------------------------------


def test_output_flags_give_those_outputs_of_the_full_run() -> None:
    base = ("simulate", "span-sources", "--samples", "70000", "--seed", "3")
    full = ok_json(*base)
    few = ok_json(*base, "--output", "diverted_share", "--output", "state treasury")
    assert list(few) == list(full)  # the shape of DESIGN §5, fewer keys
    assert few["outputs"] == {"diverted_share": full["outputs"]["diverted_share"]}
    assert few["layers"] == full["layers"]
    lines = ok(*base, "--output", "layer:state treasury").splitlines()
    assert [line.split("  ")[0] for line in lines[3:]] == ["layer state treasury"]


def test_output_flags_with_two_workers() -> None:
    base = ("simulate", "span-sources", "--samples", "140000", "--seed", "4", "--output", "deaths")
    one = ok_json(*base)
    assert one == ok_json(*base, "--workers", "2", "--chunk-size", "65536")
    assert one["outputs"]["deaths"]["max"] == 0.0


@pytest.mark.parametrize(
    ("flags", "fragment"),
    [
        (["--output", "paid"], "simulate: argument --output: no output or layer named 'paid'; "),
        (
            ["--output", "paid_usd", "--output", "stat"],
            "--output: no output or layer named 'stat' (",
        ),
        (["--output"], "--output: expected one argument"),
    ],
)
def test_bad_output_names(flags: list[str], fragment: str) -> None:
    assert fragment in bad("simulate", "span-sources", "--samples", "10", *flags)
