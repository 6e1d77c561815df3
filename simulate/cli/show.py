"""What the command line shows: printable text, lines under ``--quiet``, progress bars, JSON."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Iterable

from simulate.text.jsontext import json_text
from simulate.text.messages import t

#: Characters never sent to a terminal as they are: controls (escape sequences can clear the screen or
#: retitle the window) and bidirectional overrides; shown escaped instead.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters shown as escapes (``\\x1b``); newlines and
    tabs kept."""
    return UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


def say(args: argparse.Namespace, text: str) -> None:
    """Print a line for the user (not under --quiet), printable only."""
    if not getattr(args, "quiet", False):
        print(printable(text))


def note(text: str) -> None:
    """A notice the user must see whatever --quiet says (the result is not what was asked for): stderr."""
    print(printable(t("note: {text}", text=text)), file=sys.stderr)


def print_json(value) -> None:
    """``--json`` output on stdout (:func:`simulate.text.jsontext.json_text`)."""
    print(json_text(value), end="")


class Progress:
    """A tqdm bar on stderr when asked for and stderr is a terminal (never in redirected logs), else
    a pass-through: ``progress(iterable, total=..., desc=...)``."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, iterable, total: int | None = None, desc: str = "") -> Iterable:
        if not self.enabled:
            return iterable
        from tqdm import tqdm
        return tqdm(iterable, total=total, desc=desc, unit="job", file=sys.stderr, leave=False)
