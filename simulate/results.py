"""One labelled result: every run's outcomes with named dimensions, as an ``xarray.Dataset``.

Dimensions: ``scenario``, ``year``, ``sex`` (male, female), ``age`` (0..100, 100 = 100+) and
``age_group`` (the labour groups 15-19 ... 70-74, 75+).  Variables:

- every indicator of the registry, ``(scenario, year)``, with ``units`` and ``long_name`` (English
  and Japanese) from :mod:`simulate.indicators`;
- ``population`` ``(scenario, year, sex, age)``, persons on 1 October;
- the labour table, ``(scenario, year, sex, age_group)``: ``labour_population``,
  ``participation_rate``, ``labour_force_by_group``, ``unemployment_rate_by_group``,
  ``employed_by_group``, ``hours_worked_by_group``.

Scenarios on different calendars share one ``year`` axis; a scenario's years outside its own run
hold NaN.  The tables the writers write (``indicators.csv``, ``population.csv``, ``labour.csv``)
and the figures read from it, so there is one source for every number.  The arrays are held as
numpy arrays with their dimension names; :meth:`Results.to_xarray` builds the dataset when asked
(xarray is not loaded by a run that does not ask).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from html import escape

import numpy as np
import pandas as pd

from simulate import data
from simulate.text.reprs import short_repr
from simulate.indicators import NAMES, REGISTRY
from simulate.scenario.economy_model import LABOUR_GROUPS
from simulate.units import pint_unit

#: The labour table's columns (``labour.csv``) and the variables that hold them.
LABOUR = {"population": "labour_population", "participation_rate": "participation_rate",
          "labour_force": "labour_force_by_group", "unemployment_rate": "unemployment_rate_by_group",
          "employed": "employed_by_group", "hours_worked": "hours_worked_by_group"}
LABOUR_UNITS = {"population": "persons", "participation_rate": "%", "labour_force": "persons",
                "unemployment_rate": "%", "employed": "persons", "hours_worked": "hours per year"}
#: What the short views show.
HEADLINE = ("population_total", "population_15_64", "population_65_plus", "labour_force", "gdp_per_capita")
#: Dimensions of each kind of variable.
DIMS = {"indicator": ("scenario", "year"), "population": ("scenario", "year", "sex", "age"),
        "labour": ("scenario", "year", "sex", "age_group")}


def _attrs(name: str) -> dict:
    """CF attributes: ``units`` for programs (:mod:`simulate.units`), ``units_in_words`` for people."""
    if name in REGISTRY:
        return {"units": REGISTRY[name].pint, "units_in_words": REGISTRY[name].unit, "long_name": REGISTRY[name].en,
                "long_name_ja": REGISTRY[name].ja}
    if name == "population":
        return {"units": pint_unit("persons"), "units_in_words": "persons",
                "long_name": "Population on 1 October by sex and age"}
    column = next(c for c, n in LABOUR.items() if n == name)
    return {"units": pint_unit(LABOUR_UNITS[column]), "units_in_words": LABOUR_UNITS[column],
            "long_name": f"{column.replace('_', ' ')} by labour group"}


@dataclass(frozen=True)
class Results:
    """Labelled outcomes of one or several runs (see the module docstring).

    ``names``, ``titles``: the scenarios; ``years``: the shared year axis; ``arrays``: variable ->
    numpy array with the dimensions of :data:`DIMS`; ``spans``: each scenario's own first and last
    year."""

    names: tuple[str, ...]
    titles: tuple[str, ...]
    years: np.ndarray
    arrays: dict[str, np.ndarray] = field(repr=False)
    spans: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of_batch(cls, names: list[str], titles: list[str], years: np.ndarray, indicators: dict[str, np.ndarray],
                 population: np.ndarray, labour: dict[str, np.ndarray]) -> Results:
        """Runs sharing a calendar: ``indicators`` (name -> (B, T)), ``population`` (B, T, 2, 101),
        ``labour`` (column of ``labour.csv`` -> (B, T, 2, 13))."""
        arrays = dict(indicators) | {"population": population} | {LABOUR[c]: labour[c] for c in LABOUR}
        years = np.asarray(years, dtype=np.int64)
        return cls(tuple(names), tuple(titles), years, arrays, tuple((int(years[0]), int(years[-1])) for _ in names))

    @classmethod
    def combine(cls, rows: list[tuple[Results, int]]) -> Results:
        """Runs of several batches (one per calendar), each given as (batch, its row), as one result
        on the union of their years, in that order."""
        parts = list({id(part): part for part, _ in rows}.values())
        if len(parts) == 1 and [i for _, i in rows] == list(range(len(parts[0].names))):
            return parts[0]
        years = np.unique(np.concatenate([p.years for p in parts]))
        arrays = {}
        for key in parts[0].arrays:
            out = np.full((len(rows), len(years)) + parts[0].arrays[key].shape[2:], np.nan)
            for row, (part, i) in enumerate(rows):
                out[row, np.searchsorted(years, part.years)] = part.arrays[key][i]
            arrays[key] = out
        return cls(tuple(p.names[i] for p, i in rows), tuple(p.titles[i] for p, i in rows), years, arrays,
                   tuple(p.spans[i] for p, i in rows))

    def select(self, rows: list[int]) -> Results:
        """Only the runs in ``rows`` (their years still on the shared axis)."""
        return Results(tuple(self.names[r] for r in rows), tuple(self.titles[r] for r in rows), self.years,
                       {k: v[rows] for k, v in self.arrays.items()}, tuple(self.spans[r] for r in rows))

    def _columns(self, scenario: str | int) -> tuple[int, slice]:
        """The row of ``scenario`` (a name, or a row number when names repeat) and its own years."""
        row = scenario if isinstance(scenario, int) else self.names.index(scenario)
        first, last = self.spans[row]
        start = int(np.searchsorted(self.years, first))
        return row, slice(start, start + last - first + 1)

    def own_years(self, scenario: str | int) -> np.ndarray:
        """The years of ``scenario``'s own run."""
        return self.years[self._columns(scenario)[1]]

    def indicators(self, scenario: str | int) -> pd.DataFrame:
        """``indicators.csv`` of ``scenario``: ``year`` then every indicator, in registry order."""
        row, span = self._columns(scenario)
        frame = pd.DataFrame({name: self.arrays[name][row, span] for name in NAMES})
        frame.insert(0, "year", self.years[span])
        return frame

    def population(self, scenario: str | int) -> pd.DataFrame:
        """``population.csv`` of ``scenario``: year, sex, age, population (persons)."""
        row, span = self._columns(scenario)
        index = pd.MultiIndex.from_product([self.years[span], list(data.SEXES), np.arange(data.N_AGES)],
                                           names=["year", "sex", "age"])
        return pd.DataFrame({"population": self.arrays["population"][row, span].reshape(-1)}, index=index).reset_index()

    def labour(self, scenario: str | int) -> pd.DataFrame:
        """``labour.csv`` of ``scenario``: year, sex, age_group, then the labour columns."""
        row, span = self._columns(scenario)
        index = pd.MultiIndex.from_product([self.years[span], list(data.SEXES), list(LABOUR_GROUPS)],
                                           names=["year", "sex", "age_group"])
        return pd.DataFrame({column: self.arrays[name][row, span].reshape(-1) for column, name in LABOUR.items()},
                            index=index).reset_index()

    @cached_property
    def _dataset(self):
        import xarray as xr

        def dims(name: str) -> tuple[str, ...]:
            return DIMS["indicator" if name in REGISTRY else "population" if name == "population" else "labour"]
        variables = {name: (dims(name), values, _attrs(name)) for name, values in self.arrays.items()}
        coords = {"scenario": list(self.names), "year": self.years, "sex": list(data.SEXES),
                  "age": np.arange(data.N_AGES), "age_group": list(LABOUR_GROUPS), "title": ("scenario", list(self.titles))}
        return xr.Dataset(variables, coords=coords, attrs={"Conventions": "CF-1.10",
                                                           "title": "Quiet Crisis Simulator results"})

    def to_xarray(self):
        """Everything as one ``xarray.Dataset`` (the module docstring lists its dimensions)."""
        return self._dataset

    @classmethod
    def from_xarray(cls, dataset) -> Results:
        """A dataset of :meth:`to_xarray` back as results."""
        names = tuple(str(s) for s in dataset["scenario"].values)
        years = dataset["year"].values.astype(np.int64)
        arrays = {name: np.asarray(dataset[name].values) for name in dataset.data_vars}
        spans = tuple((int(years[np.isfinite(t)][0]), int(years[np.isfinite(t)][-1]))
                      for t in arrays["population_total"])
        return cls(names, tuple(str(t) for t in dataset["title"].values), years, arrays, spans)

    def to_pandas(self) -> pd.DataFrame:
        """Every indicator, long: scenario, year, indicator, value (each scenario's own years)."""
        frames = [self.indicators(s).melt(id_vars="year", var_name="indicator", value_name="value")
                  .assign(scenario=s) for s in self.names]
        return pd.concat(frames)[["scenario", "year", "indicator", "value"]].reset_index(drop=True)

    def __repr__(self) -> str:
        shown = ", ".join(self.names[:4]) + (f", … ({len(self.names)} in all)" if len(self.names) > 4 else "")
        return short_repr(f"<Results of {shown}: years {self.years[0]}-{self.years[-1]}, {len(NAMES)} indicators, population "
                "by sex and age, labour by sex and age group; .to_xarray(), .to_pandas()>")

    def _repr_html_(self) -> str:
        """A small table for notebooks: the headline indicators in 2030 and 2040 of every scenario."""
        years = [y for y in (2030, 2040) if y in self.years]
        head = "".join(f"<th>{escape(REGISTRY[n].en)} {y}</th>" for n in HEADLINE for y in years)
        rows = []
        for row, name in enumerate(self.names):
            cells = "".join(f"<td>{self.arrays[n][row, int(np.searchsorted(self.years, y))]:,.0f}</td>"
                            for n in HEADLINE for y in years)
            rows.append(f"<tr><th>{escape(name)}</th>{cells}</tr>")
        return (f"<table><caption>{escape(repr(self))}</caption><thead><tr><th>scenario</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
