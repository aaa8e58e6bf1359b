"""Exceptions raised by paymodel.

Every error paymodel raises on purpose derives from :class:`PaymodelError`, and also from
the built-in exception a caller would expect, so ``except ValueError`` keeps working::

    PaymodelError
    └── ScenarioError (ValueError)          a scenario or one of its values is invalid
        ├── ScenarioFileError               a scenario file cannot be read or parsed
        ├── UnknownScenarioError (LookupError)
        │                                   no built-in scenario and no file of that name
        └── UnknownClaimError (LookupError) a claim id that is not in the registry
    MissingExtraError (ImportError)         an optional part is not installed; the message
                                            gives the exact ``pip install`` to run

Messages are one line: they name the field, state the rule, show the bad value and say
where (file, layer).
"""

from __future__ import annotations

__all__ = [
    "MissingExtraError",
    "PaymodelError",
    "ScenarioError",
    "ScenarioFileError",
    "UnknownClaimError",
    "UnknownScenarioError",
]


class PaymodelError(Exception):
    """Base class of every error paymodel raises on purpose."""


class ScenarioError(PaymodelError, ValueError):
    """A scenario, or one of its values, breaks a rule of the model."""


class ScenarioFileError(ScenarioError):
    """A scenario file cannot be read, is not valid TOML or JSON, or has the wrong shape."""


class UnknownScenarioError(ScenarioError, LookupError):
    """Neither a built-in scenario nor an existing file has the given name."""


class UnknownClaimError(ScenarioError, LookupError):
    """A claim id that the claims registry does not contain."""


class MissingExtraError(PaymodelError, ImportError):
    """An optional part of paymodel (plots, dataframes, ...) needs a package not installed."""
