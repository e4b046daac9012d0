"""Chart data (calculators/page/charts.py, its axes page/axes.py): pinned to the published figures where a chart
shows one, plus structure.

Sources pinned here:
- DeepSeek-R1 (Nature 2025), Supplementary Information §2.4.4 (arXiv 2501.12948 v2, Appendix B.4.4, Table 7):
  147K H800 GPU-hours, $294K at $2 per GPU-hour.
- DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1: pre-training 2,664K GPU-hours ($5.328M), context
  extension 119K ($0.238M), post-training 5K ($0.01M); $2 per GPU-hour.
- "Insights into DeepSeek-V3" (ISCA 2025), Table 1, KV cache per token in BF16: DeepSeek-V3 70.272 KB,
  Qwen-2.5 72B 327.680 KB, LLaMA-3.1 405B 516.096 KB.
"""

from __future__ import annotations

import itertools
import json
import math
import re

import pytest
from checks import double, number

import calculators
from calculators import Chart, Output
from calculators.core import fmt
from calculators.core.ranges import declared_ranges, run_ranges
from calculators.page import api, axes
from calculators.page.charts import chart_data

CHARTED = [(name, k) for name, c in calculators.all().items() for k in range(len(c.charts))]


# --------------------------------------------------------------------------------------------------------------------
# Published figures


def test_full_bill_waterfall_starts_with_the_published_bills():
    d = chart_data("full-bill", {}, None, 0)
    assert d["ok"] and d["kind"] == "waterfall"
    steps = d["series"][0]["values"]
    # R1's RL ($294K), then V3's Table 1 stages: $5.328M, $0.238M, $0.01M (exact: whole GPU-hours × $2)
    assert steps[:4] == [294_000, 5_328_000, 238_000, 10_000]
    assert d["bars"][:4] == [[0, 294_000], [294_000, 5_622_000], [5_622_000, 5_860_000], [5_860_000, 5_870_000]]
    # V3's stages sum to its $5.576M
    assert sum(steps[1:4]) == 5_576_000
    assert d["series"][0]["texts"][0] == "$294,000"


def test_full_bill_waterfall_as_published_is_r1_plus_v3():
    d = chart_data("full-bill", {}, "published", 0)
    assert d["ok"]
    total = d["bars"][-1]
    assert total == [0, 294_000 + 5_576_000]
    assert d["roles"][-1] == "total"


def test_kv_sweep_at_one_token_is_isca_table_1():
    d = chart_data("kv-cache", {}, None, 0)
    assert d["ok"] and d["kind"] == "sweep"
    assert d["x_values"][0] == 1
    by_name = {s.get("preset", "inputs"): s for s in d["series"]}
    assert by_name["inputs"]["values"][0] == 70_272  # DeepSeek-V3: 61 × (512 + 64) × 2 bytes
    assert by_name["llama-3.1-405b"]["values"][0] == 516_096
    assert by_name["qwen2.5-72b"]["values"][0] == 327_680
    # the defaults are DeepSeek-V3's, so V3 is not drawn twice: the inputs' line is named after it
    assert "deepseek-v3" not in by_name
    assert "DeepSeek-V3" in by_name["inputs"]["name"]
    assert by_name["inputs"]["texts"][0] == fmt(70_272, "bytes")


def test_kv_sweep_for_llama_inputs_compares_with_v3():
    d = chart_data("kv-cache", {}, "llama-3.1-405b", 0)
    by_name = {s.get("preset", "inputs"): s for s in d["series"]}
    assert by_name["inputs"]["values"][0] == 516_096
    assert by_name["deepseek-v3"]["values"][0] == 70_272
    assert "llama-3.1-405b" not in by_name


# --------------------------------------------------------------------------------------------------------------------
# Agreement with the calculators themselves


def test_waterfall_total_is_the_calculators_total():
    calc = calculators.get("full-bill")
    for preset in (None, "published", "rented-full", "owned-fleet"):
        d = chart_data("full-bill", {}, preset, 0)
        out = calc.run({}, preset)
        assert math.isclose(d["bars"][-1][1], out["total_cost_usd"], rel_tol=1e-12)
        # each bar ends where the calculator's running total does
        for (start, end), key in zip(d["bars"][:-1], d["keys"][:-1], strict=True):
            cum = key.replace("step_", "cum_")
            assert math.isclose(end, out[cum], rel_tol=1e-12, abs_tol=1e-6)
            assert math.isclose(end - start, out[key], rel_tol=1e-9, abs_tol=1e-6)


def test_waterfall_negative_step_is_a_decrease():
    d = chart_data("full-bill", {"hardware": "owned", "fleet_capex_usd": "0", "fleet_operating_usd": "0"}, None, 0)
    assert d["ok"]
    k = d["keys"].index("step_hardware_usd")
    assert d["roles"][k] == "decrease"
    assert d["series"][0]["texts"][k].startswith("−$")
    start, end = d["bars"][k]
    assert end < start


@pytest.mark.parametrize("name", ["full-bill", "training-cost", "rl-cost"])
def test_tornado_is_ranges_sensitivity_at_the_defaults(name):
    calc = calculators.get(name)
    k = next(i for i, c in enumerate(calc.charts) if c.kind == "tornado")
    chart = calc.charts[k]
    d = chart_data(name, {}, None, k)
    assert d["ok"] and d["kind"] == "tornado"
    rows = run_ranges(calc, declared_ranges(calc))["sensitivity"][chart.output]
    assert d["keys"] == [r["input"] for r in rows]
    assert list(d["bars"]) == [[r["output_at_low"], r["output_at_high"]] for r in rows]
    swings = [abs(b[1] - b[0]) for b in d["bars"]]
    assert swings == sorted(swings, reverse=True)
    assert d["base"]["value"] == calc.run()[chart.output]


def test_tornado_price_range_for_r1():
    # $1.50 to $3.50 per GPU-hour over R1's 147K GPU-hours (Table 7); R1's "about 4 days, or roughly 80 hours"
    # (80 to 96 h) moves nothing on the reported basis, and the row says so
    d = chart_data("rl-cost", {}, None, 0)
    assert d["keys"] == ["price_per_gpu_hour", "r1_hours"]
    assert d["bars"] == [[220_500, 514_500], [294_000, 294_000]]
    assert d["table"]["rows"][0][1] == "$1.50 per GPU-hour to $3.50 per GPU-hour"
    assert d["labels"][1] == "R1 wall-clock time (no effect at these inputs)"


def test_tornado_ranks_r1s_hours_on_the_cluster_basis():
    # 512 H800s ("64*8") × 198 h and 80 h, + 5K GPU-hours, at $2: $294,672; "about 4 days" (96 h) for R1 adds
    # 512 × 16 h × $2 = $16,384; the price range still moves it most
    d = chart_data("rl-cost", {"basis": "cluster"}, None, 0)
    assert d["keys"] == ["price_per_gpu_hour", "r1_hours"]
    assert d["base"]["value"] == 294_672
    assert d["bars"][1] == [294_672, 294_672 + 16_384]


def test_tornado_widens_the_range_to_the_current_value():
    d = chart_data("rl-cost", {"price_per_gpu_hour": "5"}, None, 0)
    assert d["ok"]
    assert d["base"]["value"] == 147_000 * 5
    assert d["bars"][0] == [147_000 * 1.5, 147_000 * 5]


def test_tornado_order_follows_the_inputs():
    # with staff left out, staff cost per head no longer moves the total at all
    d = chart_data("full-bill", {"staff_headcount": "0"}, None, 1)
    assert d["ok"]
    swing = dict(zip(d["keys"], (abs(b - a) for a, b in d["bars"]), strict=True))
    assert swing["staff_cost_per_head_usd"] == 0
    assert d["keys"][0] != "staff_cost_per_head_usd"


def test_sweep_other_inputs_as_given():
    d = chart_data("kv-cache", {"bytes_per_element": "1", "batch_size": "4"}, None, 0)
    own = d["series"][0]
    assert own["values"][0] == 70_272 / 2 * 4
    calc = calculators.get("kv-cache")
    i = d["current_index"]
    assert d["x_values"][i] == 163_840  # DeepSeek-V3's max_position_embeddings (config.json), the default context
    assert own["values"][i] == calc.run({"bytes_per_element": 1, "batch_size": 4})["kv_cache_bytes"]


# --------------------------------------------------------------------------------------------------------------------
# Structure


def test_every_declared_chart_has_data():
    assert {n for n, _ in CHARTED} >= {"full-bill", "kv-cache", "training-cost", "rl-cost"}
    for name, k in CHARTED:
        d = chart_data(name, {}, None, k)
        assert d["ok"], (name, k, d.get("errors"))


def check_chart_structure(calc, index) -> None:
    """The chart's data at the defaults: plain finite JSON, a label and a text per point, sorted ticks inside the
    axes, a table and a summary."""
    d = chart_data(calc.name, {}, None, index)
    assert d["ok"], (calc.name, index, d.get("errors"))
    json.dumps(d, allow_nan=False)  # plain JSON, nothing infinite
    assert d["kind"] == calc.charts[index].kind and d["title"] == calc.charts[index].title
    n = len(d["labels"])
    assert n > 0 and all(isinstance(x, str) and x for x in d["labels"])
    for s in d["series"]:
        assert len(s["values"]) == len(s["texts"]) == n
        assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in s["values"])
        assert all(isinstance(t, str) and t and "nan" not in t.lower() for t in s["texts"])
        if "bars" in s:
            assert len(s["bars"]) == n
    if "bars" in d:
        assert len(d["bars"]) == n
    for axis in d["axes"].values():
        if axis["scale"] == "category":
            continue
        ticks = axis["ticks"]
        assert 2 <= len(ticks) <= axes.MAX_TICKS + 1
        assert [t["value"] for t in ticks] == sorted(t["value"] for t in ticks)
        assert axis["min"] <= ticks[0]["value"] and ticks[-1]["value"] <= axis["max"]
        assert all(isinstance(t["text"], str) and t["text"] for t in ticks)
    table = d["table"]
    assert table["columns"] and all(len(r) == len(table["columns"]) for r in table["rows"])
    assert all(isinstance(c, str) for r in table["rows"] for c in r)
    assert d["summary"] and (d["x_label"] or d["y_label"])


@pytest.mark.parametrize("name,index", CHARTED)
def test_structure(name, index):
    check_chart_structure(calculators.get(name), index)


def test_structure_check_rejects_a_sweep_with_no_finite_value_at_an_end(monkeypatch):
    # y = a ÷ b swept over b from 0: the first point is inf, so the page would get no chart
    ab = (number("a", 1, 0, 10), number("b", 1, 0, 10))
    calc = double(
        lambda a, b: {"y": a / b if b else math.inf},
        ab,
        (Output("y", "Y", "GPU-hours"),),
        charts=(Chart("sweep", "Y against B", output="y", over="b"),),
    )
    monkeypatch.setitem(calculators.all(), calc.name, calc)
    with pytest.raises(AssertionError):
        check_chart_structure(calc, 0)


def test_values_fit_inside_the_axes():
    for name, k in CHARTED:
        d = chart_data(name, {}, None, k)
        value_axis = d["axes"]["x" if d.get("index_axis") == "y" else "y"]
        ends = [e for s in d["series"] for e in (s.get("bars") and sum(s["bars"], []) or s["values"])]
        assert value_axis["min"] <= min(ends) and max(ends) <= value_axis["max"], (name, k)


def test_titles_hold_no_typed_figures():
    for name, k in CHARTED:
        title = calculators.get(name).charts[k].title
        # a figure is a number standing alone ("$294K", "5.576M"); model names (R1, V3) are words
        assert not re.search(r"(?<![A-Za-z0-9])\d", title) and "$" not in title, title


def test_sweep_points_log_and_whole():
    calc = calculators.get("kv-cache")
    xs, log = axes.sweep_points(calc.input("context_length"))
    assert log and xs[0] == 1 and xs[-1] == 100_000_000
    assert all(isinstance(x, int) for x in xs)
    assert 20 <= len(xs) <= axes.SWEEP_POINTS
    ratios = [b / a for a, b in itertools.pairwise(xs[5:])]
    assert max(ratios) / min(ratios) < 1.01  # evenly spaced on a log scale


def test_linear_axis_ticks():
    a = axes.linear_axis(294_000, 56_204_000, "USD")
    assert a["min"] == 0 and a["max"] == 60_000_000
    assert [t["text"] for t in a["ticks"]][:2] == ["$0", "$10 million"]
    b = axes.linear_axis(-0.3, 0.7, "fraction")
    assert b["min"] <= -0.3 and b["max"] >= 0.7 and any(t["value"] == 0 for t in b["ticks"])
    c = axes.linear_axis(5, 5, "USD")
    assert c["min"] <= 5 <= c["max"] and c["min"] < c["max"]


def test_log_axis_ticks_are_powers_of_ten():
    a = axes.log_axis(70_272, 7.03e12, "bytes")
    assert a["min"] == 1e4 and 1e13 <= a["max"] <= 1e14
    assert a["ticks"][0]["value"] == a["min"] and a["ticks"][-1]["value"] == a["max"]  # both ends labelled
    for t in a["ticks"]:
        assert math.log10(t["value"]) == round(math.log10(t["value"]))
    assert "(" not in "".join(t["text"] for t in a["ticks"])  # no binary units on the ticks


@pytest.mark.parametrize(
    "inputs,preset,index,field",
    [
        ({"context_length": "abc"}, None, 0, "context_length"),
        ({"context_length": "0"}, None, 0, "context_length"),
        ({"no_such_input": "1"}, None, 0, "no_such_input"),
        ({}, "no-such-preset", 0, "preset"),
        ({}, None, 5, "chart"),
        ({}, None, "0", "chart"),
        ({"attention": "gqa", "n_kv_heads": "256"}, None, 0, "n_kv_heads"),
    ],
)
def test_invalid_inputs_are_errors_not_charts(inputs, preset, index, field):
    d = chart_data("kv-cache", inputs, preset, index)
    assert d["ok"] is False
    assert field in [e["field"] for e in d["errors"]]
    assert "series" not in d and "table" not in d


def test_unknown_calculator_and_chartless_calculator():
    assert chart_data("nope", {}, None, 0)["errors"][0]["field"] == "calculator"
    plain = next(n for n, c in calculators.all().items() if not c.charts)
    assert chart_data(plain, {}, None, 0)["ok"] is False


def test_through_the_worker_entry_point():
    out = json.loads(api.call("chart", json.dumps(["kv-cache", {"context_length": "1"}, None, 0])))
    assert out["ok"] and out["series"][0]["values"][out["current_index"]] == 70_272
    assert json.loads(api.call("chart", json.dumps(["kv-cache"])))["ok"]  # inputs, preset and index optional


def test_same_answer_for_strings_and_numbers():
    a = chart_data("training-cost", {"price_per_gpu_hour": "2.5", "gpu_hours": "2,788,000"}, None, 0)
    b = chart_data("training-cost", {"price_per_gpu_hour": 2.5, "gpu_hours": 2_788_000}, None, 0)
    assert a == b
