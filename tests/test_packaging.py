"""A published package's conventions: one version, a licence, a changelog, the project's URLs."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import paymodel as pm
from helpers import run

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_written_once_and_is_the_installed_distributions() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", pm.__version__)
    assert pm.__version__ == importlib.metadata.version("paymodel")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"]  # not a second copy
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/paymodel/__init__.py"


def test_paymodel_version_prints_it() -> None:
    status, out, err = run("--version")
    assert (status, out, err) == (0, f"paymodel {pm.__version__}\n", "")
    # The installed command, as a user runs it.
    done = subprocess.run(
        [sys.executable, "-m", "paymodel", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().endswith(pm.__version__)


def test_the_licence_is_mit_and_ships_with_the_distribution() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 paymodel developers" in text
    meta = importlib.metadata.metadata("paymodel")
    assert meta["License-Expression"] == "MIT"
    files = importlib.metadata.distribution("paymodel").files or []
    assert any(str(f).endswith("licenses/LICENSE") for f in files)
    sdist = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["hatch"]
    assert {"LICENSE", "CHANGELOG.md"} <= set(sdist["build"]["targets"]["sdist"]["include"])


def test_the_project_urls_are_in_the_metadata() -> None:
    urls = dict(
        entry.split(", ", 1)
        for entry in importlib.metadata.metadata("paymodel").get_all("Project-URL") or []
    )
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())
    assert urls["Changelog"].endswith("/CHANGELOG.md")


def test_the_changelog_keeps_a_changelog_and_knows_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert pm.__version__ in headings
    assert headings[-1] == "0.1.0"
    for version in headings:  # every version heading has its link at the bottom
        assert re.search(rf"^\[{re.escape(version)}\]: https://", text, re.MULTILINE), version
    assert "### Added" in text
