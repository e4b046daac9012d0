"""The generic reader: a decoder of an unknown family that uses the standard Hugging Face field names.

It reads a Llama-style decoder: hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, vocab_size
(required), num_key_value_heads, head_dim, attention_bias, mlp_bias, tie_word_embeddings (optional); `layer_types`
with sliding_window when listed; and experts when num_local_experts or num_experts is given with
num_experts_per_tok (of moe_intermediate_size, else intermediate_size, in every layer). What it assumes is said in
the architecture's notices, so every figure read this way says how it was read.
"""

from __future__ import annotations

from ..architecture import FULL, DenseMlp, MoeMlp
from .common import architecture, attention, context, layer_kinds, n_layers, sliding_window, spans, stack
from .fields import Fields

REQUIRED = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size")


def missing(config) -> list[str]:
    return [k for k in REQUIRED if config.get(k) is None]


def generic(f: Fields, model_type: str, why: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", False)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias)
    ctx = context(f, None, "max_position_embeddings") if f.has("max_position_embeddings") else 0
    kinds = layer_kinds(f, count, lambda i: FULL, ("full_attention", "sliding_attention", "chunked_attention"))
    attn = spans(base, kinds, sliding_window(f, ctx or 10**8, kinds), f.int("attention_chunk_size", default=None))
    expert_key = "num_local_experts" if f.has("num_local_experts") else "num_experts"
    assumed = "a Llama-style decoder (gated FFN, RMSNorms, no biases unless attention_bias or mlp_bias)"
    if f.has(expert_key) and f.has("num_experts_per_tok") and f.int(expert_key, lo=0):
        experts = f.int(expert_key)
        width_key = "moe_intermediate_size" if f.has("moe_intermediate_size") else "intermediate_size"
        mlp = MoeMlp(experts, f.top_k("num_experts_per_tok", experts), f.int(width_key))
        assumed += f", {expert_key} experts of {width_key} in every layer"
    else:
        mlp = DenseMlp(f.int("intermediate_size"), f.bool("mlp_bias", False))
    notice = f"{why}: read by the generic reader as {assumed}"
    return architecture(model_type, "generic", f, hidden, stack(attn, [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx, notices=(notice,))  # fmt: skip
