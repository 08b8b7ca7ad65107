"""Everything a running API or worker needs, built once from the settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository
from temporalio.client import Client

from infra import chain
from infra.documents import DocumentStore, document_store
from infra.mail import MailServer
from infra.postgres import Pool, connection_pool, eventsourcing_env, schema_lock
from infra.settings import Settings
from infra.trustee_keys import Custody, load_custody
from services.application.award_register import AwardRegister
from services.application.decision_index import DecisionIndex
from services.application.delegations import Delegations
from services.application.directory import Directory
from services.application.holds import Holds
from services.application.organisation import Organisation
from services.application.process import Process
from services.application.process_terms import DeadlineOverrides, ProcessTerms
from services.application.proposals import AwardsApplication
from services.application.public_list import Publications
from services.application.revocations import Revocations
from services.application.rulebook import Rulebook
from services.application.working_calendar import WorkingCalendars
from services.projections.feed import Feed
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import ProposalSummaries


def overrides_from(settings: Settings) -> DeadlineOverrides:
    """The settings' AWARDS_*_DAYS, when set, over the rulebook's deadlines."""
    return DeadlineOverrides(
        cluster_vote_days=settings.cluster_vote_days,
        appraisal_days=settings.appraisal_days,
        council_vote_days=settings.council_vote_days,
        external_outcome_days=settings.external_outcome_days,
    )


EVENTS_TABLE = f"{AwardsApplication.name}_events"


# The worker's steps load their proposal on every step: there a cached aggregate is brought
# up to date with one read of the events after its version instead of a full reload.
# Fast-forward is what keeps several workers correct (a cache never answers an older version
# than the store holds), the copy keeps a refused command from changing the cached aggregate,
# and a concurrent writer still fails save() on the version and is retried on a fresh load.
# Only the worker's steps: what people and auditors read is rebuilt from the stored events,
# so that an event rewritten in the database shows there (the audit's recount relies on it).
# Fixed in code: the environment cannot turn off the parts correctness depends on.
CACHED_AGGREGATES = 1000  # proposals in flight; a proposal of ~30 events is ~50 kB


class CopyingRepository(Repository[UUID]):
    """The library's repository, with a cached aggregate copied while no other thread
    fast-forwards it: the library copies after releasing its fast-forward lock, so a copy
    could catch another thread's half-applied event (or a dict changing size)."""

    _STRIPES = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stripes = [threading.Lock() for _ in range(self._STRIPES)]

    def get(self, aggregate_id: UUID, **kwargs: Any) -> Any:
        if not self.cache or kwargs.get("version") is not None:
            return super().get(aggregate_id, **kwargs)
        with self._stripes[hash(aggregate_id) % self._STRIPES]:
            return super().get(aggregate_id, **kwargs)


class CachingApplication(AwardsApplication):
    """The application as the worker's steps run it, with aggregates cached."""

    name = AwardsApplication.name  # the events' table is named after it

    def construct_repository(self) -> Repository[UUID]:
        plain = super().construct_repository()
        return CopyingRepository(
            event_store=plain.event_store,
            snapshot_store=plain.snapshot_store,
            cache_maxsize=CACHED_AGGREGATES,
            fastforward=True,
            fastforward_skipping=False,
            deepcopy_from_cache=True,
        )


def _application(database_url: str, cached: bool = False) -> AwardsApplication:
    """The application, its tables not created yet (that happens under the schema lock)."""
    env = {**eventsourcing_env(database_url), "CREATE_TABLE": "n"}
    # The library reads os.environ too, preferring AWARDS_-prefixed names: give every setting
    # under both spellings so the URL alone decides where the events go.
    prefix = f"{AwardsApplication.name.upper()}_"
    kind = CachingApplication if cached else AwardsApplication
    return kind(env={**env, **{prefix + key: value for key, value in env.items()}})


def _create_event_tables(app: AwardsApplication) -> None:
    # The library's own CREATE TABLE/FUNCTION statements, which it would run unlocked.
    for store in (app.events, app.snapshots):
        if store is not None:
            store.recorder.create_table()  # type: ignore[attr-defined]


def build_application(database_url: str, cached: bool = False) -> AwardsApplication:
    """The application with its event store tables created (under the schema lock)."""
    app = _application(database_url, cached)
    with schema_lock(database_url):
        _create_event_tables(app)
    return app


@dataclass
class Runtime:
    settings: Settings
    app: AwardsApplication
    steps_app: AwardsApplication  # the same store, proposals cached: for the worker's steps
    directory: Directory
    organisation: Organisation
    documents: DocumentStore
    summaries: ProposalSummaries
    follower: LogFollower
    process: Process
    secret: bytes
    pool: Pool
    custody: Custody
    revocations: Revocations
    feed: Feed
    rulebook: Rulebook
    calendars: WorkingCalendars

    register: AwardRegister
    holds: Holds
    publications: Publications  # --- publish ---
    # --- decide ---
    decisions: DecisionIndex
    delegations: Delegations

    @classmethod
    def build(cls, settings: Settings, database_url: str, client: Client) -> Runtime:
        app = _application(database_url)
        pool = connection_pool(database_url)
        organisation = Organisation(app, pool)
        directory = Directory(organisation)
        summaries = ProposalSummaries(pool)
        revocations = Revocations(pool)
        feed = Feed(pool, app, directory, MailServer.from_settings(settings))
        rulebook = Rulebook(app)
        calendars = WorkingCalendars(app)

        register, holds = AwardRegister(pool, app), Holds(pool, app)
        publications = Publications(pool)
        decisions = DecisionIndex(pool)  # --- decide ---
        # --- Start-up schema work: ALL of it goes inside this one block. ---
        # Any number of processes may start together: they take turns here, so no two run
        # CREATE/ALTER/trigger statements at once (bug: "tuple concurrently updated").
        with schema_lock(database_url):
            _create_event_tables(app)
            # The document store creates its table when it is built (PostgreSQL storage).
            documents = document_store(settings, database_url)
            chain.install(pool, EVENTS_TABLE)
            organisation.ensure_schema()
            summaries.ensure_schema()
            revocations.ensure_schema()
            feed.ensure_schema()  # after the list's: it shares its position table
            rulebook.ensure_defaults()  # the shipped versions, once (events, so chain first)

            register.ensure_schema()
            holds.ensure_schema()
            publications.ensure_schema()
            decisions.ensure_schema()  # --- decide ---
        # --- End of start-up schema work. ---
        organisation.catch_up()  # rows a stopped process left behind its events
        # After the schema work: its recorder looks up the event store's types when it connects.
        steps_app = _application(database_url, cached=True)
        terms = ProcessTerms(rulebook, calendars, overrides_from(settings))
        process = Process(client, settings.task_queue, terms)
        return cls(
            settings=settings,
            app=app,
            steps_app=steps_app,
            directory=directory,
            organisation=organisation,
            documents=documents,
            summaries=summaries,
            follower=LogFollower(pool, app),
            process=process,
            secret=settings.resolved_secret_key(),
            pool=pool,
            custody=load_custody(settings),
            revocations=revocations,
            feed=feed,
            rulebook=rulebook,
            calendars=calendars,
            register=register,
            holds=holds,
            publications=publications,
            decisions=decisions,
            delegations=Delegations(app),
        )

    def close(self) -> None:
        self.app.close()
        self.steps_app.close()
        self.pool.close()
