"""communication against what DeepSeek published and measured about its expert-parallel all-to-all.

Sources:
- DeepSeek-V3 Technical Report (arXiv 2412.19437) §3.2.1: "the communication overhead introduced by cross-node expert
  parallelism results in an inefficient computation-to-communication ratio of approximately 1:1"; §3.2.2: "NVLink
  offers a bandwidth of 160 GB/s, roughly 3.2 times that of IB (50 GB/s)"; "each token can efficiently select an
  average of 3.2 experts per node without incurring additional overhead from NVLink ... it can scale up this number
  to a maximum of 13 experts (4 nodes × 3.2 experts/node) while preserving the same communication cost".
- Insights into DeepSeek-V3 (ISCA 2025, arXiv 2505.09343) §4.3: "NVLink provides 200GB/s bandwidth (of which about
  160GB/s can actually be achieved), while each 400Gbps IB NIC delivers only 50GB/s bandwidth (... use 40GB/s for
  effective bandwidth)"; 8 target nodes cost "8t", M nodes "Mt". §2.3.2: "Comm. Time = (1Byte + 2Bytes) × 32 × 9 ×
  7K / 50GB/s = 120.96μs", "Total Inference Time = 61 × 241.92𝜇𝑠 = 14.76ms", and with NVL72's 900 GB/s, 6.72 μs.
- DeepEP docs/legacy.md (V1 performance, H800 + CX7 InfiniBand): normal kernels in the V3 pre-training setting, EP64
  internode "51 GB/s (RDMA)" dispatch and "50 GB/s (RDMA)" combine; low-latency kernels, 128 tokens per batch,
  7168 hidden, top-8, FP8 dispatch and BF16 combine, EP128: dispatch 192 us, combine 369 us, at 39 GB/s RDMA.
- DeepSeek's training profile (github.com/deepseek-ai/profile-data, train.json; data/facts.json "deepseek-profile"):
  one forward + backward chunk pair of 4 MoE layers and one 4K sequence.
- FlashMLA README (first version, 24 Feb 2025): "up to 3000 GB/s in memory-bound configuration and 580 TFLOPS in
  computation-bound configuration on H800 SXM5".
"""

import pytest

import calculators
from calculators import InputError
from calculators.models.facts import fact

C = calculators.get("communication")


def profile(name):
    return fact(f"deepseek-profile.{name}").value


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


def test_ib_bandwidth_is_what_deepep_measured_in_v3s_setting():
    # DeepEP: 51 GB/s dispatch, 50 GB/s combine at EP64 with V3's pre-training shapes; the default is the lower.
    assert 50 <= C.input("ib_gb_s").default <= 51


# --------------------------------------------------------------------------------------------------------------------
# Decoding: Insights' arithmetic, DeepEP's measured latency, and the memory bound


def test_insights_decode_example_120_96_microseconds_and_14_76_ms():
    # Insights §2.3.2: one dispatch (FP8) + combine (BF16) of 32 tokens to 9 experts, 7K hidden, 50 GB/s; every
    # expert is its own destination and counted. Exact arithmetic, so a tight tolerance.
    out = C.run(preset="insights-decode")
    assert out["layer_ib_time_per_microbatch_us"] == pytest.approx(120.96, rel=1e-6)
    # "Total Time Per Layer = 2 × 120.96µs"; "Total Inference Time = 61 × 241.92µs = 14.76ms" (two micro-batches).
    assert 61 * 2 * out["layer_comm_time_us"] / 1000 == pytest.approx(14.76, abs=0.005)
    # ... and "6.72μs" over GB200 NVL72's 900 GB/s.
    assert C.run({"ib_gb_s": 900}, preset="insights-decode")["layer_ib_time_per_microbatch_us"] == pytest.approx(
        6.72, rel=1e-6
    )
    # Insights: "request contexts are often much longer, and MLA computations typically dominate execution time":
    # at the deployed 4,989-token contexts the computation outlasts this communication.
    assert out["layer_compute_time_us"] > out["layer_comm_time_us"]


def test_decode_communication_matches_deepeps_measured_low_latency_kernels():
    # DeepEP low-latency kernels, EP128 (16 nodes), 128 tokens, top-8: dispatch 192 us + combine 369 us = 561 us at
    # 39 GB/s of RDMA. The bandwidth model at that bandwidth (8 destinations per token over RDMA) gives 564.6 us.
    # Tolerance 2%: the measured latency also holds the kernels' fixed costs.
    raw = {"ep_nodes": 16, "micro_batch_tokens": 128, "ib_gb_s": 39}
    assert C.run(raw, preset="decode")["layer_ib_time_per_microbatch_us"] == pytest.approx(192 + 369, rel=0.02)


def test_decoding_is_timed_by_hbm_not_by_the_training_kernels():
    # FlashMLA's measured limits are the defaults, exactly.
    assert C.input("hbm_gb_s").default == 3000 and C.input("decode_speed").default == 580e12
    # With one request per micro-batch a decoding step reads the GPU's weights for almost nothing: the time is the
    # HBM time, and the training kernel speeds have no say.
    one = {"micro_batch_tokens": 1}
    out = C.run(one, preset="decode")
    assert out["layer_compute_time_us"] == out["layer_hbm_time_us"] > 10 * out["layer_arithmetic_time_us"]
    faster = C.run({**one, "gemm_speed": 1.5e15, "attention_speed": 9e14}, preset="decode")
    assert faster["layer_compute_time_us"] == out["layer_compute_time_us"]
    # V3 §3.4.2, decoding: "the bottleneck is memory access rather than computation". Bytes: the MLA projections and
    # the GPU's 2 routed + 1 shared experts in FP8, plus one request's 4,989 cached tokens × 1,152 bytes per layer.
    weights = 187_105_280 + 3 * 44_040_192
    assert out["layer_hbm_time_us"] == pytest.approx((weights + 4989 * 1152) / 3000e9 * 1e6, rel=1e-12)


# --------------------------------------------------------------------------------------------------------------------
# Training: compute at the profile's per-layer times


def test_training_compute_is_the_profiles_per_layer_time():
    # The profile's compute kernels ran 124.258 ms for 4 MoE layers of one 4K micro-batch, forward and backward:
    # 31.06 ms per layer. The model (FP8 GEMMs, attention and the rest, each at the profile's speed) sums the kernel
    # times without the 4% of them the weight-gradient stream overlaps, so tolerance 5%.
    out = C.run()
    assert out["profile_layer_compute_time_us"] == pytest.approx(31_064.5, rel=1e-6)
    assert out["layer_compute_time_us"] == pytest.approx(out["profile_layer_compute_time_us"], rel=0.05)
    # Per layer, the FP8 GEMMs took 74.52 ms / 4 and attention 21.965 ms / 4 in the profile (derived speeds rounded
    # to 1 GFLOP/s, so 1e-5).
    assert out["layer_gemm_time_us"] == pytest.approx(profile("fp8_gemm_seconds") / 4 * 1e6, rel=1e-5)
    assert out["layer_attention_time_us"] == pytest.approx(profile("attention_seconds") / 4 * 1e6, rel=1e-5)


def test_bytes_at_the_measured_bandwidth_take_well_under_the_compute():
    # 4,096 tokens × 3.5 remote nodes × 7,168 × 3 bytes × 2 passes = 617 MB per layer: 12.3 ms at DeepEP's 50 GB/s,
    # 15.4 ms at Insights' effective 40 GB/s, against 32.4 ms of compute.
    r50, r40 = C.run()["comm_to_compute_ratio"], C.run(preset="ib-effective")["comm_to_compute_ratio"]
    assert C.run()["layer_bytes_per_microbatch"] == pytest.approx(616.6e6, rel=1e-3)
    assert 0.3 < r50 < r40 < 0.6


def test_approximately_1_to_1_is_what_the_profiles_communication_kernels_occupy():
    # V3 §3.2.1's "approximately 1:1" matches the profile's communication-kernel time (113.44 ms) against its compute
    # (124.26 ms): 0.91. Read "approximately" as within a factor of 1.5. Those kernels include waiting for peers, so
    # the bytes alone (test above) take less. The GEMM-only bound, which leaves attention and the rest out of the
    # compute, also lands near 1:1, for the wrong reason.
    out = C.run()
    assert 1 / 1.5 <= out["profile_comm_to_compute"] <= 1.5
    assert out["profile_comm_to_compute"] == pytest.approx(0.913, abs=0.001)
    assert out["comm_to_compute_ratio"] < out["comm_to_compute_gemm_only"] <= 1.5


def test_node_limited_routing_halves_ib_traffic_against_8_nodes():
    # Insights §4.3: "8t" for experts on all 8 nodes against "Mt" with M = 4, counting every target node.
    limited = C.run({"copies_rule": "all"})
    unlimited = C.run({"copies_rule": "all", "max_nodes": 8})
    assert unlimited["ib_bytes_per_token"] / limited["ib_bytes_per_token"] == pytest.approx(8 / 4)
    # Without the limit (every expert on its own node), the IB copies double from 3.5 to 7, and so does the ratio.
    out = C.run()
    assert out["comm_to_compute_unlimited"] == pytest.approx(2 * out["comm_to_compute_ratio"], rel=1e-12)


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
