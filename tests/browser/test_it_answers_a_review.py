"""A peer answers a 360 review on a 375-pixel phone, a customer answers by link without
signing in, and the reviewee reads the released results — in the browser."""

from datetime import timedelta

import pytest

from .conftest import PHONE, screenshot, sign_in

QUESTIONS = ("cooperation", "sharing", "team_goal")


@pytest.fixture
def review(demo_site):
    """The demo agent's 360 in a launched cycle: three teammates nominated and approved, the
    review open, and two customers' links; the first peer may sign in."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kaohe.appraisals.demo import HISTORY_NAME, _launched
    from kaohe.org.models import Employee
    from kaohe.reviews.actions import (
        LinkInput,
        do_create_setup,
        do_decide_nomination,
        do_make_links,
        do_nominate,
        do_open_review,
        do_start_reviews,
    )
    from kaohe.reviews.models import Assignment

    cycle = _launched(HISTORY_NAME, "2026-Q2", {})
    users = get_user_model().objects
    hr, lead = users.get(username="hr"), users.get(username="manager")
    agent = Employee.objects.get(user__username="agent")
    appraisal = agent.appraisals.get(cycle=cycle)
    do_create_setup(hr, appraisal.version_id)
    (made,) = do_start_reviews(hr, cycle.pk, timezone.localdate() + timedelta(days=7), [agent.pk])
    peers = list(Employee.objects.filter(manager=agent.manager).exclude(pk=agent.pk)
                 .order_by("number")[:3])  # fmt: skip
    do_nominate(agent.user, made.pk, "peers", [p.pk for p in peers])
    for assignment in Assignment.objects.filter(review=made, status="proposed"):
        do_decide_nomination(lead, assignment.pk, True)
    do_open_review(lead, made.pk)
    links = do_make_links(hr, made.pk, [LinkInput("华信银行 王经理")], "zh")
    peers[0].user.set_password("kaohe-demo")
    peers[0].user.save()
    path = "/r/" + links[0].url.split("/r/", 1)[1]  # the mailed address, on the test server
    made.peers, made.link = peers, demo_site + path  # type: ignore[attr-defined]
    return made


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a 375px phone"


def _tap_levels(page, level):
    for key in QUESTIONS:
        page.locator(f"fieldset[data-key={key}] label.option").nth(level - 1).click()


def test_a_peer_answers_a_customer_rates_and_the_reviewee_reads_the_results(
    open_page, demo_site, review
):
    from django.contrib.auth import get_user_model

    from kaohe.reviews.actions import AnswerInput, do_close_reviews, do_submit
    from kaohe.reviews.models import Assignment, Response

    peer = open_page(viewport=PHONE)
    sign_in(peer, demo_site, review.peers[0].user.get_username())
    peer.goto(f"{demo_site}/reviews/inbox/")
    peer.click("[data-testid=answer-link]")
    peer.wait_for_load_state("networkidle")
    _fits_the_phone(peer)
    _tap_levels(peer, 4)
    peer.locator("fieldset[data-key=sharing] label.option.unable").click()
    peer.fill("#comment", "遇到高峰时会主动帮忙接线。")
    screenshot(peer, "review-answer-phone")
    peer.click("[data-testid=submit]")
    peer.wait_for_load_state("networkidle")
    assert "无法评价" in peer.content()  # the confirmation lists the answers
    peer.click("[data-testid=confirm-submit]")
    peer.wait_for_load_state("networkidle")
    assert "已匿名提交" in peer.content()
    assert Response.objects.filter(review=review).count() == 1
    assert peer.console_errors == []

    customer = open_page(viewport=PHONE)
    customer.goto(review.link)
    _fits_the_phone(customer)
    assert customer.locator("a").count() == 0  # no way into the app
    _tap_levels(customer, 5)
    screenshot(customer, "review-customer-link-phone")
    customer.click("[data-testid=public-submit]")
    customer.wait_for_load_state("networkidle")
    assert customer.locator("[data-testid=thanks]").count() == 1
    customer.goto(review.link)
    assert "已被使用" in customer.content()
    # the used link answers 410 Gone, which the browser reports; nothing else may fail
    assert [e for e in customer.console_errors if "410" not in e] == []

    for rater in (*review.peers[1:], review.reviewee, review.reviewee.manager):
        mine = Assignment.objects.get(review=review, rater=rater)
        do_submit(rater.user, mine.pk, AnswerInput(dict.fromkeys(QUESTIONS, 3), "也很好"))
    do_close_reviews(get_user_model().objects.get(username="hr"), [review.pk])

    reviewee = open_page(viewport=PHONE)
    sign_in(reviewee, demo_site, "agent")
    reviewee.goto(f"{demo_site}/reviews/")
    reviewee.locator("a", has_text="结果").first.click()
    reviewee.wait_for_load_state("networkidle")
    table = reviewee.locator("[data-testid=results]")
    assert table.locator("th[data-group=peers]").count() == 1
    assert "同事互评均分" in reviewee.locator("[data-testid=fed]").inner_text()
    assert review.peers[0].name not in reviewee.content()
    screenshot(reviewee, "review-results-phone")
    assert reviewee.console_errors == []
