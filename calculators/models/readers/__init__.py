"""Readers: a Hugging Face config.json of any family in use, reduced to one Architecture (models/architecture.py).

`read(config)` resolves the family by `model_type`; else by `architectures` (a known class under a new model_type is
read as that class); else through a nested `text_config`; else, when the standard field names are there, with the
generic reader (and a notice saying so). Anything else is one InputError on "config" naming every missing field.

    family module   model_type values
    llama.py        llama, mistral, mixtral, phimoe, llama4 (llama4_text)
    qwen.py         qwen2, qwen3, qwen2_moe, qwen3_moe, qwen3_next
    gemma.py        gemma2, gemma3 (gemma3_text)
    deepseek.py     deepseek_v2, deepseek_v3, kimi_k2, deepseek_v32, glm4_moe
    others.py       olmoe, gpt_oss, dbrx, ernie4_5_moe
    generic.py      any other decoder with the standard field names
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ...core import InputError
from ..architecture import Architecture
from . import deepseek, gemma, llama, others, qwen
from .fields import FIELD, MISSING, Fields, shown
from .generic import generic, missing

# model_type -> (reader, what it is). The order is the order the page lists them in.
FAMILIES: dict[str, tuple[Any, str]] = {
    "llama": (llama.llama, "Llama 2, 3, 3.1, 3.3"),
    "mistral": (llama.mistral, "Mistral 7B, its sliding window where set"),
    "qwen2": (qwen.qwen2, "Qwen2, Qwen2.5"),
    "qwen3": (qwen.qwen3, "Qwen3 dense"),
    "gemma2": (gemma.gemma2, "Gemma 2, alternating sliding-window layers"),
    "gemma3": (gemma.gemma3, "Gemma 3 multimodal, from text_config, the vision tower counted apart"),
    "gemma3_text": (gemma.gemma3_text, "Gemma 3 text-only"),
    "mixtral": (llama.mixtral, "Mixtral 8x7B, 8x22B"),
    "phimoe": (llama.phimoe, "Phi-3.5-MoE"),
    "olmoe": (others.olmoe, "OLMoE"),
    "qwen2_moe": (qwen.qwen2_moe, "Qwen1.5-MoE, Qwen2-MoE"),
    "qwen3_moe": (qwen.qwen3_moe, "Qwen3 MoE"),
    "qwen3_next": (qwen.qwen3_next, "Qwen3-Next, Gated DeltaNet and gated attention"),
    "deepseek_v2": (deepseek.deepseek_v2, "DeepSeek-V2, V2-Lite"),
    "deepseek_v3": (deepseek.deepseek_v3, "DeepSeek-V3, R1"),
    "kimi_k2": (deepseek.deepseek_v3, "Kimi K2, DeepSeek-V3's architecture"),
    "deepseek_v32": (deepseek.deepseek_v32, "DeepSeek-V3.2, sparse attention with its indexer"),
    "glm4_moe": (deepseek.glm4_moe, "GLM-4.5, GLM-4.5-Air"),
    "gpt_oss": (others.gpt_oss, "gpt-oss-20b, gpt-oss-120b"),
    "llama4": (llama.llama4, "Llama 4 Scout and Maverick, from text_config, chunked attention"),
    "llama4_text": (llama.llama4, "Llama 4 text-only"),
    "dbrx": (others.dbrx, "DBRX, attn_config and ffn_config"),
    "ernie4_5_moe": (others.ernie4_5_moe, "ERNIE 4.5 MoE"),
}

# The `architectures` class each family's checkpoints declare -> its model_type.
CLASSES: dict[str, str] = {
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "mistral",
    "Qwen2ForCausalLM": "qwen2",
    "Qwen3ForCausalLM": "qwen3",
    "Gemma2ForCausalLM": "gemma2",
    "Gemma3ForConditionalGeneration": "gemma3",
    "Gemma3ForCausalLM": "gemma3_text",
    "MixtralForCausalLM": "mixtral",
    "PhiMoEForCausalLM": "phimoe",
    "PhimoeForCausalLM": "phimoe",
    "OlmoeForCausalLM": "olmoe",
    "Qwen2MoeForCausalLM": "qwen2_moe",
    "Qwen3MoeForCausalLM": "qwen3_moe",
    "Qwen3NextForCausalLM": "qwen3_next",
    "DeepseekV2ForCausalLM": "deepseek_v2",
    "DeepseekV3ForCausalLM": "deepseek_v3",
    "DeepseekV32ForCausalLM": "deepseek_v32",
    "Glm4MoeForCausalLM": "glm4_moe",
    "GptOssForCausalLM": "gpt_oss",
    "Llama4ForConditionalGeneration": "llama4",
    "Llama4ForCausalLM": "llama4_text",
    "DbrxForCausalLM": "dbrx",
    "Ernie4_5_MoeForCausalLM": "ernie4_5_moe",
}


def supported() -> str:
    return ", ".join(FAMILIES)


def described() -> str:
    """Every family with what it covers, for a page or a help text: "llama (Llama 2, 3, 3.1, 3.3); ..."."""
    return "; ".join(f"{mt} ({what})" for mt, (_, what) in FAMILIES.items())


def _read(config: Mapping, model_type: str, notices: tuple[str, ...] = ()) -> Architecture:
    reader = FAMILIES[model_type][0]
    arch = reader(Fields(config, model_type), model_type)
    return replace(arch, notices=notices + arch.notices) if notices else arch


def read(config: Any, _depth: int = 0) -> Architecture:
    """The Architecture of a config.json (a parsed JSON object); InputError("config", one line) otherwise."""
    if not isinstance(config, Mapping):
        raise InputError(FIELD, f"must be a JSON object (a Hugging Face config.json), got {type(config).__name__}")
    mt = config.get("model_type", MISSING)
    if mt is MISSING or mt is None or mt == "":
        mt = None
    elif not isinstance(mt, str):
        raise InputError(FIELD, f"'model_type' must be a string such as \"deepseek_v3\" (got {shown(mt)})")
    if mt in FAMILIES:
        return _read(config, mt)
    archs = config.get("architectures")
    if archs is not None:
        if not isinstance(archs, list) or not archs or not all(isinstance(a, str) for a in archs):
            raise InputError(
                FIELD,
                "'architectures' must be a list of class names such as [\"DeepseekV3ForCausalLM\"] "
                f"(got {shown(archs)})",
            )
        for a in archs:
            if a in CLASSES:
                why = "its model_type is not one listed here" if mt else "it has no model_type"
                # (the notice is shown in a working, which holds no numbers: the class's name is not repeated)
                return _read(config, CLASSES[a], (f"{why}: read as the class its architectures list declares",))
    text = config.get("text_config")
    if text is not None and _depth == 0:
        if not isinstance(text, Mapping):
            raise InputError(FIELD, f"'text_config' must be an object (got {shown(text)})")
        known = text.get("model_type") in FAMILIES or any(a in CLASSES for a in text.get("architectures") or ())
        if known or missing(config):
            arch = read(text, 1)
            return replace(arch, notices=("read from its text_config, the language model",) + arch.notices)
    lacking = missing(config)
    if not lacking:
        why = "its model_type is not one listed here" if mt else "it has neither model_type nor architectures"
        return generic(Fields(config, mt or "generic"), mt or "generic", why)
    names = ", ".join(f"'{k}'" for k in lacking)
    if mt:
        head = f"unsupported model_type {mt!r}"
    elif archs:
        head = f"unsupported architecture {archs[0]!r} and no 'model_type'"
    else:
        head = "has neither 'model_type' nor 'architectures', so its family is unknown"
    raise InputError(
        FIELD,
        f"{head}, and the generic reader needs {names}, which it lacks; supported model_type values: {supported()}",
    )


__all__ = ["CLASSES", "FAMILIES", "described", "read", "supported"]
