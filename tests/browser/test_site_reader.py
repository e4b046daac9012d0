"""The calculators as a reader meets them (issue 14): draggable, accessible, and prose that follows the form beside
it. The layout, the charts and axe-core are checked on every calculator page by tests/browser/page_checks.py (from
test_site_forms.py, on the boot those tests make); the pages without a calculator in test_site_pages.py; the pages
without JavaScript there too.

- Keyboard: every control of a form is reached by Tab; the slider moves with the arrow keys and the number box follows
  it; the Export menu opens with Enter and closes with Escape; results are announced once per committed change (the
  form's one live region), never per keystroke, and no <output> is a live region.
- Live prose: on every explainer page with a calculator, inline values computed for the inputs the form was built for
  follow it when the reader changes it (checked live on the V3 page against the CLI), marked as the reader's scenario
  with one control back to the published figures; pinned values never change.

Waits are for states the page defines (data-state, data-results, data-announced), never for a length of time.
"""

from __future__ import annotations

import html
import json
import re

import pytest

pytestmark = pytest.mark.browser


def test_the_site_has_calculator_pages(site):
    assert len(site.calculator_pages()) >= 13


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
