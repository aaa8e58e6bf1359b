"""The claims registry: built from the shared claims.json, figures unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import paymodel as pm

SHARED = Path(__file__).resolve().parents[2] / "shared" / "claims.json"
COPIED = (
    "value_low",
    "value_high",
    "unit",
    "period",
    "claimed_by",
    "reported_in",
    "date",
    "status",
)


def test_registry_has_every_claim_with_a_status() -> None:
    claims = pm.claims()
    assert len(claims) == 142
    assert len({c.id for c in claims}) == 142
    assert {c.status for c in claims} == {"reported", "unverified", "conflicting"}


@pytest.mark.skipif(not SHARED.exists(), reason="the project's shared/ folder is not beside")
def test_registry_figures_match_the_shared_file_and_notes_are_paraphrased() -> None:
    shared = json.loads(SHARED.read_text("utf-8"))
    ours = {c.id: c for c in pm.claims()}
    assert [row["id"] for row in shared] == list(ours)
    for row in shared:
        claim = ours[row["id"]]
        for key in COPIED:
            assert getattr(claim, key) == row[key], (row["id"], key)
        words = row["note"].split()
        # No run of 8 words copied from the shared note.
        for start in range(max(0, len(words) - 7)):
            assert " ".join(words[start : start + 8]) not in claim.note, row["id"]


def test_lookup_by_id_and_alias() -> None:
    assert pm.claim("PAY-01").value_low == 2000
    assert pm.claim("independent-2024-share").id == "PAY-02"
    assert pm.claim("DEP-09").figure() == "11,000–15,000 troops"
    with pytest.raises(pm.UnknownClaimError, match="did you mean 'PAY-01'"):
        pm.claim("pay-01")
