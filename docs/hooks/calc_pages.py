"""MkDocs hook: the calculators in the pages, pre-rendered when the site is built.

Authors write one line of Markdown, `{{ calculator("NAME", ...) }}` for a form or `{{ value("NAME", "OUTPUT", ...) }}`
for a number in the text (the syntax: calc_markdown.py). This hook
- imports calculators/ from this repository, fresh (mkdocs serve rebuilds in one process), and checks it;
- registers the Markdown extension that expands the calls (calc_markdown.CalculatorExtension), which renders them
  from the Jinja templates in docs/overrides/partials/calc/ (calc_html.py), fed by calculators.page.form and
  calculators.page.embed;
- tells the extension which page it converts next (for error messages, form ids and links relative to the page).

Every number is computed in CPython when the site is built, so the static HTML is correct with JavaScript off; the
live mode runs the same package in the browser (docs/hooks/runtime.py ships it).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import calc_markdown
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.calc_pages")

ROOT = Path(__file__).resolve().parents[2]
DOWNLOAD_MARK = "calc-runtime-download-size"  # in the forms' booting notice until on_post_page writes the size in

_state: dict = {}


def _import_calculators():
    """Import calculators/ from this repository, fresh (mkdocs serve rebuilds in one process)."""
    for mod in [m for m in sys.modules if m == "calculators" or m.startswith("calculators.")]:
        del sys.modules[mod]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        import calculators
        from calculators.page import embed, form  # noqa: F401 - what the extension calls, imported once here

        calcs = calculators.all()
    except Exception as e:
        raise PluginError(f"calculators: the package failed to import: {e.__class__.__name__}: {e}") from e
    if Path(calculators.__file__).resolve().parent != ROOT / "calculators":
        raise PluginError(f"calculators: imported {calculators.__file__}, not {ROOT / 'calculators'}")
    return calcs


def on_config(config, **kwargs):
    calcs = _import_calculators()
    for c in calcs.values():
        if any(i.name == "preset" for i in c.inputs):
            raise PluginError(f"calculators: {c.name} has an input named 'preset', which the form reserves")

    # The runtime's size, for the forms' booting notice: a mark in the Markdown's HTML, written in by on_post_page
    # (docs/hooks/runtime.py measures it in the background while the pages' Markdown is converted).
    ext = calc_markdown.CalculatorExtension(error=PluginError, download=lambda: DOWNLOAD_MARK)
    exts = config["markdown_extensions"]
    exts[:] = [e for e in exts if not isinstance(e, calc_markdown.CalculatorExtension)] + [ext]
    _state["ext"] = ext
    return config


def on_post_page(output: str, page, config, **kwargs):
    if DOWNLOAD_MARK in output:
        size = config["extra"].get("calc", {}).get("download")
        if size is None:
            raise PluginError("calculators: config.extra.calc.download is not set; docs/hooks/runtime.py must run")
        output = output.replace(DOWNLOAD_MARK, str(size))
    return output


def on_post_build(config, **kwargs):
    for path in Path(config["site_dir"]).rglob("*"):
        if path.suffix in (".html", ".json", ".js", ".xml") and DOWNLOAD_MARK in path.read_text(encoding="utf-8"):
            raise PluginError(f"calculators: {path} still holds {DOWNLOAD_MARK} (the runtime's size goes in its place)")


def on_files(files, config, **kwargs):
    _state["page_urls"] = {f.url for f in files.documentation_pages()}
    _state["warned"] = set()
    return files


def _href(page, url: str) -> str:
    """A source's URL: absolute ones as they are; site-relative ones ("methods/") made relative to this page and
    checked against the site's pages (a missing page is a warning, which fails a strict build)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith("#"):
        return url
    target = url.lstrip("/")
    if target.split("#")[0] not in _state["page_urls"]:
        msg = f"{page.file.src_uri}: a source links to {url!r}, which is not a page of this site"
        if msg not in _state["warned"]:
            _state["warned"].add(msg)
            log.warning(msg)
    return get_relative_url(target, page.url) if target else "./"


def on_page_markdown(markdown: str, page, config, files, **kwargs):
    try:  # errors name the line from the top of the file, front matter included
        source = page.file.content_string
    except Exception:  # noqa: BLE001 - only for the messages
        source = markdown
    _state["ext"].start_page(f"{config['docs_dir']}/{page.file.src_uri}", source, lambda url: _href(page, url))
    return markdown
