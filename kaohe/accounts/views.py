"""Sign-in, sign-out and password change, on Django's own views with kaohe's pages; and the
"My access tokens" page, where a person makes and revokes their tokens for the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.org.policy import access_for, requires

from . import policy
from .actions import do_change_password, do_create_token, do_revoke_token
from .forms import TokenForm
from .models import TokenScope
from .passwords import must_change_password


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            failure_limit=settings.SIGNIN_FAILURES_PER_ACCOUNT,
            cool_off_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            must_change=must_change_password(self.request.user), **kwargs
        )

    def form_valid(self, form: Any) -> HttpResponse:
        do_change_password(self.request.user, form)
        update_session_auth_hash(self.request, form.user)  # stay signed in here
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


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
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"  # a new token is on the page once
    return response


@requires(policy.can_hold_tokens)
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page first: scripts using the token stop working at once."""
    token = policy.tokens_of(access_for(request)).filter(pk=pk, revoked_at=None).first()
    if token is None:
        raise Http404
    if request.method != "POST":
        return render(request, "accounts/token_revoke.html", {"token": token})
    do_revoke_token(request.user, token)
    messages.success(request, gettext("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("my-tokens")
