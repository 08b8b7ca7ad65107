"""Document content storage, addressed by sha256: in PostgreSQL or in a folder, never in events."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

import psycopg

from infra.settings import Settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_document_content (
    sha256 text PRIMARY KEY,
    media_type text NOT NULL,
    size bigint NOT NULL,
    content bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
)
"""


class DocumentStore(Protocol):
    """Content addressed by its sha256 hex digest; storing the same content twice keeps one."""

    def put(self, content: bytes, media_type: str) -> str: ...

    def get(self, sha256: str) -> bytes | None: ...


class PostgresDocumentStore:
    """One row per distinct content in awards_document_content."""

    def __init__(self, url: str) -> None:
        self._url = url
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SCHEMA)

    def put(self, content: bytes, media_type: str) -> str:
        digest = hashlib.sha256(content).hexdigest()
        with psycopg.connect(self._url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO awards_document_content (sha256, media_type, size, content)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
                (digest, media_type, len(content), content),
            )
        return digest

    def get(self, sha256: str) -> bytes | None:
        with psycopg.connect(self._url) as conn:
            row = conn.execute(
                "SELECT content FROM awards_document_content WHERE sha256 = %s", (sha256,)
            ).fetchone()
        return bytes(row[0]) if row else None


class FolderDocumentStore:
    """One file per distinct content, under root/ab/cd/<sha256> so no folder grows huge."""

    def __init__(self, root: Path) -> None:
        self._root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self._root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes, media_type: str) -> str:
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a partial file under the final name.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes | None:
        try:
            return self._path(sha256).read_bytes()
        except (FileNotFoundError, ValueError):
            return None


def document_store(settings: Settings, url: str) -> DocumentStore:
    """The folder store when AWARDS_DOCUMENT_DIR is set, else PostgreSQL at url."""
    if settings.document_dir is not None:
        return FolderDocumentStore(settings.document_dir)
    return PostgresDocumentStore(url)
