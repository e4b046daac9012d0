"""Every quotation on the site is checkable: its words are in a stored excerpt of the source it cites.

A page writes “words”[^q-ID]; calculators/data/quotes.json holds, for each ID, one short verbatim excerpt with its
source id, place and the version of the copy read. These tests check that

- every marked quotation on every page is found in its excerpt (docs/hooks/quotes.py: words in order, elisions and
  [insertions] allowed) and every ID exists;
- every quotation-looking span on a page (in “…” or "…", three words or more, or holding a figure) is marked, so
  no quotation escapes the check (and no figure escapes tests/test_docs_numbers.py by being put in quotation marks);
- every quoted phrase inside a source note (the `where` of a calculator input or preset, or of an entry in
  calculators/data/*.json) is in an excerpt stored for the same source;
- the store itself is sound: known source ids, a place and a version for each excerpt, no excerpt left unused.

tests/test_quotes_detect.py shows each check failing on an altered quotation.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DATA = ROOT / "calculators" / "data"
PAGES = sorted(p for p in DOCS.rglob("*.md") if not {"overrides", "includes"} & set(p.parts))

_spec = importlib.util.spec_from_file_location("quotes_hook", DOCS / "hooks" / "quotes.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)

QUOTES = hook.load_quotes()
SOURCES = hook.load_sources()

# What is not prose: code, {{ ... }} embeds, comments, front matter, HTML tags (their attributes quote), link
# targets and abbreviation definitions. Quotation marks there are syntax, not quotations.
NOT_PROSE = [
    re.compile(r"```.*?```", re.S),
    re.compile(r"~~~.*?~~~", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\A---\n.*?\n---\n", re.S),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"<[^>\n]+>"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"^\*\[[^\]]*\]:.*$", re.M),
]
SPAN = re.compile(r'“([^”]*)”(\[\^q-[a-z0-9-]+\])?|(?<![\w=])"([^"\n]+)"(\[\^q-[a-z0-9-]+\])?')
WHERE_QUOTE = re.compile(r'“([^”]+)”|"([^"]+)"')


def prose(text: str) -> str:
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def needs_marker(words: str) -> bool:
    """A quotation (not a term in quotation marks): three words or more, or a figure."""
    return len(words.split()) >= 3 or any(ch.isdigit() for ch in words)


def unmarked_quotations(markdown: str) -> list[str]:
    found = []
    for m in SPAN.finditer(prose(markdown)):
        words = " ".join((m.group(1) if m.group(1) is not None else m.group(3)).split())
        marker = m.group(2) or m.group(4)
        if not marker and needs_marker(words):
            found.append(words)
    return found


def source_notes():
    """(source id, where, origin) for every source note of the calculators and the data files."""
    import calculators

    for name, calc in calculators.all().items():
        for i in calc.inputs:
            yield i.source.id, i.source.where, f"{name} input {i.name}"
        for p in calc.presets:
            yield p.source.id, p.source.where, f"{name} preset {p.name}"

    def walk(node, origin):
        if isinstance(node, dict):
            if isinstance(node.get("id"), str) and isinstance(node.get("where"), str):
                yield node["id"], node["where"], origin
            for v in node.values():
                yield from walk(v, origin)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, origin)

    for path in sorted(DATA.glob("*.json")):
        if path.name.startswith("sources") or path.name == "quotes.json":
            continue
        yield from walk(json.loads(path.read_text("utf-8")), path.name)


def where_problems(notes, quotes) -> list[str]:
    by_source: dict[str, list[str]] = {}
    for q in quotes.values():
        by_source.setdefault(q["source"], []).append(q["text"])
    problems = []
    for sid, where, origin in notes:
        for m in WHERE_QUOTE.finditer(where):
            phrase = m.group(1) or m.group(2)
            if not any(hook.matches(phrase, text) for text in by_source.get(sid, [])):
                problems.append(f"{origin}: “{phrase}” is in no excerpt of {sid} in quotes.json")
    return problems


def used_ids() -> set[str]:
    """Quote ids marked on a page, or named as a table's caption in benchmarks.json (docs/hooks/benchmarks.py)."""
    ids = {m.group(3) for p in PAGES for m in hook.MARKED.finditer(p.read_text("utf-8"))}
    tables = json.loads((DATA / "benchmarks.json").read_text("utf-8"))
    ids |= {t["caption_quote"] for k, t in tables.items() if not k.startswith("_")}
    return ids


# ----------------------------------------------------------------------------------------------------------------------


def test_the_store_is_sound():
    assert QUOTES, "calculators/data/quotes.json holds no excerpts"
    for qid, q in QUOTES.items():
        assert re.fullmatch(r"q-[a-z0-9-]+", qid), f"{qid}: ids are q-lowercase-words"
        assert set(q) == {"source", "where", "version", "text"}, f"{qid}: keys are source, where, version, text"
        assert q["source"] in SOURCES, f"{qid}: unknown source id {q['source']!r}"
        assert q["where"].strip() and q["version"].strip() and q["text"].strip(), f"{qid}: empty field"
        assert len(q["text"]) <= 700, f"{qid}: an excerpt is one short passage, not a page"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_marked_quotations_are_in_their_excerpts(page):
    problems = hook.check_page(page.read_text("utf-8"), QUOTES)
    assert not problems, f"{page.relative_to(DOCS)}: " + "; ".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_every_quotation_is_marked(page):
    found = unmarked_quotations(page.read_text("utf-8"))
    assert not found, (
        f"{page.relative_to(DOCS)} quotes without a source excerpt: {found[:5]}; store the passage in "
        "calculators/data/quotes.json and write “words”[^q-ID], or paraphrase without quotation marks"
    )


def test_quoted_phrases_in_source_notes_are_in_excerpts_of_that_source():
    problems = where_problems(source_notes(), QUOTES)
    assert not problems, f"{len(problems)} quoted phrases in source notes are not in a stored excerpt:\n" + "\n".join(
        problems[:25]
    )


def test_every_excerpt_is_used():
    notes = list(source_notes())
    used = used_ids()
    for qid, q in QUOTES.items():
        if qid in used:
            continue
        quoted = [
            m.group(1) or m.group(2)
            for sid, where, _ in notes
            if sid == q["source"]
            for m in WHERE_QUOTE.finditer(where)
        ]
        assert any(hook.matches(p, q["text"]) for p in quoted), f"{qid} is quoted by no page and no source note"
