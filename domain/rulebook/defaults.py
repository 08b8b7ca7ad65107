"""The two rulebook versions the service ships: Law 06/2022 with Decree 98/2023, then Decree
152/2025 from 01/07/2025 (DOMAIN.md §3, §4, §9). Every number is a default an admin may replace
by adding or correcting a version; where the law is open the README says what was chosen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.proposal.forms import DEFAULT_CATALOGUE, AwardForm, NomineeKind, catalogue_by_code
from domain.rulebook.validation import find_version as find_version  # the contract's home
from domain.rulebook.version import (
    CertificatePrerequisites,
    ConferenceRules,
    CriteriaGroup,
    CriteriaTemplate,
    Criterion,
    Deadline,
    ProposalStep,
    Quota,
    RulebookVersion,
    Scope,
    YearStep,
)
from domain.voting.ballot import BallotRule, Base, Comparison

PM = "Thủ tướng Chính phủ"
STATE_PRESIDENT = "Chủ tịch nước"
VUSTA_PRESIDENT = "Chủ tịch Liên hiệp Hội Việt Nam"

# The dossier's documents (Law 06/2022 Art 84). VUSTA's own forms keep the two documents a
# proposer uploads; the conference's minutes and count are attached to a flag by the conference.
BASIC = ("request_letter", "achievement_report")
VOTED = (*BASIC, "review_minutes", "ballot_count")
STATE = (*VOTED, "consultation")  # hiệp y: the province's agreement for a state-level form
FIGHTER = ("initiative_certificate",)  # applied initiatives certified (emulation fighters)
PUBLISHED = ("publication_record",)  # proof of publication on the proposing body's media

_FORMS = catalogue_by_code()


def _state_forms(extra: dict[str, tuple[str, ...]]) -> tuple[AwardForm, ...]:
    """The state-level forms VUSTA proposes and forwards; ``extra`` adds documents per form."""
    forms = (
        replace(_FORMS["government_flag"], required_documents=STATE),
        AwardForm(
            code="pm_certificate",
            name_vi="Bằng khen của Thủ tướng Chính phủ",
            name_en="Prime Minister's Certificate of Merit",
            nominee_kinds=(NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL),
            cluster_vote=False,
            decided_by=PM,
            forwarded=True,
            required_documents=STATE,
        ),
        AwardForm(
            code="labour_order",
            name_vi="Huân chương Lao động",
            name_en="Labour Order",
            nominee_kinds=(NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL),
            cluster_vote=False,
            decided_by=STATE_PRESIDENT,
            forwarded=True,
            required_documents=STATE,
        ),
        AwardForm(
            code="national_emulation_fighter",
            name_vi="Chiến sĩ thi đua toàn quốc",
            name_en="National Emulation Fighter",
            nominee_kinds=(NomineeKind.INDIVIDUAL,),
            cluster_vote=False,
            decided_by=PM,
            forwarded=True,
            required_documents=(*STATE, *FIGHTER),
        ),
    )
    return tuple(
        replace(form, required_documents=(*form.required_documents, *extra.get(form.code, ())))
        for form in forms
    )


VUSTA_FIGHTER = AwardForm(
    code="vusta_emulation_fighter",
    name_vi="Chiến sĩ thi đua cấp Liên hiệp Hội Việt Nam",
    name_en="VUSTA Emulation Fighter",
    nominee_kinds=(NomineeKind.INDIVIDUAL,),
    cluster_vote=False,
    decided_by=VUSTA_PRESIDENT,
    required_documents=(*BASIC, *FIGHTER),
)
_VUSTA_OWN = tuple(form for form in DEFAULT_CATALOGUE if not form.forwarded)
STATE_FORM_CODES = (
    "government_flag",
    "pm_certificate",
    "labour_order",
    "national_emulation_fighter",
)

# Ballots (DOMAIN.md §4). Cluster and conference: one vote per member unit, none on its own
# nomination, a majority of all members [open]. Council: quorum 2/3 [law: Decree 98 Art 47],
# ≥ 70% of all members for flags and certificates, ≥ 90% of all members for emulation fighters.
MAJORITY_OF_MEMBERS = BallotRule(
    quorum="2/3", threshold="1/2", comparison=Comparison.MORE_THAN, base=Base.ALL
)
COUNCIL = BallotRule(quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST, base=Base.ALL)
FIGHTERS = BallotRule(quorum="2/3", threshold="9/10", comparison=Comparison.AT_LEAST, base=Base.ALL)
BALLOT_RULES: dict[str, dict[str, BallotRule]] = {
    "cluster": {"default": MAJORITY_OF_MEMBERS},
    "council": {
        "default": COUNCIL,
        "vusta_emulation_fighter": FIGHTERS,
        "national_emulation_fighter": FIGHTERS,
    },
    "conference": {"default": MAJORITY_OF_MEMBERS},
}

# A cluster's year, in working days from the step's opening [practice; open]. The year's
# scoring runs from the pledge to the year-end summary: about a year of working days.
YEAR_DEADLINES: dict[YearStep, Deadline] = {
    YearStep.PLEDGE: Deadline(20),
    YearStep.CRITERIA: Deadline(15),
    YearStep.SELF_SCORE: Deadline(15),
    YearStep.CROSS_CHECK: Deadline(10),
    YearStep.CONTEST: Deadline(5, remind_before=2),
    YearStep.MID_YEAR: Deadline(10),
    YearStep.YEAR_END: Deadline(230, remind_before=10),
    YearStep.CONFERENCE: Deadline(15),
    YearStep.ELECTION: Deadline(5, remind_before=2),
}


def _proposal_deadlines(appraisal: int, publication: int) -> dict[ProposalStep, Deadline]:
    return {
        ProposalStep.CLUSTER_VOTE: Deadline(5, remind_before=2),
        ProposalStep.APPRAISAL: Deadline(appraisal, remind_before=3, escalate_after=2),
        ProposalStep.COUNCIL_VOTE: Deadline(5, remind_before=2),
        ProposalStep.PUBLICATION: Deadline(publication, remind_before=2),
        # A state body answers in its own time: remind after three months, never escalate.
        ProposalStep.EXTERNAL_OUTCOME: Deadline(60, remind_before=5),
    }


QUOTAS = (
    Quota(form="vusta_flag", scope=Scope.CLUSTER, per_year=1),
    Quota(form="vusta_flag", scope=Scope.BLOCK, per_year=1),
)

# A realistic template for the provincial unions' clusters (100 points) [practice].
CLUSTER_TEMPLATE = CriteriaTemplate(
    code="vusta-cluster",
    name="Tiêu chí chấm điểm thi đua Cụm Liên hiệp Hội tỉnh, thành phố",
    groups=(
        CriteriaGroup(
            code="A",
            name="Hoạt động tư vấn, phản biện và giám định xã hội",
            criteria=(
                Criterion("A1", "Số đề án, dự thảo chính sách được tư vấn, phản biện", 25),
                Criterion("A2", "Chất lượng, hiệu quả ý kiến được tiếp thu", 10),
            ),
        ),
        CriteriaGroup(
            code="B",
            name="Công tác tổ chức, xây dựng Hội",
            criteria=(
                Criterion("B1", "Kết nạp hội thành viên, phát triển hội viên", 10),
                Criterion("B2", "Kiện toàn bộ máy, đại hội đúng nhiệm kỳ", 10),
                Criterion("B3", "Tập hợp, đoàn kết trí thức khoa học và công nghệ", 5),
            ),
        ),
        CriteriaGroup(
            code="C",
            name="Phổ biến kiến thức",
            criteria=(
                Criterion("C1", "Hội thảo, tập huấn, truyền thông khoa học", 10),
                Criterion(
                    "C2", "Hội thi Sáng tạo kỹ thuật, Cuộc thi sáng tạo thanh thiếu niên", 10
                ),
            ),
        ),
        CriteriaGroup(
            code="D",
            name="Công tác thi đua, khen thưởng",
            criteria=(
                Criterion("D1", "Ký kết và thực hiện giao ước thi đua", 10),
                Criterion("D2", "Báo cáo, hồ sơ khen thưởng đầy đủ, đúng hạn", 5),
                Criterion("D3", "Tham gia hoạt động chung của Cụm", 5),
            ),
        ),
    ),
)

_COMMON = {
    "deadlines_year": YEAR_DEADLINES,
    "quotas": QUOTAS,
    "conference": ConferenceRules(ballot=MAJORITY_OF_MEMBERS),
    "certificate_prerequisites": CertificatePrerequisites(),
    "publication_forms": STATE_FORM_CODES,
    "criteria_templates": (CLUSTER_TEMPLATE,),
}

# Law 06/2022 took effect 01/01/2024 and Decree 98/2023 on 31/12/2023. The version starts on
# 01/01/2023 so that the first lodging season of the demo data (the 2022 year's conferences,
# January 2023) has a version: the earlier regime (Law 2003, Decree 91/2017) is not modelled.
LAW_06_DECREE_98 = RulebookVersion(
    code="law-06-2022+decree-98-2023",
    title="Luật Thi đua, khen thưởng 06/2022/QH15 và Nghị định 98/2023/NĐ-CP",
    effective_from=date(2023, 1, 1),
    effective_to=date(2025, 7, 1),
    catalogue=(*_VUSTA_OWN, VUSTA_FIGHTER, *_state_forms({})),
    ballot_rules=BALLOT_RULES,
    deadlines_proposal=_proposal_deadlines(appraisal=25, publication=5),
    sources=("Luật 06/2022/QH15", "Nghị định 98/2023/NĐ-CP", "Quyết định 1039/QĐ-LHHVN"),
    **_COMMON,  # type: ignore[arg-type]
)

# Decree 152/2025 Art 44.2: Labour Order and National Emulation Fighter nominees are published
# on the proposing body's media before its council meets, 10 working days in practice; the
# proof of publication joins their dossiers. Appraisal: 20 working days (DOMAIN.md's lower bound).
DECREE_152 = RulebookVersion(
    code="decree-152-2025",
    title="Luật Thi đua, khen thưởng 06/2022/QH15 và Nghị định 152/2025/NĐ-CP",
    effective_from=date(2025, 7, 1),
    effective_to=date(2027, 3, 1),
    catalogue=(
        *_VUSTA_OWN,
        VUSTA_FIGHTER,
        *_state_forms({"labour_order": PUBLISHED, "national_emulation_fighter": PUBLISHED}),
    ),
    ballot_rules=BALLOT_RULES,
    deadlines_proposal=_proposal_deadlines(appraisal=20, publication=10),
    sources=("Luật 06/2022/QH15", "Nghị định 152/2025/NĐ-CP", "Quyết định 1039/QĐ-LHHVN"),
    **_COMMON,  # type: ignore[arg-type]
)

DEFAULT_VERSIONS = (LAW_06_DECREE_98, DECREE_152)


def _known_forms() -> tuple[AwardForm, ...]:
    """Every form of the shipped versions, as the latest one has it."""
    forms: dict[str, AwardForm] = {}
    for version in DEFAULT_VERSIONS:
        forms.update({form.code: form for form in version.catalogue})
    return tuple(forms.values())


# Names and codes for pages, filters and records that list forms without a day to ask the
# rulebook about; a proposal itself takes its form from the version in force.
KNOWN_FORMS = _known_forms()
