"""The one description every model reduces to: a list of layers, each an attention kind and an MLP kind.

A reader (models/readers/) turns a Hugging Face config.json into an `Architecture`; everything that counts reads
only this description: parameters (param_count.py), the KV cache at a context length (kv.py), training FLOPs per
token (flops.py), and so the params, kv-cache, your-model calculators and models/derived.py. Nothing here counts.

Attention kinds (per layer):
- `Attention`: softmax attention that caches a key and a value per key/value head: MHA (kv_heads = heads), GQA,
  MQA (kv_heads = 1). Its `span` is "full" (every earlier token), "sliding" (the last `window` tokens) or
  "chunked" (the tokens of the current aligned chunk of `window` tokens, Llama 4). Optional: biases, per-head or
  whole-projection query/key norms, an output gate (Qwen3-Next), one learned sink logit per head (gpt-oss).
- `LatentAttention`: DeepSeek's multi-head latent attention (MLA): queries optionally compressed to `q_rank`,
  keys and values compressed to one `kv_rank` latent plus one decoupled RoPE key of `rope_dim`; with an
  `Indexer` for DeepSeek-V3.2's sparse attention (each query attends to `topk` tokens the indexer picks).
- `GatedDeltaNet`: a linear-attention (recurrent) layer with a fixed state per sequence, no per-token cache.

MLP kinds: `DenseMlp` (a gated feed-forward block of `width`, SwiGLU/GeGLU: gate, up, down) and `MoeMlp` (routed
experts of `width`, `top_k` chosen per token by a router, optional shared experts of their own `shared_width`,
biases where the architecture has them).

An `Architecture` adds the embedding (tied to the output head or not), the final norm, and the modules counted
apart from the total: multi-token-prediction (MTP) layers and a vision tower.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

FULL, SLIDING, CHUNKED = "full", "sliding", "chunked"
SPANS = (FULL, SLIDING, CHUNKED)


@dataclass(frozen=True)
class Attention:
    """Softmax attention with a key and a value cached per key/value head and token."""

    heads: int
    kv_heads: int
    head_dim: int
    span: str = FULL
    window: int = 0  # tokens: the sliding window W, or the chunk C
    qkv_bias: bool = False
    o_bias: bool = False
    qk_norm: str = ""  # "" none, "head": RMSNorm over head_dim (Qwen3, Gemma 3), "whole": over the projection (OLMoE)
    output_gate: bool = False  # Qwen3-Next: q_proj twice as wide, the second half gates the output
    sinks: bool = False  # gpt-oss: one learned logit per head joins the softmax

    @property
    def kind(self) -> str:
        return "mha" if self.kv_heads == self.heads else "mqa" if self.kv_heads == 1 else "gqa"

    @property
    def caches(self) -> bool:
        return True


@dataclass(frozen=True)
class Indexer:
    """DeepSeek-V3.2's lightning indexer: scores every cached token with its own small keys, keeps the top k."""

    heads: int
    head_dim: int
    topk: int


@dataclass(frozen=True)
class LatentAttention:
    """Multi-head latent attention (DeepSeek-V2/V3, Kimi K2): one compressed latent and one RoPE key per token."""

    heads: int
    q_rank: int  # 0: queries not compressed (DeepSeek-V2-Lite)
    kv_rank: int
    nope_dim: int
    rope_dim: int
    v_dim: int
    bias: bool = False
    indexer: Indexer | None = None
    span: str = FULL
    window: int = 0

    kind = "mla"

    @property
    def caches(self) -> bool:
        return True


@dataclass(frozen=True)
class GatedDeltaNet:
    """A Gated DeltaNet linear-attention layer (Qwen3-Next): a recurrent state per sequence, no per-token cache."""

    key_heads: int
    value_heads: int
    key_dim: int
    value_dim: int
    conv_kernel: int

    kind = "linear"
    span = FULL
    window = 0

    @property
    def caches(self) -> bool:
        return False


@dataclass(frozen=True)
class DenseMlp:
    width: int
    bias: bool = False

    kind = "dense"


@dataclass(frozen=True)
class MoeMlp:
    experts: int
    top_k: int
    width: int
    shared: int = 0  # shared experts, each of shared_width, always active
    shared_width: int = 0
    shared_gate: bool = False  # Qwen-MoE: a one-output sigmoid gate on the shared expert
    router_bias: bool = False  # a bias per expert on the router (gpt-oss) or its correction bias (DeepSeek noaux_tc)
    bias: bool = False  # biases on the experts' (and shared experts') projections (gpt-oss)

    kind = "moe"


AttentionKind = Attention | LatentAttention | GatedDeltaNet
MlpKind = DenseMlp | MoeMlp


@dataclass(frozen=True)
class Layer:
    attention: AttentionKind
    mlp: MlpKind
    norms: int = 2  # norm vectors of hidden width: input and post-attention (Gemma: four)


@dataclass(frozen=True)
class Vision:
    """A ViT vision tower (SigLIP style: patch embedding, position embedding, pre-norm blocks with biases) and the
    projection into the language model's hidden width; counted apart from the language model's total."""

    layers: int
    hidden: int
    intermediate: int
    patch: int
    image: int
    channels: int
    text_hidden: int
    projector: str = "gemma3"  # gemma3: a hidden × text-hidden matrix and an RMSNorm over the vision width


@dataclass(frozen=True)
class Architecture:
    model_type: str  # as the config gives it (or the family it was read as)
    family: str  # the reader's family, a key of readers.FAMILIES
    hidden: int
    vocab: int
    layers: tuple[Layer, ...]
    tied: bool
    max_context: int  # tokens the model is configured for (max_position_embeddings or its family's name for it)
    norm_bias: bool = False  # LayerNorm with a bias (Phi-3.5-MoE); RMSNorm and bias-free LayerNorm have none
    head_bias: bool = False  # a bias on the output head (Phi-3.5-MoE)
    mtp: tuple[Layer, ...] = ()  # multi-token-prediction modules, one layer each (DeepSeek-V3, GLM-4.5)
    vision: Vision | None = None
    notices: tuple[str, ...] = ()  # how the config was read, when that is worth saying (a generic reader, ...)

    @property
    def attention_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.attention.caches)


def groups(items: Iterable[Hashable]) -> list[tuple[Hashable, int]]:
    """Identical items with how many times each occurs, in the order first seen.

    Readers share one object per distinct layer, so items are counted by identity first (cheap) and only the few
    distinct objects are compared by value."""
    by_id: dict[int, list] = {}
    for x in items:
        entry = by_id.get(id(x))
        if entry is None:
            by_id[id(x)] = [x, 1]
        else:
            entry[1] += 1
    if len(by_id) == 1:
        ((x, n),) = by_id.values()
        return [(x, n)]
    counts: dict = {}
    for x, n in by_id.values():
        counts[x] = counts.get(x, 0) + n
    return list(counts.items())
