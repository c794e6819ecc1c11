"""The badge pages: the catalogue and who holds each badge, a badge's page, HR's editor with
its confirmations, and the profile shelf — for whom, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.points.actions import award_badges
from kaohe.points.models import Badge, PointEntry, PointRule
from kaohe.points.shelf import badge_shelf

from .points_data import MAY, csat, incident, rules, store


@pytest.fixture
def starred(org):
    store("2026-05", {"A001": csat(4.82, 212), "A002": csat(4.61, 150)})
    store("2026-06", {"A001": csat(4.9, 80), "A002": csat(4.5, 90)})
    award_badges(None, "2026-05")
    award_badges(None, "2026-06")
    return org


def test_the_catalogue_lists_every_badge_and_its_holders_in_both_languages(starred, page_for):
    zh = page_for("bob", "zh-hans").get(reverse("badges")).content.decode()
    for name in ("服务之星", "首解达人", "零投诉", "进步之星"):
        assert name in zh
    assert "2026-06 获得者：安妮" in zh
    en = page_for("bob", "en").get(reverse("badges")).content.decode()
    assert "Service Star" in en
    assert "Held for 2026-06 by 安妮" in en
    assert "Monthly · The best in the team · CSAT · minimum volume 30" in en
    assert "Monthly · complaint rate ≤ 0 · minimum volume 200" in en


def test_a_badge_page_says_why_each_award_was_made(starred, page_for):
    page = page_for("amy", "en").get(reverse("badge", args=["service-star"])).content.decode()
    assert "CSAT 4.82 with 212 surveys: the best of 2 in 客服一组 with no complaint upheld" in page
    assert 'data-testid="holders-2026-06"' in page
    zh = page_for("amy", "zh-hans").get(reverse("badge", args=["service-star"])).content.decode()
    assert "满意度均分 4.82（212 份问卷）：客服一组 2 人中无成立投诉者最佳" in zh
    assert page_for("amy").get(reverse("badge", args=["no-such"])).status_code == 404


def test_the_shelf_counts_a_badge_earned_twice(starred, page_for):
    shelf = {item.badge.code: item for item in badge_shelf(starred.people["ann"])}
    assert (shelf["service-star"].times, shelf["service-star"].latest.period) == (2, "2026-06")
    assert shelf["rising-star"].times == 1  # 4.82 → 4.9 while amy fell
    assert badge_shelf(starred.people["bob"]) == []
    mine = page_for("ann", "zh-hans").get(reverse("badges")).content.decode()
    assert 'data-testid="badge-shelf"' in mine
    assert "×2" in mine


def test_the_person_page_shows_the_shelf(starred, page_for):
    page = page_for("mike", "en").get(reverse("person", args=["A001"])).content.decode()
    assert 'data-testid="badge-shelf"' in page
    assert "Service Star" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("harry", 403), ("eve", 403), ("mike", 403), ("ann", 403), ("nobody", 403)],
)
def test_only_whole_organisation_hr_opens_the_editor(org, page_for, who, status):
    assert page_for(who).get(reverse("points-editor")).status_code == status
    assert page_for(who).get(reverse("points-badge-new")).status_code == status


@pytest.mark.parametrize(("who", "status"), [("ann", 200), ("eve", 200), ("harry", 200),
                                             ("nobody", 403), (None, 302)])  # fmt: skip
def test_who_opens_the_badge_pages(org, client_for, who, status):
    assert client_for(who).get(reverse("badges")).status_code == status
    assert client_for(who).get(reverse("badge", args=["service-star"])).status_code == status


def test_hr_sets_a_rule_and_deletes_it_after_confirming(org, page_for):
    hr = page_for("alice", "zh-hans")
    editor = hr.get(reverse("points-editor")).content.decode()
    assert "已锁定结果中拿满分的指标" in editor
    response = hr.post(reverse("points-rule-save"),
                       {"kind": "positive_incident", "points": "6", "active": "1"})  # fmt: skip
    assert response.status_code == 302
    rule = PointRule.objects.get()
    assert (rule.points, rule.active) == (6, True)
    refused = hr.post(reverse("points-rule-save"), {"kind": "positive_incident", "points": "0"},
                      follow=True)  # fmt: skip
    assert "积分须为 1 到 1000 之间的整数。" in refused.content.decode()
    incident(org, "ann", MAY)
    from kaohe.points.actions import award_points

    award_points(None)
    asked = hr.get(reverse("points-rule-delete", args=[rule.pk])).content.decode()
    assert "确认删除" in asked
    assert "将一并删除 1 条记录。" in asked
    hr.post(reverse("points-rule-delete", args=[rule.pk]))  # no confirmation: nothing goes
    assert PointRule.objects.exists()
    hr.post(reverse("points-rule-delete", args=[rule.pk]), {"confirm": "1"})
    assert not PointRule.objects.exists()
    assert not PointEntry.objects.exists()


def test_hr_builds_a_badge_with_the_rule_builder(org, page_for):
    hr = page_for("alice", "en")
    form = hr.get(reverse("points-badge-new")).content.decode()
    assert 'value="qa_pass_rate"' in form  # every catalog metric is offered
    fields = {"code": "qa-champion", "name_zh": "质检标兵", "name_en": "QA Champion",
              "metric": "qa_pass_rate", "comparison": "at_least", "threshold": "95",
              "min_volume": "10", "period_kind": "quarter", "higher_is_better": "1",
              "active": "1", "guard_metric": "", "guard_at_most": "0"}  # fmt: skip
    response = hr.post(reverse("points-badge-new"), fields)
    assert response.status_code == 302
    badge = Badge.objects.get(code="qa-champion")
    assert (badge.threshold, badge.min_volume, badge.period_kind) == (95, 10, "quarter")
    bad = hr.post(reverse("points-badge-new"), {**fields, "code": "x", "threshold": ""})
    assert "The code is 2–40 lower-case letters" in bad.content.decode()
    store("2026-Q2", {"A001": {"qa_pass_rate": (96.0, 20)}})
    rules(org, badge=10)
    hr.post(reverse("points-run"), {"period": "2026-Q2"})
    assert badge.awards.count() == 1
    assert PointEntry.objects.get().points == 10
    asked = hr.get(reverse("points-badge-delete", args=[badge.pk])).content.decode()
    assert "Everyone who holds this badge loses it." in asked
    hr.post(reverse("points-badge-delete", args=[badge.pk]), {"confirm": "1"})
    assert not Badge.objects.filter(code="qa-champion").exists()
    deleted = AuditEntry.objects.get(action="points.badge_delete")
    assert deleted.before["awards"] == 1


def test_a_built_in_badge_is_edited_but_keeps_its_code(org, page_for):
    star = Badge.objects.get(code="service-star")
    hr = page_for("alice")
    fields = {"code": "renamed", "name_zh": "服务之星", "name_en": "Service Star",
              "metric": "csat_mean", "comparison": "best", "min_volume": "50",
              "period_kind": "month", "higher_is_better": "1", "active": "1",
              "guard_metric": "complaints_converted", "guard_at_most": "0"}  # fmt: skip
    hr.post(reverse("points-badge-edit", args=[star.pk]), fields)
    star.refresh_from_db()
    assert (star.code, star.min_volume) == ("service-star", 50)
    hr.post(reverse("points-badge-delete", args=[star.pk]), {"confirm": "1"})
    assert Badge.objects.filter(code="service-star").exists()


def test_pages_fit_a_phone(org, page_for):
    for name in ("leaderboards", "badges"):
        page = page_for("ann").get(reverse(name)).content.decode()
        assert 'name="viewport" content="width=device-width' in page
        assert "<table" not in page or 'class="table-wrap"' in page


@pytest.mark.parametrize("name", ["recognition-wall", "leaderboards", "badges"])
def test_the_wall_leaderboards_and_badges_are_one_section_of_the_navigation(org, page_for, name):
    page = page_for("bob", "zh-hans").get(reverse(name)).content.decode()
    assert 'data-nav="recognition-wall" aria-current="page">认可激励</a>' in page
    for tab in ("recognition-wall", "leaderboards", "badges"):
        assert f'data-tab="{tab}"' in page
    assert f'data-tab="{name}" aria-current="page"' in page
