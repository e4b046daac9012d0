"""Why R1 Was Cheap: every number on the site, as pure-Python calculators.

    >>> import calculators
    >>> calculators.get("training-cost").run({"gpu_hours": 2_788_000})["cost_usd"]
    5576000.0

Each module in this package that defines CALCULATOR (a core.Calculator) is one calculator; `calculators.all()`
lists them in the order of ORDER, then any others by name. Standard library only: CPython 3.11+ and Pyodide.
"""

from __future__ import annotations

import importlib
import pkgutil

from .core import Calculator, Chart, Input, InputError, Output, Preset, Source, Value, fmt, fmt_plain, src

__all__ = [
    "Calculator",
    "Chart",
    "Input",
    "InputError",
    "Output",
    "Preset",
    "Source",
    "Value",
    "all",
    "fmt",
    "fmt_plain",
    "get",
    "src",
]
__version__ = "0.1.0"

# Display order (CLI listing, site navigation); calculators not named here follow alphabetically.
ORDER = (
    "params",
    "kv-cache",
    "training-cost",
    "rl-cost",
    "fp8",
    "communication",
    "mtp",
    "rl-methods",
    "distill",
    "serving",
    "full-bill",
    "attribution",
)

_REGISTRY: dict[str, Calculator] | None = None


def _discover() -> dict[str, Calculator]:
    found: dict[str, Calculator] = {}
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("_") or mod.name in ("core", "cli", "web", "ranges"):
            continue
        calc = getattr(importlib.import_module(f"{__name__}.{mod.name}"), "CALCULATOR", None)
        if isinstance(calc, Calculator):
            if calc.name in found:
                raise ValueError(f"two modules declare calculator {calc.name!r}")
            found[calc.name] = calc
    rank = {name: i for i, name in enumerate(ORDER)}
    return dict(sorted(found.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


def all() -> dict[str, Calculator]:  # noqa: A001 - the natural name for "every calculator"
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _discover()
    return _REGISTRY


def get(name: str) -> Calculator:
    calcs = all()
    if name not in calcs:
        raise InputError("calculator", f"unknown calculator {name!r}; choose one of {', '.join(calcs)}")
    return calcs[name]
