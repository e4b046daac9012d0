"""Published facts that several calculators use, each stated once (data/facts.json) with its source.

    >>> from calculators.models.facts import fact
    >>> fact("deepseek-v3.active_params").value
    37000000000.0

A Fact can be an Input's default directly (its source becomes the default's source) or a number in a derivation.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from ..core import Fact, InputError, Source, load_json, src


@functools.cache
def _table() -> dict[str, Fact]:
    out = {}
    for model, entries in load_json("facts.json").items():
        if model.startswith("_"):
            continue
        for name, e in entries.items():
            if not isinstance(e, dict):  # "label", "gpu": descriptions (model_info), not numbers
                continue
            key = f"{model}.{name}"
            rng = tuple(e["range"]) if "range" in e else None
            where = src(e["range_source"]) if "range_source" in e else None
            out[key] = Fact(e["value"], src(e["source"]), e.get("unit", ""), key, rng, e.get("estimate", False),
                            e.get("verified", True), where)  # fmt: skip
    for key, f in out.items():  # a range given as two facts' keys: their values, both sources
        if f.range is not None and all(isinstance(k, str) for k in f.range):
            lo, hi = (out[k] for k in f.range)
            if lo.source.id != hi.source.id:
                raise ValueError(f"{key}: a range's two ends must come from one source")
            joined = Source(lo.source.id, f"low end: {lo.source.where}; high end: {hi.source.where}")
            out[key] = replace(f, range=(lo.value, hi.value), range_source=f.range_source or joined)
    return out


@functools.cache
def model_info(model: str) -> dict:
    """A model's descriptive entries ("label", "gpu") from data/facts.json."""
    entries = load_json("facts.json").get(model)
    if not isinstance(entries, dict):
        raise InputError("model", f"no model {model!r} in data/facts.json")
    return {k: v for k, v in entries.items() if not isinstance(v, dict)}


def fact(key: str) -> Fact:
    """The fact at "MODEL.NAME" (e.g. "deepseek-r1.r1_zero_hours")."""
    table = _table()
    if key not in table:
        raise InputError("fact", f"no fact {key!r} in data/facts.json")
    return table[key]


def range_source(key: str):
    """Where fact KEY's uncertainty range comes from: its range's own source, else the fact's source."""
    f = fact(key)
    return f.range_source or f.source


RENTAL = "deepseek-v3.price_per_gpu_hour"  # the fact whose range is the rental market's (range_source(RENTAL))


def value(key: str) -> float:
    return fact(key).value


def facts() -> dict[str, Fact]:
    return dict(_table())
