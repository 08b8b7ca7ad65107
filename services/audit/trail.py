"""The audit trail as use cases for every entry point: a proposal's record and its exports, its
state as of a moment, verifying the log against its seals, and sealing it now."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.proposal.aggregate import Proposal
from infra import seals
from infra.chain import ChainNotInstalled as ChainNotInstalled
from infra.postgres import Pool, connection_pool
from infra.seals import Seal
from infra.seals import SealRefused as SealRefused
from infra.settings import Settings
from services.application.directory import Directory
from services.application.organisation import Organisation
from services.application.proposals import AwardsApplication
from services.audit import integrity, record_pdf
from services.audit import record as audit_record
from services.audit.event_descriptions import DirectoryPeople
from services.audit.integrity import IntegrityCheck
from services.i18n.labels import Lang
from services.runtime import EVENTS_TABLE, build_application

if TYPE_CHECKING:
    from services.runtime import Runtime


@dataclass(frozen=True)
class Export:
    """A record as a file: its bytes, media type and a file name."""

    content: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class AuditTrail:
    """What an auditor reads and checks; every read is of stored data and no secret."""

    settings: Settings
    app: AwardsApplication
    pool: Pool

    @classmethod
    def of(cls, runtime: Runtime) -> AuditTrail:
        return cls(runtime.settings, runtime.app, runtime.pool)

    @classmethod
    @contextmanager
    def opened(cls, settings: Settings, database_url: str) -> Iterator[AuditTrail]:
        """A trail of its own, for a command run outside the service."""
        app = build_application(database_url)
        pool = connection_pool(database_url, max_size=2)
        try:
            yield cls(settings, app, pool)
        finally:
            app.close()
            pool.close()

    def record(self, proposal_id: UUID) -> dict[str, Any]:
        """Every event in words with the state it left, the decision, the chain of the
        proposal's stream and each vote recounted. Raises ProposalNotFound."""
        people = DirectoryPeople(Directory(Organisation(self.app, self.pool)))
        return audit_record.record(self.app, self.pool, EVENTS_TABLE, proposal_id, people)

    def as_of(self, proposal_id: UUID, moment: datetime) -> Proposal:
        """The proposal as it was at that moment. Raises ProposalNotFound."""
        return self.app.proposal(proposal_id, as_of=moment)

    def events(self) -> int:
        """How many events the store holds (for a progress bar)."""
        with self.pool.connection() as conn:
            row = conn.execute(f"SELECT count(*) AS n FROM {EVENTS_TABLE}").fetchone()
        return int(row["n"]) if row else 0

    def verify(
        self,
        proposal: UUID | None = None,
        seal_file: Path | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> IntegrityCheck:
        """The whole log (or one proposal's stream) against its chain and every signed seal.
        Raises SealRefused for a seal that does not verify, ChainNotInstalled on a store the
        service never started on."""
        return integrity.check(
            self.pool,
            self.settings,
            proposal,
            seal_file,
            progress=progress,
            events_table=EVENTS_TABLE,
        )

    def seal(self) -> Seal | None:
        """Seal the log as it is now (signed, in the seals table and the seal folder); None
        when the log is empty."""
        return seals.take(
            self.pool, self.settings.resolved_signing_key(), self.settings.resolved_seal_dir()
        )

    def export(self, record: dict[str, Any], file_format: str, lang: Lang) -> Export:
        """The record as a JSON file (raw data and words in both languages) or a PDF in the
        reader's language. Raises record_pdf.FontMissing when the configured font is not."""
        name = f"proposal-{record['proposal_id']}"
        if file_format == "pdf":
            font = record_pdf.find_font(self.settings.pdf_font)
            return Export(record_pdf.render(record, font, lang), "application/pdf", f"{name}.pdf")
        body = record_json({**record, "language": lang})
        return Export(body.encode(), "application/json", f"{name}.json")


def record_json(record: dict[str, Any]) -> str:
    """A record as JSON text: times as ISO-8601, Vietnamese as itself."""
    return json.dumps(record, default=str, ensure_ascii=False, indent=2)
