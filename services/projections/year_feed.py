"""The cluster year's deadlines in the notification feed: a reminder is told to the people of
every member unit of that year, an escalation to the head's people and the council secretary.
Who was a member is the year's own list (the organisation may have changed since)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.cluster_year.aggregate import ClusterYear
from services.i18n.labels import Words, vietnam_date, year_step_words

REMINDER, ESCALATION = "YearReminder", "YearEscalation"
# The deadline events stay on ClusterYear itself, so their topics end so.
_KINDS = {"ClusterYear.ReminderSent": REMINDER, "ClusterYear.DeadlineEscalated": ESCALATION}


def year_kind(topic: str) -> str | None:
    """The feed's kind of a stored year event, or None when the feed ignores it."""
    return next((kind for suffix, kind in _KINDS.items() if topic.endswith(suffix)), None)


@dataclass(frozen=True)
class YearRow:
    """What the feed keeps of one deadline event of a year."""

    kind: str
    stage: str
    occurred_at: datetime
    title: str
    head: str  # kept as the row's unit: an escalation is the head's
    group_id: str
    units: list[str]  # the member units of that year: a reminder is theirs
    words: Words


def year_row(kind: str, event: Any, year: ClusterYear) -> YearRow:
    step = year_step_words(event.step)
    due = vietnam_date(event.deadline.date())
    name = f"{year.group_id} {year.year}"
    if kind == REMINDER:
        words = Words(
            f"Nhắc hạn: {step.vi} của {name} hết hạn ngày {due}.",
            f"Reminder: {step.en} of {name} is due on {due}.",
        )
    else:
        words = Words(
            f"Quá hạn: {step.vi} của {name} đã quá hạn ngày {due}; báo cáo Cụm trưởng và"
            " Thường trực Hội đồng.",
            f"Overdue: {step.en} of {name} was due on {due}; the head and the council"
            " secretary are told.",
        )
    return YearRow(
        kind=kind,
        stage=event.stage,
        occurred_at=event.timestamp,
        title=f"Năm thi đua {year.year} – {year.group_id}",
        head=year.head,
        group_id=year.group_id,
        units=list(year.members),
        words=words,
    )
