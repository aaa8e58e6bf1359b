"""The public face: everything in ``__all__`` exists, and every public name is in it."""

from __future__ import annotations
import __future__

import types

import paymodel as pm


def test_all_is_sorted_complete_and_importable() -> None:
    # dir(), not vars(): most names are imported on first use (PEP 562 `__getattr__`)
    public = {
        name
        for name, value in ((name, getattr(pm, name)) for name in dir(pm))
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType | __future__._Feature)
    }
    assert set(pm.__all__) == public | {"__version__"}
    for name in pm.__all__:
        assert hasattr(pm, name)
