"""Quiet Crisis Simulator: Japan's demographic "quiet crisis" and what policy levers can do about it.

Data flow (one direction): YAML -> :mod:`simulate.scenario` -> resolved inputs ->
:mod:`simulate.demography` engine (batched over trajectories) -> result frames ->
:mod:`simulate.report` writers.  :mod:`simulate.cli` is the command line.
"""

__version__ = "0.1.0"
