"""calculators.page: permalinks, exports, the CLI command and comparisons, in CPython.

What the page's script does with these is only to move strings, so everything that matters is checked here:
- permalinks round-trip (write then read gives the same fields, for every calculator, with several forms and
  foreign parameters on the page), and a hostile address (unknown keys, non-numbers, 1e999, out of range, markup
  as a key and as a value, javascript:, duplicates, a huge query string) sets nothing and names each ignored key;
- the CLI command, run as a user runs it (a subprocess, with the config saved as the file it names), prints
  exactly the outputs the form shows;
- CSV and JSON exports hold the form's inputs and outputs; comparisons flag the rows that differ;
- every page function answers bad arguments with {"ok": false}, never an exception.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from checks import DOUBLE_SOURCE, double, number

import calculators
from calculators import Input, InputError, Output, cli
from calculators.page import api, compute
from calculators.page.exports import cli_command, export
from calculators.page.fields import MAX_LABEL, MAX_PARAMS, MAX_SCENARIOS, MAX_SEARCH, SHOWN, field_text
from calculators.page.permalinks import read_permalink, write_permalink
from calculators.page.scenarios import baseline, compare, keep

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests" / "configs"
CALCS = list(calculators.all().values())
IDS = [c.name for c in CALCS]


def built_of(calc, preset=None, **raw) -> dict:
    """A form's fields as the page builds them (field_text of the validated values, as page/form.py writes them)."""
    values = calc.validate(raw, preset)
    return {i.name: field_text(i, values[i.name]) for i in calc.inputs}


def random_values(calc, rng: random.Random) -> dict:
    """Valid random inputs (the calculator computes them), as validated values."""
    for _ in range(50):
        raw = {}
        for i in calc.inputs:
            if rng.random() < 0.4:
                continue
            if i.type == "choice":
                raw[i.name] = rng.choice([v for v, _ in i.choices])
            elif i.type in ("float", "int"):
                lo, hi = float(i.min), float(i.max)
                if lo > 0 and hi / lo > 100:
                    x = math.exp(rng.uniform(math.log(lo), math.log(hi)))
                else:
                    x = rng.uniform(lo, hi)
                x = min(max(x, lo), hi)
                raw[i.name] = max(math.ceil(lo), min(math.floor(hi), round(x))) if i.type == "int" else x
        preset = rng.choice([None, *[p.name for p in calc.presets]])
        try:
            values = calc.validate(raw, preset)
            calc.evaluate(values)
        except InputError:
            continue
        return values
    return calc.validate({})


def computes(calc):
    def ok(values) -> bool:
        try:
            calc.evaluate(values)
        except InputError:
            return False
        return True

    return ok


def texts(calc, values) -> dict:
    return {i.name: field_text(i, values[i.name]) for i in calc.inputs}


# --------------------------------------------------------------------------------------------------------------------
# Permalinks


def check_permalink_round_trip(calc) -> None:
    """A form's fields written to an address and read back are the same fields, with foreign parameters kept and
    the page's other form of the calculator untouched: for random values, then every choice value and preset."""
    rng = random.Random(f"permalink {calc.name}")
    form = f"calc-{calc.name}"
    page = ["calc-params", form, f"{form}-2"] if calc.name != "params" else [form, f"{form}-2"]
    built = built_of(calc)
    cases = [random_values(calc, rng) for _ in range(6)]
    cases += [calc.validate({i.name: v}) for i in calc.inputs if i.type == "choice" for v, _ in i.choices]
    cases += [calc.validate({}, p.name) for p in calc.presets]
    for values in filter(computes(calc), cases):  # a combination the calculator refuses is never in a form
        fields = texts(calc, values)
        start = "?utm_source=x&q=mla&params.bogus=1" if calc.name != "params" else "?utm_source=x"
        w = write_permalink(calc.name, form, start, page, fields, "custom", built, "")
        assert w["ok"]
        pairs = parse_qsl(w["search"][1:])
        assert ("utm_source", "x") in pairs  # foreign parameters are kept
        assert all(k.startswith(calc.name + ".") or "." not in k for k, _ in pairs if k != "params.bogus")
        r = read_permalink(calc.name, form, w["search"], page, built, "")
        assert r["ok"] and not r["ignored"], r["notice"]
        if values == calc.validate({}):  # nothing of this form's to write: the address is left as it was
            assert not r["changed"] and w["search"] == start
            continue
        assert r["changed"]
        assert calc.validate(r["values"]) == values
        # the other form of the same calculator on the page is not touched
        r2 = read_permalink(calc.name, f"{form}-2", w["search"], page, built, "")
        assert not r2["changed"]


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_permalink_round_trip(calc):
    check_permalink_round_trip(calc)


def test_permalink_check_rejects_a_choice_an_address_cannot_carry(monkeypatch):
    # a choice value with a quote in it: read back from an address it looks like markup, and is refused
    gpu = Input("gpu", "GPU", "", "h800", DOUBLE_SOURCE, type="choice", choices=(("h800", "H800"), ("h100's", "H100")))
    calc = double(lambda gpu: {"y": 1.0 if gpu == "h800" else 2.0}, (gpu,), (Output("y", "Y", "GPU-hours"),))
    monkeypatch.setitem(calculators.all(), calc.name, calc)
    with pytest.raises(AssertionError):
        check_permalink_round_trip(calc)


def test_only_differences_are_written():
    tc = calculators.get("training-cost")
    built = built_of(tc)
    fields = dict(built, mfu="0.4", gpu="h100", gpu_hours="2788000")  # gpu_hours as the page built it
    w = write_permalink("training-cost", "calc-training-cost", "", ["calc-training-cost"], fields, "custom", built, "")
    assert w["search"] == "?training-cost.gpu=h100&training-cost.mfu=0.4"
    assert (
        write_permalink(
            "training-cost", "calc-training-cost", w["search"], ["calc-training-cost"], built, "", built, ""
        )["search"]
        == ""
    )


def test_a_chosen_preset_is_named_once():
    tc = calculators.get("training-cost")
    built = built_of(tc)
    fields = built_of(tc, "llama-3.1-405b")
    w = write_permalink(
        "training-cost", "calc-training-cost", "", ["calc-training-cost"], fields, "llama-3.1-405b", built, ""
    )
    assert w["search"] == "?training-cost.preset=llama-3.1-405b"
    r = read_permalink("training-cost", "calc-training-cost", w["search"], ["calc-training-cost"], built, "")
    assert r["changed"] and r["preset"] == "llama-3.1-405b" and r["values"] == fields
    # a preset plus an edit
    r = read_permalink(
        "training-cost", "calc-training-cost", w["search"] + "&training-cost.mfu=0.5", ["calc-training-cost"], built, ""
    )
    assert r["preset"] == "custom" and r["values"]["mfu"] == "0.5" and r["values"]["gpu"] == "h100"


def test_a_form_built_with_a_preset():
    d = calculators.get("distill")
    built = built_of(d, "llama-70b")
    defaults = built_of(d)
    w = write_permalink("distill", "calc-distill", "", ["calc-distill"], defaults, "", built, "llama-70b")
    assert w["search"]  # back to the defaults: every field that differs from the page's preset
    r = read_permalink("distill", "calc-distill", w["search"], ["calc-distill"], built, "llama-70b")
    assert r["values"] == defaults and r["preset"] == ""


def test_the_config_travels_in_the_link():
    ym = calculators.get("your-model")
    built = built_of(ym)
    cfg = json.loads((CONFIGS / "mixtral-8x7b.json").read_text())
    fields = dict(built, config=json.dumps(cfg))
    w = write_permalink("your-model", "calc-your-model", "", ["calc-your-model"], fields, "custom", built, "")
    assert len(w["search"]) < 2000
    r = read_permalink("your-model", "calc-your-model", w["search"], ["calc-your-model"], built, "")
    assert json.loads(r["values"]["config"]) == cfg and not r["ignored"]


HOSTILE = [
    ("training-cost.bogus=1", "training-cost.bogus", "not an input"),
    ("training-cost.mfu=abc", "training-cost.mfu", "must be a number from"),
    ("training-cost.tokens=1e999", "training-cost.tokens", "must be a number from"),
    ("training-cost.num_gpus=0", "training-cost.num_gpus", "must be a whole number from 1"),
    ("training-cost.gpu=tpu", "training-cost.gpu", "must be one of"),
    ("training-cost.seq_len=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "training-cost.seq_len", "markup or a script"),
    ("training-cost.%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1", "training-cost.<img", "not the name"),
    ("training-cost.basis=javascript:alert(1)", "training-cost.basis", "markup or a script"),
    ("training-cost.preset=nope", "training-cost.preset", "must be one of"),
    (
        "training-cost.price_per_gpu_hour=1&training-cost.price_per_gpu_hour=2",
        "training-cost.price_per_gpu_hour",
        "more than once",
    ),
    ("kv-cache.context_length=5", "kv-cache.context_length", "no calculator form"),
    ("training-cost.causal_fraction=" + "9" * 500, "training-cost.causal_fraction", "longer than"),
]


@pytest.mark.parametrize("query,key,reason", HOSTILE, ids=[h[1] + " " + h[2] for h in HOSTILE])
def test_hostile_parameters_are_ignored_and_named(query, key, reason):
    tc = calculators.get("training-cost")
    built = built_of(tc)
    r = read_permalink("training-cost", "calc-training-cost", "?" + query, ["calc-training-cost"], built, "")
    assert r["ok"] and not r["changed"] and r["values"] == {}
    assert len(r["ignored"]) == 1, r["ignored"]
    assert r["ignored"][0]["key"].startswith(key) and reason in r["ignored"][0]["reason"], r["ignored"]
    assert r["notice"].startswith("Left out from the link: ")
    shown = key if len(key) < SHOWN else key[: SHOWN - 1]
    assert shown in r["notice"]


def test_hostile_address_all_at_once():
    tc = calculators.get("training-cost")
    built = built_of(tc)
    query = "?" + "&".join(q for q, _, _ in HOSTILE) + "&training-cost.mfu=0.5&%3Cscript%3E=1&javascript:x=1"
    r = read_permalink("training-cost", "calc-training-cost", query, ["calc-training-cost"], built, "")
    for _, key, _ in HOSTILE:
        assert any(i["key"].startswith(key) for i in r["ignored"]), (key, r["ignored"])
    assert r["applied"] == [] and not r["changed"]  # mfu given twice (abc and 0.5): ignored too
    # the rewritten address drops all of this form's parameters and the stale calculator ones
    w = write_permalink("training-cost", "calc-training-cost", query, ["calc-training-cost"], built, "", built, "")
    assert w["search"] == "?%3Cscript%3E=1&javascript:x=1"  # foreign, inert, left as they were


def test_huge_address_is_ignored_whole():
    tc = calculators.get("training-cost")
    built = built_of(tc)
    query = "?training-cost.mfu=0.5&pad=" + "x" * MAX_SEARCH
    r = read_permalink("training-cost", "calc-training-cost", query, ["calc-training-cost"], built, "")
    assert not r["changed"] and r["ignored"][0]["key"] == "the address" and "nothing was read" in r["notice"]
    w = write_permalink("training-cost", "calc-training-cost", query, ["calc-training-cost"], built, "", built, "")
    assert w["search"] == ""
    many = "?" + "&".join(f"k{i}=1" for i in range(MAX_PARAMS + 5)) + "&training-cost.mfu=0.5"
    r = read_permalink("training-cost", "calc-training-cost", many, ["calc-training-cost"], built, "")
    assert not r["changed"]


def test_values_the_calculator_refuses_together_are_dropped():
    tc = calculators.get("training-cost")
    built = built_of(tc)
    r = read_permalink(
        "training-cost",
        "calc-training-cost",
        "?training-cost.gpu=a100&training-cost.precision=fp8",
        ["calc-training-cost"],
        built,
        "",
    )
    # the A100 has no FP8: precision is the field the calculator names, so it is the one left out
    assert r["changed"] and r["values"]["gpu"] == "a100" and r["values"]["precision"] == "bf16"
    assert [i["key"] for i in r["ignored"]] == ["training-cost.precision"]
    kv = calculators.get("kv-cache")
    r = read_permalink(
        "kv-cache",
        "calc-kv-cache",
        "?kv-cache.attention=gqa&kv-cache.n_kv_heads=500",
        ["calc-kv-cache"],
        built_of(kv),
        "",
    )
    assert [i["key"] for i in r["ignored"]] == ["kv-cache.n_kv_heads"] and r["values"]["attention"] == "gqa"


def test_bad_config_in_the_link():
    ym = calculators.get("your-model")
    built = built_of(ym)
    for bad in ("%7Bnot%20json", "%5B1%2C2%5D", "%7B%22model_type%22%3A%22gpt2%22%7D"):
        r = read_permalink("your-model", "calc-your-model", "?your-model.config=" + bad, ["calc-your-model"], built, "")
        assert not r["changed"] and r["ignored"][0]["key"] == "your-model.config", r


def test_notice_text_is_inert():
    tc = calculators.get("training-cost")
    r = read_permalink(
        "training-cost",
        "calc-training-cost",
        "?training-cost.%E2%80%AEevil%00=1",
        ["calc-training-cost"],
        built_of(tc),
        "",
    )
    assert "\u202e" not in r["notice"] and "\x00" not in r["notice"]


# --------------------------------------------------------------------------------------------------------------------
# The command line


def _run_command(command: str, files: dict, tmp_path: Path) -> dict:
    """Run the command as a user would: in a directory holding the files it names, with the package importable."""
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", "calculators"]
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, *words[1:], "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 0, (command, proc.stderr)
    return json.loads(proc.stdout)


def _in_process(command: str, files: dict, tmp_path: Path) -> dict:
    words = shlex.split(command)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    words = [str(tmp_path / w) if w in files else w for w in words]
    return json.loads(cli.run([*words[3:], "--json"]))


def _form_outputs(name: str, fields: dict) -> dict:
    d = compute.compute(name, fields)
    assert d["ok"], d["errors"]
    return {k: v["value"] for k, v in d["outputs"].items()}


def same_outputs(name: str, got: dict, form: dict) -> bool:
    """The command's --json equals the form's numbers: the same text for every output (core.fmt) and the same
    number. "Same" allows a few units in the last place for one reason only: a default the CLI keeps as a Python
    int (bytes_per_element 2) is the float 2.0 once typed into a form, and integer products beyond 2**53 round
    differently from float ones (kv-cache at a 60M-token context: 199833554457767232288 vs 1.9983355445776725e20)."""
    from calculators.core import fmt

    calc = calculators.get(name)
    assert set(got) == set(form)
    for o in calc.outputs:
        a, b = got[o.name], form[o.name]
        if fmt(a, o.unit) != fmt(b, o.unit) or not math.isclose(a, b, rel_tol=4e-16, abs_tol=0):
            return False
        if a != b and not (isinstance(a, int) or isinstance(b, int)):
            return False  # float against float: exactly equal
    return True


def check_cli_command_reproduces_the_form(calc, tmp_path, first=None) -> None:
    """The command the page offers for a form, run, prints exactly the form's outputs: for random forms and
    presets; the first through a real process (`first`, _run_command unless given), the rest in this process."""
    rng = random.Random(f"cli {calc.name}")
    for k in range(8):
        fields = texts(calc, random_values(calc, rng))
        r = cli_command(calc.name, fields, rng.choice(["", "custom", *[p.name for p in calc.presets]]))
        assert r["ok"]
        expected = _form_outputs(calc.name, fields)
        run = (first or _run_command) if k == 0 else _in_process
        try:
            got = run(r["command"], r["files"], tmp_path)
        except InputError as e:
            raise AssertionError(f"{r['command']} fails: {e}") from e
        assert same_outputs(calc.name, got, expected), r["command"]


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_cli_command_reproduces_the_form(calc, tmp_path):
    check_cli_command_reproduces_the_form(calc, tmp_path)


def test_cli_command_check_rejects_an_input_named_like_a_cli_flag(monkeypatch, tmp_path):
    # an input named "ranges": its flag --ranges is the CLI's own, so the command asks for ranges instead
    ranges = number("ranges", 1, 0, 10, unit="steps")
    calc = double(lambda ranges: {"y": ranges * 2}, (ranges,), (Output("y", "Y", "GPU-hours"),))
    monkeypatch.setitem(calculators.all(), calc.name, calc)
    with pytest.raises(AssertionError):
        check_cli_command_reproduces_the_form(calc, tmp_path, first=_in_process)


def test_cli_command_for_a_config(tmp_path):
    ym = calculators.get("your-model")
    cfg = json.loads((CONFIGS / "qwen3-30b-a3b.json").read_text())
    cfg["num_hidden_layers"] = 40  # an edited config: no preset names it
    fields = dict(built_of(ym), config=json.dumps(cfg), mfu="0.31", gpu="b200", tokens="36e12")
    r = cli_command("your-model", fields, "custom")
    assert r["command"] == (
        "python -m calculators your-model --config your-config.json --tokens 36000000000000 --gpu b200 --mfu 0.31"
    )
    assert json.loads(r["files"]["your-config.json"]) == cfg and "your-config.json" in r["note"]
    assert _run_command(r["command"], r["files"], tmp_path) == _form_outputs("your-model", fields)  # exactly
    # a config equal to a preset's is named by the preset
    fields = dict(built_of(ym), config=json.dumps(ym.preset("mixtral-8x7b").values["config"]))
    assert (
        cli_command("your-model", fields, "custom")["command"]
        == "python -m calculators your-model --preset mixtral-8x7b"
    )


def test_cli_command_quotes_for_the_shell():
    assert (
        cli_command("training-cost", built_of(calculators.get("training-cost")), "")["command"]
        == "python -m calculators training-cost"
    )
    r = cli_command("kv-cache", {"n_layers": "abc"}, "")
    assert not r["ok"] and r["errors"][0]["field"] == "n_layers"
    assert shlex.quote("a b") == "'a b'"  # the quoting used: POSIX shells


# --------------------------------------------------------------------------------------------------------------------
# Exports


@pytest.mark.parametrize("name", ["training-cost", "kv-cache", "your-model", "params"])
def test_exports_hold_the_form(name):
    calc = calculators.get(name)
    fields = texts(calc, random_values(calc, random.Random(name)))
    expected = _form_outputs(name, fields)
    j = export(name, fields, "custom", "json")
    assert j["ok"] and j["filename"] == f"{name}.json" and j["mime"] == "application/json"
    doc = json.loads(j["text"])
    assert doc["calculator"] == name
    assert {k: v["value"] for k, v in doc["outputs"].items()} == expected
    assert calc.validate(doc["inputs"]) == calc.validate(fields)
    assert doc["command"] == cli_command(name, fields, "custom")["command"]
    c = export(name, fields, "custom", "csv")
    assert c["ok"] and c["filename"] == f"{name}.csv" and c["text"].endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(c["text"])))
    outs = {r["name"]: json.loads(r["value"]) for r in rows if r["section"] == "output"}
    ins = {r["name"]: r["value"] for r in rows if r["section"] == "input"}
    assert outs == expected
    assert calc.validate(ins) == calc.validate(fields)
    assert [r["name"] for r in rows] == [i.name for i in calc.inputs] + [o.name for o in calc.outputs]


def test_export_refuses_invalid_inputs():
    for kind in ("csv", "json"):
        r = export("training-cost", {"mfu": "2"}, "", kind)
        assert not r["ok"] and r["errors"][0]["field"] == "mfu" and r["message"]
    assert not api.API["export"]("training-cost", {}, "", "xml")["ok"]


def test_export_names_the_preset_only_when_the_values_are_its():
    tc = calculators.get("training-cost")
    doc = json.loads(export("training-cost", built_of(tc, "llama-3.1-405b"), "llama-3.1-405b", "json")["text"])
    assert doc["preset"] == "llama-3.1-405b" and doc["command"].endswith("--preset llama-3.1-405b")
    doc = json.loads(
        export("training-cost", dict(built_of(tc, "llama-3.1-405b"), mfu="0.5"), "llama-3.1-405b", "json")["text"]
    )
    assert doc["preset"] is None


# --------------------------------------------------------------------------------------------------------------------
# Scenarios


def test_keep_compare_and_baseline():
    tc = calculators.get("training-cost")
    a = keep("training-cost", "  H100  at\n40% ", dict(built_of(tc), gpu="h100", mfu="0.4"), "custom", 0)
    assert a["ok"] and a["scenario"]["label"] == "H100 at 40%" and a["scenario"]["preset"] == ""
    b = baseline("training-cost", 1)
    assert b["ok"] and b["scenario"]["preset"] == "deepseek-v3"
    c = compare("training-cost", [a["scenario"], b["scenario"]])
    assert [col["label"] for col in c["columns"]] == ["H100 at 40%", "DeepSeek-V3 (baseline)"]
    rows = {r["name"]: r for r in c["rows"] if r["section"] != "heading"}
    assert rows["gpu"]["differs"] and rows["gpu"]["texts"] == ["h100", "h800"]
    assert rows["mfu"]["differs"] and rows["mfu"]["texts"] == ["40%", "38.9%"]
    assert not rows["tokens"]["differs"]
    # reported basis: the cost does not depend on the GPU or the MFU, the implied MFU does
    assert not rows["cost_usd"]["differs"] and rows["implied_mfu_fp8"]["differs"] is False
    assert rows["peak_flops_per_gpu"]["differs"] is False  # H100 and H800 share their dense peak
    assert c["legend"].startswith("Highlighted rows differ")
    assert [r["label"] for r in c["rows"] if r["section"] == "heading"] == ["Inputs", "Outputs"]
    assert all(r["span"] == 3 for r in c["rows"] if r["section"] == "heading")


def test_compare_shows_a_refused_scenario():
    ok = baseline("kv-cache")["scenario"]
    bad = {"label": "<b>bad</b>", "inputs": {"n_layers": "abc"}, "preset": ""}
    c = compare("kv-cache", [ok, bad, "junk", {"label": 5, "inputs": None}])
    assert [col["label"] for col in c["columns"]] == [
        "DeepSeek-V3 (baseline)",
        "<b>bad</b>",
        "Scenario 3",
        "Scenario 4",
    ]
    assert c["columns"][1]["error"].startswith("n_layers") and c["columns"][2]["error"]
    out = next(r for r in c["rows"] if r["name"] == "kv_cache_bytes_per_token")
    assert out["texts"][1:] == ["—", "—", "—"] and not out["differs"]


def test_keep_limits():
    tc = calculators.get("training-cost")
    assert keep("training-cost", "", built_of(tc), "", 3)["scenario"]["label"] == "Scenario 4"
    full = keep("training-cost", "x", built_of(tc), "", MAX_SCENARIOS)
    assert not full["ok"] and "remove one" in full["message"]
    assert not keep("training-cost", "x", {"mfu": "-1"}, "", 0)["ok"]
    assert len(keep("training-cost", "y" * 500, built_of(tc), "", 0)["scenario"]["label"]) == MAX_LABEL
    assert compare("training-cost", [baseline("training-cost")["scenario"]] * 20)["full"]
    assert len(compare("training-cost", [baseline("training-cost")["scenario"]] * 20)["columns"]) == MAX_SCENARIOS


def test_kept_config_compares_by_model():
    ym = calculators.get("your-model")
    mix = keep("your-model", "Mixtral", built_of(ym, "mixtral-8x7b"), "mixtral-8x7b", 0)["scenario"]
    c = compare("your-model", [mix, baseline("your-model")["scenario"]])
    row = next(r for r in c["rows"] if r["name"] == "config")
    assert row["differs"] and row["texts"] == ["Mixtral 8x7B", "DeepSeek-V3 (also DeepSeek-R1's architecture)"]


# --------------------------------------------------------------------------------------------------------------------
# The page functions, as the worker calls them


def test_the_page_api_is_the_explicit_table():
    assert set(api.API) == {
        "compute",
        "chart",
        "read_permalink",
        "write_permalink",
        "cli_command",
        "export",
        "keep",
        "baseline",
        "compare",
    }
    for fn in ("declarations", "compute_json", "field_text", "__import__", "call"):
        out = json.loads(api.call(fn, "[]"))
        assert out["ok"] is False and "no page function" in out["errors"][0]["message"], fn


def _bad_args() -> tuple:
    """The bad argument lists the build's Pyodide workload sends every page function (one list, in the hook)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "docs" / "hooks" / "runtime_workload.py"
    spec = importlib.util.spec_from_file_location("_test_runtime_workload", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # standard library only at import time
    return module.BAD_ARGS


@pytest.mark.parametrize("fn", sorted(api.API))
def test_bad_arguments_never_raise(fn):
    for args in _bad_args():
        out = json.loads(api.call(fn, json.dumps(args)))
        assert isinstance(out, dict) and "ok" in out, (fn, args, out)
