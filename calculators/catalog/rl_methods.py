"""rl-methods: GRPO against PPO for DeepSeek-R1-Zero's RL, in models held, FLOPs per step and GPU-hours.

PPO (Schulman et al. 2017) as used for language models (InstructGPT, Ouyang et al. 2022) keeps four models: the policy,
a frozen reference for the KL penalty, a reward model and a critic (value model). DeepSeekMath §4.1 (arXiv 2402.03300):
"the value function employed in PPO is typically another model of comparable size as the policy model, it brings a
substantial memory and computational burden", so GRPO drops it and uses the mean reward of a group of G sampled outputs
per question as the baseline. R1-Zero also needs no reward model: its rewards are rule-based (accuracy and format).
Its reference model is not frozen either: "Every 400 steps, we replace the reference model with the latest policy
model" (Nature, Methods); it is still one model held in memory.

R1-Zero's run (Nature 2025, Methods; Supplementary §2.4.4): 32 questions × 16 samples = 512 rollouts per step,
10,400 steps, 512 H800 GPUs for about 198 hours = 101K GPU-hours. This calculator counts the FLOPs a step needs
(generation 2N per token, reference and other forward passes 2N, policy and critic updates 6N, N = activated
parameters), times them at a decode and a training utilisation, and sets the result beside the reported hours.
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Q, qsum, src
from ..models import hardware
from ..models.derived import v3_decode_mfu, v3_mfu_6nd
from ..models.facts import fact


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


def R1(name: str):  # DeepSeek-R1's published fact NAME
    return fact(f"deepseek-r1.{name}")


PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
SECONDS_PER_HOUR = Q.const(3600, "3,600 s/h")
PHASES = ("decode", "prefill", "scoring", "training")

METHODS_R1 = src(
    'deepseek-r1-nature: Methods, Training details of DeepSeek-R1-Zero: "we sample 16 outputs"; '
    '"10,400 steps"; "32 unique questions, resulting in a training batch size of 512 per step"'
)
COST_TEXT = src(
    'deepseek-r1-arxiv: v2 Appendix B.4.4 text (Supplementary Information §2.4.4): "64*8 H800 GPUs ... approximately '
    '198 hours" (Table 7: 101K GPU-hours)'
)
COST_TABLE = src("deepseek-r1-si: §2.4.4, training-cost table (arXiv 2501.12948 v2, Table 7), $2 per H800 GPU-hour")
GRPO = src(
    'deepseekmath: §4.1.1, "the value function employed in PPO is typically another model of comparable size '
    'as the policy model"; GRPO "obviates the need for additional value function approximation"'
)
RULE = src("deepseek-r1-nature: Methods, Reward design: rule-based accuracy and format rewards for R1-Zero")
RM = src(
    'deepseek-r1-nature: Methods, Reward design: "The architecture of our reward model is consistent with that '
    'of DeepSeek-R1, with the addition of a reward head"'
)
PARAMS = src(
    "deepseek-v3: abstract, 671B total parameters, 37B activated per token (R1-Zero is trained from DeepSeek-V3-Base)"
)
LENGTH = src(
    "deepseek-r1-nature: Fig. 1b, average response length of R1-Zero on the training set during RL "
    "(a plot; the run average used here is this site's reading, not a published number)"
)
PROMPT = src(
    "deepseek-r1-arxiv: Table 1, the R1-Zero template (about 70 words) plus the question; the token count "
    "is this site's estimate"
)
STATE = src("deepseek-v3: §3.3.3, FP32 master weights (4 B) and gradients (4 B), BF16 AdamW moments (2 × 2 B)")
WEIGHTS = src("rajbhandari2020: §3.1, a 16-bit copy of the parameters takes 2 bytes per parameter")
PPO = src(
    "ouyang2022: §3.5 and Appendix C (PPO with a policy, a frozen SFT reference for the KL penalty, a reward "
    "model and a value function)"
)


def _step(active, dec_tok, pre_tok, tokens, critic, reward_model):
    """FLOPs of one step by phase: (decode, prefill, scoring forward passes, training updates).

    critic and reward_model: the policy-sized multiple of each extra model held, or None where there is none.
    """
    decode = 2 * active * dec_tok
    prefill = 2 * active * pre_tok
    scored = [Q.const(1, "1 reference")] + [m for m in (critic, reward_model) if m is not None]
    scoring = 2 * active * tokens * qsum(scored)
    trained = [Q.const(1, "1 policy")] + ([critic] if critic is not None else [])
    training = 6 * active * tokens * qsum(trained)
    return decode, prefill, scoring, training


def rl_methods(method, reward, total_params, active_params, critic_ratio, reward_model_ratio, group_size,
               questions_per_step, response_tokens, prompt_tokens, steps, gpus, gpu, train_mfu, decode_mfu,
               weight_bytes, train_state_bytes, reported_hours, price_per_gpu_hour):  # fmt: skip
    ppo, rm = method == "ppo", reward == "model"
    critic = critic_ratio.named("critic size", "critic") if ppo else None
    reward_model = reward_model_ratio.named("reward-model size", "reward model") if rm else None
    peak = hardware.peak(gpu, "bf16", field="gpu")
    rollouts = (questions_per_step * group_size).named("rollouts", "rollouts")
    dec_tok = (rollouts * response_tokens).named("response tokens", "tokens")
    pre_tok = (rollouts * prompt_tokens).named("prompt tokens", "tokens")
    tokens = (dec_tok + pre_tok).named("tokens per step", "tokens")
    decode, prefill, scoring, training = _step(active_params, dec_tok, pre_tok, tokens, critic, reward_model)
    b_dec, b_pre, b_sc, b_tr = _step(active_params, dec_tok, pre_tok, tokens, None, None)  # GRPO, rule-based

    def seconds(dec, rest):  # decoding at the decode utilisation, the rest at the training utilisation
        return dec / (gpus * peak * decode_mfu) + rest / (gpus * peak * train_mfu)

    def named(phases, what):
        return [q.named(f"{what}{name} FLOPs", "FLOP") for q, name in zip(phases, PHASES, strict=True)]

    dec, pre, sc, tr = named((decode, prefill, scoring, training), "")
    t = seconds(dec, pre + sc + tr).named("modelled time per step", "s")
    g_dec, g_pre, g_sc, g_tr = named((b_dec, b_pre, b_sc, b_tr), "GRPO's ")
    t_base = seconds(g_dec, g_pre + g_sc + g_tr).named("GRPO's modelled time per step", "s")
    total = (dec + pre + sc + tr).named("FLOPs per step", "FLOP")
    base_total = (g_dec + g_pre + g_sc + g_tr).named("GRPO's FLOPs per step", "FLOP")

    held = [Q.const(1, "1 policy"), Q.const(1, "1 reference")]
    held += [Q.const(1, "1 critic")] if ppo else []
    held += [Q.const(1, "1 reward model")] if rm else []
    weight_copies = qsum([Q.const(2)] + [m for m in (critic, reward_model) if m is not None]).named(
        "policy-sized copies", "copies"
    )
    trainable = qsum([Q.const(1)] + ([critic] if ppo else [])).named("trained policy-sized models", "models")
    w_gpu = (weight_copies * total_params * weight_bytes / gpus).named("weights per GPU", "bytes")
    s_gpu = (trainable * total_params * train_state_bytes / gpus).named("trained state per GPU", "bytes")
    gpu_hours = (steps * t * gpus / SECONDS_PER_HOUR).named("modelled GPU-hours", "GPU-hours")
    reported = (gpus * reported_hours).named("reported GPU-hours", "GPU-hours")
    implied_s = (reported_hours * SECONDS_PER_HOUR / steps).named("reported time per step", "s")
    scaled = (reported * t / t_base).named("rescaled GPU-hours", "GPU-hours")
    added = (reported + steps * (t - t_base) * gpus / SECONDS_PER_HOUR).named("GPU-hours with the extra", "GPU-hours")
    p = price_per_gpu_hour
    return {
        "rollouts_per_step": rollouts,
        "tokens_per_step": tokens,
        "models_resident": qsum(held),
        "weights_bytes_per_gpu": w_gpu,
        "train_state_bytes_per_gpu": s_gpu,
        "memory_share_of_hbm": (w_gpu + s_gpu) / hardware.hbm(gpu),
        "generation_flops_per_step": decode + prefill,
        "scoring_flops_per_step": scoring,
        "training_flops_per_step": training,
        "total_flops_per_step": total,
        "flops_vs_grpo": total / base_total,
        "modelled_seconds_per_step": t,
        "modelled_gpu_hours": gpu_hours,
        "reported_gpu_hours": reported,
        "implied_seconds_per_step": implied_s,
        "implied_utilisation": total / (gpus * peak * implied_s),
        "modelled_share_of_reported": gpu_hours / reported,
        "scaled_gpu_hours": scaled,
        "scaled_cost_usd": scaled * p,
        "added_gpu_hours": added,
        "added_cost_usd": added * p,
    }


CALCULATOR = Calculator(
    name="rl-methods",
    title="GRPO against PPO",
    summary="Why R1's RL was cheap: GRPO keeps two policy-sized models where PPO keeps four. Models held, memory per "
    "GPU, FLOPs per step and GPU-hours for DeepSeek-R1-Zero's 10,400 steps, reconciled with the reported "
    "101K H800 GPU-hours.",
    inputs=(
        Input(
            "method",
            "RL algorithm",
            "",
            "grpo",
            GRPO,
            type="choice",
            choices=(
                ("grpo", "GRPO: group-mean baseline, no critic"),
                ("ppo", "PPO: learned critic (value model) as the baseline"),
            ),
        ),
        Input(
            "reward",
            "Reward",
            "",
            "rule",
            RULE,
            type="choice",
            choices=(
                ("rule", "rule-based (accuracy and format checks; no model)"),
                ("model", "a learned reward model"),
            ),
        ),
        Input(
            "total_params",
            "Policy parameters, total",
            "parameters",
            V3("total_params").value,
            PARAMS,
            min=1e6,
            max=1e14,
            symbol="total parameters",
        ),
        Input(
            "active_params",
            "Policy parameters, activated per token",
            "parameters",
            V3("active_params").value,
            PARAMS,
            min=1e6,
            max=1e14,
            symbol="N",
        ),
        Input(
            "critic_ratio",
            "Critic size ÷ policy size (PPO)",
            "ratio",
            1.0,
            GRPO,
            min=0,
            max=10,
            step=0.1,
            symbol="critic size",
        ),
        Input(
            "reward_model_ratio",
            "Reward-model size ÷ policy size",
            "ratio",
            1.0,
            RM,
            min=0,
            max=10,
            step=0.1,
            symbol="reward-model size",
            help="InstructGPT used a 6B reward model for its 175B policy (0.034); DeepSeek's matches the policy.",
        ),
        Input(
            "group_size", "Samples per question (G)", "samples", 16, METHODS_R1, type="int", min=1, max=4096, symbol="G"
        ),
        Input(
            "questions_per_step",
            "Questions per step",
            "questions",
            32,
            METHODS_R1,
            type="int",
            min=1,
            max=10_000_000,
            symbol="questions",
        ),
        Input(
            "response_tokens",
            "Mean response length",
            "tokens",
            7_000,
            LENGTH,
            min=1,
            max=1_000_000,
            range=(3_000, 12_000),
            step=500,
            symbol="response length",
            help="The plot rises from a few hundred tokens to over 10K; the cap was 32,768 tokens, then 65,536 "
            "after step 8.2K. The run average is uncertain: see the range.",
        ),
        Input(
            "prompt_tokens", "Mean prompt length", "tokens", 300, PROMPT, min=0, max=1_000_000, symbol="prompt length"
        ),
        Input("steps", "Training steps", "steps", R1("r1_zero_steps"), METHODS_R1, type="int", min=1, max=100_000_000),
        Input(
            "gpus",
            "GPUs",
            "GPUs",
            R1("rl_gpus"),
            COST_TEXT,
            type="int",
            min=1,
            max=10_000_000,
            help='64 nodes × 8 H800s ("64*8", sometimes misread as 648).',
        ),
        Input("gpu", "GPU", "", "h800", COST_TEXT, type="choice", choices=hardware.gpu_choices()),
        Input(
            "train_mfu",
            "Training and prefill utilisation (BF16 peak)",
            "fraction",
            v3_mfu_6nd(),
            min=0.001,
            max=1,
            step=0.01,
            symbol="training utilisation",
            help="V3 pre-training's MFU in 6ND accounting (its source shows the working).",
        ),
        Input(
            "decode_mfu",
            "Generation (decode) utilisation (BF16 peak)",
            "fraction",
            v3_decode_mfu(),
            min=0.0001,
            max=1,
            step=0.01,
            symbol="decode utilisation",
            help="Decoding reads every active weight and the KV cache per token, so it runs far below the "
            "training utilisation; DeepSeek's serving fleet reached 14.8k tokens/s per node.",
        ),
        Input(
            "weight_bytes",
            "Bytes per parameter, each resident model copy",
            "bytes",
            2,
            WEIGHTS,
            min=0,
            max=16,
            symbol="bytes per weight",
        ),
        Input(
            "train_state_bytes",
            "Bytes per parameter, trained model state",
            "bytes",
            12,
            STATE,
            min=0,
            max=32,
            symbol="bytes of trained state",
        ),
        Input(
            "reported_hours",
            "Reported wall-clock time (R1-Zero)",
            "hours",
            R1("r1_zero_hours"),
            COST_TEXT,
            min=0.01,
            max=1_000_000,
            symbol="reported hours",
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            fact("deepseek-r1.price_per_gpu_hour"),
            min=0,
            max=1_000,
            range=PRICE_RANGE,
            step=0.1,
            symbol="price per GPU-hour",
        ),
    ),
    outputs=(
        Output("rollouts_per_step", "Rollouts per step", "rollouts"),
        Output("tokens_per_step", "Tokens per step", "tokens"),
        Output("models_resident", "Models held", "models"),
        Output("weights_bytes_per_gpu", "Weights per GPU (every resident model, sharded evenly)", "bytes"),
        Output("train_state_bytes_per_gpu", "Trained model state per GPU (policy, and critic for PPO)", "bytes"),
        Output("memory_share_of_hbm", "Share of each GPU's HBM taken by model weights and state", "fraction"),
        Output("generation_flops_per_step", "Generation FLOPs per step", "FLOP"),
        Output("scoring_flops_per_step", "Forward passes of the other models per step", "FLOP"),
        Output("training_flops_per_step", "Training FLOPs per step", "FLOP"),
        Output("total_flops_per_step", "Total FLOPs per step", "FLOP"),
        Output("flops_vs_grpo", "FLOPs per step ÷ GRPO's", "ratio"),
        Output("modelled_seconds_per_step", "Modelled time per step", "seconds"),
        Output(
            "modelled_gpu_hours",
            "Modelled GPU-hours for the run",
            "GPU-hours",
            help="A floor: no waiting for the longest response, no weight transfer between trainer and "
            "inference engine, no evaluation.",
        ),
        Output("reported_gpu_hours", "Reported R1-Zero GPU-hours", "GPU-hours"),
        Output("implied_seconds_per_step", "Reported time per step", "seconds"),
        Output("implied_utilisation", "Utilisation implied by the reported time", "fraction"),
        Output("modelled_share_of_reported", "Modelled ÷ reported GPU-hours", "ratio"),
        Output("scaled_gpu_hours", "Reported run rescaled to this method", "GPU-hours"),
        Output(
            "scaled_cost_usd",
            "Reported run rescaled to this method: cost",
            "USD",
            help="An upper estimate: every unmodelled overhead grows in proportion to the modelled time.",
        ),
        Output("added_gpu_hours", "Reported run plus this method's extra modelled time", "GPU-hours"),
        Output(
            "added_cost_usd",
            "Reported run plus this method's extra modelled time: cost",
            "USD",
            help="A lower estimate: the overheads stay as they were and only the extra compute is added.",
        ),
    ),
    function=rl_methods,
    headline="scaled_cost_usd",
    presets=(
        Preset(
            "r1-zero",
            "DeepSeek-R1-Zero: GRPO with rule-based rewards",
            {"method": "grpo", "reward": "rule"},
            METHODS_R1,
        ),
        Preset(
            "ppo-rule", "The same run with PPO (critic, rule-based rewards)", {"method": "ppo", "reward": "rule"}, GRPO
        ),
        Preset(
            "ppo-rlhf",
            "PPO as in RLHF: policy, reference, reward model and critic",
            {"method": "ppo", "reward": "model"},
            PPO,
        ),
    ),
    notes="FLOPs use 2N per token forward and 6N forward and backward (N = activated parameters), without attention. "
    "PPO is given the same 512 rollouts per step for a like-for-like comparison. The modelled time ignores what "
    "dominates real RL runs: waiting for the longest of 8,192 responses (up to 32K, later 64K tokens), moving "
    "weights from trainer to inference engine, and recomputing old-policy log-probabilities; the gap to the "
    "reported hours measures them together.",
)
