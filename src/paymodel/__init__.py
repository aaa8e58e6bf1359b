"""paymodel: where the money goes when a state sends its soldiers abroad for pay.

Model gross pay, ordered layers of withholding and deployment size over time; compute what
one soldier takes home and what the regime earns, each number traceable to dated public
claims.

>>> import paymodel as pm
>>> result = pm.compute(pm.builtin("independent-90"))
>>> result.take_home_monthly_usd
200.0
"""

from __future__ import annotations

import importlib
import sys
import types
import typing

from paymodel.errors import (
    ArgumentError,
    ArgumentTypeError,
    CheckFileError,
    InvariantError,
    MeasureWarning,
    MissingExtraError,
    NoSolutionError,
    PaymodelError,
    SampleSizeWarning,
    ScenarioError,
    ScenarioFileError,
    UnknownClaimError,
    UnknownOutputError,
    UnknownScenarioError,
)

if typing.TYPE_CHECKING:  # what type checkers and IDEs see; at run time, `__getattr__` below
    from paymodel.catalogue import builtin, builtin_names, load
    from paymodel.checks import run_checks
    from paymodel.compare import Comparison, compare
    from paymodel.compute import compute
    from paymodel.discover import Discovery, discover
    from paymodel.distributions import (
        BaseDistribution,
        Beta,
        Choice,
        Distribution,
        Lognormal,
        Mixture,
        Normal,
        Pert,
        Triangular,
        Uniform,
    )
    from paymodel.explain import explain
    from paymodel.files import load_scenario_file
    from paymodel.invariants import check_invariants
    from paymodel.kernel import OUTPUT_NAMES, evaluate
    from paymodel.report import report
    from paymodel.results import ContingentResult, LayerRevenue, Result
    from paymodel.scenario import (
        Baseline,
        Contingent,
        Correlation,
        Currency,
        Deployment,
        Layer,
        Pay,
        PayOverrides,
        Scenario,
    )
    from paymodel.schema import scenario_schema
    from paymodel.sensitivity import Tornado, TornadoRow, sensitivity, tornado
    from paymodel.simulate import Simulation, simulate
    from paymodel.sobol import SobolIndices, SobolRow, sobol_indices
    from paymodel.solve import Solution, solve
    from paymodel.sources import Claim, claim, claims, claims_frame
    from paymodel.sweep import Sweep, sweep
    from paymodel.timeline import Timeline, timeline

__version__ = "0.1.0"

__all__ = [
    "OUTPUT_NAMES",
    "ArgumentError",
    "ArgumentTypeError",
    "BaseDistribution",
    "Baseline",
    "Beta",
    "CheckFileError",
    "Choice",
    "Claim",
    "Comparison",
    "Contingent",
    "ContingentResult",
    "Correlation",
    "Currency",
    "Deployment",
    "Discovery",
    "Distribution",
    "InvariantError",
    "Layer",
    "LayerRevenue",
    "Lognormal",
    "MeasureWarning",
    "MissingExtraError",
    "Mixture",
    "NoSolutionError",
    "Normal",
    "Pay",
    "PayOverrides",
    "PaymodelError",
    "Pert",
    "Result",
    "SampleSizeWarning",
    "Scenario",
    "ScenarioError",
    "ScenarioFileError",
    "Simulation",
    "SobolIndices",
    "SobolRow",
    "Solution",
    "Sweep",
    "Timeline",
    "Tornado",
    "TornadoRow",
    "Triangular",
    "Uniform",
    "UnknownClaimError",
    "UnknownOutputError",
    "UnknownScenarioError",
    "__version__",
    "builtin",
    "builtin_names",
    "check_invariants",
    "claim",
    "claims",
    "claims_frame",
    "compare",
    "compute",
    "discover",
    "evaluate",
    "explain",
    "load",
    "load_scenario_file",
    "report",
    "run_checks",
    "scenario_schema",
    "sensitivity",
    "simulate",
    "sobol_indices",
    "solve",
    "sweep",
    "timeline",
    "tornado",
]


#: Where each public name lives. Its module is imported on first use (PEP 562), so that
#: ``import paymodel`` loads neither numpy nor pydantic, and a command loads only what it
#: runs: ``paymodel run`` does not import the report, the charts or Sobol's method. The same
#: names as the ``TYPE_CHECKING`` imports above (tests/test_lazy_imports.py checks they agree).
_HOMES: dict[str, tuple[str, ...]] = {
    "catalogue": ("builtin", "builtin_names", "load"),
    "checks": ("run_checks",),
    "compare": ("Comparison", "compare"),
    "compute": ("compute",),
    "discover": ("Discovery", "discover"),
    "distributions": (
        "BaseDistribution",
        "Beta",
        "Choice",
        "Distribution",
        "Lognormal",
        "Mixture",
        "Normal",
        "Pert",
        "Triangular",
        "Uniform",
    ),
    "explain": ("explain",),
    "files": ("load_scenario_file",),
    "invariants": ("check_invariants",),
    "kernel": ("OUTPUT_NAMES", "evaluate"),
    "report": ("report",),
    "results": ("ContingentResult", "LayerRevenue", "Result"),
    "scenario": (
        "Baseline",
        "Contingent",
        "Correlation",
        "Currency",
        "Deployment",
        "Layer",
        "Pay",
        "PayOverrides",
        "Scenario",
    ),
    "schema": ("scenario_schema",),
    "sensitivity": ("Tornado", "TornadoRow", "sensitivity", "tornado"),
    "simulate": ("Simulation", "simulate"),
    "sobol": ("SobolIndices", "SobolRow", "sobol_indices"),
    "solve": ("Solution", "solve"),
    "sources": ("Claim", "claim", "claims", "claims_frame"),
    "sweep": ("Sweep", "sweep"),
    "timeline": ("Timeline", "timeline"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


if not typing.TYPE_CHECKING:  # for type checkers, only the names above exist (a typo is an error)

    def __getattr__(name: str) -> object:
        """A public name, from its module, imported now (and kept: the next look-up is direct)."""
        module = _HOME.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package's module type: a submodule never hides the function of the same name.

    Importing ``paymodel.simulate`` binds the module as the package's attribute
    ``simulate``; for the names that are both a module and its public function (``compare``,
    ``compute``, ``simulate``, ...), ``paymodel.simulate`` stays the function, as it was when
    the package imported every module at once.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if (
            isinstance(value, types.ModuleType)
            and _HOME.get(name) == name
            and value.__name__ == f"{__name__}.{name}"
        ):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
