"""The on-disk ensemble dataset: a zarr store that chunks of trajectories are streamed into.

Every design (ensemble, sweep, sensitivity) writes its trajectories here chunk by chunk, from
whichever process ran the chunk: the main process, a local worker process or a Dask worker that
sees the same folder.  Nothing but the sampled values (N, P) and the ``possible`` flags (N,) is
ever held for every trajectory, so memory does not grow with N; quantiles and target odds read one
indicator at a time back from the store.

Layout (zarr format 3, opened by ``xarray.open_zarr`` as a labelled dataset; no compression, as
writing is then close to the disk's speed and any zarr reader opens it; a task writes all its
arrays concurrently, in one trip to zarr's event loop; the metadata is consolidated once every
chunk is in, so ``xarray.open_zarr(path)`` opens it with its defaults, in one read):

- ``trajectory`` (N,) and ``year`` (T,) coordinates, with ``sex`` and ``age`` if ages are kept;
- each indicator of :data:`simulate.indicators.NAMES` as a (trajectory, year) float64 variable with
  ``units``, ``long_name`` and ``long_name_ja`` from the registry;
- each sampled parameter as ``parameter_<name>`` (trajectory,), described by its distribution;
- ``possible`` (trajectory,) int8: 1 for a possible world, 0 if left out of quantiles and odds;
- with ages kept, ``sex`` (0 male, 1 female), ``age`` and ``population`` (trajectory, year, sex, age) in persons.
"""

from __future__ import annotations

import shutil
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from simulate import data
from simulate.errors import InputError, ParameterError, SimulatorError
from simulate.indicators import NAMES, REGISTRY
from simulate.scenario.levers import LEVERS
from simulate.scenario.model import setting_unit
from simulate.scenario.uncertainty_model import Parameter
from simulate.text.messages import t
from simulate.units import PURE, pint_unit

#: The ensemble dataset's name inside a result folder.
STORE_NAME = "trajectories.zarr"
#: Bytes per trajectory and year of the indicators, and of single ages when kept.
INDICATOR_BYTES = len(NAMES) * 8
AGE_BYTES = len(data.SEXES) * data.N_AGES * 8

StoreLike = Any  # a folder path (str or Path) or a zarr.storage.MemoryStore


def store_bytes(n: int, years: int, keep_ages: bool) -> int:
    """Size of the store of ``n`` trajectories over ``years`` years (bytes)."""
    return n * years * (INDICATOR_BYTES + (AGE_BYTES if keep_ages else 0))


def check_disk(folder: Path, n: int, years: int, keep_ages: bool) -> None:
    """Refuse (exit 2, before any work) a store that would not fit on the disk of ``folder``."""
    need = store_bytes(n, years, keep_ages)
    probe = Path(folder)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if need > 0.95 * free:
        hint = t(" (without {keep_ages})", keep_ages="{keep_ages}") if keep_ages else ""
        raise ParameterError("n", f"{n:,}", t("the trajectories need about {need} GB on disk for {store}, more than the "
                                              "{free} GB free under {folder}: use a smaller {n}{hint} or another {out}",
                                              need=f"{need / 2**30:,.1f}", store=STORE_NAME, free=f"{free / 2**30:,.1f}",
                                              folder=probe, n="{n}", hint=hint, out="{out}"))


#: The metadata conventions the store follows (units in the vocabulary of :mod:`simulate.units`).
CONVENTIONS = "CF-1.10"


def parameter_unit(parameter: Parameter) -> str:
    """The unit of a sampled parameter's values: a factor (``scale``, ``stretch``) is a pure number;
    a lever, a ``shift`` or a ``path`` is in its setting's unit (:mod:`simulate.units`); a model's
    parameter (a forecast's) carries its own (``pint``)."""
    if getattr(parameter, "pint", None) is not None:
        return parameter.pint
    if parameter.lever:
        return pint_unit(LEVERS[parameter.lever].unit)
    if parameter.scale or parameter.stretch:
        return PURE
    word = setting_unit(parameter.shift or parameter.path)
    return PURE if word is None else pint_unit(word)


def _group(store: StoreLike, mode: str):
    import zarr

    return zarr.open_group(str(store) if isinstance(store, Path) else store, mode=mode, zarr_format=3)


def create(store: StoreLike, years: np.ndarray, values: np.ndarray, parameters: dict, chunk: int,
           keep_ages: bool, base_year: int | None) -> Destination:
    """Lay out the store for ``values`` (N, P) sampled parameters over ``years`` and write what is
    known before the run: coordinates, attributes and the sampled values.  Returns where chunks go.
    Every array is created (and its values written) concurrently, in one trip to zarr's event loop."""
    import asyncio

    import zarr.api.asynchronous as zarr_async
    from zarr.core.sync import sync

    n, t = len(values), len(years)
    rows = max(1, min(chunk, n))
    sexes, ages = len(data.SEXES), data.N_AGES
    # name -> shape, chunks, dimension names, dtype, attributes, fill value, values known now (or None)
    layout: dict[str, tuple] = {
        "trajectory": ((n,), (n,), ("trajectory",), "int64", {"units": PURE, "long_name": "trajectory number"}, None,
                       np.arange(n)),
        "year": ((t,), (t,), ("year",), "int32",
                 {"units": PURE, "long_name": "calendar year (states on 1 October; flows in the year to 1 October)"},
                 None, years)}
    for name in NAMES:
        indicator = REGISTRY[name]
        words = indicator.unit.format(base=base_year if base_year is not None else "base year")
        attrs = {"units": indicator.pint, "units_in_words": words, "long_name": indicator.en,
                 "long_name_ja": indicator.ja}
        if indicator.kind == "index" and base_year is not None:
            attrs["index_base_year"] = base_year
        layout[name] = ((n, t), (rows, t), ("trajectory", "year"), "float64", attrs, np.nan, None)
    for i, (name, parameter) in enumerate(parameters.items()):
        layout[f"parameter_{name}"] = ((n,), (n,), ("trajectory",), "float64",
                                       {"units": parameter_unit(parameter),
                                        "long_name": f"sampled parameter {name}: {parameter.describe()}"}, np.nan,
                                       values[:, i])
    layout["possible"] = ((n,), (n,), ("trajectory",), "int8",
                          {"units": PURE, "flag_values": [0, 1], "flag_meanings": "impossible possible",
                           "long_name": "1: a possible world; 0: left out of quantiles and odds"}, 0, None)
    if keep_ages:
        # Strings have no zarr-3 data type yet, so sex is coded the CF way: 0 male, 1 female.
        layout["sex"] = ((sexes,), (sexes,), ("sex",), "int8",
                         {"units": PURE, "flag_values": list(range(sexes)), "flag_meanings": " ".join(data.SEXES)},
                         None, np.arange(sexes))
        layout["age"] = ((ages,), (ages,), ("age",), "int32", {"units": "a", "long_name": "age (100 = 100 and over)"},
                         None, np.arange(ages))
        layout["population"] = ((n, t, sexes, ages), (rows, t, sexes, ages), ("trajectory", "year", "sex", "age"),
                                "float64", {"units": PURE, "units_in_words": "persons",
                                            "long_name": "population on 1 October by sex and age (age 100 = 100 "
                                            "and over)"}, np.nan, None)
    token = uuid.uuid4().hex

    async def lay_out() -> None:
        group = await zarr_async.open_group(str(store) if isinstance(store, Path) else store, mode="w",
                                            zarr_format=3)

        async def array(name: str, shape, chunks, dims, dtype, attrs, fill, known) -> None:
            created = await group.create_array(name, shape=shape, chunks=chunks, dtype=dtype, compressors=None,
                                               fill_value=fill, dimension_names=dims, attributes=attrs)
            if known is not None:
                await created.setitem(slice(None), known)

        await asyncio.gather(*(array(name, *spec) for name, spec in layout.items()))
        await group.update_attributes({"Conventions": CONVENTIONS, "title": "Quiet Crisis Simulator ensemble",
                                       "parameters": ", ".join(parameters), "token": token})

    sync(lay_out())
    return Destination(store, token)


@dataclass(frozen=True)
class Destination:
    """Where a design's chunks go: the ``store`` (a folder, or a memory store for in-process runs)
    and the ``token`` its :func:`create` wrote, which names this store among any others a process
    has written to (so a worker opens each store's arrays once, not once per chunk)."""

    store: StoreLike = field(compare=False, hash=False)
    token: str


class StoreUnreachable(SimulatorError):
    """A worker cannot see the store its chunk must be written to (exit 1)."""

    exit_code = 1


@lru_cache(maxsize=4)
def _arrays(destination: Destination) -> dict:
    if isinstance(destination.store, Path) and not (destination.store / "zarr.json").is_file():
        raise StoreUnreachable(f"worker on {socket.gethostname()} cannot see {destination.store}: with a Dask "
                               "cluster, --out must be a folder every worker sees at the same path")
    group = _group(destination.store, "r+")
    if group.attrs.get("token") != destination.token:
        raise StoreUnreachable(f"{destination.store}: the ensemble store was replaced while the run wrote to it")
    return {name: group[name] for name in group.array_keys()}


def write_chunk(destination: Destination, rows: slice, indicators: dict[str, np.ndarray],
                population: np.ndarray | None) -> None:
    """Write one chunk's indicators (name -> (n, T)) and single ages (n, T, 2, 101) at ``rows``;
    an indicator not given (not projected: no economy) keeps the store's fill value, NaN.
    Called where the chunk ran; chunks are aligned with the store's, so writers never share a file."""
    import asyncio

    from zarr.core.sync import sync

    arrays = _arrays(destination)
    writes = [(arrays[name], indicators[name]) for name in NAMES if name in indicators]
    if population is not None:
        writes.append((arrays["population"], population))

    async def write_all() -> None:  # one trip to zarr's event loop for every array, written concurrently
        await asyncio.gather(*(array.async_array.setitem(rows, values) for array, values in writes))

    sync(write_all())


def finish(store: StoreLike, possible: np.ndarray) -> None:
    """Record which trajectories are possible worlds, once every chunk is in, and let go of the
    arrays this process opened for writing (a memory store would otherwise outlive its ensemble)."""
    _group(store, "r+")["possible"][:] = possible.astype(np.int8)
    _arrays.cache_clear()
    _consolidate(store)


def _consolidate(store: StoreLike) -> None:
    """Gather every array's metadata into the root ``zarr.json``, so that ``xarray.open_zarr`` opens
    the store in one read and without a warning.  Consolidated metadata is not yet part of the zarr
    v3 specification (zarr says so in a warning); zarr-python and xarray both read it."""
    import warnings

    import zarr

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
        zarr.consolidate_metadata(str(store) if isinstance(store, Path) else store)


class StoredIndicators(Mapping):
    """The store's indicators as a read-only mapping name -> (N, T) array, read from the store on
    each access (one indicator at a time: nothing is cached, so memory stays bounded)."""

    def __init__(self, store: StoreLike):
        self.store = store

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in NAMES:
            raise KeyError(name)
        return _group(self.store, "r")[name][:]

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)


def population(store: StoreLike) -> np.ndarray | None:
    """Single ages (N, T, 2, 101) if they were kept, else None (reads them all: mind N)."""
    group = _group(store, "r")
    return group["population"][:] if "population" in group else None


def open_dataset(store: StoreLike):
    """The store as a lazily loaded ``xarray.Dataset``."""
    import xarray as xr

    if not isinstance(store, (str, Path)):
        return xr.open_zarr(store, consolidated=True, chunks=None)
    if not (Path(store) / "zarr.json").is_file():
        raise InputError(f"{store}: " + t("no ensemble dataset here (expected a {store} folder)", store=STORE_NAME))
    return xr.open_zarr(str(store), consolidated=True, chunks=None)


def open_trajectories(folder: Path | str):
    """The labelled ensemble dataset (``trajectories.zarr``) in result ``folder`` as a lazily loaded
    ``xarray.Dataset``."""
    return open_dataset(Path(folder) / STORE_NAME)
