"""The API at the command line's speed (issue 37): prints one JSON object (medians; not a timed test).

An ensemble of 10,000 trajectories of ``baseline`` (seed 1, in memory, no files) through
``simulate.ensemble`` in a fresh Python process:

- as a notebook or the explorer calls it, with no BLAS setting in the environment (the API limits
  BLAS to one thread itself, with threadpoolctl: ``simulate.machine.one_blas_thread``);
- in a process started with ``OPENBLAS_NUM_THREADS=1``, the command line's own setting;

and the command line's ``ensemble baseline --n 10000 --no-figures``: its own engine time
(``timings_s.run`` in ``ensemble.json``) and its wall time.  Target: the API call within 1.3 times
the command line's, measured both ways (against the command's engine time, the call's own engine
time; against the API with the command line's setting, the whole call).
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE")
REPEATS = 3

#: One process: a warm-up call, then REPEATS timed calls; prints the wall and engine times.
API_CALLS = f"""
import json, time, simulate
simulate.ensemble("baseline", n=600, seed=1)
walls, runs = [], []
for _ in range({REPEATS}):
    start = time.perf_counter()
    result = simulate.ensemble("baseline", n=10_000, seed=1)
    walls.append(time.perf_counter() - start)
    runs.append(result.ensemble.timings_s["run"])
print(json.dumps({{"wall_s": walls, "run_s": runs}}))
"""


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without any BLAS setting, plus ``settings``."""
    return {k: v for k, v in os.environ.items() if k not in BLAS} | settings


def api(**settings: str) -> dict[str, float]:
    """Median wall and engine seconds of the API call in a fresh process with ``settings``."""
    out = subprocess.run([sys.executable, "-c", API_CALLS], cwd=ROOT, env=environment(**settings), check=True,
                         capture_output=True, text=True).stdout
    times = json.loads(out.splitlines()[-1])
    return {"wall_s": round(statistics.median(times["wall_s"]), 3), "run_s": round(statistics.median(times["run_s"]), 3)}


def command() -> dict[str, float]:
    """Median wall seconds and own engine seconds of ``ensemble baseline --n 10000 --no-figures``."""
    walls, runs = [], []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "run.py"), "ensemble", "baseline", "--n", "10000", "--seed", "1",
                            "--no-figures", "--out", out, "--quiet"], cwd=ROOT, env=environment(), check=True)
            walls.append(time.perf_counter() - start)
            (folder,) = Path(out).glob("baseline_ensemble_*")
            runs.append(json.loads((folder / "ensemble.json").read_text(encoding="utf-8"))["timings_s"]["run"])
    return {"wall_s": round(statistics.median(walls), 3), "run_s": round(statistics.median(runs), 3)}


def main() -> None:
    plain, as_cli, cli = api(), api(OPENBLAS_NUM_THREADS="1"), command()
    emit(__file__, {
        "api_ensemble_10k": plain,
        "api_ensemble_10k_with_openblas_num_threads_1": as_cli,
        "command_ensemble_10k_no_figures": cli,
        "api_engine_to_command_engine": round(plain["run_s"] / cli["run_s"], 2),
        "api_call_to_api_call_with_command_line_setting": round(plain["wall_s"] / as_cli["wall_s"], 2),
        "targets": {"api_engine_to_command_engine": 1.3, "api_call_to_api_call_with_command_line_setting": 1.3},
    })


if __name__ == "__main__":
    main()
