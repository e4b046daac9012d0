"""The runtime's compressed siblings (docs/hooks/runtime_compress.py): made by the real compressors, kept per content
in the clone's cache, and, for the npm package's files, shared through the user's cache with other clones.

The shared copy must be the one a build uses when the clone's cache is empty (shown by a compressor that would
fail if it ran), and WHY_R1_USER_CACHE=off must keep the build from reading or writing it.
"""

from __future__ import annotations

import gzip

import pytest
from test_pyodide import _hook

pytestmark = pytest.mark.build_tools  # zopfli from .venv, brotli from node


@pytest.fixture
def compress(tmp_path, monkeypatch):
    module = _hook("runtime_compress")
    monkeypatch.setattr(module.runtime_build, "FILES", tmp_path / "clone" / "files-z")
    return module


def _source(tmp_path):
    src = tmp_path / "pyodide.asm.mjs"
    src.write_bytes(b"export const answer = 42;\n" * 2000)
    return src


def _broken(monkeypatch, module):
    def fail(kind, src, out):
        return ["false"]  # a compressor that exits 1: making the sibling again would fail the build

    monkeypatch.setattr(module, "_command", fail)


def test_a_shared_sibling_is_used_by_a_clone_that_has_none(compress, tmp_path, monkeypatch):
    monkeypatch.setenv("WHY_R1_USER_CACHE", str(tmp_path / "user"))
    src = _source(tmp_path)
    br, gz = compress.start(src, shared=True).result()
    assert gzip.decompress(gz.read_bytes()) == src.read_bytes()
    assert 0 < br.stat().st_size < src.stat().st_size
    shared = sorted(p.name for p in (tmp_path / "user").rglob("*") if p.is_file())
    assert shared == ["pyodide.asm.mjs.br", "pyodide.asm.mjs.gz"]

    # Another clone: its own cache empty, the compressors broken. The siblings come from the user's cache.
    monkeypatch.setattr(compress.runtime_build, "FILES", tmp_path / "other-clone" / "files-z")
    _broken(monkeypatch, compress)
    br2, gz2 = compress.start(src, shared=True).result()
    assert (br2.read_bytes(), gz2.read_bytes()) == (br.read_bytes(), gz.read_bytes())
    assert br2.parent != br.parent


def test_without_shared_or_with_the_cache_off_nothing_is_shared(compress, tmp_path, monkeypatch):
    monkeypatch.setenv("WHY_R1_USER_CACHE", str(tmp_path / "user"))
    src = _source(tmp_path)
    compress.start(src).result()  # not an npm file: the clone's cache only
    assert not (tmp_path / "user").exists()

    monkeypatch.setenv("WHY_R1_USER_CACHE", "off")
    compress.start(src, shared=True).result()
    assert not (tmp_path / "user").exists()
    monkeypatch.setattr(compress.runtime_build, "FILES", tmp_path / "other-clone" / "files-z")
    _broken(monkeypatch, compress)
    with pytest.raises(compress.PluginError, match="compressing pyodide.asm.mjs"):
        compress.start(src, shared=True).result()


def test_a_clone_that_made_them_before_the_shared_cache_shares_them(compress, tmp_path, monkeypatch):
    src = _source(tmp_path)
    monkeypatch.setenv("WHY_R1_USER_CACHE", "off")
    made = compress.start(src, shared=True).result()
    monkeypatch.setenv("WHY_R1_USER_CACHE", str(tmp_path / "user"))
    _broken(monkeypatch, compress)  # nothing is compressed again: the clone's copies are the ones shared
    assert compress.start(src, shared=True).result() == made
    shared = {p.name: p.read_bytes() for p in (tmp_path / "user").rglob("*") if p.is_file()}
    assert shared == {p.name: p.read_bytes() for p in made}
