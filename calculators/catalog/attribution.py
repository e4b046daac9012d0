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
is derived from the same measurement (272.80B tokens a day on 2,048 H800s) against the mixed peak
(models/derived.py: v3_mfu_mixed_peak; F is models/flops.py's causal_flops_per_token, the mixed peak
models/hardware.py's mixed_peak; the FP8 share is derived.v3_fp8_share, the site's one number).
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Q, ln, src
from ..models import derived, hardware
from ..models.facts import fact, model_info
from ..models.flops import causal_flops_per_token


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


def LLAMA(name: str):  # Llama-3.1-405B's
    return fact(f"llama-3.1-405b.{name}")


V3_GPU, LLAMA_GPU = model_info("deepseek-v3")["gpu"], model_info("llama-3.1-405b")["gpu"]
V3_WIDTH = derived.attention_width("deepseek-v3")  # 128 × (192 + 128) = 40,960
LLAMA_WIDTH = derived.attention_width("llama-3.1-405b")  # 128 × (128 + 128) = 32,768
V3_FP8_SHARE = derived.v3_fp8_share()
V3_MFU = derived.v3_mfu_mixed_peak()
PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
SECONDS_PER_HOUR = Q.const(3600, "3,600 s")

FACTORS = (
    ("tokens", "Training tokens"),
    ("active_params", "Active parameters per token (MoE sparsity)"),
    ("attention", "Attention and other per-token FLOPs"),
    ("gpu_peak", "GPU peak (BF16)"),
    ("fp8", "FP8 (share of FLOPs × FP8/BF16 peak)"),
    ("utilisation", "Utilisation (MFU against the mixed peak)"),
    ("price", "Price per GPU-hour"),
)
_FACTOR_SYMBOLS = {
    "tokens": "tokens factor",
    "active_params": "active-parameter factor",
    "attention": "attention factor",
    "gpu_peak": "GPU-peak factor",
    "fp8": "FP8 factor",
    "utilisation": "utilisation factor",
    "price": "price factor",
}


def _side(who: str, tag: str, N, L, W, D, gpu, s, u, p, seq_len) -> dict[str, Q]:
    """One side's cost model: FLOPs per token, the mixed peak, GPU-hours and cost."""
    bf16 = hardware.peak(gpu, "bf16", field=f"{tag}_gpu").named(f"{who} BF16 peak", "FLOP/s")
    peak = hardware.mixed_peak(gpu, s, f"{tag}_fp8_share").named(f"{who} mixed peak", "FLOP/s")
    F = causal_flops_per_token(N, L, W, seq_len).named(f"{who} FLOPs per token", "FLOP")
    achieved = (peak * u).named(f"{who} achieved FLOP/s", "FLOP/s")
    hours = (D * F / achieved / SECONDS_PER_HOUR).named(f"{who} GPU-hours", "GPU-hours")
    cost = (hours * p).named(f"{who} cost", "USD")
    return {"N": N, "D": D, "u": u, "p": p, "bf16": bf16, "peak": peak, "F": F, "achieved": achieved,
            "hours": hours, "cost": cost}  # fmt: skip


def attribution(seq_len, v3_active_params, v3_layers, v3_attention_width, v3_tokens, v3_gpu, v3_fp8_share, v3_mfu,
                v3_price_per_gpu_hour, baseline_active_params, baseline_layers, baseline_attention_width,
                baseline_tokens, baseline_gpu, baseline_fp8_share, baseline_mfu,
                baseline_price_per_gpu_hour):  # fmt: skip
    v = _side("V3", "v3", v3_active_params, v3_layers, v3_attention_width, v3_tokens, v3_gpu, v3_fp8_share, v3_mfu,
              v3_price_per_gpu_hour, seq_len)  # fmt: skip
    b = _side("baseline", "baseline", baseline_active_params, baseline_layers, baseline_attention_width,
              baseline_tokens, baseline_gpu, baseline_fp8_share, baseline_mfu, baseline_price_per_gpu_hour,
              seq_len)  # fmt: skip

    factors = {
        "tokens": b["D"] / v["D"],
        "active_params": b["N"] / v["N"],
        "attention": (b["F"] / v["F"]) / (b["N"] / v["N"]),
        "gpu_peak": v["bf16"] / b["bf16"],
        "fp8": (v["peak"] / v["bf16"]) / (b["peak"] / b["bf16"]),
        "utilisation": v["u"] / b["u"],
        "price": b["p"] / v["p"],
    }
    factors = {k: f.named(_FACTOR_SYMBOLS[k], "") for k, f in factors.items()}
    logs = {k: ln(f) for k, f in factors.items()}
    gross = None  # Σ |ln f|, as a sum and differences: ln f for a factor above 1, − ln f for one below
    for x in logs.values():
        if gross is None:
            gross = x if x >= 0 else -x
        else:
            gross = gross + x if x >= 0 else gross - x
    gross.value = sum(abs(x.value) for x in logs.values())  # Python's sum(), compensated on 3.12+, as before
    gross = gross.named("sum of |ln factor|", "")

    out = {
        "cost_ratio": b["cost"] / v["cost"],
        "v3_cost_usd": v["cost"],
        "baseline_cost_usd": b["cost"],
        "v3_gpu_hours": v["hours"],
        "baseline_gpu_hours": b["hours"],
        "v3_flops_per_token": v["F"],
        "baseline_flops_per_token": b["F"],
        "v3_training_flop": v["D"] * v["F"],
        "baseline_training_flop": b["D"] * b["F"],
        "v3_6nd_flop": 6 * v["N"] * v["D"],
        "baseline_6nd_flop": 6 * b["N"] * b["D"],
        "v3_achieved_flops_per_gpu": v["achieved"],
        "baseline_achieved_flops_per_gpu": b["achieved"],
    }
    for key, _label in FACTORS:
        out[f"factor_{key}"] = factors[key]
    for key, _label in FACTORS:
        if gross > 0:
            out[f"share_{key}"] = logs[key] / gross
        else:
            out[f"share_{key}"] = Q.const(0.0).explain("not applicable: every factor is one")

    # Published figures (data/facts.json), for comparison with the model above.
    v3_hours = Q.lookup(V3("gpu_hours").value, "GPU-hours", "V3's published GPU-hours", "DeepSeek-V3's cost table")
    v3_cost = (v3_hours * v3_price_per_gpu_hour).named("V3's published cost", "USD")
    llama_hours = Q.lookup(LLAMA("gpu_hours").value, "GPU-hours", "Llama's published GPU-hours", "the Llama model card")
    gpt4 = Q.lookup(fact("gpt-4.cost_usd").value, "USD", "GPT-4's estimated cost", "AI Index estimate")
    gemini = Q.lookup(
        fact("gemini-1.0-ultra.cost_usd").value, "USD", "Gemini Ultra's estimated cost", "AI Index estimate"
    )
    out.update(
        {
            "published_gpu_hours_ratio": llama_hours / v3_hours,
            "llama_published_cost_usd": llama_hours * baseline_price_per_gpu_hour,
            "gpt4_estimate_ratio": gpt4 / v3_cost,
            "gemini_ultra_estimate_ratio": gemini / v3_cost,
        }
    )
    return out


PRICE_NOTE = (
    "Range $1.50-$3.50: H100 rental from resellers and marketplaces in 2023-24 (Latent Space, Oct 2024), from "
    "under $2 to the $3-4 of multi-year contracts; hyperscalers' on-demand list prices were several times higher "
    "(AWS p5.48xlarge, about $12 per GPU-hour before its mid-2025 cut)."
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
            V3("seq_len"),
            type="int",
            min=1,
            max=10_000_000,
            symbol="sequence length",
            help="Insights Table 2 compares per-token FLOPs at 4,096 tokens.",
        ),
        Input(
            "v3_active_params",
            "DeepSeek-V3: active parameters per token",
            "parameters",
            V3("active_params"),
            min=1e6,
            max=1e15,
            symbol="V3 active parameters",
        ),
        Input(
            "v3_layers",
            "DeepSeek-V3: layers",
            "layers",
            V3("layers"),
            type="int",
            min=1,
            max=10_000,
            symbol="V3 layers",
        ),
        Input(
            "v3_attention_width",
            "DeepSeek-V3: heads × (query-key + value head dims)",
            "dimensions",
            V3_WIDTH,
            type="int",
            min=0,
            max=10_000_000,
            symbol="V3 attention width",
            help="MLA: 128 heads × (192 + 128). Sets the attention FLOPs, 3 × layers × width × sequence length.",
        ),
        Input(
            "v3_tokens",
            "DeepSeek-V3: pre-training tokens",
            "tokens",
            V3("tokens"),
            min=1e6,
            max=1e16,
            symbol="V3 tokens",
        ),
        Input(
            "v3_gpu",
            "DeepSeek-V3: GPU",
            "",
            V3_GPU,
            src("deepseek-v3: §3.1, 2,048 NVIDIA H800 GPUs"),
            type="choice",
            choices=hardware.gpu_choices(),
        ),
        Input(
            "v3_fp8_share",
            "DeepSeek-V3: share of FLOPs in FP8 (derived)",
            "fraction",
            V3_FP8_SHARE,
            min=0,
            max=1,
            step=0.01,
            symbol="V3 FP8 share",
            help="6 × (36.7B − 0.9B embedding − 0.9B head − gating) ÷ 250 GFLOPs: the Linear layers' share "
            "(§3.3.1: every Linear GEMM in FP8 except the output head and MoE gating).",
        ),
        Input(
            "v3_mfu",
            "DeepSeek-V3: MFU against the mixed FP8/BF16 peak (derived)",
            "fraction",
            V3_MFU,
            min=0.001,
            max=1,
            step=0.01,
            symbol="V3 MFU",
            help="Measured throughput × FLOPs per token ÷ the mixed peak. DeepSeek's 38.94% is the same "
            "measurement against the BF16 peak alone.",
        ),
        Input(
            "v3_price_per_gpu_hour",
            "DeepSeek-V3: price",
            "USD/GPU-hour",
            V3("price_per_gpu_hour"),
            min=0.01,
            max=1_000,
            step=0.1,
            symbol="V3 price per GPU-hour",
        ),
        Input(
            "baseline_active_params",
            "Baseline: active parameters per token",
            "parameters",
            LLAMA("active_params"),
            min=1e6,
            max=1e15,
            symbol="baseline active parameters",
        ),
        Input(
            "baseline_layers",
            "Baseline: layers",
            "layers",
            LLAMA("layers"),
            type="int",
            min=1,
            max=10_000,
            symbol="baseline layers",
        ),
        Input(
            "baseline_attention_width",
            "Baseline: heads × (query-key + value head dims)",
            "dimensions",
            LLAMA_WIDTH,
            type="int",
            min=0,
            max=10_000_000,
            symbol="baseline attention width",
            help="Llama-3.1-405B: 128 heads × (128 + 128); grouped-query attention shares K/V but not the FLOPs.",
        ),
        Input(
            "baseline_tokens",
            "Baseline: pre-training tokens",
            "tokens",
            LLAMA("tokens"),
            min=1e6,
            max=1e16,
            symbol="baseline tokens",
        ),
        Input(
            "baseline_gpu",
            "Baseline: GPU",
            "",
            LLAMA_GPU,
            LLAMA("gpu_hours").source,
            type="choice",
            choices=hardware.gpu_choices(),
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
            symbol="baseline FP8 share",
        ),
        Input(
            "baseline_mfu",
            "Baseline: MFU",
            "fraction",
            LLAMA("mfu"),
            min=0.001,
            max=1,
            step=0.01,
            range=LLAMA("mfu").range,
            symbol="baseline MFU",
        ),
        Input(
            "baseline_price_per_gpu_hour",
            "Baseline: price",
            "USD/GPU-hour",
            V3("price_per_gpu_hour").value,
            src(
                "deepseek-v3: Table 1 caption, $2 per GPU-hour (DeepSeek's assumption, applied to the baseline "
                "so that price is not a factor by default)"
            ),
            min=0.01,
            max=1_000,
            step=0.1,
            range=PRICE_RANGE,
            symbol="baseline price per GPU-hour",
            help=PRICE_NOTE,
        ),
    ),
    outputs=(
        Output("cost_ratio", "Baseline ÷ DeepSeek-V3 training cost (modelled)", "ratio"),
        Output("v3_cost_usd", "DeepSeek-V3 pre-training cost (modelled)", "USD"),
        Output("baseline_cost_usd", "Baseline pre-training cost (modelled)", "USD"),
        Output("v3_gpu_hours", "DeepSeek-V3 pre-training (modelled)", "GPU-hours"),
        Output("baseline_gpu_hours", "Baseline pre-training (modelled)", "GPU-hours"),
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
            Output(f"share_{k}", f"Log-share: {label}", "fraction", help="signed; the absolute shares add to 100%")
            for k, label in FACTORS
        ),
        Output("published_gpu_hours_ratio", "Llama-3.1-405B ÷ DeepSeek-V3 GPU-hours, as published", "ratio"),
        Output("llama_published_cost_usd", "Llama-3.1-405B's published GPU-hours at the baseline price", "USD"),
        Output("gpt4_estimate_ratio", "GPT-4's estimated compute cost ÷ V3's published cost (estimate)", "ratio"),
        Output(
            "gemini_ultra_estimate_ratio",
            "Gemini Ultra's estimated compute cost ÷ V3's published cost (estimate)",
            "ratio",
        ),
    ),
    function=attribution,
    headline="cost_ratio",
    presets=(
        Preset("vs-llama-3.1-405b", "Against Llama-3.1-405B (dense, BF16, H100)", {}, LLAMA("gpu_hours").source),
        Preset(
            "vs-dense-671b",
            "Against a dense model with V3's 671B parameters, trained exactly like V3",
            {
                "baseline_active_params": V3("total_params").value,
                "baseline_layers": V3("layers").value,
                "baseline_attention_width": V3_WIDTH.value,
                "baseline_tokens": V3("tokens").value,
                "baseline_gpu": V3_GPU,
                "baseline_fp8_share": V3_FP8_SHARE.value,
                "baseline_mfu": V3_MFU.value,
                "baseline_price_per_gpu_hour": V3("price_per_gpu_hour").value,
            },
            V3("total_params").source,
        ),
    ),
    notes="Pre-training only, modelled from first principles for both sides (V3's context extension and "
    "post-training, and Llama's annealing and long-context stages, are left out). MFU here is against the "
    "peak of the FP8/BF16 mix actually used, so FP8 and utilisation are separate factors; DeepSeek's own "
    "38.94% is against the BF16 peak. GPT-4 and Gemini Ultra costs are AI Index 2024 estimates (with Epoch "
    "AI), not published figures.",
)
