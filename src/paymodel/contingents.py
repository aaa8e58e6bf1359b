"""A scenario's groups: each contingent through the one kernel, then one combining step.

Every analysis evaluates a scenario here (DESIGN §4, §6): `evaluate_scenario` splits the
scenario's input arrays (by dotted path, as `paymodel.inputs` builds them) into kernel
inputs for each contingent (a ``[deployment]`` is one contingent), runs
`paymodel.kernel.evaluate` once per contingent, vectorized over samples, and `combine`
adds the contingents up: sums of money, soldier-months, individuals and deaths, layers of
the same name added up, and the weighted rates of §6. The kernel keeps §1's formulas for
one group; nothing here re-implements them.

What a contingent takes from the arrays:

- ``contingents.<i>.pay.<field>`` when present, else the scenario's ``pay.<field>``;
- its own chain ``contingents.<i>.diversion.<j>.<rule>``, or the scenario's ``diversion``;
- ``contingents.<i>.troops``, or (``follows``) the troops serving at the end of the window
  it follows, C = H·(1 − k)^M when those losses are not replaced, else H; its soldiers
  arrived already, so only troops beyond C count as new individuals;
- ``contingents.<i>.deaths`` D as the rate k = D/(H·M) (losses replaced) or
  k = 1 − (1 − D/H)^(1/M) (not replaced), else ``contingents.<i>.monthly_death_rate``.

``through`` cuts every window at a month's end (months after the scenario's month 0): a
window of M months starting at o covers min(M, through − o) of them, and one that starts
later contributes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from paymodel.arguments import check_mapping, check_type
from paymodel.currency import CURRENCY_INPUT, RATE_NAME
from paymodel.inputs import named_layer_revenues
from paymodel.kernel import OUTPUT_NAMES, Evaluation, evaluate, ratio_or_zero
from paymodel.scenario import (
    IN_KIND_LAYER,
    PAY_FIELDS,
    STATE_TRANSFER_LAYER,
    Scenario,
    check_scenario,
)

__all__ = [
    "SUMMED_NAMES",
    "Group",
    "ScenarioEvaluation",
    "Structure",
    "combine",
    "evaluate_scenario",
]

FloatArray = NDArray[np.float64]

#: The outputs that add up over contingents (DESIGN §6).
SUMMED_NAMES: tuple[str, ...] = (
    "promised_usd",
    "paid_usd",
    "regime_revenue_usd",
    "soldiers_take_home_usd",
    "soldier_months",
    "individuals_deployed",
    "deaths",
)


@dataclass(frozen=True)
class Group:
    """How one contingent's kernel inputs are found among a scenario's arrays.

    Attributes
    ----------
    name
        The contingent's name (the scenario's name for a ``[deployment]``).
    prefix
        Its inputs' path prefix: ``"deployment."`` or ``"contingents.<i>."``.
    follows
        The index of the group it follows, or ``None``.
    start_months
        Whole months from the scenario's month 0 to its start (when it does not follow).
    layer_names
        The layers it reports, ``"state transfer"`` and ``"in kind"`` first when it has them.
    own_chain
        True when it has its own diversion chain.
    """

    name: str
    prefix: str
    follows: int | None
    start_months: int
    layer_names: tuple[str, ...]
    own_chain: bool


@dataclass(frozen=True)
class Structure:
    """The shape of a scenario that evaluation needs: small, picklable, no pydantic.

    Attributes
    ----------
    groups
        One `Group` per contingent, in the scenario's order.
    order
        The order to evaluate them in: every followed group before its followers.
    layer_names
        The scenario's layers (`paymodel.Scenario.layer_names`).
    calendar_start
        The scenario's ``start`` (``"YYYY-MM"``) or ``None``.
    currency
        The code of the scenario's ``[currency]`` (``"KRW"``) or ``None``: evaluations then
        carry the rate ``currency.per_usd`` for the twins of money (`paymodel.currency`).
    """

    groups: tuple[Group, ...]
    order: tuple[int, ...]
    layer_names: tuple[str, ...]
    calendar_start: str | None
    currency: str | None = None

    @classmethod
    def of(cls, scenario: Scenario) -> Structure:
        """The structure of a validated scenario.

        Examples
        --------
        >>> import paymodel as pm
        >>> [g.prefix for g in Structure.of(pm.builtin("nis-estimate")).groups]
        ['deployment.']

        Raises
        ------
        ArgumentTypeError
            When ``scenario`` is not a `Scenario`.
        """
        check_scenario(scenario)
        code = scenario.currency_code
        if scenario.deployment is not None:
            group = Group(scenario.name, "deployment.", None, 0, scenario.layer_names(), False)
            return cls((group,), (0,), scenario.layer_names(), scenario.start, code)
        groups = []
        for i, contingent in enumerate(scenario.contingents):
            follows = (
                None
                if contingent.follows is None
                else scenario.contingent_index(contingent.follows)
            )
            groups.append(
                Group(
                    name=contingent.name,
                    prefix=f"contingents.{i}.",
                    follows=follows,
                    start_months=contingent.window_start(scenario.start),
                    layer_names=scenario.contingent_layer_names(i),
                    own_chain=contingent.diversion is not None,
                )
            )
        order: list[int] = []
        while len(order) < len(groups):  # validation guarantees follows chains end
            for i, group in enumerate(groups):
                if i not in order and (group.follows is None or group.follows in order):
                    order.append(i)
        return cls(tuple(groups), tuple(order), scenario.layer_names(), scenario.start, code)

    def windows(
        self, inputs: Mapping[str, ArrayLike]
    ) -> tuple[tuple[FloatArray, ...], tuple[FloatArray, ...]]:
        """Each contingent's start and length [months after month 0, months], uncut.

        A contingent that follows another starts where that one's window ends. Arithmetic
        on the inputs only: the kernel does not run.

        Examples
        --------
        >>> import paymodel as pm
        >>> from paymodel.inputs import point_inputs
        >>> s = pm.builtin("deployment-as-reported")
        >>> starts, months = Structure.of(s).windows(point_inputs(s))
        >>> [float(x) for x in starts]
        [0.0, 6.0, 3.0, 10.0, 11.0]
        """
        starts: list[FloatArray] = [_float(0.0)] * len(self.groups)
        lengths: list[FloatArray] = [_float(0.0)] * len(self.groups)
        for i in self.order:
            group = self.groups[i]
            lengths[i] = _float(inputs[f"{group.prefix}months"])
            if group.follows is None:
                starts[i] = _float(group.start_months)
            else:
                starts[i] = starts[group.follows] + lengths[group.follows]
        return tuple(starts), tuple(lengths)

    @property
    def single(self) -> bool:
        """True for one group: the totals are that group's outputs."""
        return len(self.groups) == 1


class ScenarioEvaluation(NamedTuple):
    """What `evaluate_scenario` returns.

    Attributes
    ----------
    total
        The combined outputs and layers (for one group, that group's `Evaluation`);
        `paymodel.inputs.named_layer_revenues` pairs its layers with
        `Structure.layer_names`.
    groups
        Each contingent's own `Evaluation`, in the scenario's order.
    starts
        Each contingent's start, months after month 0.
    months
        Each contingent's window length as evaluated (cut by ``through``) [months].
    horizon_months
        From the earliest start to the latest (cut) end [months].
    kernel_inputs
        The kernel inputs each contingent was evaluated with (for explanations).
    window_months
        Each contingent's whole window, uncut by ``through`` [months].
    """

    total: Evaluation
    groups: tuple[Evaluation, ...]
    starts: tuple[FloatArray, ...]
    months: tuple[FloatArray, ...]
    horizon_months: FloatArray
    kernel_inputs: tuple[Mapping[str, ArrayLike], ...]
    window_months: tuple[FloatArray, ...]


def _float(value: ArrayLike) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def _group_inputs(
    group: Group,
    inputs: Mapping[str, ArrayLike],
    arrived: FloatArray | None,
) -> dict[str, ArrayLike]:
    """The kernel inputs of one group (its window uncut), by the kernel's paths."""
    prefix = group.prefix
    kernel: dict[str, ArrayLike] = {}
    for field in PAY_FIELDS:
        own = f"{prefix}pay.{field}"
        key = own if own in inputs else f"pay.{field}"
        if key in inputs:
            kernel[f"pay.{field}"] = inputs[key]
    chain = f"{prefix}diversion." if group.own_chain else "diversion."
    for key, value in inputs.items():
        if key.startswith(chain):
            kernel[f"diversion.{key[len(chain) :]}"] = value
        elif key.startswith("baseline."):
            kernel[key] = value
    troops = inputs.get(f"{prefix}troops", arrived)
    assert troops is not None  # noqa: S101 - a group without troops follows another
    kernel["deployment.troops"] = troops
    kernel["deployment.months"] = inputs[f"{prefix}months"]
    if f"{prefix}tour_months" in inputs:
        kernel["deployment.tour_months"] = inputs[f"{prefix}tour_months"]
    replaced = inputs.get(f"{prefix}replace_losses", True)
    kernel["deployment.replace_losses"] = replaced
    if f"{prefix}deaths" in inputs:
        kernel["deployment.monthly_death_rate"] = death_rate(
            inputs[f"{prefix}deaths"], troops, inputs[f"{prefix}months"], replaced
        )
    elif f"{prefix}monthly_death_rate" in inputs:
        kernel["deployment.monthly_death_rate"] = inputs[f"{prefix}monthly_death_rate"]
    if arrived is not None:
        kernel["deployment.arrived_troops"] = arrived
    return kernel


def death_rate(
    deaths: ArrayLike, troops: ArrayLike, months: ArrayLike, replace_losses: ArrayLike
) -> FloatArray:
    """The monthly death rate k that kills D over a window (DESIGN §6).

    Parameters
    ----------
    deaths
        D, killed over the window [soldiers].
    troops
        H, headcount at the start [soldiers].
    months
        M, the window's length [months].
    replace_losses
        Whether the dead are replaced.

    Returns
    -------
    numpy.ndarray
        k = D/(H·M) when losses are replaced, k = 1 − (1 − D/H)^(1/M) when not [1/month].
        D ≥ H (which validation rules out for a scenario) kills everyone: k = 1.

    Examples
    --------
    >>> float(death_rate(2_710, 10_000, 3, False))  # 1 − 0.729^(1/3) = 0.1
    0.1...
    >>> float(death_rate(120, 1_000, 12, True))
    0.01
    """
    d, h, m = _float(deaths), _float(troops), _float(months)
    with np.errstate(divide="ignore"):
        unreplaced = -np.expm1(np.log1p(-np.minimum(d / h, 1.0)) / m)
    return np.asarray(
        np.where(np.asarray(replace_losses, dtype=bool), d / (h * m), unreplaced),
        dtype=np.float64,
    )


def _survivors(kernel: Mapping[str, ArrayLike]) -> FloatArray:
    """C: troops serving at the end of a window, H·(1 − k)^M, or H when losses are replaced."""
    h = _float(kernel["deployment.troops"])
    k = _float(kernel.get("deployment.monthly_death_rate", 0.0))
    m = _float(kernel["deployment.months"])
    replaced = np.asarray(kernel.get("deployment.replace_losses", True), dtype=bool)
    return np.asarray(np.where(replaced, h, h * np.power(1.0 - k, m)), dtype=np.float64)


def _masked(evaluation: Evaluation, active: NDArray[np.bool_]) -> Evaluation:
    """A group's evaluation with nothing counted where its window has not begun."""

    def cut(value: FloatArray) -> FloatArray:
        return np.where(active, value, 0.0)

    kept = ("take_home_monthly_usd", "take_home_per_tour_usd", "domestic_wage_multiple")
    outputs = {
        name: value if name in kept else cut(value) for name, value in evaluation.outputs.items()
    }
    return evaluation._replace(
        outputs=outputs,
        transfer_revenue_usd=cut(evaluation.transfer_revenue_usd),
        in_kind_revenue_usd=cut(evaluation.in_kind_revenue_usd),
        layer_revenue_usd=tuple(cut(v) for v in evaluation.layer_revenue_usd),
    )


def evaluate_scenario(
    structure: Structure,
    inputs: Mapping[str, ArrayLike],
    *,
    through: ArrayLike | None = None,
    outputs: Collection[str] | None = None,
    details: bool = True,
) -> ScenarioEvaluation:
    """Evaluate a scenario: the kernel once per contingent, then `combine`.

    Parameters
    ----------
    structure
        `Structure.of` the scenario.
    inputs
        Arrays by the scenario's dotted paths (`paymodel.inputs.point_inputs`, samples or
        grid points); they must broadcast together.
    through
        Cut every window at this many months after month 0 (an array broadcasts: a
        trailing axis of month ends gives running totals month by month); ``None``: no cut.
    outputs
        The totals' outputs to compute, names of `paymodel.kernel.OUTPUT_NAMES` (``None``:
        every one); the others are left out of ``total.outputs``. With several contingents
        each is evaluated whole (the combining step needs their outputs).
    details
        With ``outputs`` and one contingent: ``False`` leaves out the layers' takes and
        revenues and the intermediates (`paymodel.kernel.evaluate`), for a Monte Carlo run
        that asks for no layer.

    Returns
    -------
    ScenarioEvaluation
        The totals, each contingent's outputs, their starts and (cut) lengths. With a
        currency, every `Evaluation` carries the rate as ``intermediates["currency_per_usd"]``
        (`paymodel.inputs.output_columns` makes the twins of money from it).

    Examples
    --------
    >>> import paymodel as pm
    >>> from paymodel.inputs import point_inputs
    >>> s = pm.builtin("nis-estimate")
    >>> result = evaluate_scenario(Structure.of(s), point_inputs(s))
    >>> float(result.total.outputs["regime_revenue_per_year_usd"])
    264000000.0

    Raises
    ------
    ArgumentTypeError
        When ``structure`` is not a `Structure` (a `Scenario` itself, say) or ``inputs``
        not a mapping. The arrays themselves are not checked: they come from a validated
        scenario (`paymodel.inputs.point_inputs`, `paymodel.sampling`).
    """
    check_type(
        structure, Structure, "structure", "a Structure, such as Structure.of(scenario) gives"
    )
    check_mapping(inputs, "inputs", example="point_inputs(scenario)")
    count = len(structure.groups)
    evaluations: list[Evaluation | None] = [None] * count
    kernels: list[dict[str, ArrayLike]] = [{} for _ in range(count)]
    windows: list[Mapping[str, ArrayLike]] = [{} for _ in range(count)]
    starts, whole = structure.windows(inputs)
    ends = [start + months for start, months in zip(starts, whole, strict=True)]
    lengths: list[FloatArray] = [_float(0.0)] * count
    cut = None if through is None else _float(through)
    only = outputs if structure.single else None
    for i in structure.order:
        group = structure.groups[i]
        arrived = None if group.follows is None else _survivors(kernels[group.follows])
        kernel = _group_inputs(group, inputs, arrived)
        kernels[i] = kernel
        months = whole[i]
        if cut is None:
            evaluations[i] = evaluate(kernel, only, details=details)
            lengths[i] = months
            windows[i] = kernel
            continue
        covered = np.clip(cut - starts[i], 0.0, months)
        active = covered > 0
        lengths[i] = covered
        window = dict(kernel)
        window["deployment.months"] = np.where(active, covered, months)
        window.setdefault("deployment.tour_months", months)
        evaluations[i] = _masked(evaluate(window, only, details=details), active)
        windows[i] = window
    done = tuple(e for e in evaluations if e is not None)
    if count == 1:
        first, last = starts[0], ends[0]
    else:
        first = np.minimum.reduce(np.broadcast_arrays(*starts))
        last = np.maximum.reduce(np.broadcast_arrays(*ends))
    if cut is not None:
        last = np.minimum(last, cut)
    horizon = np.maximum(_float(last) - _float(first), 0.0)
    names = [g.layer_names for g in structure.groups]
    if structure.single:
        total = done[0]
    else:
        total = combine(done, names, structure.layer_names, horizon)
        if outputs is not None:
            total = total._replace(outputs={name: total.outputs[name] for name in outputs})
    if structure.currency is not None:
        rate = _float(inputs[CURRENCY_INPUT])
        total = _with_rate(total, rate)
        done = tuple(_with_rate(e, rate) for e in done)
    return ScenarioEvaluation(total, done, starts, tuple(lengths), horizon, tuple(windows), whole)


def _with_rate(evaluation: Evaluation, per_usd: FloatArray) -> Evaluation:
    """An evaluation that carries the currency's rate, for its twins (`paymodel.currency`)."""
    return evaluation._replace(intermediates={**evaluation.intermediates, RATE_NAME: per_usd})


def combine(
    evaluations: tuple[Evaluation, ...],
    group_layers: list[tuple[str, ...]],
    layer_names: tuple[str, ...],
    horizon_months: ArrayLike,
) -> Evaluation:
    """Combine contingents' evaluations into the scenario's totals (DESIGN §6).

    Parameters
    ----------
    evaluations
        Each contingent's `Evaluation`.
    group_layers
        Each contingent's layer names (``"state transfer"`` and ``"in kind"`` first when
        it has them).
    layer_names
        The scenario's layers, in the order results report them.
    horizon_months
        From the earliest start to the latest end [months].

    Returns
    -------
    Evaluation
        Sums of `SUMMED_NAMES` and of each layer by name; ``take_home_monthly_usd`` =
        Σ t·S / Σ S, ``domestic_wage_multiple`` = that / w, ``take_home_per_tour_usd`` =
        Σ value·I / Σ I, ``diverted_share`` = regime / paid,
        ``regime_revenue_per_year_usd`` = regime · 12 / horizon,
        ``take_home_per_individual_usd`` = soldiers' take-home / individuals (each 0 where
        its denominator is 0).
    """
    sums = {name: sum((e.outputs[name] for e in evaluations), _float(0.0)) for name in SUMMED_NAMES}
    soldier_months = sums["soldier_months"]
    individuals = sums["individuals_deployed"]
    monthly = sum(
        (e.outputs["take_home_monthly_usd"] * e.outputs["soldier_months"] for e in evaluations),
        _float(0.0),
    )
    per_tour = sum(
        (
            e.outputs["take_home_per_tour_usd"] * e.outputs["individuals_deployed"]
            for e in evaluations
        ),
        _float(0.0),
    )
    horizon = _float(horizon_months)
    wage = evaluations[0].intermediates["domestic_monthly_wage_usd"]
    take_home = ratio_or_zero(monthly, soldier_months)
    outputs = {
        **sums,
        "take_home_monthly_usd": take_home,
        "take_home_per_tour_usd": ratio_or_zero(per_tour, individuals),
        "take_home_per_individual_usd": ratio_or_zero(sums["soldiers_take_home_usd"], individuals),
        "domestic_wage_multiple": take_home / wage,
        "regime_revenue_per_year_usd": ratio_or_zero(sums["regime_revenue_usd"] * 12, horizon),
        "diverted_share": ratio_or_zero(sums["regime_revenue_usd"], sums["paid_usd"]),
    }
    layers: dict[str, FloatArray] = {name: _float(0.0) for name in layer_names}
    for evaluation, names in zip(evaluations, group_layers, strict=True):
        for name, column in named_layer_revenues(names, evaluation):
            layers[name] = layers[name] + column
    shape = np.broadcast_shapes(*(np.shape(v) for v in (*outputs.values(), *layers.values())))

    def full(value: FloatArray) -> FloatArray:
        return np.broadcast_to(value, shape)

    return Evaluation(
        outputs={name: full(outputs[name]) for name in OUTPUT_NAMES},
        transfer_revenue_usd=full(layers.get(STATE_TRANSFER_LAYER, _float(0.0))),
        in_kind_revenue_usd=full(layers.get(IN_KIND_LAYER, _float(0.0))),
        layer_revenue_usd=tuple(
            full(v) for n, v in layers.items() if n not in (STATE_TRANSFER_LAYER, IN_KIND_LAYER)
        ),
        layer_take_monthly_usd=(),
        layer_left_monthly_usd=(),
        intermediates={"domestic_monthly_wage_usd": full(wage), "horizon_months": full(horizon)},
    )
