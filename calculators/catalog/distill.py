"""distill: what fine-tuning the six DeepSeek-R1-Distill models costs, next to the RL that produced their teacher.

DeepSeek-R1 (Nature 2025 and its Supplementary Information = arXiv 2501.12948 v2): the distilled models are
open-weight Qwen2.5 and Llama 3 models fine-tuned (SFT only, no RL) on the ~800K samples curated with R1: about 600K
reasoning and 200K non-reasoning samples (v1 §2.3.3 and §2.4; v2 B.3.3). Table 5 ("Data Statistics of SFT Data")
totals 804,745 samples averaging 5,355.3 tokens, by domain from 1,419.8 (general) to 7,435.7 (code). Appendix B.4.3:
2-3 epochs at a 32,768-token context; v1 §2.4 lists the base models. v1 §4.1 and Table 6 (the version read; later
versions move the comparison): RL on Qwen-32B-Base "for over 10K steps" (DeepSeek-R1-Zero-Qwen-32B) scored below the
distilled 32B model on every reasoning benchmark. DeepSeek publishes no GPU-hours for distillation; this calculator
works them out.

Compute per token: 6N for the weights (Kaplan et al. 2020) plus causal attention, 3·L·W·T̄ (models/flops.py; W =
heads × (query-key + value head dims), from each student's config.json). Attention grows with each token's own
sequence, so T̄ is the token-weighted length E[T²]/E[T]: the sample mean times a spread factor, computed here from
Table 5's domain means (a lower bound: the spread within each domain is not published). Whether DeepSeek packed the
samples is not published either: packed into 32,768-token chunks without a document mask, every token attends to
its chunk's earlier tokens, T̄ = the context (a labelled choice). GPU-hours = FLOPs ÷ (dense peak × MFU × 3,600 s);
the default MFU is V3's causal MFU (Insights Table 4), which counts the same FLOPs (6N plus causal attention). The
6ND count is kept beside it as the lower bound it is.

RL on the student instead: R1-Zero's reported GPU-hours scaled by the FLOPs of one RL sample (models/rl_flops.py:
decoding, the reference and old-policy passes, the update, each with attention; absorbed MLA for R1-Zero, the
student's own attention for the student) and by the number of steps, at R1-Zero's batch. That assumes the student's
run would reach the utilisation R1-Zero's reported hours imply: an assumption, labelled as one.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, InputError, Output, Preset, Q, Source, fmt_plain, qsum, src
from ..models import derived, flops, hardware, rl_flops
from ..models.facts import RENTAL, fact, range_source

SECONDS_PER_HOUR = Q.const(3600, "3,600 s")
PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
HEAD_DIM = 128  # every student's head dimension (hidden size ÷ attention heads in each config.json)

# (preset, label, published parameters, layers, attention heads, source id, base model) for the six students; the
# layers and heads are their config.json's num_hidden_layers and num_attention_heads (tests/test_distill.py).
STUDENTS = (
    ("qwen-1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", 1.78e9, 28, 12, "r1-distill-qwen-1.5b-card", "Qwen2.5-Math-1.5B"),
    ("qwen-7b", "DeepSeek-R1-Distill-Qwen-7B", 7.62e9, 28, 28, "r1-distill-qwen-7b-card", "Qwen2.5-Math-7B"),
    ("llama-8b", "DeepSeek-R1-Distill-Llama-8B", 8.03e9, 32, 32, "r1-distill-llama-8b-card", "Llama-3.1-8B"),
    ("qwen-14b", "DeepSeek-R1-Distill-Qwen-14B", 14.8e9, 48, 40, "r1-distill-qwen-14b-card", "Qwen2.5-14B"),
    ("qwen-32b", "DeepSeek-R1-Distill-Qwen-32B", 32.8e9, 64, 40, "r1-distill-qwen-32b-card", "Qwen2.5-32B"),
    ("llama-70b", "DeepSeek-R1-Distill-Llama-70B", 70.6e9, 80, 64, "r1-distill-llama-70b-card",
     "Llama-3.3-70B-Instruct"),
)  # fmt: skip
SIZES = {params: label for _, label, params, *_ in STUDENTS}
TABLE5_SAMPLES = 804_745
# Table 5's domains: (samples, average tokens). Math, Code, STEM, Logic, General.
TABLE5_DOMAINS = ((395_285, 6094.2), (211_129, 7435.7), (10_124, 4928.8), (10_395, 2739.0), (177_812, 1419.8))


def _width(heads: int) -> int:
    return heads * (HEAD_DIM + HEAD_DIM)


def _card(sid: str, params: float, layers: int, heads: int, base: str) -> Source:
    return Source(
        sid,
        f"model page, Safetensors model size {fmt_plain(params / 1e9)}B params (BF16); config.json: {layers} "
        f"layers, {heads} attention heads of {HEAD_DIM} dimensions; base model {base} (R1 arXiv v2, Table 6)",
    )


def _spread() -> Q:
    """E[T²] ÷ E[T]² over Table 5's domains, each domain's samples taken at its mean length (a lower bound)."""
    n = [Q.lookup(k, "samples", "domain samples", "the SFT data table") for k, _ in TABLE5_DOMAINS]
    t = [Q.lookup(m, "tokens", "domain mean", "the SFT data table") for _, m in TABLE5_DOMAINS]
    total = qsum(n)
    first = qsum(a * b for a, b in zip(n, t, strict=True))
    second = qsum(a * b * b for a, b in zip(n, t, strict=True))
    return second * total / (first * first)


TABLE5 = src(
    'deepseek-r1-arxiv: v2 Appendix B.3.3, Table 5 "Data Statistics of SFT Data" (total 804,745 samples, '
    'average 5,355.3 tokens; = Nature SI); the text\'s "about 800k samples" (v1 §2.3.3, §2.4)'
)
SPREAD = Source(
    "deepseek-r1-arxiv",
    "v2 Appendix B.3.3, Table 5, the five domains' samples and average tokens, derived here: "
    "Σ samples × mean² × Σ samples ÷ (Σ samples × mean)²",
    note="A lower bound: each domain's samples are taken at the domain's mean length, as the spread within a "
    "domain is not published. 1 = every sample at the mean length.",
)
EPOCHS = Source(
    "deepseek-r1-arxiv",
    "v2 Appendix B.4.3, distillation hyper-parameters (2-3 epochs, cosine decay, 32,768-token context)",
    note="Default 2, the low end; range 2-3 as published.",
)
CONTEXT = src('deepseek-r1-arxiv: v2 Appendix B.4.3, "The maximum context length is 32,768 tokens"')
PACKING = src(
    "deepseek-r1-arxiv: v2 Appendix B.4.3 (no packing is described for distillation; B.1 describes Best-Fit packing "
    "into fixed-length chunks for the RL training module)"
)
GPU = src(
    "deepseek-r1-arxiv: v2 Appendix B.4.4, the Supplementary Information §2.4.4 (R1's own training ran on H800s; "
    "DeepSeek does not say where the students were trained)"
)
PREC = src("chowdhery2022: MFU measured against the dense peak (BF16 here, as DeepSeek quotes its MFU)")
MFU_FACT = fact("deepseek-v3.causal_mfu_bf16")
MFU = Source(
    MFU_FACT.source.id,
    MFU_FACT.source.where,
    note="A cited assumption: DeepSeek publishes no utilisation for distillation. V3's causal MFU counts 6N plus "
    "the lower triangle of attention, as this calculator does. Range 20-43%: 43% is the top of Llama 3's 38-43% "
    "BF16 MFU (llama-3-herd, Table 4); 20% stands for small models at long context, this site's pessimistic floor.",
)
PRICE_FACT = fact("deepseek-r1.price_per_gpu_hour")
PRICE = Source(
    PRICE_FACT.source.id, PRICE_FACT.source.where, note="Range $1.50-$3.50, as on the other cost calculators."
)
STUDENT_STEPS = src(
    'deepseek-r1-arxiv: v1 §4.1 and Table 6, the version read here (RL on Qwen-32B-Base "for over 10K steps", '
    "DeepSeek-R1-Zero-Qwen-32B)"
)
_SPREAD_Q = _spread()
SPREAD_DEFAULT = round(_SPREAD_Q.value, 4)


def _lookup(key: str, symbol: str) -> Q:
    f = fact(key)
    return Q.lookup(f.value, f.unit, symbol, "DeepSeek's published figure")


def _r1_zero_sample_flops(prompt, response) -> Q:
    """One R1-Zero RL sample's FLOPs (rl_flops): DeepSeek-V3's dimensions, absorbed-MLA decoding, recompute."""
    arch = (
        _lookup("deepseek-v3.active_params", "R1-Zero's N"),
        _lookup("deepseek-v3.layers", "R1-Zero's layers"),
        Q.lookup(derived.attention_width("deepseek-v3").value, "", "R1-Zero's W", "DeepSeek-V3's published dimensions"),
        Q.lookup(
            derived.v3_absorbed_attention_flops_per_position().value,
            "FLOP",
            "R1-Zero's decode attention FLOPs",
            "DeepSeek-V3's published dimensions in MLA's absorbed form",
        ),
    )
    one = Q.const(1, "1 sample")
    return rl_flops.step_flops(*arch, one, prompt, response, recompute=True).total()


def distill(samples, avg_tokens_per_sample, epochs, length_spread, packing, context_length, student_params,
            student_layers, student_attention_width, gpu, precision, mfu, price_per_gpu_hour, rl_response_tokens,
            rl_prompt_tokens, r1_zero_steps, student_rl_steps):  # fmt: skip
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
    weighted = (avg_tokens_per_sample * length_spread).named("token-weighted length", "tokens")
    length = weighted if packing == "masked" else context_length.explain("every token attends its whole chunk")
    L, W = student_layers, student_attention_width
    six_n = (6 * student_params).named("6N", "FLOP")

    def share(t: Q) -> Q:  # attention's share of the training FLOPs per token at sequence length t
        attention = (3 * L * W * t).named("attention FLOPs per token", "FLOP")
        return attention / (six_n + attention)

    per_token = flops.causal_flops_per_token(student_params, L, W, length).named("FLOPs per token", "FLOP")
    flop = (per_token * tokens).named("fine-tuning FLOPs", "FLOP")
    gh = (flop / rate).named("fine-tuning GPU-hours", "GPU-hours")
    six_per_token = qsum(
        flops.causal_flops_per_token(
            Q.lookup(params, "parameters", f"{label} N", "its model page"),
            Q.lookup(layers, "layers", f"{label} layers", "its config"),
            Q.lookup(_width(heads), "", f"{label} W", "its config"),
            length,
        )
        for _, label, params, layers, heads, *_ in STUDENTS
    ).named("the six students' FLOPs per token", "FLOP")
    six = (six_per_token * tokens / rate).named("all six students' GPU-hours", "GPU-hours")
    rl_hours = Q.lookup(derived.r1_rl_gpu_hours().value, "GPU-hours", "R1's RL GPU-hours", "DeepSeek-R1's cost table")
    rl_cost = (rl_hours * p).named("R1's RL bill", "USD")
    one = Q.const(1, "1 sample")
    student_rl = rl_flops.step_flops(
        student_params, L, W, 2 * W, one, rl_prompt_tokens, rl_response_tokens, recompute=True
    ).total().named("student's FLOPs per RL sample", "FLOP")  # fmt: skip
    zero_rl = _r1_zero_sample_flops(rl_prompt_tokens, rl_response_tokens).named("R1-Zero's FLOPs per RL sample", "FLOP")
    zero_gh = _lookup("deepseek-r1.r1_zero_gpu_hours", "R1-Zero GPU-hours")
    est = (zero_gh * (student_rl / zero_rl) * (student_rl_steps / r1_zero_steps)).named(
        "student RL GPU-hours", "GPU-hours"
    )
    cost = (gh * p).named("fine-tuning cost", "USD")
    six_cost = (six * p).named("all six students' cost", "USD")
    no_rl = Q.const(0.0).explain("not applicable: R1's RL costs nothing at a zero price")
    student = SIZES.get(student_params.value)
    return {
        "cost_usd": cost,
        "gpu_hours": gh,
        "gpu_hours_6nd": (six_n * tokens / rate).named("6ND GPU-hours", "GPU-hours"),
        "sft_samples": samples.explain("the SFT data table's total" if samples == TABLE5_SAMPLES else "as entered"),
        "student_params_used": student_params.explain(f"the published size of {student}" if student else "as entered"),
        "epochs_used": epochs.explain("as entered"),
        "sft_tokens_per_epoch": per_epoch,
        "training_tokens": tokens,
        "attention_length": length,
        "attention_share": share(length),
        "attention_share_mean_length": share(avg_tokens_per_sample),
        "attention_share_token_weighted": share(weighted),
        "attention_share_packed": share(context_length),
        "training_flops": flop,
        "gpu_days_on_one_node": gh / Q.const(8, "8 GPUs") / Q.const(24, "24 h"),
        "all_six_gpu_hours": six,
        "all_six_cost_usd": six_cost,
        "r1_rl_cost_usd": rl_cost,
        "share_of_r1_rl_cost": cost / rl_cost if rl_cost else no_rl,
        "all_six_share_of_r1_rl_cost": six_cost / rl_cost if rl_cost else no_rl,
        "sft_data_cost_usd": _lookup("deepseek-r1.sft_data_gpu_hours", "SFT data GPU-hours") * p,
        "student_rl_flops_per_sample": student_rl,
        "r1_zero_rl_flops_per_sample": zero_rl,
        "student_rl_gpu_hours_estimate": est,
        "student_rl_cost_usd_estimate": est * p,
        "rl_to_distill_cost_ratio": est / gh if gh else Q.const(0.0).explain("not applicable: no fine-tuning compute"),
    }


def _num(name, label, unit, default, source, lo, hi, symbol, **kw) -> Input:
    return Input(name, label, unit, default, source, min=lo, max=hi, symbol=symbol, **kw)


_, _, P32, L32, H32, SID32, BASE32 = STUDENTS[4]
STUDENT = _card(SID32, P32, L32, H32, BASE32)
INPUTS = (
    Input("samples", "SFT samples", "samples", TABLE5_SAMPLES, TABLE5, type="int", min=0, max=10_000_000_000,
          symbol="samples"),
    _num("avg_tokens_per_sample", "Average tokens per sample", "tokens", 5355.3, TABLE5, 0, 10_000_000,
         "tokens per sample"),
    _num("epochs", "Epochs", "epochs", 2, EPOCHS, 0, 1000, "epochs", step=1, range=(2, 3), range_source=EPOCHS),
    _num("length_spread", "Length spread: token-weighted ÷ mean sample length", "ratio", SPREAD_DEFAULT, SPREAD, 1,
         100, "length spread", step=0.05, help="Attention per token grows with the length of the token's own sample, "
         "so long samples weigh more than the mean suggests."),
    Input("packing", "Packing (not published for distillation)", "", "masked", PACKING, type="choice", choices=(
        ("masked", "each sample attends only to itself (unpacked, or packed with a document mask)"),
        ("unmasked", "packed into full-context chunks with no document mask"))),
    Input("context_length", "Context length (chunk length when packed)", "tokens", 32_768, CONTEXT, type="int",
          min=1, max=10_000_000, symbol="context"),
    _num("student_params", "Student's parameters (N)", "parameters", P32, STUDENT, 1e6, 1e13, "N",
         help="The published size of each distilled model; choose a preset for the others."),
    Input("student_layers", "Student's layers", "layers", L32, STUDENT, type="int", min=1, max=100_000, symbol="L"),
    _num("student_attention_width", "Student's attention width: heads × (query-key + value head dims)",
         "dimensions", _width(H32), STUDENT, 1, 1e7, "W"),
    Input("gpu", "GPU", "", "h800", GPU, type="choice", choices=hardware.gpu_choices()),
    Input("precision", "Peak the MFU is measured against", "", "bf16", PREC, type="choice",
          choices=hardware.PRECISIONS),
    _num("mfu", "Model FLOPs utilisation (6N plus causal attention)", "fraction", MFU_FACT.value, MFU, 0.001, 1,
         "MFU", step=0.01, range=(0.2, 0.43), range_source=MFU),  # MFU's note says where the ends come from
    _num("price_per_gpu_hour", "Rental price", "USD/GPU-hour", PRICE_FACT.value, PRICE, 0, 1_000,
         "price per GPU-hour", step=0.1, range=PRICE_RANGE, range_source=range_source(RENTAL)),
    _num("rl_response_tokens", "Mean RL response length (R1-Zero's, for the RL estimate)", "tokens",
         fact("deepseek-r1.r1_zero_mean_response_tokens"), None, 1, 1_000_000, "response length"),
    _num("rl_prompt_tokens", "Mean RL prompt length (for the RL estimate)", "tokens",
         fact("deepseek-r1.r1_zero_mean_prompt_tokens"), None, 0, 1_000_000, "prompt length"),
    Input("r1_zero_steps", "R1-Zero's RL steps", "steps", fact("deepseek-r1.r1_zero_steps"), type="int", min=1,
          max=10_000_000, symbol="R1-Zero's steps"),
    Input("student_rl_steps", "RL steps on the student (for the estimate)", "steps", 10_000, STUDENT_STEPS,
          type="int", min=0, max=10_000_000, symbol="student RL steps",
          help='DeepSeek ran "over 10K steps" on Qwen2.5-32B-Base.'),
)  # fmt: skip

RL_HELP = (
    "An estimate, not a published figure: R1-Zero's GPU-hours scaled by FLOPs per RL sample and by steps, at "
    "R1-Zero's batch, which assumes the student's run reaches the utilisation R1-Zero's reported hours imply."
)
OUTPUTS = tuple(
    Output(name, label, unit, RL_HELP if name == "student_rl_gpu_hours_estimate" else "")
    for name, label, unit in (
        ("cost_usd", "Fine-tuning cost", "USD"),
        ("gpu_hours", "Fine-tuning GPU-hours", "GPU-hours"),
        ("gpu_hours_6nd", "Fine-tuning GPU-hours counting 6ND only (a lower bound: no attention)", "GPU-hours"),
        ("sft_samples", "SFT samples", "samples"),
        ("student_params_used", "Student's parameters", "parameters"),
        ("epochs_used", "Epochs", "epochs"),
        ("sft_tokens_per_epoch", "Tokens in the SFT set", "tokens"),
        ("training_tokens", "Tokens trained on", "tokens"),
        ("attention_length", "Sequence length attention is counted at", "tokens"),
        ("attention_share", "Attention's share of the fine-tuning FLOPs", "fraction"),
        ("attention_share_mean_length", "Attention's share at the mean sample length", "fraction"),
        ("attention_share_token_weighted", "Attention's share at the token-weighted length", "fraction"),
        ("attention_share_packed", "Attention's share if packed to the context with no document mask", "fraction"),
        ("training_flops", "Fine-tuning compute", "FLOP"),
        ("gpu_days_on_one_node", "Days on one 8-GPU node", "days"),
        ("all_six_gpu_hours", "All six students, GPU-hours", "GPU-hours"),
        ("all_six_cost_usd", "All six students, cost", "USD"),
        ("r1_rl_cost_usd", "R1's RL bill at the same price", "USD"),
        ("share_of_r1_rl_cost", "This student's fine-tuning as a share of R1's RL bill", "fraction"),
        ("all_six_share_of_r1_rl_cost", "All six as a share of R1's RL bill", "fraction"),
        ("sft_data_cost_usd", "What R1 spent generating the SFT data", "USD"),
        ("student_rl_flops_per_sample", "RL FLOPs per sample, the student", "FLOP"),
        ("r1_zero_rl_flops_per_sample", "RL FLOPs per sample, R1-Zero (absorbed-MLA decoding)", "FLOP"),
        ("student_rl_gpu_hours_estimate", "RL on the student instead, estimate at R1-Zero's utilisation", "GPU-hours"),
        ("student_rl_cost_usd_estimate", "RL on the student instead, estimated cost", "USD"),
        ("rl_to_distill_cost_ratio", "RL estimate ÷ fine-tuning", "ratio"),
    )
)  # fmt: skip

CALCULATOR = Calculator(
    name="distill",
    title="Distilling R1 into small models",
    summary="What supervised fine-tuning of the six DeepSeek-R1-Distill models on the samples R1 produced costs: FLOPs "
    "with attention at the samples' lengths, GPU-hours and dollars, set beside R1's RL bill and an estimate of RL on "
    "the student itself.",
    inputs=INPUTS,
    outputs=OUTPUTS,
    function=distill,
    headline="cost_usd",
    key_inputs=("samples", "avg_tokens_per_sample", "epochs", "student_params", "mfu", "price_per_gpu_hour"),
    key_outputs=("cost_usd", "gpu_hours", "share_of_r1_rl_cost"),
    charts=(Chart("tornado", "What moves the cost most", output="cost_usd"),),
    presets=tuple(
        Preset(
            name,
            label,
            {"student_params": params, "student_layers": layers, "student_attention_width": _width(heads)},
            _card(sid, params, layers, heads, base),
        )
        for name, label, params, layers, heads, sid, base in STUDENTS
    ),
    notes='Covers the fine-tuning only: generating the 800K samples is part of R1\'s own bill ("SFT data creation", '
    "5K GPU-hours), and the students' pre-training was paid by Alibaba and Meta. N is each student's published size, "
    "which counts the input embedding (a lookup), so 6N slightly overstates the small models' weights and "
    "understates attention's share. Padding and evaluation are not counted.",
)
