"""The organisation workbook written: a year's organisation (or an empty template) in the
layout services/application/org_workbook.py reads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from domain.organisation.values import OrgContent
from services.application import org_workbook as sheets
from services.application.org_workbook import COLUMNS


def write_workbook(year: int, content: OrgContent) -> bytes:
    """The year in the layout `read_workbook` reads (with no data rows: the template)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    rows: dict[str, list[tuple[Any, ...]]] = {
        sheets.YEAR: [(year, content.notes)],
        sheets.UNITS: [(u.id, u.name, u.kind.value, u.women_share) for u in content.units],
        sheets.GROUPS: [
            (g.id, g.name, g.scope.value, g.head, g.deputy, g.supervisor, g.note or None)
            for g in content.groups
        ],
        sheets.MEMBERS: [(g.id, unit) for g in content.groups for unit in g.members],
        sheets.COUNCIL: list(_council_rows(content)),
        sheets.PEOPLE: [
            (
                p.username,
                p.full_name,
                p.unit_id,
                ", ".join(r.value for r in p.roles),
                p.gender,
                "x" if p.invented else None,
            )
            for p in content.people
        ],
    }
    bold = Font(bold=True)
    for name, columns in COLUMNS.items():
        sheet = book.create_sheet(name)
        sheet.append([vi for _, vi, _ in columns])
        sheet.append([en for _, _, en in columns])
        for cell in (*sheet[1], *sheet[2]):
            cell.font = bold
        for row in rows[name]:
            sheet.append(list(row))
        for index, (_, vi, en) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(vi), len(en) // 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _council_rows(content: OrgContent) -> Iterator[tuple[str, str]]:
    council = content.council
    yield from (("president", p) for p in [content.president] if p)
    yield from (("presidium", p) for p in content.presidium)
    yield from (("chair", p) for p in [council.chair] if p)
    yield from (("vice_chair", p) for p in council.vice_chairs)
    yield from (("standing_member", p) for p in [council.standing_member] if p)
    yield from (("member", p) for p in council.members)
