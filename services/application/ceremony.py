"""The trustees' key ceremony on an offline machine, and reading a trustee's key share."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from domain.voting.election_key import ElectionKey, KeyShare
from infra.trustee_keys import ceremony, read_json


class FolderNotEmpty(Exception):
    """A ceremony never overwrites an earlier key or share."""


@dataclass(frozen=True)
class CeremonyHeld:
    key: ElectionKey
    public_file: Path
    share_files: list[Path]


def hold_ceremony(out: Path, trustees: int, threshold: int) -> CeremonyHeld:
    """A new election key split among trustees: the public key file and one private share
    file per trustee, written into an empty folder."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FolderNotEmpty(str(out))
    key, shares = ceremony(trustees, threshold)
    public = out / "election_key.json"
    _write(public, {**key.to_json(), "fingerprint": key.fingerprint}, secret=False)
    files = []
    for share in shares:
        path = out / f"trustee-{share.trustee}.json"
        _write(path, share.to_json(), secret=True)
        files.append(path)
    return CeremonyHeld(key, public, files)


def read_key_share(path: Path) -> KeyShare:
    """A trustee's share file; ValueError or a DomainError when it is not one."""
    return KeyShare.from_json(read_json(path, "key share"))


def _write(path: Path, data: object, secret: bool) -> None:
    # Exclusive create: a ceremony never overwrites an earlier key or share.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    descriptor = os.open(path, flags, 0o600 if secret else 0o644)
    with os.fdopen(descriptor, "w") as file:
        json.dump(data, file, indent=2)
        file.write("\n")
