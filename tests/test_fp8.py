"""fp8 against published figures.

Sources pinned here:
- DeepSeek-V3 Technical Report (arXiv 2412.19437), Table 1: pre-training 2,664K H800 GPU-hours, $5.328M at $2 per
  GPU-hour. §3.3.1: Fprop, Dgrad and Wgrad of the Linear operator in FP8, "theoretically doubles the computational
  speed compared with the original BF16 method"; embedding, output head, MoE gating, normalization and attention keep
  BF16/FP32. §3.3.3: AdamW moments in BF16, master weights and gradients in FP32, activations cached in FP8.
- Rajbhandari et al. 2020 (ZeRO, arXiv 1910.02054), §3.1: mixed-precision Adam needs 2Ψ + 2Ψ + 12Ψ = 16Ψ bytes; "For a
  model such as GPT-2 with 1.5 Billion parameters, this leads to a memory requirement of at least 24 GB".
- NVIDIA H100 datasheet (the H800 keeps the H100's tensor cores: DeepSeek, Insights §4.1): FP8 3,958 and BF16 1,979
  TFLOPS with sparsity, a ratio of 2.
- Insights into DeepSeek-V3 (arXiv 2505.09343): Table 2, ~250 GFLOPs per token; Table 4, 38.94% causal MFU.
"""

import itertools
import math

import pytest
from cli_helpers import assert_clean_error, cli

import calculators

FP8 = calculators.get("fp8")


def test_zero_mixed_precision_adam_is_16_bytes_per_parameter():
    # ZeRO §3.1: "2Ψ + 2Ψ + KΨ = 16Ψ bytes", K = 12. Exact.
    assert FP8.run()["zero_bytes_per_param"] == 16


def test_zero_gpt2_example_24_gb():
    # ZeRO §3.1: GPT-2, 1.5B parameters, "at least 24 GB". Exact (decimal GB).
    assert FP8.run({"total_params": 1.5e9})["zero_model_state_bytes"] == pytest.approx(24e9, rel=1e-12)


def test_deepseek_recipe_structure_from_v3_section_3_3():
    # §3.3.3: FP32 master weights and gradients (4 bytes), BF16 first and second moments (2 bytes each); no stored
    # 16-bit weight copy is named. 4 + 4 + 2 + 2 = 12 bytes per parameter, a quarter less than ZeRO's 16.
    d = FP8.defaults()
    assert (d["ds_master_bytes"], d["ds_grad_bytes"], d["ds_moment_bytes"], d["ds_weight_bytes"]) == (4, 4, 2, 0)
    out = FP8.run()
    assert out["ds_bytes_per_param"] == 12
    assert out["model_state_saving_fraction"] == pytest.approx(0.25, abs=1e-12)
    # §3.3.3: activations cached in FP8 (1 byte, E4M3) for the Linear backward instead of BF16 (2 bytes).
    assert out["activation_bytes_ratio"] == pytest.approx(0.5, abs=1e-12)
    for name in ("ds_master_bytes", "ds_grad_bytes", "ds_moment_bytes"):
        assert FP8.input(name).source.id == "deepseek-v3" and "§3.3.3" in FP8.input(name).source.where
    assert "§3.3.1" in FP8.input("ds_weight_bytes").source.where


def test_h800_fp8_dense_peak_is_twice_bf16():
    # Datasheet: FP8 3,958 / BF16 1,979 TFLOPS (both with sparsity) = 2. With every FLOP in FP8 the ceiling is
    # V3 §3.3.1's "theoretically doubles". Tolerance 0.1% (989.4 and 1,978.9 are rounded to one decimal).
    assert FP8.run({"fp8_share": 1})["speedup"] == pytest.approx(2.0, rel=1e-3)
    assert FP8.run({"fp8_share": 0})["speedup"] == pytest.approx(1.0, abs=1e-12)


def test_partial_fp8_share_gives_less_than_double():
    # V3 §3.3.1 keeps attention, embedding, head, gating and norms out of FP8, so the whole-run gain is below 2×.
    out = FP8.run()
    assert 1.5 < out["speedup"] < 2.0


def test_reported_pretraining_cost_is_table_1():
    # V3 Table 1: 2,664K GPU-hours × $2 = $5.328M. Exact.
    assert FP8.run()["reported_cost_usd"] == 5_328_000


def test_default_mfu_reproduces_table_1_gpu_hours():
    # 6 × 37B × 14.8T FLOP at the default MFU gives back Table 1's 2,664K within rounding of the MFU (0.1%).
    assert FP8.run()["fp8_gpu_hours"] == pytest.approx(2_664_000, rel=1e-3)


def test_insights_accounting_reproduces_table_1():
    # Two DeepSeek papers cross-checked: 250 GFLOPs per token (Insights Table 2) × 14.8T tokens (V3 §4.2) at 38.94%
    # causal MFU (Insights Table 4) on the 989.4 TFLOPS BF16 peak needs 2,664K GPU-hours (V3 Table 1).
    # Tolerance 0.5%: "~250" is rounded and Table 4 measures steady-state steps, not the whole run.
    out = FP8.run(preset="insights")
    assert out["fp8_gpu_hours"] == pytest.approx(2_664_000, rel=0.005)
    assert out["reported_mfu_bf16"] == pytest.approx(0.3894, abs=0.005)


def test_bf16_counterfactual_costs_more_than_reported():
    out = FP8.run()
    assert out["reported_bf16_cost_usd"] > out["reported_cost_usd"]
    assert out["reported_saving_usd"] == pytest.approx(out["reported_bf16_cost_usd"] - 5_328_000, rel=1e-12)
    # Never more than twice: FP8 at most halves the GEMM time (V3 §3.3.1).
    assert out["reported_bf16_cost_usd"] <= 2 * 5_328_000


def test_fp8_share_default_lies_between_the_two_accountings():
    # Insights Table 4: non-causal attention counting (432 TFLOPS) is 1.122× causal (385); ignoring attention, 6N.
    inp = FP8.input("fp8_share")
    assert inp.range[0] <= inp.default <= inp.range[1]


def test_a100_has_no_fp8():
    with pytest.raises(calculators.InputError) as e:
        FP8.run({"gpu": "a100"})
    assert e.value.field == "gpu"


@pytest.mark.parametrize(
    "inp,out,direction",
    [
        ("fp8_share", "speedup", +1),
        ("fp8_share", "reported_bf16_cost_usd", +1),
        ("fp8_share", "fp8_time_share", +1),
        ("mfu", "fp8_gpu_hours", -1),
        ("price_per_gpu_hour", "reported_bf16_cost_usd", +1),
        ("ds_moment_bytes", "model_state_saving_fraction", -1),
        ("total_params", "ds_model_state_bytes", +1),
    ],
)
def test_monotonic(inp, out, direction):
    i = FP8.input(inp)
    xs = [i.min + (i.max - i.min) * k / 20 for k in range(21)]
    ys = [FP8.run({inp: x})[out] for x in xs]
    for a, b in itertools.pairwise(ys):
        assert direction * (b - a) >= -1e-9 * max(abs(a), abs(b), 1)


def _cli(*args):
    return cli("fp8", *args)


@pytest.mark.parametrize(
    "flag,value,field",
    [
        ("--fp8-share", "abc", "fp8_share"),
        ("--fp8-share", "nan", "fp8_share"),
        ("--fp8-share", "inf", "fp8_share"),
        ("--fp8-share", "-1", "fp8_share"),
        ("--fp8-share", "1.5", "fp8_share"),
        ("--mfu", "0", "mfu"),
        ("--tokens", "-inf", "tokens"),
        ("--act-bf16-bytes", "0", "act_bf16_bytes"),
        ("--gpu", "a100", "gpu"),
        ("--gpu", "tpu", "gpu"),
    ],
)
def test_cli_hostile_inputs(flag, value, field):
    assert_clean_error(_cli(flag, value), field)


def test_cli_json_and_ranges_run():
    r = _cli("--json")
    assert r.returncode == 0 and '"speedup"' in r.stdout
    r = _cli("--ranges")
    assert r.returncode == 0 and "Sensitivity" in r.stdout
    assert math.isfinite(FP8.run(preset="v3-6nd")["speedup"])
