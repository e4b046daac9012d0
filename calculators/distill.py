"""distill: what fine-tuning the six DeepSeek-R1-Distill models costs, next to the RL that produced their teacher.

DeepSeek-R1 (Nature 2025 and its Supplementary Information = arXiv 2501.12948 v2): the distilled models are
open-weight Qwen2.5 and Llama 3 models fine-tuned (SFT only, no RL) on the ~800K samples curated with R1: about 600K
reasoning and 200K non-reasoning samples (v1 §2.3.3 and §2.4; v2 B.3.3). Table 5 ("Data Statistics of SFT Data")
totals 804,745 samples averaging 5,355.3 tokens. Appendix B.4.3: the distilled models train for 2-3 epochs at a
32,768-token context; Table 6 lists the base models (Qwen2.5-Math-1.5B, Qwen2.5-Math-7B, Qwen2.5-14B, Qwen2.5-32B,
Llama-3.1-8B, Llama-3.3-70B-Instruct). F.1 / Table 16: RL on Qwen2.5-32B-Base "for over 10K steps"
(DeepSeek-R1-Zero-Qwen-32B) scored below the distilled 32B model on every reasoning benchmark. DeepSeek publishes no
GPU-hours for distillation; this calculator works them out.

Compute: 6 × N × D (Kaplan et al. 2020), N = the student's parameters (its published size; counting the embedding
lookup overstates the arithmetic by a few per cent for the small models), D = samples × average tokens × epochs.
GPU-hours = FLOPs ÷ (dense peak × MFU × 3,600 s). The default MFU is the one V3's own pre-training implies (from the
training-cost calculator), the comparison with R1's RL comes from the rl-cost calculator at the same price.
"""

from __future__ import annotations

from . import hardware
from . import rl_cost as _rl_cost
from . import training_cost as _training_cost
from .core import Calculator, Input, InputError, Output, Preset, Source, Value, n, src

SECONDS_PER_HOUR = 3600

# (preset, label, published parameters, source id, base model) for the six released students.
STUDENTS = (
    ("qwen-1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", 1.78e9, "r1-distill-qwen-1.5b-card", "Qwen2.5-Math-1.5B"),
    ("qwen-7b", "DeepSeek-R1-Distill-Qwen-7B", 7.62e9, "r1-distill-qwen-7b-card", "Qwen2.5-Math-7B"),
    ("llama-8b", "DeepSeek-R1-Distill-Llama-8B", 8.03e9, "r1-distill-llama-8b-card", "Llama-3.1-8B"),
    ("qwen-14b", "DeepSeek-R1-Distill-Qwen-14B", 14.8e9, "r1-distill-qwen-14b-card", "Qwen2.5-14B"),
    ("qwen-32b", "DeepSeek-R1-Distill-Qwen-32B", 32.8e9, "r1-distill-qwen-32b-card", "Qwen2.5-32B"),
    ("llama-70b", "DeepSeek-R1-Distill-Llama-70B", 70.6e9, "r1-distill-llama-70b-card", "Llama-3.3-70B-Instruct"),
)
ALL_SIX = sum(s[2] for s in STUDENTS)


def _card(sid: str, params: float, base: str) -> Source:
    return Source(
        sid,
        f'model page, Safetensors "Model size" {n(params / 1e9)}B params (BF16); base model {base} '
        "(R1 arXiv v2, Table 6)",
    )


MFU_DEFAULT = round(_training_cost.CALCULATOR.run()["implied_mfu_bf16_6nd"], 4)  # 0.3463

TABLE5 = src(
    'deepseek-r1-arxiv: v2 Appendix B.3.3, Table 5 "Data Statistics of SFT Data" (total 804,745 samples, '
    'average 5,355.3 tokens; = Nature SI); the text\'s "about 800k samples" (v1 §2.3.3, §2.4)'
)
EPOCHS = Source(
    "deepseek-r1-arxiv",
    "v2 Appendix B.4.3, distillation hyper-parameters (2-3 epochs, cosine decay, 32,768-token context)",
    note="Default 2, the low end; range 2-3 as published.",
)
STUDENT = _card("r1-distill-qwen-32b-card", 32.8e9, "Qwen2.5-32B")
GPU = src(
    "deepseek-r1-si: §2.4.4 (R1's own training ran on H800s; DeepSeek does not say where the students were trained)"
)
PREC = src("chowdhery2022: MFU measured against the dense peak (BF16 here, as DeepSeek quotes its MFU)")
MFU = Source(
    "deepseek-v3",
    "Table 1 and abstract: 6 × 37B × 14.8T FLOP in 2,664K H800 GPU-hours against the 989.4 "
    "TFLOPS BF16 peak (the training-cost calculator's implied_mfu_bf16_6nd)",
    note="A cited assumption: DeepSeek publishes no utilisation for distillation. Range 20-43%: 43% is the top "
    "of Llama 3's 38-43% BF16 MFU (llama-3-herd, Table 4); 20% stands for small models at long "
    "context, this site's pessimistic floor.",
)
PRICE = Source(
    "deepseek-r1-si",
    '§2.4.4 ("assuming the rental price of H800 is $2 per GPU hour")',
    note="Range $1.50-$3.50, as on the other cost calculators.",
)
RL_PARAMS = src("deepseek-v3: abstract (37B activated parameters; R1-Zero was trained from DeepSeek-V3-Base)")
RL_STEPS = src("deepseek-r1-nature: Methods, R1-Zero trained for 10,400 steps")
STUDENT_STEPS = src(
    'deepseek-r1-arxiv: v2 Appendix F.1 and Table 16 (RL on Qwen2.5-32B-Base "for over 10K steps", '
    "DeepSeek-R1-Zero-Qwen-32B)"
)


def distill(
    samples,
    avg_tokens_per_sample,
    epochs,
    student_params,
    gpu,
    precision,
    mfu,
    price_per_gpu_hour,
    r1_zero_active_params,
    r1_zero_steps,
    student_rl_steps,
):
    peak = hardware.peak_flops(gpu, precision)
    label = hardware.spec(gpu)["label"]
    p = price_per_gpu_hour
    per_epoch = samples * avg_tokens_per_sample
    tokens = per_epoch * epochs
    if 0 < tokens < 1:
        # Less than one token of fine-tuning is none, and the RL-to-distillation ratio would overflow to inf.
        field = "epochs" if epochs < 1 else "avg_tokens_per_sample"
        raise InputError(field, f"samples × average tokens × epochs must be 0 or at least 1 token (got {n(tokens)})")
    rate = peak * mfu * SECONDS_PER_HOUR  # FLOP per GPU-hour

    def hours(params):
        return 6 * params * tokens / rate

    flops = 6 * student_params * tokens
    gh = flops / rate
    six = hours(ALL_SIX)
    rl = _rl_cost.CALCULATOR.run({"price_per_gpu_hour": p})
    rl_cost = rl["cost_usd"]
    zero_gh = rl["r1_zero_gpu_hours"]
    est = zero_gh * (student_params / r1_zero_active_params) * (student_rl_steps / r1_zero_steps)
    cost = gh * p
    return {
        "cost_usd": Value(cost, f"{n(round(gh, 1))} GPU-hours × ${n(p)}"),
        "gpu_hours": Value(
            gh, f"{n(flops)} FLOP ÷ ({n(peak / 1e12)} TFLOPS {precision.upper()} × {n(mfu)} MFU × 3,600 s)"
        ),
        "sft_samples": Value(samples, "Table 5 total" if samples == 804_745 else "as entered"),
        "student_params_used": Value(student_params, "the student's published size"),
        "epochs_used": Value(epochs, "as entered (the paper: 2-3)"),
        "sft_tokens_per_epoch": Value(per_epoch, f"{n(samples)} samples × {n(avg_tokens_per_sample)} tokens"),
        "training_tokens": Value(tokens, f"{n(per_epoch)} tokens × {n(epochs)} epochs"),
        "training_flops": Value(flops, f"6 × {n(student_params)} parameters × {n(tokens)} tokens"),
        "gpu_days_on_one_node": Value(gh / 8 / 24, f"{n(round(gh, 1))} GPU-hours ÷ (8 GPUs × 24 h), on {label}s"),
        "all_six_gpu_hours": Value(six, f"the same for {n(ALL_SIX)} parameters (all six students)"),
        "all_six_cost_usd": Value(six * p, f"{n(round(six, 1))} GPU-hours × ${n(p)}"),
        "r1_rl_cost_usd": Value(rl_cost, f"rl-cost calculator at ${n(p)} per GPU-hour"),
        "share_of_r1_rl_cost": Value(
            cost / rl_cost if rl_cost else 0.0,
            f"${n(round(cost))} ÷ ${n(round(rl_cost))}" if rl_cost else "no RL cost at $0",
        ),
        "all_six_share_of_r1_rl_cost": Value(
            six * p / rl_cost if rl_cost else 0.0,
            f"${n(round(six * p))} ÷ ${n(round(rl_cost))}" if rl_cost else "no RL cost at $0",
        ),
        "sft_data_cost_usd": Value(rl["sft_data_cost_usd"], "rl-cost calculator: R1 generating the SFT data"),
        "student_rl_gpu_hours_estimate": Value(
            est,
            f"{n(zero_gh)} R1-Zero GPU-hours × ({n(student_params)} ÷ "
            f"{n(r1_zero_active_params)} parameters) × ({n(student_rl_steps)} ÷ "
            f"{n(r1_zero_steps)} steps)",
        ),
        "student_rl_cost_usd_estimate": Value(est * p, f"{n(round(est))} GPU-hours × ${n(p)}"),
        "rl_to_distill_cost_ratio": Value(
            est / gh if gh else 0.0, f"{n(round(est))} ÷ {n(round(gh, 1))} GPU-hours" if gh else "no SFT compute"
        ),
    }


CALCULATOR = Calculator(
    name="distill",
    title="Distilling R1 into small models",
    summary="What supervised fine-tuning of the six DeepSeek-R1-Distill models on R1's ~800K samples costs: 6ND FLOPs, "
    "GPU-hours and dollars, set beside R1's RL bill and a rough estimate of RL on the student itself.",
    inputs=(
        Input("samples", "SFT samples", "samples", 804_745, TABLE5, type="int", min=0, max=10_000_000_000),
        Input("avg_tokens_per_sample", "Average tokens per sample", "tokens", 5355.3, TABLE5, min=0, max=10_000_000),
        Input("epochs", "Epochs", "epochs", 2, EPOCHS, min=0, max=1000, step=1, range=(2, 3)),
        Input(
            "student_params",
            "Student's parameters (N)",
            "parameters",
            32.8e9,
            STUDENT,
            min=1e6,
            max=1e13,
            help="The published size of each distilled model; choose a preset for the others.",
        ),
        Input("gpu", "GPU", "", "h800", GPU, type="choice", choices=hardware.gpu_choices()),
        Input(
            "precision",
            "Peak the MFU is measured against",
            "",
            "bf16",
            PREC,
            type="choice",
            choices=hardware.PRECISIONS,
        ),
        Input(
            "mfu",
            "Model FLOPs utilisation",
            "fraction",
            MFU_DEFAULT,
            MFU,
            min=0.001,
            max=1,
            step=0.01,
            range=(0.2, 0.43),
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            PRICE,
            min=0,
            max=1_000,
            step=0.1,
            range=(1.5, 3.5),
        ),
        Input(
            "r1_zero_active_params",
            "R1-Zero's activated parameters (for the RL estimate)",
            "parameters",
            37e9,
            RL_PARAMS,
            min=1e6,
            max=1e15,
        ),
        Input("r1_zero_steps", "R1-Zero's RL steps", "steps", 10_400, RL_STEPS, type="int", min=1, max=10_000_000),
        Input(
            "student_rl_steps",
            "RL steps on the student (for the estimate)",
            "steps",
            10_000,
            STUDENT_STEPS,
            type="int",
            min=0,
            max=10_000_000,
            help='DeepSeek ran "over 10K steps" on Qwen2.5-32B-Base.',
        ),
    ),
    outputs=(
        Output("cost_usd", "Fine-tuning cost", "USD", "GPU-hours × price"),
        Output("gpu_hours", "Fine-tuning GPU-hours", "GPU-hours", "6ND ÷ (dense peak × MFU × 3,600 s)"),
        Output("sft_samples", "SFT samples", "samples"),
        Output("student_params_used", "Student's parameters", "parameters"),
        Output("epochs_used", "Epochs", "epochs"),
        Output("sft_tokens_per_epoch", "Tokens in the SFT set", "tokens", "samples × average tokens"),
        Output("training_tokens", "Tokens trained on", "tokens", "tokens per epoch × epochs"),
        Output("training_flops", "Fine-tuning compute", "FLOP", "6 × N × D"),
        Output("gpu_days_on_one_node", "Days on one 8-GPU node", "days", "GPU-hours ÷ 8 ÷ 24"),
        Output("all_six_gpu_hours", "All six students, GPU-hours", "GPU-hours", "6ND summed over the six sizes"),
        Output("all_six_cost_usd", "All six students, cost", "USD"),
        Output("r1_rl_cost_usd", "R1's RL bill at the same price", "USD", "rl-cost: R1-Zero + SFT data + R1"),
        Output("share_of_r1_rl_cost", "This student's fine-tuning as a share of R1's RL bill", "fraction"),
        Output("all_six_share_of_r1_rl_cost", "All six as a share of R1's RL bill", "fraction"),
        Output(
            "sft_data_cost_usd",
            "What R1 spent generating the SFT data",
            "USD",
            "rl-cost: 5K GPU-hours, part of the RL bill",
        ),
        Output(
            "student_rl_gpu_hours_estimate",
            "RL on the student instead, rough estimate",
            "GPU-hours",
            "R1-Zero's GPU-hours × parameter ratio × step ratio",
            "An estimate, not a published figure: assumes RL cost scales with activated parameters and steps, "
            "with rollouts as long as R1-Zero's.",
        ),
        Output("student_rl_cost_usd_estimate", "RL on the student instead, rough cost", "USD"),
        Output("rl_to_distill_cost_ratio", "RL estimate ÷ fine-tuning", "ratio"),
    ),
    function=distill,
    headline="cost_usd",
    presets=tuple(
        Preset(name, label, {"student_params": params}, _card(sid, params, base))
        for name, label, params, sid, base in STUDENTS
    ),
    notes='Covers the fine-tuning only: generating the 800K samples is part of R1\'s own bill ("SFT data creation", '
    "5K GPU-hours), and the students' pre-training was paid by Alibaba and Meta. Attention FLOPs are left out "
    "(a few per cent at these lengths). Packing, padding and evaluation are not counted.",
)
