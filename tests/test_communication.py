"""communication against what DeepSeek published about its expert-parallel all-to-all.

Sources:
- DeepSeek-V3 Technical Report (arXiv 2412.19437) §3.2.1: "the communication overhead introduced by cross-node expert
  parallelism results in an inefficient computation-to-communication ratio of approximately 1:1"; §3.2.2: "NVLink
  offers a bandwidth of 160 GB/s, roughly 3.2 times that of IB (50 GB/s)"; "each token can efficiently select an
  average of 3.2 experts per node without incurring additional overhead from NVLink ... it can scale up this number
  to a maximum of 13 experts (4 nodes × 3.2 experts/node) while preserving the same communication cost".
- Insights into DeepSeek-V3 (ISCA 2025, arXiv 2505.09343) §4.3: the H800's scale-up to scale-out bandwidth "is
  approximately 4:1 ... NVLink provides 200GB/s bandwidth (of which about 160GB/s can actually be achieved), while
  each 400Gbps IB NIC delivers only 50GB/s bandwidth (... use 40GB/s for effective bandwidth)"; 8 target nodes cost
  "8t", M nodes "Mt". §2.3.2: "Comm. Time = (1Byte + 2Bytes) × 32 × 9 × 7K / 50GB/s = 120.96μs", and with
  GB200 NVL72's 900 GB/s, 6.72 μs.
"""

import pytest

import calculators
from calculators import InputError

C = calculators.get("communication")


def test_nvlink_carries_3_2_experts_per_node_for_each_ib_copy():
    # V3 §3.2.2: 160 GB/s NVLink ÷ 50 GB/s IB, "roughly 3.2". The paper rounds, so 0.05.
    out = C.run()
    assert out["nvlink_gb_s_achieved"] == pytest.approx(160, abs=1)  # Insights §4.3: "about 160GB/s"
    assert out["experts_per_node_at_ib_cost"] == pytest.approx(3.2, abs=0.05)


def test_up_to_13_experts_at_the_same_communication_cost():
    # V3 §3.2.2: "a maximum of 13 experts (4 nodes × 3.2 experts/node)" = 12.8, which the paper rounds up.
    assert C.run()["max_experts_at_same_cost"] == pytest.approx(13, abs=0.5)


def test_the_4_to_1_bandwidth_ratio_both_ways_insights_counts_it():
    # Insights §4.3: nominal 200 ÷ 50 and effective 160 ÷ 40 are both "approximately 4:1".
    assert C.run({"nvlink_efficiency": 1})["experts_per_node_at_ib_cost"] == pytest.approx(4.0, abs=0.1)
    assert C.run({"ib_gb_s": 40})["experts_per_node_at_ib_cost"] == pytest.approx(4.0, abs=0.1)


def test_insights_decode_example_120_96_microseconds():
    # Insights §2.3.2: one dispatch (FP8) + combine (BF16) of 32 tokens to 9 experts, 7K hidden, 50 GB/s; every
    # expert is its own destination and counted. Exact arithmetic, so a tight tolerance.
    raw = {
        "mode": "inference",
        "copies_rule": "all",
        "max_nodes": 9,
        "ep_nodes": 9,
        "hidden_size": 7000,
        "micro_batch_tokens": 32,
        "dispatch_bytes": 1,
        "combine_bytes": 2,
        "ib_gb_s": 50,
    }
    assert C.run(raw)["layer_ib_time_per_microbatch_us"] == pytest.approx(120.96, rel=1e-6)
    # ... and "6.72μs" over GB200 NVL72's 900 GB/s.
    assert C.run({**raw, "ib_gb_s": 900})["layer_ib_time_per_microbatch_us"] == pytest.approx(6.72, rel=1e-6)


def test_computation_to_communication_is_approximately_1_to_1():
    # V3 §3.2.1 says "approximately 1:1" and gives no measurement. We read "approximately" as within a factor of 1.5
    # either way, and require it at both IB figures DeepSeek uses (50 GB/s nominal, 40 GB/s effective), with the
    # compute running at DeepGEMM's published 1,350 FP8 TFLOPS on the 112 SMs left after communication.
    for ib in (50, 40):
        ratio = C.run({"ib_gb_s": ib})["comm_to_compute_ratio"]
        assert 1 / 1.5 <= ratio <= 1.5, (ib, ratio)


def test_overlap_then_roughly_halves_the_time():
    # At about 1:1, running compute and communication side by side (DualPipe) instead of in turn saves about half.
    assert 1.7 <= C.run()["overlap_speedup"] <= 2.0


def test_at_the_runs_average_speed_communication_is_easy_to_hide():
    # Averaged over pre-training V3 computed at 38.94% of the BF16 peak (Insights Table 4), so each token's compute
    # took far longer than its all-to-all: consistent with V3 §3.2.1, "both all-to-all and PP communication can be
    # fully hidden during execution".
    assert C.run(preset="run-average")["comm_to_compute_ratio"] < 0.5


def test_node_limited_routing_halves_ib_traffic_against_8_nodes():
    # Insights §4.3: "8t" for experts on all 8 nodes against "Mt" with M = 4, counting every target node.
    limited = C.run({"copies_rule": "all"})
    unlimited = C.run({"copies_rule": "all", "max_nodes": 8})
    assert unlimited["ib_bytes_per_token"] / limited["ib_bytes_per_token"] == pytest.approx(8 / 4)
    # Without the limit communication would outlast compute; with it, it does not (V3 §2.1.2: the limit lets the
    # framework "nearly achieve full computation-communication overlap").
    assert C.run()["comm_to_compute_unlimited"] > 1 > C.run()["comm_to_compute_ratio"]


def test_random_routing_lands_in_between():
    # Eight experts drawn at random from 8 nodes touch 8 × (1 − (7/8)^8) ≈ 5.25 nodes on average: more than the
    # limit of 4, fewer than the worst case of 8.
    out = C.run()
    assert out["expected_nodes_random_routing"] == pytest.approx(5.25, abs=0.01)
    assert out["comm_to_compute_ratio"] < out["comm_to_compute_random"] < out["comm_to_compute_unlimited"]


def test_at_8_experts_on_4_nodes_infiniband_not_nvlink_binds():
    # V3 §3.2.2: up to 3.2 experts per node come "without incurring additional overhead from NVLink"; V3 uses 2 per
    # node, so the H800's NVLink is not the bottleneck and the H100's would not change the ratio.
    out = C.run()
    assert out["nvlink_time_per_token_us"] < out["ib_time_per_token_us"]
    assert out["comm_to_compute_compare_nvlink"] == pytest.approx(out["comm_to_compute_ratio"])
    # The 900 GB/s NVLink would raise the ceiling on experts per token by 900/400 = 2.25 (Insights §4.1).
    assert out["compare_max_experts_at_same_cost"] / out["max_experts_at_same_cost"] == pytest.approx(900 / 400)


def test_with_more_experts_per_token_the_h800_nvlink_would_bind():
    # Past 3.2 experts per node (16 experts on 4 nodes = 4 per node) NVLink becomes the slower link on the H800,
    # not on the H100.
    out = C.run({"routed_experts": 16})
    assert out["nvlink_time_per_token_us"] > out["ib_time_per_token_us"]
    assert out["comm_to_compute_compare_nvlink"] < out["comm_to_compute_ratio"]


def test_twenty_of_132_sms():
    # V3 §3.5.1: "20 out of the 132 SMs available in the H800 GPU".
    assert C.run()["sm_share_for_communication"] == pytest.approx(20 / 132)


def test_more_communication_sms_than_the_gpu_has_is_refused():
    with pytest.raises(InputError) as e:
        C.run({"comm_sms": 132})
    assert e.value.field == "comm_sms"
