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
