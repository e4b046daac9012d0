"""What a page asks for with `{{ calculator(NAME, ...) }}` or `{{ value(NAME, OUTPUT, ...) }}`, checked, and the
data of an inline value.

The Markdown extension (docs/hooks/calc_markdown.py) parses the call's literal arguments and hands them here; an
unknown calculator, output, preset or input, or an invalid value, raises EmbedError with a one-line message, which
the build reports with the page and line. Keyword arguments:

    preset="NAME"              start from a preset's values
    INPUT=VALUE                an input's value (a number, a choice, a config.json object)
    INPUT="low" | "high"       the input at its declared range's end (Input.range), so a page can show the
                               sourced uncertainty without typing it
    range="low" | "high"       value() only: the output's low or high end over every declared input range
    pin=True                   value() only: the number stays as published when the reader changes the form of the
                               same calculator on the page (a sentence that holds only for the published inputs)

Standard library only: tests/test_form.py calls these directly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import all as all_calculators
from ..core import Calculator, InputError, fmt
from ..core.ranges import declared_ranges, run_ranges
from .compute import compute_json


class EmbedError(ValueError):
    """A page's calculator() or value() call that cannot be rendered: the message says why, in one line."""


def range_ends(calc: Calculator, kwargs: Mapping[str, Any], what: str) -> dict:
    """value(..., price_per_gpu_hour="high"): "low"/"high" stand for the input's declared range ends (Input.range),
    so a page can show the sourced uncertainty without typing it."""
    out = dict(kwargs)
    for k, v in kwargs.items():
        if v in ("low", "high") and k != "range":
            inp = next((i for i in calc.inputs if i.name == k), None)
            if inp is None or inp.range is None:
                raise EmbedError(f"{what}: {k}={v!r} needs an input {k!r} with a declared range")
            out[k] = inp.range[0] if v == "low" else inp.range[1]
    return out


def resolve(name: Any, kwargs: Mapping[str, Any], what: str) -> tuple[Calculator, str | None, dict, dict]:
    """(calculator, preset, validated values, raw inputs as given) for a call's name and keyword arguments."""
    calcs = all_calculators()
    if not isinstance(name, str) or name not in calcs:
        raise EmbedError(f"{what}: unknown calculator {name!r}; the calculators are {', '.join(calcs)}")
    calc = calcs[name]
    raw = range_ends(calc, kwargs, what)
    preset = raw.pop("preset", None)
    if preset is not None and (not isinstance(preset, str) or preset not in {p.name for p in calc.presets}):
        have = ", ".join(p.name for p in calc.presets) or "none"
        raise EmbedError(f"{what}: {name} has no preset {preset!r} (its presets: {have})")
    names = {i.name for i in calc.inputs}
    for k in raw:
        if k not in names:
            raise EmbedError(f"{what}: {name} has no input {k!r}; its inputs are {', '.join(sorted(names))}")
    values, errors = calc.validate_all(raw, preset)
    if errors:
        raise EmbedError(f"{what}: " + "; ".join(f"{e.field} {e.message}" for e in errors))
    return calc, preset, values, raw


def computed(calc: Calculator, raw: Mapping[str, Any], preset: str | None, what: str) -> dict:
    """page.compute's answer for these inputs, through the JSON the worker's answer travels in (so a pre-rendered
    data-value is the live one, character for character)."""
    d = json.loads(compute_json(calc.name, json.dumps(dict(raw)), preset))
    if not d["ok"]:
        raise EmbedError(f"{what}: " + "; ".join(f"{e['field']}: {e['message']}" for e in d["errors"]))
    return d


def given_key(preset: str | None, raw: Mapping[str, Any]) -> str:
    """What a form or an inline value was computed for, as one string (its preset and the inputs given): an inline
    value follows a form on its page when both were computed for the same (data-given)."""
    return json.dumps({"preset": preset or "", "inputs": dict(raw)}, sort_keys=True, ensure_ascii=False)


def raw_number(v: float) -> str:
    """A number as a data-value attribute carries it (json.dumps, as page.compute's "raw")."""
    return json.dumps(v)


def value_context(args: list, kwargs: Mapping[str, Any]) -> dict:
    """What `{{ value(NAME, OUTPUT, ...) }}` shows, as data for docs/overrides/partials/calc/value.html.

    {"kind": "output" | "input" | "range", "calculator", "name" (the output or input), "raw" (data-value),
    "text", "title", and for an output "preset" and "inputs" (JSON of the inputs given, or ""), for a range "end"}.
    OUTPUT may also name a numeric input: its value (a default, or the preset's), titled with its source, so the
    prose never types it.
    """
    if len(args) != 2:
        raise EmbedError('value() takes the calculator and the output name: value("rl-cost", "cost_usd", ...)')
    name, output = args
    what = f"value({name!r}, {output!r})"
    kwargs = dict(kwargs)
    end = kwargs.pop("range", None)
    pin = kwargs.pop("pin", False)
    if not isinstance(pin, bool):
        raise EmbedError(f"{what}: pin= must be True or False")
    if end is not None and end not in ("low", "high"):
        raise EmbedError(f'{what}: range= must be "low" or "high"')
    calc, preset, values, raw = resolve(name, kwargs, what)
    outs = {o.name: o for o in calc.outputs}
    if end is not None:
        # The output's low or high end over every declared input range (core.ranges), the others as given.
        ranged = {k: t for k, t in declared_ranges(calc).items() if k not in raw}
        if not ranged or output not in outs:
            raise EmbedError(f"{what}: range= needs an output and inputs with declared ranges")
        try:
            r = run_ranges(calc, ranged, raw, preset)["ranges"][output][end]
        except InputError as e:
            raise EmbedError(f"{what}: {e}") from None
        o = outs[output]
        return {
            "kind": "range",
            "calculator": name,
            "name": output,
            "end": end,
            "raw": raw_number(r),
            "text": fmt(r, o.unit),
            "title": f"{o.label_for(values, {i.name: i for i in calc.inputs})}: {end} end over the declared ranges",
        }
    numeric_inputs = {i.name: i for i in calc.numeric_inputs()}
    if output not in outs and output in numeric_inputs:
        inp = numeric_inputs[output]
        v = values[output]
        source = calc.preset(preset).source if preset else inp.source
        return {
            "kind": "input",
            "calculator": name,
            "name": output,
            "raw": raw_number(v),
            "text": fmt(v, inp.unit),
            "title": f"{inp.label}: {source.cite()}",
        }
    if output not in outs:
        raise EmbedError(
            f"{name} has no output {output!r} (nor numeric input of that name); its outputs are {', '.join(outs)}"
        )
    o = computed(calc, raw, preset, what)["outputs"][output]
    return {
        "kind": "output",
        "calculator": name,
        "name": output,
        "raw": o["raw"],
        "text": o["text"],
        "title": o["label"] + (f": {o['shown']}" if o["shown"] else ""),
        "preset": preset or "",
        "inputs": json.dumps(raw, sort_keys=True) if raw else "",
        "given": given_key(preset, raw),
        "pinned": pin,
    }
