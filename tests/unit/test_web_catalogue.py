"""Every word of the pages is in the catalogue (msgctxt "web"), with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.kernel.message import placeholders
from services.i18n.catalogue import vietnamese
from services.web.rendering import CONTEXT, ENVIRONMENT, translate
from services.web.routes import admin, cluster_year, lists, organisation, proposal

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "web" / "templates"
_CALL = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def page_msgids() -> list[str]:
    found = [
        match.group(1) or match.group(2)
        for template in sorted(TEMPLATES.glob("*.html"))
        for match in _CALL.finditer(template.read_text(encoding="utf-8"))
    ]
    # Notices shown after a redirect are looked up by code, then translated in the page.
    for table in (lists.DONE, proposal.DONE, admin.DONE, organisation.DONE, cluster_year.DONE):
        found.extend(table.values())
    return sorted(set(found))


@pytest.mark.parametrize("msgid", page_msgids())
def test_every_word_of_the_pages_reads_in_vietnamese(msgid: str) -> None:
    translated = vietnamese(msgid, CONTEXT)
    assert translated, f"no Vietnamese for the page text {msgid!r}"
    assert placeholders(translated) == placeholders(msgid)


def test_a_template_text_is_a_literal_so_it_can_be_translated() -> None:
    computed = re.compile(r"\b_\(\s*(?!notice\))[^\"'\s)]")
    for template in TEMPLATES.glob("*.html"):
        assert not computed.search(template.read_text(encoding="utf-8")), template.name


def test_pages_read_in_english_when_asked() -> None:
    from services.i18n.catalogue import Language

    assert translate(Language.EN)("Inbox") == "Inbox"
    assert translate(Language.VI)("Inbox") == "Việc cần làm"
    assert translate(Language.VI)("{count} proposals", count=3) == "3 hồ sơ đề nghị"


def test_every_template_compiles() -> None:
    for template in TEMPLATES.glob("*.html"):
        ENVIRONMENT.get_template(template.name)
