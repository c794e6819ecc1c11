"""Customers' one-time links: made by HR or the reviewee's managers, mailed or listed once,
only a digest kept; the public page with no sign-in and no way into the app; answers in the
customers group; reuse, expiry and guessing answered alike; tries limited."""

import csv
import hashlib
import io
import re
import secrets
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.models import AuditEntry
from kaohe.reviews.actions import LinkInput, ReviewRefused, do_close_reviews, do_make_links
from kaohe.reviews.models import CustomerLink, Response

from .reviewing import QUESTIONS, opened, started
from .workflow import launched_cycle

FORM = {f"q_{key}": "4" for key in QUESTIONS} | {"comment": "服务很周到"}


@pytest.fixture
def cycle(org):
    return launched_cycle(org)


@pytest.fixture
def review(org, cycle):
    return opened(org, started(org, cycle, ("ann",))["ann"])


def _token(made):
    return made.url.rstrip("/").rsplit("/", 1)[1]


def _link(org, review, language="zh", by="alice"):
    (made,) = do_make_links(org.users[by], review.pk, [LinkInput("王经理")], language)
    return made, _token(made)


def test_hr_and_the_reviewees_managers_make_links_nobody_else(org, review):
    for key in ("alice", "harry", "mike", "dora", "eve"):
        do_make_links(org.users[key], review.pk, [LinkInput(f"客户-{key}")])
    for key in ("ann", "amy", "bob", "lena"):
        with pytest.raises(PermissionDenied):
            do_make_links(org.users[key], review.pk, [LinkInput("客户")])
    assert CustomerLink.objects.count() == 5
    with pytest.raises(ReviewRefused, match="不是有效的电子邮箱"):
        do_make_links(org.users["alice"], review.pk, [LinkInput("客户", "not-mail")])


def test_only_the_digest_is_kept_and_the_mail_carries_the_link(
    org, review, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kaohe.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        made = do_make_links(
            org.users["alice"], review.pk,
            [LinkInput("王经理", "wang@example.com"), LinkInput("李总")], "zh",
        )  # fmt: skip
    tokens = [_token(m) for m in made]
    assert all(len(t) >= 40 for t in tokens)  # 32 random bytes
    assert made[0].url.startswith("https://kaohe.example.com/r/")
    for link, token in zip(made, tokens, strict=True):
        stored = CustomerLink.objects.get(pk=link.link.pk)
        assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(CustomerLink.objects.filter(pk=stored.pk).values().get())
        assert stored.expires_at.date() == (timezone.now() + timedelta(days=14)).date()
    assert not any(t in str(AuditEntry.objects.values_list("after", "note")) for t in tokens)
    (sent,) = mail.outbox
    assert sent.to == ["wang@example.com"]
    assert made[0].url in sent.body
    assert made[1].url not in sent.body


def test_the_links_are_listed_once_as_csv_for_sms(org, review, client_for):
    answer = client_for("mike").post(
        reverse("review-links", args=[review.pk]),
        {"contacts": "王经理\n李总, li@example.com", "language": "en", "days": "7", "as": "csv"},
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert answer["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows] == ["contact", "王经理", "李总"]
    assert all("/r/" in r[1] for r in rows[1:])
    page = client_for("mike").get(reverse("review", args=[review.pk])).content.decode()
    assert "王经理" in page
    assert not any(r[1] in page for r in rows[1:])  # never shown again
    for key in ("ann", "amy"):
        refused = client_for(key).post(reverse("review-links", args=[review.pk]),
                                       {"contacts": "客户"})  # fmt: skip
        assert refused.status_code == 404


def test_a_customer_answers_without_signing_in_in_the_links_language(org, review, client):
    _made, token = _link(org, review, "en")
    page = client.get(f"/r/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "How well do they work with colleagues" in html
    assert "安妮" in html  # whose service
    assert not re.search(r"<a\s", html)  # no link anywhere, least of all into the app
    assert "mainnav" not in html
    assert 'data-testid="notifications"' not in html
    assert page["Referrer-Policy"] == "same-origin"
    sent = client.post(f"/r/{token}/", FORM)
    assert sent.status_code == 200
    assert "Thank you" in sent.content.decode()
    (response,) = Response.objects.all()
    assert response.group == "customers"
    assert response.comment == "服务很周到"
    assert CustomerLink.objects.get().used_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="reviews.link_answer").count() == 1


def test_an_incomplete_answer_is_refused_and_the_link_stays_usable(org, review, client):
    _made, token = _link(org, review)
    refused = client.post(f"/r/{token}/", {"q_cooperation": "4"})
    assert refused.status_code == 400
    assert "2" in refused.content.decode()
    assert CustomerLink.objects.get().used_on is None
    assert client.post(f"/r/{token}/", FORM).status_code == 200


def test_a_used_link_says_so_and_takes_no_second_answer(org, review, client):
    _made, token = _link(org, review)
    client.post(f"/r/{token}/", FORM)
    again = client.get(f"/r/{token}/")
    assert again.status_code == 410
    assert "已被使用" in again.content.decode()
    assert client.post(f"/r/{token}/", FORM).status_code == 410
    assert Response.objects.count() == 1


def test_expired_and_unknown_tokens_answer_alike(org, review, client):
    made, token = _link(org, review)
    CustomerLink.objects.filter(pk=made.link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = client.get(f"/r/{token}/")
    assert expired.status_code == 410
    assert "已失效" in expired.content.decode()
    assert client.post(f"/r/{token}/", FORM).status_code == 410
    for _try in range(5):  # guessing: every wrong token reads exactly like an expired link
        guess = client.get(f"/r/{secrets.token_urlsafe(32)}/")
        assert guess.status_code == 410
        assert guess.content == expired.content
    assert not Response.objects.exists()


def test_a_closed_review_takes_no_customer_answer(org, review, client):
    _made, token = _link(org, review)
    do_close_reviews(org.users["alice"], [review.pk])
    assert client.get(f"/r/{token}/").status_code == 410
    assert client.post(f"/r/{token}/", FORM).status_code == 410


def test_tries_are_limited_per_link(org, review, client):
    _made, token = _link(org, review)
    for _try in range(10):
        assert client.get(f"/r/{token}/", REMOTE_ADDR=f"10.0.0.{_try}").status_code == 200
    limited = client.get(f"/r/{token}/", REMOTE_ADDR="10.0.1.1")
    assert limited.status_code == 429
    assert client.post(f"/r/{token}/", FORM, REMOTE_ADDR="10.0.1.2").status_code == 429
    assert not Response.objects.exists()


def test_tries_are_limited_per_address(org, review, client):
    _made, token = _link(org, review)
    for _try in range(30):
        client.get(f"/r/{secrets.token_urlsafe(32)}/", REMOTE_ADDR="10.9.9.9")
    assert client.get(f"/r/{token}/", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert client.get(f"/r/{token}/", REMOTE_ADDR="10.9.9.8").status_code == 200
