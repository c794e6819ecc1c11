"""A whole appraisal cycle in the browser, each person in their own browser context."""

import pytest

from tests.web.factory import store_metrics_for_everyone

from .conftest import PHONE, screenshot, sign_in

CYCLE = "2026 Q3 客服一组"


@pytest.fixture
def metrics(demo_site):
    """Stored metric values for everyone, as `kaohe metrics` would leave them."""
    store_metrics_for_everyone("2026-Q3", 93.0)


def launch(page, site):
    sign_in(page, site, "hr")
    page.goto(f"{site}/cycles/new/")
    page.fill("#id_name", CYCLE)
    page.fill("#id_period", "2026-Q3")
    page.get_by_label("客服一组").check()
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=launch]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=cycle-status]").get_attribute("data-status") == "open"
    assert "15" in page.locator("[data-testid=counts]").inner_text()  # the lead and 14 agents


def open_the_agents_appraisal(page, site):
    """The team lead opens the demo agent's appraisal from the list; its address."""
    sign_in(page, site, "manager")
    page.goto(f"{site}/appraisals/")
    page.locator("[data-testid=appraisals] a", has_text=agent_name()).click()
    page.wait_for_load_state("networkidle")
    return page.url


def take(page, action, fill=None):
    section = page.locator(f"section[data-action={action}]")
    for selector, value in (fill or {}).items():
        field = section.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    section.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def state(page):
    return page.locator("[data-testid=state]").get_attribute("data-state")


def rate_everything(page, action, level):
    section = page.locator(f"section[data-action={action}]")
    for group in section.locator("fieldset.levels").all():
        group.locator(f"input[type=radio][value='{level}']").check()
    for field in section.locator("input[type=number]").all():
        field.fill(field.get_attribute("max") or "90")


@pytest.mark.usefixtures("metrics")
def test_hr_launches_and_everyone_plays_their_part(open_page, demo_site):
    hr = open_page()
    launch(hr, demo_site)

    manager = open_page()
    appraisal_url = open_the_agents_appraisal(manager, demo_site)
    take(manager, "send_for_confirmation")
    assert state(manager) == "confirming"

    agent = open_page(viewport=PHONE)
    sign_in(agent, demo_site, "agent")
    # The agent's home says what waits on them and leads to their appraisal.
    mine = agent.locator("[data-testid=my-appraisal]", has_text=CYCLE)
    assert "确认考核指标" in mine.inner_text()
    mine.locator("a", has_text=CYCLE).click()
    agent.wait_for_load_state("networkidle")
    assert agent.url == appraisal_url
    take(agent, "confirm")
    assert state(agent) == "in_progress"
    take(manager_page(manager, appraisal_url), "open_assessment")

    agent.goto(appraisal_url)
    assert state(agent) == "self_assessment"
    # On a phone: nothing scrolls sideways, every level shows its anchor text before one
    # is chosen, and one tap submits.
    assert agent.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    levels = agent.locator("section[data-action=submit_self_assessment] fieldset.levels").first
    assert levels.locator("label.level").count() == 5
    assert all(len(text) > 4 for text in levels.locator("label.level small").all_inner_texts())
    rate_everything(agent, "submit_self_assessment", "5")
    screenshot(agent, "self-assessment-phone")
    take(agent, "submit_self_assessment", {"textarea[name=comment]": "按计划完成"})
    assert state(agent) == "manager_review", agent.locator(".messages").all_inner_texts()
    # What the agent entered stays on the page for them.
    assert "按计划完成" in agent.locator("[data-testid=comments]").inner_text()
    # Beside the anchored items they rated (capability), not beside figures from the data.
    dimensions = agent.locator("[data-testid=dimension]")
    assert "自评" in dimensions.nth(1).inner_text()
    assert "自评" not in dimensions.first.inner_text()

    manager_page(manager, appraisal_url)
    rate_everything(manager, "submit_review", "4")
    take(manager, "submit_review", {"textarea[name=comment]": "稳定可靠"})
    assert state(manager) == "calibration"

    hr.goto(appraisal_url)
    take(hr, "calibrate", {"input[name=adjustment]": "1", "textarea[name=reason]": "跨组拉通"})
    assert state(hr) == "interview"

    manager_page(manager, appraisal_url)
    take(manager, "record_interview", {
        "textarea[name=strengths]": "耐心细致", "textarea[name=improvements]": "处理时效",
        "select[name=root_cause]": "skills", "textarea[name=actions]": "每周复盘两单",
    })  # fmt: skip
    assert state(manager) == "acknowledgement"

    agent.goto(appraisal_url)
    take(agent, "acknowledge", {"textarea[name=comment]": "认可结果"})
    assert state(agent) == "finalising"  # acknowledged: it moved on to HR
    hr.goto(appraisal_url)
    assert "认可结果" in hr.locator("[data-testid=acknowledgement-comment]").inner_text()
    take(hr, "finalise")
    assert state(hr) == "finalised"
    first_total = float(hr.locator("[data-testid=score] .stat-value").first.inner_text())
    assert hr.locator("[data-testid=development]").count() == 1

    # The agent hears of the result, with the last day to appeal.
    agent.goto(f"{demo_site}/notifications/")
    deadline = agent.locator("[data-testid=appeal-deadline]").first
    assert "可申诉至" in deadline.inner_text()
    screenshot(agent, "notifications-finalised-phone")

    agent.goto(appraisal_url)
    take(agent, "appeal", {"textarea[name=reason]": "质检样本太少"})
    assert state(agent) == "appeal"

    hr.goto(appraisal_url)
    take(hr, "adjust", {"input[name=adjustment]": "2", "textarea[name=reason]": "复核后加分"})
    assert state(hr) == "closed"
    assert (
        float(hr.locator("[data-testid=score] .stat-value").first.inner_text()) == first_total + 2
    )
    assert "复核后加分" in hr.locator("[data-testid=results]").inner_text()
    history = hr.locator("[data-testid=history] li")
    assert history.count() == 12  # the launch and eleven steps
    screenshot(hr, "appraisal-closed-after-appeal")

    agent.goto(appraisal_url)
    assert "复核后加分" in agent.locator("[data-testid=results]").inner_text()
    for page in (hr, manager, agent):
        assert page.console_errors == []


@pytest.mark.usefixtures("metrics")
def test_the_employee_asks_for_a_change_and_the_manager_sends_it_again(open_page, demo_site):
    hr = open_page()
    launch(hr, demo_site)
    manager = open_page()
    url = open_the_agents_appraisal(manager, demo_site)
    take(manager, "send_for_confirmation")

    agent = open_page(viewport=PHONE)
    sign_in(agent, demo_site, "agent")
    agent.goto(url)
    take(agent, "ask_for_change", {"textarea[name=reason]": "一次解决率目标偏高"})
    assert state(agent) == "draft"

    manager_page(manager, url)
    assert state(manager) == "draft"
    assert "一次解决率目标偏高" in manager.locator("[data-testid=history]").inner_text()
    target = manager.locator(
        "section[data-action=send_for_confirmation] input[name^=target_]"
    ).first
    target.fill("≥ 80%")
    take(manager, "send_for_confirmation")
    agent.goto(url)
    assert "≥ 80%" in agent.locator("[data-testid=indicators]").first.inner_text()
    take(agent, "confirm")
    assert state(agent) == "in_progress"


def manager_page(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def agent_name():
    from kaohe.org.models import Employee

    return Employee.objects.get(user__username="agent").name
