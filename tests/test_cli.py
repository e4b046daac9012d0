"""The command-line contract users script against (README, "Command line")."""

from __future__ import annotations

import json

import pytest
from checks import check_cli_json, check_cli_table, double, number
from cli_helpers import assert_clean_error, cli, cli_in_process

import calculators
from calculators import Input, Output, Source

# a test double's inputs and output (tests/checks.py double())
HOURS = number("gpu_hours", 2_788_000, 0, 1e10)
PRICE = number("price_per_gpu_hour", 2.0, 0, 1000, unit="USD/GPU-hour")
COST = (Output("cost_usd", "Cost", "USD"),)


def test_no_arguments_lists_every_calculator():
    r = cli()
    assert r.returncode == 0
    for name in calculators.all():
        assert name in r.stdout


def check_declaration_json(d: dict) -> None:
    """One entry of `--list --json`: outputs with name, label and unit; inputs with their bounds and a source that
    links and says where."""
    assert d["outputs"] and all({"name", "label", "unit"} <= set(o) for o in d["outputs"]), d["name"]
    for i in d["inputs"]:
        assert {"name", "type", "unit", "default", "min", "max", "source"} <= set(i), (d["name"], i["name"])
        assert i["source"]["url"] and i["source"]["where"], (d["name"], i["name"])


def test_list_json_is_the_declarations():
    r = cli("--list", "--json")
    assert r.returncode == 0
    decls = json.loads(r.stdout)
    assert [d["name"] for d in decls] == list(calculators.all())
    assert decls == [c.to_json() for c in calculators.all().values()]
    for d in decls:
        check_declaration_json(d)


def test_declaration_json_check_rejects_a_source_that_does_not_say_where():
    hours = Input("gpu_hours", "GPU-hours", "GPU-hours", 1, Source("deepseek-v3", ""), min=0, max=9)
    calc = double(lambda gpu_hours, price_per_gpu_hour: {"cost_usd": gpu_hours}, (hours, PRICE), COST)
    with pytest.raises(AssertionError):
        check_declaration_json(calc.to_json())


@pytest.mark.parametrize("name", list(calculators.all()))
def test_json_output_is_keyed_by_output_name_finite_and_the_librarys(name):
    check_cli_json(calculators.get(name), cli)


def _remembers(gpu_hours, price_per_gpu_hour, _seen=[]):  # noqa: B006 - the flaw under test
    _seen.append(gpu_hours)  # state kept between calls: the CLI and the library answer differently
    return {"cost_usd": gpu_hours * price_per_gpu_hour + len(_seen)}


def test_cli_json_check_rejects_a_calculator_the_cli_and_library_disagree_on(monkeypatch):
    calc = double(_remembers, (HOURS, PRICE), COST)
    monkeypatch.setitem(calculators.all(), calc.name, calc)  # the CLI finds it; run in this process
    with pytest.raises(AssertionError):
        check_cli_json(calc, cli_in_process)


@pytest.mark.parametrize("name", list(calculators.all()))
def test_readable_output_has_units_formulas_and_sources(name):
    check_cli_table(calculators.get(name), cli)


def test_cli_table_check_rejects_a_calculator_citing_no_published_source(monkeypatch):
    methods = Source("site-methods", "conventions (a test double)")
    inputs = tuple(Input(i.name, i.label, i.unit, i.default, methods, min=i.min, max=i.max) for i in (HOURS, PRICE))
    calc = double(lambda gpu_hours, price_per_gpu_hour: {"cost_usd": gpu_hours * price_per_gpu_hour}, inputs, COST)
    monkeypatch.setitem(calculators.all(), calc.name, calc)
    check_cli_json(calc, cli_in_process)  # otherwise sound
    with pytest.raises(AssertionError):
        check_cli_table(calc, cli_in_process)


def test_required_output_names():
    required = {
        "params": {"total_params", "active_params"},
        "kv-cache": {"kv_cache_bytes_per_token"},
        "training-cost": {"gpu_hours", "cost_usd"},
        "rl-cost": {"gpu_hours", "cost_usd"},
    }
    for name, outs in required.items():
        assert outs <= {o.name for o in calculators.get(name).outputs}, name
    flags = {i.flag for i in calculators.get("training-cost").inputs}
    assert {"--gpu-hours", "--price-per-gpu-hour"} <= flags


@pytest.mark.parametrize(
    "args,field",
    [
        (["rl-cost", "--price-per-gpu-hour", "abc"], "price_per_gpu_hour"),
        (["rl-cost", "--price-per-gpu-hour", "nan"], "price_per_gpu_hour"),
        (["rl-cost", "--price-per-gpu-hour", "inf"], "price_per_gpu_hour"),
        (["rl-cost", "--price-per-gpu-hour", "1e999"], "price_per_gpu_hour"),
        (["rl-cost", "--price-per-gpu-hour", "-2"], "price_per_gpu_hour"),
        (["rl-cost", "--gpus", "1.5"], "gpus"),
        (["rl-cost", "--gpus", "99999999999999999999999999999999999999"], "gpus"),
        (["rl-cost", "--basis", "guess"], "basis"),
        (["rl-cost", "--price-per-gpu-hour"], "price_per_gpu_hour"),
        (["rl-cost", "--no-such-input", "1"], "no_such_input"),
        (["rl-cost", "--preset", "nope"], "preset"),
        (["rl-cost", "--price-per-gpu-hour", "3/2/1"], "price_per_gpu_hour"),
        (["rl-cost", "--price-per-gpu-hour", "1/2"], "price_per_gpu_hour"),
        (["no-such-calculator"], "calculator"),
        (["params", "--config", "/nonexistent/config.json"], "config"),
    ],
)
def test_hostile_input_exits_2_with_one_line_naming_the_field(args, field):
    # In this process: the same main() as `python -m calculators`, without an interpreter per case (an exception
    # main() did not turn into a message fails the test as it would print a traceback); the next test runs one
    # refusal as a subprocess, through __main__'s exit status.
    assert_clean_error(cli_in_process(*args), field)


def test_a_refusal_exits_2_from_the_command_line():
    assert_clean_error(cli("rl-cost", "--gpus", "1.5"), "gpus")


def test_malformed_config_files(tmp_path):
    cases = {
        "broken.json": "{not json",
        "list.json": "[1, 2]",
        "binary.json": b"\xff\xfe\x00",
        "deep.json": "[" * 100000 + "]" * 100000,
        "empty.json": "",
    }
    for fname, content in cases.items():
        p = tmp_path / fname
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
        assert_clean_error(cli_in_process("params", "--config", str(p)), "config")
    p = tmp_path / "unknown.json"
    p.write_text(json.dumps({"model_type": "mamba", "hidden_size": 10}))
    assert_clean_error(cli_in_process("params", "--config", str(p)), "config")


def test_ranges_give_low_base_high_and_a_sensitivity_ranking():
    # DeepSeek-R1 SI §2.4.4: 147K GPU-hours; at $1.5/$2/$3.5 per GPU-hour the total is $220.5K / $294K / $514.5K.
    r = cli("rl-cost", "--price-per-gpu-hour", "1.5/2/3.5", "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["ranges"]["cost_usd"] == {"low": 220_500.0, "base": 294_000.0, "high": 514_500.0}
    assert res["sensitivity"]["cost_usd"][0]["input"] == "price_per_gpu_hour"


def test_runs_on_the_default_python3_too():
    """The calculators stay 3.11-compatible: the machine's default python3 runs them from a fresh clone."""
    r = cli("rl-cost", "--json", python="python3")
    assert r.returncode == 0, r.stderr
    # DeepSeek-R1 SI §2.4.4 (arXiv 2501.12948 v2 Table 7): 147K H800 GPU-hours, $294K. Exact.
    assert json.loads(r.stdout)["cost_usd"] == 294_000
