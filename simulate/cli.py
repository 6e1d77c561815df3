"""The command line: ``python run.py [COMMAND] ...`` (also installed as ``quiet-crisis``).

Exit codes: 0 success; 1 a check or target was not met; 2 bad input (one located line per problem,
never a traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from simulate import __version__
from simulate.errors import InputError, SimulatorError
from simulate.pipeline import RunResult, run_scenarios
from simulate.report.tables import format_table, headline_table
from simulate.backcast import LEVERS as LEVER_NAMES, target_status
from simulate.reproduce import format_reproduction, reproduction_table
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


def cmd_run(args: argparse.Namespace) -> int:
    """Run scenario files (all shipped ones if none given) and write results."""
    from simulate.report.writers import write_run

    start = time.perf_counter()
    loaded = load_scenarios([Path(f) for f in args.files] or shipped_scenarios())
    names = [item.scenario.name for item in loaded]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise InputError(f"two scenarios would write to the same folder: {', '.join(clashes)} "
                         "(give them different 'name:' keys)")
    results = run_scenarios(loaded)
    for result in results:
        result.targets = target_status(result.indicators, result.scenario.targets)
    out = Path(args.out)
    for result in results:
        folder = write_run(result, out, 1000.0 * (time.perf_counter() - start))
        say(args, format_table(f"\n{result.scenario.label}  [{result.scenario.name} -> {folder}]",
                               headline_table(result.indicators, result.scenario.report_years)))
        for row in result.targets:
            say(args, f"  target {row['target']}: {'met' if row['met'] else 'NOT met'} "
                      f"(achieved {row['achieved']:.6g}, margin {row['margin']:+.4g})")
    say(args, f"\n{len(results)} scenario(s) written to {out}/ in {time.perf_counter() - start:.2f} s")
    return 0


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

    from simulate.backcast import solve, solved_yaml, target_status
    from simulate.report.writers import write_run
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
    extra = {"backcast.json": _json.dumps(report, indent=2) + "\n", "scenario.yaml": solved_yaml(solution)}
    folder = write_run(result, Path(args.out), 1000.0 * (time.perf_counter() - start), extra)
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
    parser.add_argument("--out", default=default, metavar="DIR",
                        help=f"folder for results (default: {DEFAULT_OUT})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="Quiet Crisis Simulator: Japan's population, labour and economy to "
        "2065 and beyond, under scenarios written in YAML. With no command, runs every scenario in "
        "scenarios/.")
    parser.add_argument("--version", action="version", version=f"quiet-crisis {__version__}")
    _add_out(parser, DEFAULT_OUT)
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    parser.set_defaults(handler=cmd_run, files=[])
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="run scenario files and write results/<name>/")
    run.add_argument("files", nargs="*", metavar="FILE", help="scenario YAML files (default: all shipped)")
    _add_out(run, argparse.SUPPRESS)
    run.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only")
    run.set_defaults(handler=cmd_run)

    backcast = commands.add_parser("backcast", help="solve for the lever value that meets a target")
    backcast.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    backcast.add_argument("--target", action="append", default=[], metavar="METRIC@YEAR>=VALUE",
                          help="e.g. labour_force@2040>=60e6 or gdp@2040>=1x2017 (repeatable; "
                               "default: the scenario's targets)")
    backcast.add_argument("--lever", required=True, choices=sorted(LEVER_NAMES),
                          help="what to solve for")
    backcast.add_argument("--range", metavar="LO,HI", help="search range of the lever (default per lever)")
    _add_out(backcast, argparse.SUPPRESS)
    backcast.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only")
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
