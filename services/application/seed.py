"""Demo data: VUSTA, its council and presidium, clusters 4, 6, 8 and 9 with their member unions."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from services.application.accounts import Accounts
from services.application.directory import Cluster, Directory, Unit, User

DEMO_YEAR = 2026
VUSTA = Unit(
    id="vusta",
    name="Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
    kind="central",
    cluster_id=None,
)

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


def demo_directory() -> tuple[list[Cluster], list[Unit], list[User]]:
    clusters = [Cluster(id=cid, name=name, year=DEMO_YEAR) for cid, (name, _) in CLUSTERS.items()]
    units = [VUSTA]
    users: list[User] = []
    n = 0
    for cid, (_, provinces) in CLUSTERS.items():
        for province in provinces:
            kind = "thành phố" if province in _CITIES else "tỉnh"
            unit = Unit(
                id=f"lhh-{slug(province)}",
                name=f"Liên hiệp Hội {kind} {province}",
                kind="provincial_union",
                cluster_id=cid,
            )
            units.append(unit)
            for role, suffix in (("proposer", "proposer"), ("cluster_member", "member")):
                n += 1
                users.append(
                    User(
                        username=f"{slug(province)}.{suffix}",
                        full_name=_person(n),
                        roles=[role],
                        unit_id=unit.id,
                        cluster_id=cid,
                    )
                )
    central = [
        ("vusta.secretary", ["council_secretary"]),
        *((f"council.{i}", ["council_member"]) for i in range(1, 6)),
        ("president", ["president"]),
        ("auditor", ["auditor"]),
        ("admin", ["admin"]),
    ]
    for username, roles in central:
        n += 1
        users.append(User(username=username, full_name=_person(n), roles=roles, unit_id=VUSTA.id))
    return clusters, units, users


def seed(directory: Directory) -> int:
    """Write the demo directory (idempotent); answers the number of users."""
    directory.ensure_schema()
    clusters, units, users = demo_directory()
    directory.save(clusters, units, users)
    return len(users)


def demo_password(secret: bytes, username: str) -> str:
    """A demo user's first password: fixed for this installation's secret, unguessable
    without it, so `awards up` can print it again on every start."""
    digest = hmac.new(secret, f"demo-password:{username}".encode(), hashlib.sha256).hexdigest()
    return f"demo-{digest[:10]}"


def seed_accounts(accounts: Accounts, secret: bytes) -> None:
    """Give every demo user an account with its demo password, unless it has one already
    (a password changed since is kept)."""
    accounts.ensure_schema()
    for user in demo_directory()[2]:
        accounts.ensure_account(user.username, demo_password(secret, user.username), "demo data")
