"""The catalogue is complete for the converted modules, and its translations fit their msgids."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from domain.kernel.message import placeholders
from domain.proposal.states import State
from services.i18n.catalogue import CATALOGUE, translations, vietnamese
from services.i18n.labels import STATE_LABELS

ROOT = Path(__file__).resolve().parents[2]
# The modules whose messages are templates with parameters. The lead extends this list as the
# other modules are converted (domain/proposal.py, workflows/proposal.py, services/api/...).
CONVERTED = (
    "domain/session/stages.py",
    "domain/session/rules.py",
    "domain/session/aggregate.py",
    "workflows/council_session.py",
    "services/application/session_steps.py",
    "services/application/session.py",
    "services/api/routes/sessions.py",
    "domain/cluster_year/stages.py",
    "domain/cluster_year/criteria.py",
    "domain/cluster_year/scores.py",
    "domain/cluster_year/ranking.py",
    "domain/cluster_year/election.py",
    "domain/cluster_year/conference.py",
    "domain/cluster_year/aggregate.py",
    "services/application/cluster_year.py",
    "services/application/cluster_year_steps.py",
    "services/application/cluster_year_records.py",
    "services/api/routes/cluster_year.py",
    "workflows/cluster_year.py",
    "domain/kernel/errors.py",
    "domain/voting/ballot.py",
    "domain/proposal/decision.py",
    "domain/voting/election_key.py",
    "domain/voting/elgamal.py",
    "domain/voting/sealed_ballot.py",
    "domain/voting/list_ballot.py",
    "domain/voting/list_box.py",
    "domain/proposal/forms.py",
    "services/api/problems.py",
    "services/application/process.py",
    "workflows/guards.py",
    "workflows/proposal.py",
    "services/application/proposals.py",
    "services/application/tokens.py",
    "services/application/revocations.py",
    "services/application/trustee.py",
    "services/application/list_voting.py",
    "services/projections/proposal_list.py",
    "services/api/deps.py",
    "services/api/text.py",
    "services/api/query.py",
    "domain/proposal/aggregate.py",
    "domain/proposal/nominee.py",
    "domain/proposal/dossier.py",
    "services/api/access.py",
    "services/api/routes/proposals.py",
    "services/api/routes/documents.py",
    "services/api/routes/audit.py",
    "services/api/routes/steps.py",
    "services/api/schemas/steps.py",
    "domain/account/account.py",
    "services/application/accounts.py",
    "services/web/deps.py",
    "services/web/pages.py",
    "services/web/nominations.py",
    "services/web/routes/steps.py",
    "services/web/routes/audit.py",
    "services/web/routes/admin.py",
    "services/web/routes/nomination.py",
    "services/web/routes/receipts.py",
    "services/web/routes/signin.py",
    "domain/rulebook/validation.py",
    "domain/rulebook/aggregate.py",
    "domain/kernel/calendar_book.py",
    "services/application/rulebook.py",
    "services/application/rulebook_file.py",
    "domain/organisation/rules.py",
    "domain/organisation/aggregate.py",
    "services/application/organisation.py",
    "services/application/org_workbook.py",
    "services/api/routes/organisation.py",
    "services/web/year_steps.py",
    "services/web/routes/organisation.py",
    "services/web/routes/cluster_year.py",
    "services/web/routes/year_steps.py",
    "domain/eligibility/achievement.py",
    "domain/eligibility/blocking.py",
    "domain/eligibility/leadership.py",
    "domain/eligibility/certificate.py",
    "domain/eligibility/holds.py",
    "services/application/register_workbook.py",
    "services/api/routes/eligibility.py",
    "domain/proposal/forwarding.py",
    "services/application/conference_nominations.py",
    "domain/proposal/publication.py",  # --- publish ---
    "domain/proposal/publication_steps.py",
    "domain/proposal/complaints.py",
    "services/application/complaints.py",
    # --- decide ---
    "domain/decision/delegation.py",
    "domain/decision/signing.py",
    "domain/decision/text.py",
    "domain/decision/aggregate.py",
    "services/application/decisions.py",
    "services/application/delegations.py",
)
# Calls whose argument at that position is a msgid.
_MSGID_ARGUMENT = {
    "Message": 0,
    "DomainError": 0,
    "BallotError": 0,
    "InvalidInput": 0,
    "TokenError": 0,
    "Refused": 0,
    "IllegalTransition": 1,
    "Problem": 2,
    "DelegationRefused": 0,
    "DecisionNotFound": 0,
    "problem_for_code": 1,
}


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute) and call.func.attr == "term":
        return "Message.term"
    return None


def msgids(path: Path) -> list[tuple[str | None, str, int]]:
    """(context, msgid, line) of every message in a module; a template computed at run time
    (an f-string, a concatenation, a call) is an error: it could never be translated."""
    found: list[tuple[str | None, str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node)
        if callee == "Message.term":
            context, msgid = node.args
            if isinstance(context, ast.Constant) and isinstance(msgid, ast.Constant):
                found.append((str(context.value), str(msgid.value), node.lineno))
            continue
        index = _MSGID_ARGUMENT.get(callee or "")
        if index is None or len(node.args) <= index:
            continue
        argument = node.args[index]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            if argument.value:
                found.append((None, argument.value, node.lineno))
        elif isinstance(argument, ast.Call) and _callee(argument) in ("Message", "Message.term"):
            continue  # a message of its own: the walk finds its template
        elif not isinstance(argument, ast.Name | ast.Attribute):
            where = f"{path.name}:{node.lineno}"
            raise AssertionError(f"{where}: {callee} needs a literal template, not a computed one")
    return found


@pytest.mark.parametrize("module", CONVERTED)
def test_every_message_of_a_converted_module_has_a_vietnamese_translation(module: str) -> None:
    found = msgids(ROOT / module)
    assert found, f"{module} has no messages: is the extractor still finding them?"
    missing = [
        f"{module}:{line} {msgid!r}"
        for context, msgid, line in found
        if vietnamese(msgid, context) is None
    ]
    assert not missing, "no Vietnamese translation for:\n" + "\n".join(missing)


def test_every_translation_fills_the_same_placeholders_as_its_msgid() -> None:
    wrong = [
        f"{msgid!r} → {text!r}"
        for (_, msgid), text in translations().items()
        if placeholders(msgid) != placeholders(text)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_catalogue_has_no_fuzzy_or_empty_entries() -> None:
    with CATALOGUE.open("rb") as po:
        catalog = read_po(po, locale="vi")
    doubtful = [entry.id for entry in catalog if entry.id and (entry.fuzzy or not entry.string)]
    assert not doubtful


def test_every_state_has_its_official_vietnamese_name() -> None:
    for state in State:
        # services/labels.py repeats these names until it reads them from the catalogue.
        assert vietnamese(state.value, "state") == STATE_LABELS[state.value][0], state


def test_the_extractor_refuses_a_computed_template(tmp_path: Path) -> None:
    module = tmp_path / "computed.py"
    module.write_text('def f(x):\n    raise InvalidInput(f"bad {x}")\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="literal template"):
        msgids(module)


def test_no_entry_is_in_the_catalogue_twice() -> None:
    # Engineers append in parallel; babel silently keeps one of two equal entries.
    keys: list[tuple[str | None, str]] = []
    context: str | None = None
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line.removeprefix("msgctxt "))
        elif line.startswith("msgid "):
            keys.append((context, ast.literal_eval(line.removeprefix("msgid "))))
            context = None
    doubled = sorted({key for key in keys if keys.count(key) > 1 and key[1]}, key=str)
    assert not doubled, doubled
