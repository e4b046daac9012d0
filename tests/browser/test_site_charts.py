"""Page charts in the built site (docs/assets/calc-charts.js drawing calculators/page/charts.py's data, Chart.js).

- each charted calculator's page: once the forms are live each figure.calc-chart is drawn on a canvas of real size,
  and the data the page drew from (window.calcCharts.dataOf) equals chart_data() in CPython for the form's fields;
  the chart instance holds exactly Python's bars or points, and its table equals Python's table;
- kv-cache: changing an input redraws the chart with chart_data() for the new inputs; an invalid input clears the
  chart (no canvas, no stale table) and fixing it draws it again; a palette change redraws in the new colours;
- full-bill: the tornado's rows, top to bottom, are core.ranges.run_ranges' sensitivity order (largest swing first);
- a page without charts (a calculator page and a plain page) never requests the vendored chart library.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("BROWSER_SITE_DIR") or ROOT / "site").resolve()
VENDOR = "/assets/vendor/"
DRAW_TIMEOUT_MS = 120_000  # a limit for one draw after the form's answer (a busy machine is slow, not failing)
FIGURE = re.compile(r'<figure class="calc-chart"')


def _chart_pages() -> list[str]:
    if not SITE.is_dir():
        return []
    out = []
    for f in sorted(SITE.rglob("index.html")):
        rel = f.parent.relative_to(SITE).as_posix()
        if rel.startswith("assets/"):
            continue
        if FIGURE.search(f.read_text(encoding="utf-8", errors="replace")):
            out.append("/" if rel == "." else f"/{rel}/")
    return out


CHART_PAGES = _chart_pages()
# Each charted calculator on its own page (other pages embedding the same forms are drawn in test_site_csp.py's tour).
OWN_PAGES = [p for p in CHART_PAGES if p.startswith("/calculators/")]

READ_FIGURES = r"""
() => [...document.querySelectorAll("figure.calc-chart[data-chart]")].map((fig) => {
  const form = fig.closest("form[data-calculator]");
  const chart = window.calcCharts && window.calcCharts.chartOf(fig);
  const canvas = fig.querySelector(".calc-chart-canvas canvas");
  const table = fig.querySelector("table.calc-chart-table");
  const r = canvas ? canvas.getBoundingClientRect() : null;
  return {
    form: form ? form.id : null,
    calculator: form ? form.dataset.calculator : null,
    preset: form ? (form.dataset.preset || null) : null,
    index: Number(fig.dataset.chart),
    kind: fig.dataset.kind,
    state: fig.dataset.state || null,
    drawn: Number(fig.dataset.drawn || 0),
    data: window.calcCharts ? window.calcCharts.dataOf(fig) : null,
    canvas: canvas ? { width: r.width, height: r.height, label: canvas.getAttribute("aria-label") } : null,
    chart: chart ? {
      type: chart.config.type,
      labels: chart.data.labels,
      datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
    } : null,
    table: table ? {
      columns: [...table.querySelectorAll("thead th")].map((c) => c.textContent),
      rows: [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent)),
    } : null,
  };
})
"""

ALL_DRAWN = r"""
() => {
  const figs = [...document.querySelectorAll("figure.calc-chart[data-chart]")];
  return figs.length > 0 && figs.every((f) => f.dataset.state === "drawn" && !f.hasAttribute("data-busy"));
}
"""

FIELDS = r"""
(id) => {
  const out = {};
  for (const el of document.getElementById(id).querySelectorAll("[data-field]")) out[el.name] = el.value;
  return out;
}
"""


def _python_chart(fig: dict, inputs: dict) -> dict:
    from calculators.page.charts import chart_data

    return json.loads(json.dumps(chart_data(fig["calculator"], inputs, fig["preset"], fig["index"])))


def _same(a, b, where: str = "") -> list[str]:
    """Equal JSON, numbers to 1e-12 relative (Pyodide's libm and CPython's may differ in the last bit)."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        return [] if a == b else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300) else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [p for k, (x, y) in enumerate(zip(a, b, strict=True)) for p in _same(x, y, f"{where}[{k}]")]
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))} differ"]
        return [p for k in a for p in _same(a[k], b[k], f"{where}.{k}")]
    return [f"{where}: {type(a).__name__} != {type(b).__name__}"]


def _drawn_matches_python(v, fig: dict) -> list[str]:
    where = f"{fig['calculator']} chart {fig['index']}"
    inputs = v.page.evaluate(FIELDS, fig["form"])
    expected = _python_chart(fig, inputs)
    problems = []
    if not expected["ok"]:
        return [f"{where}: chart_data failed for the form's fields: {expected['errors']}"]
    if fig["state"] != "drawn":
        problems.append(f"{where}: data-state {fig['state']!r}, not drawn")
    if not fig["canvas"] or fig["canvas"]["width"] < 100 or fig["canvas"]["height"] < 100:
        problems.append(f"{where}: no canvas of real size ({fig['canvas']})")
    elif fig["canvas"]["label"] != expected["summary"]:
        problems.append(f"{where}: canvas aria-label {fig['canvas']['label']!r} != {expected['summary']!r}")
    problems += _same(fig["data"], expected, f"{where} data")
    chart = fig["chart"]
    if not chart:
        return problems + [f"{where}: no Chart.js instance"]
    labels = expected.get("label_lines") or expected["labels"]
    problems += _same(chart["labels"], labels, f"{where} chart labels")
    for k, (ds, s) in enumerate(zip(chart["datasets"], expected["series"], strict=True)):
        if ds["label"] != s["name"]:
            problems.append(f"{where}: dataset {k} label {ds['label']!r} != {s['name']!r}")
        if "bars" in s:
            problems += _same(ds["data"], s["bars"], f"{where} dataset {k}")
        else:
            points = [{"x": x, "y": y} for x, y in zip(expected["x_values"], s["values"], strict=True)]
            problems += _same(ds["data"], points, f"{where} dataset {k}")
    if len(chart["datasets"]) != len(expected["series"]):
        problems.append(f"{where}: {len(chart['datasets'])} datasets, Python sent {len(expected['series'])}")
    problems += _same(fig["table"], expected["table"], f"{where} table")
    return problems


def _wait_drawn(v, what: str):
    """Open every disclosure that holds a chart (a closed one asks for its chart only when opened), then wait for
    every chart on the page to be drawn."""
    v.page.evaluate(
        "() => { for (const d of document.querySelectorAll('form.calc details'))"
        " if (d.querySelector('figure')) d.open = true; }"
    )
    try:
        v.page.wait_for_function(ALL_DRAWN, timeout=DRAW_TIMEOUT_MS)
    except Exception as e:
        figs = v.page.evaluate(READ_FIGURES)
        raise AssertionError(
            f"{what}: charts not drawn within {DRAW_TIMEOUT_MS / 1000:.0f} s after live: "
            f"{[(f['calculator'], f['index'], f['state']) for f in figs]}; "
            f"console: {v.console_errors}; failed: {v.failed}"
        ) from e


def _wait_redrawn(v, index: int, before: int):
    v.page.wait_for_function(
        """([k, n]) => { const f = document.querySelectorAll("figure.calc-chart[data-chart]")[k];
             return Number(f.dataset.drawn || 0) > n && f.dataset.state === "drawn"
               && !f.hasAttribute("data-busy"); }""",
        arg=[index, before],
        timeout=DRAW_TIMEOUT_MS,
    )


def _vendor_requests(v) -> list[str]:
    return [u for u in v.requests if urlsplit(u).path.startswith(VENDOR)]


# --------------------------------------------------------------------------------------------------------------------


def test_the_site_has_charts():
    assert CHART_PAGES, f"no page of {SITE} has a figure.calc-chart (is the site built? scripts/build)"
    for path in ("/calculators/kv-cache/", "/calculators/full-bill/"):
        assert path in CHART_PAGES, f"{path} has no chart figure"


@pytest.mark.parametrize("path", OWN_PAGES or ["<no chart page>"])
def test_charts_draw_python_data(visit, path):
    if path.startswith("<"):
        pytest.fail(f"no chart page in {SITE}")
    v = visit(path)
    v.wait_live()
    _wait_drawn(v, path)
    figs = v.page.evaluate(READ_FIGURES)
    problems = [p for fig in figs for p in _drawn_matches_python(v, fig)]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems[:30])
    assert _vendor_requests(v), f"{path} draws charts but never requested {VENDOR}"
    assert not v.console_errors, v.console_errors
    assert not v.failed, v.failed


def test_input_change_redraws_invalid_clears(visit):
    v = visit("/calculators/kv-cache/")
    v.wait_live()
    _wait_drawn(v, "kv-cache")
    fig = v.page.evaluate(READ_FIGURES)[0]
    before = fig["drawn"]
    form_id = fig["form"]
    form = v.page.locator(f"#{form_id}")

    # bytes per element 2 -> 1: every point halves; the chart holds Python's new data
    with v.answer(form_id, "bytes_per_element 1"):
        form.locator('input[name="bytes_per_element"]').fill("1")
    _wait_redrawn(v, 0, before)
    fig = v.page.evaluate(READ_FIGURES)[0]
    problems = _drawn_matches_python(v, fig)
    assert not problems, "\n".join(problems[:20])
    assert fig["data"]["series"][0]["values"][0] == 70_272 / 2

    # an invalid input: no chart and no stale numbers in its table
    with v.answer(form_id, "context_length abc"):
        form.locator('input[name="context_length"]').fill("abc")
    v.page.wait_for_function(
        """() => document.querySelector("figure.calc-chart").dataset.state === "cleared" """, timeout=DRAW_TIMEOUT_MS
    )
    fig = v.page.evaluate(READ_FIGURES)[0]
    assert fig["canvas"] is None and fig["chart"] is None and fig["data"] is None
    assert fig["table"]["rows"] == []
    assert not v.page.locator("figure.calc-chart .calc-chart-table").is_visible()

    # fixed: drawn again, for the new inputs
    before = fig["drawn"]
    with v.answer(form_id, "context_length 4096"):
        form.locator('input[name="context_length"]').fill("4096")
    _wait_redrawn(v, 0, before)
    fig = v.page.evaluate(READ_FIGURES)[0]
    problems = _drawn_matches_python(v, fig)
    assert not problems, "\n".join(problems[:20])
    assert fig["data"]["x_values"][fig["data"]["current_index"]] == 4096

    # Material's palette switch (the attribute its toggle sets on <body>): redrawn in the new colours
    tick_color = (
        "() => window.calcCharts.chartOf(document.querySelector('figure.calc-chart')).options.scales.x.ticks.color"
    )
    light = v.page.evaluate(tick_color)
    before = fig["drawn"]
    scheme = v.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    v.page.evaluate(
        "(s) => document.body.setAttribute('data-md-color-scheme', s)", "default" if scheme == "slate" else "slate"
    )
    _wait_redrawn(v, 0, before)
    assert v.page.evaluate(tick_color) != light, "the chart kept its colours after a palette change"
    assert not v.console_errors, v.console_errors


def test_tornado_order_is_pythons_sensitivity_order(visit):
    from calculators import get
    from calculators.core.ranges import declared_ranges, run_ranges

    v = visit("/calculators/full-bill/")
    v.wait_live()
    _wait_drawn(v, "full-bill")
    figs = [f for f in v.page.evaluate(READ_FIGURES) if f["kind"] == "tornado"]
    assert figs, "full-bill shows no tornado chart"
    fig = figs[0]
    calc = get("full-bill")
    chart = calc.charts[fig["index"]]
    # the page opens at the defaults, so the declared ranges are the tornado's
    assert calc.validate(v.page.evaluate(FIELDS, fig["form"])) == calc.validate({}), "the form is not at its defaults"
    rows = run_ranges(calc, declared_ranges(calc))["sensitivity"][chart.output]
    # each bar is labelled with its input's label, and one that does not move the output says so
    order = [calc.input(r["input"]).label + ("" if r["swing"] else " (no effect at these inputs)") for r in rows]
    drawn = [" ".join(x) if isinstance(x, list) else x for x in fig["chart"]["labels"]]
    assert [" ".join(x.split()) for x in drawn] == [" ".join(x.split()) for x in order], (drawn, order)
    assert fig["data"]["keys"] == [r["input"] for r in rows]
    # the bars, top to bottom, are the one-at-a-time outputs at each end of each range
    low, high = fig["chart"]["datasets"]
    assert [b[1] for b in low["data"]] == pytest.approx([r["output_at_low"] for r in rows], rel=1e-12)
    assert [b[1] for b in high["data"]] == pytest.approx([r["output_at_high"] for r in rows], rel=1e-12)


def test_pages_without_charts_never_request_the_library(visit, site):
    from calculators import all as all_calculators

    chartless = [name for name, c in all_calculators().items() if not c.charts]
    assert chartless, "every calculator has a chart; pick another page for this test"
    path = next((f"/calculators/{n}/" for n in chartless if (SITE / "calculators" / n / "index.html").is_file()), None)
    assert path, f"no page for a calculator without charts ({chartless}) in {SITE}"
    v = visit(path)
    v.wait_live()
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("figure.calc-chart").count() == 0
    assert not _vendor_requests(v), f"{path} has no chart but requested {_vendor_requests(v)}"
    assert v.page.evaluate("Boolean(window.Chart)") is False

    pages = site.plain_pages()
    assert pages, "the built site has no page without calculators"
    plain = visit(pages[0].path)
    plain.page.wait_for_load_state("networkidle")
    assert not _vendor_requests(plain), f"{pages[0].path} requested {_vendor_requests(plain)}"
    assert not plain.pyodide_requests()
