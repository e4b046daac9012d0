"""attribution: why DeepSeek-V3's pre-training was cheap against a dense baseline, factor by factor, from measurements.

Each side's published GPU-hours are an identity of measured quantities (Kaplan et al. 2020's 6N per token, plus the
attention scores; PaLM's model FLOPs, Chowdhery et al. 2022):
    GPU-hours H = D × F ÷ (3600 × X)      D tokens; F = 6·N + 6·L·W·T·c model FLOPs per token (N active parameters,
                                          L layers, W = heads × (query-key + value head dims), T each model's own
                                          sequence length, c the share of the attention matrix counted);
                                          X the model FLOP/s each GPU achieved, X = D·F ÷ (3600·H)
    cost = H × price
so the cost ratio baseline ÷ V3 is exactly the product of five measured factors:
    tokens D_b/D_v · active parameters N_b/N_v · attention and other per-token FLOPs (F_b/N_b)/(F_v/N_v) ·
    achieved FLOP/s per GPU X_v/X_b · price p_b/p_v.
Its default is the published GPU-hour ratio (Llama 3.1 card 30.84M ÷ V3 Table 1 pre-training 2,664K). FP8 is not a
factor of its own: it is inside V3's achieved FLOP/s, with the all-to-all, the pipeline and everything else, and the
data cannot split it out. The split is shown only as an explicitly illustrative scenario, at the fp8 page's best
estimate of FP8's speed-up (models/profile.py: v3_fp8_speedup).

Shares: ln R = Σ ln f exactly, so factor i's share is ln f_i ÷ ln R (signed, summing to 100%; a negative share made
V3 dearer, and a share can exceed 100%). For a single product with no sub-aggregates this is what the "ideal"
multiplicative index decompositions (Sato-Vartia, LMDI) reduce to (de Boer 2009).
Convention: one attention count for both sides (c), so the attention and FLOP/s factors compare like with like.
c = ½ is DeepSeek's "causal MFU" (Insights §5.1.2), under which V3 achieved 385 TFLOPS (Table 4); c = 1 counts the
whole matrix, as Megatron and PaLM's MFU do (Llama 3 cites PaLM's MFU for its 400 TFLOPs per GPU, Table 4).
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Q, ln, src
from ..models import derived, hardware, profile
from ..models.facts import RENTAL, fact, model_info, range_source
from ..models.flops import flops_per_token


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


def LLAMA(name: str):  # Llama-3.1-405B's
    return fact(f"llama-3.1-405b.{name}")


V3_GPU, LLAMA_GPU = model_info("deepseek-v3")["gpu"], model_info("llama-3.1-405b")["gpu"]
V3_WIDTH = derived.attention_width("deepseek-v3")  # 128 × (192 + 128) = 40,960
LLAMA_WIDTH = derived.attention_width("llama-3.1-405b")  # 128 × (128 + 128) = 32,768
FP8_SPEEDUP = profile.v3_fp8_speedup()
PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
SECONDS_PER_HOUR = Q.const(3600, "3,600 s")

FACTORS = (
    ("tokens", "Training tokens"),
    ("active_params", "Active parameters per token (MoE sparsity)"),
    ("attention", "Attention and other per-token FLOPs"),
    ("throughput", "Achieved model FLOP/s per GPU"),
    ("price", "Price per GPU-hour"),
)
_FACTOR_SYMBOLS = {
    "tokens": "tokens factor",
    "active_params": "active-parameter factor",
    "attention": "attention factor",
    "throughput": "FLOP/s factor",
    "price": "price factor",
}
ISCA_CAUSAL = src(
    'deepseek-v3-insights: §5.1.2 ("Causal MFU only takes into account the flops of the lower triangle of the '
    "attention matrix (in line with FlashAttention), while non-causal MFU includes the flops of the whole attention "
    'matrix (in line with Megatron)"); Table 4: 385 TFLOPS causal, 432 non-causal'
)
LIKE_V3 = src("deepseek-v3: Table 1 and abstract (a hypothetical baseline trained at V3's achieved FLOP/s per GPU)")


def _side(who, N, L, W, T, c, D) -> dict[str, Q]:
    F = flops_per_token(N, L, W, T, c).named(f"{who} FLOPs per token", "FLOP")
    return {"N": N, "D": D, "F": F, "flop": (D * F).named(f"{who} training FLOP", "FLOP")}


def attribution(causal_fraction, v3_active_params, v3_layers, v3_attention_width, v3_seq_len, v3_tokens,
                v3_gpu_hours, v3_gpu, v3_price_per_gpu_hour, baseline_basis, baseline_active_params, baseline_layers,
                baseline_attention_width, baseline_seq_len, baseline_tokens, baseline_gpu_hours, baseline_gpu,
                baseline_price_per_gpu_hour, illustrative_fp8_speedup):  # fmt: skip
    c = causal_fraction
    v = _side("V3", v3_active_params, v3_layers, v3_attention_width, v3_seq_len, c, v3_tokens)
    b = _side("baseline", baseline_active_params, baseline_layers, baseline_attention_width, baseline_seq_len, c,
              baseline_tokens)  # fmt: skip
    v_hours = v3_gpu_hours.explain("as published")
    v_x = (v["flop"] / (v3_gpu_hours * SECONDS_PER_HOUR)).named("V3 achieved FLOP/s", "FLOP/s")
    if baseline_basis == "like-v3":
        b_x = v_x.explain("hypothetical: the baseline at V3's achieved FLOP/s per GPU")
        b_hours = (b["flop"] / (b_x * SECONDS_PER_HOUR)).named("baseline GPU-hours", "GPU-hours")
    else:
        b_hours = baseline_gpu_hours.explain("as published")
        b_x = (b["flop"] / (baseline_gpu_hours * SECONDS_PER_HOUR)).named("baseline achieved FLOP/s", "FLOP/s")
    v_cost = (v_hours * v3_price_per_gpu_hour).named("V3 cost", "USD")
    b_cost = (b_hours * baseline_price_per_gpu_hour).named("baseline cost", "USD")
    ratio = (b_cost / v_cost).named("cost ratio", "ratio")

    factors = {
        "tokens": b["D"] / v["D"],
        "active_params": b["N"] / v["N"],
        "attention": (b["F"] / b["N"]) / (v["F"] / v["N"]),
        "throughput": v_x / b_x,
        "price": baseline_price_per_gpu_hour / v3_price_per_gpu_hour,
    }
    factors = {k: f.named(_FACTOR_SYMBOLS[k], "ratio") for k, f in factors.items()}
    log_ratio = ln(ratio).named("ln(cost ratio)", "")

    out = {
        "cost_ratio": ratio,
        "v3_cost_usd": v_cost,
        "baseline_cost_usd": b_cost,
        "v3_gpu_hours": v_hours,
        "baseline_gpu_hours": b_hours,
        "v3_flops_per_token": v["F"],
        "baseline_flops_per_token": b["F"],
        "v3_training_flop": v["flop"],
        "baseline_training_flop": b["flop"],
        "v3_6nd_flop": 6 * v["N"] * v["D"],
        "baseline_6nd_flop": 6 * b["N"] * b["D"],
        "v3_achieved_flops_per_gpu": v_x,
        "baseline_achieved_flops_per_gpu": b_x,
        "v3_mfu_bf16": v_x / hardware.peak(v3_gpu, "bf16", "v3_gpu"),
        "baseline_mfu_bf16": b_x / hardware.peak(baseline_gpu, "bf16", "baseline_gpu"),
    }
    for key, _label in FACTORS:
        out[f"factor_{key}"] = factors[key]
    for key, _label in FACTORS:
        if log_ratio.value != 0:
            out[f"share_{key}"] = ln(factors[key]) / log_ratio
        else:
            out[f"share_{key}"] = Q.const(0.0).explain("not applicable: the two costs are equal")

    fp8 = illustrative_fp8_speedup.explain("illustrative, not measured")
    out["illustrative_fp8_factor"] = fp8
    out["illustrative_rest_factor"] = factors["throughput"] / illustrative_fp8_speedup

    # Published figures (data/facts.json), for comparison.
    v3_total = Q.lookup(V3("gpu_hours").value, "GPU-hours", "V3's published GPU-hours", "DeepSeek-V3's cost table")
    v3_published = (v3_total * v3_price_per_gpu_hour).named("V3's published cost", "USD")
    llama_hours = Q.lookup(LLAMA("gpu_hours").value, "GPU-hours", "Llama's published GPU-hours", "the Llama model card")
    gpt4 = Q.lookup(fact("gpt-4.cost_usd").value, "USD", "GPT-4's estimated cost", "AI Index estimate")
    gemini = Q.lookup(
        fact("gemini-1.0-ultra.cost_usd").value, "USD", "Gemini Ultra's estimated cost", "AI Index estimate"
    )
    out.update(
        {
            "published_gpu_hours_ratio": llama_hours / v3_total,
            "llama_published_cost_usd": llama_hours * baseline_price_per_gpu_hour,
            "gpt4_estimate_ratio": gpt4 / v3_published,
            "gemini_ultra_estimate_ratio": gemini / v3_published,
        }
    )
    return out


def _side_inputs(tag: str, who: str, d: dict) -> tuple[Input, ...]:
    """One side's architecture, tokens, GPU-hours and GPU; `d` holds the defaults (Facts) and help texts."""
    sym = "V3" if tag == "v3" else tag

    def whole(name, label, unit, hi, symbol, lo=1):
        return Input(f"{tag}_{name}", f"{who}: {label}", unit, d[name], type="int", min=lo, max=hi,
                     symbol=f"{sym} {symbol}", help=d.get(f"{name}_help", ""))  # fmt: skip

    def amount(name, label, unit, lo, hi, symbol):
        return Input(f"{tag}_{name}", f"{who}: {label}", unit, d[name], min=lo, max=hi, symbol=f"{sym} {symbol}",
                     help=d.get(f"{name}_help", ""))  # fmt: skip

    return (
        amount("active_params", "active parameters per token", "parameters", 1e6, 1e15, "active parameters"),
        whole("layers", "layers", "layers", 10_000, "layers"),
        whole(
            "attention_width",
            "heads × (query-key + value head dims)",
            "dimensions",
            10_000_000,
            "attention width",
            lo=0,
        ),  # fmt: skip
        whole("seq_len", "training sequence length", "tokens", 10_000_000, "sequence length"),
        amount("tokens", "pre-training tokens", "tokens", 1e6, 1e16, "tokens"),
        amount("gpu_hours", "pre-training GPU-hours (published)", "GPU-hours", 1, 1e12, "GPU-hours"),
        Input(
            f"{tag}_gpu",
            f"{who}: GPU (for its MFU)",
            "",
            d["gpu"],
            d["gpu_source"],
            type="choice",
            choices=hardware.gpu_choices(),
        ),  # fmt: skip
    )


V3_DEFAULTS = {
    "active_params": V3("active_params"),
    "layers": V3("layers"),
    "attention_width": V3_WIDTH,
    "attention_width_help": "MLA: 128 heads × (192 + 128).",
    "seq_len": V3("seq_len"),
    "seq_len_help": "4K during pre-training (V3 §4.2).",
    "tokens": V3("tokens"),
    "gpu_hours": V3("pretraining_gpu_hours"),
    "gpu_hours_help": "Table 1's pre-training row; context extension and post-training are left out.",
    "gpu": V3_GPU,
    "gpu_source": src("deepseek-v3: §3.1, 2,048 NVIDIA H800 GPUs"),
}
BASELINE_DEFAULTS = {
    "active_params": LLAMA("active_params"),
    "layers": LLAMA("layers"),
    "attention_width": LLAMA_WIDTH,
    "attention_width_help": "Llama-3.1-405B: 128 heads × (128 + 128); grouped-query attention shares K/V, not FLOPs.",
    "seq_len": LLAMA("seq_len"),
    "seq_len_help": "Llama 3 pre-trained at 8K (its MFU is measured there, Table 4), then a long-context stage.",
    "tokens": LLAMA("tokens"),
    "gpu_hours": LLAMA("gpu_hours"),
    "gpu_hours_help": "The Llama 3.1 card's 30.84M H100-hours; the card does not say which stages they cover.",
    "gpu": LLAMA_GPU,
    "gpu_source": LLAMA("gpu_hours").source,
}
SIDE_OUTPUTS = (
    ("cost_ratio", "Baseline ÷ DeepSeek-V3 pre-training cost", "ratio"),
    ("v3_cost_usd", "DeepSeek-V3 pre-training cost", "USD"),
    ("baseline_cost_usd", "Baseline pre-training cost", "USD"),
    ("v3_gpu_hours", "DeepSeek-V3 pre-training", "GPU-hours"),
    ("baseline_gpu_hours", "Baseline pre-training", "GPU-hours"),
    ("v3_flops_per_token", "DeepSeek-V3 training FLOPs per token", "FLOP"),
    ("baseline_flops_per_token", "Baseline training FLOPs per token", "FLOP"),
    ("v3_training_flop", "DeepSeek-V3 pre-training compute", "FLOP"),
    ("baseline_training_flop", "Baseline pre-training compute", "FLOP"),
    ("v3_6nd_flop", "DeepSeek-V3 compute, 6ND only", "FLOP"),
    ("baseline_6nd_flop", "Baseline compute, 6ND only", "FLOP"),
    ("v3_achieved_flops_per_gpu", "DeepSeek-V3 achieved model FLOP/s per GPU", "FLOP/s"),
    ("baseline_achieved_flops_per_gpu", "Baseline achieved model FLOP/s per GPU", "FLOP/s"),
    ("v3_mfu_bf16", "DeepSeek-V3 MFU against the BF16 dense peak", "fraction"),
    ("baseline_mfu_bf16", "Baseline MFU against the BF16 dense peak", "fraction"),
)
BASES = (
    ("published", "From its published GPU-hours (measured)"),
    ("like-v3", "At V3's achieved FLOP/s per GPU (hypothetical)"),
)

CALCULATOR = Calculator(
    name="attribution",
    title="Why V3 was cheap: the cost ratio against a dense model, factor by factor",
    summary="The pre-training cost ratio of a dense baseline (Llama-3.1-405B by default) to DeepSeek-V3, from each "
    "side's published GPU-hours, split exactly into measured factors: tokens, active parameters (MoE), attention, "
    "achieved FLOP/s per GPU and price, each with its signed share of the log ratio (summing to 100%).",
    inputs=(
        Input(
            "causal_fraction",
            "Share of the attention matrix counted (both sides)",
            "fraction",
            0.5,
            ISCA_CAUSAL,
            min=0,
            max=1,
            step=0.5,
            symbol="attention share counted",
            help="0.5 = causal (DeepSeek's 385 TFLOPS); 1 = the whole matrix (Megatron, PaLM's MFU, which Llama 3 "
            "cites). It moves work between the attention and FLOP/s factors, never the ratio.",
        ),
        *_side_inputs("v3", "DeepSeek-V3", V3_DEFAULTS),
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
            "baseline_basis",
            "Baseline's GPU-hours",
            "",
            "published",
            LLAMA("gpu_hours").source,
            type="choice",
            choices=BASES,
            help="published: its model card's hours, so its FLOP/s per GPU is measured. like-v3: a "
            "hypothetical baseline trained at V3's FLOP/s per GPU (the baseline GPU-hours are then not used).",
        ),
        *_side_inputs("baseline", "Baseline", BASELINE_DEFAULTS),
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
            range_source=range_source(RENTAL),
            symbol="baseline price per GPU-hour",
            help="Range $1.50-$3.50: H100 rental from resellers and marketplaces in 2023-24 (Latent Space, Oct 2024), "
            "from under $2 to the $3-4 of multi-year contracts; hyperscalers' on-demand list prices were several times "
            "higher (AWS p5.48xlarge, about $12 per GPU-hour before its mid-2025 cut).",
        ),
        Input(
            "illustrative_fp8_speedup",
            "Illustrative scenario: FP8's speed-up of V3 (not measured)",
            "ratio",
            FP8_SPEEDUP,
            min=0.5,
            max=4,
            step=0.01,
            symbol="FP8 speed-up (illustrative)",
            help="Default: the fp8 page's best estimate. Splits the measured FLOP/s factor for illustration only.",
        ),
    ),
    outputs=(
        *(Output(*row) for row in SIDE_OUTPUTS),
        *(
            Output(f"factor_{k}", f"Factor: {label}", "ratio", help="above 1: the baseline costs more for this reason")
            for k, label in FACTORS
        ),
        *(
            Output(
                f"share_{k}",
                f"Share of the log cost ratio: {label}",
                "fraction",
                help="ln(factor) ÷ ln(cost ratio): signed, the shares add up to 100%",
            )
            for k, label in FACTORS
        ),
        Output(
            "illustrative_fp8_factor",
            "Illustrative scenario (not measured): FP8's part of the FLOP/s factor",
            "ratio",
            help="An input, not a measurement: the data cannot split the FLOP/s factor.",
        ),
        Output(
            "illustrative_rest_factor",
            "Illustrative scenario (not measured): the rest of the FLOP/s factor (utilisation, communication)",
            "ratio",
        ),
        Output("published_gpu_hours_ratio", "Llama-3.1-405B ÷ DeepSeek-V3 GPU-hours, all stages as published", "ratio"),
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
    key_inputs=(
        "baseline_basis",
        "v3_price_per_gpu_hour",
        "baseline_price_per_gpu_hour",
        "causal_fraction",
        "illustrative_fp8_speedup",
    ),
    key_outputs=("cost_ratio", "v3_cost_usd", "baseline_cost_usd"),
    presets=(
        Preset("vs-llama-3.1-405b", "Against Llama-3.1-405B (dense, BF16, H100)", {}, LLAMA("gpu_hours").source),
        Preset(
            "full-attention-matrix",
            "Both sides counting the whole attention matrix (Megatron's and PaLM's convention)",
            {"causal_fraction": 1.0},
            ISCA_CAUSAL,
        ),
        Preset(
            "vs-dense-671b",
            "Against a dense model with V3's 671B parameters, trained exactly like V3 (hypothetical)",
            {
                "baseline_basis": "like-v3",
                "baseline_active_params": V3("total_params").value,
                "baseline_layers": V3("layers").value,
                "baseline_attention_width": V3_WIDTH.value,
                "baseline_seq_len": V3("seq_len").value,
                "baseline_tokens": V3("tokens").value,
                "baseline_gpu": V3_GPU,
                "baseline_price_per_gpu_hour": V3("price_per_gpu_hour").value,
            },
            V3("total_params").source,
        ),
    ),
    notes="Pre-training on both sides, from published GPU-hours: V3's 2,664K (Table 1, without context extension "
    "and post-training); Llama's 30.84M, which its card does not split by stage, so they may include its long-context "
    "stage and more, and its FLOP/s per GPU comes out below the 400 TFLOPs of its steady state (Llama 3, Table 4). "
    "FP8 is inside V3's achieved FLOP/s; its split is an illustration. GPT-4 and Gemini Ultra costs are AI Index 2024 "
    "estimates (with Epoch AI), not published figures.",
)
