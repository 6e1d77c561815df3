"""Errors the command line turns into a message and an exit code, never a traceback."""

from __future__ import annotations

import re
from typing import NamedTuple


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


class NotBinding(TargetNotMet):
    """A backcast whose targets are met over the whole range of its lever: the lever does not decide them."""


class EnvironmentFailure(SimulatorError):
    """The machine, not the input: a folder that cannot be replaced, a cluster that does not answer."""

    exit_code = 1


class Range(NamedTuple):
    """An inclusive range of allowed values; ``None`` leaves an end open."""

    low: float | None
    high: float | None


class ParameterError(InputError):
    """A value given to the library that it cannot use, said in the library's own terms: the
    parameter's name, the value and what is allowed (``n = 100: the Sobol design needs a power of
    two (e.g. 128)``).  ``problem`` may name other parameters as ``{name}``; :meth:`render` says it
    with other names for them (the command line's flags: ``--n 100: ...``).

    ``allowed`` says what the parameter accepts, as data a program can use (a web form, say), where
    it is simple enough: ``Range(low, high)`` (inclusive; ``None`` for an open end), a tuple of
    choices, or a short rule such as ``"a power of two"``; None when only the message can say it."""

    def __init__(self, parameter: str, value: object, problem: str, *, allowed: object = None,
                 exit_code: int = 2):
        self.parameter, self.value, self.problem, self.allowed = parameter, value, problem, allowed
        self.exit_code = exit_code
        super().__init__(self.render({}))

    def render(self, names: dict[str, str], joiner: str = " = ") -> str:
        """The message with each parameter called ``names[parameter]`` (default: its own name)."""
        def name(key: str) -> str:
            return names.get(key, key)
        head = name(self.parameter) + (joiner if self.parameter not in names else " ")
        shown = "" if self.value is None else f"{self.value}"
        if not shown.isprintable():  # a value with a line break or a control character is shown escaped
            shown = ascii(shown)[1:-1]
        # only {parameter} placeholders are replaced: braces in a value quoted in the problem stay as typed
        return (head + shown).rstrip(" =") + ": " + PLACEHOLDER.sub(lambda found: name(found[1]), self.problem)


#: A parameter named in a problem: ``{n}``.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
