"""The award register's Excel workbook (openpyxl): one sheet ``register``, a header row, one
entry a row. Every bad cell is reported by sheet, row and column; a workbook with any is
refused whole."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from domain.eligibility.identity import nominee_key
from domain.eligibility.register import AwardEntry, Source, Title
from domain.kernel.errors import InvalidInput
from domain.kernel.message import Message
from domain.proposal.forms import DEFAULT_CATALOGUE

SHEET = "register"
COLUMNS = (
    "kind",
    "unit_id",
    "name",
    "username",
    "year",
    "code",
    "achievement",
    "reference",
    "group",
)
CODES = tuple(sorted({form.code for form in DEFAULT_CATALOGUE} | {t.value for t in Title}))
_KINDS = ("collective", "individual")


class WorkbookRejected(InvalidInput):
    """The workbook was not imported; ``problems`` lists every bad cell."""

    def __init__(self, problems: list[Message]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "the workbook was not imported, nothing was stored: {problems}",
            problems=Message.joined(self.problems),
        )


@dataclass(frozen=True)
class RegisterWorkbook:
    sha256: str
    entries: tuple[AwardEntry, ...]


def _at(row: int, column: str, problem: Message) -> Message:
    """Where a problem is: the column by its letter and its header."""
    letter = chr(ord("A") + COLUMNS.index(column)) if column in COLUMNS else column
    return Message(
        "sheet {sheet}, row {row}, column {column}: {problem}",
        sheet=SHEET,
        row=row,
        column=f"{letter} ({column})" if column in COLUMNS else column,
        problem=problem,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _entry(number: int, cells: dict[str, Any], problems: list[Message]) -> AwardEntry | None:
    before = len(problems)
    kind, unit, name = _text(cells["kind"]), _text(cells["unit_id"]), _text(cells["name"])
    if kind not in _KINDS:
        problems.append(
            _at(
                number,
                "kind",
                Message("must be one of {expected}", expected="collective, individual"),
            )
        )
    if not unit:
        problems.append(_at(number, "unit_id", Message("a value is required")))
    if kind == "individual" and not name and not _text(cells["username"]):
        problems.append(_at(number, "name", Message("a person needs a name or a username")))
    year = cells["year"]
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        problems.append(_at(number, "year", Message("a year from 2000 to 2100 is required")))
    code = _text(cells["code"])
    if code not in CODES:
        problems.append(
            _at(number, "code", Message("must be one of {expected}", expected=", ".join(CODES)))
        )
    if not _text(cells["reference"]):
        problems.append(_at(number, "reference", Message("a value is required")))
    if len(problems) > before:
        return None
    nominee = {"kind": kind, "name": name, "unit_id": unit, "username": _text(cells["username"])}
    return AwardEntry(
        nominee=nominee_key(nominee, unit),
        year=int(year),
        code=code,
        achievement=_text(cells["achievement"]),
        source=Source.IMPORTED,
        reference=_text(cells["reference"]),
        group=_text(cells["group"]),
    )


def read_register_workbook(path: Path) -> RegisterWorkbook:
    """Every entry of the workbook, or WorkbookRejected naming every bad cell."""
    content = path.read_bytes()
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise InvalidInput("{file} is not an Excel workbook (.xlsx)", file=path.name) from None
    try:
        if SHEET not in book.sheetnames:
            raise WorkbookRejected([Message("the workbook has no sheet {sheet}", sheet=SHEET)])
        rows = list(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = tuple(_text(cell) for cell in (rows[0] if rows else ()))
    if header[: len(COLUMNS)] != COLUMNS:
        raise WorkbookRejected(
            [_at(1, "A", Message("the header row must be {columns}", columns=", ".join(COLUMNS)))]
        )
    problems: list[Message] = []
    found: list[AwardEntry] = []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or _text(cell) == "" for cell in row):
            continue
        cells = dict(zip(COLUMNS, (*row, *([None] * len(COLUMNS))), strict=False))
        entry = _entry(number, cells, problems)
        if entry is not None:
            found.append(entry)
    if problems:
        raise WorkbookRejected(problems)
    return RegisterWorkbook(hashlib.sha256(content).hexdigest(), tuple(found))
