"""What every calculator page must show once its forms are live, however the reader got there (a fresh load in
test_site_forms.py::test_calculator_page, instant navigation in ::test_instant_navigation_through_calculator_pages):
one Pyodide boot serves all of these checks, and each returns its problems as sentences naming the page.

- layout (issue 14): at 1280×900 each form as first shown is at most MAX_FORM_PX tall and its headline within
  HEADLINE_PX of the form's top; at 390 px nothing in a form is wider than the screen. The measurements go to
  tests/browser/screenshots/layout.json; with BROWSER_SCREENSHOTS=1, screenshots too (light, dark, 390 px).
- charts: every figure, once its disclosure is open, is drawn on a canvas of real size from exactly the data
  calculators.page.charts.chart_data() gives in CPython for the form's fields (bars, points, table, label);
- accessibility: axe-core (npm, pinned in scripts/setup) finds no serious or critical WCAG 2.1 A/AA violation with
  every disclosure of the forms open: every rule in the light scheme, and the rules that read colours
  (COLOUR_RULES) again in the dark one, since a change of scheme changes colours and nothing else. axe is evaluated
  through the DevTools protocol, which the page's Content-Security-Policy does not govern, so the page keeps its
  policy.

Waits are for states the page defines (data-state of forms and figures, Material's data-md-color-scheme).
"""

from __future__ import annotations

import functools
import json
import math
import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS") == "1"
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The rules among those tags that compare colours: the ones a change of colour scheme can change (Material's schemes
# differ only in CSS colour variables: the same elements, names, roles and order). color-contrast-enhanced is AAA.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
MAX_FORM_PX = 1800
HEADLINE_PX = 700
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
VENDOR = "/assets/vendor/"

# Every chart on show (not in a closed disclosure: that one is computed when it opens) drawn, none waiting.
CHARTS_DRAWN_JS = r"""
() => [...document.querySelectorAll("figure.calc-chart[data-chart]")]
  .filter((f) => !f.closest("details:not([open])"))
  .every((f) => f.dataset.state === "drawn" && !f.hasAttribute("data-busy"))
"""

OPEN_CHARTS_JS = """() => { for (const d of document.querySelectorAll('form.calc details'))
  if (d.querySelector('figure')) d.open = true; }"""
OPEN_ALL_JS = "() => { for (const d of document.querySelectorAll('form.calc details')) d.open = true; }"

MEASURE_JS = r"""
() => [...document.querySelectorAll("form.calc")].map((f) => {
  const fr = f.getBoundingClientRect();
  const head = f.querySelector(".calc-output--headline output");
  const hr = head.getBoundingClientRect();
  return { calculator: f.dataset.calculator, height: Math.round(fr.height), headline: Math.round(hr.top - fr.top) };
})
"""

# Every drawn chart's canvas on show as wide as its box: Chart.js has followed a change of the viewport.
CHARTS_RESIZED_JS = r"""
() => [...document.querySelectorAll("figure.calc-chart[data-state=drawn] canvas")].every((c) => !c.checkVisibility()
  || Math.abs(c.getBoundingClientRect().width - c.parentElement.getBoundingClientRect().width) <= 1)
"""

# Elements of the forms wider than the viewport (at 390 px): none may stick out of the screen.
OVERFLOW_JS = r"""
() => {
  const w = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("form.calc, form.calc *")) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > w + 1 || r.left < -1) && getComputedStyle(el).position !== "fixed" && el.checkVisibility()
        && !el.closest(".calc-sr, .calc-announce, .calc-chart-table, .calc-compare")) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.left)}..${Math.round(r.right)})`);
    }
  }
  return { scroll: document.documentElement.scrollWidth, client: w, wide: wide.slice(0, 8) };
}
"""

AXE_RUN_JS = """
async (runOnly) => {
  const r = await axe.run(document, { runOnly, resultTypes: ["violations"] });
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.length,
    examples: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1]),
  }));
}
"""

# No CSS transition or animation under way (a finite one): axe reads the colours as painted, and a link fading in or
# a scheme changing colour mid-way reads as a contrast failure that no reader sees once it has finished.
STILL_JS = r"""
() => document.getAnimations().every((a) => a.playState !== "running"
  || a.effect?.getComputedTiming().endTime === Infinity)
"""

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

FIELDS_JS = r"""
(id) => {
  const out = {};
  for (const el of document.getElementById(id).querySelectorAll("[data-field]")) out[el.name] = el.value;
  return out;
}
"""


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def record(name: str, data: dict) -> None:
    SHOTS.mkdir(exist_ok=True)
    f = SHOTS / "layout.json"
    try:
        all_data = json.loads(f.read_text())
    except (OSError, ValueError):
        all_data = {}
    all_data[name] = data
    f.write_text(json.dumps(all_data, indent=1, sort_keys=True))


def _shot(locator, name: str) -> None:
    if SCREENSHOTS:
        SHOTS.mkdir(exist_ok=True)
        locator.screenshot(path=str(SHOTS / f"{name}.png"))


def wait_charts(v, where: str, timeout: float = 120_000) -> None:
    try:
        v.page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout)
    except Exception as e:
        figs = v.page.evaluate(READ_FIGURES)
        raise AssertionError(
            f"{where}: charts not drawn within {timeout / 1000:.0f} s: "
            f"{[(f['calculator'], f['index'], f['state']) for f in figs]}; console: {v.console_errors[-5:]}"
        ) from e


def scheme(v, dark: bool) -> None:
    """The system's colour scheme; Material's automatic palette follows it (slate is its dark scheme)."""
    v.page.emulate_media(color_scheme="dark" if dark else "light")
    v.page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') === s", arg="slate" if dark else "default"
    )


# --------------------------------------------------------------------------------------------------------------------
# Layout


def layout(v, path: str) -> list[str]:
    """The forms as first shown (call before anything opens a disclosure): heights, headline, 390 px."""
    wait_charts(v, path)
    measured = v.page.evaluate(MEASURE_JS)
    problems = []
    for m in measured:
        if m["height"] > MAX_FORM_PX:
            problems.append(f"{path}: form {m['calculator']} is {m['height']} px tall (max {MAX_FORM_PX})")
        if not 0 <= m["headline"] <= HEADLINE_PX:
            problems.append(f"{path}: {m['calculator']}'s headline is {m['headline']} px below the form's top")
    _shot(v.forms().first, f"{slug(path)}-light")
    v.page.set_viewport_size(NARROW)
    wait_charts(v, f"{path} at 390 px")
    v.page.wait_for_function(CHARTS_RESIZED_JS)  # Chart.js resizes on a ResizeObserver, after the layout
    wide = v.page.evaluate(OVERFLOW_JS)
    _shot(v.page, f"{slug(path)}-390")
    if wide["scroll"] > wide["client"] + 1 or wide["wide"]:
        problems.append(f"{path} at 390 px: wider than the screen: {wide}")
    v.page.set_viewport_size(WIDE)
    if SCREENSHOTS:
        scheme(v, dark=True)
        wait_charts(v, f"{path} in the dark")
        _shot(v.forms().first, f"{slug(path)}-dark")
        scheme(v, dark=False)
    record(path, {"forms": measured, "narrow": wide["scroll"]})
    return problems


# --------------------------------------------------------------------------------------------------------------------
# Accessibility


@functools.cache
def _axe_source() -> str:
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run scripts/setup (it installs axe-core into .cache/npm)")
    return AXE.read_text(encoding="utf-8")


def axe(v, where: str, colours_only: bool = False) -> list[dict]:
    """Serious or critical violations on the page as it is now (once no transition is under way), tagged with where:
    of every WCAG 2.1 A/AA rule, or (colours_only) of the COLOUR_RULES."""
    v.page.wait_for_function(STILL_JS)
    if not v.page.evaluate("() => typeof window.axe === 'object'"):
        v.page.evaluate(_axe_source() + "\n;0")  # a script, not a function: it defines window.axe
    run_only = {"type": "rule", "values": COLOUR_RULES} if colours_only else {"type": "tag", "values": AXE_TAGS}
    return [{**x, "where": where} for x in v.page.evaluate(AXE_RUN_JS, run_only)]


def both_schemes(v, where: str) -> list[dict]:
    """axe in the light scheme, then its colour rules in the dark one (back to light after)."""
    found = axe(v, f"{where}, light")
    scheme(v, dark=True)
    wait_charts(v, f"{where} in the dark")  # the palette change redraws the charts
    found += axe(v, f"{where}, dark", colours_only=True)
    scheme(v, dark=False)
    return found


def explain(violations: list[dict]) -> list[str]:
    return [f"{x['where']}: {x['id']} ({x['impact']}, {x['nodes']} nodes): {x['examples']}" for x in violations]


def accessibility(v, path: str) -> list[str]:
    """axe with every disclosure of the forms open (a superset of what is first shown), light then dark."""
    v.page.evaluate(OPEN_ALL_JS)
    wait_charts(v, f"{path}, every disclosure open")
    return explain(both_schemes(v, f"{path}, every disclosure open"))


# --------------------------------------------------------------------------------------------------------------------
# Charts


def _python_chart(fig: dict, inputs: dict) -> dict:
    from calculators.page.charts import chart_data

    return json.loads(json.dumps(chart_data(fig["calculator"], inputs, fig["preset"], fig["index"])))


def same(a, b, where: str = "") -> list[str]:
    """Equal JSON, numbers to 1e-12 relative (Pyodide's libm and CPython's may differ in the last bit)."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        return [] if a == b else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300) else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [p for k, (x, y) in enumerate(zip(a, b, strict=True)) for p in same(x, y, f"{where}[{k}]")]
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))} differ"]
        return [p for k in a for p in same(a[k], b[k], f"{where}.{k}")]
    return [f"{where}: {type(a).__name__} != {type(b).__name__}"]


def drawn_matches_python(v, fig: dict) -> list[str]:
    where = f"{fig['calculator']} chart {fig['index']}"
    inputs = v.page.evaluate(FIELDS_JS, fig["form"])
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
    problems += same(fig["data"], expected, f"{where} data")
    chart = fig["chart"]
    if not chart:
        return problems + [f"{where}: no Chart.js instance"]
    labels = expected.get("label_lines") or expected["labels"]
    problems += same(chart["labels"], labels, f"{where} chart labels")
    for k, (ds, s) in enumerate(zip(chart["datasets"], expected["series"], strict=True)):
        if ds["label"] != s["name"]:
            problems.append(f"{where}: dataset {k} label {ds['label']!r} != {s['name']!r}")
        if "bars" in s:
            problems += same(ds["data"], s["bars"], f"{where} dataset {k}")
        else:
            points = [{"x": x, "y": y} for x, y in zip(expected["x_values"], s["values"], strict=True)]
            problems += same(ds["data"], points, f"{where} dataset {k}")
    if len(chart["datasets"]) != len(expected["series"]):
        problems.append(f"{where}: {len(chart['datasets'])} datasets, Python sent {len(expected['series'])}")
    problems += same(fig["table"], expected["table"], f"{where} table")
    return problems


def open_charts(v, where: str) -> list[dict]:
    """Open every disclosure holding a chart (a closed one asks for its chart only when opened), wait until all are
    drawn, and read them."""
    v.page.evaluate(OPEN_CHARTS_JS)
    wait_charts(v, where)
    return v.page.evaluate(READ_FIGURES)


def vendor_requests(v) -> list[str]:
    return [u for u in v.requests if urlsplit(u).path.startswith(VENDOR)]


def charts(v, path: str) -> list[str]:
    figs = open_charts(v, path)
    problems = [f"{path}: {p}" for fig in figs for p in drawn_matches_python(v, fig)]
    if figs and not vendor_requests(v):
        problems.append(f"{path} draws charts but never requested {VENDOR}")
    return problems


def live_page(v, path: str) -> list[str]:
    """All of the above on a page whose forms are live, in the order that keeps each check's premise (the layout as
    first shown, before the charts and then every disclosure are opened), plus the page's cleanliness."""
    problems = layout(v, path)
    problems += charts(v, path)
    problems += accessibility(v, path)
    return problems + v.problems(path)
