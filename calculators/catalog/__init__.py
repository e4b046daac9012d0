"""The catalog: one module per calculator, each defining CALCULATOR (a core.Calculator).

Discovery imports every module here; ORDER is the display order (CLI listing, site navigation) and must name each
calculator exactly once (a test checks that it does).
"""

from __future__ import annotations

import importlib
import pkgutil

from ..core import Calculator

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
    "your-model",
)


def discover() -> dict[str, Calculator]:
    found: dict[str, Calculator] = {}
    for mod in pkgutil.iter_modules(__path__):
        calc = getattr(importlib.import_module(f"{__name__}.{mod.name}"), "CALCULATOR", None)
        if not isinstance(calc, Calculator):
            raise TypeError(f"calculators/catalog/{mod.name}.py defines no CALCULATOR")
        if calc.name in found:
            raise ValueError(f"two modules declare calculator {calc.name!r}")
        found[calc.name] = calc
    rank = {name: i for i, name in enumerate(ORDER)}
    return dict(sorted(found.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))
