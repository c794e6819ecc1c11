"""The organisation import: read, check every row, preview, apply whole, never half."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from kaohe.audit.models import AuditEntry
from kaohe.org.importing import apply_import, plan_import
from kaohe.org.models import Department, Employee, Position, RoleFamily

ZH_HEADER = "工号,姓名,部门,岗位,岗位类别,上级工号,入职日期,邮箱,账号,在职\n"
GOOD_ZH = (
    ZH_HEADER
    + "N002,周新,企服部/行政组/采购小组,采购专员,行政,N001,2024/3/1,zhou@example.com,,是\n"
    + "N001,吴组长,企服部/行政组,行政主管,行政,D001,2023-01-05,,,\n"
)


def write(tmp_path, text, name="org.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def counts():
    return (
        Employee.objects.count(),
        Department.objects.count(),
        Position.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )


def plan_and_apply(path, actor):
    plan = plan_import(path, path.name, actor)
    assert plan.problems == []
    apply_import(plan, actor)
    return plan


def test_a_chinese_csv_creates_departments_positions_people_and_accounts(tmp_path, org):
    plan = plan_and_apply(write(tmp_path, GOOD_ZH), org.users["alice"])
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (2, 0, 0)
    assert plan.new_departments == ["企服部/行政组", "企服部/行政组/采购小组"]
    zhou = Employee.objects.get(number="N002")
    assert zhou.department.path == "企服部/行政组/采购小组"
    assert zhou.department.parent.path == "企服部/行政组"
    assert zhou.manager.number == "N001"  # a manager further down the file
    assert zhou.hire_date == date(2024, 3, 1)
    assert zhou.position.family == RoleFamily.ADMINISTRATION
    assert zhou.user.username == "N002"  # the number when no sign-in name is given
    assert not zhou.user.has_usable_password()
    assert Employee.objects.get(number="N001").manager == org.people["dora"]
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["employee.create", "employee.create", "org.import"]


def test_an_english_xlsx_with_excel_dates_and_numbers(tmp_path, org):
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_number", "name", "department", "position", "role_family",
                  "manager_number", "hire_date", "email", "username", "active"])  # fmt: skip
    sheet.append([1001, "Li Na", "企服部/技术支持组", "工程师", "technical_support", "D001",
                  datetime(2022, 7, 1), "", "lina", "yes"])  # fmt: skip
    sheet.append(["1002", "Wang Lei", "企服部/技术支持组", "工程师", "", 1001,
                  "2024年3月1日", "", "", "no"])  # fmt: skip
    path = tmp_path / "org.xlsx"
    book.save(path)
    plan_and_apply(path, org.users["alice"])
    li = Employee.objects.get(number="1001")
    assert (li.user.username, li.hire_date, li.active) == ("lina", date(2022, 7, 1), True)
    wang = Employee.objects.get(number="1002")
    assert (wang.manager, wang.hire_date, wang.active) == (li, date(2024, 3, 1), False)
    assert not wang.user.is_active
    assert wang.position.family == RoleFamily.TECHNICAL_SUPPORT


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_gbk_and_bom_csv(tmp_path, org, encoding):
    plan_and_apply(write(tmp_path, GOOD_ZH, encoding=encoding), org.users["alice"])
    assert Employee.objects.get(number="N002").name == "周新"


BAD_ROWS = [
    ("N010,,企服部,客服专员,,,,,,", "name", "required, but empty"),
    ("N010,甲,企服部,客服专员,,,2024-13-01,,,", "hire_date", "not a date"),
    ("N010,甲,企服部,客服专员,销售,,,,,", "family", "unknown role family"),
    ("N010,甲,企服部,客服专员,,ZZZ,,,,", "manager", "no employee has the number ZZZ"),
    ("N010,甲,企服部,客服专员,,N010,,,,", "manager", "cannot be their own manager"),
    ("N010,甲,企服部,客服专员,,,,not-an-email,,", "email", "not an email address"),
    ("N010,甲,企服部,客服专员,,,,,,也许", "active", "expected 是/否"),
]


@pytest.mark.parametrize(("row", "field", "reason"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_written(tmp_path, org, settings, row, field, reason):
    settings.LANGUAGE_CODE = "en"
    text = GOOD_ZH + row + "\n"
    before = counts()
    plan = plan_import(write(tmp_path, text), "org.csv", org.users["alice"])
    assert [(p.line, p.field) for p in plan.problems] == [(4, field)]
    assert reason in plan.problems[0].reason
    with pytest.raises(ValueError, match="problems"):
        apply_import(plan, org.users["alice"])
    assert counts() == before


def test_duplicates_and_loops_across_rows_name_both_lines(tmp_path, org, settings):
    settings.LANGUAGE_CODE = "en"
    text = (
        ZH_HEADER
        + "X1,甲,企服部,客服专员,,X2,,,,\n"
        + "X2,乙,企服部,客服专员,,X1,,,,\n"
        + "X1,丙,企服部,客服专员,,,,,,\n"
    )
    plan = plan_import(write(tmp_path, text), "org.csv", org.users["alice"])
    found = {(p.line, p.field): p.reason for p in plan.problems}
    assert "also appears on line 2" in found[(4, "number")]
    assert not Employee.objects.filter(number__startswith="X").exists()
    looped = ZH_HEADER + "X1,甲,企服部,客服专员,,X2,,,,\n" + "X2,乙,企服部,客服专员,,X1,,,,\n"
    plan = plan_import(write(tmp_path, looped), "org.csv", org.users["alice"])
    assert {p.field for p in plan.problems} == {"manager"}
    assert "X1 → X2 → X1" in plan.problems[0].reason


def test_a_missing_required_column_is_a_problem_of_line_1(tmp_path, org, settings):
    settings.LANGUAGE_CODE = "en"
    plan = plan_import(
        write(tmp_path, "工号,姓名,部门\nA9,甲,企服部\n"), "o.csv", org.users["alice"]
    )
    assert [(p.line, p.field) for p in plan.problems] == [(1, "position")]
    assert "required column missing" in plan.problems[0].reason


def test_a_file_that_is_not_a_table(tmp_path, org):
    path = tmp_path / "org.xlsx"
    path.write_bytes(b"not a zip file")
    plan = plan_import(path, "org.xlsx", org.users["alice"])
    assert plan.problems[0].line is None
    assert "无法读取这个 .xlsx 工作簿" in plan.problems[0].reason  # in the reader's language
    with translation.override("en"):
        plan = plan_import(path, "org.xlsx", org.users["alice"])
    assert "not a readable .xlsx workbook" in plan.problems[0].reason


def test_reimporting_the_same_file_changes_nothing(tmp_path, org):
    path = write(tmp_path, GOOD_ZH)
    plan_and_apply(path, org.users["alice"])
    before = counts()
    again = plan_import(path, path.name, org.users["alice"])
    assert (len(again.creates), len(again.updates), again.unchanged) == (0, 0, 2)
    assert not again.has_changes
    apply_import(again, org.users["alice"])
    assert counts() == before


def test_a_changed_row_updates_only_what_changed(tmp_path, org):
    plan_and_apply(write(tmp_path, GOOD_ZH), org.users["alice"])
    changed = GOOD_ZH.replace("zhou@example.com", "zhou.xin@example.com")
    plan = plan_and_apply(write(tmp_path, changed), org.users["alice"])
    assert len(plan.updates) == 1
    assert plan.updates[0].fields == [("email", "zhou@example.com", "zhou.xin@example.com")]
    entry = AuditEntry.objects.filter(action="employee.update").get()
    assert entry.changes() == [("email", "zhou@example.com", "zhou.xin@example.com")]
    assert plan.not_in_file == Employee.objects.count() - 2  # the others are left alone
    assert Employee.objects.get(number="A001").active


def test_scoped_hr_imports_only_inside_their_departments(tmp_path, org, settings):
    settings.LANGUAGE_CODE = "en"
    inside = ZH_HEADER + "C9,丁,企服部/客服中心/客服一组,客服专员,客服,M001,,,,\n"
    plan_and_apply(write(tmp_path, inside), org.users["harry"])
    assert Employee.objects.filter(number="C9").exists()
    outside = ZH_HEADER + "C8,戊,企服部/行政组,行政专员,行政,,,,,\n"
    plan = plan_import(write(tmp_path, outside), "o.csv", org.users["harry"])
    assert [(p.line, p.field) for p in plan.problems] == [(2, "department")]
    moving_out = ZH_HEADER + "A001,安妮,人力资源部,客服专员,客服,,,,ann,\n"
    plan = plan_import(write(tmp_path, moving_out), "o.csv", org.users["harry"])
    assert "outside the departments you administer" in plan.problems[0].reason


def test_people_without_the_hr_role_cannot_import(tmp_path, org):
    with pytest.raises(PermissionDenied):
        plan_import(write(tmp_path, GOOD_ZH), "org.csv", org.users["eve"])


def upload(client, text, name="org.csv"):
    return client.post(reverse("org-import"), {"file": SimpleUploadedFile(name, text.encode())})


def test_the_web_flow_previews_then_applies(client_for, org, settings):
    client = client_for("alice")
    before = counts()
    preview = upload(client, GOOD_ZH)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-ok="true"' in page
    assert reverse("org-import-apply") in page
    assert counts() == before  # a preview writes nothing
    stored = list((settings.UPLOADS_DIR).iterdir())
    assert len(stored) == 1
    applied = client.post(reverse("org-import-apply"))
    assert applied.status_code == 302
    assert applied["Location"] == reverse("people")
    assert Employee.objects.filter(number__in=["N001", "N002"]).count() == 2
    assert list(settings.UPLOADS_DIR.iterdir()) == []  # the upload is removed once applied
    again = client.post(reverse("org-import-apply"), follow=True)
    assert "重新上传" in again.content.decode()  # the file has expired


def test_the_web_preview_lists_every_problem_and_offers_no_apply(client_for, org):
    client = client_for("alice")
    before = counts()
    text = GOOD_ZH + "N010,,企服部,客服专员,,,,,,\n" + "N011,乙,企服部,客服专员,,,2024-02-30,,,\n"
    page = upload(client, text).content.decode()
    assert 'data-ok="false"' in page
    assert reverse("org-import-apply") not in page
    assert '<td>4</td><td>姓名 <code class="muted">name</code></td>' in page
    assert '<td>5</td><td>入职日期 <code class="muted">hire_date</code></td>' in page
    assert counts() == before
    # Applying anyway (a stale form, say) writes nothing either.
    response = client.post(reverse("org-import-apply"))
    assert 'data-ok="false"' in response.content.decode()
    assert counts() == before


def test_the_web_page_refuses_other_file_types_and_roles(client_for, org):
    page = upload(client_for("alice"), "whatever", name="org.pdf").content.decode()
    assert "org.pdf" in page
    assert "CSV" in page
    assert upload(client_for("eve"), GOOD_ZH).status_code == 403
    assert client_for("eve").post(reverse("org-import-apply")).status_code == 403


def test_the_command_line_import(tmp_path, org, capsys):
    from click.testing import CliRunner

    from kaohe.cli import cli

    path = write(tmp_path, GOOD_ZH)
    runner = CliRunner()
    preview = runner.invoke(cli, ["org", "import", str(path), "--as", "alice", "--lang", "en"])
    assert preview.exit_code == 0, preview.output
    assert "2 to add" in preview.output
    assert "Preview only" in preview.output
    assert not Employee.objects.filter(number="N001").exists()
    applied = runner.invoke(
        cli, ["org", "import", str(path), "--as", "alice", "--apply", "--lang", "en"]
    )
    assert applied.exit_code == 0, applied.output
    assert Employee.objects.filter(number="N001").exists()
    refused = runner.invoke(cli, ["org", "import", str(path), "--as", "eve"])
    assert refused.exit_code != 0
    assert "not an HR administrator" in str(refused.exception)
    bad = write(tmp_path, ZH_HEADER + "N3,,企服部,客服专员,,,,,,\n", "bad.csv")
    failed = runner.invoke(cli, ["org", "import", str(bad), "--as", "alice", "--lang", "en"])
    assert failed.exit_code == 1
    assert "bad.csv, line 2, name:" in failed.output


def test_reading_keeps_line_numbers_across_blank_and_quoted_lines(tmp_path, org):
    text = (
        ZH_HEADER + "\n" + 'N5,"多行\n姓名",企服部,客服专员,,,,,,\n' + "N6,,企服部,客服专员,,,,,,\n"
    )
    plan = plan_import(write(tmp_path, text), "o.csv", org.users["alice"])
    assert [(p.line, p.field) for p in plan.problems] == [(5, "name")]
