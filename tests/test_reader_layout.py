"""The reader's layout, from the declarations (standard library only): key inputs and outputs, sliders whose stops
Python writes, sourced uncertainty ranges that live with their facts, inline values that follow a form or are pinned.

Published figures used: DeepSeek-V3 Technical Report Table 1 caption ($2 per H800 GPU-hour); the site's rental range
for an H100/H800 GPU-hour, $1.50 to $3.50 (data/facts.json market.h100_rental_low/high, latent-space-gpu); DeepSeek-R1
SI §2.4.4 ("about 4 days, or roughly 80 hours": 80 to 96 hours); Llama 3 herd Table 4 (38-43% BF16 MFU).
"""

from __future__ import annotations

import json

import pytest

import calculators
from calculators.core import Calculator, Input, Output, src
from calculators.models.facts import fact
from calculators.page import compute, sliders
from calculators.page.embed import EmbedError, value_context
from calculators.page.fields import field_text
from calculators.page.form import form_context, form_id

CALCS = list(calculators.all().values())
IDS = [c.name for c in CALCS]


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_every_calculator_declares_its_reader_layout(calc):
    keys = sliders.key_input_names(calc)
    assert calc.key_inputs, f"{calc.name} declares no key inputs (Calculator.key_inputs)"
    assert 1 <= len(keys) <= 6 and (len(keys) >= 3 or len(keys) == len(calc.inputs) or len(calc.inputs) <= 3)
    assert calc.key_outputs[0] == calc.headline or calc.headline in calc.key_outputs
    assert len(calc.key_outputs) <= 4


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_every_declared_range_says_where_it_comes_from(calc):
    for i in calc.inputs:
        if i.range is not None:
            assert i.range_source is not None, f"{calc.name}.{i.name}: a range needs range_source"
            assert i.range_source.where, f"{calc.name}.{i.name}: its range's source names no place"


def test_a_fact_brings_its_range_and_the_ranges_source():
    price = fact("deepseek-v3.price_per_gpu_hour")
    assert price.value == 2.0 and price.range == (1.5, 3.5)  # $2 (Table 1); resellers' $1.50-$3.50
    assert price.range_source.id == "latent-space-gpu"
    inp = Input("p", "Price", "USD/GPU-hour", price, min=0, max=100)
    assert inp.range == (1.5, 3.5) and inp.range_source == price.range_source and inp.source == price.source
    hours = calculators.get("rl-cost").input("r1_hours")
    assert hours.default == 80 and hours.range == (80, 96)  # "about 4 days, or roughly 80 hours"
    assert "about 4 days" in hours.range_source.where


def test_key_inputs_and_outputs_are_checked():
    src_ = src("deepseek-v3: Table 1")
    kw = {"name": "x", "title": "X", "summary": "", "function": lambda a: {"y": a}, "outputs": (Output("y", "Y", ""),)}
    inputs = (Input("a", "A", "", 1.0, src_, min=0, max=2),)
    with pytest.raises(Exception, match="no input named"):
        Calculator(inputs=inputs, key_inputs=("b",), **kw)
    with pytest.raises(KeyError):
        Calculator(inputs=inputs, key_outputs=("z",), **kw)
    assert Calculator(inputs=inputs, **kw).key_outputs == ("y",)


@pytest.mark.parametrize("calc", CALCS, ids=IDS)
def test_slider_stops_hold_the_default_range_and_presets(calc):
    for inp in sliders.slider_inputs(calc):
        stops = sliders.stops(calc, inp.name)
        assert list(stops) == sorted(set(stops)) and len(stops) >= 5, (inp.name, stops)
        assert all(inp.min <= s <= inp.max for s in stops)
        wanted = [inp.default, *(inp.range or ())]
        wanted += [p.values[inp.name] for p in calc.presets if isinstance(p.values.get(inp.name), (int, float))]
        for w in wanted:
            k = sliders.position(calc, inp.name, w)
            assert stops[k] == w, (inp.name, w, stops[k])
        # each stop's text reads back to the stop (the box Python reads is what the slider wrote)
        for s in stops:
            assert calc.validate({inp.name: field_text(inp, s)})[inp.name] == s


def test_the_answer_places_the_sliders():
    d = compute.compute("training-cost", {"price_per_gpu_hour": "3.5"})
    stops = sliders.stops(calculators.get("training-cost"), "price_per_gpu_hour")
    assert stops[d["positions"]["price_per_gpu_hour"]] == 3.5
    beyond = compute.compute("training-cost", {"price_per_gpu_hour": "999"})["positions"]["price_per_gpu_hour"]
    assert beyond == len(stops) - 1


def test_form_context_leads_with_the_declared_layout():
    ctx = form_context(["training-cost"], {}, form_id("training-cost", 1), "12 MB")
    calc = calculators.get("training-cost")
    assert [f["name"] for f in ctx["key_inputs"]] == list(calc.key_inputs)
    assert [o["name"] for o in ctx["key_outputs"]] == list(calc.key_outputs)
    assert len(ctx["key_inputs"]) + len(ctx["other_inputs"]) == len(calc.inputs)
    assert len(ctx["key_outputs"]) + len(ctx["other_outputs"]) == len(calc.outputs)
    refs = [f["ref"] for f in ctx["key_inputs"]] + [f["ref"] for f in ctx["other_inputs"]]
    assert refs[0] == 1 and max(refs) == len(set(refs))  # numbered in the order shown, each source once
    price = next(f for f in ctx["key_inputs"] if f["name"] == "price_per_gpu_hour")
    assert json.loads(price["slider"]["stops"])[price["slider"]["position"]] == price["value"]
    assert price["range"]["text"] == "$1.50 per GPU-hour to $3.50 per GPU-hour"
    assert json.loads(ctx["given"]) == {"inputs": {}, "preset": ""}


def test_values_follow_unless_pinned():
    v = value_context(["rl-cost", "cost_usd"], {})
    f = form_context(["rl-cost"], {}, form_id("rl-cost", 1), "12 MB")
    assert v["given"] == f["given"] and not v["pinned"]
    assert value_context(["rl-cost", "cost_usd"], {"pin": True})["pinned"]
    assert value_context(["rl-cost", "cost_usd"], {"basis": "cluster"})["given"] != f["given"]
    with pytest.raises(EmbedError, match="pin="):
        value_context(["rl-cost", "cost_usd"], {"pin": "yes"})
