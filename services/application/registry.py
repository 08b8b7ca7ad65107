"""The directory and the token revocation list, opened by a command run outside the service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from infra.postgres import connection_pool, schema_lock
from services.application.directory import Directory
from services.application.revocations import Revocations
from services.application.seed import seed


@dataclass(frozen=True)
class Registry:
    directory: Directory
    revocations: Revocations


@contextmanager
def opened_registry(database_url: str) -> Iterator[Registry]:
    """Both tables created under the schema lock (other processes may be starting); an empty
    directory gets the demo data (the serving commands refresh it)."""
    pool = connection_pool(database_url, max_size=1)
    try:
        registry = Registry(Directory(pool), Revocations(pool))
        with schema_lock(database_url):
            registry.directory.ensure_schema()
            registry.revocations.ensure_schema()
            if not registry.directory.has_users():
                seed(registry.directory)
        yield registry
    finally:
        pool.close()
