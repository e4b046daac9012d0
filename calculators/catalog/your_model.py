"""your-model: any model's config.json against DeepSeek-V3's: parameters, KV cache, training compute and cost.

Nothing is derived here. Each number comes from the calculator that owns it, run on the config given and on
DeepSeek-V3's published config with the same assumptions:
- params: total and activated parameters, counted weight by weight from the config (calculators/params.py);
- kv-cache: the cache per token and for one sequence at the context length, with the model inputs that
  kv-cache's from_config reads from the config (calculators/kv_cache.py);
- training-cost, on its "compute" basis: training FLOPs = (6 × activated parameters + attention) × tokens, and
  pre-training GPU-hours = FLOPs ÷ (dense peak × MFU × 3,600 s), priced per GPU-hour (calculators/training_cost.py).
  Context extension and post-training are left out (set to 0): this is the pre-training run only.

DeepSeek-V3 is computed on the same GPU, precision, MFU, price, context length and bytes per cached element, with
its own pre-training tokens (14.8T) and sequence length (4K), so the ratios compare the two models and their token
budgets, not two clusters. With the default config and tokens every ratio is 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..core import Calculator, InputError, Output, Preset, Value, n, src
from ..models.configs import Reader, family, model_type
from . import kv_cache, params, training_cost

MODELS = params.MODELS
V3_CONFIG = MODELS["deepseek-v3"]["config"]
PARAMS = params.CALCULATOR
KV = kv_cache.CALCULATOR
TC = training_cost.CALCULATOR

# The inputs this calculator shares with the ones it runs: the same bounds, defaults and sources.
TOKENS = TC.input("tokens")
SEQ_LEN = TC.input("seq_len")
OWN = (
    "config",
    "tokens",
    "seq_len",
    "gpu",
    "precision",
    "mfu",
    "price_per_gpu_hour",
    "context_length",
    "bytes_per_element",
)


def attention_dims(config: Mapping) -> dict[str, int]:
    """The attention shape training-cost counts FLOPs with, read from a config (layers, heads, q·k and v widths)."""
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


def _run(calc: Calculator, raw: Mapping[str, Any]) -> dict[str, Value]:
    """Run another calculator; an error on one of its inputs that is not ours comes from the config."""
    try:
        return calc.evaluate(calc.validate(raw))
    except InputError as e:
        if e.field in OWN:
            raise
        raise InputError("config", f"gives {calc.name} a value it cannot use: {e.field} {e.message}") from None


def one_model(
    config, tokens, seq_len, gpu, precision, mfu, price_per_gpu_hour, context_length, bytes_per_element
) -> dict[str, Value]:
    p = _run(PARAMS, {"config": config})
    kv = _run(
        KV,
        {
            **KV.from_config(config),
            "bytes_per_element": bytes_per_element,
            "context_length": context_length,
            "batch_size": 1,
        },
    )
    active = p["active_params"].value
    t = _run(
        TC,
        {
            "basis": "compute",
            "active_params": active,
            "tokens": tokens,
            "seq_len": seq_len,
            **attention_dims(config),
            "gpu": gpu,
            "precision": precision,
            "mfu": mfu,
            "price_per_gpu_hour": price_per_gpu_hour,
            "context_extension_gpu_hours": 0,
            "post_training_gpu_hours": 0,
        },
    )
    return {
        "total_params": p["total_params"],
        "active_params": p["active_params"],
        "kv_cache_bytes_per_token": kv["kv_cache_bytes_per_token"],
        "kv_cache_bytes_per_sequence": kv["kv_cache_bytes"],
        "training_flops": t["training_flops"],
        "gpu_hours": t["pretrain_gpu_hours"],
        "cost_usd": t["pretrain_cost_usd"],
    }


def _ratio(a: Value, b: Value) -> Value:
    return Value(a.value / b.value, f"{n(a.value)} ÷ {n(b.value)}")


def your_model(config, tokens, seq_len, gpu, precision, mfu, price_per_gpu_hour, context_length, bytes_per_element):
    common = {
        "gpu": gpu,
        "precision": precision,
        "mfu": mfu,
        "price_per_gpu_hour": price_per_gpu_hour,
        "context_length": context_length,
        "bytes_per_element": bytes_per_element,
    }
    mine = one_model(config, tokens, seq_len, **common)
    v3 = one_model(V3_CONFIG, TOKENS.default, SEQ_LEN.default, **common)
    out: dict[str, Value] = dict(mine)
    out.update({f"v3_{k}": v for k, v in v3.items()})
    for k in ("total_params", "active_params", "kv_cache_bytes_per_token"):
        out[f"{k}_ratio"] = _ratio(mine[k], v3[k])
    # Same GPU, MFU and price for both: GPU-hours and cost scale with the FLOPs (and a price of 0 costs nothing).
    out["compute_ratio"] = _ratio(mine["training_flops"], v3["training_flops"])
    return out


P = "parameters"

_INPUTS = (
    replace(
        PARAMS.input("config"),
        label="Your model's configuration (config.json)",
        help="Paste a Hugging Face config.json, drop the file here or pick it. Supported model_type: "
        "deepseek_v2, deepseek_v3, mixtral, qwen2_moe, qwen3_moe, llama, mistral, qwen2, qwen3. "
        "Default: DeepSeek-V3's own config, so every ratio starts at 1.",
    ),
    replace(TOKENS, label="Your model's pre-training tokens (D)"),
    replace(
        SEQ_LEN,
        label="Your model's training sequence length",
        help="Attention FLOPs grow with it; DeepSeek-V3 is always counted at its own 4K.",
    ),
    TC.input("gpu"),
    TC.input("precision"),
    replace(
        TC.input("mfu"),
        label="Model FLOPs utilisation",
        help="Achieved model FLOP/s ÷ dense peak at the "
        "precision above, for both models. DeepSeek-V3 measured 38.94% against the BF16 peak.",
    ),
    TC.input("price_per_gpu_hour"),
    KV.input("context_length"),
    KV.input("bytes_per_element"),
)


def _outputs() -> tuple[Output, ...]:
    rows = [
        ("total_params", "total parameters", P, "every weight without MTP modules (params)"),
        (
            "active_params",
            "activated parameters per token",
            P,
            "total − unchosen routed experts − input embedding (params)",
        ),
        (
            "kv_cache_bytes_per_token",
            "KV cache per token",
            "bytes",
            "layers × cached elements per layer × bytes per element (kv-cache)",
        ),
        (
            "kv_cache_bytes_per_sequence",
            "KV cache for one sequence at the context length",
            "bytes",
            "per token × context length (kv-cache)",
        ),
        ("training_flops", "pre-training compute", "FLOP", "(6 × activated + attention) × tokens (training-cost)"),
        (
            "gpu_hours",
            "pre-training GPU-hours",
            "GPU-hours",
            "training FLOPs ÷ (dense peak × MFU × 3,600 s) (training-cost)",
        ),
        ("cost_usd", "pre-training cost", "USD", "GPU-hours × price per GPU-hour (training-cost)"),
    ]
    outs = [Output(k, f"Your model: {lab}", u) for k, lab, u, f in rows]
    outs += [Output(f"v3_{k}", f"DeepSeek-V3: {lab}", u) for k, lab, u, _ in rows]
    outs += [
        Output("total_params_ratio", "Total parameters, yours ÷ DeepSeek-V3's", "ratio"),
        Output("active_params_ratio", "Activated parameters, yours ÷ DeepSeek-V3's", "ratio"),
        Output(
            "kv_cache_bytes_per_token_ratio",
            "KV cache per token, yours ÷ DeepSeek-V3's",
            "ratio",
        ),
        Output(
            "compute_ratio",
            "Pre-training compute, GPU-hours and cost, yours ÷ DeepSeek-V3's",
            "ratio",
            help="Same GPU, MFU and price for both, so GPU-hours and cost scale with the FLOPs.",
        ),
    ]
    return tuple(outs)


CALCULATOR = Calculator(
    name="your-model",
    title="Your model against DeepSeek-V3",
    summary="Give any model's Hugging Face config.json: its total and activated parameters, KV cache per token, "
    "pre-training FLOPs, GPU-hours and cost, next to DeepSeek-V3's on the same GPU, MFU and price, with "
    "the ratios. Runs the params, kv-cache and training-cost calculators; no formula of its own.",
    inputs=_INPUTS,
    outputs=_outputs(),
    function=your_model,
    headline="cost_usd",
    presets=tuple(Preset(k, v["label"], {"config": v["config"]}, src(v["source"])) for k, v in MODELS.items()),
    notes="Pre-training only (no context extension, no post-training, no experiments), at rental prices. "
    "Activated parameters follow the params calculator's convention (the input embedding is a lookup, not a "
    "matrix product); attention FLOPs are training-cost's causal count. DeepSeek-V3's row uses its own "
    "tokens and sequence length with your GPU, precision, MFU, price, context length and bytes per element.",
)
