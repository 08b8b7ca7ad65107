"""The worker's sealer: every few minutes, a signed seal of the log when it has grown."""

from __future__ import annotations

import asyncio
import logging

import psycopg

from infra import seals
from infra.postgres import Pool
from infra.seals import Seal
from infra.settings import Settings

log = logging.getLogger(__name__)


def seal_if_grown(pool: Pool, settings: Settings) -> Seal | None:
    """One round: a new signed seal (in the seals table and the seal folder) if an event was
    chained since the newest seal, else None."""
    return seals.take(
        pool, settings.resolved_signing_key(), settings.resolved_seal_dir(), only_if_grown=True
    )


async def run_sealer(pool: Pool, settings: Settings) -> None:
    """Seal every AWARDS_SEAL_INTERVAL_SECONDS until cancelled (0: never). A failed round is
    logged and tried again next time: the worker's other work must not stop for it."""
    interval = settings.seal_interval_seconds
    if not interval:
        log.info("automatic seals are off (AWARDS_SEAL_INTERVAL_SECONDS=0)")
        # Idle rather than return: whoever runs the worker's loops may take an ended loop
        # for a failure.
        await asyncio.Event().wait()
    settings.resolved_signing_key()  # a bad key is an error at start, not at the first round
    while True:
        try:
            sealed = await asyncio.to_thread(seal_if_grown, pool, settings)
        except psycopg.OperationalError as error:  # the database is away: no traceback needed
            log.error(
                "sealing: the database is not answering (%s); next try in %s s", error, interval
            )
        except Exception:
            log.exception("sealing the audit log failed; trying again in %s s", interval)
        else:
            if sealed is not None:
                log.info("sealed %d events up to event %d", sealed.events, sealed.up_to)
        await asyncio.sleep(interval)
