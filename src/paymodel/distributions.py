"""Distributions: how an analyst states a belief about one input.

Seven kinds, each a frozen pydantic model with a ``kind`` tag, so a scenario file writes
them as inline tables (``{ kind = "uniform", low = 0.9, high = 1.0 }``). Each has

- ``median()`` — the point estimate `paymodel.compute` uses (for ``choice``: the
  smallest value whose cumulative weight reaches 0.5);
- ``sample(rng, n)`` — ``n`` independent draws as a float array, vectorized;
- ``ppf(q)`` — the quantile function, for quasi-random and Latin-hypercube sampling;
- ``support()`` — the interval the draws lie in, checked against the field's domain;
- ``describe()`` — a short text such as ``uniform(0.9, 1)``.

SciPy is imported only by the methods that need it (quantiles of the normal, beta and
PERT kinds), so a scenario of plain numbers never pays its import cost.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, Strict, model_validator
from typing_extensions import override

from paymodel._base_model import FrozenModel

__all__ = [
    "BaseDistribution",
    "Beta",
    "Choice",
    "Distribution",
    "Lognormal",
    "Normal",
    "Pert",
    "Triangular",
    "Uniform",
]

Number = Annotated[float, Strict()]
"""A finite real number; an int is accepted, a bool or a string is not."""

FloatArray = NDArray[np.float64]

#: Largest ``alpha`` or ``beta`` of a beta distribution (see `Beta`).
MAX_BETA_PARAMETER = 1e6

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

    def support(self) -> tuple[float, float, bool]:  # pragma: no cover - abstract
        """``(low, high, low_attained)``: the interval draws lie in."""
        raise NotImplementedError

    def largest_parameter(self) -> float:  # pragma: no cover - abstract
        """The largest parameter, checked against the field's limit."""
        raise NotImplementedError

    def smallest_parameter(self) -> float:
        """The low end of the values drawn (``p5`` for a lognormal, whose support has none)."""
        return self.support()[0]

    def describe(self) -> str:  # pragma: no cover - abstract
        """A short text such as ``uniform(0.9, 1)``."""
        raise NotImplementedError


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
    def median(self) -> float:
        if self.low is None and self.high is None:
            return self.mean
        return super().median()

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
    def median(self) -> float:
        return math.sqrt(self.p5 * self.p95)

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
    (its sd is below 0.0005) and scipy's quantiles turn NaN.
    """

    kind: Literal["beta"] = "beta"
    alpha: Annotated[Number, Field(gt=0, le=MAX_BETA_PARAMETER)]
    beta: Annotated[Number, Field(gt=0, le=MAX_BETA_PARAMETER)]

    @override
    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        return rng.beta(self.alpha, self.beta, n)

    @override
    def ppf(self, q: NDArray[np.floating]) -> FloatArray:
        from scipy.special import betaincinv

        return np.asarray(betaincinv(self.alpha, self.beta, np.asarray(q, dtype=np.float64)))

    @override
    def support(self) -> tuple[float, float, bool]:
        return 0.0, 1.0, True

    @override
    def largest_parameter(self) -> float:
        return 1.0

    @override
    def describe(self) -> str:
        return f"beta({self.alpha:g}, {self.beta:g})"


class Choice(BaseDistribution):
    """One of a few ``values`` (one source's figure or another's), with optional ``weights``.

    Weights need not sum to 1; they are normalised. The median is the smallest value whose
    cumulative weight reaches half the total.
    """

    kind: Literal["choice"] = "choice"
    values: Annotated[tuple[Number, ...], Field(min_length=1)]
    weights: tuple[Annotated[Number, Field(gt=0)], ...] | None = None

    @model_validator(mode="after")
    def _matching(self) -> Choice:
        if self.weights is not None and len(self.weights) != len(self.values):
            raise ValueError(
                f"weights must have one entry per value (got {len(self.weights)} weights "
                f"for {len(self.values)} values)"
            )
        if self.weights is not None and not math.isfinite(sum(self.weights)):
            # Their running sums would overflow, and every draw would take the last value.
            raise ValueError(
                f"weights must add up to a finite number (got {', '.join(map(str, self.weights))})"
            )
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
    def describe(self) -> str:
        values = ", ".join(f"{v:g}" for v in self.values)
        if self.weights is None:
            return f"choice({values})"
        weights = ", ".join(f"{w:g}" for w in self.weights)
        return f"choice({values}; weights {weights})"


Distribution = Annotated[
    Uniform | Triangular | Pert | Normal | Lognormal | Beta | Choice,
    Field(discriminator="kind"),
]
"""Any of the seven kinds, told apart by ``kind``."""

DISTRIBUTION_KINDS: tuple[type[BaseDistribution], ...] = (
    Uniform,
    Triangular,
    Pert,
    Normal,
    Lognormal,
    Beta,
    Choice,
)
