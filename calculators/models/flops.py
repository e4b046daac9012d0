"""Training FLOPs per token: 6N for the weights plus the attention scores, which the 6N rule leaves out.

Forward 2N + backward 4N per activated parameter (Kaplan et al. 2020, §2.1). Attention: per layer, QKᵀ and A·V cost
2 × heads × (qk dim + v dim) × sequence length FLOPs forward, ×3 for forward + backward, × the causal fraction (0.5
counts the lower triangle only, as FlashAttention and DeepSeek's "causal MFU" do; 1 the whole matrix, as Megatron).
Each function takes quantities (core/quantity.py) or plain numbers and returns a quantity, so its working shows.
"""

from __future__ import annotations

from ..core import Q


def dense_flops_per_token(active_params) -> Q:
    """6N: forward and backward through the activated weights, per token."""
    return 6 * active_params


def attention_flops(n_layers, n_heads, qk_head_dim, v_head_dim, seq_len, causal_fraction) -> Q:
    """Training FLOPs per token for the attention scores and their weighted sum (QKᵀ and A·V), fwd + bwd."""
    return 6 * n_layers * n_heads * (qk_head_dim + v_head_dim) * seq_len * causal_fraction


def causal_flops_per_token(active_params, layers, attention_width, seq_len) -> Q:
    """Training FLOPs per token as 6N + 3·L·W·T: W = heads × (qk dim + v dim), attention counted causally.

    Attention per layer per token, forward: 2·T·(heads·d_qk) for the scores and 2·T·(heads·d_v) for the weighted
    sum, halved for a causal mask; ×3 for forward and backward: 3 × 2 × ½ × L × W × T = 3·L·W·T.
    """
    return 6 * active_params + 3 * layers * attention_width * seq_len


def forward_flops_per_token(active_params, layers, attention_width, seq_len) -> Q:
    """One forward pass over a whole sequence (prefill, a reference or old-policy pass), per token: 2N + L·W·T.

    Causal attention over a sequence of T tokens: a token at position t attends t positions, 2·W·t FLOPs per layer
    (QKᵀ over the query-key dims, A·V over the value dims, W = heads × (qk dim + v dim)); averaged over the sequence,
    2·W·T/2 = W·T per layer. Backward costs twice the forward, so training is 3× this (causal_flops_per_token).
    """
    return 2 * active_params + layers * attention_width * seq_len


def decode_flops_per_token(active_params, layers, decode_width, context) -> Q:
    """One generated token, attending `context` cached positions: 2N + 2·L·W_dec·context.

    W_dec is the per-layer width of attention over the cache: heads × (qk dim + v dim) for multi-head or grouped-query
    attention (the same W as in training), and heads × (2·d_c + d_h^R) for MLA decoding with W^UK absorbed into the
    query and W^UV into the output (DeepSeek-V2 §2.1.2 and Appendix C): the scores run over the d_c-dimensional
    latent plus the d_h^R-dimensional RoPE key, the weighted sum over the latent. The absorbed projections multiply
    as many weights per token as the up-projections they replace, so the weights stay at 2N.
    """
    return 2 * active_params + 2 * layers * decode_width * context
