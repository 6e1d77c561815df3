"""The strict base model every scenario section derives from, and text in two languages."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    """Strict base: unknown keys are errors, strings are never silently turned into numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Words(Section):
    """A text a person reads, in English and Japanese (``title: {en: Current, ja: 現状}``); a scenario
    may also give one plain string, which serves both languages."""

    en: str = Field(min_length=1, description="In English")
    ja: str = Field(min_length=1, description="In Japanese (日本語)")


def in_language(text: str | Words | None, lang: str) -> str:
    """``text`` in ``lang`` ('' for none): a :class:`Words` gives its own language, a string serves all."""
    if text is None:
        return ""
    return getattr(text, lang, text.en) if isinstance(text, Words) else text
