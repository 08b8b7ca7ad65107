"""Who calls and what waits for them: /api/me and /api/inbox."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.api.schemas.proposals import ListedProposal
from services.api.schemas.values import Bilingual


class Me(BaseModel):
    username: str
    full_name: str
    roles: list[str]
    unit: str | None
    cluster: str | None


class InboxItem(ListedProposal):
    counting: bool = Field(description="a sealed vote waits for the trustees' shares")
    state_label: Bilingual


class Inbox(BaseModel):
    items: list[InboxItem]
