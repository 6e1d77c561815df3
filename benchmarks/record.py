"""Benchmarks print one JSON object; with ``--record`` they also keep it, with when, where and at
which commit it was measured, in ``benchmarks/results/<benchmark>.json``.  The README's speed
tables are rendered from those records by ``scripts/readme_figures.py`` (never typed by hand)."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    """Cores and processor of this machine, in words."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}"


def commit() -> str:
    """The checked-out commit (short), with ``+`` when the work tree has changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True).stdout.strip()
        return head + ("+" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def emit(script: str, figures: dict) -> None:
    """Print ``figures`` as JSON; with ``--record`` on the command line also write the record."""
    print(json.dumps(figures, indent=2))
    if "--record" in sys.argv[1:]:
        RESULTS.mkdir(exist_ok=True)
        record = {"when": datetime.date.today().isoformat(), "machine": machine(), "commit": commit(),
                  "python": platform.python_version(), "figures": figures}
        target = RESULTS / f"{Path(script).stem}.json"
        target.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"recorded in {target}", file=sys.stderr)
