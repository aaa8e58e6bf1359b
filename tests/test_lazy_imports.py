"""Start-up: ``import paymodel`` and each command load only what they use.

``paymodel/__init__.py`` imports its public names from their modules on first use (PEP 562
``__getattr__``), and the CLI imports a command's modules when the command runs. What a
process has imported is only visible in a fresh one, so each check runs Python in a
subprocess and reads its ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import pickle
import subprocess
import sys
import types
from pathlib import Path

import pytest

import paymodel as pm

INIT = Path(__file__).resolve().parents[1] / "src" / "paymodel" / "__init__.py"

#: Modules the point estimate (`paymodel run`) has no use for: the analyses, the report and
#: its charts, the checks, the optional extras, and scipy.
NOT_FOR_RUN = (
    "paymodel.checks",
    "paymodel.compare",
    "paymodel.discover",
    "paymodel.explain",
    "paymodel.invariants",
    "paymodel.plot",
    "paymodel.report",
    "paymodel.sampling",
    "paymodel.schema",
    "paymodel.sensitivity",
    "paymodel.simulate",
    "paymodel.sobol",
    "paymodel.solve",
    "paymodel.summary",
    "paymodel.sweep",
    "paymodel.testing",
    "paymodel.timeline",
    "paymodel.workers",
    "scipy",
    "matplotlib",
    "pandas",
)

#: The benchmark model of benchmarks/bench_floor.py (the same file): lognormal, uniform and
#: uniform inputs, none of which needs scipy to be drawn.
BENCHMARK_MODEL = Path(__file__).parents[1] / "benchmarks" / "benchmark-model.toml"


def _modules_after(code: str) -> set[str]:
    """The modules a fresh Python has imported after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (or a submodule of one) are among ``modules``."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in modules))


def _cli(*argv: str) -> str:
    """Python code that runs ``paymodel ARGV`` in process, its output discarded."""
    run = f"main({list(argv)!r}, stdout=io.StringIO())"
    return f"import io\nfrom paymodel.cli import main\nassert {run} == 0"


def test_import_paymodel_loads_only_the_error_classes() -> None:
    modules = _modules_after("import paymodel")
    assert {m for m in modules if m.startswith("paymodel")} == {"paymodel", "paymodel.errors"}
    assert _loaded(modules, ("numpy", "pydantic", "scipy")) == []


def test_version_and_help_load_neither_numpy_nor_pydantic() -> None:
    for argv in (("--version",), ("--help",)):
        code = f"from paymodel.cli import main\nmain({list(argv)!r})"
        modules = _modules_after(code)
        assert _loaded(modules, ("numpy", "pydantic", "paymodel.scenario")) == [], argv


def test_run_loads_no_analysis_and_no_scipy() -> None:
    modules = _modules_after(_cli("run", "nis-estimate"))
    assert "paymodel.compute" in modules  # the walk sees what was loaded
    assert _loaded(modules, NOT_FOR_RUN) == []
    # Under a scenario with distributions, run prints a note on how to see their spread
    # (`paymodel.messages.point_estimate_note`): a line of text, which needs no analysis.
    modules = _modules_after(_cli("run", "span-sources"))
    assert "paymodel.messages" in modules
    assert _loaded(modules, NOT_FOR_RUN) == []


def test_simulate_of_the_benchmark_model_loads_no_scipy_report_or_charts() -> None:
    argv = ("simulate", str(BENCHMARK_MODEL), "--samples", "1000", "--seed", "1")
    modules = _modules_after(_cli(*argv, "--output", "take_home_monthly_usd"))
    assert "paymodel.simulate" in modules
    unused = ("scipy", "paymodel.report", "paymodel.plot", "paymodel.sobol", "paymodel.checks")
    assert _loaded(modules, unused) == []


def test_every_public_name_resolves_to_its_module_s_object() -> None:
    # In a fresh process, each name in turn, so that no earlier import has loaded its module.
    code = (
        "import importlib, paymodel as pm\n"
        "for name in pm.__all__:\n"
        "    value = getattr(pm, name)\n"
        "    if name != '__version__':\n"
        "        home = importlib.import_module('paymodel.' + pm._HOME.get(name, 'errors'))\n"
        "        assert value is getattr(home, name), name\n"
        "from paymodel import *  # noqa: F403\n"
        "assert set(pm.__all__) <= set(dir(pm))"
    )
    _modules_after(code)
    for name in pm.__all__:
        assert getattr(pm, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        pm.no_such_name  # noqa: B018 - the look-up is the test


def test_the_type_checking_imports_and_the_lazy_table_agree() -> None:
    """Type checkers see the ``TYPE_CHECKING`` imports; run time uses ``_HOMES``: the same."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    seen: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    module = statement.module.removeprefix("paymodel.")
                    seen[module] = tuple(alias.name for alias in statement.names)
    assert seen == pm._HOMES
    # The rest of __all__ is imported at once: the error classes, and the version.
    assert set(pm._HOME) <= set(pm.__all__)
    eager = set(pm.__all__) - set(pm._HOME) - {"__version__"}
    assert eager
    assert all(getattr(pm, name).__module__ == "paymodel.errors" for name in eager)


def test_a_module_imported_first_does_not_hide_its_function() -> None:
    # `import paymodel.simulate` binds the module on the package; the function must win.
    clashing = sorted(name for name, module in pm._HOME.items() if name == module)
    assert {"compare", "compute", "simulate", "report", "sweep"} <= set(clashing)
    code = "\n".join(
        [f"import paymodel.{name}" for name in clashing]
        + ["import paymodel as pm, types"]
        + [
            f"assert not isinstance(pm.{name}, types.ModuleType), {name!r}\n"
            f"assert pm.{name}.__module__ == 'paymodel.{name}', {name!r}"
            for name in clashing
        ]
    )
    _modules_after(code)
    assert not isinstance(pm.simulate, types.ModuleType)


def test_objects_pickle_into_a_fresh_process() -> None:
    scenario = pm.builtin("span-sources")
    data = pickle.dumps((scenario, pm.compute(scenario), pm.Uniform(low=1, high=2)))
    code = (
        "import pickle, sys\n"
        f"scenario, result, uniform = pickle.loads({data!r})\n"
        "assert scenario.name == 'span-sources' and uniform.high == 2\n"
        "import paymodel as pm\n"
        "assert result == pm.compute(pm.builtin('span-sources'))"
    )
    _modules_after(code)
