"""The audit chain catches every edit, deletion, insertion and reordering made with SQL."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from uuid import UUID, uuid4

import psycopg
import pytest

from domain.actor import Actor
from domain.forms import find_form
from infra import chain
from infra.postgres import Pool, connection_pool, create_database, drop_database, with_database
from infra.signing import SealFileError, read_seal, sign_seal
from services.application import AwardsApplication
from services.runtime import EVENTS_TABLE, build_application

pytestmark = pytest.mark.integration
PROPOSER = Actor("ninh-binh.proposer", "proposer")


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.app: AwardsApplication = build_application(url)
        self.pool: Pool = connection_pool(url, max_size=2)
        chain.install(self.pool, EVENTS_TABLE)

    def proposal(self, documents: int = 3) -> UUID:
        pid = uuid4()
        self.app.nominate(
            proposal_id=pid,
            form=find_form("vusta_certificate"),
            year=2026,
            proposing_unit="lhh-ninh-binh",
            cluster="cum-4",
            nominee={"kind": "individual", "name": "Nguyễn Văn An"},
            title="Bằng khen",
            summary="",
            actor=PROPOSER,
            key=f"c{pid}",
        )
        for n in range(documents):
            self.app.attach_document(
                pid,
                {
                    "name": f"{n}.pdf",
                    "media_type": "application/pdf",
                    "sha256": f"{n:064x}",
                    "size": 3,
                    "kind": "other",
                },
                PROPOSER,
                f"d{pid}{n}",
            )
        return pid

    def sql(self, statement: str, *params: object) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(statement, params)  # type: ignore[arg-type]

    def ids(self, pid: UUID) -> list[int]:
        with psycopg.connect(self.url) as conn:
            rows = conn.execute(
                f"SELECT notification_id FROM {EVENTS_TABLE} WHERE originator_id"
                " = %s ORDER BY originator_version",
                (pid,),
            ).fetchall()
        return [r[0] for r in rows]

    def verify(self, **kwargs: object) -> chain.Report:
        return chain.verify(self.pool, EVENTS_TABLE, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    name = f"awards_tamper_{secrets.token_hex(4)}"
    server = with_database(database_url, "postgres")
    create_database(server, name)
    built = Store(with_database(database_url, name))
    yield built
    built.app.close()
    built.pool.close()
    drop_database(server, name)


def test_an_untouched_log_verifies(store: Store) -> None:
    for _ in range(3):
        store.proposal()
    report = store.verify()
    assert report.ok, report.failure
    assert report.events == 12


def test_an_edited_event_is_caught_and_named(store: Store) -> None:
    pid = store.proposal()
    store.proposal()
    target = store.ids(pid)[2]
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = replace(state::text, '2', '7')::bytea"
        " WHERE notification_id = %s",
        target,
    )
    failure = store.verify().failure
    assert failure is not None
    assert (failure.kind, failure.notification_id, failure.originator_id) == (
        "edited",
        target,
        str(pid),
    )


def test_a_deleted_event_is_caught(store: Store) -> None:
    pid = store.proposal()
    store.proposal()
    target = store.ids(pid)[1]
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", target)
    failure = store.verify().failure
    assert failure is not None and (failure.kind, failure.notification_id) == ("deleted", target)


def test_an_event_deleted_with_its_chain_entry_is_caught(store: Store) -> None:
    pid = store.proposal()
    other = store.proposal()
    target = store.ids(pid)[-1]
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", target)
    store.sql(f"DELETE FROM {chain.CHAIN_TABLE} WHERE notification_id = %s", target)
    failure = store.verify().failure
    assert failure is not None
    assert failure.kind == "deleted"
    assert failure.notification_id == store.ids(other)[0]  # the first event after the gap


def test_an_event_written_around_the_store_is_caught(store: Store) -> None:
    store.proposal()
    store.sql(f"ALTER TABLE {EVENTS_TABLE} DISABLE TRIGGER awards_chain_event")
    forged = uuid4()
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
        " VALUES (%s, 1, 'domain.proposal:Proposal.Nominated', '{}'::bytea)",
        forged,
    )
    store.sql(f"ALTER TABLE {EVENTS_TABLE} ENABLE TRIGGER awards_chain_event")
    store.proposal()
    failure = store.verify().failure
    assert failure is not None
    assert (failure.kind, failure.originator_id) == ("inserted", str(forged))


def test_an_event_slipped_into_a_gap_is_caught(store: Store) -> None:
    store.proposal()
    store.sql(
        f"SELECT setval(pg_get_serial_sequence('{EVENTS_TABLE}', 'notification_id'),"
        f" (SELECT max(notification_id) FROM {EVENTS_TABLE}) + 10)"
    )
    after = store.proposal()
    gap = store.ids(after)[0] - 5
    forged = uuid4()
    store.sql(
        f"INSERT INTO {EVENTS_TABLE} (notification_id, originator_id, originator_version,"
        " topic, state) VALUES (%s, %s, 1, 'domain.proposal:Proposal.Nominated',"
        " '{}'::bytea)",
        gap,
        forged,
    )
    failure = store.verify().failure
    assert failure is not None
    assert (failure.kind, failure.notification_id) == ("inserted", gap)


def test_reordered_events_are_caught(store: Store) -> None:
    first, second = store.proposal(), store.proposal()
    a, b = store.ids(first)[1], store.ids(second)[1]
    store.sql(f"UPDATE {EVENTS_TABLE} SET notification_id = -1 WHERE notification_id = %s", a)
    store.sql(f"UPDATE {EVENTS_TABLE} SET notification_id = %s WHERE notification_id = %s", a, b)
    store.sql(f"UPDATE {EVENTS_TABLE} SET notification_id = %s WHERE notification_id = -1", b)
    failure = store.verify().failure
    assert failure is not None and (failure.kind, failure.notification_id) == ("reordered", a)


def test_one_proposal_can_be_verified_alone(store: Store) -> None:
    pid, other = store.proposal(), store.proposal()
    target = store.ids(other)[1]
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = state || 'x'::bytea WHERE notification_id = %s", target
    )
    assert store.verify(originator=pid).ok
    failure = store.verify(originator=other).failure
    assert failure is not None and failure.kind == "edited"


def recompute_chain(store: Store) -> None:
    """What an attacker with full database access would do to hide an edit."""
    with psycopg.connect(store.url, autocommit=True) as conn:
        rows = conn.execute(
            f"SELECT notification_id, originator_id, originator_version, topic,"
            f" state FROM {EVENTS_TABLE} ORDER BY notification_id"
        ).fetchall()
        conn.execute(f"DELETE FROM {chain.CHAIN_TABLE}")
        heads: dict[UUID, bytes] = {}
        log = chain.ZERO
        for nid, originator, version, topic, state in rows:
            prev = heads.get(originator, chain.ZERO)
            digest = chain.event_hash(prev, originator, version, topic, bytes(state))
            log = chain.log_hash(log, nid, digest)
            heads[originator] = digest
            conn.execute(
                f"INSERT INTO {chain.CHAIN_TABLE} VALUES (%s, %s, %s, %s, %s, %s)",
                (nid, originator, version, prev, digest, log),
            )


def test_an_exported_seal_exposes_a_rewritten_chain(store: Store) -> None:
    pid = store.proposal()
    key = secrets.token_bytes(32)
    document = sign_seal(chain.seal(store.pool) or {}, key)
    sealed = read_seal(document)
    store.proposal()
    store.sql(
        f"UPDATE {EVENTS_TABLE} SET state = state || ' '::bytea WHERE notification_id = %s",
        store.ids(pid)[1],
    )
    store.sql(f"DELETE FROM {chain.SEALS_TABLE}")
    recompute_chain(store)
    assert store.verify().ok  # the stored chain alone was rewritten consistently
    expected = (int(sealed["up_to"]), bytes.fromhex(sealed["log_hash"]))
    failure = store.verify(expected_seal=expected).failure
    assert failure is not None and "sealed" in failure.detail


def test_a_stored_seal_catches_a_rewritten_chain(store: Store) -> None:
    pid = store.proposal()
    chain.seal(store.pool)
    store.sql(f"DELETE FROM {EVENTS_TABLE} WHERE notification_id = %s", store.ids(pid)[0])
    recompute_chain(store)
    failure = store.verify().failure
    assert failure is not None and failure.kind in ("deleted", "reordered")


def test_a_seal_file_with_a_changed_hash_is_refused() -> None:
    document = sign_seal(
        {"up_to": 5, "log_hash": "00" * 32, "events": 5, "sealed_at": "x"}, secrets.token_bytes(32)
    )
    read_seal(document)
    with pytest.raises(SealFileError):
        read_seal({**document, "log_hash": "11" * 32})
    with pytest.raises(SealFileError, match="another key"):
        read_seal(document, trusted_public_key=bytes(32))
