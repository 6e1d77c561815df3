"""``python -m simulate`` and the ``quiet-crisis`` command: start the command line, exiting 130
(not a traceback) if Ctrl-C arrives while the libraries are still loading."""

from __future__ import annotations

import _thread
import gc
import os
import signal
import sys


def interrupt_main_on_ctrl_c(unraisable) -> None:
    """``sys.unraisablehook`` that passes a swallowed Ctrl-C (or SIGTERM) on to the main thread.

    A signal can land inside a callback whose exceptions Python cannot raise, such as the import
    system's module-lock cleanup while a library loads; Python would print "Exception ignored in
    ... KeyboardInterrupt" with a traceback and carry on as if nothing had arrived.  Here the signal
    that raised it (SIGINT, or the ``signum`` of a subclass such as
    :class:`simulate.processes.Terminated`) is sent again to the main thread, where the command
    line turns it into one line and exit code 130 (143).  It is sent from a new thread, so that it
    arrives after this hook has returned (raised inside the hook, it would be swallowed again).
    Every other unraisable exception goes to Python's own hook."""
    if not issubclass(unraisable.exc_type, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)
        return
    if sys.is_finalizing():  # the command has finished: a signal sent again now would only kill the exit
        return
    import threading

    signum = getattr(unraisable.exc_type, "signum", signal.SIGINT)
    _thread.start_new_thread(signal.pthread_kill, (threading.main_thread().ident, signum))


def main() -> int:
    # The engine runs trajectory chunks on parallel threads; multi-threaded BLAS inside each chunk's
    # small matrix products would oversubscribe the cores.  Set for this program only (before numpy
    # loads), never on import of the package; an explicit user setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.unraisablehook = interrupt_main_on_ctrl_c
    try:
        from simulate.cli import main as command_line
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    code = command_line()
    # The command has finished and said how: a Ctrl-C from here on (while the interpreter shuts
    # down) must not turn its exit status into a death by signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Every output is written and closed.  Without this, the interpreter's last garbage collection
    # walks every object again on the way out: 0.4 s after a 10,000-trajectory ensemble.
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(main())
