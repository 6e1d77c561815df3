"""Mutation check: can the tests fail?  Each mutant changes one rate by 1 %, one year or one rule in
the engine, the scenario language, the economy or the ensemble inputs; the fast tests of its
concern must fail for every one.

Mutants are located by the syntax tree, not by text: each names the function that holds it
(``where``, a qualified name such as ``MortalityGrid.survival_at``, or ``<module>``) and the
expression or statement to change (``find``, compared as a syntax tree, so formatting and comments
do not matter).  It must occur exactly once there, or the script stops with an error: a refactor
cannot silently retire a mutant.  The replacement is spliced in at the node's position.

Works on copies of the project in a temporary folder (the source here is never touched), runs the
non-slow tests of the mutated concern with ``-x`` on two workers, and prints one line per mutant
and the score; with ``--json FILE`` it also writes the score (the README's figure comes from
there, see ``scripts/readme_figures.py``).  ``--check`` only applies every mutant and reports any
that no longer applies (a second).

Usage: ``python scripts/mutation_check.py [--check] [--json FILE] [NAME ...]`` (default: all).
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMOGRAPHY = ("tests/test_engine.py", "tests/test_demography.py", "tests/test_history.py", "tests/test_lifetable.py")
ECONOMY = ("tests/test_economy.py", "tests/test_history.py", "tests/test_backcast.py")
SCENARIO = ("tests/test_scenario.py", "tests/test_history.py")
ENSEMBLE = ("tests/test_uncertainty.py", "tests/test_history.py")
WRITERS = ("tests/test_publishing.py",)
WHAT_IF = ("tests/test_what_if.py", "tests/test_cli_conventions.py")
FORECAST = ("tests/test_forecast.py",)
EXPLORER = ("tests/test_explorer.py",)
CARE = ("tests/test_care.py",)


class Stale(Exception):
    """A mutant that no longer applies to the code (its node is missing or ambiguous)."""


@dataclass(frozen=True)
class Mutant:
    """One mutant: in ``file``, inside ``where``, the node ``find`` becomes ``replace``."""

    name: str
    file: str
    where: str
    find: str
    replace: str
    tests: tuple[str, ...]


M = Mutant
MUTANTS = [
    # forecasts: the component models, the origin, the scores
    M("TFR trend not damped", "simulate/futures/fertility.py", "log_changes",
      "model.damping ** np.arange(1, shocks.shape[1] + 1)", "1.0 ** np.arange(1, shocks.shape[1] + 1)", FORECAST),
    M("forecast around the origin's TFR, not the scenario's", "simulate/futures/fertility.py", "tfr_around",
      "centre[None, :] * np.exp(deviation)", "model.last * np.exp(deviation)", FORECAST),
    M("forecast's e0 drifts away from the scenario's", "simulate/futures/mortality.py", "deviations",
      "drifts - model.drift", "drifts", FORECAST),
    M("migration around the scenario starts from the observed deviation", "simulate/futures/setup.py",
      "scenario_forecast", "dataclasses.replace(migration, start=0.0) if own else migration", "migration", FORECAST),
    M("migration deviation starts from zero", "simulate/futures/migration.py", "migration_paths",
      "np.full(len(shocks), model.start)", "np.full(len(shocks), 0.0)", FORECAST),
    M("forecast fits one year past its origin", "simulate/futures/setup.py", "tfr_model",
      "until(tfr_history(), origin)", "until(tfr_history(), origin + 1)", FORECAST),
    M("shock years fitted as trend", "simulate/futures/mortality.py", "fitted_changes",
      "changes[~shocked]", "changes", FORECAST),
    M("TFR not pulled toward its level", "simulate/futures/fertility.py", "log_changes",
      "model.reversion * (gap - change)", "0.0 * (gap - change)", FORECAST),
    M("sex gap without its own trend", "simulate/futures/mortality.py", "kappa_paths",
      "(model.drift + model.gap_drift) * steps", "model.drift * steps", FORECAST),
    M("migration spread from the short record", "simulate/futures/migration.py", "fit_record",
      "record.rolling(CENTRE_YEARS).mean().shift(1)", "record.rolling(CENTRE_YEARS).mean()", FORECAST),
    M("Okinawa left in the outcomes", "simulate/futures/backtest.py", "case_rows",
      "territory[name] if year >= REVERSION_YEAR else 1.0", "1.0", FORECAST),
    M("interval score misses weighted 5x", "simulate/futures/backtest.py", "score",
      "10.0 * np.maximum(low - y, 0)", "5.0 * np.maximum(low - y, 0)", FORECAST),
    # demography: the engine
    M("survival -1 %", "simulate/demography/engine.py", "step",
      "chunk.grid.survival_at(chunk.table_rows[:, t], chunk.weights[:, t], chunk.Sx, chunk.scratch)",
      "chunk.grid.survival_at(chunk.table_rows[:, t], chunk.weights[:, t], chunk.Sx, chunk.scratch)\n"
      "chunk.Sx *= 0.99", DEMOGRAPHY),
    M("fertility +1 %", "simulate/demography/engine.py", "prepare",
      "0.5 * inputs.birth_calibration", "0.505 * inputs.birth_calibration", DEMOGRAPHY),
    M("boys' share of births swapped", "simulate/demography/engine.py", "cohort_step",
      "new[:, MALE, 0] *= boys", "new[:, MALE, 0] *= girls", DEMOGRAPHY),
    M("open age group not survived", "simulate/demography/engine.py", "survive",
      "out[:, :, 100] *= survival[:, :, 100]", "pass", DEMOGRAPHY),
    M("migrants one age older", "simulate/demography/engine.py", "step",
      "add_migrants(new, net, chunk.profile)", "add_migrants(new, net, np.roll(chunk.profile, 1, axis=-1))",
      DEMOGRAPHY),
    M("deaths +1 %", "simulate/demography/engine.py", "_project_chunk",
      "groups[:-1].sum(axis=(2, 3)).T + chunk.born - chunk.survivors",
      "1.01 * (groups[:-1].sum(axis=(2, 3)).T + chunk.born - chunk.survivors)", DEMOGRAPHY),
    M("women who are not nationals bear at the full TFR", "simulate/demography/engine.py", "cohort_step",
      "discount[:, None] * (start[:, fertile] + end[:, fertile])",
      "0.0 * (start[:, fertile] + end[:, fertile])", DEMOGRAPHY),
    M("migrant women do not join the women who are not nationals", "simulate/demography/engine.py",
      "step", "chunk.foreign_next += net[:, None] * chunk.profile[:, FEMALE]", "pass", DEMOGRAPHY),
    M("rates read a year late", "simulate/calendar.py", "<module>", "RATE_OFFSET = 0.75", "RATE_OFFSET = 1.75",
      DEMOGRAPHY),
    # demography: life tables (a0 +1 % moves L0 by 1e-5 of the radix, below HMD's precision: untestable)
    M("infant a0 ignored", "simulate/demography/lifetable.py", "life_table", "ax[..., 0] = a0", "ax[..., 0] = 0.5",
      DEMOGRAPHY),
    M("open age interval from Lx, not Tx", "simulate/demography/lifetable.py", "projection_survival",
      "Tx[..., 100] / Tx[..., 99]", "Lx[..., 100] / Lx[..., 99]", DEMOGRAPHY),
    M("male death rates +1 %", "simulate/demography/lifetable.py", "base_death_rates",
      "np.stack([female * ratio, female])", "np.stack([1.01 * female * ratio, female])", DEMOGRAPHY),
    M("e0 path +1 %", "simulate/demography/inputs.py", "e0_path",
      "np.stack([evaluate(mortality.e0.male, times), evaluate(mortality.e0.female, times)], axis=-1)",
      "1.01 * np.stack([evaluate(mortality.e0.male, times), evaluate(mortality.e0.female, times)], axis=-1)",
      DEMOGRAPHY),
    # demography: history and the 2020 base
    M("residual migration -1 %", "simulate/demography/history.py", "_follow_observed",
      "totals[basis.jump_off_year + k + 1] - trial.total[0, -1]",
      "0.99 * (totals[basis.jump_off_year + k + 1] - trial.total[0, -1])", DEMOGRAPHY),
    M("observed e0 a year early", "simulate/demography/history.py", "_observed_inputs",
      "np.arange(basis.jump_off_year, until) + RATE_OFFSET",
      "np.arange(basis.jump_off_year, until) + RATE_OFFSET - 1.0", DEMOGRAPHY),
    M("birth allowance ignored", "simulate/demography/history.py", "birth_allowance",
      "return float(residents / nationals)", "return 1.0", DEMOGRAPHY),
    M("2020 base: unknown ages left out", "simulate/demography/base.py", "census2020_population",
      "distribute_unknown(data.census2020_groups())", "data.census2020_groups().astype(float)", DEMOGRAPHY),
    # economy: labour
    M("participation +1 %", "simulate/economy/__init__.py", "labour_supply",
      "(by_group + open_group) / 100.0", "1.01 * (by_group + open_group) / 100.0", ECONOMY),
    M("unemployment ignored", "simulate/economy/__init__.py", "economic_indicators",
      "labour_force * (1.0 - inputs.unemployment / 100.0)", "labour_force", ECONOMY),
    M("history not held for participation", "simulate/economy/__init__.py", "economic_inputs",
      "stacked(lambda s: participation_path(s.labour, years, calibration, end), participation)",
      "stacked(lambda s: participation_path(s.labour, years, calibration, end))", ECONOMY),
    M("2017 survey totals +1 %", "simulate/economy/calibration.py", "calibrate_profile",
      "LFS_2017[(sex, broad)] / modelled", "1.01 * LFS_2017[(sex, broad)] / modelled", ECONOMY),
    # economy: the labour calendar
    M("unemployment surveyed only to the history end", "simulate/economy/__init__.py", "economic_inputs",
      "max(end, BASES[first.jump_off].labour_year)", "end", ECONOMY),
    M("survey year of the profile a year early", "simulate/economy/calibration.py", "participation_profile",
      "BASES[basis_name].labour_year", "BASES[basis_name].labour_year - 1", ECONOMY),
    M("observed unemployment a year late", "simulate/economy/calibration.py", "observed_labour",
      "np.interp(years, surveys.index.to_numpy(float), surveys.to_numpy())",
      "np.interp(years - 1, surveys.index.to_numpy(float), surveys.to_numpy())", ECONOMY),
    M("bridge to the survey fades a year late", "simulate/economy/__init__.py", "bridged",
      "labour_year - years[between]", "labour_year + 1 - years[between]", ECONOMY),
    # economy: timing of output (hours, investment, capital)
    M("hours read a year late", "simulate/economy/__init__.py", "economic_indicators",
      "employed * inputs.hours", "employed * np.roll(inputs.hours, 1, axis=1)", ECONOMY),
    M("productivity growth +1 %", "simulate/economy/output.py", "productivity_index",
      "1.0 + growth_pct / 100.0", "1.0 + 1.01 * growth_pct / 100.0", ECONOMY),
    M("index base a year late", "simulate/economy/output.py", "productivity_index",
      "level[:, [_at(years, base_year)]]", "level[:, [_at(years, base_year + 1)]]", ECONOMY),
    M("investment read in year t, not t-1", "simulate/economy/output.py", "growth_accounting_gdp",
      "s[:, t - 1] * gdp[rows, t - 1]", "s[:, t] * gdp[rows, t - 1]", ECONOMY),
    M("output on last year's capital", "simulate/economy/output.py", "growth_accounting_gdp",
      "capital ** a_r", "((capital - s[:, t - 1] * gdp[rows, t - 1]) / keep) ** a_r", ECONOMY),
    M("automation measured in next year's hours", "simulate/economy/output.py", "growth_accounting_gdp",
      "automation / 100.0 * hours[:, [base]]", "automation / 100.0 * hours[:, [base + 1]]", ECONOMY),
    # the scenario language
    M("relative '+d' subtracts", "simulate/scenario/paths.py", "apply_relative.one",
      "v + (number if op == '+' else -number)", "v + -number", SCENARIO),
    M("keyframes inside history allowed", "simulate/scenario/paths.py", "keyframes_before",
      "FIRST_YEAR < year < end", "FIRST_YEAR < year < end - 1", SCENARIO),
    M("fold keeps the wrong anchor", "simulate/scenario/paths.py", "fold_path",
      "np.array([float(end)])", "np.array([float(end - 1)])", SCENARIO),
    M("fraction slips let through", "simulate/scenario/units.py", "<module>",
      '_percent(0.5, N_("% of the labour force"))', '_percent(0.01, N_("% of the labour force"))', SCENARIO),
    # the ensemble's (and every forecast's) inputs: draws act on the future only, through exact patterns
    M("draws offset from zero, not from the reference", "simulate/uncertainty/inputs.py", "AffineInputs.affine",
      "values - self.references[None, :]", "values", ENSEMBLE),
    M("the batched shortcut served unchecked", "simulate/uncertainty/inputs.py", "affine_inputs",
      "key is None", "True", ENSEMBLE),
    M("patterns a tenth too steep", "simulate/uncertainty/inputs.py", "affine_inputs",
      "v / (high[i] - low[i])", "1.1 * v / (high[i] - low[i])", ENSEMBLE),
    # writing results: never harm what is not ours
    M("any marker counts as ours", "simulate/report/publishing.py", "is_ours",
      "all(found.get(k) == v for k, v in SIGNATURE.items())", "True", WRITERS),
    M("a held lock is not tried: a live run's folder counts as abandoned", "simulate/report/publishing.py",
      "_abandoned", "lock_file(fd, wait=False)", "True", WRITERS),
    M("a result left in .old is not given back", "simulate/report/publishing.py", "remove_stale",
      "os.replace(kept[-1], target)", "pass", WRITERS),
    M("CSV text cells left as formulas", "simulate/report/csvfiles.py", "neutral",
      "text.startswith(FORMULA_START)", "False", WRITERS),
    M("draws may edit the last observed year", "simulate/uncertainty/inputs.py", "_locate_editable",
      "int(parts[-1]) < end", "int(parts[-1]) < end - 1", ENSEMBLE),
    # what-ifs, the history line, units and the schema (issue 24)
    M("a single future keyframe steps instead of ramping", "simulate/scenario/model.py", "ramp_from_observed",
      "min(frames) > end", "min(frames) > end + 1000", SCENARIO),
    M("a what-if keeps the plain scenario's name", "simulate/scenario/loader.py", "_load",
      "what_if_name(own['name'], changed)", "own['name']", WHAT_IF),
    M("steps at the history line a year late", "simulate/pipeline.py", "history_jumps",
      "demography.tfr[b, 0]", "demography.tfr[b, 1]", SCENARIO),
    M("unit slips 10 times too small in the schema", "simulate/scenario/schema.py", "_slips",
      "unit.limit", "unit.limit / 10", ("tests/test_schema.py",)),
    M("a dial's value 1 % off", "simulate/scenario/dials.py", "_ramp_from_path.overrides",
      "written(where, float(value))", "written(where, float(value) * 1.01)", EXPLORER),
    M("the life expectancy gain is reached a year late", "simulate/scenario/dials.py", "_e0_gain",
      "(y - end) / (year - end)", "(y - end) / (year + 1 - end)", EXPLORER),
    M("the seniors dial weights the rates by the wrong year", "simulate/api/explore.py", "dial_values",
      "_seniors_rate(result.labour, year, scenario.history_end)",
      "_seniors_rate(result.labour, year, scenario.history_end + 1)", EXPLORER),
    M("the downloaded file keeps a key the page did not move", "simulate/api/explore.py", "scenario_yaml",
      "nested(moved)", "nested(moved | {'labour.hours': {2024: 1710.0, 2040: 1700.0}})", EXPLORER),
    # care and costs: a 1 % error in a certification rate or a unit cost
    M("certification rates 1 % high", "simulate/data/welfare.py", "certification_rates", "100.0", "99.0", CARE),
    M("one certification rate 1 % high", "simulate/care/need.py", "certification",
      "np.full(len(mids) - len(NODES), certification_rates()[-1])",
      "np.full(len(mids) - len(NODES), certification_rates()[-1] * 1.01)", CARE),
    M("medical unit costs 1 % high", "simulate/care/costs.py", "base_ratios", "medical / per_person",
      "medical * 1.01 / per_person", CARE),
    M("long-term-care unit costs 1 % high", "simulate/care/costs.py", "base_ratios", "ltc / per_person",
      "ltc * 1.01 / per_person", CARE),
]


def _scope(tree: ast.Module, where: str) -> ast.AST:
    """The function or class body called ``where`` (dotted for methods), or the module."""
    if where == "<module>":
        return tree
    node: ast.AST = tree
    for part in where.split("."):
        found = [n for n in ast.walk(node) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                 and n.name == part]
        if len(found) != 1:
            raise Stale(f"{len(found)} definitions named {part!r}")
        node = found[0]
    return node


def _pattern(source: str) -> ast.AST:
    """The syntax tree of ``find``: an expression if it parses as one, else one statement."""
    try:
        return ast.parse(source, mode="eval").body
    except SyntaxError:
        body = ast.parse(source).body
        if len(body) != 1:
            raise Stale(f"find must be one expression or statement: {source!r}") from None
        return body[0]


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """Character offset in the joined ``lines`` of a node position (1-based line, UTF-8 byte column)."""
    return sum(len(line) for line in lines[:lineno - 1]) + len(lines[lineno - 1].encode("utf-8")[:col].decode("utf-8"))


def mutate(text: str, mutant: Mutant) -> str:
    """``text`` (a module's source) with the mutant applied; :class:`Stale` if it does not apply."""
    tree = ast.parse(text)
    scope = _scope(tree, mutant.where)
    wanted = ast.dump(_pattern(mutant.find))
    hits = [n for n in ast.walk(scope) if isinstance(n, (ast.expr, ast.stmt)) and ast.dump(n) == wanted]
    if len(hits) != 1:
        raise Stale(f"{mutant.find!r} occurs {len(hits)} times in {mutant.where}")
    node = hits[0]
    lines = text.splitlines(keepends=True)
    start, end = _offset(lines, node.lineno, node.col_offset), _offset(lines, node.end_lineno, node.end_col_offset)
    indent = " " * node.col_offset
    replacement = mutant.replace.replace("\n", "\n" + indent)
    out = text[:start] + replacement + text[end:]
    ast.parse(out)  # the mutant must still be Python
    if out == text:
        raise Stale("the replacement changes nothing")
    return out


def check(mutants: list[Mutant]) -> list[str]:
    """Apply every mutant to the source here (in memory); the problems, one line each."""
    problems = []
    for mutant in mutants:
        try:
            mutate((ROOT / mutant.file).read_text(encoding="utf-8"), mutant)
        except Stale as stale:
            problems.append(f"mutant {mutant.name!r} ({mutant.file}, {mutant.where}): {stale}")
    return problems


def run(mutant: Mutant, work: Path) -> tuple[bool, float, str]:
    """Apply one mutant in the copy ``work``, run its tests, restore; (killed, seconds, last line)."""
    path = work / mutant.file
    original = path.read_text(encoding="utf-8")
    path.write_text(mutate(original, mutant), encoding="utf-8")
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                               *mutant.tests], cwd=work, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    return proc.returncode != 0, time.perf_counter() - start, last


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--check", action="store_true", help="only check that every mutant still applies")
    parser.add_argument("--json", type=Path, help="also write the score to this file")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    unknown = set(args.names) - {m.name for m in MUTANTS}
    if unknown:
        parser.error(f"unknown mutants: {', '.join(sorted(unknown))}")
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    problems = check(chosen)
    if problems or args.check:
        print("\n".join(problems) or f"all {len(chosen)} mutants apply")
        return 1 if problems else 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for i in range(max(1, args.workers)):
            copies.append(Path(tmp) / f"project{i}")
            shutil.copytree(ROOT, copies[-1], ignore=shutil.ignore_patterns(
                ".git", ".venv", "results", "__pycache__", ".hypothesis", "*.egg-info", ".pytest_cache"))
        queue = list(enumerate(chosen))

        def worker(work: Path) -> list[tuple[int, bool, float, str]]:
            done = []
            while queue:
                i, mutant = queue.pop(0)
                dead, seconds, last = run(mutant, work)
                print(f"{'killed' if dead else 'SURVIVED':<9}{seconds:6.1f} s  {mutant.name} ({mutant.file})"
                      + ("" if dead else f": {last}"), flush=True)
                done.append((i, dead, seconds, last))
            return done

        with ThreadPoolExecutor(len(copies)) as pool:
            results = [r for part in pool.map(worker, copies) for r in part]
    killed = sum(dead for _, dead, _, _ in results)
    survived = sorted(chosen[i].name for i, dead, _, _ in results if not dead)
    print(f"mutation score: {killed} of {len(chosen)} mutants killed ({100 * killed / len(chosen):.0f} %) "
          f"in {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"mutants": len(chosen), "killed": killed, "survived": survived},
                                        indent=1) + "\n", encoding="utf-8")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
