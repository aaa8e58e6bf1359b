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


def _product(*factors: FloatArray) -> FloatArray:
    """The product of finite, non-negative factors, left to right, without needless work.

    A plain-number factor equal to 1 is left out (x·1 = x, bit for bit); a plain-number
    factor equal to 0 makes the product the plain number 0 (0·x = +0 for finite x ≥ 0).
    What stays a plain number is computed once, not once per sample.
    """
    plain = [_plain(f) for f in factors]
    if 0.0 in plain:  # the product of the plain numbers: 0, with the sign of those zeros
        return np.asarray(math.prod(p for p in plain if p is not None))
    result: FloatArray | None = None
    for factor, number in zip(factors, plain, strict=True):
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


def _per(top: FloatArray, bottom: FloatArray) -> FloatArray:
    """``top / bottom`` where ``bottom`` > 0, and 0 where it is 0 (``bottom`` ≥ 0)."""
    if np.min(bottom) > 0:  # the common case: one pass to look, none to mask
        return np.asarray(top / bottom)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), 0.0)


def _pick(condition: NDArray[np.bool_], if_true: ArrayLike, if_false: ArrayLike) -> FloatArray:
    """``numpy.where``, or the one branch a plain-number condition picks (no copy per sample)."""
    if not condition.ndim:
        return np.asarray(if_true if condition else if_false, dtype=np.float64)
    return np.where(condition, if_true, if_false)


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


def evaluate(inputs: Mapping[str, ArrayLike], only: Collection[str] | None = None) -> Evaluation:
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
        are left out of ``outputs``. The layers' revenue, the in-kind revenue and the
        intermediates are always given.

    Returns
    -------
    Evaluation
        Outputs by name, the transfer and in-kind revenues and each layer's revenue, all
        arrays of the broadcast shape (read-only; an output may be the same array as another
        output or an input when the formulas make them equal, e.g. ``paid_usd`` and
        ``promised_usd`` when everything promised is delivered).

    Notes
    -----
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
    g = _array(inputs, "pay.gross_monthly_usd")
    b = _array(inputs, "pay.signing_bonus_usd", 0.0)
    d = _array(inputs, "pay.death_benefit_usd", 0.0)
    transfer_monthly = _array(inputs, "pay.state_transfer_monthly_usd", 0.0)
    delivered = _array(inputs, "pay.delivered_share", 1.0)
    in_kind = _array(inputs, "pay.in_kind_share", 0.0)
    h = _array(inputs, "deployment.troops")
    m = _array(inputs, "deployment.months")
    t_tour = _array(inputs, "deployment.tour_months") if "deployment.tour_months" in inputs else m
    k = _array(inputs, "deployment.monthly_death_rate", 0.0)
    replaced = np.asarray(inputs.get("deployment.replace_losses", True), dtype=bool)
    if "baseline.domestic_monthly_wage_kpw" in inputs:
        w = _array(inputs, "baseline.domestic_monthly_wage_kpw") / _array(
            inputs, "baseline.kpw_per_usd"
        )
    else:
        w = _array(inputs, "baseline.domestic_monthly_wage_usd", 1.0)

    # Soldier-months and deaths. (1 − (1 − k)^M) = −expm1(M·log1p(−k)) keeps precision
    # for small k; k = 1 gives log1p(−1) = −inf and the right limit, 1. A plain-number
    # input stays a plain number through every formula that does not mix it with samples
    # (`_product`, `_sum`, `_pick`), with the very same values.
    held = h * m  # soldier-months when nobody is lost
    with np.errstate(divide="ignore", invalid="ignore"):
        survived_fraction_lost = -np.expm1(m * np.log1p(-k))
        months_unreplaced = _pick(
            k > 0, _product(h, survived_fraction_lost) / np.where(k > 0, k, 1.0), held
        )
    soldier_months = _pick(replaced, held, months_unreplaced)
    deaths = _pick(replaced, _product(k, h, m), _product(h, survived_fraction_lost))
    replacements = _pick(replaced, deaths, 0.0)
    individuals = _sum(np.maximum(h, soldier_months / t_tour), replacements)
    if "deployment.arrived_troops" in inputs:
        # Written as H·max(1, (S/H)/T) so that a phase whose soldiers all arrived before it
        # (C = H, no rotation) counts exactly 0 new individuals, not a rounding remnant.
        with np.errstate(divide="ignore", invalid="ignore"):
            per_head = _pick(
                replaced | (k <= 0), m, survived_fraction_lost / np.where(k > 0, k, 1.0)
            )
        individuals = _sum(
            h * np.maximum(1.0, per_head / t_tour)
            - np.minimum(h, _array(inputs, "deployment.arrived_troops")),
            replacements,
        )

    # The monthly chain, and the share layers' split of lump sums.
    cash_monthly = _product(g, delivered, 1 - in_kind)
    left_monthly = cash_monthly
    left_lump_fraction = np.asarray(1.0)
    takes_monthly: list[FloatArray] = []
    takes_lump_fraction: list[FloatArray] = []
    lefts_monthly: list[FloatArray] = []
    for is_share, value in _layers(inputs):
        if is_share:
            take = value * left_monthly
            lump_take = _product(value, left_lump_fraction)
        else:
            take = np.minimum(value, left_monthly)
            lump_take = np.asarray(0.0)
        left_monthly = left_monthly - take
        lefts_monthly.append(left_monthly)
        left_lump_fraction = left_lump_fraction - lump_take
        takes_monthly.append(take)
        takes_lump_fraction.append(lump_take)
    take_home = left_monthly
    kept_lump_fraction = left_lump_fraction  # φ

    lump_sums = _sum(_product(b, individuals), _product(d, deaths))
    promised_pay = _sum(_product(g, soldier_months), _product(b, individuals), _product(d, deaths))
    promised_transfers = _product(transfer_monthly, soldier_months)
    # With no transfers (s = 0) every sum below is the one without them, to the last bit.
    promised = _sum(promised_pay, promised_transfers)
    paid = _product(delivered, promised)
    lump_cash = _product(1 - in_kind, delivered, lump_sums)
    transfer_revenue = _product(delivered, promised_transfers)
    in_kind_revenue = _product(in_kind, _product(delivered, promised_pay))
    layer_revenue = tuple(
        _sum(_product(take, soldier_months), _product(fraction, lump_cash))
        for take, fraction in zip(takes_monthly, takes_lump_fraction, strict=True)
    )
    regime_revenue = _sum(in_kind_revenue, _sum(*layer_revenue), transfer_revenue)
    soldiers_take_home = _sum(
        _product(take_home, soldier_months), _product(kept_lump_fraction, lump_cash)
    )

    # Every output from the quantities above; only those asked for are computed.
    formulas: dict[str, Callable[[], FloatArray]] = {
        "take_home_monthly_usd": lambda: take_home,
        "take_home_per_tour_usd": lambda: _sum(
            take_home * np.minimum(t_tour, m),
            _product(b, delivered, 1 - in_kind, kept_lump_fraction),
        ),
        "take_home_per_individual_usd": lambda: _per(soldiers_take_home, individuals),
        "domestic_wage_multiple": lambda: _ratio(take_home, w),
        "promised_usd": lambda: promised,
        "paid_usd": lambda: paid,
        "regime_revenue_usd": lambda: regime_revenue,
        "regime_revenue_per_year_usd": lambda: regime_revenue * 12 / m,
        "soldiers_take_home_usd": lambda: soldiers_take_home,
        "diverted_share": lambda: _per(regime_revenue, paid),
        "soldier_months": lambda: soldier_months,
        "individuals_deployed": lambda: individuals,
        "deaths": lambda: deaths,
    }
    outputs = {name: formulas[name]() for name in (OUTPUT_NAMES if only is None else only)}
    intermediates = {
        "cash_monthly_usd": cash_monthly,
        "lump_sums_usd": lump_sums,
        "lump_kept_share": kept_lump_fraction,
        "tour_months": t_tour,
        "domestic_monthly_wage_usd": w,
    }
    # The inputs' shape, also where an output asked for depends on none of the arrays.
    shape = np.broadcast_shapes(*(np.shape(v) for v in (*inputs.values(), *outputs.values())))

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
