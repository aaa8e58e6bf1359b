"""The one configuration every paymodel model shares.

Frozen (a scenario never changes under an analysis), ``extra="forbid"`` (a typo is an error,
not a silently ignored key), ``allow_inf_nan=False`` (NaN is never a sum of money) and
``validate_default=True``. Variants come from `FrozenModel.evolve`, which validates
again, never from ``model_copy(update=...)``, which does not.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """Base class of every paymodel model: frozen, strict about keys, no NaN or infinity."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_default=True,
        populate_by_name=False,
    )

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
        """
        data: dict[str, Any] = self.model_dump(mode="python", exclude_unset=False)
        data.update(changes)
        return self.__class__.model_validate(data)
