"""The calculators give the same answers inside Pyodide 314 (Python 3.14, the browser runtime) as in CPython.

The wheel is built from this checkout and loaded into Pyodide under node from the npm package (the same files the
site serves); every calculator runs its defaults, every preset, a hostile input per numeric field and random
in-bounds inputs; every value, formatted text, substituted formula and error message must match CPython's exactly.
CPython's own answers are pinned to the published tables by the other test modules.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import calculators
from calculators.page import compute

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = ROOT / ".cache" / "npm" / "node_modules" / "pyodide"
pytestmark = pytest.mark.pyodide


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
def wheel(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return next(outdir.glob("why_r1_calculators-*-py3-none-any.whl"))


def test_pyodide_matches_cpython(wheel, tmp_path):
    assert (PYODIDE / "pyodide.mjs").exists(), "run scripts/setup first (npm pyodide@314.0.7 into .cache/npm)"
    cs = cases()
    f = tmp_path / "cases.json"
    f.write_text(json.dumps(cs))
    r = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide" / "run_cases.mjs"), str(PYODIDE), str(wheel), str(f)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout)
    assert got["python"] == [3, 14] and got["platform"] == "emscripten"
    assert "site-packages" in got["module"], "the module must come from the wheel, not the source tree"
    expected = [compute.compute(c["name"], c["raw"], c.get("preset")) for c in cs]
    assert len(got["results"]) == len(expected)
    for case, g, e in zip(cs, got["results"], expected, strict=True):
        assert g == e, case
    assert sum(1 for e in expected if e["ok"]) > len(calculators.all()) * 20  # most cases computed, not refused
