"""serving: DeepSeek's one-day inference statistics (Open Source Week, day 6, 1 March 2025) and R1's prices.

Over 24 hours from 27 Feb 2025 12:00 (UTC+8), V3 and R1 inference averaged 226.75 nodes of 8 H800 GPUs; at $2 per
GPU-hour that is $87,072. The fleet took 608B input tokens, 342B (56.3%) of them served from the on-disk KV cache, and
produced 168B output tokens; each node averaged ~73.7k input tokens/s in prefill (cache hits included) or ~14.8k output
tokens/s in decode. Billed at R1's prices ($0.14 per million cache-hit input tokens, $0.55 per million cache-miss, $2.19
per million output) the day would have earned $562,027: a "cost profit margin" of 545%, i.e. revenue ÷ cost − 1.
DeepSeek says actual revenue is "substantially lower": V3 is cheaper, web and app use is free, nights are discounted.
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Value, n, src

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
THROUGHPUT = src(
    f'{DAY6}: "Each H800 node delivers an average throughput of ~73.7k tokens/s input (including cache '
    'hits) during prefilling or ~14.8k tokens/s output during decoding"'
)
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

M = 1e6


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
        raise InputError(
            "cache_hit_tokens", f"cannot exceed the input tokens ({n(input_tokens)}); got {n(cache_hit_tokens)}"
        )
    miss = input_tokens - cache_hit_tokens
    gpu_hours = avg_nodes * gpus_per_node * hours
    cost = gpu_hours * price_per_gpu_hour
    rev_hit, rev_miss, rev_out = (
        cache_hit_tokens / M * r1_cache_hit_price,
        miss / M * r1_cache_miss_price,
        output_tokens / M * r1_output_price,
    )
    revenue = rev_hit + rev_miss + rev_out
    o1_revenue = (cache_hit_tokens * o1_cached_price + miss * o1_input_price + output_tokens * o1_output_price) / M
    node_hour = gpus_per_node * price_per_gpu_hour
    in_per_hour = prefill_tokens_per_node_s * 3600 / M  # million input tokens per node-hour
    out_per_hour = decode_tokens_per_node_s * 3600 / M
    cost_in, cost_out = node_hour / in_per_hour, node_hour / out_per_hour
    prefill_nh = input_tokens / prefill_tokens_per_node_s / 3600
    decode_nh = output_tokens / decode_tokens_per_node_s / 3600
    fleet_nh = avg_nodes * hours
    p = price_per_gpu_hour
    return {
        "gpu_hours_per_day": Value(gpu_hours, f"{n(avg_nodes)} nodes × {n(gpus_per_node)} GPUs × {n(hours)} h"),
        "cost_per_day_usd": Value(cost, f"{n(gpu_hours)} GPU-hours × ${n(p)}"),
        "cache_hit_share": Value(
            cache_hit_tokens / input_tokens if input_tokens else 0.0,
            f"{n(cache_hit_tokens)} ÷ {n(input_tokens)} input tokens",
        ),
        "revenue_per_day_usd": Value(
            revenue,
            f"{n(cache_hit_tokens / M)}M × ${n(r1_cache_hit_price)} + "
            f"{n(miss / M)}M × ${n(r1_cache_miss_price)} + "
            f"{n(output_tokens / M)}M × ${n(r1_output_price)}",
        ),
        "output_share_of_revenue": Value(rev_out / revenue, f"${n(round(rev_out))} ÷ ${n(round(revenue))}"),
        "cost_profit_margin": Value(revenue / cost - 1, f"${n(round(revenue))} ÷ ${n(round(cost))} − 1"),
        "gross_margin": Value(1 - cost / revenue, f"1 − ${n(round(cost))} ÷ ${n(round(revenue))}"),
        "cost_per_m_input_tokens": Value(
            cost_in, f"${n(node_hour)} per node-hour ÷ ({n(prefill_tokens_per_node_s)} tokens/s × 3,600 ÷ 1M)"
        ),
        "cost_per_m_output_tokens": Value(
            cost_out, f"${n(node_hour)} per node-hour ÷ ({n(decode_tokens_per_node_s)} tokens/s × 3,600 ÷ 1M)"
        ),
        "output_price_over_cost": Value(
            r1_output_price / cost_out, f"${n(r1_output_price)} ÷ ${n(round(cost_out, 4))} per M output tokens"
        ),
        "throughput_node_hours": Value(
            prefill_nh + decode_nh,
            f"{n(input_tokens)} ÷ {n(prefill_tokens_per_node_s)} ÷ 3,600 + "
            f"{n(output_tokens)} ÷ {n(decode_tokens_per_node_s)} ÷ 3,600",
        ),
        "fleet_node_hours": Value(fleet_nh, f"{n(avg_nodes)} nodes × {n(hours)} h"),
        "throughput_over_fleet": Value(
            (prefill_nh + decode_nh) / fleet_nh,
            f"{n(round(prefill_nh + decode_nh, 1))} ÷ {n(round(fleet_nh, 1))} node-hours",
        ),
        "o1_revenue_per_day_usd": Value(
            o1_revenue,
            f"{n(cache_hit_tokens / M)}M × ${n(o1_cached_price)} + "
            f"{n(miss / M)}M × ${n(o1_input_price)} + "
            f"{n(output_tokens / M)}M × ${n(o1_output_price)}",
        ),
        "o1_over_r1_output_price": Value(
            o1_output_price / r1_output_price, f"${n(o1_output_price)} ÷ ${n(r1_output_price)}"
        ),
        "o1_over_r1_input_price": Value(
            o1_input_price / r1_cache_miss_price, f"${n(o1_input_price)} ÷ ${n(r1_cache_miss_price)} (cache miss)"
        ),
        "o1_over_r1_cached_price": Value(
            o1_cached_price / r1_cache_hit_price, f"${n(o1_cached_price)} ÷ ${n(r1_cache_hit_price)} (cache hit)"
        ),
        "o1_over_r1_day": Value(o1_revenue / revenue, f"${n(round(o1_revenue))} ÷ ${n(round(revenue))}"),
    }


CALCULATOR = Calculator(
    name="serving",
    title="Serving V3 and R1: one day's cost and theoretical revenue",
    summary="DeepSeek's own 24-hour statistics: the H800 fleet's rental cost, the revenue the day's tokens would "
    'have earned at R1\'s list prices, the 545% "cost profit margin", cost per million tokens from per-node '
    "throughput, and R1's prices against o1's.",
    inputs=(
        Input(
            "avg_nodes",
            "Average nodes in service",
            "nodes",
            226.75,
            NODES,
            min=0.01,
            max=1_000_000,
            help="Peak was 278 nodes; the fleet shrinks at night and the freed nodes do research and training.",
        ),
        Input("gpus_per_node", "GPUs per node (H800)", "GPUs", 8, NODES, type="int", min=1, max=1_000),
        Input("hours", "Period", "hours", 24, WINDOW, min=0.01, max=100_000),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            LEASE,
            min=0.01,
            max=1_000,
            range=(1.5, 3.5),
            step=0.1,
            help="DeepSeek's assumption; H100 rentals ran from under $2 (Latent Space, Oct 2024) to about $3.5.",
        ),
        Input("input_tokens", "Input tokens", "tokens", 608e9, TOKENS_IN, min=0, max=1e18),
        Input("cache_hit_tokens", "of which served from the KV cache", "tokens", 342e9, TOKENS_IN, min=0, max=1e18),
        Input("output_tokens", "Output tokens", "tokens", 168e9, TOKENS_OUT, min=1, max=1e18),
        Input(
            "r1_cache_hit_price", "R1 price, input (cache hit)", "USD/M tokens", 0.14, R1_PRICE, min=0.0001, max=10_000
        ),
        Input(
            "r1_cache_miss_price",
            "R1 price, input (cache miss)",
            "USD/M tokens",
            0.55,
            R1_PRICE,
            min=0.0001,
            max=10_000,
        ),
        Input("r1_output_price", "R1 price, output", "USD/M tokens", 2.19, R1_PRICE, min=0.0001, max=10_000),
        Input("o1_cached_price", "o1 price, cached input", "USD/M tokens", 7.5, O1_PRICE, min=0, max=10_000),
        Input("o1_input_price", "o1 price, input", "USD/M tokens", 15.0, O1_PRICE, min=0, max=10_000),
        Input("o1_output_price", "o1 price, output", "USD/M tokens", 60.0, O1_PRICE, min=0, max=10_000),
        Input(
            "prefill_tokens_per_node_s",
            "Prefill throughput per node (incl. cache hits)",
            "tokens/s",
            73.7e3,
            THROUGHPUT,
            min=0.001,
            max=1e12,
        ),
        Input(
            "decode_tokens_per_node_s",
            "Decode throughput per node",
            "tokens/s",
            14.8e3,
            THROUGHPUT,
            min=0.001,
            max=1e12,
        ),
    ),
    outputs=(
        Output("gpu_hours_per_day", "GPU-hours in the period", "GPU-hours"),
        Output("cost_per_day_usd", "Cost of the period", "USD"),
        Output("cache_hit_share", "Input tokens served from the KV cache", "fraction"),
        Output(
            "revenue_per_day_usd",
            "Theoretical revenue at R1 prices",
            "USD",
        ),
        Output("output_share_of_revenue", "Share of that revenue from output tokens", "fraction"),
        Output(
            "cost_profit_margin",
            "Cost profit margin (DeepSeek's 545%)",
            "fraction",
            help="Profit as a share of cost (a markup), not of revenue.",
        ),
        Output("gross_margin", "The same as a margin on revenue", "fraction"),
        Output(
            "cost_per_m_input_tokens",
            "Cost per million input tokens (prefill node)",
            "USD/M tokens",
        ),
        Output(
            "cost_per_m_output_tokens",
            "Cost per million output tokens (decode node)",
            "USD/M tokens",
        ),
        Output("output_price_over_cost", "R1's output price ÷ its decode cost", "ratio"),
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
        Output("o1_over_r1_output_price", "o1 ÷ R1, output price", "ratio"),
        Output("o1_over_r1_input_price", "o1 ÷ R1, input price (cache miss)", "ratio"),
        Output("o1_over_r1_cached_price", "o1 ÷ R1, input price (cache hit)", "ratio"),
        Output("o1_over_r1_day", "o1 ÷ R1, the day's token mix", "ratio"),
    ),
    function=serving,
    headline="cost_profit_margin",
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
    notes="Theoretical revenue: every token billed at R1's list prices, including free web and app use and V3 "
    "traffic (V3 is priced lower). The cost is GPU rental only: no staff, storage, networking or power beyond "
    "the $2 per GPU-hour. Per-million-token costs charge a whole node to one phase (prefill or decode).",
)
