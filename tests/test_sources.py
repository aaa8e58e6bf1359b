"""The claims registry: built from the shared claims.json (revised 2026-12), figures unchanged."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import paymodel as pm
from helpers import run as run_cli
from paymodel.sources import MEASURES

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "claims.json"
SEEDS = ROOT.parent / "shared" / "seeds"
# Every field but the note (paraphrased) and the aliases (ours) is copied from the shared file.
COPIED = (
    "quantity",
    "value_low",
    "value_high",
    "unit",
    "period",
    "claimed_by",
    "reported_in",
    "date",
    "status",
    "title",
    "url",
    "measure",
)
RUN = 8  # no run of this many words of a note may be copied from a shared note or a seed


def _runs(text: str) -> set[str]:
    words = text.split()
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def test_registry_has_every_claim_with_a_status_and_a_measure() -> None:
    claims = pm.claims()
    assert len(claims) == 156
    assert len({c.id for c in claims}) == 156
    assert {c.status for c in claims} == {"reported", "unverified", "conflicting"}
    assert {c.measure for c in claims} <= set(MEASURES)
    # The 2026-12 revision uses 11 of the 13 measures (nothing counts wounded or durations).
    assert {c.measure for c in claims} == set(MEASURES) - {"wounded", "duration"}
    assert len(MEASURES) == 13


def test_dates_are_a_day_a_month_or_none_with_the_period_saying_what_is_known() -> None:
    dated = [c for c in pm.claims() if c.date is not None]
    undated = [c for c in pm.claims() if c.date is None]
    assert len(dated) == 148
    assert len(undated) == 8
    for c in dated:
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", c.date), c.id
    for c in undated:
        assert c.period, c.id
        assert c.when == "undated"
    assert pm.claim("PAY-23").date is None
    assert pm.claim("PAY-23").period == "2025"


def test_titles_and_urls_where_established() -> None:
    claims = pm.claims()
    with_url = [c for c in claims if c.url is not None]
    assert with_url, "the revision gives urls"
    for c in with_url:
        assert c.url.startswith("https://") or c.url.startswith("http://"), c.id
    c = pm.claim("CAS-22")
    assert c.title == "North Korea welcomes engineer troops' return from Russia's Kursk region"
    assert c.url is not None
    assert c.url.startswith("https://koreajoongangdaily.joins.com/")
    assert c.measure == "killed"
    assert pm.claim("PAY-26").title is None


@pytest.mark.skipif(not SHARED.exists(), reason="the project's shared/ folder is not beside")
def test_registry_figures_match_the_shared_file_and_notes_are_paraphrased() -> None:
    shared = json.loads(SHARED.read_text("utf-8"))
    ours = {c.id: c for c in pm.claims()}
    assert [row["id"] for row in shared] == list(ours)
    for row in shared:
        claim = ours[row["id"]]
        for key in COPIED:
            assert getattr(claim, key) == row[key], (row["id"], key)
        assert claim.note or not row["note"], row["id"]
        # No run of 8 words copied from the shared note.
        for run in _runs(row["note"]):
            assert run not in claim.note, (row["id"], run)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the project's shared/ folder is not beside")
def test_notes_do_not_copy_the_seed_articles() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 2
    copied = set().union(*(_runs(path.read_text("utf-8")) for path in seeds))
    assert len(copied) > 500  # the two articles, ~800 words
    for claim in pm.claims():
        for run in _runs(claim.note):
            assert run not in copied, (claim.id, run)


def test_the_2026_revision_corrections() -> None:
    pay02 = pm.claim("PAY-02")
    assert pay02.date == "2024-10-30"
    assert pay02.claimed_by.startswith("Associated Press story carried by The Independent")
    assert pay02.reported_in.startswith("Associated Press")
    assert pm.claim("CAS-08").date == "2025-01-22"
    assert pm.claim("PAY-23").status == "conflicting"
    assert pm.claim("CAS-18").status == "conflicting"
    new = ["DEP-26", "PAY-26", "PAY-27", "REV-22", "REV-23", "REV-24", "CAS-21", "CAS-22"]
    new += [f"OW-{n}" for n in range(20, 26)]
    assert len(new) == 14
    for claim_id in new:
        assert pm.claim(claim_id).note, claim_id


def test_lookup_by_id_and_alias() -> None:
    assert pm.claim("PAY-01").value_low == 2000
    assert pm.claim("independent-2024-share").id == "PAY-02"
    assert pm.claim("DEP-09").figure() == "11,000–15,000 troops"
    with pytest.raises(pm.UnknownClaimError, match="did you mean 'PAY-01'"):
        pm.claim("pay-01")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("PAY-1", "PAY-01"),  # difflib alone suggests PAY-21: one character away
        ("pay1", "PAY-01"),
        ("cas-015", "CAS-15"),
        ("Independent-2024-Share", "independent-2024-share"),  # an alias, in another case
        ("PAY-211", "PAY-21"),  # no such number: the closest spelling
    ],
)
def test_a_claim_id_is_matched_by_its_number_first(typed: str, meant: str) -> None:
    with pytest.raises(pm.UnknownClaimError, match=f"did you mean '{meant}'"):
        pm.claim(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "PAY-" + "1" * 5_000,  # more digits than int() converts: an unknown id all the same
        "PAY-01" * 10_000,  # 60,000 characters: not repeated whole
    ],
    ids=["5000-digits", "60000-characters"],
)
def test_an_absurd_claim_id_is_one_short_line(typed: str, tmp_path: Path) -> None:
    with pytest.raises(pm.UnknownClaimError) as caught:
        pm.claim(typed)
    message = str(caught.value)
    assert message.startswith(f"claim: unknown claim id {typed[:20]!r}"[:-1])
    assert len(message) < 200
    # In a scenario file, the CLI names the field.
    path = tmp_path / "ids.json"
    path.write_text(json.dumps({**json.loads(pm.builtin("nis-estimate").model_dump_json()),
                                "sources": [typed]}))  # fmt: skip
    status, out, err = run_cli("run", str(path))
    assert (status, out) == (2, "")
    assert err.startswith(f"paymodel: error: {path}: sources: unknown claim id ")
    assert len(err) < 300


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"measure": "deaths"}, "claim PAY-01: measure must be one of troops, killed, "),
        ({"status": "rumour"}, "claim PAY-01: status must be one of reported, unverified"),
        ({"date": "2024"}, "claim PAY-01: date must be YYYY-MM-DD, YYYY-MM or null"),
        ({"date": "2024-13"}, "date must be YYYY-MM-DD, YYYY-MM or null, such as '2024-10-30'"),
        ({"date": "31 Oct 2024"}, "(got '31 Oct 2024')"),
        ({"url": "www.example.org"}, "claim PAY-01: url must be an http(s) address"),
    ],
)
def test_a_claim_checks_its_words_and_date(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        dataclasses.replace(pm.claim("PAY-01"), **change)


def test_claims_frame_has_one_row_per_claim_and_every_field() -> None:
    frame = pm.claims_frame()
    assert frame.index.name == "id"
    assert list(frame.index) == [c.id for c in pm.claims()]
    fields = [f.name for f in dataclasses.fields(pm.Claim) if f.name != "id"]
    assert list(frame.columns) == fields
    assert {"title", "url", "measure", "date"} <= set(frame.columns)
    row = frame.loc["PAY-02"]
    assert row["date"] == "2024-10-30"
    assert row["measure"] == "pay"
    assert (row["value_low"], row["value_high"]) == (1200.0, 2400.0)  # the soldier's range
    assert row["aliases"] == ("independent-2024-pay", "independent-2024-share")
    assert pd.isna(frame.loc["PAY-23", "date"])  # undated
    assert pd.isna(frame.loc["PAY-26", "title"])
    assert math.isnan(frame.loc["CAS-21", "value_high"])  # "more than 6,000": no upper figure
    assert frame.loc["CAS-21", "value_low"] == 6000.0
    # 5 claims count deaths only: what a deaths input should cite.
    assert sorted(frame.index[frame["measure"] == "killed"]) == sorted(
        c.id for c in pm.claims() if c.measure == "killed"
    )
    assert (frame["measure"] == "killed").sum() == 5


# -- what the docs say about claims -------------------------------------------------------

_ROW = re.compile(r"^\| `(?P<id>[A-Z]+-\d\d)` \|.*\| (?P<date>[^|]+) \| (?P<status>\w+) \|$")


def test_the_docs_claim_tables_carry_the_registry_date_and_status() -> None:
    rows = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for line in page.read_text("utf-8").splitlines():
            match = _ROW.match(line)
            if match:
                rows.append((page.name, match))
    assert len(rows) > 40  # docs/scenarios.md lists every built-in's claims
    for page, match in rows:
        c = pm.claim(match["id"])
        assert match["date"].strip() == c.when, (page, c.id)
        assert match["status"] == c.status, (page, c.id)
