"""Reading Hugging Face config.json files: which schema a config is, and its fields, checked.

Shared by the `params`, `kv-cache` and `your-model` calculators (through param_count.py and kv.py), with the published
configs of data/models.json (MODELS). Only the schemas listed in SCHEMAS are understood; anything else
is refused with a clear InputError on the field "config" (never a guess). A missing key, a wrong type or a value out
of range is also an InputError on "config" whose message names the key.

The keys and their defaults follow the Hugging Face Transformers configuration classes (DeepseekV3Config,
MixtralConfig, Qwen2MoeConfig, Qwen3MoeConfig, LlamaConfig, Qwen2Config, ...): a key is optional here only where
that class gives it a default that every published checkpoint of the schema relies on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core import InputError, fmt_plain, load_json

FIELD = "config"

# Published configs (architecture fields only), each with its source and the publisher's own counts: data/models.json.
MODELS: dict[str, dict] = {k: v for k, v in load_json("models.json").items() if not k.startswith("_")}

# model_type -> family. The family decides how the parameter count and the KV cache are worked out.
SCHEMAS: dict[str, str] = {
    "deepseek_v2": "deepseek",  # MLA (with or without query compression) + DeepSeekMoE (shared + routed experts)
    "deepseek_v3": "deepseek",  # as V2, plus a router bias (noaux_tc) and multi-token-prediction modules
    "mixtral": "mixtral",  # GQA + 8 routed experts, top-2, no shared expert
    "qwen2_moe": "qwen_moe",  # Qwen1.5-MoE / Qwen2-MoE: QKV bias, routed experts + one gated shared expert
    "qwen3_moe": "qwen_moe",  # Qwen3-MoE: explicit head_dim, q/k RMSNorm, routed experts only
    "llama": "dense",  # Llama 2/3/3.1: GQA, optional attention/MLP bias
    "mistral": "dense",  # Mistral 7B: GQA, no bias
    "qwen2": "dense",  # Qwen2 / Qwen2.5: GQA with q/k/v bias
    "qwen3": "dense",  # Qwen3 dense: explicit head_dim, q/k RMSNorm
}

# The `architectures` entry each schema's checkpoints declare, for configs that omit model_type.
ARCHITECTURES: dict[str, str] = {
    "DeepseekV2ForCausalLM": "deepseek_v2",
    "DeepseekV3ForCausalLM": "deepseek_v3",
    "MixtralForCausalLM": "mixtral",
    "Qwen2MoeForCausalLM": "qwen2_moe",
    "Qwen3MoeForCausalLM": "qwen3_moe",
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "mistral",
    "Qwen2ForCausalLM": "qwen2",
    "Qwen3ForCausalLM": "qwen3",
}

# Every size and count is a whole number in [0 or 1, MAX_DIM]. The bound keeps every product the calculators form
# (at most four such factors, times small constants) far below core.HUGE, so every accepted config gives finite
# numbers; real configs are far smaller (the largest dimension in use is a vocabulary of a few hundred thousand).
MAX_DIM = 10_000_000
MAX_LAYERS = 100_000  # layers are also looped over, one by one

MISSING = object()


def supported() -> str:
    return ", ".join(SCHEMAS)


def _shown(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def model_type(config: Any) -> str:
    """The config's schema (a key of SCHEMAS), from model_type or else from architectures; InputError otherwise."""
    if not isinstance(config, Mapping):
        raise InputError(FIELD, f"must be a JSON object (a Hugging Face config.json), got {type(config).__name__}")
    mt = config.get("model_type", MISSING)
    if mt is not MISSING and mt is not None:
        if not isinstance(mt, str):
            raise InputError(FIELD, f"'model_type' must be a string such as \"deepseek_v3\" (got {_shown(mt)})")
        if mt not in SCHEMAS:
            raise InputError(FIELD, f"unsupported model_type {mt!r}; supported: {supported()}")
        return mt
    archs = config.get("architectures", MISSING)
    if archs is MISSING or archs is None:
        raise InputError(
            FIELD,
            f"has neither 'model_type' nor 'architectures', so its schema is unknown; "
            f"supported model_type values: {supported()}",
        )
    if not isinstance(archs, list) or not archs or not all(isinstance(a, str) for a in archs):
        raise InputError(
            FIELD,
            f"'architectures' must be a list of class names such as [\"DeepseekV3ForCausalLM\"] (got {_shown(archs)})",
        )
    for a in archs:
        if a in ARCHITECTURES:
            return ARCHITECTURES[a]
    raise InputError(
        FIELD, f"unsupported architecture {archs[0]!r} and no 'model_type'; supported: {', '.join(ARCHITECTURES)}"
    )


def family(mt: str) -> str:
    return SCHEMAS[mt]


class Reader:
    """Typed, checked access to a config's keys; every failure is InputError('config', message naming the key)."""

    def __init__(self, config: Mapping, mt: str | None = None):
        self.mt = mt or model_type(config)
        self.config = config

    def _err(self, key: str, what: str) -> InputError:
        return InputError(FIELD, f"{self.mt} config: {what}")

    def get_int(self, key: str, lo: int = 1, default: Any = MISSING, hi: int = MAX_DIM, nullable: bool = False):
        """A whole number in [lo, hi]. `default` applies when the key is absent; `nullable` allows JSON null."""
        v = self.config.get(key, MISSING)
        if v is MISSING:
            if default is MISSING:
                raise self._err(
                    key, f"'{key}' is missing; it must be a whole number from {fmt_plain(lo)} to {fmt_plain(hi)}"
                )
            return default
        if v is None:
            if nullable:
                return None
            raise self._err(key, f"'{key}' must be a whole number from {fmt_plain(lo)} to {fmt_plain(hi)} (got null)")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
            raise self._err(
                key, f"'{key}' must be a whole number from {fmt_plain(lo)} to {fmt_plain(hi)} (got {_shown(v)})"
            )
        v = int(v)
        if not lo <= v <= hi:
            raise self._err(
                key, f"'{key}' must be a whole number from {fmt_plain(lo)} to {fmt_plain(hi)} (got {fmt_plain(v)})"
            )
        return v

    def get_bool(self, key: str, default: bool) -> bool:
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return default
        if not isinstance(v, bool):
            raise self._err(key, f"'{key}' must be true or false (got {_shown(v)})")
        return v

    def get_str(self, key: str, default: str | None = None) -> str | None:
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return default
        if not isinstance(v, str):
            raise self._err(key, f"'{key}' must be a string (got {_shown(v)})")
        return v

    def int_list(self, key: str, hi: int, default: tuple = ()) -> tuple[int, ...]:
        """A list of whole numbers each in [0, hi) (layer indices)."""
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return tuple(default)
        if not isinstance(v, list):
            raise self._err(key, f"'{key}' must be a list of layer indices (got {_shown(v)})")
        out = []
        for x in v:
            if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < hi:
                raise self._err(key, f"'{key}' must hold layer indices from 0 to {fmt_plain(hi - 1)} (got {_shown(x)})")
            out.append(x)
        return tuple(out)

    def heads(self) -> tuple[int, int, int]:
        """(query heads, key/value heads, head dimension) for standard (non-MLA) attention, checked for GQA."""
        hidden = self.get_int("hidden_size")
        n_heads = self.get_int("num_attention_heads")
        n_kv = self.get_int("num_key_value_heads", default=n_heads)
        if n_kv > n_heads or n_heads % n_kv:
            raise self._err(
                "num_key_value_heads",
                f"'num_attention_heads' ({fmt_plain(n_heads)}) must be a "
                f"multiple of 'num_key_value_heads' ({fmt_plain(n_kv)})",
            )
        head_dim = self.get_int("head_dim", default=None, nullable=True)
        if head_dim is None:
            if hidden % n_heads:
                raise self._err(
                    "head_dim",
                    f"'head_dim' is missing and 'hidden_size' ({fmt_plain(hidden)}) is not a "
                    f"multiple of 'num_attention_heads' ({fmt_plain(n_heads)})",
                )
            head_dim = hidden // n_heads
        return n_heads, n_kv, head_dim


def reader(config: Any) -> Reader:
    return Reader(config, model_type(config))


def kv_dims(config: Any) -> dict[str, Any]:
    """The key/value-cache shape of a config, as kv-cache's inputs: MLA for DeepSeek, else by KV heads."""
    mt = model_type(config)
    r = Reader(config, mt)
    n_layers = r.get_int("num_hidden_layers", hi=MAX_LAYERS)
    if family(mt) == "deepseek":
        heads = r.get_int("num_attention_heads")
        return {
            "attention": "mla",
            "n_layers": n_layers,
            "n_heads": heads,
            "n_kv_heads": r.get_int("num_key_value_heads", default=heads),
            "head_dim": r.get_int("qk_nope_head_dim"),  # d_h, the per-head dimension of the V2/V3 reports
            "kv_lora_rank": r.get_int("kv_lora_rank"),
            "qk_rope_head_dim": r.get_int("qk_rope_head_dim", lo=0),
        }
    heads, kv, hd = r.heads()
    return {
        "attention": "mha" if kv == heads else "mqa" if kv == 1 else "gqa",
        "n_layers": n_layers,
        "n_heads": heads,
        "n_kv_heads": kv,
        "head_dim": hd,
    }


def attention_dims(config: Any) -> dict[str, int]:
    """The attention shape training FLOPs are counted with (flops.attention_flops): layers, heads, q·k and v widths."""
    mt = model_type(config)
    r = Reader(config, mt)
    layers = r.get_int("num_hidden_layers")
    if family(mt) == "deepseek":  # MLA: QKᵀ over the no-RoPE and RoPE parts of each head, A·V over v_head_dim
        heads = r.get_int("num_attention_heads")
        return {
            "n_layers": layers,
            "n_heads": heads,
            "qk_head_dim": r.get_int("qk_nope_head_dim", lo=0) + r.get_int("qk_rope_head_dim", lo=0),
            "v_head_dim": r.get_int("v_head_dim"),
        }
    heads, _, head_dim = r.heads()
    return {"n_layers": layers, "n_heads": heads, "qk_head_dim": head_dim, "v_head_dim": head_dim}
