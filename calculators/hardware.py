"""Accelerator data (data/gpus.json): dense peaks by precision, memory and interconnect, each with its source."""

from __future__ import annotations

from .core import InputError, Source, load_json, src

PRECISIONS = (("bf16", "BF16 dense peak"), ("fp8", "FP8 dense peak"))

_GPUS = {k: v for k, v in load_json("gpus.json").items() if not k.startswith("_")}


def gpus() -> dict[str, dict]:
    return _GPUS


def gpu_choices() -> tuple[tuple[str, str], ...]:
    return tuple((k, v["label"]) for k, v in _GPUS.items())


def gpu_source(name: str) -> Source:
    return src(_GPUS[name]["source"])


def peak_flops(gpu: str, precision: str, field: str = "precision") -> float:
    """Dense peak in FLOP/s (not TFLOPS) for one GPU at a precision; a clear error where the GPU has none."""
    spec = _GPUS[gpu]
    tflops = spec.get(f"{precision}_tflops")
    if tflops is None:
        raise InputError(field, f"{spec['label']} has no {precision.upper()} tensor cores; choose bf16 "
                                f"or another GPU")
    return tflops * 1e12
