"""The HTML report in a real browser: it loads offline, cleanly, with every chart drawn.

Debian's chromium (``/usr/bin/chromium``; ``.ci/run`` installs it when absent) is driven
by the ``playwright`` package; ``playwright install`` is never needed. The test records
every request the page makes and every console message, and keeps a full-page screenshot
in ``tests/artifacts/report.png`` (ignored by git) for people to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

import paymodel as pm

CHROMIUM = Path("/usr/bin/chromium")
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
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: messages.append((message.type, message.text)))
            page.on("pageerror", lambda error: failures.append(str(error)))
            page.on("requestfailed", lambda request: failures.append(request.url))
            page.goto(report_file.as_uri(), wait_until="load")
            images: list[dict[str, Any]] = page.eval_on_selector_all(
                "img",
                "images => images.map(i => ({alt: i.alt, complete: i.complete, "
                "width: i.naturalWidth, height: i.naturalHeight, shown: i.clientWidth}))",
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
                "section[id^='scenario-'] p.meta a[href^='#claim-']", "links => links.length"
            )
            title = page.title()
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "report.png"
            page.screenshot(path=str(shot), full_page=True)
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
        assert 0 < image["shown"] <= 1100
    assert scroll_width <= 1100  # nothing wider than the window: no sideways scrolling
    assert shot.stat().st_size > 100_000
