"""Gemma 2 and Gemma 3 (Hugging Face Transformers Gemma2Config, Gemma3TextConfig, Gemma3Config, SiglipVisionConfig).

Both: four RMSNorms per layer (before and after attention, before and after the FFN), head_dim given apart from
hidden ÷ heads, tied embeddings by default, attention_bias on q, k, v and o. Gemma 2: every other layer (even
indices) attends within sliding_window tokens. Gemma 3: five sliding layers to one global ((index + 1) not divisible
by sliding_window_pattern), RMSNorm over each head's queries and keys. `layer_types`, when listed, wins.

Multimodal Gemma 3 checkpoints (Gemma3ForConditionalGeneration, model_type gemma3) nest the language model in
`text_config`, which the published files keep sparse: absent fields take Gemma3TextConfig's defaults (vocabulary
262,208, 8 heads, 4 key/value heads, head_dim 256, ...). Their SigLIP vision tower (vision_config) and the projection
into the language model are counted apart.
"""

from __future__ import annotations

from ...core import fmt_plain
from ..architecture import FULL, SLIDING, Attention, DenseMlp, Vision
from .common import architecture, context, layer_kinds, n_layers, sliding_window, spans, stack
from .fields import Fields

# Gemma3TextConfig's defaults, for the fields a published text_config leaves out
GEMMA3_TEXT = {
    "vocab_size": 262_208,
    "hidden_size": 2304,
    "intermediate_size": 9216,
    "num_hidden_layers": 26,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "head_dim": 256,
    "max_position_embeddings": 131_072,
    "sliding_window": 4096,
    "sliding_window_pattern": 6,
}
# SiglipVisionConfig's defaults
SIGLIP = {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_channels": 3,
          "image_size": 224, "patch_size": 16}  # fmt: skip


def _gemma(f: Fields, model_type: str, family: str, kinds_rule, defaults: dict, qk_norm: str, vision=None):
    d = defaults
    hidden, count = f.int("hidden_size", default=d["hidden_size"]), n_layers(f, default=d["num_hidden_layers"])
    heads = f.int("num_attention_heads", default=d["num_attention_heads"])
    kv = f.int("num_key_value_heads", default=d.get("num_key_value_heads", heads))
    head_dim = f.int("head_dim", default=d["head_dim"])
    if kv > heads or heads % kv:
        raise f.err(
            f"{f.name('num_attention_heads')} ({fmt_plain(heads)}) must be a multiple of "
            f"{f.name('num_key_value_heads')} ({fmt_plain(kv)})"
        )
    bias = f.bool("attention_bias", False)
    base = Attention(heads, kv, head_dim, qkv_bias=bias, o_bias=bias, qk_norm=qk_norm)
    ctx = context(f, d["max_position_embeddings"])
    kinds = layer_kinds(f, count, kinds_rule(f), ("full_attention", "sliding_attention"))
    window = sliding_window(f, ctx, kinds, default=min(d["sliding_window"], ctx))
    mlp = DenseMlp(f.int("intermediate_size", default=d["intermediate_size"]))
    return architecture(model_type, family, f, hidden, stack(spans(base, kinds, window), [mlp] * count, norms=4),
                        tied=f.bool("tie_word_embeddings", True), ctx=ctx, vocab_default=d["vocab_size"],
                        vision=vision(hidden) if vision else None)  # fmt: skip


GEMMA2 = {"vocab_size": 256_000, "hidden_size": 3072, "intermediate_size": 24576, "num_hidden_layers": 28,
          "num_attention_heads": 16, "num_key_value_heads": 16, "head_dim": 256, "max_position_embeddings": 8192,
          "sliding_window": 4096}  # fmt: skip


def gemma2(f: Fields, model_type: str):
    return _gemma(f, model_type, "gemma2", lambda f: lambda i: SLIDING if i % 2 == 0 else FULL, GEMMA2, "")


def _gemma3_rule(f: Fields):
    key = "sliding_window_pattern" if f.has("sliding_window_pattern") else "_sliding_window_pattern"
    pattern = f.int(key, default=GEMMA3_TEXT["sliding_window_pattern"])
    return lambda i: SLIDING if (i + 1) % pattern else FULL


def gemma3_text(f: Fields, model_type: str):
    return _gemma(f, model_type, "gemma3", _gemma3_rule, GEMMA3_TEXT, "head")


def gemma3(f: Fields, model_type: str):
    text = f.sub("text_config", required=False) or Fields({}, f.family, "text_config.")
    v = f.sub("vision_config", required=False)

    def vision(text_hidden: int):
        if v is None:
            return None
        s = SIGLIP
        return Vision(n_layers(v, default=s["num_hidden_layers"]), v.int("hidden_size", default=s["hidden_size"]),
                      v.int("intermediate_size", default=s["intermediate_size"]),
                      v.int("patch_size", default=s["patch_size"]), v.int("image_size", default=s["image_size"]),
                      v.int("num_channels", default=s["num_channels"]), text_hidden)  # fmt: skip

    return _gemma(text, model_type, "gemma3", _gemma3_rule, GEMMA3_TEXT, "head", vision)
