"""Engine inputs for any rows of a forecast, the same numbers whatever the chunking or backend.

A forecast of N trajectories draws every trajectory's model parameters once, up front, from the
seed (``values``, (N, P): the columns of :data:`MODEL_PARAMETERS`).  The yearly shocks of trajectory i come from a generator seeded with
``(seed, i // BLOCK)``: the block's shocks are drawn whole and the rows needed are taken, so a
chunk, a process or a Dask worker that runs trajectory i gives it the same shocks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from simulate.demography.engine import DemographicInputs
from simulate.demography.lifetable import MortalityGrid
from simulate.economy import EconomicInputs
from simulate.futures.fertility import TFRModel, central_parameters, draw_tfr_parameters, tfr_around, tfr_paths
from simulate.futures.migration import MigrationModel, migration_paths
from simulate.futures.mortality import KappaModel, draw_drifts, e0_around, e0_paths, kappa_paths
from simulate.text.messages import N_, t
from simulate.units import PURE

#: Trajectories whose shocks are drawn together from one seeded generator.
BLOCK = 256


@dataclass(frozen=True)
class ModelParameter:
    """A model parameter drawn once per trajectory: its unit (``pint``) and what it is (``text``,
    a catalogue message)."""

    pint: str
    text: str

    def describe(self, lang: str | None = None) -> str:
        return t(self.text, lang)


#: The columns of a forecast's ``values``, in order: the trajectory's number in the seed's stream of
#: shocks, then the parameters each trajectory draws.
MODEL_PARAMETERS = {
    "stream": ModelParameter(PURE, N_("the trajectory's number in the stream of yearly shocks drawn from the seed")),
    "tfr_slope": ModelParameter("1/a", N_("fertility: slope of the log TFR at the origin, per year")),
    "tfr_sigma": ModelParameter("1/a", N_("fertility: standard deviation of the yearly change of the log TFR")),
    "kappa_drift": ModelParameter("1/a", N_("mortality: drift of the Lee-Carter level kappa, per year")),
}
#: What a forecast is centred on: name -> its words (catalogue).  ``scenario``: the scenario's own
#: paths of TFR, life expectancy, timing and migration; ``history``: the models fitted on the data alone.
SCENARIO, HISTORY = "scenario", "history"
CENTRES = {SCENARIO: N_("centred on the scenario's own assumptions"), HISTORY: N_("centred on the data alone")}
#: The components that draw yearly shocks, in the order of the shock array's last axis.
SHOCKS = ("tfr", "kappa", "migration", "sex_gap")
#: The columns of the shock array that drive mortality: the level's, then the sex gap's.
MORTALITY_SHOCKS = [SHOCKS.index("kappa"), SHOCKS.index("sex_gap")]


@dataclass
class ForecastInputs:
    """Fitted models and the deterministic inputs of a forecast (a batch of one), from which
    :meth:`batch` makes the engine inputs of any rows.

    ``base``: the origin's inputs (jump-off, history, grid, schedule; its tfr, e0 and migration are
    replaced).  ``economy``: the scenario's economy (batch of one), or None on the nationals universe
    (demographic indicators only).  ``timing``: mean-age shift by step (T,), years;
    ``migration_centre``: persons a year (T,).  ``grid``: what e0 is read on."""

    base: DemographicInputs
    economy: EconomicInputs | None
    tfr: TFRModel
    kappa: KappaModel
    migration: MigrationModel
    migration_centre: np.ndarray
    timing: np.ndarray
    grid: MortalityGrid
    seed: int
    origin: int
    universe: str
    #: :data:`SCENARIO`: TFR and e0 wander around ``base``'s own paths; :data:`HISTORY`: from the data alone.
    centre: str = HISTORY
    #: No shocks: every trajectory follows its parameters' expected path (the central projection).
    calm: bool = False

    @property
    def years(self) -> np.ndarray:
        """Years of every trajectory's results, history first; shape (H+T+1,)."""
        return self.base.years

    @property
    def steps(self) -> int:
        return self.base.n_steps

    def draw(self, n: int) -> np.ndarray:
        """Every trajectory's number and parameters (n, 1 + P), from the seed."""
        rng = np.random.default_rng([self.seed, 0])
        tfr = draw_tfr_parameters(self.tfr, rng, n)
        drift = draw_drifts(self.kappa, rng, n)
        return np.column_stack([np.arange(n, dtype=float), tfr, drift])

    def central(self) -> np.ndarray:
        """The fitted parameters as one row of ``values`` (trajectory 0); with :attr:`calm` set, its
        path is the models' central path."""
        return np.array([[0.0, *central_parameters(self.tfr), self.kappa.drift]])

    def shocks(self, rows: np.ndarray) -> np.ndarray:
        """Standard normal shocks (n, T, len(SHOCKS)) of trajectories ``rows`` (:data:`SHOCKS`)."""
        out = np.empty((len(rows), self.steps, len(SHOCKS)))
        if self.calm:
            out[:] = 0.0
            return out
        blocks = rows // BLOCK
        for block in np.unique(blocks):
            drawn = np.random.default_rng([self.seed, 1, int(block)]).standard_normal((BLOCK, self.steps, len(SHOCKS)))
            mine = blocks == block
            out[mine] = drawn[rows[mine] - block * BLOCK]
        return out

    def paths(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """TFR (n, T), e0 (n, T, 2) and net migration (n, T) of the trajectories in ``values``."""
        rows = values[:, 0].astype(np.int64)
        shocks = self.shocks(rows)
        migration = migration_paths(self.migration, self.migration_centre, shocks[:, :, 2])
        if self.centre == SCENARIO:
            return {"tfr": tfr_around(self.tfr, self.base.tfr[0], values[:, 1:3], shocks[:, :, 0]),
                    "e0": e0_around(self.grid, self.kappa, self.base.e0[0], values[:, 3], shocks[:, :, MORTALITY_SHOCKS]),
                    "net_migration": migration}
        kappa = kappa_paths(self.kappa, values[:, 3], shocks[:, :, MORTALITY_SHOCKS])
        return {"tfr": tfr_paths(self.tfr, values[:, 1:3], shocks[:, :, 0]), "e0": e0_paths(self.grid, kappa),
                "net_migration": migration}

    def batch(self, values: np.ndarray) -> tuple[DemographicInputs, EconomicInputs | None]:
        """Engine and economy inputs of the trajectories in ``values`` (n, 1 + P)."""
        n = len(values)
        drawn = self.paths(values)
        base = self.base
        demography = dataclasses.replace(
            base, tfr=drawn["tfr"], e0=drawn["e0"], net_migration=drawn["net_migration"],
            mean_age_shift=np.broadcast_to(self.timing, (n, self.steps)),
            sex_ratio_at_birth=np.broadcast_to(base.sex_ratio_at_birth[:1], (n, self.steps)),
            foreign_fertility=np.broadcast_to(base.foreign_fertility[:1], (n,)), migration_profile=base.migration_profile[:1])
        if self.economy is None:
            return demography, None
        economy = EconomicInputs(**{f.name: _rows(getattr(self.economy, f.name), n)
                                    for f in dataclasses.fields(EconomicInputs)})
        return demography, economy


def _rows(value, n: int):
    """A batch-of-one input broadcast to ``n`` trajectories (scalars unchanged)."""
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        return np.broadcast_to(value[:1], (n,) + value.shape[1:])
    return value
