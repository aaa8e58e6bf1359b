"""Edits of a scenario from the command line: ``--set PATH=VALUE`` and ``--currency CODE=RATE``.

``paymodel run independent-90 --set deployment.troops=15000`` is the scenario with that one
input changed, re-validated as a whole (`paymodel.Scenario.evolve`): a sweep of one point,
shown as a run. A value is a number, or ``true`` / ``false`` for ``replace_losses``.

``--currency KRW=1395`` sets (or replaces) the scenario's ``[currency]`` (DESIGN §7): every
money output then has a twin in that currency (`paymodel.currency`).
"""

from __future__ import annotations

from collections.abc import Sequence

from paymodel.arguments import check_texts, check_type
from paymodel.errors import ScenarioError
from paymodel.scenario import Scenario, check_scenario

__all__ = ["parse_currency", "parse_setting", "with_currency", "with_settings"]


def parse_setting(text: str) -> tuple[str, float | bool]:
    """Split ``PATH=VALUE`` into the path and the value.

    Examples
    --------
    >>> parse_setting("deployment.troops=15_000")
    ('deployment.troops', 15000.0)
    >>> parse_setting("contingents.first wave.replace_losses=false")
    ('contingents.first wave.replace_losses', False)
    """
    check_type(text, str, "setting", "text PATH=VALUE, such as 'deployment.troops=15000'")
    path, equals, value = text.partition("=")
    path = path.strip()
    if not equals or not path or not value.strip():
        raise ScenarioError(
            f"--set {text!r}: give PATH=VALUE, one value for one input, e.g. "
            "deployment.troops=15000"
        )
    if path.partition(".")[0] == "currency" and path != "currency.per_usd":
        raise ScenarioError(
            f"--set {text!r}: a currency's code and rate are set together with --currency "
            "CODE=RATE, e.g. --currency KRW=1395"
        )
    if path.split(".")[-1] == "replace_losses":
        flag = value.strip().lower()
        if flag not in ("true", "false"):
            raise ScenarioError(f"--set {text!r}: {path} is true or false (got {value!r})")
        return path, flag == "true"
    # Here, not at the top: every command loads this module, and the sweep's (with its
    # frames and CSV writer) is needed only when a value or a currency is set.
    from paymodel.sweep import parse_number

    return path, parse_number(value, f"--set {path}")


def with_settings(scenario: Scenario, settings: Sequence[str]) -> Scenario:
    """The scenario with each ``PATH=VALUE`` of ``settings`` applied, validated again.

    Parameters
    ----------
    scenario
        A validated scenario.
    settings
        Texts ``PATH=VALUE``; a path may name a layer or a contingent by index or name.

    Raises
    ------
    ArgumentTypeError
        When ``scenario`` is not a `paymodel.Scenario` or ``settings`` is not a list of texts.
    ScenarioError
        With one line naming the setting, when it is malformed, names no input of the
        scenario, or gives a value that breaks a rule.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = with_settings(pm.builtin("independent-90"), ["deployment.troops=15000"])
    >>> pm.compute(s).regime_revenue_usd
    324000000.0
    """
    scenario = check_scenario(scenario)
    changes: dict[str, float | bool] = {}
    for text in check_texts(settings, "settings", example="['deployment.troops=15000']"):
        path, value = parse_setting(text)
        if isinstance(value, float):
            try:
                path = scenario.variable_input(path)[0]  # a numeric input of this scenario
            except ScenarioError as error:
                raise ScenarioError(f"--set {text!r}: {scenario.name}: {error}") from None
        changes[path] = value
    if not changes:
        return scenario
    try:
        return scenario.evolve(**changes)
    except ScenarioError as error:
        raise ScenarioError(f"--set: {error}") from None


def parse_currency(text: str) -> tuple[str, float]:
    """Split ``CODE=RATE`` into the currency's code and its units per dollar.

    Only the form is checked here; the code's and the rate's rules are the scenario's
    (`paymodel.scenario.Currency`), checked by `with_currency`.

    Examples
    --------
    >>> parse_currency("KRW=1_395")
    ('KRW', 1395.0)
    """
    check_type(text, str, "currency", "text CODE=RATE, such as 'KRW=1395'")
    code, equals, rate = text.partition("=")
    if not equals or not code.strip() or not rate.strip():
        raise ScenarioError(
            f"--currency {text!r}: give CODE=RATE, the currency's ISO code and its units per "
            "dollar, e.g. KRW=1395"
        )
    from paymodel.sweep import parse_number  # here, as in parse_setting

    return code.strip(), parse_number(rate, f"--currency {code.strip()}")


def with_currency(scenario: Scenario, currency: str | None) -> Scenario:
    """The scenario with its ``[currency]`` set to ``CODE=RATE`` (replacing any it has).

    Parameters
    ----------
    scenario
        A validated scenario.
    currency
        ``"KRW=1395"``, or ``None`` to keep the scenario as it is.

    Raises
    ------
    ArgumentTypeError
        When ``scenario`` is not a `paymodel.Scenario` or ``currency`` is not text.
    ScenarioError
        With one line naming ``--currency``, when the text is malformed, the code is not
        three capital letters other than USD, or the rate is not a positive number.

    Examples
    --------
    >>> import paymodel as pm
    >>> s = with_currency(pm.builtin("nis-estimate"), "KRW=1395")
    >>> pm.compute(s).regime_revenue_per_year_krw  # 264,000,000 $ × 1,395 KRW/$
    368280000000.0
    """
    scenario = check_scenario(scenario)
    if currency is None:
        return scenario
    code, per_usd = parse_currency(currency)
    try:
        return scenario.evolve(currency={"code": code, "per_usd": per_usd})
    except ScenarioError as error:
        rule = str(error).removeprefix(f"{scenario.name}: ")
        raise ScenarioError(f"--currency {currency!r}: {rule}") from None
