"""Every page of the built site: loads cleanly, offline, accessibly, and shows the numbers the calculators compute.

- each page without a calculator loads with no request to another host, no console error, no failed request, no
  violation of its Content-Security-Policy (every response carries it), requests no Pyodide bytes and starts no
  worker, and axe-core finds no serious or critical WCAG 2.1 A/AA violation in the light scheme, nor of its colour
  rules in the dark scheme (the pages with a calculator get the same checks live, on the boot test_site_forms.py
  makes: page_checks.py);
- with JavaScript off, on every page with numbers: the numbers pre-rendered into the static HTML equal
  `python -m calculators NAME --json` for the same inputs (the form's fields, its preset), data-value to 1e-12
  relative, text exactly core.fmt's; and on every calculator page the full detail shows (every field, source and
  working: calc-noscript.css).
"""

from __future__ import annotations

import page_checks
import pytest

pytestmark = pytest.mark.browser


def test_page_loads_cleanly(shared_visit, site, plain_page_path):
    path = plain_page_path
    v = shared_visit(path)
    v.page.wait_for_load_state("networkidle")
    problems = v.problems(path)
    if v.calc_workers():
        problems.append(f"{path} has no calculator but started workers: {v.calc_workers()}")
    problems += [f"{path} has no calculator but requested {u}" for u in v.pyodide_requests()]
    problems += page_checks.explain(page_checks.both_schemes(v, path))
    assert not problems, "\n".join(problems)


def _check_outputs(site, where: str, calc_name: str, outputs: list[dict], expected: dict) -> list[str]:
    from calculators import get

    declared = [o.name for o in get(calc_name).outputs]
    texts = site.expected_texts(calc_name, expected)
    problems = []
    if not outputs:
        problems.append(f"{where}: the form has no <output name=...>")
    for o in outputs:
        name = o["name"]
        if name not in declared:
            problems.append(f"{where}: <output name={name!r}> is not an output of {calc_name} ({declared})")
            continue
        if not o["has_value"]:
            problems.append(f"{where}: <output name={name!r}> has no data-value")
            continue
        try:
            got = float(o["value"])
        except ValueError:
            problems.append(f"{where}: <output name={name!r}> data-value={o['value']!r} is not a number")
            continue
        if not site.close(got, expected[name]):
            problems.append(f"{where}: {name} data-value {o['value']} != CLI {expected[name]!r}")
        if o["text"].strip() != texts[name]:
            problems.append(f"{where}: {name} text {o['text'].strip()!r} != CLI-formatted {texts[name]!r}")
    return problems


def test_prerendered_numbers_equal_cli(shared_visit, site, numbers_page_path):
    """With JavaScript off: what the static HTML shows is what `python -m calculators NAME [...] --json` prints."""
    from calculators import get

    v = shared_visit(numbers_page_path, javascript=False)
    problems = _noscript_detail(v, numbers_page_path)
    for k, form in enumerate(v.read_forms()):
        name = form["calculator"]
        where = f"{numbers_page_path} form #{k} ({name})"
        if form["state"] != "static":
            problems.append(f"{where}: data-state={form['state']!r} in the static HTML (expected 'static')")
        flags, preset = site.form_flags(name, form)
        expected = site.cli_json([name, *site.preset_args(preset), *flags])
        problems += _check_outputs(site, where, name, form["outputs"], expected)
        # The fields a reader can edit start at the defaults (or the form's preset): the numbers are the CLI's
        # `NAME --json` (`--preset P`) with no other flags.
        calc = get(name)
        editable = {
            f["name"]: f["value"]
            for f in form["fields"]
            if f["name"] != "preset" and not (f["readonly"] or f["disabled"] or f["hidden"])
        }
        if editable:
            shown = calc.validate(editable, preset)
            base = calc.validate({}, preset)
            differ = {n: (shown[n], base[n]) for n in editable if n in base and shown[n] != base[n]}
            if differ:
                problems.append(
                    f"{where}: editable fields do not start at the defaults"
                    f"{' of preset ' + preset if preset else ''}: {differ}"
                )
    for k, span in enumerate(v.read_values()):
        a = span["attrs"]
        name, output = a.get("data-calculator"), a.get("data-output")
        where = f"{numbers_page_path} inline value #{k} ({name}.{output})"
        if not name or not output or "data-value" not in a:
            problems.append(f"{where}: span.calc-value needs data-calculator, data-output and data-value: {a}")
            continue
        expected = site.cli_json([name, *site.value_args(a)])
        problems += _check_outputs(
            site,
            where,
            name,
            [{"name": output, "has_value": True, "value": a["data-value"], "text": span["text"]}],
            expected,
        )
    assert not problems, "\n".join(problems)


# Without JavaScript, each form's outputs, and what of its fields, sources and workings is not on show.
NOSCRIPT_JS = r"""
() => [...document.querySelectorAll("form.calc")].map((f) => {
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const hidden = (sel) => [...f.querySelectorAll(sel)].filter((el) => !shown(el)).map((el) => el.id || el.className);
  return {
    calculator: f.dataset.calculator,
    outputs: [...f.querySelectorAll("output[name]")].map((o) => [o.getAttribute("name"), o.textContent]),
    hidden_fields: hidden("[data-field]"),
    hidden_sources: hidden(".calc-source:not([hidden])"),
    hidden_workings: [...f.querySelectorAll(".calc-shown")].filter((el) => el.textContent && !shown(el))
      .map((el) => el.dataset.shownFor),
  };
})
"""


def _noscript_detail(v, path: str) -> list[str]:
    """Every output shows a number, and every field, source and working is on show (calc-noscript.css)."""
    problems = []
    for f in v.page.evaluate(NOSCRIPT_JS):
        where = f"{path} ({f['calculator']}) without JavaScript"
        problems += [f"{where}: output {name} shows no number" for name, text in f["outputs"] if not text.strip()]
        for what in ("fields", "sources", "workings"):
            if f[f"hidden_{what}"]:
                problems.append(f"{where}: {what} not shown: {f[f'hidden_{what}']}")
    return problems
