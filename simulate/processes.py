"""Clean deaths: SIGTERM handled like Ctrl-C, worker processes that end with their parent, and
signals held back while a result folder is being swapped into place.

``timeout``, systemd, batch schedulers and container runtimes stop a program with SIGTERM; the
command line turns it into :class:`Terminated` (a KeyboardInterrupt, so every ``finally`` and
temporary-folder clean-up that handles Ctrl-C handles it too) and exits 143.  Worker processes
(figures, ``--workers``) ignore both signals, leaving the parent to stop them, and end on their own
within :data:`WATCH_SECONDS` when their parent disappears (SIGKILL, the out-of-memory killer).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

#: How often a worker checks that its parent is alive, seconds.
WATCH_SECONDS = 0.5
#: Exit code after SIGTERM (128 + 15, what shells report).
TERMINATED_EXIT = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwind like Ctrl-C, then exit :data:`TERMINATED_EXIT`."""

    #: The signal that raises it (sent again if the exception is swallowed: ``simulate.__main__``).
    signum = signal.SIGTERM


def process_context(start_method: str | None = None) -> multiprocessing.context.BaseContext:
    """How worker processes start: ``start_method`` if given, else ``fork`` where the system has it
    (workers inherit what is loaded, no re-import), else the system's own (``spawn`` on Windows and
    macOS, a fresh interpreter that inherits nothing).  Ensemble chunks and figure jobs run under
    both (tested)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(start_method or ("fork" if "fork" in methods else None))


#: The process that installed the SIGTERM handler (a forked child inherits the handler).
_HANDLER_PID = 0


def _raise_terminated(signum, frame) -> None:
    if os.getpid() != _HANDLER_PID:  # a worker forked a moment ago, before its initializer ran:
        os._exit(TERMINATED_EXIT)  # leave quietly; the parent reports and cleans up
    raise Terminated()


def handle_sigterm() -> None:
    """Make SIGTERM raise :class:`Terminated` in the main thread (no-op elsewhere)."""
    global _HANDLER_PID
    if threading.current_thread() is threading.main_thread():
        _HANDLER_PID = os.getpid()
        signal.signal(signal.SIGTERM, _raise_terminated)


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(WATCH_SECONDS)


def worker_init() -> None:
    """Initializer for worker processes: leave Ctrl-C and SIGTERM (which reach the whole process
    group) to the parent, which cancels queued work, lets running jobs finish and stops the pool;
    end on their own when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block ends (then act on the first that came), so that
    a few renames finish together.  Python runs signal handlers in the main thread, so this swaps
    the handlers there (whatever thread the signal reached); elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: pending.append(signum))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if pending:
            handler = previous[pending[0]]
            if callable(handler):
                handler(pending[0], None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), pending[0])


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (MB): ``VmHWM`` from ``/proc/self/status`` where
    there is one (it starts afresh at exec, unlike ``ru_maxrss``, which keeps a forking parent's
    size), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import sys
    try:
        import resource
    except ImportError:  # Windows: no getrusage; psutil's peak working set where it is installed
        try:
            import psutil
        except ImportError:
            return float("nan")
        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024

