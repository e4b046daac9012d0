"""full-bill: what the headline figures include, and what they leave out.

DeepSeek published two compute bills, both at an assumed rental price of $2 per H800 GPU-hour:
- DeepSeek-R1 (Nature 2025, Supplementary Information §2.4.4): R1-Zero's RL, SFT data creation and R1's training,
  147K GPU-hours = $294K (V3-Base's pre-training is not among the rows);
- DeepSeek-V3 (arXiv 2412.19437, Table 1): the final training run, 2,664K + 119K + 5K = 2,788K GPU-hours = $5.576M,
  "excluding the costs associated with prior research and ablation experiments on architectures, algorithms, or data".

This calculator stacks the two published bills and then the items they exclude, one step at a time, as the data of
a waterfall chart: research and ablation compute (a multiple of V3's run, Lambert 2025: 2-4×), staff (headcount ×
cost per head × years), data (no source prices it: 0 unless entered), and owning the GPUs instead of renting them.
Every step after the published ones is an estimate and is labelled so.

Owning, the way Cottier et al. (2024, "The rising costs of training frontier AI models", §2.2) amortise hardware: a
model is charged for the GPU-hours it used, at the owner's cost per GPU-hour, not for the whole fleet. An owner's cost
per GPU-hour is the fleet's capital cost depreciated over a year plus its operating cost for the year, divided by the
fleet's GPU-hours in the year that do work:
    owner's cost per GPU-hour = (capex × depreciation per year + operating cost ÷ life) ÷ (GPUs × 8,766 h × utilisation)
with depreciation per year 1 ÷ life (straight line over the stated life, SemiAnalysis's 4-year TCO window) or
Cottier's 0.14 orders of magnitude a year of GPU price-performance (0.14 × ln 10 = 32% of the value a year), and
utilisation 1 as in Cottier's method (only the hours used are charged; the rest belong to other work). The hardware
step is then the counted GPU-hours at the owner's cost less their rental value (negative when owning is cheaper), so
nothing is counted twice. The company-wide fleet spend, capex and operating cost over the years attributed, is shown
beside it as what it is: the company's spend on GPUs that also serve trading, inference and research, not a model's
cost.
"""

from __future__ import annotations

from ..core import Calculator, Chart, Input, Output, Preset, Q, Source, ln, load_json, qsum, src
from ..models import derived
from ..models.facts import RENTAL, fact, range_source

_BILL = {k: v for k, v in load_json("bill.json").items() if not k.startswith("_")}

# The published bills' GPU-hours and DeepSeek's price are shared facts (data/facts.json, models/derived.py); the
# estimates beyond them are this calculator's own (data/bill.json).
PRICE_FACT = fact("deepseek-v3.price_per_gpu_hour")
PRICE_SOURCE = Source(
    PRICE_FACT.source.id,
    PRICE_FACT.source.where + " (the same $2 as R1 SI §2.4.4)",
    note="Range $1.50-$3.50: H100 rental from resellers and marketplaces in 2023-24 (Latent Space, Oct 2024), from "
    "under $2 to the $3-4 of multi-year contracts; hyperscalers' on-demand list prices were several times higher "
    "(AWS p5.48xlarge, about $12 per GPU-hour before its mid-2025 cut).",
)
PRICE_RANGE = (fact("market.h100_rental_low").value, fact("market.h100_rental_high").value)
SHARED = {
    "price_per_gpu_hour": (PRICE_FACT.value, PRICE_SOURCE, PRICE_RANGE),
    "r1_rl_gpu_hours": (derived.r1_rl_gpu_hours(), None, None),
    "v3_pretraining_gpu_hours": (fact("deepseek-v3.pretraining_gpu_hours"), None, None),
    "v3_context_extension_gpu_hours": (fact("deepseek-v3.context_extension_gpu_hours"), None, None),
    "v3_post_training_gpu_hours": (fact("deepseek-v3.post_training_gpu_hours"), None, None),
}
# Cottier et al.'s constants, as in their code (epoch-research/training-cost-trends, cost_analysis_standalone.py):
# HOURS_PER_YEAR = 24 × 365.25; ML_GPU_PRICE_PERFORMANCE_OOMS_PER_YEAR = 0.14, replaced at 0.14 × ln 10 a year.
HOURS_PER_YEAR = Q.const(24 * 365.25, "8,766 h/year")
PRICE_PERFORMANCE_OOMS = Q.const(0.14, "0.14 OOM/year")
DEPRECIATION = src(
    "cottier2024: §2.2, hardware depreciates at r = 0.14 orders of magnitude a year (ML GPU price-performance), "
    'r × ln 10 of its value a year; Appendix A.3: "1 × 0.14 ln(10) ≅ 32% deprecation"'
)


def _source(key: str):
    return SHARED[key][1] if key in SHARED else src(_BILL[key]["source"])


def _range(key: str):
    r = _BILL[key].get("range")
    return (r[0], r[1]) if r else None


STEPS = (
    ("r1_rl", "R1's RL (the $294K headline)"),
    ("v3_pretraining", "V3 pre-training"),
    ("v3_context_extension", "V3 context extension"),
    ("v3_post_training", "V3 post-training"),
    ("research", "Research and ablation compute (estimate)"),
    ("staff", "Staff (estimate)"),
    ("data", "Data (not estimated unless entered)"),
    ("hardware", "Owning the GPUs instead of renting: owner's cost less rent (estimate; may be negative)"),
)
_STEP_NAMES = {
    "r1_rl": "R1's RL",
    "v3_pretraining": "V3 pre-training",
    "v3_context_extension": "V3 context extension",
    "v3_post_training": "V3 post-training",
    "research": "research",
    "staff": "staff",
    "data": "data",
    "hardware": "owning instead of renting",
}
_COMPUTE = ("r1_rl", "v3_pretraining", "v3_context_extension", "v3_post_training", "research")


def _owner_rate(capex, operating, life, gpus, utilisation, depreciation) -> Q:
    """The owner's cost of one GPU-hour of work (the module docstring)."""
    if depreciation == "price-performance":
        rate = (PRICE_PERFORMANCE_OOMS * ln(Q.const(10))).named("depreciation per year", "fraction")
    else:
        rate = (1 / life).named("depreciation per year", "fraction")
    per_year = (capex * rate + operating / life).named("fleet cost per year", "USD")
    return (per_year / (gpus * HOURS_PER_YEAR * utilisation)).named("owner's cost per GPU-hour", "USD/GPU-hour")


def full_bill(price_per_gpu_hour, r1_rl_gpu_hours, v3_pretraining_gpu_hours, v3_context_extension_gpu_hours,
              v3_post_training_gpu_hours, research_multiplier, staff_headcount, staff_cost_per_head_usd, years,
              data_usd, hardware, depreciation, fleet_capex_usd, fleet_operating_usd, amortisation_years, fleet_gpus,
              fleet_utilisation):  # fmt: skip
    p = price_per_gpu_hour
    v3_hours = (v3_pretraining_gpu_hours + v3_context_extension_gpu_hours + v3_post_training_gpu_hours).named(
        "V3 GPU-hours", "GPU-hours"
    )
    research_hours = (research_multiplier * v3_hours).named("research GPU-hours", "GPU-hours")
    if research_multiplier:
        research = research_hours * p
    else:
        research = Q.const(0.0).explain("excluded: the multiplier is zero")
    data = Q.input(float(data_usd.value), data_usd.unit, data_usd.symbol)  # a float, as the other steps
    steps: dict[str, Q] = {
        "r1_rl": r1_rl_gpu_hours * p,
        "v3_pretraining": v3_pretraining_gpu_hours * p,
        "v3_context_extension": v3_context_extension_gpu_hours * p,
        "v3_post_training": v3_post_training_gpu_hours * p,
        "research": research,
        "staff": staff_headcount * staff_cost_per_head_usd * years,
        "data": data.explain("as entered" if data_usd else "not estimated: no source prices it"),
    }
    named = {k: q.named(_STEP_NAMES[k], "USD") for k, q in steps.items()}
    compute = qsum(named[k] for k in _COMPUTE).named("compute at rental prices", "USD")
    counted = (r1_rl_gpu_hours + v3_hours + research_hours).named("counted GPU-hours", "GPU-hours")
    rate = _owner_rate(
        fleet_capex_usd, fleet_operating_usd, amortisation_years, fleet_gpus, fleet_utilisation, depreciation
    )
    owned = (counted * rate).named("compute at the owner's cost", "USD")
    if hardware == "owned":
        steps["hardware"] = owned - compute
    else:
        steps["hardware"] = Q.const(0.0).explain("rented: the GPU-hours above are priced at the rental rate")
    named["hardware"] = steps["hardware"].named(_STEP_NAMES["hardware"], "USD")
    fleet_year = (fleet_gpus * HOURS_PER_YEAR).named("the fleet's GPU-hours in a year", "GPU-hours")

    out: dict[str, Q] = {}
    running = None
    for key, _label in STEPS:
        out[f"step_{key}_usd"] = steps[key]
        running = named[key] if running is None else running.named("running total", "USD") + named[key]
        out[f"cum_{key}_usd"] = running
    total = named[STEPS[0][0]]
    for key, _label in STEPS[1:]:  # added in order, as the running total is (not qsum's compensated sum)
        total = total + named[key]
    total = total.named("total", "USD")

    headline = named["r1_rl"]
    v3 = (v3_hours * p).named("V3's final run", "USD")
    published = (headline + v3).named("published total", "USD")
    out.update(
        {
            "headline_r1_usd": steps["r1_rl"],
            "v3_final_run_usd": v3,
            "published_total_usd": published,
            "r1_share_of_published": headline / published,
            "research_gpu_hours": research_hours,
            "counted_gpu_hours": counted,
            "compute_at_rental_usd": compute,
            "owner_cost_per_gpu_hour": rate,
            "compute_at_owner_cost_usd": owned,
            "company_fleet_spend_usd": ((fleet_capex_usd + fleet_operating_usd) / amortisation_years * years).named(
                "fleet spend", "USD"
            ),
            "fleet_share_used": counted / fleet_year,
            "total_cost_usd": total,
            "ratio_to_r1_headline": total / headline,
            "ratio_to_v3_headline": total / v3,
            "ratio_to_published": total / published,
        }
    )
    return out


SYMBOLS = {
    "price_per_gpu_hour": "price per GPU-hour",
    "r1_rl_gpu_hours": "R1 RL GPU-hours",
    "v3_pretraining_gpu_hours": "V3 pre-training GPU-hours",
    "v3_context_extension_gpu_hours": "V3 context-extension GPU-hours",
    "v3_post_training_gpu_hours": "V3 post-training GPU-hours",
    "research_multiplier": "research multiplier",
    "staff_headcount": "headcount",
    "staff_cost_per_head_usd": "cost per person-year",
    "years": "years",
    "data_usd": "data cost",
    "fleet_capex_usd": "fleet capex",
    "fleet_operating_usd": "fleet operating cost",
    "amortisation_years": "life",
    "fleet_gpus": "fleet GPUs",
    "fleet_utilisation": "utilisation",
}


def _input(key: str, label: str, unit: str, lo, hi, **kw) -> Input:
    kw.setdefault("symbol", SYMBOLS[key])
    if key in SHARED:
        default, source, rng = SHARED[key]
        rsrc = range_source(RENTAL) if rng else None
        return Input(key, label, unit, default, source, min=lo, max=hi, range=rng, range_source=rsrc, **kw)
    rng = _range(key)  # bill.json's source (its note) says where a range comes from
    return Input(key, label, unit, _BILL[key]["value"], _source(key), min=lo, max=hi, range=rng,
                 range_source=_source(key) if rng else None, **kw)  # fmt: skip


_STEP_OUTPUTS = tuple(Output(f"step_{k}_usd", label, "USD") for k, label in STEPS)
_CUM_OUTPUTS = tuple(Output(f"cum_{k}_usd", f"Running total, to: {label}", "USD") for k, label in STEPS)

_PUBLISHED = {"research_multiplier": 0, "staff_headcount": 0, "data_usd": 0, "hardware": "rental"}
STAFF_HELP = (
    "0 leaves staff out. Press reports: 160 (FT), fewer than 140 (state media), about 200 names on the R1 paper."
)
PAY_HELP = (
    "An assumption, not a published figure: the top of DeepSeek's posted salary band (about $210K) as the fully "
    "loaded cost; range $70K-$410K from Chinese large-model salaries."
)
CAPEX_HELP = (
    'SemiAnalysis: about $1.6B for about 50K Hoppers plus A100s, shared with High-Flyer; "well higher than $500M" at '
    "least. The 2,048-GPU training cluster alone: over $51M of servers (The Register)."
)
RESEARCH_HELP = (
    "0 leaves research out, as the published figures do. Lambert (2025) estimates 2-4× the reported GPU-hours for "
    "V3's pre-training experiments; the default is the midpoint."
)
INPUTS = (
    _input("price_per_gpu_hour", "Rental price", "USD/GPU-hour", 0.01, 1_000, step=0.1,
           help="DeepSeek's own assumption for both V3 and R1. The range is H100 rental from resellers and "
           "marketplaces in 2023-24, not hyperscalers' on-demand list prices, which were several times higher."),
    _input("r1_rl_gpu_hours", "R1's RL stage (R1-Zero + SFT data + R1)", "GPU-hours", 1, 1e10),
    _input("v3_pretraining_gpu_hours", "V3 pre-training", "GPU-hours", 1, 1e10),
    _input("v3_context_extension_gpu_hours", "V3 context extension", "GPU-hours", 0, 1e10),
    _input("v3_post_training_gpu_hours", "V3 post-training", "GPU-hours", 0, 1e10),
    _input("research_multiplier", "Research and ablation compute, as a multiple of V3's run (estimate)", "ratio", 0,
           1_000, step=0.5, help=RESEARCH_HELP),
    _input("staff_headcount", "Staff (estimate)", "people", 0, 1_000_000, type="int", help=STAFF_HELP),
    _input("staff_cost_per_head_usd", "Cost per person per year (assumption)", "USD", 0, 1e8, step=10_000,
           help=PAY_HELP),
    _input("years", "Years attributed to V3 + R1: staff, and the fleet spend shown (assumption)", "years", 0, 100,
           step=0.1, help="DeepSeek was spun out in May 2023 and released R1 in January 2025."),
    _input("data_usd", "Data: collection, cleaning, synthetic data", "USD", 0, 1e12,
           help="No source gives a figure, so the default is 0 (not estimated), not a claim that data was free."),
    Input("hardware", "GPUs", "", "rental", _source("price_per_gpu_hour"), type="choice", choices=(
        ("rental", "Rented at the price above (as DeepSeek's figures)"),
        ("owned", "Owned: the GPU-hours used, at the owner's amortised cost per GPU-hour (analysts' fleet)"))),
    Input("depreciation", "Depreciation of the owned hardware", "", "straight-line", DEPRECIATION, type="choice",
          choices=(("straight-line", "straight line over the life below"),
                   ("price-performance", "Cottier et al.: 0.14 orders of magnitude a year of price-performance"))),
    _input("fleet_capex_usd", "Fleet server capex (analyst estimate, disputed)", "USD", 0, 1e12, help=CAPEX_HELP),
    _input("fleet_operating_usd", "Fleet operating cost over its life (analyst estimate)", "USD", 0, 1e12),
    _input("amortisation_years", "Life of the fleet (amortisation period)", "years", 1, 20, step=1),
    _input("fleet_gpus", "GPUs in the fleet (analyst estimate)", "GPUs", 1, 10_000_000, type="int"),
    _input("fleet_utilisation", "Share of the fleet's hours doing work (utilisation)", "fraction", 0.01, 1,
           step=0.05),
)  # fmt: skip

OUTPUTS = (
    Output("headline_r1_usd", "R1's headline: RL stage only", "USD"),
    Output("v3_final_run_usd", "V3's headline: final training run", "USD"),
    Output("published_total_usd", "V3 + R1 as published", "USD"),
    Output("r1_share_of_published", "R1's RL as a share of V3 + R1", "fraction"),
    *_STEP_OUTPUTS,
    *_CUM_OUTPUTS,
    Output("research_gpu_hours", "Research and ablation compute (estimate)", "GPU-hours"),
    Output("counted_gpu_hours", "All GPU-hours counted (V3, R1, research)", "GPU-hours"),
    Output("compute_at_rental_usd", "All compute at the rental price", "USD"),
    Output("owner_cost_per_gpu_hour", "Owner's cost per GPU-hour used (amortised capex and operating cost)",
           "USD/GPU-hour"),
    Output("compute_at_owner_cost_usd", "All compute at the owner's cost (used when GPUs are owned)", "USD"),
    Output("company_fleet_spend_usd", "Company-wide fleet spend in the years attributed (all uses: not a model's "
           "cost)", "USD", help="The capex and operating cost of every GPU DeepSeek and High-Flyer are estimated "
           "to own, spread over the life and counted for the years attributed: trading, inference and research "
           "included. For scale only; the model is charged its GPU-hours."),
    Output("fleet_share_used", "The counted GPU-hours as a share of one year of the fleet's GPU-hours", "fraction"),
    Output("total_cost_usd", "Total (estimate)", "USD"),
    Output("ratio_to_r1_headline", "Total ÷ R1's $294K headline", "ratio"),
    Output("ratio_to_v3_headline", "Total ÷ V3's $5.576M headline", "ratio"),
    Output("ratio_to_published", "Total ÷ V3 + R1 as published", "ratio"),
)  # fmt: skip

CALCULATOR = Calculator(
    name="full-bill",
    title="The full bill: what the headline figures include and exclude",
    summary="From R1's headline RL stage and V3's headline final run to an estimate of everything else: research and "
    "ablation compute, staff, data, and owning the GPUs instead of renting them (the GPU-hours used, at the owner's "
    "amortised cost), step by step.",
    inputs=INPUTS,
    outputs=OUTPUTS,
    function=full_bill,
    headline="total_cost_usd",
    key_inputs=(
        "research_multiplier",
        "staff_headcount",
        "staff_cost_per_head_usd",
        "hardware",
        "price_per_gpu_hour",
    ),
    key_outputs=("total_cost_usd", "published_total_usd", "ratio_to_published"),
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
            "Owned: the same GPU-hours at the owner's cost from SemiAnalysis's fleet estimates (amortised)",
            {"hardware": "owned"},
            _source("fleet_capex_usd"),
        ),
    ),
    notes="The first four steps are DeepSeek's published GPU-hours at its $2 rental assumption. Everything after "
    "them is an estimate or an assumption, each with its source: set a multiplier or headcount to 0 to leave it "
    "out. Owning: every counted GPU-hour is charged at the owner's amortised cost instead of the rent (Cottier et "
    "al. 2024), so nothing is counted twice; the company-wide fleet spend is shown for scale, not charged. Not "
    "included at all: inference serving, cluster networking beyond the analysts' capex (Cottier et al. add 23% to "
    "server prices), and the A100 experiments behind R1.",
)
