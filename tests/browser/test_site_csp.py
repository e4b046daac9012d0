"""The site under its own Content-Security-Policy (docs/hooks/csp.py), sent as an HTTP header on every response.

conftest's server (scripts/static_server.py, as scripts/serve) sends the headers of site/_headers, the policy
among them, on every response, as a host reading that file does. Then:
- the policy files: csp.txt and _headers hold one strict policy (no 'unsafe-inline', no 'unsafe-eval'), every
  inline script and <style> of every page is allowed by its hash, and every page carries the same policy in a
  <meta> (without frame-ancestors, which a <meta> cannot carry);
- every page, in the browser: every visit of the browser tests records the page's securitypolicyviolation events and
  the policy header of every response (visits.Visit.problems), and every page is visited and found clean: each
  calculator page by test_site_forms.py (a fresh load, or instant navigation for pages whose calculators appear
  earlier), each other page by test_site_pages.py::test_page_loads_cleanly;
- Material's instant navigation from a plain page to a chart page and on to a notebook page: no reload, the forms
  go live, the chart draws, no violation; the search (its worker and index) finds a page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import page_checks
import pytest
import visits

pytestmark = pytest.mark.browser

SETTLED = f"""
() => [...document.querySelectorAll("form[data-calculator]")].every((f) => f.dataset.state === "live")
  && ({page_checks.CHARTS_DRAWN_JS})()
"""

CSP_WORDS = re.compile(r"Content Security Policy|Content-Security-Policy|violates the following", re.I)


# --------------------------------------------------------------------------------------------------------------------
# Recording, on top of what every Visit records (its violations, console errors, failed requests, responses without
# the policy header; a request to another host fails the test)


def _policy(site_dir) -> str:
    f = site_dir / "csp.txt"
    if not f.is_file():
        pytest.fail(f"{f} is missing: the build (docs/hooks/csp.py) writes it", pytrace=False)
    return f.read_text(encoding="utf-8").strip()


def _record_console(v) -> list[str]:
    """Console messages of the page and its workers that are errors or name the policy (a browser reports some
    refusals as warnings): the list, filled as they come."""
    seen: list[str] = []

    def on_console(m):
        where = f" (worker {m.worker.url})" if getattr(m, "worker", None) else ""
        if m.type == "error" or CSP_WORDS.search(m.text):
            seen.append(f"console.{m.type}{where}: {m.text[:400]}")

    v.page.on("console", on_console)
    return seen


def _settle(v, what: str):
    """Wait until the page's forms are live and its charts drawn."""
    try:
        v.page.wait_for_function(SETTLED, timeout=visits.BOOT_MS)
    except Exception as e:
        state = v.page.evaluate("""() => ({
          forms: [...document.querySelectorAll("form[data-calculator]")].map(f => f.dataset.state),
          figures: [...document.querySelectorAll("figure.calc-chart")].map(f => f.dataset.state || null),
          reason: window.calculators ? window.calculators.reason : null})""")
        raise AssertionError(
            f"{what}: under the CSP the page did not settle: {state}; violations "
            f"{v.csp_violations()}; console {v.console_errors[-5:]}"
        ) from e


# --------------------------------------------------------------------------------------------------------------------
# The policy files


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


class _Inline(HTMLParser):
    """Inline executable scripts and <style> blocks of a page, as the browser sees their text."""

    JS = {"", "text/javascript", "application/javascript", "module"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.metas: list[str] = []
        self._in: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and "src" not in a and (a.get("type") or "").strip().lower() in self.JS:
            self._in = ("script", [])
        elif tag == "style":
            self._in = ("style", [])
        elif tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.metas.append(a.get("content") or "")

    def handle_data(self, data):
        if self._in:
            self._in[1].append(data)

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            (self.scripts if tag == "script" else self.styles).append("".join(self._in[1]))
            self._in = None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_policy_is_strict_and_covers_every_inline_script(site, site_dir):
    policy = _policy(site_dir)
    d = _directives(policy)
    assert d["default-src"] == ["'self'"]
    script = d["script-src"]
    assert script[:2] == ["'self'", "'wasm-unsafe-eval'"], script[:3]
    assert all(s.startswith("'sha256-") for s in script[2:]), script
    for bad in ("'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "*", "data:", "blob:", "http:", "https:"):
        assert bad not in policy.split(), f"the policy allows {bad}"
    assert d["style-src"][0] == "'self'"
    assert d["img-src"] == ["'self'", "data:"]
    for k, v in {
        "worker-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }.items():
        assert d.get(k) == v, f"{k}: {d.get(k)} (expected {v})"

    headers = (site_dir / "_headers").read_text(encoding="utf-8")
    assert re.search(r"^/\*\n  Content-Security-Policy: " + re.escape(policy) + "$", headers, re.M), headers[:300]

    meta_policy = "; ".join(p.strip() for p in policy.split(";") if not p.strip().startswith("frame-ancestors"))
    missing = []
    for page in site.site_pages():
        p = _Inline()
        p.feed(page.file.read_text(encoding="utf-8"))
        assert p.metas == [meta_policy], f"{page.path}: <meta> policies {p.metas!r}"
        missing += [f"{page.path}: script {s[:60]!r}" for s in p.scripts if _hash(s) not in script]
        missing += [f"{page.path}: style {s[:60]!r}" for s in p.styles if _hash(s) not in d["style-src"]]
    assert not missing, "inline code the policy does not allow:\n  " + "\n  ".join(missing[:20])


# --------------------------------------------------------------------------------------------------------------------
# In the browser


FIND_LINK = """
(target) => {
  const links = [...document.querySelectorAll("a[href]")].filter((a) => {
    const u = new URL(a.href, location.href);
    const r = a.getBoundingClientRect();
    return u.origin === location.origin && u.pathname === target && !u.hash && r.width > 0 && r.height > 0;
  });
  document.querySelectorAll("[data-test-nav]").forEach((a) => a.removeAttribute("data-test-nav"));
  if (!links.length) return false;
  links[0].setAttribute("data-test-nav", "1");
  return true;
}
"""


def _instant(v, path: str):
    assert v.page.evaluate(FIND_LINK, path), f"{v.page.url} shows no visible link to {path}"
    v.navigate(v.page.locator("[data-test-nav]").first, path)  # the new page shown, not just its URL
    assert v.page.evaluate("window.__instantMarker") == "kept", f"going to {path} reloaded the page"


def test_instant_navigation_charts_and_search_under_the_policy(visit, site):
    plain = [p for p in site.plain_pages() if p.path.endswith("/") and p.path != "/" and "/notebooks/" not in p.path]
    charted = "/calculators/kv-cache/"
    notebooks = [p.path for p in site.site_pages() if p.path.startswith("/notebooks/")]
    assert plain, "no plain page to start from"
    v = visit()
    console = _record_console(v)
    v.goto(plain[0].path)
    v.page.wait_for_load_state("networkidle")
    v.page.evaluate("window.__instantMarker = 'kept'")

    _instant(v, charted)
    _settle(v, charted)
    assert v.page.locator("figure.calc-chart canvas").count() >= 1

    if notebooks:
        _instant(v, notebooks[0])
        v.page.wait_for_load_state("networkidle")

    # the search: Material's worker builds the index from search/search_index.json
    query = v.page.locator("input[data-md-component='search-query']")
    query.click()
    v.page.keyboard.type("GRPO", delay=30)  # Material searches on key events, which fill() does not send
    v.page.wait_for_selector(".md-search-result__item")
    assert v.page.evaluate("window.__instantMarker") == "kept"
    assert not v.csp_violations(), v.csp_violations()
    assert not console, console

    # Enter in the search box opens the first result; the search form itself never submits (form-action 'none'
    # would report it)
    v.page.keyboard.press("Enter")
    v.page.wait_for_load_state("networkidle")
    assert not console, console
    v.assert_clean(f"{plain[0].path} -> {charted} -> search")
