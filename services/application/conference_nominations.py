"""Proposals the cluster's year-end conference voted (a Flag): created already past the cluster
vote, with the conference's records in the dossier, their process starting at the appraisal."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError
from domain.proposal.forwarding import RecordRef
from services.application.eligibility import Nomination, check_nomination
from services.application.proposals import Conference
from services.runtime import Runtime

__all__ = ["ConferenceNomination", "RecordRef", "nominate_from_conference"]


@dataclass(frozen=True)
class ConferenceNomination:
    conference_id: str
    form: str
    year: int
    cluster: str
    proposing_unit: str
    nominee: Mapping[str, str]
    title: str
    summary: str
    records: tuple[RecordRef, ...]  # kinds review_minutes and ballot_count
    rulebook_version: str


def conference_proposal_id(key: str) -> UUID:
    """The same conference result sent again with the same key names the same proposal."""
    return uuid5(NAMESPACE_URL, f"urn:awards:conference-nomination:{key}")


def record_documents(
    runtime: Runtime, records: tuple[RecordRef, ...]
) -> tuple[dict[str, Any], ...]:
    """Each record as a dossier document; its content must be in the document store already."""
    documents = []
    for record in records:
        content = runtime.documents.get(record.sha256)
        if content is None:
            raise DomainError(
                "the conference record {kind} ({sha256}) is not in the document store",
                kind=record.kind,
                sha256=record.sha256,
            )
        documents.append(
            {
                "name": f"{record.document_id}.pdf",
                "media_type": "application/pdf",
                "sha256": record.sha256,
                "size": len(content),
                "kind": record.kind,
            }
        )
    return tuple(documents)


async def nominate_from_conference(
    runtime: Runtime, nomination: ConferenceNomination, actor: Actor, key: str
) -> UUID:
    """Create the proposal in state cluster_approved and start its process from the appraisal.
    Idempotent on ``key``: a repeat creates nothing and (re)starts nothing new."""
    version = await asyncio.to_thread(runtime.rulebook.version, nomination.rulebook_version)
    form = version.form(nomination.form)
    proposal_id = conference_proposal_id(key)
    await check_nomination(
        runtime,
        Nomination(
            nomination.form,
            nomination.year,
            nomination.cluster,
            nomination.proposing_unit,
            nomination.nominee,
            nomination.title,
            str(proposal_id),
        ),
    )
    documents = await asyncio.to_thread(record_documents, runtime, nomination.records)
    conference = Conference(nomination.conference_id, nomination.records, documents)
    proposal, _ = await asyncio.to_thread(
        lambda: runtime.app.nominate(
            proposal_id=proposal_id,
            form=form,
            year=nomination.year,
            proposing_unit=nomination.proposing_unit,
            cluster=nomination.cluster,
            nominee=dict(nomination.nominee),
            title=nomination.title,
            summary=nomination.summary,
            actor=actor,
            key=f"conference:{key}",
            rulebook_version=nomination.rulebook_version,
            conference=conference,
        )
    )
    # A workflow already started under this id is kept (USE_EXISTING): a retry is harmless.
    await runtime.process.start_for(proposal)
    return proposal.id
