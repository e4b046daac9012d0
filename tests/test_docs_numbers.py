"""No figure is typed into a page by hand: numbers in prose come from the calculators via {{ value(...) }}.

Allowed: anything inside {{ ... }}, code (fenced or inline), block quotes and text in quotation marks (quoting a
source or a headline is the point), link targets, footnote and abbreviation markers, years, arXiv ids, and the
numbers that name things rather than measure them: model and GPU names (DeepSeek-V3, H800, Llama-3.1-405B, FP8),
ordinals after Table/Figure/Section/§/Appendix/Eq./page/step, and list markers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "overrides" not in p.parts)

STRIP = [
    re.compile(r"```.*?```", re.S),  # fenced code
    re.compile(r"~~~.*?~~~", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),  # {{ calculator(...) }} / {{ value(...) }}
    re.compile(r"<!--.*?-->", re.S),  # comments
    re.compile(r"^---\n.*?\n---\n", re.S),  # front matter
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"^\s*>.*$", re.M),  # block quotes
    re.compile(r"“[^”]*”"),  # quotations
    re.compile(r'"[^"\n]*"'),
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\[\^[^\]]*\]"),  # footnote markers
    re.compile(r"^\*\[[^\]]*\]:.*$", re.M),  # abbreviation definitions (text only, no figures)
    re.compile(r"^\s*(?:\d+\.|[-*+])\s", re.M),  # list markers
    re.compile(r"<[^>\n]+>"),  # html tags and their attributes
    re.compile(r"\{[#.][^}]*\}"),  # attribute lists {#id .class}
    re.compile(r"\b\d{4}\.\d{4,5}(v\d+)?\b"),  # arXiv ids
    re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b"),  # years
    re.compile(
        r"(?:Table|Tables|Figure|Fig\.|Section|Sections|§|Appendix|Eq\.|Equation|page|pp\.|p\.|step|Step|"
        r"stage|Stage|part|Part|issue|version|v|day|Day|Volume|Vol\.|No\.)\s?[A-Z]?\d+(?:\.\d+)*"
        r"(?:[–-]\d+(?:\.\d+)*)?"
    ),
    re.compile(r"\b\d+(?:\.\d+)*\s?(?:st|nd|rd|th)\b"),  # ordinals
    re.compile(r"[A-Za-z][\w.]*-[\w.\-]*\d[\w.\-]*"),  # hyphenated names: DeepSeek-V3, Llama-3.1-405B, R1-Zero
    re.compile(r"\b[A-Za-z]+\d[\w.]*\b"),  # names that start with letters: H800, V3, FP8, BF16, E4M3
]
FIGURE = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|×|[KMBTkx]\b))?(?!\w)")  # not 6ND


def hand_typed_figures(text: str) -> list[str]:
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    return [m.group(0).strip() for m in FIGURE.finditer(text)]


def test_the_checker_catches_figures_and_spares_names():
    assert hand_typed_figures("V3 cost $5.576M to train on 2,048 GPUs at 39% MFU") == ["$5.576M", "2,048", "39%"]
    assert hand_typed_figures("the 6ND rule, 405B parameters") == ["405B"]
    spared = (
        "DeepSeek-V3 on the H800 (see Table 1, §3.3, arXiv 2412.19437, 2024) vs Llama-3.1-405B in FP8; "
        '{{ value("rl-cost", "cost_usd", gpus=512) }} `python -m calculators --gpus 512` '
        '"the $294K figure"\n> quoted: 10x cheaper'
    )
    assert hand_typed_figures(spared) == []


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_no_hand_typed_figures(page):
    found = hand_typed_figures(page.read_text(encoding="utf-8"))
    assert not found, (
        f"{page.relative_to(DOCS)} types figures by hand: {found[:10]}; use "
        '{{ value("CALCULATOR", "OUTPUT", ...) }} so a corrected constant corrects every page'
    )


def test_every_calculator_has_a_reference_page():
    import calculators

    missing = [n for n in calculators.all() if not (DOCS / "calculators" / f"{n}.md").is_file()]
    assert not missing, f"calculators without a page under docs/calculators/: {missing}"
