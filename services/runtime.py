"""Everything a running API or worker needs, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.client import Client

from domain.rules import Deadlines, VotingRules
from infra import chain
from infra.documents import DocumentStore, document_store
from infra.postgres import Pool, connection_pool, eventsourcing_env
from infra.settings import Settings
from infra.trustee_keys import Custody, load_custody
from services.application import AwardsApplication
from services.directory import Directory
from services.process import Process
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import ProposalSummaries


def deadlines_from(settings: Settings) -> Deadlines:
    return Deadlines(
        cluster_vote_days=settings.cluster_vote_days,
        appraisal_days=settings.appraisal_days,
        council_vote_days=settings.council_vote_days,
    )


EVENTS_TABLE = f"{AwardsApplication.name}_events"


def build_application(database_url: str) -> AwardsApplication:
    return AwardsApplication(env=eventsourcing_env(database_url))


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

    @classmethod
    def build(cls, settings: Settings, database_url: str, client: Client) -> Runtime:
        app = build_application(database_url)
        pool = connection_pool(database_url)
        chain.install(pool, EVENTS_TABLE)
        directory = Directory(pool)
        directory.ensure_schema()
        summaries = ProposalSummaries(pool)
        summaries.ensure_schema()
        process = Process(client, settings.task_queue, deadlines_from(settings), VotingRules())
        return cls(
            settings=settings,
            app=app,
            directory=directory,
            documents=document_store(settings, database_url),
            summaries=summaries,
            follower=LogFollower(pool, app),
            process=process,
            secret=settings.resolved_secret_key(),
            pool=pool,
            custody=load_custody(settings),
        )

    def close(self) -> None:
        self.app.close()
        self.pool.close()
