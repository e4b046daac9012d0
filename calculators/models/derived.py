"""Constants derived from the published facts, each computed once, on first use, and never by running a calculator.

Each is a Fact whose source names what it was derived from and shows the arithmetic, rendered from the same
quantity expression that computes it (core/quantity.py), so a default that rests on a derivation cites its working.
"""

from __future__ import annotations

import functools

from ..core import Fact, Q, Source
from . import flops, hardware
from .facts import fact

SECONDS_PER_HOUR = Q.const(3600, "3,600 s")


def _q(key: str) -> Q:
    f = fact(key)
    return Q.input(f.value, f.unit, key.split(".", 1)[1].replace("_", " "))


def _derived(q: Q, digits: int, where: str, unit: str = "", source: str = "deepseek-v3") -> Fact:
    return Fact(round(q.value, digits), Source(source, f"{where}, derived here: {q.working()}"), unit)


@functools.cache
def v3_mfu_6nd() -> Fact:
    """V3 pre-training's MFU against the BF16 dense peak in 6ND accounting (attention left out): 0.3463.

    6 × 37B × 14.8T FLOP over the reported 2,664K H800 GPU-hours (Table 1), against the H800's 989.4 TFLOP/s.
    """
    flops = 6 * _q("deepseek-v3.active_params") * _q("deepseek-v3.tokens")
    seconds = _q("deepseek-v3.pretraining_gpu_hours") * SECONDS_PER_HOUR
    mfu = flops / seconds / hardware.peak("h800", "bf16")
    return _derived(mfu, 4, "abstract (37B activated, 14.8T tokens) and Table 1 (2,664K GPU-hours)", "fraction")


@functools.cache
def v3_fp8_share() -> Fact:
    """The share of V3's training FLOPs in FP8 GEMMs (not published): 0.835.

    V3 §3.3.1 runs every Linear GEMM in FP8 except the output head and MoE gating; embedding lookups, normalisation
    and attention stay in BF16/FP32. Of Insights' ~250 GFLOPs per token (Table 2), the FP8 part is 6 × (36.7B − 0.9B
    embedding − 0.9B head − 58 MoE layers × 256 routed experts × 7,168 gating weights).
    """
    gating = _q("deepseek-v3.moe_layers") * _q("deepseek-v3.routed_experts") * _q("deepseek-v3.hidden_size")
    fp8 = 6 * (
        _q("deepseek-v3.activated_params_precise")
        - _q("deepseek-v3.embedding_params")
        - _q("deepseek-v3.head_params")
        - gating
    )
    share = fp8 / _q("deepseek-v3.flops_per_token_published")
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
def v3_mfu_mixed_peak() -> Fact:
    """V3 pre-training's MFU against the FP8/BF16 mixed peak of its FP8 share (not BF16 alone): 0.2294.

    The measured 272.80B tokens a day on 2,048 H800s (Insights Table 4) × FLOPs per token (6N + causal attention,
    models/flops.py) ÷ the H800's peak for V3's FP8 share (hardware.mixed_peak, Amdahl).
    """
    day = Q.const(86_400, "86,400 s")
    per_day = Q.input(fact("deepseek-v3.tokens_per_day").value, "tokens/day", "tokens per day")
    per_gpu_second = per_day / day / _q("deepseek-v3.cluster_gpus")
    width = attention_width("deepseek-v3")
    per_token = flops.causal_flops_per_token(
        _q("deepseek-v3.active_params"),
        _q("deepseek-v3.layers"),
        Q.input(width.value, "", "attention width"),
        _q("deepseek-v3.seq_len"),
    )
    share = Q.input(v3_fp8_share().value, "fraction", "FP8 share")
    peak = hardware.mixed_peak("h800", share, "v3_fp8_share")
    mfu = per_gpu_second * per_token / peak
    where = "Table 4 (272.80B tokens per day on 2,048 H800s) against the FP8/BF16 mixed peak of V3's FP8 share"
    return _derived(mfu, 4, where, "fraction", "deepseek-v3-insights")
