"""Driving a live calculator form as a reader does, and checking what it shows against the command line: for
test_site_forms.py, which says what each page gets.

- differential(): seeded random in-bounds inputs (choices and presets included) set in the form, the first sample
  typed (one field of each kind: _type_sample); every <output> must show `python -m calculators NAME ... --json`'s
  value (1e-12 relative) and text, or cleared outputs when the CLI rejects the inputs;
- bad_input(): bad texts in a float and an int field (TYPED_BAD typed key by key, the others filled in): the field
  aria-invalid, a message naming the allowed range, every output of that form cleared, the other forms untouched,
  and the numbers back once the value is valid again.

Every change is followed by a wait for the form's answer to that change (Visit.answer), then the checks.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import zlib
from urllib.parse import urlsplit

# Random input sets per form. The browser adds the path from fields to Python and back (inputsOf, apply, the
# rejection display) to what tests/test_pyodide*.py check in node over every calculator and page call; 8 samples,
# two of them rejected (k = 2, 7), one typed and two also run as processes, go through every branch of that path.
SAMPLES = int(os.environ.get("BROWSER_SAMPLES", "8"))
REPEAT_SAMPLES = 2  # for a calculator already tested on an earlier page (or earlier on the same page)
TYPED_SAMPLES = 1  # of which this many are typed with Playwright (one field of each kind: _type_sample)
SUBPROCESS_SAMPLES = 2  # of which this many are also checked against the real `python -m calculators` process
SEED = int(os.environ.get("BROWSER_SEED", "20251123"))
FIELD = 'input[name="{0}"], select[name="{0}"], textarea[name="{0}"]'

# Set fields of form #i as a script would: value, then input and change events (fast; Playwright's fill is used
# for the first samples of each form).
SET_FIELDS_JS = r"""
([i, changes]) => {
  const form = document.querySelectorAll("form[data-calculator]")[i];
  for (const [name, value] of changes) {
    let el = form.querySelector(`input[name="${name}"], select[name="${name}"], textarea[name="${name}"]`);
    if (el.type === "radio") { el = form.querySelector(`input[name="${name}"][value="${value}"]`); el.checked = true; }
    else el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
}
"""


def _field(form_loc, name: str):
    """The input field called name (not the <output> of the same name: gpu_hours in, gpu_hours out)."""
    return form_loc.locator(FIELD.format(name))


def _type_field(v, form_loc, field: dict, text: str):
    """Type into a field as a reader does: open the disclosure it is in ("All inputs"), then type or pick."""
    name = field["name"]
    if field["tag"] == "select":
        v.reveal(form_loc.locator(f'select[name="{name}"]')).select_option(text)
    elif field["type"] == "radio":
        v.reveal(form_loc.locator(f'input[name="{name}"][value="{text}"]')).check()
    else:
        v.reveal(_field(form_loc, name)).fill(text)


def _kind(field: dict) -> str:
    """How a reader changes the field: picks from a list, checks a radio button, or types (number or text)."""
    return "select" if field["tag"] == "select" else "radio" if field["type"] == "radio" else "type"


def _type_sample(v, form_loc, index: int, form: dict, changes: list[tuple[str, str]]):
    """A typed sample: the first change of each kind (the preset picker counts as a select) made as a reader makes
    it, with Playwright (the disclosure it is in opened by a click); the changes between them set by one script
    call each, in the same order, so the form ends in the same state as if every field had been typed. Every field
    reaches Python through the form's own input and change listeners (docs/assets/calc.js; the picker has one of its
    own, and comes first when drawn): one typed field of each kind exercises each way a field reports its value, and
    typing all 17 of a form's fields one by one cost ~5 CPU-s for nothing more."""
    by_name = {f["name"]: f for f in form["fields"]}
    seen: set[str] = set()
    pending: list[tuple[str, str]] = []
    for fname, value in changes:
        kind = _kind(by_name[fname])
        if kind in seen:
            pending.append((fname, value))
            continue
        if pending:
            v.page.evaluate(SET_FIELDS_JS, [index, pending])
            pending = []
        seen.add(kind)
        _type_field(v, form_loc, by_name[fname], value)
    if pending:
        v.page.evaluate(SET_FIELDS_JS, [index, pending])


def _editable(form: dict) -> list[dict]:
    return [f for f in form["fields"] if f["name"] != "preset" and not (f["readonly"] or f["disabled"] or f["hidden"])]


def _number_text(inp, x: float) -> str:
    if inp.type == "int":
        return str(int(x))
    t = f"{x:.6g}"
    if not inp.min <= float(t) <= inp.max:  # rounding pushed it past a bound: use the bound itself
        t = repr(float(min(max(float(t), inp.min), inp.max)))
    return t


def _random_number(inp, rng: random.Random) -> str:
    lo, hi, d = float(inp.min), float(inp.max), float(inp.default)
    r = rng.random()
    if r < 0.08:
        x = lo
    elif r < 0.16:
        x = hi
    elif r < 0.6 and d != 0:
        x = d * math.exp(rng.uniform(-math.log(3), math.log(3)))
    elif r < 0.8 and lo >= 0 and hi > 0:
        a = max(lo, hi * 1e-9, 1e-12)
        x = math.exp(rng.uniform(math.log(a), math.log(hi)))
    else:
        x = rng.uniform(lo, hi)
    x = min(max(x, lo), hi)
    if inp.type == "int":
        x = min(max(round(x), math.ceil(lo)), math.floor(hi))
    return _number_text(inp, x)


def _with(form: dict, values: dict[str, str]) -> dict:
    return {**form, "fields": [{**f, "value": values.get(f["name"], f["value"])} for f in form["fields"]]}


def expect(site, name: str, form: dict) -> tuple[list[str], dict | None, object]:
    """(CLI args, {output: [value, text]} or None if the CLI rejects the inputs, the InputError or None)."""
    from calculators.core import InputError

    flags, preset = site.form_flags(name, form)
    args = [name, *site.preset_args(preset), *flags]
    try:
        return args, cli_outputs(site, args), None
    except InputError as e:
        return args, None, e


def cli_outputs(site, args: list[str]) -> dict:
    """{output: [value, text]}: what `python -m calculators ARGS --json` gives and how the CLI writes each value."""
    values = site.cli_json(args)
    texts = site.expected_texts(args[0], values)
    return {k: [values[k], texts[k]] for k in values}


def shows(site, form: dict, expected) -> bool:
    """The live form shows `expected` ({output: [value, text]}, 1e-12 relative) or, with None, cleared outputs."""
    if form["state"] != "live":
        return False
    outs = form["outputs"]
    if expected is None:
        return all(not o["has_value"] and o["text"].strip() == "" for o in outs)
    return all(
        o["name"] in expected
        and o["has_value"]
        and site.close(float(o["value"]), expected[o["name"]][0])
        and o["text"].strip() == expected[o["name"]][1]
        for o in outs
    )


def assert_outputs(v, site, form: dict, expected, what: str):
    """The form (as read when it showed an answer) shows the CLI's result, or cleared outputs if the CLI rejects."""
    if shows(site, form, expected):
        return
    shown = {o["name"]: (o["value"], o["text"].strip()) for o in form["outputs"]}
    invalid = {f["name"]: f["invalid"] for f in form["fields"] if f["invalid"] not in (None, "false")}
    raise AssertionError(
        f"{what}: the form's answer is not the CLI's result\n"
        f"  expected: {json.dumps(expected, ensure_ascii=False) if expected else 'outputs cleared (CLI rejects)'}\n"
        f"  shown:    {json.dumps(shown, ensure_ascii=False)}\n  state: {form['state']}; aria-invalid: {invalid}\n"
        f"  fields:   {json.dumps({f['name']: f['value'] for f in form['fields']}, ensure_ascii=False)}\n"
        f"  console: {v.console_errors[-5:]}"
    )


def differential(v, site, index: int, form: dict, where: str, samples: int, processes: int, typed: int):
    from calculators import get

    name = form["calculator"]
    calc = get(name)
    inputs = {i.name: i for i in calc.inputs}
    form_loc = v.forms().nth(index)
    # Seeded by the page's path (not its URL: the server's port and the address the forms rewrite vary by run), so
    # BROWSER_SEED reproduces a run's samples.
    rng = random.Random(SEED ^ zlib.crc32(f"{urlsplit(v.page.url).path}#{index}".encode()))
    editable = [f for f in _editable(form) if f["name"] in inputs and inputs[f["name"]].type != "json"]
    picker = next((f for f in form["fields"] if f["name"] == "preset" and f["option_values"]), None)
    presets = {p.name for p in calc.presets}
    preset_choices = [o for o in (picker["option_values"] if picker else {}) if o in presets or o == ""]
    assert editable or preset_choices, f"{where}: nothing to edit (no editable field named after an input, no preset)"
    current = {f["name"]: f["value"] for f in form["fields"]}
    rejected = 0

    def draw() -> tuple[list[tuple[str, str]], dict]:
        changes: list[tuple[str, str]] = []
        state = dict(current)
        if preset_choices and (not editable or rng.random() < 0.3):
            choice = rng.choice(preset_choices)
            changes.append(("preset", choice))
            state["preset"] = choice
            state.update(json.loads(picker["option_values"][choice]))  # the picker fills the fields
        for f in rng.sample(editable, len(editable)):  # a reader edits fields in any order
            if rng.random() < 0.3 and changes:
                continue  # leave some at their value
            inp = inputs[f["name"]]
            if inp.type == "choice":
                value = rng.choice(f["options"] or [c for c, _ in inp.choices])
            else:
                value = _random_number(inp, rng)
            changes.append((f["name"], value))
            state[f["name"]] = value
        return changes, state

    for k in range(samples):
        # Independent draws often break a cross-field rule (an A100 has no FP8; cache hits <= input tokens): each
        # sample redraws until the CLI accepts it, except one in five (k = 2, 7, 12, ...) that redraws until the CLI
        # rejects it, to test the rejection path. (Deciding per draw, as before, let every sample of a quick pass
        # be rejected now and then.)
        test_rejection = k % 5 == 2
        for _ in range(20):
            changes, state = draw()
            if (expect(site, name, _with(form, state))[2] is not None) == test_rejection:
                break
        current = state
        args, expected, err = expect(site, name, _with(form, current))
        what = f"{where} sample {k}: python -m calculators {' '.join(args)} --json"
        with v.answer(index, what) as answer:
            if k < typed:
                _type_sample(v, form_loc, index, form, changes)
            else:
                v.page.evaluate(SET_FIELDS_JS, [index, changes])
        assert_outputs(v, site, answer.form, expected, what)
        shown = {f["name"]: f["value"] for f in answer.form["fields"]}
        for fname, value in current.items():
            if fname in inputs and inputs[fname].type in ("float", "int", "choice"):
                assert shown.get(fname) == value, f"{what}: field {fname} shows {shown.get(fname)!r}, set {value!r}"
        if err is not None:
            rejected += 1
            if err.field in current:
                assert any(f["name"] == err.field and f["invalid"] == "true" for f in answer.form["fields"]), (
                    f"{what}: the CLI rejects {err.field} ({err.message}) but the field is not aria-invalid"
                )
        if k < processes:  # the real command line, as a user runs it
            proc = subprocess.run(
                [sys.executable, "-m", "calculators", *args, "--json"],
                cwd=site.ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            if expected is None:
                assert proc.returncode == 2, f"{what}: exit {proc.returncode}, expected 2"
            else:
                assert proc.returncode == 0, f"{what}: {proc.stderr}"
                out = json.loads(proc.stdout)
                assert all(site.close(out[n], expected[n][0]) for n in expected), (out, expected)
    # Rejections are checked too (cleared outputs, the field marked), but at least a third should compute.
    assert samples - rejected >= samples // 3, f"{where}: {rejected}/{samples} random in-bounds samples rejected"
    # Back to where the form started, for the next checks.
    what = f"{where}: back to the starting values"
    with v.answer(index, what) as answer:
        v.page.evaluate(SET_FIELDS_JS, [index, [(f["name"], f["value"]) for f in _editable(form)]])
    assert_outputs(v, site, answer.form, expect(site, name, form)[1], what)


TYPED_BAD = "1e999"  # typed key by key; the other bad values are filled in at once, as a paste is


def _bad_values(inp, first: bool, repeat: bool) -> list[str]:
    """The bad texts for a field: for the first field checked, every kind (on a repeat of a calculator tested in
    full earlier, the typed one only); for another, a number above the maximum."""
    over = inp.max * 10 if inp.max > 0 else inp.max + 1
    above = str(int(over)) if inp.type == "int" or float(over).is_integer() else repr(float(over))
    if not first:
        return [above]
    if repeat:
        return [TYPED_BAD]
    return [TYPED_BAD, "abc", *(["-5"] if not inp.min <= -5 <= inp.max else []), above]


def bad_input(v, site, index: int, form: dict, where: str, repeat: bool):
    from calculators import get

    calc = get(form["calculator"])
    inputs = {i.name: i for i in calc.inputs}
    numeric = [f for f in _editable(form) if f["name"] in inputs and inputs[f["name"]].type in ("float", "int")]
    # One float and one int field (when there are both): each kind goes through its own parsing.
    picked = [
        next(f for f in numeric if inputs[f["name"]].type == t)
        for t in ("float", "int")
        if any(inputs[f["name"]].type == t for f in numeric)
    ][: 1 if repeat else 2]
    form_loc = v.forms().nth(index)
    _, good, _ = expect(site, form["calculator"], form)
    others = [k for k in range(len(v.read_forms())) if k != index]
    for n, f in enumerate(picked):
        inp = inputs[f["name"]]
        field = v.reveal(_field(form_loc, f["name"]))
        allowed = inp.allowed()
        for bad in _bad_values(inp, first=n == 0, repeat=repeat):
            what = f"{where}: {bad!r} {'typed' if bad == TYPED_BAD else 'filled'} into {f['name']}"
            before = v.read_form(index)["visible_text"].count(allowed)
            with v.answer(index, what) as answer:  # the answer to the whole of `bad`, not to a prefix of it
                if bad == TYPED_BAD:
                    field.fill("")
                    field.press_sequentially(bad)
                else:
                    field.fill(bad)
            state = answer.form
            typed = next(g for g in state["fields"] if g["name"] == f["name"])
            assert typed["value"] == bad, f"{what}: the field shows {typed['value']!r}"
            assert_outputs(v, site, state, None, what)
            assert typed["invalid"] == "true", f"{what}: the field is not aria-invalid ({typed['invalid']!r})"
            assert state["visible_text"].count(allowed) > before, (
                f"{what}: no visible message naming the allowed range {allowed!r}; the form shows:\n"
                f"{state['visible_text']}"
            )
            for o in state["outputs"]:
                assert not o["has_value"] and o["text"].strip() == "", f"{what}: output {o} not cleared"
            words = site.NAN_WORDS.findall(state["text"] + "\n" + state["visible_text"])
            assert not words, f"{what}: the form's text contains {words}:\n{state['text']}"
            for k in others:
                assert all(o["has_value"] for o in v.read_form(k)["outputs"]), (
                    f"{what}: form #{k} (another form) lost its numbers"
                )
            again = f"{what}, then {f['value']!r} again"
            with v.answer(index, again) as answer:
                field.fill(f["value"])  # a valid value brings the live numbers back
            assert_outputs(v, site, answer.form, good, again)
            restored = answer.form
            assert not [g["name"] for g in restored["fields"] if g["invalid"] == "true"], (
                f"{what}: aria-invalid stays after a valid value"
            )
