"""Running a review: HR starts them for a cycle, the reviewee nominates, the manager
approves or replaces and opens it, raters may decline, HR reminds and closes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.audit.models import record
from kaohe.org.models import Employee
from kaohe.org.policy import access_for

from .. import notify, policy
from ..models import AUTOMATIC_GROUPS, Assignment, Review, ReviewSetup
from ._errors import ReviewRefused

LIVE = (Assignment.Status.PROPOSED, Assignment.Status.ASKED)


# --- starting -----------------------------------------------------------------------------


def do_start_reviews(
    actor: Any, cycle_id: int, deadline: date, employee_ids: Sequence[int] = ()
) -> list[Review]:
    """A review per appraisal of the cycle whose scheme version has a setup (or only the
    chosen people's), with the self, manager and direct reports' assignments made."""
    if deadline < timezone.localdate():
        raise ReviewRefused(_("The deadline has passed: choose a day from today on."))
    with transaction.atomic(durable=True):
        cycle = Cycle.objects.filter(pk=cycle_id).prefetch_related("departments").first()
        access = access_for(actor)
        if cycle is None or not policy.may_start_reviews(access, cycle):
            raise PermissionDenied
        setups = {s.version_id: s for s in ReviewSetup.objects.prefetch_related("groups")}
        appraisals = Appraisal.objects.filter(cycle=cycle, version_id__in=list(setups))
        if employee_ids:
            appraisals = appraisals.filter(employee_id__in=list(employee_ids))
        appraisals = appraisals.exclude(review__isnull=False).select_related(
            "employee", "employee__department", "rater"
        )
        made = []
        for appraisal in appraisals:
            if not policy.may_start_review_of(access, appraisal):
                continue
            review = Review.objects.create(
                appraisal=appraisal, setup=setups[appraisal.version_id], cycle=cycle,
                reviewee=appraisal.employee, deadline=deadline, started_by=actor,
            )  # fmt: skip
            _assign_automatic(review, actor)
            made.append(review)
        if not made:
            raise ReviewRefused(
                _("No review to start: no appraisal of this cycle in your scope has a scheme "
                  "version with a 360 setup, or its review has started already.")
            )  # fmt: skip
        record(
            actor, "reviews.start", cycle,
            after={"reviews": len(made), "deadline": deadline.isoformat(),
                   "people": [r.reviewee.number for r in made]},
        )  # fmt: skip
        return made


def _assign_automatic(review: Review, actor: Any) -> None:
    groups = {g.group for g in review.setup.groups.all()}
    reviewee = review.reviewee
    raters: list[tuple[Employee, str]] = []
    if "self" in groups:
        raters.append((reviewee, "self"))
    manager = review.appraisal.rater or reviewee.manager
    if "manager" in groups and manager is not None and manager.active:
        raters.append((manager, "manager"))
    if "subordinates" in groups:
        # A report who reads the results (HR over their own manager) answers nowhere
        # anonymously: see ``policy.reads_results``.
        raters += [
            (report, "subordinates")
            for report in reviewee.direct_reports.active().select_related("user")
            if not policy.reads_results(report, review)
        ]
    for rater, group in raters:
        Assignment.objects.get_or_create(
            review=review, rater=rater,
            defaults={"group": group, "status": Assignment.Status.ASKED, "nominated_by": actor},
        )  # fmt: skip


# --- nominating ---------------------------------------------------------------------------


def do_nominate(actor: Any, review_id: int, group: str, rater_ids: Sequence[int]) -> list[Any]:
    """The reviewee nominates peers or partners; the manager then approves them."""
    with transaction.atomic(durable=True):
        review = _review(actor, review_id)
        if not policy.may_nominate(access_for(actor), review):
            raise PermissionDenied
        return _add_raters(actor, review, group, rater_ids, Assignment.Status.PROPOSED)


def do_assign(actor: Any, review_id: int, group: str, rater_ids: Sequence[int]) -> list[Any]:
    """The manager (nominated groups) or HR (any group) asks raters directly: a
    replacement for a rejected nomination, or anyone HR chooses."""
    with transaction.atomic(durable=True):
        review = _review(actor, review_id)
        if not policy.may_assign(access_for(actor), review, group):
            raise PermissionDenied
        return _add_raters(actor, review, group, rater_ids, Assignment.Status.ASKED)


def _add_raters(
    actor: Any, review: Review, group: str, rater_ids: Sequence[int], status: str
) -> list[Assignment]:
    rule = review.setup.groups.filter(group=group).first()
    if rule is None or group in ("self", "customers"):
        raise ReviewRefused(_("Raters can be added to the groups this review has, but not to "
                              "self or customers (customers answer by link)."))  # fmt: skip
    ids = list(dict.fromkeys(rater_ids))
    raters = {e.pk: e for e in Employee.objects.active().filter(pk__in=ids)}
    if not ids or len(raters) != len(ids):
        raise ReviewRefused(_("Choose active people from the list."))
    if review.reviewee_id in raters:
        raise ReviewRefused(_("The reviewee cannot rate themself in this group."))
    taken = set(review.assignments.filter(rater_id__in=ids).values_list("rater_id", flat=True))
    if taken:
        names = "、".join(raters[pk].name for pk in sorted(taken))
        raise ReviewRefused(_("Already a rater on this review: %(names)s.") % {"names": names})
    in_group = review.assignments.filter(group=group, status__in=LIVE).count()
    if in_group + len(ids) > rule.max_raters:
        raise ReviewRefused(
            _("%(group)s takes at most %(max)d raters; %(have)d are nominated already.")
            % {"group": rule.label, "max": rule.max_raters, "have": in_group}
        )
    readers = [raters[pk].name for pk in ids if policy.reads_results(raters[pk], review)]
    if readers:
        raise ReviewRefused(
            _("%(names)s will read this review's results (as a manager above the reviewee or "
              "as HR), so cannot answer anonymously in it: knowing their own answer, they "
              "could narrow down the others'. Choose someone else.")
            % {"names": "、".join(readers)}
        )  # fmt: skip
    _check_load(review, [raters[pk] for pk in ids])
    made = [
        Assignment.objects.create(
            review=review, rater=raters[pk], group=group, status=status, nominated_by=actor
        )
        for pk in ids
    ]
    action = "reviews.nominate" if status == Assignment.Status.PROPOSED else "reviews.assign"
    record(actor, action, review,
           after={"group": group, "raters": [raters[pk].name for pk in ids]})  # fmt: skip
    return made


def _check_load(review: Review, raters: Iterable[Employee]) -> None:
    """Refuse a rater who would carry more than the load limit of nominated reviews in this
    cycle. What the org chart asks of them (their own self-review, their reports' reviews as
    manager, their manager's as a report) does not count: it is not theirs to decline, and
    counting it would keep every manager of more than eight people out of peer reviews."""
    limit = review.setup.load_limit
    for rater in raters:
        carried = (
            Assignment.objects.filter(rater=rater, review__cycle_id=review.cycle_id,
                                      status__in=LIVE)
            .exclude(group__in=AUTOMATIC_GROUPS).count()
        )  # fmt: skip
        if carried + 1 > limit:
            raise ReviewRefused(
                _(
                    "%(name)s already has %(count)d reviews to give in this cycle; the limit is "
                    "%(limit)d. Choose someone else."
                )
                % {"name": rater.name, "count": carried, "limit": limit}
            )


def do_decide_nomination(actor: Any, assignment_id: int, approve: bool) -> Assignment | None:
    """The manager (or HR) approves a nomination, or rejects it (it is removed; they may
    ask someone else instead)."""
    with transaction.atomic(durable=True):
        assignment = _assignment(assignment_id)
        if assignment is None or not policy.may_approve(access_for(actor), assignment.review):
            raise PermissionDenied
        if assignment.status != Assignment.Status.PROPOSED:
            raise ReviewRefused(_("This nomination has been decided already."))
        data = {"rater": assignment.rater.name, "group": assignment.group}
        if approve:
            assignment.status = Assignment.Status.ASKED
            assignment.save(update_fields=["status"])
            record(actor, "reviews.approve", assignment.review, after=data)
            return assignment
        review = assignment.review
        assignment.delete()
        record(actor, "reviews.reject", review, before=data)
        return None


def do_open_review(actor: Any, review_id: int) -> Review:
    """Open the review for answers once no nomination waits and each group has its
    minimum of raters."""
    with transaction.atomic(durable=True):
        review = _review(actor, review_id)
        if not policy.may_open(access_for(actor), review):
            raise PermissionDenied
        if review.assignments.filter(status=Assignment.Status.PROPOSED).exists():
            raise ReviewRefused(_("Some nominations wait for approval: approve or reject them "
                                  "first."))  # fmt: skip
        for rule in review.setup.groups.exclude(group__in=["customers", *AUTOMATIC_GROUPS]):
            asked = review.assignments.filter(group=rule.group, status__in=LIVE).count()
            if asked < rule.min_raters:
                raise ReviewRefused(
                    _("%(group)s needs at least %(min)d raters; %(have)d are asked. Nominate "
                      "more first.") % {"group": rule.label, "min": rule.min_raters, "have": asked}
                )  # fmt: skip
        review.state = Review.State.OPEN
        review.save(update_fields=["state"])
        record(actor, "reviews.open", review, before={"state": "nominating"},
               after={"state": "open"})  # fmt: skip
        return review


def do_decline(actor: Any, assignment_id: int, reason: str) -> Assignment:
    """A rater declines, with a reason. HR reads the reason; the nominator hears only
    that this rater declined, because a reason (a conflict, a relationship) can be private."""
    reason = reason.strip()
    if not reason:
        raise ReviewRefused(_("Say why you decline: HR reads the reason."))
    with transaction.atomic(durable=True):
        assignment = _assignment(assignment_id)
        if assignment is None or not policy.is_my_assignment(access_for(actor), assignment):
            raise PermissionDenied
        if not policy.may_decline(access_for(actor), assignment):
            raise ReviewRefused(_("This review can no longer be declined."))
        assignment.status = Assignment.Status.DECLINED
        assignment.decline_reason = reason
        assignment.draft_levels, assignment.draft_comment = None, ""
        assignment.save(update_fields=["status", "decline_reason", "draft_levels",
                                       "draft_comment"])  # fmt: skip
        record(actor, "reviews.decline", assignment.review,
               after={"rater": assignment.rater.name, "group": assignment.group},
               note=reason)  # fmt: skip
        nominator = assignment.nominated_by
        if nominator is not None and nominator != actor:
            notify.tell([nominator], "review_declined", actor)
        return assignment


# --- reminding and closing ----------------------------------------------------------------


@dataclass
class RemindReport:
    reminded: list[str] = field(default_factory=list)
    already_today: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reminded)


def do_remind(actor: Any, review_ids: Sequence[int]) -> RemindReport:
    """One reminder per rater per day, for every open review (before its deadline) they
    have not answered yet."""
    today = timezone.localdate()
    report = RemindReport()
    with transaction.atomic(durable=True):
        access = access_for(actor)
        reviews = Review.objects.filter(pk__in=list(review_ids)).select_related(
            "reviewee", "appraisal"
        )
        permitted = [r for r in reviews if policy.may_remind(access, r)]
        if len(permitted) != len(set(review_ids)):
            raise PermissionDenied
        allowed = [r.pk for r in permitted if r.deadline >= today]
        if review_ids and not allowed:
            raise ReviewRefused(_("The deadline has passed: there is nobody to remind before it."))
        waiting = Assignment.objects.filter(
            review_id__in=allowed, status=Assignment.Status.ASKED, answered=False
        ).select_related("rater__user")
        by_rater: dict[Employee, list[Assignment]] = defaultdict(list)
        for assignment in waiting:
            by_rater[assignment.rater].append(assignment)
        for rater, listed in sorted(by_rater.items(), key=lambda item: item[0].number):
            reminded_today = Assignment.objects.filter(rater=rater, reminded_on=today).exists()
            if reminded_today:
                report.already_today.append(rater.name)
                continue
            Assignment.objects.filter(pk__in=[a.pk for a in listed]).update(reminded_on=today)
            if rater.user is not None:
                notify.tell([rater.user], "review_remind", actor)
            report.reminded.append(rater.name)
        record(actor, "reviews.remind", None,
               after={"reviews": len(allowed), "reminded": report.reminded})  # fmt: skip
        return report


def do_close_reviews(actor: Any, review_ids: Sequence[int]) -> list[Review]:
    """Close the review stage: results are released to the reviewees and their managers,
    and the drafts of raters who never submitted are deleted."""
    with transaction.atomic(durable=True):
        access = access_for(actor)
        reviews = list(
            Review.objects.select_for_update(of=("self",))
            .filter(pk__in=list(review_ids)).select_related("reviewee", "appraisal")
        )  # fmt: skip
        if not reviews or not all(policy.may_close(access, r) for r in reviews):
            raise PermissionDenied
        today = timezone.localdate()
        for review in reviews:
            review.state, review.closed_on = Review.State.CLOSED, today
            review.save(update_fields=["state", "closed_on"])
            review.assignments.update(draft_levels=None, draft_comment="")
            record(actor, "reviews.close", review, after={"state": "closed"})
            notify.tell(notify.results_readers(review), "review_released", actor)
        return reviews


# --- lookups ------------------------------------------------------------------------------


def _review(actor: Any, review_id: int) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("reviewee", "reviewee__department", "appraisal", "setup", "cycle")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not policy.can_view_review(access_for(actor), review):
        raise PermissionDenied
    return review


def _assignment(assignment_id: int) -> Assignment | None:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("review__reviewee__department", "review__appraisal", "review__setup",
                        "rater", "nominated_by")
        .filter(pk=assignment_id)
        .first()
    )  # fmt: skip
