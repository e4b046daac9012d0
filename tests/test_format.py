"""core.fmt: the one place numbers become text (CLI, static HTML, live widget). Units must stay explicit."""

import math

import pytest

from calculators.core import fmt, fmt_plain


@pytest.mark.parametrize(
    "value,unit,text",
    [
        (5_576_000, "USD", "$5.576 million"),  # DeepSeek-V3 Table 1 total
        (294_000, "USD", "$294,000"),  # DeepSeek-R1 SI §2.4.4 total
        (1.6e9, "USD", "$1.6 billion"),
        (2_788_000, "GPU-hours", "2,788,000 GPU-hours"),
        (70_272, "bytes", "70,272 B (68.62 KiB)"),  # V3 KV cache per token: decimal and binary both shown
        (80e9, "bytes", "80 GB (74.51 GiB)"),  # GB ≠ GiB
        (3.2856e24, "FLOP", "3.286e24 FLOP"),
        (989.4e12, "FLOP/s", "989.4 TFLOP/s"),
        (671.03e9, "parameters", "671B parameters"),
        (14.8e12, "tokens", "14.8T tokens"),
        (0.3894, "fraction", "38.9%"),
        (5.45, "ratio", "5.45×"),
        (2280.4, "ratio", "2,280×"),
        (1, "years", "1 year"),
        (2.0, "USD/GPU-hour", "$2.00 per GPU-hour"),
    ],
)
def test_formats(value, unit, text):
    assert fmt(value, unit) == text


def test_non_finite_never_prints_as_a_number():
    for bad in (math.nan, math.inf, -math.inf, None):
        assert fmt(bad, "USD") == "—"


def test_plain_numbers_read_as_typed():
    assert fmt_plain(2_788_000) == "2,788,000"
    assert fmt_plain(0.35) == "0.35"
    assert fmt_plain(3.2856e24) == "3.286e24"
