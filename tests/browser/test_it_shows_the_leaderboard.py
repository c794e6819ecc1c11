"""An agent opens the leaderboard and the badges on a phone, in Chinese and in English: the
pages fit the screen, show the agent's rank and never the bottom of the board."""

from datetime import date

import pytest

from .conftest import PHONE, screenshot, sign_in


@pytest.fixture
def scored(demo_site):
    """September's CSAT for the demo lead's team, its badges, and a positive incident for
    each of its agents but the demo agent (who then ranks last)."""
    from kaohe.incidents.models import Incident
    from kaohe.org.models import Employee
    from kaohe.points.actions import award_badges, award_points, do_save_rule
    from tests.web.points_data import csat, store

    team = Employee.objects.filter(department__path="企服部/客服中心/客服一组",
                                   position__name="客服专员").order_by("number")  # fmt: skip
    store("2026-09", {p.number: csat(4.0 + i / 100, 60) for i, p in enumerate(team)})
    hr = Employee.objects.get(user__username="hr").user
    do_save_rule(hr, "positive_incident", 5)
    do_save_rule(hr, "badge", 15)
    for i, person in enumerate(team.exclude(user__username="agent")):
        for _n in range(i % 4 + 1):
            Incident.objects.create(employee=person, occurred_on=date(2026, 9, 10),
                                    polarity="positive", what="主动帮助同事")  # fmt: skip
    award_badges(None, "2026-09")
    award_points(None)
    return demo_site


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_an_agent_reads_the_board_and_the_badges_on_a_phone(open_page, scored, locale):
    page = open_page(locale=locale, viewport=PHONE)
    sign_in(page, scored, "agent")
    page.goto(f"{scored}/points/?period=2026-09")
    mine = page.locator("[data-testid=my-rank]").first.inner_text()
    assert ("您的排名" in mine) if locale == "zh-CN" else ("Your rank" in mine)
    # 14 agents: the top four are shown (the bottom ten never), and the agent's own row.
    cells = page.locator("[data-testid=ranking]").first.locator(
        "tr[data-testid=row] td:first-child"
    )
    ranks = [int(text) for text in cells.all_inner_texts()]
    assert ranks[-1] == 14
    assert all(rank <= 4 for rank in ranks[:-1])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"leaderboard-phone-{locale}")
    page.goto(f"{scored}/points/badges/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name = "服务之星" if locale == "zh-CN" else "Service Star"
    assert name in page.locator("[data-testid=catalogue]").inner_text()
    screenshot(page, f"badges-phone-{locale}")
    assert page.console_errors == []
