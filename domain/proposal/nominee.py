"""Who is nominated: a collective unit or an individual, of a kind the award form admits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.kernel.errors import InvalidInput
from domain.kernel.message import Message
from domain.proposal.forms import AwardForm, NomineeKind

_OPTIONAL = ("unit_id", "position", "gender")


@dataclass(frozen=True)
class Nominee:
    kind: NomineeKind
    name: str
    unit_id: str | None = None  # the nominated unit, or the unit an individual belongs to
    position: str | None = None
    gender: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As recorded in Nominated events: the optional fields only when given."""
        data: dict[str, Any] = {"kind": self.kind.value, "name": self.name}
        for field in _OPTIONAL:
            value = getattr(self, field)
            if value is not None:
                data[field] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Nominee:
        """A nominee as recorded (checked when it was nominated)."""
        optional = {field: str(data[field]) for field in _OPTIONAL if data.get(field)}
        return cls(NomineeKind(data["kind"]), str(data["name"]), **optional)

    @classmethod
    def of(cls, form: AwardForm, data: Mapping[str, Any]) -> Nominee:
        """A nominee as given by a proposer, checked against the form and trimmed."""
        kind = data.get("kind")
        if kind not in {k.value for k in NomineeKind}:
            raise InvalidInput("nominee.kind must be 'collective' or 'individual'")
        # A form that does not admit one kind admits only the other.
        form_name = Message.term("form", form.name_en)
        if kind not in form.nominee_kinds and kind == NomineeKind.INDIVIDUAL:
            raise InvalidInput(
                "{form} is awarded to collectives, not an individual", form=form_name
            )
        if kind not in form.nominee_kinds:
            raise InvalidInput("{form} is awarded to individuals, not a collective", form=form_name)
        name = str(data.get("name", "")).strip()
        if not name:
            raise InvalidInput("nominee.name is required")
        optional = {field: str(data[field]).strip() for field in _OPTIONAL if data.get(field)}
        return cls(NomineeKind(kind), name, **optional)
