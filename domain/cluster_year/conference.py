"""The year-end conference (bình xét, suy tôn): its candidates, the lines of its list ballot,
who votes on each line, and each line's outcome under the rulebook's ballot rule."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.cluster_year.ranking import Standing
from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import ConferenceRules
from domain.voting.ballot import Outcome, Tally, decide
from domain.voting.list_box import ListBox

FLAG = "flag"
CERTIFICATE = "certificate"
# The Government Flag (Law 06/2022 Art 25): a state-level form VUSTA proposes for the collective
# that led its cluster; the conference votes on it as a line of its own for the leading unit,
# and the proposal it makes is forwarded after the council.
GOVERNMENT_FLAG = "government_flag"
RECORD_KINDS = ("ballot_count", "review_minutes")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Line:
    """One candidate on the ballot: ``flag:<unit>`` or ``certificate:<unit>``."""

    kind: str  # FLAG, CERTIFICATE or GOVERNMENT_FLAG
    unit: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.unit}"

    @classmethod
    def parse(cls, line_id: str) -> Line:
        kind, _, unit = line_id.partition(":")
        return cls(kind, unit)


def candidate_lines(
    ranking: Sequence[Standing],
    flag: str | None,
    certificates: Sequence[str],
    rules: ConferenceRules,
    government_flag: bool = False,
) -> tuple[Line, ...]:
    """The Flag candidate (the leading unit unless the head names another ranked unit) and up
    to ``certificate_quota`` Certificate candidates, all from the ranking, none twice; with
    ``government_flag``, a Government Flag line for the leading unit, which must then be the
    Flag candidate too (a unit that did not lead its cluster cannot have it)."""
    if not ranking:
        raise DomainError("the conference needs the year-end ranking")
    ranked = [standing.unit for standing in ranking]
    flag_unit = flag or ranked[0]
    chosen = [flag_unit, *certificates]
    outside = [unit for unit in chosen if unit not in ranked]
    if outside:
        raise DomainError("candidates come from the ranking: {units}", units=", ".join(outside))
    if len(set(chosen)) != len(chosen):
        raise DomainError("a unit stands once on the conference's ballot")
    if len(certificates) > rules.certificate_quota:
        raise DomainError("at most {quota} Certificate candidates", quota=rules.certificate_quota)
    lines = (Line(FLAG, flag_unit), *(Line(CERTIFICATE, unit) for unit in certificates))
    if not government_flag:
        return lines
    if flag_unit != ranked[0]:
        raise DomainError(
            "the Government Flag goes with the VUSTA Flag to the leading unit {unit}",
            unit=ranked[0],
        )
    return (*lines, Line(GOVERNMENT_FLAG, flag_unit))


def line_form(line: Line, rules: ConferenceRules) -> str:
    """The award form a carried line's proposal is of."""
    if line.kind == GOVERNMENT_FLAG:
        return GOVERNMENT_FLAG
    return rules.flag_form if line.kind == FLAG else rules.certificate_form


def line_electorate(members: Sequence[str], line: Line) -> list[str]:
    """Every member unit votes on a line except the candidate's own unit."""
    return [member for member in members if member != line.unit]


def own_lines(voter: str, lines: Sequence[Line]) -> list[str]:
    return [line.id for line in lines if line.unit == voter]


def outcomes(
    lines: Sequence[Line],
    members: Sequence[str],
    tallies: Mapping[str, Tally],
    rules: ConferenceRules,
) -> dict[str, Outcome]:
    """Each line judged by the conference's ballot rule over its own electorate."""
    return {
        line.id: decide(rules.ballot, len(line_electorate(members, line)), tallies[line.id])
        for line in lines
    }


def open_box(
    vote_id: str, members: Sequence[str], lines: Sequence[Line], election_key: Mapping[str, Any]
) -> ListBox:
    """The conference's list vote: every member unit votes on every line but its own
    candidate's; a unit that stands on every line has none to vote on and is no voter."""
    ids = [line.id for line in lines]
    own = {member: own_lines(member, lines) for member in members}
    electorate = [member for member in members if set(ids) - set(own[member])]
    return ListBox.opened(
        vote_id, ids, electorate, {m: own[m] for m in electorate if own[m]}, election_key
    )


def check_record(record: Mapping[str, Any]) -> dict[str, str]:
    """A generated record of the conference: its kind, the sha256 of its content and the id
    the document store keeps it under."""
    kind, sha256 = record.get("kind"), record.get("sha256")
    document_id = record.get("document_id")
    if kind not in RECORD_KINDS or not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise InvalidInput("a conference record names its kind, its sha256 and its document id")
    if not isinstance(document_id, str) or not 0 < len(document_id) <= 200:
        raise InvalidInput("a conference record names its kind, its sha256 and its document id")
    return {"kind": kind, "sha256": sha256, "document_id": document_id}
