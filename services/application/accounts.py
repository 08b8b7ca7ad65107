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
class Accounts:
    directory: Directory
    revocations: Revocations


@contextmanager
def opened_accounts(database_url: str) -> Iterator[Accounts]:
    """Both tables created under the schema lock (other processes may be starting); an empty
    directory gets the demo data (the serving commands refresh it)."""
    pool = connection_pool(database_url, max_size=1)
    try:
        accounts = Accounts(Directory(pool), Revocations(pool))
        with schema_lock(database_url):
            accounts.directory.ensure_schema()
            accounts.revocations.ensure_schema()
            if not accounts.directory.has_users():
                seed(accounts.directory)
        yield accounts
    finally:
        pool.close()
