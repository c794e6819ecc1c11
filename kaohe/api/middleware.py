"""Whatever answers a request under ``/api/`` — the API, or Django before the API is
reached (an unknown address, a method an address does not take) — answers a problem; and
a body declared larger than the API takes is refused before a byte of it is read; and text
holding the NUL character, which no database column may store (PostgreSQL refuses it), is
refused naming the field before any endpoint sees it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

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
        if fields := nul_fields(request):
            detail = _("The request has %(count)d invalid field(s).") % {"count": len(fields)}
            return problem(422, detail, errors=fields)
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


NUL = "\x00"


def nul_fields(request: HttpRequest) -> list[dict[str, str]]:
    """Each query parameter and JSON body field whose text holds a NUL character."""
    reason = _("Text may not contain the NUL character (U+0000).")
    found = [
        {"field": name, "in": "query", "reason": reason}
        for name, values in request.GET.lists()
        if NUL in name or any(NUL in value for value in values)
    ]
    if request.content_type == "application/json":
        body = request.body
        if b"\\u0000" in body or NUL.encode() in body:
            try:
                data = json.loads(body)
            except ValueError:
                data = None  # the API answers an unreadable body itself
            found += [{"field": field, "in": "body", "reason": reason} for field in _nul_in(data)]
    return found


def _nul_in(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield where
            else:
                yield from _nul_in(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_in(item, f"{path}.{index}" if path else str(index))
