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
# # KV cache against context length: MLA, GQA and MHA
#
# To generate each new token, a transformer reads back a key and a value for every earlier token in every
# layer: the KV cache. It grows linearly with the context, and at long contexts it, not the weights, decides how
# many requests a GPU can serve at once. DeepSeek-V2 and V3 replace it with multi-head latent attention (MLA),
# which caches one small compressed latent per token and layer instead of a key and a value per head.
#
# This notebook compares four attention designs over context lengths up to V3's extended context: MLA in
# DeepSeek-V3, grouped-query attention (GQA) in Llama-3.1-405B and Qwen2.5-72B, and plain multi-head attention
# (MHA) in a hypothetical DeepSeek-V3 whose every head keeps its own key and value. Then it asks how many
# tokens of cache one H800 can hold once the model's weights are loaded.
#
# Every number is computed by the site's `calculators` package (the `kv-cache` and `params` calculators);
# none is typed in by hand.
#
# Run it yourself wherever the calculators are installed (`pip install .` in a clone of the repository; they
# need nothing but the standard library): open this file in Jupyter with
# [jupytext](https://jupytext.readthedocs.io), or run it as a script, `python kv-cache-context.py`.

# %%
import calculators
from calculators import fmt, fmt_plain

# %%
import math

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

kv = calculators.get("kv-cache")
params = calculators.get("params")
USED_SOURCES = {}  # every source this page relies on, listed at the end


def cite(source):
    USED_SOURCES.setdefault((source.id, source.where), source)
    return source


def size(x):
    """Bytes as the calculators format them, without the binary-unit aside: "41.94 GB"."""
    return fmt(x, "bytes").split(" (")[0]


def decimal_bytes(x, _pos=None):
    """Axis ticks in decimal units (1 GB = 1e9 bytes, as the calculators count GPU memory)."""
    for factor, unit in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if x >= factor:
            return f"{x / factor:g} {unit}"
    return f"{x:g} B"


# %% [markdown]
# ## Bytes per token
#
# The models, as the calculators' presets describe them (each preset reads the model's published
# `config.json`). The cache is counted in BF16, two bytes per element, as DeepSeek's own comparison does; the MHA
# variant keeps V3's layers, heads and head size.

# %%
MODELS = [  # label, kv-cache preset and overrides, params preset, line style
    ("DeepSeek-V3, MLA", "deepseek-v3", {}, "deepseek-v3", "-"),
    ("Qwen2.5-72B, GQA", "qwen2.5-72b", {}, "qwen2.5-72b", "--"),
    ("Llama-3.1-405B, GQA", "llama-3.1-405b", {}, "llama-3.1-405b", "-."),
    ("DeepSeek-V3 with MHA (hypothetical)", "deepseek-v3", {"attention": "mha"}, "deepseek-v3", ":"),
]
for _, kv_preset, _, params_preset, _ in MODELS:
    cite(kv.preset(kv_preset).source)
    cite(params.preset(params_preset).source)
for name in ("attention", "bytes_per_element", "context_length", "hbm_gb"):
    cite(kv.input(name).source)

per_token = {label: kv.run(extra, preset=p) for label, p, extra, _, _ in MODELS}
rows = "\n".join(
    f"| {label} | {fmt(r['kv_cache_bytes_per_token'], 'bytes')} | {fmt(r['reduction_vs_mha'], 'fraction')} | "
    f"{r['equivalent_gqa_groups']:.3g} | {size(r['kv_cache_bytes'])} |"
    for label, r in per_token.items()
)
context = kv.input("context_length").default
show(f"""| model | KV cache per token | saving against MHA | equivalent GQA key/value heads | \
 one {fmt_plain(context)}-token sequence |
|---|---|---|---|---|
{rows}""")

# %% [markdown]
# MLA's saving comes from what it stores: per layer, one compressed latent plus one small shared positional
# key, instead of a key and a value for each of the heads. GQA saves by sharing each key/value head among a group
# of query heads. Across the same layers and heads, MLA caches about as much as a GQA model with only a
# couple of key/value heads would, which is what the "equivalent GQA heads" column says.
#
# ## Cache size against context length
#
# The cache for one sequence grows linearly with its length, so on log-log axes every model is a straight line
# of the same slope and only the height differs. The dashed line is the whole memory of one H800.

# %%
top = kv.input("context_length").default
contexts = [2**k for k in range(10, 64) if 2**k <= top]  # 1K tokens up to V3's extended context
hbm_gb = kv.input("hbm_gb").default

fig, ax = plt.subplots(figsize=(7, 4.6))
for label, p, extra, _, style in MODELS:
    sizes = [kv.run({**extra, "context_length": c}, preset=p)["kv_cache_bytes"] for c in contexts]
    ax.plot(contexts, sizes, style, marker="o", ms=3, label=label)
ax.axhline(hbm_gb * 1e9, color=INK, lw=0.9, ls="--")
ax.annotate(
    f"one H800: {hbm_gb:g} GB of HBM",
    (contexts[0], hbm_gb * 1e9),
    xytext=(2, 3),
    textcoords="offset points",
    fontsize=8,
    va="bottom",
)
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x / 1024:g}K"))
ax.yaxis.set_major_formatter(plt.FuncFormatter(decimal_bytes))
ax.set_xlabel("context length (tokens, K = 1,024)")
ax.set_ylabel("KV cache for one sequence (bytes, log scale)")
ax.set_title("KV cache per sequence, BF16, all layers", loc="left")
handles, names = ax.get_legend_handles_labels()
ax.legend(handles[::-1], names[::-1], fontsize=8, loc="lower right")  # in the order of the lines
fig.tight_layout()
FIGURES["kv_cache_vs_context"] = fig
plt.show()

v3, mha = per_token["DeepSeek-V3, MLA"], per_token["DeepSeek-V3 with MHA (hypothetical)"]
show(f"""At {fmt_plain(top)} tokens, one DeepSeek-V3 sequence caches {fmt(v3["kv_cache_bytes"], "bytes")}; the
same model with MHA would cache {fmt(mha["kv_cache_bytes"], "bytes")}, more than one H800 holds.""")

# %% [markdown]
# ## How many tokens fit on one H800 after the weights?
#
# The cache shares the GPU with the model. To compare like with like, the assumptions are:
#
# - **the same hardware for every model**: the smallest number of whole H800 nodes, as DeepSeek deploys them,
#   that holds DeepSeek-V3's weights, with each model's weights spread evenly over all of its GPUs;
# - **FP8 weights, one byte per parameter**, for every model (DeepSeek released V3's weights in FP8; FP8
#   versions of the others exist too), counting every weight in the `params` calculator's total, without V3's
#   multi-token-prediction module (which inference can drop);
# - **the hypothetical MHA variant keeps V3's weights** (its full per-head key and value projections would add
#   some weights; they are left out here);
# - **everything else on the GPU goes to the cache**, kept in BF16 and spread evenly over the GPUs with no
#   copies. This is an upper bound: real servers reserve memory for activations and the runtime, and some
#   parallel layouts keep copies (MLA's latent is shared by all heads, so splitting heads across GPUs copies
#   it to each).

# %%
gpus_per_node = calculators.get("serving").input("gpus_per_node")
cite(gpus_per_node.source)
BYTES_PER_WEIGHT = 1  # FP8
cite(
    calculators.src(
        'deepseek-v3-weights: FP8 Weight Documentation, "DeepSeek-V3 natively supports FP8 weight '
        'format with 128x128 block scaling"'
    )
)
hbm_bytes = hbm_gb * 1e9
v3_weight_bytes = params.run(preset="deepseek-v3")["total_params"] * BYTES_PER_WEIGHT
nodes = math.ceil(v3_weight_bytes / (gpus_per_node.default * hbm_bytes))
gpus = nodes * gpus_per_node.default

fit = {}
for label, p, extra, params_preset, _ in MODELS:
    weights = params.run(preset=params_preset)["total_params"] * BYTES_PER_WEIGHT
    free_gb = (hbm_bytes - weights / gpus) / 1e9
    after = kv.run({**extra, "hbm_gb": free_gb}, preset=p)
    whole = kv.run(extra, preset=p)
    fit[label] = {
        "weights_per_gpu": weights / gpus,
        "free_gb": free_gb,
        "tokens": after["tokens_in_hbm"],
        "sequences": after["sequences_in_hbm"],
        "tokens_whole_gpu": whole["tokens_in_hbm"],
    }

show(f"""DeepSeek-V3's weights take {fmt(v3_weight_bytes, "bytes")}, so the smallest deployment is {nodes} nodes of
{gpus_per_node.default} H800s: {gpus} GPUs with {fmt(gpus * hbm_bytes, "bytes")} of HBM between them.""")

fig, ax = plt.subplots(figsize=(7, 4))
labels = list(fit)
ys = range(len(labels))
ax.barh(
    ys,
    [fit[name]["tokens_whole_gpu"] for name in labels],
    height=0.6,
    color=PALETTE[4],
    alpha=0.35,
    label=f"if the cache had all {hbm_gb:g} GB",
)
ax.barh(
    ys,
    [fit[name]["tokens"] for name in labels],
    height=0.6,
    color=PALETTE[0],
    label=f"after each model's weights (spread over {gpus} GPUs)",
)
for y, name in zip(ys, labels, strict=True):
    ax.annotate(
        fmt(fit[name]["tokens"], "tokens"),
        (fit[name]["tokens"], y),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        fontsize=8,
    )
ax.set_yticks(list(ys), labels, fontsize=8)
ax.invert_yaxis()
ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: fmt(x, "tokens").removesuffix(" tokens")))
ax.set_xlabel("KV cache that fits on one H800 (tokens)")
ax.set_title("Context one GPU can hold, BF16 cache", loc="left")
ax.grid(axis="y", visible=False)
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
FIGURES["tokens_per_h800"] = fig
plt.show()

rows = "\n".join(
    f"| {name} | {size(f['weights_per_gpu'])} | {size(f['free_gb'] * 1e9)} | "
    f"{fmt(f['tokens'], 'tokens')} | {f['sequences']:.3g} |"
    for name, f in fit.items()
)
show(f"""| model | weights per GPU | left for the cache | tokens that fit | full {fmt_plain(top)}-token sequences |
|---|---|---|---|---|
{rows}""")

# %% [markdown]
# V3 has the largest weights per GPU of the three real models and still holds the most context, because each
# token costs it so little. The MHA variant shows what MLA is worth: with the same weights, a GPU would hold
# well under one full-length sequence. Fewer bytes per token means more sequences decoded together on each GPU,
# and so more tokens for each GPU-hour: one of the reasons serving V3 and R1 is cheap.
#
# ## Sources

# %%
show("\n".join(f"- [{s.title}]({s.url}), {s.where}" for s in USED_SOURCES.values()))
