"""Text in lines of a given display width, as people break it: English at spaces, Japanese between
characters, never inside a pair of brackets that fits on a line, never before a closing mark
(kinsoku: '、', '。', '）' do not begin a line) and never after an opening one."""

from __future__ import annotations

import unicodedata

from simulate.text.numbers import width

OPENING = "([{（［｛「『【〔〈《"
CLOSING = ")]}）］｝」』】〕〉》"
#: Marks that never begin a line (closing brackets, Japanese and Latin punctuation).
NO_LINE_START = CLOSING + "、。，．・：；？！ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ…‥,.:;!?%"
ELLIPSIS = "…"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _group_end(text: str, start: int) -> int:
    """Index just past the bracket group opening at ``start`` (nested pairs counted), or ``start + 1``
    when it never closes."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in OPENING:
            depth += 1
        elif text[i] in CLOSING:
            depth -= 1
            if depth == 0:
                return i + 1
    return start + 1


def atoms(text: str) -> list[tuple[bool, str]]:
    """``text`` as unbreakable pieces, each with whether a space came before it: bracket groups,
    Latin words, single wide characters; a piece that may not begin a line joins the one before,
    and so does any piece that touches the one before with no space and no wide character."""
    pieces: list[tuple[bool, str]] = []
    i, space = 0, False
    while i < len(text):
        char = text[i]
        if char.isspace():
            space, i = True, i + 1
            continue
        if char in OPENING:
            end = _group_end(text, i)
        elif _wide(char):
            end = i + 1
        else:
            end = i + 1
            while end < len(text) and not (text[end].isspace() or _wide(text[end]) or text[end] in OPENING):
                end += 1
        piece = text[i:end]
        glued = pieces and not space and (piece[0] in NO_LINE_START or pieces[-1][1][-1] in OPENING
                                          or not (_wide(piece[0]) or _wide(pieces[-1][1][-1])))
        if glued:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + piece)
        else:
            pieces.append((space, piece))
        space, i = False, end
    return pieces


def _opened(space: bool, piece: str) -> list[tuple[bool, str]]:
    """A piece wider than a line, opened up: pieces glued together into their bracket groups and
    the runs between them; one bracket group into the pieces inside it (brackets glued to the first
    and last); anything else into single characters, the only case where a line may break inside
    a word."""
    parts, i = [], 0
    while i < len(piece):  # a glued piece: its bracket groups and the runs between them
        end = _group_end(piece, i) if piece[i] in OPENING else next(
            (j for j in range(i + 1, len(piece)) if piece[j] in OPENING), len(piece))
        parts.append(piece[i:end])
        i = end
    if len(parts) > 1:
        return [(space if k == 0 else False, part) for k, part in enumerate(parts)]
    if piece[0] in OPENING and piece[-1] in CLOSING and len(piece) > 2:
        inside = atoms(piece[1:-1])
        if inside:
            inside[0] = (space, piece[0] + inside[0][1])
            inside[-1] = (inside[-1][0], inside[-1][1] + piece[-1])
            if len(inside) > 1:
                return inside
    return [(space if i == 0 else False, char) for i, char in enumerate(piece)]


def wrap(text: str, columns: int, max_lines: int | None = None) -> str:
    """``text`` in lines of at most ``columns`` display columns (wide characters count two), joined
    by newlines; with ``max_lines``, what does not fit is cut at a piece and ends in '…'."""
    columns = max(columns, 1)
    lines: list[str] = []
    line = ""
    queue = atoms(text)
    while queue:
        space, piece = queue.pop(0)
        joined = f"{line} {piece}" if space and line else line + piece
        if width(joined) <= columns:
            line = joined
        elif width(piece) > columns and len(piece) > 1:
            queue[:0] = _opened(space, piece)
        else:
            if line:
                lines.append(line)
            line = piece
    lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        pieces = atoms(lines[-1])
        while pieces:
            last = "".join((" " if s and k else "") + p for k, (s, p) in enumerate(pieces))
            if width(last + ELLIPSIS) <= columns:
                break
            pieces.pop()
        lines[-1] = ("".join((" " if s and k else "") + p for k, (s, p) in enumerate(pieces)) if pieces else "") \
            + ELLIPSIS
    return "\n".join(lines)


def balanced(line: str) -> bool:
    """Whether every bracket in ``line`` is closed in order by its partner."""
    stack = []
    for char in line:
        if char in OPENING:
            stack.append(CLOSING[OPENING.index(char)])
        elif char in CLOSING and (not stack or stack.pop() != char):
            return False
    return not stack
