"""Commands on scenarios: run, compare, backcast, reproduce, validate, schema."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path

from simulate.errors import InputError
from simulate.names import name_problem
from simulate.pipeline import RunResult, run_scenarios
from simulate.report.tables import asked, format_table, headline_rows, lever_text, target_phrase, target_sentence
from simulate.backcasting import check_targets
from simulate.reproduce import format_reproduction, reproduction_problem, reproduction_table
from simulate.report.outputs import COMPARISON_DIR, REPRODUCE_DIR, check_names
from simulate.scenario import Scenario, load_scenario, load_scenarios
from simulate.scenario.shipped import SHIPPED

REPO_SCENARIOS = SHIPPED
DEFAULT_OUT = "results"


def scenarios_dir() -> Path:
    """``./scenarios`` if it exists, else the scenarios shipped inside the package."""
    local = Path("scenarios")
    return local if local.is_dir() else REPO_SCENARIOS


def shipped_scenarios() -> list[Path]:
    """Every ``*.yaml`` scenario in :func:`scenarios_dir`, sorted by name."""
    folder = scenarios_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(f"{folder}: no scenario files (*.yaml) found")
    return files


#: Characters never sent to a terminal as they are: controls (escape sequences can clear the screen or
#: retitle the window) and bidirectional overrides; shown escaped instead.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters shown as escapes (``\x1b``); newlines and
    tabs kept."""
    return UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


def add_set(parser: argparse.ArgumentParser) -> None:
    """``--set KEY=VALUE`` (repeatable): the same overrides as the Python API."""
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a setting in YAML syntax, e.g. --set fertility.tfr=+0.2 or "
                             "--set migration.net=200000 (repeatable)")


def overrides(args: argparse.Namespace) -> dict:
    """``--set KEY=VALUE`` options as dotted-key overrides (InputError if malformed)."""
    found = {}
    for item in getattr(args, "set", None) or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set {item!r}: expected KEY=VALUE such as fertility.tfr=+0.2")
        found[key.strip()] = value  # read as YAML by the loader, as the API's string values are
    return found


def load_all(args: argparse.Namespace, names: list[str]) -> list:
    """Scenario files or shipped names with the ``--set`` overrides, problems of all reported together."""
    from simulate.api import load_with

    changes = overrides(args)
    loaded, problems = [], []
    for name in names:
        try:
            loaded.append(load_with(name, changes, "--set"))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return loaded


def figure_formats(args: argparse.Namespace) -> tuple[str, ...]:
    """The figure formats to write: none under --no-figures, else --formats (default: SVG).
    :func:`simulate.cli.main` stores the answer as ``args.formats`` for every command."""
    from simulate.plots.kinds import DEFAULT_FORMATS

    return () if getattr(args, "no_figures", False) else (getattr(args, "formats", None) or DEFAULT_FORMATS)


def say(args: argparse.Namespace, text: str) -> None:
    """Print a line for the user (not under --quiet), printable only."""
    if not getattr(args, "quiet", False):
        print(printable(text))


def _run_and_write(args: argparse.Namespace, files: list[Path], comparison: str | None) -> int:
    from simulate.plots.render import prestart
    from simulate.report.outputs import comparison_name, format_outcomes, outcome_table, write_results

    if args.formats and len(files) > 1:
        prestart()  # figure workers load matplotlib while the scenarios run (main stops unused ones)

    start = time.perf_counter()
    loaded = load_all(args, [str(f) for f in files])
    check_names([item.scenario.name for item in loaded])
    results = check_targets(run_scenarios(loaded, flows=getattr(args, "flows", False)))
    if comparison == "":
        comparison = comparison_name(results)
    as_json = getattr(args, "json", False)
    if as_json:
        args.quiet = True  # stdout carries the JSON alone
    folders = write_results(results, Path(args.out), start, comparison=comparison,
                            figures=args.formats, progress=len(results) > 1 and not args.quiet,
                            lang=args.lang)
    for result in results:
        s = result.scenario
        say(args, format_table(f"\n{s.label}  [{folders[s.name]}]", s.report_years,
                               headline_rows(result.indicators, s.report_years, s.base_year, args.lang,
                                             s.labour.old_age_threshold)))
        for target, row in zip(s.targets, result.targets):
            say(args, "  " + target_sentence(target, row, args.lang, s.base_year))
        for notice in result.notices:  # always shown, on stderr: the result is not what was asked for
            print(printable(f"note: {s.name}: {notice}"), file=sys.stderr)
    if comparison:
        from simulate.report.outputs import COMPARISON_YEARS
        say(args, f"\nComparison [{folders[COMPARISON_DIR]}]\n"
                  + format_outcomes(outcome_table(results, COMPARISON_YEARS), args.lang))
    say(args, f"\n{len(results)} scenario(s) written to {args.out}/ in {time.perf_counter() - start:.2f} s")
    if as_json:
        from simulate.report.writers import json_text
        print(json_text(json_headline(results) | {"folders": {k: str(v) for k, v in folders.items()}}), end="")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run scenario files (all shipped ones, plus their comparison, if none given)."""
    files = [Path(f) for f in args.files]
    return _run_and_write(args, files or shipped_scenarios(), None if files else "all")


def cmd_compare(args: argparse.Namespace) -> int:
    """Run several scenarios and write their comparison to <out>/comparison/<name>/."""
    if args.name is not None and name_problem(args.name):
        raise InputError(f"--name: {name_problem(args.name)}")
    return _run_and_write(args, [Path(f) for f in args.files], args.name or "")


def parse_range(text: str | None) -> tuple[float, float] | None:
    """``"LO,HI"`` -> (LO, HI); InputError if malformed."""
    if text is None:
        return None
    try:
        lo, hi = (float(part) for part in text.split(","))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError
    except ValueError:
        raise InputError(f"--range {text!r}: expected two finite numbers LO,HI such as 0,5") from None
    return lo, hi


def cmd_backcast(args: argparse.Namespace) -> int:
    """Solve for the lever value that meets the target(s); write the solved run and its YAML."""
    from simulate.backcasting import GRID_POINTS, backcast_run, solved_yaml
    from simulate.feasibility import describe_impossible
    from simulate.plots.render import backcast_figure
    from simulate.text.numbers import compact
    from simulate.report.outputs import write_results
    from simulate.report.writers import json_text
    from simulate.scenario.economy_model import Target

    start = time.perf_counter()
    loaded = load_all(args, [args.scenario])[0]
    try:
        targets = [Target.parse(t) for t in args.target]
    except ValueError as error:
        raise InputError(f"--target: {error}") from None
    answer = backcast_run(loaded, args.lever, targets, parse_range(args.range))
    solution, result, base, targets = answer.solution, answer.solved, answer.base.indicators, answer.targets
    report = answer.record
    name = solution.scenario.name
    extra = {name: {"backcast.json": json_text(report), "scenario.yaml": solved_yaml(solution)}}
    if args.json:
        args.quiet = True  # stdout carries the JSON alone
    first, threshold = targets[0], answer.threshold
    words = lever_text(solution.lever, solution.value, args.lang)
    jobs = [(backcast_figure, (name, result.indicators, base, first.metric, first.year, threshold, words,
                               loaded.scenario.label, (loaded.scenario.base_year, loaded.scenario.history_end),
                               args.lang))]
    folder = write_results([result], Path(args.out), start, figures=args.formats, extra=extra,
                           jobs=jobs, lang=args.lang)[name]
    base_year = solution.scenario.base_year
    for target, row in zip(targets, result.targets):
        phrase = target_phrase(target, asked(target, row), args.lang, base_year)
        say(args, f"{phrase}: 達成 — {words}" if args.lang == "ja" else f"{phrase}: met with {words}")
    low, high = (compact(v) for v in solution.bracket)
    say(args, (f"  （{solution.evaluations}回の計算、区間 {low} ～ {high}）" if args.lang == "ja" else
               f"  ({solution.evaluations} runs; bracket {low} to {high} {solution.unit})"))
    if solution.impossible:
        say(args, describe_impossible(solution.impossible, GRID_POINTS, f"{solution.lever} values tried first"))
    say(args, f"written to {folder}/ (scenario.yaml reproduces it)")
    if args.json:
        print(json_text(report | {"folder": str(folder)}), end="")
    return 0




def _baseline_result(path: str | None) -> RunResult:
    from simulate.scenario.loader import LoadedScenario

    if path:
        from simulate.api import load_with

        loaded = load_with(path, {})
        problem = reproduction_problem(loaded.scenario)
        if problem:
            raise InputError(f"--scenario {path}: {problem}")
    elif (scenarios_dir() / "baseline.yaml").is_file():
        loaded = load_scenario(scenarios_dir() / "baseline.yaml")
    else:
        loaded = LoadedScenario(scenario=Scenario(), files=(), file_sha256="")
    return run_scenarios([loaded])[0]


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Compare the baseline with the seed's figures and with what happened since; write both to
    ``<out>/reproduce/``; exit 1 if any seed figure is out of tolerance."""
    from simulate.plots.render import reality_figure
    from simulate.reality import format_reality, migration_sentence, reality_sentences, reality_table
    from simulate.report.html import reproduce_report
    from simulate.report.writers import atomic_directory, json_text, write_csv

    result = _baseline_result(args.scenario)
    table = reproduction_table(result)
    reality = reality_table(result)
    sentences = reality_sentences(reality, result.scenario.history_end) + [migration_sentence(result)]
    with atomic_directory(Path(args.out) / REPRODUCE_DIR) as folder:
        write_csv(table, folder / "seed_figures.csv")
        write_csv(reality, folder / "reality_check.csv")
        (folder / "reality_check.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        if args.formats:
            reality_figure(folder / "figures", reality, result.scenario.label, result.scenario.history_end,
                           formats=args.formats)
        (folder / "report.html").write_text(reproduce_report(table, sentences, folder / "figures",
                                                             result.scenario.history_end, args.lang), encoding="utf-8")
    failed = int((~table["ok"]).sum())
    if args.json:
        print(json_text({"seed_figures": table.to_dict(orient="records"), "within_tolerance": len(table) - failed,
                         "reality_check": reality.to_dict(orient="records"), "sentences": sentences,
                         "folder": str(Path(args.out) / REPRODUCE_DIR)}), end="")
        return 0 if failed == 0 else 1
    say(args, format_reproduction(table))
    say(args, f"\n{len(table) - failed} of {len(table)} figures within tolerance")
    say(args, f"\nReality check: the {result.scenario.history_end}-observed projection against what happened\n"
              + format_reality(reality) + "\n\n" + "\n".join(sentences))
    say(args, f"\nwritten to {Path(args.out) / REPRODUCE_DIR}/")
    return 0 if failed == 0 else 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate scenario files; print one line per valid file (or, with --json, one record per file)."""
    if getattr(args, "json", False):
        records = []
        for name in args.files:
            try:
                s = load_scenario(Path(name)).scenario
                records.append({"file": name, "ok": True, "name": s.name, "title": s.label, "jump_off": s.jump_off,
                                "observed_until": s.history_end, "base_year": s.base_year, "problems": []})
            except InputError as error:
                records.append({"file": name, "ok": False, "problems": error.problems})
        from simulate.report.writers import json_text

        print(json_text(records), end="")
        return 0 if all(r["ok"] for r in records) else 2
    for item in load_scenarios([Path(f) for f in args.files]):
        s = item.scenario
        past = "counterfactual past" if s.counterfactual_past else f"observed to {s.history_end}"
        print(printable(f"{item.files[0]}: ok ({s.name}: {s.label}; {s.jump_off}, {past}, base year {s.base_year})"))
    return 0


#: The schema's identifier (a URN: the project has no web address of its own).
SCHEMA_ID = "urn:quiet-crisis:scenario-schema:1"


def schema_text() -> str:
    """The JSON Schema of the scenario language, as shipped in ``scenarios/scenario.schema.json``."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Quiet Crisis Simulator scenario"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema, or write it to --out FILE."""
    if args.schema_out:
        Path(args.schema_out).write_text(schema_text(), encoding="utf-8")
    else:
        sys.stdout.write(schema_text())
    return 0


def json_headline(results) -> dict:
    """``run --json``: per scenario its folder-less headline (indicator -> year -> value) and targets."""
    from simulate.report.tables import HEADLINE

    out = {}
    for result in results:
        by_year = result.indicators.set_index("year")
        years = result.scenario.report_years
        out[result.scenario.name] = {
            "title": result.scenario.label, "base_year": result.scenario.base_year,
            "headline": {name: {str(y): float(by_year.at[y, name]) for y in years} for name in HEADLINE},
            "targets": result.targets}
    return out
