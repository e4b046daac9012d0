"""Every calculator page, live, driven like a reader would, against the command line.

The pages that first show a calculator (in path order) are tested in runs of up to four (conftest.primary_tours):
one test per run, a fresh load of its first page (a cold Pyodide boot: ~7 CPU-s) and a click on a link to each next
one, reached by Material's instant navigation through the same worker (a window marker set after the load must
survive every click). For every form on each page:
- the page is clean: no request to another host, no console error, no failed request, no violation of its
  Content-Security-Policy (every response carries it), and its forms go live showing the same numbers as the
  static HTML;
- before any field changes, tests/browser/page_checks.py: the layout as first shown (1280×900 and 390 px),
  every chart drawn from CPython's chart data, and axe-core with every disclosure open in the light and dark
  schemes;
- differential: seeded random in-bounds inputs (choices and presets included) set in the live form (the first
  sample as a reader does it: one field of each kind typed or picked: form_input.py); every <output>'s
  data-value equals `python -m calculators NAME --flags --json` for the same inputs (1e-12 relative) and its text
  equals the CLI's formatting; an input combination the CLI rejects must clear the outputs instead; the first
  samples also go through the real `python -m calculators` process;
- bad input: "1e999" typed key by key (its prefixes "1", "1e9", "1e99" are valid: the answer shown must be the one
  to the whole text), then "abc", "-5" and a number above the maximum filled in, into a float field, and a number
  above the maximum into an int field (when the form has both kinds): each marks the field aria-invalid, shows a
  message naming the allowed range, clears every output of that form (no data-value, no text, no
  NaN/Infinity/undefined) and leaves the other forms alone; the valid value brings the numbers back. A calculator
  already tested in full on an earlier page gets "1e999" in one field. (Every calculator's refusals and their
  messages, for every input, are tested in CPython: tests/checks.py check_errors_name_the_field.)

Pages whose calculators all appear on an earlier page are visited in one instant-navigation visit instead (one
worker for the whole visit, a window marker survives every click): the same checks, a quicker pass.

Every change is followed by a wait for the form's answer to that change (Visit.answer: data-results up, no
data-busy), then the checks, so an answer to an intermediate value (the "1e9" on the way to "1e999") is never the
one checked.
"""

from __future__ import annotations

import page_checks
import pytest
import visits
from form_input import (
    REPEAT_SAMPLES,
    SAMPLES,
    SUBPROCESS_SAMPLES,
    TYPED_SAMPLES,
    assert_outputs,
    bad_input,
    differential,
    expect,
)

pytestmark = pytest.mark.browser

INSTANT = "reached by instant navigation"


def _where(page, index: int, form: dict, how: str = "") -> str:
    return f"{page.path} form #{index} ({form['calculator']}{', ' + how if how else ''})"


def _live_checks(v, site, page, how: str = "") -> list[dict]:
    """A page whose forms are live, however it was reached (how: "" for a fresh load, or INSTANT): clean,
    the forms are the page's calculators showing the static HTML's numbers, then tests/browser/page_checks.py (the
    layout as first shown, the charts, axe) before any field changes. Returns the forms as read."""
    v.assert_clean(page.path)
    forms = v.read_forms()
    label = f"{page.path} ({how})" if how else page.path
    assert [f["calculator"] for f in forms] == page.calculators, f"{label}: forms {forms}"
    for index, form in enumerate(forms):
        where = _where(page, index, form, how)
        _, expected, err = expect(site, form["calculator"], form)
        assert err is None, f"{where}: the form's own starting values are rejected by the CLI: {err}"
        assert_outputs(v, site, form, expected, f"{where}: numbers once live (should equal the static ones)")
    problems = page_checks.live_page(v, label)
    assert not problems, "\n".join(problems)
    return forms


def _follow_link(v, site, came_from: str, page, must_exist: bool = True):
    """Click a link on the page shown (came_from) to page, as a reader does (a nav link first); with must_exist
    False, a link added to the article if the page shows none (as from the search results). Waits until page's
    forms are live and checks the visit was not a full load (the window marker set after the first load)."""
    if not v.page.evaluate(FIND_LINK_JS, page.path):
        assert not must_exist, f"{came_from} shows no link to {page.path}"
        v.page.evaluate(ADD_LINK_JS, page.path)
    v.navigate(v.page.locator("[data-test-nav]").first, page.path)
    try:
        v.page.wait_for_function(ON_PAGE_LIVE_JS, arg=[page.path, page.calculators], timeout=visits.BOOT_MS)
    except Exception as e:
        raise AssertionError(
            f"after clicking {came_from} -> {page.path}: at {v.page.url}, forms "
            f"{[(f['calculator'], f['state']) for f in v.read_forms()]} (expected {page.calculators} live); "
            f"console: {v.console_errors}"
        ) from e
    assert v.page.evaluate("window.__instantMarker") == "kept", (
        f"{came_from} -> {page.path} was a full page load, not instant navigation"
    )


def test_calculator_page(visit, site, calculator_tour):
    """A run of primary pages (conftest.primary_tours): the first loaded fresh, each next one reached by a click;
    every form on each gets the full checks (a calculator already shown on an earlier page, in path order, gets
    the quick pass)."""
    by_path = {p.path: p for p in site.calculator_pages()}
    pages = [by_path[path] for path in calculator_tour.split(",")]
    v = visit(pages[0].path)
    v.wait_live()
    v.page.evaluate("window.__instantMarker = 'kept'")
    for n, page in enumerate(pages):
        if n:
            _follow_link(v, site, pages[n - 1].path, page)
        how = INSTANT if n else ""
        forms = _live_checks(v, site, page, how)
        earlier = [c for p in site.calculator_pages() if p.path < page.path for c in p.calculators]
        for index, form in enumerate(forms):
            where = _where(page, index, form, how)
            repeat = form["calculator"] in earlier or form["calculator"] in page.calculators[:index]
            if repeat:
                differential(v, site, index, form, where, REPEAT_SAMPLES, 0, 1)
            else:
                differential(
                    v,
                    site,
                    index,
                    form,
                    where,
                    SAMPLES,
                    SUBPROCESS_SAMPLES,
                    TYPED_SAMPLES,
                )
            bad_input(v, site, index, form, where, repeat)
        v.assert_clean(page.path)
    assert len(v.calc_workers()) == 1, f"{calculator_tour}: workers {v.calc_workers()} (expected one)"


# --------------------------------------------------------------------------------------------------------------------
# Instant navigation

COUNT_WORKERS = """
(() => {
  const W = window.Worker;
  window.__workerUrls = [];
  window.Worker = new Proxy(W, {
    construct(target, args) {
      window.__workerUrls.push(String(new URL(args[0], location.href)));
      return new target(...args);
    },
  });
})();
"""

# Mark a visible same-origin link to `target` (a URL path) with data-test-nav; nav links first. False if none.
FIND_LINK_JS = """
(target) => {
  document.querySelectorAll("[data-test-nav]").forEach(a => a.removeAttribute("data-test-nav"));
  const links = [...document.querySelectorAll("a[href]")].filter(a => {
    const u = new URL(a.href, location.href);
    const r = a.getBoundingClientRect();
    return u.origin === location.origin && u.pathname === target && !u.hash && r.width > 0 && r.height > 0
      && getComputedStyle(a).visibility !== "hidden";
  });
  links.sort((a, b) => (b.closest("nav") ? 1 : 0) - (a.closest("nav") ? 1 : 0));
  if (!links.length) return false;
  links[0].setAttribute("data-test-nav", "1");
  return true;
}
"""

# A link a reader could have followed (e.g. from the search results), added to the article.
ADD_LINK_JS = """
(target) => {
  document.querySelectorAll("[data-test-nav]").forEach(a => a.removeAttribute("data-test-nav"));
  const a = document.createElement("a");
  a.href = target;
  a.textContent = "next page (test)";
  a.setAttribute("data-test-nav", "1");
  (document.querySelector("article") || document.body).append(a);
}
"""

ON_PAGE_LIVE_JS = """
([path, names]) => {
  if (location.pathname !== path) return false;
  const forms = [...document.querySelectorAll("form[data-calculator]")];
  return forms.length === names.length && forms.every((f, i) => f.dataset.calculator === names[i])
    && forms.every(f => f.dataset.state === "live");
}
"""


def test_instant_navigation_through_calculator_pages(visit, site):
    """Clicking from one calculator page to another swaps the page without a reload (a window marker survives) and
    the new forms go live through the one Worker of the visit; the visit goes on through every calculator page whose
    calculators appear on an earlier page (they get no full-load live test of their own) and checks each form
    there: the static numbers, a few random inputs against the CLI, bad input."""
    pages = site.calculator_pages()
    if len(pages) < 2:
        pytest.skip(f"needs two calculator pages; the built site has {len(pages)}")
    repeats = site.repeat_pages()
    pairs = [(a, b) for a in pages for b in pages if a is not b and b.path in site.links(a)]
    assert pairs, "no calculator page links to another calculator page"
    pairs.sort(key=lambda ab: (ab[0] not in repeats, ab[1] not in repeats))
    first, second = pairs[0]
    route = [first, second] + [p for p in repeats if p not in (first, second)]

    v = visit(first.path, init_script=COUNT_WORKERS)
    v.wait_live()
    v.page.evaluate("window.__instantMarker = 'kept'")
    for n, page in enumerate(route):
        if n > 0:
            _follow_link(v, site, route[n - 1].path, page, must_exist=n == 1)
        if page not in repeats:
            continue  # a page with its own full test
        forms = _live_checks(v, site, page, INSTANT)
        for index, form in enumerate(forms):
            where = _where(page, index, form, INSTANT)
            differential(v, site, index, form, where, REPEAT_SAMPLES, 0, 1)
            bad_input(v, site, index, form, where, repeat=True)
    created = [u for u in v.page.evaluate("window.__workerUrls") if not visits.is_theme_worker(u)]
    assert len(created) == 1 and len(v.calc_workers()) == 1, (
        f"Workers constructed over {len(route)} pages: {created} (page.on('worker') saw {v.calc_workers()}); "
        f"expected one per visit"
    )
    v.assert_clean(f"the visit {' -> '.join(p.path for p in route)}")
