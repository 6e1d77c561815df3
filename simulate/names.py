"""Names: the names people give (scenarios, uncertain parameters, comparisons), one rule in words,
and the folder names of answers.

A name becomes a folder, a file, a CSV column header and a zarr array, so it is kept to characters
that are safe in all of them, and may not start with a character that a spreadsheet reads as a
formula (``=``, ``+``, ``-``, ``@``) or that a command line reads as an option (``-``).

Answers keep their own folders: a backcast, sweep, ensemble or sensitivity run writes
``<scenario>_<kind>_<question>``, the question as a readable slug
(``baseline_backcast_seniors_uplift_labour_force-2040-ge-6e07``); re-asking the same question
replaces that folder, a different question never does.  Names longer than 64 characters are cut and
end in a short hash of the whole name, so two questions never share a folder after shortening.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

import yaml

from simulate.text.messages import N_, t

#: What a name may be (also the JSON Schema's pattern).
NAME_PATTERN = r"^[a-z0-9_][a-z0-9_-]{0,63}$"
#: The same rule in words, for error messages.
NAME_RULE = N_("1 to 64 characters: lower-case letters a-z, digits 0-9, '_' and '-', not starting with '-'")
#: Names the program uses for its own folders, so no scenario may take them.
RESERVED = {"comparison": N_("the folder of comparisons")}


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be used (one phrase), or None."""
    if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
        shown = repr(name)[:70]
        return t("{name} is not a name: use {rule}", name=shown, rule=t(NAME_RULE))
    if name in RESERVED:
        return t("{name} is reserved for {use}: choose another name", name=repr(name), use=t(RESERVED[name]))
    return None


#: Longest folder name (the scenario language's limit for ``name``).
NAME_LIMIT = 64
#: Operators and signs spelled out in slugs.
WORDS = {">=": "-ge-", "<=": "-le-", "@": "-", "=": "-", "+": "", ",": "-", ":": "-"}


def _plain_number(match: re.Match) -> str:
    """A number written in scientific notation, written out (``1.5e-3`` -> ``0.0015``)."""
    text = f"{float(match[0]):.12f}".rstrip("0").rstrip(".")
    return text if len(text) <= 40 else match[0].replace("e", "x10^")


def slug(question: str) -> str:
    """``question`` in lower-case letters, digits, ``_`` and ``-`` (``.`` becomes ``p``)."""
    text = re.sub(r"\d+(\.\d+)?e[-+]?\d+", _plain_number, question.lower())  # 65e6 -> 65000000, never '65e6'
    for sign, word in WORDS.items():
        text = text.replace(sign, word)
    text = re.sub(r"(?<=\d)\.(?=\d)", "p", text)
    return re.sub(r"[^a-z0-9_]+", "-", text).strip("-_")


def run_asked(name: str, overrides: Mapping[str, object] | None = None) -> str:
    """The question a run's folder answers (recorded in its marker): ``run <name>`` and its overrides."""
    return f"run {name}" + (f": {settings_text(overrides)}" if overrides else "")


def answer_asked(scenario: str, kind: str, question: str) -> str:
    """The question an answer's folder (:func:`answer_name`) answers, in full (before shortening)."""
    return f"{kind} {scenario}: {question}"


def rerun_name(folder: str) -> str:
    """The name inside a scenario file written into the answer folder ``folder``: its own, so that
    running the file writes a folder of its own (``<folder>_rerun``, shortened) and replaces nothing else."""
    return short_name(f"{folder}_rerun")


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


def settings_text(settings: Mapping[str, object]) -> str:
    """Overrides as people write them, sorted by key: ``fertility.tfr=+0.2, migration.net=300000``."""
    def shown(value: object) -> str:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (dict, list)):  # as YAML writes it in flow style: {2040: 1.6}
            return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
        return json.dumps(value, default=str)
    return ", ".join(f"{key}={shown(value)}" for key, value in sorted(settings.items()))


#: Hex characters of the hash that ends a what-if's name (40 bits: two different settings share a
#: name about once in a million million pairs, and a folder that recorded other settings is never
#: replaced, see :func:`simulate.report.publishing.check_replaceable`).
WHAT_IF_HASH = 10


def what_if_name(scenario: str, settings: Mapping[str, object]) -> str:
    """The name of ``scenario`` run with overrides: readable (the settings' last keys and values) and
    unique (:data:`WHAT_IF_HASH` characters of a hash of all of them), e.g.
    ``current-net-300000-4b1f0c2a9e``; at most :data:`NAME_LIMIT` characters."""
    digest = hashlib.sha256(settings_text(settings).encode("utf-8")).hexdigest()[:WHAT_IF_HASH]
    readable = slug(" ".join(f"{key.rsplit('.', 1)[-1]}={value}" for key, value in sorted(settings.items())))
    head = f"{scenario}-{readable}"[:NAME_LIMIT - len(digest) - 1].rstrip("-_")
    return f"{head}-{digest}"
