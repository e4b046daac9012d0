"""FLOPs of one RL step (GRPO, or PPO with a critic), by phase, with attention: shared by rl-methods and distill.

One step trains on `rollouts` samples of a prompt of P tokens and a response of R tokens (T = P + R per sample):
- decoding the responses: each generated token attends the prompt and the response so far, on average
  c = P + R/2 cached positions (flops.decode_flops_per_token, with the attention FLOPs per layer and cached
  position: absorbed MLA for DeepSeek-V3, DeepSeek-V2 §2.1.2);
- prefilling the prompts: one forward pass over P tokens (flops.forward_flops_per_token);
- scoring: a forward pass over every sample's T tokens by the frozen reference (the KL term) and, where they exist,
  by a critic and a learned reward model (each a multiple of the policy's size);
- the old policy's log-probabilities: one more forward pass of the policy over every sample before the updates,
  as open RL frameworks do it (verl's RayPPOTrainer.fit: "recompute old_log_probs"); DeepSeek does not say how it
  obtains them, so this pass is a choice of the caller;
- training: forward and backward (3 × the forward) of the policy and, for PPO, the critic.
A model of `ratio` × the policy's size is counted at `ratio` × the policy's FLOPs (the same architecture, scaled).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import Q, qsum
from . import flops


@dataclass(frozen=True)
class StepFlops:
    """One step's FLOPs by phase; `old_policy` is a constant 0 when the log-probabilities are not recomputed."""

    decode: Q
    prefill: Q
    scoring: Q
    old_policy: Q
    training: Q

    def total(self) -> Q:
        return self.decode + self.prefill + self.scoring + self.old_policy + self.training


def step_flops(active, layers, width, decode_per_position, rollouts, prompt, response, *, recompute: bool,
               critic: Q | None = None, reward_model: Q | None = None) -> StepFlops:  # fmt: skip
    """FLOPs of one step (see the module docstring). decode_per_position: attention FLOPs per layer and cached
    position when decoding; critic and reward_model: size ÷ policy size, or None."""
    dec_tok = (rollouts * response).named("response tokens", "tokens")
    pre_tok = (rollouts * prompt).named("prompt tokens", "tokens")
    tokens = (dec_tok + pre_tok).named("tokens per step", "tokens")
    seq = (prompt + response).named("sequence length", "tokens")
    context = (prompt + response / 2).named("mean decode context", "tokens")
    fwd = flops.forward_flops_per_token(active, layers, width, seq).named("forward FLOPs per token", "FLOP")
    dec = flops.decode_flops_per_token(active, layers, decode_per_position, context).named(
        "decode FLOPs per token", "FLOP"
    )
    pre = flops.forward_flops_per_token(active, layers, width, prompt).named("prefill FLOPs per token", "FLOP")
    scored = [Q.const(1, "1 reference")] + [m for m in (critic, reward_model) if m is not None]
    trained = [Q.const(1, "1 policy")] + ([critic] if critic is not None else [])
    if recompute:
        old = fwd * tokens
    else:
        old = Q.const(0.0).explain("not counted: the log-probabilities come from the rollout engine")
    return StepFlops(
        decode=dec * dec_tok,
        prefill=pre * pre_tok,
        scoring=fwd * tokens * qsum(scored),
        old_policy=old,
        training=3 * fwd * tokens * qsum(trained),
    )


def weights_only_step_flops(active, rollouts, prompt, response, critic: Q | None = None,
                            reward_model: Q | None = None) -> Q:  # fmt: skip
    """The same step counted as 2N per token forward and 6N forward and backward: no attention, no recompute.

    A lower bound on the FLOPs (Kaplan et al. 2020's rule, which leaves attention out).
    """
    dec_tok = (rollouts * response).named("response tokens", "tokens")
    pre_tok = (rollouts * prompt).named("prompt tokens", "tokens")
    tokens = (dec_tok + pre_tok).named("tokens per step", "tokens")
    scored = [Q.const(1, "1 reference")] + [m for m in (critic, reward_model) if m is not None]
    trained = [Q.const(1, "1 policy")] + ([critic] if critic is not None else [])
    return (
        2 * active * dec_tok
        + 2 * active * pre_tok
        + 2 * active * tokens * qsum(scored)
        + 6 * active * tokens * qsum(trained)
    )
