"""The quotation checks of tests/test_quotes.py fail when a quotation is altered, and pass again when it is fixed."""

from __future__ import annotations

import re

import pytest
from test_quotes import DOCS, QUOTES, hook, source_notes, unmarked_quotations, where_problems

PAGE = DOCS / "v3-cost.md"


def first_marked(markdown: str) -> re.Match:
    m = next(hook.MARKED.finditer(markdown), None)
    assert m, f"{PAGE.name} has no marked quotation to alter"
    return m


def alter_one_word(words: str) -> str:
    parts = words.split()
    i = max(range(len(parts)), key=lambda k: len(parts[k].strip(".,;:")))  # the longest word
    parts[i] = "x" + parts[i]
    return " ".join(parts)


def test_an_altered_quotation_fails_and_the_fixed_one_passes():
    text = PAGE.read_text("utf-8")
    assert hook.check_page(text, QUOTES) == []
    m = first_marked(text)
    quoted = m.group(1) if m.group(1) is not None else m.group(2)
    g = 1 if m.group(1) is not None else 2
    altered = text[: m.start(g)] + alter_one_word(quoted) + text[m.end(g) :]
    problems = hook.check_page(altered, QUOTES)
    assert len(problems) == 1 and m.group(3) in problems[0]
    assert hook.check_page(text, QUOTES) == []  # fixed again


def test_an_unknown_id_fails():
    assert hook.check_page("“any words at all”[^q-no-such-excerpt]", QUOTES)


def test_a_quotation_without_its_marker_is_caught():
    text = PAGE.read_text("utf-8")
    assert unmarked_quotations(text) == []
    m = first_marked(text)
    stripped = text[: m.end() - len(f"[^{m.group(3)}]")] + text[m.end() :]
    assert len(unmarked_quotations(stripped)) == 1


def test_quoted_figures_and_long_spans_need_markers_but_terms_do_not():
    assert unmarked_quotations("the “aha moment” and the word “wait”") == []
    assert unmarked_quotations("a cost of “$294K” here") == ["$294K"]
    assert unmarked_quotations('it said "three plain words" once') == ["three plain words"]
    assert unmarked_quotations('{{ value("rl-cost", "cost_usd") }} and `"code quoting four words"`') == []


@pytest.mark.parametrize(
    ("quote", "ok"),
    [
        ("our total training costs amount to only $5.576M", True),
        ("Our total training costs amount to only $5.576M.", True),  # capital at the start, full stop at the end
        ("Assuming the rental price ... our total training costs", True),  # elision
        ("Assuming the rental price … our total training costs", True),
        ("[assuming] the rental price of the H800 GPU", True),  # an insertion in brackets
        ("our total training cost amount to only $5.576M", False),  # a word changed
        ("our total training costs amount to only $5.58M", False),  # a figure changed
        ("our total training costs amount to $5.576M", False),  # a word dropped without an elision
        ("training costs amount ... Assuming the rental price", False),  # parts out of order
        ("total train", False),  # part of a word
    ],
)
def test_matching_rules(quote, ok):
    excerpt = QUOTES["q-v3-total-cost"]["text"]
    assert hook.matches(quote, excerpt) is ok


def test_an_altered_phrase_in_a_source_note_fails():
    note = ("deepseek-v3", 'Table 1 caption ("assuming the rental price of H800 is $2 per GPU hour")', "a test note")
    assert where_problems([note], QUOTES) == []
    altered = (note[0], note[1].replace("$2 per", "$3 per"), note[2])
    assert where_problems([altered], QUOTES)
    elsewhere = ("deepseek-v2", note[1], note[2])  # the right words, the wrong source
    assert where_problems([elsewhere], QUOTES)
    assert list(source_notes()), "no source notes found"


@pytest.mark.build_tools
def test_the_build_stops_on_an_altered_quotation():
    from mkdocs.exceptions import PluginError

    class File:
        src_uri = "v3-cost.md"

    class Page:
        file = File()

    text = PAGE.read_text("utf-8")
    out = hook.on_page_markdown(text, Page(), {}, None)
    assert "[^" + first_marked(text).group(3) + "]:" in out  # the footnote with the excerpt and its source
    m = first_marked(text)
    g = 1 if m.group(1) is not None else 2
    altered = text[: m.start(g)] + alter_one_word(m.group(g)) + text[m.end(g) :]
    with pytest.raises(PluginError):
        hook.on_page_markdown(altered, Page(), {}, None)
