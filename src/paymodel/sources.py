"""The claims registry: dated public figures that scenarios cite.

Built from the project's shared ``claims.json``: each claim keeps its figures, unit,
period, who made it, where it was reported, its date and its status (``reported``,
``unverified`` or ``conflicting``); notes are paraphrased. A scenario's ``sources`` and
``citations`` must name claims that exist here (an unknown id is an error).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from paymodel.errors import UnknownClaimError

__all__ = ["Claim", "check_claim_ids", "claim", "claims"]


@dataclass(frozen=True)
class Claim:
    """One dated public figure.

    Attributes
    ----------
    id
        Registry id, e.g. ``"PAY-01"``; the prefix groups claims (``DEP`` deployment,
        ``PAY`` pay, ``REV`` revenue estimates, ``CAS`` casualties, ``OW`` overseas
        workers, ``DOM`` domestic wages and exchange rates, ``BEN`` benefits, ``CTX``
        context).
    quantity
        What the figure measures.
    value_low, value_high
        The reported range (equal for a point figure; ``None`` for a qualitative claim).
    unit
        What the values count.
    period
        The period the figure covers.
    claimed_by
        Who made the claim.
    reported_in
        Where it was reported.
    date
        Date of the claim (ISO, possibly only year or year-month).
    status
        ``reported``, ``unverified`` or ``conflicting``.
    note
        Context and caveats (paraphrased).
    aliases
        Other ids that name this claim.
    """

    id: str
    quantity: str
    value_low: float | None
    value_high: float | None
    unit: str
    period: str
    claimed_by: str
    reported_in: str
    date: str
    status: Literal["reported", "unverified", "conflicting"]
    note: str
    aliases: tuple[str, ...] = field(default=())

    def figure(self) -> str:
        """The reported value or range as text, e.g. ``11,000–15,000 troops``."""
        low, high = self.value_low, self.value_high
        if low is None and high is None:
            return self.unit
        if low is None or high is None or low == high:
            value = low if low is not None else high
            return f"{_number(value)} {self.unit}"
        return f"{_number(low)}–{_number(high)} {self.unit}"

    def to_dict(self) -> dict[str, Any]:
        """The claim as a JSON-ready dict."""
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        return data


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


@cache
def claims() -> tuple[Claim, ...]:
    """Every claim in the registry, in registry order.

    Examples
    --------
    >>> import paymodel as pm
    >>> pm.claim("PAY-01").figure()
    '2,000 USD/month/soldier'
    """
    text = resources.files("paymodel").joinpath("data/claims.json").read_text("utf-8")
    rows = json.loads(text)["claims"]
    return tuple(Claim(**{**row, "aliases": tuple(row.get("aliases", ()))}) for row in rows)


@cache
def _index() -> dict[str, Claim]:
    index: dict[str, Claim] = {}
    for item in claims():
        index[item.id] = item
        for alias in item.aliases:
            index[alias] = item
    return index


def claim(claim_id: str) -> Claim:
    """Look up one claim by id or alias.

    Raises
    ------
    UnknownClaimError
        When no claim has that id.
    """
    check_claim_ids([claim_id], where="claim")
    return _index()[claim_id]


def check_claim_ids(ids: Iterable[str], *, where: str) -> None:
    """Raise `UnknownClaimError` for the first unknown id.

    Parameters
    ----------
    ids
        Claim ids to check.
    where
        What holds them, for the message (e.g. ``"sources"``).
    """
    index = _index()
    for claim_id in ids:
        if claim_id not in index:
            upper = claim_id.upper()
            close = [upper] if upper in index else difflib.get_close_matches(claim_id, index, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UnknownClaimError(
                f"{where}: unknown claim id {claim_id!r}{hint} "
                "(`paymodel sources` lists the registry)"
            )
