"""full-bill: what the headline figures include, and what they leave out.

DeepSeek published two compute bills, both at an assumed rental price of $2 per H800 GPU-hour:
- DeepSeek-R1 (Nature 2025, Supplementary Information §2.4.4): the RL stage only, 147K GPU-hours = $294K;
- DeepSeek-V3 (arXiv 2412.19437, Table 1): the final training run, 2,664K + 119K + 5K = 2,788K GPU-hours = $5.576M,
  "excluding the costs associated with prior research and ablation experiments on architectures, algorithms, or data".

This calculator stacks the two published bills and then the items they exclude, one step at a time, as the data of
a waterfall chart: research and ablation compute (a multiple of V3's run, Lambert 2025: 2-4×), staff (headcount ×
cost per head × years), data (no source prices it: 0 unless entered), and hardware ownership instead of rental
(SemiAnalysis's fleet estimates, amortised). Every step after the published ones is an estimate and is labelled so.

Hardware, "owned": an owner pays the fleet's amortised capex plus operating cost over the period whether it trains
V3 or sits idle, and the fleet is what runs the compute counted above at rental prices. So owning replaces the
rental-priced compute with the fleet's cost, and the hardware step is the difference (negative when owning costs
less than renting the same GPU-hours):
    hardware = fleet cost − compute at rental prices,  fleet cost = (capex + opex) ÷ amortisation years × years
                                                                     × share of the fleet attributed to V3 + R1
so the total is fleet cost + staff + data, with nothing counted twice. It assumes the fleet share attributed is
large enough to have run that compute; the fleet's GPU count is not modelled.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, Output, Preset, Value, load_json, n, src

_BILL = {k: v for k, v in load_json("bill.json").items() if not k.startswith("_")}


def _default(key: str):
    return _BILL[key]["value"]


def _source(key: str):
    return src(_BILL[key]["source"])


def _range(key: str):
    r = _BILL[key].get("range")
    return (r[0], r[1]) if r else None


def _usd(x: float) -> str:
    return "$" + n(x)


STEPS = (
    ("r1_rl", "R1's RL (the $294K headline)"),
    ("v3_pretraining", "V3 pre-training"),
    ("v3_context_extension", "V3 context extension"),
    ("v3_post_training", "V3 post-training"),
    ("research", "Research and ablation compute (estimate)"),
    ("staff", "Staff (estimate)"),
    ("data", "Data (not estimated unless entered)"),
    ("hardware", "Owning the fleet instead of renting (estimate; may be negative)"),
)


def full_bill(
    price_per_gpu_hour,
    r1_rl_gpu_hours,
    v3_pretraining_gpu_hours,
    v3_context_extension_gpu_hours,
    v3_post_training_gpu_hours,
    research_multiplier,
    staff_headcount,
    staff_cost_per_head_usd,
    years,
    data_usd,
    hardware,
    fleet_capex_usd,
    fleet_operating_usd,
    amortisation_years,
    fleet_share,
):
    p = price_per_gpu_hour
    v3_hours = v3_pretraining_gpu_hours + v3_context_extension_gpu_hours + v3_post_training_gpu_hours
    research_hours = research_multiplier * v3_hours

    def gpu(hours: float, what: str = "") -> Value:
        return Value(hours * p, f"{what}{n(hours)} GPU-hours × ${n(p)}")

    steps: dict[str, Value] = {
        "r1_rl": gpu(r1_rl_gpu_hours),
        "v3_pretraining": gpu(v3_pretraining_gpu_hours),
        "v3_context_extension": gpu(v3_context_extension_gpu_hours),
        "v3_post_training": gpu(v3_post_training_gpu_hours),
        "research": (
            Value(research_hours * p, f"{n(research_multiplier)} × {n(v3_hours)} GPU-hours × ${n(p)}")
            if research_multiplier
            else Value(0.0, "excluded (multiplier 0)")
        ),
        "staff": Value(
            staff_headcount * staff_cost_per_head_usd * years,
            f"{n(staff_headcount)} people × {_usd(staff_cost_per_head_usd)} × {n(years)} years",
        ),
        "data": Value(float(data_usd), "as entered" if data_usd else "not estimated (no source prices it)"),
    }
    compute = sum(
        steps[k].value for k in ("r1_rl", "v3_pretraining", "v3_context_extension", "v3_post_training", "research")
    )
    fleet = (fleet_capex_usd + fleet_operating_usd) / amortisation_years * years * fleet_share
    fleet_shown = (
        f"({_usd(fleet_capex_usd)} + {_usd(fleet_operating_usd)}) ÷ {n(amortisation_years)} years × "
        f"{n(years)} years × {n(fleet_share)}"
    )
    if hardware == "owned":
        steps["hardware"] = Value(fleet - compute, f"{_usd(fleet)} fleet − {_usd(compute)} compute counted above")
    else:
        steps["hardware"] = Value(0.0, "rented: the GPU-hours above are priced at the rental rate")

    out: dict[str, Value] = {}
    running = 0.0
    for key, _label in STEPS:
        step = steps[key]
        out[f"step_{key}_usd"] = step
        shown = _usd(step.value) if running == 0 else f"{_usd(running)} + {_usd(step.value)}"
        running += step.value
        out[f"cum_{key}_usd"] = Value(running, shown)
    total = running

    headline = steps["r1_rl"].value
    v3 = v3_hours * p
    published = headline + v3
    out.update(
        {
            "headline_r1_usd": Value(headline, f"{n(r1_rl_gpu_hours)} GPU-hours × ${n(p)}"),
            "v3_final_run_usd": Value(v3, f"{n(v3_hours)} GPU-hours × ${n(p)}"),
            "published_total_usd": Value(published, f"{_usd(v3)} + {_usd(headline)}"),
            "r1_share_of_published": Value(headline / published, f"{_usd(headline)} ÷ {_usd(published)}"),
            "research_gpu_hours": Value(research_hours, f"{n(research_multiplier)} × {n(v3_hours)} GPU-hours"),
            "compute_at_rental_usd": Value(compute, "R1 + V3 + research, at the rental price"),
            "fleet_cost_usd": Value(fleet, fleet_shown),
            "total_cost_usd": Value(total, "sum of the steps"),
            "ratio_to_r1_headline": Value(total / headline, f"{_usd(total)} ÷ {_usd(headline)}"),
            "ratio_to_v3_headline": Value(total / v3, f"{_usd(total)} ÷ {_usd(v3)}"),
            "ratio_to_published": Value(total / published, f"{_usd(total)} ÷ {_usd(published)}"),
        }
    )
    return out


def _input(key: str, label: str, unit: str, **kw) -> Input:
    return Input(key, label, unit, _default(key), _source(key), range=_range(key), **kw)


_STEP_OUTPUTS = tuple(Output(f"step_{k}_usd", label, "USD") for k, label in STEPS)
_CUM_OUTPUTS = tuple(Output(f"cum_{k}_usd", f"Running total, to: {label}", "USD") for k, label in STEPS)

_PUBLISHED = {"research_multiplier": 0, "staff_headcount": 0, "data_usd": 0, "hardware": "rental"}

CALCULATOR = Calculator(
    name="full-bill",
    title="The full bill: what the headline figures include and exclude",
    summary="From R1's $294K RL stage and V3's $5.576M final run to an estimate of everything else: research and "
    "ablation compute, staff, data, and owning the GPUs instead of renting them. Each step is an output, "
    "with a running total (the data of a waterfall chart).",
    inputs=(
        _input(
            "price_per_gpu_hour",
            "Rental price",
            "USD/GPU-hour",
            min=0.01,
            max=1_000,
            step=0.1,
            help="DeepSeek's own assumption for both V3 and R1. The range is 2024-25 H100-class market quotes.",
        ),
        _input("r1_rl_gpu_hours", "R1's RL stage (R1-Zero + SFT data + R1)", "GPU-hours", min=1, max=1e10),
        _input("v3_pretraining_gpu_hours", "V3 pre-training", "GPU-hours", min=1, max=1e10),
        _input("v3_context_extension_gpu_hours", "V3 context extension", "GPU-hours", min=0, max=1e10),
        _input("v3_post_training_gpu_hours", "V3 post-training", "GPU-hours", min=0, max=1e10),
        _input(
            "research_multiplier",
            "Research and ablation compute, as a multiple of V3's run (estimate)",
            "ratio",
            min=0,
            max=1_000,
            step=0.5,
            help="0 leaves research out, as the published figures do. Lambert (2025) estimates 2-4× the reported "
            "GPU-hours for V3's pre-training experiments; the default is the midpoint.",
        ),
        _input(
            "staff_headcount",
            "Staff (estimate)",
            "people",
            type="int",
            min=0,
            max=1_000_000,
            help="0 leaves staff out. Press reports: 160 (FT), fewer than 140 (state media), about 200 names "
            "on the R1 paper.",
        ),
        _input(
            "staff_cost_per_head_usd",
            "Cost per person per year (assumption)",
            "USD",
            min=0,
            max=1e8,
            step=10_000,
            help="An assumption, not a published figure: the top of DeepSeek's posted salary band (about $210K) "
            "as the fully loaded cost; range $70K-$410K from Chinese large-model salaries.",
        ),
        _input(
            "years",
            "Years of staff and fleet attributed to V3 + R1 (assumption)",
            "years",
            min=0,
            max=100,
            step=0.1,
            help="DeepSeek was spun out in May 2023 and released R1 in January 2025.",
        ),
        _input(
            "data_usd",
            "Data: collection, cleaning, synthetic data",
            "USD",
            min=0,
            max=1e12,
            help="No source gives a figure, so the default is 0 (not estimated), not a claim that data was free.",
        ),
        Input(
            "hardware",
            "GPUs",
            "",
            "rental",
            _source("price_per_gpu_hour"),
            type="choice",
            choices=(
                ("rental", "Rented at the price above (as DeepSeek's figures)"),
                ("owned", "Owned fleet: amortised capex + operating cost (analysts' estimates)"),
            ),
            help="Owned: the fleet's cost over the period replaces the rental-priced compute (the hardware "
            "step is the difference, negative if owning is cheaper).",
        ),
        _input(
            "fleet_capex_usd",
            "Fleet server capex (analyst estimate, disputed)",
            "USD",
            min=0,
            max=1e12,
            help="SemiAnalysis: about $1.6B for about 50K Hoppers plus A100s, shared with High-Flyer; "
            '"well higher than $500M" at least. The 2,048-GPU training cluster alone: over $51M of '
            "servers (The Register). Used only when GPUs are owned.",
        ),
        _input(
            "fleet_operating_usd",
            "Fleet operating cost over the amortisation period (analyst estimate)",
            "USD",
            min=0,
            max=1e12,
        ),
        _input("amortisation_years", "Amortisation period", "years", min=1, max=20, step=1),
        _input(
            "fleet_share",
            "Share of the fleet attributed to V3 + R1 (assumption)",
            "fraction",
            min=0,
            max=1,
            step=0.05,
            help="1 attributes the whole fleet (an upper bound): it also serves trading and inference.",
        ),
    ),
    outputs=(
        Output("headline_r1_usd", "R1's headline: RL stage only", "USD"),
        Output(
            "v3_final_run_usd",
            "V3's headline: final training run",
            "USD",
        ),
        Output("published_total_usd", "V3 + R1 as published", "USD"),
        Output("r1_share_of_published", "R1's RL as a share of V3 + R1", "fraction"),
        *_STEP_OUTPUTS,
        *_CUM_OUTPUTS,
        Output("research_gpu_hours", "Research and ablation compute (estimate)", "GPU-hours"),
        Output("compute_at_rental_usd", "All compute at the rental price", "USD"),
        Output(
            "fleet_cost_usd",
            "Fleet cost over the period (used when GPUs are owned)",
            "USD",
        ),
        Output("total_cost_usd", "Total (estimate)", "USD"),
        Output("ratio_to_r1_headline", "Total ÷ R1's $294K headline", "ratio"),
        Output("ratio_to_v3_headline", "Total ÷ V3's $5.576M headline", "ratio"),
        Output("ratio_to_published", "Total ÷ V3 + R1 as published", "ratio"),
    ),
    function=full_bill,
    headline="total_cost_usd",
    charts=(
        Chart(
            "waterfall",
            "From R1's headline to the full bill, step by step",
            output="total_cost_usd",
            series=tuple(f"step_{k}_usd" for k, _label in STEPS),
        ),
        Chart("tornado", "What moves the total most", output="total_cost_usd"),
    ),
    presets=(
        Preset(
            "published",
            "As published: V3's final run + R1's RL, rented, nothing else",
            _PUBLISHED,
            src(
                'deepseek-v3: §1 after Table 1, the costs "include only the official training of DeepSeek-V3, '
                'excluding the costs associated with prior research and ablation experiments"'
            ),
        ),
        Preset(
            "rented-full",
            "Rented, with research compute and staff (estimates; the defaults)",
            {},
            _source("research_multiplier"),
        ),
        Preset(
            "owned-fleet",
            "Owned fleet: SemiAnalysis's capex and operating cost, amortised (estimates)",
            {"hardware": "owned"},
            _source("fleet_capex_usd"),
        ),
    ),
    notes="The first four steps are DeepSeek's published GPU-hours at its $2 rental assumption. Everything after "
    "them is an estimate or an assumption, each with its source: set a multiplier or headcount to 0 to leave "
    "it out. Owning: the fleet's amortised cost replaces the rental-priced compute, so nothing is "
    "counted twice. Not included at all: inference serving, electricity beyond the analysts' operating cost, "
    "and the A100 experiments behind R1.",
)
