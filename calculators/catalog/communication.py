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
tokens are laid out:
- IB bytes = MoE layers × IB copies × hidden × (dispatch + combine bytes) × passes (2 in training: the backward pass
  moves gradients the same way). IB copies = the target nodes (M), times (EP nodes − 1) ÷ EP nodes if the token's own
  node is not counted (it gets its copy over NVLink).
- NVLink bytes: the same, with one copy per routed expert, less the share that lands on the GPU the IB copy arrives
  at. IB and NVLink run at the same time (§3.2.2), so the communication time is the slower of the two.
- Compute = 6 × activated parameters per token (2 × in inference) ÷ (peak × utilisation × the share of SMs left for
  computing).
"""

from __future__ import annotations

from ..core import Calculator, Input, InputError, Output, Preset, Source, Value, n, src
from ..models import hardware

US = 1e6  # seconds -> microseconds
GB = 1e9

V3_ARCH = src(
    'deepseek-v3: §4.2 (hidden dimension 7168; 61 layers, "all FFNs except for the first three layers" '
    'are MoE, so 58; "8 experts will be activated for each token, and each token will be ensured to be '
    'sent to at most 4 nodes")'
)
V3_NODES = src(
    'deepseek-v3: §3.2 ("64-way Expert Parallelism (EP) spanning 8 nodes") and §3.1 (8 GPUs per node, '
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
V3_PARAMS = src('deepseek-v3: abstract ("37B activated for each token")')
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


def _deepgemm_utilisation() -> float:
    return round(1350e12 / hardware.peak_flops("h800", "fp8"), 4)  # 0.6822


UTIL = Source(
    "deepseek-open-infra-index",
    'README, Day 3 DeepGEMM: "Up to 1350+ FP8 TFLOPS on Hopper GPUs"; as a '
    "share of the 1,978.9 TFLOPS dense FP8 peak (derived here)",
    note="The speed of DeepSeek's own FP8 matrix-multiply kernels while they run, not the run's average: "
    "averaged over pre-training (bubbles, attention, memory-bound work), V3 reached 38.94% of the BF16 "
    "peak (Insights Table 4), about a fifth of the FP8 peak.",
)
UTIL_DEFAULT = _deepgemm_utilisation()


def _us(seconds: float) -> str:
    return f"{n(round(seconds * US, 3))} µs"


def _nodes(max_nodes: int, ep_nodes: int) -> int:
    return min(max_nodes, ep_nodes)


def communication(
    gpu,
    compare_gpu,
    mode,
    precision,
    compute_utilisation,
    active_params,
    hidden_size,
    moe_layers,
    routed_experts,
    max_nodes,
    ep_nodes,
    gpus_per_node,
    copies_rule,
    dispatch_bytes,
    combine_bytes,
    ib_gb_s,
    nvlink_efficiency,
    comm_sms,
    total_sms,
    micro_batch_tokens,
):
    if comm_sms >= total_sms:
        raise InputError(
            "comm_sms",
            f"must be fewer than the GPU's {n(total_sms)} SMs, or nothing is left to compute (got {n(comm_sms)})",
        )
    peak = hardware.peak_flops(gpu, precision)  # InputError naming --precision for a GPU without FP8
    label = hardware.spec(gpu)["label"]
    passes = 2 if mode == "training" else 1
    flop_factor = 6 if mode == "training" else 2
    elem_bytes = dispatch_bytes + combine_bytes
    remote = (ep_nodes - 1) / ep_nodes if copies_rule == "remote" else 1.0
    gpu_remote = (gpus_per_node - 1) / gpus_per_node if copies_rule == "remote" else 1.0
    ib_bw = ib_gb_s * GB

    def nvlink_bw(name):  # one direction, as achieved
        return hardware.nvlink_bytes_per_second(name) / 2 * nvlink_efficiency

    nvl_bw, cmp_bw = nvlink_bw(gpu), nvlink_bw(compare_gpu)
    per_copy = moe_layers * hidden_size * elem_bytes * passes  # bytes per token per destination, whole model

    def ib_copies(nodes):
        return nodes * remote

    nodes = _nodes(max_nodes, ep_nodes)
    copies = ib_copies(nodes)
    nvl_copies = routed_experts * gpu_remote
    ib_bytes = per_copy * copies
    nvl_bytes = per_copy * nvl_copies

    def comm_time(ib_c, bw_nvl):
        return max(per_copy * ib_c / ib_bw, per_copy * nvl_copies / bw_nvl)

    ib_t = ib_bytes / ib_bw
    nvl_t = nvl_bytes / nvl_bw
    comm = max(ib_t, nvl_t)
    flops = flop_factor * active_params
    compute_share = (total_sms - comm_sms) / total_sms
    rate = peak * compute_utilisation * compute_share
    compute = flops / rate
    ratio = comm / compute

    # Without node-limited routing: every routed expert on its own node (worst case), or spread at random.
    worst_nodes = min(routed_experts, ep_nodes)
    random_nodes = ep_nodes * (1 - (1 - 1 / ep_nodes) ** routed_experts)
    worst = comm_time(ib_copies(worst_nodes), nvl_bw) / compute
    rand = comm_time(ib_copies(random_nodes), nvl_bw) / compute
    with_cmp = comm_time(copies, cmp_bw) / compute

    per_node = nvl_bw / ib_bw
    per_node_cmp = cmp_bw / ib_bw
    layer_bytes = micro_batch_tokens * copies * hidden_size * elem_bytes
    layer_t = layer_bytes / ib_bw
    cmp_label = hardware.spec(compare_gpu)["label"]
    prec = precision.upper()
    rule = f"× ({n(ep_nodes)} − 1) ÷ {n(ep_nodes)} remote" if copies_rule == "remote" else "(all counted)"
    pc = f"{n(moe_layers)} layers × {n(hidden_size)} × ({n(dispatch_bytes)} + {n(combine_bytes)}) B" + (
        " × 2 passes" if passes == 2 else ""
    )
    return {
        "comm_to_compute_ratio": Value(ratio, f"{_us(comm)} ÷ {_us(compute)}"),
        "ib_copies_per_token": Value(copies, f"{n(nodes)} nodes {rule}"),
        "ib_bytes_per_token": Value(ib_bytes, f"{pc} × {n(round(copies, 4))} copies"),
        "nvlink_copies_per_token": Value(
            nvl_copies,
            f"{n(routed_experts)} experts"
            + (
                f" × ({n(gpus_per_node)} − 1) ÷ {n(gpus_per_node)} not on the landing GPU"
                if copies_rule == "remote"
                else ""
            ),
        ),
        "nvlink_bytes_per_token": Value(nvl_bytes, f"{pc} × {n(round(nvl_copies, 4))} copies"),
        "ib_time_per_token_us": Value(ib_t * US, f"{n(round(ib_bytes))} B ÷ {n(ib_gb_s)} GB/s"),
        "nvlink_time_per_token_us": Value(nvl_t * US, f"{n(round(nvl_bytes))} B ÷ {n(round(nvl_bw / GB, 3))} GB/s"),
        "comm_time_per_token_us": Value(
            comm * US, f"the slower of IB ({_us(ib_t)}) and NVLink ({_us(nvl_t)}), which run at the same time"
        ),
        "compute_time_per_token_us": Value(
            compute * US,
            f"{flop_factor} × {n(active_params)} FLOP ÷ "
            f"({n(peak / 1e12)} TFLOPS {prec} × {n(compute_utilisation)} × "
            f"{n(total_sms - comm_sms)}/{n(total_sms)} SMs)",
        ),
        "overlap_speedup": Value(
            (comm + compute) / max(comm, compute), f"({_us(compute)} + {_us(comm)}) ÷ {_us(max(comm, compute))}"
        ),
        "breakeven_utilisation": Value(
            compute_utilisation * ratio,
            f"{n(compute_utilisation)} × {n(round(ratio, 4))}: compute this fast and it "
            "takes as long as the communication",
        ),
        "sm_share_for_communication": Value(comm_sms / total_sms, f"{n(comm_sms)} ÷ {n(total_sms)} SMs"),
        "nvlink_gb_s_achieved": Value(
            nvl_bw / GB,
            f"{label}: {n(hardware.spec(gpu)['nvlink_gb_s'])} GB/s total ÷ 2 directions × {n(nvlink_efficiency)}",
        ),
        "experts_per_node_at_ib_cost": Value(per_node, f"{n(round(nvl_bw / GB, 3))} ÷ {n(ib_gb_s)} GB/s"),
        "max_experts_at_same_cost": Value(nodes * per_node, f"{n(nodes)} nodes × {n(round(per_node, 4))}"),
        "comm_to_compute_unlimited": Value(
            worst, f"each of {n(routed_experts)} experts on its own node: {n(worst_nodes)} nodes"
        ),
        "expected_nodes_random_routing": Value(
            random_nodes, f"{n(ep_nodes)} × (1 − (1 − 1/{n(ep_nodes)})^{n(routed_experts)})"
        ),
        "comm_to_compute_random": Value(rand, f"{n(round(random_nodes, 3))} nodes on average"),
        "compare_nvlink_gb_s_achieved": Value(
            cmp_bw / GB,
            f"{cmp_label}: {n(hardware.spec(compare_gpu)['nvlink_gb_s'])} GB/s total ÷ 2 × {n(nvlink_efficiency)}",
        ),
        "compare_experts_per_node_at_ib_cost": Value(per_node_cmp, f"{n(round(cmp_bw / GB, 3))} ÷ {n(ib_gb_s)} GB/s"),
        "compare_max_experts_at_same_cost": Value(nodes * per_node_cmp, f"{n(nodes)} × {n(round(per_node_cmp, 4))}"),
        "comm_to_compute_compare_nvlink": Value(with_cmp, f"the same routing with the {cmp_label}'s NVLink"),
        "layer_bytes_per_microbatch": Value(
            layer_bytes,
            f"{n(micro_batch_tokens)} tokens × {n(round(copies, 4))} "
            f"copies × {n(hidden_size)} × ({n(dispatch_bytes)} + "
            f"{n(combine_bytes)}) B",
        ),
        "layer_ib_time_per_microbatch_us": Value(layer_t * US, f"{n(round(layer_bytes))} B ÷ {n(ib_gb_s)} GB/s"),
    }


def _gpu_help() -> str:
    return "Dense peaks and NVLink bandwidth from data/gpus.json (H800: 400 GB/s NVLink; H100: 900 GB/s)."


CALCULATOR = Calculator(
    name="communication",
    title="Expert-parallel communication",
    summary="All-to-all bytes per token for DeepSeek-V3's expert parallelism, over InfiniBand and NVLink, against "
    'the compute they hide behind: the "approximately 1:1" ratio, what node-limited routing saves and what '
    "the H800's cut NVLink costs.",
    inputs=(
        Input("gpu", "GPU", "", "h800", V3_CLUSTER, type="choice", choices=hardware.gpu_choices(), help=_gpu_help()),
        Input(
            "compare_gpu",
            "GPU to compare NVLink with",
            "",
            "h100",
            src('deepseek-v3-insights: §4.1 (H800 NVLink "reduced from 900 GB/s to 400 GB/s" against the H100)'),
            type="choice",
            choices=hardware.gpu_choices(),
        ),
        Input(
            "mode",
            "Training or inference",
            "",
            "training",
            MODE,
            type="choice",
            choices=(
                ("training", "Training: 6N FLOPs, dispatch and combine forward and backward"),
                ("inference", "Inference: 2N FLOPs, forward only"),
            ),
        ),
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
            UTIL_DEFAULT,
            UTIL,
            min=0.001,
            max=1,
            step=0.01,
            help="How fast the matrix multiplies run while they run. Not the run's average MFU, which already "
            "includes time spent waiting.",
        ),
        Input("active_params", "Activated parameters per token", "parameters", 37e9, V3_PARAMS, min=1e6, max=1e15),
        Input(
            "hidden_size",
            "Hidden size (elements per token sent)",
            "elements",
            7168,
            V3_ARCH,
            type="int",
            min=1,
            max=1_000_000,
        ),
        Input("moe_layers", "MoE layers", "layers", 58, V3_ARCH, type="int", min=1, max=10_000),
        Input("routed_experts", "Routed experts per token", "experts", 8, V3_ARCH, type="int", min=1, max=4096),
        Input(
            "max_nodes",
            "Nodes each token is sent to (at most)",
            "nodes",
            4,
            V3_LIMIT,
            type="int",
            min=1,
            max=100_000,
            help="Node-limited routing caps it at 4. Set it to the expert count to switch the limit off. For "
            "decoding with one expert per GPU, every expert is its own destination (Insights §2.3.2: 9).",
        ),
        Input("ep_nodes", "Nodes in the expert-parallel group", "nodes", 8, V3_NODES, type="int", min=1, max=100_000),
        Input("gpus_per_node", "GPUs per node", "GPUs", 8, V3_NODES, type="int", min=1, max=1024),
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
            help="FP8 = 1 (DeepSeek also sends a small scale per 128 elements, not counted); BF16 = 2.",
        ),
        Input("combine_bytes", "Bytes per element, combine", "bytes", 2, V3_FP8_COMM, min=0, max=16),
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
        ),
        Input("comm_sms", "SMs reserved for communication", "SMs", 20, V3_SMS, type="int", min=0, max=10_000),
        Input("total_sms", "SMs per GPU", "SMs", 132, V3_SMS, type="int", min=1, max=10_000),
        Input(
            "micro_batch_tokens",
            "Tokens per GPU per micro-batch",
            "tokens",
            4096,
            MICRO,
            type="int",
            min=1,
            max=1_000_000_000,
        ),
    ),
    outputs=(
        Output(
            "comm_to_compute_ratio",
            "Communication time ÷ computation time",
            "ratio",
            help='DeepSeek calls cross-node expert parallelism\'s ratio "approximately 1:1" (V3 §3.2.1).',
        ),
        Output(
            "ib_copies_per_token",
            "Copies of each token sent over InfiniBand, per MoE layer",
            "copies",
        ),
        Output(
            "ib_bytes_per_token",
            "InfiniBand bytes per token (whole model)",
            "bytes",
        ),
        Output(
            "nvlink_copies_per_token",
            "Copies forwarded over NVLink, per MoE layer",
            "copies",
        ),
        Output("nvlink_bytes_per_token", "NVLink bytes per token (whole model)", "bytes"),
        Output("ib_time_per_token_us", "InfiniBand time per token, per GPU", "µs"),
        Output(
            "nvlink_time_per_token_us",
            "NVLink time per token, per GPU",
            "µs",
        ),
        Output("comm_time_per_token_us", "Communication time per token, per GPU", "µs"),
        Output(
            "compute_time_per_token_us",
            "Computation time per token, per GPU",
            "µs",
        ),
        Output(
            "overlap_speedup",
            "Speed-up from overlapping the two",
            "ratio",
            help="What a schedule like DualPipe gains over running them one after the other.",
        ),
        Output(
            "breakeven_utilisation",
            "Kernel speed at which compute just covers communication",
            "fraction",
        ),
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
        Output(
            "comm_to_compute_unlimited",
            "Ratio without node-limited routing (worst case)",
            "ratio",
        ),
        Output(
            "expected_nodes_random_routing",
            "Nodes per token if experts were chosen at random",
            "nodes",
        ),
        Output("comm_to_compute_random", "Ratio without node-limited routing (random experts)", "ratio"),
        Output("compare_nvlink_gb_s_achieved", "Comparison GPU's NVLink achieved, one direction", "GB/s"),
        Output("compare_experts_per_node_at_ib_cost", "Experts per node with the comparison GPU's NVLink", "experts"),
        Output("compare_max_experts_at_same_cost", "Experts per token at the same cost, comparison NVLink", "experts"),
        Output("comm_to_compute_compare_nvlink", "Ratio with the comparison GPU's NVLink", "ratio"),
        Output(
            "layer_bytes_per_microbatch",
            "IB bytes for one MoE layer's dispatch + combine, one micro-batch",
            "bytes",
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
            {"precision": "bf16", "compute_utilisation": 0.3894, "comm_sms": 0},
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
