"""MkDocs hook: reference sections generated from data, so none of them is typed by hand.

A page places a marker (an HTML comment, invisible if the hook is absent) on a line of its own:

    <!-- bibliography -->   every source in calculators/data/sources*.json, with an anchor per id (#src-ID)
    <!-- glossary -->       every abbreviation in docs/includes/abbreviations.md (the same file gives hover text)
    <!-- formulas -->       every calculator: its outputs' formulas and its inputs' defaults with their sources

The calculators package is the one docs/hooks/calc_pages.py imported for this build; the formulas are derived from
each calculator's function (Calculator.formulas(), for the default inputs).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
ABBREVIATIONS = ROOT / "docs" / "includes" / "abbreviations.md"
MARKER = re.compile(r"^<!--\s*(bibliography|glossary|formulas)\s*-->\s*$", re.M)
KINDS = {  # how the bibliography groups its entries (data/sources*.json "kind")
    "paper": "Papers and technical reports",
    "model-card": "Model cards and repositories",
    "config": "Model configurations",
    "code": "Model configurations",
    "datasheet": "Hardware",
    "pricing": "Prices",
    "estimate": "Estimates by third parties",
    "blog": "Articles and commentary",
    "press": "Articles and commentary",
    "convention": "This site",
}


def _calculators():
    mod = sys.modules.get("calculators")
    if mod is None:
        raise PluginError("reference hook: the calc_pages hook must run first (mkdocs.yml hooks order)")
    return mod


def _md(text: str) -> str:
    """Text from data, safe inside Markdown table cells and list items."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("*", "\\*").replace("_", "\\_")


def bibliography() -> str:
    core = _calculators().core
    groups: dict[str, list[str]] = {}
    for sid, s in sorted(core.sources().items(), key=lambda kv: kv[1].get("title", "").lower()):
        if s.get("kind") == "convention":
            continue
        group = KINDS.get(s.get("kind", ""), "Other")
        authors = f"{_md(s['authors'])}, " if s.get("authors") else ""
        year = f" ({s['year']})" if s.get("year") else ""
        groups.setdefault(group, []).append(
            f'- <span id="src-{sid}"></span>{authors}[{_md(s["title"])}]({s["url"]}){year}. <small>`{sid}`</small>'
        )
    order = list(dict.fromkeys(KINDS.values())) + ["Other"]
    out = []
    for g in order:
        if g in groups:
            out += [f"## {g}", "", *groups[g], ""]
    return "\n".join(out)


def abbreviations() -> list[tuple[str, str]]:
    rows = []
    for line in ABBREVIATIONS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\*\[(.+?)\]:\s*(.+)$", line)
        if m:
            rows.append((m.group(1), m.group(2)))
    if not rows:
        raise PluginError(f"reference hook: no abbreviations found in {ABBREVIATIONS}")
    return rows


def glossary() -> str:
    rows = sorted(abbreviations(), key=lambda r: r[0].lower())
    return "\n".join(["| Term | Meaning |", "|---|---|", *(f"| {_md(a)} | {_md(b)} |" for a, b in rows)])


def formulas() -> str:
    out = []
    for calc in _calculators().all().values():
        out += [
            f"### {_md(calc.title)} {{#formulas-{calc.name}}}",
            "",
            f"{_md(calc.summary)} Calculator: [{calc.name}](calculators/{calc.name}.md); "
            f"command line: `python -m calculators {calc.name} --help`.",
            "",
            "| Output | Unit | Formula |",
            "|---|---|---|",
        ]
        formula = calc.formulas()
        out += [
            f"| {_md(o.label)} (`{o.name}`) | {_md(o.unit)} | {_md(formula.get(o.name, '')) or '—'} |"
            for o in calc.outputs
        ]
        out += ["", "| Input | Unit | Default from |", "|---|---|---|"]
        for i in calc.inputs:
            url = i.source.url if "://" in i.source.url else "#conventions"  # the site's own conventions: this page
            out.append(
                f"| {_md(i.label)} (`{i.name}`) | {_md(i.unit) or '—'} | "
                f"[{_md(i.source.title)}]({url}), {_md(i.source.where)} |"
            )
        out.append("")
    return "\n".join(out)


def on_page_markdown(markdown: str, page, config, files, **kwargs):
    if "<!--" not in markdown:
        return markdown

    def repl(m: re.Match) -> str:
        kind = m.group(1)
        if kind == "bibliography":
            return bibliography()
        if kind == "glossary":
            return glossary()
        if page.file.src_uri != "methods.md":
            raise PluginError(f"{page.file.src_uri}: <!-- formulas --> links calculators/ relative to methods.md")
        # Kept out of the search index, which every page downloads: it repeats each calculator's declaration.
        return f"<div data-search-exclude markdown>\n\n{formulas()}\n\n</div>"

    return MARKER.sub(repl, markdown)
