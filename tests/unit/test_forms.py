"""The award form catalogue."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.forms import NomineeKind, find_form


def test_vusta_flag_goes_to_a_collective_through_the_cluster_vote() -> None:
    flag = find_form("vusta_flag")
    assert flag.nominee_kinds == (NomineeKind.COLLECTIVE,)
    assert flag.cluster_vote and not flag.forwarded


def test_government_flag_is_forwarded_to_the_state() -> None:
    assert find_form("government_flag").forwarded


def test_unknown_form_names_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="vusta_certificate"):
        find_form("gold_star")
