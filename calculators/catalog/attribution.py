"""attribution: why DeepSeek-V3 was cheap against a dense baseline, factor by factor.

One cost model for both sides (Kaplan et al. 2020; PaLM's MFU, Chowdhery et al. 2022; V3 Table 1's $ = GPU-hours ×
price):
    FLOPs per token  F = 6·N + 3·L·W·T          N active parameters, L layers, T sequence length,
                                                W = heads × (query-key + value head dims); 3 = forward + backward,
                                                attention counted causally (half the score matrix)
    GPU-hours          = D · F ÷ (peak_mix · MFU) ÷ 3600      D tokens
    peak_mix           = 1 ÷ ((1 − s)/peak_BF16 + s/peak_FP8)  s = share of the FLOPs run in FP8 (Amdahl)
    cost               = GPU-hours × price
so the cost ratio baseline ÷ DeepSeek-V3 is exactly the product of seven factors:
    tokens D_b/D_v · active parameters N_b/N_v · attention (F_b/F_v)/(N_b/N_v) · GPU peak (BF16 peaks, V3 over
    baseline) · FP8 (peak_mix/peak_BF16, V3 over baseline) · utilisation MFU_v/MFU_b · price p_b/p_v.
A factor above 1 makes the baseline dearer (DeepSeek cheaper); its signed log-share is ln f ÷ Σ|ln f| (the absolute
shares add to 100%), the data of a decomposition chart.

MFU convention: here MFU is measured against the peak of the precision mix actually used, so FP8 and utilisation
are separate factors. DeepSeek's own figure (38.94%, Insights Table 4) is against the BF16 peak; the default V3 MFU
below is derived from the same measurement (272.80B tokens a day on 2,048 H800s) against the mixed peak.
"""

from __future__ import annotations

import math

from ..core import Calculator, Input, InputError, Output, Preset, Value, load_json, n, src
from ..models.hardware import gpu_choices, gpus, peak_flops

_PEERS = {k: v for k, v in load_json("facts.json").items() if not k.startswith("_")}
V3 = _PEERS["deepseek-v3"]
LLAMA = _PEERS["llama-3.1-405b"]
GPT4 = _PEERS["gpt-4"]
GEMINI = _PEERS["gemini-1.0-ultra"]


def _v(entry: dict, key: str):
    return entry[key]["value"]


def _s(entry: dict, key: str):
    return src(entry[key]["source"])


def attention_width(entry: dict) -> int:
    """heads × (query-key head dim + value head dim): the attention term's width per layer."""
    return _v(entry, "heads") * (_v(entry, "qk_head_dim") + _v(entry, "v_head_dim"))


def flops_per_token(active_params: float, layers: int, width: int, seq_len: int) -> float:
    """Training FLOPs per token: 6N for the weights (forward 2N + backward 4N) plus causal attention.

    Attention per layer per token, forward: 2·T·(heads·d_qk) for the scores and 2·T·(heads·d_v) for the weighted sum,
    halved for a causal mask; ×3 for forward and backward: 3 × 2 × ½ × L × W × T = 3·L·W·T.
    """
    return 6 * active_params + 3 * layers * width * seq_len


def mixed_peak(gpu: str, fp8_share: float, field: str) -> float:
    """Peak FLOP/s when a share s of the FLOPs runs at the FP8 peak and the rest at BF16 (Amdahl's law)."""
    bf16 = peak_flops(gpu, "bf16", field=field)
    if fp8_share <= 0:
        return bf16
    if gpus()[gpu].get("fp8_tflops") is None:
        raise InputError(
            field, f"{gpus()[gpu]['label']} has no FP8 tensor cores; set the FP8 share to 0 or choose another GPU"
        )
    fp8 = peak_flops(gpu, "fp8", field=field)
    return 1.0 / ((1 - fp8_share) / bf16 + fp8_share / fp8)


# ---------------------------------------------------------------------------------------------------------------------
# Derived defaults (each from the published figures in data/facts.json; none is typed).

V3_WIDTH = attention_width(V3)  # 128 × (192 + 128) = 40,960
LLAMA_WIDTH = attention_width(LLAMA)  # 128 × (128 + 128) = 32,768
SEQ = _v(V3, "seq_len")

# FP8 share: V3 §3.3.1 runs every Linear GEMM in FP8 except the output head and MoE gating; embedding lookups,
# normalisation and attention stay in BF16/FP32. Of Insights' ~250 GFLOPs per token, the FP8 part is
# 6 × (36.7B − 0.9B embedding − 0.9B head − 58 layers × 256 experts × 7,168 gating weights): the same derivation
# as the fp8 calculator, so the site has one number.
_GATING = _v(V3, "moe_layers") * _v(V3, "routed_experts") * _v(V3, "hidden_size")
V3_FP8_SHARE = round(
    6
    * (_v(V3, "activated_params_precise") - _v(V3, "embedding_params") - _v(V3, "head_params") - _GATING)
    / _v(V3, "flops_per_token_published"),
    3,
)

# V3's MFU against its mixed peak, from the measured throughput (Insights Table 4) and the F computed here.
V3_TOKENS_PER_GPU_SECOND = _v(V3, "tokens_per_day") / 86_400 / _v(V3, "cluster_gpus")
V3_MFU = round(
    V3_TOKENS_PER_GPU_SECOND
    * flops_per_token(_v(V3, "active_params"), _v(V3, "layers"), V3_WIDTH, SEQ)
    / mixed_peak(V3["gpu"], V3_FP8_SHARE, "v3_fp8_share"),
    4,
)

FACTORS = (
    ("tokens", "Training tokens"),
    ("active_params", "Active parameters per token (MoE sparsity)"),
    ("attention", "Attention and other per-token FLOPs"),
    ("gpu_peak", "GPU peak (BF16)"),
    ("fp8", "FP8 (share of FLOPs × FP8/BF16 peak)"),
    ("utilisation", "Utilisation (MFU against the mixed peak)"),
    ("price", "Price per GPU-hour"),
)


def attribution(
    seq_len,
    v3_active_params,
    v3_layers,
    v3_attention_width,
    v3_tokens,
    v3_gpu,
    v3_fp8_share,
    v3_mfu,
    v3_price_per_gpu_hour,
    baseline_active_params,
    baseline_layers,
    baseline_attention_width,
    baseline_tokens,
    baseline_gpu,
    baseline_fp8_share,
    baseline_mfu,
    baseline_price_per_gpu_hour,
):
    side = {}
    for tag, N, L, W, D, gpu, s, u, p in (
        (
            "v3",
            v3_active_params,
            v3_layers,
            v3_attention_width,
            v3_tokens,
            v3_gpu,
            v3_fp8_share,
            v3_mfu,
            v3_price_per_gpu_hour,
        ),
        (
            "baseline",
            baseline_active_params,
            baseline_layers,
            baseline_attention_width,
            baseline_tokens,
            baseline_gpu,
            baseline_fp8_share,
            baseline_mfu,
            baseline_price_per_gpu_hour,
        ),
    ):
        bf16 = peak_flops(gpu, "bf16", field=f"{tag}_gpu")
        peak = mixed_peak(gpu, s, f"{tag}_fp8_share")
        F = flops_per_token(N, L, W, seq_len)
        achieved = peak * u
        hours = D * F / achieved / 3600
        side[tag] = {
            "N": N,
            "L": L,
            "W": W,
            "D": D,
            "s": s,
            "u": u,
            "p": p,
            "bf16": bf16,
            "peak": peak,
            "F": F,
            "achieved": achieved,
            "hours": hours,
            "cost": hours * p,
        }
    v, b = side["v3"], side["baseline"]

    factors = {
        "tokens": Value(b["D"] / v["D"], f"{n(b['D'])} ÷ {n(v['D'])} tokens"),
        "active_params": Value(b["N"] / v["N"], f"{n(b['N'])} ÷ {n(v['N'])} active parameters"),
        "attention": Value(
            (b["F"] / v["F"]) / (b["N"] / v["N"]),
            f"({n(b['F'])} ÷ {n(v['F'])} FLOP per token) ÷ ({n(b['N'])} ÷ {n(v['N'])})",
        ),
        "gpu_peak": Value(v["bf16"] / b["bf16"], f"{n(v['bf16'])} ÷ {n(b['bf16'])} FLOP/s (BF16)"),
        "fp8": Value(
            (v["peak"] / v["bf16"]) / (b["peak"] / b["bf16"]),
            f"({n(v['peak'])} ÷ {n(v['bf16'])}) ÷ ({n(b['peak'])} ÷ {n(b['bf16'])}) FLOP/s, mixed peak ÷ "
            f"BF16 peak at FP8 shares {n(v['s'])} and {n(b['s'])}",
        ),
        "utilisation": Value(v["u"] / b["u"], f"{n(v['u'])} ÷ {n(b['u'])} MFU"),
        "price": Value(b["p"] / v["p"], f"${n(b['p'])} ÷ ${n(v['p'])} per GPU-hour"),
    }
    ratio = b["cost"] / v["cost"]
    logs = {k: math.log(f.value) for k, f in factors.items()}
    gross = sum(abs(x) for x in logs.values())

    out = {
        "cost_ratio": Value(
            ratio, f"{n(b['cost'])} ÷ {n(v['cost'])} USD = " + " × ".join(f"{factors[k].value:.4g}" for k, _ in FACTORS)
        ),
        "v3_cost_usd": Value(v["cost"], f"{n(v['hours'])} GPU-hours × ${n(v['p'])}"),
        "baseline_cost_usd": Value(b["cost"], f"{n(b['hours'])} GPU-hours × ${n(b['p'])}"),
        "v3_gpu_hours": Value(v["hours"], f"{n(v['D'])} tokens × {n(v['F'])} FLOP ÷ {n(v['achieved'])} FLOP/s ÷ 3,600"),
        "baseline_gpu_hours": Value(
            b["hours"], f"{n(b['D'])} tokens × {n(b['F'])} FLOP ÷ {n(b['achieved'])} FLOP/s ÷ 3,600"
        ),
        "v3_flops_per_token": Value(v["F"], f"6 × {n(v['N'])} + 3 × {n(v['L'])} × {n(v['W'])} × {n(seq_len)}"),
        "baseline_flops_per_token": Value(b["F"], f"6 × {n(b['N'])} + 3 × {n(b['L'])} × {n(b['W'])} × {n(seq_len)}"),
        "v3_training_flop": Value(v["D"] * v["F"], f"{n(v['D'])} × {n(v['F'])}"),
        "baseline_training_flop": Value(b["D"] * b["F"], f"{n(b['D'])} × {n(b['F'])}"),
        "v3_6nd_flop": Value(6 * v["N"] * v["D"], f"6 × {n(v['N'])} × {n(v['D'])}"),
        "baseline_6nd_flop": Value(6 * b["N"] * b["D"], f"6 × {n(b['N'])} × {n(b['D'])}"),
        "v3_achieved_flops_per_gpu": Value(v["achieved"], f"{n(v['peak'])} mixed peak × {n(v['u'])} MFU"),
        "baseline_achieved_flops_per_gpu": Value(b["achieved"], f"{n(b['peak'])} mixed peak × {n(b['u'])} MFU"),
    }
    for key, _label in FACTORS:
        out[f"factor_{key}"] = factors[key]
    for key, _label in FACTORS:
        share = logs[key] / gross if gross > 0 else 0.0
        out[f"share_{key}"] = Value(share, f"ln {factors[key].value:.4g} ÷ {gross:.4g}")

    # Published figures (peers.json), for comparison with the model above.
    v3_hours, v3_cost = _v(V3, "gpu_hours"), _v(V3, "gpu_hours") * v3_price_per_gpu_hour
    llama_hours = _v(LLAMA, "gpu_hours")
    out.update(
        {
            "published_gpu_hours_ratio": Value(
                llama_hours / v3_hours, f"{n(llama_hours)} ÷ {n(v3_hours)} GPU-hours (Llama 3.1 card; V3 Table 1)"
            ),
            "llama_published_cost_usd": Value(
                llama_hours * baseline_price_per_gpu_hour,
                f"{n(llama_hours)} GPU-hours × ${n(baseline_price_per_gpu_hour)}",
            ),
            "gpt4_estimate_ratio": Value(
                _v(GPT4, "cost_usd") / v3_cost, f"${n(_v(GPT4, 'cost_usd'))} (AI Index estimate) ÷ ${n(v3_cost)}"
            ),
            "gemini_ultra_estimate_ratio": Value(
                _v(GEMINI, "cost_usd") / v3_cost, f"${n(_v(GEMINI, 'cost_usd'))} (AI Index estimate) ÷ ${n(v3_cost)}"
            ),
        }
    )
    return out


ISCA_T2 = _s(V3, "seq_len")
PRICE_NOTE = (
    "Range: H100-class rental quotes of 2024-25, from below $2 at resellers (Latent Space, Oct 2024) to "
    "about $3-3.5 on demand."
)

CALCULATOR = Calculator(
    name="attribution",
    title="Why V3 was cheap: the cost ratio against a dense model, factor by factor",
    summary="The training-cost ratio of a dense baseline (Llama-3.1-405B by default) to DeepSeek-V3, split exactly "
    "into tokens, active parameters (MoE), attention, GPU peak, FP8, utilisation and price, with each "
    "factor's share of the total on a log scale.",
    inputs=(
        Input(
            "seq_len",
            "Training sequence length (both)",
            "tokens",
            SEQ,
            ISCA_T2,
            type="int",
            min=1,
            max=10_000_000,
            help="Insights Table 2 compares per-token FLOPs at 4,096 tokens.",
        ),
        Input(
            "v3_active_params",
            "DeepSeek-V3: active parameters per token",
            "parameters",
            _v(V3, "active_params"),
            _s(V3, "active_params"),
            min=1e6,
            max=1e15,
        ),
        Input(
            "v3_layers",
            "DeepSeek-V3: layers",
            "layers",
            _v(V3, "layers"),
            _s(V3, "layers"),
            type="int",
            min=1,
            max=10_000,
        ),
        Input(
            "v3_attention_width",
            "DeepSeek-V3: heads × (query-key + value head dims)",
            "dimensions",
            V3_WIDTH,
            _s(V3, "qk_head_dim"),
            type="int",
            min=0,
            max=10_000_000,
            help="MLA: 128 heads × (192 + 128). Sets the attention FLOPs, 3 × layers × width × sequence length.",
        ),
        Input(
            "v3_tokens",
            "DeepSeek-V3: pre-training tokens",
            "tokens",
            _v(V3, "tokens"),
            _s(V3, "tokens"),
            min=1e6,
            max=1e16,
        ),
        Input(
            "v3_gpu",
            "DeepSeek-V3: GPU",
            "",
            V3["gpu"],
            src("deepseek-v3: §3.1, 2,048 NVIDIA H800 GPUs"),
            type="choice",
            choices=gpu_choices(),
        ),
        Input(
            "v3_fp8_share",
            "DeepSeek-V3: share of FLOPs in FP8 (derived)",
            "fraction",
            V3_FP8_SHARE,
            src(
                "deepseek-v3: §3.3.1 (every Linear GEMM in FP8 except the output head and MoE gating; embedding, "
                "normalisation and attention in BF16/FP32), with README_WEIGHTS' 36.7B = 0.9B embedding + 0.9B head "
                "+ the rest and Insights Table 2's ~250 GFLOPs per token; the share is derived here"
            ),
            min=0,
            max=1,
            step=0.01,
            help="6 × (36.7B − 0.9B embedding − 0.9B head − gating) ÷ 250 GFLOPs: the Linear layers' share.",
        ),
        Input(
            "v3_mfu",
            "DeepSeek-V3: MFU against the mixed FP8/BF16 peak (derived)",
            "fraction",
            V3_MFU,
            src(
                "deepseek-v3-insights: Table 4, 272.80B tokens per day on 2,048 H800s (385 TFLOPS causal, 38.94% "
                "of the BF16 peak); here as achieved FLOP/s ÷ the FP8/BF16 mixed peak, derived"
            ),
            min=0.001,
            max=1,
            step=0.01,
            help="Measured throughput × FLOPs per token ÷ the mixed peak. DeepSeek's 38.94% is the same "
            "measurement against the BF16 peak alone.",
        ),
        Input(
            "v3_price_per_gpu_hour",
            "DeepSeek-V3: price",
            "USD/GPU-hour",
            _v(V3, "price_per_gpu_hour"),
            _s(V3, "price_per_gpu_hour"),
            min=0.01,
            max=1_000,
            step=0.1,
        ),
        Input(
            "baseline_active_params",
            "Baseline: active parameters per token",
            "parameters",
            _v(LLAMA, "active_params"),
            _s(LLAMA, "active_params"),
            min=1e6,
            max=1e15,
        ),
        Input(
            "baseline_layers",
            "Baseline: layers",
            "layers",
            _v(LLAMA, "layers"),
            _s(LLAMA, "layers"),
            type="int",
            min=1,
            max=10_000,
        ),
        Input(
            "baseline_attention_width",
            "Baseline: heads × (query-key + value head dims)",
            "dimensions",
            LLAMA_WIDTH,
            _s(LLAMA, "qk_head_dim"),
            type="int",
            min=0,
            max=10_000_000,
            help="Llama-3.1-405B: 128 heads × (128 + 128); grouped-query attention shares K/V but not the FLOPs.",
        ),
        Input(
            "baseline_tokens",
            "Baseline: pre-training tokens",
            "tokens",
            _v(LLAMA, "tokens"),
            _s(LLAMA, "tokens"),
            min=1e6,
            max=1e16,
        ),
        Input(
            "baseline_gpu",
            "Baseline: GPU",
            "",
            LLAMA["gpu"],
            _s(LLAMA, "gpu_hours"),
            type="choice",
            choices=gpu_choices(),
        ),
        Input(
            "baseline_fp8_share",
            "Baseline: share of FLOPs in FP8",
            "fraction",
            0.0,
            src('llama-3-herd: §3.3.2, "BF16 Model FLOPs Utilization": pre-training in BF16'),
            min=0,
            max=1,
            step=0.01,
        ),
        Input(
            "baseline_mfu",
            "Baseline: MFU",
            "fraction",
            _v(LLAMA, "mfu"),
            _s(LLAMA, "mfu"),
            min=0.001,
            max=1,
            step=0.01,
            range=tuple(LLAMA["mfu"]["range"]),
        ),
        Input(
            "baseline_price_per_gpu_hour",
            "Baseline: price",
            "USD/GPU-hour",
            2.0,
            src(
                "deepseek-v3: Table 1 caption, $2 per GPU-hour (DeepSeek's assumption, applied to the baseline "
                "so that price is not a factor by default)"
            ),
            min=0.01,
            max=1_000,
            step=0.1,
            range=(1.5, 3.5),
            help=PRICE_NOTE,
        ),
    ),
    outputs=(
        Output("cost_ratio", "Baseline ÷ DeepSeek-V3 training cost (modelled)", "ratio"),
        Output("v3_cost_usd", "DeepSeek-V3 pre-training cost (modelled)", "USD"),
        Output("baseline_cost_usd", "Baseline pre-training cost (modelled)", "USD"),
        Output(
            "v3_gpu_hours",
            "DeepSeek-V3 pre-training (modelled)",
            "GPU-hours",
        ),
        Output(
            "baseline_gpu_hours",
            "Baseline pre-training (modelled)",
            "GPU-hours",
        ),
        Output("v3_flops_per_token", "DeepSeek-V3 training FLOPs per token", "FLOP"),
        Output("baseline_flops_per_token", "Baseline training FLOPs per token", "FLOP"),
        Output("v3_training_flop", "DeepSeek-V3 pre-training compute", "FLOP"),
        Output("baseline_training_flop", "Baseline pre-training compute", "FLOP"),
        Output("v3_6nd_flop", "DeepSeek-V3 compute, 6ND only", "FLOP"),
        Output("baseline_6nd_flop", "Baseline compute, 6ND only", "FLOP"),
        Output("v3_achieved_flops_per_gpu", "DeepSeek-V3 achieved per GPU", "FLOP/s"),
        Output("baseline_achieved_flops_per_gpu", "Baseline achieved per GPU", "FLOP/s"),
        *(
            Output(f"factor_{k}", f"Factor: {label}", "ratio", help="above 1: the baseline costs more for this reason")
            for k, label in FACTORS
        ),
        *(
            Output(
                f"share_{k}",
                f"Log-share: {label}",
                "fraction",
                help="signed; the absolute shares add to 100%",
            )
            for k, label in FACTORS
        ),
        Output(
            "published_gpu_hours_ratio",
            "Llama-3.1-405B ÷ DeepSeek-V3 GPU-hours, as published",
            "ratio",
        ),
        Output("llama_published_cost_usd", "Llama-3.1-405B's published GPU-hours at the baseline price", "USD"),
        Output(
            "gpt4_estimate_ratio",
            "GPT-4's estimated compute cost ÷ V3's published cost (estimate)",
            "ratio",
        ),
        Output(
            "gemini_ultra_estimate_ratio",
            "Gemini Ultra's estimated compute cost ÷ V3's published cost (estimate)",
            "ratio",
        ),
    ),
    function=attribution,
    headline="cost_ratio",
    presets=(
        Preset("vs-llama-3.1-405b", "Against Llama-3.1-405B (dense, BF16, H100)", {}, _s(LLAMA, "gpu_hours")),
        Preset(
            "vs-dense-671b",
            "Against a dense model with V3's 671B parameters, trained exactly like V3",
            {
                "baseline_active_params": _v(V3, "total_params"),
                "baseline_layers": _v(V3, "layers"),
                "baseline_attention_width": V3_WIDTH,
                "baseline_tokens": _v(V3, "tokens"),
                "baseline_gpu": V3["gpu"],
                "baseline_fp8_share": V3_FP8_SHARE,
                "baseline_mfu": V3_MFU,
                "baseline_price_per_gpu_hour": _v(V3, "price_per_gpu_hour"),
            },
            _s(V3, "total_params"),
        ),
    ),
    notes="Pre-training only, modelled from first principles for both sides (V3's context extension and "
    "post-training, and Llama's annealing and long-context stages, are left out). MFU here is against the "
    "peak of the FP8/BF16 mix actually used, so FP8 and utilisation are separate factors; DeepSeek's own "
    "38.94% is against the BF16 peak. GPT-4 and Gemini Ultra costs are AI Index 2024 estimates (with Epoch "
    "AI), not published figures.",
)
