"""What a computation may cost, checked before it starts: every command that projects many futures
refuses, in one line and before any work, one whose memory or time would be absurd.

Designs that stream into a store (ensemble, forecast, sweep, sensitivity) estimate their memory with
:func:`simulate.uncertainty.ensemble.estimate_bytes`; the odds computations that hold one batch of
futures in memory (back-test origins, odds backcasts, odds frontiers) with :func:`batch_bytes`.
All of them estimate their time with :func:`check_time`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulate.errors import ParameterError, Range
from simulate.text.messages import t

#: Memory of one future held in one batch, per projected year (bytes), doubled for headroom: a
#: back-test origin (nationals or all residents: 450-500 measured with tracemalloc) and an odds
#: count (its draws held, the futures run in batches: 240 measured).
ORIGIN_BYTES, COUNT_BYTES = 1024, 512
#: The process's own base (package, data, one batch of the engine), bytes.
BASE_BYTES = 512 * 2**20
#: Futures projected per second and year, at least: about 50,000 path-years a second were measured
#: (a back-test origin and an odds count on this project's 2-core machines); four times that is
#: assumed, so that only a computation far beyond :data:`MAX_HOURS` on any machine is refused.
PATH_YEARS_PER_SECOND = 200_000
#: Longest computation started (hours).
MAX_HOURS = 24.0


def check_size(n: Any, seed: Any) -> None:
    """Refuse an ``n`` that is not a whole number of trajectories (at least 1), or a ``seed`` that is
    not a whole number (0 or more), before anything else is looked at."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError("n", str(n)[:40], t("a forecast needs a whole number of trajectories, at least 1"),
                             allowed=Range(1, None))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", str(seed)[:40], t("must be a whole number, 0 or more"), allowed=Range(0, None))


def batch_bytes(n: int, years: int, per_path_year: int) -> int:
    """Peak memory (bytes) of ``n`` futures of ``years`` years held at ``per_path_year`` bytes each."""
    return BASE_BYTES + n * years * per_path_year


def check_time(path_years: float, smaller: str = "n") -> None:
    """Refuse (ParameterError naming ``smaller``) a computation of ``path_years`` futures × years
    that would take more than :data:`MAX_HOURS` even at :data:`PATH_YEARS_PER_SECOND`."""
    hours = path_years / PATH_YEARS_PER_SECOND / 3600
    if hours > MAX_HOURS:
        raise ParameterError(smaller, None, t(
            "this needs {count} future-years of projection, at least {hours} hours even on a fast machine "
            "(more than the {limit}-hour limit): use a smaller {smaller}", count=f"{path_years:,.0f}",
            hours=f"{hours:,.0f}", limit=f"{MAX_HOURS:g}", smaller="{" + smaller + "}"))


def check_batch(n: int, years: int, evaluations: int, limit_gb: float, per_path_year: int = ORIGIN_BYTES,
                smaller: str = "n") -> None:
    """Refuse, before any work, ``evaluations`` counts of ``n`` futures over ``years`` years that
    would take more than ``limit_gb`` GB (:func:`batch_bytes`) or an absurd time (:func:`check_time`)."""
    need = batch_bytes(n, years, per_path_year) / 2**30
    if need > limit_gb:
        raise ParameterError(smaller, None, t(
            "{n} futures over {years} years need about {need} GB, more than the {limit} GB limit: use a smaller "
            "{smaller}", n=f"{n:,}", years=years, need=f"{need:,.1f}", limit=f"{limit_gb:g}",
            smaller="{" + smaller + "}"))
    check_time(float(n) * years * evaluations, smaller)
