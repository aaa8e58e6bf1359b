"""Properties of the model that must hold for every valid input (hypothesis).

- money is conserved: paid = regime revenue + soldiers' take-home, and regime revenue is
  the sum of the layers' revenue (state transfers and in kind included), to 1e-9 relative;
- a soldier's take-home never rises when any layer's share, or the in-kind share, rises;
- regime revenue is linear in the troop count;
- a batch of samples gives the same outputs as its rows computed one by one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import paymodel as pm
from paymodel.kernel import OUTPUT_NAMES, evaluate

# The domains of DESIGN §1 with the limits of paymodel.domains: 0, or a nonzero value
# between the field's smallest and largest accepted value.
shares = st.just(0.0) | st.floats(1e-12, 1.0)
money_monthly = st.just(0.0) | st.floats(1e-6, 1e6)
money_lump = st.just(0.0) | st.floats(1e-6, 1e8)
counts = st.floats(1.0, 1e7)
months = st.floats(1 / 30, 1200.0)
rates = shares


@st.composite
def kernel_inputs(draw: st.DrawFn, size: int | None = None) -> dict[str, Any]:
    """Kernel inputs: each value an array of ``size`` samples (drawn when None)."""
    n = draw(st.integers(1, 8)) if size is None else size

    def column(elements: st.SearchStrategy[float]) -> np.ndarray:
        return np.array(draw(st.lists(elements, min_size=n, max_size=n)), dtype=np.float64)

    inputs: dict[str, Any] = {
        "pay.gross_monthly_usd": column(money_monthly),
        "pay.signing_bonus_usd": column(money_lump),
        "pay.death_benefit_usd": column(money_lump),
        "pay.delivered_share": column(shares),
        "pay.in_kind_share": column(shares),
        "pay.state_transfer_monthly_usd": column(money_monthly),
        "deployment.troops": column(counts),
        "deployment.months": column(months),
        "deployment.monthly_death_rate": column(rates),
        "deployment.replace_losses": draw(st.booleans()),
    }
    if draw(st.booleans()):
        inputs["deployment.tour_months"] = column(months)
    if draw(st.booleans()):
        inputs["baseline.domestic_monthly_wage_kpw"] = column(st.floats(1.0, 1e12))
        inputs["baseline.kpw_per_usd"] = column(st.floats(1.0, 1e9))
    else:
        inputs["baseline.domestic_monthly_wage_usd"] = column(st.floats(1e-3, 1e6))
    for index in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            inputs[f"diversion.{index}.share"] = column(shares)
        else:
            inputs[f"diversion.{index}.quota_monthly_usd"] = column(money_monthly)
    return inputs


def close(a: np.ndarray, b: np.ndarray, rel: float = 1e-9) -> bool:
    """|a − b| ≤ rel·max(|a|, |b|), elementwise (exact zeros compare equal)."""
    scale = np.maximum(np.abs(a), np.abs(b))
    return bool(np.all(np.abs(a - b) <= rel * scale))


@given(kernel_inputs())
def test_money_is_conserved(inputs: dict[str, Any]) -> None:
    evaluation = evaluate(inputs)
    out = evaluation.outputs
    assert close(out["paid_usd"], out["regime_revenue_usd"] + out["soldiers_take_home_usd"])
    layers = (
        evaluation.transfer_revenue_usd
        + evaluation.in_kind_revenue_usd
        + sum(evaluation.layer_revenue_usd, np.zeros(1))
    )
    assert close(out["regime_revenue_usd"], layers)
    for name in OUTPUT_NAMES:
        assert np.all(np.isfinite(out[name])), name
        assert np.all(out[name] >= 0), name
    assert np.all(out["diverted_share"] <= 1 + 1e-12)
    assert np.all(out["paid_usd"] <= out["promised_usd"] * (1 + 1e-12))


@given(kernel_inputs(size=1), st.data())
def test_take_home_never_rises_when_a_share_rises(inputs: dict[str, Any], data: Any) -> None:
    share_paths = ["pay.in_kind_share", *(p for p in inputs if p.endswith(".share"))]
    path = data.draw(st.sampled_from(share_paths))
    higher = dict(inputs)
    higher[path] = np.array([data.draw(st.floats(float(inputs[path][0]), 1.0))])
    before = evaluate(inputs).outputs
    after = evaluate(higher).outputs
    for name in ("take_home_monthly_usd", "take_home_per_tour_usd", "soldiers_take_home_usd"):
        assert after[name][0] <= before[name][0] * (1 + 1e-12), (path, name)


@given(kernel_inputs(), st.floats(0.001, 1000.0))
def test_revenue_is_linear_in_troops(inputs: dict[str, Any], factor: float) -> None:
    scaled = dict(inputs)
    scaled["deployment.troops"] = inputs["deployment.troops"] * factor
    before = evaluate(inputs).outputs
    after = evaluate(scaled).outputs
    for name in ("regime_revenue_usd", "paid_usd", "soldiers_take_home_usd", "deaths"):
        assert close(after[name], factor * before[name]), name
    assert close(after["take_home_monthly_usd"], before["take_home_monthly_usd"])


@given(kernel_inputs())
def test_a_batch_equals_its_rows_one_by_one(inputs: dict[str, Any]) -> None:
    batch = evaluate(inputs)
    n = len(inputs["pay.gross_monthly_usd"])
    for row in range(n):
        single = {
            path: value[row] if isinstance(value, np.ndarray) else value
            for path, value in inputs.items()
        }
        one = evaluate(single)
        for name in OUTPUT_NAMES:
            # Elementwise arithmetic: the same operations on the same numbers, bit for bit.
            assert batch.outputs[name][row] == one.outputs[name], name
        for layer_batch, layer_one in zip(
            batch.layer_revenue_usd, one.layer_revenue_usd, strict=True
        ):
            assert layer_batch[row] == layer_one


@given(
    gross=money_monthly,
    share=shares,
    troops=counts,
    months_=months,
    delivered=shares,
    in_kind=shares,
)
def test_compute_on_scenarios_conserves_money(
    gross: float, share: float, troops: float, months_: float, delivered: float, in_kind: float
) -> None:
    scenario = pm.Scenario(
        name="property",
        pay={"gross_monthly_usd": gross, "delivered_share": delivered, "in_kind_share": in_kind},
        diversion=[{"name": "state", "share": share}, {"name": "unit", "quota_monthly_usd": 10}],
        deployment={"troops": troops, "months": months_},
    )
    result = pm.compute(scenario)
    assert result.paid_usd == pytest.approx(
        result.regime_revenue_usd + result.soldiers_take_home_usd, rel=1e-9, abs=1e-6
    )
    assert sum(x.revenue_usd for x in result.layers) == pytest.approx(
        result.regime_revenue_usd, rel=1e-9, abs=1e-6
    )


@pytest.mark.parametrize("name", pm.builtin_names())
def test_every_builtin_conserves_money(name: str) -> None:
    result = pm.compute(pm.builtin(name))
    assert result.paid_usd == pytest.approx(
        result.regime_revenue_usd + result.soldiers_take_home_usd, rel=1e-12
    )
    assert sum(x.revenue_usd for x in result.layers) == pytest.approx(
        result.regime_revenue_usd, rel=1e-12
    )


@st.composite
def mixed_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Kernel inputs where some values are plain numbers (0 and 1 among them), as in a run."""
    inputs = draw(kernel_inputs())
    for path, value in list(inputs.items()):
        if isinstance(value, np.ndarray) and draw(st.booleans()):
            plain = draw(st.sampled_from(["first", "zero", "one"]))
            if plain == "zero" and path.split(".")[-1] in ZERO_ALLOWED:
                inputs[path] = np.float64(0.0)
            elif plain == "one" and path.endswith("share"):
                inputs[path] = np.float64(1.0)
            else:
                inputs[path] = np.float64(value[0])
    return inputs


#: The fields (last part of the path) whose domain includes 0.
ZERO_ALLOWED = {
    "signing_bonus_usd",
    "death_benefit_usd",
    "delivered_share",
    "in_kind_share",
    "state_transfer_monthly_usd",
    "monthly_death_rate",
    "share",
    "quota_monthly_usd",
    "gross_monthly_usd",
}


def same_bits(a: Any, b: Any) -> bool:
    """The same values to the last bit (the sign of a zero included), after broadcasting."""
    x, y = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    return (
        x.shape == y.shape
        and np.ascontiguousarray(x).tobytes() == np.ascontiguousarray(y).tobytes()
    )


@given(mixed_inputs(), st.data())
def test_asking_for_some_outputs_gives_them_bit_for_bit(inputs: dict[str, Any], data: Any) -> None:
    # The kernel computes only what the outputs asked for need (kernel._Model); what it
    # gives must not depend on what else was asked.
    whole = evaluate(inputs)
    only = data.draw(st.lists(st.sampled_from(OUTPUT_NAMES), unique=True, max_size=5))
    details = data.draw(st.booleans())
    part = evaluate(inputs, only, details=details)
    assert list(part.outputs) == only
    for name in only:
        assert same_bits(part.outputs[name], whole.outputs[name]), name
    assert same_bits(part.transfer_revenue_usd, whole.transfer_revenue_usd)
    assert same_bits(part.in_kind_revenue_usd, whole.in_kind_revenue_usd)
    if details:
        assert len(part.layer_revenue_usd) == len(whole.layer_revenue_usd)
        for mine, theirs in zip(part.layer_revenue_usd, whole.layer_revenue_usd, strict=True):
            assert same_bits(mine, theirs)
        assert part.intermediates.keys() == whole.intermediates.keys()
        for name, value in part.intermediates.items():
            assert same_bits(value, whole.intermediates[name]), name
    else:
        assert part.layer_revenue_usd == part.layer_take_monthly_usd == ()
        assert part.layer_left_monthly_usd == ()
        assert part.intermediates == {}


@given(mixed_inputs())
def test_plain_numbers_give_the_values_arrays_give(inputs: dict[str, Any]) -> None:
    # A plain-number input stays a plain number through the kernel (no pass over the
    # samples for what does not vary); the values must be those of the same number
    # repeated in an array, bit for bit.
    n = max(np.size(v) for v in inputs.values())
    as_arrays = {
        path: np.full(n, value) if np.ndim(value) == 0 and not isinstance(value, bool) else value
        for path, value in inputs.items()
    }
    plain, arrays = evaluate(inputs), evaluate(as_arrays)
    for name in OUTPUT_NAMES:
        assert same_bits(plain.outputs[name], arrays.outputs[name]), name
    for mine, theirs in zip(plain.layer_revenue_usd, arrays.layer_revenue_usd, strict=True):
        assert same_bits(mine, theirs)
    assert same_bits(plain.in_kind_revenue_usd, arrays.in_kind_revenue_usd)
    assert same_bits(plain.transfer_revenue_usd, arrays.transfer_revenue_usd)
