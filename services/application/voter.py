"""What a voter's own machine does: seal the choice under the vote's published key, so that
not even the API process ever holds it."""

from __future__ import annotations

from typing import Any

from domain.kernel.errors import DomainError
from domain.voting.ballot import Choice
from domain.voting.election_key import ElectionKey
from domain.voting.sealed_ballot import SealedBallot, context, seal
from infra.settings import Settings
from infra.trustee_keys import load_custody, secret_exponent


class Refused(Exception):
    """The voter's side refuses to seal; the message says why."""


def sealed_for(
    proposal_id: str, stage: str, count: dict[str, Any], choice: str, expect_key: str | None
) -> SealedBallot:
    """Seal `choice` under the vote's key, bound to this proposal and vote. With `expect_key`
    (the fingerprint the trustees published) a server offering any other key is refused: a
    key the server held would let it open the ballot."""
    try:
        key = ElectionKey.from_json(count["election_key"])
    except (DomainError, KeyError, TypeError) as error:
        raise Refused(f"the server sent no usable election key: {error}") from None
    if expect_key and not key.fingerprint.startswith(expect_key.lower()):
        raise Refused(f"the vote's key {key.fingerprint} is not the published key")
    if count.get("sealed"):
        raise Refused("this vote is closed: its ballot box is sealed")
    return seal(Choice(choice), key, context(proposal_id, stage, key), secret_exponent)


def service_key_fingerprint(settings: Settings) -> str:
    """The fingerprint of the key this service seals new votes under."""
    return load_custody(settings).key.fingerprint
