"""Who a nominee is and what an achievement is, as keys the register and the rules compare.

Nominee identity (the register's key):
- a collective that names its unit: ``unit:<unit id>``;
- a collective without a unit id (a department of the proposing unit): ``unit:<proposing
  unit>/<normalised name>``;
- an individual with a username: ``person:<username>``; otherwise
  ``person:<unit id, or the proposing unit>/<normalised name>``.
An achievement is the normalised title (or achievement text) with its emulation year.
Normalising keeps Vietnamese diacritics (they tell names apart): Unicode NFC, case folded,
runs of white space made one space, outer spaces and trailing full stops dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


def normalised(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold()
    return " ".join(folded.split()).rstrip(".").strip()


def nominee_key(nominee: Mapping[str, str], proposing_unit: str) -> str:
    """The register's key of a nominee as a proposal records it (kind, name, unit_id, ...)."""
    kind = nominee.get("kind", "")
    unit = (nominee.get("unit_id") or "").strip()
    name = normalised(nominee.get("name", ""))
    if kind == "collective":
        return f"unit:{unit}" if unit else f"unit:{proposing_unit}/{name}"
    username = (nominee.get("username") or "").strip()
    if username:
        return f"person:{username}"
    return f"person:{unit or proposing_unit}/{name}"


def unit_of(key: str) -> str:
    """The unit a nominee key belongs to ("" for a person known by username only)."""
    kind, _, rest = key.partition(":")
    if kind == "person" and "/" not in rest:
        return ""
    return rest.partition("/")[0]


def achievement_key(text: str, year: int) -> str:
    return f"{year}:{normalised(text)}"
