"""Reading one YAML scenario file safely, remembering where every key was written.

The data come from ``yaml.safe_load``; positions come from ``yaml.compose`` with the safe loader
(which builds no objects).  Duplicate keys, which YAML would silently collapse, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulate.errors import InputError

KeyPath = tuple[Any, ...]
#: (line, column), both 1-based.
Mark = tuple[int, int]


@dataclass
class SourceFile:
    """A parsed scenario file: its mapping and the position of every key path in it."""

    path: Path
    data: dict[str, Any]
    marks: dict[KeyPath, Mark] = field(default_factory=dict)
    raw: bytes = b""

    def where(self, key_path: KeyPath) -> Mark:
        """Position of the longest written prefix of ``key_path`` (1, 1 if none)."""
        for end in range(len(key_path), 0, -1):
            if key_path[:end] in self.marks:
                return self.marks[key_path[:end]]
        return (1, 1)


def problem(path: Path | str, mark: Mark, key_path: KeyPath, message: str) -> str:
    """One error line: ``FILE:LINE:COL: key.path: message`` (key part omitted when empty)."""
    key = ".".join(str(k) for k in key_path)
    return f"{path}:{mark[0]}:{mark[1]}: " + (f"{key}: " if key else "") + message


def _yaml_problem(path: Path, error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    text = " ".join(str(getattr(error, "problem", None) or error).split())
    return problem(path, where, (), f"not valid YAML: {text}")


_KEYS = yaml.SafeLoader("")


def _collect_marks(node: yaml.Node, prefix: KeyPath, path: Path, marks: dict, problems: list) -> None:
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            marks[prefix + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, prefix + (i,), path, marks, problems)
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[Any, Mark] = {}
    for key_node, value_node in node.value:
        mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(problem(path, mark, prefix, "keys must be plain names or years"))
            continue
        key = _KEYS.construct_object(key_node)
        if isinstance(key, (list, dict)) or key.__class__.__hash__ is None:
            problems.append(problem(path, mark, prefix, "keys must be plain names or years"))
            continue
        if key in seen:
            problems.append(problem(path, mark, prefix + (key,),
                                    f"duplicate key (first written on line {seen[key][0]})"))
        seen[key] = mark
        marks[prefix + (key,)] = mark
        _collect_marks(value_node, prefix + (key,), path, marks, problems)


def read_source(path: Path) -> SourceFile:
    """Read and parse one scenario file; raise :class:`InputError` with located problems."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}:1:1: not a text file (invalid UTF-8 at byte {error.start})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(_yaml_problem(path, error)) from None
    if node is None or data is None:
        raise InputError(f"{path}:1:1: empty file: a scenario is a mapping such as 'extends: baseline'")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise InputError(f"{path}:1:1: a scenario must be a mapping of keys to values, not {kind}")
    marks: dict[KeyPath, Mark] = {}
    problems: list[str] = []
    _collect_marks(node, (), path, marks, problems)
    bad_keys = [k for k in data if not isinstance(k, str)]
    problems += [problem(path, marks.get((k,), (1, 1)), (), f"top-level key {k!r} is not a name")
                 for k in bad_keys]
    if problems:
        raise InputError(problems)
    return SourceFile(path=path, data=data, marks=marks, raw=raw)
