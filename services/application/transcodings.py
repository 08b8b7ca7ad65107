"""How the proposal's value objects are kept in snapshots: as the plain data they stand for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.proposal.appraisal import Appraisal
from domain.proposal.complaints import Complaint
from domain.proposal.decision import Decision
from domain.proposal.dossier import Dossier, Return
from domain.proposal.forwarding import ExternalOutcome, Forwarding, RecordRef
from domain.proposal.nominee import Nominee
from domain.proposal.publication import Publication, Recovery, Revocation
from domain.voting.vote import SessionResult, Vote


class _Plain(Protocol):
    def to_json(self) -> dict[str, Any]: ...


class PlainDataTranscoding(Transcoding):
    """A value object as its ``to_json()`` data, rebuilt by its ``from_json()``. Events never
    hold these (they keep plain data), so the names below appear in snapshots only: a snapshot
    can always be dropped and taken again, a stored event cannot."""

    def __init__(
        self, name: str, kind: type[_Plain], build: Callable[[Mapping[str, Any]], Any]
    ) -> None:
        self.name = name
        self.type = kind
        self._build = build

    def encode(self, obj: _Plain) -> dict[str, Any]:
        return obj.to_json()

    def decode(self, data: Mapping[str, Any]) -> Any:
        return self._build(data)


VALUE_OBJECTS: tuple[tuple[str, type[Any]], ...] = (
    ("awards.nominee", Nominee),
    ("awards.dossier", Dossier),
    ("awards.vote", Vote),
    ("awards.appraisal", Appraisal),
    ("awards.return", Return),
    ("awards.decision", Decision),
    ("awards.record_ref", RecordRef),
    ("awards.forwarding", Forwarding),
    ("awards.external_outcome", ExternalOutcome),
    # --- publish ---
    ("awards.publication", Publication),
    ("awards.revocation", Revocation),
    ("awards.recovery", Recovery),
    ("awards.complaint", Complaint),
    ("awards.session_result", SessionResult),
)


def register_value_objects(transcoder: JSONTranscoder) -> None:
    for name, kind in VALUE_OBJECTS:
        transcoder.register(PlainDataTranscoding(name, kind, kind.from_json))
