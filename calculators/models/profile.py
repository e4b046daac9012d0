"""Constants derived from DeepSeek's published training profile (deepseek-ai/profile-data, train.json).

The kernel times of one DualPipe forward + backward chunk pair (4 MoE layers, one 4K sequence, H800) are facts
(data/facts.json "deepseek-profile", summed from the trace's kernel events); the speeds and shares below are derived
from them once, on first use, like models/derived.py's, each a Fact whose source shows its working.
"""

from __future__ import annotations

import functools

from ..core import Fact, Q
from . import flops, hardware, step_time
from .derived import _derived, _q, _v3_moe_layer, v3_fp8_gemm_flops_per_token
from .facts import fact


def _profile(name: str, unit: str = "") -> Q:
    f = fact(f"deepseek-profile.{name}")
    return Q.input(f.value, unit or f.unit, f"profile {name.replace('_', ' ')}")


def _profile_token_layers() -> Q:
    return (_profile("chunk_moe_layers") * _profile("chunk_tokens")).named("token-layers in the profile", "")


_PROFILE_WHERE = "train.json (one DualPipe forward + backward chunk pair: 4 MoE layers, one 4K sequence)"


@functools.cache
def v3_profile_fp8_gemm_speed() -> Fact:
    """The FP8 GEMMs' speed in DeepSeek's training profile: their FLOPs ÷ their kernels' time, 770 TFLOP/s.

    Per token and MoE layer the GEMMs multiply by the MLA projections and 9 experts (8 routed + 1 shared), 6 FLOPs
    per weight forward and backward; the profile's 4 layers × 4,096 tokens take 74.5 ms of FP8 GEMM kernels.
    """
    layer = _v3_moe_layer()
    weights = layer["attention"].named("MLA projections", "parameters") + layer["experts"] * layer["expert"]
    flop = _profile_token_layers() * (6 * weights)
    speed = flop / _profile("fp8_gemm_seconds")
    return _derived(
        speed,
        -9,
        f"{_PROFILE_WHERE}: the FP8 GEMMs' FLOPs, counted from config.json, ÷ their kernels' time",
        "FLOP/s",
        source="deepseek-profile-data",
        note="The speed while the GEMMs run on the 112 SMs left beside the communication kernels, about 39% of "
        "the H800's FP8 dense peak; DeepGEMM's benchmark (all 132 SMs, inference shapes) reaches 1,350 TFLOP/s.",
    )


@functools.cache
def v3_profile_attention_speed() -> Fact:
    """BF16 attention's speed in the profile: causal QKᵀ and A·V FLOPs at 4K ÷ the FlashAttention kernels' time."""
    per_token_layer = flops.attention_flops(
        1, _q("deepseek-v3.heads"), _q("deepseek-v3.qk_head_dim"), _q("deepseek-v3.v_head_dim"),
        _q("deepseek-v3.seq_len"), Q.const(0.5, "½ (causal)"),
    )  # fmt: skip
    speed = _profile_token_layers() * per_token_layer / _profile("attention_seconds")
    where = f"{_PROFILE_WHERE}: causal attention FLOPs, forward and backward, ÷ the FlashAttention kernels' time"
    return _derived(speed, -9, where, "FLOP/s", source="deepseek-profile-data")


@functools.cache
def v3_profile_other_us_per_token_layer() -> Fact:
    """The profile's compute that is neither GEMM nor attention (casts, norms, RoPE, SwiGLU...), per token and layer."""
    rest = _profile("cast_compute_stream_seconds") + _profile("other_compute_seconds")
    per = rest / _profile_token_layers() * step_time.US
    where = f"{_PROFILE_WHERE}: the compute stream's casts, norms, RoPE, SwiGLU, copies and small GEMMs"
    return _derived(per, 6, where, "µs", source="deepseek-profile-data")


@functools.cache
def v3_profile_cast_share() -> Fact:
    """FP8's own overhead as a share of V3's training time: the profile's casts per token and layer, over 61 layers,
    at the measured 1,542 tokens per GPU-second."""
    casts = _profile("cast_compute_stream_seconds") + _profile("cast_comm_stream_seconds")
    per_token_layer = (casts / _profile_token_layers()).named("cast time per token and layer", "seconds")
    rate = step_time.tokens_per_gpu_second(
        Q.input(fact("deepseek-v3.tokens_per_day").value, "tokens", "tokens per day"), _q("deepseek-v3.cluster_gpus")
    )
    share = rate * _q("deepseek-v3.layers") * per_token_layer
    where = f"{_PROFILE_WHERE} (FP8 casts, quantisations and transposes) and Insights Table 4 (272.80B tokens a day)"
    return _derived(share, 4, where, "fraction", source="deepseek-profile-data")


@functools.cache
def v3_fp8_speedup() -> Fact:
    """How much longer V3's pre-training would have taken all in BF16: about 1.32× (models/step_time.py).

    The FP8 GEMMs' share of the time at the profile's speed, twice as long in BF16 (the H800's FP8 ÷ BF16 peak),
    less the casts' share that BF16 does not need.
    """
    rate = step_time.tokens_per_gpu_second(
        Q.input(fact("deepseek-v3.tokens_per_day").value, "tokens", "tokens per day"), _q("deepseek-v3.cluster_gpus")
    )
    gemm = Q.input(v3_fp8_gemm_flops_per_token().value, "FLOP", "FP8 GEMM FLOP per token")
    speed = Q.input(v3_profile_fp8_gemm_speed().value, "FLOP/s", "FP8 GEMM speed")
    share = step_time.gemm_time_share(rate, gemm, speed).named("FP8 GEMMs' share of the time", "fraction")
    slowdown = (hardware.peak("h800", "fp8") / hardware.peak("h800", "bf16")).named("BF16 ÷ FP8 GEMM time", "ratio")
    casts = Q.input(v3_profile_cast_share().value, "fraction", "casts' share of the time")
    ratio = step_time.bf16_time_ratio(share, slowdown, casts)
    where = "Table 4 (272.80B tokens a day on 2,048 H800s) with the training profile's FP8 GEMM speed and casts"
    return _derived(ratio, 4, where, "ratio", source="deepseek-v3-insights")
