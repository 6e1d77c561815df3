"""The command line: ``python run.py [COMMAND] ...`` (also installed as ``quiet-crisis``).

Exit codes: 0 success; 1 a check or target was not met; 2 bad input (one located line per problem,
never a traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from simulate import __version__
from simulate.errors import InputError, SimulatorError
from simulate.pipeline import RunResult, run_scenarios
from simulate.report.tables import format_table, headline_table
from simulate.backcast import LEVERS as LEVER_NAMES, target_status
from simulate.reproduce import format_reproduction, reproduction_table
from simulate.report.outputs import COMPARISON_DIR
from simulate.scenario import Scenario, load_scenario, load_scenarios

REPO_SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_OUT = "results"


def scenarios_dir() -> Path:
    """``./scenarios`` if it exists, else the scenarios shipped beside the package."""
    local = Path("scenarios")
    return local if local.is_dir() else REPO_SCENARIOS


def shipped_scenarios() -> list[Path]:
    """Every ``*.yaml`` scenario in :func:`scenarios_dir`, sorted by name."""
    folder = scenarios_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(f"{folder}: no scenario files (*.yaml) found")
    return files


def say(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text)


def _check_names(loaded) -> None:
    names = [item.scenario.name for item in loaded]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise InputError(f"two scenarios would write to the same folder: {', '.join(clashes)} "
                         "(give them different 'name:' keys)")
    if COMPARISON_DIR in names:
        raise InputError(f"a scenario may not be named '{COMPARISON_DIR}' (that folder holds comparisons)")


def _run_and_write(args: argparse.Namespace, files: list[Path], comparison: str | None) -> int:
    from simulate.report.outputs import comparison_name, format_outcomes, outcome_table, write_results

    start = time.perf_counter()
    loaded = load_scenarios(files)
    _check_names(loaded)
    results = run_scenarios(loaded)
    for result in results:
        result.targets = target_status(result.indicators, result.scenario.targets)
    if comparison == "":
        comparison = comparison_name(results)
    folders = write_results(results, Path(args.out), start, comparison=comparison,
                            figures=not args.no_figures, progress=len(results) > 1 and not args.quiet)
    for result in results:
        say(args, format_table(f"\n{result.scenario.label}  [{folders[result.scenario.name]}]",
                               headline_table(result.indicators, result.scenario.report_years)))
        for row in result.targets:
            say(args, f"  target {row['target']}: {'met' if row['met'] else 'NOT met'} "
                      f"(achieved {row['achieved']:.6g}, margin {row['margin']:+.4g})")
    if comparison:
        from simulate.report.outputs import COMPARISON_YEARS
        say(args, f"\nComparison [{folders[COMPARISON_DIR]}]\n"
                  + format_outcomes(outcome_table(results, COMPARISON_YEARS)))
    say(args, f"\n{len(results)} scenario(s) written to {args.out}/ in {time.perf_counter() - start:.2f} s")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run scenario files (all shipped ones, plus their comparison, if none given)."""
    files = [Path(f) for f in args.files]
    return _run_and_write(args, files or shipped_scenarios(), None if files else "all")


def cmd_compare(args: argparse.Namespace) -> int:
    """Run several scenarios and write their comparison to <out>/comparison/<name>/."""
    if args.name is not None and not re.fullmatch(r"[a-z0-9_-]{1,64}", args.name):
        raise InputError(f"--name {args.name!r}: use 1-64 lower-case letters, digits, _ or -")
    return _run_and_write(args, [Path(f) for f in args.files], args.name or "")


def parse_range(text: str | None) -> tuple[float, float] | None:
    """``"LO,HI"`` -> (LO, HI); InputError if malformed."""
    if text is None:
        return None
    try:
        lo, hi = (float(part) for part in text.split(","))
    except ValueError:
        raise InputError(f"--range {text!r}: expected LO,HI such as 0,5") from None
    return lo, hi


def cmd_backcast(args: argparse.Namespace) -> int:
    """Solve for the lever value that meets the target(s); write the solved run and its YAML."""
    import json as _json

    from simulate.backcast import solve, solved_yaml
    from simulate.plots.render import backcast_figure
    from simulate.report.outputs import write_results
    from simulate.scenario.economy_model import Target
    from simulate.scenario.loader import LoadedScenario

    start = time.perf_counter()
    loaded = load_scenario(Path(args.scenario))
    try:
        targets = [Target.parse(t) for t in args.target] or list(loaded.scenario.targets)
    except ValueError as error:
        raise InputError(f"--target: {error}") from None
    solution = solve(loaded.scenario, args.lever, targets, parse_range(args.range))
    result = run_scenarios([LoadedScenario(solution.scenario, loaded.files, loaded.file_sha256)])[0]
    result.targets = target_status(result.indicators, targets)
    report = {"lever": solution.lever, "value": solution.value, "unit": solution.unit,
              "bracket": solution.bracket, "range": solution.search_range, "targets": result.targets,
              "evaluations": solution.evaluations, "base_scenario": loaded.scenario.name}
    name = solution.scenario.name
    extra = {name: {"backcast.json": _json.dumps(report, indent=2) + "\n", "scenario.yaml": solved_yaml(solution)}}
    base = run_scenarios([loaded])[0].indicators
    first = targets[0]
    threshold = first.value * (base.set_index("year").at[2017, first.metric] if first.relative_to_2017 else 1.0)
    jobs = [(backcast_figure, (name, result.indicators, base, first.metric, first.year, threshold,
                               f"{solution.lever} = {solution.value:.4g} {solution.unit}", loaded.scenario.label))]
    folder = write_results([result], Path(args.out), start, figures=not args.no_figures, extra=extra,
                           jobs=jobs)[name]
    say(args, f"{solution.lever} = {solution.value:.6g} {solution.unit} "
              f"(bracket {solution.bracket[0]:.4g}..{solution.bracket[1]:.4g}, {solution.evaluations} runs)")
    for row in result.targets:
        say(args, f"  {row['target']}: achieved {row['achieved']:.6g} (margin {row['margin']:+.3g})")
    say(args, f"written to {folder}/ (scenario.yaml reproduces it)")
    return 0


def _baseline_result(path: str | None) -> RunResult:
    from simulate.scenario.loader import LoadedScenario

    if path:
        loaded = load_scenario(Path(path))
    elif (scenarios_dir() / "baseline.yaml").is_file():
        loaded = load_scenario(scenarios_dir() / "baseline.yaml")
    else:
        loaded = LoadedScenario(scenario=Scenario(), files=(), file_sha256="")
    return run_scenarios([loaded])[0]


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Compare the baseline with the seed's figures; exit 1 if any is out of tolerance."""
    table = reproduction_table(_baseline_result(args.scenario))
    print(format_reproduction(table))
    failed = int((~table["ok"]).sum())
    print(f"\n{len(table) - failed} of {len(table)} figures within tolerance")
    return 0 if failed == 0 else 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate scenario files; print one line per valid file."""
    for item in load_scenarios([Path(f) for f in args.files]):
        print(f"{item.files[0]}: ok ({item.scenario.name}: {item.scenario.label})")
    return 0


def schema_text() -> str:
    """The JSON Schema of the scenario language, as shipped in ``scenarios/scenario.schema.json``."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Quiet Crisis Simulator scenario"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema, or write it to --out FILE."""
    if args.schema_out:
        Path(args.schema_out).write_text(schema_text())
    else:
        sys.stdout.write(schema_text())
    return 0


def _add_out(parser: argparse.ArgumentParser, default) -> None:
    """--out, --quiet and --no-figures, accepted before or after a command's arguments."""
    parser.add_argument("--out", default=default, metavar="DIR",
                        help=f"folder for results (default: {DEFAULT_OUT})")
    parser.add_argument("--quiet", action="store_true", default=False if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help="print errors only")
    parser.add_argument("--no-figures", action="store_true", default=False if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help="skip figures (and leave them out of the reports)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="Quiet Crisis Simulator: Japan's population, labour and economy to "
        "2065 and beyond, under scenarios written in YAML. With no command, runs every scenario in "
        "scenarios/.")
    parser.add_argument("--version", action="version", version=f"quiet-crisis {__version__}")
    _add_out(parser, DEFAULT_OUT)
    parser.set_defaults(handler=cmd_run, files=[])
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="run scenario files and write results/<name>/")
    run.add_argument("files", nargs="*", metavar="FILE", help="scenario YAML files (default: all shipped)")
    _add_out(run, argparse.SUPPRESS)
    run.set_defaults(handler=cmd_run)

    compare = commands.add_parser("compare", help="run scenarios and write results/comparison/<name>/")
    compare.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")
    compare.add_argument("--name", help="comparison folder name (default: the scenario names joined)")
    _add_out(compare, argparse.SUPPRESS)
    compare.set_defaults(handler=cmd_compare)

    backcast = commands.add_parser("backcast", help="solve for the lever value that meets a target")
    backcast.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    backcast.add_argument("--target", action="append", default=[], metavar="METRIC@YEAR>=VALUE",
                          help="e.g. labour_force@2040>=60e6 or gdp@2040>=1x2017 (repeatable; "
                               "default: the scenario's targets)")
    backcast.add_argument("--lever", required=True, choices=sorted(LEVER_NAMES),
                          help="what to solve for")
    backcast.add_argument("--range", metavar="LO,HI", help="search range of the lever (default per lever)")
    _add_out(backcast, argparse.SUPPRESS)
    backcast.set_defaults(handler=cmd_backcast)

    reproduce = commands.add_parser("reproduce", help="the seed's figures vs the model (exit 1 if any is off)")
    reproduce.add_argument("--scenario", metavar="FILE", help="baseline scenario file (default: scenarios/baseline.yaml)")
    reproduce.set_defaults(handler=cmd_reproduce)

    validate = commands.add_parser("validate", help="check scenario files; exit 2 on any problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=cmd_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of the scenario language")
    schema.add_argument("--out", dest="schema_out", metavar="FILE", help="write it to FILE instead")
    schema.set_defaults(handler=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the command, and turn known errors into messages and exit codes."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except SimulatorError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
