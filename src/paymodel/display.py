"""How numbers and tables are shown to people (the CLI, explanations, comparisons).

This module is the one owner of how a number reads. Two rules hold in every text output
(``run``, ``explain``, ``compare``, ``simulate``, ``sweep``, ``sensitivity``,
``timeline``, ``discover``, the report and the charts' labels); JSON always keeps the exact
values.

**Each output has a kind** (`OUTPUT_KINDS`, one entry per name of
`paymodel.kernel.OUTPUT_NAMES`): money, people, months, share or multiple.

- *people* (``deaths``, ``individuals_deployed``, a headcount) are whole: the model's
  1,996.5 deaths are shown as 1,997, rounded half away from zero as people round
  (`whole`), not to the nearest even number as Python's ``round`` does.
- *months* (``soldier_months``) are a measure, not a count: a window may be 2.5 months long
  and soldiers who are not replaced serve fractions of their last month, so soldier-months
  keep one decimal when they have one (``120,523.5``).
- *money* is dollars (`money`), *share* a percentage (`percent`), *multiple* a multiple of
  the home wage with at most two decimals. A twin of money in another currency
  (`paymodel.currency`: ``regime_revenue_krw``, ``layer_krw:<name>``) is money too, shown
  with its ISO code in front of the number instead of the dollar sign: ``KRW 334,800,000,000``,
  compact ``KRW 334.80 bn``.

**One money style per group.** The money values shown side by side as one quantity (a
table's column of one output, a table's output columns in a tornado, one row of a
``simulate`` table, one chart's labels) use the same number of decimals: cents for every
value when any value below $1,000 has cents (``$200.00`` beside ``$193.65``), else whole
dollars for every value (``$1,743`` beside ``$342``). `money_values`, `output_values` and
`input_values` apply the rule to a group; `output_cents` decides it for a group shown in
pieces (a table's point estimates and the simulated intervals under them, shape words);
`money` alone shows cents only below $1,000 and only when a value has them.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal

__all__ = [
    "OUTPUT_KINDS",
    "OutputKind",
    "html_table",
    "input_value",
    "input_values",
    "layer_label",
    "money",
    "money_compact",
    "money_values",
    "needs_cents",
    "number",
    "output_cents",
    "output_kind",
    "output_value",
    "output_values",
    "padded_text",
    "people",
    "percent",
    "table",
    "terminal_text",
    "text_width",
    "whole",
]

#: How an output reads: dollars, whole people, a measure in months, a percentage, a multiple,
#: or a plain number (anything else).
OutputKind = Literal["money", "people", "months", "share", "multiple", "number"]

#: The kind of every output of `paymodel.kernel.OUTPUT_NAMES` (a test keeps it complete).
OUTPUT_KINDS: dict[str, OutputKind] = {
    "take_home_monthly_usd": "money",
    "take_home_per_tour_usd": "money",
    "take_home_per_individual_usd": "money",
    "domestic_wage_multiple": "multiple",
    "promised_usd": "money",
    "paid_usd": "money",
    "regime_revenue_usd": "money",
    "regime_revenue_per_year_usd": "money",
    "soldiers_take_home_usd": "money",
    "diverted_share": "share",
    "soldier_months": "months",
    "individuals_deployed": "people",
    "deaths": "people",
}

#: The last part of an input's path (or a column's name) that counts people.
_PEOPLE_NAMES = frozenset({"troops", "deaths", "headcount", "individuals_deployed"})


#: From here on a float's digits are not all meaningful (2⁵³ ≈ 9.0·10¹⁵ is the last whole
#: number every float reaches), so numbers are shown with an exponent, like ``1e+300``.
_EXPONENT_FROM = 1e16


def number(value: float) -> str:
    """A number with thousands separators: ``132,000``, ``14,666.67``, ``0.0165``, ``1e+20``."""
    if not math.isfinite(value) or abs(value) >= _EXPONENT_FROM:
        return f"{value:.6g}"
    if value == round(value) and abs(value) < 1e15:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.6g}"


def whole(value: float) -> float:
    """The nearest whole number, halves away from zero (as people round): 1,996.5 → 1,997.

    Examples
    --------
    >>> whole(1996.5), whole(181.5), whole(-0.5), whole(2.4999)
    (1997.0, 182.0, -1.0, 2.0)
    """
    if not math.isfinite(value):
        return value
    return math.copysign(math.floor(abs(value) + 0.5), value)


def people(value: float) -> str:
    """A count of people, whole: ``1,997`` for the model's 1,996.5 deaths.

    Examples
    --------
    >>> people(1996.5), people(12996.5), people(181.5), people(0.4)
    ('1,997', '12,997', '182', '0')
    """
    return number(whole(value) + 0.0)  # + 0.0: -0.0 reads as 0


def money(value_usd: float, *, cents: bool | None = None, code: str | None = None) -> str:
    """Dollars: ``$264,000,000``, ``$193.65``, ``$1e+20`` (from 10¹⁶ on, as `number`).

    Parameters
    ----------
    value_usd
        The amount [$, or the currency ``code``].
    cents
        ``None``: cents only below $1,000 and only when the amount has them. ``True``: always
        two decimals (``$200.00``), for a value shown beside others that need cents
        (`money_values`).
    code
        Another currency's ISO code: the amount is in it, and reads ``KRW 368,280,000,000``.

    Examples
    --------
    >>> money(264e6), money(193.65), money(-2.5), money(1e300), money_compact(1e300)
    ('$264,000,000', '$193.65', '-$2.50', '$1e+300', '$1e+300')
    >>> number(9e15), number(1.2e16), number(float("nan"))
    ('9,000,000,000,000,000', '1.2e+16', 'nan')
    >>> money(200, cents=True), money(1020, cents=True), money(0, cents=True)
    ('$200.00', '$1,020.00', '$0.00')
    >>> money(368.28e9, code="KRW"), money(-2.5, code="KRW")
    ('KRW 368,280,000,000', '-KRW 2.50')
    """
    sign = "-" if value_usd < 0 and round(value_usd, 2) != 0 else ""
    value_usd = abs(value_usd)
    if not math.isfinite(value_usd) or value_usd >= _EXPONENT_FROM:
        text = f"{value_usd:.6g}"
    elif cents:
        text = f"{value_usd:,.2f}"
    elif value_usd >= 1000 or value_usd == round(value_usd):
        text = f"{value_usd:,.0f}"
    else:
        text = f"{value_usd:,.2f}"
    return f"{sign}{_symbol(code)}{text}"


def _symbol(code: str | None) -> str:
    """What goes before an amount: ``$``, or another currency's code and a space."""
    return "$" if code is None else f"{code} "


def money_compact(value_usd: float, *, cents: bool | None = None, code: str | None = None) -> str:
    """Dollars for a narrow column: ``$237.6 M``, ``$1.34 bn``, ``$2,400``, ``$193.65``.

    Below a million as `money` (``cents`` and ``code`` as there); from a million on in
    millions or billions, whatever ``cents`` says.

    Examples
    --------
    >>> money_compact(334.8e9, code="KRW"), money_compact(2.4e8)
    ('KRW 334.80 bn', '$240.0 M')
    """
    size = abs(value_usd)
    if not math.isfinite(size) or size >= _EXPONENT_FROM:
        return money(value_usd, code=code)
    if size >= 1e9:
        return f"{_symbol(code)}{value_usd / 1e9:,.2f} bn"
    if size >= 1e6:
        return f"{_symbol(code)}{value_usd / 1e6:,.1f} M"
    return money(value_usd, cents=cents, code=code)


def needs_cents(values_usd: Iterable[float]) -> bool:
    """Whether a group of amounts is shown with cents: some amount below $1,000 has cents.

    Examples
    --------
    >>> needs_cents([200, 193.65, 1743.27]), needs_cents([200, 1743.27]), needs_cents([18, 342])
    (True, False, False)
    >>> needs_cents([0.004, 5])  # under half a cent reads as $0
    False
    """
    return any(math.isfinite(v) and abs(v) < 1000 and round(v, 2) != round(v) for v in values_usd)


def money_values(values_usd: Sequence[float], *, compact: bool = False) -> list[str]:
    """Amounts shown side by side, in one style: all with cents, or all whole dollars.

    Parameters
    ----------
    values_usd
        The amounts of one group (a column, a chart's labels) [$].
    compact
        Millions and billions as `money_compact` (those never show cents).

    Examples
    --------
    >>> money_values([200, 193.65, 0, 1020])
    ['$200.00', '$193.65', '$0.00', '$1,020.00']
    >>> money_values([18, 342, 1743.4])
    ['$18', '$342', '$1,743']
    """
    cents = needs_cents(values_usd)
    show = money_compact if compact else money
    return [show(v, cents=cents) for v in values_usd]


def percent(share: float) -> str:
    """A share as a percentage: ``90.0 %``."""
    return f"{100 * share:.1f} %"


def _twin_code(name: str) -> str | None:
    """`paymodel.currency.twin_code`, imported when first needed.

    Not at the top: every line the CLI prints passes through `terminal_text`, and
    ``paymodel.currency`` imports numpy and the kernel, which ``paymodel --version`` and
    ``--help`` do not need.
    """
    from paymodel.currency import twin_code

    return twin_code(name)


def output_kind(name: str) -> OutputKind:
    """How an output, a layer's revenue or an input reads, from its name.

    `OUTPUT_KINDS` first; else by the name's ending: an exchange rate (``per_usd``, units of a
    currency per dollar) is a plain number; ``layer:<name>``, ``_usd`` and the
    twins of money in another currency (`paymodel.currency.twin_code`) are money,
    ``_share`` a share, ``_multiple`` a multiple, a name ending in ``troops``, ``deaths``,
    ``headcount`` or ``individuals_deployed`` people, ``soldier_months`` months;
    anything else a plain number (one decimal from 1 on, three significant digits below 1,
    so that a death rate of 0.0165 does not read as 0).

    Examples
    --------
    >>> output_kind("deaths"), output_kind("layer:state"), output_kind("deployment_troops")
    ('people', 'money', 'people')
    >>> output_kind("deployment_months"), output_kind("currency_per_usd")
    ('number', 'number')
    """
    if name in OUTPUT_KINDS:
        return OUTPUT_KINDS[name]
    if name.endswith("per_usd"):  # an exchange rate, units of a currency per dollar
        return "number"
    if name.startswith("layer:") or name.endswith("_usd") or _twin_code(name) is not None:
        return "money"
    if name.endswith("_share"):
        return "share"
    if name.endswith("_multiple"):
        return "multiple"
    if name.endswith("soldier_months"):
        return "months"
    if any(name == word or name.endswith(f"_{word}") for word in _PEOPLE_NAMES):
        return "people"
    return "number"


def output_value(
    name: str, value: float, *, compact: bool = False, cents: bool | None = None
) -> str:
    """An output (or a layer's revenue, ``layer:<name>``) shown in its unit, from its name.

    Parameters
    ----------
    name
        The output's name; its kind (`output_kind`) picks the form: dollars, whole people,
        soldier-months, a percentage, a multiple.
    value
        The value.
    compact
        Dollars for a narrow place (a chart's label, a matrix cell): `money_compact`.
    cents
        For dollars: as `money` (``True`` when the value is shown among values with cents;
        `output_values` decides it for a group).

    Examples
    --------
    >>> output_value("regime_revenue_usd", 237.6e6), output_value("layer:state", 5e6, compact=True)
    ('$237,600,000', '$5.0 M')
    >>> output_value("diverted_share", 0.9), output_value("deaths", 1996.5)
    ('90.0 %', '1,997')
    >>> output_value("soldier_months", 120523.46), output_value("soldier_months", 121000)
    ('120,523.5', '121,000')
    >>> output_value("regime_revenue_krw", 334.8e9)
    'KRW 334,800,000,000'
    >>> output_value("layer_krw:state", 5e9, compact=True)
    'KRW 5.00 bn'
    """
    kind = output_kind(name)
    if kind == "money":
        code = _twin_code(name)
        if compact:
            return money_compact(value, cents=cents, code=code)
        return money(value, cents=cents, code=code)
    if kind == "share":
        return percent(value)
    if kind == "multiple":
        return f"{number(round(value, 2))}×"
    if kind == "people":
        return people(value)
    if kind == "months" or not math.isfinite(value) or abs(value) >= 1:
        return number(round(value, 1))
    return number(float(f"{value:.3g}"))  # a rate below 1: three significant digits


def output_cents(name: str, values: Iterable[float]) -> bool:
    """Whether the values of one output, shown as one group, all show cents.

    For a group that is formatted in pieces with `output_value`'s ``cents=`` (a column of
    point estimates with the simulated median and interval under each, or the words of
    `paymodel.shape`): dollars with cents when `needs_cents` says so; never for any other
    kind.

    Examples
    --------
    >>> output_cents("take_home_per_tour_usd", [1800, 959.28]), output_cents("deaths", [1.5])
    (True, False)
    """
    return output_kind(name) == "money" and needs_cents(values)


def output_values(name: str, values: Sequence[float], *, compact: bool = False) -> list[str]:
    """Values of one output shown side by side: as `output_value`, dollars in one style.

    Examples
    --------
    >>> output_values("take_home_monthly_usd", [193.65, 200, 0])
    ['$193.65', '$200.00', '$0.00']
    >>> output_values("deaths", [1996.5, 181.5])
    ['1,997', '182']
    """
    cents = output_cents(name, values)
    return [output_value(name, v, compact=compact, cents=cents) for v in values]


def layer_label(key: str, *, quoted: bool = False) -> str:
    """A layer's row label from its key: ``layer state``, or ``layer state in KRW`` for a twin.

    Examples
    --------
    >>> layer_label("layer:state"), layer_label("layer_krw:state", quoted=True)
    ('layer state', "layer 'state' in KRW")
    """
    name = key.partition(":")[2]
    code = _twin_code(key)
    shown = repr(name) if quoted else name
    return f"layer {shown} in {code}" if code is not None else f"layer {shown}"


def input_value(path: str, value: float) -> str:
    """An input shown in its unit, chosen from the last part of its dotted path.

    Examples
    --------
    >>> input_value("pay.gross_monthly_usd", 1500), input_value("diversion.0.share", 0.9)
    ('$1,500', '90.0 %')
    >>> input_value("deployment.troops", 11200.0), input_value("deployment.troops", 12345.5)
    ('11,200', '12,346')
    >>> input_value("deployment.monthly_death_rate", 0.0165), input_value("x", 5.47064)
    ('0.0165', '5.5')
    """
    return output_value(path.replace(".", "_"), value)


def input_values(path: str, values: Sequence[float]) -> list[str]:
    """Values of one input shown side by side (a range's two ends): dollars in one style.

    Examples
    --------
    >>> input_values("pay.gross_monthly_usd", [812.5, 990]), input_values("x_share", [0.1, 0.2])
    (['$812.50', '$990.00'], ['10.0 %', '20.0 %'])
    """
    return output_values(path.replace(".", "_"), values)


#: Every character that is not printable ASCII, nor a newline, tab or carriage return: the
#: candidates `terminal_text` looks at one by one (most output has none of them).
_SUSPECT = re.compile(r"[^\x20-\x7e\n\t\r]")

#: Line breaks and tabs, for text that must stay on one line.
_LINE_BREAKS = str.maketrans({"\n": r"\u000a", "\t": r"\u0009", "\r": r"\u000d"})

#: A carriage return that does not end a line (``\r\n``): it sends the cursor back to the
#: start of the line, so that what follows overwrites what was shown before it.
_LONE_RETURN = re.compile(r"\r(?!\n)")


def _escape(character: str) -> str:
    r"""``\u001b``, ``\u202e``, ``\udb40\udc01``: valid in a JSON or a Python string alike."""
    code = ord(character)
    if code > 0xFFFF:  # a UTF-16 surrogate pair, as JSON writes one
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def terminal_text(text: str, *, lines: bool = True) -> str:
    r"""Text made safe to show on a terminal: every invisible or controlling character escaped.

    The one place that decides what of a user's text (titles, descriptions, layer names,
    file names) reaches a terminal as it is. Printable characters of any script stay; a
    control character (escape sequences that clear the screen, set the window title or make
    a link, BEL), a bidirectional override (U+202E shows text backwards), a zero-width or
    other format character, a lone surrogate, a line or paragraph separator or an unassigned
    code point is shown as a ``\uXXXX`` escape instead (a surrogate pair above U+FFFF),
    which is also valid inside a JSON string. The command line passes everything it prints
    through here; ``to_text`` methods do too.

    Parameters
    ----------
    text
        The text.
    lines
        Keep newlines, tabs and the carriage returns of ``\r\n`` line ends (text of several
        lines; a carriage return alone, which would let the rest of its line overwrite the
        start, is escaped); ``False`` escapes them all (text that must stay on one line,
        such as a title).

    Examples
    --------
    >>> print(terminal_text("a\x1b[2Jb \u202eevil\u202c, \ub2f9"))
    a\u001b[2Jb \u202eevil\u202c, 당
    >>> print(terminal_text("two\nlines", lines=False))
    two\u000alines
    >>> terminal_text("shown\rhidden\r\n")
    'shown\\u000dhidden\r\n'
    """
    if not lines:
        text = text.translate(_LINE_BREAKS)
    elif "\r" in text:
        text = _LONE_RETURN.sub(r"\\u000d", text)
    if text.isascii() and text.isprintable():
        return text
    return _SUSPECT.sub(lambda m: m[0] if m[0].isprintable() else _escape(m[0]), text)


def text_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide character, none for a mark.

    East Asian wide and fullwidth characters (Hangul, CJK) take two columns and combining
    marks none (Unicode's East Asian Width and canonical combining class), every other
    character one; `table` pads its cells by it.

    Examples
    --------
    >>> text_width("party"), text_width("노동당"), text_width("e\u0301")
    (5, 6, 1)
    """
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in _WIDE else 1
        for c in text
    )


_WIDE = frozenset({"W", "F"})


def padded_text(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (`text_width`).

    ``text`` is shown as is: make it safe first (`terminal_text`), since escaping changes
    its width. ``right=True`` pads on the left.

    Examples
    --------
    >>> padded_text("노동당", 8) + "|", padded_text("$1", 4, right=True)
    ('노동당  |', '  $1')
    """
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    r"""A plain-text table; ``right[i]`` aligns column ``i`` to the right.

    Each cell is one line, made safe for a terminal (`terminal_text`) before the columns are
    measured, so that a cell whose characters are shown as escapes (a layer named
    ``"st\u202eate"``) keeps its column in line.

    Examples
    --------
    >>> print(table(["layer", "take"], [["st\u202eate", "$1"], ["party", "$20"]], [False, True]))
    layer        take
    -----------  ----
    st\u202eate    $1
    party         $20
    """
    headers = [terminal_text(h, lines=False) for h in headers]
    rows = [[terminal_text(cell, lines=False) for cell in row] for row in rows]
    widths = [text_width(h) for h in headers]
    for row in rows:
        widths = [max(w, text_width(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            padded_text(cell, width, right=is_right)
            for cell, width, is_right in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool],
    caption: str | None = None,
) -> str:
    """An HTML table of text cells, for notebooks (``_repr_html_``): every cell is escaped.

    Parameters
    ----------
    headers
        Column headings.
    rows
        Cells, already formatted as text (`money`, `output_value`, ...).
    right
        ``right[i]`` aligns column ``i`` to the right (numbers).
    caption
        A heading shown above the table.

    Examples
    --------
    >>> print(html_table(["name", "value"], [["a < b", "$1"]], [False, True]))
    <table>
    <thead><tr><th style="text-align: left">name</th><th style="text-align: right">value</th></tr></thead>
    <tbody>
    <tr><td style="text-align: left">a &lt; b</td><td style="text-align: right">$1</td></tr>
    </tbody>
    </table>
    """  # noqa: E501 - the doctest's output is one long line
    align = [f' style="text-align: {"right" if is_right else "left"}"' for is_right in right]

    def cells(tag: str, texts: Sequence[str]) -> str:
        return "".join(
            f"<{tag}{style}>{html.escape(text)}</{tag}>"
            for text, style in zip(texts, align, strict=True)
        )

    lines = ["<table>"]
    if caption is not None:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append(f"<thead><tr>{cells('th', headers)}</tr></thead>")
    lines.append("<tbody>")
    lines += [f"<tr>{cells('td', row)}</tr>" for row in rows]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)
