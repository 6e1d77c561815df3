"""Backcasting: the lever value that meets a target ("what would it take?").

A lever turns one number into a modified scenario.  The solver first evaluates a grid of lever
values as one batch of the engine, finds where the target flips from missed to met, then
refines with scipy's bracketing root finder (Brent's method) and nudges the answer onto the side
where the target is met, so that re-running the solved scenario meets it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from simulate.errors import InputError, NotBinding, ParameterError, TargetNotMet
from simulate.feasibility import ImpossibleWorld, first_problem, impossible
from simulate.names import answer_name, rerun_name
from simulate.pipeline import run_batch, run_scenarios
from simulate.scenario import Scenario
from simulate.scenario.economy_model import Target
from simulate.scenario.levers import LEVERS, Lever
from simulate.scenario.loader import LoadedScenario
from simulate.scenario.sections import Words
from simulate.targets import check_targets, require_targets, target_gap, target_status, target_threshold
from simulate.text.messages import in_use, t
from simulate.text.numbers import LANGUAGES, format_value

GRID_POINTS = 17


def with_lever(scenario: Scenario, lever: Lever, value: float, year: int) -> Scenario:
    """The scenario with ``lever`` set to ``value`` (validated like a file would be)."""
    data = scenario.model_dump()
    lever.apply(data, value, year, scenario.history_end)
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(t("lever {lever}={value} gives an invalid scenario: {where}: {problem}", lever=lever.name,
                           value=f"{value:g}", where=where, problem=first["msg"])) from None


@dataclass
class Solution:
    """What ``backcast`` reports and writes to ``backcast.json``."""

    lever: str
    unit: str
    value: float
    bracket: tuple[float, float]
    search_range: tuple[float, float]
    targets: list[dict]
    evaluations: int
    scenario: Scenario
    impossible: int = 0


def _evaluate(scenario: Scenario, lever: Lever, values: np.ndarray, year: int,
              targets: list[Target]) -> tuple[np.ndarray, dict, np.ndarray]:
    """Run one batch for several lever values; gaps to each target, (len(targets), len(values)),
    NaN where the lever value gives a world that cannot exist (:mod:`simulate.feasibility`)."""
    projection, indicators = run_batch([with_lever(scenario, lever, float(v), year) for v in values],
                                       keep_ages=False)
    gaps = np.stack([target_gap(indicators, projection.years, t, scenario.base_year) for t in targets])
    bad = impossible(projection, indicators)
    gaps[:, bad] = np.nan
    if len(values) == 1 and bad[0]:
        raise ImpossibleWorld(f"{lever.name}={_plain(values[0])} {lever.unit} gives a world that cannot exist: "
                              f"{first_problem(projection, indicators)}; narrow --range")
    return gaps, indicators, projection.years


def _plain(value: float) -> str:
    """A number as people write it in a message: thousands separated, no exponent."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.4g}" if abs(value) >= 1e-3 else f"{value:.6f}"


def _closest(gaps: np.ndarray) -> int | None:
    """The grid point whose worst target gap is least bad (None if every point is impossible)."""
    worst = np.where(np.isnan(gaps).any(axis=0), -np.inf, gaps.min(axis=0))
    return None if not np.isfinite(worst).any() else int(np.argmax(worst))


def _best_between(scenario: Scenario, lever: Lever, year: int, targets: list[Target], grid: np.ndarray,
                  i: int) -> tuple[float | None, int]:
    """Maximise the worst target gap between the neighbours of grid point ``i`` (bounded Brent);
    the lever value found if it meets every target (else None), and the runs it took."""
    from scipy.optimize import minimize_scalar

    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    tried = 0

    def minus_worst(value: float) -> float:
        nonlocal tried
        tried += 1
        gaps, _, _ = _evaluate(scenario, lever, np.array([value]), year, targets)
        return np.inf if np.isnan(gaps).any() else -float(gaps.min())

    found = minimize_scalar(minus_worst, bounds=(lo, hi), method="bounded",
                            options={"xatol": 1e-9 * max(1.0, hi - lo), "maxiter": 60})
    return (float(found.x) if np.isfinite(found.fun) and found.fun <= 0 else None), tried


def lever_setup(scenario: Scenario, lever_name: str, targets: list[Target],
                search_range: tuple[float, float] | None) -> tuple[Lever, float, float, int]:
    """What every solver starts from, once the targets are required: the registry lever, its
    search range (default: the lever's; the low end below the high end) and the targets' last year."""
    require_targets(scenario, targets)
    lever = LEVERS[lever_name]
    lo, hi = search_range or lever.default_range
    if not lo < hi:
        raise ParameterError("search_range", f"{lo:g},{hi:g}", t("the low end must be below the high end"))
    return lever, lo, hi, max(target.year for target in targets)


def solve(scenario: Scenario, lever_name: str, targets: list[Target],
          search_range: tuple[float, float] | None = None) -> Solution:
    """The smallest change of ``lever_name`` (within ``search_range``) that meets every target.

    Raises :class:`TargetNotMet` (exit 1) when the range holds no value that meets them all, with
    a one-line explanation.
    """
    from scipy.optimize import brentq  # imported here: only backcasts need scipy

    if lever_name not in LEVERS:
        raise InputError(t("unknown lever {lever}; choose one of: {names}", lever=repr(lever_name), names=", ".join(LEVERS)))
    lever, lo, hi, year = lever_setup(scenario, lever_name, targets, search_range)
    grid = np.linspace(lo, hi, GRID_POINTS)
    gaps, _, _ = _evaluate(scenario, lever, grid, year, targets)
    evaluations = len(grid)
    if not (np.all(gaps >= 0, axis=0) & ~np.isnan(gaps).any(axis=0)).any():
        # a narrow band that meets every target can fall between grid points: look between the
        # neighbours of the point closest to meeting them all
        closest = _closest(gaps)
        if closest is not None:
            inside, tried = _best_between(scenario, lever, year, targets, grid, closest)
            evaluations += tried
            if inside is not None:
                grid = np.sort(np.append(grid, inside))
                gaps, _, _ = _evaluate(scenario, lever, grid, year, targets)
                evaluations += len(grid)
    possible = ~np.isnan(gaps).any(axis=0)
    if not possible.any():
        raise ImpossibleWorld(t("every value of {lever} from {low} to {high} gives a world that cannot exist: narrow "
                                "--range", lever=lever.name_in(), low=_plain(lo), high=_plain(hi),
                                unit=t(lever.unit)))
    met_all = np.all(gaps >= 0, axis=0) & possible
    gaps = np.where(possible, gaps, -np.inf)
    if not met_all.any():
        best = int(np.argmax(gaps.min(axis=0)))
        worst = int(np.argmin(gaps[:, best]))
        phrases = t(", ").join(x.phrase(None, scenario.base_year) for x in targets)
        short = targets[worst]
        raise TargetNotMet(t("{targets}: out of reach with {lever} from {low} to {high}: closest at {best}, where "
                             "{target} falls short by {gap}", targets=phrases, lever=lever.name_in(),
                             low=_plain(lo), high=_plain(hi), unit=t(lever.unit), best=_plain(grid[best]),
                             target=short.phrase(None, scenario.base_year),
                             gap=format_value(short.metric, -gaps[worst, best], in_use(), scenario.base_year)))
    if met_all[possible].all():
        raise NotBinding(t("{targets}: met for every value of {lever} from {low} to {high}: the lever is not binding "
                             "in this range", targets=t(", ").join(x.phrase(None, scenario.base_year)
                                                                          for x in targets),
                             lever=lever.name_in(), low=_plain(lo), high=_plain(hi), unit=t(lever.unit)))
    first_met = int(np.argmax(met_all))
    rising = first_met > 0  # met higher up: find the smallest value that meets them all
    # met at the low end: the largest value of that first run of met values that still meets them
    i = first_met - 1 if rising else int(np.argmin(met_all)) - 1
    a, b = (grid[i], grid[i + 1])

    last: dict = {}

    def worst_gap(value: float) -> float:
        nonlocal evaluations
        evaluations += 1
        last["gaps"], last["indicators"], last["years"] = _evaluate(scenario, lever, np.array([value]), year, targets)
        return float(last["gaps"].min())

    root = brentq(worst_gap, a, b, xtol=1e-10 * max(1.0, abs(b - a)), rtol=1e-12)
    step = 1e-9 * max(1.0, abs(b - a))
    while worst_gap(root) < 0:  # land on the side where every target is met (last run: at root)
        root += step if rising else -step
        step *= 2
    solved = with_lever(scenario, lever, root, year)
    question = " ".join([lever.name] + [str(t) for t in targets])
    title = {lang: t("{title}: {lever} solved for {targets}", lang, title=scenario.label_in(lang),
                     lever=lever.name_in(lang), targets=t(", ", lang).join(x.phrase(lang, scenario.base_year)
                                                                            for x in targets)) for lang in LANGUAGES}
    solved = solved.model_copy(update={"name": answer_name(scenario.name, "backcast", question),
                                       "title": Words(**title)})
    gaps, indicators, years = last["gaps"], last["indicators"], last["years"]
    report = [{"target": str(t), "achieved": float(indicators[t.metric][0, np.searchsorted(years, t.year)]),
               "margin": float(g[0]), "met": bool(g[0] >= 0)} for t, g in zip(targets, gaps)]
    return Solution(lever=lever.name, unit=lever.unit, value=root, bracket=(float(a), float(b)),
                    search_range=(lo, hi), targets=report, evaluations=evaluations, scenario=solved,
                    impossible=int((~possible).sum()))


def solved_yaml(solution: Solution) -> str:
    """A standalone scenario file (no ``extends``) that reproduces the solved run exactly."""
    import yaml

    body = solution.scenario.model_dump(exclude_none=True, exclude={"extends"})
    body["name"] = rerun_name(solution.scenario.name)  # its own folder: running it replaces no answer
    header = (f"# Backcast: {solution.lever} = {solution.value!r} {solution.unit}\n"
              f"# solved for {', '.join(t['target'] for t in solution.targets)}; run it with\n"
              f"#   python run.py run THIS_FILE\n")
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


@dataclass
class BackcastRun:
    """A solved backcast with its runs: the solution, the solved run (with the status of the targets
    solved for) and the base scenario's run (for comparison), and the record ``backcast.json`` holds."""

    solution: Solution
    targets: list[Target]
    solved: object
    base: object

    @property
    def record(self) -> dict:
        s = self.solution
        return {"question": {"lever": s.lever, "targets": [str(t) for t in self.targets]},
                "lever": s.lever, "value": s.value, "unit": s.unit, "bracket": s.bracket, "range": s.search_range,
                "targets": self.solved.targets, "evaluations": s.evaluations, "impossible_grid_values": s.impossible,
                "base_scenario": self.base.scenario.name}

    @property
    def threshold(self) -> float:
        """The absolute value the first target asks for (its reference taken from the base run)."""
        first = self.targets[0]
        reference = first.reference_year(self.base.scenario.base_year)
        by_year = self.base.indicators.set_index("year")
        return target_threshold(first, None if reference is None else by_year.at[reference, first.metric])


def backcast_run(loaded, lever_name: str, targets: list[Target] | None = None,
                 search_range: tuple[float, float] | None = None) -> BackcastRun:
    """Solve for ``lever_name`` (:func:`solve`), then run the solved and the base scenario."""

    targets = list(targets) if targets else list(loaded.scenario.targets)
    solution = solve(loaded.scenario, lever_name, targets, search_range)
    solved = run_scenarios([LoadedScenario(solution.scenario, loaded.files, loaded.file_sha256)])[0]
    solved.targets = target_status(solved.indicators, targets, solution.scenario.base_year)
    base = check_targets(run_scenarios([loaded]))[0]
    return BackcastRun(solution=solution, targets=targets, solved=solved, base=base)
