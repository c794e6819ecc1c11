"""A team lead logs a critical incident on a phone, and it shows on the agent's appraisal
under the indicator it evidences, counted in the agent's violations."""

import pytest

from .conftest import PHONE, screenshot, sign_in


@pytest.fixture
def appraisal(demo_site):
    """A launched cycle over the demo lead's team (客服一组): the demo agent's appraisal."""
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.launch import start_launch
    from kaohe.appraisals.models import Appraisal
    from kaohe.org.models import Department
    from tests.web.workflow import new_cycle

    hr = get_user_model().objects.get(username="hr")
    team = Department.objects.get(path="企服部/客服中心/客服一组")
    cycle = new_cycle(hr, name="2026年第三季度（一组）", period="2026-Q3", departments=[team])
    start_launch(cycle, wait=True)
    return Appraisal.objects.select_related("employee").get(
        cycle=cycle, employee__user__username="agent"
    )


def test_a_lead_logs_an_incident_and_it_shows_on_the_appraisal(open_page, demo_site, appraisal):
    lead = open_page(viewport=PHONE)
    sign_in(lead, demo_site, "manager")
    lead.click("[data-nav=incidents]")
    lead.wait_for_load_state("networkidle")
    lead.click("[data-testid=new-incident]")
    lead.wait_for_load_state("networkidle")
    lead.select_option("#employee", appraisal.employee.number)
    lead.click("form.form button[type=submit]")
    lead.wait_for_load_state("networkidle")
    lead.fill("#occurred_on", "2026-08-12")
    lead.check("input[name=polarity][value=negative]")
    lead.fill("#what", "未核实身份即修改客户联系电话")
    lead.select_option("#kind", "violation")
    screenshot(lead, "incident-form-phone")
    lead.click("[data-testid=record]")
    lead.wait_for_load_state("networkidle")
    assert "未核实身份即修改客户联系电话" in lead.locator("[data-testid=incidents]").inner_text()
    # The page fits the phone: nothing wider than the screen.
    width = lead.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    lead.goto(f"{demo_site}/appraisals/{appraisal.pk}/")
    row = lead.locator("tr[data-indicator=compliance]")
    assert "未核实身份即修改客户联系电话" in row.inner_text()
    assert "流程违规" in row.inner_text()  # the kind, in Chinese
    screenshot(lead, "incident-on-the-appraisal-phone")
    assert lead.console_errors == []

    agent = open_page(viewport=PHONE)
    sign_in(agent, demo_site, "agent")
    agent.goto(f"{demo_site}/incidents/mine/")
    agent.locator("[data-testid=incidents] a").first.click()
    agent.wait_for_load_state("networkidle")
    agent.fill("#response", "客户提供了订单号，我按订单核实过")
    agent.click("[data-testid=respond-form] button[type=submit]")
    agent.wait_for_load_state("networkidle")
    assert "客户提供了订单号" in agent.locator("[data-testid=response]").inner_text()
    assert agent.console_errors == []
