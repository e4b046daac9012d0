"""kv-cache: the key/value cache a model keeps per token, by attention type (MHA, GQA, MQA, MLA).

DeepSeek-V2 report, Table 1: the KV cache per token is 2·n_h·d_h·l elements for multi-head attention, 2·n_g·d_h·l
for grouped-query attention with n_g key/value heads, 2·d_h·l for multi-query attention and (d_c + d_h^R)·l for
multi-head latent attention (MLA), which caches one compressed latent of d_c elements and one decoupled RoPE key of
d_h^R elements per layer, shared by all heads. With d_c = 4·d_h and d_h^R = d_h/2, MLA caches as much as GQA with
2.25 groups.

"Insights into DeepSeek-V3" (ISCA 2025), Table 1, in BF16: DeepSeek-V3 (MLA) 70.272 KB per token, Qwen-2.5 72B
(GQA) 327.680 KB, LLaMA-3.1 405B (GQA) 516.096 KB. DeepSeek-V3: 61 layers × (512 + 64) × 2 bytes = 70,272 bytes.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, InputError, Output, Preset, Value, load_json, n, src
from ..models.configs import MAX_LAYERS, Reader, family, model_type

MODELS: dict[str, dict] = {k: v for k, v in load_json("models.json").items() if not k.startswith("_")}

TABLE1 = src(
    "deepseek-v2: §2.1.4, Table 1 (KV cache per token: MHA 2·n_h·d_h·l, GQA 2·n_g·d_h·l, "
    "MQA 2·d_h·l, MLA (d_c + d_h^R)·l elements)"
)
V3 = src("deepseek-v3: §4.2, model hyper-parameters")
V3_CONFIG = src("deepseek-v3-config: config.json (num_hidden_layers 61, num_key_value_heads 128)")
INSIGHTS = src("deepseek-v3-insights: Table 1 (KV cache size per token, in BF16: 2 bytes per element)")

ATTENTION = (
    ("mla", "MLA: one compressed latent plus one RoPE key per layer (DeepSeek-V2/V3)"),
    ("gqa", "GQA: a key and a value per key/value head"),
    ("mqa", "MQA: one key and one value per layer"),
    ("mha", "MHA: a key and a value per attention head"),
)


def kv_cache(
    attention,
    n_layers,
    n_heads,
    n_kv_heads,
    head_dim,
    kv_lora_rank,
    qk_rope_head_dim,
    bytes_per_element,
    context_length,
    batch_size,
    hbm_gb,
):
    if attention == "mla":
        per_layer = kv_lora_rank + qk_rope_head_dim
        per_layer_txt = f"{n(kv_lora_rank)} latent + {n(qk_rope_head_dim)} RoPE key"
    elif attention == "gqa":
        if n_kv_heads > n_heads:
            raise InputError(
                "n_kv_heads",
                f"must be at most the number of attention heads ({n(n_heads)}) for gqa "
                f"(got {n(n_kv_heads)}); use mha for one key/value head per query head",
            )
        per_layer = 2 * n_kv_heads * head_dim
        per_layer_txt = f"2 × {n(n_kv_heads)} KV heads × {n(head_dim)}"
    elif attention == "mqa":
        per_layer = 2 * head_dim
        per_layer_txt = f"2 × {n(head_dim)}"
    else:  # mha
        per_layer = 2 * n_heads * head_dim
        per_layer_txt = f"2 × {n(n_heads)} heads × {n(head_dim)}"
    elements = per_layer * n_layers
    per_token = elements * bytes_per_element
    mha = 2 * n_heads * head_dim * n_layers * bytes_per_element
    hbm = hbm_gb * 1e9
    tokens_fit = hbm / per_token
    b = f"{n(bytes_per_element)} bytes"
    return {
        "kv_cache_elements_per_token_per_layer": Value(per_layer, per_layer_txt),
        "kv_cache_elements_per_token": Value(elements, f"{n(n_layers)} layers × ({per_layer_txt})"),
        "kv_cache_bytes_per_token": Value(per_token, f"{n(n_layers)} layers × {n(per_layer)} elements × {b}"),
        "kv_cache_bytes": Value(
            per_token * context_length * batch_size,
            f"{n(per_token)} bytes × {n(context_length)} tokens × {n(batch_size)} sequences",
        ),
        "mha_equivalent_bytes_per_token": Value(
            mha, f"2 × {n(n_heads)} heads × {n(head_dim)} × {n(n_layers)} layers × {b}"
        ),
        "reduction_vs_mha": Value(1 - per_token / mha, f"1 − {n(per_token)} ÷ {n(mha)}"),
        "equivalent_gqa_groups": Value(per_layer / (2 * head_dim), f"{n(per_layer)} ÷ (2 × {n(head_dim)})"),
        "tokens_in_hbm": Value(tokens_fit, f"{n(hbm_gb)} GB × 1e9 ÷ {n(per_token)} bytes"),
        "sequences_in_hbm": Value(tokens_fit / context_length, f"{n(tokens_fit)} tokens ÷ {n(context_length)}"),
    }


def from_config(config) -> dict:
    """Map a Hugging Face config.json to this calculator's model inputs (MLA for DeepSeek, else by KV heads)."""
    mt = model_type(config)
    r = Reader(config, mt)
    n_layers = r.get_int("num_hidden_layers", hi=MAX_LAYERS)
    if family(mt) == "deepseek":
        heads = r.get_int("num_attention_heads")
        return {
            "attention": "mla",
            "n_layers": n_layers,
            "n_heads": heads,
            "n_kv_heads": r.get_int("num_key_value_heads", default=heads),
            "head_dim": r.get_int("qk_nope_head_dim"),  # d_h, the per-head dimension of the V2/V3 reports
            "kv_lora_rank": r.get_int("kv_lora_rank"),
            "qk_rope_head_dim": r.get_int("qk_rope_head_dim", lo=0),
        }
    heads, kv, hd = r.heads()
    return {
        "attention": "mha" if kv == heads else "mqa" if kv == 1 else "gqa",
        "n_layers": n_layers,
        "n_heads": heads,
        "n_kv_heads": kv,
        "head_dim": hd,
    }


PRESETS = ("deepseek-v3", "deepseek-v2", "llama-3.1-405b", "qwen2.5-72b", "mixtral-8x7b", "deepseek-llm-67b")

CALCULATOR = Calculator(
    name="kv-cache",
    title="KV cache per token: MLA against GQA and MHA",
    summary="Bytes of key/value cache a model keeps for every token of context, by attention type; the cache for a "
    "context and batch; how much MLA saves against multi-head attention; how many tokens fit in a GPU's "
    "memory. DeepSeek-V3: 61 × (512 + 64) × 2 bytes = 70,272 bytes per token.",
    inputs=(
        Input("attention", "Attention type", "", "mla", TABLE1, type="choice", choices=ATTENTION),
        Input("n_layers", "Layers", "layers", 61, V3_CONFIG, type="int", min=1, max=10_000),
        Input("n_heads", "Attention heads (n_h)", "heads", 128, V3, type="int", min=1, max=100_000),
        Input(
            "n_kv_heads",
            "Key/value heads (GQA groups n_g)",
            "heads",
            128,
            V3_CONFIG,
            type="int",
            min=1,
            max=100_000,
            help="Used by gqa only. DeepSeek-V3's config lists 128 (one per head); MLA caches none.",
        ),
        Input("head_dim", "Per-head dimension (d_h)", "elements", 128, V3, type="int", min=1, max=100_000),
        Input(
            "kv_lora_rank",
            "MLA latent dimension (d_c)",
            "elements",
            512,
            V3,
            type="int",
            min=1,
            max=1_000_000,
            help="Used by mla only: the KV compression dimension.",
        ),
        Input(
            "qk_rope_head_dim",
            "MLA decoupled RoPE key dimension (d_h^R)",
            "elements",
            64,
            V3,
            type="int",
            min=0,
            max=1_000_000,
            help="Used by mla only.",
        ),
        Input(
            "bytes_per_element",
            "Bytes per cached element",
            "bytes",
            2,
            INSIGHTS,
            min=0.125,
            max=8,
            step=0.25,
            help="2 for BF16/FP16, 1 for FP8, 0.75 for about 6 bits (DeepSeek-V2's deployment quantised its KV "
            "cache to about 6 bits per element on average).",
        ),
        Input(
            "context_length",
            "Context length",
            "tokens",
            131_072,
            src("deepseek-v3: §4.3, long context extension to 128K tokens"),
            type="int",
            min=1,
            max=100_000_000,
        ),
        Input(
            "batch_size",
            "Sequences in the batch",
            "sequences",
            1,
            src("site-methods: convention: one sequence"),
            type="int",
            min=1,
            max=1_000_000,
        ),
        Input(
            "hbm_gb",
            "GPU memory for the cache",
            "GB",
            80,
            src("nvidia-h100: datasheet, SXM column: 80 GB HBM3 (the H800 SXM has the same memory)"),
            min=0,
            max=100_000,
            help="All of one GPU's HBM as an upper bound; weights and activations take part of it in practice, "
            "and a cache split across GPUs multiplies it.",
        ),
    ),
    outputs=(
        Output(
            "kv_cache_elements_per_token_per_layer",
            "Cached elements per token per layer",
            "elements",
        ),
        Output("kv_cache_elements_per_token", "Cached elements per token", "elements"),
        Output("kv_cache_bytes_per_token", "KV cache per token", "bytes"),
        Output("kv_cache_bytes", "KV cache for the batch", "bytes"),
        Output(
            "mha_equivalent_bytes_per_token",
            "Multi-head attention, same heads",
            "bytes",
            help="What the cache would be if every head kept its own key and value.",
        ),
        Output("reduction_vs_mha", "Saving against multi-head attention", "fraction"),
        Output(
            "equivalent_gqa_groups",
            "Equivalent GQA groups",
            "groups",
            help="The number of GQA key/value heads that would cache as much: DeepSeek-V2's MLA equals GQA with "
            "2.25 groups.",
        ),
        Output("tokens_in_hbm", "Tokens whose cache fits in that memory", "tokens"),
        Output("sequences_in_hbm", "Full-context sequences that fit", "sequences"),
    ),
    function=kv_cache,
    headline="kv_cache_bytes_per_token",
    charts=(Chart("sweep", "KV cache vs context length", output="kv_cache_bytes", over="context_length"),),
    presets=tuple(
        Preset(k, MODELS[k]["label"], from_config(MODELS[k]["config"]), src(MODELS[k]["source"])) for k in PRESETS
    ),
    from_config=from_config,
    notes="Per token, all layers, keys and values (or MLA's latent and RoPE key) only: no activations, no "
    "paging overhead. GB = 1e9 bytes. For MLA the cache holds the compressed latent, as DeepSeek's inference "
    "does with the up-projections absorbed into the query and output projections.",
)
