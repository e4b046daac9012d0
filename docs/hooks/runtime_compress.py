"""The .br and .gz siblings of the runtime's files, made in the background while the rest of the site builds.

Brotli quality 11 (node's zlib: docs/hooks/pyodide_node.mjs --brotli) and gzip by zopfli (about 5% smaller than
gzip -9, for hosts that serve only gzip) up to LARGE; above it (the memory snapshot, 31 MB, which a first visit never
downloads: a returning one fetches it in the background), brotli quality 10 and node's gzip -9. Measured on the
snapshot: brotli 11 takes 62 CPU-s for 3.20 MB, 10 takes 41 CPU-s for 3.34 MB (4% more), 9 takes 6 CPU-s for 3.74 MB;
zopfli would take minutes. Each sibling is a job in its own process, so the two cores of a small machine share the
slow ones (brotli of the wasm and of the snapshot take tens of seconds each) with the pages being rendered:
runtime.py starts them as soon as a file exists and waits only when it needs a size or the files. Made once per
content: cached in .cache/runtime/files-z/DIGEST/.

The npm package's files (shared=True: the same bytes in every clone of a given Pyodide version) are also kept in a
cache of the user's, as pip and npm keep theirs, so that another clone or worktree on the machine does not spend
the ~80 CPU-seconds again: ${WHY_R1_USER_CACHE:-${XDG_CACHE_HOME:-~/.cache}/why-r1-cheap}/files-z/SETTINGS/DIGEST/,
where SETTINGS hashes this module, the node script and zopfli's version (the compressors' settings). The build's
output is the same either way; WHY_R1_USER_CACHE=off turns the shared cache off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import runtime_build
from mkdocs.exceptions import PluginError

LARGE = 20_000_000  # bytes: larger files (the snapshot) get brotli quality 10 and node's gzip -9
ZOPFLI = (
    "import sys, zopfli.gzip; "
    "open(sys.argv[2], 'wb').write(zopfli.gzip.compress(open(sys.argv[1], 'rb').read(), numiterations=1))"
)
# Threads only wait for the processes that do the work. Wide enough that no job queues (the runtime has 6 files, 2
# siblings each): the snapshot exists only once the wheel and the trace are made, and with a pool as wide as the
# cores its brotli (the longest job) waited behind the npm files' and then ran alone at the end of a cold build
# (148 s, 67 CPU-s idle on 2 cores); the cores are shared by the operating system instead.
_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="compress")


class Siblings:
    """The (FILE.br, FILE.gz) of one file, being made; result() waits for both (a failure raises PluginError)."""

    def __init__(self, br: Future, gz: Future):
        self._jobs = (br, gz)

    def result(self) -> tuple[Path, Path]:
        br, gz = (job.result() for job in self._jobs)
        return br, gz


def _command(kind: str, src: Path, out: Path) -> list[str]:
    large = src.stat().st_size > LARGE
    if kind == "br":
        return ["node", str(runtime_build.NODE_SCRIPT), "--brotli", str(src), str(out), "10" if large else "11"]
    if not large:
        return [sys.executable, "-c", ZOPFLI, str(src), str(out)]
    return ["node", str(runtime_build.NODE_SCRIPT), "--gzip", str(src), str(out)]


def _user_cache() -> Path | None:
    setting = os.environ.get("WHY_R1_USER_CACHE", "")
    if setting == "off":
        return None
    home_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    base = Path(setting) if setting else home_cache / "why-r1-cheap"
    h = hashlib.sha256(Path(__file__).read_bytes() + runtime_build.NODE_SCRIPT.read_bytes())
    h.update(f"zopfli {importlib.metadata.version('zopfli')}".encode())
    return base / "files-z" / h.hexdigest()[:12]


def _copy(src: Path, dest: Path) -> None:
    """src to dest, whole or not at all (a copy beside it, then renamed)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        shutil.copyfile(src, Path(tmp) / dest.name)
        os.replace(Path(tmp) / dest.name, dest)


def _make(kind: str, src: Path, dest: Path, shared: Path | None) -> Path:
    if not dest.is_file():
        if shared is not None and shared.is_file():
            _copy(shared, dest)
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
            out = Path(tmp) / dest.name
            proc = subprocess.run(_command(kind, src, out), capture_output=True, text=True)
            if proc.returncode != 0 or not out.is_file():
                raise PluginError(f"runtime: compressing {src.name} ({kind}) failed: {proc.stderr[-1000:]}")
            os.replace(out, dest)
    if shared is not None and not shared.is_file():  # made here, or by this clone before the shared cache existed
        try:
            _copy(dest, shared)
        except OSError:  # a read-only or full home: the build does not need the shared copy
            pass
    return dest


def start(path: Path, shared: bool = False) -> Siblings:
    """Begin making path's .br and .gz (from the cache when this content was compressed before; with shared, from
    the user's cache too, and into it)."""
    digest = runtime_build.sha256_file(path)[:24]
    cached = runtime_build.FILES / digest
    user = _user_cache() if shared else None
    jobs = []
    for kind in ("br", "gz"):
        name = f"{path.name}.{kind}"
        jobs.append(_POOL.submit(_make, kind, path, cached / name, user / digest / name if user else None))
    return Siblings(*jobs)
