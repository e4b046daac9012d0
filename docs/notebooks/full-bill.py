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
# # From R1's headline to the full bill
#
# The famous figure for DeepSeek-R1 is the cost of one stage: the reinforcement learning that turned
# DeepSeek-V3-Base into R1, priced at an assumed rental rate. It sits on top of V3's own training run, which was
# priced the same way and which in turn leaves out the research before it, the people, the data and the
# GPUs themselves. This notebook stacks those pieces up, one step at a time, as a waterfall.
#
# The first steps are DeepSeek's published GPU-hours at DeepSeek's own price assumption. **Every step after them
# is an estimate**, drawn in a different style, with a whisker for the range the calculator's declaration cites.
# Every number comes from the site's `full-bill` calculator; none is typed in by hand.
#
# Run it yourself wherever the calculators are installed (`pip install .` in a clone of the repository; they
# need nothing but the standard library): open this file in Jupyter with
# [jupytext](https://jupytext.readthedocs.io), or run it as a script, `python full-bill.py`.

# %%
import calculators
from calculators import fmt
from calculators.core.ranges import declared_ranges, run_ranges

# %%
import re
import textwrap

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


fb = calculators.get("full-bill")
RANGES = declared_ranges(fb)  # the uncertainty ranges the declaration cites, around its defaults
USED_SOURCES = {}  # every source this page relies on, listed at the end


def cite(source):
    USED_SOURCES.setdefault((source.id, source.where), source)
    return source


for i in fb.inputs:
    cite(i.source)

STEPS = [o.name.removeprefix("step_").removesuffix("_usd") for o in fb.outputs if o.name.startswith("step_")]


def step_label(key):
    return fb.output(f"step_{key}_usd").label


def is_estimate(key):
    return "estimat" in step_label(key)  # "(estimate)", "(not estimated unless entered)"


def short(key):
    """The step's label without its parenthesis, for an axis."""
    return step_label(key).split(" (")[0]


def millions(x):
    return x / 1e6


def tidy(text):
    """Small fixes to generated prose: "1 years" -> "1 year"."""
    return re.sub(r"(?<![\d.,])1 years", "1 year", text)


def times(x):
    """A ratio such as 10.1×; from a thousand up, written out (1,234×) rather than as a power of ten."""
    return fmt(x, "ratio") if x < 1000 else f"{x:,.0f}×"


# %% [markdown]
# ## The assumptions behind the estimates
#
# Each estimated step rests on an input with a cited default and a cited range. The table is generated from
# the calculator's declaration, so it always matches the numbers below.

# %%
rows = []
for i in fb.numeric_inputs():
    if i.name in RANGES:
        lo, base, hi = RANGES[i.name]
        rows.append(
            f"| {i.label} | {fmt(base, i.unit)} | {fmt(lo, i.unit)} to {fmt(hi, i.unit)} | "
            f"[{i.source.title}]({i.source.url}) |"
        )
show(tidy("| input | default | range | source |\n|---|---|---|---|\n" + "\n".join(rows)))

# %% [markdown]
# ## The waterfall
#
# Left: everything at rental prices, as DeepSeek priced its own figures, plus research compute and staff. Right:
# the same bill if the GPUs are owned rather than rented. Following Cottier et al. (2024), an owner charges a model
# for the GPU-hours it used, at the owner's cost per GPU-hour: the fleet's capital cost spread over its life plus
# its operating cost, divided by the fleet's working hours. That replaces the rental-priced compute (the step is
# the difference, negative when owning is cheaper). The fleet as a whole, which also serves trading, inference and
# other research, is the company's spend, shown below for scale and not charged to the models.

# %%
rented = fb.run(preset="rented-full")
owned = fb.run(preset="owned-fleet")
rented_ranges = run_ranges(fb, RANGES, preset="rented-full")
owned_ranges = run_ranges(fb, RANGES, preset="owned-fleet")

PUBLISHED, ESTIMATE, TOTAL = PALETTE[0], PALETTE[1], PALETTE[4]


def bar(ax, x, bottom, height, kind):
    style = {
        "published": {"color": PUBLISHED},
        "estimate": {
            "facecolor": (*plt.matplotlib.colors.to_rgb(ESTIMATE), 0.35),
            "edgecolor": ESTIMATE,
            "hatch": "///",
            "linewidth": 1,
        },
        "total": {"color": TOTAL},
    }[kind]
    ax.bar(x, millions(height), bottom=millions(bottom), width=0.7, **style)


def whisker(ax, x, low, high):
    ax.plot([x, x], [millions(low), millions(high)], color=INK, lw=1.2)
    for y in (low, high):
        ax.plot([x - 0.12, x + 0.12], [millions(y)] * 2, color=INK, lw=1.2)


def value_label(ax, x, y, value, estimate=False, size=7):
    text = fmt(value, "USD") + ("\nestimate" if estimate else "")
    ax.annotate(
        plain(text),
        (x, millions(y)),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=size,
    )


fig, (ax, ax2) = plt.subplots(2, 1, figsize=(7, 10.5), gridspec_kw={"height_ratios": [1.7, 1]})

# Left: from R1's RL stage to everything at rental prices.
ticks, x, previous = [], 0, 0.0
published_bars = []  # (x, bottom, height, kind) of the published part, redrawn enlarged in an inset
for key in STEPS:
    if key == "hardware":
        continue  # zero when renting; the right panel shows it
    if key == "research":  # the published figures end here: a subtotal bar
        bar(ax, x, 0, rented["published_total_usd"], "total")
        published_bars.append((x, 0, rented["published_total_usd"], "total"))
        ticks.append(fb.output("published_total_usd").label)
        x += 1
    step, cum = rented[f"step_{key}_usd"], rented[f"cum_{key}_usd"]
    estimate = is_estimate(key)
    bar(ax, x, previous, step, "estimate" if estimate else "published")
    if estimate and step > 0:
        r = rented_ranges["ranges"][f"step_{key}_usd"]
        whisker(ax, x, previous + r["low"], previous + r["high"])
        value_label(ax, x, previous + r["high"], step, estimate=True)
    elif estimate:
        ax.annotate(
            "not estimated:\nno source\nprices it",
            (x, millions(cum)),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
        )
    else:
        published_bars.append((x, previous, step, "published"))
    ticks.append(short(key))
    previous, x = cum, x + 1
bar(ax, x, 0, rented["total_cost_usd"], "total")
r = rented_ranges["ranges"]["total_cost_usd"]
whisker(ax, x, r["low"], r["high"])
value_label(ax, x, r["high"], rented["total_cost_usd"], estimate=True)
ticks.append("Total at rental prices")
ax.set_xticks(
    range(len(ticks)),
    [textwrap.fill(t, 11, break_on_hyphens=False, break_long_words=False) for t in ticks],
    fontsize=7.5,
)
ax.set_ylabel("cumulative cost (million USD)")
ax.set_title("Renting: from R1's RL stage to research and staff", loc="left", fontsize=10)
ax.grid(axis="x", visible=False)
fig.legend(
    handles=[
        plt.Rectangle((0, 0), 1, 1, color=PUBLISHED),
        plt.Rectangle(
            (0, 0), 1, 1, facecolor=(*plt.matplotlib.colors.to_rgb(ESTIMATE), 0.35), edgecolor=ESTIMATE, hatch="///"
        ),
        plt.Rectangle((0, 0), 1, 1, color=TOTAL),
        plt.Line2D([], [], color=INK, lw=1.2),
    ],
    labels=["published by DeepSeek", "estimate", "total", "range of the estimate"],
    fontsize=8,
    loc="lower center",
    ncols=4,
)

# The published bills are small on this scale: the same bars, enlarged.
inset = ax.inset_axes([0.04, 0.36, 0.5, 0.5])
inset.set_facecolor((0.5, 0.5, 0.5, 0.08))  # set apart from the chart behind it, in light and dark
for bx, bottom, height, kind in published_bars:
    bar(inset, bx, bottom, height, kind)
    value_label(inset, bx, bottom + height, height, size=6.5)
inset.set_xticks([b[0] for b in published_bars], [])
inset.set_ylim(0, millions(rented["published_total_usd"]) * 1.3)
inset.set_title("the published bills, enlarged (million USD)", fontsize=7.5, loc="left")
inset.tick_params(labelsize=7)
inset.grid(axis="x", visible=False)

# Right: the GPU-hours at the owner's cost instead of the rent.
start = owned["cum_data_usd"]
bar(ax2, 0, 0, start, "total")
r = owned_ranges["ranges"]["cum_data_usd"]
whisker(ax2, 0, r["low"], r["high"])
value_label(ax2, 0, r["high"], start, estimate=True)
step = owned["step_hardware_usd"]
bar(ax2, 1, start, step, "estimate")
r = owned_ranges["ranges"]["step_hardware_usd"]
whisker(ax2, 1, start + r["low"], start + r["high"])
value_label(ax2, 1, start + r["high"], step, estimate=True)
bar(ax2, 2, 0, owned["total_cost_usd"], "total")
r = owned_ranges["ranges"]["total_cost_usd"]
whisker(ax2, 2, r["low"], r["high"])
value_label(ax2, 2, r["high"], owned["total_cost_usd"], estimate=True)
ax2.set_xticks(
    [0, 1, 2], ["At rental\nprices", "Owner's cost\ninstead of\nrent", "Total with\nowned GPUs"], fontsize=7.5
)
ax2.set_ylabel("cumulative cost (million USD)")
ax2.set_title("Owning the GPUs", loc="left", fontsize=10)
ax2.grid(axis="x", visible=False)
fig.tight_layout(rect=(0, 0.05, 1, 1))
FIGURES["waterfall"] = fig
plt.show()

# %% [markdown]
# ## How far the headline is from the bill

# %%
years = fb.input("years")
show(
    tidy(f"""- R1's headline, its cost table: **{fmt(rented["headline_r1_usd"], "USD")}** (R1-Zero, the SFT data, R1),
  which is
  {fmt(rented["r1_share_of_published"], "fraction")} of the two published bills together
  ({fmt(rented["published_total_usd"], "USD")}).
- Everything at rental prices, with research compute and staff (estimate): **{fmt(rented["total_cost_usd"], "USD")}**,
  range {fmt(rented_ranges["ranges"]["total_cost_usd"]["low"], "USD")} to
  {fmt(rented_ranges["ranges"]["total_cost_usd"]["high"], "USD")}: {times(rented["ratio_to_r1_headline"])}
  R1's headline and {times(rented["ratio_to_v3_headline"])} V3's.
- With owned GPUs, every GPU-hour at the owner's {fmt(owned["owner_cost_per_gpu_hour"], "USD/GPU-hour")}
  (estimate): **{fmt(owned["total_cost_usd"], "USD")}**, range
  {fmt(owned_ranges["ranges"]["total_cost_usd"]["low"], "USD")} to
  {fmt(owned_ranges["ranges"]["total_cost_usd"]["high"], "USD")}: {times(owned["ratio_to_r1_headline"])}
  R1's headline and {times(owned["ratio_to_v3_headline"])} V3's.
- For scale, not a model's cost: the whole fleet, shared with trading and inference, cost the company about
  {fmt(owned["company_fleet_spend_usd"], "USD")} over {fmt(years.default, "years")} (analysts' estimate); the
  GPU-hours counted above are {fmt(owned["fleet_share_used"], "fraction")} of one year of it.""")
)

# %% [markdown]
# Which assumptions move the owned-GPU estimate most? The ranking varies one input at a time across
# its cited range, the others at their defaults.

# %%
lines = "\n".join(
    f"{n}. {fb.input(r['input']).label}: {fmt(r['input_low'], fb.input(r['input']).unit)} to "
    f"{fmt(r['input_high'], fb.input(r['input']).unit)} moves the total from {fmt(r['output_at_low'], 'USD')} to "
    f"{fmt(r['output_at_high'], 'USD')}"
    for n, r in enumerate(owned_ranges["sensitivity"]["total_cost_usd"], 1)
    if r["swing"] > 0
)
show(tidy(lines))

# %% [markdown]
# The estimates are wide because the inputs are: staff pay is a posted salary band, and the fleet's size and cost
# are an analyst's disputed estimates. What the
# waterfall does show robustly is the order of magnitude. The headline numbers are real and reproducible, but
# they are the marginal cost of the last runs, not the cost of building the capability.
#
# Not included at all: serving the models, electricity beyond the analysts' operating cost, and the
# smaller-scale experiments on A100s that preceded R1.
#
# ## Sources

# %%
show("\n".join(f"- [{s.title}]({s.url}), {s.where}" for s in USED_SOURCES.values()))
