"""The catalogue of award forms: who may receive each, who decides it and which route it takes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.kernel.errors import InvalidInput


class NomineeKind(StrEnum):
    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"


@dataclass(frozen=True)
class AwardForm:
    code: str
    name_vi: str
    name_en: str
    nominee_kinds: tuple[NomineeKind, ...]
    cluster_vote: bool  # goes through the cluster's secret ballot before the council
    decided_by: str
    forwarded: bool = False  # VUSTA proposes; a state body decides and VUSTA records it
    required_documents: tuple[str, ...] = ("request_letter", "achievement_report")


DEFAULT_CATALOGUE: tuple[AwardForm, ...] = (
    AwardForm(
        code="vusta_flag",
        name_vi="Cờ thi đua của Liên hiệp Hội Việt Nam",
        name_en="VUSTA Emulation Flag",
        nominee_kinds=(NomineeKind.COLLECTIVE,),
        cluster_vote=True,
        decided_by="Chủ tịch Liên hiệp Hội Việt Nam",
    ),
    AwardForm(
        code="vusta_certificate",
        name_vi="Bằng khen của Liên hiệp Hội Việt Nam",
        name_en="VUSTA Certificate of Merit",
        nominee_kinds=(NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL),
        cluster_vote=False,
        decided_by="Chủ tịch Liên hiệp Hội Việt Nam",
    ),
    AwardForm(
        code="vusta_medal",
        name_vi='Kỷ niệm chương "Vì sự nghiệp các Hội Khoa học và Kỹ thuật Việt Nam"',
        name_en="VUSTA Medal for the cause of science and technology associations",
        nominee_kinds=(NomineeKind.INDIVIDUAL,),
        cluster_vote=False,
        decided_by="Chủ tịch Liên hiệp Hội Việt Nam",
    ),
    AwardForm(
        code="government_flag",
        name_vi="Cờ thi đua của Chính phủ",
        name_en="Government Emulation Flag",
        nominee_kinds=(NomineeKind.COLLECTIVE,),
        cluster_vote=True,
        decided_by="Thủ tướng Chính phủ",
        forwarded=True,
    ),
)


def catalogue_by_code(forms: tuple[AwardForm, ...] = DEFAULT_CATALOGUE) -> dict[str, AwardForm]:
    return {form.code: form for form in forms}


def find_form(code: str, forms: tuple[AwardForm, ...] = DEFAULT_CATALOGUE) -> AwardForm:
    by_code = catalogue_by_code(forms)
    if code not in by_code:
        known = ", ".join(sorted(by_code))
        raise InvalidInput(
            "unknown award form {code!r}; known forms: {known}", code=code, known=known
        )
    return by_code[code]
