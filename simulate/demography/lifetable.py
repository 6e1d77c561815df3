"""Life tables, the base death rates by sex, and the Lee-Carter age pattern of improvement.

Mortality in a scenario is ``m_x(kappa) = m_x(base) * exp(b_x * kappa)`` per sex: ``b_x`` is the
Lee-Carter age pattern estimated from the HMD female history (1970-2015), adjusted at old ages
(:data:`OLD_AGE_ADJUSTMENT`), and ``kappa`` is the per-year level solved so that life expectancy
at birth follows the scenario's e0 path.

Because e0 depends on ``kappa`` alone (one base schedule per sex), the root finding is done once
for the whole batch: :class:`MortalityGrid` tabulates e0 and the survival ratios the projection
needs on a dense ``kappa`` grid, and :meth:`MortalityGrid.lookup` inverts e0 -> kappa and
interpolates the survival ratios for every trajectory at once (vectorized, no loop over ages or
trajectories).  Interpolation error is below 1e-6 years of e0 (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from simulate import data
from simulate.calendar import LEE_CARTER_YEARS, MORTALITY_BASE_YEAR as BASE_YEAR
from simulate.errors import InputError

#: Log-scale adjustment of the Lee-Carter pattern at old ages, piecewise linear between
#: :data:`OLD_AGE_KNOTS` (0 up to the first knot, constant after the last).  HMD's 1970-2015
#: pattern improves ages 70-85 much faster than the oldest ages, which left the 100+ group 13 %
#: below IPSS 2017 medium in 2040 (19 % in 2065) and 75-89 1-4 % above it.  The three values were
#: fitted (Nelder-Mead) so that the baseline's population aged 65-69 ... 95-99 and 100+ (weight 1/4)
#: matches IPSS 2017 medium in 2030, 2040, 2050 and 2065: ``python scripts/fit_mortality_pattern.py``.
#: The result cuts the improvement at 75 by 44 % and raises it by half at 105 and beyond.
OLD_AGE_KNOTS = (60.0, 75.0, 90.0, 105.0)
OLD_AGE_ADJUSTMENT = (-0.572, -0.043, 0.416)
#: HMD female e0 2015 is 86.97; official (22nd complete life table) 2015: M 80.75, F 86.99.
OFFICIAL_E0_2015 = {"male": 80.75, "female": 86.99}


def life_table(mx: np.ndarray, a0: float | np.ndarray) -> dict[str, np.ndarray]:
    """Period life table from death rates.

    ``mx``: central death rates per person-year, shape (..., 111) for ages 0..109 and 110+.
    ``a0``: average years lived in the first year by those dying in it (scalar or (...)).
    Returns ``lx`` (survivors, radix 1), ``Lx`` and ``Tx`` (person-years), shape (..., 111), and
    ``e0`` (years), shape (...).  Ages 1+ use ax = 0.5; the open group has Lx = lx / mx.
    """
    ax = np.full(mx.shape, 0.5)
    ax[..., 0] = a0
    qx = mx / (1.0 + (1.0 - ax) * mx)
    qx = np.minimum(qx, 1.0)
    qx[..., -1] = 1.0
    with np.errstate(divide="ignore"):  # log(0) = -inf where nobody survives: lx = 0 after it
        log_px = np.log1p(-qx[..., :-1])
    # Survivorship via a cumulative sum of logs: no subnormal numbers (which are very slow) when
    # mortality is extreme; underflow goes straight to zero.
    cum = np.cumsum(log_px, axis=-1)
    cum[cum < -700.0] = -np.inf
    lx = np.concatenate([np.ones(mx.shape[:-1] + (1,)), np.exp(cum)], axis=-1)
    dx = lx * qx
    Lx = lx - (1.0 - ax) * dx
    Lx[..., -1] = lx[..., -1] / mx[..., -1]
    Tx = np.cumsum(Lx[..., ::-1], axis=-1)[..., ::-1]
    return {"lx": lx, "Lx": Lx, "Tx": Tx, "e0": Tx[..., 0]}


def projection_survival(Lx: np.ndarray, Tx: np.ndarray) -> np.ndarray:
    """Survival ratios for one annual cohort-component step, shape (..., 101).

    Index 0: births in the year surviving to age 0 on the next 1 October (``L0 / l0``, radix 1);
    index 1+x for x = 0..98: age x -> x+1 (``L(x+1) / L(x)``); index 100: ages 99 and 100+
    together -> 100+ (``T(100) / T(99)``).
    """
    out = np.empty(Lx.shape[:-1] + (data.N_AGES,))
    out[..., 0] = Lx[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where nobody survives: ratio 0
        out[..., 1:100] = Lx[..., 1:100] / Lx[..., 0:99]
        out[..., 100] = Tx[..., 100] / Tx[..., 99]
    return np.nan_to_num(out, nan=0.0)


def expand_groups(values: np.ndarray) -> np.ndarray:
    """Spread values given for the e-Stat 5-year groups (21) over single ages 0..110 (111).

    Log-linear interpolation between group mid-points, constant beyond the end groups.
    """
    mids = data.ESTAT_GROUP_STARTS + 2.0
    return np.exp(np.interp(np.arange(data.N_LT_AGES), mids, np.log(values)))


@lru_cache(maxsize=1)
def base_death_rates() -> tuple[np.ndarray, float]:
    """Death rates of the base year 2015 by sex, shape (2, 111), and the infant a0 used.

    Female: HMD 2015 table.  Male: female rates times the e-Stat 2015 male/female ratio of death
    rates, 5-year groups smoothed over single ages (:func:`expand_groups`).
    """
    female = data.hmd_female_table(BASE_YEAR, BASE_YEAR, "mx")[0]
    a0 = float(data.hmd_female_table(BASE_YEAR, BASE_YEAR, "ax")[0, 0])
    rates = data.estat_death_rates(BASE_YEAR)
    ratio = expand_groups(rates[0] / rates[1])
    return np.stack([female * ratio, female]), a0


@lru_cache(maxsize=1)
def hmd_bx() -> np.ndarray:
    """Lee-Carter age pattern b_x (sums to 1) from HMD female log death rates 1970-2015; shape (111,)
    (:func:`lee_carter_pattern` of :data:`~simulate.calendar.LEE_CARTER_YEARS`)."""
    return lee_carter_pattern(*LEE_CARTER_YEARS)


@lru_cache(maxsize=None)
def lee_carter_pattern(first: int, last: int) -> np.ndarray:
    """Lee-Carter age pattern b_x (sums to 1) from HMD female log death rates ``first``..``last``;
    shape (111,).

    First right singular vector of the centred log-rate matrix (years x ages), sign chosen so
    that mortality falls as kappa falls.
    """
    log_m = np.log(data.hmd_female_table(first, last, "mx"))
    centred = log_m - log_m.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    bx = vt[0]
    return bx / bx.sum()


def lee_carter_bx(adjustment: tuple[float, ...] | None = None) -> np.ndarray:
    """The age pattern the model uses: :func:`hmd_bx` times ``exp`` of the old-age adjustment
    (default :data:`OLD_AGE_ADJUSTMENT`), normalised to sum 1; shape (111,)."""
    values = OLD_AGE_ADJUSTMENT if adjustment is None else adjustment
    log_factor = np.interp(np.arange(data.N_LT_AGES), OLD_AGE_KNOTS, (0.0,) + tuple(values))
    bx = hmd_bx() * np.exp(log_factor)
    return bx / bx.sum()


@dataclass
class MortalityGrid:
    """e0 and projection survival ratios tabulated on a uniform kappa grid, per sex.

    ``kappa``: (G,); ``e0``: (G, 2) years, strictly decreasing in kappa; ``survival``: (G, 2, 101)
    as in :func:`projection_survival`.
    """

    kappa: np.ndarray
    e0: np.ndarray
    survival: np.ndarray

    def grid_position(self, e0: np.ndarray) -> np.ndarray:
        """Fractional grid index at which each sex reaches ``e0`` (years, shape (..., 2)) -> (..., 2).

        This is the batch-wide root finding: e0 is monotone in kappa, so the root is found by
        monotone interpolation of the tabulated e0 (one vectorized call per sex).
        """
        out = np.empty(e0.shape)
        for s in range(2):
            out[..., s] = np.interp(-e0[..., s], self._ascending_e0[s], self._grid_index)
        return out

    def rows_and_weights(self, e0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For e0 (years, (..., 2)): rows of the flattened tables (..., 2) and interpolation weights
        (..., 2, 1) that :meth:`survival_at` combines; computed for all steps at once."""
        pos = self.grid_position(e0)
        idx = np.minimum(pos.astype(np.intp), len(self.kappa) - 2)
        return 2 * idx + np.arange(2), (pos - idx)[..., None]

    def survival_at(self, rows: np.ndarray, weights: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
        """Survival ratios into ``out`` (B, 2, 101) from :meth:`rows_and_weights` of one step."""
        n = len(rows)
        np.take(self._flat_step, rows.ravel(), axis=0, out=out.reshape(2 * n, -1), mode="clip")
        out *= weights
        np.take(self._flat_survival, rows.ravel(), axis=0, out=scratch.reshape(2 * n, -1), mode="clip")
        out += scratch
        return out

    @cached_property
    def _ascending_e0(self) -> list[np.ndarray]:
        return [np.ascontiguousarray(-self.e0[:, s]) for s in range(2)]

    @cached_property
    def _grid_index(self) -> np.ndarray:
        return np.arange(len(self.kappa), dtype=float)

    def kappa_for(self, e0: np.ndarray) -> np.ndarray:
        """Lee-Carter level kappa giving life expectancy ``e0`` (years, (B, 2)); shape (B, 2)."""
        return np.interp(self.grid_position(e0), np.arange(len(self.kappa)), self.kappa)

    def lookup(self, e0: np.ndarray) -> np.ndarray:
        """Survival ratios (B, 2, 101) giving life expectancy ``e0`` (years, shape (B, 2))."""
        rows, weights = self.rows_and_weights(e0)
        out = np.empty((len(e0), 2, data.N_AGES))
        return self.survival_at(rows, weights, out, np.empty_like(out))

    @cached_property
    def _flat_survival(self) -> np.ndarray:
        return np.ascontiguousarray(self.survival.reshape(-1, data.N_AGES))

    @cached_property
    def _flat_step(self) -> np.ndarray:
        return np.ascontiguousarray(self.survival_step.reshape(-1, data.N_AGES))

    @cached_property
    def survival_step(self) -> np.ndarray:
        """Differences between successive grid rows of ``survival``, (G, 2, 101); last row zero."""
        return np.diff(self.survival, axis=0, append=self.survival[-1:])

    def check_range(self, e0: np.ndarray, where: str = "mortality.e0") -> None:
        """Raise :class:`InputError` if any e0 lies outside what the Lee-Carter pattern can reach."""
        lo, hi = self.e0.min(axis=0), self.e0.max(axis=0)
        for s, sex in enumerate(data.SEXES):
            bad = (e0[..., s] < lo[s]) | (e0[..., s] > hi[s])
            if np.any(bad):
                raise InputError(f"{where}.{sex}: e0 {e0[..., s][bad].flat[0]:.2f} is outside the range "
                                 f"{lo[s]:.1f}-{hi[s]:.1f} years that the mortality model can reach")


def _kappa_grid() -> np.ndarray:
    """Kappa values tabulated: coarse where e0 > ~106 years, step 0.29 below (e0 steps ~0.03 y)."""
    return np.concatenate([np.linspace(-1700.0, -400.0, 261)[:-1], np.linspace(-400.0, 412.0, 2801)])


@lru_cache(maxsize=4)
def mortality_grid(adjustment: tuple[float, ...] | None = None) -> MortalityGrid:
    """Tabulate :class:`MortalityGrid` for both sexes; cached per process (about 50 ms).

    The grid reaches e0 from below 20 to above 120 years for males and from 18 to above 120
    for females.
    """
    base, a0 = base_death_rates()
    return build_grid(base, a0, lee_carter_bx(adjustment))


def build_grid(base: np.ndarray, a0: float, bx: np.ndarray) -> MortalityGrid:
    """:class:`MortalityGrid` of ``m_x = base_x exp(b_x kappa)`` on the :func:`_kappa_grid`:
    ``base`` death rates by sex (2, 111) per person-year, ``a0`` years, ``bx`` (111,) summing to 1."""
    kappa = _kappa_grid()
    mx = base[None, :, :] * np.exp(bx[None, None, :] * kappa[:, None, None])
    table = life_table(mx, a0)
    return MortalityGrid(kappa=kappa, e0=table["e0"], survival=projection_survival(table["Lx"], table["Tx"]))
