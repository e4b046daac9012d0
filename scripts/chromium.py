"""The chromium the browser tests and scripts/bench launch, and how they launch it.

Debian's chromium (scripts/setup --browser installs it with apt) unless CHROMIUM names another Chromium-based
browser (the Pages workflow uses the runner's Chrome). ARGS keep it quiet (no first-run, sync or component
traffic) and offline: every host but 127.0.0.1 resolves to nothing, so a stray request fails instead of leaving.
"""

from __future__ import annotations

import os

PATH = os.environ.get("CHROMIUM") or "/usr/bin/chromium"

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
