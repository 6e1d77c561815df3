"""What this machine offers the program: its cores (the foundation asks here, never a constant)."""

from __future__ import annotations

import os

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
