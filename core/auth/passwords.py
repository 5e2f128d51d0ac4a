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
# zxcvbn scores 0–4; below 2 is a password from the common lists or a keyboard
# pattern ("Aa123456", "qwerty123"), guessed in seconds offline (#13).
MIN_SCORE = 2


def password_problem(password: str, *, inputs: tuple[str, ...] = ()) -> str | None:
    """Why `password` is refused (too short, or common and easy to guess), else None.

    `inputs`: the user's own words (login, name) that make a password weaker.
    """
    from zxcvbn import zxcvbn  # a maintained estimator with the common-password lists

    from core.i18n import _

    if len(password) < MIN_LENGTH:
        return _("At least {count} characters.").format(count=MIN_LENGTH)
    if zxcvbn(password[:100], user_inputs=[i for i in inputs if i])["score"] < MIN_SCORE:
        return _("This password is too common or too easy to guess: add a few words or "
                 "characters that do not follow a pattern.")
    return None


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
