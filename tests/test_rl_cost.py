"""rl-cost against DeepSeek-R1's published cost table.

Source: Guo et al., "DeepSeek-R1 incentivizes reasoning in LLMs through reinforcement learning", Nature 645 (2025),
Supplementary Information §2.4.4 = arXiv 2501.12948 v2, Appendix B.4.4, Table 7 ("Training costs of DeepSeek-R1,
assuming the rental price of H800 is $2 per GPU hour"):

    R1-Zero 101K GPU-hours $202K | SFT data creation 5K $10K | R1 41K $82K | Total 147K $294K

and the text: "64*8 H800 GPUs ... approximately 198 hours" (R1-Zero), "about 4 days, or roughly 80 hours" (R1).
"""

import pytest

import calculators

RL = calculators.get("rl-cost")


def test_reported_table_exactly():
    out = RL.run()
    assert out["r1_zero_gpu_hours"] == 101_000 and out["r1_zero_cost_usd"] == 202_000
    assert out["sft_data_gpu_hours"] == 5_000 and out["sft_data_cost_usd"] == 10_000
    assert out["r1_gpu_hours"] == 41_000 and out["r1_cost_usd"] == 82_000
    assert out["gpu_hours"] == 147_000 and out["cost_usd"] == 294_000


def test_cluster_basis_reproduces_the_rounded_table():
    # 512 GPUs × 198 h and × 80 h: the table's "K" entries are rounded, so 0.5% tolerance.
    out = RL.run(preset="r1-cluster")
    assert out["r1_zero_gpu_hours"] == pytest.approx(101_000, rel=0.005)
    assert out["r1_gpu_hours"] == pytest.approx(41_000, rel=0.005)
    assert out["cost_usd"] == pytest.approx(294_000, rel=0.005)


def test_the_648_gpu_misreading_does_not_fit_the_table():
    # Some reports read "64*8" as 648 GPUs: 648 × 198 h is 128K GPU-hours, far from the table's 101K.
    out = RL.run({"basis": "cluster", "gpus": 648})
    assert out["r1_zero_gpu_hours"] > 101_000 * 1.2


def test_four_days_would_not_fit_the_table():
    # "about 4 days" = 96 h would give 49K GPU-hours for R1; the table's 41K fits "roughly 80 hours".
    out = RL.run({"basis": "cluster", "r1_hours": 96})
    assert out["r1_gpu_hours"] > 41_000 * 1.1
