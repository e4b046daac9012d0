"""What a page's `{{ calculator(...) }}` and `{{ value(...) }}` become: the form's context (calculators.page.form),
an inline value (calculators.page.embed), their HTML (docs/hooks/calc_html.py, from the templates in
docs/overrides/partials/calc/) and the Markdown extension that finds the calls (docs/hooks/calc_markdown.py).

Published figures used: DeepSeek-R1 (Nature 2025), Supplementary Information §2.4.4 (arXiv 2501.12948 v2, Appendix
B.4.4, Table 7): 147K H800 GPU-hours, $294K at $2 per GPU-hour; "64*8 H800 GPUs"; the site's declared price range
for an H800 GPU-hour, $1.50 to $3.50 (rl-cost's price_per_gpu_hour range, sourced in its declaration).

Tests that need the site's build tools (Jinja, Python-Markdown and its extensions) are marked build_tools.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import calculators
from calculators import cli
from calculators.core import Calculator, Input, Output, src
from calculators.page import exports, scenarios
from calculators.page.embed import EmbedError, value_context
from calculators.page.form import form_context, form_id

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "docs" / "hooks"
CALCS = list(calculators.all().values())
IDS = [c.name for c in CALCS]
R1_COST = '{{ value("rl-cost", "cost_usd") }}'  # $294K (R1's Table 7)


def context(name: str, **kwargs) -> dict:
    return form_context([name], kwargs, form_id(name, 1), "13.5 MB")


def read_back(calc, texts: dict) -> dict:
    return calc.validate(texts)


# --------------------------------------------------------------------------------------------------------------------
# The form's context (standard library only)


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_fields_and_presets_read_back_to_their_values(calc):
    ctx = context(calc.name)
    assert [f["name"] for f in ctx["inputs"]] == [i.name for i in calc.inputs]
    assert read_back(calc, {f["name"]: f["value"] for f in ctx["inputs"]}) == calc.validate({})
    assert len({f["id"] for f in ctx["inputs"]}) == len(calc.inputs)
    for option in (ctx["presets"] or {}).get("options", []):
        fields = json.loads(option["fields"])
        assert read_back(calc, fields) == calc.validate({}, option["value"] or None), option["value"]
    for p in calc.presets:
        ctx = context(calc.name, preset=p.name)
        assert read_back(calc, {f["name"]: f["value"] for f in ctx["inputs"]}) == calc.validate({}, p.name)
        selected = [o["value"] for o in ctx["presets"]["options"] if o["selected"]]
        assert selected == [p.name] and not ctx["presets"]["custom_selected"]


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_the_cli_hint_prints_the_forms_numbers(calc):
    """The command a form shows without JavaScript, run, gives every number the form shows (for each preset)."""
    for preset in [None, *[p.name for p in calc.presets]]:
        ctx = context(calc.name, **({"preset": preset} if preset else {}))
        words = ctx["cli"]["command"].split()
        assert words[:4] == ["python", "-m", "calculators", calc.name] and not ctx["cli"]["files"]
        printed = json.loads(cli.run([*words[3:], "--json"]))
        assert {o["name"]: json.loads(o["raw"]) for o in ctx["outputs"]} == printed, ctx["cli"]["command"]


def test_the_cli_hint_is_the_copied_command():
    # one implementation: the page's "Copy CLI command" (exports.cli_command) and the no-JavaScript hint agree,
    # and numbers are written as the CLI reads them (3000000, not the field's 3,000,000)
    ctx = context("training-cost", gpu_hours=3_000_000)
    assert ctx["cli"]["command"] == "python -m calculators training-cost --gpu-hours 3000000"
    fields = {f["name"]: f["value"] for f in ctx["inputs"]}
    assert fields["gpu_hours"] == "3,000,000"
    assert exports.cli_command("training-cost", fields, "custom")["command"] == ctx["cli"]["command"]
    assert (
        context("rl-cost", preset="r1-cluster")["cli"]["command"] == "python -m calculators rl-cost --preset r1-cluster"
    )


def test_outputs_are_r1s_table():
    ctx = context("rl-cost")
    out = {o["name"]: o for o in ctx["outputs"]}
    assert out["cost_usd"]["text"] == "$294,000" and json.loads(out["cost_usd"]["raw"]) == 294_000
    assert out["gpu_hours"]["text"] == "147,000 GPU-hours"
    assert out["cost_usd"]["headline"] and sum(o["headline"] for o in ctx["outputs"]) == 1
    assert out["cost_usd"]["working"] == "147,000 GPU-hours × $2 per GPU-hour"
    assert out["cost_usd"]["formula"] and "147" not in out["cost_usd"]["formula"]  # symbols, not values


def test_formulas_and_labels_follow_the_inputs(monkeypatch):
    # training-cost's total GPU-hours are an input on the reported basis and a sum on the compute basis: the form
    # shows each one's own formula (from its Result), not the one for the default inputs
    tc = calculators.get("training-cost")
    reported = {o["name"]: o["formula"] for o in context("training-cost")["outputs"]}
    computed = {o["name"]: o["formula"] for o in context("training-cost", basis="compute")["outputs"]}
    assert reported == tc.formulas()
    assert computed["gpu_hours"] != reported["gpu_hours"]
    assert computed == {k: r.formula for k, r in tc.evaluate(tc.validate({"basis": "compute"})).items()}

    def total(price, hours):
        return {"cost": price * hours}

    labelled = Calculator(
        "label-test",
        "Label test",
        "A label naming an input.",
        (
            Input("price", "Price", "USD/GPU-hour", 2.0, src("site-methods: convention"), min=0, max=10),
            Input("hours", "Hours", "GPU-hours", 10.0, src("site-methods: convention"), min=0, max=99),
        ),
        (Output("cost", "Cost at ${price} per GPU-hour", "USD"),),
        total,
    )
    monkeypatch.setitem(calculators.all(), "label-test", labelled)
    assert context("label-test")["outputs"][0]["label"] == "Cost at $2 per GPU-hour"
    assert context("label-test", price=3.5)["outputs"][0]["label"] == "Cost at $3.5 per GPU-hour"
    # the page functions show the label for the inputs too, never the braces
    export = json.loads(exports.export("label-test", {"price": "3.5"}, "", "json")["text"])
    assert export["outputs"]["cost"]["label"] == "Cost at $3.5 per GPU-hour"
    a, b = ({"label": x, "inputs": {"price": x}} for x in ("2", "3"))
    row = next(r for r in scenarios.compare("label-test", [a, a])["rows"] if r["name"] == "cost")
    assert row["label"] == "Cost at $2 per GPU-hour"
    row = next(r for r in scenarios.compare("label-test", [a, b])["rows"] if r["name"] == "cost")
    assert row["label"] == "Cost at $price per GPU-hour"  # the scenarios differ: the input's symbol


def test_reset_label_and_selected_option():
    assert context("rl-cost")["reset_label"] == "Reset to defaults"
    assert context("rl-cost", preset="r1-cluster")["reset_label"] == "Reset to the page's values"
    edited = context("rl-cost", gpus=256)
    assert edited["presets"]["custom_selected"] and not any(o["selected"] for o in edited["presets"]["options"])
    assert edited["reset_label"] == "Reset to the page's values"


def test_charts_carry_their_tables():
    ctx = context("rl-cost")
    assert [c["kind"] for c in ctx["charts"]] == ["tornado"]
    # the price from $1.50 to $3.50 per GPU-hour over R1's 147K GPU-hours
    assert ctx["charts"][0]["rows"][0][2:4] == ["$220,500", "$514,500"]
    assert context("params")["charts"] == []


def test_the_booting_notice_states_the_download():
    assert "about 13.5 MB" in context("rl-cost")["notices"]["booting"]
    assert set(context("rl-cost")["notices"]) == {"booting", "live", "invalid", "error"}


@pytest.mark.parametrize(
    "args,kwargs,message",
    [
        (["nope"], {}, "calculator('nope'): unknown calculator 'nope'; the calculators are params, "),
        (["rl-cost"], {"preset": "nope"}, "calculator('rl-cost'): rl-cost has no preset 'nope' (its presets: r1-table"),
        (["rl-cost"], {"bogus": 1}, "calculator('rl-cost'): rl-cost has no input 'bogus'; its inputs are basis, "),
        (["rl-cost"], {"gpus": 0}, "calculator('rl-cost'): gpus must be a whole number from 1"),
        (["rl-cost"], {"gpus": "high"}, "calculator('rl-cost'): gpus='high' needs an input 'gpus' with a declared"),
        (["rl-cost", "x"], {}, "calculator() takes one calculator name"),
    ],
)
def test_form_errors(args, kwargs, message):
    with pytest.raises(EmbedError) as e:
        form_context(args, kwargs, "calc-x")
    assert str(e.value).startswith(message), str(e.value)


# --------------------------------------------------------------------------------------------------------------------
# Inline values


def test_value_of_an_output_an_input_and_a_range():
    v = value_context(["rl-cost", "cost_usd"], {})
    assert (v["kind"], v["raw"], v["text"], v["preset"], v["inputs"]) == ("output", "294000.0", "$294,000", "", "")
    assert v["title"] == "Total cost: 147,000 GPU-hours × $2 per GPU-hour"
    gpus = value_context(["rl-cost", "gpus"], {})
    assert (gpus["kind"], gpus["raw"], gpus["text"]) == ("input", "512", "512 GPUs")
    assert "64*8 H800 GPUs" in gpus["title"]  # its source, quoted
    high = value_context(["rl-cost", "cost_usd"], {"price_per_gpu_hour": "high"})
    assert high["raw"] == "514500.0" and json.loads(high["inputs"]) == {"price_per_gpu_hour": 3.5}
    low = value_context(["rl-cost", "cost_usd"], {"range": "low"})
    assert (low["kind"], low["raw"], low["end"]) == ("range", "220500.0", "low")
    preset = value_context(["rl-cost", "gpu_hours"], {"preset": "r1-cluster"})
    assert preset["preset"] == "r1-cluster" and preset["text"] == "147,336 GPU-hours"  # 512 × (198 + 80) + 5,000


@pytest.mark.parametrize(
    "args,kwargs,message",
    [
        (["rl-cost", "nope"], {}, "rl-cost has no output 'nope' (nor numeric input of that name); its outputs are "),
        (["rl-cost"], {}, "value() takes the calculator and the output name"),
        (["rl-cost", "cost_usd"], {"range": "mid"}, "value('rl-cost', 'cost_usd'): range= must be \"low\" or \"high\""),
        (["params", "total_params"], {"range": "low"}, "value('params', 'total_params'): range= needs an output and"),
        (["rl-cost", "cost_usd"], {"price_per_gpu_hour": -1}, "value('rl-cost', 'cost_usd'): price_per_gpu_hour must"),
    ],
)
def test_value_errors(args, kwargs, message):
    with pytest.raises(EmbedError) as e:
        value_context(args, kwargs)
    assert str(e.value).startswith(message), str(e.value)


# --------------------------------------------------------------------------------------------------------------------
# HTML (Jinja templates)


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("jinja2")
    pytest.importorskip("markdown")
    if str(HOOKS) not in sys.path:
        sys.path.append(str(HOOKS))
    import calc_html
    import calc_markdown

    return calc_html, calc_markdown


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: dict[int, str] = {}
        self._open: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in ("input", "br", "img", "meta"):
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag):
        while self._open:
            k = self._open.pop()
            if self.elements[k][0] == tag:
                break

    def handle_data(self, data):
        for k in self._open:
            self.text[k] = self.text.get(k, "") + data

    def find(self, tag=None, **attrs) -> list[int]:
        return [
            k
            for k, (t, a) in enumerate(self.elements)
            if (tag is None or t == tag) and all(a.get(n.replace("_", "-")) == v for n, v in attrs.items())
        ]

    def classed(self, cls: str) -> list[int]:
        return [k for k, (_, a) in enumerate(self.elements) if cls in (a.get("class") or "").split()]


def parse(text: str) -> Elements:
    p = Elements()
    p.feed(text)
    p.close()
    return p


@pytest.mark.build_tools
@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_form_html_keeps_the_contract(hooks, calc):
    calc_html, _ = hooks
    ctx = context(calc.name)
    page = parse(calc_html.render_form(ctx, lambda url: "HREF:" + url))
    form = page.elements[0]
    assert form[0] == "form" and form[1]["data-calculator"] == calc.name and form[1]["data-state"] == "static"
    assert form[1]["id"] == "calc-" + calc.name and form[1]["class"] == "calc"
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for _, a in page.elements:
        refs = (a.get("for") or "").split() + (a.get("aria-describedby") or "").split()
        refs += (a.get("aria-labelledby") or "").split()
        assert set(refs) <= set(ids), refs
        if "href" in a:
            assert a["href"].startswith("HREF:")
    for o in ctx["outputs"]:
        (k,) = page.find("output", name=o["name"])
        assert page.elements[k][1]["data-value"] == o["raw"] and page.text.get(k, "") == o["text"]
        (s,) = page.find("span", data_shown_for=o["name"])
        assert page.text.get(s, "") == o["working"]
    assert len(page.classed("calc-formula")) == len(ctx["outputs"])
    assert all(page.elements[k][1]["data-prefix"] == "= " for k in page.classed("calc-formula"))
    assert len(page.classed("calc-label-text")) == len(ctx["outputs"])
    for i in calc.inputs:
        (k,) = [k for k, (_, a) in enumerate(page.elements) if a.get("name") == i.name and "data-field" in a]
        assert (
            page.elements[k][1]["aria-describedby"] == f"calc-{calc.name}-{i.name}-hint calc-{calc.name}-{i.name}-error"
        )
    for k in page.find("option"):
        a = page.elements[k][1]
        if "data-values" in a:
            assert read_back(calc, json.loads(a["data-values"])) == calc.validate({}, a["value"] or None)
    assert len(page.find("figure")) == len(calc.charts)
    (status,) = page.classed("calc-status")
    assert ctx["cli"]["command"] in page.text[status]


@pytest.mark.build_tools
def test_value_and_chart_html(hooks):
    calc_html, _ = hooks
    html = calc_html.render_value(value_context(["rl-cost", "cost_usd"], {"basis": "cluster"}))
    (k,) = parse(html).find("span")
    tag, a = parse(html).elements[k]
    assert (
        a["class"] == "calc-value"
        and a["data-output"] == "cost_usd"
        and json.loads(a["data-inputs"]) == {"basis": "cluster"}
    )
    assert a["data-value"] == "294672.0"  # 512 GPUs × (198 h + 80 h) + 5,000 GPU-hours, × $2
    assert re.fullmatch(r'<span [^>]*title="Total cost: [^"]*">\$294,672</span>', html)
    chart = context("rl-cost")["charts"][0]
    table = parse(calc_html.render_chart(chart))
    assert len(table.find("tr")) == 1 + len(chart["rows"]) and len(table.find("th", scope="col")) == 5


# --------------------------------------------------------------------------------------------------------------------
# The Markdown extension: what is expanded and what never is

SITE_EXTENSIONS = [  # mkdocs.yml's markdown_extensions, minus snippets (which reads docs/includes/)
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
]


class Stop(Exception):
    pass


def convert(hooks, text: str, source: str | None = None, path: str = "docs/page.md") -> str:
    import markdown

    _, calc_markdown = hooks
    ext = calc_markdown.CalculatorExtension(error=Stop, download=lambda: "13.5 MB")
    ext.start_page(path, text if source is None else source)
    return markdown.Markdown(extensions=[*SITE_EXTENSIONS, ext]).convert(text)


VALUE_SPAN = re.compile(r'<span class="calc-value" data-calculator="rl-cost" data-given="[^"]*" data-output="cost_usd" '
                        r'data-value="294000.0" title="[^"]*">\$294,000</span>')  # fmt: skip

RL_FORM = '{{ calculator("rl-cost") }}'
BAD = '{{ value("no-such", "x") }}'  # would stop the build if it were read
CODE = {
    "fenced": f"Before.\n\n```text\n{R1_COST}\n{RL_FORM}\n{{{{ nonsense }}}}\n```\n",
    "tildes": f"~~~\n{R1_COST}\n{BAD}\n~~~\n",
    "fenced in a list": f"- An item:\n\n    ```text\n    {R1_COST}\n    {BAD}\n    ```\n",
    "fenced in an admonition": f'!!! note "Syntax"\n\n    ```\n    {RL_FORM}\n    {R1_COST}\n    {BAD}\n    ```\n',
    "indented": f"Text.\n\n    {R1_COST}\n    {RL_FORM}\n    {{{{ unbalanced\n",
    "inline": f"Write `{R1_COST}` or `{BAD}` in a page.\n",
    "inline in a table": f"| Syntax | Shows |\n|---|---|\n| `{R1_COST}` | a number |\n",
    "inline in a list": f"- `{R1_COST}`\n- ``{BAD}``\n",
}


@pytest.mark.build_tools
@pytest.mark.parametrize("case", list(CODE))
def test_code_is_never_expanded(hooks, case):
    html = convert(hooks, CODE[case])
    assert "calc-value" not in html and "<form" not in html
    assert "{{ value(" in html.replace("&quot;", '"') or "{{ calculator(" in html.replace("&quot;", '"')
    assert "<code" in html


EXPANDED = {
    "paragraph": f"R1's RL cost {R1_COST} at $2 per GPU-hour.\n",
    "table": f"| Stage | Cost |\n|---|---|\n| R1 | {R1_COST} |\n",
    "list": f"- RL: {R1_COST}\n- more\n",
    "admonition": f"!!! note\n\n    It cost {R1_COST}.\n",
    "heading": f"## Costs {R1_COST}\n",
    "next to inline code": f"`{R1_COST}` gives {R1_COST}.\n",
}


@pytest.mark.build_tools
@pytest.mark.parametrize("case", list(EXPANDED))
def test_values_are_expanded(hooks, case):
    html = convert(hooks, EXPANDED[case])
    assert len(VALUE_SPAN.findall(html)) == 1, html
    assert "{{ value" not in html.replace("&quot;", '"').replace("<code>" + R1_COST, "")


FORMS = {
    "paragraph": f'Before.\n{{{{ calculator("rl-cost") }}}}\nAfter {R1_COST}.\n',
    "list": '- An item\n\n    {{ calculator("rl-cost") }}\n',
    "admonition": '!!! example\n\n    {{ calculator("rl-cost") }}\n',
    "twice": '{{ calculator("rl-cost") }}\n\n{{ calculator("rl-cost", preset="r1-cluster") }}\n',
}


@pytest.mark.build_tools
@pytest.mark.parametrize("case", list(FORMS))
def test_forms_are_expanded(hooks, case):
    html = convert(hooks, FORMS[case])
    forms = re.findall(r'<form class="calc" id="([^"]+)"', html)
    assert forms == (["calc-rl-cost", "calc-rl-cost-2"] if case == "twice" else ["calc-rl-cost"])
    assert "<p><form" not in html and "</form></p>" not in html and "{{" not in html
    if case == "paragraph":
        assert "<p>Before.</p>" in html and len(VALUE_SPAN.findall(html)) == 1


@pytest.mark.build_tools
def test_abbreviations_inside_a_value_keep_their_hover_text(hooks):
    html = convert(hooks, '*[GPU]: Graphics processing unit\n\nIt took {{ value("rl-cost", "gpu_hours") }}.\n')
    assert '>147,000 <abbr title="Graphics processing unit">GPU</abbr>-hours</span>' in html


PAGE = """---
title: Errors
---

# A page

Some prose.

{line}
"""


@pytest.mark.build_tools
@pytest.mark.parametrize(
    "line,message",
    [
        ('Cost: {{ value("rl-cost", "nope") }}.', "rl-cost has no output 'nope'"),
        ('{{ calculator("nope") }}', "calculator('nope'): unknown calculator 'nope'"),
        ('{{ calculator("rl-cost", preset="x") }}', "calculator('rl-cost'): rl-cost has no preset 'x'"),
        ('{{ calculator("rl-cost", bogus=1) }}', "calculator('rl-cost'): rl-cost has no input 'bogus'"),
        ('{{ value("training-cost", "cost_usd", mfu=2) }}', "value('training-cost', 'cost_usd'): mfu must be a number"),
        ('Inline {{ calculator("rl-cost") }} here.', "calculator(...) must be on a line of its own"),
        ("Braces {{ money }} here.", "{{ money }} is not calculator(...) or value(...)"),
        ('{{ value("rl-cost", gpus) }}', "argument 2 must be a literal"),
        ('Split {{ value("rl-cost",\n"cost_usd") }} over lines.', "unbalanced {{ }}"),
        ('- in a list: {{ value("rl-cost", "x") }}', "rl-cost has no output 'x'"),
    ],
)
def test_errors_name_the_page_and_line(hooks, line, message):
    source = PAGE.format(line=line)
    body = source.split("---\n", 2)[2]  # MkDocs hands Markdown without its front matter
    with pytest.raises(Stop) as e:
        convert(hooks, body, source=source, path="docs/errors.md")
    assert str(e.value).startswith("docs/errors.md:9: "), str(e.value)
    assert message in str(e.value)
