"""Command-line output for people: tables that fit the terminal without cutting a word, plain
tab-separated lines when piped, and a refusal from the API as one readable line."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import typer

if TYPE_CHECKING:
    import httpx

_GAP = 2  # spaces between columns


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    whole: Collection[int],
    width: int | None = None,
    out: TextIO | None = None,
) -> None:
    """Print rows under headers. The columns numbered in `whole` (identifiers) are never broken
    or cut: two usernames cut to the same prefix would read the same. The others wrap between
    words, and no word is broken either. Piped (no `width` given and stdout not a terminal), or
    on a terminal too narrow for that, every row is one tab-separated line."""
    out = out or sys.stdout
    if width is None:
        if not out.isatty():
            _plain(rows, out)
            return
        width = shutil.get_terminal_size().columns
    columns = list(zip(headers, *rows, strict=True))
    least = [
        max(len(t) if i in whole else max(map(len, t.split()), default=0) for t in column)
        for i, column in enumerate(columns)
    ]
    room = width - _GAP * (len(headers) - 1) - sum(least)
    if room < 0:
        _plain(rows, out)
        return
    # The room left goes to the wrapping columns, free text (rightmost) first.
    widths = list(least)
    for i, column in reversed(list(enumerate(columns))):
        if i not in whole:
            extra = min(room, max(map(len, column)) - widths[i])
            widths[i] += extra
            room -= extra
    for row in (headers, *rows):
        cells = [
            [text] if i in whole else textwrap.wrap(text, widths[i], break_long_words=False)
            for i, text in enumerate(row)
        ]
        for n in range(max(len(cell) for cell in cells)):
            parts = [
                (cell[n] if n < len(cell) else "").ljust(w)
                for cell, w in zip(cells, widths, strict=True)
            ]
            out.write((" " * _GAP).join(parts).rstrip() + "\n")


def _plain(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    for row in rows:
        out.write("\t".join(row) + "\n")


def problem_line(status: int, body: Any, text: str) -> str:
    """One line for a refusal from the API: its detail and its type (problem+json), or the
    status and the start of whatever else it answered."""
    if isinstance(body, dict) and body.get("detail"):
        kind = str(body.get("type", "")).removeprefix("urn:awards:problem:")
        return f"{status} {kind}: {body['detail']}" if kind else f"{status}: {body['detail']}"
    return f"{status}: {text.strip()[:300] or 'no answer'}"


def exit_refused(answer: httpx.Response) -> NoReturn:
    """Print the API's refusal as one line on stderr, then exit non-zero."""
    try:
        body = answer.json()
    except ValueError:
        body = None
    typer.secho(problem_line(answer.status_code, body, answer.text), err=True, fg="red")
    raise typer.Exit(1)
