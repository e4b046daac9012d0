"""your-model: any model's config.json against DeepSeek-V3's: parameters, KV cache, training compute and cost.

The arithmetic is the one the params, kv-cache and training-cost calculators use, from models/ (no calculator runs
another), on the config given and on DeepSeek-V3's published config with the same assumptions:
- parameters: total and activated, counted weight by weight from the config (models/param_count.py);
- KV cache: per token and for one sequence at the context length, layer by layer (sliding windows, chunks and
  recurrent states included), as kv-cache counts it (models/kv.py);
- training compute, as training-cost's "compute" basis counts it: training FLOPs = (6 × activated parameters +
  attention) × tokens, the attention counted per layer kind and capped by windows (models/flops.py), and
  pre-training GPU-hours = FLOPs ÷ (dense peak × MFU × 3,600 s), priced per GPU-hour. Context extension and
  post-training are left out: this is the pre-training run only.
All three read the one description of the model a reader makes from the config (models/readers/).
A config whose shape lies outside what kv-cache or training-cost accepts (their inputs' bounds) is refused, naming
the field, so every number here is one those calculators also give.

DeepSeek-V3 is computed on the same GPU, precision, MFU, price, context length and bytes per cached element, with
its own published pre-training tokens and sequence length (data/facts.json), so the ratios compare the two models
and their token budgets, not two clusters. With the default config and tokens every ratio is 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..core import Calculator, InputError, Output, Preset, Q, src, term, validate_one
from ..models import flops, hardware, kv, param_count, readers
from ..models.configs import MODELS
from ..models.facts import fact
from . import kv_cache, params, training_cost

V3_CONFIG = MODELS["deepseek-v3"]["config"]
# The declarations of the calculators whose arithmetic this one shares: their bounds, defaults and sources.
PARAMS = params.CALCULATOR
KV = kv_cache.CALCULATOR
TC = training_cost.CALCULATOR

SECONDS_PER_HOUR = Q.const(3600, "3,600 s")
V3_TOKENS = fact("deepseek-v3.tokens")
V3_SEQ_LEN = fact("deepseek-v3.seq_len")
# training-cost's default share of the attention matrix counted (causal: the lower triangle)
CAUSAL = Q.lookup(TC.input("causal_fraction").default, "fraction", "causal fraction", "as training-cost counts")
P = "parameters"


def _within(calc: Calculator, values: Mapping[str, Any]) -> dict[str, Any]:
    """Values read from a config, as quantities written like `calc`'s inputs (unit and symbol); a value outside
    `calc`'s bounds is an error on the config (the field this calculator has), naming `calc`'s input."""
    out = {}
    for name, v in values.items():
        inp = calc.input(name)
        try:
            validate_one(inp, v)
        except InputError as e:
            raise InputError("config", f"gives {calc.name} a value it cannot use: {e.field} {e.message}") from None
        out[name] = Q.input(v, inp.unit, inp.symbol) if inp.numeric else v
    return out


def one_model(config, tokens, seq_len, gpu, precision, mfu, price_per_gpu_hour, context_length, bytes_per_element,
              who: str) -> dict[str, Q]:  # fmt: skip
    """One model's outputs; `who` ("your", "DeepSeek-V3's") begins the name of each, for the ratios' formulas."""
    arch = readers.read(config)
    p = param_count.count(arch)
    _within(KV, {"n_layers": len(arch.layers)})  # kv-cache's bounds
    c = kv.cache(arch, kv.context_tokens(arch, context_length), bytes_per_element)
    kv_per_token = c["bytes_per_token"].named(f"{who} KV cache per token", "bytes")

    active = p["active_params"].named(f"{who} activated parameters", P)
    _within(TC, {"active_params": active.value})  # its bounds only
    attn = flops.attention_flops_per_token(arch, seq_len, CAUSAL)
    attn = attn.named(f"{who} attention FLOPs per token", "FLOP")
    training = ((flops.dense_flops_per_token(active) + attn) * tokens).named(f"{who} training FLOPs", "FLOP")
    peak = hardware.peak(gpu, precision)  # InputError naming --precision if the GPU has no such cores
    gpu_hours = (training / (peak * mfu * SECONDS_PER_HOUR)).named(f"{who} pre-training GPU-hours", "GPU-hours")
    return {
        "total_params": p["total_params"].named(f"{who} total parameters", P),
        "active_params": active,
        "kv_cache_bytes_per_token": kv_per_token,
        "kv_cache_bytes_per_sequence": c["bytes_per_sequence"],
        "attention_flops_per_token": attn,
        "training_flops": training,
        "gpu_hours": gpu_hours,
        "cost_usd": gpu_hours * price_per_gpu_hour,
        "layers": p["layers"],
    }


def _published(f, symbol: str) -> Q:
    return Q.lookup(f.value, f.unit, symbol, "DeepSeek-V3, as published")


def your_model(config, tokens, seq_len, gpu, precision, mfu, price_per_gpu_hour, context_length, bytes_per_element):
    common = {
        "gpu": gpu,
        "precision": precision,
        "mfu": mfu,
        "price_per_gpu_hour": price_per_gpu_hour,
        "context_length": context_length,
        "bytes_per_element": bytes_per_element,
    }
    mine = one_model(config, tokens, seq_len, **common, who="your")
    v3_tokens = _published(V3_TOKENS, "DeepSeek-V3's tokens")
    v3_seq_len = _published(V3_SEQ_LEN, "DeepSeek-V3's sequence length")
    v3 = one_model(V3_CONFIG, v3_tokens, v3_seq_len, **common, who="DeepSeek-V3's")
    out: dict[str, Q] = dict(mine)
    out.update({f"v3_{k}": v for k, v in v3.items()})
    del out["v3_layers"]
    for k in ("total_params", "active_params", "kv_cache_bytes_per_token"):
        out[f"{k}_ratio"] = mine[k] / v3[k]
    # Same GPU, MFU and price for both: GPU-hours and cost scale with the FLOPs (and a price of 0 costs nothing).
    out["compute_ratio"] = mine["training_flops"] / v3["training_flops"]
    return out


_INPUTS = (
    replace(
        PARAMS.input("config"),
        label="Your model's configuration (config.json)",
        help="Paste a Hugging Face config.json, drop the file here or pick it. Supported model_type values: "
        f"{readers.supported()}; another family with the standard field names is read by a generic reader, "
        "which says so. Default: DeepSeek-V3's own config, so every ratio starts at 1.",
    ),
    replace(TC.input("tokens"), label="Your model's pre-training tokens (D)"),
    replace(
        TC.input("seq_len"),
        label="Your model's training sequence length",
        help="Attention FLOPs grow with it; DeepSeek-V3 is always counted at its own "
        f"{term(V3_SEQ_LEN.value, V3_SEQ_LEN.unit)}.",
    ),
    TC.input("gpu"),
    TC.input("precision"),
    replace(
        TC.input("mfu"),
        label="Model FLOPs utilisation",
        symbol="MFU",
        help="Achieved model FLOP/s ÷ dense peak at the precision above, for both models. DeepSeek-V3 measured "
        f"{term(fact('deepseek-v3.causal_mfu_bf16').value, 'fraction')} against the BF16 peak.",
    ),
    TC.input("price_per_gpu_hour"),
    KV.input("context_length"),
    KV.input("bytes_per_element"),
)


def _outputs() -> tuple[Output, ...]:
    rows = [
        ("total_params", "total parameters", P),
        ("active_params", "activated parameters per token", P),
        ("kv_cache_bytes_per_token", "KV cache per token", "bytes"),
        ("kv_cache_bytes_per_sequence", "KV cache for one sequence at the context length", "bytes"),
        ("attention_flops_per_token", "attention training FLOPs per token", "FLOP"),
        ("training_flops", "pre-training compute", "FLOP"),
        ("gpu_hours", "pre-training GPU-hours", "GPU-hours"),
        ("cost_usd", "pre-training cost", "USD"),
    ]
    outs = [Output(k, f"Your model: {lab}", u) for k, lab, u in rows]
    outs.append(Output("layers", "Your model: decoder layers, by kind", "layers", help="How the config was read."))
    outs += [Output(f"v3_{k}", f"DeepSeek-V3: {lab}", u) for k, lab, u in rows]
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
    "the ratios, counted as the params, kv-cache and training-cost calculators count them.",
    inputs=_INPUTS,
    outputs=_outputs(),
    function=your_model,
    headline="cost_usd",
    key_inputs=("config", "tokens", "mfu", "price_per_gpu_hour", "gpu"),
    key_outputs=("cost_usd", "compute_ratio", "kv_cache_bytes_per_token_ratio"),
    presets=tuple(Preset(k, v["label"], {"config": v["config"]}, src(v["source"])) for k, v in MODELS.items()),
    notes="Pre-training only (no context extension, no post-training, no experiments), at rental prices. "
    "Activated parameters follow the params calculator's convention (the input embedding is a lookup, not a "
    "matrix product); attention FLOPs are training-cost's causal count. DeepSeek-V3's row uses its own "
    "tokens and sequence length with your GPU, precision, MFU, price, context length and bytes per element.",
)
