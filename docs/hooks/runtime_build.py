"""The live mode's runtime files, made at build time in node (docs/hooks/pyodide_node.mjs) and cached in .cache/.

From the npm package's Pyodide and the project's wheel (runtime.py builds it), artifacts() makes:
- python_stdlib.zip, trimmed: the standard-library modules Pyodide's start-up and the calculators import, traced
  by running every page API call (runtime_workload.py) in Pyodide with the npm package's whole standard library,
  plus every standard-library module the package's source names; each compiled to .pyc by that same Python (3.14),
  so that no module is compiled in the browser;
- the wheel with its modules compiled the same way (same name, same files, .pyc for .py, RECORD rewritten);
- a memory snapshot (Pyodide's _makeSnapshot / makeMemorySnapshot) made against exactly the files the site ships
  (npm's pyodide.asm.mjs and .wasm, the trimmed archive, the compiled wheel), once the worker's bridge has imported
  the calculators and computed each one's defaults;
- (runtime_compress.py makes the .br and .gz siblings of each, and of the npm runtime files.)
Checked before they are kept: Pyodide boots from the trimmed archive and from the snapshot, and both answer every
calculator's defaults exactly as CPython does here (a difference fails the build). tests/test_pyodide.py runs the
whole workload against them and fails if anything is imported from outside the archive.

Cached by the hash of everything that goes in (the npm files, the wheel, the bridge, the workload, this module and
the node script): .cache/runtime/KEY/.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import runtime_workload
from mkdocs.exceptions import PluginError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE_SCRIPT = HERE / "pyodide_node.mjs"
CACHE = ROOT / ".cache" / "runtime"
FILES = CACHE / "files-z"  # compressed siblings, per content
NPM_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")  # shipped as the npm package has them
NODE_TIMEOUT = 1800  # seconds: a limit for a loaded machine, not an expected time


@dataclass(frozen=True)
class Artifacts:
    stdlib: Path  # the trimmed, compiled python_stdlib.zip
    wheel: Path  # the compiled wheel
    snapshot: Path  # the memory snapshot
    trace: dict  # {"modules": [...], "failed": [...], "members": [...]} from the full standard library


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def node_job(job: dict, timeout: float = NODE_TIMEOUT) -> dict:
    """Run one pyodide_node.mjs job; its JSON report (a failure raises PluginError with node's last words)."""
    with tempfile.TemporaryDirectory(prefix="pyodide-job-") as tmp:
        f = Path(tmp) / "job.json"
        f.write_text(json.dumps(job), encoding="utf-8")
        try:
            proc = subprocess.run(
                ["node", str(NODE_SCRIPT), str(f)], capture_output=True, text=True, timeout=timeout, cwd=tmp
            )
        except FileNotFoundError as e:
            raise PluginError("runtime: node is needed to build the live mode's runtime (scripts/setup)") from e
    if proc.returncode != 0:
        # node prints the minified source line an error came from: leave it out
        tail = [ln[:300] for ln in proc.stderr.strip().splitlines() if ln.strip() and len(ln) < 2000][-25:]
        raise PluginError("runtime: Pyodide under node failed:\n" + "\n".join(tail))
    return json.loads(proc.stdout)


def empty_lock(npm: Path) -> dict:
    """The npm lock file's header with no packages: what the worker boots with (it loads nothing through it)."""
    lock = json.loads((npm / "pyodide-lock.json").read_text(encoding="utf-8"))
    return {"info": lock["info"], "packages": {}}


def cpython_answers(calls: list) -> list[str]:
    from calculators.page import api

    return [api.call(fn, json.dumps(args)) for fn, args in calls]


def _check(what: str, got: list[str], calls: list) -> None:
    want = cpython_answers(calls)
    wrong = [(c, g[:200], w[:200]) for c, g, w in zip(calls, got, want, strict=True) if g != w]
    if len(got) != len(want) or wrong:
        raise PluginError(f"runtime: {what} answers differently from CPython: {wrong[:3]}")


def artifacts(npm: Path, source_wheel: Path, bridge: str) -> Artifacts:
    """The trimmed standard library, compiled wheel and snapshot for this wheel and Pyodide (cached)."""
    h = hashlib.sha256()
    for p in [*(npm / f for f in (*NPM_FILES, "python_stdlib.zip", "pyodide-lock.json")), source_wheel]:
        h.update(p.name.encode() + b"\0" + sha256_file(p).encode() + b"\0")
    for p in (NODE_SCRIPT, Path(__file__), Path(runtime_workload.__file__)):
        h.update(p.read_bytes() + b"\0")
    h.update(bridge.encode())
    out = CACHE / h.hexdigest()[:20]
    if (out / "trace.json").is_file():
        return _load(out, source_wheel.name)

    CACHE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=CACHE))
    try:
        _make(npm, source_wheel, bridge, staging)
        try:
            staging.rename(out)
        except OSError:  # another build made it first: same inputs, same files
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _load(out, source_wheel.name)


def _load(out: Path, wheel_name: str) -> Artifacts:
    trace = json.loads((out / "trace.json").read_text(encoding="utf-8"))
    return Artifacts(out / "python_stdlib.zip", out / wheel_name, out / "snapshot.bin", trace)


def _make(npm: Path, source_wheel: Path, bridge: str, staging: Path) -> None:
    lock = staging / "empty-lock.json"
    lock.write_text(json.dumps(empty_lock(npm)), encoding="utf-8")
    calls = runtime_workload.calls()
    wheel = staging / source_wheel.name
    stdlib = staging / "python_stdlib.zip"
    base = {"runtime": str(npm), "lock": str(lock), "bridge": bridge}

    # 1. the trace, with the whole standard library and the wheel as built; it writes the compiled archive and wheel
    traced = node_job(
        {
            **base,
            "stdlib": str(npm / "python_stdlib.zip"),
            "wheel": str(source_wheel),
            "trace": True,
            "calls": calls,
            "imports": runtime_workload.stdlib_imports(),
            "stdlib_out": str(stdlib),
            "wheel_out": str(wheel),
        }
    )
    _check("Pyodide (the whole standard library)", traced["answers"], calls)

    # 2. the snapshot, from the files as shipped, after every calculator's defaults have been computed once
    import calculators

    warm = [["compute", [name, {}, None]] for name in calculators.all()]
    shipped = {**base, "stdlib": str(stdlib), "wheel": str(wheel)}
    made = node_job({**shipped, "make_snapshot": str(staging / "snapshot.bin"), "warm": warm, "calls": warm})
    _check("Pyodide (making the snapshot)", made["answers"], warm)

    # 3. both ways of booting what the site ships answer as CPython does
    with ThreadPoolExecutor(2) as pool:
        boot = pool.submit(node_job, {**shipped, "calls": warm})
        restored = pool.submit(node_job, {**shipped, "snapshot": str(staging / "snapshot.bin"), "calls": warm})
        _check("Pyodide with the trimmed standard library", boot.result()["answers"], warm)
        _check("Pyodide restored from the snapshot", restored.result()["answers"], warm)

    report = {k: traced[k] for k in ("modules", "failed", "members")}
    (staging / "trace.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
