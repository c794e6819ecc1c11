"""The organisation import checks the whole file in one pass: every problem on its line.

A reporting-line loop, a manager nobody has, a bad row and a row naming that bad row as
its manager are all reported at once, so that HR fixes the file once; a manager defined
further down the same file is found.
"""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.org.actions import do_import_organisation
from kaohe.org.models import Employee

from .test_it_org_import import ZH_HEADER, counts, write

TEAM = "企服部/客服中心/客服一组"
FORWARD = (
    f"F1,冯一,{TEAM},客服专员,客服,F2,,,,\n"  # F2 comes further down
    f"F2,冯二,{TEAM},客服组长,客服,D001,,,,\n"
)
BROKEN = (
    ZH_HEADER
    + f"X1,甲,{TEAM},客服专员,客服,X2,,,,\n"  # 2: X1 → X2 → X1
    + f"X2,乙,{TEAM},客服专员,客服,X1,,,,\n"  # 3
    + f"Y1,丙,{TEAM},客服专员,客服,ZZZ,,,,\n"  # 4: nobody has ZZZ
    + f"B1,丁,{TEAM},客服专员,客服,,,not-an-email,,\n"  # 5: a bad email
    + f"B2,戊,{TEAM},客服专员,客服,B1,,,,\n"  # 6: manager is the bad row
    + FORWARD  # 7, 8: fine
)


def problems_on(page):
    rows = re.findall(
        r'<tr class="row-error"><td>(\d+)</td><td>[^<]*<code class="muted">(\w+)</code></td>'
        r"<td>([^<]*)</td></tr>",
        page,
    )
    return {(int(line), field): reason for line, field, reason in rows}


def test_every_problem_is_reported_at_once_on_its_line(org, client_for):
    before = counts()
    file = SimpleUploadedFile("org.csv", BROKEN.encode())
    page = client_for("alice").post(reverse("org-import"), {"file": file}).content.decode()
    assert 'data-ok="false"' in page
    found = problems_on(page)
    assert set(found) == {(2, "manager"), (3, "manager"), (4, "manager"), (5, "email"),
                          (6, "manager")}  # fmt: skip
    assert "汇报关系形成了循环：X1 → X2 → X1" in found[(2, "manager")]
    assert "X2 → X1 → X2" in found[(3, "manager")]
    assert "ZZZ" in found[(4, "manager")]
    assert "not-an-email" in found[(5, "email")]
    assert found[(6, "manager")] == "上级 B1 在第 5 行，而该行本身有问题"
    assert counts() == before


def test_the_action_reports_the_same_in_english(org, tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    before = counts()
    plan = do_import_organisation(org.users["alice"], write(tmp_path, BROKEN), "org.csv")
    assert [(p.line, p.field) for p in plan.problems] == [
        (2, "manager"), (3, "manager"), (4, "manager"), (5, "email"), (6, "manager"),
    ]  # fmt: skip
    reasons = [p.reason for p in plan.problems]
    assert "no employee has the number ZZZ" in reasons[2]
    assert reasons[4] == "the manager B1 is on line 5, which has problems of its own"
    assert counts() == before


def test_a_manager_further_down_the_file_is_found(org, tmp_path):
    plan = do_import_organisation(org.users["alice"], write(tmp_path, ZH_HEADER + FORWARD), "o.csv")
    assert plan.problems == []
    first, second = Employee.objects.get(number="F1"), Employee.objects.get(number="F2")
    assert first.manager == second
    assert second.manager == org.people["dora"]
