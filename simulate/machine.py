"""What this machine offers the program: its cores (the foundation asks here, never a constant),
and one BLAS thread while the engine runs its own threads."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator

#: Environment variable that sets the threads and local workers used, instead of the cores found.
THREADS_SETTING = "QUIET_CRISIS_THREADS"


def cores() -> int:
    """Cores this process may use: its CPU affinity (a container's or a batch job's limit), or
    :data:`THREADS_SETTING` when set to a positive whole number; at least 1."""
    setting = os.environ.get(THREADS_SETTING, "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        found = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        found = len(os.sched_getaffinity(0))
    else:
        found = os.cpu_count()
    return max(1, found or 1)


#: Environment variables by which a person sets BLAS threads themselves (then they are left alone).
BLAS_SETTINGS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_blas: dict[str, Any] = {"lock": threading.Lock(), "depth": 0, "limiter": None}


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS limited to one thread while the engine works (its chunks already run on every core:
    BLAS threads inside each chunk's small matrix products would oversubscribe them, 1.6 times
    slower for an ensemble of 10,000 through the API).  Nested uses share one limit, lifted when
    the outermost ends (a concurrent caller joins it, at worst running with BLAS's own threads);
    a BLAS setting in the environment is left as the person set it.  The command line sets ``OPENBLAS_NUM_THREADS=1`` before numpy loads, to the same effect."""
    if any(name in os.environ for name in BLAS_SETTINGS):
        yield
        return
    with _blas["lock"]:
        if _blas["depth"] == 0:  # the libraries loaded now (scipy's BLAS may load after numpy's)
            from threadpoolctl import ThreadpoolController

            _blas["limiter"] = ThreadpoolController().limit(limits=1, user_api="blas")
        _blas["depth"] += 1
    try:
        yield
    finally:
        with _blas["lock"]:
            _blas["depth"] -= 1
            if _blas["depth"] == 0:
                _blas["limiter"].restore_original_limits()
                _blas["limiter"] = None
