"""serving against DeepSeek's day-6 inference statistics and the R1 and o1 price lists.

Source: deepseek-ai/open-infra-index,
202502OpenSourceWeek/day_6_one_more_thing_deepseekV3R1_inference_system_overview.md (1 March 2025),
24 h from 27 Feb 2025 12:00 UTC+8:
    "average occupancy of 226.75 nodes (each node contains 8 H800 GPUs)"; "Assuming the leasing cost of one H800 GPU
    is $2 per hour, the total daily cost amounts to $87,072"; "Total input tokens: 608B, of which 342B tokens (56.3%)
    hit the on-disk KV cache"; "Total output tokens: 168B"; "~73.7k tokens/s input (including cache hits) during
    prefilling or ~14.8k tokens/s output during decoding"; "the total daily revenue would be $562,027, with a cost
    profit margin of 545%"; "(*) R1 Pricing: $0.14/M input tokens (cache hit), $0.55/M input tokens (cache miss),
    $2.19/M output tokens".
OpenAI API pricing, o1 (January 2025): $15.00 / 1M input, $7.50 / 1M cached input, $60.00 / 1M output.
"""

import itertools

import pytest
from cli_helpers import assert_clean_error, cli_in_process, for_calc

import calculators

SV = calculators.get("serving")


def test_daily_cost_exactly():
    # 226.75 × 8 × 24 × $2 = $87,072, exactly as published.
    assert SV.run()["cost_per_day_usd"] == 87_072


def test_theoretical_revenue_within_rounding_of_the_token_counts():
    # Published $562,027. The calculator gets $562,100 from the token counts as published, which are rounded to whole
    # billions (608B, 342B, 168B): half a billion tokens either way moves the revenue by up to $70 (cache hits),
    # $275 (misses) or $1,095 (output), so $73 apart (0.013%) is rounding. Tolerance 0.1%.
    assert SV.run()["revenue_per_day_usd"] == pytest.approx(562_027, rel=0.001)


def test_cost_profit_margin_545_percent():
    # "cost profit margin of 545%" = revenue ÷ cost − 1 = 5.45. Within 1 percentage point: $562,027 gives 545.47%,
    # the rounded token counts 545.56% (shown as 546%); the published figure drops the decimals.
    assert SV.run()["cost_profit_margin"] == pytest.approx(5.45, abs=0.01)


def test_cache_hit_share():
    # 342B of 608B "(56.3%)". Within 0.1 point (342/608 = 56.25%, published rounded up).
    assert SV.run()["cache_hit_share"] == pytest.approx(0.563, abs=0.001)


def test_o1_over_r1_output_price_27_4():
    # $60.00 ÷ $2.19 = 27.4× (the widely quoted "27 times cheaper"). Within 0.05.
    out = SV.run()
    assert out["o1_over_r1_output_price"] == pytest.approx(27.4, abs=0.05)
    assert out["o1_over_r1_input_price"] == pytest.approx(27.3, abs=0.05)  # $15.00 ÷ $0.55


def test_throughputs_account_for_the_fleet():
    # The per-node throughputs ("~73.7k tokens/s input (including cache hits) during prefilling or ~14.8k tokens/s
    # output during decoding"), applied to the day's tokens, need the node-hours the fleet was in service
    # (226.75 × 24 = 5,442): 2,292 prefill + 3,153 decode = 5,445 node-hours, the published averages consistent with
    # the published totals. Within 0.5%.
    out = SV.run()
    assert out["fleet_node_hours"] == pytest.approx(5_442, abs=1e-9)
    assert out["throughput_over_fleet"] == pytest.approx(1.0, abs=0.005)


def test_margin_on_revenue_is_not_the_545():
    # "Cost profit margin" is profit over cost; as a margin on revenue the same day is ~84.5%.
    out = SV.run()
    assert out["gross_margin"] == pytest.approx(1 - 87_072 / 562_027, abs=0.001)
    assert out["gross_margin"] < 1 < out["cost_profit_margin"]


def test_cache_miss_tokens_carry_the_prefill_cost():
    # The day's prefill node-hours at the published throughput: 608B ÷ 73.7k tokens/s ÷ 3,600 = 2,292; at $16 per
    # node-hour, over the 266B cache misses (608B − 342B): $0.138 per million, against $0.060 per million spread over
    # hits and misses together. Tolerance 0.5% (the throughput is "~73.7k").
    out = SV.run()
    assert out["cost_per_m_cache_miss_tokens"] == pytest.approx(608e9 / 73_700 / 3600 * 16 / 266e3, rel=0.005)
    assert out["cost_per_m_cache_miss_tokens"] == pytest.approx(0.138, abs=0.001)
    assert out["cost_per_m_input_tokens"] == pytest.approx(0.060, abs=0.001)
    # R1's cache-miss price ($0.55) is about 4× that cost.
    assert out["cache_miss_price_over_cost"] == pytest.approx(0.55 / 0.138, rel=0.01)
    # No misses: nothing to charge (not a division by zero).
    assert SV.run({"cache_hit_tokens": 608e9})["cost_per_m_cache_miss_tokens"] == 0


def test_labels_say_what_they_count():
    assert "cache hits and misses together" in SV.output("cost_per_m_input_tokens").label
    assert "all prefill node time charged to the misses" in SV.output("cost_per_m_cache_miss_tokens").label
    assert "decode nodes only" in SV.output("cost_per_m_output_tokens").label
    assert "decode nodes only" in SV.output("output_price_over_cost").label


def test_the_whole_fleet_over_the_output_tokens():
    # $87,072 ÷ 168B output tokens = $0.518 per million: every node, prefill included, charged to output (the upper
    # bound beside the decode-only $0.30). Tolerance 0.1%.
    out = SV.run()
    assert out["fleet_cost_per_m_output_tokens"] == pytest.approx(87_072 / 168e3, rel=0.001)
    assert out["cost_per_m_output_tokens"] < out["fleet_cost_per_m_output_tokens"]


def test_unit_costs_are_below_the_list_prices():
    out = SV.run()
    assert out["cost_per_m_output_tokens"] < 2.19 and out["cost_per_m_cache_miss_tokens"] < 0.55
    assert out["output_price_over_cost"] > 1


def test_cache_hits_cannot_exceed_input():
    with pytest.raises(calculators.InputError) as e:
        SV.run({"cache_hit_tokens": 700e9})
    assert e.value.field == "cache_hit_tokens"


@pytest.mark.parametrize(
    "inp,out,direction",
    [
        ("price_per_gpu_hour", "cost_profit_margin", -1),
        ("price_per_gpu_hour", "cost_per_m_output_tokens", +1),
        ("avg_nodes", "cost_per_day_usd", +1),
        ("output_tokens", "revenue_per_day_usd", +1),
        ("r1_output_price", "o1_over_r1_output_price", -1),
        ("decode_tokens_per_node_s", "cost_per_m_output_tokens", -1),
    ],
)
def test_monotonic(inp, out, direction):
    i = SV.input(inp)
    xs = [i.min + (i.max - i.min) * k / 20 for k in range(21)]
    ys = [SV.run({inp: x})[out] for x in xs]
    for a, b in itertools.pairwise(ys):
        assert direction * (b - a) >= -1e-9 * max(abs(a), abs(b), 1)


_cli = for_calc("serving")


@pytest.mark.parametrize(
    "flag,value,field",
    [
        ("--avg-nodes", "abc", "avg_nodes"),
        ("--avg-nodes", "0", "avg_nodes"),
        ("--price-per-gpu-hour", "nan", "price_per_gpu_hour"),
        ("--price-per-gpu-hour", "-2", "price_per_gpu_hour"),
        ("--output-tokens", "inf", "output_tokens"),
        ("--gpus-per-node", "8.5", "gpus_per_node"),
        ("--r1-output-price", "0", "r1_output_price"),
        ("--cache-hit-tokens", "1e12", "cache_hit_tokens"),
        ("--hours", "1e999", "hours"),
    ],
)
def test_cli_hostile_inputs(flag, value, field):
    # In this process: the same main() as `python -m calculators` (run as a subprocess below), without an interpreter
    # per case; an exception main() did not turn into a message fails the test as it would print a traceback.
    assert_clean_error(cli_in_process("serving", flag, value), field)


def test_cli_json_and_ranges_run():
    r = _cli("--json")
    assert r.returncode == 0 and '"cost_profit_margin"' in r.stdout
    r = _cli("--ranges")
    assert r.returncode == 0 and "Sensitivity" in r.stdout
