"""Password policy and hashing (argon2id). No composition rules: length plus a blocklist."""
from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
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


def make_hasher(profile: str) -> PasswordHasher:
    """A hasher with one of argon2's named profiles (tests use the cheap one)."""
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
