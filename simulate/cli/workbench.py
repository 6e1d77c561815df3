"""Commands for getting started: ``list`` and ``init`` (each one call to :mod:`simulate.api`)."""

from __future__ import annotations

import argparse

from simulate import api
from simulate.cli.show import print_json, printable, say
from simulate.text.messages import t
from simulate.text.numbers import compact, pad, width

def add_commands(sub, add_out) -> None:
    """Register ``list`` and ``init`` (with the global options, ``add_out``)."""
    listing = sub.add_parser("list", help=t("shipped scenarios, backcast levers and indicators with units"))
    add_out(listing, argparse.SUPPRESS)
    listing.set_defaults(handler=cmd_list)
    init = sub.add_parser("init", help=t("write a commented starter scenario extending current (and the schema) "
                          "into DIR"))
    init.add_argument("folder", metavar="DIR", help=t("folder to write into (created if missing)"))
    init.add_argument("--name", default="my_scenario", help=t("scenario name and file name (default my_scenario)"))
    add_out(init, argparse.SUPPRESS)
    init.set_defaults(handler=cmd_init)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the catalogue as text or JSON."""
    found = api.catalogue(args.lang)
    if args.json:
        print_json({"format": "quiet-crisis/list/1"} | found)
        return 0
    lines = [t("Shipped scenarios ({prog} run NAME, or extends: NAME):", args.lang, prog=args.prog)]
    lines += [f"  {s['name']:<26}{s['title']}" for s in found["scenarios"]]
    lines += ["", t("Backcast levers (--lever NAME; sweep --grid NAME=...):", args.lang)]
    unit = max(width(lever["unit"]) for lever in found["levers"]) + 2
    lines += [f"  {lever['name']:<22}{pad(lever['unit'], unit)}" + t("{low} to {high}", args.lang,
              low=compact(lever["range"][0]), high=compact(lever["range"][1])) + f": {lever['meaning']}"
              for lever in found["levers"]]
    lines += ["", t("Indicators (indicators.csv columns; targets METRIC@YEAR>=VALUE):", args.lang)]
    column = max(width(i["label"]) for i in found["indicators"]) + 2
    lines += [f"  {i['name']:<28}{pad(i['label'], column)}{i['unit']}" for i in found["indicators"]]
    print(printable("\n".join(lines)))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write ``DIR/<name>.yaml`` (a commented starter) and ``DIR/scenario.schema.json``; never overwrite."""
    scenario, schema = api.init(args.folder, args.name, args.prog, args.lang)
    if args.json:
        print_json({"format": "quiet-crisis/init/1", "scenario": str(scenario),
                    "schema": None if schema is None else str(schema)})
        return 0
    if schema is not None:
        say(args, t("wrote {scenario} (and {schema} for editors); run it with: {prog} run {scenario}", args.lang,
                    scenario=scenario, schema=schema.name, prog=args.prog))
    else:
        say(args, t("wrote {scenario}; run it with: {prog} run {scenario}", args.lang, scenario=scenario,
                    prog=args.prog))
    return 0
