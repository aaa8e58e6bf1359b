"""Explanations: every input with its value and claims, every output's arithmetic.

The numbers come from the kernel (`paymodel.contingents.evaluate_scenario` on the point
inputs: the kernel once per contingent, then the combination); this module only writes
the formulas out with those numbers substituted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from paymodel.arguments import check_choice
from paymodel.calendar import month_label, through_months
from paymodel.contingents import SUMMED_NAMES, ScenarioEvaluation, Structure, evaluate_scenario
from paymodel.currency import RATE_NAME, twin_key
from paymodel.display import (
    html_table,
    layer_label,
    number,
    output_kind,
    people,
    terminal_text,
    whole,
)
from paymodel.distributions import BaseDistribution
from paymodel.inputs import named_layer_revenues, output_columns, point_inputs
from paymodel.kernel import OUTPUT_NAMES, Evaluation
from paymodel.measures import is_assumption, warn_misfits
from paymodel.results import JsonResult
from paymodel.scenario import Layer, Scenario, check_scenario
from paymodel.sources import claim

__all__ = ["Explanation", "InputLine", "explain"]


@dataclass(frozen=True)
class InputLine:
    """One input: its path, how it is given, the value used and what it rests on.

    Attributes
    ----------
    path
        The input's canonical dotted path.
    given
        As written, with the median of a distribution.
    value
        The number used.
    claims
        The claims it cites.
    assumption
        Whether it differs from its default and cites no claim
        (`paymodel.measures.is_assumption`).
    reason
        Why it is what it is, from the scenario's ``assumptions``, or ``None``.
    """

    path: str
    given: str
    value: float
    claims: tuple[str, ...]
    assumption: bool = False
    reason: str | None = None

    @property
    def basis(self) -> str:
        """What the input rests on beyond its claims, in a few words (empty when nothing).

        ``"assumption: <reason>"`` for an assumption (``"assumption, no reason given"``
        without one); the reason alone for a cited input that also gives one.
        """
        if self.assumption:
            return f"assumption: {self.reason}" if self.reason else "assumption, no reason given"
        return self.reason or ""


@dataclass(frozen=True)
class Explanation(JsonResult):
    """A scenario's inputs and the arithmetic of each output.

    Attributes
    ----------
    scenario
        The scenario explained.
    inputs
        Every input, in the order of `Scenario.inputs`.
    steps
        ``(output name or step, formula with numbers substituted)``, in the order the
        model computes them.
    outputs
        Every output's value.
    """

    scenario: Scenario
    inputs: tuple[InputLine, ...]
    steps: tuple[tuple[str, str], ...]
    outputs: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """The explanation as a JSON-ready dict."""
        return {
            "scenario": self.scenario.name,
            "title": self.scenario.title,
            "sources": list(self.scenario.sources),
            "inputs": [
                {
                    "path": i.path,
                    "given": i.given,
                    "value": i.value,
                    "claims": list(i.claims),
                    "assumption": i.assumption,
                    "reason": i.reason,
                }
                for i in self.inputs
            ],
            "steps": [{"name": name, "arithmetic": text} for name, text in self.steps],
            "outputs": dict(self.outputs),
        }

    def to_text(self) -> str:
        """The explanation for reading in a terminal."""
        s = self.scenario
        lines = [f"{s.name}: {terminal_text(s.title, lines=False)}"]
        if s.description:
            lines += ["", s.description.strip()]
        lines += ["", "Inputs (distributions at their median):"]
        for line in self.inputs:
            lines.append(f"  {line.path} = {line.given}")
            if line.basis:
                lines.append(f"      {line.basis}")
            for cid in line.claims:
                c = claim(cid)
                lines.append(
                    f"      {c.id} [{c.status}] {c.figure()}: {c.claimed_by} "
                    f"(reported in {c.reported_in}; {c.when})"
                )
        lines += ["", "Arithmetic:"]
        lines += [f"  {name}: {text}" for name, text in self.steps]
        lines += ["", "Claims cited by the scenario:"]
        for cid in s.sources:
            c = claim(cid)
            lines.append(
                f"  {c.id} [{c.status}] {c.quantity}: {c.figure()} ({c.claimed_by}; {c.when})"
            )
        return terminal_text("\n".join(lines))

    def to_frame(self, part: Literal["inputs", "steps"] = "inputs") -> Any:
        """One part of the explanation as a pandas DataFrame (needs pandas).

        Parameters
        ----------
        part
            ``"inputs"``: one row per input (index ``path``), columns ``given`` (as
            written, with the median of a distribution), ``value`` (the number used),
            ``claims`` (ids separated by spaces), ``assumption`` (bool) and ``reason``
            (None when none is given). ``"steps"``: one row per step of the arithmetic
            (index ``step``), column ``arithmetic``.
        """
        from paymodel.frames import data_frame

        if check_choice(part, "part", ("inputs", "steps")) == "inputs":
            lines = self.inputs
            columns: dict[str, list[Any]] = {
                "path": [x.path for x in lines],
                "given": [x.given for x in lines],
                "value": [x.value for x in lines],
                "claims": [" ".join(x.claims) for x in lines],
                "assumption": [x.assumption for x in lines],
                "reason": [x.reason for x in lines],
            }
            return data_frame(columns, "path")
        steps = {"step": [n for n, _ in self.steps], "arithmetic": [t for _, t in self.steps]}
        return data_frame(steps, "step")

    def _repr_html_(self) -> str:
        s = self.scenario
        inputs = [[x.path, x.given, " ".join((*x.claims, x.basis)).strip()] for x in self.inputs]
        caption = f"{s.name}: {s.title}" if s.title else s.name
        return "\n".join(
            [
                html_table(
                    ["input", "value used", "claims"], inputs, [False, False, False], caption
                ),
                html_table(["step", "arithmetic"], list(self.steps), [False, False], "Arithmetic"),
            ]
        )


def _given(path: str, value: float | BaseDistribution, used: float) -> str:
    """An input as written, and the value used; a median count of people is whole ("≈")."""
    if not isinstance(value, BaseDistribution):
        return number(used)
    counts_people = output_kind(path.rpartition(".")[2]) == "people"
    if counts_people and whole(used) != used:
        return f"{value.describe()} -> median ≈ {people(used)}"
    return f"{value.describe()} -> median {number(used)}"


def explain(scenario: Scenario, *, through: str | int | None = None) -> Explanation:
    """Write out every input and the arithmetic of every output.

    Parameters
    ----------
    scenario
        A validated scenario.
    through
        Totals up to the end of this month (``"YYYY-MM"`` with a calendar, or a month
        number), as for `paymodel.compute`.

    Returns
    -------
    Explanation
        With `to_text` for people and `to_dict`
        for scripts. With contingents, each contingent's arithmetic (steps named
        ``"<contingent>: <step>"``), then the combination (steps named by output). Each
        input says whether it is an assumption, and why (the scenario's ``assumptions``).

    Warns
    -----
    MeasureWarning
        Once for each input that cites a claim whose measure does not fit it
        (`paymodel.measures`).

    Examples
    --------
    >>> import paymodel as pm
    >>> steps = dict(pm.explain(pm.builtin("nis-estimate")).steps)
    >>> steps["soldier_months"]
    'S = H·M = 11,000 × 12 = 132,000'
    """
    scenario = check_scenario(scenario)
    with warn_misfits([scenario]):
        return _explanation(scenario, through)


def _explanation(scenario: Scenario, through: str | int | None) -> Explanation:
    values = point_inputs(scenario)
    structure = Structure.of(scenario)
    cut = through_months(scenario.start, through)
    evaluation = evaluate_scenario(structure, values, through=cut)
    columns = output_columns(structure.layer_names, evaluation.total, structure.currency)
    out = {key: float(v) for key, v in columns.items() if not key.startswith("layer")}
    twins = _currency_steps(structure.currency, columns, evaluation.total)
    inputs = tuple(
        InputLine(
            path=path,
            given=_given(path, given, float(values[path])),
            value=float(values[path]),
            claims=scenario.claims_for(path),
            assumption=is_assumption(scenario, path),
            reason=scenario.reason_for(path),
        )
        for path, given in scenario.inputs().items()
    )
    if scenario.deployment is not None:
        steps = _window_steps(
            evaluation.kernel_inputs[0],
            evaluation.total,
            scenario.diversion,
            structure.layer_names,
            scenario.deployment.deaths is not None,
        )
        steps += twins
        return Explanation(scenario=scenario, inputs=inputs, steps=tuple(steps), outputs=out)
    steps = []
    for i, contingent in enumerate(scenario.contingents):
        group = structure.groups[i]
        own = _window_steps(
            evaluation.kernel_inputs[i],
            evaluation.groups[i],
            scenario.diversion if contingent.diversion is None else contingent.diversion,
            group.layer_names,
            contingent.deaths is not None,
        )
        start = float(evaluation.starts[i])
        months = float(evaluation.months[i])
        when = (
            month_label(scenario.start, int(start))
            if scenario.start is not None
            else f"month {number(start)}"
        )
        window = f"from {when}, {number(months)} months"
        if contingent.follows is not None:
            window += f" (follows {contingent.follows!r}: its survivors, already deployed)"
        steps.append((f"{contingent.name}: window", window))
        steps += [(f"{contingent.name}: {name}", text) for name, text in own]
    steps += _combination_steps(scenario, evaluation, structure.layer_names, out)
    steps += twins
    return Explanation(scenario=scenario, inputs=inputs, steps=tuple(steps), outputs=out)


def _currency_steps(
    code: str | None, columns: Mapping[str, Any], total: Evaluation
) -> list[tuple[str, str]]:
    """Each twin of money in the scenario's currency: the dollar amount × per_usd (DESIGN §7)."""
    if code is None:
        return []
    rate = float(total.intermediates[RATE_NAME])
    steps = []
    for key, value in columns.items():
        twin = twin_key(key, code)
        if twin is None:
            continue
        name = layer_label(twin, quoted=True) if key.startswith("layer") else twin
        dollars = layer_label(key, quoted=True) if key.startswith("layer") else key
        arithmetic = f"{dollars} × per_usd = {number(float(value))} × {number(rate)}"
        steps.append((name, f"{arithmetic} = {number(float(columns[twin]))}"))
    return steps


def _combination_steps(
    scenario: Scenario,
    evaluation: ScenarioEvaluation,
    layer_names: tuple[str, ...],
    out: dict[str, float],
) -> list[tuple[str, str]]:
    """How the contingents add up to the scenario's totals (DESIGN §6)."""
    n = number
    names = [c.name for c in scenario.contingents]
    groups = [{k: float(v) for k, v in e.outputs.items()} for e in evaluation.groups]
    steps: list[tuple[str, str]] = []
    for name in SUMMED_NAMES:
        terms = " + ".join(n(g[name]) for g in groups)
        steps.append((name, f"Σ over {', '.join(names)} = {terms} = {n(out[name])}"))
    monthly = " + ".join(
        f"{n(g['take_home_monthly_usd'])} × {n(g['soldier_months'])}" for g in groups
    )
    tours = " + ".join(
        f"{n(g['take_home_per_tour_usd'])} × {n(g['individuals_deployed'])}" for g in groups
    )
    wage = float(evaluation.total.intermediates["domestic_monthly_wage_usd"])
    horizon = float(evaluation.horizon_months)
    steps += [
        (
            "take_home_monthly_usd",
            f"Σ t·S / Σ S = ({monthly}) / {n(out['soldier_months'])} = "
            f"{n(out['take_home_monthly_usd'])}",
        ),
        (
            "take_home_per_tour_usd",
            f"Σ per tour·I / Σ I = ({tours}) / {n(out['individuals_deployed'])} = "
            f"{n(out['take_home_per_tour_usd'])}",
        ),
        (
            "take_home_per_individual_usd",
            f"soldiers' take-home / I = {n(out['soldiers_take_home_usd'])} / "
            f"{n(out['individuals_deployed'])} = {n(out['take_home_per_individual_usd'])}",
        ),
        (
            "domestic_wage_multiple",
            f"t / w = {n(out['take_home_monthly_usd'])} / {n(wage)} = "
            f"{n(out['domestic_wage_multiple'])}",
        ),
        (
            "regime_revenue_per_year_usd",
            f"revenue·12 / horizon = {n(out['regime_revenue_usd'])} × 12 / {n(horizon)} = "
            f"{n(out['regime_revenue_per_year_usd'])}",
        ),
        (
            "diverted_share",
            f"revenue / paid = {n(out['regime_revenue_usd'])} / {n(out['paid_usd'])} = "
            f"{n(out['diverted_share'])}",
        ),
    ]
    for name, revenue in named_layer_revenues(layer_names, evaluation.total):
        steps.append((f"layer {name!r}", f"Σ of the layers named {name!r} = {n(float(revenue))}"))
    steps.append(
        (
            "conservation",
            f"paid = revenue + soldiers' take-home, for each contingent and in total: "
            f"{n(out['paid_usd'])} = {n(out['regime_revenue_usd'])} + "
            f"{n(out['soldiers_take_home_usd'])}",
        )
    )
    return steps


def _window_steps(
    values: Mapping[str, Any],
    evaluation: Evaluation,
    chain: tuple[Layer, ...],
    layer_names: tuple[str, ...],
    from_deaths: bool,
) -> list[tuple[str, str]]:
    """The arithmetic of DESIGN §1 for one group, from the kernel inputs it was given."""
    out = {name: float(evaluation.outputs[name]) for name in OUTPUT_NAMES}
    inter = {name: float(v) for name, v in evaluation.intermediates.items()}
    n = number

    def v(path: str, default: float = 0.0) -> str:
        return n(float(values.get(path, default)))

    def p(count: float) -> str:  # people are whole (display's rule), "≈" when rounded
        return people(count)

    def is_p(count: float) -> str:
        return f"= {people(count)}" if whole(count) == count else f"≈ {people(count)}"

    h, m, k = v("deployment.troops"), v("deployment.months"), v("deployment.monthly_death_rate")
    t_tour = n(inter["tour_months"])
    replaced = bool(values.get("deployment.replace_losses", True))
    arrived = values.get("deployment.arrived_troops")
    # A phase that follows another: its C soldiers arrived before it (DESIGN §6).
    rule, numbers = (
        ("", "")
        if arrived is None
        else (
            " − min(H, C)",
            f" − min({h}, {v('deployment.arrived_troops')})",
        )
    )
    s_val, d_val, i_val = out["soldier_months"], out["deaths"], out["individuals_deployed"]
    steps: list[tuple[str, str]] = []
    if from_deaths:
        rule = "k = D/(H·M)" if replaced else "k = 1 − (1 − D/H)^(1/M)"
        steps.append(("monthly_death_rate", f"{rule} (from the deaths given) = {k}"))
    if replaced:
        steps.append(("soldier_months", f"S = H·M = {h} × {m} = {n(s_val)}"))
        steps.append(("deaths", f"D = k·H·M = {k} × {h} × {m} {is_p(d_val)}"))
        steps.append(
            (
                "individuals_deployed",
                f"I = max(H, S/T) + D{rule} = max({h}, {n(s_val)} / {t_tour}) + {p(d_val)}"
                f"{numbers} {is_p(i_val)}",
            )
        )
    else:
        if float(values.get("deployment.monthly_death_rate", 0.0)) > 0:
            steps.append(
                (
                    "soldier_months",
                    f"S = H·(1 − (1 − k)^M)/k = {h} × (1 − (1 − {k})^{m}) / {k} = {n(s_val)}",
                )
            )
        else:
            steps.append(("soldier_months", f"S = H·M (k = 0) = {h} × {m} = {n(s_val)}"))
        steps.append(("deaths", f"D = H·(1 − (1 − k)^M) = {h} × (1 − (1 − {k})^{m}) {is_p(d_val)}"))
        steps.append(
            (
                "individuals_deployed",
                f"I = max(H, S/T){rule} = max({h}, {n(s_val)} / {t_tour}){numbers} {is_p(i_val)}",
            )
        )
    g, b, d = v("pay.gross_monthly_usd"), v("pay.signing_bonus_usd"), v("pay.death_benefit_usd")
    delta, kappa = v("pay.delivered_share", 1.0), v("pay.in_kind_share")
    # State transfers (DESIGN §7) appear in the arithmetic only when there are some.
    transfers = float(values.get("pay.state_transfer_monthly_usd", 0.0)) > 0
    transfer = v("pay.state_transfer_monthly_usd")
    transfer_rule, transfer_term = (
        (" + s·S", f" + {transfer} × {n(s_val)}") if transfers else ("", "")
    )
    left = inter["cash_monthly_usd"]
    steps.append(
        ("cash_monthly_usd", f"x₀ = g·δ·(1 − κ) = {g} × {delta} × (1 − {kappa}) = {n(left)}")
    )
    links = zip(
        chain, evaluation.layer_take_monthly_usd, evaluation.layer_left_monthly_usd, strict=True
    )
    for index, (layer, take, left_after) in enumerate(links):
        take_value = float(take)
        if layer.rule == "share":
            rule = f"{v(f'diversion.{index}.share')} × {n(left)}"
        else:
            rule = f"min({v(f'diversion.{index}.quota_monthly_usd')}, {n(left)})"
        steps.append(
            (
                f"layer {layer.name!r}",
                f"τ{index + 1} = {rule} = {n(take_value)}; x{index + 1} = {n(left)} − "
                f"{n(take_value)} = {n(float(left_after))}",
            )
        )
        left = float(left_after)
    t = out["take_home_monthly_usd"]
    phi = inter["lump_kept_share"]
    steps += [
        ("take_home_monthly_usd", f"t = x{len(chain)} = {n(t)}"),
        ("lump_kept_share", f"φ = Π(1 − sᵢ) over share layers = {n(phi)}"),
        (
            "take_home_per_tour_usd",
            f"t·min(T, M) + b·δ·(1 − κ)·φ = {n(t)} × min({t_tour}, {m}) + {b} × {delta} × "
            f"(1 − {kappa}) × {n(phi)} = {n(out['take_home_per_tour_usd'])}",
        ),
        (
            "domestic_wage_multiple",
            f"t / w = {n(t)} / {n(inter['domestic_monthly_wage_usd'])} = "
            f"{n(out['domestic_wage_multiple'])}",
        ),
        (
            "promised_usd",
            f"P = g·S + b·I + d·D{transfer_rule} = {g} × {n(s_val)} + {b} × {p(i_val)} + "
            f"{d} × {p(d_val)}{transfer_term} = {n(out['promised_usd'])}",
        ),
        ("paid_usd", f"δ·P = {delta} × {n(out['promised_usd'])} = {n(out['paid_usd'])}"),
    ]
    if transfers:
        steps.append(
            (
                "layer 'state transfer'",
                f"δ·s·S = {delta} × {transfer} × {n(s_val)} = "
                f"{n(float(evaluation.transfer_revenue_usd))} (all of it to the state; the "
                "in-kind share applies to pay and lump sums only)",
            )
        )
    regime_rule = (
        "δ·s·S + κ·δ·(P − s·S)" if transfers else "κ·δ·P"
    ) + " + Σ τᵢ·S + share layers' part of (1 − κ)·δ·(b·I + d·D)"
    layer_terms = [
        f"{n(float(revenue))} ({name})"
        for name, revenue in named_layer_revenues(layer_names, evaluation)
    ]
    steps += [
        (
            "regime_revenue_usd",
            f"{regime_rule} = {' + '.join(layer_terms) or '0'} = {n(out['regime_revenue_usd'])}",
        ),
        (
            "regime_revenue_per_year_usd",
            f"revenue·12/M = {n(out['regime_revenue_usd'])} × 12 / {m} = "
            f"{n(out['regime_revenue_per_year_usd'])}",
        ),
        (
            "soldiers_take_home_usd",
            f"t·S + φ·(1 − κ)·δ·(b·I + d·D) = {n(t)} × {n(s_val)} + {n(phi)} × (1 − {kappa}) × "
            f"{delta} × {n(inter['lump_sums_usd'])} = {n(out['soldiers_take_home_usd'])}",
        ),
        (
            "take_home_per_individual_usd",
            f"soldiers' take-home / I = {n(out['soldiers_take_home_usd'])} / {n(i_val)} = "
            f"{n(out['take_home_per_individual_usd'])}",
        ),
        (
            "diverted_share",
            f"revenue / paid = {n(out['regime_revenue_usd'])} / {n(out['paid_usd'])} = "
            f"{n(out['diverted_share'])}",
        ),
        (
            "conservation",
            f"paid = revenue + soldiers' take-home: {n(out['paid_usd'])} = "
            f"{n(out['regime_revenue_usd'])} + {n(out['soldiers_take_home_usd'])}",
        ),
    ]
    counts = (("deaths", d_val), ("individuals", i_val))
    rounded = [f"{what} {n(count)}" for what, count in counts if whole(count) != count]
    if rounded:  # the model's counts are expected values; people are shown whole
        steps.append(("people", f"shown whole; the sums use the exact {', '.join(rounded)}"))
    return steps
