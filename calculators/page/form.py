"""Everything a calculator form shows, as plain data: the context docs/overrides/partials/calc/form.html renders.

`form_context(args, kwargs, form_id, download)` is what `{{ calculator(NAME, preset=..., INPUT=VALUE...) }}`
becomes: the fields with their texts, hints, sources and help; the presets with the field texts each one sets;
every output pre-rendered (number, text, working, formula, label); the charts' tables; the CLI command that gives
the same numbers; the notices the page script swaps in. The templates add markup only: every text about a number
is written here, by the same functions the live page calls, so the static HTML and the live form agree.

A source is given as {"title", "url", "where", "note"}; the renderer turns a site-relative url into a link
relative to the page. Standard library only: tests/test_form.py calls it directly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..core import Calculator, Source, fmt
from . import sliders
from .charts import chart_data
from .embed import EmbedError, computed, given_key, range_ends, raw_number, resolve
from .exports import command_line
from .fields import field_text

# Read from a dropped or picked file at most (a config.json is a few KB; more than this is not one).
MAX_FILE_BYTES = 2_000_000


def form_id(name: str, k: int) -> str:
    """The id of the k-th form (from 1) of calculator `name` on a page: calc-NAME, then calc-NAME-2, ..."""
    return f"calc-{name}" if k == 1 else f"calc-{name}-{k}"


def source_context(source: Source) -> dict:
    return {"title": source.title, "url": source.url, "where": source.where, "note": source.note}


def notices(download: str) -> dict:
    """The status line's texts: calc.js shows one per state (it writes none of its own)."""
    return {
        "booting": f"Starting Python in your browser for live results (a download of about {download}, "
        "kept in the browser cache); the numbers shown were computed when the site was built.",
        "live": "Live: every change is recomputed by the same Python code, running in your browser.",
        "invalid": "No results until the highlighted field is fixed.",
        "error": "Live mode is off: Python could not start in this browser. The numbers shown were computed when "
        "the site was built, for the values shown.",
    }


def _presets(calc: Calculator, preset: str | None, given: bool) -> dict | None:
    """The preset picker: one option for the defaults and one per preset, each carrying the field texts it sets.

    The option selected is the page's preset, or the defaults; with inputs given, none ("custom", never offered in
    the list: calc.js selects it once the fields match no option).
    """
    if not calc.presets:
        return None
    selected = None if given else (preset or "")
    options = [("", "Defaults (each field cites its source)", calc.defaults())]
    options += [(p.name, p.label, calc.validate({}, p.name)) for p in calc.presets]
    return {
        "options": [
            {
                "value": value,
                "label": label,
                "fields": json.dumps({i.name: field_text(i, vals[i.name]) for i in calc.inputs}),
                "selected": value == selected,
            }
            for value, label, vals in options
        ],
        "custom_selected": selected is None,
        "sources": [
            {"preset": p.name, "source": source_context(p.source), "hidden": p.name != selected} for p in calc.presets
        ],
    }


class _Refs:
    """The form's numbered references: each distinct source once, numbered in the order the fields show them."""

    def __init__(self):
        self.numbers: dict[tuple, int] = {}

    def number(self, source: Source) -> int:
        key = (source.id, source.where, source.note)
        return self.numbers.setdefault(key, len(self.numbers) + 1)


def _field(calc: Calculator, fid: str, inp, value: Any, refs: _Refs) -> dict:
    text = field_text(inp, value)
    hint = inp.allowed()
    key = inp.name in sliders.key_input_names(calc)
    field = {
        "name": inp.name,
        "id": f"{fid}-{inp.name}",
        "label": inp.label,
        "unit": inp.unit,
        "type": inp.type,
        "value": text,
        "hint": hint[:1].upper() + hint[1:] + ".",
        "source": source_context(inp.source),
        "ref": refs.number(inp.source),
        "help": inp.help,
        "key": key,
        "slider": None,
        "range": None,
    }
    if inp.range is not None:
        lo, hi = inp.range
        field["range"] = {
            "text": f"{fmt(lo, inp.unit)} to {fmt(hi, inp.unit)}",
            "source": source_context(inp.range_source) if inp.range_source else None,
        }
    if inp.numeric:
        field.update(min=raw_number(inp.min), max=raw_number(inp.max))
        field["step"] = raw_number(inp.step) if inp.step is not None else ""
        if key:
            s = sliders.slider(calc, inp.name, value)
            field["slider"] = {
                "stops": json.dumps(s["stops"], ensure_ascii=False),
                "last": len(s["stops"]) - 1,
                "position": s["position"],
                "text": s["stops"][s["position"]],
            }
    elif inp.type == "choice":
        field["choices"] = [{"value": v, "label": lab, "selected": v == text} for v, lab in inp.choices]
    else:  # a config.json: a text box sized to it, and a file picker
        field.update(rows=min(10, max(6, text.count("\n") + 1)), max_bytes=MAX_FILE_BYTES)
    return field


def _charts(calc: Calculator, raw: Mapping[str, Any], preset: str | None) -> list[dict]:
    """A figure per declared chart: calc-charts.js draws it; its table is the same data as text, for screen
    readers and without JavaScript."""
    out = []
    for index, chart in enumerate(calc.charts):
        d = chart_data(calc.name, dict(raw), preset, index)
        if not d.get("ok"):
            errs = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in d.get("errors", []))
            raise EmbedError(f"chart {index} ({chart.title}) of {calc.name}: {errs}")
        table = d.get("table") or {"columns": [], "rows": []}
        out.append(
            {
                "index": index,
                "kind": d.get("kind", chart.kind),
                "title": d.get("title") or chart.title,
                "columns": list(table["columns"]),
                "rows": [list(row) for row in table["rows"]],
            }
        )
    return out


def form_context(args: list, kwargs: Mapping[str, Any], fid: str, download: str = "") -> dict:
    """The form for {{ calculator(NAME, preset=..., INPUT=VALUE...) }} (see the module docstring).

    fid: the form's id on its page (form_id); download: the size of Python's runtime, as the booting notice
    states it ("12.8 MB"). Raises EmbedError for an unknown calculator, preset or input, or an invalid value.
    """
    if len(args) != 1:
        raise EmbedError('calculator() takes one calculator name: calculator("rl-cost", preset=..., input=...)')
    name = args[0]
    what = f"calculator({name!r})"
    calc, preset, values, _ = resolve(name, kwargs, what)
    raw = {k: v for k, v in range_ends(calc, kwargs, what).items() if k != "preset"}
    d = computed(calc, raw, preset, what)
    refs = _Refs()
    keys = sliders.key_input_names(calc)
    order = [calc.input(n) for n in keys] + [i for i in calc.inputs if i.name not in keys]
    by_name = {i.name: _field(calc, fid, i, values[i.name], refs) for i in order}
    fields = [by_name[i.name] for i in calc.inputs]
    outputs = []
    for o in calc.outputs:
        r = d["outputs"][o.name]
        outputs.append(
            {
                "name": o.name,
                "id": f"{fid}-out-{o.name}",
                "label": r["label"],
                "unit": o.unit,
                "headline": o.name == calc.headline,
                "key": o.name in calc.key_outputs,
                "raw": r["raw"],
                "text": r["text"],
                "working": r["shown"],
                "formula": r["formula"],
                "help": o.help,
            }
        )
    charts = _charts(calc, raw, preset)
    for c in charts:
        c["main"] = c["index"] == calc.main_chart
    return {
        "id": fid,
        "calculator": calc.name,
        "preset": preset or "",
        # What the form was built for (its preset and given inputs): an inline value computed for the same follows
        # the form when the reader changes it (calc-reader.js), unless its author pinned it.
        "given": given_key(preset, raw),
        "title": calc.title,
        "summary": calc.summary,
        "notes": calc.notes,
        "notices": notices(download),
        # Without JavaScript, the form says which command prints the same numbers (the command the page copies).
        "cli": command_line(calc, values, preset),
        "reset_label": "Reset to the page's values" if raw or preset else "Reset to defaults",
        "presets": _presets(calc, preset, bool(raw)),
        "inputs": fields,
        "key_inputs": [by_name[n] for n in keys],
        "other_inputs": [f for f in fields if not f["key"]],
        "input_ids": " ".join(f["id"] for f in fields),
        "outputs": outputs,
        "key_outputs": [next(o for o in outputs if o["name"] == n) for n in calc.key_outputs],
        "other_outputs": [o for o in outputs if not o["key"]],
        "charts": charts,
        "main_charts": [c for c in charts if c["main"]],
        "other_charts": [c for c in charts if not c["main"]],
    }
