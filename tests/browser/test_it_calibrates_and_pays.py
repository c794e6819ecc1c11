"""HR runs a calibration session from opening to closing, with a guideline and moves, then
exports the pay list — in the browser, on the demo organisation's quarter."""

import io

import pytest
from openpyxl import load_workbook

from tests.web.factory import store_metrics_for_everyone

from .conftest import screenshot, sign_in

GUIDELINE = "A 0-40, B 0-60, C 0-60, D 0-40, E 0-20"


@pytest.fixture
def quarter(demo_site):
    """The demo's 2026-Q3 cycle, spread over the workflow's stages."""
    from kaohe.appraisals.demo import launch_demo_cycle

    store_metrics_for_everyone("2026-Q3", 93.0)
    cycle = launch_demo_cycle()
    assert cycle is not None
    return cycle


def open_session(page, site):
    page.goto(f"{site}/calibration/")
    page.click("[data-testid=open-session]")
    page.fill("#id_name", "行政与技术支持校准会")
    page.get_by_label("行政组").check()
    page.get_by_label("技术支持组").check()
    page.fill("#id_guideline", GUIDELINE)
    page.click("[data-testid=open]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=session-status]").get_attribute("data-status") == "open"


def test_hr_calibrates_a_session_and_exports_the_pay_list(open_page, demo_site, quarter):
    page = open_page()
    sign_in(page, demo_site, "hr")
    open_session(page, demo_site)
    assert "A 0–40 %" in page.locator("[data-testid=guideline]").inner_text()
    assert page.locator("[data-testid=quotas] tr[data-grade=A]").count() == 1
    # Move the first person at calibration up by two points, with a reason.
    row = page.locator("[data-testid=board] tbody tr:has(input[type=checkbox])").first
    before = row.locator("[data-testid=total]").inner_text()
    number = row.get_attribute("data-testid")
    row.locator("input[type=checkbox]").check()
    page.fill("[data-testid=board] input[name=points]", "2")
    page.fill("[data-testid=board] input[name=reason]", "跨部门协作表现突出")
    page.click("[data-testid=move]")
    page.wait_for_load_state("networkidle")
    after = page.locator(f"[data-testid={number}] [data-testid=total]").inner_text()
    assert float(after.split()[0]) == pytest.approx(float(before.split()[0]) + 2)
    assert "跨部门协作表现突出" in page.locator("[data-testid=moves]").inner_text()
    # A move without a reason is refused and changes nothing.
    page.locator(f"[data-testid={number}] input[type=checkbox]").check()
    page.fill("[data-testid=board] input[name=points]", "5")
    page.locator("[data-testid=board] input[name=reason]").evaluate("e => e.required = false")
    page.click("[data-testid=move]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[role=alert], .messages").first.is_visible()
    assert page.locator(f"[data-testid={number}] [data-testid=total]").inner_text() == after
    # Potential for the 9-box.
    page.locator(f"[data-testid={number}] select").select_option("3")
    page.click("[data-testid=save-potential]")
    page.wait_for_load_state("networkidle")
    assert "3 · 高" in page.locator("[data-testid=nine-box]").inner_text()
    screenshot(page, "calibration-session")
    # Close: a confirmation first, then everyone at calibration moves on.
    page.click("[data-testid=close-session]")
    page.wait_for_load_state("networkidle")
    assert "不能撤销" in page.content()
    page.click("[data-testid=confirm-close]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=session-status]").get_attribute("data-status") == "closed"
    assert page.console_errors == []

    # The pay list, exported as the Excel file payroll takes.
    page.click("[data-nav=pay]")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="2026年第三季度绩效考核").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=pay-list] tbody tr").count() >= 1
    assert page.locator("[data-testid=budget]").is_visible()
    screenshot(page, "pay-list")
    with page.expect_download() as download:
        page.click("[data-testid=export-button]")
    saved = download.value
    assert saved.suggested_filename.endswith(".xlsx")
    with open(saved.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet["A1"].value == "考核结果及绩效工资表"
    page.reload()
    assert "最新" in page.locator("[data-testid=export-history]").inner_text()
