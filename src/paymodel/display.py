"""How numbers and tables are shown to people (the CLI, explanations, comparisons)."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

__all__ = [
    "html_table",
    "input_value",
    "money",
    "money_compact",
    "number",
    "output_value",
    "percent",
    "table",
    "terminal_text",
]


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


def money(value_usd: float) -> str:
    """Dollars: ``$264,000,000``, ``$193.65``, ``$1e+20`` (from 10¹⁶ on, as `number`).

    Examples
    --------
    >>> money(264e6), money(193.65), money(-2.5), money(1e300), money_compact(1e300)
    ('$264,000,000', '$193.65', '-$2.50', '$1e+300', '$1e+300')
    >>> number(9e15), number(1.2e16), number(float("nan"))
    ('9,000,000,000,000,000', '1.2e+16', 'nan')
    """
    sign = "-" if value_usd < 0 else ""
    value_usd = abs(value_usd)
    if not math.isfinite(value_usd) or value_usd >= _EXPONENT_FROM:
        text = f"{value_usd:.6g}"
    elif value_usd >= 1000 or value_usd == round(value_usd):
        text = f"{value_usd:,.0f}"
    else:
        text = f"{value_usd:,.2f}"
    return f"{sign}${text}"


def money_compact(value_usd: float) -> str:
    """Dollars for a narrow column: ``$237.6 M``, ``$1.34 bn``, ``$2,400``, ``$193.65``."""
    size = abs(value_usd)
    if not math.isfinite(size) or size >= _EXPONENT_FROM:
        return money(value_usd)
    if size >= 1e9:
        return f"${value_usd / 1e9:,.2f} bn"
    if size >= 1e6:
        return f"${value_usd / 1e6:,.1f} M"
    return money(value_usd)


def percent(share: float) -> str:
    """A share as a percentage: ``90.0 %``."""
    return f"{100 * share:.1f} %"


def output_value(name: str, value: float, *, compact: bool = False) -> str:
    """An output (or a layer's revenue, ``layer:<name>``) shown in its unit, from its name.

    Parameters
    ----------
    name
        The output's name: ``_usd`` is dollars, ``_share`` a percentage, ``_multiple`` a
        multiple; ``layer:<name>`` is a layer's revenue, in dollars.
    value
        The value.
    compact
        Dollars for a narrow place (a chart's label, a matrix cell): `money_compact`.

    Examples
    --------
    >>> output_value("regime_revenue_usd", 237.6e6), output_value("layer:state", 5e6, compact=True)
    ('$237,600,000', '$5.0 M')
    >>> output_value("diverted_share", 0.9), output_value("deaths", 1996.5)
    ('90.0 %', '1,996.5')
    """
    if name.endswith("_usd") or name.startswith("layer:"):
        return money_compact(value) if compact else money(value)
    if name.endswith("_share"):
        return percent(value)
    if name.endswith("_multiple"):
        return f"{number(round(value, 2))}×"
    return number(round(value, 1))


def input_value(path: str, value: float) -> str:
    """An input shown in its unit, chosen from the last part of its dotted path.

    Examples
    --------
    >>> input_value("pay.gross_monthly_usd", 1500), input_value("diversion.0.share", 0.9)
    ('$1,500', '90.0 %')
    >>> input_value("deployment.troops", 11200.0)
    '11,200'
    """
    return output_value(path.replace(".", "_"), value)


#: Every character that is not printable ASCII, nor a newline, tab or carriage return: the
#: candidates `terminal_text` looks at one by one (most output has none of them).
_SUSPECT = re.compile(r"[^\x20-\x7e\n\t\r]")

#: Line breaks and tabs, for text that must stay on one line.
_LINE_BREAKS = str.maketrans({"\n": r"\u000a", "\t": r"\u0009", "\r": r"\u000d"})


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
        Keep newlines, tabs and carriage returns (text of several lines); ``False`` escapes
        them too (text that must stay on one line, such as a title).

    Examples
    --------
    >>> print(terminal_text("a\x1b[2Jb \u202eevil\u202c, \ub2f9"))
    a\u001b[2Jb \u202eevil\u202c, 당
    >>> print(terminal_text("two\nlines", lines=False))
    two\u000alines
    """
    if not lines:
        text = text.translate(_LINE_BREAKS)
    if text.isascii() and text.isprintable():
        return text
    return _SUSPECT.sub(lambda m: m[0] if m[0].isprintable() else _escape(m[0]), text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """A plain-text table; ``right[i]`` aligns column ``i`` to the right."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if is_right else cell.ljust(width)
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
