"""On a phone the demo agent thanks a teammate for a company value, it shows on the team
wall, and their lead confirms it as a positive incident; the wall reads in English too."""

from .conftest import PHONE, screenshot, sign_in


def test_an_agent_thanks_a_teammate_and_the_lead_confirms_it(open_page, demo_site):
    from kaohe.org.models import Employee

    agent = Employee.objects.get(user__username="agent")
    mate = (
        Employee.objects.filter(manager=agent.manager, active=True)
        .exclude(pk=agent.pk)
        .order_by("number")
        .first()
    )
    page = open_page(viewport=PHONE)
    sign_in(page, demo_site, "agent")
    page.goto(f"{demo_site}/recognition/")
    page.click("[data-testid=give]")
    page.fill("#to", mate.number)
    page.click("[data-testid=choose-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.select_option("#tie", "value:teamwork")
    page.fill("#note", "高峰期主动帮我接了好几通电话，谢谢！")
    screenshot(page, "thanks-form-phone")
    page.click("[data-testid=send]")
    page.wait_for_load_state("networkidle")
    wall = page.locator("[data-testid=wall]").inner_text()
    assert "高峰期主动帮我接了好几通电话" in wall
    assert "团队协作" in wall
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "thanks-wall-phone")
    assert page.console_errors == []

    lead = open_page(locale="en-GB", viewport=PHONE)
    sign_in(lead, demo_site, "manager")
    lead.goto(f"{demo_site}/recognition/to-confirm/")
    card = lead.locator("[data-testid=to-confirm] li", has_text="高峰期主动帮我接了好几通电话")
    card.locator("[data-testid=confirm]").click()
    lead.wait_for_load_state("networkidle")
    assert "recorded as a positive incident" in lead.content()
    assert lead.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(lead, "thanks-confirmed-phone-en")
