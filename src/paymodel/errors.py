"""Exceptions raised by paymodel.

Every error paymodel raises on purpose derives from :class:`PaymodelError`, and also from
the built-in exception a caller would expect, so ``except ValueError`` keeps working::

    PaymodelError
    └── ScenarioError (ValueError)          a scenario or one of its values is invalid
        ├── ScenarioFileError               a scenario file cannot be read or parsed
        │   └── CheckFileError              a scenario test file (``*.check.toml``) is bad
        ├── UnknownScenarioError (LookupError)
        │                                   no built-in scenario and no file of that name
        └── UnknownClaimError (LookupError) a claim id that is not in the registry
    NoSolutionError (ValueError)            no value of the input varied gives the target
                                            (`paymodel.solve`); it says what range is reached
    MissingExtraError (ImportError)         an optional part is not installed; the message
                                            gives the exact ``pip install`` to run
    InvariantError (AssertionError)         a result breaks an identity of the model
                                            (`paymodel.testing.check_invariants`)

Warnings (``UserWarning`` subclasses; filter them with ``warnings.filterwarnings``)::

    SampleSizeWarning                       too few samples for an estimate's confidence
                                            intervals to mean much (see `paymodel.sobol`)

Messages are one line: they name the field, state the rule, show the bad value and say
where (file, layer).
"""

from __future__ import annotations

__all__ = [
    "CheckFileError",
    "InvariantError",
    "MissingExtraError",
    "NoSolutionError",
    "PaymodelError",
    "SampleSizeWarning",
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


class CheckFileError(ScenarioFileError):
    """A scenario test file cannot be read, or breaks the format of ``paymodel check``."""


class UnknownScenarioError(ScenarioError, LookupError):
    """Neither a built-in scenario nor an existing file has the given name."""


class UnknownClaimError(ScenarioError, LookupError):
    """A claim id that the claims registry does not contain."""


class NoSolutionError(PaymodelError, ValueError):
    """No value of the input varied makes the output reach the target (`paymodel.solve`).

    The message gives the range the output does reach; so do the attributes.

    Attributes
    ----------
    low, high
        The smallest and largest value of the output over the input's domain.
    """

    def __init__(self, message: str, *, low: float, high: float) -> None:
        super().__init__(message)
        self.low = low
        self.high = high


class MissingExtraError(PaymodelError, ImportError):
    """An optional part of paymodel (plots, dataframes, ...) needs a package not installed."""


class InvariantError(PaymodelError, AssertionError):
    """A result breaks an identity of the model, such as conservation of money.

    Raised by `paymodel.testing.check_invariants`. It is an ``AssertionError``, so that
    pytest reports it as a failed assertion, with its message: the identity broken and the
    numbers.
    """


class SampleSizeWarning(UserWarning):
    """Too few samples: an estimate's confidence intervals are too wide to rank its inputs."""
