"""MkDocs hook: ships the chart library the calculator pages draw with, from the site itself (no CDN).

Chart.js (npm `chart.js`, pinned in scripts/setup's NPM_PACKAGES and installed into .cache/npm) is one minified UMD
file. on_post_build copies it, with its licence, to site/assets/vendor/. Nothing links to it: docs/assets/
calc-charts.js adds it to a page only when the page has a chart figure (figure.calc-chart), so pages without charts
never download it.

config.extra.charts.build versions calc-charts.js, its stylesheet and the library together (?v=...), so a browser
never mixes a new script with an old library from its cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.vendor")

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / ".cache" / "npm" / "node_modules"
# npm package -> (file in the package, name under site/assets/vendor/, licence file in the package)
VENDORED = {
    "chart.js": ("dist/chart.umd.min.js", "chart.umd.min.js", "LICENSE.md"),
}
VENDOR_DIR = "assets/vendor"  # under site/
OWN_ASSETS = ("assets/calc-charts.js", "assets/calc-charts.css", "assets/rebase-sitemap.js")  # under docs/


def _package_version(pkg: str) -> str:
    meta = NPM / pkg / "package.json"
    if not meta.is_file():
        raise PluginError(f"vendor: {pkg} is missing from {NPM}; run scripts/setup (it installs NPM_PACKAGES)")
    return json.loads(meta.read_text(encoding="utf-8"))["version"]


def on_config(config, **kwargs):
    h = hashlib.sha256()
    versions = {}
    for pkg, (src, _dest, _licence) in VENDORED.items():
        versions[pkg] = _package_version(pkg)
        if not (NPM / pkg / src).is_file():
            raise PluginError(f"vendor: {pkg}@{versions[pkg]} has no {src}; run scripts/setup")
        h.update(f"{pkg}@{versions[pkg]}\0".encode())
    docs = Path(config["docs_dir"])
    for a in OWN_ASSETS:
        p = docs / a
        if p.is_file():
            h.update(a.encode() + b"\0" + p.read_bytes() + b"\0")
    config["extra"]["charts"] = {"build": h.hexdigest()[:12], "versions": versions}
    return config


def on_post_build(config, **kwargs):
    site = Path(config["site_dir"])
    dest_dir = site / VENDOR_DIR
    if dest_dir.exists():
        shutil.rmtree(dest_dir)
    dest_dir.mkdir(parents=True)
    for pkg, (src, dest, licence) in VENDORED.items():
        text = (NPM / pkg / src).read_text(encoding="utf-8")
        # The source map is not shipped: drop the comment that would make a browser's devtools ask for it.
        lines = text.rstrip("\n").split("\n")
        if lines and lines[-1].startswith("//# sourceMappingURL="):
            lines.pop()
        (dest_dir / dest).write_text("\n".join(lines) + "\n", encoding="utf-8")
        lic = NPM / pkg / licence
        if lic.is_file():
            shutil.copy2(lic, dest_dir / f"{Path(dest).name.split('.')[0]}.LICENSE.md")
        log.info("vendor: %s@%s -> %s/%s", pkg, _package_version(pkg), VENDOR_DIR, dest)
