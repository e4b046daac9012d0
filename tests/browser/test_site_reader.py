"""The calculators as a reader meets them (issue 14): compact, headline first, draggable, accessible, and prose that
follows the form beside it.

- Layout, on every calculator page, live: at 1280×900 each form as first shown is at most MAX_FORM_PX tall and its
  headline within HEADLINE_PX of the form's top; at 390 px wide nothing is wider than the screen; in dark mode the
  page uses the dark scheme. A screenshot of each (light, dark, 390 px) goes to tests/browser/screenshots/ (git-ignored)
  for review, with the measurements in layout.json.
- Accessibility: axe-core (npm, pinned in scripts/setup) finds no serious or critical WCAG 2.1 A/AA violation on any
  page, light and dark, with the calculators' disclosures as first shown and then all open. The context bypasses the
  site's Content-Security-Policy only so that the test can evaluate axe in the page.
- Without JavaScript: the same numbers (every output as pre-rendered) and the full detail (every field, source and
  working shown, calc-noscript.css).
- Keyboard: every control of a form is reached by Tab; the slider moves with the arrow keys and the number box follows
  it; the Export menu opens with Enter and closes with Escape; results are announced once per committed change (the
  form's one live region), never per keystroke, and no <output> is a live region.
- Live prose: on every explainer page with a calculator, inline values computed for the inputs the form was built for
  follow it when the reader changes it (checked live on the V3 page against the CLI), marked as the reader's scenario
  with one control back to the published figures; pinned values never change.

Waits are for states the page defines (data-state, data-results, data-announced, figure[data-state]), never for a
length of time.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
MAX_FORM_PX = 1800
HEADLINE_PX = 700
NARROW = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

MEASURE_JS = r"""
() => [...document.querySelectorAll("form.calc")].map((f) => {
  const fr = f.getBoundingClientRect();
  const head = f.querySelector(".calc-output--headline output");
  const hr = head.getBoundingClientRect();
  return { calculator: f.dataset.calculator, height: Math.round(fr.height), headline: Math.round(hr.top - fr.top) };
})
"""

# Every drawn chart's canvas on show (not in a closed disclosure) as wide as its box: Chart.js has followed a
# change of the viewport.
CHARTS_RESIZED_JS = r"""
() => [...document.querySelectorAll("figure.calc-chart[data-state=drawn] canvas")].every((c) => !c.checkVisibility()
  || Math.abs(c.getBoundingClientRect().width - c.parentElement.getBoundingClientRect().width) <= 1)
"""

# Elements wider than the viewport (at 390 px): none may stick out of the screen.
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

CHARTS_DRAWN_JS = r"""
() => [...document.querySelectorAll("form.calc figure.calc-chart")]
  .filter((f) => !f.closest("details:not([open])"))
  .every((f) => f.dataset.state === "drawn")
"""

OPEN_ALL_JS = "() => { for (const d of document.querySelectorAll('form.calc details')) d.open = true; }"

AXE_RUN_JS = """
async (tags) => {
  const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.length,
    examples: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1]),
  }));
}
"""


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def _record(name: str, data: dict) -> None:
    SHOTS.mkdir(exist_ok=True)
    f = SHOTS / "layout.json"
    try:
        all_data = json.loads(f.read_text())
    except (OSError, ValueError):
        all_data = {}
    all_data[name] = data
    f.write_text(json.dumps(all_data, indent=1, sort_keys=True))


def _axe(v, where: str) -> list[dict]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/setup (it installs axe-core into .cache/npm)", pytrace=False)
    if not v.page.evaluate("() => typeof window.axe === 'object'"):
        v.page.add_script_tag(path=str(AXE))
    found = v.page.evaluate(AXE_RUN_JS, AXE_TAGS)
    return [{**x, "where": where} for x in found]


def _dark(v) -> None:
    """The system's dark mode; Material's automatic palette follows it."""
    v.page.emulate_media(color_scheme="dark")
    v.page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")


def _light(v) -> None:
    v.page.emulate_media(color_scheme="light")
    v.page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")


def _explain(violations: list[dict]) -> str:
    return "\n".join(
        f"  {x['where']}: {x['id']} ({x['impact']}, {x['nodes']} nodes): {x['examples']}" for x in violations
    )


# --------------------------------------------------------------------------------------------------------------------
# Every calculator page: layout, screenshots, axe (one Pyodide boot per page)


def test_the_site_has_calculator_pages(site):
    assert len(site.calculator_pages()) >= 13


def test_calculator_page_reads_like_a_figure(visit, site, every_calculator_page_path):
    path = every_calculator_page_path
    v = visit(path, bypass_csp=True)
    v.wait_live()
    v.page.wait_for_function(CHARTS_DRAWN_JS)
    slug = _slug(path)
    SHOTS.mkdir(exist_ok=True)

    measured = v.page.evaluate(MEASURE_JS)
    for m in measured:
        assert m["height"] <= MAX_FORM_PX, (
            f"{path}: form {m['calculator']} is {m['height']} px tall (max {MAX_FORM_PX})"
        )
        assert 0 <= m["headline"] <= HEADLINE_PX, (
            f"{path}: {m['calculator']}'s headline is {m['headline']} px below the form's top (max {HEADLINE_PX})"
        )
    v.forms().first.screenshot(path=str(SHOTS / f"{slug}-light.png"))
    violations = _axe(v, "light, as first shown")

    v.page.set_viewport_size(NARROW)
    v.page.wait_for_function(CHARTS_DRAWN_JS)
    v.page.wait_for_function(CHARTS_RESIZED_JS)  # Chart.js resizes on a ResizeObserver, after the layout
    wide = v.page.evaluate(OVERFLOW_JS)
    v.page.screenshot(path=str(SHOTS / f"{slug}-390.png"), full_page=False)
    v.forms().first.screenshot(path=str(SHOTS / f"{slug}-390-form.png"))
    assert wide["scroll"] <= wide["client"] + 1 and not wide["wide"], f"{path} at 390 px: {wide}"
    v.page.set_viewport_size({"width": 1280, "height": 900})

    _dark(v)
    v.page.wait_for_function(CHARTS_DRAWN_JS)
    v.forms().first.screenshot(path=str(SHOTS / f"{slug}-dark.png"))
    violations += _axe(v, "dark, as first shown")
    v.page.evaluate(OPEN_ALL_JS)
    v.page.wait_for_function(CHARTS_DRAWN_JS)
    violations += _axe(v, "dark, every disclosure open")
    _light(v)
    violations += _axe(v, "light, every disclosure open")
    _record(path, {"forms": measured, "narrow": wide["scroll"]})
    assert not violations, f"{path}: serious or critical accessibility violations:\n{_explain(violations)}"
    assert not v.console_errors, v.console_errors


def test_page_without_a_calculator_passes_axe(visit, site, plain_page_path):
    path = plain_page_path
    v = visit(path, bypass_csp=True)
    violations = _axe(v, "light")
    _dark(v)
    violations += _axe(v, "dark")
    assert not violations, f"{path}: serious or critical accessibility violations:\n{_explain(violations)}"


# --------------------------------------------------------------------------------------------------------------------
# Without JavaScript: the same numbers and the full detail

NOSCRIPT_JS = r"""
() => [...document.querySelectorAll("form.calc")].map((f) => {
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const hidden = (sel) => [...f.querySelectorAll(sel)].filter((el) => !shown(el)).map((el) => el.id || el.className);
  return {
    calculator: f.dataset.calculator,
    outputs: [...f.querySelectorAll("output[name]")]
      .map((o) => [o.getAttribute("name"), o.dataset.value, o.textContent]),
    hidden_fields: hidden("[data-field]"),
    hidden_sources: hidden(".calc-source:not([hidden])"),
    hidden_workings: [...f.querySelectorAll(".calc-shown")].filter((el) => el.textContent && !shown(el))
      .map((el) => el.dataset.shownFor),
  };
})
"""


def test_without_javascript_every_number_and_detail_shows(visit, site):
    for page in site.calculator_pages():
        v = visit(page.path, javascript=False)
        forms = v.page.evaluate(NOSCRIPT_JS)
        static = page.file.read_text(encoding="utf-8")
        for f in forms:
            where = f"{page.path} ({f['calculator']}) without JavaScript"
            for name, value, text in f["outputs"]:
                assert value is not None and text.strip(), f"{where}: output {name} shows no number"
                assert f'data-value="{value}"' in static
            assert not f["hidden_fields"], f"{where}: fields not shown: {f['hidden_fields']}"
            assert not f["hidden_sources"], f"{where}: sources not shown: {f['hidden_sources']}"
            assert not f["hidden_workings"], f"{where}: workings not shown: {f['hidden_workings']}"
        v.context.close()


# --------------------------------------------------------------------------------------------------------------------
# Keyboard and announcements (training-cost's page)

TC_PATH = "/calculators/training-cost/"
TC = "calc-training-cost"

# Count text changes of every live region in the form (and of the announcer alone).
WATCH_LIVE_JS = r"""
(id) => {
  const form = document.getElementById(id);
  const live = [...form.querySelectorAll("[aria-live], [role=status], [role=alert], [role=log], output")]
    .filter((el) => el.getAttribute("aria-live") !== "off");
  window.__live = { announcer: 0, others: 0, texts: [] };
  const announcer = form.querySelector(".calc-announce");
  for (const el of live) {
    new MutationObserver(() => {
      if (el === announcer) { window.__live.announcer += 1; window.__live.texts.push(el.textContent); }
      else window.__live.others += 1;
    }).observe(el, { childList: true, characterData: true, subtree: true });
  }
  return live.map((el) => el.className || el.tagName);
}
"""

# The controls a reader can see in the form, each marked with its index (data-test-k); then where the focus is.
CONTROLS_JS = r"""
(id) => [...document.getElementById(id).querySelectorAll(
  "input, select, textarea, button, summary, a[href]")].filter((el) =>
    el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true, opacityProperty: false })
    && !el.disabled && el.type !== "file" && el.getBoundingClientRect().width > 0
  ).map((el, k) => {
    el.dataset.testK = String(k);
    return `${k}: ${el.tagName.toLowerCase()} ${el.id || el.dataset.action || el.textContent.slice(0, 30)}`;
  })
"""

FOCUS_WALK_JS = r"""
(id) => {
  const el = document.activeElement;
  return el && document.getElementById(id).contains(el) ? (el.dataset.testK ?? "unmarked") : null;
}
"""


def test_keyboard_sliders_and_one_announcement_per_change(visit, site):
    v = visit(TC_PATH)
    v.wait_live()
    page = v.page
    regions = page.evaluate(WATCH_LIVE_JS, TC)
    assert page.locator(f"#{TC} output[aria-live='off']").count() == page.locator(f"#{TC} output").count()

    # Every visible control is reached by Tab, from the form's first one to its last.
    controls = page.evaluate(CONTROLS_JS, TC)
    page.locator(f"#{TC} [data-test-k='0']").focus()
    reached = ["0"]
    for _ in range(len(controls) + 40):
        page.keyboard.press("Tab")
        here = page.evaluate(FOCUS_WALK_JS, TC)
        if here is None:
            break
        reached.append(here)
    missing = [c for c in controls if c.split(":")[0] not in reached]
    assert not missing, f"controls never reached by Tab: {missing}; reached in order: {reached}"

    # The slider: arrow keys move it one stop; the box shows the stop Python wrote; the answer is announced once.
    slider = page.locator(f"#{TC}-price_per_gpu_hour-slider")
    box = page.locator(f"#{TC}-price_per_gpu_hour")
    stops = json.loads(slider.get_attribute("data-stops"))
    start = int(slider.input_value())
    assert stops[start] == box.input_value()
    before = page.evaluate("window.__live.announcer")
    with v.answer(TC, "price slider one stop right") as a:
        slider.focus()
        page.keyboard.press("ArrowRight")
    assert box.input_value() == stops[start + 1]
    page.wait_for_function("(n) => window.__live.announcer > n", arg=before)
    expected = site.cli_json(["training-cost", "--price-per-gpu-hour", stops[start + 1].replace(",", "")])
    text = site.expected_texts("training-cost", expected)["cost_usd"]
    assert text in page.evaluate("window.__live.texts.at(-1)")
    assert page.evaluate("window.__live.announcer") == before + 1
    assert {o["name"]: o["value"] for o in a.form["outputs"]}["cost_usd"] == json.dumps(expected["cost_usd"])

    # Typing: one answer per keystroke, no announcement; leaving the field: one announcement, the slider follows.
    before = page.evaluate("window.__live.announcer")
    box.fill("")
    with v.answer(TC, "price typed 3.25"):
        box.press_sequentially("3.25")
    assert page.evaluate("window.__live.announcer") == before, "announced while typing"
    page.keyboard.press("Tab")
    page.wait_for_function("(n) => window.__live.announcer > n", arg=before)
    assert page.evaluate("window.__live.announcer") == before + 1
    position = int(slider.input_value())
    assert stops[position] in ("3", "3.3", "3.2", "3.5") and slider.get_attribute("aria-valuetext").startswith("3.25")
    assert page.evaluate("window.__live.others") == 0, f"other live regions spoke while editing: {regions}"

    # The Export menu: Enter opens it, Escape closes it and gives the focus back.
    summary = page.locator(f"#{TC} details.calc-menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#{TC} details.calc-menu").get_attribute("open") is not None
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert page.locator(f"#{TC} details.calc-menu").get_attribute("open") is None
    assert page.evaluate("document.activeElement.matches('details.calc-menu > summary')")

    # A disclosure opens with the keyboard, and what it holds can be typed into.
    more = page.locator(f"#{TC} details.calc-more-inputs > summary")
    more.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#{TC}-num_gpus").is_visible()


# --------------------------------------------------------------------------------------------------------------------
# Live prose


def _explainers(site) -> list:
    return [p for p in site.calculator_pages() if not p.path.startswith("/calculators/")]


def test_every_explainer_with_a_calculator_has_prose_that_follows_it(site):
    pages = _explainers(site)
    assert len(pages) >= 10, [p.path for p in pages]
    for page in pages:
        text = page.file.read_text(encoding="utf-8")
        forms = re.findall(r'<form class="calc"[^>]*data-calculator="([^"]+)"[^>]*data-given="([^"]*)"', text)
        spans = re.findall(r'<span class="calc-value" data-calculator="([^"]+)"[^>]*data-given="([^"]*)"([^>]*)>', text)
        built = {(c, html.unescape(g)) for c, g in forms}
        follow = [s for s in spans if (s[0], html.unescape(s[1])) in built and "data-pinned" not in s[2]]
        assert follow, f"{page.path}: no inline value follows the form ({forms}); spans: {len(spans)}"


V3_PATH = "/v3-cost/"

PROSE_JS = r"""
() => [...document.querySelectorAll("span.calc-value")].map((s) => ({
  calculator: s.dataset.calculator, output: s.dataset.output, given: s.dataset.given,
  pinned: s.hasAttribute("data-pinned"), text: s.textContent,
  reader: s.classList.contains("calc-value--reader"), value: s.dataset.value,
}))
"""


def test_prose_follows_the_form_and_goes_back_to_the_published_figures(visit, site):
    v = visit(V3_PATH)
    v.wait_live()
    page = v.page
    form = page.locator("form.calc").first
    fid = form.get_attribute("id")
    given = form.get_attribute("data-given")
    published = page.evaluate(PROSE_JS)
    followers = [s for s in published if s["calculator"] == "training-cost" and s["given"] == given and not s["pinned"]]
    assert followers, "no inline value follows the V3 page's form"
    assert not any(s["reader"] for s in published)

    with v.answer(fid, "price 3.5 on the V3 page"):
        v.field(fid, "price_per_gpu_hour").fill("3.5")
    expected = site.expected_texts("training-cost", site.cli_json(["training-cost", "--price-per-gpu-hour", "3.5"]))
    now = page.evaluate(PROSE_JS)
    for before, after in zip(published, now, strict=True):
        follows = before in followers
        if follows:
            assert after["text"] == expected[after["output"]], (before, after)
            assert after["reader"] == (after["text"] != before["text"]), after
        else:
            assert after["text"] == before["text"] and not after["reader"], (before, after)
    assert any(s["reader"] for s in now), "the price changes the cost: some value should be marked"
    note = page.locator(f"#{fid}-prose-note")
    assert note.is_visible()

    with v.answer(fid, "back to the published figures"):
        note.locator("button").click()
    assert page.evaluate(PROSE_JS) == published
    assert note.is_hidden()
