"""The Python API: the program itself; the command line and notebooks are its clients.

    import simulate
    r = simulate.run("baseline", **{"fertility.tfr": "+0.2"})
    r.indicators.set_index("year").at[2040, "population_total"]

A scenario is a path to a YAML file, the name of a shipped scenario (``"baseline"``,
``"current"``, see :func:`simulate.scenario.shipped.shipped_names`), a mapping written like a
scenario file (validated directly, never written to a file), or an already loaded scenario.
Overrides are dotted keys with the YAML value syntax (``"+0.2"``, ``"x1.1"``, ``{2040: 1.6}``,
``"200000"``) and get the same located messages as files (``override: fertility.tfr: ...``).

Every question returns a result object holding the tables the command line writes; its
``write(folder)`` writes the same files (for ensembles, sensitivity and sweeps, pass ``out=`` and
the runs stream straight into the result folder).  Errors are :class:`~simulate.errors.InputError`
(bad input; :class:`~simulate.errors.ParameterError` names the parameter, its value and what is
allowed), :class:`~simulate.errors.TargetNotMet`, :class:`~simulate.feasibility.ImpossibleWorld` or
:class:`~simulate.errors.EnvironmentFailure`: each says everything in its message, in one line.

- scenarios: :func:`load`, :func:`with_`, :func:`run`, :func:`compare` (several, or every shipped one);
- questions: :func:`backcast`, :func:`reproduce`;
- designs: :func:`ensemble`, :func:`sensitivity`, :func:`sweep` (how they run: :class:`Execution`);
- honest odds: :func:`forecast` (models fitted on the data up to an origin), :func:`backtest`;
- around them: :func:`validate`, :func:`schema_text`, :func:`catalogue`, :func:`init`;
- :func:`use_language` (``"ja"``): the library's errors and notices in Japanese from then on.
"""

from simulate.api.catalogue import catalogue, init, schema_text, validate
from simulate.api.designs import (DEFAULT_CHUNK, DEFAULT_MEMORY_GB, DEFAULT_SEED, SENSITIVITY_METHODS, EnsembleResult,
                                  Execution, SensitivityResult, SweepResult, ensemble, sensitivity, sweep)
from simulate.api.odds import (BACKTEST_N, CENTRES, DEFAULT_HORIZONS, DEFAULT_ORIGINS, RESIDENTS_ORIGINS, UNIVERSES, FIRST_ORIGIN, LAST_NATIONALS_ORIGIN, PERIODS, SHOWN_HORIZONS,
                               BacktestResult, ForecastResult, Frontier, OddsBackcast, backtest, backcast_odds,
                               backtest_label, forecast, frontier)
from simulate.api.questions import Backcast, Reproduction, backcast, reproduce
from simulate.api.scenarios import (Comparison, Result, ScenarioLike, compare, load, load_all, load_with, run,
                                    scenarios_folder, with_)
from simulate.plots.render import stop_prestarted as stop_figure_workers
from simulate.report.index import write_index
from simulate.scenario.levers import LEVERS
from simulate.scenario.shipped import shipped_names
from simulate.text.messages import use as use_language

__all__ = ["BACKTEST_N", "CENTRES", "DEFAULT_HORIZONS", "DEFAULT_ORIGINS", "RESIDENTS_ORIGINS", "UNIVERSES", "FIRST_ORIGIN", "LAST_NATIONALS_ORIGIN", "PERIODS", "SHOWN_HORIZONS",
           "BacktestResult",
           "ForecastResult", "Frontier", "OddsBackcast", "backcast_odds", "backtest", "backtest_label", "forecast",
           "frontier", "write_index", "Backcast", "Comparison", "DEFAULT_CHUNK", "DEFAULT_MEMORY_GB", "DEFAULT_SEED", "EnsembleResult",
           "Execution", "LEVERS", "Reproduction", "Result", "ScenarioLike", "SENSITIVITY_METHODS", "SensitivityResult", "SweepResult",
           "backcast", "catalogue", "compare", "ensemble", "init", "load", "load_all", "load_with", "reproduce", "run",
           "scenarios_folder", "schema_text", "shipped_names", "sensitivity", "stop_figure_workers", "sweep", "use_language", "validate",
           "with_"]
