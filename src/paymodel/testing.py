"""Property-test your assumptions: hypothesis strategies for scenarios, and invariant checks.

Needs the ``testing`` extra (``pip install 'paymodel[testing]'``, which brings hypothesis);
``import paymodel`` never imports this module.

Strategies, each a function returning a ``SearchStrategy`` (the model is hypothesis's own
``hypothesis.extra.numpy``):

- `scenarios` — whole `paymodel.Scenario` objects with one ``[deployment]``;
- `contingent_scenarios` — scenarios with ``[[contingents]]``: waves, ``follows`` chains
  (phases of the same soldiers), ``deaths`` totals, pay overrides, own chains, calendars;
- `pays`, `diversion_chains`, `deployments`, `baselines`, `currencies` — their parts
  (`currencies`: a ``[currency]``, so that money has twins in it, DESIGN §7);
- `distributions` — a distribution for one field; `values` — a number or a distribution for
  one field, by its dotted path (``"deployment.troops"``, ``"diversion.share"``).

Bounds are keyword-only and checked when the strategy is made (a bad bound raises
hypothesis's ``InvalidArgument`` at once, not at the first draw). A bound applies to every
value the field can take: the number itself, or every value the distribution can draw (its
support). Without bounds a field ranges over everything the model accepts, up to the
limits of `paymodel.domains`, including distributions without an upper end (a lognormal, a
normal with no ``high``), which are drawn only when no bound narrows the field. Every
object is built valid: nothing is filtered out with ``assume``, and a test draws thousands
and validates them.

``st.from_type(paymodel.Scenario)`` (and ``Pay``, ``Layer``, ``Deployment``, ``Baseline``
and each distribution kind) uses these strategies: paymodel registers them through
hypothesis's ``hypothesis`` entry point, and again when this module is imported.

`check_invariants` (from `paymodel.invariants`) checks the model's identities on a
result and raises `paymodel.InvariantError`, an ``AssertionError``, naming the identity
broken and the numbers.

Examples
--------
>>> from hypothesis import given, settings
>>> import paymodel as pm
>>> from paymodel.testing import check_invariants, scenarios
>>> @settings(deadline=None)  # the first draw may import scipy (docs/testing.md)
... @given(scenarios(min_troops=10_000, max_troops=15_000, min_share=0.9))
... def test_money_is_conserved(scenario):
...     check_invariants(pm.compute(scenario))
>>> test_money_is_conserved()
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from paymodel._optional import require

require("hypothesis", "paymodel.testing")

# The imports below follow the check above, which names the extra to install.
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import InvalidArgument  # noqa: E402

from paymodel.arguments import check_flag, check_number, check_whole  # noqa: E402
from paymodel.calendar import month_label  # noqa: E402
from paymodel.distributions import (  # noqa: E402
    DISTRIBUTION_KINDS,
    MAX_BETA_PARAMETER,
    MIN_BETA_PARAMETER,
    Z95,
    BaseDistribution,
    Beta,
    Choice,
    Lognormal,
    Mixture,
    Normal,
    Pert,
    Triangular,
    Uniform,
)
from paymodel.domains import OUTSIDE_SHARE, Domain  # noqa: E402
from paymodel.errors import ArgumentError  # noqa: E402
from paymodel.invariants import check_invariants  # noqa: E402
from paymodel.scenario import (  # noqa: E402
    IN_KIND_LAYER,
    PAY_FIELDS,
    STATE_TRANSFER_LAYER,
    Baseline,
    Contingent,
    Currency,
    Deployment,
    Layer,
    Pay,
    Scenario,
    field_domain,
    layer_index,
)
from paymodel.sources import claims  # noqa: E402

__all__ = [
    "FIELDS",
    "KINDS",
    "baselines",
    "check_invariants",
    "contingent_scenarios",
    "currencies",
    "deployments",
    "distributions",
    "diversion_chains",
    "pays",
    "register_type_strategies",
    "scenarios",
    "values",
]

SearchStrategy = st.SearchStrategy


def _field_domains() -> dict[str, Domain]:
    """Every numeric field by generic dotted path, with the domain its model checks."""
    found: dict[str, Domain] = {}
    for section, model in (
        ("pay", Pay),
        ("diversion", Layer),
        ("deployment", Deployment),
        ("baseline", Baseline),
        ("currency", Currency),
    ):
        for name in model.model_fields:
            domain = field_domain(model, name)
            if domain is not None:
                found[f"{section}.{name}"] = domain
    return found


#: The numeric fields (``diversion.share`` stands for every layer's share) and their domains.
FIELDS: dict[str, Domain] = _field_domains()

#: The distribution kinds, by their ``kind`` tag.
KINDS: tuple[str, ...] = tuple(str(cls.model_fields["kind"].default) for cls in DISTRIBUTION_KINDS)

#: Kinds whose support has no upper end (drawn only for a field with no bounds given).
_UNBOUNDED = frozenset({"lognormal"})

#: Most layers a chain may have in `diversion_chains` (the model has no limit; a chain of 20
#: already exercises the kernel's loop).
MAX_LAYERS = 20

_LAYER_NAMES = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /-'()",
    min_size=1,
    max_size=24,
)


# -- argument checks --------------------------------------------------------------------------


def _field(path: str) -> tuple[str, Domain]:
    """A field's generic path (``diversion.0.share`` → ``diversion.share``) and domain."""
    if not isinstance(path, str):
        raise InvalidArgument(
            f"field must be a dotted path such as 'deployment.troops' (got {path!r})"
        )
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "diversion" and layer_index(parts[1]) is not None:
        parts = [parts[0], parts[2]]
    generic = ".".join(parts)
    if generic not in FIELDS:
        raise InvalidArgument(f"{path!r} is not a numeric field; fields: {', '.join(FIELDS)}")
    return generic, FIELDS[generic]


def _checked(check: Callable[..., Any], value: Any, name: str, **rule: Any) -> Any:
    """A `paymodel.arguments` check, failing as hypothesis's strategies do (InvalidArgument)."""
    try:
        return check(value, name, **rule)
    except ArgumentError as error:
        raise InvalidArgument(str(error)) from None


def _number(name: str, value: Any) -> float:
    return float(_checked(check_number, value, name))


def _whole(name: str, value: Any, low: int, high: int) -> int:
    return int(_checked(check_whole, value, name, low=low, high=high))


def _flag(name: str, value: Any, *, maybe: bool = False) -> bool | None:
    flag: bool | None = _checked(check_flag, value, name, maybe=maybe)
    return flag


@dataclass(frozen=True)
class _Bounds:
    """The values one field may take in a strategy, checked against its domain.

    ``open_above`` is True when no upper bound was given and the domain has no hard upper
    end: then distributions without an upper end (a normal with no ``high``) qualify, and
    with ``whole`` (no bound at all) a lognormal too.
    """

    field: str
    domain: Domain
    low: float
    high: float
    open_above: bool
    whole: bool


def _bounds(
    path: str,
    min_value: Any,
    max_value: Any,
    names: tuple[str, str] = ("min_value", "max_value"),
) -> _Bounds:
    field, domain = _field(path)
    lowest = 0.0 if domain.zero_allowed else domain.smallest
    low, high = lowest, domain.largest
    for name, given in zip(names, (min_value, max_value), strict=True):
        if given is None:
            continue
        number = _number(name, given)
        if not bool(domain.allows(number)):
            rule = domain.describe()
            if domain.zero_allowed:
                rule = f"0 or {domain.smallest:g} … {domain.largest:g}"
            raise InvalidArgument(f"{name}={given!r} is not a value of {field}, which is {rule}")
        if name == names[0]:
            low = number
        else:
            high = number
    if low > high:
        raise InvalidArgument(
            f"{names[0]}={min_value!r} is greater than {names[1]}={max_value!r} ({field})"
        )
    open_above = max_value is None and math.isinf(domain.high)
    return _Bounds(field, domain, low, high, open_above, open_above and min_value is None)


def _kinds_argument(kinds: Any) -> tuple[str, ...]:
    if kinds is None:
        return KINDS
    if isinstance(kinds, str) or not isinstance(kinds, Sequence) or not kinds:
        raise InvalidArgument(f"kinds must be a non-empty sequence of kinds, from {KINDS}")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise InvalidArgument(f"unknown kind(s) {unknown!r}; kinds: {', '.join(KINDS)}")
    return tuple(dict.fromkeys(kinds))


def _possible_kinds(bounds: _Bounds, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds that can have a support inside ``bounds``."""
    possible = []
    for kind in kinds:
        if kind in ("choice", "mixture"):
            ok = True  # a single value is a valid choice, two numbers a valid mixture
        elif kind == "lognormal":
            ok = bounds.whole
        elif kind == "beta":
            ok = not bounds.domain.low_open and bounds.low == 0 and bounds.high >= 1
        else:
            ok = bounds.low < bounds.high
        if ok:
            possible.append(kind)
    return tuple(possible)


# -- numbers and distributions for one field --------------------------------------------------


def _numbers(bounds: _Bounds) -> SearchStrategy[float]:
    """Numbers the field accepts within the bounds: 0 (where allowed), or smallest … high."""
    low, high, smallest = bounds.low, bounds.high, bounds.domain.smallest
    if low == high:
        return st.just(low)
    parts: list[SearchStrategy[float]] = []
    start = low
    if low == 0:
        parts.append(st.just(0.0))
        start = smallest
    if start <= high:
        parts.append(st.floats(start, high))
    return st.one_of(parts)


# Strategies are made once, when a public function is called: the composites below only
# draw from them and build values with arithmetic (sorting, clamping, interpolating), because
# a strategy made anew for every draw costs hypothesis more than the draw itself.

_FRACTIONS = st.floats(0.0, 1.0)
_POSITIVE = st.floats(min_value=0.0, exclude_min=True, allow_infinity=False)
_WEIGHTS = st.floats(0.0, 1e300, exclude_min=True)


def _between(low: float, high: float, fraction: float) -> float:
    """The point ``fraction`` of the way from ``low`` to ``high``, kept inside them."""
    return min(max(low + fraction * (high - low), low), high)


def _pair(bounds: _Bounds, first: float, second: float) -> tuple[float, float]:
    """Two accepted values as ``(low, high)`` with low < high, inside the bounds.

    Equal values are pulled apart by one step of the float grid, staying inside the bounds
    and accepted by the field (0, or at least its smallest nonzero value).
    """
    low, high = sorted((first, second))
    if low == high:
        if high < bounds.high:
            high = math.nextafter(high, math.inf)
        else:
            low = math.nextafter(low, -math.inf)
            if not bool(bounds.domain.allows(low)) or low < bounds.low:
                low = bounds.low
    if low == 0 and high < bounds.domain.smallest:
        high = bounds.domain.smallest  # a support from 0 must reach the smallest value
    return low, high


def _fits(domain: Domain, distribution: BaseDistribution) -> bool:
    """Whether at most `paymodel.domains.OUTSIDE_SHARE` of the values leave the domain."""
    return max(domain.shares_outside(distribution)) <= OUTSIDE_SHARE


def _off_zero(bounds: _Bounds, low: float, high: float) -> tuple[float, float] | None:
    """``(low, high)`` with a low end of 0 moved up to the field's smallest nonzero value.

    A support from 0 may put too much of its mass between 0 and that value (a uniform
    from 0 to 10⁻⁶ $ puts all of it there); from the smallest value on it puts none. None
    when the bounds leave no room above it (then only a choice of values fits).
    """
    if low != 0:
        return low, high
    smallest = bounds.domain.smallest
    if high <= smallest:
        high = math.nextafter(smallest, math.inf)
        if high > bounds.high:
            return None
    return smallest, high


def _two_values(low: float, high: float) -> Choice:
    """The fallback when no continuous distribution fits: one value or the other."""
    return Choice(values=(low, high))


@st.composite
def _uniforms(draw: st.DrawFn, numbers: SearchStrategy[float], bounds: _Bounds) -> Uniform | Choice:
    low, high = _pair(bounds, draw(numbers), draw(numbers))
    candidate = Uniform(low=low, high=high)
    if _fits(bounds.domain, candidate):
        return candidate
    moved = _off_zero(bounds, low, high)
    return _two_values(low, high) if moved is None else Uniform(low=moved[0], high=moved[1])


@st.composite
def _with_mode(
    draw: st.DrawFn,
    kind: type[Triangular] | type[Pert],
    numbers: SearchStrategy[float],
    bounds: _Bounds,
) -> BaseDistribution:
    low, high = _pair(bounds, draw(numbers), draw(numbers))
    fraction = draw(_FRACTIONS)
    candidate = kind(low=low, mode=_between(low, high, fraction), high=high)
    if _fits(bounds.domain, candidate):
        return candidate
    moved = _off_zero(bounds, low, high)
    if moved is None:
        return _two_values(low, high)
    return kind(low=moved[0], mode=_between(*moved, fraction), high=moved[1])


#: Standard deviations from a normal's mean to a field's limit: Φ(−6.2) ≈ 2.8·10⁻¹⁰, so
#: even truncated below its mean (which at most doubles the tail) it stays within the
#: one-in-a-billion rule.
_TAIL_SDS = 6.2


@st.composite
def _normals(draw: st.DrawFn, numbers: SearchStrategy[float], bounds: _Bounds) -> Normal | Choice:
    if bounds.low < bounds.high and not (bounds.open_above and draw(st.booleans())):
        low, high = _pair(bounds, draw(numbers), draw(numbers))
        fraction = draw(_FRACTIONS)
        # Bounds narrower than a millionth of an sd make a uniform distribution (refused).
        sd = min(draw(_POSITIVE), (high - low) * 1e6)
        candidate = Normal(mean=_between(low, high, fraction), sd=sd, low=low, high=high)
        if _fits(bounds.domain, candidate):
            return candidate
        moved = _off_zero(bounds, low, high)
        if moved is None:
            return _two_values(low, high)
        low, high = moved
        sd = min(sd, (high - low) * 1e6)
        return Normal(mean=_between(low, high, fraction), sd=sd, low=low, high=high)
    # No upper end: the values above the limit must stay within the one-in-a-billion rule,
    # so the mean lies at least _TAIL_SDS sd below the limit (then p95 is within it too).
    limit = bounds.high  # open above: the domain's limit
    low = draw(numbers)
    if low == limit:
        low = bounds.low
    if low == 0 and bounds.domain.zero_allowed and low < bounds.domain.smallest:
        # From 0, a narrow normal may put its mass between 0 and the smallest value.
        low = bounds.domain.smallest if bool(draw(st.booleans())) else low
    sd = min(draw(_POSITIVE), (limit - low) / _TAIL_SDS)
    fraction = draw(_FRACTIONS)
    candidate = _normal_below(low, limit, sd, fraction)
    if _fits(bounds.domain, candidate):
        return candidate
    low = bounds.domain.smallest  # the low end was 0: start at the smallest value instead
    return _normal_below(low, limit, min(sd, (limit - low) / _TAIL_SDS), fraction)


def _normal_below(low: float, limit: float, sd: float, fraction: float) -> Normal:
    """A normal truncated at ``low``, its mean at least _TAIL_SDS sd below ``limit``.

    With an sd too small to move the mean off ``limit`` in floating point, the mean is the
    float just below it (then every value lies within it but for a vanishing share).
    """
    top = limit - _TAIL_SDS * sd
    if top >= limit:
        top = math.nextafter(limit, -math.inf)
    return Normal(mean=_between(low, max(low, top), fraction), sd=sd, low=low)


@st.composite
def _lognormals(draw: st.DrawFn, ends: SearchStrategy[float], domain: Domain) -> Lognormal:
    """A lognormal whose values stay in the domain but for one in a billion.

    The drawn ends give the log-median μ and the log-sd σ; σ is then narrowed until the
    median lies _TAIL_SDS σ inside both the smallest value and the limit.
    """
    lowest, highest = math.log(domain.smallest), math.log(domain.limit)
    first, second = sorted((math.log(draw(ends)), math.log(draw(ends))))
    mu = min(max((first + second) / 2, lowest), highest)
    room = min(mu - lowest, highest - mu) / _TAIL_SDS
    sigma = min((second - first) / (2 * Z95), room)
    if not sigma > 1e-9 * max(1.0, abs(mu)):  # too narrow to tell p5 from p95: the middle
        mu = (lowest + highest) / 2
        sigma = (highest - lowest) / 2 / _TAIL_SDS * max(draw(_FRACTIONS), 1e-3)
    return Lognormal(p5=math.exp(mu - Z95 * sigma), p95=math.exp(mu + Z95 * sigma))


_BETA_PARAMETERS = st.floats(MIN_BETA_PARAMETER, MAX_BETA_PARAMETER)


@st.composite
def _betas(draw: st.DrawFn, domain: Domain) -> Beta:
    candidate = Beta(alpha=draw(_BETA_PARAMETERS), beta=draw(_BETA_PARAMETERS))
    if _fits(domain, candidate):
        return candidate
    # Too much mass between 0 and the field's smallest value: raise alpha (doubling it,
    # from 2) until the mass there fits. At alpha = beta = 10⁶ the values lie around 1/2
    # within ±0.01, so this ends for every beta and every field a beta may be drawn for.
    alpha = max(candidate.alpha, 2.0)
    while not _fits(domain, Beta(alpha=alpha, beta=candidate.beta)):
        alpha = min(2 * alpha, MAX_BETA_PARAMETER)
    return Beta(alpha=alpha, beta=candidate.beta)


@st.composite
def _choices(draw: st.DrawFn, numbers: SearchStrategy[float]) -> Choice:
    count = draw(st.integers(1, 4))
    options = tuple(draw(numbers) for _ in range(count))
    weights = tuple(draw(_WEIGHTS) for _ in range(count)) if draw(st.booleans()) else None
    return Choice(values=options, weights=weights)


@st.composite
def _mixtures(draw: st.DrawFn, components: SearchStrategy[Any]) -> Mixture:
    count = draw(st.integers(2, 3))
    parts = tuple(draw(components) for _ in range(count))
    weights = tuple(draw(_WEIGHTS) for _ in range(count)) if draw(st.booleans()) else None
    return Mixture(of=parts, weights=weights)


def _distributions_within(bounds: _Bounds, kinds: tuple[str, ...]) -> SearchStrategy[Any]:
    numbers = _numbers(bounds)

    def mixtures() -> SearchStrategy[Any]:
        # Components: numbers and every other kind that fits, whatever ``kinds`` says of
        # the field itself; each fits the bounds, so the mixture does.
        inner = [kind for kind in _possible_kinds(bounds, KINDS) if kind != "mixture"]
        return _mixtures(st.one_of(numbers, *(makers[kind]() for kind in inner)))

    makers: dict[str, Callable[[], SearchStrategy[Any]]] = {
        "uniform": lambda: _uniforms(numbers, bounds),
        "triangular": lambda: _with_mode(Triangular, numbers, bounds),
        "pert": lambda: _with_mode(Pert, numbers, bounds),
        "normal": lambda: _normals(numbers, bounds),
        "lognormal": lambda: _lognormals(
            st.floats(bounds.domain.smallest, bounds.domain.limit), bounds.domain
        ),
        "beta": lambda: _betas(bounds.domain),
        "choice": lambda: _choices(numbers),
        "mixture": mixtures,
    }
    return st.one_of([makers[kind]() for kind in kinds])


def _values_within(
    bounds: _Bounds, uncertain: bool | None, kinds: tuple[str, ...]
) -> SearchStrategy[Any]:
    possible = _possible_kinds(bounds, kinds)
    if uncertain is False or (uncertain is None and not possible):
        return _numbers(bounds)
    if not possible:
        raise InvalidArgument(
            f"{bounds.field}: no distribution of kind {', '.join(kinds)} fits between "
            f"{bounds.low:g} and {bounds.high:g}; widen the bounds, allow other kinds, or "
            "pass uncertain=False"
        )
    uncertain_values = _distributions_within(bounds, possible)
    return uncertain_values if uncertain else st.one_of(_numbers(bounds), uncertain_values)


def distributions(
    field: str = "pay.delivered_share",
    *,
    min_value: float | None = None,
    max_value: float | None = None,
    kinds: Sequence[str] | None = None,
) -> SearchStrategy[BaseDistribution]:
    """Distributions a field accepts, each drawing only values within the bounds.

    Parameters
    ----------
    field
        A numeric field by dotted path (``"deployment.troops"``, ``"diversion.share"`` or
        ``"diversion.0.share"``; see `FIELDS`); its domain decides what is valid. The
        default, a share, draws distributions on [0, 1].
    min_value, max_value
        Every value the distribution can draw lies between them. Without ``max_value`` a
        normal may have no ``high``; with neither bound, a lognormal may be drawn.
    kinds
        The kinds to draw (default: all of `KINDS` that fit the bounds).

    Returns
    -------
    SearchStrategy
        Of `paymodel.BaseDistribution` objects that pass the field's validation.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        At once, for a bound the field does not accept, reversed bounds, an unknown kind, or
        no kind able to fit the bounds.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from paymodel.testing import distributions
    >>> @settings(deadline=None)  # a median may import scipy the first time
    ... @given(distributions("deployment.troops", min_value=10_000, max_value=15_000))
    ... def test_troops_stay_within_bounds(distribution):
    ...     low, high, _ = distribution.support()
    ...     assert 10_000 <= low <= distribution.median() <= high <= 15_000
    >>> test_troops_stay_within_bounds()
    """
    bounds = _bounds(field, min_value, max_value)
    chosen = _kinds_argument(kinds)
    return _values_within(bounds, True, chosen)


def values(
    field: str,
    *,
    min_value: float | None = None,
    max_value: float | None = None,
    uncertain: bool | None = None,
    kinds: Sequence[str] | None = None,
) -> SearchStrategy[float | BaseDistribution]:
    """Values of one field: plain numbers, distributions, or either.

    Parameters
    ----------
    field
        A numeric field by dotted path (see `FIELDS`), e.g. ``"pay.gross_monthly_usd"``.
    min_value, max_value
        Bounds on the number, or on every value a distribution can draw.
    uncertain
        ``False``: numbers only; ``True``: distributions only; ``None`` (default): either.
    kinds
        The distribution kinds to draw (default: all that fit); not with ``uncertain=False``.

    Returns
    -------
    SearchStrategy
        Of floats and `paymodel.BaseDistribution` objects the field accepts.

    Examples
    --------
    >>> from hypothesis import given
    >>> from paymodel.testing import values
    >>> @given(values("diversion.share", min_value=0.9, uncertain=False))
    ... def test_share(share):
    ...     assert 0.9 <= share <= 1
    >>> test_share()
    """
    bounds = _bounds(field, min_value, max_value)
    uncertain = _flag("uncertain", uncertain, maybe=True)
    chosen = _kinds_argument(kinds)
    if uncertain is False and kinds is not None:
        raise InvalidArgument(
            "kinds are kinds of distribution: with uncertain=False only numbers are drawn; "
            "leave kinds out, or pass uncertain=None or True"
        )
    return _values_within(bounds, uncertain, chosen)


# -- the parts of a scenario ------------------------------------------------------------------


def _section(
    section: str, fields: dict[str, tuple[Any, Any]], uncertain: bool | None
) -> dict[str, SearchStrategy[Any]]:
    """A strategy per field of a section, from ``{field: (min, max)}``; bounds checked now."""
    uncertain = _flag("uncertain", uncertain, maybe=True)
    strategies = {}
    for name, (low, high) in fields.items():
        bounds = _bounds(f"{section}.{name}", low, high, (f"min_{name}", f"max_{name}"))
        strategies[name] = _values_within(bounds, uncertain, KINDS)
    return strategies


def pays(
    *,
    min_gross_monthly_usd: float | None = None,
    max_gross_monthly_usd: float | None = None,
    min_signing_bonus_usd: float | None = None,
    max_signing_bonus_usd: float | None = None,
    min_death_benefit_usd: float | None = None,
    max_death_benefit_usd: float | None = None,
    min_delivered_share: float | None = None,
    max_delivered_share: float | None = None,
    min_in_kind_share: float | None = None,
    max_in_kind_share: float | None = None,
    min_state_transfer_monthly_usd: float | None = None,
    max_state_transfer_monthly_usd: float | None = None,
    uncertain: bool | None = None,
) -> SearchStrategy[Pay]:
    """`paymodel.Pay` objects: what is promised, delivered, paid in goods and to the state.

    Parameters
    ----------
    min_gross_monthly_usd, max_gross_monthly_usd
        Bounds on the gross pay [$/month].
    min_signing_bonus_usd, max_signing_bonus_usd, min_death_benefit_usd, max_death_benefit_usd
        Bounds on the lump sums [$].
    min_delivered_share, max_delivered_share, min_in_kind_share, max_in_kind_share
        Bounds on the shares.
    min_state_transfer_monthly_usd, max_state_transfer_monthly_usd
        Bounds on the state transfer [$/month] (DESIGN §7).
    uncertain
        ``False``: plain numbers; ``True``: every value a distribution; ``None``: either.
    """
    fields = _section(
        "pay",
        {
            "gross_monthly_usd": (min_gross_monthly_usd, max_gross_monthly_usd),
            "signing_bonus_usd": (min_signing_bonus_usd, max_signing_bonus_usd),
            "death_benefit_usd": (min_death_benefit_usd, max_death_benefit_usd),
            "delivered_share": (min_delivered_share, max_delivered_share),
            "in_kind_share": (min_in_kind_share, max_in_kind_share),
            "state_transfer_monthly_usd": (
                min_state_transfer_monthly_usd,
                max_state_transfer_monthly_usd,
            ),
        },
        uncertain,
    )
    return st.builds(Pay, **fields)


def _layer_name(name: str) -> str:
    """A drawn name made valid: a reserved name or only spaces get a "*" at the end."""
    blank = not name.strip()
    reserved = name.strip().casefold() in (IN_KIND_LAYER, STATE_TRANSFER_LAYER)
    return f"{name}*" if blank or reserved else name


def diversion_chains(
    *,
    min_layers: int = 0,
    max_layers: int = 3,
    min_share: float | None = None,
    max_share: float | None = None,
    min_quota_monthly_usd: float | None = None,
    max_quota_monthly_usd: float | None = None,
    quotas: bool = True,
    uncertain: bool | None = None,
) -> SearchStrategy[tuple[Layer, ...]]:
    """Diversion chains: tuples of `paymodel.Layer` with distinct names.

    Parameters
    ----------
    min_layers, max_layers
        How many layers (0 to `MAX_LAYERS`).
    min_share, max_share
        Bounds on every share layer's share.
    min_quota_monthly_usd, max_quota_monthly_usd
        Bounds on every quota layer's quota [$/month].
    quotas
        Whether layers may take a monthly quota instead of a share. With ``quotas=False``
        and ``min_layers ≥ 1``, at least one layer takes a share, so the soldier keeps at
        most ``1 − min_share`` of the cash pay; bounds on the quota are then refused.
    uncertain
        ``False``: plain numbers; ``True``: distributions; ``None``: either.
    """
    low = _whole("min_layers", min_layers, 0, MAX_LAYERS)
    high = _whole("max_layers", max_layers, 0, MAX_LAYERS)
    if low > high:
        raise InvalidArgument(f"min_layers={low} is greater than max_layers={high}")
    allow_quotas = _flag("quotas", quotas)
    if not allow_quotas and (min_quota_monthly_usd, max_quota_monthly_usd) != (None, None):
        raise InvalidArgument(
            "bounds on quota_monthly_usd need quotas=True: with quotas=False no layer takes one"
        )
    uncertain = _flag("uncertain", uncertain, maybe=True)
    share = _values_within(
        _bounds("diversion.share", min_share, max_share, ("min_share", "max_share")),
        uncertain,
        KINDS,
    )
    quota_bounds = _bounds(
        "diversion.quota_monthly_usd",
        min_quota_monthly_usd,
        max_quota_monthly_usd,
        ("min_quota_monthly_usd", "max_quota_monthly_usd"),
    )
    rules: SearchStrategy[dict[str, Any]] = share.map(lambda s: {"share": s})
    if allow_quotas:
        quota = _values_within(quota_bounds, uncertain, KINDS)
        rules = rules | quota.map(lambda q: {"quota_monthly_usd": q})
    names = st.lists(
        _LAYER_NAMES.map(_layer_name),
        min_size=low,
        max_size=high,
        unique_by=lambda name: name.strip().casefold(),
    )
    return _chains(names, rules)


@st.composite
def _chains(
    draw: st.DrawFn, names: SearchStrategy[list[str]], rules: SearchStrategy[dict[str, Any]]
) -> tuple[Layer, ...]:
    return tuple(Layer(name=name, **draw(rules)) for name in draw(names))


def deployments(
    *,
    min_troops: float | None = None,
    max_troops: float | None = None,
    min_months: float | None = None,
    max_months: float | None = None,
    min_tour_months: float | None = None,
    max_tour_months: float | None = None,
    min_monthly_death_rate: float | None = None,
    max_monthly_death_rate: float | None = None,
    replace_losses: bool | None = None,
    uncertain: bool | None = None,
) -> SearchStrategy[Deployment]:
    """`paymodel.Deployment` objects: how many serve, for how long, how many die.

    Parameters
    ----------
    min_troops, max_troops
        Bounds on the headcount [soldiers].
    min_months, max_months
        Bounds on the length of the deployment [months].
    min_tour_months, max_tour_months
        Bounds on the tour length [months]; when neither is given the tour is sometimes
        left out (it then equals ``months``).
    min_monthly_death_rate, max_monthly_death_rate
        Bounds on the monthly death rate.
    replace_losses
        ``True`` or ``False`` to fix it; ``None`` (default) draws both.
    uncertain
        ``False``: plain numbers; ``True``: distributions; ``None``: either.
    """
    fields = _section(
        "deployment",
        {
            "troops": (min_troops, max_troops),
            "months": (min_months, max_months),
            "tour_months": (min_tour_months, max_tour_months),
            "monthly_death_rate": (min_monthly_death_rate, max_monthly_death_rate),
        },
        uncertain,
    )
    if min_tour_months is None and max_tour_months is None:
        fields["tour_months"] = st.none() | fields["tour_months"]
    replace = _flag("replace_losses", replace_losses, maybe=True)
    fields["replace_losses"] = st.booleans() if replace is None else st.just(replace)
    return st.builds(Deployment, **fields)


def baselines(
    *,
    in_won: bool | None = None,
    min_domestic_monthly_wage_usd: float | None = None,
    max_domestic_monthly_wage_usd: float | None = None,
    uncertain: bool | None = None,
) -> SearchStrategy[Baseline]:
    """`paymodel.Baseline` objects: pay at home, in dollars or in won with a rate.

    Parameters
    ----------
    in_won
        ``True``: a wage in won with an exchange rate; ``False``: in dollars (sometimes left
        out, meaning $1); ``None`` (default): either.
    min_domestic_monthly_wage_usd, max_domestic_monthly_wage_usd
        Bounds on the wage in dollars [$/month] (only with ``in_won`` not ``True``).
    uncertain
        ``False``: plain numbers; ``True``: distributions; ``None``: either.
    """
    won = _flag("in_won", in_won, maybe=True)
    bounded = min_domestic_monthly_wage_usd is not None or max_domestic_monthly_wage_usd is not None
    if won and bounded:
        raise InvalidArgument("bounds on domestic_monthly_wage_usd need in_won=False or None")
    usd = _section(
        "baseline",
        {
            "domestic_monthly_wage_usd": (
                min_domestic_monthly_wage_usd,
                max_domestic_monthly_wage_usd,
            )
        },
        uncertain,
    )["domestic_monthly_wage_usd"]
    in_dollars = st.builds(Baseline, domestic_monthly_wage_usd=usd if bounded else st.none() | usd)
    in_won_strategy = st.builds(
        Baseline,
        **_section(
            "baseline",
            {"domestic_monthly_wage_kpw": (None, None), "kpw_per_usd": (None, None)},
            uncertain,
        ),
    )
    if won is None:
        return in_dollars if bounded else in_dollars | in_won_strategy
    return in_won_strategy if won else in_dollars


#: ISO 4217-shaped codes: three capital letters, never USD (money is in dollars already).
_CODES = st.from_regex(r"[A-Z]{3}", fullmatch=True).map(
    lambda code: "XXX" if code == "USD" else code
)


def currencies(
    *,
    min_per_usd: float | None = None,
    max_per_usd: float | None = None,
    uncertain: bool | None = None,
) -> SearchStrategy[Currency]:
    """`paymodel.Currency` objects: a code of three capital letters (not USD) and a rate.

    Parameters
    ----------
    min_per_usd, max_per_usd
        Bounds on the rate, units of the currency per dollar (any value the model accepts
        by default: 10⁻⁶ … 10⁹).
    uncertain
        ``False``: a plain number; ``True``: a distribution (a mixture among them);
        ``None``: either.

    Examples
    --------
    >>> from hypothesis import given
    >>> from paymodel.testing import currencies
    >>> @given(currencies(min_per_usd=1000, max_per_usd=1500, uncertain=False))
    ... def test_won(currency):
    ...     assert currency.code != "USD" and 1000 <= currency.per_usd <= 1500
    >>> test_won()
    """
    rate = _section("currency", {"per_usd": (min_per_usd, max_per_usd)}, uncertain)["per_usd"]
    return st.builds(Currency, code=_CODES, per_usd=rate)


_NAMES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True)
_RANKS = st.floats(-1.0, 1.0)


def scenarios(
    *,
    pay: SearchStrategy[Pay] | None = None,
    diversion: SearchStrategy[tuple[Layer, ...]] | None = None,
    deployment: SearchStrategy[Deployment] | None = None,
    baseline: SearchStrategy[Baseline] | None = None,
    currency: SearchStrategy[Currency | None] | None = None,
    min_gross_monthly_usd: float | None = None,
    max_gross_monthly_usd: float | None = None,
    min_share: float | None = None,
    max_share: float | None = None,
    min_layers: int = 0,
    max_layers: int = 3,
    quotas: bool = True,
    min_troops: float | None = None,
    max_troops: float | None = None,
    min_months: float | None = None,
    max_months: float | None = None,
    correlations: bool = True,
    uncertain: bool | None = None,
) -> SearchStrategy[Scenario]:
    """Whole `paymodel.Scenario` objects, valid by construction.

    The keyword bounds are shortcuts for the most used bounds of `pays`,
    `diversion_chains` and `deployments`; for the others, pass a part's strategy (``pay=``,
    ``diversion=``, ``deployment=``, ``baseline=``), but not both for the same part.

    Parameters
    ----------
    pay, diversion, deployment, baseline
        Strategies for the parts (default: `pays`, `diversion_chains`, `deployments`,
        `baselines` with the bounds below).
    currency
        A strategy for the ``[currency]`` (default: none, or one of `currencies`);
        ``st.none()`` for scenarios without one.
    min_gross_monthly_usd, max_gross_monthly_usd
        Bounds on the gross pay [$/month].
    min_share, max_share
        Bounds on every layer's share.
    min_layers, max_layers, quotas
        The chain's length, and whether layers may take quotas (see `diversion_chains`).
    min_troops, max_troops, min_months, max_months
        Bounds on the headcount and the length of the deployment.
    correlations
        Sometimes add a rank correlation between two uncertain inputs.
    uncertain
        ``False``: plain numbers; ``True``: distributions; ``None`` (default): either.

    Returns
    -------
    SearchStrategy
        Of scenarios that passed validation; their ``sources`` are drawn from the claims
        registry.

    Examples
    --------
    >>> from hypothesis import given
    >>> import paymodel as pm
    >>> from paymodel.testing import scenarios
    >>> @given(scenarios(min_troops=10_000, max_troops=15_000, uncertain=False))
    ... def test_troops(scenario):
    ...     assert 10_000 <= scenario.deployment.troops <= 15_000
    >>> test_troops()
    """
    pay_bounds = (min_gross_monthly_usd, max_gross_monthly_usd)
    chain_bounds = (min_share, max_share, min_layers != 0, max_layers != 3, quotas is not True)
    deployment_bounds = (min_troops, max_troops, min_months, max_months)
    for name, given, shortcuts in (
        ("pay", pay, pay_bounds),
        ("diversion", diversion, chain_bounds),
        ("deployment", deployment, deployment_bounds),
    ):
        if given is not None and any(x not in (None, False) for x in shortcuts):
            raise InvalidArgument(f"give either {name}= or bounds on its fields, not both")
        if given is not None and not isinstance(given, SearchStrategy):
            raise InvalidArgument(f"{name} must be a hypothesis strategy (got {given!r})")
    for name, part in (("baseline", baseline), ("currency", currency)):
        if part is not None and not isinstance(part, SearchStrategy):
            raise InvalidArgument(f"{name} must be a hypothesis strategy (got {part!r})")
    uncertain = _flag("uncertain", uncertain, maybe=True)
    add_correlations = _flag("correlations", correlations)
    parts = {
        "pay": pay
        if pay is not None
        else pays(
            min_gross_monthly_usd=min_gross_monthly_usd,
            max_gross_monthly_usd=max_gross_monthly_usd,
            uncertain=uncertain,
        ),
        "diversion": diversion
        if diversion is not None
        else diversion_chains(
            min_layers=min_layers,
            max_layers=max_layers,
            min_share=min_share,
            max_share=max_share,
            quotas=quotas,
            uncertain=uncertain,
        ),
        "deployment": deployment
        if deployment is not None
        else deployments(
            min_troops=min_troops,
            max_troops=max_troops,
            min_months=min_months,
            max_months=max_months,
            uncertain=uncertain,
        ),
        "baseline": baseline if baseline is not None else baselines(uncertain=uncertain),
        "currency": currency
        if currency is not None
        else st.none() | currencies(uncertain=uncertain),
    }
    sources = st.lists(st.sampled_from([c.id for c in claims()]), max_size=3, unique=True)
    picks = st.integers(0, MAX_LAYERS + 20)  # an index into the uncertain inputs, modulo

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        scenario = Scenario(
            name=draw(_NAMES),
            sources=tuple(draw(sources)),
            **{part: draw(strategy) for part, strategy in parts.items()},
        )
        uncertain_paths = list(scenario.uncertain_inputs())
        if add_correlations and len(uncertain_paths) >= 2 and draw(st.booleans()):
            first = uncertain_paths.pop(draw(picks) % len(uncertain_paths))
            second = uncertain_paths[draw(picks) % len(uncertain_paths)]
            rank = draw(_RANKS)
            # One pair: its 2 × 2 matrix is positive semi-definite whatever the rank.
            scenario = scenario.evolve(correlations=[{"between": [first, second], "rank": rank}])
        return scenario

    return build()


def _lowest(value: float | BaseDistribution) -> float:
    return float(value.support()[0]) if isinstance(value, BaseDistribution) else float(value)


def contingent_scenarios(
    *,
    min_contingents: int = 1,
    max_contingents: int = 4,
    calendar: bool | None = None,
    follows: bool = True,
    deaths: bool = True,
    max_troops: float | None = None,
    max_months: float | None = None,
    uncertain: bool | None = None,
) -> SearchStrategy[Scenario]:
    """Scenarios with ``[[contingents]]`` (DESIGN §6), valid by construction.

    Each contingent starts at a month (a calendar month when the scenario has a ``start``)
    or follows an earlier one (so chains never loop), has its own window drawn as by
    `deployments`, sometimes a ``deaths`` total instead of a death rate (always within the
    rules: fewer than its troops when losses are not replaced, at most troops × months when
    they are), sometimes pay overrides and its own diversion chain.

    Parameters
    ----------
    min_contingents, max_contingents
        How many contingents (1 to 10).
    calendar
        ``True``: the scenario has a ``start``; ``False``: months are numbered from 0;
        ``None`` (default): either.
    follows
        Let contingents follow earlier ones.
    deaths
        Let contingents give ``deaths`` instead of ``monthly_death_rate``.
    max_troops, max_months
        Upper bounds on every contingent's headcount and window [soldiers, months].
    uncertain
        ``False``: plain numbers; ``True``: distributions; ``None`` (default): either.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import paymodel as pm
    >>> from paymodel.testing import check_invariants, contingent_scenarios
    >>> @settings(deadline=None, max_examples=20)
    ... @given(contingent_scenarios(max_contingents=3))
    ... def test_conserved_per_contingent(scenario):
    ...     check_invariants(pm.compute(scenario))
    >>> test_conserved_per_contingent()
    """
    least = _whole("min_contingents", min_contingents, 1, 10)
    most = _whole("max_contingents", max_contingents, 1, 10)
    if least > most:
        raise InvalidArgument(f"min_contingents={least} must be at most max_contingents={most}")
    with_calendar = _flag("calendar", calendar, maybe=True)
    may_follow = _flag("follows", follows)
    may_kill = _flag("deaths", deaths)
    uncertain = _flag("uncertain", uncertain, maybe=True)
    windows = deployments(max_troops=max_troops, max_months=max_months, uncertain=uncertain)
    own_pay = pays(uncertain=uncertain)
    own_chain = diversion_chains(max_layers=2, uncertain=uncertain)
    parts = {
        "pay": pays(uncertain=uncertain),
        "diversion": diversion_chains(uncertain=uncertain),
        "baseline": baselines(uncertain=uncertain),
        "currency": st.none() | currencies(uncertain=uncertain),
    }
    calendars = st.builds(
        lambda year, month: f"{year:04d}-{month:02d}", st.integers(2000, 2100), st.integers(1, 12)
    )

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        start = None
        if with_calendar or (with_calendar is None and draw(st.booleans())):
            start = draw(calendars)
        count = draw(st.integers(least, most))
        contingents: list[Contingent] = []
        followed: set[int] = set()  # a contingent is followed by at most one other
        for i in range(count):
            window = draw(windows)
            fields: dict[str, Any] = {
                "name": f"group {i}",
                "months": window.months,
                "tour_months": window.tour_months,
                "monthly_death_rate": window.monthly_death_rate,
                "replace_losses": window.replace_losses,
                "troops": window.troops,
            }
            free = [j for j in range(i) if j not in followed]
            if free and may_follow and draw(st.booleans()):
                target = free[draw(st.integers(0, len(free) - 1))]
                followed.add(target)
                fields["follows"] = f"group {target}"
                if draw(st.booleans()):
                    fields["troops"] = None  # the survivors of the window followed
            else:
                offset = draw(st.integers(0, 24))
                fields["start"] = offset if start is None else month_label(start, offset)
                if draw(st.booleans()):
                    fields["start"] = None  # month 0
            if may_kill and fields["troops"] is not None and draw(st.booleans()):
                fraction = draw(st.floats(0.0, 0.9))
                troops = max(_lowest(window.troops), 1.0)  # a drawn headcount is at least 1
                bound = troops * _lowest(window.months) if window.replace_losses else troops
                fields["deaths"] = float(min(math.floor(fraction * bound), 10_000_000))
                fields["monthly_death_rate"] = 0.0
            if draw(st.booleans()):
                drawn = draw(own_pay)
                chosen = draw(st.lists(st.sampled_from(PAY_FIELDS), max_size=3, unique=True))
                fields["pay"] = {field: getattr(drawn, field) for field in chosen}
            if draw(st.booleans()):
                fields["diversion"] = draw(own_chain)
            contingents.append(Contingent(**fields))
        return Scenario(
            name=draw(_NAMES),
            start=start,
            contingents=tuple(contingents),
            **{part: draw(strategy) for part, strategy in parts.items()},
        )

    return build()


# -- st.from_type ------------------------------------------------------------------------------


def _when_asked(make: Callable[[], SearchStrategy[Any]]) -> Callable[[type], SearchStrategy[Any]]:
    """A resolver for `register_type_strategy`: the strategy is made on first use."""

    def resolve(_: type) -> SearchStrategy[Any]:
        return make()

    return resolve


def _one_layer() -> SearchStrategy[Layer]:
    return diversion_chains(min_layers=1, max_layers=1).map(lambda chain: chain[0])


def register_type_strategies() -> None:
    """Make ``st.from_type`` draw paymodel's models with the strategies above.

    Done when this module is imported, and by hypothesis's plugin hook; calling it again
    registers the same strategies again.
    """
    for cls, make in (
        (Scenario, scenarios),
        (Pay, pays),
        (Deployment, deployments),
        (Baseline, baselines),
        (Currency, currencies),
        (Layer, _one_layer),
        (BaseDistribution, distributions),
    ):
        st.register_type_strategy(cls, _when_asked(make))
    for kind_class in DISTRIBUTION_KINDS:
        kind = str(kind_class.model_fields["kind"].default)
        # Shares for the bounded kinds; a lognormal needs a field with no upper end.
        field = "pay.gross_monthly_usd" if kind in _UNBOUNDED else "pay.delivered_share"
        make_kind = partial(distributions, field, kinds=[kind])
        st.register_type_strategy(kind_class, _when_asked(make_kind))


register_type_strategies()
_REGISTERED = True  # for paymodel._hypothesis_hook
