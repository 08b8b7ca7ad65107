"""What /health answers: each dependency, and how far each read model has read the log."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ProjectionHealth(BaseModel):
    status: Literal["ok", "degraded"]
    position: int
    head: int
    failures: int | None = Field(default=None, description="only when events were skipped")
    detail: str | None = Field(default=None, description="only when events were skipped")


class Health(BaseModel):
    """200 with "ok" or "degraded" (a read model skipped an event); 503 when the database or
    Temporal is away (the same body, its `checks` saying which)."""

    status: Literal["ok", "degraded"]
    checks: dict[str, str] = Field(examples=[{"database": "ok", "temporal": "ok"}])
    projections: dict[str, ProjectionHealth]
