"""Settings from the environment (prefix AWARDS_), with the defaults of a local run."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import tempfile
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def kept_secret(path: Path, make: str) -> str:
    """A secret generated once and kept in the data folder, readable by its owner only."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under a temporary name, then linked into place: two processes starting
    # together agree on one secret, and neither can read a half-written file.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(make)
        os.link(temporary, path)
    except FileExistsError:
        return path.read_text().strip()
    finally:
        os.unlink(temporary)
    return make


class Settings(BaseSettings):
    """Everything a process reads from its environment; unset means a local embedded run."""

    model_config = SettingsConfigDict(env_prefix="AWARDS_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/db; unset: an embedded PostgreSQL"
        " under data_dir/postgres",
    )
    temporal_address: str | None = Field(
        default=None, description="host:port of Temporal; unset: a local dev server"
    )
    temporal_namespace: str = Field(default="default", description="Temporal namespace")
    task_queue: str = Field(default="awards", description="Temporal task queue")
    data_dir: Path = Field(default=Path(".awards"), description="local data and generated keys")
    api_host: str = Field(default="127.0.0.1", description="API listen address")
    api_port: int = Field(default=8000, ge=1, le=65535, description="API port")
    temporal_port: int = Field(
        default=7233, ge=1, le=65535, description="gRPC port of the embedded dev server"
    )
    temporal_ui_port: int = Field(
        default=8233, ge=1, le=65535, description="web UI port of the embedded dev server"
    )
    secret_key: str | None = Field(
        default=None,
        description="HMAC key for bearer tokens; unset: generated once in data_dir/secret_key",
    )
    token_ttl_hours: int = Field(
        default=8, gt=0, le=8784, description="bearer token lifetime in hours (8: a working day)"
    )
    secure_cookies: bool | None = Field(
        default=None, description="pages' cookies Secure; unset: when served over https"
    )
    # Deadlines come from the rulebook version a proposal was lodged under (working days);
    # these, when set, replace them in calendar days (fractions allowed: tests and drills).
    cluster_vote_days: float | None = Field(
        default=None, gt=0, description="cluster vote deadline in days; unset: the rulebook's"
    )
    appraisal_days: float | None = Field(
        default=None, gt=0, description="appraisal deadline in days; unset: the rulebook's"
    )
    council_vote_days: float | None = Field(
        default=None, gt=0, description="council vote deadline in days; unset: the rulebook's"
    )
    external_outcome_days: float | None = Field(
        default=None,
        gt=0,
        description="reminder when a state body's outcome is this late, in days; unset: the"
        " rulebook's",
    )
    document_max_bytes: int = Field(default=20 * 1024 * 1024, gt=0, description="upload limit")
    document_dir: Path | None = Field(
        default=None, description="folder for document content; unset: kept in PostgreSQL"
    )
    payload_keys: str | None = Field(
        default=None,
        description="keyid:base64key,...; the first encrypts Temporal payloads, all decrypt;"
        " unset: one key generated once in data_dir/payload_keys",
    )
    log_level: str = Field(default="INFO", description="log level")
    pdf_font: Path | None = Field(
        default=None,
        description="TTF with Vietnamese glyphs for PDF exports; unset: the bundled DejaVu Sans",
    )
    election_key: Path | None = Field(
        default=None,
        description="public election key from `awards trustees ceremony`; unset: a development"
        " key generated once in data_dir/election_key.json, which the service holds whole",
    )
    trustee_shares: str | None = Field(
        default=None,
        description="comma-separated key-share files the service holds and uses to open counts"
        " itself; unset: every share is held by the trustees",
    )
    audit_signing_key: str | None = Field(
        default=None, description="base64 Ed25519 private key that signs exported seals"
    )
    # Seals of the audit log (services/sealer.py, infra/seals.py).
    seal_interval_seconds: float = Field(
        default=300,
        ge=0,
        le=86_400 * 7,
        description="how often the worker seals the log when it has grown; 0 turns sealing off",
    )
    seal_dir: Path | None = Field(
        default=None,
        description="folder of signed seal files, kept outside the database; unset: data_dir/seals",
    )

    # Notification e-mail (infra/mail.py): off while smtp_host is unset.
    smtp_host: str | None = Field(
        default=None, description="SMTP server for notification e-mail; unset: no e-mail"
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP port")
    smtp_from: str = Field(
        default="awards@localhost", description="the From address of notification e-mail"
    )
    smtp_username: str | None = Field(default=None, description="SMTP login, if the server asks")
    smtp_password: str | None = Field(default=None, description="SMTP password (never logged)")
    smtp_starttls: bool = Field(default=False, description="upgrade the SMTP link with STARTTLS")

    def resolved_seal_dir(self) -> Path:
        return self.seal_dir or self.data_dir / "seals"

    def resolved_secret_key(self) -> bytes:
        if self.secret_key:
            return self.secret_key.encode()
        return kept_secret(self.data_dir / "secret_key", secrets.token_urlsafe(48)).encode()

    def resolved_signing_key(self) -> bytes:
        fresh = base64.b64encode(secrets.token_bytes(32)).decode()
        text = self.audit_signing_key or kept_secret(self.data_dir / "audit_signing_key", fresh)
        key = _decode_base64(text, "AWARDS_AUDIT_SIGNING_KEY")
        if len(key) != 32:
            raise ValueError("AWARDS_AUDIT_SIGNING_KEY must be 32 bytes, base64")
        return key

    def resolved_payload_keys(self) -> list[tuple[str, bytes]]:
        text = self.payload_keys
        if not text:
            fresh = base64.b64encode(secrets.token_bytes(32)).decode()
            text = kept_secret(self.data_dir / "payload_keys", f"k1:{fresh}")
        return parse_payload_keys(text)


def _decode_base64(text: str, what: str) -> bytes:
    try:
        # Strict, so a mistyped character is an error instead of a silently different key.
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"{what} is not valid base64") from error


def parse_payload_keys(text: str) -> list[tuple[str, bytes]]:
    keys: list[tuple[str, bytes]] = []
    for entry in text.split(","):
        key_id, sep, encoded = entry.strip().partition(":")
        if not sep or not key_id:
            raise ValueError("AWARDS_PAYLOAD_KEYS entries are keyid:base64key")
        if any(key_id == known for known, _ in keys):
            raise ValueError(f"payload key id {key_id} appears twice in AWARDS_PAYLOAD_KEYS")
        key = _decode_base64(encoded.strip(), f"payload key {key_id}")
        if len(key) != 32:
            raise ValueError(f"payload key {key_id} must be 32 bytes (AES-256)")
        keys.append((key_id, key))
    return keys
