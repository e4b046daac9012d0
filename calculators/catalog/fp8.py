"""fp8: what DeepSeek-V3's FP8 mixed-precision recipe bought, in compute and in memory, kept apart.

DeepSeek-V3 Technical Report §3.3 (arXiv 2412.19437):
- §3.3.1: "all three GEMMs associated with the Linear operator, namely Fprop (forward pass), Dgrad (activation backward
  pass), and Wgrad (weight backward pass), are executed in FP8. This design theoretically doubles the computational
  speed compared with the original BF16 method." The embedding module, output head, MoE gating modules,
  normalization operators and attention operators keep their original precision (BF16 or FP32).
- §3.3.2: E4M3 on all tensors, scaled per 1×128 activation tile and per 128×128 weight block.
- §3.3.1 and §3.3.3: AdamW's first and second moments in BF16; master weights and gradients "still retained in FP32";
  activations cached in FP8 for the backward pass of the Linear operator (E5M6 for the inputs of the Linear after
  attention).

Compute: only the FP8 share of the FLOPs runs at the FP8 peak, so the speed-up is Amdahl's, not 2×:
1 / ((1 − s) + s × BF16 peak / FP8 peak). Memory: bytes of model state per parameter under DeepSeek's recipe against
ZeRO's 16 bytes for mixed-precision Adam (Rajbhandari et al. 2020, §3.1), and bytes per cached activation element.
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Q, fmt_plain, src
from ..models import hardware
from ..models.derived import v3_fp8_share, v3_mfu_6nd
from ..models.facts import fact


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
SECONDS_PER_HOUR = Q.const(3600, "3,600 s")

V3_FP8 = src(
    "deepseek-v3: §3.3.1 Mixed Precision Framework (Fprop, Dgrad and Wgrad of every Linear in FP8 E4M3; "
    "embedding, output head, MoE gating, normalization and attention kept in BF16/FP32)"
)
V3_STORE = src(
    'deepseek-v3: §3.3.3 Low-Precision Storage: "BF16 ... to track the first and second moments in the '
    'AdamW ... optimizer"; §3.3.1: "master weights ... and gradients ... are still retained in FP32"'
)
V3_TABLE1 = src("deepseek-v3: Table 1, pre-training 2,664K H800 GPU-hours at $2 per GPU-hour = $5.328M")
SIX_N = src("kaplan2020: §2.1, C ≈ 6N per token (forward 2N + backward 4N), with N = 37B activated (V3 abstract)")
INSIGHTS = src(
    "deepseek-v3-insights: Table 2 (~250 GFLOPs per token, causal attention at 4K) and Table 4 "
    "(385 TFLOPS = 38.94% causal MFU against the BF16 peak)"
)
ZERO = src(
    "rajbhandari2020: §3.1 Model States: mixed-precision Adam holds an fp16 copy of the parameters (2Ψ) and "
    "gradients (2Ψ) plus fp32 parameters, momentum and variance (KΨ, K = 12): 16Ψ bytes"
)
FP8_FORMAT = src(
    "micikevicius2022-fp8: abstract, an 8-bit floating point binary interchange format with two "
    "encodings, E4M3 and E5M2 (1 byte per element)"
)
BF16_BYTES = src("rajbhandari2020: §3.1 (a 16-bit copy takes 2Ψ bytes: 2 bytes per element)")


def fp8(gpu, flops_per_token, tokens, fp8_share, mfu, reported_gpu_hours, price_per_gpu_hour, total_params,
        ds_master_bytes, ds_grad_bytes, ds_moment_bytes, ds_weight_bytes, zero_weight_bytes, zero_grad_bytes,
        zero_optimizer_bytes, act_fp8_bytes, act_bf16_bytes):  # fmt: skip
    p16 = hardware.peak(gpu, "bf16", field="gpu")
    p8 = hardware.peak(gpu, "fp8", field="gpu")  # InputError naming --gpu for a GPU without FP8 (A100)
    if 0 < reported_gpu_hours < 1:
        # A reported run of under one GPU-hour is no training run, and the MFU it implies overflows to inf.
        raise InputError(
            "reported_gpu_hours",
            f"must be 0 (none reported) or at least 1 GPU-hour (got {fmt_plain(reported_gpu_hours.value)})",
        )
    s, p = fp8_share, price_per_gpu_hour
    flops = (flops_per_token * tokens).named("training FLOPs", "FLOP")
    # Time of the mixed run relative to the all-BF16 run at the same utilisation of each precision's peak.
    rel_time = (1 - s) + s * p16 / p8
    speedup = (1 / rel_time).named("speed-up", "ratio")
    util = (mfu / speedup).named("per-precision utilisation", "fraction")  # of its own peak, for each precision
    fp8_hours = ((s * flops / p8 + (1 - s) * flops / p16) / (util * SECONDS_PER_HOUR)).named(
        "GPU-hours with FP8", "GPU-hours"
    )
    bf16_hours = (flops / (p16 * util * SECONDS_PER_HOUR)).named("GPU-hours all in BF16", "GPU-hours")
    reported = reported_gpu_hours
    rep_bf16 = (reported * speedup).named("reported run in BF16", "GPU-hours")
    ds_b = (ds_master_bytes + ds_grad_bytes + 2 * ds_moment_bytes + ds_weight_bytes).named(
        "DeepSeek's bytes per parameter", "bytes"
    )
    zero_b = (zero_weight_bytes + zero_grad_bytes + zero_optimizer_bytes).named("ZeRO's bytes per parameter", "bytes")
    if reported > 0:
        mfu_reported = flops / (reported * SECONDS_PER_HOUR * p16)
    else:
        mfu_reported = Q.const(0.0).explain("not applicable: no reported GPU-hours")
    return {
        "training_flops": flops,
        "speedup": speedup,
        "fp8_time_share": s * p16 / p8 / rel_time.named("time relative to all-BF16", ""),
        "per_precision_utilisation": util,
        "fp8_gpu_hours": fp8_hours,
        "bf16_gpu_hours": bf16_hours,
        "fp8_cost_usd": fp8_hours * p,
        "bf16_cost_usd": bf16_hours * p,
        "reported_cost_usd": reported * p,
        "reported_bf16_gpu_hours": rep_bf16,
        "reported_bf16_cost_usd": rep_bf16 * p,
        "reported_saving_usd": (rep_bf16 - reported) * p,
        "reported_mfu_bf16": mfu_reported,
        "ds_bytes_per_param": ds_b,
        "zero_bytes_per_param": zero_b,
        "ds_model_state_bytes": ds_b * total_params,
        "zero_model_state_bytes": zero_b * total_params,
        "model_state_saving_fraction": 1 - ds_b / zero_b,
        "activation_bytes_ratio": act_fp8_bytes / act_bf16_bytes,
    }


CALCULATOR = Calculator(
    name="fp8",
    title="DeepSeek-V3's FP8 training",
    summary="What FP8 mixed precision bought: the compute effect (only the FP8 share of the FLOPs runs at the 2× FP8 "
    "peak) and the memory effect (bytes of model state per parameter and per cached activation), kept apart; "
    "and what the reported 2,664K GPU-hour pre-training would have cost all in BF16.",
    inputs=(
        Input(
            "gpu",
            "GPU",
            "",
            "h800",
            src("deepseek-v3: §3.1, a cluster of 2,048 NVIDIA H800 GPUs"),
            type="choice",
            choices=hardware.gpu_choices(),
            help="Dense peaks from data/gpus.json; a GPU without FP8 tensor cores (A100) has nothing to compare.",
        ),
        Input(
            "flops_per_token",
            "Training compute per token",
            "FLOP",
            6 * V3("active_params").value,
            SIX_N,
            min=1e6,
            max=1e15,
            symbol="FLOPs per token",
            help="6 × 37B activated parameters = 222 GFLOP. DeepSeek's own count with causal attention is ~250 "
            'GFLOP (preset "insights").',
        ),
        Input("tokens", "Pre-training tokens", "tokens", V3("tokens"), min=1, max=1e16, symbol="D"),
        Input(
            "fp8_share",
            "Share of the FLOPs in FP8 GEMMs",
            "fraction",
            v3_fp8_share(),
            min=0,
            max=1,
            range=(0.74, 0.94),
            step=0.01,
            symbol="FP8 share",
            help="Derived (its source shows how): the FLOPs of every Linear layer but the output head and the MoE "
            "gating, 6 per weight, as a share of DeepSeek's ~250 GFLOP per token. "
            "Attention (QK and AV), output head and gating stay BF16. The range runs from counting attention "
            "non-causally (283 GFLOP per token: 0.74) to ignoring attention (0.94). The Linear weights start from "
            "README_WEIGHTS' 36.7B as it states it, including the 0.9B embedding and the 0.9B head; this site's own "
            "count of V3's activated weights, without the embedding lookup, is 36.63B (params calculator), so the "
            "two counts differ by about one embedding table.",
        ),
        Input(
            "mfu",
            "MFU against the BF16 dense peak",
            "fraction",
            v3_mfu_6nd(),
            min=0.001,
            max=2,
            step=0.01,
            symbol="MFU",
            help="DeepSeek's convention (Insights §5.1.2: MFU is calculated on the BF16 peak even though the "
            "GEMMs ran in FP8). Default: V3's pre-training in 6ND accounting, 6 × activated parameters × tokens "
            "in the reported GPU-hours (its source shows the working). It can exceed 1 only because part of the "
            "work runs at the FP8 peak.",
        ),
        Input(
            "reported_gpu_hours",
            "Reported pre-training",
            "GPU-hours",
            V3("pretraining_gpu_hours"),
            min=0,
            max=1e10,
            symbol="reported GPU-hours",
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            V3("price_per_gpu_hour").value,
            V3_TABLE1,
            min=0,
            max=1_000,
            range=PRICE_RANGE,
            step=0.1,
            symbol="price per GPU-hour",
            help="DeepSeek's assumption; H100 rentals ran from under $2 (Latent Space, Oct 2024) to about $3.5.",
        ),
        Input("total_params", "Total parameters", "parameters", V3("total_params"), min=1, max=1e14),
        Input(
            "ds_master_bytes",
            "DeepSeek: master weights (FP32)",
            "bytes",
            4,
            V3_STORE,
            min=0,
            max=16,
            symbol="FP32 master weight",
        ),
        Input(
            "ds_grad_bytes", "DeepSeek: gradients (FP32)", "bytes", 4, V3_STORE, min=0, max=16, symbol="FP32 gradient"
        ),
        Input(
            "ds_moment_bytes",
            "DeepSeek: each AdamW moment (BF16)",
            "bytes",
            2,
            V3_STORE,
            min=0,
            max=16,
            symbol="BF16 moment",
        ),
        Input(
            "ds_weight_bytes",
            "DeepSeek: persistent low-precision weight copy",
            "bytes",
            0,
            V3_FP8,
            min=0,
            max=16,
            symbol="weight copy",
            help="§3.3 names no stored BF16 copy: weights are quantised to FP8 online, per 128×128 block, "
            "for each GEMM. Set 1 (FP8) or 2 (BF16) if a framework keeps one.",
        ),
        Input(
            "zero_weight_bytes",
            "ZeRO baseline: fp16/bf16 weights",
            "bytes",
            2,
            ZERO,
            min=0,
            max=16,
            symbol="16-bit weight",
        ),
        Input(
            "zero_grad_bytes",
            "ZeRO baseline: fp16/bf16 gradients",
            "bytes",
            2,
            ZERO,
            min=0,
            max=16,
            symbol="16-bit gradient",
        ),
        Input(
            "zero_optimizer_bytes",
            "ZeRO baseline: optimizer states K (fp32 copy, momentum, variance)",
            "bytes",
            12,
            ZERO,
            min=0.001,
            max=64,
            symbol="K",
        ),
        Input(
            "act_fp8_bytes",
            "Cached activation element, FP8",
            "bytes",
            1,
            FP8_FORMAT,
            min=0,
            max=8,
            symbol="FP8 activation",
            help="E4M3 is 1 byte (scales per 1×128 tile add 4 bytes per 128 elements). The inputs of the Linear "
            "after attention use E5M6 (12 bits) instead.",
        ),
        Input(
            "act_bf16_bytes",
            "Cached activation element, BF16",
            "bytes",
            2,
            BF16_BYTES,
            min=0.125,
            max=8,
            symbol="BF16 activation",
        ),
    ),
    outputs=(
        Output("training_flops", "Training compute", "FLOP"),
        Output(
            "speedup",
            "Speed-up of FP8 GEMMs over all-BF16 (ceiling)",
            "ratio",
            help="Amdahl's law at equal utilisation of each precision's peak; the realised gain is lower where "
            "communication, not arithmetic, sets the pace.",
        ),
        Output("fp8_time_share", "Share of the time spent in FP8 GEMMs", "fraction"),
        Output("per_precision_utilisation", "Utilisation of each precision's own peak", "fraction"),
        Output(
            "fp8_gpu_hours",
            "GPU-hours with FP8 (as trained)",
            "GPU-hours",
            help="The same as FLOP ÷ (BF16 peak × MFU × 3,600): DeepSeek's MFU counts every FLOP against BF16.",
        ),
        Output("bf16_gpu_hours", "GPU-hours all in BF16", "GPU-hours"),
        Output("fp8_cost_usd", "Cost with FP8", "USD"),
        Output("bf16_cost_usd", "Cost all in BF16", "USD"),
        Output("reported_cost_usd", "Reported pre-training cost", "USD"),
        Output("reported_bf16_gpu_hours", "Reported run, all in BF16", "GPU-hours"),
        Output("reported_bf16_cost_usd", "Reported run, all in BF16: cost", "USD"),
        Output("reported_saving_usd", "Saved by FP8 on the reported run", "USD"),
        Output("reported_mfu_bf16", "Reported run's MFU against the BF16 peak", "fraction"),
        Output("ds_bytes_per_param", "Model state per parameter, DeepSeek's recipe", "bytes"),
        Output("zero_bytes_per_param", "Model state per parameter, mixed-precision Adam (ZeRO)", "bytes"),
        Output("ds_model_state_bytes", "Model state, DeepSeek's recipe (all parameters, before sharding)", "bytes"),
        Output("zero_model_state_bytes", "Model state, mixed-precision Adam (before sharding)", "bytes"),
        Output("model_state_saving_fraction", "Model-state memory saved", "fraction"),
        Output("activation_bytes_ratio", "Cached activation bytes, FP8 ÷ BF16", "ratio"),
    ),
    function=fp8,
    headline="reported_bf16_cost_usd",
    presets=(
        Preset(
            "v3-6nd",
            "DeepSeek-V3 pre-training, 6ND accounting",
            {"flops_per_token": 6 * V3("active_params").value, "mfu": v3_mfu_6nd().value},
            V3_TABLE1,
        ),
        Preset(
            "insights",
            "DeepSeek's own accounting: 250 GFLOP per token at 38.94% MFU",
            {"flops_per_token": V3("flops_per_token_published").value, "mfu": V3("causal_mfu_bf16").value},
            INSIGHTS,
        ),
    ),
    notes="Compute and memory are separate effects: the speed-up is a ceiling at equal utilisation of each "
    'precision\'s peak (V3 §3.3.1: "theoretically doubles" the GEMMs only). Model-state bytes are before '
    "sharding across ZeRO-1 data-parallel, pipeline and expert-parallel ranks. Gradients are 4 bytes in "
    "DeepSeek's recipe against 2 in ZeRO's; the saving comes from the BF16 moments and from keeping no "
    "16-bit weight copy.",
)
