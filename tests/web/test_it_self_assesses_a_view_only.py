"""The self-assessment asks the employee for their own view — the anchored levels — and never
for a fact that data or other people give (violations, suggestions, the peer score, rates)."""

import pytest
from django.urls import reverse

from kaohe.appraisals.actions import manual_inputs, self_inputs
from kaohe.appraisals.scoring import score_appraisal
from kaohe.core import InputKind
from kaohe.incidents.models import Incident
from tests.web.workflow import act, appraisal_of, launched_cycle

FACTS = {"violations", "suggestions_and_extra_tasks", "peer_review_score"}


@pytest.fixture
def ann(org):
    appraisal = appraisal_of(launched_cycle(org), org, "ann")
    act(org.users["mike"], appraisal.pk, "send_for_confirmation")
    act(org.users["ann"], appraisal.pk, "confirm")
    act(org.users["mike"], appraisal.pk, "open_assessment")
    appraisal.refresh_from_db()
    return appraisal


def test_the_self_assessment_asks_only_for_anchored_levels(ann):
    asked = self_inputs(ann)
    scheme = ann.version.scheme()
    assert asked == ["professional_skill", "collaboration"]
    assert all(scheme.inputs[name].kind is InputKind.LEVEL for name in asked)
    assert not FACTS & set(manual_inputs(ann))  # the rater is not asked for them either


def test_the_form_shows_no_field_for_a_fact(client_for, org, ann):
    page = client_for("ann").get(reverse("appraisal", args=[ann.pk])).content.decode()
    form = page.split('data-action="submit_self_assessment"')[1].split("</form>")[0]
    assert 'name="input_professional_skill"' in form
    for name in FACTS:
        assert f'name="input_{name}"' not in form


def test_a_typed_fact_in_the_self_assessment_is_ignored(org, ann):
    act(
        org.users["ann"], ann.pk, "submit_self_assessment",
        {"input_professional_skill": "4", "input_violations": "0", "input_peer_review_score": "5"},
    )  # fmt: skip
    ann.refresh_from_db()
    assert ann.self_ratings == {"professional_skill": "4"}


def test_violations_are_counted_from_the_incident_log(org, ann):
    before = score_appraisal(ann).values["violations"]
    assert before.value == 0
    assert before.source == "incidents"
    Incident.objects.create(
        employee=org.people["ann"], occurred_on="2026-08-03", polarity="negative",
        kind="violation", what="未按流程核实身份", recorded_by=org.users["mike"],
    )  # fmt: skip
    Incident.objects.create(
        employee=org.people["ann"], occurred_on="2026-06-30", polarity="negative",
        kind="violation", what="上一季度的事", recorded_by=org.users["mike"],
    )  # fmt: skip
    after = score_appraisal(ann).values["violations"]
    assert after.value == 1  # the one in 2026-Q3 only
    assert after.provenance["detail"]["zh"] == "2026-Q3 期间记录 1 条"
