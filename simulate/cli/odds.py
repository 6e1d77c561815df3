"""Commands of honest odds: forecast (fertility, mortality and migration sampled from models fitted
on the data up to an origin) and backtest (how often such bands held in the past).

Each parses its options, makes one call to :mod:`simulate.api` and shows what it returns.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulate import api
from simulate.cli.show import Progress, print_json, say
from simulate.cli.uncertainty import ENSEMBLE_LINES, _common, _natural, common, design_record
from simulate.indicators import REGISTRY
from simulate.report.tables import aligned, band_text, describe_impossible
from simulate.text.messages import t
from simulate.text.numbers import plain


def _year(text: str) -> int:
    """An argparse type: a calendar year (four digits)."""
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(t("{text} is not a year", text=text))
    return int(text)


def add_commands(sub, add_out) -> None:
    """Register forecast and backtest."""
    forecast = sub.add_parser("forecast", help=t("probabilistic projection: fertility, mortality and migration "
                                                 "sampled from models fitted on Japan's history"))
    _common(forecast, add_out)
    forecast.add_argument("--n", type=int, default=1000, help=t("number of trajectories (default 1000)"))
    forecast.add_argument("--origin", type=_year, default=None, metavar="YEAR",
                          help=t("fit on data up to YEAR only (default: the scenario's last observed year; "
                                 "{first}-{last}: Japanese nationals)", first=api.FIRST_ORIGIN,
                                 last=api.LAST_NATIONALS_ORIGIN))
    forecast.add_argument("--keep-ages", action="store_true", help=t("also keep single ages per trajectory"))
    forecast.set_defaults(handler=cmd_forecast)

    backtest = sub.add_parser("backtest", help=t("forecasts from past origins scored against what happened"))
    backtest.add_argument("--origins", default=api.DEFAULT_ORIGINS, metavar="FIRST:LAST:STEP",
                          help=t("origin years (default {origins}); or years separated by commas",
                                 origins=api.DEFAULT_ORIGINS))
    backtest.add_argument("--n", type=int, default=api.BACKTEST_N,
                          help=t("trajectories per origin (default {n})", n=api.BACKTEST_N))
    backtest.add_argument("--seed", type=_natural, default=api.DEFAULT_SEED,
                          help=t("random seed, 0 or more (default {seed})", seed=api.DEFAULT_SEED))
    add_out(backtest, argparse.SUPPRESS)
    backtest.set_defaults(handler=cmd_backtest)


def cmd_forecast(args: argparse.Namespace) -> int:
    """N futures of what nobody controls: quantiles, fan charts, target odds."""
    options = common(args)
    del options["origin"]
    found = api.forecast(args.scenario, args.n, args.seed, args.origin, args.keep_ages, **options)
    args.written = True
    scenario, ensemble = found.scenario, found.ensemble
    years = [y for y in scenario.report_years if y in ensemble.years] or [int(ensemble.years[-1])]
    if args.json:
        rows = found.quantiles[found.quantiles["year"].isin(years)]
        print_json(design_record("forecast", found) | {
            "n": args.n, "seed": args.seed, "origin": found.origin, "universe": found.universe,
            "quantiles": rows.to_dict(orient="records"), "targets": found.targets.to_dict(orient="records")})
        return 0
    say(args, t("{n} trajectories of {name} from {origin} ({universe}) in {seconds} s ({backend})", args.lang,
                n=f"{args.n:,}", name=scenario.name, origin=found.origin, universe=t(found.universe, args.lang),
                seconds=f"{ensemble.timings_s['run']:.2f}", backend=found.backend))
    if found.impossible:
        say(args, describe_impossible(found.impossible, args.n))
    by = found.quantiles.set_index(["indicator", "year"])
    for indicator in ENSEMBLE_LINES:
        if not by.loc[(indicator, years[0]), "p50"] == by.loc[(indicator, years[0]), "p50"]:
            continue  # not projected for this universe
        rows = [[str(y), band_text(indicator, by.loc[(indicator, y)], args.lang)] for y in years]
        say(args, aligned([REGISTRY[indicator].label(args.lang), t("median [80 % band]", args.lang)], rows,
                          numbers=range(1, 2)))
    for target, row in zip(scenario.targets, found.targets.itertuples()):
        say(args, "  " + t("the target {target} is met in {percent} % of the trajectories", args.lang,
                           target=target.phrase(args.lang, scenario.base_year), percent=f"{100 * row.probability:.1f}"))
    say(args, t("written to {folder}/", args.lang, folder=found.folder))
    return 0


#: Horizons the backtest command prints.
BACKTEST_HORIZONS = (1, 5, 10, 15, 20)


def cmd_backtest(args: argparse.Namespace) -> int:
    """Rolling-origin back-test: coverage of the 50/80/95 % intervals by horizon."""
    bar = Progress(not args.quiet)
    found = api.backtest(args.origins, args.n, args.seed, out=Path(args.out), figures=args.formats, lang=args.lang,
                         progress=lambda items: bar(items, total=len(items), desc="origins"))
    args.written = True
    if args.json:
        print_json(found.records)
        return 0
    say(args, t("{count} origins ({first}-{last}), {n} trajectories each, Japanese nationals; share of outcomes "
                "inside each interval:", args.lang, count=len(found.origins), first=found.origins[0],
                last=found.origins[-1], n=f"{found.n:,}"))
    scores = found.scores
    for (period, name), rows in scores.groupby(["period", "indicator"], sort=False):
        rows = rows[rows["horizon"].isin(BACKTEST_HORIZONS)]
        if rows.empty:
            continue
        lines = [[str(r.horizon), str(r.cases), *[plain(100 * r[f"coverage_{level}"], 0) + " %"
                                                  for level in (0.5, 0.8, 0.95)], plain(r.bias, 2), plain(r.error, 2),
                  plain(r.central_error, 2)] for _, r in rows.iterrows()]
        say(args, aligned([f"{api.backtest_label(name, args.lang)} ({t(api.PERIODS[period], args.lang)})",
                           t("cases", args.lang), "50 %", "80 %", "95 %", t("bias", args.lang),
                           t("median error", args.lang), t("central path's error", args.lang)], lines,
                          numbers=range(1, 8)))
    say(args, t("errors: % of the outcome (life expectancy: years); written to {folder}/", args.lang,
                folder=found.folder))
    return 0
