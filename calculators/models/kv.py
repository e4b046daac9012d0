"""The key/value cache a model keeps, from its Architecture (architecture.py), as quantities.

Per token and layer (DeepSeek-V2 report, §2.1.4, Table 1): multi-head attention caches 2·n_h·d_h elements (a key
and a value per head), grouped-query attention 2·n_g·d_h (per key/value head), multi-query attention 2·d_h, and
multi-head latent attention (MLA) d_c + d_h^R: one compressed latent and one decoupled RoPE key shared by all heads,
as DeepSeek's inference caches it.

Over a context of T tokens:
- full-attention layers hold every token: T × their per-token elements;
- sliding-window layers hold at most their window W, chunked-attention layers (Llama 4) at most their chunk C:
  min(T, W) tokens;
- DeepSeek-V3.2's indexer also caches, per token and layer, one key of index_head_dim elements in FP8 (one byte
  each) with one FP32 scale per 128 of them (DeepSeek-V3.2-Exp inference/model.py, class Indexer: k_cache in
  float8_e4m3fn, block size 128): 128 + 4 = 132 bytes for V3.2, whatever the main cache's precision;
- Gated DeltaNet layers hold a fixed state per sequence, none per token: a value_dim × key_dim matrix per value head
  and the last (kernel − 1) inputs of the convolution (Qwen3-Next: mlx-lm qwen3_next.py, make_cache), at the bytes
  per element chosen for the cache.
"""

from __future__ import annotations

from ..core import Q, qmin, qsum
from .architecture import FULL, Architecture, Attention, DenseMlp, GatedDeltaNet, LatentAttention, Layer, groups

ATTENTION = (
    ("mla", "MLA: one compressed latent plus one RoPE key per layer (DeepSeek-V2/V3)"),
    ("gqa", "GQA: a key and a value per key/value head"),
    ("mqa", "MQA: one key and one value per layer"),
    ("mha", "MHA: a key and a value per attention head"),
)

INDEXER_KEY_BYTES = Q.const(1, "1 byte")  # FP8, per element of the indexer's key
INDEXER_SCALE_BYTES = Q.const(4, "4 bytes")  # one FP32 scale
INDEXER_BLOCK = Q.const(128)  # elements per scale


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


def _per_token(a) -> Q:
    """Elements one layer caches per token."""
    if isinstance(a, LatentAttention):
        return Q.input(a.kv_rank, "", "kv rank") + Q.input(a.rope_dim, "", "RoPE dim")
    return 2 * Q.input(a.kv_heads, "", "KV heads") * Q.input(a.head_dim, "", "head dim")


def _indexer_bytes(a) -> Q | None:
    if not isinstance(a, LatentAttention) or a.indexer is None:
        return None
    dim = Q.input(a.indexer.head_dim, "", "indexer head dim")
    return dim * INDEXER_KEY_BYTES + dim / INDEXER_BLOCK * INDEXER_SCALE_BYTES


def _head_dim(a) -> int:
    return a.nope_dim if isinstance(a, LatentAttention) else a.head_dim


def _label(a) -> str:
    if isinstance(a, LatentAttention):
        return "MLA layers with indexer" if a.indexer else "MLA layers"
    return {"full": "full-attention layers", "sliding": "sliding-window layers", "chunked": "chunked-attention layers"}[
        a.span
    ]


def state_elements(a: GatedDeltaNet) -> Q:
    """A Gated DeltaNet layer's state per sequence: the recurrent state and the convolution's last inputs."""
    hk, hv = Q.input(a.key_heads, "", "key heads"), Q.input(a.value_heads, "", "value heads")
    dk, dv = Q.input(a.key_dim, "", "key head dim"), Q.input(a.value_dim, "", "value head dim")
    kernel = Q.input(a.conv_kernel, "", "conv kernel")
    return hv * dv * dk + (kernel - 1) * (2 * hk * dk + hv * dv)


def uniform(attention: str, n_layers: int, n_heads: int, n_kv_heads: int, head_dim: int, kv_lora_rank: int,
            qk_rope_head_dim: int, max_context: int) -> Architecture:  # fmt: skip
    """A model of n_layers identical full-attention layers of one V2-Table-1 type (the kv-cache shape inputs)."""
    if attention == "mla":
        a = LatentAttention(n_heads, 0, kv_lora_rank, head_dim, qk_rope_head_dim, head_dim)
    else:
        kv = {"gqa": n_kv_heads, "mqa": 1, "mha": n_heads}[attention]
        a = Attention(n_heads, kv, head_dim)
    layer = Layer(a, DenseMlp(1))
    return Architecture(attention, "uniform", 1, 1, (layer,) * n_layers, False, max_context)


def context_tokens(arch: Architecture, context_length: Q) -> Q:
    """The context to count at: the length given, up to the model's maximum context (when its config gives one)."""
    if not arch.max_context:
        return context_length.explain("the config gives no maximum context")
    most = Q.lookup(arch.max_context, "tokens", "maximum context", "the config's maximum context")
    return qmin(context_length, most).named("context", "tokens")


def cache(arch: Architecture, context: Q, bytes_per_element: Q) -> dict[str, Q]:
    """The cache per token (every layer), per token beyond every window, and for one sequence of `context` tokens."""
    cached = [x.attention for x in arch.layers if x.attention.caches]
    linear = [x.attention for x in arch.layers if isinstance(x.attention, GatedDeltaNet)]
    out: dict[str, Q] = {}
    kv_groups = groups(cached)
    elements, token_bytes, growth, at_context = [], [], [], []
    for a, n in kv_groups:
        layers = Q.input(n, "layers", _label(a) if len(kv_groups) > 1 else "layers")
        per = _per_token(a)
        elements.append(layers * per)
        b = layers * per * bytes_per_element
        idx = _indexer_bytes(a)
        if idx is not None:
            b = b + layers * idx
        if len(kv_groups) > 1:
            b = b.named(f"{_label(a)[:-7]} cache per token", "bytes")
        token_bytes.append(b)
        if a.span == FULL:
            growth.append(b)
            at_context.append(b * context)
        else:
            at_context.append(b * qmin(context, Q.input(a.window, "tokens", "window")))
    if not cached:
        zero = Q.const(0).explain("no layer caches keys and values")
        out["elements_per_token"] = out["bytes_per_token"] = out["growth_per_token"] = zero
    else:
        out["elements_per_token"] = qsum(elements)
        out["bytes_per_token"] = qsum(token_bytes).named("KV cache per token", "bytes")
        out["growth_per_token"] = (
            qsum(growth).named("cache per token beyond the windows", "bytes")
            if growth
            else Q.const(0).explain("every layer's cache stops at its window")
        )
    state = [(a, n) for a, n in groups(linear)]
    if state:
        terms = [
            Q.input(n, "layers", "linear-attention layers") * state_elements(a) * bytes_per_element for a, n in state
        ]
        out["state_bytes"] = qsum(terms).named("recurrent state per sequence", "bytes")
    else:
        out["state_bytes"] = Q.const(0).explain("no recurrent layers")
    if len(at_context) == 1 and cached and cached[0].span == FULL and not state:
        per_sequence = out["bytes_per_token"] * context
    else:
        per_sequence = qsum(at_context + ([out["state_bytes"]] if state else []))
    out["bytes_per_sequence"] = per_sequence.named("KV cache per sequence", "bytes")

    # per cached layer, against multi-head attention with the same heads
    if cached:
        first = cached[0]
        same = len(kv_groups) == 1
        per_layer = (
            _per_token(first) if same else (out["elements_per_token"] / Q.input(len(cached), "layers", "cached layers"))
        )
        out["elements_per_layer"] = per_layer if same else per_layer.named("average per cached layer", "elements")
        mha = []
        for a, n in groups(_mha_key(a) for a in cached):
            mha.append(
                Q.input(n, "layers", "layers") * (2 * Q.input(a[0], "", "heads") * Q.input(a[1], "", "head dim"))
            )
        out["mha_bytes_per_token"] = (qsum(mha) * bytes_per_element).named("MHA cache per token", "bytes")
        out["head_dim"] = Q.input(_head_dim(first), "", "head dim")
    return out


def _mha_key(a) -> tuple[int, int]:
    return (a.heads, _head_dim(a))
