"""Typed, checked access to a config.json's fields; every failure is one InputError on "config" naming the field.

A key is optional only where the family's Hugging Face Transformers configuration class gives it a default that the
published checkpoints rely on; the default is then passed in by the reader. Nested objects (text_config, attn_config,
ffn_config, vision_config) are read through `sub`, and their errors name the full path ("text_config.hidden_size").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import InputError, fmt_plain

FIELD = "config"

# Every size and count is a whole number in [0 or 1, MAX_DIM]. The bound keeps every product the calculators form
# (at most four such factors, times small constants) far below core.HUGE, so every accepted config gives finite
# numbers; real configs are far smaller (the largest dimension in use is a vocabulary of a few hundred thousand).
MAX_DIM = 10_000_000
MAX_CONTEXT = 100_000_000  # tokens (Llama 4 Scout is configured for 10,485,760)
MAX_LAYERS = 100_000  # layers are also looped over, one by one

MISSING = object()


def shown(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


class Fields:
    """One config object (or a nested one): `family` names it in messages, `path` prefixes its keys."""

    __slots__ = ("config", "family", "path")

    def __init__(self, config: Mapping, family: str, path: str = ""):
        self.config = config
        self.family = family
        self.path = path

    def err(self, what: str) -> InputError:
        return InputError(FIELD, f"{self.family} config: {what}")

    def name(self, key: str) -> str:
        return f"'{self.path}{key}'"

    def has(self, key: str) -> bool:
        return self.config.get(key) is not None

    def raw(self, key: str, default: Any = None) -> Any:
        v = self.config.get(key, MISSING)
        return default if v is MISSING or v is None else v

    def int(self, key: str, lo: int = 1, default: Any = MISSING, hi: int = MAX_DIM, nullable: bool = False):
        """A whole number in [lo, hi]. `default` applies when the key is absent; `nullable` allows JSON null."""
        v = self.config.get(key, MISSING)
        allowed = f"a whole number from {fmt_plain(lo)} to {fmt_plain(hi)}"
        if v is MISSING:
            if default is MISSING:
                raise self.err(f"{self.name(key)} is missing; it must be {allowed}")
            return default
        if v is None:
            if nullable:
                return None
            if default is not MISSING:
                return default
            raise self.err(f"{self.name(key)} must be {allowed} (got null)")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
            raise self.err(f"{self.name(key)} must be {allowed} (got {shown(v)})")
        v = int(v)
        if not lo <= v <= hi:
            raise self.err(f"{self.name(key)} must be {allowed} (got {fmt_plain(v)})")
        return v

    def first_int(self, keys: tuple[str, ...], **kw) -> int:
        """The first of several alternative keys that is present (older and newer names of one field)."""
        for k in keys[:-1]:
            if self.has(k):
                return self.int(k, **kw)
        return self.int(keys[-1], **kw)

    def bool(self, key: str, default: bool) -> bool:
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return default
        if not isinstance(v, bool):
            raise self.err(f"{self.name(key)} must be true or false (got {shown(v)})")
        return v

    def str(self, key: str, default: str | None = None) -> str | None:
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return default
        if not isinstance(v, str):
            raise self.err(f"{self.name(key)} must be a string (got {shown(v)})")
        return v

    def indices(self, key: str, hi: int, default: tuple = ()) -> tuple[int, ...]:
        """A list of layer indices, each in [0, hi)."""
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return tuple(default)
        if not isinstance(v, list):
            raise self.err(f"{self.name(key)} must be a list of layer indices (got {shown(v)})")
        for x in v:
            if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < hi:
                raise self.err(
                    f"{self.name(key)} must hold layer indices from 0 to {fmt_plain(hi - 1)} (got {shown(x)})"
                )
        return tuple(v)

    def per_layer(self, key: str, n_layers: int, allowed: tuple, kind: str) -> tuple | None:
        """A list with one entry per layer, each one of `allowed` (layer_types; Llama 4's no_rope_layers)."""
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            return None
        if not isinstance(v, list):
            raise self.err(f"{self.name(key)} must be a list with one {kind} per layer (got {shown(v)})")
        if len(v) != n_layers:
            raise self.err(
                f"{self.name(key)} lists {fmt_plain(len(v))} layers but 'num_hidden_layers' is {fmt_plain(n_layers)}"
            )
        for x in v:
            if isinstance(x, bool) or x not in allowed:
                raise self.err(
                    f"{self.name(key)} entries must be one of {', '.join(map(repr, allowed))} (got {shown(x)})"
                )
        return tuple(v)

    def sub(self, key: str, required: bool = True) -> Fields | None:
        """A nested object (text_config, attn_config, ...) as Fields whose errors name its path."""
        v = self.config.get(key, MISSING)
        if v is MISSING or v is None:
            if required:
                raise self.err(f"{self.name(key)} is missing; it must be an object")
            return None
        if not isinstance(v, Mapping):
            raise self.err(f"{self.name(key)} must be an object (got {shown(v)})")
        return Fields(v, self.family, f"{self.path}{key}.")

    def heads(self, hidden: int) -> tuple[int, int, int]:
        """(query heads, key/value heads, head dimension) for standard attention, checked for GQA."""
        n_heads = self.int("num_attention_heads")
        n_kv = self.int("num_key_value_heads", default=n_heads)
        if n_kv > n_heads or n_heads % n_kv:
            raise self.err(
                f"{self.name('num_attention_heads')} ({fmt_plain(n_heads)}) must be a multiple of "
                f"{self.name('num_key_value_heads')} ({fmt_plain(n_kv)})"
            )
        head_dim = self.int("head_dim", default=None, nullable=True)
        if head_dim is None:
            if hidden % n_heads:
                raise self.err(
                    f"{self.name('head_dim')} is missing and {self.name('hidden_size')} ({fmt_plain(hidden)}) is not "
                    f"a multiple of {self.name('num_attention_heads')} ({fmt_plain(n_heads)})"
                )
            head_dim = hidden // n_heads
        return n_heads, n_kv, head_dim

    def top_k(self, key: str, experts: int) -> int:
        k = self.int(key)
        if k > experts:
            raise self.err(
                f"{self.name(key)} ({fmt_plain(k)}) is more than the {fmt_plain(experts)} experts of a layer; "
                f"it must be a whole number from 1 to {fmt_plain(experts)}"
            )
        return k

    def window(self, key: str, context: int) -> int:
        """A sliding window or chunk, in tokens, no longer than the context the model is configured for."""
        w = self.int(key)
        if w > context:
            raise self.err(
                f"{self.name(key)} ({fmt_plain(w)} tokens) is longer than the model's context "
                f"({fmt_plain(context)} tokens); it must be a whole number from 1 to {fmt_plain(context)}"
            )
        return w
