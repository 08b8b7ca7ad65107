"""Translatable messages: an English template with named parameters, rendered in any language."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

# A translator answers the translated template of a msgid (in a gettext context), or None.
Translator = Callable[[str, str | None], str | None]

_FORMATTER = string.Formatter()


class Message:
    """What a person reads, kept as gettext keeps it: the English template is the msgid,
    ``{name}`` placeholders are filled with ``str.format`` rules. A parameter may itself be a
    message (a state's name, a step), so it is translated in the same language."""

    __slots__ = ("context", "params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.context: str | None = None
        self.params: dict[str, str | int | float | Message] = {
            name: _param(value) for name, value in params.items()
        }

    @classmethod
    def term(cls, context: str, msgid: str) -> Message:
        """A word looked up in a gettext context (msgctxt), e.g. a state code in "state"."""
        message = cls(msgid)
        message.context = context
        return message

    @classmethod
    def of(cls, text: str | Message) -> Message:
        return text if isinstance(text, Message) else cls(text)

    @classmethod
    def joined(cls, parts: Iterable[Message], separator: str = "; ") -> Message:
        """Several messages as one; the generated template only places them."""
        items = list(parts)
        template = separator.join(f"{{item{n}}}" for n in range(len(items)))
        return cls(template, **{f"item{n}": item for n, item in enumerate(items)})

    def render(self, translate: Translator | None = None) -> str:
        """The text in the translator's language (English without one); never raises."""
        template = self.template
        if translate is not None:
            template = translate(self.template, self.context) or self.template
        values = {
            name: value.render(translate) if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return fill(template, values)

    def to_json(self) -> dict[str, Any]:
        """Plain data, so a message crosses Temporal and comes back translatable."""
        data: dict[str, Any] = {
            "template": self.template,
            "params": {
                name: value.to_json() if isinstance(value, Message) else value
                for name, value in self.params.items()
            },
        }
        if self.context is not None:
            data["context"] = self.context
        return data

    @classmethod
    def from_json(cls, data: object) -> Message | None:
        """The message carried as plain data, or None when the data is not one."""
        if not isinstance(data, Mapping) or not isinstance(data.get("template"), str):
            return None
        params = data.get("params", {})
        if not isinstance(params, Mapping):
            return None
        message = cls(data["template"])
        for name, value in params.items():
            nested = cls.from_json(value) if isinstance(value, Mapping) else None
            message.params[str(name)] = nested if nested is not None else _param(value)
        context = data.get("context")
        message.context = context if isinstance(context, str) else None
        return message

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.template!r}, context={self.context!r}, params={self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash((self.template, self.context))


def _param(value: object) -> str | int | float | Message:
    if isinstance(value, Message | str | float) or (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        return value
    return str(value)


def placeholders(template: str) -> set[str]:
    """The names a template fills; literal braces such as ``{c, v}`` are not placeholders."""
    try:
        fields = [field for _, field, _, _ in _FORMATTER.parse(template) if field is not None]
    except ValueError:
        return set()
    return {field for field in fields if field.isidentifier()}


def fill(template: str, values: Mapping[str, object]) -> str:
    """``str.format`` for named fields only: a missing parameter, a bad format spec or an
    unbalanced brace leaves the text as written instead of raising (an error message must
    never become a 500); attribute and index lookups are not performed."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError:
        return template
    out: list[str] = []
    for literal, field, spec, conversion in parsed:
        out.append(literal)  # parse() has already turned "{{" into "{"
        if field is None:
            continue
        if field.isidentifier() and field in values:
            out.append(_format_value(values[field], spec or "", conversion))
        else:
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + shown + "}")
    return "".join(out)


def _format_value(value: object, spec: str, conversion: str | None) -> str:
    if conversion == "r":
        value = repr(value)
    elif conversion == "a":
        value = ascii(value)
    elif conversion == "s":
        value = str(value)
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        return str(value)
