"""The forwarding letter (tờ trình) of a state-level proposal as a PDF (Decree 30/2020 form)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from domain.kernel.calendar import VIETNAM
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from domain.proposal.states import VoteStage

ISSUER = "LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT VIỆT NAM"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Letter:
    number: str  # e.g. 05/TTr-LHHVN
    sent_on: date
    recipient: str  # Kính gửi: ...
    signer: str


def place_and_date(day: date, place: str = "Hà Nội") -> str:
    """Decree 30/2020: days below 10 and the months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def header(pdf: FPDF, number: str, day: date) -> None:
    """Decree 30/2020's header: the issuing body and the number on the left, the nation's
    name and motto, place and date on the right."""
    top = pdf.get_y()
    pdf.set_font("body", size=10)
    pdf.multi_cell(80, 5, f"{ISSUER}\nSố: {number}", align=Align.C)
    pdf.set_xy(95, top)
    pdf.multi_cell(105, 5, NATION, align=Align.C)
    pdf.set_x(95)
    pdf.multi_cell(105, 5, place_and_date(day), align=Align.C)
    pdf.ln(8)


def _body(proposal: Proposal) -> list[str]:
    form = find_form(proposal.form)
    lines = [
        f"Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam kính trình đề nghị tặng {form.name_vi}"
        f" năm {proposal.year} cho: {proposal.nominee.name}.",
        f"Hồ sơ: {proposal.title}.",
    ]
    if proposal.conference_id:
        lines.append(f"Hội nghị bình xét của {proposal.cluster}: {proposal.conference_id}.")
    council = proposal.votes.get(VoteStage.COUNCIL.value)
    if council is not None and council.result is not None:
        tally = council.result.tally
        lines.append(
            f"Hội đồng Thi đua - Khen thưởng đã bỏ phiếu ngày {council.result.closed_on:%d/%m/%Y}:"
            f" {tally.yes} tán thành, {tally.no} không tán thành, {tally.abstain} không ý kiến."
        )
    lines.append("Tài liệu kèm theo (mã SHA-256):")
    lines += [f"- {d.kind}: {d.sha256}" for d in proposal.dossier.documents]
    lines.append(f"Căn cứ bộ quy tắc: {proposal.rulebook_version}.")
    return lines


def render(proposal: Proposal, letter: Letter, font: Path) -> bytes:
    """The letter; its content, not its file name, is what its sha256 vouches for."""
    pdf = FPDF(format="A4")
    # The letter's own date, not the clock: the same letter renders to the same hash.
    pdf.set_creation_date(datetime.combine(letter.sent_on, time(), tzinfo=VIETNAM))
    pdf.add_font("body", fname=str(font))
    pdf.add_page()
    header(pdf, letter.number, letter.sent_on)
    pdf.set_font("body", size=13)
    pdf.cell(0, 7, "TỜ TRÌNH", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", size=10)
    summary = f"Về việc đề nghị tặng {find_form(proposal.form).name_vi}"
    pdf.cell(0, 6, summary, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 6, f"Kính gửi: {letter.recipient}", align=Align.C)
    pdf.ln(10)
    for line in _body(proposal):
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_x(110)
    pdf.multi_cell(90, 5, f"TM. ĐOÀN CHỦ TỊCH\n\n\n{letter.signer}", align=Align.C)
    pdf.ln(4)
    pdf.multi_cell(0, 5, "Nơi nhận:\n- Như trên;\n- Lưu: VT, TĐKT.")
    return bytes(pdf.output())
