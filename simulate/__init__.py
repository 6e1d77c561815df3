"""Quiet Crisis Simulator: Japan's demographic "quiet crisis" and what policy levers can do about it.

Data flow (one direction): YAML -> :mod:`simulate.scenario` -> resolved inputs ->
:mod:`simulate.demography` engine (batched over trajectories) -> result frames ->
:mod:`simulate.report` writers.  :mod:`simulate.cli` is the command line.
"""

import os

# The engine runs trajectory chunks on parallel threads; multi-threaded BLAS inside each chunk's
# small matrix products would oversubscribe the cores.  Respect an explicit user setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
