"""Every page of the built site: loads cleanly, offline, and shows the numbers the calculators compute.

- each page loads with no request to another host, no console error, no failed request (the pages with a
  calculator shown there first: test_site_forms.py, which boots Pyodide on them);
- the numbers pre-rendered into the static HTML (read with JavaScript off) equal `python -m calculators NAME --json`
  for the same inputs (the form's fields, its preset), data-value to 1e-12 relative, text exactly core.fmt's;
- a page without calculators requests no Pyodide bytes and starts no worker.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_page_loads_cleanly(visit, site, page_path):
    """No console error, no failed request; a page without calculators loads no Pyodide byte and starts no worker.

    Covers every page except those test_site_forms.py::test_calculator_page loads (the same checks, plus live
    ones). Pages whose calculators all appear on earlier pages are checked live in one instant-navigation visit
    (test_site_forms.py::test_instant_navigation_through_calculator_pages): a Pyodide boot per page costs seconds."""
    page = next(p for p in site.site_pages() if p.path == page_path)
    v = visit(page_path)
    v.page.wait_for_load_state("networkidle")
    assert not v.console_errors, f"{page_path}: console errors:\n  " + "\n  ".join(v.console_errors)
    assert not v.failed, f"{page_path}: failed requests:\n  " + "\n  ".join(v.failed)
    if not page.forms:
        assert not v.calc_workers(), f"{page_path} has no calculator but started workers: {v.calc_workers()}"
        assert not v.pyodide_requests(), (
            f"{page_path} has no calculator but requested Pyodide's files:\n  " + "\n  ".join(v.pyodide_requests())
        )


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


def test_prerendered_numbers_equal_cli(visit, site, numbers_page_path):
    """With JavaScript off: what the static HTML shows is what `python -m calculators NAME [...] --json` prints."""
    from calculators import get

    v = visit(numbers_page_path, javascript=False)
    problems = []
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
