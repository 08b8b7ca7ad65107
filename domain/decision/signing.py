"""Signing forms of Decree 30/2020 (TM., KT., Q., TL., TUQ.) and the signature block they print."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.kernel.errors import InvalidInput


class SigningForm(StrEnum):
    """How a document is signed. ``own``: the holder in person (no prefix)."""

    OWN = "own"
    TM = "TM"  # on behalf of a collective (TM. ĐOÀN CHỦ TỊCH), signed by its head
    KT = "KT"  # a deputy signs for the head (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)
    Q = "Q"  # acting head
    TL = "TL"  # by order (thừa lệnh)
    TUQ = "TUQ"  # delegated in writing, limited in time and content (thừa ủy quyền)

    @property
    def prefix(self) -> str:
        return "" if self == SigningForm.OWN else f"{self.value}. "


# The forms in which someone signs in another's stead: each needs a delegation in force.
DELEGATED = frozenset({SigningForm.KT, SigningForm.Q, SigningForm.TL, SigningForm.TUQ})
# The forms a delegation may grant (Q., acting, is an appointment recorded the same way).
GRANTABLE = DELEGATED


def signing_form(text: str) -> SigningForm:
    cleaned = text.strip().rstrip(".")
    try:
        return SigningForm("own" if cleaned.lower() == "own" else cleaned.upper())
    except ValueError:
        raise InvalidInput(
            "signing form {form!r} is none of own, TM, KT, Q, TL, TUQ", form=text
        ) from None


@dataclass(frozen=True)
class Signature:
    """Who signed, in which form, and for whom: both names are kept when a deputy signs."""

    form: SigningForm
    signer: str  # username
    signer_name: str
    signer_title: str  # e.g. PHÓ CHỦ TỊCH
    holder: str  # the username of the office signed for (the signer when own/TM)
    holder_title: str  # e.g. CHỦ TỊCH
    delegation_id: str | None = None
    collective: str = "ĐOÀN CHỦ TỊCH"  # TM. names the collective

    def block(self) -> list[str]:
        """The signature block's lines above the name (Decree 30/2020, Appendix I)."""
        if self.form == SigningForm.OWN:
            return [self.holder_title]
        if self.form == SigningForm.TM:
            return [f"TM. {self.collective}", self.holder_title]
        if self.form == SigningForm.Q:
            return [f"Q. {self.holder_title}"]
        return [f"{self.form.prefix}{self.holder_title}", self.signer_title]

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form.value,
            "signer": self.signer,
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "holder": self.holder,
            "holder_title": self.holder_title,
            "delegation_id": self.delegation_id,
            "collective": self.collective,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Signature:
        return cls(
            form=SigningForm(data["form"]),
            signer=str(data["signer"]),
            signer_name=str(data["signer_name"]),
            signer_title=str(data["signer_title"]),
            holder=str(data["holder"]),
            holder_title=str(data["holder_title"]),
            delegation_id=data.get("delegation_id"),
            collective=str(data.get("collective", "ĐOÀN CHỦ TỊCH")),
        )
