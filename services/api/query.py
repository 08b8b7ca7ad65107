"""Query parameter types: bounded numbers, known states and forms, moments with a zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from domain.kernel.message import Message
from domain.proposal.states import State
from domain.rulebook.defaults import KNOWN_FORMS
from services.api.text import RefusedValue, Text

# page × page_size becomes an SQL OFFSET: these bounds keep it far below bigint's limit
# (1,000,000 × 500 = 5×10⁸) while no real listing comes near them.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A moment outside these years names no state of any proposal, and near datetime's own limits
# a zone shift overflows.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)

STATES = tuple(state.value for state in State)
FORM_CODES = tuple(form.code for form in KNOWN_FORMS)
_STATES, _FORMS = ", ".join(STATES), ", ".join(FORM_CODES)


def known_state(value: str) -> str:
    if value not in STATES:
        raise RefusedValue(
            Message("unknown state {state!r}; known states: {known}", state=value, known=_STATES)
        )
    return value


def known_form(value: str) -> str:
    if value not in FORM_CODES:
        raise RefusedValue(
            Message("unknown award form {code!r}; known forms: {known}", code=value, known=_FORMS)
        )
    return value


def zoned_moment(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise RefusedValue(Message("time needs a zone, e.g. 2026-11-20T09:00:00+07:00"))
    if not EARLIEST <= value < LATEST:
        raise RefusedValue(
            Message(
                "must lie between the years {first} and {last}",
                first=EARLIEST.year,
                last=LATEST.year - 1,
            )
        )
    return value


StateFilter = Annotated[
    Text | None,
    AfterValidator(lambda v: v if v is None else known_state(v)),
    Query(json_schema_extra={"enum": list(STATES)}),
]
FormFilter = Annotated[
    Text | None,
    AfterValidator(lambda v: v if v is None else known_form(v)),
    Query(json_schema_extra={"enum": list(FORM_CODES)}),
]
ClusterFilter = Annotated[Text | None, Query(max_length=100)]
YearFilter = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
_MOMENT = "ISO-8601 with a zone, e.g. 2026-11-20T09:00:00+07:00"
Moment = Annotated[datetime, AfterValidator(zoned_moment), Query(description=_MOMENT)]
MaybeMoment = Annotated[
    datetime | None,
    AfterValidator(lambda v: v if v is None else zoned_moment(v)),
    Query(description=_MOMENT),
]
