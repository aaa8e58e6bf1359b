"""The identities every result of the model satisfies, checked on any result.

`check_invariants` takes what an analysis returns — a point estimate (`Result`), the
kernel's `Evaluation` on arrays, or a `Simulation` — and raises `InvariantError` naming the
first identity that fails and the numbers that break it. The identities (DESIGN §1):

- **finite**: no output is NaN or infinite;
- **non-negative**: no output and no layer's revenue is below zero;
- **conservation**: ``paid_usd = regime_revenue_usd + soldiers_take_home_usd``;
- **layers sum**: ``regime_revenue_usd`` = the sum of the layers' ``revenue_usd``;
- **diverted share**: ``diverted_share · paid_usd = regime_revenue_usd``, and
  ``diverted_share`` lies in [0, 1];
- **monotone relations**: ``paid_usd ≤ promised_usd`` (at most all of it is delivered);
  ``take_home_monthly_usd · soldier_months ≤ soldiers_take_home_usd`` (soldiers keep their
  monthly pay and possibly part of the lump sums); ``deaths ≤ individuals_deployed``.
- **in the currency** (DESIGN §7, a result with the twins of money): conservation and the
  layers' sum hold for the twins too (``paid_krw = regime_revenue_krw +
  soldiers_take_home_krw``), and every twin is at one rate: ``x_krw · paid_usd =
  x_usd · paid_krw``;
- **contingents** (DESIGN §6, a `Result` with contingents): every identity above holds for
  each contingent too (but ``deaths ≤ individuals_deployed``: a phase that follows another
  loses soldiers who arrived before it), and the totals are the contingents' sums: money,
  ``soldier_months``, ``individuals_deployed``, ``deaths`` and each layer by name.

Two numbers a, b are equal when ``|a − b| ≤ max(rel_tol · max(|a|, |b|), abs_tol)``: the
kernel's sums are exact to a few units in the last place, and ``abs_tol`` (a billionth of
a dollar) covers amounts so small that floating point loses their relative precision.

This module needs nothing optional; `paymodel.testing` re-exports `check_invariants` next
to its hypothesis strategies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from paymodel.arguments import check_number
from paymodel.contingents import SUMMED_NAMES
from paymodel.currency import currency_of, dollar_key, is_money, twin_code, twin_key
from paymodel.display import layer_label
from paymodel.errors import ArgumentError, ArgumentTypeError, InvariantError
from paymodel.kernel import OUTPUT_NAMES, Evaluation
from paymodel.results import LayerRevenue, Result
from paymodel.simulate import Simulation

__all__ = ["check_invariants"]

FloatArray = NDArray[np.float64]


def _show(value: float) -> str:
    """A number with enough digits to see a difference: ``264,000,000.0000001``."""
    if not np.isfinite(value):
        return str(value)
    if value == 0 or 1e-4 <= abs(value) < 1e16:
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
        return text if len(text.replace(",", "").lstrip("-")) <= 20 else f"{value:.12g}"
    return f"{value:.12g}"


class _Checker:
    """Checks identities over arrays of one shape, and says where the first one fails."""

    def __init__(
        self,
        where: str,
        outputs: Mapping[str, FloatArray],
        layers: Mapping[str, FloatArray],
        *,
        rel_tol: float,
        abs_tol: float,
        layer_twins: Mapping[str, FloatArray] | None = None,
    ) -> None:
        self.where = where
        self.outputs = outputs
        self.layers = layers
        self.layer_twins = layer_twins or {}
        self.currency = currency_of(tuple(outputs))  # the twins' code, "KRW", or None
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol

    def _fail(self, identity: str, detail: str, index: tuple[int, ...] | None) -> InvariantError:
        at = ""
        if index is not None and index != ():
            at = f" (at sample {index[0]})" if len(index) == 1 else f" (at index {index})"
        return InvariantError(f"{self.where}: {identity} does not hold{at}: {detail}")

    @staticmethod
    def _first(bad: NDArray[np.bool_]) -> tuple[int, ...] | None:
        if not bad.any():
            return None
        return tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), bad.shape))

    def _tolerance(self, *terms: FloatArray) -> FloatArray:
        scale = np.max(np.abs(np.stack(np.broadcast_arrays(*terms))), axis=0)
        return np.asarray(np.maximum(self.rel_tol * scale, self.abs_tol), dtype=np.float64)

    def _each_value(self, identity: str, broken: Callable[[FloatArray], NDArray[np.bool_]]) -> None:
        """Check every output and layer; ``identity`` names the rule with ``{name}``."""
        every = (*self.outputs.items(), *self.layers.items(), *self.layer_twins.items())
        for name, values in every:
            index = self._first(broken(values))
            if index is not None:
                raise self._fail(
                    identity.format(name=name), f"{name} = {_show(float(values[index]))}", index
                )

    def finite(self) -> None:
        self._each_value("finite: {name} is a finite number", lambda v: ~np.isfinite(v))

    def non_negative(self) -> None:
        self._each_value("non-negative: {name} ≥ 0", lambda v: v < 0)

    def equal(self, identity: str, left: str, right: dict[str, FloatArray]) -> None:
        """``left = Σ right``, each side named, to the tolerance."""
        lhs = self.outputs[left]
        rhs = np.sum(np.stack(np.broadcast_arrays(lhs, *right.values()))[1:], axis=0)
        tolerance = self._tolerance(lhs, rhs, *right.values())
        index = self._first(np.abs(lhs - rhs) > tolerance)
        if index is None:
            return
        terms = " + ".join(f"{_show(float(np.asarray(v)[index]))}" for v in right.values())
        total = f" = {_show(float(rhs[index]))}" if len(right) > 1 else ""
        names = " + ".join(right) or "0 (no layers)"
        difference = float(lhs[index] - rhs[index])
        raise self._fail(
            f"{identity}: {left} = {names}",
            f"{_show(float(lhs[index]))} ≠ {terms or '0'}{total} (off by {_show(difference)}; "
            f"tolerance {_show(float(tolerance[index]))})",
            index,
        )

    def at_most(self, identity: str, small: str, small_value: FloatArray, large: str) -> None:
        """``small ≤ large`` (``small_value`` may be a product of outputs), to the tolerance."""
        big = self.outputs[large]
        index = self._first(small_value - big > self._tolerance(small_value, big))
        if index is not None:
            raise self._fail(
                f"{identity}: {small} ≤ {large}",
                f"{_show(float(small_value[index]))} > {_show(float(big[index]))}",
                index,
            )

    def diverted_share(self) -> None:
        share, paid = self.outputs["diverted_share"], self.outputs["paid_usd"]
        revenue = self.outputs["regime_revenue_usd"]
        index = self._first(share > 1 + self.rel_tol)
        if index is not None:
            raise self._fail(
                "diverted share: diverted_share ≤ 1",
                f"diverted_share = {_show(float(share[index]))}",
                index,
            )
        product = share * paid
        index = self._first(np.abs(product - revenue) > self._tolerance(product, revenue, paid))
        if index is not None:
            raise self._fail(
                "diverted share: diverted_share · paid_usd = regime_revenue_usd",
                f"{_show(float(share[index]))} × {_show(float(paid[index]))} = "
                f"{_show(float(product[index]))} ≠ {_show(float(revenue[index]))}",
                index,
            )

    def every_identity(self, *, arrivals: bool = True) -> None:
        """Every identity; ``arrivals=False`` skips deaths ≤ individuals (a later phase)."""
        out = self.outputs
        self.finite()
        self.non_negative()
        self.equal(
            "conservation",
            "paid_usd",
            {
                "regime_revenue_usd": out["regime_revenue_usd"],
                "soldiers_take_home_usd": out["soldiers_take_home_usd"],
            },
        )
        self.equal("layers sum", "regime_revenue_usd", dict(self.layers))
        self.diverted_share()
        self.at_most("monotone relation", "paid_usd", out["paid_usd"], "promised_usd")
        self.at_most(
            "monotone relation",
            "take_home_monthly_usd · soldier_months",
            out["take_home_monthly_usd"] * out["soldier_months"],
            "soldiers_take_home_usd",
        )
        if arrivals:
            self.at_most("monotone relation", "deaths", out["deaths"], "individuals_deployed")
        self.in_currency_sums()
        self.one_rate()

    def _twin(self) -> Callable[[str], str] | None:
        """The twin of a money output's name, or None without twins (DESIGN §7)."""
        code = self.currency
        if code is None:
            return None
        return lambda name: str(twin_key(name, code))

    def in_currency_sums(self) -> None:
        """With twins of money: conservation and the layers' sum in the currency."""
        out, twin = self.outputs, self._twin()
        if twin is None:
            return
        code = self.currency
        self.equal(
            f"conservation in {code}",
            twin("paid_usd"),
            {
                twin("regime_revenue_usd"): out[twin("regime_revenue_usd")],
                twin("soldiers_take_home_usd"): out[twin("soldiers_take_home_usd")],
            },
        )
        self.equal(f"layers sum in {code}", twin("regime_revenue_usd"), dict(self.layer_twins))

    def one_rate(self) -> None:
        """Every twin at one rate: x_krw · paid_usd = x_usd · paid_krw (sample by sample)."""
        out, twin = self.outputs, self._twin()
        if twin is None:
            return
        paid, paid_twin = out["paid_usd"], out[twin("paid_usd")]
        for name in OUTPUT_NAMES:
            if not is_money(name):
                continue
            left, right = out[twin(name)] * paid, out[name] * paid_twin
            index = self._first(np.abs(left - right) > self._tolerance(left, right))
            if index is not None:
                raise self._fail(
                    f"one rate: {twin(name)} · paid_usd = {name} · {twin('paid_usd')}",
                    f"{_show(float(left[index]))} ≠ {_show(float(right[index]))}",
                    index,
                )


def _check_contingents(result: Result, *, rel_tol: float, abs_tol: float) -> None:
    """Each contingent's identities, and the totals as the contingents' sums (DESIGN §6)."""
    for contingent in result.contingents:
        _Checker(
            f"{result.scenario}, contingent {contingent.name!r}",
            _arrays(contingent.outputs),
            _arrays({f"layer {x.name!r}": x.revenue_usd for x in contingent.layers}),
            rel_tol=rel_tol,
            abs_tol=abs_tol,
            layer_twins=_arrays(_layer_twins(contingent.layers)),
        ).every_identity(arrivals=False)
    totals = {**result.outputs, **{f"layer {x.name!r}": x.revenue_usd for x in result.layers}}
    totals.update(_layer_twins(result.layers))
    checker = _Checker(result.scenario, _arrays(totals), {}, rel_tol=rel_tol, abs_tol=abs_tol)
    for name in totals:
        if name.startswith("layer "):
            parts = {
                f"{c.name!r}": x.revenue_usd
                for c in result.contingents
                for x in c.layers
                if f"layer {x.name!r}" == name
            }
            parts = parts or {
                f"{c.name!r}": v
                for c in result.contingents
                for k, v in _layer_twins(c.layers).items()
                if k == name
            }
        elif name in SUMMED_NAMES or dollar_key(name, SUMMED_NAMES) is not None:
            parts = {f"{c.name!r}": c.outputs[name] for c in result.contingents}
        else:
            continue
        checker.equal("contingents sum", name, _arrays(parts))


def _layer_twins(layers: Sequence[LayerRevenue]) -> dict[str, float]:
    """Each layer's revenue in the currency, labelled ``layer 'name' in KRW``."""
    return {
        layer_label(key, quoted=True): value
        for x in layers
        for key, value in x.values().items()
        if twin_code(key) is not None
    }


def _arrays(values: Mapping[str, Any]) -> dict[str, FloatArray]:
    return {name: np.asarray(v, dtype=np.float64) for name, v in values.items()}


def check_invariants(
    result: Result | Evaluation | Simulation,
    *,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-9,
) -> None:
    """Check the identities of the model on a result; raise naming the first one broken.

    Parameters
    ----------
    result
        A point estimate (`paymodel.compute`); the kernel's `Evaluation`
        (`paymodel.evaluate`), checked element by element; or a `Simulation`
        (`paymodel.simulate`): with ``keep_samples=True`` every sample is checked, otherwise
        the summaries are (conservation and the layers' sum hold for the means, because a
        mean is linear; the bounds for the minimum and maximum).
    rel_tol
        Relative tolerance of an equality, and of an inequality's excess.
    abs_tol
        Absolute tolerance [$]: differences below it always pass.

    Raises
    ------
    InvariantError
        An ``AssertionError`` (and a `PaymodelError`) whose message names the identity
        broken, the numbers on each side, and the sample when the result holds many.
    TypeError
        When ``result`` is none of the above.

    Notes
    -----
    The identities are listed in the module's docstring (`paymodel.invariants`):
    finite, non-negative, conservation, layers sum, diverted share, and three monotone
    relations.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel.testing import check_invariants
    >>> check_invariants(pm.compute(pm.builtin("casualty-aware")))  # passes: returns None
    >>> from paymodel.results import Result
    >>> broken = Result("broken", {**pm.compute(pm.builtin("nis-estimate")).outputs,
    ...                            "soldiers_take_home_usd": 1.0}, ())
    >>> check_invariants(broken)
    Traceback (most recent call last):
    ...
    paymodel.errors.InvariantError: broken: conservation: paid_usd = regime_revenue_usd + \
soldiers_take_home_usd does not hold: 264,000,000 ≠ 264,000,000 + 1 = 264,000,001 (off by -1; \
tolerance 0.264000001)
    """
    for name, tolerance in (("rel_tol", rel_tol), ("abs_tol", abs_tol)):
        check_number(tolerance, name, low=0, high=1, high_open=True)
    if isinstance(result, Result):
        checker = _Checker(
            result.scenario,
            _arrays(result.outputs),
            _arrays({f"layer {x.name!r}": x.revenue_usd for x in result.layers}),
            rel_tol=rel_tol,
            abs_tol=abs_tol,
            layer_twins=_arrays(_layer_twins(result.layers)),
        )
        checker.every_identity()
        if result.contingents:
            _check_contingents(result, rel_tol=rel_tol, abs_tol=abs_tol)
    elif isinstance(result, Evaluation):
        layers = {
            "layer 'state transfer'": result.transfer_revenue_usd,
            "layer 'in kind'": result.in_kind_revenue_usd,
        }
        layers.update({f"layer {i}": v for i, v in enumerate(result.layer_revenue_usd)})
        checker = _Checker(
            "evaluation",
            _arrays(result.outputs),
            _arrays(layers),
            rel_tol=rel_tol,
            abs_tol=abs_tol,
        )
        checker.every_identity()
    elif isinstance(result, Simulation):
        _check_simulation(result, rel_tol=rel_tol, abs_tol=abs_tol)
    else:
        raise ArgumentTypeError(
            "check_invariants takes a Result (pm.compute), an Evaluation (pm.evaluate) or a "
            f"Simulation (pm.simulate), not {type(result).__name__}"
        )


def _check_simulation(simulation: Simulation, *, rel_tol: float, abs_tol: float) -> None:
    if simulation.not_simulated:
        raise ArgumentError(
            "result: the identities need every output and layer, and this simulation holds "
            f"only {', '.join(simulation.summaries)} (simulate(..., outputs=[...])); "
            "simulate without outputs= to check it",
            argument="result",
        )
    names = simulation.layer_names
    where = f"{simulation.scenario} (simulation)"
    if simulation.kept is not None:
        kept = simulation.kept
        twins = {layer_label(k, quoted=True): v for k, v in kept.items() if _is_layer_twin(k)}
        _Checker(
            where,
            _arrays({name: kept[name] for name in simulation.output_names}),
            _arrays({f"layer {n!r}": kept[f"layer:{n}"] for n in names}),
            rel_tol=rel_tol,
            abs_tol=abs_tol,
            layer_twins=_arrays(twins),
        ).every_identity()
        return
    summaries = simulation.summaries
    columns = [*simulation.output_names, *(c for c in summaries if c.startswith("layer"))]

    def label(column: str) -> str:
        return layer_label(column, quoted=True) if column.startswith("layer") else column

    for statistic in ("min", "max"):
        extremes = _Checker(
            f"{where}, {statistic} over the samples",
            _arrays({label(c): getattr(summaries[c], statistic) for c in columns}),
            {},
            rel_tol=rel_tol,
            abs_tol=abs_tol,
        )
        extremes.finite()
        extremes.non_negative()
    top = summaries["diverted_share"].max
    if top > 1 + rel_tol:
        raise InvariantError(
            f"{where}: diverted share: diverted_share ≤ 1 does not hold: the largest "
            f"sample is {_show(top)}"
        )
    means = _Checker(
        f"{where}, means over the samples",
        _arrays({name: summaries[name].mean for name in simulation.output_names}),
        _arrays({f"layer {n!r}": summaries[f"layer:{n}"].mean for n in names}),
        rel_tol=rel_tol,
        abs_tol=abs_tol,
        layer_twins=_arrays({label(k): s.mean for k, s in summaries.items() if _is_layer_twin(k)}),
    )
    out = means.outputs
    means.equal(
        "conservation",
        "paid_usd",
        {
            "regime_revenue_usd": out["regime_revenue_usd"],
            "soldiers_take_home_usd": out["soldiers_take_home_usd"],
        },
    )
    means.equal("layers sum", "regime_revenue_usd", dict(means.layers))
    means.at_most("monotone relation", "paid_usd", out["paid_usd"], "promised_usd")
    means.at_most("monotone relation", "deaths", out["deaths"], "individuals_deployed")
    if simulation.currency is not None:  # linear too: conservation and the sum in the currency
        means.in_currency_sums()


def _is_layer_twin(key: str) -> bool:
    return key.startswith("layer") and twin_code(key) is not None
