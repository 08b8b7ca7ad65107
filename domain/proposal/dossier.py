"""The dossier: its documents by version, what the form still requires, and its returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from domain.kernel.errors import InvalidInput

_REQUIRED_TEXT = ("name", "media_type", "sha256", "kind")


@dataclass(frozen=True)
class Document:
    """One file of the dossier, known by its content's hash; the content is stored apart."""

    name: str
    media_type: str
    sha256: str
    size: int
    kind: str
    dossier_version: int

    @classmethod
    def of(cls, data: Mapping[str, Any], dossier_version: int) -> Document:
        """A document as a proposer attaches it to the current dossier version."""
        for field in _REQUIRED_TEXT:
            if not str(data.get(field, "")).strip():
                raise InvalidInput("document.{field} is required", field=field)
        size = data.get("size", 0)
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise InvalidInput("an empty document cannot be attached")
        text = {field: str(data[field]) for field in _REQUIRED_TEXT}
        return cls(**text, size=size, dossier_version=dossier_version)

    def to_json(self) -> dict[str, Any]:
        """As recorded in DocumentAttached events and shown to clients."""
        return {
            "name": self.name,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "size": self.size,
            "kind": self.kind,
            "dossier_version": self.dossier_version,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Document:
        return cls(
            name=str(data["name"]),
            media_type=str(data["media_type"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            kind=str(data["kind"]),
            dossier_version=int(data["dossier_version"]),
        )


@dataclass(frozen=True)
class Dossier:
    """Every document attached so far; a return for supplements opens the next version."""

    required: tuple[str, ...]
    version: int = 1
    documents: tuple[Document, ...] = ()

    @property
    def current(self) -> list[Document]:
        """The documents attached to the version being prepared or appraised."""
        return [d for d in self.documents if d.dossier_version == self.version]

    @property
    def missing(self) -> list[str]:
        """The kinds the award form requires that no version of the dossier holds."""
        present = {d.kind for d in self.documents}
        return [kind for kind in self.required if kind not in present]

    @property
    def hashes(self) -> list[str]:
        """The current version's documents by hash: what a submission or appraisal vouches for."""
        return [d.sha256 for d in self.current]

    def find(self, sha256: str, kind: str | None = None) -> list[Document]:
        """The documents, of any version, with that content (and of that kind, if given)."""
        return [d for d in self.documents if d.sha256 == sha256 and kind in (None, d.kind)]

    def with_document(self, document: Document) -> Dossier:
        return replace(self, documents=(*self.documents, document))

    def next_version(self, returned: int) -> Dossier:
        return replace(self, version=returned + 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "required": list(self.required),
            "version": self.version,
            "documents": [d.to_json() for d in self.documents],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Dossier:
        return cls(
            required=tuple(data["required"]),
            version=int(data["version"]),
            documents=tuple(Document.from_json(d) for d in data["documents"]),
        )


@dataclass(frozen=True)
class Return:
    """A dossier returned for supplements: why, which version, by whom."""

    reason: str
    dossier_version: int
    by: str

    def to_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "dossier_version": self.dossier_version, "by": self.by}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Return:
        return cls(str(data["reason"]), int(data["dossier_version"]), str(data["by"]))
