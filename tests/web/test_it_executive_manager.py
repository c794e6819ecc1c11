"""The executive viewer who is also a manager, on the pages.

eve is the executive viewer and dora's manager: on dora's appraisal she is the rater, so
the page offers her the rater's steps and takes them; she calibrates nobody, and on ann's
appraisal (below dora) she reads everything and is offered nothing.
"""

import pytest
from django.urls import reverse

from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.workflow import State

from .test_it_appraisals import metrics_for, ratings_for
from .workflow import act, action_forms, appraisal_of, launched_cycle


@pytest.fixture
def cycle(org):
    return launched_cycle(org)


def post_action(client, appraisal, action, form=None):
    url = reverse("appraisal-act", args=[appraisal.pk, action])
    return client.post(url, form or {}, follow=True)


def test_eve_rates_and_interviews_dora_through_the_page(cycle, org, client_for):
    dora = appraisal_of(cycle, org, "dora")
    metrics_for(dora)
    eve = client_for("eve")
    page = eve.get(reverse("appraisal", args=[dora.pk])).content.decode()
    assert action_forms(page) == {"send_for_confirmation"}
    post_action(eve, dora, "send_for_confirmation")
    act(org.users["dora"], dora.pk, "confirm")
    post_action(eve, dora, "open_assessment")
    act(org.users["dora"], dora.pk, "submit_self_assessment")
    page = eve.get(reverse("appraisal", args=[dora.pk])).content.decode()
    assert action_forms(page) == {"submit_review"}
    response = post_action(eve, dora, "submit_review", {**ratings_for(dora), "comment": "稳健"})
    assert response.status_code == 200
    dora.refresh_from_db()
    assert dora.state == State.CALIBRATION
    assert dora.review_comment == "稳健"
    assert dora.history.get(action="submit_review").actor == org.users["eve"]


def test_eve_may_not_calibrate_dora_and_the_page_offers_nothing(cycle, org, client_for):
    dora = appraisal_of(cycle, org, "dora")
    Appraisal.objects.filter(pk=dora.pk).update(state=State.CALIBRATION)
    eve = client_for("eve")
    page = eve.get(reverse("appraisal", args=[dora.pk])).content.decode()
    assert action_forms(page) == set()
    response = post_action(eve, dora, "calibrate", {"adjustment": "5", "reason": "表现突出"})
    assert "您不能对这份考核执行此操作。" in response.content.decode()
    dora.refresh_from_db()
    assert (dora.state, dora.calibration) == (State.CALIBRATION, 0)
    assert dora.history.count() == 1
    # alice, HR for everyone, is offered the calibration on the same page.
    page = client_for("alice").get(reverse("appraisal", args=[dora.pk])).content.decode()
    assert action_forms(page) == {"calibrate"}


def test_eve_records_dora_s_interview_through_the_page(cycle, org, client_for):
    dora = appraisal_of(cycle, org, "dora")
    Appraisal.objects.filter(pk=dora.pk).update(state=State.INTERVIEW)
    eve = client_for("eve")
    assert action_forms(eve.get(reverse("appraisal", args=[dora.pk])).content.decode()) == {
        "record_interview"
    }
    form = {"strengths": "统筹", "improvements": "授权", "root_cause": "skills", "actions": "培训"}
    post_action(eve, dora, "record_interview", form)
    dora.refresh_from_db()
    assert dora.state == State.ACKNOWLEDGEMENT
    assert dora.interview.recorded_by == org.users["eve"]


@pytest.mark.parametrize("state", list(State))
def test_eve_is_offered_nothing_on_ann_s_appraisal(cycle, org, client_for, state):
    ann = appraisal_of(cycle, org, "ann")
    Appraisal.objects.filter(pk=ann.pk).update(state=state, data_cutoff="2026-10-01T00:00:00Z")
    response = client_for("eve").get(reverse("appraisal", args=[ann.pk]))
    assert response.status_code == 200  # the executive reads it
    page = response.content.decode()
    assert action_forms(page) == set()
    assert 'action="/appraisals/' not in page  # no form posts anything about it
    assert 'data-testid="refresh-data"' not in page


@pytest.mark.parametrize(
    ("state", "action"),
    [(State.DRAFT, "send_for_confirmation"), (State.MANAGER_REVIEW, "submit_review"),
     (State.CALIBRATION, "calibrate"), (State.INTERVIEW, "record_interview"),
     (State.FINALISING, "finalise")],
)  # fmt: skip
def test_eve_s_posts_on_ann_s_appraisal_change_nothing(cycle, org, client_for, state, action):
    ann = appraisal_of(cycle, org, "ann")
    Appraisal.objects.filter(pk=ann.pk).update(state=state)
    response = post_action(client_for("eve"), ann, action, ratings_for(ann))
    assert "您不能对这份考核执行此操作。" in response.content.decode()
    ann.refresh_from_db()
    assert ann.state == state
    assert ann.history.count() == 1
