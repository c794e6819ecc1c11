"""The demo's development: for 2026-Q3's locked results, the leads draft development plans
for two people (one agreed by the employee) and an improvement plan for a low grade, with
the support promised and a first check-in; HR accepts the proposals of the A grades. All
through the real actions."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import translation

from kaohe.appraisals.models import Appraisal, Cycle

from .actions import do_agree_plan, do_check_in, do_decide_proposal, do_save_plan, do_start_plan
from .models import Kind, Plan, Proposal


def demo_development(cycle: Cycle) -> int:
    """The plans made; none when the cycle has plans already."""
    if Plan.objects.filter(appraisal__cycle=cycle).exists():
        return 0
    hr = get_user_model().objects.get(username="hr")
    locked = [
        a
        for a in Appraisal.objects.filter(cycle=cycle, results__isnull=False, rater__isnull=False)
        .select_related("employee__user", "rater__user")
        .distinct()
        .order_by("employee__number")
        if a.rater and a.rater.user and a.employee.user
    ]
    by_grade = {a.pk: a.latest_result().grade for a in locked}  # type: ignore[union-attr]
    made = 0
    with translation.override("zh-hans"):
        for index, appraisal in enumerate(a for a in locked if by_grade[a.pk] in ("B", "C")):
            if index == 2:
                break
            plan = do_start_plan(appraisal.rater.user, appraisal.pk, Plan.Type.IDP)
            made += 1
            if index == 0:
                do_agree_plan(appraisal.employee.user, plan.pk)
        low = next((a for a in locked if by_grade[a.pk] in ("D", "E")), None)
        if low is not None:
            plan = do_start_plan(low.rater.user, low.pk, Plan.Type.PIP)
            do_save_plan(
                low.rater.user, plan.pk, [], support="每周一次一对一辅导；安排资深同事带教一个月。"
            )
            do_check_in(
                low.rater.user, plan.pk, date(2026, 11, 20), "已完成首轮带教，录音抽检有改善。"
            )
            made += 1
    for proposal in Proposal.objects.filter(appraisal__cycle=cycle, kind=Kind.PROMOTION,
                                            status=Proposal.Status.PROPOSED):  # fmt: skip
        do_decide_proposal(hr, proposal.pk, "accept")
    return made


def settle_history(cycle: Cycle) -> None:
    """The last cycle's proposals, decided as HR decided them then: accepted."""
    hr = get_user_model().objects.get(username="hr")
    for proposal in Proposal.objects.filter(
        appraisal__cycle=cycle, status=Proposal.Status.PROPOSED
    ):
        do_decide_proposal(hr, proposal.pk, "accept")
