"""Sweeps: hand-worked grids, conservation, agreement with compute, errors, shapes, CLI."""

from __future__ import annotations

import csv
import importlib
import io
import json
import math
import sys
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import paymodel as pm
from grid_strategies import values_in, variable_paths, varied_scenarios
from helpers import bad, ok, ok_json
from paymodel import limits
from paymodel.kernel import OUTPUT_NAMES
from paymodel.sweep import (
    CSV_ROWS_AT_ONCE,
    MAX_GRID_POINTS,
    POINTS_PER_CHUNK,
    TEXT_OUTPUTS,
    chunk_points,
    grid_chunks,
    parse_values,
)
from paymodel.workers import worker_pool

INDEPENDENT = pm.builtin("independent-90")  # $2,000, one layer 0.9, 11,000 troops, 12 months


def grid_of_troops_and_shares() -> pm.Sweep:
    return pm.sweep(
        INDEPENDENT, {"deployment.troops": "11000:15000:5", "diversion.0.share": [0.9, 0.95, 1.0]}
    )


# -- hand-worked values ---------------------------------------------------------------------


def test_regime_revenue_over_troops_and_share_by_hand() -> None:
    result = grid_of_troops_and_shares()
    # Per year = share·2,000 $/month × 12 months × troops (a 12-month deployment):
    # 0.9·2000·12 = 21,600 $/troop → 11,000 troops: 237,600,000; 15,000: 324,000,000;
    # 0.95·2000·12 = 22,800 → 250,800,000 … 342,000,000; 1.0 → 24,000 → 264,000,000 … 360,000,000.
    per_troop = np.array([21_600.0, 22_800.0, 24_000.0])
    troops = np.array([11_000.0, 12_000.0, 13_000.0, 14_000.0, 15_000.0])
    expected = troops[:, None] * per_troop[None, :]
    np.testing.assert_allclose(result["regime_revenue_per_year_usd"], expected, rtol=1e-12)
    assert result["regime_revenue_per_year_usd"][0, 0] == 237_600_000.0
    assert result["regime_revenue_per_year_usd"][-1, -1] == 360_000_000.0
    # The soldier keeps 2,000·(1 − s) whatever the troop count: 200, 100, 0.
    np.testing.assert_allclose(
        result["take_home_monthly_usd"], np.tile([200.0, 100.0, 0.0], (5, 1)), atol=1e-9
    )


def test_a_distribution_is_replaced_by_the_values_swept() -> None:
    # independent-90's tour is uniform 6 … 12 months; swept, it takes each value:
    # per tour = 200 $/month × 6 = 1,200 and × 12 = 2,400 (The Independent's range, PAY-02).
    assert isinstance(INDEPENDENT.deployment.tour_months, pm.Uniform)
    result = pm.sweep(INDEPENDENT, {"deployment.tour_months": [6, 12]})
    assert result["take_home_per_tour_usd"].tolist() == [1200.0, 2400.0]
    # Individuals: max(H, S/T) = max(11,000, 132,000/6 = 22,000) and max(11,000, 11,000).
    assert result["individuals_deployed"].tolist() == [22_000.0, 11_000.0]


def test_a_quota_replaces_a_share_layer() -> None:
    # diversion.0 becomes a quota q: the soldier keeps max(2,000 − q, 0): 1,500 and 0.
    result = pm.sweep(INDEPENDENT, {"diversion.0.quota_monthly_usd": [500, 2500]})
    assert result["take_home_monthly_usd"].tolist() == [1500.0, 0.0]
    # The layer takes min(q, 2,000)·132,000 soldier-months: 66,000,000 and 264,000,000.
    assert result.layers["state treasury"].tolist() == [66_000_000.0, 264_000_000.0]


def test_the_tour_can_be_swept_when_it_defaults_to_the_deployment() -> None:
    nis = pm.builtin("nis-estimate")  # $2,000, all of it kept, 11,000 troops, 12 months
    assert nis.deployment.tour_months is None
    result = pm.sweep(nis, {"deployment.tour_months": [3, 12]})
    # I = max(11,000, 132,000/3 = 44,000) = 44,000 and 11,000.
    assert result["individuals_deployed"].tolist() == [44_000.0, 11_000.0]


def test_replace_losses_is_swept_as_zero_and_one() -> None:
    scenario = INDEPENDENT.evolve(**{"deployment.monthly_death_rate": 0.5, "deployment.months": 2})
    result = pm.sweep(scenario, {"deployment.replace_losses": [0, 1]})
    # Not replaced: S = H·(1 − 0.5²)/0.5 = 1.5·H = 16,500; D = H·(1 − 0.25) = 8,250.
    # Replaced: S = H·M = 22,000; D = k·H·M = 11,000.
    assert result["soldier_months"].tolist() == [16_500.0, 22_000.0]
    assert result["deaths"].tolist() == [8_250.0, 11_000.0]
    for same in ([False, True], "0,1", "false, TRUE"):
        again = pm.sweep(scenario, {"deployment.replace_losses": same})
        assert again["deaths"].tolist() == [8_250.0, 11_000.0]


def test_sweeping_the_in_kind_share_reports_the_in_kind_layer() -> None:
    # independent-90 pays all in cash, so it has no "in kind" layer; at κ = 0.5 the state
    # receives 0.5·264,000,000 = 132,000,000 in goods and the treasury 0.9 of the rest.
    result = pm.sweep(INDEPENDENT, {"pay.in_kind_share": [0.0, 0.5]})
    assert list(result.layers) == ["in kind", "state treasury"]
    assert result.layers["in kind"].tolist() == [0.0, 132_000_000.0]
    assert result.layers["state treasury"].tolist() == [237_600_000.0, 118_800_000.0]


def test_layer_name_and_index_paths_are_the_same_input() -> None:
    by_name = pm.sweep(INDEPENDENT, {"diversion.state treasury.share": [0.5, 0.8]})
    by_index = pm.sweep(INDEPENDENT, {"diversion.0.share": [0.5, 0.8]})
    assert by_name.paths == ("diversion.state treasury.share",)  # labelled as given
    for name in OUTPUT_NAMES:
        np.testing.assert_array_equal(by_name[name], by_index[name])


# -- invariants and agreement with compute --------------------------------------------------


def test_money_is_conserved_at_every_grid_point() -> None:
    result = pm.sweep(
        pm.builtin("casualty-aware"),
        {
            "deployment.monthly_death_rate": "0:0.05:6",
            "pay.death_benefit_usd": [0, 30_000, 100_000],
            "pay.in_kind_share": [0, 0.3],
            "deployment.replace_losses": [0, 1],
        },
    )
    assert result.shape == (6, 3, 2, 2)
    assert result.size == 72
    paid = result["paid_usd"]
    revenue = result["regime_revenue_usd"]
    np.testing.assert_allclose(paid, revenue + result["soldiers_take_home_usd"], rtol=1e-12)
    np.testing.assert_allclose(revenue, sum(result.layers.values()), rtol=1e-12)


@st.composite
def sweeps(draw: st.DrawFn) -> tuple[pm.Scenario, list[tuple[str, list[float]]]]:
    """A scenario and one or two axes of in-domain values over its inputs."""
    scenario = draw(varied_scenarios())
    paths = variable_paths(scenario)
    # At most one rule per layer: a layer takes a share or a quota, not both.
    chosen = draw(
        st.lists(
            st.sampled_from(paths),
            min_size=1,
            max_size=2,
            unique_by=lambda path: (
                path.rpartition(".")[0] if path.startswith("diversion.") else path
            ),
        )
    )
    axes = []
    for path in chosen:
        domain = scenario.variable_input(path)[1]
        axes.append((path, draw(st.lists(values_in(domain), min_size=1, max_size=3))))
    return scenario, axes


@given(sweeps())
def test_every_grid_point_equals_compute_on_the_evolved_scenario(
    case: tuple[pm.Scenario, list[tuple[str, list[float]]]],
) -> None:
    scenario, axes = case
    result = pm.sweep(scenario, axes)
    assert result.shape == tuple(len(values) for _, values in axes)
    for index in np.ndindex(*result.shape):
        changes = {path: values[i] for (path, values), i in zip(axes, index, strict=True)}
        point = pm.compute(scenario.evolve(**changes))
        # The same elementwise arithmetic on the same numbers: equal bit for bit.
        for name in OUTPUT_NAMES:
            assert result[name][index] == point.outputs[name], (changes, name)
        for layer in point.layers:
            assert result.layers[layer.name][index] == layer.revenue_usd, (changes, layer)
        paid = result["paid_usd"][index]
        kept = result["regime_revenue_usd"][index] + result["soldiers_take_home_usd"][index]
        assert paid == pytest.approx(kept, rel=1e-9, abs=1e-9)


# -- shape and labels -----------------------------------------------------------------------


def test_shape_and_labels() -> None:
    result = grid_of_troops_and_shares()
    assert result.scenario == "independent-90"
    assert result.paths == ("deployment.troops", "diversion.0.share")
    assert result.shape == (5, 3)
    assert result.size == 15
    assert result.axes[0][1].tolist() == [11_000.0, 12_000.0, 13_000.0, 14_000.0, 15_000.0]
    assert result.axes[1][1].tolist() == [0.9, 0.95, 1.0]
    assert list(result.outputs) == list(OUTPUT_NAMES)
    assert all(array.shape == (5, 3) for array in result.outputs.values())
    assert list(result.layers) == ["state treasury"]
    assert result["layer:state treasury"] is result.layers["state treasury"]
    with pytest.raises(KeyError, match="no output or layer named 'revenue'"):
        result["revenue"]


def test_pairs_keep_their_order_and_a_single_number_is_one_value() -> None:
    result = pm.sweep(INDEPENDENT, [("diversion.0.share", 0.5), ("deployment.troops", [1, 2])])
    assert result.paths == ("diversion.0.share", "deployment.troops")
    assert result.shape == (1, 2)
    # 2,000·0.5·12·troops: 12,000 and 24,000.
    assert result["regime_revenue_usd"].tolist() == [[12_000.0, 24_000.0]]


# -- VALUES text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("11000:15000:5", [11_000.0, 12_000.0, 13_000.0, 14_000.0, 15_000.0]),
        ("0:1:3", [0.0, 0.5, 1.0]),
        ("1:0:3", [1.0, 0.5, 0.0]),
        ("0.9,0.95,1", [0.9, 0.95, 1.0]),
        (" 0.9 , 1 ", [0.9, 1.0]),
        ("1e3", [1000.0]),
        ("11_000", [11_000.0]),
        ("-1, 2", [-1.0, 2.0]),  # parsed here; the domain is checked by sweep
    ],
)
def test_values_are_parsed(text: str, values: list[float]) -> None:
    assert parse_values(text).tolist() == values


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no values"),
        ("   ", "no values"),
        ("1:2", "'1:2' is not start:stop:count"),
        ("1:2:3:4", "is not start:stop:count"),
        ("a:2:3", "'a' is not a number"),
        ("1:2:x", "must be a whole number (got 'x')"),
        ("1:2:2.5", "must be a whole number (got '2.5')"),
        ("1:2:1", "must be at least 2"),
        ("1:2:0", "must be at least 2"),
        ("1:2:-3", "must be at least 2"),
        ("1,,2", "an empty value in '1,,2'"),
        ("1,", "an empty value"),
        ("nan", "must be a finite number"),
        ("1,inf", "must be a finite number"),
        ("1:inf:3", "must be a finite number"),
        ("0.9;1", "'0.9;1' is not a number"),
        (f"0:1:{MAX_GRID_POINTS + 1}", "a sweep takes at most 100,000,000"),
    ],
)
def test_bad_values_text_is_one_line(text: str, fragment: str) -> None:
    with pytest.raises(pm.ScenarioError, match=r"^pay\.gross_monthly_usd: ") as caught:
        parse_values(text, "pay.gross_monthly_usd")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


# -- errors, before any work ----------------------------------------------------------------

BAD_SWEEPS: list[tuple[Any, str]] = [
    ({}, "give at least one path"),
    (
        {"deployment.troop": [1]},
        "deployment.troop: not a numeric input of this scenario; did you mean "
        "'deployment.troops'? (inputs: ",
    ),
    ({"diversion.3.share": [0.5]}, "diversion.3.share: no layer '3' in diversion"),
    ({"diversion.commanders.share": [0.5]}, "no layer 'commanders' in diversion"),
    ({"diversion.0.name": [1]}, "diversion.0.name: not a numeric input"),
    ({"name": [1]}, "name: not a numeric input"),
    ({"baseline.kpw_per_usd": [10_000]}, "baseline.kpw_per_usd: not a numeric input"),
    ({"deployment.replace_losses": [0.5]}, "a sweep takes it as 0 or false, 1 or true (got 0.5)"),
    ({"deployment.troops": [0, 5]}, "deployment.troops: must be between 1 and 10,000,000 (got 0)"),
    ({"diversion.0.share": "0.5:1.5:3"}, "diversion.0.share: must be between 0 and 1 (got 1.5)"),
    ({"pay.gross_monthly_usd": [1e-9]}, "must be 0 or at least 1e-06"),
    ({"deployment.months": [-1]}, "deployment.months: must be between 0.0333 and 1,200"),
    ({"deployment.troops": []}, "deployment.troops: no values"),
    ({"deployment.troops": [[1, 2]]}, "must be a flat list (got shape (1, 2))"),
    ({"deployment.troops": ["a"]}, "the values must be numbers"),
    ({"deployment.troops": [math.nan]}, "must be a finite number (got nan)"),
    ({"deployment.troops": "1,2,x"}, "'x' is not a number"),
    ([("deployment.troops", [1]), ("deployment.troops", [2])], "swept twice; give each path once"),
    (
        [("diversion.0.share", [1]), ("diversion.state treasury.share", [0])],
        "swept twice (also as 'diversion.0.share')",
    ),
    ([(3, [1])], "grid must be a path as text, such as ('deployment.troops', '11000:15000:5')"),
    (
        [("diversion.0.share", [0.5]), ("diversion.state treasury.quota_monthly_usd", [100])],
        "the layer is also swept as 'diversion.0.share'; a layer takes a share or a quota",
    ),
    (
        {"deployment.troops": "1:10000:20000", "deployment.months": "1:12:10000"},
        "the grid has 200,000,000 points; at most 100,000,000",
    ),
]


@pytest.mark.parametrize(("grid", "fragment"), BAD_SWEEPS, ids=lambda x: str(x)[:40])
def test_bad_sweeps_fail_before_any_work(
    grid: Any, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_work(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the kernel ran before the input was checked")

    monkeypatch.setattr(importlib.import_module("paymodel.sweep"), "evaluate_scenario", no_work)
    with pytest.raises(pm.ScenarioError) as caught:
        pm.sweep(INDEPENDENT, grid)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_largest_grid_allowed_is_not_refused_for_its_size() -> None:
    # 10⁸ points exactly pass the size check (the domain check then refuses 0 troops, so
    # nothing is allocated beyond the two axes).
    with pytest.raises(pm.ScenarioError, match="got 0"):
        pm.sweep(
            INDEPENDENT, {"deployment.troops": "0:1:10000", "pay.gross_monthly_usd": "0:1:10000"}
        )


# -- results: dict, JSON, CSV, text, frame, xarray -------------------------------------------


def test_to_dict_is_design_shape_with_nested_lists() -> None:
    data = grid_of_troops_and_shares().to_dict()
    assert list(data) == ["scenario", "axes", "outputs", "layers"]
    assert data["axes"] == [
        {"path": "deployment.troops", "values": [11000.0, 12000.0, 13000.0, 14000.0, 15000.0]},
        {"path": "diversion.0.share", "values": [0.9, 0.95, 1.0]},
    ]
    assert list(data["outputs"]) == list(OUTPUT_NAMES)
    revenue = data["outputs"]["regime_revenue_per_year_usd"]
    assert len(revenue) == 5
    assert all(len(row) == 3 for row in revenue)
    assert revenue[0][0] == 237_600_000.0
    assert data["layers"][0]["name"] == "state treasury"
    assert data["layers"][0]["revenue_usd"][4][2] == 360_000_000.0  # 2,000·12·15,000
    assert json.loads(grid_of_troops_and_shares().to_json()) == data


def test_chosen_outputs_and_layers() -> None:
    result = grid_of_troops_and_shares()
    data = result.to_dict(["take_home_monthly_usd", "state treasury"])
    assert list(data["outputs"]) == ["take_home_monthly_usd"]
    assert [layer["name"] for layer in data["layers"]] == ["state treasury"]
    with pytest.raises(pm.ScenarioError, match="no output or layer named 'bogus'"):
        result.to_dict(["bogus"])
    with pytest.raises(pm.ScenarioError, match="given twice"):
        result.to_csv(["state treasury", "layer:state treasury"])


def test_csv_has_one_row_per_point_with_the_last_axis_fastest() -> None:
    text = grid_of_troops_and_shares().to_csv()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "deployment.troops",
        "diversion.0.share",
        *OUTPUT_NAMES,
        "layer:state treasury",
    ]
    assert len(rows) == 1 + 15
    assert [row[:2] for row in rows[1:4]] == [
        ["11000.0", "0.9"],
        ["11000.0", "0.95"],
        ["11000.0", "1.0"],
    ]
    column = rows[0].index("regime_revenue_per_year_usd")
    assert float(rows[1][column]) == 237_600_000.0
    assert float(rows[-1][column]) == 360_000_000.0
    # Full precision: every number reads back to the same float.
    result = grid_of_troops_and_shares()
    values = [float(row[column]) for row in rows[1:]]
    assert values == result["regime_revenue_per_year_usd"].ravel().tolist()


def test_text_shows_a_matrix_per_output_for_two_axes() -> None:
    text = grid_of_troops_and_shares().to_text(["regime_revenue_per_year_usd"])
    lines = text.splitlines()
    assert lines[0] == (
        "independent-90: sweep over deployment.troops (5) × diversion.0.share (3), 15 points"
    )
    assert "regime_revenue_per_year_usd" in lines
    assert lines[3].split() == ["deployment.troops", "\\", "diversion.0.share", "0.9", "0.95", "1"]
    assert lines[5].split() == ["11,000", "$237.6", "M", "$250.8", "M", "$264.0", "M"]


def test_text_shows_a_layer_in_dollars() -> None:
    # The treasury takes s·2,000·12·11,000: 0.5 → $132,000,000, 1 → $264,000,000; compact in
    # a matrix cell, in full in a row.
    grid = pm.sweep(INDEPENDENT, {"deployment.troops": [11_000], "diversion.0.share": [0.5, 1]})
    lines = grid.to_text(["layer:state treasury"]).splitlines()
    assert lines[2] == "layer:state treasury"
    assert lines[5].split() == ["11,000", "$132.0", "M", "$264.0", "M"]
    row = pm.sweep(INDEPENDENT, {"diversion.0.share": [0.5]}).to_text(["state treasury"])
    assert row.splitlines()[3].split() == ["0.5", "$132,000,000"]


def test_text_shows_one_row_per_point_otherwise() -> None:
    text = pm.sweep(INDEPENDENT, {"deployment.tour_months": [6, 12]}).to_text()
    lines = text.splitlines()
    assert lines[1].split() == ["deployment.tour_months", *TEXT_OUTPUTS]
    assert lines[3].split() == ["6", "$200", "$1,200", "$237,600,000", "90.0", "%"]
    assert lines[4].split() == ["12", "$200", "$2,400", "$237,600,000", "90.0", "%"]


def test_to_frame_one_row_per_point() -> None:
    frame = grid_of_troops_and_shares().to_frame()
    assert list(frame.columns) == [
        "deployment.troops",
        "diversion.0.share",
        *OUTPUT_NAMES,
        "layer:state treasury",
    ]
    assert len(frame) == 15
    row = frame[(frame["deployment.troops"] == 13_000) & (frame["diversion.0.share"] == 1.0)]
    assert row["regime_revenue_usd"].tolist() == [312_000_000.0]  # 2,000·12·13,000
    assert frame.attrs["scenario"] == "independent-90"


def test_to_xarray_labels_dimensions_with_paths() -> None:
    dataset = grid_of_troops_and_shares().to_xarray()
    assert dataset["regime_revenue_usd"].dims == ("deployment.troops", "diversion.0.share")
    picked = dataset["regime_revenue_usd"].sel(
        {"deployment.troops": 14_000, "diversion.0.share": 0.9}
    )
    assert float(picked) == 302_400_000.0  # 1,800·12·14,000
    assert "layer:state treasury" in dataset
    assert dataset.attrs["scenario"] == "independent-90"


@pytest.mark.parametrize(
    ("method", "module", "extra"),
    [("to_frame", "pandas", "frame"), ("to_xarray", "xarray", "xarray")],
)
def test_missing_extras_name_the_install(
    method: str, module: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # importing it now fails
    with pytest.raises(pm.MissingExtraError, match=rf"pip install 'paymodel\[{extra}\]'"):
        getattr(grid_of_troops_and_shares(), method)()


# -- command line ---------------------------------------------------------------------------


def test_cli_text_matrix() -> None:
    out = ok(
        "sweep",
        "independent-90",
        "--set",
        "deployment.troops=11000:15000:5",
        "--set",
        "diversion.0.share=0.9,0.95,1",
        "--output",
        "regime_revenue_per_year_usd",
    )
    assert out == grid_of_troops_and_shares().to_text(["regime_revenue_per_year_usd"]) + "\n"
    assert "$360.0 M" in out


def test_cli_json_is_the_design_shape() -> None:
    data = ok_json(
        "sweep",
        "independent-90",
        "--set",
        "deployment.troops=11000,15000",
        "--set",
        "diversion.state treasury.share=0.9,1",
    )
    assert list(data) == ["scenario", "axes", "outputs", "layers"]
    assert data["axes"] == [
        {"path": "deployment.troops", "values": [11000.0, 15000.0]},
        {"path": "diversion.state treasury.share", "values": [0.9, 1.0]},
    ]
    # 11,000 → 237.6 M and 264 M; 15,000 → 324 M and 360 M.
    assert data["outputs"]["regime_revenue_per_year_usd"] == [
        [237_600_000.0, 264_000_000.0],
        [324_000_000.0, 360_000_000.0],
    ]


def test_cli_json_with_chosen_outputs() -> None:
    data = ok_json(
        "sweep",
        "independent-90",
        "--set",
        "deployment.tour_months=6,12",
        "--output",
        "take_home_per_tour_usd",
    )
    assert data["outputs"] == {"take_home_per_tour_usd": [1200.0, 2400.0]}
    assert data["layers"] == []


def test_cli_csv() -> None:
    out = ok(
        "sweep", "independent-90", "--set", "deployment.tour_months=6,12", "--csv",
        "--output", "take_home_per_tour_usd", "--output", "state treasury",
    )  # fmt: skip
    assert out == (
        "deployment.tour_months,take_home_per_tour_usd,layer:state treasury\n"
        "6.0,1200.0,237600000.0\n"
        "12.0,2400.0,237600000.0\n"
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ((), "the following arguments are required: --set"),
        (("--set", "deployment.troops"), "--set 'deployment.troops': give PATH=VALUES"),
        (("--set", "=1,2"), "give PATH=VALUES"),
        (("--set", "deployment.troops=1:2"), "'1:2' is not start:stop:count"),
        (("--set", "deployment.troops=0,1"), "deployment.troops: must be between 1 and"),
        (("--set", "deployment.soldiers=1"), "deployment.soldiers: not a numeric input"),
        (("--set", "deployment.replace_losses=2"), "takes it as 0 or false, 1 or true (got 2)"),
        (("--set", "deployment.replace_losses=yes"), "deployment.replace_losses: 'yes' is not a"),
        (
            ("--set", "deployment.troops=1", "--set", "deployment.troops=2"),
            "deployment.troops: swept twice",
        ),
        (
            # streamed as CSV, the grid meets the sweep's own limit
            (
                "--set",
                "deployment.troops=1:2:20000",
                "--set",
                "deployment.months=1:2:10000",
                "--csv",
            ),
            "the grid has 200,000,000 points; at most 100,000,000",
        ),
        (("--set", "deployment.troops=1", "--output", "bogus"), "no output or layer named 'bogus'"),
        (("--set", "deployment.troops=1", "--json", "--csv"), "not allowed with argument"),
    ],
)
def test_cli_bad_input_is_one_line(argv: tuple[str, ...], fragment: str) -> None:
    assert fragment in bad("sweep", "independent-90", *argv)


def test_cli_text_and_json_are_bounded_and_csv_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1,000 × 1,001 points: as text, 4 outputs + 2 axes = 6 columns, 6,006,000 values to lay
    # out > 5,000,000: refused before the kernel runs.
    def no_work(*args: object, **kwargs: object) -> object:
        raise AssertionError("the sweep ran before its size was checked")

    argv = ["sweep", "independent-90", "--set", "deployment.troops=1000:2000:1000",
            "--set", "deployment.months=1:2:1001"]  # fmt: skip
    with monkeypatch.context() as patched:
        # The CLI imports `sweep` from its module when the command runs.
        patched.setattr(importlib.import_module("paymodel.sweep"), "sweep", no_work)
        assert bad(*argv) == (
            "paymodel: error: sweep: 1,001,000 points × 6 columns is 6,006,000 values; at most "
            "5,000,000 as text, which is built whole (--csv streams larger grids; choose "
            "outputs with --output, sweep fewer values, or split the grid)"
        )
    # The same grid as CSV (once refused above a million points): one line a point.
    lines = ok(*argv, "--csv", "--output", "paid_usd").splitlines()
    assert len(lines) == 1 + 1_001_000
    assert lines[0] == "deployment.troops,deployment.months,paid_usd"
    # The last point: 2,000 troops × $2,000 a month × 2 months = $8,000,000.
    assert lines[-1] == "2000.0,2.0,8000000.0"


def test_write_csv_writes_a_slice_of_rows_at_a_time() -> None:
    class Recorder(io.StringIO):
        sizes: list[int]

        def write(self, text: str) -> int:
            self.sizes = [*getattr(self, "sizes", []), text.count("\n")]
            return super().write(text)

    result = pm.sweep(INDEPENDENT, {"deployment.troops": f"1000:2000:{CSV_ROWS_AT_ONCE * 2 + 5}"})
    stream = Recorder()
    result.write_csv(stream)
    # 2 × 16,384 + 5 rows: two full slices (the header with the first), then 5 rows.
    assert stream.sizes == [CSV_ROWS_AT_ONCE + 1, CSV_ROWS_AT_ONCE, 5]
    assert stream.getvalue() == result.to_csv()


# -- chunks and executors: the same bits, bounded memory -------------------------------------

#: Four axes a built-in may sweep, by the word its path ends with (the first such path of
#: `variable_paths`: a contingent's for deployment-as-reported), with values that do not
#: divide evenly into the chunks below: 3 × 3 × 4 × 2 = 72 points.
CHUNK_AXES = {
    "troops": [5_000.0, 11_000.0, 12_345.0],
    "monthly_death_rate": [0.0, 0.01, 0.037],
    "months": [3.0, 7.5, 12.0, 20.0],
    "replace_losses": [0.0, 1.0],
}
#: One point a chunk, chunks that divide 72 and chunks that leave a remainder, and one call.
CHUNK_SIZES = [1, 5, 7, 12, 13, 36, 71]


def chunk_grid(scenario: pm.Scenario) -> list[tuple[str, list[float]]]:
    paths = variable_paths(scenario)
    axes = []
    for word, values in CHUNK_AXES.items():
        path = next((p for p in paths if p.rpartition(".")[2] == word), None)
        if word == "replace_losses":
            path = "deployment.replace_losses" if scenario.deployment is not None else None
        if path is not None:
            axes.append((path, values))
    return axes


def same_bits(one: pm.Sweep, other: pm.Sweep) -> None:
    """Every output, layer and twin of two sweeps: the same shape and the same bytes."""
    assert list(one.outputs) == list(other.outputs)
    assert list(one.layers) == list(other.layers)
    assert list(one.layer_twins) == list(other.layer_twins)
    for group in ("outputs", "layers", "layer_twins"):
        for name, values in getattr(one, group).items():
            chunked = getattr(other, group)[name]
            assert chunked.shape == values.shape, (group, name)
            assert (
                np.ascontiguousarray(chunked).tobytes() == np.ascontiguousarray(values).tobytes()
            ), (group, name)


@pytest.mark.parametrize("name", pm.builtin_names())
def test_chunks_give_the_one_call_bit_for_bit(name: str) -> None:
    # The one call (chunk_size ≥ the grid) is the kernel on the axes' broadcast shapes, as
    # sweeps always were; chunks are the same broadcasts on blocks of the grid. Every
    # built-in, with and without a currency, to the end and through a month.
    scenario = pm.builtin(name)
    axes = chunk_grid(scenario)
    assert math.prod(len(values) for _, values in axes) >= 24
    through = "2025-03" if scenario.start is not None else 5
    with_rate = scenario.evolve(currency={"code": "KRW", "per_usd": 1395})
    for case in (scenario, with_rate):
        for cut in (None, through):
            whole = pm.sweep(case, axes, through=cut, chunk_size=10**6)
            for size in CHUNK_SIZES:
                same_bits(whole, pm.sweep(case, axes, through=cut, chunk_size=size))


@given(sweeps(), st.integers(1, 10))
def test_any_chunk_size_gives_the_same_bits(
    case: tuple[pm.Scenario, list[tuple[str, list[float]]]], size: int
) -> None:
    scenario, axes = case
    same_bits(pm.sweep(scenario, axes), pm.sweep(scenario, axes, chunk_size=size))


def test_grid_chunks_cover_every_point_once_in_order() -> None:
    for shape in [(7,), (3, 4), (2, 5), (4, 3, 5), (1, 1, 9), (6, 1, 2, 3)]:
        points = math.prod(shape)
        for largest in range(1, points + 2):
            chunks = grid_chunks(shape, largest)
            starts = [chunk.start for chunk in chunks]
            assert starts == sorted(starts)
            covered = np.concatenate([np.arange(points)[c.points] for c in chunks])
            assert covered.tolist() == list(range(points)), (shape, largest)
            assert all(0 < c.size <= largest for c in chunks)
            # The chunk's block is its points: index arrays sliced as the chunk slices them.
            index = np.arange(points).reshape(shape)
            for c in chunks:
                block = index[(*c.fixed, slice(c.first, c.stop))]
                assert block.ravel().tolist() == list(range(c.start, c.start + c.size))


@pytest.fixture(scope="module")
def pool() -> Iterator[Executor]:
    with ProcessPoolExecutor(max_workers=2) as executor:
        yield executor


@pytest.mark.parametrize("name", ["independent-90", "worker-quota", "deployment-as-reported"])
def test_chunks_on_worker_processes_are_bit_identical(name: str, pool: Executor) -> None:
    scenario = pm.builtin(name).evolve(currency={"code": "EUR", "per_usd": 0.92})
    axes = chunk_grid(scenario)
    serial = pm.sweep(scenario, axes, chunk_size=10**6)
    for size in (7, 13):
        same_bits(serial, pm.sweep(scenario, axes, chunk_size=size, executor=pool))
    # No chunk_size on an executor: POINTS_PER_CHUNK points a chunk (here one: the grid).
    same_bits(serial, pm.sweep(scenario, axes, executor=pool))


def test_chunks_on_a_dask_cluster_are_bit_identical() -> None:
    distributed = pytest.importorskip("distributed")
    scenario = pm.builtin("casualty-aware")
    axes = chunk_grid(scenario)
    serial = pm.sweep(scenario, axes, through=6)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = pm.sweep(scenario, axes, through=6, chunk_size=11,
                           executor=client.get_executor())  # fmt: skip
    same_bits(serial, on_dask)


def test_the_chunk_size_comes_from_the_working_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # independent-90: one layer, counted as 3 ("state transfer" and "in kind" may appear),
    # so the kernel holds 32 + 6 × 3 = 50 float64 values a point, 400 bytes. Here, a grid
    # whose kernel arrays fit in 167,772,160 values is one call: 167,772,160 // 50 =
    # 3,355,443 points. A larger one, chunks of 2**28 bytes of working memory: 671,088 points.
    assert chunk_points(INDEPENDENT, 3_355_443) == 3_355_443
    assert chunk_points(INDEPENDENT, 3_355_444) == 2**28 // 400 == 671_088
    # On an executor, POINTS_PER_CHUNK (65,536) unless the working memory holds fewer.
    with ProcessPoolExecutor(1) as executor:  # no process starts: nothing is submitted
        assert chunk_points(INDEPENDENT, 1000, executor=executor) == POINTS_PER_CHUNK
    # Asked for fewer than points / MAX_CHUNKS, the chunks are 10**7 / 10,000 = 1,000 points.
    assert chunk_points(INDEPENDENT, 10**7, chunk_size=10) == 1_000
    assert chunk_points(INDEPENDENT, 1000, chunk_size=10) == 10
    # A currency counts as one more evaluation (2 × 400 bytes); deployment-as-reported's
    # 5 contingents as five: 2**28 // 800 = 335,544 and 2**28 // (5 × 400) = 134,217; one
    # call up to 167,772,160 // 100 = 1,677,721 and // 250 = 671,088 points.
    with_rate = INDEPENDENT.evolve(currency={"code": "KRW", "per_usd": 1395})
    assert chunk_points(with_rate, 1_677_721) == 1_677_721
    assert chunk_points(with_rate, 1_677_722) == 335_544
    reported = pm.builtin("deployment-as-reported")
    assert len(reported.layer_names()) == 1
    assert chunk_points(reported, 671_088) == 671_088
    assert chunk_points(reported, 671_089) == 134_217
    # A smaller working memory, fewer points: 2**20 bytes // 400 = 2,621.
    monkeypatch.setattr(limits, "WORKING_BYTES", 1 << 20)
    assert chunk_points(INDEPENDENT, 10**7) == 2_621


def test_memory_is_the_results_and_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    # 200,000 troops on one axis: every column is a full array. Limits scaled down: 3,200,000
    # values hold the results (200,000 points × at most 16 columns) but not the one call's
    # kernel arrays (50 values a point, 10,000,000 values, some 80 MB); chunks of
    # 2**20 // 400 = 2,621 points hold about 1 MB at a time. What stays is the results:
    # 200,000 points × 14 columns (13 outputs and the one layer) × 8 bytes = 22.4 MB.
    monkeypatch.setattr(importlib.import_module("paymodel.sweep"), "MAX_ARRAY_VALUES", 3_200_000)
    monkeypatch.setattr(limits, "WORKING_BYTES", 1 << 20)
    tracemalloc.start()
    try:
        result = pm.sweep(INDEPENDENT, {"deployment.troops": "1000:200999:200000"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    columns = len(result.outputs) + len(result.layers)
    assert columns == 14
    results = 200_000 * columns * 8
    assert results <= peak <= results + 4 * 2**20
    # 1000 troops at $2,000 a month, 10 % kept, 12 months: 1000 × 200 × 12 = $2,400,000.
    assert result["soldiers_take_home_usd"][0] == 2_400_000
    assert result["soldiers_take_home_usd"][-1] == 200_999 * 200 * 12


def test_a_grid_too_big_for_one_kernel_call_is_swept_in_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With a limit of 16,000 values: the results of independent-90 are 16 columns a point
    # at most (13 outputs and 3 layers, "state transfer" and "in kind" counted), so 1,000
    # points fit exactly. The one call would have held 50 values a point (the kernel's
    # arrays with 3 layers), 50,000 values, and was refused; now 1,000 points pass, in
    # chunks of 40,000 bytes // 400 = 100 points, and 1,001 are refused in one line.
    monkeypatch.setattr(importlib.import_module("paymodel.sweep"), "MAX_ARRAY_VALUES", 16_000)
    monkeypatch.setattr(limits, "WORKING_BYTES", 100 * 400)
    assert chunk_points(INDEPENDENT, 1000) == 100
    grid = {"deployment.troops": "1000:10990:1000"}
    chunked = pm.sweep(INDEPENDENT, grid)
    # 10,990 troops × $1,800 a month to the regime × 12 months = $237,384,000.
    assert chunked["regime_revenue_usd"][-1] == 237_384_000
    assert not chunked["regime_revenue_usd"].flags.writeable  # read-only, as one call's
    monkeypatch.undo()
    same_bits(pm.sweep(INDEPENDENT, grid), chunked)  # one call (1,000 ≤ 3,355,443 points)
    monkeypatch.setattr(importlib.import_module("paymodel.sweep"), "MAX_ARRAY_VALUES", 16_000)
    with pytest.raises(pm.ScenarioError) as caught:
        pm.sweep(INDEPENDENT, {"deployment.troops": "1000:11000:1001"})
    assert str(caught.value) == (
        "sweep: 1,001 grid points × 16 columns a point is 16,016 values (0.0 GiB); at most "
        "16,000 (0.000119209 GiB) are held at once; at most 1,000 points for this scenario's "
        "1 layers (sweep fewer values, or split the grid)"
    )


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"chunk_size": 0}, "chunk_size must be at least 1 (got 0)"),
        ({"chunk_size": 2.5}, "chunk_size must be a whole number"),
        (
            {"executor": 2},
            "executor must be a concurrent.futures.Executor or None (got an integer 2)",
        ),
    ],
)
def test_bad_chunk_size_or_executor_is_one_line(keywords: dict[str, Any], message: str) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        pm.sweep(INDEPENDENT, {"deployment.troops": [1, 2]}, **keywords)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_cli_workers_give_the_same_output_as_one() -> None:
    # 300 × 250 = 75,000 points: on workers, two chunks (65,536 + 9,464 points).
    argv = ["sweep", "independent-90", "--set", "deployment.troops=1000:2000:300",
            "--set", "diversion.0.share=0:1:250", "--through", "7"]  # fmt: skip
    assert len(grid_chunks((300, 250), POINTS_PER_CHUNK)) == 2
    json_argv = [*argv, "--json", "--output", "regime_revenue_usd", "--output", "deaths"]
    assert ok_json(*json_argv, "--workers", "2") == ok_json(*json_argv)
    csv_argv = [*argv, "--csv", "--output", "take_home_monthly_usd"]
    assert ok(*csv_argv, "--workers", "2") == ok(*csv_argv)
    assert "argument --workers: must be at least 1 (got 0)" in bad(*argv, "--workers", "0")


def test_a_worker_pool_shares_the_chunks() -> None:
    with worker_pool(2) as pool:
        small = pm.sweep(INDEPENDENT, {"deployment.troops": [1, 2, 3]}, executor=pool)
        assert pool.processes == 0  # one chunk: evaluated here, no process started
        grid = {"deployment.troops": "1000:2000:20", "diversion.0.share": "0:1:10"}
        shared = pm.sweep(INDEPENDENT, grid, chunk_size=50, executor=pool)
        assert pool.processes == 2  # 200 points, 4 chunks of 50: both workers start
    same_bits(pm.sweep(INDEPENDENT, {"deployment.troops": [1, 2, 3]}), small)
    same_bits(pm.sweep(INDEPENDENT, grid), shared)
