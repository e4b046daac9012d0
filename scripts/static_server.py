"""A static file server for the built site (site/): the one scripts/serve, scripts/bench and the browser tests use.

It serves a directory the way a static host that honours the build's site/_headers would (Netlify and Cloudflare
Pages read that file; docs/hooks/csp.py writes it):
- Content types for everything the site holds, JavaScript modules and WebAssembly included (Pyodide needs
  text/javascript for .mjs and application/wasm for .wasm), text types with charset=utf-8;
- the headers of every rule in site/_headers whose path pattern matches the request (`*` matches anything, slashes
  included; `:name` one path segment; several matching rules add up, a header set twice is joined with ", ",
  `! Name` removes a header an earlier rule set; rules for another host, `https://...`, are ignored);
- the Content-Security-Policy header from site/csp.txt when no rule of _headers sets one (csp=False: none at all);
- a precompressed sibling (FILE.br, else FILE.gz, as the build writes for the runtime's files) instead of FILE when
  the request's Accept-Encoding takes that encoding, with Content-Encoding and Vary: Accept-Encoding, as hosts that
  compress (Netlify, Cloudflare Pages) send those files; other text (HTML, CSS, JavaScript, JSON, SVG, XML) over
  1 KB is gzipped on the fly, as those hosts do; precompressed=False serves every file as it is.
Both files are read again when they change (a rebuild changes the policy's hashes).

Standard library only. Quiet: nothing is logged unless log_errors (then failed requests, status 4xx/5xx, only);
a client that goes away mid-response (the tests abort requests on purpose) is not an error.

    python scripts/static_server.py [--host H] [--port P] [--no-csp] [--log-errors] [DIR]   (DIR default site/)

From Python: `server = start(Path("site"))` serves on a free port in a daemon thread; `server.url`, `server.stop()`.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import http.server
import io
import mimetypes
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

HEADERS_FILE = "_headers"
POLICY_FILE = "csp.txt"
CSP = "Content-Security-Policy"

MIME_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".map": "application/json",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".tar": "application/x-tar",
    ".gz": "application/gzip",
    ".tgz": "application/gzip",
    ".br": "application/x-brotli",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".py": "text/x-python",
    ".ipynb": "application/x-ipynb+json",
    ".pdf": "application/pdf",
}
# Text sent with an explicit charset (the build writes UTF-8 only)
CHARSET_TYPES = ("text/", "application/json", "application/manifest+json", "application/xml", "image/svg+xml")


def content_type(path: str) -> str:
    """The Content-Type for a file name: MIME_TYPES by extension, else mimetypes, else application/octet-stream."""
    suffix = Path(path).suffix.lower()
    kind = MIME_TYPES.get(suffix) or mimetypes.guess_type(path, strict=False)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith(CHARSET_TYPES) else kind


# --------------------------------------------------------------------------------------------------------------------
# site/_headers


@dataclass(frozen=True)
class Rule:
    """One block of a _headers file: a path pattern, the headers it sets and the headers it detaches (`! Name`)."""

    pattern: str
    regex: re.Pattern
    headers: tuple[tuple[str, str], ...]
    detach: tuple[str, ...]


def pattern_regex(pattern: str) -> re.Pattern:
    """`*` matches any run of characters (slashes too), `:name` one path segment; the rest literally."""
    out = []
    for token in re.split(r"(\*|:\w+)", pattern):
        if token == "*":
            out.append(".*")
        elif token.startswith(":") and len(token) > 1:
            out.append("[^/]+")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))


def parse_headers(text: str) -> list[Rule]:
    """The rules of a Netlify/Cloudflare _headers file. A header line before any path line is an error."""
    rules: list[Rule] = []
    pattern: str | None = None
    headers: list[tuple[str, str]] = []
    detach: list[str] = []

    def flush():
        if pattern is not None and pattern.startswith("/"):  # a rule for another host (https://...) is not ours
            rules.append(Rule(pattern, pattern_regex(pattern), tuple(headers), tuple(detach)))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not raw[:1].isspace():  # a path pattern starts a rule
            flush()
            pattern, headers, detach = line, [], []
            continue
        if pattern is None:
            raise ValueError(f"{HEADERS_FILE} line {number}: a header before any path: {line!r}")
        if line.startswith("!"):
            detach.append(line[1:].strip())
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"{HEADERS_FILE} line {number}: not 'Name: value': {line!r}")
        headers.append((name.strip(), value.strip()))
    flush()
    return rules


def headers_for(rules: list[Rule], path: str) -> dict[str, str]:
    """The headers the rules give a URL path, in the order first set (names compared case-insensitively)."""
    out: dict[str, tuple[str, str]] = {}  # lower-case name -> (name as written, value)
    for rule in rules:
        if not rule.regex.fullmatch(path):
            continue
        for name in rule.detach:
            out.pop(name.lower(), None)
        for name, value in rule.headers:
            key = name.lower()
            out[key] = (out[key][0], f"{out[key][1]}, {value}") if key in out else (name, value)
    return dict(out.values())


class _Watched:
    """A file's parsed contents, parsed again when its size or modification time changes (None while missing)."""

    def __init__(self, path: Path, parse):
        self.path, self.parse = path, parse
        self.stamp: tuple | None = None
        self.value = None
        self.lock = threading.Lock()

    def get(self):
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            return None
        with self.lock:
            if stamp != self.stamp:
                self.value = self.parse(self.path.read_text(encoding="utf-8"))
                self.stamp = stamp
            return self.value


class SiteHeaders:
    """The extra response headers for a served directory: its _headers rules, then csp.txt's policy."""

    def __init__(self, root: Path, csp: bool = True, rules: bool = True):
        self.csp = csp
        self.rules = _Watched(root / HEADERS_FILE, parse_headers) if rules else None
        self.policy = _Watched(root / POLICY_FILE, lambda text: text.strip()) if csp else None

    def for_path(self, path: str) -> dict[str, str]:
        out = headers_for(self.rules.get() or [], path) if self.rules else {}
        if not self.csp:
            out = {k: v for k, v in out.items() if k.lower() != CSP.lower()}
        elif not any(k.lower() == CSP.lower() for k in out):
            policy = self.policy.get()
            if policy:
                out[CSP] = policy
        return out

    def sends_policy(self) -> bool:
        return bool(self.csp and self.for_path("/").get(CSP))


# --------------------------------------------------------------------------------------------------------------------
# Server


ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # preferred first
ON_THE_FLY = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
_gzipped: dict[tuple, bytes] = {}  # (path, mtime, size) -> gzip of the file: the text a host would compress itself
_gzipped_lock = threading.Lock()


def gzipped(path: str, st) -> bytes:
    key = (path, st.st_mtime_ns, st.st_size)
    with _gzipped_lock:
        hit = _gzipped.get(key)
    if hit is None:
        with open(path, "rb") as f:
            hit = gzip.compress(f.read(), 6, mtime=0)
        with _gzipped_lock:
            _gzipped[key] = hit
    return hit


def accepted(header: str | None) -> set[str]:
    """The content codings an Accept-Encoding header takes (q=0 refuses one)."""
    out = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                out.add(name.strip().lower())
        except ValueError:
            pass
    return out


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves server.root with the server's SiteHeaders; subclass it for more (scripts/bench counts bytes)."""

    server: Server

    def __init__(self, request, client_address, server, **kwargs):
        super().__init__(request, client_address, server, directory=str(server.root), **kwargs)

    def guess_type(self, path):
        return content_type(str(path))

    def send_head(self):
        """A file's precompressed sibling when the client takes its encoding; otherwise as the base class does."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        if self.server.precompressed and os.path.isfile(path):
            takes = accepted(self.headers.get("Accept-Encoding"))
            for coding, suffix in ENCODINGS:
                if coding in takes and os.path.isfile(path + suffix):
                    f = open(path + suffix, "rb")  # closed by the base class after copyfile
                    st = os.fstat(f.fileno())
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(path))
                    self.send_header("Content-Encoding", coding)
                    self.send_header("Vary", "Accept-Encoding")
                    self.send_header("Content-Length", str(st.st_size))
                    self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
                    self.end_headers()
                    return f
            st = os.stat(path)
            kind = self.guess_type(path)
            if "gzip" in takes and kind.startswith(ON_THE_FLY) and st.st_size > 1024:
                body = gzipped(path, st)
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
                self.end_headers()
                return io.BytesIO(body)
        return super().send_head()

    def end_headers(self):
        for name, value in self.server.site_headers.for_path(unquote(urlsplit(self.path).path)).items():
            self.send_header(name, value)
        super().end_headers()

    def log_request(self, code="-", size="-"):
        if self.server.log_errors and str(getattr(code, "value", code)).startswith(("4", "5")):
            super().log_request(code, size)

    def log_message(self, format, *args):  # noqa: A002 - the base class's parameter name
        if self.server.log_errors:
            super().log_message(format, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        root: Path,
        host: str,
        port: int,
        *,
        csp=True,
        rules=True,
        precompressed=True,
        log_errors=False,
        handler=Handler,
    ):
        self.root = Path(root).resolve()
        self.precompressed = precompressed
        self.site_headers = SiteHeaders(self.root, csp=csp, rules=rules)
        self.log_errors = log_errors
        super().__init__((host, port), handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # the client went away (an aborted request)
            return
        super().handle_error(request, client_address)

    def stop(self):
        self.shutdown()
        self.server_close()


def start(root: Path, host: str = "127.0.0.1", port: int = 0, **options) -> Server:
    """A Server for root (a free port by default) running in a daemon thread; options as Server's."""
    server = Server(root, host, port, **options)
    threading.Thread(target=server.serve_forever, name=f"static-server-{server.server_port}", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="static_server.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", default="site", help="the directory to serve (default site/)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--no-csp", action="store_true", help="send no Content-Security-Policy header")
    ap.add_argument("--log-errors", action="store_true", help="log failed requests (status 4xx and 5xx)")
    opts = ap.parse_args(argv)
    root = Path(opts.root)
    if not (root / "index.html").is_file():
        print(f"static_server: {root}/ holds no index.html (is the site built? scripts/build)", file=sys.stderr)
        return 1
    server = Server(root, opts.host, opts.port, csp=not opts.no_csp, log_errors=opts.log_errors)
    if not server.site_headers.sends_policy():
        why = "--no-csp" if opts.no_csp else f"neither {POLICY_FILE} nor {HEADERS_FILE} sets one"
        print(f"static_server: no {CSP} header ({why})", file=sys.stderr)
    print(f"Serving {opts.root.rstrip('/')}/ at {server.url}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
