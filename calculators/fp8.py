"""fp8: what DeepSeek-V3's FP8 mixed-precision recipe bought, in compute and in memory, kept apart.

DeepSeek-V3 Technical Report §3.3 (arXiv 2412.19437):
- §3.3.1: "all three GEMMs associated with the Linear operator, namely Fprop (forward pass), Dgrad (activation backward
  pass), and Wgrad (weight backward pass), are executed in FP8. This design theoretically doubles the computational
  speed compared with the original BF16 method." The embedding module, output head, MoE gating modules,
  normalization operators and attention operators keep their original precision (BF16 or FP32).
- §3.3.2: E4M3 on all tensors, scaled per 1×128 activation tile and per 128×128 weight block.
- §3.3.3: AdamW's first and second moments in BF16; master weights and gradients "still retained in FP32";
  activations cached in FP8 for the backward pass of the Linear operator (E5M6 for the inputs of the Linear after
  attention).

Compute: only the FP8 share of the FLOPs runs at the FP8 peak, so the speed-up is Amdahl's, not 2×:
1 / ((1 − s) + s × BF16 peak / FP8 peak). Memory: bytes of model state per parameter under DeepSeek's recipe against
ZeRO's 16 bytes for mixed-precision Adam (Rajbhandari et al. 2020, §3.1), and bytes per cached activation element.
"""

from __future__ import annotations

from . import training_cost as _training_cost
from .core import Calculator, Input, InputError, Output, Preset, Value, n, src
from .hardware import gpu_choices, peak_flops

# The default share of the training computation in FP8 GEMMs, derived (not published): of DeepSeek's ~250 GFLOPs per
# token (Insights Table 2, causal attention, 4K context), the Linear layers other than the output head and MoE gating
# do 6 × (36.7B activated − 0.9B embedding − 0.9B head − 58 MoE layers × 256 experts × 7,168 gating weights) FLOPs.
_ACTIVATED, _EMBED, _HEAD = 36.7e9, 0.9e9, 0.9e9  # README_WEIGHTS.md
_GATING = 58 * 256 * 7168  # V3 §4.2: 58 MoE layers, 256 routed experts, hidden 7,168
_PER_TOKEN = 250e9  # Insights Table 2
FP8_SHARE = round(6 * (_ACTIVATED - _EMBED - _HEAD - _GATING) / _PER_TOKEN, 3)  # 0.835

# V3 pre-training, 6ND accounting: 6 × 37e9 × 14.8e12 FLOP over 2,664K GPU-hours against the 989.4 TFLOPS BF16 peak.
MFU_6ND = round(_training_cost.CALCULATOR.run()["implied_mfu_bf16_6nd"], 4)  # 0.3463, from training-cost's defaults

V3_FP8 = src(
    "deepseek-v3: §3.3.1 Mixed Precision Framework (Fprop, Dgrad and Wgrad of every Linear in FP8 E4M3; "
    "embedding, output head, MoE gating, normalization and attention kept in BF16/FP32)"
)
V3_STORE = src(
    'deepseek-v3: §3.3.3 Low-Precision Storage: "BF16 ... to track the first and second moments in the '
    'AdamW optimizer"; "master weights ... and gradients ... are still retained in FP32"'
)
V3_ACT = src(
    'deepseek-v3: §3.3.3 Low-Precision Activation: "cache activations in FP8 format for the backward pass '
    'of the Linear operator"'
)
V3_TABLE1 = src("deepseek-v3: Table 1, pre-training 2,664K H800 GPU-hours at $2 per GPU-hour = $5.328M")
V3_MFU = src(
    "deepseek-v3: Table 1 (2,664K pre-training GPU-hours) with 6 × 37B × 14.8T FLOP and the 989.4 TFLOPS "
    "dense BF16 peak; the MFU is derived here"
)
V3_TOKENS = src("deepseek-v3: abstract and §4.2, 14.8T pre-training tokens")
V3_PARAMS = src("deepseek-v3: abstract, 671B total parameters, 37B activated per token")
SIX_N = src("kaplan2020: §2.1, C ≈ 6N per token (forward 2N + backward 4N), with N = 37B activated (V3 abstract)")
INSIGHTS = src(
    "deepseek-v3-insights: Table 2 (~250 GFLOPs per token, causal attention at 4K) and Table 4 "
    "(385 TFLOPS = 38.94% causal MFU against the BF16 peak)"
)
SHARE = src(
    'deepseek-v3-weights: "Activation parameters: 36.7B (including 0.9B for Embedding and 0.9B for the '
    'output Head)"; with Insights Table 2 (~250 GFLOPs per token), the FP8 share is derived here'
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


def fp8(
    gpu,
    flops_per_token,
    tokens,
    fp8_share,
    mfu,
    reported_gpu_hours,
    price_per_gpu_hour,
    total_params,
    ds_master_bytes,
    ds_grad_bytes,
    ds_moment_bytes,
    ds_weight_bytes,
    zero_weight_bytes,
    zero_grad_bytes,
    zero_optimizer_bytes,
    act_fp8_bytes,
    act_bf16_bytes,
):
    if 0 < reported_gpu_hours < 1:
        # A reported run of under one GPU-hour is no training run, and the MFU it implies overflows to inf.
        raise InputError(
            "reported_gpu_hours", f"must be 0 (none reported) or at least 1 GPU-hour (got {n(reported_gpu_hours)})"
        )
    p16 = peak_flops(gpu, "bf16", field="gpu")
    p8 = peak_flops(gpu, "fp8", field="gpu")
    s, p = fp8_share, price_per_gpu_hour
    flops = flops_per_token * tokens
    # Time of the mixed run relative to the all-BF16 run at the same utilisation of each precision's peak.
    rel_time = (1 - s) + s * p16 / p8
    speedup = 1 / rel_time
    util = mfu / speedup  # the fraction of its own peak that each precision's kernels reach
    fp8_hours = (s * flops / p8 + (1 - s) * flops / p16) / (util * 3600)
    bf16_hours = flops / (p16 * util * 3600)
    rep_bf16 = reported_gpu_hours * speedup
    ds_b = ds_master_bytes + ds_grad_bytes + 2 * ds_moment_bytes + ds_weight_bytes
    zero_b = zero_weight_bytes + zero_grad_bytes + zero_optimizer_bytes
    sub = f"(1 − {n(s)}) + {n(s)} × {n(p16 / 1e12)} ÷ {n(p8 / 1e12)} TFLOPS"
    return {
        "training_flops": Value(flops, f"{n(flops_per_token)} FLOP per token × {n(tokens)} tokens"),
        "speedup": Value(speedup, f"1 ÷ ({sub}) = 1 ÷ {n(round(rel_time, 4))}"),
        "fp8_time_share": Value(
            s * p16 / p8 / rel_time, f"{n(s)} × {n(p16 / 1e12)} ÷ {n(p8 / 1e12)} ÷ {n(round(rel_time, 4))}"
        ),
        "per_precision_utilisation": Value(util, f"{n(mfu)} ÷ {n(round(speedup, 4))}"),
        "fp8_gpu_hours": Value(
            fp8_hours,
            f"({n(s)} × {n(flops)} FLOP ÷ {n(p8 / 1e12)} TFLOPS + "
            f"{n(round(1 - s, 6))} × {n(flops)} FLOP ÷ {n(p16 / 1e12)} TFLOPS) ÷ "
            f"({n(round(util, 4))} × 3,600 s)",
        ),
        "bf16_gpu_hours": Value(
            bf16_hours, f"{n(flops)} FLOP ÷ ({n(p16 / 1e12)} TFLOPS × {n(round(util, 4))} × 3,600 s)"
        ),
        "fp8_cost_usd": Value(fp8_hours * p, f"{n(round(fp8_hours))} GPU-hours × ${n(p)}"),
        "bf16_cost_usd": Value(bf16_hours * p, f"{n(round(bf16_hours))} GPU-hours × ${n(p)}"),
        "reported_cost_usd": Value(reported_gpu_hours * p, f"{n(reported_gpu_hours)} GPU-hours × ${n(p)}"),
        "reported_bf16_gpu_hours": Value(rep_bf16, f"{n(reported_gpu_hours)} GPU-hours × {n(round(speedup, 4))}"),
        "reported_bf16_cost_usd": Value(rep_bf16 * p, f"{n(round(rep_bf16))} GPU-hours × ${n(p)}"),
        "reported_saving_usd": Value(
            (rep_bf16 - reported_gpu_hours) * p, f"({n(round(rep_bf16))} − {n(reported_gpu_hours)}) GPU-hours × ${n(p)}"
        ),
        "reported_mfu_bf16": Value(
            flops / (reported_gpu_hours * 3600 * p16) if reported_gpu_hours > 0 else 0.0,
            f"{n(flops)} FLOP ÷ ({n(reported_gpu_hours)} GPU-hours × 3,600 s × {n(p16 / 1e12)} TFLOPS)"
            if reported_gpu_hours > 0
            else "no reported GPU-hours",
        ),
        "ds_bytes_per_param": Value(
            ds_b,
            f"{n(ds_master_bytes)} master + {n(ds_grad_bytes)} gradient + 2 × "
            f"{n(ds_moment_bytes)} moments + {n(ds_weight_bytes)} working copy",
        ),
        "zero_bytes_per_param": Value(
            zero_b,
            f"{n(zero_weight_bytes)} weights + {n(zero_grad_bytes)} gradients + "
            f"{n(zero_optimizer_bytes)} optimizer states",
        ),
        "ds_model_state_bytes": Value(ds_b * total_params, f"{n(ds_b)} B × {n(total_params)} parameters"),
        "zero_model_state_bytes": Value(zero_b * total_params, f"{n(zero_b)} B × {n(total_params)} parameters"),
        "model_state_saving_fraction": Value(1 - ds_b / zero_b, f"1 − {n(ds_b)} ÷ {n(zero_b)}"),
        "activation_bytes_ratio": Value(
            act_fp8_bytes / act_bf16_bytes, f"{n(act_fp8_bytes)} B ÷ {n(act_bf16_bytes)} B per cached element"
        ),
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
            choices=gpu_choices(),
            help="Dense peaks from data/gpus.json; a GPU without FP8 tensor cores (A100) has nothing to compare.",
        ),
        Input(
            "flops_per_token",
            "Training compute per token",
            "FLOP",
            6 * 37e9,
            SIX_N,
            min=1e6,
            max=1e15,
            help="6 × 37B activated parameters = 222 GFLOP. DeepSeek's own count with causal attention is ~250 "
            'GFLOP (preset "insights").',
        ),
        Input("tokens", "Pre-training tokens", "tokens", 14.8e12, V3_TOKENS, min=1, max=1e16),
        Input(
            "fp8_share",
            "Share of the FLOPs in FP8 GEMMs",
            "fraction",
            FP8_SHARE,
            SHARE,
            min=0,
            max=1,
            range=(0.74, 0.94),
            step=0.01,
            help=f"Derived: 6 × (36.7B − 0.9B embedding − 0.9B head − 0.11B gating) ÷ 250 GFLOP = {FP8_SHARE}. "
            "Attention (QK and AV), output head and gating stay BF16. The range runs from counting attention "
            "non-causally (283 GFLOP per token: 0.74) to ignoring attention (0.94).",
        ),
        Input(
            "mfu",
            "MFU against the BF16 dense peak",
            "fraction",
            MFU_6ND,
            V3_MFU,
            min=0.001,
            max=2,
            step=0.01,
            help=f"DeepSeek's convention (Insights §5.1.2: MFU is calculated on the BF16 peak even though the "
            f"GEMMs ran in FP8). Default {MFU_6ND}: 6 × 37e9 × 14.8e12 FLOP in 2,664K GPU-hours on 989.4 "
            "TFLOPS. It can exceed 1 only because part of the work runs at the FP8 peak.",
        ),
        Input("reported_gpu_hours", "Reported pre-training", "GPU-hours", 2_664_000, V3_TABLE1, min=0, max=1e10),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            V3_TABLE1,
            min=0,
            max=1_000,
            range=(1.5, 3.5),
            step=0.1,
            help="DeepSeek's assumption; H100 rentals ran from under $2 (Latent Space, Oct 2024) to about $3.5.",
        ),
        Input("total_params", "Total parameters", "parameters", 671e9, V3_PARAMS, min=1, max=1e14),
        Input("ds_master_bytes", "DeepSeek: master weights (FP32)", "bytes", 4, V3_STORE, min=0, max=16),
        Input("ds_grad_bytes", "DeepSeek: gradients (FP32)", "bytes", 4, V3_STORE, min=0, max=16),
        Input("ds_moment_bytes", "DeepSeek: each AdamW moment (BF16)", "bytes", 2, V3_STORE, min=0, max=16),
        Input(
            "ds_weight_bytes",
            "DeepSeek: persistent low-precision weight copy",
            "bytes",
            0,
            V3_FP8,
            min=0,
            max=16,
            help="§3.3 names no stored BF16 copy: weights are quantised to FP8 online, per 128×128 block, "
            "for each GEMM. Set 1 (FP8) or 2 (BF16) if a framework keeps one.",
        ),
        Input("zero_weight_bytes", "ZeRO baseline: fp16/bf16 weights", "bytes", 2, ZERO, min=0, max=16),
        Input("zero_grad_bytes", "ZeRO baseline: fp16/bf16 gradients", "bytes", 2, ZERO, min=0, max=16),
        Input(
            "zero_optimizer_bytes",
            "ZeRO baseline: optimizer states K (fp32 copy, momentum, variance)",
            "bytes",
            12,
            ZERO,
            min=0.001,
            max=64,
        ),
        Input(
            "act_fp8_bytes",
            "Cached activation element, FP8",
            "bytes",
            1,
            FP8_FORMAT,
            min=0,
            max=8,
            help="E4M3 is 1 byte (scales per 1×128 tile add 4 bytes per 128 elements). The inputs of the Linear "
            "after attention use E5M6 (12 bits) instead.",
        ),
        Input("act_bf16_bytes", "Cached activation element, BF16", "bytes", 2, BF16_BYTES, min=0.125, max=8),
    ),
    outputs=(
        Output("training_flops", "Training compute", "FLOP", "FLOP per token × tokens"),
        Output(
            "speedup",
            "Speed-up of FP8 GEMMs over all-BF16 (ceiling)",
            "ratio",
            "1 ÷ ((1 − s) + s × BF16 peak ÷ FP8 peak)",
            help="Amdahl's law at equal utilisation of each precision's peak; the realised gain is lower where "
            "communication, not arithmetic, sets the pace.",
        ),
        Output("fp8_time_share", "Share of the time spent in FP8 GEMMs", "fraction"),
        Output(
            "per_precision_utilisation",
            "Utilisation of each precision's own peak",
            "fraction",
            "MFU (BF16 basis) ÷ speed-up",
        ),
        Output(
            "fp8_gpu_hours",
            "GPU-hours with FP8 (as trained)",
            "GPU-hours",
            "(s × FLOP ÷ FP8 peak + (1 − s) × FLOP ÷ BF16 peak) ÷ (utilisation × 3,600)",
            help="The same as FLOP ÷ (BF16 peak × MFU × 3,600): DeepSeek's MFU counts every FLOP against BF16.",
        ),
        Output("bf16_gpu_hours", "GPU-hours all in BF16", "GPU-hours", "FLOP ÷ (BF16 peak × utilisation × 3,600)"),
        Output("fp8_cost_usd", "Cost with FP8", "USD"),
        Output("bf16_cost_usd", "Cost all in BF16", "USD"),
        Output("reported_cost_usd", "Reported pre-training cost", "USD", "reported GPU-hours × price"),
        Output("reported_bf16_gpu_hours", "Reported run, all in BF16", "GPU-hours", "reported GPU-hours × speed-up"),
        Output("reported_bf16_cost_usd", "Reported run, all in BF16: cost", "USD"),
        Output("reported_saving_usd", "Saved by FP8 on the reported run", "USD"),
        Output(
            "reported_mfu_bf16",
            "Reported run's MFU against the BF16 peak",
            "fraction",
            "training FLOP ÷ (reported GPU-hours × 3,600 × BF16 peak)",
        ),
        Output(
            "ds_bytes_per_param",
            "Model state per parameter, DeepSeek's recipe",
            "bytes",
            "master + gradient + 2 moments + working copy",
        ),
        Output(
            "zero_bytes_per_param",
            "Model state per parameter, mixed-precision Adam (ZeRO)",
            "bytes",
            "weights + gradients + K",
        ),
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
            {"flops_per_token": 6 * 37e9, "mfu": MFU_6ND},
            V3_TABLE1,
        ),
        Preset(
            "insights",
            "DeepSeek's own accounting: 250 GFLOP per token at 38.94% MFU",
            {"flops_per_token": 250e9, "mfu": 0.3894},
            INSIGHTS,
        ),
    ),
    notes="Compute and memory are separate effects: the speed-up is a ceiling at equal utilisation of each "
    'precision\'s peak (V3 §3.3.1: "theoretically doubles" the GEMMs only). Model-state bytes are before '
    "sharding across ZeRO-1 data-parallel, pipeline and expert-parallel ranks. Gradients are 4 bytes in "
    "DeepSeek's recipe against 2 in ZeRO's; the saving comes from the BF16 moments and from keeping no "
    "16-bit weight copy.",
)
