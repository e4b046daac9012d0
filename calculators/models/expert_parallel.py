"""Expert parallelism's all-to-all: the bytes each token sends over InfiniBand and NVLink per MoE layer, and the time.

DeepSeek-V3 (arXiv 2412.19437) §3.2.2: a token crosses InfiniBand once per target node, to the GPU with the same
position in that node, and is forwarded inside the node over NVLink to each expert it needs; IB and NVLink run at
the same time, so the communication takes the slower of the two. Per MoE layer and micro-batch of T tokens:
    IB bytes     = T × IB copies × hidden × (dispatch + combine bytes) [× 2 passes in training]
    NVLink bytes = T × NVLink copies × the same bytes per copy
where the IB copies are the target nodes (at most the node limit), or under the "remote" rule only the expected
share that leaves the token's own node, and the NVLink copies one per routed expert less the share that lands on
the GPU the IB copy reaches. Latency is left out. Used by the communication calculator.
"""

from __future__ import annotations

from ..core import Q, qmax, qmin
from . import hardware
from .step_time import US

GB = Q.const(1e9, "10^9 B/GB")
ONE_EACH = Q.const(1.0, "1 copy each")  # every copy counted (copies rule "all")


def nvlink_one_way(gpu: str, efficiency) -> Q:
    """NVLink bandwidth per GPU in one direction, as achieved: NVIDIA's two-way figure ÷ 2 × the share achieved."""
    return hardware.nvlink(gpu) / Q.const(2, "2 directions") * efficiency


def traffic(gpu, compare_gpu, training, tokens, hidden_size, routed_experts, max_nodes, ep_nodes, gpus_per_node,
            remote, dispatch_bytes, combine_bytes, ib_gb_s, nvlink_efficiency) -> dict[str, Q]:  # fmt: skip
    """Copies, bytes and times of one MoE layer's dispatch + combine for one micro-batch on one GPU."""
    node_share = (ep_nodes - 1) / ep_nodes if remote else ONE_EACH
    gpu_share = (gpus_per_node - 1) / gpus_per_node if remote else ONE_EACH
    per_copy = hidden_size * (dispatch_bytes + combine_bytes)  # bytes per token, destination and layer
    if training:  # the backward pass moves gradients the same way
        per_copy = per_copy * Q.const(2, "2 passes")
    per_copy = per_copy.named("bytes per copy and layer", "bytes")
    ib_bw = (ib_gb_s * GB).named("IB bandwidth", "bytes/s")
    nvl_raw, cmp_raw = nvlink_one_way(gpu, nvlink_efficiency), nvlink_one_way(compare_gpu, nvlink_efficiency)
    nvl_bw = nvl_raw.named("NVLink bandwidth achieved", "bytes/s")
    cmp_bw = cmp_raw.named("comparison NVLink bandwidth achieved", "bytes/s")
    nodes = qmin(max_nodes, ep_nodes).named("target nodes", "nodes")
    copies = (nodes * node_share).named("IB copies", "copies")
    nvl_copies = (routed_experts * gpu_share).named("NVLink copies", "copies")
    layer_bytes = (tokens * copies * per_copy).named("IB bytes per layer", "bytes")
    nvl_bytes = (tokens * nvl_copies * per_copy).named("NVLink bytes per layer", "bytes")
    ib_t = (layer_bytes / ib_bw * US).named("IB time", "µs")
    nvl_t = (nvl_bytes / nvl_bw * US).named("NVLink time", "µs")
    return {
        "node_share": node_share,
        "gpu_share": gpu_share,
        "per_copy": per_copy,
        "ib_bw": ib_bw,
        "nvl_raw": nvl_raw,
        "cmp_raw": cmp_raw,
        "nvl_bw": nvl_bw,
        "cmp_bw": cmp_bw,
        "nodes": nodes,
        "copies": copies,
        "nvl_copies": nvl_copies,
        "layer_bytes": layer_bytes,
        "nvl_bytes": nvl_bytes,
        "ib_time": ib_t,
        "nvl_time": nvl_t,
        "comm": qmax(ib_t, nvl_t).named("communication time", "µs"),
        "cmp_comm": qmax(ib_t, nvl_bytes / cmp_bw * US),
        "worst_nodes": qmin(routed_experts, ep_nodes).named("nodes without the limit", "nodes"),
        "random_nodes": ep_nodes * (1 - (1 - 1 / ep_nodes) ** routed_experts),
    }


def ib_time_with(t: dict, tokens, ib_copies) -> Q:
    """The layer's communication time with another number of IB copies (NVLink unchanged)."""
    return qmax(tokens * ib_copies * t["per_copy"] / t["ib_bw"] * US, t["nvl_time"])
