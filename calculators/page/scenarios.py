"""Scenarios side by side: a form's current values kept under a label, a DeepSeek-V3 baseline, and their
comparison table (which rows differ), all decided here and only displayed by the page.

The page stores the scenarios (localStorage) and sends them back to compare; they are validated again each time,
so a stored scenario is never trusted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import get
from ..core import Calculator, InputError, fmt
from .errors import error_list
from .exports import input_text
from .fields import MAX_SCENARIOS, clean_label, field_text, matching_preset, page_inputs, preset_names, shown


def _scenario(calc: Calculator, label: str, values: Mapping, preset: Any) -> dict:
    return {
        "label": label,
        "inputs": {i.name: field_text(i, values[i.name]) for i in calc.inputs},
        "preset": matching_preset(calc, values, preset) or "",
    }


def _neutral_label(calc: Calculator, output) -> str:
    """An output's label with each input it names written as that input's symbol ("Revenue at price list prices")."""
    return output.label.format_map({f: calc.input(f).symbol for f in output.fields()})


def keep(name: str, label: str, inputs: Mapping, preset: str | None, count: int = 0) -> dict:
    """A scenario to store: {"ok", "scenario": {label, inputs (field texts), preset}, "message"}."""
    calc = get(name)
    count = count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 0
    if count >= MAX_SCENARIOS:
        return {"ok": False, "message": f"At most {MAX_SCENARIOS} scenarios are kept; remove one first."}
    values, errors = page_inputs(calc, inputs)
    if errors:
        return {
            "ok": False,
            "errors": error_list(errors),
            "message": "Fix the highlighted field before keeping this scenario.",
        }
    label = clean_label(label) or f"Scenario {count + 1}"
    return {"ok": True, "scenario": _scenario(calc, label, values, preset), "message": f"Kept {shown(label)}."}


def baseline(name: str, count: int = 0) -> dict:
    """DeepSeek-V3 as a scenario: the calculator's "deepseek-v3" preset, or its defaults (DeepSeek's figures)."""
    calc = get(name)
    count = count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 0
    if count >= MAX_SCENARIOS:
        return {"ok": False, "message": f"At most {MAX_SCENARIOS} scenarios are kept; remove one first."}
    preset = "deepseek-v3" if "deepseek-v3" in preset_names(calc) else None
    values = calc.validate({}, preset)
    label = "DeepSeek-V3 (baseline)" if preset else "DeepSeek-V3 defaults (baseline)"
    return {"ok": True, "scenario": _scenario(calc, label, values, preset), "message": f"Kept {shown(label)}."}


def compare(name: str, scenarios: list) -> dict:
    """Scenarios side by side: {"ok", "columns": [{label, error}], "rows": [{section, name, label, texts,
    differs}], "legend"}. A scenario whose inputs the calculator refuses shows its error and "—" for outputs."""
    calc = get(name)
    if not isinstance(scenarios, list):
        raise InputError("scenarios", "not a list")
    columns, valid, results = [], [], []
    for k, s in enumerate(scenarios[:MAX_SCENARIOS]):
        s = s if isinstance(s, Mapping) else {}
        label = clean_label(s.get("label")) or f"Scenario {k + 1}"
        values, errors = page_inputs(calc, s.get("inputs"))
        result = None
        if not errors:
            try:
                result = calc.evaluate(values)
            except InputError as e:
                errors = [e]
        columns.append({"label": label, "error": "; ".join(f"{e.field} {e.message}" for e in errors)})
        valid.append(values if not errors else None)
        results.append(result)
    span = len(columns) + 1
    rows = [{"section": "heading", "name": "", "label": "Inputs", "texts": [], "differs": False, "span": span}]
    for i in calc.inputs:
        vals = [v[i.name] if v is not None else None for v in valid]
        texts = [input_text(calc, i, x) if x is not None else "—" for x in vals]
        known = [json.dumps(x, sort_keys=True) for x in vals if x is not None]
        rows.append(
            {"section": "input", "name": i.name, "label": i.label, "texts": texts, "differs": len(set(known)) > 1}
        )
    rows.append({"section": "heading", "name": "", "label": "Outputs", "texts": [], "differs": False, "span": span})
    for o in calc.outputs:
        vals = [r[o.name].value if r is not None else None for r in results]
        labels = {r[o.name].label for r in results if r is not None}
        texts = [fmt(x, o.unit) if x is not None else "—" for x in vals]
        rows.append(
            {
                "section": "output",
                "name": o.name,
                # the label for these inputs when the scenarios agree on it; else it names the inputs by symbol
                "label": labels.pop() if len(labels) == 1 else _neutral_label(calc, o),
                "texts": texts,
                "differs": len({x for x in vals if x is not None}) > 1,
            }
        )
    n_diff = sum(r["differs"] for r in rows)
    legend = (
        "Highlighted rows differ between the scenarios."
        if n_diff
        else "The scenarios are identical."
        if len(columns) > 1
        else "Keep another scenario to compare."
    )
    return {
        "ok": True,
        "columns": columns,
        "rows": rows,
        "legend": legend,
        "corner": "Scenario",
        "remove": "Remove",
        "remove_label": [f"Remove the scenario {shown(c['label'])}" for c in columns],
        "full": len(scenarios) >= MAX_SCENARIOS,
    }
