"""Optional dependencies: import them on first use, or say exactly what to install.

The core needs numpy, pydantic and scipy only. Charts need matplotlib (``paymodel[plot]``),
``to_frame()`` needs pandas (``paymodel[frame]``), ``to_xarray()`` needs xarray
(``paymodel[xarray]``) and :mod:`paymodel.testing` needs hypothesis (``paymodel[testing]``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from paymodel.errors import MissingExtraError

__all__ = ["EXTRAS", "require"]

#: The extra that provides each optional top-level package.
EXTRAS: dict[str, str] = {
    "matplotlib": "plot",
    "pandas": "frame",
    "xarray": "xarray",
    "hypothesis": "testing",
}


def require(module: str, feature: str) -> ModuleType:
    """Import an optional module, or raise an error that names the extra to install.

    Parameters
    ----------
    module
        The module to import, e.g. ``"pandas"`` or ``"matplotlib.pyplot"``.
    feature
        What needs it, for the message, e.g. ``"to_frame()"``.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    MissingExtraError
        When the module cannot be imported; the message gives the ``pip install`` to run.

    Examples
    --------
    >>> require("numpy", "arrays").__name__
    'numpy'
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        top = module.partition(".")[0]
        extra = EXTRAS.get(top)
        install = f"pip install 'paymodel[{extra}]'" if extra else f"pip install {top}"
        raise MissingExtraError(
            f"{feature} needs {top}, which is not installed; run: {install}"
        ) from error
