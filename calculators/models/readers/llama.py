"""Llama and its relatives: llama, mistral, mixtral, phimoe, llama4 (Hugging Face Transformers classes LlamaConfig,
MistralConfig, MixtralConfig, PhimoeConfig, Llama4TextConfig; defaults are those classes' where a file may omit a
field). Every FFN is gated (gate, up, down)."""

from __future__ import annotations

from ..architecture import CHUNKED, FULL, SLIDING, DenseMlp, MoeMlp
from .common import architecture, attention, context, layer_kinds, n_layers, sliding_window, spans, stack
from .fields import Fields


def llama(f: Fields, model_type: str):
    """LlamaConfig: attention_bias on q, k, v and o; mlp_bias on the three FFN projections."""
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", False)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias)
    ctx = context(f, 2048)
    kinds = layer_kinds(f, count, lambda i: FULL)
    attn = spans(base, kinds, sliding_window(f, ctx, kinds))
    mlp = DenseMlp(f.int("intermediate_size"), f.bool("mlp_bias", False))
    return architecture(model_type, "llama", f, hidden, stack(attn, [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def _windowed(f: Fields, count: int, ctx: int, default_window: int | None):
    """Mistral and Mixtral: `sliding_window` (null: none) applies to every layer."""
    w = f.int("sliding_window", default=default_window, nullable=True)
    if w is not None:
        w = f.window("sliding_window", ctx) if f.has("sliding_window") else min(w, ctx)
    return layer_kinds(f, count, lambda i: SLIDING if w else FULL), w


def mistral(f: Fields, model_type: str):
    """MistralConfig: no biases; sliding_window defaults to 4,096 tokens when the file omits it."""
    hidden, count = f.int("hidden_size"), n_layers(f)
    base = attention(f, hidden)
    ctx = context(f, 4096 * 32)
    kinds, w = _windowed(f, count, ctx, 4096)
    attn = spans(base, kinds, w)
    mlp = DenseMlp(f.int("intermediate_size"))
    return architecture(model_type, "mistral", f, hidden, stack(attn, [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def mixtral(f: Fields, model_type: str):
    """MixtralConfig: num_local_experts experts of intermediate_size in every layer, top num_experts_per_tok; the
    router is a bias-free Linear(hidden, experts); no shared expert."""
    hidden, count = f.int("hidden_size"), n_layers(f)
    base = attention(f, hidden)
    ctx = context(f, 4096 * 32)
    kinds, w = _windowed(f, count, ctx, None)
    experts = f.int("num_local_experts")
    mlp = MoeMlp(experts, f.top_k("num_experts_per_tok", experts), f.int("intermediate_size"))
    return architecture(model_type, "mixtral", f, hidden, stack(spans(base, kinds, w), [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx)  # fmt: skip


def phimoe(f: Fields, model_type: str):
    """PhimoeConfig (Phi-3.5-MoE): Mixtral's layout with attention_bias on q, k, v and o, LayerNorms with a bias,
    and lm_head_bias on the output head."""
    hidden, count = f.int("hidden_size"), n_layers(f)
    bias = f.bool("attention_bias", False)
    base = attention(f, hidden, qkv_bias=bias, o_bias=bias)
    ctx = context(f, 4096 * 32)
    kinds, w = _windowed(f, count, ctx, None)
    experts = f.int("num_local_experts", default=16)
    mlp = MoeMlp(experts, f.top_k("num_experts_per_tok", experts), f.int("intermediate_size"))
    return architecture(model_type, "phimoe", f, hidden, stack(spans(base, kinds, w), [mlp] * count),
                        tied=f.bool("tie_word_embeddings", False), ctx=ctx, norm_bias=True,
                        head_bias=f.bool("lm_head_bias", False))  # fmt: skip


def llama4(f: Fields, model_type: str):
    """Llama 4 (Llama4ForConditionalGeneration): the language model is `text_config` (Llama4TextConfig).

    MoE layers: `moe_layers` when listed, else every `interleave_moe_layer_step`-th layer (index % step == step − 1);
    each has num_local_experts routed experts and one always-on shared expert, both of intermediate_size, top
    num_experts_per_tok, a bias-free router. Dense layers use intermediate_size_mlp. Attention: layers that use RoPE
    attend within aligned chunks of attention_chunk_size tokens; NoPE layers attend globally. `no_rope_layers` lists
    1 for a RoPE layer and 0 for a NoPE one (despite its name); absent, every no_rope_layer_interval-th layer is NoPE.
    The vision tower (vision_config) is not counted: its weights are left out of every figure.
    """
    t = f.sub("text_config") if model_type == "llama4" else f
    hidden, count = t.int("hidden_size"), n_layers(t)
    bias = t.bool("attention_bias", False)
    base = attention(t, hidden, qkv_bias=bias, o_bias=bias)
    ctx = context(t, 4096 * 32)
    chunk = t.int("attention_chunk_size", default=8192, nullable=True)
    if chunk is not None:
        chunk = t.window("attention_chunk_size", ctx) if t.has("attention_chunk_size") else min(chunk, ctx)
    rope = t.per_layer("no_rope_layers", count, (0, 1), "flag (1 RoPE, 0 NoPE)")
    if rope is None:
        interval = t.int("no_rope_layer_interval", default=4)
        rope = tuple(int((i + 1) % interval != 0) for i in range(count))
    kinds = layer_kinds(t, count, lambda i: CHUNKED if chunk and rope[i] else FULL)
    step = t.int("interleave_moe_layer_step", default=1)
    moe_layers = set(t.indices("moe_layers", count, range(step - 1, count, step)))
    experts = t.int("num_local_experts")
    width = t.int("intermediate_size")
    moe = MoeMlp(experts, t.top_k("num_experts_per_tok", experts), width, shared=1, shared_width=width)
    dense = DenseMlp(t.int("intermediate_size_mlp")) if len(moe_layers) < count else None
    mlps = [moe if i in moe_layers else dense for i in range(count)]
    notices = ()
    if f.sub("vision_config", required=False) is not None:
        notices = ("its vision tower (vision_config) is not counted: the figures are the language model's",)
    return architecture(model_type, "llama4", t, hidden, stack(spans(base, kinds, chunk=chunk), mlps),
                        tied=t.bool("tie_word_embeddings", False), ctx=ctx, notices=notices)  # fmt: skip
