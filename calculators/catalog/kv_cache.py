"""kv-cache: the key/value cache a model keeps per token, by attention type (MHA, GQA, MQA, MLA).

DeepSeek-V2 report, Table 1: the KV cache per token is 2·n_h·d_h·l elements for multi-head attention, 2·n_g·d_h·l
for grouped-query attention with n_g key/value heads, 2·d_h·l for multi-query attention and (d_c + d_h^R)·l for
multi-head latent attention (MLA), which caches one compressed latent of d_c elements and one decoupled RoPE key of
d_h^R elements per layer, shared by all heads. With d_c = 4·d_h and d_h^R = d_h/2, MLA caches as much as GQA with
2.25 groups. The arithmetic is models/kv.py, shared with the your-model calculator.

"Insights into DeepSeek-V3" (ISCA 2025), Table 1, in BF16: DeepSeek-V3 (MLA) 70.272 KB per token, Qwen-2.5 72B
(GQA) 327.680 KB, LLaMA-3.1 405B (GQA) 516.096 KB. DeepSeek-V3's defaults are its published layers, d_c and d_h^R
(data/facts.json), at 2 bytes per element: the summary shows that working.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, InputError, Output, Preset, Q, fmt, fmt_plain, src
from ..models import hardware, kv, readers
from ..models.configs import MODELS, kv_dims
from ..models.facts import fact

TABLE1 = src(
    "deepseek-v2: §2.1.4, Table 1 (KV cache per token: MHA 2·n_h·d_h·l, GQA 2·n_g·d_h·l, "
    "MQA 2·d_h·l, MLA (d_c + d_h^R)·l elements)"
)
V3_CONFIG = src("deepseek-v3-config: config.json (num_key_value_heads 128)")
V3_FILE = src(MODELS["deepseek-v3"]["source"])
INSIGHTS = src("deepseek-v3-insights: Table 1 (KV cache size per token, in BF16: 2 bytes per element)")
BF16 = 2  # bytes per cached element (Insights Table 1)
BYTES_PER_GB = Q.const(1e9, "10^9")
MEMORY_GPU = "h100"  # the H800 SXM has the same memory (data/gpus.json)
MAX_CONTEXT = 100_000_000  # tokens: the longest context the input takes


def _max_context(model: str) -> int:
    """A published config's maximum context (max_position_embeddings, in text_config for multimodal checkpoints)."""
    config = MODELS[model]["config"]
    return int(config.get("max_position_embeddings") or config.get("text_config", {})["max_position_embeddings"])


CONFIG = "config"  # the attention choice that reads every layer from the config.json


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


def kv_cache(attention, config, n_layers, n_heads, n_kv_heads, head_dim, kv_lora_rank, qk_rope_head_dim,
             bytes_per_element, context_length, batch_size, hbm_gb):  # fmt: skip
    arch = readers.read(config)
    if attention != CONFIG:
        if attention == "gqa" and n_kv_heads > n_heads:
            raise InputError(
                "n_kv_heads",
                f"must be at most the number of attention heads ({fmt_plain(n_heads.value)}) for gqa "
                f"(got {fmt_plain(n_kv_heads.value)}); use mha for one key/value head per query head",
            )
        arch = kv.uniform(attention, n_layers.value, n_heads.value, n_kv_heads.value, head_dim.value,
                          kv_lora_rank.value, qk_rope_head_dim.value, arch.max_context)  # fmt: skip
    context = kv.context_tokens(arch, context_length)
    c = kv.cache(arch, context, bytes_per_element)
    if "mha_bytes_per_token" not in c:
        raise InputError("config", "no layer of this model caches keys and values, so there is no KV cache to count")
    per_token = c["bytes_per_token"]
    memory = (hbm_gb * BYTES_PER_GB).named("memory for the cache", "bytes")
    per_sequence = c["bytes_per_sequence"]
    per_layer = c["elements_per_layer"].named("cached elements per layer", "elements")
    return {
        "kv_cache_elements_per_token_per_layer": c["elements_per_layer"],
        "kv_cache_elements_per_token": c["elements_per_token"],
        "kv_cache_bytes_per_token": per_token,
        "kv_cache_bytes_per_token_beyond_windows": c["growth_per_token"],
        "recurrent_state_bytes": c["state_bytes"],
        "context_tokens": context,
        "kv_cache_bytes_per_sequence": per_sequence,
        "kv_cache_bytes": per_sequence * batch_size,
        "mha_equivalent_bytes_per_token": c["mha_bytes_per_token"],
        "reduction_vs_mha": 1 - per_token / c["mha_bytes_per_token"],
        "equivalent_gqa_groups": per_layer / (2 * c["head_dim"]),
        "tokens_in_hbm": (memory / per_token).named("tokens that fit", "tokens"),
        "sequences_in_hbm": memory / per_sequence,
    }


def _v3_example() -> str:
    """DeepSeek-V3's cache per token from its published facts, with its working."""
    f = {k: Q.input(V3(k).value, "", k) for k in ("kv_lora_rank", "rope_head_dim")}
    per_layer = kv.elements_per_layer("mla", kv_lora_rank=f["kv_lora_rank"], qk_rope_head_dim=f["rope_head_dim"])
    bpe = Q.input(BF16, "bytes", "bytes per element")
    per_token = kv.bytes_per_token(Q.input(V3("layers").value, "layers", "layers"), per_layer, bpe)
    return f"DeepSeek-V3: {per_token.working()} = {fmt(per_token.value, 'bytes')} per token."


PRESETS = (
    "deepseek-v3",
    "deepseek-v2",
    "llama-3.1-405b",
    "qwen2.5-72b",
    "mixtral-8x7b",
    "deepseek-llm-67b",
    "deepseek-v3.2",
    "kimi-k2",
    "gpt-oss-120b",
    "gpt-oss-20b",
    "qwen3-next-80b-a3b",
    "llama-4-scout",
    "llama-4-maverick",
    "gemma-2-9b",
)

CALCULATOR = Calculator(
    name="kv-cache",
    title="KV cache per token: MLA against GQA and MHA",
    summary="Bytes of key/value cache a model keeps for every token of context, layer by layer from its config.json "
    "or by attention type; the cache for a context and batch, with sliding windows, chunks and recurrent states "
    "where the model has them; how much MLA saves against multi-head attention; how many tokens fit in a GPU's "
    f"memory. {_v3_example()}",
    inputs=(
        Input(
            "attention",
            "Attention type",
            "",
            CONFIG,
            TABLE1,
            type="choice",
            choices=((CONFIG, "As the config.json describes, layer by layer"), *kv.ATTENTION),
            help="config: every layer as the model's config.json gives it (full, sliding-window, chunked, MLA with "
            "or without DeepSeek-V3.2's indexer, linear attention). mla, gqa, mqa, mha: the same shape in every "
            "layer, from the inputs below (DeepSeek-V2's Table 1).",
        ),
        Input(
            "config",
            "Model configuration (config.json)",
            "",
            MODELS["deepseek-v3"]["config"],
            V3_FILE,
            type="json",
            help="A Hugging Face config.json; read layer by layer when the attention type is config. Supported "
            f"model_type values: {readers.supported()}; others with the standard field names are read by a "
            "generic reader. Default: DeepSeek-V3.",
        ),
        Input("n_layers", "Layers", "layers", V3("layers"), type="int", min=1, max=10_000),
        Input("n_heads", "Attention heads (n_h)", "heads", V3("heads"), type="int", min=1, max=100_000, symbol="heads"),
        Input(
            "n_kv_heads",
            "Key/value heads (GQA groups n_g)",
            "heads",
            128,
            V3_CONFIG,
            type="int",
            min=1,
            max=100_000,
            symbol="KV heads",
            help="Used by gqa only. DeepSeek-V3's config lists 128 (one per head); MLA caches none.",
        ),
        Input(
            "head_dim",
            "Per-head dimension (d_h)",
            "elements",
            V3("v_head_dim"),
            type="int",
            min=1,
            max=100_000,
            symbol="head dim",
        ),
        Input(
            "kv_lora_rank",
            "MLA latent dimension (d_c)",
            "elements",
            V3("kv_lora_rank"),
            type="int",
            min=1,
            max=1_000_000,
            symbol="latent dim",
            help="Used by mla only: the KV compression dimension.",
        ),
        Input(
            "qk_rope_head_dim",
            "MLA decoupled RoPE key dimension (d_h^R)",
            "elements",
            V3("rope_head_dim"),
            type="int",
            min=0,
            max=1_000_000,
            symbol="RoPE key dim",
            help="Used by mla only.",
        ),
        Input(
            "bytes_per_element",
            "Bytes per cached element",
            "bytes",
            BF16,
            INSIGHTS,
            min=0.125,
            max=8,
            step=0.25,
            help="2 for BF16/FP16, 1 for FP8, 0.5 for 4-bit, 0.75 for about 6 bits (DeepSeek-V2's deployment "
            "quantised its KV cache to about 6 bits per element on average). DeepSeek-V3.2's indexer keys stay FP8.",
        ),
        Input(
            "context_length",
            "Context length",
            "tokens",
            _max_context("deepseek-v3"),
            src("deepseek-v3-config: max_position_embeddings (each preset sets its own model's maximum context)"),
            type="int",
            min=1,
            max=MAX_CONTEXT,
            help="The default is the model's maximum context (max_position_embeddings in its config.json); a longer "
            "length is counted at that maximum, as the working shows.",
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
            symbol="sequences",
        ),
        Input(
            "hbm_gb",
            "GPU memory for the cache",
            "GB",
            hardware.spec(MEMORY_GPU)["hbm_gb"],
            hardware.gpu_source(MEMORY_GPU),
            min=0,
            max=100_000,
            symbol="GPU memory",
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
        Output(
            "kv_cache_bytes_per_token",
            "KV cache per token",
            "bytes",
            help="Every caching layer's keys and values (or latent and RoPE key) for one token, as long as no "
            "window is full.",
        ),
        Output(
            "kv_cache_bytes_per_token_beyond_windows",
            "KV cache per extra token, once every window is full",
            "bytes",
            help="Only full-attention layers keep growing; sliding-window and chunked layers stop at their window.",
        ),
        Output(
            "recurrent_state_bytes",
            "Recurrent state per sequence (linear-attention layers)",
            "bytes",
            help="A fixed state per sequence, whatever the context length (Qwen3-Next's Gated DeltaNet layers).",
        ),
        Output("context_tokens", "Context length counted", "tokens"),
        Output("kv_cache_bytes_per_sequence", "KV cache for one sequence at that context", "bytes"),
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
    key_inputs=("attention", "context_length", "bytes_per_element", "batch_size", "hbm_gb"),
    key_outputs=("kv_cache_bytes_per_token", "kv_cache_bytes", "reduction_vs_mha"),
    charts=(Chart("sweep", "KV cache vs context length", output="kv_cache_bytes", over="context_length"),),
    presets=tuple(
        Preset(
            k,
            MODELS[k]["label"],
            {"attention": CONFIG, "config": MODELS[k]["config"], "context_length": _max_context(k)},
            src(MODELS[k]["source"]),
        )
        for k in PRESETS
    ),
    from_config=kv_dims,
    notes="Keys and values (or MLA's latent and RoPE key, and DeepSeek-V3.2's indexer keys) only: no activations, "
    "no paging overhead. GB = 1e9 bytes. For MLA the cache holds the compressed latent, as DeepSeek's inference "
    "does with the up-projections absorbed into the query and output projections. Over a context, full-attention "
    "layers hold every token, sliding-window and chunked layers at most their window, linear-attention layers a "
    "fixed state.",
)
