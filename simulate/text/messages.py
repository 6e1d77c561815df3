"""The message catalogue: every word a person reads is written in English in the code, marked for
extraction, and looked up in the language of the run (gettext, with the catalogue made and checked
by Babel: ``python scripts/messages.py``; ``simulate/locale/ja/LC_MESSAGES/quiet-crisis.po`` holds
the Japanese, compiled to the ``.mo`` beside it).

- ``t(message, lang, **fields)``: a message in ``lang``, its ``{fields}`` filled in after lookup;
  ``lang=None`` is the language in use (:func:`use`, set by the command line: errors raised deep
  in the model are said in it);
- ``N_(message)``: marks a message kept in a table (looked up later with :func:`t`).
"""

from __future__ import annotations

import contextvars
import functools
import gettext
from pathlib import Path

#: The gettext domain, and where the compiled catalogues are.
DOMAIN = "quiet-crisis"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
#: The language messages without an explicit one are said in (English unless :func:`use` says).
_IN_USE: contextvars.ContextVar[str] = contextvars.ContextVar("quiet_crisis_lang", default="en")


def use(lang: str) -> None:
    """Say messages without an explicit language (errors, notices) in ``lang`` from now on, in this
    thread or task (the command line calls it once it knows ``--lang``)."""
    _IN_USE.set(lang)


def in_use() -> str:
    """The language messages without an explicit one are said in."""
    return _IN_USE.get()


@functools.cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the messages as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def t(message: str, /, lang: str | None = None, **fields: object) -> str:
    """``message`` in ``lang`` (default: :func:`in_use`), with ``{name}`` fields filled from
    ``fields`` after the lookup."""
    text = catalogue(lang or _IN_USE.get()).gettext(message)
    return text.format(**fields) if fields else text


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a marked, untranslated message
    """Mark ``message`` for the catalogue without looking it up (tables of messages)."""
    return message
