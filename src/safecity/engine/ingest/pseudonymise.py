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


# -- key custody ------------------------------------------------------------------------------
#: Manifest field recording the key in use (never the key): ``{"fingerprint", "epoch", "since"}``
#: plus ``history``, the earlier epochs with the reason each ended.
KEY_FIELD = "pseudonym_key"
_FINGERPRINT_LABEL = b"safecity pseudonymisation key fingerprint"


def fingerprint(key: bytes) -> str:
    """A one-way fingerprint of the key (HMAC of a fixed label, 16 hex digits): tells two keys
    apart without revealing either, and cannot be used to pseudonymise anything."""
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def _read_key(path: Path) -> bytes:
    _load_key.cache_clear()  # read the file as it is now, not as an earlier call saw it
    return _load_key(str(path))


def check_key(manifest: dict) -> dict | None:
    """The warehouse's key record, after checking the key file against it.

    Raises ConfigError when the warehouse recorded a key and the key file is missing or holds
    a different key: a new key silently gives the same people new pseudonyms, which breaks
    repeat-victim and re-offending matching across loads. None when nothing is recorded yet.
    """
    record = manifest.get(KEY_FIELD)
    path = key_path()
    _load_key.cache_clear()
    if not record:
        return None
    rotate = ('to start new pseudonyms deliberately, run: safecity warehouse rotate-key '
              '--reason "..." (see docs/configuration.md).')
    if not path.exists():
        raise ConfigError(
            f"The pseudonymisation key file {path} is missing, but the people in this warehouse "
            f"were pseudonymised with the key whose fingerprint is {record['fingerprint']} "
            f"(epoch {record['epoch']}); a new key would give them different pseudonyms.",
            fix=f"Restore the key file from your backup (or set SAFECITY_PSEUDONYM_KEY_FILE to "
                f"it); {rotate}")
    actual = fingerprint(_read_key(path))
    if actual != record["fingerprint"]:
        raise ConfigError(
            f"The pseudonymisation key in {path} (fingerprint {actual}) is not the key the "
            f"people in this warehouse were pseudonymised with (fingerprint "
            f"{record['fingerprint']}, epoch {record['epoch']}).",
            fix=f"Point SAFECITY_PSEUDONYM_KEY_FILE at the right key file; {rotate}")
    return record


def current_record(record: dict | None) -> dict | None:
    """The record to keep after an ingest: the existing one, or the key file's first record
    when a key exists (it was used, or made, by this ingest) and none was recorded."""
    if record:
        return record
    path = key_path()
    if not path.exists():
        return None
    import datetime as dt

    return {"fingerprint": fingerprint(_read_key(path)), "epoch": 1,
            "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "history": []}


def rotate_key(warehouse, reason: str) -> dict:
    """Replace the key file with a new random key and record a new key epoch in the manifest.

    Person keys already stored stay as they are: a keyed hash cannot be turned back into the
    identifier, so rows cannot be re-keyed (with or without the old key). Rows loaded after the
    rotation get keys of the new epoch, and the same person in rows of two epochs does not match.
    The old key is not kept. Returns the new record.
    """
    import datetime as dt

    reason = (reason or "").strip()
    if not reason:
        raise ConfigError("A key rotation needs a reason.",
                          fix='Add --reason "why the key is being replaced".')
    path = key_path()
    key = secrets.token_hex(32)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        with warehouse.transaction() as tx:
            old = tx.extra.get(KEY_FIELD)
            history = list(old.get("history", [])) if old else []
            if old:
                history.append({k: old[k] for k in ("fingerprint", "epoch", "since")}
                               | {"until": now, "reason": reason})
            record = {"fingerprint": fingerprint(bytes.fromhex(key)),
                      "epoch": (old["epoch"] + 1) if old else 1, "since": now,
                      "reason": reason, "history": history}
            tx.extra[KEY_FIELD] = record
            tx.touch()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # The manifest (the record of which key is in use) is written first; the key file follows.
    os.replace(tmp, path)
    _load_key.cache_clear()
    return record
