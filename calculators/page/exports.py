"""Exports of a form's state: the CLI command that gives the same numbers, and CSV/JSON downloads.

The command is written here only (cli_words, command_line): the copied command, the one in a JSON export and the
hint a form shows without JavaScript (page/form.py) are the same text. Run, it prints the form's numbers
(tests/test_scenarios.py runs it).
"""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections.abc import Mapping
from typing import Any

from .. import get
from ..core import Calculator, InputError, fmt
from .errors import error_list
from .fields import CONFIG_FILE, matching_preset, page_inputs, value_text

# --------------------------------------------------------------------------------------------------------------------
# The command line


def cli_words(calc: Calculator, values: Mapping[str, Any], preset: str | None = None) -> tuple[list[str], dict]:
    """`python -m calculators NAME [--preset P] [--flag value ...]` reproducing `values`, as a word list, and the
    files it reads ({name: text}: a config.json input is given as --config your-config.json).

    Of the defaults and each preset, the starting point needing the fewest flags is used (the picker's preset on
    a tie), so a config equal to a preset's is named by the preset.
    """
    starts = [(None, calc.validate({}))] + [(p.name, calc.validate({}, p.name)) for p in calc.presets]

    def cost(item):  # words to type: a flag each, two for a config (it needs a file), one for --preset
        pname, base = item
        differing = sum(2 if i.type == "json" else 1 for i in calc.inputs if values[i.name] != base[i.name])
        return differing + (1 if pname else 0), 0 if pname == preset else 1

    pname, base = min(starts, key=cost)
    words = ["python", "-m", "calculators", calc.name] + (["--preset", pname] if pname else [])
    files: dict[str, str] = {}
    for i in calc.inputs:
        v = values[i.name]
        if v == base[i.name]:
            continue
        if i.type == "json" and i.flag == "--config":
            files[CONFIG_FILE] = json.dumps(v, indent=2, ensure_ascii=False) + "\n"
            words += [i.flag, CONFIG_FILE]
        else:
            words += [i.flag, value_text(i, v)]
    return words, files


def command_line(calc: Calculator, values: Mapping[str, Any], preset: str | None = None) -> dict:
    """{"command": the shell-quoted command (POSIX shells), "files": {file: text}, "note": what to save first}."""
    words, files = cli_words(calc, values, preset)
    note = f"Save the configuration in the form as {CONFIG_FILE} first (the JSON download holds it)." if files else ""
    return {"command": " ".join(shlex.quote(w) for w in words), "files": files, "note": note}


def cli_command(name: str, inputs: Mapping, preset: str | None = None) -> dict:
    """{"ok", "command": shell-quoted text, "files": {file: text}, "note"}, or {"ok": false, "message"}."""
    calc = get(name)
    values, errors = page_inputs(calc, inputs)
    if errors:
        return {
            "ok": False,
            "errors": error_list(errors),
            "message": "No command until the highlighted field is fixed.",
        }
    return {"ok": True, **command_line(calc, values, preset if isinstance(preset, str) else None)}


# --------------------------------------------------------------------------------------------------------------------
# Downloads


def _json_text(calc: Calculator, inp, v) -> str:
    for p in calc.presets:
        if p.values.get(inp.name) == v:
            return p.label
    mt = v.get("model_type") if isinstance(v, dict) else None
    kind = f"{mt} config.json" if isinstance(mt, str) and len(mt) <= 40 else "config.json"
    return f"{kind} (the declared default)" if v == inp.default else f"{kind} (edited)"


def input_text(calc: Calculator, inp, v) -> str:
    """An input's value for people: numbers with their unit, choices as written, a config by its model."""
    if inp.type in ("float", "int"):
        return fmt(v, inp.unit)
    if inp.type == "json":
        return _json_text(calc, inp, v)
    return str(v)


def export(name: str, inputs: Mapping, preset: str | None, kind: str) -> dict:
    """A download of the form's inputs and outputs: {"ok", "filename", "mime", "text"}.

    kind "json": {"calculator", "title", "preset", "inputs": {name: value}, "outputs": {name: {label, unit, value,
    text}}, "command"}; kind "csv": one row per input and output: section, name, label, value, unit, text.
    """
    calc = get(name)
    if kind not in ("csv", "json"):
        raise InputError("format", "must be csv or json")
    values, errors = page_inputs(calc, inputs)
    if not errors:
        try:
            result = calc.evaluate(values)
        except InputError as e:
            errors = [e]
    if errors:
        return {
            "ok": False,
            "errors": error_list(errors),
            "message": "Nothing to export until the highlighted field is fixed.",
        }
    used = matching_preset(calc, values, preset)
    command = command_line(calc, values, used)["command"]
    if kind == "json":
        doc = {
            "calculator": calc.name,
            "title": calc.title,
            "preset": used,
            "inputs": dict(values),
            "outputs": {
                o.name: {
                    "label": result[o.name].label,
                    "unit": o.unit,
                    "value": result[o.name].value,
                    "text": fmt(result[o.name].value, o.unit),
                }
                for o in calc.outputs
            },
            "command": command,
        }
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        return {
            "ok": True,
            "filename": f"{calc.name}.json",
            "mime": "application/json",
            "text": text,
            "message": f"Saved {calc.name}.json: the inputs and outputs as JSON.",
        }
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["section", "name", "label", "value", "unit", "text"])
    for i in calc.inputs:
        v = values[i.name]
        w.writerow(["input", i.name, i.label, value_text(i, v), i.unit, input_text(calc, i, v)])
    for o in calc.outputs:
        v = result[o.name].value
        w.writerow(["output", o.name, result[o.name].label, json.dumps(v), o.unit, fmt(v, o.unit)])
    return {
        "ok": True,
        "filename": f"{calc.name}.csv",
        "mime": "text/csv;charset=utf-8",
        "text": buf.getvalue(),
        "message": f"Saved {calc.name}.csv: one row per input and output.",
    }
