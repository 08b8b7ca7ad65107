"""The organisation workbook (.xlsx): one year's organisation read all or nothing, every bad
cell reported by sheet, row and column (services/application/org_export.py writes it).

Each sheet has a Vietnamese header in row 1, the English one in row 2, data from row 3."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import InvalidInput
from domain.kernel.message import Message
from domain.organisation.aggregate import check_year
from domain.organisation.rules import Entity, violations
from domain.organisation.values import Council, Group, OrgContent, Person, Unit, UnitKind
from domain.rulebook.version import Scope
from services.application.organisation import Organisation

T = TypeVar("T")

FIRST_ROW = 3
YEAR, UNITS, GROUPS, MEMBERS, COUNCIL, PEOPLE = (
    "Năm",
    "Đơn vị",
    "Cụm-Khối",
    "Thành viên",
    "Hội đồng",
    "Người dùng",
)
# Each sheet's columns: (field, Vietnamese header, English header).
COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    YEAR: (("year", "Năm", "Year"), ("notes", "Ghi chú", "Notes")),
    UNITS: (
        ("id", "Mã đơn vị", "Unit id"),
        ("name", "Tên đơn vị", "Name"),
        ("kind", "Loại", "Kind (central, provincial_union, association)"),
        ("women_share", "Tỷ lệ nữ", "Women share"),
    ),
    GROUPS: (
        ("id", "Mã cụm/khối", "Group id"),
        ("name", "Tên", "Name"),
        ("scope", "Cụm hay khối", "Scope (cluster, block)"),
        ("head", "Trưởng (mã đơn vị)", "Head (unit id)"),
        ("deputy", "Phó (mã đơn vị)", "Deputy (unit id)"),
        ("supervisor", "Ủy viên Đoàn Chủ tịch phụ trách", "Supervisor (username)"),
        ("note", "Ghi chú", "Note"),
    ),
    MEMBERS: (("group", "Mã cụm/khối", "Group id"), ("unit", "Mã đơn vị", "Unit id")),
    COUNCIL: (
        (
            "position",
            "Chức danh",
            "Position (president, presidium, chair, vice_chair, standing_member, member)",
        ),
        ("username", "Tên đăng nhập", "Username"),
    ),
    PEOPLE: (
        ("username", "Tên đăng nhập", "Username"),
        ("full_name", "Họ và tên", "Full name"),
        ("unit_id", "Mã đơn vị", "Unit id"),
        ("roles", "Vai trò (cách nhau bởi dấu phẩy)", "Roles (comma-separated)"),
        ("gender", "Giới tính", "Gender"),
        ("invented", "Tên giả định (x)", "Invented name (x)"),
    ),
}
POSITIONS = ("president", "presidium", "chair", "vice_chair", "standing_member", "member")
_SCOPES = {
    "cluster": Scope.CLUSTER,
    "cụm": Scope.CLUSTER,
    "block": Scope.BLOCK,
    "khối": Scope.BLOCK,
}
_YES = {"x", "yes", "có", "true", "1"}


@dataclass(frozen=True)
class ImportProblem:
    """One bad cell (or row) of a workbook."""

    sheet: str
    row: int
    column: str  # a letter, as Excel shows it
    message: Message

    def described(self) -> Message:
        return Message(
            "sheet {sheet}, row {row}, column {column}: {problem}",
            sheet=self.sheet,
            row=self.row,
            column=self.column,
            problem=self.message,
        )


class WorkbookRefused(InvalidInput):
    """The workbook was not imported: every problem found is listed."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "the workbook was not imported: {count} problem(s); {problems}",
            count=len(problems),
            problems=Message.joined(p.described() for p in problems[:20]),
        )


@dataclass(frozen=True)
class OrgWorkbook:
    year: int
    content: OrgContent
    sha256: str  # of the file as given


Where = tuple[str, int, str]  # sheet, row, column letter


@dataclass
class _Reader:
    problems: list[ImportProblem] = field(default_factory=list)
    places: dict[tuple[str, str, str], Where] = field(default_factory=dict)
    rows: dict[tuple[str, str], Where] = field(default_factory=dict)

    def refuse(self, where: Where, message: Message) -> None:
        self.problems.append(ImportProblem(*where, message))

    def place(self, entity: str, key: str, sheet: str, row: int, fields: tuple[str, ...]) -> None:
        self.rows.setdefault((entity, key), (sheet, row, "A"))
        names = [name for name, _, _ in COLUMNS[sheet]]
        for name in fields:
            column = get_column_letter(names.index(name) + 1) if name in names else "A"
            self.places.setdefault((entity, key, name), (sheet, row, column))

    def where(self, entity: str, key: str, name: str) -> Where:
        return self.places.get((entity, key, name)) or self.rows.get(
            (entity, key), (_SHEET_OF[entity], FIRST_ROW, "A")
        )


_SHEET_OF = {
    Entity.YEAR: YEAR,
    Entity.UNIT: UNITS,
    Entity.GROUP: GROUPS,
    Entity.MEMBER: MEMBERS,
    Entity.COUNCIL: COUNCIL,
    Entity.PERSON: PEOPLE,
}


def _cells(sheet: Any, width: int) -> Iterator[tuple[int, dict[int, str]]]:
    """(row number, {column index: text}) of every row with something in it."""
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True), start=FIRST_ROW
    ):
        texts = {
            i: str(v).strip() for i, v in enumerate(values) if v is not None and str(v).strip()
        }
        if texts:
            yield number, texts


def _letter(sheet: str, name: str) -> str:
    return get_column_letter([n for n, _, _ in COLUMNS[sheet]].index(name) + 1)


class _Row:
    """One row's cells by field name, refusing a missing required one."""

    def __init__(self, reader: _Reader, sheet: str, number: int, cells: dict[int, str]) -> None:
        self._reader, self.sheet, self.number = reader, sheet, number
        self._cells = {COLUMNS[sheet][i][0]: text for i, text in cells.items()}
        self.ok = True

    def get(self, name: str) -> str | None:
        return self._cells.get(name)

    def need(self, name: str) -> str:
        value = self._cells.get(name)
        if value is None:
            self.bad(name, Message("a value is required"))
            return ""
        return value

    def choice(self, name: str, options: dict[str, T]) -> T | None:
        """The option the cell names (required), or None after refusing the cell."""
        value = self.need(name)
        if not value:
            return None
        found = options.get(value.lower())
        if found is None:
            expected = Message.joined((Message.of(o) for o in dict.fromkeys(options)), ", ")
            self.bad(name, Message("must be one of {expected}", expected=expected))
        return found

    def bad(self, name: str, message: Message) -> None:
        self.ok = False
        self._reader.refuse((self.sheet, self.number, _letter(self.sheet, name)), message)


def read_workbook(data: bytes) -> OrgWorkbook:
    """The year and its organisation, or WorkbookRefused listing every problem."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        problem = ImportProblem("-", 0, "-", Message("this file is not an Excel workbook (.xlsx)"))
        raise WorkbookRefused([problem]) from None
    try:
        reader = _Reader()
        missing = [name for name in COLUMNS if name not in book.sheetnames]
        for name in missing:
            reader.refuse((name, 1, "A"), Message("the sheet {sheet} is missing", sheet=name))
        if missing:
            raise WorkbookRefused(reader.problems)
        rows = {
            name: [_Row(reader, name, n, c) for n, c in _cells(book[name], len(columns))]
            for name, columns in COLUMNS.items()
        }
    finally:
        book.close()
    year, notes = _year(reader, rows[YEAR])
    content = OrgContent(
        units=tuple(_units(reader, rows[UNITS])),
        groups=tuple(_groups(reader, rows[GROUPS], rows[MEMBERS])),
        people=tuple(_people(reader, rows[PEOPLE])),
        notes=notes,
    )
    content = _with_council(reader, content, rows[COUNCIL])
    for violation in violations(content):
        reader.refuse(
            reader.where(violation.entity, violation.key, violation.field), violation.message
        )
    if reader.problems:
        raise WorkbookRefused(sorted(reader.problems, key=_order))
    return OrgWorkbook(year, content, hashlib.sha256(data).hexdigest())


def _order(problem: ImportProblem) -> tuple[int, int, str]:
    return (
        list(COLUMNS).index(problem.sheet) if problem.sheet in COLUMNS else -1,
        problem.row,
        problem.column,
    )


def _year(reader: _Reader, rows: list[_Row]) -> tuple[int, str]:
    if not rows:
        reader.refuse((YEAR, FIRST_ROW, "A"), Message("the workbook holds no year"))
        return 0, ""
    row = rows[0]
    text = row.need("year")
    try:
        year = int(float(text))
        check_year(year)
    except ValueError:
        row.bad("year", Message("a whole number is required"))
        return 0, ""
    except InvalidInput as refused:
        row.bad("year", refused.message)
        return 0, ""
    return year, row.get("notes") or ""


def _units(reader: _Reader, rows: list[_Row]) -> Iterator[Unit]:
    # A row with a bad cell still names its unit, so other sheets' rows that refer to it are
    # not reported too; the import is refused anyway.
    kinds = {k.value: k for k in UnitKind}
    for row in rows:
        unit_id, name = row.need("id"), row.need("name")
        kind = row.choice("kind", kinds) or UnitKind.PROVINCIAL_UNION
        if unit_id:
            reader.place(Entity.UNIT, unit_id, UNITS, row.number, ("id",))
            yield Unit(unit_id, name, kind, row.get("women_share"))


def _groups(reader: _Reader, rows: list[_Row], member_rows: list[_Row]) -> Iterator[Group]:
    members: dict[str, list[str]] = {}
    for row in member_rows:
        group_id, unit_id = row.need("group"), row.need("unit")
        if row.ok:
            members.setdefault(group_id, []).append(unit_id)
            key = f"{group_id}|{unit_id}"
            reader.place(Entity.MEMBER, key, MEMBERS, row.number, ("group", "unit"))
    known = {row.get("id") for row in rows}
    for group_id in members.keys() - known:
        row = next(r for r in member_rows if r.get("group") == group_id)
        row.bad("group", Message("no cluster or block {group} in this year", group=group_id))
    for row in rows:
        group_id, name = row.need("id"), row.need("name")
        scope = row.choice("scope", _SCOPES) or Scope.CLUSTER
        if group_id:
            fields = ("id", "head", "deputy", "supervisor")
            reader.place(Entity.GROUP, group_id, GROUPS, row.number, fields)
            yield Group(
                group_id,
                name,
                scope,
                tuple(members.get(group_id, ())),
                row.get("head"),
                row.get("deputy"),
                row.get("supervisor"),
                row.get("note") or "",
            )


def _people(reader: _Reader, rows: list[_Row]) -> Iterator[Person]:
    known = {role.value: role for role in Role if role != Role.SYSTEM}
    for row in rows:
        username, full_name = row.need("username"), row.need("full_name")
        roles: list[Role] = []
        for text in (row.get("roles") or "").split(","):
            if text.strip() and text.strip().lower() not in known:
                expected = Message.joined((Message.of(r) for r in known), ", ")
                row.bad("roles", Message("must be one of {expected}", expected=expected))
            elif text.strip():
                roles.append(known[text.strip().lower()])
        if username:
            reader.place(Entity.PERSON, username, PEOPLE, row.number, ("username", "unit_id"))
            invented = (row.get("invented") or "").lower() in _YES
            yield Person(
                username, full_name, row.get("unit_id"), tuple(roles), row.get("gender"), invented
            )


def _with_council(reader: _Reader, content: OrgContent, rows: list[_Row]) -> OrgContent:
    named: dict[str, list[str]] = {position: [] for position in POSITIONS}
    for row in rows:
        position = row.choice("position", {p: p for p in POSITIONS})
        username = row.need("username")
        if row.ok and position is not None:
            named[position].append(username)
            fields = ("position", "username")
            reader.place(Entity.COUNCIL, username, COUNCIL, row.number, fields)
            reader.places[(Entity.COUNCIL, username, position)] = (COUNCIL, row.number, "B")
    for position in ("president", "chair", "standing_member"):
        for extra in named[position][1:]:
            where = reader.where(Entity.COUNCIL, extra, position)
            reader.refuse(where, Message("only one person may hold this position"))
    council = Council(
        chair=next(iter(named["chair"]), None),
        vice_chairs=tuple(named["vice_chair"]),
        standing_member=next(iter(named["standing_member"]), None),
        members=tuple(named["member"]),
    )
    president = next(iter(named["president"]), None)
    return OrgContent(
        units=content.units,
        groups=content.groups,
        council=council,
        people=content.people,
        president=president,
        presidium=tuple(named["presidium"]),
        notes=content.notes,
    )


def import_workbook(
    organisation: Organisation,
    data: bytes,
    actor: Actor,
    reason: str,
    key: str,
    year: int | None = None,
) -> tuple[OrgWorkbook, bool]:
    """Read the workbook (for ``year`` when given) and record it as its year, all or
    nothing; answers it and whether anything was recorded (the same content: nothing)."""
    book = read_workbook(data)
    if year is not None and book.year != year:
        message = Message("the workbook is for {found}, not {year}", found=book.year, year=year)
        raise WorkbookRefused([ImportProblem(YEAR, FIRST_ROW, "A", message)])
    changed = organisation.import_year(book.year, book.content, book.sha256, actor, reason, key)
    return book, changed
