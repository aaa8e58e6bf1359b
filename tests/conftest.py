"""Shared test configuration: hypothesis profiles chosen by environment variable.

``HYPOTHESIS_PROFILE=ci`` (what ``.ci/run`` sets) runs many more examples than the fast
default used while developing.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
