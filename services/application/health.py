"""Is the service whole: the database reachable, Temporal answering, every read model complete."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from services.projections.proposal_list import ProjectionStatus
from services.runtime import Runtime


@dataclass(frozen=True)
class Health:
    checks: dict[str, str]  # dependency → "ok" or "error: <kind>"
    projections: list[ProjectionStatus] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        """Every dependency answers (a 503 otherwise)."""
        return all(value == "ok" for value in self.checks.values())

    @property
    def whole(self) -> bool:
        """No read model skipped an event."""
        return not any(status.failures for status in self.projections)


async def health(runtime: Runtime) -> Health:
    """Ask each dependency once; a failure is reported, never raised."""
    checks: dict[str, str] = {}
    projections: list[ProjectionStatus] = []
    try:
        await asyncio.to_thread(runtime.directory.clusters)
        checks["database"] = "ok"
        projections.append(await asyncio.to_thread(runtime.summaries.status))
    except Exception as error:  # any failure means unhealthy, reported not raised
        checks["database"] = f"error: {type(error).__name__}"
    try:
        await runtime.process.ping()
        checks["temporal"] = "ok"
    except Exception as error:
        checks["temporal"] = f"error: {type(error).__name__}"
    return Health(checks, projections)
