"""Scenarios: a validated, frozen set of assumptions about pay, diversion and deployment.

A `Scenario` holds inputs and never computes. Every numeric input is a plain number
or a distribution (`paymodel.distributions`); each is checked against its field's domain
(`paymodel.domains`) when the scenario is built. Inputs are addressed by dotted paths
(``pay.gross_monthly_usd``, ``deployment.troops``, ``diversion.0.share`` or
``diversion.state treasury.share``), the same paths the kernel's input arrays use.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Self, get_args

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    PlainValidator,
    Strict,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from paymodel._base_model import FrozenModel
from paymodel.arguments import check_type, check_whole
from paymodel.calendar import check_month, month_index
from paymodel.distributions import (
    BaseDistribution,
    Beta,
    Choice,
    ComponentError,
    Lognormal,
    Mixture,
    Normal,
    Number,
    Pert,
    Triangular,
    Uniform,
    kind_tag,
)
from paymodel.domains import (
    COUNT,
    CURRENCY_PER_USD,
    DEATH_COUNT,
    DURATION,
    KPW_PER_USD,
    MONEY_LUMP,
    MONEY_MONTHLY,
    RATE,
    SHARE,
    WAGE_KPW,
    WAGE_USD,
    Domain,
)
from paymodel.errors import ArgumentError, ScenarioError
from paymodel.limits import MAX_CONTINGENTS, MAX_CORRELATIONS, MAX_LAYERS, MAX_UNCERTAIN_INPUTS
from paymodel.messages import did_you_mean, scenario_error
from paymodel.text import text_problem

__all__ = [
    "DOMESTIC_WAGE_USD",
    "IN_KIND_LAYER",
    "NAME_PATTERN",
    "PAY_FIELDS",
    "STATE_TRANSFER_LAYER",
    "Baseline",
    "Contingent",
    "Correlation",
    "Currency",
    "Deployment",
    "Layer",
    "Pay",
    "PayOverrides",
    "Scenario",
    "Value",
    "check_scenario",
    "claim_ids",
    "field_domain",
]

#: Name of the layer that takes the in-kind part of every delivered dollar (DESIGN §1).
IN_KIND_LAYER = "in kind"

#: Name of the layer that takes the delivered state transfers (DESIGN §7); listed before
#: "in kind".
STATE_TRANSFER_LAYER = "state transfer"

#: Layer names a diversion chain may not use: the kernel's own layers, by reserved name.
_RESERVED_LAYERS = {
    STATE_TRANSFER_LAYER: "the state transfers; set pay.state_transfer_monthly_usd instead",
    IN_KIND_LAYER: "the in-kind part of pay; set pay.in_kind_share instead",
}

#: The domestic wage when a scenario gives none [$/month] (DESIGN §1: reported under $1).
DOMESTIC_WAGE_USD = 1.0

#: The longest reason a scenario may give for an assumption, in characters.
MAX_REASON_CHARS = 200

Value = Annotated[
    Annotated[Number, Tag("number")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Pert, Tag("pert")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Beta, Tag("beta")]
    | Annotated[Choice, Tag("choice")]
    | Annotated[Mixture, Tag("mixture")],
    Discriminator(
        kind_tag,
        custom_error_type="value_kind",
        custom_error_message=(
            "must be a number or a distribution table with a kind "
            "(uniform, triangular, pert, normal, lognormal, beta, choice or mixture)"
        ),
    ),
]
"""A plain number or a distribution."""


@dataclass(frozen=True)
class _Within:
    """An after-validator checking a number, or a distribution's support, against a domain.

    It keeps the domain, so that `field_domain` can tell which values a field accepts.
    """

    domain: Domain

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Mixture):
            # Each source's figure or range must fit the field on its own.
            for index, component in enumerate(value.of):
                try:
                    self(component)
                except ValueError as error:
                    raise ComponentError(str(error), ("of", index)) from None
        elif isinstance(value, BaseDistribution):
            low, high, attained = value.support()
            self.domain.check_support(
                low, high, attained, value.largest_parameter(), value.smallest_parameter()
            )
            self.domain.check_shares(value)
        else:
            self.domain.check_number(float(value))
        return value


def _domain_in(annotation: Any) -> Domain | None:
    """The domain a field's annotation checks, found in its ``_Within`` validator."""
    if isinstance(annotation, AfterValidator) and isinstance(annotation.func, _Within):
        return annotation.func.domain
    for argument in get_args(annotation):
        found = _domain_in(argument)
        if found is not None:
            return found
    return None


def field_domain(model: type[FrozenModel], name: str) -> Domain | None:
    """The domain a model's numeric field checks, or None for a field without one.

    Parameters
    ----------
    model
        A model class, e.g. `Deployment`.
    name
        One of its fields, e.g. ``"troops"``.

    Examples
    --------
    >>> field_domain(Deployment, "troops").describe()
    'between 1 and 10,000,000'
    >>> field_domain(Deployment, "replace_losses") is None
    True
    """
    field = model.model_fields.get(name)
    if field is None:
        return None
    domains = (_domain_in(part) for part in (*field.metadata, field.annotation))
    return next((domain for domain in domains if domain is not None), None)


Share = Annotated[Value, AfterValidator(_Within(SHARE))]
Rate = Annotated[Value, AfterValidator(_Within(RATE))]
MonthlyUsd = Annotated[Value, AfterValidator(_Within(MONEY_MONTHLY))]
LumpUsd = Annotated[Value, AfterValidator(_Within(MONEY_LUMP))]
Count = Annotated[Value, AfterValidator(_Within(COUNT))]
DeathCount = Annotated[Value, AfterValidator(_Within(DEATH_COUNT))]
Months = Annotated[Value, AfterValidator(_Within(DURATION))]
WageUsd = Annotated[Value, AfterValidator(_Within(WAGE_USD))]
WageKpw = Annotated[Value, AfterValidator(_Within(WAGE_KPW))]
KpwPerUsd = Annotated[Value, AfterValidator(_Within(KPW_PER_USD))]
PerUsd = Annotated[Value, AfterValidator(_Within(CURRENCY_PER_USD))]

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def _currency_code(code: str) -> str:
    """An ISO 4217 code: three capital letters A-Z, and not USD (money is in dollars already)."""
    if not _CURRENCY_CODE.fullmatch(code):
        raise ValueError(
            f"must be an ISO 4217 code, three capital letters A-Z such as KRW (got {code!r})"
        )
    if code == "USD":
        raise ValueError(
            "must not be USD: every amount is in dollars already; give the other currency's "
            "code, such as KRW"
        )
    return code


CurrencyCode = Annotated[
    str,
    Strict(),
    AfterValidator(_currency_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "not": {"const": "USD"},
            "description": "ISO 4217 code, three capital letters, not USD, e.g. KRW",
        }
    ),
]


def _text(text: str) -> str:
    problem = text_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


def _name(text: str) -> str:
    problem = text_problem(text, name=True)
    if problem is not None:
        raise ValueError(problem)
    return text


Text = Annotated[str, Strict(), AfterValidator(_text)]
"""Free text: anything but a lone surrogate (`text_problem`)."""

Name = Annotated[str, Strict(), Field(min_length=1, max_length=80), AfterValidator(_name)]
"""A layer's name: one line of at most 80 characters, not blank (`text_problem`)."""
Reason = Annotated[
    str, Strict(), Field(min_length=1, max_length=MAX_REASON_CHARS), AfterValidator(_name)
]
"""Why an input is what it is: one line of at most 200 characters, not blank (`text_problem`)."""
CalendarMonth = Annotated[str, Strict(), AfterValidator(check_month)]
"""A calendar month written ``"YYYY-MM"``, e.g. ``"2024-10"``."""


def _window_start(value: Any) -> str | int | None:
    """A contingent's ``start``: ``"YYYY-MM"`` or a whole number of months from 0 to 1,200."""
    if value is None:
        return None
    if isinstance(value, str):
        return check_month(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1200:
        return value
    raise ValueError(
        "must be a month written YYYY-MM (such as 2024-10) when the scenario has a start, "
        f"else a whole number of months from 0 to 1,200 (got {value!r})"
    )


WindowStart = Annotated[
    str | int | None,
    PlainValidator(_window_start),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"},
                {"type": "integer", "minimum": 0, "maximum": 1200},
                {"type": "null"},
            ]
        }
    ),
]


def _bounds(value: float | BaseDistribution) -> tuple[float, float]:
    """The smallest and largest value a number or a distribution can take."""
    if isinstance(value, BaseDistribution):
        low, high, _ = value.support()
        return float(low), float(high)
    return float(value), float(value)


def _nonzero(value: float | BaseDistribution) -> bool:
    return isinstance(value, BaseDistribution) or float(value) != 0.0


def _fewest(troops: float | BaseDistribution) -> float:
    """The smallest headcount ``troops`` can take, and never below one soldier."""
    return max(_bounds(troops)[0], COUNT.smallest)


def _check_deaths(
    troops_low: float,
    months: float | BaseDistribution,
    deaths: float | BaseDistribution | None,
    monthly_death_rate: float | BaseDistribution,
    replace_losses: bool,
) -> None:
    """DESIGN §6: ``deaths`` or ``monthly_death_rate``, not both; D < H when not replaced.

    ``troops_low`` is the smallest headcount the window can start with; the rule must hold
    for every value the distributions can take, so no sample breaks it.
    """
    if deaths is None:
        return
    if _nonzero(monthly_death_rate):
        raise ValueError(
            "deaths: give either deaths (the total killed in the window) or "
            "monthly_death_rate, not both"
        )
    most = _bounds(deaths)[1]
    if not replace_losses and not most < troops_low:
        raise ValueError(
            f"deaths: must be fewer than the troops when losses are not replaced (deaths up "
            f"to {most:,.0f}, troops from {troops_low:,.0f})"
        )
    if replace_losses and most > troops_low * _bounds(months)[0]:
        raise ValueError(
            f"deaths: at most troops × months can be killed when losses are replaced (deaths "
            f"up to {most:,.0f}, troops × months from {troops_low * _bounds(months)[0]:,.0f})"
        )


def _check_chain(layers: tuple[Layer, ...], where: str) -> None:
    """Layer names are unique in a chain, and none is reserved (`_RESERVED_LAYERS`)."""
    seen: set[str] = set()
    for layer in layers:
        key = layer.name.strip().casefold()
        if key in _RESERVED_LAYERS:
            raise ValueError(
                f"{where}: the layer name {layer.name!r} is reserved for {_RESERVED_LAYERS[key]}"
            )
        if key in seen:
            raise ValueError(f"{where}: two layers are named {layer.name!r}")
        seen.add(key)


class Pay(FrozenModel):
    """What the paying state promises, and how much of it arrives as cash.

    Parameters
    ----------
    gross_monthly_usd
        Pay per soldier per month [$/month].
    signing_bonus_usd
        One-off payment per individual deployed [$].
    death_benefit_usd
        One-off payment per soldier killed [$].
    delivered_share
        Share of what is promised that is actually delivered; the rest is arrears or credit.
    in_kind_share
        Share of what is delivered as pay and lump sums that arrives as goods to the state,
        never reaching soldiers.
    state_transfer_monthly_usd
        Money the payer gives the sending state per soldier-month on top of pay [$/month]
        (DESIGN §7): promised, delivered in the delivered share, and all of what is
        delivered goes to the state (the layer "state transfer"); never to soldiers.
    """

    gross_monthly_usd: MonthlyUsd
    signing_bonus_usd: LumpUsd = 0.0
    death_benefit_usd: LumpUsd = 0.0
    delivered_share: Share = 1.0
    in_kind_share: Share = 0.0
    state_transfer_monthly_usd: MonthlyUsd = 0.0


class Layer(FrozenModel):
    """One layer of the diversion chain: a named taker with a share or a monthly quota.

    Parameters
    ----------
    name
        Who takes, e.g. ``"state treasury"``, ``"party / Kim family"``, ``"commanders"``.
    share
        Fraction of what is left when the money reaches this layer.
    quota_monthly_usd
        Fixed dollars per soldier-month, capped at what is left [$/month].
    """

    name: Name
    share: Share | None = None
    quota_monthly_usd: MonthlyUsd | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Layer:
        if (self.share is None) == (self.quota_monthly_usd is None):
            raise ValueError(
                f"layer {self.name!r} must have exactly one of share or quota_monthly_usd "
                "(e.g. share = 0.9)"
            )
        return self

    @property
    def rule(self) -> str:
        """``"share"`` or ``"quota_monthly_usd"``: the field that holds the layer's take."""
        return "share" if self.share is not None else "quota_monthly_usd"

    @property
    def take(self) -> float | BaseDistribution:
        """The layer's share or quota, whichever it has."""
        value = self.share if self.share is not None else self.quota_monthly_usd
        assert value is not None  # noqa: S101 - guaranteed by _one_rule
        return value


class Deployment(FrozenModel):
    """How many serve, for how long, and how many die.

    Parameters
    ----------
    troops
        Headcount at the start, H [soldiers].
    months
        Length of the deployment evaluated, M [months].
    tour_months
        How long one soldier serves before rotation, T [months]; ``None`` means ``months``.
    monthly_death_rate
        Fraction of those deployed killed each month, k [1/month].
    deaths
        Total killed over the deployment, D [soldiers], instead of ``monthly_death_rate``:
        k = D/(H·M) when losses are replaced, k = 1 − (1 − D/H)^(1/M) when not (D < H).
    replace_losses
        Whether the dead are replaced so the headcount stays H.
    """

    troops: Count
    months: Months
    tour_months: Months | None = None
    monthly_death_rate: Rate = 0.0
    deaths: DeathCount | None = None
    replace_losses: Annotated[bool, Strict()] = True

    @model_validator(mode="after")
    def _death_rule(self) -> Deployment:
        _check_deaths(
            _fewest(self.troops),
            self.months,
            self.deaths,
            self.monthly_death_rate,
            self.replace_losses,
        )
        return self


class Baseline(FrozenModel):
    """Pay at home, for comparison: in dollars, or in won with a market rate.

    Give either ``domestic_monthly_wage_usd`` or both ``domestic_monthly_wage_kpw`` and
    ``kpw_per_usd``; with none, the wage is $1 a month (defectors report under $1).

    Parameters
    ----------
    domestic_monthly_wage_usd
        Monthly pay at home [$/month].
    domestic_monthly_wage_kpw
        Monthly pay at home [₩/month].
    kpw_per_usd
        Market exchange rate [₩/$].
    """

    domestic_monthly_wage_usd: WageUsd | None = None
    domestic_monthly_wage_kpw: WageKpw | None = None
    kpw_per_usd: KpwPerUsd | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Baseline:
        in_won = (self.domestic_monthly_wage_kpw is not None, self.kpw_per_usd is not None)
        if in_won[0] != in_won[1]:
            raise ValueError(
                "give domestic_monthly_wage_kpw and kpw_per_usd together "
                "(e.g. domestic_monthly_wage_kpw = 30000 and kpw_per_usd = 18000)"
            )
        if in_won[0] and self.domestic_monthly_wage_usd is not None:
            raise ValueError(
                "give the domestic wage either in dollars (domestic_monthly_wage_usd) or in "
                "won (domestic_monthly_wage_kpw with kpw_per_usd), not both"
            )
        return self

    @property
    def in_won(self) -> bool:
        """True when the wage is given in won with an exchange rate."""
        return self.domestic_monthly_wage_kpw is not None


class Currency(FrozenModel):
    """Another currency that every amount of money is also shown in (DESIGN §7).

    Every money output and layer revenue then has a twin named with the lowercase code
    instead of ``_usd`` (``regime_revenue_per_year_krw``): the dollar amount times
    ``per_usd``, sample by sample (`paymodel.currency`).

    Parameters
    ----------
    code
        The ISO 4217 code, three capital letters, not ``USD``: ``"KRW"``.
    per_usd
        Units of that currency per dollar, a number or a distribution [KRW/$ for KRW].
    """

    code: CurrencyCode
    per_usd: PerUsd


#: The fields of `Pay`, in order: those a contingent may override.
PAY_FIELDS: tuple[str, ...] = (
    "gross_monthly_usd",
    "signing_bonus_usd",
    "death_benefit_usd",
    "delivered_share",
    "in_kind_share",
    "state_transfer_monthly_usd",
)


class PayOverrides(FrozenModel):
    """A contingent's own pay: any field of `Pay`; those left out come from the scenario's."""

    gross_monthly_usd: MonthlyUsd | None = None
    signing_bonus_usd: LumpUsd | None = None
    death_benefit_usd: LumpUsd | None = None
    delivered_share: Share | None = None
    in_kind_share: Share | None = None
    state_transfer_monthly_usd: MonthlyUsd | None = None


class Contingent(FrozenModel):
    """One group deployed over its own window: a wave, a phase, a unit paid differently.

    Parameters
    ----------
    name
        Unique within the scenario; a path component (``contingents.<name>.troops``), so no
        ``.`` and not a bare number.
    start
        When its window starts: ``"YYYY-MM"`` when the scenario has a calendar (not before
        the scenario's start), else whole months after month 0. Default: the scenario's
        month 0. Not with ``follows``.
    follows
        The name of the contingent whose soldiers this one continues with, from the end of
        that one's window (a phase of the same soldiers).
    troops
        Headcount at the start, H [soldiers]; with ``follows``, by default those serving at
        the end of the window followed.
    months, tour_months, monthly_death_rate, deaths, replace_losses
        As for `Deployment`, over this contingent's window.
    pay
        Overrides of the scenario's ``[pay]`` for this contingent.
    diversion
        The contingent's own diversion chain, replacing the scenario's.
    """

    name: Name
    start: WindowStart = None
    follows: Text | None = None
    troops: Count | None = None
    months: Months
    tour_months: Months | None = None
    monthly_death_rate: Rate = 0.0
    deaths: DeathCount | None = None
    replace_losses: Annotated[bool, Strict()] = True
    pay: PayOverrides = Field(default_factory=PayOverrides)
    diversion: Annotated[tuple[Layer, ...], Field(max_length=MAX_LAYERS)] | None = None

    @model_validator(mode="after")
    def _rules(self) -> Contingent:
        if "." in self.name or layer_index(self.name.strip()) is not None or not self.name.strip():
            raise ValueError(
                f"name: a contingent's name is a path component: no '.', not a bare number "
                f"(got {self.name!r}); e.g. name = 'first wave'"
            )
        if self.start is not None and self.follows is not None:
            raise ValueError(
                "give start or follows, not both (follows starts the contingent when the "
                "one it follows ends)"
            )
        if self.troops is None and self.follows is None:
            raise ValueError("troops: required unless the contingent follows another")
        if self.troops is not None:
            _check_deaths(
                _fewest(self.troops),
                self.months,
                self.deaths,
                self.monthly_death_rate,
                self.replace_losses,
            )
        elif self.deaths is not None and _nonzero(self.monthly_death_rate):
            _check_deaths(1.0, self.months, self.deaths, self.monthly_death_rate, True)
        if self.diversion is not None:
            _check_chain(self.diversion, "diversion")
        return self

    def window_start(self, calendar_start: str | None) -> int:
        """Whole months from the scenario's month 0 to this window's start (``start`` only)."""
        if isinstance(self.start, str):
            assert calendar_start is not None  # noqa: S101 - checked by Scenario
            return month_index(self.start) - month_index(calendar_start)
        return self.start or 0


def _listed(node: Any) -> Any:
    """A dumped model with its tuples as lists, so that `Scenario.evolve` can edit them."""
    if isinstance(node, dict):
        return {key: _listed(value) for key, value in node.items()}
    if isinstance(node, tuple | list):
        return [_listed(value) for value in node]
    return node


#: What a scenario's name may be: letters, digits, ``-``, ``_``, ``.``, not starting with
#: a punctuation mark (also written into the JSON Schema).
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_NAME = re.compile(NAME_PATTERN)


def layer_index(part: str) -> int | None:
    """The layer index a part of a dotted path spells, or ``None`` when it is not one.

    Only ASCII digits make an index: ``str.isdigit`` is also true for ``²`` or ``①``, which
    `int` refuses, so such a part is a layer name like any other text. An index of more
    digits than any list has items (more than 18) is ``sys.maxsize``, past the end of every
    list: `int` refuses to read more than 4,300 digits.

    Examples
    --------
    >>> layer_index("0"), layer_index("12"), layer_index("²"), layer_index("state")
    (0, 12, None, None)
    >>> layer_index("1" * 5_000) == sys.maxsize
    True
    """
    if not (part.isascii() and part.isdigit()):
        return None
    return int(part) if len(part.lstrip("0")) <= 18 else sys.maxsize


class Correlation(FrozenModel):
    """A rank (Spearman) correlation between two uncertain inputs.

    Parameters
    ----------
    between
        The two inputs' dotted paths, e.g. ``["deployment.troops", "deployment.tour_months"]``;
        both must be given as distributions.
    rank
        The rank correlation, between −1 and 1.
    """

    between: tuple[Text, Text]
    rank: Annotated[Number, Field(ge=-1, le=1)]


class Scenario(FrozenModel):
    """A named set of assumptions, each traceable to claims.

    Parameters
    ----------
    name
        Short identifier (letters, digits, ``-``, ``_``, ``.``), e.g. ``"independent-90"``.
    title
        One line for tables and reports.
    description
        What the scenario assumes and why, in a few sentences.
    sources
        Ids of the claims the scenario rests on (see ``paymodel sources``).
    citations
        Claim ids for single inputs, by dotted path, e.g.
        ``{"pay.gross_monthly_usd": ["PAY-01"]}``.
    assumptions
        Why an input is what it is, by dotted path: one line of at most 200 characters,
        e.g. ``{"deployment.months": "one year, the period the revenue figures cover"}``.
        An input that differs from its default and cites no claim is an assumption
        (`paymodel.measures.is_assumption`); this says why.
    start
        The calendar month of the scenario's month 0, ``"YYYY-MM"`` (optional): contingents
        then start at calendar months, and timelines are labelled by month.
    pay, diversion, deployment, baseline
        The assumptions; see `Pay`, `Layer`, `Deployment`, `Baseline`. ``pay`` and
        ``diversion`` are the defaults of every contingent.
    contingents
        Groups deployed over their own windows (see `Contingent`), instead of one
        ``deployment``: a scenario has one or the other.
    currency
        Another currency that money is also shown in (see `Currency`), or ``None``.
    correlations
        Rank correlations between uncertain inputs (see `Correlation`), used when
        sampling; the matrix they form must be positive semi-definite.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = pm.Scenario(
    ...     name="worked-example",
    ...     pay={"gross_monthly_usd": 2000},
    ...     diversion=[{"name": "state treasury", "share": 0.9}],
    ...     deployment={"troops": 11_000, "months": 12},
    ... )
    >>> pm.compute(s).take_home_monthly_usd
    200.0
    """

    name: Annotated[str, Strict(), Field(min_length=1, max_length=80)]  # and _NAME, below
    title: Text = ""
    description: Text = ""
    sources: tuple[Text, ...] = ()
    citations: dict[Text, tuple[Text, ...]] = Field(default_factory=dict)
    assumptions: dict[Text, Reason] = Field(default_factory=dict)
    start: CalendarMonth | None = None
    pay: Pay
    diversion: Annotated[tuple[Layer, ...], Field(max_length=MAX_LAYERS)] = ()
    deployment: Deployment | None = None
    contingents: Annotated[tuple[Contingent, ...], Field(max_length=MAX_CONTINGENTS)] = ()
    baseline: Baseline = Field(default_factory=Baseline)
    currency: Currency | None = None
    correlations: Annotated[tuple[Correlation, ...], Field(max_length=MAX_CORRELATIONS)] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not _NAME.fullmatch(self.name):
            raise ValueError(
                f"name must use letters, digits, '-', '_' or '.' and start with a letter or "
                f"digit (got {self.name!r}); e.g. name = 'independent-90'"
            )
        _check_chain(self.diversion, "diversion")
        self._check_contingents()
        paths = sorted(self.input_paths())
        for table, keyed in (("citations", self.citations), ("assumptions", self.assumptions)):
            for path in keyed:
                if self._canonical(path) not in paths:
                    raise ValueError(
                        f"{table}: {path!r} is not an input of this scenario"
                        f"{did_you_mean(path, paths)} (inputs: {', '.join(paths)})"
                    )
        given: dict[str, str] = {}
        for path in self.assumptions:
            canonical = self._canonical(path)
            if canonical in given:
                raise ValueError(
                    f"assumptions: {given[canonical]!r} and {path!r} are the same input; "
                    "give one reason for it"
                )
            given[canonical] = path
        from paymodel.sources import check_claim_ids

        check_claim_ids(self.sources, where="sources")
        for path, ids in self.citations.items():
            check_claim_ids(ids, where=f"citations.{path}")
        self._check_uncertain_count()
        self._check_correlations()
        return self

    def _check_uncertain_count(self) -> None:
        uncertain = list(self._uncertain_by_path)
        if len(uncertain) > MAX_UNCERTAIN_INPUTS:
            first = ", ".join(uncertain[:3])
            raise ValueError(
                f"uncertain inputs: {len(uncertain):,} inputs are given as distributions "
                f"({first}, …); at most {MAX_UNCERTAIN_INPUTS} may be, so give the others as "
                "plain numbers"
            )

    def _check_contingents(self) -> None:
        """DESIGN §6's rules across contingents: names, follows, calendar, deaths."""
        if self.deployment is not None and self.contingents:
            raise ValueError(
                "give either [deployment] or [[contingents]], not both (a [deployment] is a "
                "scenario with one contingent)"
            )
        if self.deployment is None and not self.contingents:
            raise ValueError(
                "deployment: required (or give one or more [[contingents]]), e.g. "
                "[deployment] troops = 11000, months = 12"
            )
        index: dict[str, int] = {}
        for i, contingent in enumerate(self.contingents):
            key = contingent.name.strip().casefold()
            if key in index:
                raise ValueError(
                    f"contingents.{i} (contingent {contingent.name!r}): name: two contingents "
                    f"are named {contingent.name!r}"
                )
            index[key] = i
        for i, contingent in enumerate(self.contingents):
            where = f"contingents.{i} (contingent {contingent.name!r})"
            followed = contingent.follows
            if followed is not None and followed.strip().casefold() not in index:
                names = ", ".join(repr(c.name) for c in self.contingents)
                raise ValueError(
                    f"{where}: follows: no contingent named {followed!r} (contingents: {names})"
                )
            if isinstance(contingent.start, str):
                if self.start is None:
                    raise ValueError(
                        f"{where}: start: {contingent.start!r} is a calendar month but the "
                        'scenario has no start; add start = "YYYY-MM" at the top of the file'
                    )
                if month_index(contingent.start) < month_index(self.start):
                    raise ValueError(
                        f"{where}: start: {contingent.start!r} is before the scenario's start "
                        f"{self.start!r}"
                    )
            elif contingent.start is not None and self.start is not None:
                raise ValueError(
                    f"{where}: start: the scenario has a calendar (start = {self.start!r}), so "
                    f'give the contingent\'s start as a month, e.g. start = "{self.start}"'
                )
        successors: dict[int, str] = {}
        for i, contingent in enumerate(self.contingents):
            if contingent.follows is None:
                continue
            before = index[contingent.follows.strip().casefold()]
            if before in successors:
                raise ValueError(
                    f"contingents.{i} (contingent {contingent.name!r}): follows: "
                    f"{self.contingents[before].name!r} is already followed by "
                    f"{successors[before]!r}; its soldiers cannot serve two phases at once "
                    "(give this contingent a start and its own troops instead)"
                )
            successors[before] = contingent.name
        for i, contingent in enumerate(self.contingents):
            chain = [i]
            while self.contingents[chain[-1]].follows is not None:
                followed = self.contingents[chain[-1]].follows
                assert followed is not None  # noqa: S101 - the loop's condition
                nxt = index[followed.strip().casefold()]
                if nxt in chain:
                    names = " → ".join(repr(self.contingents[j].name) for j in (*chain, nxt))
                    raise ValueError(
                        f"contingents.{i} (contingent {contingent.name!r}): follows: the chain "
                        "loops "
                        f"({names})"
                    )
                chain.append(nxt)
        for i, contingent in enumerate(self.contingents):
            if contingent.troops is None:
                try:
                    _check_deaths(
                        self._fewest_troops(i),
                        contingent.months,
                        contingent.deaths,
                        contingent.monthly_death_rate,
                        contingent.replace_losses,
                    )
                except ValueError as error:
                    where = f"contingents.{i} (contingent {contingent.name!r})"
                    raise ValueError(f"{where}: {error}") from None

    def _fewest_troops(self, i: int) -> float:
        """The smallest headcount contingent ``i`` can start with (its survivors' bound)."""
        contingent = self.contingents[i]
        if contingent.troops is not None:
            return _fewest(contingent.troops)
        followed = self.contingent_index(contingent.follows or "")
        before = self.contingents[followed]
        troops = self._fewest_troops(followed)
        if before.replace_losses:
            return troops
        if before.deaths is not None:
            return max(troops - _bounds(before.deaths)[1], 0.0)
        rate = _bounds(before.monthly_death_rate)[1]
        return float(troops * (1.0 - rate) ** _bounds(before.months)[1])

    def contingent_index(self, name: str) -> int:
        """The index of the contingent called ``name`` (case and outer spaces ignored).

        Raises
        ------
        ScenarioError
            When no contingent has that name; the message lists them.
        """
        check_type(name, str, "name", "text, a contingent's name")
        key = name.strip().casefold()
        for i, contingent in enumerate(self.contingents):
            if contingent.name.strip().casefold() == key:
                return i
        names = ", ".join(repr(c.name) for c in self.contingents) or "none"
        raise ScenarioError(f"no contingent named {name!r} (contingents: {names})")

    def _check_correlations(self) -> None:
        uncertain = self._uncertain_by_path
        pairs: set[frozenset[str]] = set()
        for index, correlation in enumerate(self.correlations):
            where = f"correlations.{index}"
            paths = [self._canonical(p) for p in correlation.between]
            for path, given in zip(paths, correlation.between, strict=True):
                if path not in uncertain:
                    raise ValueError(
                        f"{where}: {given!r} is not an uncertain input of this scenario "
                        f"(uncertain: {', '.join(uncertain) or 'none'})"
                    )
            pair = frozenset(paths)
            if len(pair) == 1:
                raise ValueError(f"{where}: an input cannot be correlated with itself")
            if pair in pairs:
                raise ValueError(f"{where}: the pair {paths[0]!r}, {paths[1]!r} appears twice")
            pairs.add(pair)
        if self.correlations:
            smallest = float(np.linalg.eigvalsh(self.correlation_matrix()).min())
            if smallest < -1e-10:
                raise ValueError(
                    "correlations: these rank correlations cannot hold together (the matrix "
                    f"is not positive semi-definite; smallest eigenvalue {smallest:.3g}); "
                    "weaken some of them"
                )

    def correlated_inputs(self) -> tuple[str, ...]:
        """The uncertain inputs that take part in a correlation, in `uncertain_inputs` order."""
        named = {self._canonical(p) for c in self.correlations for p in c.between}
        return tuple(path for path in self._uncertain_by_path if path in named)

    def correlation_matrix(self) -> NDArray[np.float64]:
        """The Gaussian copula's Pearson matrix, r = 2·sin(π·ρ/6), over `correlated_inputs`.

        Rows and columns follow `correlated_inputs` (empty without correlations): the other
        inputs are independent, and a matrix over all of them would grow with the square
        of their number. `paymodel.sampling.correlation_factor` factors it for sampling.
        """
        index = {path: i for i, path in enumerate(self.correlated_inputs())}
        matrix = np.eye(len(index))
        for correlation in self.correlations:
            i, j = (index[self._canonical(p)] for p in correlation.between)
            matrix[i, j] = matrix[j, i] = 2 * np.sin(np.pi * correlation.rank / 6)
        return matrix

    def claims_for(self, path: str) -> tuple[str, ...]:
        """The claim ids cited for one input (by index or layer-name path)."""
        wanted = self._canonical(path)
        return tuple(
            cid
            for key, ids in self.citations.items()
            if self._canonical(key) == wanted
            for cid in ids
        )

    def reason_for(self, path: str) -> str | None:
        """The reason the scenario gives for one input (`assumptions`), or ``None``."""
        wanted = self._canonical(path)
        return next(
            (reason for key, reason in self.assumptions.items() if self._canonical(key) == wanted),
            None,
        )

    # -- inputs by dotted path ------------------------------------------------------------

    def inputs(self) -> dict[str, float | BaseDistribution]:
        """Every numeric input by canonical dotted path, in a fixed order.

        ``deployment.tour_months`` is left out when it defaults to ``months``;
        ``deployment.deaths`` replaces ``deployment.monthly_death_rate`` when given; the
        baseline appears either as ``baseline.domestic_monthly_wage_usd`` or as the won pair;
        ``currency.per_usd`` comes last when the scenario has a ``[currency]``.
        A contingent's inputs are ``contingents.<i>.<field>`` (its deployment fields, those
        it sets), ``contingents.<i>.pay.<field>`` (its pay overrides) and
        ``contingents.<i>.diversion.<j>.<rule>`` (its own chain).
        """
        return dict(self._inputs_by_path)

    @cached_property
    def _inputs_by_path(self) -> dict[str, float | BaseDistribution]:
        """`inputs`, built once per scenario (a scenario is frozen); never to be changed.

        Every lookup of an input goes through this one table, so that loading and
        analysing a scenario stay linear in its number of inputs.
        """
        values: dict[str, float | BaseDistribution] = {}
        for field in PAY_FIELDS:
            values[f"pay.{field}"] = getattr(self.pay, field)
        for index, layer in enumerate(self.diversion):
            values[f"diversion.{index}.{layer.rule}"] = layer.take
        if self.deployment is not None:
            self._window_inputs(values, "deployment.", self.deployment)
        for i, contingent in enumerate(self.contingents):
            self._window_inputs(values, f"contingents.{i}.", contingent)
            for field in PAY_FIELDS:
                override = getattr(contingent.pay, field)
                if override is not None:
                    values[f"contingents.{i}.pay.{field}"] = override
            for j, layer in enumerate(contingent.diversion or ()):
                values[f"contingents.{i}.diversion.{j}.{layer.rule}"] = layer.take
        baseline = self.baseline
        if baseline.in_won:
            assert baseline.domestic_monthly_wage_kpw is not None  # noqa: S101 - in_won
            assert baseline.kpw_per_usd is not None  # noqa: S101 - in_won
            values["baseline.domestic_monthly_wage_kpw"] = baseline.domestic_monthly_wage_kpw
            values["baseline.kpw_per_usd"] = baseline.kpw_per_usd
        else:
            usd = baseline.domestic_monthly_wage_usd
            values["baseline.domestic_monthly_wage_usd"] = DOMESTIC_WAGE_USD if usd is None else usd
        if self.currency is not None:
            values["currency.per_usd"] = self.currency.per_usd
        return values

    @staticmethod
    def _window_inputs(
        values: dict[str, float | BaseDistribution],
        prefix: str,
        window: Deployment | Contingent,
    ) -> None:
        """A deployment's or a contingent's own numeric inputs, under ``prefix``."""
        if window.troops is not None:
            values[f"{prefix}troops"] = window.troops
        values[f"{prefix}months"] = window.months
        if window.tour_months is not None:
            values[f"{prefix}tour_months"] = window.tour_months
        if window.deaths is not None:
            values[f"{prefix}deaths"] = window.deaths
        else:
            values[f"{prefix}monthly_death_rate"] = window.monthly_death_rate

    @property
    def currency_code(self) -> str | None:
        """The code of the scenario's ``[currency]`` (``"KRW"``), or ``None`` without one."""
        return None if self.currency is None else self.currency.code

    def windows(self) -> tuple[Deployment | Contingent, ...]:
        """The deployment, or the contingents: one entry per group the kernel evaluates."""
        return (self.deployment,) if self.deployment is not None else self.contingents

    def input_paths(self) -> tuple[str, ...]:
        """The canonical dotted paths of `inputs`."""
        return tuple(self._inputs_by_path)

    def uncertain_inputs(self) -> dict[str, BaseDistribution]:
        """The inputs given as distributions, by canonical path."""
        return dict(self._uncertain_by_path)

    @cached_property
    def _uncertain_by_path(self) -> dict[str, BaseDistribution]:
        """`uncertain_inputs`, built once; never to be changed."""
        return {p: v for p, v in self._inputs_by_path.items() if isinstance(v, BaseDistribution)}

    @cached_property
    def _layer_index(self) -> dict[str, int]:
        """Each layer's index by its name."""
        return {layer.name: index for index, layer in reversed(list(enumerate(self.diversion)))}

    def layer_names(self) -> tuple[str, ...]:
        """Names of the layers results report, the kernel's own first when they can take.

        ``"state transfer"``, then ``"in kind"``, then the diversion chain.

        With contingents: every contingent's layers, those of the same name once, in the
        order they first appear (DESIGN §6: layers of the same name add up).
        """
        if self.deployment is not None:
            return self._chain_names(self.pay, self.diversion)
        names: list[str] = []
        for i in range(len(self.contingents)):
            for name in self.contingent_layer_names(i):
                if name not in names:
                    names.append(name)
        first = [name for name in (STATE_TRANSFER_LAYER, IN_KIND_LAYER) if name in names]
        return (*first, *(name for name in names if name not in first))

    def contingent_layer_names(self, i: int) -> tuple[str, ...]:
        """The layers of contingent ``i``: the kernel's own, then its chain or the scenario's.

        ``"state transfer"`` and ``"in kind"`` come first when they can take.
        """
        if not self.contingents:
            raise ArgumentError(f"i: scenario {self.name!r} has no [[contingents]]", argument="i")
        contingent = self.contingents[check_whole(i, "i", low=0, high=len(self.contingents) - 1)]
        return self._chain_names(
            contingent.pay,
            self.diversion if contingent.diversion is None else contingent.diversion,
        )

    def _chain_names(self, pay: Pay | PayOverrides, chain: tuple[Layer, ...]) -> tuple[str, ...]:
        """The kernel's own layers that can take, then the chain's.

        A layer can take when its field is a distribution or a number above 0; a
        contingent's pay overrides the scenario's field by field.
        """

        def can_take(field: str) -> bool:
            value = getattr(pay, field)
            value = getattr(self.pay, field) if value is None else value
            return isinstance(value, BaseDistribution) or value > 0

        own = (
            (STATE_TRANSFER_LAYER, "state_transfer_monthly_usd"),
            (IN_KIND_LAYER, "in_kind_share"),
        )
        first = tuple(name for name, field in own if can_take(field))
        return (*first, *(layer.name for layer in chain))

    def _canonical(self, path: str) -> str:
        """Turn names in a path into indexes.

        ``diversion.<layer name>.<field>``, ``contingents.<name>.…`` and
        ``contingents.<i>.diversion.<layer name>.<field>`` become index forms.

        Raises
        ------
        ArgumentTypeError
            When ``path`` is not text (so every method that takes a path says so).
        """
        check_type(path, str, "path", "text, an input's dotted path such as 'deployment.troops'")
        parts = path.split(".")
        if len(parts) >= 3 and parts[0] == "contingents" and layer_index(parts[1]) is None:
            for index, contingent in enumerate(self.contingents):
                if contingent.name == parts[1]:
                    parts[1] = str(index)
                    break
        if len(parts) == 3 and parts[0] == "diversion" and layer_index(parts[1]) is None:
            found = self._layer_index.get(parts[1])
            if found is not None:
                parts[1] = str(found)
        elif len(parts) == 5 and parts[0] == "contingents" and parts[2] == "diversion":
            which = layer_index(parts[1])
            if (
                which is not None
                and which < len(self.contingents)
                and layer_index(parts[3]) is None
            ):
                chain = self.contingents[which].diversion or ()
                for index, layer in enumerate(chain):
                    if layer.name == parts[3]:
                        parts[3] = str(index)
                        break
        return ".".join(parts)

    def variable_input(self, path: str) -> tuple[str, Domain]:
        """The canonical path and the domain of a numeric input that an analysis may vary.

        Every path of `inputs` qualifies, and two more that `evolve` accepts:
        ``deployment.tour_months`` when it defaults to ``months``, and the other rule of a
        layer (``diversion.0.quota_monthly_usd`` for a share layer, which switches it).

        Parameters
        ----------
        path
            A dotted path, by layer index or name (``diversion.state treasury.share``).

        Returns
        -------
        tuple
            ``(canonical path, domain)``: the path by layer index, and the values the field
            accepts (`paymodel.domains.Domain`).

        Raises
        ------
        ScenarioError
            With a one-line message when the path is not a numeric input of this scenario.

        Examples
        --------
        >>> import paymodel as pm
        >>> path, domain = pm.builtin("independent-90").variable_input(
        ...     "diversion.state treasury.share")
        >>> path, domain.describe()
        ('diversion.0.share', 'between 0 and 1')
        """
        canonical = self._canonical(path)
        parts = canonical.split(".")
        if parts[0] == "currency" and (canonical != "currency.per_usd" or self.currency is None):
            given = "{'code': 'KRW', 'per_usd': 1395}"
            how = f"currency={given} (--currency CODE=RATE on the command line)"
            if canonical != "currency.per_usd":
                raise ScenarioError(
                    f"{path}: a currency's code is text, not a number; its code and rate are "
                    f"set together, with {how}"
                )
            raise ScenarioError(
                f"{path}: this scenario has no [currency] whose rate could vary; give it one "
                f"first, with {how}"
            )
        inputs = self._inputs_by_path
        model: type[FrozenModel] | None = None
        varies = False
        window_fields = ("troops", "months", "tour_months", "monthly_death_rate", "deaths")
        if len(parts) == 2:
            sections: dict[str, type[FrozenModel]] = {
                "pay": Pay,
                "deployment": Deployment,
                "baseline": Baseline,
                "currency": Currency,
            }
            model = sections.get(parts[0])
            window = parts[0] == "deployment" and self.deployment is not None
            varies = canonical in inputs or (window and parts[1] in window_fields)
        elif len(parts) == 3 and parts[0] == "diversion":
            self._check_layer(path, parts[1], self.diversion, "diversion")
            model = Layer
            varies = parts[2] in ("share", "quota_monthly_usd")
        elif len(parts) >= 3 and parts[0] == "contingents":
            which = layer_index(parts[1])
            if which is None or which >= len(self.contingents):
                names = ", ".join(repr(c.name) for c in self.contingents) or "none"
                raise ScenarioError(
                    f"{path}: no contingent {parts[1]!r} (contingents, by index from 0 or by "
                    f"name: {names})"
                )
            contingent = self.contingents[which]
            if len(parts) == 3:
                model, varies = Contingent, parts[2] in window_fields
            elif len(parts) == 4 and parts[2] == "pay":
                model, varies = Pay, parts[3] in PAY_FIELDS
            elif len(parts) == 5 and parts[2] == "diversion":
                if contingent.diversion is None:
                    raise ScenarioError(
                        f"{path}: contingent {contingent.name!r} has no own diversion chain "
                        "(it uses the scenario's: vary diversion.<layer>.<field> instead)"
                    )
                where = f"contingents.{parts[1]}.diversion"
                self._check_layer(path, parts[3], contingent.diversion, where)
                model, varies = Layer, parts[4] in ("share", "quota_monthly_usd")
        field = model.model_fields.get(parts[-1]) if model is not None else None
        if field is not None and field.annotation is bool:
            raise ScenarioError(f"{path}: is true or false, not a number")
        domain = field_domain(model, parts[-1]) if model is not None else None
        if domain is None or not varies:
            hint = did_you_mean(path, [*inputs, "deployment.tour_months"])
            raise ScenarioError(
                f"{path}: not a numeric input of this scenario{hint} (inputs: {', '.join(inputs)})"
            )
        return canonical, domain

    @staticmethod
    def _check_layer(path: str, part: str, chain: tuple[Layer, ...], where: str) -> None:
        index = layer_index(part)
        if index is None or index >= len(chain):
            names = ", ".join(repr(layer.name) for layer in chain) or "none"
            raise ScenarioError(
                f"{path}: no layer {part!r} in {where} (layers, by index from 0 or "
                f"by name: {names})"
            )

    def _repr_html_(self) -> str:
        """Every input with its value or distribution and its claims, for notebooks."""
        from paymodel.display import html_table, number

        rows = []
        for path, value in self.inputs().items():
            shown = value.describe() if isinstance(value, BaseDistribution) else number(value)
            label, parts = path, path.split(".")
            if parts[0] == "diversion":
                label = f"{path} ({self.diversion[int(parts[1])].name})"
            elif parts[0] == "contingents":
                label = f"{path} ({self.contingents[int(parts[1])].name})"
            rows.append([label, shown, " ".join(self.claims_for(path))])
        if self.deployment is not None:
            losses = str(self.deployment.replace_losses).lower()
            rows.append(["deployment.replace_losses", losses, ""])
        for i, contingent in enumerate(self.contingents):
            losses = str(contingent.replace_losses).lower()
            rows.append([f"contingents.{i}.replace_losses ({contingent.name})", losses, ""])
        caption = f"{self.name}: {self.title}" if self.title else self.name
        return html_table(["input", "value", "claims"], rows, [False, True, False], caption)

    def evolve(self, **changes: Any) -> Self:
        """Return a validated variant. Keys may be fields or dotted paths.

        Raises
        ------
        ScenarioError
            With a one-line message when a value breaks a rule, or a path does not exist.

        Examples
        --------
        >>> import paymodel as pm
        >>> s = pm.builtin("independent-90")
        >>> s.evolve(**{"deployment.troops": 15_000}).deployment.troops
        15000.0
        """
        data: dict[str, Any] = _listed(self.model_dump(mode="python"))
        for key, value in changes.items():
            if isinstance(value, FrozenModel):
                value = value.model_dump(mode="python")
            if "." not in key:
                data[key] = value
                continue
            parts = self._canonical(key).split(".")
            if parts[0] == "currency" and data.get("currency") is None:
                # A scenario without a currency gets one from its two paths, set together.
                data["currency"] = {"code": None, "per_usd": None}
            target: Any = data
            for depth, part in enumerate(parts[:-1]):
                if isinstance(target, list):
                    index = layer_index(part)
                    if index is None or index >= len(target):
                        what = "contingent" if parts[depth - 1] == "contingents" else "layer"
                        raise ScenarioError(f"{key}: no {what} {part!r} in {parts[depth - 1]}")
                    target = target[index]
                elif isinstance(target, dict) and isinstance(target.get(part), dict | list):
                    target = target[part]
                else:
                    raise _not_a_path(key, data)
            if not isinstance(target, dict) or parts[-1] not in target:
                raise _not_a_path(key, data)
            target[parts[-1]] = value
            # Switching a layer between share and quota, or a window between deaths and a
            # death rate, drops the other rule, and the claims cited for it no longer apply.
            if len(parts) >= 3 and parts[-3] == "diversion":
                other = {"share": "quota_monthly_usd", "quota_monthly_usd": "share"}
                unset: dict[str, Any] = {"share": None, "quota_monthly_usd": None}
            else:
                other = {"deaths": "monthly_death_rate", "monthly_death_rate": "deaths"}
                unset = {"deaths": None, "monthly_death_rate": 0.0}
            dropped = other.get(parts[-1])
            if dropped is not None:
                before = target.get(dropped)
                target[dropped] = unset[dropped]
            if dropped is not None and before is not None and before != unset[dropped]:
                old = ".".join([*parts[:-1], dropped])
                for table in ("citations", "assumptions"):
                    data[table] = {
                        k: v for k, v in data[table].items() if self._canonical(k) != old
                    }
        try:
            return self.__class__.model_validate(data)
        except ValidationError as error:
            raise scenario_error(error, data, self.name, model=type(self)) from error


def _not_a_path(key: str, data: Mapping[str, Any]) -> ScenarioError:
    """A path `Scenario.evolve` cannot set, with the closest path it can."""
    table = key.partition(".")[0]
    if table in ("citations", "assumptions"):  # keyed by input paths, which have dots
        return ScenarioError(
            f"{key}: {table} is keyed by input paths, so it is set as a whole table, e.g. "
            f"{table}={{'deployment.months': ...}}"
        )
    known = []
    for section, value in data.items():
        if isinstance(value, Mapping):
            known += [f"{section}.{field}" for field in value]
        elif isinstance(value, list):
            known += [
                f"{section}.{index}.{field}"
                for index, item in enumerate(value)
                if isinstance(item, Mapping)
                for field in item
            ]
    return ScenarioError(f"{key}: not an input path of this scenario{did_you_mean(key, known)}")


def check_scenario(value: Any, name: str = "scenario") -> Scenario:
    """A `Scenario` argument, checked (``pm.load`` turns a built-in's name or a file into one).

    Raises
    ------
    ArgumentTypeError
        When ``value`` is not a `Scenario`.

    Examples
    --------
    >>> check_scenario("independent-90")
    Traceback (most recent call last):
    ...
    paymodel.errors.ArgumentTypeError: scenario must be a Scenario, such as \
pm.load('independent-90') gives (got a string 'independent-90')
    """
    check_type(value, Scenario, name, "a Scenario, such as pm.load('independent-90') gives")
    return value  # type: ignore[no-any-return]


def claim_ids(scenarios: Iterable[Scenario]) -> list[str]:
    """The claims the scenarios cite (sources, then citations), each once, in order.

    Examples
    --------
    >>> import paymodel as pm
    >>> claim_ids([pm.builtin("independent-90"), pm.builtin("nis-estimate")])
    ['PAY-02', 'PAY-03', 'DEP-11', 'DOM-01', 'PAY-01', 'REV-01', 'REV-02']
    """
    seen: dict[str, None] = {}
    for scenario in scenarios:
        for cid in scenario.sources:
            seen.setdefault(cid, None)
        for ids in scenario.citations.values():
            for cid in ids:
                seen.setdefault(cid, None)
    return list(seen)
