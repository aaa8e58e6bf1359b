"""Exceptions raised by paymodel.

Every error paymodel raises on purpose derives from :class:`PaymodelError`, and also from
the built-in exception a caller would expect, so ``except ValueError`` keeps working::

    PaymodelError
    └── ScenarioError (ValueError)          bad input: a scenario, one of its values, or an
        │                                   argument, is invalid
        ├── ScenarioFileError               a scenario file cannot be read or parsed
        │   └── CheckFileError              a scenario test file (``*.check.toml``) is bad
        ├── UnknownScenarioError (LookupError)
        │                                   no built-in scenario and no file of that name
        ├── UnknownClaimError (LookupError) a claim id that is not in the registry
        └── ArgumentError                   a bad argument to a function of the Python API
            ├── ArgumentTypeError (TypeError)
            │                               ... of the wrong type (a list for a name, True
            │                               for a number)
            └── UnknownOutputError (KeyError)
                                            no output or layer of that name; the message
                                            lists them and suggests the closest
    NoSolutionError (ValueError)            no value of the input varied gives the target
                                            (`paymodel.solve`); it says what range is reached
    MissingExtraError (ImportError)         an optional part is not installed; the message
                                            gives the exact ``pip install`` to run
    InvariantError (AssertionError)         a result breaks an identity of the model
                                            (`paymodel.testing.check_invariants`)

Warnings (``UserWarning`` subclasses; filter them with ``warnings.filterwarnings``)::

    SampleSizeWarning                       too few samples for an estimate's confidence
                                            intervals to mean much (see `paymodel.sobol`)
    MeasureWarning                          an input cites a claim whose figures count
                                            something else (deaths citing killed and
                                            wounded; see `paymodel.measures`)

Messages are one line: they name the field, state the rule, show the bad value and say
where (file, layer).

The rule for arguments (`paymodel.arguments` checks them all): a bad argument raises
:class:`ArgumentError`, a ``ValueError``; when its type is wrong, the error is an
:class:`ArgumentTypeError`, which is also a ``TypeError``, so ``except TypeError`` works as
Python's conventions have it and ``except ValueError`` (or ``ScenarioError``) catches every
bad input at once. An unknown output name is an :class:`UnknownOutputError`, also a
``KeyError``, as a mapping's missing key is.
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "CheckFileError",
    "InvariantError",
    "MeasureWarning",
    "MissingExtraError",
    "NoSolutionError",
    "PaymodelError",
    "SampleSizeWarning",
    "ScenarioError",
    "ScenarioFileError",
    "UnknownClaimError",
    "UnknownOutputError",
    "UnknownScenarioError",
]


class PaymodelError(Exception):
    """Base class of every error paymodel raises on purpose."""


class ScenarioError(PaymodelError, ValueError):
    """A scenario, or one of its values, breaks a rule of the model.

    Attributes
    ----------
    problems
        Every problem found, one line each, the one the message names first; empty when
        there is only the message. The message counts the others ("[and 2 more problems;
        --debug lists them]"); ``paymodel --debug`` prints them all.
    """

    problems: tuple[str, ...] = ()


class ScenarioFileError(ScenarioError):
    """A scenario file cannot be read, is not valid TOML or JSON, or has the wrong shape."""


class CheckFileError(ScenarioFileError):
    """A scenario test file cannot be read, or breaks the format of ``paymodel check``."""


class UnknownScenarioError(ScenarioError, LookupError):
    """Neither a built-in scenario nor an existing file has the given name."""


class UnknownClaimError(ScenarioError, LookupError):
    """A claim id that the claims registry does not contain."""


class ArgumentError(ScenarioError):
    """A bad argument to a function of the Python API (`paymodel.arguments` checks them).

    Attributes
    ----------
    argument
        The parameter's name (``"peel_alpha"``), when one parameter is at fault.
    rule
        The rule it breaks, with the value given (``"must lie in (0, 0.5] (got 2.0)"``);
        the message is ``f"{argument} {rule}"``. The command line names its own flag with it.
    """

    def __init__(self, message: str, *, argument: str | None = None, rule: str | None = None):
        super().__init__(message)
        self.argument = argument
        self.rule = rule


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong type: text for a number, a list for a name, a bool for a count."""


class UnknownOutputError(ArgumentError, KeyError):
    """No output or layer has the name given; the message lists them, with a did-you-mean.

    It is a ``KeyError``, as a mapping's missing key is (``sim.statistics("typo")``), and
    an `ArgumentError` (``pm.tornado(scenario, "typo")``).
    """

    def __str__(self) -> str:
        # KeyError's own __str__ would show the message quoted, as a key.
        return str(self.args[0]) if self.args else ""


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


class MeasureWarning(UserWarning):
    """An input cites a claim whose ``measure`` does not fit it (`paymodel.measures`).

    One warning per such input, one line: the input's path, each claim that does not fit
    with what it counts, and what would fit, e.g. ``deployment.deaths cites CAS-03, a count
    of killed and wounded (casualties); deaths needs a killed figure``. `paymodel.compute`,
    `paymodel.explain`, `paymodel.compare` and `paymodel.report` issue it; the command line
    prints it on stderr.
    """
