"""Scenario test files: a scenario, the figures it must give, and how close (``*.check.toml``).

A check file reproduces published estimates from their sources' own assumptions, as
OpenFisca's YAML tests pin a tax computation to known results. Each ``[[case]]`` names a
scenario (a built-in, a file next to the check file, or an inline table), changes some of
its inputs, and lists the outputs expected with their tolerances::

    [[case]]
    name = "ten-thousand-troops"
    description = "NIS: $2,000 a month for at least 10,000 troops, all of it to the state."
    claims = ["REV-01", "PAY-01"]
    scenario = "nis-estimate"
    set = { "deployment.troops" = 10000 }

    [case.expected]
    regime_revenue_per_year_usd = { value = 240e6, relative_tolerance = 1e-9, claim = "REV-01" }
    take_home_monthly_usd = 0

`paymodel check FILE...` runs them (``paymodel check`` alone runs the files shipped with
paymodel), and the pytest plugin (`paymodel.pytest_plugin`) collects every
``*.check.toml`` file as test items, one per case. `load_checks` reads a file;
`run_checks` runs files and returns a `CheckReport`.

The format, key by key:

- top level: ``title`` (text, optional) and ``case``, an array of tables;
- a case: ``name`` (letters, digits, ``-``, ``_``, ``.``; unique in the file), ``description``
  (what the source assumed), ``claims`` (claim ids), ``scenario`` (a built-in name, a path
  relative to the check file, or a scenario table), ``set`` (inputs to change, by dotted
  path, as `paymodel.Scenario.evolve` takes them), ``relative_tolerance`` and
  ``absolute_tolerance`` (defaults for the case: 1e-9 and 0; 0 or more, and the relative
  one below 1), and ``expected``;
- ``expected``: output name (with a ``[currency]``, a money output's twin such as
  ``regime_revenue_per_year_krw`` too) → a number, or a table with ``value`` (and optional
  ``relative_tolerance``, ``absolute_tolerance``) or with ``min`` and/or ``max``, and an
  optional ``claim`` (the id of the figure reproduced) and ``note``; a contingent's own
  output as ``"contingents.<name>.<output>"`` or in a table
  ``[case.expected.contingents."<name>"]``;
- ``through`` (optional): totals up to the end of this month (``"YYYY-MM"`` when the
  scenario has a calendar, or a month number), as ``paymodel run --through`` gives them.

A value passes when ``|got − value| ≤ max(absolute_tolerance, relative_tolerance·|value|)``;
a range when ``min ≤ got ≤ max``. Unknown keys are errors, as in scenario files.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from paymodel.arguments import check_type, fail
from paymodel.calendar import through_months
from paymodel.catalogue import builtin, builtin_names
from paymodel.compute import point_result
from paymodel.currency import dollar_key, with_twins
from paymodel.display import number, terminal_text
from paymodel.errors import CheckFileError, ScenarioError, ScenarioFileError
from paymodel.files import (
    file_kind,
    load_scenario_file,
    read_document,
    scenario_from_dict,
    shown_name,
)
from paymodel.kernel import OUTPUT_NAMES
from paymodel.messages import did_you_mean, show, show_path, type_name
from paymodel.outputs import closest_output
from paymodel.results import JsonResult, Result
from paymodel.scenario import NAME_PATTERN, Scenario
from paymodel.sources import check_claim_ids
from paymodel.text import text_problem

__all__ = [
    "CHECK_SUFFIX",
    "Case",
    "CaseResult",
    "CheckReport",
    "Expectation",
    "Outcome",
    "check_files",
    "load_checks",
    "run_checks",
    "shipped_checks",
]

#: The file-name ending of scenario test files (what ``paymodel check DIR`` and the pytest
#: plugin look for). Scenario files end in plain ``.toml`` and are never mistaken for one.
CHECK_SUFFIX = ".check.toml"

#: Default tolerances of a case: the figure to the ninth significant digit.
DEFAULT_RELATIVE_TOLERANCE = 1e-9
DEFAULT_ABSOLUTE_TOLERANCE = 0.0

_CASE_KEYS = (
    "name",
    "description",
    "claims",
    "scenario",
    "set",
    "through",
    "relative_tolerance",
    "absolute_tolerance",
    "expected",
)
_EXPECTED_KEYS = (
    "value",
    "min",
    "max",
    "relative_tolerance",
    "absolute_tolerance",
    "claim",
    "note",
)
#: A case's name: as a scenario's (`paymodel.scenario.NAME_PATTERN`), at most 80 characters.
_NAME = re.compile(NAME_PATTERN)
_NAME_CHARS = 80


# -- the format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """One output a case must give: a value within tolerances, or a range.

    Attributes
    ----------
    output
        An output name (`paymodel.OUTPUT_NAMES`), or one contingent's output as
        ``"contingents.<name>.<output>"``.
    value
        The figure expected, or ``None`` for a range.
    minimum, maximum
        The range (either may be ``None``) when ``value`` is ``None``.
    relative_tolerance, absolute_tolerance
        How far from ``value`` the output may be: ``max(absolute, relative·|value|)``.
    claim
        The claim id of the published figure, when the expectation reproduces one.
    note
        Free text shown in reports.
    """

    output: str
    value: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    relative_tolerance: float = DEFAULT_RELATIVE_TOLERANCE
    absolute_tolerance: float = DEFAULT_ABSOLUTE_TOLERANCE
    claim: str | None = None
    note: str = ""

    def allowed_difference(self) -> float:
        """The largest difference from ``value`` that passes (0 for a range)."""
        if self.value is None:
            return 0.0
        return max(self.absolute_tolerance, self.relative_tolerance * abs(self.value))

    def holds(self, got: float) -> bool:
        """Whether ``got`` meets the expectation (never for NaN)."""
        if not math.isfinite(got):
            return False
        if self.value is not None:
            return abs(got - self.value) <= self.allowed_difference()
        low = -math.inf if self.minimum is None else self.minimum
        high = math.inf if self.maximum is None else self.maximum
        return low <= got <= high

    def describe(self) -> str:
        """``240,000,000 ± 0.5 %``, ``at least 200,000,000``, ``between 1 and 2``."""
        if self.value is not None:
            relative = self.relative_tolerance * abs(self.value)
            if self.absolute_tolerance >= relative:
                within = f" ± {number(self.absolute_tolerance)}" if self.absolute_tolerance else ""
            else:
                within = f" ± {_percent(self.relative_tolerance)}"
            return f"{number(self.value)}{within}"
        if self.minimum is not None and self.maximum is not None:
            return f"between {number(self.minimum)} and {number(self.maximum)}"
        if self.minimum is not None:
            return f"at least {number(self.minimum)}"
        return f"at most {number(self.maximum if self.maximum is not None else math.inf)}"

    def to_dict(self) -> dict[str, Any]:
        """The expectation as JSON: ``{"output", "value" | "min"/"max", tolerances, "claim"}``."""
        data: dict[str, Any] = {"output": self.output}
        if self.value is not None:
            data.update(
                value=self.value,
                relative_tolerance=self.relative_tolerance,
                absolute_tolerance=self.absolute_tolerance,
            )
        else:
            data.update(min=self.minimum, max=self.maximum)
        data.update(claim=self.claim, note=self.note)
        return data


def _shown(file: str) -> str:
    """A file as reports show it: short, never a long site-packages path.

    A shipped check by its name (``nis-revenue.check.toml``), another file relative to the
    current folder when it lies inside (``checks/my.check.toml``), else as given.
    """
    if Path(file).parent.resolve() == _shipped_folder().resolve():
        return Path(file).name
    try:
        relative = os.path.relpath(file)
    except ValueError:  # another drive, on Windows
        return file
    return file if relative.startswith("..") else relative


def _percent(share: float) -> str:
    """``0.5 %``, ``1e-07 %``: a tolerance as a percentage, without rounding it to 0."""
    text = f"{100 * share:.3g}"
    return f"{text} %"


@dataclass(frozen=True)
class Case:
    """One case of a check file: a scenario and the outputs it must give.

    Attributes
    ----------
    file
        The check file, as messages show it.
    name
        The case's name, unique in its file.
    description
        What the source assumed, in words.
    claims
        Ids of the claims the case rests on.
    scenario
        The scenario to compute, with the case's changes applied.
    expectations
        The outputs expected.
    through
        Totals up to the end of this month (``"YYYY-MM"`` or a month number), or ``None``.
    """

    file: str
    name: str
    description: str
    claims: tuple[str, ...]
    scenario: Scenario
    expectations: tuple[Expectation, ...]
    through: str | int | None = None

    @property
    def id(self) -> str:
        """``file::name``, as pytest shows the case."""
        return f"{self.file}::{self.name}"

    def run(self) -> CaseResult:
        """Compute the scenario's point estimate and compare each expected output."""
        result = point_result(self.scenario, self.through)
        return CaseResult(self, result, tuple(self._outcome(e, result) for e in self.expectations))

    @staticmethod
    def _outcome(expectation: Expectation, result: Result) -> Outcome:
        outputs = result.outputs
        if expectation.output.startswith("contingents."):
            name, output = expectation.output.removeprefix("contingents.").rsplit(".", 1)
            outputs = next(c.outputs for c in result.contingents if c.name == name)
            got = outputs[output]
        else:
            got = outputs[expectation.output]
        return Outcome(expectation, got, expectation.holds(got))


@dataclass(frozen=True)
class Outcome:
    """One expected output against what the model gave."""

    expectation: Expectation
    got: float
    passed: bool

    def lines(self) -> list[str]:
        """A ``-`` line for what was expected and a ``+`` line for what came (as a diff)."""
        e = self.expectation
        source = f"; {e.claim}" if e.claim else ""
        note = f"; {terminal_text(e.note, lines=False)}" if e.note else ""
        lines = [f"  - {e.output}: {e.describe()}  (expected{source}{note})"]
        off = ""
        if e.value is not None and e.value != 0 and math.isfinite(self.got):
            off = f"; {100 * (self.got - e.value) / abs(e.value):+.3g} %"
        lines.append(f"  + {e.output}: {number(self.got)}  (got{off})")
        return lines


@dataclass(frozen=True)
class CaseResult:
    """What running one case gave: each expectation's outcome."""

    case: Case
    result: Result
    outcomes: tuple[Outcome, ...]

    @property
    def passed(self) -> bool:
        """True when every expected output is met."""
        return all(o.passed for o in self.outcomes)

    def report(self) -> str:
        """``PASS name`` with each output, or ``FAIL name`` with a diff of the outputs.

        A failed output is a ``-`` line (expected) and a ``+`` line (got); outputs that
        passed are context lines. Safe for a terminal (`paymodel.display.terminal_text`), as
        the pytest plugin prints it: a note or a file name stays on its line, escaped.
        """
        file = terminal_text(_shown(self.case.file), lines=False)
        head = f"{'PASS' if self.passed else 'FAIL'}  {file}::{self.case.name}"
        if self.passed:
            shown = "; ".join(
                f"{o.expectation.output} = {number(o.got)}"
                + (f" ({o.expectation.claim})" if o.expectation.claim else "")
                for o in self.outcomes
            )
            return terminal_text(f"{head}\n      {shown}")
        lines = [head]
        for outcome in self.outcomes:
            if outcome.passed:  # context, as in a diff
                e = outcome.expectation
                lines.append(f"    {e.output}: {number(outcome.got)}  (as expected)")
            else:
                lines += outcome.lines()
        return terminal_text("\n".join(lines))

    def to_dict(self) -> dict[str, Any]:
        """``{"file", "name", "claims", "passed", "expected": [{..., "got", "passed"}]}``."""
        return {
            "file": self.case.file,
            "name": self.case.name,
            "claims": list(self.case.claims),
            "passed": self.passed,
            "expected": [
                {**o.expectation.to_dict(), "got": o.got, "passed": o.passed} for o in self.outcomes
            ],
        }


@dataclass(frozen=True)
class CheckReport(JsonResult):
    """The results of running check files."""

    results: tuple[CaseResult, ...]
    files: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        """True when every case passed."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        """The cases that failed."""
        return tuple(r for r in self.results if not r.passed)

    def to_text(self) -> str:
        """Each case's report, then a count."""
        failed = len(self.failed)
        total = len(self.results)
        summary = (
            f"{total} case{'s' if total != 1 else ''} in {len(self.files)} "
            f"file{'s' if len(self.files) != 1 else ''}: {total - failed} passed, {failed} failed"
        )
        return terminal_text("\n".join([*(r.report() for r in self.results), summary]))

    def to_dict(self) -> dict[str, Any]:
        """``{"files", "passed", "failed", "cases": [...]}`` (see `CaseResult.to_dict`)."""
        return {
            "files": list(self.files),
            "passed": len(self.results) - len(self.failed),
            "failed": len(self.failed),
            "cases": [r.to_dict() for r in self.results],
        }

    #: Names and notes as written (``≤``, accents), not as ``\u`` escapes.
    ascii_json: ClassVar[bool] = False


# -- reading ---------------------------------------------------------------------------------


class _Reader:
    """Validation of one check file's document, every problem one `CheckFileError` line."""

    def __init__(self, where: str, folder: Path) -> None:
        self.where = where
        self.folder = folder

    def fail(self, at: str, message: str) -> CheckFileError:
        return CheckFileError(
            f"{self.where}: {at}: {message}" if at else f"{self.where}: {message}"
        )

    def table(self, value: Any, at: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(at, f"must be a table (got {type_name(value)} {show(value)})")
        return value

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], at: str) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                where = f"{at}.{show(key) if not str(key).isprintable() else key}" if at else key
                raise self.fail(where, f"unknown key{hint} (allowed: {', '.join(allowed)})")

    def text(self, value: Any, at: str) -> str:
        if not isinstance(value, str):
            raise self.fail(at, f"must be text (got {type_name(value)} {show(value)})")
        problem = text_problem(value)
        if problem is not None:
            raise self.fail(at, problem)
        return value

    def number(self, value: Any, at: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(at, f"must be a number (got {type_name(value)} {show(value)})")
        try:
            result = float(value)
        except OverflowError:
            raise self.fail(at, f"is too large to be a number (got {show(value)})") from None
        if not math.isfinite(result):
            raise self.fail(at, f"must be a finite number (got {show(value)})")
        return result

    def tolerance(self, key: str, value: Any, at: str) -> float:
        """A tolerance: 0 or more, and a relative one below 1.

        A relative tolerance of 100 % passes 0 and anything up to twice the value: it tests
        next to nothing.
        """
        result = self.number(value, at)
        if result < 0:
            raise self.fail(at, f"must be 0 or more (got {show(value)})")
        if key == "relative_tolerance" and result >= 1:
            raise self.fail(
                at,
                f"must be less than 1, i.e. 100 % (got {show(value)}); for a range, give "
                "min and/or max",
            )
        return result

    def document(self, data: Any) -> list[Case]:
        top = self.table(data, "")
        self.keys(top, ("title", "case"), "")
        if "title" in top:
            self.text(top["title"], "title")
        if "case" not in top:
            raise self.fail("case", "required: at least one [[case]] table")
        cases = top["case"]
        if not isinstance(cases, list):
            raise self.fail(
                "case",
                f"must be an array of tables, written [[case]] (got {type_name(cases)} "
                f"{show(cases)})",
            )
        if not cases:
            raise self.fail("case", "required: at least one [[case]] table")
        read: list[Case] = []
        seen: set[str] = set()
        for index, raw in enumerate(cases):
            case = self.case(raw, f"case.{index}")
            if case.name in seen:
                raise self.fail(f"case.{index}.name", f"two cases are named {case.name!r}")
            seen.add(case.name)
            read.append(case)
        return read

    def case(self, raw: Any, at: str) -> Case:
        table = self.table(raw, at)
        self.keys(table, _CASE_KEYS, at)
        if "name" not in table:
            raise self.fail(f"{at}.name", "required key is missing")
        name = self.text(table["name"], f"{at}.name")
        if len(name) > _NAME_CHARS or not _NAME.fullmatch(name):
            raise self.fail(
                f"{at}.name",
                f"must use letters, digits, '-', '_' or '.' (at most 80), starting with a "
                f"letter or digit (got {show(name)})",
            )
        at = f"case {name!r}"
        for required in ("scenario", "expected"):
            if required not in table:
                raise self.fail(f"{at}: {required}", "required key is missing")
        description = self.text(table.get("description", ""), f"{at}: description")
        claims = table.get("claims", [])
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            raise self.fail(f"{at}: claims", f"must be an array of claim ids (got {show(claims)})")
        try:
            check_claim_ids(claims, where="claims")
        except ScenarioError as error:
            raise self.fail(at, str(error)) from None
        tolerances = {
            key: self.tolerance(key, table[key], f"{at}: {key}")
            for key in ("relative_tolerance", "absolute_tolerance")
            if key in table
        }
        scenario = self.scenario(table["scenario"], at)
        changes = self.changes(table.get("set", {}), f"{at}: set")
        if changes:
            try:
                scenario = scenario.evolve(**changes)
            except ScenarioError as error:
                message = str(error).removeprefix(f"{scenario.name}: ")
                raise self.fail(f"{at}: set", message) from None
        through = table.get("through")
        if through is not None:
            if isinstance(through, bool) or not isinstance(through, str | int):
                raise self.fail(
                    f"{at}: through", f"must be YYYY-MM or a month number (got {show(through)})"
                )
            try:
                through_months(scenario.start, through)
            except ScenarioError as error:
                raise self.fail(f"{at}: through", str(error).removeprefix("through ")) from None
        expected = dict(self.table(table["expected"], f"{at}: expected"))
        if not expected:
            raise self.fail(f"{at}: expected", "must name at least one output")
        # [case.expected.contingents."first wave"] nests: one contingent's outputs.
        nested = expected.pop("contingents", None)
        if nested is not None:
            for contingent, outputs in self.table(nested, f"{at}: expected.contingents").items():
                where = f"{at}: {show_path(['expected', 'contingents', contingent])}"
                for output, spec in self.table(outputs, where).items():
                    key = f"contingents.{contingent}.{output}"
                    if key in expected:  # also given flat: one of the two would be dropped
                        # Quoted as TOML writes them (json.dumps escapes what TOML would).
                        raise self.fail(
                            f"{at}: expected.{json.dumps(key)}",
                            "given twice, as a key and in [case.expected.contingents."
                            f"{json.dumps(contingent)}]; keep one",
                        )
                    expected[key] = spec
        expectations = tuple(
            self.expectation(
                output, spec, f"{at}: {show_path(['expected', output])}", tolerances, scenario
            )
            for output, spec in expected.items()
        )
        return Case(self.where, name, description, tuple(claims), scenario, expectations, through)

    def scenario(self, value: Any, at: str) -> Scenario:
        if isinstance(value, Mapping):
            try:
                return scenario_from_dict(value, where=f"{self.where}: {at}: scenario")
            except ScenarioError as error:
                raise CheckFileError(str(error)) from None
        text = self.text(value, f"{at}: scenario")
        if text in builtin_names():
            return builtin(text)
        path = self.folder / text
        try:
            kind = file_kind(path)
        except ScenarioError as error:
            raise self.fail(f"{at}: scenario", str(error)) from None
        if kind != "file":
            raise self.fail(
                f"{at}: scenario",
                f"{show(text)} is neither a built-in scenario ({', '.join(builtin_names())}) "
                f"nor a file next to the check file",
            )
        try:
            return load_scenario_file(path)
        except ScenarioError as error:
            raise self.fail(f"{at}: scenario", str(error)) from None

    def changes(self, value: Any, at: str) -> dict[str, Any]:
        """``set``, flattened to dotted paths (``[case.set] deployment.troops = 1`` nests)."""
        table = self.table(value, at)
        flat: dict[str, Any] = {}

        def walk(node: Mapping[str, Any], prefix: str) -> None:
            for key, item in node.items():
                path = f"{prefix}{key}"
                if isinstance(item, Mapping) and "kind" not in item:
                    walk(item, f"{path}.")
                else:
                    flat[path] = item

        walk(table, "")
        return flat

    def expectation(
        self,
        output: str,
        spec: Any,
        at: str,
        defaults: dict[str, float],
        scenario: Scenario | None = None,
        *,
        currency: str | None = None,
    ) -> Expectation:
        code = None if scenario is None else scenario.currency_code
        if output.startswith("contingents.") and scenario is not None:
            contingent, _, each = output.removeprefix("contingents.").rpartition(".")
            names = [c.name for c in scenario.contingents]
            if contingent not in names:
                listed = ", ".join(repr(n) for n in names) or "none"
                raise self.fail(
                    at, f"the scenario has no contingent {contingent!r} (contingents: {listed})"
                )
            checked = self.expectation(each, spec, at, defaults, currency=code)
            return replace(checked, output=f"contingents.{contingent}.{each}")
        code = code or currency
        names = list(with_twins(dict.fromkeys(OUTPUT_NAMES, 0.0), code, 1.0))
        if output not in names:
            hint = closest_output(output, OUTPUT_NAMES, code)
            also = "" if code is None else f", and their twins in {code}"
            if code is None and dollar_key(output, OUTPUT_NAMES) is not None:
                also = "; a twin in another currency needs the scenario's [currency]: set "
                also += '"currency.code" and "currency.per_usd"'
            raise self.fail(at, f"not an output{hint} (outputs: {', '.join(OUTPUT_NAMES)}{also})")
        relative = defaults.get("relative_tolerance", DEFAULT_RELATIVE_TOLERANCE)
        absolute = defaults.get("absolute_tolerance", DEFAULT_ABSOLUTE_TOLERANCE)
        if not isinstance(spec, Mapping):
            value = self.number(spec, at)
            return Expectation(output, value, None, None, relative, absolute)
        self.keys(spec, _EXPECTED_KEYS, at)
        has_value = "value" in spec
        has_range = "min" in spec or "max" in spec
        if has_value == has_range:
            raise self.fail(
                at, "give either value (with tolerances) or min and/or max, e.g. { value = 1 }"
            )
        claim = spec.get("claim")
        if claim is not None:
            claim = self.text(claim, f"{at}.claim")
            try:
                check_claim_ids([claim], where="claim")
            except ScenarioError as error:
                raise self.fail(at, str(error)) from None
        note = self.text(spec.get("note", ""), f"{at}.note")
        if has_value:
            for key in ("relative_tolerance", "absolute_tolerance"):
                if key in spec:
                    tolerance = self.tolerance(key, spec[key], f"{at}.{key}")
                    relative = tolerance if key == "relative_tolerance" else relative
                    absolute = tolerance if key == "absolute_tolerance" else absolute
            value = self.number(spec["value"], f"{at}.value")
            return Expectation(output, value, None, None, relative, absolute, claim, note)
        for key in ("relative_tolerance", "absolute_tolerance"):
            if key in spec:
                raise self.fail(f"{at}.{key}", "applies to value, not to min and max")
        low = self.number(spec["min"], f"{at}.min") if "min" in spec else None
        high = self.number(spec["max"], f"{at}.max") if "max" in spec else None
        if low is not None and high is not None and low > high:
            raise self.fail(at, f"min {number(low)} is greater than max {number(high)}")
        return Expectation(output, None, low, high, relative, absolute, claim, note)


def load_checks(path: str | os.PathLike[str]) -> tuple[Case, ...]:
    """Read and validate a check file.

    Parameters
    ----------
    path
        A ``*.check.toml`` file (any name is read; the suffix matters for discovery only).

    Returns
    -------
    tuple of Case
        The file's cases, in order, each with its scenario built and changed.

    Raises
    ------
    CheckFileError
        With one line naming the file, the case and the key, for any problem: a file that
        cannot be read, a key unknown or missing, a scenario or change that breaks a rule,
        an unknown output or claim id.

    Examples
    --------
    >>> from paymodel.checks import load_checks, shipped_checks
    >>> nis = next(p for p in shipped_checks() if p.name == "nis-revenue.check.toml")
    >>> [case.name for case in load_checks(nis)]
    ['ten-thousand-troops', 'eleven-thousand-troops']
    """
    try:
        where, data = read_document(path, what="scenario test file")
    except ScenarioFileError as error:  # not an ArgumentTypeError: a name that is no path
        raise CheckFileError(str(error)) from None
    folder = Path(os.fspath(path)).parent
    try:
        return tuple(_Reader(where, folder).document(data))
    except RecursionError:
        raise CheckFileError(f"{where}: nested too deeply to be a scenario test file") from None


def shipped_checks() -> list[Path]:
    """The check files shipped with paymodel: published estimates the model reproduces.

    Returns
    -------
    list of pathlib.Path
        The ``*.check.toml`` files in the package's ``data/checks`` folder, sorted.
    """
    return sorted(_shipped_folder().glob(f"*{CHECK_SUFFIX}"))


def _shipped_folder() -> Path:
    """The package's ``data/checks`` folder, where the shipped check files live."""
    return Path(str(resources.files("paymodel").joinpath("data/checks")))


#: The deepest a folder given to ``paymodel check DIR`` is searched, in levels below it.
#: A project keeps its check files a few levels down; a deeper tree is a mistake, or a loop.
MAX_FOLDER_DEPTH = 32
#: The most entries (files and folders) such a search looks at: a home directory given by
#: mistake ends in one line instead of a long walk.
MAX_FOLDER_ENTRIES = 100_000


def _check_files_in(folder: Path) -> list[Path]:
    """The regular ``*.check.toml`` files in ``folder`` and the folders below it, sorted.

    Walked with a stack, not recursion, so depth costs no Python frames; a folder reached
    twice (through a symbolic link, or a loop of them) is searched once. Folders that cannot
    be read below ``folder`` are skipped.

    Raises
    ------
    CheckFileError
        When the search goes deeper than `MAX_FOLDER_DEPTH` levels or looks at more than
        `MAX_FOLDER_ENTRIES` entries.
    """
    top = os.fspath(folder)
    where = shown_name(top)
    found: list[Path] = []
    searched: set[tuple[int, int]] = set()  # (device, inode) of each folder searched
    stack: list[tuple[str, int]] = [(top, 0)]
    entries = 0
    while stack:
        current, depth = stack.pop()
        try:
            status = os.stat(current)
            with os.scandir(current) as listing:
                children = list(listing)
        except OSError as error:
            if depth == 0:
                reason = error.strerror or type(error).__name__
                raise CheckFileError(f"{where}: cannot read ({reason})") from None
            continue  # an unreadable folder below: skipped, as a search skips it
        if (status.st_dev, status.st_ino) in searched:
            continue
        searched.add((status.st_dev, status.st_ino))
        entries += len(children)
        if entries > MAX_FOLDER_ENTRIES:
            raise CheckFileError(
                f"{where}: more than {MAX_FOLDER_ENTRIES:,} files and folders "
                "to search for check files; give the folder that holds them"
            )
        for entry in children:
            try:
                is_dir = entry.is_dir()
                is_check = not is_dir and entry.name.endswith(CHECK_SUFFIX) and entry.is_file()
            except OSError:  # a link that loops on itself, or vanished
                continue
            if is_dir:
                if depth + 1 > MAX_FOLDER_DEPTH:
                    raise CheckFileError(
                        f"{where}: folders nested more than "
                        f"{MAX_FOLDER_DEPTH} levels deep; give a folder nearer the check files"
                    )
                stack.append((entry.path, depth + 1))
            elif is_check:
                found.append(Path(entry.path))
    return sorted(found)


def check_files(
    arguments: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> list[Path]:
    """The check files named: files as given, folders searched for ``*.check.toml``.

    ``arguments`` is one file or folder, or several; a file met twice is listed once, where
    first met. A folder is searched at most `MAX_FOLDER_DEPTH` levels down, over at most
    `MAX_FOLDER_ENTRIES` entries; only regular files are taken (a named pipe of that name
    would block the read).

    Raises
    ------
    CheckFileError
        For a name that does not exist, a folder without check files, or a folder too
        deep or too large to search.
    """
    if isinstance(arguments, str | os.PathLike):  # one name, not its characters
        arguments = [arguments]
    if not isinstance(arguments, Iterable):
        fail(
            "paths",
            f"must be a file or folder, a list of them, or None (got {arguments!r:.60})",
            wrong_type=True,
        )
    files: list[Path] = []
    for argument in arguments:
        check_type(argument, (str, os.PathLike), "paths", "files and folders, each a str or a path")
        if not isinstance(os.fspath(argument), str):  # a path of bytes
            fail("paths", f"must name files as text (got {argument!r:.60})", wrong_type=True)
        if not os.fspath(argument):  # Path("") is the current folder
            raise CheckFileError("'': an empty name is neither a file nor a folder")
        path = Path(os.fspath(argument))
        try:
            kind = file_kind(path)
        except ScenarioError as error:
            raise CheckFileError(str(error)) from None
        is_dir, exists = kind == "folder", kind != "missing"
        if is_dir:
            found = _check_files_in(path)
            if not found:
                raise CheckFileError(f"{shown_name(path)}: no *{CHECK_SUFFIX} files in this folder")
            files += found
        elif exists:
            files.append(path)
        else:
            raise CheckFileError(f"{shown_name(path)}: no such file or folder")
    # A file named twice, or named and found in a folder named too, is checked once (as
    # pytest collects it once): by its real path, in the order first met.
    seen: set[str] = set()
    unique: list[Path] = []
    for file in files:
        real = os.path.realpath(file)
        if real not in seen:
            seen.add(real)
            unique.append(file)
    return unique


def run_checks(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
) -> CheckReport:
    """Run check files: every file is read and validated first, then every case runs.

    Parameters
    ----------
    paths
        A check file or folder, or several; ``None`` runs the files shipped with paymodel
        (`shipped_checks`).

    Returns
    -------
    CheckReport
        Each case's outcome; ``report.passed`` tells whether all passed.

    Raises
    ------
    CheckFileError
        When a file is bad (nothing runs then).

    Examples
    --------
    >>> from paymodel.checks import run_checks
    >>> report = run_checks()
    >>> report.passed, len(report.files) >= 10
    (True, True)
    """
    files = shipped_checks() if paths is None else check_files(paths)
    cases = [case for file in files for case in load_checks(file)]
    shown = tuple(os.fspath(f) for f in files)
    return CheckReport(tuple(case.run() for case in cases), shown)
