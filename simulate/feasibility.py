"""Worlds that cannot exist: the checks every run, ensemble, sweep and backcast applies to its results.

A trajectory is *possible* when every population cell is finite and non-negative, the total
population is positive, and every indicator is finite (flows excepted in the first year, where they
are undefined) with GDP, productivity and the indices positive.  Net emigration is bounded in the
engine (:func:`simulate.demography.engine.bound_emigration`), so cells cannot go negative through
migration; what is left to catch is arithmetic that leaves the world: a population that dies out,
output that overflows or vanishes.  The checks are vectorised over the batch (one pass per
indicator), so they cost a few per cent of the engine (``benchmarks/bench_engine.py``).
"""

from __future__ import annotations

import numpy as np

from simulate import data
from simulate.demography.engine import GROUP_STARTS, Projection
from simulate.errors import SimulatorError

#: Indicators that must stay above zero (persons, USD, indices).
POSITIVE = ("population_total", "population_15_64", "productivity_index", "gdp", "gdp_index", "gdp_per_capita",
            "gdp_per_capita_index", "gdp_per_worker")
#: Flows of the year to 1 October: undefined (NaN) in a run's first year.
FLOWS = ("births", "deaths", "net_migration", "population_change")


class ImpossibleWorld(SimulatorError):
    """A run reached a state that cannot exist (exit 1); the message names the year and the quantity."""

    exit_code = 1


def _bad_cells(projection: Projection) -> np.ndarray:
    """(B, T+1) True where a population cell (single ages if kept, else 5-year groups) is negative
    or not finite."""
    cells = projection.population if projection.population is not None else projection.groups
    flat = cells.reshape(cells.shape[0], cells.shape[1], -1)
    return ~np.isfinite(flat).all(axis=2) | (flat.min(axis=2) < 0.0)


def _bad_indicators(indicators: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per indicator, (B, T+1) True where it is impossible (see module docstring)."""
    out = {}
    for name, values in indicators.items():
        bad = ~np.isfinite(values)
        if name in FLOWS:
            bad[:, 0] = False
        if name in POSITIVE:
            bad |= values <= 0.0
        if bad.any():
            out[name] = bad
    return out


def _all_fine(flat: np.ndarray, indicators: dict[str, np.ndarray]) -> bool:
    """The usual case, checked with whole-array reductions: nothing impossible anywhere in the batch."""
    if not (np.isfinite(flat.max()) and flat.min() >= 0.0):  # NaN propagates: isfinite(NaN) is False
        return False
    for name, values in indicators.items():
        part = values[:, 1:] if name in FLOWS else values
        low, high = part.min(), part.max()
        if not (np.isfinite(low) and np.isfinite(high)) or (name in POSITIVE and low <= 0.0):
            return False
    return True


def impossible(projection: Projection, indicators: dict[str, np.ndarray]) -> np.ndarray:
    """(B,) True for every trajectory that leaves the possible world in any year.

    Whole-batch minima and maxima first (they propagate NaN): when all is well, as almost always,
    that is the whole cost; the per-year masks :func:`first_problem` also reads are built only when
    something is wrong."""
    cells = projection.population if projection.population is not None else projection.groups
    flat = cells.reshape(len(cells), -1)
    if _all_fine(flat, indicators):
        return np.zeros(len(cells), dtype=bool)
    bad = _bad_cells(projection).any(axis=1)
    for mask in _bad_indicators(indicators).values():
        bad |= mask.any(axis=1)
    return bad


def first_problem(projection: Projection, indicators: dict[str, np.ndarray], trajectory: int = 0) -> str | None:
    """The first impossible thing in one trajectory, in words (year, and sex and age for a cell), or None."""
    years = projection.years
    cells = _bad_cells(projection)[trajectory]
    found: list[tuple[int, str]] = []
    if cells.any():
        t = int(np.argmax(cells))
        found.append((t, _cell_text(projection, trajectory, t)))
    for name, mask in _bad_indicators(indicators).items():
        row = mask[trajectory]
        if row.any():
            t = int(np.argmax(row))
            value = indicators[name][trajectory, t]
            found.append((t, f"{name} is {_value_text(value)} in {years[t]}"))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _value_text(value: float) -> str:
    if not np.isfinite(value):
        return "not a finite number" if np.isnan(value) else "infinite"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _cell_text(projection: Projection, b: int, t: int) -> str:
    kept = projection.population is not None
    cells = (projection.population if kept else projection.groups)[b, t]
    s, i = np.unravel_index(int(np.argmax(~np.isfinite(cells) | (cells < 0.0))), cells.shape)
    ages = (f"age {i}" + ("+" if i == data.N_AGES - 1 else "")) if kept else f"ages {GROUP_STARTS[i]}-{GROUP_STARTS[i] + 4}"
    return f"{projection.years[t]}: {data.SEXES[s]} {ages} has {_value_text(cells[s, i])} persons"


def check_possible(projection: Projection, indicators: dict[str, np.ndarray], names: list[str]) -> None:
    """Raise :class:`ImpossibleWorld` (one line) if any trajectory, named by ``names``, is impossible."""
    bad = impossible(projection, indicators)
    if bad.any():
        b = int(np.argmax(bad))
        raise ImpossibleWorld(f"scenario {names[b]} describes a world that cannot exist: "
                              f"{first_problem(projection, indicators, b)}; nothing was written "
                              "(check fertility, migration and economy settings for that year)")
