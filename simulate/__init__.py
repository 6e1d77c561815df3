"""Quiet Crisis Simulator: Japan's demographic "quiet crisis" and what policy levers can do about it.

Data flow (one direction): YAML -> :mod:`simulate.scenario` -> resolved inputs ->
:mod:`simulate.demography` engine (batched over trajectories) -> result frames ->
:mod:`simulate.report` writers.  :mod:`simulate.cli` is the command line; :mod:`simulate.api` the
Python API (``simulate.run("baseline")``), loaded on first use so that ``import simulate`` stays
light and changes nothing in the environment.
"""

import logging

from simulate.version import __version__

# The library logs through the "simulate" logger and shows nothing unless the application asks
# (the command line does, with --verbose): the convention for libraries.
logging.getLogger("simulate").addHandler(logging.NullHandler())

#: The API, imported from :mod:`simulate.api` on first use.
API = ("load", "with_", "run", "compare", "backcast", "reproduce", "ensemble", "sensitivity", "sweep", "forecast",
       "backtest", "validate", "catalogue", "init", "Execution")
__all__ = ["__version__", *API]


def __getattr__(name: str):
    if name in API:
        from simulate import api

        return getattr(api, name)
    raise AttributeError(f"module 'simulate' has no attribute {name!r}")
