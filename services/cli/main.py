"""The `awards` command: run the service, the worker or the API; list users; issue and revoke
tokens. Heavy modules (Temporal, FastAPI, eventsourcing, the ballot cryptography) are imported
only by the commands that need them, so that `awards token issue` answers at once."""

from __future__ import annotations

import asyncio
import getpass
import importlib
import json
import os
import signal
import sys
from collections.abc import Coroutine
from contextlib import AbstractContextManager, ExitStack
from typing import TYPE_CHECKING, Any

import typer
from typer._click import core as click  # typer's own copy of click, its commands are made of it
from typer.core import TyperGroup

from services.cli.output import print_table

if TYPE_CHECKING:
    from infra.settings import Settings
    from services.application.registry import Registry
    from services.runtime import Runtime
    from services.stack import Started

# Command groups loaded only when called: name → (module, help shown in `awards --help`).
_LAZY_GROUPS = {
    "audit": ("services.cli.audit", "Audit: verify the event store, seal it, replay proposals"),
    "ballot": ("services.cli.ballot", "Cast a ballot sealed on this machine; show the key"),
    "trustees": ("services.cli.trustees", "Trustees of the election key: ceremony and shares"),
    "projections": ("services.cli.projections", "Read models: rebuild from the event log, status"),
    "rules": ("services.cli.rules", "The rulebook: versions by effective date; add one (admin)"),
    "calendar": ("services.cli.calendar", "Working days: days off, make-up Saturdays (admin)"),
    "org": ("services.cli.org", "Organisation years: import and export the Excel workbook"),
    "year": ("services.cli.year", "A cluster's emulation year: stage, deadlines, result"),
    "register": ("services.cli.register", "The award register: import from Excel, show a nominee"),
}


class _LazyGroups(TyperGroup):
    """Lists the command groups by name and help, and imports one only to run it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_LAZY_GROUPS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _LAZY_GROUPS:
            return super().get_command(ctx, cmd_name)
        # Help listings ask every command for its help text: a stand-in answers it. Running
        # the group goes through resolve_command, which loads the real one.
        return TyperGroup(name=cmd_name, help=_LAZY_GROUPS[cmd_name][1])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] in _LAZY_GROUPS:
            module = importlib.import_module(_LAZY_GROUPS[args[0]][0])
            group = typer.main.get_command(module.app)
            group.name = args[0]
            return args[0], group, args[1:]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_LazyGroups,
    help="awards: VUSTA award approval (thi đua – khen thưởng)",
    no_args_is_help=True,
)
token_app = typer.Typer(help="Bearer tokens for the API: issue, revoke", no_args_is_help=True)
app.add_typer(token_app, name="token")
DEMO_USERS = (
    "ninh-binh.proposer",
    "thanh-hoa.member",
    "vusta.secretary",
    "council.1",
    "president",
    "auditor",
    "admin",
)
# A closed terminal (SIGHUP), Ctrl-C (SIGINT) and systemd or docker (SIGTERM) all stop the
# service the same way: every server it started is stopped too.
STOP_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM)


def _stop_on_signals(stopping: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        # Under nohup a hangup is ignored on purpose: keep it so.
        if sig == signal.SIGHUP and signal.getsignal(sig) is signal.SIG_IGN:
            continue
        # Uvicorn catches SIGINT and SIGTERM itself while serving and hands them on here
        # once the API has shut down.
        loop.add_signal_handler(sig, stopping.set)


async def _serve(settings: Settings, run_api: bool, run_worker: bool, start_temporal: bool) -> None:
    import uvicorn

    from services.api.app import create_app
    from services.application.seed import seed
    from services.runtime import Runtime
    from services.stack import Started, client_for, embedded_or_configured, temporal, watch
    from services.worker import build_worker, run_background

    stopping = asyncio.Event()
    _stop_on_signals(stopping)
    with ExitStack() as stack:
        url, postgres = embedded_or_configured(settings)
        address, dev_server = temporal(settings, stack, start_temporal)
        started = Started(url, postgres, dev_server)
        client = await client_for(settings, address)
        runtime = Runtime.build(settings, url, client)
        stack.callback(runtime.close)
        users = seed(runtime.directory)
        tasks: list[asyncio.Task[None]] = [
            asyncio.create_task(_wait(stopping)),
            asyncio.create_task(watch(started)),
        ]
        if run_worker:
            from concurrent.futures import ThreadPoolExecutor

            pool = stack.enter_context(ThreadPoolExecutor(max_workers=16))
            worker = build_worker(client, settings.task_queue, runtime, pool)
            # Loops that run beside the worker for as long as it runs (add new ones here).
            background: list[Coroutine[Any, Any, None]] = [worker.run(), run_background(runtime)]
            tasks.extend(asyncio.create_task(loop) for loop in background)
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
            _announce(settings, runtime, address, started, users)
        # Whichever stops first (a signal, a server that died, Ctrl-C stopping the API) takes
        # the others down with it; the API is asked to finish its requests rather than cut off.
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
    settings: Settings, runtime: Runtime, address: str, started: Started, users: int
) -> None:
    from services.application.accounts import Accounts
    from services.application.seed import demo_password, seed_accounts
    from services.application.tokens import issue_token

    base = f"http://{settings.api_host}:{settings.api_port}"
    ui = f"  UI {started.temporal.ui_url}" if started.temporal else ""
    print(f"awards is up  API {base}  (docs {base}/docs)")
    print(f"Temporal {address}{ui}")
    # In full: `awards ballot cast --expect-key` takes it, and a prefix proves little.
    print(f"Election key (khóa bầu cử) {runtime.custody.key.fingerprint}")
    seed_accounts(Accounts(runtime.app, runtime.pool, runtime.directory), runtime.secret)
    print(f"Pages {base}/  (sign in with a demo password below)")
    print(f"{users} demo users; all of them: `awards users`. Demo passwords and tokens:")
    for username in DEMO_USERS:
        user = runtime.directory.user(username)
        if user:
            token = issue_token(username, runtime.secret, settings.token_ttl_hours)
            password = demo_password(runtime.secret, username)
            print(f"  {username:<20} {','.join(user.roles):<18} {password}  {token}")  # unwrapped
    sys.stdout.flush()


def _run(settings: Settings, run_api: bool, run_worker: bool, start_temporal: bool) -> None:
    """Serve until stopped; a refused environment or a server that died is one readable
    message and a non-zero exit, not a traceback."""
    from services.stack import ServerDied, UnsafeEnvironment, refuse_unsafe_environment

    try:
        # Before anything is started or written.
        refuse_unsafe_environment(os.environ)
        asyncio.run(_serve(settings, run_api, run_worker, start_temporal))
    except UnsafeEnvironment as refusal:
        typer.echo(str(refusal), err=True)
        raise typer.Exit(2) from None
    except ServerDied as died:
        typer.echo(str(died), err=True)
        raise typer.Exit(1) from None


def _settings() -> Settings:
    from services.stack import load_settings

    return load_settings()


@app.command()
def up() -> None:
    """Run everything: PostgreSQL and Temporal (embedded unless configured), worker and API;
    SIGHUP, SIGINT or SIGTERM stops all it started."""
    _run(_settings(), run_api=True, run_worker=True, start_temporal=True)


@app.command()
def worker() -> None:
    """Run only the Temporal worker (needs AWARDS_TEMPORAL_ADDRESS or a running `awards up`)."""
    _run(_settings(), run_api=False, run_worker=True, start_temporal=False)


@app.command()
def api() -> None:
    """Run only the API (needs AWARDS_TEMPORAL_ADDRESS or a running `awards up`)."""
    _run(_settings(), run_api=True, run_worker=False, start_temporal=False)


def _registry(settings: Settings) -> AbstractContextManager[Registry]:
    from services.application.registry import opened_registry
    from services.stack import database

    return opened_registry(database(settings))


@app.command()
def users(as_json: bool = typer.Option(False, "--json", help="a JSON list for scripts")) -> None:
    """List the users with their roles and clusters (piped: tab-separated lines)."""
    with _registry(_settings()) as registry:
        found = registry.directory.users()
    if as_json:
        rows = [
            {
                "username": u.username,
                "roles": u.roles,
                "cluster": u.cluster_id,
                "unit": u.unit_id,
                "full_name": u.full_name,
            }
            for u in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    print_table(
        ("username", "roles", "cluster", "unit", "full name"),
        [
            (u.username, ", ".join(u.roles), u.cluster_id or "", u.unit_id or "", u.full_name)
            for u in found
        ],
        whole=(0, 2, 3),
    )


@token_app.command("issue")
def issue(
    username: str,
    hours: int = typer.Option(
        None,
        "--hours",
        min=1,
        max=8784,
        help="lifetime in hours; default AWARDS_TOKEN_TTL_HOURS (8: a working day)",
    ),
) -> None:
    """Print a bearer token for USERNAME, valid for 8 hours unless told otherwise."""
    from services.application.tokens import issue_token

    settings = _settings()
    with _registry(settings) as registry:
        user = registry.directory.user(username)
    if user is None:
        typer.echo(
            f"không có người dùng {username} / no user {username}; see `awards users`", err=True
        )
        raise typer.Exit(2)
    ttl = hours if hours is not None else settings.token_ttl_hours
    typer.echo(issue_token(username, settings.resolved_secret_key(), ttl))


@token_app.command("revoke")
def revoke(
    token: str = typer.Argument(None, help="the token to revoke"),
    user: str = typer.Option(None, "--user", help="revoke every token of this user issued so far"),
    reason: str = typer.Option("", "--reason", help="why, kept with the revocation"),
) -> None:
    """Revoke one token, or (--user) every token issued to a user until now. The API refuses
    them from its very next request, in every process."""
    from services.application.tokens import TokenError, read_token

    if (token is None) == (user is None):
        typer.echo("give a TOKEN or --user USERNAME (one of them)", err=True)
        raise typer.Exit(2)
    settings = _settings()
    with _registry(settings) as registry:
        revocations = registry.revocations
        by = getpass.getuser()
        if user is not None:
            revocations.revoke_user(user, by, reason)
            typer.echo(
                f"đã thu hồi mọi mã của {user} / revoked every token of {user} issued so far"
            )
            return
        try:
            claims = read_token(token, settings.resolved_secret_key())
        except TokenError as error:
            typer.echo(f"không thu hồi được / cannot revoke: {error}", err=True)
            raise typer.Exit(2) from None
        revocations.revoke_token(claims, by, reason)
    typer.echo(f"đã thu hồi mã {claims.token_id} của {claims.username} / revoked")


if __name__ == "__main__":
    app()
