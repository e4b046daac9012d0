"""Ranges: any numeric input given as low/base/high; outputs come back as ranges with a sensitivity ranking.

The output range is the minimum and maximum over every combination of the ranged inputs' ends (and the base case),
so it is exact for outputs that are monotonic in each input. To catch those that are not (a ratio that peaks where
two times are equal), each ranged input is also scanned at interior points, one at a time with the others at base:
an output that goes beyond both ends of a scan is named in "not_monotonic" (with the inputs it peaks in), and its
range is widened by what the scan found, so it is then approximate rather than exact. The sensitivity ranking
varies one input at a time from its low to its high end with the others at base: the data of a tornado chart.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from .declare import Calculator
from .validate import InputError, parse_number

MAX_RANGED = 10  # 2**10 corner evaluations at most
INTERIOR = tuple(k / 16 for k in range(1, 16))  # where each ranged input is scanned inside its range, alone


def parse_triple(text: str) -> tuple[str, str, str] | None:
    """'1.5/2/3.5' -> ('1.5', '2', '3.5'); anything without a slash -> None."""
    if not isinstance(text, str) or "/" not in text:
        return None
    parts = [p.strip() for p in text.split("/")]
    if len(parts) != 3:
        raise ValueError("a range is written low/base/high, e.g. 1.5/2/3.5")
    return parts[0], parts[1], parts[2]


def check_triple(calc: Calculator, name: str, triple) -> tuple[float, float, float]:
    inp = calc.input(name)
    if inp.type not in ("float", "int"):
        raise InputError(name, "only numeric inputs can be given as a low/base/high range")
    lo, base, hi = (parse_number(inp, x) for x in triple)
    if not lo <= base <= hi:
        raise InputError(name, f"a range must satisfy low ≤ base ≤ high (got {lo}/{base}/{hi})")
    return lo, base, hi


def declared_ranges(calc: Calculator) -> dict[str, tuple[float, float, float]]:
    """The uncertainty ranges that the declaration itself gives (Input.range), around the defaults."""
    return {i.name: (i.range[0], i.default, i.range[1]) for i in calc.inputs if i.range is not None}


def run_ranges(
    calc: Calculator, ranged: Mapping[str, Any], fixed: Mapping[str, Any] | None = None, preset: str | None = None
) -> dict:
    """ranged: {input: (low, base, high)} (strings or numbers); fixed: other raw inputs.

    Returns {"ranges": {output: {low, base, high}}, "sensitivity": {output: [rows, largest swing first]},
    "not_monotonic": {output: [inputs it is found to peak or dip in]}}.
    """
    if not ranged:
        raise InputError("ranges", "give at least one input as low/base/high")
    if len(ranged) > MAX_RANGED:
        raise InputError("ranges", f"at most {MAX_RANGED} inputs can be ranged at once (got {len(ranged)})")
    triples = {calc.input(k).name: check_triple(calc, k, v) for k, v in ranged.items()}
    base_raw = dict(fixed or {})
    base_raw.update({k: t[1] for k, t in triples.items()})
    base_values = calc.validate(base_raw, preset)
    base = calc.evaluate(base_values)

    def at(changes: Mapping[str, float]) -> dict[str, float]:
        values = dict(base_values)
        values.update(changes)
        return {k: v.value for k, v in calc.evaluate(values).items()}

    names = list(triples)
    lo_hi = {o.name: [base[o.name].value, base[o.name].value] for o in calc.outputs}
    for ends in itertools.product((0, 2), repeat=len(names)):
        out = at({name: triples[name][e] for name, e in zip(names, ends, strict=True)})
        for k, v in out.items():
            lo_hi[k][0] = min(lo_hi[k][0], v)
            lo_hi[k][1] = max(lo_hi[k][1], v)

    one_at_a_time = {name: (at({name: triples[name][0]}), at({name: triples[name][2]})) for name in names}
    not_monotonic: dict[str, list[str]] = {}
    for name in names:
        lo, _, hi = triples[name]
        for t in INTERIOR:
            x = lo + (hi - lo) * t
            try:
                out = at({name: round(x) if calc.input(name).type == "int" else x})
            except InputError:
                continue  # a cross-field constraint refuses this point; the ends computed
            ends = one_at_a_time[name]
            for k, v in out.items():
                a, b = ends[0][k], ends[1][k]
                slack = 1e-9 * max(abs(a), abs(b), 1e-300)
                if (v < min(a, b) - slack or v > max(a, b) + slack) and name not in not_monotonic.get(k, []):
                    not_monotonic.setdefault(k, []).append(name)
                lo_hi[k][0] = min(lo_hi[k][0], v)
                lo_hi[k][1] = max(lo_hi[k][1], v)
    sensitivity = {}
    for o in calc.outputs:
        rows = []
        for name in names:
            low_out, high_out = one_at_a_time[name][0][o.name], one_at_a_time[name][1][o.name]
            rows.append(
                {
                    "input": name,
                    "input_low": triples[name][0],
                    "input_high": triples[name][2],
                    "output_at_low": low_out,
                    "output_at_high": high_out,
                    "swing": abs(high_out - low_out),
                }
            )
        rows.sort(key=lambda r: -r["swing"])
        sensitivity[o.name] = rows
    return {
        "ranges": {
            o.name: {"low": lo_hi[o.name][0], "base": base[o.name].value, "high": lo_hi[o.name][1]}
            for o in calc.outputs
        },
        "sensitivity": sensitivity,
        "not_monotonic": not_monotonic,
    }
