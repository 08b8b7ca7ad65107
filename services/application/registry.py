"""The directory (the organisation years) and the token revocation list, opened by a command
run outside the service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from infra.postgres import connection_pool, schema_lock
from services.application.directory import Directory
from services.application.organisation import Organisation
from services.application.revocations import Revocations
from services.application.seed import seed
from services.runtime import build_application


@dataclass(frozen=True)
class Registry:
    directory: Directory
    revocations: Revocations


@contextmanager
def opened_registry(database_url: str) -> Iterator[Registry]:
    """Both tables created under the schema lock (other processes may be starting); an empty
    directory gets the demo data (the serving commands refresh it)."""
    app = build_application(database_url)  # the organisation's events
    pool = connection_pool(database_url, max_size=1)
    try:
        registry = Registry(Directory(Organisation(app, pool)), Revocations(pool))
        with schema_lock(database_url):
            registry.directory.ensure_schema()
            registry.revocations.ensure_schema()
        if not registry.directory.has_users():
            seed(registry.directory)
        yield registry
    finally:
        pool.close()
        app.close()


@contextmanager
def opened_organisation(database_url: str) -> Iterator[Organisation]:
    """The organisation years with their tables, for a command run outside the service."""
    app = build_application(database_url)
    pool = connection_pool(database_url, max_size=2)
    try:
        organisation = Organisation(app, pool)
        with schema_lock(database_url):
            organisation.ensure_schema()
        yield organisation
    finally:
        pool.close()
        app.close()
