"""mtp against DeepSeek's published multi-token-prediction figures.

Sources:
- DeepSeek-V3 Technical Report (arXiv 2412.19437) §4.2: "The multi-token prediction depth D is set to 1"; §5.4.3:
  "the acceptance rate of the second token prediction ranges between 85% and 90% ... delivering 1.8 times TPS".
- Insights into DeepSeek-V3 (ISCA 2025) §2.3.3: "an acceptance rate of 80% to 90% for predicting the second subsequent
  token, which increases the generation TPS by 1.8x"; "Although slightly hurting the throughput".
- DeepSeek-V3 README_WEIGHTS.md §2: the MTP module has "11.5B unique parameters, excluding the shared 0.9B Embedding
  and 0.9B output Head" and "Activation parameters: 2.4B (including the shared 0.9B Embedding and 0.9B output Head)";
  §1: main model "Activation parameters: 36.7B (including 0.9B for Embedding and 0.9B for the output Head)".
"""

import pytest

import calculators

M = calculators.get("mtp")


@pytest.mark.parametrize("acceptance", [0.85, 0.875, 0.90])
def test_v3_acceptance_gives_1_8x_tps(acceptance):
    # V3 §5.4.3: 85-90% acceptance -> "1.8 times TPS". DeepSeek gives one rounded speed-up for the whole range, so
    # 3% either way (1.8 rounds anything from 1.75 to 1.85).
    assert M.run({"acceptance_rate": acceptance})["tps_speedup"] == pytest.approx(1.8, rel=0.03)


def test_insights_wider_range_still_about_1_8x():
    # Insights §2.3.3 widens the range to 80-90% for the same "1.8x": 5% tolerance over that range.
    for a in (0.80, 0.90):
        assert M.run({"acceptance_rate": a})["tps_speedup"] == pytest.approx(1.8, rel=0.05)


def test_one_module_drafts_one_token():
    # V3 §4.2: D = 1, so a step yields the verified token plus the draft when accepted.
    out = M.run({"acceptance_rate": 0.85})
    assert out["tokens_per_step"] == pytest.approx(1.85)


def test_unique_mtp_parameters_match_readme_weights():
    # README_WEIGHTS: 11.5B unique; counted from config.json by the params calculator. 2%: the README rounds.
    assert M.run()["mtp_unique_params"] == pytest.approx(11.5e9, rel=0.02)


def test_activated_mtp_parameters_match_readme_weights():
    # README_WEIGHTS: 2.4B including the shared embedding and head. Our count is 2.54B: the module's own block
    # (attention, shared expert, 8 routed experts, router) is 0.59B, plus eh_proj (2 × 7,168² = 0.10B), which the
    # README's figure appears to leave out or round away. 7% tolerance.
    assert M.run()["mtp_active_params_with_shared"] == pytest.approx(2.4e9, rel=0.07)


def test_training_overhead_agrees_with_readme_ratio():
    # From README_WEIGHTS alone: (2.4B − 0.9B embedding) ÷ (36.7B − 0.9B embedding) = 4.2% extra weights in use per
    # token (the embedding is a lookup, not a matrix multiply). Our count-based overhead must agree within 10%.
    readme = (2.4 - 0.9) / (36.7 - 0.9)
    assert M.run()["mtp_training_flops_overhead"] == pytest.approx(readme, rel=0.10)


def test_mtp_slightly_hurts_throughput_but_helps_latency():
    # Insights §2.3.3: "slightly hurting the throughput, this approach significantly improves the end-to-end
    # generation latency". Across 80-90% acceptance: cost per token up by under 15% when arithmetic-bound, down by
    # over a third when bound by reading weights.
    for a in (0.80, 0.90):
        out = M.run({"acceptance_rate": a})
        assert 0 < out["serving_cost_change_throughput_bound"] < 0.15
        assert out["serving_cost_change_latency_bound"] < -1 / 3


def test_without_mtp_nothing_changes():
    out = M.run(preset="no-mtp")
    assert out["tps_speedup"] == 1 and out["mtp_training_flops_share"] == 0 and out["mtp_training_cost_usd"] == 0
    assert out["serving_cost_change_latency_bound"] == 0 and out["mtp_active_params_with_shared"] == 0


def test_share_of_the_pretraining_bill_is_a_few_percent_of_5_328m():
    # V3 Table 1: pre-training $5.328M. MTP's FLOP share times that bill.
    out = M.run()
    assert out["mtp_training_cost_usd"] == pytest.approx(5_328_000 * out["mtp_training_flops_share"])
    assert 0.02 < out["mtp_training_flops_share"] < 0.06


def test_module_counts_agree_with_the_params_calculator():
    # The defaults are counted from V3's config.json in models/derived.py; the params calculator counts the same
    # config weight by weight for every schema it supports. Both are exact integer counts: they must agree exactly.
    p = calculators.get("params").run()
    d = M.defaults()
    assert d["output_head_params"] == p["output_head_params"]
    assert d["main_active_params"] == p["active_params"]
    assert M.run()["mtp_unique_params"] == p["mtp_params"]
    # The module's block as a token uses it: its own weights less the 256 − 8 routed experts it skips (V3 §4.2).
    expert = p["routed_expert_params"] / (58 * 256)
    assert d["mtp_module_active_params"] == p["mtp_params"] - (256 - 8) * expert
    assert M.run()["mtp_active_params_with_shared"] == (
        d["mtp_module_active_params"] + p["output_head_params"] + p["embedding_params"]
    )
