"""Driving the workflow in tests the way the page does: form fields → typed inputs → step."""

from __future__ import annotations

from datetime import date

from kaohe.appraisals.actions import CycleData, do_create_cycle, take
from kaohe.appraisals.forms import step_inputs
from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.policy import available_actions
from kaohe.org.policy import Access


def act(user, appraisal_id, action, form=None):
    """Take a step with a page's form fields (``input_<name>``, ``reason``, …)."""
    appraisal = Appraisal.objects.select_related("version").get(pk=appraisal_id)
    return take(user, appraisal_id, action, step_inputs(appraisal, form or {}))


def available(user, appraisal):
    return available_actions(Access(user), appraisal)


def new_cycle(user, *, name, period, departments, appeal_days=7, deadlines=None):
    """A cycle made through the action, as HR makes one on the page."""
    given = {state: date.fromisoformat(day) for state, day in (deadlines or {}).items()}
    return do_create_cycle(
        user, CycleData(name, period, departments, appeal_days=appeal_days, deadlines=given)
    )
