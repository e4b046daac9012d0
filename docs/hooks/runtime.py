"""MkDocs hook: everything the live pages run, vendored into site/assets/ from this machine (no CDN).

- Pyodide's runtime, from .cache/npm (scripts/setup installs it): pyodide.mjs, pyodide.asm.mjs and pyodide.asm.wasm
  exactly as the npm package has them, into site/assets/pyodide/HASH/ (HASH: of those files);
- the project's wheel, built from a clean copy of the package and cached by content hash in .cache/wheel/;
- from both, made in node by runtime_build.py (cached in .cache/runtime/): the standard library trimmed to what the
  live site imports and compiled, the wheel compiled, a memory snapshot; into site/assets/pyodide/KEY/ (KEY: of
  everything they were made from), each with .br and .gz siblings; a lock file listing only the wheel
  (`pyodide lockfile add-wheels` on the npm lock's header), site/assets/pyodide/pyodide-lock.json, which the
  worker also carries inline (it fetches no lock file);
- the worker's Python (BRIDGE) and the runtime's addresses (RUNTIME), written into site/assets/calc-worker.js;
- Chart.js (npm `chart.js`, pinned in scripts/setup's NPM_PACKAGES), with its licence, into site/assets/vendor/.
  Nothing links to it: docs/assets/calc-charts.js adds it to a page only when the page has a chart figure.

The HASH and KEY paths never hold different bytes, so site/_headers (docs/hooks/csp.py) lets browsers keep them for
a year. config.extra.calc.build versions calc.js, the worker, calc.css (?v=...), and config.extra.charts.build
calc-charts.js, its stylesheet and the chart library, so that a browser never mixes a new script with an old
runtime from its cache. config.extra.calc.files holds the runtime's addresses (the theme's preload hints),
config.extra.calc.download the runtime's size on a first visit, gzipped, as the forms' booting notice states it
(str() of it waits for the .gz siblings, which are made in the background: the calc_pages hook asks for it only when
the pages are written, so the pages' Markdown is converted while the runtime is being compressed).
docs/assets/calc.js and calc-worker.js only move strings between the form and Python; they hold no arithmetic and
no number formatting.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import runtime_build
import runtime_compress
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.runtime")

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / ".cache" / "npm" / "node_modules"
PYODIDE_NPM = NPM / "pyodide"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNTIME_DIR = "assets/pyodide"  # under site/
SNAPSHOT = "snapshot.bin"  # under RUNTIME_DIR/KEY/
PACKAGE = "why-r1-calculators"  # the project name in pyproject.toml: what the worker passes to loadPackage
# Under docs/, versioned by config.extra.calc.build (a file not there yet is skipped).
ASSETS = (
    "assets/calc.js",
    "assets/calc-boot.js",
    "assets/calc-worker.js",
    "assets/calc.css",
    "assets/calc-charts.js",
    "assets/calc-reader.js",
    "assets/calc-noscript.css",
)

# npm package -> (file in the package, name under site/assets/vendor/, licence file in the package)
VENDORED = {"chart.js": ("dist/chart.umd.min.js", "chart.umd.min.js", "LICENSE.md")}
VENDOR_DIR = "assets/vendor"  # under site/
CHART_ASSETS = ("assets/calc-charts.js", "assets/calc-charts.css", "assets/rebase-sitemap.js")  # under docs/

# The worker runs exactly this to answer a request (calc_call: the page API's table, calculators.page.api.API);
# the build renders the static numbers with the same functions (calculators.page.compute, through page.form and
# page.embed), so a pre-rendered number and a live one are the same strings (data-value is json.dumps of the float,
# both ways).
BRIDGE = """
from calculators.page import api, compute

calc_compute = compute.compute_json  # (name, raw_json, preset) -> JSON: what the build renders
calc_call = api.call  # (fn, args_json) -> JSON: what the worker answers (fn in calculators.page.api.API)
"""

_state: dict = {}


# ----------------------------------------------------------------------------------------------------------------------
# Build-wide setup


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p.name).encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def _package_files() -> list[Path]:
    files = [
        p
        for p in (ROOT / "calculators").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    ]
    files += [p for p in (ROOT / "pyproject.toml", ROOT / "README.md", ROOT / "LICENSE") if p.is_file()]
    return files


def _package_version(pkg: str) -> str:
    meta = NPM / pkg / "package.json"
    if not meta.is_file():
        raise PluginError(f"runtime: {pkg} is missing from {NPM}; run scripts/setup (it installs NPM_PACKAGES)")
    return json.loads(meta.read_text(encoding="utf-8"))["version"]


def _check_bridge() -> None:
    """Run BRIDGE here, against the package the calculators hook imported, so a broken bridge fails the build."""
    ns: dict = {}
    try:
        exec(BRIDGE, ns)
        json.loads(ns["calc_call"]("compute", json.dumps(["training-cost", {}, None])))
        json.loads(ns["calc_compute"]("training-cost", "{}", None))
    except Exception as e:
        raise PluginError(f"runtime: the worker's Python bridge fails: {e.__class__.__name__}: {e}") from e


def on_config(config, **kwargs):
    if "calculators" not in sys.modules:
        raise PluginError("runtime: the calc_pages hook must run first (mkdocs.yml hooks order)")
    _check_bridge()
    missing = [f for f in RUNTIME_FILES if not (PYODIDE_NPM / f).is_file()]
    if missing:
        raise PluginError(
            f"runtime: Pyodide's runtime is missing from {PYODIDE_NPM} ({', '.join(missing)}); run scripts/setup"
        )
    docs = Path(config["docs_dir"])
    pkg_hash = _hash_files(_package_files())
    asset_hash = _hash_files(
        [docs / a for a in ASSETS if (docs / a).is_file()] + [PYODIDE_NPM / "package.json", Path(__file__)]
    )
    _state["pkg_hash"] = pkg_hash
    runtime = _runtime()
    # the worker carries the runtime's addresses: a new runtime, a new ?v= for the scripts that reach it
    build_id = hashlib.sha256((pkg_hash + asset_hash + json.dumps(runtime["urls"])).encode()).hexdigest()[:12]
    _state["build_id"] = build_id
    config["extra"]["calc"] = {
        "build": build_id,
        "runtime": RUNTIME_DIR,
        "download": runtime["download"],
        "files": runtime["urls"],
    }

    h = hashlib.sha256()
    versions = {}
    for pkg, (src, _dest, _licence) in VENDORED.items():
        versions[pkg] = _package_version(pkg)
        if not (NPM / pkg / src).is_file():
            raise PluginError(f"runtime: {pkg}@{versions[pkg]} has no {src}; run scripts/setup")
        h.update(f"{pkg}@{versions[pkg]}\0".encode())
    for a in CHART_ASSETS:
        p = docs / a
        if p.is_file():
            h.update(a.encode() + b"\0" + p.read_bytes() + b"\0")
    config["extra"]["charts"] = {"build": h.hexdigest()[:12], "versions": versions}
    return config


# ----------------------------------------------------------------------------------------------------------------------
# The wheel and Pyodide's files, registered in the copied lock file


def _build_wheel() -> Path:
    """The project's wheel, built from a clean copy of the package (cached by content in .cache/wheel/)."""
    pkg_hash = _state["pkg_hash"]
    cache = ROOT / ".cache" / "wheel" / pkg_hash[:16]
    found = sorted(cache.glob("*.whl")) if cache.is_dir() else []
    if found:
        return found[0]
    with tempfile.TemporaryDirectory(prefix="calc-wheel-") as tmp:
        srcdir = Path(tmp) / "src"
        srcdir.mkdir()
        for p in _package_files():
            dest = srcdir / p.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dest)
        outdir = Path(tmp) / "dist"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}  # 1980: reproducible zip timestamps
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(srcdir)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        )
        wheels = sorted(outdir.glob("*.whl"))
        if proc.returncode != 0 or len(wheels) != 1:
            raise PluginError("runtime: building the wheel failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
        cache.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{cache.name}-", dir=cache.parent))
        shutil.copy2(wheels[0], staging / wheels[0].name)
        try:
            staging.rename(cache)
        except OSError:  # another build got there first
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(cache.glob("*.whl"))[0]


def _sri(path: Path) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(runtime_build.sha256_file(path))).decode()


def _runtime() -> dict:
    """The runtime's files (built or from the cache), where the site serves them, and what a first visit downloads."""
    npm = [PYODIDE_NPM / f for f in runtime_build.NPM_FILES]
    npm_dir = f"{RUNTIME_DIR}/{_hash_files(npm)[:16]}"  # the npm files' own hash: a new Pyodide, a new path
    # in the background from now on (the npm files' from the user's cache when another clone made them)
    siblings = {f"{npm_dir}/{p.name}": runtime_compress.start(p, shared=True) for p in npm}
    wheel = _build_wheel()
    art = runtime_build.artifacts(PYODIDE_NPM, wheel, BRIDGE)
    key_dir = f"{RUNTIME_DIR}/{art.stdlib.parent.name}"  # everything the trimmed files were made from
    files = {f"{npm_dir}/{p.name}": p for p in npm}
    files.update({f"{key_dir}/{p.name}": p for p in (art.stdlib, art.wheel, art.snapshot)})
    siblings.update({f"{key_dir}/{p.name}": runtime_compress.start(p) for p in (art.stdlib, art.wheel, art.snapshot)})
    first_visit = [f"{npm_dir}/{f}" for f in runtime_build.NPM_FILES] + [
        f"{key_dir}/{art.stdlib.name}",
        f"{key_dir}/{art.wheel.name}",
    ]
    urls = {
        "index": npm_dir + "/",
        "wasm": f"{npm_dir}/pyodide.asm.wasm",
        "stdlib": f"{key_dir}/{art.stdlib.name}",
        "wheel": f"{key_dir}/{art.wheel.name}",
        "snapshot": f"{key_dir}/{SNAPSHOT}",
        "wheel_integrity": _sri(art.wheel),
        "snapshot_integrity": _sri(art.snapshot),
    }
    _state["runtime"] = {"files": files, "siblings": siblings, "art": art, "urls": urls}
    return {"urls": urls, "download": FirstVisit([siblings[u] for u in first_visit])}


class FirstVisit:
    """What a first visit downloads, gzipped, as the booting notice states it ("4.9 MB"). str() waits for the first
    visit's .gz siblings only (made in the background); the snapshot's are waited for when the site is written."""

    def __init__(self, siblings: list[runtime_compress.Siblings]):
        self._siblings = siblings
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            total = sum(s.result()[1].stat().st_size for s in self._siblings)
            self._text = sys.modules["calculators"].fmt(total, "bytes").split(" (")[0]
        return self._text


def _vendor_pyodide(site: Path) -> Path:
    rt = _state["runtime"]
    runtime = site / RUNTIME_DIR
    if runtime.exists():
        shutil.rmtree(runtime)
    runtime.mkdir(parents=True)
    for url, src in rt["files"].items():
        dest = site / url
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        for sib in rt["siblings"][url].result():
            shutil.copyfile(sib, dest.with_name(dest.name + sib.suffix))
    # The lock file: the npm lock's header and the one package the worker loads (it carries the same text inline).
    empty = runtime / ".empty-lock.json"
    empty.write_text(json.dumps(runtime_build.empty_lock(PYODIDE_NPM)), encoding="utf-8")
    wheel = site / rt["urls"]["wheel"]
    pyodide_cli = Path(sys.executable).with_name("pyodide")
    cmd = [
        str(pyodide_cli) if pyodide_cli.exists() else "pyodide",
        "lockfile",
        "add-wheels",
        "--input",
        str(empty),
        "--output",
        str(runtime / "pyodide-lock.json"),
        "--base-path",
        str(runtime),
        str(wheel),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    empty.unlink()
    if proc.returncode != 0:
        raise PluginError("runtime: pyodide lockfile add-wheels failed:\n" + proc.stdout[-2000:] + proc.stderr[-2000:])
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    entry = lock["packages"].get(PACKAGE)
    expect = wheel.relative_to(runtime).as_posix()
    if set(lock["packages"]) != {PACKAGE} or entry["file_name"] != expect:
        raise PluginError(
            f"runtime: the copied pyodide-lock.json should list only {PACKAGE} as {expect} "
            f"(found {sorted(lock['packages'])}, {entry and entry.get('file_name')!r})"
        )
    _state["lock"] = lock
    return wheel


def _write_worker(site: Path) -> None:
    """BRIDGE and RUNTIME (the runtime's addresses, relative to the worker, and the lock file) into the worker."""
    worker = site / "assets" / "calc-worker.js"
    text = worker.read_text(encoding="utf-8")
    for mark in ('"__CALC_BRIDGE__"', '"__CALC_RUNTIME__"'):
        if mark not in text:
            raise PluginError(f"runtime: {worker} has no {mark} placeholder")
    urls = _state["runtime"]["urls"]
    paths = ("index", "wasm", "stdlib", "wheel", "snapshot")
    rel = {k: (v.removeprefix("assets/") if k in paths else v) for k, v in urls.items()}
    runtime = {**rel, "lock": _state["lock"], "check": _snapshot_check()}
    text = text.replace('"__CALC_BRIDGE__"', json.dumps(BRIDGE)).replace('"__CALC_RUNTIME__"', json.dumps(runtime))
    worker.write_text(text, encoding="utf-8")


def _snapshot_check() -> dict:
    """A call the worker makes after restoring the snapshot, and CPython's answer: any difference, a normal boot."""
    call = ["compute", ["training-cost", {}, None]]
    return {"fn": call[0], "args": call[1], "answer": runtime_build.cpython_answers([call])[0]}


def _vendor_charts(site: Path) -> None:
    dest_dir = site / VENDOR_DIR
    if dest_dir.exists():
        shutil.rmtree(dest_dir)
    dest_dir.mkdir(parents=True)
    for pkg, (src, dest, licence) in VENDORED.items():
        text = (NPM / pkg / src).read_text(encoding="utf-8")
        # The source map is not shipped: drop the comment that would make a browser's devtools ask for it.
        lines = text.rstrip("\n").split("\n")
        if lines and lines[-1].startswith("//# sourceMappingURL="):
            lines.pop()
        (dest_dir / dest).write_text("\n".join(lines) + "\n", encoding="utf-8")
        lic = NPM / pkg / licence
        if lic.is_file():
            shutil.copy2(lic, dest_dir / f"{Path(dest).name.split('.')[0]}.LICENSE.md")
        log.info("runtime: %s@%s -> %s/%s", pkg, _package_version(pkg), VENDOR_DIR, dest)


def on_post_build(config, **kwargs):
    site = Path(config["site_dir"])
    wheel = _vendor_pyodide(site)
    _write_worker(site)
    _vendor_charts(site)
    log.info("runtime: Pyodide and %s in %s (build %s)", wheel.name, site / RUNTIME_DIR, _state["build_id"])
