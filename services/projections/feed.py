"""The notification feed: what changed on each person's proposals, from the event log, newest
first; and the e-mail that tells them, sent by the worker when an SMTP server is configured."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Notification

from domain.cluster_year.aggregate import ClusterYear
from infra.mail import Mail, MailServer
from infra.postgres import Pool
from services.application.directory import Directory, User
from services.application.proposals import AwardsApplication, describe_event
from services.audit.event_descriptions import DirectoryPeople, EventFacts, describe
from services.projections.log_follower import Connection, LogFollower, _record_failure
from services.projections.own_thread import run_in_own_thread
from services.projections.proposal_rows import storable
from services.projections.year_feed import ESCALATION, REMINDER, year_kind, year_row

log = logging.getLogger(__name__)

NAME = "feed"
_LOCK = 7_210_304  # one writer (and one mailer) of the feed at a time, across processes
_BATCH = 500
_PROPOSAL_TOPIC = ":Proposal."

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_feed (
    notification_id bigint PRIMARY KEY,
    proposal_id uuid NOT NULL,
    kind text NOT NULL,
    stage text NOT NULL,
    occurred_at timestamptz NOT NULL,
    title text NOT NULL,
    proposing_unit text NOT NULL,
    cluster text NOT NULL,
    text_vi text NOT NULL,
    text_en text NOT NULL,
    mailed boolean NOT NULL DEFAULT false
);
-- A cluster year's deadlines: the row is the year's (proposal_id holds the year's id) and
-- names the member units of that year.
ALTER TABLE awards_feed ADD COLUMN IF NOT EXISTS subject text NOT NULL DEFAULT 'proposal';
ALTER TABLE awards_feed ADD COLUMN IF NOT EXISTS units text[] NOT NULL DEFAULT '{}';
CREATE INDEX IF NOT EXISTS awards_feed_unmailed ON awards_feed (notification_id) WHERE NOT mailed;
-- Who each proposal belongs to: only its first event says so.
CREATE TABLE IF NOT EXISTS awards_feed_proposals (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    proposing_unit text NOT NULL,
    cluster text NOT NULL
);
-- Where a person's notifications are e-mailed; no row, no e-mail.
CREATE TABLE IF NOT EXISTS awards_mail_addresses (
    username text PRIMARY KEY,
    address text NOT NULL
);
"""


@dataclass(frozen=True)
class Interest:
    """Which events a role is told of: their kinds, the vote stage, and whose proposals."""

    role: str
    kinds: frozenset[str]
    stage: str | None = None  # only events of this vote stage
    scope: str | None = None  # "unit": the reader's unit's proposals; "cluster": their cluster's
    # "year": a year whose member units (that year) include the reader's unit


_VOTE = frozenset({"VoteOpened", "BallotBoxSealed", "VoteClosed", "DeadlineMissed"})
# Never BallotRecorded's voter to anyone but the auditor, and never a choice: there is none.
INTERESTS = (
    Interest(
        "proposer",
        frozenset(
            {"Submitted", "Resubmitted", "AppraisalOpened", "AppraisalApproved", "Decided"}
            | {"DecidedByDecision"}
            | {"ReturnedForSupplements", "PutOnHold", "Released", "Withdrawn"}
            | _VOTE
        ),
        scope="unit",
    ),
    Interest("cluster_member", _VOTE, stage="cluster", scope="cluster"),
    Interest(
        "council_secretary",
        frozenset({"Submitted", "Resubmitted", "AppraisalOpened", "PutOnHold", "Released"})
        | frozenset({"Withdrawn", "DeadlineMissed", "BallotBoxSealed", "VoteClosed"}),
    ),
    Interest("council_member", _VOTE, stage="council"),
    Interest("president", frozenset({"VoteClosed", "Decided", "DecidedByDecision"}), stage=None),
    # A cluster year's deadlines: reminders to every member unit of that year, escalations
    # to the head's unit (kept as the row's unit) and the council secretary.
    Interest("cluster_member", frozenset({REMINDER}), scope="year"),
    Interest("cluster_member", frozenset({ESCALATION}), scope="unit"),
    Interest("council_secretary", frozenset({ESCALATION})),
)
WATCHERS = ("auditor", "admin")  # they are told of everything


@dataclass(frozen=True)
class FeedItem:
    notification_id: int
    proposal_id: str
    kind: str
    occurred_at: datetime
    title: str
    text_vi: str
    text_en: str
    subject: str = "proposal"  # or "year": a cluster year's deadline

    @property
    def link(self) -> str | None:
        return f"/proposals/{self.proposal_id}" if self.subject == "proposal" else None

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_vi


def _clause(user: User) -> tuple[str, dict[str, Any]]:
    """The rows a person is told of, from INTERESTS (SQL for reads)."""
    if user.has(*WATCHERS):
        return "true", {}
    parts: list[str] = []
    params: dict[str, Any] = {"unit": user.unit_id, "cluster": user.cluster_id}
    for n, interest in enumerate(i for i in INTERESTS if user.has(i.role)):
        params[f"kinds{n}"] = sorted(interest.kinds)
        where = [f"kind = ANY(%(kinds{n})s)"]
        if interest.stage:
            where.append(f"stage = '{interest.stage}'")
        if interest.scope == "unit":
            where.append("proposing_unit = %(unit)s")
        if interest.scope == "cluster":
            where.append("cluster = %(cluster)s")
        if interest.scope == "year":
            where.append("%(unit)s = ANY(units)")
        parts.append("(" + " AND ".join(where) + ")")
    return " OR ".join(parts) or "false", params


def concerns(user: User, item: dict[str, Any]) -> bool:
    """Whether a feed row is told to a person (the same rule as the SQL, for e-mail)."""
    if user.has(*WATCHERS):
        return True
    for interest in INTERESTS:
        if not user.has(interest.role) or item["kind"] not in interest.kinds:
            continue
        if interest.stage and item["stage"] != interest.stage:
            continue
        if interest.scope == "unit" and item["proposing_unit"] != user.unit_id:
            continue
        if interest.scope == "cluster" and item["cluster"] != user.cluster_id:
            continue
        if interest.scope == "year" and user.unit_id not in item.get("units", ()):
            continue
        return True
    return False


class Feed(LogFollower):
    """Follows the log into the feed (LogFollower's loop, its own table and position), and
    e-mails each new row to the people it concerns when a mail server is given."""

    def __init__(
        self, pool: Pool, app: AwardsApplication, directory: Directory, mail: MailServer | None
    ) -> None:
        super().__init__(pool, app)
        self._directory = directory
        self._mail = mail

    def ensure_schema(self) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(SCHEMA)

    # ---- reading -------------------------------------------------------------------------

    def items(self, user: User, limit: int = 50) -> list[FeedItem]:
        where, params = _clause(user)
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT notification_id, proposal_id, kind, occurred_at, title, text_vi, text_en,"
                f" subject FROM awards_feed WHERE {where}"
                " ORDER BY notification_id DESC LIMIT %(limit)s",
                {**params, "limit": limit},
            ).fetchall()
        return [FeedItem(**{**row, "proposal_id": str(row["proposal_id"])}) for row in rows]

    def set_address(self, username: str, address: str) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO awards_mail_addresses (username, address) VALUES (%s, %s)"
                " ON CONFLICT (username) DO UPDATE SET address = excluded.address",
                (username, address),
            )

    # ---- following -----------------------------------------------------------------------

    def catch_up(self, limit: int = _BATCH) -> int:
        read = 0
        while True:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                count = self._feed_batch(conn, limit)
            read += count
            if count < limit:
                break
        if self._mail is not None:
            self.send_mail()
        return read

    def _feed_batch(self, conn: Connection, limit: int) -> int:
        row = conn.execute(
            "SELECT position FROM awards_projection_position WHERE name = %s", (NAME,)
        ).fetchone()
        position = int(row["position"]) if row else 0
        notes = self._app.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        if not notes:
            return 0
        people = DirectoryPeople(self._directory)
        for note in notes:
            year_event = year_kind(note.topic)
            if _PROPOSAL_TOPIC not in note.topic and year_event is None:
                continue
            try:
                with conn.transaction():  # a savepoint: one bad event is recorded, not fatal
                    if year_event is None:
                        self._add(conn, note, people)
                    else:
                        self._add_year(conn, note, year_event)
            except Exception as error:
                _record_failure(conn, NAME, note, error)
        conn.execute(
            "INSERT INTO awards_projection_position (name, position) VALUES (%s, %s)"
            " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            (NAME, notes[-1].id),
        )
        return len(notes)

    def _add(self, conn: Connection, note: Notification, people: DirectoryPeople) -> None:
        event: Any = self._app.mapper.to_domain_event(note)
        step = describe_event(event)
        kind = step["type"]
        if kind == "Nominated":
            conn.execute(
                "INSERT INTO awards_feed_proposals (id, title, proposing_unit, cluster)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (
                    event.originator_id,
                    storable(step["data"]["title"]),
                    step["data"]["proposing_unit"],
                    step["data"]["cluster"],
                ),
            )
            return
        if not any(kind in i.kinds for i in INTERESTS):
            return
        owner = conn.execute(
            "SELECT title, proposing_unit, cluster FROM awards_feed_proposals WHERE id = %s",
            (event.originator_id,),
        ).fetchone()
        if owner is None:
            raise LookupError(f"no Nominated event was seen for {event.originator_id}")
        words = describe(EventFacts(kind, step["actor"], step["role"], step["data"]), people)
        conn.execute(
            "INSERT INTO awards_feed (notification_id, proposal_id, kind, stage, occurred_at,"
            " title, proposing_unit, cluster, text_vi, text_en)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                note.id,
                event.originator_id,
                kind,
                str(step["data"].get("stage", "")),
                step["time"],
                owner["title"],
                owner["proposing_unit"],
                owner["cluster"],
                storable(words.vi),
                storable(words.en),
            ),
        )

    def _add_year(self, conn: Connection, note: Notification, kind: str) -> None:
        event: Any = self._app.mapper.to_domain_event(note)
        year: ClusterYear = self._app.repository.get(event.originator_id)
        row = year_row(kind, event, year)
        conn.execute(
            "INSERT INTO awards_feed (notification_id, proposal_id, kind, stage, occurred_at,"
            " title, proposing_unit, cluster, text_vi, text_en, subject, units)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'year', %s) ON CONFLICT DO NOTHING",
            (
                note.id,
                event.originator_id,
                row.kind,
                row.stage,
                row.occurred_at,
                row.title,
                row.head,
                row.group_id,
                storable(row.words.vi),
                storable(row.words.en),
                row.units,
            ),
        )

    # ---- e-mail --------------------------------------------------------------------------

    def send_mail(self) -> int:
        """E-mails the rows not mailed yet to everyone they concern who has an address; a row
        is marked once its mails are handed to the server (so a failure retries the row)."""
        assert self._mail is not None
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            rows = conn.execute(
                "SELECT * FROM awards_feed WHERE NOT mailed ORDER BY notification_id LIMIT 200"
            ).fetchall()
            if not rows:
                return 0
            addresses = {
                r["username"]: r["address"]
                for r in conn.execute("SELECT username, address FROM awards_mail_addresses")
            }
            readers = [u for u in self._directory.users() if u.username in addresses]
            mails = [
                _mail(addresses[user.username], row)
                for row in rows
                for user in readers
                if concerns(user, row)
            ]
            try:
                self._mail.send(mails)
            except OSError as error:  # smtplib's errors are OSErrors too
                log.error("notification e-mail could not be sent (%s); retrying later", error)
                return 0
            conn.execute(
                "UPDATE awards_feed SET mailed = true WHERE notification_id = ANY(%s)",
                ([row["notification_id"] for row in rows],),
            )
        return len(mails)


_SUBJECTS = {"proposal": "Hồ sơ đề nghị / Proposal", "year": "Năm thi đua / Emulation year"}


def _mail(address: str, row: dict[str, Any]) -> Mail:
    """What an e-mail says: the proposal and the event in words, Vietnamese then English."""
    return Mail(
        to=address,
        subject=f"[VUSTA] {row['title']}",
        body=(
            f"{row['text_vi']}\n\n{row['text_en']}\n\n"
            f"{_SUBJECTS.get(row.get('subject', ''), _SUBJECTS['proposal'])}:"
            f" {row['title']} ({row['proposal_id']})\n"
        ),
    )


async def run_feed(feed: Feed) -> None:
    """The feed follows the log in a thread of its own until cancelled."""
    await run_in_own_thread(feed.follow, "feed")
