"""The one configuration every paymodel model shares.

Frozen (a scenario never changes under an analysis), ``extra="forbid"`` (a typo is an error,
not a silently ignored key), ``allow_inf_nan=False`` (NaN is never a sum of money) and
``validate_default=True``. Variants come from `FrozenModel.evolve`, which validates
again, never from ``model_copy(update=...)``, which does not.

Building a model by hand (``pm.Scenario(...)``, ``pm.Pay(...)``, ``pm.Uniform(...)``) and
`FrozenModel.evolve` report a broken rule as one line, in a
:class:`~paymodel.errors.ScenarioError` (`paymodel.messages.scenario_error`), the same line
a scenario file gives. ``Model.model_validate`` stays pydantic's: it raises
``pydantic.ValidationError``, which `paymodel.files` and the messages module read.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from paymodel.messages import scenario_error


class FrozenModel(BaseModel):
    """Base class of every paymodel model: frozen, strict about keys, no NaN or infinity."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_default=True,
        populate_by_name=False,
    )

    def __init__(self, /, **data: Any) -> None:
        """Validate ``data``; a broken rule is a one-line `paymodel.ScenarioError`."""
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise scenario_error(error, data, model=type(self)) from error

    # Nested models are still validated by pydantic's core, not through this __init__ (as
    # RootModel does): the error of a whole scenario then names the full path of the field.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def evolve(self, **changes: Any) -> Self:
        """Return a copy with ``changes`` applied, validated again.

        Parameters
        ----------
        **changes
            New values by field name.

        Returns
        -------
        Self
            A new, validated instance; the original is unchanged.

        Raises
        ------
        ScenarioError
            With a one-line message when a value breaks a rule.
        """
        data: dict[str, Any] = self.model_dump(mode="python", exclude_unset=False)
        data.update(changes)
        try:
            return self.__class__.model_validate(data)
        except ValidationError as error:
            raise scenario_error(error, data, model=type(self)) from error
