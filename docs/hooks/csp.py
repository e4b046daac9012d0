"""MkDocs hook: a strict Content-Security-Policy for the built site, with the hashes of its inline scripts and styles.

The policy (POLICY below) allows scripts, styles, workers and fetches from the site's own origin only, and nothing
inline except the exact inline scripts and <style> blocks that the build itself wrote: Material for MkDocs' few
inline scripts (its localStorage helpers, the palette, content tabs), mkdocs-jupyter's (its MathJax loader, the
notebook pages' copy button) and the notebook pages' style sheets. on_post_build scans every built HTML file and
adds a 'sha256-...' source for each, so a theme or plugin upgrade that changes one is picked up by the next build.
The site's own scripts are files (docs/assets/), none inline.

'wasm-unsafe-eval' lets Pyodide compile its WebAssembly; nothing needs 'unsafe-eval' (Pyodide's JavaScript only
evaluates code when a package with compiled extensions brings EM_ASM snippets, and the calculators are pure Python).

Written to:
- site/_headers: the policy as an HTTP header for every path (Netlify and Cloudflare Pages read this file), and a
  year's caching for the runtime's content-addressed files (CACHED: a path there never holds other bytes);
- site/csp.txt: the policy alone, one line (scripts/static_server.py sends it when _headers sets none; other hosts can
  paste it into their configuration);
- a <meta http-equiv="Content-Security-Policy"> at the top of every page's <head> (for hosts that cannot send
  headers, such as GitHub Pages), without frame-ancestors, which a <meta> policy cannot carry. A <meta> policy does
  not reach workers and starts only where it stands, hence first in <head>. Not added under `mkdocs serve`, whose
  live-reload script is inline; CSP_META=0 leaves it out of a build.

A style="..." attribute in the built HTML is allowed by its hash with 'unsafe-hashes' (none is written today); an
inline event handler (onclick="...") or a javascript: URL fails the build: move it into a script file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import os
import re
from html.parser import HTMLParser
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.csp")

BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'none'"],
}
NOT_IN_META = ("frame-ancestors", "report-uri", "report-to", "sandbox")  # ignored (with an error) in a <meta> policy
HEADERS_FILE = "_headers"
# docs/hooks/runtime.py names each runtime directory by the hash of what it holds
CACHED = {"/assets/pyodide/:hash/*": "public, max-age=31536000, immutable"}
POLICY_FILE = "csp.txt"
SKIP_DIRS = ("assets/pyodide/", "assets/vendor/")  # vendored runtimes: nothing there is a page

# Script types a browser runs (anything else, e.g. application/json, is a data block that CSP does not govern).
JS_TYPES = {
    "",
    "text/javascript",
    "application/javascript",
    "module",
    "text/ecmascript",
    "application/ecmascript",
    "text/jscript",
    "text/livescript",
    "application/x-javascript",
    "application/x-ecmascript",
    "text/x-javascript",
    "text/x-ecmascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
}

_ATTRS = r"""((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?"""
SCRIPT = re.compile(r"<script\b" + _ATTRS + r">(.*?)</script\s*>", re.S | re.I)
STYLE = re.compile(r"<style\b" + _ATTRS + r">(.*?)</style\s*>", re.S | re.I)
ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
META_MARK = "data-csp-meta"

_state: dict = {"command": "build"}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _attrs(text: str) -> dict[str, str]:
    out = {}
    for m in ATTR.finditer(text or ""):
        v = m.group(2)
        if v is None:
            v = ""
        elif v[:1] in "\"'":
            v = v[1:-1]
        out[m.group(1).lower()] = html.unescape(v)
    return out


class _Attributes(HTMLParser):
    """style="..." attributes, inline event handlers and javascript: URLs in one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "style" and v is not None:
                self.styles.append(v)
            elif k.startswith("on") and v is not None:
                self.handlers.append(f"<{tag} {k}=...>")
            elif k in ("href", "src", "action", "formaction") and v and v.strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {k}=javascript:...>")

    handle_startendtag = handle_starttag


def scan(text: str) -> dict[str, set[str]]:
    """The hashes one page needs: {"script": {...}, "style": {...}, "style-attr": {...}, "problems": {...}}."""
    found: dict[str, set[str]] = {"script": set(), "style": set(), "style-attr": set(), "problems": set()}
    for m in SCRIPT.finditer(text):
        a = _attrs(m.group(1))
        if "src" in a:
            continue
        if a.get("type", "").strip().lower() not in JS_TYPES:
            continue
        found["script"].add(sha256(m.group(2)))
    for m in STYLE.finditer(text):
        found["style"].add(sha256(m.group(2)))
    # Attributes, outside script and style contents (HTMLParser knows where those are).
    p = _Attributes()
    p.feed(text)
    p.close()
    found["style-attr"].update(sha256(s) for s in p.styles)
    found["problems"].update(p.handlers)
    return found


def policy_text(policy: dict[str, list[str]], meta: bool = False) -> str:
    return "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items() if not (meta and k in NOT_IN_META))


def build_policy(pages: list[Path]) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    found: dict[str, set[str]] = {"script": set(), "style": set(), "style-attr": set(), "problems": set()}
    problems: dict[str, set[str]] = {}
    for f in pages:
        one = scan(f.read_text(encoding="utf-8", errors="replace"))
        for k in ("script", "style", "style-attr"):
            found[k] |= one[k]
        if one["problems"]:
            problems[str(f)] = one["problems"]
    policy = {k: list(v) for k, v in BASE_POLICY.items()}
    policy["script-src"] += sorted(found["script"])
    policy["style-src"] += sorted(found["style"])
    if found["style-attr"]:
        policy["style-src"] += ["'unsafe-hashes'", *sorted(found["style-attr"])]
    return policy, problems


def _pages(site: Path) -> list[Path]:
    out = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        if any(rel.startswith(d) for d in SKIP_DIRS):
            continue
        out.append(f)
    return out


META_AFTER = re.compile(r"<meta\s+charset=[^>]*>", re.I)


def add_meta(text: str, meta_policy: str) -> str:
    """Put the policy's <meta> first in <head> (after <meta charset>), replacing one an earlier build put there."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(meta_policy, quote=False)}" {META_MARK}>'
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*\s' + META_MARK + r">\s*", "", text)
    m = META_AFTER.search(text)
    if m is None:
        m = re.search(r"<head\b[^>]*>", text, re.I)
        if m is None:
            return text
    return text[: m.end()] + "\n    " + tag + text[m.end() :]


# ----------------------------------------------------------------------------------------------------------------------
# MkDocs events


def on_startup(command, dirty=False, **kwargs):
    _state["command"] = command


def on_post_build(config, **kwargs):
    from mkdocs.exceptions import PluginError

    site = Path(config["site_dir"])
    pages = _pages(site)
    policy, problems = build_policy(pages)
    if problems:
        shown = "; ".join(f"{Path(f).relative_to(site)}: {', '.join(sorted(p))}" for f, p in sorted(problems.items()))
        raise PluginError(
            f"csp: inline event handlers or javascript: URLs cannot run under the site's "
            f"Content-Security-Policy; move them into a script file ({shown[:1500]})"
        )
    header = policy_text(policy)
    (site / POLICY_FILE).write_text(header + "\n", encoding="utf-8")
    (site / HEADERS_FILE).write_text(
        "# Generated by docs/hooks/csp.py: the site's Content-Security-Policy, for every path.\n"
        "# Netlify and Cloudflare Pages read this file, and so does scripts/serve (scripts/static_server.py).\n"
        "/*\n"
        f"  Content-Security-Policy: {header}\n"
        + "".join(f"{path}\n  Cache-Control: {value}\n" for path, value in CACHED.items()),
        encoding="utf-8",
    )
    use_meta = _state["command"] != "serve" and os.environ.get("CSP_META", "1") != "0"
    if use_meta:
        meta_policy = policy_text(policy, meta=True)
        for f in pages:
            text = f.read_text(encoding="utf-8")
            new = add_meta(text, meta_policy)
            if new != text:
                f.write_text(new, encoding="utf-8")
    n_hashes = sum(len(v) for k, v in policy.items() if k in ("script-src", "style-src")) - 3
    log.info(
        "csp: policy with %d hashes in %s and %s%s",
        n_hashes,
        HEADERS_FILE,
        POLICY_FILE,
        ", and a <meta> in every page" if use_meta else "",
    )
