"""Output names: the one lookup every result and analysis uses.

An output is named as in `paymodel.kernel.OUTPUT_NAMES` (``regime_revenue_per_year_usd``),
a layer's revenue as ``"layer:<name>"`` or by the layer's bare name; with a currency, the
twin of a money output by the lowercase code instead of ``_usd``
(``regime_revenue_per_year_krw``) and of a layer's revenue as ``"layer_krw:<name>"``
(`paymodel.currency`). `output_key` turns
what a user typed into the key results use, or raises one error,
:class:`~paymodel.errors.UnknownOutputError` (an ``ArgumentError`` and a ``KeyError``),
with the names there are and the closest one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from paymodel.arguments import check_texts, check_type, fail
from paymodel.currency import dollar_key, twin_key
from paymodel.errors import UnknownOutputError
from paymodel.kernel import OUTPUT_NAMES
from paymodel.messages import did_you_mean, show

__all__ = ["LAYER_PREFIX", "closest_output", "dollar_output_keys", "output_key", "output_keys"]

#: How a layer's revenue is named among the outputs: ``"layer:<name>"``.
LAYER_PREFIX = "layer:"


def dollar_output_keys(layer_names: Iterable[str] | None) -> tuple[str, ...]:
    """Every output's key, then each layer's revenue as ``"layer:<name>"``: the dollar keys.

    The order every result lists them in; with a currency each one's twin follows it
    (`paymodel.currency.with_twins`).

    Examples
    --------
    >>> dollar_output_keys(["state treasury"])[-2:]
    ('deaths', 'layer:state treasury')
    """
    return (*OUTPUT_NAMES, *(f"{LAYER_PREFIX}{name}" for name in layer_names or ()))


def output_key(
    name: Any,
    layers: Sequence[str] | None = (),
    *,
    argument: str = "output",
    currency: str | None = None,
) -> str:
    """The key of an output, a layer's revenue or a twin, checked against the names there are.

    Parameters
    ----------
    name
        An output name, ``"layer:<name>"``, or a layer's bare name.
    layers
        The layers whose revenue can be asked for (`Scenario.layer_names`, or a result's);
        ``None`` when only the outputs of `paymodel.OUTPUT_NAMES` are accepted.
    argument
        The parameter's name, to start the message (``"output"``, ``"target"``).
    currency
        The scenario's (or result's) currency code, ``"KRW"``, or ``None``: with one, the
        twins of money outputs (``paid_krw``) and of layers (``"layer_krw:<name>"``) are
        outputs too.

    Returns
    -------
    str
        ``name`` for an output or an output's twin, ``"layer:<name>"`` for a layer,
        ``"layer_krw:<name>"`` for a layer's twin.

    Raises
    ------
    ArgumentTypeError
        When ``name`` is not text.
    UnknownOutputError
        When there is no such output or layer; the message lists them, and suggests the
        closest name.

    Examples
    --------
    >>> output_key("state treasury", ["state treasury"])
    'layer:state treasury'
    >>> try:
    ...     output_key("paid", ["state"])
    ... except KeyError as error:  # an UnknownOutputError
    ...     print(str(error).partition(" (")[0])
    output: no output or layer named 'paid'; did you mean 'paid_usd'?
    >>> output_key("paid_krw", currency="KRW")
    'paid_krw'
    >>> output_key("layer_krw:state", ["state"], currency="KRW")
    'layer_krw:state'
    """
    check_type(name, str, argument, "text, an output's name such as 'paid_usd'")
    if name in OUTPUT_NAMES:
        return str(name)
    layer = name.removeprefix(LAYER_PREFIX)
    if layers is not None and layer in layers:
        return f"{LAYER_PREFIX}{layer}"
    dollar_keys = dollar_output_keys(layers)
    twins = [] if currency is None else [twin_key(k, currency) for k in dollar_keys]
    if name in twins:
        return str(name)
    hint = closest_output(name, dollar_keys, currency)
    listing = f"outputs: {', '.join(OUTPUT_NAMES)}"
    if layers is not None:
        listing += f"; layers: {', '.join(layers) or 'none'}"
    if currency is not None:
        listing += f"; and their twins in {currency}, such as {twin_key('paid_usd', currency)}"
    elif dollar_key(name, dollar_keys) is not None:
        listing += "; twins in another currency need a [currency] or --currency CODE=RATE"
    what = "output or layer" if layers is not None else "output"
    rule = f"no {what} named {show(name)}{hint} ({listing})"
    raise UnknownOutputError(f"{argument}: {rule}", argument=argument, rule=rule)


def closest_output(name: str, dollar_keys: tuple[str, ...], currency: str | None) -> str:
    """``"; did you mean 'x'?"`` for a name that is no output, or ``""`` when none is close.

    A twin in another currency (``paid_jpy`` with ``currency="KRW"``) is closest to the twin
    in ``currency``; any other name to the nearest in spelling of ``dollar_keys`` (outputs
    and ``"layer:<name>"`` keys) and their twins.

    Examples
    --------
    >>> closest_output("paid_jpy", OUTPUT_NAMES, "KRW"), closest_output("paid", OUTPUT_NAMES, None)
    ("; did you mean 'paid_krw'?", "; did you mean 'paid_usd'?")
    """
    dollars = dollar_key(name, dollar_keys)
    if currency is not None and dollars is not None:  # a twin in another currency
        return f"; did you mean {show(twin_key(dollars, currency))}?"
    twins = [] if currency is None else [twin_key(k, currency) for k in dollar_keys]
    return did_you_mean(name, [*dollar_keys, *(t for t in twins if t is not None)])


def output_keys(
    names: Any,
    layers: Sequence[str],
    *,
    argument: str = "outputs",
    currency: str | None = None,
) -> tuple[str, ...]:
    """The keys of a list of outputs and layers, each by `output_key`, in order, each once.

    Parameters
    ----------
    names
        A list of output names, ``"layer:<name>"`` or layers' bare names; a name given
        twice counts once.
    layers
        The layers whose revenue can be asked for (`Scenario.layer_names`).
    argument
        The parameter's name, to start a message.
    currency
        The scenario's currency code (``"KRW"``), whose twins may be named too; ``None``
        when it has none.

    Raises
    ------
    ArgumentTypeError
        When ``names`` is not a list of texts.
    ArgumentError
        When the list is empty.
    UnknownOutputError
        When a name is neither an output nor a layer.

    Examples
    --------
    >>> output_keys(["paid_usd", "state treasury", "paid_usd"], ["state treasury"])
    ('paid_usd', 'layer:state treasury')
    """
    given = check_texts(names, argument, example="['take_home_monthly_usd', 'paid_usd']")
    if not given:
        fail(argument, "must name at least one output or layer (got an empty list)")
    keys = (output_key(name, layers, argument=argument, currency=currency) for name in given)
    return tuple(dict.fromkeys(keys))
