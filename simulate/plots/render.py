"""Rendering figures to files, in parallel processes when there are several jobs.

Each job is a module-level function taking plain data (frames, paths), so it can run in a worker
process; matplotlib is imported only inside the jobs.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from simulate.plots.kinds import DEFAULT_FORMATS, styled
from simulate.processes import process_context, worker_init


@styled
def scenario_figures(folder: Path, indicators: pd.DataFrame, population: pd.DataFrame, title: str,
                     calendar: tuple[int, int], lang: str = "en") -> list[Path]:
    """Write every scenario figure into ``folder``; ``calendar``: the scenario's
    (base year, last observed year), marked on time charts."""
    from simulate.plots.figures import SCENARIO_FIGURES
    from simulate.plots.style import save

    written = []
    for stem, (build, needs_population) in SCENARIO_FIGURES.items():
        written += save(build(population if needs_population else indicators, title, calendar, lang), folder, stem)
    return written


@styled
def comparison_figures(folder: Path, long: pd.DataFrame, years: list[int], title: str,
                       titles: dict[str, str] | None = None, lang: str = "en",
                       bases: dict[str, int] | None = None) -> list[Path]:
    """Write the comparison line chart and grouped bar chart into ``folder``; ``titles``: scenario
    name -> title for the legends; ``bases``: scenario name -> index base year."""
    from simulate.plots import comparison
    from simulate.plots.style import save

    return (save(comparison.lines(long, title, titles, lang, bases), folder, "lines")
            + save(comparison.dots(long, years, title, titles, lang, bases), folder, "dots"))


@styled
def backcast_figure(folder: Path, solved: pd.DataFrame, base: pd.DataFrame, metric: str, year: int,
                    threshold: float, lever_text: str, title: str, calendar: tuple[int, int],
                    lang: str = "en") -> list[Path]:
    """Write the backcast figure into ``folder``."""
    from simulate.plots.figures import backcast
    from simulate.plots.style import save

    return save(backcast(solved, base, metric, year, threshold, lever_text, title, calendar, lang), folder,
                "backcast")


@styled
def frontier_figure(folder: Path, table: pd.DataFrame, first: str, second: str, targets: str, odds: float | None,
                    lang: str = "en") -> list[Path]:
    """Write the frontier (isoquant) of two levers into ``folder``."""
    from simulate.plots.style import save
    from simulate.plots.uncertainty import frontier

    return save(frontier(table, first, second, targets, odds, lang), folder, "frontier")


@styled
def reality_figure(folder: Path, table: pd.DataFrame, title: str, history_end: int, lang: str = "en") -> list[Path]:
    """Write the reality-check figure into ``folder``."""
    from simulate.plots.reality import reality_figure as build
    from simulate.plots.style import save

    return save(build(table, title, history_end, lang), folder, "reality_check")


def uncertainty_figures(name: str, *args, formats: tuple[str, ...] = DEFAULT_FORMATS) -> list[Path]:
    """Run the figure job ``name`` of :mod:`simulate.plots.uncertainty` (``ensemble_figures``,
    ``tornado_figures``, ``heatmap_figure``), importing it, and matplotlib, only where it runs: a
    command hands ``functools.partial(uncertainty_figures, name)`` to a figure worker without
    loading matplotlib itself."""
    from simulate.plots import uncertainty

    return getattr(uncertainty, name)(*args, formats=formats)


def warm_worker() -> None:
    """Initializer of figure workers: :func:`~simulate.processes.worker_init`, then matplotlib, the
    house fonts and a first small figure, so that the first real figure is as fast as the rest."""
    import io

    worker_init()
    from simulate.plots.style import house_style, plt

    with house_style():
        fig = plt.figure(figsize=(1, 1))
        fig.text(0.1, 0.5, "Population 人口 2040")
        fig.savefig(io.BytesIO(), format="svg")
        plt.close(fig)
    gc.freeze()  # what is loaded stays: later collections need not walk matplotlib's objects again


#: How figure workers start (``None``: fork where the system has it, else the system's own;
#: :func:`~simulate.processes.process_context`).
START_METHOD: str | None = None


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=process_context(START_METHOD), initializer=warm_worker)


#: Figure workers started ahead of time (:func:`prestart`), taken by the next :class:`Jobs`.
_PRESTARTED: list[ProcessPoolExecutor] = []


def prestart(workers: int | None = None) -> None:
    """Start figure workers now, so that they load matplotlib and the fonts while this process
    runs the engine; the next :class:`Jobs` uses them (:func:`stop_prestarted` if none comes)."""
    stop_prestarted()
    pool = _pool(workers or os.cpu_count() or 1)
    pool.submit(int)  # with fork, the first task starts every worker
    _PRESTARTED.append(pool)


def stop_prestarted() -> None:
    """Stop prestarted figure workers that no :class:`Jobs` took."""
    while _PRESTARTED:
        _PRESTARTED.pop().shutdown(cancel_futures=True)


class Jobs:
    """Figure jobs started at once in up to ``workers`` forked processes (default: cores), or in the
    :func:`prestart` ed ones, so that the caller's own work (tables, CSVs) overlaps with drawing;
    :meth:`completed` yields each job's index as it is drawn, :meth:`wait` returns when all are,
    and both raise the first job's error.  With one worker or one job and nothing prestarted, the
    jobs run in the caller, one by one, as they are asked for."""

    def __init__(self, jobs: list[tuple[Callable, tuple]], progress: Callable[[Iterable], Iterable] | None = None,
                 workers: int | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS):
        self.jobs, self.progress, self.formats = jobs, progress or (lambda it: it), formats
        self.workers = min(workers or os.cpu_count() or 1, len(jobs))
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict = {}
        if jobs and (self.workers > 1 or _PRESTARTED):
            self.pool = _PRESTARTED.pop() if _PRESTARTED else _pool(self.workers)
            self.futures = {self.pool.submit(fn, *args, formats=formats): i for i, (fn, args) in enumerate(jobs)}

    def completed(self) -> Iterator[int]:
        """The index of each job, in the order they finish."""
        if self.pool is None:
            for i in self.progress(range(len(self.jobs))):
                fn, args = self.jobs[i]
                fn(*args, formats=self.formats)
                yield i
            return
        try:
            for future in self.progress(as_completed(self.futures)):
                future.result()
                yield self.futures[future]
        finally:
            self.close()

    def wait(self) -> None:
        for _ in self.completed():
            pass

    def close(self) -> None:
        """Drop queued jobs (on an error or interrupt) and stop the workers."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
