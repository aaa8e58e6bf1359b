"""The one place that turns a `Scenario` into kernel input arrays.

Every analysis gets its arrays here: `point_inputs` gives the point estimate (each
distribution at its median), and the analyses that sample or sweep replace some of those
values with arrays before calling `paymodel.kernel.evaluate`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel.arguments import check_texts, check_type
from paymodel.currency import RATE_NAME, dollar_keys_needed, with_twins
from paymodel.distributions import BaseDistribution
from paymodel.errors import ScenarioError
from paymodel.kernel import OUTPUT_NAMES, Evaluation
from paymodel.outputs import dollar_output_keys
from paymodel.scenario import IN_KIND_LAYER, STATE_TRANSFER_LAYER, Scenario

__all__ = [
    "drawn",
    "named_layer_revenues",
    "output_column",
    "output_columns",
    "point_inputs",
    "uncertain_inputs_of",
]


def drawn(scenario: Scenario, path: str, values: ArrayLike) -> NDArray[np.float64]:
    """Values taken from an input's distribution (median, quantiles, samples), in its domain.

    A value between 0 and the field's smallest nonzero value counts as 0 (or as that
    smallest value where 0 is not allowed): `paymodel.domains.Domain.snap`. Every analysis
    that takes values from a distribution passes them through here (or, for sampling, the
    same `snap` with the domains looked up once).

    Parameters
    ----------
    scenario
        The scenario the input belongs to.
    path
        The input's canonical dotted path.
    values
        Values from the input's distribution.
    """
    return scenario.variable_input(path)[1].snap(values)


def point_inputs(scenario: Scenario) -> dict[str, NDArray[np.generic]]:
    """Kernel inputs for the point estimate: numbers as given, distributions at their median.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    dict
        0-d arrays by dotted path, plus ``deployment.replace_losses`` (bool), or
        ``contingents.<i>.replace_losses`` for each contingent.
    """
    values: dict[str, NDArray[np.generic]] = {
        path: drawn(scenario, path, value.median())
        if isinstance(value, BaseDistribution)
        else np.asarray(value, dtype=np.float64)
        for path, value in scenario.inputs().items()
    }
    if scenario.deployment is not None:
        values["deployment.replace_losses"] = np.asarray(scenario.deployment.replace_losses)
    for i, contingent in enumerate(scenario.contingents):
        values[f"contingents.{i}.replace_losses"] = np.asarray(contingent.replace_losses)
    return values


def varied_inputs(
    scenario: Scenario, changes: Mapping[str, ArrayLike]
) -> dict[str, NDArray[np.generic]]:
    """Kernel inputs for the point estimate with some inputs replaced by arrays.

    Sweeps, goal-seeking and sensitivity analyses vary a few inputs over grid points or
    trial values and hold the rest at `point_inputs`.

    Parameters
    ----------
    scenario
        A validated scenario.
    changes
        Values by canonical dotted path (`Scenario.variable_input` checks a path and gives
        its canonical form); arrays that broadcast together. A value replaces the input's
        number or distribution; a layer's other rule (``diversion.0.quota_monthly_usd`` for
        a share layer) replaces its rule, as `Scenario.evolve` does.

    Returns
    -------
    dict
        Arrays by dotted path, ready for `paymodel.kernel.evaluate`.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel.kernel import evaluate
    >>> inputs = varied_inputs(pm.builtin("independent-90"), {"diversion.0.share": [0.5, 0.9]})
    >>> evaluate(inputs).outputs["take_home_monthly_usd"].tolist()
    [1000.0, 200.0]
    """
    values = point_inputs(scenario)
    for path, value in changes.items():
        parts = path.split(".")
        head = ".".join(parts[:-1])
        if len(parts) >= 3 and parts[-3] == "diversion":
            for rule in ("share", "quota_monthly_usd"):
                values.pop(f"{head}.{rule}", None)
        elif parts[-1] in ("deaths", "monthly_death_rate"):
            for rule in ("deaths", "monthly_death_rate"):
                values.pop(f"{head}.{rule}", None)
        boolean = parts[-1] == "replace_losses"  # swept as 0/1; no domain to snap into
        values[path] = np.asarray(value) if boolean else drawn(scenario, path, value)
    return values


def named_layer_revenues(
    layer_names: tuple[str, ...], evaluation: Evaluation
) -> list[tuple[str, NDArray[np.float64]]]:
    """The kernel's layer revenues paired with the names results report.

    Parameters
    ----------
    layer_names
        `Scenario.layer_names`: ``"state transfer"`` first when the scenario has state
        transfers, then ``"in kind"`` when it pays in goods (no diversion layer may take
        those names), then the diversion chain in order.
    evaluation
        What `paymodel.kernel.evaluate` returned for the scenario's inputs.
    """
    own = {
        STATE_TRANSFER_LAYER: evaluation.transfer_revenue_usd,
        IN_KIND_LAYER: evaluation.in_kind_revenue_usd,
    }
    first = [(name, own[name]) for name in layer_names[:2] if name in own]
    chain = zip(layer_names[len(first) :], evaluation.layer_revenue_usd, strict=True)
    return [*first, *chain]


def output_columns(
    layer_names: tuple[str, ...],
    evaluation: Evaluation,
    currency: str | None,
    only: Collection[str] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Every output, then each layer's revenue as ``"layer:<name>"``, with their twins.

    The one place that lists what an evaluation reports, by the keys of
    `paymodel.outputs.output_key`: the outputs of `paymodel.OUTPUT_NAMES`, each layer's
    revenue, and with a currency each money column's twin right after it
    (`paymodel.currency.with_twins`).

    Parameters
    ----------
    layer_names
        The layers of the evaluation (`Scenario.layer_names`, or a contingent's).
    evaluation
        What `paymodel.contingents.evaluate_scenario` returned for the scenario (its
        ``total``) or for one contingent.
    currency
        The scenario's currency code (`paymodel.contingents.Structure.currency`) or ``None``.
    only
        The keys wanted (outputs, ``"layer:<name>"`` and twins, as `paymodel.outputs.output_key`
        gives them), or ``None`` for every one. A twin needs its dollar column, which the
        evaluation must hold; nothing else is computed or returned.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel.contingents import Structure, evaluate_scenario
    >>> s = pm.builtin("nis-estimate").evolve(currency={"code": "KRW", "per_usd": 1395})
    >>> total = evaluate_scenario(Structure.of(s), point_inputs(s)).total
    >>> columns = output_columns(s.layer_names(), total, "KRW")
    >>> float(columns["regime_revenue_per_year_krw"])  # 264,000,000 $ × 1,395 KRW/$
    368280000000.0
    >>> float(columns["layer_krw:state treasury"])
    368280000000.0

    Raises
    ------
    ArgumentTypeError
        When ``layer_names`` is not a list of texts (a `Scenario` itself, say),
        ``evaluation`` not an `Evaluation` (a `ScenarioEvaluation`: pass its ``total``) or
        ``currency`` neither text nor ``None``.
    """
    check_texts(layer_names, "layer_names", example="scenario.layer_names()")
    check_type(
        evaluation, Evaluation, "evaluation", "an Evaluation, such as evaluate_scenario(...).total"
    )
    check_type(currency, (str, type(None)), "currency", "a currency's code, such as 'KRW', or None")
    dollar_keys = dollar_output_keys(layer_names)
    needed = None if only is None else dollar_keys_needed(only, dollar_keys)
    columns = {
        name: evaluation.outputs[name] for name in OUTPUT_NAMES if needed is None or name in needed
    }
    if needed is None or any(key.startswith("layer:") for key in needed):
        for name, revenue in named_layer_revenues(layer_names, evaluation):
            if needed is None or f"layer:{name}" in needed:
                columns[f"layer:{name}"] = revenue
    if currency is not None:
        columns = with_twins(columns, currency, evaluation.intermediates[RATE_NAME])
    if only is None:
        return columns
    return {key: values for key, values in columns.items() if key in only}


def output_column(scenario: Scenario, evaluation: Evaluation, key: str) -> NDArray[np.float64]:
    """One output, a layer's revenue (``"layer:<name>"``) or a twin, of an evaluation.

    Parameters
    ----------
    scenario
        The scenario whose inputs were evaluated (it names the layers and the currency).
    evaluation
        What `paymodel.contingents.evaluate_scenario` returned (its ``total``).
    key
        A key as `paymodel.outputs.output_key` returns it.
    """
    if key in evaluation.outputs:
        return evaluation.outputs[key]
    return output_columns(scenario.layer_names(), evaluation, scenario.currency_code)[key]


def uncertain_inputs_of(scenario: Scenario, analysis: str) -> dict[str, BaseDistribution]:
    """The scenario's uncertain inputs (`Scenario.uncertain_inputs`), or an error if none.

    Parameters
    ----------
    scenario
        The scenario analysed.
    analysis
        What needs them, for the message (``"tornado"``, ``"sobol"``, ``"discover"``).

    Raises
    ------
    ScenarioError
        When every input is a plain number: nothing can move any output.
    """
    uncertain = scenario.uncertain_inputs()
    if not uncertain:
        raise ScenarioError(
            f"{analysis}: scenario {scenario.name!r} has no uncertain inputs (every input is a "
            "plain number), so nothing can move an output; give at least one input as a "
            'distribution, e.g. troops = { kind = "uniform", low = 11000, high = 15000 }'
        )
    return uncertain
