"""Command-line output for people: no identifier is ever cut, piped output is plain lines, and
a refusal from the API is one readable line."""

from __future__ import annotations

import io

from services.cli.output import print_table, problem_line

HEADERS = ("username", "roles", "cluster", "unit", "full name")
ROWS = [
    ("thua-thien-hue.member", "cluster_member", "cum-4", "lhh-thua-thien-hue", "Nguyễn Văn An"),
    ("thua-thien-hue.proposer", "proposer", "cum-4", "lhh-thua-thien-hue", "Trần Thị Bình"),
    ("council.1", "council_member, council_secretary", "", "vusta", "Lê Hoàng Long Dài Tên"),
]


def _render(width: int) -> str:
    out = io.StringIO()
    print_table(HEADERS, ROWS, whole=(0, 2, 3), width=width, out=out)
    return out.getvalue()


def test_an_80_column_table_keeps_every_identifier_whole() -> None:
    text = _render(80)
    assert all(len(line) <= 80 for line in text.splitlines())
    for row in ROWS:
        for column in (0, 2, 3):
            assert row[column] in text.split() or row[column] == ""
    assert "…" not in text
    # Wrapped text is all there, word by word.
    words = " ".join(text.split())
    for word in ["Lê", "Hoàng", "Long", "Dài", "Tên", "council_secretary"]:
        assert word in words


def test_a_terminal_too_narrow_gets_one_plain_line_per_row() -> None:
    text = _render(40)
    assert "thua-thien-hue.proposer\tproposer\tcum-4" in text
    assert "…" not in text


def test_piped_output_is_tab_separated_lines(capsys: object) -> None:
    print_table(HEADERS, ROWS, whole=(0, 2, 3))  # pytest captures stdout: not a terminal
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.splitlines()[0] == "\t".join(ROWS[0])
    assert len(out.splitlines()) == len(ROWS)


def test_a_problem_is_one_line_with_its_detail_and_type() -> None:
    body = {
        "type": "urn:awards:problem:illegal-transition",
        "status": 409,
        "detail": "the council vote is not open (the proposal is appraisal)",
    }
    line = problem_line(409, body, "")
    assert line == (
        "409 illegal-transition: the council vote is not open (the proposal is appraisal)"
    )
    assert "\n" not in line and "{" not in line


def test_an_answer_that_is_not_a_problem_shows_its_status_and_start() -> None:
    assert problem_line(502, None, "<html>Bad gateway</html>\n") == "502: <html>Bad gateway</html>"
