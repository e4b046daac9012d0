"""The notebooks in docs/notebooks/ (jupytext percent .py files that mkdocs-jupyter executes at build time).

Each notebook runs top to bottom as a plain script, from outside the repository, with the calculators importable
the ordinary way (this tree on PYTHONPATH, as scripts/build gives the notebooks' kernel, or `pip install .`), and
matplotlib's Agg backend; its figures must exist, render to PNG, and carry axis labels with units. A notebook opens
with the subject: its first code cell imports the calculators, and no cell searches for the repository. The
markdown cells follow the site's rule for pages: no figure typed by hand (numbers come from the calculators, in
code-cell output), and no "$" (nbconvert would read a pair of them as TeX math).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.build_tools

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "docs" / "notebooks"
NOTEBOOKS = sorted(p for p in NOTEBOOK_DIR.glob("*.py") if not p.name.startswith("_"))
IDS = [p.stem for p in NOTEBOOKS]

# The figures each notebook must end with (its FIGURES dict: name -> matplotlib figure).
EXPECTED_FIGURES = {
    "cost-sensitivity": {"cost_vs_mfu_and_price", "tornado"},
    "kv-cache-context": {"kv_cache_vs_context", "tokens_per_h800"},
    "full-bill": {"waterfall"},
}

RUNNER = r"""
import json, runpy, sys, warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=".*non-interactive.*")  # plt.show() under Agg
path, out = Path(sys.argv[1]), Path(sys.argv[2])
ns = runpy.run_path(str(path), run_name="__main__")
report = {}
for name, fig in ns.get("FIGURES", {}).items():
    png = out / f"{name}.png"
    fig.savefig(png, dpi=60)
    report[name] = {
        "png_bytes": png.stat().st_size,
        "axes": [{"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "subplot": ax.get_subplotspec() is not None,
                  "artists": len(ax.lines) + len(ax.patches) + len(ax.images) + len(ax.collections)}
                 for ax in fig.axes],
    }
(out / "report.json").write_text(json.dumps(report))
"""


def _docs_checker():
    """hand_typed_figures from test_docs_numbers.py: the same rule as the site's Markdown pages."""
    spec = importlib.util.spec_from_file_location("_docs_numbers", Path(__file__).with_name("test_docs_numbers.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.hand_typed_figures


def test_the_three_notebooks_exist():
    assert set(EXPECTED_FIGURES) <= set(IDS), f"missing notebooks: {set(EXPECTED_FIGURES) - set(IDS)}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run every notebook at once, each in its own Python process started outside the repository."""
    pytest.importorskip("matplotlib")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(ROOT)  # the package importable the ordinary way, as scripts/build does for the kernel
    env["MPLBACKEND"] = "Agg"
    started = {}
    for nb in NOTEBOOKS:
        out = tmp_path_factory.mktemp(nb.stem)
        proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(nb), str(out)],
            cwd=out,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started[nb.stem] = (proc, out)
    results = {}
    for stem, (proc, out) in started.items():
        try:
            _, stderr = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
        results[stem] = (proc.returncode, stderr, out)
    return results


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_notebook_runs_top_to_bottom_and_draws_its_figures(notebook, runs):
    returncode, stderr, out = runs[notebook.stem]
    assert returncode == 0, f"{notebook.name} failed:\n{stderr[-3000:]}"
    assert "Traceback" not in stderr, stderr[-3000:]
    report = json.loads((out / "report.json").read_text())

    expected = EXPECTED_FIGURES.get(notebook.stem)
    if expected is not None:
        assert set(report) == expected, f"{notebook.name}: figures {sorted(report)}, expected {sorted(expected)}"
    assert report, f"{notebook.name} draws no figures (FIGURES is empty)"
    for name, fig in report.items():
        assert fig["png_bytes"] > 5_000, f"{notebook.name}: figure {name} renders to an almost empty PNG"
        plotted = [ax for ax in fig["axes"] if ax["subplot"] and ax["artists"]]
        assert plotted, f"{notebook.name}: figure {name} has no plotted axes"
        for ax in plotted:
            labels = [ax["xlabel"], ax["ylabel"]]
            assert any("(" in t and ")" in t for t in labels), (
                f"{notebook.name}: figure {name} has an axis without a unit: {labels}"
            )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_notebook_is_a_jupytext_notebook_with_clean_markdown(notebook):
    jupytext = pytest.importorskip("jupytext")
    nb = jupytext.read(notebook)
    assert nb.metadata.get("kernelspec", {}).get("language") == "python", "needs a jupytext header with a kernelspec"
    cells = nb.cells
    assert cells[0].cell_type == "markdown" and cells[0].source.lstrip().startswith("# "), (
        "the first cell is the page title (an H1 in a markdown cell)"
    )
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    first = next(c for c in cells if c.cell_type == "code").source.splitlines()
    assert first and first[0] == "import calculators", f"{notebook.name}: the first code cell starts {first[:1]}"
    assert "sys.path" not in code and "_repo_root" not in code, "the package is installed, not searched for"
    assert "pip install" in cells[0].source, "the first cell says how to install the calculators to run it"
    assert 'matplotlib.use("Agg")' not in code and "matplotlib.use('Agg')" not in code, (
        "keep the inline backend: mkdocs-jupyter would show no plots"
    )

    hand_typed_figures = _docs_checker()
    for cell in (c for c in cells if c.cell_type == "markdown"):
        assert "$" not in cell.source, (
            f"{notebook.name}: a markdown cell has a '$' (read as TeX math): {cell.source[:80]!r}"
        )
        found = hand_typed_figures(cell.source)
        assert not found, (
            f"{notebook.name} types figures by hand in a markdown cell: {found[:10]}; print them "
            "from the calculators in a code cell instead"
        )
