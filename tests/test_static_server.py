"""scripts/static_server.py: the _headers rules (Netlify/Cloudflare Pages' documented format), the policy from
csp.txt, the content types Pyodide needs, against a real server on a free port."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import static_server  # scripts/ is not a package: found through the path set above

HEADERS = """# a comment
/*
  X-Frame-Options: DENY
  Content-Security-Policy: default-src 'self'

/assets/*
  Cache-Control: public, max-age=31536000
  ! X-Frame-Options

/calculators/:name/
  X-Calculator-Page: yes
  Cache-Control: no-cache

https://preview.example.com/*
  X-Robots-Tag: noindex
"""


def test_rules_match_paths_as_the_hosts_document():
    rules = static_server.parse_headers(HEADERS)
    assert [r.pattern for r in rules] == ["/*", "/assets/*", "/calculators/:name/"]  # another host's rule dropped
    assert static_server.headers_for(rules, "/") == {
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'self'",
    }
    # `! Name` detaches a header an earlier rule set; `*` spans slashes
    assert static_server.headers_for(rules, "/assets/pyodide/pyodide.asm.wasm") == {
        "Content-Security-Policy": "default-src 'self'",
        "Cache-Control": "public, max-age=31536000",
    }
    # `:name` is one path segment; a header set by two rules is joined with ", "
    page = static_server.headers_for(rules, "/calculators/kv-cache/")
    assert page["X-Calculator-Page"] == "yes" and page["X-Frame-Options"] == "DENY"
    assert "X-Calculator-Page" not in static_server.headers_for(rules, "/calculators/a/b/")
    combined = static_server.parse_headers(HEADERS + "\n/calculators/*\n  Cache-Control: private\n")
    assert static_server.headers_for(combined, "/calculators/kv-cache/")["Cache-Control"] == "no-cache, private"


def test_malformed_headers_file_is_an_error():
    with pytest.raises(ValueError, match="line 1: a header before any path"):
        static_server.parse_headers("  X-A: b\n")
    with pytest.raises(ValueError, match="line 2: not 'Name: value'"):
        static_server.parse_headers("/*\n  just words\n")


def test_content_types():
    ct = static_server.content_type
    assert ct("a/pyodide.mjs") == "text/javascript; charset=utf-8"
    assert ct("calc.js") == "text/javascript; charset=utf-8"
    assert ct("pyodide.asm.wasm") == "application/wasm"
    assert ct("pyodide-lock.json") == "application/json; charset=utf-8"
    assert ct("why_r1-0.1.0-py3-none-any.whl") == ct("python_stdlib.zip") == "application/zip"
    assert ct("x.tar.gz") == "application/gzip"
    assert ct("sitemap.xml") == "application/xml; charset=utf-8"
    assert ct("logo.svg") == "image/svg+xml; charset=utf-8"
    assert ct("index.html") == "text/html; charset=utf-8"
    assert ct("style.CSS") == "text/css; charset=utf-8"
    assert ct("blob.unknownext") == "application/octet-stream"


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_server_sends_rules_and_policy(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "m.wasm").write_bytes(b"\0asm")
    (tmp_path / "csp.txt").write_text("default-src 'none'\n", encoding="utf-8")
    server = static_server.start(tmp_path)
    try:
        # no _headers: the policy from csp.txt on every response, errors included
        status, headers, body = _get(server.url + "/")
        assert status == 200 and body.startswith(b"<!doctype html>")
        assert headers["Content-Security-Policy"] == "default-src 'none'"
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        status, headers, _ = _get(server.url + "/missing")
        assert status == 404 and headers["Content-Security-Policy"] == "default-src 'none'"

        # _headers, once written, is read (a rebuild changes it); its policy wins over csp.txt's
        (tmp_path / "_headers").write_text(HEADERS, encoding="utf-8")
        status, headers, _ = _get(server.url + "/assets/m.wasm")
        assert headers["Content-Type"] == "application/wasm"
        assert headers["Content-Security-Policy"] == "default-src 'self'"
        assert headers["Cache-Control"] == "public, max-age=31536000" and "X-Frame-Options" not in headers
        assert _get(server.url + "/")[1]["X-Frame-Options"] == "DENY"
    finally:
        server.stop()


def test_no_csp_sends_no_policy(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "csp.txt").write_text("default-src 'none'", encoding="utf-8")
    (tmp_path / "_headers").write_text(HEADERS, encoding="utf-8")
    server = static_server.start(tmp_path, csp=False)
    try:
        _, headers, _ = _get(server.url + "/")
        assert "Content-Security-Policy" not in headers and headers["X-Frame-Options"] == "DENY"
        assert not server.site_headers.sends_policy()
    finally:
        server.stop()


def _get_encoded(url: str, accept: str | None):
    req = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(req) as r:
        return r.status, dict(r.headers), r.read()


def test_precompressed_siblings_and_text_compressed_on_the_fly(tmp_path):
    import gzip

    wasm = bytes(range(256)) * 64
    (tmp_path / "index.html").write_text("<!doctype html>" + "<p>words</p>" * 500, encoding="utf-8")
    (tmp_path / "m.wasm").write_bytes(wasm)
    (tmp_path / "m.wasm.br").write_bytes(b"brotli bytes")  # the server sends the sibling; it does not decode it
    (tmp_path / "m.wasm.gz").write_bytes(gzip.compress(wasm))
    (tmp_path / "small.js").write_text("let a = 1;", encoding="utf-8")
    server = static_server.start(tmp_path)
    try:
        # the best encoding the client takes; none it refuses (q=0); the type of the file, not of its sibling
        _, h, body = _get_encoded(server.url + "/m.wasm", "gzip, deflate, br, zstd")
        assert (h["Content-Encoding"], body, h["Content-Type"]) == ("br", b"brotli bytes", "application/wasm")
        assert h["Vary"] == "Accept-Encoding" and h["Content-Length"] == str(len(body))
        _, h, body = _get_encoded(server.url + "/m.wasm", "gzip, br;q=0")
        assert h["Content-Encoding"] == "gzip" and gzip.decompress(body) == wasm
        _, h, body = _get_encoded(server.url + "/m.wasm", None)
        assert "Content-Encoding" not in h and body == wasm
        # text without a sibling: gzipped on the fly (a directory's index.html too); small files as they are
        _, h, body = _get_encoded(server.url + "/", "gzip")
        assert h["Content-Encoding"] == "gzip" and gzip.decompress(body).startswith(b"<!doctype html>")
        assert h["Content-Type"] == "text/html; charset=utf-8"
        _, h, body = _get_encoded(server.url + "/small.js", "gzip")
        assert "Content-Encoding" not in h and body == b"let a = 1;"
    finally:
        server.stop()
    plain = static_server.start(tmp_path, precompressed=False)
    try:
        _, h, body = _get_encoded(plain.url + "/m.wasm", "br, gzip")
        assert "Content-Encoding" not in h and body == wasm
    finally:
        plain.stop()
