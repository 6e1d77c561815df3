"""Mutation check: can the tests fail?  Each mutant changes one rate by 1 %, one year or one rule in
the engine, the scenario language or the economy; the fast tests must fail for every one.

Works on a copy of the project in a temporary folder (the source here is never touched), runs the
non-slow tests of the mutated concern with ``-x``, and prints one line per mutant and the score.
About ten minutes.  Usage: ``python scripts/mutation_check.py [NAME ...]`` (default: all).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMOGRAPHY = ["tests/test_engine.py", "tests/test_demography.py", "tests/test_history.py", "tests/test_lifetable.py"]
ECONOMY = ["tests/test_economy.py", "tests/test_history.py", "tests/test_backcast.py"]
SCENARIO = ["tests/test_scenario.py", "tests/test_history.py"]

#: name, file, text, replacement, tests to run.
MUTANTS = [
    ("survival -1 %", "simulate/demography/engine.py", "        grid.survival_at(table_rows[:, t], weights[:, t], Sx, scratch)\n",
     "        grid.survival_at(table_rows[:, t], weights[:, t], Sx, scratch)\n        Sx *= 0.99\n", DEMOGRAPHY),
    ("fertility +1 %", "simulate/demography/engine.py", "    births *= (0.5 * calibration) * tfr",
     "    births *= (0.505 * calibration) * tfr", DEMOGRAPHY),
    ("boys' share of births swapped", "simulate/demography/engine.py", "    new[:, MALE, 0] *= boys\n",
     "    new[:, MALE, 0] *= 1.0 - boys\n", DEMOGRAPHY),
    ("open age group not survived", "simulate/demography/engine.py", "    out[:, :, 100] *= survival[:, :, 100]\n",
     "", DEMOGRAPHY),
    ("migrants one age older", "simulate/demography/engine.py", "        add_migrants(new, net[:, t], profile)\n",
     "        add_migrants(new, net[:, t], np.roll(profile, 1, axis=-1))\n", DEMOGRAPHY),
    ("deaths +1 %", "simulate/demography/engine.py", "    out.deaths[rows, 1:] = groups[:-1].sum(axis=(2, 3)).T + born - survivors",
     "    out.deaths[rows, 1:] = 1.01 * (groups[:-1].sum(axis=(2, 3)).T + born - survivors)", DEMOGRAPHY),
    ("rates read a year late", "simulate/calendar.py", "RATE_OFFSET = 0.75", "RATE_OFFSET = 1.75", DEMOGRAPHY),
    # (a0 +1 % moves L0 by 1e-5 of the radix, below the precision HMD publishes: not testable)
    ("infant a0 ignored", "simulate/demography/lifetable.py", "    ax[..., 0] = a0", "    ax[..., 0] = 0.5",
     DEMOGRAPHY),
    ("e0 path +1 %", "simulate/demography/inputs.py",
     "    e0 = np.stack([evaluate(mortality.e0.male, times), evaluate(mortality.e0.female, times)], axis=-1)",
     "    e0 = 1.01 * np.stack([evaluate(mortality.e0.male, times), evaluate(mortality.e0.female, times)], axis=-1)",
     DEMOGRAPHY),
    ("male death rates +1 %", "simulate/demography/lifetable.py", "    return np.stack([female * ratio, female]), a0",
     "    return np.stack([1.01 * female * ratio, female]), a0", DEMOGRAPHY),
    ("residual migration -1 %", "simulate/demography/history.py",
     "        net[k] = totals[basis.jump_off_year + k + 1] - trial.total[0, -1]",
     "        net[k] = 0.99 * (totals[basis.jump_off_year + k + 1] - trial.total[0, -1])", DEMOGRAPHY),
    ("observed e0 a year early", "simulate/demography/history.py",
     "    times = np.arange(basis.jump_off_year, until) + RATE_OFFSET",
     "    times = np.arange(basis.jump_off_year, until) + RATE_OFFSET - 1.0", DEMOGRAPHY),
    ("birth allowance ignored", "simulate/demography/history.py", "    return float(residents / nationals)",
     "    return 1.0", DEMOGRAPHY),
    ("2020 base: unknown ages left out", "simulate/demography/base.py", "    groups = distribute_unknown(data.census2020_groups())",
     "    groups = data.census2020_groups().astype(float)", DEMOGRAPHY),
    ("participation +1 %", "simulate/economy/__init__.py", "    return (by_group + open_group) / 100.0",
     "    return 1.01 * (by_group + open_group) / 100.0", ECONOMY),
    ("unemployment ignored", "simulate/economy/__init__.py",
     "    employed = labour_force * (1.0 - inputs.unemployment / 100.0)", "    employed = labour_force", ECONOMY),
    ("productivity growth +1 %", "simulate/economy/output.py", "    factors = 1.0 + growth_pct / 100.0",
     "    factors = 1.0 + 1.01 * growth_pct / 100.0", ECONOMY),
    ("index base a year late", "simulate/economy/output.py",
     "    return 100.0 * level / level[:, [_at(years, base_year)]]",
     "    return 100.0 * level / level[:, [_at(years, base_year + 1)]]", ECONOMY),
    ("history not held for participation", "simulate/economy/__init__.py",
     "participation=stacked(lambda s: participation_path(s.labour, years, calibration, end), participation),",
     "participation=stacked(lambda s: participation_path(s.labour, years, calibration, end)),", ECONOMY),
    ("2017 survey totals +1 %", "simulate/economy/calibration.py",
     "            out[s, span] *= LFS_2017[(sex, broad)] / modelled",
     "            out[s, span] *= 1.01 * LFS_2017[(sex, broad)] / modelled", ECONOMY),
    ("relative '+d' subtracts", "simulate/scenario/paths.py",
     "v + (number if op == \"+\" else -number)", "v + (-number if op == \"+\" else -number)", SCENARIO),
    ("keyframes inside history allowed", "simulate/scenario/paths.py",
     "        return [prefix + (year,) for year in data if FIRST_YEAR < year < end]",
     "        return [prefix + (year,) for year in data if FIRST_YEAR < year < end - 1]", SCENARIO),
    ("fold keeps the wrong anchor", "simulate/scenario/paths.py",
     "    anchor = {end: float(evaluate(frames, np.array([float(end)]))[0])}",
     "    anchor = {end: float(evaluate(frames, np.array([float(end - 1)]))[0])}", SCENARIO),
    ("fraction slips let through", "simulate/scenario/units.py",
     "    (\"labour\", \"unemployment\"): _percent(0.5,", "    (\"labour\", \"unemployment\"): _percent(0.01,", SCENARIO),
]


def run(name: str, rel: str, old: str, new: str, tests: list[str], work: Path) -> tuple[bool, float]:
    """Apply one mutant in ``work``, run its tests, restore; (killed, seconds)."""
    path = work / rel
    original = path.read_text(encoding="utf-8")
    if old not in original:
        raise SystemExit(f"mutant {name!r}: text not found in {rel} (update the script)")
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m",
                               "not slow", *tests], cwd=work, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    return proc.returncode != 0, time.perf_counter() - start


def main(names: list[str]) -> int:
    chosen = [m for m in MUTANTS if not names or m[0] in names]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".git", ".venv", "results", "__pycache__",
                                                                 ".hypothesis", "*.egg-info"))
        killed = 0
        for name, rel, old, new, tests in chosen:
            dead, seconds = run(name, rel, old, new, tests, work)
            killed += dead
            print(f"{'killed' if dead else 'SURVIVED':<9}{seconds:6.1f} s  {name} ({rel})", flush=True)
    print(f"mutation score: {killed} of {len(chosen)} mutants killed ({100 * killed / len(chosen):.0f} %)")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
