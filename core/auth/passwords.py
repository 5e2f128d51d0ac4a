"""Password hashing with Argon2id (argon2-cffi)."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """Verified against when the login is unknown, so both answers cost the same
    (made at the first sign-in, not at start-up)."""
    return _hasher.hash("kehu-no-such-user")


MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` (salted; the clear text is never stored)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an absent hash still costs one verification."""
    try:
        return _hasher.verify(password_hash or _dummy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
