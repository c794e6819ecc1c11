"""The rater's pages: the "to review" inbox, the answer page (one tap per question, draft or
submit), the confirmation before submitting, and declining."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.org.policy import access_for, requires

from . import policy
from .actions import AnswerInput, ReviewRefused, do_decline, do_save_draft, do_submit
from .forms import answer_choices, answer_from
from .models import Assignment

NO_STORE = "no-store"


def _mine(request: HttpRequest, pk: int) -> Assignment:
    """The user's own assignment; anyone else's is a 404 like one that does not exist."""
    assignment = (
        Assignment.objects.select_related("review__reviewee", "review__cycle", "review__setup")
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not policy.is_my_assignment(access_for(request), assignment):
        raise Http404
    return assignment


@requires(policy.can_open_reviews)
def inbox(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    assignments = list(policy.my_assignments(access).order_by("answered", "review__deadline"))
    rows = [(a, policy.may_answer(access, a), policy.may_decline(access, a)) for a in assignments]
    response = render(request, "reviews/inbox.html", {"rows": rows})
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _mine(request, pk)
    access = access_for(request)
    questions = list(assignment.review.setup.questions.all())
    if request.method == "POST":
        given = answer_from(request.POST, questions)
        try:
            do_save_draft(request.user, assignment.pk, given)
        except ReviewRefused as refused:
            messages.error(request, str(refused))
            return _answer_page(request, assignment, questions, given)
        except PermissionDenied:
            raise Http404 from None
        if "submit" in request.POST:
            return redirect("reviews-confirm", pk=assignment.pk)
        messages.success(request, _("Draft saved. Nothing counts until you submit."))
        return redirect("reviews-answer", pk=assignment.pk)
    if not policy.may_answer(access, assignment):
        return render(request, "reviews/answered.html", {"assignment": assignment})
    draft = AnswerInput(assignment.draft_levels or {}, assignment.draft_comment)
    return _answer_page(request, assignment, questions, draft)


def _answer_page(request, assignment, questions, given):  # type: ignore[no-untyped-def]
    context = {
        "assignment": assignment,
        "review": assignment.review,
        "choices": answer_choices(questions, dict(given.levels)),
        "comment": given.comment,
        "takes_comment": any(q.comment_allowed for q in questions),
    }
    response = render(request, "reviews/answer.html", context)
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Submitting asks once more: a submitted answer cannot be changed or withdrawn."""
    assignment = _mine(request, pk)
    access = access_for(request)
    if not policy.may_answer(access, assignment):
        return redirect("reviews-answer", pk=assignment.pk)
    questions = list(assignment.review.setup.questions.all())
    draft = AnswerInput(assignment.draft_levels or {}, assignment.draft_comment)
    if request.method == "POST":
        try:
            do_submit(request.user, assignment.pk, draft)
        except ReviewRefused as refused:
            messages.error(request, str(refused))
            return redirect("reviews-answer", pk=assignment.pk)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("Thank you: your answer is submitted, without your name."))
        return redirect("reviews-inbox")
    missing = [q for q in questions if q.key not in draft.levels]
    context = {
        "assignment": assignment,
        "choices": answer_choices(questions, dict(draft.levels)),
        "comment": draft.comment,
        "missing": len(missing),
    }
    response = render(request, "reviews/confirm.html", context)
    response["Cache-Control"] = NO_STORE
    return response


@require_POST
@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _mine(request, pk)
    try:
        do_decline(request.user, assignment.pk, request.POST.get("reason", ""))
    except ReviewRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("You declined; HR reads your reason, the nominator only "
                                    "hears that you declined."))  # fmt: skip
    return redirect("reviews-inbox")
