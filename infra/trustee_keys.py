"""Custody of the election key: the public key ballots are sealed under, and the key shares
(if any) this service holds so that it can help open a count without the trustees.

Production names the public key file of a trustees' ceremony (AWARDS_ELECTION_KEY) and no
shares: no one who runs or reads the service can then open a ballot or a count alone. With
nothing configured, a local run generates a 1-of-1 key kept in the data folder, so votes are
counted the moment they close; that key opens ballots too, so it is for development only.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from domain.kernel.errors import BallotError
from domain.voting.election_key import ElectionKey, KeyShare, check_share_matches, deal
from domain.voting.elgamal import Q
from infra.settings import Settings, kept_secret

log = logging.getLogger(__name__)


def secret_exponent() -> int:
    """A fresh secret in [1, Q) for nonces, proofs and key ceremonies."""
    return secrets.randbelow(Q - 1) + 1


@dataclass(frozen=True)
class Custody:
    key: ElectionKey
    shares: tuple[KeyShare, ...]  # held by this service; empty when trustees hold them all

    @property
    def counts_alone(self) -> bool:
        return len(self.shares) >= self.key.threshold


def read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read the {what} {path}: {error}") from None


def load_key(path: Path) -> ElectionKey:
    try:
        return ElectionKey.from_json(read_json(path, "election key"))
    except BallotError as error:
        raise ValueError(f"{path} is not a valid election key: {error}") from None


def load_share(path: Path, key: ElectionKey) -> KeyShare:
    try:
        share = KeyShare.from_json(read_json(path, "key share"))
        check_share_matches(key, share)
    except BallotError as error:
        raise ValueError(f"{path}: {error}") from None
    return share


def ceremony(trustees: int, threshold: int) -> tuple[ElectionKey, list[KeyShare]]:
    return deal(trustees, threshold, secret_exponent)


def _development_custody(data_dir: Path) -> Custody:
    key, shares = ceremony(1, 1)
    fresh = json.dumps({"key": key.to_json(), "share": shares[0].to_json()})
    # One file, written once and atomically, so processes starting together share one key.
    kept = json.loads(kept_secret(data_dir / "election_key.json", fresh))
    key = ElectionKey.from_json(kept["key"])
    share = KeyShare.from_json(kept["share"])
    check_share_matches(key, share)
    return Custody(key, (share,))


def load_custody(settings: Settings) -> Custody:
    if settings.election_key is None:
        custody = _development_custody(settings.data_dir)
        log.warning(
            "no AWARDS_ELECTION_KEY: ballots are sealed under a development key kept in %s,"
            " which can open them; hold a trustees' ceremony for real votes",
            settings.data_dir / "election_key.json",
        )
        return custody
    key = load_key(settings.election_key)
    paths = [Path(p.strip()) for p in (settings.trustee_shares or "").split(",") if p.strip()]
    shares = tuple(load_share(path, key) for path in paths)
    if len({share.trustee for share in shares}) != len(shares):
        raise ValueError("AWARDS_TRUSTEE_SHARES names one trustee's share twice")
    return Custody(key, shares)
