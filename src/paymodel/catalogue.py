"""The built-in scenarios, each built from dated public claims, and name-or-file lookup."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources

from paymodel.arguments import check_text, check_type
from paymodel.errors import UnknownScenarioError
from paymodel.files import file_kind, load_scenario_file, scenario_from_dict, shown_name
from paymodel.messages import did_you_mean
from paymodel.scenario import Scenario

__all__ = ["builtin", "builtin_names", "load"]


@cache
def _documents() -> dict[str, str]:
    folder = resources.files("paymodel").joinpath("data/scenarios")
    texts = {
        entry.name.removesuffix(".toml"): entry.read_text("utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }
    return dict(sorted(texts.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER))))


#: The order in which `paymodel compare` lists the built-ins: the seed reports first.
_ORDER = {
    name: rank
    for rank, name in enumerate(
        (
            "independent-90",
            "rand-bennett-all",
            "rotation-100k",
            "nis-estimate",
            "inss-mercenary",
            "in-kind-credit",
            "casualty-aware",
            "span-sources",
            "worker-quota",
        )
    )
}


def builtin_names() -> tuple[str, ...]:
    """Names of the built-in scenarios, in the order ``paymodel compare`` shows them.

    Examples
    --------
    >>> import paymodel as pm
    >>> pm.builtin_names()[:2]
    ('independent-90', 'rand-bennett-all')
    """
    return tuple(_documents())


def builtin(name: str) -> Scenario:
    """A built-in scenario by name.

    Raises
    ------
    ArgumentTypeError
        When ``name`` is not text (a list, bytes, ``None``).
    UnknownScenarioError
        When there is no built-in scenario of that name.
    """
    check_text(name, "name", example="'independent-90'")  # before the cache: a list is no key
    return _builtin(name)


@cache
def _builtin(name: str) -> Scenario:
    """`builtin`, once per name (scenarios are immutable)."""
    documents = _documents()
    if name not in documents:
        raise UnknownScenarioError(_unknown(name))
    return scenario_from_dict(tomllib.loads(documents[name]), where=f"built-in {name!r}")


def _unknown(name: str) -> str:
    names = builtin_names()
    hint = did_you_mean(name, names)
    shown = shown_name(name)  # a long name cut (keeping its end), as messages name files
    return (
        f"{repr(name) if shown == name else shown} is neither a built-in scenario nor an "
        f"existing file{hint} "
        f"(built-ins: {', '.join(names)})"
    )


def load(source: str | os.PathLike[str] | Scenario) -> Scenario:
    """A scenario from a built-in name, a TOML or JSON file, or a scenario (returned as is).

    Parameters
    ----------
    source
        A built-in name such as ``"nis-estimate"``, or a path.

    Raises
    ------
    UnknownScenarioError
        When ``source`` names neither a built-in nor an existing file.
    ScenarioError
        When the file breaks a rule of the model (one-line message).
    """
    if isinstance(source, Scenario):
        return source
    check_type(source, (str, os.PathLike), "source", "a built-in's name, a file or a Scenario")
    text = os.fspath(source)
    if isinstance(source, str) and text in _documents():
        return builtin(text)
    if not text or file_kind(text) == "missing":
        raise UnknownScenarioError(_unknown(text))
    return load_scenario_file(text)
