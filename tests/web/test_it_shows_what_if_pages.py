"""The What-if pages: who opens them (HR only, each over their scope), the editor reusing
the scheme form, the result page's figures and people, saving, deleting and exporting a
run — and that running one writes nothing."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.appraisals.models import Appraisal, Result, Transition
from kaohe.audit.models import AuditEntry
from kaohe.insights.models import SavedWhatIf
from kaohe.org.models import AccessGrant, GrantRole
from kaohe.schemes.models import SchemeVersion
from tests.web.scheme_form import form_values
from tests.web.test_it_scores_a_what_if import everything, weights
from tests.web.whatif_data import agent_version, build_cycle, changed_text


@pytest.fixture
def cycle(org):
    return build_cycle(org)


@pytest.fixture
def version(cycle):
    return agent_version(cycle)


def addresses(cycle, version, saved):
    """Every what-if page, with the method it is opened by."""
    edit = (cycle.pk, version.pk)
    return [
        ("get", reverse("whatif")),
        ("get", reverse("whatif-new") + f"?cycle={cycle.pk}"),
        ("get", reverse("whatif-edit", args=edit)),
        ("post", reverse("whatif-redraw", args=edit)),
        ("post", reverse("whatif-run", args=edit)),
        ("post", reverse("whatif-save", args=edit)),
        ("get", reverse("whatif-saved", args=[saved.pk])),
        ("get", reverse("whatif-reopen", args=[saved.pk])),
        ("get", reverse("whatif-delete", args=[saved.pk])),
        ("get", reverse("whatif-export", args=[saved.pk, "xlsx"])),
    ]


def save(org, cycle, version, text, name="绩效权重调高", key="alice"):
    from kaohe.insights.actions import SaveWhatIf, do_save_whatif

    return do_save_whatif(org.users[key], SaveWhatIf(name, cycle.pk, version.pk, text))


def opened(client, method, address, **data):
    """A page opened as a browser would: a GET with no form, a POST with it."""
    if method == "get":
        return client.get(address)
    return client.post(address, data)


def run(client, cycle, version, text, **more):
    return client.post(
        reverse("whatif-run", args=[cycle.pk, version.pk]), {"text": text, "mode": "yaml", **more}
    )


def test_anonymous_readers_are_sent_to_sign_in(org, cycle, version, client_for):
    saved = save(org, cycle, version, version.text)
    client = client_for(None)
    for method, address in addresses(cycle, version, saved):
        response = opened(client, method, address, text=version.text)
        assert response.status_code == 302, address
        assert "/login" in response["Location"] or "/accounts/" in response["Location"]


@pytest.mark.parametrize("key", ["ann", "mike", "dora", "eve", "nobody"])
def test_employees_managers_and_executives_are_refused(org, cycle, version, client_for, key):
    """ann an employee, mike a manager, dora a manager of managers, eve the executive viewer
    who is also dora's manager: none of them runs or reads a what-if."""
    saved = save(org, cycle, version, version.text)
    client = client_for(key)
    for method, address in addresses(cycle, version, saved):
        response = opened(client, method, address, text=version.text, name="x")
        assert response.status_code == 403, (key, address)
    assert SavedWhatIf.objects.count() == 1
    assert not AuditEntry.objects.filter(action="insights.whatif_export").exists()


def test_hr_opens_every_page(org, cycle, version, page_for):
    saved = save(org, cycle, version, version.text)
    client = page_for("alice")
    for method, address in addresses(cycle, version, saved):
        if address.endswith("/save/"):
            continue  # below, with a name
        response = opened(client, method, address, text=version.text, mode="yaml")
        assert response.status_code == 200, address


def test_scoped_hr_sees_only_their_people_and_their_departments(org, cycle, version, page_for):
    client = page_for("harry")  # HR for 客服中心
    page = run(client, cycle, version, changed_text(version, everything), everyone="1")
    html = page.content.decode()
    numbers = set(re.findall(r'data-testid="row-([A-Z]\d+)"', html))
    assert numbers == {"A001", "A002", "B001", "L001", "M001"}
    departments = set(re.findall(r'<tr data-department="([^"]+)"', html))
    assert departments == {"客服一组", "客服二组"}
    director = Appraisal.objects.get(cycle=cycle, employee=org.people["dora"]).version
    response = run(client, cycle, director, director.text)
    assert response.status_code == 404  # the director's scheme holds nobody of harry's


def test_hr_who_is_also_a_manager_reads_their_hr_scope_not_their_team(org, cycle, version,
                                                                      page_for):  # fmt: skip
    """lena manages bob in 客服二组; as HR she is granted 客服一组 only."""
    grant = AccessGrant.objects.create(user=org.users["lena"], role=GrantRole.HR_ADMIN)
    grant.departments.add(org.departments["企服部/客服中心/客服一组"])
    html = run(page_for("lena"), cycle, version, version.text, everyone="1").content.decode()
    assert set(re.findall(r'data-testid="row-([A-Z]\d+)"', html)) == {"A001", "A002", "M001"}


def test_saved_runs_open_only_for_hr_whose_scope_holds_them(org, cycle, version, page_for):
    whole = save(org, cycle, version, version.text, "全组织", key="alice")
    centre = save(org, cycle, version, version.text, "客服中心", key="harry")
    listed = page_for("harry").get(reverse("whatif")).content.decode()
    assert "客服中心" in listed
    assert "全组织" not in listed
    assert page_for("harry").get(reverse("whatif-saved", args=[whole.pk])).status_code == 404
    assert page_for("alice").get(reverse("whatif-saved", args=[centre.pk])).status_code == 200


def table_state():
    return (
        list(Appraisal.objects.order_by("pk").values_list(
            "state", "calibration", "frozen_inputs", "ratings", "data_cutoff", "updated_at")),
        list(Result.objects.order_by("pk").values_list("number", "total", "grade", "pay")),
        list(SchemeVersion.objects.order_by("pk").values_list("text", "frozen", "number")),
        Transition.objects.count(),
    )  # fmt: skip


def test_running_paging_and_saving_write_nothing_but_the_saved_run(org, cycle, version, page_for):
    before, audited = table_state(), AuditEntry.objects.count()
    client = page_for("alice")
    text = changed_text(version, everything)
    assert run(client, cycle, version, text).status_code == 200
    assert run(client, cycle, version, text, movement="down", sort="change").status_code == 200
    client.post(reverse("whatif-redraw", args=[cycle.pk, version.pk]), {"text": text})
    saved = client.post(
        reverse("whatif-save", args=[cycle.pk, version.pk]), {"text": text, "name": "试算"}
    )
    assert saved.status_code == 302
    assert table_state() == before
    new_rows = AuditEntry.objects.order_by("pk")[audited:]
    assert [entry.action for entry in new_rows] == ["insights.whatif_save"]
    entry = new_rows[0]
    assert entry.after["name"] == "试算"
    assert entry.after["scheme"] == str(version)
    assert SavedWhatIf.objects.get().text == text


def test_the_editor_changes_a_weight_in_the_scheme_form_and_runs_it(org, cycle, version, page_for):
    client = page_for("alice")
    editor = client.get(reverse("whatif-edit", args=[cycle.pk, version.pk])).content.decode()
    posted = form_values(editor)
    weight = next(name for name in posted if name.endswith("/weight") and posted[name] == "60")
    posted[weight] = "80"
    capability = next(n for n in posted if n.endswith("/weight") and posted[n] == "20")
    posted[capability] = "10"
    attitude = next(n for n in posted if n.endswith("/weight") and posted[n] == "20")
    posted[attitude] = "10"
    from_form = client.post(reverse("whatif-run", args=[cycle.pk, version.pk]), posted)
    assert from_form.status_code == 200
    from_yaml = run(client, cycle, version, changed_text(version, weights))

    assert _new_totals(from_form) == _new_totals(from_yaml)
    assert _new_totals(from_form) != _new_totals(run(client, cycle, version, version.text))


def _new_totals(response):
    html = response.content.decode()
    rows = re.findall(r'<tr data-testid="row-(\w+)".*?</tr>', html, re.S)
    cells = re.findall(r'data-label="New total ">([^<]*)<', html)
    return list(zip(rows, cells, strict=True))


def test_the_form_adds_a_tier_and_switches_to_yaml_and_back(org, cycle, version, page_for):
    client = page_for("alice")
    edit = reverse("whatif-edit", args=[cycle.pk, version.pk])
    posted = form_values(client.get(edit).content.decode())
    op = "add-row:f/dimensions/0/indicators/0/rule/tiers"
    redrawn = client.post(
        reverse("whatif-redraw", args=[cycle.pk, version.pk]), {**posted, "op": op},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="whatif-editor",
    )  # fmt: skip
    html = redrawn.content.decode()
    assert "<html" not in html  # the editor alone
    assert 'data-testid="whatif-editor"' in html
    assert html.count("/rule/tiers/") > posted_tiers(posted)
    as_yaml = client.post(edit, {**form_values(html), "tab": "yaml"}).content.decode()
    assert 'data-testid="yaml"' in as_yaml
    text = re.search(r'<textarea id="id_text"[^>]*>(.*?)</textarea>', as_yaml, re.S).group(1)
    assert text.count("points: 0") > version.text.count("points: 0")


def posted_tiers(posted):
    return sum(1 for name in posted if "/rule/tiers/" in name)


def test_a_scheme_with_errors_is_not_run_and_says_why(org, cycle, version, page_for):
    broken = version.text.replace("weight: 60", "weight: 90")  # weights above 100
    response = run(page_for("alice"), cycle, version, broken)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-errors="true"' in html
    assert 'data-testid="people"' not in html


def test_the_result_shows_the_figures_first_then_the_people(org, cycle, version, page_for):
    html = run(page_for("alice"), cycle, version, changed_text(version, everything)).content
    html = html.decode()
    moves, distribution = html.index('data-testid="moves"'), html.index('data-testid="grades"')
    assert moves < distribution < html.index('data-testid="budget"') < html.index('id="people"')
    assert re.search(r'data-testid="down">2<', html)
    assert 'data-testid="live"' in html  # mike and lena are read as scoring reads them now
    lena = re.search(r'<tr data-testid="row-L001".*?</tr>', html, re.S).group(0)
    assert "values missing: Professional skill" in lena


def test_the_people_filter_by_movement_sort_and_page(org, cycle, version, page_for, monkeypatch):
    from kaohe.insights import views_whatif

    client = page_for("alice")
    text = changed_text(version, everything)
    down = client.post(
        reverse("whatif-run", args=[cycle.pk, version.pk]),
        {"text": text, "mode": "yaml", "movement": "down"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people",
    ).content.decode()  # fmt: skip
    assert "<html" not in down
    assert set(re.findall(r'data-movement="(\w+)"', down)) == {"down"}
    ordered = run(client, cycle, version, text, sort="change", dir="desc").content.decode()
    rows = re.findall(r'data-testid="row-(\w+)"', ordered)
    assert rows[-1] == "L001"  # no new total: last, whichever the order
    monkeypatch.setattr(views_whatif, "PAGE", 2)
    second = run(client, cycle, version, text, page="2").content.decode()
    assert re.findall(r'data-testid="row-(\w+)"', second) == ["B001", "L001"]
    assert "Page 2 of 3" in second


def test_saving_reopening_and_deleting_after_asking(org, cycle, version, page_for):
    client = page_for("alice")
    text = changed_text(version, everything)
    made = client.post(reverse("whatif-save", args=[cycle.pk, version.pk]),
                       {"text": text, "name": ""})  # fmt: skip
    assert made.status_code == 422  # a name is needed
    assert not SavedWhatIf.objects.exists()
    made = client.post(reverse("whatif-save", args=[cycle.pk, version.pk]),
                       {"text": text, "name": "B 从 85 起"})  # fmt: skip
    saved = SavedWhatIf.objects.get()
    assert made["Location"] == reverse("whatif-saved", args=[saved.pk])
    assert saved.summary["down"] == 2
    assert saved.scope is None
    opened = client.get(made["Location"]).content.decode()
    assert "B 从 85 起" in opened
    assert 'data-testid="export-xlsx"' in opened
    asked = client.get(reverse("whatif-delete", args=[saved.pk]))
    assert asked.status_code == 200
    assert SavedWhatIf.objects.exists()
    assert 'data-testid="confirm-delete"' in asked.content.decode()
    gone = client.post(reverse("whatif-delete", args=[saved.pk]))
    assert gone["Location"] == reverse("whatif")
    assert not SavedWhatIf.objects.exists()
    entry = AuditEntry.objects.get(action="insights.whatif_delete")
    assert entry.before["name"] == "B 从 85 起"


def test_the_exports_in_chinese_and_english(org, cycle, version, page_for):
    saved = save(org, cycle, version, changed_text(version, everything))
    client = page_for("alice")
    xlsx = client.get(reverse("whatif-export", args=[saved.pk, "xlsx"]) + "?lang=zh")
    assert xlsx.status_code == 200
    assert "no-store" in xlsx["Cache-Control"]
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "考核方案假设分析"
    headings = [cell.value for cell in sheet[8]]
    assert headings[:3] == ["工号", "姓名", "部门"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=9, values_only=True)}
    ann = rows["A001"]
    assert (ann[7], ann[10], ann[12]) == ("B", "C", -1)  # old grade, new grade, moved
    assert sheet.cell(9, 7).number_format == "0.00"
    assert book.worksheets[1].title == "汇总"
    english = client.get(reverse("whatif-export", args=[saved.pk, "csv"]) + "?lang=en")
    text = english.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert lines[0][:3] == ["Employee no.", "Name", "Department"]
    by_number = {line[0]: line for line in lines[1:]}
    assert by_number["A001"][6:13] == ["83.22", "B", "3000.00", "75.01", "C", "2100.00", "-1"]
    assert AuditEntry.objects.filter(action="insights.whatif_export").count() == 2


def test_the_demo_saves_a_what_if_once(org):
    """The demo's change, on a finished quarter named as the demo names it."""
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.models import Cycle
    from kaohe.insights.demo_whatif import CYCLE, NAME, demo_line, demo_whatif
    from kaohe.org.models import Employee

    get_user_model().objects.filter(pk=org.users["alice"].pk).update(username="hr")
    made = build_cycle(org)
    Cycle.objects.filter(pk=made.pk).update(name=CYCLE)
    assert Employee.objects.filter(user__username="hr").exists()
    saved = demo_whatif()
    assert saved is not None
    assert saved.name == NAME
    assert "weight: 30" in saved.text
    assert saved.summary["changed"] == 5
    assert AuditEntry.objects.filter(action="insights.whatif_save").count() == 1
    assert demo_whatif() is None  # once
    line = demo_line(saved)
    assert "5 people scored again" in line.en
    assert NAME in line.zh


# --- long runs, in the background -------------------------------------------------------------


@pytest.fixture
def long_runs(monkeypatch):
    """Every run counts as long: it goes to the background task (run in place in tests)."""
    from kaohe.insights.whatif import jobs

    monkeypatch.setattr(jobs, "LONG_RUN", 0)


def test_a_long_run_is_made_in_the_background_and_shows_its_progress_then_its_result(
    org, cycle, version, page_for, long_runs, django_capture_on_commit_callbacks
):
    from kaohe.insights.models import WhatIfRun

    client = page_for("alice")
    text = changed_text(version, everything)
    before = table_state()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = run(client, cycle, version, text)
    made = WhatIfRun.objects.get()
    assert started["Location"] == reverse("whatif-job", args=[made.pk])
    waiting = client.get(started["Location"]).content.decode()
    assert 'data-status="queued"' in waiting
    assert 'hx-trigger="every 1s"' in waiting
    for callback in queued:
        callback()  # the worker's turn
    made.refresh_from_db()
    assert made.status == "done"
    assert made.done == made.total == 6
    follow = client.get(started["Location"], HTTP_HX_REQUEST="true",
                        HTTP_HX_TARGET="whatif-progress")  # fmt: skip
    assert follow["HX-Redirect"] == started["Location"]
    result = client.get(started["Location"]).content.decode()
    direct = run(page_for("alice"), cycle, version, text).content.decode()
    assert _new_totals_of(result) == _new_totals_of(direct)
    down = client.get(started["Location"] + "?movement=down").content.decode()
    assert set(re.findall(r'data-movement="(\w+)"', down)) == {"down"}
    assert table_state() == before
    assert not AuditEntry.objects.filter(action__startswith="insights.").exists()
    saved = client.post(reverse("whatif-save", args=[cycle.pk, version.pk]),
                        {"text": text, "name": "后台试算", "run": str(made.pk)})  # fmt: skip
    assert saved.status_code == 302
    assert SavedWhatIf.objects.get().summary["down"] == 2


def _new_totals_of(html):
    rows = re.findall(r'<tr data-testid="row-(\w+)".*?</tr>', html, re.S)
    return list(zip(rows, re.findall(r'data-label="New total ">([^<]*)<', html), strict=True))


def test_a_background_run_is_its_readers_alone(org, cycle, version, page_for, long_runs):
    from kaohe.insights.models import WhatIfRun

    started = run(page_for("alice"), cycle, version, version.text)
    made = WhatIfRun.objects.get()
    assert started.status_code == 302
    assert page_for("harry").get(reverse("whatif-job", args=[made.pk])).status_code == 404
    assert page_for("eve").get(reverse("whatif-job", args=[made.pk])).status_code == 403


def test_a_saved_long_run_reopens_in_the_background(
    org, cycle, version, page_for, long_runs, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from kaohe.insights.models import WhatIfRun

    saved = save(org, cycle, version, changed_text(version, everything))
    cache.clear()  # saving kept the run for this process: now it must be made again
    with django_capture_on_commit_callbacks(execute=True):
        opened = page_for("alice").get(reverse("whatif-saved", args=[saved.pk]))
    made = WhatIfRun.objects.get()
    assert opened["Location"] == reverse("whatif-job", args=[made.pk])
    assert made.saved == saved
    result = page_for("alice").get(opened["Location"]).content.decode()
    assert saved.name in result
    assert 'data-testid="export-xlsx"' in result


def test_what_makes_a_run_long(org, cycle, version):
    """Everyone under the changed scheme, and everyone without a locked result, is scored;
    a running appraisal's values are read live and count twice."""
    from kaohe.insights.whatif.jobs import work_of
    from kaohe.org.policy import Access

    access = Access(org.users["alice"])
    changed = Appraisal.objects.filter(cycle=cycle, version=version).count()  # 5
    provisional = Appraisal.objects.filter(cycle=cycle, results__isnull=True).count()  # 4
    live = Appraisal.objects.filter(cycle=cycle, data_cutoff__isnull=True).count()  # 3
    assert (changed, provisional, live) == (5, 4, 3)
    assert work_of(access, cycle, version) == 5 + 4 + 2 * 3
