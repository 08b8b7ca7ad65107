"""The audit record as a PDF: rendered in Vietnamese with the bundled font, no OS font needed."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from services import record_pdf

TITLE = "Đề nghị tặng Bằng khen của Liên hiệp Hội Việt Nam — ưu tú, Hội đồng Thi đua – Khen thưởng"
APPROVED = {"vi": "Hội đồng đã duyệt", "en": "council approved"}


def small_record() -> dict[str, Any]:
    return {
        "proposal_id": "0b7e6a52-2f1c-4c43-9d0e-4f5a3b2c1d00",
        "exported_at": "2026-11-23T10:00:00+07:00",
        "state": {"state": "council_approved", "state_label": APPROVED},
        "title": TITLE,
        "form": "bang_khen",
        "year": 2026,
        "nominee": {"name": "Nguyễn Thị Hương"},
        "proposing_unit": "Hội Vật lý Việt Nam",
        "events": [
            {
                "sequence": 1,
                "time": datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
                "type": "Council Voted",
                "actor": "Trần Văn Đức",
                "role": "council_member",
                "state_after": {"state_label": APPROVED},
                "data": {"comment": "Đồng ý"},
            }
        ],
        "integrity": {"events_verified": 1, "ok": True, "failure": None},
        "tallies": [
            {
                "stage": "council",
                "ballots_in_box": 5,
                "recorded_voters": 5,
                "recounted": {"yes": 5, "no": 0, "abstain": 0},
                "outcome_recomputed": "approved",
                "consistent": True,
                "problems": [],
            }
        ],
    }


def vietnamese_letters() -> set[str]:
    """Every letter of the Vietnamese alphabet with every tone mark, both cases."""
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    vowels = "aăâeêioôơuưy"
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | {"đ"}
    return letters | {letter.upper() for letter in letters}


def test_without_a_configured_font_the_bundled_one_is_used() -> None:
    font = record_pdf.find_font(None)
    assert font == record_pdf.BUNDLED_FONT
    assert font.is_file()


def test_the_bundled_font_has_every_vietnamese_letter() -> None:
    cmap = TTFont(record_pdf.BUNDLED_FONT)["cmap"].getBestCmap()
    assert sorted(c for c in vietnamese_letters() | set(TITLE) if ord(c) not in cmap) == []


def test_a_configured_font_is_used_instead_of_the_bundled_one(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen.ttf"
    shutil.copy(record_pdf.BUNDLED_FONT, chosen)
    assert record_pdf.find_font(chosen) == chosen


def test_a_configured_font_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(record_pdf.FontMissing, match="AWARDS_PDF_FONT"):
        record_pdf.find_font(tmp_path / "missing.ttf")


def test_a_record_renders_as_a_pdf_with_the_bundled_font_embedded() -> None:
    pdf = record_pdf.render(small_record(), record_pdf.find_font(None))
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf  # the TrueType program itself, not just a reference to it
    assert b"DejaVuSans" in pdf
