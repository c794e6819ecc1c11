"""Every workflow action against every kind of user: who may take it, who is refused.

ann's appraisal is put in the state each action starts from; then each user tries it. A
refused user gets PermissionDenied and changes nothing; an allowed one gets past the
permission check (the action may still want more, such as a reason or ratings).
"""

import contextlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kaohe.appraisals.actions import WorkflowError, act
from kaohe.appraisals.launch import create_cycle, start_launch
from kaohe.appraisals.models import Appeal, Appraisal
from kaohe.appraisals.schemes import import_builtin_schemes
from kaohe.appraisals.workflow import ACTIONS

# ann is the employee; mike rates her; dora is above mike and eve above dora (eve is also
# the executive viewer, which by itself acts on nothing); alice is HR for everyone and
# harry for 客服中心 (ann's); amy and bob are colleagues; lena leads another team; nobody
# has no employee record.
USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "amy", "bob", "lena", "nobody"]
ALLOWED = {
    "send_for_confirmation": {"mike", "alice", "harry"},
    "confirm": {"ann"},
    "ask_for_change": {"ann"},
    "open_assessment": {"mike", "alice", "harry"},
    "submit_self_assessment": {"ann"},
    "submit_review": {"mike"},
    "calibrate": {"dora", "eve", "alice", "harry"},
    "record_interview": {"mike"},
    "acknowledge": {"ann"},
    "finalise": {"alice", "harry"},
    "appeal": {"ann"},
    "uphold": {"alice", "harry"},
    "adjust": {"alice", "harry"},
    "close": {"alice", "harry"},
}


def test_the_table_covers_every_action():
    assert set(ALLOWED) == set(ACTIONS)


@pytest.fixture
def ann(org):
    import_builtin_schemes()
    cycle = create_cycle(
        org.users["alice"], name="Q3", period="2026-Q3", departments=[org.departments["企服部"]]
    )
    start_launch(cycle, wait=True)
    return Appraisal.objects.get(cycle=cycle, employee=org.people["ann"])


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("key", USERS)
def test_who_may_take_each_action(ann, org, action, key):
    source = ACTIONS[action].source
    Appraisal.objects.filter(pk=ann.pk).update(
        state=source,
        acknowledged_at=timezone.now() if action == "finalise" else None,
        appeal_until=timezone.now() if action == "close" else None,
    )
    if action in ("uphold", "adjust"):
        Appeal.objects.create(appraisal=ann, reason="复核")
    history = ann.history.count()
    if key in ALLOWED[action]:
        # Allowed; the action may still want more than an empty form.
        with contextlib.suppress(WorkflowError):
            act(org.users[key], ann.pk, action, {})
    else:
        with pytest.raises(PermissionDenied):
            act(org.users[key], ann.pk, action, {})
        ann.refresh_from_db()
        assert ann.state == source
        assert ann.history.count() == history
