"""What a decision for many says: its lines (Căn cứ, Theo đề nghị, Điều …), its annex of
awardees and the proposals left out with a reason; composed and checked before it is issued."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.decision.signing import Signature
from domain.kernel.errors import DomainError, IllegalTransition, InvalidInput
from domain.proposal.decision import DecisionNumber, check_decision_date
from domain.proposal.lifecycle import Step, check_route

BODY = "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"
BASES = (
    "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
    f"Căn cứ Điều lệ {BODY};",
    f"Căn cứ Quy chế Thi đua, khen thưởng của {BODY} ban hành kèm theo Quyết định"
    " số 1039/QĐ-LHHVN ngày 03/12/2021;",
)
PROPOSED_BY = f"Theo đề nghị của Thường trực Hội đồng Thi đua - Khen thưởng {BODY}."
RECIPIENTS = ("Như Điều 3;", "Lưu: VT, TĐKT.")
KINDS = {"collective": "Tập thể", "individual": "Cá nhân"}


@dataclass(frozen=True)
class Candidate:
    """A proposal as a decision sees it: enough to check it may be decided, and to list it."""

    proposal_id: str
    state: str
    forwarded: bool
    year: int
    form: str
    form_name: str
    nominee_name: str
    nominee_kind: str
    achievement: str
    council_closed_on: date | None


@dataclass(frozen=True)
class AnnexLine:
    """One awardee in the annex (danh sách kèm theo)."""

    proposal_id: str
    nominee_name: str
    nominee_kind: str
    form: str
    form_name: str
    achievement: str

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AnnexLine:
        return cls(**{k: str(data[k]) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Exclusion:
    """A council-approved proposal the decision does not award: rejected, with the reason."""

    proposal_id: str
    nominee_name: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Exclusion:
        return cls(str(data["proposal_id"]), str(data["nominee_name"]), str(data["reason"]))


@dataclass(frozen=True)
class DecisionText:
    number: DecisionNumber
    decided_on: date
    summary: str
    bases: tuple[str, ...]
    proposed_by: str
    articles: tuple[str, ...]
    recipients: tuple[str, ...]
    signature: Signature
    annex: tuple[AnnexLine, ...]
    excluded: tuple[Exclusion, ...]


def check_candidate(candidate: Candidate, decided_on: date) -> None:
    """A proposal a decision may decide: council-approved, a form VUSTA decides, and a date
    not before its council vote closed, in its emulation year or the next."""
    try:
        check_route(Step.DECIDE_BY_DECISION, candidate.state, candidate.forwarded)
        check_decision_date(decided_on, candidate.council_closed_on)
        if decided_on.year not in (candidate.year, candidate.year + 1):
            raise InvalidInput(
                "a decision on emulation year {year} is dated {year} or {next_year}",
                year=candidate.year,
                next_year=candidate.year + 1,
            )
    except IllegalTransition as error:  # a wrong state stays a conflict
        raise DomainError(_NAMED, **_names(candidate), refusal=error.message) from None
    except InvalidInput as error:  # a date or year stays a bad input
        raise InvalidInput(_NAMED, **_names(candidate), refusal=error.message) from None


_NAMED = "proposal {id} ({name}): {refusal}"


def _names(candidate: Candidate) -> dict[str, str]:
    return {"id": candidate.proposal_id, "name": candidate.nominee_name}


def _summary(annex: Sequence[AnnexLine]) -> str:
    forms = list(dict.fromkeys(line.form_name for line in annex))
    if len(forms) == 1:
        return f"Về việc tặng {forms[0]}"
    return "Về việc khen thưởng các tập thể và cá nhân"


def _articles(annex: Sequence[AnnexLine], years: Sequence[int]) -> tuple[str, ...]:
    collectives = sum(1 for line in annex if line.nominee_kind == "collective")
    people = len(annex) - collectives
    forms = ", ".join(dict.fromkeys(line.form_name for line in annex))
    year = "năm " + ", ".join(str(y) for y in sorted(set(years)))
    return (
        f"Điều 1. Tặng {forms} cho {collectives} tập thể và {people} cá nhân có tên trong danh"
        f" sách kèm theo, đã có thành tích xuất sắc trong phong trào thi đua {year}.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "Điều 3. Chánh Văn phòng, Trưởng Ban Thi đua - Khen thưởng và các tập thể, cá nhân"
        " có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    )


def compose(
    number: DecisionNumber,
    decided_on: date,
    candidates: Sequence[Candidate],
    excluded: Sequence[tuple[Candidate, str]],
    signature: Signature,
    bases: Sequence[str] = (),
    proposed_by: str = "",
    recipients: Sequence[str] = (),
) -> DecisionText:
    """The decision's text, every proposal on it and left out of it checked first."""
    if not candidates:
        raise InvalidInput("a decision awards at least one proposal")
    ids = [c.proposal_id for c in (*candidates, *(c for c, _ in excluded))]
    if len(set(ids)) != len(ids):
        raise InvalidInput("a proposal is listed twice on the decision")
    for candidate in (*candidates, *(c for c, _ in excluded)):
        check_candidate(candidate, decided_on)
    for candidate, reason in excluded:
        if not reason.strip():
            raise InvalidInput(
                "a reason is required to leave proposal {id} out of the decision",
                id=candidate.proposal_id,
            )
    annex = tuple(
        AnnexLine(c.proposal_id, c.nominee_name, c.nominee_kind, c.form, c.form_name, c.achievement)
        for c in candidates
    )
    council_days = sorted({c.council_closed_on for c in candidates if c.council_closed_on})
    council = tuple(
        f"Căn cứ kết quả họp Hội đồng Thi đua - Khen thưởng ngày {day:%d/%m/%Y};"
        for day in council_days
    )
    return DecisionText(
        number=number,
        decided_on=decided_on,
        summary=_summary(annex),
        bases=tuple(b.strip() for b in bases if b.strip()) or (*BASES, *council),
        proposed_by=proposed_by.strip() or PROPOSED_BY,
        articles=_articles(annex, [c.year for c in candidates]),
        recipients=tuple(r.strip() for r in recipients if r.strip()) or RECIPIENTS,
        signature=signature,
        annex=annex,
        excluded=tuple(Exclusion(c.proposal_id, c.nominee_name, r.strip()) for c, r in excluded),
    )
