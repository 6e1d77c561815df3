"""One BLAS thread while the engine runs its own threads (issue 37, item 7): through the API, as on
the command line, and given back afterwards; nested uses share one limit; a
person's own BLAS setting is left alone.  Checked in a fresh process with no BLAS setting in its
environment (this test process has ``OPENBLAS_NUM_THREADS=1`` from ``conftest.py``, which OpenBLAS
reads once, when it loads)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from simulate import machine

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = textwrap.dedent("""
    import numpy, scipy.linalg
    from threadpoolctl import ThreadpoolController, threadpool_limits
    import simulate.pipeline as pipeline
    from simulate import api, machine

    def blas():
        return {info["num_threads"] for info in ThreadpoolController().info() if info["user_api"] == "blas"}

    with threadpool_limits(2, user_api="blas"):
        assert blas() == {2}, blas()
        seen, real = [], pipeline.project
        def watched(*args, **kwargs):
            seen.append(blas())
            return real(*args, **kwargs)
        pipeline.project = watched
        api.run("current")
        api.forecast("current", n=8)
        assert seen and all(found == {1} for found in seen), seen
        assert blas() == {2}, blas()  # given back
        with machine.one_blas_thread():
            with machine.one_blas_thread():
                assert blas() == {1}, blas()
            assert blas() == {1}, blas()  # the outer use still works on one
        assert blas() == {2}, blas()
    print("ok")
""")


def _clean_environment() -> dict:
    return {key: value for key, value in os.environ.items() if key not in machine.BLAS_SETTINGS}


def test_the_api_runs_on_one_blas_thread_and_gives_the_others_back():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=_clean_environment(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_a_persons_own_setting_is_left_alone():
    script = ("from threadpoolctl import ThreadpoolController\nimport numpy\nfrom simulate import machine\n"
              "with machine.one_blas_thread():\n"
              "    print({i['num_threads'] for i in ThreadpoolController().info() if i['user_api'] == 'blas'})")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_clean_environment() | {
        "OPENBLAS_NUM_THREADS": "2"}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "{2}", done.stderr[-2000:]
