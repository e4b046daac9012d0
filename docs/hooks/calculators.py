"""MkDocs hook: embeds the calculators in the pages and ships them, as a wheel, to Pyodide in the browser.

Authors write one line of Markdown:

    {{ calculator("kv-cache") }}                             a form (on a line of its own)
    {{ calculator("kv-cache", preset="llama-3.1-405b") }}    ... starting from a preset
    {{ calculator("training-cost", mfu=0.4, gpu="h100") }}   ... starting from other input values
    {{ value("training-cost", "cost_usd") }}                 one output's formatted text, inline
    {{ value("rl-cost", "cost_usd", basis="cluster") }}      ... for other inputs (or preset="...")
    {{ value("rl-cost", "gpus") }}                           an input's value (default or preset), with its source
    {{ value("rl-cost", "cost_usd", price_per_gpu_hour="high") }}   an input at its declared range end (low/high)
    {{ value("full-bill", "total_cost_usd", range="low") }}  the output's low end over all declared ranges

Arguments are Python literals (parsed with `ast`, never evaluated). An unknown calculator, output, preset or input,
or an invalid value, stops the build with the page and line. `{{ ... }}` inside fenced code blocks and inline code
is left alone, so a page can show the syntax.

Every number is computed here, in CPython, when the site is built: the static HTML is correct with JavaScript off.
The live mode runs the same package in the browser: on_post_build builds the project's wheel, copies Pyodide's
runtime from .cache/npm (scripts/setup) into site/assets/pyodide/ and registers the wheel in that copy of
pyodide-lock.json (`pyodide lockfile add-wheels`). docs/assets/calc.js and calc-worker.js only move strings
between the form and Python (calculators.web.compute); they hold no arithmetic and no number formatting.

HTML contract (the browser tests rely on it): see render_form() and render_value().
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.calculators")

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_NPM = ROOT / ".cache" / "npm" / "node_modules" / "pyodide"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNTIME_DIR = "assets/pyodide"  # under site/
PACKAGE = "why-r1-calculators"  # the project name in pyproject.toml: what the worker passes to loadPackage
# Under docs/, versioned by BUILD_ID (a file not there yet is skipped).
ASSETS = ("assets/calc.js", "assets/calc-worker.js", "assets/calc.css", "assets/calc-charts.js")

# The worker runs exactly this to answer a request; the build uses the same function for the static HTML, so a
# pre-rendered number and a live one are the same strings (data-value is json.dumps of the float, both ways).
BRIDGE = """
from calculators import web

calc_compute = web.compute  # (name, raw_json, preset) -> JSON: what the build renders
calc_call = web.call  # (fn, args_json) -> JSON: what the worker answers (fn in calculators.web.API)
"""

_state: dict[str, Any] = {}


# ----------------------------------------------------------------------------------------------------------------------
# Build-wide setup


def _import_calculators():
    """Import calculators/ from this repository, fresh (mkdocs serve rebuilds in one process)."""
    for mod in [m for m in sys.modules if m == "calculators" or m.startswith("calculators.")]:
        del sys.modules[mod]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        import calculators
        from calculators import core, scenarios, web

        calcs = calculators.all()
        try:  # chart data (calculators/charts.py); no module yet, no chart figures
            from calculators import charts
        except ModuleNotFoundError as e:
            if e.name != "calculators.charts":
                raise
            charts = None
    except Exception as e:
        raise PluginError(f"calculators: the package failed to import: {e.__class__.__name__}: {e}") from e
    if Path(calculators.__file__).resolve().parent != ROOT / "calculators":
        raise PluginError(f"calculators: imported {calculators.__file__}, not {ROOT / 'calculators'}")
    ns: dict[str, Any] = {}
    exec(BRIDGE, ns)
    _state.update(scenarios=scenarios, charts=charts if hasattr(charts, "chart_data") else None)
    return calcs, core, web, ns["calc_compute"]


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p.name).encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def _package_files() -> list[Path]:
    files = [
        p
        for p in (ROOT / "calculators").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    ]
    files += [p for p in (ROOT / "pyproject.toml", ROOT / "README.md", ROOT / "LICENSE") if p.is_file()]
    return files


def on_config(config, **kwargs):
    calcs, core, web, compute = _import_calculators()
    _state.update(calcs=calcs, core=core, web=web, compute=compute, slots={})
    for c in calcs.values():
        if any(i.name == "preset" for i in c.inputs):
            raise PluginError(f"calculators: {c.name} has an input named 'preset', which the form reserves")

    missing = [f for f in RUNTIME_FILES if not (PYODIDE_NPM / f).is_file()]
    if missing:
        raise PluginError(
            f"calculators: Pyodide's runtime is missing from {PYODIDE_NPM} ({', '.join(missing)}); run scripts/setup"
        )
    pkg_hash = _hash_files(_package_files())
    docs = Path(config["docs_dir"])
    asset_hash = _hash_files(
        [docs / a for a in ASSETS if (docs / a).is_file()] + [PYODIDE_NPM / "package.json", Path(__file__)]
    )
    build_id = hashlib.sha256((pkg_hash + asset_hash).encode()).hexdigest()[:12]
    _state.update(pkg_hash=pkg_hash, build_id=build_id)
    runtime_bytes = sum((PYODIDE_NPM / f).stat().st_size for f in RUNTIME_FILES)
    # Strings the page script shows (it never builds text about numbers itself).
    _state["download"] = core.fmt(runtime_bytes, "bytes").split(" (")[0]  # "12.8 MB"
    config["extra"]["calc"] = {"build": build_id, "runtime": RUNTIME_DIR}
    return config


# ----------------------------------------------------------------------------------------------------------------------
# Markdown: find {{ ... }} outside code


FENCE = re.compile(r"^(\s*(?:>\s*)*)(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
MUSTACHE = re.compile(r"\{\{(.*?)\}\}")


class EmbedError(Exception):
    pass


def _literal(node: ast.AST, what: str):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise EmbedError(
            f"{what} must be a literal (a string, number, list or dict), not {ast.unparse(node)!r}"
        ) from None


def _parse_call(expr: str) -> tuple[str, list, dict]:
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as e:
        raise EmbedError(f"cannot parse {{{{{expr}}}}}: {e.msg}") from None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("calculator", "value")):
        raise EmbedError(f"{{{{{expr}}}}} is not calculator(...) or value(...); to show braces, put them in `code`")
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise EmbedError("* and ** arguments are not supported")
    args = [_literal(a, f"argument {k + 1}") for k, a in enumerate(call.args)]
    kwargs = {k.arg: _literal(k.value, k.arg) for k in call.keywords}
    return call.func.id, args, kwargs


def _range_ends(calc, kwargs: dict, what: str) -> dict:
    """value(..., price_per_gpu_hour="high"): "low"/"high" stand for the input's declared range ends (Input.range),
    so a page can show the sourced uncertainty without typing it."""
    out = dict(kwargs)
    for k, v in kwargs.items():
        if v in ("low", "high") and k != "range":
            inp = next((i for i in calc.inputs if i.name == k), None)
            if inp is None or inp.range is None:
                raise EmbedError(f"{what}: {k}={v!r} needs an input {k!r} with a declared range")
            out[k] = inp.range[0] if v == "low" else inp.range[1]
    return out


def _calc_and_values(name, kwargs: dict, what: str):
    calcs = _state["calcs"]
    if not isinstance(name, str) or name not in calcs:
        raise EmbedError(f"{what}: unknown calculator {name!r}; the calculators are {', '.join(calcs)}")
    calc = calcs[name]
    kwargs.update(_range_ends(calc, kwargs, what))
    preset = kwargs.pop("preset", None)
    if preset is not None and (not isinstance(preset, str) or preset not in {p.name for p in calc.presets}):
        have = ", ".join(p.name for p in calc.presets) or "none"
        raise EmbedError(f"{what}: {name} has no preset {preset!r} (its presets: {have})")
    names = {i.name for i in calc.inputs}
    for k in kwargs:
        if k not in names:
            raise EmbedError(f"{what}: {name} has no input {k!r}; its inputs are {', '.join(sorted(names))}")
    values, errors = calc.validate_all(kwargs, preset)
    if errors:
        raise EmbedError(f"{what}: " + "; ".join(f"{e.field} {e.message}" for e in errors))
    return calc, preset, values


def _compute(calc, raw: dict, preset, what: str) -> dict:
    raw_json = json.dumps(dict(raw))
    d = json.loads(_state["compute"](calc.name, raw_json, preset))
    if not d["ok"]:
        raise EmbedError(f"{what}: " + "; ".join(f"{e['field']}: {e['message']}" for e in d["errors"]))
    return d


def on_files(files, config, **kwargs):
    _state["page_urls"] = {f.url for f in files.documentation_pages()}
    _state["warned"] = set()
    return files


TOP_ORDER = ("index.md", "calculators/", "methods.md", "about.md")  # then anything else, as MkDocs found it


def on_nav(nav, config, files, **kwargs):
    """Without an explicit nav: home first, then the calculator pages in calculators.ORDER, then methods, about."""
    if config["nav"]:
        return nav
    from mkdocs.structure.nav import Section
    from mkdocs.structure.pages import Page

    rank = {name: k for k, name in enumerate(_state["calcs"])}

    def top_key(item):
        if isinstance(item, Page):
            key = item.file.src_uri
        elif isinstance(item, Section) and item.children and isinstance(item.children[0], Page):
            key = item.children[0].file.src_uri.split("/")[0] + "/"
        else:
            key = ""
        return TOP_ORDER.index(key) if key in TOP_ORDER else len(TOP_ORDER)

    nav.items.sort(key=top_key)
    for item in nav.items:
        if isinstance(item, Section):
            item.children.sort(
                key=lambda c: rank.get(Path(c.file.src_uri).stem, len(rank)) if isinstance(c, Page) else len(rank)
            )
    pages = []

    def walk(items):
        for it in items:
            if isinstance(it, Page):
                pages.append(it)
            elif isinstance(it, Section):
                walk(it.children)

    walk(nav.items)
    nav.pages = pages
    for prev, page, nxt in zip([None, *pages], pages, [*pages[1:], None], strict=True):
        page.previous_page, page.next_page = prev, nxt
    return nav


def on_page_markdown(markdown: str, page, config, files, **kwargs):
    src = page.file.src_uri
    _state["page"] = page
    slots: dict[str, str] = {}
    forms_on_page: dict[str, int] = {}
    out_lines = []
    fence: tuple[str, int] | None = None
    try:  # line numbers in errors count from the top of the file, front matter included
        raw = page.file.content_string
        first = raw[: len(raw) - len(markdown)].count("\n") + 1 if raw.endswith(markdown) else 1
    except Exception:  # noqa: BLE001 - only for the message
        first = 1
    for lineno, line in enumerate(markdown.split("\n"), start=first):
        m = FENCE.match(line)
        if fence is None and m:
            fence = (m.group(2)[0], len(m.group(2)))
            out_lines.append(line)
            continue
        if fence is not None:
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not line[m.end() :].strip():
                fence = None
            out_lines.append(line)
            continue
        if "{{" not in line:
            out_lines.append(line)
            continue
        try:
            out_lines.append(_expand_line(line, src, lineno, slots, forms_on_page))
        except EmbedError as e:
            raise PluginError(f"{config['docs_dir']}/{src}:{lineno}: {e}") from None
    if slots:
        _state["slots"][src] = slots
    return "\n".join(out_lines)


def _expand_line(line: str, src: str, lineno: int, slots: dict, forms_on_page: dict) -> str:
    # Split off inline code spans: {{ }} inside them stays as written.
    pieces, pos = [], 0
    for m in CODE_SPAN.finditer(line):
        pieces.append((False, line[pos : m.start()]))
        pieces.append((True, m.group(0)))
        pos = m.end()
    pieces.append((False, line[pos:]))
    result = []
    for is_code, text in pieces:
        if is_code or "{{" not in text:
            result.append(text)
            continue
        if "{{" in MUSTACHE.sub("", text) or "}}" in MUSTACHE.sub("", text):
            raise EmbedError("unbalanced {{ }} (a calculator() or value() call must fit on one line)")

        def repl(m: re.Match) -> str:
            kind, args, kwargs = _parse_call(m.group(1))
            if kind == "value":
                return render_value(args, kwargs)
            if line.strip() != m.group(0).strip():
                raise EmbedError("calculator(...) must be on a line of its own")
            html_form = render_form(args, kwargs, forms_on_page)
            token = f"CALCSLOT{len(slots)}X{hashlib.sha1(f'{src}:{lineno}'.encode()).hexdigest()[:10]}"
            slots[token] = html_form
            return token

        result.append(MUSTACHE.sub(repl, text))
    out = "".join(result)
    if slots and any(t in out for t in slots):
        indent = line[: len(line) - len(line.lstrip())]
        return f"\n{indent}{out.strip()}\n"  # a paragraph of its own, replaced in on_page_content
    return out


def on_page_content(html_text: str, page, config, files, **kwargs):
    slots = _state["slots"].get(page.file.src_uri, {})
    for token, form in slots.items():
        new = html_text.replace(f"<p>{token}</p>", form)
        if new == html_text:
            new = html_text.replace(token, form)
        if new == html_text:
            raise PluginError(f"{page.file.src_uri}: a calculator form went missing while rendering Markdown")
        html_text = new
    return html_text


# ----------------------------------------------------------------------------------------------------------------------
# HTML


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def field_text(inp, v) -> str:
    """An input's value as the form shows it, exactly (Python reads it back to the same number): the package's own
    calculators.scenarios.field_text, which also fills fields from a permalink or a scenario."""
    return sys.modules["calculators.scenarios"].field_text(inp, v)


def raw_number(v: float) -> str:
    return json.dumps(v)


def render_value(args: list, kwargs: dict) -> str:
    """{{ value("calc", "output", preset=..., input=...) }} -> <span class="calc-value" ...>TEXT</span>."""
    if len(args) != 2:
        raise EmbedError('value() takes the calculator and the output name: value("rl-cost", "cost_usd", ...)')
    name, output = args
    what = f"value({name!r}, {output!r})"
    end = kwargs.pop("range", None)
    if end is not None and end not in ("low", "high"):
        raise EmbedError(f'{what}: range= must be "low" or "high"')
    calc, preset, values = _calc_and_values(name, dict(kwargs), what)
    kwargs = _range_ends(calc, kwargs, what)
    if end is not None:
        # The output's low or high end over every declared input range (calculators.ranges), others as given.
        from calculators.ranges import declared_ranges, run_ranges  # the freshly imported package

        fixed = {k: v for k, v in kwargs.items() if k != "preset"}
        ranged = {k: t for k, t in declared_ranges(calc).items() if k not in fixed}
        if not ranged or output not in {o.name for o in calc.outputs}:
            raise EmbedError(f"{what}: range= needs an output and inputs with declared ranges")
        try:
            r = run_ranges(calc, ranged, fixed, preset)["ranges"][output][end]
        except _state["core"].InputError as e:
            raise EmbedError(f"{what}: {e}") from None
        unit = calc.output(output).unit
        return (
            f'<span class="calc-range-value" data-calculator="{esc(name)}" data-output="{esc(output)}" '
            f'data-range="{esc(end)}" data-value="{esc(raw_number(r))}" '
            f'title="{esc(calc.output(output).label)}: {end} end over the declared ranges">'
            f"{esc(_state['core'].fmt(r, unit))}</span>"
        )
    outs = {o.name: o for o in calc.outputs}
    raw = {k: v for k, v in kwargs.items() if k != "preset"}
    numeric_inputs = {i.name: i for i in calc.numeric_inputs()}
    if output not in outs and output in numeric_inputs:
        # An input's value (a default, or the preset's), e.g. value("rl-cost", "gpus"): from the declaration, with
        # its source in the title, so the prose never types it.
        inp = numeric_inputs[output]
        v = values[output]
        src = calc.preset(preset).source if preset else inp.source
        attrs = (
            f'class="calc-input-value" data-calculator="{esc(name)}" data-input="{esc(output)}" '
            f'data-value="{esc(raw_number(v))}"'
        )
        return (
            f'<span {attrs} title="{esc(inp.label)}: {esc(src.cite())}">{esc(_state["core"].fmt(v, inp.unit))}</span>'
        )
    if output not in outs:
        raise EmbedError(
            f"{name} has no output {output!r} (nor numeric input of that name); its outputs are {', '.join(outs)}"
        )
    d = _compute(calc, raw, preset, f"value({name!r}, {output!r})")
    o = d["outputs"][output]
    title = outs[output].label + (f": {o['shown']}" if o["shown"] else "")
    attrs = f'class="calc-value" data-calculator="{esc(name)}" data-output="{esc(output)}" data-value="{esc(o["raw"])}"'
    if preset:
        attrs += f' data-preset="{esc(preset)}"'
    if raw:
        attrs += f' data-inputs="{esc(json.dumps(raw, sort_keys=True))}"'
    return f'<span {attrs} title="{esc(title)}">{esc(o["text"])}</span>'


def _href(url: str) -> str:
    """A source's URL: absolute ones as they are; site-relative ones ("methods/") made relative to this page and
    checked against the site's pages (a missing page is a warning, which fails a strict build)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith("#"):
        return url
    page = _state["page"]
    target = url.lstrip("/")
    if target.split("#")[0] not in _state["page_urls"]:
        msg = f"{page.file.src_uri}: a source links to {url!r}, which is not a page of this site"
        if msg not in _state["warned"]:
            _state["warned"].add(msg)
            log.warning(msg)
    return get_relative_url(target, page.url) if target else "./"


def _source_html(source, prefix: str = "Source") -> str:
    where = f", {esc(source.where)}" if source.where else ""
    note = f' <span class="calc-note">Note: {esc(source.note)}</span>' if source.note else ""
    return f'{prefix}: <a href="{esc(_href(source.url))}">{esc(source.title)}</a>{where}.{note}'


def _unit(unit: str) -> str:
    return f' <span class="calc-unit">({esc(unit)})</span>' if unit else ""


def render_form(args: list, kwargs: dict, forms_on_page: dict) -> str:
    """The form for {{ calculator(NAME, preset=..., INPUT=VALUE...) }}, every output pre-rendered.

    <form class="calc" data-calculator=NAME data-state="static" data-preset=PRESET id=...>
      p.calc-status[role=status][aria-live=polite]   (notices: booting, live, invalid input, live mode off)
      fieldset.calc-presets > select.calc-preset[name=preset] > option[value][data-values]  (if presets)
      fieldset.calc-inputs > div.calc-field[data-input=INPUT] >
          label[for], input|select|textarea[name=INPUT][data-field][aria-describedby="HINT ERROR"],
          .calc-hint#HINT (allowed range), .calc-error#ERROR[hidden] (Python's message), .calc-source (a link)
      div.calc-outputs > div.calc-output[data-output=OUTPUT] >
          .calc-output-label, output[name=OUTPUT][data-value=RAW], .calc-formula, .calc-shown
      figure.calc-chart[data-chart=INDEX][data-kind=KIND] > figcaption, div.calc-chart-canvas,
          table.calc-chart-table   (one per declared chart, if calculators/charts.py has chart_data)

    Page tools (calc.js; shown only once the form is live, .calc-live-only; none of their controls has a name, so
    they are never read as inputs):
      p.calc-notice[role=status][hidden]        what a permalink asked for that was left out (Python's text)
      div.calc-tools > button[data-action=copy-link|reset|export-csv|export-json|copy-cli],
          p.calc-tool-message, div.calc-cli > code.calc-cli-command, small.calc-cli-note
      div.calc-file (in a json field) > input[type=file][data-max-bytes]   a config.json picker; the field also
          takes a dropped file
      section.calc-scenarios > input.calc-scenario-name, button[data-action=keep|baseline|clear-scenarios],
          p.calc-scenario-message, div.calc-compare (the comparison table calc.js builds from scenarios.compare)
    """
    if len(args) != 1:
        raise EmbedError('calculator() takes one calculator name: calculator("rl-cost", preset=..., input=...)')
    name = args[0]
    what = f"calculator({name!r})"
    calc, preset, values = _calc_and_values(name, dict(kwargs), what)
    raw = {k: v for k, v in _range_ends(calc, kwargs, what).items() if k != "preset"}
    d = _compute(calc, raw, preset, what)

    k = forms_on_page.get(name, 0) + 1
    forms_on_page[name] = k
    fid = f"calc-{name}" if k == 1 else f"calc-{name}-{k}"
    shown_values = {i.name: field_text(i, values[i.name]) for i in calc.inputs}

    # data-search-exclude: the form's hints, sources and help would otherwise make up most of the search index,
    # which every page downloads; the page's prose stays searchable.
    parts = [
        f'<form class="calc" id="{fid}" data-calculator="{esc(name)}" data-state="static" data-search-exclude '
        f'data-preset="{esc(preset or "")}" autocomplete="off" novalidate '
        f'aria-labelledby="{fid}-title">',
        f'<div class="calc-head"><p class="calc-title" id="{fid}-title">{esc(calc.title)}</p>'
        f'<p class="calc-summary">{esc(calc.summary)}</p></div>',
    ]
    parts.append(_status_html(calc, preset, raw))
    parts.append(f'<p class="calc-notice" id="{fid}-notice" role="status" hidden></p>')
    parts.append(
        _tools_html(fid, reset_label="Reset to defaults" if not (raw or preset) else "Reset to the page's values")
    )

    if calc.presets:
        defaults = {i.name: field_text(i, i.default) for i in calc.inputs}
        options = []
        selected = preset if not raw else None
        if not raw and not preset:
            selected = ""
        options.append(("", "Defaults (each field cites its source)", defaults))
        for p in calc.presets:
            v = calc.validate({}, p.name)
            options.append((p.name, p.label, {i.name: field_text(i, v[i.name]) for i in calc.inputs}))
        # "custom" is never offered in the list; calc.js selects it once the fields match no option.
        opt_html = []
        for value, label, vals in options:
            sel = " selected" if value == selected else ""
            opt_html.append(
                f'<option value="{esc(value)}" data-values="{esc(json.dumps(vals))}"{sel}>{esc(label)}</option>'
            )
        sel = " selected" if selected is None else ""
        opt_html.append(f'<option value="custom" hidden{sel}>Edited values</option>')
        srcs = []
        for p in calc.presets:
            hid = "" if p.name == selected else " hidden"
            srcs.append(
                f'<small class="calc-source" data-for-preset="{esc(p.name)}"{hid}>{_source_html(p.source)}</small>'
            )
        parts.append(
            f'<fieldset class="calc-presets"><legend class="calc-legend">Start from</legend>'
            f'<div class="calc-field"><label for="{fid}-preset">Preset</label>'
            f'<select id="{fid}-preset" name="preset" class="calc-preset">{"".join(opt_html)}</select>'
            f"{''.join(srcs)}</div></fieldset>"
        )

    parts.append('<fieldset class="calc-inputs"><legend class="calc-legend">Inputs</legend>')
    all_ids = []
    for i in calc.inputs:
        iid = f"{fid}-{i.name}"
        all_ids.append(iid)
        hint = i.allowed()
        hint = hint[:1].upper() + hint[1:] + "."
        common = (
            f'id="{iid}" name="{esc(i.name)}" data-field data-label="{esc(i.label)}" '
            f'aria-describedby="{iid}-hint {iid}-error"'
        )
        val = shown_values[i.name]
        if i.type in ("float", "int"):
            step = f' data-step="{esc(raw_number(i.step))}"' if i.step is not None else ""
            control = (
                f'<input type="text" inputmode="decimal" {common} value="{esc(val)}" '
                f'data-type="{i.type}" data-min="{esc(raw_number(i.min))}" '
                f'data-max="{esc(raw_number(i.max))}"{step} spellcheck="false">'
            )
        elif i.type == "choice":
            opts = "".join(
                f'<option value="{esc(v)}"{" selected" if v == val else ""}>{esc(lab)}</option>' for v, lab in i.choices
            )
            control = f'<select {common} data-type="choice">{opts}</select>'
        else:
            rows = min(24, max(6, val.count("\n") + 1))
            control = (
                f'<textarea {common} data-type="json" rows="{rows}" spellcheck="false" '
                f'autocapitalize="off">{esc(val)}</textarea>'
                f'<div class="calc-file calc-live-only"><label class="calc-button" for="{iid}-file">'
                f'Open a config.json file</label><input type="file" id="{iid}-file" class="calc-file-input" '
                f'accept=".json,application/json,text/plain" data-max-bytes="{MAX_FILE_BYTES}">'
                f'<small class="calc-hint">or paste it above, or drop the file on the box.</small></div>'
            )
        wide = " calc-field--wide" if i.type == "json" else ""
        help_html = f'<small class="calc-help">{esc(i.help)}</small>' if i.help else ""
        parts.append(
            f'<div class="calc-field{wide}" data-input="{esc(i.name)}">'
            f'<label for="{iid}">{esc(i.label)}{_unit(i.unit)}</label>{control}'
            f'<small class="calc-hint" id="{iid}-hint">{esc(hint)}</small>'
            f'<small class="calc-error" id="{iid}-error" hidden></small>'
            f'<small class="calc-source">{_source_html(i.source, "Default")}</small>{help_html}</div>'
        )
    parts.append("</fieldset>")

    parts.append('<div class="calc-outputs" role="group" aria-label="Results">')
    for o in calc.outputs:
        r = d["outputs"][o.name]
        oid = f"{fid}-out-{o.name}"
        head = " calc-output--headline" if o.name == calc.headline else ""
        formula = f'<span class="calc-formula">= {esc(o.formula)}</span>' if o.formula else ""
        help_html = f'<small class="calc-help">{esc(o.help)}</small>' if o.help else ""
        parts.append(
            f'<div class="calc-output{head}" data-output="{esc(o.name)}">'
            f'<span class="calc-output-label" id="{oid}-label">{esc(o.label)}{_unit(o.unit)}</span>'
            f'<output name="{esc(o.name)}" id="{oid}" for="{" ".join(all_ids)}" aria-labelledby="{oid}-label" '
            f'data-value="{esc(r["raw"])}">{esc(r["text"])}</output>'
            f'<span class="calc-working">{formula}'
            f'<span class="calc-shown" data-shown-for="{esc(o.name)}">{esc(r["shown"])}</span></span>'
            f"{help_html}</div>"
        )
    parts.append("</div>")
    parts.extend(_charts_html(calc, raw, preset))
    if calc.notes:
        parts.append(f'<p class="calc-notes">{esc(calc.notes)}</p>')
    parts.append(_scenarios_html(fid))
    parts.append("</form>")
    return "".join(parts)


# Read from a dropped or picked file at most (a config.json is a few KB; more than this is not one).
MAX_FILE_BYTES = 2_000_000


def _tools_html(fid: str, reset_label: str) -> str:
    msgs = {
        "copied": "Link copied: it opens this form with these inputs.",
        "cli-copied": "Command copied.",
        "copy-failed": "This browser did not allow copying: select the text and copy it yourself.",
    }
    attrs = " ".join(f'data-msg-{k}="{esc(v)}"' for k, v in msgs.items())
    buttons = (
        ("copy-link", "Copy link"),
        ("reset", reset_label),
        ("export-csv", "Download CSV"),
        ("export-json", "Download JSON"),
        ("copy-cli", "Copy CLI command"),
    )
    html_buttons = "".join(
        f'<button type="button" class="calc-button" data-action="{a}">{esc(t)}</button>' for a, t in buttons
    )
    return (
        f'<div class="calc-tools calc-live-only" {attrs}>'
        f'<div class="calc-toolbar" role="toolbar" aria-label="Link, reset and downloads">{html_buttons}</div>'
        f'<p class="calc-tool-message" role="status" aria-live="polite"></p>'
        f'<div class="calc-cli" hidden><code class="calc-cli-command" id="{fid}-cli"></code>'
        f'<small class="calc-cli-note"></small></div></div>'
    )


def _scenarios_html(fid: str) -> str:
    return (
        f'<section class="calc-scenarios calc-live-only" aria-labelledby="{fid}-scenarios-title">'
        f'<p class="calc-legend" id="{fid}-scenarios-title">Scenarios side by side</p>'
        f'<div class="calc-scenario-bar"><label for="{fid}-scenario-name">Scenario name</label>'
        f'<input type="text" id="{fid}-scenario-name" class="calc-scenario-name" maxlength="60" '
        f'autocomplete="off" spellcheck="false" placeholder="e.g. cheaper GPUs">'
        f'<button type="button" class="calc-button" data-action="keep">Keep as scenario</button>'
        f'<button type="button" class="calc-button" data-action="baseline">Add DeepSeek-V3 baseline</button>'
        f'<button type="button" class="calc-button" data-action="clear-scenarios">Clear scenarios</button></div>'
        f'<p class="calc-scenario-message" role="status" aria-live="polite"></p>'
        f'<div class="calc-compare"></div></section>'
    )


def _charts_html(calc, raw: dict, preset) -> list[str]:
    """A figure per declared chart: calc-charts.js draws in .calc-chart-canvas; the table is the same data as
    text, for screen readers and without JavaScript."""
    charts = _state.get("charts")
    if charts is None:
        return []
    out = []
    for index, chart in enumerate(calc.charts):
        d = charts.chart_data(calc.name, raw, preset, index)
        if not d.get("ok"):
            errs = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in d.get("errors", []))
            raise EmbedError(f"chart {index} ({chart.title}) of {calc.name}: {errs}")
        table = d.get("table") or {"columns": [], "rows": []}
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table["columns"])
        body = "".join(
            "<tr>"
            + "".join((f'<th scope="row">{esc(c)}</th>' if k == 0 else f"<td>{esc(c)}</td>") for k, c in enumerate(row))
            + "</tr>"
            for row in table["rows"]
        )
        out.append(
            f'<figure class="calc-chart" data-chart="{index}" data-kind="{esc(d.get("kind", chart.kind))}">'
            f"<figcaption>{esc(d.get('title') or chart.title)}</figcaption>"
            f'<div class="calc-chart-canvas"></div>'
            f'<table class="calc-chart-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f"</figure>"
        )
    return out


def _status_html(calc, preset, raw: dict) -> str:
    """The form's notice line; calc.js swaps in the data-msg-* texts (it writes none of its own)."""
    words = ["python -m calculators", calc.name] + ([f"--preset {preset}"] if preset else [])
    words += [
        f"{calc.input(k).flag} {_shell_word(field_text(calc.input(k), v))}"
        for k, v in raw.items()
        if calc.input(k).type != "json"
    ]
    msgs = {
        "booting": f"Starting Python in your browser for live results (a download of about {_state['download']}, "
        "kept in the browser cache); the numbers shown were computed when the site was built.",
        "live": "Live: every change is recomputed by the same Python code, running in your browser.",
        "invalid": "No results until the highlighted field is fixed.",
        "error": "Live mode is off: Python could not start in this browser. The numbers shown were computed when "
        "the site was built, for the values shown.",
    }
    attrs = " ".join(f'data-msg-{k}="{esc(v)}"' for k, v in msgs.items())
    return (
        f'<p class="calc-status" role="status" aria-live="polite" {attrs}>Computed in Python when the site was '
        f"built, for the values shown.<noscript> Changing a field needs JavaScript; the same numbers come from "
        f"<code>{esc(' '.join(words))}</code>.</noscript></p>"
    )


def _shell_word(s: str) -> str:
    return s if re.fullmatch(r"[\w.,+\-/]+", s) else "'" + s.replace("'", "'\\''") + "'"


# ----------------------------------------------------------------------------------------------------------------------
# Runtime: Pyodide's files plus our wheel, registered in the copied lock file


def _build_wheel() -> Path:
    """The project's wheel, built from a clean copy of the package (cached by content in .cache/wheel/)."""
    pkg_hash = _state["pkg_hash"]
    cache = ROOT / ".cache" / "wheel" / pkg_hash[:16]
    found = sorted(cache.glob("*.whl")) if cache.is_dir() else []
    if found:
        return found[0]
    with tempfile.TemporaryDirectory(prefix="calc-wheel-") as tmp:
        srcdir = Path(tmp) / "src"
        srcdir.mkdir()
        for p in _package_files():
            dest = srcdir / p.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dest)
        outdir = Path(tmp) / "dist"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}  # 1980: reproducible zip timestamps
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(srcdir)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        )
        wheels = sorted(outdir.glob("*.whl"))
        if proc.returncode != 0 or len(wheels) != 1:
            raise PluginError("calculators: building the wheel failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
        cache.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{cache.name}-", dir=cache.parent))
        shutil.copy2(wheels[0], staging / wheels[0].name)
        try:
            staging.rename(cache)
        except OSError:  # another build got there first
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(cache.glob("*.whl"))[0]


def on_post_build(config, **kwargs):
    site = Path(config["site_dir"])
    runtime = site / RUNTIME_DIR
    if runtime.exists():
        shutil.rmtree(runtime)
    runtime.mkdir(parents=True)
    for f in RUNTIME_FILES:
        if f != "pyodide-lock.json":
            shutil.copy2(PYODIDE_NPM / f, runtime / f)
    wheel = _build_wheel()
    wheel_dir = runtime / _state["pkg_hash"][:16]  # a new path whenever the package changes: no stale caches
    wheel_dir.mkdir()
    shutil.copy2(wheel, wheel_dir / wheel.name)
    pyodide_cli = Path(sys.executable).with_name("pyodide")
    cmd = [
        str(pyodide_cli) if pyodide_cli.exists() else "pyodide",
        "lockfile",
        "add-wheels",
        "--input",
        str(PYODIDE_NPM / "pyodide-lock.json"),
        "--output",
        str(runtime / "pyodide-lock.json"),
        "--base-path",
        str(runtime),
        str(wheel_dir / wheel.name),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PluginError(
            "calculators: pyodide lockfile add-wheels failed:\n" + proc.stdout[-2000:] + proc.stderr[-2000:]
        )
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    entry = lock["packages"].get(PACKAGE)
    expect = f"{wheel_dir.name}/{wheel.name}"
    if not entry or entry["file_name"] != expect:
        raise PluginError(
            f"calculators: {PACKAGE} is not registered as {expect} in the copied pyodide-lock.json "
            f"(found {entry and entry.get('file_name')!r})"
        )
    worker = site / "assets" / "calc-worker.js"
    text = worker.read_text(encoding="utf-8")
    if '"__CALC_BRIDGE__"' not in text:
        raise PluginError(f'calculators: {worker} has no "__CALC_BRIDGE__" placeholder for the Python bridge')
    worker.write_text(text.replace('"__CALC_BRIDGE__"', json.dumps(BRIDGE)), encoding="utf-8")
    log.info("calculators: Pyodide runtime and %s in %s (build %s)", wheel.name, runtime, _state["build_id"])
