"""Base pay per person for a cycle, imported from CSV or XLSX before launch."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kaohe.appraisals.actions import do_import_base_pay
from kaohe.appraisals.launch import start_launch
from kaohe.appraisals.models import Appraisal, BasePay, CycleScheme
from kaohe.audit.models import AuditEntry
from kaohe.schemes.library import import_builtin_schemes
from tests.web.workflow import new_cycle


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(org):
    import_builtin_schemes()
    return new_cycle(
        org.users["alice"], name="Q3", period="2026-Q3",
        departments=[org.departments["企服部/客服中心"]],
    )  # fmt: skip


def write(tmp_path, text, encoding="utf-8", name="pay.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_base_pay(cycle, path, name, actor=None):
    return do_import_base_pay(actor or cycle.created_by, cycle, path, name)


def test_a_gbk_file_with_chinese_headers_sets_each_persons_base_pay(cycle, org, tmp_path):
    path = write(tmp_path, '工号,绩效基数\nA001,3200\nA002,"3,500.50"\n', "gbk")
    assert import_base_pay(cycle, path, "pay.csv") == (2, [])
    entry = AuditEntry.objects.get(action="cycle.base_pay")
    assert entry.before == {"A001": None, "A002": None}
    assert entry.after == {"A001": "3200.00", "A002": "3500.50"}
    assert import_base_pay(cycle, path, "pay.csv") == (2, [])  # again: the same amounts
    assert AuditEntry.objects.filter(action="cycle.base_pay").order_by("-id").first().after == {}
    changed = write(tmp_path, "工号,绩效基数\nA001,3300\n", name="raise.csv")
    import_base_pay(cycle, changed, "pay.csv")
    latest = AuditEntry.objects.filter(action="cycle.base_pay").order_by("-id").first()
    assert (latest.before, latest.after) == ({"A001": "3200.00"}, {"A001": "3300.00"})
    import_base_pay(cycle, path, "pay.csv")
    assert dict(BasePay.objects.values_list("employee__number", "amount")) == {
        "A001": Decimal("3200.00"),
        "A002": Decimal("3500.50"),
    }
    CycleScheme.objects.filter(cycle=cycle).update(base_pay=Decimal(3000))
    start_launch(cycle, wait=True)
    pay = dict(Appraisal.objects.filter(cycle=cycle).values_list("employee__number", "base_pay"))
    assert pay["A001"] == Decimal("3200.00")
    assert pay["B001"] == Decimal("3000.00")  # the position's default


def test_a_bad_file_lists_every_problem_and_writes_nothing(cycle, tmp_path):
    path = write(
        tmp_path,
        "employee_number,base_pay\nA001,3000\nA001,3100\nZZZ9,3000\nB001,lots\nM001,-5\n,100\n",
    )
    count, problems = import_base_pay(cycle, path, "pay.csv")
    assert count == 0
    assert [(p.line, p.field) for p in problems] == [
        (3, "employee_number"),
        (4, "employee_number"),
        (5, "base_pay"),
        (6, "base_pay"),
        (7, "employee_number"),
    ]
    assert "also appears on line 2" in problems[0].reason
    assert "not an active person in this cycle's scope" in problems[1].reason
    assert not BasePay.objects.exists()


def test_missing_columns_are_named(cycle, tmp_path):
    count, problems = import_base_pay(cycle, write(tmp_path, "name,pay\n安妮,1\n"), "pay.csv")
    assert count == 0
    assert {p.field for p in problems} == {"employee_number", "base_pay"}


def test_the_page_imports_for_hr_in_scope_only_and_never_after_launch(cycle, client_for):
    url = reverse("cycle-base-pay", args=[cycle.pk])

    def upload(key):
        return client_for(key).post(
            url, {"file": SimpleUploadedFile("pay.csv", b"employee_number,base_pay\nA001,3000\n")}
        )

    assert upload("mike").status_code == 403
    assert upload("harry").status_code == 302  # HR for 客服中心: the cycle is in scope
    assert BasePay.objects.get().amount == Decimal(3000)
    start_launch(cycle, wait=True)
    BasePay.objects.all().delete()
    assert upload("alice").status_code == 302
    assert not BasePay.objects.exists()  # launched: refused
