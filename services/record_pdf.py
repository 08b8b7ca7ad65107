"""A proposal's audit record as a PDF an auditor can print and sign (Vietnamese first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.audit import story

# DejaVu Sans ships inside the package (licence in fonts/LICENSE), so the export works after a
# plain `pip install` with no OS font; AWARDS_PDF_FONT may name any other TTF with Vietnamese.
BUNDLED_FONT = Path(__file__).with_name("fonts") / "DejaVuSans.ttf"


class FontMissing(Exception):
    pass


def find_font(configured: Path | None) -> Path:
    """The configured font (AWARDS_PDF_FONT) when there is one, else the bundled DejaVu Sans."""
    if configured is None:
        return BUNDLED_FONT
    # A configured font was chosen on purpose: printing signed records in another one
    # without a word would hide the mistake, so a wrong path is an error, not a fallback.
    if not configured.is_file():
        raise FontMissing(
            f"AWARDS_PDF_FONT is {configured}, which is not a file;"
            " point it at a TTF with Vietnamese glyphs, or unset it to use the bundled DejaVu Sans"
        )
    return configured


def render(record: dict[str, Any], font: Path) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("body", fname=str(font))
    pdf.add_page()

    def line(text: str, size: float = 9, height: float = 5) -> None:
        pdf.set_font("body", size=size)
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line("HỒ SƠ KIỂM TRA ĐỀ NGHỊ KHEN THƯỞNG / AUDIT RECORD OF AN AWARD PROPOSAL", 12, 7)
    line(f"{record['title']} — {record['nominee']['name']}", 11, 6)
    state = record["state"]
    line(f"Mã đề nghị / Proposal: {record['proposal_id']}")
    line(
        f"Hình thức / Form: {record['form']}   Năm / Year: {record['year']}"
        f"   Đơn vị đề nghị / Proposing unit: {record['proposing_unit']}"
    )
    line(f"Trạng thái / State: {state['state_label']['vi']} / {state['state_label']['en']}")
    line(f"Xuất lúc / Exported at: {record['exported_at']}")
    pdf.ln(3)
    line("Diễn biến / Events", 11, 6)
    for text in story(record["events"]):
        line(text, 8, 4)
    pdf.ln(3)
    integrity = record["integrity"]
    verdict = (
        "toàn vẹn / intact" if integrity["ok"] else f"BỊ SỬA ĐỔI / TAMPERED: {integrity['failure']}"
    )
    line(
        f"Tính toàn vẹn / Integrity: {integrity['events_verified']} sự kiện / events, {verdict}",
        10,
        6,
    )
    for check in record["tallies"]:
        ok = "khớp / consistent" if check["consistent"] else "; ".join(check["problems"])
        line(
            f"Kiểm phiếu / Tally {check['stage']}: {check['ballots_in_box']} phiếu / ballots,"
            f" {check['recorded_voters']} người bỏ phiếu / voters, {check['recounted']}"
            f" → {check['outcome_recomputed']} ({ok})"
        )
    pdf.ln(8)
    line(
        "Người kiểm tra / Auditor: ..............................    Ký / Signature: .............."
    )
    return bytes(pdf.output())
