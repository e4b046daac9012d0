"""Training FLOPs per token: 6N for the weights plus the attention scores, which the 6N rule leaves out.

Forward 2N + backward 4N per activated parameter (Kaplan et al. 2020, §2.1). Attention: per layer, QKᵀ and A·V cost
2 × heads × (qk dim + v dim) × sequence length FLOPs forward, ×3 for forward + backward, × the causal fraction (0.5
counts the lower triangle only, as FlashAttention and DeepSeek's "causal MFU" do; 1 the whole matrix, as Megatron).
Each function takes quantities (core/quantity.py) or plain numbers and returns a quantity, so its working shows.
"""

from __future__ import annotations

from ..core import Q, qmin, qsum
from .architecture import CHUNKED, SLIDING, Attention, LatentAttention, groups


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


def attention_flops_per_token(arch, seq_len, causal_fraction) -> Q:
    """Training FLOPs per token of every layer's attention scores and weighted sum, from an Architecture.

    Per layer, 6 × heads × (q·k dim + v dim) × the keys each query meets: the sequence length × the causal fraction
    for full attention; for a sliding window W at most W (min(causal fraction × T, W)); for chunks of C tokens the
    causal fraction of min(T, C); DeepSeek-V3.2's sparse attention at most its top k selected tokens, plus its
    indexer scoring every earlier token (6 × indexer heads × indexer head dim × causal fraction × T). MLA counts
    per head q·k dim = no-RoPE + RoPE dims and v dim = v_head_dim, as DeepSeek's own FLOPs accounting does.
    Linear-attention layers add nothing here: their projections are in 6N and their state update is small.
    """
    terms = []
    keys = (seq_len * causal_fraction).named("keys per query", "tokens")
    for a, n in groups(x.attention for x in arch.layers if isinstance(x.attention, (Attention, LatentAttention))):
        layers = Q.input(n, "layers", "attention layers")
        heads = Q.input(a.heads, "", "heads")
        if isinstance(a, LatentAttention):
            qk = Q.input(a.nope_dim, "", "qk nope dim") + Q.input(a.rope_dim, "", "RoPE dim")
            v = Q.input(a.v_dim, "", "v dim")
        else:
            qk = v = Q.input(a.head_dim, "", "head dim")
        if a.span == SLIDING:
            seen = qmin(keys, Q.input(a.window, "tokens", "window"))
        elif a.span == CHUNKED:
            seen = qmin(seq_len, Q.input(a.window, "tokens", "chunk")) * causal_fraction
        elif isinstance(a, LatentAttention) and a.indexer is not None:
            seen = qmin(keys, Q.input(a.indexer.topk, "tokens", "selected tokens"))
        else:
            terms.append(attention_flops(layers, heads, qk, v, seq_len, causal_fraction))
            continue
        term = 6 * layers * heads * (qk + v) * seen
        if isinstance(a, LatentAttention) and a.indexer is not None:
            ih, idim = Q.input(a.indexer.heads, "", "indexer heads"), Q.input(a.indexer.head_dim, "", "indexer dim")
            term = term + 6 * layers * ih * idim * keys
        terms.append(term)
    return qsum(terms) if terms else Q.const(0).explain("no softmax attention layers")


def flops_per_token(active_params, layers, attention_width, seq_len, causal_fraction) -> Q:
    """Training FLOPs per token as 6N + 6·L·W·T·c: c = ½ counts the causal lower triangle (FlashAttention, DeepSeek's
    "causal MFU"), c = 1 the whole score matrix (Megatron; PaLM's 6N + 12LHQT), W = heads × (qk dim + v dim)."""
    return 6 * active_params + 6 * layers * attention_width * seq_len * causal_fraction


def forward_flops_per_token(active_params, layers, attention_width, seq_len) -> Q:
    """One forward pass over a whole sequence (prefill, a reference or old-policy pass), per token: 2N + L·W·T.

    Causal attention over a sequence of T tokens: a token at position t attends t positions, 2·W·t FLOPs per layer
    (QKᵀ over the query-key dims, A·V over the value dims, W = heads × (qk dim + v dim)); averaged over the sequence,
    2·W·T/2 = W·T per layer. Backward costs twice the forward, so training is 3× this (causal_flops_per_token).
    """
    return 2 * active_params + layers * attention_width * seq_len


def decode_flops_per_token(active_params, layers, attention_per_position, context) -> Q:
    """One generated token, attending `context` cached positions: 2N + L × (attention FLOPs per layer and position) × c.

    Per layer and cached position: 2 × heads × (qk dim + v dim) for multi-head or grouped-query attention, and
    2 × heads × (2·d_c + d_h^R) for MLA decoding with W^UK absorbed into the query and W^UV into the output
    (DeepSeek-V2 §2.1.2 and Appendix C; derived.v3_absorbed_attention_flops_per_position): the scores run over the
    d_c-dimensional latent plus the d_h^R-dimensional RoPE key, the weighted sum over the latent. The absorbed
    projections multiply as many weights per token as the up-projections they replace, so the weights stay at 2N.
    """
    return 2 * active_params + layers * attention_per_position * context
