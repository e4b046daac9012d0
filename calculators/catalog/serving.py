"""serving: DeepSeek's one-day inference statistics (Open Source Week, day 6, 1 March 2025) and R1's prices.

Over 24 hours from 27 Feb 2025 12:00 (UTC+8), V3 and R1 inference averaged 226.75 nodes of 8 H800 GPUs; at $2 per
GPU-hour that is $87,072. The fleet took 608B input tokens, 342B (56.3%) of them served from the on-disk KV cache, and
produced 168B output tokens; each node averaged ~73.7k input tokens/s in prefill (cache hits included) or ~14.8k output
tokens/s in decode. Billed at R1's prices ($0.14 per million cache-hit input tokens, $0.55 per million cache-miss, $2.19
per million output) the day would have earned $562,027: a "cost profit margin" of 545%, i.e. revenue ÷ cost − 1.
DeepSeek says actual revenue is "substantially lower": V3 is cheaper, web and app use is free, nights are discounted.
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Q, fmt_plain, src
from ..models.facts import RENTAL, fact, range_source

DAY6 = "deepseek-day6"
NODES = src(
    f'{DAY6}: "peak node occupancy ... reached 278, with an average occupancy of 226.75 nodes (each node '
    'contains 8 H800 GPUs)"'
)
LEASE = src(
    f'{DAY6}: "Assuming the leasing cost of one H800 GPU is $2 per hour, the total daily cost amounts to $87,072"'
)
WINDOW = src(f'{DAY6}: "24-hour statistical period (UTC+8 02/27/2025 12:00 PM to 02/28/2025 12:00 PM)"')
TOKENS_IN = src(f'{DAY6}: "Total input tokens: 608B, of which 342B tokens (56.3%) hit the on-disk KV cache"')
TOKENS_OUT = src(f'{DAY6}: "Total output tokens: 168B"')
V3_PRICE = src(
    "deepseek-pricing: deepseek-chat (DeepSeek-V3) standard price after the February 2025 change: $0.07 per "
    "1M input tokens (cache hit), $0.27 (cache miss), $1.10 per 1M output tokens"
)
R1_PRICE = src(
    f'{DAY6}: footnote (*) "R1 Pricing: $0.14/M input tokens (cache hit), $0.55/M input tokens (cache '
    'miss), $2.19/M output tokens" (also the deepseek-pricing page, Jan-Feb 2025)'
)
O1_PRICE = src(
    "openai-pricing: o1, $15.00 per 1M input tokens, $7.50 per 1M cached input tokens, $60.00 per 1M output "
    "tokens (January 2025)"
)

PRICE_HELP = "R1's list price by default (DeepSeek's day-6 figure); the v3-prices preset enters V3's (deepseek-chat)."

M = Q.const(1e6, "10^6")
SECONDS_PER_HOUR = Q.const(3600, "3,600 s/h")
PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)


def serving(
    avg_nodes,
    gpus_per_node,
    hours,
    price_per_gpu_hour,
    input_tokens,
    cache_hit_tokens,
    output_tokens,
    r1_cache_hit_price,
    r1_cache_miss_price,
    r1_output_price,
    o1_cached_price,
    o1_input_price,
    o1_output_price,
    prefill_tokens_per_node_s,
    decode_tokens_per_node_s,
):
    if cache_hit_tokens > input_tokens:
        got, limit = fmt_plain(cache_hit_tokens.value), fmt_plain(input_tokens.value)
        raise InputError("cache_hit_tokens", f"cannot exceed the input tokens ({limit}); got {got}")
    hit, out = cache_hit_tokens, output_tokens
    miss = (input_tokens - hit).named("cache-miss tokens", "tokens")
    gpu_hours = (avg_nodes * gpus_per_node * hours).named("GPU-hours", "GPU-hours")
    cost = (gpu_hours * price_per_gpu_hour).named("cost", "USD")
    rev_hit = hit / M * r1_cache_hit_price
    rev_miss = miss / M * r1_cache_miss_price
    rev_out = out / M * r1_output_price
    revenue = (rev_hit + rev_miss + rev_out).named("revenue", "USD")
    o1_revenue = ((hit * o1_cached_price + miss * o1_input_price + out * o1_output_price) / M).named(
        "revenue at o1 prices", "USD"
    )
    node_hour = (gpus_per_node * price_per_gpu_hour).named("cost per node-hour", "USD")
    cost_in = node_hour / (prefill_tokens_per_node_s * SECONDS_PER_HOUR / M)
    cost_out = (node_hour / (decode_tokens_per_node_s * SECONDS_PER_HOUR / M)).named(
        "decode cost per million output tokens", "USD/M tokens"
    )
    prefill_nh = (input_tokens / prefill_tokens_per_node_s / SECONDS_PER_HOUR).named("prefill node-hours", "node-hours")
    decode_nh = out / decode_tokens_per_node_s / SECONDS_PER_HOUR
    needed = (prefill_nh + decode_nh).named("node-hours needed", "node-hours")
    fleet_nh = (avg_nodes * hours).named("node-hours in service", "node-hours")
    no_input = Q.const(0.0).explain("not applicable: no input tokens")
    if miss:
        cost_miss = (prefill_nh * node_hour / (miss / M)).named(
            "prefill cost per million cache-miss tokens", "USD/M tokens"
        )
        miss_ratio = r1_cache_miss_price / cost_miss
    else:
        cost_miss = miss_ratio = Q.const(0.0).explain("not applicable: no cache-miss tokens")
    return {
        "gpu_hours_per_day": gpu_hours,
        "cost_per_day_usd": cost,
        "cache_hit_share": hit / input_tokens if input_tokens else no_input,
        "revenue_per_day_usd": revenue,
        "output_share_of_revenue": rev_out.named("output-token revenue", "USD") / revenue,
        "cost_profit_margin": revenue / cost - 1,
        "gross_margin": 1 - cost / revenue,
        "cost_per_m_input_tokens": cost_in,
        "cost_per_m_cache_miss_tokens": cost_miss,
        "cache_miss_price_over_cost": miss_ratio,
        "cost_per_m_output_tokens": cost_out,
        "output_price_over_cost": r1_output_price / cost_out,
        "fleet_cost_per_m_output_tokens": cost / (out / M),
        "throughput_node_hours": needed,
        "fleet_node_hours": fleet_nh,
        "throughput_over_fleet": needed / fleet_nh,
        "o1_revenue_per_day_usd": o1_revenue,
        "o1_over_r1_output_price": o1_output_price / r1_output_price,
        "o1_over_r1_input_price": o1_input_price / r1_cache_miss_price,
        "o1_over_r1_cached_price": o1_cached_price / r1_cache_hit_price,
        "o1_over_r1_day": o1_revenue / revenue,
    }


CALCULATOR = Calculator(
    name="serving",
    title="Serving V3 and R1: one day's cost and theoretical revenue",
    summary="DeepSeek's own 24-hour statistics: the H800 fleet's rental cost, the revenue the day's tokens would "
    "have earned at list prices (R1's, as DeepSeek counted it, or V3's), the \"cost profit margin\" (545% at R1's), "
    "cost per million tokens from per-node throughput, and those prices against o1's.",
    inputs=(
        Input(
            "avg_nodes",
            "Average nodes in service",
            "nodes",
            226.75,
            NODES,
            min=0.01,
            max=1_000_000,
            symbol="nodes",
            help="Peak was 278 nodes; the fleet shrinks at night and the freed nodes do research and training.",
        ),
        Input(
            "gpus_per_node",
            "GPUs per node (H800)",
            "GPUs",
            8,
            NODES,
            type="int",
            min=1,
            max=1_000,
            symbol="GPUs per node",
        ),
        Input("hours", "Period", "hours", 24, WINDOW, min=0.01, max=100_000, symbol="hours"),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            LEASE,
            min=0.01,
            max=1_000,
            range=PRICE_RANGE,
            range_source=range_source(RENTAL),
            step=0.1,
            symbol="price per GPU-hour",
            help="DeepSeek's assumption. The range is H100 rental from resellers and marketplaces in 2023-24 (Latent "
            "Space, Oct 2024), under $2 to $3.50; hyperscalers' on-demand list prices were several times higher.",
        ),
        Input("input_tokens", "Input tokens", "tokens", 608e9, TOKENS_IN, min=0, max=1e18, symbol="input tokens"),
        Input(
            "cache_hit_tokens",
            "of which served from the KV cache",
            "tokens",
            342e9,
            TOKENS_IN,
            min=0,
            max=1e18,
            symbol="cache-hit tokens",
        ),
        Input("output_tokens", "Output tokens", "tokens", 168e9, TOKENS_OUT, min=1, max=1e18, symbol="output tokens"),
        # The list prices the day is billed at: R1's by default, V3's under the v3-prices preset (hence labels that
        # name no model; the flags keep their r1- names).
        Input(
            "r1_cache_hit_price",
            "List price, input (cache hit)",
            "USD/M tokens",
            0.14,
            R1_PRICE,
            min=0.0001,
            max=10_000,
            symbol="cache-hit price",
            help=PRICE_HELP,
        ),
        Input(
            "r1_cache_miss_price",
            "List price, input (cache miss)",
            "USD/M tokens",
            0.55,
            R1_PRICE,
            min=0.0001,
            max=10_000,
            symbol="cache-miss price",
            help=PRICE_HELP,
        ),
        Input(
            "r1_output_price",
            "List price, output",
            "USD/M tokens",
            2.19,
            R1_PRICE,
            min=0.0001,
            max=10_000,
            symbol="output price",
            help=PRICE_HELP,
        ),
        Input(
            "o1_cached_price",
            "o1 price, cached input",
            "USD/M tokens",
            7.5,
            O1_PRICE,
            min=0,
            max=10_000,
            symbol="o1 cached-input price",
        ),
        Input(
            "o1_input_price",
            "o1 price, input",
            "USD/M tokens",
            15.0,
            O1_PRICE,
            min=0,
            max=10_000,
            symbol="o1 input price",
        ),
        Input(
            "o1_output_price",
            "o1 price, output",
            "USD/M tokens",
            60.0,
            O1_PRICE,
            min=0,
            max=10_000,
            symbol="o1 output price",
        ),
        Input(
            "prefill_tokens_per_node_s",
            "Prefill throughput per node (incl. cache hits)",
            "tokens/s",
            fact("deepseek-serving.prefill_tokens_per_node_s"),
            min=0.001,
            max=1e12,
            symbol="prefill throughput",
        ),
        Input(
            "decode_tokens_per_node_s",
            "Decode throughput per node",
            "tokens/s",
            fact("deepseek-serving.decode_tokens_per_node_s"),
            min=0.001,
            max=1e12,
            symbol="decode throughput",
        ),
    ),
    outputs=(
        Output("gpu_hours_per_day", "GPU-hours in the period", "GPU-hours"),
        Output("cost_per_day_usd", "Cost of the period", "USD"),
        Output("cache_hit_share", "Input tokens served from the KV cache", "fraction"),
        Output(
            "revenue_per_day_usd",
            "Theoretical revenue at the list prices entered",
            "USD",
        ),
        Output("output_share_of_revenue", "Share of that revenue from output tokens", "fraction"),
        Output(
            "cost_profit_margin",
            "Cost profit margin (revenue ÷ cost − 1)",
            "fraction",
            help="Profit as a share of cost (a markup), not of revenue. DeepSeek's published figure, with every "
            "token at R1's prices, is 545%.",
        ),
        Output("gross_margin", "The same as a margin on revenue", "fraction"),
        Output(
            "cost_per_m_input_tokens",
            "Prefill cost per million input tokens, cache hits and misses together",
            "USD/M tokens",
            help="A prefill node-hour spread over every input token it handled, including the cache hits, which "
            "are loaded from disk rather than computed.",
        ),
        Output(
            "cost_per_m_cache_miss_tokens",
            "Prefill cost per million cache-miss tokens (all prefill node time charged to the misses)",
            "USD/M tokens",
            help="An upper bound: the cache hits also take some prefill node time, charged here to the misses.",
        ),
        Output("cache_miss_price_over_cost", "Cache-miss list price ÷ that prefill cost", "ratio"),
        Output(
            "cost_per_m_output_tokens",
            "Decode cost per million output tokens (decode nodes only)",
            "USD/M tokens",
        ),
        Output(
            "output_price_over_cost",
            "Output list price ÷ decode cost (decode nodes only; prefill not charged to output)",
            "ratio",
        ),
        Output(
            "fleet_cost_per_m_output_tokens",
            "The whole fleet's cost per million output tokens (prefill nodes included: an upper bound)",
            "USD/M tokens",
        ),
        Output(
            "throughput_node_hours",
            "Node-hours the day's tokens need at those throughputs",
            "node-hours",
        ),
        Output("fleet_node_hours", "Node-hours in service", "node-hours"),
        Output(
            "throughput_over_fleet",
            "Needed ÷ in service (consistency check)",
            "ratio",
            help="About 1: the per-node throughputs are the day's tokens divided by the node-time spent on them.",
        ),
        Output("o1_revenue_per_day_usd", "The same tokens at o1 prices", "USD"),
        Output("o1_over_r1_output_price", "o1 ÷ the list entered, output price", "ratio"),
        Output("o1_over_r1_input_price", "o1 ÷ the list entered, input price (cache miss)", "ratio"),
        Output("o1_over_r1_cached_price", "o1 ÷ the list entered, input price (cache hit)", "ratio"),
        Output("o1_over_r1_day", "o1 ÷ the list entered, the day's token mix", "ratio"),
    ),
    function=serving,
    headline="cost_profit_margin",
    key_inputs=("avg_nodes", "price_per_gpu_hour", "output_tokens", "cache_hit_tokens", "r1_output_price"),
    key_outputs=("cost_profit_margin", "revenue_per_day_usd", "cost_per_day_usd"),
    presets=(
        Preset("day6", "DeepSeek's day-6 disclosure, every token at R1 prices", {}, R1_PRICE),
        Preset(
            "v3-prices",
            "The same day, every token at V3's (deepseek-chat) prices",
            {"r1_cache_hit_price": 0.07, "r1_cache_miss_price": 0.27, "r1_output_price": 1.10},
            V3_PRICE,
        ),
        Preset("peak-fleet", "The peak fleet (278 nodes) kept all day", {"avg_nodes": 278}, NODES),
    ),
    notes="Theoretical revenue: every token billed at the list prices entered (R1's by default, as DeepSeek "
    "counted it), including free web and app use and V3 traffic (V3 is priced lower: the v3-prices preset). The cost "
    "is GPU rental only: no staff, storage, networking or power beyond the rental price. Per-million-token costs "
    "charge a node to the phase it serves: prefill nodes to input tokens (hits and misses, or misses alone), decode "
    "nodes to output tokens; the whole fleet over the output tokens is the upper bound.",
)
