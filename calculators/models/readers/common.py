"""Pieces several readers share: standard attention from the usual field names, per-layer attention spans
(`layer_types`, sliding windows, chunks), the context length, and the Architecture itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..architecture import CHUNKED, FULL, SLIDING, Architecture, Attention, Layer
from .fields import MAX_CONTEXT, MAX_LAYERS, MISSING, Fields

# Hugging Face `layer_types` entries and the span each means; "linear_attention" is a recurrent layer (Qwen3-Next).
LAYER_TYPES = {
    "full_attention": FULL,
    "sliding_attention": SLIDING,
    "chunked_attention": CHUNKED,
    "linear_attention": "linear",
}


def n_layers(f: Fields, key: str = "num_hidden_layers", default=MISSING) -> int:
    return f.int(key, hi=MAX_LAYERS, default=default)


def context(f: Fields, default=MISSING, key: str = "max_position_embeddings") -> int:
    """The context the model is configured for (its class default when the file omits it)."""
    return f.int(key, hi=MAX_CONTEXT, default=default)


def attention(f: Fields, hidden: int, **kinds) -> Attention:
    """Full attention from num_attention_heads, num_key_value_heads (default: the heads) and head_dim (default:
    hidden ÷ heads); `kinds` sets the Attention's other fields (biases, norms)."""
    heads, kv, head_dim = f.heads(hidden)
    return Attention(heads, kv, head_dim, **kinds)


def layer_kinds(f: Fields, count: int, default: Callable[[int], str], allowed=tuple(LAYER_TYPES)) -> tuple[str, ...]:
    """Each layer's span: from `layer_types` when the file lists them, else by the family's rule `default(i)`."""
    listed = f.per_layer("layer_types", count, allowed, "attention type")
    if listed is not None:
        return tuple(LAYER_TYPES[t] for t in listed)
    return tuple(default(i) for i in range(count))


def spans(base: Attention, kinds: tuple[str, ...], window: int | None = None, chunk: int | None = None) -> list:
    """One attention per layer: `base` for full layers, windowed copies for sliding and chunked ones."""
    sliding = replace(base, span=SLIDING, window=window) if window else base
    chunked = replace(base, span=CHUNKED, window=chunk) if chunk else base
    return [sliding if k == SLIDING else chunked if k == CHUNKED else base for k in kinds]


def sliding_window(f: Fields, ctx: int, kinds: tuple[str, ...], key: str = "sliding_window", default=MISSING):
    """The window, read (and checked against the context) only when some layer slides."""
    if SLIDING not in kinds:
        return None
    if default is not MISSING and not f.has(key):
        return default
    return f.window(key, ctx)


def stack(attentions, mlps, norms: int = 2) -> tuple[Layer, ...]:
    """Layers from per-layer attentions and MLPs, sharing one object per distinct layer (cheap to group)."""
    seen: dict = {}
    out = []
    for a, m in zip(attentions, mlps, strict=True):
        layer = Layer(a, m, norms)
        out.append(seen.setdefault(layer, layer))
    return tuple(out)


def architecture(model_type: str, family: str, f: Fields, hidden: int, layers, *, tied: bool, ctx: int,
                 vocab_key: str = "vocab_size", vocab_default=MISSING, **extra) -> Architecture:  # fmt: skip
    vocab = f.int(vocab_key, default=vocab_default)
    return Architecture(model_type, family, hidden, vocab, tuple(layers), tied, ctx, **extra)
