"""The "My access tokens" page: a person's own tokens for the API, made and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from kaohe.org.policy import access_for, requires

from . import policy
from .actions import do_create_token, do_revoke_token
from .forms import TokenForm
from .models import TokenScope


def _rows(request: HttpRequest) -> list[dict[str, object]]:
    now = timezone.now()
    rows = []
    for token in policy.tokens_of(access_for(request)):
        if token.revoked_at is not None:
            state = gettext("revoked")
        elif token.expires_at is not None and token.expires_at <= now:
            state = gettext("expired")
        else:
            state = gettext("valid")
        rows.append({"token": token, "state": state, "usable": token.usable_at(now)})
    return rows


@requires(policy.can_hold_tokens)
def my_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        made = do_create_token(
            request.user,
            request.user,
            form.cleaned_data["name"],
            TokenScope(form.cleaned_data["scope"]),
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = TokenForm()
    context = {"form": form, "made": made, "rows": _rows(request)}
    response = render(request, "tokens/tokens.html", context)
    response["Cache-Control"] = "no-store"  # a new token is on the page once
    return response


@requires(policy.can_hold_tokens)
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page first: scripts using the token stop working at once."""
    token = policy.tokens_of(access_for(request)).filter(pk=pk, revoked_at=None).first()
    if token is None:
        raise Http404
    if request.method != "POST":
        return render(request, "tokens/token_revoke.html", {"token": token})
    do_revoke_token(request.user, token)
    messages.success(request, gettext("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("my-tokens")
