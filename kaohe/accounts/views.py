"""Sign-in, sign-out and password change, on Django's own views with kaohe's pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .actions import do_change_password
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
