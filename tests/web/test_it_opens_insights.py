"""The Insights page and its place in the navigation: each reader sees the sections their
role opens — HR all four, the executive viewer attrition risk and call sentiment, managers
and agents call sentiment only (their reports' calls, their own), anyone else none —
whatever other role they hold."""

import pytest
from django.urls import reverse

SECTIONS = {"whatif", "advice", "attrition", "sentiment"}


def sections_on(page: str) -> set[str]:
    return {name for name in SECTIONS if f'data-section="{name}"' in page}


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for(None).get(reverse("insights"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("key", ["ann", "mike", "dora"])
def test_agents_managers_and_directors_see_call_sentiment_only(client_for, key):
    client = client_for(key)
    page = client.get(reverse("insights")).content.decode()
    assert sections_on(page) == {"sentiment"}
    assert "尚无转写通话。" in page
    assert 'data-nav="insights"' in client.get(reverse("home")).content.decode()
    for name in ("whatif", "advice", "attrition-model"):
        assert client.get(reverse(name)).status_code == 403


def test_an_account_without_a_role_may_not_open_it(client_for):
    client = client_for("nobody")
    assert client.get(reverse("insights")).status_code == 403
    assert 'data-nav="insights"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("key", ["alice", "harry"])
def test_hr_sees_every_section_and_the_navigation_item(client_for, key):
    client = client_for(key)
    page = client.get(reverse("insights")).content.decode()
    assert sections_on(page) == SECTIONS
    assert "已保存 0 个假设分析" in page  # in Chinese, the default
    assert "尚未训练模型。" in page
    assert 'data-nav="insights"' in client.get(reverse("home")).content.decode()


def test_the_executive_who_also_manages_sees_attrition_risk_and_sentiment(client_for):
    """eve is the executive viewer and dora's manager: neither role opens the what-if or the
    weight advice, which are HR's; call sentiment she reads as the executive viewer."""
    client = client_for("eve")
    page = client.get(reverse("insights")).content.decode()
    assert sections_on(page) == {"attrition", "sentiment"}
    assert client.get(reverse("whatif")).status_code == 403
    assert client.get(reverse("advice")).status_code == 403


def test_the_item_is_current_on_every_insights_page(client_for):
    page = client_for("alice").get(reverse("whatif")).content.decode()
    assert 'data-nav="insights" aria-current="page"' in page


def test_the_page_speaks_either_language(client_for):
    client = client_for("alice")
    assert "<h1>洞察</h1>" in client.get(reverse("insights")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("insights")).content.decode()
    assert "<h1>Insights</h1>" in english
    assert "0 saved what-ifs" in english
