"""`awards rules`: the rulebook's versions (show, the one in force on a day), an admin's new
version or correction from a YAML or JSON file, and the file's JSON Schema."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from domain.kernel.calendar import today
from domain.kernel.errors import DomainError
from domain.rulebook.version import RulebookVersion
from services.api.problems import validation_message
from services.application.rulebook_file import RulebookFileInvalid, document, read_text, schema
from services.application.rules_admin import RulesAdmin, opened_rules
from services.cli.output import print_table
from services.i18n.catalogue import both
from services.stack import database, load_settings

app = typer.Typer(help="The rulebook: versions by effective date; add one (admin)")
console = Console(highlight=False, soft_wrap=True)
AS = typer.Option(None, "--as", help="the admin acting (a directory user); default: your login")
REASON = typer.Option(..., "--reason", help="why, kept with the change")


@contextmanager
def opened_admin() -> Iterator[RulesAdmin]:
    with opened_rules(database(load_settings())) as admin:
        yield admin


def refused(error: DomainError) -> typer.Exit:
    """Print a refusal in Vietnamese then English (each field on a line of its own)."""
    texts = both(error.message)
    console.print(f"[red]{texts['vi']}[/]\n[red]{texts['en']}[/]")
    if isinstance(error, RulebookFileInvalid):
        for found in error.errors:
            where = ".".join(str(part) for part in found["loc"])
            problem = both(validation_message(found))
            console.print(f"  {where}: {problem['vi']} / {problem['en']}")
    return typer.Exit(1)


@app.command()
def show(
    on: str = typer.Option(None, "--on", help="the version in force on this day (YYYY-MM-DD)"),
    as_json: bool = typer.Option(False, "--json", help="the version file(s) as JSON"),
) -> None:
    """List the versions, or (--on) the one in force on a day with its numbers."""
    with opened_admin() as admin:
        try:
            found = [admin.rulebook.in_force(parse_day(on))] if on else admin.rulebook.versions()
        except DomainError as error:
            raise refused(error) from None
    if as_json:
        data = [document(v) for v in found]
        typer.echo(json.dumps(data[0] if on else data, ensure_ascii=False, indent=2))
        return
    if on:
        _describe(found[0])
        return
    now = today()
    rows = [
        (
            "*" if v.in_force_on(now) else "",
            v.code,
            v.effective_from.isoformat(),
            v.effective_to.isoformat() if v.effective_to else "",
            v.title,
        )
        for v in found
    ]
    print_table(("", "code", "from", "to (excluded)", "title"), rows, whole=(1, 2, 3))


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        console.print(f"[red]ngày không hợp lệ / not a date (YYYY-MM-DD): {text}[/]")
        raise typer.Exit(2) from None


def _describe(version: RulebookVersion) -> None:
    end = version.effective_to.isoformat() if version.effective_to else "…"
    console.print(f"[bold]{version.code}[/]  {version.effective_from.isoformat()} → {end}")
    console.print(version.title)
    for form in version.catalogue:
        route = "forwarded" if form.forwarded else "VUSTA"
        console.print(
            f"  {form.code}: {form.name_vi} ({route}) {', '.join(form.required_documents)}"
        )
    for step, rules in version.ballot_rules.items():
        for form_code, rule in rules.items():
            console.print(f"  ballot {step}/{form_code}: {rule.describe()}")
    for proposal_step, deadline in version.deadlines_proposal.items():
        console.print(f"  deadline {proposal_step.value}: {deadline.working_days} working days")
    for year_step, deadline in version.deadlines_year.items():
        console.print(f"  year {year_step.value}: {deadline.working_days} working days")
    for quota in version.quotas:
        console.print(f"  quota {quota.form}: {quota.per_year} per {quota.scope.value} and year")
    console.print(f"  published first: {', '.join(version.publication_forms)}")


def _read(path: Path) -> tuple[RulebookVersion, str]:
    """The version in the file, and a key from its content (the same file adds once)."""
    text = path.read_text(encoding="utf-8")
    return read_text(text), hashlib.sha256(text.encode()).hexdigest()[:32]


def _change(path: Path, reason: str, as_user: str | None, correcting: bool) -> None:
    with opened_admin() as admin:
        try:
            version, key = _read(path)
            change = admin.rulebook.correct if correcting else admin.rulebook.add
            done = change(version, admin.actor(as_user), reason, f"file:{key}")
        except DomainError as error:
            raise refused(error) from None
    if correcting:
        said = "đã sửa / corrected" if done else "đã sửa từ trước / corrected before"
    else:
        said = "đã thêm / added" if done else "đã có từ trước / added before"
    console.print(f"{version.code}: {said}")


FILE = typer.Argument(..., exists=True, dir_okay=False, help="a YAML or JSON file")


@app.command()
def add(file: Path = FILE, reason: str = REASON, as_user: str = AS) -> None:
    """Add a version (an admin's act). Refused: an invalid file, naming the field; a version
    in force on days another one is. Adding the same file again changes nothing."""
    _change(file, reason, as_user, correcting=False)


@app.command()
def correct(file: Path = FILE, reason: str = REASON, as_user: str = AS) -> None:
    """Correct the version with the file's code. A version already in force may only have
    its end moved to a later day than today: proposals lodged under it keep their rules."""
    _change(file, reason, as_user, correcting=True)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of a version file (docs/rulebook.schema.json)."""
    typer.echo(json.dumps(schema(), ensure_ascii=False, indent=2))
