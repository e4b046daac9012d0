"""rl-methods: GRPO against PPO for DeepSeek-R1-Zero's RL, in models held, FLOPs per step and GPU-hours.

PPO (Schulman et al. 2017) as used for language models (InstructGPT, Ouyang et al. 2022) keeps four models: the policy,
a frozen reference for the KL penalty, a reward model and a critic (value model). DeepSeekMath §4.1 (arXiv 2402.03300):
"the value function employed in PPO is typically another model of comparable size as the policy model, it brings a
substantial memory and computational burden", so GRPO drops it and uses the mean reward of a group of G sampled outputs
per question as the baseline. R1-Zero also needs no reward model: its rewards are rule-based (accuracy and format).
Its reference model is not frozen either: "Every 400 steps, we replace the reference model with the latest policy
model" (Nature, Methods); it is still one model held in memory.
Its reference model is not frozen either: "Every 400 steps, we replace the reference model with the latest policy
model" (Nature, Methods); it is still one model held in memory.

R1-Zero's run (Nature 2025, Methods; Supplementary §2.4.4): 32 questions × 16 samples = 512 rollouts per step,
10,400 steps, 512 H800 GPUs for about 198 hours = 101K GPU-hours. The FLOPs of a step (models/rl_flops.py) count
attention at the run's sequence lengths in every pass, decoding with MLA's up-projections absorbed (DeepSeek-V2
§2.1.2: attention over the cached latent costs 2 × 128 heads × 1,088 per position and layer), and, as open RL
frameworks do, a forward pass recomputing the old policy's log-probabilities (a convention: DeepSeek does not say).
Decoding is timed at the serving fleet's measured decode speed in the same FLOP convention (derived.py), the other
phases at V3's causal MFU (Insights Table 4, which counts 6N plus causal attention, as here); the result is set
beside the reported hours, and the weights-only count (2N/6N) is kept as the lower bound it is.
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, Q, qsum, src
from ..models import derived, hardware, rl_flops
from ..models.facts import fact


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


def R1(name: str):  # DeepSeek-R1's published fact NAME
    return fact(f"deepseek-r1.{name}")


PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
SECONDS_PER_HOUR = Q.const(3600, "3,600 s/h")

METHODS_R1 = src(
    'deepseek-r1-nature: Methods, Training details of DeepSeek-R1-Zero: "we sample 16 outputs"; '
    '"10,400 steps"; "32 unique questions, resulting in a training batch size of 512 per step"'
)
CAP = src(
    'deepseek-r1-nature: Methods, Training details of DeepSeek-R1-Zero: "16 outputs with a maximum length of 32,768 '
    'tokens before the 8.2k step and 65,536 tokens afterward"'
)
ROLLOUT = src(
    'deepseek-r1-nature: Methods, Training details of DeepSeek-R1-Zero: "each rollout generates 8,192 outputs, which '
    'are randomly split into 16 minibatches and trained for only a single inner epoch"'
)
COST_TEXT = src(
    'deepseek-r1-arxiv: v2 Appendix B.4.4 text (Supplementary Information §2.4.4): "64*8 H800 GPUs ... approximately '
    '198 hours" (Table 7: 101K GPU-hours)'
)
GRPO = src(
    'deepseekmath: §4.1.1, "the value function employed in PPO is typically another model of comparable size '
    'as the policy model"; GRPO "obviates the need for additional value function approximation"'
)
RULE = src("deepseek-r1-nature: Methods, Reward design: rule-based accuracy and format rewards for R1-Zero")
RM = src(
    'deepseek-r1-nature: Methods, Reward design: "The architecture of our reward model is consistent with that '
    'of DeepSeek-R1, with the addition of a reward head"'
)
OLD = src(
    'verl: verl/trainer/ppo/ray_trainer.py, RayPPOTrainer.fit, "# recompute old_log_probs": a forward pass of the '
    "policy over every sample (compute_log_prob) before the reference pass and the update (a framework convention; "
    "DeepSeek does not say how it obtains the old policy's log-probabilities)"
)
PARAMS = src(
    "deepseek-v3: abstract, 671B total parameters, 37B activated per token (R1-Zero is trained from DeepSeek-V3-Base)"
)
STATE = src("deepseek-v3: §3.3.3, FP32 master weights (4 B) and gradients (4 B), BF16 AdamW moments (2 × 2 B)")
WEIGHTS = src("rajbhandari2020: §3.1, a 16-bit copy of the parameters takes 2 bytes per parameter")
PPO = src(
    "ouyang2022: §3.5 and Appendix C (PPO with a policy, a frozen SFT reference for the KL penalty, a reward "
    "model and a value function)"
)


def _flops(arch, rollouts, prompt, response, recompute, critic, reward_model) -> rl_flops.StepFlops:
    return rl_flops.step_flops(
        *arch, rollouts, prompt, response, recompute=recompute, critic=critic, reward_model=reward_model
    )


def rl_methods(method, reward, old_logprobs, total_params, active_params, layers, attention_width,
               decode_attention_flops, critic_ratio, reward_model_ratio, group_size, questions_per_step,
               response_tokens, prompt_tokens, max_response_tokens, updates_per_rollout, steps, gpus, gpu, train_mfu,
               decode_mfu, weight_bytes, train_state_bytes, reported_hours, price_per_gpu_hour):  # fmt: skip
    ppo, rm, recompute = method == "ppo", reward == "model", old_logprobs == "recompute"
    critic = critic_ratio.named("critic size", "critic") if ppo else None
    reward_model = reward_model_ratio.named("reward-model size", "reward model") if rm else None
    peak = hardware.peak(gpu, "bf16", field="gpu")
    arch = (active_params, layers, attention_width, decode_attention_flops)
    rollouts = (questions_per_step * group_size).named("rollouts", "rollouts")
    f = _flops(arch, rollouts, prompt_tokens, response_tokens, recompute, critic, reward_model)
    g = _flops(arch, rollouts, prompt_tokens, response_tokens, recompute, None, None)  # GRPO, rule-based

    def seconds(s: rl_flops.StepFlops, what: str) -> Q:  # decoding at the decode utilisation, the rest at training's
        dec = s.decode.named(f"{what}decode FLOPs", "FLOP")
        rest = (s.prefill + s.scoring + s.old_policy + s.training).named(f"{what}other FLOPs", "FLOP")
        return dec / (gpus * peak * decode_mfu) + rest / (gpus * peak * train_mfu)

    t = seconds(f, "").named("modelled time per step", "s")
    t_base = seconds(g, "GRPO's ").named("GRPO's modelled time per step", "s")
    total = f.total().named("FLOPs per step", "FLOP")
    base_total = g.total().named("GRPO's FLOPs per step", "FLOP")
    weights_only = rl_flops.weights_only_step_flops(
        active_params, rollouts, prompt_tokens, response_tokens, critic, reward_model
    ).named("weights-only FLOPs per step", "FLOP")

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
    capacity = (gpus * peak * implied_s).named("peak FLOPs per reported step", "FLOP")
    per_rollout = (implied_s * updates_per_rollout).named("reported time per rollout", "s")
    scaled = (reported * t / t_base).named("rescaled GPU-hours", "GPU-hours")
    added = (reported + steps * (t - t_base) * gpus / SECONDS_PER_HOUR).named("GPU-hours with the extra", "GPU-hours")
    p = price_per_gpu_hour
    dec_tok = (rollouts * response_tokens).named("response tokens", "tokens")
    return {
        "rollouts_per_step": rollouts,
        "tokens_per_step": dec_tok + (rollouts * prompt_tokens).named("prompt tokens", "tokens"),
        "models_resident": qsum(held),
        "weights_bytes_per_gpu": w_gpu,
        "train_state_bytes_per_gpu": s_gpu,
        "memory_share_of_hbm": (w_gpu + s_gpu) / hardware.hbm(gpu),
        "generation_flops_per_step": f.decode + f.prefill,
        "scoring_flops_per_step": f.scoring,
        "old_policy_flops_per_step": f.old_policy,
        "training_flops_per_step": f.training,
        "total_flops_per_step": total,
        "flops_vs_grpo": total / base_total,
        "weights_only_flops_per_step": weights_only,
        "flops_over_weights_only": total / weights_only,
        "modelled_seconds_per_step": t,
        "modelled_gpu_hours": gpu_hours,
        "reported_gpu_hours": reported,
        "implied_seconds_per_step": implied_s,
        "implied_utilisation": total / capacity,
        "weights_only_implied_utilisation": weights_only / capacity,
        "modelled_share_of_reported": gpu_hours / reported,
        "required_decode_speed": max_response_tokens / per_rollout,
        "scaled_gpu_hours": scaled,
        "scaled_cost_usd": scaled * p,
        "added_gpu_hours": added,
        "added_cost_usd": added * p,
    }


LENGTH = R1("r1_zero_mean_response_tokens")
OLD_HELP = (
    "The clipped objective needs the log-probabilities of the policy that generated the samples; with 16 updates per "
    "rollout the policy has moved by the later ones. DeepSeek does not say how it gets them."
)


def _num(name, label, unit, default, source, lo, hi, symbol="", **kw) -> Input:
    return Input(name, label, unit, default, source, min=lo, max=hi, symbol=symbol, **kw)


def _int(name, label, unit, default, source, hi, symbol="", **kw) -> Input:
    return Input(name, label, unit, default, source, type="int", min=1, max=hi, symbol=symbol, **kw)


def _choice(name, label, default, source, *choices, **kw) -> Input:
    return Input(name, label, "", default, source, type="choice", choices=choices, **kw)


INPUTS = (
    _choice("method", "RL algorithm", "grpo", GRPO, ("grpo", "GRPO: group-mean baseline, no critic"),
            ("ppo", "PPO: learned critic (value model) as the baseline")),
    _choice("reward", "Reward", "rule", RULE, ("rule", "rule-based (accuracy and format checks; no model)"),
            ("model", "a learned reward model")),
    _choice("old_logprobs", "Old policy's log-probabilities", "recompute", OLD,
            ("recompute", "recomputed by a forward pass of the policy (open frameworks' convention)"),
            ("rollout", "taken from the rollout engine (no extra pass)"), help=OLD_HELP),
    _num("total_params", "Policy parameters, total", "parameters", V3("total_params"), PARAMS, 1e6, 1e14,
         "total parameters"),
    _num("active_params", "Policy parameters, activated per token", "parameters", V3("active_params"), PARAMS, 1e6,
         1e14, "N"),
    _int("layers", "Policy layers", "layers", V3("layers"), None, 100_000, "L"),
    _num("attention_width", "Attention width per layer, training form: heads × (query-key + value head dims)",
         "dimensions", derived.attention_width("deepseek-v3"), None, 1, 1e7, "W"),
    _num("decode_attention_flops", "Attention FLOPs per layer and cached position when decoding (absorbed MLA: 2 × "
         "heads × (2 × latent + RoPE dims))", "FLOP", derived.v3_absorbed_attention_flops_per_position(), None, 1,
         1e9, "decode attention FLOPs", help="For multi-head or grouped-query attention, enter twice the "
         "training-form width."),
    _num("critic_ratio", "Critic size ÷ policy size (PPO)", "ratio", 1.0, GRPO, 0, 10, "critic size", step=0.1),
    _num("reward_model_ratio", "Reward-model size ÷ policy size", "ratio", 1.0, RM, 0, 10, "reward-model size",
         step=0.1, help="InstructGPT used a 6B reward model for its 175B policy (0.034); DeepSeek's matches the "
         "policy."),
    _int("group_size", "Samples per question (G)", "samples", 16, METHODS_R1, 4096, "G"),
    _int("questions_per_step", "Questions per step", "questions", 32, METHODS_R1, 10_000_000, "questions"),
    _num("response_tokens", "Mean response length", "tokens", LENGTH, None, 1, 1_000_000, "response length",
         range=LENGTH.range, step=500, help="The plot rises from a few hundred tokens to over 10K; the run average "
         "is uncertain: see the range."),
    _num("prompt_tokens", "Mean prompt length", "tokens", R1("r1_zero_mean_prompt_tokens"), None, 0, 1_000_000,
         "prompt length"),
    _int("max_response_tokens", "Maximum response length", "tokens", 32_768, CAP, 10_000_000, "length cap",
         help="65,536 after step 8.2K of 10,400, which doubles the decode speed a capped response needs."),
    _int("updates_per_rollout", "Policy updates per rollout", "steps", 16, ROLLOUT, 100_000, "updates per rollout"),
    _int("steps", "Training steps", "steps", R1("r1_zero_steps"), METHODS_R1, 100_000_000),
    _int("gpus", "GPUs", "GPUs", R1("rl_gpus"), COST_TEXT, 10_000_000,
         help='64 nodes × 8 H800s ("64*8", sometimes misread as 648).'),
    Input("gpu", "GPU", "", "h800", COST_TEXT, type="choice", choices=hardware.gpu_choices()),
    _num("train_mfu", "Training and prefill utilisation (BF16 peak, causal attention counted)", "fraction",
         V3("causal_mfu_bf16"), None, 0.001, 1, "training utilisation", step=0.01,
         help="V3 pre-training's causal MFU, which counts 6N plus the lower triangle of attention, as here."),
    _num("decode_mfu", "Generation (decode) utilisation (BF16 peak, absorbed-MLA attention counted)", "fraction",
         derived.v3_decode_mfu_absorbed(), None, 0.0001, 1, "decode utilisation", step=0.01,
         help="DeepSeek's serving fleet: 14.8k output tokens/s per node at 4,989 cached tokens, in the FLOPs "
         "counted for decoding here."),
    _num("weight_bytes", "Bytes per parameter, each resident model copy", "bytes", 2, WEIGHTS, 0, 16,
         "bytes per weight"),
    _num("train_state_bytes", "Bytes per parameter, trained model state", "bytes", 12, STATE, 0, 32,
         "bytes of trained state"),
    _num("reported_hours", "Reported wall-clock time (R1-Zero)", "hours", R1("r1_zero_hours"), COST_TEXT, 0.01,
         1_000_000, "reported hours"),
    _num("price_per_gpu_hour", "Rental price", "USD/GPU-hour", R1("price_per_gpu_hour"), None, 0, 1_000,
         "price per GPU-hour", range=PRICE_RANGE, step=0.1),
)  # fmt: skip

HELP = {
    "modelled_gpu_hours": "A floor: no waiting for the longest response, no weight transfer between trainer and "
    "inference engine, no evaluation.",
    "modelled_share_of_reported": "Below 1, the rest of the reported time went on something other than arithmetic "
    "at the measured utilisations: the longest responses, weight transfers, evaluation.",
    "required_decode_speed": "A response decodes one token after another; DeepSeek's serving users got 20-22 "
    "tokens/s (day 6).",
    "scaled_cost_usd": "An upper estimate: every unmodelled overhead grows in proportion to the modelled time.",
    "added_cost_usd": "A lower estimate: the overheads stay as they were and only the extra compute is added.",
}
OUTPUTS = tuple(
    Output(name, label, unit, HELP.get(name, ""))
    for name, label, unit in (
        ("rollouts_per_step", "Rollouts per step", "rollouts"),
        ("tokens_per_step", "Tokens per step", "tokens"),
        ("models_resident", "Models held", "models"),
        ("weights_bytes_per_gpu", "Weights per GPU (every resident model, sharded evenly)", "bytes"),
        ("train_state_bytes_per_gpu", "Trained model state per GPU (policy, and critic for PPO)", "bytes"),
        ("memory_share_of_hbm", "Share of each GPU's HBM taken by model weights and state", "fraction"),
        ("generation_flops_per_step", "Generation FLOPs per step (decoding with absorbed MLA, and prefill)", "FLOP"),
        ("scoring_flops_per_step", "Forward passes of the reference and the other models per step", "FLOP"),
        ("old_policy_flops_per_step", "Old-policy log-probabilities per step (a framework convention)", "FLOP"),
        ("training_flops_per_step", "Training FLOPs per step (forward and backward)", "FLOP"),
        ("total_flops_per_step", "Total FLOPs per step", "FLOP"),
        ("flops_vs_grpo", "FLOPs per step ÷ GRPO's", "ratio"),
        ("weights_only_flops_per_step", "FLOPs per step, weights only (2N, 6N): a lower bound", "FLOP"),
        ("flops_over_weights_only", "Total FLOPs ÷ the weights-only count", "ratio"),
        ("modelled_seconds_per_step", "Compute time per step at the measured utilisations", "seconds"),
        ("modelled_gpu_hours", "Compute GPU-hours for the run at the measured utilisations", "GPU-hours"),
        ("reported_gpu_hours", "Reported R1-Zero GPU-hours", "GPU-hours"),
        ("implied_seconds_per_step", "Reported time per step", "seconds"),
        ("implied_utilisation", "Utilisation implied by the reported time", "fraction"),
        ("weights_only_implied_utilisation", "Utilisation implied, weights-only FLOPs (a lower bound)", "fraction"),
        ("modelled_share_of_reported", "Compute time ÷ reported time", "ratio"),
        ("required_decode_speed", "Decode speed a response at the length cap needs to finish within the reported "
         "time per rollout", "tokens/s"),
        ("scaled_gpu_hours", "Reported run rescaled to this method", "GPU-hours"),
        ("scaled_cost_usd", "Reported run rescaled to this method: cost", "USD"),
        ("added_gpu_hours", "Reported run plus this method's extra modelled time", "GPU-hours"),
        ("added_cost_usd", "Reported run plus this method's extra modelled time: cost", "USD"),
    )
)  # fmt: skip

CALCULATOR = Calculator(
    name="rl-methods",
    title="GRPO against PPO",
    summary="Why R1's RL was cheap: GRPO keeps two policy-sized models where PPO keeps four. Models held, memory per "
    "GPU, FLOPs per step (with attention, absorbed-MLA decoding and the old-policy pass) and GPU-hours for "
    "DeepSeek-R1-Zero's RL run, reconciled with its reported H800 GPU-hours.",
    inputs=INPUTS,
    outputs=OUTPUTS,
    function=rl_methods,
    headline="scaled_cost_usd",
    key_inputs=("method", "group_size", "response_tokens", "train_mfu", "decode_mfu", "price_per_gpu_hour"),
    key_outputs=("scaled_cost_usd", "scaled_gpu_hours", "flops_vs_grpo"),
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
    ),  # fmt: skip
    notes="FLOPs count the weights (2N per token forward, 6N forward and backward, N = activated parameters) and "
    "attention at the mean sequence length (causal in every pass over whole samples; over the cached latent when "
    "decoding, MLA's up-projections absorbed), plus a forward pass for the old policy's log-probabilities unless "
    "they come from the rollout engine. Attention at the mean length understates it when lengths vary. PPO is "
    "given the same 512 rollouts per step for a like-for-like comparison. The compute time leaves out what paces "
    "real RL runs: waiting for the longest of 8,192 responses (up to 32K, later 64K tokens) and moving weights from "
    "trainer to inference engine; the gap to the reported hours measures them together.",
)
