"""Clean text at the API's edge: no control characters in any body, parameter or header value."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

from domain.kernel.message import Message

# PostgreSQL's text and jsonb cannot hold U+0000, and the other C0/C1 controls rewrite lines in
# logs, terminals and PDFs. Tab and newline are ordinary text. A carriage return is refused on
# its own (it forges log lines); in body text a CR LF pair is Windows' and HTML forms' line
# break, so it is normalised to LF rather than refused. Lone surrogates (JSON allows "\ud800")
# are refused too: they cannot be encoded as UTF-8, so the store could not hold them either.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_FORBIDDEN_IN_PARAMETERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\r]")
CONTROL_CHARACTER = "control_character"
MAX_DEPTH = 32
# Headers the service reads whose values reach the store (the key is part of step keys).
CHECKED_HEADERS = ("idempotency-key",)


class RefusedValue(ValueError):
    """A value a validator refuses, with what to tell the reader: pydantic keeps the exception
    in the error's ``ctx``, and problems.py answers its message in the reader's language."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


def forbidden_character(text: str, *, parameter: bool = False) -> str | None:
    """The first character the service refuses, as U+XXXX, or None when the text is clean."""
    found = (_FORBIDDEN_IN_PARAMETERS if parameter else _FORBIDDEN).search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def refusal(character: str) -> Message:
    return Message("must not contain the control character {character}", character=character)


def clean_text(value: Any) -> Any:
    """The validator behind `Text`: CR LF becomes LF, any other control is refused. It runs
    before pydantic strips whitespace, which would otherwise drop a trailing U+001F silently."""
    if not isinstance(value, str):
        return value  # the str schema itself refuses what is not text
    value = value.replace("\r\n", "\n")
    character = forbidden_character(value)
    if character is not None:
        raise RefusedValue(refusal(character))
    return value


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, Message]]:
    """(where, what) for each refused thing in a JSON value: a control character or depth."""
    if depth > MAX_DEPTH:
        yield path, Message("nested deeper than {levels} levels", levels=MAX_DEPTH)
        return
    if isinstance(value, str):
        character = forbidden_character(value)
        if character is not None:
            yield path, refusal(character)
    elif isinstance(value, dict):
        for key, item in value.items():
            character = forbidden_character(str(key))
            if character is not None:
                yield f"{path}.<key>", refusal(character)
            yield from _walk(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", depth + 1)


def clean_tree(value: Any) -> Any:
    """The validator behind `JsonObject`: every key and string value at any depth is clean.
    It runs before pydantic strips whitespace from the keys, as `clean_text` does."""
    for where, what in _walk(value, "", 0):
        raise RefusedValue(
            Message("{field}: {problem}", field=where.lstrip(".") or "value", problem=what)
        )
    return value


Clean = BeforeValidator(clean_text)
"""Marks a body or form field whose text must be clean, whatever its type (str, a Literal)."""

Text = Annotated[str, Clean]
"""A string field of a request body: no control characters but tab and newline."""

JsonObject = Annotated[dict[str, Any], BeforeValidator(clean_tree)]
"""A free-form JSON object (a sealed ballot, a decryption share), clean at every depth."""


def _named(name: str) -> str:
    """A parameter name fit to echo: its refused characters spelled as U+XXXX."""
    return _FORBIDDEN_IN_PARAMETERS.sub(lambda m: f"U+{ord(m.group()):04X}", name)


def _error(loc: tuple[str, ...], message: Message, code: str = CONTROL_CHARACTER) -> dict[str, Any]:
    # "input" stays empty: the offending value is never echoed back. The message travels in
    # "ctx" as pydantic's own refusals carry theirs, to be answered in the reader's language.
    return {
        "loc": loc,
        "msg": message.render(),
        "type": code,
        "input": None,
        "ctx": {"error": RefusedValue(message)},
    }


def parameter_errors(request: Request) -> list[dict[str, Any]]:
    """Control characters in the path parameters, query (names and values) and read headers."""
    errors: list[dict[str, Any]] = []
    for name, value in request.path_params.items():
        character = forbidden_character(str(value), parameter=True)
        if character is not None:
            errors.append(_error(("path", _named(name)), refusal(character)))
    for name, value in request.query_params.multi_items():
        character = forbidden_character(name + value, parameter=True)
        if character is not None:
            errors.append(_error(("query", _named(name)), refusal(character)))
    for name in CHECKED_HEADERS:
        # Headers arrive as Latin-1; a key is printable ASCII (an RFC 8941 string), so a
        # control character or a non-ASCII byte is refused alike.
        bad = [c for c in request.headers.get(name, "") if not " " <= c <= "~"]
        if bad:
            character = f"U+{ord(bad[0]):04X}"
            message = Message("must be printable ASCII, not {character}", character=character)
            errors.append(_error(("header", name), message, "not_printable_ascii"))
    return errors


def refuse_in(loc: tuple[str, ...], value: str) -> None:
    """Refuse one value the framework does not validate for us (an uploaded file's name)."""
    character = forbidden_character(value, parameter=True)
    if character is not None:
        raise RequestValidationError([_error(loc, refusal(character))])


async def refuse_control_characters(request: Request) -> None:
    """A dependency of every router: refuse bad parameters before any route reads them."""
    errors = parameter_errors(request)
    if errors:
        raise RequestValidationError(errors)
