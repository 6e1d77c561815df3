"""Names people give (scenarios, uncertain parameters, comparisons): one rule, in words.

A name becomes a folder, a file, a CSV column header and a zarr array, so it is kept to characters
that are safe in all of them, and may not start with a character that a spreadsheet reads as a
formula (``=``, ``+``, ``-``, ``@``) or that a command line reads as an option (``-``).
"""

from __future__ import annotations

import re

#: What a name may be (also the JSON Schema's pattern).
NAME_PATTERN = r"^[a-z0-9_][a-z0-9_-]{0,63}$"
#: The same rule in words, for error messages.
NAME_RULE = "1 to 64 characters: lower-case letters a-z, digits 0-9, '_' and '-', not starting with '-'"
#: Names the program uses for its own folders, so no scenario may take them.
RESERVED = {"comparison": "the folder of comparisons"}


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be used (one phrase), or None."""
    if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
        shown = repr(name)[:70]
        return f"{shown} is not a name: use {NAME_RULE}"
    if name in RESERVED:
        return f"{name!r} is reserved for {RESERVED[name]}: choose another name"
    return None
