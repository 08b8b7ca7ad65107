"""`awards ballot`: seal a ballot (`cast`) or a list ballot (`seal-list`) on the voter's own
machine, so that not even the API process ever holds the plain choice, and check the tracker
the service records; recount a list vote from its published count (`verify-list`)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console

from domain.kernel.errors import DomainError
from domain.voting.ballot import Choice
from domain.voting.election_key import ElectionKey
from services.application.list_voting import recount
from services.application.voter import Refused, sealed_for, sealed_list_for
from services.cli.output import exit_refused

app = typer.Typer(help="Cast a ballot sealed on this machine; show the key", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)
_STEP = {"cluster": "cluster-votes", "council": "council-votes"}
# Refused and sealed_for are the voter's side (services/application/voter.py); named here too.
__all__ = ["Refused", "app", "sealed_for", "sealed_list_for"]


@app.command("cast")
def cast(
    proposal: str = typer.Argument(..., help="the proposal id"),
    stage: str = typer.Argument(..., help="cluster or council"),
    choice: Choice = typer.Argument(..., help="yes, no or abstain"),
    expect_key: str = typer.Option(
        None, "--expect-key", help="the election key's published fingerprint (or its start)"
    ),
    api: str = typer.Option("http://127.0.0.1:8000", envvar="AWARDS_API", help="the API URL"),
    token: str = typer.Option(..., envvar="AWARDS_TOKEN", help="your bearer token"),
) -> None:
    """Seal your choice here and cast it; print the receipt and the tracker to check later."""
    if stage not in _STEP:
        errors.print("the vote is 'cluster' or 'council'", style="red")
        raise typer.Exit(2)
    base = f"{api.rstrip('/')}/api/proposals/{proposal}"
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        count = client.get(f"{base}/votes/{stage}/count")
        if count.status_code != 200:
            exit_refused(count)
        try:
            ballot = sealed_for(proposal, stage, count.json(), choice.value, expect_key)
            ballot_key = ElectionKey.from_json(count.json()["election_key"])
        except Refused as refusal:
            errors.print(f"refused: {refusal}", style="red", markup=False)
            raise typer.Exit(1) from None
        answer = client.post(
            f"{base}/{_STEP[stage]}",
            json={"ballot": ballot.to_json()},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    if answer.status_code != 200:
        exit_refused(answer)
    body = answer.json()
    if body.get("tracker") != ballot.tracker:
        console.print(
            "[bold red]the service recorded a different ballot than the one sealed here[/]"
        )
        raise typer.Exit(1)
    console.print(f"cast, sealed on this machine under key {ballot_key.fingerprint}")
    console.print(f"  tracker {ballot.tracker}  (find it in the sealed box when the vote closes)")
    console.print(f"  receipt {body['receipt']}  (keep it; it is shown only now)")


@app.command("key")
def key(
    proposal: str = typer.Argument(None, help="a proposal id: the key of its vote, from the API"),
    stage: str = typer.Argument("council", help="cluster or council"),
    api: str = typer.Option("http://127.0.0.1:8000", envvar="AWARDS_API", help="the API URL"),
    token: str = typer.Option(None, envvar="AWARDS_TOKEN", help="your bearer token"),
) -> None:
    """Print the election key's full fingerprint (what `cast --expect-key` takes): the key this
    service seals new votes under, or with PROPOSAL, the key of that proposal's vote."""
    if proposal is None:
        from services.application.voter import service_key_fingerprint
        from services.stack import load_settings

        typer.echo(service_key_fingerprint(load_settings()))
        return
    if stage not in _STEP:
        errors.print("the vote is 'cluster' or 'council'", style="red")
        raise typer.Exit(2)
    url = f"{api.rstrip('/')}/api/proposals/{proposal}/votes/{stage}/count"
    answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    if answer.status_code != 200:
        exit_refused(answer)
    try:
        typer.echo(ElectionKey.from_json(answer.json()["election_key"]).fingerprint)
    except (DomainError, KeyError, TypeError, ValueError) as error:
        errors.print(f"the server sent no usable election key: {error}", style="red")
        raise typer.Exit(1) from None


def _choices(pairs: list[str]) -> dict[str, str]:
    choices: dict[str, str] = {}
    for pair in pairs:
        line, equals, choice = pair.partition("=")
        if not equals or line in choices:
            errors.print(f"give each line once as LINE=CHOICE, not {pair!r}", style="red")
            raise typer.Exit(2)
        choices[line] = choice
    return choices


@app.command("seal-list")
def seal_list_command(
    count_url: str = typer.Argument(..., help="the list vote's count URL (its lines and key)"),
    choices: list[str] = typer.Argument(..., help="LINE=yes|no|abstain, one per line"),
    cast_url: str = typer.Option(None, "--cast", help="POST the sealed list here and check it"),
    expect_key: str = typer.Option(
        None, "--expect-key", help="the election key's published fingerprint (or its start)"
    ),
    token: str = typer.Option(..., envvar="AWARDS_TOKEN", help="your bearer token"),
) -> None:
    """Seal a list ballot here: one line per candidate but your own. With --cast, send it
    and print the receipt and the tracker; without, print the sealed list (JSON)."""
    plain = _choices(choices)
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        count = client.get(count_url)
        if count.status_code != 200:
            exit_refused(count)
        try:
            ballot = sealed_list_for(count.json(), plain, expect_key)
        except Refused as refusal:
            errors.print(f"refused: {refusal}", style="red", markup=False)
            raise typer.Exit(1) from None
        if cast_url is None:
            typer.echo(json.dumps(ballot.to_json(), sort_keys=True))
            return
        answer = client.post(
            cast_url,
            json={"ballot": ballot.to_json()},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    if answer.status_code != 200:
        exit_refused(answer)
    body = answer.json()
    if body.get("tracker") != ballot.tracker:
        console.print("[bold red]the service recorded a different list than the one sealed here[/]")
        raise typer.Exit(1)
    console.print(f"cast {len(ballot.lines)} lines, sealed on this machine")
    console.print(f"  tracker {ballot.tracker}  (find it in the sealed box when the vote closes)")
    console.print(f"  receipt {body['receipt']}  (keep it; it is shown only now)")


def _published(source: str, token: str | None) -> Any:
    if source.startswith(("http://", "https://")):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = httpx.get(source, headers=headers, timeout=60)
        if answer.status_code != 200:
            exit_refused(answer)
        return answer.json()
    try:
        return json.loads(Path(source).read_text())
    except (OSError, ValueError) as error:
        errors.print(f"cannot read {source}: {error}", style="red", markup=False)
        raise typer.Exit(2) from None


@app.command("verify-list")
def verify_list(
    source: str = typer.Argument(..., help="a list vote's count: its URL or a saved JSON file"),
    token: str = typer.Option(None, envvar="AWARDS_TOKEN", help="your bearer token"),
) -> None:
    """Recount a list vote with no secret: every ballot's proofs, the box whole, the totals,
    every trustee's share; then the count per line against the recorded result."""
    checked = recount(_published(source, token))
    for line, tally in (checked.tallies or {}).items():
        console.print(f"{line}: {tally.yes} yes, {tally.no} no, {tally.abstain} abstain")
    for problem in checked.problems:
        errors.print(f"problem: {problem}", style="red", markup=False)
    if checked.problems or checked.tallies is None:
        raise typer.Exit(1)
    console.print("the count is the product of the sealed box, opened by proved shares")
