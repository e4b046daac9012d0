"""core/ranges.py on outputs that are monotonic and on outputs that are not.

The corners of the ranges' box bound an output that is monotonic in each ranged input; for one that peaks inside a
range (x(1 − x), or the overlap speed-up (compute + comm) ÷ max(compute, comm), which peaks where the two are equal),
the interior scan must name it and widen its range towards the peak.
"""

import pytest
from checks import double, number

import calculators
from calculators.core import Output
from calculators.core.ranges import run_ranges


def test_a_monotonic_output_gets_the_corners_and_is_not_named():
    x = number("x", 2.0, 0, 10, unit="GPU-hours", range=(1.0, 4.0))
    calc = double(lambda x: {"y": 3 * x}, (x,), (Output("y", "Y", "GPU-hours"),))
    res = run_ranges(calc, {"x": (1.0, 2.0, 4.0)})
    assert res["ranges"]["y"] == {"low": 3.0, "base": 6.0, "high": 12.0}
    assert res["not_monotonic"] == {}


def test_a_peak_inside_the_range_is_named_and_widens_the_range():
    # x(1 − x) over 0.2..0.9 around 0.3: the ends and the base give at most 0.21; the scan, in sixteenths of the
    # range, comes within 1% of the true peak, 0.25 at x = 0.5.
    x = number("x", 0.3, 0, 1, unit="fraction", range=(0.2, 0.9))
    calc = double(lambda x: {"y": x * (1 - x)}, (x,), (Output("y", "Y", "fraction"),))
    res = run_ranges(calc, {"x": (0.2, 0.3, 0.9)})
    assert res["not_monotonic"] == {"y": ["x"]}
    assert res["ranges"]["y"]["high"] == pytest.approx(0.25, rel=0.01)


def test_overlap_speedup_over_a_wide_bandwidth_range_is_named():
    # The communication calculator's overlap speed-up peaks (at 2×) where communication and computation take the same
    # time. Over 10-200 GB/s of InfiniBand the ratio passes through 1 (near 19 GB/s): the ends alone give at most
    # 1.53×, the scan finds the peak region.
    calc = calculators.get("communication")
    res = run_ranges(calc, {"ib_gb_s": ("10", "50", "200")})
    assert "ib_gb_s" in res["not_monotonic"]["overlap_speedup"]
    corners = max(calc.run({"ib_gb_s": x})["overlap_speedup"] for x in (10, 200))
    assert res["ranges"]["overlap_speedup"]["high"] > corners
    # Within the declared 40-50 GB/s the ratio stays below 1, and nothing is named.
    assert run_ranges(calc, {"ib_gb_s": ("40", "50", "50")})["not_monotonic"] == {}
