"""Signed seals of the event log: taken into the seals table and a folder of seal files, and
read back with their signatures checked."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from infra.chain import EVENTS_TABLE, SEALS_TABLE, ChainNotInstalled
from infra.postgres import Pool
from infra.signing import SealFileError, public_key_of, read_seal, sign_seal

_SEAL_LOCK = 7210303
_HEAD = """
SELECT notification_id, log_hash,
       (SELECT count(*) FROM {events} WHERE notification_id <= h.notification_id) AS events
  FROM {events} AS h WHERE log_hash IS NOT NULL ORDER BY notification_id DESC LIMIT 1
"""


class SealRefused(Exception):
    """A seal whose signature does not verify, or that another key signed."""


@dataclass(frozen=True)
class Seal:
    """A signed seal: the log hash at notification id ``up_to``, over ``events`` events."""

    up_to: int
    log_hash: bytes
    events: int
    sealed_at: datetime
    document: dict[str, Any]
    source: str  # the seal file it was read from, or the seals table

    @classmethod
    def read(cls, document: dict[str, Any], trusted_key: bytes, source: str) -> Seal:
        try:
            body = read_seal(document, trusted_key)
            return cls(
                up_to=int(body["up_to"]),
                log_hash=bytes.fromhex(body["log_hash"]),
                events=int(body["events"]),
                sealed_at=datetime.fromisoformat(body["sealed_at"]),
                document=document,
                source=source,
            )
        except (SealFileError, KeyError, TypeError, ValueError) as error:
            raise SealRefused(f"{source}: {error}") from None


def _take(
    pool: Pool, events_table: str, signing_key: bytes, only_if_grown: bool
) -> dict[str, Any] | None:
    seals = sql.Identifier(SEALS_TABLE)
    with pool.connection() as conn, conn.transaction():
        # Sealers on several workers take turns, so "has the log grown?" is answered once.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SEAL_LOCK,))
        try:
            head = conn.execute(
                sql.SQL(_HEAD).format(events=sql.Identifier(events_table))
            ).fetchone()
        except psycopg.errors.UndefinedColumn:
            raise ChainNotInstalled(events_table) from None
        if head is None:
            return None
        if only_if_grown:
            last = conn.execute(sql.SQL("SELECT max(up_to) AS up_to FROM {}").format(seals))
            newest = last.fetchone()
            if newest is not None and (newest["up_to"] or 0) >= head["notification_id"]:
                return None
        row = conn.execute(
            sql.SQL(
                "INSERT INTO {} (up_to, log_hash, events) VALUES (%s, %s, %s)"
                " ON CONFLICT (up_to) DO UPDATE SET up_to = excluded.up_to"
                " RETURNING up_to, log_hash, events, sealed_at, signed"
            ).format(seals),
            (head["notification_id"], head["log_hash"], head["events"]),
        ).fetchone()
        assert row is not None
        if row["signed"] is not None:
            return dict(row["signed"])
        signed = sign_seal(
            {
                "up_to": int(row["up_to"]),
                "log_hash": bytes(row["log_hash"]).hex(),
                "events": int(row["events"]),
                "sealed_at": row["sealed_at"].isoformat(),
            },
            signing_key,
        )
        conn.execute(
            sql.SQL("UPDATE {} SET signed = %s WHERE up_to = %s").format(seals),
            (Jsonb(signed), row["up_to"]),
        )
    return signed


def take(
    pool: Pool,
    signing_key: bytes,
    folder: Path,
    only_if_grown: bool = False,
    events_table: str = EVENTS_TABLE,
) -> Seal | None:
    """Seal the log at its newest chained event: signed, kept in the seals table and written to
    ``folder``. None when the log is empty or, with ``only_if_grown``, when nothing was chained
    since the newest seal. Sealing again without new events answers the same seal."""
    document = _take(pool, events_table, signing_key, only_if_grown)
    if document is None:
        return None
    path = write_file(folder, document)
    return Seal.read(document, public_key_of(signing_key), str(path))


def write_file(folder: Path, document: dict[str, Any]) -> Path:
    """Add a seal file to the folder; one that is already there is never rewritten."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"seal-{int(document['up_to']):015d}.json"
    if path.exists():
        return path
    # Written whole under a temporary name, then linked into place: a reader never sees half a
    # file, and two sealers writing the same seal leave one.
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".seal-")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    return path


def read_file(path: Path, trusted_key: bytes) -> Seal:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise SealRefused(f"{path}: {error}") from None
    if not isinstance(document, dict):
        raise SealRefused(f"{path}: not an awards seal file")
    return Seal.read(document, trusted_key, str(path))


def from_folder(folder: Path, trusted_key: bytes) -> list[Seal]:
    """Every seal file in the folder, oldest first; one that does not verify is refused."""
    if not folder.is_dir():
        return []
    return [read_file(path, trusted_key) for path in sorted(folder.glob("seal-*.json"))]


def from_table(pool: Pool, trusted_key: bytes) -> list[Seal]:
    """The signed seals kept in the seals table, oldest first; a forged one is refused."""
    with pool.connection() as conn:
        rows = conn.execute(
            sql.SQL("SELECT up_to, signed FROM {} WHERE signed IS NOT NULL ORDER BY up_to").format(
                sql.Identifier(SEALS_TABLE)
            )
        ).fetchall()
    return [
        Seal.read(dict(row["signed"]), trusted_key, f"{SEALS_TABLE} up_to={row['up_to']}")
        for row in rows
    ]
