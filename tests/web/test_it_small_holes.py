"""Smaller holes: pay kept out of caches and out of a manager's sight, people outside one's
scope indistinguishable from people who do not exist, and hire dates from the far future."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.workflow import State
from kaohe.audit.models import AuditEntry
from kaohe.display import money
from kaohe.org.models import Employee

from .test_it_appraisals import PERIOD, walk_to
from .test_it_org_import import ZH_HEADER, counts
from .workflow import act, appraisal_of, launched_cycle


@pytest.fixture
def cycle(org):
    return launched_cycle(org, period=PERIOD)


@pytest.fixture
def scored(cycle, org):
    """ann's appraisal with a complete provisional score and a base pay."""
    ann = appraisal_of(cycle, org, "ann")
    Appraisal.objects.filter(pk=ann.pk).update(base_pay=Decimal("6000"))
    walk_to(ann, org, State.CALIBRATION)
    return ann


def finalise(appraisal, org):
    """From calibration to a finalised result, as HR, the rater and the employee do."""
    act(org.users["alice"], appraisal.pk, "calibrate")
    interview = {"strengths": "耐心", "improvements": "速度", "actions": "培训"}
    act(org.users["mike"], appraisal.pk, "record_interview", interview)
    act(org.users["ann"], appraisal.pk, "acknowledge")
    act(org.users["alice"], appraisal.pk, "finalise")


def stats(page):
    """The headline figures on an appraisal page: label → value."""
    found = re.findall(
        r'<span class="stat-value"[^>]*>([^<]+)</span><span class="stat-label">([^<]+)</span>', page
    )
    return {label.split(" · ")[0].strip(): value for value, label in found}


def the_same_page(first, second, *, numbers):
    """Whether two pages are the same but for what differs on every page (the CSRF token,
    the CSP nonce) and the address asked for (the language switch returns to it)."""

    def normal(response, number):
        per_page = rb'(nonce="|"X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+"'
        return re.sub(per_page, b"", response.content).replace(number.encode(), b"?")

    return normal(first, numbers[0]) == normal(second, numbers[1])


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("key", ["ann", "alice", "harry", "eve"])
def test_an_appraisal_page_with_pay_is_not_cached(scored, client_for, key):
    response = client_for(key).get(reverse("appraisal", args=[scored.pk]))
    assert response.status_code == 200
    assert "暂定绩效工资" in stats(response.content.decode())
    assert no_store(response)


def test_a_manager_sees_the_grade_and_coefficient_but_not_the_pay(scored, org, client_for):
    own = stats(client_for("ann").get(reverse("appraisal", args=[scored.pk])).content.decode())
    pay = own["暂定绩效工资"]
    response = client_for("mike").get(reverse("appraisal", args=[scored.pk]))
    page = response.content.decode()
    shown = stats(page)
    assert "暂定绩效工资" not in shown
    assert pay not in page
    assert shown["暂定等级"] == own["暂定等级"]
    assert shown["绩效系数"] == own["绩效系数"]
    assert not no_store(response)  # nothing on it needs keeping out of caches
    # Nor once the result is final.
    finalise(scored, org)
    final = client_for("mike").get(reverse("appraisal", args=[scored.pk])).content.decode()
    assert "绩效工资" not in stats(final)
    assert set(stats(final)) >= {"最终得分", "等级", "绩效系数"}
    assert str(scored.latest_result().pay) not in final


def test_the_list_with_pay_is_not_cached_and_the_scoped_list_shows_none(scored, client_for):
    for key in ("alice", "eve"):  # whole-organisation HR, the executive: pay on every row
        response = client_for(key).get(reverse("appraisals"))
        assert '<th class="hide-narrow">绩效工资</th>' in response.content.decode()
        assert no_store(response)
    for key in ("harry", "mike"):
        response = client_for(key).get(reverse("appraisals"))
        assert '<th class="hide-narrow">绩效工资</th>' not in response.content.decode()
        assert not no_store(response)


def test_the_cycle_page_with_base_pay_is_not_cached(cycle, client_for):
    response = client_for("alice").get(reverse("cycle", args=[cycle.pk]))
    assert response.status_code == 200
    assert no_store(response)


def test_the_audit_log_with_pay_is_not_cached(scored, org, client_for):
    finalise(scored, org)
    finalised = AuditEntry.objects.get(action="appraisal.finalise")
    pay = finalised.after["pay"]
    response = client_for("alice").get(reverse("audit-log"), {"action": "appraisal.finalise"})
    assert money(pay) in response.content.decode()  # "4,800.00", as people read it
    assert no_store(response)


PEOPLE_PAGES = ["person", "person-edit", "person-password", "person-deactivate"]


@pytest.mark.parametrize("name", PEOPLE_PAGES)
def test_whether_someone_exists_outside_the_scope_is_not_revealed(org, client_for, name):
    client = client_for("harry")
    outside = client.get(reverse(name, args=["H001"]))  # alice, in 人力资源部
    missing = client.get(reverse(name, args=["NOPE"]))
    assert outside.status_code == missing.status_code == 404
    assert the_same_page(outside, missing, numbers=("H001", "NOPE"))
    assert "爱丽丝" not in outside.content.decode()
    assert client.post(reverse(name, args=["H001"])).status_code == 404
    assert client.get(reverse(name, args=["A001"])).status_code == 200  # in his scope
    assert not AuditEntry.objects.exists()


def test_a_hire_date_far_in_the_future_is_refused_with_its_line(org, client_for):
    text = (
        ZH_HEADER
        + "C9,丁,企服部/客服中心/客服一组,客服专员,客服,M001,2026-09-01,,,\n"
        + "C8,戊,企服部/客服中心/客服一组,客服专员,客服,M001,2099-01-01,,,\n"
    )
    before = counts()
    file = SimpleUploadedFile("org.csv", text.encode())
    hr = client_for("alice")
    page = hr.post(reverse("org-import"), {"file": file}).content.decode()
    assert 'data-ok="false"' in page
    assert (
        '<td>3</td><td>入职日期 <code class="muted">hire_date</code></td>'
        "<td>入职日期 2099-01-01 离现在太远，请检查</td>"
    ) in page
    assert 'data-ok="false"' in hr.post(reverse("org-import-apply")).content.decode()
    assert counts() == before
    assert not Employee.objects.filter(number__in=["C8", "C9"]).exists()
