"""A cluster conference's records as PDF: the minutes of the review (biên bản bình xét) and the
ballot count (biên bản kiểm phiếu), in Vietnamese with the Decree 30/2020 header, each answered
with its sha256 and kept in the document store.

Rendering is a pure function of the typed input (the PDF's creation date is the conference's
day), so equal input gives equal bytes and the same hash every time it is generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from fractions import Fraction
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from domain.voting.ballot import Outcome, Tally
from services.application.records import RecordRef, Rendered, store_record
from services.audit.record_pdf import find_font
from services.i18n.labels import vietnam_date, vote_outcome_words
from services.runtime import Runtime

BODY = "LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT VIỆT NAM"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class LineResult:
    """One line of the conference's list ballot: a candidate for a form, and its count."""

    line_id: str
    candidate: str  # as officials name it: "Liên hiệp Hội tỉnh Bình Định"
    form: str  # "Cờ thi đua của Liên hiệp Hội Việt Nam"
    electorate: int  # members with this line: all but the candidate's own unit
    tally: Tally
    outcome: Outcome


@dataclass(frozen=True)
class ConferenceMinutes:
    cluster_name: str  # "Cụm thi đua số 6"
    year: int
    place: str
    held_on: date
    chair: str
    secretary: str
    members_present: tuple[str, ...]
    candidates: tuple[str, ...]
    lines: tuple[LineResult, ...]
    elected_head: str
    elected_deputy: str


@dataclass(frozen=True)
class BallotCount:
    cluster_name: str
    year: int
    place: str
    held_on: date
    counting_board: tuple[str, ...]  # the head of the counting board first
    members: int  # member units entitled to a ballot
    cast: int  # sealed ballots in the box, each proved valid
    lines: tuple[LineResult, ...]
    rule: str  # the ballot rule in words, as the rulebook states it
    key_fingerprint: str  # the election key the ballots were sealed under
    trustees: tuple[int, ...]  # the trustees whose decryption shares opened the totals


def dated(place: str, day: date) -> str:
    """Decree 30/2020: a day below 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _share(yes: int, base: int) -> str:
    if base == 0:
        return "0%"
    return f"{float(Fraction(100 * yes, base)):.2f}".replace(".", ",") + "%"


def _line_text(n: int, line: LineResult) -> str:
    t = line.tally
    return (
        f"{n}. {line.candidate} – {line.form}: {t.yes}/{line.electorate} phiếu đồng ý"
        f" ({_share(t.yes, line.electorate)}), {t.no} không đồng ý, {t.abstain} phiếu trắng."
        f" Kết quả: {vote_outcome_words(line.outcome.value).vi}."
    )


def minutes_lines(minutes: ConferenceMinutes) -> list[str]:
    """The body of the minutes, line by line."""
    present = minutes.members_present
    return [
        f"Hôm nay, ngày {vietnam_date(minutes.held_on)}, tại {minutes.place},"
        f" {minutes.cluster_name} tổ chức Hội nghị tổng kết, bình xét, suy tôn thi đua"
        f" năm {minutes.year}.",
        f"Chủ trì: {minutes.chair}. Thư ký: {minutes.secretary}.",
        f"Thành phần: {len(present)} đơn vị thành viên có mặt: {', '.join(present)}.",
        "I. DANH SÁCH ĐỀ NGHỊ BÌNH XÉT",
        *(f"{n}. {name}" for n, name in enumerate(minutes.candidates, 1)),
        "II. KẾT QUẢ BỎ PHIẾU KÍN (theo biên bản kiểm phiếu kèm theo)",
        *(_line_text(n, line) for n, line in enumerate(minutes.lines, 1)),
        f"III. BẦU CỤM TRƯỞNG, CỤM PHÓ NĂM {minutes.year + 1}",
        f"Cụm trưởng: {minutes.elected_head}. Cụm phó: {minutes.elected_deputy}.",
        "Biên bản được lập xong trong ngày, đã đọc lại cho Hội nghị nghe và nhất trí thông qua.",
    ]


def count_lines_text(count: BallotCount) -> list[str]:
    """The body of the ballot count, line by line."""
    board = count.counting_board
    return [
        f"Hôm nay, ngày {vietnam_date(count.held_on)}, tại {count.place}, Ban kiểm phiếu"
        f" Hội nghị bình xét, suy tôn thi đua năm {count.year} của {count.cluster_name} gồm:",
        *(
            f"{n}. {name} – {'Trưởng ban' if n == 1 else 'Thành viên'}"
            for n, name in enumerate(board, 1)
        ),
        f"Số đơn vị thành viên có quyền bỏ phiếu: {count.members}.",
        f"Số phiếu thu về: {count.cast}; số phiếu hợp lệ: {count.cast}"
        " (mỗi phiếu kín kèm chứng minh hợp lệ, đã được kiểm tra).",
        f"Nguyên tắc: {count.rule}. Mỗi đơn vị không bỏ phiếu cho chính mình.",
        "KẾT QUẢ KIỂM PHIẾU",
        *(_line_text(n, line) for n, line in enumerate(count.lines, 1)),
        f"Khóa bầu cử: {count.key_fingerprint}.",
        "Kết quả được mở từ tổng phiếu đã niêm phong bằng phần giải mã của người giữ khóa số "
        f"{', '.join(str(t) for t in count.trustees) or '—'}; không phiếu nào được mở riêng.",
    ]


class _Record(FPDF):
    def __init__(self, font: Path, held_on: date) -> None:
        super().__init__(format="A4")
        # The conference's day, not the moment of rendering: equal input, equal bytes.
        self.set_creation_date(datetime.combine(held_on, time(), UTC))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(20, 15, 15)
        self.add_font("body", fname=str(font))
        self.add_page()

    def header_block(self, issuer: str, place_date: str) -> None:
        """Decree 30/2020: the issuing body on the left, nation and motto on the right, the
        place and date under the motto."""
        width = self.w - self.l_margin - self.r_margin
        left, right = width * 0.42, width * 0.58
        top = self.get_y()
        self.set_font("body", size=10)
        self.multi_cell(left, 5, f"{BODY}\n{issuer.upper()}", align="C")
        bottom = self.get_y()
        self.set_xy(self.l_margin + left, top)
        self.multi_cell(right, 5, NATION, align="C")
        self.set_x(self.l_margin + left)
        self.multi_cell(right, 7, place_date, align="C")
        self.set_y(max(bottom, self.get_y()) + 4)

    def titled(self, *lines: str) -> None:
        for n, text in enumerate(lines):
            self.set_font("body", size=13 if n == 0 else 11)
            self.multi_cell(0, 6, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def body_lines(self, lines: list[str]) -> None:
        self.set_font("body", size=10)
        for text in lines:
            self.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def signatures(self, left: tuple[str, str], right: tuple[str, str]) -> None:
        self.ln(8)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.set_font("body", size=10)
        top = self.get_y()
        self.multi_cell(half, 5, f"{left[0]}\n(Ký, ghi rõ họ tên)\n\n\n\n{left[1]}", align="C")
        self.set_xy(self.l_margin + half, top)
        self.multi_cell(half, 5, f"{right[0]}\n(Ký, ghi rõ họ tên)\n\n\n\n{right[1]}", align="C")


def render_minutes(minutes: ConferenceMinutes, font: Path) -> Rendered:
    pdf = _Record(font, minutes.held_on)
    pdf.header_block(minutes.cluster_name, dated(minutes.place, minutes.held_on))
    pdf.titled(
        "BIÊN BẢN",
        f"Hội nghị bình xét, suy tôn thi đua năm {minutes.year} của {minutes.cluster_name}",
    )
    pdf.body_lines(minutes_lines(minutes))
    pdf.signatures(("THƯ KÝ", minutes.secretary), ("CHỦ TRÌ", minutes.chair))
    return Rendered("review_minutes", bytes(pdf.output()))


def render_count(count: BallotCount, font: Path) -> Rendered:
    pdf = _Record(font, count.held_on)
    pdf.header_block(count.cluster_name, dated(count.place, count.held_on))
    pdf.titled(
        "BIÊN BẢN KIỂM PHIẾU",
        f"Bình xét, suy tôn thi đua năm {count.year} của {count.cluster_name}",
    )
    pdf.body_lines(count_lines_text(count))
    members = ", ".join(count.counting_board[1:]) or "—"
    head = count.counting_board[0] if count.counting_board else "—"
    pdf.signatures(("CÁC THÀNH VIÊN BAN KIỂM PHIẾU", members), ("TRƯỞNG BAN KIỂM PHIẾU", head))
    return Rendered("ballot_count", bytes(pdf.output()))


async def store_conference_records(
    runtime: Runtime, minutes: ConferenceMinutes, count: BallotCount
) -> tuple[RecordRef, RecordRef]:
    """Render both records and keep them in the document store: (minutes, count)."""
    font = find_font(runtime.settings.pdf_font)
    return (
        await store_record(runtime, render_minutes(minutes, font)),
        await store_record(runtime, render_count(count, font)),
    )
