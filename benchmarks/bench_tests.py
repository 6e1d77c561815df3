"""The inner loop (issue 37): prints one JSON object (wall seconds; not a timed test).

- the fast tests (``python -m pytest -m "not slow"``) on every core (``-n auto``, pytest-xdist) and
  in one process, and their ratio;
- with ``--ci``, also the whole ``.ci/run`` on a clean clone of this checkout's HEAD (install,
  lint, golden test, every test on every core, the mutation check): about half an hour here.

Target (issue 37): the fast tests within 60 s and ``.ci/run`` within 6 minutes on these 2-core
machines.  Each measurement runs once (minutes each); the record says what else ran beside it only
if you write it down.
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))
from record import emit  # noqa: E402

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What a user's machine has: no BLAS setting of its own (conftest sets one thread for the tests).
BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in BLAS}


def fast_tests(*extra: str) -> dict:
    """Wall seconds and the count of passed tests of ``pytest -m "not slow"`` with ``extra``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider", *extra],
                          cwd=ROOT, env=environment(), capture_output=True, text=True)
    wall = time.perf_counter() - start
    passed = re.search(r"(\d+) passed", done.stdout)
    return {"wall_s": round(wall, 1), "passed": int(passed.group(1)) if passed else 0, "exit": done.returncode}


def ci_run() -> dict:
    """Wall seconds and exit status of ``.ci/run`` on a clean clone of HEAD."""
    with tempfile.TemporaryDirectory(prefix="quiet-crisis-ci-") as folder:
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        start = time.perf_counter()
        done = subprocess.run(["bash", ".ci/run"], cwd=clone, env=environment() | {"CI": "true"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return {"wall_s": round(time.perf_counter() - start, 1), "exit": done.returncode}


def main(with_ci: bool = False) -> None:
    parallel, serial = fast_tests("-n", "auto"), fast_tests()
    figures = {"fast_tests_every_core": parallel, "fast_tests_one_process": serial,
               "fast_tests_speed_up": round(serial["wall_s"] / parallel["wall_s"], 2)}
    if with_ci:
        figures["ci_run"] = ci_run()
    emit(__file__, figures | {"targets": {"fast_tests_every_core.wall_s": 60, "ci_run.wall_s": 360}})


if __name__ == "__main__":
    main(with_ci="--ci" in sys.argv[1:])
