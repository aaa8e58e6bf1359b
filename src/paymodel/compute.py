"""The point estimate: the kernel on one sample, every distribution at its median."""

from __future__ import annotations

import math

import numpy as np

from paymodel.calendar import month_label, through_months
from paymodel.contingents import ScenarioEvaluation, Structure, evaluate_scenario
from paymodel.currency import layer_revenue_field, twin_key
from paymodel.inputs import output_columns, point_inputs
from paymodel.kernel import Evaluation
from paymodel.measures import warn_misfits
from paymodel.results import ContingentResult, LayerRevenue, Result
from paymodel.scenario import Scenario, check_scenario

__all__ = ["compute"]


def compute(scenario: Scenario, *, through: str | int | None = None) -> Result:
    """Compute every output of a scenario at its point estimate.

    Numbers are used as given and distributions at their median; the formulas are those of
    `paymodel.kernel.evaluate`, the only implementation of the model, evaluated once per
    contingent and combined (`paymodel.contingents.evaluate_scenario`).

    Parameters
    ----------
    scenario
        A validated scenario.
    through
        Totals up to the end of this month: ``"YYYY-MM"`` when the scenario has a
        ``start``, or a month number (1 is the first month); ``None`` for the whole
        deployment.

    Returns
    -------
    Result
        Every output by name and each layer's revenue; with contingents, each contingent's
        own outputs and layers too.

    Warns
    -----
    MeasureWarning
        Once for each input that cites a claim whose measure does not fit it
        (`paymodel.measures`).

    Examples
    --------
    >>> import paymodel as pm
    >>> result = pm.compute(pm.builtin("nis-estimate"))
    >>> result.regime_revenue_per_year_usd
    264000000.0
    >>> pm.compute(pm.builtin("nis-estimate"), through=6).regime_revenue_usd
    132000000.0
    """
    scenario = check_scenario(scenario)
    with warn_misfits([scenario]):
        return point_result(scenario, through)


def point_result(scenario: Scenario, through: str | int | None = None) -> Result:
    """`compute` without its measure warnings, for the analyses that are not a run."""
    structure = Structure.of(scenario)
    cut = through_months(scenario.start, through)
    evaluation = evaluate_scenario(structure, point_inputs(scenario), through=cut)
    return result_of(scenario, structure, evaluation)


def _reported(
    names: tuple[str, ...], evaluation: Evaluation, currency: str | None
) -> tuple[dict[str, float], tuple[LayerRevenue, ...]]:
    """The outputs (twins included) and the layers of one evaluated sample."""
    columns = {key: float(v) for key, v in output_columns(names, evaluation, currency).items()}
    layers = []
    for name in names:
        twins: tuple[tuple[str, float], ...] = ()
        if currency is not None:
            twin = twin_key(f"layer:{name}", currency)
            twins = ((layer_revenue_field(currency), columns[str(twin)]),)
        layers.append(LayerRevenue(name, columns[f"layer:{name}"], twins))
    outputs = {key: value for key, value in columns.items() if not key.startswith("layer")}
    return outputs, tuple(layers)


def _when(calendar_start: str | None, months: float) -> str | float:
    """A window's start as a calendar month, or as months after month 0."""
    if calendar_start is None:
        return int(months) if float(months).is_integer() else months
    return month_label(calendar_start, math.floor(months))


def result_of(scenario: Scenario, structure: Structure, evaluation: ScenarioEvaluation) -> Result:
    """The `Result` of one evaluated sample (0-d arrays) of ``scenario``.

    Parameters
    ----------
    scenario
        The scenario evaluated.
    structure
        `paymodel.contingents.Structure.of` the scenario.
    evaluation
        `paymodel.contingents.evaluate_scenario` on one sample.
    """
    contingents: tuple[ContingentResult, ...] = ()
    code = structure.currency
    if scenario.contingents:
        contingents = tuple(
            ContingentResult(
                group.name,
                _when(scenario.start, float(start)),
                float(months),
                *_reported(group.layer_names, each, code),
            )
            for group, each, start, months in zip(
                structure.groups,
                evaluation.groups,
                evaluation.starts,
                evaluation.months,
                strict=True,
            )
        )
    start = end = None
    if scenario.start is not None:
        first = float(np.min(evaluation.starts))
        start = month_label(scenario.start, math.floor(first))
        last = first + float(evaluation.horizon_months)
        end = month_label(scenario.start, max(math.ceil(last) - 1, math.floor(first)))
    outputs, layers = _reported(structure.layer_names, evaluation.total, code)
    return Result(
        scenario=scenario.name,
        outputs=outputs,
        layers=layers,
        contingents=contingents,
        start=start,
        end=end,
    )
