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

The module's weights come from the params calculator (counted from V3's config.json), not from a second count here:
its own activated weights are its unique weights less the routed experts a token does not use.

Training: each module runs its block and the shared output head once per token, 6 FLOPs per activated weight
(Kaplan et al. 2020), next to the main model's 6 × activated parameters.
Inference: with draft acceptance p, a step yields 1 + p + ... + p^D tokens (Leviathan et al. 2023, for D drafts
accepted in order). A step costs 1 + D × overhead when decoding is bound by reading weights (the main model checks
the extra positions almost for free), or 1 + D + D × overhead when it is bound by arithmetic (every checked position
is a full forward pass). The default overhead is the module's activated weights (block + head) as a share of the
main model's, which is what a memory-bound step reads.
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Source, Value, n, src
from . import params as _params
from . import training_cost as _training_cost

# The V3 count, once, from the params calculator and the config it ships with.
_V3_CONFIG = _params.MODELS["deepseek-v3"]["config"]
_V3 = _params.CALCULATOR.run({"config": _V3_CONFIG})
_MOE_LAYERS = _V3_CONFIG["num_hidden_layers"] - _V3_CONFIG["first_k_dense_replace"]
_EXPERT = _V3["routed_expert_params"] / (_MOE_LAYERS * _V3_CONFIG["n_routed_experts"])
_UNCHOSEN = (_V3_CONFIG["n_routed_experts"] - _V3_CONFIG["num_experts_per_tok"]) * _EXPERT

MTP_UNIQUE = int(_V3["mtp_params"])  # one module's own weights (eh_proj, norms, one MoE block)
MTP_OWN_ACTIVE = int(round(MTP_UNIQUE - _UNCHOSEN))  # ... less the 248 routed experts a token skips
HEAD = int(_V3["output_head_params"])
EMBED = int(_V3["embedding_params"])
MAIN_ACTIVE = int(_V3["active_params"])  # params' convention: includes the output head, not the embedding lookup
OVERHEAD = round((MTP_OWN_ACTIVE + HEAD) / MAIN_ACTIVE, 4)
PRETRAIN_COST = _training_cost.CALCULATOR.run()["pretrain_cost_usd"]

COUNT = src(
    "deepseek-v3-config: config.json, counted by the params calculator (mtp_params, output_head_params, "
    "active_params); the module's activated weights are its unique weights less the 248 routed experts a "
    "token does not use"
)
DEPTH = src('deepseek-v3: §4.2 ("The multi-token prediction depth D is set to 1") and §2.2 (D sequential modules)')
ACCEPT = Source(
    "deepseek-v3",
    '§5.4.3 ("the acceptance rate of the second token prediction ranges between 85% and 90%")',
    note='Default: the middle of 85-90%. Range 80-90%: Insights §2.3.3 reports "80% to 90%".',
)
OVER = Source(
    "deepseek-v3-weights",
    "§2 MTP Modules (one transformer block plus projection, sharing the embedding "
    "and head); share derived here from the params calculator's counts",
    note="The extra time a decoding step takes with the module, as a share of a step without it: the "
    "module's activated weights (block + shared head) ÷ the main model's. Assumes the step is bound "
    "by reading weights. DeepSeek gives no figure; with it, 85-90% acceptance gives V3 §5.4.3's 1.8×.",
)
PRE = src("deepseek-v3: Table 1 (pre-training 2,664K H800 GPU-hours = $5.328M at $2 per GPU-hour)")
MAIN = src(
    "deepseek-v3-config: config.json, counted by the params calculator (active_params: 36.6B with the output "
    "head, without the embedding lookup; the abstract rounds to 37B)"
)


def mtp(
    depth,
    acceptance_rate,
    decode_overhead,
    mtp_module_active_params,
    output_head_params,
    main_active_params,
    pretrain_cost_usd,
):
    d, p, o = depth, acceptance_rate, decode_overhead
    per_module = mtp_module_active_params + output_head_params
    extra = 6 * d * per_module
    main = 6 * main_active_params
    share = extra / (main + extra)
    tokens = sum(p**k for k in range(d + 1))
    step_mem = 1 + d * o
    step_compute = 1 + d + d * o
    speedup = tokens / step_mem
    terms = " + ".join(["1"] + [f"{n(p)}" + (f"^{k}" if k > 1 else "") for k in range(1, d + 1)])
    return {
        "tps_speedup": Value(speedup, f"{n(round(tokens, 6))} tokens per step ÷ {n(round(step_mem, 6))} step time"),
        "tokens_per_step": Value(tokens, terms),
        "decode_step_time": Value(step_mem, f"1 + {n(d)} × {n(o)}"),
        "mtp_training_flops_share": Value(share, f"{n(extra)} ÷ ({n(main)} + {n(extra)}) FLOP per token"),
        "mtp_training_flops_overhead": Value(extra / main, f"{n(extra)} ÷ {n(main)} FLOP per token"),
        "mtp_flops_per_token": Value(
            extra, f"6 × {n(d)} × ({n(mtp_module_active_params)} block + {n(output_head_params)} head)"
        ),
        "main_flops_per_token": Value(main, f"6 × {n(main_active_params)}"),
        "mtp_training_cost_usd": Value(share * pretrain_cost_usd, f"{n(round(share, 5))} × ${n(pretrain_cost_usd)}"),
        "serving_cost_change_latency_bound": Value(
            step_mem / tokens - 1, f"{n(round(step_mem, 6))} ÷ {n(round(tokens, 6))} − 1"
        ),
        "serving_cost_change_throughput_bound": Value(
            step_compute / tokens - 1, f"(1 + {n(d)} + {n(d)} × {n(o)}) ÷ {n(round(tokens, 6))} − 1"
        ),
        "mtp_unique_params": Value(d * MTP_UNIQUE, f"{n(d)} × {n(MTP_UNIQUE)} (params calculator)"),
        "mtp_active_params_with_shared": Value(
            d * mtp_module_active_params + output_head_params + EMBED if d else 0,
            f"{n(d)} × {n(mtp_module_active_params)} + {n(output_head_params)} head + {n(EMBED)} embedding"
            if d
            else "no MTP module",
        ),
    }


P = "parameters"

CALCULATOR = Calculator(
    name="mtp",
    title="Multi-token prediction",
    summary="DeepSeek-V3's MTP module: its share of the training FLOPs (from the params calculator's count of the "
    "module) and the decoding speed-up it buys as a speculative-decoding draft (V3: 85-90% acceptance, 1.8× "
    "tokens per second), with what it does to the serving cost per token.",
    inputs=(
        Input("depth", "MTP modules (prediction depth D)", "modules", 1, DEPTH, type="int", min=0, max=16),
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
        ),
        Input("decode_overhead", "Extra step time per module", "fraction", OVERHEAD, OVER, min=0, max=10, step=0.01),
        Input(
            "mtp_module_active_params",
            "Activated weights of one module's own block",
            P,
            MTP_OWN_ACTIVE,
            COUNT,
            min=0,
            max=1e13,
        ),
        Input(
            "output_head_params",
            "Shared output head",
            P,
            HEAD,
            COUNT,
            min=0,
            max=1e13,
            help="Each module predicts through the main model's head, so its matrix multiply counts again.",
        ),
        Input(
            "main_active_params", "Main model's activated weights per token", P, MAIN_ACTIVE, MAIN, min=1e6, max=1e15
        ),
        Input("pretrain_cost_usd", "Pre-training bill to share out", "USD", PRETRAIN_COST, PRE, min=0, max=1e13),
    ),
    outputs=(
        Output(
            "tps_speedup",
            "Decoding speed-up (tokens per second)",
            "ratio",
            help='V3 §5.4.3: "1.8 times TPS".',
        ),
        Output("tokens_per_step", "Tokens per decoding step", "tokens"),
        Output("decode_step_time", "Step time with the modules (no MTP = 1)", "ratio"),
        Output("mtp_training_flops_share", "MTP share of training FLOPs", "fraction"),
        Output(
            "mtp_training_flops_overhead",
            "Extra training FLOPs over the main model",
            "fraction",
        ),
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
