"""MkDocs hook: DeepSeek's published benchmark tables (calculators/data/benchmarks.json), drawn at build time.

A page places a marker on a line of its own:

    <!-- benchmarks v3 -->    Table 6 of the V3 report: a bar chart of the models in "chart", then every model
    <!-- benchmarks r1 -->    Table 4 of the R1 preprint, the same way

The chart is an inline SVG (no script; colours from CSS classes in docs/assets/calc.css, so the site's CSP holds),
with a title and a description for screen readers, and the full table below it is its text alternative. Every
score is copied from the JSON, which names the source table and the version read; nothing is typed into a page.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "calculators" / "data" / "benchmarks.json"
MARKER = re.compile(r"^<!--\s*benchmarks\s+([a-z0-9-]+)\s*-->\s*$", re.M)

LABEL_W, BAR_MAX, BAR_H, GAP, ROW_GAP = 230, 380, 7, 1, 10


def load() -> dict:
    return {k: v for k, v in json.loads(DATA.read_text("utf-8")).items() if not k.startswith("_")}


def _fmt(v) -> str:
    return "—" if v is None else (f"{v:,}" if isinstance(v, int) else f"{v:.1f}")


def chart(key: str, t: dict) -> str:
    """A horizontal grouped bar chart of the percentage rows for the models in t["chart"]."""
    labels = {m["id"]: m["label"] for m in t["models"]}
    models = t["chart"]
    rows = [r for r in t["rows"] if r["unit"] == "%"]
    row_h = len(models) * (BAR_H + GAP) + ROW_GAP
    top = 28
    height = top + len(rows) * row_h + 24
    width = LABEL_W + BAR_MAX + 60
    out = [
        f'<svg class="bench-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="bench-{key}-title bench-{key}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="bench-{key}-title">{html.escape(t["title"])}</title>',
        f'<desc id="bench-{key}-desc">Scores in per cent for {html.escape(", ".join(labels[m] for m in models))}, '
        f"one group of bars per benchmark; the table below gives every score.</desc>",
    ]
    for i, m in enumerate(models):  # legend
        x = LABEL_W + i * 150
        out.append(f'<rect class="bench-s{i}" x="{x}" y="6" width="12" height="12"/>')
        out.append(f'<text class="bench-text" x="{x + 16}" y="16">{html.escape(labels[m])}</text>')
    for gx in range(0, 101, 20):  # gridlines at 0, 20, ... 100 per cent
        x = LABEL_W + BAR_MAX * gx / 100
        out.append(f'<line class="bench-grid" x1="{x}" y1="{top - 4}" x2="{x}" y2="{height - 20}"/>')
        out.append(f'<text class="bench-axis" x="{x}" y="{height - 6}" text-anchor="middle">{gx}</text>')
    for r_i, row in enumerate(rows):
        y0 = top + r_i * row_h
        mid = y0 + len(models) * (BAR_H + GAP) / 2 + 3
        out.append(f'<text class="bench-text" x="{LABEL_W - 8}" y="{mid:.1f}" text-anchor="end">'
                   f"{html.escape(row['benchmark'])}</text>")  # fmt: skip
        for i, m in enumerate(models):
            v = row["scores"].get(m)
            y = y0 + i * (BAR_H + GAP)
            if v is None:
                out.append(f'<text class="bench-axis" x="{LABEL_W + 2}" y="{y + BAR_H}">not reported</text>')
                continue
            w = BAR_MAX * v / 100
            tip = f"{html.escape(labels[m])}, {html.escape(row['benchmark'])}: {_fmt(v)}"
            out.append(f'<rect class="bench-s{i}" x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}">'
                       f"<title>{tip}</title></rect>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out)


def table(t: dict) -> str:
    models = t["models"]
    head = "| Benchmark | " + " | ".join(m["label"] for m in models) + " |"
    lines = [head, "|---|" + "---:|" * len(models)]
    for row in t["rows"]:
        cells = [_fmt(row["scores"].get(m["id"])) for m in models]
        name = f"{row['benchmark']} ({row['group']})".replace("|", "\\|")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _md(text: str) -> str:
    text = html.escape(" ".join(str(text).split()), quote=False)  # & < > as entities; then Markdown's own marks
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)


def render(key: str, tables: dict) -> str:
    from mkdocs.exceptions import PluginError

    if key not in tables:
        raise PluginError(f"benchmarks: no table {key!r} in {DATA.name} (have {sorted(tables)})")
    t = tables[key]
    src = t["source"]
    return "\n".join(
        [
            '<figure class="bench-figure">',
            chart(key, t),
            f"<figcaption>{html.escape(t['title'])}: scores as DeepSeek published them, {html.escape(src['where'])}. "
            f"The table below lists every model in that table.</figcaption>",
            "</figure>",
            "",
            table(t),
            "",
            f"Source: {src['where']} of [{_md(t['source_title'])}]({t['source_url']}) "
            f"(copy read: {_md(t['version'])}). "
            f"{_md(t['settings'])} Its caption: “{_md(t['caption'])}”[^{t['caption_quote']}]",
            "",
        ]
    )


def on_page_markdown(markdown: str, page, config, files, **kwargs):
    if "<!--" not in markdown or not MARKER.search(markdown):
        return markdown
    tables = load()
    quotes = json.loads((DATA.parent / "quotes.json").read_text("utf-8"))
    sources = {}
    for path in sorted(DATA.parent.glob("sources*.json")):
        sources.update(json.loads(path.read_text("utf-8")))
    for t in tables.values():
        s = sources[t["source"]["id"]]
        t.update(source_title=s["title"], source_url=s["url"], caption=quotes[t["caption_quote"]]["text"])
    return MARKER.sub(lambda m: render(m.group(1), tables), markdown)
