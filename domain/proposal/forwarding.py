"""What a proposal records beyond VUSTA's own route: the conference that voted it, the
forwarding of a state-level form, the state body's outcome, and the rulebook it is judged by."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.kernel.errors import DomainError, InvalidInput
from domain.kernel.message import Message
from domain.proposal.forms import AwardForm
from domain.proposal.states import DecisionOutcome

# Until the rulebook's defaults are wired here (domain/rulebook/defaults.py, find_version),
# the version in force on a day, by its code: the only place that knows the two regimes' dates.
DECREE_152_FROM = date(2025, 7, 1)
LAW_06_DECREE_98 = "law-06-2022+decree-98-2023"
DECREE_152 = "decree-152-2025"

# Decree 30/2020 numbers: "05/TTr-LHHVN", "123/QĐ-TTg" (number, kind, issuer).
_NUMBER = re.compile(r"^[0-9]{2,}/[A-Za-zĐđ]+-[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9]+)*$")


def rulebook_code_on(day: date) -> str:
    """The code of the rulebook version in force on ``day`` (a dossier's lodging day)."""
    return DECREE_152 if day >= DECREE_152_FROM else LAW_06_DECREE_98


def check_direct_nomination(form: AwardForm) -> None:
    """Rule conference_only: a form voted at the cluster's year-end conference (a Flag) is
    proposed by the conference, never directly by a proposer."""
    if form.cluster_vote:
        raise DomainError(
            "the {form} is proposed by the cluster's year-end conference, not directly"
            " (rule conference_only); propose a Certificate or Medal directly instead",
            form=Message.term("form", form.name_en),
        )


def parse_letter_number(text: str) -> str:
    """The forwarding letter's Decree 30/2020 number, such as 05/TTr-LHHVN."""
    if not _NUMBER.match(text.strip()):
        raise InvalidInput(
            "the forwarding letter's number {text!r} is not a number such as 05/TTr-LHHVN",
            text=text,
        )
    return text.strip()


def parse_external_number(text: str) -> str:
    """The state body's decision number, such as 123/QĐ-TTg."""
    if not _NUMBER.match(text.strip()):
        raise InvalidInput(
            "the external decision's number {text!r} is not a number such as 123/QĐ-TTg",
            text=text,
        )
    return text.strip()


@dataclass(frozen=True)
class RecordRef:
    """A generated record of the conference (minutes, ballot count) by its content's hash."""

    kind: str  # review_minutes or ballot_count
    sha256: str
    document_id: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "sha256": self.sha256, "document_id": self.document_id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordRef:
        return cls(str(data["kind"]), str(data["sha256"]), str(data["document_id"]))


@dataclass(frozen=True)
class Forwarding:
    """The forwarding letter (tờ trình) of a state-level form, as a generated record."""

    letter_number: str
    sent_on: date
    recipient: str
    letter_sha256: str
    by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "letter_number": self.letter_number,
            "sent_on": self.sent_on.isoformat(),
            "recipient": self.recipient,
            "letter_sha256": self.letter_sha256,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Forwarding:
        return cls(
            letter_number=str(data["letter_number"]),
            sent_on=date.fromisoformat(data["sent_on"]),
            recipient=str(data["recipient"]),
            letter_sha256=str(data["letter_sha256"]),
            by=str(data["by"]),
        )


@dataclass(frozen=True)
class ExternalOutcome:
    """The state body's decision on a forwarded proposal, as the secretary recorded it."""

    outcome: DecisionOutcome
    number: str
    decided_on: date
    issuer: str
    document_sha256: str
    by: str

    @property
    def awarded(self) -> bool:
        return self.outcome == DecisionOutcome.AWARDED

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "number": self.number,
            "decided_on": self.decided_on.isoformat(),
            "issuer": self.issuer,
            "document_sha256": self.document_sha256,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExternalOutcome:
        return cls(
            outcome=DecisionOutcome(data["outcome"]),
            number=str(data["number"]),
            decided_on=date.fromisoformat(data["decided_on"]),
            issuer=str(data["issuer"]),
            document_sha256=str(data["document_sha256"]),
            by=str(data["by"]),
        )


def check_external_outcome(decided_on: date, forwarded_on: date | None, issuer: str) -> None:
    if not issuer.strip():
        raise InvalidInput("the external decision's issuer is required")
    if forwarded_on is not None and decided_on < forwarded_on:
        raise InvalidInput(
            "the external decision is dated {decided_on}, before the proposal was forwarded"
            " on {forwarded_on}",
            decided_on=decided_on.isoformat(),
            forwarded_on=forwarded_on.isoformat(),
        )
