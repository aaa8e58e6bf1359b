"""Limits on the size of a scenario and on the memory one analysis may fill.

A scenario file is at most a megabyte (`paymodel.files.MAX_FILE_BYTES`), but a megabyte of
TOML can describe thousands of layers, and every analysis holds arrays whose size is the
product of its dimensions: samples (or grid points) × months × (outputs + layers). The
limits here keep every accepted input within a fixed memory budget, so that any command on
any accepted input either runs in well under 2 GiB or is refused, in one line, before any
work starts.

Two kinds of limits:

- **Size of a scenario**, checked when it is validated: `MAX_LAYERS`,
  `MAX_UNCERTAIN_INPUTS`, `MAX_CORRELATIONS` and `MAX_CHOICE_VALUES`. Each is far above
  what a real analysis needs (published estimates name two to four diversion layers).
- **Memory of an analysis**: `MAX_ARRAY_VALUES` float64 values (1.25 GiB) for what an analysis
  keeps (samples, months, grid points), counted by each analysis from all its dimensions
  with `check_array_values`; and `points_at_once`, how many points the kernel evaluates at
  once so that its working arrays stay within `WORKING_BYTES`.
"""

from __future__ import annotations

import math

from paymodel.errors import ScenarioError

__all__ = [
    "MAX_ARRAY_BYTES",
    "MAX_ARRAY_VALUES",
    "MAX_CHOICE_VALUES",
    "MAX_CONTINGENTS",
    "MAX_CORRELATIONS",
    "MAX_LAYERS",
    "MAX_UNCERTAIN_INPUTS",
    "WORKING_BYTES",
    "check_array_values",
    "kernel_values_per_point",
    "points_at_once",
]

#: The most layers in a diversion chain. Reported chains have two to four (state, party,
#: commanders); each layer adds some 6 arrays to every evaluation of the kernel.
MAX_LAYERS = 50

#: The most contingents in a scenario (DESIGN §6). Published accounts have a handful (waves,
#: phases, engineers, builders, ranks); each is one more evaluation of the kernel.
MAX_CONTINGENTS = 50

#: The most inputs given as distributions (published analyses vary fewer than ten). Each
#: is a column of every block of samples, and Sobol indices cost N·(d + 2) evaluations of
#: the kernel for d of them.
MAX_UNCERTAIN_INPUTS = 50

#: The most rank correlations: every pair of `MAX_UNCERTAIN_INPUTS` inputs, 50·49/2.
MAX_CORRELATIONS = 1_225

#: The most values of one ``choice`` distribution (one figure per source: a handful).
MAX_CHOICE_VALUES = 1_000

#: Bytes of float64 arrays an analysis may keep: samples, months, grid points, outputs.
#: With the interpreter, numpy and scipy (about 100 MB) and the kernel's working arrays
#: (`WORKING_BYTES`), every command stays under 2 GiB.
MAX_ARRAY_BYTES = 5 << 28
#: `MAX_ARRAY_BYTES` in float64 values: 167,772,160.
MAX_ARRAY_VALUES = MAX_ARRAY_BYTES // 8

#: Bytes the kernel's working arrays may take while it evaluates a slice of points.
WORKING_BYTES = 1 << 28


def kernel_values_per_point(layer_count: int) -> int:
    """Float64 values the kernel holds for each point it evaluates, its inputs included.

    Measured with `tracemalloc` on 65,536 points with every input an array: 29 values a
    point plus 5 per layer at the peak (the inputs, each layer's take, what is left, its
    lump-sum fraction and its revenue, and the outputs). Counted here with a margin.

    Parameters
    ----------
    layer_count
        Layers the kernel computes (the diversion chain, "in kind" and "state transfer").

    Examples
    --------
    >>> kernel_values_per_point(1)
    38
    """
    return 32 + 6 * layer_count


def points_at_once(layer_count: int, per_point: int = 1) -> int:
    """How many points to evaluate in one call of the kernel, within `WORKING_BYTES`.

    Parameters
    ----------
    layer_count
        Layers the kernel computes.
    per_point
        Evaluations each point stands for (the months of a timeline).

    Examples
    --------
    >>> points_at_once(1), points_at_once(1, per_point=1200)
    (883011, 735)
    """
    per = 8 * kernel_values_per_point(layer_count) * max(1, per_point)
    return max(1, WORKING_BYTES // per)


def check_array_values(
    what: str, dimensions: dict[str, int], advice: str, limit: int = MAX_ARRAY_VALUES
) -> None:
    """Refuse an analysis whose arrays would hold more than ``limit`` values.

    Parameters
    ----------
    what
        The analysis and its argument, to start the message (``"timeline"``).
    dimensions
        Each dimension's name and size, e.g. ``{"samples": 100_000, "months": 1_200,
        "columns": 58}``; their product is the number of float64 values held.
    advice
        What to do instead, e.g. ``"use at most 1,928 samples"``.
    limit
        The most values: `MAX_ARRAY_VALUES`, or a part of it when the analysis holds
        other arrays at the same time.

    Raises
    ------
    ScenarioError
        With one line naming every dimension, the product and the limit.

    Examples
    --------
    >>> check_array_values("sweep", {"points": 1_000, "values a point": 50}, "")
    """
    values = math.prod(dimensions.values())
    if values <= limit:
        return
    product = " × ".join(f"{size:,} {name}" for name, size in dimensions.items())
    gigabytes = values * 8 / 2**30
    raise ScenarioError(
        f"{what}: {product} is {values:,} values ({gigabytes:,.1f} GiB); at most "
        f"{limit:,} ({limit * 8 / 2**30:g} GiB) are held at once"
        f"{'; ' + advice if advice else ''}"
    )
