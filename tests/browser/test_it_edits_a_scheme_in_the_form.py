"""HR edits a scheme in the form: a tier and the weights, sees the sample person's score
move, saves, and finds the change in the YAML tab."""

from playwright.sync_api import expect

from .conftest import ARTIFACTS, PHONE, screenshot, sign_in

TIER_POINTS = "f/dimensions/0/indicators/0/rule/tiers/1/points"


def clone_agent_scheme(page, demo_site, code):
    page.goto(f"{demo_site}/schemes/")
    row = page.locator("[data-testid=schemes] tr", has_text="cs-agent").first
    row.locator("input[name=code]").fill(code)
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=tab-form]")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=indicator-answer_rate] > summary")


def test_hr_edits_a_tier_and_a_weight_in_the_form(open_page, demo_site):
    page = open_page(locale="en-US")
    sign_in(page, demo_site, "hr")
    clone_agent_scheme(page, demo_site, "cs-agent-form")
    points = page.locator("[data-testid=points-answer_rate]")
    page.fill("input[name='sample/answer_rate']", "91")
    expect(points).to_have_text("14 / 20")
    total_before = page.locator("[data-testid=preview-total]").inner_text()

    page.fill(f"input[name='{TIER_POINTS}']", "16")
    expect(points).to_have_text("16 / 20")
    assert page.locator("[data-testid=preview-total]").inner_text() != total_before

    page.fill("input[name='f/dimensions/0/weight']", "55")
    page.wait_for_selector("[data-testid=form-checks][data-errors=true]")
    assert "95" in page.locator("[data-testid=form-checks]").inner_text()  # weights sum to 95
    page.fill("input[name='f/dimensions/1/weight']", "25")
    page.wait_for_selector("[data-testid=form-checks][data-errors=false]")
    shown_total = page.locator("[data-testid=preview-total]").inner_text().split(" ")[0]
    expect(page.locator("[data-testid=sticky-total]")).to_contain_text(shown_total)
    screenshot(page, "scheme-form-en")
    # The page as one sees it (a full-page shot draws the sticky preview where it was).
    page.locator("[data-testid=indicator-answer_rate]").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "scheme-form-en-view.png"))

    page.click("[data-testid=save-form]")
    page.wait_for_load_state("networkidle")
    assert "Saved." in page.locator(".messages").inner_text()
    page.click("[data-testid=tab-yaml]")
    page.wait_for_load_state("networkidle")
    text = page.locator("#id_text").input_value()
    assert "weight: 55" in text
    assert "weight: 25" in text
    assert "points: 16" in text
    assert page.console_errors == []


def test_the_form_in_chinese_and_on_a_phone(open_page, demo_site):
    page = open_page(locale="zh-CN")
    sign_in(page, demo_site, "hr")
    clone_agent_scheme(page, demo_site, "cs-agent-zh")
    assert "维度" in page.locator("[data-testid=scheme-form]").inner_text()
    page.fill("input[name='f/dimensions/0/indicators/0/rule/tiers/1/min']", "93")
    page.wait_for_selector("[data-testid=form-checks][data-errors=true]")
    assert "重叠" in page.locator("[data-testid=tier-check-answer_rate]").inner_text()
    screenshot(page, "scheme-form-zh")

    tiers = page.locator("[data-testid=indicator-answer_rate] [data-testid=tiers] tbody tr")
    assert tiers.count() == 4
    page.locator("[data-testid=indicator-answer_rate] button", has_text="添加档位").click()
    expect(tiers).to_have_count(5)  # the form is drawn again, the indicator still open
    page.locator("[data-testid=indicator-answer_rate] button[aria-label='删除行 2']").click()
    expect(tiers).to_have_count(4)

    phone = open_page(locale="zh-CN", viewport=PHONE)
    sign_in(phone, demo_site, "hr")
    phone.goto(page.url)
    phone.wait_for_load_state("networkidle")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # tables scroll inside their box, the page does not
    screenshot(phone, "scheme-form-phone-zh")
    assert page.console_errors == []
    assert phone.console_errors == []
