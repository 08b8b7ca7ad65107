"""Value types the answers share: bilingual labels, and moments written as they always were."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, PlainSerializer

# Written with isoformat(), as the answers always were ("+00:00"; pydantic alone writes "Z").
Timestamp = Annotated[
    datetime, PlainSerializer(lambda moment: moment.isoformat(), return_type=str, when_used="json")
]


class Bilingual(BaseModel):
    """The same words in Vietnamese and English."""

    vi: str
    en: str
