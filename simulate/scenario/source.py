"""Reading one YAML scenario file safely, remembering where every key was written.

Positions come from ``yaml.compose`` with the safe loader (which builds no objects); the data are
then built from those checked nodes by the safe constructor (what ``yaml.safe_load`` does).  Duplicate keys, which YAML would silently collapse, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulate.errors import InputError
from simulate.text.messages import N_, t

KeyPath = tuple[Any, ...]
#: (line, column), both 1-based.
Mark = tuple[int, int]
#: Limits that keep a hostile file from exhausting memory or the stack before its error: bytes of
#: a file, nodes after expanding every YAML alias, and nesting depth.
MAX_BYTES, MAX_NODES, MAX_DEPTH = 1_000_000, 100_000, 40


@dataclass
class SourceFile:
    """A parsed scenario file: its mapping and the position of every key path in it."""

    path: Path
    data: dict[str, Any]
    marks: dict[KeyPath, Mark] = field(default_factory=dict)
    raw: bytes = b""
    #: Located problems found while reading (YAML syntax in some top-level blocks, duplicate keys),
    #: reported together with those the rest of the file has (:func:`read_source`).
    problems: list[str] = field(default_factory=list)

    def where(self, key_path: KeyPath) -> Mark:
        """Position of the longest written prefix of ``key_path`` (1, 1 if none)."""
        for end in range(len(key_path), 0, -1):
            if key_path[:end] in self.marks:
                return self.marks[key_path[:end]]
        return (1, 1)


#: Encodings Japanese editors save in, tried (in order) to name what a non-UTF-8 file is.
JAPANESE_ENCODINGS = (("cp932", N_("Shift-JIS (cp932, Windows Japanese)")), ("euc_jp", "EUC-JP"))
SAVE_AS_UTF8 = N_("save it as UTF-8 (Notepad: Save As, Encoding UTF-8; VS Code: Reopen then Save with Encoding, "
                  "UTF-8; nkf -w --overwrite FILE)")


def not_utf8(path: Path, raw: bytes, at: int) -> str:
    """The one-line error for a file that is not UTF-8: where, and what it seems to be instead."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[1::2].count(0) > len(raw) // 4:
        return f"{path}:1:1: " + t("the file is UTF-16 text; scenario files are UTF-8: {fix}", fix=t(SAVE_AS_UTF8))
    line = raw.count(b"\n", 0, at) + 1
    column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
    if b"\0" not in raw:
        for codec, name in JAPANESE_ENCODINGS:
            try:
                raw.decode(codec)
            except UnicodeDecodeError:
                continue
            return f"{path}:{line}:{column}: " + t("not UTF-8 (byte {byte}); the file looks like {encoding}: {fix}",
                                                   byte=f"0x{raw[at]:02x}", encoding=t(name), fix=t(SAVE_AS_UTF8))
    return f"{path}:{line}:{column}: " + t("not a text file (invalid UTF-8 at byte {at})", at=at)


def printable(text: str) -> str:
    """``text``, or its escaped form when it holds a line break or a control character (so that a
    problem stays one line)."""
    return text if text.isprintable() else ascii(text)[1:-1]


def problem(path: Path | str, mark: Mark, key_path: KeyPath, message: str) -> str:
    """One error line: ``FILE:LINE:COL: key.path: message`` (key part omitted when empty)."""
    key = ".".join(printable(str(k)) for k in key_path)
    where = f"{path}: " if mark == (0, 0) else f"{path}:{mark[0]}:{mark[1]}: "  # (0, 0): an override, no line
    where = "" if str(path) in ("", ".") else where  # the explorer's settings: the key alone
    return where + (f"{key}: " if key else "") + message


def _yaml_problem(path: Path, error: yaml.YAMLError, text: str = "", first_line: int = 0) -> str:
    """One line for a YAML syntax error; a tab in the line's indentation is named as such.
    ``first_line``: where ``text`` starts in the file (0-based), for a block read on its own."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = (mark.line + 1 + first_line, mark.column + 1) if mark is not None else (1 + first_line, 1)
    lines = text.splitlines()
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent or (mark is not None and line[mark.column:mark.column + 1] == "\t"):
        column = (indent.index("\t") if "\t" in indent else mark.column) + 1
        return problem(path, (where[0], column), (), t("a tab character: YAML indents with spaces only; replace the "
                                                       "tab with spaces (editors: 'convert indentation to spaces')"))
    detail = " ".join(str(getattr(error, "problem", None) or error).split())
    return problem(path, where, (), t("not valid YAML (the YAML reader says: {detail})", detail=detail))


def top_level_blocks(text: str) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the top-level entries of a YAML mapping: each starts at a line
    that begins in column 1 with something other than a comment; comments and indented lines
    belong to the entry above."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line[:1] not in ("", " ", "\t", "#")] or [0]
    starts[0] = 0
    return list(zip(starts, starts[1:] + [len(lines)]))


def _recover(path: Path, text: str) -> tuple[str, list[str]]:
    """After a YAML syntax error: read each top-level entry on its own, so that one mistake does not
    hide the others.  Returns the text with the unreadable entries blanked (line numbers kept) and
    one problem per unreadable entry."""
    lines, problems = text.splitlines(), []
    for start, end in top_level_blocks(text):
        block = "\n".join(lines[start:end])
        try:
            yaml.compose(block, Loader=LOADER)
        except yaml.YAMLError as error:
            problems.append(_yaml_problem(path, error, block, start))
            lines[start:end] = [""] * (end - start)
    return "\n".join(lines) + "\n", problems


#: The safe loader, in C (libyaml) where PyYAML has it: ten times faster on large files.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KEYS = yaml.SafeLoader("")


def _check_size(node: yaml.Node, path: Path) -> None:
    """Refuse a document whose alias expansion or nesting exceeds :data:`MAX_NODES` / :data:`MAX_DEPTH`
    (counted with a memo, so a "billion laughs" file is refused in microseconds)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        item, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            line = item.start_mark.line + 1
            raise InputError(problem(path, (line, item.start_mark.column + 1), (),
                                     t("nested more than {depth} levels deep", depth=MAX_DEPTH)))
        children = ([v for pair in item.value for v in pair] if isinstance(item, yaml.MappingNode)
                    else list(item.value) if isinstance(item, yaml.SequenceNode) else [])
        if done:
            sizes[id(item)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(item)] > MAX_NODES:
                raise InputError(problem(path, (item.start_mark.line + 1, item.start_mark.column + 1), (),
                                         t("more than {count} values once YAML aliases are expanded (a scenario "
                                           "needs a few hundred)", count=f"{MAX_NODES:,}")))
            continue
        if id(item) in sizes:
            continue
        stack.append((item, depth, True))
        stack += [(c, depth + 1, False) for c in children if id(c) not in sizes]


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
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(problem(path, mark, prefix, t("keys must be plain names or years (YAML merge keys "
                                                          "'<<' are not supported: use 'extends')")))
            continue
        key = _KEYS.construct_object(key_node)
        if isinstance(key, (list, dict)) or key.__class__.__hash__ is None:
            problems.append(problem(path, mark, prefix, t("keys must be plain names or years")))
            continue
        if key in seen:
            problems.append(problem(path, mark, prefix + (key,),
                                    t("duplicate key (first written on line {line})", line=seen[key][0])))
        seen[key] = mark
        marks[prefix + (key,)] = mark
        _collect_marks(value_node, prefix + (key,), path, marks, problems)


def _reject_merge_keys(node: yaml.Node, path: Path) -> None:
    """YAML merge keys ('<<') are refused at their position (scenarios use 'extends' to inherit)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    raise InputError(problem(path, (key.start_mark.line + 1, key.start_mark.column + 1), (),
                                             t("YAML merge keys ('<<') are not supported: use 'extends'")))
                stack += [key, value]
        elif isinstance(item, yaml.SequenceNode):
            stack += item.value


def read_source(path: Path) -> SourceFile:
    """Read and parse one scenario file; raise :class:`InputError` with located problems."""
    if not path.exists():
        raise InputError(f"{path}: " + t("file not found"))
    if not path.is_file():
        raise InputError(f"{path}: " + t("not a file"))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path}:1:1: " + t("file too large ({size} bytes; scenario files are limited to {limit})",
                                             size=f"{path.stat().st_size:,}", limit=f"{MAX_BYTES:,}"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 byte-order mark (Windows Notepad) is fine
    except UnicodeDecodeError as error:
        raise InputError(not_utf8(path, raw, error.start)) from None
    syntax: list[str] = []
    try:
        try:
            node = yaml.compose(text, Loader=LOADER)
        except yaml.YAMLError as error:
            text, syntax = _recover(path, text)  # the other entries are still read and checked
            if not syntax:
                raise InputError(_yaml_problem(path, error, text)) from None
            node = yaml.compose(text, Loader=LOADER)
        if node is not None:
            _check_size(node, path)
            _reject_merge_keys(node, path)
        data = None if node is None else LOADER("").construct_document(node)  # built once, from the checked nodes
    except yaml.YAMLError as error:
        raise InputError(syntax or _yaml_problem(path, error, text)) from None
    except RecursionError:
        raise InputError(f"{path}:1:1: " + t("nested too deeply to read")) from None
    except (ValueError, TypeError, IndexError, OverflowError) as error:  # a 5,000-digit integer, '!!float' alone
        detail = " ".join(str(error).split())[:120] or type(error).__name__
        raise InputError(f"{path}:1:1: " + t("a value cannot be read (the YAML reader says: {detail})",
                                             detail=detail)) from None
    if (node is None or data is None) and syntax:
        raise InputError(syntax)
    if node is None or data is None:
        raise InputError(f"{path}:1:1: " + t("empty file: a scenario is a mapping such as 'extends: baseline'"))
    if not isinstance(data, dict):
        raise InputError(f"{path}:1:1: " + (t("a scenario must be a mapping of keys to values, not a list")
                                            if isinstance(data, list) else
                                            t("a scenario must be a mapping of keys to values, not a single value "
                                              "({kind})", kind=type(data).__name__)))
    marks: dict[KeyPath, Mark] = {}
    problems: list[str] = []
    _collect_marks(node, (), path, marks, problems)
    bad_keys = [k for k in data if not isinstance(k, str)]
    problems += [problem(path, marks.get((k,), (1, 1)), (), t("top-level key {key} is not a name", key=repr(k)))
                 for k in bad_keys]
    if bad_keys:
        raise InputError(syntax + problems)
    return SourceFile(path=path, data=data, marks=marks, raw=raw, problems=syntax + problems)
