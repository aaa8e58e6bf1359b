"""Distributions: how an analyst states a belief about one input.

Eight kinds, each a frozen pydantic model with a ``kind`` tag, so a scenario file writes
them as inline tables (``{ kind = "uniform", low = 0.9, high = 1.0 }``). Each has

- ``median()`` — the point estimate `paymodel.compute` uses (for ``choice``: the
  smallest value whose cumulative weight reaches 0.5);
- ``sample(rng, n)`` — ``n`` independent draws as a float array, vectorized;
- ``ppf(q)`` — the quantile function, for quasi-random and Latin-hypercube sampling;
- ``cdf(x)`` — the share of draws at or below ``x``, vectorized (a `Mixture` inverts the
  weighted sum of its components' CDFs);
- ``support()`` — the interval the draws lie in, checked against the field's domain;
- ``describe()`` — a short text such as ``uniform(0.9, 1)``.

A `Mixture` (one source's range or another's) draws a component by weight, then from it;
its components are plain numbers or distributions of the other seven kinds.

SciPy is imported only by the methods that need it (quantiles of the normal, beta and
PERT kinds), so a scenario of plain numbers never pays its import cost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Discriminator, Field, Strict, Tag, model_validator
from typing_extensions import override

from paymodel._base_model import FrozenModel
from paymodel.limits import MAX_CHOICE_VALUES

__all__ = [
    "BaseDistribution",
    "Beta",
    "Choice",
    "Component",
    "ComponentError",
    "Distribution",
    "Lognormal",
    "Mixture",
    "Normal",
    "Pert",
    "Triangular",
    "Uniform",
    "kind_tag",
]

Number = Annotated[float, Strict()]
"""A finite real number; an int is accepted, a bool or a string is not."""

FloatArray = NDArray[np.float64]

#: Largest ``alpha`` or ``beta`` of a beta distribution (see `Beta`).
MAX_BETA_PARAMETER = 1e6
#: Smallest ``alpha`` or ``beta``: near the smallest normal float (2.2·10⁻³⁰⁸) scipy's
#: quantiles of a beta turn NaN (alpha = beta = 4.2·10⁻³⁰⁸ has no median); from 10⁻³⁰⁰
#: on every quantile is finite (checked over a grid of both parameters up to 10⁶).
MIN_BETA_PARAMETER = 1e-300

#: z such that Φ(z) = 0.95: a lognormal's p5 and p95 lie ±Z95·σ from its log-median.
Z95 = 1.6448536269514722


class BaseDistribution(FrozenModel):
    """Behaviour shared by every distribution kind (use it for ``isinstance`` checks)."""

    def median(self) -> float:
        """The median, used as the point estimate."""
        return float(self.ppf(np.array([0.5]))[0])

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` independent values.

        Parameters
        ----------
        rng
            The random generator to draw from.
        n
            Number of draws.

        Returns
        -------
        numpy.ndarray
            Float array of shape ``(n,)``.
        """
        return self.ppf(rng.random(n))

    def ppf(self, q: NDArray[np.floating]) -> FloatArray:  # pragma: no cover - abstract
        """Quantile function: the value below which a fraction ``q`` of draws lie."""
        raise NotImplementedError

    def cdf(self, x: ArrayLike) -> FloatArray:  # pragma: no cover - abstract
        """P(X ≤ x), element by element: the share of draws at or below ``x``."""
        raise NotImplementedError

    def support(self) -> tuple[float, float, bool]:  # pragma: no cover - abstract
        """``(low, high, low_attained)``: the interval draws lie in."""
        raise NotImplementedError

    def largest_parameter(self) -> float:  # pragma: no cover - abstract
        """The largest parameter, checked against the field's limit."""
        raise NotImplementedError

    def smallest_parameter(self) -> float:
        """The low end of the values drawn (``p5`` for a lognormal, whose support has none)."""
        return self.support()[0]

    def share_at_most(self, x: float) -> float:
        """P(X ≤ x) at one point (`cdf`); the domain check calls it when a scenario loads."""
        return float(self.cdf(np.array([x]))[0])

    def share_below(self, x: float) -> float:
        """P(X < x): the share of draws strictly below ``x`` (P(X ≤ x) for a density)."""
        return self.share_at_most(x)

    def share_above(self, x: float) -> float:
        """P(X > x): the share of draws above ``x``."""
        return max(0.0, 1.0 - self.share_at_most(x))

    def bound_hint(self, above: bool, bound: float) -> str:
        """How to keep this kind's draws below (``above``) or above a field's ``bound``."""
        if above:
            return f"lower high to {bound:g} or less"
        return f"raise low to {bound:g} or more"

    def describe(self) -> str:  # pragma: no cover - abstract
        """A short text such as ``uniform(0.9, 1)``."""
        raise NotImplementedError


def _standard_normal_cdf(z: float) -> float:
    """Φ(z), precise in both tails, without importing scipy (loading a scenario calls it)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _check_weights(weights: tuple[float, ...] | None, count: int, entry: str) -> None:
    """The rules every list of weights follows: one per entry, a finite sum.

    Each weight is positive by its field's annotation; ``entry`` names what they weigh
    (``"value"`` of a choice, ``"component"`` of a mixture).
    """
    if weights is None:
        return
    if len(weights) != count:
        raise ValueError(
            f"weights must have one entry per {entry} (got {len(weights)} weights "
            f"for {count} {entry}s)"
        )
    if not math.isfinite(sum(weights)):
        # Their running sums would overflow, and every draw would take the last entry.
        raise ValueError(
            f"weights must add up to a finite number (got {', '.join(map(str, weights))})"
        )


def _check_low_high(low: float, high: float) -> None:
    if not low < high:
        raise ValueError(f"low must be less than high (got low={low:g}, high={high:g})")


def _check_mode(low: float, mode: float, high: float) -> None:
    _check_low_high(low, high)
    if not low <= mode <= high:
        raise ValueError(f"mode must lie between low and high (got {low:g}, {mode:g}, {high:g})")


class Uniform(BaseDistribution):
    """Every value between ``low`` and ``high`` equally likely."""

    kind: Literal["uniform"] = "uniform"
    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        _check_low_high(self.low, self.high)
        return self

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        return rng.uniform(self.low, self.high, n)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        return self.low + (self.high - self.low) * np.asarray(q, dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        with np.errstate(over="ignore"):  # beyond a very narrow support: ±inf, clipped
            unit = (np.asarray(x, dtype=np.float64) - self.low) / (self.high - self.low)
        return np.asarray(np.clip(unit, 0.0, 1.0), dtype=np.float64)

    @override
    def median(self) -> float:
        return (self.low + self.high) / 2

    @override
    def support(self) -> tuple[float, float, bool]:
        return self.low, self.high, True

    @override
    def largest_parameter(self) -> float:
        return self.high

    @override
    def describe(self) -> str:
        return f"uniform({self.low:g}, {self.high:g})"


class Triangular(BaseDistribution):
    """Linear rise from ``low`` to ``mode``, linear fall to ``high``."""

    kind: Literal["triangular"] = "triangular"
    low: Number
    mode: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        _check_mode(self.low, self.mode, self.high)
        return self

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        return rng.triangular(self.low, self.mode, self.high, n)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        a, m, c = self.low, self.mode, self.high
        q = np.asarray(q, dtype=np.float64)
        at_mode = (m - a) / (c - a)
        rising = a + np.sqrt(q * (c - a) * (m - a))
        falling = c - np.sqrt((1 - q) * (c - a) * (c - m))
        return np.asarray(np.where(q < at_mode, rising, falling), dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        a, m, c = self.low, self.mode, self.high
        x = np.clip(np.asarray(x, dtype=np.float64), a, c)
        with np.errstate(all="ignore"):  # the side not taken may divide by (almost) 0
            rising = (x - a) ** 2 / ((c - a) * (m - a))
            falling = 1.0 - (c - x) ** 2 / ((c - a) * (c - m))
        return np.asarray(np.where(x <= m, np.where(x > a, rising, 0.0), falling))

    @override
    def median(self) -> float:
        a, m, c = self.low, self.mode, self.high
        if m >= (a + c) / 2:
            return a + math.sqrt((c - a) * (m - a) / 2)
        return c - math.sqrt((c - a) * (c - m) / 2)

    @override
    def support(self) -> tuple[float, float, bool]:
        return self.low, self.high, True

    @override
    def largest_parameter(self) -> float:
        return self.high

    @override
    def describe(self) -> str:
        return f"triangular({self.low:g}, {self.mode:g}, {self.high:g})"


class Pert(BaseDistribution):
    """Beta-PERT with λ = 4: a smooth hump between ``low`` and ``high`` peaking at ``mode``.

    Notes
    -----
    α = 1 + 4(mode − low)/(high − low), β = 1 + 4(high − mode)/(high − low); a draw is
    low + (high − low)·B with B ~ Beta(α, β).
    """

    kind: Literal["pert"] = "pert"
    low: Number
    mode: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Pert:
        _check_mode(self.low, self.mode, self.high)
        return self

    def _shape(self) -> tuple[float, float]:
        width = self.high - self.low
        return 1 + 4 * (self.mode - self.low) / width, 1 + 4 * (self.high - self.mode) / width

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        alpha, beta = self._shape()
        return self.low + (self.high - self.low) * rng.beta(alpha, beta, n)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        from scipy.special import betaincinv

        alpha, beta = self._shape()
        unit = betaincinv(alpha, beta, np.asarray(q, dtype=np.float64))
        return np.asarray(self.low + (self.high - self.low) * unit, dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        from scipy.special import betainc

        alpha, beta = self._shape()
        with np.errstate(over="ignore"):  # beyond a very narrow support: ±inf, clipped
            unit = (np.asarray(x, dtype=np.float64) - self.low) / (self.high - self.low)
        return np.asarray(betainc(alpha, beta, np.clip(unit, 0.0, 1.0)), dtype=np.float64)

    @override
    def support(self) -> tuple[float, float, bool]:
        return self.low, self.high, True

    @override
    def largest_parameter(self) -> float:
        return self.high

    @override
    def describe(self) -> str:
        return f"pert({self.low:g}, {self.mode:g}, {self.high:g})"


class Normal(BaseDistribution):
    """Normal with ``mean`` and ``sd``, truncated to [``low``, ``high``] when bounds are given.

    Truncation conditions the distribution on the interval (it renormalises); nothing is
    clipped onto the bounds.
    """

    kind: Literal["normal"] = "normal"
    mean: Number
    sd: Annotated[Number, Field(gt=0)]
    low: Number | None = None
    high: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if self.low is not None and self.high is not None:
            _check_low_high(self.low, self.high)
            # Φ(b) − Φ(a) loses its precision when the bounds are a tiny fraction of an sd
            # apart: scipy's quantiles leave the bounds (and turn NaN below ~10⁻¹⁵).
            if self.high - self.low < 1e-6 * self.sd:
                raise ValueError(
                    f"sd {self.sd:g} is more than a million times the width between low and "
                    f"high ({self.low:g}, {self.high:g}): the truncated normal is a uniform "
                    "distribution; write it as one (kind = 'uniform')"
                )
        low, high, _ = self.support()
        # Keep at least a sliver of probability inside the bounds (≈ 1e-30), so the
        # truncated distribution is well defined in double precision.
        if (low - self.mean) / self.sd > 11 or (self.mean - high) / self.sd > 11:
            raise ValueError(
                f"the bounds [{low:g}, {high:g}] lie more than 11 sd from the mean "
                f"{self.mean:g}: almost no probability is left inside them"
            )
        return self

    def _standard_bounds(self) -> tuple[float, float]:
        a = -math.inf if self.low is None else (self.low - self.mean) / self.sd
        b = math.inf if self.high is None else (self.high - self.mean) / self.sd
        return a, b

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        if self.low is None and self.high is None:
            return rng.normal(self.mean, self.sd, n)
        return self.ppf(rng.random(n))

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        from scipy.stats import truncnorm

        a, b = self._standard_bounds()
        z = truncnorm.ppf(np.asarray(q, dtype=np.float64), a, b)
        values = self.mean + self.sd * z
        if self.low is None and self.high is None:
            return np.asarray(values, dtype=np.float64)
        # mean + sd·z rounds, and may land a unit in the last place beyond a bound.
        low, high, _ = self.support()
        return np.asarray(np.clip(values, low, high), dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        with np.errstate(over="ignore"):  # many sds away: z = ±inf, a CDF of 0 or 1
            z = (np.asarray(x, dtype=np.float64) - self.mean) / self.sd
        from scipy.special import ndtr

        if self.low is None and self.high is None:
            return np.asarray(ndtr(z), dtype=np.float64)
        a, b = self._standard_bounds()
        z = np.clip(z, a, b)
        if a > 0:  # all in the upper tail: Φ(−z) keeps its digits where Φ(z) rounds to 1
            return np.asarray((ndtr(-a) - ndtr(-z)) / (ndtr(-a) - ndtr(-b)), dtype=np.float64)
        return np.asarray((ndtr(z) - ndtr(a)) / (ndtr(b) - ndtr(a)), dtype=np.float64)

    @override
    def median(self) -> float:
        if self.low is None and self.high is None:
            return self.mean
        return super().median()

    @override
    def share_at_most(self, x: float) -> float:
        if self.low is None and self.high is None:
            return _standard_normal_cdf((x - self.mean) / self.sd)
        return super().share_at_most(x)

    @override
    def share_above(self, x: float) -> float:
        if self.low is None and self.high is None:
            return _standard_normal_cdf((self.mean - x) / self.sd)
        return super().share_above(x)

    @override
    def bound_hint(self, above: bool, bound: float) -> str:
        if above and self.high is None:
            return f"truncate it with a high of {bound:g} or less"
        if not above and self.low is None:
            return f"truncate it with a low of {bound:g} or more"
        return super().bound_hint(above, bound)

    @override
    def support(self) -> tuple[float, float, bool]:
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        return low, high, True

    @override
    def largest_parameter(self) -> float:
        """``high`` when given; otherwise the 95th percentile, as for a lognormal's ``p95``.

        Without ``high`` the mean alone says nothing about how far the values reach: a
        normal with mean 5 and sd 10³⁰⁰ truncated at 1 has its median near 10³⁰⁰.
        """
        if self.high is not None:
            return max(self.mean, self.high)
        return max(self.mean, float(self.ppf(np.array([0.95]))[0]))

    @override
    def describe(self) -> str:
        bounds = ""
        if self.low is not None or self.high is not None:
            low, high, _ = self.support()
            bounds = f" in [{low:g}, {high:g}]"
        return f"normal(mean {self.mean:g}, sd {self.sd:g}){bounds}"


class Lognormal(BaseDistribution):
    """Lognormal given by its 90 % interval: 5 % of draws below ``p5``, 5 % above ``p95``.

    This is how analysts state a belief about a positive quantity ("$1,500 to $2,500"), as
    Squiggle's ``to`` does.

    Notes
    -----
    μ = (ln p5 + ln p95)/2, σ = (ln p95 − ln p5)/(2·1.6449); the median is √(p5·p95).
    """

    kind: Literal["lognormal"] = "lognormal"
    p5: Number
    p95: Number

    @model_validator(mode="after")
    def _ordered(self) -> Lognormal:
        if not self.p5 > 0:
            raise ValueError(f"p5 must be greater than 0 (got {self.p5:g})")
        if not self.p5 < self.p95:
            raise ValueError(f"p5 must be less than p95 (got p5={self.p5:g}, p95={self.p95:g})")
        return self

    def _log_parameters(self) -> tuple[float, float]:
        log_low, log_high = math.log(self.p5), math.log(self.p95)
        return (log_low + log_high) / 2, (log_high - log_low) / (2 * Z95)

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        mu, sigma = self._log_parameters()
        return rng.lognormal(mu, sigma, n)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        from scipy.special import ndtri

        mu, sigma = self._log_parameters()
        return np.asarray(np.exp(mu + sigma * ndtri(np.asarray(q, dtype=np.float64))))

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        from scipy.special import ndtr

        mu, sigma = self._log_parameters()
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):  # log 0 = -inf: Φ(-inf) = 0
            z = (np.log(np.maximum(x, 0.0)) - mu) / sigma
        return np.asarray(ndtr(z), dtype=np.float64)

    @override
    def median(self) -> float:
        return math.sqrt(self.p5 * self.p95)

    def _z(self, x: float) -> float:
        """(ln x − μ)/σ: how many σ ``x`` lies from the log-median."""
        if x <= 0:
            return -math.inf
        mu, sigma = self._log_parameters()
        return (math.log(x) - mu) / sigma

    @override
    def share_at_most(self, x: float) -> float:
        return _standard_normal_cdf(self._z(x))

    @override
    def share_above(self, x: float) -> float:
        return _standard_normal_cdf(-self._z(x))

    @override
    def bound_hint(self, above: bool, bound: float) -> str:
        return "lower p95" if above else "raise p5"

    @override
    def support(self) -> tuple[float, float, bool]:
        return 0.0, math.inf, False

    @override
    def largest_parameter(self) -> float:
        return self.p95

    @override
    def smallest_parameter(self) -> float:
        return self.p5

    @override
    def describe(self) -> str:
        return f"lognormal(p5 {self.p5:g}, p95 {self.p95:g})"


class Beta(BaseDistribution):
    """Beta(``alpha``, ``beta``) on [0, 1], for shares and rates.

    ``alpha`` and ``beta`` are at most a million: beyond that the distribution is a point
    (its sd is below 0.0005) and scipy's quantiles turn NaN; and at least 10⁻³⁰⁰
    (`MIN_BETA_PARAMETER`), below which they turn NaN too.
    """

    kind: Literal["beta"] = "beta"
    alpha: Annotated[Number, Field(ge=MIN_BETA_PARAMETER, le=MAX_BETA_PARAMETER)]
    beta: Annotated[Number, Field(ge=MIN_BETA_PARAMETER, le=MAX_BETA_PARAMETER)]

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        return rng.beta(self.alpha, self.beta, n)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        from scipy.special import betaincinv

        return np.asarray(betaincinv(self.alpha, self.beta, np.asarray(q, dtype=np.float64)))

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        from scipy.special import betainc

        unit = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0)
        return np.asarray(betainc(self.alpha, self.beta, unit), dtype=np.float64)

    @override
    def support(self) -> tuple[float, float, bool]:
        return 0.0, 1.0, True

    @override
    def largest_parameter(self) -> float:
        return 1.0

    @override
    def bound_hint(self, above: bool, bound: float) -> str:
        return "raise beta" if above else "raise alpha"

    @override
    def describe(self) -> str:
        return f"beta({self.alpha:g}, {self.beta:g})"


class Choice(BaseDistribution):
    """One of a few ``values`` (one source's figure or another's), with optional ``weights``.

    Weights need not sum to 1; they are normalised. The median is the smallest value whose
    cumulative weight reaches half the total. At most `MAX_CHOICE_VALUES` (1,000) values.
    """

    kind: Literal["choice"] = "choice"
    values: Annotated[tuple[Number, ...], Field(min_length=1, max_length=MAX_CHOICE_VALUES)]
    weights: tuple[Annotated[Number, Field(gt=0)], ...] | None = None

    @model_validator(mode="after")
    def _matching(self) -> Choice:
        _check_weights(self.weights, len(self.values), "value")
        return self

    def _sorted(self) -> tuple[FloatArray, FloatArray]:
        values = np.asarray(self.values, dtype=np.float64)
        weights = np.ones_like(values) if self.weights is None else np.asarray(self.weights)
        order = np.argsort(values, kind="stable")
        return values[order], np.cumsum(weights[order])

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        return self.ppf(rng.random(n))

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        values, cumulative = self._sorted()
        index = np.searchsorted(cumulative, np.asarray(q) * cumulative[-1], side="left")
        return np.asarray(values[np.minimum(index, len(values) - 1)], dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        values, cumulative = self._sorted()
        index = np.searchsorted(values, np.asarray(x, dtype=np.float64), side="right")
        below = np.concatenate(([0.0], cumulative))[index]
        return np.asarray(below / cumulative[-1], dtype=np.float64)

    @override
    def share_below(self, x: float) -> float:
        values, cumulative = self._sorted()
        index = int(np.searchsorted(values, x, side="left"))
        return float(np.concatenate(([0.0], cumulative))[index] / cumulative[-1])

    @override
    def bound_hint(self, above: bool, bound: float) -> str:
        side = "above" if above else "below"
        return f"remove the values {side} {bound:g}"

    @override
    def median(self) -> float:
        values, cumulative = self._sorted()
        # Compare 2·cumulative with the total, so equal weights split exactly at a value.
        index = int(np.argmax(2 * cumulative >= cumulative[-1]))
        return float(values[index])

    @override
    def support(self) -> tuple[float, float, bool]:
        return min(self.values), max(self.values), True

    @override
    def largest_parameter(self) -> float:
        return max(self.values)

    @override
    def smallest_parameter(self) -> float:
        # Each value is a figure typed by the user: the smallest nonzero one is held to the
        # field's smallest amount, as a plain number is (a choice of 0 and 10⁻⁹ $ is refused).
        return min((v for v in self.values if v > 0), default=0.0)

    @override
    def describe(self) -> str:
        values = ", ".join(f"{v:g}" for v in self.values)
        if self.weights is None:
            return f"choice({values})"
        weights = ", ".join(f"{w:g}" for w in self.weights)
        return f"choice({values}; weights {weights})"


#: Most components a mixture may have: each costs one CDF per step of its quantile search.
MAX_MIXTURE_COMPONENTS = 20

#: Steps of the quantile search: bisection of a double's interval ends by adjacent floats
#: within about 64 steps, or ~1,100 when it approaches 0 through the subnormal numbers.
_MAX_BISECTIONS = 1_100


def kind_tag(value: Any) -> str | None:
    """``"number"``, a distribution's kind, or None: how a value's union member is chosen.

    pydantic's discriminator for a plain number or a distribution table (a scenario's
    numeric field, a mixture's component).

    Examples
    --------
    >>> kind_tag(3.5), kind_tag({"kind": "uniform", "low": 1, "high": 2}), kind_tag({})
    ('number', 'uniform', None)
    """
    if isinstance(value, BaseDistribution):
        return str(getattr(value, "kind"))  # noqa: B009 - every kind has the attribute
    if isinstance(value, Mapping):
        kind = value.get("kind")
        return kind if isinstance(kind, str) else None
    return "number"


class ComponentError(ValueError):
    """A rule broken by one component of a mixture.

    ``location`` (``("of", 1)``) places it below the field, so that the one-line message
    names the component: ``pay.gross_monthly_usd.of[1]: must be between 0 and 1,000,000``.
    """

    def __init__(self, message: str, location: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.location = location


Component = Annotated[
    Annotated[Number, Tag("number")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Pert, Tag("pert")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Beta, Tag("beta")]
    | Annotated[Choice, Tag("choice")],
    Discriminator(
        kind_tag,
        custom_error_type="value_kind",
        custom_error_message=(
            "must be a number or a distribution table with a kind "
            "(uniform, triangular, pert, normal, lognormal, beta or choice)"
        ),
    ),
]
"""One component of a mixture: a plain number (a point mass) or a distribution."""


class Mixture(BaseDistribution):
    """One source's range or another's: a draw takes a component by weight, then draws from it.

    ``of`` lists the components, each a plain number (one source's figure, a point mass)
    or a distribution of another kind (one source's range); ``weights`` (optional, equal by
    default, normalised like a `Choice`'s) say how much each source is believed. A
    mixture has at least two components and at most `MAX_MIXTURE_COMPONENTS`; a component
    is never itself a mixture (write its components into the outer one, with their weights
    multiplied).

    Notes
    -----
    With normalised weights wᵢ and component CDFs Fᵢ (a number's is a step), the CDF is
    F(x) = Σ wᵢ·Fᵢ(x) and the quantile function is Q(q) = min{x : F(x) ≥ q}. The median
    used by `paymodel.compute` is Q(0.5). Q(q) lies between the smallest and the largest of
    the components' quantiles Qᵢ(q); `ppf` starts from that interval, takes a point mass
    or the end of a component's support exactly when Q(q) falls on one, and otherwise halves
    the interval (vectorized over all ``q`` at once) until its ends are adjacent floats.

    Examples
    --------
    >>> sources = Mixture(of=[Uniform(low=1500, high=2500), 2800])
    >>> sources.describe()
    'mixture of 50 % uniform(1500, 2500) and 50 % 2800'
    >>> sources.median()  # F(2500) = 0.5·1 + 0.5·0 = 0.5: the uniform's top end
    2500.0
    """

    kind: Literal["mixture"] = "mixture"
    # The count is checked by `_matching`, after the components (pydantic's own length check
    # would add a second error for every broken component); the schema states it.
    of: Annotated[
        tuple[Component, ...],
        Field(json_schema_extra={"minItems": 2, "maxItems": MAX_MIXTURE_COMPONENTS}),
    ]
    weights: tuple[Annotated[Number, Field(gt=0)], ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat(cls, data: Any) -> Any:
        """Refuse a mixture inside a mixture (its components belong in the outer one)."""
        components = data.get("of") if isinstance(data, Mapping) else None
        if isinstance(components, list | tuple):
            for index, component in enumerate(components):
                if kind_tag(component) == "mixture":
                    raise ComponentError(
                        "a mixture cannot be a component of a mixture: list its components "
                        "in this one's of, each weight multiplied by the inner mixture's",
                        ("of", index),
                    )
        return data

    @model_validator(mode="after")
    def _matching(self) -> Mixture:
        count = len(self.of)
        if count < 2:
            raise ValueError(
                f"a mixture needs at least 2 components in of (got {count}): a mixture of one "
                "is that component; write it alone"
            )
        if count > MAX_MIXTURE_COMPONENTS:
            raise ValueError(
                f"a mixture has at most {MAX_MIXTURE_COMPONENTS} components (got {count}); "
                "for many figures with no range of their own, use a choice"
            )
        _check_weights(self.weights, count, "component")
        return self

    # -- the parts: continuous components and point masses ---------------------------------

    def shares(self) -> FloatArray:
        """The components' weights, normalised to add up to 1 (in the order of ``of``)."""
        weights = np.ones(len(self.of)) if self.weights is None else np.asarray(self.weights)
        # Divide by the largest first: weights near the largest float add up without overflow.
        scaled = weights / weights.max()
        return np.asarray(scaled / scaled.sum(), dtype=np.float64)

    @cached_property
    def _continuous(self) -> list[tuple[BaseDistribution, float]]:
        """The components with a density, and their shares."""
        return [
            (component, float(share))
            for component, share in zip(self.of, self.shares(), strict=True)
            if isinstance(component, BaseDistribution) and not isinstance(component, Choice)
        ]

    @property
    def _atoms(self) -> tuple[FloatArray, FloatArray]:
        """The point masses (plain numbers, a choice's values), sorted, and their masses."""
        values, masses = self._atom_table
        return np.asarray(values, dtype=np.float64), np.asarray(masses, dtype=np.float64)

    @cached_property
    def _atom_table(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """`_atoms` as tuples of floats, cached.

        A cached value lives in the model's ``__dict__``, which pydantic compares first
        when two models are compared: numpy arrays there made ``mixture == mixture`` raise
        "the truth value of an array is ambiguous". Floats compare.
        """
        values: list[FloatArray] = [np.zeros(0)]
        masses: list[FloatArray] = [np.zeros(0)]
        for component, share in zip(self.of, self.shares(), strict=True):
            if isinstance(component, Choice):
                sorted_values, cumulative = component._sorted()
                values.append(sorted_values)
                masses.append(share * np.diff(cumulative, prepend=0.0) / cumulative[-1])
            elif not isinstance(component, BaseDistribution):
                values.append(np.array([float(component)]))
                masses.append(np.array([share]))
        all_values, all_masses = np.concatenate(values), np.concatenate(masses)
        order = np.argsort(all_values, kind="stable")
        return tuple(all_values[order].tolist()), tuple(all_masses[order].tolist())

    def _knots(self) -> FloatArray:
        """Where the CDF may jump or change formula: point masses and the supports' ends."""
        ends = [end for c, _ in self._continuous for end in c.support()[:2]]
        knots = np.concatenate((self._atoms[0], np.asarray(ends, dtype=np.float64)))
        return np.unique(knots[np.isfinite(knots)])

    def _cdf(self, x: FloatArray, *, strictly_below: bool = False) -> FloatArray:
        """F(x), or the share strictly below x, from the components (x a float array)."""
        total = np.zeros_like(x)
        for component, share in self._continuous:
            total += share * component.cdf(x)
        atoms, masses = self._atoms
        if atoms.size:
            cumulative = np.concatenate(([0.0], np.cumsum(masses)))
            side: Literal["left", "right"] = "left" if strictly_below else "right"
            total += cumulative[np.searchsorted(atoms, x, side=side)]
        return np.asarray(np.minimum(total, 1.0), dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        return self._cdf(np.asarray(x, dtype=np.float64))

    @override
    def share_below(self, x: float) -> float:
        return float(self._cdf(np.array([x]), strictly_below=True)[0])

    @override
    def bound_hint(self, above: bool, bound: float) -> str:
        return f"keep its components {'at most' if above else 'at least'} {bound:g}"

    def _component_quantiles(self, q: FloatArray) -> FloatArray:
        """Each component's quantile at each ``q``: shape (components, len(q))."""
        rows = [
            c.ppf(q) if isinstance(c, BaseDistribution) else np.full(q.shape, float(c))
            for c in self.of
        ]
        return np.asarray(np.vstack(rows), dtype=np.float64)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        probabilities = np.asarray(q, dtype=np.float64)
        flat = probabilities.ravel()
        quantiles = self._component_quantiles(np.clip(np.nan_to_num(flat, nan=0.5), 0.0, 1.0))
        low, high = quantiles.min(axis=0), quantiles.max(axis=0)
        result = high.copy()  # q = 1: the largest component's top end
        result[flat == 0] = low[flat == 0]  # q = 0: the smallest component's bottom end
        result[~((flat >= 0) & (flat <= 1))] = np.nan
        inner = np.flatnonzero((flat > 0) & (flat < 1))
        result[inner] = self._search(flat[inner], low[inner], high[inner])
        return np.asarray(result.reshape(probabilities.shape), dtype=np.float64)

    def _search(self, q: FloatArray, low: FloatArray, high: FloatArray) -> FloatArray:
        """Q(q) for 0 < q < 1, given low ≤ Q(q) ≤ high (the components' quantiles)."""
        knots = self._knots()
        at_knot = self._cdf(knots)
        below_knot = self._cdf(knots, strictly_below=True)
        # The first knot where F reaches q. Between the knot before it and this one F is
        # continuous; if F has not reached q just below the knot, Q(q) is the knot itself
        # (a point mass, or the end of a support that a gap follows): exactly.
        index = np.searchsorted(at_knot, q, side="left")
        found = index < knots.size
        nearest = np.minimum(index, max(knots.size - 1, 0))
        exact = found & (below_knot[nearest] <= q) if knots.size else np.zeros(q.shape, bool)
        if knots.size:
            high = np.where(found, np.minimum(high, knots[nearest]), high)
            before = knots[np.maximum(index - 1, 0)]
            low = np.where(index > 0, np.maximum(low, before), low)
        result = np.where(exact, knots[nearest] if knots.size else high, high)
        todo = np.flatnonzero(~exact)
        lo, hi, wanted = low[todo], high[todo], q[todo]
        for _ in range(_MAX_BISECTIONS):
            middle = lo + (hi - lo) / 2
            active = (middle > lo) & (middle < hi)
            if not active.any():
                break
            moving = np.flatnonzero(active)
            reached = self._cdf(middle[moving]) >= wanted[moving]
            hi[moving] = np.where(reached, middle[moving], hi[moving])
            lo[moving] = np.where(reached, lo[moving], middle[moving])
        result[todo] = hi
        return np.asarray(result, dtype=np.float64)

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw a component for each of the ``n`` slots, then fill each component's slots."""
        cumulative = np.cumsum(self.shares())
        picked = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
        picked = np.minimum(picked, len(self.of) - 1)
        values = np.empty(n, dtype=np.float64)
        for index, component in enumerate(self.of):
            slots = np.flatnonzero(picked == index)
            if isinstance(component, BaseDistribution):
                values[slots] = component.sample(rng, slots.size)
            else:
                values[slots] = float(component)
        return values

    def _ends(self) -> list[tuple[float, float, bool]]:
        return [
            c.support() if isinstance(c, BaseDistribution) else (float(c), float(c), True)
            for c in self.of
        ]

    @override
    def support(self) -> tuple[float, float, bool]:
        ends = self._ends()
        low = min(end[0] for end in ends)
        attained = any(end[2] for end in ends if end[0] == low)
        return low, max(end[1] for end in ends), attained

    @override
    def largest_parameter(self) -> float:
        return max(
            c.largest_parameter() if isinstance(c, BaseDistribution) else float(c) for c in self.of
        )

    @override
    def smallest_parameter(self) -> float:
        # The smallest nonzero parameter of any component (a component at 0 is a point mass
        # the field accepts; one at 10⁻⁹ $ is a mistake, as a plain number would be).
        smallest = (
            c.smallest_parameter() if isinstance(c, BaseDistribution) else float(c) for c in self.of
        )
        return min((v for v in smallest if v > 0), default=0.0)

    @override
    def describe(self) -> str:
        parts = [
            f"{100 * share:.3g} % "
            + (c.describe() if isinstance(c, BaseDistribution) else f"{float(c):g}")
            for c, share in zip(self.of, self.shares(), strict=True)
        ]
        return f"mixture of {', '.join(parts[:-1])} and {parts[-1]}"


Distribution = Annotated[
    Uniform | Triangular | Pert | Normal | Lognormal | Beta | Choice | Mixture,
    Field(discriminator="kind"),
]
"""Any of the eight kinds, told apart by ``kind``."""

DISTRIBUTION_KINDS: tuple[type[BaseDistribution], ...] = (
    Uniform,
    Triangular,
    Pert,
    Normal,
    Lognormal,
    Beta,
    Choice,
    Mixture,
)
