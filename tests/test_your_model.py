"""your-model: a config.json against DeepSeek-V3, through the params, kv-cache and training-cost calculators.

The calculator has no formula of its own, so the tests check that each output is exactly what the calculator that
owns it gives for the same inputs, that DeepSeek-V3's own config gives ratios of exactly 1, that the published
figures come back (671B total, ISCA 2025 Table 1's 70,272 bytes of KV cache per token), and that a bad config.json
is a field error, never a traceback.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import calculators
from calculators import InputError
from calculators.models.configs import attention_dims
from calculators.page.compute import compute

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests" / "configs"
YM = calculators.get("your-model")
PARAMS = calculators.get("params")
KV = calculators.get("kv-cache")
TC = calculators.get("training-cost")

GOOD = [
    "deepseek-v3",
    "deepseek-v2",
    "deepseek-v2-lite",
    "mixtral-8x7b",
    "qwen1.5-moe-a2.7b",
    "qwen3-30b-a3b",
    "llama-3.1-405b",
    "qwen2.5-72b",
    "qwen2.5-0.5b",
    "architectures-only",
]
BAD = [
    "malformed",
    "list",
    "no-schema",
    "unknown-model-type",
    "missing-hidden-size",
    "string-hidden-size",
    "negative-layers",
    "bad-gqa-heads",
    "deepseek-missing-kv-lora-rank",
    "topk-above-experts",
    "bad-mlp-only-layers",
]


def config(name: str):
    return json.loads((CONFIGS / f"{name}.json").read_text())


def test_defaults_compare_deepseek_v3_with_itself():
    out = YM.run()
    for k in (
        "total_params",
        "active_params",
        "kv_cache_bytes_per_token",
        "kv_cache_bytes_per_sequence",
        "training_flops",
        "gpu_hours",
        "cost_usd",
    ):
        assert out[k] == out[f"v3_{k}"], k
    for k in ("total_params_ratio", "active_params_ratio", "kv_cache_bytes_per_token_ratio", "compute_ratio"):
        assert out[k] == 1.0, k


def test_published_figures():
    out = YM.run()
    assert round(out["total_params"] / 1e9) == 671  # V3 report, abstract: 671B total
    assert out["kv_cache_bytes_per_token"] == 70_272  # ISCA 2025 Table 1: 70.272 KB per token in BF16
    # Llama-3.1-405B, ISCA 2025 Table 1: 516.096 KB per token in BF16
    assert YM.run(preset="llama-3.1-405b")["kv_cache_bytes_per_token"] == 516_096


@pytest.mark.parametrize("name", GOOD)
def test_each_output_is_the_owning_calculators(name):
    cfg = config(name)
    raw = {
        "tokens": 2e12,
        "seq_len": 8192,
        "gpu": "h100",
        "precision": "fp8",
        "mfu": 0.25,
        "price_per_gpu_hour": 3.1,
        "context_length": 32_768,
        "bytes_per_element": 1,
    }
    out = YM.run({"config": cfg, **raw})
    p = PARAMS.run({"config": cfg})
    kv = KV.run({**KV.from_config(cfg), "bytes_per_element": 1, "context_length": 32_768, "batch_size": 1})
    t = TC.run(
        {
            "basis": "compute",
            "active_params": p["active_params"],
            "tokens": 2e12,
            "seq_len": 8192,
            **attention_dims(cfg),
            "gpu": "h100",
            "precision": "fp8",
            "mfu": 0.25,
            "price_per_gpu_hour": 3.1,
            "context_extension_gpu_hours": 0,
            "post_training_gpu_hours": 0,
        }
    )
    assert out["total_params"] == p["total_params"]
    assert out["active_params"] == p["active_params"]
    assert out["kv_cache_bytes_per_token"] == kv["kv_cache_bytes_per_token"]
    assert out["kv_cache_bytes_per_sequence"] == kv["kv_cache_bytes"]
    assert out["training_flops"] == t["training_flops"]
    assert out["gpu_hours"] == t["pretrain_gpu_hours"] == t["gpu_hours"]
    assert out["cost_usd"] == t["pretrain_cost_usd"]
    # DeepSeek-V3 on the same hardware assumptions, with its own 14.8T tokens and 4K sequences
    v3 = YM.run(raw | {"tokens": 14.8e12, "seq_len": 4096})
    for k in ("total_params", "active_params", "kv_cache_bytes_per_token", "training_flops", "gpu_hours", "cost_usd"):
        assert out[f"v3_{k}"] == v3[k], k
    for k in ("total_params", "active_params", "kv_cache_bytes_per_token"):
        assert out[f"{k}_ratio"] == out[k] / out[f"v3_{k}"], k
    assert out["compute_ratio"] == out["training_flops"] / out["v3_training_flops"]
    # same GPU, MFU and price: GPU-hours and cost scale with the compute
    for k in ("gpu_hours", "cost_usd"):
        assert math.isclose(out[k] / out[f"v3_{k}"], out["compute_ratio"], rel_tol=1e-12), k


def test_free_gpus_cost_nothing():
    out = YM.run({"price_per_gpu_hour": 0, "config": config("mixtral-8x7b")})
    assert out["cost_usd"] == out["v3_cost_usd"] == 0 and out["compute_ratio"] > 0


def test_mla_attention_dims_and_mixtral():
    assert attention_dims(config("deepseek-v3")) == {
        "n_layers": 61,
        "n_heads": 128,
        "qk_head_dim": 192,
        "v_head_dim": 128,
    }
    assert attention_dims(config("mixtral-8x7b")) == {
        "n_layers": 32,
        "n_heads": 32,
        "qk_head_dim": 128,
        "v_head_dim": 128,
    }
    out = YM.run({"config": config("mixtral-8x7b")})
    assert round(out["total_params"] / 1e9, 1) == 46.7  # Mistral: 46.7B total
    assert out["kv_cache_bytes_per_token"] == 32 * 2 * 8 * 128 * 2  # GQA: 2 × 8 KV heads × 128 × 32 layers × 2 B


@pytest.mark.parametrize("name", BAD)
def test_bad_config_is_a_field_error(name):
    text = (CONFIGS / f"{name}.json").read_text(encoding="utf-8")
    d = compute("your-model", {"config": text})
    assert not d["ok"] and d["outputs"] == {}
    assert [e["field"] for e in d["errors"]] == ["config"], d["errors"]


def test_bad_config_on_the_command_line():
    proc = subprocess.run(
        [sys.executable, "-m", "calculators", "your-model", "--config", str(CONFIGS / "malformed.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: config")


def test_other_inputs_name_their_own_field():
    with pytest.raises(InputError) as e:
        YM.run({"gpu": "a100", "precision": "fp8"})  # the A100 has no FP8 tensor cores
    assert e.value.field == "precision"
    with pytest.raises(InputError) as e:
        YM.run({"mfu": "0"})
    assert e.value.field == "mfu"


def test_a_config_too_big_for_kv_cache_names_the_config():
    cfg = config("llama-3.1-405b") | {"num_hidden_layers": 50_000}  # configs allow it, kv-cache stops at 10,000
    with pytest.raises(InputError) as e:
        YM.run({"config": cfg})
    assert e.value.field == "config" and "n_layers" in e.value.message


def test_cli_matches_the_function():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "calculators",
            "your-model",
            "--config",
            str(CONFIGS / "mixtral-8x7b.json"),
            "--mfu",
            "0.3",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == YM.run({"config": config("mixtral-8x7b"), "mfu": 0.3})


def test_windowed_layers_count_attention_over_their_window_only():
    # gpt-oss-120b (tests/configs/published): 18 full layers and 18 layers attending to the last 128 tokens
    # (layer_types, sliding_window). At a 4,096-token training sequence, counted causally as training-cost does,
    # a full layer's query meets 2,048 keys on average, a sliding one at most its 128: the attention FLOPs are
    # those of 18 full layers plus 18 × 128/2,048 of them, 64 heads × (64 + 64) dims each.
    cfg = json.loads((CONFIGS / "published" / "gpt-oss-120b.json").read_text())
    out = YM.evaluate(YM.validate({"config": cfg, "seq_len": 4096, "tokens": 1e12}))
    full_layer = 6 * 64 * (64 + 64) * 4096 * 0.5
    expected = 18 * full_layer + 18 * full_layer * 128 / 2048
    active = PARAMS.run({"config": cfg})["active_params"]
    assert out["training_flops"].value == pytest.approx((6 * active + expected) * 1e12, rel=1e-12)
    assert "min(" in out["attention_flops_per_token"].working


def test_a_config_read_by_the_generic_reader_says_so():
    cfg = config("llama-3.1-405b") | {"model_type": "brand_new_lm", "architectures": ["BrandNewLM"]}
    out = YM.evaluate(YM.validate({"config": cfg}))
    assert "generic reader" in out["layers"].working
