"""Scenario files: reading TOML or JSON, writing atomically, the starting template.

Everything a user types passes through here before it becomes a
:class:`~paymodel.scenario.Scenario`, and every problem becomes one line that names the file,
the field and the rule (:class:`~paymodel.errors.ScenarioError`).
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import stat
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from paymodel.errors import ArgumentTypeError, ScenarioError, ScenarioFileError
from paymodel.messages import scenario_error, show, type_name
from paymodel.scenario import Scenario

__all__ = [
    "CONTINGENTS_TEMPLATE",
    "JSON_TEMPLATE",
    "LEFTOVER_SECONDS",
    "MARK_BYTES",
    "MAX_FILE_BYTES",
    "TEMPLATE",
    "TEMPLATES",
    "check_replaceable",
    "file_kind",
    "is_leftover",
    "load_scenario_file",
    "read_document",
    "remove_leftovers",
    "scenario_from_dict",
    "shown_name",
    "template_for",
    "write_atomic",
]

#: Largest scenario file read (a scenario is a few kilobytes; this catches wrong files).
MAX_FILE_BYTES = 1_000_000


def scenario_from_dict(data: Any, *, where: str = "") -> Scenario:
    """Validate a parsed document as a scenario, with a one-line error.

    Parameters
    ----------
    data
        The parsed TOML or JSON document.
    where
        What the document came from, for messages.

    Raises
    ------
    ScenarioError
        With a one-line message naming the field and the problem (an
        :class:`~paymodel.errors.UnknownClaimError` for a claim id not in the registry).
    """
    if not isinstance(data, Mapping):
        prefix = f"{where}: " if where else ""
        raise ScenarioFileError(
            f"{prefix}a scenario must be a table of keys (got {type_name(data)})"
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise scenario_error(error, data, where, model=Scenario) from error
    except ScenarioError as error:
        raise type(error)(f"{where}: {error}" if where else str(error)) from error


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (JSON would keep the last)."""
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise _DuplicateKeyError(key)
        table[key] = value
    return table


class _DuplicateKeyError(ValueError):
    """A JSON object names the same key twice."""


def _parse(text: str, *, json_syntax: bool, where: str, what: str = "scenario file") -> Any:
    """Parse a document (a ``what``), every failure as one :class:`ScenarioFileError` line."""
    try:
        if json_syntax:
            # NaN and Infinity parse as floats, so that the model names the field they are in.
            return json.loads(text, object_pairs_hook=_unique_keys)
        return tomllib.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioFileError(
            f"{where}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioFileError(f"{where}: invalid TOML: {error}") from None
    except _DuplicateKeyError as error:
        raise ScenarioFileError(
            f"{where}: the key {show(error.args[0])} appears twice in one table; keep one"
        ) from None
    except ValueError as error:  # an integer too long for Python to convert
        raise ScenarioFileError(
            f"{where}: a number has too many digits to be read ({show(str(error))})"
        ) from None
    except RecursionError:
        raise ScenarioFileError(f"{where}: nested too deeply to be a {what}") from None


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(mode: int, where: str, what: str) -> None:
    """Refuse anything but a regular file (a directory is left to ``open`` to report)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
    raise ScenarioFileError(
        f"{where}: is {kind}, not a {what}; give a regular file (reading it could wait forever)"
    )


#: Longest file name messages show as typed; a longer one is shown quoted and cut.
_SHOW_NAME_CHARS = 120


def shown_name(path: str | os.PathLike[str]) -> str:
    r"""A file name as messages show it: as typed, or quoted and cut when it would not read.

    A name with control characters (a newline, an escape sequence) or one that cannot be
    written as text (undecodable bytes) is shown as a Python string literal, and a very long
    one is cut in the middle, keeping its end: the file's own name.

    Examples
    --------
    >>> shown_name("out/report.md"), shown_name("a\nb.toml")
    ('out/report.md', "'a\\nb.toml'")
    >>> print(shown_name("/data/" + "x" * 200 + "/my\x1b.toml"))
    '/data/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/my\x1b.toml'
    """
    text = os.fspath(path)
    if not isinstance(text, str):
        return show(text)
    if text.isprintable() and len(text) <= _SHOW_NAME_CHARS:
        return text
    quoted = repr(text)
    if len(quoted) <= _SHOW_NAME_CHARS:
        return quoted
    head = _SHOW_NAME_CHARS // 3
    return f"{quoted[:head]}…{quoted[head + 1 - _SHOW_NAME_CHARS :]}"


def file_kind(path: str | os.PathLike[str], purpose: str = "read") -> str:
    """What a name the user gave is on disk: ``"file"``, ``"folder"``, ``"other"`` or ``"missing"``.

    The one place that asks the file system about a name before reading or writing it, so
    that every answer the file system refuses to give (a name too long, a loop of symbolic
    links, no permission to look, a NUL character) is one line naming the file.

    Parameters
    ----------
    path
        The name, as given.
    purpose
        What paymodel means to do with it, for the message: ``"read"`` or ``"write"``.

    Returns
    -------
    str
        ``"file"`` (a regular file, or a link to one), ``"folder"``, ``"other"`` (a device, a
        pipe, a socket) or ``"missing"`` (nothing there, or a part of the path is a file).

    Raises
    ------
    ScenarioFileError
        When the file system cannot tell, e.g. ``File name too long``.

    Examples
    --------
    >>> file_kind("/"), file_kind("/no/such/file.toml")
    ('folder', 'missing')
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioFileError(f"{shown_name(path)}: cannot {purpose} ({reason})") from None
    except ValueError:  # a NUL character in the name
        raise ScenarioFileError(f"{shown_name(path)}: not a valid file name") from None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "other"


def read_document(path: str | os.PathLike[str], *, what: str = "scenario file") -> tuple[str, Any]:
    """Read and parse a TOML file (or JSON, for a ``.json`` name), every failure one line.

    The checks every file paymodel reads goes through: it must exist, be a regular file
    (not a named pipe, device or socket, which could block the read forever), be at most
    `MAX_FILE_BYTES` long, not be empty, be UTF-8 text without NUL bytes (a byte-order
    mark is dropped) and parse, without a key given twice or nesting too deep to read.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be, for messages (``"scenario file"``).

    Returns
    -------
    tuple
        ``(where, document)``: the path as messages show it, and the parsed document.

    Raises
    ------
    ScenarioFileError
        When the file cannot be read or parsed.
    """
    text_path = os.fspath(path) if isinstance(path, str | os.PathLike) else path
    if not isinstance(text_path, str):  # bytes, a number, None, ...
        raise ArgumentTypeError(f"a {what} is named by a str or a path (got {type(path).__name__})")
    if not text_path:  # Path("") is the current folder
        raise ScenarioFileError(f"'': an empty name is not a {what}")
    # As given (a long name in full: it is also `Case.file`, a check file's name in reports
    # and JSON), quoted when it holds a control character.
    where = text_path if text_path.isprintable() else repr(text_path)
    file = Path(text_path)
    try:
        # Only a regular file is read: a named pipe would block the read until some other
        # program writes to it (forever, usually), and a device may never end.
        _check_regular(os.stat(file).st_mode, where, what)
        with file.open("rb") as handle:
            _check_regular(os.fstat(handle.fileno()).st_mode, where, what)
            raw = handle.read(MAX_FILE_BYTES + 1)
    except ScenarioFileError:  # a ValueError, which must not pass for a bad name below
        raise
    except FileNotFoundError:
        raise ScenarioFileError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise ScenarioFileError(f"{where}: is a directory, not a {what}") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioFileError(f"{where}: cannot read ({reason})") from error
    except ValueError:  # a NUL character in the path
        raise ScenarioFileError(f"{where}: not a valid file name") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(
            f"{where}: file is larger than {MAX_FILE_BYTES:,} bytes; a {what} is a few kilobytes"
        )
    if not raw.strip():
        start = " (`paymodel init FILE` writes a start)" if what == "scenario file" else ""
        raise ScenarioFileError(f"{where}: file is empty{start}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioFileError(
            f"{where}: not UTF-8 text (byte {error.start}); is this a binary file?"
        ) from None
    if "\x00" in text:
        raise ScenarioFileError(f"{where}: contains NUL bytes; is this a binary file?")
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write
    return where, _parse(text, json_syntax=file.suffix.lower() == ".json", where=where, what=what)


def load_scenario_file(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario from a TOML file (or a JSON file with the same structure).

    Parameters
    ----------
    path
        The file; ``.json`` is read as JSON, anything else as TOML.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioFileError
        When the file cannot be read or parsed.
    ScenarioError
        When a value breaks a rule of the model.
    """
    where, data = read_document(path)
    try:
        return scenario_from_dict(data, where=where)
    except RecursionError:
        raise ScenarioFileError(f"{where}: nested too deeply to be a scenario") from None


#: How old a temporary file or folder of paymodel's must be before a later run removes it
#: [s]. Writing one takes seconds; one this old was left by a run that was killed (a younger
#: one may belong to a run still writing, which must not lose it).
LEFTOVER_SECONDS = 600


def is_leftover(path: Path) -> bool:
    """Whether ``path`` was last changed more than `LEFTOVER_SECONDS` ago."""
    try:
        changed = path.lstat().st_mtime
    except OSError:
        return False
    return time.time() - changed > LEFTOVER_SECONDS


def remove_leftovers(folder: Path, pattern: re.Pattern[str]) -> None:
    """Remove what a killed run of paymodel left in ``folder``: names ``pattern`` matches whole.

    Only entries whose whole name matches ``pattern`` (one of paymodel's own temporary
    names, such as ``.report.html.<12 hex digits>.tmp``) and that are older than
    `LEFTOVER_SECONDS` are removed; nothing else is touched, and a failure to remove one is
    ignored (it is tried again next time).
    """
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if not pattern.fullmatch(entry.name) or not is_leftover(path):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either complete or untouched.

    The text goes to a new file in the same directory, which then replaces ``path`` in one
    step (:func:`os.replace`); if anything fails before that step, the new file is removed
    and ``path`` is as it was. The new file gets the permissions of the file it replaces
    (or the usual ones, under the umask, for a new file).

    Parameters
    ----------
    path
        The file to write.
    text
        Its whole content, written as UTF-8.

    The temporary file is ``.<name>.<12 hex digits>.tmp``; one that a killed run left
    behind is removed by the next write to the same name, once older than
    `LEFTOVER_SECONDS`.

    Raises
    ------
    OSError
        When ``path`` exists and is not a regular file (a device such as ``/dev/full``, a
        pipe, a directory): replacing it would remove it, so it is left alone.
    """
    target = Path(path)
    remove_leftovers(target.parent, re.compile(rf"\.{re.escape(target.name)}\.[0-9a-f]{{12}}\.tmp"))
    try:
        status = target.stat()
    except OSError:
        mode: int | None = None
    else:
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(target))
        mode = stat.S_IMODE(status.st_mode)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


#: How much of the start, and of the end, of an existing file paymodel reads to tell whether
#: it wrote that file itself [bytes]: its marks are in its first lines or its last line, so a
#: file of any size is recognised, or refused, from these bytes alone.
MARK_BYTES = 65_536


def _read_from(handle: int, offset: int) -> bytes:
    """Up to `MARK_BYTES` bytes of an open file from ``offset`` (fewer at its end)."""
    os.lseek(handle, offset, os.SEEK_SET)
    chunks: list[bytes] = []
    wanted = MARK_BYTES
    while wanted > 0:
        chunk = os.read(handle, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _ends(path: Path) -> tuple[bytes, bytes] | None:
    """The first and the last `MARK_BYTES` of a regular file; ``None`` for anything else.

    The file is opened without following a symbolic link and without waiting (a pipe put
    there since it was looked at is not read), and is checked to be a regular file once
    open; at most twice `MARK_BYTES` are read, however large it is.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return None
        head = _read_from(handle, 0)
        if status.st_size <= MARK_BYTES:
            return head, head
        return head, _read_from(handle, status.st_size - MARK_BYTES)
    finally:
        os.close(handle)


def check_replaceable(
    path: str | os.PathLike[str],
    ours: Callable[[bytes, bytes], bool] | None,
    *,
    what: str,
    remedy: str,
) -> None:
    """Refuse, in one line, to write over anything at ``path`` that paymodel did not write.

    The one rule for every file paymodel writes (a report, `paymodel init`'s scenario
    file), checked before any work and again just before writing (`write_atomic` then
    replaces the file in one step). paymodel writes over:

    - nothing: the name is free;
    - a regular file that ``ours`` recognises as paymodel's own from its first and last
      `MARK_BYTES` bytes (a report paymodel wrote, by its mark; `paymodel.report`).

    Everything else stays as it is and is refused: a file that ``ours`` does not recognise
    (every file, when ``ours`` is ``None``), a symbolic link (even to a file paymodel wrote,
    or to nothing: writing would replace the link with a file, or write into a file
    somewhere else), a directory, a named pipe, a device or a socket (never opened to be
    read, so nothing blocks), and a file that cannot be read to tell.

    Parameters
    ----------
    path
        The name to write.
    ours
        Given the file's first and last `MARK_BYTES` bytes (the same bytes for a short
        file), whether paymodel wrote it; ``None`` when paymodel recognises no file of this
        kind as its own (`paymodel init`: a scenario file is the user's to edit).
    what
        What paymodel writes there, for the message (``"report"``).
    remedy
        What the user can do about a file in the way, for the message (``"choose another
        name or remove the file"``).

    Raises
    ------
    ScenarioFileError
        With one line naming the file, what is there and what to do, e.g.
        ``notes.md exists and is not a report paymodel wrote; choose another name or remove
        the file``; or when the file system cannot tell (`file_kind`).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> notes = Path(folder.name) / "notes.md"
    >>> check_replaceable(notes, None, what="report", remedy="remove it")  # nothing there
    >>> _ = notes.write_text("the user's own")
    >>> check_replaceable(notes, None, what="report", remedy="remove it")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    paymodel.errors.ScenarioFileError: .../notes.md exists; remove it
    >>> folder.cleanup()
    """
    target = Path(path)
    shown = shown_name(target)
    kind = file_kind(target, "write")  # a name too long, a loop of links: one line
    if target.is_symlink():
        if ours is None:
            raise ScenarioFileError(f"{shown} exists (a symbolic link); {remedy}")
        raise ScenarioFileError(
            f"{shown} is a symbolic link, and paymodel writes a {what} neither over a link "
            f"nor through it; {remedy}"
        )
    if kind == "missing":
        return
    if kind == "folder":
        raise ScenarioFileError(f"{shown} is a directory; give a file name")
    if kind == "other":  # as write_atomic says: replacing it would remove it
        raise ScenarioFileError(f"cannot write {shown} (not a regular file)")
    if ours is None:
        raise ScenarioFileError(f"{shown} exists; {remedy}")
    try:
        ends = _ends(target)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioFileError(
            f"{shown} exists and cannot be read to tell whether paymodel wrote it ({reason}); "
            f"{remedy}"
        ) from None
    if ends is None:
        raise ScenarioFileError(f"cannot write {shown} (not a regular file)")
    if not ours(*ends):
        raise ScenarioFileError(f"{shown} exists and is not a {what} paymodel wrote; {remedy}")


TEMPLATE = """\
# A paymodel scenario. Every numeric value is a number or a distribution, written as an
# inline table with a kind, e.g. { kind = "uniform", low = 0.9, high = 1.0 }.
# Kinds: uniform (low, high), triangular (low, mode, high), pert (low, mode, high),
# normal (mean, sd, optional low/high), lognormal (p5, p95), beta (alpha, beta),
# choice (values, optional weights). Money is US dollars; rates are per month.
# `paymodel sources` lists the claim ids you can cite; `paymodel schema` prints the format.

name = "my-scenario"
title = "NIS figures: $2,000 a month, 90 % kept by the state"
description = "Start from the South Korean intelligence estimate and change what you doubt."
sources = ["PAY-01", "PAY-03", "DEP-11"]

[citations]                      # optional: claims behind single inputs
"pay.gross_monthly_usd" = ["PAY-01"]
"diversion.0.share" = ["PAY-03"]
"deployment.troops" = ["DEP-11"]

[assumptions]                    # optional: why an input is what it is, one line each
"deployment.months" = "One year, the period of the yearly revenue estimates"

[pay]
gross_monthly_usd = 2000         # what the paying state pays per soldier per month [$]
signing_bonus_usd = 0            # one-off payment per individual deployed [$]
death_benefit_usd = 0            # one-off payment per soldier killed [$]
delivered_share = 1.0            # share of what is promised that is actually delivered
in_kind_share = 0.0              # share of what is delivered that arrives as goods
state_transfer_monthly_usd = 0   # paid to the state per soldier-month on top of pay [$]

# The diversion chain, in order: each layer takes a share of what is left, or a fixed
# quota_monthly_usd per soldier-month (capped at what is left).
[[diversion]]
name = "state treasury"
share = { kind = "uniform", low = 0.9, high = 0.95 }

[deployment]
troops = 11000                   # headcount at the start (H)
months = 12                      # length of the deployment evaluated (M)
tour_months = 12                 # how long one soldier serves before rotation (T)
monthly_death_rate = 0.0         # fraction of those deployed killed each month (k)
replace_losses = true            # the dead are replaced so the headcount stays H

[baseline]
domestic_monthly_wage_usd = 1.0  # pay at home [$/month]; or give
# domestic_monthly_wage_kpw = 30000 and kpw_per_usd = 18000 instead

# Optional: every amount of money also in another currency, e.g. South Korean won; each
# output ending in _usd then has a twin ending in _krw (dollars x per_usd).
# [currency]
# code = "KRW"                   # ISO 4217 code: three capital letters, not USD
# per_usd = 1395                 # units of it per dollar (a number or a distribution)
"""

CONTINGENTS_TEMPLATE = """\
# A paymodel scenario with contingents: several groups deployed over time (DESIGN §6).
# Each [[contingents]] entry is one group over its own window; the scenario's totals add
# them up. Every numeric value is a number or a distribution, e.g.
# { kind = "uniform", low = 9000, high = 12000 }. Money is US dollars; rates are per month.
# `paymodel sources` lists the claim ids you can cite; `paymodel schema` prints the format.

name = "my-deployment"
title = "A first wave with losses, guard duty after it, and reinforcements"
start = "2024-10"                # calendar month of month 0 (optional; then starts are months)
sources = ["PAY-01"]

[citations]                      # optional: claims behind single inputs, by path
"pay.gross_monthly_usd" = ["PAY-01"]
# "contingents.first wave.troops" = ["DEP-11"]    # a contingent's input, by its name

[assumptions]                    # optional: why an input cites no claim, one line each
"contingents.first wave.months" = "An example: three months of combat"

[pay]                            # the default pay of every contingent
gross_monthly_usd = 2000         # what the paying state pays per soldier per month [$]
signing_bonus_usd = 0            # one-off payment per individual deployed [$]
death_benefit_usd = 0            # one-off payment per soldier killed [$]

[[diversion]]                    # the default chain of every contingent
name = "state"
share = 0.9

[[contingents]]
name = "first wave"              # unique; used in paths: contingents.first wave.troops
start = "2024-10"                # YYYY-MM with a calendar, else whole months after month 0
troops = 10000                   # headcount at the start (H)
months = 3                       # length of its window (M)
monthly_death_rate = 0.1         # or deaths = 2710 (the total killed), not both
replace_losses = false           # the dead are not replaced: the headcount falls

[[contingents]]
name = "guard duty"
follows = "first wave"           # the same soldiers, from the end of that window
months = 9                       # troops: by default the survivors of "first wave"

[[contingents]]
name = "reinforcements"
start = "2025-01"
troops = 2000
months = 9
pay = { signing_bonus_usd = 1000 }   # overrides of [pay] for this contingent
# diversion = [ { name = "state", share = 0.95 } ]   # an own chain replaces the default
"""

#: The starting files ``paymodel init --template NAME`` writes.
TEMPLATES: dict[str, str] = {"deployment": TEMPLATE, "contingents": CONTINGENTS_TEMPLATE}

#: The same starting scenario as `TEMPLATE`, as JSON (which has no comments), for a ``.json``
#: name: the loader reads ``.json`` files as JSON and any other name as TOML.
JSON_TEMPLATE = json.dumps(tomllib.loads(TEMPLATE), indent=2, ensure_ascii=False) + "\n"


def template_for(path: str | os.PathLike[str], template: str = "deployment") -> str:
    """The starting file `paymodel init` writes to ``path``: TOML, or JSON for a ``.json`` name.

    Parameters
    ----------
    path
        The file to write: its name ends in ``.toml`` or ``.json`` (any case).
    template
        ``"deployment"`` (`TEMPLATE`, one ``[deployment]``) or ``"contingents"``
        (`CONTINGENTS_TEMPLATE`, several ``[[contingents]]`` over a calendar).

    Returns
    -------
    str
        `TEMPLATE` (commented TOML) or `JSON_TEMPLATE` (the same keys and values).

    Raises
    ------
    ScenarioFileError
        For any other ending, before anything is written: a scenario in ``notes.md`` or in
        a check file's ``*.check.toml`` name would only be found by mistake.

    Examples
    --------
    >>> template_for("my.toml") == TEMPLATE, template_for("My.JSON") == JSON_TEMPLATE
    (True, True)
    """
    name = Path(os.fspath(path)).name.lower()
    if name.endswith(".check.toml"):
        raise ScenarioFileError(
            f"{shown_name(path)}: a name ending in .check.toml is for scenario test files "
            "(`paymodel check`); name the scenario file e.g. my.toml"
        )
    chosen = TEMPLATES[template]
    if name.endswith(".json"):
        if chosen == TEMPLATE:
            return JSON_TEMPLATE
        return json.dumps(tomllib.loads(chosen), indent=2, ensure_ascii=False) + "\n"
    if name.endswith(".toml"):
        return chosen
    raise ScenarioFileError(
        f"{shown_name(path)}: name the file .toml (commented TOML) or .json (JSON), e.g. my.toml"
    )
