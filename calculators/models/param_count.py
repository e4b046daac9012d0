"""The parameters of a model, counted weight by weight from its Architecture (architecture.py), as quantities.

Every weight matrix, bias and norm vector the description holds is counted, grouped by identical layers, so each
part's working reads "58 MoE layers × (...)" with the config's values and its formula the same in symbols. Counts
are exact integers.

Per layer:
- standard attention: q (twice as wide with an output gate), k, v, o; biases where set; a sink logit per head;
- MLA: q_a/q_b (or one q_proj), kv_a (latent + RoPE key), kv_b, o; DeepSeek-V3.2's indexer: wq_b, wk, weights_proj;
- Gated DeltaNet: in_proj_qkvz, in_proj_ba, the depthwise convolution, dt_bias and A_log, out_proj;
- FFNs and experts are gated: gate, up and down projections, 3 × hidden × width (+ 2 × width + hidden biases);
  a router has one row of hidden weights per expert (+ a bias per expert where set), a shared-expert gate one row;
- norms: the layer's hidden-width norms (twice for LayerNorms with a bias), query/key norms, MLA's latent norms,
  the indexer's key LayerNorm, DeltaNet's gated RMSNorm.

Totals leave out the multi-token-prediction modules and the vision tower, which are counted apart. Activated per
token: every weight except the input-embedding lookup and the routed experts the router did not choose.
"""

from __future__ import annotations

from dataclasses import replace

from ..core import Q, qsum
from .architecture import Architecture, Attention, DenseMlp, GatedDeltaNet, LatentAttention, Layer, MoeMlp, groups

P = "parameters"

# The parts that add up to the total, in the order the params calculator lists them.
PARTS = (
    "embedding_params",
    "attention_params",
    "linear_attention_params",
    "dense_mlp_params",
    "shared_expert_params",
    "routed_expert_params",
    "router_params",
    "norm_params",
    "output_head_params",
)

# What each publisher's "activated" count holds, where known (see tests/test_params.py for the figures).
WITH_EMBEDDING = "with the input embedding"
WITHOUT_EMBEDDING = "without the input embedding"
CONVENTIONS: dict[str, tuple[str, str]] = {
    "deepseek_v2": (WITHOUT_EMBEDDING, "DeepSeek's activated counts match the count without the input embedding"),
    "deepseek_v3": (WITHOUT_EMBEDDING, "DeepSeek's activated counts match the count without the input embedding"),
    "deepseek_v32": (WITHOUT_EMBEDDING, "DeepSeek's activated counts match the count without the input embedding"),
    "gpt_oss": (WITHOUT_EMBEDDING, "OpenAI counts the unembedding towards active parameters, not the embedding"),
    "qwen2_moe": (WITH_EMBEDDING, "Qwen's activated counts include the input embedding"),
    "qwen3_moe": (WITH_EMBEDDING, "Qwen's activated counts include the input embedding"),
    "qwen3_next": (WITH_EMBEDDING, "Qwen's activated counts include the input embedding"),
    "mixtral": (WITH_EMBEDDING, "Mistral's active counts include the input embedding"),
    "olmoe": (WITH_EMBEDDING, "AI2's active count includes the input embedding"),
    "llama4": (WITH_EMBEDDING, "Meta's activated counts include the input embedding"),
}


def conventions() -> str:
    """The publishers' conventions, for a page or a help text."""
    by_text: dict[str, list[str]] = {}
    for family, (_, text) in CONVENTIONS.items():
        by_text.setdefault(text, []).append(family)
    return "; ".join(f"{text} ({', '.join(families)})" for text, families in by_text.items())


def _dim(value: int, symbol: str, unit: str = "") -> Q:
    """A size or count read from the config."""
    return Q.input(value, unit, symbol)


def _none(how: str) -> Q:
    """A part this architecture does not have: 0 parameters, said in words."""
    return Q.const(0).explain(how)


def _ffn(d: Q, width: int, symbol: str, bias: bool) -> Q:
    w = _dim(width, symbol)
    out = 3 * d * w  # gate, up and down projections
    return out + (2 * w + d) if bias else out


# ---------------------------------------------------------------------------------------------------- per layer


def _attention(a, d: Q) -> tuple[Q, Q]:
    """(weights, norm weights) of one layer's attention."""
    if isinstance(a, LatentAttention):
        return _mla(a, d)
    if isinstance(a, GatedDeltaNet):
        return _deltanet(a, d)
    heads, kv, hd = _dim(a.heads, "heads"), _dim(a.kv_heads, "KV heads"), _dim(a.head_dim, "head dim")
    q_out = 2 * heads * hd if a.output_gate else heads * hd
    w = d * q_out + 2 * d * kv * hd + heads * hd * d
    if a.qkv_bias:
        w = w + q_out + 2 * kv * hd
    if a.o_bias:
        w = w + d
    if a.sinks:
        w = w + heads  # one learned sink logit per head
    norms = Q.const(0)
    if a.qk_norm == "head":
        norms = 2 * hd
    elif a.qk_norm == "whole":
        norms = heads * hd + kv * hd
    return w, norms


def _mla(a: LatentAttention, d: Q) -> tuple[Q, Q]:
    heads = _dim(a.heads, "heads")
    kv_rank, rope = _dim(a.kv_rank, "kv rank"), _dim(a.rope_dim, "RoPE dim")
    nope, v_dim = _dim(a.nope_dim, "qk nope dim"), _dim(a.v_dim, "v dim")
    if a.q_rank:  # queries compressed to q_rank, then expanded per head
        q_rank = _dim(a.q_rank, "q rank")
        q = d * q_rank + q_rank * heads * (nope + rope)
        if a.bias:
            q = q + q_rank
        norms = q_rank + kv_rank
    else:  # no query compression: one projection from the hidden state
        q = d * heads * (nope + rope)
        norms = kv_rank
    kv = d * (kv_rank + rope) + kv_rank * heads * (nope + v_dim)
    if a.bias:
        kv = kv + (kv_rank + rope)
    o = heads * v_dim * d
    if a.bias:
        o = o + d
    w = q + kv + o
    if a.indexer:  # DeepSeek-V3.2: wq_b from the compressed query, wk, weights_proj; k_norm is a LayerNorm
        ih, idim = _dim(a.indexer.heads, "indexer heads"), _dim(a.indexer.head_dim, "indexer head dim")
        w = w + (q_rank * ih * idim + d * idim + d * ih)
        norms = norms + 2 * idim
    return w, norms


def _deltanet(a: GatedDeltaNet, d: Q) -> tuple[Q, Q]:
    hk, hv = _dim(a.key_heads, "key heads"), _dim(a.value_heads, "value heads")
    dk, dv = _dim(a.key_dim, "key head dim"), _dim(a.value_dim, "value head dim")
    kernel = _dim(a.conv_kernel, "conv kernel")
    keys, values = (hk * dk).named("key width", ""), (hv * dv).named("value width", "")
    w = d * (2 * keys + 2 * values) + d * (2 * hv) + (2 * keys + values) * kernel + 2 * hv + values * d
    return w, dv  # in_proj_qkvz, in_proj_ba, conv1d, dt_bias and A_log, out_proj; the gated RMSNorm


def _weights_key(a):
    """Two layers whose attention differs only in its span have the same weights."""
    return replace(a, span="full", window=0) if isinstance(a, (Attention, LatentAttention)) else a


def _layer_norms(attention, norms: int, d: Q, norm_bias: bool) -> Q:
    per = norms * d * 2 if norm_bias else norms * d
    inner = _attention(attention, d)[1]
    return per + inner if inner.value else per


def _moe(m: MoeMlp, d: Q) -> dict[str, Q]:
    experts = _dim(m.experts, "experts per layer", "experts")
    expert = _ffn(d, m.width, "expert width", m.bias).named("one expert", P)
    router = experts * (d + 1) if m.router_bias else experts * d
    shared = None
    if m.shared:
        shared = _dim(m.shared, "shared experts per layer", "experts") * _ffn(d, m.shared_width, "shared width", m.bias)
        if m.shared_gate:
            router = router + d
    return {"experts": experts, "expert": expert, "router": router, "shared": shared}


def layer_weights(layer: Layer, d: Q, norm_bias: bool) -> Q:
    """Every weight of one layer."""
    attn = _attention(layer.attention, d)[0]
    m = layer.mlp
    if isinstance(m, DenseMlp):
        mlp = _ffn(d, m.width, "intermediate", m.bias)
    else:
        parts = _moe(m, d)
        mlp = parts["experts"] * parts["expert"] + parts["router"]
        if parts["shared"] is not None:
            mlp = mlp + parts["shared"]
    return attn + _layer_norms(layer.attention, layer.norms, d, norm_bias) + mlp


# ---------------------------------------------------------------------------------------------------------- whole


def _label(layer: Layer) -> str:
    a = layer.attention
    if isinstance(a, GatedDeltaNet):
        attn = "Gated DeltaNet"
    elif isinstance(a, LatentAttention):
        attn = "MLA with indexer" if a.indexer else "MLA"
    else:
        attn = {"full": "", "sliding": "sliding-window ", "chunked": "chunked "}[a.span] + a.kind.upper()
    return f"{attn} + {'MoE' if isinstance(layer.mlp, MoeMlp) else 'dense FFN'} layers"


def _sum(layer_groups, key, make, symbol: str, name: str = "") -> Q | None:
    """Σ over the layers whose key(layer) is not None, grouped by that key: count × make(key); None if no layer."""
    counts: dict = {}
    for layer, n in layer_groups:
        k = key(layer)
        if k is not None:
            counts[k] = counts.get(k, 0) + n
    if not counts:
        return None
    total = qsum(_dim(n, symbol, "layers") * make(k) for k, n in counts.items())
    return total.named(name, P) if name else total


def _attention_key(layer: Layer):
    a = layer.attention
    return None if isinstance(a, GatedDeltaNet) else _weights_key(a)


def _linear_key(layer: Layer):
    return layer.attention if isinstance(layer.attention, GatedDeltaNet) else None


def _dense_key(layer: Layer):
    return layer.mlp if isinstance(layer.mlp, DenseMlp) else None


def _moe_key(layer: Layer):
    return layer.mlp if isinstance(layer.mlp, MoeMlp) else None


def count(arch: Architecture) -> dict[str, Q]:
    """Every part of the parameter count, the totals, the activated counts and the modules counted apart."""
    d = _dim(arch.hidden, "hidden")
    V = _dim(arch.vocab, "vocabulary")
    layer_groups = groups(arch.layers)
    out: dict[str, Q] = {}
    out["embedding_params"] = embedding = (V * d).named("input embedding", P)

    def weights(a):
        return _attention(a, d)[0]

    attention = _sum(layer_groups, _attention_key, weights, "layers", "attention")
    out["attention_params"] = attention if attention is not None else _none("no attention layers")
    linear = _sum(layer_groups, _linear_key, weights, "linear-attention layers", "linear attention")
    out["linear_attention_params"] = linear if linear is not None else _none("no linear-attention layers")
    dense = _sum(layer_groups, _dense_key, lambda m: _ffn(d, m.width, "intermediate", m.bias), "dense layers",
                 "dense FFNs")  # fmt: skip
    out["dense_mlp_params"] = dense if dense is not None else _none("no dense FFN layers")
    moe_counts: dict = {}
    for layer, n in layer_groups:
        if isinstance(layer.mlp, MoeMlp):
            moe_counts[layer.mlp] = moe_counts.get(layer.mlp, 0) + n
    parts = {m: _moe(m, d) for m in moe_counts}
    shared = _sum(layer_groups, lambda x: x.mlp if isinstance(x.mlp, MoeMlp) and x.mlp.shared else None,
                  lambda m: parts[m]["shared"], "MoE layers", "shared experts")  # fmt: skip
    out["shared_expert_params"] = shared if shared is not None else _none("no shared experts")
    routed = _sum(layer_groups, _moe_key, lambda m: parts[m]["experts"] * parts[m]["expert"], "MoE layers",
                  "routed experts")  # fmt: skip
    out["routed_expert_params"] = routed if routed is not None else _none("no routed experts")
    routers = _sum(layer_groups, _moe_key, lambda m: parts[m]["router"], "MoE layers", "routers")
    out["router_params"] = routers if routers is not None else _none("no router")
    layer_norms = _sum(layer_groups, lambda x: (_weights_key(x.attention), x.norms),
                       lambda k: _layer_norms(k[0], k[1], d, arch.norm_bias), "layers")  # fmt: skip
    final = 2 * d if arch.norm_bias else d
    out["norm_params"] = (layer_norms + final).named("norms", P)  # + the final norm
    if arch.tied:
        out["output_head_params"] = _none("tied to the input embedding")
    else:
        out["output_head_params"] = (V * d + V if arch.head_bias else V * d).named("output head", P)
    total = qsum(out[x] for x in PARTS if out[x].value).named("total parameters", P)
    out["total_params"] = total

    active = total
    for m, n in moe_counts.items():
        if m.experts > m.top_k:  # the routed experts the router did not choose
            skipped = _dim(m.experts - m.top_k, "unchosen experts", "experts")
            active = active - _dim(n, "MoE layers", "layers") * skipped * parts[m]["expert"]
    if not arch.tied:  # the input embedding is a row lookup, not a matrix product
        active = active - embedding
    if active is total:
        active = total.explain("every weight: no unchosen experts, and the tied embedding is the output head")
    out["active_params"] = active = active.named("activated parameters", P)
    out["active_params_with_embedding"] = with_embedding = (
        active.explain("the embedding is tied to the output head, already counted")
        if arch.tied
        else (active + embedding).named("activated parameters with the input embedding", P)
    )
    convention = CONVENTIONS.get(arch.family)
    if convention:
        chosen = with_embedding if convention[0] == WITH_EMBEDDING else active
        out["active_params_as_published"] = chosen.explain(convention[1])
    else:
        out["active_params_as_published"] = with_embedding.explain(
            "the publisher's convention is not known here: shown with the input embedding"
        )
    out.update(_extras(arch, d, embedding, out["output_head_params"], total))
    out["layers"] = _layers(arch, layer_groups)
    return out


def _extras(arch: Architecture, d: Q, embedding: Q, head: Q, total: Q) -> dict[str, Q]:
    out: dict[str, Q] = {}
    if arch.mtp:
        # per module: enorm and hnorm, eh_proj (2 × hidden → hidden), one more layer, the shared head's norm
        terms, active_terms = [], []
        for layer, n in groups(arch.mtp):
            which = "MTP modules" if len(set(arch.mtp)) == 1 else f"MTP modules with {_label(layer)[:-7]}"
            module = 2 * d + 2 * d * d + layer_weights(layer, d, arch.norm_bias).named("one layer", P) + d
            count_q = _dim(n, which, "modules")
            terms.append(count_q * module)
            m = layer.mlp
            if isinstance(m, MoeMlp) and m.experts > m.top_k:
                skipped = _dim(m.experts - m.top_k, "unchosen experts", "experts")
                active_terms.append(count_q * skipped * _moe(m, d)["expert"])
        mtp = qsum(terms).named("MTP modules' own weights", P)
        out["mtp_params"] = mtp
        out["mtp_active_params"] = (
            (mtp - qsum(active_terms)).named("MTP weights a token uses", P) if active_terms else mtp
        )
        modules = _dim(len(arch.mtp), "MTP modules", "modules")
        copies = (modules * (embedding if arch.tied else embedding + head)).named(
            "stored copies of embedding and head", P
        )
        out["total_with_mtp_params"] = with_mtp = (total + mtp).named("total with MTP modules", P)
    else:
        for k in ("mtp_params", "mtp_active_params"):
            out[k] = _none("no MTP module in this config")
        out["total_with_mtp_params"] = with_mtp = total.explain("no MTP module in this config")
        copies = None
    vision = _vision(arch)
    out["vision_params"] = vision if vision is not None else _none("no vision tower in this config")
    stored = with_mtp
    if copies is not None:
        stored = stored + copies
    if vision is not None:
        stored = stored + vision
    out["checkpoint_params"] = stored if stored is not with_mtp else with_mtp.explain("no extra modules stored")
    return out


def _vision(arch: Architecture) -> Q | None:
    """A SigLIP tower: patch embedding (with bias), position embedding, pre-norm blocks (LayerNorms and projections
    with biases), a final LayerNorm; then Gemma 3's projection into the language model and its RMSNorm."""
    v = arch.vision
    if v is None:
        return None
    h, inter = _dim(v.hidden, "vision hidden"), _dim(v.intermediate, "vision intermediate")
    patch, channels = _dim(v.patch, "patch size"), _dim(v.channels, "channels")
    side = _dim(v.image // v.patch, "patches per side").explain("image size over patch size, rounded down")
    block = 4 * h * h + 4 * h + (2 * h * inter + inter + h) + 4 * h  # q, k, v, o; fc1, fc2; two LayerNorms
    tower = channels * patch * patch * h + h + side * side * h + _dim(v.layers, "vision layers", "layers") * block
    tower = tower + 2 * h
    projector = h * _dim(v.text_hidden, "hidden") + h
    return (tower + projector).named("vision tower and projector", P)


def _layers(arch: Architecture, layer_groups) -> Q:
    terms = [_dim(n, _label(layer), "layers") for layer, n in layer_groups]
    q = qsum(terms).named("layers", "layers") if len(terms) > 1 else terms[0]
    how = "; ".join(arch.notices)
    return q.explain(how) if how else q
