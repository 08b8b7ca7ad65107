"""The rulebook and the working calendar opened by an admin's command run outside the service,
and who that admin is: a named directory user with the admin role, or the operating-system
account that runs the command (which can reach the database, so already holds the store)."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError
from infra import chain
from infra.postgres import connection_pool, schema_lock
from services.application.directory import Directory
from services.application.organisation import Organisation
from services.application.rulebook import Rulebook
from services.application.working_calendar import WorkingCalendars
from services.runtime import EVENTS_TABLE, build_application


class NotAnAdmin(DomainError):
    code = "forbidden"


@dataclass(frozen=True)
class RulesAdmin:
    rulebook: Rulebook
    calendars: WorkingCalendars
    directory: Directory

    def actor(self, username: str | None) -> Actor:
        """The admin who acts: ``username`` must hold the admin role in the directory."""
        if username is None:
            return Actor(getpass.getuser(), Role.ADMIN)
        user = self.directory.user(username)
        if user is None or not user.has(Role.ADMIN):
            raise NotAnAdmin("{username} is not an admin", username=username)
        return Actor(username, Role.ADMIN)


@contextmanager
def opened_rules(database_url: str) -> Iterator[RulesAdmin]:
    """The store as the service has it (tables and chain made under the schema lock, the
    shipped versions stored), for one command."""
    app = build_application(database_url)
    pool = connection_pool(database_url, max_size=2)
    try:
        admin = RulesAdmin(Rulebook(app), WorkingCalendars(app), Directory(Organisation(app, pool)))
        with schema_lock(database_url):
            chain.install(pool, EVENTS_TABLE)
            admin.directory.ensure_schema()
            admin.rulebook.ensure_defaults()
        yield admin
    finally:
        app.close()
        pool.close()
