"""Commands for getting started and for scripts: ``list``, ``init`` and the ``--json`` outputs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from simulate.errors import InputError

#: The starter scenario ``init`` writes: every common setting, commented, extending the baseline.
STARTER = """\
# yaml-language-server: $schema=scenario.schema.json
# A scenario of the Quiet Crisis Simulator.  Run it with
#   python run.py run {name}.yaml          (or: quiet-crisis run {name}.yaml)
# Every setting not written here comes from the parent ('extends').  Paths are a number
# (constant) or {{year: value}} keyframes; in a child scenario also '+0.2', '-0.1' or 'x1.1'
# relative to the parent.  Years up to the last observed year come from data, not from here.
name: {name}
title: My scenario (edit me)
extends: baseline            # a shipped scenario (python run.py list) or a file beside this one
description: What this scenario assumes and why.

fertility:
  tfr: {{2017: 1.43, 2030: 1.6, 2040: 1.7}}     # children per woman; 2017 = where assumptions start
mortality:
  e0:
    female: '+0.5'                # years, added to the parent's path
migration:
  net: {{2017: 69900, 2030: 150000}}   # persons a year (write '200 persons' for a deliberately small number)
labour:
  seniors: {{rate: 50, by: 2040}}   # % of ages 65-74 in the labour force
economy:
  productivity_growth: 1.2        # % a year (write '0.02 %' for a deliberately small number)
targets:
  - labour_force@2040>=60e6
  - gdp_per_capita@2040>=1.2xbase
"""


def add_commands(sub) -> None:
    """Register ``list`` and ``init``."""
    listing = sub.add_parser("list", help="shipped scenarios, backcast levers and indicators with units")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.add_argument("--lang", choices=("en", "ja"), default=None, help="language of the labels")
    listing.set_defaults(handler=cmd_list)
    init = sub.add_parser("init", help="write a commented starter scenario (and the schema) into DIR")
    init.add_argument("folder", metavar="DIR", help="folder to write into (created if missing)")
    init.add_argument("--name", default="my_scenario", help="scenario name and file name (default my_scenario)")
    init.set_defaults(handler=cmd_init)


def catalogue(lang: str) -> dict:
    """What ``list`` shows: shipped scenarios (name, title), levers (name, unit, range, meaning) and
    indicators (name, unit, label)."""
    from simulate.scenario.levers import LEVERS
    from simulate.indicators import REGISTRY
    from simulate.scenario import load_scenario
    from simulate.scenario.shipped import SHIPPED, shipped_names

    return {
        "scenarios": [{"name": name, "title": load_scenario(SHIPPED / f"{name}.yaml").scenario.label}
                      for name in shipped_names()],
        "levers": [{"name": lever.name, "unit": lever.unit, "range": list(lever.default_range),
                    "meaning": lever.description} for lever in LEVERS.values()],
        "indicators": [{"name": name, "unit": indicator.unit, "label": indicator.label(lang)}
                       for name, indicator in REGISTRY.items()],
    }


def cmd_list(args: argparse.Namespace) -> int:
    """Print the catalogue as text or JSON."""
    from simulate.cli.commands import printable
    from simulate.text.numbers import compact, pad, width

    found = catalogue(args.lang)
    if args.json:
        from simulate.report.writers import json_text

        print(json_text(found), end="")
        return 0
    lines = ["Shipped scenarios (python run.py run NAME, or extends: NAME):"]
    lines += [f"  {s['name']:<26}{s['title']}" for s in found["scenarios"]]
    lines += ["", "Backcast levers (--lever NAME; sweep --grid NAME=...):"]
    lines += [f"  {lever['name']:<22}{lever['unit']:<20}{compact(lever['range'][0])} to {compact(lever['range'][1])}: "
              f"{lever['meaning']}" for lever in found["levers"]]
    lines += ["", "Indicators (indicators.csv columns; targets METRIC@YEAR>=VALUE):"]
    column = max(width(i["label"]) for i in found["indicators"]) + 2
    lines += [f"  {i['name']:<28}{pad(i['label'], column)}{i['unit']}" for i in found["indicators"]]
    print(printable("\n".join(lines)))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write ``DIR/<name>.yaml`` (a commented starter) and ``DIR/scenario.schema.json``; never overwrite."""
    from simulate.cli.commands import printable, schema_text
    from simulate.names import name_problem

    if name_problem(args.name):
        raise InputError(f"--name: {name_problem(args.name)}")
    folder = Path(args.folder)
    scenario, schema = folder / f"{args.name}.yaml", folder / "scenario.schema.json"
    if scenario.exists() or scenario.is_symlink():  # a dangling link too: writing would follow it
        raise InputError(f"{scenario} exists: init never overwrites a file; choose another --name or folder")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    with open(scenario, "x", encoding="utf-8") as file:  # exclusive: never through a link made meanwhile
        file.write(STARTER.format(name=args.name))
    if not (schema.exists() or schema.is_symlink()):
        with open(schema, "x", encoding="utf-8") as file:
            file.write(schema_text())
    print(printable(f"wrote {scenario} (and {schema.name} for editors); run it with: python run.py run {scenario}"))
    return 0
