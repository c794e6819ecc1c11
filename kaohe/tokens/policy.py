"""Who may hold and manage access tokens, and what a token lets through.

A token acts as its owner: whatever it reaches, the owner's policies decide. The scope only
narrows that: a read token makes no change, a data token only pushes operational data.
"""

from __future__ import annotations

from typing import Any

from kaohe.org.policy import Access

from .models import AccessToken, TokenScope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def can_hold_tokens(access: Access) -> bool:
    """Anybody signed in may make tokens for themselves: a token can do no more than they."""
    return bool(access.user.is_authenticated and access.user.is_active)


def may_create_token_for(actor: Any, owner: Any) -> bool:
    """Oneself, from the "My tokens" page; anybody, for the operator at the server's shell
    (no actor: ``kaohe token create``)."""
    if actor is None:
        return True
    return can_hold_tokens(Access(actor)) and actor.pk == owner.pk


def may_revoke_token(actor: Any, token: AccessToken) -> bool:
    """The owner, or the operator at the shell."""
    return actor is None or actor.pk == token.owner_id


def tokens_of(access: Access) -> Any:
    return AccessToken.objects.filter(owner=access.user)


def scope_allows(
    scope: str, method: str, *, pushes_data: bool = False, changes_nothing: bool = False
) -> bool:
    """Whether a token of this scope may make this request: a data token only the data
    push; a read token only reads (and posts that change nothing, such as a lint); a write
    token anything its owner may."""
    if scope == TokenScope.DATA:
        return pushes_data
    if scope == TokenScope.READ:
        return method in SAFE_METHODS or changes_nothing
    return scope == TokenScope.WRITE
