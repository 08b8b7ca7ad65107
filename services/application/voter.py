"""What a voter's own machine does: seal the choice under the vote's published key, so that
not even the API process ever holds it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.kernel.errors import DomainError
from domain.voting.ballot import Choice
from domain.voting.election_key import ElectionKey
from domain.voting.list_ballot import ListBallot, check_choices, list_context, seal_list
from domain.voting.sealed_ballot import SealedBallot, context, seal
from infra.settings import Settings
from infra.trustee_keys import load_custody, secret_exponent


class Refused(Exception):
    """The voter's side refuses to seal; the message says why."""


def _open_vote_key(count: Mapping[str, Any], expect_key: str | None) -> ElectionKey:
    """The vote's key, refused unless it is the published one and the vote still open. With
    `expect_key` (the fingerprint the trustees published) a server offering any other key is
    refused: a key the server held would let it open the ballot."""
    try:
        key = ElectionKey.from_json(count["election_key"])
    except (DomainError, KeyError, TypeError) as error:
        raise Refused(f"the server sent no usable election key: {error}") from None
    if expect_key and not key.fingerprint.startswith(expect_key.lower()):
        raise Refused(f"the vote's key {key.fingerprint} is not the published key")
    if count.get("sealed"):
        raise Refused("this vote is closed: its ballot box is sealed")
    return key


def sealed_for(
    proposal_id: str, stage: str, count: dict[str, Any], choice: str, expect_key: str | None
) -> SealedBallot:
    """Seal `choice` under the vote's key, bound to this proposal and vote."""
    key = _open_vote_key(count, expect_key)
    return seal(Choice(choice), key, context(proposal_id, stage, key), secret_exponent)


def sealed_list_for(
    count: Mapping[str, Any], choices: Mapping[str, str], expect_key: str | None
) -> ListBallot:
    """Seal a list (line id → yes/no/abstain) under a list vote's key, each line bound to the
    vote and its line. The lines left out are the voter's own: the service checks the rest."""
    key = _open_vote_key(count, expect_key)
    lines = count.get("lines")
    if not isinstance(lines, list) or not isinstance(count.get("vote_id"), str):
        raise Refused("the server sent no list of lines for this vote")
    try:
        plain = check_choices(choices, lines, [line for line in lines if line not in choices])
    except DomainError as error:
        raise Refused(str(error)) from None
    return seal_list(plain, key, list_context(count["vote_id"], key), secret_exponent)


def service_key_fingerprint(settings: Settings) -> str:
    """The fingerprint of the key this service seals new votes under."""
    return load_custody(settings).key.fingerprint
