"""The rule for clean text: which characters the API refuses, and where it says they are."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from services.api.text import MAX_DEPTH, JsonObject, Text, forbidden_character


class Body(BaseModel):
    text: Text = ""
    tree: JsonObject = {}


@pytest.mark.parametrize("code", [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])
def test_every_control_but_tab_and_newline_is_refused(code: int) -> None:
    assert forbidden_character(f"a{chr(code)}b") == f"U+{code:04X}"


def test_tab_newline_and_ordinary_text_are_clean() -> None:
    assert forbidden_character("Cờ thi đua\tnăm 2026\n17/QĐ-LHHVN · ✓ €") is None


def test_a_lone_surrogate_is_refused_it_cannot_be_stored_as_utf8() -> None:
    assert forbidden_character("\ud800") == "U+D800"


def test_crlf_in_body_text_becomes_lf_but_a_lone_cr_is_refused() -> None:
    assert Body(text="a\r\nb").text == "a\nb"
    with pytest.raises(ValidationError, match="U\\+000D"):
        Body(text="a\rb")


def test_a_parameter_refuses_any_cr() -> None:
    assert forbidden_character("a\r\nb", parameter=True) == "U+000D"


def test_a_free_form_object_is_checked_at_every_depth_keys_included() -> None:
    with pytest.raises(ValidationError, match=r"a\.b\[1\]: .*U\+0000"):
        Body(tree={"a": {"b": ["ok", "x\x00"]}})
    with pytest.raises(ValidationError, match=r"a\.<key>: .*U\+001B"):
        Body(tree={"a": {"\x1b[2J": 1}})


def test_a_free_form_object_nested_too_deep_is_refused() -> None:
    tree: dict[str, object] = {}
    for _ in range(MAX_DEPTH + 1):
        tree = {"a": tree}
    with pytest.raises(ValidationError, match="nested deeper"):
        Body(tree=tree)
