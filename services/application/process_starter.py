"""Starts the Temporal process of every draft that has none (a draft saved while Temporal
was away); a draft's process is started once, and a finished one never again."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg

from domain.kernel.calendar import today
from infra.postgres import Pool
from services.application.process import Process, ProcessUnavailable

log = logging.getLogger(__name__)
_ROUND = 100


@dataclass(frozen=True)
class Draft:
    id: UUID
    form: str
    cluster_vote: bool
    updated_at: datetime


class ProcessStarts:
    """Which drafts are known to have a process. Only drafts are ever asked about: any later
    state was reached through the process, so an old store costs no call per proposal."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def record(self, proposal_id: UUID) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO awards_process_starts (proposal_id) VALUES (%s)"
                " ON CONFLICT DO NOTHING",
                (proposal_id,),
            )

    def pending(self, limit: int = _ROUND) -> list[Draft]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT l.id, l.form, l.cluster_vote, l.updated_at FROM awards_proposal_list l"
                " WHERE l.state = 'draft' AND NOT EXISTS"
                " (SELECT 1 FROM awards_process_starts s WHERE s.proposal_id = l.id)"
                " ORDER BY l.updated_at LIMIT %s",
                (limit,),
            ).fetchall()
        return [Draft(**row) for row in rows]


async def start_pending(starts: ProcessStarts, process: Process) -> int:
    """Start the process of each draft without one; answers how many were started. Stops at
    the first refusal of Temporal (ProcessUnavailable): the next round tries again."""
    started = 0
    for draft in await asyncio.to_thread(starts.pending):
        try:
            await _start(process, draft)
        except ProcessUnavailable:
            raise  # Temporal is away: the next round tries them all again
        except Exception:
            # One draft that cannot start must not hold back the drafts after it.
            log.exception("the process of draft %s could not start; the others go on", draft.id)
            continue
        await asyncio.to_thread(starts.record, draft.id)
        started += 1
    return started


async def _start(process: Process, draft: Draft) -> None:
    # USE_EXISTING: a process that exists already is left as it is.
    # A draft is judged by the version in force when it was made: the list knows its last
    # change, which for a draft whose process never started is close enough; its route
    # (forwarded or not) is its form's in that version's catalogue.
    lodged = today(draft.updated_at)
    version = await asyncio.to_thread(process.terms.version_for, None, lodged)
    forwarded = version.form(draft.form).forwarded
    await process.start(
        str(draft.id), draft.form, draft.cluster_vote, lodged=lodged, forwarded=forwarded
    )


async def keep_starting(starts: ProcessStarts, process: Process, every_s: float = 2.0) -> None:
    """Background loop of the worker: a draft saved while Temporal was away gets its process
    within a few seconds of Temporal coming back."""
    while True:
        try:
            if await start_pending(starts, process):
                continue  # maybe more than one round's worth
        except ProcessUnavailable as error:
            log.warning("drafts wait for their process: %s", error)
        except psycopg.OperationalError as error:  # the database is away: no traceback needed
            log.error("the process starter cannot reach the database (%s); retrying", error)
        except Exception:
            log.exception("the process starter failed; retrying")
        await asyncio.sleep(every_s)
