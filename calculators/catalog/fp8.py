"""fp8: what DeepSeek-V3's FP8 mixed-precision recipe bought, in training time and in memory, kept apart.

DeepSeek-V3 Technical Report §3.3 (arXiv 2412.19437):
- §3.3.1: "all three GEMMs associated with the Linear operator, namely Fprop (forward pass), Dgrad (activation backward
  pass), and Wgrad (weight backward pass), are executed in FP8. This design theoretically doubles the computational
  speed compared with the original BF16 method." The embedding module, output head, MoE gating modules,
  normalization operators and attention operators keep their original precision (BF16 or FP32).
- §3.3.2: E4M3 on all tensors, scaled per 1×128 activation tile and per 128×128 weight block.
- §3.3.1 and §3.3.3: AdamW's first and second moments in BF16; master weights and gradients "still retained in FP32";
  activations cached in FP8 for the backward pass of the Linear operator (E5M6 for the inputs of the Linear after
  attention).

Time (models/step_time.py): Amdahl's law on the share of the step TIME the FP8 GEMMs take, not on their share of
the FLOPs. The share is the FP8 GEMM work per GPU-second (the measured 272.80B tokens a day on 2,048 H800s, Insights
Table 4, × 208.8 GFLOP of FP8 GEMMs per token) ÷ the speed the GEMMs ran at, measured in DeepSeek's published
training profile (deepseek-ai/profile-data). All in BF16, those GEMMs take r times as long (r = the FP8 ÷ BF16
peak, 2 on the H800, if each precision reaches the same share of its own peak) and FP8's own casts and transposes,
also timed in the profile, disappear: all-BF16 time ÷ FP8 time = 1 + s × (r − 1) − c. The band's low end puts the
GEMMs at DeepGEMM's best published speed; its high end leaves the casts' saving out. Amdahl on the FLOP share at one
utilisation for both precisions, 1 / ((1 − f) + f × BF16 peak / FP8 peak), is kept as the ceiling it is: it would
have the FP8 GEMMs fill about 72% of the time, where the profile shows about 42%.

Memory: bytes of model state per parameter under DeepSeek's recipe against ZeRO's 16 bytes for mixed-precision Adam
(Rajbhandari et al. 2020, §3.1), and bytes per cached activation element.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, InputError, Output, Preset, fmt, src
from ..models import derived, hardware, profile, step_time
from ..models.facts import RENTAL, fact, range_source


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
DEEPGEMM = fact("deepseek-kernels.deepgemm_fp8_flops")
PROFILE_SPEED = profile.v3_profile_fp8_gemm_speed()

# FlashAttention-3 (Shah et al. 2024, abstract), on H100: "FP16 reaching up to 740 TFLOPs/s (75% utilization), and
# with FP8 reaching close to 1.2 PFLOPs/s". As shares of the H100's dense peaks (989.4 and 1,978.9 TFLOP/s, the
# H800's), the 16-bit kernel reached 1.23 times the share of its peak that the FP8 one did.
FA3_EFFICIENCY_RATIO = (740e12 / hardware.peak_flops("h100", "bf16")) / (1.2e15 / hardware.peak_flops("h100", "fp8"))

V3_FP8 = src(
    "deepseek-v3: §3.3.1 Mixed Precision Framework (Fprop, Dgrad and Wgrad of every Linear in FP8 E4M3; "
    "embedding, output head, MoE gating, normalization and attention kept in BF16/FP32)"
)
V3_STORE = src(
    'deepseek-v3: §3.3.3 Low-Precision Storage: "BF16 ... to track the first and second moments in the '
    'AdamW ... optimizer"; §3.3.1: "master weights ... and gradients ... are still retained in FP32"'
)
V3_TABLE1 = src("deepseek-v3: Table 1, pre-training 2,664K H800 GPU-hours at $2 per GPU-hour = $5.328M")
PEAK_RATIO = src(
    'deepseek-v3: §3.3.1 (FP8 GEMMs: "This design theoretically doubles the computational speed compared with the '
    'original BF16 method"; the FP8 dense peak is twice the BF16 one, so at the same share of each peak a BF16 GEMM '
    "takes twice as long)"
)
FA3 = src(
    'shah2024-flashattention3: abstract ("FP16 reaching up to 740 TFLOPs/s (75% utilization), and with FP8 '
    "reaching close to 1.2 PFLOPs/s\" on H100): the 16-bit kernel at 1.23 times the FP8 kernel's share of its peak"
)
FP8_SHARE_RANGE = src(
    "deepseek-v3-insights: §5.1.2 (attention counted causally or non-causally): the FP8 GEMM FLOPs over a "
    "non-causal count of V3's FLOPs per token at the low end, over 6N alone (no attention) at the high end"
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


def fp8(gpu, tokens_per_day, cluster_gpus, fp8_flops_per_token, fp8_gemm_speed, fastest_gemm_speed, cast_share,
        bf16_efficiency, fp8_share, reported_gpu_hours, price_per_gpu_hour, total_params, ds_master_bytes,
        ds_grad_bytes, ds_moment_bytes, ds_weight_bytes, zero_weight_bytes, zero_grad_bytes, zero_optimizer_bytes,
        act_fp8_bytes, act_bf16_bytes):  # fmt: skip
    p16 = hardware.peak(gpu, "bf16", field="gpu")
    p8 = hardware.peak(gpu, "fp8", field="gpu")  # InputError naming --gpu for a GPU without FP8 (A100)
    rate = step_time.tokens_per_gpu_second(tokens_per_day, cluster_gpus)
    s = _share(rate, fp8_flops_per_token, fp8_gemm_speed, cast_share, "fp8_gemm_speed", "FP8 GEMMs' share of the time")
    s_fast = _share(rate, fp8_flops_per_token, fastest_gemm_speed, cast_share, "fastest_gemm_speed",
                    "FP8 GEMMs' share at the fastest speed")  # fmt: skip
    r = (p8 / p16 / bf16_efficiency).named("BF16 ÷ FP8 GEMM time", "ratio")
    speedup = step_time.bf16_time_ratio(s, r, cast_share).named("speed-up", "ratio")
    low = step_time.bf16_time_ratio(s_fast, r, cast_share).named("speed-up at the fastest kernels", "ratio")
    high = (1 + s * (r - 1)).named("speed-up without the casts' saving", "ratio")
    ceiling = step_time.amdahl_flops_ceiling(fp8_share, p16, p8).named("ceiling", "ratio")

    hours, p = reported_gpu_hours, price_per_gpu_hour
    bf16_hours = (hours * speedup).named("reported run in BF16", "GPU-hours")
    ceiling_cost = (hours * ceiling * p).named("ceiling cost", "USD")
    ds_b = (ds_master_bytes + ds_grad_bytes + 2 * ds_moment_bytes + ds_weight_bytes).named(
        "DeepSeek's bytes per parameter", "bytes"
    )
    zero_b = (zero_weight_bytes + zero_grad_bytes + zero_optimizer_bytes).named("ZeRO's bytes per parameter", "bytes")
    return {
        "tokens_per_gpu_second": rate,
        "fp8_gemm_work_per_gpu_second": rate * fp8_flops_per_token,
        "fp8_time_share": s,
        "fp8_time_share_fastest": s_fast,
        "bf16_gemm_time_ratio": r,
        "speedup": speedup,
        "speedup_fastest_kernels": low,
        "speedup_without_cast_saving": high,
        "speedup_flops_ceiling": ceiling,
        "ceiling_fp8_time_share": fp8_share * p16 / p8 * ceiling,
        "reported_cost_usd": hours * p,
        "reported_bf16_gpu_hours": bf16_hours,
        "reported_bf16_cost_usd": bf16_hours * p,
        "reported_saving_usd": (bf16_hours - hours) * p,
        "reported_bf16_cost_low_usd": hours * low * p,
        "reported_bf16_cost_high_usd": hours * high * p,
        "reported_bf16_cost_ceiling_usd": ceiling_cost,
        "reported_saving_ceiling_usd": ceiling_cost - hours * p,
        "ds_bytes_per_param": ds_b,
        "zero_bytes_per_param": zero_b,
        "ds_model_state_bytes": ds_b * total_params,
        "zero_model_state_bytes": zero_b * total_params,
        "model_state_saving_fraction": 1 - ds_b / zero_b,
        "activation_bytes_ratio": act_fp8_bytes / act_bf16_bytes,
    }


def _share(rate, flops_per_token, speed, cast_share, field, symbol):
    """The GEMMs' share of the time; an InputError naming `field` if GEMMs and casts would outlast the step."""
    s = step_time.gemm_time_share(rate, flops_per_token, speed).named(symbol, "fraction")
    if s.value + cast_share.value > 1:
        raise InputError(
            field,
            f"is too slow for the measured throughput: the FP8 GEMMs and casts would take "
            f"{fmt(s.value + cast_share.value, 'fraction')} of the time; raise the speed or lower the casts' share",
        )
    return s


def _bytes(name, label, default, source, symbol, lo=0, hi=16, **kw) -> Input:
    return Input(name, label, "bytes", default, source, min=lo, max=hi, symbol=symbol, **kw)


CALCULATOR = Calculator(
    name="fp8",
    title="DeepSeek-V3's FP8 training",
    summary="What FP8 mixed precision bought: the training time it saved, from the share of the step time the FP8 "
    "matrix multiplies took at their measured speed (with a band, and Amdahl's law on FLOPs as the ceiling), "
    "and the memory it saved, per parameter and per cached activation; kept apart.",
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
            "tokens_per_day",
            "Measured throughput of the cluster, per day",
            "tokens",
            V3("tokens_per_day"),
            min=1,
            max=1e16,
            symbol="tokens per day",
            help="Insights Table 4: 272.80B tokens a day on 2,048 H800s (15,360 sequences of 4K per 19.926 s step).",
        ),
        Input("cluster_gpus", "GPUs in the cluster", "GPUs", V3("cluster_gpus"), type="int", min=1, max=10_000_000),
        Input(
            "fp8_flops_per_token",
            "FP8 GEMM work per training token",
            "FLOP",
            derived.v3_fp8_gemm_flops_per_token(),
            min=1e6,
            max=1e15,
            symbol="FP8 GEMM FLOP per token",
            help="6 FLOPs per weight of every Linear but the output head and the MoE gating (derived; the source "
            "shows how): 208.8 GFLOP, 84% of DeepSeek's ~250 GFLOP per token.",
        ),
        Input(
            "fp8_gemm_speed",
            "FP8 GEMM speed while running (best estimate)",
            "FLOP/s",
            PROFILE_SPEED,
            min=1e12,
            max=1e16,
            range=(PROFILE_SPEED.value, DEEPGEMM.value),
            range_source=DEEPGEMM.source,  # up to DeepGEMM's benchmark
            symbol="FP8 GEMM speed",
            help="Measured in DeepSeek's training profile: the FP8 GEMMs' FLOPs ÷ their kernels' time, on the SMs "
            "left beside the communication kernels. The range runs up to DeepGEMM's benchmark.",
        ),
        Input(
            "fastest_gemm_speed",
            "FP8 GEMM speed, fastest published (band's low end)",
            "FLOP/s",
            DEEPGEMM,
            min=1e12,
            max=1e16,
            symbol="fastest FP8 GEMM speed",
            help="DeepGEMM's headline, measured on inference shapes with all 132 SMs: an upper bound on the speed "
            "in training, so a lower bound on the GEMMs' share of the time.",
        ),
        Input(
            "cast_share",
            "Share of the time in FP8 casts and transposes",
            "fraction",
            profile.v3_profile_cast_share(),
            min=0,
            max=1,
            step=0.01,
            symbol="casts' share",
            help="FP8's own overhead, timed in the training profile and scaled to the measured throughput: work a "
            "BF16 run would not do.",
        ),
        Input(
            "bf16_efficiency",
            "BF16 GEMMs' share of their peak ÷ FP8 GEMMs' share of theirs",
            "ratio",
            1.0,
            PEAK_RATIO,
            min=0.25,
            max=4,
            range=(1.0, round(FA3_EFFICIENCY_RATIO, 2)),
            range_source=FA3,
            step=0.01,
            symbol="BF16 efficiency ratio",
            help="1: each precision reaches the same share of its own peak, so BF16 GEMMs take twice as long. Above "
            "1: BF16 kernels run closer to their peak, as FlashAttention-3's did (1.23), and FP8 saves less.",
        ),
        Input(
            "fp8_share",
            "Share of the FLOPs in FP8 GEMMs (for the ceiling)",
            "fraction",
            derived.v3_fp8_share(),
            min=0,
            max=1,
            range=(0.74, 0.94),
            range_source=FP8_SHARE_RANGE,
            step=0.01,
            symbol="FP8 FLOP share",
            help="The FP8 GEMM FLOPs as a share of DeepSeek's ~250 GFLOP per token (derived). The range runs from "
            "counting attention non-causally (283 GFLOP per token: 0.74) to ignoring attention (0.94). The Linear "
            "weights start from README_WEIGHTS' 36.7B as it states it, including the 0.9B embedding and the 0.9B "
            "head; this site's own count of V3's activated weights, without the embedding lookup, is 36.63B (params "
            "calculator), so the two counts differ by about one embedding table.",
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
            range_source=range_source(RENTAL),
            step=0.1,
            symbol="price per GPU-hour",
            help="DeepSeek's assumption; H100 rentals ran from under $2 (Latent Space, Oct 2024) to about $3.5.",
        ),
        Input("total_params", "Total parameters", "parameters", V3("total_params"), min=1, max=1e14),
        _bytes("ds_master_bytes", "DeepSeek: master weights (FP32)", 4, V3_STORE, "FP32 master weight"),
        _bytes("ds_grad_bytes", "DeepSeek: gradients (FP32)", 4, V3_STORE, "FP32 gradient"),
        _bytes("ds_moment_bytes", "DeepSeek: each AdamW moment (BF16)", 2, V3_STORE, "BF16 moment"),
        _bytes(
            "ds_weight_bytes",
            "DeepSeek: persistent low-precision weight copy",
            0,
            V3_FP8,
            "weight copy",
            help="§3.3 names no stored BF16 copy: weights are quantised to FP8 online, per 128×128 block, "
            "for each GEMM. Set 1 (FP8) or 2 (BF16) if a framework keeps one.",
        ),
        _bytes("zero_weight_bytes", "ZeRO baseline: fp16/bf16 weights", 2, ZERO, "16-bit weight"),
        _bytes("zero_grad_bytes", "ZeRO baseline: fp16/bf16 gradients", 2, ZERO, "16-bit gradient"),
        _bytes(
            "zero_optimizer_bytes",
            "ZeRO baseline: optimizer states K (fp32 copy, momentum, variance)",
            12,
            ZERO,
            "K",
            lo=0.001,
            hi=64,
        ),
        _bytes(
            "act_fp8_bytes",
            "Cached activation element, FP8",
            1,
            FP8_FORMAT,
            "FP8 activation",
            hi=8,
            help="E4M3 is 1 byte (scales per 1×128 tile add 4 bytes per 128 elements). The inputs of the Linear "
            "after attention use E5M6 (12 bits) instead.",
        ),
        _bytes("act_bf16_bytes", "Cached activation element, BF16", 2, BF16_BYTES, "BF16 activation", lo=0.125, hi=8),
    ),
    outputs=(
        Output("tokens_per_gpu_second", "Measured throughput per GPU", "tokens/s"),
        Output("fp8_gemm_work_per_gpu_second", "FP8 GEMM work per GPU-second", "FLOP/s"),
        Output(
            "fp8_time_share",
            "Share of the step time in FP8 GEMMs (best estimate)",
            "fraction",
            help="The FP8 GEMM work per GPU-second ÷ the GEMMs' measured speed.",
        ),
        Output("fp8_time_share_fastest", "Share of the time in FP8 GEMMs at the fastest published speed", "fraction"),
        Output("bf16_gemm_time_ratio", "Time of the same GEMMs in BF16 ÷ in FP8", "ratio"),
        Output(
            "speedup",
            "All-BF16 time ÷ FP8 time (best estimate)",
            "ratio",
            help="Amdahl's law on the share of the time: the FP8 GEMMs take longer in BF16, FP8's casts disappear, "
            "everything else is unchanged.",
        ),
        Output(
            "speedup_fastest_kernels",
            "Band's low end: FP8 GEMMs at the fastest published speed",
            "ratio",
            help="The smallest share of the time the measured throughput allows the FP8 GEMMs.",
        ),
        Output(
            "speedup_without_cast_saving",
            "Band's high end: FP8's casts and transposes not counted as saved",
            "ratio",
        ),
        Output(
            "speedup_flops_ceiling",
            "Ceiling: every FP8 GEMM at the same utilisation as the rest (Amdahl on FLOPs)",
            "ratio",
            help="A bound, not an estimate: it treats the FLOP share as the time share, which the measured speeds "
            "contradict.",
        ),
        Output("ceiling_fp8_time_share", "Share of the time in FP8 GEMMs that the ceiling assumes", "fraction"),
        Output("reported_cost_usd", "Reported pre-training cost", "USD"),
        Output("reported_bf16_gpu_hours", "Reported run, all in BF16 (best estimate)", "GPU-hours"),
        Output("reported_bf16_cost_usd", "Reported run, all in BF16: cost (best estimate)", "USD"),
        Output("reported_saving_usd", "Saved by FP8 on the reported run (best estimate)", "USD"),
        Output("reported_bf16_cost_low_usd", "Reported run, all in BF16: cost at the band's low end", "USD"),
        Output("reported_bf16_cost_high_usd", "Reported run, all in BF16: cost at the band's high end", "USD"),
        Output("reported_bf16_cost_ceiling_usd", "Reported run, all in BF16: cost at the ceiling", "USD"),
        Output("reported_saving_ceiling_usd", "Saved by FP8 at the ceiling", "USD"),
        Output("ds_bytes_per_param", "Model state per parameter, DeepSeek's recipe", "bytes"),
        Output("zero_bytes_per_param", "Model state per parameter, mixed-precision Adam (ZeRO)", "bytes"),
        Output("ds_model_state_bytes", "Model state, DeepSeek's recipe (all parameters, before sharding)", "bytes"),
        Output("zero_model_state_bytes", "Model state, mixed-precision Adam (before sharding)", "bytes"),
        Output("model_state_saving_fraction", "Model-state memory saved", "fraction"),
        Output("activation_bytes_ratio", "Cached activation bytes, FP8 ÷ BF16", "ratio"),
    ),
    function=fp8,
    headline="reported_bf16_cost_usd",
    key_inputs=("fp8_gemm_speed", "bf16_efficiency", "cast_share", "fp8_share", "price_per_gpu_hour"),
    key_outputs=("reported_bf16_cost_usd", "reported_saving_usd", "speedup"),
    charts=(Chart("tornado", "What moves the all-BF16 cost most", output="reported_bf16_cost_usd"),),
    presets=(
        Preset(
            "deepgemm-speed",
            "FP8 GEMMs at DeepGEMM's benchmark speed",
            {"fp8_gemm_speed": DEEPGEMM.value},
            DEEPGEMM.source,
        ),
        Preset(
            "efficient-bf16",
            "BF16 kernels as much closer to their peak as FlashAttention-3's",
            {"bf16_efficiency": round(FA3_EFFICIENCY_RATIO, 2)},
            FA3,
        ),
    ),
    notes="Time and memory are separate effects. The time saved is Amdahl's law on the share of the step TIME "
    "the FP8 GEMMs took at their measured speed (DeepSeek's training profile), with FP8's own casts counted as "
    "saved; attention, norms, pipeline bubbles and the optimizer take as long either way. The ceiling applies "
    "Amdahl's law to the share of the FLOPs instead, as if every kernel ran at one utilisation. Dispatching "
    "tokens in BF16 instead of FP8 would also move a third more bytes over InfiniBand, hidden or not. "
    "Model-state bytes are before sharding across ZeRO-1 data-parallel, pipeline and expert-parallel ranks.",
)
