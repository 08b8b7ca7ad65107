"""The rulebook as use cases: its versions stored as events in the proposals' event store (so
every change is chained and sealed with the rest of the log), the version in force on a day,
and an admin's additions and corrections, each idempotent on its key."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.kernel.actor import SYSTEM, Actor
from domain.kernel.calendar import today
from domain.kernel.errors import DomainError
from domain.rulebook.aggregate import INDEX_ID, RulebookEntry, RulebookIndex, entry_id
from domain.rulebook.defaults import DEFAULT_VERSIONS
from domain.rulebook.validation import (
    VersionNotFound,
    check_no_overlap,
    check_version,
    find_version,
)
from domain.rulebook.version import RulebookVersion
from services.application.rulebook_file import document, read_data

# Versions change seldom (an admin's act); a process re-reads them at most this often, and at
# once after a change it made itself.
FRESH_SECONDS = 10.0
_ATTEMPTS = 3  # a concurrent addition moved the index: read it again and retry


@dataclass(frozen=True)
class VersionChange:
    """One recorded change of a version: added or corrected, by whom, in which role, why."""

    what: str  # VersionAdded or VersionCorrected
    actor: str
    role: str
    time: datetime
    reason: str


class Rulebook:
    def __init__(self, app: Application[UUID], clock: Callable[[], date] = today) -> None:
        self._app = app
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, tuple[RulebookVersion, ...]] | None = None

    # ---- reading -------------------------------------------------------------------------

    def versions(self) -> list[RulebookVersion]:
        """Every version, by effective date."""
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > FRESH_SECONDS:
                self._cached = (time.monotonic(), tuple(self._load()))
            return list(self._cached[1])

    def in_force(self, day: date) -> RulebookVersion:
        return find_version(self.versions(), day)

    def version(self, code: str) -> RulebookVersion:
        for version in self.versions():
            if version.code == code:
                return version
        raise VersionNotFound("no rulebook version {code}", code=code)

    def history(self, code: str) -> list[VersionChange]:
        self.version(code)  # refused if unknown
        kinds = (RulebookEntry.VersionAdded, RulebookEntry.VersionCorrected)
        events = [e for e in self._app.events.get(entry_id(code)) if isinstance(e, kinds)]
        return [
            VersionChange(
                what=type(e).__name__,
                actor=e.actor_id,
                role=e.actor_role,
                time=e.timestamp,
                reason=e.reason,
            )
            for e in events
        ]

    def _index(self) -> RulebookIndex | None:
        try:
            index: RulebookIndex = self._app.repository.get(INDEX_ID)
        except AggregateNotFoundError:
            return None
        return index

    def _entry(self, code: str) -> RulebookEntry | None:
        try:
            entry: RulebookEntry = self._app.repository.get(entry_id(code))
        except AggregateNotFoundError:
            return None
        return entry

    def _load(self) -> list[RulebookVersion]:
        index = self._index()
        codes = index.codes if index else []
        found = [read_data(self._app.repository.get(entry_id(code)).document) for code in codes]
        return sorted(found, key=lambda v: v.effective_from)

    # ---- changing ------------------------------------------------------------------------

    def ensure_defaults(self) -> None:
        """Store the versions the service ships, once (a later start adds nothing)."""
        for version in DEFAULT_VERSIONS:
            if self._entry(version.code) is None:
                reason = "the rulebook the service ships (domain/rulebook/defaults.py)"
                self.add(version, SYSTEM, reason, f"default:{version.code}")

    def add(self, version: RulebookVersion, actor: Actor, reason: str, key: str) -> bool:
        """Add a version; False when this key added it before. Refused: an incomplete version,
        a code taken, or days on which another version is in force."""
        check_version(version)
        for attempt in range(_ATTEMPTS):
            existing = self._entry(version.code)
            if existing is not None:
                if key in existing.keys:
                    return False
                raise DomainError(
                    "the rulebook version {code} exists already; correct it instead",
                    code=version.code,
                )
            index = self._index() or RulebookIndex.start()
            check_no_overlap([*self._load(), version])
            entry = RulebookEntry.add(version.code, document(version), actor, reason, key)
            index.list_version(version.code)
            try:
                self._app.save(index, entry)
            except IntegrityError:
                if attempt == _ATTEMPTS - 1:
                    raise
                continue  # another process added a version meanwhile: check again
            self._forget()
            return True
        raise AssertionError("unreachable")  # pragma: no cover

    def correct(self, version: RulebookVersion, actor: Actor, reason: str, key: str) -> bool:
        """Record a correction of the version with the same code; False: done before with
        this key. What may change is decided by domain.rulebook.aggregate.check_correction."""
        check_version(version)
        entry = self._entry(version.code)
        if entry is None:
            raise VersionNotFound("no rulebook version {code}", code=version.code)
        others = [v for v in self._load() if v.code != version.code]
        if key not in entry.keys:
            check_no_overlap([*others, version])
        old = read_data(entry.document)
        changed = entry.correct(old, version, document(version), actor, reason, key, self._clock())
        if changed:
            self._app.save(entry)
            self._forget()
        return changed

    def _forget(self) -> None:
        with self._lock:
            self._cached = None
