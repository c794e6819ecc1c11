"""Whatever answers a request under ``/api/`` — the API, or Django before the API is
reached (an unknown address, a method an address does not take) — answers a problem; and
a body declared larger than the API takes is refused before a byte of it is read."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kaohe.audit.channel import request_scope

from .errors import PROBLEM, detail_for, problem

API_PREFIX = "/api/"
MAX_BODY_BYTES = 50 * 1024 * 1024  # the largest push; no other request comes near it


class ApiProblemsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if declared_size(request) > MAX_BODY_BYTES:
            return problem(413, _("A request to the API is at most 50 MB; send it in parts."))
        with request_scope():  # a token's name for the audit lasts this request only
            response = self.get_response(request)
        if response.status_code < 400:
            return response
        kind = response.get("Content-Type", "")
        if kind.startswith((PROBLEM, "application/json")):
            return response
        answer = problem(response.status_code, detail_for(response.status_code))
        if "Allow" in response:
            answer["Allow"] = response["Allow"]
        return answer


def declared_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
