"""Published configs (data/models.json) and the uniform shapes a config reduces to when every layer is alike.

Reading a config.json is models/readers/ (one Architecture per config, models/architecture.py); this module keeps
the presets' configs, each with its source and the publisher's own counts, and two views of an Architecture for the
calculators whose inputs are one shape for every layer: kv-cache's shape inputs (kv_dims) and training-cost's
attention inputs (attention_dims).
"""

from __future__ import annotations

from typing import Any

from ..core import InputError, load_json
from . import readers
from .architecture import FULL, Attention, LatentAttention

FIELD = "config"

# Published configs, each with its source and the publisher's own counts: data/models.json.
MODELS: dict[str, dict] = {k: v for k, v in load_json("models.json").items() if not k.startswith("_")}


def supported() -> str:
    return readers.supported()


def _uniform(config: Any):
    """The one attention every layer has (full span), or None when layers differ."""
    arch = readers.read(config)
    kinds = {x.attention for x in arch.layers}
    if len(kinds) != 1:
        return arch, None
    (a,) = kinds
    if not isinstance(a, (Attention, LatentAttention)) or a.span != FULL:
        return arch, None
    return arch, a


def kv_dims(config: Any) -> dict[str, Any]:
    """kv-cache's inputs for a config: its shape inputs when every layer is the same full attention, and always the
    config itself with attention "config" otherwise (windows, chunks, linear layers need the layer-by-layer view)."""
    arch, a = _uniform(config)
    if a is None:
        return {"attention": "config", "config": config}
    if isinstance(a, LatentAttention):
        if a.indexer is not None:
            return {"attention": "config", "config": config}
        return {"attention": "mla", "config": config, "n_layers": len(arch.layers), "n_heads": a.heads,
                "n_kv_heads": a.heads, "head_dim": a.nope_dim, "kv_lora_rank": a.kv_rank,
                "qk_rope_head_dim": a.rope_dim}  # fmt: skip
    return {"attention": a.kind, "config": config, "n_layers": len(arch.layers), "n_heads": a.heads,
            "n_kv_heads": a.kv_heads, "head_dim": a.head_dim}  # fmt: skip


def attention_dims(config: Any) -> dict[str, int]:
    """training-cost's attention inputs (layers, heads, q·k and v widths) for a config whose layers all have the
    same full attention; InputError otherwise (its FLOPs per layer differ: see flops.attention_flops_per_token)."""
    arch, a = _uniform(config)
    if a is None:
        raise InputError(FIELD, "its layers' attention differs from layer to layer, so no single shape describes it")
    if isinstance(a, LatentAttention):
        return {"n_layers": len(arch.layers), "n_heads": a.heads, "qk_head_dim": a.nope_dim + a.rope_dim,
                "v_head_dim": a.v_dim}  # fmt: skip
    return {"n_layers": len(arch.layers), "n_heads": a.heads, "qk_head_dim": a.head_dim, "v_head_dim": a.head_dim}
