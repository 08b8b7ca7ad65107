"""The integrity check an auditor runs: the hash chain against the newest signed seal, and in
words exactly what it covered and what it could not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from infra import chain, seals
from infra.postgres import Pool
from infra.seals import Seal
from infra.settings import Settings
from infra.signing import public_key_of
from services.i18n.labels import Lang, Words, vietnam_time

FAILURE_KINDS: dict[str, str] = {
    "edited": "bị sửa",
    "deleted": "bị xóa",
    "inserted": "bị chèn thêm",
    "reordered": "bị đổi thứ tự",
}


@dataclass(frozen=True)
class IntegrityCheck:
    """One verification: what the chain scan found, and the newest signed seal it was held to."""

    report: chain.Report
    proposal: UUID | None
    seal: Seal | None

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def sealed_events(self) -> int:
        if self.seal is None or not self.ok:
            return 0
        return self.report.matched_seals.get(self.seal.up_to, 0)

    @property
    def unsealed_events(self) -> int:
        """Checked events after the newest seal: chained, but a seal does not vouch for them."""
        return 0 if self.proposal is not None else self.report.events - self.sealed_events

    def lines(self) -> list[Words]:
        if self.report.failure is not None:
            return [_failure(self.report)]
        if self.proposal is not None:
            return [_stream(self.report, self.proposal)]
        said = [_log(self.report)]
        if self.report.skipped_ids:
            said.append(_gaps(self.report.skipped_ids))
        said.extend(_coverage(self))
        return said

    def text(self, lang: Lang) -> str:
        return "\n".join(line.read(lang) for line in self.lines())

    def as_json(self) -> dict[str, Any]:
        report, failure, seal = self.report, self.report.failure, self.seal
        return {
            "ok": report.ok,
            "events_verified": report.events,
            "seals_checked": report.seals_checked,
            "first_notification_id": report.first_id,
            "skipped_ids": report.skipped_ids,
            "head": {"notification_id": report.head_id, "log_hash": report.head.hex()}
            if self.proposal is None
            else None,
            "stream": None
            if self.proposal is None
            else {
                "proposal_id": str(self.proposal),
                "versions": [1, report.last_version] if report.events else [],
                "last_event_hash": report.last_event_hash.hex(),
            },
            "seal": None
            if seal is None or self.proposal is not None
            else {
                "up_to": seal.up_to,
                "sealed_at": seal.sealed_at.isoformat(),
                "source": seal.source,
                "sealed_events": self.sealed_events,
            },
            "unsealed_events": self.unsealed_events,
            "failure": None
            if failure is None
            else {
                "notification_id": failure.notification_id,
                "kind": failure.kind,
                "proposal_id": failure.originator_id,
                "version": failure.version,
                "detail": failure.detail,
            },
            "summary": [line.as_json() for line in self.lines()],
        }


def known_seals(
    pool: Pool, settings: Settings, seal_file: Path | None = None
) -> tuple[list[Seal], bytes]:
    """Every signed seal to hold the log to: the seal files (which someone with only database
    access cannot rewrite), the seals table, and a given file; each signature checked."""
    trusted = public_key_of(settings.resolved_signing_key())
    found = seals.from_folder(settings.resolved_seal_dir(), trusted)
    found += seals.from_table(pool, trusted)
    if seal_file is not None:
        found.append(seals.read_file(seal_file, trusted))
    return found, trusted


def check(
    pool: Pool,
    settings: Settings,
    proposal: UUID | None = None,
    seal_file: Path | None = None,
    progress: Callable[[int], None] | None = None,
    events_table: str = chain.EVENTS_TABLE,
) -> IntegrityCheck:
    """Verify the whole log (or one proposal's stream) and hold it to every signed seal.
    Raises SealRefused for a seal whose signature does not verify."""
    found, _ = known_seals(pool, settings, seal_file) if proposal is None else ([], b"")
    expected: dict[int, bytes] = {}
    for seal in found:
        if expected.setdefault(seal.up_to, seal.log_hash) != seal.log_hash:
            # Two signed seals of one point that disagree: the log cannot match both.
            expected[seal.up_to] = b"\x00disagreeing seals"
    report = chain.verify(pool, events_table, proposal, progress, expected)
    newest = max(found, key=lambda seal: seal.up_to, default=None)
    return IntegrityCheck(report, proposal, newest)


def _failure(report: chain.Report) -> Words:
    failure = report.failure
    assert failure is not None
    where = f"sự kiện {failure.notification_id}"
    if failure.originator_id:
        where += f" ({failure.originator_id} phiên bản {failure.version})"
    return Words(
        f"BỊ SỬA ĐỔI sau {report.events} sự kiện hợp lệ: {where}"
        f" {FAILURE_KINDS.get(failure.kind, failure.kind)} (chi tiết: {failure.detail})",
        f"TAMPERED after {report.events} good events: {failure}",
    )


def _log(report: chain.Report) -> Words:
    if not report.events:
        return Words("Nhật ký sự kiện còn trống.", "The event log is empty.")
    head = report.head.hex()
    return Words(
        f"{report.events} sự kiện đã được kiểm tra (mã số thông báo {report.first_id}"
        f"–{report.head_id}): mọi mã băm được tính lại từ nội dung và khớp; mã băm nhật ký"
        f" tại sự kiện {report.head_id}: {head}.",
        f"{report.events} events verified (notification ids {report.first_id}"
        f"–{report.head_id}): every hash recomputed from the content matches; log hash at"
        f" event {report.head_id}: {head}.",
    )


def _gaps(skipped: int) -> Words:
    return Words(
        f"{skipped} mã số thông báo không được dùng: mã số không liên tục khi một lần ghi bị lỗi"
        " hoặc bị hủy (rollback); đây là điều bình thường, và chuỗi băm nối liền qua mỗi"
        " khoảng trống nên không sự kiện nào bị lấy ra khỏi đó.",
        f"{skipped} notification ids were skipped: ids are not contiguous after failed or"
        " rolled-back writes; this is normal, and the log chain runs across each gap, so no"
        " event was removed from one.",
    )


def _coverage(check: IntegrityCheck) -> list[Words]:
    seal, unsealed = check.seal, check.unsealed_events
    if seal is None:
        return [
            Words(
                f"Chưa có dấu niêm phong nào: {unsealed} sự kiện không được niêm phong bảo đảm."
                " Chỉ riêng chuỗi băm không phát hiện được việc xóa các sự kiện mới nhất, việc"
                " thêm sự kiện qua trigger, hay việc sửa một sự kiện rồi tính lại mọi mã băm"
                " sau nó.",
                f"No seal yet: none of the {unsealed} events is covered by a seal. The chain"
                " alone cannot detect the newest events deleted, an event appended through the"
                " trigger, or an event edited with every later hash recomputed.",
            )
        ]
    at = vietnam_time(seal.sealed_at)
    said = [
        Words(
            f"Các sự kiện đến mã số thông báo {seal.up_to} đúng như đã niêm phong lúc {at.vi}"
            f" (dấu niêm phong có chữ ký: {seal.source}).",
            f"Events up to notification id {seal.up_to} are exactly as sealed at {at.en}"
            f" (signed seal: {seal.source}).",
        )
    ]
    if unsealed:
        said.append(
            Words(
                f"{unsealed} sự kiện sau dấu niêm phong mới nhất đã được nối chuỗi nhưng chưa"
                " được niêm phong bảo đảm: một thay đổi ở các sự kiện đó, hoặc việc xóa các sự"
                " kiện mới nhất kể từ lần niêm phong, chưa thể phát hiện cho đến lần niêm phong"
                " tiếp theo.",
                f"{unsealed} events after the newest seal are chained but not covered by a seal:"
                " a change to those, or a deletion of the newest events since the seal, is not"
                " detectable until the next seal.",
            )
        )
    return said


def _stream(report: chain.Report, proposal: UUID) -> Words:
    n, last = report.events, report.last_event_hash.hex()
    return Words(
        f"Đề nghị {proposal}: {n} sự kiện; mã băm chuỗi từ phiên bản 1 đến {report.last_version}"
        " được tính lại và khớp, mỗi sự kiện khớp với mã băm nhật ký lưu ngay trước nó; mã băm"
        f" sự kiện cuối: {last}. Không đối chiếu dấu niêm phong: việc xóa các sự kiện mới nhất"
        " của đề nghị chỉ được phát hiện khi kiểm tra toàn bộ nhật ký với dấu niêm phong.",
        f"Proposal {proposal}: {n} events; its stream hashes from version 1 to"
        f" {report.last_version} were recomputed and match, and each event matches the stored"
        f" log hash just before it; last event hash: {last}. No seal was checked: the newest"
        " events of this proposal deleted show only in a check of the whole log against a seal.",
    )
