"""Loading and preparing a scenario is linear in its number of layers: 1,000 against 4,000.

Two measurements, each on 1,000 and on 4,000 layers (four times as many):

file refused
    ``load_scenario_file`` on a JSON file of that many layers, each with an uncertain share.
    Such a file is refused (at most `paymodel.limits.MAX_LAYERS` layers), and the refusal must
    come quickly: reading, parsing and the length check are linear.
preparing
    What every analysis does with a loaded scenario before the kernel runs: its inputs, the
    domain of each (``variable_input``), the point estimate's inputs (``point_inputs``), the
    sampling plan (``plan_sampling``) and the correlation check. The scenario is built with
    pydantic's ``model_construct`` from validated layers, past the layer limit, to show that
    these paths hold no hidden square: they once rebuilt every input for each input (8,000
    layers took 41 s).

Linear work gives a ratio near 4; work that grows with the square gives 16. Target: ≤ 6
for preparing; the refusal takes milliseconds (mostly parsing JSON), so its ratio is
informative and its target is to take under 0.1 s.
Run: ``.venv/bin/python benchmarks/bench_load.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _bench import best_of, finish, header, raw_timings, target

import paymodel as pm
from paymodel.inputs import point_inputs
from paymodel.sampling import plan_sampling
from paymodel.scenario import Deployment, Layer, Pay, Scenario

#: The layer counts compared.
SMALL, LARGE = 1_000, 4_000
#: Largest ratio of the times accepted as linear (4 is linear, 16 quadratic).
TARGET_RATIO = 6.0


def _document(layers: int) -> dict[str, object]:
    return {
        "name": f"layers-{layers}",
        "pay": {"gross_monthly_usd": 2000},
        "diversion": [
            {"name": f"layer {i}", "share": {"kind": "uniform", "low": 0.001, "high": 0.002}}
            for i in range(layers)
        ],
        "deployment": {"troops": 11000, "months": 12},
    }


def _constructed(layers: int) -> Scenario:
    """A scenario of ``layers`` validated layers, built past the layer limit."""
    document = _document(layers)
    return Scenario.model_construct(
        name=document["name"],
        pay=Pay.model_validate(document["pay"]),
        diversion=tuple(Layer.model_validate(x) for x in document["diversion"]),  # type: ignore[attr-defined]
        deployment=Deployment.model_validate(document["deployment"]),
    )


def _prepare(scenario: Scenario) -> None:
    for path in scenario.input_paths():
        scenario.variable_input(path)
    point_inputs(scenario)
    plan_sampling(scenario, "mc", 1)
    scenario._check_correlations()  # the validator's own work, timed


def _refused(path: Path) -> None:
    try:
        pm.load_scenario_file(path)
    except pm.ScenarioError as error:
        message = str(error)
    else:
        message = "accepted"
    if "at most" not in message:
        raise AssertionError(f"a scenario over the layer limit was not refused: {message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    header("loading and preparing: 1,000 against 4,000 layers")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for layers in (SMALL, LARGE):
            files[layers] = Path(folder) / f"layers-{layers}.json"
            files[layers].write_text(json.dumps(_document(layers)), encoding="utf-8")
        scenarios = {layers: _constructed(layers) for layers in (SMALL, LARGE)}
        _prepare(_constructed(10))  # imports and caches
        times = best_of(
            {
                f"file refused, {SMALL:,} layers": lambda: _refused(files[SMALL]),
                f"file refused, {LARGE:,} layers": lambda: _refused(files[LARGE]),
                # A fresh scenario each time: its tables of inputs are built once per scenario.
                f"preparing, {SMALL:,} layers": lambda: _prepare(scenarios[SMALL].model_copy()),
                f"preparing, {LARGE:,} layers": lambda: _prepare(scenarios[LARGE].model_copy()),
            },
            args.repeats,
        )
    met = True
    for what in ("preparing", "file refused"):
        small = min(times[f"{what}, {SMALL:,} layers"])
        large = min(times[f"{what}, {LARGE:,} layers"])
        ratio = large / small
        print(
            f"{what}: {small:.4f} s for {SMALL:,} layers, {large:.4f} s for {LARGE:,}: "
            f"ratio {ratio:.2f}"
        )
        label = f"{what}, {LARGE:,} / {SMALL:,} layers ≤ {TARGET_RATIO:g}"
        if what == "preparing":
            met &= target(label, ratio <= TARGET_RATIO)
        else:  # milliseconds, most of them parsing JSON: a ratio of noise
            target(f"(informative) {label}", ratio <= TARGET_RATIO)
            met &= target(f"{what}, {LARGE:,} layers in under 0.1 s", large < 0.1)
    raw_timings(times)
    finish(met, args.check)


if __name__ == "__main__":
    main()
