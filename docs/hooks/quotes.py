"""MkDocs hook: every quotation on the site is checked against a stored excerpt of its source and footnoted.

A page writes a quotation as “verbatim words”[^q-ID]. calculators/data/quotes.json maps each ID to one short
excerpt of the source: {source (an id in data/sources*.json), where (table, section, page), version (which copy was
read), text (the excerpt, verbatim)}. This hook fails the build when a quotation's words are not in its excerpt, and
appends a footnote per quotation used (the excerpt, its source, place and version), so a reader sees where the words
come from. tests/test_quotes.py runs the same check over every page and over the quoted phrases in the
calculators' source notes.

A quotation matches its excerpt when its words appear there in order. Allowed: an elision (“…” or "...") between
parts, an [insertion] in square brackets (the brackets stand for the changed words), a capital or small letter at
the start of a part, typographic quotes and apostrophes, and a full stop, comma or semicolon at the end.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "calculators" / "data"

MARKED = re.compile(r'(?:“([^”]*)”|"([^"\n]*)")\[\^(q-[a-z0-9-]+)\]')  # “words”[^q-ID] (may wrap lines)
ELISION = re.compile(r"\s*(?:…|\.\.\.)\s*")
INSERTION = re.compile(r"\[[^\]]*\]")
# Quotation marks and apostrophes compare equal, whichever kind (a quotation inside a quotation changes kind).
FOLD = str.maketrans({"’": '"', "‘": '"', "'": '"', "“": '"', "”": '"', "\u2011": "-", "\u2010": "-", "\u00a0": " "})


def load_quotes() -> dict[str, dict]:
    return {k: v for k, v in json.loads((DATA / "quotes.json").read_text("utf-8")).items() if not k.startswith("_")}


def load_sources() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(DATA.glob("sources*.json")):
        out.update({k: v for k, v in json.loads(path.read_text("utf-8")).items() if not k.startswith("_")})
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(FOLD)).strip()


def matches(quote: str, excerpt: str) -> bool:
    """True when the quotation's words appear in the excerpt in order (see the module docstring for what may vary)."""
    text = _norm(excerpt)
    quote = re.sub(r"\\([\\`*_\[\]|])", r"\1", quote)  # Markdown escapes (\| \*) are not part of the words
    parts = [p for chunk in ELISION.split(_norm(quote)) for p in INSERTION.split(chunk)]
    parts = [p.strip() for p in parts if p.strip()]
    if parts:
        parts[-1] = parts[-1].rstrip(".,;:")
    pos = 0
    for part in parts:
        body = re.escape(part[1:]) if len(part) > 1 else ""
        head = (
            f"[{re.escape(part[0].upper())}{re.escape(part[0].lower())}]" if part[0].isalpha() else re.escape(part[0])
        )
        lead = r"(?<!\w)" if part[0].isalnum() else ""
        tail = r"(?!\w)" if part[-1].isalnum() else ""
        m = re.compile(lead + head + body + tail).search(text, pos)
        if not m:
            return False
        pos = m.end()
    return bool(parts)


def check_page(markdown: str, quotes: dict[str, dict]) -> list[str]:
    """Problems with the marked quotations of one page: unknown ids, and words not in the cited excerpt."""
    problems = []
    for m in MARKED.finditer(markdown):
        words, qid = " ".join((m.group(1) or m.group(2) or "").split()), m.group(3)
        if qid not in quotes:
            problems.append(f"[^{qid}] is not in calculators/data/quotes.json")
        elif not matches(words, quotes[qid]["text"]):
            problems.append(f"“{words}” is not in the excerpt stored as {qid} ({quotes[qid]['source']})")
    return problems


def _md(text: str) -> str:
    text = html.escape(" ".join(str(text).split()), quote=False)  # & < > as entities; then Markdown's own marks
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)


def footnotes(ids: list[str], quotes: dict[str, dict], sources: dict[str, dict], base: str) -> str:
    lines = []
    for qid in ids:
        q = quotes[qid]
        s = sources[q["source"]]
        url = s["url"] if "://" in s["url"] else base + s["url"]
        lines.append(
            f"[^{qid}]: “{_md(q['text'])}” [{_md(s['title'])}]({url}), {_md(q['where'])}. "
            f"Copy read: {_md(q['version'])}. [Bibliography]({base}bibliography.md#src-{q['source']})"
        )
    return "\n\n".join(lines)


def on_page_markdown(markdown: str, page, config, files, **kwargs):
    ids = list(dict.fromkeys(m.group(3) for m in MARKED.finditer(markdown)))
    if not ids:
        return markdown
    from mkdocs.exceptions import PluginError

    quotes = load_quotes()
    problems = check_page(markdown, quotes)
    if problems:
        raise PluginError(f"quotes: {page.file.src_uri}: " + "; ".join(problems))
    sources = load_sources()
    unknown = sorted({quotes[q]["source"] for q in ids} - sources.keys())
    if unknown:
        raise PluginError(f"quotes: unknown source ids in quotes.json: {unknown}")
    base = "../" * page.file.src_uri.count("/")
    return markdown.rstrip("\n") + "\n\n" + footnotes(ids, quotes, sources, base) + "\n"
