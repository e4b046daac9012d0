"""rl-methods: GRPO against PPO for DeepSeek-R1-Zero's RL, in models held, FLOPs per step and GPU-hours.

PPO (Schulman et al. 2017) as used for language models (InstructGPT, Ouyang et al. 2022) keeps four models: the policy,
a frozen reference for the KL penalty, a reward model and a critic (value model). DeepSeekMath §4.1 (arXiv 2402.03300):
"the value function employed in PPO is typically another model of comparable size as the policy model, it brings a
substantial memory and computational burden", so GRPO drops it and uses the mean reward of a group of G sampled outputs
per question as the baseline. R1-Zero also needs no reward model: its rewards are rule-based (accuracy and format).

R1-Zero's run (Nature 2025, Methods; Supplementary §2.4.4): 32 questions × 16 samples = 512 rollouts per step,
10,400 steps, 512 H800 GPUs for about 198 hours = 101K GPU-hours. This calculator counts the FLOPs a step needs
(generation 2N per token, reference and other forward passes 2N, policy and critic updates 6N, N = activated
parameters), times them at a decode and a training utilisation, and sets the result beside the reported hours.
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Value, n, src
from ..models.hardware import gpu_choices, peak_flops
from ..models.hardware import gpus as gpu_table
from . import training_cost as _training_cost

# Decode utilisation from DeepSeek's serving statistics: ~14.8k output tokens/s per 8-GPU H800 node, at 2 × 37B FLOP
# per token, against the 989.4 TFLOPS BF16 dense peak.
DECODE_MFU = round(2 * 37e9 * 14_800 / 8 / peak_flops("h800", "bf16"), 4)  # 0.1384
# Training utilisation from V3 pre-training (6ND accounting), as the training-cost calculator derives it.
TRAIN_MFU = round(_training_cost.CALCULATOR.run()["implied_mfu_bf16_6nd"], 4)  # 0.3463

METHODS_R1 = src(
    'deepseek-r1-nature: Methods, Training details of DeepSeek-R1-Zero: "we sample 16 outputs"; '
    '"10,400 steps"; "32 unique questions, resulting in a training batch size of 512 per step"'
)
COST_TEXT = src('deepseek-r1-si: §2.4.4 text: "64*8 H800 GPUs ... approximately 198 hours" (Table 7: 101K GPU-hours)')
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
DECODE = src(
    'deepseek-day6: "~14.8k tokens/s output during decoding" per 8-GPU H800 node, as a utilisation of the '
    "BF16 peak: 2 × 37e9 × 1,850 ÷ 989.4e12 (derived here)"
)
TRAIN = src(
    "deepseek-v3: Table 1 (2,664K pre-training GPU-hours) with 6 × 37B × 14.8T FLOP and the 989.4 TFLOPS "
    "BF16 peak (derived here)"
)
STATE = src("deepseek-v3: §3.3.3, FP32 master weights (4 B) and gradients (4 B), BF16 AdamW moments (2 × 2 B)")
WEIGHTS = src("rajbhandari2020: §3.1, a 16-bit copy of the parameters takes 2 bytes per parameter")
PPO = src(
    "ouyang2022: §3.5 and Appendix C (PPO with a policy, a frozen SFT reference for the KL penalty, a reward "
    "model and a value function)"
)


def _step(active, t_decode_tok, t_prefill_tok, tokens, ppo, rm, critic_ratio, rm_ratio):
    """FLOPs of one step by phase: (decode, prefill, scoring forward passes, training updates)."""
    decode = 2 * active * t_decode_tok
    prefill = 2 * active * t_prefill_tok
    scoring = 2 * active * tokens * (1 + (critic_ratio if ppo else 0) + (rm_ratio if rm else 0))
    training = 6 * active * tokens * (1 + (critic_ratio if ppo else 0))
    return decode, prefill, scoring, training


def rl_methods(
    method,
    reward,
    total_params,
    active_params,
    critic_ratio,
    reward_model_ratio,
    group_size,
    questions_per_step,
    response_tokens,
    prompt_tokens,
    steps,
    gpus,
    gpu,
    train_mfu,
    decode_mfu,
    weight_bytes,
    train_state_bytes,
    reported_hours,
    price_per_gpu_hour,
):
    ppo, rm = method == "ppo", reward == "model"
    peak = peak_flops(gpu, "bf16", field="gpu")
    rollouts = questions_per_step * group_size
    dec_tok, pre_tok = rollouts * response_tokens, rollouts * prompt_tokens
    tokens = dec_tok + pre_tok
    decode, prefill, scoring, training = _step(
        active_params, dec_tok, pre_tok, tokens, ppo, rm, critic_ratio, reward_model_ratio
    )
    cluster = gpus * peak

    def seconds(dec, rest):
        return dec / (cluster * decode_mfu) + rest / (cluster * train_mfu)

    t = seconds(decode, prefill + scoring + training)
    b_dec, b_pre, b_sc, b_tr = _step(
        active_params, dec_tok, pre_tok, tokens, False, False, critic_ratio, reward_model_ratio
    )
    t_base = seconds(b_dec, b_pre + b_sc + b_tr)
    total = decode + prefill + scoring + training
    base_total = b_dec + b_pre + b_sc + b_tr
    models = 2 + int(ppo) + int(rm)
    weight_copies = 2 + (critic_ratio if ppo else 0) + (reward_model_ratio if rm else 0)
    trainable = 1 + (critic_ratio if ppo else 0)
    w_gpu = weight_copies * total_params * weight_bytes / gpus
    s_gpu = trainable * total_params * train_state_bytes / gpus
    hbm = gpu_table()[gpu]["hbm_gb"] * 1e9
    gpu_hours = steps * t * gpus / 3600
    reported = gpus * reported_hours
    implied_s = reported_hours * 3600 / steps
    scaled = reported * t / t_base
    added = reported + steps * (t - t_base) * gpus / 3600
    names = ["policy", "reference"] + (["critic"] if ppo else []) + (["reward model"] if rm else [])
    a = n(active_params)
    return {
        "rollouts_per_step": Value(rollouts, f"{n(questions_per_step)} questions × {n(group_size)} samples"),
        "tokens_per_step": Value(
            tokens, f"{n(rollouts)} rollouts × ({n(prompt_tokens)} prompt + {n(response_tokens)} response tokens)"
        ),
        "models_resident": Value(models, " + ".join(names) + (" (rule-based reward: no model)" if not rm else "")),
        "weights_bytes_per_gpu": Value(
            w_gpu, f"{n(weight_copies)} policy-sized copies × {n(total_params)} × {n(weight_bytes)} B ÷ {n(gpus)} GPUs"
        ),
        "train_state_bytes_per_gpu": Value(
            s_gpu,
            f"{n(trainable)} trained policy-sized models × {n(total_params)} × "
            f"{n(train_state_bytes)} B ÷ {n(gpus)} GPUs",
        ),
        "memory_share_of_hbm": Value(
            (w_gpu + s_gpu) / hbm, f"({n(round(w_gpu))} + {n(round(s_gpu))}) B ÷ {n(hbm)} B of HBM"
        ),
        "generation_flops_per_step": Value(decode + prefill, f"2 × {a} × {n(tokens)} tokens"),
        "scoring_flops_per_step": Value(
            scoring,
            f"2 × {a} × {n(tokens)} × (1 reference"
            + (f" + {n(critic_ratio)} critic" if ppo else "")
            + (f" + {n(reward_model_ratio)} reward model" if rm else "")
            + ")",
        ),
        "training_flops_per_step": Value(
            training, f"6 × {a} × {n(tokens)} × (1 policy" + (f" + {n(critic_ratio)} critic" if ppo else "") + ")"
        ),
        "total_flops_per_step": Value(total, "generation + scoring + training"),
        "flops_vs_grpo": Value(total / base_total, f"{n(total)} ÷ {n(base_total)} FLOP (GRPO, rule-based reward)"),
        "modelled_seconds_per_step": Value(
            t,
            f"{n(decode)} ÷ ({n(gpus)} × {n(peak / 1e12)} TFLOPS × "
            f"{n(decode_mfu)}) + {n(prefill + scoring + training)} ÷ ({n(gpus)} × "
            f"{n(peak / 1e12)} TFLOPS × {n(train_mfu)})",
        ),
        "modelled_gpu_hours": Value(gpu_hours, f"{n(steps)} steps × {n(round(t, 2))} s × {n(gpus)} GPUs ÷ 3,600"),
        "reported_gpu_hours": Value(reported, f"{n(gpus)} GPUs × {n(reported_hours)} h"),
        "implied_seconds_per_step": Value(implied_s, f"{n(reported_hours)} h × 3,600 ÷ {n(steps)} steps"),
        "implied_utilisation": Value(
            total / (cluster * implied_s),
            f"{n(total)} FLOP ÷ ({n(gpus)} × {n(peak / 1e12)} TFLOPS × {n(round(implied_s, 2))} s)",
        ),
        "modelled_share_of_reported": Value(gpu_hours / reported, f"{n(round(gpu_hours))} ÷ {n(reported)} GPU-hours"),
        "scaled_gpu_hours": Value(
            scaled, f"{n(reported)} GPU-hours × {n(round(t, 3))} s ÷ {n(round(t_base, 3))} s (GRPO, rule-based reward)"
        ),
        "scaled_cost_usd": Value(
            scaled * price_per_gpu_hour, f"{n(round(scaled))} GPU-hours × ${n(price_per_gpu_hour)}"
        ),
        "added_gpu_hours": Value(
            added,
            f"{n(reported)} + {n(steps)} steps × ({n(round(t, 3))} − {n(round(t_base, 3))}) s × {n(gpus)} GPUs ÷ 3,600",
        ),
        "added_cost_usd": Value(added * price_per_gpu_hour, f"{n(round(added))} GPU-hours × ${n(price_per_gpu_hour)}"),
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
        Input("total_params", "Policy parameters, total", "parameters", 671e9, PARAMS, min=1e6, max=1e14),
        Input("active_params", "Policy parameters, activated per token", "parameters", 37e9, PARAMS, min=1e6, max=1e14),
        Input("critic_ratio", "Critic size ÷ policy size (PPO)", "ratio", 1.0, GRPO, min=0, max=10, step=0.1),
        Input(
            "reward_model_ratio",
            "Reward-model size ÷ policy size",
            "ratio",
            1.0,
            RM,
            min=0,
            max=10,
            step=0.1,
            help="InstructGPT used a 6B reward model for its 175B policy (0.034); DeepSeek's matches the policy.",
        ),
        Input("group_size", "Samples per question (G)", "samples", 16, METHODS_R1, type="int", min=1, max=4096),
        Input(
            "questions_per_step", "Questions per step", "questions", 32, METHODS_R1, type="int", min=1, max=10_000_000
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
            help="The plot rises from a few hundred tokens to over 10K; the cap was 32,768 tokens, then 65,536 "
            "after step 8.2K. The run average is uncertain: see the range.",
        ),
        Input("prompt_tokens", "Mean prompt length", "tokens", 300, PROMPT, min=0, max=1_000_000),
        Input("steps", "Training steps", "steps", 10_400, METHODS_R1, type="int", min=1, max=100_000_000),
        Input(
            "gpus",
            "GPUs",
            "GPUs",
            512,
            COST_TEXT,
            type="int",
            min=1,
            max=10_000_000,
            help='64 nodes × 8 H800s ("64*8", sometimes misread as 648).',
        ),
        Input("gpu", "GPU", "", "h800", COST_TEXT, type="choice", choices=gpu_choices()),
        Input(
            "train_mfu",
            "Training and prefill utilisation (BF16 peak)",
            "fraction",
            TRAIN_MFU,
            TRAIN,
            min=0.001,
            max=1,
            step=0.01,
        ),
        Input(
            "decode_mfu",
            "Generation (decode) utilisation (BF16 peak)",
            "fraction",
            DECODE_MFU,
            DECODE,
            min=0.0001,
            max=1,
            step=0.01,
            help="Decoding reads every active weight and the KV cache per token, so it runs far below the "
            "training utilisation; DeepSeek's serving fleet reached 14.8k tokens/s per node.",
        ),
        Input("weight_bytes", "Bytes per parameter, each resident model copy", "bytes", 2, WEIGHTS, min=0, max=16),
        Input("train_state_bytes", "Bytes per parameter, trained model state", "bytes", 12, STATE, min=0, max=32),
        Input("reported_hours", "Reported wall-clock time (R1-Zero)", "hours", 198, COST_TEXT, min=0.01, max=1_000_000),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            COST_TABLE,
            min=0,
            max=1_000,
            range=(1.5, 3.5),
            step=0.1,
        ),
    ),
    outputs=(
        Output("rollouts_per_step", "Rollouts per step", "rollouts"),
        Output("tokens_per_step", "Tokens per step", "tokens"),
        Output(
            "models_resident",
            "Models held",
            "models",
        ),
        Output("weights_bytes_per_gpu", "Weights per GPU (every resident model, sharded evenly)", "bytes"),
        Output("train_state_bytes_per_gpu", "Trained model state per GPU (policy, and critic for PPO)", "bytes"),
        Output("memory_share_of_hbm", "Share of each GPU's HBM taken by model weights and state", "fraction"),
        Output("generation_flops_per_step", "Generation FLOPs per step", "FLOP"),
        Output(
            "scoring_flops_per_step",
            "Forward passes of the other models per step",
            "FLOP",
        ),
        Output("training_flops_per_step", "Training FLOPs per step", "FLOP"),
        Output("total_flops_per_step", "Total FLOPs per step", "FLOP"),
        Output("flops_vs_grpo", "FLOPs per step ÷ GRPO's", "ratio"),
        Output(
            "modelled_seconds_per_step",
            "Modelled time per step",
            "seconds",
        ),
        Output(
            "modelled_gpu_hours",
            "Modelled GPU-hours for the run",
            "GPU-hours",
            help="A floor: no waiting for the longest response, no weight transfer between trainer and "
            "inference engine, no evaluation.",
        ),
        Output("reported_gpu_hours", "Reported R1-Zero GPU-hours", "GPU-hours"),
        Output("implied_seconds_per_step", "Reported time per step", "seconds"),
        Output(
            "implied_utilisation",
            "Utilisation implied by the reported time",
            "fraction",
        ),
        Output("modelled_share_of_reported", "Modelled ÷ reported GPU-hours", "ratio"),
        Output(
            "scaled_gpu_hours",
            "Reported run rescaled to this method",
            "GPU-hours",
        ),
        Output(
            "scaled_cost_usd",
            "Reported run rescaled to this method: cost",
            "USD",
            help="An upper estimate: every unmodelled overhead grows in proportion to the modelled time.",
        ),
        Output(
            "added_gpu_hours",
            "Reported run plus this method's extra modelled time",
            "GPU-hours",
        ),
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
