"""`awards year`: a cluster's emulation year as it stands (stage, deadlines, ranking, the
conference's result, the election and its records), read from the event store."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

from services.application.cluster_year_steps import YearNotFound
from services.application.cluster_year_view import read_overview
from services.cli.output import print_table
from services.i18n.labels import year_step_words
from services.stack import database, load_settings

app = typer.Typer(help="A cluster's emulation year", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@app.command("show")
def show(
    year: int = typer.Argument(..., min=2000, max=2100, help="the emulation year, e.g. 2024"),
    cluster: str = typer.Argument(..., help="the cluster or block id, e.g. cum-6"),
    as_json: bool = typer.Option(False, "--json", help="the whole year as JSON, for scripts"),
) -> None:
    """Stage, deadlines, ranking, the conference's result and the election of one year."""
    try:
        found = read_overview(database(load_settings()), year, cluster)
    except YearNotFound:
        console.print(f"[red]Không có năm thi đua / no cluster year: {cluster} {year}[/]")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    print_year(found)


def print_year(found: dict[str, Any]) -> None:
    """The year for a person: one block per part, Vietnamese then English labels."""
    typer.echo(f"{found['group_id']} {found['year']} — giai đoạn / stage: {found['stage']}")
    typer.echo(f"Cụm trưởng / head: {found['head']}; cụm phó / deputy: {found['deputy']}")
    typer.echo(f"Văn bản áp dụng / rulebook: {found['rulebook_version']}")
    typer.echo("\nThời hạn (ngày làm việc) / deadlines (working days):")
    rows = [
        [year_step_words(step).vi, str(rule["working_days"]), str(rule["remind_before"])]
        for step, rule in found["deadlines"].items()
    ]
    print_table(["bước / step", "hạn / due", "nhắc trước / remind"], rows, whole={1, 2})
    for notice in found["notices"]:
        typer.echo(f"  {notice['kind']}: {notice['step']} — {notice['deadline']}")
    if found["ranking"]:
        typer.echo("\nXếp hạng / ranking:")
        ranking = [[str(s["rank"]), s["unit"], str(s["total"])] for s in found["ranking"]]
        print_table(["#", "đơn vị / unit", "điểm / points"], ranking, whole={0, 1, 2})
    if found["result"]:
        typer.echo(f"\nKết quả hội nghị / conference ({found['voted']} phiếu / ballots):")
        result = [
            [line, r["outcome"], f"{r['tally']['yes']}/{r['tally']['no']}/{r['tally']['abstain']}"]
            for line, r in found["result"].items()
        ]
        print_table(["dòng / line", "kết quả / outcome", "có/không/trắng"], result, whole={0})
    if found["elected"]:
        elected = found["elected"]
        typer.echo(
            f"\nBầu cho năm {elected['year']} / elected: cụm trưởng {elected['head']},"
            f" cụm phó {elected['deputy']}"
        )
    for record in found["records"]:
        typer.echo(f"Biên bản / record {record['kind']}: sha256 {record['sha256']}")
