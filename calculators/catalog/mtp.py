"""mtp: DeepSeek-V3's multi-token prediction, what it costs in training and what it buys at inference.

DeepSeek-V3 (arXiv 2412.19437) §2.2: D sequential MTP modules, each "one Transformer block" plus a projection
matrix, sharing the main model's embedding and output head; §4.2: "The multi-token prediction depth D is set to 1";
the modules can be discarded at inference or used for speculative decoding. §5.4.3: "the acceptance rate of the
second token prediction ranges between 85% and 90% ... enables DeepSeek-V3 to achieve a significantly improved
decoding speed, delivering 1.8 times TPS (Tokens Per Second)". Insights into DeepSeek-V3 (ISCA 2025) §2.3.3: "an
acceptance rate of 80% to 90% for predicting the second subsequent token, which increases the generation TPS by 1.8x";
"Although slightly hurting the throughput, this approach significantly improves the end-to-end generation latency."
README_WEIGHTS.md: the MTP module has "11.5B unique parameters, excluding the shared 0.9B Embedding and 0.9B output
Head", "Activation parameters: 2.4B (including the shared 0.9B Embedding and 0.9B output Head)".

The module's weights are counted from V3's config.json once, in models/derived.py, in the params calculator's
convention (tests/test_mtp.py checks that the two counts agree): its own activated weights are its unique weights less
the routed experts a token does not use.

Training: each module runs its block and the shared output head once per token, 6 FLOPs per activated weight
(Kaplan et al. 2020), next to the main model's 6 × activated parameters.
Inference: with draft acceptance p, a step yields 1 + p + ... + p^D tokens (Leviathan et al. 2023, for D drafts
accepted in order). A step costs 1 + D × overhead when decoding is bound by reading weights (the main model checks
the extra positions almost for free), or 1 + D + D × overhead when it is bound by arithmetic (every checked position
is a full forward pass). The default overhead is the module's activated weights (block + head) as a share of the
main model's, which is what a memory-bound step reads.
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Q, Source, qsum, src
from ..models.derived import (
    v3_active_params_counted,
    v3_embedding_params,
    v3_mtp_active_params,
    v3_mtp_decode_overhead,
    v3_mtp_params,
    v3_output_head_params,
    v3_pretraining_cost,
)

DEPTH = src('deepseek-v3: §4.2 ("The multi-token prediction depth D is set to 1") and §2.2 (D sequential modules)')
ACCEPT = Source(
    "deepseek-v3",
    '§5.4.3 ("the acceptance rate of the second token prediction ranges between 85% and 90%")',
    note="Default: the middle of 85-90%.",
)
ACCEPT_RANGE = src(
    'deepseek-v3-insights: §2.3.3 (the acceptance rate of the second token "80% to 90%"; the V3 report\'s '
    "§5.4.3 gives 85% to 90%)"
)


def _count(f, symbol: str) -> Q:
    """One of V3's counted weights (models/derived.py), as a quantity."""
    return Q.lookup(f.value, f.unit, symbol, "counted from DeepSeek-V3's config.json")


def mtp(depth, acceptance_rate, decode_overhead, mtp_module_active_params, output_head_params, main_active_params,
        pretrain_cost_usd):  # fmt: skip
    d, p, o = depth, acceptance_rate, decode_overhead
    extra = (6 * d * (mtp_module_active_params + output_head_params)).named("MTP FLOPs per token", "FLOP")
    main = (6 * main_active_params).named("main FLOPs per token", "FLOP")
    share = (extra / (main + extra)).named("MTP share of FLOPs", "fraction")
    # 1 + p + p^2 + ... + p^D tokens per step; the first term keeps p's type (p^0), as the sum always did.
    drafts = [Q.const(p.value**0, "1")] + [p if k == 1 else p**k for k in range(1, int(d) + 1)]
    tokens = qsum(drafts).named("tokens per step", "tokens")
    if not d:
        tokens = tokens.explain("no draft: the verified token only")
    step_mem = (1 + d * o).named("step time", "")
    step_compute = 1 + d + d * o
    with_shared = (
        d * mtp_module_active_params + output_head_params + _count(v3_embedding_params(), "shared embedding")
        if d
        else Q.const(0).explain("no MTP module")
    )
    return {
        "tps_speedup": tokens / step_mem,
        "tokens_per_step": tokens,
        "decode_step_time": step_mem,
        "mtp_training_flops_share": share,
        "mtp_training_flops_overhead": extra / main,
        "mtp_flops_per_token": extra,
        "main_flops_per_token": main,
        "mtp_training_cost_usd": share * pretrain_cost_usd,
        "serving_cost_change_latency_bound": step_mem / tokens - 1,
        "serving_cost_change_throughput_bound": step_compute / tokens - 1,
        "mtp_unique_params": d * _count(v3_mtp_params(), "MTP module's own weights"),
        "mtp_active_params_with_shared": with_shared,
    }


P = "parameters"

CALCULATOR = Calculator(
    name="mtp",
    title="Multi-token prediction",
    summary="DeepSeek-V3's MTP module: its share of the training FLOPs (its weights counted from V3's "
    "config.json, as the params calculator counts them) and the decoding speed-up it buys as a speculative-decoding "
    "draft (V3: 85-90% acceptance, 1.8× tokens per second), with what it does to the serving cost per token.",
    inputs=(
        Input("depth", "MTP modules (prediction depth D)", "modules", 1, DEPTH, type="int", min=0, max=16, symbol="D"),
        Input(
            "acceptance_rate",
            "Acceptance rate of each drafted token",
            "fraction",
            0.875,
            ACCEPT,
            min=0,
            max=1,
            step=0.01,
            range=(0.80, 0.90),
            range_source=ACCEPT_RANGE,
            symbol="acceptance rate",
        ),
        Input(
            "decode_overhead",
            "Extra step time per module",
            "fraction",
            v3_mtp_decode_overhead(),
            min=0,
            max=10,
            step=0.01,
            symbol="step overhead",
        ),
        Input(
            "mtp_module_active_params",
            "Activated weights of one module's own block",
            P,
            v3_mtp_active_params(),
            min=0,
            max=1e13,
            symbol="module block",
        ),
        Input(
            "output_head_params",
            "Shared output head",
            P,
            v3_output_head_params(),
            min=0,
            max=1e13,
            symbol="output head",
            help="Each module predicts through the main model's head, so its matrix multiply counts again.",
        ),
        Input(
            "main_active_params",
            "Main model's activated weights per token",
            P,
            v3_active_params_counted(),
            min=1e6,
            max=1e15,
            symbol="main model's weights",
            help="Counted from config.json with the output head and without the embedding lookup (the abstract's "
            "37B rounds it).",
        ),
        Input(
            "pretrain_cost_usd",
            "Pre-training bill to share out",
            "USD",
            v3_pretraining_cost(),
            min=0,
            max=1e13,
            symbol="pre-training bill",
        ),
    ),
    outputs=(
        Output("tps_speedup", "Decoding speed-up (tokens per second)", "ratio", help='V3 §5.4.3: "1.8 times TPS".'),
        Output("tokens_per_step", "Tokens per decoding step", "tokens"),
        Output("decode_step_time", "Step time with the modules (no MTP = 1)", "ratio"),
        Output("mtp_training_flops_share", "MTP share of training FLOPs", "fraction"),
        Output("mtp_training_flops_overhead", "Extra training FLOPs over the main model", "fraction"),
        Output("mtp_flops_per_token", "MTP training FLOPs per token", "FLOP"),
        Output("main_flops_per_token", "Main model's training FLOPs per token", "FLOP"),
        Output(
            "mtp_training_cost_usd",
            "MTP's part of the pre-training bill",
            "USD",
            help="Assumes the module's FLOPs ran as efficiently as the rest.",
        ),
        Output(
            "serving_cost_change_latency_bound",
            "Cost per token, decoding bound by memory",
            "fraction",
            help="Negative: cheaper. Small batches, where reading weights dominates.",
        ),
        Output(
            "serving_cost_change_throughput_bound",
            "Cost per token, decoding bound by arithmetic",
            "fraction",
            help="Large batches: every checked position costs a full pass, so rejected drafts are waste.",
        ),
        Output(
            "mtp_unique_params",
            "MTP weights (unique, without the shared embedding and head)",
            P,
            help="README_WEIGHTS: 11.5B.",
        ),
        Output(
            "mtp_active_params_with_shared",
            "MTP activated weights with the shared embedding and head",
            P,
            help="README_WEIGHTS: 2.4B.",
        ),
    ),
    function=mtp,
    headline="tps_speedup",
    key_inputs=("depth", "acceptance_rate", "decode_overhead"),
    key_outputs=("tps_speedup", "tokens_per_step", "mtp_training_flops_share"),
    presets=(
        Preset(
            "v3", "DeepSeek-V3 as published (D = 1, 85-90% acceptance)", {"depth": 1, "acceptance_rate": 0.875}, ACCEPT
        ),
        Preset(
            "insights-low",
            "The low end of Insights' 80-90%",
            {"acceptance_rate": 0.8},
            src('deepseek-v3-insights: §2.3.3 ("an acceptance rate of 80% to 90%")'),
        ),
        Preset("no-mtp", "Without MTP (D = 0)", {"depth": 0}, DEPTH),
    ),
    notes="Training FLOPs count 6 per activated weight and leave out attention scores (one more layer's worth for "
    "each module). The speed-up assumes the draft costs only the module's own pass; DeepSeek reports the "
    "result (1.8×), not the overhead.",
)
