"""Answering an assignment: drafts (kept on the assignment, with its rater) and the
submission, which writes one anonymous response.

The submission, in one transaction: the response row (random key, the review, the group,
the levels, the comment, the day), the assignment marked answered with the day, the draft
deleted, the audit row naming the rater and the review but nothing of the answer — and then
every response of the review rewritten in random order, so that the table's physical order
says nothing of which is newest.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.org.policy import access_for

from .. import policy
from ..models import LEVELS, Assignment, Question, Response, Review
from ._errors import ReviewRefused

COMMENT_LIMIT = 2000


@dataclass(frozen=True)
class AnswerInput:
    """Question key → 1..5, None for "unable to judge"; a key left out is unanswered."""

    levels: Mapping[str, int | None] = field(default_factory=dict)
    comment: str = ""


def clean_answer(questions: list[Question], given: AnswerInput, *, complete: bool) -> AnswerInput:
    """The answer checked against the questions: known keys, levels 1–5 or None, and —
    for a submission — every question answered (a level, or unable to judge)."""
    keys = {q.key for q in questions}
    unknown = set(given.levels) - keys
    if unknown:
        raise ReviewRefused(_("The answer names questions this review does not have."))
    for level in given.levels.values():
        if level is not None and level not in LEVELS:
            raise ReviewRefused(_("Each answer is a level from 1 to 5, or unable to judge."))
    if complete:
        missing = [q for q in questions if q.key not in given.levels]
        if missing:
            raise ReviewRefused(
                _("Answer every question (or choose “unable to judge”): %(count)d left.")
                % {"count": len(missing)}
            )
    comment = given.comment.strip()
    if comment and not any(q.comment_allowed for q in questions):
        raise ReviewRefused(_("This review takes no comment."))
    if len(comment) > COMMENT_LIMIT:
        raise ReviewRefused(
            _("The comment is too long: at most %(limit)d characters.") % {"limit": COMMENT_LIMIT}
        )
    ordered = {q.key: given.levels[q.key] for q in questions if q.key in given.levels}
    return AnswerInput(ordered, comment)


def do_save_draft(actor: Any, assignment_id: int, given: AnswerInput) -> Assignment:
    """Keep the rater's answers so far; nothing is counted until they submit. Not audited
    with its content: a draft is the rater's own, and the audit row would tie it to them."""
    with transaction.atomic(durable=True):
        assignment = _mine_to_answer(actor, assignment_id)
        answer = clean_answer(list(assignment.review.setup.questions.all()), given,
                              complete=False)  # fmt: skip
        assignment.draft_levels = dict(answer.levels)
        assignment.draft_comment = answer.comment
        assignment.save(update_fields=["draft_levels", "draft_comment"])
        record(actor, "reviews.draft", assignment.review, after={"rater": assignment.rater.name})
        return assignment


def do_submit(actor: Any, assignment_id: int, given: AnswerInput) -> None:
    """Submit the answer: one anonymous response; returns nothing that leads to it."""
    with transaction.atomic(durable=True):
        assignment = _mine_to_answer(actor, assignment_id)
        review = assignment.review
        answer = clean_answer(list(review.setup.questions.all()), given, complete=True)
        assignment.answered, assignment.answered_on = True, timezone.localdate()
        assignment.draft_levels, assignment.draft_comment = None, ""
        assignment.save(update_fields=["answered", "answered_on", "draft_levels",
                                       "draft_comment"])  # fmt: skip
        store_response(review, assignment.group, answer)
        record(actor, "reviews.submit", review,
               after={"rater": assignment.rater.name, "answered": True})  # fmt: skip


def store_response(review: Review, group: str, answer: AnswerInput) -> None:
    """Write the response and shuffle the review's rows; the caller's transaction holds.
    The review's row is locked first, so that two submissions to one review take turns
    rather than re-inserting each other's rows."""
    Review.objects.select_for_update().filter(pk=review.pk).values_list("pk", flat=True).first()
    Response.objects.create(
        id=uuid.uuid4(), review=review, group=group, levels=dict(answer.levels),
        comment=answer.comment,
    )  # fmt: skip
    _reshuffle(review)


def _reshuffle(review: Review) -> None:
    rows = list(Response.objects.filter(review=review))
    random.SystemRandom().shuffle(rows)
    Response.objects.filter(review=review).delete()
    Response.objects.bulk_create(
        [
            Response(id=row.id, review_id=review.pk, group=row.group, levels=row.levels,
                     comment=row.comment)
            for row in rows
        ]
    )  # fmt: skip


def _mine_to_answer(actor: Any, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("review__setup", "review__reviewee", "rater")
        .filter(pk=assignment_id)
        .first()
    )
    access = access_for(actor)
    if assignment is None or not policy.is_my_assignment(access, assignment):
        raise PermissionDenied
    if not policy.may_answer(access, assignment):
        if assignment.answered:
            raise ReviewRefused(_("You have submitted this review already; it cannot be changed."))
        raise ReviewRefused(_("This review is not open for answers."))
    return assignment
