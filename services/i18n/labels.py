"""What officials read: names of states, roles, votes and documents, Vietnam time and tallies,
in Vietnamese first with English beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

Lang = Literal["vi", "en"]
VIETNAM = timezone(timedelta(hours=7), "ICT")  # Vietnam keeps no daylight saving


@dataclass(frozen=True)
class Words:
    """One thing said in Vietnamese and in English."""

    vi: str
    en: str

    def read(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en

    def as_json(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}


def language(requested: str | None, accept_language: str | None = None) -> Lang:
    """The reader's language: asked for by name, else the first of Accept-Language that we
    speak; Vietnamese unless English is preferred."""
    for choice in [requested or "", *(accept_language or "").split(",")]:
        tag = choice.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("vi"):
            return "vi"
    return "vi"


STATE_LABELS: dict[str, tuple[str, str]] = {
    "draft": ("Dự thảo", "Draft"),
    "submitted": ("Đã gửi", "Submitted"),
    "cluster_voting": ("Đang bình xét tại Cụm", "Cluster vote open"),
    "cluster_approved": ("Cụm đã suy tôn", "Approved by the cluster"),
    "appraisal": ("Đang thẩm định", "Under appraisal"),
    "returned": ("Trả lại để bổ sung", "Returned for supplements"),
    "appraised": ("Đã thẩm định", "Appraised"),
    "council_voting": ("Hội đồng đang bỏ phiếu", "Council vote open"),
    "council_approved": ("Hội đồng đã thông qua", "Approved by the council"),
    "decided": ("Đã có quyết định", "Decided"),
    "rejected": ("Không được đề nghị", "Rejected"),
    "withdrawn": ("Đã rút", "Withdrawn"),
    "on_hold": ("Tạm dừng", "On hold"),
    "forwarded": ("Đã trình cấp Nhà nước", "Forwarded to the state body"),
    "externally_decided": ("Cấp Nhà nước đã quyết định", "Decided by the state body"),
    # --- publish ---
    "published": ("Đang công khai lấy ý kiến", "Published for feedback"),
    "revoked": ("Đã hủy bỏ quyết định khen thưởng", "Award revoked"),
}
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "proposer": ("Cán bộ lập đề nghị", "Proposer"),
    "cluster_member": ("Thành viên Cụm thi đua", "Cluster member"),
    "council_secretary": ("Thường trực Hội đồng Thi đua – Khen thưởng", "Council secretary"),
    "council_member": ("Thành viên Hội đồng Thi đua – Khen thưởng", "Council member"),
    "president": ("Chủ tịch Liên hiệp Hội Việt Nam", "President of VUSTA"),
    "auditor": ("Kiểm tra viên", "Auditor"),
    "admin": ("Quản trị hệ thống", "Administrator"),
    "system": ("Hệ thống", "The system"),
}
STAGE_LABELS: dict[str, tuple[str, str]] = {
    "cluster": ("bình xét cấp Cụm", "cluster vote"),
    "council": ("bỏ phiếu của Hội đồng Thi đua – Khen thưởng", "council vote"),
}
VOTE_OUTCOMES: dict[str, tuple[str, str]] = {
    "approved": ("được thông qua", "approved"),
    "rejected": ("không được thông qua", "rejected"),
    "no_quorum": ("không đủ số thành viên tham gia (không đạt túc số)", "no quorum"),
}
DECISION_OUTCOMES: dict[str, tuple[str, str]] = {
    "awarded": ("tặng thưởng", "awarded"),
    "rejected": ("không tặng thưởng", "not awarded"),
}
DOCUMENT_KINDS: dict[str, tuple[str, str]] = {
    "request_letter": ("Tờ trình", "request letter"),
    "achievement_report": ("Báo cáo thành tích", "achievement report"),
    "review_minutes": ("Biên bản họp xét", "review minutes"),
    "ballot_count": ("Biên bản kiểm phiếu", "ballot count record"),
    "initiative_certificate": ("Giấy chứng nhận sáng kiến", "initiative certificate"),
    "consultation": ("Ý kiến hiệp y", "consultation opinion"),
    "publication_record": (
        "Minh chứng công khai trên phương tiện thông tin",
        "proof of publication",
    ),
    "supplement": ("Tài liệu bổ sung", "supplementary document"),
    "other": ("Tài liệu khác", "other document"),
    "forwarding_letter": ("Tờ trình đề nghị cấp Nhà nước", "forwarding letter"),
    "external_decision": ("Quyết định của cấp Nhà nước", "state body's decision"),
}
DEADLINE_STEPS: dict[str, tuple[str, str]] = {
    "cluster_vote": ("bình xét cấp Cụm", "the cluster vote"),
    "appraisal": ("thẩm định hồ sơ", "the appraisal"),
    "council_vote": ("bỏ phiếu của Hội đồng", "the council vote"),
    "external_outcome": ("chờ quyết định của cấp Nhà nước", "the state body's outcome"),
}
CLOSING_REASONS: dict[str, tuple[str, str]] = {
    "every member voted": ("mọi thành viên đã bỏ phiếu", "every member voted"),
    "deadline passed": ("đã hết hạn bỏ phiếu", "the deadline passed"),
    "no member may vote": ("không thành viên nào được bỏ phiếu", "no member may vote"),
}


def _label(table: dict[str, tuple[str, str]], code: str) -> Words:
    vi, en = table.get(code, (code, code))
    return Words(vi, en)


def state_label(state: str) -> dict[str, str]:
    return _label(STATE_LABELS, state).as_json()


def state_words(state: str) -> Words:
    return _label(STATE_LABELS, state)


def role_words(role: str) -> Words:
    return _label(ROLE_LABELS, role)


def stage_words(stage: str) -> Words:
    return _label(STAGE_LABELS, stage)


def vote_outcome_words(outcome: str) -> Words:
    return _label(VOTE_OUTCOMES, outcome)


def decision_outcome_words(outcome: str) -> Words:
    return _label(DECISION_OUTCOMES, outcome)


def document_kind_words(kind: str) -> Words:
    return _label(DOCUMENT_KINDS, kind)


def deadline_step_words(step: str) -> Words:
    return _label(DEADLINE_STEPS, step)


def closing_reason_words(reason: str) -> Words:
    return _label(CLOSING_REASONS, reason)


def vietnam_time(moment: datetime | str) -> Words:
    """A moment as an official reads it: the Vietnamese day first, Vietnam time, the zone said."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # the event store records UTC
    local = when.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
    return Words(f"{local} (giờ Việt Nam, UTC+07:00)", f"{local} (Vietnam time, UTC+07:00)")


def vietnam_date(day: date | str) -> str:
    try:
        return (date.fromisoformat(day) if isinstance(day, str) else day).strftime("%d/%m/%Y")
    except ValueError:
        return str(day)  # shown as recorded rather than hiding the event


def tally_words(yes: int, no: int, abstain: int) -> Words:
    return Words(
        f"{yes} tán thành, {no} không tán thành, {abstain} phiếu trắng",
        f"{yes} yes, {no} no, {abstain} abstain",
    )


def decision_words(number: str, decided_on: str, outcome: str) -> Words:
    """E.g. "Quyết định số 17/QĐ-LHHVN ngày 05/01/2026: tặng thưởng"."""
    day, verdict = vietnam_date(decided_on), decision_outcome_words(outcome)
    return Words(
        f"Quyết định số {number} ngày {day}: {verdict.vi}",
        f"Decision No. {number} of {day}: {verdict.en}",
    )


# The timed steps of a cluster's year (domain/rulebook/version.py YearStep).
YEAR_STEPS: dict[str, tuple[str, str]] = {
    "pledge": ("ký giao ước thi đua", "signing the pledge"),
    "criteria": ("xây dựng tiêu chí", "setting the criteria"),
    "self_score": ("tự chấm điểm", "self-scoring"),
    "cross_check": ("chấm chéo", "the cross-check"),
    "contest": ("khiếu nại điểm", "contesting a score"),
    "mid_year": ("sơ kết 6 tháng", "the mid-year review"),
    "year_end": ("tổng kết năm", "the year-end summary"),
    "conference": ("hội nghị bình xét, suy tôn", "the conference"),
    "election": ("bầu Cụm trưởng, Cụm phó", "the election of the head and deputy"),
}


def year_step_words(step: str) -> Words:
    return _label(YEAR_STEPS, step)
