"""The hook hypothesis calls on import (paymodel's ``hypothesis`` entry point).

It registers paymodel's strategies for ``st.from_type`` by importing `paymodel.testing`,
which registers them as it loads. It lives apart from `paymodel.testing` because that
module imports hypothesis: when it is the one being imported, hypothesis runs this hook
halfway through, and the registration then happens at the end of `paymodel.testing` itself.
"""

from __future__ import annotations

import sys

__all__ = ["setup_hook"]


def setup_hook() -> None:
    """Register paymodel's type strategies with hypothesis (see `paymodel.testing`)."""
    testing = sys.modules.get("paymodel.testing")
    if testing is not None and not getattr(testing, "_REGISTERED", False):
        return  # paymodel.testing is being imported; it registers when it finishes
    from paymodel.testing import register_type_strategies

    register_type_strategies()
