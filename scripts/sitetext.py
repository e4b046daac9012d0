"""The text of a built site, one line per piece, to diff two builds (e.g. before and after a refactor).

    python3 scripts/sitetext.py SITE_DIR > before.txt     (then again after, and diff the two files)

For each page (every *.html under SITE_DIR, minus the vendored runtime): its visible text, one line per text node,
plus, for each element carrying a data-value (a pre-rendered number), a line `[data-value NAME=RAW]`, so that a
number which changed only in its last digits still shows up. Scripts, styles and the search index are left out.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

SKIP_DIRS = ("assets/pyodide", "assets/vendor", "search")
SKIP_TAGS = {"script", "style"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self._skip += 1
        a = dict(attrs)
        if "data-value" in a:
            name = a.get("name") or a.get("data-output") or a.get("data-input") or tag
            self.lines.append(f"[data-value {name}={a['data-value']}]")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.lines.append(text)


def site_text(site: Path) -> list[str]:
    out = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        if rel.startswith(SKIP_DIRS):
            continue
        p = _Text()
        p.feed(f.read_text(encoding="utf-8", errors="replace"))
        out.append(f"=== {rel}")
        out.extend(p.lines)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1], "index.html").is_file():
        sys.exit("usage: python3 scripts/sitetext.py SITE_DIR (a built site, with index.html)")
    sys.stdout.write("\n".join(site_text(Path(sys.argv[1]))) + "\n")
