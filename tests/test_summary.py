"""`paymodel.summary.Summary`: exact moments, exact merges, bounded quantile error."""

from __future__ import annotations

import decimal
import math
import multiprocessing
import pickle
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from functools import reduce
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from paymodel.errors import ArgumentError, ArgumentTypeError
from paymodel.summary import Summary

BLOCK = 65_536
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

# -- helpers --------------------------------------------------------------------------------


def fold(summaries: Sequence[Summary]) -> Summary:
    """Left fold in block order, as the simulator does."""
    return reduce(Summary.merge, summaries)


def tree(summaries: Sequence[Summary]) -> Summary:
    """Pairwise (balanced) merge: a different grouping of the same sequence."""
    if len(summaries) == 1:
        return summaries[0]
    middle = len(summaries) // 2
    return tree(summaries[:middle]).merge(tree(summaries[middle:]))


def pieces(values: np.ndarray, cuts: Sequence[int]) -> list[np.ndarray]:
    """``values`` split at the given (sorted, possibly repeated-free) cut points."""
    return [piece for piece in np.split(values, cuts) if piece.size]


def reference_histogram(values: np.ndarray) -> tuple[int, dict[int, int], dict[int, int]]:
    """Zeros, and counts per bucket key of positive values and of negative magnitudes.

    The slow, obvious way: boolean masks and ``numpy.unique`` on the keys.
    """
    shift = 52 - Summary.SUB_BITS

    def counts(magnitudes: np.ndarray) -> dict[int, int]:
        keys, number = np.unique(magnitudes.view(np.int64) >> shift, return_counts=True)
        return {int(k): int(n) for k, n in zip(keys, number, strict=True)}

    return int(np.sum(values == 0)), counts(values[values > 0]), counts(-values[values < 0])


def dense_to_dict(offset: int, counts: np.ndarray) -> dict[int, int]:
    return {offset + int(i): int(counts[i]) for i in np.flatnonzero(counts)}


def sqrt(value: Fraction) -> float:
    """The square root of an exact rational, without float underflow (1e-300² is 0.0)."""
    with decimal.localcontext(decimal.Context(prec=40, Emin=-9999, Emax=9999)):
        return float((decimal.Decimal(value.numerator) / value.denominator).sqrt())


def mixture(rng: np.random.Generator, size: int) -> np.ndarray:
    """20 % exact zeros, 30 % a point mass at 250, 50 % lognormal(5, 1)."""
    u = rng.random(size)
    return np.where(u < 0.2, 0.0, np.where(u < 0.5, 250.0, rng.lognormal(5.0, 1.0, size)))


DRAWS: dict[str, Callable[[np.random.Generator, int], np.ndarray]] = {
    "lognormal": lambda rng, size: rng.lognormal(3.0, 1.0, size),
    "uniform": lambda rng, size: rng.uniform(10.0, 20.0, size),
    "mixture": mixture,
    "normal": lambda rng, size: rng.normal(0.0, 1.0, size),
}


def streamed(kind: str, total: int, seed: int = 7) -> tuple[Summary, np.ndarray]:
    """``total`` draws in blocks of 65,536: the folded summary, and all the values."""
    blocks = [
        DRAWS[kind](np.random.default_rng([seed, index]), min(BLOCK, total - start))
        for index, start in enumerate(range(0, total, BLOCK))
    ]
    return fold([Summary.of(block) for block in blocks]), np.concatenate(blocks)


def summarise_groups(kind: str, seed: int, groups: list[range]) -> list[Summary]:
    """Runs in a spawned worker: summarise each group of blocks, merged inside the group."""
    summaries = []
    for group in groups:
        blocks = [DRAWS[kind](np.random.default_rng([seed, index]), BLOCK) for index in group]
        summaries.append(fold([Summary.of(block) for block in blocks]))
    return summaries


# -- the bucket scheme, by hand -----------------------------------------------------------


def test_bucket_keys_worked_by_hand() -> None:
    # 1.0 has bits 0x3FF0_0000_0000_0000; shifted right by 52 − 9 = 43 that is 0x3FF·2⁹
    # = 523,776. 1.5 = 1 + 256/512 is sub-bucket 256 of the same octave: key 524,032.
    # 3.0 = 2·1.5 is key (0x400·2⁹ + 256) = 524,544. −2.0 has magnitude key 0x400·2⁹ = 524,288.
    summary = Summary.of(np.array([1.5, 1.0, -2.0, 0.0, 3.0, -0.0, 1.0]))
    assert summary.positive_offset == 523_776
    assert summary.positive_counts.size == 524_544 - 523_776 + 1
    assert dense_to_dict(summary.positive_offset, summary.positive_counts) == {
        523_776: 2,
        524_032: 1,
        524_544: 1,
    }
    assert summary.negative_offset == 524_288
    assert summary.negative_counts.tolist() == [1]
    assert summary.zero_count == 2
    assert summary.count == 7
    assert (summary.min, summary.max) == (-2.0, 3.0)


def test_relative_error_is_the_bucket_width_and_meets_the_target() -> None:
    # A bucket [2ᵉ(1 + j/2⁹), 2ᵉ(1 + (j+1)/2⁹)) is at most 2⁻⁹ ≈ 0.195 % wide, relatively.
    assert Summary.RELATIVE_ERROR == 2.0**-Summary.SUB_BITS == 2.0**-9
    assert Summary.RELATIVE_ERROR <= 0.0025


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(1).normal(0.0, 1.0, 10_000),
        np.random.default_rng(2).normal(-5.0, 1.0, 1_000),  # all negative
        np.concatenate([np.zeros(50), -np.zeros(50), np.random.default_rng(3).random(500)]),
        np.concatenate([np.zeros(5), -np.random.default_rng(4).lognormal(0, 3, 500)]),
        np.array([5e-324, -5e-324, 0.0, 2.2e-308, 1.0]),  # subnormals share key 0 with zero
        np.array([0.0, -0.0, 0.0]),
        np.array([-1.7e308, 1.7e308, -1e-300, 1e-300]),
    ],
    ids=["normal", "negative", "zeros", "zeros-negative", "subnormal", "only-zeros", "extreme"],
)
def test_histogram_matches_a_slow_reference(values: np.ndarray) -> None:
    summary = Summary.of(values)
    zeros, positive, negative = reference_histogram(values)
    assert summary.zero_count == zeros
    assert dense_to_dict(summary.positive_offset, summary.positive_counts) == positive
    assert dense_to_dict(summary.negative_offset, summary.negative_counts) == negative
    for counts in (summary.positive_counts, summary.negative_counts):
        if counts.size:  # canonical: the dense range starts and ends on a non-empty bucket
            assert counts[0] > 0
            assert counts[-1] > 0
    # The histogram of a merge is the histogram of the concatenation, exactly.
    halves = fold([Summary.of(piece) for piece in pieces(values, [values.size // 3])])
    whole = Summary.of(values)
    assert halves.zero_count == whole.zero_count
    assert np.array_equal(halves.positive_counts, whole.positive_counts)
    assert halves.positive_offset == whole.positive_offset
    assert np.array_equal(halves.negative_counts, whole.negative_counts)
    assert halves.negative_offset == whole.negative_offset


# -- moments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["lognormal", "uniform", "mixture", "normal"])
def test_moments_match_numpy_over_uneven_pieces(kind: str) -> None:
    rng = np.random.default_rng(11)
    values = DRAWS[kind](rng, 200_000)
    cuts = np.sort(rng.choice(values.size, size=40, replace=False))
    summary = fold([Summary.of(piece) for piece in pieces(values, cuts.tolist())])
    assert summary.count == values.size
    assert summary.min == values.min()
    assert summary.max == values.max()
    assert summary.mean == pytest.approx(np.mean(values), rel=1e-12)
    assert summary.std == pytest.approx(np.std(values, ddof=1), rel=1e-12)
    assert summary.m2 == pytest.approx(np.var(values) * values.size, rel=1e-12)


def test_moments_without_cancellation_for_a_tiny_spread_around_a_large_mean() -> None:
    # One-pass Σx² − (Σx)²/n would lose every digit here: mean 1e9, std 1e-3.
    values = 1e9 + np.random.default_rng(5).normal(0.0, 1e-3, 300_000)
    summary = fold([Summary.of(piece) for piece in pieces(values, [1, 70_000, 250_000])])
    assert summary.mean == pytest.approx(np.mean(values), rel=1e-15)
    assert summary.std == pytest.approx(np.std(values, ddof=1), rel=1e-6)


@pytest.mark.parametrize("scale", [1e200, 1e-200])
def test_moments_of_huge_and_tiny_values(scale: float) -> None:
    # numpy's own std of 1e200-sized values overflows (x² = 1e400), so compare with the
    # unscaled data and multiply: scaling by 1e±200 commutes with mean and std up to rounding.
    unit = np.random.default_rng(6).lognormal(0.0, 1.0, 100_000)
    summary = fold([Summary.of(piece) for piece in pieces(unit * scale, [30_000, 31_000])])
    assert summary.mean == pytest.approx(np.mean(unit) * scale, rel=1e-12)
    assert summary.std == pytest.approx(np.std(unit, ddof=1) * scale, rel=1e-12)
    assert math.isfinite(summary.std)


def test_small_counts_and_constants() -> None:
    one = Summary.of(np.array([3.25]))
    assert (one.count, one.mean, one.std, one.m2) == (1, 3.25, 0.0, 0.0)
    assert (one.min, one.max) == (3.25, 3.25)
    constant = fold([Summary.of(np.full(size, 0.1)) for size in (7, 65_536, 3)])
    assert constant.mean == 0.1
    assert constant.std == 0.0
    assert Summary.of(np.array([1.0, 3.0])).std == math.sqrt(2.0)  # (1 + 1)/(2 − 1) = 2


# -- exact, grouping-free merges --------------------------------------------------------------


def test_every_grouping_and_order_gives_bit_identical_results() -> None:
    rng = np.random.default_rng(8)
    summaries = [
        Summary.of(rng.lognormal(0.0, 2.0, int(size))) for size in rng.integers(1, 5000, 30)
    ]
    left = fold(summaries)
    variants = [
        tree(summaries),
        reduce(lambda total, s: s.merge(total), summaries[::-1]),  # right fold
        fold(summaries[::-1]),
        fold([fold(summaries[:7]), fold(summaries[7:8]), fold(summaries[8:])]),
    ]
    for other in variants:
        assert other == left
        assert other.mean == left.mean
        assert other.std == left.std
        assert [other.quantile(q) for q in QUANTILES] == [left.quantile(q) for q in QUANTILES]


def test_merge_is_pure() -> None:
    a, b = Summary.of(np.array([1.0, 2.0])), Summary.of(np.array([-4.0, 0.0]))
    before = pickle.dumps((a, b))
    merged = a.merge(b)
    assert pickle.dumps((a, b)) == before
    assert merged is not a
    assert merged.count == 4


finite = st.floats(-1e150, 1e150) | st.sampled_from([0.0, -0.0, 5e-324, 1e-310, 250.0])


@given(
    values=hnp.arrays(np.float64, st.integers(1, 80), elements=finite),
    cuts=st.lists(st.integers(0, 80), max_size=6),
)
def test_merges_are_exact_and_moments_accurate_for_any_data(
    values: np.ndarray, cuts: list[int]
) -> None:
    summaries = [Summary.of(piece) for piece in pieces(values, sorted(set(cuts)))]
    left = fold(summaries)
    assert tree(summaries) == left
    assert fold(summaries[::-1]) == left
    # Against exact rational arithmetic: the only rounding is numpy's, inside each piece,
    # so the error is a few ulps of the largest magnitude, however much cancels.
    exact = [Fraction(float(value)) for value in values]
    mean = sum(exact, Fraction(0)) / len(exact)
    largest = float(np.max(np.abs(values)))
    assert abs(left.mean - float(mean)) <= 1e-13 * largest
    if values.size > 1:
        variance = sum(((x - mean) ** 2 for x in exact), Fraction(0)) / (len(exact) - 1)
        std = sqrt(variance)
        assert abs(left.std - std) <= 1e-12 * std + 1e-13 * largest


def test_blocks_summarised_in_other_processes_fold_to_the_same_bits() -> None:
    # Blocks 0–9 of one stream, summarised here one by one, and in two spawned workers
    # grouped as [0, 1, 2], [3], [4..9] (merged inside each worker, then pickled back).
    seed, kind = 21, "lognormal"
    local = fold(summarise_groups(kind, seed, [range(index, index + 1) for index in range(10)]))
    groups = [range(0, 3), range(3, 4), range(4, 10)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as executor:
        parts = [*executor.map(summarise_groups, [kind] * 2, [seed] * 2, [groups[:2], groups[2:]])]
    remote = fold([summary for part in parts for summary in part])
    assert remote == local
    assert remote.mean == local.mean
    assert remote.std == local.std
    assert remote.quantile(0.5) == local.quantile(0.5)


def test_summary_of_does_not_depend_on_memory_layout() -> None:
    values = np.random.default_rng(9).normal(3.0, 1.0, 3 * 20_000)
    strided = values[::3]
    assert not strided.flags.c_contiguous
    assert Summary.of(strided) == Summary.of(strided.copy())


# -- quantiles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["lognormal", "uniform", "mixture"])
def test_quantiles_of_ten_million_values_are_within_the_bound(kind: str) -> None:
    summary, values = streamed(kind, 10**7)
    exact = np.quantile(values, QUANTILES)
    estimates = np.array([summary.quantile(q) for q in QUANTILES])
    errors = np.abs(estimates - exact)
    assert np.all(errors <= Summary.RELATIVE_ERROR * np.abs(exact) * (1 + 1e-12)), errors / exact
    assert np.all(errors <= 0.005 * np.abs(exact))
    if kind == "mixture":
        assert exact[0] == estimates[0] == 0.0  # p5 falls among the exact zeros
    else:  # smooth data: interpolation inside buckets makes typical errors ~1 % of the bound
        assert np.median(errors / exact) < Summary.RELATIVE_ERROR / 20


def test_quantiles_of_values_around_zero() -> None:
    # Across zero the bound is absolute: 2⁻⁹ times the magnitude of the order statistics.
    summary, values = streamed("normal", 10**6)
    std = float(np.std(values))
    for q in (*QUANTILES, 0.001, 0.5001, 0.999):
        exact = float(np.quantile(values, q))
        error = abs(summary.quantile(q) - exact)
        assert error <= Summary.RELATIVE_ERROR * abs(exact) * (1 + 1e-12) + 1e-12 * std
        assert error < 1e-3 * std


def test_quantile_ends_are_the_extremes() -> None:
    summary, values = streamed("normal", 200_000)
    assert summary.quantile(0) == values.min() == summary.min
    assert summary.quantile(1) == values.max() == summary.max
    assert summary.quantile(0.0) <= summary.quantile(1e-9) <= summary.quantile(0.5)


@pytest.mark.parametrize("constant", [0.1, -7.25, 0.0, 1e300, 5e-324])
def test_quantiles_of_a_constant_are_that_constant(constant: float) -> None:
    summary = fold([Summary.of(np.full(size, constant)) for size in (1, 65_536, 10)])
    for q in (0.0, 1e-12, 0.05, 0.5, 0.95, 1.0):
        assert summary.quantile(q) == constant


def test_quantiles_by_hand() -> None:
    # 1, 2, 3, 4: the median's order statistics 2 and 3 sit alone in their buckets, at
    # 2 + ½·(2/512) and 3 + ½·(2/512); their mean is 2.501953125 (numpy: 2.5, error 0.08 %).
    summary = Summary.of(np.array([4.0, 2.0, 3.0, 1.0]))
    assert summary.quantile(0.5) == 2.501953125
    assert summary.quantile(1 / 3) == 2.001953125  # rank 1 exactly: the order statistic 2
    assert summary.quantile(1.0) == 4.0


@given(
    values=hnp.arrays(
        np.float64,
        st.integers(1, 60),
        elements=st.floats(-1e300, 1e300, allow_subnormal=False)
        | st.sampled_from([0.0, -0.0, 1.0, 250.0, -3.0]),
    ),
    q=st.floats(0.0, 1.0),
    cut=st.integers(0, 60),
)
def test_quantile_error_bound_holds_for_any_data(values: np.ndarray, q: float, cut: int) -> None:
    summary = fold([Summary.of(piece) for piece in pieces(values, [cut])])
    ordered = np.sort(values)
    rank = q * (values.size - 1)
    low, high = ordered[math.floor(rank)], ordered[math.ceil(rank)]
    exact = float(np.quantile(values, q))
    estimate = summary.quantile(q)
    assert summary.min <= estimate <= summary.max
    scale = max(abs(low), abs(high))
    assert abs(estimate - exact) <= Summary.RELATIVE_ERROR * scale * (1 + 1e-9)


# -- probabilities -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["lognormal", "uniform", "mixture", "normal"])
def test_probabilities_are_close_to_the_empirical_share(kind: str) -> None:
    summary, values = streamed(kind, 10**6)
    thresholds = np.quantile(values, [0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
    for threshold in thresholds:
        if kind == "mixture" and threshold == 250.0:
            continue  # a point mass inside a bucket: see test_point_masses_are_smeared
        assert summary.probability(above=threshold) == pytest.approx(
            np.mean(values > threshold), abs=1e-3
        )
        assert summary.probability(below=threshold) == pytest.approx(
            np.mean(values < threshold), abs=1e-3
        )
    low, high = thresholds[1], thresholds[-2]
    assert summary.probability(above=low, below=high) == pytest.approx(
        np.mean((values > low) & (values < high)), abs=1e-3
    )


def test_probabilities_at_zero_and_outside_the_range_are_exact() -> None:
    summary, values = streamed("mixture", 300_000)
    assert summary.probability(above=0.0) == np.mean(values > 0)
    assert summary.probability(below=0.0) == 0.0
    assert summary.probability(above=-1.0) == 1.0
    assert summary.probability(below=math.inf) == 1.0
    assert summary.probability(above=summary.max) == 0.0
    assert summary.probability(above=-1.0, below=1e-300) == np.mean(values == 0)
    signed = Summary.of(np.array([-2.0, -1.0, 0.0, 0.0, 1.0]))
    assert signed.probability(below=0.0) == 0.4
    assert signed.probability(above=0.0) == 0.2


def test_point_masses_are_smeared_over_their_bucket() -> None:
    # A documented limitation: 250 is the lower edge of its bucket [250, 250.48), and the
    # histogram cannot tell that all its values sit exactly there; the estimate treats them
    # as spread over the bucket, so P(X > 250) counts them (true share above: 0).
    summary = Summary.of(np.array([100.0, 250.0, 250.0, 250.0, 400.0]))
    assert summary.probability(above=250.0) == pytest.approx(0.8)
    assert summary.probability(above=250.5) == pytest.approx(0.2)  # past the bucket: exact


# -- bad input -------------------------------------------------------------------------------------

_OK = Summary.of(np.array([1.0, 2.0, 3.0]))

BAD: list[tuple[Callable[[], Any], str]] = [
    (lambda: Summary.of(np.array([1.0, np.nan, 2.0])), "values must be finite: found 1 NaN"),
    (
        lambda: Summary.of(np.array([1.0, 2.0, -np.inf])),
        "and 1 infinite among 3, the first at index 2",
    ),
    (lambda: Summary.of(np.array([])), "at least one value"),
    (lambda: Summary.of(np.ones((2, 3))), "values must be a 1-D array (got shape (2, 3))"),
    # One number is not a 1-D array (np.ascontiguousarray made it one, unchecked, before).
    (lambda: Summary.of(3.0), "values must be a 1-D array (got shape ())"),
    (lambda: _OK.quantile(1.5), "q must be between 0 and 1, e.g. 0.95 for the 95th percentile"),
    (lambda: _OK.quantile(-0.1), "(got -0.1)"),
    (lambda: _OK.quantile(math.nan), "q must be a finite number (got nan)"),
    (lambda: _OK.probability(), "needs a threshold: above=x for P(X > x)"),
    (lambda: _OK.probability(above=math.nan), "above must be a finite number (got nan)"),
    (lambda: _OK.probability(below=math.nan), "below must be a finite number (got nan)"),
    (lambda: _OK.probability(above=3.0, below=1.0), "above must be less than below"),
    (lambda: _OK.probability(above=1.0, below=1.0), "(got above=1.0, below=1.0)"),
]


@pytest.mark.parametrize(("call", "fragment"), BAD)
def test_bad_input_is_a_value_error_that_says_why(call: Callable[[], Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)) as caught:
        call()
    assert isinstance(caught.value, ArgumentError)  # one line at every door, no traceback


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="can only merge a Summary with another Summary"):
        _OK.merge(3.0)  # type: ignore[arg-type]
    # numpy's "could not convert string to float", and None read as one NaN, before.
    for values, shown in ((["a", "b"], "an array ['a', 'b']"), (None, "nothing None")):
        with pytest.raises(ArgumentTypeError) as caught:
            Summary.of(values)  # type: ignore[arg-type]
        assert str(caught.value) == f"values must be an array of numbers (got {shown})"
    with pytest.raises(TypeError, match="q must be a number"):
        _OK.quantile("0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="above must be a number"):
        _OK.probability(above=True)
    assert _OK.quantile(np.float64(0.5)) == _OK.quantile(1 / 2)


def test_negative_zero_is_stored_as_zero_so_the_bits_never_depend_on_order() -> None:
    one, other = Summary.of(np.array([-0.0, 0.0])), Summary.of(np.array([0.0, -0.0]))
    assert math.copysign(1.0, one.min) == math.copysign(1.0, one.max) == 1.0
    assert pickle.dumps(one) == pickle.dumps(other)


# -- a small, immutable value ---------------------------------------------------------------------


def test_pickle_round_trip_is_equal_small_and_read_only() -> None:
    summary = fold([Summary.of(DRAWS["normal"](np.random.default_rng(i), BLOCK)) for i in range(3)])
    data = pickle.dumps(summary)
    back = pickle.loads(data)  # noqa: S301 - our own bytes
    assert back == summary
    assert hash(back) == hash(summary)
    assert back.mean == summary.mean
    assert back.std == summary.std
    assert back.positive_counts.dtype == np.int64
    dense_bytes = summary.positive_counts.nbytes + summary.negative_counts.nbytes
    assert len(data) < dense_bytes / 2  # counts are narrowed to uint16 for pickling
    with pytest.raises(ValueError, match="read-only"):
        back.positive_counts[0] = 0


def test_equality_sees_every_part() -> None:
    base = Summary.of(np.array([1.0, 2.0, 3.0]))
    assert base == Summary.of(np.array([3.0, 1.0, 2.0]))
    assert base != Summary.of(np.array([1.0, 2.0, 3.5]))
    assert base != Summary.of(np.array([1.0, 2.0, 3.0, 3.0]))
    assert base != "a summary"
    assert "count=3" in repr(base)


# -- one number repeated: summarised without a pass over the copies -------------------------------


@pytest.mark.parametrize("value", [0.0, -0.0, 200.0, -2.5, 5e-324, 1e300, 0.1])
@pytest.mark.parametrize("count", [2, 3, BLOCK])
def test_a_repeated_number_is_summarised_as_its_copies_are(value: float, count: int) -> None:
    # numpy.broadcast_to(value, (count,)) is what simulate gets for an output that does not
    # vary in a block; its summary must be that of the materialised copies, bit for bit.
    repeated = np.broadcast_to(np.float64(value), (count,))
    assert repeated.strides == (0,)
    fast, slow = Summary.of(repeated), Summary.of(np.full(count, value))
    assert fast == slow
    assert fast.sum_fixed == slow.sum_fixed
    assert fast.square_sum_fixed == slow.square_sum_fixed
    assert (fast.mean, fast.std, fast.quantile(0.95)) == (slow.mean, slow.std, slow.quantile(0.95))
    merged = fast.merge(Summary.of(np.array([1.0, 3.0])))
    assert merged == slow.merge(Summary.of(np.array([1.0, 3.0])))


def test_a_repeated_number_costs_nothing_per_copy() -> None:
    # 10¹² copies of 7.0 as a broadcast view: materialised they would take 8 TB.
    summary = Summary.of(np.broadcast_to(7.0, (10**12,)))
    assert (summary.count, summary.mean, summary.std, summary.min, summary.max) == (
        10**12,
        7.0,
        0.0,
        7.0,
        7.0,
    )
    assert summary.quantile(0.5) == 7.0


def test_a_repeated_nan_is_refused_as_any_nan_is() -> None:
    with pytest.raises(ValueError, match="must be finite: found 4 NaN"):
        Summary.of(np.broadcast_to(np.nan, (4,)))
    # 10¹² copies: refused without materialising them (8 TB, a MemoryError before).
    with pytest.raises(ArgumentError) as caught:
        Summary.of(np.broadcast_to(-np.inf, (10**12,)))
    assert str(caught.value) == (
        "values must be finite: found 0 NaN and 1000000000000 infinite among 1000000000000, "
        "the first at index 0"
    )
