"""Constants derived from the published facts, each computed once, on first use, and never by running a calculator.

Each is a Fact whose source names what it was derived from and shows the arithmetic, rendered from the same
quantity expression that computes it (core/quantity.py), so a default that rests on a derivation cites its working.
"""

from __future__ import annotations

import functools

from ..core import Fact, Q, Source
from . import hardware
from .facts import fact

SECONDS_PER_HOUR = Q.const(3600, "3,600 s")


def _q(key: str) -> Q:
    f = fact(key)
    return Q.input(f.value, f.unit, key.split(".", 1)[1].replace("_", " "))


def _derived(q: Q, digits: int, where: str, unit: str = "") -> Fact:
    return Fact(round(q.value, digits), Source("deepseek-v3", f"{where}, derived here: {q.working()}"), unit)


@functools.cache
def v3_mfu_6nd() -> Fact:
    """V3 pre-training's MFU against the BF16 dense peak in 6ND accounting (attention left out): 0.3463.

    6 × 37B × 14.8T FLOP over the reported 2,664K H800 GPU-hours (Table 1), against the H800's 989.4 TFLOP/s.
    """
    flops = 6 * _q("deepseek-v3.active_params") * _q("deepseek-v3.tokens")
    seconds = _q("deepseek-v3.pretraining_gpu_hours") * SECONDS_PER_HOUR
    mfu = flops / seconds / hardware.peak("h800", "bf16")
    return _derived(mfu, 4, "abstract (37B activated, 14.8T tokens) and Table 1 (2,664K GPU-hours)", "fraction")


@functools.cache
def v3_fp8_share() -> Fact:
    """The share of V3's training FLOPs in FP8 GEMMs (not published): 0.835.

    V3 §3.3.1 runs every Linear GEMM in FP8 except the output head and MoE gating; embedding lookups, normalisation
    and attention stay in BF16/FP32. Of Insights' ~250 GFLOPs per token (Table 2), the FP8 part is 6 × (36.7B − 0.9B
    embedding − 0.9B head − 58 MoE layers × 256 routed experts × 7,168 gating weights).
    """
    gating = _q("deepseek-v3.moe_layers") * _q("deepseek-v3.routed_experts") * _q("deepseek-v3.hidden_size")
    fp8 = 6 * (
        _q("deepseek-v3.activated_params_precise")
        - _q("deepseek-v3.embedding_params")
        - _q("deepseek-v3.head_params")
        - gating
    )
    share = fp8 / _q("deepseek-v3.flops_per_token_published")
    return _derived(share, 3, "README_WEIGHTS.md, §3.3.1, §4.2 and Insights Table 2", "fraction")
