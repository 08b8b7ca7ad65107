"""`awards trustees`: the key ceremony, and a trustee's share of a sealed vote's count."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import typer
from rich.console import Console

from domain.kernel.errors import DomainError
from domain.voting.election_key import KeyShare
from infra.trustee_keys import ceremony, read_json
from services.application.trustee import Refused, share_for
from services.cli.output import exit_refused

app = typer.Typer(
    help="Trustees of the election key: ceremony and count shares", no_args_is_help=True
)
# soft_wrap: the terminal wraps a long path; rich would break it with a newline (copy-paste)
console = Console(soft_wrap=True)


def _write(path: Path, data: object, secret: bool) -> None:
    # Exclusive create: a ceremony never overwrites an earlier key or share.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    descriptor = os.open(path, flags, 0o600 if secret else 0o644)
    with os.fdopen(descriptor, "w") as file:
        json.dump(data, file, indent=2)
        file.write("\n")


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
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        console.print(f"[red]{out} is not empty: a ceremony never overwrites keys[/]")
        raise typer.Exit(2)
    key, shares = ceremony(trustees, threshold)
    _write(out / "election_key.json", {**key.to_json(), "fingerprint": key.fingerprint}, False)
    for share in shares:
        _write(out / f"trustee-{share.trustee}.json", share.to_json(), True)
    console.print(f"election key {key.fingerprint}: {threshold} of {trustees} trustees")
    console.print(f"  public: {out / 'election_key.json'}  → set AWARDS_ELECTION_KEY to it")
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
        share = KeyShare.from_json(read_json(key_share, "key share"))
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
