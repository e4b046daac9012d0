"""Accelerator data (data/gpus.json): dense peaks by precision, memory and interconnect, each with its source.

Every peak here is a DENSE tensor-core figure in FLOP/s. NVIDIA's datasheets print 2:4-sparse figures ("* with
sparsity"), twice the dense ones; MFU is always measured against the dense peak (DeepSeek's 38.94% is 385 TFLOPS
of a ~989 TFLOPS dense BF16 peak). Each entry's source says where its numbers were read and how firm they are
(`confidence`: datasheet, derived or secondary): NVIDIA publishes no H800 or H20 datasheet.
"""

from __future__ import annotations

import math

from ..core import InputError, Q, Source, load_json, src

PRECISIONS = (("bf16", "BF16 dense peak"), ("fp8", "FP8 dense peak"))

_NUMERIC = ("bf16_tflops", "hbm_gb", "hbm_tb_s", "nvlink_gb_s")


def _load() -> dict[str, dict]:
    data = {k: v for k, v in load_json("gpus.json").items() if not k.startswith("_")}
    for name, spec in data.items():  # a bad data file fails at import, not in a reader's browser
        for key in _NUMERIC:
            x = spec.get(key)
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or x <= 0:
                raise ValueError(f"gpus.json: {name}.{key} must be a positive number (got {x!r})")
        fp8 = spec.get("fp8_tflops")
        if fp8 is not None and (isinstance(fp8, bool) or not isinstance(fp8, (int, float)) or fp8 <= 0):
            raise ValueError(f"gpus.json: {name}.fp8_tflops must be a positive number or null (got {fp8!r})")
        if not spec.get("label"):
            raise ValueError(f"gpus.json: {name} needs a label")
        src(spec["source"])  # the source id must exist in the bibliography
    return data


_GPUS = _load()


def gpus() -> dict[str, dict]:
    return _GPUS


def gpu_choices() -> tuple[tuple[str, str], ...]:
    return tuple((k, v["label"]) for k, v in _GPUS.items())


def gpu_source(name: str) -> Source:
    return src(_GPUS[name]["source"])


def spec(name: str, field: str = "gpu") -> dict:
    """One GPU's entry; InputError (naming `field`) for an unknown name."""
    if name not in _GPUS:
        raise InputError(field, f"must be one of {', '.join(_GPUS)} (got {name!r})")
    return _GPUS[name]


def has_precision(gpu: str, precision: str) -> bool:
    """Whether the GPU has tensor cores for this precision (the A100 has no FP8)."""
    return spec(gpu).get(f"{precision}_tflops") is not None


def peak_flops(gpu: str, precision: str, field: str = "precision") -> float:
    """Dense peak in FLOP/s (not TFLOPS) for one GPU at a precision; a clear error where the GPU has none."""
    s = spec(gpu)
    if precision not in dict(PRECISIONS):
        raise InputError(field, f"must be one of {', '.join(p for p, _ in PRECISIONS)} (got {precision!r})")
    tflops = s.get(f"{precision}_tflops")
    if tflops is None:
        raise InputError(field, f"{s['label']} has no {precision.upper()} tensor cores; choose bf16 or another GPU")
    return tflops * 1e12


def hbm_bytes(gpu: str) -> float:
    """HBM capacity in bytes (decimal GB × 1e9)."""
    return spec(gpu)["hbm_gb"] * 1e9


def hbm_bytes_per_second(gpu: str) -> float:
    """HBM bandwidth in bytes per second (decimal TB/s × 1e12)."""
    return spec(gpu)["hbm_tb_s"] * 1e12


def nvlink_bytes_per_second(gpu: str) -> float:
    """NVLink bandwidth per GPU in bytes per second (NVIDIA's total bidirectional GB/s × 1e9)."""
    return spec(gpu)["nvlink_gb_s"] * 1e9


# Quantities (core/quantity.py): the same figures as lookups, so a working shows where each came from.


def peak(gpu: str, precision: str, field: str = "precision") -> Q:
    """The dense peak as a quantity: "989.4 TFLOP/s" in a working, "BF16 dense peak" in a formula."""
    p = precision.upper()
    return Q.lookup(peak_flops(gpu, precision, field), "FLOP/s", f"{p} dense peak", f"{spec(gpu)['label']}, {p} dense")


def hbm(gpu: str) -> Q:
    return Q.lookup(hbm_bytes(gpu), "bytes", "HBM per GPU", f"{spec(gpu)['label']} HBM")


def hbm_bandwidth(gpu: str) -> Q:
    return Q.lookup(hbm_bytes_per_second(gpu), "bytes/s", "HBM bandwidth", f"{spec(gpu)['label']} HBM bandwidth")


def nvlink(gpu: str) -> Q:
    """NVLink bandwidth per GPU, both directions (NVIDIA's figure), in bytes per second."""
    return Q.lookup(
        nvlink_bytes_per_second(gpu), "bytes/s", "NVLink bandwidth", f"{spec(gpu)['label']} NVLink, both directions"
    )
