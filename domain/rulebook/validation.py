"""What makes a rulebook version complete, versions that never overlap, and the version in force
on a day. Each refusal names the field (its path in a version file) and what is wrong with it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import (
    BALLOT_STEPS,
    DEFAULT_RULE,
    Deadline,
    ProposalStep,
    RulebookVersion,
    YearStep,
)


class VersionNotFound(DomainError):
    """No version has that code, or none is in force on that day."""

    code = "not-found"


def _lacks(field: str, item: str) -> InvalidInput:
    return InvalidInput("the rulebook version's {field} lacks {item}", field=field, item=item)


def _unknown_form(field: str, form: str) -> InvalidInput:
    return InvalidInput(
        "the rulebook version's {field} names {item}, which is not in its catalogue",
        field=field,
        item=form,
    )


def _at_least(field: str, least: int) -> InvalidInput:
    return InvalidInput(
        "the rulebook version's {field} must be at least {least}", field=field, least=least
    )


def _unique(field: str, items: Iterable[str]) -> None:
    seen: list[str] = []
    for item in items:
        if item in seen:
            raise InvalidInput(
                "the rulebook version's {field} lists {item} twice", field=field, item=item
            )
        seen.append(item)


def check_version(version: RulebookVersion) -> None:
    """Refuse an incomplete or inconsistent version: every section present, every ballot step
    with a "default" rule, every deadline step, and forms that the catalogue holds."""
    if not version.code.strip():
        raise _lacks("code", "a code")
    if version.effective_to is not None and version.effective_to <= version.effective_from:
        raise InvalidInput(
            "the rulebook version {code} ends on {end}, not after it starts on {start}",
            code=version.code,
            end=version.effective_to.isoformat(),
            start=version.effective_from.isoformat(),
        )
    if not version.catalogue:
        raise _lacks("catalogue", "a form")
    _unique("catalogue", (form.code for form in version.catalogue))
    forms = {form.code for form in version.catalogue}
    for form in version.catalogue:
        if not form.nominee_kinds:
            raise _lacks(f"catalogue.{form.code}.nominee_kinds", "a kind")
        if not form.required_documents:
            raise _lacks(f"catalogue.{form.code}.required_documents", "a document")
    _check_ballots(version, forms)
    _check_deadlines(version)
    for n, quota in enumerate(version.quotas):
        if quota.form not in forms:
            raise _unknown_form(f"quotas.{n}.form", quota.form)
        if quota.per_year < 1:
            raise _at_least(f"quotas.{n}.per_year", 1)
    for form_code in version.publication_forms:
        if form_code not in forms:
            raise _unknown_form("publication_forms", form_code)
    for name in ("flag_form", "certificate_form"):
        if getattr(version.conference, name) not in forms:
            raise _unknown_form(f"conference.{name}", getattr(version.conference, name))
    _check_templates(version)


def _check_ballots(version: RulebookVersion, forms: set[str]) -> None:
    for step in BALLOT_STEPS:
        rules = version.ballot_rules.get(step)
        if rules is None:
            raise _lacks("ballot_rules", step)
        if DEFAULT_RULE not in rules:
            raise _lacks(f"ballot_rules.{step}", DEFAULT_RULE)
        for form_code in rules:
            if form_code != DEFAULT_RULE and form_code not in forms:
                raise _unknown_form(f"ballot_rules.{step}", form_code)


def _check_deadlines(version: RulebookVersion) -> None:
    sections: tuple[tuple[str, dict[str, Deadline], tuple[str, ...]], ...] = (
        ("deadlines_year", {str(k): v for k, v in version.deadlines_year.items()}, tuple(YearStep)),
        (
            "deadlines_proposal",
            {str(k): v for k, v in version.deadlines_proposal.items()},
            tuple(ProposalStep),
        ),
    )
    for field, deadlines, steps in sections:
        for step in steps:
            deadline = deadlines.get(step)
            if deadline is None:
                raise _lacks(field, step)
            if deadline.working_days < 1:
                raise _at_least(f"{field}.{step}.working_days", 1)


def _check_templates(version: RulebookVersion) -> None:
    _unique("criteria_templates", (t.code for t in version.criteria_templates))
    for template in version.criteria_templates:
        if not template.groups:
            raise _lacks(f"criteria_templates.{template.code}.groups", "a group")
        _unique(
            f"criteria_templates.{template.code}",
            (c.code for g in template.groups for c in g.criteria),
        )
        for group in template.groups:
            for criterion in group.criteria:
                if criterion.max_points < 1:
                    where = f"criteria_templates.{template.code}.{criterion.code}.max_points"
                    raise _at_least(where, 1)


def _overlap_start(first: RulebookVersion, second: RulebookVersion) -> date | None:
    """The first day both are in force, or None when they never are together."""
    start = max(first.effective_from, second.effective_from)
    ends = [end for end in (first.effective_to, second.effective_to) if end is not None]
    return start if not ends or start < min(ends) else None


def check_no_overlap(versions: Sequence[RulebookVersion]) -> None:
    """Refuse versions of which two are in force on the same day: a proposal is judged by one."""
    _unique("code", (v.code for v in versions))
    ordered = sorted(versions, key=lambda v: v.effective_from)
    for n, first in enumerate(ordered):
        for second in ordered[n + 1 :]:
            day = _overlap_start(first, second)
            if day is not None:
                raise DomainError(
                    "the rulebook versions {first} and {second} are both in force from {day}",
                    first=first.code,
                    second=second.code,
                    day=day.isoformat(),
                )


def find_version(versions: Iterable[RulebookVersion], day: date) -> RulebookVersion:
    """The version in force on ``day``; refused when none is."""
    for version in versions:
        if version.in_force_on(day):
            return version
    raise VersionNotFound("no rulebook version is in force on {day}", day=day.isoformat())
