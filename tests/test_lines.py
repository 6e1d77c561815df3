"""Titles wrap as people break lines (simulate/text/lines.py): English at spaces, Japanese between
characters, never inside brackets that fit, never before a closing mark; checked over random texts."""

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from simulate.text.lines import CLOSING, NO_LINE_START, OPENING, balanced, wrap
from simulate.text.numbers import width

WORD = st.from_regex(r"[a-z0-9][a-z0-9.=+-]{0,8}", fullmatch=True)
KANJI = st.text(alphabet="人口年齢区分別推計労働力就業者数総生産性実績前提", min_size=1, max_size=6)
PUNCT = st.sampled_from(["、", "。", "：", ""])


@st.composite
def group(draw, inner):
    opening, closing = draw(st.sampled_from([("(", ")"), ("（", "）"), ("「", "」"), ("[", "]")]))
    return opening + draw(inner) + closing


ENGLISH = st.lists(st.one_of(WORD, group(st.lists(WORD, min_size=1, max_size=3).map(" ".join))),
                   min_size=1, max_size=14).map(" ".join)
JAPANESE = st.lists(st.one_of(st.tuples(KANJI, PUNCT).map("".join), group(KANJI)), min_size=1, max_size=12).map("".join)


def groups_fit(text: str, columns: int) -> bool:
    """Whether every bracket group of ``text`` (none nested here) fits on a line."""
    return all(width(g) <= columns for g in re.findall(r"[(（「\[][^)）」\]]*[)）」\]]", text))


def breaks_only_at_spaces_or_wide(original: str, wrapped: str) -> bool:
    """Each line break of ``wrapped`` stands where ``original`` has a space, beside a wide character,
    or between bracket groups."""
    i = 0
    lines = wrapped.split("\n")
    for k, line in enumerate(lines):
        i = original.index(line, i) + len(line)
        if k < len(lines) - 1:
            after = original[i:]
            if not (after[:1].isspace() or original[i - 1] in CLOSING or lines[k + 1][0] in OPENING or unicodedata.east_asian_width(original[i - 1]) in "WF"
                    or unicodedata.east_asian_width(lines[k + 1][0]) in "WF"):
                return False
    return True


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(ENGLISH, JAPANESE, st.tuples(ENGLISH, JAPANESE).map(" ".join)), columns=st.integers(24, 90))
def test_wrapped_lines_fit_keep_every_character_and_break_where_people_break(text, columns):
    wrapped = wrap(text, columns)
    lines = wrapped.split("\n")
    assert "".join(wrapped.split()) == "".join(text.split())
    assert all(width(line) <= columns for line in lines), wrapped
    assert breaks_only_at_spaces_or_wide(text, wrapped), wrapped
    if groups_fit(text, columns):
        assert all(balanced(line) for line in lines), wrapped  # a group that fits on a line is never broken
    assert not any(line[0] in NO_LINE_START for line in lines[1:]), wrapped
    if all(c.isascii() for c in text):
        assert " ".join(lines) == " ".join(text.split())


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(ENGLISH, JAPANESE), columns=st.integers(24, 60), most=st.integers(1, 3))
def test_a_title_cut_to_its_lines_ends_in_an_ellipsis_and_stays_balanced(text, columns, most):
    lines = wrap(text, columns, most).split("\n")
    full = wrap(text, columns).split("\n")
    assert len(lines) == min(most, len(full))
    assert all(width(line) <= columns for line in lines)
    if groups_fit(text, columns):
        assert all(balanced(line.removesuffix("…")) for line in lines)
    if len(full) > most:
        assert lines[-1].endswith("…") and lines[:-1] == full[:most - 1]
    else:
        assert lines == full


def test_the_titles_the_issue_found_broken():
    title = "Current (2020 census, observed through 2024, IPSS 2023 medium after) + migration.net=300000"
    assert wrap(title, 40) == ("Current (2020 census, observed through\n2024, IPSS 2023 medium after) +\n"
                               "migration.net=300000")
    assert wrap("1人あたりGDP（10億ドル（2018年価格））と時間あたり労働生産性", 30) == \
        "1人あたりGDP\n（10億ドル（2018年価格））と時\n間あたり労働生産性"
    assert wrap("a" * 25, 10) == "aaaaaaaaaa\naaaaaaaaaa\naaaaa"  # a word longer than a line is cut
