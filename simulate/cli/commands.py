"""Commands on scenarios: run, compare, backcast, reproduce, validate, schema.

Each command parses its options, makes one call to :mod:`simulate.api`, and shows or writes what
it returns: the program is the API, the command line its client.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

from simulate import api
from simulate.cli.show import Progress, note, print_json, printable, say
from simulate.errors import InputError
from simulate.names import name_problem
from simulate.plots.kinds import DEFAULT_FORMATS
from simulate.report.tables import (HEADLINE, asked, describe_impossible, format_outcomes, format_reality,
                                    format_reproduction, format_table, headline_rows, lever_text, target_phrase,
                                    target_sentence)
from simulate.text.numbers import compact
from simulate.text.messages import t

DEFAULT_OUT = "results"
#: How problems in ``--set`` options are located.
SET_ORIGIN = "--set"


def add_set(parser: argparse.ArgumentParser) -> None:
    """``--set KEY=VALUE`` (repeatable): the same overrides as the Python API."""
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help=t("override a setting in YAML syntax, e.g. --set fertility.tfr=+0.2 or "
                             "--set migration.net=200000 (from the first projected year; repeatable); "
                             "a lever's VALUE@YEAR is reached in YEAR from the last observed year, e.g. "
                             "--set migration.net=300000@2035"))


def overrides(args: argparse.Namespace) -> dict:
    """``--set KEY=VALUE`` options as dotted-key overrides (InputError if malformed)."""
    found = {}
    for item in getattr(args, "set", None) or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(t("--set {item}: expected KEY=VALUE such as fertility.tfr=+0.2", item=repr(item)))
        found[key.strip()] = value  # read as YAML by the loader, as the API's string values are
    return found


def figure_formats(args: argparse.Namespace) -> tuple[str, ...]:
    """The figure formats to write: none under --no-figures, else --formats (default: SVG).
    :func:`simulate.cli.main` stores the answer as ``args.formats`` for every command."""
    return () if getattr(args, "no_figures", False) else (getattr(args, "formats", None) or DEFAULT_FORMATS)


def _write_runs(args: argparse.Namespace, scenarios: list[str], comparison: str | None) -> int:
    """``run`` and ``compare``: one call (:func:`simulate.api.compare`), then write and show."""
    start = time.perf_counter()
    runs = api.compare(*scenarios, name=comparison, overrides=overrides(args), origin=SET_ORIGIN,
                       flows=getattr(args, "flows", False), figures=args.formats)
    folders = runs.write(Path(args.out), lang=args.lang, progress=Progress(len(runs.results) > 1 and not args.quiet))
    args.written = True
    for result in runs.results.values():
        s = result.scenario
        if args.verbose:  # the full headline table
            say(args, format_table(f"\n{s.label}  [{folders[s.name]}]", s.report_years,
                                   headline_rows(result.indicators, s.report_years, s.base_year, args.lang,
                                                 s.labour.old_age_threshold)))
        else:
            say(args, f"\n{s.label}  [{folders[s.name]}]\n  {result.summary(args.lang)}")
        for target, row in zip(s.targets, result.run.targets):
            say(args, "  " + target_sentence(target, row, args.lang, s.base_year))
    for notice, names in grouped_notices(runs, "notices").items():  # always: the result is not what was asked for
        note(f"{', '.join(names)}: {notice}")
    if not args.quiet:
        for step, names in grouped_notices(runs, "steps").items():
            note(f"{', '.join(names)}: {step}")
    if runs.name:
        say(args, "\n" + t("Comparison [{folder}]", args.lang, folder=folders["comparison"]) + (
            "\n" + format_outcomes(runs.outcomes, args.lang) if args.verbose else
            t(" ({report}; --verbose prints its tables)", args.lang, report=folders["comparison"] / "report.html")))
        if not args.verbose:  # what differs most, in words
            say(args, "".join(f"\n  {sentence}" for sentence in runs.so_what(args.lang)))
    say(args, "\n" + t("{count} scenario(s) written to {folder}/ in {seconds} s", args.lang, count=len(runs.results),
                       folder=args.out, seconds=f"{time.perf_counter() - start:.2f}"))

    if args.json:
        print_json(json_runs(runs, folders, args.command_name))
    return 0


def grouped_notices(runs: api.Comparison, kind: str) -> dict[str, list[str]]:
    """Each of the results' ``notices`` or ``steps`` once, with the scenarios it concerns (a step
    every child of a scenario inherits is one line, not one per child)."""
    found: dict[str, list[str]] = {}
    for result in runs.results.values():
        for notice in getattr(result, kind):
            found.setdefault(notice, []).append(result.scenario.name)
    return found


def cmd_run(args: argparse.Namespace) -> int:
    """Run scenario files (all shipped ones, plus their comparison, if none given)."""
    args.command_name = "run"
    if getattr(args, "name", None) is not None:
        if len(args.files) != 1:
            raise InputError(t("--name: names one scenario: give exactly one FILE"))
        if name_problem(args.name):
            raise InputError(f"--name: {name_problem(args.name)}")
        args.set = list(args.set) + [f"name={args.name}"]
    return _write_runs(args, list(args.files), None if args.files else "")


def cmd_compare(args: argparse.Namespace) -> int:
    """Run several scenarios and write their comparison to <out>/comparison/<name>/."""
    if args.name is not None and name_problem(args.name):
        raise InputError(f"--name: {name_problem(args.name)}")
    args.command_name = "compare"
    return _write_runs(args, list(args.files), args.name or "")


def parse_range(text: str | None) -> tuple[float, float] | None:
    """``"LO,HI"`` -> (LO, HI); InputError if malformed."""
    if text is None:
        return None
    try:
        lo, hi = (float(part) for part in text.split(","))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError
    except ValueError:
        raise InputError(t("--range {text}: expected two finite numbers LO,HI such as 0,5", text=repr(text))) from None
    return lo, hi


def cmd_backcast(args: argparse.Namespace) -> int:
    """Solve for the lever value that meets the target(s); write the solved run and its YAML."""
    answer = api.backcast(args.scenario, args.lever[0], args.target, parse_range((args.range or [None])[0]),
                          overrides(args), SET_ORIGIN)
    folder = answer.write(Path(args.out), figures=args.formats, lang=args.lang)
    args.written = True
    solution = answer.solution
    words = lever_text(solution.lever, solution.value, args.lang)
    for target, row in zip(answer.targets, answer.result.run.targets):
        phrase = target_phrase(target, asked(target, row), args.lang, solution.scenario.base_year)
        say(args, t("{target}: met with {lever}", args.lang, target=phrase, lever=words))
    low, high = (compact(v) for v in solution.bracket)
    say(args, "  " + t("({runs} runs; bracket {low} to {high} {unit})", args.lang, runs=solution.evaluations, low=low,
                       high=high, unit=t(solution.unit, args.lang)))
    if solution.impossible:
        say(args, describe_impossible(solution.impossible, answer.grid_points,
                                      t("values of {lever} tried first", args.lang,
                                        lever=api.LEVERS[solution.lever].name_in(args.lang))))
    say(args, t("written to {folder}/ (scenario.yaml reproduces it)", args.lang, folder=folder))
    if args.json:
        print_json({"format": "quiet-crisis/backcast/1"} | answer.record | {"folder": str(folder)})
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Compare the baseline with the seed's figures and with what happened since; write both to
    ``<out>/reproduce/``; exit 1 if any seed figure is out of tolerance."""
    found = api.reproduce(args.scenario)
    folder = found.write(Path(args.out), figures=args.formats, lang=args.lang)
    args.written = True
    if args.json:
        print_json({"format": "quiet-crisis/reproduce/1"} | found.record | {"folder": str(folder)})
        return 0 if found.failed == 0 else 1
    table, end = found.table, found.result.scenario.history_end
    say(args, format_reproduction(table, args.lang))
    say(args, "\n" + t("{passed} of {count} figures within tolerance", args.lang, passed=len(table) - found.failed,
                       count=len(table)))
    say(args, "\n" + t("Reality check: the {end}-observed projection against what happened", args.lang, end=end) + "\n"
              + format_reality(found.reality, args.lang) + "\n\n" + "\n".join(found.sentences_in(args.lang)))
    say(args, "\n" + t("written to {folder}/", args.lang, folder=folder))
    return 0 if found.failed == 0 else 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate scenario files; print one line per valid file (or, with --json, one record per file)."""
    records = api.validate(args.files)
    if getattr(args, "json", False):
        print_json(records)
        return 0 if all(r["ok"] for r in records) else 2
    problems = [p for r in records if not r["ok"] for p in r["problems"]]
    if problems:
        raise InputError(problems)
    for r in records:
        past = t("counterfactual past") if r["counterfactual_past"] else t("observed to {year}",
                                                                            year=r["observed_until"])
        print(printable(t("{file}: ok ({name}: {title}; {jump_off}, {past}, base year {base})", file=r["file"],
                          name=r["name"], title=r["title"], jump_off=r["jump_off"], past=past, base=r["base_year"])))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema, or write it to --out FILE."""
    if args.schema_out:
        Path(args.schema_out).write_text(api.schema_text(args.lang), encoding="utf-8")
        args.written = True
    else:
        sys.stdout.write(api.schema_text(args.lang))
    return 0


def json_runs(runs: api.Comparison, folders: dict[str, Path], command: str) -> dict:
    """``run --json`` and ``compare --json`` (format ``quiet-crisis/run/1``): ``scenarios``, a list
    with one record per scenario (name, title, folder, overrides, base year, headline: indicator ->
    year -> value, targets, notices, steps), and ``comparison`` (name and folder, or null)."""
    records = []
    for result in runs.results.values():
        s, by_year = result.scenario, result.indicators.set_index("year")
        records.append({
            "name": s.name, "title": s.label, "folder": str(folders[s.name]),
            "overrides": dict(result.run.loaded.overrides), "base_year": s.base_year,
            "headline": {name: {str(y): float(by_year.at[y, name]) for y in s.report_years} for name in HEADLINE},
            "targets": result.run.targets, "notices": result.notices, "steps": result.steps})
    comparison = {"name": runs.name, "folder": str(folders["comparison"])} if runs.name else None
    return {"format": "quiet-crisis/run/1", "command": command, "scenarios": records, "comparison": comparison}
