"""The claims registry: dated public figures that scenarios cite.

Built from the project's shared ``claims.json`` (revised 2026-12, 156 claims): each claim
keeps its figures, unit, period, who made it, where it was reported, its date (day, month or
none), its status (``reported``, ``unverified`` or ``conflicting``), what its figures count
(``measure``) and, where established, the original report's ``title`` and ``url``; notes are
paraphrased. A scenario's ``sources`` and ``citations`` must name claims that exist here (an
unknown id is an error). `claims_frame` gives the registry as a pandas DataFrame.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, get_args

from paymodel.arguments import check_text
from paymodel.errors import UnknownClaimError
from paymodel.messages import did_you_mean, show

if TYPE_CHECKING:  # pragma: no cover - for the annotations only
    import pandas as pd

__all__ = [
    "MEASURES",
    "STATUSES",
    "Claim",
    "Measure",
    "Status",
    "check_claim_ids",
    "claim",
    "claims",
    "claims_frame",
]

#: What a claim's ``value_low``/``value_high`` count (``casualties``: killed and wounded
#: together, or unclear; ``share_kept``: the fraction a soldier or worker keeps).
Measure = Literal[
    "troops",
    "killed",
    "wounded",
    "casualties",
    "pay",
    "share_kept",
    "lump_sum",
    "revenue",
    "workers",
    "wage",
    "exchange_rate",
    "duration",
    "other",
]
#: How far a claim can be relied on.
Status = Literal["reported", "unverified", "conflicting"]
MEASURES: tuple[str, ...] = get_args(Measure)
STATUSES: tuple[str, ...] = get_args(Status)

_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")


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
        Where it was reported, the original outlet first.
    date
        Date of the claim, ``YYYY-MM-DD`` or ``YYYY-MM``; ``None`` where only a year or no
        date is known (then `period` says what is known).
    status
        ``reported``, ``unverified`` or ``conflicting``.
    note
        Context and caveats (paraphrased).
    title
        The headline of the original report (or the study's title), or ``None`` where it
        is not established.
    url
        The original outlet's own address, or ``None`` where it is not established (never a
        mirror or rewrite site).
    measure
        What the values count: one of `MEASURES` (``troops``, ``killed``, ``wounded``,
        ``casualties``, ``pay``, ``share_kept``, ``lump_sum``, ``revenue``, ``workers``,
        ``wage``, ``exchange_rate``, ``duration``, ``other``).
    aliases
        Other ids that name this claim.

    Raises
    ------
    ValueError
        When `status` or `measure` is not one of the allowed words, or `date` is not
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``None``.

    Examples
    --------
    >>> import paymodel as pm
    >>> c = pm.claim("PAY-02")
    >>> c.date, c.measure, c.status
    ('2024-10-30', 'pay', 'unverified')
    """

    id: str
    quantity: str
    value_low: float | None
    value_high: float | None
    unit: str
    period: str
    claimed_by: str
    reported_in: str
    date: str | None
    status: Status
    note: str
    title: str | None
    url: str | None
    measure: Measure
    aliases: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name, allowed in (("status", STATUSES), ("measure", MEASURES)):
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(
                    f"claim {self.id}: {name} must be one of {', '.join(allowed)} (got {value!r})"
                )
        if self.date is not None and not (
            isinstance(self.date, str) and _DATE.fullmatch(self.date)
        ):
            raise ValueError(
                f"claim {self.id}: date must be YYYY-MM-DD, YYYY-MM or null, "
                f"such as '2024-10-30' (got {self.date!r})"
            )
        if self.url is not None and not self.url.startswith(("https://", "http://")):
            raise ValueError(f"claim {self.id}: url must be an http(s) address (got {self.url!r})")

    @property
    def when(self) -> str:
        """The date as text: `date`, or ``"undated"`` when there is none."""
        return self.date if self.date is not None else "undated"

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


#: The columns of `claims_frame`, in order (``id`` is the index).
_FRAME_COLUMNS = tuple(f.name for f in fields(Claim))


def claims_frame() -> pd.DataFrame:
    """Every claim as a pandas DataFrame, one row per claim in registry order.

    The index is ``id``; the columns are the other `Claim` fields in order (``quantity`` …
    ``measure``, ``aliases`` as tuples). Dates stay text (``YYYY-MM-DD`` or ``YYYY-MM``);
    a missing date, title or url is NA (``pandas.isna``), and so are the values of a
    qualitative claim. Needs pandas (``pip install 'paymodel[frame]'``).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    MissingExtraError
        When pandas is not installed.

    Examples
    --------
    >>> import paymodel as pm
    >>> frame = pm.claims_frame()
    >>> frame.loc["PAY-02", ["date", "measure"]].tolist()
    ['2024-10-30', 'pay']
    >>> int((frame["measure"] == "killed").sum())
    5
    """
    from paymodel.frames import data_frame

    rows = claims()
    columns = {name: [getattr(c, name) for c in rows] for name in _FRAME_COLUMNS}
    for name in ("value_low", "value_high"):
        columns[name] = [float("nan") if v is None else float(v) for v in columns[name]]
    return data_frame(columns, "id")


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
    check_text(claim_id, "claim_id", example="'PAY-01'")
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
            hint = did_you_mean(claim_id, index, first=_same_claim(claim_id, index))
            raise UnknownClaimError(
                f"{where}: unknown claim id {show(claim_id)}{hint} "
                "(`paymodel sources` lists the registry)"
            )


#: A claim id as people type it: a prefix and a number (``PAY-1``, ``pay01``, ``cas-015``).
_PREFIX_NUMBER = re.compile(r"([A-Za-z]+)-?0*(\d+)")


def _same_claim(claim_id: str, ids: Iterable[str]) -> str | None:
    """The registry's id that ``claim_id`` means once case and the number are normalised.

    ``PAY-1`` and ``pay-01`` mean ``PAY-01`` (difflib alone would suggest ``PAY-21``, one
    letter away); an alias in another case means that alias.

    Examples
    --------
    >>> _same_claim("PAY-1", ["PAY-01", "PAY-21"]), _same_claim("cas15", ["CAS-15"])
    ('PAY-01', 'CAS-15')
    >>> _same_claim("PAY-3", ["PAY-01"]) is None
    True
    """
    typed = _PREFIX_NUMBER.fullmatch(claim_id.strip())
    for known in ids:
        if known.upper() == claim_id.strip().upper():
            return known
        if typed is None:
            continue
        match = _PREFIX_NUMBER.fullmatch(known)
        if (
            match is not None
            and match.group(1).upper() == typed.group(1).upper()
            # The digits without leading zeros, compared as text: int() refuses more than
            # 4,300 digits, and an id typed with 5,000 must be an unknown id, not a crash.
            and match.group(2) == typed.group(2)
        ):
            return known
    return None
