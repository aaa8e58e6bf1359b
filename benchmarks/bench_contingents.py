"""Contingents cost nothing when there is one, and at most their number when there are many.

Every analysis evaluates a scenario through `paymodel.contingents.evaluate_scenario`: the
scenario's input arrays split per contingent, the one kernel once per contingent, then one
combining step. Contestants, ``simulate`` on the same samples in one process:

one [deployment], kernel directly
    the built-in ``span-sources`` (four uncertain inputs, one ``[deployment]``), with
    ``evaluate_scenario`` replaced by the kernel called on the draws as they come, which is
    what ``simulate`` did before contingents existed: the baseline.
one [deployment]
    the same scenario through ``evaluate_scenario``, as every command runs it now.
one [[contingents]]
    the same deployment written as one ``[[contingents]]`` table.
ten [[contingents]]
    ten contingents of a tenth of the troops each, starting a month apart (one combining
    step over ten kernel evaluations, plus each contingent's statistics).

Targets (issue 12): one contingent within 5 % of the baseline; ten contingents at most ten
times one contingent per sample.

Run: ``.venv/bin/python benchmarks/bench_contingents.py [--samples N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from _bench import best_of, finish, header, raw_timings, target

import paymodel as pm
import paymodel.simulate as simulate_module
from paymodel.contingents import ScenarioEvaluation, Structure, evaluate_scenario
from paymodel.kernel import evaluate

#: Targets: one contingent / the kernel called directly, ten contingents / one.
ONE_TARGET = 1.05
TEN_TARGET = 10.0


def _kernel_directly(
    structure: Structure, inputs: Mapping[str, Any], *, through: Any = None
) -> ScenarioEvaluation:
    """What simulate did before contingents: the kernel on the draws, nothing else."""
    evaluation = evaluate(inputs)
    deaths = evaluation.outputs["deaths"]
    return ScenarioEvaluation(evaluation, (evaluation,), (), (), deaths, (), ())


def _as_contingents(scenario: pm.Scenario, count: int) -> pm.Scenario:
    """The deployment as ``count`` contingents of 1/count of the troops, a month apart."""
    deployment = scenario.deployment
    assert deployment is not None
    data = scenario.model_dump(mode="python")
    data.pop("deployment")
    window = deployment.model_dump(mode="python")
    troops = window.pop("troops")
    if isinstance(troops, dict):
        troops = {k: v / count if k in ("low", "high") else v for k, v in troops.items()}
    else:
        troops = troops / count
    data["correlations"] = []
    data["citations"] = {}
    data["assumptions"] = {}
    data["contingents"] = [
        {"name": f"group {i}", "start": i, "troops": troops, **window} for i in range(count)
    ]
    return pm.Scenario.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    header("contingents: one costs nothing, ten cost at most ten")

    base = pm.builtin("span-sources")
    one = _as_contingents(base, 1)
    ten = _as_contingents(base, 10)
    samples = args.samples

    def run(scenario: pm.Scenario) -> Any:
        return pm.simulate(scenario, samples, seed=1)

    def baseline() -> Any:
        simulate_module.evaluate_scenario = _kernel_directly  # type: ignore[assignment]
        try:
            return run(base)
        finally:
            simulate_module.evaluate_scenario = evaluate_scenario

    contestants = {
        "one [deployment], kernel directly": baseline,
        "one [deployment]": lambda: run(base),
        "one [[contingents]]": lambda: run(one),
        "ten [[contingents]]": lambda: run(ten),
    }
    for scenario in (base, one, ten):  # warm up: imports, caches
        pm.simulate(scenario, 1_000, seed=1)
    same = baseline().statistics("regime_revenue_usd") == run(base).statistics("regime_revenue_usd")
    times = best_of(contestants, args.repeats)
    best = {name: min(values) for name, values in times.items()}
    print(f"{samples:,} samples of span-sources, best of {args.repeats}:")
    for name, seconds in best.items():
        print(f"  {name:<36} {seconds:8.3f} s  {samples / seconds / 1e6:6.2f} M samples/s")
    ratio_one = best["one [deployment]"] / best["one [deployment], kernel directly"]
    ratio_contingent = best["one [[contingents]]"] / best["one [deployment], kernel directly"]
    ratio_ten = best["ten [[contingents]]"] / best["one [[contingents]]"]
    print(f"one [deployment] / kernel directly:    {ratio_one:.3f}")
    print(f"one [[contingents]] / kernel directly: {ratio_contingent:.3f}")
    print(f"ten [[contingents]] / one:             {ratio_ten:.2f}")
    print(f"same statistics with and without the scenario-level step: {same}")
    raw_timings(times)
    within = f"one contingent within {ONE_TARGET - 1:.0%} of the kernel alone"
    met = target(within, ratio_one <= ONE_TARGET)
    met &= target(f"ten contingents at most {TEN_TARGET:g}x one", ratio_ten <= TEN_TARGET)
    met &= target("identical statistics", same)
    finish(met, args.check)


if __name__ == "__main__":
    main()
