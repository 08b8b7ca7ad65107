"""The organisation workbook: the export reads back as the same year, and a bad workbook is
refused whole with every problem named by sheet, row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from services.application.org_export import write_workbook
from services.application.org_workbook import (
    COUNCIL,
    GROUPS,
    MEMBERS,
    PEOPLE,
    UNITS,
    YEAR,
    WorkbookRefused,
    read_workbook,
)
from services.application.seed import demo_year
from services.i18n.catalogue import Language, render


def edited(data: bytes, changes: dict[tuple[str, str], object]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for (sheet, cell), value in changes.items():
        book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(data: bytes) -> list[tuple[str, int, str]]:
    with pytest.raises(WorkbookRefused) as caught:
        read_workbook(data)
    return [(p.sheet, p.row, p.column) for p in caught.value.problems]


def test_an_exported_year_reads_back_as_the_same_organisation() -> None:
    content = demo_year(2023)
    book = read_workbook(write_workbook(2023, content))
    assert book.year == 2023
    assert book.content.canonical() == content.canonical()


def test_the_template_has_every_sheet_with_both_headers() -> None:
    book = load_workbook(io.BytesIO(write_workbook(2025, demo_year(2024))))
    assert book.sheetnames == [YEAR, UNITS, GROUPS, MEMBERS, COUNCIL, PEOPLE]
    assert [c.value for c in book[UNITS][1]][:2] == ["Mã đơn vị", "Tên đơn vị"]
    assert [c.value for c in book[UNITS][2]][:2] == ["Unit id", "Name"]


def test_every_bad_cell_is_reported_by_sheet_row_and_column() -> None:
    data = write_workbook(2024, demo_year(2024))
    bad = edited(
        data,
        {
            (UNITS, "C4"): "province",  # not a kind
            (GROUPS, "B3"): None,  # a name is required
            (PEOPLE, "D5"): "king",  # not a role
            (YEAR, "A3"): "next year",  # not a number
        },
    )
    assert refused(bad) == [
        (YEAR, 3, "A"),
        (UNITS, 4, "C"),
        (GROUPS, 3, "B"),
        (PEOPLE, 5, "D"),
    ]


def test_a_rule_broken_across_sheets_points_at_the_cell_that_breaks_it() -> None:
    data = write_workbook(2024, demo_year(2024))
    # cum-6 is the second group: its head (column D) names a union of another cluster.
    assert refused(edited(data, {(GROUPS, "D4"): "lhh-can-tho"})) == [(GROUPS, 4, "D")]
    # Cụm 6's first membership row (after Cụm 4's seven) names a union of Cụm 4.
    assert refused(edited(data, {(MEMBERS, "B10"): "lhh-ninh-binh"})) == [(MEMBERS, 10, "B")]


def test_a_fifth_vice_chair_is_refused_on_its_row() -> None:
    content = demo_year(2024)
    data = write_workbook(2024, content)
    book = load_workbook(io.BytesIO(data))
    for username in ("council.3", "council.4", "council.5"):
        book[COUNCIL].append(["vice_chair", username])
    out = io.BytesIO()
    book.save(out)
    last = book[COUNCIL].max_row
    assert refused(out.getvalue()) == [(COUNCIL, last, "B")]


def test_a_problem_reads_in_vietnamese_and_english() -> None:
    data = edited(write_workbook(2024, demo_year(2024)), {(GROUPS, "B3"): None})
    with pytest.raises(WorkbookRefused) as caught:
        read_workbook(data)
    described = caught.value.problems[0].described()
    assert render(described, Language.EN) == "sheet Cụm-Khối, row 3, column B: a value is required"
    assert render(described, Language.VI).startswith("trang Cụm-Khối, dòng 3, cột B:")


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    assert refused(b"not a workbook") == [("-", 0, "-")]
