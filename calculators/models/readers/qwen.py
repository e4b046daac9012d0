"""Qwen: qwen2, qwen3, qwen2_moe, qwen3_moe, qwen3_next (Hugging Face Transformers Qwen2Config, Qwen3Config,
Qwen2MoeConfig, Qwen3MoeConfig, Qwen3NextConfig).

- Sliding windows apply only with use_sliding_window true, and then to layers from max_window_layers on.
- Qwen2 and Qwen2-MoE have biases on q, k and v (not o); Qwen3 has attention_bias (q, k, v, o) and an RMSNorm over
  each head's queries and keys.
- MoE layers: not in mlp_only_layers and (index + 1) divisible by decoder_sparse_step; num_experts routed experts of
  moe_intermediate_size; Qwen2-MoE and Qwen3-Next add a shared expert of shared_expert_intermediate_size with a
  one-output sigmoid gate.
- Qwen3-Next: Gated DeltaNet (linear attention) except every full_attention_interval-th layer, whose attention has
  an output gate (q_proj twice as wide).
"""

from __future__ import annotations

from ..architecture import FULL, SLIDING, DenseMlp, GatedDeltaNet, MoeMlp
from .common import architecture, attention, context, layer_kinds, n_layers, sliding_window, spans, stack
from .fields import Fields


def _kinds(f: Fields, count: int, allowed=("full_attention", "sliding_attention")):
    slide = f.bool("use_sliding_window", False)
    start = f.int("max_window_layers", lo=0, default=28) if slide else 0
    return layer_kinds(f, count, lambda i: SLIDING if slide and i >= start else FULL, allowed)


def _dense(f: Fields, model_type: str, family: str, **attn):
    hidden, count = f.int("hidden_size"), n_layers(f)
    base = attention(f, hidden, **attn)
    ctx = context(f, 32768)
    kinds = _kinds(f, count)
    mlp = DenseMlp(f.int("intermediate_size"))
    return architecture(model_type, family, f, hidden, stack(spans(base, kinds, sliding_window(f, ctx, kinds)),
                        [mlp] * count), tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def qwen2(f: Fields, model_type: str):
    return _dense(f, model_type, "qwen2", qkv_bias=True)


def qwen3(f: Fields, model_type: str):
    bias = f.bool("attention_bias", False)
    return _dense(f, model_type, "qwen3", qkv_bias=bias, o_bias=bias, qk_norm="head")


def _mlps(f: Fields, count: int, shared: bool):
    """Each layer's MLP: routed experts (+ a gated shared expert) or, for mlp_only_layers, a dense FFN."""
    experts = f.int("num_experts", lo=0)
    step = f.int("decoder_sparse_step", default=1)
    only_dense = set(f.indices("mlp_only_layers", count))
    moe_at = [experts > 0 and i not in only_dense and (i + 1) % step == 0 for i in range(count)]
    moe = dense = None
    if any(moe_at):
        width = f.int("moe_intermediate_size")
        k = f.top_k("num_experts_per_tok", experts)
        extra = {}
        if shared and (sw := f.int("shared_expert_intermediate_size", lo=0, default=0)):
            extra = {"shared": 1, "shared_width": sw, "shared_gate": True}
        moe = MoeMlp(experts, k, width, **extra)
    if not all(moe_at):
        dense = DenseMlp(f.int("intermediate_size"))
    return [moe if m else dense for m in moe_at]


def qwen2_moe(f: Fields, model_type: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    base = attention(f, hidden, qkv_bias=f.bool("qkv_bias", True))
    ctx = context(f, 32768)
    kinds = _kinds(f, count)
    attn = spans(base, kinds, sliding_window(f, ctx, kinds))
    return architecture(model_type, "qwen2_moe", f, hidden, stack(attn, _mlps(f, count, shared=True)),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def qwen3_moe(f: Fields, model_type: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", False)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias, qk_norm="head")
    ctx = context(f, 32768)
    kinds = _kinds(f, count)
    attn = spans(base, kinds, sliding_window(f, ctx, kinds))
    return architecture(model_type, "qwen3_moe", f, hidden, stack(attn, _mlps(f, count, shared=False)),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def qwen3_next(f: Fields, model_type: str):
    """Qwen3-Next: `layer_types` when listed (linear_attention / full_attention), else a full-attention layer every
    full_attention_interval layers ((index + 1) divisible by it) and Gated DeltaNet layers between them."""
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", False)
    full = attention(f, hidden, qkv_bias=bias, o_bias=bias, qk_norm="head", output_gate=True)
    interval = f.int("full_attention_interval", default=4)
    kinds = layer_kinds(f, count, lambda i: FULL if (i + 1) % interval == 0 else "linear",
                        ("full_attention", "linear_attention"))  # fmt: skip
    linear = None
    if "linear" in kinds:
        linear = GatedDeltaNet(f.int("linear_num_key_heads"), f.int("linear_num_value_heads"),
                               f.int("linear_key_head_dim"), f.int("linear_value_head_dim"),
                               f.int("linear_conv_kernel_dim", default=4))  # fmt: skip
    attn = [linear if k == "linear" else full for k in kinds]
    return architecture(model_type, "qwen3_next", f, hidden, stack(attn, _mlps(f, count, shared=True)),
                        tied=f.bool("tie_word_embeddings", False), ctx=context(f, 32768))  # fmt: skip
