"""Driving one page in chromium and recording what it did: Visit, for the browser tests' `visit` and
`shared_visit` fixtures (conftest.py).

Waiting: tests wait for states and events the page defines, never for a length of time. A form is live when its
data-state is "live"; after a change, the answer to that change is the one that raises the form's data-results
while leaving it without data-busy (docs/assets/calc.js: once a field changes, only an answer computed from the
fields as they are is shown). Visit.answer() waits for exactly that. Limits are generous (minutes: BOOT_MS for a
cold Pyodide boot, STEP_MS for anything after it) so that a busy two-core machine is slow, not failing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from site_files import PYODIDE_FILES, pyodide_dir, site_policy

# Limits, not expected times: Pyodide's cold boot takes ~3-5 s on two idle cores and several times that on busy
# ones. calc.js gives up on a boot after two minutes (the form goes to data-state=error); BOOT_MS is longer, so a
# test sees the page's own verdict. STEP_MS bounds one step after that (an answer, a draw, a click's effect).
BOOT_MS = 300_000
STEP_MS = 120_000

# In every visit, from before the page's first script: the page's Content-Security-Policy violations.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
                               source: e.sourceFile, line: e.lineNumber});
});
"""


# --------------------------------------------------------------------------------------------------------------------
# Reading a form out of the DOM (the same function with JavaScript on or off)

READ_FORM_JS = r"""
(form) => {
  const fields = [];
  for (const e of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    const type = (e.getAttribute("type") || "").toLowerCase();
    if (["submit", "button", "reset", "image"].includes(type)) continue;
    if (type === "radio" && !e.checked) continue;
    const r = e.getBoundingClientRect();
    fields.push({
      name: e.getAttribute("name"), tag: e.tagName.toLowerCase(), type, value: e.value,
      options: e.tagName === "SELECT" ? [...e.options].map(o => o.value) : null,
      option_values: e.tagName === "SELECT"
        ? Object.fromEntries([...e.options].filter(o => o.dataset.values).map(o => [o.value, o.dataset.values])) : null,
      readonly: e.readOnly === true, disabled: e.disabled === true, hidden: type === "hidden",
      invalid: e.getAttribute("aria-invalid"), describedby: e.getAttribute("aria-describedby"),
      visible: !!(r.width || r.height) && getComputedStyle(e).visibility !== "hidden",
    });
  }
  const outputs = [...form.querySelectorAll("output[name]")].map(o => ({
    name: o.getAttribute("name"), has_value: o.hasAttribute("data-value"),
    value: o.getAttribute("data-value"), text: o.textContent,
  }));
  const attrs = {};
  for (const a of form.attributes) attrs[a.name] = a.value;
  return { calculator: form.dataset.calculator, state: form.dataset.state, attrs, fields, outputs,
           text: form.textContent, visible_text: form.innerText };
}
"""

READ_VALUES_JS = r"""
() => [...document.querySelectorAll(".calc-value")].map(s => {
  const attrs = {};
  for (const a of s.attributes) attrs[a.name] = a.value;
  return { attrs, text: s.textContent };
})
"""

ALL_SETTLED_JS = r"""
() => {
  const forms = [...document.querySelectorAll("form[data-calculator]")];
  return forms.length > 0 && forms.every(f => f.dataset.state && f.dataset.state !== "static");
}
"""

# A form by index (among the page's calculator forms) or by id.
FORM_JS = r"""(key) => typeof key === "number" ? document.querySelectorAll("form[data-calculator]")[key]
                                                : document.getElementById(key)"""

# The form's count of answers shown (data-results), or null when there is no such form.
RESULTS_JS = (
    f"""(key) => {{ const form = ({FORM_JS})(key); return form ? Number(form.dataset.results || 0) : null; }}"""
)

# True once the form shows an answer newer than answer number `seq` and waits for none (no data-busy): the answer to
# the fields as they are now.
ANSWERED_JS = f"""
([key, seq]) => {{
  const form = ({FORM_JS})(key);
  return !!form && form.dataset.state === "live" && !form.hasAttribute("data-busy")
    && Number(form.dataset.results || 0) > seq;
}}
"""

# Instant navigation: the page's container before the click carries this mark; the new page's does not.
OLD_PAGE_MARK = "data-test-old-page"
NEW_PAGE_JS = f"""
(path) => location.pathname === path
  && !!document.querySelector("[data-md-component=container]:not([{OLD_PAGE_MARK}])")
"""


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == "127.0.0.1"


def is_theme_worker(url: str) -> bool:
    return "/assets/javascripts/workers/" in urlsplit(url).path


@dataclass
class Answer:
    """What Visit.answer saw: the form's answer count before the change, after it, and the form showing it."""

    before: int
    after: int = 0
    form: dict = field(default_factory=dict)


def navigate(page, link, path: str, timeout: float = STEP_MS):
    """Click link (a locator) and wait until Material's instant navigation shows path.

    Material pushes the new address at the click, before it has fetched the page: until the fetched page replaces
    the old one, location says `path` while the old page (its forms live) is still shown. So the container is
    marked before the click and the wait is for an unmarked one at `path`.
    """
    page.evaluate(
        "(mark) => document.querySelector('[data-md-component=container]').setAttribute(mark, '')", OLD_PAGE_MARK
    )
    link.click()
    try:
        page.wait_for_function(NEW_PAGE_JS, arg=path, timeout=timeout)
    except Exception as e:
        raise AssertionError(f"clicked a link to {path}: the page was not replaced (at {page.url})") from e


class Visit:
    """One page in its own fresh context, with everything it did recorded."""

    def __init__(self, context, page, base_url: str):
        self.context = context
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.requests: list[str] = []  # every request URL, page and workers
        self.workers: list[str] = []
        self.failed: list[str] = []  # local responses with status >= 400, and requests that failed
        self.unguarded: list[str] = []  # local responses without the site's policy header
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("response", self._response)
        context.on("requestfailed", lambda r: self.failed.append(f"{r.failure} {r.url}"))
        page.on(
            "console",
            lambda m: self.console_errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        page.on("worker", lambda w: self.workers.append(w.url))

    def _response(self, r):
        if r.status >= 400:
            self.failed.append(f"{r.status} {r.url}")
        if r.url.startswith(self.base_url) and r.headers.get("content-security-policy") != site_policy():
            self.unguarded.append(r.url)

    def forget(self):
        """Drop what was recorded so far (the page is about to load another address: shared_visit)."""
        for record in (self.console_errors, self.requests, self.workers, self.failed, self.unguarded):
            record.clear()

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def csp_violations(self) -> list[dict]:
        return self.page.evaluate("window.__cspViolations || []")

    def problems(self, where: str) -> list[str]:
        """What a clean page has none of: console errors, failed requests, violations of the site's
        Content-Security-Policy, and local responses sent without it (the server sends it as a host would)."""
        out = [f"{where}: console: {e}" for e in self.console_errors[:10]]
        out += [f"{where}: failed request: {f}" for f in self.failed[:10]]
        out += [f"{where}: CSP violation: {x}" for x in self.csp_violations()[:10]]
        out += [f"{where}: response without the site's policy header: {u}" for u in self.unguarded[:10]]
        return out

    def assert_clean(self, where: str):
        problems = self.problems(where)
        assert not problems, "\n".join(problems)

    def goto(self, path: str, wait_until: str = "load"):
        self.page.goto(self.url(path), wait_until=wait_until)
        return self

    def navigate(self, link, path: str):
        """Click link (a locator) for Material's instant navigation to path; return once the new page is shown."""
        navigate(self.page, link, path)

    # -- forms ---------------------------------------------------------------------------------------------------
    def reveal(self, locator):
        """Open, as a reader would (a click on each summary), the closed disclosures around locator ("All inputs",
        a source), so that it can be seen and typed into; returns locator."""
        for _ in range(5):
            summary = locator.evaluate_handle(
                "(el) => { const d = el.closest('details:not([open])');"
                " return d ? d.querySelector(':scope > summary') : null; }"
            )
            element = summary.as_element()
            if element is None:
                break
            element.click()
        return locator

    def field(self, form, name: str):
        """The input field called name in form (an index, an id, or a locator), revealed (see reveal)."""
        if isinstance(form, int):
            form = self.forms().nth(form)
        elif isinstance(form, str):
            form = self.page.locator(f"#{form}")
        loc = form.locator(f'input[name="{name}"], select[name="{name}"], textarea[name="{name}"]')
        return self.reveal(loc)

    def forms(self):
        return self.page.locator("form[data-calculator]")

    def read_forms(self) -> list[dict]:
        return self.forms().evaluate_all(f"forms => forms.map({READ_FORM_JS})")

    def read_form(self, index: int) -> dict:
        return self.forms().nth(index).evaluate(READ_FORM_JS)

    def read_values(self) -> list[dict]:
        return self.page.evaluate(READ_VALUES_JS)

    def wait_settled(self, timeout: float = BOOT_MS):
        """Wait until every form has left data-state=static (live or error)."""
        self.page.wait_for_function(ALL_SETTLED_JS, timeout=timeout)
        return [f["state"] for f in self.read_forms()]

    def results(self, form: int | str) -> int:
        """How many answers form (an index or an id) has shown: its data-results."""
        n = self.page.evaluate(RESULTS_JS, form)
        assert n is not None, f"no form {form!r} on {self.page.url}"
        return n

    @contextlib.contextmanager
    def answer(self, form: int | str, what: str, timeout: float = STEP_MS):
        """Wait for the answer to what the block does to form (an index or an id), then read the form:

            with v.answer(0, "mfu 0.4") as a:
                field.fill("0.4")
            a.form  # READ_FORM_JS of the form showing the answer computed from mfu=0.4

        The block must change the form (a field's input event, the preset picker, a button that recomputes).
        """
        seen = Answer(self.results(form))
        yield seen
        try:
            self.page.wait_for_function(ANSWERED_JS, arg=[form, seen.before], timeout=timeout)
        except Exception as e:
            state = self.page.evaluate(f"(k) => {{ const f = ({FORM_JS})(k); return f && {READ_FORM_JS}(f); }}", form)
            brief = state and {
                "state": state["state"],
                "busy": "data-busy" in state["attrs"],
                "results": state["attrs"].get("data-results"),
                "fields": {f["name"]: f["value"] for f in state["fields"]},
            }
            raise AssertionError(
                f"{what}: no answer within {timeout / 1000:.0f} s (answers before: {seen.before}); form now: {brief}; "
                f"console: {self.console_errors[-5:]}"
            ) from e
        seen.form = self.page.evaluate(f"(k) => ({READ_FORM_JS})(({FORM_JS})(k))", form)
        seen.after = int(seen.form["attrs"].get("data-results") or 0)

    def wait_live(self, timeout: float = BOOT_MS):
        try:
            states = self.wait_settled(timeout)
        except Exception as e:
            states = [f["state"] for f in self.read_forms()]
            raise AssertionError(
                f"forms did not go live within {timeout / 1000:.0f} s: states {states}; "
                f"console: {self.console_errors[-5:]}; failed requests: {self.failed}"
            ) from e
        assert all(s == "live" for s in states), (
            f"forms settled as {states}, not live; console: {self.console_errors}; failed requests: {self.failed}"
        )

    def calc_workers(self) -> list[str]:
        """Workers other than Material's own (its search index runs in a worker on every page)."""
        return [w for w in self.workers if not is_theme_worker(w)]

    def pyodide_requests(self) -> list[str]:
        d = pyodide_dir() or "/\0"
        return [
            u
            for u in self.requests
            if urlsplit(u).path.startswith(d)
            or urlsplit(u).path.rsplit("/", 1)[-1] in PYODIDE_FILES
            or urlsplit(u).path.endswith((".wasm", ".whl"))
        ]
