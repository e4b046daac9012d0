"""Python-Markdown extension: a page embeds the calculators with one line of Markdown.

    {{ calculator("kv-cache") }}                             a form (on a line of its own)
    {{ calculator("kv-cache", preset="llama-3.1-405b") }}    ... starting from a preset
    {{ calculator("training-cost", mfu=0.4, gpu="h100") }}   ... starting from other input values
    {{ value("training-cost", "cost_usd") }}                 one output's formatted text, inline
    {{ value("rl-cost", "cost_usd", basis="cluster") }}      ... for other inputs (or preset="...")
    {{ value("rl-cost", "gpus") }}                           an input's value (default or preset), with its source
    {{ value("rl-cost", "cost_usd", price_per_gpu_hour="high") }}   an input at its declared range end (low/high)
    {{ value("full-bill", "total_cost_usd", range="low") }}  the output's low end over all declared ranges

Arguments are Python literals (parsed with `ast`, never evaluated); calculators.page.embed checks them. An unknown
calculator, output, preset or input, or an invalid value, stops the build with the page and line (the line is found
by searching the page's Markdown for the call).

The calls are found by Python-Markdown itself, so code is never expanded: fenced code is stashed before any block
is parsed, indented code and inline code spans are taken before these processors run (priorities below), and
their text is never handed to inline patterns. value() is an inline pattern, so it works in paragraphs, lists,
tables, admonitions and headings; its element's text is left to the other inline processors (abbreviations get
their hover text, as in the prose around it). calculator() on a line of its own is a block: the form's HTML goes
into the htmlStash and replaces its placeholder paragraph after rendering.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import calc_html
from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

MUSTACHE = r"\{\{([^\n]*?)\}\}"  # one call, on one line
STRAY = r"\{\{|\}\}"  # braces left over once every call was taken: an unbalanced or multi-line call
# A form: a line holding only {{ calculator(...) }} (no other call on it).
FORM_LINE = re.compile(r"^[ \t]*(\{\{[ \t]*calculator\b(?:(?!\}\}).)*\}\})[ \t]*$", re.M)

# Inline code (backtick, 190) is taken first; then the calls, before backslash escapes (180) and links could touch
# their arguments. Forms: after indented code (80), before tables (75) and paragraphs.
VALUE_PRIORITY, STRAY_PRIORITY, FORM_PRIORITY = 186, 185, 77


class EmbedSyntaxError(ValueError):
    """A `{{ ... }}` that is not a well-formed calculator() or value() call."""


def _literal(node: ast.AST, what: str):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise EmbedSyntaxError(
            f"{what} must be a literal (a string, number, list or dict), not {ast.unparse(node)!r}"
        ) from None


def parse_call(expr: str) -> tuple[str, list, dict]:
    """The text between `{{` and `}}` -> ("calculator" | "value", positional args, keyword args)."""
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as e:
        raise EmbedSyntaxError(f"cannot parse {{{{{expr}}}}}: {e.msg}") from None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("calculator", "value")):
        raise EmbedSyntaxError(
            f"{{{{{expr}}}}} is not calculator(...) or value(...); to show braces, put them in `code`"
        )
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise EmbedSyntaxError("* and ** arguments are not supported")
    args = [_literal(a, f"argument {k + 1}") for k, a in enumerate(call.args)]
    kwargs = {k.arg: _literal(k.value, k.arg) for k in call.keywords}
    return call.func.id, args, kwargs


def _same(url: str) -> str:
    return url


@dataclass
class PageState:
    """The page being converted: its path (for messages), its Markdown (to find a call's line), how its links are
    written, and how many forms of each calculator it has so far (form ids)."""

    path: str = "<page>"
    source: str = ""
    href: Callable[[str], str] = _same
    forms: dict[str, int] = field(default_factory=dict)

    def line_of(self, text: str) -> int | None:
        pos = self.source.find(text) if text else -1
        return None if pos < 0 else self.source.count("\n", 0, pos) + 1


class CalculatorExtension(Extension):
    """Register with Markdown(extensions=[CalculatorExtension(...)]) or, in MkDocs, by appending an instance to
    config["markdown_extensions"] (docs/hooks/calc_pages.py does). start_page() before each page's conversion.

    error: the exception raised for a call that cannot be rendered, with "PATH:LINE: message" (the MkDocs hook
    passes PluginError, which stops the build with that message); download: () -> the size of Python's runtime, as
    the forms' booting notice states it.
    """

    def __init__(self, error: type[Exception] = ValueError, download: Callable[[], str] = lambda: "", **kwargs):
        super().__init__(**kwargs)
        self.error = error
        self.download = download
        self.page = PageState()

    def start_page(self, path: str, source: str, href: Callable[[str], str] = _same) -> None:
        self.page = PageState(path, source, href)

    def extendMarkdown(self, md):
        md.inlinePatterns.register(ValuePattern(MUSTACHE, self), "calc-value", VALUE_PRIORITY)
        md.inlinePatterns.register(StrayPattern(STRAY, self), "calc-stray", STRAY_PRIORITY)
        md.parser.blockprocessors.register(FormProcessor(md.parser, self), "calc-form", FORM_PRIORITY)

    # ------------------------------------------------------------------------------------------------------------

    def fail(self, snippet: str, message: str) -> Exception:
        line = self.page.line_of(snippet)
        return self.error(f"{self.page.path}:{line if line is not None else '?'}: {message}")

    def errors(self) -> tuple[type[Exception], ...]:
        from calculators.page.embed import EmbedError  # the package the build imported (fresh on every build)

        return (EmbedSyntaxError, EmbedError)

    def value_element(self, call: str) -> etree.Element:
        from calculators.page.embed import value_context

        kind, args, kwargs = parse_call(call[2:-2])
        if kind != "value":
            raise EmbedSyntaxError("calculator(...) must be on a line of its own")
        return etree.fromstring(calc_html.render_value(value_context(args, kwargs)))

    def form_html(self, call: str) -> str:
        from calculators.page.form import form_context, form_id

        kind, args, kwargs = parse_call(call[2:-2])
        if kind != "calculator":
            raise EmbedSyntaxError("a line of its own holds a calculator(...) form; value(...) goes in the text")
        name = args[0] if args and isinstance(args[0], str) else ""
        k = self.page.forms.get(name, 0) + 1
        form = form_context(args, kwargs, form_id(name, k), self.download())
        self.page.forms[name] = k
        return calc_html.render_form(form, self.page.href)


def _line_around(data: str, start: int, end: int) -> str:
    """The text of the line holding data[start:end], within this text node (to find it in the page's Markdown)."""
    a = data.rfind("\n", 0, start) + 1
    b = data.find("\n", end)
    return data[a : b if b >= 0 else len(data)].strip()


class ValuePattern(InlineProcessor):
    def __init__(self, pattern: str, ext: CalculatorExtension):
        super().__init__(pattern)
        self.ext = ext

    def handleMatch(self, m, data):
        try:
            return self.ext.value_element(m.group(0)), m.start(0), m.end(0)
        except self.ext.errors() as e:
            raise self.ext.fail(m.group(0), str(e)) from None


class StrayPattern(InlineProcessor):
    def __init__(self, pattern: str, ext: CalculatorExtension):
        super().__init__(pattern)
        self.ext = ext

    def handleMatch(self, m, data):
        message = "unbalanced {{ }} (a calculator() or value() call must fit on one line)"
        raise self.ext.fail(_line_around(data, m.start(0), m.end(0)), message)


class FormProcessor(BlockProcessor):
    """A block with a line that holds only {{ calculator(...) }}: the lines before it are parsed as usual, the form
    becomes a paragraph of its own (its placeholder, replaced by the form's HTML), the lines after it go back to the
    parser."""

    def __init__(self, parser, ext: CalculatorExtension):
        super().__init__(parser)
        self.ext = ext

    def test(self, parent, block):
        return FORM_LINE.search(block) is not None

    def run(self, parent, blocks):
        block = blocks.pop(0)
        m = FORM_LINE.search(block)
        before, after = block[: m.start()], block[m.end() :]
        if before.strip():
            self.parser.parseBlocks(parent, [before.rstrip("\n")])
        try:
            html = self.ext.form_html(m.group(1))
        except self.ext.errors() as e:
            raise self.ext.fail(m.group(1), str(e)) from None
        p = etree.SubElement(parent, "p")
        p.text = self.parser.md.htmlStash.store(html)
        if after.strip():
            blocks.insert(0, after.lstrip("\n"))
