"""communication: DeepSeek-V3's expert-parallel all-to-all traffic per token, against the compute it has to hide behind.

Every MoE layer sends each token's hidden state to the GPUs that hold its routed experts (dispatch) and brings the
weighted expert outputs back (combine). DeepSeek-V3 (arXiv 2412.19437):
- §4.2: hidden size 7,168; 61 layers, all but the first three MoE (58); 8 routed experts per token, "each token will
  be ensured to be sent to at most 4 nodes" (node-limited routing, §2.1.2).
- §3.2: 64-way expert parallelism spanning 8 nodes; §3.2.1: for V3 "the communication overhead introduced by
  cross-node expert parallelism results in an inefficient computation-to-communication ratio of approximately 1:1",
  which DualPipe hides by overlapping the communication of one chunk with the computation of another.
- §3.2.2: "NVLink offers a bandwidth of 160 GB/s, roughly 3.2 times that of IB (50 GB/s)"; a token crosses IB once
  per target node and is forwarded inside the node over NVLink, so it "can efficiently select an average of 3.2
  experts per node without incurring additional overhead from NVLink" (up to 13 experts on 4 nodes); "we allocate
  20 out of the 132 SMs available in the H800 GPU" to communication (§3.5.1).
- §3.3.3: dispatch in FP8 (1 byte per element), combine in BF16 (2 bytes), forward and backward.
Insights into DeepSeek-V3 (ISCA 2025, arXiv 2505.09343): §4.1, H800 NVLink "reduced from 900 GB/s to 400 GB/s";
§4.3, "NVLink provides 200GB/s bandwidth (of which about 160GB/s can actually be achieved), while each 400Gbps IB
NIC delivers only 50GB/s bandwidth (... use 40GB/s for effective bandwidth)"; with target experts on M nodes "the
deduplicated IB communication cost will be reduced to Mt (M < 8)"; §2.3.2 prices one dispatch + combine as
(1 Byte + 2 Bytes) × 32 × 9 × 7K / 50 GB/s = 120.96 µs.

Per token and GPU, both sides are spread evenly over the cluster, so the ratio does not depend on how the layers and
tokens are laid out. A token's hidden state crosses IB once per target node (M; under the "remote" rule only the
expected share that leaves its own node) and NVLink once per routed expert (less the share that lands on the GPU the IB
copy reaches), in every MoE layer, twice in training (the backward pass moves gradients the same way). IB and NVLink
run at the same time (§3.2.2), so communication takes the slower of the two. Compute = 6 × activated parameters per
token (2 × in inference) ÷ (peak × kernel speed × the share of SMs left for computing).
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Q, Source, fmt_plain, qmax, qmin, src
from ..models import hardware
from ..models.derived import deepgemm_fp8_utilisation
from ..models.facts import fact


def V3(name: str):  # DeepSeek-V3's published fact NAME
    return fact(f"deepseek-v3.{name}")


US = Q.const(1e6, "10^6 µs/s")
GB = Q.const(1e9, "10^9 B/GB")
ONE_EACH = Q.const(1.0, "1 copy each")  # every copy counted (copies rule "all")

V3_ARCH = src(
    'deepseek-v3: §4.2 (hidden dimension 7168; 61 layers, "all FFNs except for the first three layers" '
    'are MoE, so 58; "8 experts will be activated for each token, and each token will be ensured to be '
    'sent to at most 4 nodes")'
)
V3_NODES = src(
    'deepseek-v3: §3.2 ("64-way Expert Parallelism (EP) ... spanning 8 nodes") and §3.1 (8 GPUs per node, '
    "NVLink inside a node, InfiniBand across nodes)"
)
V3_LIMIT = src(
    'deepseek-v3: §2.1.2 Node-Limited Routing ("each token will be sent to at most M nodes") and §4.2 (M = 4)'
)
V3_FP8_COMM = src(
    'deepseek-v3: §3.3.3 Low-Precision Communication (activations "quantize[d] ... into FP8" before '
    'dispatch; "For both the forward and backward combine components, we retain them in BF16")'
)
V3_SMS = src(
    'deepseek-v3: §3.2.2 ("only 20 SMs are sufficient to fully utilize the bandwidths of IB and NVLink") '
    'and §3.5.1 ("20 out of the 132 SMs available in the H800 GPU")'
)
V3_CLUSTER = src("deepseek-v3: §3.1, a cluster of 2,048 NVIDIA H800 GPUs")
IB = Source(
    "deepseek-v3",
    '§3.2.2 ("NVLink offers a bandwidth of 160 GB/s, roughly 3.2 times that of IB (50 GB/s)"); '
    "one 400 Gb/s InfiniBand NIC per GPU (Insights §4.1, §5.1)",
    note='Range 40-50 GB/s: Insights §4.3 uses "40GB/s for effective bandwidth" once small messages and '
    "latency are counted.",
)
NVL_EFF = src(
    'deepseek-v3-insights: §4.3 ("NVLink provides 200GB/s bandwidth (of which about 160GB/s can actually '
    "be achieved)\"; 200 GB/s is one direction of the H800's 400 GB/s total)"
)
COPIES = src(
    'deepseek-v3-insights: §4.3 (tokens for one node "can be sent once over IB and then forwarded via '
    'NVLink"; the cost over M nodes is Mt, counting every target node)'
)
MODE = src(
    "kaplan2020: §2.1 (forward 2N FLOPs per token, forward + backward 6N); the backward pass repeats the "
    "dispatch and combine (deepseek-v3 §3.3.3)"
)
PRECISION = src(
    'deepseek-v3: §3.3.1 (the GEMMs of every Linear layer run in FP8, which "theoretically doubles the '
    'computational speed compared with the original BF16 method")'
)
MICRO = Source(
    "deepseek-v3",
    "§4.2 (4K-token training sequences)",
    note="Tokens per GPU per micro-batch are not published; one 4K sequence is this site's assumption. "
    "Insights §2.3.2 uses about 32 tokens per GPU for decoding.",
)


def communication(gpu, compare_gpu, mode, precision, compute_utilisation, active_params, hidden_size, moe_layers,
                  routed_experts, max_nodes, ep_nodes, gpus_per_node, copies_rule, dispatch_bytes, combine_bytes,
                  ib_gb_s, nvlink_efficiency, comm_sms, total_sms, micro_batch_tokens):  # fmt: skip
    if comm_sms >= total_sms:
        raise InputError(
            "comm_sms",
            f"must be fewer than the GPU's {fmt_plain(total_sms.value)} SMs, or nothing is left to compute "
            f"(got {fmt_plain(comm_sms.value)})",
        )
    peak = hardware.peak(gpu, precision)  # InputError naming --precision for a GPU without FP8
    training = mode == "training"
    remote = copies_rule == "remote"
    # The share of copies counted: those leaving the token's node over IB, those not on the landing GPU over NVLink.
    node_share = (ep_nodes - 1) / ep_nodes if remote else ONE_EACH
    gpu_share = (gpus_per_node - 1) / gpus_per_node if remote else ONE_EACH
    elem_bytes = dispatch_bytes + combine_bytes
    per_copy = moe_layers * hidden_size * elem_bytes  # bytes per token per destination, whole model
    if training:  # the backward pass moves gradients the same way
        per_copy = per_copy * Q.const(2, "2 passes")
    bytes_per_copy = per_copy.named("bytes per copy", "bytes")
    ib_bw = (ib_gb_s * GB).named("IB bandwidth", "bytes/s")

    def one_way(name):  # NVLink, one direction, as achieved
        return hardware.nvlink(name) / Q.const(2, "2 directions") * nvlink_efficiency

    nvl_raw, cmp_raw = one_way(gpu), one_way(compare_gpu)
    nvl_bw = nvl_raw.named("NVLink bandwidth achieved", "bytes/s")
    cmp_bw = cmp_raw.named("comparison NVLink bandwidth achieved", "bytes/s")

    nodes = qmin(max_nodes, ep_nodes).named("target nodes", "nodes")
    copies = (nodes * node_share).named("IB copies", "copies")
    nvl_copies = (routed_experts * gpu_share).named("NVLink copies", "copies")
    ib_bytes = (per_copy * copies).named("IB bytes per token", "bytes")
    nvl_bytes = (per_copy * nvl_copies).named("NVLink bytes per token", "bytes")
    ib_t = (ib_bytes / ib_bw).named("IB time", "s")
    nvl_t = (nvl_bytes / nvl_bw).named("NVLink time", "s")
    comm = qmax(ib_t, nvl_t).named("communication time", "s")  # IB and NVLink run at the same time (V3 §3.2.2)
    flops = Q.const(6) * active_params if training else Q.const(2) * active_params
    compute_raw = flops / (peak * compute_utilisation * ((total_sms - comm_sms) / total_sms))
    compute = compute_raw.named("computation time", "s")
    ratio = (comm / compute).named("communication ÷ computation", "ratio")

    def ratio_with(ib_copies, what):  # the same compute against the communication with other IB copies
        ib_copies = ib_copies.named(f"IB copies {what}", "copies")
        return qmax(bytes_per_copy * ib_copies / ib_bw, nvl_t) / compute

    # Without node-limited routing: every routed expert on its own node (worst case), or spread at random.
    worst_nodes = qmin(routed_experts, ep_nodes).named("nodes without the limit", "nodes")
    random_nodes = ep_nodes * (1 - (1 - 1 / ep_nodes) ** routed_experts)
    per_node = (nvl_bw / ib_bw).named("experts per node at IB cost", "experts")
    per_node_cmp = (cmp_bw / ib_bw).named("experts per node, comparison NVLink", "experts")
    layer_bytes = (micro_batch_tokens * copies * hidden_size * elem_bytes).named("IB bytes per layer", "bytes")
    return {
        "comm_to_compute_ratio": ratio,
        "ib_copies_per_token": nodes * node_share,
        "ib_bytes_per_token": per_copy * copies,
        "nvlink_copies_per_token": routed_experts * gpu_share,
        "nvlink_bytes_per_token": per_copy * nvl_copies,
        "ib_time_per_token_us": ib_bytes / ib_bw * US,
        "nvlink_time_per_token_us": nvl_bytes / nvl_bw * US,
        "comm_time_per_token_us": comm * US,
        "compute_time_per_token_us": compute_raw * US,
        "overlap_speedup": (comm + compute) / qmax(comm, compute),
        "breakeven_utilisation": compute_utilisation * ratio,
        "sm_share_for_communication": comm_sms / total_sms,
        "nvlink_gb_s_achieved": nvl_raw / GB,
        "experts_per_node_at_ib_cost": per_node,
        "max_experts_at_same_cost": nodes * per_node,
        "comm_to_compute_unlimited": ratio_with(worst_nodes * node_share, "without the limit"),
        "expected_nodes_random_routing": random_nodes,
        "comm_to_compute_random": ratio_with(
            random_nodes.named("expected nodes", "nodes") * node_share, "with random experts"
        ),
        "compare_nvlink_gb_s_achieved": cmp_raw / GB,
        "compare_experts_per_node_at_ib_cost": per_node_cmp,
        "compare_max_experts_at_same_cost": nodes * per_node_cmp,
        "comm_to_compute_compare_nvlink": qmax(ib_t, nvl_bytes / cmp_bw) / compute,
        "layer_bytes_per_microbatch": layer_bytes,
        "layer_ib_time_per_microbatch_us": layer_bytes / ib_bw * US,
    }


def _whole(name, label, unit, default, source, hi, symbol="", lo=1, **kw) -> Input:  # a whole-number input
    return Input(name, label, unit, default, source, type="int", min=lo, max=hi, symbol=symbol, **kw)


GPUS = hardware.gpu_choices()
MODES = (
    ("training", "Training: 6N FLOPs, dispatch and combine forward and backward"),
    ("inference", "Inference: 2N FLOPs, forward only"),
)
NVL_CUT = src('deepseek-v3-insights: §4.1 (H800 NVLink "reduced from 900 GB/s to 400 GB/s" against the H100)')
GPU_HELP = "Dense peaks and NVLink bandwidth from data/gpus.json (H800: 400 GB/s NVLink; H100: 900 GB/s)."

CALCULATOR = Calculator(
    name="communication",
    title="Expert-parallel communication",
    summary="All-to-all bytes per token for DeepSeek-V3's expert parallelism, over InfiniBand and NVLink, against "
    'the compute they hide behind: the "approximately 1:1" ratio, what node-limited routing saves and what '
    "the H800's cut NVLink costs.",
    inputs=(
        Input("gpu", "GPU", "", "h800", V3_CLUSTER, type="choice", choices=GPUS, help=GPU_HELP),
        Input("compare_gpu", "GPU to compare NVLink with", "", "h100", NVL_CUT, type="choice", choices=GPUS),
        Input("mode", "Training or inference", "", "training", MODE, type="choice", choices=MODES),
        Input(
            "precision",
            "Peak the compute runs against",
            "",
            "fp8",
            PRECISION,
            type="choice",
            choices=hardware.PRECISIONS,
        ),
        Input(
            "compute_utilisation",
            "Speed of the compute kernels, share of that peak",
            "fraction",
            deepgemm_fp8_utilisation(),
            min=0.001,
            max=1,
            step=0.01,
            symbol="kernel speed",
            help="How fast the matrix multiplies run while they run. Not the run's average MFU, which already "
            "includes time spent waiting.",
        ),
        Input(
            "active_params",
            "Activated parameters per token",
            "parameters",
            V3("active_params"),
            min=1e6,
            max=1e15,
            symbol="N",
        ),
        _whole(
            "hidden_size",
            "Hidden size (elements per token sent)",
            "elements",
            V3("hidden_size"),
            V3_ARCH,
            1_000_000,
            "hidden size",
        ),
        _whole("moe_layers", "MoE layers", "layers", V3("moe_layers"), V3_ARCH, 10_000),
        _whole("routed_experts", "Routed experts per token", "experts", 8, V3_ARCH, 4096, "routed experts"),
        _whole(
            "max_nodes",
            "Nodes each token is sent to (at most)",
            "nodes",
            4,
            V3_LIMIT,
            100_000,
            "node limit",
            help="Node-limited routing caps it at 4. Set it to the expert count to switch the limit off. For "
            "decoding with one expert per GPU, every expert is its own destination (Insights §2.3.2: 9).",
        ),
        _whole("ep_nodes", "Nodes in the expert-parallel group", "nodes", 8, V3_NODES, 100_000, "EP nodes"),
        _whole("gpus_per_node", "GPUs per node", "GPUs", 8, V3_NODES, 1024),
        Input(
            "copies_rule",
            "Copies counted over InfiniBand",
            "",
            "remote",
            COPIES,
            type="choice",
            choices=(
                ("remote", "Only copies that leave the token's own node (expected share)"),
                ("all", "One per target node, as DeepSeek's Mt counts them"),
            ),
        ),
        Input(
            "dispatch_bytes",
            "Bytes per element, dispatch",
            "bytes",
            1,
            V3_FP8_COMM,
            min=0,
            max=16,
            symbol="dispatch bytes",
            help="FP8 = 1 (DeepSeek also sends a small scale per 128 elements, not counted); BF16 = 2.",
        ),
        Input(
            "combine_bytes",
            "Bytes per element, combine",
            "bytes",
            2,
            V3_FP8_COMM,
            min=0,
            max=16,
            symbol="combine bytes",
        ),
        Input(
            "ib_gb_s",
            "InfiniBand bandwidth per GPU (one direction)",
            "GB/s",
            50,
            IB,
            min=0.001,
            max=100_000,
            range=(40, 50),
            step=5,
            symbol="IB GB/s",
        ),
        Input(
            "nvlink_efficiency",
            "Share of NVLink's one-way bandwidth achieved",
            "fraction",
            0.8,
            NVL_EFF,
            min=0.01,
            max=1,
            step=0.05,
            symbol="NVLink efficiency",
        ),  # fmt: skip
        _whole("comm_sms", "SMs reserved for communication", "SMs", 20, V3_SMS, 10_000, "communication SMs", lo=0),
        _whole("total_sms", "SMs per GPU", "SMs", 132, V3_SMS, 10_000),
        _whole(
            "micro_batch_tokens",
            "Tokens per GPU per micro-batch",
            "tokens",
            V3("seq_len").value,
            MICRO,
            1_000_000_000,
            "micro-batch tokens",
        ),
    ),
    outputs=(
        Output(
            "comm_to_compute_ratio",
            "Communication time ÷ computation time",
            "ratio",
            help='DeepSeek calls cross-node expert parallelism\'s ratio "approximately 1:1" (V3 §3.2.1).',
        ),
        Output("ib_copies_per_token", "Copies of each token sent over InfiniBand, per MoE layer", "copies"),
        Output("ib_bytes_per_token", "InfiniBand bytes per token (whole model)", "bytes"),
        Output("nvlink_copies_per_token", "Copies forwarded over NVLink, per MoE layer", "copies"),
        Output("nvlink_bytes_per_token", "NVLink bytes per token (whole model)", "bytes"),
        Output("ib_time_per_token_us", "InfiniBand time per token, per GPU", "µs"),
        Output("nvlink_time_per_token_us", "NVLink time per token, per GPU", "µs"),
        Output("comm_time_per_token_us", "Communication time per token, per GPU", "µs"),
        Output("compute_time_per_token_us", "Computation time per token, per GPU", "µs"),
        Output(
            "overlap_speedup",
            "Speed-up from overlapping the two",
            "ratio",
            help="What a schedule like DualPipe gains over running them one after the other.",
        ),
        Output("breakeven_utilisation", "Kernel speed at which compute just covers communication", "fraction"),
        Output("sm_share_for_communication", "Share of the SMs given to communication", "fraction"),
        Output("nvlink_gb_s_achieved", "NVLink bandwidth achieved, one direction", "GB/s"),
        Output(
            "experts_per_node_at_ib_cost",
            "Experts per node NVLink can feed per IB copy",
            "experts",
            help='V3 §3.2.2: "an average of 3.2 experts per node".',
        ),
        Output(
            "max_experts_at_same_cost",
            "Experts per token at the same communication cost",
            "experts",
            help='V3 §3.2.2: "a maximum of 13 experts (4 nodes × 3.2 experts/node)".',
        ),
        Output("comm_to_compute_unlimited", "Ratio without node-limited routing (worst case)", "ratio"),
        Output("expected_nodes_random_routing", "Nodes per token if experts were chosen at random", "nodes"),
        Output("comm_to_compute_random", "Ratio without node-limited routing (random experts)", "ratio"),
        Output("compare_nvlink_gb_s_achieved", "Comparison GPU's NVLink achieved, one direction", "GB/s"),
        Output("compare_experts_per_node_at_ib_cost", "Experts per node with the comparison GPU's NVLink", "experts"),
        Output("compare_max_experts_at_same_cost", "Experts per token at the same cost, comparison NVLink", "experts"),
        Output("comm_to_compute_compare_nvlink", "Ratio with the comparison GPU's NVLink", "ratio"),
        Output(
            "layer_bytes_per_microbatch", "IB bytes for one MoE layer's dispatch + combine, one micro-batch", "bytes"
        ),
        Output("layer_ib_time_per_microbatch_us", "IB time for that dispatch + combine", "µs"),
    ),
    function=communication,
    headline="comm_to_compute_ratio",
    presets=(
        Preset(
            "h800", "DeepSeek-V3 training on H800s (V3 §3.2, §4.2)", {"gpu": "h800", "compare_gpu": "h100"}, V3_CLUSTER
        ),
        Preset(
            "h100",
            "The same model and routing on H100s (900 GB/s NVLink)",
            {"gpu": "h100", "compare_gpu": "h800"},
            src("nvidia-h100: H100 SXM, NVLink 900 GB/s"),
        ),
        Preset(
            "run-average",
            "At the run's average speed: 38.94% of the BF16 peak, SMs already counted",
            {"precision": "bf16", "compute_utilisation": V3("causal_mfu_bf16").value, "comm_sms": 0},
            src("deepseek-v3-insights: Table 4 (385 TFLOPS = 38.94% causal MFU against the BF16 peak)"),
        ),
        Preset(
            "no-node-limit",
            "Node-limited routing switched off (8 experts may sit on 8 nodes)",
            {"max_nodes": 8},
            src(
                'deepseek-v3-insights: §4.3 ("If its 8 target experts are distributed across all 8 nodes, the '
                'communication time over IB would be 8t")'
            ),
        ),
    ),
    notes="Counts the expert-parallel all-to-all only: pipeline-parallel sends and the data-parallel gradient "
    "reduction also use InfiniBand but are small per token. The shared expert is computed locally. The FP8 "
    "dispatch's scale factors (one per 128 elements) are left out. Compute counts 6N per token, not "
    "attention.",
)
