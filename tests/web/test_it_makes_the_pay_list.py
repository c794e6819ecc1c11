"""The pay list, its budget and its exports: pay to the fen, superseded exports, what each
person may read, and files a real office suite and PDF tools open."""

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kaohe.appraisals.models import Appraisal
from kaohe.audit.models import AuditEntry
from kaohe.calibration.actions import GuidelineInput, do_set_cycle_guideline
from kaohe.core import round_half_up
from kaohe.pay.actions import PayRefused, do_export_pay_list, do_set_budget, parse_amount
from kaohe.pay.models import PayBudget
from kaohe.pay.paylist import budget, pay_list
from kaohe.pay.views import _exports
from tests.web.test_it_calibrates_in_sessions import to_calibration
from tests.web.workflow import act, appraisal_of, launched_cycle

AGENTS = {"ann": ("5", "3000.50"), "amy": ("4", "4200"), "bob": ("3", "3333.33")}
INTERVIEW = {"strengths": "耐心", "improvements": "时效", "actions": "复盘", "root_cause": "skills"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def finalise(appraisal, hr):
    to_calibration(appraisal, AGENTS[appraisal.employee.user.username][0])
    act(hr, appraisal.pk, "calibrate")
    act(appraisal.rater.user, appraisal.pk, "record_interview", INTERVIEW)
    act(appraisal.employee.user, appraisal.pk, "acknowledge")
    act(hr, appraisal.pk, "finalise")


@pytest.fixture
def cycle(org):
    made = launched_cycle(org)
    for key, (_level, pay) in AGENTS.items():
        appraisal = appraisal_of(made, org, key)
        Appraisal.objects.filter(pk=appraisal.pk).update(base_pay=Decimal(pay))
        finalise(appraisal_of(made, org, key), org.users["alice"])
    # Dora and the leads have a base pay but no result yet.
    Appraisal.objects.filter(cycle=made, base_pay=None).update(base_pay=Decimal(8000))
    return made


def test_the_list_holds_each_locked_result_with_pay_to_the_fen(org, cycle):
    paylist = pay_list_for(org, "alice", cycle)
    assert [row.number for row in paylist.rows] == ["A001", "A002", "B001"]
    for row in paylist.rows:
        result = appraisal_of(cycle, org, {"A001": "ann", "A002": "amy", "B001": "bob"}[row.number]
                              ).latest_result()  # fmt: skip
        assert row.pay == round_half_up(row.base_pay * row.coefficient) == result.pay
        assert row.version == 1
        assert row.scheme.startswith("cs-agent v")
    assert paylist.pay_total == sum(row.pay for row in paylist.rows)


def pay_list_for(org, key, cycle):
    from kaohe.org.policy import Access

    return pay_list(Access(org.users[key]), cycle)


def adjust_after_appeal(org, cycle, key="ann", points="-5"):
    appraisal = appraisal_of(cycle, org, key)
    Appraisal.objects.filter(pk=appraisal.pk).update(appeal_until="2099-01-01T00:00:00Z")
    act(appraisal.employee.user, appraisal.pk, "appeal", {"reason": "抽检样本太少"})
    act(org.users["alice"], appraisal.pk, "adjust", {"adjustment": points, "reason": "复核后下调"})


def test_an_adjusted_appeal_puts_the_new_version_in_and_supersedes_earlier_exports(org, cycle, rf):
    before = do_export_pay_list(org.users["alice"], cycle.pk, "xlsx", "zh")
    assert before.filename.endswith(".xlsx")
    adjust_after_appeal(org, cycle)
    row = next(r for r in pay_list_for(org, "alice", cycle).rows if r.number == "A001")
    assert row.version == 2
    assert row.reason == "复核后下调"
    request = rf.get("/")
    request.user = org.users["alice"]
    [history] = _exports(request, cycle, everyone=True)
    assert (history["changed"], history["added"]) == (1, 0)
    do_export_pay_list(org.users["alice"], cycle.pk, "csv", "zh")
    latest, earlier = _exports(request, cycle, everyone=True)
    assert (latest["changed"], latest["added"]) == (0, 0)
    assert earlier["changed"] == 1
    assert AuditEntry.objects.filter(action="pay.export").count() == 2


def test_a_manager_reads_the_team_results_without_pay_and_an_employee_no_list(org, cycle):
    team = pay_list_for(org, "mike", cycle)
    assert [row.number for row in team.rows] == ["A001", "A002"]
    assert not team.with_pay
    assert all(row.pay is None and row.base_pay is None for row in team.rows)
    exported = do_export_pay_list(org.users["mike"], cycle.pk, "csv", "en")
    header = exported.data.decode("utf-8-sig").splitlines()[0]
    assert "Performance pay" not in header
    assert "Base pay" not in header
    assert len(pay_list_for(org, "eve", cycle).rows) == 3  # the executive: everyone, with pay
    assert pay_list_for(org, "eve", cycle).with_pay


@pytest.mark.parametrize(
    ("key", "status"),
    [("alice", 200), ("harry", 200), ("eve", 200), ("mike", 200), ("dora", 200),
     ("ann", 403), ("nobody", 403)],
)  # fmt: skip
def test_who_opens_the_pay_list(org, cycle, client_for, key, status):
    response = client_for(key).get(reverse("pay-cycle", args=[cycle.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        shows_pay = key in ("alice", "harry", "eve")
        assert ("3,000.50" in page) is shows_pay  # ann's base pay
        assert ('data-testid="budget"' in page) is (key in ("alice", "harry", "eve"))


@pytest.mark.parametrize(
    ("key", "status"),
    [("alice", 200), ("ann", 200), ("mike", 200), ("eve", 200), ("bob", 404), ("lena", 404),
     ("nobody", 404)],
)  # fmt: skip
def test_who_downloads_a_persons_report(org, cycle, client_for, key, status):
    ann = appraisal_of(cycle, org, "ann")
    response = client_for(key).get(reverse("pay-report", args=[ann.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert AuditEntry.objects.filter(action="pay.report").exists()


def test_the_xlsx_has_a_header_block_formats_a_frozen_header_and_live_totals(org, cycle):
    exported = do_export_pay_list(org.users["alice"], cycle.pk, "xlsx", "zh")
    book = load_workbook(io.BytesIO(exported.data))
    sheet = book.active
    assert sheet.title == "考核结果及绩效工资表"
    assert sheet["A1"].value == "考核结果及绩效工资表"
    assert sheet["B2"].value == f"{cycle.name} ({cycle.period})"
    assert sheet.freeze_panes == "A7"
    headings = [cell.value for cell in sheet[6]]
    assert headings[:3] == ["工号", "姓名", "部门"]
    pay_column = headings.index("绩效工资(元)") + 1
    first = sheet.cell(row=7, column=pay_column)
    assert first.number_format == "#,##0.00"
    assert sheet.cell(row=7, column=headings.index("最终得分") + 1).number_format == "0.00"
    total = sheet.cell(row=10, column=pay_column).value
    letter = first.column_letter
    assert total == f"=SUM({letter}7:{letter}9)"
    assert sheet.cell(row=10, column=1).value == "合计"


def test_the_english_xlsx_speaks_english(org, cycle):
    exported = do_export_pay_list(org.users["alice"], cycle.pk, "xlsx", "en")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert sheet["A1"].value == "Appraisal results and performance pay"
    assert [cell.value for cell in sheet[6]][:2] == ["Employee no.", "Name"]
    assert exported.filename.startswith("appraisal-results-and-pay-2026-Q3")


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_xlsx_and_computes_the_total(org, cycle, tmp_path):
    exported = do_export_pay_list(org.users["alice"], cycle.pk, "xlsx", "zh")
    source = tmp_path / "pay.xlsx"
    source.write_bytes(exported.data)
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
         str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    lines = list(csv.reader((tmp_path / "pay.csv").read_text(encoding="utf-8").splitlines()))
    headings, rows, total = lines[5], lines[6:9], lines[9]
    column = headings.index("绩效工资(元)")
    paid = [Decimal(row[column].replace(",", "")) for row in rows]
    assert Decimal(total[column].replace(",", "")) == sum(paid)
    assert paid == [row.pay for row in pay_list_for(org, "alice", cycle).rows]
    assert total[1] == "3"  # COUNTA of the people


def test_the_csv_is_utf8_with_a_byte_order_mark_and_plain_decimals(org, cycle):
    exported = do_export_pay_list(org.users["alice"], cycle.pk, "csv", "zh")
    assert exported.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0][0] == "工号"
    assert len(rows) == 4  # the heading and three people; no total line
    pay = rows[0].index("绩效工资(元)")
    assert rows[1][pay] == str(pay_list_for(org, "alice", cycle).rows[0].pay)
    with pytest.raises(PayRefused):
        do_export_pay_list(org.users["alice"], cycle.pk, "pdf", "zh")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_pdf_report_is_a4_with_the_chinese_names_and_embedded_fonts(
    org, cycle, client_for, tmp_path
):
    ann = appraisal_of(cycle, org, "ann")
    response = client_for("alice").get(reverse("pay-report", args=[ann.pk]))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "安妮" in text  # the employee
    assert "麦克" in text  # the manager
    assert "接通率" in text  # an indicator
    assert "耐心" in text  # the interview
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    assert "pts (A4)" in info.stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    assert "Noto" in fonts.stdout
    assert all(line.split()[-5] == "yes" for line in fonts.stdout.splitlines()[2:])  # embedded
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    assert (tmp_path / "page-1.png").stat().st_size > 5000


def test_a_manager_report_leaves_pay_out(org, cycle, client_for, tmp_path):
    ann = appraisal_of(cycle, org, "ann")
    entries = AuditEntry.objects.filter(action="pay.report")
    client_for("mike").get(reverse("pay-report", args=[ann.pk]))
    assert entries.get().after["with_pay"] is False


def test_the_budget_per_department_against_q_a_budget_and_the_guideline(org, cycle):
    from kaohe.org.policy import Access

    team_one = org.departments["企服部/客服中心/客服一组"]
    do_set_budget(org.users["alice"], cycle.pk, team_one.pk, parse_amount("12,000"))
    do_set_cycle_guideline(
        org.users["alice"], cycle.pk, GuidelineInput("A 0-50, B 0-50, C 0-50, D 0-50, E 0-50")
    )
    departments, total = budget(Access(org.users["alice"]), cycle)
    one = next(d for d in departments if d.department_id == team_one.pk)
    ann, amy = (appraisal_of(cycle, org, k).latest_result() for k in ("ann", "amy"))
    mike = appraisal_of(cycle, org, "mike")
    assert one.people == 3  # ann, amy and their lead mike
    assert one.final == 2
    assert one.base_total == Decimal("3000.50") + Decimal(4200) + Decimal(8000)
    assert one.pay_total >= ann.pay + amy.pay  # mike's provisional pay, if scored, on top
    assert one.budget == Decimal(12000)
    assert one.of_budget == 100 * one.pay_total / Decimal(12000)
    assert one.if_met is not None
    assert total.base_total == sum(d.base_total for d in departments)
    assert total.budget == Decimal(12000)
    assert mike.pk  # in the count though not finalised
    with pytest.raises(PayRefused, match="not an amount"):
        parse_amount("一万")
    assert PayBudget.objects.get().amount == Decimal(12000)
    assert AuditEntry.objects.filter(action="pay.budget").count() == 1
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_set_budget(org.users["mike"], cycle.pk, team_one.pk, Decimal(1))
