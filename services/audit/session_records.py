"""A council session's records as PDF, in the layout of the conference's records
(services/audit/conference_records.py): the minutes of the session (biên bản họp Hội đồng)
and the ballot count (biên bản kiểm phiếu), each answered with its sha256 and kept in the
document store. Rendering is a pure function of the typed input (dated the session's day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from services.application.records import RecordRef, Rendered, store_record
from services.audit.conference_records import LineResult, _line_text, _Record, dated
from services.audit.record_pdf import find_font
from services.runtime import Runtime

COUNCIL = "Hội đồng Thi đua – Khen thưởng"


@dataclass(frozen=True)
class SessionRecord:
    """What both records of one counted session state."""

    held_on: date
    place: str
    chair: str
    secretary: str
    members: int
    present: tuple[str, ...]
    written: tuple[str, ...]
    absent: tuple[str, ...]
    recusals: tuple[str, ...]  # "member – nominee: reason"
    cast: int
    lines: tuple[LineResult, ...]
    key_fingerprint: str
    trustees: tuple[int, ...]


def minutes_text(record: SessionRecord) -> list[str]:
    return [
        f"Hôm nay, tại {record.place}, {COUNCIL} Liên hiệp Hội Việt Nam họp xét khen thưởng.",
        f"Chủ trì: {record.chair}. Thư ký: {record.secretary}.",
        f"Thành viên Hội đồng: {record.members}; có mặt {len(record.present)}:"
        f" {', '.join(record.present)}.",
        f"Vắng mặt có phiếu gửi bằng văn bản: {', '.join(record.written) or '—'}.",
        f"Vắng mặt: {', '.join(record.absent) or '—'}.",
        "Không tham gia biểu quyết (có lý do): " + ("; ".join(record.recusals) or "—") + ".",
        "KẾT QUẢ BỎ PHIẾU KÍN (theo biên bản kiểm phiếu kèm theo)",
        *(_line_text(n, line) for n, line in enumerate(record.lines, 1)),
        "Biên bản được lập xong trong ngày, đã đọc lại cho Hội đồng nghe và nhất trí thông qua.",
    ]


def count_text(record: SessionRecord) -> list[str]:
    return [
        f"Ban kiểm phiếu phiên họp {COUNCIL} tại {record.place}.",
        f"Số thành viên Hội đồng: {record.members}. Số phiếu thu về (kể cả phiếu gửi bằng văn"
        f" bản): {record.cast}; số phiếu hợp lệ: {record.cast}.",
        "Mỗi dòng được xét theo quy định của hình thức khen thưởng; thành viên không tham gia"
        " biểu quyết một hồ sơ không có dòng đó và không tính vào số thành viên của dòng.",
        "KẾT QUẢ KIỂM PHIẾU",
        *(_line_text(n, line) for n, line in enumerate(record.lines, 1)),
        f"Khóa bầu cử: {record.key_fingerprint}.",
        "Kết quả được mở từ tổng phiếu đã niêm phong bằng phần giải mã của người giữ khóa số "
        f"{', '.join(str(t) for t in record.trustees) or '—'}; không phiếu nào được mở riêng.",
    ]


def _render(
    record: SessionRecord, kind: str, title: str, body: list[str], font: Path | None
) -> Rendered:
    pdf = _Record(find_font(font), record.held_on)
    pdf.header_block(COUNCIL, dated("Hà Nội", record.held_on))
    pdf.titled(title, f"Phiên họp {COUNCIL} ngày {record.held_on:%d/%m/%Y}")
    pdf.body_lines(body)
    pdf.signatures(("THƯ KÝ", record.secretary), ("CHỦ TỊCH HỘI ĐỒNG", record.chair))
    return Rendered(kind, bytes(pdf.output()))


def render_session(record: SessionRecord, font: Path | None) -> tuple[Rendered, Rendered]:
    return (
        _render(record, "session_minutes", "BIÊN BẢN HỌP", minutes_text(record), font),
        _render(record, "ballot_count", "BIÊN BẢN KIỂM PHIẾU", count_text(record), font),
    )


async def store_session_records(runtime: Runtime, record: SessionRecord) -> list[RecordRef]:
    minutes, count = render_session(record, runtime.settings.pdf_font)
    return [await store_record(runtime, minutes), await store_record(runtime, count)]
