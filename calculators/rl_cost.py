"""rl-cost: DeepSeek-R1's reinforcement-learning bill, the "$294K".

DeepSeek-R1 (Nature 2025), Supplementary Information §2.4.4 (arXiv 2501.12948 v2, Appendix B.4.4, Table 7):
R1-Zero 101K H800 GPU-hours ($202K), SFT data creation 5K ($10K), R1 41K ($82K): 147K GPU-hours, $294K at
$2 per GPU-hour. The text gives the alternative basis: 64×8 = 512 H800s for about 198 h (R1-Zero) and about 80 h
(R1), which reproduces the rounded table entries.
"""

from __future__ import annotations

from .core import Calculator, Chart, Input, Output, Preset, Value, n, src

TABLE = src("deepseek-r1-si: §2.4.4, training-cost table (arXiv 2501.12948 v2, Appendix B.4.4, Table 7)")
TEXT = src('deepseek-r1-si: §2.4.4 text: "64*8 H800 GPUs ... approximately 198 hours"; R1 "roughly 80 hours"')


def rl_cost(
    basis, r1_zero_gpu_hours, sft_data_gpu_hours, r1_gpu_hours, gpus, r1_zero_hours, r1_hours, price_per_gpu_hour
):
    if basis == "cluster":
        zero = Value(gpus * r1_zero_hours, f"{n(gpus)} GPUs × {n(r1_zero_hours)} h")
        r1 = Value(gpus * r1_hours, f"{n(gpus)} GPUs × {n(r1_hours)} h")
    else:
        zero = Value(r1_zero_gpu_hours, "as reported")
        r1 = Value(r1_gpu_hours, "as reported")
    sft = Value(sft_data_gpu_hours, "as reported")
    total = zero.value + sft.value + r1.value
    p = price_per_gpu_hour
    return {
        "r1_zero_gpu_hours": zero,
        "sft_data_gpu_hours": sft,
        "r1_gpu_hours": r1,
        "gpu_hours": Value(total, f"{n(zero.value)} + {n(sft.value)} + {n(r1.value)} GPU-hours"),
        "r1_zero_cost_usd": Value(zero.value * p, f"{n(zero.value)} GPU-hours × ${n(p)}"),
        "sft_data_cost_usd": Value(sft.value * p, f"{n(sft.value)} GPU-hours × ${n(p)}"),
        "r1_cost_usd": Value(r1.value * p, f"{n(r1.value)} GPU-hours × ${n(p)}"),
        "cost_usd": Value(total * p, f"{n(total)} GPU-hours × ${n(p)} per GPU-hour"),
        "r1_zero_wall_clock_hours": Value(zero.value / gpus, f"{n(zero.value)} GPU-hours ÷ {n(gpus)} GPUs"),
        "r1_wall_clock_hours": Value(r1.value / gpus, f"{n(r1.value)} GPU-hours ÷ {n(gpus)} GPUs"),
    }


CALCULATOR = Calculator(
    name="rl-cost",
    title="DeepSeek-R1's RL cost",
    summary="The $294K: GPU-hours of R1-Zero's RL, SFT data creation and R1's RL, priced per GPU-hour; from the "
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
        Input("r1_zero_gpu_hours", "R1-Zero RL", "GPU-hours", 101_000, TABLE, min=0, max=1e9),
        Input("sft_data_gpu_hours", "SFT data creation", "GPU-hours", 5_000, TABLE, min=0, max=1e9),
        Input("r1_gpu_hours", "R1 RL (both stages)", "GPU-hours", 41_000, TABLE, min=0, max=1e9),
        Input(
            "gpus",
            "GPUs (H800)",
            "GPUs",
            512,
            TEXT,
            type="int",
            min=1,
            max=1_000_000,
            help='64 nodes × 8 H800s; some press reports misread "64*8" as 648.',
        ),
        Input("r1_zero_hours", "R1-Zero wall-clock time", "hours", 198, TEXT, min=0, max=100_000),
        Input(
            "r1_hours",
            "R1 wall-clock time",
            "hours",
            80,
            TEXT,
            min=0,
            max=100_000,
            help='The text says "about 4 days, or roughly 80 hours"; the table fits 80 h (4 days would be 96 h).',
        ),
        Input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            2.0,
            TABLE,
            min=0,
            max=1_000,
            range=(1.5, 3.5),
            step=0.1,
        ),
    ),
    outputs=(
        Output("r1_zero_gpu_hours", "R1-Zero RL", "GPU-hours"),
        Output("sft_data_gpu_hours", "SFT data creation", "GPU-hours"),
        Output("r1_gpu_hours", "R1 RL", "GPU-hours"),
        Output("gpu_hours", "Total", "GPU-hours", "R1-Zero + SFT data + R1"),
        Output("r1_zero_cost_usd", "R1-Zero cost", "USD"),
        Output("sft_data_cost_usd", "SFT data cost", "USD"),
        Output("r1_cost_usd", "R1 cost", "USD"),
        Output("cost_usd", "Total cost", "USD", "total GPU-hours × price per GPU-hour"),
        Output("r1_zero_wall_clock_hours", "R1-Zero wall-clock time on the GPUs given", "hours"),
        Output("r1_wall_clock_hours", "R1 wall-clock time on the GPUs given", "hours"),
    ),
    function=rl_cost,
    headline="cost_usd",
    charts=(Chart("tornado", "What moves the cost most", output="cost_usd"),),
    presets=(
        Preset("r1-table", "DeepSeek-R1 as reported (Table 7)", {"basis": "reported"}, TABLE),
        Preset("r1-cluster", "512 H800s × 198 h and 80 h (text)", {"basis": "cluster"}, TEXT),
    ),
    notes="Scope: the RL stage only. It excludes DeepSeek-V3-Base's pre-training ($5.576M), the preparatory "
    "experiments on A100s with a 30B model, research, staff and hardware ownership.",
)
