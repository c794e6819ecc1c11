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


def launched_cycle(org, *, period="2026-Q3", departments=("企服部",), by="alice"):
    """A cycle over these departments, launched, with the built-in schemes in the library."""
    from kaohe.appraisals.launch import start_launch
    from kaohe.schemes.library import import_builtin_schemes

    import_builtin_schemes()
    cycle = new_cycle(
        org.users[by], name=f"{period} 考核", period=period,
        departments=[org.departments[path] for path in departments],
    )  # fmt: skip
    start_launch(cycle, wait=True)
    cycle.refresh_from_db()
    return cycle


def appraisal_of(cycle, org, key):
    return Appraisal.objects.get(cycle=cycle, employee=org.people[key])


def action_forms(html):
    """The workflow actions a page offers, by name."""
    import re

    return set(re.findall(r'<section class="card action" data-action="([a-z_]+)">', html))
