"""The point estimate: the kernel on one sample, every distribution at its median."""

from __future__ import annotations

from paymodel.inputs import named_layer_revenues, point_inputs
from paymodel.kernel import OUTPUT_NAMES, evaluate
from paymodel.results import LayerRevenue, Result
from paymodel.scenario import Scenario, check_scenario

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
    evaluation = evaluate(point_inputs(check_scenario(scenario)))
    outputs = {name: float(evaluation.outputs[name]) for name in OUTPUT_NAMES}
    layers = tuple(
        LayerRevenue(name, float(revenue))
        for name, revenue in named_layer_revenues(scenario.layer_names(), evaluation)
    )
    return Result(scenario=scenario.name, outputs=outputs, layers=layers)
