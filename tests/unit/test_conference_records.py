"""The conference's minutes and ballot count as PDF records: Vietnamese text, the Decree 30
date, stable bytes for equal input, kept in the document store by their hash."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from domain.voting.ballot import Outcome, Tally
from infra.documents import FolderDocumentStore
from services.application.records import RecordRef
from services.audit.conference_records import (
    BallotCount,
    ConferenceMinutes,
    LineResult,
    count_lines_text,
    dated,
    minutes_lines,
    render_count,
    render_minutes,
    store_conference_records,
)
from services.audit.record_pdf import BUNDLED_FONT
from services.runtime import Runtime

LINES = (
    LineResult(
        "flag:binh-dinh",
        "Liên hiệp Hội tỉnh Bình Định",
        "Cờ thi đua của Liên hiệp Hội Việt Nam",
        5,
        Tally(yes=4, no=1),
        Outcome.APPROVED,
    ),
    LineResult(
        "cert:phu-yen",
        "Liên hiệp Hội tỉnh Phú Yên",
        "Bằng khen của Liên hiệp Hội Việt Nam",
        5,
        Tally(yes=2, no=2, abstain=1),
        Outcome.REJECTED,
    ),
)
MINUTES = ConferenceMinutes(
    cluster_name="Cụm thi đua số 6",
    year=2024,
    place="Quy Nhơn",
    held_on=date(2025, 1, 5),
    chair="Nguyễn Văn An",
    secretary="Trần Thị Bình",
    members_present=("Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận"),
    candidates=("Liên hiệp Hội tỉnh Bình Định", "Liên hiệp Hội tỉnh Phú Yên"),
    lines=LINES,
    elected_head="Liên hiệp Hội tỉnh Phú Yên",
    elected_deputy="Liên hiệp Hội tỉnh Khánh Hòa",
)
COUNT = BallotCount(
    cluster_name="Cụm thi đua số 6",
    year=2024,
    place="Quy Nhơn",
    held_on=date(2025, 1, 5),
    counting_board=("Lê Văn Cường", "Phạm Thị Dung"),
    members=6,
    cast=6,
    lines=LINES,
    rule="số phiếu đồng ý trên 1/2 tổng số thành viên",
    key_fingerprint="ab" * 32,
    trustees=(1, 3),
)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
        (date(2025, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_the_date_line_follows_decree_30(day: date, text: str) -> None:
    assert dated("Hà Nội", day) == text


def test_the_minutes_read_the_review_the_count_per_line_and_the_election() -> None:
    text = "\n".join(minutes_lines(MINUTES))
    assert "Hội nghị tổng kết, bình xét, suy tôn thi đua năm 2024" in text
    assert "Chủ trì: Nguyễn Văn An. Thư ký: Trần Thị Bình." in text
    assert "6 đơn vị thành viên có mặt" in text
    assert (
        "1. Liên hiệp Hội tỉnh Bình Định – Cờ thi đua của Liên hiệp Hội Việt Nam: 4/5 phiếu"
        " đồng ý (80,00%), 1 không đồng ý, 0 phiếu trắng. Kết quả: được thông qua." in text
    )
    assert "Kết quả: không được thông qua." in text
    assert "III. BẦU CỤM TRƯỞNG, CỤM PHÓ NĂM 2025" in text
    assert "Cụm trưởng: Liên hiệp Hội tỉnh Phú Yên. Cụm phó: Liên hiệp Hội tỉnh Khánh Hòa." in text


def test_the_count_reads_the_board_the_ballots_and_the_trustees() -> None:
    text = "\n".join(count_lines_text(COUNT))
    assert "1. Lê Văn Cường – Trưởng ban" in text and "2. Phạm Thị Dung – Thành viên" in text
    assert "Số phiếu thu về: 6; số phiếu hợp lệ: 6" in text
    assert "2/5 phiếu đồng ý (40,00%), 2 không đồng ý, 1 phiếu trắng" in text
    assert "người giữ khóa số 1, 3" in text and "ab" * 32 in text


def test_equal_input_renders_equal_bytes_and_hash() -> None:
    first, again = render_minutes(MINUTES, BUNDLED_FONT), render_minutes(MINUTES, BUNDLED_FONT)
    assert first.content.startswith(b"%PDF") and first.kind == "review_minutes"
    assert first.sha256 == again.sha256 == hashlib.sha256(first.content).hexdigest()
    other = render_minutes(
        replace(MINUTES, elected_deputy="Liên hiệp Hội tỉnh Ninh Thuận"), BUNDLED_FONT
    )
    assert other.sha256 != first.sha256
    counted = render_count(COUNT, BUNDLED_FONT)
    assert (
        counted.kind == "ballot_count"
        and counted.sha256 == render_count(COUNT, BUNDLED_FONT).sha256
    )
    assert b"DejaVuSans" in counted.content  # the bundled font is embedded


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_reads_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(render_minutes(MINUTES, BUNDLED_FONT).content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    read = text.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in read and "Độc lập - Tự do - Hạnh phúc" in read
    assert "Quy Nhơn, ngày 05 tháng 01 năm 2025" in read and "BIÊN BẢN" in read


def test_the_records_are_kept_in_the_document_store(tmp_path: Path) -> None:
    documents = FolderDocumentStore(tmp_path / "documents")
    runtime = cast(
        Runtime, SimpleNamespace(documents=documents, settings=SimpleNamespace(pdf_font=None))
    )
    minutes, count = asyncio.run(store_conference_records(runtime, MINUTES, COUNT))
    assert minutes == RecordRef("review_minutes", minutes.sha256, minutes.sha256)
    assert count.kind == "ballot_count"
    assert documents.get(minutes.document_id) == render_minutes(MINUTES, BUNDLED_FONT).content
    assert asyncio.run(store_conference_records(runtime, MINUTES, COUNT)) == (minutes, count)
