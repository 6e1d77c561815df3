"""What each kind of result folder holds: one list, read by the README and ``results/README.md``
(``scripts/readme_figures.py``) and checked against the folders the commands write (tests)."""

from __future__ import annotations

#: Written in every result folder: the program's signed marker (see :mod:`simulate.report.publishing`).
MARKER_FILE = ".quiet-crisis"

#: kind of folder -> {file or folder/: what it holds}.  ``(optional)`` marks files written only on
#: request (the option is named).
FOLDER_FILES: dict[str, dict[str, str]] = {
    "run": {
        "population.csv": "persons on 1 October by year, sex and single age (100 = 100+)",
        "indicators.csv": "every indicator by year (persons, %, years, USD, hours; see the README)",
        "labour.csv": "population, participation, labour force, unemployment, employment and hours by "
                      "year, sex and labour age group",
        "headline.csv": "the headline indicators in the report years as people read them (thousand persons; 万人 "
                        "under `--lang ja`; registry precision), labelled in the report language",
        "iamc.csv": "the indicators in IAMC wide format, for pyam",
        "flows.csv": "(optional, `--flows`) deaths and net migrants by year, sex and age",
        "run.json": "the scenario, its sources, versions, data checksums, timings, target status and its "
                    "one-line summary in English and Japanese",
        "report.html": "the self-contained report",
        "figures/": "SVG (and PNG with `--formats svg,png`) figures",
        MARKER_FILE: "the program's marker: this folder may be replaced by a later run",
    },
    "comparison": {
        "indicators.csv": "every scenario's indicators, long: scenario, year, indicator, value",
        "iamc.csv": "every scenario's IAMC rows in one file",
        "outcomes.csv": "key indicators in 2030, 2035 and 2040 with definition, unit and label, as people read them",
        "run.json": "the scenarios compared, the versions and the one-line summary",
        "report.html": "the comparison report",
        "figures/": "lines and dots by scenario",
        MARKER_FILE: "the program's marker",
    },
    "backcast": {
        "backcast.json": "the question, the lever value found, the bracket and the runs it took",
        "scenario.yaml": "a standalone scenario that reproduces the solved run",
    },
    "ensemble": {
        "quantiles.csv": "2.5/10/50/90/97.5 % quantiles of every indicator by year",
        "samples.csv": "the sampled parameters of every trajectory, and whether its world is possible",
        "targets.csv": "the share of trajectories meeting each target",
        "ensemble.json": "the question, seed, counts, timings, peak memory and the one-line summary",
        "report.html": "what it found (median and 80 % band in 2040, target odds), the parameters, fan charts",
        "trajectories.zarr/": "every trajectory's indicators (labelled zarr store; xarray opens it)",
        "figures/": "fan charts",
        MARKER_FILE: "the program's marker",
    },
    "forecast": {
        "quantiles.csv": "2.5/10/50/90/97.5 % quantiles of every indicator by year (economic ones empty for "
                         "Japanese nationals from a past origin)",
        "samples.csv": "each trajectory's drawn model parameters (TFR slope and spread, mortality drift) and "
                       "whether its world is possible",
        "targets.csv": "the share of trajectories meeting each target",
        "forecast.json": "the question, origin, universe, the fitted models, seed, counts, timings and the "
                         "one-line summary",
        "report.html": "what it found (median and 80 % band in 2040, target odds), fan charts",
        "trajectories.zarr/": "every trajectory's indicators (labelled zarr store; xarray opens it)",
        "figures/": "fan charts",
        MARKER_FILE: "the program's marker",
    },
    "backtest": {
        "scores.csv": "coverage of the 50/80/95 % intervals, bias, errors and interval score by indicator and "
                      "horizon, for the guide (outcomes to 2015) and test (from 2016) outcomes",
        "cases.csv": "every origin, indicator and horizon: the forecast's median and intervals, the central path "
                     "and what was observed",
        "backtest.json": "the origins, trajectories, seed and the scores as records",
        "report.html": "the coverage in words, the table and the coverage figure",
        "figures/": "coverage of the 80 % interval by horizon",
        MARKER_FILE: "the program's marker",
    },
    "backcast with odds": {
        "backcast.json": "the question, the lever value found, the share of futures meeting the target there, the "
                         "bracket and the first grid's shares",
        "shares.csv": "the share of futures meeting the target at each value of the first grid",
        "scenario.yaml": "the scenario with the lever set (forecast it to see its futures)",
        MARKER_FILE: "the program's marker",
    },
    "frontier": {
        "frontier.csv": "values of the first lever and the value of the second that just meets the target "
                        "(status: met, out_of_reach, not_binding)",
        "frontier.json": "the question and the points",
        "figures/": "the frontier",
        MARKER_FILE: "the program's marker",
    },
    "sweep": {
        "sweep.csv": "the grid values, the indicators in the report years and the metric",
        "sweep.json": "the question, the counts and the one-line summary",
        "report.html": "the metric's range and best grid point, the ten best points, the heatmap",
        "trajectories.zarr/": "every point's indicators",
        "figures/": "the heatmap (a sweep of two levers)",
        MARKER_FILE: "the program's marker",
    },
    "sensitivity": {
        "sensitivity.csv": "Sobol or Morris indices per indicator, year and parameter",
        "samples.csv": "the design",
        "sensitivity.json": "the question, the counts and the one-line summary",
        "report.html": "the most influential parameter of each indicator, the indices, tornado charts",
        "trajectories.zarr/": "every run's indicators",
        "figures/": "tornado charts",
        MARKER_FILE: "the program's marker",
    },
    "output folder": {
        "index.html": "every result in the folder, linked, with its one-line summary (rewritten by every command "
                      "that writes; an index.html this program did not write is left alone)",
    },
    "reproduce": {
        "seed_figures.csv": "the White Paper's figures next to the model's",
        "reality_check.csv": "the 2017-based projection against what was observed, by indicator and year",
        "reality_check.txt": "one sentence per indicator",
        "report.html": "the seed table and the reality check",
        "figures/": "the reality check figure",
        MARKER_FILE: "the program's marker",
    },
}
