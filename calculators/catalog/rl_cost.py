"""rl-cost: DeepSeek-R1's reinforcement-learning bill, the "$294K".

DeepSeek-R1 (Nature 2025), Supplementary Information §2.4.4 (arXiv 2501.12948 v2, Appendix B.4.4, Table 7):
R1-Zero 101K H800 GPU-hours ($202K), SFT data creation 5K ($10K), R1 41K ($82K): 147K GPU-hours, $294K at
$2 per GPU-hour. The text gives the alternative basis: 64×8 = 512 H800s for about 198 h (R1-Zero) and about 80 h
(R1), which reproduces the rounded table entries.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, Output, Preset, src
from ..models.facts import fact

TABLE = src("deepseek-r1-si: §2.4.4, training-cost table (arXiv 2501.12948 v2, Appendix B.4.4, Table 7)")
TEXT = src(
    'deepseek-r1-arxiv: v2 Appendix B.4.4 text, the Supplementary Information §2.4.4 of the Nature version: "64*8 '
    'H800 GPUs ... approximately 198 hours"; R1 "roughly 80 hours"'
)


def rl_cost(
    basis, r1_zero_gpu_hours, sft_data_gpu_hours, r1_gpu_hours, gpus, r1_zero_hours, r1_hours, price_per_gpu_hour
):
    if basis == "cluster":
        zero = (gpus * r1_zero_hours).named("R1-Zero GPU-hours", "GPU-hours")
        r1 = (gpus * r1_hours).named("R1 GPU-hours", "GPU-hours")
    else:
        zero = r1_zero_gpu_hours.explain("as reported")
        r1 = r1_gpu_hours.explain("as reported")
    sft = sft_data_gpu_hours.explain("as reported")
    total = (zero + sft + r1).named("total GPU-hours", "GPU-hours")
    p = price_per_gpu_hour
    return {
        "r1_zero_gpu_hours": zero,
        "sft_data_gpu_hours": sft,
        "r1_gpu_hours": r1,
        "gpu_hours": total,
        "r1_zero_cost_usd": zero * p,
        "sft_data_cost_usd": sft * p,
        "r1_cost_usd": r1 * p,
        "cost_usd": total * p,
        "r1_zero_wall_clock_hours": zero / gpus,
        "r1_wall_clock_hours": r1 / gpus,
    }


CALCULATOR = Calculator(
    name="rl-cost",
    title="DeepSeek-R1's RL cost",
    summary="R1's headline RL cost: the GPU-hours of R1-Zero's RL, SFT data creation and R1's RL, priced per GPU-hour; "
    "from the "
    "reported table or from GPU count × wall-clock hours.",
    inputs=(
        Input(
            "basis",
            "Basis",
            "",
            "reported",
            TABLE,
            type="choice",
            choices=(
                ("reported", "GPU-hours as reported in the table"),
                ("cluster", "GPU count × wall-clock hours from the text"),
            ),
        ),
        Input("r1_zero_gpu_hours", "R1-Zero RL", "GPU-hours", fact("deepseek-r1.r1_zero_gpu_hours"), min=0, max=1e9),
        Input(
            "sft_data_gpu_hours",
            "SFT data creation",
            "GPU-hours",
            fact("deepseek-r1.sft_data_gpu_hours"),
            min=0,
            max=1e9,
        ),
        Input("r1_gpu_hours", "R1 RL (both stages)", "GPU-hours", fact("deepseek-r1.r1_gpu_hours"), min=0, max=1e9),
        Input(
            "gpus",
            "GPUs (H800)",
            "GPUs",
            fact("deepseek-r1.rl_gpus"),
            type="int",
            min=1,
            max=1_000_000,
            help='64 nodes × 8 H800s; some press reports misread "64*8" as 648.',
        ),
        Input(
            "r1_zero_hours", "R1-Zero wall-clock time", "hours", fact("deepseek-r1.r1_zero_hours"), min=0, max=100_000
        ),
        Input(
            "r1_hours",
            "R1 wall-clock time",
            "hours",
            fact("deepseek-r1.r1_hours"),
            min=0,
            max=100_000,
            help='The text says "about 4 days, or roughly 80 hours"; the table fits 80 h (4 days would be 96 h).',
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            fact("deepseek-r1.price_per_gpu_hour"),  # with its range, H100 rental from resellers (facts.json)
            min=0,
            max=1_000,
            symbol="price per GPU-hour",
            step=0.1,
        ),
    ),
    outputs=(
        Output("r1_zero_gpu_hours", "R1-Zero RL", "GPU-hours"),
        Output("sft_data_gpu_hours", "SFT data creation", "GPU-hours"),
        Output("r1_gpu_hours", "R1 RL", "GPU-hours"),
        Output("gpu_hours", "Total", "GPU-hours"),
        Output("r1_zero_cost_usd", "R1-Zero cost", "USD"),
        Output("sft_data_cost_usd", "SFT data cost", "USD"),
        Output("r1_cost_usd", "R1 cost", "USD"),
        Output("cost_usd", "Total cost", "USD"),
        Output("r1_zero_wall_clock_hours", "R1-Zero wall-clock time on the GPUs given", "hours"),
        Output("r1_wall_clock_hours", "R1 wall-clock time on the GPUs given", "hours"),
    ),
    function=rl_cost,
    headline="cost_usd",
    key_inputs=("basis", "price_per_gpu_hour", "gpus", "r1_zero_hours", "r1_hours"),
    key_outputs=("cost_usd", "gpu_hours"),
    charts=(Chart("tornado", "What moves the cost most", output="cost_usd"),),
    presets=(
        Preset("r1-table", "DeepSeek-R1 as reported (Table 7)", {"basis": "reported"}, TABLE),
        Preset("r1-cluster", "512 H800s × 198 h and 80 h (text)", {"basis": "cluster"}, TEXT),
    ),
    notes="Scope: the table's three rows, R1-Zero's RL, SFT data creation and R1's own training (the text does not "
    "split R1's row further); the Supplementary Information says nothing more about its scope. Not in it: "
    "DeepSeek-V3-Base's pre-training ($5.576M), the preparatory experiments on A100s with a 30B model, research, "
    "staff and hardware ownership.",
)
