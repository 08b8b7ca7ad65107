"""`awards org`: import a year's organisation from an Excel workbook, export one (or the
template), list the recorded years."""

from __future__ import annotations

import getpass
import uuid
from pathlib import Path

import typer
from rich.console import Console

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError
from domain.organisation.values import OrgContent
from services.application.org_export import write_workbook
from services.application.org_workbook import WorkbookRefused, import_workbook
from services.application.registry import opened_organisation
from services.i18n.catalogue import Language, render
from services.stack import database, load_settings

app = typer.Typer(help="Organisation years: import and export the workbook", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


def _url() -> str:
    return database(load_settings())


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="the .xlsx workbook"),
    reason: str = typer.Option("", help="why (kept with the event); default: the file's name"),
    actor: str = typer.Option(getpass.getuser(), help="who imports (kept with the event)"),
) -> None:
    """Record the workbook as its year's whole organisation: all or nothing. Every bad cell
    is listed by sheet, row and column; the same content again records nothing."""
    who = Actor(f"cli:{actor}", Role.ADMIN)
    with opened_organisation(_url()) as organisation:
        try:
            book, changed = import_workbook(
                organisation,
                file.read_bytes(),
                who,
                reason or f"imported {file.name}",
                f"import:{uuid.uuid4()}",
            )
        except WorkbookRefused as refused:
            for problem in refused.problems:
                described = problem.described()
                console.print(f"[red]{render(described, Language.VI)}[/]")
                console.print(f"  {render(described, Language.EN)}")
            console.print(
                f"[red]Không nhập gì / nothing imported: {len(refused.problems)} lỗi / problems[/]"
            )
            raise typer.Exit(1) from None
        except DomainError as refused:
            console.print(f"[red]{render(refused.message, Language.VI)}[/]")
            console.print(f"  {render(refused.message, Language.EN)}")
            raise typer.Exit(1) from None
    what = "đã ghi / recorded" if changed else "không đổi / unchanged (same content)"
    console.print(f"{book.year}: {what}; sha256 {book.sha256}")


@app.command("export")
def export_command(
    year: int = typer.Argument(..., help="the emulation year"),
    file: Path = typer.Argument(..., dir_okay=False, help="the .xlsx file to write"),
    template: bool = typer.Option(False, help="write an empty template for YEAR instead"),
) -> None:
    """Write the year's organisation (exactly that year) in the layout `import` reads."""
    with opened_organisation(_url()) as organisation:
        found = None if template else organisation.year(year)
    if found is None and not template:
        console.print(f"[red]Chưa có năm {year} / the year {year} is not recorded[/]")
        raise typer.Exit(1)
    file.write_bytes(write_workbook(year, found.content if found else OrgContent()))
    console.print(f"{file}: {year}")


@app.command("years")
def years_command() -> None:
    """The recorded years."""
    with opened_organisation(_url()) as organisation:
        years = organisation.years()
    console.print(" ".join(str(y) for y in years) or "Chưa có năm nào / no year recorded")
