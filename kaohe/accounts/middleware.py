"""Hold a person who signed in with a temporary password at the password-change page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .passwords import must_change_password

# What someone who must change their password may still reach.
_OPEN_URL_NAMES = ("password-change", "logout", "set_language", "healthz")


class PasswordChangeRequiredMiddleware:
    """Until the person has chosen their own password, every other request — a page, a form
    post, an htmx call — is answered with a redirect to the password-change page (which says
    why) and does nothing. Static files stay reachable, so that page looks right; the API
    answers for itself (a problem, not a redirect to a page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not self._open(request.path)
            and request.user.is_authenticated
            and must_change_password(request.user)
        ):
            target = reverse("password-change")
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith((settings.STATIC_URL, "/api/")) or path in {
            reverse(name) for name in _OPEN_URL_NAMES
        }
