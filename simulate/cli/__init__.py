"""The command line: ``python run.py [COMMAND] ...`` (also installed as ``quiet-crisis``).

Exit codes: 0 success; 1 a check or target was not met, an impossible world or the environment
(unwritable or full output); 2 bad input (one located line per problem, never a traceback);
130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from simulate import api
from simulate.cli import commands, explore, odds, uncertainty, workbench
from simulate.cli.commands import DEFAULT_OUT, add_set
from simulate.cli.show import printable
from simulate.errors import InputError, ParameterError, SimulatorError
from simulate.plots.kinds import parse_formats
from simulate.processes import TERMINATED_EXIT, Terminated, handle_sigterm
from simulate.cli.parser import Parser
from simulate.text.messages import N_, in_use, t, use
from simulate.text.numbers import LANGUAGES, default_language
from simulate.version import __version__

__all__ = ["build_parser", "main"]


def _formats(text: str) -> tuple[str, ...]:
    """An argparse type: ``--formats`` (see :func:`simulate.plots.kinds.parse_formats`)."""
    try:
        return parse_formats(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def program_name(argv0: str | None = None) -> str:
    """How the program was called, for usage lines and hints: ``python run.py``, ``python -m
    simulate`` or the installed ``quiet-crisis``."""
    name = Path(argv0 if argv0 is not None else (sys.argv[0] if sys.argv and sys.argv[0] else "quiet-crisis")).name
    return {"run.py": "python run.py", "__main__.py": "python -m simulate", "-c": "quiet-crisis"}.get(name, name)


def _add_out(parser: argparse.ArgumentParser, default, out: bool = True) -> None:
    """The global options (--out, --quiet, --no-figures, --formats, --lang, --json, --verbose),
    accepted before or after a command's arguments: on a command they default to SUPPRESS, so
    that one given before the command is not reset.  ``out=False`` for ``schema`` (whose --out is
    a file)."""
    if out:
        parser.add_argument("--out", default=default, metavar="DIR",
                            help=t("folder for results (default: {folder})", folder=DEFAULT_OUT))
    parser.add_argument("--json", action="store_true", default=False if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help=t("print the result as JSON on stdout (see the README for "
                        "each command's shape)"))
    parser.add_argument("--verbose", "-v", action="store_true", default=False if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help=t("log what the library does (the 'simulate' logger) on stderr"))
    parser.add_argument("--quiet", action="store_true", default=False if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help=t("print errors only"))
    parser.add_argument("--no-figures", action="store_true", default=False if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help=t("skip figures (and leave them out of the reports)"))
    parser.add_argument("--formats", type=_formats, metavar="LIST", default=None if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help=t("figure files to write: svg, png or svg,png (default: svg, "
                        "which the reports inline; with png only, the reports show the PNG files)"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None if default != argparse.SUPPRESS
                        else argparse.SUPPRESS, help=t("language of tables, figures and reports: en or ja "
                        "(default: ja under a Japanese locale, else en)"))


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The command line; ``prog`` (default: :func:`program_name`) names it in usage lines.  Its
    help is in the language in use (:func:`simulate.text.messages.use`)."""
    parser = Parser(
        prog=prog or program_name(), description=t("Quiet Crisis Simulator: Japan's population, labour and economy to "
        "2065 and beyond, under scenarios written in YAML. With no command, runs every scenario in "
        "scenarios/."))
    parser.add_argument("--version", action="version", version=f"quiet-crisis {__version__}",
                        help=t("show the version and exit"))
    _add_out(parser, DEFAULT_OUT)
    parser.set_defaults(handler=commands.cmd_run, files=[])
    sub = parser.add_subparsers(title=t("commands"), metavar="COMMAND")

    run = sub.add_parser("run", help=t("run scenario files and write results/<name>/"))
    run.add_argument("files", nargs="*", metavar="FILE", help=t("scenario YAML files or shipped names "
                     "(default: all shipped)"))
    add_set(run)
    run.add_argument("--name", help=t("name (and folder) of a what-if run with --set (one scenario; default: the "
                     "scenario's name, the settings and a short hash, e.g. current-net-300000-99bdfa5757)"))
    run.add_argument("--flows", action="store_true", help=t("also write flows.csv: deaths and net migrants by "
                     "year, sex and age"))
    _add_out(run, argparse.SUPPRESS)
    run.set_defaults(handler=commands.cmd_run)

    compare = sub.add_parser("compare", help=t("run scenarios and write results/comparison/<name>/"))
    compare.add_argument("files", nargs="+", metavar="FILE", help=t("scenario YAML files or shipped names; "
                         "NAME+KEY=VALUE[+KEY=VALUE...] is a what-if of one scenario, e.g. "
                         "current current+migration.net=300000 (--set applies to every scenario)"))
    add_set(compare)
    compare.add_argument("--name", help=t("comparison folder name (default: the scenario names joined)"))
    _add_out(compare, argparse.SUPPRESS)
    compare.set_defaults(handler=commands.cmd_compare)

    backcast = sub.add_parser("backcast", help=t("solve for the lever value that meets a target"))
    backcast.add_argument("scenario", metavar="SCENARIO", help=t("scenario YAML file or shipped name"))
    add_set(backcast)
    backcast.add_argument("--target", action="append", default=[], metavar="METRIC@YEAR>=VALUE",
                          help=t("e.g. labour_force@2040>=60e6 or gdp@2040>=1x2017 (repeatable; "
                               "default: the scenario's targets)"))
    backcast.add_argument("--lever", required=True, choices=sorted(api.LEVERS), action="append",
                          help=t("what to solve for; twice: the frontier of two levers that meets the target"))
    backcast.add_argument("--range", metavar="LO,HI", action="append", default=[],
                          help=t("search range of the lever (default per lever; once per --lever)"))
    odds.add_backcast_options(backcast)
    _add_out(backcast, argparse.SUPPRESS)
    backcast.set_defaults(handler=odds.cmd_backcast)

    reproduce = sub.add_parser("reproduce", help=t("the seed's figures vs the model, and the 2017-based projection "
                               "vs what happened since; writes results/reproduce/ (exit 1 if a seed figure is off)"))
    reproduce.add_argument("--scenario", metavar="FILE", help=t("baseline scenario file (default: scenarios/baseline.yaml)"))

    _add_out(reproduce, argparse.SUPPRESS)
    reproduce.set_defaults(handler=commands.cmd_reproduce)

    validate = sub.add_parser("validate", help=t("check scenario files; exit 2 on any problem"))
    validate.add_argument("files", nargs="+", metavar="FILE", help=t("scenario YAML files, shipped names or "
                          "what-ifs (NAME+KEY=VALUE)"))
    _add_out(validate, argparse.SUPPRESS)
    validate.set_defaults(handler=commands.cmd_validate)

    schema = sub.add_parser("schema", help=t("print the JSON Schema of the scenario language"))
    schema.add_argument("--out", dest="schema_out", metavar="FILE", help=t("write it to FILE instead"))
    _add_out(schema, argparse.SUPPRESS, out=False)
    schema.set_defaults(handler=commands.cmd_schema)
    uncertainty.add_commands(sub, _add_out)
    odds.add_commands(sub, _add_out)
    workbench.add_commands(sub, _add_out)
    explore.add_commands(sub, _add_out)
    return parser


def requested_language(argv: list[str]) -> str:
    """The language ``--lang`` asks for, read before parsing (so that ``--help`` and argparse's
    errors are in it): the last ``--lang X`` or ``--lang=X`` with a known X, else the default."""
    found = None
    for k, arg in enumerate(argv):
        value = argv[k + 1] if arg == "--lang" and k + 1 < len(argv) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            found = value
    return found or default_language()


def check_destinations(args: argparse.Namespace) -> None:
    """Refuse, before any work, an --out that is (or lies under) a file, and a schema --out that is a folder."""
    out = getattr(args, "out", None)
    if out is not None:
        for folder in (Path(out), *Path(out).parents):
            if folder.exists():
                if not folder.is_dir():
                    raise InputError(f"--out {out}: " + t("{folder} is a file, not a folder: choose a folder for "
                                                          "results", folder=folder))
                break
    schema_out = getattr(args, "schema_out", None)
    if schema_out is not None and Path(schema_out).is_dir():
        raise InputError(f"--out {schema_out}: " + t("is a folder; give a file name such as {file}",
                                                     file=Path(schema_out) / "scenario.schema.json"))


#: The library's parameters as this command line's options: a library error names the parameter,
#: the command line says the option.
FLAGS = {"n": "--n", "method": "--method", "indicators": "--indicator", "years": "--year", "grid": "--grid",
         "metric": "--metric", "keep_ages": "--keep-ages", "max_memory_gb": "--max-memory-gb", "workers": "--workers",
         "out": "--out", "address": "--dask", "targets": "--target", "search_range": "--range", "chunk": "--chunk",
         "seed": "--seed", "scenario": "--scenario", "force_workers": "--force-workers", "origin": "--origin",
         "origins": "--origins", "lever": "--lever", "odds": "--odds", "centre": "--centre",
         "horizons": "--horizons", "universe": "--universe"}

#: Where to report an unexpected error.
REPORT_TO = N_("the project's issue tracker")
#: Exit status after a closed pipe when nothing was written (128 + SIGPIPE, as a shell reports it).
BROKEN_PIPE_EXIT = 141


def log_to_stderr(level: int) -> None:
    """Show the library's ``simulate`` logger on stderr from ``level`` on (once per process)."""
    logger = logging.getLogger("simulate")
    logger.setLevel(level)
    if not any(getattr(h, "quiet_crisis", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        handler.quiet_crisis = True
        logger.addHandler(handler)


def broken_pipe(args: argparse.Namespace) -> int:
    """The reader of stdout went away (``| head``): stop quietly, as the Python documentation
    advises (stdout pointed at /dev/null so that the interpreter's last flush does not complain);
    0 if the command's results were already written (every command writes before it prints),
    else 141."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture)
        pass
    return 0 if getattr(args, "written", False) else BROKEN_PIPE_EXIT


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit code.  The
    language it speaks is the run's only: the caller's (:func:`simulate.text.messages.in_use`) is
    restored afterwards, so that a program calling it keeps its own."""
    before = in_use()
    try:
        return _main(argv)
    finally:
        use(before)


def _main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the command, and turn errors into one line and an exit code: 2 for bad
    input, 1 for a check not met or the environment (a folder that cannot be written, a full disk),
    130 if interrupted; anything unexpected is one line too (the traceback with ``--debug``)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    for stream in (sys.stdout, sys.stderr):  # a legacy terminal encoding shows '?', never crashes
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    args = argparse.Namespace()
    try:
        handle_sigterm()
        use(requested_language(argv))  # --help and argparse's own errors in the language asked for
        parser = build_parser()
        args = parser.parse_args([a for a in argv if a != "--debug"])
        args.prog = parser.prog
        check_destinations(args)
        args.lang = getattr(args, "lang", None) or default_language()
        use(args.lang)  # errors and notices from the library, too, in the language asked for
        args.formats = commands.figure_formats(args)  # one answer to "which figures?", () for none
        if getattr(args, "json", False):
            args.quiet = True  # stdout carries the JSON alone
        log_to_stderr(logging.DEBUG if debug else logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
        try:
            code = args.handler(args)
            if code == 0 and getattr(args, "written", False) and getattr(args, "out", None) and not getattr(
                    args, "schema_out", None):  # a schema file is no result
                index = api.write_index(args.out, args.lang)  # results/index.html: every result, linked
                if index is not None and not getattr(args, "quiet", False):
                    print(t("Open {index} in a browser to see every result.", args.lang, index=index))
            return code
        finally:
            api.stop_figure_workers()  # figure workers started ahead for a command that stopped early
    except BrokenPipeError:
        return broken_pipe(args)
    except SimulatorError as error:
        print(printable(error.render(FLAGS) if isinstance(error, ParameterError) else str(error)), file=sys.stderr)
        return error.exit_code
    except Terminated:
        print(t("terminated"), file=sys.stderr)
        return TERMINATED_EXIT
    except KeyboardInterrupt:
        print(t("interrupted"), file=sys.stderr)
        return 130
    except OSError as error:
        if debug:
            raise
        where = f": {error.filename}" if getattr(error, "filename", None) else ""
        print(t("cannot read or write{where} (the system says: {detail})", where=where, detail=error.strerror or error),
              file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - the last guard: one line, never a traceback
        if debug:
            raise
        print(t("internal error: {kind}: {detail} (please report it to {where}; run again with --debug for the "
                "traceback)", kind=type(error).__name__, detail=" ".join(str(error).split())[:200], where=t(REPORT_TO)),
              file=sys.stderr)
        return 1
