"""The year's scoring criteria: groups of criteria with their maximum points, as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.kernel.errors import InvalidInput
from domain.rulebook.version import CriteriaGroup, CriteriaTemplate, Criterion


def template_to_json(template: CriteriaTemplate) -> dict[str, Any]:
    return {
        "code": template.code,
        "name": template.name,
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "criteria": [
                    {"code": c.code, "name": c.name, "max_points": c.max_points}
                    for c in group.criteria
                ],
            }
            for group in template.groups
        ],
    }


def template_from_json(data: Mapping[str, Any]) -> CriteriaTemplate:
    return CriteriaTemplate(
        code=str(data["code"]),
        name=str(data["name"]),
        groups=tuple(
            CriteriaGroup(
                code=str(group["code"]),
                name=str(group["name"]),
                criteria=tuple(
                    Criterion(str(c["code"]), str(c["name"]), int(c["max_points"]))
                    for c in group["criteria"]
                ),
            )
            for group in data["groups"]
        ),
    )


def max_points(template: CriteriaTemplate) -> dict[str, int]:
    """Each criterion's maximum, by its code (codes are unique across groups)."""
    return {c.code: c.max_points for group in template.groups for c in group.criteria}


def check_criteria(template: CriteriaTemplate) -> None:
    """A usable set of criteria: at least one, codes unique, every maximum above zero."""
    codes = [c.code for group in template.groups for c in group.criteria]
    if not codes:
        raise InvalidInput("the criteria need at least one criterion")
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise InvalidInput("criterion codes are used twice: {codes}", codes=", ".join(duplicated))
    for group in template.groups:
        for criterion in group.criteria:
            if not criterion.code.strip() or criterion.max_points <= 0:
                raise InvalidInput(
                    "criterion {code!r} needs a code and a maximum above zero",
                    code=criterion.code,
                )
