"""Charts of paymodel's results, as matplotlib figures.

Every function draws one chart and returns its `matplotlib.figure.Figure`: a new figure
(no pyplot, no global state; ``fig.savefig("chart.png")`` writes it), or the figure of the
axes passed as ``ax=``. Every chart has a title, axis labels with units and a line naming
the claims its scenarios cite (``paymodel sources ID`` shows who made each claim, where
and when); the text with that line has the gid `SOURCES_GID`.

=========================  ===================================================
`take_home`                a soldier's monthly take-home against pay at home
`revenue`                  the regime's revenue per year, with intervals
`dollar_split`             where each promised dollar goes, layer by layer
`distribution`             one output's distribution over a simulation
`tornado`                  which assumption moves an output most
`fan`                      a running total month by month, with percentile bands
`running_totals`           several scenarios' running totals in one chart
=========================  ===================================================

Matplotlib is optional (``pip install 'paymodel[plot]'``); this module imports it only
when a chart is drawn, and never through pyplot.
"""

from __future__ import annotations

import math
import textwrap
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from paymodel._optional import require
from paymodel.arguments import check_whole
from paymodel.compare import Comparison
from paymodel.compute import point_result
from paymodel.contingents import Structure, evaluate_scenario
from paymodel.currency import dollar_key, is_money, twin_code
from paymodel.display import (
    input_values,
    money_values,
    needs_cents,
    number,
    output_kind,
    output_value,
)
from paymodel.errors import ArgumentError, UnknownOutputError
from paymodel.inputs import point_inputs
from paymodel.scenario import IN_KIND_LAYER, STATE_TRANSFER_LAYER, Scenario, claim_ids
from paymodel.shape import describe, shape_of
from paymodel.simulate import Simulation

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from paymodel.sensitivity import Tornado
    from paymodel.timeline import Timeline

__all__ = [
    "OUTPUT_LABELS",
    "SOURCES_GID",
    "contingents",
    "distribution",
    "dollar_shares",
    "dollar_split",
    "fan",
    "histogram_edges",
    "layer_colour",
    "money_tick",
    "output_label",
    "revenue",
    "running_totals",
    "take_home",
    "tornado",
]

#: Each output as an axis label, with its unit in brackets.
OUTPUT_LABELS: dict[str, str] = {
    "take_home_monthly_usd": "take-home per soldier [$/month]",
    "take_home_per_tour_usd": "take-home per soldier per tour [$]",
    "take_home_per_individual_usd": "take-home per person deployed [$]",
    "domestic_wage_multiple": "take-home ÷ pay at home [×]",
    "promised_usd": "promised by the payer [$]",
    "paid_usd": "delivered by the payer [$]",
    "regime_revenue_usd": "regime revenue over the deployment [$]",
    "regime_revenue_per_year_usd": "regime revenue per year [$/year]",
    "soldiers_take_home_usd": "all soldiers' take-home [$]",
    "diverted_share": "share of what is paid that the regime keeps [%]",
    "soldier_months": "soldier-months",
    "individuals_deployed": "individuals deployed [people]",
    "deaths": "deaths [people]",
}

#: The ``gid`` of the text that names a chart's claims (tests and tools find it by this).
SOURCES_GID = "paymodel-sources"

# Okabe-Ito colours, told apart with the common colour-vision deficiencies.
_SOLDIER = "#009E73"  # bluish green
_REGIME = "#D55E00"  # vermillion
_HOME = "#0072B2"  # blue
_AT_LOW = "#56B4E9"  # sky blue: an input at its 5th percentile
_AT_HIGH = "#E69F00"  # orange: at its 95th
_UNDELIVERED = "#BBBBBB"
_IN_KIND = "#8C6D31"  # brown: goods
# Layers of the diversion chain: dark tones take white labels, light ones dark labels.
# The built-ins' recipients have fixed colours; any other layer name hashes into the rest.
_LAYER_COLOURS = ("#CC79A7", "#E69F00", "#882255", "#F0A870", "#AA4499", "#661100", "#999933")
_FIXED_LAYER_COLOURS = {
    "state treasury": _REGIME,
    IN_KIND_LAYER: _IN_KIND,
    "state transfer": "#332288",
    "lodging and food": "#CC79A7",
}
_DARK = frozenset({_REGIME, "#882255", "#AA4499", "#661100", _IN_KIND, "#332288"})
_INK = "#222222"
_QUIET = "#555555"

_WIDTH = 9.0  # inches; at 100 dpi the 9.5-point text reads like a web page's
_SOURCE_POINTS = 8.5


@dataclass(frozen=True)
class _Canvas:
    """The figure and axes a chart draws in; ``own`` when the chart created the figure."""

    figure: Figure
    ax: Axes
    own: bool


def _canvas(ax: Axes | None, height: float, width: float = _WIDTH) -> _Canvas:
    """A new figure with one axes, or the figure of the axes given."""
    if ax is not None:
        return _Canvas(ax.get_figure(root=True), ax, own=False)  # type: ignore[arg-type]  # an axes always has a figure
    figure_module = _module("matplotlib.figure")
    figure: Figure = figure_module.Figure(figsize=(width, height), layout="constrained")
    return _Canvas(figure, figure.add_subplot(), own=True)


def _module(name: str) -> Any:
    """A part of matplotlib, or `MissingExtraError` naming ``paymodel[plot]``."""
    require("matplotlib", "charts (paymodel.plot)")  # the package first: its absence is the news
    return require(name, "charts (paymodel.plot)")


def layer_colour(name: str) -> str:
    """The colour of a layer (a recipient), the same in every chart and every run.

    The built-ins' recipients have fixed colours ("state treasury" vermillion, "in kind"
    brown); any other name maps to one of seven colours by a stable hash of its text
    (CRC-32, not Python's per-process ``hash``).

    Examples
    --------
    >>> layer_colour("state treasury"), layer_colour("in kind")
    ('#D55E00', '#8C6D31')
    >>> layer_colour("commanders") == layer_colour("commanders")
    True
    """
    fixed = _FIXED_LAYER_COLOURS.get(name)
    if fixed is not None:
        return fixed
    return _LAYER_COLOURS[zlib.crc32(name.encode("utf-8")) % len(_LAYER_COLOURS)]


def money_tick(value_usd: float) -> str:
    """Dollars for an axis tick: ``$0``, ``$0.5``, ``$200``, ``$2,400``, ``$1.2 M``, ``$1.3 bn``.

    Examples
    --------
    >>> [money_tick(v) for v in (0, 0.5, 200, 2400, 1.2e6, 250e6, 1.25e9)]
    ['$0', '$0.5', '$200', '$2,400', '$1.2 M', '$250 M', '$1.25 bn']
    """
    size = abs(value_usd)
    sign = "-" if value_usd < 0 else ""
    if size >= 1e9:
        return f"{sign}${size / 1e9:.3g} bn"
    if size >= 1e6:
        return f"{sign}${size / 1e6:.3g} M"
    if size >= 1 or size == 0:
        return f"{sign}${size:,.0f}" if size == round(size) else f"{sign}${size:,.2f}"
    return f"{sign}${size:.2g}"


def _formatter(name: str) -> Any:
    """A tick formatter that shows an output (or a layer's revenue) in its unit."""
    ticker = _module("matplotlib.ticker")
    if twin_code(name) is not None:  # money in another currency: its compact form
        return ticker.FuncFormatter(lambda value, _: output_value(name, value, compact=True))
    if is_money(name):
        return ticker.FuncFormatter(lambda value, _: money_tick(value))
    if name.endswith("_share"):
        return ticker.FuncFormatter(lambda value, _: f"{100 * value:.0f} %")
    if name.endswith("_multiple"):
        return ticker.FuncFormatter(lambda value, _: f"{number(round(value, 2))}×")
    return ticker.FuncFormatter(lambda value, _: number(round(value)))


def _shown(name: str, value: float, *, among: Sequence[float] = ()) -> str:
    """A value in its unit, for labels: ``$237.6 M``, ``90.0 %``, ``12,000``.

    ``among``: every value the chart labels, so that its dollars share one style (cents for
    all when one needs them: `paymodel.display.needs_cents`).
    """
    cents = output_kind(name) == "money" and needs_cents([value, *among])
    return output_value(name, value, compact=True, cents=cents)


def output_label(name: str, *, unit: bool = True) -> str:
    """An output or ``layer:<name>`` in words, with its unit in brackets unless ``unit=False``.

    Examples
    --------
    >>> output_label("regime_revenue_per_year_usd")
    'regime revenue per year [$/year]'
    >>> output_label("take_home_per_tour_usd", unit=False)
    'take-home per soldier per tour'
    >>> output_label("layer:state treasury")
    "revenue of the layer 'state treasury' [$]"
    >>> output_label("regime_revenue_per_year_krw"), output_label("layer_krw:state")
    ('regime revenue per year [KRW/year]', "revenue of the layer 'state' [KRW]")
    """
    code = twin_code(name)
    if code is not None:  # a twin in another currency: the dollar output's words
        dollars = dollar_key(name, (*OUTPUT_LABELS, f"layer:{name.partition(':')[2]}"))
        label = output_label(str(dollars)).replace("[$", f"[{code}")
    elif name.startswith("layer:"):
        label = f"revenue of the layer {name.removeprefix('layer:')!r} [$]"
    else:
        label = OUTPUT_LABELS.get(name, name)
    return label if unit else label.split(" [")[0]


def _wrap(text: str, points: float, inches: float) -> str:
    """Wrap text to about ``inches`` wide at a font size of ``points``."""
    columns = max(30, int(inches * 72 / (points * 0.56)))
    return "\n".join(textwrap.wrap(text, columns))


def _decorate(
    canvas: _Canvas,
    title: str,
    subtitle: str,
    ids: Sequence[str] | None,
    note: str = "",
) -> None:
    """Title, subtitle and the line naming the claims behind the chart.

    On a figure of its own, the title and the claims span the figure (left-aligned above
    and below everything); in axes given by the caller, they stay with the axes.
    """
    figure, ax = canvas.figure, canvas.ax
    if ids is None:  # the claims are listed beside the chart (the report does so)
        claims_text = ""
    elif ids:
        claims_text = (
            f"Claims: {', '.join(ids)}; who made each, where and when: paymodel sources ID."
        )
    else:
        claims_text = "Claims: none cited."
    sources = " ".join(part for part in (note, claims_text) if part) or " "
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    width = float(figure.get_size_inches()[0])
    if canvas.own:
        figure.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold", color=_INK)
        ax.set_title(_wrap(subtitle, 9.5, width * 0.75), loc="left", fontsize=9.5, color=_QUIET)
        text = figure.supxlabel(
            _wrap(sources, _SOURCE_POINTS, width - 0.3),
            x=0.01,
            ha="left",
            multialignment="left",
            fontsize=_SOURCE_POINTS,
            color=_QUIET,
        )
    else:
        ax.set_title(f"{title}\n{subtitle}", loc="left", fontsize=10)
        text = ax.annotate(
            _wrap(sources, _SOURCE_POINTS, width * ax.get_position().width),
            xy=(0.0, 0.0),
            xycoords=("axes fraction", ax.xaxis.label),
            xytext=(0, -6),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=_SOURCE_POINTS,
            color=_QUIET,
            annotation_clip=False,
        )
    text.set_gid(SOURCES_GID)
    # A dollar sign is a dollar: two in one text must not start matplotlib's mathtext.
    text_class = _module("matplotlib.text").Text
    for artist in [*ax.findobj(text_class), *(figure.texts if canvas.own else [])]:
        artist.set_parse_math(False)


def _legend(ax: Axes, handles: Sequence[Any] | None = None) -> None:
    """The legend to the right of the axes, where it cannot cover data."""
    options: dict[str, Any] = {
        "loc": "upper left",
        "bbox_to_anchor": (1.01, 1.0),
        "frameon": False,
        "fontsize": 9,
        "labelspacing": 0.9,
    }
    if handles is None:
        ax.legend(**options)
    else:
        ax.legend(handles=handles, **options)


def _fit_labels_on_log_axis(figure: Figure, ax: Axes, labels: Sequence[Any]) -> None:
    """Widen a log x axis by whole decades until every label ends inside it.

    A label's text has a fixed width on the page while a decade's width depends on how
    many the axis spans, so the labels are measured once laid out: a label that ran past
    the axis would run into the legend beside it.
    """
    for _ in range(4):  # a pass more when the new ticks moved the layout
        figure.draw_without_rendering()
        box = ax.get_window_extent()
        width = box.x1 - box.x0
        low, high = ax.get_xlim()
        decades = math.log10(high / low)
        needed = decades
        for label in labels:
            extent = label.get_window_extent()
            text = extent.x1 - extent.x0
            if extent.x1 > box.x1 and text < width:
                # The label starts s = decades·(x0 − left)/W decades into the axis; it
                # fits when s/D′·W + text ≤ W, so D′ = s·W/(W − text).
                start = decades * (extent.x0 - box.x0) / width
                needed = max(needed, start * width / (width - text))
        if needed <= decades:
            return
        ax.set_xlim(low, low * 10 ** math.ceil(needed - 1e-9))


def _check_simulations(
    scenarios: Sequence[Scenario], simulations: Sequence[Simulation] | None
) -> Sequence[Simulation] | None:
    if simulations is None:
        return None
    if len(simulations) != len(scenarios):
        raise ArgumentError(
            f"simulations: one per scenario compared, in the same order (got {len(simulations)} "
            f"for {len(scenarios)} scenarios)"
        )
    for scenario, simulation in zip(scenarios, simulations, strict=True):
        if simulation.scenario != scenario.name:
            raise ArgumentError(
                f"simulations: expected a simulation of {scenario.name!r}, got one of "
                f"{simulation.scenario!r} (same order as the comparison)"
            )
    return simulations


def _check_scenario(analysis: str, name: str, scenario: Scenario) -> None:
    if name != scenario.name:
        raise ArgumentError(f"scenario: the {analysis} is of {name!r}, not {scenario.name!r}")


def _interval_note(simulations: Sequence[Simulation]) -> str:
    samples = {s.samples for s in simulations}
    seeds = {s.seed for s in simulations}
    shown_samples = f"{samples.pop():,} samples" if len(samples) == 1 else "the samples drawn"
    shown_seed = f", seed {seeds.pop()}" if len(seeds) == 1 else ""
    return f"Intervals: 5th to 95th percentile over {shown_samples}{shown_seed}."


def _rows_height(count: int, per_row: float = 0.5, base: float = 2.2) -> float:
    return base + per_row * count


def _domestic_wage_usd(scenario: Scenario) -> float:
    """Pay at home per month [$], w, as the kernel reads it (won converted)."""
    evaluation = evaluate_scenario(Structure.of(scenario), point_inputs(scenario)).total
    return float(evaluation.intermediates["domestic_monthly_wage_usd"])


def take_home(
    comparison: Comparison,
    simulations: Sequence[Simulation] | None = None,
    *,
    ax: Axes | None = None,
    claims: bool = True,
) -> Figure:
    """A soldier's monthly take-home against pay at home, per scenario, on a log scale.

    A logarithmic axis has no zero: a take-home of $0 is drawn as an open circle on the
    left edge and labelled "$0", never as a short bar.

    Parameters
    ----------
    comparison
        The scenarios' point estimates (`paymodel.compare`).
    simulations
        Optional simulations of the same scenarios, in the same order: whiskers show the
        p5–p95 interval of the take-home (an arrow on the left edge when p5 is below it,
        e.g. $0).
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it
        (the report lists them once per scenario, linked to its claims table).

    Returns
    -------
    Figure
        The chart's figure. Filled dots are ``take_home_monthly_usd`` (a dot on a log axis
        means what it shows, where a bar's length would not); diamonds are the domestic
        wage ``w``.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> fig = plot.take_home(pm.compare(["independent-90", "nis-estimate"]))
    >>> fig.axes[0].get_xscale()
    'log'
    """
    scenarios = comparison.scenarios
    sims = _check_simulations(scenarios, simulations)
    canvas = _canvas(ax, _rows_height(len(scenarios)))
    ax = canvas.ax
    rows = np.arange(len(scenarios))
    values = [r.take_home_monthly_usd for r in comparison.results]
    multiples = [r.domestic_wage_multiple for r in comparison.results]
    wages = [_domestic_wage_usd(s) for s in scenarios]
    intervals = []
    if sims is not None:
        for sim in sims:
            stats = sim.statistics("take_home_monthly_usd")
            intervals.append((stats["p5"], stats["p95"]))
    every = [*values, *wages, *(x for pair in intervals for x in pair)]
    positive = [v for v in every if v > 0]
    floor = 10 ** (math.floor(math.log10(min(positive))) - 1) if positive else 0.1
    top = 10 ** math.ceil(math.log10(max(positive)) + 0.5) if positive else 10.0
    ax.set_xscale("log")
    ax.set_xlim(floor, top)
    for row, value in zip(rows, values, strict=True):
        if value > 0:
            ax.plot([value], [row], marker="o", markersize=9, color=_SOLDIER, zorder=6)
        else:
            ax.plot(
                [floor],
                [row],
                marker="o",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=_SOLDIER,
                markeredgewidth=1.6,
                clip_on=False,
                zorder=6,
            )
    label_at = list(values)
    for index, (low, high) in enumerate(intervals):
        if high <= 0 or math.isclose(low, high, rel_tol=1e-9):
            continue  # no spread to show (a fixed take-home, or always $0)
        label_at[index] = max(label_at[index], high)
        ax.plot([max(low, floor), high], [index, index], color=_INK, linewidth=1.2, zorder=3)
        if low <= floor:
            ax.plot([floor], [index], marker="<", color=_INK, markersize=6, clip_on=False, zorder=5)
        else:
            ax.plot([low], [index], marker="|", color=_INK, markersize=9, zorder=5)
        ax.plot([high], [index], marker="|", color=_INK, markersize=9, zorder=5)
    shown = money_values(values)  # one money style for the chart's labels
    labels = []
    for place, (value, multiple, where) in enumerate(zip(values, multiples, label_at, strict=True)):
        at_home = f"{number(round(multiple, 1))}× pay at home"
        text = "$0" if value <= 0 else f"{shown[place]} = {at_home}"
        labels.append(
            ax.annotate(
                text,
                xy=(max(where, floor), place),
                xytext=(9 if value <= 0 else 5, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=9.5,
                color=_INK,
            )
        )
    ax.scatter(wages, rows, marker="D", s=36, color=_HOME, zorder=6)
    lines = _module("matplotlib.lines")
    handles = [
        lines.Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=9,
            color=_SOLDIER,
            label="take-home\n(point estimate)",
        ),
        lines.Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=_SOLDIER,
            markeredgewidth=1.6,
            label="take-home $0\n(a log scale\nhas no zero)",
        ),
        lines.Line2D(
            [], [], linestyle="none", marker="D", color=_HOME, label="pay at home,\nper month"
        ),
    ]
    if intervals:
        handles.append(
            lines.Line2D([], [], color=_INK, marker="|", markersize=9, label="5th–95th\npercentile")
        )
    ax.set_yticks(rows, [s.name for s in scenarios])
    ax.yaxis.grid(True, color="#E5E5E5", linewidth=0.8)  # a guide from each name to its dot
    ax.set_axisbelow(True)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_formatter("take_home_monthly_usd"))
    ax.set_xlabel("per soldier per month [$/month], logarithmic scale")
    _legend(ax, handles)
    _fit_labels_on_log_axis(canvas.figure, ax, labels)
    note = "A log scale has no zero: $0 is an open circle on the left edge."
    if sims is not None:
        note += " " + _interval_note(sims) + " An arrow on the left edge: p5 is below it."
    _decorate(
        canvas,
        "What one soldier takes home, against pay at home",
        "per month; point estimates (uncertain inputs at their median)",
        claim_ids(scenarios) if claims else None,
        note,
    )
    return canvas.figure


def revenue(
    comparison: Comparison,
    simulations: Sequence[Simulation] | None = None,
    *,
    ax: Axes | None = None,
    claims: bool = True,
) -> Figure:
    """The regime's revenue per year, per scenario, with 90 % intervals from simulations.

    Parameters
    ----------
    comparison
        The scenarios' point estimates (`paymodel.compare`).
    simulations
        Optional simulations of the same scenarios, in the same order: a dot and whiskers
        show the median and the p5–p95 interval of ``regime_revenue_per_year_usd``.
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it
        (the report lists them once per scenario, linked to its claims table).

    Returns
    -------
    Figure
        The chart's figure; bar lengths are the point estimates.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> fig = plot.revenue(pm.compare(["nis-estimate"]))
    >>> [float(bar.get_width()) for bar in fig.axes[0].patches]
    [264000000.0]
    """
    scenarios = comparison.scenarios
    sims = _check_simulations(scenarios, simulations)
    canvas = _canvas(ax, _rows_height(len(scenarios)))
    ax = canvas.ax
    name = "regime_revenue_per_year_usd"
    rows = np.arange(len(scenarios))
    values = [r.regime_revenue_per_year_usd for r in comparison.results]
    ax.barh(rows, values, height=0.55, color=_REGIME, label="point estimate")
    right_ends = list(values)
    if sims is not None:
        stats = [s.statistics(name) for s in sims]
        medians = np.array([x["p50"] for x in stats])
        lows = np.array([x["p5"] for x in stats])
        highs = np.array([x["p95"] for x in stats])
        moving = lows < highs  # rows whose uncertain inputs move the revenue
        if moving.any():
            ax.errorbar(
                medians[moving],
                rows[moving],
                xerr=[(medians - lows)[moving], (highs - medians)[moving]],
                fmt="o",
                color=_INK,
                markersize=3.5,
                capsize=4,
                linewidth=1.2,
                label="simulation:\nmedian and\n5th–95th\npercentile",
            )
        right_ends = [max(v, h) for v, h in zip(values, highs, strict=True)]
    texts = money_values(values, compact=True)  # one money style for the chart's labels
    for row, end, text in zip(rows, right_ends, texts, strict=True):
        ax.annotate(
            text,
            xy=(end, row),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=9.5,
            color=_INK,
        )
    ax.set_xlim(0, max(right_ends, default=0.0) * 1.2 or 1.0)
    ax.set_yticks(rows, [s.name for s in scenarios])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_formatter(name))
    ax.set_xlabel(OUTPUT_LABELS[name])
    _legend(ax)
    _decorate(
        canvas,
        "What the regime earns per year",
        "bars: point estimates (uncertain inputs at their median)",
        claim_ids(scenarios) if claims else None,
        _interval_note(sims) if sims is not None else "",
    )
    return canvas.figure


def dollar_shares(comparison: Comparison) -> list[list[tuple[str, float]]]:
    """Where each promised dollar goes, per scenario: ``[(part, share), ...]``.

    The parts are ``"undelivered"`` (1 − δ), each layer in order (``"in kind"`` first when
    goods are delivered) and ``"soldiers"``: (P − paid) / P, each layer's revenue / P and
    the soldiers' take-home / P, which add up to 1 (all 0 when nothing is promised).

    Examples
    --------
    >>> import paymodel as pm
    >>> dollar_shares(pm.compare(["independent-90"]))
    [[('undelivered', 0.0), ('state treasury', 0.9), ('soldiers', 0.1)]]
    """
    rows = []
    for result in comparison.results:
        promised = result.promised_usd
        scale = 1.0 / promised if promised > 0 else 0.0
        parts = [("undelivered", (promised - result.paid_usd) * scale)]
        parts += [(layer.name, layer.revenue_usd * scale) for layer in result.layers]
        parts.append(("soldiers", result.soldiers_take_home_usd * scale))
        rows.append(parts)
    return rows


def dollar_split(comparison: Comparison, *, ax: Axes | None = None, claims: bool = True) -> Figure:
    """Where each promised dollar goes: one stacked bar per scenario.

    Segments, left to right: what the payer never delivers, goods delivered to the state
    (``in kind``), each layer of the diversion chain in order, and what the soldiers keep.
    Segment widths are `dollar_shares`; segments of 6 % or more are labelled.

    Parameters
    ----------
    comparison
        The scenarios' point estimates (`paymodel.compare`).
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it
        (the report lists them once per scenario, linked to its claims table).

    Returns
    -------
    Figure
        The chart's figure.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> fig = plot.dollar_split(pm.compare(["independent-90"]))
    >>> [round(float(bar.get_width()), 6) for bar in fig.axes[0].patches]
    [0.9, 0.1]
    """
    scenarios = comparison.scenarios
    canvas = _canvas(ax, _rows_height(len(scenarios)))
    ax = canvas.ax
    shares = dollar_shares(comparison)
    colours: dict[str, str] = {"undelivered": _UNDELIVERED}
    layers = [n for parts in shares for n, _ in parts if n not in {"undelivered", "soldiers"}]
    # State transfers and goods first (they are taken before every layer), then the layers
    # as they come.
    first = (STATE_TRANSFER_LAYER, IN_KIND_LAYER)
    for name in sorted(dict.fromkeys(layers), key=lambda n: first.index(n) if n in first else 2):
        colours[name] = layer_colour(name)
    colours["soldiers"] = _SOLDIER
    labelled: set[str] = set()
    for row, parts in enumerate(shares):
        left = 0.0
        for name, share in parts:
            if share <= 0:
                continue
            ax.barh(
                row,
                share,
                left=left,
                height=0.6,
                color=colours[name],
                edgecolor="white",
                linewidth=0.8,
                hatch="//" if name == "undelivered" else None,
                label=name if name not in labelled else None,
            )
            labelled.add(name)
            if share >= 0.06:
                ax.text(
                    left + share / 2,
                    row,
                    f"{100 * share:.0f} %",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if colours[name] in _DARK else _INK,
                )
            left += share
        if all(share == 0 for _, share in parts):
            ax.text(0.01, row, "nothing promised", va="center", fontsize=9, color=_INK)
    ax.set_xlim(0, 1)
    ax.set_yticks(np.arange(len(scenarios)), [s.name for s in scenarios])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_module("matplotlib.ticker").PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of each dollar promised by the payer [%]")
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(name) for name in colours if name in labels]
    _legend(ax, [handles[i] for i in order])
    _decorate(
        canvas,
        "Where each promised dollar goes",
        "undelivered, goods to the state, each layer of withholding, the soldiers; point estimates",
        claim_ids(scenarios) if claims else None,
    )
    return canvas.figure


def _point_value(scenario: Scenario, output: str) -> float:
    """An output or ``layer:<name>`` at the point estimate (`paymodel.compute`)."""
    result = point_result(scenario)
    if output.startswith("layer:"):
        wanted = output.removeprefix("layer:")
        return next(x.revenue_usd for x in result.layers if x.name == wanted)
    return float(result.outputs[output])


#: A spread smaller than this share of the values' size is rounding error, not uncertainty:
#: a scenario whose output cannot move still gives, say, 237,599,999.99999994 in one sample
#: and 237,600,000.00000006 in another (float64 carries about 16 digits).
_ROUNDING_SPREAD = 1e-9


def histogram_edges(values: Any, bins: int) -> NDArray[np.float64] | None:
    """Edges of at most ``bins`` equal bins over the values' range; ``None`` for no spread.

    Works for any finite values: one value, a spread of rounding error only (``None``),
    ranges as wide as floats go (the edges are weighted means of the ends, which cannot
    overflow), and ranges so narrow that neighbouring edges would be the same float (those
    bins merge, so there are fewer).

    Parameters
    ----------
    values
        Finite samples.
    bins
        The most bins wanted (at least 1).

    Returns
    -------
    numpy.ndarray or None
        Increasing edges, the first the smallest value and the last the largest; ``None``
        when the values do not spread beyond rounding (`_ROUNDING_SPREAD`).

    Examples
    --------
    >>> histogram_edges(np.array([1.0, 2.0, 3.0]), 4).tolist()
    [1.0, 1.5, 2.0, 2.5, 3.0]
    >>> histogram_edges(np.array([237599999.99999994, 237600000.00000006]), 60) is None
    True
    >>> histogram_edges(np.array([-1.7e308, 1.7e308]), 2).tolist()
    [-1.7e+308, 0.0, 1.7e+308]
    """
    data = np.asarray(values, dtype=np.float64)
    low, high = float(data.min()), float(data.max())
    size = max(abs(low), abs(high))
    if high - low <= _ROUNDING_SPREAD * size:  # an overflow to infinity is a spread too
        return None
    share = np.linspace(0.0, 1.0, bins + 1)
    edges = np.unique(low * (1.0 - share) + high * share)
    return edges if edges.size >= 2 else None


def distribution(
    simulation: Simulation,
    output: str,
    scenario: Scenario,
    *,
    bins: int = 60,
    ax: Axes | None = None,
    claims: bool = True,
) -> Figure:
    """A histogram of one output over a simulation, with its p5, median and p95 marked.

    The point estimate (every input at its median) is marked too: it need not be the
    median of the output. When the draws pile up at one value or form two clusters
    (`paymodel.shape.shape_of`), the percentiles are not marked (a median could fall in an
    empty gap) and the subtitle says the shape in words instead.

    Parameters
    ----------
    simulation
        A simulation of ``scenario`` run with ``keep_samples=True``.
    output
        An output name (`paymodel.OUTPUT_NAMES`) or a layer as ``"layer:<name>"``.
    scenario
        The scenario simulated: its name, title and claims label the chart.
    bins
        Number of histogram bins.
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it
        (the report lists them once per scenario, linked to its claims table).

    Returns
    -------
    Figure
        The chart's figure; bar heights are the share of samples in each bin [%].

    Raises
    ------
    ValueError
        When the samples were not kept, the output is unknown or the simulation is of
        another scenario.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> s = pm.builtin("span-sources")
    >>> sim = pm.simulate(s, 2_000, seed=1, keep_samples=True)
    >>> fig = plot.distribution(sim, "regime_revenue_per_year_usd", s)
    >>> fig.axes[0].get_xlabel()
    'regime revenue per year [$/year]'
    """
    _check_scenario("simulation", simulation.scenario, scenario)
    check_whole(bins, "bins", low=1)
    if simulation.kept is None:
        raise ArgumentError("distribution needs every sample: run simulate(..., keep_samples=True)")
    values = simulation.values(output)  # an unknown name is an UnknownOutputError
    stats = simulation.statistics(output)
    canvas = _canvas(ax, 5.0)
    ax = canvas.ax
    edges = histogram_edges(values, bins)
    if edges is None:
        middle = float(stats["p50"])
        span = abs(middle) * 0.05 or 1.0
        # One value: a narrow spike, not a wide block that would look like a spread.
        ax.bar([middle], [100.0], width=span / 25, color=_HOME)
        ax.set_xlim(middle - span, middle + span)
        rounding = "" if float(np.min(values)) == float(np.max(values)) else " (to rounding)"
        subtitle = (
            f"no uncertainty: every one of the {simulation.samples:,} samples of "
            f"{scenario.name} is {_shown(output, middle)}{rounding}"
        )
    else:
        weights = np.full(values.shape, 100.0 / values.size)
        ax.hist(
            values,
            bins=edges.tolist(),
            weights=weights,
            color=_HOME,
            alpha=0.8,
            edgecolor="white",
            linewidth=0.4,
        )
        subtitle = (
            f"{scenario.name}: {simulation.samples:,} samples ({simulation.method}, seed "
            f"{simulation.seed})"
        )
    # A point mass or two clusters: the percentiles can fall where no draw lies, so the
    # chart says the shape in words instead of marking them (`paymodel.shape`).
    shape = shape_of(values)
    words = describe(output, shape)
    if words:
        subtitle += f". {words[0].upper()}{words[1:]}; no median is marked."
    styles = {"p5": ("--", "p5"), "p50": ("-", "median"), "p95": ("--", "p95")}
    point = _point_value(scenario, output)
    labelled = [point, *(stats[key] for key in styles)]  # one money style for the legend
    for key, (style, label) in styles.items() if shape.plain else ():
        ax.axvline(
            stats[key],
            color=_INK,
            linestyle=style,
            linewidth=1.4 if key == "p50" else 1.1,
            label=f"{label} {_shown(output, stats[key], among=labelled)}",
        )
    ax.axvline(
        point,
        color=_REGIME,
        linestyle=":",
        linewidth=1.8,
        label=f"point estimate\n{_shown(output, point, among=labelled)}\n(inputs at\ntheir median)",
    )
    _legend(ax)
    ax.set_xlabel(output_label(output))
    ax.set_ylabel("share of samples [%]")
    ax.xaxis.set_major_formatter(_formatter(output))
    ax.xaxis.set_major_locator(_module("matplotlib.ticker").MaxNLocator(7))
    _decorate(
        canvas,
        f"Distribution of {output_label(output, unit=False)}",
        subtitle,
        claim_ids([scenario]) if claims else None,
        f"Scenario {scenario.name}: {scenario.title}.",
    )
    return canvas.figure


def tornado(
    result: Tornado, scenario: Scenario, *, ax: Axes | None = None, claims: bool = True
) -> Figure:
    """A tornado diagram: each uncertain input moved alone from its p5 to its p95.

    Bars start at the point estimate (every input at its median) and reach the output with
    the input at its 5th percentile (sky blue) and at its 95th (orange); the largest swing
    is on top. Each input's label gives its two values and the claims cited for it.

    Parameters
    ----------
    result
        What `paymodel.tornado` returned for ``scenario``.
    scenario
        The scenario analysed: its name and claims label the chart.
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it
        (the report lists them once per scenario, linked to its claims table).

    Returns
    -------
    Figure
        The chart's figure.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> s = pm.builtin("span-sources")
    >>> fig = plot.tornado(pm.tornado(s, "regime_revenue_per_year_usd"), s)
    >>> fig.texts[0].get_text()
    'What moves regime revenue per year'
    """
    _check_scenario("tornado", result.scenario, scenario)
    rows = result.rows
    canvas = _canvas(ax, _rows_height(len(rows), per_row=0.75, base=2.4), width=10.0)
    ax = canvas.ax
    output = result.output
    base = result.baseline
    labelled = [base, *(v for r in rows for v in (r.output_at_low, r.output_at_high))]
    positions = np.arange(len(rows))
    for position, row in zip(positions, rows, strict=True):
        for value, colour in ((row.output_at_low, _AT_LOW), (row.output_at_high, _AT_HIGH)):
            ax.barh(position, value - base, left=base, height=0.6, color=colour)
        if row.swing == 0:
            ax.annotate(
                "no effect",
                xy=(base, position),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=9,
                color=_QUIET,
            )
            continue
        for value in {row.output_at_low, row.output_at_high} - {base}:
            outward = -1 if value < base else 1
            ax.annotate(
                _shown(output, value, among=labelled),
                xy=(value, position),
                xytext=(5 * outward, 0),
                textcoords="offset points",
                va="center",
                ha="right" if outward < 0 else "left",
                fontsize=9,
                color=_INK,
            )
    ax.axvline(base, color=_INK, linewidth=1.0)
    labels = []
    for row in rows:
        cited = scenario.claims_for(row.path)
        low, high = input_values(row.path, [row.low, row.high])  # one money style
        span = f"{low} to {high}"
        labels.append(f"{row.path}\n{span}" + (f"\n{', '.join(cited)}" if cited else ""))
    ax.set_yticks(positions, labels, fontsize=9)
    ax.invert_yaxis()
    ends = [base, *(r.output_at_low for r in rows), *(r.output_at_high for r in rows)]
    margin = (max(ends) - min(ends)) * 0.25 or abs(base) * 0.1 or 1.0
    ax.set_xlim(min(ends) - margin, max(ends) + margin)
    ax.xaxis.set_major_formatter(_formatter(output))
    ax.xaxis.set_major_locator(_module("matplotlib.ticker").MaxNLocator(6))
    ax.set_xlabel(output_label(output))
    patches, lines = _module("matplotlib.patches"), _module("matplotlib.lines")
    _legend(
        ax,
        [
            patches.Patch(color=_AT_LOW, label="input at its\n5th percentile"),
            patches.Patch(color=_AT_HIGH, label="input at its\n95th percentile"),
            lines.Line2D(
                [],
                [],
                color=_INK,
                linewidth=1.0,
                label=f"every input at\nits median:\n{_shown(output, base, among=labelled)}",
            ),
        ],
    )
    _decorate(
        canvas,
        f"What moves {output_label(output, unit=False)}",
        f"{scenario.name}: each uncertain input alone from its 5th to its 95th percentile, "
        "the others at their medians",
        claim_ids([scenario]) if claims else None,
        "One input at a time: interactions and correlations do not show here.",
    )
    return canvas.figure


def fan(
    result: Timeline,
    scenario: Scenario,
    *,
    column: str = "regime_revenue_usd",
    ax: Axes | None = None,
    claims: bool = True,
) -> Figure:
    """A fan chart: one running total month by month, with its percentile bands.

    The solid line is the point estimate; when the timeline has bands (the scenario has
    distributions and samples were drawn), the darker band is the 25th to 75th percentile
    of the running total over the samples and the lighter one the 5th to 95th, with their
    median dashed.

    Parameters
    ----------
    result
        What `paymodel.timeline` returned for ``scenario``.
    scenario
        The scenario followed: its name and claims label the chart.
    column
        A column with running totals (`Timeline.cumulative`), e.g. ``"paid_usd"`` or
        ``"layer:<name>"``.
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it
        (the report lists them once per scenario, linked to its claims table).

    Returns
    -------
    Figure
        The chart's figure; the solid line is ``result.cumulative[column]``, from 0 at
        month 0.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> s = pm.builtin("span-sources")
    >>> fig = plot.fan(pm.timeline(s, samples=1_000, seed=1), s)
    >>> fig.axes[0].get_xlabel()
    'months since the deployment began [months]'
    """
    _check_scenario("timeline", result.scenario, scenario)
    if column not in result.cumulative:
        raise UnknownOutputError(
            f"column: no running total named {column!r}; columns: {', '.join(result.cumulative)}"
        )
    canvas = _canvas(ax, 5.0)
    ax = canvas.ax
    months = np.concatenate([[0], result.months])

    def from_zero(values: Any) -> Any:
        return np.concatenate([[0.0], np.asarray(values, dtype=np.float64)])

    colour = _SOLDIER if column == "soldiers_take_home_usd" else _REGIME
    bands = result.cumulative_bands.get(column)
    if bands is not None and not np.array_equal(bands["p5"], bands["p95"]):
        for low, high, alpha, label in (
            ("p5", "p95", 0.18, "5th–95th\npercentile"),
            ("p25", "p75", 0.35, "25th–75th\npercentile"),
        ):
            ax.fill_between(
                months,
                from_zero(bands[low]),
                from_zero(bands[high]),
                color=colour,
                alpha=alpha,
                linewidth=0,
                label=label,
            )
        ax.plot(
            months,
            from_zero(bands["p50"]),
            color=_INK,
            linestyle="--",
            linewidth=1.2,
            label="median of\nthe samples",
        )
    point = from_zero(result.cumulative[column])
    ax.plot(
        months,
        point,
        color=colour,
        linewidth=2.2,
        label="point estimate\n(inputs at\ntheir median)",
    )
    ax.set_xlim(0, months[-1])
    ax.set_ylim(bottom=0)
    step = max(1, math.ceil(len(result.months) / 12))
    ax.set_xticks(months[::step])
    ax.yaxis.set_major_formatter(_formatter(column))
    what = output_label(column, unit=False).replace(" over the deployment", "")
    ax.set_xlabel("months since the deployment began [months]")
    ax.set_ylabel(f"{what} so far [$]")
    _legend(ax)
    total = f"{_shown(column, result.total(column))} over the deployment"
    spread = bands is not None and not np.array_equal(bands["p5"], bands["p95"])
    if result.samples and not spread:
        subtitle = f"{scenario.name}: {total}; the uncertain inputs do not move it"
    elif result.samples:
        subtitle = (
            f"{scenario.name}: point estimate {total}; bands from {result.samples:,} samples "
            f"({result.method}, seed {result.seed})"
        )
    else:
        subtitle = f"{scenario.name}: {total}; every input is a plain number, so there are no bands"
    _decorate(
        canvas,
        f"Cumulative {what}, month by month",
        subtitle,
        claim_ids([scenario]) if claims else None,
        f"Scenario {scenario.name}: {scenario.title}.",
    )
    return canvas.figure


#: Colours for contingents, in order (the Okabe–Ito palette, colour-blind safe).
_CONTINGENT_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
)


def contingents(
    result: Timeline,
    scenario: Scenario,
    *,
    column: str = "regime_revenue_usd",
    ax: Axes | None = None,
    claims: bool = True,
) -> Figure:
    """Contingents stacked over calendar months: what each brings in, row by row.

    One bar per row of the timeline (a month, or a quarter or year with ``by``), split by
    contingent, labelled with calendar months when the scenario has a ``start``.

    Parameters
    ----------
    result
        What `paymodel.timeline` returned for ``scenario`` (with several contingents).
    scenario
        The scenario followed: its name and claims label the chart.
    column
        A column of each contingent: ``"regime_revenue_usd"`` (default), ``"headcount"``,
        ``"soldier_months"``, ``"paid_usd"``, ….
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it.

    Returns
    -------
    Figure
        The chart's figure; the bars of each row add up to ``result.columns[column]``.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> s = pm.Scenario.model_validate({"name": "two", "start": "2024-10",
    ...     "pay": {"gross_monthly_usd": 2000}, "contingents": [
    ...     {"name": "first", "troops": 100, "months": 3},
    ...     {"name": "second", "start": "2024-12", "troops": 50, "months": 2}]})
    >>> fig = plot.contingents(pm.timeline(s), s)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()][:2]
    ['2024-10', '2024-11']
    """
    _check_scenario("timeline", result.scenario, scenario)
    if not result.contingents:
        raise ArgumentError("contingents: the timeline has one group; use plot.fan instead")
    first = next(iter(result.contingents.values()))
    if column not in first:
        raise UnknownOutputError(f"column: no column named {column!r}; columns: {', '.join(first)}")
    canvas = _canvas(ax, 5.0)
    ax = canvas.ax
    positions = np.arange(len(result.months))
    bottom = np.zeros(len(result.months))
    for index, (name, columns) in enumerate(result.contingents.items()):
        values = np.asarray(columns[column], dtype=np.float64)
        colour = _CONTINGENT_COLOURS[index % len(_CONTINGENT_COLOURS)]
        ax.bar(positions, values, bottom=bottom, color=colour, width=0.85, label=name)
        bottom = bottom + values
    labels = list(result.labels) or [str(int(m)) for m in result.months]
    step = max(1, math.ceil(len(labels) / 12))
    ax.set_xticks(positions[::step], labels[::step], rotation=45 if step == 1 else 0)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    if column != "headcount":
        ax.yaxis.set_major_formatter(_formatter(column))
    what = (
        "soldiers serving at the start"
        if column == "headcount"
        else output_label(column, unit=False).replace(" over the deployment", "")
    )
    ax.set_xlabel("calendar month" if scenario.start is not None else f"{result.by} number")
    unit = "[soldiers]" if column == "headcount" else "[$]" if column.endswith("_usd") else ""
    ax.set_ylabel(f"{what} {unit}".strip())
    _legend(ax)
    total = float(np.sum(bottom)) if column != "headcount" else float(np.max(bottom))
    shown = _shown(column, total) if column != "headcount" else f"{total:,.0f} at most"
    _decorate(
        canvas,
        f"{what[:1].upper()}{what[1:]}, {result.by} by {result.by}, contingent by contingent",
        f"{scenario.name}: {shown}" + (" in all" if column != "headcount" else ""),
        claim_ids([scenario]) if claims else None,
        f"Scenario {scenario.name}: {scenario.title}.",
    )
    return canvas.figure


# Scenarios in one chart: Okabe-Ito's colours, then line styles when there are more.
_SCENARIO_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_SCENARIO_STYLES = ("-", "--", ":")


def running_totals(
    results: Sequence[Timeline],
    scenarios: Sequence[Scenario],
    *,
    column: str = "regime_revenue_usd",
    ax: Axes | None = None,
    claims: bool = True,
) -> Figure:
    """Several scenarios' running totals in one chart, month by month (point estimates).

    One line per scenario, from 0 at month 0 to its total at the end of its deployment,
    labelled at its end with the scenario's name and that total: where several fan charts
    would repeat one straight line each, this one compares them.

    Parameters
    ----------
    results
        What `paymodel.timeline` returned for each scenario, in the same order.
    scenarios
        The scenarios followed: their names label the lines, their claims the chart.
    column
        A column with running totals (`Timeline.cumulative`), e.g. ``"paid_usd"``.
    ax
        Axes to draw in; a new figure when omitted.
    claims
        Name the cited claims under the chart; ``False`` where they are listed beside it.

    Returns
    -------
    Figure
        The chart's figure; line i is ``results[i].cumulative[column]`` from 0.

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel import plot
    >>> chosen = [pm.builtin("nis-estimate"), pm.builtin("casualty-aware")]
    >>> fig = plot.running_totals([pm.timeline(s, samples=0) for s in chosen], chosen)
    >>> [round(float(line.get_ydata()[-1])) for line in fig.axes[0].get_lines()]
    [264000000, 271705500]
    """
    if len(results) != len(scenarios):
        raise ArgumentError(
            f"results: one timeline per scenario, in the same order (got {len(results)} for "
            f"{len(scenarios)} scenarios)"
        )
    for result, scenario in zip(results, scenarios, strict=True):
        _check_scenario("timeline", result.scenario, scenario)
        if column not in result.cumulative:
            raise UnknownOutputError(
                f"column: no running total named {column!r}; columns: "
                f"{', '.join(result.cumulative)}"
            )
    canvas = _canvas(ax, 5.5)
    ax = canvas.ax
    ends: list[tuple[float, float, str, str]] = []
    for index, (result, scenario) in enumerate(zip(results, scenarios, strict=True)):
        months = np.concatenate([[0.0], np.asarray(result.months, dtype=np.float64)])
        totals = np.concatenate([[0.0], np.asarray(result.cumulative[column], dtype=np.float64)])
        colour = _SCENARIO_COLOURS[index % len(_SCENARIO_COLOURS)]
        style = _SCENARIO_STYLES[(index // len(_SCENARIO_COLOURS)) % len(_SCENARIO_STYLES)]
        ax.plot(months, totals, color=colour, linestyle=style, linewidth=2.0, label=scenario.name)
        ends.append((float(months[-1]), float(totals[-1]), scenario.name, colour))
    ax.set_xlim(0, max((e[0] for e in ends), default=1.0) or 1.0)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_formatter(column))
    what = output_label(column, unit=False).replace(" over the deployment", "")
    ax.set_xlabel("months since the deployment began [months]")
    ax.set_ylabel(f"{what} so far [$]")
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(ends)), key=lambda i: -ends[i][1])  # largest total first
    ax.legend(
        [handles[i] for i in order],
        [
            f"{labels[i]}: {_shown(column, ends[i][1])} in {number(round(ends[i][0], 1))} months"
            for i in order
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=9,
        labelspacing=0.7,
    )
    _decorate(
        canvas,
        f"Cumulative {what}, scenario by scenario",
        "point estimates (uncertain inputs at their median), month by month; legend in order "
        "of the total",
        claim_ids(scenarios) if claims else None,
    )
    return canvas.figure
