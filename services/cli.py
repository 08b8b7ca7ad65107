"""The `awards` command: run the service, the worker or the API; list users; issue tokens."""

from __future__ import annotations

import asyncio
import json
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from infra.postgres import connection_pool
from infra.settings import Settings
from services import audit_cli, ballot_cli, projections_cli, trustees_cli
from services.api.app import create_app
from services.directory import Directory
from services.runtime import Runtime
from services.seed import seed
from services.stack import client_for, database, load_settings, temporal
from services.tokens import issue_token
from services.worker import build_worker, run_background

app = typer.Typer(help="awards: VUSTA award approval (thi đua – khen thưởng)", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens for the API", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(trustees_cli.app, name="trustees")
app.add_typer(ballot_cli.app, name="ballot")
app.add_typer(projections_cli.app, name="projections")
console = Console()
DEMO_USERS = (
    "ninh-binh.proposer",
    "thanh-hoa.member",
    "vusta.secretary",
    "council.1",
    "president",
    "auditor",
    "admin",
)


async def _serve(settings: Settings, run_api: bool, run_worker: bool, start_temporal: bool) -> None:
    # SIGTERM stops the service like Ctrl-C, so every server started here is stopped too.
    # (Uvicorn catches it while serving, and hands it on once the API has shut down.)
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    with ExitStack() as stack:
        url = database(settings)
        address, ui = temporal(settings, stack, start_temporal)
        client = await client_for(settings, address)
        runtime = Runtime.build(settings, url, client)
        stack.callback(runtime.close)
        users = seed(runtime.directory)
        tasks: list[asyncio.Task[None]] = []
        if run_worker:
            pool = stack.enter_context(ThreadPoolExecutor(max_workers=16))
            worker = build_worker(client, settings.task_queue, runtime, pool)
            tasks.append(asyncio.create_task(worker.run()))
            tasks.append(asyncio.create_task(run_background(runtime)))
        server: uvicorn.Server | None = None
        if run_api:
            config = uvicorn.Config(
                create_app(runtime),
                host=settings.api_host,
                port=settings.api_port,
                log_level="info",
            )
            server = uvicorn.Server(config)
            api_task = asyncio.create_task(server.serve())
            tasks.append(api_task)
            _announce(settings, runtime, address, ui, users)
        tasks.append(asyncio.create_task(_wait(stopping)))
        # Whichever stops first (Ctrl-C stops the API) takes the other down with it; the API
        # is asked to finish its requests rather than cut off.
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if server is not None:
            server.should_exit = True
        for task in pending:
            if not (run_api and task is api_task):
                task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            task.result()


async def _wait(event: asyncio.Event) -> None:
    await event.wait()


def _announce(
    settings: Settings, runtime: Runtime, address: str, ui: str | None, users: int
) -> None:
    base = f"http://{settings.api_host}:{settings.api_port}"
    console.print(f"[bold green]awards is up[/]  API {base}  (docs {base}/docs)")
    console.print(f"Temporal {address}" + (f"  UI {ui}" if ui else ""))
    console.print(f"{users} demo users; all of them: `awards users`. Demo tokens:")
    for username in DEMO_USERS:
        user = runtime.directory.user(username)
        if user:
            token = issue_token(username, runtime.secret, settings.token_ttl_hours)
            print(f"  {username:<20} {','.join(user.roles):<18} {token}")  # never wrapped


@app.command()
def up() -> None:
    """Run everything: PostgreSQL and Temporal (embedded unless configured), worker and API."""
    asyncio.run(_serve(load_settings(), run_api=True, run_worker=True, start_temporal=True))


@app.command()
def worker() -> None:
    """Run only the Temporal worker (needs AWARDS_TEMPORAL_ADDRESS or a running `awards up`)."""
    asyncio.run(_serve(load_settings(), run_api=False, run_worker=True, start_temporal=False))


@app.command()
def api() -> None:
    """Run only the API (needs AWARDS_TEMPORAL_ADDRESS or a running `awards up`)."""
    asyncio.run(_serve(load_settings(), run_api=True, run_worker=False, start_temporal=False))


def _directory(settings: Settings) -> Directory:
    directory = Directory(connection_pool(database(settings), max_size=1))
    seed(directory)
    return directory


@app.command()
def users(as_json: bool = typer.Option(False, "--json", help="a JSON list for scripts")) -> None:
    """List the users with their roles and clusters."""
    settings = load_settings()
    found = _directory(settings).users()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "username": u.username,
                        "roles": u.roles,
                        "cluster": u.cluster_id,
                        "unit": u.unit_id,
                        "full_name": u.full_name,
                    }
                    for u in found
                ],
                ensure_ascii=False,
            )
        )
        return
    table = Table("username", "roles", "cluster", "unit", "full name")
    for u in found:
        table.add_row(
            u.username, ", ".join(u.roles), u.cluster_id or "", u.unit_id or "", u.full_name
        )
    console.print(table)


@token_app.command("issue")
def issue(username: str) -> None:
    """Print a bearer token for USERNAME."""
    settings = load_settings()
    user = _directory(settings).user(username)
    if user is None:
        typer.echo(f"no user {username}; see `awards users`", err=True)
        raise typer.Exit(2)
    typer.echo(issue_token(username, settings.resolved_secret_key(), settings.token_ttl_hours))


if __name__ == "__main__":
    app()
