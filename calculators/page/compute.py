"""A form's numbers: raw field texts in, every output's number, text, working and formula out, as JSON-able data.

The browser worker (through api.call) and the build (the pre-rendered HTML) both call `compute`; JavaScript moves
the values and holds no arithmetic or formatting: every number and every piece of text shown comes from here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import all as all_calculators
from .. import get
from ..core import InputError, fmt
from . import sliders


def declarations() -> str:
    return json.dumps([c.to_json() for c in all_calculators().values()])


def compute(name: str, raw: Mapping[str, Any] | None = None, preset: str | None = None) -> dict:
    """{"ok": bool, "outputs": {name: {value, raw, text, shown, formula, label}}, "errors": [{field, message}],
    "positions": {key input: slider position}}.

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
            k: {
                "value": r.value,
                "raw": json.dumps(r.value),
                "text": fmt(r.value, units[k]),
                "shown": r.working,
                "formula": r.formula,
                "label": r.label,
            }
            for k, r in result.items()
        },
        "positions": sliders.positions(calc, values),  # where each key input's slider sits (page/sliders.py)
    }


def compute_json(name: str, raw_json: str = "{}", preset: str | None = None) -> str:
    """compute() with its raw inputs as a JSON object of strings, and its answer as JSON."""
    try:
        raw = json.loads(raw_json)
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        return json.dumps({"ok": False, "outputs": {}, "errors": [{"field": "inputs", "message": "not a JSON object"}]})
    return json.dumps(compute(name, raw, preset or None))
