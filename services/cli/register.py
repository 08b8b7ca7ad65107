"""`awards register`: import earlier years' awards from Excel; show what a nominee holds."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import InvalidInput
from services.application.register_workbook import WorkbookRejected
from services.i18n.catalogue import both
from services.projections.maintenance import open_register
from services.stack import database, load_settings

app = typer.Typer(
    help="The award register: import from Excel, show a nominee's awards", no_args_is_help=True
)
console = Console(highlight=False)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="the .xlsx workbook"),
    by: str = typer.Option("admin", help="the admin recorded as importing it"),
) -> None:
    """Import every entry of the workbook's sheet 'register' (see the README for its columns),
    or none: bad cells are listed by sheet, row and column. The same file again changes
    nothing."""
    register = open_register(database(load_settings()))
    try:
        done = register.import_workbook(
            file, Actor(by, Role.ADMIN), f"awards register import {file.name}"
        )
    except WorkbookRejected as refused:
        for problem in refused.problems:
            texts = both(problem)
            console.print(f"[red]{texts['vi']}[/]\n  {texts['en']}")
        raise typer.Exit(1) from None
    except InvalidInput as refused:
        texts = both(refused.message)
        console.print(f"[red]{texts['vi']}[/]\n  {texts['en']}")
        raise typer.Exit(1) from None
    console.print(
        f"Đã nhập {done.recorded} mục mới / imported {done.recorded} new entries"
        f" ({done.entries} rows, {done.nominees} nominee(s) changed)"
    )


@app.command()
def show(
    nominee: str = typer.Argument(
        ..., help="unit:<unit id>, person:<username> or person:<unit>/<name>"
    ),
    year: int | None = typer.Option(None, help="only this emulation year"),
) -> None:
    """The awards and titles a nominee holds, decided and imported."""
    register = open_register(database(load_settings()))
    register.follower.catch_up()
    table = Table("year", "code", "achievement", "source", "reference", "group")
    for entry in register.entries_for(nominee, year):
        table.add_row(
            str(entry.year),
            entry.code,
            entry.achievement,
            entry.source.value,
            entry.reference,
            entry.group,
        )
    console.print(table)
