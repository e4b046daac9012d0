"""data/gpus.json against the datasheet figures it came from (read in copies of NVIDIA's tables) and DeepSeek's
own MFU arithmetic. Datasheets print 2:4-sparse peaks ("* With sparsity"); the data holds dense ones, half those.
"""

from __future__ import annotations

import pytest

from calculators import InputError
from calculators.core import sources
from calculators.models import hardware


def test_h800_bf16_peak_is_what_isca_implies():
    # "Insights into DeepSeek-V3" (ISCA 2025), Table 4: 432 TFLOPS is 43.73% MFU and 385 TFLOPS is 38.94% MFU,
    # both "calculated based on BF16 peak performance": 432 / 0.4373 = 987.9 and 385 / 0.3894 = 988.7 TFLOPS.
    # Tolerance 0.5%: the TFLOPS are printed to three figures (±0.13%) and the MFUs to four.
    peak = hardware.peak_flops("h800", "bf16")
    assert peak == pytest.approx(432e12 / 0.4373, rel=0.005)
    assert peak == pytest.approx(385e12 / 0.3894, rel=0.005)


def test_h800_nvlink_is_400():
    # ISCA §4.1: the H800's NVLink bandwidth is "reduced from 900 GB/s to 400 GB/s". Exact.
    assert hardware.gpus()["h800"]["nvlink_gb_s"] == 400
    assert hardware.gpus()["h100"]["nvlink_gb_s"] == 900


@pytest.mark.parametrize(
    "gpu,precision,sparse_tflops",
    [
        ("h100", "bf16", 1979),  # H100 datasheet, SXM: BFLOAT16 Tensor Core 1,979 TFLOPS*
        ("h100", "fp8", 3958),  # H100 datasheet, SXM: FP8 Tensor Core 3,958 TFLOPS*
        ("a100", "bf16", 624),  # A100 datasheet, 80GB SXM: BFLOAT16 Tensor Core 312 | 624* TFLOPS
        ("b200", "bf16", 4500),  # HGX B200 specifications, per GPU: FP16/BF16 Tensor Core 4.5 PFLOPS (sparse)
        ("b200", "fp8", 9000),  # HGX B200 specifications, per GPU: FP8/FP6 Tensor Core 9 PFLOPS (sparse)
    ],
)
def test_dense_peak_is_half_the_datasheets_sparse_figure(gpu, precision, sparse_tflops):
    # Tolerance 0.1%: the datasheets round to whole TFLOPS (1,979 for 1,978.9).
    assert hardware.peak_flops(gpu, precision) == pytest.approx(sparse_tflops / 2 * 1e12, rel=0.001)


def test_h20_is_the_reported_fraction_of_the_h100():
    # Reports of NVIDIA's H20 specifications (Tom's Hardware table; SemiAnalysis via press): FP8 296 and BF16 148
    # TFLOPS, and "H100 SXM is 6.68 times faster than H20 (FP16 tensor FLOPs)": the H20 figures are dense.
    # Tolerance 0.5% (6.68 has three figures). Secondary: NVIDIA publishes no H20 datasheet.
    ratio = hardware.peak_flops("h100", "bf16") / hardware.peak_flops("h20", "bf16")
    assert ratio == pytest.approx(6.68, rel=0.005)
    assert hardware.peak_flops("h20", "fp8") == 296e12


@pytest.mark.parametrize(
    "gpu,hbm_gb,hbm_tb_s,nvlink",
    [
        ("h100", 80, 3.35, 900),  # H100 datasheet, SXM column
        ("a100", 80, 2.039, 600),  # A100 datasheet, 80GB SXM column: 2,039 GB/s
        ("b200", 180, 7.7, 1800),  # HGX B200 specifications, per GPU; NVLink 1.8 TB/s
        ("h20", 96, 4.0, 900),  # reported (secondary)
    ],
)
def test_memory_and_interconnect(gpu, hbm_gb, hbm_tb_s, nvlink):
    s = hardware.gpus()[gpu]
    assert (s["hbm_gb"], s["hbm_tb_s"], s["nvlink_gb_s"]) == (hbm_gb, hbm_tb_s, nvlink)
    assert hardware.hbm_bytes(gpu) == hbm_gb * 1e9
    assert hardware.hbm_bytes_per_second(gpu) == pytest.approx(hbm_tb_s * 1e12)
    assert hardware.nvlink_bytes_per_second(gpu) == nvlink * 1e9


def test_fp8_is_twice_bf16_on_hopper_and_blackwell():
    for gpu in ("h800", "h100", "h20", "b200"):
        assert hardware.peak_flops(gpu, "fp8") == pytest.approx(2 * hardware.peak_flops(gpu, "bf16"), rel=0.001)


def test_a100_has_no_fp8_and_says_so():
    assert not hardware.has_precision("a100", "fp8") and hardware.has_precision("a100", "bf16")
    with pytest.raises(InputError) as e:
        hardware.peak_flops("a100", "fp8")
    assert e.value.field == "precision" and "A100" in e.value.message


def test_unknown_gpu_or_precision_is_an_input_error():
    with pytest.raises(InputError) as e:
        hardware.peak_flops("tpu", "bf16")
    assert e.value.field == "gpu"
    with pytest.raises(InputError) as e:
        hardware.peak_flops("h100", "fp4")
    assert e.value.field == "precision"


def test_every_gpu_has_a_located_source_and_a_confidence():
    bib = sources()
    for name, s in hardware.gpus().items():
        source = hardware.gpu_source(name)
        assert source.id in bib and source.where, name
        assert s.get("confidence"), name
        # Only datasheet entries may cite NVIDIA alone; the others must say why they are not datasheet figures.
        if not s["confidence"].startswith("datasheet"):
            assert source.note, name
    assert [k for k, _ in hardware.gpu_choices()] == list(hardware.gpus())
