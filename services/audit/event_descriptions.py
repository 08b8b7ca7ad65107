"""The catalogue of event descriptions: one sentence per event type, in Vietnamese and English,
naming people and units as the directory knows them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from domain.proposal.forms import catalogue_by_code
from domain.rulebook.defaults import KNOWN_FORMS
from services.application.directory import Directory
from services.i18n.labels import (
    Words,
    closing_reason_words,
    deadline_step_words,
    decision_words,
    document_kind_words,
    role_words,
    stage_words,
    state_words,
    tally_words,
    vietnam_time,
    vote_outcome_words,
)


class People(Protocol):
    """Who a username or a unit id is, for the record; unknown ids read as themselves."""

    def full_name(self, username: str) -> str | None: ...

    def unit_name(self, unit_id: str) -> str | None: ...

    def unit_of(self, username: str) -> str | None: ...


class DirectoryPeople:
    """People as the directory knows them, each looked up once per record."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self._users: dict[str, tuple[str | None, str | None]] = {}
        self._units: dict[str, str | None] = {}

    def _user(self, username: str) -> tuple[str | None, str | None]:
        if username not in self._users:
            user = self._directory.user(username)
            self._users[username] = (user.full_name, user.unit_id) if user else (None, None)
        return self._users[username]

    def full_name(self, username: str) -> str | None:
        return self._user(username)[0]

    def unit_of(self, username: str) -> str | None:
        return self._user(username)[1]

    def unit_name(self, unit_id: str) -> str | None:
        if unit_id not in self._units:
            unit = self._directory.unit(unit_id)
            self._units[unit_id] = unit.name if unit else None
        return self._units[unit_id]


@dataclass(frozen=True)
class EventFacts:
    """What a sentence is made of: the event's type and data, and who did it in which role."""

    type: str
    actor: str | None
    role: str | None
    data: Mapping[str, Any]


def actor_words(username: str | None, role: str | None, people: People) -> Words:
    """ "Nguyễn Văn An (Thường trực Hội đồng …, Liên hiệp các Hội …)"; the username when the
    directory does not know the person."""
    if not username or role == "system" or username == "system":
        return role_words("system")
    name = people.full_name(username) or username
    unit_id = people.unit_of(username)
    unit = (people.unit_name(unit_id) or unit_id) if unit_id else None
    acting = role_words(role or "")
    where = f", {unit}" if unit else ""
    return Words(f"{name} ({acting.vi}{where})", f"{name} ({acting.en}{where})")


def unit_words(unit_id: str, people: People) -> str:
    return people.unit_name(unit_id) or unit_id


def _voter(data: Mapping[str, Any], people: People) -> str:
    # A cluster's electorate lists units, the council's lists people.
    voter = str(data.get("voter", ""))
    if data.get("stage") == "cluster":
        return unit_words(voter, people)
    return people.full_name(voter) or voter


def _form(code: str) -> Words:
    form = catalogue_by_code(KNOWN_FORMS).get(code)
    return Words(form.name_vi, form.name_en) if form else Words(code, code)


def _why(data: Mapping[str, Any]) -> tuple[str, str]:
    reason = str(data.get("reason") or data.get("comment") or "").strip()
    return (f": {reason}", f": {reason}") if reason else ("", "")


Sentence = Callable[[EventFacts, Words, People], Words]


def _nominated(e: EventFacts, who: Words, people: People) -> Words:
    form, nominee = _form(str(e.data.get("form", ""))), e.data.get("nominee") or {}
    name, title = nominee.get("name", ""), e.data.get("title", "")
    return Words(
        f"{who.vi} đã lập đề nghị «{title}»: {form.vi} cho {name}",
        f"{who.en} created the proposal «{title}»: {form.en} for {name}",
    )


def _document(e: EventFacts, who: Words, people: People) -> Words:
    doc = e.data.get("document") or {}
    kind, version = document_kind_words(str(doc.get("kind", ""))), doc.get("dossier_version", 1)
    return Words(
        f"{who.vi} đã đính kèm {kind.vi.lower()} «{doc.get('name', '')}» (hồ sơ lần {version})",
        f"{who.en} attached the {kind.en} «{doc.get('name', '')}» (dossier version {version})",
    )


def _submitted(e: EventFacts, who: Words, people: People) -> Words:
    n, version = len(e.data.get("document_hashes") or []), e.data.get("dossier_version", 1)
    vi_why, en_why = _why(e.data)
    again = e.type == "Resubmitted"
    return Words(
        f"{who.vi} đã {'gửi lại' if again else 'gửi'} hồ sơ lần {version} ({n} tài liệu){vi_why}",
        f"{who.en} {'resubmitted' if again else 'submitted'} dossier version {version}"
        f" ({n} documents){en_why}",
    )


def _vote_opened(e: EventFacts, who: Words, people: People) -> Words:
    stage, n = stage_words(str(e.data.get("stage"))), len(e.data.get("electorate") or [])
    deadline = vietnam_time(e.data["deadline"]) if e.data.get("deadline") else Words("—", "—")
    return Words(
        f"Mở bỏ phiếu kín ({stage.vi}) cho {n} thành viên, hạn chót {deadline.vi}",
        f"The secret ballot ({stage.en}) opened for {n} members, closing {deadline.en}",
    )


def _ballot(e: EventFacts, who: Words, people: People) -> Words:
    stage, voter = stage_words(str(e.data.get("stage"))), _voter(e.data, people)
    return Words(
        f"{voter} đã bỏ phiếu kín ({stage.vi})", f"{voter} cast a secret ballot ({stage.en})"
    )


def _box(e: EventFacts, who: Words, people: People) -> Words:
    stage, n = stage_words(str(e.data.get("stage"))), len(e.data.get("box") or [])
    reason = closing_reason_words(str(e.data.get("reason", "")))
    return Words(
        f"Niêm phong hòm phiếu ({stage.vi}): {n} phiếu kín; lý do đóng: {reason.vi}",
        f"The ballot box was sealed ({stage.en}): {n} sealed ballots; closed because {reason.en}",
    )


def _share(e: EventFacts, who: Words, people: People) -> Words:
    stage, trustee = (
        stage_words(str(e.data.get("stage"))),
        (e.data.get("share") or {}).get("trustee"),
    )
    return Words(
        f"{who.vi} đã nộp phần giải mã kết quả của người giữ khóa số {trustee} ({stage.vi})",
        f"{who.en} delivered the decryption share of trustee {trustee} ({stage.en})",
    )


def _closed(e: EventFacts, who: Words, people: People) -> Words:
    stage, tally = stage_words(str(e.data.get("stage"))), e.data.get("tally") or {}
    counted = tally_words(tally.get("yes", 0), tally.get("no", 0), tally.get("abstain", 0))
    outcome = vote_outcome_words(str(e.data.get("outcome", "")))
    return Words(
        f"Kết quả {stage.vi}: {counted.vi}; {outcome.vi}",
        f"Result of the {stage.en}: {counted.en}; {outcome.en}",
    )


def _appraisal_opened(e: EventFacts, who: Words, people: People) -> Words:
    version = e.data.get("dossier_version", 1)
    deadline = vietnam_time(e.data["deadline"]) if e.data.get("deadline") else Words("—", "—")
    return Words(
        f"Bắt đầu thẩm định hồ sơ lần {version}, hạn chót {deadline.vi}",
        f"The appraisal of dossier version {version} opened, due {deadline.en}",
    )


def _appraised(e: EventFacts, who: Words, people: People) -> Words:
    version, (vi_why, en_why) = e.data.get("dossier_version", 1), _why(e.data)
    return Words(
        f"{who.vi} đã thẩm định đạt hồ sơ lần {version}{vi_why}",
        f"{who.en} approved the appraisal of dossier version {version}{en_why}",
    )


def _returned(e: EventFacts, who: Words, people: People) -> Words:
    vi_why, en_why = _why(e.data)
    return Words(
        f"{who.vi} đã trả lại hồ sơ để bổ sung{vi_why}",
        f"{who.en} returned the dossier for supplements{en_why}",
    )


def _missed(e: EventFacts, who: Words, people: People) -> Words:
    step = deadline_step_words(str(e.data.get("step", "")))
    deadline = vietnam_time(e.data["deadline"]) if e.data.get("deadline") else Words("—", "—")
    return Words(
        f"Quá hạn {step.vi} (hạn chót {deadline.vi})",
        f"The deadline of {step.en} passed ({deadline.en})",
    )


def _held(e: EventFacts, who: Words, people: People) -> Words:
    vi_why, en_why = _why(e.data)
    return Words(
        f"{who.vi} đã tạm dừng đề nghị{vi_why}", f"{who.en} put the proposal on hold{en_why}"
    )


def _released(e: EventFacts, who: Words, people: People) -> Words:
    state, (vi_why, en_why) = state_words(str(e.data.get("resumed_state", ""))), _why(e.data)
    return Words(
        f"{who.vi} đã cho tiếp tục đề nghị (trở lại: {state.vi}){vi_why}",
        f"{who.en} released the proposal (back to: {state.en}){en_why}",
    )


def _withdrawn(e: EventFacts, who: Words, people: People) -> Words:
    vi_why, en_why = _why(e.data)
    return Words(f"{who.vi} đã rút đề nghị{vi_why}", f"{who.en} withdrew the proposal{en_why}")


def _decided(e: EventFacts, who: Words, people: People) -> Words:
    decision = decision_words(
        str(e.data.get("number", "")), str(e.data.get("decided_on", "")), str(e.data.get("outcome"))
    )
    vi_why, en_why = _why(e.data)
    return Words(f"{who.vi} đã ký {decision.vi}{vi_why}", f"{who.en} signed {decision.en}{en_why}")


def _conference_voted(e: EventFacts, who: Words, people: People) -> Words:
    records = ", ".join(str(r.get("kind", "")) for r in e.data.get("records") or [])
    conference = e.data.get("conference_id", "")
    return Words(
        f"Hội nghị bình xét {conference} đã suy tôn đề nghị (biên bản: {records})",
        f"The conference {conference} voted the proposal (records: {records})",
    )


def _forwarded(e: EventFacts, who: Words, people: People) -> Words:
    number, recipient = e.data.get("letter_number", ""), e.data.get("recipient", "")
    return Words(
        f"{who.vi} đã trình {recipient} bằng Tờ trình số {number} ngày {e.data.get('sent_on')}",
        f"{who.en} forwarded the proposal to {recipient} with letter {number}"
        f" of {e.data.get('sent_on')}",
    )


def _external_outcome(e: EventFacts, who: Words, people: People) -> Words:
    decision = decision_words(
        str(e.data.get("number", "")), str(e.data.get("decided_on", "")), str(e.data.get("outcome"))
    )
    issuer, (vi_why, en_why) = e.data.get("issuer", ""), _why(e.data)
    return Words(
        f"{who.vi} đã ghi nhận {decision.vi} của {issuer}{vi_why}",
        f"{who.en} recorded {decision.en} of {issuer}{en_why}",
    )


# --- publish ---
_GROUNDS = {
    "false_information": ("gian dối, kê khai không trung thực", "false information"),
    "forged_papers": ("làm giả hồ sơ, giấy tờ", "forged papers"),
    "unlawful_review": ("đề nghị, xét duyệt trái pháp luật", "an unlawful review"),
    "voided_eligibility": ("không còn đủ điều kiện", "a finding that voids eligibility"),
}


def _published(e: EventFacts, who: Words, people: People) -> Words:
    where, since, until = (
        e.data.get("where", ""),
        e.data.get("published_on"),
        e.data.get("window_end"),
    )
    return Words(
        f"{who.vi} đã công khai đề nghị trên {where} từ ngày {since} để lấy ý kiến đến hết ngày"
        f" {until}",
        f"{who.en} published the nominee on {where} on {since} for feedback until {until}",
    )


def _complaint_upheld(e: EventFacts, who: Words, people: People) -> Words:
    vi_why, en_why = _why(e.data)
    return Words(
        f"{who.vi} kết luận khiếu nại, tố cáo có cơ sở: đề nghị không được tiếp tục{vi_why}",
        f"{who.en} upheld a complaint: the nominee is rejected{en_why}",
    )


def _revoked(e: EventFacts, who: Words, people: People) -> Words:
    ground = _GROUNDS.get(str(e.data.get("ground")), (str(e.data.get("ground")),) * 2)
    number, cites = e.data.get("number", ""), e.data.get("cites_number", "")
    money = int(e.data.get("prize_money") or 0)
    return Words(
        f"{who.vi} đã hủy bỏ quyết định khen thưởng số {cites} bằng Quyết định số {number}"
        f" ngày {e.data.get('decided_on')} ({ground[0]}); thu hồi hiện vật và {money:,} đồng",
        f"{who.en} revoked the award of decision {cites} by decision {number} of"
        f" {e.data.get('decided_on')} ({ground[1]}); certificate and {money:,} VND to recover",
    )


def _recovered(e: EventFacts, who: Words, people: People) -> Words:
    money, returned = int(e.data.get("money_recovered") or 0), e.data.get("certificate_returned")
    vi_item = "đã nộp lại hiện vật" if returned else "chưa nộp lại hiện vật"
    en_item = "certificate returned" if returned else "certificate not returned"
    return Words(
        f"{who.vi} đã ghi nhận việc thu hồi ngày {e.data.get('recovered_on')}: {vi_item},"
        f" {money:,} đồng",
        f"{who.en} recorded the recovery of {e.data.get('recovered_on')}: {en_item}, {money:,} VND",
    )


# --- decide ---
def _decided_by_decision(e: EventFacts, who: Words, people: People) -> Words:
    decision = decision_words(
        str(e.data.get("number", "")), str(e.data.get("decided_on", "")), str(e.data.get("outcome"))
    )
    form, signer = str(e.data.get("signing_form", "own")), str(e.data.get("signer", ""))
    name = people.full_name(signer) or signer
    signed = Words("", "") if form == "own" else Words(f" ({form}. {name})", f" ({form}. {name})")
    vi_why, en_why = _why(e.data)
    return Words(
        f"{who.vi} đã ban hành {decision.vi}{signed.vi}{vi_why}",
        f"{who.en} issued {decision.en}{signed.en}{en_why}",
    )


CATALOGUE: dict[str, Sentence] = {
    "Nominated": _nominated,
    "DocumentAttached": _document,
    "Submitted": _submitted,
    "Resubmitted": _submitted,
    "VoteOpened": _vote_opened,
    "BallotRecorded": _ballot,
    "BallotBoxSealed": _box,
    "TallyShareSubmitted": _share,
    "VoteClosed": _closed,
    "AppraisalOpened": _appraisal_opened,
    "AppraisalApproved": _appraised,
    "ReturnedForSupplements": _returned,
    "DeadlineMissed": _missed,
    "PutOnHold": _held,
    "Released": _released,
    "Withdrawn": _withdrawn,
    "Decided": _decided,
    "ConferenceVoteHeld": _conference_voted,
    "Forwarded": _forwarded,
    "ExternalOutcomeRecorded": _external_outcome,
    "Published": _published,
    "ComplaintUpheld": _complaint_upheld,
    "Revoked": _revoked,
    "RecoveryRecorded": _recovered,
    "DecidedByDecision": _decided_by_decision,  # --- decide ---
}


def _subject(username: str | None, role: str | None, people: People) -> Words:
    # The sentence names the person; role and unit are said once, on the record's "by" line.
    if not username or role == "system" or username == "system":
        return role_words("system")
    name = people.full_name(username) or username
    return Words(name, name)


def describe(event: EventFacts, people: People) -> Words:
    """The sentence an auditor reads for one event; an event type this catalogue does not know
    yet is named rather than hidden."""
    who = _subject(event.actor, event.role, people)
    sentence = CATALOGUE.get(event.type)
    if sentence is None:
        return Words(f"Sự kiện {event.type} do {who.vi} ghi", f"Event {event.type} by {who.en}")
    return sentence(event, who, people)
