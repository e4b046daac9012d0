"""Why R1 Was Cheap: every number on the site, as pure-Python calculators.

    >>> import calculators
    >>> calculators.get("training-cost").run({"gpu_hours": 2_788_000})["cost_usd"]
    5576000.0

The layout shows the architecture (README, "Layout"):

    core/     the framework: declarations, quantities (numbers that carry their working), validation, formatting
    models/   what the calculators share about models and hardware: GPUs, facts (data/facts.json), derivations
    catalog/  one module per calculator: a function and its declaration (CALCULATOR)
    page/     what the site's pages call: the worker's API table, charts, permalinks, exports, scenarios, forms
    data/     JSON with sources
    cli.py    the command line (python -m calculators)

Standard library only: CPython 3.11+ and Pyodide.
"""

from __future__ import annotations

from .catalog import discover
from .core import Calculator, Chart, Input, InputError, Output, Preset, Q, Source, fmt, fmt_plain, src

__all__ = [
    "Calculator",
    "Chart",
    "Input",
    "InputError",
    "Output",
    "Preset",
    "Q",
    "Source",
    "all",
    "fmt",
    "fmt_plain",
    "get",
    "src",
]
__version__ = "0.1.0"

_REGISTRY: dict[str, Calculator] | None = None


def all() -> dict[str, Calculator]:  # noqa: A001 - the natural name for "every calculator"
    """Every calculator in the catalog, in display order (catalog.ORDER)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = discover()
    return _REGISTRY


def get(name: str) -> Calculator:
    calcs = all()
    if name not in calcs:
        raise InputError("calculator", f"unknown calculator {name!r}; choose one of {', '.join(calcs)}")
    return calcs[name]
