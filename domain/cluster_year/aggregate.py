"""The ClusterYear aggregate: one cluster's (or block's) emulation year, as events.

Every event carries who (``actor_id``, and ``unit`` where a unit acts), the role, the step's
idempotency ``key`` and, where a person decides, a ``reason``; when is the event's timestamp.
The conference's ballots never reach the aggregate one by one: it records who voted, and at
closing the box of sealed list ballots sorted by receipt, so no stored event links a voter to
a choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.cluster_year import conference, scores
from domain.cluster_year.criteria import check_criteria, max_points, template_from_json
from domain.cluster_year.election import check_election
from domain.cluster_year.ranking import Standing, rank
from domain.cluster_year.stages import Action, Stage, check_step
from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import ConferenceRules
from domain.voting.ballot import Outcome, Tally
from domain.voting.list_box import ListBox
from domain.voting.vote import Sealing


def cluster_year_id(group_id: str, year: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:awards:cluster-year:{group_id}:{year}")


def _by(actor: Actor, key: str) -> dict[str, str]:
    return {"actor_id": actor.id, "actor_role": actor.role, "key": key}


class ClusterYear(Aggregate):
    class Launched(Aggregate.Created):
        group_id: str
        year: int
        scope: str
        members: list[str]
        head: str
        deputy: str
        rulebook_version: str
        plan: dict[str, str]
        actor_id: str
        actor_role: str
        key: str

    @event(Launched)
    def __init__(
        self,
        *,
        group_id: str,
        year: int,
        scope: str,
        members: list[str],
        head: str,
        deputy: str,
        rulebook_version: str,
        plan: dict[str, str],
        key: str,
    ) -> None:
        self.group_id, self.year, self.scope = group_id, year, scope
        self.members = tuple(members)
        self.head, self.deputy = head, deputy
        self.rulebook_version = rulebook_version
        self.plan = scores.Evidence(**plan)
        self.stage = Stage.PLEDGE.value
        self.pledges: dict[str, dict[str, str]] = {}  # unit -> {signer, at}
        self.criteria: dict[str, Any] | None = None
        self.scores: dict[str, scores.Score] = {}  # "unit/criterion" -> score
        self.mid_year: dict[str, int] | None = None
        self.ranking: tuple[Standing, ...] = ()
        self.lines: tuple[conference.Line, ...] = ()
        self.vote: ListBox | None = None  # the conference's list vote, once candidates stand
        self.result: dict[str, dict[str, Any]] | None = None  # line -> {tally, outcome}
        self.elected: dict[str, str] | None = None
        self.records: list[dict[str, str]] = []  # the conference's minutes and ballot count
        # line -> {"proposal": id} or {"refused": [{rule, version, facts}, ...]}
        self.nominations: dict[str, dict[str, Any]] = {}
        self.notices: list[dict[str, str]] = []  # reminders and escalations
        self.step_keys: list[str] = [key]

    @classmethod
    def launch(
        cls,
        *,
        group_id: str,
        year: int,
        scope: str,
        members: Sequence[str],
        head: str,
        deputy: str,
        rulebook_version: str,
        plan: dict[str, str],
        actor: Actor,
        key: str,
    ) -> ClusterYear:
        if not 2000 <= year <= 2100:
            raise InvalidInput("emulation year {year} is out of range", year=year)
        if len(members) < 2 or len(set(members)) != len(members):
            raise InvalidInput("a cluster year needs at least two distinct member units")
        if head not in members or deputy not in members or head == deputy:
            raise DomainError("the head and the deputy are two member units of the cluster")
        evidence = scores.Evidence.of(plan)
        return cls._create(
            cls.Launched,
            id=cluster_year_id(group_id, year),
            group_id=group_id,
            year=year,
            scope=scope,
            members=list(members),
            head=head,
            deputy=deputy,
            rulebook_version=rulebook_version,
            plan=evidence.to_json(),
            **_by(actor, key),
        )

    # ---- queries -------------------------------------------------------------------------

    def has_step(self, key: str) -> bool:
        return key in self.step_keys

    @property
    def max_points(self) -> dict[str, int]:
        return max_points(template_from_json(self.criteria)) if self.criteria else {}

    def totals(self) -> dict[str, int]:
        return scores.totals(self.scores, self.members)

    def leader(self) -> str | None:
        """The leading unit once the year-end ranking is final."""
        return self.ranking[0].unit if self.ranking else None

    @property
    def vote_id(self) -> str:
        """The conference's list vote: what its proofs and its receipts are bound to."""
        return f"cluster-year/{self.group_id}/{self.year}/conference"

    def box_of_votes(self) -> ListBox:
        if self.vote is None:
            raise DomainError("the conference's ballot box has not been opened")
        return self.vote

    @property
    def election_key(self) -> dict[str, Any] | None:
        return None if self.vote is None else self.vote.election_key

    @property
    def voted(self) -> list[str]:
        """The member units that voted (never how)."""
        return [] if self.vote is None else list(self.vote.voted)

    def context(self) -> str:
        """What every sealed line of the conference's ballots is bound to."""
        return self.box_of_votes().context

    @property
    def line_ids(self) -> list[str]:
        return [line.id for line in self.lines]

    def _check(self, action: Action) -> None:
        check_step(self.stage, action)

    def _is_head(self, unit: str) -> None:
        if unit != self.head:
            raise DomainError(
                "only the head of the cluster ({unit}) takes this step", unit=self.head
            )

    def _is_member(self, unit: str) -> None:
        if unit not in self.members:
            raise DomainError("{unit} is not a member unit of this cluster year", unit=unit)

    def _remember(self, key: str) -> None:
        self.step_keys.append(key)

    # ---- pledge and criteria -------------------------------------------------------------

    class PledgeSigned(Aggregate.Event):
        unit: str
        at: datetime
        actor_id: str
        actor_role: str
        key: str

    def sign_pledge(self, unit: str, at: datetime, actor: Actor, key: str) -> None:
        """Every member unit signs; a non-member is refused; signing twice appends nothing."""
        self._check(Action.SIGN_PLEDGE)
        self._is_member(unit)
        if unit in self.pledges:
            return
        self.trigger_event(self.PledgeSigned, unit=unit, at=at, **_by(actor, key))

    @event(PledgeSigned)
    def _pledge_signed(self, unit: str, at: datetime, actor_id: str, key: str) -> None:
        self.pledges[unit] = {"signer": actor_id, "at": at.isoformat()}
        self._remember(key)

    class CriteriaSet(Aggregate.Event):
        unit: str
        criteria: dict[str, Any]
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def set_criteria(
        self, unit: str, criteria: dict[str, Any], reason: str, actor: Actor, key: str
    ) -> None:
        """The head sets the criteria (from a rulebook template), editable until scoring opens."""
        self._check(Action.SET_CRITERIA)
        self._is_head(unit)
        try:
            template = template_from_json(criteria)
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                "criteria are {code, name, groups: [{code, name, criteria}]}"
            ) from None
        check_criteria(template)
        self.trigger_event(
            self.CriteriaSet, unit=unit, criteria=criteria, reason=reason, **_by(actor, key)
        )

    @event(CriteriaSet)
    def _criteria_set(self, criteria: dict[str, Any], key: str) -> None:
        self.criteria = criteria
        self._remember(key)

    class ScoringOpened(Aggregate.Event):
        unit: str
        actor_id: str
        actor_role: str
        key: str

    def open_scoring(self, unit: str, actor: Actor, key: str) -> None:
        self._check(Action.OPEN_SCORING)
        self._is_head(unit)
        if self.criteria is None:
            raise DomainError("set the criteria before scoring opens")
        self.trigger_event(self.ScoringOpened, unit=unit, **_by(actor, key))

    @event(ScoringOpened)
    def _scoring_opened(self, key: str) -> None:
        self.stage = Stage.SCORING.value
        self._remember(key)

    # ---- scores ----------------------------------------------------------------------------

    def score(self, unit: str, criterion: str) -> scores.Score | None:
        return self.scores.get(f"{unit}/{criterion}")

    class SelfScored(Aggregate.Event):
        unit: str
        criterion: str
        points: int
        evidence: list[dict[str, str]]
        actor_id: str
        actor_role: str
        key: str

    def self_score(
        self,
        unit: str,
        criterion: str,
        points: int,
        evidence: Sequence[dict[str, str]],
        actor: Actor,
        key: str,
    ) -> None:
        self._check(Action.SELF_SCORE)
        self._is_member(unit)
        scores.check_points(points, criterion, self.max_points)
        documents = tuple(scores.Evidence.of(e) for e in evidence)
        scores.self_scored(self.score(unit, criterion), unit, criterion, points, documents)
        self.trigger_event(
            self.SelfScored,
            unit=unit,
            criterion=criterion,
            points=points,
            evidence=[e.to_json() for e in documents],
            **_by(actor, key),
        )

    @event(SelfScored)
    def _self_scored(
        self, unit: str, criterion: str, points: int, evidence: list[dict[str, str]], key: str
    ) -> None:
        documents = tuple(scores.Evidence(**e) for e in evidence)
        self.scores[f"{unit}/{criterion}"] = scores.Score(unit, criterion, points, documents)
        self._remember(key)

    class ScoreAdjusted(Aggregate.Event):
        unit: str
        member: str
        criterion: str
        points: int
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def adjust(
        self,
        unit: str,
        member: str,
        criterion: str,
        points: int,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        """The head cross-checks and adjusts a score only with a reason; both values are kept."""
        self._check(Action.ADJUST)
        self._is_head(unit)
        scores.check_adjust(self.score(member, criterion), reason)
        scores.check_points(points, criterion, self.max_points)
        self.trigger_event(
            self.ScoreAdjusted,
            unit=unit,
            member=member,
            criterion=criterion,
            points=points,
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(ScoreAdjusted)
    def _adjusted(self, member: str, criterion: str, points: int, reason: str, key: str) -> None:
        index = f"{member}/{criterion}"
        self.scores[index] = scores.adjusted(self.scores[index], points, reason)
        self._remember(key)

    class AdjustmentContested(Aggregate.Event):
        unit: str
        criterion: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def contest(self, unit: str, criterion: str, reason: str, actor: Actor, key: str) -> None:
        """A member contests an adjustment of its own score, once."""
        self._check(Action.CONTEST)
        scores.check_contest(self.score(unit, criterion), unit, reason)
        self.trigger_event(
            self.AdjustmentContested,
            unit=unit,
            criterion=criterion,
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(AdjustmentContested)
    def _contested(self, unit: str, criterion: str, reason: str, key: str) -> None:
        index = f"{unit}/{criterion}"
        self.scores[index] = scores.contested(self.scores[index], reason)
        self._remember(key)

    class ContestSettled(Aggregate.Event):
        unit: str
        member: str
        criterion: str
        outcome: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def settle(
        self,
        unit: str,
        member: str,
        criterion: str,
        outcome: str,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        """The deputy settles a contest: keep the adjustment or restore the member's score."""
        self._check(Action.SETTLE)
        if unit != self.deputy:
            raise DomainError("only the deputy ({unit}) settles a contest", unit=self.deputy)
        settled = scores.check_settle(self.score(member, criterion), outcome, reason)
        self.trigger_event(
            self.ContestSettled,
            unit=unit,
            member=member,
            criterion=criterion,
            outcome=settled.value,
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(ContestSettled)
    def _settled(self, member: str, criterion: str, outcome: str, reason: str, key: str) -> None:
        index = f"{member}/{criterion}"
        self.scores[index] = scores.settled(self.scores[index], scores.Settlement(outcome), reason)
        self._remember(key)

    class MidYearReviewed(Aggregate.Event):
        unit: str
        totals: dict[str, int]
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def review_mid_year(self, unit: str, reason: str, actor: Actor, key: str) -> None:
        """The mid-year review (sơ kết) records the interim totals; scoring goes on."""
        self._check(Action.MID_YEAR)
        self._is_head(unit)
        self.trigger_event(
            self.MidYearReviewed, unit=unit, totals=self.totals(), reason=reason, **_by(actor, key)
        )

    @event(MidYearReviewed)
    def _mid_year(self, totals: dict[str, int], key: str) -> None:
        self.mid_year = dict(totals)
        self._remember(key)

    class YearEndRanked(Aggregate.Event):
        unit: str
        ranking: list[dict[str, Any]]
        chair_order: list[str]
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def rank_year_end(
        self,
        unit: str,
        women_share: dict[str, str | None],
        chair_order: Sequence[str],
        rules: ConferenceRules,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        """The year-end summary (tổng kết) finalises the scores and ranks the members."""
        self._check(Action.YEAR_END)
        self._is_head(unit)
        if any(score.open_contest for score in self.scores.values()):
            raise DomainError("settle every open contest before the year-end ranking")
        ranking = rank(self.totals(), women_share, rules, chair_order)
        self.trigger_event(
            self.YearEndRanked,
            unit=unit,
            ranking=[vars(standing).copy() for standing in ranking],
            chair_order=list(chair_order),
            reason=reason,
            **_by(actor, key),
        )

    @event(YearEndRanked)
    def _ranked(self, ranking: list[dict[str, Any]], key: str) -> None:
        self.ranking = tuple(Standing(**standing) for standing in ranking)
        self.stage = Stage.RANKED.value
        self._remember(key)

    # ---- the conference ------------------------------------------------------------------

    class CandidatesProposed(Aggregate.Event):
        unit: str
        lines: list[str]
        election_key: dict[str, Any]
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def propose_candidates(
        self,
        unit: str,
        flag: str | None,
        certificates: Sequence[str],
        rules: ConferenceRules,
        election_key: dict[str, Any],
        reason: str,
        actor: Actor,
        key: str,
        *,
        government_flag: bool = False,
    ) -> None:
        """The head proposes the candidates from the ranking (and, if asked, a Government
        Flag line for the leading unit); the ballot box opens."""
        self._check(Action.PROPOSE_CANDIDATES)
        self._is_head(unit)
        lines = conference.candidate_lines(self.ranking, flag, certificates, rules, government_flag)
        conference.open_box(self.vote_id, self.members, lines, election_key)  # refused here
        self.trigger_event(
            self.CandidatesProposed,
            unit=unit,
            lines=[line.id for line in lines],
            election_key=election_key,
            reason=reason,
            **_by(actor, key),
        )

    @event(CandidatesProposed)
    def _candidates(self, lines: list[str], election_key: dict[str, Any], key: str) -> None:
        self.lines = tuple(conference.Line.parse(line) for line in lines)
        self.vote = conference.open_box(self.vote_id, self.members, self.lines, election_key)
        self.stage = Stage.VOTING.value
        self._remember(key)

    class ConferenceBallotRecorded(Aggregate.Event):
        voter: str
        actor_id: str
        actor_role: str
        key: str

    def record_ballot(self, voter: str, actor: Actor, key: str) -> None:
        """Record that a member unit voted; its choices never reach the aggregate."""
        self._check(Action.CAST)
        self.box_of_votes().check_cast(voter)
        self.trigger_event(self.ConferenceBallotRecorded, voter=voter, **_by(actor, key))

    @event(ConferenceBallotRecorded)
    def _ballot_recorded(self, voter: str, key: str) -> None:
        self.vote = self.box_of_votes().with_ballot(voter)
        self._remember(key)

    class ConferenceBoxSealed(Aggregate.Event):
        box: list[dict[str, Any]]
        reason: str
        closed_at: datetime
        actor_id: str
        actor_role: str
        key: str

    def seal_box(
        self, box: list[dict[str, Any]], reason: str, closed_at: datetime, actor: Actor, key: str
    ) -> None:
        """One list ballot per unit that voted, each with its own receipt, every line proved;
        sorted by receipt, so the box's order says nothing about the order of voting."""
        self._check(Action.CLOSE_CONFERENCE)
        self.box_of_votes().check_box(box)
        anonymous = sorted(
            ({"receipt": e["receipt"], "ballot": e["ballot"]} for e in box),
            key=lambda e: e["receipt"],
        )
        self.trigger_event(
            self.ConferenceBoxSealed,
            box=anonymous,
            reason=reason,
            closed_at=closed_at,
            **_by(actor, key),
        )

    @event(ConferenceBoxSealed)
    def _box_sealed(
        self, box: list[dict[str, Any]], reason: str, closed_at: datetime, key: str
    ) -> None:
        self.vote = self.box_of_votes().with_box(box, Sealing(reason, closed_at))
        self.stage = Stage.COUNTED.value
        self._remember(key)

    class ConferenceShareSubmitted(Aggregate.Event):
        share: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def submit_share(self, share: dict[str, Any], actor: Actor, key: str) -> None:
        """A trustee's decryption share of every line's sealed totals at once, proved."""
        self._check(Action.GIVE_SHARE)
        self.box_of_votes().check_share(share)
        self.trigger_event(self.ConferenceShareSubmitted, share=share, **_by(actor, key))

    @event(ConferenceShareSubmitted)
    def _share(self, share: dict[str, Any], key: str) -> None:
        self.vote = self.box_of_votes().with_share(share)
        self._remember(key)

    class ConferenceCounted(Aggregate.Event):
        result: dict[str, dict[str, Any]]
        actor_id: str
        actor_role: str
        key: str

    def count(self, rules: ConferenceRules, actor: Actor, key: str) -> None:
        """Open every line's totals with the shares and judge each line by the ballot rule,
        over the line's electorate (every member but the candidate's unit)."""
        self._check(Action.GIVE_SHARE)
        vote = self.box_of_votes()
        if not vote.is_sealed or vote.is_counted or vote.shares_missing:
            raise DomainError(
                "the count needs {missing} more trustees' shares", missing=vote.shares_missing
            )
        tallies = vote.count()
        judged = conference.outcomes(self.lines, self.members, tallies, rules)
        result = {
            line: {"tally": asdict(tallies[line]), "outcome": judged[line].value}
            for line in self.line_ids
        }
        self.trigger_event(self.ConferenceCounted, result=result, **_by(actor, key))

    @event(ConferenceCounted)
    def _counted(self, result: dict[str, dict[str, Any]], key: str) -> None:
        self.result = result
        tallies = {line: Tally(**judged["tally"]) for line, judged in result.items()}
        self.vote = self.box_of_votes().with_result(tallies)
        self._remember(key)

    def tally(self, line: str) -> Tally:
        assert self.result is not None
        return Tally(**self.result[line]["tally"])

    def passed_lines(self) -> list[conference.Line]:
        """The lines the conference carried: their proposals go on to appraisal."""
        if self.result is None:
            return []
        return [
            line for line in self.lines if self.result[line.id]["outcome"] == Outcome.APPROVED.value
        ]

    # ---- the election ----------------------------------------------------------------------

    class NextLeadersElected(Aggregate.Event):
        unit: str
        next_year: int
        head: str
        deputy: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def elect(
        self,
        unit: str,
        head: str,
        deputy: str,
        recent_heads: Sequence[str],
        rules: ConferenceRules,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        """The conference elects next year's head and deputy (rotation rule)."""
        self._check(Action.ELECT)
        self._is_head(unit)
        if self.result is None:
            raise DomainError("the conference's ballot is counted before the election")
        check_election(head, deputy, self.members, recent_heads, rules, reason)
        self.trigger_event(
            self.NextLeadersElected,
            unit=unit,
            next_year=self.year + 1,
            head=head,
            deputy=deputy,
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(NextLeadersElected)
    def _elected(self, next_year: int, head: str, deputy: str, key: str) -> None:
        self.elected = {"year": str(next_year), "head": head, "deputy": deputy}
        self.stage = Stage.CLOSED.value
        self._remember(key)

    # ---- the conference's records -------------------------------------------------------

    class ConferenceRecorded(Aggregate.Event):
        records: list[dict[str, str]]
        actor_id: str
        actor_role: str
        key: str

    def record_conference(self, records: Sequence[dict[str, str]], actor: Actor, key: str) -> None:
        """The minutes (biên bản bình xét) and the ballot count (biên bản kiểm phiếu) as
        generated once the election is recorded, each by its sha256; kept once."""
        self._check(Action.RECORD_CONFERENCE)
        kept = [conference.check_record(record) for record in records]
        if sorted(record["kind"] for record in kept) != sorted(conference.RECORD_KINDS):
            raise InvalidInput(
                "the conference keeps one record of each kind: {kinds}",
                kinds=", ".join(conference.RECORD_KINDS),
            )
        if self.records:
            if self.records != kept:
                raise DomainError("the conference's records are kept already")
            return
        self.trigger_event(self.ConferenceRecorded, records=kept, **_by(actor, key))

    @event(ConferenceRecorded)
    def _recorded(self, records: list[dict[str, str]], key: str) -> None:
        self.records = [dict(record) for record in records]
        self._remember(key)

    class NominationRecorded(Aggregate.Event):
        line: str
        proposal: str  # the created proposal's id; "" when eligibility refused it
        refusals: list[dict[str, Any]]  # each {rule, version, facts}
        actor_id: str
        actor_role: str
        key: str

    def record_nomination(
        self,
        line: str,
        proposal: str,
        refusals: Sequence[dict[str, Any]],
        actor: Actor,
        key: str,
    ) -> None:
        """What a carried line became: its proposal, or the eligibility rules that refused it
        (the conference's result stands either way); recorded once per line."""
        self._check(Action.RECORD_NOMINATION)
        if line not in [carried.id for carried in self.passed_lines()]:
            raise DomainError("{line} is not a line the conference carried", line=line)
        if bool(proposal) == bool(refusals):
            raise InvalidInput("a carried line becomes a proposal or is refused, not both")
        if line in self.nominations:
            return
        self.trigger_event(
            self.NominationRecorded,
            line=line,
            proposal=proposal,
            refusals=list(refusals),
            **_by(actor, key),
        )

    @event(NominationRecorded)
    def _nomination(
        self, line: str, proposal: str, refusals: list[dict[str, Any]], key: str
    ) -> None:
        self.nominations[line] = {"proposal": proposal} if proposal else {"refused": refusals}
        self._remember(key)

    # ---- deadlines -------------------------------------------------------------------------

    class ReminderSent(Aggregate.Event):
        stage: str
        step: str
        deadline: datetime
        actor_id: str
        actor_role: str
        key: str

    class DeadlineEscalated(Aggregate.Event):
        stage: str
        step: str
        deadline: datetime
        actor_id: str
        actor_role: str
        key: str

    def remind(self, step: str, deadline: datetime, actor: Actor, key: str) -> None:
        self._check(Action.REMIND)
        self.trigger_event(
            self.ReminderSent, stage=self.stage, step=step, deadline=deadline, **_by(actor, key)
        )

    def escalate(self, step: str, deadline: datetime, actor: Actor, key: str) -> None:
        self._check(Action.ESCALATE)
        self.trigger_event(
            self.DeadlineEscalated,
            stage=self.stage,
            step=step,
            deadline=deadline,
            **_by(actor, key),
        )

    @event(ReminderSent)
    def _reminded(self, stage: str, step: str, deadline: datetime, key: str) -> None:
        self.notices.append(
            {"kind": "reminder", "stage": stage, "step": step, "deadline": deadline.isoformat()}
        )
        self._remember(key)

    @event(DeadlineEscalated)
    def _escalated(self, stage: str, step: str, deadline: datetime, key: str) -> None:
        self.notices.append(
            {"kind": "escalation", "stage": stage, "step": step, "deadline": deadline.isoformat()}
        )
        self._remember(key)
