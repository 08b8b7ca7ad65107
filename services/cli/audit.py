"""`awards audit`: verify the whole store or one proposal, seal it, replay a proposal."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from services.application.proposals import ProposalNotFound
from services.application.views import proposal_view
from services.audit import record as audit
from services.audit.record_pdf import FontMissing
from services.audit.trail import AuditTrail, ChainNotInstalled, SealRefused, record_json
from services.i18n.labels import Lang, Words
from services.stack import database, load_settings

app = typer.Typer(
    help="Audit: verify the event store, seal it, replay proposals", no_args_is_help=True
)
console = Console(highlight=False)


def _trail() -> AbstractContextManager[AuditTrail]:
    settings = load_settings()
    return AuditTrail.opened(settings, database(settings))


def _proposal_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        console.print(f"[red]{text} is not a proposal id[/]")
        raise typer.Exit(2) from None


LANG = typer.Option("vi", "--lang", help="vi (Vietnamese, the default) or en (English)")


def _lang(text: str) -> Lang:
    if text not in ("vi", "en"):
        console.print(f"[red]--lang is vi or en, not {text}[/]")
        raise typer.Exit(2)
    return "vi" if text == "vi" else "en"


@app.command()
def verify(
    proposal: str | None = typer.Option(None, help="verify only this proposal's events"),
    seal: Path | None = typer.Option(
        None, help="also hold the log to this exported seal file (beside the seal folder's)"
    ),
    lang: str = LANG,
) -> None:
    """Check every stored event against the hash chain and the newest signed seal; say what
    was covered, and name the first failure."""
    reader = _lang(lang)
    originator = _proposal_id(proposal) if proposal else None
    with (
        _trail() as trail,
        Progress(
            TextColumn("verifying"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("verify", total=trail.events())
        try:
            checked = trail.verify(
                originator, seal, progress=lambda n: progress.update(task, completed=n)
            )
        except SealRefused as error:
            console.print(f"[red]{REFUSED.read(reader)}[/] {error}", soft_wrap=True)
            raise typer.Exit(2) from None
        except ChainNotInstalled as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(2) from None
    verdict = "[green]OK[/]" if checked.ok else "[bold red]TAMPERED[/]"
    console.print(f"{verdict} {checked.text(reader)}", soft_wrap=True)
    if not checked.ok:
        raise typer.Exit(1)


REFUSED = Words("dấu niêm phong bị từ chối:", "seal refused:")


@app.command("seal")
def seal_command(
    export: Path | None = typer.Option(None, help="also copy the signed seal file here"),
) -> None:
    """Seal the log as it is now: signed, kept in the seals table and the seal folder;
    optionally exported as a file for auditors to keep."""
    try:
        with _trail() as trail:
            sealed = trail.seal()
    except ChainNotInstalled as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    if sealed is None:
        console.print("the log is empty: nothing to seal")
        raise typer.Exit(1)
    console.print(
        f"sealed {sealed.events} events up to event {sealed.up_to}: {sealed.log_hash.hex()}"
        f" ({sealed.source})",
        soft_wrap=True,
    )
    if export is not None:
        export.write_text(json.dumps(sealed.document, indent=2, ensure_ascii=False) + "\n")
        console.print(f"signed seal written to {export}")


def _record(trail: AuditTrail, proposal: str) -> dict[str, Any]:
    try:
        return trail.record(_proposal_id(proposal))
    except ProposalNotFound as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None


@app.command()
def replay(proposal: str, as_json: bool = typer.Option(False, "--json"), lang: str = LANG) -> None:
    """Print a proposal step by step: each event in words, who (name, role, unit), when
    (Vietnam time), the state after, document hashes and the recount of each vote."""
    reader = _lang(lang)
    with _trail() as trail:
        record = _record(trail, proposal)
    if as_json:
        typer.echo(record_json(record))
        return
    console.print(f"[bold]{record['title']}[/] — {record['nominee']['name']}", soft_wrap=True)
    for line in [*audit.heading(record, reader), *audit.story(record["events"], reader)]:
        console.print(line, highlight=False, soft_wrap=True)
    for line in audit.findings(record, reader):
        console.print(line, highlight=False, soft_wrap=True)


@app.command()
def export(
    proposal: str,
    to: Path = typer.Argument(..., help="file.json or file.pdf"),
    lang: str = LANG,
) -> None:
    """Write a proposal's full audit record to a JSON file (words in both languages beside the
    raw data) or a PDF (in the chosen language)."""
    reader = _lang(lang)
    with _trail() as trail:
        record = _record(trail, proposal)
        if to.suffix.lower() == ".pdf":
            try:
                to.write_bytes(trail.export(record, "pdf", reader).content)
            except FontMissing as error:
                console.print(f"[red]{error}[/]")
                raise typer.Exit(2) from None
        else:
            to.write_text(record_json(record) + "\n")
    console.print(f"record of {proposal} written to {to}")


@app.command("as-of")
def as_of(proposal: str, time: datetime) -> None:
    """Print a proposal's state as it was at TIME (ISO-8601, with a time zone)."""
    if time.tzinfo is None:
        console.print("[red]give the time with its zone, e.g. 2026-11-20T09:00:00+07:00[/]")
        raise typer.Exit(2)
    with _trail() as trail:
        try:
            past = trail.as_of(_proposal_id(proposal), time)
        except ProposalNotFound as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(2) from None
    typer.echo(json.dumps(proposal_view(past), default=str, ensure_ascii=False, indent=2))
