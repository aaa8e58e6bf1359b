"""pandas DataFrames of results: the one place every ``to_frame()`` builds its frame.

pandas is optional (``pip install 'paymodel[frame]'``); it is imported here, on first use,
through `paymodel._optional.require`, so ``import paymodel`` never needs it. A result
gives its columns as plain sequences or numpy arrays, numbers unformatted, in the order
they should appear; one column may become the index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from paymodel._optional import require

if TYPE_CHECKING:  # pragma: no cover - for the annotations only
    import pandas as pd

__all__ = ["data_frame"]


def data_frame(
    columns: Mapping[str, Sequence[Any] | Any], index: str | None = None
) -> pd.DataFrame:
    """A DataFrame of named columns, in order, with ``index`` (one of them) as its index.

    Parameters
    ----------
    columns
        Column name → values (lists, tuples or numpy arrays of one length).
    index
        The column to use as the index, or ``None`` for a plain range index.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    MissingExtraError
        When pandas is not installed; the message says ``pip install 'paymodel[frame]'``.

    Examples
    --------
    >>> frame = data_frame({"output": ["paid_usd"], "value": [1.0]}, index="output")
    >>> frame.index.name, list(frame.columns), float(frame.loc["paid_usd", "value"])
    ('output', ['value'], 1.0)
    """
    pandas = require("pandas", "to_frame()")
    frame = pandas.DataFrame(dict(columns))
    if index is not None:
        frame = frame.set_index(index)
    return frame
