"""The award register's workbook: every bad cell named by sheet, row and column, or every
entry read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from services.application.register_workbook import (
    COLUMNS,
    WorkbookRejected,
    read_register_workbook,
)
from services.i18n.catalogue import both

GOOD = [
    ("collective", "lhh-binh-dinh", "", "", 2023, "cluster_leader", "", "BB-06", "cum-6"),
    ("individual", "lhh-phu-yen", "Nguyễn Văn A", "", 2023, "grassroots_fighter", "", "QĐ 5", ""),
]


def workbook(path: Path, rows: list[tuple[Any, ...]], sheet: str = "register") -> Path:
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    page.append(COLUMNS)
    for row in rows:
        page.append(row)
    book.save(path)
    return path


def test_a_good_workbook_gives_every_entry_with_its_nominee_key(tmp_path: Path) -> None:
    read = read_register_workbook(workbook(tmp_path / "r.xlsx", GOOD))
    assert [e.nominee for e in read.entries] == [
        "unit:lhh-binh-dinh",
        "person:lhh-phu-yen/nguyễn văn a",
    ]
    assert read.entries[0].group == "cum-6" and len(read.sha256) == 64


def test_bad_cells_are_named_by_sheet_row_and_column_in_both_languages(tmp_path: Path) -> None:
    bad = [
        GOOD[0],
        ("team", "", "", "", 1999, "medal", "", "", ""),
        ("individual", "lhh-phu-yen", "", "", 2024, "initiative", "", "S1", ""),
    ]
    with pytest.raises(WorkbookRejected) as refused:
        read_register_workbook(workbook(tmp_path / "r.xlsx", bad))
    texts = [both(problem) for problem in refused.value.problems]
    assert [t["en"].split(":")[0] for t in texts] == [
        "sheet register, row 3, column A (kind)",
        "sheet register, row 3, column B (unit_id)",
        "sheet register, row 3, column E (year)",
        "sheet register, row 3, column F (code)",
        "sheet register, row 3, column H (reference)",
        "sheet register, row 4, column C (name)",
    ]
    assert texts[0]["vi"].startswith("trang register, dòng 3, cột A (kind)")


def test_a_workbook_without_the_register_sheet_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbookRejected, match="no sheet register"):
        read_register_workbook(workbook(tmp_path / "r.xlsx", GOOD, sheet="Sheet1"))
