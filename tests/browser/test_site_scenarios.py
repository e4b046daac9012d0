"""Permalinks, reset, scenarios, exports and config files, in the built site, against calculators.page.

Three tests, four page loads (each boots Pyodide once; the huge address comes by instant navigation):
- training-cost: edits go into the address; "Copy link" copies it and a fresh browser context opening it shows the
  same fields and the same numbers; reset; two kept scenarios (one named with markup) compared with the rows that
  differ highlighted, exactly as scenarios.compare says; CSV and JSON downloads equal exports.export; the copied
  CLI command equals exports.cli_command and, run, prints the form's numbers;
- a hostile address (unknown key, mfu=abc, 1e999, out of range, markup as a key and as a value, javascript:, a
  long value, a bad preset): nothing is applied, a visible notice names each ignored key, no dialog opens, no
  element is injected, the numbers are the defaults and the address is cleaned; then instant navigation to another
  calculator page with a query string over the limit: read on the new page, ignored whole, with the notice;
- your-model: a dropped Mixtral config.json gives `python -m calculators your-model --config F --json`; a
  malformed file picked with the file input gives the field error and clears the outputs; a pasted config computes.

Each change is followed by a wait for the form's answer to it (Visit.answer), then the checks; the address, the
clipboard and the tool messages are waited for as states (the address is rewritten after the answer).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import form_input
import pytest
import visits

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "tests" / "configs"
TC_PATH = "/calculators/training-cost/"
YM_PATH = "/calculators/your-model/"

READ_TABLE = r"""
(id) => {
  const t = document.getElementById(id).querySelector(".calc-compare-table");
  if (!t) return null;
  return {
    caption: t.caption.textContent,
    head: [...t.tHead.rows[0].cells].map(c => (c.querySelector(".calc-compare-label") || c).textContent),
    rows: [...t.tBodies[0].rows].map(r => ({ name: r.dataset.name || "", differs: r.hasAttribute("data-differs"),
                                             cells: [...r.cells].map(c => c.textContent) })),
  };
}
"""

# Inline event handlers or images anywhere in the page: the page has none of its own, so any is injected.
INJECTED = r"""
() => [...document.querySelectorAll("*")].filter(e => e.tagName === "IMG" && !e.closest(".md-header, .md-footer")
  || [...e.attributes].some(a => /^on/i.test(a.name) || /javascript:/i.test(a.value)))
  .map(e => e.outerHTML.slice(0, 120))
"""


def expected(site, name: str, args: list[str]) -> dict:
    return form_input.cli_outputs(site, [name, *args])


def shows(site, form: dict, exp) -> bool:
    """The live form (READ_FORM_JS), not computing, shows `exp` (form_input.shows: 1e-12 relative; None: nothing)."""
    return "data-busy" not in form["attrs"] and form_input.shows(site, form, exp)


def check_outputs(v, site, form: dict, exp, what: str):
    """The form, as read when it showed an answer, shows exp."""
    if not shows(site, form, exp):
        shown = [[o["name"], o["value"], o["text"]] for o in form["outputs"]]
        raise AssertionError(f"{what}: the form shows {shown}, expected {exp}; console {v.console_errors[-5:]}")


def live_outputs(v, site, form_id: str, exp, what: str):
    """Right after wait_live: the form's first answer (no change made yet) shows exp."""
    form = v.page.evaluate(f"(id) => ({visits.READ_FORM_JS})(document.getElementById(id))", form_id)
    check_outputs(v, site, form, exp, what)


def fields(v, form_id: str) -> dict:
    return v.page.evaluate(
        "(id) => Object.fromEntries([...document.getElementById(id)"
        ".querySelectorAll('[data-field], select.calc-preset')].map(e => [e.name, e.value]))",
        form_id,
    )


def inputs_and_preset(v, form_id: str) -> tuple[dict, str]:
    f = fields(v, form_id)
    preset = f.pop("preset", "")
    return f, preset


def wait_search(v, predicate_js: str, what: str):
    try:
        v.page.wait_for_function(f"() => {{ const s = decodeURIComponent(location.search); return {predicate_js}; }}")
    except Exception as e:
        raise AssertionError(f"{what}: the address is {v.page.url}") from e


def click(v, form_id: str, action: str, index: int = 0):
    """Click a tool as a reader does: one in the closed Export menu after opening the menu."""
    button = v.page.locator(f"#{form_id} button[data-action='{action}']").nth(index)
    menu = button.locator("xpath=ancestor::details[1]")
    if menu.count() and not menu.evaluate("d => d.open"):
        menu.locator("summary").click()
    button.click()


def test_training_cost_link_reset_scenarios_exports(visit, shared_visit, site):
    from calculators.page import exports, permalinks, scenarios

    form = "calc-training-cost"
    v = visit(TC_PATH)
    v.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=v.base_url)
    v.wait_live()
    defaults = expected(site, "training-cost", [])
    live_outputs(v, site, form, defaults, "live defaults")
    assert v.page.evaluate("location.search") == ""

    # ---- edits go into the address; Copy link copies it
    f = v.page.locator(f"#{form}")
    with v.answer(form, "mfu 0.4, gpu h100, basis compute") as answer:
        f.locator("input[name='mfu']").fill("0.4")
        v.reveal(f.locator("select[name='gpu']")).select_option("h100")  # under "All inputs"
        f.locator("select[name='basis']").select_option("compute")
    edited = expected(site, "training-cost", ["--mfu", "0.4", "--gpu", "h100", "--basis", "compute"])
    check_outputs(v, site, answer.form, edited, "after the edits")
    wait_search(
        v,
        "s.includes('training-cost.mfu=0.4') && s.includes('training-cost.gpu=h100') && "
        "s.includes('training-cost.basis=compute')",
        "the edits in the address",
    )
    search = v.page.evaluate("location.search")
    inputs, preset = inputs_and_preset(v, form)
    assert (
        search
        == permalinks.write_permalink(
            "training-cost",
            form,
            "",
            [form],
            inputs,
            preset,
            {**inputs, "mfu": "0.3894", "gpu": "h800", "basis": "reported"},
            "",
        )["search"]
    )
    click(v, form, "copy-link")
    v.page.wait_for_function(
        "(id) => document.getElementById(id).querySelector('.calc-tool-message').textContent.startsWith('Link copied')",
        arg=form,
    )
    link = v.page.evaluate("navigator.clipboard.readText()")
    assert link == v.page.url and "training-cost.mfu=0.4" in link

    # ---- the link, opened in a fresh context, reproduces the inputs and the outputs
    w = visit(link[len(v.base_url) :])
    w.wait_live()
    live_outputs(w, site, form, edited, "the copied link in a fresh context")
    assert fields(w, form) == fields(v, form)
    assert w.page.locator(f"#{form} .calc-notice").is_hidden()
    assert w.page.evaluate("location.search") == search  # unchanged by reading it

    # ---- CLI command: shown, copied, Python's text, and it prints the form's numbers
    click(v, form, "copy-cli")
    v.page.wait_for_function(
        "(id) => document.getElementById(id).querySelector('.calc-cli-command').textContent", arg=form
    )
    command = v.page.locator(f"#{form} .calc-cli-command").text_content()
    assert command == exports.cli_command("training-cost", inputs, preset)["command"]
    v.page.wait_for_function(
        "(id) => document.getElementById(id).querySelector('.calc-tool-message').textContent === 'Command copied.'",
        arg=form,
    )
    assert v.page.evaluate("navigator.clipboard.readText()") == command
    proc = subprocess.run(
        [sys.executable, *command.split()[1:], "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {k: e[0] for k, e in edited.items()}

    # ---- downloads: Python's export, byte for byte
    for kind, action in (("csv", "export-csv"), ("json", "export-json")):
        with v.page.expect_download() as info:
            click(v, form, action)
        d = info.value
        want = exports.export("training-cost", inputs, preset, kind)
        assert d.suggested_filename == want["filename"]
        assert Path(d.path()).read_bytes().decode("utf-8") == want["text"], kind

    # ---- scenarios: keep this one (named with markup), add the baseline, compare
    f.locator(".calc-scenario-name").fill("<img src=x onerror=alert(1)> H100")
    click(v, form, "keep")
    click(v, form, "baseline")
    v.page.wait_for_function(
        "(id) => { const t = document.getElementById(id).querySelector('.calc-compare-table');"
        " return t && t.tHead.rows[0].cells.length === 3; }",
        arg=form,
    )
    stored = v.page.evaluate("JSON.parse(localStorage.getItem('calc-scenarios:training-cost'))")
    assert [s["label"] for s in stored] == ["<img src=x onerror=alert(1)> H100", "DeepSeek-V3 (baseline)"]
    want = scenarios.compare("training-cost", stored)
    table = v.page.evaluate(READ_TABLE, form)
    assert table["caption"] == want["legend"]
    assert table["head"] == [want["corner"]] + [c["label"] for c in want["columns"]]
    assert [r["cells"] for r in table["rows"]] == [[r["label"], *r["texts"]] for r in want["rows"]]
    assert [r["differs"] for r in table["rows"]] == [r["differs"] for r in want["rows"]]
    differ = {r["name"] for r in table["rows"] if r["differs"]}
    assert {"mfu", "gpu", "basis", "cost_usd", "gpu_hours"} <= differ and "tokens" not in differ
    highlighted = v.page.evaluate(
        "(id) => getComputedStyle(document.getElementById(id).querySelector('tr[data-differs] td')).backgroundColor",
        form,
    )
    plain = v.page.evaluate(
        "(id) => getComputedStyle(document.getElementById(id).querySelector("
        "'.calc-compare-output:not([data-differs]) td')).backgroundColor",
        form,
    )
    assert highlighted != plain, "rows that differ are not highlighted"
    assert not v.page.evaluate(INJECTED), "the scenario name was injected as markup"

    # remove one, then clear
    v.page.locator(f"#{form} .calc-compare-table button[data-action='remove']").first.click()
    v.page.wait_for_function(
        "(id) => { const t = document.getElementById(id).querySelector('.calc-compare-table');"
        " return t && t.tHead.rows[0].cells.length === 2; }",
        arg=form,
    )
    assert v.page.evaluate(READ_TABLE, form)["head"][1] == "DeepSeek-V3 (baseline)"
    click(v, form, "clear-scenarios")
    v.page.wait_for_function("(id) => !document.getElementById(id).querySelector('.calc-compare-table')", arg=form)

    # ---- reset: the page's values, the address cleaned
    with v.answer(form, "reset") as answer:
        click(v, form, "reset")
    check_outputs(v, site, answer.form, defaults, "after reset")
    wait_search(v, "s === ''", "reset cleans the address")
    assert fields(v, form) == fields(shared_visit(TC_PATH, javascript=False), form)
    assert not v.console_errors and not w.console_errors, v.console_errors + w.console_errors


HOSTILE = [
    ("training-cost.bogus", "1"),
    ("training-cost.mfu", "abc"),
    ("training-cost.tokens", "1e999"),
    ("training-cost.num_gpus", "0"),
    ("training-cost.seq_len", "<img src=x onerror=alert(1)>"),
    ("training-cost.<img src=x onerror=alert(1)>", "1"),
    ("training-cost.basis", "javascript:alert(document.domain)"),
    ("training-cost.causal_fraction", "9" * 5000),
    ("training-cost.preset", "<script>alert(1)</script>"),
]


def test_hostile_permalink(visit, shared_visit, site):
    from calculators.page import fields as page_fields
    from calculators.page import permalinks

    form = "calc-training-cost"
    query = "&".join(f"{quote(k, safe='')}={quote(val, safe='')}" for k, val in HOSTILE)
    v = visit()
    dialogs: list[str] = []
    v.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    v.goto(f"{TC_PATH}?{query}#<img src=x onerror=alert(1)>")
    v.wait_live()
    defaults = expected(site, "training-cost", [])
    live_outputs(v, site, form, defaults, "a hostile link")
    notice = v.page.locator(f"#{form} .calc-notice")
    assert notice.is_visible()
    text = notice.text_content()
    want = permalinks.read_permalink("training-cost", form, "?" + query, [form], {}, "")
    assert text == want["notice"]
    for key, _ in HOSTILE:
        assert page_fields.shown(key) in text, key
    assert notice.evaluate("n => n.children.length") == 0  # text only
    assert not dialogs, dialogs
    assert not v.page.evaluate(INJECTED), v.page.evaluate(INJECTED)
    static = shared_visit(TC_PATH, javascript=False)
    assert fields(v, form) == fields(static, form)
    wait_search(v, "s === ''", "the hostile parameters are dropped from the address")

    # Instant navigation to another calculator page whose address is over the limit: read when the new page is
    # shown (no reload, the same worker), ignored whole, with the notice.
    huge = f"/calculators/kv-cache/?kv-cache.n_layers=5&pad={'x' * (page_fields.MAX_SEARCH + 10)}"
    v.page.evaluate(
        "([href]) => { const a = document.createElement('a'); a.href = href; a.id = 'go-huge';"
        " a.textContent = 'go'; document.querySelector('.md-content').prepend(a); }",
        [huge],
    )
    v.page.evaluate("window.__samePage = true")
    # Material pushes the new address at the click and swaps the page in once fetched: wait for the new page (the
    # old one, its form live, is still shown while location already says kv-cache), then for its form to go live.
    v.navigate(v.page.locator("#go-huge"), "/calculators/kv-cache/")
    v.wait_live()
    assert v.page.evaluate("window.__samePage") is True, "the navigation reloaded the page"
    assert [f["calculator"] for f in v.read_forms()] == ["kv-cache"], v.read_forms()
    live_outputs(v, site, "calc-kv-cache", expected(site, "kv-cache", []), "a huge address")
    notice = v.page.locator("#calc-kv-cache .calc-notice")
    notice.wait_for(state="visible")
    assert "nothing was read from it" in notice.text_content()
    assert not dialogs and not v.console_errors, (dialogs, v.console_errors)
    assert len(v.calc_workers()) == 1, v.calc_workers()


DROP = r"""
async ([selector, text, name]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([text], name, { type: "application/json" }));
  const target = document.querySelector(selector);
  for (const type of ["dragenter", "dragover", "drop"])
    target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
}
"""


def test_your_model_config_files(visit, site, tmp_path):
    form = "calc-your-model"
    v = visit(YM_PATH)
    v.wait_live()
    live_outputs(v, site, form, expected(site, "your-model", []), "live defaults")
    area = f"#{form} textarea[name='config']"

    # drop a Mixtral config.json: the same numbers as the command line with --config
    mixtral = CONFIGS / "mixtral-8x7b.json"
    with v.answer(form, "a dropped Mixtral config.json") as dropped:  # the file is read, then the field changes
        v.page.evaluate(DROP, [area, mixtral.read_text(encoding="utf-8"), "config.json"])
    proc = subprocess.run(
        [sys.executable, "-m", "calculators", "your-model", "--config", str(mixtral), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(proc.stdout)
    want = {k: [x, site.expected_texts("your-model", cli)[k]] for k, x in cli.items()}
    check_outputs(v, site, dropped.form, want, "a dropped Mixtral config.json")
    assert v.page.locator(area).input_value() == mixtral.read_text(encoding="utf-8")
    wait_search(
        v,
        "s.includes('your-model.config=') && s.includes('\"model_type\":\"mixtral\"')",
        "the dropped config in the address",
    )

    # a malformed file through the file picker: the field error, no outputs
    with v.answer(form, "a malformed config.json") as picked:
        v.page.locator(f"#{form} input[type='file']").set_input_files(str(CONFIGS / "malformed.json"))
    check_outputs(v, site, picked.form, None, "a malformed config.json")
    config = next(f for f in picked.form["fields"] if f["name"] == "config")
    assert config["invalid"] == "true", f"a malformed config.json: the field is not aria-invalid ({config['invalid']})"
    error = v.page.locator(f"#{form}-config-error")
    assert error.is_visible() and "is not valid JSON" in error.text_content()
    assert "Traceback" not in v.page.locator(f"#{form}").inner_text()

    # pasted text
    qwen = (CONFIGS / "qwen3-30b-a3b.json").read_text(encoding="utf-8")
    with v.answer(form, "a pasted config") as pasted:
        v.page.locator(area).fill(qwen)
    (tmp_path / "q.json").write_text(qwen, encoding="utf-8")
    check_outputs(v, site, pasted.form, expected(site, "your-model", ["--config", str(tmp_path / "q.json")]), "pasted")
    assert not v.console_errors, v.console_errors
