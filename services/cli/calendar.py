"""`awards calendar`: a year's days off and make-up Saturdays, and an admin's additions."""

from __future__ import annotations

import typer
from rich.console import Console

from domain.kernel.errors import DomainError
from services.cli.output import print_table
from services.cli.rules import AS, REASON, opened_admin, parse_day, refused

app = typer.Typer(help="Working days: the year's days off and make-up Saturdays (admin)")
console = Console(highlight=False)
DAY = typer.Argument(..., help="the day, YYYY-MM-DD")


@app.command()
def show(year: int = typer.Argument(..., min=2000, max=2100)) -> None:
    """The year's public holidays on weekdays, days off and make-up Saturdays, with their
    source: holiday (holidays.VN), table (the code's defaults) or recorded (who, why)."""
    with opened_admin() as admin:
        days = admin.calendars.year(year)
    rows = [
        (
            d.day.isoformat(),
            "làm bù / working" if d.working else "nghỉ / off",
            d.source,
            d.actor,
            d.reason,
        )
        for d in days
    ]
    print_table(("day", "kind", "source", "by", "reason"), rows, whole=(0, 2, 3))


def _record(working: bool, day: str, reason: str, as_user: str | None) -> None:
    when = parse_day(day)
    kind = "saturday" if working else "off"
    with opened_admin() as admin:
        add = admin.calendars.add_working_saturday if working else admin.calendars.add_day_off
        try:
            # The day is the key: the same day recorded twice is recorded once.
            added = add(when, admin.actor(as_user), reason, f"{kind}:{when.isoformat()}")
        except DomainError as error:
            raise refused(error) from None
    done = "đã ghi / recorded" if added else "đã có / recorded before"
    console.print(f"{when.isoformat()}: {done}")


@app.command("add-day-off")
def add_day_off(day: str = DAY, reason: str = REASON, as_user: str = AS) -> None:
    """Give a working weekday off (the government's swap for that year)."""
    _record(False, day, reason, as_user)


@app.command("add-working-saturday")
def add_working_saturday(day: str = DAY, reason: str = REASON, as_user: str = AS) -> None:
    """Make a Saturday a working day (làm bù)."""
    _record(True, day, reason, as_user)
