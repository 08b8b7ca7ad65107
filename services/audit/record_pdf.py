"""A proposal's audit record as a PDF an auditor can print and sign (Vietnamese first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.audit.record import findings, heading, story
from services.i18n.labels import Lang, Words

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


TITLE = Words("HỒ SƠ KIỂM TRA ĐỀ NGHỊ KHEN THƯỞNG", "AUDIT RECORD OF AN AWARD PROPOSAL")
EVENTS = Words("Diễn biến", "Events")
FINDINGS = Words("Kết quả kiểm tra", "Findings")
SIGNATURE = Words(
    "Người kiểm tra: ..............................    Ký tên: ..............",
    "Auditor: ..............................    Signature: ..............",
)


def render(record: dict[str, Any], font: Path, lang: Lang = "vi") -> bytes:
    """The record in the reader's language (Vietnamese unless English is asked for)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("body", fname=str(font))
    pdf.add_page()

    def line(text: str, size: float = 9, height: float = 5) -> None:
        pdf.set_font("body", size=size)
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(TITLE.read(lang), 12, 7)
    line(f"{record['title']} — {record['nominee']['name']}", 11, 6)
    for text in heading(record, lang):
        line(text)
    pdf.ln(3)
    line(EVENTS.read(lang), 11, 6)
    for text in story(record["events"], lang):
        line(text, 8, 4)
    pdf.ln(3)
    line(FINDINGS.read(lang), 11, 6)
    for text in findings(record, lang):
        line(text)
    pdf.ln(8)
    line(SIGNATURE.read(lang))
    return bytes(pdf.output())
