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


def flops_per_token(active_params, layers, attention_width, seq_len, causal_fraction) -> Q:
    """Training FLOPs per token as 6N + 6·L·W·T·c: c = ½ counts the causal lower triangle (FlashAttention, DeepSeek's
    "causal MFU"), c = 1 the whole score matrix (Megatron; PaLM's 6N + 12LHQT), W = heads × (qk dim + v dim)."""
    return 6 * active_params + 6 * layers * attention_width * seq_len * causal_fraction
