"""The parameters of a Hugging Face config.json, counted weight by weight, as quantities (core/quantity.py).

Every weight matrix, bias and norm vector of the architecture is counted from the config, following the Hugging Face
Transformers implementation of each schema (see configs.py for the schemas and their keys):

- DeepSeek-V2/V3 (deepseek_v2, deepseek_v3): MLA with or without query compression (q_lora_rank null = none),
  dense FFN in the first `first_k_dense_replace` layers, DeepSeekMoE elsewhere (every `moe_layer_freq`-th layer):
  `n_shared_experts` shared experts and `n_routed_experts` routed experts of `moe_intermediate_size`, top
  `num_experts_per_tok`; V3's router has a bias per expert (noaux_tc); `num_nextn_predict_layers` MTP modules.
- Mixtral (mixtral): GQA, `num_local_experts` experts of `intermediate_size` in every layer, top `num_experts_per_tok`.
- Qwen-MoE (qwen2_moe, qwen3_moe): routed experts of `moe_intermediate_size` in layers with (i + 1) divisible by
  `decoder_sparse_step` and not in `mlp_only_layers`; Qwen2-MoE adds one shared expert of
  `shared_expert_intermediate_size` with a one-output gate and has q/k/v biases; Qwen3-MoE has an explicit
  `head_dim` and RMSNorm on queries and keys.
- Dense GQA (llama, mistral, qwen2, qwen3): `num_key_value_heads`, biases where the architecture has them (Qwen2:
  q/k/v; Llama: `attention_bias`, `mlp_bias`), `tie_word_embeddings`.

Every FFN is gated (SwiGLU: gate, up and down projections, 3 × hidden × intermediate weights).

Each config value becomes a quantity with a symbol ("layers", "hidden", ...), so every count's working is its
arithmetic with the config's values ("61 layers × (7,168 × 1,536 + ...)") and its formula the same in symbols.
Counts are exact integers.
"""

from __future__ import annotations

from ..core import InputError, Q, qsum
from .configs import MAX_LAYERS, Reader, family, model_type

P = "parameters"

# The parts that add up to the total, in the order the params calculator lists them.
PARTS = (
    "embedding_params",
    "attention_params",
    "dense_mlp_params",
    "shared_expert_params",
    "routed_expert_params",
    "router_params",
    "norm_params",
    "output_head_params",
)


def _dim(value: int, symbol: str, unit: str = "") -> Q:
    """A size or count read from the config."""
    return Q.input(value, unit, symbol)


def _none(how: str) -> Q:
    """A part this architecture does not have: 0 parameters, said in words."""
    return Q.const(0).explain(how)


def _ffn(d: Q, inter: Q) -> Q:
    return 3 * d * inter  # gate, up and down projections (SwiGLU), no bias


def _mla(r: Reader, d: Q, heads: Q) -> tuple[Q, Q]:
    """DeepSeek MLA: (weights per layer, latent-norm weights per layer)."""
    kv_lora = _dim(r.get_int("kv_lora_rank"), "kv rank")
    q_lora_rank = r.get_int("q_lora_rank", nullable=True)
    rope = _dim(r.get_int("qk_rope_head_dim", lo=0), "RoPE dim")
    nope = _dim(r.get_int("qk_nope_head_dim", lo=0), "qk nope dim")
    v_dim = _dim(r.get_int("v_head_dim"), "v dim")
    if rope.value + nope.value < 1:
        raise InputError("config", f"{r.mt} config: 'qk_nope_head_dim' + 'qk_rope_head_dim' must be at least 1")
    bias = r.get_bool("attention_bias", False)
    if q_lora_rank is not None:  # queries compressed to q_lora_rank, then expanded per head
        q_lora = _dim(q_lora_rank, "q rank")
        q = d * q_lora + q_lora * heads * (nope + rope)
        if bias:
            q = q + q_lora
        latent_norms = q_lora + kv_lora
    else:  # no query compression: one projection from the hidden state
        q = d * heads * (nope + rope)
        latent_norms = kv_lora
    kv = d * (kv_lora + rope) + kv_lora * heads * (nope + v_dim)
    if bias:
        kv = kv + (kv_lora + rope)
    o = heads * v_dim * d
    if bias:
        o = o + d
    return q + kv + o, latent_norms


def _gqa(d: Q, heads: Q, kv: Q, hd: Q, qkv_bias: bool, o_bias: bool) -> Q:
    w = d * heads * hd + 2 * d * kv * hd + heads * hd * d
    if qkv_bias:
        w = w + heads * hd + 2 * kv * hd
    if o_bias:
        w = w + d
    return w


def count(config) -> dict[str, Q]:
    """Every part of a config's parameter count (the params calculator's outputs); InputError("config", ...) for
    an unsupported or malformed config."""
    mt = model_type(config)
    r = Reader(config, mt)
    fam = family(mt)
    d = _dim(r.get_int("hidden_size"), "hidden")
    n_layers = r.get_int("num_hidden_layers", hi=MAX_LAYERS)
    L = _dim(n_layers, "layers", "layers")
    V = _dim(r.get_int("vocab_size"), "vocabulary")
    tied = r.get_bool("tie_word_embeddings", False)

    # ---------------------------------------------------------------------------------------------------- attention
    norms = 2 * d  # per layer: input and post-attention RMSNorm
    if fam == "deepseek":
        heads = _dim(r.get_int("num_attention_heads"), "heads")
        attn, latent_norms = _mla(r, d, heads)
        norms = norms + latent_norms
    else:
        n_heads, n_kv, head_dim = r.heads()
        heads, kv, hd = _dim(n_heads, "heads"), _dim(n_kv, "KV heads"), _dim(head_dim, "head dim")
        if mt == "qwen2":
            qkv_bias, o_bias = True, False  # Qwen2Attention: q/k/v projections with bias, o without
        elif mt == "qwen2_moe":
            qkv_bias, o_bias = r.get_bool("qkv_bias", True), False
        elif mt in ("llama", "qwen3", "qwen3_moe"):
            qkv_bias = o_bias = r.get_bool("attention_bias", False)
        else:  # mistral, mixtral
            qkv_bias = o_bias = False
        attn = _gqa(d, heads, kv, hd, qkv_bias, o_bias)
        if mt in ("qwen3", "qwen3_moe"):
            norms = norms + 2 * hd  # RMSNorm on queries and keys

    # -------------------------------------------------------------------------------------------------------- FFNs
    # Each layer is dense (one FFN of intermediate_size) or MoE: routed experts, shared experts, a router.
    n_experts = k = expert_inter = n_shared = shared_inter = 0
    router_bias = False
    if fam == "deepseek":
        n_experts = r.get_int("n_routed_experts", lo=1, nullable=True) or 0
        if n_experts:
            expert_inter = r.get_int("moe_intermediate_size")
            k = r.get_int("num_experts_per_tok", hi=n_experts)
            n_shared = r.get_int("n_shared_experts", lo=0, nullable=True, default=0) or 0
            first_k = r.get_int("first_k_dense_replace", lo=0, default=0)
            freq = r.get_int("moe_layer_freq", default=1)
            router_bias = mt == "deepseek_v3" or r.get_str("topk_method") == "noaux_tc"

            def is_moe(i):
                return i >= first_k and i % freq == 0
        else:

            def is_moe(i):
                return False
    elif fam == "mixtral":
        n_experts = r.get_int("num_local_experts")
        k = r.get_int("num_experts_per_tok", hi=n_experts)
        expert_inter = r.get_int("intermediate_size")

        def is_moe(i):
            return True
    elif fam == "qwen_moe":
        n_experts = r.get_int("num_experts", lo=0)
        step = r.get_int("decoder_sparse_step", default=1)
        only_dense = set(r.int_list("mlp_only_layers", hi=n_layers))
        if n_experts:
            expert_inter = r.get_int("moe_intermediate_size")
            k = r.get_int("num_experts_per_tok", hi=n_experts)
            if mt == "qwen2_moe":
                shared_inter = r.get_int("shared_expert_intermediate_size", lo=0)

        def is_moe(i):
            return n_experts > 0 and i not in only_dense and (i + 1) % step == 0
    else:  # dense

        def is_moe(i):
            return False

    experts = _dim(n_experts, "experts per layer", "experts")
    expert = _ffn(d, _dim(expert_inter, "expert intermediate"))
    router = experts * (d + 1) if router_bias else experts * d  # one row of hidden weights (+ a bias) per expert
    shared = None  # per MoE layer
    if n_shared:  # DeepSeekMoE: shared experts of the routed experts' size
        shared = _dim(n_shared, "shared experts per layer", "experts") * expert
    elif shared_inter:  # Qwen2-MoE: one shared expert of its own size, with a one-output gate
        shared = _ffn(d, _dim(shared_inter, "shared expert intermediate"))
        router = router + d
    moe_ffn = experts * expert + router if shared is None else experts * expert + shared + router

    n_moe = sum(1 for i in range(n_layers) if is_moe(i))
    moe_layers = _dim(n_moe, "MoE layers", "layers")
    dense_layers = (L - moe_layers).named("dense layers", "layers")
    # DeepSeek-V3's MTP modules: each one more transformer layer, numbered after the main model's layers.
    n_mtp = r.get_int("num_nextn_predict_layers", lo=0, default=0, hi=1000) if fam == "deepseek" else 0
    mtp_moe = [is_moe(n_layers + j) for j in range(n_mtp)]
    dense_inter = r.get_int("intermediate_size") if dense_layers.value or not all(mtp_moe) else 0
    mlp_bias = r.get_bool("mlp_bias", False) if mt == "llama" else False
    inter = _dim(dense_inter, "intermediate")
    dense_ffn = _ffn(d, inter)
    if mlp_bias:
        dense_ffn = dense_ffn + 2 * inter + d

    # ------------------------------------------------------------------------------------------------------ totals
    embedding = (V * d).named("input embedding", P)
    head = _none("tied to the input embedding") if tied else (V * d).named("output head", P)
    has_moe = n_moe > 0
    out = {
        "embedding_params": embedding,
        "attention_params": (L * attn).named("attention", P),
        "dense_mlp_params": (dense_layers * dense_ffn).named("dense FFNs", P)
        if dense_layers.value
        else _none("no dense FFN layers"),
        "shared_expert_params": (moe_layers * shared).named("shared experts", P)
        if shared is not None and has_moe
        else _none("no shared experts"),
        "routed_expert_params": (moe_layers * experts * expert).named("routed experts", P)
        if has_moe
        else _none("no routed experts"),
        "router_params": (moe_layers * router).named("routers", P) if has_moe else _none("no router"),
        "norm_params": (L * norms + d).named("norms", P),  # + the final norm
        "output_head_params": head,
    }
    total = qsum(out[x] for x in PARTS if out[x].value).named("total parameters", P)
    out["total_params"] = total

    active = total
    if has_moe and n_experts > k:  # the routed experts the router did not choose
        active = active - moe_layers * (experts - _dim(k, "experts per token", "experts")) * expert
    if not tied:  # the input embedding is a row lookup, not a matrix product
        active = active - embedding
    if active is total:
        active = total.explain("every weight: no unchosen experts, and the tied embedding is the output head")
    active = active.named("activated parameters", P)
    out["active_params"] = active
    out["active_params_with_embedding"] = (
        active.explain("the embedding is tied to the output head, already counted")
        if tied
        else (active + embedding).named("activated parameters with the input embedding", P)
    )

    # ------------------------------------------------------------------------------------------------------- MTP
    if n_mtp:
        kinds = [(moe, mtp_moe.count(moe)) for moe in (True, False) if moe in mtp_moe]
        terms = []
        for moe, how_many in kinds:
            layer = (attn + norms + (moe_ffn if moe else dense_ffn)).named(
                "one MoE layer" if moe else "one dense layer", P
            )
            which = "MTP modules" if len(kinds) == 1 else f"MTP modules with a {'MoE' if moe else 'dense'} layer"
            # enorm and hnorm, eh_proj (2 × hidden → hidden), the layer, the shared head's norm
            terms.append(_dim(how_many, which, "modules") * (2 * d + 2 * d * d + layer + d))
        mtp = qsum(terms).named("MTP modules' own weights", P)
        modules = _dim(n_mtp, "MTP modules", "modules")
        copies = (modules * (embedding if tied else embedding + head)).named("stored copies of embedding and head", P)
        with_mtp = (total + mtp).named("total with MTP modules", P)
        out["mtp_params"] = mtp
        out["total_with_mtp_params"] = with_mtp
        out["checkpoint_params"] = with_mtp + copies
    else:
        out["mtp_params"] = _none("no MTP module in this config")
        out["total_with_mtp_params"] = total.explain("no MTP module in this config")
        out["checkpoint_params"] = total.explain("no MTP module in this config")
    return out
