"""The audit record as a PDF: rendered in Vietnamese with the bundled font, no OS font needed."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from services.audit import record_pdf
from services.i18n.labels import decision_words, tally_words, vietnam_time

TITLE = "Đề nghị tặng Bằng khen của Liên hiệp Hội Việt Nam — ưu tú, Hội đồng Thi đua – Khen thưởng"
DECIDED = {"vi": "Đã có quyết định", "en": "Decided"}


def small_record() -> dict[str, Any]:
    return {
        "proposal_id": "0b7e6a52-2f1c-4c43-9d0e-4f5a3b2c1d00",
        "exported_at": "2026-11-23T03:00:00+00:00",
        "exported_at_vietnam": vietnam_time("2026-11-23T03:00:00+00:00").as_json(),
        "state": {"state": "decided", "state_label": DECIDED},
        "title": TITLE,
        "form": "vusta_certificate",
        "form_label": {"vi": "Bằng khen của Liên hiệp Hội Việt Nam", "en": "VUSTA Certificate"},
        "year": 2026,
        "nominee": {"name": "Nguyễn Thị Hương"},
        "proposing_unit": "hoi-vat-ly",
        "proposing_unit_name": "Hội Vật lý Việt Nam",
        "decision": {
            "number": "17/QĐ-LHHVN",
            "outcome": "awarded",
            "decided_on": "2026-01-05",
            "text": decision_words("17/QĐ-LHHVN", "2026-01-05", "awarded").as_json(),
        },
        "events": [
            {
                "sequence": 1,
                "time": datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
                "time_vietnam": vietnam_time(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)).as_json(),
                "type": "BallotRecorded",
                "actor": "council.1",
                "role": "council_member",
                "actor_label": {"vi": "Trần Văn Đức (Thành viên Hội đồng)", "en": "Trần Văn Đức"},
                "description": {"vi": "Trần Văn Đức đã bỏ phiếu kín", "en": "Trần Văn Đức voted"},
                "state_after": {"state": "council_voting", "votes": {}},
                "data": {"stage": "council", "voter": "council.1"},
            }
        ],
        "integrity": {
            "events_verified": 1,
            "ok": True,
            "failure": None,
            "text": {"vi": "1 sự kiện; khớp", "en": "1 event; matches"},
        },
        "tallies": [
            {
                "stage": "council",
                "stage_label": {"vi": "Hội đồng bỏ phiếu", "en": "council vote"},
                "ballots_in_box": 5,
                "recorded_voters": 5,
                "recounted": {"yes": 5, "no": 0, "abstain": 0},
                "recounted_text": tally_words(5, 0, 0).as_json(),
                "outcome_recomputed": "approved",
                "outcome_label": {"vi": "được thông qua", "en": "approved"},
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


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    # Lines wrap where the page ends: compare the words, not the layout.
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode()).split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_reads_in_vietnamese_with_the_decision_and_vietnam_time(tmp_path: Path) -> None:
    text = _text(record_pdf.render(small_record(), record_pdf.find_font(None)), tmp_path)
    assert "HỒ SƠ KIỂM TRA ĐỀ NGHỊ KHEN THƯỞNG" in text
    assert "Quyết định số 17/QĐ-LHHVN ngày 05/01/2026: tặng thưởng" in text
    assert "20/11/2026 09:00:00 (giờ Việt Nam, UTC+07:00)" in text
    assert "5 tán thành, 0 không tán thành, 0 phiếu trắng" in text
    assert "BallotRecorded" not in text and "{'yes'" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_reads_in_english_when_asked(tmp_path: Path) -> None:
    pdf = record_pdf.render(small_record(), record_pdf.find_font(None), "en")
    text = _text(pdf, tmp_path)
    assert "AUDIT RECORD OF AN AWARD PROPOSAL" in text
    assert "Decision No. 17/QĐ-LHHVN of 05/01/2026: awarded" in text
    assert "(Vietnam time, UTC+07:00)" in text
