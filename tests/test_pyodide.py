"""The calculators give the same answers inside Pyodide 314 (Python 3.14, the browser runtime) as in CPython, in the
runtime the site ships (docs/hooks/runtime_build.py), which imports nothing from outside its trimmed standard library.

Built exactly as the build builds it (the same wheel, from .cache/wheel/; the same artifacts, from .cache/runtime/,
made here when the build has not made them yet), then run in Pyodide under node (docs/hooks/pyodide_node.mjs) from
the npm package's runtime files (the ones the site serves):
- booting from the trimmed, compiled python_stdlib.zip with the compiled wheel: every page API call of the
  workload (every calculator and page function, error paths included: docs/hooks/runtime_workload.py); the
  calculator cases below (every calculator's defaults, every preset, random in-bounds inputs, a hostile input per
  numeric field), whose every value, formatted text, substituted formula and error message must match CPython's;
  and an import of every standard-library module the package's source names. Every answer must equal CPython's
  here, byte for byte; and every import that found no module must also find none in the npm package's whole
  standard library (an import that would succeed there but failed here is a module missing from the trimmed
  archive, however the code around it reacted);
- booting from the memory snapshot: the same calls, the same answers.
CPython's own answers are pinned to the published tables by the other test modules. (The build itself runs the
workload once with the npm package's whole standard library, to trace it: runtime_build.artifacts.)
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
import zipfile
from pathlib import Path

import pytest

import calculators  # the hooks expect the package imported (the calc_pages hook imports it first)
from calculators.page import compute

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "docs" / "hooks"
pytestmark = pytest.mark.pyodide


def _hook(name: str):
    if str(HOOKS) not in sys.path:
        sys.path.insert(0, str(HOOKS))
    spec = importlib.util.spec_from_file_location(f"_test_{name}", HOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def random_raw(calc, rng):
    raw = {}
    for i in calc.inputs:
        if i.type == "choice":
            raw[i.name] = rng.choice([v for v, _ in i.choices])
        elif i.type == "int":
            raw[i.name] = str(rng.randint(int(i.min), int(min(i.max, i.min + 10 * max(i.default, 1)))))
        elif i.type == "float":
            hi = min(i.max, max(i.default, 1e-9) * 10) if i.default > 0 else i.max
            raw[i.name] = repr(rng.uniform(i.min, hi))
    return raw


def cases():
    rng = random.Random(20251123)
    out = []
    for calc in calculators.all().values():
        out.append({"name": calc.name, "raw": {}})
        out += [{"name": calc.name, "raw": {}, "preset": p.name} for p in calc.presets]
        out += [{"name": calc.name, "raw": random_raw(calc, rng)} for _ in range(20)]
        out += [{"name": calc.name, "raw": {i.name: "abc"}} for i in calc.numeric_inputs()]
        out += [{"name": calc.name, "raw": {i.name: "1e999"}} for i in calc.numeric_inputs()]
    out.append({"name": "no-such-calculator", "raw": {}})
    return out


@pytest.fixture(scope="module")
def shipped():
    runtime = _hook("runtime")
    if not (runtime.PYODIDE_NPM / "pyodide.mjs").is_file():
        pytest.fail("run scripts/setup first (npm pyodide into .cache/npm)", pytrace=False)
    build = _hook("runtime_build")
    runtime._state["pkg_hash"] = runtime._hash_files(runtime._package_files())
    art = build.artifacts(runtime.PYODIDE_NPM, runtime._build_wheel(), runtime.BRIDGE)
    return runtime, build, art


def _job(shipped, tmp_path, **extra) -> dict:
    runtime, build, art = shipped
    lock = tmp_path / "lock.json"
    lock.write_text(json.dumps(build.empty_lock(runtime.PYODIDE_NPM)), encoding="utf-8")
    job = {
        "runtime": str(runtime.PYODIDE_NPM),
        "stdlib": str(art.stdlib),
        "lock": str(lock),
        "wheel": str(art.wheel),
        "bridge": runtime.BRIDGE,
        **extra,
    }
    return build.node_job(job)


def _as_js(x):
    """x with every number a float, as the page's JavaScript holds it: node's JSON writes an integral float above
    2**53 without its exponent (5.6e16 as 56000000000000000), which Python's json then reads as an int."""
    if isinstance(x, dict):
        return {k: _as_js(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_as_js(v) for v in x]
    return float(x) if isinstance(x, int) and not isinstance(x, bool) else x


def _workload():
    workload = _hook("runtime_workload")
    return workload, workload.calls(), cases()


def test_trimmed_standard_library_runs_every_page_call(shipped, tmp_path):
    runtime, build, art = shipped
    workload, calls, cases = _workload()
    got = _job(shipped, tmp_path, trace=True, calls=calls, cases=cases, imports=workload.stdlib_imports())
    assert got["python"] == [3, 14] and got["platform"] == "emscripten"
    assert got["module"].startswith("/lib/python3.14/site-packages/calculators/"), got["module"]
    want = build.cpython_answers(calls)
    wrong = [(c, g[:300], w[:300]) for c, g, w in zip(calls, got["answers"], want, strict=True) if g != w]
    assert not wrong, f"{len(wrong)} page calls answered differently from CPython, e.g. {wrong[:2]}"
    expected = [compute.compute(c["name"], c["raw"], c.get("preset")) for c in cases]
    assert _as_js(got["results"]) == _as_js(expected)
    assert sum(1 for e in expected if e["ok"]) > len(calculators.all()) * 20  # most cases computed, not refused

    whole = set(zipfile.ZipFile(runtime.PYODIDE_NPM / "python_stdlib.zip").namelist())
    trimmed = set(zipfile.ZipFile(art.stdlib).namelist())
    missing = [
        name
        for name in got["failed"]
        if {name.replace(".", "/") + s for s in (".py", "/__init__.py")} & whole and name not in art.trace["failed"]
    ]
    assert not missing, f"imported, but not in the trimmed standard library: {missing}"
    assert not [n for n in trimmed if n.endswith(".py")], "the trimmed archive holds sources: they compile at start-up"
    assert len(trimmed) < len(whole) / 3


def test_snapshot_answers_as_cpython(shipped, tmp_path):
    runtime, build, art = shipped
    _, calls, _ = _workload()
    got = _job(shipped, tmp_path, snapshot=str(art.snapshot), calls=calls)
    want = build.cpython_answers(calls)
    wrong = [(c, g[:300], w[:300]) for c, g, w in zip(calls, got["answers"], want, strict=True) if g != w]
    assert not wrong, f"{len(wrong)} page calls answered differently from CPython after a restore, e.g. {wrong[:2]}"
    assert got["module"].startswith("/lib/python3.14/site-packages/calculators/")
