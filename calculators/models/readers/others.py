"""MoE families with layouts of their own: olmoe, gpt_oss, dbrx, ernie4_5_moe (Hugging Face Transformers
OlmoeConfig, GptOssConfig, DbrxConfig, Ernie4_5_MoeConfig).

- OLMoE: num_experts experts of intermediate_size in every layer, top num_experts_per_tok; RMSNorm over the whole
  query and key projections (not per head).
- gpt-oss: biases on q, k, v and o, one learned sink logit per head, `layer_types` alternating sliding_window and
  full attention; num_local_experts experts of intermediate_size with biases, a router with a bias.
- DBRX: its own field names (d_model, n_heads, n_layers, max_seq_len) and nested attn_config (kv_n_heads) and
  ffn_config (moe_num_experts, moe_top_k, ffn_hidden_size); bias-free LayerNorms and projections.
- ERNIE 4.5 MoE: MoE layers where (index + 1) is divisible by moe_layer_interval, between moe_layer_start_index and
  moe_layer_end_index (lists: their min and max; −1: the last layer); moe_num_experts experts of moe_intermediate_size
  (top moe_k) plus moe_num_shared_experts shared ones of the same width; use_bias on every projection; the router
  keeps a correction bias per expert.
"""

from __future__ import annotations

from ..architecture import FULL, SLIDING, Attention, DenseMlp, MoeMlp
from .common import architecture, attention, context, layer_kinds, n_layers, sliding_window, spans, stack
from .fields import Fields, shown


def olmoe(f: Fields, model_type: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", False)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias, qk_norm="whole")
    experts = f.int("num_experts", default=8)
    mlp = MoeMlp(experts, f.top_k("num_experts_per_tok", experts), f.int("intermediate_size"))
    return architecture(model_type, "olmoe", f, hidden, stack([base] * count, [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=context(f, 4096))  # fmt: skip


def gpt_oss(f: Fields, model_type: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", True)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias, sinks=True)
    ctx = context(f, 131072)
    kinds = layer_kinds(f, count, lambda i: SLIDING if i % 2 == 0 else FULL, ("full_attention", "sliding_attention"))
    attn = spans(base, kinds, sliding_window(f, ctx, kinds))
    experts = f.int("num_local_experts")
    key = "num_experts_per_tok" if f.has("num_experts_per_tok") else "experts_per_token"
    mlp = MoeMlp(experts, f.top_k(key, experts), f.int("intermediate_size"), router_bias=True, bias=True)
    return architecture(model_type, "gpt_oss", f, hidden, stack(attn, [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def dbrx(f: Fields, model_type: str):
    hidden, count = f.int("d_model"), n_layers(f, "n_layers")
    heads = f.int("n_heads")
    a, ffn = f.sub("attn_config"), f.sub("ffn_config")
    kv = a.int("kv_n_heads", default=1)
    if kv > heads or heads % kv or hidden % heads:
        raise f.err(
            f"'n_heads' ({heads}) must be a multiple of 'attn_config.kv_n_heads' ({kv}) and divide 'd_model' ({hidden})"
        )
    base = Attention(heads, kv, hidden // heads)
    experts = ffn.int("moe_num_experts", default=4)
    mlp = MoeMlp(experts, ffn.top_k("moe_top_k", experts), ffn.int("ffn_hidden_size"))
    return architecture(model_type, "dbrx", f, hidden, stack([base] * count, [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=context(f, 2048, "max_seq_len"))  # fmt: skip


def _index(f: Fields, key: str, count: int, default: int, pick) -> int:
    """ERNIE's moe_layer_start_index / moe_layer_end_index: a layer index, −1 for the last layer, or a list of them
    (one per modality: the text model uses their min or max)."""
    v = f.raw(key, default)
    values = v if isinstance(v, list) and v else [v]
    for x in values:
        if isinstance(x, bool) or not isinstance(x, int) or not -1 <= x < count:
            raise f.err(
                f"{f.name(key)} must be a layer index from -1 to {count - 1}, or a list of them (got {shown(v)})"
            )
    return pick(count - 1 if x == -1 else x for x in values)


def ernie4_5_moe(f: Fields, model_type: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("use_bias", False)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias)
    experts = f.int("moe_num_experts", default=64)
    start = _index(f, "moe_layer_start_index", count, 1, min)
    end = _index(f, "moe_layer_end_index", count, -1, max)
    interval = f.int("moe_layer_interval", default=1)
    at = [(i + 1) % interval == 0 and start <= i <= end for i in range(count)]
    moe = dense = None
    if any(at):
        width = f.int("moe_intermediate_size", default=f.int("intermediate_size"))
        shared = f.int("moe_num_shared_experts", lo=0, default=0)
        moe = MoeMlp(experts, f.top_k("moe_k", experts), width, shared, width if shared else 0,
                     router_bias=True, bias=bias)  # fmt: skip
    if not all(at):
        dense = DenseMlp(f.int("intermediate_size"), bias)
    return architecture(model_type, "ernie4_5_moe", f, hidden, stack([base] * count, [moe if m else dense for m in at]),
                        tied=f.bool("tie_word_embeddings", True), ctx=context(f, 131072))  # fmt: skip
