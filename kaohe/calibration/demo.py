"""The demo's calibration: the cycle's distribution guideline (seed 002's spread, advisory)
and an open session over the contact centre, facilitated by HR with the director taking
part, opened through the real actions."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from kaohe.appraisals.models import Cycle
from kaohe.org.models import Department

from .actions import GuidelineInput, SessionData, do_open_session, do_set_cycle_guideline
from .models import Session

GUIDELINE = "A 10-20, B 20-30, C 30-50, D 5-15, E 0-10"
SESSION_NAME = "客服中心 2026年第三季度校准会"


def open_demo_session(cycle: Cycle) -> Session | None:
    if Session.objects.filter(cycle=cycle).exists():
        return None
    accounts = get_user_model().objects
    hr, director = accounts.get(username="hr"), accounts.get(username="director")
    do_set_cycle_guideline(hr, cycle.pk, GuidelineInput(GUIDELINE))
    centre = Department.objects.get(path="企服部/客服中心")
    return do_open_session(
        hr,
        SessionData(
            cycle_id=cycle.pk,
            name=SESSION_NAME,
            department_ids=(centre.pk,),
            participant_ids=(director.pk,),
        ),
    )
