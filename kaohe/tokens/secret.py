"""Making a token and the digest kept of it."""

from __future__ import annotations

import hashlib
import secrets

# Marks kaohe's tokens, so that secret scanners and people can recognise a leaked one.
TOKEN_MARK = "kh_"
PREFIX_LENGTH = len(TOKEN_MARK) + 6


def new_token() -> str:
    """A token of 256 random bits."""
    return TOKEN_MARK + secrets.token_urlsafe(32)


def digest_of(token: str) -> str:
    """What is stored and looked up: a random token needs no salt or slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()
