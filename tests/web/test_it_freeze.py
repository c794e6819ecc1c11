"""The data cut-off: an appraisal's metric values are frozen at the manager's review.

Before the review every import moves the provisional score; after it the appraisal keeps
the values, points and total it had, and the page says as of when. Only HR's refresh, with
a reason, audited value by value, takes newer data; a finalised result never changes with
the data, only by an appeal's new version.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.workflow import State
from kaohe.audit.models import AuditEntry
from kaohe.data import actions as data_actions

from .factory import store_metrics_for_everyone
from .test_it_appraisals import PERIOD, ratings_for, walk_to
from .test_it_data import CALLS
from .workflow import act, appraisal_of, launched_cycle


@pytest.fixture
def cycle(org):
    return launched_cycle(org, period=PERIOD)


@pytest.fixture
def ann(cycle, org):
    return appraisal_of(cycle, org, "ann")


def page_of(client, appraisal):
    response = client.get(reverse("appraisal", args=[appraisal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def score_on(page, kind="provisional|secured"):
    """The final or provisional total, or while ratings are missing the points so far."""
    return re.search(rf'data-testid="(?:{kind})">([^<]+)<', page)[1]


def indicators_on(page):
    """Every indicator row: its values, where they came from, and its points."""
    return re.findall(r'<tr data-indicator="[^"]+">.*?</tr>', page, flags=re.S)


def reviewed(ann, org):
    walk_to(ann, org, State.MANAGER_REVIEW)
    act(org.users["mike"], ann.pk, "submit_review", ratings_for(ann))
    ann.refresh_from_db()
    assert ann.state == State.CALIBRATION
    return ann


def test_before_the_review_new_data_moves_the_provisional_score(ann, org, client_for):
    walk_to(ann, org, State.MANAGER_REVIEW)
    hr = client_for("alice")
    before = page_of(hr, ann)
    assert "数据：取最近一次导入，上级评分时冻结。" in before
    store_metrics_for_everyone(PERIOD, 60.0)
    after = page_of(hr, ann)
    assert score_on(after) != score_on(before)
    assert indicators_on(after) != indicators_on(before)


def test_after_the_review_new_data_changes_nothing(ann, org, client_for):
    store_metrics_for_everyone(PERIOD, 80.0)
    ann = reviewed(ann, org)
    frozen = dict(ann.frozen_inputs)
    hr = client_for("alice")
    before = page_of(hr, ann)
    cutoff = timezone.localtime(ann.data_cutoff).strftime("%Y-%m-%d %H:%M")
    assert f"数据截至 {cutoff}（上级评分时冻结）" in before
    store_metrics_for_everyone(PERIOD, 40.0)
    after = page_of(hr, ann)
    assert score_on(after) == score_on(before)
    assert indicators_on(after) == indicators_on(before)
    assert f"数据截至 {cutoff}" in after
    ann.refresh_from_db()
    assert ann.frozen_inputs == frozen


def test_an_import_after_the_review_changes_nothing(
    ann, org, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.HOME = tmp_path
    store_metrics_for_everyone(PERIOD, 80.0)
    ann = reviewed(ann, org)
    hr = client_for("alice")
    before = page_of(hr, ann)
    amy = appraisal_of(ann.cycle, org, "amy")  # not reviewed yet
    amy_before = page_of(hr, amy)
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        data_actions.do_import_data(org.users["alice"], "calls", calls, "calls.csv")
    after = page_of(hr, ann)  # the import computed the period again (a newer run)
    assert indicators_on(after) == indicators_on(before)
    assert score_on(after) == score_on(before)
    # The same import moves the appraisal not reviewed yet.
    assert indicators_on(page_of(hr, amy)) != indicators_on(amy_before)


def test_hr_refreshes_the_frozen_data_with_a_reason_and_it_is_audited(ann, org, client_for):
    store_metrics_for_everyone(PERIOD, 80.0)
    ann = reviewed(ann, org)
    hr = client_for("alice")
    before = page_of(hr, ann)
    store_metrics_for_everyone(PERIOD, 62.0)
    url = reverse("appraisal-refresh-data", args=[ann.pk])
    refused = hr.post(url, {"reason": " "}, follow=True)
    assert "请说明刷新数据的原因。" in refused.content.decode()
    assert Appraisal.objects.get(pk=ann.pk).frozen_inputs == ann.frozen_inputs
    response = hr.post(url, {"reason": "质检数据更正"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert score_on(page) != score_on(before)
    assert "客户满意率：80% → 62%" in page  # each changed value, old → new
    ann.refresh_from_db()
    assert ann.frozen_inputs["csat_rate"]["value"] == "62.0"
    entry = AuditEntry.objects.get(action="appraisal.refresh_data")
    assert (entry.actor, entry.target_id, entry.note) == (
        org.users["alice"], str(ann.pk), "质检数据更正",
    )  # fmt: skip
    assert entry.before["value.csat_rate"] == "80.0"
    assert entry.after["value.csat_rate"] == "62.0"
    assert entry.after["data_cutoff"] == ann.data_cutoff.isoformat()
    step = ann.history.get(action="refresh_data")
    assert (step.actor, step.reason) == (org.users["alice"], "质检数据更正")
    assert "数据已刷新" in page  # the history says so


@pytest.mark.parametrize(
    ("key", "status"),
    [("mike", 403), ("ann", 403), ("eve", 403), ("dora", 403), ("bob", 404), ("nobody", 404)],
)
def test_only_hr_refreshes(ann, org, client_for, key, status):
    store_metrics_for_everyone(PERIOD, 80.0)
    ann = reviewed(ann, org)
    store_metrics_for_everyone(PERIOD, 62.0)
    client = client_for(key)
    response = client.post(reverse("appraisal-refresh-data", args=[ann.pk]), {"reason": "想改"})
    assert response.status_code == status
    assert Appraisal.objects.get(pk=ann.pk).frozen_inputs == ann.frozen_inputs
    assert not AuditEntry.objects.filter(action="appraisal.refresh_data").exists()
    if status == 403:
        assert 'data-testid="refresh-data"' not in page_of(client, ann)


def test_a_finalised_result_never_follows_the_data(ann, org, client_for):
    store_metrics_for_everyone(PERIOD, 80.0)
    walk_to(ann, org, State.ACKNOWLEDGEMENT)
    act(org.users["ann"], ann.pk, "acknowledge")
    act(org.users["alice"], ann.pk, "finalise")
    hr = client_for("alice")
    before = page_of(hr, ann)
    final = score_on(before, "final")
    assert 'data-testid="refresh-data"' not in before  # not offered: it would be refused
    store_metrics_for_everyone(PERIOD, 30.0)
    response = hr.post(
        reverse("appraisal-refresh-data", args=[ann.pk]), {"reason": "更正"}, follow=True
    )
    assert "只有已完成上级评分、尚未定稿的考核才能刷新数据。" in response.content.decode()
    assert not AuditEntry.objects.filter(action="appraisal.refresh_data").exists()
    after = page_of(hr, ann)
    assert score_on(after, "final") == final
    assert indicators_on(after) == indicators_on(before)
    assert Result.objects.filter(appraisal=ann).count() == 1
    # Only an appeal's new version changes it; v1 stays as it was.
    act(org.users["ann"], ann.pk, "appeal", {"reason": "质检样本少"})
    act(org.users["alice"], ann.pk, "adjust", {"adjustment": "2", "reason": "复核"})
    first, second = Result.objects.filter(appraisal=ann).order_by("number")
    assert second.total == first.total + 2
    assert score_on(page_of(hr, ann), "final") != final
