"""Where a training step's time goes, from measured kernel speeds rather than from one utilisation for everything.

Shared by the fp8 and communication calculators and by models/profile.py (each passes quantities or plain numbers
and gets a quantity back, so the working shows):

- FP8 GEMMs' share of the step time: the FP8 GEMM work per GPU-second (measured tokens per GPU-second × FP8 GEMM
  FLOP per token) ÷ the speed the GEMMs run at while they run (DeepGEMM's benchmark, or DeepSeek's training profile).
- Amdahl's law on that share of TIME, not of FLOPs: all-BF16 time ÷ FP8 time = 1 + s × (r − 1) − c, where s is
  the GEMMs' share, r how much longer the same GEMMs take in BF16, and c the share spent on FP8's own casts,
  quantisations and transposes, work a BF16 run does not do. Everything else (attention, already BF16; norms;
  pipeline bubbles; the optimizer) takes the same time either way.
- One MoE layer's compute per micro-batch in training: FP8 GEMMs, BF16 attention and the rest, each at its
  measured speed. In decoding: the larger of the time to read the weights and KV cache from HBM and the time to
  do the arithmetic (a roofline; decoding is usually bound by memory, not by the tensor cores).
"""

from __future__ import annotations

from ..core import Q, qmax

DAY = Q.const(86_400, "86,400 s")
US = Q.const(1e6, "10^6 µs/s")


def tokens_per_gpu_second(tokens_per_day, gpus) -> Q:
    """A cluster's measured tokens per day, per GPU and second."""
    return (tokens_per_day / DAY / gpus).named("tokens per GPU-second", "tokens/s")


def gemm_time_share(tokens_per_gpu_s, gemm_flops_per_token, gemm_flops_s) -> Q:
    """The share of the wall time the GEMMs take: the GEMM work per GPU-second ÷ their speed while running."""
    work = (tokens_per_gpu_s * gemm_flops_per_token).named("FP8 GEMM work per GPU-second", "FLOP/s")
    return work / gemm_flops_s


def bf16_time_ratio(gemm_share, gemm_slowdown, cast_share) -> Q:
    """All-BF16 time ÷ FP8 time: the GEMMs' share takes r times as long, FP8's own cast share disappears."""
    return 1 + gemm_share * (gemm_slowdown - 1) - cast_share


def amdahl_flops_ceiling(fp8_flop_share, bf16_peak, fp8_peak) -> Q:
    """All-BF16 time ÷ FP8 time if every FLOP ran at the same share of its precision's peak (Amdahl on FLOPs)."""
    return 1 / ((1 - fp8_flop_share) + fp8_flop_share * bf16_peak / fp8_peak)


def training_layer_times(tokens, gemm_flops_per_token, gemm_flops_s, attention_flops_per_token, attention_flops_s,
                         other_us_per_token) -> dict[str, Q]:  # fmt: skip
    """One MoE layer, one micro-batch, forward and backward, in µs: FP8 GEMMs, attention and the rest."""
    gemm = (tokens * gemm_flops_per_token / gemm_flops_s * US).named("FP8 GEMM time", "µs")
    attention = (tokens * attention_flops_per_token / attention_flops_s * US).named("attention time", "µs")
    other = (tokens * other_us_per_token).named("other compute time", "µs")
    return {"gemm": gemm, "attention": attention, "other": other, "total": gemm + attention + other}


def decode_layer_times(hbm_bytes, hbm_bytes_s, flops, flops_s) -> dict[str, Q]:
    """One decoding layer, one micro-batch, in µs: the slower of reading from HBM and computing (a roofline)."""
    memory = (hbm_bytes / hbm_bytes_s * US).named("HBM time", "µs")
    arithmetic = (flops / flops_s * US).named("arithmetic time", "µs")
    return {"memory": memory, "arithmetic": arithmetic, "total": qmax(memory, arithmetic)}
