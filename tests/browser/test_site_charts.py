"""Page charts in the built site (docs/assets/calc-charts.js drawing calculators/page/charts.py's data, Chart.js).

- every calculator page (page_checks.charts, on the boot of test_site_forms.py): once the forms are live each
  figure.calc-chart is drawn on a canvas of real size, and the data the page drew from (window.calcCharts.dataOf)
  equals chart_data() in CPython for the form's fields; the chart instance holds exactly Python's bars or points,
  and its table equals Python's table;
- kv-cache: changing an input redraws the chart with chart_data() for the new inputs; an invalid input clears the
  chart (no canvas, no stale table) and fixing it draws it again; a palette change redraws in the new colours;
- full-bill: the tornado's rows, top to bottom, are core.ranges.run_ranges' sensitivity order (largest swing first);
- a page without charts (a calculator page and a plain page) never requests the vendored chart library.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import page_checks
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("BROWSER_SITE_DIR") or ROOT / "site").resolve()
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


def _wait_redrawn(v, index: int, before: int):
    v.page.wait_for_function(
        """([k, n]) => { const f = document.querySelectorAll("figure.calc-chart[data-chart]")[k];
             return Number(f.dataset.drawn || 0) > n && f.dataset.state === "drawn"
               && !f.hasAttribute("data-busy"); }""",
        arg=[index, before],
        timeout=DRAW_TIMEOUT_MS,
    )


# --------------------------------------------------------------------------------------------------------------------


def test_the_site_has_charts():
    assert CHART_PAGES, f"no page of {SITE} has a figure.calc-chart (is the site built? scripts/build)"
    for path in ("/calculators/kv-cache/", "/calculators/full-bill/"):
        assert path in CHART_PAGES, f"{path} has no chart figure"


def test_input_change_redraws_invalid_clears(visit):
    v = visit("/calculators/kv-cache/")
    v.wait_live()
    page_checks.open_charts(v, "kv-cache")
    fig = v.page.evaluate(page_checks.READ_FIGURES)[0]
    before = fig["drawn"]
    form_id = fig["form"]
    form = v.page.locator(f"#{form_id}")

    # bytes per element 2 -> 1: every point halves; the chart holds Python's new data
    with v.answer(form_id, "bytes_per_element 1"):
        form.locator('input[name="bytes_per_element"]').fill("1")
    _wait_redrawn(v, 0, before)
    fig = v.page.evaluate(page_checks.READ_FIGURES)[0]
    problems = page_checks.drawn_matches_python(v, fig)
    assert not problems, "\n".join(problems[:20])
    assert fig["data"]["series"][0]["values"][0] == 70_272 / 2

    # an invalid input: no chart and no stale numbers in its table
    with v.answer(form_id, "context_length abc"):
        form.locator('input[name="context_length"]').fill("abc")
    v.page.wait_for_function(
        """() => document.querySelector("figure.calc-chart").dataset.state === "cleared" """, timeout=DRAW_TIMEOUT_MS
    )
    fig = v.page.evaluate(page_checks.READ_FIGURES)[0]
    assert fig["canvas"] is None and fig["chart"] is None and fig["data"] is None
    assert fig["table"]["rows"] == []
    assert not v.page.locator("figure.calc-chart .calc-chart-table").is_visible()

    # fixed: drawn again, for the new inputs
    before = fig["drawn"]
    with v.answer(form_id, "context_length 4096"):
        form.locator('input[name="context_length"]').fill("4096")
    _wait_redrawn(v, 0, before)
    fig = v.page.evaluate(page_checks.READ_FIGURES)[0]
    problems = page_checks.drawn_matches_python(v, fig)
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
    page_checks.open_charts(v, "full-bill")
    figs = [f for f in v.page.evaluate(page_checks.READ_FIGURES) if f["kind"] == "tornado"]
    assert figs, "full-bill shows no tornado chart"
    fig = figs[0]
    calc = get("full-bill")
    chart = calc.charts[fig["index"]]
    # the page opens at the defaults, so the declared ranges are the tornado's
    fields = v.page.evaluate(page_checks.FIELDS_JS, fig["form"])
    assert calc.validate(fields) == calc.validate({}), "the form is not at its defaults"
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
    assert not page_checks.vendor_requests(v), f"{path} has no chart but requested {page_checks.vendor_requests(v)}"
    assert v.page.evaluate("Boolean(window.Chart)") is False

    pages = site.plain_pages()
    assert pages, "the built site has no page without calculators"
    plain = visit(pages[0].path)
    plain.page.wait_for_load_state("networkidle")
    assert not page_checks.vendor_requests(plain), f"{pages[0].path} requested {page_checks.vendor_requests(plain)}"
    assert not plain.pyodide_requests()
