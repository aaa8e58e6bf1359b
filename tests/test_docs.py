"""Every ```python block in docs/*.md runs, so the documentation cannot rot.

The blocks of one page run in order, in one fresh namespace per page (a later block may use
what an earlier one defined), with the current directory set to the repository root. A
failing block's traceback points at the line of the Markdown file.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# An opening fence ```python (possibly indented, e.g. inside an admonition), the code, and a
# closing fence at the same indentation.
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python[^\n]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Block:
    """One fenced python block: its code and the line of the page it starts on."""

    page: Path
    line: int
    code: str


def python_blocks(page: Path) -> list[Block]:
    """The python blocks of a Markdown page, in order, dedented by their fence's indent."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        indent = len(match["indent"])
        code = "".join(line[indent:] for line in match["code"].splitlines(keepends=True))
        first_line = text.count("\n", 0, match.start("code")) + 1
        blocks.append(Block(page, first_line, code))
    return blocks


PAGES = sorted(DOCS.glob("*.md"))
PAGES_WITH_CODE = [page for page in PAGES if python_blocks(page)]


def test_the_collector_finds_the_blocks() -> None:
    # The pages that must show runnable code; an empty match would make the tests vacuous.
    assert {"quickstart.md", "model.md", "file-format.md", "scenarios.md", "cli.md"} <= {
        page.name for page in PAGES_WITH_CODE
    }
    # A block's line number points at its first line of code, just after the fence.
    for page in PAGES_WITH_CODE:
        lines = page.read_text(encoding="utf-8").splitlines()
        for block in python_blocks(page):
            assert lines[block.line - 2].strip().startswith("```python")


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=[page.name for page in PAGES_WITH_CODE])
def test_page_runs(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    # The pages show help pasted from an 80-column terminal; argparse wraps to the width
    # COLUMNS gives, so a page's help text must not depend on the terminal the suite runs in.
    monkeypatch.setenv("COLUMNS", "80")
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    for block in python_blocks(page):
        # Pad with blank lines so that line numbers in a traceback are the page's own.
        source = "\n" * (block.line - 1) + block.code
        code = compile(source, str(page), "exec")
        exec(code, namespace)  # noqa: S102 - running the documentation's code is the test


def _text_blocks(page: Path) -> list[str]:
    return re.findall(r"^```text\n(.*?)^```$", page.read_text(encoding="utf-8"), re.M | re.S)


def test_the_command_line_page_shows_the_current_help(monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/cli.md opens with `paymodel --help`, and each command's section with its usage
    # lines; both were pasted from the program, so a new command or flag must update them.
    from helpers import ok

    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps to the terminal's width
    blocks = _text_blocks(DOCS / "cli.md")
    assert _as_pasted(ok("--help")) == _as_pasted(blocks[0])
    commands = re.findall(r"^    (\w+)", blocks[0].split("COMMAND\n", 1)[1], re.M)
    assert len(commands) >= 14
    pasted = [_as_pasted(block) for block in blocks]
    for command in commands:
        usage = ok(command, "--help").split("\n\n", 1)[0] + "\n"
        assert _as_pasted(usage) in pasted, (
            f"docs/cli.md: the usage of `paymodel {command}` is out of date"
        )


def _as_pasted(text: str) -> str | list[str]:
    """Help text as the page must show it: exactly, on the Pythons it was pasted from.

    Python 3.13's argparse lays help out differently (narrower command columns, a metavar
    kept beside its flag); there every word, in order, must still be the program's.
    """
    return text if sys.version_info < (3, 13) else text.split()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_table_is_cut_in_two(page: Path) -> None:
    # A blank line between two rows ends the table: the rows after it render as text, not as
    # rows of the table (the report page's --json row was left outside its flags table so).
    lines = page.read_text(encoding="utf-8").splitlines()
    fenced = False
    cut = []
    for number, (before, blank, after, following) in enumerate(
        zip(lines, lines[1:], lines[2:], [*lines[3:], ""], strict=False), 2
    ):
        if before.startswith("```"):
            fenced = not fenced
        row = not fenced and before.startswith("|") and after.startswith("|")
        header = following.startswith(("|---", "|:--"))  # a new table's heading: two tables
        if row and not header and not blank.strip():
            cut.append(f"{page.name}:{number + 1}: {after[:40]}")
    assert cut == []
