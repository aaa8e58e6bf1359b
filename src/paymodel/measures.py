"""What a claim measures, which inputs it can support, and which inputs are assumptions.

Every claim of the registry says what its figures count: its ``measure``
(`paymodel.sources.MEASURES`). An input should cite claims whose measure fits it: a number of
deaths cites a count of the killed, not of the killed and wounded. `FITS` is the one table
of which measures fit which input, keyed by the input's field (the last part of its dotted
path, so ``deployment.deaths`` and ``contingents.0.deaths`` follow the same line):

========================== =============== ========================================
field                      measures        why
========================== =============== ========================================
gross_monthly_usd          pay, wage       dollars a month per head; a worker's wage
                                           is the pay of soldiers treated as workers
signing_bonus_usd          lump_sum, pay   one-off payments; a pay claim states its
                                           bonus (PAY-06: $2,500 a month + $2,000)
death_benefit_usd          lump_sum, pay   as for the signing bonus
state_transfer_monthly_usd revenue, pay    dollars a month per head paid to the state
delivered_share            (other only)    no measure counts a share delivered
in_kind_share              (other only)    no measure counts a share paid in goods
share (of a layer)         share_kept      a share of pay taken or kept
quota_monthly_usd          revenue, pay    dollars a month per head the state takes
troops                     troops, workers headcounts; workers for a contingent of
                                           builders or workers
months, tour_months        duration        lengths of time
monthly_death_rate, deaths killed          the dead only: never casualties, wounded
domestic_monthly_wage_usd  wage            pay at home
domestic_monthly_wage_kpw  wage            pay at home, in won
kpw_per_usd, per_usd       exchange_rate   units of a currency per dollar
========================== =============== ========================================

A claim of measure ``other`` fits every input: the registry gives that word to figures it
has no measure for (a qualitative statement, a share of wages kept, a count of oil barrels),
so nothing can be said against them. A revenue total does not fit a share or a headcount,
even where the input can be worked out from it: write that derivation as the input's reason
(below) instead.

An input whose value differs from its default (`input_default`) and that cites no claim is an
**assumption**; a scenario says why in its ``assumptions`` table, one short reason per input
path. `paymodel.explain` and the report mark assumptions and show their reasons.

`misfits` finds the inputs whose claims do not fit; `compute`, `explain`, `compare` and
`report` issue one `paymodel.errors.MeasureWarning` for each (`warn_misfits`), once per call
even when one of them calls another.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from paymodel.arguments import check_text
from paymodel.distributions import BaseDistribution
from paymodel.errors import MeasureWarning
from paymodel.scenario import (
    DOMESTIC_WAGE_USD,
    PayOverrides,
    Scenario,
    check_scenario,
    layer_index,
)
from paymodel.sources import MEASURES, Claim, claim

__all__ = [
    "FITS",
    "Misfit",
    "assumption_paths",
    "fitting_measures",
    "input_default",
    "is_assumption",
    "misfits",
    "warn_misfits",
]

#: For each input field (the last part of an input's dotted path), the measures of the claims
#: that can support it; ``other`` fits every field and is not listed. A field missing here
#: is not checked (tests/test_measures.py makes sure every numeric field of the models has
#: its line).
FITS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # [pay], and a contingent's pay overrides
        "gross_monthly_usd": ("pay", "wage"),
        "signing_bonus_usd": ("lump_sum", "pay"),
        "death_benefit_usd": ("lump_sum", "pay"),
        "state_transfer_monthly_usd": ("revenue", "pay"),
        "delivered_share": (),
        "in_kind_share": (),
        # a layer of a diversion chain
        "share": ("share_kept",),
        "quota_monthly_usd": ("revenue", "pay"),
        # [deployment], or a contingent
        "troops": ("troops", "workers"),
        "months": ("duration",),
        "tour_months": ("duration",),
        "monthly_death_rate": ("killed",),
        "deaths": ("killed",),
        # [baseline] and [currency]
        "domestic_monthly_wage_usd": ("wage",),
        "domestic_monthly_wage_kpw": ("wage",),
        "kpw_per_usd": ("exchange_rate",),
        "per_usd": ("exchange_rate",),
    }
)

#: What a claim of each measure counts, in words, for the warnings.
_COUNTS: Mapping[str, str] = MappingProxyType(
    {
        "troops": "a count of troops",
        "killed": "a count of the killed",
        "wounded": "a count of the wounded",
        "casualties": "a count of killed and wounded",
        "pay": "a pay figure",
        "share_kept": "a share of pay kept or taken",
        "lump_sum": "a one-off payment",
        "revenue": "a revenue figure",
        "workers": "a count of workers",
        "wage": "a wage",
        "exchange_rate": "an exchange rate",
        "duration": "a length of time",
        "other": "a figure of another kind",
    }
)


def fitting_measures(path: str) -> tuple[str, ...]:
    """The measures of the claims an input may cite, ``other`` last.

    Parameters
    ----------
    path
        The input's dotted path (``deployment.deaths``, ``contingents.0.pay.gross_monthly_usd``).

    Returns
    -------
    tuple of str
        From `FITS` by the path's last part, then ``"other"``; every measure for a field
        that `FITS` does not list.

    Examples
    --------
    >>> fitting_measures("contingents.first wave.deaths")
    ('killed', 'other')
    >>> fitting_measures("pay.delivered_share")
    ('other',)
    """
    field = check_text(path, "path", example="'deployment.deaths'").rsplit(".", 1)[-1]
    if field not in FITS:
        return MEASURES
    return (*FITS[field], "other")


@dataclass(frozen=True)
class Misfit:
    """An input that cites claims whose measure does not fit it.

    Attributes
    ----------
    scenario
        The name of the scenario the input belongs to.
    path
        The input's canonical dotted path.
    claims
        The claims it cites that do not fit, in the order cited.
    """

    scenario: str
    path: str
    claims: tuple[Claim, ...]

    def message(self) -> str:
        """One line: the scenario and input, each claim with what it counts, what would fit.

        Examples
        --------
        >>> from paymodel.sources import claim
        >>> print(Misfit("mine", "deployment.deaths", (claim("CAS-03"),)).message())
        mine: deployment.deaths cites CAS-03, a count of killed and wounded (casualties); \
deaths needs a killed figure
        """
        cited = " and ".join(f"{c.id}, {_COUNTS[c.measure]} ({c.measure})" for c in self.claims)
        field = self.path.rsplit(".", 1)[-1]
        wanted = fitting_measures(self.path)[:-1]
        if wanted:
            article = "an" if wanted[0][0] in "aeiou" else "a"
            need = f"{field} needs {article} {' or '.join(wanted)} figure"
        else:
            need = (
                f"no measure but other fits {field}: cite a claim of measure other, or say "
                "why under [assumptions]"
            )
        return f"{self.scenario}: {self.path} cites {cited}; {need}"


def misfits(scenario: Scenario) -> tuple[Misfit, ...]:
    """The scenario's inputs that cite a claim whose measure does not fit them.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    tuple of Misfit
        One per such input, in the order of `Scenario.inputs`.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = pm.builtin("casualty-aware")
    >>> misfits(s)
    ()
    >>> wrong = s.evolve(citations={**s.citations, "deployment.monthly_death_rate": ["CAS-03"]})
    >>> [m.path for m in misfits(wrong)]
    ['deployment.monthly_death_rate']
    """
    scenario = check_scenario(scenario)
    found = []
    for path in scenario.input_paths():
        fits = fitting_measures(path)
        wrong = tuple(
            c for c in (claim(cid) for cid in scenario.claims_for(path)) if c.measure not in fits
        )
        if wrong:
            found.append(Misfit(scenario.name, path, wrong))
    return tuple(found)


#: The scenarios (by ``id``) whose misfits a call further up the stack has already warned of.
_WARNED: ContextVar[frozenset[int]] = ContextVar("paymodel_measures_warned", default=frozenset())


@contextlib.contextmanager
def warn_misfits(scenarios: Iterable[Scenario]) -> Iterator[None]:
    """Warn once of each misfit (`misfits`) of the scenarios, around an API function's body.

    Each misfit is one `paymodel.errors.MeasureWarning`, attributed to the caller of the
    function that enters this context. Calls inside the body (`paymodel.report` calls
    `paymodel.compare`, which calls `paymodel.compute`) do not warn again of the same
    scenarios.

    Parameters
    ----------
    scenarios
        The validated scenarios the function works on.
    """
    done = _WARNED.get()
    fresh = [s for s in scenarios if id(s) not in done]
    for scenario in fresh:
        for misfit in misfits(scenario):
            # 1: this generator; 2: contextlib's __enter__; 3: the API function; 4: its caller.
            warnings.warn(misfit.message(), MeasureWarning, stacklevel=4)
    token = _WARNED.set(done | {id(s) for s in fresh})
    try:
        yield
    finally:
        _WARNED.reset(token)


# -- assumptions: inputs set away from their default without a claim ------------------------


def _owner(scenario: Scenario, parts: list[str]) -> Any:
    """The model holding the field that ``parts`` (a canonical path) ends with."""
    owner: Any = scenario
    for part in parts[:-1]:
        index = layer_index(part)
        owner = owner[index] if index is not None else getattr(owner, part)
    return owner


def _input(scenario: Any, path: Any) -> tuple[Scenario, str]:
    """The scenario, checked, and the canonical path of one of its inputs (by index or name).

    Raises
    ------
    ArgumentTypeError
        When ``scenario`` is not a `Scenario` or ``path`` is not text.
    ScenarioError
        When the path is no input of the scenario (`Scenario.variable_input`).
    """
    scenario = check_scenario(scenario)
    path = check_text(path, "path", example="'deployment.months'")
    return scenario, path if path in scenario.inputs() else scenario.variable_input(path)[0]


def input_default(scenario: Scenario, path: str) -> float | BaseDistribution | None:
    """What an input is when the scenario leaves it out; ``None`` when it has no default.

    The defaults of DESIGN §1 (no signing bonus, everything delivered, $1 a month at home,
    a tour as long as the deployment, ...); a contingent's pay override defaults to the
    scenario's ``[pay]``. Required inputs (pay, troops, months, a layer's take, the won
    baseline, deaths given instead of a rate) have none.

    Parameters
    ----------
    scenario
        A validated scenario.
    path
        One of its input paths, by index or layer name (``diversion.state treasury.share``),
        or an input it leaves out that an analysis may vary (`Scenario.variable_input`).

    Raises
    ------
    ScenarioError
        When the path is not an input of the scenario.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = pm.builtin("rand-bennett-all")
    >>> input_default(s, "deployment.tour_months"), input_default(s, "pay.signing_bonus_usd")
    (12.0, 0.0)
    >>> input_default(s, "deployment.troops") is None
    True
    """
    scenario, path = _input(scenario, path)
    parts = path.split(".")
    field = parts[-1]
    owner = _owner(scenario, parts)
    if isinstance(owner, PayOverrides):
        return scenario.inputs()[f"pay.{field}"]
    info = type(owner).model_fields[field]
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if default is not None:
        return float(default)
    if field == "tour_months":
        return owner.months  # type: ignore[no-any-return]
    if field == "domestic_monthly_wage_usd":
        return DOMESTIC_WAGE_USD
    return None


def is_assumption(scenario: Scenario, path: str) -> bool:
    """Whether an input differs from its default and cites no claim.

    Parameters
    ----------
    scenario
        A validated scenario.
    path
        An input path, by index or layer name (``diversion.state treasury.share``); an
        input the scenario leaves out (a tour as long as the deployment) is at its default.

    Raises
    ------
    ScenarioError
        When the path is not an input of the scenario.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = pm.builtin("nis-estimate")
    >>> is_assumption(s, "deployment.troops"), is_assumption(s, "deployment.months")
    (False, True)
    >>> is_assumption(s, "pay.signing_bonus_usd")
    False
    """
    scenario, path = _input(scenario, path)
    inputs = scenario.inputs()
    if path not in inputs or scenario.claims_for(path):
        return False
    value, default = inputs[path], input_default(scenario, path)
    if default is None or isinstance(value, BaseDistribution) != isinstance(
        default, BaseDistribution
    ):
        return True
    if isinstance(value, BaseDistribution):
        return value != default
    return float(value) != float(default)  # type: ignore[arg-type]


def assumption_paths(scenario: Scenario) -> tuple[str, ...]:
    """The scenario's assumptions (`is_assumption`), in the order of `Scenario.inputs`.

    Examples
    --------
    >>> import paymodel as pm
    >>> assumption_paths(pm.builtin("nis-estimate"))
    ('diversion.0.share', 'deployment.months')
    """
    scenario = check_scenario(scenario)
    return tuple(path for path in scenario.input_paths() if is_assumption(scenario, path))
