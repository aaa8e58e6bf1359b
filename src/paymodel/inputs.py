"""The one place that turns a `Scenario` into kernel input arrays.

Every analysis gets its arrays here: `point_inputs` gives the point estimate (each
distribution at its median), and the analyses that sample or sweep replace some of those
values with arrays before calling `paymodel.kernel.evaluate`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from paymodel.distributions import BaseDistribution
from paymodel.kernel import Evaluation
from paymodel.scenario import IN_KIND_LAYER, Scenario

__all__ = ["named_layer_revenues", "point_inputs"]


def point_inputs(scenario: Scenario) -> dict[str, NDArray[np.generic]]:
    """Kernel inputs for the point estimate: numbers as given, distributions at their median.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    dict
        0-d arrays by dotted path, plus ``deployment.replace_losses`` (bool).
    """
    values: dict[str, NDArray[np.generic]] = {
        path: np.asarray(
            value.median() if isinstance(value, BaseDistribution) else value, dtype=np.float64
        )
        for path, value in scenario.inputs().items()
    }
    values["deployment.replace_losses"] = np.asarray(scenario.deployment.replace_losses)
    return values


def named_layer_revenues(
    layer_names: tuple[str, ...], evaluation: Evaluation
) -> list[tuple[str, NDArray[np.float64]]]:
    """The kernel's layer revenues paired with the names results report.

    Parameters
    ----------
    layer_names
        `Scenario.layer_names`: ``"in kind"`` first when the scenario pays in goods (no
        diversion layer may take that name), then the diversion chain in order.
    evaluation
        What `paymodel.kernel.evaluate` returned for the scenario's inputs.
    """
    columns = list(evaluation.layer_revenue_usd)
    if layer_names[:1] == (IN_KIND_LAYER,):
        columns.insert(0, evaluation.in_kind_revenue_usd)
    return list(zip(layer_names, columns, strict=True))
