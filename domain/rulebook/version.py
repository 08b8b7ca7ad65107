"""One rulebook version: the award catalogue, ballot rules, quotas, deadlines and templates in
force from a legal effective date (and optionally until an end date).

These value objects are the contract every capability reads its numbers from; nothing here
reads a clock or a store. A version is complete: it holds every section, so a proposal judged
by it never falls back to a default written in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.proposal.forms import AwardForm, find_form
from domain.voting.ballot import BallotRule


class Scope(StrEnum):
    """The grouping a quota or a ranking is counted in."""

    CLUSTER = "cluster"  # Cụm thi đua (provincial unions)
    BLOCK = "block"  # Khối thi đua (member associations)


class TieBreak(StrEnum):
    """A tie rule of a ranking, applied in the order the version lists them (DOMAIN.md §4)."""

    WOMEN_FIRST = "women_first"  # women, or collectives with >= women_share women, first
    CHAIR_SIDE = "chair_side"  # then the side the chair (the cluster's head) takes


class YearStep(StrEnum):
    """The timed steps of a cluster's emulation year."""

    PLEDGE = "pledge"
    CRITERIA = "criteria"
    SELF_SCORE = "self_score"
    CROSS_CHECK = "cross_check"
    CONTEST = "contest"
    MID_YEAR = "mid_year"
    YEAR_END = "year_end"
    CONFERENCE = "conference"
    ELECTION = "election"


class ProposalStep(StrEnum):
    """The timed steps of one proposal."""

    CLUSTER_VOTE = "cluster_vote"
    APPRAISAL = "appraisal"
    COUNCIL_VOTE = "council_vote"
    PUBLICATION = "publication"  # the feedback window of a published state-level nominee
    EXTERNAL_OUTCOME = "external_outcome"  # a forwarded proposal waiting for the state body


@dataclass(frozen=True)
class Deadline:
    """A step's time in working days, the reminder before it and the escalation after it."""

    working_days: int
    remind_before: int = 3
    escalate_after: int = 0  # working days past the deadline before it is escalated


@dataclass(frozen=True)
class Quota:
    """At most ``per_year`` awards of ``form`` per cluster (or block) and year."""

    form: str
    scope: Scope
    per_year: int


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: int


@dataclass(frozen=True)
class CriteriaGroup:
    code: str
    name: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class CriteriaTemplate:
    """The scoring criteria a cluster's head starts from (editable until scoring opens)."""

    code: str
    name: str
    groups: tuple[CriteriaGroup, ...]


@dataclass(frozen=True)
class ConferenceRules:
    """The year-end conference (bình xét, suy tôn) of a cluster or block."""

    flag_form: str = "vusta_flag"
    certificate_form: str = "vusta_certificate"
    certificate_quota: int = 3  # Certificate candidates on the ballot, at most
    ballot: BallotRule = field(default_factory=BallotRule)  # per line; no vote on one's own line
    tie_breaks: tuple[TieBreak, ...] = (TieBreak.WOMEN_FIRST, TieBreak.CHAIR_SIDE)
    women_share: str = "7/10"  # a collective with at least this share of women counts as women
    head_consecutive_years: int = 1  # rotation: a head may serve this many years running


@dataclass(frozen=True)
class SessionRules:
    """The council's session (phiên họp Hội đồng): its quorum, checked when it opens and
    again when voting opens [law: Decree 98 Art 47, 2/3 of all members present]."""

    quorum: str = "2/3"  # of all the council's members, present in the room
    # Whether a member present but recused on a line counts toward that line's quorum [open].
    recused_count_toward_quorum: bool = True


@dataclass(frozen=True)
class CertificatePrerequisites:
    """The individual VUSTA Certificate (Law 06/2022 Art 74.1(d)): either route suffices."""

    fighter_years_running: int = 2  # grassroots emulation fighter, consecutive years
    excellent_years: int = 2  # or "excellent completion" for this many years ...
    initiatives: int = 2  # ... with this many applied initiatives


@dataclass(frozen=True)
class RulebookVersion:
    """Everything judged by one legal regime, in force on [effective_from, effective_to)."""

    code: str  # e.g. "law-06-2022+decree-98-2023"
    title: str  # Vietnamese title as officials cite it
    effective_from: date
    effective_to: date | None
    catalogue: tuple[AwardForm, ...]
    # Ballot rules per step ("cluster", "council", "conference") and per form code, with
    # "default" as each step's fallback (a complete version always has it).
    ballot_rules: dict[str, dict[str, BallotRule]]
    deadlines_year: dict[YearStep, Deadline]
    deadlines_proposal: dict[ProposalStep, Deadline]
    quotas: tuple[Quota, ...]
    conference: ConferenceRules
    certificate_prerequisites: CertificatePrerequisites
    publication_forms: tuple[str, ...]  # state-level forms published before the council
    criteria_templates: tuple[CriteriaTemplate, ...]
    sources: tuple[str, ...] = ()  # the legal texts (and practice) the numbers come from
    session: SessionRules = field(default_factory=SessionRules)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    # ---- added by the rulebook's owner (fields with defaults and helpers only) -------------

    def form(self, code: str) -> AwardForm:
        """The catalogue's form ``code``; refused with InvalidInput naming the known ones."""
        return find_form(code, self.catalogue)

    def ballot_rule(self, step: str, form: str) -> BallotRule:
        """The rule of ``step``'s ballot ("cluster", "council", "conference") for ``form``,
        else the step's "default" (a complete version has one for every step)."""
        rules = self.ballot_rules[step]
        return rules.get(form, rules[DEFAULT_RULE])

    @property
    def publication_window(self) -> Deadline:
        """The feedback window of a published state-level nominee."""
        return self.deadlines_proposal[ProposalStep.PUBLICATION]

    def quota(self, form: str, scope: Scope) -> int | None:
        """Awards of ``form`` per cluster (or block) and year, or None without a quota."""
        found = [q.per_year for q in self.quotas if q.form == form and q.scope == scope]
        return found[0] if found else None


DEFAULT_RULE = "default"  # each ballot step's fallback rule
BALLOT_STEPS = ("cluster", "council", "conference")
