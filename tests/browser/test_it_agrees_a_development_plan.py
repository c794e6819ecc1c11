"""A team lead drafts a development plan from a locked result, and the employee agrees it —
in the browser, each in their own context."""

import pytest

from tests.web.factory import store_metrics_for_everyone

from .conftest import PHONE, screenshot, sign_in


@pytest.fixture
def locked(demo_site):
    """The demo quarter; the first of the lead's people with a locked result, with a
    password to sign in with."""
    from kaohe.appraisals.demo import launch_demo_cycle
    from kaohe.appraisals.models import Appraisal

    store_metrics_for_everyone("2026-Q3", 93.0)
    cycle = launch_demo_cycle()
    appraisal = (
        Appraisal.objects.filter(cycle=cycle, rater__user__username="manager",
                                 results__isnull=False)
        .select_related("employee__user")
        .order_by("employee__number")
        .first()
    )  # fmt: skip
    assert appraisal is not None
    user = appraisal.employee.user
    user.set_password("kaohe-demo")
    user.save()
    return appraisal


def test_the_lead_drafts_an_idp_and_the_employee_agrees_it(open_page, demo_site, locked):
    lead = open_page()
    sign_in(lead, demo_site, "manager")
    lead.click("[data-nav=development]")
    lead.wait_for_load_state("networkidle")
    lead.locator("[data-testid=to-follow] a", has_text=locked.employee.name).click()
    lead.wait_for_load_state("networkidle")
    lead.select_option("select[name=type]", "idp")
    lead.click("[data-testid=start-plan]")
    lead.wait_for_load_state("networkidle")
    assert lead.locator("[data-testid=plan-status]").get_attribute("data-status") == "draft"
    assert lead.locator("[data-testid=item-1]").count() == 1  # from the weakest indicator
    lead.locator("[data-testid=item-1] input[type=date]").fill("2026-12-31")
    lead.fill("textarea[name=new_action]", "每周与组长复盘两通录音")
    lead.fill("input[name=new_label]", "录音复盘")
    lead.click("[data-testid=save-plan]")
    lead.wait_for_load_state("networkidle")
    assert "每周与组长复盘两通录音" in lead.content()
    screenshot(lead, "development-plan-lead")
    assert lead.console_errors == []

    person = open_page(viewport=PHONE)
    sign_in(person, demo_site, locked.employee.user.get_username())
    person.goto(f"{demo_site}/development/")
    person.locator("[data-testid=plans] a").first.click()
    person.wait_for_load_state("networkidle")
    assert person.locator("textarea").count() == 0  # the employee reads; the lead edits
    person.click("[data-testid=agree]")
    person.wait_for_load_state("networkidle")
    assert person.locator("[data-testid=plan-status]").get_attribute("data-status") == "agreed"
    screenshot(person, "development-plan-agreed-phone")
    assert person.console_errors == []
