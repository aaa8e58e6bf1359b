"""The chart of docs/disagreeing-sources.md: pay as a mixture of the sources' ranges against a
choice of their point figures, as two cumulative distributions on one axis.

Both scenarios are the example files next to this script; the curves are their pay
distributions' exact CDFs (`BaseDistribution.cdf`), and the top axis turns pay into the
regime's revenue a year with the scenario's own arithmetic (`pm.compute`: 90 % of pay for
11,000 troops over 12 months). The SVG goes to stdout, so the committed image is remade with

    python examples/disagreeing_sources_chart.py > docs/images/disagreeing-sources.svg

and the same bytes come out every time (no date in the file, fixed element ids).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

import paymodel as pm

HERE = Path(__file__).resolve().parent
MIXTURE = pm.load(HERE / "disagreeing-sources.toml")
CHOICE = pm.load(HERE / "disagreeing-sources-choice.toml")


def chart() -> Figure:
    """Both pay distributions as CDFs, medians marked, revenue a year on the top axis."""
    mixture = MIXTURE.pay.gross_monthly_usd
    choice = CHOICE.pay.gross_monthly_usd
    assert isinstance(mixture, pm.Mixture) and isinstance(choice, pm.Choice)
    # Revenue a year per dollar of monthly pay: linear here (one share layer, fixed troops).
    point = pm.compute(MIXTURE)
    per_dollar = point.regime_revenue_per_year_usd / mixture.median()

    pay = np.linspace(1_800.0, 5_200.0, 3_401)  # one point a dollar: the steps stay sharp
    figure = Figure(figsize=(8.0, 4.6), layout="constrained")
    ax = figure.add_subplot()
    ax.plot(pay, mixture.cdf(pay), color="#0072B2", linewidth=2.2, label="mixture of ranges")
    ax.plot(
        pay,
        choice.cdf(pay),
        color="#D55E00",
        linewidth=2.2,
        linestyle="--",
        label="choice of point figures",
    )
    ax.axhline(0.5, color="#999999", linewidth=0.8, zorder=0)
    # Each median's label beside its point: the mixture's below the staircase, with an arrow
    # (nothing else is drawn there), the choice's to the right of its step.
    ax.plot([mixture.median()], [0.5], marker="o", color="#0072B2", zorder=3)
    ax.annotate(
        f"median ${mixture.median():,.0f}",
        (mixture.median(), 0.5),
        xytext=(2_060, 0.28),
        arrowprops={"arrowstyle": "->", "color": "#0072B2", "linewidth": 0.8},
        color="#0072B2",
    )
    ax.plot([choice.median()], [0.5], marker="o", color="#D55E00", zorder=3)
    ax.annotate(
        f"median ${choice.median():,.0f}",
        (choice.median(), 0.5),
        xytext=(8, 10),
        textcoords="offset points",
        color="#D55E00",
    )
    sources = (  # each source's point figure, labels staggered so that they do not touch
        (2_000, "NIS $2,000\n(PAY-01)", 0.03),
        (2_500, "INSS $2,500\n(PAY-06)", 0.15),
        (2_800, "Daily NK $2,800\n(PAY-26)", 0.03),
    )
    for value, text, height in sources:
        ax.axvline(value, color="#555555", linewidth=0.6, linestyle=":", zorder=0)
        ax.text(value + 25, height, text, fontsize=8, color="#555555", va="bottom")
    ax.set_xlim(pay[0], pay[-1])
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel("gross pay per soldier [$ a month]")
    ax.set_ylabel("probability that pay is at most x")
    ax.xaxis.set_major_formatter(lambda x, _: f"${x:,.0f}")
    top = ax.secondary_xaxis(
        "top", functions=(lambda x: x * per_dollar / 1e6, lambda y: y * 1e6 / per_dollar)
    )
    top.set_xlabel("the regime's revenue a year [$ million] (90 % of pay, 11,000 troops)")
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("Pay where the sources disagree: weights NIS 2 : INSS 2 : Daily NK 1", fontsize=11)
    return figure


def svg(figure: Figure) -> str:
    """The figure as SVG text, the same bytes on every run."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "disagreeing-sources", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


if __name__ == "__main__":
    sys.stdout.write(svg(chart()))
