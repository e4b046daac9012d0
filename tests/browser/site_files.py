"""What the built site holds, and the numbers it should show: for the browser tests (the `site` fixture).

- the pages of site/ (read from the files, so tests can be parametrized at collection time): each page's forms and
  inline values, the calculator pages, the primary pages and their tours, the repeat pages, links;
- the expected numbers: the calculators package, in this process, exactly as `python -m calculators NAME ... --json`
  prints them, and the command-line flags equal to a form's fields.

BROWSER_SITE_DIR: test another copy of a build (e.g. a snapshot while the build is being worked on).
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import static_server

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("BROWSER_SITE_DIR") or ROOT / "site").resolve()
REL_TOL = 1e-12
# The runtime files the build copies out of the pyodide npm package; any request for one of them is "Pyodide bytes".
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
MISSING = (
    f"{SITE.relative_to(ROOT) if SITE.is_relative_to(ROOT) else SITE}/ is missing or has no index.html: "
    "run scripts/build first (scripts/test does it)"
)
NAN_WORDS = re.compile(r"NaN|Infinity|undefined")


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
