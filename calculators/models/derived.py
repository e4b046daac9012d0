"""Constants derived from the published facts, each computed once, on first use, and never by running a calculator.

Each is a Fact whose source names what it was derived from and shows the arithmetic, rendered from the same
quantity expression that computes it (core/quantity.py), so a default that rests on a derivation cites its working.
"""

from __future__ import annotations

import functools

from ..core import Fact, Q, Source, load_json
from . import flops, hardware, param_count, readers
from .architecture import MoeMlp
from .facts import fact

SECONDS_PER_HOUR = Q.const(3600, "3,600 s")


def _q(key: str) -> Q:
    f = fact(key)
    return Q.input(f.value, f.unit, key.split(".", 1)[1].replace("_", " "))


def _derived(q: Q, digits: int | None, where: str, unit: str = "", source: str = "deepseek-v3", note: str = "") -> Fact:
    """A Fact from a quantity: its value (rounded to `digits`, or exact if None) and a source showing its working."""
    value = q.value if digits is None else round(q.value, digits)
    return Fact(value, Source(source, f"{where}, derived here: {q.working()}", note), unit)


@functools.cache
def v3_mfu_6nd() -> Fact:
    """V3 pre-training's MFU against the BF16 dense peak in 6ND accounting (attention left out): 0.3463.

    6 × 37B × 14.8T FLOP over the reported 2,664K H800 GPU-hours (Table 1), against the H800's 989.4 TFLOP/s.
    """
    flops = 6 * _q("deepseek-v3.active_params") * _q("deepseek-v3.tokens")
    seconds = _q("deepseek-v3.pretraining_gpu_hours") * SECONDS_PER_HOUR
    mfu = flops / seconds / hardware.peak("h800", "bf16")
    return _derived(mfu, 4, "abstract (37B activated, 14.8T tokens) and Table 1 (2,664K GPU-hours)", "fraction")


def _v3_fp8_gemm_flops() -> Q:
    """6 × (36.7B − 0.9B embedding − 0.9B head − 58 MoE layers × 256 routed experts × 7,168 gating weights)."""
    gating = _q("deepseek-v3.moe_layers") * _q("deepseek-v3.routed_experts") * _q("deepseek-v3.hidden_size")
    return 6 * (
        _q("deepseek-v3.activated_params_precise")
        - _q("deepseek-v3.embedding_params")
        - _q("deepseek-v3.head_params")
        - gating
    )


@functools.cache
def v3_fp8_share() -> Fact:
    """The share of V3's training FLOPs in FP8 GEMMs (not published): 0.835.

    V3 §3.3.1 runs every Linear GEMM in FP8 except the output head and MoE gating; embedding lookups, normalisation
    and attention stay in BF16/FP32. Of Insights' ~250 GFLOPs per token (Table 2), the FP8 part is 6 × (36.7B − 0.9B
    embedding − 0.9B head − 58 MoE layers × 256 routed experts × 7,168 gating weights).
    """
    share = _v3_fp8_gemm_flops() / _q("deepseek-v3.flops_per_token_published")
    return _derived(share, 3, "README_WEIGHTS.md, §3.3.1, §4.2 and Insights Table 2", "fraction")


@functools.cache
def r1_rl_gpu_hours() -> Fact:
    """R1's whole RL bill in H800 GPU-hours: R1-Zero 101K + SFT data creation 5K + R1 41K = 147K (R1 SI §2.4.4)."""
    total = _q("deepseek-r1.r1_zero_gpu_hours") + _q("deepseek-r1.sft_data_gpu_hours") + _q("deepseek-r1.r1_gpu_hours")
    where = "§2.4.4, training-cost table (arXiv 2501.12948 v2, Appendix B.4.4, Table 7), the three stages' total"
    return _derived(total, 0, where, "GPU-hours", "deepseek-r1-si")


_WIDTH_SOURCE = {
    "deepseek-v3": "§4.2 (n_h heads; d_h + d_h^R for QKᵀ, d_h for A·V)",
    "llama-3.1-405b": "num_attention_heads, and hidden_size ÷ heads as the head dimension for both QKᵀ and A·V",
}


@functools.cache
def attention_width(model: str) -> Fact:
    """heads × (query-key head dim + value head dim), the attention term's width per layer: V3 40,960, Llama 32,768."""
    heads = _q(f"{model}.heads")
    width = heads * (_q(f"{model}.qk_head_dim") + _q(f"{model}.v_head_dim"))
    f = fact(f"{model}.qk_head_dim")
    where = _WIDTH_SOURCE.get(model, f.source.where)
    return _derived(width, 0, where, "dimensions", f.source.id)


@functools.cache
def v3_pretraining_cost() -> Fact:
    """V3's pre-training bill at DeepSeek's rental price: 2,664K H800 GPU-hours × $2 = $5.328M (Table 1)."""
    cost = _q("deepseek-v3.pretraining_gpu_hours") * _q("deepseek-v3.price_per_gpu_hour")
    return _derived(cost, None, "Table 1 (pre-training 2,664K H800 GPU-hours at $2 per GPU-hour)", "USD")


@functools.cache
def v3_decode_mfu() -> Fact:
    """DeepSeek's serving fleet's decode speed as a share of the H800's BF16 dense peak: 0.1384.

    Day 6: ~14.8k output tokens/s per 8-GPU H800 node in decoding, at 2 FLOPs per activated parameter (37B).
    """
    per_gpu = 2 * _q("deepseek-v3.active_params") * _q("deepseek-serving.decode_tokens_per_node_s")
    mfu = per_gpu / _q("deepseek-serving.gpus_per_node") / hardware.peak("h800", "bf16")
    return _derived(
        mfu,
        4,
        '"~14.8k tokens/s output during decoding" per 8-GPU H800 node, at 2 FLOPs per activated parameter, '
        "against the H800's BF16 dense peak",
        "fraction",
        source="deepseek-day6",
    )


# ----------------------------------------------------------------------------------------------------------------------
# DeepSeek-V3's weights, counted from its config.json (data/models.json) by the one parameter count every calculator
# uses (readers -> architecture -> param_count), in the params calculator's convention: activated = every weight one
# token's forward pass multiplies by (the output head included, the input-embedding lookup and the routed experts the
# router did not choose left out). The MTP module is one more MoE layer plus eh_proj (2 × hidden × hidden) and three
# norms, sharing the main model's embedding and head.


@functools.cache
def _v3_weights() -> dict[str, Q]:
    count = param_count.count(readers.read(load_json("models.json")["deepseek-v3"]["config"]))
    return {
        "head": count["output_head_params"],
        "embedding": count["embedding_params"],
        "main_active": count["active_params"],
        "mtp": count["mtp_params"],
        "mtp_active": count["mtp_active_params"],
    }


_CONFIG_WHERE = "config.json, counted weight by weight"


@functools.cache
def v3_output_head_params() -> Fact:
    """V3's output head (shared with the MTP module): vocabulary × hidden = 926.7M."""
    return _derived(_v3_weights()["head"], None, _CONFIG_WHERE, "parameters", source="deepseek-v3-config")


@functools.cache
def v3_embedding_params() -> Fact:
    """V3's input embedding (shared with the MTP module): vocabulary × hidden = 926.7M."""
    return _derived(_v3_weights()["embedding"], None, _CONFIG_WHERE, "parameters", source="deepseek-v3-config")


@functools.cache
def v3_active_params_counted() -> Fact:
    """V3's activated weights per token, counted: 36.6B (with the output head, without the embedding lookup)."""
    return _derived(
        _v3_weights()["main_active"],
        None,
        f"{_CONFIG_WHERE} (attention, norms, dense FFNs, per MoE layer the shared expert, the chosen routed experts "
        "and the router, the final norm and the output head; the embedding lookup multiplies nothing)",
        "parameters",
        source="deepseek-v3-config",
    )


@functools.cache
def v3_mtp_params() -> Fact:
    """One V3 MTP module's own weights: 11.6B (README_WEIGHTS: 11.5B), without the shared embedding and head."""
    return _derived(
        _v3_weights()["mtp"],
        None,
        f"{_CONFIG_WHERE} (enorm and hnorm, eh_proj, one MoE layer, the module's final norm)",
        "parameters",
        source="deepseek-v3-config",
    )


@functools.cache
def v3_mtp_active_params() -> Fact:
    """The weights of one V3 MTP module's own block that a token uses: its weights less the routed experts it skips."""
    return _derived(
        _v3_weights()["mtp_active"],
        None,
        f"{_CONFIG_WHERE} (the MTP module's own weights less the routed experts a token does not use)",
        "parameters",
        source="deepseek-v3-config",
    )


@functools.cache
def v3_mtp_decode_overhead() -> Fact:
    """A decoding step's extra time with one MTP module, read as extra weights to read: (block + head) ÷ main."""
    w = _v3_weights()
    share = (w["mtp_active"].named("MTP block, activated", "parameters") + w["head"]) / w["main_active"].named(
        "main model, activated", "parameters"
    )
    return _derived(
        share,
        4,
        "§2 MTP Modules (one transformer block plus projection, sharing the embedding and head), with the weights "
        "counted from config.json",
        "fraction",
        source="deepseek-v3-weights",
        note="The extra time a decoding step takes with the module, as a share of a step without it: the module's "
        "activated weights (block + shared head) ÷ the main model's. Assumes the step is bound by reading weights. "
        "DeepSeek gives no figure; with it, 85-90% acceptance gives V3 §5.4.3's 1.8×.",
    )


# ----------------------------------------------------------------------------------------------------------------------
# The FP8 GEMM work and decoding traffic of V3's layers (the training profile's kernel speeds: models/profile.py).


@functools.cache
def v3_fp8_gemm_flops_per_token() -> Fact:
    """V3's FP8 GEMM work per training token: every Linear but the output head and the MoE gating, 208.8 GFLOP."""
    return _derived(
        _v3_fp8_gemm_flops(),
        None,
        "README_WEIGHTS.md (36.7B activated, 0.9B embedding, 0.9B head), §3.3.1 (every Linear GEMM in FP8 except "
        "the output head and the MoE gating) and §4.2 (58 MoE layers × 256 routed experts × 7,168 gating weights), "
        "6 FLOPs per weight",
        "FLOP",
        source="deepseek-v3-weights",
    )


@functools.cache
def _v3_moe_layer() -> dict[str, Q]:
    """One V3 MoE layer's FP8 GEMM weights, from the same architecture the parameter count reads (readers)."""
    arch = readers.read(load_json("models.json")["deepseek-v3"]["config"])
    layer = next(x for x in arch.layers if isinstance(x.mlp, MoeMlp))
    d = Q.input(arch.hidden, "", "hidden")
    moe = param_count._moe(layer.mlp, d)  # the count's own per-layer parts
    attention = param_count._attention(layer.attention, d)[0]
    experts = Q.input(layer.mlp.top_k + layer.mlp.shared, "experts", "experts per token")
    return {"attention": attention, "expert": moe["expert"], "experts": experts}


@functools.cache
def v3_attention_params_per_layer() -> Fact:
    """One V3 layer's MLA projections (query, key-value and output), the weights its FP8 attention GEMMs use: 187.1M."""
    return _derived(
        _v3_moe_layer()["attention"],
        None,
        f"{_CONFIG_WHERE} (the query, compressed key-value and output projections of one layer)",
        "parameters",
        source="deepseek-v3-config",
    )


@functools.cache
def v3_expert_params() -> Fact:
    """One V3 expert, routed or shared: 3 × hidden × moe_intermediate_size = 44.0M weights."""
    return _derived(
        _v3_moe_layer()["expert"],
        None,
        f"{_CONFIG_WHERE} (gate, up and down projections of one expert)",
        "parameters",
        source="deepseek-v3-config",
    )


@functools.cache
def v3_kv_bytes_per_token_layer() -> Fact:
    """V3's KV cache per token and layer: the compressed latent and the decoupled RoPE key, in BF16, 1,152 bytes."""
    per = (_q("deepseek-v3.kv_lora_rank") + _q("deepseek-v3.rope_head_dim")) * Q.const(2, "2 bytes (BF16)")
    where = "§4.2 (d_c = 512, d_h^R = 64), one BF16 element each (Day 6: the core MLA computations use BF16)"
    return _derived(per, None, where, "bytes")


@functools.cache
def v3_absorbed_attention_flops_per_position() -> Fact:
    """MLA decoding with the up-projections absorbed: per layer, query and cached position, 2 × heads × (2 d_c +
    d_h^R) FLOPs (scores over the latent and the RoPE key, then the weighted sum of latents): 278,528."""
    heads, d_c, rope = _q("deepseek-v3.heads"), _q("deepseek-v3.kv_lora_rank"), _q("deepseek-v3.rope_head_dim")
    per = 2 * heads * (2 * d_c + rope)
    where = "§4.2 (128 heads, d_c = 512, d_h^R = 64) with DeepSeek-V2 §2.1.2 (W^UK absorbed into W^Q, W^UV into W^O)"
    return _derived(per, None, where, "FLOP")


# The serving fleet's decode speed in the FLOP count of absorbed-MLA decoding (rl-methods).


@functools.cache
def v3_decode_mfu_absorbed() -> Fact:
    """The serving fleet's decode speed against the H800's BF16 dense peak, counting absorbed-MLA attention: 0.297.

    Day 6: ~14.8k output tokens/s per 8-GPU node, at an average KV-cache length of 4,989 tokens per output token; each
    token costs 2N + L × (attention FLOPs per layer and cached position) × context (models/flops.py).
    """
    per_token = flops.decode_flops_per_token(
        _q("deepseek-v3.active_params"),
        _q("deepseek-v3.layers"),
        Q.input(v3_absorbed_attention_flops_per_position().value, "FLOP", "attention FLOPs per position"),
        _q("deepseek-serving.kv_length_per_output_token"),
    )
    per_gpu = per_token * _q("deepseek-serving.decode_tokens_per_node_s") / _q("deepseek-serving.gpus_per_node")
    mfu = per_gpu / hardware.peak("h800", "bf16")
    return _derived(
        mfu,
        4,
        '"~14.8k tokens/s output during decoding" per 8-GPU H800 node at "the average kvcache length per output '
        'token was 4,989 tokens", at 2 FLOPs per activated parameter plus absorbed-MLA attention over the cache, '
        "against the H800's BF16 dense peak",
        "fraction",
        source="deepseek-day6",
    )
