"""Where chunks of trajectories run: one small interface, three backends.

Each backend is a context manager whose ``map(function, items, progress)`` yields the results in
item order, keeping only a few chunks in flight so that memory stays bounded.  The work of a chunk
depends only on its inputs, so every backend gives identical results (tested).
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from collections import deque
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from simulate.errors import InputError


class InProcess:
    """Chunks in this process on two threads (numpy releases the GIL in its loops)."""

    name = "in-process"
    threads = min(2, os.cpu_count() or 1)

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def map(self, function: Callable, items: list[tuple],
            progress: Callable[[Iterable], Iterable] = iter) -> Iterator:
        if len(items) == 1 or self.threads == 1:
            for i in progress(range(len(items))):
                yield function(*items[i])
            return
        with ThreadPoolExecutor(self.threads) as pool:
            yield from windowed(pool.submit, function, items, 2 * self.threads, progress)


def windowed(submit: Callable, function: Callable, items: list[tuple], window: int,
             progress: Callable[[Iterable], Iterable]) -> Iterator:
    """Submit ``items`` keeping at most ``window`` in flight; yield results in order."""
    pending: deque = deque()
    ahead = iter(items)
    for item in islice(ahead, window):
        pending.append(submit(function, *item))
    for _ in progress(range(len(items))):
        result = pending.popleft().result()
        for item in islice(ahead, 1):
            pending.append(submit(function, *item))
        yield result


class LocalProcesses(InProcess):
    """Chunks in ``workers`` local processes."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.name = f"processes:{self.workers}"
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalProcesses:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(cancel_futures=True)

    def map(self, function: Callable, items: list[tuple],
            progress: Callable[[Iterable], Iterable] = iter) -> Iterator:
        yield from windowed(self.pool.submit, function, items, 2 * self.workers, progress)


class DaskBackend(InProcess):
    """Chunks as tasks on a Dask cluster: ``local`` starts a LocalCluster, ``tcp://host:port`` joins one.

    Needs the optional extra: ``pip install 'quiet-crisis[dask]'``.
    """

    def __init__(self, address: str, workers: int = 2):
        self.address, self.workers = address, workers
        self.name = f"dask:{address}"
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskBackend:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--dask needs Dask: pip install 'quiet-crisis[dask]'") from None
        if self.address == "local":
            warnings.filterwarnings("ignore", message="Port 8787 is already in use")  # workers' metrics servers
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None, worker_dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.address, timeout="10s")
            except OSError as error:
                raise InputError(f"--dask {self.address}: cannot reach the scheduler ({error})") from None
            except (ValueError, TypeError) as error:
                raise InputError(f"--dask {self.address!r}: not 'local' or a scheduler address such as "
                                 f"tcp://host:8786 ({error})") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def map(self, function: Callable, items: list[tuple],
            progress: Callable[[Iterable], Iterable] = iter) -> Iterator:
        def submit(fn: Callable, *args) -> object:
            return self.client.submit(fn, *args, pure=False)
        yield from windowed(submit, function, items, 4 * self.workers, progress)


def backend(dask: str | None = None, workers: int | None = None) -> InProcess:
    """The backend for the command-line options ``--dask`` and ``--workers``."""
    if dask:
        return DaskBackend(dask, workers or 2)
    if workers and workers > 1:
        return LocalProcesses(workers)
    return InProcess()
