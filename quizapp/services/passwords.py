"""Password policy and hashing (argon2id). No composition rules: length plus a blocklist."""
from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError

MAX_LENGTH = 128  # argon2 takes any length; this only bounds the work per request
_BLOCKLIST_FILE = Path(__file__).with_name("common-passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = _BLOCKLIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def password_problem(password: str, *, min_length: int, email: str = "") -> str | None:
    """The code of the first rule the password breaks, or None when it is acceptable.

    Codes: too_short, too_long, common, like_email.
    """
    if len(password) < min_length:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    folded = _folded(password)
    if folded in common_passwords() or len(set(folded)) == 1:
        return "common"
    email = _folded(email)
    if email and folded in {email, email.partition("@")[0]}:
        return "like_email"
    return None


# OWASP's Password Storage Cheat Sheet: "Argon2id with a minimum configuration of 19 MiB of
# memory, an iteration count of 2, and 1 degree of parallelism". About 20 ms of one core per
# hash here, against about 200 ms of both cores for RFC 9106's low-memory profile (64 MiB,
# t = 3, p = 4), which made a class logging in at once queue behind the hashes (docs/deploy.md).
OWASP_MINIMUM = Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2,
                           memory_cost=19 * 1024, parallelism=1)
PROFILES = {"OWASP_MINIMUM": OWASP_MINIMUM}


def make_hasher(profile: str) -> PasswordHasher:
    """A hasher with the OWASP minimum or one of argon2's named profiles (tests use the cheap
    one). Hashes made with another profile still verify, and are rehashed at the next log-in."""
    return PasswordHasher.from_parameters(PROFILES.get(profile) or getattr(profiles, profile))


def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
