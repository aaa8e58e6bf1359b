"""The point estimate: the kernel on one sample, every distribution at its median."""

from __future__ import annotations

from paymodel.inputs import point_inputs
from paymodel.kernel import OUTPUT_NAMES, evaluate
from paymodel.results import LayerRevenue, Result
from paymodel.scenario import IN_KIND_LAYER, Scenario

__all__ = ["compute"]


def compute(scenario: Scenario) -> Result:
    """Compute every output of a scenario at its point estimate.

    Numbers are used as given and distributions at their median; the formulas are those of
    `paymodel.kernel.evaluate`, the only implementation of the model.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    Result
        Every output by name and each layer's revenue.

    Examples
    --------
    >>> import paymodel as pm
    >>> result = pm.compute(pm.builtin("nis-estimate"))
    >>> result.regime_revenue_per_year_usd
    264000000.0
    """
    evaluation = evaluate(point_inputs(scenario))
    outputs = {name: float(evaluation.outputs[name]) for name in OUTPUT_NAMES}
    layers = [
        LayerRevenue(layer.name, float(revenue))
        for layer, revenue in zip(scenario.diversion, evaluation.layer_revenue_usd, strict=True)
    ]
    if IN_KIND_LAYER in scenario.layer_names():
        layers.insert(0, LayerRevenue(IN_KIND_LAYER, float(evaluation.in_kind_revenue_usd)))
    return Result(scenario=scenario.name, outputs=outputs, layers=tuple(layers))
