"""The one place that turns a `Scenario` into kernel input arrays.

Every analysis gets its arrays here: `point_inputs` gives the point estimate (each
distribution at its median), and the analyses that sample or sweep replace some of those
values with arrays before calling `paymodel.kernel.evaluate`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from paymodel.distributions import BaseDistribution
from paymodel.scenario import Scenario

__all__ = ["point_inputs"]


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
