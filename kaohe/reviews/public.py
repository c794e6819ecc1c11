"""The customer's page behind a one-time link, ``/r/<token>/``: no sign-in, the link's
language, its own bare layout with no link into the app.

An unknown token gets the same page (and status, 410) as an expired one, so guessing
learns nothing; a used link says it was used. Tries are limited per link and per client
address (Django's cache, keyed by digests, never by the token): past the limit, a 429 page.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from kaohe.accounts.lockout import client_address

from .actions import ReviewRefused, do_answer_by_link, link_for_token
from .actions.links import digest_of, link_usable
from .forms import answer_choices, answer_from
from .models import CustomerLink

HOUR = 3600
TRIES_PER_LINK = 10  # an hour, for one link: a customer re-opening it now and then
TRIES_PER_ADDRESS = 30  # an hour, from one address: an office of customers, not a guesser


def _over_limit(key: str, limit: int) -> bool:
    """Count one try under ``key`` for an hour; whether it is past the limit."""
    cache.add(key, 0, HOUR)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        tries = 1
    return tries > limit


def _limited(request: HttpRequest, token: str) -> bool:
    address = client_address(request) or "unknown"
    address_key = "reviews:addr:" + hashlib.sha256(address.encode()).hexdigest()
    link_key = "reviews:link:" + digest_of(token)
    # Both counted every time, so that neither can be spent without the other.
    over_address = _over_limit(address_key, TRIES_PER_ADDRESS)
    over_link = _over_limit(link_key, TRIES_PER_LINK)
    return over_address or over_link


def _page(
    request: HttpRequest, template: str, context: dict, status: int, lang: str
) -> HttpResponse:  # type: ignore[type-arg]
    with translation.override("zh-hans" if lang == "zh" else "en"):
        response = render(request, template, {**context, "lang": lang}, status=status)
    response["Cache-Control"] = "no-store"
    # The token is in the address: never sent to another site. Same-origin, not no-referrer,
    # so that the answer form still carries its origin for the CSRF check.
    response["Referrer-Policy"] = "same-origin"
    return response


def _gone(request: HttpRequest, link: CustomerLink | None) -> HttpResponse:
    """Used, or expired — and an unknown token reads exactly like an expired link."""
    lang = link.language if link is not None else "zh"
    used = link is not None and link.used_on is not None
    return _page(request, "reviews/public_gone.html", {"used": used}, 410, lang)


@never_cache
@csrf_protect
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request, token):
        return _page(request, "reviews/public_limited.html", {}, 429, "zh")
    link = link_for_token(token)
    if not link_usable(link):
        return _gone(request, link)
    assert link is not None
    questions = list(link.review.setup.questions.all())
    given = None
    if request.method == "POST":
        given = answer_from(request.POST, questions)
        try:
            with translation.override("zh-hans" if link.language == "zh" else "en"):
                do_answer_by_link(token, given)
        except PermissionDenied:
            return _gone(request, link_for_token(token))
        except ReviewRefused as refused:
            return _form(request, link, questions, given, str(refused))
        return _page(request, "reviews/public_thanks.html", {}, 200, link.language)
    return _form(request, link, questions, given, "")


def _form(request, link, questions, given, error):  # type: ignore[no-untyped-def]
    with translation.override("zh-hans" if link.language == "zh" else "en"):
        choices = answer_choices(questions, dict(given.levels) if given else None)
        takes_comment = any(q.comment_allowed for q in questions)
    context = {
        "name": link.review.reviewee.name,
        "choices": choices,
        "comment": given.comment if given else "",
        "takes_comment": takes_comment,
        "error": error,
    }
    return _page(request, "reviews/public_answer.html", context, 400 if error else 200,
                 link.language)  # fmt: skip
