"""DeepSeek's layout and its descendants: deepseek_v2, deepseek_v3 (and kimi_k2, the same architecture),
deepseek_v32, glm4_moe (Hugging Face Transformers DeepseekV2Config, DeepseekV3Config, Glm4MoeConfig; DeepSeek's own
inference code for V3.2-Exp).

- MLA: queries compressed to q_lora_rank (null: a plain q_proj, as DeepSeek-V2-Lite), keys and values to one
  kv_lora_rank latent plus a qk_rope_head_dim RoPE key; per head qk_nope_head_dim + qk_rope_head_dim for queries and
  keys, v_head_dim for values. num_key_value_heads plays no part.
- DeepSeekMoE: layers from first_k_dense_replace on, every moe_layer_freq-th, hold n_routed_experts experts of
  moe_intermediate_size (top num_experts_per_tok) and n_shared_experts shared ones of the same width; the router
  has a correction bias per expert with topk_method noaux_tc (DeepSeek-V3 and later). Other layers are dense FFNs
  of intermediate_size.
- DeepSeek-V3.2 adds a lightning indexer to every layer (index_n_heads heads of index_head_dim; each query attends
  to the index_topk tokens it picks).
- num_nextn_predict_layers multi-token-prediction modules, each one more layer (numbered after the main model's),
  are counted apart.
- GLM-4.5 (glm4_moe): the same MoE layout and MTP modules with standard GQA attention (bias on q, k and v with
  attention_bias; an RMSNorm per head on queries and keys with use_qk_norm).
"""

from __future__ import annotations

from ..architecture import Attention, DenseMlp, Indexer, LatentAttention, MoeMlp
from .common import architecture, attention, context, n_layers, stack
from .fields import Fields


def _moe_layout(f: Fields, count: int, router_bias: bool, defaults: dict | None = None):
    """(the MLP of each layer, main layers then MTP modules; the number of MTP modules): DeepSeekMoE's selection."""
    d = defaults or {}
    n_mtp = f.int("num_nextn_predict_layers", lo=0, default=0, hi=1000)
    total = count + n_mtp
    experts = f.int("n_routed_experts", lo=1, nullable=True, default=d.get("n_routed_experts")) or 0
    at = [False] * total
    moe = None
    if experts:
        first_k = f.int("first_k_dense_replace", lo=0, default=d.get("first_k_dense_replace", 0))
        freq = f.int("moe_layer_freq", default=1)
        at = [i >= first_k and i % freq == 0 for i in range(total)]
        width = f.int("moe_intermediate_size", **({"default": d["moe_intermediate_size"]} if d else {}))
        k = f.top_k("num_experts_per_tok", experts)
        shared = f.int("n_shared_experts", lo=0, nullable=True, default=d.get("n_shared_experts", 0)) or 0
        bias = router_bias or f.str("topk_method") == "noaux_tc"
        moe = MoeMlp(experts, k, width, shared, width if shared else 0, router_bias=bias)
    dense = None if all(at) else DenseMlp(f.int("intermediate_size"))
    return [moe if m else dense for m in at], n_mtp


def _mla(f: Fields, indexer: Indexer | None = None) -> LatentAttention:
    heads = f.int("num_attention_heads")
    q_rank = f.int("q_lora_rank", nullable=True)
    rope, nope = f.int("qk_rope_head_dim", lo=0), f.int("qk_nope_head_dim", lo=0)
    if rope + nope < 1:
        raise f.err("'qk_nope_head_dim' + 'qk_rope_head_dim' must be at least 1")
    return LatentAttention(heads, q_rank or 0, f.int("kv_lora_rank"), nope, rope, f.int("v_head_dim"),
                           f.bool("attention_bias", False), indexer)  # fmt: skip


def _deepseek(f: Fields, model_type: str, family: str, router_bias: bool, indexer: Indexer | None = None):
    hidden, count = f.int("hidden_size"), n_layers(f)
    mla = _mla(f, indexer)
    mlps, n_mtp = _moe_layout(f, count, router_bias)
    layers = stack([mla] * (count + n_mtp), mlps)
    return architecture(model_type, family, f, hidden, layers[:count], tied=f.bool("tie_word_embeddings", False),
                        ctx=context(f, 2048), mtp=layers[count:])  # fmt: skip


def deepseek_v2(f: Fields, model_type: str):
    return _deepseek(f, model_type, "deepseek_v2", router_bias=False)


def deepseek_v3(f: Fields, model_type: str):
    return _deepseek(f, model_type, "deepseek_v3", router_bias=True)


def deepseek_v32(f: Fields, model_type: str):
    indexer = Indexer(f.int("index_n_heads"), f.int("index_head_dim"), f.int("index_topk"))
    if not _mla(f).q_rank:
        raise f.err("'q_lora_rank' must be set: the indexer's queries are projected from the compressed query")
    return _deepseek(f, model_type, "deepseek_v32", router_bias=True, indexer=indexer)


def glm4_moe(f: Fields, model_type: str):
    hidden, count = f.int("hidden_size"), n_layers(f)
    base: Attention = attention(f, hidden, qkv_bias=f.bool("attention_bias", False),
                                qk_norm="head" if f.bool("use_qk_norm", False) else "")  # fmt: skip
    defaults = {"n_routed_experts": 128, "n_shared_experts": 1, "first_k_dense_replace": 1,
                "moe_intermediate_size": 1408}  # fmt: skip
    mlps, n_mtp = _moe_layout(f, count, router_bias=True, defaults=defaults)
    layers = stack([base] * (count + n_mtp), mlps)
    return architecture(model_type, "glm4_moe", f, hidden, layers[:count], tied=f.bool("tie_word_embeddings", False),
                        ctx=context(f, 131072), mtp=layers[count:])  # fmt: skip
