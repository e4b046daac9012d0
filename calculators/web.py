"""The bridge between a page's form and the calculators: JSON in, JSON out, nothing else.

The browser worker (and the build-time hook, for the pre-rendered HTML) call `compute`; JavaScript moves the values
and holds no arithmetic or formatting: every number and every piece of text shown comes from here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import all as all_calculators
from . import get
from .core import InputError, fmt


def declarations() -> str:
    return json.dumps([c.to_json() for c in all_calculators().values()])


def compute_dict(name: str, raw: Mapping[str, Any] | None = None, preset: str | None = None) -> dict:
    """{"ok": bool, "outputs": {name: {value, text, shown}}, "errors": [{field, message}]}.

    On any error, "outputs" is empty, so a form never shows a stale or NaN number next to a bad input.
    """
    try:
        calc = get(name)
        values, errors = calc.validate_all(raw or {}, preset)
        if not errors:
            result = calc.evaluate(values)
    except InputError as e:
        errors = [e]
    if errors:
        return {"ok": False, "outputs": {}, "errors": [{"field": e.field, "message": e.message} for e in errors]}
    units = {o.name: o.unit for o in calc.outputs}
    return {
        "ok": True,
        "errors": [],
        # raw: the number exactly as the page's data-value carries it, identical at build time and live
        "outputs": {
            k: {"value": v.value, "raw": json.dumps(v.value), "text": fmt(v.value, units[k]), "shown": v.shown}
            for k, v in result.items()
        },
    }


def compute(name: str, raw_json: str = "{}", preset: str | None = None) -> str:
    """The worker's entry point: raw form values as a JSON object of strings; returns compute_dict as JSON."""
    try:
        raw = json.loads(raw_json)
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        return json.dumps({"ok": False, "outputs": {}, "errors": [{"field": "inputs", "message": "not a JSON object"}]})
    return json.dumps(compute_dict(name, raw, preset or None))


# The functions a page may call through the worker (calc.js: window.calculators.call(fn, args)). Each takes
# JSON-able arguments and returns a JSON-able dict; modules that add page features register here.
API: dict = {"compute": compute_dict}
from . import charts as _charts  # noqa: E402,F401 - registers API["chart"] (calculators/charts.py)


def call(fn: str, args_json: str) -> str:
    """The worker's single entry point: API[fn](*args), as JSON. Unknown functions and bad arguments are errors."""
    try:
        args = json.loads(args_json)
    except ValueError:
        args = None
    if fn not in API or not isinstance(args, list):
        return json.dumps(
            {"ok": False, "outputs": {}, "errors": [{"field": "", "message": f"no page function {fn!r}"}]}
        )
    return json.dumps(API[fn](*args))


from . import scenarios  # noqa: E402,F401 - registers permalinks, exports and comparisons in API
