"""Hostile input stays cheap: ``validate`` on the 567-byte "billion laughs" alias file and on a file
just under the 1 MB limit packed with keyframes, as whole processes.

Prints one JSON object: median wall seconds over 5 runs and peak resident memory (MB) of each.
Run with ``python benchmarks/bench_hostile.py``; targets: alias file under 2 s and 200 MB.
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(path: Path, runs: int = 5) -> dict:
    """Median wall time and the largest peak memory of ``run.py validate path`` in fresh processes."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "validate", str(path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)  # kB on Linux
        assert os.waitstatus_to_exitcode(status) == 2, "the hostile file should be refused (exit 2)"
    return {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times],
            "peak_mb": round(max(peaks), 1)}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        packed = Path(folder) / "keyframes.yaml"
        lines = ["name: packed", "fertility:", "  tfr:"] + [f"    {2017 + i}: 1.4" for i in range(66_000)]
        packed.write_text("\n".join(lines) + "\n", encoding="utf-8")
        emit(__file__, {"alias_bomb_567_bytes": measure(ROOT / "tests" / "bad_scenarios" / "alias_bomb.yaml"),
                          f"keyframes_{packed.stat().st_size:,}_bytes": measure(packed),
                          "targets": {"alias_bomb_s": 2.0, "alias_bomb_mb": 200}})


if __name__ == "__main__":
    main()
