"""Money in another currency: the twins of money outputs (DESIGN §7).

A scenario with a ``[currency]`` (``code = "KRW"``, ``per_usd = 1395``) shows every amount of
money in that currency as well. The model still computes in dollars, once; a twin is a
product on the way out: the dollar amount times ``per_usd``, sample by sample when the rate
is a distribution. This module is the one place that knows the rule:

- an output whose name ends in ``_usd`` has a twin ending in the lowercase code instead:
  ``regime_revenue_per_year_usd`` → ``regime_revenue_per_year_krw``;
- a layer's revenue, keyed ``"layer:<name>"``, has a twin keyed ``"layer_krw:<name>"``;
  in JSON a layer is ``{"name", "revenue_usd", "revenue_krw"}``;
- nothing else has one: shares, people, months and multiples are the same in any currency.

`with_twins` adds the twins to a table of columns (an output key to a number or an array),
each right after its dollar column; `dollar_key` turns a twin's key back into the dollar
key it is computed from (`paymodel.outputs.output_key` uses it).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

import numpy as np

from paymodel.arguments import check_mapping, check_type, fail
from paymodel.kernel import OUTPUT_NAMES

__all__ = [
    "CURRENCY_INPUT",
    "RATE_NAME",
    "currency_of",
    "dollar_key",
    "dollar_keys_needed",
    "is_money",
    "layer_revenue_field",
    "twin_code",
    "twin_key",
    "with_twins",
]

#: The input path of the exchange rate: units of the currency per dollar.
CURRENCY_INPUT = "currency.per_usd"
#: Where an evaluation carries that rate (`paymodel.kernel.Evaluation.intermediates`).
RATE_NAME = "currency_per_usd"

_LAYER = "layer:"
_DOLLARS = "_usd"
_LAYER_TWIN = re.compile(r"layer_([a-z]{3}):(.+)", re.DOTALL)
_TWIN = re.compile(r"(.+)_([a-z]{3})")
_CODE = re.compile(r"[A-Za-z]{3}")

Column = TypeVar("Column")


def is_money(key: str) -> bool:
    """Whether the column ``key`` is an amount of money, and so has a twin with a currency.

    An output ending in ``_usd`` and a layer's revenue (``"layer:<name>"``) are; shares,
    people, months and multiples are not.

    Examples
    --------
    >>> is_money("paid_usd"), is_money("layer:state"), is_money("deaths")
    (True, True, False)
    """
    return key.startswith(_LAYER) or key.endswith(_DOLLARS)


def _suffix(code: Any) -> str:
    """The lowercase suffix of a currency's twins, ``"krw"``; a code that is no currency fails.

    The code's case does not matter here (`Scenario.currency` requires capitals), but it is
    three ASCII letters and not USD: a twin ``paid_usd`` would overwrite the dollars.
    """
    check_type(code, str, "code", "text, a currency's ISO 4217 code such as 'KRW'")
    suffix = str(code).lower()
    if not _CODE.fullmatch(code) or suffix == _DOLLARS[1:]:
        fail("code", f"must be an ISO 4217 code other than USD, such as 'KRW' (got {code!r})")
    return suffix


def twin_key(key: str, code: str) -> str | None:
    """The key of a column's twin in the currency ``code``, or ``None`` when it is not money.

    Parameters
    ----------
    key
        An output's name (``paid_usd``), a layer's key (``"layer:<name>"``) or any key whose
        last part is an output's name (``"contingent:<name>:paid_usd"``).
    code
        The currency's ISO 4217 code, ``"KRW"``.

    Raises
    ------
    ArgumentError
        When ``key`` is not text, or ``code`` is not three letters or is USD.

    Examples
    --------
    >>> twin_key("regime_revenue_per_year_usd", "KRW")
    'regime_revenue_per_year_krw'
    >>> twin_key("layer:state treasury", "KRW"), twin_key("deaths", "KRW")
    ('layer_krw:state treasury', None)
    """
    check_type(key, str, "key", "text, an output's name such as 'paid_usd'")
    return _twin(key, _suffix(code))


def _twin(key: str, suffix: str) -> str | None:
    """`twin_key` with the arguments checked: ``suffix`` is a checked code's, ``"krw"``."""
    if not is_money(key):
        return None
    if key.startswith(_LAYER):
        return f"layer_{suffix}:{key.removeprefix(_LAYER)}"
    return f"{key.removesuffix(_DOLLARS)}_{suffix}"


def dollar_key(key: str, dollar_keys: Mapping[str, Any] | tuple[str, ...]) -> str | None:
    """The dollar column a twin's key is computed from, or ``None`` when ``key`` is no twin.

    Parameters
    ----------
    key
        A key that may be a twin: ``"paid_krw"``, ``"layer_krw:<name>"``.
    dollar_keys
        The dollar keys there are (output names and ``"layer:<name>"`` keys): a twin's
        dollar key must be one of them.

    Examples
    --------
    >>> dollar_key("paid_krw", ("paid_usd", "deaths")), dollar_key("deaths", ("deaths",))
    ('paid_usd', None)
    >>> dollar_key("layer_krw:state", ("layer:state",))
    'layer:state'
    """
    layer = _LAYER_TWIN.fullmatch(key)
    if layer is not None and layer[1] != "usd":
        found = f"{_LAYER}{layer[2]}"
        return found if found in dollar_keys else None
    twin = _TWIN.fullmatch(key)
    if twin is not None and twin[2] != "usd":
        found = f"{twin[1]}{_DOLLARS}"
        return found if found in dollar_keys else None
    return None


def dollar_keys_needed(keys: Collection[str], dollar_keys: tuple[str, ...]) -> frozenset[str]:
    """The dollar columns that ``keys`` are or are computed from (a twin needs its dollars).

    Examples
    --------
    >>> sorted(dollar_keys_needed(["paid_krw", "deaths"], ("paid_usd", "deaths")))
    ['deaths', 'paid_usd']
    """
    return frozenset(dollar_key(key, dollar_keys) or key for key in keys)


def layer_revenue_field(code: str) -> str:
    """The field of a layer's revenue in the currency, in JSON: ``"revenue_krw"``.

    Examples
    --------
    >>> layer_revenue_field("KRW")
    'revenue_krw'
    """
    return f"revenue_{_suffix(code)}"


def with_twins(columns: Mapping[str, Column], code: str | None, per_usd: Any) -> dict[str, Column]:
    """``columns`` with each money column followed by its twin in the currency ``code``.

    Parameters
    ----------
    columns
        Values by key (`twin_key` says which are money): numbers or arrays.
    code
        The currency's ISO 4217 code, or ``None``: then ``columns`` are returned as they are.
    per_usd
        Units of the currency per dollar: a number, or an array that broadcasts against
        the columns (one rate per sample).

    Returns
    -------
    dict
        Every column of ``columns`` in its order, each money column followed by its twin,
        the dollar value times ``per_usd`` (numbers stay Python floats).

    Raises
    ------
    ArgumentError
        When ``columns`` is not a mapping, ``code`` is not three letters or is USD, or
        ``per_usd`` is not numbers.

    Examples
    --------
    >>> with_twins({"paid_usd": 2.0, "deaths": 1.0}, "KRW", 1395.0)
    {'paid_usd': 2.0, 'paid_krw': 2790.0, 'deaths': 1.0}
    """
    check_mapping(columns, "columns", example="{'paid_usd': 2.0}")
    if code is None:
        return dict(columns)
    suffix = _suffix(code)  # checked once, not once a column
    try:
        rate = np.asarray(per_usd, dtype=np.float64)
    except (TypeError, ValueError):
        fail("per_usd", f"must be a number or an array of numbers (got {per_usd!r:.80})")
    twinned: dict[str, Any] = {}
    for key, value in columns.items():
        twinned[key] = value
        twin = _twin(key, suffix) if isinstance(key, str) else twin_key(key, code)
        if twin is not None:
            product = np.asarray(value, dtype=np.float64) * rate
            scalar = isinstance(value, float) and product.ndim == 0
            twinned[twin] = float(product) if scalar else product
    return twinned


_PAID_TWIN = re.compile(r"paid_([a-z]{3})")


def currency_of(keys: Mapping[str, Any] | tuple[str, ...]) -> str | None:
    """The currency whose twins are among a result's keys (``"KRW"``), or ``None``.

    Every result with a currency has the twin of ``paid_usd``.

    Examples
    --------
    >>> currency_of(("paid_usd", "paid_krw")), currency_of(("paid_usd",))
    ('KRW', None)
    """
    for key in keys:
        found = _PAID_TWIN.fullmatch(key)
        if found is not None and found[1] != "usd":
            return found[1].upper()
    return None


def twin_code(key: str) -> str | None:
    """The currency of a twin's key (``"KRW"``), or ``None`` when ``key`` is no twin.

    A twin is ``"layer_<code>:<name>"``, or an output of `paymodel.OUTPUT_NAMES` whose
    ``_usd`` is replaced by the lowercase code (after any ``"contingent:<name>:"``).

    Examples
    --------
    >>> twin_code("regime_revenue_krw"), twin_code("layer_krw:state"), twin_code("paid_usd")
    ('KRW', 'KRW', None)
    >>> twin_code("contingent:first wave:paid_krw"), twin_code("individuals_deployed")
    ('KRW', None)
    """
    layer = _LAYER_TWIN.fullmatch(key)
    if layer is not None:
        return None if layer[1] == "usd" else layer[1].upper()
    twin = _TWIN.fullmatch(key.rpartition(":")[2])
    if twin is None or twin[2] == "usd" or f"{twin[1]}{_DOLLARS}" not in OUTPUT_NAMES:
        return None
    return twin[2].upper()
