"""Performance of the built site against its targets; prints a Markdown table (scripts/bench runs this).

Not a test: the numbers depend on the machine (and on its load: every ratio is of runs alternated in one run).
  (a) time to a live widget on a calculator page (navigation start -> every form data-state=live), divided by a
      bare Pyodide boot: a tiny page whose module worker runs loadPyodide + one runPython from the npm package's
      own files as shipped (its whole standard library and lock file, under /__bench__/npm/); fresh browser
      context per run, the kinds alternating, median of N runs each; target <= 1.00 (stretch 0.5). Also the same
      page forced to boot from the memory snapshot (localStorage calc-runtime=snapshot), as the rule's evidence;
  (a') the same, throttled to 20 Mbit/s and 40 ms latency (a CDP session's Network.emulateNetworkConditions, which
      covers the page's worker too); target <= 5 s for the page as it boots for a first visit;
  (b) input -> output latency on a live form, ~200 changes, median and p95 (in-page timing); target <= 16 ms median
  (c) bytes of a first visit, on the wire (as this server sends them: the build's .br siblings, other text gzipped
      on the fly) and gzipped (each file's .gz sibling, else the file gzipped): a page without calculators (target
      <= 600 KB on the wire) and a calculator page (target <= 5.0 MB gzipped), and that page booting from the snapshot
  (d) full build time (scripts/build)
The site is served by scripts/static_server.py, with the headers of site/_headers (its Content-Security-Policy
included) and its precompressed files, as a host would; the bare Pyodide page is served beside it under /__bench__/.
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import chromium
import static_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = chromium.PATH
LAUNCH_ARGS = chromium.ARGS
BENCH = "/__bench__/"
BARE = BENCH + "index.html"
NPM = ROOT / ".cache" / "npm" / "node_modules" / "pyodide"
BOOT_TIMEOUT_MS = 300_000
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 20e6 / 8}
SNAPSHOT_JS = 'try { localStorage.setItem("calc-runtime", "snapshot"); } catch (e) {}'

LIVE_JS = """
window.__liveAt = null;
const check = () => {
  const fs = document.querySelectorAll("form[data-calculator]");
  if (window.__liveAt === null && fs.length && [...fs].every(f => f.dataset.state === "live"))
    window.__liveAt = performance.now();
};
new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true,
                                               attributeFilter: ["data-state"] });
"""

LATENCY_JS = """
async ([name, out, values, texts]) => {
  const form = document.querySelector("form[data-calculator]");
  const field = form.querySelector(`[name="${name}"]`);
  const output = form.querySelector(`output[name="${out}"]`);
  const result = [];
  for (let k = 0; k < values.length; k++) {
    const want = texts[k];
    const done = new Promise(resolve => {
      const mo = new MutationObserver(() => {
        if (output.textContent.trim() === want) { mo.disconnect(); resolve(performance.now()); }
      });
      mo.observe(output, { childList: true, characterData: true, subtree: true });
      setTimeout(() => { mo.disconnect(); resolve(null); }, 5000);
    });
    const t0 = performance.now();
    field.value = values[k];
    field.dispatchEvent(new Event("input", { bubbles: true }));
    const t1 = await done;
    result.push(t1 === null ? null : t1 - t0);
    await new Promise(r => setTimeout(r, 20));
  }
  return result;
}
"""


def log(msg: str):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-calculator" in a:
            self.forms.append(a["data-calculator"])


def scan(site: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """(URL path of the vendored Pyodide, [(page path, its calculators)])."""
    wasm = sorted(site.rglob("pyodide.asm.wasm"))
    if not wasm:
        sys.exit("bench: no pyodide.asm.wasm under site/: the build did not vendor Pyodide")
    pyodide_dir = "/" + wasm[0].parent.relative_to(site).as_posix().strip("/") + "/"
    pages = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        path = "/" if rel == "." else f"/{rel}/"
        if not path.startswith(pyodide_dir):
            s = _Forms()
            s.feed(f.read_text(encoding="utf-8", errors="replace"))
            pages.append((path, s.forms))
    return pyodide_dir, pages


def bare_page() -> Path:
    """A directory with the bare Pyodide boot page (scripts as files: the site's policy allows no inline script).

    Its worker loads Pyodide from BENCH + "npm/": the npm package's directory, every file as the package has it.
    """
    d = Path(tempfile.mkdtemp(prefix="bench-"))
    (d / "worker.mjs").write_text(f"""
import {{ loadPyodide }} from "{BENCH}npm/pyodide.mjs";
const py = await loadPyodide({{ indexURL: "{BENCH}npm/" }});
postMessage(py.runPython("sum(range(10))"));
""")
    (d / "main.mjs").write_text("""
const w = new Worker("./worker.mjs", { type: "module" });
w.onmessage = (e) => { window.__liveAt = performance.now(); window.__result = e.data; };
w.onerror = (e) => { window.__error = String(e.message || e); };
""")
    (d / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>bare Pyodide boot</title>\n'
        '<script type="module" src="./main.mjs"></script>\n'
    )
    return d


class Counted(static_server.Handler):
    """The site plus BENCH (the bare page), counting the body bytes sent and the files they came from."""

    bench_dir: Path
    served = {"bytes": 0, "paths": []}
    lock = threading.Lock()

    def translate_path(self, path):
        p = unquote(urlsplit(path).path)
        if p.startswith(BENCH + "npm/"):
            return str(NPM / p[len(BENCH + "npm/") :])
        if p.startswith(BENCH):
            return str(self.bench_dir / (p[len(BENCH) :].lstrip("/") or "index.html"))
        return super().translate_path(path)

    def copyfile(self, source, outputfile):
        n = 0
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            n += len(chunk)
        with self.lock:
            self.served["bytes"] += n
            self.served["paths"].append(self.translate_path(self.path))

    @classmethod
    def reset(cls):
        with cls.lock:
            cls.served["bytes"], cls.served["paths"] = 0, []

    @classmethod
    def taken(cls) -> tuple[int, list[str]]:
        with cls.lock:
            return cls.served["bytes"], list(cls.served["paths"])


class Browser:
    """Fresh contexts on the bench server; requests to other hosts are remembered (and fail the bench)."""

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.external: list[str] = []
        self.boots: list[dict] = []  # the site worker's {path, fallback, phases} per calculator-page run

    def page(self, snapshot: bool = False, throttle: bool = False):
        ctx = self.browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

        # recorded, not routed: any route turns Playwright's HTTP cache off, and returning visits need it (the
        # site's CSP refuses other hosts anyway)
        ctx.on(
            "request",
            lambda r: None if urlsplit(r.url).hostname in ("127.0.0.1", None) else self.external.append(r.url),
        )
        ctx.add_init_script(LIVE_JS)
        if snapshot:
            ctx.add_init_script(SNAPSHOT_JS)
        page = ctx.new_page()
        if throttle:
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
        return ctx, page

    def wait_live(self, page, path: str):
        page.wait_for_function("() => window.__liveAt !== null || !!window.__error", timeout=BOOT_TIMEOUT_MS)
        err = page.evaluate("window.__error || null")
        if err:
            sys.exit(f"bench: {path}: {err}")
        boot = page.evaluate(
            "window.calculators && {path: calculators.bootPath, fallback: calculators.fallback,"
            " phases: calculators.bootPhases}"
        )
        if boot and boot.get("path"):
            self.boots.append(boot)
        return boot

    def time_to_live(self, path: str, snapshot: bool = False, throttle: bool = False) -> float:
        """ms from navigation start (performance.timeOrigin) until every form is live / the bare worker answered."""
        ctx, page = self.page(snapshot, throttle)
        try:
            page.goto(self.base + path)
            boot = self.wait_live(page, path)
            if snapshot and boot and boot["path"] != "snapshot":
                sys.exit(f"bench: {path} was told to boot from the snapshot and did not: {boot['fallback']}")
            return page.evaluate("window.__liveAt")
        finally:
            ctx.close()

    def first_visit_bytes(self, path: str, live: bool, snapshot: bool = False) -> tuple[int, int, int]:
        """(bytes on the wire, the same files gzipped, number of files) for a first visit of path."""
        ctx, page = self.page(snapshot)
        try:
            Counted.reset()
            page.goto(self.base + path)
            if live:
                self.wait_live(page, path)
            page.wait_for_load_state("networkidle")
            time.sleep(0.5)  # a measurement, not a test: let the last response finish counting
            n, paths = Counted.taken()
            gz = 0
            for p in paths:
                sibling = Path(p + ".gz")
                try:
                    gz += sibling.stat().st_size if sibling.is_file() else len(gzip.compress(Path(p).read_bytes(), 6))
                except OSError:
                    pass
            return n, gz, len(paths)
        finally:
            ctx.close()

    def latency(self, path: str, plan) -> list[float | None]:
        name, out, vals, texts = plan
        ctx, page = self.page()
        try:
            page.goto(self.base + path)
            self.wait_live(page, path)
            return page.evaluate(LATENCY_JS, [name, out, vals, texts])
        finally:
            ctx.close()


def latency_plan(calc_name: str, changes: int):
    """A numeric input of the form and N values whose consecutive outputs show different text (or None)."""
    from calculators import get
    from calculators.page.compute import compute as compute_dict

    calc = get(calc_name)
    for inp in calc.numeric_inputs():
        lo, hi, d = float(inp.min), float(inp.max), float(inp.default)
        a, b = (max(lo, d / 2), min(hi, d * 2)) if d > 0 else (lo, min(hi, lo + 100))
        if b <= a:
            continue
        vals = []
        for k in range(changes):
            frac = (k // 2) / max(1, changes)
            x = a + (b - a) * ((0.05 + 0.4 * frac) if k % 2 == 0 else (0.55 + 0.4 * frac))
            vals.append(str(round(x)) if inp.type == "int" else f"{x:.6g}")
        for out in [calc.headline] + [o.name for o in calc.outputs if o.name != calc.headline]:
            texts = []
            for v in vals:
                r = compute_dict(calc.name, {inp.name: v})
                if not r["ok"]:
                    break
                texts.append(r["outputs"][out]["text"])
            if len(texts) == len(vals) and all(x != y for x, y in zip(texts, texts[1:], strict=False)):
                start = compute_dict(calc.name, {})["outputs"][out]["text"]
                if texts[0] != start:
                    return inp.name, out, vals, texts
    return None


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[max(0, math.ceil(q * len(xs)) - 1)]


class Table:
    def __init__(self):
        self.rows: list[str] = []
        self.failed: list[str] = []

    def row(self, measure: str, result: str, target: str = "", ok: bool | None = None):
        mark = "" if ok is None else ("✅ pass" if ok else "❌ fail")
        if ok is False:
            self.failed.append(measure)
        self.rows.append(f"| {measure} | {result} | {target} | {mark} |")


def _spread(xs: list[float]) -> str:
    return f"{min(xs) / 1000:.2f}–{max(xs) / 1000:.2f} s"


def measure_boot(b: Browser, t: Table, calc_page: str, runs: int):
    log(f"(a) cold boots: {calc_page}, the same from the snapshot, bare npm Pyodide: {runs} each, alternating")
    b.time_to_live(calc_page), b.time_to_live(BARE)  # warm the OS file cache; discarded
    b.boots.clear()
    kinds = {"page": [], "snapshot": [], "bare": []}
    order = [("page", calc_page, False), ("snapshot", calc_page, True), ("bare", BARE, False)]
    for k in range(runs):
        for kind, path, snap in order[k % 3 :] + order[: k % 3]:
            kinds[kind].append(b.time_to_live(path, snapshot=snap))
    mc, ms, mb = (statistics.median(kinds[k]) for k in ("page", "snapshot", "bare"))
    t.row(
        f"(a) time to live widget ÷ bare npm Pyodide boot ({calc_page}, median of {runs})",
        f"**{mc / mb:.3f}** ({mc / 1000:.2f} s ÷ {mb / 1000:.2f} s)",
        "≤ 1.00 (stretch 0.5)",
        mc / mb <= 1.00,
    )
    t.row("(a) the same page booting from the memory snapshot ÷ bare", f"{ms / mb:.3f} ({ms / 1000:.2f} s)")
    t.row("(a) min–max: page / snapshot / bare", " / ".join(_spread(kinds[k]) for k in ("page", "snapshot", "bare")))
    for path in ("boot", "snapshot"):
        phases = [x["phases"] for x in b.boots if x["path"] == path and x.get("phases")]
        if phases:
            medians = ", ".join(f"{k} {statistics.median(ph[k] for ph in phases) / 1000:.2f} s" for k in phases[0])
            t.row(f"(a) site worker's phases booting {'normally' if path == 'boot' else 'from the snapshot'}", medians)


def measure_throttled(b: Browser, t: Table, calc_page: str, runs: int):
    log(f"(a') throttled (20 Mbit/s, 40 ms): {calc_page} and from the snapshot, {runs} each, alternating")
    page, snap = [], []
    for k in range(runs):
        for acc, s in [(page, False), (snap, True)][:: 1 if k % 2 == 0 else -1]:
            acc.append(b.time_to_live(calc_page, snapshot=s, throttle=True))
    mp, msn = statistics.median(page), statistics.median(snap)
    t.row(
        f"(a') time to live widget at 20 Mbit/s, 40 ms ({calc_page}, median of {runs})",
        f"**{mp / 1000:.2f} s** ({_spread(page)})",
        "≤ 5 s",
        mp <= 5000,
    )
    t.row("(a') the same from the memory snapshot", f"{msn / 1000:.2f} s ({_spread(snap)})")


def measure_repeat(b: Browser, t: Table, calc_page: str, snapshot_path: str, runs: int):
    """Returning readers, the rule's case: in one context, visit 1 (first), visit 2 (runtime from the HTTP cache,
    normal boot; fetches the snapshot once live), visit 3 (the snapshot from the cache)."""
    log(f"(a'') repeat visits of {calc_page}: {runs} contexts of three visits each")
    warm, snap, paths = [], [], []
    for _ in range(runs):
        ctx, page = b.page()
        seen = len(Counted.taken()[1])
        try:
            for visit in range(3):
                if visit == 1:  # the returning visit: once live, its worker fetches the snapshot into the cache;
                    # the next visit waits until the browser has it all (the server having sent it is not enough)
                    def is_snapshot(r):
                        return urlsplit(r.url).path.endswith("/" + Path(snapshot_path).name)

                    with ctx.expect_event("requestfinished", is_snapshot, timeout=BOOT_TIMEOUT_MS):
                        page.goto(b.base + calc_page)
                        boot = b.wait_live(page, calc_page)
                    warm.append(page.evaluate("window.__liveAt"))
                    if snapshot_path not in Counted.taken()[1][seen:]:
                        sys.exit("bench: a returning visit never fetched the snapshot")
                    continue
                page.goto(b.base + calc_page)
                boot = b.wait_live(page, calc_page)
                if visit == 2:
                    snap.append(page.evaluate("window.__liveAt"))
                    paths.append(boot["path"])
        finally:
            ctx.close()
    t.row(
        f"(a'') returning reader, runtime cached, normal boot ({calc_page}, median of {runs})",
        f"{statistics.median(warm) / 1000:.2f} s ({_spread(warm)})",
    )
    t.row(
        "(a'') returning reader, snapshot cached (the rule: used only from the cache)",
        f"{statistics.median(snap) / 1000:.2f} s ({_spread(snap)}; booted from: {', '.join(paths)})",
    )


def measure_latency(b: Browser, t: Table, calc_page: str, calc_name: str, changes: int):
    plan = latency_plan(calc_name, changes)
    if plan is None:
        t.row(
            "(b) input → output latency", f"no numeric input of {calc_name} changes an output's text", "≤ 16 ms", False
        )
        return
    name, out, vals, _ = plan
    log(f"(b) {len(vals)} changes of {calc_name}.{name}, watching {out}")
    lat = b.latency(calc_page, plan)
    missed = sum(x is None for x in lat)
    got = [x for x in lat if x is not None]
    if got:
        med = statistics.median(got)
        t.row(
            f"(b) input → output latency, median of {len(got)} ({calc_name}.{name} → {out})",
            f"**{med:.1f} ms**",
            "≤ 16 ms",
            med <= 16 and not missed,
        )
        t.row("(b) input → output latency, p95", f"{pct(got, 0.95):.1f} ms")
    if missed:
        t.row("(b) changes whose output never showed the CLI's text (5 s)", str(missed), "0", False)


def measure_bytes(b: Browser, t: Table, calc_page: str, plain_page: str | None):
    log("(c) first-visit bytes")
    if plain_page is None:
        t.row("(c) bytes, page without calculators", "the site has no such page", "≤ 600 KB")
    else:
        n, gz, count = b.first_visit_bytes(plain_page, live=False)
        t.row(
            f"(c) bytes, page without calculators ({plain_page}; {count} files)",
            f"**{n / 1000:,.0f} KB** on the wire ({gz / 1000:,.0f} KB gzipped)",
            "≤ 600 KB",
            n <= 600_000,
        )
    n, gz, count = b.first_visit_bytes(calc_page, live=True)
    t.row(
        f"(c) bytes, page with calculators ({calc_page}; {count} files)",
        f"**{gz / 1e6:,.2f} MB gzipped** ({n / 1e6:,.2f} MB on the wire)",
        "≤ 5.0 MB gzipped",
        gz <= 5_000_000,
    )
    n, gz, count = b.first_visit_bytes(calc_page, live=True, snapshot=True)
    t.row(
        f"(c) bytes, the same booting from the memory snapshot ({count} files)",
        f"{gz / 1e6:,.2f} MB gzipped ({n / 1e6:,.2f} MB on the wire)",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="cold boots of each kind, alternating (default 7)")
    ap.add_argument("--throttled-runs", type=int, default=3, help="throttled boots of each kind (default 3)")
    ap.add_argument("--changes", type=int, default=200, help="input changes for the latency measure (default 200)")
    ap.add_argument("--skip-build", action="store_true", help="reuse site/ when it exists (no build time then)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a measure misses its target")
    ap.add_argument("--site", help="measure this copy of a build instead of site/ (implies --skip-build)")
    opts = ap.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    site = ROOT / "site"
    if opts.site:
        site = Path(opts.site).resolve()
        opts.skip_build = True
        if not (site / "index.html").is_file():
            sys.exit(f"bench: {site} holds no built site")

    # (d) build
    build_s = None
    if not opts.skip_build or not (site / "index.html").is_file():
        log("scripts/build ...")
        t0 = time.perf_counter()
        proc = subprocess.run(["scripts/build"], capture_output=True, text=True)
        build_s = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
            sys.exit(f"bench: scripts/build failed (exit {proc.returncode})")

    pyodide_dir, pages = scan(site)
    calc_pages = [p for p in pages if p[1]]
    plain_pages = [p for p in pages if not p[1]]
    if not calc_pages:
        sys.exit("bench: no page of the site has a calculator form")
    calc_page, calc_forms = min(calc_pages, key=lambda p: (len(p[1]), p[0]))
    plain_page = "/" if ("/", []) in pages else (plain_pages[0][0] if plain_pages else None)

    Counted.bench_dir = bare_page()
    snapshot_path = str(next(site.rglob("snapshot.bin")))  # as Counted records a file served
    server = static_server.start(site, handler=Counted)
    t = Table()
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            b = Browser(browser, server.url)
            measure_boot(b, t, calc_page, opts.runs)
            measure_throttled(b, t, calc_page, opts.throttled_runs)
            measure_repeat(b, t, calc_page, snapshot_path, opts.throttled_runs)
            measure_latency(b, t, calc_page, calc_forms[0], opts.changes)
            measure_bytes(b, t, calc_page, plain_page)
            browser.close()
    finally:
        server.stop()

    t.row("(d) full build (scripts/build)", f"{build_s:.1f} s" if build_s is not None else "skipped (--skip-build)")
    if b.external:
        t.row("requests to other hosts", str(len(set(b.external))), "0", False)
    print("\n| measure | result | target | |\n|---|---|---|---|")
    print("\n".join(t.rows))
    print(
        "\nKB = 1000 bytes of response bodies. On the wire: as the bench server sends them (a file's .br sibling when "
        "the build wrote one, other text gzipped on the fly); gzipped: what a host serving gzip only would send. "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end; chromium {CHROMIUM}."
    )
    return 1 if t.failed and opts.strict else 0


if __name__ == "__main__":
    sys.exit(main())
