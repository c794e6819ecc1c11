"""HR clones a template and edits it, with the linter's findings following the typing."""

from .conftest import screenshot, sign_in


def test_hr_clones_edits_with_live_checks_and_saves(open_page, demo_site):
    page = open_page(locale="en-US")
    sign_in(page, demo_site, "hr")
    page.goto(f"{demo_site}/schemes/")
    row = page.locator("[data-testid=schemes] tr", has_text="cs-agent").first
    row.locator("input[name=code]").fill("cs-agent-hq")
    row.locator("button", has_text="Clone").click()
    page.wait_for_load_state("networkidle")
    assert "cs-agent-hq v1" in page.locator("h1").inner_text()
    findings = page.locator("[data-testid=findings]")
    assert findings.get_attribute("data-errors") == "false"

    editor = page.locator("#id_text")
    text = editor.input_value()
    editor.fill(text.replace("weight: 60", "weight: 70", 1))
    page.wait_for_selector("[data-testid=findings][data-errors=true]")
    assert "110" in findings.inner_text()  # the weights now add up to 110
    screenshot(page, "scheme-edit-live-lint")

    editor.fill(text.replace("weight: 60", "weight: 55", 1).replace("weight: 20", "weight: 25", 1))
    page.wait_for_selector("[data-testid=findings][data-errors=false]")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "weight: 55" in page.locator("#id_text").input_value()
    assert page.console_errors == []
