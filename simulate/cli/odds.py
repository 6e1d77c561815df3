"""Commands of honest odds: forecast (fertility, mortality and migration sampled from models fitted
on the data up to an origin) and backtest (how often such bands held in the past).

Each parses its options, makes one call to :mod:`simulate.api` and shows what it returns.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from simulate import api
from simulate.cli.commands import SET_ORIGIN, cmd_backcast as cmd_backcast_one, overrides, parse_range
from simulate.cli.show import Progress, print_json, say
from simulate.cli.uncertainty import ENSEMBLE_LINES, _common, _natural, common, design_record
from simulate.indicators import REGISTRY
from simulate.report.tables import aligned, backend_words, band_text, describe_impossible
from simulate.text.messages import t
from simulate.errors import InputError
from simulate.text.numbers import compact, format_value, plain


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
    forecast.add_argument("--centre", choices=list(api.CENTRES), default=None,
                          help=t("what the futures wander around: 'scenario', its own assumptions (TFR, life "
                                 "expectancy, migration; the default), or 'history', the data alone (the default "
                                 "and only choice from a nationals origin)"))
    forecast.add_argument("--keep-ages", action="store_true", help=t("also keep single ages per trajectory"))
    forecast.set_defaults(handler=cmd_forecast)

    backtest = sub.add_parser("backtest", help=t("forecasts from past origins scored against what happened"))
    backtest.add_argument("--origins", default=api.DEFAULT_ORIGINS, metavar="FIRST:LAST:STEP",
                          help=t("origin years (default {origins}); or years separated by commas",
                                 origins=api.DEFAULT_ORIGINS))
    backtest.add_argument("--universe", choices=list(api.UNIVERSES), default="nationals",
                          help=t("'nationals' (origins {first}-{last}, the default) or 'residents', the all-residents "
                                 "forecast that serves current, on the 2015 census basis (origins {r_first}-{r_last})",
                                 first=api.FIRST_ORIGIN, last=api.LAST_NATIONALS_ORIGIN - 1,
                                 r_first=api.RESIDENTS_ORIGINS[0], r_last=api.RESIDENTS_ORIGINS[-1]))
    backtest.add_argument("--centre", choices=list(api.CENTRES), default=None,
                          help=t("with --universe residents: what the forecasts wander around, 'history' (the "
                                 "default) or 'scenario' (the baseline's own assumptions, IPSS 2017 medium)"))
    backtest.add_argument("--horizons", default=api.DEFAULT_HORIZONS, metavar="FIRST:LAST",
                          help=t("years ahead scored (default {horizons}); or whole numbers separated by commas",
                                 horizons=api.DEFAULT_HORIZONS))
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
    found = api.forecast(args.scenario, args.n, args.seed, args.origin, args.keep_ages, centre=args.centre, **options)
    args.written = True
    scenario, ensemble = found.scenario, found.ensemble
    years = [y for y in scenario.report_years if y in ensemble.years] or [int(ensemble.years[-1])]
    if args.json:
        rows = found.quantiles[found.quantiles["year"].isin(years)]
        print_json(design_record("forecast", found) | {
            "n": args.n, "seed": args.seed, "origin": found.origin, "universe": found.universe, "centre": found.centre,
            "centre_words": t(api.CENTRES[found.centre], args.lang),
            "quantiles": rows.to_dict(orient="records"), "targets": found.targets.to_dict(orient="records"),
            "official": found.official.drop(columns="label").to_dict(orient="records")})
        return 0
    say(args, t("{n} trajectories of {name} from {origin} ({universe}), {centre}, in {seconds} s ({backend})",
                args.lang, n=f"{args.n:,}", name=scenario.name, origin=found.origin,
                universe=t(found.universe, args.lang), centre=t(api.CENTRES[found.centre], args.lang),
                seconds=f"{ensemble.timings_s['run']:.2f}", backend=backend_words(found.backend, args.lang)))
    say(args, "  " + fitted_models(found.inputs, args.lang))
    if found.impossible:
        say(args, describe_impossible(found.impossible, args.n))
    by = found.quantiles.set_index(["indicator", "year"])
    for indicator in ENSEMBLE_LINES:
        if math.isnan(by.loc[(indicator, years[0]), "p50"]):
            continue  # not projected for this universe (no economy)
        rows = [[str(y), band_text(indicator, by.loc[(indicator, y)], args.lang)] for y in years]
        say(args, aligned([REGISTRY[indicator].label(args.lang), t("median [80 % band]", args.lang)], rows,
                          numbers=range(1, 2)))
    for sentence in found.official_words(args.lang):
        say(args, "  " + sentence)
    for target, row in zip(scenario.targets, found.targets.itertuples()):
        say(args, "  " + t("the target {target} is met in {percent} % of the trajectories", args.lang,
                           target=target.phrase(args.lang, scenario.base_year), percent=f"{100 * row.probability:.1f}"))
    say(args, t("written to {folder}/", args.lang, folder=found.folder))
    return 0


def fitted_models(inputs, lang: str) -> str:
    """What the forecast learned, in a line: the TFR's years, slope and long-run level, mortality's
    years and the shock years left out, migration's spread."""
    tfr, kappa = inputs.tfr, inputs.kappa
    pull = t(", pulled {pull} % a year toward {level}, its mean", lang, pull=plain(100 * tfr.reversion, 0),
             level=plain(tfr.level, 2))
    shocks = "" if not kappa.left_out else t(" (shock years left out: {years})", lang,
                                              years=t(", ", lang).join(map(str, kappa.left_out)))
    return t("fitted: TFR on {tfr_first}-{tfr_last} (recent change {slope} % a year, fading {fade} % a year{pull}), "
             "mortality on {mort_first}-{mort_last}{shocks}, net migration spread {sd} a year", lang,
             tfr_first=tfr.years[0], tfr_last=tfr.years[1], slope=plain(100 * tfr.slope, 2),
             fade=plain(100 * (1 - tfr.damping), 0), pull=pull, mort_first=kappa.years[0], mort_last=kappa.years[1],
             shocks=shocks, sd=format_value("net_migration", inputs.migration.sd, lang))


def cmd_backtest(args: argparse.Namespace) -> int:
    """Rolling-origin back-test: coverage of the 50/80/95 % intervals by horizon."""
    bar = Progress(not args.quiet)
    found = api.backtest(args.origins, args.n, args.seed, out=Path(args.out), figures=args.formats, lang=args.lang,
                         progress=lambda items: bar(items, total=len(items), desc="origins"), horizons=args.horizons,
                         universe=args.universe, centre=args.centre)
    args.written = True
    if args.json:
        print_json(found.records)
        return 0
    say(args, t("{count} origins ({first}-{last}), {n} trajectories each, {universe}, {centre}; share of outcomes "
                "inside each interval:", args.lang, count=len(found.origins), first=found.origins[0],
                last=found.origins[-1], n=f"{found.n:,}", universe=t(found.universe, args.lang),
                centre=t(api.CENTRES[found.centre], args.lang)))
    scores = found.scores
    for (period, name), rows in scores.groupby(["period", "indicator"], sort=False):
        rows = rows[rows["horizon"].isin(api.SHOWN_HORIZONS)]
        if rows.empty:
            continue
        lines = [[str(r.horizon), str(r.cases), *[plain(100 * r[f"coverage_{level}"], 0) + " %"
                                                  for level in (0.5, 0.8, 0.95)], plain(r.bias, 2), plain(r.error, 2),
                  plain(r.central_error, 2)] for _, r in rows.iterrows()]
        say(args, t("{indicator} ({period})", args.lang, indicator=api.backtest_label(name, args.lang),
                    period=t(api.PERIODS[period], args.lang)))
        say(args, aligned([t("years ahead", args.lang),
                           t("cases", args.lang), "50 %", "80 %", "95 %", t("bias", args.lang),
                           t("median error", args.lang), t("central path's error", args.lang)], lines,
                          numbers=range(1, 8)))
    say(args, t("errors: % of the outcome (life expectancy: years); written to {folder}/", args.lang,
                folder=found.folder))
    return 0


def _odds(text: str) -> float:
    """An argparse type: a share strictly between 0 and 1."""
    value = float(text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(t("{text} is not between 0 and 1 (0.8: in at least 80 % of futures)",
                                           text=text))
    return value


def add_backcast_options(parser: argparse.ArgumentParser) -> None:
    """The options of a backcast with odds (its futures are a forecast's)."""
    parser.add_argument("--odds", type=_odds, default=None, metavar="P",
                        help=t("meet the target in at least this share of the forecast's futures (e.g. 0.8)"))
    parser.add_argument("--n", type=int, default=1000, help=t("futures counted with --odds (default 1000)"))
    parser.add_argument("--seed", type=_natural, default=api.DEFAULT_SEED,
                        help=t("random seed of the futures, 0 or more (default {seed})", seed=api.DEFAULT_SEED))


def cmd_backcast(args: argparse.Namespace) -> int:
    """One lever (with --odds: in that share of futures) or the frontier of two."""
    if len(args.lever) > 2:
        raise InputError(t("--lever: give one lever, or two for a frontier"))
    if len(args.range) > len(args.lever):
        raise InputError(t("--range: give at most one per --lever"))
    ranges = [parse_range(text) for text in args.range] + [None] * (2 - len(args.range))
    if len(args.lever) == 2:
        return _frontier(args, ranges)
    if args.odds is None:
        return cmd_backcast_one(args)
    found = api.backcast_odds(args.scenario, args.lever[0], args.odds, args.target, ranges[0], args.n, args.seed,
                              out=Path(args.out), overrides=overrides(args), origin=SET_ORIGIN)
    args.written = True
    solution = found.solution
    if args.json:
        print_json({"format": "quiet-crisis/backcast-odds/1"} | found.record | {"folder": str(found.folder)})
        return 0
    words = api.LEVERS[solution.lever].in_words(solution.value, args.lang)
    phrases = t(", ", args.lang).join(x.phrase(args.lang, found.scenario.base_year) for x in found.targets)
    say(args, t("{targets}: met in {share} % of {n} futures with {lever}", args.lang, targets=phrases,
                share=plain(100 * solution.achieved, 1), n=f"{solution.n:,}", lever=words))
    say(args, "  " + t("({runs} forecasts; bracket {low} to {high} {unit})", args.lang, runs=solution.evaluations,
                       low=compact(solution.bracket[0]), high=compact(solution.bracket[1]),
                       unit=t(solution.unit, args.lang)))
    say(args, t("written to {folder}/ (forecast scenario.yaml to see its futures)", args.lang, folder=found.folder))
    return 0


def _frontier(args: argparse.Namespace, ranges: list) -> int:
    first, second = args.lever
    bar = Progress(not args.quiet)
    found = api.frontier(args.scenario, first, second, args.target, args.odds, ranges[0], ranges[1], args.n,
                         args.seed, out=Path(args.out), figures=args.formats, lang=args.lang,
                         overrides=overrides(args), origin=SET_ORIGIN,
                         progress=lambda items: bar(items, total=len(items), desc=first))
    args.written = True
    if args.json:
        print_json({"format": "quiet-crisis/frontier/1", "levers": [first, second], "odds": args.odds,
                    "points": found.table.to_dict(orient="records"), "folder": str(found.folder)})
        return 0
    levers = api.LEVERS
    status = {"met": "", "out_of_reach": t("out of reach", args.lang), "not_binding": t("not binding", args.lang)}
    rows = [[compact(row[first]), compact(row[second]) if row["status"] == "met" else status[row["status"]]]
            for _, row in found.table.iterrows()]
    say(args, aligned([levers[first].name_in(args.lang), levers[second].name_in(args.lang)], rows, numbers=range(2)))
    say(args, t("written to {folder}/", args.lang, folder=found.folder))
    return 0
