"""argparse in the language of the run: the words argparse itself prints (usage, section titles,
``-h``, its error messages) come from the message catalogue, like every help text of ours.

argparse looks its own words up with the process-wide :func:`gettext.gettext`; rather than install
a global translation, :class:`Parser` passes them in (``prefix``, titles, ``-h``'s help) and says
its errors through :data:`ERRORS`, so the language is the run's (:func:`simulate.text.messages.use`).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from simulate.text.lines import wrap
from simulate.text.messages import N_, t

#: argparse's error messages (Python 3.10-3.13), as patterns with named parts, and how we say them.
ERRORS: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), message) for pattern, message in [
    (r"^the following arguments are required: (?P<names>.+)$", N_("the following arguments are required: {names}")),
    (r"^unrecognized arguments: (?P<names>.+)$", N_("unrecognized arguments: {names}")),
    (r"^argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$",
     N_("argument {name}: invalid choice: {value} (choose from {choices})")),
    (r"^argument (?P<name>\S+): expected one argument$", N_("argument {name}: expected one value")),
    (r"^argument (?P<name>\S+): expected at least one argument$", N_("argument {name}: expected at least one value")),
    (r"^argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.+)$",
     N_("argument {name}: not a valid {type} value: {value}")),
    (r"^argument (?P<name>\S+): (?P<problem>.+)$", N_("argument {name}: {problem}")),
    (r"^ambiguous option: (?P<option>\S+) could match (?P<matches>.+)$",
     N_("ambiguous option: {option} could match {matches}")),
]]


def say_error(message: str) -> str:
    """One of argparse's error messages in the language in use (unchanged if it is not known)."""
    for pattern, said in ERRORS:
        found = pattern.match(message)
        if found:
            return t(said, **found.groupdict())
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the usage prefix from the catalogue, and help lines broken by
    display width as people break them (Japanese between characters: :func:`simulate.text.lines.wrap`)."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, t("usage: ") if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), max(width, 10)).split("\n")

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose own words are the catalogue's; its sub-parsers too."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - passed on to argparse
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = t("positional arguments")
        self._optionals.title = t("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=t("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        """The usage line and one line saying what is wrong, in the language in use; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, t("{prog}: error: {message}", prog=self.prog, message=say_error(message)) + "\n")
