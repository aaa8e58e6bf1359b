"""A pytest plugin that collects scenario test files (``*.check.toml``) as test items.

Installed with paymodel (the ``pytest11`` entry point), it makes ``pytest`` run every
``*.check.toml`` file it finds under its paths, one item per ``[[case]]``; a failing case
shows what was expected and what came, as ``paymodel check`` does. Other files are left
alone; the check machinery (`paymodel.checks`) is used only when a check file is
collected. Turn the plugin off with ``-p no:paymodel``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from paymodel.checks import Case, CaseResult

__all__ = ["CheckFile", "CheckItem", "pytest_collect_file"]

_SUFFIX = ".check.toml"  # paymodel.checks.CHECK_SUFFIX, without importing paymodel


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect ``*.check.toml`` files (pytest's hook)."""
    if file_path.name.endswith(_SUFFIX):
        return CheckFile.from_parent(parent, path=file_path)
    return None


class CheckFailedError(Exception):
    """A case gave outputs other than those expected."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.report())
        self.result = result


class CheckFile(pytest.File):
    """A scenario test file: one item per case."""

    def collect(self) -> Iterator[pytest.Item]:
        """Read the file (a bad file is a collection error, in one line) and yield its cases."""
        from paymodel.checks import load_checks
        from paymodel.errors import CheckFileError

        try:
            cases = load_checks(self.path)
        except CheckFileError as error:
            raise self.CollectError(str(error)) from None
        for case in cases:
            yield CheckItem.from_parent(self, name=case.name, case=case)


class CheckItem(pytest.Item):
    """One case of a scenario test file."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Compute the case's scenario and compare every expected output."""
        result = self.case.run()
        if not result.passed:
            raise CheckFailedError(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """The diff of expected and computed outputs, for a case that failed."""
        if isinstance(excinfo.value, CheckFailedError):
            return excinfo.value.result.report()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is, for pytest's reports."""
        return self.path, None, f"check {self.case.file}::{self.name}"
