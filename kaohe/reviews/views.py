"""360 review pages: the overview, one review (progress, nominations, HR's running of it,
customer links), closing, and the released results with their CSV export. Views look up,
ask the policy, call an action, render; every figure comes from ``results``."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.appraisals import policy as appraisals_policy
from kaohe.org.models import Employee
from kaohe.org.policy import access_for, requires
from kaohe.tabular import SafeWriter

from . import policy
from .actions import (
    LinkInput,
    ReviewRefused,
    do_assign,
    do_close_reviews,
    do_decide_nomination,
    do_make_links,
    do_nominate,
    do_open_review,
    do_remind,
    do_start_reviews,
)
from .models import AUTOMATIC_GROUPS, LINK_GROUP, NOMINATED_GROUPS, Assignment, Review
from .results import progress, progress_of_each, results_csv_rows, results_of

NO_STORE = "no-store"


def csv_response(rows: list[list[str]], name: str) -> HttpResponse:
    """A CSV download (UTF-8 with a byte-order mark, for spreadsheets); every cell through
    ``SafeWriter``, since comments come from raters and customers."""
    out = io.StringIO()
    SafeWriter(out, lineterminator="\r\n").writerows(rows)
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _review(request: HttpRequest, pk: int) -> Review:
    """The review, or 404 alike for one that does not exist and one the user may not see."""
    review = (
        Review.objects.select_related(
            "reviewee", "reviewee__department", "cycle", "appraisal", "setup__version"
        )
        .filter(pk=pk)
        .first()
    )
    if review is None or not policy.can_view_review(access_for(request), review):
        raise Http404
    return review


@requires(policy.can_open_reviews)
def index(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    me = access.employee
    visible = list(policy.reviews_in_view(access)[:300])
    mine = [r for r in visible if me is not None and r.reviewee_id == me.pk]
    others = [r for r in visible if r not in mine]
    shown = progress_of_each(visible)
    context = {
        "mine": [(r, shown[r.pk]) for r in mine],
        "others": [(r, shown[r.pk]) for r in others],
        "to_answer": policy.my_assignments(access).filter(answered=False).count(),
        "configures": policy.can_configure_reviews(access),
        "cycles": [
            c
            for c in appraisals_policy.cycles_in_scope(access)
            if policy.may_start_reviews(access, c)
        ],
        "today": timezone.localdate(),
        "closable_cycles": _closable_cycles(access),
    }
    return render(request, "reviews/index.html", context)


def _closable_cycles(access: Any) -> list[tuple[Any, int]]:
    """The cycles with reviews HR may close, and how many."""
    running = policy.reviews_to_run(access).exclude(state=Review.State.CLOSED)
    counted: dict[int, list[Any]] = {}
    for review in running.select_related("reviewee__department"):
        if policy.may_close(access, review):
            counted.setdefault(review.cycle_id, [review.cycle, 0])[1] += 1
    return [(cycle, count) for cycle, count in counted.values()]


@require_POST
@login_required
def start(request: HttpRequest) -> HttpResponse:
    try:
        deadline = date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, _("Give the deadline as a date."))
        return redirect("reviews")
    numbers = [n.strip() for n in request.POST.get("people", "").replace("，", ",").split(",")]
    ids = list(Employee.objects.filter(number__in=[n for n in numbers if n])
               .values_list("pk", flat=True))  # fmt: skip
    if any(numbers) and not ids:
        messages.error(request, _("No person has these employee numbers."))
        return redirect("reviews")
    cycle = request.POST.get("cycle", "")
    try:
        made = do_start_reviews(request.user, int(cycle) if cycle.isdigit() else 0, deadline, ids)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("%(count)d 360 reviews started.") % {"count": len(made)})
    return redirect("reviews")


def _colleagues(review: Review) -> list[Employee]:
    """People the reviewee may want to nominate: their department and its neighbours."""
    department = review.reviewee.department
    near = [department.pk] + ([department.parent_id] if department.parent_id else [])
    found = Employee.objects.active().filter(department_id__in=near) | Employee.objects.active(
    ).filter(department__parent_id__in=near)  # fmt: skip
    return list(found.exclude(pk=review.reviewee_id).distinct().order_by("number")[:60])


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    access = access_for(request)
    if request.method == "POST":
        _act(request, review)
        return redirect("review", pk=review.pk)
    groups = {g.group: g for g in review.setup.groups.all()}
    assignments = list(
        review.assignments.select_related("rater").order_by("group", "rater__number")
    )
    nominated = [a for a in assignments if a.group not in AUTOMATIC_GROUPS]
    hr = policy.can_see_who_has_not_answered(access, review)
    assignable = [g for g in groups if policy.may_assign(access, review, g) and g != LINK_GROUP]
    context = {
        "review": review,
        "progress": progress(review),
        "groups": [groups[g] for g in groups],
        "sees_nominations": policy.can_see_nominations(access, review),
        "nominated": nominated,
        "automatic": [a for a in assignments if a.group in AUTOMATIC_GROUPS],
        "not_answered": (
            [a for a in assignments if a.status == Assignment.Status.ASKED and not a.answered]
            if hr
            else []
        ),
        "sees_not_answered": hr,
        "sees_reasons": policy.can_see_decline_reasons(access, review),
        "may_nominate": policy.may_nominate(access, review),
        "nominable": [g for g in NOMINATED_GROUPS if g in groups],
        "colleagues": _colleagues(review) if policy.may_nominate(access, review) else [],
        "may_approve": policy.may_approve(access, review),
        "assignable": [groups[g] for g in assignable],
        "may_open": policy.may_open(access, review),
        "may_remind": policy.may_remind(access, review),
        "may_close": policy.may_close(access, review),
        "may_make_links": policy.may_make_links(access, review),
        "links": list(review.customer_links.all())
        if policy.may_make_links(access, review) or hr
        else [],
        "sees_results": policy.can_see_results(access, review),
        "now": timezone.now(),
    }
    return render(request, "reviews/review.html", context)


def _numbers(text: str) -> list[int]:
    numbers = [n.strip() for n in text.replace("，", ",").replace(" ", ",").split(",") if n.strip()]
    found = dict(Employee.objects.filter(number__in=numbers).values_list("number", "pk"))
    if len(found) != len(set(numbers)):
        unknown = "、".join(n for n in numbers if n not in found)
        raise ReviewRefused(_("No active person has the employee number %(numbers)s.")
                            % {"numbers": unknown})  # fmt: skip
    return [found[n] for n in numbers]


def _act(request: HttpRequest, review: Review) -> None:
    post, user = request.POST, request.user
    try:
        if "nominate" in post:
            ids = [int(v) for v in post.getlist("rater") if v.isdigit()]
            ids += _numbers(post.get("numbers", ""))
            do_nominate(user, review.pk, post.get("group", ""), ids)
            messages.success(request, _("Nominated: your manager approves the nominations."))
        elif "assign" in post:
            do_assign(user, review.pk, post.get("group", ""), _numbers(post.get("numbers", "")))
            messages.success(request, _("The raters are asked."))
        elif "approve" in post or "reject" in post:
            key = "approve" if "approve" in post else "reject"
            assignment = post.get(key, "")
            if not assignment.isdigit() or not review.assignments.filter(pk=assignment).exists():
                raise Http404
            do_decide_nomination(user, int(assignment), key == "approve")
            messages.success(request, _("The nomination is decided."))
        elif "open" in post:
            do_open_review(user, review.pk)
            messages.success(request, _("The review is open: raters can answer now."))
        elif "remind" in post:
            report = do_remind(user, [review.pk])
            messages.success(
                request,
                _("%(count)d raters reminded; %(already)d were reminded today already.")
                % {"count": report.count, "already": len(report.already_today)},
            )
        else:
            raise Http404
    except ReviewRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        raise Http404 from None


@login_required
def links(request: HttpRequest, pk: int) -> HttpResponse:
    """Make customers' links: mailed to those with an address, and shown (or downloaded as
    CSV for SMS) this once — kaohe keeps only the tokens' digests."""
    review = _review(request, pk)
    if request.method != "POST" or not policy.may_make_links(access_for(request), review):
        raise Http404
    contacts = []
    for line in request.POST.get("contacts", "").splitlines():
        label, _sep, email = line.replace("，", ",").partition(",")
        if label.strip():
            contacts.append(LinkInput(label.strip(), email.strip()))
    days = request.POST.get("days", "14")
    try:
        made = do_make_links(request.user, review.pk, contacts, request.POST.get("language", "zh"),
                             int(days) if days.isdigit() else 0)  # fmt: skip
    except ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect("review", pk=review.pk)
    if request.POST.get("as") == "csv":
        rows = [["contact", "link", "expires"]] + [
            [m.link.contact, m.url, f"{m.link.expires_at:%Y-%m-%d}"] for m in made
        ]
        response = csv_response(rows, f"kaohe-customer-links-{review.pk}.csv")
    else:
        response = render(request, "reviews/links_made.html", {"review": review, "made": made})
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the review stage, after a confirmation page: results are released."""
    review = _review(request, pk)
    if not policy.may_close(access_for(request), review):
        raise Http404
    if request.method == "POST":
        try:
            do_close_reviews(request.user, [review.pk])
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The review is closed and its results are released."))
        return redirect("review", pk=review.pk)
    return render(request, "reviews/close.html", {"review": review, "progress": progress(review)})


@login_required
def close_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """Close every review of a cycle that HR may close, after a confirmation page."""
    access = access_for(request)
    running = policy.reviews_to_run(access).filter(cycle_id=pk).exclude(state=Review.State.CLOSED)
    closable = [r for r in running.select_related("reviewee__department")
                if policy.may_close(access, r)]  # fmt: skip
    if not closable:
        raise Http404
    if request.method == "POST":
        do_close_reviews(request.user, [r.pk for r in closable])
        messages.success(request, _("%(count)d reviews closed; their results are released.")
                         % {"count": len(closable)})  # fmt: skip
        return redirect("reviews")
    context = {"cycle": closable[0].cycle, "reviews": [(r, progress(r)) for r in closable]}
    return render(request, "reviews/close_cycle.html", context)


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if not policy.can_see_results(access_for(request), review):
        raise Http404
    context: dict[str, Any] = {
        "review": review,
        "results": results_of(review),
        "exports": policy.may_export(access_for(request), review),
    }
    response = render(request, "reviews/results.html", context)
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if not policy.may_export(access_for(request), review):
        raise Http404
    response = csv_response(results_csv_rows(review), f"kaohe-360-{review.pk}.csv")
    response["Cache-Control"] = NO_STORE
    return response
