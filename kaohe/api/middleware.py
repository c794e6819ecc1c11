"""Whatever answers a request under ``/api/`` — the API, or Django before the API is
reached (an unknown address, a method an address does not take) — answers a problem."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kaohe.audit.channel import request_scope

from .errors import PROBLEM, detail_for, problem

API_PREFIX = "/api/"


class ApiProblemsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
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
