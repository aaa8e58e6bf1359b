"""The kernel: every formula of the model, once, over arrays.

`evaluate` is the only implementation of the model. It takes a mapping from dotted
input paths to arrays (or scalars) that broadcast against each other, and returns every
output as an array of the broadcast shape. It never validates, never loops over samples
and knows nothing of pydantic: `paymodel.compute` calls it on the medians, and every
other analysis calls it on arrays of samples or grid points.

Notation (DESIGN §1, §7): g gross pay, b signing bonus, d death benefit, s state transfer,
δ delivered share, κ in-kind share, H troops, M months, T tour months, k monthly death rate,
w domestic wage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FLOW_NAMES",
    "OUTPUT_NAMES",
    "Evaluation",
    "MonthlyEvaluation",
    "evaluate",
    "evaluate_monthly",
    "per_month",
]

FloatArray = NDArray[np.float64]

#: Every output, in the order of DESIGN §1's table.
OUTPUT_NAMES: tuple[str, ...] = (
    "take_home_monthly_usd",
    "take_home_per_tour_usd",
    "take_home_per_individual_usd",
    "domestic_wage_multiple",
    "promised_usd",
    "paid_usd",
    "regime_revenue_usd",
    "regime_revenue_per_year_usd",
    "soldiers_take_home_usd",
    "diverted_share",
    "soldier_months",
    "individuals_deployed",
    "deaths",
)

#: The outputs that add up over the months: their monthly amounts sum to the totals.
FLOW_NAMES: tuple[str, ...] = (
    "soldier_months",
    "deaths",
    "individuals_deployed",
    "promised_usd",
    "paid_usd",
    "regime_revenue_usd",
    "soldiers_take_home_usd",
)


class Evaluation(NamedTuple):
    """What the kernel returns.

    `evaluate` with ``only`` and ``details=False`` leaves ``layer_revenue_usd``,
    ``layer_take_monthly_usd`` and ``layer_left_monthly_usd`` empty and ``intermediates``
    an empty dict; otherwise every field is given.

    Attributes
    ----------
    outputs
        Every name of `OUTPUT_NAMES` mapped to an array.
    transfer_revenue_usd
        What the sending state receives as state transfers, δ·s·S [$] (DESIGN §7).
    in_kind_revenue_usd
        What the state receives as goods, κ·δ·(P − s·S) [$]: the in-kind share of the
        delivered pay and lump sums (not of the transfers, which go whole to the state).
    layer_revenue_usd
        What each diversion layer takes over the deployment, in chain order [$].
    layer_take_monthly_usd
        What each layer takes per soldier-month, τᵢ [$/month].
    layer_left_monthly_usd
        What is left per soldier-month after each layer, xᵢ [$/month].
    intermediates
        Quantities the formulas pass through, for explanations: ``cash_monthly_usd``
        (x₀ [$/month]), ``lump_sums_usd`` (b·I + d·D [$]), ``lump_kept_share`` (φ),
        ``tour_months`` (T [months]) and ``domestic_monthly_wage_usd`` (w [$/month]).
    """

    outputs: dict[str, FloatArray]
    transfer_revenue_usd: FloatArray
    in_kind_revenue_usd: FloatArray
    layer_revenue_usd: tuple[FloatArray, ...]
    layer_take_monthly_usd: tuple[FloatArray, ...]
    layer_left_monthly_usd: tuple[FloatArray, ...]
    intermediates: dict[str, FloatArray]


def _array(inputs: Mapping[str, ArrayLike], path: str, default: float | None = None) -> FloatArray:
    if path not in inputs:
        if default is None:
            raise KeyError(f"kernel input {path!r} is missing")
        return np.asarray(default, dtype=np.float64)
    return np.asarray(inputs[path], dtype=np.float64)


def _plain(value: NDArray[np.generic]) -> float | None:
    """The number a plain-number input (a 0-d array) holds, or ``None`` for samples."""
    return None if value.ndim else float(value)


def _product(*factors: FloatArray | Callable[[], FloatArray]) -> FloatArray:
    """The product of finite, non-negative factors, left to right, without needless work.

    A plain-number factor equal to 1 is left out (x·1 = x, bit for bit); a plain-number
    factor equal to 0 makes the product the plain number 0 (0·x = +0 for finite x ≥ 0).
    What stays a plain number is computed once, not once per sample. A factor may be
    given as a function of no arguments (a quantity still to be computed): it is called
    only when no plain number among the other factors is 0.
    """
    known = [None if callable(f) else _plain(f) for f in factors]
    if 0.0 in known:  # the product of the plain numbers: 0, with the sign of those zeros
        return np.asarray(math.prod(p for p in known if p is not None))
    values = [f() if callable(f) else f for f in factors]
    plain = [_plain(v) for v in values]
    if 0.0 in plain:
        return np.asarray(math.prod(p for p in plain if p is not None))
    result: FloatArray | None = None
    for factor, number in zip(values, plain, strict=True):
        if number != 1.0:
            result = factor if result is None else result * factor
    return np.asarray(1.0) if result is None else result


def _sum(*terms: FloatArray) -> FloatArray:
    """The sum of non-negative terms, left to right, leaving out plain-number zeros (x + 0 = x)."""
    result: FloatArray | None = None
    for term in terms:
        if _plain(term) != 0.0:
            result = term if result is None else result + term
    return np.asarray(0.0) if result is None else result


def _ratio(top: FloatArray, bottom: FloatArray) -> FloatArray:
    """``top / bottom``, or ``top`` itself when ``bottom`` is the plain number 1 (x/1 = x)."""
    return top if _plain(bottom) == 1.0 else top / bottom


def ratio_or_zero(top: FloatArray, bottom: FloatArray) -> FloatArray:
    """``top / bottom`` where ``bottom`` > 0, and 0 elsewhere (where nothing is divided).

    The one rule for an output that is a ratio of totals (per individual, diverted share);
    `paymodel.contingents.combine` applies it to the contingents' sums too.
    """
    if np.size(bottom) and np.min(bottom) > 0:  # the common case: one pass to look, none to mask
        return np.asarray(top / bottom)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), 0.0)


def _pick(
    condition: NDArray[np.bool_],
    if_true: ArrayLike | Callable[[], ArrayLike],
    if_false: ArrayLike | Callable[[], ArrayLike],
) -> FloatArray:
    """``numpy.where``, or the one branch a plain-number condition picks (no copy per sample).

    A branch may be given as a function of no arguments, called only if it is picked.
    """

    def value(branch: ArrayLike | Callable[[], ArrayLike]) -> ArrayLike:
        return branch() if callable(branch) else branch

    if not condition.ndim:
        return np.asarray(value(if_true if condition else if_false), dtype=np.float64)
    return np.where(condition, value(if_true), value(if_false))


def _layers(inputs: Mapping[str, ArrayLike]) -> list[tuple[bool, FloatArray]]:
    """The chain as ``(is_share, value)`` pairs, from ``diversion.<i>.share|quota_monthly_usd``."""
    layers: list[tuple[bool, FloatArray]] = []
    while True:
        index = len(layers)
        if f"diversion.{index}.share" in inputs:
            layers.append((True, _array(inputs, f"diversion.{index}.share")))
        elif f"diversion.{index}.quota_monthly_usd" in inputs:
            layers.append((False, _array(inputs, f"diversion.{index}.quota_monthly_usd")))
        else:
            return layers


class _Model:
    """The model's quantities for one set of inputs, each computed once, when first needed.

    Every formula of the model is written here once, as a cached property named after
    its symbol in DESIGN §1 and §7. What no output asked for is never computed, and a
    quantity multiplied by a plain-number 0 is not computed either (`_product`).
    """

    def __init__(self, inputs: Mapping[str, ArrayLike]) -> None:
        self.inputs = inputs
        self.g = _array(inputs, "pay.gross_monthly_usd")
        self.b = _array(inputs, "pay.signing_bonus_usd", 0.0)
        self.d = _array(inputs, "pay.death_benefit_usd", 0.0)
        self.transfer_monthly = _array(inputs, "pay.state_transfer_monthly_usd", 0.0)
        self.delivered = _array(inputs, "pay.delivered_share", 1.0)
        self.in_kind = _array(inputs, "pay.in_kind_share", 0.0)
        self.h = _array(inputs, "deployment.troops")
        self.m = _array(inputs, "deployment.months")
        self.t_tour = (
            _array(inputs, "deployment.tour_months")
            if "deployment.tour_months" in inputs
            else self.m
        )
        self.k = _array(inputs, "deployment.monthly_death_rate", 0.0)
        self.replaced = np.asarray(inputs.get("deployment.replace_losses", True), dtype=bool)
        self.layers = _layers(inputs)

    @cached_property
    def w(self) -> FloatArray:
        """The domestic monthly wage [$/month]."""
        if "baseline.domestic_monthly_wage_kpw" in self.inputs:
            return _array(self.inputs, "baseline.domestic_monthly_wage_kpw") / _array(
                self.inputs, "baseline.kpw_per_usd"
            )
        return _array(self.inputs, "baseline.domestic_monthly_wage_usd", 1.0)

    # Soldier-months and deaths. (1 − (1 − k)^M) = −expm1(M·log1p(−k)) keeps precision
    # for small k; k = 1 gives log1p(−1) = −inf and the right limit, 1. A plain-number
    # input stays a plain number through every formula that does not mix it with samples
    # (`_product`, `_sum`, `_pick`), with the very same values.

    @cached_property
    def held(self) -> FloatArray:
        """H·M: soldier-months when nobody is lost."""
        return self.h * self.m

    @cached_property
    def survived_fraction_lost(self) -> FloatArray:
        """1 − (1 − k)^M."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.expm1(self.m * np.log1p(-self.k))

    @cached_property
    def months_unreplaced(self) -> FloatArray:
        """S when the dead are not replaced: H·(1 − (1 − k)^M)/k, H·M when k = 0."""
        k = self.k
        with np.errstate(divide="ignore", invalid="ignore"):
            return _pick(
                k > 0,
                lambda: _product(self.h, self.survived_fraction_lost) / np.where(k > 0, k, 1.0),
                lambda: self.held,
            )

    @cached_property
    def soldier_months(self) -> FloatArray:
        """S."""
        return _pick(self.replaced, lambda: self.held, lambda: self.months_unreplaced)

    @cached_property
    def deaths(self) -> FloatArray:
        """D."""
        return _pick(
            self.replaced,
            lambda: _product(self.k, self.h, self.m),
            lambda: _product(self.h, lambda: self.survived_fraction_lost),
        )

    @cached_property
    def replacements(self) -> FloatArray:
        """D when the dead are replaced, else 0."""
        return _pick(self.replaced, lambda: self.deaths, 0.0)

    @cached_property
    def individuals(self) -> FloatArray:
        """I = max(H, S/T) − min(H, C) + D·[replaced]."""
        h, k, t_tour = self.h, self.k, self.t_tour
        if "deployment.arrived_troops" not in self.inputs:
            return _sum(np.maximum(h, self.soldier_months / t_tour), self.replacements)
        # Written as H·max(1, (S/H)/T) so that a phase whose soldiers all arrived before it
        # (C = H, no rotation) counts exactly 0 new individuals, not a rounding remnant.
        with np.errstate(divide="ignore", invalid="ignore"):
            per_head = _pick(
                self.replaced | (k <= 0),
                self.m,
                lambda: self.survived_fraction_lost / np.where(k > 0, k, 1.0),
            )
        return _sum(
            h * np.maximum(1.0, per_head / t_tour)
            - np.minimum(h, _array(self.inputs, "deployment.arrived_troops")),
            self.replacements,
        )

    # The monthly chain, and the share layers' split of lump sums.

    @cached_property
    def cash_monthly(self) -> FloatArray:
        """x₀ = g·δ·(1 − κ) [$/month]."""
        return _product(self.g, self.delivered, 1 - self.in_kind)

    @cached_property
    def chain(self) -> tuple[tuple[FloatArray, ...], tuple[FloatArray, ...]]:
        """Each layer's take τᵢ and what is left after it, xᵢ [$/month]."""
        left = self.cash_monthly
        takes, lefts = [], []
        for is_share, value in self.layers:
            take = value * left if is_share else np.minimum(value, left)
            left = left - take
            takes.append(take)
            lefts.append(left)
        return tuple(takes), tuple(lefts)

    @cached_property
    def lump_fractions(self) -> tuple[tuple[FloatArray, ...], FloatArray]:
        """Each layer's share of the lump sums, and φ, the share the soldier keeps."""
        left = np.asarray(1.0)
        takes = []
        for is_share, value in self.layers:
            take = _product(value, left) if is_share else np.asarray(0.0)
            left = left - take
            takes.append(take)
        return tuple(takes), left

    @cached_property
    def take_home(self) -> FloatArray:
        """T = xₙ [$/month]."""
        lefts = self.chain[1]
        return lefts[-1] if lefts else self.cash_monthly

    @cached_property
    def kept_lump_fraction(self) -> FloatArray:
        """φ = Π(1 − sᵢ) over the share layers."""
        return self.lump_fractions[1]

    # Money over the deployment.

    @cached_property
    def bonuses(self) -> FloatArray:
        """b·I [$]."""
        return _product(self.b, lambda: self.individuals)

    @cached_property
    def death_benefits(self) -> FloatArray:
        """d·D [$]."""
        return _product(self.d, lambda: self.deaths)

    @cached_property
    def lump_sums(self) -> FloatArray:
        """L = b·I + d·D [$]."""
        return _sum(self.bonuses, self.death_benefits)

    @cached_property
    def promised_pay(self) -> FloatArray:
        """g·S + b·I + d·D [$]."""
        return _sum(
            _product(self.g, lambda: self.soldier_months), self.bonuses, self.death_benefits
        )

    @cached_property
    def promised_transfers(self) -> FloatArray:
        """s·S [$]."""
        return _product(self.transfer_monthly, lambda: self.soldier_months)

    @cached_property
    def promised(self) -> FloatArray:
        """P = g·S + b·I + d·D + s·S [$]; with no transfers, the sum without them."""
        return _sum(self.promised_pay, self.promised_transfers)

    @cached_property
    def paid(self) -> FloatArray:
        """δ·P [$]."""
        return _product(self.delivered, lambda: self.promised)

    @cached_property
    def lump_cash(self) -> FloatArray:
        """(1 − κ)·δ·L [$]."""
        return _product(1 - self.in_kind, self.delivered, lambda: self.lump_sums)

    @cached_property
    def transfer_revenue(self) -> FloatArray:
        """δ·s·S [$]."""
        return _product(self.delivered, lambda: self.promised_transfers)

    @cached_property
    def in_kind_revenue(self) -> FloatArray:
        """κ·δ·(P − s·S) [$]."""
        return _product(self.in_kind, lambda: _product(self.delivered, lambda: self.promised_pay))

    @cached_property
    def layer_revenue(self) -> tuple[FloatArray, ...]:
        """What each layer takes over the deployment, τᵢ·S plus its part of the lump sums [$]."""

        def lump_fraction(i: int) -> Callable[[], FloatArray]:
            return lambda: self.lump_fractions[0][i]

        return tuple(
            _sum(
                _product(take, lambda: self.soldier_months),
                _product(lump_fraction(i), self.lump_cash),
            )
            for i, take in enumerate(self.chain[0])
        )

    @cached_property
    def regime_revenue(self) -> FloatArray:
        """What the state, the party and every layer receive [$]."""
        return _sum(self.in_kind_revenue, _sum(*self.layer_revenue), self.transfer_revenue)

    @cached_property
    def soldiers_take_home(self) -> FloatArray:
        """What the soldiers keep, t·S + φ·(1 − κ)·δ·L [$]."""
        return _sum(
            _product(self.take_home, lambda: self.soldier_months),
            _product(lambda: self.kept_lump_fraction, self.lump_cash),
        )

    @cached_property
    def take_home_per_tour(self) -> FloatArray:
        """Take-home per tour, t·min(T, M) + b·δ·(1 − κ)·φ [$]."""
        return _sum(
            self.take_home * np.minimum(self.t_tour, self.m),
            _product(self.b, self.delivered, 1 - self.in_kind, lambda: self.kept_lump_fraction),
        )

    @cached_property
    def take_home_per_individual(self) -> FloatArray:
        """What the soldiers keep over the deployment per individual deployed [$]."""
        return ratio_or_zero(self.soldiers_take_home, self.individuals)

    @cached_property
    def wage_multiple(self) -> FloatArray:
        """The take-home over the domestic wage, t / w."""
        return _ratio(self.take_home, self.w)

    @cached_property
    def regime_revenue_per_year(self) -> FloatArray:
        """The regime's revenue × 12 / M [$/year]."""
        return self.regime_revenue * 12 / self.m

    @cached_property
    def diverted_share(self) -> FloatArray:
        """The regime's revenue over what was paid (0 where nothing was)."""
        return ratio_or_zero(self.regime_revenue, self.paid)

    def output(self, name: str) -> FloatArray:
        """The output ``name`` of `OUTPUT_NAMES`."""
        value: FloatArray = getattr(self, _OUTPUT_ATTRIBUTES[name])
        return value


#: Each output of `OUTPUT_NAMES`, by the `_Model` attribute that computes it.
_OUTPUT_ATTRIBUTES: dict[str, str] = {
    "take_home_monthly_usd": "take_home",
    "take_home_per_tour_usd": "take_home_per_tour",
    "take_home_per_individual_usd": "take_home_per_individual",
    "domestic_wage_multiple": "wage_multiple",
    "promised_usd": "promised",
    "paid_usd": "paid",
    "regime_revenue_usd": "regime_revenue",
    "regime_revenue_per_year_usd": "regime_revenue_per_year",
    "soldiers_take_home_usd": "soldiers_take_home",
    "diverted_share": "diverted_share",
    "soldier_months": "soldier_months",
    "individuals_deployed": "individuals",
    "deaths": "deaths",
}


def evaluate(
    inputs: Mapping[str, ArrayLike],
    only: Collection[str] | None = None,
    *,
    details: bool = True,
) -> Evaluation:
    """Evaluate the model on arrays of inputs.

    Parameters
    ----------
    inputs
        Arrays (or scalars) by dotted path; they must broadcast together. Required:
        ``pay.gross_monthly_usd`` [$/month], ``deployment.troops`` [soldiers],
        ``deployment.months`` [months]. Optional, with the defaults of DESIGN §1:
        ``pay.signing_bonus_usd`` [$], ``pay.death_benefit_usd`` [$],
        ``pay.state_transfer_monthly_usd`` [$/month], ``pay.delivered_share``,
        ``pay.in_kind_share``, ``deployment.tour_months`` [months] (default: months),
        ``deployment.monthly_death_rate`` [1/month], ``deployment.replace_losses`` (bool),
        ``deployment.arrived_troops`` [soldiers] (those of the H who arrived before the
        window: a phase that follows another, DESIGN §6; default 0),
        ``baseline.domestic_monthly_wage_usd``
        [$/month] or ``baseline.domestic_monthly_wage_kpw`` [₩/month] with
        ``baseline.kpw_per_usd`` [₩/$], and the chain ``diversion.<i>.share`` or
        ``diversion.<i>.quota_monthly_usd`` [$/month] for i = 0, 1, …
    only
        The outputs to compute, names of `OUTPUT_NAMES` (``None``: every one); the others
        are left out of ``outputs``, and nothing only they need is computed. The transfer
        and in-kind revenues are always given.
    details
        With ``only``: whether to give each layer's take and revenue and the intermediates
        too (``True``, the default). ``False`` leaves ``layer_revenue_usd``,
        ``layer_take_monthly_usd`` and ``layer_left_monthly_usd`` empty and
        ``intermediates`` an empty dict, for a Monte Carlo run of a few outputs that needs
        no layer. Without ``only`` everything is given.

    Returns
    -------
    Evaluation
        Outputs by name, the transfer and in-kind revenues and each layer's revenue, all
        arrays of the broadcast shape (read-only; an output may be the same array as another
        output or an input when the formulas make them equal, e.g. ``paid_usd`` and
        ``promised_usd`` when everything promised is delivered).

    Notes
    -----
    Each quantity is computed once, when first needed (``_Model``): a run of two outputs
    does not pay for the others, and a plain-number 0 (no signing bonus, say) spares the
    quantity it multiplies. The values are the same, bit for bit, whatever is asked.

    Soldier-months S and deaths D (deaths at the end of each month):

    - dead replaced: S = H·M, D = k·H·M;
    - not replaced: S = H·(1 − (1 − k)^M)/k (H·M when k = 0), D = H·(1 − (1 − k)^M).

    Individuals deployed I = max(H, S/T) − min(H, C) + D·[replaced], with C the troops
    who arrived before the window (0 unless a phase follows another). The monthly chain starts at
    x₀ = g·δ·(1 − κ); a share layer takes τᵢ = sᵢ·xᵢ₋₁, a quota layer min(qᵢ, xᵢ₋₁), and
    xᵢ = xᵢ₋₁ − τᵢ; the soldier keeps t = xₙ. Lump sums L = b·I + d·D, after δ and κ, pass
    through the share layers only: the soldier keeps φ = Π(1 − sᵢ) of them.

    State transfers s per soldier-month (DESIGN §7) are promised on top of pay,
    P = g·S + b·I + d·D + s·S; the delivered share applies to them, and all of δ·s·S goes
    to the state. The in-kind share κ is a share of the delivered pay and lump sums only,
    so with transfers the goods are κ·δ·(P − s·S); the soldiers' amounts do not change.

    Examples
    --------
    The worked example of DESIGN §1: $2,000 a month, one layer keeping 90 %, 11,000
    troops for 12 months.

    >>> from paymodel.kernel import evaluate
    >>> out = evaluate({"pay.gross_monthly_usd": 2000.0, "diversion.0.share": 0.9,
    ...                 "deployment.troops": 11_000.0, "deployment.months": 12.0}).outputs
    >>> float(out["take_home_monthly_usd"]), float(out["regime_revenue_usd"])
    (200.0, 237600000.0)
    """
    model = _Model(inputs)
    outputs = {name: model.output(name) for name in (OUTPUT_NAMES if only is None else only)}
    if only is None or details:
        takes_monthly, lefts_monthly = model.chain
        layer_revenue = model.layer_revenue
        intermediates = {
            "cash_monthly_usd": model.cash_monthly,
            "lump_sums_usd": model.lump_sums,
            "lump_kept_share": model.kept_lump_fraction,
            "tour_months": model.t_tour,
            "domestic_monthly_wage_usd": model.w,
        }
    else:
        takes_monthly = lefts_monthly = layer_revenue = ()
        intermediates = {}
    transfer_revenue, in_kind_revenue = model.transfer_revenue, model.in_kind_revenue
    # The inputs' shape, also where an output asked for depends on none of the arrays.
    shapes = {np.shape(v) for v in (*inputs.values(), *outputs.values())} - {()}
    shape = shapes.pop() if len(shapes) == 1 else np.broadcast_shapes(*shapes)

    def full(value: FloatArray) -> FloatArray:
        """A read-only view of ``value`` in the broadcast shape (nothing is copied)."""
        if not (isinstance(value, np.ndarray) and value.ndim and value.shape == shape):
            return np.broadcast_to(value, shape)
        view = value.view()  # numpy.broadcast_to costs as much as a pass over a block
        view.flags.writeable = False
        return view

    return Evaluation(
        outputs={name: full(v) for name, v in outputs.items()},
        transfer_revenue_usd=full(transfer_revenue),
        in_kind_revenue_usd=full(in_kind_revenue),
        layer_revenue_usd=tuple(full(v) for v in layer_revenue),
        layer_take_monthly_usd=tuple(full(v) for v in takes_monthly),
        layer_left_monthly_usd=tuple(full(v) for v in lefts_monthly),
        intermediates={name: full(v) for name, v in intermediates.items()},
    )


class MonthlyEvaluation(NamedTuple):
    """What `evaluate_monthly` returns; the last axis of every array is the month.

    Attributes
    ----------
    month_lengths
        How much of each month the deployment covers: 1, a fraction for a partial last
        month, 0 after the deployment has ended [months].
    headcount
        Soldiers serving at the start of each month, 0 after the end [soldiers].
    at_month_end
        The kernel evaluated on the deployment up to the end of each month: the outputs of
        `FLOW_NAMES`, ``transfer_revenue_usd``, ``in_kind_revenue_usd`` and
        ``layer_revenue_usd`` are running totals (`per_month` turns them into monthly
        amounts); rates such as ``take_home_monthly_usd`` do not depend on the month.
    """

    month_lengths: FloatArray
    headcount: FloatArray
    at_month_end: Evaluation


def evaluate_monthly(inputs: Mapping[str, ArrayLike], month_count: int) -> MonthlyEvaluation:
    """Evaluate the model month by month: running totals at the end of every month.

    Parameters
    ----------
    inputs
        Kernel inputs, as for `evaluate`; arrays of shape ``shape`` (or scalars).
    month_count
        Number of months to cover, N; ``ceil(max M)`` covers every sample's deployment
        (running totals stay at their final value after a sample's M).

    Returns
    -------
    MonthlyEvaluation
        Arrays of shape ``shape + (N,)``.

    Notes
    -----
    Month j (j = 1 … N) runs from j − 1 to j; it ends at τⱼ = min(j, M), so the last month
    of a deployment of M = 2.5 months is half a month long. The totals of DESIGN §1 are
    functions of the deployment's length; evaluated at τⱼ instead of M (with T kept at its
    own value) they give the running totals up to the end of month j, and month j's amount
    is the difference from the month before (0 before month 1):

    - soldier-months and deaths accrue with the headcount: S(τ) = H·τ, D(τ) = k·H·τ when the
      dead are replaced, S(τ) = H·(1 − (1 − k)^τ)/k, D(τ) = H·(1 − (1 − k)^τ) when not;
      over a whole month that is H·(1 − k)^(j−1) soldier-months, the headcount at its start,
      H − D(τⱼ₋₁) (always H when the dead are replaced);
    - individuals I(τ) = max(H, S(τ)/T) + D(τ)·[replaced]: the H of the first wave arrive in
      month 1; rotation begins when the first tour is served (S(τ) > H·T) and then brings
      in S/T new individuals per soldier-month; the dead are replaced in the month they die;
    - money is linear in S, I and D with coefficients that do not depend on the month: a
      month's promised pay is g·Sⱼ + b·Iⱼ + d·Dⱼ (the signing bonus is paid when an
      individual arrives, the death benefit when one dies) and its state transfers s·Sⱼ
      (paid monthly, like pay), and each layer takes τᵢ·Sⱼ plus its part of that month's
      lump sums.

    Month by month the amounts add up to `evaluate`'s totals (up to rounding), for every
    sample.

    Examples
    --------
    100 soldiers for 2.5 months on tours of 2 months; 10 % killed a month and replaced:

    >>> from paymodel.kernel import evaluate_monthly, per_month
    >>> monthly = evaluate_monthly({"pay.gross_monthly_usd": 1000.0,
    ...     "deployment.troops": 100.0, "deployment.months": 2.5,
    ...     "deployment.tour_months": 2.0, "deployment.monthly_death_rate": 0.1}, 3)
    >>> per_month(monthly.at_month_end.outputs["soldier_months"]).tolist()
    [100.0, 100.0, 50.0]
    >>> per_month(monthly.at_month_end.outputs["individuals_deployed"]).tolist()
    [110.0, 10.0, 30.0]
    """
    m = _array(inputs, "deployment.months")
    t_tour = _array(inputs, "deployment.tour_months") if "deployment.tour_months" in inputs else m
    month_ends = np.arange(1, month_count + 1, dtype=np.float64)
    by_month = {path: np.asarray(value)[..., np.newaxis] for path, value in inputs.items()}
    by_month["deployment.months"] = np.minimum(month_ends, m[..., np.newaxis])
    by_month["deployment.tour_months"] = t_tour[..., np.newaxis]
    at_month_end = evaluate(by_month)
    month_lengths = np.clip(m[..., np.newaxis] - (month_ends - 1), 0.0, 1.0)
    replaced = np.asarray(inputs.get("deployment.replace_losses", True), dtype=bool)
    # H − D(τⱼ₋₁) = H·(1 − k)^(j − 1) when the dead are not replaced, written as a power so
    # that a small remnant keeps its precision.
    surviving = np.power(
        1 - _array(inputs, "deployment.monthly_death_rate", 0.0)[..., np.newaxis], month_ends - 1
    )
    headcount = np.where(
        month_lengths > 0,
        _array(inputs, "deployment.troops")[..., np.newaxis]
        * np.where(replaced[..., np.newaxis], 1.0, surviving),
        0.0,
    )
    return MonthlyEvaluation(
        month_lengths=np.broadcast_to(month_lengths, headcount.shape),
        headcount=headcount,
        at_month_end=at_month_end,
    )


def per_month(running_total: ArrayLike) -> FloatArray:
    """Monthly amounts from running totals along the last axis (the first month from 0).

    Examples
    --------
    >>> per_month([10.0, 25.0, 25.0]).tolist()
    [10.0, 15.0, 0.0]
    """
    totals = np.asarray(running_total, dtype=np.float64)
    return np.diff(totals, axis=-1, prepend=np.zeros_like(totals[..., :1]))
