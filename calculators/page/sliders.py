"""Sliders for a calculator's key inputs: the stops a slider moves through, and where a value sits among them.

A slider (docs/overrides/partials/calc/field.html) is paired with its input's number box. It moves through a list
of stops written here as the field texts they stand for (page/fields.field_text), so that dragging it only copies
one of these texts into the box: JavaScript does no arithmetic. Where a typed value sits on the slider comes back
with every answer (page/compute.py: "positions"), computed here.

The stops run over a span around the default: the declared uncertainty range (Input.range) and the presets'
values, widened to a tenth and ten times the default (a log scale) or to the input's own bounds when those are
narrow (a fraction from 0 to 1, a count of a few hundred), clipped to the bounds. They are round numbers (LOG_MANTISSAS
per decade on a log scale; a round step on a linear one), plus the default, the range
ends and the presets' values exactly, so that each of those is one position of the slider.

Standard library only; runs unchanged on CPython 3.11+ and in Pyodide.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..core import Calculator, Input
from .fields import field_text

LOG_MANTISSAS = (1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 2.2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9)
LINEAR_STEPS = 100  # about this many stops on a linear slider
LOG_SPAN = 10  # a log slider runs from default ÷ 10 to default × 10 (before the range and presets widen it)
MAX_STOPS = 400


def _round_step(span: float) -> float:
    raw = span / LINEAR_STEPS
    p = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * p >= raw:
            return m * p
    return 10 * p


def _clean(x: float) -> float:
    return float(f"{x:.12g}")


def _span(inp: Input, anchors: list[float]) -> tuple[float, float, bool]:
    """(low, high, log scale) for the slider of `inp`."""
    lo_b, hi_b = float(inp.min), float(inp.max)
    d = float(inp.default)
    lo, hi = min(anchors), max(anchors)
    if hi_b - lo_b <= 1 or (inp.type == "int" and hi_b - lo_b <= 400):
        return lo_b, hi_b, False  # narrow bounds (a fraction, a small count): the whole of them
    if d > 0 and lo > 0:
        lo, hi = min(lo, d / LOG_SPAN), max(hi, d * LOG_SPAN)
        lo, hi = max(lo, lo_b), min(hi, hi_b)
        if lo > 0 and hi / lo >= 20:
            return lo, hi, True
        return lo, hi, False
    # a default of 0 (something left out by default): from the lower bound to the range's top, or to 10
    top = max(hi, 10.0) if hi > 0 else 10.0
    return lo_b, min(hi_b, top * 2), False


def _stops(inp: Input, anchors: tuple[float, ...]) -> tuple[tuple[float, ...], bool]:
    lo, hi, log = _span(inp, list(anchors))
    values: set[float] = set()
    if log:
        for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
            for m in LOG_MANTISSAS:
                values.add(_clean(m * 10**e))
    else:
        step = _round_step(hi - lo) if hi > lo else 1.0
        if inp.type == "int":
            step = max(1.0, round(step))
        k = math.ceil(lo / step)
        while k * step <= hi + step * 1e-9:
            values.add(_clean(k * step))
            k += 1
    values = {v for v in values if lo <= v <= hi}
    values |= {float(a) for a in anchors if inp.min <= a <= inp.max}
    values |= {lo, hi}
    if inp.type == "int":
        values = {float(round(v)) for v in values}
    out = sorted(values)
    if len(out) > MAX_STOPS:  # keep the anchors, thin the rest
        keep = {float(a) for a in anchors}
        every = math.ceil(len(out) / MAX_STOPS)
        out = sorted({v for k, v in enumerate(out) if k % every == 0 or v in keep} | {out[-1]})
    return tuple(out), log


def _number(inp: Input, v: float) -> float | int:
    return int(v) if inp.type == "int" else v


_CACHE: dict[tuple[str, str], tuple[tuple, bool]] = {}


def _scale(calc: Calculator, name: str) -> tuple[tuple, bool]:
    key = (calc.name, name)
    if key not in _CACHE:
        inp = calc.input(name)
        anchors = [inp.default, *(inp.range or ())]
        for p in calc.presets:
            v = p.values.get(name)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                anchors.append(v)
        values, log = _stops(inp, tuple(float(a) for a in anchors))
        _CACHE[key] = (tuple(_number(inp, v) for v in values), log)
    return _CACHE[key]


def stops(calc: Calculator, name: str) -> tuple[float | int, ...]:
    """The values a key input's slider moves through, in order (see the module docstring)."""
    return _scale(calc, name)[0]


def position(calc: Calculator, name: str, value: float) -> int:
    """The stop nearest to `value` (in ratio on a log slider); the ends for a value beyond them."""
    s, log = _scale(calc, name)
    if value <= s[0]:
        return 0
    if value >= s[-1]:
        return len(s) - 1

    def gap(x: float) -> float:
        return abs(math.log(x / value)) if log else abs(x - value)

    return min(range(len(s)), key=lambda k: gap(s[k]))


DEFAULT_KEYS = 4


def key_input_names(calc: Calculator) -> tuple[str, ...]:
    """The inputs a form shows first: the declared key inputs; where none are declared, the numeric inputs with a
    declared uncertainty range, then the first numeric inputs, DEFAULT_KEYS in all."""
    if calc.key_inputs:
        return calc.key_inputs
    numeric = [i.name for i in calc.inputs if i.numeric]
    ranked = [i.name for i in calc.inputs if i.numeric and i.range is not None] + numeric
    return tuple(dict.fromkeys(ranked))[:DEFAULT_KEYS]


def slider_inputs(calc: Calculator) -> list[Input]:
    """The key inputs that get a slider: the numeric ones."""
    return [calc.input(n) for n in key_input_names(calc) if calc.input(n).numeric]


def slider(calc: Calculator, name: str, value: float) -> dict:
    """A slider's data for the form: its stops as field texts, and the position of `value`."""
    inp = calc.input(name)
    return {"stops": [field_text(inp, v) for v in stops(calc, name)], "position": position(calc, name, value)}


def positions(calc: Calculator, values: Mapping[str, Any]) -> dict[str, int]:
    """Where each slider sits for these (validated) values: what an answer carries for the page."""
    return {i.name: position(calc, i.name, values[i.name]) for i in slider_inputs(calc)}
