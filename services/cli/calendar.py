"""`awards calendar`: a year's days off and make-up Saturdays, and an admin's additions."""

from __future__ import annotations

from datetime import date

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


def _key(kind: str, day: date) -> str:
    return f"{kind}:{day.isoformat()}"  # the same day twice is recorded once


@app.command("add-day-off")
def add_day_off(day: str = DAY, reason: str = REASON, as_user: str = AS) -> None:
    """Give a working weekday off (the government's swap for that year)."""
    when = parse_day(day)
    with opened_admin() as admin:
        try:
            added = admin.calendars.add_day_off(
                when, admin.actor(as_user), reason, _key("off", when)
            )
        except DomainError as error:
            raise refused(error) from None
    console.print(
        f"{when.isoformat()}: {'đã ghi / recorded' if added else 'đã có / recorded before'}"
    )


@app.command("add-working-saturday")
def add_working_saturday(day: str = DAY, reason: str = REASON, as_user: str = AS) -> None:
    """Make a Saturday a working day (làm bù)."""
    when = parse_day(day)
    with opened_admin() as admin:
        try:
            added = admin.calendars.add_working_saturday(
                when, admin.actor(as_user), reason, _key("saturday", when)
            )
        except DomainError as error:
            raise refused(error) from None
    console.print(
        f"{when.isoformat()}: {'đã ghi / recorded' if added else 'đã có / recorded before'}"
    )
