"""Demo data: the organisation years 2022–2024 (VUSTA, its council and Presidium, clusters 4,
6, 8 and 9 with their real member unions) and demo accounts; people's names are invented."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from domain.kernel.actor import SYSTEM, Role
from domain.organisation.values import Council, Group, OrgContent, Person, Unit, UnitKind
from domain.rulebook.version import Scope
from services.application.accounts import Accounts
from services.application.directory import Directory

VUSTA = Unit("vusta", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", UnitKind.CENTRAL)

# DOMAIN.md §1: the clusters of Decision 586/QĐ-LHHVN as known for 2022–2024.
CLUSTERS: dict[str, tuple[str, list[str]]] = {
    "cum-4": (
        "Cụm thi đua số 4",
        [
            "Ninh Bình",
            "Thanh Hóa",
            "Nghệ An",
            "Hà Tĩnh",
            "Quảng Bình",
            "Quảng Trị",
            "Thừa Thiên Huế",
        ],
    ),
    "cum-6": (
        "Cụm thi đua số 6",
        [
            "Quảng Ngãi",
            "Bình Định",
            "Phú Yên",
            "Khánh Hòa",
            "Ninh Thuận",
            "Bình Thuận",
        ],
    ),
    "cum-8": (
        "Cụm thi đua số 8 (Bắc Sông Hậu)",
        [
            "Bến Tre",
            "Vĩnh Long",
            "Tiền Giang",
            "Đồng Tháp",
            "An Giang",
            "Trà Vinh",
        ],
    ),
    "cum-9": (
        "Cụm thi đua số 9 (Nam Sông Hậu)",
        [
            "Cần Thơ",
            "Sóc Trăng",
            "Bạc Liêu",
            "Cà Mau",
            "Hậu Giang",
            "Kiên Giang",
        ],
    ),
}
_CITIES = {"Cần Thơ"}
_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quốc Dũng",
    "Thu Hà",
    "Đức Hải",
    "Thanh Hương",
    "Hữu Khang",
    "Ngọc Lan",
    "Công Minh",
    "Thị Nga",
    "Văn Phúc",
    "Hồng Quân",
    "Thị Thảo",
]


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    ascii_only = "".join(ch for ch in plain if unicodedata.category(ch) != "Mn")
    return "-".join(ascii_only.lower().split())


def _person(index: int) -> str:
    return f"{_SURNAMES[index % len(_SURNAMES)]} {_GIVEN[(index * 7) % len(_GIVEN)]}"


# The three recorded demo years. The clusters' members are real (DOMAIN.md §1); every
# person's name is invented (Person.invented), and so is every head or deputy marked in a
# group's note. The organisation of 2024 stays in force until a later year is recorded: today
# (2026) the demo users hold their 2024 roles.
DEMO_YEARS = (2022, 2023, 2024)
PRESIDIUM = ("president", "council.1", "council.2")  # invented: the demo's own people
SUPERVISORS = {
    "cum-4": "council.1",
    "cum-6": "council.2",
    "cum-8": "council.1",
    "cum-9": "council.2",
}
_INVENTED = "Trưởng/phó cụm do bản demo tự chọn (invented for the demo)"
# Cụm 6's heads and deputies: 2022's head and 2023's pair are real (DOMAIN.md §1).
LEADERS: dict[int, tuple[str, str | None, str]] = {
    2022: ("Quảng Ngãi", None, ""),
    2023: ("Bình Định", "Phú Yên", ""),
    2024: ("Phú Yên", "Khánh Hòa", _INVENTED),
}


def unit_id(province: str) -> str:
    return f"lhh-{slug(province)}"


def demo_people(year: int) -> list[Person]:
    """The demo users of a year: a proposer and a member per union, VUSTA's own people.
    council.5 joins the council in 2023 (roles are per year)."""
    people: list[Person] = []
    n = 0
    for _, provinces in CLUSTERS.values():
        for province in provinces:
            for role, suffix in ((Role.PROPOSER, "proposer"), (Role.CLUSTER_MEMBER, "member")):
                n += 1
                people.append(_demo(f"{slug(province)}.{suffix}", n, unit_id(province), role))
    central = [
        ("vusta.secretary", Role.COUNCIL_SECRETARY),
        *((f"council.{i}", Role.COUNCIL_MEMBER) for i in range(1, 6)),
        ("president", Role.PRESIDENT),
        ("auditor", Role.AUDITOR),
        ("admin", Role.ADMIN),
    ]
    for username, role in central:
        n += 1
        if username != "council.5" or year >= 2023:
            people.append(_demo(username, n, VUSTA.id, role))
    return people


def _demo(username: str, n: int, unit: str, role: Role) -> Person:
    return Person(username, _person(n), unit, (role,), invented=True)


def demo_year(year: int) -> OrgContent:
    """The organisation of one demo year."""
    units = [VUSTA] + [
        Unit(
            unit_id(p),
            f"Liên hiệp Hội {'thành phố' if p in _CITIES else 'tỉnh'} {p}",
            UnitKind.PROVINCIAL_UNION,
        )
        for _, provinces in CLUSTERS.values()
        for p in provinces
    ]
    head, deputy, note = LEADERS[year]
    groups = [
        Group(
            id=cid,
            name=name,
            scope=Scope.CLUSTER,
            members=tuple(unit_id(p) for p in provinces),
            head=unit_id(head) if cid == "cum-6" else None,
            deputy=unit_id(deputy) if cid == "cum-6" and deputy else None,
            supervisor=SUPERVISORS[cid],
            note=note if cid == "cum-6" else "",
        )
        for cid, (name, provinces) in CLUSTERS.items()
    ]
    members = (
        ("council.3", "council.4", "council.5") if year >= 2023 else ("council.3", "council.4")
    )
    council = Council("president", ("council.1", "council.2"), "vusta.secretary", members)
    return OrgContent(
        units=tuple(units),
        groups=tuple(groups),
        council=council,
        people=tuple(demo_people(year)),
        president="president",
        presidium=PRESIDIUM,
        notes="Dữ liệu demo: tên người là giả định (demo data: people's names are invented)",
    )


def seed(directory: Directory) -> int:
    """Record the demo years that are not recorded yet (idempotent: a recorded year, edited
    or not, is left as it is); answers the number of users in force today."""
    directory.ensure_schema()
    organisation = directory.organisation
    for year in DEMO_YEARS:
        organisation.open_year(year, demo_year(year), SYSTEM, "demo data", f"demo:{year}")
    return len(directory.users())


def demo_password(secret: bytes, username: str) -> str:
    """A demo user's first password: fixed for this installation's secret, unguessable
    without it, so `awards up` can print it again on every start."""
    digest = hmac.new(secret, f"demo-password:{username}".encode(), hashlib.sha256).hexdigest()
    return f"demo-{digest[:10]}"


def seed_accounts(accounts: Accounts, secret: bytes) -> None:
    """Give every demo user an account with its demo password, unless it has one already
    (a password changed since is kept)."""
    accounts.ensure_schema()
    for person in demo_people(DEMO_YEARS[-1]):
        accounts.ensure_account(
            person.username, demo_password(secret, person.username), "demo data"
        )
