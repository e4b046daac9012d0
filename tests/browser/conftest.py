"""Browser tests of the built site (site/), in Debian's chromium through Playwright.

Session: one static HTTP server for site/ on 127.0.0.1 (random free port; scripts/static_server.py, which sends
the headers of site/_headers, the Content-Security-Policy included, as a host would) and one chromium. Per test:
fresh browser contexts (fresh HTTP cache, fresh workers) from the `visit` factory, or, for a test that loads a page
without a calculator (or with JavaScript off) and reads it, a page in a context the session reuses
(`shared_visit`); every request to a host other than 127.0.0.1 is recorded and aborted, and a test during which
any happened fails (see pytest_runtest_call below).

Waiting: tests wait for states and events the page defines, never for a length of time. A form is live when its
data-state is "live"; after a change, the answer to that change is the one that raises the form's data-results
while leaving it without data-busy (docs/assets/calc.js: once a field changes, only an answer computed from the
fields as they are is shown). Visit.answer() waits for exactly that. Limits are generous (minutes: BOOT_MS for a
cold Pyodide boot, STEP_MS for anything after it) so that a busy two-core machine is slow, not failing.

The site must already be built: scripts/test runs scripts/build before pytest. Nothing here downloads a browser.
Knobs: BROWSER_SITE_DIR (default site/), BROWSER_SAMPLES (random input sets per form, default 8),
BROWSER_SEED.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:  # scripts/ is not a package
    sys.path.insert(0, str(ROOT / "scripts"))
import page_checks  # noqa: E402 - beside this file (pytest puts this directory on the path)
import static_server  # noqa: E402 - after its directory is on the path

# BROWSER_SITE_DIR: test another copy of a build (e.g. a snapshot while the build is being worked on).
SITE = Path(os.environ.get("BROWSER_SITE_DIR") or ROOT / "site").resolve()
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = static_server.CHROMIUM_ARGS
# Limits, not expected times: Pyodide's cold boot takes ~3-5 s on two idle cores and several times that on busy
# ones. calc.js gives up on a boot after two minutes (the form goes to data-state=error); BOOT_MS is longer, so a
# test sees the page's own verdict. STEP_MS bounds one step after that (an answer, a draw, a click's effect).
BOOT_MS = 300_000
STEP_MS = 120_000
REL_TOL = 1e-12
# The runtime files the build copies out of the pyodide npm package; any request for one of them is "Pyodide bytes".
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
MISSING = (
    f"{SITE.relative_to(ROOT) if SITE.is_relative_to(ROOT) else SITE}/ is missing or has no index.html: "
    "run scripts/build first (scripts/test does it)"
)

EXTERNAL_KEY = pytest.StashKey[tuple]()

# In every visit, from before the page's first script: the page's Content-Security-Policy violations.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
                               source: e.sourceFile, line: e.lineNumber});
});
"""


# --------------------------------------------------------------------------------------------------------------------
# What the built site holds (read from the files, so tests can be parametrized at collection time)


class _Scan(HTMLParser):
    """Forms (data-calculator) and inline values (span.calc-value) in one page's static HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.values: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-calculator" in a:
            self.forms.append(a)
        elif "calc-value" in (a.get("class") or "").split():
            self.values.append(a)


@dataclass
class Page:
    path: str  # URL path from the site root, e.g. "/rl-cost/"
    file: Path
    forms: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)

    @property
    def calculators(self) -> list[str]:
        return [f["data-calculator"] for f in self.forms]


def pyodide_dir() -> str | None:
    """The URL path of the directory the build copied Pyodide's runtime into (e.g. "/assets/pyodide/")."""
    hits = sorted(SITE.rglob("pyodide.asm.wasm")) if SITE.is_dir() else []
    if not hits:
        return None
    return "/" + hits[0].parent.relative_to(SITE).as_posix().strip("/") + "/"


@functools.cache
def site_policy() -> str | None:
    """The Content-Security-Policy the build wrote (site/csp.txt), which the server sends with every response."""
    f = SITE / static_server.POLICY_FILE
    return f.read_text(encoding="utf-8").strip() if f.is_file() else None


@functools.cache
def site_pages() -> tuple[Page, ...]:
    """Every page of the built site: site/**/index.html and the top-level 404.html, minus the vendored runtime."""
    if not (SITE / "index.html").is_file():
        return ()
    skip = pyodide_dir()
    pages = []
    for f in [*sorted(SITE.rglob("index.html")), *sorted(SITE.glob("404.html"))]:
        rel = f.parent.relative_to(SITE).as_posix()
        path = "/" if rel == "." else f"/{rel}/"
        if f.name != "index.html":
            path += f.name
        if skip and path.startswith(skip):
            continue
        scan = _Scan()
        scan.feed(f.read_text(encoding="utf-8", errors="replace"))
        pages.append(Page(path, f, scan.forms, scan.values))
    pages.sort(key=lambda p: (p.path != "/", p.path))
    return tuple(pages)


def calculator_pages() -> list[Page]:
    return [p for p in site_pages() if p.forms]


def plain_pages() -> list[Page]:
    return [p for p in site_pages() if not p.forms]


def primary_pages() -> list[Page]:
    """Calculator pages showing a calculator no earlier page (in path order) shows: each gets its own full test."""
    seen: set[str] = set()
    out = []
    for p in calculator_pages():
        if not set(p.calculators) <= seen:
            out.append(p)
        seen |= set(p.calculators)
    return out


TOUR_PAGES = 4  # primary pages per test: one cold boot, then instant navigation (a boot costs ~7 CPU-s)


def primary_tours() -> list[list[str]]:
    """The primary pages' paths in path order, cut into runs of at most TOUR_PAGES, as even as they come (13 pages:
    4, 3, 3, 3). Each run is one test_calculator_page: a fresh load of its first page (a cold Pyodide boot, as a
    reader arriving from a headline gets), then a click on a link to each next one, reached by instant navigation
    through the same worker, as a reader following the site's navigation reaches it."""
    paths = [p.path for p in primary_pages()]
    runs = math.ceil(len(paths) / TOUR_PAGES)
    return [paths[len(paths) * k // runs : len(paths) * (k + 1) // runs] for k in range(runs)]


def repeat_pages() -> list[Page]:
    """Calculator pages whose calculators all appear on earlier pages: checked live in one instant-navigation visit."""
    primary = {p.path for p in primary_pages()}
    return [p for p in calculator_pages() if p.path not in primary]


def links(page: Page) -> set[str]:
    """URL paths the page's static HTML links to (relative hrefs resolved against the page)."""
    found = set()

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href and not href.startswith(("#", "http:", "https:", "mailto:")):
                found.add(urlsplit(urljoin("http://x" + page.path, href)).path)

    P().feed(page.file.read_text(encoding="utf-8", errors="replace"))
    return found


def pytest_generate_tests(metafunc):
    """Parametrize by what the built site holds; with no site, one placeholder that fails with MISSING."""
    built = bool(site_pages())
    for name, values in (
        ("calculator_tour", [",".join(t) for t in primary_tours()]),  # paths joined by commas (the test's id)
        ("page_path", [p.path for p in site_pages() if p not in primary_pages()]),
        ("numbers_page_path", [p.path for p in site_pages() if p.forms or p.values]),
        ("every_calculator_page_path", [p.path for p in calculator_pages()]),
        ("plain_page_path", [p.path for p in plain_pages()]),
    ):
        if name in metafunc.fixturenames:
            if not built:
                metafunc.parametrize(name, ["<no site>"])
            elif not values:
                metafunc.parametrize(
                    name,
                    [
                        pytest.param(
                            "<none>",
                            marks=pytest.mark.skip(
                                reason=f"the built site has no {name.replace('_', ' ').removesuffix(' path')}s"
                            ),
                        )
                    ],
                )
            else:
                metafunc.parametrize(name, values)


# --------------------------------------------------------------------------------------------------------------------
# Expected numbers: the calculators package, in this process, exactly as `python -m calculators NAME ... --json`


def cli_json(args: list[str]) -> dict:
    """`python -m calculators ARGS --json`, run in-process through calculators.cli.run (raises InputError)."""
    from calculators import cli

    return json.loads(cli.run([*args, "--json"]))


def expected_texts(name: str, values: dict) -> dict:
    """The formatted text the page should show for each output (the same core.fmt the CLI table uses)."""
    from calculators import get
    from calculators.core import fmt

    calc = get(name)
    return {o.name: fmt(values[o.name], o.unit) for o in calc.outputs}


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-300)


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


_TMP = None


def json_arg(inp, text: str) -> str:
    """The command-line value of a json input: `--config` takes a file name, any other json input the text."""
    global _TMP
    if inp.flag != "--config":
        return text
    import hashlib
    import tempfile

    if _TMP is None:
        _TMP = Path(tempfile.mkdtemp(prefix="browser-tests-"))
    f = _TMP / (hashlib.sha256(text.encode()).hexdigest()[:16] + ".json")
    f.write_text(text, encoding="utf-8")
    return str(f)


def form_flags(calc_name: str, form: dict) -> tuple[list[str], str | None]:
    """CLI flags equivalent to a form's current fields: (["--gpu-hours", "2788000", ...], preset or None).

    A json input's text goes through a temporary file when its flag is --config (the CLI reads a file there).
    """
    from calculators import get

    calc = get(calc_name)
    names = {i.name: i for i in calc.inputs}
    presets = {p.name for p in calc.presets}
    preset = form["attrs"].get("data-preset") or None
    flags: list[str] = []
    unknown = []
    for f in form["fields"]:
        if f["name"] == "preset":  # the preset picker; "" (defaults) and "custom" (edited) name no preset
            if f["value"] in presets:
                preset = f["value"]
            continue
        inp = names.get(f["name"])
        if inp is None:
            unknown.append(f["name"])
            continue
        if inp.type == "json":
            if f["value"].strip():
                flags += [inp.flag, json_arg(inp, f["value"])]
            continue
        flags += [inp.flag, f["value"]]
    assert not unknown, (
        f"form {calc_name}: fields {unknown} are not inputs of the calculator "
        f"(its inputs: {', '.join(names)}); field names must be the CLI input names in snake_case"
    )
    return flags, preset


def preset_args(preset: str | None) -> list[str]:
    return ["--preset", preset] if preset else []


def value_args(attrs: dict) -> list[str]:
    """CLI arguments for an inline value: its data-preset and data-inputs (a JSON object of input values)."""
    from calculators import get

    calc = get(attrs["data-calculator"])
    args = preset_args(attrs.get("data-preset") or None)
    for k, v in json.loads(attrs.get("data-inputs") or "{}").items():
        inp = calc.input(k)
        if inp.type == "json":
            args += [inp.flag, json_arg(inp, v if isinstance(v, str) else json.dumps(v))]
        else:
            args += [inp.flag, str(v)]
    return args


# --------------------------------------------------------------------------------------------------------------------
# Server and browser


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not site_pages():
        pytest.fail(MISSING, pytrace=False)
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir):
    """The built site as a host honouring site/_headers serves it (its Content-Security-Policy on every response)."""
    server = static_server.start(site_dir)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser(site_dir):
    if not Path(CHROMIUM).exists() or not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


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


@pytest.fixture
def visit(request, browser, base_url):
    """visit(path=None, javascript=True, block=None, ...) -> Visit in a fresh context (1280×900, light, unless
    viewport= and color_scheme= say otherwise).

    block: a glob or predicate of URLs to abort (e.g. Pyodide's runtime files). Requests to other hosts are always
    aborted and recorded; the test fails if there were any.
    http_cache: keep the browser's HTTP cache working, as a reader's is. Any route turns it off in Playwright, so
    requests to other hosts are then only recorded (the site's CSP refuses them anyway), still failing the test.
    """
    external: list[str] = []  # aborted by the route
    seen: list[str] = []  # seen by the request event (workers included), in case a route ever missed one
    request.node.stash[EXTERNAL_KEY] = (external, seen)
    contexts = []

    def make(
        path: str | None = None,
        javascript: bool = True,
        block=None,
        init_script: str | None = None,
        wait_until: str = "load",
        viewport: dict | None = None,
        color_scheme: str = "light",
        http_cache: bool = False,
    ) -> Visit:
        ctx = browser.new_context(
            java_script_enabled=javascript,
            viewport=viewport or dict(page_checks.WIDE),
            service_workers="block",
            color_scheme=color_scheme,
        )
        contexts.append(ctx)

        def outside(route):
            external.append(route.request.url)
            route.abort("blockedbyclient")

        if not http_cache:
            ctx.route(lambda url: not is_local(url), outside)
        ctx.on("request", lambda r: None if is_local(r.url) else seen.append(r.url))
        if block is not None:
            assert not http_cache, "block= routes requests, which turns the HTTP cache off"
            ctx.route(block, lambda route: route.abort("failed"))
        ctx.add_init_script(RECORD_VIOLATIONS)
        if init_script:
            ctx.add_init_script(init_script)
        page = ctx.new_page()
        page.set_default_timeout(STEP_MS)
        page.set_default_navigation_timeout(STEP_MS)
        v = Visit(ctx, page, base_url)
        if path is not None:
            v.goto(path, wait_until=wait_until)
        return v

    yield make
    for ctx in contexts:
        try:
            ctx.close()
        except Exception:  # noqa: BLE001 - the browser may already be gone after a crash; the test says why
            pass


@pytest.fixture(scope="session")
def _shared_contexts(browser, base_url):
    """The session's reused contexts, one per JavaScript setting, each made when first asked for (see
    shared_visit): {javascript: (Visit, sink)}, sink holding the lists its requests to other hosts go to."""
    made: dict[bool, tuple[Visit, dict]] = {}

    def get(javascript: bool) -> tuple[Visit, dict]:
        if javascript not in made:
            sink: dict[str, list[str]] = {"external": [], "seen": []}
            ctx = browser.new_context(
                java_script_enabled=javascript, viewport=dict(page_checks.WIDE), service_workers="block"
            )

            def outside(route):
                sink["external"].append(route.request.url)
                route.abort("blockedbyclient")

            ctx.route(lambda url: not is_local(url), outside)
            ctx.on("request", lambda r: None if is_local(r.url) else sink["seen"].append(r.url))
            ctx.add_init_script(RECORD_VIOLATIONS)
            page = ctx.new_page()
            page.set_default_timeout(STEP_MS)
            page.set_default_navigation_timeout(STEP_MS)
            made[javascript] = (Visit(ctx, page, base_url), sink)
        return made[javascript]

    yield get
    for v, _ in made.values():
        with contextlib.suppress(Exception):  # the browser may already be gone after a crash; the test says why
            v.context.close()


# Left in a shared page by the test before: its storage (Material keeps some; a calculator page its scenarios).
FORGET_STORAGE_JS = "() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }"


@pytest.fixture
def shared_visit(request, _shared_contexts):
    """shared_visit(path, javascript=True) -> Visit of path, a full load as visit(path) gives (1280×900, light, no
    HTTP cache), but in a context the session's shared visits with that JavaScript setting share: a new context
    costs chromium about 1.5 CPU-s (measured: 12 pages with JavaScript off, each in a fresh context 30 CPU-s, all in
    one 12-15). For tests that load a page and read it: no Pyodide, no calculator (a live worker, a boot and the
    HTTP cache are what visit()'s fresh contexts are for). Before each load: the last page's storage is cleared,
    the cookies, the light scheme and the viewport reset, and what the Visit recorded forgotten, so that what it
    records is this test's; a request to another host is aborted and fails the test, as in visit."""
    external: list[str] = []
    seen: list[str] = []
    request.node.stash[EXTERNAL_KEY] = (external, seen)

    def load(path: str, javascript: bool = True) -> Visit:
        v, sink = _shared_contexts(javascript)
        sink["external"], sink["seen"] = external, seen
        if javascript and v.page.url.startswith(v.base_url):
            v.page.evaluate(FORGET_STORAGE_JS)
        v.context.clear_cookies()
        v.page.emulate_media(color_scheme="light")
        v.page.set_viewport_size(dict(page_checks.WIDE))
        v.forget()
        return v.goto(path)

    return load


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) if any request left 127.0.0.1."""
    result = yield
    external, seen = item.stash.get(EXTERNAL_KEY, ([], []))
    urls = sorted(set(external) | set(seen))
    if urls:
        shown = "\n  ".join(urls[:20])
        pytest.fail(f"{len(urls)} request(s) to hosts other than 127.0.0.1 (aborted):\n  {shown}", pytrace=False)
    return result


@pytest.fixture(scope="session")
def site():
    """This module, for the tests' use (site_pages, cli_json, form_flags, ...): a fixture, because a conftest is
    not reliably importable by name when other test directories have their own conftest.py."""
    return sys.modules[__name__]


NAN_WORDS = re.compile(r"NaN|Infinity|undefined")
