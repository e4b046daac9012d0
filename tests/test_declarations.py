"""Properties every calculator's declaration and function must have, checked over all of them (tests/checks.py).

Each property is a function check_xxx(calc) that raises AssertionError on a violation. It is applied to every real
calculator, and, in the test after it, to a deliberately broken calculator built with calculators.core, which the
check must reject: a check that the broken calculator passed could not fail.

- the declaration says what the constructors do not check (names, sources, choices, CLI flags, unique outputs);
- every number carries a unit from the site's list, and its formatted text shows it;
- in-bounds inputs give finite outputs: a refusal must be a cross-field InputError naming an input, never the
  InputError evaluate() raises for an output that came back inf or NaN, nor any other exception;
- every error names the field and what is allowed; counts are never negative and fractions stay in [0, 1];
- the same inputs give the same outputs; every input changes something; monotonic where it must be (a table of
  pairs below, each with the reason); the declared ranges bound every point inside them.
"""

from __future__ import annotations

import math
import random

import pytest
from checks import (
    ABOVE_ONE,
    NOT_MONOTONIC,
    SIGNED,
    check_declaration,
    check_deterministic,
    check_errors_name_the_field,
    check_every_input_matters,
    check_finite_outputs,
    check_monotonic,
    check_outputs_in_range,
    check_ranges_bound_the_box,
    check_units,
    double,
    number,
    typed,
)

import calculators
from calculators import Input, InputError, Output, Preset, Q, Source
from calculators.core.ranges import declared_ranges

CALCS = list(calculators.all().values())
IDS = [c.name for c in CALCS]
SRC = Source("deepseek-v3", "Table 1 (a test double)")


def test_the_core_calculators_exist():
    for name in ("params", "kv-cache", "training-cost", "rl-cost"):
        assert name in calculators.all(), f"calculator {name} is missing"


def cost(gpu_hours, price_per_gpu_hour):
    return {"cost_usd": gpu_hours * price_per_gpu_hour}


HOURS = number("gpu_hours", 2_788_000, 0, 1e10)
PRICE = number("price_per_gpu_hour", 2.0, 0, 1000, unit="USD/GPU-hour", range=(1.5, 3.5))
COST = (Output("cost_usd", "Cost", "USD"),)


def test_a_sound_double_passes_every_check():
    """The doubles below differ from this one by one flaw each; this one passes every check."""
    calc = double(cost, (HOURS, PRICE), COST)
    for check in (
        check_declaration,
        check_units,
        check_finite_outputs,
        check_errors_name_the_field,
        check_outputs_in_range,
        check_deterministic,
        check_every_input_matters,
        check_ranges_bound_the_box,
    ):
        check(calc)
    check_monotonic(calc, "price_per_gpu_hour", "cost_usd", +1)


# --------------------------------------------------------------------------------------------------------------------
# The declaration


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_declaration_is_complete(calc):
    check_declaration(calc)


def _never_computes(gpu_hours, price_per_gpu_hour):
    if gpu_hours > 1e9:
        raise InputError("gpu_hours", "cannot exceed 1e9 at this price")
    return cost(gpu_hours, price_per_gpu_hour)


BROKEN_DECLARATIONS = {
    "duplicate output names": lambda: double(cost, (HOURS, PRICE), COST * 2),
    "an input named like a CLI flag (--preset)": lambda: double(
        lambda preset, price_per_gpu_hour: cost(preset, price_per_gpu_hour), (number("preset", 1, 0, 10), PRICE), COST
    ),
    "a source that does not say where": lambda: double(
        cost, (Input("gpu_hours", "GPU-hours", "GPU-hours", 1, Source("deepseek-v3", ""), min=0, max=9), PRICE), COST
    ),
    "a calculator name that is not kebab-case": lambda: double(cost, (HOURS, PRICE), COST, name="Test_Double"),
    "a choice that is not a plain token": lambda: double(
        lambda gpu_hours, price_per_gpu_hour, gpu: cost(gpu_hours, price_per_gpu_hour),
        (HOURS, PRICE, Input("gpu", "GPU", "", "h800", SRC, type="choice", choices=(("h800", "H800"), ("H'100", "")))),
        COST,
    ),
    "a preset whose values do not compute together": lambda: double(
        _never_computes, (HOURS, PRICE), COST, presets=(Preset("big", "Big", {"gpu_hours": 2e9}, SRC),)
    ),
    "a spinner step larger than the range": lambda: double(
        cost, (HOURS, number("price_per_gpu_hour", 2, 0, 5, unit="USD/GPU-hour", step=10)), COST
    ),
}


@pytest.mark.parametrize("flaw", list(BROKEN_DECLARATIONS))
def test_declaration_check_rejects(flaw):
    with pytest.raises(AssertionError):
        check_declaration(BROKEN_DECLARATIONS[flaw]())


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_units_are_explicit(calc):
    check_units(calc)


@pytest.mark.parametrize(
    "outputs,hours_unit",
    [
        ((Output("cost_usd", "Cost", ""),), "GPU-hours"),  # no unit
        ((Output("cost_usd", "Training compute", "FLOPS"),), "GPU-hours"),  # a count or a rate?
        (COST, "TGPU-hours"),  # an input in a unit of its own
    ],
    ids=["no unit", "FLOPS", "unknown input unit"],
)
def test_units_check_rejects(outputs, hours_unit):
    calc = double(cost, (number("gpu_hours", 1, 0, 9, unit=hours_unit), PRICE), outputs)
    with pytest.raises(AssertionError):
        check_units(calc)


# --------------------------------------------------------------------------------------------------------------------
# In-bounds inputs give finite outputs


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_in_bounds_inputs_give_finite_outputs(calc):
    check_finite_outputs(calc)


def _mfu(flop, gpu_hours):
    # the real bugs this catches had this shape: a division by an input that may be any tiny positive number
    return {"mfu": flop / (gpu_hours * 3600 * 989.4e12) if gpu_hours else Q.const(0.0)}


AB = (number("a", 1, 0, 10), number("b", 1, 0, 10))
Y = (Output("y", "Y", "GPU-hours"),)
FLOP = number("flop", 3.3e24, 1, 1e30, unit="FLOP")
MFU = (Output("mfu", "MFU", "fraction"),)
INF_DOUBLES = {
    # evaluate() turns the inf into InputError("mfu"): an output's name, not an input's
    "inf at the smallest positive input": lambda: double(_mfu, (FLOP, HOURS), MFU),
    "inf at an end of the range": lambda: double(lambda a, b: {"y": a / b if b else math.inf}, AB, Y),
    "nan": lambda: double(lambda a, b: {"y": (a - b) * math.inf}, AB, Y),
    "ZeroDivisionError": lambda: double(lambda a, b: {"y": a / b}, AB, Y),
    "a finite number beside a working with inf in it": lambda: double(
        lambda a, b: {"y": typed(1.0, f"{a.value} ÷ {a.value / b.value if b else math.inf}")}, AB, Y
    ),
}


@pytest.mark.parametrize("flaw", list(INF_DOUBLES))
def test_finite_check_rejects(flaw):
    with pytest.raises(AssertionError):
        check_finite_outputs(INF_DOUBLES[flaw]())


def test_finite_check_accepts_a_documented_cross_field_refusal():
    """The distinction the check draws: an InputError naming an input is a constraint, not a failure."""

    def hits(a, b):
        if b > a:
            raise InputError("b", f"cannot exceed a ({a}); got {b}")
        return {"y": a - b}

    check_finite_outputs(double(hits, AB, Y))


# --------------------------------------------------------------------------------------------------------------------
# Errors name the field


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_errors_name_the_field(calc):
    check_errors_name_the_field(calc)


def _refuse(exc):
    def f(a, b):
        if b > a:
            raise exc
        return {"y": a - b}

    return f


ERROR_DOUBLES = {
    "names no input": lambda: double(_refuse(InputError("inputs", "this combination does not work")), AB, Y),
    "a ValueError, no field at all": lambda: double(_refuse(ValueError("b cannot exceed a")), AB, Y),
    "two lines": lambda: double(_refuse(InputError("b", "cannot exceed a\nsee the docs")), AB, Y),
    "an int input whose bounds are not whole numbers": lambda: double(
        lambda a, b: {"y": a + b}, (Input("a", "A", "GPUs", 2, SRC, type="int", min=0.5, max=10), AB[1]), Y
    ),
}


@pytest.mark.parametrize("flaw", list(ERROR_DOUBLES))
def test_errors_check_rejects(flaw):
    with pytest.raises(AssertionError):
        check_errors_name_the_field(ERROR_DOUBLES[flaw]())


# --------------------------------------------------------------------------------------------------------------------
# Outputs in range


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_outputs_in_range(calc):
    check_outputs_in_range(calc)


def test_every_range_exemption_names_a_real_output():
    for table in (SIGNED, ABOVE_ONE, NOT_MONOTONIC):
        for name, out in table:
            calculators.get(name).output(out)


RANGE_DOUBLES = {
    "a share above 1": lambda: double(
        lambda a, b: {"share": a / (b + 1)}, AB, (Output("share", "Share of the bill", "fraction"),)
    ),
    "a negative count": lambda: double(lambda a, b: {"tokens": 1e9 * (a - b)}, AB, (Output("tokens", "T", "tokens"),)),
    "a negative fraction": lambda: double(lambda a, b: {"f": (a - b) / 20}, AB, (Output("f", "F", "fraction"),)),
}


@pytest.mark.parametrize("flaw", list(RANGE_DOUBLES))
def test_range_check_rejects(flaw):
    with pytest.raises(AssertionError):
        check_outputs_in_range(RANGE_DOUBLES[flaw]())


# --------------------------------------------------------------------------------------------------------------------
# Determinism


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_deterministic(calc):
    check_deterministic(calc)


def _remembers(a, b, _seen=[]):  # noqa: B006 - the flaw under test: a mutable default keeps state between calls
    _seen.append(a)
    return {"y": a + b + len(_seen)}


def _edits_config(config, b):
    config["hidden_size"] = config.get("hidden_size", 0) + 1  # the flaw: edits the declaration's own default
    return {"y": config["hidden_size"] * b}


DETERMINISM_DOUBLES = {
    "random": lambda: double(lambda a, b: {"y": a + b + random.random()}, AB, Y),
    "state kept between calls": lambda: double(_remembers, AB, Y),
    "edits its config.json input": lambda: double(
        _edits_config, (Input("config", "config.json", "", {"hidden_size": 7168}, SRC, type="json"), AB[1]), Y
    ),
}


@pytest.mark.parametrize("flaw", list(DETERMINISM_DOUBLES))
def test_determinism_check_rejects(flaw):
    with pytest.raises(AssertionError):
        check_deterministic(DETERMINISM_DOUBLES[flaw]())


# --------------------------------------------------------------------------------------------------------------------
# Every input matters


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_every_input_matters(calc):
    check_every_input_matters(calc)


def test_inputs_check_rejects_an_ignored_input():
    ignores_price = double(lambda gpu_hours, price_per_gpu_hour: {"cost_usd": gpu_hours * 2.0}, (HOURS, PRICE), COST)
    with pytest.raises(AssertionError):
        check_every_input_matters(ignores_price)


# --------------------------------------------------------------------------------------------------------------------
# Ranges


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_declared_ranges_bound_every_point_inside_them(calc):
    if not declared_ranges(calc):
        pytest.skip(f"{calc.name} declares no uncertainty ranges")
    check_ranges_bound_the_box(calc)


def test_ranges_check_rejects_an_output_with_a_peak_inside_the_range():
    # x(1 − x) over 0.2..0.9 around 0.3: the corners and the base give at most 0.21; x = 0.5 gives 0.25
    x = number("x", 0.3, 0, 1, unit="fraction", range=(0.2, 0.9))
    calc = double(lambda x: {"y": x * (1 - x)}, (x,), (Output("y", "Y", "fraction"),))
    with pytest.raises(AssertionError):
        check_ranges_bound_the_box(calc)


# --------------------------------------------------------------------------------------------------------------------
# Monotonic

# (calculator, input, output, direction, why). Direction +1: the output must not fall as the input rises.
MONOTONIC = [
    ("training-cost", "price_per_gpu_hour", "cost_usd", +1, "cost = GPU-hours × price"),
    ("rl-cost", "r1_zero_gpu_hours", "cost_usd", +1, "more GPU-hours, more cost"),
    ("rl-cost", "price_per_gpu_hour", "cost_usd", +1, "cost = GPU-hours × price"),
    ("kv-cache", "context_length", "kv_cache_bytes", +1, "the cache grows with every token kept"),
    ("kv-cache", "n_layers", "kv_cache_bytes_per_token", +1, "each layer caches its own latent or K/V"),
    ("distill", "student_params", "cost_usd", +1, "6ND: a bigger student costs more to fine-tune"),
    ("mtp", "acceptance_rate", "tps_speedup", +1, "more accepted draft tokens, more tokens per step"),
    ("communication", "max_nodes", "comm_to_compute_ratio", +1, "more nodes per token, more InfiniBand copies"),
    ("training-cost", "gpu_hours", "cost_usd", +1, "more GPU-hours, more cost"),
]


@pytest.mark.parametrize("name,inp,out,direction,why", MONOTONIC, ids=[f"{m[0]}:{m[1]}" for m in MONOTONIC])
def test_monotonic(name, inp, out, direction, why):
    check_monotonic(calculators.get(name), inp, out, direction)


def test_monotonic_check_rejects_a_bulk_discount():
    # the cost halves past 1M GPU-hours: more GPU-hours, less cost
    def discounted(gpu_hours, price_per_gpu_hour):
        return cost(gpu_hours * (1 if gpu_hours < 1e6 else 0.5), price_per_gpu_hour)

    calc = double(discounted, (HOURS, PRICE), COST)
    with pytest.raises(AssertionError):
        check_monotonic(calc, "gpu_hours", "cost_usd", +1)
