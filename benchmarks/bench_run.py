"""End-to-end time of ``python run.py`` (every shipped scenario, figures, comparison, reports).

Prints one JSON object with the median of three runs (target: 15 s on the 2-core machines).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_run(out: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "run.py"), "--out", str(out), "--quiet", *extra], check=True,
                   cwd=ROOT)
    return time.perf_counter() - start


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        full = [timed_run(Path(tmp) / f"full{i}") for i in range(repeats)]
        tables = [timed_run(Path(tmp) / f"tables{i}", "--no-figures") for i in range(repeats)]
        scenarios = len(list((ROOT / "scenarios").glob("*.yaml")))
    print(json.dumps({
        "scenarios": scenarios,
        "run_all_s_median": round(statistics.median(full), 2),
        "run_all_s": [round(t, 2) for t in full],
        "run_all_no_figures_s_median": round(statistics.median(tables), 2),
        "target_s": 15.0,
    }, indent=2))


if __name__ == "__main__":
    main()
