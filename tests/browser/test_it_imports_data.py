"""HR imports a file of calls in the browser: upload with progress, preview, import, result."""

import pytest

from .conftest import screenshot, sign_in

CALLS = (
    "通话编号,方向,队列,坐席工号,客户编号,进线时间,接通时间,结束时间\n"
    "b1,呼入,Q1,E1003,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10\n"
    "b2,呼入,Q1,ZZZ9,K2,2026-09-01 09:10:00,2026-09-01 09:10:30,2026-09-01 09:13:30\n"
)


@pytest.fixture
def _home(settings, tmp_path):
    settings.HOME = tmp_path


@pytest.mark.usefixtures("_home")
def test_hr_checks_then_imports_a_file(open_page, demo_site, tmp_path):
    page = open_page(locale="en-US")
    sign_in(page, demo_site, "hr")
    page.goto(f"{demo_site}/data/")
    page.wait_for_load_state("networkidle")

    # The bar follows the bytes sent, then says the server is checking.
    form = page.locator("form[data-upload-progress]")
    send = "(form, [loaded, total]) => form.dispatchEvent(new CustomEvent('htmx:xhr:progress', {bubbles: true, detail: {loaded, total, lengthComputable: true}}))"  # noqa: E501
    form.evaluate(send, [30, 120])
    assert page.locator("[data-upload-bar]").evaluate("bar => bar.value") == 25
    assert page.locator("[data-upload-label]").inner_text() == "Uploading…"
    form.evaluate(send, [120, 120])
    assert page.locator("[data-upload-bar]").evaluate("bar => bar.value") == 100
    assert "checking every row" in page.locator("[data-upload-label]").inner_text()

    path = tmp_path / "calls.csv"
    path.write_text(CALLS, encoding="utf-8")
    page.select_option("#id_source", "calls")
    page.set_input_files("#id_data_file", str(path))
    page.click("form[data-upload-progress] button[type=submit]")
    preview = page.locator("#preview[data-ok=true]")
    preview.wait_for()
    assert "ZZZ9" in preview.inner_text()  # the unknown employee number is named

    page.locator("#preview button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    latest = page.locator("table.table tbody tr").first
    assert latest.locator("td").nth(1).inner_text() == "calls.csv"
    assert latest.locator("td").nth(2).inner_text() == "2"
    assert (tmp_path / "lake" / "calls" / "manifest.json").is_file()
    assert page.console_errors == []
    # Last: a screenshot leaves style attributes behind, which a later swap would trip on.
    screenshot(page, "data-import-done")
