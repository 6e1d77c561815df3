"""Errors the command line turns into a message and an exit code, never a traceback."""

from __future__ import annotations


class SimulatorError(Exception):
    """Base class: ``str(error)`` is the complete message; ``exit_code`` is what the CLI returns."""

    exit_code = 2


class InputError(SimulatorError):
    """Bad user input (scenario file, command-line value). Each line of the message is one problem,
    formatted ``FILE:LINE:COL: key.path: message`` where a location is known."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class DataError(SimulatorError):
    """The shipped data pack is missing, altered or malformed."""


class TargetNotMet(SimulatorError):
    """A target or tolerance check failed (e.g. ``reproduce``, an infeasible backcast)."""

    exit_code = 1


class EnvironmentFailure(SimulatorError):
    """The machine, not the input: a folder that cannot be replaced, a cluster that does not answer."""

    exit_code = 1
