"""Live formulas and labels: every output's formula and label on a live form are compute()'s for the inputs shown.

training-cost's total GPU-hours are an input on the reported basis (no formula) and the sum of the three stages on
the compute basis: switching the basis must show that formula, switching back must clear it, and reset restores
the page's. The texts are Python's (calculators.page.compute), compared exactly.
"""

from __future__ import annotations

import pytest
import visits

pytestmark = pytest.mark.browser

PATH = "/calculators/training-cost/"
FORM = "calc-training-cost"

READ_JS = """
(form) => Object.fromEntries([...form.querySelectorAll(".calc-output")].map((o) => [o.dataset.output, {
  formula: o.querySelector(".calc-formula").textContent,
  label: o.querySelector(".calc-label-text").textContent,
}]))
"""

SAME_JS = """
([id, want]) => {
  const form = document.getElementById(id);
  if (!form || form.hasAttribute("data-busy")) return false;
  return Object.entries(want).every(([name, w]) => {
    const o = form.querySelector(`.calc-output[data-output="${name}"]`);
    return o && o.querySelector(".calc-formula").textContent === w.formula
      && o.querySelector(".calc-label-text").textContent === w.label;
  });
}
"""


def expected(raw: dict) -> dict:
    from calculators.page.compute import compute

    d = compute("training-cost", raw)
    assert d["ok"], d["errors"]
    return {
        k: {"formula": f"= {o['formula']}" if o["formula"] else "", "label": o["label"]}
        for k, o in d["outputs"].items()
    }


def wait_for(v, want: dict, what: str):
    try:
        v.page.wait_for_function(SAME_JS, arg=[FORM, want], timeout=visits.STEP_MS)
    except Exception as e:
        shown = v.page.locator(f"#{FORM}").evaluate(READ_JS)
        wrong = {k: (shown.get(k), w) for k, w in want.items() if shown.get(k) != w}
        raise AssertionError(f"{what}: formulas or labels differ from compute()'s: {wrong}") from e


def test_formulas_follow_the_inputs(visit):
    reported, computed = expected({}), expected({"basis": "compute"})
    assert reported["gpu_hours"]["formula"] == "" and computed["gpu_hours"]["formula"]  # the test can tell them apart
    v = visit(PATH)
    v.wait_live()
    wait_for(v, reported, "the live form as built")
    basis = v.page.locator(f"#{FORM} select[name='basis']")
    basis.select_option("compute")
    wait_for(v, computed, "basis switched to compute")
    basis.select_option("reported")
    wait_for(v, reported, "basis switched back to reported")
    basis.select_option("compute")
    wait_for(v, computed, "basis switched to compute again")
    v.page.locator(f"#{FORM} button[data-action='reset']").click()
    wait_for(v, reported, "after reset")
    assert not v.console_errors, v.console_errors
