"""params: total and activated parameters of a model, counted weight by weight from its Hugging Face config.json.

DeepSeek-V3 (and R1, the same architecture): 671B total and 37B activated per token (V3 report, abstract); the
repository's README_WEIGHTS.md gives 36.7B activated for the main model and 11.5B unique parameters for the
multi-token-prediction (MTP) module; the Hugging Face checkpoint holds 685B (README, §3).

Every weight matrix, bias and norm vector of the architecture is counted from the config, following the Hugging Face
Transformers implementation of each schema (see calculators/configs.py for the schemas and their keys):

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
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Value, fmt, load_json, n, src
from ..models.configs import MAX_LAYERS, Reader, family, model_type

MODELS: dict[str, dict] = {k: v for k, v in load_json("models.json").items() if not k.startswith("_")}

CONFIG_SRC = src(MODELS["deepseek-v3"]["source"])


class _Count:
    """The parameter count of one config, part by part, with the formula of each part (values substituted)."""

    def __init__(self):
        self.parts: dict[str, int] = {}
        self.shown: dict[str, str] = {}

    def set(self, name: str, value: int, shown: str):
        self.parts[name] = int(value)
        self.shown[name] = shown


def _ffn(d: int, inter: int) -> int:
    return 3 * d * inter  # gate, up and down projections (SwiGLU), no bias


def _layers(k: int, what: str = "layers") -> str:
    return f"{n(k)} {what}" if k != 1 else f"1 {what.rstrip('s')}"


def _mla(r: Reader, d: int, heads: int) -> tuple[int, int, str]:
    """DeepSeek MLA: (weights per layer, norm weights per layer, formula)."""
    kv_lora = r.get_int("kv_lora_rank")
    q_lora = r.get_int("q_lora_rank", nullable=True)
    rope = r.get_int("qk_rope_head_dim", lo=0)
    nope = r.get_int("qk_nope_head_dim", lo=0)
    v_dim = r.get_int("v_head_dim")
    if rope + nope < 1:
        raise InputError("config", f"{r.mt} config: 'qk_nope_head_dim' + 'qk_rope_head_dim' must be at least 1")
    bias = r.get_bool("attention_bias", False)
    qk = nope + rope
    if q_lora is not None:
        q = d * q_lora + q_lora * heads * qk + (q_lora if bias else 0)
        q_txt = f"q {n(d)}×{n(q_lora)} + {n(q_lora)}×{n(heads)}×{n(qk)}"
    else:
        q = d * heads * qk
        q_txt = f"q {n(d)}×{n(heads)}×{n(qk)} (no query compression)"
    kv = d * (kv_lora + rope) + kv_lora * heads * (nope + v_dim) + ((kv_lora + rope) if bias else 0)
    o = heads * v_dim * d + (d if bias else 0)
    norms = (q_lora or 0) + kv_lora
    shown = (
        f"{q_txt}; kv {n(d)}×{n(kv_lora + rope)} + {n(kv_lora)}×{n(heads)}×{n(nope + v_dim)}; "
        f"o {n(heads)}×{n(v_dim)}×{n(d)}" + ("; with biases" if bias else "")
    )
    return q + kv + o, norms, shown


def _gqa(d: int, heads: int, kv: int, hd: int, qkv_bias: bool, o_bias: bool) -> tuple[int, str]:
    w = d * heads * hd + 2 * d * kv * hd + heads * hd * d
    b = (heads * hd + 2 * kv * hd if qkv_bias else 0) + (d if o_bias else 0)
    shown = f"q {n(d)}×{n(heads)}×{n(hd)} + k, v 2×{n(d)}×{n(kv)}×{n(hd)} + o {n(heads)}×{n(hd)}×{n(d)}"
    if b:
        shown += f" + {n(b)} bias"
    return w + b, shown


def count(config) -> _Count:
    """Count a config's parameters; InputError("config", ...) for an unsupported or malformed config."""
    mt = model_type(config)
    r = Reader(config, mt)
    fam = family(mt)
    d = r.get_int("hidden_size")
    L = r.get_int("num_hidden_layers", hi=MAX_LAYERS)
    V = r.get_int("vocab_size")
    tied = r.get_bool("tie_word_embeddings", False)
    c = _Count()

    # ---------------------------------------------------------------------------------------------------- attention
    layer_norms = 2 * d  # input and post-attention RMSNorm
    extra_norm_txt = ""
    if fam == "deepseek":
        heads = r.get_int("num_attention_heads")
        attn, mla_norms, attn_txt = _mla(r, d, heads)
        layer_norms += mla_norms
        if mla_norms:
            extra_norm_txt = f" + {n(mla_norms)} latent norms"
    else:
        heads, kv, hd = r.heads()
        qk_norm = mt in ("qwen3", "qwen3_moe")
        if mt == "qwen2":
            qkv_bias, o_bias = True, False  # Qwen2Attention: q/k/v projections with bias, o without
        elif mt == "qwen2_moe":
            qkv_bias, o_bias = r.get_bool("qkv_bias", True), False
        elif mt in ("llama", "qwen3", "qwen3_moe"):
            qkv_bias = o_bias = r.get_bool("attention_bias", False)
        else:  # mistral, mixtral
            qkv_bias = o_bias = False
        attn, attn_txt = _gqa(d, heads, kv, hd, qkv_bias, o_bias)
        if qk_norm:
            layer_norms += 2 * hd
            extra_norm_txt = f" + 2×{n(hd)} q/k norms"

    # -------------------------------------------------------------------------------------------------------- FFNs
    # Each layer is dense (one FFN of intermediate_size) or MoE; for MoE: experts, shared, router.
    n_experts = k = expert_inter = shared_inter = 0
    router_per_layer = 0
    router_txt = ""
    if fam == "deepseek":
        n_experts = r.get_int("n_routed_experts", lo=1, nullable=True) or 0
        if n_experts:
            expert_inter = r.get_int("moe_intermediate_size")
            k = r.get_int("num_experts_per_tok", hi=n_experts)
            shared_inter = expert_inter * (r.get_int("n_shared_experts", lo=0, nullable=True, default=0) or 0)
            first_k = r.get_int("first_k_dense_replace", lo=0, default=0)
            freq = r.get_int("moe_layer_freq", default=1)
            router_bias = mt == "deepseek_v3" or r.get_str("topk_method") == "noaux_tc"
            router_per_layer = n_experts * d + (n_experts if router_bias else 0)
            router_txt = f"{n(n_experts)}×{n(d)}" + (f" + {n(n_experts)} bias" if router_bias else "")

            def is_moe(i):
                return i >= first_k and i % freq == 0
        else:

            def is_moe(i):
                return False
    elif fam == "mixtral":
        n_experts = r.get_int("num_local_experts")
        k = r.get_int("num_experts_per_tok", hi=n_experts)
        expert_inter = r.get_int("intermediate_size")
        router_per_layer = n_experts * d
        router_txt = f"{n(n_experts)}×{n(d)}"

        def is_moe(i):
            return True
    elif fam == "qwen_moe":
        n_experts = r.get_int("num_experts", lo=0)
        step = r.get_int("decoder_sparse_step", default=1)
        only_dense = set(r.int_list("mlp_only_layers", hi=L))
        if n_experts:
            expert_inter = r.get_int("moe_intermediate_size")
            k = r.get_int("num_experts_per_tok", hi=n_experts)
            if mt == "qwen2_moe":
                shared_inter = r.get_int("shared_expert_intermediate_size", lo=0)
            router_per_layer = n_experts * d + (d if shared_inter else 0)  # + the shared expert's one-output gate
            router_txt = f"{n(n_experts)}×{n(d)}" + (f" + {n(d)} shared-expert gate" if shared_inter else "")

        def is_moe(i):
            return n_experts > 0 and i not in only_dense and (i + 1) % step == 0
    else:  # dense

        def is_moe(i):
            return False

    moe_layers = sum(1 for i in range(L) if is_moe(i))
    dense_layers = L - moe_layers
    # DeepSeek-V3's MTP modules: each one more transformer layer, numbered after the main model's layers.
    n_mtp = r.get_int("num_nextn_predict_layers", lo=0, default=0, hi=1000) if fam == "deepseek" else 0
    mtp_moe = [is_moe(L + j) for j in range(n_mtp)]
    dense_inter = r.get_int("intermediate_size") if dense_layers or not all(mtp_moe) else 0
    mlp_bias = r.get_bool("mlp_bias", False) if mt == "llama" else False
    dense_ffn = _ffn(d, dense_inter) + ((2 * dense_inter + d) if mlp_bias else 0)
    expert = _ffn(d, expert_inter)
    shared = _ffn(d, shared_inter)

    # ------------------------------------------------------------------------------------------------------ totals
    emb = V * d
    head = 0 if tied else V * d
    c.set("embedding_params", emb, f"{n(V)} vocabulary × {n(d)} hidden")
    c.set("attention_params", L * attn, f"{_layers(L)} × {n(attn)} ({attn_txt})")
    c.set(
        "dense_mlp_params",
        dense_layers * dense_ffn,
        f"{_layers(dense_layers, 'dense layers')} × 3 × {n(d)} × {n(dense_inter)}" + (" + biases" if mlp_bias else "")
        if dense_layers
        else "no dense FFN layers",
    )
    c.set(
        "shared_expert_params",
        moe_layers * shared,
        f"{_layers(moe_layers, 'MoE layers')} × 3 × {n(d)} × {n(shared_inter)}"
        if shared and moe_layers
        else "no shared experts",
    )
    c.set(
        "routed_expert_params",
        moe_layers * n_experts * expert,
        f"{_layers(moe_layers, 'MoE layers')} × {n(n_experts)} experts × 3 × {n(d)} × {n(expert_inter)}"
        if moe_layers
        else "no routed experts",
    )
    c.set(
        "router_params",
        moe_layers * router_per_layer,
        f"{_layers(moe_layers, 'MoE layers')} × ({router_txt})" if moe_layers else "no router",
    )
    c.set("norm_params", L * layer_norms + d, f"{_layers(L)} × (2×{n(d)}{extra_norm_txt}) + {n(d)} final norm")
    c.set("output_head_params", head, "0: tied to the input embedding" if tied else f"{n(V)} × {n(d)}")

    keys = (
        "embedding_params",
        "attention_params",
        "dense_mlp_params",
        "shared_expert_params",
        "routed_expert_params",
        "router_params",
        "norm_params",
        "output_head_params",
    )
    total = sum(c.parts[x] for x in keys)
    c.set("total_params", total, " + ".join(n(c.parts[x]) for x in keys if c.parts[x]))

    unchosen = moe_layers * (n_experts - k) * expert
    active = total - unchosen - emb + (emb if tied else 0)
    pieces = [n(total)]
    if unchosen:
        pieces.append(f"{n(unchosen)} unchosen experts ({n(moe_layers)} layers × {n(n_experts - k)} × {n(expert)})")
    pieces.append(f"{n(emb)} input embedding" if not tied else "0 (the tied embedding is used as the output head)")
    c.set("active_params", active, " − ".join(pieces))
    c.set(
        "active_params_with_embedding",
        active + (0 if tied else emb),
        f"{n(active)} + {n(emb)} input embedding" if not tied else f"{n(active)} (embedding tied to the head)",
    )

    # ------------------------------------------------------------------------------------------------------- MTP
    if n_mtp:
        mtp_layer = attn + layer_norms
        per = []
        for moe in mtp_moe:
            ffn = n_experts * expert + shared + router_per_layer if moe else dense_ffn
            per.append(2 * d + 2 * d * d + mtp_layer + ffn + d)
        mtp = sum(per)
        mtp_txt = (
            f"{_layers(n_mtp, 'modules')} × (enorm, hnorm 2×{n(d)} + eh_proj 2×{n(d)}×{n(d)} + one "
            f"{'MoE' if mtp_moe[0] else 'dense'} layer {n(per[0] - 3 * d - 2 * d * d)} + head norm {n(d)})"
        )
        copies = n_mtp * (emb + (0 if tied else head))
    else:
        mtp, mtp_txt, copies = 0, "no MTP module in this config", 0
    c.set("mtp_params", mtp, mtp_txt)
    c.set("total_with_mtp_params", total + mtp, f"{n(total)} + {n(mtp)} MTP")
    c.set(
        "checkpoint_params",
        total + mtp + copies,
        f"{n(total + mtp)} + {n(copies)} stored copies of the shared embedding and output head"
        if copies
        else f"{n(total + mtp)}",
    )
    return c


def params(config):
    c = count(config)
    return {k: Value(v, c.shown[k]) for k, v in c.parts.items()}


P = "parameters"


def _convention() -> str:
    v3 = count(MODELS["deepseek-v3"]["config"]).parts
    both, one = fmt(v3["active_params_with_embedding"], P), fmt(v3["active_params"], P)
    return (
        "Convention: total = every weight of the model without its MTP modules (embedding, attention, FFNs and "
        "experts, routers, norms, output head). Active = the weights one token's forward pass multiplies by: every "
        "weight except the input-embedding lookup (a row read, not a matrix product) and the routed experts the "
        "router did not choose; the output head is included. active_params_with_embedding adds the input embedding "
        "back: the convention of Mistral's 12.9B and Qwen's 2.7B and 3.3B. DeepSeek's 36.7B (README_WEIGHTS) is said "
        f"to include both the 0.9B embedding and the 0.9B head, but counting both gives {both}; 36.7B (and the "
        f"abstract's 37B) match counting one of them, which is active_params ({one}). MTP: the V3 module's own "
        "weights (eh_proj, its norms, one more MoE layer); its embedding and output head are the main model's, but "
        "the Hugging Face checkpoint stores a copy of each, which checkpoint_params counts (DeepSeek's 685B)."
    )


CALCULATOR = Calculator(
    name="params",
    title="Parameters: total and activated",
    summary="Counts every weight of a model from its Hugging Face config.json: embedding, attention (MLA or GQA), "
    "dense FFNs, shared and routed experts, routers, norms, output head; then the parameters one token "
    "activates. DeepSeek-V3: 671B total, 37B activated.",
    inputs=(
        Input(
            "config",
            "Model configuration (config.json)",
            "",
            MODELS["deepseek-v3"]["config"],
            CONFIG_SRC,
            type="json",
            help="A Hugging Face config.json. Supported model_type: deepseek_v2, deepseek_v3, mixtral, qwen2_moe, "
            "qwen3_moe, llama, mistral, qwen2, qwen3. Default: DeepSeek-V3 (R1 has the same architecture).",
        ),
    ),
    outputs=(
        Output("embedding_params", "Input embedding", P),
        Output(
            "attention_params",
            "Attention",
            P,
            help="MLA: down- and up-projections of the compressed query and key/value latents plus the decoupled "
            "RoPE key; GQA: q, k, v, o (and biases where the architecture has them).",
        ),
        Output("dense_mlp_params", "Dense FFN layers", P),
        Output("shared_expert_params", "Shared experts", P),
        Output(
            "routed_expert_params",
            "Routed experts (all)",
            P,
            help="DeepSeek-V3: 58 × 256 × 3 × 7,168 × 2,048, about 653.9B: 97% of the total.",
        ),
        Output("router_params", "Routers (gates)", P),
        Output("norm_params", "Norms", P),
        Output("output_head_params", "Output head", P),
        Output("total_params", "Total parameters", P, help="Every weight without the MTP modules."),
        Output(
            "active_params",
            "Activated per token",
            P,
            help="The weights one token's forward pass multiplies by: includes the output head, excludes the "
            "input-embedding lookup and the routed experts the router did not pick.",
        ),
        Output(
            "active_params_with_embedding",
            "Activated per token, with the input embedding",
            P,
            help="The convention of Mistral (12.9B) and Qwen (2.7B, 3.3B).",
        ),
        Output(
            "mtp_params",
            "MTP modules (own weights)",
            P,
            help="DeepSeek-V3's multi-token-prediction module, without the embedding and output head it shares "
            "with the main model.",
        ),
        Output("total_with_mtp_params", "Total with MTP modules", P, help="Unique weights."),
        Output(
            "checkpoint_params",
            "Parameters stored in the checkpoint",
            P,
            help="The Hugging Face checkpoint stores the shared embedding and head again under the MTP layer: "
            "DeepSeek's 685B.",
        ),
    ),
    function=params,
    headline="total_params",
    presets=tuple(Preset(k, v["label"], {"config": v["config"]}, src(v["source"])) for k, v in MODELS.items()),
    notes=_convention(),
)
