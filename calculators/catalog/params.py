"""params: total and activated parameters of a model, counted weight by weight from its Hugging Face config.json.

DeepSeek-V3 (and R1, the same architecture): 671B total and 37B activated per token (V3 report, abstract); the
repository's README_WEIGHTS.md gives 36.7B activated for the main model and 11.5B unique parameters for the
multi-token-prediction (MTP) module; the Hugging Face checkpoint holds 685B (README, §3). The tests pin these.

A config.json of any family in use is read into one description, layer by layer (models/readers/ and
models/architecture.py); the count is models/param_count.py, shared with the your-model calculator; this module
declares the calculator around it.
"""

from __future__ import annotations

from ..core import Calculator, Input, Output, Preset, fmt, src
from ..models import param_count, readers
from ..models.configs import MODELS
from ..models.facts import fact

CONFIG_SRC = src(MODELS["deepseek-v3"]["source"])


def params(config):
    return param_count.count(readers.read(config))


P = "parameters"


def _short(x: float) -> str:
    """A count as prose writes it: 36.7B, 900M."""
    return fmt(x, P).removesuffix(" " + P)


def _published(model: str, quantity: str) -> str:
    """The publisher's own count of a quantity (data/models.json, its first entry)."""
    return _short(next(p["value"] for p in MODELS[model]["published"] if p["quantity"] == quantity))


def _v3(name: str) -> str:  # DeepSeek-V3's published fact NAME (data/facts.json)
    return _short(fact(f"deepseek-v3.{name}").value)


V3_COUNT = params(MODELS["deepseek-v3"]["config"])
WITH_EMBEDDING = (
    f"the convention of Mistral's {_published('mixtral-8x7b', 'active_params')} and Qwen's "
    f"{_published('qwen1.5-moe-a2.7b', 'active_params')} and {_published('qwen3-30b-a3b', 'active_params')}"
)
CHECKPOINT = _published("deepseek-v3", "checkpoint_params")


def _convention() -> str:
    both = fmt(V3_COUNT["active_params_with_embedding"].value, P)
    one = fmt(V3_COUNT["active_params"].value, P)
    precise = _v3("activated_params_precise")
    return (
        "Convention: total = every weight of the model without its MTP modules (embedding, attention, FFNs and "
        "experts, routers, norms, output head). Active = the weights one token's forward pass multiplies by: every "
        "weight except the input-embedding lookup (a row read, not a matrix product) and the routed experts the "
        "router did not choose; the output head is included. active_params_with_embedding adds the input embedding "
        f"back: {WITH_EMBEDDING}. DeepSeek's {precise} (README_WEIGHTS) is said to include both the "
        f"{_v3('embedding_params')} embedding and the {_v3('head_params')} head, but counting both gives {both}; "
        f"{precise} (and the abstract's {_v3('active_params')}) match counting one of them, which is active_params "
        f"({one}). MTP: the V3 module's own weights (eh_proj, its norms, one more MoE layer); its embedding and "
        "output head are the main model's, but the Hugging Face checkpoint stores a copy of each, which "
        f"checkpoint_params counts (DeepSeek's {CHECKPOINT}). Vision towers (Gemma 3's SigLIP) are counted apart "
        "too, in vision_params. active_params_as_published picks the convention of the model's publisher where it "
        f"is known: {param_count.conventions()}. Families read: {readers.described()}. A config of another family "
        "with the standard field names (hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, "
        "vocab_size) is read by a generic reader as a Llama-style decoder, and the layers' working says so."
    )


def _routed_help() -> str:
    routed, total = V3_COUNT["routed_expert_params"], V3_COUNT["total_params"]
    return (
        f"DeepSeek-V3: {routed.working()} = {fmt(routed.value, P)}, {fmt(routed.value / total.value, 'fraction')} "
        "of the total."
    )


CALCULATOR = Calculator(
    name="params",
    title="Parameters: total and activated",
    summary="Counts every weight of a model from its Hugging Face config.json, for any family in use: embedding, "
    "attention (MLA, GQA, sliding-window, linear), dense FFNs, shared and routed experts, routers, norms, output "
    "head; MTP modules and vision towers apart; then the parameters one token "
    f"activates. DeepSeek-V3: {_v3('total_params')} total, {_v3('active_params')} activated.",
    inputs=(
        Input(
            "config",
            "Model configuration (config.json)",
            "",
            MODELS["deepseek-v3"]["config"],
            CONFIG_SRC,
            type="json",
            help=f"A Hugging Face config.json. Supported model_type values: {readers.supported()}; another family "
            "with the standard field names is read by a generic reader, which says so. Default: DeepSeek-V3 (R1 has "
            "the same architecture).",
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
        Output(
            "linear_attention_params",
            "Linear attention (Gated DeltaNet)",
            P,
            help="Qwen3-Next's recurrent layers: input projections, the short convolution, decay and gate "
            "parameters, output projection.",
        ),
        Output("dense_mlp_params", "Dense FFN layers", P),
        Output("shared_expert_params", "Shared experts", P),
        Output(
            "routed_expert_params",
            "Routed experts (all)",
            P,
            help=_routed_help(),
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
            help=WITH_EMBEDDING[:1].upper() + WITH_EMBEDDING[1:] + ".",
        ),
        Output(
            "active_params_as_published",
            "Activated per token, in the publisher's convention",
            P,
            help="With or without the input embedding, as the model's publisher counts (the working says which); "
            "where the convention is not known, with the embedding.",
        ),
        Output(
            "mtp_params",
            "MTP modules (own weights)",
            P,
            help="DeepSeek-V3's multi-token-prediction module, without the embedding and output head it shares "
            "with the main model.",
        ),
        Output(
            "mtp_active_params",
            "MTP modules, weights a token uses",
            P,
            help="The MTP modules' own weights less the routed experts a token does not use.",
        ),
        Output("total_with_mtp_params", "Total with MTP modules", P, help="Unique weights."),
        Output(
            "vision_params",
            "Vision tower and projector",
            P,
            help="Counted apart from the total: the image encoder of a multimodal checkpoint (Gemma 3's SigLIP).",
        ),
        Output(
            "checkpoint_params",
            "Parameters stored in the checkpoint",
            P,
            help="Everything the checkpoint stores: the total, the MTP modules with the copies of the shared "
            f"embedding and head the Hugging Face checkpoint keeps under them (DeepSeek's {CHECKPOINT}), and any "
            "vision tower.",
        ),
        Output("layers", "Decoder layers, by kind", "layers", help="How the config was read, layer by layer."),
    ),
    function=params,
    headline="total_params",
    key_inputs=("config",),
    key_outputs=("total_params", "active_params"),
    presets=tuple(Preset(k, v["label"], {"config": v["config"]}, src(v["source"])) for k, v in MODELS.items()),
    notes=_convention(),
)
