"""The manager's and the employee's dashboards in the browser, on the demo organisation's
generated quarter: in Chinese and English, on a desktop and on a 375-pixel phone, each
chart with its table view; screenshots under var/test-artifacts/screenshots/."""

import pytest

from .conftest import PHONE, screenshot, sign_in


@pytest.fixture
def demo_quarter(demo_site, settings, tmp_path):
    """The demo's months of data, 2026-Q2 finalised and 2026-Q3 running."""
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.demo import launch_demo_cycle, launch_history_cycle
    from kaohe.data.demo_data import load_demo_quarter
    from kaohe.development.demo import settle_history

    settings.HOME = tmp_path
    load_demo_quarter(get_user_model().objects.get(username="hr"), say=lambda _line: None)
    history = launch_history_cycle()
    assert history is not None
    settle_history(history)
    assert launch_demo_cycle() is not None
    return demo_site


def opened(open_page, site, username, path, **options):
    """A new page signed in as ``username`` on ``path``, loaded."""
    page = open_page(**options)
    sign_in(page, site, username)
    page.goto(f"{site}{path}")
    page.wait_for_load_state("networkidle")
    return page


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_manager_and_the_agent_read_their_dashboards(open_page, demo_quarter):
    site = demo_quarter
    lead = opened(open_page, site, "manager", "/dashboard/")
    assert lead.url.endswith("/dashboard/team/")
    assert "团队看板" in lead.locator("h1").inner_text()
    csat = lead.locator("[data-testid=team-kpis] tr[data-kpi=csat] [data-testid=kpi-value]")
    assert "%" in csat.inner_text()
    assert lead.locator("[data-testid=provisional] tbody tr").count() >= 5
    lead.click("[data-testid=show-trends]")
    lead.locator("details.chart-table summary").first.click()
    assert lead.locator("details.chart-table[open] table").first.is_visible()
    screenshot(lead, "dashboard-team-zh")
    assert lead.console_errors == []

    english = opened(open_page, site, "manager", "/dashboard/team/", locale="en-GB")
    assert "Team dashboard" in english.locator("h1").inner_text()
    title = english.locator("[data-testid=team-kpis] svg title").first.text_content()
    assert "your team" in title
    screenshot(english, "dashboard-team-en")

    phone = opened(open_page, site, "agent", "/dashboard/", viewport=PHONE)
    assert phone.url.endswith("/dashboard/mine/")
    screenshot(phone, "dashboard-mine-zh-phone")
    assert "我的看板" in phone.locator("h1").inner_text()
    mine = phone.locator("[data-testid=my-kpis] tr[data-kpi=answer_rate] [data-testid=kpi-value]")
    assert "%" in mine.inner_text()
    assert phone.locator("[data-testid=history] tbody tr").count() >= 1  # 2026-Q2
    assert fits_the_phone(phone)
    assert phone.console_errors == []

    phone_en = opened(open_page, site, "agent", "/dashboard/mine/", locale="en-GB", viewport=PHONE)
    assert "My dashboard" in phone_en.locator("h1").inner_text()
    assert fits_the_phone(phone_en)
    screenshot(phone_en, "dashboard-mine-en-phone")

    lead_phone = opened(open_page, site, "manager", "/dashboard/team/", viewport=PHONE)
    assert fits_the_phone(lead_phone)
    screenshot(lead_phone, "dashboard-team-zh-phone")


def test_the_director_the_executive_and_hr_read_theirs(open_page, demo_quarter):
    """The leaders' dashboard for the director (tabs for each role held) and the executive,
    and HR's, in both languages and on a phone."""
    site = demo_quarter
    director = opened(open_page, site, "director", "/dashboard/")
    assert director.url.endswith("/dashboard/leaders/")
    assert "部门看板" in director.locator("h1").inner_text()
    assert director.locator("[data-testid=leader-kpis] tr[data-kpi]").count() >= 5
    assert director.locator("[data-testid=teams] tbody tr").count() >= 3
    assert "2026年第三季度绩效考核" in director.locator("[data-testid=progress]").inner_text()
    assert director.locator("svg[role=img]").count() >= 3  # progress, grades, heatmap
    screenshot(director, "dashboard-leaders-zh")
    assert director.console_errors == []

    executive = opened(open_page, site, "exec", "/dashboard/leaders/", locale="en-GB")
    assert "Department dashboard" in executive.locator("h1").inner_text()
    assert executive.locator("[data-testid=budget-total]").is_visible()
    screenshot(executive, "dashboard-leaders-en")

    hr = opened(open_page, site, "hr", "/dashboard/hr/", viewport=PHONE)
    assert "人事看板" in hr.locator("h1").inner_text()
    assert hr.locator("[data-testid=cycles] article").count() == 2  # 2026-Q3 and Q2
    assert hr.locator("[data-testid=late-list] tbody tr").count() >= 1
    assert hr.locator("[data-testid=freshness] tbody tr").count() >= 5
    assert fits_the_phone(hr)
    screenshot(hr, "dashboard-hr-zh-phone")
    assert hr.console_errors == []

    hr_en = opened(open_page, site, "hr", "/dashboard/hr/", locale="en-GB")
    assert "HR dashboard" in hr_en.locator("h1").inner_text()
    screenshot(hr_en, "dashboard-hr-en")
