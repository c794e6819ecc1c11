"""Weight advice on the pages: the lake's key-account figures make a signal and a proposal
for the director's scheme; HR accepts it (as it is or edited) as a new version that no
running cycle takes, or rejects it with a reason; stages and launch flags; and nobody but
HR opens any of it.

The data: fifteen key accounts, five each owned by dora (企服部), mike (企服部/客服中心/
客服一组) and alice (人力资源部). Every one is visited in each of 2025-Q3 … 2026-Q2; in
2026-Q3 two of each five are. Looking on 2026-12-04, the revisit rate of the organisation
falls from 100 % to 40 %: 60 points, full strength, five points of weight.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kaohe.appraisals.models import CycleScheme
from kaohe.appraisals.scoring import score_appraisal
from kaohe.audit.models import AuditEntry
from kaohe.data.actions import do_import_data
from kaohe.insights.actions_advice import (
    LaunchFlagInput,
    do_look_for_signals,
    do_save_launch_flag,
)
from kaohe.insights.models import AdviceRun, AdviceSignal, LaunchFlag, Proposal
from kaohe.insights.tasks_advice import look_for_signals_task
from kaohe.schemes.actions import do_save_scheme
from kaohe.schemes.library import latest_version
from kaohe.schemes.models import SchemeVersion

from .factory import store_metrics_for_everyone
from .workflow import appraisal_of, launched_cycle

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
QUARTER_MONTHS = ["2025-08", "2025-11", "2026-02", "2026-05", "2026-08"]
OWNERS = {"D001": "dora", "M001": "mike", "H001": "alice"}


def write_lake(tmp_path, actor):
    accounts = ["account_id,name,key_account,owner_id"]
    visits = ["visit_id,account_id,employee_id,visited_at"]
    for owner in OWNERS:
        for n in range(5):
            account = f"KA-{owner}-{n}"
            accounts.append(f"{account},客户{owner}{n},1,{owner}")
            for q, month in enumerate(QUARTER_MONTHS):
                if q < 4 or n < 2:  # the last quarter: two of each five
                    visits.append(f"V{q}-{account},{account},{owner},{month}-10 10:00:00")
    for source, lines in (("accounts", accounts), ("visits", visits)):
        path = tmp_path / f"{source}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        do_import_data(actor, source, path, path.name)


@pytest.fixture
def lake(settings, tmp_path, org):
    settings.HOME = tmp_path
    write_lake(tmp_path, org.users["alice"])


@pytest.fixture
def looked(lake, org):
    return do_look_for_signals(org.users["alice"], now=NOW)


def director_proposal():
    return Proposal.objects.get(code="cs-director", kind=Proposal.Kind.SIGNALS,
                                status=Proposal.Status.PENDING)  # fmt: skip


def advice_pages(proposal_pk, flag_pk):
    return [
        reverse("advice"),
        reverse("advice-proposal", args=[proposal_pk]),
        reverse("advice-proposal-edit", args=[proposal_pk]),
        reverse("advice-flag-new"),
        reverse("advice-flag", args=[flag_pk]),
        reverse("advice-flag-delete", args=[flag_pk]),
    ]


def writes(proposal_pk, flag_pk):
    return [
        (reverse("advice-look"), {}),
        (reverse("advice-stage"), {"version": latest_version("cs-director").pk,
                                   "stage": "growth"}),
        (reverse("advice-proposal-accept", args=[proposal_pk]), {}),
        (reverse("advice-proposal-reject", args=[proposal_pk]), {"reason": "不需要"}),
        (reverse("advice-flag-new"), {"name": "X"}),
        (reverse("advice-flag-end", args=[flag_pk]), {}),
        (reverse("advice-flag-delete", args=[flag_pk]), {}),
    ]  # fmt: skip


@pytest.fixture
def flag(org):
    return do_save_launch_flag(org.users["alice"], None, LaunchFlagInput(
        "新品 A", date(2026, 12, 1), date(2027, 2, 28), ["fcr"], 3))  # fmt: skip


# --- who may ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client_for, looked, flag):
    for url in advice_pages(director_proposal().pk, flag.pk):
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["ann", "mike", "dora", "eve"])  # eve: executive and manager
def test_nobody_but_hr_opens_or_changes_anything(client_for, looked, flag, role):
    proposal = director_proposal()
    client = client_for(role)
    for url in advice_pages(proposal.pk, flag.pk):
        assert client.get(url).status_code == 403, url
    before = AuditEntry.objects.count()
    for url, data in writes(proposal.pk, flag.pk):
        assert client.post(url, data).status_code == 403, url
    assert AuditEntry.objects.count() == before
    assert director_proposal().is_pending
    assert LaunchFlag.objects.filter(pk=flag.pk, ended_on=None).exists()


def test_hr_for_the_whole_organisation_opens_every_page(client_for, looked, flag):
    client = client_for("alice")
    for url in advice_pages(director_proposal().pk, flag.pk):
        assert client.get(url).status_code == 200, url


def test_department_hr_reads_but_decides_nothing_on_the_organisations_schemes(
    client_for, looked, flag
):
    """harry (HR for 客服中心) may use the organisation's schemes but not save them, as the
    schemes policy says: he reads the advice and changes none of it."""
    proposal = director_proposal()
    client = client_for("harry")
    assert client.get(reverse("advice")).status_code == 200
    assert client.get(reverse("advice-proposal", args=[proposal.pk])).status_code == 200
    refused = [reverse("advice-proposal-edit", args=[proposal.pk]), reverse("advice-flag-new")]
    for url in refused:
        assert client.get(url).status_code == 403, url
    for url, data in writes(proposal.pk, flag.pk):
        assert client.post(url, data).status_code == 403, url
    assert director_proposal().is_pending
    page = client.get(reverse("advice-proposal", args=[proposal.pk])).content.decode()
    assert 'data-testid="decide"' not in page


def test_department_hr_sees_the_organisations_signal_and_their_departments_only(page_for, looked):
    seen = {
        key: set(re.findall(r'data-subject="([^"]+)"', page_for(key).get(reverse("advice"))
                            .content.decode()))
        for key in ("alice", "harry")
    }  # fmt: skip
    departments = {
        s.department.path: s.subject for s in AdviceSignal.objects.exclude(department=None)
    }
    # 企服部 (dora and mike), 客服中心 (mike; 客服一组 is the same), 人力资源部 (alice).
    assert set(departments) == {"企服部", "企服部/客服中心", "人力资源部"}
    assert seen["alice"] == {"org", *departments.values()}
    assert seen["harry"] == {"org", departments["企服部/客服中心"]}


# --- looking for signals ---------------------------------------------------------------------


def test_looking_finds_the_key_account_signal_and_proposes_for_the_director(org, lake):
    report = do_look_for_signals(org.users["alice"], now=NOW)
    run = AdviceRun.objects.get()
    assert run.quarters == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    signal = AdviceSignal.objects.get(run=run, subject="org")
    assert (signal.kind, signal.strength, signal.weight) == ("key_accounts", 1.0, 5)
    assert [r["value"] for r in signal.figures[0]["readings"]] == [100, 100, 100, 100, 40]
    assert signal.sentence_en.startswith("Key-account churn risk is rising for the organisation")
    # Only the director's scheme reads the key-account revisit rate.
    assert [p.code for p in report.made] == ["cs-director"]
    proposal = report.made[0]
    changes = {c["indicator"]: c for c in proposal.changes}
    assert (changes["key_account_revisit"]["points_before"],
            changes["key_account_revisit"]["points_after"]) == ("10", "14")  # fmt: skip
    assert changes["key_account_revisit"]["reason_en"] == signal.sentence_en
    assert proposal.base_version == latest_version("cs-director")
    assert set(proposal.signals.all()) >= {signal}
    entry = AuditEntry.objects.get(action="advice.look")
    assert entry.after["proposals"] == [str(proposal)]


def test_looking_again_keeps_the_same_proposal(org, looked):
    again = do_look_for_signals(org.users["alice"], now=NOW)
    assert again.made == []
    assert again.unchanged == 1
    assert Proposal.objects.filter(code="cs-director").count() == 1


def test_the_page_looks_for_signals_now(page_for, lake):
    response = page_for("alice").post(reverse("advice-look"), follow=True)
    assert response.status_code == 200
    assert Proposal.objects.filter(code="cs-director", status="pending").exists()
    page = response.content.decode()
    assert "Key-account churn risk" in page
    assert 'data-subject="org"' in page


def test_the_scheduled_task_looks_as_the_system(lake):
    made = look_for_signals_task.enqueue().return_value
    assert made == Proposal.objects.filter(status="pending").count() >= 1
    assert AdviceRun.objects.get().by is None


def test_no_data_no_signal(org, settings, tmp_path):
    settings.HOME = tmp_path
    report = do_look_for_signals(org.users["alice"], now=NOW)
    assert (report.signals, report.made) == (0, [])


# --- the pages -------------------------------------------------------------------------------


def test_the_signal_shows_its_figures_rounded_and_whose(page_for, looked):
    page = page_for("alice", "zh-hans").get(reverse("advice")).content.decode()
    assert (
        "全公司大客户流失风险上升：大客户回访执行率由此前 4 个季度平均 100% 降至 2026-Q3 的 40%。"
        in page
    )
    assert "大客户回访执行率 · 全公司" in page  # whose each figure is
    english = page_for("alice").get(reverse("advice")).content.decode()
    assert '<td class="num">40 %</td>' in english


def test_the_proposal_page_shows_the_changes_the_diff_and_the_what_if(page_for, looked):
    proposal = director_proposal()
    page = page_for("alice").get(reverse("advice-proposal", args=[proposal.pk])).content.decode()
    row = re.search(r'<tr data-indicator="key_account_revisit".*?</tr>', page, re.S).group(0)
    assert "10 → <strong>14</strong>" in row
    assert "10.6 % → <strong>14.9 %</strong>" in row  # 85 × 10/80 → 85 × 14/80
    assert "Key-account churn risk" in row
    assert '<span class="diff-del">-    max_points: 10</span>' in page
    assert '<span class="diff-add">+    max_points: 14</span>' in page
    assert 'data-testid="what-if"' in page
    assert 'data-testid="decide"' in page


def test_the_what_if_names_the_last_finished_cycle(org, lake):
    """A cycle whose appraisals under the scheme are all closed is the one to replay on."""
    from kaohe.appraisals.models import Appraisal

    cycle = launched_cycle(org, period="2026-Q2")
    Appraisal.objects.filter(cycle=cycle).update(state="closed")
    launched_cycle(org, period="2026-Q3")  # running: not finished
    proposal = do_look_for_signals(org.users["alice"], now=NOW).made[0]
    assert proposal.compare_cycle == cycle
    assert (
        proposal.compare_version
        == CycleScheme.objects.get(cycle=cycle, position=org.people["dora"].position).version
    )


def test_the_what_if_runs_the_proposal_on_that_cycle_and_writes_nothing(org, page_for, lake):
    """The proposal page's what-if posts the proposed text to the simulator: the director's
    total under the proposal, beside the old one, and no result or appraisal touched."""
    from kaohe.appraisals.models import Appraisal, Result

    cycle = launched_cycle(org, period="2026-Q2")
    store_metrics_for_everyone("2026-Q2", 95)
    Appraisal.objects.filter(cycle=cycle).update(state="closed")
    proposal = do_look_for_signals(org.users["alice"], now=NOW).made[0]
    hr = page_for("alice")
    page = hr.get(reverse("advice-proposal", args=[proposal.pk])).content.decode()
    form = re.search(r'<section class="card" id="advice-what-if".*?</form>', page, re.S).group(0)
    action = re.search(r'action="([^"]+)"', form).group(1)
    assert action == reverse("whatif-run", args=[cycle.pk, proposal.compare_version_id])
    text = html.unescape(re.search(r'name="text" value="([^"]*)"', form, re.S).group(1))
    assert text == proposal.text
    before = (
        list(Appraisal.objects.values_list("pk", "state", "frozen_inputs")),
        Result.objects.count(),
    )

    result = hr.post(action, {"mode": "yaml", "text": text})

    assert result.status_code == 200
    shown = result.content.decode()
    assert 'data-testid="moves"' in shown
    assert org.people["dora"].number in shown  # the director, scored by the proposal
    after = (
        list(Appraisal.objects.values_list("pk", "state", "frozen_inputs")),
        Result.objects.count(),
    )
    assert after == before


# --- deciding --------------------------------------------------------------------------------


def points_of(appraisal):
    """Each indicator's points as the appraisal scores now (None where a rating is missing)."""
    result = score_appraisal(appraisal).result
    return {i.indicator.id: i.points for i in result.indicators}


def test_accepting_makes_a_new_version_and_leaves_the_running_cycle_alone(org, page_for, lake):
    cycle = launched_cycle(org)  # running, the director on cs-director v1
    store_metrics_for_everyone("2026-Q3", 95)
    director = appraisal_of(cycle, org, "dora")
    before = points_of(director)
    assert before["key_account_revisit"] == 5  # 95 % revisited: ≥ 90 → 5 of v1's 10
    setting = CycleScheme.objects.get(cycle=cycle, position=org.people["dora"].position)
    old = setting.version
    proposal = do_look_for_signals(org.users["alice"], now=NOW).made[0]

    response = page_for("alice").post(reverse("advice-proposal-accept", args=[proposal.pk]))
    assert response.status_code == 302

    proposal.refresh_from_db()
    new = proposal.accepted_version
    assert proposal.status == "accepted"
    assert not proposal.edited
    assert (new.code, new.number, new.text) == ("cs-director", old.number + 1, proposal.text)
    assert latest_version("cs-director") == new
    setting.refresh_from_db()
    director.refresh_from_db()
    assert setting.version == old
    assert director.version == old
    assert points_of(director) == before  # v2 would give 7 of 14
    assert list(AuditEntry.objects.filter(action__in=["scheme.save", "advice.accept"])
                .values_list("action", flat=True).order_by("id")) == ["scheme.save",
                                                                      "advice.accept"]  # fmt: skip


def test_editing_the_points_then_accepting_the_edited_version(org, page_for, looked):
    proposal = director_proposal()
    client = page_for("alice")
    form = {"text": proposal.text, "points-key_account_revisit": "12", "op": "apply"}
    applied = client.post(reverse("advice-proposal-edit", args=[proposal.pk]), form,
                          HTTP_HX_REQUEST="true")  # fmt: skip
    assert applied.status_code == 200
    fragment = applied.content.decode()
    assert fragment.lstrip().startswith('<form method="post"')  # the editor only
    text = html.unescape(
        re.search(r'<textarea id="id_text"[^>]*>(.*?)</textarea>', fragment, re.S).group(1)
    )
    assert "    max_points: 12\n" in text
    response = client.post(reverse("advice-proposal-accept", args=[proposal.pk]), {"text": text})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.edited
    assert proposal.accepted_version.text == text
    assert proposal.accepted_version.scheme().indicator("key_account_revisit").max_points == 12


def test_an_edited_text_with_errors_is_not_accepted(page_for, looked):
    proposal = director_proposal()
    broken = proposal.text.replace("  weight: 85\n", "  weight: 80\n", 1)
    assert broken != proposal.text
    response = page_for("alice").post(reverse("advice-proposal-accept", args=[proposal.pk]),
                                      {"text": broken})  # fmt: skip
    assert response.status_code == 422
    assert "fix the errors" in response.content.decode()
    assert director_proposal().is_pending
    assert SchemeVersion.objects.filter(code="cs-director").count() == 1


def test_rejecting_needs_a_reason(page_for, looked):
    proposal = director_proposal()
    client = page_for("alice")
    client.post(reverse("advice-proposal-reject", args=[proposal.pk]), {"reason": "  "})
    assert director_proposal().is_pending
    client.post(reverse("advice-proposal-reject", args=[proposal.pk]),
                {"reason": "大客户回访已另有专项考核"})  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == ("rejected", "大客户回访已另有专项考核")
    assert AuditEntry.objects.get(action="advice.reject").note == "大客户回访已另有专项考核"
    assert SchemeVersion.objects.filter(code="cs-director").count() == 1
    again = client.post(reverse("advice-proposal-accept", args=[proposal.pk]), follow=True)
    assert "This proposal has been rejected already." in again.content.decode()


def test_a_proposal_on_a_scheme_changed_since_cannot_be_accepted(org, page_for, looked):
    proposal = director_proposal()
    base = proposal.base_version
    do_save_scheme(org.users["alice"], base, base.text.replace("按季度进行", "按季度进行。", 1))
    page = page_for("alice").get(reverse("advice-proposal", args=[proposal.pk])).content.decode()
    assert 'data-testid="stale"' in page
    assert 'data-testid="decide"' not in page
    page_for("alice").post(reverse("advice-proposal-accept", args=[proposal.pk]))
    assert director_proposal().is_pending
    assert SchemeVersion.objects.filter(code="cs-director").count() == 2


# --- stages ----------------------------------------------------------------------------------


def test_the_stages_are_offered_for_the_directors_scheme(page_for, org):
    page = page_for("alice").get(reverse("advice")).content.decode()
    offered = set(re.findall(r'data-testid="stage-([a-z-]+)"', page))
    assert offered == {"cs-director-startup", "cs-director-growth", "cs-director-mature"}
    response = page_for("alice").post(reverse("advice-stage"), {
        "version": latest_version("cs-director").pk, "stage": "growth"})  # fmt: skip
    proposal = Proposal.objects.get(kind="stage")
    assert response["Location"] == reverse("advice-proposal", args=[proposal.pk])
    assert {c["indicator"]: (c["points_before"], c["points_after"]) for c in proposal.changes} == {
        "process_system": ("20", "10"), "customer_satisfaction": ("20", "30")}  # fmt: skip
    assert AuditEntry.objects.filter(action="advice.stage").count() == 1


def test_accepting_one_proposal_supersedes_the_schemes_others(org, page_for, looked):
    client = page_for("alice")
    client.post(reverse("advice-stage"), {"version": latest_version("cs-director").pk,
                                          "stage": "mature"})  # fmt: skip
    stage = Proposal.objects.get(kind="stage")
    client.post(reverse("advice-proposal-accept", args=[director_proposal().pk]))
    stage.refresh_from_db()
    assert stage.status == "superseded"


# --- launch flags ----------------------------------------------------------------------------


def test_hr_flags_a_launch_edits_ends_and_deletes_it(page_for, org):
    client = page_for("alice")
    form = {"name": "新品 A 上线", "starts_on": "2026-12-01", "ends_on": "2027-02-28",
            "indicators": ["fcr", "qa_pass_rate"], "weight": "4", "note": ""}  # fmt: skip
    refused = client.post(reverse("advice-flag-new"), {**form, "ends_on": "2026-11-01"})
    assert refused.status_code == 422
    assert 'data-field="ends_on"' in refused.content.decode()
    unknown = client.post(reverse("advice-flag-new"), {**form, "indicators": ["nope"]})
    assert 'data-field="indicators"' in unknown.content.decode()
    assert client.post(reverse("advice-flag-new"), form).status_code == 302
    flag = LaunchFlag.objects.get()
    assert (flag.name, flag.indicators, flag.weight) == ("新品 A 上线", ["fcr", "qa_pass_rate"], 4)
    client.post(reverse("advice-flag", args=[flag.pk]), {**form, "weight": "2"})
    flag.refresh_from_db()
    assert flag.weight == 2
    client.post(reverse("advice-flag-end", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.ended_on is not None
    confirm = client.get(reverse("advice-flag-delete", args=[flag.pk]))
    assert 'data-testid="confirm-delete"' in confirm.content.decode()
    assert LaunchFlag.objects.exists()  # asking deletes nothing
    client.post(reverse("advice-flag-delete", args=[flag.pk]))
    assert not LaunchFlag.objects.exists()
    assert list(AuditEntry.objects.filter(action__startswith="advice.flag")
                .values_list("action", flat=True).order_by("id")) == [
        "advice.flag", "advice.flag", "advice.flag_end", "advice.flag_delete"]  # fmt: skip


def test_a_launch_flag_proposes_more_weight_on_its_indicators(org, flag, settings, tmp_path):
    settings.HOME = tmp_path  # no data: the flag alone
    report = do_look_for_signals(org.users["alice"], now=NOW)
    proposal = next(p for p in report.made if p.code == "cs-agent")
    changes = {c["indicator"]: c for c in proposal.changes}
    assert changes["fcr"]["raised"]
    assert float(changes["fcr"]["points_after"]) > float(changes["fcr"]["points_before"])
    assert "新品 A" in changes["fcr"]["reason_zh"]
    assert not changes["qa_pass_rate"]["raised"]  # the same dimension gives way


def test_an_ended_flag_is_read_no_more(org, flag, settings, tmp_path):
    from kaohe.insights.actions_advice import do_end_launch_flag

    settings.HOME = tmp_path
    do_end_launch_flag(org.users["alice"], flag.pk)
    assert do_look_for_signals(org.users["alice"], now=NOW).made == []


def test_every_advice_write_is_audited_and_read_out_in_words(client_for, page_for, looked):
    from .test_it_audit_every_write import read_out

    client = page_for("alice")
    client.post(reverse("advice-stage"), {"version": latest_version("cs-director").pk,
                                          "stage": "growth"})  # fmt: skip
    client.post(reverse("advice-proposal-reject", args=[Proposal.objects.get(kind="stage").pk]),
                {"reason": "以流程建设为重点"})  # fmt: skip
    client.post(reverse("advice-proposal-accept", args=[director_proposal().pk]))
    form = {"name": "新品 B", "starts_on": "2026-12-01", "ends_on": "2027-01-31",
            "indicators": ["fcr"], "weight": "2"}  # fmt: skip
    client.post(reverse("advice-flag-new"), form)
    flag = LaunchFlag.objects.get()
    client.post(reverse("advice-flag-end", args=[flag.pk]))
    client.post(reverse("advice-flag-delete", args=[flag.pk]))
    actions = ["advice.look", "advice.stage", "advice.reject", "advice.accept", "advice.flag",
               "advice.flag_end", "advice.flag_delete"]  # fmt: skip
    for action in actions:
        entry = AuditEntry.objects.filter(action=action).latest("id")
        read_out(client_for, entry)


def test_department_hr_decides_on_their_own_copy_of_a_scheme(org, page_for, api_for):
    """What the schemes policy lets harry save — his department's own copy — he proposes
    a stage for and accepts, on the page and through the API alike."""
    from kaohe.schemes.actions import do_clone_scheme
    from kaohe.tokens.models import TokenScope

    copy = do_clone_scheme(org.users["harry"], latest_version("cs-director"), "cs-director-hq")
    client = page_for("harry")
    client.post(reverse("advice-stage"), {"version": copy.pk, "stage": "growth"})
    proposal = Proposal.objects.get(code="cs-director-hq")
    assert client.get(reverse("advice-proposal-edit", args=[proposal.pk])).status_code == 200
    assert client.post(reverse("advice-proposal-accept", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    # No cycle has used the copy: the library saves the draft in place, as its editor does.
    assert proposal.accepted_version == copy
    assert set(proposal.accepted_version.departments.all()) == set(copy.departments.all())
    assert org.departments["企服部/客服中心"] in set(copy.departments.all())
    # The organisation's scheme stays beyond him.
    api = api_for("harry", TokenScope.WRITE)
    refused = api.post("/api/v1/insights/advice/stages",
                       {"scheme": "cs-director", "stage": "growth"},
                       content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    made = api.post("/api/v1/insights/advice/stages", {"scheme": "cs-director-hq",
                                                         "stage": "mature"},
                    content_type="application/json")  # fmt: skip
    assert made.status_code == 201
    assert made.json()["may_decide"] is True


def test_hr_who_is_also_a_manager_is_still_hr(org, page_for, looked):
    """Roles add up: alice managing someone changes nothing here, and harry managing
    someone gives him nothing more."""
    from kaohe.org.models import Employee

    Employee.objects.filter(pk=org.people["amy"].pk).update(manager=org.people["alice"])
    Employee.objects.filter(pk=org.people["bob"].pk).update(manager=org.people["harry"])
    proposal = director_proposal()
    assert (
        page_for("alice").get(reverse("advice-proposal-edit", args=[proposal.pk])).status_code
        == 200
    )
    assert (
        page_for("harry").get(reverse("advice-proposal-edit", args=[proposal.pk])).status_code
        == 403
    )
    assert page_for("harry").post(reverse("advice-look")).status_code == 403
