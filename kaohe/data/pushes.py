"""The bookkeeping of data pushes made with an ``Idempotency-Key``: the key is claimed before
the import, and the answer kept after it, so that a retry gets the first answer and writes
nothing. These are records of requests, not changes to anybody's data: the import itself is
an action, audited as every import is."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import IntegrityError, transaction

from .models import DataPush


class PushSeen(NamedTuple):
    push: DataPush
    new: bool  # False: the key was used before (or is in use now)


def claim_push(owner: Any, key: str, source: str, body_digest: str) -> PushSeen:
    """Claim the key for this push, or find the push that already holds it. The claim is
    committed at once, so a concurrent retry with the same key sees it."""
    try:
        with transaction.atomic():
            made = DataPush.objects.create(owner=owner, key=key, source=source,
                                           body_digest=body_digest)  # fmt: skip
        return PushSeen(made, True)
    except IntegrityError:
        return PushSeen(DataPush.objects.get(owner=owner, key=key), False)


def settle_push(push: DataPush, status: int, answer: dict[str, Any]) -> None:
    """Keep the answer a claimed push got, for its retries."""
    DataPush.objects.filter(pk=push.pk).update(status=status, answer=answer)


def release_push(push: DataPush) -> None:
    """Give the key back after a failure the caller may retry (the server's, not theirs)."""
    DataPush.objects.filter(pk=push.pk, status=0).delete()
