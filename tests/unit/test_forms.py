"""The catalogue of award forms: lookups and what each default form stands for."""

from __future__ import annotations

import pytest

from domain.kernel.errors import InvalidInput
from domain.proposal.forms import (
    DEFAULT_CATALOGUE,
    AwardForm,
    NomineeKind,
    catalogue_by_code,
    find_form,
)

COLLECTIVE = (NomineeKind.COLLECTIVE,)
INDIVIDUAL = (NomineeKind.INDIVIDUAL,)
BOTH = (NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL)


@pytest.mark.parametrize(
    ("code", "kinds", "cluster_vote", "forwarded"),
    [
        ("vusta_flag", COLLECTIVE, True, False),
        ("vusta_certificate", BOTH, False, False),
        ("vusta_medal", INDIVIDUAL, False, False),
        ("government_flag", COLLECTIVE, True, True),
    ],
)
def test_default_forms_have_their_nominees_route_and_decider(
    code: str, kinds: tuple[NomineeKind, ...], cluster_vote: bool, forwarded: bool
) -> None:
    form = find_form(code)
    assert (form.code, form.nominee_kinds, form.cluster_vote, form.forwarded) == (
        code,
        kinds,
        cluster_vote,
        forwarded,
    )


def test_government_flag_is_decided_by_the_prime_minister() -> None:
    assert find_form("government_flag").decided_by == "Thủ tướng Chính phủ"


@pytest.mark.parametrize("code", ["vusta_flag", "vusta_certificate", "vusta_medal"])
def test_vusta_forms_are_decided_by_the_vusta_president(code: str) -> None:
    assert find_form(code).decided_by == "Chủ tịch Liên hiệp Hội Việt Nam"


@pytest.mark.parametrize("form", DEFAULT_CATALOGUE, ids=lambda form: form.code)
def test_every_default_form_requires_a_request_letter_and_an_achievement_report(
    form: AwardForm,
) -> None:
    assert form.required_documents == ("request_letter", "achievement_report")


def test_catalogue_is_indexed_by_code() -> None:
    assert sorted(catalogue_by_code()) == [
        "government_flag",
        "vusta_certificate",
        "vusta_flag",
        "vusta_medal",
    ]


def test_unknown_form_is_refused_with_the_known_codes() -> None:
    with pytest.raises(
        InvalidInput,
        match="unknown award form 'gold_star'; known forms: "
        "government_flag, vusta_certificate, vusta_flag, vusta_medal",
    ):
        find_form("gold_star")


def test_form_codes_are_case_sensitive() -> None:
    with pytest.raises(InvalidInput):
        find_form("VUSTA_FLAG")


def test_a_custom_catalogue_replaces_the_default() -> None:
    prize = AwardForm(
        code="provincial_certificate",
        name_vi="Bằng khen của UBND tỉnh",
        name_en="Provincial Certificate of Merit",
        nominee_kinds=BOTH,
        cluster_vote=False,
        decided_by="Chủ tịch UBND tỉnh",
    )
    assert find_form("provincial_certificate", (prize,)) is prize


def test_a_custom_catalogue_lists_only_its_own_codes_when_a_form_is_unknown() -> None:
    prize = AwardForm("prize", "Giải", "Prize", INDIVIDUAL, False, "Hội đồng")
    with pytest.raises(InvalidInput, match=r"known forms: prize$"):
        find_form("vusta_flag", (prize,))
