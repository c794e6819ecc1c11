"""Creating a cycle: deadlines in stage order and a period kaohe reads, refused in the
reader's language otherwise; a position without a fitting default scheme waits for HR."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from kaohe.appraisals.actions import CycleRefused
from kaohe.appraisals.models import Appraisal, Cycle, CycleScheme
from kaohe.appraisals.workflow import State
from kaohe.schemes.library import import_builtin_schemes
from kaohe.schemes.models import SchemeVersion

from .workflow import new_cycle

OUT_OF_ORDER = {
    "zh-hans": "“待员工确认”的截止日期（2026-10-01）早于“草稿”的截止日期（2026-10-10）；"
    "各阶段须按顺序进行。",
    "en": "The deadline for “Awaiting confirmation” (2026-10-01) is before the one for "
    "“Draft” (2026-10-10); stages come in order.",
}
BAD_PERIOD = {
    "zh-hans": "请按月（2026-09）、季度（2026-Q3）、半年（2026-H2）或年（2026）填写考核期间。",
    "en": "Write the period as a month (2026-09), a quarter (2026-Q3), a half year (2026-H2) "
    "or a year (2026).",
}


@pytest.fixture
def hr(client_for, org):
    import_builtin_schemes()
    return client_for("alice")


def cycle_form(org, **changes):
    return {"name": "2026 Q4", "period": "2026-Q4", "appeal_days": 7,
            "departments": [org.departments["企服部"].pk], **changes}  # fmt: skip


def post_in(client, lang, data):
    client.cookies["django_language"] = lang
    response = client.post(reverse("cycle-new"), data)
    assert response.status_code == 200  # the form again, with the reason
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_deadlines_out_of_stage_order_are_refused(hr, org, lang):
    data = cycle_form(org, deadline_draft="2026-10-10", deadline_confirming="2026-10-01")
    assert OUT_OF_ORDER[lang] in post_in(hr, lang, data)
    assert not Cycle.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("period", ["2026-Q5", "2026-13", "下个季度"])
def test_a_period_kaohe_cannot_read_is_refused(hr, org, lang, period):
    assert BAD_PERIOD[lang] in post_in(hr, lang, cycle_form(org, period=period))
    assert not Cycle.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_action_refuses_them_too(org, lang):
    with translation.override(lang), pytest.raises(CycleRefused) as refused:
        new_cycle(
            org.users["alice"], name="Q4", period="2026-Q4",
            departments=[org.departments["企服部"]],
            deadlines={State.DRAFT: "2026-10-10", State.CONFIRMING: "2026-10-01"},
        )  # fmt: skip
    assert refused.value.problems == [OUT_OF_ORDER[lang]]
    assert not Cycle.objects.exists()


def test_deadlines_in_order_make_the_cycle(hr, org):
    data = cycle_form(org, deadline_draft="2026-10-10", deadline_calibration="2026-12-01")
    response = hr.post(reverse("cycle-new"), data)
    cycle = Cycle.objects.get()
    assert response["Location"] == reverse("cycle", args=[cycle.pk])
    assert cycle.deadlines == {"draft": "2026-10-10", "calibration": "2026-12-01"}


def test_a_position_without_a_fitting_scheme_waits_for_a_choice(
    hr, org, django_capture_on_commit_callbacks
):
    everyone = [org.departments[path].pk for path in ("企服部", "人力资源部", "总经理办公室")]
    hr.post(reverse("cycle-new"), cycle_form(org, departments=everyone))
    cycle = Cycle.objects.get()
    settings = {s.position.name: s for s in CycleScheme.objects.filter(cycle=cycle)}
    # 总经理 and 绩效专员 are of the role family "other": no default fits them.
    assert {name for name, s in settings.items() if s.version is None} == {"总经理", "绩效专员"}
    assert settings["客服专员"].version.code == "cs-agent"
    page = hr.get(reverse("cycle", args=[cycle.pk])).content.decode()
    assert page.count("该岗位没有默认方案：请选择一个，或设为不参加考核。") == 2
    assert "请为以下岗位选择考核方案，或设为不参加考核：总经理、绩效专员。" in page
    assert 'data-testid="launch" disabled' in page
    refused = hr.post(reverse("cycle-launch", args=[cycle.pk]), follow=True).content.decode()
    assert "请为以下岗位选择考核方案，或设为不参加考核：总经理、绩效专员。" in refused
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.DRAFT
    assert not Appraisal.objects.exists()
    # HR leaves 总经理 out and appraises 绩效专员 with the administration scheme.
    admin = SchemeVersion.objects.get(code="admin-staff")
    form = {f"version_{s.pk}": s.version_id for s in settings.values() if s.version_id}
    form[f"version_{settings['总经理'].pk}"] = "left-out"
    form[f"version_{settings['绩效专员'].pk}"] = admin.pk
    hr.post(reverse("cycle", args=[cycle.pk]), form)
    page = hr.get(reverse("cycle", args=[cycle.pk])).content.decode()
    assert "该岗位没有默认方案" not in page
    assert 'data-testid="launch" disabled' not in page
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("cycle-launch", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN
    appraised = dict(
        Appraisal.objects.filter(cycle=cycle).values_list("employee__number", "version__code")
    )
    assert appraised["H001"] == appraised["H002"] == "admin-staff"
    assert "E001" not in appraised  # 总经理: left out
    assert appraised["A001"] == "cs-agent"
