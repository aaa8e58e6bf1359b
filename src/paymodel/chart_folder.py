"""A Markdown report's chart folder: written so that text and charts agree after any crash.

A Markdown report ``notes.md`` keeps its charts in ``notes_files/`` beside it
(`image_folder`). paymodel writes into that folder only when it is its own, and never moves
aside or replaces a file or folder it did not write:

- its own folder holds the marker file ``.paymodel-charts`` (written first, with a line
  saying what the folder is), or, as written by paymodel before the marker existed, only
  chart PNGs among which ``take-home.png``, ``revenue.png`` and ``dollar-split.png``;
- anything else named ``notes_files`` (a file, a folder of the user's) stops the report
  with one line, before any work.

Inside, the charts of one report are a folder ``charts-<16 hex digits>/`` named after a hash
of the charts themselves (the same report gives the same name, so the same bytes), and the
text links to that folder. Writing goes in this order:

1. the charts into a hidden ``.charts-….<hex>.tmp/`` folder, renamed to ``charts-…/`` once
   complete (the first time, the whole ``notes_files/`` is built hidden beside the text and
   renamed into place the same way);
2. the text, atomically (`paymodel.files.write_atomic`): from this step on it links to the
   new charts, before it the old text links to the old ones, both complete;
3. the charts the old text linked to are removed.

A crash (``kill -9``, a full disk) at any point therefore leaves the old text with its
charts or the new text with its charts, never a mix, plus at most one folder no text links
to. Those leftovers are removed by the next report written to the same name: a ``charts-…``
folder no text links to and hidden ``….tmp`` folders and files of exactly paymodel's
patterns, once they are older than `paymodel.files.LEFTOVER_SECONDS` (ten minutes; a
report writes its files in seconds, so a younger one may be another report still being
written).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from paymodel.errors import ScenarioError
from paymodel.files import file_kind, is_leftover, remove_leftovers, shown_name, write_atomic

__all__ = ["MARKER", "check_chart_folder", "image_folder", "link_target", "write_markdown"]

#: The file that marks a chart folder as paymodel's own.
MARKER = ".paymodel-charts"

_MARKER_TEXT = (
    "paymodel wrote this folder: the charts of the Markdown report beside it. paymodel "
    "replaces the charts when it writes that report again; delete the folder with the "
    "report.\n"
)

#: One report's charts, named after their hash; and the hidden folder they are staged in.
_CHARTS = re.compile(r"charts-[0-9a-f]{16}")
_STAGED_CHARTS = re.compile(r"\.charts-[0-9a-f]{16}\.[0-9a-f]{12}\.tmp")

#: The charts of a folder paymodel wrote before the marker existed (always these three).
_LEGACY_CHART = re.compile(r"[0-9a-z][0-9a-z-]*\.png")
_LEGACY_OVERVIEW = frozenset({"take-home.png", "revenue.png", "dollar-split.png"})


def image_folder(path: str | os.PathLike[str]) -> Path:
    """Where a Markdown report's charts go: ``<stem>_files`` beside it.

    Examples
    --------
    >>> image_folder("out/report.md").as_posix()
    'out/report_files'
    """
    target = Path(path)
    return target.with_name(f"{target.stem}_files")


def _legacy(folder: Path) -> bool:
    """Whether ``folder`` holds only charts, as paymodel wrote them before the marker."""
    with os.scandir(folder) as scan:
        entries = list(scan)
    charts = {
        entry.name
        for entry in entries
        if entry.is_file(follow_symlinks=False) and _LEGACY_CHART.fullmatch(entry.name)
    }
    return len(charts) == len(entries) and charts >= _LEGACY_OVERVIEW


def check_chart_folder(target: Path) -> None:
    """Refuse, in one line, a ``<stem>_files`` beside ``target`` that paymodel did not write.

    Raises
    ------
    ScenarioError
        When the name is taken by a file, a link or a folder without the marker.
    """
    folder = image_folder(target)
    kind = file_kind(folder, "write")
    if kind == "missing":
        return
    ours = (
        kind == "folder"
        and not folder.is_symlink()
        and ((folder / MARKER).is_file() or _legacy(folder))
    )
    if not ours:
        what = "a folder" if kind == "folder" else "a file"
        raise ScenarioError(
            f"report: {shown_name(folder)} is {what} paymodel did not write (no {MARKER} "
            f"inside), and a Markdown report keeps its charts there: move it away or name "
            f"the report otherwise (--out)"
        )


def _linked(target: Path, folder: Path) -> set[str]:
    """The ``charts-…`` folders the text at ``target`` links to (none when it is not there)."""
    try:
        text = target.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    prefix = re.escape(link_target(folder.name))
    return set(re.findall(rf"\]\({prefix}/({_CHARTS.pattern})/", text))


def link_target(path: str) -> str:
    r"""A relative link in Markdown, percent-encoded: spaces, parentheses and ``<`` do not end it.

    The bytes of the name on disk are encoded (`os.fsencode`), so that a file name that is not
    UTF-8 (a lone surrogate, as the command line decodes it) links to itself.

    Examples
    --------
    >>> link_target("my notes_files/take-home.png")
    'my%20notes_files/take-home.png'
    >>> link_target("r\udcff_files")
    'r%FF_files'
    """
    import urllib.parse

    return urllib.parse.quote(os.fsencode(path), safe="/")


def _stage(folder: Path, charts: Sequence[tuple[str, bytes]]) -> None:
    """Write each ``(stem, png)`` as ``folder/stem.png``; ``folder`` is new and hidden."""
    folder.mkdir()
    for stem, png in charts:
        (folder / f"{stem}.png").write_bytes(png)


def write_markdown(
    target: Path,
    charts: Sequence[tuple[str, bytes]],
    text_for: Callable[[str], str],
) -> None:
    """Write a Markdown report and its charts: the text links to charts that exist, always.

    Parameters
    ----------
    target
        The Markdown file.
    charts
        ``(file stem, PNG bytes)`` of every chart.
    text_for
        The report's text, given the folder its links point into (``notes_files/charts-…``,
        percent-encoded).

    Raises
    ------
    ScenarioError
        When ``<stem>_files`` is not paymodel's (see `check_chart_folder`).
    OSError
        When writing fails; the earlier report, if any, is then as it was.
    """
    check_chart_folder(target)
    if file_kind(target, "write") not in ("file", "missing"):  # as write_atomic would say
        raise OSError(errno.EINVAL, "not a regular file", str(target))
    folder = image_folder(target)
    parent = target.parent
    digest = hashlib.sha256()
    for stem, png in charts:
        digest.update(f"{stem}\0{len(png)}\0".encode())
        digest.update(png)
    name = f"charts-{digest.hexdigest()[:16]}"
    token = secrets.token_hex(6)
    remove_leftovers(parent, re.compile(rf"\.{re.escape(folder.name)}\.[0-9a-f]{{12}}\.(tmp|old)"))
    if file_kind(folder, "write") == "missing":
        staging = parent / f".{folder.name}.{token}.tmp"
        try:
            staging.mkdir()
            (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
            _stage(staging / f".{name}.{token}.tmp", charts)
            (staging / f".{name}.{token}.tmp").rename(staging / name)
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        before: set[str] = set()
        legacy = False
        made = folder  # removed again if the text cannot be written
    else:
        legacy = not (folder / MARKER).is_file()
        if legacy:  # written by an earlier paymodel: mark it, as it is ours
            (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        before = _linked(target, folder)
        made = None
        if not (folder / name).is_dir():
            made = folder / name
            staged = folder / f".{name}.{token}.tmp"
            try:
                _stage(staged, charts)
                staged.rename(folder / name)
            except BaseException:
                shutil.rmtree(staged, ignore_errors=True)
                raise
    try:
        write_atomic(target, text_for(f"{link_target(folder.name)}/{name}"))
    except Exception:
        if made is not None:  # no text links to it: the earlier report stays as it was
            shutil.rmtree(made, ignore_errors=True)
        raise
    # The text now links to `name`: what the old text linked to can go, and leftovers.
    keep = {name, MARKER} | _linked(target, folder)
    with os.scandir(folder) as scan:
        entries = list(scan)
    for entry in entries:
        if entry.name in keep:
            continue
        path = Path(entry.path)
        superseded = _CHARTS.fullmatch(entry.name) and entry.name in before
        left = (_CHARTS.fullmatch(entry.name) or _STAGED_CHARTS.fullmatch(entry.name)) and (
            is_leftover(path)
        )
        if superseded or left:
            shutil.rmtree(path, ignore_errors=True)
        elif legacy and _LEGACY_CHART.fullmatch(entry.name) and entry.is_file():
            path.unlink(missing_ok=True)
