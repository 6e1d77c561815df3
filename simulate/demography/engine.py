"""The cohort-component engine: one batched projection for one run, an ensemble or a backcast.

Every array has a leading trajectory axis B (a deterministic run is B = 1).  The state is the
population on 1 October by sex (male, female) and single year of age 0..99, 100+: shape
(B, 2, 101), persons.  One step moves it from 1 October of year t to 1 October of t+1:

    pop(t+1) = survivors of pop(t) + surviving births + net migrants

and records the flows: births, deaths (those present at t or born in the step who are not among the
survivors at t+1, computed from the survival step) and net migrants.  Their balance,
``total(t+1) = total(t) + births - deaths + net_migration``, is then a check (tested), not a
definition.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dger

from simulate import data
from simulate.machine import cores
from simulate.demography.fertility import boys_share, shifted_shape
from simulate.demography.lifetable import MortalityGrid, mortality_grid

#: Positions on the sex axis (``data.SEXES``).
MALE, FEMALE = data.SEXES.index("male"), data.SEXES.index("female")
#: The sex axis of ``Projection.groups`` (B, T+1, sex, group).
SEX_AXIS = 2
#: Starts of the 5-year age groups kept for every year: 0-4, ..., 95-99, 100+ (21 groups).
GROUP_STARTS = np.arange(0, 101, 5)


@dataclass(frozen=True)
class DemographicInputs:
    """Resolved assumptions for B trajectories and T annual steps from ``start_year``.

    Step t covers 1 Oct (start_year + t) to 1 Oct (start_year + t + 1).
    ``jump_off``: persons (2, 101).  ``tfr``: children per woman (B, T).  ``mean_age_shift``:
    years (B, T).  ``sex_ratio_at_birth``: boys per 100 girls (B, T).  ``e0``: life expectancy at
    birth, years (B, T, 2).  ``net_migration``: persons per year (B, T).
    ``migration_profile``: share by sex and age (B or 1, 2, 101), summing to 1.
    ``birth_calibration``: factor on modelled births (:func:`simulate.demography.history.birth_calibration`).
    ``foreign_women``: women who are not Japanese nationals on 1 Oct ``start_year`` by age, persons
    (101,) (:func:`simulate.demography.base.foreign_women` at a census; the history's last state
    after it).  ``foreign_fertility``: their fertility relative to the TFR's rates, which are those
    of Japanese women (B,); where it is 1 they are not told apart.  The net migrants of later years
    join them (women by age, signed; the stock is kept between zero and all women of that age).
    ``history``: the observed years before ``start_year`` (a batch-of-one :class:`Projection` with
    single ages, ending in ``start_year`` with the state ``jump_off``), copied unchanged into every
    trajectory's output; None when the projection starts at the census.
    ``mortality``: the mortality grid e0 is read on (None: :func:`mortality_grid`, the 2015 base);
    ``fertility_schedule``: the base age schedule of fertility that ``mean_age_shift`` moves, summing
    to 1, (101,) (None: :func:`~simulate.demography.fertility.base_shape`, HFD 2015).  A forecast
    from an earlier origin passes both, built from the data up to that origin.
    """

    start_year: int
    jump_off: np.ndarray
    tfr: np.ndarray
    mean_age_shift: np.ndarray
    sex_ratio_at_birth: np.ndarray
    e0: np.ndarray
    net_migration: np.ndarray
    migration_profile: np.ndarray
    birth_calibration: float
    foreign_women: np.ndarray
    foreign_fertility: np.ndarray
    history: Projection | None = None
    mortality: MortalityGrid | None = None
    fertility_schedule: np.ndarray | None = None

    @property
    def n_trajectories(self) -> int:
        return self.tfr.shape[0]

    @property
    def n_steps(self) -> int:
        return self.tfr.shape[1]

    @property
    def n_history(self) -> int:
        """Observed steps before ``start_year`` (0 without history)."""
        return 0 if self.history is None else len(self.history.years) - 1

    @property
    def years(self) -> np.ndarray:
        """Years of the recorded states, history first: first year .. start_year + T; shape (H+T+1,)."""
        return np.arange(self.start_year - self.n_history, self.start_year + self.n_steps + 1)


@dataclass(frozen=True)
class Projection:
    """Engine output.  Flows in column ``y`` happened in the year to 1 Oct ``y`` (NaN at the start).

    ``groups``: persons by sex and 5-year group (B, T+1, 2, 21).  ``median_age``: years (B, T+1).
    ``births``, ``deaths``, ``net_migration``, ``total``: persons (B, T+1).  ``population``: persons
    by sex and single age (B, T+1, 2, 101) when ages were kept, else None.  ``deaths_by_age``:
    deaths in the year to 1 Oct y by sex and age *at the end of that year* (those aged x-1 at its
    start; age 0: the year's births), persons (B, T+1, 2, 101), when flows were kept, else None;
    ``migrants_by_age`` likewise, the net migrants of each year by sex and age.  ``emigration_cut``:
    net emigrants asked for who could not leave because nobody of their sex and age was left
    (:func:`bound_emigration`), persons (B, T+1); zero almost always.  ``foreign_women``: women who
    are not Japanese nationals on 1 Oct of the last year, by age, persons (B, 101).
    """

    years: np.ndarray
    groups: np.ndarray
    median_age: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    net_migration: np.ndarray
    total: np.ndarray
    population: np.ndarray | None = None
    deaths_by_age: np.ndarray | None = None
    migrants_by_age: np.ndarray | None = None
    emigration_cut: np.ndarray | None = None
    foreign_women: np.ndarray | None = None

    @property
    def both_sexes(self) -> np.ndarray:
        """Persons by 5-year group, men and women together (B, T+1, 21)."""
        return self.groups.sum(axis=SEX_AXIS)


def median_age(pop: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Median age in years of populations (B, 2, 101), ages uniform within each single year; (B,).

    ``groups`` (B, 2, 21), if given, are the 5-year sums of ``pop``: the median's group is found
    from them, then single ages are read only inside that group.
    """
    if groups is None:
        groups = group_sums(pop)
    n_groups = len(GROUP_STARTS)
    first = np.arange(len(pop))[:, None]
    cum = np.cumsum(groups.sum(axis=1), axis=1)  # both sexes (N, 21)
    half = cum[:, -1:] / 2.0
    g = np.minimum((cum < half).sum(axis=1, keepdims=True), n_groups - 1)
    before = np.where(g > 0, np.take(cum, first * n_groups + np.maximum(g - 1, 0)), 0.0)
    ages = np.minimum(GROUP_STARTS[g] + np.arange(5), data.N_AGES - 1)  # (N, 5)
    at = first * (2 * data.N_AGES) + ages  # positions in the flattened (N, 2, 101) array
    flat = pop.reshape(-1)
    by_age = np.take(flat, at) + np.take(flat, at + data.N_AGES)
    by_age[g[:, 0] == n_groups - 1, 1:] = 0.0  # the open group is a single "age"
    cum_age = before + np.cumsum(by_age, axis=1)
    k = np.minimum((cum_age < half).sum(axis=1, keepdims=True), 4)
    below = np.where(k > 0, np.take(cum_age, first * 5 + np.maximum(k - 1, 0)), before)
    return (np.take(ages, first * 5 + k) + (half - below) / np.take(by_age, first * 5 + k))[:, 0]


#: (101, 21) matrix summing single ages into :data:`GROUP_STARTS` groups.
GROUP_MATRIX = (np.minimum(np.arange(data.N_AGES) // 5, len(GROUP_STARTS) - 1)[:, None]
                == np.arange(len(GROUP_STARTS))[None, :]).astype(float)


def group_sums(pop: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Persons by sex and 5-year group: (..., 2, 101) C-contiguous -> (..., 2, 21)."""
    shape = pop.shape[:-1] + (len(GROUP_STARTS),)
    out = np.empty(shape) if out is None else out
    np.matmul(pop.reshape(-1, data.N_AGES), GROUP_MATRIX, out=out.reshape(-1, len(GROUP_STARTS)))
    return out


def survive(pop: np.ndarray, survival: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Age C-contiguous populations (B, 2, 101) one year into ``out``; age 0 is left at zero.

    One flat multiply shifts every row by one age (``out[a] = pop[a-1] * survival[a]``), then the
    open group and age 0, which the flat shift gets wrong, are set.
    """
    out = np.empty_like(pop) if out is None else out
    np.multiply(pop.reshape(-1)[:-1], survival.reshape(-1)[1:], out=out.reshape(-1)[1:])
    np.add(pop[:, :, 99], pop[:, :, 100], out=out[:, :, 100])
    out[:, :, 100] *= survival[:, :, 100]
    out[:, :, 0] = 0.0
    return out


def survive_women(women: np.ndarray, Sx: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:func:`survive` for one sex: women by age (B, 101) aged one year into ``out`` with the female
    survival ratios ``Sx`` (B, 101); age 0 is left at zero."""
    np.multiply(women[:, :99], Sx[:, 1:100], out=out[:, 1:100])
    np.add(women[:, 99], women[:, 100], out=out[:, 100])
    out[:, 100] *= Sx[:, 100]
    out[:, 0] = 0.0
    return out


def bound_emigration(pop: np.ndarray) -> np.ndarray:
    """Empty, in place, every sex-age cell of ``pop`` (B, 2, 101) that net emigration took below zero,
    and return the emigrants that cancelled by sex and age, persons (B, 2, 101), >= 0.

    Net emigration from a cell is so bounded by the people in it after the year's deaths and
    births: a cell can be emptied, never made negative.  The net migration recorded is what
    happened (asked for, less the cut).
    """
    cancelled = np.maximum(-pop, 0.0)
    np.maximum(pop, 0.0, out=pop)
    return cancelled


def add_migrants(pop: np.ndarray, net: np.ndarray, profile: np.ndarray) -> None:
    """Add ``net`` migrants (persons, (B,)) spread by ``profile`` ((1 or B, 2, 101), sums to 1) to
    ``pop`` (B, 2, 101) in place.  A shared profile is one BLAS rank-1 update (dger), 4x faster
    than a broadcast multiply and add."""
    if len(profile) == 1 and pop.flags.c_contiguous:
        flat = pop.reshape(len(pop), -1)
        dger(1.0, profile.reshape(-1), net, a=flat.T, overwrite_a=True)
    else:
        pop += net[:, None, None] * profile


#: Trajectories projected together: bounds the working memory of one chunk.
CHUNK = 512
#: Threads projecting chunks in parallel: the cores this process may use (:func:`simulate.machine.cores`).
THREADS = cores()
#: Ages with non-zero fertility in the base schedule (12..55); a shifted schedule can reach any age.
FERTILE = slice(12, 56)
ALL_AGES = slice(0, data.N_AGES)


def project(inputs: DemographicInputs, keep_ages: bool = False, chunk: int = CHUNK,
            threads: int | None = None, keep_flows: bool = False) -> Projection:
    """Run the cohort-component projection for every trajectory, ``chunk`` trajectories at a time,
    on ``threads`` threads (default :data:`THREADS`; callers that already run in parallel pass 1).

    Results do not depend on ``chunk`` or ``threads``: each trajectory's arithmetic is the same.
    Observed history (``inputs.history``) fills the first years of every trajectory unchanged.
    ``keep_flows`` also records deaths by sex and age (for ``flows.csv``; the history must have them).
    """
    B, H, T = inputs.n_trajectories, inputs.n_history, inputs.n_steps
    full = Projection(years=inputs.years, groups=np.empty((B, H + T + 1, 2, len(GROUP_STARTS))),
                      median_age=np.empty((B, H + T + 1)),
                      births=np.full((B, H + T + 1), np.nan), deaths=np.full((B, H + T + 1), np.nan),
                      net_migration=np.full((B, H + T + 1), np.nan), total=np.empty((B, H + T + 1)),
                      population=np.empty((B, H + T + 1, 2, data.N_AGES)) if keep_ages else None,
                      deaths_by_age=np.full((B, H + T + 1, 2, data.N_AGES), np.nan) if keep_flows else None,
                      migrants_by_age=np.full((B, H + T + 1, 2, data.N_AGES), np.nan) if keep_flows else None,
                      emigration_cut=np.zeros((B, H + T + 1)), foreign_women=np.empty((B, data.N_AGES)))
    if H:
        _copy_history(inputs.history, full)
    out = _from_year(full, H)
    chunks = [slice(first, min(first + chunk, B)) for first in range(0, B, chunk)]
    workers = min(THREADS if threads is None else threads, len(chunks))
    if workers == 1:
        _project_chunks(inputs, chunks, out)
    else:  # numpy releases the GIL in its loops: chunks run in parallel on separate cores
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda part: _project_chunks(inputs, part, out),
                          [chunks[i::workers] for i in range(workers)]))
    return full


def _from_year(full: Projection, first: int) -> Projection:
    """Views of ``full`` from time index ``first`` on: the engine writes the assumption years there."""
    def view(array: np.ndarray | None) -> np.ndarray | None:
        return None if array is None else array[:, first:]
    return Projection(years=full.years[first:], groups=view(full.groups), median_age=view(full.median_age),
                      births=view(full.births), deaths=view(full.deaths), net_migration=view(full.net_migration),
                      total=view(full.total), population=view(full.population),
                      deaths_by_age=view(full.deaths_by_age), migrants_by_age=view(full.migrants_by_age),
                      emigration_cut=view(full.emigration_cut), foreign_women=full.foreign_women)


def _copy_history(history: Projection, full: Projection) -> None:
    """Broadcast the observed years (a batch of one) into every trajectory of ``full``, flows into
    the last observed year included (the engine recomputes only that year's identical state)."""
    observed = len(history.years)
    for name in ("groups", "median_age", "births", "deaths", "net_migration", "total", "population",
                 "deaths_by_age", "migrants_by_age"):
        target = getattr(full, name)
        if target is not None:
            target[:, :observed] = getattr(history, name)[:, :observed]


def _project_chunks(inputs: DemographicInputs, chunks: list[slice], out: Projection) -> None:
    """Project and summarise several chunks in turn, reusing one time-major working history."""
    width = max(c.stop - c.start for c in chunks)
    history = np.empty((inputs.n_steps + 1, width, 2, data.N_AGES))
    group_history = np.empty((inputs.n_steps + 1, width, 2, len(GROUP_STARTS)))
    for rows in chunks:
        n = rows.stop - rows.start
        states, groups = history[:, :n], group_history[:, :n]
        _project_chunk(inputs, rows, states, groups, out)
        _summarise_chunk(states, groups, rows, out)


def cohort_step(pop: np.ndarray, new: np.ndarray, Sx: np.ndarray, ASFR: np.ndarray, fertile: slice,
                scale: np.ndarray, boys: np.ndarray, girls: np.ndarray, births: np.ndarray,
                foreign: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
    """One cohort-component step without migration, for B trajectories.

    ``pop``: persons on 1 Oct t by sex and age (B, 2, 101).  ``Sx``: survival ratios (B, 2, 101;
    index 0 takes births to age 0, index x ages x-1 -> x, index 100 ages 99 and 100+ -> 100+).
    ``ASFR``: the age schedule of fertility, summing to 1, over the ages ``fertile`` ((B, A), or a
    view broadcast to it), scaled by ``scale`` (B,): half the TFR (children per woman; exposure is
    the sum of two counts of women) times the birth calibration.  ``boys`` and ``girls``: shares of
    births (B,) (from the sex ratio at birth).  Fills ``new`` with the survivors on
    1 Oct t+1 (births included) and ``births`` (B,) with the year's births; exposure is the mean of
    women at the start and survivors at the end of the step.  ``foreign``: women who are not
    Japanese nationals at the start and their survivors at the end (B, 101 each), and how much less
    than the TFR's rates they bear (B,: one minus their relative fertility); their exposure counts
    that much less.
    """
    survive(pop, Sx, out=new)
    exposure = pop[:, FEMALE, fertile] + new[:, FEMALE, fertile]
    if foreign is not None:
        start, end, discount = foreign
        exposure -= discount[:, None] * (start[:, fertile] + end[:, fertile])
    np.einsum("ba,ba->b", exposure, ASFR, out=births)
    births *= scale
    np.multiply(births[:, None], Sx[:, :, 0], out=new[:, :, 0])
    new[:, MALE, 0] *= boys
    new[:, FEMALE, 0] *= girls


def deaths_by_age(pop: np.ndarray, new: np.ndarray, births: np.ndarray, boys: np.ndarray,
                  girls: np.ndarray) -> np.ndarray:
    """Deaths of one step by sex and age at its end (B, 2, 101): those who would have reached each
    age (the cohort one year younger at the start, the year's births at age 0, split by the
    ``boys`` and ``girls`` shares (B,)) less the survivors ``new`` (before migrants)."""
    reached = np.empty_like(pop)
    reached[:, :, 1:100] = pop[:, :, 0:99]
    reached[:, :, 100] = pop[:, :, 99] + pop[:, :, 100]
    reached[:, MALE, 0] = births * boys
    reached[:, FEMALE, 0] = births * girls
    return reached - new


@dataclass
class Chunk:
    """The rates of a chunk of n trajectories for every one of its T steps, prepared once (the
    e0 -> mortality root finding, birth scales and the boys' share for all steps at once), and the
    working arrays its steps reuse.  Built by :func:`prepare`; each step is one :func:`step`.

    ``table_rows``, ``weights``: mortality grid rows and weights (n, T, 2[, 1]).  ``scale``: half
    the TFR times the birth calibration (n, T).  ``boys``, ``girls``: shares of births (n, T).
    ``schedule``: the age schedule of fertility shared by the chunk (n, A view) or None when
    ``shift`` (years, (n, T)) moves it; ``fertile``: the ages it covers.  ``net``: net migrants
    (n, T); ``profile``: their shares by sex and age ((1 or n), 2, 101); ``leaving``: steps with
    net emigration somewhere (T,); ``outflows``: the profile takes people out of some ages.
    ``grid``: the mortality grid; ``base``: the base schedule of fertility (101,) or None (HFD 2015).
    ``discount``: one minus the relative fertility of women who are not nationals (n,); ``foreign``:
    those women by age (n, 101).  ``born``, ``survivors``, ``cut``: per step (n, T), filled by the steps.
    """

    table_rows: np.ndarray
    weights: np.ndarray
    scale: np.ndarray
    boys: np.ndarray
    girls: np.ndarray
    schedule: np.ndarray | None
    shift: np.ndarray
    fertile: slice
    net: np.ndarray
    profile: np.ndarray
    leaving: np.ndarray
    outflows: bool
    discount: np.ndarray
    told_apart: bool
    foreign: np.ndarray
    foreign_next: np.ndarray
    Sx: np.ndarray
    scratch: np.ndarray
    born: np.ndarray
    survivors: np.ndarray
    cut: np.ndarray
    grid: MortalityGrid
    base: np.ndarray | None = None


def prepare(inputs: DemographicInputs, rows: slice) -> Chunk:
    """The :class:`Chunk` of trajectories ``rows``."""
    tfr, shift = inputs.tfr[rows], inputs.mean_age_shift[rows]
    n = len(tfr)
    boys = boys_share(inputs.sex_ratio_at_birth[rows])
    profile = inputs.migration_profile[rows] if len(inputs.migration_profile) > 1 else inputs.migration_profile
    # one schedule shared by the chunk, broadcast once (a broadcast per step was a sixth of a run)
    base = inputs.fertility_schedule
    schedule = None if np.any(shift) or base is not None else np.broadcast_to(
        shifted_shape(np.zeros(1))[:, FERTILE], (n, FERTILE.stop - FERTILE.start))
    foreign = np.empty((n, data.N_AGES))  # C order: a copy of a broadcast view would not be
    foreign[:] = inputs.foreign_women
    discount = 1.0 - inputs.foreign_fertility[rows]
    grid = inputs.mortality or mortality_grid()
    table_rows, weights = grid.rows_and_weights(inputs.e0[rows])
    net = inputs.net_migration[rows]
    return Chunk(table_rows=table_rows, weights=weights, scale=(0.5 * inputs.birth_calibration) * tfr, boys=boys,
                 girls=1.0 - boys, schedule=schedule, shift=shift, fertile=FERTILE if schedule is not None else ALL_AGES,
                 net=net, profile=profile, leaving=net.min(axis=0) < 0, outflows=bool((profile[:, FEMALE] < 0).any()),
                 discount=discount, told_apart=bool(np.any(discount)), foreign=foreign,
                 foreign_next=np.empty_like(foreign), Sx=np.empty((n, 2, data.N_AGES)),
                 scratch=np.empty((n, 2, data.N_AGES)), born=np.empty(tfr.shape), survivors=np.empty(tfr.shape),
                 cut=np.zeros(tfr.shape), grid=grid, base=base)


def step(chunk: Chunk, t: int, pop: np.ndarray, new: np.ndarray,
         flows: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """One projection step, from 1 Oct t to 1 Oct t+1, in the shape of the UN's cohort-component
    projection, for the chunk's n trajectories: ``pop`` (n, 2, 101) -> ``new``.

    1. **Survival**: the step's survival ratios Sx; the survivors of ``pop`` (and of the women who
       are not nationals) one year older.
    2. **Births by mother's age**: the ASFR over the mean number of women at each age (those who are
       not nationals at their relative fertility), scaled by the TFR; their survivors at age 0 by sex.
    3. **Deaths**: everyone present or born less the survivors (the totals after the chunk; by sex
       and age when ``flows`` = (deaths, migrants) arrays (n, 2, 101) are given).
    4. **Migrants**: the step's net migrants by sex and age added; net emigration from a cell bounded
       by the people in it (the cut recorded); the net migrant women join those who are not nationals.
    """
    chunk.grid.survival_at(chunk.table_rows[:, t], chunk.weights[:, t], chunk.Sx, chunk.scratch)
    ASFR = chunk.schedule if chunk.schedule is not None else shifted_shape(chunk.shift[:, t], chunk.base)
    survive_women(chunk.foreign, chunk.Sx[:, FEMALE], out=chunk.foreign_next)
    cohort_step(pop, new, chunk.Sx, ASFR, chunk.fertile, chunk.scale[:, t], chunk.boys[:, t], chunk.girls[:, t],
                chunk.born[:, t], (chunk.foreign, chunk.foreign_next, chunk.discount) if chunk.told_apart else None)
    np.add.reduce(new.reshape(len(new), -1), axis=1, out=chunk.survivors[:, t])  # before migrants arrive
    net = chunk.net[:, t]
    if flows is not None:
        deaths, migrants = flows
        deaths[:] = deaths_by_age(pop, new, chunk.born[:, t], chunk.boys[:, t], chunk.girls[:, t])
        migrants[:] = net[:, None, None] * chunk.profile
    add_migrants(new, net, chunk.profile)
    if chunk.leaving[t] and new.min() < 0.0:
        cancelled = bound_emigration(new)
        chunk.cut[:, t] = cancelled.sum(axis=(1, 2))
        if flows is not None:
            flows[1][:] += cancelled
    chunk.foreign_next += net[:, None] * chunk.profile[:, FEMALE]  # net migrant women join the stock
    if chunk.leaving[t] or chunk.outflows:  # emigrants can take a cell of the stock below zero: empty it
        np.maximum(chunk.foreign_next, 0.0, out=chunk.foreign_next)
    chunk.foreign, chunk.foreign_next = chunk.foreign_next, chunk.foreign  # (within all women: both survive alike)


def _project_chunk(inputs: DemographicInputs, rows: slice, states: np.ndarray, groups: np.ndarray,
                   out: Projection) -> None:
    """Fill ``states`` (T+1, n, 2, 101) and their 5-year ``groups`` (T+1, n, 2, 21) for trajectories
    ``rows``, one :func:`step` a year; record births, deaths and migration.  Groups are summed while
    each state is in the cache."""
    chunk = prepare(inputs, rows)
    states[0] = inputs.jump_off
    group_sums(states[0], out=groups[0])
    keep = out.deaths_by_age is not None
    for t in range(inputs.n_steps):
        flows = (out.deaths_by_age[rows, t + 1], out.migrants_by_age[rows, t + 1]) if keep else None
        step(chunk, t, states[t], states[t + 1], flows)
        group_sums(states[t + 1], out=groups[t + 1])
    out.foreign_women[rows] = chunk.foreign
    out.births[rows, 1:] = chunk.born
    # deaths of each step, from the survival step itself: everyone present or born, less survivors
    out.deaths[rows, 1:] = groups[:-1].sum(axis=(2, 3)).T + chunk.born - chunk.survivors
    out.emigration_cut[rows, 1:] = chunk.cut
    out.net_migration[rows, 1:] = chunk.net + chunk.cut


def _summarise_chunk(states: np.ndarray, groups: np.ndarray, rows: slice, out: Projection) -> None:
    """Median ages, totals (and single ages if kept) of one chunk, all years at once."""
    years, n = states.shape[:2]
    out.groups[rows] = groups.transpose(1, 0, 2, 3)
    with np.errstate(divide="ignore", invalid="ignore"):  # an emptied population has no median age
        out.median_age[rows] = median_age(states.reshape(years * n, 2, data.N_AGES),
                                          groups.reshape(years * n, 2, -1)).reshape(years, n).T
    if out.population is not None:
        out.population[rows] = states.transpose(1, 0, 2, 3)
    out.total[rows] = groups.sum(axis=(2, 3)).T
