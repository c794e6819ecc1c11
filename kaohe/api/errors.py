"""Every error as ``application/problem+json`` (RFC 9457): status, title, detail, and for a
validation error the fields at fault — never an HTML page, never a traceback."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM = "application/problem+json"
NINJA_UNREADABLE = "Cannot parse request body"
logger = logging.getLogger("kaohe.api")


class ValidationProblem(HttpError):
    """Input the API checked itself (beyond the request's shape) and refused: a 422 listing
    each field at fault, like a validation error."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(
            422, _("The request has %(count)d invalid field(s).") % {"count": len(errors)}
        )
        self.errors = errors


class RateLimited(Exception):
    """A token made more requests this minute than it may."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def problem(status: int, detail: str, **extra: Any) -> HttpResponse:
    """An answer of this status, worded in the request's language."""
    body = {"type": "about:blank", "status": status, "title": _title(status), "detail": detail}
    content = json.dumps({**body, **extra}, ensure_ascii=False, default=str)
    return HttpResponse(content, status=status, content_type=PROBLEM)


def detail_for(status: int) -> str:
    """What to say of a status when nothing more is known (Django answered it, not the API)."""
    details = {
        404: _("There is nothing here, or you may not see it."),
        405: _("This address does not take that method."),
    }
    return str(details.get(status, _title(status)))


def _title(status: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Conflict"),
        413: _("Too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }
    return str(titles.get(status, HTTPStatus(status).phrase))


def install(api: NinjaAPI) -> None:
    """Answer every kind of failure as a problem."""

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        fields = [_field_problem(e) for e in error.errors]
        detail = _("The request has %(count)d invalid field(s).") % {"count": len(fields)}
        return problem(422, detail, errors=fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        detail = _("Sign in, or send a valid access token: Authorization: Bearer <token>.")
        response = problem(401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="kaohe"'
        return response

    @api.exception_handler(RateLimited)
    def too_many(request: HttpRequest, error: RateLimited) -> HttpResponse:
        detail = _(
            "This token made more than %(limit)d requests this minute; try again in "
            "%(seconds)d seconds."
        ) % {"limit": settings.API_REQUESTS_PER_MINUTE, "seconds": error.retry_after}
        response = problem(429, detail)
        response["Retry-After"] = str(error.retry_after)
        return response

    @api.exception_handler(HttpError)
    def refused(request: HttpRequest, error: HttpError) -> HttpResponse:
        if isinstance(error, ValidationProblem):
            return problem(422, str(error), errors=error.errors)
        if error.status_code == 400 and str(error).startswith(NINJA_UNREADABLE):
            return problem(400, _("The body cannot be read as JSON."))  # ninja's, in English
        return problem(error.status_code, str(error))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return problem(403, str(error) or _("You may not do this."))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, error: Http404) -> HttpResponse:
        return problem(404, detail_for(404))

    @api.exception_handler(Exception)
    def failed(request: HttpRequest, error: Exception) -> HttpResponse:
        logger.exception("API request failed: %s %s", request.method, request.path)
        return problem(500, _("Something went wrong on the server; it is logged."))


def _field_problem(error: dict[str, Any]) -> dict[str, str]:
    # ninja's location starts with where the value came from ("body", "query", "path").
    path = [str(part) for part in error.get("loc", ())]
    return {
        "field": ".".join(path[1:] or path),
        "in": path[0] if path else "",
        "reason": str(error.get("msg", "")),
    }
