"""Each demo role signs in, in Chinese and in English, and sees its own navigation."""

import pytest

from .conftest import PHONE, screenshot, sign_in

NAVIGATION = {
    "hr": [
        "home",
        "dashboard",
        "appraisals",
        "goals",
        "reviews",
        "incidents",
        "recognition-wall",
        "cycles",
        "calibration-sessions",
        "pay",
        "development",
        "insights",
        "org-chart",
    ],
    "director": [
        "home",
        "dashboard",
        "appraisals",
        "goals",
        "reviews",
        "incidents",
        "recognition-wall",
        "calibration-sessions",
        "pay",
        "development",
        "insights",
        "team",
        "org-chart",
    ],
    "agent": [
        "home",
        "dashboard",
        "appraisals",
        "goals",
        "reviews",
        "incidents",
        "recognition-wall",
        "development",
        "insights",
        "org-chart",
    ],
    "exec": [
        "home",
        "dashboard",
        "appraisals",
        "goals",
        "reviews",
        "incidents",
        "recognition-wall",
        "calibration-sessions",
        "pay",
        "development",
        "insights",
        "team",
        "org-chart",
    ],
}
NAVIGATION["manager"] = NAVIGATION["director"]
# HR's administration pages sit in the Manage menu; the executive may list people there.
MANAGE = {
    "hr": ["schemes", "people", "org-import", "data-import", "audit-log"],
    "exec": ["people"],
}
GREETING = {"zh-CN": "您好", "en-US": "Hello"}
HOME_NAV_LABEL = {"zh-CN": "首页", "en-US": "Home"}


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("username", list(NAVIGATION))
def test_each_role_signs_in_and_sees_its_navigation(open_page, demo_site, username, locale):
    page = open_page(locale=locale)
    sign_in(page, demo_site, username)
    assert page.url == f"{demo_site}/"
    nav = page.locator("nav.mainnav a")
    assert nav.evaluate_all("links => links.map(a => a.dataset.nav)") == NAVIGATION[username]
    assert nav.first.inner_text() == HOME_NAV_LABEL[locale]
    manage = page.locator(".managemenu a")
    assert manage.evaluate_all("links => links.map(a => a.dataset.nav)") == MANAGE.get(username, [])
    assert GREETING[locale] in page.locator("h1").inner_text()
    screenshot(page, f"home-{username}-{locale}")
    assert page.console_errors == []


def test_a_wrong_password_is_refused_with_a_message(open_page, demo_site):
    page = open_page()
    sign_in(page, demo_site, "agent", "not-the-password")
    assert page.url.startswith(f"{demo_site}/login/")
    assert page.locator(".form-errors").is_visible()


def test_too_many_wrong_passwords_pause_sign_in_and_say_until_when(open_page, demo_site):
    page = open_page()
    for _ in range(5):
        sign_in(page, demo_site, "agent", "not-the-password")
    assert page.locator("h1").inner_text() == "登录已暂停"
    assert "起可以再试" in page.locator("[data-testid=lock-ends]").inner_text()
    screenshot(page, "sign-in-paused")
    assert [error for error in page.console_errors if "429" not in error] == []


def test_the_language_switch_is_remembered(open_page, demo_site):
    page = open_page(locale="zh-CN")
    sign_in(page, demo_site, "hr")
    assert page.locator("h1").inner_text().startswith("您好")
    page.click("button[data-lang=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Hello")
    page.click("[data-testid=manage-menu]")
    page.click(".managemenu a[data-nav=people]")
    assert page.locator("h1").inner_text() == "People"
    # A new tab in the same browser session keeps the choice.
    other = page.context.new_page()
    other.goto(f"{demo_site}/org/chart/")
    assert other.locator("h1").inner_text() == "Org chart"
    other.click("button[data-lang=zh-hans]")
    other.wait_for_load_state("networkidle")
    assert other.locator("h1").inner_text() == "组织架构"
    screenshot(other, "language-switched-back")


def test_a_phone_sized_screen(open_page, demo_site):
    page = open_page(viewport=PHONE)
    sign_in(page, demo_site, "agent")
    assert page.locator("nav.mainnav").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"
    screenshot(page, "home-agent-phone")
    page.click("nav.mainnav a[data-nav=org-chart]")
    assert page.locator("h1").inner_text() == "组织架构"
    screenshot(page, "org-chart-agent-phone")
    assert page.console_errors == []


def test_signing_out(open_page, demo_site):
    page = open_page()
    sign_in(page, demo_site, "manager")
    page.click("[data-testid=user-menu]")
    page.click(".usermenu-panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{demo_site}/team/")
    assert page.url.startswith(f"{demo_site}/login/")


def test_a_temporary_password_is_changed_at_the_first_sign_in(open_page, demo_site):
    from kaohe.org.models import Employee

    number = Employee.objects.get(user__username="agent").number
    hr = open_page()
    sign_in(hr, demo_site, "hr")
    hr.goto(f"{demo_site}/people/{number}/")
    hr.click(f"a[href='/people/{number}/password/']")
    hr.click("main form button[type=submit]")
    hr.wait_for_load_state("networkidle")
    password = hr.locator("[data-testid=temporary-password] code").inner_text()
    screenshot(hr, "temporary-password-set-by-hr")

    agent = open_page()
    sign_in(agent, demo_site, "agent", password)
    assert agent.url == f"{demo_site}/account/password/"
    notice = agent.locator("[data-testid=must-change-password]")
    assert "临时密码" in notice.inner_text()
    screenshot(agent, "temporary-password-must-change")
    agent.click("nav.mainnav a[data-nav=appraisals]")  # held at the password change
    assert agent.url == f"{demo_site}/account/password/"
    agent.fill("#id_old_password", password)
    agent.fill("#id_new_password1", "Agent-own-pass-2026")
    agent.fill("#id_new_password2", "Agent-own-pass-2026")
    agent.click("main form button[type=submit]")
    agent.wait_for_load_state("networkidle")
    assert agent.url == f"{demo_site}/"
    assert "您好" in agent.locator("h1").inner_text()
    assert "密码已修改" in agent.locator(".messages").inner_text()
    screenshot(agent, "temporary-password-changed-home")
    assert hr.console_errors == agent.console_errors == []


def test_an_agent_makes_an_api_token_on_a_phone_sees_it_once_and_revokes_it(open_page, demo_site):
    page = open_page(viewport=PHONE)
    sign_in(page, demo_site, "agent")
    page.click("[data-testid=user-menu]")
    page.click(".usermenu-panel a[href='/account/tokens/']")
    assert page.locator("h1").inner_text() == "我的访问令牌"
    assert page.locator("label[for=id_name]").inner_text().startswith("名称")  # not 姓名
    page.fill("input[name=name]", "个人看板")
    page.click("form.form button[type=submit]")
    secret = page.locator("[data-testid=new-token] .token-once code").inner_text()
    assert secret.startswith("kh_")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px wide"
    screenshot(page, "api-token-made-phone")
    answered = page.request.get(
        f"{demo_site}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answered.status == 200
    assert answered.json()["token"] == "个人看板"

    page.goto(f"{demo_site}/account/tokens/")
    assert secret not in page.content()
    page.click("text=撤销")
    screenshot(page, "api-token-revoke-confirm-phone")
    page.click("button.danger")
    assert "已撤销" in page.locator(".messages, [role=status], .message").first.inner_text()
    refused = page.request.get(
        f"{demo_site}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401
    assert page.console_errors == []
