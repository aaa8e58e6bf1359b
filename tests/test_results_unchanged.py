"""Results are unchanged: the same seed gives bit-identical statistics release after release.

``tests/data/simulate_statistics.json`` records, for every built-in scenario and every
sampling method, the statistics of ``simulate(scenario, 20_000, seed=1, method=method)``
(its ``to_dict()``: every output's and every layer's mean, std, min, max and percentiles),
computed before the speed work on the kernel, the summaries and the sampling began. Work
that only makes paymodel faster must leave every one of these numbers equal to the last
bit; a change that is meant to move them (a corrected formula, a new sampler) regenerates
the file on purpose, in its own commit that says why::

    python tests/test_results_unchanged.py --write

Outputs added later (absent from the file) are not compared; every recorded one must
still be there, equal. JSON keeps a float exactly (``repr`` round-trips), so equality here
is equality of the doubles.

Bit-identity holds on one platform: numpy picks its exp and log by the processor's SIMD
extensions (AVX-512 or not) and may change them between versions, which moves a draw by
an ulp. ``simulate_statistics.platform.json`` records the numpy version and extensions the
file was made with; on another platform the numbers must agree to 10⁻⁹ relative instead
(an ulp in a draw moves a statistic by about 10⁻¹⁶; a real change by far more).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import paymodel as pm

FIXTURE = Path(__file__).parent / "data" / "simulate_statistics.json"
PLATFORM = FIXTURE.with_suffix(".platform.json")
SAMPLES = 20_000
SEED = 1
METHODS = ("mc", "lhs", "sobol")


def statistics(name: str, method: str) -> dict[str, Any]:
    """What the fixture records for one built-in and one method."""
    result: dict[str, Any] = pm.simulate(
        pm.builtin(name),
        SAMPLES,
        seed=SEED,
        method=method,  # type: ignore[arg-type]
    ).to_dict()
    return result


def _platform() -> dict[str, Any]:
    """The numpy version and SIMD extensions that choose numpy's exp and log."""
    from numpy._core._multiarray_umath import __cpu_features__

    found = sorted(name for name, present in __cpu_features__.items() if present)
    return {"numpy": np.__version__, "cpu_features": found}


def _same_platform() -> bool:
    return bool(json.loads(PLATFORM.read_text(encoding="utf-8")) == _platform())


def _equal(now: Any, recorded: Any) -> bool:
    """Equal to the last bit on the recording platform; to 10⁻⁹ relative elsewhere."""
    if _same_platform():
        return bool(now == recorded)
    if isinstance(recorded, dict):
        return now.keys() == recorded.keys() and all(_equal(now[k], recorded[k]) for k in recorded)
    if isinstance(recorded, float):
        return math.isclose(now, recorded, rel_tol=1e-9, abs_tol=1e-300)
    return bool(now == recorded)


def _recorded() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def test_the_record_covers_every_builtin_and_method() -> None:
    # A built-in added later must be recorded deliberately (regenerate, see the docstring).
    expected = {f"{name}/{method}" for name in pm.builtin_names() for method in METHODS}
    assert set(_recorded()) == expected


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", pm.builtin_names())
def test_statistics_are_bit_identical_to_the_record(name: str, method: str) -> None:
    recorded = _recorded()[f"{name}/{method}"]
    now = statistics(name, method)
    for key in ("scenario", "samples", "seed", "method"):
        assert now[key] == recorded[key], key
    for output, stats in recorded["outputs"].items():
        assert output in now["outputs"], f"{output} is no longer an output"
        assert _equal(now["outputs"][output], stats), output
    layers_now = {layer["name"]: layer for layer in now["layers"]}
    for layer in recorded["layers"]:
        assert layer["name"] in layers_now, layer["name"]
        assert _equal(layers_now[layer["name"]], layer), layer["name"]


def _write() -> None:
    record = {
        f"{name}/{method}": statistics(name, method)
        for name in pm.builtin_names()
        for method in METHODS
    }
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    PLATFORM.write_text(json.dumps(_platform(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(record)} records to {FIXTURE}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_results_unchanged.py --write")
    _write()
