"""communication: DeepSeek-V3's expert-parallel all-to-all per MoE layer, against the compute it has to hide behind.

Every MoE layer sends each token's hidden state to the GPUs that hold its routed experts (dispatch) and brings the
weighted expert outputs back (combine). DeepSeek-V3 (arXiv 2412.19437): hidden size 7,168, 58 MoE layers, 8 routed
experts per token sent to "at most 4 nodes" (§4.2, §2.1.2); 64-way expert parallelism over 8 nodes (§3.2); "the
communication overhead introduced by cross-node expert parallelism results in an inefficient computation-to-
communication ratio of approximately 1:1" (§3.2.1); "NVLink offers a bandwidth of 160 GB/s, roughly 3.2 times that
of IB (50 GB/s)", so a token crosses IB once per target node and is forwarded inside it over NVLink, and 20 of the
H800's 132 SMs drive it (§3.2.2); dispatch in FP8, combine in BF16, forward and backward (§3.3.3). DeepEP, DeepSeek's
library for it, measured 50-51 GB/s per GPU over IB in exactly this setting (docs/legacy.md, EP64).

Communication time per layer and micro-batch = the slower of IB bytes ÷ IB bandwidth and NVLink bytes ÷ NVLink
bandwidth (they run at the same time); latency is left out.
Computation time per layer and micro-batch (models/step_time.py):
- training: the FP8 GEMMs (MLA projections and 9 experts per token, 6 FLOPs per weight) at their measured speed, BF16
  attention (causal, at the sequence length) at its measured speed, and everything else (casts, norms, RoPE, SwiGLU)
  at its measured time per token, all three from DeepSeek's published training profile (deepseek-ai/profile-data);
- decoding: the larger of the time to read the GPU's weights and its micro-batch's KV cache from HBM and the time to
  do the arithmetic (absorbed MLA, DeepSeek-V2 §2.1.2), at FlashMLA's measured 3,000 GB/s and 580 TFLOP/s.
The upper bound counts the GEMMs alone at DeepGEMM's benchmark speed, as if nothing else took time. The profile's
own ratio of communication-kernel time to compute time is shown beside it: it includes the kernels' waiting.
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Q, Source, fmt_plain, qmax, src
from ..models import derived, expert_parallel, hardware, profile, step_time
from ..models.facts import fact


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


def PROFILE(name: str):  # the training profile's kernel times (data/facts.json "deepseek-profile")
    f = fact(f"deepseek-profile.{name}")
    return Q.lookup(f.value, f.unit, f"profile {name.replace('_', ' ')}", "DeepSeek's training profile")


US, GB = step_time.US, expert_parallel.GB
DEEPGEMM = fact("deepseek-kernels.deepgemm_fp8_flops")

V3_ARCH = src(
    'deepseek-v3: §4.2 (hidden dimension 7168; 61 layers, "all FFNs except for the first three layers" are MoE, '
    'so 58; "1 shared expert and 256 routed experts", "8 experts will be activated for each token, and each token '
    'will be ensured to be sent to at most 4 nodes")'
)
V3_NODES = src('deepseek-v3: §3.2 ("64-way Expert Parallelism (EP) ... spanning 8 nodes") and §3.1 (8 GPUs per node)')
V3_FP8_COMM = src(
    'deepseek-v3: §3.3.3 Low-Precision Communication (activations "quantize[d] ... into FP8" before dispatch; '
    '"For both the forward and backward combine components, we retain them in BF16")'
)
V3_SMS = src(
    'deepseek-v3: §3.2.2 ("only 20 SMs are sufficient to fully utilize the bandwidths of IB and NVLink") '
    'and §3.5.1 ("20 out of the 132 SMs available in the H800 GPU")'
)
IB = Source(
    "deepseek-deepep",
    "Performance, normal kernels on H800 with CX7 InfiniBand, DeepSeek-V3 pre-training setting (4096 tokens, 7168 "
    "hidden, top-4 groups, top-8 experts, FP8 dispatch, BF16 combine): EP64 internode 51 GB/s dispatch, 50 GB/s "
    "combine (RDMA)",
    note='Range 40-50 GB/s: Insights §4.3 uses "40GB/s for effective bandwidth" once small messages and latency are '
    'counted; V3 §3.2.2 quotes "IB (50 GB/s)".',
)
NVL_EFF = src(
    'deepseek-v3-insights: §4.3 ("NVLink provides 200GB/s bandwidth (of which about 160GB/s can actually be '
    "achieved)\"; 200 GB/s is one direction of the H800's 400 GB/s total)"
)
COPIES = src(
    'deepseek-v3-insights: §4.3 (tokens for one node "can be sent once over IB and then forwarded via NVLink"; '
    "the cost over M nodes is Mt, counting every target node)"
)
MODE = src("deepseek-v3: §3.3.3 (the backward pass repeats the dispatch and combine) and §3.4.2 (decoding)")
MICRO = src("deepseek-profile-data: README (training profile: EP64, TP1, 4K sequences; one sequence per micro-batch)")
PROFILED = "Measured in DeepSeek's training profile (derived; the source shows how)."
DAY6 = src('deepseek-day6: decoding "Each GPU manages 2 routed experts and 1 shared expert"; "the average kvcache '
           'length per output token was 4,989 tokens"; MLA in BF16, matrix multiplications in FP8')  # fmt: skip
FLASHMLA = src(
    'deepseek-flashmla: README, first version (commit 414a2f3, February 2025): "up to 3000 GB/s in memory-bound '
    'configuration and 580 TFLOPS in computation-bound configuration on H800 SXM5"'
)
V3_LIMIT = src(
    'deepseek-v3: §2.1.2 Node-Limited Routing ("each token will be sent to at most M nodes") and §4.2 (M = 4)'
)


def communication(gpu, compare_gpu, mode, hidden_size, moe_layers, routed_experts, shared_experts, max_nodes,
                  ep_nodes, gpus_per_node, copies_rule, dispatch_bytes, combine_bytes, ib_gb_s, nvlink_efficiency,
                  comm_sms, total_sms, micro_batch_tokens, attention_params, expert_params, gemm_speed,
                  attention_width, seq_len, attention_speed, other_us_per_token, context_tokens, kv_bytes_per_token,
                  experts_per_gpu, weight_bytes, hbm_gb_s, decode_speed, absorbed_flops_per_position):  # fmt: skip
    if comm_sms >= total_sms:
        raise InputError(
            "comm_sms",
            f"must be fewer than the GPU's {fmt_plain(total_sms.value)} SMs, or nothing is left to compute "
            f"(got {fmt_plain(comm_sms.value)})",
        )
    training, T = mode == "training", micro_batch_tokens
    t = expert_parallel.traffic(gpu, compare_gpu, training, T, hidden_size, routed_experts, max_nodes, ep_nodes,
                                gpus_per_node, copies_rule == "remote", dispatch_bytes, combine_bytes, ib_gb_s,
                                nvlink_efficiency)  # fmt: skip
    comm = t["comm"]
    weights = (attention_params + (routed_experts + shared_experts) * expert_params).named(
        "GEMM weights per token and layer", "parameters"
    )
    left = ((total_sms - comm_sms) / total_sms).named("share of SMs computing", "fraction")
    deepgemm = Q.lookup(DEEPGEMM.value, "FLOP/s", "DeepGEMM speed", "DeepGEMM's published benchmark")
    if training:
        attention = (3 * attention_width * seq_len).named("attention FLOP per token and layer", "FLOP")
        parts = step_time.training_layer_times(T, 6 * weights, gemm_speed, attention, attention_speed,
                                               other_us_per_token)  # fmt: skip
        gemm_only = T * (6 * weights) / (deepgemm * left) * US
        na = Q.const(0.0).explain("not applicable: training is timed at the profile's kernel speeds")
        parts.update(memory=na, arithmetic=na)
    else:
        on_gpu = ((attention_params + experts_per_gpu * expert_params) * weight_bytes).named("weight bytes", "bytes")
        kv = (T * context_tokens * kv_bytes_per_token).named("KV cache bytes", "bytes")
        flop = (T * (2 * weights + absorbed_flops_per_position * context_tokens)).named("decode FLOP", "FLOP")
        parts = step_time.decode_layer_times(on_gpu + kv, hbm_gb_s * GB, flop, decode_speed)
        gemm_only = T * (2 * weights) / (deepgemm * left) * US
        na = Q.const(0.0).explain("not applicable: decoding is timed by HBM traffic or arithmetic")
        parts.update(gemm=na, attention=na, other=na)
    compute = parts["total"].named("computation time", "µs")
    per_node = (t["nvl_bw"] / t["ib_bw"]).named("experts per node at IB cost", "experts")
    per_node_cmp = (t["cmp_bw"] / t["ib_bw"]).named("experts per node, comparison NVLink", "experts")
    unlimited = (t["worst_nodes"] * t["node_share"]).named("IB copies without the limit", "copies")
    randomly = (t["random_nodes"].named("expected nodes", "nodes") * t["node_share"]).named(
        "IB copies with random experts", "copies"
    )
    return {
        "comm_to_compute_ratio": comm / compute,
        "comm_to_compute_gemm_only": comm / gemm_only.named("GEMM-only time", "µs"),
        "profile_comm_to_compute": PROFILE("comm_seconds") / PROFILE("compute_union_seconds"),
        "layer_comm_time_us": comm,
        "layer_compute_time_us": compute,
        "layer_gemm_time_us": parts["gemm"],
        "layer_attention_time_us": parts["attention"],
        "layer_other_time_us": parts["other"],
        "layer_hbm_time_us": parts["memory"],
        "layer_arithmetic_time_us": parts["arithmetic"],
        "profile_layer_compute_time_us": PROFILE("compute_union_seconds") / PROFILE("chunk_moe_layers") * US,
        "ib_copies_per_token": t["nodes"] * t["node_share"],
        "ib_bytes_per_token": moe_layers * t["per_copy"] * t["copies"],
        "nvlink_copies_per_token": routed_experts * t["gpu_share"],
        "nvlink_bytes_per_token": moe_layers * t["per_copy"] * t["nvl_copies"],
        "ib_time_per_token_us": t["ib_time"] * moe_layers / T,
        "nvlink_time_per_token_us": t["nvl_time"] * moe_layers / T,
        "comm_time_per_token_us": comm * moe_layers / T,
        "compute_time_per_token_us": compute * moe_layers / T,
        "overlap_speedup": (comm + compute) / qmax(comm, compute),
        "sm_share_for_communication": comm_sms / total_sms,
        "nvlink_gb_s_achieved": t["nvl_raw"] / GB,
        "experts_per_node_at_ib_cost": per_node,
        "max_experts_at_same_cost": t["nodes"] * per_node,
        "comm_to_compute_unlimited": expert_parallel.ib_time_with(t, T, unlimited) / compute,
        "expected_nodes_random_routing": t["random_nodes"],
        "comm_to_compute_random": expert_parallel.ib_time_with(t, T, randomly) / compute,
        "compare_nvlink_gb_s_achieved": t["cmp_raw"] / GB,
        "compare_experts_per_node_at_ib_cost": per_node_cmp,
        "compare_max_experts_at_same_cost": t["nodes"] * per_node_cmp,
        "comm_to_compute_compare_nvlink": t["cmp_comm"] / compute,
        "layer_bytes_per_microbatch": t["layer_bytes"],
        "layer_ib_time_per_microbatch_us": t["ib_time"],
    }


def _whole(name, label, unit, default, source, hi, symbol="", lo=1, **kw) -> Input:  # a whole-number input
    return Input(name, label, unit, default, source, type="int", min=lo, max=hi, symbol=symbol, **kw)


def _amount(name, label, unit, default, lo, hi, symbol, source=None, **kw) -> Input:
    return Input(name, label, unit, default, source, min=lo, max=hi, symbol=symbol, **kw)


GPUS = hardware.gpu_choices()
MODES = (
    ("training", "Training: dispatch and combine forward and backward, compute at the profile's kernel speeds"),
    ("inference", "Decoding: forward only, compute bound by HBM or arithmetic"),
)
NVL_CUT = src('deepseek-v3-insights: §4.1 (H800 NVLink "reduced from 900 GB/s to 400 GB/s" against the H100)')
DECODE = {"mode": "inference", "copies_rule": "all", "max_nodes": 8, "ep_nodes": 18, "micro_batch_tokens": 64}

INPUTS = (
    Input("gpu", "GPU", "", "h800", src("deepseek-v3: §3.1, 2,048 NVIDIA H800 GPUs"), type="choice", choices=GPUS),
    Input("compare_gpu", "GPU to compare NVLink with", "", "h100", NVL_CUT, type="choice", choices=GPUS),
    Input("mode", "Training or decoding", "", "training", MODE, type="choice", choices=MODES),
    _whole("hidden_size", "Hidden size (elements per token sent)", "elements", V3("hidden_size"), None, 10**6,
           "hidden size"),  # fmt: skip
    _whole("moe_layers", "MoE layers", "layers", V3("moe_layers"), None, 10_000),
    _whole("routed_experts", "Routed experts per token", "experts", 8, V3_ARCH, 4096, "routed experts"),
    _whole("shared_experts", "Shared experts per token", "experts", 1, V3_ARCH, 64, "shared experts", lo=0),
    _whole("max_nodes", "Nodes each token is sent to (at most)", "nodes", 4, V3_LIMIT, 100_000, "node limit",
           help="Node-limited routing caps it at 4. Set it to the expert count to switch the limit off."),
    _whole("ep_nodes", "Nodes in the expert-parallel group", "nodes", 8, V3_NODES, 100_000, "EP nodes"),
    _whole("gpus_per_node", "GPUs per node", "GPUs", 8, V3_NODES, 1024),
    Input("copies_rule", "Copies counted over InfiniBand", "", "remote", COPIES, type="choice",
          choices=(("remote", "Only copies that leave the token's own node (expected share)"),
                   ("all", "One per target node, as DeepSeek's Mt counts them"))),  # fmt: skip
    _amount("dispatch_bytes", "Bytes per element, dispatch", "bytes", 1, 0, 16, "dispatch bytes", V3_FP8_COMM,
            help="FP8 = 1 (DeepSeek also sends a small scale per 128 elements, not counted); BF16 = 2."),
    _amount("combine_bytes", "Bytes per element, combine", "bytes", 2, 0, 16, "combine bytes", V3_FP8_COMM),
    _amount("ib_gb_s", "InfiniBand bandwidth per GPU (one direction)", "GB/s", 50, 0.001, 100_000, "IB GB/s", IB,
            range=(40, 50), range_source=IB, step=5),  # IB's note: Insights §4.3's 40 GB/s effective
    _amount("nvlink_efficiency", "Share of NVLink's one-way bandwidth achieved", "fraction", 0.8, 0.01, 1,
            "NVLink efficiency", NVL_EFF, step=0.05),
    _whole("comm_sms", "SMs reserved for communication", "SMs", 20, V3_SMS, 10_000, "communication SMs", lo=0),
    _whole("total_sms", "SMs per GPU", "SMs", 132, V3_SMS, 10_000),
    _whole("micro_batch_tokens", "Tokens per GPU per micro-batch", "tokens", V3("seq_len").value, MICRO, 10**9,
           "micro-batch tokens", help="Training: one 4K sequence. Decoding: requests per micro-batch (the "
           "decoding profile runs 128 per GPU in two micro-batches; Insights §2.3.2 assumes 32)."),
    _amount("attention_params", "Attention projection weights per layer", "parameters",
            derived.v3_attention_params_per_layer(), 0, 1e13, "attention weights"),
    _amount("expert_params", "Weights per expert", "parameters", derived.v3_expert_params(), 1, 1e13,
            "expert weights"),
    _amount("gemm_speed", "Training: FP8 GEMM speed while running", "FLOP/s", profile.v3_profile_fp8_gemm_speed(),
            1e12, 1e16, "FP8 GEMM speed", help=PROFILED),
    _whole("attention_width", "Heads × (query-key + value head dims)", "dimensions", derived.attention_width(
           "deepseek-v3"), None, 10**7, "attention width", lo=0),
    _whole("seq_len", "Training sequence length", "tokens", V3("seq_len"), None, 10**7, "sequence length"),
    _amount("attention_speed", "Training: BF16 attention speed", "FLOP/s", profile.v3_profile_attention_speed(),
            1e12, 1e16, "attention speed", help=PROFILED),
    _amount("other_us_per_token", "Training: other compute per token and layer (casts, norms...)", "µs",
            profile.v3_profile_other_us_per_token_layer(), 0, 1e6, "other time per token", help=PROFILED),
    _whole("context_tokens", "Decoding: cached tokens per request", "tokens", 4989, DAY6, 10**7, "context"),
    _amount("kv_bytes_per_token", "Decoding: KV cache per token and layer", "bytes",
            derived.v3_kv_bytes_per_token_layer(), 0, 1e7, "KV bytes per token"),
    _whole("experts_per_gpu", "Decoding: experts held per GPU", "experts", 3, DAY6, 4096, "experts per GPU"),
    _amount("weight_bytes", "Decoding: bytes per weight", "bytes", 1, 0.125, 8, "weight bytes", DAY6),
    _amount("hbm_gb_s", "Decoding: HBM bandwidth achieved", "GB/s", 3000, 1, 1e6, "HBM GB/s", FLASHMLA),
    _amount("decode_speed", "Decoding: arithmetic speed", "FLOP/s", 580e12, 1e12, 1e16, "decode speed", FLASHMLA),
    _amount("absorbed_flops_per_position", "Decoding: attention FLOP per cached token and layer", "FLOP",
            derived.v3_absorbed_attention_flops_per_position(), 0, 1e12, "attention FLOP per cached token"),
)  # fmt: skip

OUTPUTS = (
    Output("comm_to_compute_ratio", "Communication ÷ computation per MoE layer (best estimate)", "ratio",
           help='DeepSeek calls the ratio "approximately 1:1" (V3 §3.2.1).'),
    Output("comm_to_compute_gemm_only", "Upper bound: computation counted as the GEMMs alone at DeepGEMM's "
           "benchmark speed", "ratio"),
    Output("profile_comm_to_compute", "In DeepSeek's training profile: communication-kernel time ÷ compute time "
           "(includes waiting)", "ratio"),
    Output("layer_comm_time_us", "Communication time per MoE layer and micro-batch", "µs"),
    Output("layer_compute_time_us", "Computation time per MoE layer and micro-batch", "µs"),
    Output("layer_gemm_time_us", "of which FP8 GEMMs (training)", "µs"),
    Output("layer_attention_time_us", "of which BF16 attention (training)", "µs"),
    Output("layer_other_time_us", "of which casts, norms and the rest (training)", "µs"),
    Output("layer_hbm_time_us", "Decoding: time to read weights and KV cache from HBM", "µs"),
    Output("layer_arithmetic_time_us", "Decoding: time to do the arithmetic", "µs"),
    Output("profile_layer_compute_time_us", "In the profile: compute time per MoE layer, forward and backward",
           "µs"),
    Output("ib_copies_per_token", "Copies of each token sent over InfiniBand, per MoE layer", "copies"),
    Output("ib_bytes_per_token", "InfiniBand bytes per token (whole model)", "bytes"),
    Output("nvlink_copies_per_token", "Copies forwarded over NVLink, per MoE layer", "copies"),
    Output("nvlink_bytes_per_token", "NVLink bytes per token (whole model)", "bytes"),
    Output("ib_time_per_token_us", "InfiniBand time per token, per GPU", "µs"),
    Output("nvlink_time_per_token_us", "NVLink time per token, per GPU", "µs"),
    Output("comm_time_per_token_us", "Communication time per token, per GPU", "µs"),
    Output("compute_time_per_token_us", "Computation time per token, per GPU (MoE layers)", "µs"),
    Output("overlap_speedup", "Speed-up from overlapping the two", "ratio",
           help="What a schedule like DualPipe gains over running them one after the other."),
    Output("sm_share_for_communication", "Share of the SMs given to communication", "fraction"),
    Output("nvlink_gb_s_achieved", "NVLink bandwidth achieved, one direction", "GB/s"),
    Output("experts_per_node_at_ib_cost", "Experts per node NVLink can feed per IB copy", "experts",
           help='V3 §3.2.2: "an average of 3.2 experts per node".'),
    Output("max_experts_at_same_cost", "Experts per token at the same communication cost", "experts",
           help='V3 §3.2.2: "a maximum of 13 experts (4 nodes × 3.2 experts/node)".'),
    Output("comm_to_compute_unlimited", "Ratio without node-limited routing (worst case)", "ratio"),
    Output("expected_nodes_random_routing", "Nodes per token if experts were chosen at random", "nodes"),
    Output("comm_to_compute_random", "Ratio without node-limited routing (random experts)", "ratio"),
    Output("compare_nvlink_gb_s_achieved", "Comparison GPU's NVLink achieved, one direction", "GB/s"),
    Output("compare_experts_per_node_at_ib_cost", "Experts per node with the comparison GPU's NVLink", "experts"),
    Output("compare_max_experts_at_same_cost", "Experts per token at the same cost, comparison NVLink", "experts"),
    Output("comm_to_compute_compare_nvlink", "Ratio with the comparison GPU's NVLink", "ratio"),
    Output("layer_bytes_per_microbatch", "IB bytes for one MoE layer's dispatch + combine, one micro-batch",
           "bytes"),
    Output("layer_ib_time_per_microbatch_us", "IB time for that dispatch + combine", "µs"),
)  # fmt: skip

PRESETS = (
    Preset("h800", "DeepSeek-V3 training on H800s (V3 §3.2, §4.2)", {"gpu": "h800", "compare_gpu": "h100"},
           src("deepseek-v3: §3.1, 2,048 NVIDIA H800 GPUs")),
    Preset("h100", "The same model and routing on H100s (900 GB/s NVLink)", {"gpu": "h100", "compare_gpu": "h800"},
           src("nvidia-h100: H100 SXM, NVLink 900 GB/s")),
    Preset("ib-effective", "InfiniBand at the 40 GB/s DeepSeek uses once latency is counted", {"ib_gb_s": 40},
           src('deepseek-v3-insights: §4.3 ("use 40GB/s for effective bandwidth")')),
    Preset("no-node-limit", "Node-limited routing switched off (8 experts may sit on 8 nodes)", {"max_nodes": 8},
           src('deepseek-v3-insights: §4.3 ("If its 8 target experts are distributed across all 8 nodes, the '
               'communication time over IB would be 8t")')),
    Preset("decode", "Decoding as deployed: EP144 on 18 nodes, 64 requests per micro-batch, 8 destinations per "
           "token over RDMA", DECODE, DAY6),
    Preset("insights-decode", "Insights' decoding example: 32 tokens, one expert per GPU, 9 destinations",
           {**DECODE, "max_nodes": 9, "ep_nodes": 9, "hidden_size": 7000, "micro_batch_tokens": 32,
            "experts_per_gpu": 1}, src("deepseek-v3-insights: §2.3.2 (\"(1Byte + 2Bytes) × 32 × 9 × 7K / "
                                      "50GB/s = 120.96 µs\")")),
)  # fmt: skip

CALCULATOR = Calculator(
    name="communication",
    title="Expert-parallel communication",
    summary="All-to-all bytes per MoE layer for DeepSeek-V3's expert parallelism, over InfiniBand and NVLink, against "
    "the compute they hide behind, timed at the kernel speeds DeepSeek measured (training) or by HBM traffic "
    "(decoding): what node-limited routing saves and what the H800's cut NVLink costs.",
    inputs=INPUTS,
    outputs=OUTPUTS,
    function=communication,
    headline="comm_to_compute_ratio",
    key_inputs=("mode", "ib_gb_s", "ep_nodes", "micro_batch_tokens", "gemm_speed"),
    key_outputs=("comm_to_compute_ratio", "comm_time_per_token_us", "compute_time_per_token_us"),
    presets=PRESETS,
    notes="Counts the expert-parallel all-to-all only: pipeline-parallel sends and the data-parallel gradient "
    "reduction also use InfiniBand but are small per token. The shared expert is computed locally. The FP8 "
    "dispatch's scale factors (one per 128 elements) and network latency are left out. Training compute is timed "
    "at the kernel speeds of DeepSeek's profile (which simulates balanced routing); decoding by HBM traffic or "
    "arithmetic, whichever is slower.",
)
