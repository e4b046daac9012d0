"""Chart axes and the texts on them: ticks at round numbers, axis titles, category labels, signed amounts.

Used by page/charts.py; every tick's text is written here, so a chart never formats a number in JavaScript.
"""

from __future__ import annotations

import math
import textwrap

from ..core import Input, InputError, fmt, fmt_plain

SWEEP_POINTS = 24
MAX_TICKS = 8
LABEL_WIDTH = 30  # characters per line of a category label (tornado rows, waterfall steps)


# --------------------------------------------------------------------------------------------------------------------
# Texts


def amount_text(x: float, unit: str) -> str:
    """core.fmt with a proper minus sign in front of the unit ("−$1.2 million", not "$-1.2 million")."""
    if x < 0:
        return "−" + fmt(-x, unit)
    if x == 0 and unit == "USD":
        return "$0"
    text = fmt(x, unit)
    if unit.endswith("s") and text == "1 " + unit:  # "1 token", as core.fmt already does for hours and days
        return text[:-1]
    return text


# Units that an axis title states once, so that the ticks can show bare numbers ("1K", not "1K tokens").
_WORD_UNITS = (
    "tokens",
    "parameters",
    "params",
    "GPU-hours",
    "hours",
    "days",
    "GPUs",
    "seconds",
    "steps",
    "nodes",
    "years",
    "people",
    "layers",
    "heads",
    "elements",
    "sequences",
    "groups",
    "GB",
)


def tick_text(x: float, unit: str) -> str:
    """A tick's text: the formatted number, short (no binary units in brackets, no repeated unit words)."""
    if x == 0:
        return "$0" if unit == "USD" else "0"
    if unit == "bytes" and abs(x) >= 1e3:  # ticks are round numbers: "1 MB", not core.fmt's exact "1,000,000 B"
        for factor, prefix in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
            if abs(x) >= factor:
                return f"{fmt_plain(x / factor)} {prefix}B"
    text = amount_text(x, unit).split(" (")[0]
    for word in (unit, unit[:-1] if unit.endswith("s") else None):
        if word and unit in _WORD_UNITS and text.endswith(" " + word):
            return text[: -len(word) - 1]
    return text


def axis_title(label: str, unit: str) -> str:
    if not unit or unit in ("USD", "bytes", "fraction", "ratio"):
        return label
    return f"{label} ({unit})"


def label_lines(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_WIDTH) or [label]


# --------------------------------------------------------------------------------------------------------------------
# Axes


def clean(x: float) -> float:
    """Round away binary noise (0.30000000000000004 -> 0.3) so ticks land on the numbers their texts show."""
    return float(f"{x:.12g}")


def linear_axis(lo: float, hi: float, unit: str) -> dict:
    """A linear axis from about lo to hi: min, max and ticks at 1, 2, 2.5 or 5 × a power of ten."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError("chart", "the chart's values are not finite numbers")
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = (lo - pad if lo < 0 else (0.0 if lo > 0 else lo)), hi + pad
    raw = (hi - lo) / (MAX_TICKS - 2)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-12))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    ticks = [clean(k * step) for k in range(first, last + 1)]
    return {
        "scale": "linear",
        "min": ticks[0],
        "max": ticks[-1],
        "ticks": [{"value": t, "text": tick_text(t, unit)} for t in ticks],
    }


def log_axis(lo: float, hi: float, unit: str) -> dict:
    """A logarithmic axis: min and max at powers of ten around lo and hi, ticks at (every few) powers of ten."""
    first, last = math.floor(math.log10(lo) + 1e-9), math.ceil(math.log10(hi) - 1e-9)
    if last == first:
        last += 1
    every = max(1, math.ceil((last - first + 1) / MAX_TICKS))
    last = first + every * math.ceil((last - first) / every)  # the top of the axis carries a tick
    ticks = [clean(10.0**k) for k in range(first, last + 1) if (k - first) % every == 0]
    return {
        "scale": "logarithmic",
        "min": clean(10.0**first),
        "max": clean(10.0**last),
        "ticks": [{"value": t, "text": tick_text(t, unit)} for t in ticks],
    }


def value_axis(values: list[float], unit: str, allow_log: bool) -> dict:
    lo, hi = min(values), max(values)
    if allow_log and lo > 0 and hi / lo >= 100:
        return log_axis(lo, hi, unit)
    return linear_axis(lo, hi, unit)


def sweep_points(inp: Input, n: int = SWEEP_POINTS) -> tuple[list[float], bool]:
    """n points from the input's min to its max, log-spaced when max ÷ min ≥ 100; whole numbers for int inputs."""
    lo, hi = inp.min, inp.max
    log = lo > 0 and hi / lo >= 100
    if log:
        a, b = math.log10(lo), math.log10(hi)
        xs = [10 ** (a + (b - a) * k / (n - 1)) for k in range(n)]
    else:
        xs = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
    xs[0], xs[-1] = lo, hi
    if inp.type == "int":
        xs = [int(round(x)) for x in xs]
    else:
        xs = [clean(x) for x in xs]
    return sorted(set(xs)), log
