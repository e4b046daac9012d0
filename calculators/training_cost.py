"""training-cost: DeepSeek-V3's "$5.576M", and the bridge from reported GPU-hours to first-principles FLOPs.

DeepSeek-V3 Technical Report (arXiv 2412.19437), §1, Table 1, at $2 per H800 GPU-hour:
pre-training 2,664K GPU-hours ($5.328M) + context extension 119K ($0.238M) + post-training 5K ($0.01M)
= 2,788K GPU-hours, $5.576M. §1 also gives the pace: 180K GPU-hours per trillion tokens, 3.7 days on 2,048 H800s.

Two bases, like rl-cost:
- "reported" (default): the total priced is --gpu-hours (Table 1's 2,788K); the stage rows are the three stage
  inputs, and `unallocated_gpu_hours` shows any difference between the total and the stages (0 for Table 1).
- "compute": pre-training GPU-hours from first principles, training FLOPs ÷ (dense peak × MFU × 3600 s),
  plus context extension and post-training as reported; --gpu-hours is not used.

Whatever the basis, the "implied" outputs run the other way: from the REPORTED pre-training GPU-hours and the
FLOPs to the FLOP/s each GPU achieved and the MFU that implies against the dense BF16 and FP8 peaks.

FLOPs per token = 6 × active parameters (forward 2N + backward 4N; Kaplan et al. 2020) plus attention, which the
6N rule leaves out: per layer, QKᵀ and A·V cost 2 × heads × (qk dim + v dim) × sequence length forward, ×3 for
forward + backward, × the causal fraction (0.5 counts the lower triangle only, as FlashAttention and DeepSeek's
"causal MFU" do; 1 counts the whole matrix, as Megatron does). For DeepSeek-V3 at 4K: 30.7 GFLOPs causal.
"""

from __future__ import annotations

from . import hardware
from .core import Calculator, Chart, Input, Output, Preset, Source, Value, n, src

SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 24
TRILLION = 1e12

TABLE1 = src(
    'deepseek-v3: §1, Table 1 ("Training costs of DeepSeek-V3, assuming the rental price of H800 is $2 '
    'per GPU hour": 2664K / 119K / 5K / 2788K H800 GPU-hours)'
)
PRICE = Source(
    "deepseek-v3",
    '§1 and Table 1 caption ("assuming the rental price of H800 is $2 per GPU hour")',
    note="Range $1.50-$3.50: H100-class rental in late 2024, from below $2 per hour from resellers "
    "(latent-space-gpu, Oct 2024) to about $3 on demand; DeepSeek's $2 sits inside it.",
)
ABSTRACT = src(
    'deepseek-v3: abstract (671B total parameters, "37B activated for each token"; pre-trained on 14.8T tokens)'
)
ARCH = src(
    "deepseek-v3: §4.2, model hyper-parameters (61 layers, n_h = 128 heads, d_h = 128, decoupled RoPE "
    'd_h^R = 64, so QKᵀ uses 128 + 64 = 192 and A·V uses 128; "maximum sequence length to 4K")'
)
CLUSTER = src('deepseek-v3: §3.1 ("trained on a cluster equipped with 2048 NVIDIA H800 GPUs")')
ISCA_T4 = src(
    'deepseek-v3-insights: Table 4 and §5.1.2 (385 TFLOPS causal = 38.94% MFU; "MFU ... is calculated '
    'based on BF16 peak performance")'
)
ISCA_CAUSAL = src(
    'deepseek-v3-insights: §5.1.2 ("Causal MFU only takes into account the flops of the lower '
    "triangle of the attention matrix (in line with FlashAttention), while non-causal MFU includes "
    'the flops of the whole attention matrix (in line with Megatron)")'
)
BASIS = src(
    "deepseek-v3: Table 1 (GPU-hours as reported); the compute basis uses C ≈ 6ND (Kaplan et al. 2020) "
    "and MFU as defined for PaLM (Chowdhery et al. 2022)"
)
LLAMA_CARD = src(
    "llama-3.1-model-card: Hardware and Software, training-time table (Llama 3.1 405B: 30.84M GPU hours on H100-80GB)"
)
LLAMA_PAPER = src(
    "llama-3-herd: abstract (405B parameters, 15.6T tokens, 3.8 × 10^25 FLOPs) and §3.3.2, Table 4 "
    "(BF16 MFU 38-43%; 41% on 16,384 H100s at 8K sequence length)"
)


def attention_flops(n_layers, n_heads, qk_head_dim, v_head_dim, seq_len, causal_fraction):
    """Training FLOPs per token for the attention scores and their weighted sum (QKᵀ and A·V), fwd + bwd."""
    return 6 * n_layers * n_heads * (qk_head_dim + v_head_dim) * seq_len * causal_fraction


def _t(flops_per_s: float) -> str:
    return f"{n(flops_per_s / 1e12)} TFLOP/s"


def training_cost(
    basis,
    gpu_hours,
    pretrain_gpu_hours,
    context_extension_gpu_hours,
    post_training_gpu_hours,
    price_per_gpu_hour,
    active_params,
    tokens,
    n_layers,
    n_heads,
    qk_head_dim,
    v_head_dim,
    seq_len,
    causal_fraction,
    gpu,
    precision,
    mfu,
    num_gpus,
):
    spec = hardware.spec(gpu)
    peak = hardware.peak_flops(gpu, precision)  # InputError naming --precision if the GPU has no such cores
    peak_bf16 = hardware.peak_flops(gpu, "bf16")
    p = price_per_gpu_hour
    prec = precision.upper()

    # FLOPs
    attn = attention_flops(n_layers, n_heads, qk_head_dim, v_head_dim, seq_len, causal_fraction)
    dense = 6 * active_params
    per_token = dense + attn
    flops_6nd = dense * tokens
    flops = per_token * tokens
    n_shown, d_shown = f"{n(active_params / 1e9)}B", f"{n(tokens / TRILLION)}T"

    # GPU-hours by stage
    ext, post = context_extension_gpu_hours, post_training_gpu_hours
    if basis == "compute":
        pre = flops / (peak * mfu * SECONDS_PER_HOUR)
        pre_v = Value(pre, f"{n(flops)} FLOP ÷ ({_t(peak)} {prec} dense peak × {n(mfu)} MFU × 3,600 s)")
        total = pre + ext + post
        total_v = Value(total, f"{n(pre)} + {n(ext)} + {n(post)} GPU-hours")
        unallocated = Value(0.0, "the compute basis sums the stages")
    else:
        pre = pretrain_gpu_hours
        pre_v = Value(pre, "as reported")
        total = gpu_hours
        total_v = Value(total, "as reported (--gpu-hours)")
        unallocated = Value(total - (pre + ext + post), f"{n(total)} − ({n(pre)} + {n(ext)} + {n(post)}) GPU-hours")

    # Implied efficiency, always from the REPORTED pre-training GPU-hours.
    reported_seconds = pretrain_gpu_hours * SECONDS_PER_HOUR
    achieved = flops / reported_seconds
    achieved_6nd = flops_6nd / reported_seconds
    if hardware.has_precision(gpu, "fp8"):
        peak_fp8 = hardware.peak_flops(gpu, "fp8")
        mfu_fp8 = Value(achieved / peak_fp8, f"{_t(achieved)} ÷ {_t(peak_fp8)} FP8 dense peak")
    else:
        mfu_fp8 = Value(0.0, f"not applicable: the {spec['label']} has no FP8 tensor cores")

    trillions = tokens / TRILLION
    per_trillion = pre / trillions
    cluster_hours_per_day = num_gpus * HOURS_PER_DAY
    pre_days = pre / cluster_hours_per_day
    return {
        "gpu_hours": total_v,
        "cost_usd": Value(total * p, f"{n(total)} GPU-hours × ${n(p)} per GPU-hour"),
        "pretrain_gpu_hours": pre_v,
        "context_extension_gpu_hours": Value(ext, "as reported"),
        "post_training_gpu_hours": Value(post, "as reported"),
        "unallocated_gpu_hours": unallocated,
        "pretrain_cost_usd": Value(pre * p, f"{n(pre)} GPU-hours × ${n(p)}"),
        "context_extension_cost_usd": Value(ext * p, f"{n(ext)} GPU-hours × ${n(p)}"),
        "post_training_cost_usd": Value(post * p, f"{n(post)} GPU-hours × ${n(p)}"),
        "attention_flops_per_token": Value(
            attn,
            f"6 × {n(n_layers)} layers × {n(n_heads)} heads × "
            f"({n(qk_head_dim)} + {n(v_head_dim)}) × {n(seq_len)} tokens × "
            f"{n(causal_fraction)}",
        ),
        "flops_per_token": Value(
            per_token, f"6 × {n_shown} + {n(attn / 1e9)} GFLOP attention = {n(per_token / 1e9)} GFLOP"
        ),
        "training_flops_6nd": Value(flops_6nd, f"6 × {n_shown} parameters × {d_shown} tokens"),
        "training_flops": Value(flops, f"{n(per_token / 1e9)} GFLOP per token × {d_shown} tokens"),
        "peak_flops_per_gpu": Value(peak, f"{spec['label']}, {prec} dense"),
        "achieved_flops_per_gpu": Value(
            achieved, f"{n(flops)} FLOP ÷ ({n(pretrain_gpu_hours)} reported pre-training GPU-hours × 3,600 s)"
        ),
        "implied_mfu_bf16": Value(achieved / peak_bf16, f"{_t(achieved)} ÷ {_t(peak_bf16)} BF16 dense peak"),
        "implied_mfu_fp8": mfu_fp8,
        "implied_mfu_bf16_6nd": Value(
            achieved_6nd / peak_bf16, f"{_t(achieved_6nd)} (6ND only) ÷ {_t(peak_bf16)} BF16 dense peak"
        ),
        "gpu_hours_per_trillion_tokens": Value(
            per_trillion, f"{n(pre)} pre-training GPU-hours ÷ {n(trillions)} trillion tokens"
        ),
        "days_per_trillion_tokens": Value(
            per_trillion / cluster_hours_per_day, f"{n(per_trillion)} GPU-hours ÷ ({n(num_gpus)} GPUs × 24 h)"
        ),
        "pretrain_wall_clock_days": Value(pre_days, f"{n(pre)} GPU-hours ÷ ({n(num_gpus)} GPUs × 24 h)"),
        "wall_clock_days": Value(total / cluster_hours_per_day, f"{n(total)} GPU-hours ÷ ({n(num_gpus)} GPUs × 24 h)"),
        "tokens_per_day": Value(tokens / pre_days, f"{d_shown} tokens ÷ {n(pre_days)} days of pre-training"),
    }


GPU_HOURS_MAX = 1e12  # a million GPUs for a century is 8.8e11 GPU-hours

CALCULATOR = Calculator(
    name="training-cost",
    title="DeepSeek-V3's training cost",
    summary="The $5.576M: V3's reported H800 GPU-hours by stage, priced per GPU-hour, and the bridge to first "
    "principles: 6ND plus attention FLOPs, the FLOP/s and MFU the reported hours imply, or the GPU-hours "
    "a chosen MFU implies.",
    inputs=(
        Input(
            "basis",
            "Basis",
            "",
            "reported",
            BASIS,
            type="choice",
            choices=(
                ("reported", "GPU-hours as reported (Table 1)"),
                ("compute", "Pre-training GPU-hours from FLOPs ÷ (dense peak × MFU)"),
            ),
            help="reported: --gpu-hours is the total priced. compute: pre-training GPU-hours come from the FLOPs, "
            "the GPU's dense peak and --mfu; context extension and post-training stay as reported.",
        ),
        Input(
            "gpu_hours",
            "Total GPU-hours (reported basis)",
            "GPU-hours",
            2_788_000,
            TABLE1,
            min=0,
            max=GPU_HOURS_MAX,
            help="Table 1's total, 2,788K. Used by the reported basis only.",
        ),
        Input(
            "pretrain_gpu_hours",
            "Pre-training GPU-hours (reported)",
            "GPU-hours",
            2_664_000,
            TABLE1,
            min=1,
            max=GPU_HOURS_MAX,
            help="Also the basis of the implied FLOP/s and MFU, whatever the basis.",
        ),
        Input(
            "context_extension_gpu_hours",
            "Context extension GPU-hours",
            "GPU-hours",
            119_000,
            TABLE1,
            min=0,
            max=GPU_HOURS_MAX,
            help="Two YaRN phases, to 32K then 128K context (§4.3).",
        ),
        Input(
            "post_training_gpu_hours",
            "Post-training GPU-hours (SFT + RL)",
            "GPU-hours",
            5_000,
            TABLE1,
            min=0,
            max=GPU_HOURS_MAX,
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            PRICE,
            min=0,
            max=1_000,
            range=(1.5, 3.5),
            step=0.1,
        ),
        Input(
            "active_params",
            "Activated parameters per token (N)",
            "parameters",
            37e9,
            ABSTRACT,
            min=1e6,
            max=1e15,
            help="For a mixture of experts, the parameters each token uses (37B of 671B), not the total. "
            "README_WEIGHTS.md gives 36.7B including the 0.9B embedding, which does no multiply-adds.",
        ),
        Input("tokens", "Pre-training tokens (D)", "tokens", 14.8e12, ABSTRACT, min=1e6, max=1e16),
        Input("n_layers", "Transformer layers", "layers", 61, ARCH, type="int", min=1, max=10_000),
        Input("n_heads", "Attention heads", "heads", 128, ARCH, type="int", min=1, max=100_000),
        Input(
            "qk_head_dim",
            "Query-key dimension per head",
            "dimensions",
            192,
            ARCH,
            type="int",
            min=1,
            max=100_000,
            help="MLA: 128 (d_h) + 64 (decoupled RoPE d_h^R). A standard attention head uses d_h for both.",
        ),
        Input("v_head_dim", "Value dimension per head", "dimensions", 128, ARCH, type="int", min=1, max=100_000),
        Input(
            "seq_len", "Training sequence length", "tokens per sequence", 4096, ARCH, type="int", min=1, max=10_000_000
        ),
        Input(
            "causal_fraction",
            "Share of the attention matrix counted",
            "fraction",
            0.5,
            ISCA_CAUSAL,
            min=0,
            max=1,
            step=0.5,
            help="0.5 = causal (lower triangle, FlashAttention; DeepSeek's 38.94%); 1 = non-causal (whole "
            "matrix, Megatron; DeepSeek's 43.73%); 0 = leave attention out (6ND only).",
        ),
        Input(
            "gpu",
            "GPU",
            "",
            "h800",
            CLUSTER,
            type="choice",
            choices=hardware.gpu_choices(),
            help="Dense peaks from data/gpus.json; each GPU's source says how firm they are.",
        ),
        Input(
            "precision",
            "Peak that MFU is measured against",
            "",
            "bf16",
            ISCA_T4,
            type="choice",
            choices=hardware.PRECISIONS,
            help="DeepSeek quotes MFU against the BF16 dense peak, although its big matrix multiplies ran in FP8; "
            "against the FP8 peak the same run is about half the percentage.",
        ),
        Input(
            "mfu",
            "Model FLOPs utilisation (compute basis)",
            "fraction",
            0.3894,
            ISCA_T4,
            min=0.001,
            max=1,
            step=0.01,
            help="Achieved model FLOP/s ÷ dense peak at the precision above. Used by the compute basis only.",
        ),
        Input("num_gpus", "GPUs in the cluster", "GPUs", 2048, CLUSTER, type="int", min=1, max=10_000_000),
    ),
    outputs=(
        Output("gpu_hours", "Total", "GPU-hours", "reported: --gpu-hours; compute: pre-training + extension + post"),
        Output("cost_usd", "Total cost", "USD", "total GPU-hours × price per GPU-hour"),
        Output(
            "pretrain_gpu_hours",
            "Pre-training",
            "GPU-hours",
            "reported, or training FLOPs ÷ (dense peak × MFU × 3,600 s)",
        ),
        Output("context_extension_gpu_hours", "Context extension", "GPU-hours"),
        Output("post_training_gpu_hours", "Post-training", "GPU-hours"),
        Output(
            "unallocated_gpu_hours",
            "Total not in the three stages",
            "GPU-hours",
            "total − (pre-training + extension + post)",
            help="0 for Table 1, whose stages add up to its total; otherwise the gap between --gpu-hours and "
            "the stage inputs.",
        ),
        Output("pretrain_cost_usd", "Pre-training cost", "USD"),
        Output("context_extension_cost_usd", "Context extension cost", "USD"),
        Output("post_training_cost_usd", "Post-training cost", "USD"),
        Output(
            "attention_flops_per_token",
            "Attention FLOPs per token (training)",
            "FLOP",
            "6 × layers × heads × (qk dim + v dim) × sequence length × causal fraction",
        ),
        Output("flops_per_token", "Training FLOPs per token", "FLOP", "6N + attention"),
        Output("training_flops_6nd", "Pre-training compute, 6ND only", "FLOP", "6 × N × D"),
        Output("training_flops", "Pre-training compute with attention", "FLOP", "FLOPs per token × D"),
        Output("peak_flops_per_gpu", "Dense peak per GPU at the chosen precision", "FLOP/s"),
        Output(
            "achieved_flops_per_gpu",
            "Achieved per GPU (reported pre-training)",
            "FLOP/s",
            "training FLOPs ÷ (reported pre-training GPU-hours × 3,600 s)",
        ),
        Output("implied_mfu_bf16", "Implied MFU vs BF16 dense peak", "fraction", "achieved FLOP/s ÷ BF16 dense peak"),
        Output(
            "implied_mfu_fp8",
            "Implied MFU vs FP8 dense peak",
            "fraction",
            "achieved FLOP/s ÷ FP8 dense peak",
            help="0 where the GPU has no FP8 tensor cores (A100): not applicable.",
        ),
        Output(
            "implied_mfu_bf16_6nd",
            "Implied MFU vs BF16 peak, 6ND only",
            "fraction",
            "6ND ÷ reported seconds ÷ BF16 dense peak",
            help="The usual back-of-envelope figure; it leaves attention out, so it understates the MFU.",
        ),
        Output("gpu_hours_per_trillion_tokens", "Pre-training GPU-hours per trillion tokens", "GPU-hours"),
        Output("days_per_trillion_tokens", "Days per trillion tokens on the cluster", "days"),
        Output("pretrain_wall_clock_days", "Pre-training wall-clock time on the cluster", "days"),
        Output("wall_clock_days", "Wall-clock time for the total on the cluster", "days"),
        Output(
            "tokens_per_day",
            "Pre-training tokens per day on the cluster",
            "tokens",
            "tokens ÷ pre-training wall-clock days",
        ),
    ),
    function=training_cost,
    headline="cost_usd",
    charts=(Chart("tornado", "What moves the cost most", output="cost_usd"),),
    presets=(
        Preset(
            "deepseek-v3",
            "DeepSeek-V3 as reported (Table 1)",
            {
                "basis": "reported",
                "gpu_hours": 2_788_000,
                "pretrain_gpu_hours": 2_664_000,
                "context_extension_gpu_hours": 119_000,
                "post_training_gpu_hours": 5_000,
                "price_per_gpu_hour": 2.0,
            },
            TABLE1,
        ),
        Preset(
            "deepseek-v3-isca",
            "DeepSeek-V3 from first principles at the measured 38.94% causal MFU",
            {"basis": "compute", "mfu": 0.3894, "precision": "bf16", "causal_fraction": 0.5, "gpu": "h800"},
            ISCA_T4,
        ),
        Preset(
            "llama-3.1-405b",
            "Llama 3.1 405B as reported (model card: 30.84M H100 GPU-hours)",
            {
                "basis": "reported",
                "gpu_hours": 30_840_000,
                "pretrain_gpu_hours": 30_840_000,
                "context_extension_gpu_hours": 0,
                "post_training_gpu_hours": 0,
                "active_params": 405e9,
                "tokens": 15.6e12,
                "n_layers": 126,
                "n_heads": 128,
                "qk_head_dim": 128,
                "v_head_dim": 128,
                "seq_len": 8192,
                "gpu": "h100",
                "precision": "bf16",
                "mfu": 0.41,
                "num_gpus": 16_384,
            },
            LLAMA_CARD,
        ),
        Preset(
            "llama-3.1-405b-compute",
            "Llama 3.1 405B from first principles at 41% BF16 MFU (Llama 3 paper)",
            {
                "basis": "compute",
                "gpu_hours": 30_840_000,
                "pretrain_gpu_hours": 30_840_000,
                "context_extension_gpu_hours": 0,
                "post_training_gpu_hours": 0,
                "active_params": 405e9,
                "tokens": 15.6e12,
                "n_layers": 126,
                "n_heads": 128,
                "qk_head_dim": 128,
                "v_head_dim": 128,
                "seq_len": 8192,
                "gpu": "h100",
                "precision": "bf16",
                "mfu": 0.41,
                "num_gpus": 16_384,
            },
            LLAMA_PAPER,
        ),
    ),
    notes='Scope: the official training run only, at rental prices. DeepSeek: the costs "include only the official '
    'training of DeepSeek-V3, excluding the costs associated with prior research and ablation experiments" '
    "(§1); also excluded are staff, data and owning the cluster. Peaks are dense (no 2:4 sparsity). "
    "The Llama card's 30.84M GPU-hours are not split by stage, so its presets put them all in pre-training.",
)
