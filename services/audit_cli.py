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

from infra import chain
from infra.postgres import Pool, connection_pool
from infra.settings import Settings
from infra.signing import SealFileError, public_key_of, read_seal, sign_seal
from services import audit, record_pdf
from services.application import AwardsApplication, ProposalNotFound
from services.runtime import EVENTS_TABLE, build_application
from services.stack import database, load_settings
from services.views import proposal_view

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


@app.command()
def verify(
    proposal: str | None = typer.Option(None, help="verify only this proposal's events"),
    seal: Path | None = typer.Option(None, help="an exported seal file to check the log against"),
) -> None:
    """Check every stored event against the hash chain and the seals; name the first failure."""
    settings, events_app, pool = _open()
    expected = None
    if seal is not None:
        try:
            body = read_seal(
                json.loads(seal.read_text()), public_key_of(settings.resolved_signing_key())
            )
        except (OSError, ValueError, SealFileError) as error:
            console.print(f"[red]seal file refused:[/] {error}")
            raise typer.Exit(2) from None
        expected = (int(body["up_to"]), bytes.fromhex(body["log_hash"]))
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
            report = chain.verify(
                pool,
                EVENTS_TABLE,
                originator=originator,
                progress=lambda n: progress.update(task, completed=n),
                expected_seal=expected,
            )
        except chain.ChainNotInstalled as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(2) from None
        finally:
            events_app.close()
    if report.failure is not None:
        console.print(f"[bold red]TAMPERED[/] after {report.events} good events: {report.failure}")
        raise typer.Exit(1)
    console.print(
        f"[green]OK[/] {report.events} events verified, {report.seals_checked} seals"
        f" checked; log head {report.head.hex()} at event {report.head_id}",
        soft_wrap=True,
    )


@app.command("seal")
def seal_command(
    export: Path | None = typer.Option(None, help="write a signed seal file here"),
) -> None:
    """Seal the log as it is now; optionally export the seal as a signed file for auditors."""
    settings, events_app, pool = _open()
    events_app.close()
    try:
        sealed = chain.seal(pool, EVENTS_TABLE)
    except chain.ChainNotInstalled as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    if sealed is None:
        console.print("the log is empty: nothing to seal")
        raise typer.Exit(1)
    console.print(
        f"sealed {sealed['events']} events up to event {sealed['up_to']}: {sealed['log_hash']}",
        soft_wrap=True,
    )
    if export is not None:
        document = sign_seal(sealed, settings.resolved_signing_key())
        export.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        console.print(f"signed seal written to {export}")


def _record(proposal: str) -> tuple[Settings, dict[str, Any]]:
    settings, events_app, pool = _open()
    try:
        return settings, audit.record(events_app, pool, EVENTS_TABLE, _proposal_id(proposal))
    except ProposalNotFound as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    finally:
        events_app.close()
        pool.close()


@app.command()
def replay(proposal: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Print a proposal step by step: each event, who, role, when, why, and the state after."""
    _, record = _record(proposal)
    if as_json:
        typer.echo(json.dumps(record, default=str, ensure_ascii=False, indent=2))
        return
    console.print(
        f"[bold]{record['title']}[/] ({record['form']}, {record['year']})"
        f" — {record['nominee']['name']}"
    )
    for line in audit.story(record["events"]):
        console.print(line, highlight=False, soft_wrap=True)
    integrity = record["integrity"]
    verdict = "[green]intact[/]" if integrity["ok"] else f"[red]{integrity['failure']}[/]"
    console.print(f"integrity: {integrity['events_verified']} events, {verdict}")
    for check in record["tallies"]:
        verdict = (
            "consistent" if check["consistent"] else "MISMATCH: " + "; ".join(check["problems"])
        )
        console.print(
            f"tally {check['stage']}: {check['ballots_in_box']} ballots in the box for"
            f" {check['recorded_voters']} recorded voters, recounted {check['recounted']}"
            f" → {check['outcome_recomputed']} ({verdict})",
            soft_wrap=True,
        )


@app.command()
def export(proposal: str, to: Path = typer.Argument(..., help="file.json or file.pdf")) -> None:
    """Write a proposal's full audit record to a JSON or PDF file."""
    settings, record = _record(proposal)
    if to.suffix.lower() == ".pdf":
        try:
            to.write_bytes(record_pdf.render(record, record_pdf.find_font(settings.pdf_font)))
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
