"""`awards trustees`: the key ceremony, and a trustee's share of a sealed vote's count."""

from __future__ import annotations

from pathlib import Path

import httpx
import typer
from rich.console import Console

from domain.kernel.errors import DomainError
from services.application.ceremony import FolderNotEmpty, hold_ceremony, read_key_share
from services.application.trustee import Refused, share_for
from services.cli.output import exit_refused

app = typer.Typer(
    help="Trustees of the election key: ceremony and count shares", no_args_is_help=True
)
# soft_wrap: the terminal wraps a long path; rich would break it with a newline (copy-paste)
console = Console(soft_wrap=True)


@app.command("ceremony")
def ceremony_command(
    out: Path = typer.Option(..., help="an empty folder for the key and the trustees' shares"),
    trustees: int = typer.Option(5, min=1, max=50, help="how many trustees hold a share"),
    threshold: int = typer.Option(3, min=1, help="how many of them are needed to open a count"),
) -> None:
    """Make a new election key split among trustees. Run it offline, with the trustees
    present; hand each trustee their own file and delete it from this machine."""
    if threshold > trustees:
        console.print("[red]the threshold cannot exceed the number of trustees[/]")
        raise typer.Exit(2)
    try:
        held = hold_ceremony(out, trustees, threshold)
    except FolderNotEmpty:
        console.print(f"[red]{out} is not empty: a ceremony never overwrites keys[/]")
        raise typer.Exit(2) from None
    console.print(f"election key {held.key.fingerprint}: {threshold} of {trustees} trustees")
    console.print(f"  public: {held.public_file}  → set AWARDS_ELECTION_KEY to it")
    console.print(f"  secret: {out}/trustee-1.json … trustee-{trustees}.json → one per trustee")


@app.command("share")
def share_command(
    proposal: str = typer.Argument(..., help="the proposal id"),
    stage: str = typer.Argument(..., help="cluster or council"),
    key_share: Path = typer.Option(..., "--key-share", help="this trustee's share file"),
    api: str = typer.Option("http://127.0.0.1:8000", envvar="AWARDS_API", help="the API URL"),
    token: str = typer.Option(..., envvar="AWARDS_TOKEN", help="your bearer token"),
) -> None:
    """Check a sealed vote here, then send this trustee's decryption share of its totals.
    The key share never leaves this machine."""
    try:
        share = read_key_share(key_share)
    except (ValueError, DomainError) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{api.rstrip('/')}/api/proposals/{proposal}/votes/{stage}"
    with httpx.Client(headers=headers, timeout=60) as client:
        count = client.get(f"{base}/count")
        if count.status_code != 200:
            exit_refused(count)
        try:
            part = share_for(proposal, stage, count.json(), share)
        except Refused as refusal:
            console.print(f"[red]refused: {refusal}[/]")
            raise typer.Exit(1) from None
        answer = client.post(f"{base}/shares", json={"share": part})
    if answer.status_code != 200:
        exit_refused(answer)
    console.print(f"trustee {share.trustee}: share accepted — {answer.json().get('message', '')}")
