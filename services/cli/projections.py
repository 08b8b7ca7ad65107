"""`awards projections`: rebuild the read models from zero, and show how far they have read."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.projections.log_follower import LogFollower
from services.projections.maintenance import open_projections
from services.projections.proposal_list import ProposalSummaries
from services.stack import database, load_settings

app = typer.Typer(help="Read models: the proposal list and inboxes", no_args_is_help=True)
console = Console(highlight=False)


def _open() -> tuple[ProposalSummaries, LogFollower]:
    return open_projections(database(load_settings()))


@app.command()
def rebuild() -> None:
    """Rebuild the proposal list from the first event; the service keeps answering from the
    old list meanwhile, and the new one replaces it at once when it has caught up."""
    summaries, follower = _open()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("Dựng lại danh sách / rebuilding the list", total=None)

        def advance(read: int, head: int) -> None:
            progress.update(task, completed=read, total=max(read, head))

        try:
            read = follower.rebuild(advance)
        except RuntimeError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(1) from None
    status = summaries.status()
    console.print(
        f"Đã dựng lại từ {read} sự kiện, vị trí {status.position}"
        f" / rebuilt from {read} notifications, position {status.position};"
        f" {len(status.failures)} failure(s)"
    )


@app.command()
def status() -> None:
    """Position, how far behind the log, and the events that could not be applied."""
    summaries, _ = _open()
    found = summaries.status()
    console.print(
        f"{found.name}: vị trí / position {found.position}, đầu nhật ký / log head {found.head},"
        f" chậm / behind ≤ {found.behind}"
    )
    if not found.failures:
        console.print("Không có lỗi / no failures")
        return
    table = Table("notification", "proposal", "event", "error", "at")
    for failure in found.failures:
        table.add_row(
            str(failure.notification_id),
            failure.originator_id,
            failure.topic.rpartition(".")[2],
            failure.error,
            failure.failed_at.isoformat(timespec="seconds"),
        )
    console.print(table)
    raise typer.Exit(1)
