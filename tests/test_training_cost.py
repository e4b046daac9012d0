"""training-cost against published figures. Each test names its source and the tolerance it allows, and why.

Sources:
- V3 = DeepSeek-V3 Technical Report, arXiv 2412.19437. Table 1 ("Training costs of DeepSeek-V3, assuming the rental
  price of H800 is $2 per GPU hour"): pre-training 2664K, context extension 119K, post-training 5K, total 2788K H800
  GPU-hours; $5.328M, $0.238M, $0.01M, $5.576M. §1: "training DeepSeek-V3 on each trillion tokens requires only 180K
  H800 GPU hours, i.e., 3.7 days on our cluster with 2048 H800 GPUs"; "pre-training stage is completed in less than
  two months".
- ISCA = "Insights into DeepSeek-V3" (ISCA 2025), arXiv 2505.09343. Table 2: DeepSeek-V3 "approximately 250 GFLOPS
  per token" of training compute at sequence length 4096. Table 4 (MPFT): 272.80B tokens/day; 432 TFLOPS = 43.73%
  MFU counting attention non-causally, 385 TFLOPS = 38.94% causally, "calculated based on BF16 peak performance".
- Llama 3 = "The Llama 3 Herd of Models", arXiv 2407.21783: abstract, 405B parameters on 15.6T tokens, "3.8 × 10^25
  FLOPs"; §3.3.2 Table 4: BF16 MFU 38-43%. Llama 3.1 model card: 405B trained for 30.84M H100-80GB GPU-hours.

No test compares the calculator with its own formula: each compares it with a number printed in one of these.
"""

from __future__ import annotations

import pytest
from cli_helpers import assert_clean_error, cli_in_process, for_calc

import calculators
from calculators import InputError

TC = calculators.get("training-cost")


# ---- V3 Table 1: exact (integers of GPU-hours times $2 are exact in binary floating point) -------------------------


@pytest.mark.parametrize("preset", [None, "deepseek-v3"])
def test_v3_table_1_exactly(preset):
    out = TC.run(preset=preset)
    assert out["pretrain_gpu_hours"] == 2_664_000 and out["pretrain_cost_usd"] == 5_328_000
    assert out["context_extension_gpu_hours"] == 119_000 and out["context_extension_cost_usd"] == 238_000
    assert out["post_training_gpu_hours"] == 5_000 and out["post_training_cost_usd"] == 10_000
    assert out["gpu_hours"] == 2_788_000 and out["cost_usd"] == 5_576_000
    assert out["unallocated_gpu_hours"] == 0  # Table 1's stages add up to its total


def test_the_package_docstring_example():
    # calculators/__init__.py: run({"gpu_hours": 2_788_000})["cost_usd"] == 5576000.0 (V3 Table 1, exact).
    assert TC.run({"gpu_hours": 2_788_000})["cost_usd"] == 5_576_000.0


def test_v3_subsequent_stages_are_about_0_1m_gpu_hours():
    # V3 §1: "The subsequent training stages after pre-training require only 0.1M GPU hours." 119K + 5K = 124K:
    # "0.1M" is one significant figure, so anything in [0.05M, 0.15M) rounds to it.
    out = TC.run()
    later = out["context_extension_gpu_hours"] + out["post_training_gpu_hours"]
    assert 50_000 <= later < 150_000


# ---- FLOPs ----------------------------------------------------------------------------------------------------------


def test_6nd_is_3_29e24():
    # facts G1 (from V3 abstract: 37B activated, 14.8T tokens): 6 × 37e9 × 14.8e12 ≈ 3.29e24 FLOP. Tolerance 0.5%:
    # the published figure is rounded to three significant figures.
    assert TC.run()["training_flops_6nd"] == pytest.approx(3.29e24, rel=0.005)


def test_about_250_gflops_per_token_with_causal_attention():
    # ISCA Table 2: "approximately 250 GFLOPS per token" for DeepSeek-V3 at sequence length 4096. Tolerance 2%:
    # "approximately" and the rounding to 250; our count (6N with N = 37B, plus QKᵀ and A·V only) gives 252.7.
    assert TC.run()["flops_per_token"] == pytest.approx(250e9, rel=0.02)


def test_attention_is_the_difference_between_causal_and_non_causal_mfu():
    # ISCA Table 4: non-causal 432 TFLOPS vs causal 385 TFLOPS on the same steps, a ratio of 1.122; counting the
    # whole attention matrix instead of its lower triangle must raise FLOPs per token by the same ratio (1%).
    causal = TC.run({"causal_fraction": 0.5})["flops_per_token"]
    full = TC.run({"causal_fraction": 1})["flops_per_token"]
    assert full / causal == pytest.approx(432 / 385, rel=0.01)


# ---- Implied efficiency from the reported GPU-hours -----------------------------------------------------------------


def test_implied_mfu_with_attention_matches_isca_38_94_percent():
    # ISCA Table 4: 38.94% causal MFU of the BF16 peak, measured over training steps. The implied figure divides the
    # run's FLOPs by Table 1's 2,664K pre-training GPU-hours. Tolerance 1.5 percentage points: the two differ in
    # what they time (measured steady-state steps vs the whole run, including the batch-size ramp and any
    # interruptions) and in the FLOP count (our 252.7 vs ISCA's ~250 GFLOPs per token, 1.1% apart).
    out = TC.run()
    assert out["implied_mfu_bf16"] == pytest.approx(0.3894, abs=0.015)
    # The same achieved FLOP/s against the FP8 peak, twice the BF16 one, is half the percentage (ISCA: MFU is
    # "calculated based on BF16 peak performance"; against FP8 it would be ~19.5%).
    assert out["implied_mfu_fp8"] == pytest.approx(0.3894 / 2, abs=0.0075)


def test_achieved_flops_per_gpu_matches_isca_385_tflops():
    # ISCA Table 4: 385 TFLOPS per GPU, causal. Tolerance 3%: 1.1% from the FLOP count plus the whole-run timing.
    assert TC.run()["achieved_flops_per_gpu"] == pytest.approx(385e12, rel=0.03)


def test_6nd_only_understates_mfu():
    # Leaving attention out (the common back-of-envelope) gives a lower MFU than DeepSeek's measured 38.94%
    # (ISCA Table 4): the 6ND-only figure must fall below it, and below the with-attention figure.
    out = TC.run()
    assert out["implied_mfu_bf16_6nd"] < 0.3894 < out["implied_mfu_bf16"] + 0.015
    assert out["implied_mfu_bf16_6nd"] < out["implied_mfu_bf16"]


def test_180k_gpu_hours_per_trillion_tokens():
    # V3 §1: "each trillion tokens requires only 180K H800 GPU hours". 2,664K ÷ 14.8 = 180K; tolerance 1%.
    assert TC.run()["gpu_hours_per_trillion_tokens"] == pytest.approx(180_000, rel=0.01)


def test_3_7_days_per_trillion_tokens_on_2048_gpus():
    # V3 §1: "3.7 days on our cluster with 2048 H800 GPUs". The paper rounds to 0.1 day: tolerance ±0.05 day.
    assert TC.run()["days_per_trillion_tokens"] == pytest.approx(3.7, abs=0.05)


def test_pre_training_took_less_than_two_months():
    # V3 §1: "our pre-training stage is completed in less than two months". Two months ≥ 59 days.
    days = TC.run()["pretrain_wall_clock_days"]
    assert 45 < days < 59


def test_tokens_per_day_matches_isca_272_8b():
    # ISCA Table 4 (MPFT): 272.80B tokens/day on the 2,048-GPU cluster. From Table 1's hours and 14.8T tokens we
    # get 273.1B; tolerance 1% (the measured rate is per training step; the table's hours are the whole run).
    assert TC.run()["tokens_per_day"] == pytest.approx(272.80e9, rel=0.01)


def test_compute_basis_at_the_measured_mfu_reproduces_the_reported_hours():
    # Running the other way: ISCA's measured 38.94% causal MFU on the H800 BF16 peak should give back about V3
    # Table 1's 2,664K pre-training GPU-hours. Tolerance 3%: 1.1% FLOP-count difference plus the whole-run timing.
    out = TC.run(preset="deepseek-v3-isca")
    assert out["pretrain_gpu_hours"] == pytest.approx(2_664_000, rel=0.03)
    assert out["cost_usd"] == pytest.approx(5_576_000, rel=0.03)


# ---- Llama 3.1 405B -------------------------------------------------------------------------------------------------


def test_llama_405b_training_compute_is_3_8e25():
    # Llama 3 paper, abstract: 405B parameters on 15.6T tokens, "3.8 × 10^25 FLOPs". Tolerance 1% (two significant
    # figures; the 6ND rule without attention is how that figure is usually derived).
    out = TC.run(preset="llama-3.1-405b")
    assert out["training_flops_6nd"] == pytest.approx(3.8e25, rel=0.01)
    assert out["gpu_hours"] == 30_840_000  # Llama 3.1 model card, 405B row: 30.84M GPU-hours, exact
    assert out["cost_usd"] == 61_680_000  # at DeepSeek's $2 per GPU-hour (facts G14b: $61.7M)


def test_llama_card_hours_imply_an_mfu_below_the_papers_steady_state():
    # Llama 3 paper §3.3.2, Table 4: 38-43% BF16 MFU in steady state. The card's 30.84M GPU-hours cover more than
    # steady-state pre-training (long-context and annealing stages, interruptions), so the MFU they imply must be
    # below 43% and not wildly below 38% (>30%).
    mfu = TC.run(preset="llama-3.1-405b")["implied_mfu_bf16"]
    assert 0.30 < mfu < 0.43
    # And at the paper's MFU the first-principles GPU-hours come in under the card's total.
    assert TC.run(preset="llama-3.1-405b-compute")["gpu_hours"] < 30_840_000


# ---- Directions that must hold whatever the numbers ----------------------------------------------------------------


def test_more_gpu_hours_cost_more():
    costs = [TC.run({"gpu_hours": h})["cost_usd"] for h in (0, 1, 1e5, 2_788_000, 3e6, 1e9)]
    assert costs == sorted(costs) and costs[0] < costs[-1]


def test_higher_mfu_needs_fewer_gpu_hours():
    hours = [TC.run({"basis": "compute", "mfu": m})["gpu_hours"] for m in (0.001, 0.1, 0.2, 0.3894, 0.6, 1.0)]
    assert hours == sorted(hours, reverse=True) and hours[0] > hours[-1]


def test_fp8_peak_halves_the_gpu_hours_at_the_same_mfu():
    # Hopper's FP8 dense peak is twice its BF16 one (H100 datasheet: 3,958 vs 1,979 TFLOPS with sparsity), so at a
    # fixed MFU the compute basis needs half the pre-training GPU-hours. Tolerance 0.1% (1,978.9 vs 2 × 989.4).
    bf16 = TC.run({"basis": "compute", "precision": "bf16"})["pretrain_gpu_hours"]
    fp8 = TC.run({"basis": "compute", "precision": "fp8"})["pretrain_gpu_hours"]
    assert fp8 == pytest.approx(bf16 / 2, rel=0.001)


def test_a100_has_no_fp8():
    with pytest.raises(InputError) as e:
        TC.run({"gpu": "a100", "precision": "fp8"})
    assert e.value.field == "precision" and "FP8" in e.value.message
    out = TC.run({"gpu": "a100", "precision": "bf16"})
    assert out["implied_mfu_fp8"] == 0  # documented: not applicable


# ---- Command line: hostile input exits 2 with one line naming the field -------------------------------------------


cli = for_calc("training-cost")


@pytest.mark.parametrize(
    "args,field",
    [
        (["--mfu", "0"], "mfu"),
        (["--mfu", "1.5"], "mfu"),
        (["--mfu", "nan"], "mfu"),
        (["--tokens", "-1"], "tokens"),
        (["--gpu-hours", "abc"], "gpu_hours"),
        (["--gpu", "tpu"], "gpu"),
        (["--precision", "fp8", "--gpu", "a100"], "precision"),
        (["--precision", "fp16"], "precision"),
        (["--basis", "vibes"], "basis"),
        (["--pretrain-gpu-hours", "0"], "pretrain_gpu_hours"),
        (["--num-gpus", "0"], "num_gpus"),
        (["--causal-fraction", "2"], "causal_fraction"),
    ],
)
def test_hostile_cli_input(args, field):
    # In this process (the same main() as `python -m calculators`; the subprocess run is
    # test_cli_gpu_hours_and_price_flags below): an exception main() did not turn into a message would fail the test
    # as it would print a traceback.
    assert_clean_error(cli_in_process("training-cost", *args), field)


def test_cli_gpu_hours_and_price_flags():
    # V3 Table 1 total at the declared price range: 2,788K GPU-hours × $1.5 / $2 / $3.5.
    import json

    r = cli("--gpu-hours", "2788000", "--price-per-gpu-hour", "1.5/2/3.5", "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["ranges"]["cost_usd"] == {"low": 4_182_000.0, "base": 5_576_000.0, "high": 9_758_000.0}
