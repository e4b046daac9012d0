"""What a page can ask of Python, as page API calls: the workload the build traces the standard library with.

docs/hooks/runtime_build.py runs these calls in Pyodide (under node) to find which standard-library modules the
live site loads, and ships an archive of exactly those; tests/test_pyodide.py runs them (and more) against that
archive and fails if any call imports a module outside it. The calls are the worker's own protocol, [fn, args] for
calculators.page.api.call, built from the calculators' declarations: for every calculator, every page function,
with good input, every preset, each numeric field rejected (not a number, out of range), charts, permalinks both
ways (valid and hostile), exports of each kind (and an unknown one), scenarios kept, compared and tampered with,
and bad arguments and unknown functions. Besides the calls, `stdlib_imports()` names every standard-library module
the package's source imports anywhere (a branch no call reaches still finds its modules in the archive).
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD_ARGS = (
    [],
    [None],
    ["nope"],
    ["training-cost", None, None, None, None, None, None, None],
    ["training-cost", 5, [], {}, 7, "", None, None],
    [{"a": 1}] * 4,
    ["training-cost"] * 8,
)


def calls() -> list[list]:
    """[[fn, args], ...]: page API calls covering every calculator and every page function, errors included."""
    import calculators
    from calculators.page import api, charts, fields

    out: list[list] = []
    for calc in calculators.all().values():
        name, form_id = calc.name, f"calc-{calc.name}"
        presets = [p.name for p in calc.presets]
        defaults = calc.defaults()
        built = {i.name: fields.field_text(i, defaults[i.name]) for i in calc.inputs}
        out.append(["compute", [name, {}, None]])
        out += [["compute", [name, {}, p]] for p in presets]
        for i in calc.numeric_inputs():
            out += [["compute", [name, {i.name: bad}, None]] for bad in ("abc", "1e999", "-1e999", "")]
        for k, _ in enumerate(charts.charts_of(name)):
            out += [["chart", [name, {}, None, k]], ["chart", [name, {"x": "abc"}, presets[0] if presets else None, k]]]
        changed = dict(built)
        for i in list(calc.numeric_inputs())[:2]:
            changed[i.name] = fields.field_text(i, i.max)
        written = api.API["write_permalink"](name, form_id, "", [form_id], changed, "custom", built, "")
        out.append(["write_permalink", [name, form_id, "?x=1", [form_id], changed, "custom", built, ""]])
        for search in (written.get("search", ""), "?" + name + ".nope=1&%ZZ=<script>", "?" + "a=1&" * 300):
            out.append(["read_permalink", [name, form_id, search, [form_id, "calc-other"], built, ""]])
        out.append(["cli_command", [name, changed, None]])
        out += [["cli_command", [name, {}, p]] for p in presets[:1]]
        out += [["export", [name, changed, "custom", kind]] for kind in ("csv", "json", "xml")]
        kept = api.API["keep"](name, "mine", changed, "custom", 0)
        base = api.API["baseline"](name, 1)
        out += [["keep", [name, "mine", changed, "custom", 0]], ["keep", [name, "<b>", {"x": "abc"}, None, 99]]]
        out.append(["baseline", [name, 1]])
        scenarios = [s["scenario"] for s in (kept, base) if s.get("ok")]
        tampered = [{**s, "values": dict.fromkeys(s.get("values", {}), "abc")} for s in scenarios]
        out += [["compare", [name, scenarios]], ["compare", [name, scenarios + tampered + [None, 5, "x"]]]]
    for fn in sorted(api.API):
        out += [[fn, list(args)] for args in BAD_ARGS]
    out += [["no-such-function", []], ["compute", "not a list"]]
    return out


def stdlib_imports() -> list[str]:
    """Every standard-library module the calculators package imports anywhere (any branch, any function)."""
    names: set[str] = set()
    for f in sorted((ROOT / "calculators").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}"))
    return sorted(n for n in names if n.split(".")[0] in sys.stdlib_module_names and n != "__future__")


def _is_module(name: str) -> bool:
    """Whether `from x import y` names a submodule y (not a function or class of x)."""
    parent = name.rpartition(".")[0]
    if parent.split(".")[0] not in sys.stdlib_module_names:
        return False
    try:
        spec = importlib.util.find_spec(parent)
        return bool(spec and spec.submodule_search_locations and importlib.util.find_spec(name))
    except (ImportError, ValueError):
        return False
