"""Formatting: the only place numbers become text, on the CLI, in the static HTML and in the live widget alike.

fmt(x, unit) writes a result for people (4 significant digits, SI or count prefixes, the unit explicit);
term(x, unit) writes a number inside a working ("2,788,000 GPU-hours × $2 per GPU-hour"), a little more exactly;
fmt_plain(x) writes a number as a person types it.
"""

from __future__ import annotations

import math


def fmt_plain(x: float) -> str:
    """A number as a person types it: 2788000 -> '2,788,000'; 0.35 -> '0.35'; 3.29e24 -> '3.29e24'."""
    if x is None:
        return "none"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if abs(x) >= 1e15 or (0 < abs(x) < 1e-4):
        m, e = f"{x:.3e}".split("e")
        return f"{m.rstrip('0').rstrip('.')}e{int(e)}"
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _sig(x: float, digits: int = 4) -> str:
    s = f"{x:,.{digits}g}"
    if "e" in s:  # very small numbers: keep the plain form
        return fmt_plain(x)
    return s


_SI = ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
_COUNT = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _scaled(x: float, scales, digits: int = 4) -> tuple[str, str]:
    for factor, prefix in scales:
        if abs(x) >= factor:
            return _sig(x / factor, digits), prefix
    return _sig(x, digits), ""


def fmt(x: float, unit: str) -> str:
    """Format a raw number in base units for people, keeping the unit explicit."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if unit == "USD":
        if abs(x) >= 1e9:
            return f"${x / 1e9:,.3g} billion"
        if abs(x) >= 1e6:
            return f"${x / 1e6:,.4g} million" if abs(x) < 1e8 else f"${x / 1e6:,.0f} million"
        return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"
    if unit in ("USD/GPU-hour", "USD per GPU-hour"):
        return f"${x:,.2f} per GPU-hour"
    if unit in ("USD/M tokens", "USD per million tokens"):
        return f"${x:,.3g} per million tokens" if x < 100 else f"${x:,.0f} per million tokens"
    if unit == "fraction":
        return f"{x * 100:.3g}%"
    if unit == "ratio":
        return f"{x:,.0f}×" if abs(x) >= 1000 else f"{x:,.3g}×"
    if unit == "bytes":
        if abs(x) < 1e3:
            return f"{fmt_plain(x)} B"
        if abs(x) < 1e7:  # exact bytes are worth showing up to megabytes: 70,272 B (68.62 KiB)
            return f"{fmt_plain(round(x))} B ({_binary(x)})"
        s, p = _scaled(x, _SI)
        return f"{s} {p}B ({_binary(x)})"
    if unit == "bytes/s":  # a bandwidth: 50 GB/s, 400 GB/s (decimal prefixes, as bandwidths are quoted)
        s, p = _scaled(x, _SI)
        return f"{s} {p}B/s"
    if unit == "FLOP":
        m, e = f"{x:.3e}".split("e")
        return f"{m}e{int(e)} FLOP" if abs(x) >= 1e6 else f"{fmt_plain(x)} FLOP"
    if unit == "FLOP/s":
        s, p = _scaled(x, _SI)
        return f"{s} {p}FLOP/s"
    if unit in ("parameters", "params"):
        s, p = _scaled(x, _COUNT)
        return f"{s}{p} parameters" if p else f"{s} parameters"
    if unit == "tokens":
        s, p = _scaled(x, _COUNT)
        return f"{s}{p} tokens" if p else f"{s} tokens"
    if unit == "GPU-hours":
        return f"{fmt_plain(round(x)) if abs(x) >= 100 else _sig(x)} GPU-hours"
    if unit in ("hours", "days", "GPUs", "seconds", "steps", "nodes", "years"):
        shown = _sig(x) if not float(x).is_integer() else fmt_plain(x)
        return f"{shown} {unit[:-1] if shown == '1' else unit}"
    if unit:
        return f"{_sig(x)} {unit}"
    return _sig(x)


def _binary(x: float) -> str:
    for factor, prefix in ((2**50, "Pi"), (2**40, "Ti"), (2**30, "Gi"), (2**20, "Mi"), (2**10, "Ki")):
        if abs(x) >= factor:
            return f"{_sig(x / factor)} {prefix}B"
    return f"{fmt_plain(x)} B"


# Units whose numbers read best bare inside a working: "(192 + 128)", not "(192 dimensions + 128 dimensions)".
QUIET_UNITS = frozenset({"", "dimensions", "elements", "count"})
_PLURAL_UNITS = frozenset({"hours", "days", "GPUs", "seconds", "steps", "nodes", "years", "layers", "heads", "experts",
                           "tokens", "samples", "epochs", "copies", "models", "modules", "questions", "rollouts",
                           "sequences", "groups", "SMs", "GPU-hours", "node-hours", "parameters"})  # fmt: skip


def term(x: float, unit: str) -> str:
    """A number as it appears inside a working, with its unit: exact enough to follow the arithmetic."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return "—"
    if unit in QUIET_UNITS:
        return fmt_plain(x)
    if unit == "USD":
        return fmt(x, unit) if abs(x) >= 1e6 else f"${fmt_plain(x)}"
    if unit in ("USD/GPU-hour", "USD per GPU-hour"):
        return f"${fmt_plain(x)} per GPU-hour"
    if unit in ("USD/M tokens", "USD per million tokens"):
        return f"${fmt_plain(x)} per million tokens"
    if unit == "fraction":
        return f"{_sig(x * 100, 4)}%"
    if unit == "ratio":
        return f"{_sig(x, 4)}×"
    if unit in ("parameters", "params", "tokens", "FLOP", "FLOP/s") and abs(x) >= 1e6:
        return fmt(x, unit)
    if unit == "bytes":
        return fmt(x, unit).split(" (")[0]
    if unit == "bytes/s":
        return fmt(x, unit)
    shown = fmt_plain(x)
    if shown == "1" and unit in _PLURAL_UNITS:
        unit = unit[:-1]
    return f"{shown} {unit}"
