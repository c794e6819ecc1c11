"""Who is calling: a personal access token (``Authorization: Bearer …``) or the browser's
session (with its CSRF token for writes). A token acts as its owner, within its scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from kaohe.accounts.passwords import must_change_password
from kaohe.audit.channel import acting_through_token
from kaohe.tokens import policy
from kaohe.tokens.actions import count_token_request, note_token_used
from kaohe.tokens.models import AccessToken
from kaohe.tokens.secret import digest_of

from .errors import RateLimited


class TokenAuth(HttpBearer):
    """``pushes_data``: the endpoints that push operational data, the only ones a data
    token may call; ``changes_nothing``: a POST that only reads, which a read token may
    make."""

    def __init__(self, *, pushes_data: bool = False, changes_nothing: bool = False) -> None:
        super().__init__()
        self.pushes_data = pushes_data
        self.changes_nothing = changes_nothing

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = AccessToken.objects.select_related("owner").filter(digest=digest_of(token)).first()
        if found is None or not found.usable_at(timezone.now()):
            return None  # 401, whatever the reason: unknown, revoked, expired
        method = request.method or "GET"
        allowed = policy.scope_allows(
            found.scope, method, pushes_data=self.pushes_data, changes_nothing=self.changes_nothing
        )
        if not allowed:
            raise HttpError(403, _("This token's scope (%(scope)s) does not allow this request.")
                            % {"scope": found.get_scope_display()})  # fmt: skip
        made, retry_after = count_token_request(found)
        if made > settings.API_REQUESTS_PER_MINUTE:
            raise RateLimited(retry_after)
        note_token_used(found)
        acting_through_token(found.name)
        request.user = found.owner
        request.api_token = found  # type: ignore[attr-defined]
        return found.owner


class ActiveSession(SessionAuth):
    """The signed-in browser session; writes need the CSRF token as the pages do."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "Authorization" in request.headers:
            return None  # a request that brings a token is judged by its token alone
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        if must_change_password(user):
            raise HttpError(403, _("Choose your own password on the password-change page first."))
        return user


def callers(*, pushes_data: bool = False, changes_nothing: bool = False) -> list[Any]:
    """The ways an endpoint may be called: a token first, then the session."""
    token = TokenAuth(pushes_data=pushes_data, changes_nothing=changes_nothing)
    return [token, ActiveSession()]
