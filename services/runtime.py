"""Everything a running API or worker needs, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.client import Client

from domain.proposal.rules import Deadlines, VotingRules
from infra import chain
from infra.documents import DocumentStore, document_store
from infra.mail import MailServer
from infra.postgres import Pool, connection_pool, eventsourcing_env, schema_lock
from infra.settings import Settings
from infra.trustee_keys import Custody, load_custody
from services.application.directory import Directory
from services.application.process import Process
from services.application.proposals import AwardsApplication
from services.application.revocations import Revocations
from services.projections.feed import Feed
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import ProposalSummaries


def deadlines_from(settings: Settings) -> Deadlines:
    return Deadlines(
        cluster_vote_days=settings.cluster_vote_days,
        appraisal_days=settings.appraisal_days,
        council_vote_days=settings.council_vote_days,
    )


EVENTS_TABLE = f"{AwardsApplication.name}_events"


def _application(database_url: str) -> AwardsApplication:
    """The application, its tables not created yet (that happens under the schema lock)."""
    env = {**eventsourcing_env(database_url), "CREATE_TABLE": "n"}
    # The library reads os.environ too, preferring AWARDS_-prefixed names: give every setting
    # under both spellings so the URL alone decides where the events go.
    prefix = f"{AwardsApplication.name.upper()}_"
    return AwardsApplication(env={**env, **{prefix + key: value for key, value in env.items()}})


def _create_event_tables(app: AwardsApplication) -> None:
    # The library's own CREATE TABLE/FUNCTION statements, which it would run unlocked.
    for store in (app.events, app.snapshots):
        if store is not None:
            store.recorder.create_table()  # type: ignore[attr-defined]


def build_application(database_url: str) -> AwardsApplication:
    """The application with its event store tables created (under the schema lock)."""
    app = _application(database_url)
    with schema_lock(database_url):
        _create_event_tables(app)
    return app


@dataclass
class Runtime:
    settings: Settings
    app: AwardsApplication
    directory: Directory
    documents: DocumentStore
    summaries: ProposalSummaries
    follower: LogFollower
    process: Process
    secret: bytes
    pool: Pool
    custody: Custody
    revocations: Revocations
    feed: Feed

    @classmethod
    def build(cls, settings: Settings, database_url: str, client: Client) -> Runtime:
        app = _application(database_url)
        pool = connection_pool(database_url)
        directory = Directory(pool)
        summaries = ProposalSummaries(pool)
        revocations = Revocations(pool)
        feed = Feed(pool, app, directory, MailServer.from_settings(settings))
        # --- Start-up schema work: ALL of it goes inside this one block. ---
        # Any number of processes may start together: they take turns here, so no two run
        # CREATE/ALTER/trigger statements at once (bug: "tuple concurrently updated").
        with schema_lock(database_url):
            _create_event_tables(app)
            # The document store creates its table when it is built (PostgreSQL storage).
            documents = document_store(settings, database_url)
            chain.install(pool, EVENTS_TABLE)
            directory.ensure_schema()
            summaries.ensure_schema()
            revocations.ensure_schema()
            feed.ensure_schema()  # after the list's: it shares its position table
        # --- End of start-up schema work. ---
        process = Process(client, settings.task_queue, deadlines_from(settings), VotingRules())
        return cls(
            settings=settings,
            app=app,
            directory=directory,
            documents=documents,
            summaries=summaries,
            follower=LogFollower(pool, app),
            process=process,
            secret=settings.resolved_secret_key(),
            pool=pool,
            custody=load_custody(settings),
            revocations=revocations,
            feed=feed,
        )

    def close(self) -> None:
        self.app.close()
        self.pool.close()
