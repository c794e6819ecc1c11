"""Making and revoking access tokens, each audited in the transaction that writes it; and
the bookkeeping of a token's use (its last use, its requests this minute), which is not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kaohe.audit.models import record

from . import policy
from .models import AccessToken, TokenMinute, TokenScope
from .secret import PREFIX_LENGTH, digest_of, new_token

MAX_EXPIRY_DAYS = 3650


class NewToken(NamedTuple):
    token: AccessToken
    secret: str  # shown once, never stored


def do_create_token(
    actor: Any,
    owner: Any,
    name: str,
    scope: TokenScope,
    *,
    expires_in_days: int | None = None,
) -> NewToken:
    """A new token for ``owner``; ``expires_in_days`` None for one that never expires."""
    if not policy.may_create_token_for(actor, owner):
        raise PermissionDenied
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValueError(expires_in_days)
    secret = new_token()
    now = timezone.now()
    expires_at = None if expires_in_days is None else now + timedelta(days=expires_in_days)
    with transaction.atomic(durable=True):
        token = AccessToken.objects.create(
            owner=owner,
            name=name.strip(),
            scope=scope,
            prefix=secret[:PREFIX_LENGTH],
            digest=digest_of(secret),
            expires_at=expires_at,
        )
        record(actor, "token.create", token, after=_state(token))
    return NewToken(token, secret)


def do_revoke_token(actor: Any, token: AccessToken) -> bool:
    """Revoke the token; False when it already was."""
    if not policy.may_revoke_token(actor, token):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        token = AccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return False
        before = _state(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "token.revoke", token, before=before, after=_state(token))
    return True


def _state(token: AccessToken) -> dict[str, object]:
    return {
        "name": token.name,
        "scope": str(token.scope),
        "owner": token.owner.username,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


# A token's last use is bookkeeping, not a change to anybody's record: it is not audited,
# and it is written at most once a minute per token so that a busy script costs no write
# per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def note_token_used(token: AccessToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def count_token_request(token: AccessToken) -> tuple[int, int]:
    """Count one more request of this token in the current minute, for its rate limit.
    Returns the requests made this minute, this one included, and the seconds until the
    next minute begins. Bookkeeping like the last use: not audited."""
    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    counted = TokenMinute.objects.filter(token=token, minute=minute)
    if not counted.update(requests=F("requests") + 1):
        try:
            with transaction.atomic():
                TokenMinute.objects.create(token=token, minute=minute, requests=1)
        except IntegrityError:  # another worker began the minute first
            counted.update(requests=F("requests") + 1)
        else:
            TokenMinute.objects.filter(token=token, minute__lt=minute).delete()
    made = counted.values_list("requests", flat=True).first() or 1
    return made, 60 - now.second
