"""The HTML report in a real browser: it loads offline, cleanly, with every chart drawn.

Debian's chromium (``/usr/bin/chromium``; ``.ci/run`` installs it when absent) is driven
by the ``playwright`` package; ``playwright install`` is never needed. The test records
every request the page makes and every console message, and keeps full-page screenshots
in ``tests/artifacts/`` (ignored by git) for people to look at: ``report.png`` as the page
opens (scenarios closed), ``report-open.png`` with every scenario opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

import paymodel as pm

CHROMIUM = Path("/usr/bin/chromium")
#: The window the report is read in: a laptop's width. Nothing may scroll sideways in it.
WIDTH = 1280
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"no chromium at {CHROMIUM} (`.ci/run` installs Debian's chromium)",
)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "report.html"
    return pm.report(None, path, samples=2_000, seed=1)


def test_report_opens_offline_without_errors(report_file: Path) -> None:
    requests: list[str] = []
    messages: list[tuple[str, str]] = []
    failures: list[str] = []
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: messages.append((message.type, message.text)))
            page.on("pageerror", lambda error: failures.append(str(error)))
            page.on("requestfailed", lambda request: failures.append(request.url))
            page.goto(report_file.as_uri(), wait_until="load")
            images: list[dict[str, Any]] = page.eval_on_selector_all(
                "img",
                "images => images.map(i => ({alt: i.alt, complete: i.complete, "
                "width: i.naturalWidth, height: i.naturalHeight, visible: i.checkVisibility()}))",
            )
            # Every link within the page lands on an element; links out are only the
            # claims' original reports, marked as such.
            broken = page.evaluate(
                "[...document.querySelectorAll('a[href^=\"#\"]')]"
                ".filter(a => !document.getElementById(a.getAttribute('href').slice(1)))"
                ".map(a => a.getAttribute('href'))"
            )
            outward = page.eval_on_selector_all(
                "a:not([href^='#'])",
                "links => links.map(a => ({href: a.href, rel: a.rel, "
                "row: a.closest('tr') && a.closest('tr').id}))",
            )
            scenario_claims = page.eval_on_selector_all(
                "details.scenario > p.meta a[href^='#claim-']", "links => links.length"
            )
            title = page.title()
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            # Tables that would scroll sideways inside their own box.
            scrolling = page.eval_on_selector_all(
                ".wide", "boxes => boxes.filter(b => b.scrollWidth > b.clientWidth).length"
            )
            closed_height = page.evaluate("document.documentElement.scrollHeight")
            # Every link to a claim lands on that claim's row of the claims table.
            claim_links = page.evaluate(
                "[...document.querySelectorAll('a[href^=\"#claim-\"]')].map(a => {"
                " const t = document.getElementById(a.getAttribute('href').slice(1));"
                " return t !== null && t.tagName === 'TR' && t.closest('#claims') !== null; })"
            )
            summaries = page.eval_on_selector_all(
                "details.scenario > summary", "ss => ss.map(s => s.textContent)"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            # A reader opens a scenario by clicking its line: the page needs no script.
            page.click("details#scenario-span-sources > summary")
            opened = page.eval_on_selector_all(
                "details.scenario", "ds => ds.filter(d => d.open).map(d => d.id)"
            )
            shown_in_span = page.eval_on_selector_all(
                "#scenario-span-sources img", "images => images.map(i => i.clientWidth)"
            )
            # Open them all (the test's script, not the page's): every chart is drawn.
            page.eval_on_selector_all("details", "ds => ds.forEach(d => { d.open = true; })")
            drawn = page.eval_on_selector_all(
                "img",
                "images => images.map(i => ({alt: i.alt, complete: i.complete, "
                "width: i.naturalWidth, shown: i.clientWidth, high: i.clientHeight, "
                "visible: i.checkVisibility()}))",
            )
            open_width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / "report-open.png"), full_page=True)
        finally:
            browser.close()
    print(f"screenshot of the report: {shot}")  # where to look (pytest -s shows it)
    # Only the file itself: the images are data URIs, nothing comes from the network.
    data = [url for url in requests if url.startswith("data:")]
    assert [url for url in requests if not url.startswith("data:")] == [report_file.as_uri()]
    assert len(data) <= len(images)
    assert messages == []
    assert failures == []
    assert title == "Where the money goes"
    assert headings == [
        "The answer, scenario by scenario",
        "Charts",
        "Scenarios",
        "Claims cited",
        "Method",
    ]
    assert len(images) == 4 + 2 * 7 + 1  # see test_report.py for the count
    # As the page opens: the comparison, the overview charts, one line per scenario and the
    # claims. About 8,300 px at 1,280 px wide (28,500 px with every scenario laid out).
    assert closed_height < 12_000
    scenarios = pm.compare(samples=0).scenarios
    assert len(summaries) == len(scenarios)
    for scenario, summary in zip(scenarios, summaries, strict=True):
        assert summary.startswith(f"{scenario.name}: {scenario.title} · ")
    assert opened == ["scenario-span-sources"]
    assert len(shown_in_span) == 4  # 2 outputs × (histogram, tornado)
    assert all(width > 500 for width in shown_in_span)
    assert len(claim_links) > 9 + 40  # each scenario's claims, and those of its inputs
    assert all(claim_links)
    alts = [image["alt"] for image in images]
    # One chart compares every scenario's running total (no chart per scenario repeats it).
    assert sum("every scenario in one chart" in alt for alt in alts) == 1
    assert not any("cumulative regime revenue month by month" in alt for alt in alts)
    assert broken == []
    assert scenario_claims > 9  # each scenario lists its claims once, linked to the table
    assert outward
    for link in outward:
        assert link["href"].startswith(("https://", "http://"))
        assert link["rel"] == "noreferrer noopener"
        assert str(link["row"]).startswith("claim-")  # only in the claims table
    for image in images:
        assert image["complete"], image["alt"]
        assert image["width"] > 500, image["alt"]
        assert image["height"] > 200, image["alt"]
    # The overview charts are drawn as the page opens; a scenario's once it is opened.
    assert [image["visible"] for image in images] == [True] * 4 + [False] * (len(images) - 4)
    assert len(drawn) == len(images)
    for image in drawn:
        assert image["visible"], image["alt"]
        assert image["complete"], image["alt"]
        assert 500 < image["shown"] <= WIDTH, image["alt"]
        assert image["high"] > 200, image["alt"]
    # Nothing wider than the window, and no table scrolls sideways in its box.
    assert scroll_width <= WIDTH
    assert open_width <= WIDTH
    assert scrolling == 0
    assert shot.stat().st_size > 100_000
