"""`awards audit`: verify the whole store or one proposal, seal it, replay a proposal."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from infra import chain, seals
from infra.postgres import Pool, connection_pool
from infra.settings import Settings
from services.application.directory import Directory
from services.application.proposals import AwardsApplication, ProposalNotFound
from services.application.views import proposal_view
from services.audit import integrity, record_pdf
from services.audit import record as audit
from services.audit.event_descriptions import DirectoryPeople
from services.i18n.labels import Lang, Words
from services.runtime import EVENTS_TABLE, build_application
from services.stack import database, load_settings

app = typer.Typer(
    help="Audit: verify the event store, seal it, replay proposals", no_args_is_help=True
)
console = Console(highlight=False)


def _open() -> tuple[Settings, AwardsApplication, Pool]:
    settings = load_settings()
    url = database(settings)
    return settings, build_application(url), connection_pool(url, max_size=2)


def _proposal_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        console.print(f"[red]{text} is not a proposal id[/]")
        raise typer.Exit(2) from None


def _count(pool: Pool) -> int:
    with pool.connection() as conn:
        row = conn.execute(f"SELECT count(*) AS n FROM {EVENTS_TABLE}").fetchone()
    return int(row["n"]) if row else 0


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
    settings, events_app, pool = _open()
    events_app.close()
    originator = _proposal_id(proposal) if proposal else None
    total = _count(pool)
    with Progress(
        TextColumn("verifying"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("verify", total=total)
        try:
            checked = integrity.check(
                pool,
                settings,
                originator,
                seal,
                progress=lambda n: progress.update(task, completed=n),
                events_table=EVENTS_TABLE,
            )
        except seals.SealRefused as error:
            console.print(f"[red]{REFUSED.read(reader)}[/] {error}", soft_wrap=True)
            raise typer.Exit(2) from None
        except chain.ChainNotInstalled as error:
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
    settings, events_app, pool = _open()
    events_app.close()
    try:
        sealed = seals.take(pool, settings.resolved_signing_key(), settings.resolved_seal_dir())
    except chain.ChainNotInstalled as error:
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


def _record(proposal: str) -> tuple[Settings, dict[str, Any]]:
    settings, events_app, pool = _open()
    people = DirectoryPeople(Directory(pool))
    try:
        record = audit.record(events_app, pool, EVENTS_TABLE, _proposal_id(proposal), people)
        return settings, record
    except ProposalNotFound as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    finally:
        events_app.close()
        pool.close()


@app.command()
def replay(proposal: str, as_json: bool = typer.Option(False, "--json"), lang: str = LANG) -> None:
    """Print a proposal step by step: each event in words, who (name, role, unit), when
    (Vietnam time), the state after, document hashes and the recount of each vote."""
    reader = _lang(lang)
    _, record = _record(proposal)
    if as_json:
        typer.echo(json.dumps(record, default=str, ensure_ascii=False, indent=2))
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
    settings, record = _record(proposal)
    if to.suffix.lower() == ".pdf":
        try:
            font = record_pdf.find_font(settings.pdf_font)
            to.write_bytes(record_pdf.render(record, font, reader))
        except record_pdf.FontMissing as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(2) from None
    else:
        to.write_text(json.dumps(record, default=str, ensure_ascii=False, indent=2) + "\n")
    console.print(f"record of {proposal} written to {to}")


@app.command("as-of")
def as_of(proposal: str, time: datetime) -> None:
    """Print a proposal's state as it was at TIME (ISO-8601, with a time zone)."""
    if time.tzinfo is None:
        console.print("[red]give the time with its zone, e.g. 2026-11-20T09:00:00+07:00[/]")
        raise typer.Exit(2)
    _, events_app, _ = _open()
    try:
        past = events_app.proposal(_proposal_id(proposal), as_of=time)
    except ProposalNotFound as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    finally:
        events_app.close()
    typer.echo(json.dumps(proposal_view(past), default=str, ensure_ascii=False, indent=2))
