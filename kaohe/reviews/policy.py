"""Who may configure, run, answer and read 360 reviews.

- A setup is HR's, for the scheme versions HR may edit.
- HR in scope starts, assigns, reminds and closes reviews; it sees who has not answered yet
  (to remind them), never which answer is whose.
- The reviewee nominates peers and partners while the review is nominating; their direct
  manager (the appraisal's rater) approves, replaces or opens the review; HR may too.
- A rater answers or declines their own assignment while the review is open.
- Results are read only after the review closes, by the reviewee, their manager chain and
  HR in scope — nobody else, not an executive by that role alone. Before that the
  reviewee and the managers see one progress count: answered of asked.
- Customer links are made by HR in scope or the reviewee's managers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.appraisals.policy import can_manage_cycle
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.schemes.models import SchemeVersion
from kaohe.schemes.policy import can_edit

from .models import LINK_GROUP, NAMED_GROUPS, NOMINATED_GROUPS, Assignment, Review

# --- setups ------------------------------------------------------------------------------


def can_configure_reviews(access: Access) -> bool:
    return access.is_hr


def may_edit_setup(access: Access, version: SchemeVersion) -> bool:
    return access.is_hr and can_edit(access, version)


# --- who someone is to a review ---------------------------------------------------------


def _is_reviewee(access: Access, review: Review) -> bool:
    return access.employee is not None and access.employee.pk == review.reviewee_id


def _is_direct_manager(access: Access, review: Review) -> bool:
    me = access.employee
    if me is None or _is_reviewee(access, review):
        return False
    rater_id = review.appraisal.rater_id or review.reviewee.manager_id
    return me.pk == rater_id


def _in_chain(access: Access, review: Review) -> bool:
    return not _is_reviewee(access, review) and access.manages(review.reviewee_id)


def _hr_over(access: Access, review: Review) -> bool:
    return not _is_reviewee(access, review) and access.in_hr_scope(review.reviewee.department_id)


def can_view_review(access: Access, review: Review) -> bool:
    return _is_reviewee(access, review) or _in_chain(access, review) or _hr_over(access, review)


def can_see_results(access: Access, review: Review) -> bool:
    return review.closed and can_view_review(access, review)


def can_see_who_has_not_answered(access: Access, review: Review) -> bool:
    """HR, to remind them: who was asked and has not answered yet."""
    return _hr_over(access, review)


def can_see_decline_reasons(access: Access, review: Review) -> bool:
    """A reason to decline may be private (a conflict, a relationship): HR reads it; the
    nominator only hears that the rater declined."""
    return _hr_over(access, review)


def can_see_nominations(access: Access, review: Review) -> bool:
    """Who was nominated, and whether approved: the reviewee (their own nominations), the
    manager who approves them and HR."""
    return (
        _is_reviewee(access, review)
        or _is_direct_manager(access, review)
        or _hr_over(access, review)
    )


def reads_results(rater: Employee, review: Review) -> bool:
    """Whether this person will read the review's results: someone above the reviewee or HR
    over them. Such a person must not rate in an anonymous group: knowing their own answer
    and the group's mean, they would narrow down the others' (with three answers, the other
    two's mean)."""
    if rater.user is None or rater.pk == review.reviewee_id:
        return False
    return can_view_review(Access(rater.user), review)


# --- running a review -------------------------------------------------------------------


def may_start_reviews(access: Access, cycle: Cycle) -> bool:
    return can_manage_cycle(access, cycle)


def may_start_review_of(access: Access, appraisal: Appraisal) -> bool:
    employee = appraisal.employee
    mine = access.employee is not None and access.employee.pk == employee.pk
    return not mine and access.in_hr_scope(employee.department_id)


def may_nominate(access: Access, review: Review) -> bool:
    return _is_reviewee(access, review) and review.state == Review.State.NOMINATING


def may_approve(access: Access, review: Review) -> bool:
    """Approve or reject the reviewee's nominations, or nominate a replacement."""
    return review.state != Review.State.CLOSED and (
        _is_direct_manager(access, review) or _hr_over(access, review)
    )


def may_assign(access: Access, review: Review, group: str) -> bool:
    """Ask a rater directly: the manager in the nominated groups, HR in any anonymous
    group. Nobody adds to self or manager: a named group shown whatever its count must hold
    exactly the one person everyone knows it holds."""
    if review.state == Review.State.CLOSED or group in NAMED_GROUPS:
        return False
    if _hr_over(access, review):
        return True
    return group in NOMINATED_GROUPS and _is_direct_manager(access, review)


def may_open(access: Access, review: Review) -> bool:
    return review.state == Review.State.NOMINATING and (
        _is_direct_manager(access, review) or _hr_over(access, review)
    )


def may_remind(access: Access, review: Review) -> bool:
    return review.state == Review.State.OPEN and _hr_over(access, review)


def may_close(access: Access, review: Review) -> bool:
    return review.state != Review.State.CLOSED and _hr_over(access, review)


def may_export(access: Access, review: Review) -> bool:
    return review.closed and _hr_over(access, review)


def may_make_links(access: Access, review: Review) -> bool:
    if review.state == Review.State.CLOSED:
        return False
    if not review.setup.groups.filter(group=LINK_GROUP).exists():
        return False
    return _hr_over(access, review) or _in_chain(access, review)


# --- answering --------------------------------------------------------------------------


def is_my_assignment(access: Access, assignment: Assignment) -> bool:
    return access.employee is not None and access.employee.pk == assignment.rater_id


def may_answer(access: Access, assignment: Assignment) -> bool:
    return (
        is_my_assignment(access, assignment)
        and assignment.status == Assignment.Status.ASKED
        and not assignment.answered
        and assignment.review.state == Review.State.OPEN
    )


def may_decline(access: Access, assignment: Assignment) -> bool:
    return (
        is_my_assignment(access, assignment)
        and assignment.group != "self"
        and assignment.status != Assignment.Status.DECLINED
        and not assignment.answered
        and assignment.review.state != Review.State.CLOSED
    )


# --- lists ------------------------------------------------------------------------------


def can_open_reviews(access: Access) -> bool:
    return access.is_employee or access.is_hr


def my_assignments(access: Access) -> QuerySet[Assignment]:
    if access.employee is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(rater=access.employee)
        .exclude(status=Assignment.Status.DECLINED)
        .exclude(review__state=Review.State.CLOSED)
        .select_related("review__reviewee", "review__cycle")
    )


def reviews_in_view(access: Access) -> QuerySet[Review]:
    """Reviews of the people this user may see a review of: their own, their reports', and
    HR's scope (but their own as HR only as the reviewee)."""
    reviews = Review.objects.select_related("reviewee", "cycle", "appraisal")
    found = Q(pk__in=[])
    if access.employee is not None:
        found |= Q(reviewee=access.employee)
    if access.report_ids:
        found |= Q(reviewee_id__in=sorted(access.report_ids))
    if access.is_hr:
        scope = access.hr_scope
        found |= (
            Q(pk__isnull=False) if scope is None else Q(reviewee__department_id__in=sorted(scope))
        )
    return reviews.filter(found)


def reviews_to_run(access: Access) -> QuerySet[Review]:
    """The reviews HR runs: its scope's, never its own."""
    if not access.is_hr:
        return Review.objects.none()
    reviews = Review.objects.select_related("reviewee", "cycle", "appraisal")
    scope = access.hr_scope
    if scope is not None:
        reviews = reviews.filter(reviewee__department_id__in=sorted(scope))
    if access.employee is not None:
        reviews = reviews.exclude(reviewee=access.employee)
    return reviews


def versions_to_configure(access: Access) -> list[SchemeVersion]:
    if not access.is_hr:
        return []
    return [v for v in SchemeVersion.objects.all() if can_edit(access, v)]
