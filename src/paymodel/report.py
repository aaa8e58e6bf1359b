"""Reports: the answer for several scenarios in one file, with charts, claims and method.

`report` writes either one self-contained HTML page (every chart embedded as an SVG
image, styles inline, no script, no font or request outside the file, so it opens offline)
or a Markdown file with its charts as PNG files in a folder beside it. Both hold, in order,
as an editor reads:

1. the answer: one sentence with the range of take-home and revenue over the scenarios,
   then `paymodel compare`'s table, each headline output's simulated median and 5th–95th
   percentile under its point estimate (HTML; Markdown gives them as a second table), in
   words where the draws pile up at one value or form two clusters (`paymodel.shape`);
2. the overview charts: a soldier's take-home against pay at home, the regime's revenue
   per year, where each promised dollar goes, every scenario's running total;
3. for each scenario (in HTML a closed ``<details>`` section that a click opens): its
   inputs with their claims, the distribution and the tornado of each reported output that
   the uncertain inputs move, its contingents month by month, and the arithmetic of the
   point estimate;
4. every claim cited, one row each (what was claimed, the original headline linked, who
   made it, status, measure, date), and a note on the method.

Everything is computed and drawn in memory first; then the files are written atomically
(`paymodel.files.write_atomic`; for Markdown see `paymodel.chart_folder`: new images, the
text linking to them, then the old images go), so a run that fails or is killed leaves no
partial report behind.

paymodel writes a report over a report it wrote and over nothing else
(`paymodel.files.check_replaceable`, before any work and again just before writing). Its
reports carry a mark: an HTML report's head ``<meta name="generator" content="paymodel
VERSION">``, a Markdown report's last line (``Written by paymodel VERSION ...``, which also
tells a reader that the file is replaced); a report from before the marks (paymodel 0.1)
is known by its first lines (`_written_by_paymodel`).
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import shlex
import struct
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from paymodel import plot
from paymodel.arguments import check_choice, check_texts, check_type, check_whole
from paymodel.catalogue import load
from paymodel.chart_folder import check_chart_folder, image_folder, link_target, write_markdown
from paymodel.compare import (
    SIMULATED_COLUMNS,
    Comparison,
    check_through,
    compare,
    scenario_sources,
)
from paymodel.currency import twin_code
from paymodel.display import output_value, output_values, terminal_text
from paymodel.errors import ArgumentError, ScenarioError
from paymodel.explain import Explanation, InputLine, explain
from paymodel.files import check_replaceable, file_kind, shown_name, write_atomic
from paymodel.limits import MAX_ARRAY_VALUES, check_array_values
from paymodel.measures import warn_misfits
from paymodel.outputs import output_key
from paymodel.sampling import Seed, entropy_of
from paymodel.scenario import Scenario, claim_ids
from paymodel.sensitivity import tornado
from paymodel.shape import describe
from paymodel.simulate import Simulation, kept_columns, simulate
from paymodel.sources import Claim, claim
from paymodel.text import text_problem
from paymodel.timeline import Timeline, point_values, timeline
from paymodel.workers import check_executor

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_OUTPUTS",
    "FORMATS",
    "MAX_REPORT_SAMPLES",
    "image_folder",
    "report",
    "report_format",
]

#: The formats `report` writes.
FORMATS: tuple[str, ...] = ("html", "md")

#: The outputs whose distribution and tornado each scenario shows, unless told otherwise.
DEFAULT_OUTPUTS: tuple[str, ...] = ("regime_revenue_per_year_usd", "take_home_per_tour_usd")

#: The most samples per scenario a report draws (it keeps them all for the histograms).
MAX_REPORT_SAMPLES = 1_000_000

#: Charts are laid out at 100 dots per inch and saved at twice that, then shown at half
#: their pixel size: the text reads as on the page, and stays sharp on dense screens.
_DPI = 200
_SHOWN_PER_PIXEL = 0.5


@dataclass(frozen=True)
class _Chart:
    """One chart, drawn: a file stem, a description (the image's alt text) and PNG bytes."""

    stem: str
    description: str
    png: bytes
    svg: bytes = b""

    @property
    def size(self) -> tuple[int, int]:
        """Width and height in pixels, from the PNG header."""
        width, height = struct.unpack(">II", self.png[16:24])
        return int(width), int(height)


@dataclass(frozen=True)
class _ScenarioPart:
    """What the report says about one scenario."""

    scenario: Scenario
    explanation: Explanation
    charts: tuple[_Chart, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Content:
    """Everything a report shows, computed and drawn, ready to be written out."""

    title: str
    comparison: Comparison
    simulations: tuple[Simulation, ...]
    overview: tuple[_Chart, ...]
    parts: tuple[_ScenarioPart, ...]
    claims: tuple[Claim, ...]
    samples: int
    seed: int
    outputs: tuple[str, ...]
    command: str
    version: str

    @property
    def charts(self) -> list[_Chart]:
        """Every chart, in the order the report shows them."""
        return [*self.overview, *(chart for part in self.parts for chart in part.charts)]


def _chart(stem: str, description: str, figure: Figure) -> _Chart:
    """Draw a chart as PNG (for Markdown) and as SVG (for HTML: sharp at any size, small)."""
    from matplotlib import rc_context

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, facecolor="white")
    vector = io.BytesIO()
    # Text stays text (far smaller than outlines; the page's own sans-serif draws it), and a
    # fixed salt makes the SVG's ids the same from run to run.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "paymodel"}):
        figure.savefig(vector, format="svg", facecolor="white", metadata={"Date": None})
    return _Chart(stem=stem, description=description, png=buffer.getvalue(), svg=vector.getvalue())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "scenario"


def _scenario_part(
    scenario: Scenario,
    simulation: Simulation,
    line: Timeline,
    outputs: Sequence[str],
    index: int,
    through: str | int | None = None,
) -> _ScenarioPart:
    """One scenario's charts and notes, from its simulation and point-estimate timeline.

    Nothing here draws samples (a tornado moves each input to two fixed percentiles; the
    timeline is the point estimate), so no executor is needed: the report's sampling is
    its simulations, which `_content` runs on the executor.
    """
    slug = f"{index + 1:02d}-{_slug(scenario.name)}"
    charts: list[_Chart] = []
    notes: list[str] = []
    uncertain = scenario.uncertain_inputs()
    if not uncertain:
        notes.append(
            "Every input of this scenario is a plain number, so no output has a spread: "
            "there is no distribution or tornado to draw."
        )
    for output in outputs if uncertain else ():
        words = plot.output_label(output, unit=False)
        stats = simulation.statistics(output)
        if plot.histogram_edges(simulation.values(output), 2) is None:  # rounding at most
            notes.append(
                f"{words.capitalize()} does not depend on this scenario's uncertain inputs "
                f"({', '.join(uncertain)}): every sample gives "
                f"{output_value(output, stats['p50'])}."
            )
            continue
        charts.append(
            _chart(
                f"{slug}-{_slug(output)}-distribution",
                f"{scenario.name}: distribution of {words} over {simulation.samples:,} "
                "samples, with its 5th, 50th and 95th percentiles",
                plot.distribution(simulation, output, scenario, claims=False),
            )
        )
        charts.append(
            _chart(
                f"{slug}-{_slug(output)}-tornado",
                f"{scenario.name}: which uncertain input moves {words} most",
                plot.tornado(tornado(scenario, output, through=through), scenario, claims=False),
            )
        )
    # The running totals of every scenario are one overview chart; a scenario of several
    # contingents also shows them month by month (point estimates).
    if line.contingents:
        charts.append(
            _chart(
                f"{slug}-contingents",
                f"{scenario.name}: soldiers serving and the regime's revenue each month, "
                "contingent by contingent",
                plot.contingents(line, scenario, claims=False),
            )
        )
    return _ScenarioPart(
        scenario=scenario,
        explanation=explain(scenario, through=through),
        charts=tuple(charts),
        notes=tuple(notes),
    )


def _cited_claims(scenarios: Sequence[Scenario]) -> tuple[Claim, ...]:
    """Each claim the scenarios cite once (an alias counts as its claim), sorted by id."""
    found = {c.id: c for c in (claim(cid) for cid in claim_ids(scenarios))}
    return tuple(found[cid] for cid in sorted(found))


def _content(
    scenarios: Sequence[Scenario],
    samples: int,
    seed: int,
    outputs: tuple[str, ...],
    title: str,
    command: str,
    through: str | int | None = None,
    executor: Executor | None = None,
) -> _Content:
    from paymodel import __version__

    # Every scenario's samples are kept at once, for the histograms, beside one timeline
    # per scenario for the charts month by month (every scenario's running total, each
    # one's contingents). Those are point estimates, a few hundred values for a built-in
    # (`point_values`, counted before any work): the samples may fill what they leave.
    check_array_values(
        "report",
        {"samples": samples, "kept values a sample": sum(kept_columns(s) for s in scenarios)},
        "use fewer samples (--samples) or fewer scenarios",
        limit=MAX_ARRAY_VALUES - sum(point_values(s, through) for s in scenarios),
    )
    lines = tuple(timeline(s, samples=0, through=through) for s in scenarios)
    # compare simulates the scenarios with distributions (every draw kept); the others are
    # drawn here too, from the same seed, for the charts that show every scenario.
    comparison = compare(scenarios, through=through, samples=samples, seed=seed, executor=executor)
    simulations = tuple(
        comparison.simulation(i)
        or simulate(s, samples, seed=seed, keep_samples=True, through=through, executor=executor)
        for i, s in enumerate(scenarios)
    )
    overview = (
        _chart(
            "take-home",
            "What one soldier takes home per month in each scenario, against pay at home, "
            "as dots on a logarithmic scale",
            plot.take_home(comparison, simulations, claims=False),
        ),
        _chart(
            "revenue",
            "What the regime earns per year in each scenario, with 90 % intervals",
            plot.revenue(comparison, simulations, claims=False),
        ),
        _chart(
            "dollar-split",
            "Where each promised dollar goes in each scenario: undelivered, goods, each "
            "layer, the soldiers",
            plot.dollar_split(comparison, claims=False),
        ),
        _chart(
            "running-totals",
            "The regime's revenue month by month, every scenario in one chart (point estimates)",
            plot.running_totals(list(lines), scenarios, claims=False),
        ),
    )
    parts = tuple(
        _scenario_part(s, sim, line, outputs, i, through)
        for i, (s, sim, line) in enumerate(zip(scenarios, simulations, lines, strict=True))
    )
    return _Content(
        title=title,
        comparison=comparison,
        simulations=simulations,
        overview=overview,
        parts=parts,
        claims=_cited_claims(scenarios),
        samples=samples,
        seed=seed,
        outputs=outputs,
        command=command,
        version=__version__,
    )


# -- the words of the report, shared by both formats --------------------------------------

_LEAD = (
    "What one soldier takes home and what the regime earns when a state sends its soldiers "
    "abroad for pay, under each scenario's assumptions, every input traced to dated public "
    "claims."
)
_POINT_NOTE = (
    "Point estimates put every uncertain input at its median; the regime's total covers the "
    "months shown beside it."
)
_SIMULATED_NOTE = (
    "For a scenario with distributions, the simulation: median [5th–95th percentile], or "
    "the shape in words where the draws pile up at one value or form two clusters (a median "
    'there can fall where no draw lies); "no spread" where its uncertain inputs do not move '
    "the output."
)
_TABLE_NOTE = (
    "Each cell: the point estimate (every uncertain input at its median) and, under it in "
    "grey for a scenario with distributions, the simulation's median [5th–95th percentile], "
    "or the shape in words where the draws pile up at one value or form two clusters (a "
    'median there can fall where no draw lies); "no spread" where its uncertain inputs do '
    "not move the output. The regime's total covers the months shown beside it."
)
_METHOD = (
    "A scenario is a set of assumptions, each a plain number or a probability distribution. "
    "Of every dollar the paying state promises, a share is actually delivered (the rest is "
    "arrears or credit); of what is delivered, a share arrives as goods (oil, food, "
    "equipment) that go to the state and never to soldiers. The cash then passes down an "
    "ordered chain of layers (a treasury, the party, commanders, upkeep): each takes a "
    "share of what reaches it, or a fixed quota per soldier-month, and the soldier keeps "
    "what is left. Headcount, length of the deployment, tour length and the monthly death "
    "rate give the soldier-months paid, the deaths and the number of individuals who serve; "
    "signing bonuses and death benefits pass through the share layers only. The regime's "
    "revenue is the goods plus every layer's take, and money is conserved: what is paid "
    "equals the regime's revenue plus what the soldiers keep."
)
_UNCERTAINTY = (
    "Point estimates put every distribution at its median. The intervals and histograms "
    "draw {samples:,} samples of the uncertain inputs per scenario from seed {seed} (the "
    "same seed repeats the report exactly); a tornado moves one input at a time from its 5th "
    "to its 95th percentile with the others at their medians; the timeline spreads the "
    "deployment over its months. Every input cites the public claims it rests on, or is "
    "marked as an assumption with the scenario's reason for it; a claim marked unverified or "
    "conflicting is one the sources do not settle. The figures are what the stated "
    "assumptions imply, not measurements."
)
_CLAIMS_NOTE = (
    "One row per claim: what was claimed, the original report's headline (linked where its "
    "address is known; following a link leaves this offline page) and who made the claim, "
    "its status, what it measures and its date. {command} prints one with every outlet "
    "that reported it and a note."
)
#: The claims table: one row per claim, long texts in the two wide columns.
_CLAIM_HEADERS = ("id", "claim", "original report · claimed by", "status", "measure", "date")


def _count(scenarios: int) -> str:
    return f"{scenarios} scenario" + ("" if scenarios == 1 else "s")


@dataclass(frozen=True)
class _Answer:
    """The comparison table: `paymodel compare`'s point estimates, the simulation under them.

    Attributes
    ----------
    headers, right
        Compare's columns and their alignment.
    points
        Compare's rows of point estimates, one per scenario.
    simulated
        The same shape: under each headline output (`compare`'s simulated columns) of a
        scenario with distributions, its simulated median [5th–95th percentile] or the
        shape in brief words, or "no spread", and "simulated" under its name; "" elsewhere.
    uncertain
        Per row, whether the scenario has distributions (a simulation).
    """

    headers: tuple[str, ...]
    right: tuple[bool, ...]
    points: list[tuple[str, ...]]
    simulated: list[tuple[str, ...]]
    uncertain: list[bool]

    @property
    def simulated_columns(self) -> list[int]:
        """The columns that have a simulated value, the scenario's name first."""
        return [0, *(i for i, h in enumerate(self.headers) if h in _SIMULATED_HEADERS)]


#: Compare's headers of the outputs whose simulation the answer shows: the headline outputs.
_SIMULATED_HEADERS = {title: name for name, title in SIMULATED_COLUMNS}


def _simulated(comparison: Comparison, index: int, name: str, cents: bool) -> str:
    """One simulated cell: "no spread" when the draws do not move, else compare's cell."""
    shape = comparison.shape(index, name)
    if shape is None:
        return ""
    if shape.plain and shape.p5 == shape.p95:
        return "no spread"
    return comparison.simulated_cell(index, name, cents=cents)


def _answer(content: _Content) -> _Answer:
    """`_Answer` for the report; dollars in one style per column (`Comparison.cents`)."""
    comparison = content.comparison
    headers, points, right = comparison._table()
    cents = {name: comparison.cents(name) for name in _SIMULATED_HEADERS.values()}
    uncertain = [comparison.simulation(i) is not None for i in range(len(points))]
    simulated = [
        tuple(
            _simulated(comparison, index, _SIMULATED_HEADERS[h], cents[_SIMULATED_HEADERS[h]])
            if h in _SIMULATED_HEADERS and uncertain[index]
            else ("simulated" if column == 0 and uncertain[index] else "")
            for column, h in enumerate(headers)
        )
        for index in range(len(points))
    ]
    return _Answer(tuple(headers), tuple(right), list(points), simulated, uncertain)


def _extremes(comparison: Comparison, name: str) -> tuple[str, str]:
    """The lowest and highest point estimate of an output, each with its scenarios.

    The two amounts in one money style of their own (a sentence, not the table's column).
    """
    values = [float(r.outputs[name]) for r in comparison.results]
    low, high = min(values), max(values)
    shown = dict(zip((low, high), output_values(name, [low, high], compact=True), strict=True))

    def at(value: float) -> str:
        names = [s.name for s, v in zip(comparison.scenarios, values, strict=True) if v == value]
        who = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        return f"{shown[value]} ({who})"

    return at(low), at(high)


def _headline(content: _Content) -> str:
    """The answer in one sentence: the range of take-home and revenue over the scenarios."""
    comparison = content.comparison
    if len(comparison.scenarios) == 1:
        result = comparison.results[0]
        take_home = output_value("take_home_monthly_usd", result.take_home_monthly_usd)
        revenue = output_value(
            "regime_revenue_per_year_usd", result.regime_revenue_per_year_usd, compact=True
        )
        return (
            f"At the point estimate of {comparison.scenarios[0].name}, a soldier takes home "
            f"{take_home} a month and the regime earns {revenue} a year."
        )
    low_pay, high_pay = _extremes(comparison, "take_home_monthly_usd")
    low_revenue, high_revenue = _extremes(comparison, "regime_revenue_per_year_usd")
    return (
        f"Across the {len(comparison.scenarios)} scenarios' point estimates, a soldier takes "
        f"home from {low_pay} to {high_pay} a month, and the regime earns from {low_revenue} "
        f"to {high_revenue} a year."
    )


def _answer_notes(content: _Content) -> list[str]:
    """Each headline output whose draws have a point mass or two clusters, in words.

    In the money style of the output's column, so the words and the table agree.
    """
    comparison = content.comparison
    notes = []
    for index, scenario in enumerate(comparison.scenarios):
        for name in _SIMULATED_HEADERS.values():
            shape = comparison.shape(index, name)
            if shape is not None and not shape.plain:
                words = describe(name, shape, cents=comparison.cents(name))
                notes.append(f"{scenario.name}, {plot.output_label(name, unit=False)}: {words}.")
    return notes


def _original(c: Claim) -> str | None:
    """The original report's address, when the registry has a web address for it."""
    return c.url if c.url and c.url.startswith(("https://", "http://")) else None


def _claim_headline(c: Claim) -> str:
    """What the claims table links: the original headline, else where it was reported."""
    if c.title:
        return c.title
    return "the original report" if _original(c) is not None else c.reported_in


def _claim_what(c: Claim) -> str:
    return f"{c.quantity}: {c.figure()}"


def _scenarios_intro(content: _Content) -> str:
    shown = " and of ".join(plot.output_label(o, unit=False) for o in content.outputs)
    uncertain = (
        f" when some input is uncertain, the distribution of {shown} and the inputs that move "
        "it most;"
        if shown
        else ""
    )
    return (
        f"For each scenario: its inputs and the claims behind them;{uncertain} the regime's "
        "revenue month by month when it has several contingents; and the arithmetic of its "
        "point estimate."
    )


# -- HTML ---------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #222; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 1120px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
/* Tables and charts may use the width; prose keeps lines a reader can follow. */
main p, main ul, nav { max-width: 62rem; }
h1 { font-size: 1.9rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.45rem; margin-top: 2.5rem; border-bottom: 2px solid #ddd;
  padding-bottom: 0.2rem; }
.lead { color: #444; font-size: 1.05rem; }
.headline { font-size: 1.15rem; font-weight: 600; }
.meta { color: #555; font-size: 0.9rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.88em; background: #f4f4f4; padding: 0.05em 0.3em; border-radius: 3px; }
pre { background: #f6f6f6; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
table { border-collapse: collapse; margin: 0.75rem 0 1.25rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 0.3rem 0.6rem; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
td { font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; }
.nowrap { white-space: nowrap; }
.num { text-align: right; }
#answer table { font-size: 0.88rem; }
#answer th { vertical-align: bottom; }
#answer td { white-space: nowrap; }
#answer th, #answer td { padding: 0.3rem 0.45rem; }
#answer td .sim { display: block; white-space: normal; font-size: 0.8rem; color: #555; }
#claims table { font-size: 0.82rem; }
#claims td { padding: 0.2rem 0.5rem; }
.who { color: #555; }
figure { margin: 1.5rem 0 2.25rem; }
figure img { max-width: 100%; height: auto; display: block; }
.status-unverified, .status-conflicting { font-weight: 600; }
.status-unverified { color: #8a5a00; }
.status-conflicting { color: #a0001c; }
nav p { margin: 0.2rem 0; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; color: #0b5394; }
details.scenario { margin: 0; border-bottom: 1px solid #e2e2e2; }
details.scenario > summary { padding: 0.45rem 0; font-size: 1.05rem; }
details.scenario > summary .name { font-weight: 600; color: #222; }
details.scenario[open] { padding-bottom: 1rem; }
.note { background: #f7f7f2; border-left: 4px solid #c9c29a; padding: 0.5rem 0.75rem; }
div.note p, div.note ul { margin: 0.2rem 0; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_figure(chart: _Chart) -> str:
    width, height = chart.size
    data = base64.b64encode(chart.svg).decode("ascii")
    return (
        f'<figure id="chart-{_e(chart.stem)}"><img src="data:image/svg+xml;base64,{data}" '
        f'width="{round(width * _SHOWN_PER_PIXEL)}" height="{round(height * _SHOWN_PER_PIXEL)}" '
        f'alt="{_e(chart.description)}"></figure>'
    )


#: Where a simulated cell may break across lines: before its interval, after a point mass.
_SIM_BREAKS = re.compile(r" (?=\[)|(?<=,) (?=else )|(?<= /) ")
#: The space inside "$237.6 M" or "$1.34 bn", which must not break.
_UNIT_SPACE = re.compile(r"(?<=\d) (?=M\b|bn\b)")


def _html_text(text: str) -> str:
    """Escaped text whose amounts never break: "$237.6 M" keeps its unit on its line."""
    return _UNIT_SPACE.sub("\u00a0", _e(text))


def _html_names(text: str, scenarios: Sequence[Scenario]) -> str:
    """`_html_text`, each scenario's name kept on one line (names have hyphens)."""
    shown = _html_text(text)
    names = sorted((_e(s.name) for s in scenarios), key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in names))
    return pattern.sub(lambda m: f'<span class="nowrap">{m[0]}</span>', shown)


def _html_simulated(text: str) -> str:
    """A simulated cell as unbreakable pieces, which wrap only between them.

    The median, then its interval, on two lines when the column is narrow; never a break
    inside an amount or an interval.
    """
    pieces = _SIM_BREAKS.split(text)
    return " ".join(f'<span class="nowrap">{_html_text(piece)}</span>' for piece in pieces)


def _html_answer(answer: _Answer) -> str:
    """The comparison table: each cell the point estimate, the simulation under it in grey."""
    align = ["num" if right else "" for right in answer.right]
    # The regime's revenue a year in another currency (compare's last column, DESIGN §7)
    # goes under the dollars in their cell, so that the table keeps to the page's width.
    year = answer.headers.index("regime/year")
    twin = next(
        (i for i, h in enumerate(answer.headers) if h.startswith("regime/year") and i != year),
        None,
    )
    shown = [i for i in range(len(answer.headers)) if i != twin]
    headers = list(answer.headers)
    if twin is not None:  # "regime/year in KRW", or "regime/year, other" for several
        other = headers[twin].removeprefix("regime/year").strip(", ")
        headers[year] += f" (and {other})" if other.startswith("in ") else " (and in its currency)"
    head = "".join(
        f'<th class="{align[i]}">{_e(headers[i])}</th>'
        if align[i]
        else f"<th>{_e(headers[i])}</th>"
        for i in shown
    )
    rows = []
    for points, simulated in zip(answer.points, answer.simulated, strict=True):
        cells = []
        for i in shown:
            point, sim, a = _html_text(points[i]), simulated[i], align[i]
            if i == year and twin is not None and points[twin] != "—":
                point += f'<br><span class="twin">{_html_text(points[twin])}</span>'
            under = f'<span class="sim">{_html_simulated(sim)}</span>' if sim else ""
            opening = f'<td class="{a}">' if a else "<td>"
            cells.append(f"{opening}{point}{under}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _html_notes(notes: Sequence[str]) -> str:
    """The outputs whose median would mislead, said in words: one box, one line each."""
    if not notes:
        return ""
    items = "".join(f"<li>{_html_text(note)}</li>" for note in notes)
    return f'<div class="note"><p>Where a median would mislead:</p><ul>{items}</ul></div>'


def _html_claim_row(c: Claim) -> str:
    """One row of the claims table; the headline links to the original report.

    A link the reader may follow, never a request the page makes. Every outlet that
    reported the claim is the link's tooltip (`paymodel sources ID` prints them too).
    """
    where = _e(f"reported in {c.reported_in}")
    url = _original(c)
    shown = _e(_claim_headline(c))
    if url is not None:
        shown = f'<a href="{_e(url)}" rel="noreferrer noopener" title="{where}">{shown}</a>'
    elif c.title:
        shown = f'<span title="{where}">{shown}</span>'
    cells = [
        f'<td class="nowrap">{_e(c.id)}</td>',
        f"<td>{_e(_claim_what(c))}</td>",
        f'<td>{shown} <span class="who">— {_e(c.claimed_by)}</span></td>',
        f'<td class="nowrap status-{_e(c.status)}">{_e(c.status)}</td>',
        f'<td class="nowrap">{_e(c.measure.replace("_", " "))}</td>',
        f'<td class="nowrap">{_e(c.when)}</td>',
    ]
    return f'<tr id="claim-{_e(c.id)}">{"".join(cells)}</tr>'


def _claim_link(cid: str) -> str:
    c = claim(cid)
    where = f"{c.claimed_by}; reported in {c.reported_in}; {c.when}"
    status = (
        ""
        if c.status == "reported"
        else (f' <span class="status-{_e(c.status)}">({_e(c.status)})</span>')
    )
    return f'<a class="nowrap" href="#claim-{_e(c.id)}" title="{_e(where)}">{_e(cid)}</a>{status}'


def _part_summary(part: _ScenarioPart) -> str:
    """What a closed scenario section says: its name and title, its claims and charts."""
    s = part.scenario
    charts = len(part.charts)
    facts = [
        f"{len(s.sources)} claim" + ("" if len(s.sources) == 1 else "s"),
        f"{charts} chart" + ("" if charts == 1 else "s") if charts else "no chart",
    ]
    uncertain = len(s.uncertain_inputs())
    if uncertain:
        facts.insert(0, f"{uncertain} uncertain input" + ("" if uncertain == 1 else "s"))
    return (
        f'<summary><span class="name">{_e(s.name)}: {_e(s.title)}</span> '
        f'<span class="meta">· {" · ".join(facts)}</span></summary>'
    )


def _html_part(part: _ScenarioPart) -> str:
    """One scenario, closed: its summary line opens its inputs, charts and arithmetic."""
    s = part.scenario
    out = [
        f'<details class="scenario" id="scenario-{_e(_slug(s.name))}">',
        _part_summary(part),
    ]
    if s.description:
        out.append(f"<p>{_e(' '.join(s.description.split()))}</p>")
    rows = "".join(
        f"<tr><td><code>{_e(line.path)}</code></td><td>{_e(line.given)}</td><td>"
        + _basis(", ".join(_claim_link(cid) for cid in line.claims), line, _e, "<em>{}</em>")
        + "</td></tr>"
        for line in part.explanation.inputs
    )
    out.append(
        '<div class="wide"><table><thead><tr><th>input</th><th>value used</th>'
        f"<th>claims</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
    cited = ", ".join(_claim_link(cid) for cid in s.sources) or "none"
    out.append(f'<p class="meta">Claims the scenario rests on: {cited}.</p>')
    out += [f'<p class="note">{_e(note)}</p>' for note in part.notes]
    out += [_html_figure(chart) for chart in part.charts]
    steps = "\n".join(f"{name}: {text}" for name, text in part.explanation.steps)
    out += [
        f"<details><summary>The arithmetic of {_e(s.name)} (point estimate)</summary>"
        f"<pre>{_e(steps)}</pre></details>",
        "</details>",
    ]
    return "\n".join(out)


def _html(content: _Content) -> str:
    scenarios = content.comparison.scenarios
    links = " · ".join(
        f'<a class="nowrap" href="#scenario-{_e(_slug(s.name))}">{_e(s.name)}</a>'
        for s in scenarios
    )
    claim_rows = "".join(_html_claim_row(c) for c in content.claims)
    claim_head = "".join(f"<th>{_e(h)}</th>" for h in _CLAIM_HEADERS)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        _GENERATOR.format(version=_e(content.version)),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing outside the file may load: images are data, styles inline, no scripts.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{_e(content.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        f"<h1>{_e(content.title)}</h1>",
        f'<p class="lead">{_e(_LEAD)}</p>',
        f'<p class="meta">paymodel {_e(content.version)} · {_count(len(scenarios))} · '
        f"{content.samples:,} samples per scenario · seed {content.seed} · to repeat: "
        f"<code>{_e(content.command)}</code></p>",
        '<nav><p><a href="#answer">The answer</a> · <a href="#charts">Charts</a> · '
        '<a href="#scenarios">Scenarios</a> · <a href="#claims">Claims cited</a> · '
        f'<a href="#method">Method</a></p><p class="meta">Scenarios: {links}</p></nav>',
        '<section id="answer"><h2>The answer, scenario by scenario</h2>',
        f'<p class="headline">{_html_names(_headline(content), scenarios)}</p>',
        f'<div class="wide">{_html_answer(_answer(content))}</div>',
        f'<p class="meta">{_e(_TABLE_NOTE)}</p>',
        _html_notes(_answer_notes(content)),
        "</section>",
        '<section id="charts"><h2>Charts</h2>',
        *(_html_figure(chart) for chart in content.overview),
        "</section>",
        f'<section id="scenarios"><h2>Scenarios</h2><p>{_e(_scenarios_intro(content))} '
        "Open a scenario to see them.</p>",
        *(_html_part(part) for part in content.parts),
        "</section>",
        '<section id="claims"><h2>Claims cited</h2>',
        f"<p>{_e(_CLAIMS_NOTE).format(command='<code>paymodel sources ID</code>')}</p>",
        f'<div class="wide"><table><thead><tr>{claim_head}</tr></thead>'
        f"<tbody>{claim_rows}</tbody></table></div>",
        "</section>",
        '<section id="method"><h2>Method</h2>',
        f"<p>{_e(_METHOD)}</p>",
        f"<p>{_e(_UNCERTAINTY.format(samples=content.samples, seed=content.seed))}</p>",
        "</section>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


# -- Markdown -----------------------------------------------------------------------------

# Characters that are markup anywhere in a line (parentheses only after a bracket, and
# brackets are escaped), and those that are markup at its start (headings, quotes, lists).
# HTML's own characters become entities, which every Markdown renderer shows as text (some
# do not honour a backslash before "<"); a backslash escapes the rest.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_MD_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MD_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-=+#])")


def _m(text: object) -> str:
    r"""Text as Markdown that shows it literally, on one line.

    Every character that could start emphasis, a link, code, HTML, a table cell or a
    formula (``$`` for renderers with maths) is escaped, and so is a start that would make
    a list or a heading rule; control characters are shown as escapes
    (`paymodel.display.terminal_text`).

    Examples
    --------
    >>> print(_m("- *a* <b> | $2,000 [x](y) (z) -> w & co"))
    \- \*a\* &lt;b&gt; \| \$2,000 \[x\](y) (z) -&gt; w &amp; co
    >>> print(_m("1. first"), _m("1.5 %"), _m("# no heading"), _m("-3"))
    1\. first 1.5 % \# no heading \-3
    """
    one_line = terminal_text(" ".join(str(text).split()), lines=False)
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line).translate(_MD_ENTITIES)
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def _md_code(text: str) -> str:
    """Text as an inline code span that nothing in it can end: ``x`y`` → ````` ``x`y`` `````.

    The fence is one backtick longer than the longest run of backticks in the text, and
    spaces pad it when the text starts or ends with one (CommonMark's rule); inside a code
    span HTML is never markup.

    Examples
    --------
    >>> print(_md_code("paymodel run a.toml"), _md_code("x`<img>`.json"))
    `paymodel run a.toml` `` x`<img>`.json ``
    """
    text = terminal_text(text, lines=False)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if longest else text
    return f"{fence}{padded}{fence}"


def _md_fenced(lines: Sequence[str], language: str = "text") -> list[str]:
    """A fenced code block that no line of it can close (its fence is longer than any run)."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", *(terminal_text(line, lines=False) for line in lines), fence]


def _md_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    markdown: Sequence[bool] = (),
) -> str:
    """A pipe table; cells are escaped except in the columns ``markdown`` marks."""
    marked = list(markdown) or [False] * len(headers)
    lines = [
        "| " + " | ".join(_m(h) for h in headers) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    lines += [
        "| " + " | ".join(c if raw else _m(c) for c, raw in zip(row, marked, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def _md_figure(chart: _Chart, folder: str) -> str:
    """The chart as an image; ``folder`` is the link to its folder, already percent-encoded."""
    return f"![{_m(chart.description)}]({folder}/{link_target(chart.stem)}.png)"


def _basis(claims: str, line: InputLine, escape: Callable[[object], str], emphasis: str) -> str:
    """An input's cell of claims: the claims, then its assumption marker or reason, or "—"."""
    if not line.basis:
        return claims or "—"
    marked = emphasis.format(escape(line.basis))
    return f"{claims} — {marked}" if claims else marked


def _md_claims(ids: Sequence[str]) -> str:
    shown = []
    for cid in ids:
        status = claim(cid).status
        shown.append(_m(cid if status == "reported" else f"{cid} ({status})"))
    return ", ".join(shown) or "—"


def _md_claim_row(c: Claim) -> list[str]:
    """One row of the claims table: the headline linked to the original report."""
    shown = _m(_claim_headline(c))
    url = _original(c)
    if url is not None:
        shown = f"[{shown}](<{url.replace('>', '%3E')}>)"
    where = "" if _claim_headline(c) == c.reported_in else f"; reported in {_m(c.reported_in)}"
    source = f"{shown} — {_m(c.claimed_by)}{where}"
    return [
        _m(c.id),
        _m(_claim_what(c)),
        source,
        _m(c.status),
        _m(c.measure.replace("_", " ")),
        _m(c.when),
    ]


def _md_answer(content: _Content) -> list[str]:
    """The comparison as two tables: the point estimates, then the simulated values."""
    answer = _answer(content)
    out = [_m(_POINT_NOTE), "", _md_table(answer.headers, answer.points, answer.right), ""]
    if any(answer.uncertain):
        columns = answer.simulated_columns
        rows = [
            [points[0], *(simulated[i] for i in columns[1:])]
            for points, simulated, uncertain in zip(
                answer.points, answer.simulated, answer.uncertain, strict=True
            )
            if uncertain
        ]
        headers = [answer.headers[i] for i in columns]
        right = [answer.right[i] for i in columns]
        out += [_m(_SIMULATED_NOTE), "", _md_table(headers, rows, right), ""]
    return out


def _markdown(content: _Content, folder: str) -> str:
    scenarios = content.comparison.scenarios
    out = [
        f"# {_m(content.title)}",
        "",
        _m(_LEAD),
        "",
        f"paymodel {_m(content.version)} · {_count(len(scenarios))} · {content.samples:,} "
        f"samples per scenario · seed {content.seed} · to repeat: {_md_code(content.command)}",
        "",
        "## The answer, scenario by scenario",
        "",
        _m(_headline(content)),
        "",
        *_md_answer(content),
        *(f"> {_m(note)}\n" for note in _answer_notes(content)),
        "## Charts",
        "",
    ]
    for chart in content.overview:
        out += [_md_figure(chart, folder), ""]
    out += ["## Scenarios", "", _m(_scenarios_intro(content)), ""]
    for part in content.parts:
        s = part.scenario
        out += [f"### {_m(s.name)}: {_m(s.title)}", ""]
        if s.description:
            out += [_m(s.description), ""]
        rows = [
            [x.path, x.given, _basis(_md_claims(x.claims) if x.claims else "", x, _m, "{}")]
            for x in part.explanation.inputs
        ]
        out += [
            _md_table(["input", "value used", "claims"], rows, [False] * 3, [False, False, True]),
            "",
            f"Claims the scenario rests on: {_md_claims(s.sources)}.",
            "",
        ]
        out += [f"> {_m(note)}\n" for note in part.notes]
        for chart in part.charts:
            out += [_md_figure(chart, folder), ""]
        out += [f"The arithmetic of {_m(s.name)} (point estimate):", ""]
        out += _md_fenced([f"{name}: {text}" for name, text in part.explanation.steps])
        out += [""]
    out += [
        "## Claims cited",
        "",
        _m(_CLAIMS_NOTE).format(command=_md_code("paymodel sources ID")),
        "",
        _md_table(
            _CLAIM_HEADERS,
            [_md_claim_row(c) for c in content.claims],
            [False] * len(_CLAIM_HEADERS),
            [True] * len(_CLAIM_HEADERS),
        ),
        "",
        "## Method",
        "",
        _m(_METHOD),
        "",
        _m(_UNCERTAINTY.format(samples=content.samples, seed=content.seed)),
        "",
        _MD_MARK.format(version=_m(content.version)),
        "",
    ]
    return "\n".join(out)


# -- writing ------------------------------------------------------------------------------

# How paymodel knows a report it wrote, to write over it and over nothing else
# (`paymodel.files.check_replaceable`). Every report carries a mark: HTML in its head,
# right after the charset, Markdown as its last line, which also tells a reader that the
# file is replaced when the report is written again. Reports written before the marks
# (paymodel 0.1) are known by their first lines, which have never changed.
_HTML_START = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
_GENERATOR = '<meta name="generator" content="paymodel {version}">'
_MD_MARK = (
    "Written by paymodel {version} (`paymodel report`), which replaces this file when it "
    "writes a report to it again; edit a copy."
)
_MD_MARKED = re.compile(
    "^" + re.escape(_MD_MARK).replace(re.escape("{version}"), r"\S+") + r"\s*\Z", re.MULTILINE
)
_HTML_BEFORE_MARKS = re.compile(
    re.escape(
        _HTML_START + '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n<title>"
    )
    + r'.*?<p class="meta">paymodel \S+ · [^\n]+? samples per scenario · seed \d+ · '
    r"to repeat: <code>paymodel report ",
    re.DOTALL,
)
_MD_BEFORE_MARKS = re.compile(
    r"# [^\n]*\n\n[^\n]*\n\npaymodel \S+ · [^\n]+ samples per scenario · seed \d+ · "
    r"to repeat: `+ ?paymodel report "
)


def _written_by_paymodel(head: bytes, tail: bytes) -> bool:
    r"""Whether a file is a report paymodel wrote (either format), from its first and last bytes.

    Parameters
    ----------
    head, tail
        The file's first and last `paymodel.files.MARK_BYTES` bytes.

    Examples
    --------
    >>> page = _HTML_START + _GENERATOR.format(version="0.1.0") + "\n<title>x</title>"
    >>> _written_by_paymodel(page.encode(), page.encode())
    True
    >>> notes = b"# My notes\n\nWritten by me.\n"
    >>> _written_by_paymodel(notes, notes)
    False
    """
    start = head.decode("utf-8", errors="replace")
    end = tail.decode("utf-8", errors="replace")
    return (
        start.startswith(_HTML_START + _GENERATOR.split("{")[0])
        or _MD_MARKED.search(end) is not None
        or _HTML_BEFORE_MARKS.match(start) is not None
        or _MD_BEFORE_MARKS.match(start) is not None
    )


def _check_target(target: Path) -> None:
    """Refuse, in one line, a name that holds anything but a report paymodel wrote.

    Called before any work and again just before writing, in case a file has appeared in
    the meantime (`paymodel.files.check_replaceable`).
    """
    try:
        check_replaceable(
            target,
            _written_by_paymodel,
            what="report",
            remedy="choose another name for the report or remove the file",
        )
    except ScenarioError as error:
        raise ArgumentError(f"report: {error}", argument="path", rule=str(error)) from None


def report_format(path: str | os.PathLike[str], format: str | None = None) -> str:
    """The format to write: ``format`` when given, else the one the file name's suffix names.

    ``.html`` / ``.htm`` give ``"html"`` and ``.md`` / ``.markdown`` give ``"md"``. Any other
    suffix without ``format`` is an error rather than, say, HTML written to ``report.pdf``.

    Examples
    --------
    >>> report_format("r.md"), report_format("r.html"), report_format("r.txt", "md")
    ('md', 'html', 'md')
    >>> report_format("r.pdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    paymodel.errors.ScenarioError: cannot tell the report's format from the name r.pdf: ...
    """
    if format is not None:
        return format
    suffix = Path(path).suffix.lower()
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "md"
    raise ScenarioError(
        f"cannot tell the report's format from the name {shown_name(Path(path).name)}: name "
        "the file "
        f".html or .md, or give the format ({' or '.join(FORMATS)})"
    )


def _described(source: Scenario | str | os.PathLike[str], scenario: Scenario) -> str:
    """How the command line names a scenario: as given, or by name for a Scenario."""
    return scenario.name if isinstance(source, Scenario) else os.fspath(source)


def report(
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | None,
    path: str | os.PathLike[str],
    format: Literal["html", "md"] | None = None,
    *,
    samples: int = 10_000,
    seed: Seed = None,
    outputs: Sequence[str] = DEFAULT_OUTPUTS,
    title: str = "Where the money goes",
    through: str | int | None = None,
    executor: Executor | None = None,
    repeat: Sequence[str] | None = None,
) -> Path:
    """Write a report on several scenarios: the answer, charts, claims and method.

    Parameters
    ----------
    scenarios
        Scenarios, built-in names or files; every built-in scenario when ``None``.
    path
        The file to write: a free name, or a report paymodel wrote (known by its mark; see
        Raises). For Markdown the charts go to the folder ``<stem>_files`` beside it
        (`image_folder`).
    format
        ``"html"``: one self-contained page (charts embedded, no request outside the
        file); ``"md"``: Markdown with PNG files. By default, from the file's suffix
        (``.md`` or ``.markdown`` for Markdown, anything else HTML).
    samples
        Samples per scenario for the intervals and histograms (the charts month by month
        are point estimates).
    seed
        Seed of every simulation; ``None`` draws one, which the report records so that
        ``seed=`` repeats it exactly.
    outputs
        The outputs whose distribution and tornado each uncertain scenario shows (an
        output its uncertain inputs do not move gets one line instead).
    title
        The report's heading.
    through
        Totals up to the end of this month (``"YYYY-MM"`` or a month number), in every
        table and chart; the whole deployment when omitted.
    executor
        Where the simulations (the report's only sampling) run: ``None`` here; any
        `concurrent.futures.Executor` (`paymodel.workers.worker_pool`, or a Dask
        ``distributed`` client's ``get_executor()``) in parallel, with an identical report.
    repeat
        How a command line names the scenarios and the options that edited them, e.g.
        ``["my.toml", "--set", "deployment.troops=15000", "--currency", "KRW=1395"]``: the
        command the report prints to repeat itself starts with these (``paymodel report``
        passes its own). By default the scenarios' built-in names or files, which repeat
        the report only when the scenarios are those files unchanged.

    Returns
    -------
    Path
        The file written.

    Warns
    -----
    MeasureWarning
        Once for each input of the scenarios that cites a claim whose measure does not fit it
        (`paymodel.measures`).

    Raises
    ------
    ArgumentError
        Before any work, when ``path`` holds anything but a report paymodel wrote: a file of
        the user's (an empty one too), a symbolic link, a directory, a pipe or a device
        (`paymodel.files.check_replaceable`; checked again just before writing); or when its
        directory does not exist.
    ScenarioError
        For a bad argument (format, samples, outputs) or scenario, or a ``<stem>_files``
        beside a Markdown report that paymodel did not write.
    MissingExtraError
        When matplotlib is not installed (``pip install 'paymodel[plot]'``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import paymodel as pm
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = pm.report(["independent-90"], pathlib.Path(folder) / "report.html",
    ...                      samples=1_000, seed=1)
    ...     text = page.read_text()
    >>> text.startswith("<!DOCTYPE html>"), text.count('<img src="data:image/svg+xml;base64,')
    (True, 6)
    """
    check_type(path, (str, os.PathLike), "path", "a file name")
    if format is not None:
        check_choice(format, "format", FORMATS)
    samples = check_whole(
        samples,
        "samples",
        low=1,
        high=MAX_REPORT_SAMPLES,
        why=" for a report, which keeps every sample for its histograms",
    )
    executor = check_executor(executor)
    if not isinstance(title, str) or not title.strip():
        raise ArgumentError(f"title: give the report a heading (got {title!r})", argument="title")
    problem = text_problem(title)
    if problem is not None:
        raise ArgumentError(f"title: {problem}", argument="title")
    example = "['regime_revenue_per_year_usd']"
    chosen_outputs = tuple(dict.fromkeys(check_texts(outputs, "outputs", example=example)))
    for output in chosen_outputs:
        if twin_code(output) is None:  # a twin in another currency: once the scenarios load
            output_key(output, None)
    sources = scenario_sources(scenarios)
    if not sources:
        raise ScenarioError("scenarios: give at least one scenario (or None for the built-ins)")
    chosen = [load(s) for s in sources]
    check_through(chosen, through)
    names = [s.name for s in chosen]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ScenarioError(
            f"scenarios: each scenario once; named more than once: {', '.join(repeated)}"
        )
    for output in chosen_outputs:
        for scenario in chosen:
            output_key(output, None, currency=scenario.currency_code)
    target = Path(path)
    _check_target(target)  # before any work: a name taken by the user's own file
    try:
        folder = file_kind(target.parent, "write")
    except ScenarioError as error:
        raise ArgumentError(f"report: {error}", argument="path", rule=str(error)) from None
    if folder != "folder":
        raise ArgumentError(
            f"report: cannot write {shown_name(target)}: directory "
            f"{shown_name(target.parent)} does not exist",
            argument="path",
        )
    chosen_format = report_format(target, format)
    if chosen_format == "md":
        check_chart_folder(target)  # before any work: a name taken by the user's own files
    entropy = entropy_of(seed)
    if repeat is not None:
        given = check_texts(repeat, "repeat", example="['my.toml', '--currency', 'KRW=1395']")
    elif scenarios is None:
        given = ()
    else:
        given = tuple(_described(source, s) for source, s in zip(sources, chosen, strict=True))
    options = [*given, "--samples", str(samples), "--seed", str(entropy)]
    if through is not None:
        options += ["--through", str(through)]
    if chosen_outputs != DEFAULT_OUTPUTS:
        options += [word for o in chosen_outputs for word in ("--output", o)]
    # One line that any page can hold: a file name's undecodable bytes (lone surrogates)
    # and control characters are shown escaped, as on a terminal.
    command = terminal_text(
        f"paymodel report {shlex.join([*options, '--out', target.name])}", lines=False
    )
    with warn_misfits(chosen):
        content = _content(
            chosen, samples, entropy, chosen_outputs, title, command, through, executor
        )
    _check_target(target)  # again: a file may have been put there while the report was drawn
    if chosen_format == "html":
        write_atomic(target, _html(content))
    else:
        charts = [(chart.stem, chart.png) for chart in content.charts]
        write_markdown(target, charts, lambda folder: _markdown(content, folder))
    return target
