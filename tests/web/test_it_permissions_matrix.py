"""Every workflow action against every kind of user: who may take it, who is refused.

ann's appraisal is put in the state each action starts from; then each user tries it. A
refused user gets PermissionDenied and changes nothing; an allowed one gets past the
permission check (the action may still want more, such as a reason or ratings).
"""

import contextlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kaohe.appraisals.actions import WorkflowError
from kaohe.appraisals.launch import start_launch
from kaohe.appraisals.models import Appeal, Appraisal
from kaohe.appraisals.workflow import ACTIONS
from tests.web.workflow import act, new_cycle

# ann is the employee; mike rates her; dora is above mike and eve above dora (eve is also
# the executive viewer, which by itself acts on nothing); alice is HR for everyone and
# harry for 客服中心 (ann's); amy and bob are colleagues; lena leads another team; nobody
# has no employee record. A manager above the rater reads the appraisal and moves nothing:
# calibration is HR's.
USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "amy", "bob", "lena", "nobody"]
ALLOWED = {  # on ann's appraisal
    "send_for_confirmation": {"mike", "alice", "harry"},
    "confirm": {"ann"},
    "ask_for_change": {"ann"},
    "open_assessment": {"mike", "alice", "harry"},
    "submit_self_assessment": {"ann"},
    "submit_review": {"mike"},
    "calibrate": {"alice", "harry"},
    "record_interview": {"mike"},
    "acknowledge": {"ann"},
    "finalise": {"alice", "harry"},
    "appeal": {"ann"},
    "uphold": {"alice", "harry"},
    "adjust": {"alice", "harry"},
    "close": {"alice", "harry"},
}


# dora's appraisal: eve is both the executive viewer and dora's manager, so she rates and
# interviews dora as her rater — and nothing more; harry's scope does not hold 企服部.
ALLOWED_ON_DORA = {
    "send_for_confirmation": {"eve", "alice"},
    "confirm": {"dora"},
    "ask_for_change": {"dora"},
    "open_assessment": {"eve", "alice"},
    "submit_self_assessment": {"dora"},
    "submit_review": {"eve"},
    "calibrate": {"alice"},
    "record_interview": {"eve"},
    "acknowledge": {"dora"},
    "finalise": {"alice"},
    "appeal": {"dora"},
    "uphold": {"alice"},
    "adjust": {"alice"},
    "close": {"alice"},
}


def test_the_tables_cover_every_action():
    assert set(ALLOWED) == set(ACTIONS) == set(ALLOWED_ON_DORA)


@pytest.fixture
def cycle(org):
    cycle = new_cycle(
        org.users["alice"], name="Q3", period="2026-Q3", departments=[org.departments["企服部"]]
    )
    start_launch(cycle, wait=True)
    return cycle


def try_action(appraisal, org, action, key, allowed):
    source = ACTIONS[action].source
    Appraisal.objects.filter(pk=appraisal.pk).update(
        state=source, appeal_until=timezone.now() if action == "close" else None
    )
    if action in ("uphold", "adjust"):
        Appeal.objects.create(appraisal=appraisal, reason="复核")
    history = appraisal.history.count()
    if key in allowed:
        # Allowed; the action may still want more than an empty form.
        with contextlib.suppress(WorkflowError):
            act(org.users[key], appraisal.pk, action, {})
    else:
        with pytest.raises(PermissionDenied):
            act(org.users[key], appraisal.pk, action, {})
        appraisal.refresh_from_db()
        assert appraisal.state == source
        assert appraisal.history.count() == history


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("key", USERS)
def test_who_may_take_each_action(cycle, org, action, key):
    ann = Appraisal.objects.get(cycle=cycle, employee=org.people["ann"])
    try_action(ann, org, action, key, ALLOWED[action])


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("key", USERS)
def test_an_executive_who_is_also_a_manager_acts_only_as_the_manager(cycle, org, action, key):
    dora = Appraisal.objects.get(cycle=cycle, employee=org.people["dora"])
    assert dora.rater == org.people["eve"]
    try_action(dora, org, action, key, ALLOWED_ON_DORA[action])
