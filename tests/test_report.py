"""Reports: one self-contained HTML file, or Markdown with its PNGs; all or nothing."""

from __future__ import annotations

import base64
import html
import importlib
import os
import re
import stat
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import paymodel as pm
from helpers import bad, ok
from paymodel.display import money, money_compact
from paymodel.limits import MAX_ARRAY_VALUES
from paymodel.report import DEFAULT_OUTPUTS, image_folder
from paymodel.scenario import claim_ids
from paymodel.timeline import point_values

# `paymodel.report` is the function (as `pm.compare` is); the module is here.
report_module = importlib.import_module("paymodel.report")
chart_folder = importlib.import_module("paymodel.chart_folder")

SEED = 7
SAMPLES = 1_000


class _Page(HTMLParser):
    """Every tag with its attributes, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def every_builtin(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("report") / "report.html"
    written = pm.report(None, path, samples=SAMPLES, seed=SEED)
    assert written == path
    return path.read_text(encoding="utf-8")


def test_html_is_self_contained(every_builtin: str) -> None:
    page = _parse(every_builtin)
    originals = {html.unescape(c.url) for c in pm.claims() if c.url}
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags
    assert "link" not in tags  # no style sheet, icon or font from elsewhere
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            value = attrs.get(name)
            if value is None:
                continue
            if tag == "img" and name == "src":
                assert value.startswith("data:image/svg+xml;base64,")
            elif tag == "a" and name == "href" and not value.startswith("#"):
                # a claim's headline links to its original report: followed, never loaded
                assert value in originals, value
                assert attrs["rel"] == "noreferrer noopener"
            else:
                assert value.startswith("#"), (tag, name, value)  # links within the page only
    assert "@import" not in every_builtin
    assert "url(" not in every_builtin
    # Outside the links to the originals, no address at all (nothing the page could fetch).
    without_links = re.sub(r'<a href="https?://[^"]*"', "", every_builtin)
    assert not re.search(r"https?://", without_links)


def test_html_images_are_valid_svgs_with_their_sizes(every_builtin: str) -> None:
    images = [attrs for tag, attrs in _parse(every_builtin).tags if tag == "img"]
    # 4 overview charts (the running totals of every scenario in one); per scenario a
    # distribution and a tornado for each default output the uncertain inputs move:
    # independent-90 (tour length) moves the take-home per tour only; in-kind-credit and
    # span-sources move both; rotation-100k's tour length moves neither;
    # deployment-as-reported moves both, and adds its contingents' chart.
    assert len(images) == 4 + 2 * (1 + 2 + 2 + 2) + 1
    for attrs in images:
        assert attrs["alt"]
        data = base64.b64decode(str(attrs["src"]).removeprefix("data:image/svg+xml;base64,"))
        assert data.startswith(b"<?xml")
        assert b"<svg" in data
        assert b"<image" not in data
        assert b'xlink:href="http' not in data
        # Shown at 100 pixels per inch: the SVG's size in points × 100 / 72.
        found = re.search(rb'<svg[^>]* width="([0-9.]+)pt" height="([0-9.]+)pt"', data)
        assert found is not None
        width, height = (float(found[i]) * 100 / 72 for i in (1, 2))
        assert abs(int(str(attrs["width"])) - width) <= 1
        assert abs(int(str(attrs["height"])) - height) <= 1


def test_html_report_of_the_builtins_is_small(every_builtin: str) -> None:
    # 4.5 MB of PNGs before; SVG images and one running-totals chart instead of nine. The
    # size hardly depends on the samples (60 histogram bins whatever their number).
    assert len(every_builtin.encode("utf-8")) < 1_500_000


def _plain(fragment: str) -> str:
    """The text of an HTML fragment, as a reader sees it (no-break spaces as spaces)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\xa0", " ")


def _answer_cells(page: str) -> list[list[tuple[str, str]]]:
    """The answer table's rows: each cell as (point estimate, the grey line under it)."""
    table = page.split('id="answer"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]:
        cells = []
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row):
            point, _, under = cell.partition('<span class="sim">')
            cells.append((_plain(point), _plain(under)))
        rows.append(cells)
    return rows


def test_html_tells_the_answer_with_the_models_numbers(every_builtin: str) -> None:
    text = " ".join(" ".join(_parse(every_builtin).text).split()).replace("\xa0", " ")
    comparison = pm.compare(samples=SAMPLES, seed=SEED)
    rows = _answer_cells(every_builtin)
    assert len(rows) == len(comparison.results)  # one row per scenario, in one table
    for cells, (scenario, result) in zip(
        rows, zip(comparison.scenarios, comparison.results, strict=True), strict=True
    ):
        assert cells[0] == (scenario.name, "simulated" if scenario.uncertain_inputs() else "")
        # One money style for the column: span-sources' $193.65 gives every cell cents.
        assert cells[1][0] == money(result.take_home_monthly_usd, cents=True)
        assert cells[4][0] == money_compact(result.regime_revenue_per_year_usd)
        if not scenario.uncertain_inputs():
            assert all(under == "" for _, under in cells)  # nothing simulated to show
    # span-sources: under the point estimate, the simulation's median [p5–p95] of the
    # same seed; its take-home is $0 in about half the draws, so that is said in words.
    span = rows[[s.name for s in comparison.scenarios].index("span-sources")]
    sim = pm.simulate(pm.builtin("span-sources"), SAMPLES, seed=SEED, keep_samples=True)
    stats = sim.statistics("regime_revenue_per_year_usd")
    assert span[4][1] == (
        f"${stats['p50'] / 1e6:,.1f} M [${stats['p5'] / 1e6:,.1f} M–${stats['p95'] / 1e6:,.1f} M]"
    )
    zero = 100 * float(np.mean(sim.values("take_home_monthly_usd") == 0))
    # The column shows cents ($193.65), so the words under it do too.
    assert span[1][1].startswith(f"{zero:.1f} % at $0.00, else $")
    assert re.fullmatch(r".*else \$[0-9]{3}\.[0-9]{2}–\$[0-9]{3}\.[0-9]{2}", span[1][1])
    assert (
        f"span-sources, take-home per soldier: in {zero:.1f} % of draws the soldier keeps "
        "nothing; otherwise mostly $"
    ) in text
    independent = rows[0]
    assert independent[1][1] == "no spread"  # the tour length does not move the monthly pay
    # The "over" column says how many months the total covers: casualty-aware's 11 months
    # ("over" alone would match "overview" anywhere on the page).
    table = every_builtin.split('id="answer"')[1].split("</table>")[0]
    headers = [_plain(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    over = headers.index("over")
    casualty = rows[[s.name for s in comparison.scenarios].index("casualty-aware")]
    assert casualty[over][0] == "11 mo"
    # The headline: the lowest and highest take-home and revenue, with their scenarios.
    headline = _plain(every_builtin.split('<p class="headline">')[1].split("</p>")[0])
    assert headline == (
        "Across the 10 scenarios' point estimates, a soldier takes home from $0 "
        "(rand-bennett-all, rotation-100k and 2 more) to $1,020 (worker-quota) a month, and "
        "the regime earns from $129.4 M (worker-quota) to $360.0 M (rotation-100k) a year."
    )
    assert f"seed {SEED}" in text
    assert f"paymodel report --samples {SAMPLES} --seed {SEED} --out report.html" in text


def test_html_scenarios_are_closed_sections(every_builtin: str) -> None:
    """Each scenario is a <details> section: the page leads with the comparison and the
    overview charts, and a reader opens the scenario they want (no script needed)."""
    page = _parse(every_builtin)
    details = [attrs for tag, attrs in page.tags if tag == "details"]
    sections = [a for a in details if str(a.get("id", "")).startswith("scenario-")]
    assert [a["id"] for a in sections] == [
        f"scenario-{s.name}" for s in pm.compare(samples=0).scenarios
    ]
    assert all("open" not in a for a in details)  # closed until the reader opens one
    # Every scenario's charts are inside its section; the overview charts come before.
    body = every_builtin.split('id="scenarios"')[1].split('id="claims"')[0]
    for chunk in body.split('<details class="scenario"')[1:]:
        section = chunk.split("</details>\n</details>")[0] if "<details>" in chunk else chunk
        assert section.count("<summary>") >= 1
    assert every_builtin.index('id="chart-take-home"') < every_builtin.index('id="scenarios"')
    summary = every_builtin.split('id="scenario-deployment-as-reported">')[1].split("</summary>")[0]
    # 8 uncertain inputs, 22 claims, 2 outputs × (histogram, tornado) + the contingents.
    assert "8 uncertain inputs · 22 claims · 5 charts" in summary


def test_html_cites_every_claim_with_who_where_and_when(every_builtin: str) -> None:
    page = _parse(every_builtin)
    anchors = {attrs.get("id") for _, attrs in page.tags}
    ids = claim_ids(pm.compare(samples=0).scenarios)
    assert len(ids) > 20
    table = every_builtin.split('id="claims"')[1].split("</table>")[0]
    assert len(re.findall(r"<tr id=\"claim-", table)) == len(ids)  # one row per claim
    linked = 0
    for cid in ids:
        c = pm.claim(cid)
        assert f"claim-{cid}" in anchors
        row = every_builtin.split(f'id="claim-{cid}"')[1].split("</tr>")[0]
        for field in (c.status, c.claimed_by, c.when, c.measure.replace("_", " ")):
            assert html.escape(field, quote=True) in row
        where = html.escape(f"reported in {c.reported_in}", quote=True)
        # The original headline, linked to the original report where its address is known;
        # every outlet that reported it is the link's tooltip (shown as text when neither
        # headline nor address is known).
        if c.title:
            assert html.escape(c.title, quote=True) in row
        if c.url:
            link = (
                f'<a href="{html.escape(c.url, quote=True)}" rel="noreferrer noopener" '
                f'title="{where}">'
            )
            shown = html.escape(c.title, quote=True) if c.title else "the original report"
            assert f"{link}{shown}</a>" in row
            linked += 1
        elif c.title:
            assert f'title="{where}"' in row
        else:
            assert html.escape(c.reported_in, quote=True) in row
    assert linked > 10
    # every link to a claim points at a row of the table
    for tag, attrs in page.tags:
        if tag == "a" and str(attrs.get("href", "")).startswith("#claim-"):
            assert str(attrs["href"])[1:] in anchors


def test_html_has_the_inputs_method_and_arithmetic(every_builtin: str) -> None:
    text = " ".join(" ".join(_parse(every_builtin).text).split())
    for scenario in pm.compare().scenarios:
        assert f"{scenario.name}: {scenario.title}" in text
        explanation = pm.explain(scenario)
        for line in explanation.inputs:
            assert line.path in text
        steps = dict(explanation.steps)
        assert steps["conservation"] in text
    assert "money is conserved" in text
    # independent-90's revenue does not move with its uncertain tour length: one line.
    assert (
        "Regime revenue per year does not depend on this scenario's uncertain inputs "
        "(deployment.tour_months): every sample gives $237,600,000." in text
    )


def test_every_text_is_escaped(tmp_path: Path) -> None:
    hostile = pm.Scenario(
        name="hostile",
        title='<script>alert("x")</script> & *bold* | pipe',
        description="A <b>tag</b>, a [link](http://example.com) and `code` & more.",
        pay={"gross_monthly_usd": {"kind": "uniform", "low": 1500, "high": 2500}},
        diversion=[{"name": "<i>commanders</i> | [x]", "share": 0.5}],
        deployment={"troops": 1_000, "months": 6},
    )
    page = pm.report(
        [hostile], tmp_path / "r.html", samples=300, seed=1, outputs=["paid_usd"]
    ).read_text()
    assert "<script>" not in page
    assert "<b>tag</b>" not in page
    assert "<i>commanders" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *bold* | pipe" in page
    assert "&lt;i&gt;commanders&lt;/i&gt;" in page
    assert "http://example.com" not in [a.get("href") for _, a in _parse(page).tags]
    markdown = pm.report(
        [hostile], tmp_path / "r.md", samples=300, seed=1, outputs=["paid_usd"]
    ).read_text()
    assert r"&lt;script&gt;alert" in markdown  # an entity: every renderer shows it as text
    assert r"\*bold\* \| pipe" in markdown
    assert r"\[link\](http://example.com)" in markdown  # text, not a link
    # Outside code blocks (where text is shown as typed) no tag, link or emphasis is live:
    # every <, *, [ and ] is escaped.
    prose = re.sub(r"```text\n.*?```", "", markdown, flags=re.DOTALL)
    prose = re.sub(r"^!\[[^\]]*\]\([^)]*\)$", "", prose, flags=re.MULTILINE)  # our images
    assert "&lt;b&gt;tag" in markdown  # the description is there, as text
    assert re.search(r"(?<!\\)[*<\[\]]", prose) is None


def test_markdown_writes_the_images_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "answer.md"
    written = pm.report(["span-sources", "nis-estimate"], target, samples=SAMPLES, seed=SEED)
    assert written == target
    folder = image_folder(target)
    assert folder == tmp_path / "answer_files"
    text = target.read_text(encoding="utf-8")
    referenced = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    # 4 overview charts (one of every scenario's running total); span-sources: 2 outputs ×
    # (distribution, tornado); nis-estimate: none (plain numbers).
    assert len(referenced) == 4 + 4
    # The folder is paymodel's (its marker), the charts in one folder named by their hash.
    (charts,) = {Path(r).parent.name for r in referenced}
    assert re.fullmatch(r"charts-[0-9a-f]{16}", charts)
    assert sorted(p.name for p in folder.iterdir()) == [".paymodel-charts", charts]
    assert sorted(p.name for p in (folder / charts).iterdir()) == sorted(
        Path(r).name for r in referenced
    )
    for reference in referenced:
        assert reference.startswith(f"answer_files/{charts}/")
        data = (tmp_path / reference).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 10_000
    assert text.startswith("# Where the money goes\n")
    # The point estimates as compare shows them, then the simulated values of the
    # scenarios with distributions (span-sources only: nis-estimate is plain numbers).
    assert "| scenario | take-home/month | per tour | x home wage | regime/year |" in text
    # span-sources' $193.65 beside it: the take-home column shows cents for all; per tour
    # no value shown needs them ($1,742.84 is above $1,000): whole dollars for all.
    assert r"| nis-estimate | \$0.00 | \$0 | 0x | \$264.0 M | \$264.0 M | 12 mo |" in text
    simulated = text.split("| scenario | take-home/month | per tour | regime/year | diverted |")
    assert len(simulated) == 2
    rows = simulated[1].split("\n\n")[0].splitlines()[2:]  # the table, below its rule
    assert [row.split(" | ")[0] for row in rows] == ["| span-sources"]
    assert r" % at \$0.00, else \$" in rows[0]
    # The claims: one row each, the headline linked to the original report where known.
    claims = text.split("## Claims cited")[1].split("## Method")[0]
    ids = claim_ids([pm.builtin("span-sources"), pm.builtin("nis-estimate")])
    rows = [line for line in claims.splitlines() if line.startswith("| ")][2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| {cid}" for cid in sorted(set(ids))]
    dep15 = pm.claim("DEP-15")  # no headline known, an address: "the original report"
    assert f"| {dep15.quantity}: {dep15.figure()} | [the original report](<{dep15.url}>) — " in (
        claims
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.md", "answer_files"]


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    def page(name: str, seed: int) -> bytes:
        options = {"samples": 500, "seed": seed, "outputs": ["paid_usd"]}
        return pm.report(["span-sources"], tmp_path / name, **options).read_bytes()  # type: ignore[arg-type]

    first = page("a.html", 3)
    assert first.replace(b"a.html", b"b.html") == page("b.html", 3)
    other = page("c.html", 4)
    assert other.replace(b"c.html", b"a.html") != first


def test_no_seed_draws_one_and_records_it(tmp_path: Path) -> None:
    page = pm.report(["in-kind-credit"], tmp_path / "r.html", samples=200, outputs=[]).read_text()
    (seed,) = set(re.findall(r"--seed (\d+)", page))
    again = pm.report(
        ["in-kind-credit"], tmp_path / "r.html", samples=200, seed=int(seed), outputs=[]
    )
    assert again.read_text() == page


def test_outputs_choose_the_distributions(tmp_path: Path) -> None:
    page = pm.report(
        ["span-sources"], tmp_path / "r.html", samples=300, seed=1, outputs=["paid_usd"]
    ).read_text()
    ids = re.findall(r'<figure id="chart-([^"]+)"', page)
    assert ids == [
        "take-home",
        "revenue",
        "dollar-split",
        "running-totals",
        "01-span-sources-paid-usd-distribution",
        "01-span-sources-paid-usd-tornado",
    ]
    assert "--output paid_usd" in page
    assert DEFAULT_OUTPUTS == ("regime_revenue_per_year_usd", "take_home_per_tour_usd")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "pdf"}, "format must be one of html, md (got 'pdf')"),
        ({"samples": 0}, "samples must be between 1 and 1,000,000"),
        ({"samples": 2.5}, "samples must be a whole number"),
        ({"outputs": ["revenue"]}, "output: no output named 'revenue' (outputs: "),
        ({"seed": -1}, "seed must be a non-negative integer"),
        ({"title": ""}, "title: give the report a heading (got '')"),
        ({"title": " \n"}, "title: give the report a heading"),
        ({"title": None}, "title: give the report a heading (got None)"),
        (
            {"outputs": "paid_usd"},
            "outputs must be a list of names, such as ['regime_revenue_per_year_usd'] "
            "(got a string 'paid_usd')",
        ),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(pm.ScenarioError, match=re.escape(message)):
        pm.report(["nis-estimate"], tmp_path / "r.html", **kwargs)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_bad_scenarios_and_paths(tmp_path: Path) -> None:
    with pytest.raises(pm.ScenarioError, match="give at least one scenario"):
        pm.report([], tmp_path / "r.html")
    with pytest.raises(pm.ScenarioError, match="named more than once: nis-estimate"):
        pm.report(["nis-estimate", "nis-estimate"], tmp_path / "r.html")
    with pytest.raises(pm.UnknownScenarioError):
        pm.report(["nis"], tmp_path / "r.html")
    with pytest.raises(pm.ScenarioError, match="is a directory"):
        pm.report(["nis-estimate"], tmp_path)
    with pytest.raises(pm.ScenarioError, match=r"directory .*missing does not exist"):
        pm.report(["nis-estimate"], tmp_path / "missing" / "r.html")
    assert list(tmp_path.iterdir()) == []


class _BoomError(Exception):
    pass


def _fail(*_: object, **__: object) -> None:
    raise _BoomError


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_failing_chart_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(report_module.plot, "tornado", _fail)  # a chart of the first part
    with pytest.raises(_BoomError):
        pm.report(["span-sources"], tmp_path / f"r.{fmt}", samples=200, seed=1)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_markdown_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_folder, "write_atomic", _fail)  # after the images are placed
    with pytest.raises(_BoomError):
        pm.report(["span-sources"], tmp_path / "r.md", samples=200, seed=1)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_image_write_leaves_the_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.md"
    pm.report(["nis-estimate"], target, samples=200, seed=1)
    before = {str(p): p.read_bytes() for p in image_folder(target).rglob("*") if p.is_file()}
    text = target.read_text()
    calls = {"count": 0}
    original = Path.write_bytes

    def fail_on_third(self: Path, data: bytes) -> int:
        calls["count"] += 1
        if calls["count"] == 3:
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_third)
    with pytest.raises(OSError, match="No space left"):
        pm.report(["span-sources", "nis-estimate"], target, samples=200, seed=1)
    assert target.read_text() == text
    after = {str(p): p.read_bytes() for p in image_folder(target).rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md", "r_files"]


def test_a_failing_text_write_restores_the_old_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.md"
    pm.report(["nis-estimate"], target, samples=200, seed=1)
    before = sorted(str(p) for p in image_folder(target).rglob("*"))
    monkeypatch.setattr(chart_folder, "write_atomic", _fail)
    with pytest.raises(_BoomError):
        pm.report(["span-sources"], target, samples=200, seed=1)
    assert sorted(str(p) for p in image_folder(target).rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md", "r_files"]
    assert "nis-estimate" in target.read_text()


def test_a_new_markdown_report_replaces_the_old_images(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    pm.report(["in-kind-credit"], target, samples=200, seed=1, outputs=["paid_usd"])
    pm.report(["nis-estimate"], target, samples=200, seed=1)
    (charts,) = [p for p in image_folder(target).iterdir() if p.name != ".paymodel-charts"]
    names = sorted(p.name for p in charts.iterdir())
    assert names == ["dollar-split.png", "revenue.png", "running-totals.png", "take-home.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md", "r_files"]


def test_without_matplotlib_the_error_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(pm.MissingExtraError, match=r"pip install 'paymodel\[plot\]'"):
        pm.report(["nis-estimate"], tmp_path / "r.html", samples=100, seed=1)
    line = bad("report", "nis-estimate", "--out", str(tmp_path / "r.html"))
    assert "pip install 'paymodel[plot]'" in line
    assert list(tmp_path.iterdir()) == []


# -- the command line ---------------------------------------------------------------------


def test_cli_shows_a_written_name_that_would_not_read_quoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newline or escape sequence in the name is shown, not sent to the terminal."""
    monkeypatch.chdir(tmp_path)
    name = "a\x1b[31mb\nc"
    out = ok("report", "nis-estimate", "--samples", "10", "--out", f"{name}.html")
    assert out == "wrote 'a\\x1b[31mb\\nc.html'\n"
    assert (tmp_path / f"{name}.html").is_file()
    out = ok("report", "nis-estimate", "--samples", "10", "--out", f"{name}.md")
    assert out == "wrote 'a\\x1b[31mb\\nc.md' and its charts in 'a\\x1b[31mb\\nc_files/'\n"
    assert bad("report", "nis-estimate", "--out", f"{name}.pdf") == (
        "paymodel: error: cannot tell the report's format from the name 'a\\x1b[31mb\\nc.pdf': "
        "name the file .html or .md, or give the format (html or md)"
    )


def test_cli_writes_html_and_markdown(tmp_path: Path) -> None:
    page = tmp_path / "out.html"
    out = ok(
        "report",
        "nis-estimate",
        "span-sources",
        "--samples",
        "300",
        "--seed",
        "2",
        "--out",
        str(page),
    )
    assert out == f"wrote {page}\n"
    assert page.read_text().count('<img src="data:image/svg+xml;base64,') == 4 + 4
    assert "paymodel report nis-estimate span-sources --samples 300 --seed 2" in page.read_text()
    notes = tmp_path / "notes.md"
    out = ok("report", "nis-estimate", "--samples", "100", "--seed", "2", "--out", str(notes))
    assert out == f"wrote {notes} and its charts in {tmp_path / 'notes_files'}/\n"
    forced = tmp_path / "forced.txt"
    ok("report", "nis-estimate", "--format", "md", "--samples", "100", "--out", str(forced))
    assert forced.read_text().startswith("# Where the money goes")
    titled = tmp_path / "t.html"
    ok(
        "report",
        "nis-estimate",
        "--title",
        "Kursk <2024>",
        "--samples",
        "100",
        "--output",
        "paid_usd",
        "--output",
        "deaths",
        "--out",
        str(titled),
    )
    assert "<h1>Kursk &lt;2024&gt;</h1>" in titled.read_text()


def test_cli_with_a_scenario_file_repeats_with_the_file(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.toml"
    ok("init", str(scenario))
    page = tmp_path / "r.html"
    ok("report", str(scenario), "--samples", "100", "--seed", "1", "--out", str(page))
    assert f"paymodel report {scenario} --samples 100 --seed 1 --out r.html" in page.read_text()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ((), "the following arguments are required: --out"),
        (("--out", "{tmp}/r.html", "--samples", "0"), "--samples: must be at least 1"),
        (("--out", "{tmp}/r.html", "--samples", "2000000"), "--samples: must be between 1 and"),
        (("--out", "{tmp}/r.html", "--seed", "x"), "--seed: must be a whole number"),
        (("--out", "{tmp}/r.html", "--format", "pdf"), "invalid choice: 'pdf'"),
        (
            ("--out", "{tmp}/r.html", "--output", "x"),
            "output: no output named 'x' (outputs: take_home_monthly_usd,",
        ),
        (("nis", "--out", "{tmp}/r.html"), "'nis' is neither a built-in scenario"),
        (("--out", "{tmp}/no/r.html"), "directory {tmp}/no does not exist"),
        (("--out", "{tmp}"), "is a directory; give a file name"),
        (("--out", "{tmp}/r.html", "--title", ""), "title: give the report a heading (got '')"),
    ],
)
def test_cli_bad_input(tmp_path: Path, argv: tuple[str, ...], fragment: str) -> None:
    line = bad("report", *(a.format(tmp=tmp_path) for a in argv))
    assert fragment.format(tmp=tmp_path) in line
    assert list(tmp_path.iterdir()) == []


def test_cli_cannot_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(report_module, "write_atomic", refuse)
    target = tmp_path / "r.html"
    line = bad("report", "nis-estimate", "--samples", "100", "--out", str(target))
    assert line == f"paymodel: error: report: cannot write {target} (Permission denied)"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_cli_leaves_a_file_that_is_not_regular_alone(tmp_path: Path, fmt: str) -> None:
    # `--out /dev/full --format html` once replaced the device with a regular file: a
    # pipe (or device) in the way is refused and stays what it was, with no files beside it.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    line = bad("report", "nis-estimate", "--samples", "100", "--format", fmt, "--out", str(pipe))
    assert line == f"paymodel: error: report: cannot write {pipe} (not a regular file)"
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert list(tmp_path.iterdir()) == [pipe]


def test_the_format_comes_from_the_name_or_is_asked_for(tmp_path: Path) -> None:
    # HTML written to report.pdf would open as garbage: a suffix that names neither format
    # is refused before anything is drawn or written, through the API and the CLI.
    with pytest.raises(pm.ScenarioError, match=r"cannot tell the report's format .* r\.pdf"):
        pm.report(["nis-estimate"], tmp_path / "r.pdf", samples=100, seed=1)
    message = bad("report", "nis-estimate", "--out", str(tmp_path / "r.pdf"))
    assert "name the file .html or .md" in message
    assert list(tmp_path.iterdir()) == []
    # With the format given, any name goes.
    page = pm.report(["nis-estimate"], tmp_path / "r.txt", format="md", samples=100, seed=1)
    assert page.read_text(encoding="utf-8").startswith("#")


def test_the_samples_may_fill_what_the_timelines_leave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts month by month are point estimates: their timelines are counted, not a
    fixed half of the memory budget that fan charts of every sample once needed."""
    limits: list[int] = []
    checked = report_module.check_array_values

    def recording(what: str, dimensions: dict[str, int], advice: str, limit: int) -> None:
        limits.append(limit)
        checked(what, dimensions, advice, limit=limit)

    monkeypatch.setattr(report_module, "check_array_values", recording)
    names = ["nis-estimate", "deployment-as-reported"]
    pm.report(names, tmp_path / "r.html", samples=200, seed=1)
    # nis-estimate: 12 months × (month length + 9 columns + 8 running totals) = 216 values;
    # deployment-as-reported: 17 months × (1 + 9 + 8 + 5 contingents × 8 columns) = 986.
    assert limits == [MAX_ARRAY_VALUES - (216 + 986)]
    # Counted before any work, as the timelines then keep them.
    for name, values in zip(names, (216, 986), strict=True):
        line = pm.timeline(pm.builtin(name), samples=0)
        kept = [
            line.month_lengths,
            *line.columns.values(),
            *line.cumulative.values(),
            *(array for group in line.contingents.values() for array in group.values()),
        ]
        assert sum(array.size for array in kept) == values
    # --through cuts the months: casualty-aware's 11 to 3, 3 × 18 = 54.
    assert point_values(pm.builtin("casualty-aware"), 3) == 54
    assert pm.timeline(pm.builtin("casualty-aware"), samples=0, through=3).months.size == 3


def test_the_repeat_command_carries_the_edits_and_repeats_the_report(tmp_path: Path) -> None:
    # --set, --currency and --through change the numbers: a repeat command without them
    # would print another report under the same seed.
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    argv = [
        "nis-estimate", "--set", "deployment.troops=15000", "--currency", "KRW=1395",
        "--through", "6", "--samples", "200", "--seed", "2",
    ]  # fmt: skip
    ok("report", *argv, "--out", str(first / "r.html"))
    page = (first / "r.html").read_text()
    command = re.search(r"to repeat: <code>([^<]*)</code>", page)
    assert command is not None
    shown = html.unescape(command.group(1))
    assert shown == (
        "paymodel report nis-estimate --set deployment.troops=15000 --currency KRW=1395 "
        "--samples 200 --seed 2 --through 6 --out r.html"
    )
    repeated = shown.split()[2:-1]  # without "paymodel report" and the file's name
    ok("report", *repeated, str(second / "r.html"))
    assert (second / "r.html").read_bytes() == (first / "r.html").read_bytes()


def test_the_answer_shows_the_revenue_in_the_currency_under_the_dollars(tmp_path: Path) -> None:
    page = pm.report(
        ["nis-estimate", "independent-90"],
        tmp_path / "r.html",
        samples=200,
        seed=1,
    )
    assert "KRW" not in page.read_text()  # no currency: no column, no line
    krw = pm.builtin("nis-estimate").evolve(currency={"code": "KRW", "per_usd": 1395})
    text = pm.report([krw], tmp_path / "k.html", samples=200, seed=1).read_text()
    rows = _answer_cells(text)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", text.split('id="answer"')[1])
    assert "regime/year (and in KRW)" in [html.unescape(h) for h in headers]
    assert not any(h.startswith("regime/year in") for h in headers)  # no column of its own
    # 11,000 troops × $2,000 × 12 months, all kept: $264.0 M a year = 368.28 bn won at 1,395.
    cells = [point for point, _ in rows[0]]
    assert any("$264.0 M" in c and "KRW 368.28 bn" in c for c in cells)


@pytest.mark.parametrize(
    ("word", "shown"),
    [
        ("\udfff", "\\udfff"),
        ("mine\udcff.toml", "mine\\udcff.toml"),
        ("two\nlines", "two\\u000alines"),
    ],
)
def test_a_repeat_word_that_is_not_printable_text_is_shown_escaped(
    tmp_path: Path, word: str, shown: str
) -> None:
    # A lone surrogate (a file name's undecodable byte, as the command line hands it over)
    # cannot be written as UTF-8: the report raised UnicodeEncodeError after all its work.
    page = pm.report(["nis-estimate"], tmp_path / "r.html", samples=100, seed=1, repeat=[word])
    found = re.search(r"to repeat: <code>([^<]*)</code>", page.read_text(encoding="utf-8"))
    assert found is not None
    line = html.unescape(found.group(1))
    assert line.startswith("paymodel report ")
    assert shown in line
    assert "\n" not in line


def test_a_scenario_file_with_an_undecodable_name_gets_a_report(tmp_path: Path) -> None:
    # The command line decodes a byte that is not UTF-8 (0xff) as a lone surrogate.
    scenario = Path(os.fsdecode(bytes(tmp_path) + b"/mine\xff.toml"))
    ok("init", str(scenario))
    page = tmp_path / "r.html"
    ok("report", str(scenario), "--samples", "100", "--seed", "1", "--out", str(page))
    assert "mine\\udcff.toml" in page.read_text(encoding="utf-8")


def test_a_markdown_report_whose_name_is_not_utf8_links_its_charts(tmp_path: Path) -> None:
    # The command line decodes a byte that is not UTF-8 (0xff) as a lone surrogate; the
    # links percent-encoded it as UTF-8 and the report ended in an internal error.
    page = Path(os.fsdecode(bytes(tmp_path) + b"/r\xff.md"))
    ok("report", "nis-estimate", "--samples", "100", "--seed", "1", "--out", str(page))
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\((r%FF_files/[^)]+)\)", text)
    assert links  # every chart linked through the name's own byte
    for link in links:
        target = tmp_path / os.fsdecode(urllib.parse.unquote_to_bytes(link))
        assert target.is_file(), link


# -- a report is written over a report paymodel wrote, and over nothing else ---------------------


def _without_mark(text: str, fmt: str) -> str:
    """The report as paymodel 0.1 wrote it: the same text without the mark added since."""
    version = pm.__version__
    if fmt == "html":
        generator = f'<meta name="generator" content="paymodel {version}">\n'
        assert text.count(generator) == 1
        return text.replace(generator, "")
    mark = report_module._MD_MARK.format(version=version)
    assert text.endswith(f"\n\n{mark}\n")
    return text.removesuffix(f"\n{mark}\n")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_report_is_written_again_over_its_own(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"r.{fmt}"
    first = pm.report(["nis-estimate"], target, samples=200, seed=1).read_text(encoding="utf-8")
    # The mark: in the head, right after the charset; or the Markdown's last line.
    if fmt == "html":
        generator = f'<meta name="generator" content="paymodel {pm.__version__}">'
        assert first.splitlines()[4] == generator
    else:
        assert first.splitlines()[-1] == (
            f"Written by paymodel {pm.__version__} (`paymodel report`), which replaces this file "
            "when it writes a report to it again; edit a copy."
        )
    second = pm.report(["independent-90"], target, samples=200, seed=1).read_text(encoding="utf-8")
    assert "independent-90" in second
    assert "nis-estimate" not in second
    # A report from before the mark is paymodel's too (known by its first lines).
    target.write_text(_without_mark(first, fmt), encoding="utf-8")
    ok("report", "nis-estimate", "--samples", "200", "--seed", "1", "--out", str(target))
    assert target.read_text(encoding="utf-8") == first
    names = ["r.html"] if fmt == "html" else ["r.md", "r_files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_an_edited_report_stays_paymodels_and_the_users_copy_does_not(
    fmt: str, tmp_path: Path
) -> None:
    # The Markdown mark says it: writing the report again replaces the file; edit a copy.
    target = tmp_path / f"r.{fmt}"
    text = pm.report(["nis-estimate"], target, samples=200, seed=1).read_text(encoding="utf-8")
    target.write_text(text.replace("Where the money goes", "My edit"), encoding="utf-8")
    pm.report(["nis-estimate"], target, samples=200, seed=1)
    assert target.read_text(encoding="utf-8") == text
    # The user's own page around a copy of the report's body, without its mark: not a report.
    mine = tmp_path / f"mine.{fmt}"
    copied = _without_mark(text, fmt)
    if fmt == "html":
        mine.write_text("<!DOCTYPE html>\n<p>mine</p>\n" + copied.split("<body>")[1])
    else:
        mine.write_text("# Mine\n\nmy words\n\n## The answer" + copied.split("## The answer")[1])
    kept = mine.read_bytes()
    with pytest.raises(pm.ArgumentError, match="exists and is not a report paymodel wrote"):
        pm.report(["nis-estimate"], mine, samples=200, seed=1)
    assert mine.read_bytes() == kept


def _bytes_read_by_this_process() -> int | None:
    """What this process has read so far [bytes] (Linux's /proc/self/io ``rchar``)."""
    try:
        io_counters = Path("/proc/self/io").read_text()
    except OSError:
        return None
    return int(re.search(r"^rchar: (\d+)$", io_counters, re.MULTILINE)[1])  # type: ignore[index]


@pytest.mark.parametrize("name", ["huge.html", "huge.md"])
def test_a_huge_file_is_refused_without_being_read(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paymodel.files import MARK_BYTES

    size = 8 * 2**30  # 8 GiB, sparse: it takes no room on disk, but seconds to read
    target = tmp_path / name
    with target.open("wb") as stream:
        stream.write(b"<!DOCTYPE html>\n<p>my archive</p>\n")
        stream.truncate(size)
    calls: list[int] = []
    real_read = os.read

    def counting(handle: int, count: int) -> bytes:
        data = real_read(handle, count)
        calls.append(len(data))
        return data

    monkeypatch.setattr(report_module, "_content", _fail)  # refused before any work
    before = _bytes_read_by_this_process()
    with monkeypatch.context() as patch:
        patch.setattr(os, "read", counting)
        with pytest.raises(pm.ArgumentError, match="exists and is not a report paymodel wrote"):
            pm.report(["nis-estimate"], target)
    after = _bytes_read_by_this_process()
    assert sum(calls) <= 2 * MARK_BYTES  # its first and last 64 KiB
    if before is not None and after is not None:
        assert after - before < 2**20  # under 1 MiB read in all, of 8 GiB
    assert target.stat().st_size == size
    line = bad("report", "nis-estimate", "--out", str(target))
    assert line == (
        f"paymodel: error: report: {target} exists and is not a report paymodel wrote; "
        "choose another name for the report or remove the file"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_file_saved_there_while_the_report_is_drawn_is_kept(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / f"r.{fmt}"
    drawn = report_module._content
    users = "the user's own, saved while the report was being drawn\n"

    def meanwhile(*args: object, **kwargs: object) -> object:
        content = drawn(*args, **kwargs)
        target.write_text(users)
        return content

    monkeypatch.setattr(report_module, "_content", meanwhile)
    with pytest.raises(pm.ArgumentError, match=f"r.{fmt} exists and is not a report paymodel"):
        pm.report(["nis-estimate"], target, samples=200, seed=1)
    assert target.read_text() == users
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no charts, no temporary


def test_a_link_is_neither_replaced_nor_written_through(tmp_path: Path) -> None:
    real = pm.report(["nis-estimate"], tmp_path / "real.html", samples=200, seed=1)
    page = real.read_bytes()
    link = tmp_path / "link.html"
    link.symlink_to("real.html")
    line = bad("report", "independent-90", "--samples", "200", "--out", str(link))
    assert f"report: {link} is a symbolic link" in line
    assert link.is_symlink()
    assert os.readlink(link) == "real.html"
    assert real.read_bytes() == page
    # The file's own name is a report paymodel wrote: it is written again.
    ok("report", "independent-90", "--samples", "200", "--out", str(real))
    assert "independent-90" in real.read_text()
