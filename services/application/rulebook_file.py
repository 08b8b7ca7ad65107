"""A rulebook version as a file (YAML or JSON): its published JSON Schema, reading a file into
the domain's RulebookVersion with errors that name the field, and a version back as a document.

The schema is these pydantic models; `docs/rulebook.schema.json` is generated from them (a test
holds the file to them) and `GET /api/rulebook/schema` serves it."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.kernel.errors import InvalidInput
from domain.kernel.message import Message
from domain.proposal.forms import AwardForm, NomineeKind
from domain.rulebook.validation import check_version
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
    SessionRules,
    TieBreak,
    YearStep,
)
from domain.voting.ballot import BallotRule, Base, Comparison, TieRule

Code = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_+.-]*$")]
# No control characters: PostgreSQL cannot hold U+0000, and the others forge lines in logs.
Text = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")]
Fraction = Annotated[
    str, Field(pattern=r"^(0|1|[0-9]+/[1-9][0-9]*)$", description='a fraction: "2/3", "7/10"')
]
Days = Annotated[int, Field(ge=0, le=365)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BallotRuleFile(_Part):
    quorum: Fraction = Field(description="share of the electorate that must cast a ballot")
    threshold: Fraction = Field(description="share of yes votes (of the base) that passes")
    comparison: Comparison = Field(description="at_least: ≥ (từ … trở lên); more_than: >")
    base: Base = Field(description="all: every member; present: those who cast a ballot")
    tie: TieRule = TieRule.THRESHOLD
    self_vote_allowed: bool = False


class FormFile(_Part):
    code: Code
    name_vi: Text
    name_en: Text
    nominee_kinds: list[NomineeKind] = Field(min_length=1)
    cluster_vote: bool = Field(description="goes through the cluster's (conference's) ballot")
    decided_by: Text
    forwarded: bool = Field(False, description="a state body decides; VUSTA proposes, records")
    required_documents: list[Code] = Field(min_length=1)


class DeadlineFile(_Part):
    working_days: int = Field(ge=1, le=365)
    remind_before: Days = 3
    escalate_after: Days = 0


class QuotaFile(_Part):
    form: Code
    scope: Scope
    per_year: int = Field(ge=1, le=1000)


class CriterionFile(_Part):
    code: Code
    name: Text
    max_points: int = Field(ge=1, le=1000)


class CriteriaGroupFile(_Part):
    code: Code
    name: Text
    criteria: list[CriterionFile] = Field(min_length=1)


class CriteriaTemplateFile(_Part):
    code: Code
    name: Text
    groups: list[CriteriaGroupFile] = Field(min_length=1)


class ConferenceFile(_Part):
    flag_form: Code
    certificate_form: Code
    certificate_quota: int = Field(ge=0, le=100)
    ballot: BallotRuleFile
    tie_breaks: list[TieBreak]
    women_share: Fraction
    head_consecutive_years: int = Field(ge=1, le=10)


class CertificatePrerequisitesFile(_Part):
    fighter_years_running: int = Field(ge=0, le=20)
    excellent_years: int = Field(ge=0, le=20)
    initiatives: int = Field(ge=0, le=20)


class SessionFile(_Part):
    quorum: Fraction = "2/3"
    recused_count_toward_quorum: bool = True


BallotStep = Literal["cluster", "council", "conference"]


class RulebookFile(_Part):
    """One rulebook version: in force on [effective_from, effective_to)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="Rulebook version (phiên bản quy định thi đua)"
    )

    code: Code
    title: Text
    effective_from: date
    effective_to: date | None = Field(description="the first day it is no longer in force")
    sources: list[Text] = Field(default_factory=list)
    catalogue: list[FormFile] = Field(min_length=1)
    ballot_rules: dict[BallotStep, dict[Code, BallotRuleFile]] = Field(
        description='per ballot step, per form code; "default" is each step\'s fallback'
    )
    deadlines_year: dict[YearStep, DeadlineFile]
    deadlines_proposal: dict[ProposalStep, DeadlineFile]
    quotas: list[QuotaFile]
    conference: ConferenceFile
    certificate_prerequisites: CertificatePrerequisitesFile
    publication_forms: list[Code] = Field(description="state-level forms published first")
    criteria_templates: list[CriteriaTemplateFile]
    session: SessionFile = Field(
        default_factory=SessionFile, description="the council's session: quorum, recusal"
    )


class RulebookFileInvalid(InvalidInput):
    """The file does not follow the schema; ``errors`` are pydantic's, each naming its field."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        where = Message.joined(
            Message("{field}: {problem}", field=field_path(e["loc"]), problem=str(e["msg"]))
            for e in errors
        )
        super().__init__("the rulebook file is invalid: {errors}", errors=where)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def schema() -> dict[str, Any]:
    """The JSON Schema of a version file, as published in docs/rulebook.schema.json."""
    found = RulebookFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **found}


def read_text(text: str) -> RulebookVersion:
    """A version file's text (YAML, of which JSON is a part) as a complete version."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput(
            "the rulebook file is not YAML or JSON: {error}", error=str(error)
        ) from None
    return read_data(data)


def read_data(data: Any) -> RulebookVersion:
    """Parsed data as a complete version: the schema first, then the domain's checks."""
    try:
        parsed = RulebookFile.model_validate(data)
    except ValidationError as error:
        raise RulebookFileInvalid(
            [dict(e) for e in error.errors(include_url=False, include_input=False)]
        ) from None
    return to_version(parsed)


def to_version(parsed: RulebookFile) -> RulebookVersion:
    version = RulebookVersion(
        code=parsed.code,
        title=parsed.title,
        effective_from=parsed.effective_from,
        effective_to=parsed.effective_to,
        catalogue=tuple(_form(f) for f in parsed.catalogue),
        ballot_rules={
            step: {form: _rule(rule) for form, rule in rules.items()}
            for step, rules in parsed.ballot_rules.items()
        },
        deadlines_year={s: Deadline(**d.model_dump()) for s, d in parsed.deadlines_year.items()},
        deadlines_proposal={
            s: Deadline(**d.model_dump()) for s, d in parsed.deadlines_proposal.items()
        },
        quotas=tuple(Quota(**q.model_dump()) for q in parsed.quotas),
        conference=_conference(parsed.conference),
        certificate_prerequisites=CertificatePrerequisites(
            **parsed.certificate_prerequisites.model_dump()
        ),
        publication_forms=tuple(parsed.publication_forms),
        criteria_templates=tuple(_template(t) for t in parsed.criteria_templates),
        sources=tuple(parsed.sources),
        session=SessionRules(**parsed.session.model_dump()),
    )
    check_version(version)
    return version


def _conference(conference: ConferenceFile) -> ConferenceRules:
    plain = conference.model_dump(exclude={"ballot", "tie_breaks"})
    tie_breaks = tuple(conference.tie_breaks)
    return ConferenceRules(**plain, ballot=_rule(conference.ballot), tie_breaks=tie_breaks)


def _rule(rule: BallotRuleFile) -> BallotRule:
    return BallotRule(**rule.model_dump())


def _form(form: FormFile) -> AwardForm:
    return AwardForm(
        **{
            **form.model_dump(),
            "nominee_kinds": tuple(form.nominee_kinds),
            "required_documents": tuple(form.required_documents),
        }
    )


def _template(template: CriteriaTemplateFile) -> CriteriaTemplate:
    groups = tuple(
        CriteriaGroup(g.code, g.name, tuple(Criterion(**c.model_dump()) for c in g.criteria))
        for g in template.groups
    )
    return CriteriaTemplate(template.code, template.name, groups)


def document(version: RulebookVersion) -> dict[str, Any]:
    """A version as its file's plain data (what the store keeps and the API answers)."""
    return RulebookFile.model_validate(version, from_attributes=True).model_dump(mode="json")


def to_yaml(version: RulebookVersion) -> str:
    return yaml.safe_dump(document(version), allow_unicode=True, sort_keys=False, width=100)


def to_json_text(version: RulebookVersion) -> str:
    return json.dumps(document(version), ensure_ascii=False, indent=2)
