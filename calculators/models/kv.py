"""The key/value cache a model keeps per token, by attention type, as quantities (core/quantity.py).

DeepSeek-V2 report, §2.1.4, Table 1: per token and layer, multi-head attention caches 2·n_h·d_h elements (a key
and a value per head), grouped-query attention 2·n_g·d_h (per key/value head), multi-query attention 2·d_h, and
multi-head latent attention (MLA) d_c + d_h^R: one compressed latent and one decoupled RoPE key, shared by all heads.
The kv-cache and your-model calculators both count with these functions; configs.kv_dims reads the shape from a
config.json.
"""

from __future__ import annotations

from ..core import Q

ATTENTION = (
    ("mla", "MLA: one compressed latent plus one RoPE key per layer (DeepSeek-V2/V3)"),
    ("gqa", "GQA: a key and a value per key/value head"),
    ("mqa", "MQA: one key and one value per layer"),
    ("mha", "MHA: a key and a value per attention head"),
)


def elements_per_layer(attention: str, n_heads=None, n_kv_heads=None, head_dim=None, kv_lora_rank=None,
                       qk_rope_head_dim=None) -> Q:  # fmt: skip
    """Elements cached per token in one layer (V2 Table 1); each attention type uses only its own dimensions."""
    if attention == "mla":
        return kv_lora_rank + qk_rope_head_dim
    if attention == "gqa":
        return 2 * n_kv_heads * head_dim
    if attention == "mqa":
        return 2 * head_dim
    return 2 * n_heads * head_dim  # mha


def bytes_per_token(n_layers, per_layer, bytes_per_element) -> Q:
    """The whole cache per token: every layer's elements, at the bytes each cached element takes."""
    return n_layers * per_layer * bytes_per_element
