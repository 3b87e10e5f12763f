"""Keyed hashing of person identifiers at ingest.

A person key is replaced by HMAC-SHA256(secret, normalised identifier), truncated to 32 hex digits.
The same person gets the same key across files and years (so repeat victimisation and proven
re-offending can be counted) while the identifier itself never reaches the warehouse. The secret is
generated on first use and stored outside the warehouse (setting ``pseudonym_key_file``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..errors import ConfigError


def key_path() -> Path:
    return Path(settings.get("pseudonym_key_file") or settings.home() / "secrets" / "pseudonym.key")


@lru_cache(maxsize=8)
def _load_key(path: str) -> bytes:
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    text = p.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ConfigError(f"The pseudonymisation key file {p} is not a hex string.",
                          fix="Restore the original key file; a new key breaks person linkage.") from None
    if len(key) < 16:
        raise ConfigError(f"The pseudonymisation key in {p} is too short (under 128 bits).",
                          fix="Restore the original key file.")
    return key


class Pseudonymiser:
    """Call with a raw identifier; returns the keyed hash, or None for a blank identifier."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else _load_key(str(key_path()))

    def __call__(self, identifier: object) -> str | None:
        if identifier is None:
            return None
        text = str(identifier).strip().upper()
        if not text:
            return None
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
