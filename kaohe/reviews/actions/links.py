"""Customers' one-time links: made by HR or the reviewee's managers, mailed or listed once
for SMS, answered without signing in as the ``customers`` group through the same anonymous
path as every other answer.

Only the SHA-256 digest of a token is stored: the token itself exists in the mail or the
list made at creation and nowhere in kaohe afterwards.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.org.policy import access_for

from .. import policy
from ..models import LINK_GROUP, CustomerLink, Review
from ._errors import ReviewRefused
from .answering import AnswerInput, clean_answer, store_response

logger = logging.getLogger(__name__)
LINK_DAYS = 14
MAX_LINKS = 200


@dataclass(frozen=True)
class LinkInput:
    contact: str  # a label the maker recognises: a name, a company
    email: str = ""  # mailed the link when given; otherwise listed for SMS


@dataclass(frozen=True)
class MadeLink:
    link: CustomerLink
    url: str  # shown once, at creation; never stored
    mailed: bool


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def public_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('review-link', args=[token])}"


def do_make_links(
    actor: Any, review_id: int, contacts: Sequence[LinkInput], language: str = "zh",
    days: int = LINK_DAYS,
) -> list[MadeLink]:  # fmt: skip
    if language not in CustomerLink.Language.values:
        raise ReviewRefused(_("Choose Chinese or English for the customers' page."))
    if not contacts or len(contacts) > MAX_LINKS:
        raise ReviewRefused(
            _("Give from 1 to %(count)d contacts, one a line.") % {"count": MAX_LINKS}
        )
    if not 1 <= days <= 60:
        raise ReviewRefused(_("A link lasts from 1 to 60 days."))
    for given in contacts:
        if not given.contact.strip():
            raise ReviewRefused(_("Each contact needs a name or label."))
        if given.email:
            try:
                validate_email(given.email)
            except Exception:
                raise ReviewRefused(
                    _("“%(email)s” is not an email address.") % {"email": given.email}
                ) from None
    with transaction.atomic(durable=True):
        review = (
            Review.objects.select_related("reviewee__department", "setup", "appraisal")
            .filter(pk=review_id).first()
        )  # fmt: skip
        access = access_for(actor)
        if review is None or not policy.can_view_review(access, review):
            raise PermissionDenied
        if not policy.may_make_links(access, review):
            raise PermissionDenied
        expires = timezone.now() + timedelta(days=days)
        made = []
        for given in contacts:
            token = secrets.token_urlsafe(32)
            link = CustomerLink.objects.create(
                review=review, digest=digest_of(token), contact=given.contact.strip()[:200],
                language=language, expires_at=expires, created_by=actor,
            )  # fmt: skip
            made.append(MadeLink(link, public_url(token), bool(given.email)))
        record(
            actor, "reviews.links", review,
            after={"links": len(made), "mailed": sum(m.mailed for m in made),
                   "expires": expires.date().isoformat()},
        )  # fmt: skip
        mails = [(m.url, e.email, language) for m, e in zip(made, contacts, strict=True) if e.email]
        if mails:
            name = review.reviewee.name
            transaction.on_commit(lambda: _mail_links(mails, name))
        return made


def _mail_links(mails: list[tuple[str, str, str]], reviewee: str) -> None:
    messages = []
    for url, address, language in mails:
        with translation.override("zh-hans" if language == "zh" else "en"):
            subject = _("A short rating of %(name)s's service") % {"name": reviewee}
            body = (
                _("We would value your view of %(name)s's service: five short questions, a "
                  "minute or two. The link works once and expires in %(days)d days.")
                % {"name": reviewee, "days": LINK_DAYS}
            )  # fmt: skip
        messages.append(EmailMessage(subject, f"{body}\n\n{url}\n", to=[address]))
    try:
        mailers.default.send_messages(messages)
    except Exception:  # the links stand; HR may list them again for SMS
        logger.exception("could not send %d customer-link mails", len(messages))


def link_for_token(token: str) -> CustomerLink | None:
    """The link a token opens, whatever its state; None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return (
        CustomerLink.objects.select_related("review__setup", "review__reviewee")
        .filter(digest=digest_of(token))
        .first()
    )


def link_usable(link: CustomerLink | None) -> bool:
    return (
        link is not None
        and link.used_on is None
        and link.expires_at > timezone.now()
        and link.review.state != Review.State.CLOSED
    )


def do_answer_by_link(token: str, given: AnswerInput) -> None:
    """A customer's answer: one anonymous response in the customers group; the link is
    used from then on. Refused alike for an unknown, expired or closed link."""
    with transaction.atomic(durable=True):
        link = link_for_token(token)
        if link is not None:
            link = (
                CustomerLink.objects.select_for_update()
                .select_related("review__setup", "review__reviewee")
                .get(pk=link.pk)
            )
        if not link_usable(link):
            raise PermissionDenied
        assert link is not None
        review = link.review
        answer = clean_answer(list(review.setup.questions.all()), given, complete=True)
        link.used_on = timezone.localdate()
        link.save(update_fields=["used_on"])
        store_response(review, LINK_GROUP, answer)
        record(None, "reviews.link_answer", review, after={"contact": link.contact})
