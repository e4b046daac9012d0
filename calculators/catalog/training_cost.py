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

FLOPs per token = 6N plus attention, which the 6N rule leaves out (calculators/models/flops.py).
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, Output, Preset, Q, Source, src
from ..models import flops, hardware
from ..models.facts import fact


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


SECONDS_PER_HOUR = Q.const(3600, "3,600 s")
HOURS_PER_DAY = Q.const(24, "24 h")
TRILLION = Q.const(1e12, "10^12")

TABLE1 = src(
    'deepseek-v3: §1, Table 1 ("Training costs of DeepSeek-V3, assuming the rental price of H800 is $2 '
    'per GPU hour": 2664K / 119K / 5K / 2788K H800 GPU-hours)'
)
PRICE = Source(
    "deepseek-v3",
    '§1 and Table 1 caption ("assuming the rental price of H800 is $2 per GPU hour")',
    note="The range is H100 rental from resellers and marketplaces in 2023-24, from under $2 to the $3-4 of "
    "multi-year contracts; DeepSeek's $2 sits inside it. Hyperscalers' on-demand list prices were several times "
    "higher (AWS p5.48xlarge, about $12 per GPU-hour before its mid-2025 cut).",
)
MFU_RANGE = fact("llama-3.1-405b.mfu")  # Llama 3's 38-43% BF16 MFU: one frontier lab's run
CAUSAL_RANGE = src(
    "deepseek-v3-insights: §5.1.2, causal MFU counts the lower triangle of the attention matrix, non-causal the whole "
    "matrix; the low end, no attention at all, is the C ≈ 6ND convention"
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
    "llama-3-herd: abstract (405B parameters), §2 (15.6T tokens; also §1), §3.2 (3.8 × 10^25 FLOPs) and §3.3.2, "
    "Table 4 (BF16 MFU 38-43%; 41% on 16,384 H100s at 8K sequence length)"
)


def training_cost(basis, gpu_hours, pretrain_gpu_hours, context_extension_gpu_hours, post_training_gpu_hours,
                  price_per_gpu_hour, active_params, tokens, n_layers, n_heads, qk_head_dim, v_head_dim, seq_len,
                  causal_fraction, gpu, precision, mfu, num_gpus):  # fmt: skip
    peak = hardware.peak(gpu, precision)  # InputError naming --precision if the GPU has no such cores
    peak_bf16 = hardware.peak(gpu, "bf16")
    p = price_per_gpu_hour

    # FLOPs
    attn = flops.attention_flops(n_layers, n_heads, qk_head_dim, v_head_dim, seq_len, causal_fraction).named(
        "attention FLOPs per token", "FLOP"
    )
    dense = flops.dense_flops_per_token(active_params)
    per_token = (dense + attn).named("FLOPs per token", "FLOP")
    flops_6nd = (dense * tokens).named("6ND", "FLOP")
    total_flops = (per_token * tokens).named("training FLOPs", "FLOP")

    # GPU-hours by stage
    ext, post = context_extension_gpu_hours, post_training_gpu_hours
    if basis == "compute":
        pre = (total_flops / (peak * mfu * SECONDS_PER_HOUR)).named("pre-training GPU-hours", "GPU-hours")
        total = (pre + ext + post).named("total GPU-hours", "GPU-hours")
        unallocated = Q.const(0.0).explain("the compute basis sums the stages")
    else:
        pre = pretrain_gpu_hours.explain("as reported")
        total = gpu_hours.explain("as reported")
        unallocated = total - (pre + ext + post)

    # Implied efficiency, always from the REPORTED pre-training GPU-hours.
    reported_seconds = (pretrain_gpu_hours * SECONDS_PER_HOUR).named("reported pre-training seconds", "GPU-seconds")
    achieved = (total_flops / reported_seconds).named("achieved FLOP/s per GPU", "FLOP/s")
    achieved_6nd = (flops_6nd / reported_seconds).named("achieved FLOP/s per GPU, 6ND only", "FLOP/s")
    if hardware.has_precision(gpu, "fp8"):
        mfu_fp8 = achieved / hardware.peak(gpu, "fp8")
    else:
        mfu_fp8 = Q.const(0.0).explain(f"not applicable: the {hardware.spec(gpu)['label']} has no FP8 tensor cores")

    trillions = (tokens / TRILLION).named("trillions of tokens", "")
    per_trillion = (pre / trillions).named("GPU-hours per trillion tokens", "GPU-hours")
    cluster_hours_per_day = (num_gpus * HOURS_PER_DAY).named("cluster GPU-hours per day", "GPU-hours")
    pre_days = (pre / cluster_hours_per_day).named("pre-training days", "days")
    return {
        "gpu_hours": total,
        "cost_usd": total * p,
        "pretrain_gpu_hours": pre,
        "context_extension_gpu_hours": ext.explain("as reported"),
        "post_training_gpu_hours": post.explain("as reported"),
        "unallocated_gpu_hours": unallocated,
        "pretrain_cost_usd": pre * p,
        "context_extension_cost_usd": ext * p,
        "post_training_cost_usd": post * p,
        "attention_flops_per_token": attn,
        "flops_per_token": per_token,
        "training_flops_6nd": flops_6nd,
        "training_flops": total_flops,
        "peak_flops_per_gpu": peak,
        "achieved_flops_per_gpu": achieved,
        "implied_mfu_bf16": achieved / peak_bf16,
        "implied_mfu_fp8": mfu_fp8,
        "implied_mfu_bf16_6nd": achieved_6nd / peak_bf16,
        "gpu_hours_per_trillion_tokens": per_trillion,
        "days_per_trillion_tokens": per_trillion / cluster_hours_per_day,
        "pretrain_wall_clock_days": pre_days,
        "wall_clock_days": total / cluster_hours_per_day,
        "tokens_per_day": tokens / pre_days,
    }


# Each Llama 3.1 405B input and the published fact it takes (its card's GPU-hours are not split by stage).
_LLAMA = {"gpu_hours": "gpu_hours", "pretrain_gpu_hours": "gpu_hours", "active_params": "active_params",
          "tokens": "tokens", "n_layers": "layers", "n_heads": "heads", "qk_head_dim": "qk_head_dim",
          "v_head_dim": "v_head_dim", "seq_len": "seq_len", "mfu": "mfu", "num_gpus": "cluster_gpus"}  # fmt: skip


def _llama(basis: str) -> dict:
    """Llama 3.1 405B's inputs: its card's GPU-hours, all in pre-training, and its paper's architecture and MFU."""
    values = {k: fact(f"llama-3.1-405b.{f}").value for k, f in _LLAMA.items()}
    stages = {"context_extension_gpu_hours": 0, "post_training_gpu_hours": 0}
    return {"basis": basis, **values, **stages, "gpu": "h100", "precision": "bf16"}


GPU_HOURS_MAX = 1e12  # a million GPUs for a century is 8.8e11 GPU-hours

CALCULATOR = Calculator(
    name="training-cost",
    title="DeepSeek-V3's training cost",
    summary="V3's headline training cost: its reported H800 GPU-hours by stage, priced per GPU-hour, and the bridge to "
    "first "
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
            V3("gpu_hours"),
            min=0,
            max=GPU_HOURS_MAX,
            help="Table 1's total, 2,788K. Used by the reported basis only.",
        ),
        Input(
            "pretrain_gpu_hours",
            "Pre-training GPU-hours (reported)",
            "GPU-hours",
            V3("pretraining_gpu_hours"),
            min=1,
            max=GPU_HOURS_MAX,
            help="Also the basis of the implied FLOP/s and MFU, whatever the basis.",
        ),
        Input(
            "context_extension_gpu_hours",
            "Context extension GPU-hours",
            "GPU-hours",
            V3("context_extension_gpu_hours"),
            min=0,
            max=GPU_HOURS_MAX,
            help="Two YaRN phases, to 32K then 128K context (§4.3).",
        ),
        Input(
            "post_training_gpu_hours",
            "Post-training GPU-hours (SFT + RL)",
            "GPU-hours",
            V3("post_training_gpu_hours"),
            min=0,
            max=GPU_HOURS_MAX,
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            V3("price_per_gpu_hour"),  # with its range: H100 rental from resellers and marketplaces (facts.json)
            PRICE,
            min=0,
            max=1_000,
            symbol="price per GPU-hour",
            step=0.1,
        ),
        Input(
            "active_params",
            "Activated parameters per token (N)",
            "parameters",
            V3("active_params"),
            symbol="N",
            min=1e6,
            max=1e15,
            help="For a mixture of experts, the parameters each token uses (37B of 671B), not the total. "
            "README_WEIGHTS.md gives 36.7B including the 0.9B embedding, which does no multiply-adds.",
        ),
        Input("tokens", "Pre-training tokens (D)", "tokens", V3("tokens"), min=1e6, max=1e16, symbol="D"),
        Input("n_layers", "Transformer layers", "layers", V3("layers"), type="int", min=1, max=10_000, symbol="layers"),
        Input("n_heads", "Attention heads", "heads", V3("heads"), type="int", min=1, max=100_000, symbol="heads"),
        Input(
            "qk_head_dim",
            "Query-key dimension per head",
            "dimensions",
            V3("qk_head_dim"),
            symbol="qk dim",
            type="int",
            min=1,
            max=100_000,
            help="MLA: 128 (d_h) + 64 (decoupled RoPE d_h^R). A standard attention head uses d_h for both.",
        ),
        Input(
            "v_head_dim",
            "Value dimension per head",
            "dimensions",
            V3("v_head_dim"),
            type="int",
            min=1,
            max=100_000,
            symbol="v dim",
        ),
        Input(
            "seq_len",
            "Training sequence length",
            "tokens per sequence",
            V3("seq_len"),
            type="int",
            min=1,
            max=10_000_000,
            symbol="sequence length",
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
            range=(0, 1),
            range_source=CAUSAL_RANGE,  # fmt: skip
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
            V3("causal_mfu_bf16"),
            min=0.001,
            max=1,
            step=0.01,
            range=MFU_RANGE.range,
            range_source=MFU_RANGE.source,  # fmt: skip
            help="Achieved model FLOP/s ÷ dense peak at the precision above. Used by the compute basis only.",
        ),
        Input("num_gpus", "GPUs in the cluster", "GPUs", V3("cluster_gpus"), type="int", min=1, max=10_000_000),
    ),
    outputs=(
        Output("gpu_hours", "Total", "GPU-hours"),
        Output("cost_usd", "Total cost", "USD"),
        Output("pretrain_gpu_hours", "Pre-training", "GPU-hours"),
        Output("context_extension_gpu_hours", "Context extension", "GPU-hours"),
        Output("post_training_gpu_hours", "Post-training", "GPU-hours"),
        Output(
            "unallocated_gpu_hours",
            "Total not in the three stages",
            "GPU-hours",
            help="0 for Table 1, whose stages add up to its total; otherwise the gap between --gpu-hours and "
            "the stage inputs.",
        ),
        Output("pretrain_cost_usd", "Pre-training cost", "USD"),
        Output("context_extension_cost_usd", "Context extension cost", "USD"),
        Output("post_training_cost_usd", "Post-training cost", "USD"),
        Output("attention_flops_per_token", "Attention FLOPs per token (training)", "FLOP"),
        Output("flops_per_token", "Training FLOPs per token", "FLOP"),
        Output("training_flops_6nd", "Pre-training compute, 6ND only", "FLOP"),
        Output("training_flops", "Pre-training compute with attention", "FLOP"),
        Output("peak_flops_per_gpu", "Dense peak per GPU at the chosen precision", "FLOP/s"),
        Output("achieved_flops_per_gpu", "Achieved per GPU (reported pre-training)", "FLOP/s"),
        Output("implied_mfu_bf16", "Implied MFU vs BF16 dense peak", "fraction"),
        Output(
            "implied_mfu_fp8",
            "Implied MFU vs FP8 dense peak",
            "fraction",
            help="0 where the GPU has no FP8 tensor cores (A100): not applicable.",
        ),
        Output(
            "implied_mfu_bf16_6nd",
            "Implied MFU vs BF16 peak, 6ND only",
            "fraction",
            help="The usual back-of-envelope figure; it leaves attention out, so it understates the MFU.",
        ),
        Output("gpu_hours_per_trillion_tokens", "Pre-training GPU-hours per trillion tokens", "GPU-hours"),
        Output("days_per_trillion_tokens", "Days per trillion tokens on the cluster", "days"),
        Output("pretrain_wall_clock_days", "Pre-training wall-clock time on the cluster", "days"),
        Output("wall_clock_days", "Wall-clock time for the total on the cluster", "days"),
        Output("tokens_per_day", "Pre-training tokens per day on the cluster", "tokens"),
    ),
    function=training_cost,
    headline="cost_usd",
    key_inputs=("basis", "price_per_gpu_hour", "gpu_hours", "mfu", "tokens", "active_params"),  # the reader's layout
    key_outputs=("cost_usd", "gpu_hours", "implied_mfu_bf16"),
    charts=(Chart("tornado", "What moves the cost most", output="cost_usd"),),
    presets=(
        Preset(
            "deepseek-v3",
            "DeepSeek-V3 as reported (Table 1)",
            {
                "basis": "reported",
                **{k: V3(k).value for k in ("gpu_hours", "context_extension_gpu_hours", "post_training_gpu_hours")},
                "pretrain_gpu_hours": V3("pretraining_gpu_hours").value,
                "price_per_gpu_hour": V3("price_per_gpu_hour").value,
            },
            TABLE1,
        ),
        Preset(
            "deepseek-v3-isca",
            "DeepSeek-V3 from first principles at the measured 38.94% causal MFU",
            {
                "basis": "compute",
                "mfu": V3("causal_mfu_bf16").value,
                "precision": "bf16",
                "causal_fraction": 0.5,
                "gpu": "h800",
            },
            ISCA_T4,
        ),
        Preset(
            "llama-3.1-405b",
            "Llama 3.1 405B as reported (model card: 30.84M H100 GPU-hours)",
            _llama("reported"),
            LLAMA_CARD,
        ),  # fmt: skip
        Preset(
            "llama-3.1-405b-compute",
            "Llama 3.1 405B from first principles at 41% BF16 MFU (Llama 3 paper)",
            _llama("compute"),
            LLAMA_PAPER,
        ),  # fmt: skip
    ),
    notes='Scope: the official training run only, at rental prices. DeepSeek: the costs "include only the official '
    'training of DeepSeek-V3, excluding the costs associated with prior research and ablation experiments" '
    "(§1); also excluded are staff, data and owning the cluster. Peaks are dense (no 2:4 sparsity). "
    "The Llama card's 30.84M GPU-hours are not split by stage, so its presets put them all in pre-training.",
)
