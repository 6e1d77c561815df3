"""Folder names for answers: every question keeps its own folder.

A backcast, sweep, ensemble or sensitivity run writes ``<scenario>_<kind>_<question>``, the
question as a readable slug (``baseline_backcast_seniors_uplift_labour_force-2040-ge-6e07``);
re-asking the same question replaces that folder, a different question never does.  Names longer
than a scenario name may be (64 characters) are cut and end in a short hash of the whole name, so
two questions never share a folder after shortening.
"""

from __future__ import annotations

import hashlib
import re

#: Longest folder name (the scenario language's limit for ``name``).
NAME_LIMIT = 64
#: Operators and signs spelled out in slugs.
WORDS = {">=": "-ge-", "<=": "-le-", "@": "-", "=": "-", "+": "", ",": "-", ":": "-"}


def slug(question: str) -> str:
    """``question`` in lower-case letters, digits, ``_`` and ``-`` (``.`` becomes ``p``)."""
    text = question.lower()
    for sign, word in WORDS.items():
        text = text.replace(sign, word)
    text = re.sub(r"(?<=\d)\.(?=\d)", "p", text)
    return re.sub(r"[^a-z0-9_]+", "-", text).strip("-_")


def answer_name(scenario: str, kind: str, question: str) -> str:
    """``<scenario>_<kind>_<slug>``, cut to :data:`NAME_LIMIT` with an 8-character hash if longer."""
    return short_name(f"{scenario}_{kind}_{slug(question)}".rstrip("_"))


def short_name(name: str) -> str:
    """``name`` if it fits :data:`NAME_LIMIT`, else cut and ended with an 8-character hash of all of it."""
    if len(name) <= NAME_LIMIT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    head = name[:NAME_LIMIT - 9]
    cut = max(head.rfind("_"), head.rfind("-"))
    if cut >= NAME_LIMIT // 2:  # end at a word boundary rather than mid-word
        head = head[:cut]
    return f"{head.rstrip('_-')}_{digest}"
