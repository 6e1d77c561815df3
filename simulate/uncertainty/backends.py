"""Where chunks of trajectories run: one small interface, three backends.

Each backend is a context manager whose ``map(function, items, progress, shared)`` yields
``function(*shared, *item)`` for each item in order, keeping only a few chunks in flight so that
memory stays bounded (``shared``: arguments common to every item, sent to each worker once).  A
chunk writes its trajectories into the store itself and returns only a few flags, so results never
travel back through the scheduler.  The work of a chunk depends only on its inputs, so every
backend gives identical results (tested).
"""

from __future__ import annotations

import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from collections import deque
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from simulate.errors import ParameterError, SimulatorError
from simulate.machine import cores
from simulate.processes import process_context, worker_init
from simulate.text.messages import t


class InProcess:
    """Chunks in this process on one thread per core (numpy releases the GIL in its loops)."""

    name = "in-process"
    threads = cores()
    #: Processes of this machine that hold a chunk (for the memory estimate; the main one aside).
    local_processes = 0

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def map(self, function: Callable, items: list[tuple], progress: Callable[[Iterable], Iterable] = iter,
            shared: tuple = ()) -> Iterator:
        if len(items) == 1 or self.threads == 1:
            for i in progress(range(len(items))):
                yield function(*shared, *items[i])
            return
        with ThreadPoolExecutor(self.threads) as pool:
            yield from windowed(pool.submit, function, items, lambda: 2 * self.threads, progress, shared=shared)


def windowed(submit: Callable, function: Callable, items: list[tuple], window: Callable[[], int],
             progress: Callable[[Iterable], Iterable], result: Callable[[Any], Any] = lambda f: f.result(),
             shared: tuple = ()) -> Iterator:
    """Submit ``items`` keeping at most ``window()`` in flight (asked again each time one finishes,
    so a cluster that grows gets more); yield results in order (``result`` waits for one future)."""
    pending: deque = deque()
    ahead = iter(items)
    for item in islice(ahead, max(1, window())):
        pending.append(submit(function, *shared, *item))
    for _ in progress(range(len(items))):
        result_ = result(pending.popleft())
        for item in islice(ahead, max(1, window() - len(pending))):
            pending.append(submit(function, *shared, *item))
        yield result_


class LocalProcesses(InProcess):
    """Chunks in ``workers`` local processes, started by ``start_method`` (default: ``fork`` where the
    system has it, else the system's own, ``spawn`` on Windows and macOS; both tested)."""

    start_method: str | None = None

    def __init__(self, workers: int | None = None):
        self.workers = workers or cores()
        self.local_processes = self.workers
        self.name = f"processes:{self.workers}"
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalProcesses:
        self.pool = ProcessPoolExecutor(self.workers, mp_context=process_context(self.start_method),
                                        initializer=worker_init)
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(cancel_futures=True)

    def map(self, function: Callable, items: list[tuple], progress: Callable[[Iterable], Iterable] = iter,
            shared: tuple = ()) -> Iterator:
        yield from windowed(self.pool.submit, function, items, lambda: 2 * self.workers, progress, shared=shared)


class NoWorkers(SimulatorError):
    """A distributed run has had no worker for longer than its timeout (exit 1)."""

    exit_code = 1


class DaskBackend(InProcess):
    """Chunks as tasks on a Dask cluster: ``local`` starts a LocalCluster, ``tcp://host:port`` joins one.

    A run waits at most ``timeout`` seconds for a first worker, and stops with :class:`NoWorkers`
    once the cluster has had no worker for that long (instead of waiting forever).
    Needs the optional extra: ``pip install 'quiet-crisis[dask]'``.
    """

    #: Seconds without any worker before a run gives up.
    timeout = 60.0
    #: Seconds to connect to a scheduler, enforced by this program (:meth:`_connect`).
    connect_timeout = 10.0
    #: Seconds between checks on a task that is not finished.
    poll = 2.0

    def __init__(self, address: str, workers: int = 2, timeout: float | None = None,
                 connect_timeout: float | None = None):
        self.address, self.workers = address, workers
        if connect_timeout is not None:
            self.connect_timeout = connect_timeout
        self.local_processes = workers if address == "local" else 0
        if timeout is not None:
            self.timeout = timeout
        self.name = f"dask:{address}"
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskBackend:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ParameterError("address", self.address, t("Dask is not installed: pip install 'quiet-crisis[dask]'")) from None
        if self.address == "local":
            warnings.filterwarnings("ignore", message="Port 8787 is already in use")  # workers' metrics servers
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None, worker_dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = self._connect(Client)
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (TimeoutError, OSError):
            self.__exit__()
            raise NoWorkers(self._no_workers("joined")) from None
        return self

    def _connect(self, Client: type) -> Any:
        """A client of the scheduler at :attr:`address`, within :attr:`connect_timeout` seconds by this
        program's own clock: the client runs in a daemon thread, and a scheduler that accepts the
        connection but never answers (which leaves Dask's own timeout waiting) is given up on."""
        outcome: dict[str, Any] = {}

        def connect() -> None:
            try:
                outcome["client"] = Client(self.address, timeout=f"{self.connect_timeout:g}s")
            except BaseException as error:  # noqa: BLE001 - reported below, in the caller's thread
                outcome["error"] = error

        thread = threading.Thread(target=connect, name="dask-connect", daemon=True)
        thread.start()
        thread.join(self.connect_timeout + 1.0)
        if thread.is_alive():
            raise ParameterError("address", self.address, t("the scheduler did not answer within {seconds} s (is it a Dask "
                                                            "scheduler, and is it running?)",
                                                            seconds=f"{self.connect_timeout:g}"), exit_code=1)
        error = outcome.get("error")
        if isinstance(error, (ValueError, TypeError)):
            raise ParameterError("address", repr(self.address), t("not 'local' or a scheduler address such as "
                                                                   "tcp://host:8786 (the system says: {detail})",
                                                                   detail=error)) from None
        if error is not None:
            raise ParameterError("address", self.address, t("cannot reach the scheduler (the system says: {detail})",
                                                            detail=" ".join(str(error).split())[:160]),
                                 exit_code=1) from None
        return outcome["client"]

    def _no_workers(self, what: str) -> str:
        return (f"{self.address}: no worker {what} within {self.timeout:g} s; start workers "
                f"(dask worker {self.address}) or run without Dask")

    def _result(self, future: Any) -> Any:
        """Wait for one task, giving up once the cluster has had no worker for :attr:`timeout` seconds."""
        alone_since = None
        while True:
            try:
                return future.result(timeout=self.poll)
            except TimeoutError:
                if self.client.scheduler_info().get("workers"):
                    alone_since = None
                elif alone_since is None:
                    alone_since = time.monotonic()
                elif time.monotonic() - alone_since > self.timeout:
                    raise NoWorkers(self._no_workers("left")) from None

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def window(self) -> int:
        """Chunks in flight: two per worker thread in the cluster now (at least two), so that every
        thread has its next chunk waiting and the client holds no more than that."""
        return max(2, 2 * sum(self.client.nthreads().values()))

    def map(self, function: Callable, items: list[tuple], progress: Callable[[Iterable], Iterable] = iter,
            shared: tuple = ()) -> Iterator:
        # Arguments common to every chunk (the scenario's resolved inputs) go to each worker once.
        shared = tuple(self.client.scatter(value, broadcast=True, hash=False) for value in shared)

        def submit(fn: Callable, *args) -> object:
            return self.client.submit(fn, *args, pure=False)
        yield from windowed(submit, function, items, self.window, progress, self._result, shared)


def backend(dask: str | None = None, workers: int | None = None) -> InProcess:
    """The backend for the command-line options ``--dask`` and ``--workers``."""
    if dask:
        return DaskBackend(dask, workers or 2)
    if workers and workers > 1:
        return LocalProcesses(workers)
    return InProcess()
