"""Samples of a scenario's uncertain inputs, block by block, reproducibly: randomness's home.

Every stochastic function takes a `Seed` and reads it here (`entropy_of`, `generator_of`).
Randomness flows from one `numpy.random.SeedSequence`. The samples are cut into
blocks of `BLOCK_SIZE`; block ``j`` draws from the ``j``-th child of that sequence
(``SeedSequence(seed, spawn_key=(j,))``, what ``SeedSequence(seed).spawn(j + 1)[j]``
gives), so a block's samples never depend on how blocks are grouped into chunks or
handed to workers.

Methods
-------
``mc``
    Plain Monte Carlo: independent draws (each distribution's own sampler).
``lhs``
    Latin hypercube within each block (`scipy.stats.qmc.LatinHypercube`), mapped
    through each distribution's quantile function.
``sobol``
    One scrambled Sobol sequence (`scipy.stats.qmc.Sobol`) over the whole run;
    block ``j`` takes its points ``j·BLOCK_SIZE …``, mapped through the quantile functions.

Every distribution maps uniforms through its own ``ppf`` (a mixture through its quantile
function, found by vectorized bisection of its CDF) and draws Monte Carlo values with its
own ``sample`` (a mixture picks a component for every slot of a block, then fills each
component's slots in one call), so a new kind needs nothing here.

Correlated inputs use a Gaussian copula: uniforms are turned into standard normals,
correlated with a factor of the Pearson matrix that gives the requested Spearman rank
correlations (r = 2·sin(π·ρ/6)), and turned back, so each marginal is unchanged.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from paymodel.arguments import check_choice, check_whole, fail
from paymodel.distributions import BaseDistribution
from paymodel.domains import Domain
from paymodel.inputs import point_inputs
from paymodel.messages import show
from paymodel.scenario import Scenario, check_scenario

__all__ = [
    "BLOCK_SIZE",
    "MAX_SEED_BITS",
    "METHODS",
    "Method",
    "SamplingPlan",
    "Seed",
    "clip_uniforms",
    "correlation_factor",
    "entropy_of",
    "generator_of",
    "plan_sampling",
]

#: Samples per block: the unit of randomness (a power of two, as Sobol sequences prefer).
BLOCK_SIZE = 65_536

Method = Literal["mc", "lhs", "sobol"]
METHODS: tuple[str, ...] = ("mc", "lhs", "sobol")

#: Uniforms are kept inside [2⁻⁵³, 1 − 2⁻⁵³] so quantile functions stay finite.
_U_LOW, _U_HIGH = 2.0**-53, 1.0 - 2.0**-53


def clip_uniforms(points: NDArray[np.floating]) -> NDArray[np.float64]:
    """Points of the unit cube kept inside [2⁻⁵³, 1 − 2⁻⁵³], where every quantile is finite.

    Every mapping of uniforms through quantile functions (Latin hypercube, Sobol sequences,
    the copula, Saltelli's design) clips here.

    Examples
    --------
    >>> clip_uniforms(np.array([0.0, 0.5, 1.0])).tolist() == [2.0**-53, 0.5, 1 - 2.0**-53]
    True
    """
    return np.asarray(np.clip(points, _U_LOW, _U_HIGH), dtype=np.float64)


Seed = int | np.random.Generator | np.random.SeedSequence | None

#: The largest seed, in bits: a SHA-256 digest read as an integer fits, and twice the entropy
#: numpy draws from the operating system for a fresh `SeedSequence`. The run records its seed
#: whole (text and JSON), and Python cannot even write an integer of over 4,300 digits.
MAX_SEED_BITS = 256


def entropy_of(seed: Seed) -> int:
    """Normalise a seed to the integer entropy of the run's root ``SeedSequence``.

    Parameters
    ----------
    seed
        An int from 0 to 2**`MAX_SEED_BITS` − 1 (used as is), a `SeedSequence` of one such
        integer entropy and no spawn key (its entropy), a `Generator` (one draw from it), or
        ``None`` (fresh entropy from the operating system, recorded in the result so the run
        can be repeated).

    Raises
    ------
    ArgumentTypeError
        For anything else.
    ArgumentError
        For a negative integer or one of more than `MAX_SEED_BITS` bits, and for a
        `SeedSequence` with a spawn key (a child of ``SeedSequence.spawn``) or with several
        words of entropy, which one recorded integer cannot repeat (a spawned child used to
        run as its parent's seed).
    """
    if seed is None:
        # 63 bits from the operating system: enough for distinct runs, and an integer that
        # every JSON reader holds exactly (a 128-bit entropy would not survive a double).
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    if isinstance(seed, np.random.SeedSequence):
        entropy = seed.entropy
        if seed.spawn_key or not isinstance(entropy, int | np.integer):
            fail(
                "seed",
                "must be a SeedSequence of one integer and no spawn key, as a run records its "
                "seed as one integer that repeats it; pass an integer, such as "
                "int(child.generate_state(1)[0]) "
                f"(got SeedSequence(entropy={show(entropy)}, spawn_key={show(seed.spawn_key)}))",
            )
        seed = int(entropy)  # checked as any integer seed, below
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool):
        if seed < 0:
            fail("seed", f"must be a non-negative integer (got {show(int(seed))})")
        if int(seed).bit_length() > MAX_SEED_BITS:  # the result records it, JSON writes it
            fail("seed", f"must be below 2**{MAX_SEED_BITS} (got {show(int(seed))})")
        return check_whole(seed, "seed")
    fail("seed", f"must be an integer, a Generator or None (got {seed!r:.60})", wrong_type=True)


def generator_of(seed: Seed) -> np.random.Generator:
    """A generator from a seed, as `entropy_of` reads it; a `SeedSequence` keeps its spawn key.

    Examples
    --------
    >>> int(generator_of(7).integers(100)) == int(generator_of(7).integers(100))
    True
    """
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    return np.random.default_rng(entropy_of(seed))


#: The spawn key reserved for the Sobol scrambling, apart from every block's key.
_SOBOL_KEY = 2**63


@dataclass(frozen=True)
class SamplingPlan:
    """Everything a worker needs to draw any block: small and picklable.

    Attributes
    ----------
    fixed
        Kernel inputs that do not vary (0-d arrays), by path.
    uncertain
        The distributions to sample, by path, in a fixed order.
    method
        ``"mc"``, ``"lhs"`` or ``"sobol"``.
    entropy
        The seed: the root `SeedSequence`'s entropy.
    correlation_factor
        A matrix F with F·Fᵀ equal to the copula's Pearson correlation matrix over the
        correlated inputs (``None`` when the inputs are independent).
    correlated
        The columns of ``uncertain`` that F applies to, in its order: only the inputs named
        in a correlation (F grows with the square of their number, not of all inputs).
    domains
        Each uncertain input's domain: a draw between 0 and the field's smallest nonzero
        value is snapped out of that gap (`paymodel.domains.Domain.snap`).
    """

    fixed: Mapping[str, NDArray[np.generic]]
    uncertain: Mapping[str, BaseDistribution]
    method: Method
    entropy: int
    correlation_factor: NDArray[np.float64] | None = field(default=None)
    domains: Mapping[str, Domain] = field(default_factory=dict)
    correlated: tuple[int, ...] = ()

    def block(self, index: int, size: int) -> dict[str, NDArray[np.generic]]:
        """Kernel inputs for block ``index``: ``size`` samples of every uncertain input.

        Parameters
        ----------
        index
            The block's number, from 0.
        size
            Samples in the block (``BLOCK_SIZE``, or fewer for the last one).
        """
        inputs: dict[str, NDArray[np.generic]] = dict(self.fixed)
        if not self.uncertain:
            return inputs
        sequence = np.random.SeedSequence(self.entropy, spawn_key=(index,))
        rng = np.random.Generator(np.random.PCG64(sequence))
        distributions = list(self.uncertain.values())
        if self.method == "mc" and self.correlation_factor is None:
            for path, dist in self.uncertain.items():
                inputs[path] = dist.sample(rng, size)
        else:
            uniforms = self._uniforms(rng, index, size)
            for column, (path, dist) in enumerate(zip(self.uncertain, distributions, strict=True)):
                inputs[path] = dist.ppf(uniforms[:, column])
        for path, domain in self.domains.items():
            inputs[path] = domain.snap(inputs[path])
        return inputs

    def _uniforms(self, rng: np.random.Generator, index: int, size: int) -> NDArray[np.float64]:
        from scipy.special import ndtr, ndtri
        from scipy.stats import qmc

        dimensions = len(self.uncertain)
        if self.method == "mc":
            normals = rng.standard_normal((size, dimensions))
        else:
            if self.method == "lhs":
                points = qmc.LatinHypercube(d=dimensions, rng=rng).random(size)
            else:
                scramble = np.random.SeedSequence(self.entropy, spawn_key=(_SOBOL_KEY,))
                engine = qmc.Sobol(d=dimensions, scramble=True, rng=np.random.default_rng(scramble))
                if index:  # scipy's fast_forward(0) raises instead of doing nothing
                    engine.fast_forward(index * BLOCK_SIZE)
                with warnings.catch_warnings():
                    # Only the last block can be shorter than a power of two; its points
                    # are still the sequence's next points, as the whole run intends.
                    warnings.filterwarnings("ignore", "The balance properties", UserWarning)
                    points = engine.random(size)
            if self.correlation_factor is None:
                return clip_uniforms(points)
            normals = ndtri(clip_uniforms(points))
        if self.correlation_factor is not None:
            columns = list(self.correlated)
            normals[:, columns] = normals[:, columns] @ self.correlation_factor.T
        return clip_uniforms(ndtr(normals))


def correlation_factor(scenario: Scenario) -> NDArray[np.float64] | None:
    """A matrix F with F·Fᵀ the copula's Pearson matrix (``None`` without correlations).

    Rows and columns follow `Scenario.correlated_inputs`; F = V·√Λ from the eigenvalues Λ
    and eigenvectors V of `Scenario.correlation_matrix` (tiny negative eigenvalues of a
    matrix that is positive semi-definite to rounding are taken as 0).

    Examples
    --------
    >>> import paymodel as pm
    >>> correlation_factor(pm.builtin("independent-90")) is None
    True

    Raises
    ------
    ArgumentTypeError
        When ``scenario`` is not a `Scenario`.
    """
    if not check_scenario(scenario).correlations:
        return None
    values, vectors = np.linalg.eigh(scenario.correlation_matrix())
    return np.asarray(vectors * np.sqrt(np.clip(values, 0.0, None)), dtype=np.float64)


def plan_sampling(scenario: Scenario, method: Method, entropy: int) -> SamplingPlan:
    """Prepare the sampling of ``scenario``'s uncertain inputs.

    Parameters
    ----------
    scenario
        A validated scenario.
    method
        ``"mc"``, ``"lhs"`` or ``"sobol"``.
    entropy
        The root seed (`entropy_of`).

    Raises
    ------
    ArgumentTypeError
        When ``scenario`` is not a `Scenario` or ``entropy`` not a whole number.
    ArgumentError
        For a method other than these three (it was drawn as Sobol's), or a negative
        ``entropy``.
    """
    check_scenario(scenario)
    check_choice(method, "method", METHODS)
    check_whole(entropy, "entropy", low=0)
    fixed = point_inputs(scenario)
    uncertain = scenario.uncertain_inputs()
    for path in uncertain:
        del fixed[path]
    column = {path: index for index, path in enumerate(uncertain)}
    return SamplingPlan(
        fixed=fixed,
        uncertain=uncertain,
        method=method,
        entropy=entropy,
        correlation_factor=correlation_factor(scenario),
        domains={path: scenario.variable_input(path)[1] for path in uncertain},
        correlated=tuple(column[path] for path in scenario.correlated_inputs()),
    )
