"""Chart data: every number and every piece of text a page's chart shows, computed here.

A calculator declares its charts (core.Chart); `chart_data(name, inputs, preset, index)` turns the chart at `index`
into plain JSON for the page: the bars or points as raw numbers, their texts (core.fmt), the axis ticks with their
texts, the categories' labels and a table of the same data (the page renders it, for screen readers and without
JavaScript). docs/assets/calc-charts.js only hands these to the chart library: it does no arithmetic and formats no
number. The worker calls this through page.api.API["chart"]; the axes and their texts are page/axes.py's.

Kinds:
- "tornado": `output` as each input with a declared range (Input.range) goes from the low to the high end of that
  range, the other inputs as given (core.ranges.run_ranges, one at a time); one row per input, largest swing first. The
  range is widened to include the input's current value when that lies outside it.
- "waterfall": the outputs in `series` as steps (floating bars from the running total before each step to the one
  after it), then a last bar from zero to the total (the sum of the steps, labelled with `output` if declared).
- "sweep": `output` as the input `over` goes through axes.SWEEP_POINTS points from its min to its max (log-spaced when
  the range spans two orders of magnitude or more), the other inputs as given, plus the current value of `over`;
  and the same for the presets in SWEEP_COMPARE (their values, the other inputs as given).

Standard library only; runs unchanged on CPython 3.11+ and in Pyodide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import get
from ..core import Calculator, Chart, InputError
from ..core.ranges import run_ranges
from .axes import amount_text as _text
from .axes import axis_title, label_lines, linear_axis, log_axis, sweep_points, value_axis

# Presets drawn beside the inputs' own line in a sweep: DeepSeek-V3, Qwen-2.5 72B and LLaMA-3.1 405B are the three
# models of "Insights into DeepSeek-V3" (ISCA 2025), Table 1 (KV cache per token: 70.272, 327.680, 516.096 KB).
SWEEP_COMPARE: dict[str, tuple[str, ...]] = {"kv-cache": ("deepseek-v3", "qwen2.5-72b", "llama-3.1-405b")}


# --------------------------------------------------------------------------------------------------------------------
# The three kinds


def _label(calc: Calculator, name: str, values: Mapping[str, Any]) -> str:
    """An output's label for these inputs (a label may name an input: Output.label_for)."""
    return calc.output(name).label_for(values, {i.name: i for i in calc.inputs})


def _tornado(calc: Calculator, chart: Chart, values: dict) -> dict:
    out = calc.output(chart.output or calc.headline)
    out_label = _label(calc, out.name, values)
    ranged = [i for i in calc.inputs if i.range is not None and i.type in ("float", "int")]
    if not ranged:
        raise InputError("chart", f"{calc.name} declares no input ranges, so it has no tornado chart")
    triples = {
        i.name: (min(i.range[0], values[i.name]), values[i.name], max(i.range[1], values[i.name])) for i in ranged
    }
    result = run_ranges(calc, triples, fixed=values)
    rows = result["sensitivity"][out.name]
    base = result["ranges"][out.name]["base"]
    unit = out.unit
    by_name = {i.name: i for i in ranged}
    labels, keys, low_bars, high_bars, low_values, high_values, spans = [], [], [], [], [], [], []
    table_rows, low_tips, high_tips = [], [], []
    for r in rows:
        inp = by_name[r["input"]]
        # an input that does not move the output at these inputs (e.g. MFU on the reported basis) says so
        labels.append(inp.label if r["swing"] else f"{inp.label} (no effect at these inputs)")
        keys.append(inp.name)
        low_values.append(r["output_at_low"])
        high_values.append(r["output_at_high"])
        low_bars.append([base, r["output_at_low"]])
        high_bars.append([base, r["output_at_high"]])
        spans.append([r["output_at_low"], r["output_at_high"]])
        low_tips.append(f"At {_text(r['input_low'], inp.unit)}: {_text(r['output_at_low'], unit)}")
        high_tips.append(f"At {_text(r['input_high'], inp.unit)}: {_text(r['output_at_high'], unit)}")
        table_rows.append(
            [
                labels[-1],
                f"{_text(r['input_low'], inp.unit)} to {_text(r['input_high'], inp.unit)}",
                _text(r["output_at_low"], unit),
                _text(r["output_at_high"], unit),
                _text(r["swing"], unit),
            ]
        )
    axis = linear_axis(min(base, *low_values, *high_values), max(base, *low_values, *high_values), unit)
    top = rows[0]
    top_inp = by_name[top["input"]]
    summary = (
        f"{out_label}, {_text(base, unit)} at the values above. Largest swing: {top_inp.label}, from "
        f"{_text(top['input_low'], top_inp.unit)} to {_text(top['input_high'], top_inp.unit)}, gives "
        f"{_text(top['output_at_low'], unit)} to {_text(top['output_at_high'], unit)}."
    )
    return {
        "index_axis": "y",  # horizontal bars: categories down the side, the output along the bottom
        "x_label": axis_title(out_label, unit),
        "y_label": "",
        "unit": unit,
        "labels": labels,
        "label_lines": [label_lines(x) for x in labels],
        "keys": keys,
        "base": {"value": base, "text": _text(base, unit)},
        "bars": spans,
        "series": [
            {
                "name": "Input at the low end of its range",
                "role": "low",
                "values": low_values,
                "texts": [_text(v, unit) for v in low_values],
                "tooltips": low_tips,
                "bars": low_bars,
            },
            {
                "name": "Input at the high end of its range",
                "role": "high",
                "values": high_values,
                "texts": [_text(v, unit) for v in high_values],
                "tooltips": high_tips,
                "bars": high_bars,
            },
        ],
        "axes": {"x": axis, "y": {"scale": "category"}},
        "summary": summary,
        "table": {
            "columns": ["Input", "Range", f"{out_label} at the low end", f"{out_label} at the high end", "Swing"],
            "rows": table_rows,
        },
    }


def _waterfall(calc: Calculator, chart: Chart, values: dict) -> dict:
    if not chart.series:
        raise InputError("chart", "a waterfall chart needs outputs in its series")
    result = calc.evaluate(values)
    outs = [calc.output(name) for name in chart.series]
    unit = outs[0].unit
    total_label = _label(calc, chart.output, values) if chart.output else "Total"
    step_labels = [_label(calc, o.name, values) for o in outs]
    running = 0.0
    bars, step_values, roles, table_rows, cumulative = [], [], [], [], []
    for o, label in zip(outs, step_labels, strict=True):
        v = result[o.name].value
        start, running = running, running + v
        bars.append([start, running])
        step_values.append(v)
        cumulative.append(running)
        roles.append("decrease" if v < 0 else "increase")
        table_rows.append([label, _text(v, unit), _text(running, unit)])
    total = running
    bars.append([0.0, total])
    step_values.append(total)
    cumulative.append(total)
    roles.append("total")
    table_rows.append([total_label, _text(total, unit), _text(total, unit)])
    labels = [*step_labels, total_label]
    ends = [e for bar in bars for e in bar]
    summary = (
        f"{len(outs)} steps, from {labels[0]}: {_text(step_values[0], unit)}, to {total_label}: {_text(total, unit)}."
    )
    return {
        "index_axis": "y",  # horizontal bars: the steps down the side, top to bottom, the running total across
        "x_label": axis_title("Running total", unit),
        "y_label": "",
        "unit": unit,
        "labels": labels,
        "label_lines": [label_lines(x) for x in labels],
        "keys": [o.name for o in outs] + [chart.output or "total"],
        "bars": bars,
        "roles": roles,
        "series": [
            {
                "name": "Step",
                "role": "steps",
                "values": step_values,
                "texts": [_text(v, unit) for v in step_values],
                "bars": bars,
                "roles": roles,
                "cumulative": cumulative,
                "cumulative_texts": [_text(v, unit) for v in cumulative],
                "tooltips": [
                    f"{_text(v, unit)}; running total {_text(c, unit)}" if r != "total" else _text(v, unit)
                    for v, c, r in zip(step_values, cumulative, roles, strict=True)
                ],
            }
        ],
        "axes": {"x": linear_axis(min(0.0, *ends), max(0.0, *ends), unit), "y": {"scale": "category"}},
        "summary": summary,
        "table": {"columns": ["Step", "Amount", "Running total"], "rows": table_rows},
    }


def _same(calc: Calculator, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(a[i.name] == b[i.name] for i in calc.inputs)


def _sweep(calc: Calculator, chart: Chart, values: dict) -> dict:
    over = calc.input(chart.over)
    out = calc.output(chart.output or calc.headline)
    out_label = _label(calc, out.name, values)
    xs, log_x = sweep_points(over)
    current = values[over.name]
    if current not in xs:
        xs = sorted([*xs, current])
    current_index = xs.index(current)

    def line(vals: Mapping[str, Any]) -> list[float]:
        return [calc.evaluate({**vals, over.name: x})[out.name].value for x in xs]

    own_name = "The inputs above"
    series = []
    comparisons = []
    for pname in SWEEP_COMPARE.get(calc.name, ()):
        try:
            p = calc.preset(pname)
            pv = calc.validate({**values, **p.values})
        except InputError:
            continue
        if _same(calc, pv, values):
            own_name = f"The inputs above: {p.label}"
            continue
        comparisons.append((p, pv))
    series.append({"name": own_name, "role": "inputs", "values": line(values)})
    for p, pv in comparisons:
        try:
            series.append({"name": p.label, "role": "preset", "preset": p.name, "values": line(pv)})
        except InputError:
            continue  # this preset gives no finite number with the other inputs as given: leave it out
    for s in series:
        s["texts"] = [_text(v, out.unit) for v in s["values"]]
        s["tooltips"] = [f"{s['name']}: {text}" for text in s["texts"]]
    labels = [_text(x, over.unit) for x in xs]
    x_axis = log_axis(xs[0], xs[-1], over.unit) if log_x else linear_axis(xs[0], xs[-1], over.unit)
    all_values = [v for s in series for v in s["values"]]
    y_axis = value_axis(all_values, out.unit, allow_log=True)
    own = series[0]
    summary = (
        f"{out_label} against {over.label}, from {labels[0]} to {labels[-1]}: {own['texts'][0]} to "
        f"{own['texts'][-1]} for the inputs above, {own['texts'][current_index]} at "
        f"{labels[current_index]}."
    )
    return {
        "index_axis": "x",
        "x_label": axis_title(over.label, over.unit),
        "y_label": axis_title(out_label, out.unit),
        "unit": out.unit,
        "labels": labels,
        "x_values": xs,
        "current_index": current_index,
        "series": series,
        "axes": {"x": x_axis, "y": y_axis},
        "summary": summary,
        "table": {
            "columns": [over.label] + [s["name"] for s in series],
            "rows": [[labels[k]] + [s["texts"][k] for s in series] for k in range(len(xs))],
        },
    }


KINDS = {"tornado": _tornado, "waterfall": _waterfall, "sweep": _sweep}


# --------------------------------------------------------------------------------------------------------------------
# The page function


def _error(e: InputError, **extra) -> dict:
    return {"ok": False, **extra, "errors": [{"field": e.field, "message": e.message}]}


def chart_data(name: str, inputs: Mapping[str, Any] | None = None, preset: str | None = None, index: int = 0) -> dict:
    """The data of chart `index` of calculator `name` for the raw `inputs` (as compute_dict takes them).

    {"ok": True, "calculator", "index", "kind", "title", "x_label", "y_label", "unit", "labels": [...],
     "series": [{"name", "role", "values": [numbers], "texts": [strings], "bars"?: [[start, end], ...]}],
     "bars"?: [[start, end], ...], "axes": {"x": AXIS, "y": AXIS}, "summary": text,
     "table": {"columns": [...], "rows": [[text, ...], ...]}, ...}
    where AXIS = {"scale": "category" | "linear" | "logarithmic", "min", "max", "ticks": [{"value", "text"}]}.
    Invalid inputs: {"ok": False, "errors": [{"field", "message"}]}, like compute_dict.
    """
    try:
        calc = get(name)
    except InputError as e:
        return _error(e)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(calc.charts):
        return _error(InputError("chart", f"{calc.name} has {len(calc.charts)} chart(s); no chart {index!r}"))
    chart = calc.charts[index]
    head = {"calculator": calc.name, "index": index, "kind": chart.kind, "title": chart.title}
    if chart.kind not in KINDS:
        return _error(InputError("chart", f"unknown chart kind {chart.kind!r}"), **head)
    if inputs is not None and not isinstance(inputs, Mapping):
        return _error(InputError("inputs", "not a JSON object"), **head)
    try:
        values, errors = calc.validate_all(inputs or {}, preset or None)
        if errors:
            return {"ok": False, **head, "errors": [{"field": e.field, "message": e.message} for e in errors]}
        data = KINDS[chart.kind](calc, chart, values)
    except InputError as e:
        return _error(e, **head)
    return {"ok": True, **head, "errors": [], **data}


def charts_of(name: str) -> list[dict]:
    """The declared charts of a calculator, as JSON (kind, title, output, over, series)."""
    return [c.to_json() for c in get(name).charts]


__all__ = ["chart_data", "charts_of"]
