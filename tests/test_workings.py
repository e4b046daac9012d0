"""Every output's working and formula are derived from the arithmetic that computes it (core/quantity.py).

Properties, over every calculator, its defaults and every preset, changing each numeric input in turn:
- the working follows the number: when an output's value moves (by more than its 4-digit rounding), its working
  changes too, unless the working holds no number at all (e.g. "as reported", of an input passed through);
- no formula holds a copy of an input's value: formulas are written in symbols;
- hand-written text (lookups, explanations) holds no number: it is checked when a quantity is made.
Each property is a check function; the companions at the end feed each one a deliberately broken calculator and
show that it fails.
"""

from __future__ import annotations

import re

import pytest

import calculators
from calculators.core import Calculator, Input, InputError, Output, Q, src, term

CALCS = list(calculators.all().values())
NUMBER = re.compile(r"(?<![A-Za-z\d.,])\d[\d,.]*(?![\d.,]*[A-Za-z])")


def starting_points(calc: Calculator):
    yield None
    yield from (p.name for p in calc.presets)


def changed(inp: Input, v):
    """An in-bounds value well away from v (so that a working written with 4 significant digits must differ)."""
    for factor in (1.37, 0.61, 1.9, 0.2):
        x = v * factor if v else (inp.min + inp.max) / 2
        if inp.type == "int":
            x = round(x)
            if x == v:
                x = v + 1
        if inp.min <= x <= inp.max and x != v:
            return x
    x = inp.min if v != inp.min else inp.max
    return x if x != v else None


def perturbations(calc: Calculator):
    for preset in starting_points(calc):
        base_values = calc.validate({}, preset)
        try:
            base = calc.evaluate(base_values)
        except InputError:
            continue
        for inp in calc.numeric_inputs():
            x = changed(inp, base_values[inp.name])
            if x is None:
                continue
            try:
                after = calc.evaluate({**base_values, inp.name: x})
            except InputError:
                continue  # a cross-field constraint refuses this combination
            yield preset, inp, x, base, after


def check_working_follows_number(calc: Calculator):
    for preset, inp, x, base, after in perturbations(calc):
        for name, r in after.items():
            b = base[name]
            moved = abs(r.value - b.value) > 1e-3 * max(abs(r.value), abs(b.value))  # beyond 4-digit rounding
            if moved and r.working == b.working and NUMBER.search(r.working):
                raise AssertionError(
                    f"{calc.name}.{name} (from {preset or 'defaults'}, {inp.name} = {x}): the value changed "
                    f"({b.value!r} -> {r.value!r}) but the working stayed {r.working!r}"
                )


def check_formula_holds_no_input_value(calc: Calculator):
    for preset, inp, x, _base, after in perturbations(calc):
        shown = {term(x, inp.unit), calculators.fmt_plain(x)}
        shown = {s for s in shown if len(NUMBER.findall(s)) and len(s.strip("$%×")) >= 3}
        for name, r in after.items():
            for s in shown:
                if s in r.formula:
                    raise AssertionError(
                        f"{calc.name}.{name}: its formula {r.formula!r} holds {inp.name}'s value {s!r} "
                        f"(from {preset or 'defaults'})"
                    )


def check_outputs_are_quantities(calc: Calculator):
    result = calc.function(**calc.quantities(calc.validate()))
    for o in calc.outputs:
        if not isinstance(result[o.name], Q):
            raise AssertionError(f"{calc.name}.{o.name} is a {type(result[o.name]).__name__}, not a quantity")


@pytest.mark.parametrize("calc", CALCS, ids=lambda c: c.name)
def test_working_follows_number(calc):
    check_working_follows_number(calc)


@pytest.mark.parametrize("calc", CALCS, ids=lambda c: c.name)
def test_formula_holds_no_input_value(calc):
    check_formula_holds_no_input_value(calc)


@pytest.mark.parametrize("calc", CALCS, ids=lambda c: c.name)
def test_outputs_are_quantities(calc):
    check_outputs_are_quantities(calc)


def test_hand_written_text_holds_no_number():
    with pytest.raises(ValueError, match="holds a number"):
        Q.lookup(5.251, "nodes", "nodes", "5.251 nodes on average")
    with pytest.raises(ValueError, match="holds a number"):
        Q.const(1.0).explain("scaled by 2.5")
    assert (
        Q.lookup(989.4e12, "FLOP/s", "peak", "NVIDIA H800 SXM, BF16 dense").working() == "NVIDIA H800 SXM, BF16 dense"
    )


def test_quantity_text_is_the_arithmetic():
    hours = Q.input(2_788_000, "GPU-hours", "GPU-hours")
    price = Q.input(2.0, "USD/GPU-hour", "price per GPU-hour")
    cost = hours * price
    assert cost.value == 5_576_000.0
    assert cost.working() == "2,788,000 GPU-hours × $2 per GPU-hour"
    assert cost.formula() == "GPU-hours × price per GPU-hour"
    a, b, c = (Q.input(v, "", s) for v, s in ((6, "a"), (3, "b"), (2, "c")))
    assert (a / (b * c)).formula() == "a ÷ (b × c)"
    assert (a / b * c).formula() == "a ÷ b × c"
    assert (a - (b - c)).formula() == "a − (b − c)"
    assert ((a + b) * c).working() == "(6 + 3) × 2"
    named = (a * b).named("ab", "")
    assert (named + c).working() == "18 + 2" and (named + c).formula() == "ab + c"
    assert named.working() == "6 × 3"


# ----------------------------------------------------------------------------------------------------------------------
# Companions: each check fails on a calculator broken in the way it guards against.

SOURCE = src("deepseek-v3: Table 1")


def _calc(function, unit="GPU-hours") -> Calculator:
    return Calculator(
        name="broken",
        title="Broken",
        summary="A deliberately broken calculator.",
        inputs=(
            Input("hours", "Hours", "GPU-hours", 100.0, SOURCE, min=1, max=1e6, symbol="hours"),
            Input("price", "Price", "USD/GPU-hour", 2.0, SOURCE, min=0.1, max=100, symbol="price"),
        ),
        outputs=(Output("cost", "Cost", "USD"),),
        function=function,
    )


def test_companion_stale_working_fails():
    # A working typed once, for the defaults, beside the arithmetic: the bug behind "5.251 nodes on average".
    def stale(hours, price):
        q = Q((hours * price).value)
        q.how = "100 GPU-hours × $2"  # bypasses the check that Q.lookup and explain() make
        return {"cost": q}

    with pytest.raises(AssertionError, match="working stayed"):
        check_working_follows_number(_calc(stale))


def test_companion_formula_with_a_value_fails():
    def typed_formula(hours, price):
        q = hours * price
        return {"cost": q * Q.const(1, f"({term(hours.value, 'GPU-hours')})")}

    with pytest.raises(AssertionError, match="holds hours's value"):
        check_formula_holds_no_input_value(_calc(typed_formula))


def test_companion_plain_number_fails():
    with pytest.raises(AssertionError, match="not a quantity"):
        check_outputs_are_quantities(_calc(lambda hours, price: {"cost": hours.value * price.value}))


def test_catalog_order_names_every_calculator_once():
    from calculators.catalog import ORDER

    assert sorted(ORDER) == sorted(calculators.all()) and len(set(ORDER)) == len(ORDER)
