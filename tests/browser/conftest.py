"""Browser tests of the built site (site/), in Debian's chromium through Playwright.

Session: one static HTTP server for site/ on 127.0.0.1 (random free port; scripts/static_server.py, which sends
the headers of site/_headers, the Content-Security-Policy included, as a host would) and one chromium. Per test:
fresh browser contexts (fresh HTTP cache, fresh workers) from the `visit` factory, or, for a test that loads a page
without a calculator (or with JavaScript off) and reads it, a page in a context the session reuses
(`shared_visit`); every request to a host other than 127.0.0.1 is recorded and aborted, and a test during which
any happened fails (see pytest_runtest_call below). What a visit records and how it waits: visits.py; what the
site holds and the numbers it should show: site_files.py (the `site` fixture).

The site must already be built: scripts/test runs scripts/build before pytest. Nothing here downloads a browser.
Knobs: BROWSER_SITE_DIR (default site/), BROWSER_SAMPLES (random input sets per form, default 8),
BROWSER_SEED.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:  # scripts/ is not a package
    sys.path.insert(0, str(ROOT / "scripts"))
# beside this file (pytest puts this directory on the path), after scripts/ is on it
import chromium  # noqa: E402
import page_checks  # noqa: E402
import site_files  # noqa: E402
import static_server  # noqa: E402
from site_files import (  # noqa: E402
    MISSING,
    SITE,
    calculator_pages,
    plain_pages,
    primary_pages,
    primary_tours,
    site_pages,
)
from visits import RECORD_VIOLATIONS, STEP_MS, Visit, is_local  # noqa: E402

CHROMIUM = chromium.PATH
# The tests check what the pages do, not how fast they do it: V8 runs WebAssembly (Pyodide) as its baseline
# compiler, Liftoff, compiles it, and does not recompile the hot functions with TurboFan in the background. The
# semantics are the same; the CPU is less (a cold boot of /calculators/params/ measured 4.5 -> 3.1 CPU-s, the
# whole browser suite 343 -> 284 CPU-s). scripts/bench keeps chromium's defaults, as a reader's browser has them.
LAUNCH_ARGS = [*chromium.ARGS, "--js-flags=--liftoff-only"]
EXTERNAL_KEY = pytest.StashKey[tuple]()


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
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/setup --browser (it installs Debian's chromium), or set CHROMIUM to "
            "another Chromium-based browser",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def _guarded_visit(
    browser,
    base_url: str,
    sink: dict[str, list[str]],
    *,
    javascript: bool = True,
    viewport: dict | None = None,
    color_scheme: str = "light",
    route_outside: bool = True,
    init_script: str | None = None,
) -> Visit:
    """A Visit of a new context's new page, guarded as every visit is: each request to another host goes to
    sink["seen"] (the request event, workers included, in case a route ever missed one) and, with route_outside, is
    aborted into sink["external"] (a route turns Playwright's HTTP cache off, so a test keeping the cache only
    records them; the site's CSP refuses them anyway); the CSP recorder (and init_script) runs before the page's
    scripts; STEP_MS bounds each step. The lists are looked up in sink at each request (shared_visit swaps them)."""
    ctx = browser.new_context(
        java_script_enabled=javascript,
        viewport=viewport or dict(page_checks.WIDE),
        service_workers="block",
        color_scheme=color_scheme,
    )

    def outside(route):
        sink["external"].append(route.request.url)
        route.abort("blockedbyclient")

    if route_outside:
        ctx.route(lambda url: not is_local(url), outside)
    ctx.on("request", lambda r: None if is_local(r.url) else sink["seen"].append(r.url))
    ctx.add_init_script(RECORD_VIOLATIONS)
    if init_script:
        ctx.add_init_script(init_script)
    page = ctx.new_page()
    page.set_default_timeout(STEP_MS)
    page.set_default_navigation_timeout(STEP_MS)
    return Visit(ctx, page, base_url)


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
    sink = {"external": external, "seen": seen}
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
        v = _guarded_visit(
            browser,
            base_url,
            sink,
            javascript=javascript,
            viewport=viewport,
            color_scheme=color_scheme,
            route_outside=not http_cache,
            init_script=init_script,
        )
        contexts.append(v.context)
        if block is not None:
            assert not http_cache, "block= routes requests, which turns the HTTP cache off"
            v.context.route(block, lambda route: route.abort("failed"))
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
            made[javascript] = (_guarded_visit(browser, base_url, sink, javascript=javascript), sink)
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
    """site_files.py, for the tests' use (site_pages, cli_json, form_flags, ...): a fixture, because the tests
    take what the site holds from the session, as they take the server and the browser."""
    return site_files
