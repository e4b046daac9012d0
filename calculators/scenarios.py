"""Page features around a calculator form: permalinks, exports, the CLI command and side-by-side scenarios.

A page's script (docs/assets/calc.js) moves strings between the page and these functions, through the worker's one
entry point (web.call -> web.API); every decision about those strings is made here, in Python, and tested in
CPython (tests/test_scenarios.py): which values a link may set, what a notice says, what an export holds.

Permalinks. A form's state lives in the address's query string, one parameter per input that differs from the
value the page was built with, keyed by the form (its id without "calc-"), plus the preset when one was chosen:

    /calculators/training-cost/?training-cost.mfu=0.4&training-cost.gpu=h100&kv-cache.preset=llama-3.1-405b

The query string, not the fragment: Material's navigation.tracking rewrites the fragment to the heading in view as
the reader scrolls, so state kept there would be lost; it keeps the query string. Reading a link never trusts it:
unknown keys, non-numbers, out-of-range values, invalid choices, markup, over-long values and combinations the
calculator refuses are all left out, and the notice returned names each one and says why. Nothing read from the
address is ever returned as anything but a field's value or a notice's text, which the page sets as text.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import shlex
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

from . import get, web
from .core import Calculator, InputError, fmt, fmt_plain, validate_one

# Characters of query string read at all; a longer address is ignored whole. Servers refuse much longer request
# lines anyway (often at 8 or 64 KB); a config.json, the longest thing an address carries, takes about 2,000.
MAX_SEARCH = 32_000
MAX_PARAMS = 500  # parameters in one query string
MAX_VALUE = 200  # characters of a number or a choice
MAX_JSON = 30_000  # characters of a config.json carried in an address
MAX_KEY = 100
MAX_SCENARIOS = 8
MAX_LABEL = 60
SHOWN = 40  # characters of a rejected key or value quoted back in a notice
SAFE = ",:"  # left unescaped in addresses (besides letters, digits and _.-~), for readable JSON
CONFIG_FILE = "your-config.json"  # the file name the CLI command uses for a config.json input

_MARKUP = re.compile(r"[<>\"'`]|javascript:|data:|vbscript:|&#|\bon\w+\s*=", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# --------------------------------------------------------------------------------------------------------------------
# Text helpers


def field_text(inp, v) -> str:
    """An input's value as a form field shows it (docs/hooks/calculators.py renders the same text)."""
    if inp.type == "json":
        return json.dumps(v, indent=2, ensure_ascii=False)
    if inp.type == "choice":
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return f"{int(v):,}"
    return repr(float(v))


def plain_number(x: float | int) -> str:
    """A number as exact, separator-free text: what an address or a command line carries (reads back equal)."""
    if isinstance(x, int):
        return str(x)
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))


def value_text(inp, v) -> str:
    """An input's value for an address or a command line: numbers exact and plain, JSON compact."""
    if inp.type in ("float", "int"):
        return plain_number(v)
    if inp.type == "json":
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return str(v)


def shown(text: Any) -> str:
    """Untrusted text quoted back to a reader: control and direction characters dropped, shortened."""
    s = _CONTROL.sub("", str(text))
    if len(s) > SHOWN:
        s = s[: SHOWN - 1] + "…"
    return f"“{s}”"


def clean_label(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    s = " ".join(_CONTROL.sub(" ", text).split())
    return s[:MAX_LABEL]


def _scope(form_id: Any) -> str:
    if not isinstance(form_id, str) or not re.fullmatch(r"calc-[a-z0-9-]{1,80}", form_id):
        raise InputError("form", "not a calculator form's id")
    return form_id[len("calc-") :]


def _calc_scope(head: str) -> bool:
    """Whether an address parameter's prefix names a calculator form (NAME or NAME-2, ...)."""
    from . import all as all_calculators

    m = re.fullmatch(r"(.+?)(?:-\d+)?", head)
    return bool(m) and (head in all_calculators() or m.group(1) in all_calculators())


def _parse(search: Any) -> list[tuple[str, str]]:
    if not isinstance(search, str):
        return []
    text = search[1:] if search.startswith("?") else search
    if not text:
        return []
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_PARAMS)
    except ValueError:
        return []


def _encode(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    return "?" + "&".join(f"{quote(k, safe=SAFE)}={quote(v, safe=SAFE)}" for k, v in pairs)


def _preset_names(calc: Calculator) -> list[str]:
    return [p.name for p in calc.presets]


def _strings(d: Any) -> dict[str, Any]:
    """A mapping from the page (field name -> text), kept only if it is one."""
    if not isinstance(d, Mapping):
        return {}
    return {k: v for k, v in d.items() if isinstance(k, str)}


def _built_values(calc: Calculator, built: Any, built_preset: Any) -> dict[str, Any]:
    """The values the form was built with (its fields' initial texts), validated; else the declared ones."""
    names = {i.name for i in calc.inputs}
    raw = {k: v for k, v in _strings(built).items() if k in names}
    preset = built_preset if built_preset in _preset_names(calc) else None
    values, errors = calc.validate_all(raw, preset)
    return calc.validate({}, preset) if errors else values


def _option_for(calc: Calculator, values: Mapping[str, Any], prefer: str | None = None) -> str:
    """The preset picker's option matching these values: a preset's name, "" for the defaults, else "custom"."""
    if not calc.presets:
        return ""
    if prefer and calc.validate({}, prefer) == values:
        return prefer
    if calc.validate({}) == values:
        return ""
    for p in calc.presets:
        if calc.validate({}, p.name) == values:
            return p.name
    return "custom"


def _errors(errors: list[InputError]) -> list[dict]:
    return [{"field": e.field, "message": e.message} for e in errors]


def _page_function(fn: Callable) -> Callable:
    """A function the page may call: bad arguments or input give {"ok": false, ...}, never an exception."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return fn(*args)
        except InputError as e:
            return {"ok": False, "errors": _errors([e]), "message": f"{e.field}: {e.message}"}
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as e:
            return {
                "ok": False,
                "errors": [{"field": "", "message": f"bad request ({e.__class__.__name__})"}],
                "message": "The page sent something this function cannot read.",
            }

    return wrapper


def _inputs(calc: Calculator, inputs: Any) -> tuple[dict, list[InputError]]:
    if not isinstance(inputs, Mapping):
        return {}, [InputError("inputs", "not a set of field values")]
    return calc.validate_all(_strings(inputs))


# --------------------------------------------------------------------------------------------------------------------
# Permalinks


def _read_value(calc: Calculator, key: str, value: str):
    """(input name, validated value) for one of this form's address parameters; InputError says why not."""
    if len(key) > MAX_KEY or _MARKUP.search(key) or _CONTROL.search(key):
        raise InputError(key, "is not the name of one of this form's inputs")
    if key == "preset":
        names = _preset_names(calc)
        if value not in names:
            raise InputError(key, ("must be one of " + ", ".join(names)) if names else f"{calc.name} has no presets")
        return key, value
    try:
        inp = calc.input(key)
    except InputError:
        raise InputError(key, f"is not an input of this calculator ({calc.name})") from None
    if inp.type == "json":
        if len(value) > MAX_JSON:
            raise InputError(key, f"is longer than {fmt_plain(MAX_JSON)} characters")
    else:
        if len(value) > MAX_VALUE:
            raise InputError(key, f"is longer than {fmt_plain(MAX_VALUE)} characters")
        if _MARKUP.search(value) or _CONTROL.search(value):
            raise InputError(key, "looks like markup or a script, not a value")
    return key, validate_one(inp, value)


def read_permalink(
    name: str,
    form_id: str,
    search: str,
    form_ids: list | None = None,
    built: Mapping | None = None,
    built_preset: str | None = None,
) -> dict:
    """What a page's address says one form should show.

    search: the address's query string ("?a=b&..."); form_ids: the ids of every calculator form on the page (the
    first form also reports parameters meant for a calculator form the page does not have); built / built_preset:
    the form's fields as the page was built (field name -> text) and its preset picker's initial value.

    Returns {"ok", "changed", "values": {field: text} (every field, when changed), "preset": picker option,
    "applied": [keys], "ignored": [{"key", "reason"}], "notice": text naming each ignored key and why}.
    """
    calc = get(name)
    scope = _scope(form_id)
    page = [f for f in (form_ids if isinstance(form_ids, list) else []) if isinstance(f, str)]
    scopes = {_scope(f) for f in page if re.fullmatch(r"calc-[a-z0-9-]{1,80}", f)} | {scope}
    first = not page or page[0] == form_id
    out = {"ok": True, "changed": False, "values": {}, "preset": None, "applied": [], "ignored": [], "notice": ""}
    ignored: list[tuple[str, str]] = []

    if isinstance(search, str) and len(search) > MAX_SEARCH:
        ignored.append(
            (
                "the address",
                f"its query string is {fmt_plain(len(search))} characters long, more than "
                f"{fmt_plain(MAX_SEARCH)}; nothing was read from it",
            )
        )
        pairs = []
    else:
        pairs = _parse(search)
    mine: dict[str, list[str]] = {}
    for key, value in pairs:
        head, dot, rest = key.partition(".")
        if dot and head == scope:
            mine.setdefault(rest, []).append(value)
        elif dot and first and head not in scopes and _calc_scope(head):
            ignored.append((key, f"this page has no calculator form “{head}”"))

    accepted: dict[str, Any] = {}
    preset = None
    for key, values in mine.items():
        full = f"{scope}.{key}"
        if len(values) > 1:
            ignored.append((full, "it is given more than once"))
            continue
        try:
            k, v = _read_value(calc, key, values[0])
        except InputError as e:
            ignored.append((full, e.message))
            continue
        if k == "preset":
            preset = v
        else:
            accepted[k] = v

    base = calc.validate({}, preset) if preset else _built_values(calc, built, built_preset)
    # The values must also work together (and with the preset): drop the ones the calculator refuses.
    for _ in range(len(accepted) + 1):
        values = {**base, **accepted}
        try:
            calc.evaluate(calc.validate(values))
            break
        except InputError as e:
            if e.field in accepted:
                ignored.append((f"{scope}.{e.field}", e.message))
                del accepted[e.field]
            else:
                for k in list(accepted):
                    ignored.append((f"{scope}.{k}", f"with the other values, {e.field} {e.message}"))
                accepted.clear()
                if preset:
                    ignored.append((f"{scope}.preset", "its values are refused together with the others"))
                    preset = None
                    base = _built_values(calc, built, built_preset)
                break
    values = {**base, **accepted}

    if accepted or preset:
        out["changed"] = True
        out["values"] = {i.name: field_text(i, values[i.name]) for i in calc.inputs}
        out["preset"] = _option_for(calc, values, prefer=preset)
        out["applied"] = ([f"{scope}.preset"] if preset else []) + [f"{scope}.{k}" for k in accepted]
    out["ignored"] = [{"key": k, "reason": r} for k, r in ignored]
    if ignored:
        out["notice"] = (
            "Left out from the link: "
            + "; ".join(f"{shown(k)}: {r}" for k, r in ignored)
            + ". The other values are as the page was built."
        )
    return out


def write_permalink(
    name: str,
    form_id: str,
    search: str,
    form_ids: list | None,
    inputs: Mapping,
    preset: str | None,
    built: Mapping | None = None,
    built_preset: str | None = None,
) -> dict:
    """The query string for the page's address once this form shows `inputs` (with the picker on `preset`).

    This form's parameters are replaced by the values that differ from the form as built (or from the chosen
    preset, named once); other forms' parameters and foreign ones are kept, stale calculator parameters dropped.
    Returns {"ok", "search": "" or "?..."}; with invalid inputs, {"ok": false, "search": search} (unchanged).
    """
    calc = get(name)
    scope = _scope(form_id)
    page = [
        _scope(f)
        for f in (form_ids if isinstance(form_ids, list) else [])
        if isinstance(f, str) and re.fullmatch(r"calc-[a-z0-9-]{1,80}", f)
    ]
    if scope not in page:
        page.append(scope)
    current, errors = _inputs(calc, inputs)
    if errors:
        return {"ok": False, "search": search if isinstance(search, str) else "", "errors": _errors(errors)}
    pairs = [] if not isinstance(search, str) or len(search) > MAX_SEARCH else _parse(search)
    foreign: list[tuple[str, str]] = []
    by_scope: dict[str, list[tuple[str, str]]] = {s: [] for s in page}
    for key, value in pairs:
        head, dot, _ = key.partition(".")
        if dot and head in by_scope:
            if head != scope:
                by_scope[head].append((key, value))
        elif not (dot and _calc_scope(head)):
            foreign.append((key, value))
    mine: list[tuple[str, str]] = []
    if preset in _preset_names(calc) and preset != built_preset:
        base = calc.validate({}, preset)
        mine.append((f"{scope}.preset", preset))
    else:
        base = _built_values(calc, built, built_preset)
    for i in calc.inputs:
        if current[i.name] != base[i.name]:
            mine.append((f"{scope}.{i.name}", value_text(i, current[i.name])))
    by_scope[scope] = mine
    return {"ok": True, "search": _encode(foreign + [p for s in page for p in by_scope[s]])}


# --------------------------------------------------------------------------------------------------------------------
# The command line, exports


def cli_words(calc: Calculator, values: Mapping[str, Any], preset: str | None = None) -> tuple[list[str], dict]:
    """`python -m calculators NAME [--preset P] [--flag value ...]` reproducing `values`, as a word list, and the
    files it reads ({name: text}: a config.json input is given as --config your-config.json).

    Of the defaults and each preset, the starting point needing the fewest flags is used (the picker's preset on
    a tie), so a config equal to a preset's is named by the preset.
    """
    starts = [(None, calc.validate({}))] + [(p.name, calc.validate({}, p.name)) for p in calc.presets]

    def cost(item):  # words to type: a flag each, two for a config (it needs a file), one for --preset
        pname, base = item
        differing = sum(2 if i.type == "json" else 1 for i in calc.inputs if values[i.name] != base[i.name])
        return differing + (1 if pname else 0), 0 if pname == preset else 1

    pname, base = min(starts, key=cost)
    words = ["python", "-m", "calculators", calc.name] + (["--preset", pname] if pname else [])
    files: dict[str, str] = {}
    for i in calc.inputs:
        v = values[i.name]
        if v == base[i.name]:
            continue
        if i.type == "json" and i.flag == "--config":
            files[CONFIG_FILE] = json.dumps(v, indent=2, ensure_ascii=False) + "\n"
            words += [i.flag, CONFIG_FILE]
        else:
            words += [i.flag, value_text(i, v)]
    return words, files


def cli_command(name: str, inputs: Mapping, preset: str | None = None) -> dict:
    """{"ok", "command": shell-quoted text, "files": {file: text}, "note"}, or {"ok": false, "message"}."""
    calc = get(name)
    values, errors = _inputs(calc, inputs)
    if errors:
        return {"ok": False, "errors": _errors(errors), "message": "No command until the highlighted field is fixed."}
    words, files = cli_words(calc, values, preset if isinstance(preset, str) else None)
    note = f"Save the configuration in the form as {CONFIG_FILE} first (the JSON download holds it)." if files else ""
    return {"ok": True, "command": " ".join(shlex.quote(w) for w in words), "files": files, "note": note}


def _json_text(calc: Calculator, inp, v) -> str:
    for p in calc.presets:
        if p.values.get(inp.name) == v:
            return p.label
    mt = v.get("model_type") if isinstance(v, dict) else None
    kind = f"{mt} config.json" if isinstance(mt, str) and len(mt) <= 40 else "config.json"
    return f"{kind} (the declared default)" if v == inp.default else f"{kind} (edited)"


def input_text(calc: Calculator, inp, v) -> str:
    """An input's value for people: numbers with their unit, choices as written, a config by its model."""
    if inp.type in ("float", "int"):
        return fmt(v, inp.unit)
    if inp.type == "json":
        return _json_text(calc, inp, v)
    return str(v)


def _matching_preset(calc: Calculator, values: Mapping, preset: Any) -> str | None:
    if preset in _preset_names(calc) and calc.validate({}, preset) == values:
        return preset
    return None


def export(name: str, inputs: Mapping, preset: str | None, kind: str) -> dict:
    """A download of the form's inputs and outputs: {"ok", "filename", "mime", "text"}.

    kind "json": {"calculator", "title", "preset", "inputs": {name: value}, "outputs": {name: {label, unit, value,
    text}}, "command"}; kind "csv": one row per input and output: section, name, label, value, unit, text.
    """
    calc = get(name)
    if kind not in ("csv", "json"):
        raise InputError("format", "must be csv or json")
    values, errors = _inputs(calc, inputs)
    if not errors:
        try:
            result = calc.evaluate(values)
        except InputError as e:
            errors = [e]
    if errors:
        return {
            "ok": False,
            "errors": _errors(errors),
            "message": "Nothing to export until the highlighted field is fixed.",
        }
    used = _matching_preset(calc, values, preset)
    words, _ = cli_words(calc, values, used)
    command = " ".join(shlex.quote(w) for w in words)
    if kind == "json":
        doc = {
            "calculator": calc.name,
            "title": calc.title,
            "preset": used,
            "inputs": dict(values),
            "outputs": {
                o.name: {
                    "label": o.label,
                    "unit": o.unit,
                    "value": result[o.name].value,
                    "text": fmt(result[o.name].value, o.unit),
                }
                for o in calc.outputs
            },
            "command": command,
        }
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        return {
            "ok": True,
            "filename": f"{calc.name}.json",
            "mime": "application/json",
            "text": text,
            "message": f"Saved {calc.name}.json: the inputs and outputs as JSON.",
        }
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["section", "name", "label", "value", "unit", "text"])
    for i in calc.inputs:
        v = values[i.name]
        w.writerow(["input", i.name, i.label, value_text(i, v), i.unit, input_text(calc, i, v)])
    for o in calc.outputs:
        v = result[o.name].value
        w.writerow(["output", o.name, o.label, json.dumps(v), o.unit, fmt(v, o.unit)])
    return {
        "ok": True,
        "filename": f"{calc.name}.csv",
        "mime": "text/csv;charset=utf-8",
        "text": buf.getvalue(),
        "message": f"Saved {calc.name}.csv: one row per input and output.",
    }


# --------------------------------------------------------------------------------------------------------------------
# Scenarios side by side


def _scenario(calc: Calculator, label: str, values: Mapping, preset: Any) -> dict:
    return {
        "label": label,
        "inputs": {i.name: field_text(i, values[i.name]) for i in calc.inputs},
        "preset": _matching_preset(calc, values, preset) or "",
    }


def keep(name: str, label: str, inputs: Mapping, preset: str | None, count: int = 0) -> dict:
    """A scenario to store: {"ok", "scenario": {label, inputs (field texts), preset}, "message"}."""
    calc = get(name)
    count = count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 0
    if count >= MAX_SCENARIOS:
        return {"ok": False, "message": f"At most {MAX_SCENARIOS} scenarios are kept; remove one first."}
    values, errors = _inputs(calc, inputs)
    if errors:
        return {
            "ok": False,
            "errors": _errors(errors),
            "message": "Fix the highlighted field before keeping this scenario.",
        }
    label = clean_label(label) or f"Scenario {count + 1}"
    return {"ok": True, "scenario": _scenario(calc, label, values, preset), "message": f"Kept {shown(label)}."}


def baseline(name: str, count: int = 0) -> dict:
    """DeepSeek-V3 as a scenario: the calculator's "deepseek-v3" preset, or its defaults (DeepSeek's figures)."""
    calc = get(name)
    count = count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 0
    if count >= MAX_SCENARIOS:
        return {"ok": False, "message": f"At most {MAX_SCENARIOS} scenarios are kept; remove one first."}
    preset = "deepseek-v3" if "deepseek-v3" in _preset_names(calc) else None
    values = calc.validate({}, preset)
    label = "DeepSeek-V3 (baseline)" if preset else "DeepSeek-V3 defaults (baseline)"
    return {"ok": True, "scenario": _scenario(calc, label, values, preset), "message": f"Kept {shown(label)}."}


def compare(name: str, scenarios: list) -> dict:
    """Scenarios side by side: {"ok", "columns": [{label, error}], "rows": [{section, name, label, texts,
    differs}], "legend"}. A scenario whose inputs the calculator refuses shows its error and "—" for outputs."""
    calc = get(name)
    if not isinstance(scenarios, list):
        raise InputError("scenarios", "not a list")
    columns, valid, results = [], [], []
    for k, s in enumerate(scenarios[:MAX_SCENARIOS]):
        s = s if isinstance(s, Mapping) else {}
        label = clean_label(s.get("label")) or f"Scenario {k + 1}"
        values, errors = _inputs(calc, s.get("inputs"))
        result = None
        if not errors:
            try:
                result = calc.evaluate(values)
            except InputError as e:
                errors = [e]
        columns.append({"label": label, "error": "; ".join(f"{e.field} {e.message}" for e in errors)})
        valid.append(values if not errors else None)
        results.append(result)
    span = len(columns) + 1
    rows = [{"section": "heading", "name": "", "label": "Inputs", "texts": [], "differs": False, "span": span}]
    for i in calc.inputs:
        vals = [v[i.name] if v is not None else None for v in valid]
        texts = [input_text(calc, i, x) if x is not None else "—" for x in vals]
        known = [json.dumps(x, sort_keys=True) for x in vals if x is not None]
        rows.append(
            {"section": "input", "name": i.name, "label": i.label, "texts": texts, "differs": len(set(known)) > 1}
        )
    rows.append({"section": "heading", "name": "", "label": "Outputs", "texts": [], "differs": False, "span": span})
    for o in calc.outputs:
        vals = [r[o.name].value if r is not None else None for r in results]
        texts = [fmt(x, o.unit) if x is not None else "—" for x in vals]
        rows.append(
            {
                "section": "output",
                "name": o.name,
                "label": o.label,
                "texts": texts,
                "differs": len({x for x in vals if x is not None}) > 1,
            }
        )
    n_diff = sum(r["differs"] for r in rows)
    legend = (
        "Highlighted rows differ between the scenarios."
        if n_diff
        else "The scenarios are identical."
        if len(columns) > 1
        else "Keep another scenario to compare."
    )
    return {
        "ok": True,
        "columns": columns,
        "rows": rows,
        "legend": legend,
        "corner": "Scenario",
        "remove": "Remove",
        "remove_label": [f"Remove the scenario {shown(c['label'])}" for c in columns],
        "full": len(scenarios) >= MAX_SCENARIOS,
    }


API = {
    "read_permalink": read_permalink,
    "write_permalink": write_permalink,
    "cli_command": cli_command,
    "export": export,
    "keep": keep,
    "baseline": baseline,
    "compare": compare,
}
web.API.update({k: _page_function(f) for k, f in API.items()})
