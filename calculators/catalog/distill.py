"""distill: what fine-tuning the six DeepSeek-R1-Distill models costs, next to the RL that produced their teacher.

DeepSeek-R1 (Nature 2025 and its Supplementary Information = arXiv 2501.12948 v2): the distilled models are
open-weight Qwen2.5 and Llama 3 models fine-tuned (SFT only, no RL) on the ~800K samples curated with R1: about 600K
reasoning and 200K non-reasoning samples (v1 §2.3.3 and §2.4; v2 B.3.3). Table 5 ("Data Statistics of SFT Data")
totals 804,745 samples averaging 5,355.3 tokens. Appendix B.4.3: the distilled models train for 2-3 epochs at a
32,768-token context; v1 §2.4 lists the base models (Qwen2.5-Math-1.5B, Qwen2.5-Math-7B, Qwen2.5-14B, Qwen2.5-32B,
Llama-3.1-8B, Llama-3.3-70B-Instruct). v1 §4.1 and Table 6 (the version read; later versions move the comparison):
RL on Qwen-32B-Base "for over 10K steps" (DeepSeek-R1-Zero-Qwen-32B) scored below the distilled 32B model on every
reasoning benchmark. DeepSeek publishes no
GPU-hours for distillation; this calculator works them out.

Compute: 6 × N × D (Kaplan et al. 2020), N = the student's parameters (its published size; counting the embedding
lookup overstates the arithmetic by a few per cent for the small models), D = samples × average tokens × epochs.
GPU-hours = FLOPs ÷ (dense peak × MFU × 3,600 s). The default MFU is the one V3's own pre-training implies in 6ND
accounting (models/derived.py: v3_mfu_6nd); R1's RL bill is its cost table's GPU-hours (derived.r1_rl_gpu_hours)
at the same price.
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Q, Source, fmt_plain, qsum, src
from ..models import derived, hardware
from ..models.facts import fact

SECONDS_PER_HOUR = Q.const(3600, "3,600 s")
PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)

# (preset, label, published parameters, source id, base model) for the six released students.
STUDENTS = (
    ("qwen-1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", 1.78e9, "r1-distill-qwen-1.5b-card", "Qwen2.5-Math-1.5B"),
    ("qwen-7b", "DeepSeek-R1-Distill-Qwen-7B", 7.62e9, "r1-distill-qwen-7b-card", "Qwen2.5-Math-7B"),
    ("llama-8b", "DeepSeek-R1-Distill-Llama-8B", 8.03e9, "r1-distill-llama-8b-card", "Llama-3.1-8B"),
    ("qwen-14b", "DeepSeek-R1-Distill-Qwen-14B", 14.8e9, "r1-distill-qwen-14b-card", "Qwen2.5-14B"),
    ("qwen-32b", "DeepSeek-R1-Distill-Qwen-32B", 32.8e9, "r1-distill-qwen-32b-card", "Qwen2.5-32B"),
    ("llama-70b", "DeepSeek-R1-Distill-Llama-70B", 70.6e9, "r1-distill-llama-70b-card", "Llama-3.3-70B-Instruct"),
)
SIZES = {params: label for _, label, params, _, _ in STUDENTS}
TABLE5_SAMPLES = 804_745


def _card(sid: str, params: float, base: str) -> Source:
    return Source(
        sid,
        f"model page, Safetensors model size {fmt_plain(params / 1e9)}B params (BF16); base model {base} "
        "(R1 arXiv v2, Table 6)",
    )


def _all_six() -> Q:
    """The six students' published sizes, summed (the same GPU-hours arithmetic then covers all six)."""
    sizes = (Q.lookup(params, "parameters", label, "its model page") for _, label, params, _, _ in STUDENTS)
    return qsum(sizes).named("all six students' parameters", "parameters")


MFU_FACT = derived.v3_mfu_6nd()  # 0.3463

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
    "deepseek-r1-arxiv: v2 Appendix B.4.4, the Supplementary Information §2.4.4 (R1's own training ran on H800s; "
    "DeepSeek does not say where the students were trained)"
)
PREC = src("chowdhery2022: MFU measured against the dense peak (BF16 here, as DeepSeek quotes its MFU)")
MFU = Source(
    MFU_FACT.source.id,
    MFU_FACT.source.where,
    note="A cited assumption: DeepSeek publishes no utilisation for distillation. Range 20-43%: 43% is the top "
    "of Llama 3's 38-43% BF16 MFU (llama-3-herd, Table 4); 20% stands for small models at long "
    "context, this site's pessimistic floor.",
)
PRICE_FACT = fact("deepseek-r1.price_per_gpu_hour")
PRICE = Source(
    PRICE_FACT.source.id, PRICE_FACT.source.where, note="Range $1.50-$3.50, as on the other cost calculators."
)
RL_PARAMS = src("deepseek-v3: abstract (37B activated parameters; R1-Zero was trained from DeepSeek-V3-Base)")
STUDENT_STEPS = src(
    'deepseek-r1-arxiv: v1 §4.1 and Table 6, the version read here (RL on Qwen-32B-Base "for over 10K steps", '
    "DeepSeek-R1-Zero-Qwen-32B)"
)


def _r1(name: str, symbol: str) -> Q:
    """One of R1's published GPU-hour figures (data/facts.json) as a quantity."""
    return Q.lookup(fact(f"deepseek-r1.{name}").value, "GPU-hours", symbol, "DeepSeek-R1's cost table")


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
    peak = hardware.peak(gpu, precision)
    p = price_per_gpu_hour
    per_epoch = (samples * avg_tokens_per_sample).named("tokens per epoch", "tokens")
    tokens = (per_epoch * epochs).named("training tokens", "tokens")
    if 0 < tokens < 1:
        # Less than one token of fine-tuning is none, and the RL-to-distillation ratio would overflow to inf.
        field = "epochs" if epochs < 1 else "avg_tokens_per_sample"
        raise InputError(
            field, f"samples × average tokens × epochs must be 0 or at least 1 token (got {fmt_plain(tokens.value)})"
        )
    rate = peak * mfu * SECONDS_PER_HOUR  # FLOP per GPU-hour

    flops = (6 * student_params * tokens).named("fine-tuning FLOPs", "FLOP")
    gh = (flops / rate).named("fine-tuning GPU-hours", "GPU-hours")
    six = (6 * _all_six() * tokens / rate).named("all six students' GPU-hours", "GPU-hours")
    rl_total = derived.r1_rl_gpu_hours().value  # R1-Zero + SFT data + R1, from data/facts.json
    rl_hours = Q.lookup(rl_total, "GPU-hours", "R1's RL GPU-hours", "DeepSeek-R1's cost table, the three stages")
    rl_cost = (rl_hours * p).named("R1's RL bill", "USD")
    zero_gh = _r1("r1_zero_gpu_hours", "R1-Zero GPU-hours")
    est = (zero_gh * (student_params / r1_zero_active_params) * (student_rl_steps / r1_zero_steps)).named(
        "student RL GPU-hours", "GPU-hours"
    )
    cost = (gh * p).named("fine-tuning cost", "USD")
    six_cost = (six * p).named("all six students' cost", "USD")
    no_rl = Q.const(0.0).explain("not applicable: R1's RL costs nothing at a zero price")
    student = SIZES.get(student_params.value)
    return {
        "cost_usd": cost,
        "gpu_hours": gh,
        "sft_samples": samples.explain("the SFT data table's total" if samples == TABLE5_SAMPLES else "as entered"),
        "student_params_used": student_params.explain(f"the published size of {student}" if student else "as entered"),
        "epochs_used": epochs.explain("as entered"),
        "sft_tokens_per_epoch": per_epoch,
        "training_tokens": tokens,
        "training_flops": flops,
        "gpu_days_on_one_node": gh / Q.const(8, "8 GPUs") / Q.const(24, "24 h"),
        "all_six_gpu_hours": six,
        "all_six_cost_usd": six_cost,
        "r1_rl_cost_usd": rl_cost,
        "share_of_r1_rl_cost": cost / rl_cost if rl_cost else no_rl,
        "all_six_share_of_r1_rl_cost": six_cost / rl_cost if rl_cost else no_rl,
        "sft_data_cost_usd": _r1("sft_data_gpu_hours", "SFT data GPU-hours") * p,
        "student_rl_gpu_hours_estimate": est,
        "student_rl_cost_usd_estimate": est * p,
        "rl_to_distill_cost_ratio": est / gh if gh else Q.const(0.0).explain("not applicable: no fine-tuning compute"),
    }


CALCULATOR = Calculator(
    name="distill",
    title="Distilling R1 into small models",
    summary="What supervised fine-tuning of the six DeepSeek-R1-Distill models on R1's ~800K samples costs: 6ND FLOPs, "
    "GPU-hours and dollars, set beside R1's RL bill and a rough estimate of RL on the student itself.",
    inputs=(
        Input(
            "samples",
            "SFT samples",
            "samples",
            TABLE5_SAMPLES,
            TABLE5,
            type="int",
            min=0,
            max=10_000_000_000,
            symbol="samples",
        ),
        Input(
            "avg_tokens_per_sample",
            "Average tokens per sample",
            "tokens",
            5355.3,
            TABLE5,
            min=0,
            max=10_000_000,
            symbol="tokens per sample",
        ),
        Input("epochs", "Epochs", "epochs", 2, EPOCHS, min=0, max=1000, step=1, range=(2, 3), symbol="epochs"),
        Input(
            "student_params",
            "Student's parameters (N)",
            "parameters",
            32.8e9,
            STUDENT,
            min=1e6,
            max=1e13,
            symbol="N",
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
            MFU_FACT.value,
            MFU,
            min=0.001,
            max=1,
            step=0.01,
            range=(0.2, 0.43),
            symbol="MFU",
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            PRICE_FACT.value,
            PRICE,
            min=0,
            max=1_000,
            step=0.1,
            range=PRICE_RANGE,
            symbol="price per GPU-hour",
        ),
        Input(
            "r1_zero_active_params",
            "R1-Zero's activated parameters (for the RL estimate)",
            "parameters",
            fact("deepseek-v3.active_params"),
            RL_PARAMS,
            min=1e6,
            max=1e15,
            symbol="R1-Zero's activated parameters",
        ),
        Input(
            "r1_zero_steps",
            "R1-Zero's RL steps",
            "steps",
            fact("deepseek-r1.r1_zero_steps"),
            type="int",
            min=1,
            max=10_000_000,
            symbol="R1-Zero's steps",
        ),
        Input(
            "student_rl_steps",
            "RL steps on the student (for the estimate)",
            "steps",
            10_000,
            STUDENT_STEPS,
            type="int",
            min=0,
            max=10_000_000,
            symbol="student RL steps",
            help='DeepSeek ran "over 10K steps" on Qwen2.5-32B-Base.',
        ),
    ),
    outputs=(
        Output("cost_usd", "Fine-tuning cost", "USD"),
        Output("gpu_hours", "Fine-tuning GPU-hours", "GPU-hours"),
        Output("sft_samples", "SFT samples", "samples"),
        Output("student_params_used", "Student's parameters", "parameters"),
        Output("epochs_used", "Epochs", "epochs"),
        Output("sft_tokens_per_epoch", "Tokens in the SFT set", "tokens"),
        Output("training_tokens", "Tokens trained on", "tokens"),
        Output("training_flops", "Fine-tuning compute", "FLOP"),
        Output("gpu_days_on_one_node", "Days on one 8-GPU node", "days"),
        Output("all_six_gpu_hours", "All six students, GPU-hours", "GPU-hours"),
        Output("all_six_cost_usd", "All six students, cost", "USD"),
        Output("r1_rl_cost_usd", "R1's RL bill at the same price", "USD"),
        Output("share_of_r1_rl_cost", "This student's fine-tuning as a share of R1's RL bill", "fraction"),
        Output("all_six_share_of_r1_rl_cost", "All six as a share of R1's RL bill", "fraction"),
        Output(
            "sft_data_cost_usd",
            "What R1 spent generating the SFT data",
            "USD",
        ),
        Output(
            "student_rl_gpu_hours_estimate",
            "RL on the student instead, rough estimate",
            "GPU-hours",
            help="An estimate, not a published figure: assumes RL cost scales with activated parameters and steps, "
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
