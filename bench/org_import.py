"""Importing a 63-unit, 9-cluster organisation workbook, against reading the same workbook with
openpyxl alone, in the same run (issue 11: under 2 s, at least 0.5× the bare read's speed).

The workbook: 63 provincial unions in 9 clusters (four of 7, three of 6, one of 8, one of 9:
DOMAIN.md §1), two people per union, VUSTA's council. Each import records a year of its own in
a fresh database (AWARDS_BENCH_DATABASE_URL's server, default the local one on 5432): it reads
and checks every cell, appends the event and rewrites the year's read model.

    .venv/bin/python bench/org_import.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from collections.abc import Callable
from io import BytesIO

from openpyxl import load_workbook

from domain.kernel.actor import Actor, Role
from domain.organisation.values import Council, Group, OrgContent, Person, Unit, UnitKind
from domain.rulebook.version import Scope
from infra.postgres import connection_pool, create_database, drop_database, with_database
from services.application.org_export import write_workbook
from services.application.org_workbook import import_workbook
from services.application.organisation import Organisation
from services.runtime import build_application

SIZES = (7, 7, 7, 7, 6, 6, 6, 8, 9)
ADMIN = Actor("bench", Role.ADMIN)


def generated() -> OrgContent:
    units = [Unit("vusta", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", UnitKind.CENTRAL)]
    groups, people = [], []
    n = 0
    for number, size in enumerate(SIZES, start=1):
        members = []
        for _ in range(size):
            n += 1
            unit = Unit(f"lhh-{n:02}", f"Liên hiệp Hội tỉnh số {n:02}", UnitKind.PROVINCIAL_UNION)
            units.append(unit)
            members.append(unit.id)
            for role in (Role.PROPOSER, Role.CLUSTER_MEMBER):
                people.append(Person(f"u{n:02}.{role.value}", f"Người {n}", unit.id, (role,)))
        groups.append(
            Group(
                f"cum-{number}",
                f"Cụm thi đua số {number}",
                Scope.CLUSTER,
                tuple(members),
                members[0],
                members[1],
                "p1",
            )
        )
    central = [Person(f"p{i}", f"Ủy viên {i}", "vusta", (Role.COUNCIL_MEMBER,)) for i in range(9)]
    assert len(units) == 64 and sum(SIZES) == 63
    return OrgContent(
        units=tuple(units),
        groups=tuple(groups),
        council=Council("p0", ("p1", "p2", "p3", "p4"), "p5", ("p6", "p7", "p8")),
        people=tuple(people + central),
        president="p0",
        presidium=("p0", "p1", "p2"),
    )


def bare_read(data: bytes) -> None:
    book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    server = os.environ.get(
        "AWARDS_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"awards_bench_org_{secrets.token_hex(4)}"
    create_database(server, name)
    url = with_database(server, name)
    app = build_application(url)
    pool = connection_pool(url, max_size=2)
    try:
        organisation = Organisation(app, pool)
        organisation.ensure_schema()
        content = generated()
        books = {year: write_workbook(year, content) for year in range(2001, 2002 + runs)}
        import_workbook(organisation, books.pop(2001), ADMIN, "warm-up", "warm-up")
        reads, imports = [], []
        for year, data in books.items():
            reads.append(timed(lambda data=data: bare_read(data)))
            imports.append(
                timed(
                    lambda y=year, d=data: import_workbook(organisation, d, ADMIN, "bench", f"{y}")
                )
            )
        again = timed(lambda: import_workbook(organisation, data, ADMIN, "bench", "again"))
    finally:
        pool.close()
        app.close()
        drop_database(server, name)
    read, imported = statistics.median(reads), statistics.median(imports)
    print(
        f"workbook: {len(content.units) - 1} unions, {len(content.groups)} clusters,"
        f" {len(content.people)} people, {len(data)} bytes; {runs} runs, medians"
    )
    print(f"  openpyxl read alone : {read * 1000:7.1f} ms")
    print(f"  import (recorded)   : {imported * 1000:7.1f} ms  (max {max(imports) * 1000:.1f} ms)")
    print(f"  re-import, same     : {again * 1000:7.1f} ms  (records nothing)")
    print(f"  speed vs bare read  : {read / imported:.2f}×  (goal ≥ 0.5×; import ≤ 2 s)")


if __name__ == "__main__":
    main()
