"""The appraisal of a dossier version by the secretariat: its deadline and whether it passed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Appraisal:
    dossier_version: int
    deadline: datetime
    overdue: bool = False

    def missed(self) -> Appraisal:
        return replace(self, overdue=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "dossier_version": self.dossier_version,
            "deadline": self.deadline,
            "overdue": self.overdue,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Appraisal:
        return cls(int(data["dossier_version"]), data["deadline"], bool(data["overdue"]))
