"""``/api/v1/reviews/…``: 360 reviews as their pages show and run them.

Nothing here returns a rater reference for an answer: an assignment is the caller's own
(who was asked, whether answered), progress is one count of answered of asked, and results
— only once the review is closed — are exactly the page's aggregated figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.appraisals.models import Cycle
from kaohe.org.models import Employee
from kaohe.org.policy import access_for
from kaohe.reviews import policy
from kaohe.reviews.actions import (
    AnswerInput,
    ReviewRefused,
    do_assign,
    do_close_reviews,
    do_decline,
    do_nominate,
    do_save_draft,
    do_start_reviews,
    do_submit,
)
from kaohe.reviews.models import AUTOMATIC_GROUPS, Assignment, Review
from kaohe.reviews.results import Progress, progress, progress_of_each, results_data

router = Router(tags=["reviews"])


class ReviewOut(Schema):
    id: int
    employee: str  # the reviewee's employee number
    name: str
    cycle: str
    state: str  # nominating, open or closed
    deadline: date
    answered: int  # over every group together
    asked: int


class ReviewTaskOut(Schema):
    """One of the caller's own assignments (never anyone else's)."""

    id: int
    review: int
    employee: str  # whom to review
    name: str
    group: str
    status: str  # proposed, asked or declined
    deadline: date
    answered: bool
    draft: dict[str, int | None] | None  # the caller's own draft, until they submit
    comment: str


class ReviewListOut(Schema):
    to_answer: list[ReviewTaskOut]
    mine: list[ReviewOut]
    others: list[ReviewOut]


class ReviewNominationOut(Schema):
    employee: str
    name: str
    group: str
    status: str


class ReviewCellOut(Schema):
    question: str
    mean: str
    count: int


class ReviewGroupOut(Schema):
    group: str  # a rater group, or "others" for small groups merged
    label: str
    members: list[str]
    responses: int
    cells: list[ReviewCellOut]
    comments: list[str]


class ReviewHiddenOut(Schema):
    group: str
    label: str


class ReviewBlindSpotOut(Schema):
    question: str
    text: str
    own: int  # the reviewee's own level
    others: str
    gap: str


class ReviewFedOut(Schema):
    input: str
    label: str
    value: str | None
    counted: list[str]
    responses: int


class ReviewResultsOut(Schema):
    groups: list[ReviewGroupOut]
    hidden: list[ReviewHiddenOut]
    blind_spots: list[ReviewBlindSpotOut]
    inputs: list[ReviewFedOut]


class ReviewDetailOut(ReviewOut):
    nominations: list[ReviewNominationOut] | None = Field(
        None, description="Peers and partners nominated: for the reviewee, manager and HR."
    )
    not_answered: list[ReviewNominationOut] | None = Field(
        None, description="Who has not answered yet: for HR, to remind them."
    )
    results: ReviewResultsOut | None = Field(None, description="Only once the review is closed.")


def _review_out(review: Review, shown: Progress | None = None) -> ReviewOut:
    shown = shown or progress(review)
    return ReviewOut(
        id=review.pk, employee=review.reviewee.number, name=review.reviewee.name,
        cycle=review.cycle.name, state=review.state, deadline=review.deadline,
        answered=shown.answered, asked=shown.asked,
    )  # fmt: skip


def _task_out(a: Assignment) -> ReviewTaskOut:
    return ReviewTaskOut(
        id=a.pk, review=a.review_id, employee=a.review.reviewee.number,
        name=a.review.reviewee.name, group=a.group, status=a.status,
        deadline=a.review.deadline, answered=a.answered, draft=a.draft_levels,
        comment=a.draft_comment,
    )  # fmt: skip


def _nomination(a: Assignment) -> ReviewNominationOut:
    return ReviewNominationOut(employee=a.rater.number, name=a.rater.name, group=a.group,
                         status=a.status)  # fmt: skip


def _visible(request: HttpRequest, review_id: int) -> Review:
    review = (
        Review.objects.select_related("reviewee", "reviewee__department", "cycle", "appraisal",
                                      "setup__version")
        .filter(pk=review_id).first()
    )  # fmt: skip
    if review is None or not policy.can_view_review(access_for(request), review):
        raise Http404
    return review


def _mine(request: HttpRequest, assignment_id: int) -> Assignment:
    found = (
        Assignment.objects.select_related("review__reviewee", "review__cycle")
        .filter(pk=assignment_id).first()
    )  # fmt: skip
    if found is None or not policy.is_my_assignment(access_for(request), found):
        raise Http404
    return found


def _acting(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied:
        raise HttpError(403, str(_not_allowed())) from None
    except ReviewRefused as refused:
        raise HttpError(409, str(refused)) from None


def _not_allowed() -> str:
    from django.utils.translation import gettext as _

    return _("You may not do this to this review.")


@router.get(
    "/reviews",
    response=ReviewListOut,
    summary="Reviews to answer, the caller's own, and those they see as manager or HR",
)
def reviews(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_open_reviews(access):
        raise PermissionDenied
    me = access.employee
    visible = list(policy.reviews_in_view(access)[:500])
    counts = progress_of_each(visible)
    mine = [r for r in visible if me is not None and r.reviewee_id == me.pk]
    return ReviewListOut(
        to_answer=[_task_out(a) for a in policy.my_assignments(access)[:500]],
        mine=[_review_out(r, counts[r.pk]) for r in mine],
        others=[_review_out(r, counts[r.pk]) for r in visible if r not in mine],
    )


@router.get("/reviews/{review_id}", response=ReviewDetailOut, summary="One 360 review")
def review(request: HttpRequest, review_id: int) -> Any:
    found = _visible(request, review_id)
    access = access_for(request)
    shown = ReviewDetailOut(**_review_out(found).dict())
    assignments = list(found.assignments.select_related("rater"))
    if policy.can_see_nominations(access, found):
        shown.nominations = [_nomination(a) for a in assignments
                             if a.group not in AUTOMATIC_GROUPS]  # fmt: skip
    if policy.can_see_who_has_not_answered(access, found):
        waiting = [a for a in assignments if a.status == Assignment.Status.ASKED]
        shown.not_answered = [_nomination(a) for a in waiting if not a.answered]
    if policy.can_see_results(access, found):
        shown.results = ReviewResultsOut(**results_data(found))
    return shown


class ReviewNominationIn(Schema):
    group: str = Field(..., description="peers or partners (HR: any group but self)")
    raters: list[str] = Field(..., description="Employee numbers")


@router.post(
    "/reviews/{review_id}/nominations",
    response={201: list[ReviewNominationOut]},
    summary="Nominate raters (the reviewee) or ask them directly (the manager, HR)",
)
def nominate(request: HttpRequest, review_id: int, body: ReviewNominationIn) -> Any:
    found = _visible(request, review_id)
    access = access_for(request)
    numbers = dict(Employee.objects.filter(number__in=body.raters).values_list("number", "pk"))
    missing = [n for n in body.raters if n not in numbers]
    if missing:
        raise HttpError(409, f"{', '.join(missing)}: " + _unknown())
    ids = [numbers[n] for n in body.raters]
    if policy.may_nominate(access, found):
        made = _acting(lambda: do_nominate(request.user, found.pk, body.group, ids))
    else:
        made = _acting(lambda: do_assign(request.user, found.pk, body.group, ids))
    return Status(201, [_nomination(a) for a in made])


def _unknown() -> str:
    from django.utils.translation import gettext as _

    return _("no active person has this employee number.")


class ReviewDeclineIn(Schema):
    reason: str = Field(..., description="Read by HR only; the nominator hears you declined.")


@router.post(
    "/assignments/{assignment_id}/decline",
    response=ReviewTaskOut,
    summary="Decline one of the caller's review assignments, with a reason",
)
def decline(request: HttpRequest, assignment_id: int, body: ReviewDeclineIn) -> Any:
    found = _mine(request, assignment_id)
    return _task_out(_acting(lambda: do_decline(request.user, found.pk, body.reason)))


class ReviewAnswerIn(Schema):
    levels: dict[str, int | None] = Field(
        default_factory=dict,
        description="Question id → level 1–5, or null for unable to judge; a question "
        "left out is unanswered (a submission answers every question).",
    )
    comment: str = ""


@router.put(
    "/assignments/{assignment_id}/draft",
    response=ReviewTaskOut,
    summary="Keep a draft of the caller's answer; nothing counts until it is submitted",
)
def draft(request: HttpRequest, assignment_id: int, body: ReviewAnswerIn) -> Any:
    found = _mine(request, assignment_id)
    given = AnswerInput(body.levels, body.comment)
    return _task_out(_acting(lambda: do_save_draft(request.user, found.pk, given)))


class ReviewSubmittedOut(Schema):
    review: int
    answered: bool


@router.post(
    "/assignments/{assignment_id}/submit",
    response=ReviewSubmittedOut,
    summary="Submit the caller's answer: stored without them, it cannot be changed",
)
def submit(request: HttpRequest, assignment_id: int, body: ReviewAnswerIn) -> Any:
    found = _mine(request, assignment_id)
    given = AnswerInput(body.levels, body.comment)
    _acting(lambda: do_submit(request.user, found.pk, given))
    return ReviewSubmittedOut(review=found.review_id, answered=True)


class StartReviewsIn(Schema):
    deadline: date
    employees: list[str] = Field(
        default_factory=list, description="Employee numbers; empty for every appraisal."
    )


@router.post(
    "/cycles/{cycle_id}/reviews",
    response={201: list[ReviewOut]},
    summary="Start 360 reviews for a cycle's appraisals whose scheme has a setup (HR)",
)
def start(request: HttpRequest, cycle_id: int, body: StartReviewsIn) -> Any:
    access = access_for(request)
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None or not policy.can_configure_reviews(access):
        raise Http404
    ids = list(Employee.objects.filter(number__in=body.employees).values_list("pk", flat=True))
    if body.employees and len(ids) != len(set(body.employees)):
        raise HttpError(409, _unknown())
    made = _acting(lambda: do_start_reviews(request.user, cycle.pk, body.deadline, ids))
    return Status(201, [_review_out(r) for r in made])


@router.post(
    "/reviews/{review_id}/close",
    response=ReviewOut,
    summary="Close the review stage and release the results (HR in scope)",
)
def close(request: HttpRequest, review_id: int) -> Any:
    found = _visible(request, review_id)
    _acting(lambda: do_close_reviews(request.user, [found.pk]))
    return _review_out(_visible(request, review_id))
