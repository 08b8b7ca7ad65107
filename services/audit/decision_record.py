"""A decision for many as a PDF record (Decree 30/2020, Appendix I): the header, the number and
date, QUYẾT ĐỊNH with its summary, the authority, Căn cứ, Theo đề nghị, the articles, Nơi nhận,
the signature block with its signing form, and the annex listing every awardee."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from domain.decision.text import BODY, KINDS, DecisionText
from domain.kernel.calendar import VIETNAM
from services.audit.forwarding_letter import header

AUTHORITY = f"CHỦ TỊCH {BODY.upper()}"


def _centred(pdf: FPDF, line: str, size: float, bold: bool = False) -> None:
    pdf.set_font("body", style="B" if bold else "", size=size)
    pdf.multi_cell(0, 6, line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _paragraphs(pdf: FPDF, lines: tuple[str, ...] | list[str], size: float = 10) -> None:
    pdf.set_font("body", size=size)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _closing(pdf: FPDF, text: DecisionText) -> None:
    top = pdf.get_y()
    recipients = "\n".join(f"- {r}" for r in text.recipients)
    pdf.set_font("body", size=9)
    pdf.multi_cell(80, 5, f"Nơi nhận:\n{recipients}")
    bottom = pdf.get_y()
    pdf.set_xy(100, top)
    pdf.set_font("body", style="B", size=10)
    block = "\n".join(text.signature.block())
    pdf.multi_cell(100, 5, f"{block}\n\n\n\n{text.signature.signer_name}", align=Align.C)
    pdf.set_y(max(bottom, pdf.get_y()))


def _annex(pdf: FPDF, text: DecisionText) -> None:
    pdf.add_page()
    _centred(pdf, "DANH SÁCH TẬP THỂ VÀ CÁ NHÂN ĐƯỢC KHEN THƯỞNG", 12, bold=True)
    _centred(
        pdf,
        f"(Kèm theo Quyết định số {text.number} ngày {text.decided_on:%d/%m/%Y}"
        f" của Chủ tịch {BODY})",
        10,
    )
    pdf.ln(4)
    pdf.set_font("body", size=9)
    widths = (10, 55, 20, 45, 60)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        table.row(("TT", "Tập thể / cá nhân", "Loại", "Hình thức", "Thành tích"))
        for index, line in enumerate(text.annex, start=1):
            kind = KINDS.get(line.nominee_kind, line.nominee_kind)
            table.row((str(index), line.nominee_name, kind, line.form_name, line.achievement))
    pdf.ln(4)
    _paragraphs(pdf, [f"Danh sách này có {len(text.annex)} trường hợp."], 9)


def render(text: DecisionText, font: Path) -> bytes:
    """The decision; its content (dated by the decision, not the clock) is what its sha256
    vouches for, so the same decision renders to the same hash."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.combine(text.decided_on, time(), tzinfo=VIETNAM))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("body", fname=str(font))
    pdf.add_font("body", style="B", fname=str(font))
    pdf.add_page()
    header(pdf, str(text.number), text.decided_on)
    _centred(pdf, "QUYẾT ĐỊNH", 13, bold=True)
    _centred(pdf, text.summary, 11, bold=True)
    pdf.ln(2)
    _centred(pdf, AUTHORITY, 11, bold=True)
    pdf.ln(2)
    _paragraphs(pdf, [*text.bases, text.proposed_by])
    pdf.ln(2)
    _centred(pdf, "QUYẾT ĐỊNH:", 11, bold=True)
    _paragraphs(pdf, text.articles)
    pdf.ln(6)
    _closing(pdf, text)
    _annex(pdf, text)
    return bytes(pdf.output())
