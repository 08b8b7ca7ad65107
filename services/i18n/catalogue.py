"""The message catalogue (Vietnamese translations of the English msgids) and language choice."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from domain.kernel.message import Message, Translator

# gettext layout, shipped as package data; the web pages read the same file.
CATALOGUE = Path(__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "messages.po"
_MAX_RANGES = 32  # an Accept-Language header longer than this is read only in its first ranges


class Language(StrEnum):
    VI = "vi"
    EN = "en"


DEFAULT = Language.VI  # officials read Vietnamese first


@cache
def translations() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → Vietnamese, read once; untranslated and fuzzy entries are left out,
    so their English stands."""
    with CATALOGUE.open("rb") as po:
        catalog = read_po(po, locale="vi", abort_invalid=True)
    table: dict[tuple[str | None, str], str] = {}
    for entry in catalog:
        # Plural entries (tuples) are not used: messages say "share(s)" instead.
        translated = isinstance(entry.string, str) and entry.string and not entry.fuzzy
        if isinstance(entry.id, str) and entry.id and translated:
            table[(entry.context, entry.id)] = str(entry.string)
    return table


def vietnamese(msgid: str, context: str | None = None) -> str | None:
    return translations().get((context, msgid))


def translator(language: Language) -> Translator | None:
    """English is the msgid itself: no translator."""
    return vietnamese if language == Language.VI else None


def render(message: Message, language: Language) -> str:
    return message.render(translator(language))


def both(message: Message) -> dict[str, str]:
    """The text in every language, Vietnamese first."""
    return {language.value: render(message, language) for language in Language}


def negotiate(accept_language: str | None) -> Language:
    """The language of an ``Accept-Language`` header (RFC 9110 §12.5.4): the highest q among
    the languages we have, by primary subtag (``en-US`` is English); ``*``, an absent header or
    one with nothing we speak gives Vietnamese. ``q=0`` means "not this one"."""
    if not accept_language:
        return DEFAULT
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(accept_language.split(",")[:_MAX_RANGES]):
        tag, *parameters = part.split(";")
        quality = _quality(parameters)
        primary = tag.strip().lower().split("-")[0]
        language = DEFAULT if primary == "*" else _LANGUAGES.get(primary)
        if language is None or quality is None or quality <= 0:
            continue
        candidate = (-quality, position, language)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else DEFAULT


_LANGUAGES = {language.value: language for language in Language}


def _quality(parameters: list[str]) -> float | None:
    """The q of a language range: 1 when absent, None when malformed or out of 0…1."""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "q":
            continue
        try:
            quality = float(value.strip())
        except ValueError:
            return None
        return quality if 0 <= quality <= 1 else None  # NaN fails both comparisons
    return 1.0
