"""End-to-end time of ``python run.py`` (every shipped scenario, comparison, reports), with figures
in the default format (SVG), with SVG and PNG, and without figures.

Prints one JSON object with the medians of three interleaved runs and the ratio of the run with
figures to the run without (target: <= 2).
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"figures": (), "figures_svg_png": ("--formats", "svg,png"), "no_figures": ("--no-figures",)}


def timed_run(out: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "run.py"), "--out", str(out), "--quiet", *extra], check=True,
                   cwd=ROOT)
    return time.perf_counter() - start


def main(repeats: int = 3) -> None:
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):  # interleaved, so that a noisy minute hits every kind alike
            for kind, extra in KINDS.items():
                times[kind].append(timed_run(Path(tmp) / f"{kind}{i}", *extra))
    median = {kind: statistics.median(t) for kind, t in times.items()}
    emit(__file__, {
        "scenarios": len(list((ROOT / "scenarios").glob("*.yaml"))),
        **{f"{kind}_s_median": round(m, 2) for kind, m in median.items()},
        **{f"{kind}_s": [round(t, 2) for t in times[kind]] for kind in KINDS},
        "figures_to_no_figures_ratio": round(median["figures"] / median["no_figures"], 2),
        "svg_png_to_no_figures_ratio": round(median["figures_svg_png"] / median["no_figures"], 2),
        "target_ratio": 2.0,
    })


if __name__ == "__main__":
    main()
