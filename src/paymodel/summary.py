r"""Streaming, mergeable, deterministic summaries of one output's samples.

A Monte Carlo run draws its samples in fixed blocks. :meth:`Summary.of` summarises one
block's values of one output in a few vectorized numpy passes; :meth:`Summary.merge`
combines two summaries into a new one. A summary holds the count, mean, standard
deviation, minimum, maximum and a log-linear histogram from which :meth:`Summary.quantile`
and :meth:`Summary.probability` are estimated. It is small, immutable and picklable, so
block summaries can be computed in worker processes and sent back.

Determinism
-----------
Every part of a summary is merged in *exact* arithmetic: the count, the histogram counts
and the moment sums are integers (the moment sums are fixed-point integers, see below),
and the minimum and maximum are exact. Merging is therefore associative and commutative:
the merged summary of a sequence of blocks is bit-identical however the blocks were
grouped into tasks, in whichever order the groups are merged, and on whichever process
each block was summarised. The only floating-point rounding happens inside
:meth:`Summary.of`, on one block's values, with numpy's (deterministic) pairwise sum over a
contiguous copy of them; so a given block always yields the same summary.

Moments
-------
For block :math:`b` with :math:`n_b` values, :meth:`Summary.of` computes in float64 the
block mean :math:`c_b` and the sum of squared deviations
:math:`M_b = \sum_{x \in b} (x - c_b)^2` (two passes, as ``numpy.var`` does). It stores
them exactly as two integer sums,

.. math::

    S_1 = \sum_b n_b c_b, \qquad S_2 = \sum_b \left(M_b + n_b c_b^2\right),

each scaled by a fixed power of two (:math:`2^{2148}` and :math:`2^{4296}`) so that every
float64 term is an integer. A merge adds the integers. Then

.. math::

    \bar x = \frac{S_1}{N}, \qquad m_2 = S_2 - \frac{S_1^2}{N}
            = \sum_b M_b + \sum_b n_b (c_b - \bar x)^2,

which is exactly the result of Chan, Golub and LeVeque's pairwise update
(:math:`m_2 = m_{2,a} + m_{2,b} + \delta^2 n_a n_b / n`) evaluated without rounding, and
each is rounded once, correctly, when read. The mean and :math:`m_2` are accurate to a few
units in the last place of float64 (the rounding of the per-block :math:`c_b` and
:math:`M_b`); there is no cancellation, because nothing is subtracted in floating point.
Blocks whose magnitudes exceed :math:`2^{400}` or lie below :math:`2^{-400}` are scaled by
a power of two first, so :math:`M_b` neither overflows nor underflows.

Histogram
---------
A finite float64 :math:`x \ne 0` is bucketed by its bit pattern: with
``SUB_BITS = 9``,

.. code-block:: python

    key = (abs(x).view(int64)) >> (52 - SUB_BITS)

keeps the 11 exponent bits and the top 9 mantissa bits of :math:`|x|`. The key is monotone
in :math:`|x|`, and the bucket of key :math:`K` (exponent :math:`e`, sub-bucket
:math:`j = K \bmod 2^9`) is

.. math::

    [L, U) = \left[2^e (1 + j/2^9),\; 2^e (1 + (j + 1)/2^9)\right),
    \qquad \frac{U - L}{L} = \frac{1}{2^9 + j} \le 2^{-9}.

Positive values and the magnitudes of negative values get one histogram each, stored
densely as ``(offset, counts)`` over the keys from the smallest to the largest present;
exact zeros (``+0.0`` and ``-0.0``) are counted apart, as a point mass.

Quantile error bound
--------------------
:meth:`Summary.quantile` estimates the sample quantile as ``numpy.quantile`` defines it by
default (type 7): with :math:`h = q (N - 1)`, :math:`i = \lfloor h \rfloor` and
:math:`f = h - i`, the answer is :math:`(1 - f)\,x_{(i)} + f\,x_{(i+1)}`. The histogram
tells which bucket each order statistic :math:`x_{(i)}` lies in, not where; the estimate
places it at a point :math:`p_i` of that bucket's range (the bucket's edges clipped to the
observed minimum and maximum: the :math:`c` values of a bucket at
:math:`L + (k + \tfrac12)(U - L)/c`, :math:`k = 0, \dots, c - 1`, except that the first
order statistic is the minimum and the last the maximum, both known exactly) and returns
:math:`(1 - f)\,p_i + f\,p_{i+1}`. As :math:`x_{(i)}` and :math:`p_i` lie in the same
bucket, :math:`|p_i - x_{(i)}| \le U - L \le 2^{-9} L \le 2^{-9} |x_{(i)}|`, so

.. math::

    |\hat x_q - x_q| \le (1 - f)\,|p_i - x_{(i)}| + f\,|p_{i+1} - x_{(i+1)}|
    \le 2^{-9} \left((1 - f)\,|x_{(i)}| + f\,|x_{(i+1)}|\right).

When both order statistics are positive (or both negative) the right-hand side is
:math:`2^{-9} |x_q|`: the relative error is at most
:attr:`Summary.RELATIVE_ERROR` :math:`= 2^{-9} \approx 0.195\,\%`. The bound is
tight: a bucket of many equal values on its lower edge :math:`L` (with :math:`j = 0`)
spreads their estimates up to nearly :math:`U = L (1 + 2^{-9})`. Placing the estimate at
the bucket's midpoint would halve the worst case, but only if no interpolation were done
inside the bucket; interpolating (which makes typical errors far smaller, about
:math:`10^{-5}` for smooth distributions) keeps the full bucket width as the worst case,
which is why ``SUB_BITS`` is 9 rather than 8 (whose bound, 0.39 %, would exceed the
0.25 % target). Exact zeros are returned exactly. Across zero, the error is bounded in
absolute terms by :math:`2^{-9}` times the larger magnitude of the two order statistics.
Clamping the result to :math:`[\min, \max]` can only reduce the error. The bound does
not hold for subnormal numbers (:math:`|x| < 2^{-1022}`), whose buckets have a fixed
absolute width.

Memory
------
The histogram's size depends on the range of the values, never on how many there are:
values of one sign whose magnitudes span :math:`[a, b]` take at most
:math:`2^9 (\log_2(b / a) + 1)` buckets of 8 bytes. Outputs between :math:`10^{-3}` and
:math:`10^{12}` span :math:`15 \log_2 10 \approx 49.8` octaves, about
:math:`49.8 \times 2^9 \approx 25{,}500` buckets (200 KiB); a lognormal block of 65,536
values with :math:`\sigma = 1` spans about 13 octaves, 6,800 buckets (53 KiB in memory,
8 KB pickled: for pickling, counts are narrowed to the smallest unsigned integer type that
holds them). The absolute cap, the whole float64 range, is :math:`2^{20}` buckets (8 MiB)
per sign, reached only when one block holds both a value near :math:`10^{-308}` and one
near :math:`10^{308}`.

Examples
--------
>>> import numpy as np
>>> from paymodel.summary import Summary
>>> first = Summary.of(np.array([1.0, 2.0]))
>>> total = first.merge(Summary.of(np.array([3.0, 4.0])))
>>> total.count, total.mean, total.min, total.max
(4, 2.5, 1.0, 4.0)
>>> round(total.std, 6)
1.290994
>>> total.quantile(0.5)  # numpy.quantile says 2.5; the bound allows ±2.5·2**-9
2.501953125
>>> total.probability(above=3.5)
0.25
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel.arguments import check_number, fail
from paymodel.errors import ArgumentError
from paymodel.messages import show, type_name

__all__ = ["Summary"]

Counts = NDArray[np.int64]
FloatArray = NDArray[np.float64]

_SUB_BITS = 9
#: Right shift from a float64's bit pattern to its bucket key.
_SHIFT = 52 - _SUB_BITS
#: The same shifts as numpy integers: numpy shifts an array by a Python int in a loop
#: twice as slow as by an ``int64`` (numpy 2.4), a tenth of a block's summary.
_SHIFT_ARRAY, _SIGN_SHIFT = np.int64(_SHIFT), np.int64(63)
#: Fraction bits of the fixed-point sum S₁: enough for c·2ᵏ, c ≥ 2⁻¹⁰⁷⁴, k ≥ -1073.
_SUM_BITS = 2148
#: Fraction bits of the fixed-point sum S₂ (twice _SUM_BITS, so that S₁² is on its scale).
_SQUARE_BITS = 2 * _SUM_BITS
#: Blocks whose largest magnitude lies outside [2⁻⁴⁰⁰, 2⁴⁰⁰] are rescaled for the moments.
_SCALE_LIMIT = 2.0**400
_ABS_MASK = 0x7FFF_FFFF_FFFF_FFFF


def _read_only(counts: ArrayLike) -> Counts:
    """A read-only int64 array of ``counts`` (a summary is immutable), copied if need be."""
    if isinstance(counts, np.ndarray) and counts.dtype == np.int64 and not counts.flags.writeable:
        return counts
    array = np.array(counts, dtype=np.int64)
    array.flags.writeable = False
    return array


def _frozen(counts: Counts) -> Counts:
    """``counts``, an array made here and referenced nowhere else, made read-only in place."""
    if counts.dtype != np.int64:
        return _read_only(counts)
    counts.flags.writeable = False
    return counts


_EMPTY: Counts = _read_only(np.zeros(0, dtype=np.int64))


def _not_finite(nans: int, infinities: int, size: int, first: int) -> NoReturn:
    """Refuse values that hold NaN or an infinity, saying how many and where the first is."""
    fail(
        "values",
        f"must be finite: found {nans} NaN and {infinities} infinite among {size}, "
        f"the first at index {first}",
    )


def _key(magnitude: float) -> int:
    """The bucket key of one positive finite float."""
    return int(np.float64(magnitude).view(np.int64)) >> _SHIFT


def _lower_edges(keys: NDArray[np.int64]) -> FloatArray:
    """The smallest value of each bucket."""
    return (keys << _SHIFT).view(np.float64)


def _histogram(
    magnitudes: FloatArray, smallest: float, largest: float, scratch: NDArray[np.int64]
) -> tuple[int, Counts]:
    """Dense bucket counts ``(offset, counts)`` of strictly positive finite values.

    ``scratch`` is an int64 work array of the same size, overwritten.
    """
    low = _key(smallest)
    keys = np.right_shift(magnitudes.view(np.int64), _SHIFT_ARRAY, out=scratch)
    keys -= low
    return low, _frozen(np.bincount(keys, minlength=_key(largest) - low + 1))


def _signed_histograms(
    values: FloatArray, minimum: float, maximum: float, work: NDArray[np.int64]
) -> tuple[int, int, Counts, int, Counts]:
    """``(zeros, negative offset, negative counts, positive offset, positive counts)``.

    One bincount over an index that puts the negative buckets first (in decreasing key
    order) and the positive ones after them, computed with branch-free integer arithmetic
    (boolean masks or ``numpy.where`` on a random sign pattern cost several times more).
    ``work`` is an int64 array of shape ``(2, values.size)``, overwritten.
    """
    sign, keys = work
    zero_count = int(np.count_nonzero(values == 0.0))
    if zero_count:  # -0.0 → +0.0: every zero now has the bit pattern 0
        values = np.add(values, 0.0, out=keys.view(np.float64))
    bits = values.view(np.int64)
    unsigned = values.view(np.uint64)
    wrapped = sign.view(np.uint64)
    # The smallest magnitude of each sign, from the bit patterns: unsigned wrap-around
    # sends zeros and values of the other sign above every finite magnitude.
    low_positive = high_positive = low_negative = high_negative = 0
    if maximum > 0:
        low_positive = (int(np.subtract(unsigned, 1, out=wrapped).min()) + 1) >> _SHIFT
        high_positive = _key(maximum)
    if minimum < 0:
        low_negative = (int(np.subtract(unsigned, 2**63 + 1, out=wrapped).min()) + 1) >> _SHIFT
        high_negative = _key(-minimum)
    positive_size = high_positive - low_positive + 1 if maximum > 0 else 0
    negative_size = high_negative - low_negative + 1 if minimum < 0 else 0
    # index = negative_size + key - low_positive for x > 0, high_negative - key for x < 0,
    # using key ^ sign == -key - 1 when sign == -1.
    np.right_shift(bits, _SIGN_SHIFT, out=sign)
    np.bitwise_and(bits, _ABS_MASK, out=keys)  # bits may be keys itself: fine, elementwise
    keys >>= _SHIFT_ARRAY
    positive_shift = negative_size - low_positive
    keys ^= sign
    keys += positive_shift
    sign &= high_negative + 1 - positive_shift
    keys += sign
    if zero_count:  # zeros sit at positive_shift, which may be negative: clamp, then remove
        np.maximum(keys, 0, out=keys)
    counts = np.bincount(keys, minlength=negative_size + max(positive_size, 1))
    if zero_count:
        counts[max(positive_shift, 0)] -= zero_count
    return (
        zero_count,
        low_negative,
        _read_only(counts[:negative_size][::-1]) if negative_size else _EMPTY,
        low_positive,
        _read_only(counts[negative_size : negative_size + positive_size])
        if positive_size
        else _EMPTY,
    )


def _add_dense(
    offset: int, counts: Counts, other_offset: int, other_counts: Counts
) -> tuple[int, Counts]:
    """The sum of two dense histograms, over the union of their key ranges."""
    if other_counts.size == 0:
        return offset, counts
    if counts.size == 0:
        return other_offset, other_counts
    start = min(offset, other_offset)
    stop = max(offset + counts.size, other_offset + other_counts.size)
    total = np.zeros(stop - start, dtype=np.int64)
    total[offset - start : offset - start + counts.size] = counts
    total[other_offset - start : other_offset - start + other_counts.size] += other_counts
    return start, _frozen(total)


def _fixed_point(value: float, fraction_bits: int) -> int:
    """``value × 2**fraction_bits`` as an exact integer (``fraction_bits`` must suffice)."""
    numerator, denominator = value.as_integer_ratio()
    return numerator << (fraction_bits - (denominator.bit_length() - 1))


def _moment_sums(
    values: FloatArray, minimum: float, maximum: float, scratch: FloatArray
) -> tuple[int, int]:
    """One block's exact fixed-point sums ``(S₁, S₂)`` (see the module docstring).

    ``values`` are not all equal (`Summary._constant` sums a constant block exactly);
    ``scratch`` is a float64 work array of the same size, overwritten.
    """
    count = values.size
    largest = max(-minimum, maximum)
    exponent = 0
    if not 1 / _SCALE_LIMIT <= largest <= _SCALE_LIMIT:
        exponent = math.frexp(largest)[1]  # scale so the largest magnitude is in [0.5, 1)
        values = np.ldexp(values, -exponent, out=scratch)
        minimum, maximum = math.ldexp(minimum, -exponent), math.ldexp(maximum, -exponent)
    block_mean = min(max(float(values.sum()) / count, minimum), maximum)
    deviations = np.subtract(values, block_mean, out=scratch)
    np.square(deviations, out=deviations)
    block_m2 = float(deviations.sum())
    mean = _fixed_point(block_mean, _SUM_BITS + exponent)
    return count * mean, _fixed_point(block_m2, _SQUARE_BITS + 2 * exponent) + count * mean * mean


def _ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` correctly rounded, or ±inf beyond float64's range."""
    try:
        return numerator / denominator
    except OverflowError:
        return math.copysign(math.inf, numerator)


def _ratio_sqrt(numerator: int, denominator: int) -> float:
    """``sqrt(numerator / denominator)`` for a non-negative ratio, without over- or underflow."""
    if numerator == 0:
        return 0.0
    half = (numerator.bit_length() - denominator.bit_length()) // 2
    if half >= 0:
        scaled = numerator / (denominator << (2 * half))
    else:
        scaled = (numerator << (-2 * half)) / denominator
    return math.ldexp(math.sqrt(scaled), half)


@dataclass(frozen=True, eq=False, repr=False)
class Summary:
    r"""Count, moments, extremes and a log-linear histogram of a set of float64 values.

    Build one with :meth:`of` and combine them with :meth:`merge`; the fields hold exact
    integer state and are not meant to be set by hand. See the module docstring for the
    bucket scheme, the exact merge and the error bound of :meth:`quantile`.

    Attributes
    ----------
    count
        Number of values.
    sum_fixed
        :math:`S_1 = \sum_b n_b c_b` times :math:`2^{2148}`, an exact integer.
    square_sum_fixed
        :math:`S_2 = \sum_b (M_b + n_b c_b^2)` times :math:`2^{4296}`, an exact integer.
    min
        Smallest value (``-0.0`` is stored as ``0.0``).
    max
        Largest value (``-0.0`` is stored as ``0.0``).
    zero_count
        Number of values equal to zero.
    positive_offset
        Bucket key of ``positive_counts[0]`` (0 when there are no positive values).
    positive_counts
        Number of positive values per bucket key, from the smallest key present to the
        largest (read-only).
    negative_offset
        Bucket key of ``negative_counts[0]``, keyed by magnitude.
    negative_counts
        Number of negative values per bucket key of their magnitude (read-only).
    """

    count: int
    sum_fixed: int
    square_sum_fixed: int
    min: float
    max: float
    zero_count: int
    positive_offset: int
    positive_counts: Counts
    negative_offset: int
    negative_counts: Counts

    #: Number of mantissa bits in a bucket key: 2**SUB_BITS buckets per power of two.
    SUB_BITS: ClassVar[int] = _SUB_BITS
    #: Worst-case relative error of :meth:`quantile` for values of one sign, 2**-SUB_BITS.
    RELATIVE_ERROR: ClassVar[float] = 2.0**-_SUB_BITS

    def __post_init__(self) -> None:
        object.__setattr__(self, "positive_counts", _read_only(self.positive_counts))
        object.__setattr__(self, "negative_counts", _read_only(self.negative_counts))

    @classmethod
    def of(cls, values: ArrayLike) -> Summary:
        """The summary of a 1-D array of finite values.

        Parameters
        ----------
        values
            The values, converted to a contiguous float64 array; at least one, all finite.

        Returns
        -------
        Summary
            Their summary.

        Raises
        ------
        ArgumentTypeError
            If ``values`` is ``None`` or holds something that is not a number (also a
            ``TypeError``).
        ArgumentError
            If ``values`` is not 1-D (a single number included), is empty, or holds NaN or
            an infinity (also a ``ValueError``).
        """
        try:
            given = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):  # text, or anything else float() refuses
            given = None
        if values is None or given is None:
            fail(
                "values",
                f"must be an array of numbers (got {type_name(values)} {show(values)})",
                wrong_type=True,
            )
        if given.ndim != 1:  # before np.ascontiguousarray, which makes one number 1-D
            fail("values", f"must be a 1-D array (got shape {given.shape})")
        if given.size > 1 and given.strides == (0,):
            # One number repeated (numpy.broadcast_to: an output that does not vary): the
            # summary of the repeated values, in O(1) instead of a pass over each of them.
            value = float(given[0]) + 0.0
            if not math.isfinite(value):  # not np.ascontiguousarray: 10¹² copies are 8 TB
                nans = given.size if math.isnan(value) else 0
                _not_finite(nans, given.size - nans, given.size, 0)
            return cls._constant(value, given.size)
        x: FloatArray = np.ascontiguousarray(given)
        if x.size == 0:
            fail("values", "must hold at least one value (got an empty array)")
        # NaN propagates through min and max, and ±inf shows as an extreme.
        minimum, maximum = float(x.min()) + 0.0, float(x.max()) + 0.0  # + 0.0: -0.0 → 0.0
        if not (math.isfinite(minimum) and math.isfinite(maximum)):
            first = int(np.argmax(~np.isfinite(x)))
            _not_finite(int(np.isnan(x).sum()), int(np.isinf(x).sum()), x.size, first)
        size = x.size
        if minimum == maximum:  # one bucket (and bincount on one repeated index is slow)
            return cls._constant(minimum, size)
        # One work array for every temporary (several large ones alive at once can make
        # malloc hand back fresh pages each call, and page faults then dominate).
        scratch: FloatArray = np.empty(size if minimum > 0 else 2 * size)
        sum_fixed, square_sum_fixed = _moment_sums(x, minimum, maximum, scratch[:size])
        zero_count, negative_offset, negative_counts, positive_offset, positive_counts = (
            0,
            0,
            _EMPTY,
            0,
            _EMPTY,
        )
        if minimum > 0:  # the common case, in three passes
            positive_offset, positive_counts = _histogram(
                x, minimum, maximum, scratch.view(np.int64)
            )
        else:
            zero_count, negative_offset, negative_counts, positive_offset, positive_counts = (
                _signed_histograms(x, minimum, maximum, scratch.view(np.int64).reshape(2, size))
            )
        return cls(
            count=int(size),
            sum_fixed=sum_fixed,
            square_sum_fixed=square_sum_fixed,
            min=minimum,
            max=maximum,
            zero_count=zero_count,
            positive_offset=positive_offset,
            positive_counts=positive_counts,
            negative_offset=negative_offset,
            negative_counts=negative_counts,
        )

    @classmethod
    def _constant(cls, value: float, count: int) -> Summary:
        """The summary of ``count`` copies of one finite ``value`` (not ``-0.0``): O(1).

        Exactly what a pass over the copies would give: their mean is ``value`` and their
        deviations 0, both exact, and they all fall into one bucket.
        """
        mean = _fixed_point(value, _SUM_BITS)
        zero_count, negative_offset, negative_counts, positive_offset, positive_counts = (
            0,
            0,
            _EMPTY,
            0,
            _EMPTY,
        )
        if value > 0:
            positive_offset, positive_counts = _key(value), _read_only([count])
        elif value < 0:
            negative_offset, negative_counts = _key(-value), _read_only([count])
        else:
            zero_count = count
        return cls(
            count=count,
            sum_fixed=count * mean,
            square_sum_fixed=count * mean * mean,
            min=value,
            max=value,
            zero_count=zero_count,
            positive_offset=positive_offset,
            positive_counts=positive_counts,
            negative_offset=negative_offset,
            negative_counts=negative_counts,
        )

    def merge(self, other: Summary) -> Summary:
        """The summary of this summary's values together with ``other``'s.

        Exact: the result is the same whichever way a sequence of summaries is grouped or
        ordered. Neither summary is changed.

        Parameters
        ----------
        other
            Another summary.

        Returns
        -------
        Summary
            A new summary of both sets of values.

        Raises
        ------
        ArgumentTypeError
            If ``other`` is not a `Summary` (also a ``TypeError``).
        """
        if not isinstance(other, Summary):
            fail(
                "other",
                "must be a Summary: can only merge a Summary with another Summary "
                f"(got {type_name(other)} {show(other)})",
                wrong_type=True,
            )
        positive_offset, positive_counts = _add_dense(
            self.positive_offset, self.positive_counts, other.positive_offset, other.positive_counts
        )
        negative_offset, negative_counts = _add_dense(
            self.negative_offset, self.negative_counts, other.negative_offset, other.negative_counts
        )
        return Summary(
            count=self.count + other.count,
            sum_fixed=self.sum_fixed + other.sum_fixed,
            square_sum_fixed=self.square_sum_fixed + other.square_sum_fixed,
            min=min(self.min, other.min),
            max=max(self.max, other.max),
            zero_count=self.zero_count + other.zero_count,
            positive_offset=positive_offset,
            positive_counts=positive_counts,
            negative_offset=negative_offset,
            negative_counts=negative_counts,
        )

    @property
    def mean(self) -> float:
        """Arithmetic mean, correctly rounded from the exact sum."""
        return min(max(_ratio(self.sum_fixed, self.count << _SUM_BITS), self.min), self.max)

    @property
    def m2(self) -> float:
        r"""Sum of squared deviations from the mean, :math:`\sum (x - \bar x)^2`."""
        return _ratio(self._m2_numerator(), self.count << _SQUARE_BITS)

    @property
    def std(self) -> float:
        """Sample standard deviation (``ddof=1``); 0.0 for fewer than two values."""
        if self.count < 2:
            return 0.0
        return _ratio_sqrt(self._m2_numerator(), (self.count * (self.count - 1)) << _SQUARE_BITS)

    def quantile(self, q: float) -> float:
        """The ``q``-quantile, estimated from the histogram.

        Estimates what ``numpy.quantile(values, q)`` gives (linear interpolation between
        order statistics), interpolating linearly inside buckets and clamping to
        ``[min, max]``; within a relative error of :attr:`RELATIVE_ERROR` for values of
        one sign (see the module docstring).

        Parameters
        ----------
        q
            Probability in [0, 1]: 0 gives ``min``, 0.5 the median, 1 ``max``.

        Returns
        -------
        float
            The estimated quantile.

        Raises
        ------
        ArgumentTypeError
            If ``q`` is not a real number (also a ``TypeError``).
        ArgumentError
            If ``q`` is not in [0, 1] (also a ``ValueError``).
        """
        share = check_number(q, "q", low=0, high=1, example="0.95 for the 95th percentile")
        if share == 0.0:
            return self.min
        if share == 1.0:
            return self.max
        lower, upper, counts = self._ascending_buckets()
        ends = np.cumsum(counts)
        rank = share * (self.count - 1)
        index = math.floor(rank)
        fraction = rank - index
        value = self._order_statistic(index, lower, upper, counts, ends)
        if fraction > 0.0:
            following = self._order_statistic(index + 1, lower, upper, counts, ends)
            value += fraction * (following - value)
        return min(max(value, self.min), self.max)

    def probability(self, *, above: float | None = None, below: float | None = None) -> float:
        """The share of values above, below or between thresholds, from the histogram.

        Inside the bucket that holds a threshold, values are taken as spread uniformly
        over the bucket (its edges clipped to ``[min, max]``); exact zeros are a point
        mass, and the buckets' edges are clipped to ``[min, max]``. The error is at most the
        share of values in that one bucket: small for continuous outputs (about 1e-6 for
        smooth distributions of a million values), but as large as a point mass that shares
        the threshold's bucket (an output taking a few discrete values, say): the histogram
        cannot tell that all of a bucket's values sit exactly on the threshold. Thresholds
        known in advance are better counted exactly, block by block.

        Parameters
        ----------
        above
            Estimate P(X > above).
        below
            Estimate P(X < below); with ``above`` too, P(above < X < below).

        Returns
        -------
        float
            The estimated probability, in [0, 1].

        Raises
        ------
        ArgumentTypeError
            If a threshold is not a real number (also a ``TypeError``).
        ArgumentError
            If neither threshold is given, one is NaN, or ``above`` is not less than
            ``below`` (also a ``ValueError``).
        """
        if above is None and below is None:
            raise ArgumentError(
                "probability() needs a threshold: above=x for P(X > x), below=x for "
                "P(X < x), or both for P(above < X < below) (got neither)",
                argument="above",
            )
        low = None if above is None else check_number(above, "above", finite=False)
        high = None if below is None else check_number(below, "below", finite=False)
        if low is not None and high is not None and not low < high:
            fail(
                "above",
                "must be less than below for P(above < X < below) "
                f"(got above={above!r}, below={below!r})",
            )
        buckets = self._ascending_buckets()
        # P(low < X < high) = (#below high − #below low − #equal to low) / N.
        below_high = float(self.count) if high is None else self._split(high, *buckets)[0]
        at_or_below_low = 0.0 if low is None else sum(self._split(low, *buckets))
        return min(max((below_high - at_or_below_low) / self.count, 0.0), 1.0)

    def _m2_numerator(self) -> int:
        """:math:`N S_2 - S_1^2` (scaled by 2**4296): N times the exact m2, never negative."""
        return self.count * self.square_sum_fixed - self.sum_fixed * self.sum_fixed

    def _ascending_buckets(self) -> tuple[FloatArray, FloatArray, Counts]:
        """``(lower, upper, counts)`` of the non-empty buckets in increasing order of value.

        Edges are clipped to ``[min, max]``; the zero bucket has ``lower == upper == 0``.
        """
        lowers, uppers, counts = [], [], []
        if self.negative_counts.size:
            present = np.flatnonzero(self.negative_counts)[::-1]
            keys = present + self.negative_offset
            lowers.append(-_lower_edges(keys + 1))
            uppers.append(-_lower_edges(keys))
            counts.append(self.negative_counts[present])
        if self.zero_count:
            lowers.append(np.zeros(1))
            uppers.append(np.zeros(1))
            counts.append(np.array([self.zero_count], dtype=np.int64))
        if self.positive_counts.size:
            present = np.flatnonzero(self.positive_counts)
            keys = present + self.positive_offset
            lowers.append(_lower_edges(keys))
            uppers.append(_lower_edges(keys + 1))
            counts.append(self.positive_counts[present])
        return (
            np.clip(np.concatenate(lowers), self.min, self.max),
            np.clip(np.concatenate(uppers), self.min, self.max),
            np.concatenate(counts),
        )

    def _order_statistic(
        self, index: int, lower: FloatArray, upper: FloatArray, counts: Counts, ends: Counts
    ) -> float:
        """Where the histogram places the ``index``-th smallest value (0-based)."""
        if index <= 0:
            return self.min
        if index >= self.count - 1:
            return self.max
        bucket = int(np.searchsorted(ends, index, side="right"))
        within = index - int(ends[bucket] - counts[bucket])
        width = float(upper[bucket] - lower[bucket])
        return float(lower[bucket]) + (within + 0.5) / int(counts[bucket]) * width

    @staticmethod
    def _split(
        threshold: float, lower: FloatArray, upper: FloatArray, counts: Counts
    ) -> tuple[float, float]:
        """Estimated numbers of values ``(below, equal to)`` a threshold."""
        width = upper - lower
        point = width == 0.0
        spread = np.clip((threshold - lower) / np.where(point, 1.0, width), 0.0, 1.0)
        share_below = np.where(point, lower < threshold, spread)
        below = float(np.sum(counts * share_below))
        equal = float(np.sum(counts[point & (lower == threshold)]))
        return below, equal

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Summary):
            return NotImplemented
        return (
            self._scalars() == other._scalars()
            and np.array_equal(self.positive_counts, other.positive_counts)
            and np.array_equal(self.negative_counts, other.negative_counts)
        )

    def __hash__(self) -> int:
        return hash(
            (self._scalars(), self.positive_counts.tobytes(), self.negative_counts.tobytes())
        )

    def _scalars(self) -> tuple[int | float, ...]:
        return (
            self.count,
            self.sum_fixed,
            self.square_sum_fixed,
            self.min,
            self.max,
            self.zero_count,
            self.positive_offset,
            self.negative_offset,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle the counts in the smallest unsigned type that holds them (a block's
        # counts fit in 16 or 32 bits); __post_init__ turns them back into int64.
        def narrow(counts: Counts) -> NDArray[Any]:
            if counts.size == 0:
                return counts
            return counts.astype(np.min_scalar_type(int(counts.max())))

        return (
            Summary,
            (
                *self._scalars()[:6],
                self.positive_offset,
                narrow(self.positive_counts),
                self.negative_offset,
                narrow(self.negative_counts),
            ),
        )

    def __repr__(self) -> str:
        buckets = self.positive_counts.size + self.negative_counts.size
        return (
            f"Summary(count={self.count}, mean={self.mean!r}, std={self.std!r}, "
            f"min={self.min!r}, max={self.max!r}, zeros={self.zero_count}, "
            f"buckets={buckets})"
        )
