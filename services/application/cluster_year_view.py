"""A cluster year as a person reads it outside the service (`awards year show`): its stage,
its steps' deadlines, the ranking, the conference's result, the election and the records."""

from __future__ import annotations

from typing import Any

from domain.cluster_year.aggregate import ClusterYear, cluster_year_id
from domain.rulebook.version import RulebookVersion
from services.application.cluster_year_steps import load_year
from services.application.rulebook import Rulebook
from services.runtime import build_application


def overview(current: ClusterYear, version: RulebookVersion) -> dict[str, Any]:
    """The year as plain data: what `awards year show` prints (and `--json` answers)."""
    deadlines = {
        step.value: {
            "working_days": rule.working_days,
            "remind_before": rule.remind_before,
            "escalate_after": rule.escalate_after,
        }
        for step, rule in version.deadlines_year.items()
    }
    return {
        "group_id": current.group_id,
        "year": current.year,
        "stage": current.stage,
        "head": current.head,
        "deputy": current.deputy,
        "members": list(current.members),
        "rulebook_version": current.rulebook_version,
        "deadlines": deadlines,
        "notices": list(current.notices),
        "ranking": [vars(standing).copy() for standing in current.ranking],
        "lines": current.line_ids,
        "voted": len(current.voted),
        "result": current.result,
        "elected": current.elected,
        "records": list(current.records),
        "nominations": dict(current.nominations),
    }


def read_overview(database_url: str, year: int, cluster: str) -> dict[str, Any]:
    """Read the stored year (YearNotFound when it was never launched)."""
    app = build_application(database_url)
    try:
        current = load_year(app, cluster_year_id(cluster, year))
        version = Rulebook(app).version(current.rulebook_version)
    finally:
        app.close()
    return overview(current, version)
