# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # How sensitive is DeepSeek-V3's training bill?
#
# DeepSeek priced its V3 training run by multiplying the GPU-hours it reported by an assumed rental price.
# This notebook asks which assumptions that total actually leans on. It rebuilds the pre-training bill from
# first principles (FLOPs ÷ achieved FLOP/s), then varies two things: how well the GPUs were used (model FLOPs
# utilisation, MFU) and what an H800 hour costs.
#
# Every number below is computed by the site's `calculators` package. None is typed in by hand, so if a sourced
# constant is corrected, this page corrects itself when the site is rebuilt.
#
# Run it yourself wherever the calculators are installed (`pip install .` in a clone of the repository; they
# need nothing but the standard library): open this file in Jupyter with
# [jupytext](https://jupytext.readthedocs.io), or run it as a script, `python cost-sensitivity.py`.

# %%
import calculators
from calculators import fmt
from calculators.core.ranges import declared_ranges, run_ranges

# %%
import matplotlib.pyplot as plt


def show(markdown):
    """Markdown in Jupyter (and on the site); plain text when run as a script."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        # "$" is a currency sign here: escaped and set apart so that no pair of them is read as TeX math.
        display(Markdown(markdown.replace("$", "<span>\\$</span>")))
    else:
        print(markdown, end="\n\n")


# Neutral styling, legible on the site's light and dark schemes: transparent background, mid-grey ink.
INK = "#7a7a7a"
PALETTE = ["#5b8fd1", "#e0883a", "#5fa86a", "#a07cc5", "#9a9a9a"]
plt.rcParams.update(
    {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "text.color": INK,
        "axes.labelcolor": INK,
        "axes.edgecolor": INK,
        "axes.titlecolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "grid.color": INK,
        "grid.alpha": 0.25,
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": plt.cycler(color=PALETTE),
        "legend.frameon": False,
        "figure.dpi": 120,
        "font.size": 10,
    }
)
FIGURES = {}  # name -> figure, for the tests


def plain(text):
    """Text for a plot: "$" is a currency sign here, not the start of TeX math."""
    return text.replace("$", r"\$")


tc = calculators.get("training-cost")
USED_SOURCES = {}  # every source this page relies on, listed at the end


def cite(source):
    USED_SOURCES.setdefault((source.id, source.where), source)
    return source


# %% [markdown]
# ## The reported bill, and the same run from first principles
#
# On the reported basis the calculator multiplies Table 1's GPU-hours by the rental price. On the compute basis
# it derives pre-training GPU-hours from the training FLOPs (six times the activated parameters per token, plus
# attention) divided by what each GPU achieved: its dense BF16 peak times the MFU DeepSeek measured. Context
# extension and post-training stay as reported on both bases.

# %%
reported = tc.run(preset="deepseek-v3")
compute = tc.run(preset="deepseek-v3-isca")
base_inputs = tc.validate(preset="deepseek-v3-isca")
for name in ("gpu_hours", "price_per_gpu_hour", "mfu", "active_params", "tokens"):
    cite(tc.input(name).source)

show(f"""
| | reported basis | compute basis |
|---|---|---|
| total GPU-hours | {fmt(reported["gpu_hours"], "GPU-hours")} | {fmt(compute["gpu_hours"], "GPU-hours")} |
| pre-training GPU-hours | {fmt(reported["pretrain_gpu_hours"], "GPU-hours")} | \
{fmt(compute["pretrain_gpu_hours"], "GPU-hours")} |
| total cost | **{fmt(reported["cost_usd"], "USD")}** | **{fmt(compute["cost_usd"], "USD")}** |

The compute basis uses {fmt(compute["flops_per_token"], "FLOP")} per token over
{fmt(base_inputs["tokens"], "tokens")}, an MFU of {fmt(base_inputs["mfu"], "fraction")} against a dense BF16 peak of
{fmt(compute["peak_flops_per_gpu"], "FLOP/s")}, and {fmt(base_inputs["price_per_gpu_hour"], "USD/GPU-hour")}.
Run the other way, the reported pre-training hours imply an MFU of {fmt(reported["implied_mfu_bf16"], "fraction")}
against the BF16 peak, or {fmt(reported["implied_mfu_fp8"], "fraction")} against the FP8 peak: the same run, two
denominators.

The first-principles bill differs from the reported one by
{fmt(abs(compute["cost_usd"] / reported["cost_usd"] - 1), "fraction")}.
""")

# %% [markdown]
# That the two bases come out so close is the point: the reported GPU-hours are what the published model size,
# token count and measured utilisation predict. Nothing in the bill needs an unexplained discount.
#
# ## Cost against utilisation and price
#
# Holding everything else at DeepSeek-V3's values, the left panel sweeps MFU at the low, base and high ends of
# the rental-price range the declaration cites; the right panel shows the whole grid. Cost falls as one over
# MFU, so the curve is steep at low utilisation and flat near the top: doubling a poor MFU halves the bill,
# while the last few points buy little.

# %%
price_lo, price_base, price_hi = declared_ranges(tc)["price_per_gpu_hour"]
measured_mfu = base_inputs["mfu"]


def cost_at(**changes):
    return tc.run({**base_inputs, "basis": "compute", **changes})["cost_usd"]


# Sweep from a poorly used cluster to an excellent one (the axis extent is a choice, not a datum).
mfus = [0.15 + 0.0125 * i for i in range(37)]  # 15% ... 60%
prices = [price_lo + (price_hi - price_lo) * j / 20 for j in range(21)]

fig, (ax, axh) = plt.subplots(2, 1, figsize=(7, 9))
for price, style in ((price_hi, ":"), (price_base, "-"), (price_lo, "--")):
    ax.plot(
        [m * 100 for m in mfus],
        [cost_at(mfu=m, price_per_gpu_hour=price) / 1e6 for m in mfus],
        style,
        label=plain(fmt(price, "USD/GPU-hour")),
    )
ax.axhline(reported["cost_usd"] / 1e6, color=INK, lw=0.8, ls="-.")
ax.annotate(
    plain(f"reported total, {fmt(reported['cost_usd'], 'USD')}"),
    (mfus[-1] * 100, reported["cost_usd"] / 1e6),
    ha="right",
    va="bottom",
    fontsize=8,
)
ax.axvline(measured_mfu * 100, color=INK, lw=0.8, ls="-.")
ax.annotate(
    f"measured MFU\n{fmt(measured_mfu, 'fraction')}",
    (measured_mfu * 100, ax.get_ylim()[1]),
    ha="left",
    va="top",
    fontsize=8,
    xytext=(4, 0),
    textcoords="offset points",
)
ax.set_xlabel("MFU against the H800's dense BF16 peak (%)")
ax.set_ylabel("DeepSeek-V3 training cost (million USD)")
ax.set_title("Cost falls as 1 / MFU", loc="left")
ax.legend(title="rental price", fontsize=8, title_fontsize=8, loc="center right")

grid = [[cost_at(mfu=m, price_per_gpu_hour=p) / 1e6 for m in mfus] for p in prices]
extent = (mfus[0] * 100, mfus[-1] * 100, prices[0], prices[-1])
im = axh.imshow(grid, origin="lower", aspect="auto", extent=extent, cmap="cividis", interpolation="bilinear")
contours = axh.contour([m * 100 for m in mfus], prices, grid, levels=7, colors="white", linewidths=0.7)
axh.clabel(contours, fmt=lambda v: plain(f"${v:g}M"), fontsize=8)
axh.plot([measured_mfu * 100], [price_base], "o", color="white", mec="black", ms=6)
axh.annotate(
    "DeepSeek-V3",
    (measured_mfu * 100, price_base),
    xytext=(6, 6),
    textcoords="offset points",
    color="white",
    fontsize=8,
)
axh.grid(False)
axh.set_xlabel("MFU against the H800's dense BF16 peak (%)")
axh.set_ylabel("rental price (USD per H800 GPU-hour)")
axh.set_title("Training cost over MFU × price", loc="left")
fig.colorbar(im, ax=axh, label="training cost (million USD)")
fig.tight_layout()
FIGURES["cost_vs_mfu_and_price"] = fig
plt.show()

show(f"""At {fmt(price_base, "USD/GPU-hour")}, halving the measured MFU would have taken the bill from
{fmt(cost_at(), "USD")} to {fmt(cost_at(mfu=measured_mfu / 2), "USD")}. Across the cited price range
({fmt(price_lo, "USD/GPU-hour")} to {fmt(price_hi, "USD/GPU-hour")}) the same run costs
{fmt(cost_at(price_per_gpu_hour=price_lo), "USD")} to {fmt(cost_at(price_per_gpu_hour=price_hi), "USD")}.""")

# %% [markdown]
# ## Which assumption matters most?
#
# A tornado chart varies one input at a time from the low to the high end of a sourced range, the others held
# at DeepSeek-V3's values, and ranks the inputs by how far the cost swings. The ranges:
#
# - **rental price**: the range the calculator's declaration cites for H100-class rental in late 2024;
# - **MFU**: the BF16 MFU range Meta reports for Llama-3.1-405B on H100s, a peer run on the same silicon;
# - **share of the attention matrix counted**: a counting convention rather than a physical quantity, but a real
#   trap. DeepSeek's MFU counts the causal half of the attention matrix; the bar shows how far the estimate
#   moves if that same MFU is paired with the bare `6ND` rule (attention left out) or with the whole matrix
#   (Megatron's convention), as happens when an MFU figure is quoted without its convention;
# - **activated parameters**: from the site's own count of the weights one token multiplies by (the `params`
#   calculator, reading V3's `config.json`; the input embedding is a lookup, not a multiply) to the abstract's
#   rounded figure.

# %%
llama = tc.preset("llama-3.1-405b-compute").source
params = calculators.get("params")
counted_active = params.run(preset="deepseek-v3")["active_params"]
ranged = {
    "price_per_gpu_hour": (price_lo, price_base, price_hi),
    "mfu": (0.38, measured_mfu, 0.43),  # Llama 3 herd paper, Table 4: BF16 MFU 38-43%
    "causal_fraction": (0.0, base_inputs["causal_fraction"], 1.0),  # 6ND only ... whole attention matrix
    "active_params": (counted_active, base_inputs["active_params"], base_inputs["active_params"]),
}
range_sources = {
    "price_per_gpu_hour": cite(tc.input("price_per_gpu_hour").source),
    "mfu": cite(llama),
    "causal_fraction": cite(tc.input("causal_fraction").source),
    "active_params": cite(params.preset("deepseek-v3").source),
}
result = run_ranges(tc, ranged, fixed={k: v for k, v in base_inputs.items() if k not in ranged})
rows = result["sensitivity"]["cost_usd"]
span = result["ranges"]["cost_usd"]
units = {name: tc.input(name).unit for name in ranged}


def label(row):
    name = row["input"]
    lo, hi = fmt(row["input_low"], units[name]), fmt(row["input_high"], units[name])
    return plain(f"{tc.input(name).label}\n{lo} to {hi}")


fig, ax = plt.subplots(figsize=(7, 4.4))
base_cost = span["base"] / 1e6
for y, row in enumerate(reversed(rows)):  # largest swing on top
    lo, hi = row["output_at_low"] / 1e6, row["output_at_high"] / 1e6
    ax.barh(y, lo - base_cost, left=base_cost, color=PALETTE[0], height=0.6)
    ax.barh(y, hi - base_cost, left=base_cost, color=PALETTE[1], height=0.6)
    for value in (lo, hi):
        if abs(value - base_cost) > 1e-9:
            ax.annotate(
                plain(f"${value:.2f}M"),
                (value, y),
                xytext=(4 if value > base_cost else -4, 0),
                textcoords="offset points",
                ha="left" if value > base_cost else "right",
                va="center",
                fontsize=8,
            )
ax.set_yticks(range(len(rows)), [label(r) for r in reversed(rows)], fontsize=8)
ax.axvline(base_cost, color=INK, lw=0.8)
ax.set_xlabel("DeepSeek-V3 training cost, compute basis (million USD)")
ax.set_title("One input at a time, the others at DeepSeek-V3's values", loc="left", fontsize=10)
ax.legend(
    handles=[plt.Rectangle((0, 0), 1, 1, color=PALETTE[0]), plt.Rectangle((0, 0), 1, 1, color=PALETTE[1])],
    labels=["input at the low end of its range", "input at the high end"],
    fontsize=8,
    loc="lower right",
)
ax.grid(axis="y", visible=False)
lo_all, hi_all = span["low"] / 1e6, span["high"] / 1e6
ax.set_xlim(lo_all - 0.15 * (hi_all - lo_all), hi_all + 0.15 * (hi_all - lo_all))
fig.tight_layout()
FIGURES["tornado"] = fig
plt.show()

lines = "\n".join(
    f"{i}. {tc.input(r['input']).label}: {fmt(r['output_at_low'], 'USD')} to "
    f"{fmt(r['output_at_high'], 'USD')} (a swing of {fmt(r['swing'], 'USD')}); range from "
    f"[{range_sources[r['input']].title}]({range_sources[r['input']].url})"
    for i, r in enumerate(rows, 1)
)
leader = tc.input(rows[0]["input"]).label.lower()
show(f"""Ranked by swing around the base case of {fmt(span["base"], "USD")}:

{lines}

With every range at its worst or best end together, the estimate spans {fmt(span["low"], "USD")} to
{fmt(span["high"], "USD")}. The {leader} moves the answer more than anything else on the list.""")

# %% [markdown]
# ## What this does not cover
#
# This is the cost of the final training run at rental prices, as DeepSeek framed it. It leaves out the
# research and ablation runs before it, the staff, the data and the cost of owning the cluster; the full-bill
# notebook next to this one (`full-bill.py`) adds those up.
#
# ## Sources

# %%
show("\n".join(f"- [{s.title}]({s.url}), {s.where}" for s in USED_SOURCES.values()))
