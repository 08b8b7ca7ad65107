"""The rulebook as events: one RulebookEntry per version (added, then corrected), and the
RulebookIndex that lists the versions' codes, so the whole rulebook is read without a scan.

A version's content travels as its version file's plain JSON document (the schema of
services/application/rulebook_file.py): the entry keeps it, and the rules that judge an
addition or a correction are asked with the parsed versions (domain/rulebook/validation.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import RulebookVersion

INDEX_ID = uuid5(NAMESPACE_URL, "urn:awards:rulebook")


def entry_id(code: str) -> UUID:
    """One entry per version code, found without an index."""
    return uuid5(NAMESPACE_URL, f"urn:awards:rulebook:{code}")


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("a reason is required to change the rulebook")
    return reason.strip()


def check_correction(old: RulebookVersion, new: RulebookVersion, today: date) -> None:
    """A correction never changes how a lodged proposal is judged. A version not yet in force
    judged nothing, so anything in it may change; once in force, only its end may move, and
    only to a day after today (the days already passed keep their rules). To change the rules
    from some day on, end the version there and add a new one."""
    if new.code != old.code:
        raise InvalidInput(
            "a correction keeps the version's code {code}; {other} is another version",
            code=old.code,
            other=new.code,
        )
    if old.effective_from > today:
        return
    ends_later = all(end is None or end > today for end in (old.effective_to, new.effective_to))
    if replace(old, effective_to=new.effective_to) != new or not ends_later:
        raise DomainError(
            "the rulebook version {code} is in force since {start}, so proposals may have"
            " been lodged under it: only its end may move, to a day after today; add a new"
            " version for new rules",
            code=old.code,
            start=old.effective_from.isoformat(),
        )


class RulebookEntry(Aggregate):
    """One version of the rulebook: its document as added, then as corrected, with who,
    in which role, when (the event's time) and why."""

    class VersionAdded(Aggregate.Created):
        code: str
        document: dict[str, Any]
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class VersionCorrected(Aggregate.Event):
        document: dict[str, Any]
        actor_id: str
        actor_role: str
        reason: str
        key: str

    @event(VersionAdded)
    def __init__(
        self,
        *,
        id: UUID,
        code: str,
        document: dict[str, Any],
        actor_id: str,
        actor_role: str,
        reason: str,
        key: str,
    ) -> None:
        self.code = code
        self.document = document
        self.corrections = 0
        self.keys = [key]

    @classmethod
    def add(
        cls, code: str, document: dict[str, Any], actor: Actor, reason: str, key: str
    ) -> RulebookEntry:
        return cls(
            id=entry_id(code),
            code=code,
            document=document,
            actor_id=actor.id,
            actor_role=actor.role,
            reason=_reason(reason),
            key=key,
        )

    def correct(
        self,
        old: RulebookVersion,
        new: RulebookVersion,
        document: dict[str, Any],
        actor: Actor,
        reason: str,
        key: str,
        today: date,
    ) -> bool:
        """Record a correction (checked by ``check_correction``); False: done before."""
        if key in self.keys:
            return False
        check_correction(old, new, today)
        self._corrected(document, actor.id, actor.role, _reason(reason), key)
        return True

    @event(VersionCorrected)
    def _corrected(
        self, document: dict[str, Any], actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self.document = document
        self.corrections += 1
        self.keys.append(key)


class RulebookIndex(Aggregate):
    """The codes of every version, in the order they were added."""

    class Started(Aggregate.Created):
        pass

    class VersionListed(Aggregate.Event):
        code: str

    @event(Started)
    def __init__(self, *, id: UUID) -> None:
        self.codes: list[str] = []

    @classmethod
    def start(cls) -> RulebookIndex:
        return cls(id=INDEX_ID)

    def list_version(self, code: str) -> None:
        if code not in self.codes:
            self._listed(code)

    @event(VersionListed)
    def _listed(self, code: str) -> None:
        self.codes.append(code)
