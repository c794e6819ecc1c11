"""Instant recognition (即时奖励): who may thank whom, for what, how often; who reads which
thank-yous on the team wall (scope, hidden, withdrawn); the manager's one confirmation as a
positive incident; notifications, the audit log, company values, the API answering as the
pages do, and the demo's wall."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone, translation

from kaohe.appraisals.models import Notification
from kaohe.audit.models import AuditEntry
from kaohe.incidents.models import Incident
from kaohe.incidents.policy import incidents_in_view
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.recognition import policy
from kaohe.recognition.actions import (
    RecognitionRefused,
    ThanksInput,
    ValueInput,
    do_confirm_thanks,
    do_give_thanks,
    do_save_value,
    do_set_shown,
    do_withdraw_thanks,
)
from kaohe.recognition.models import CompanyValue, Thanks
from kaohe.recognition.templatetags.recognition_tabs import tabs
from kaohe.recognition.ties import ties_for
from kaohe.tokens.models import TokenScope
from tests.web.test_it_audit_every_write import read_out
from tests.web.workflow import launched_cycle

EVERYONE = ["ann", "amy", "bob", "mike", "lena", "dora", "alice", "harry", "eve"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def thank(org, author, recipient, note="谢谢你的帮助", tie="value:teamwork"):
    return do_give_thanks(org.users[author], ThanksInput(org.people[recipient].number, note, tie))


@pytest.fixture
def wall(org):
    """Five thank-yous across the organisation (see the factory's chart)."""
    return {
        "amy→ann": thank(org, "amy", "ann"),
        "lena→bob": thank(org, "lena", "bob"),
        "bob→eve": thank(org, "bob", "eve"),
        "ann→amy": thank(org, "ann", "amy", tie="value:customer-first"),
        "dora→mike": thank(org, "dora", "mike"),
    }


def on_wall(org, key):
    return {f"{t.author.name}" for t in policy.thanks_on_wall(Access(org.users[key]))}


def seen(org, key, wall):
    found = set(policy.thanks_on_wall(Access(org.users[key])).values_list("pk", flat=True))
    return {name for name, thanks in wall.items() if thanks.pk in found}


# --- who may thank whom --------------------------------------------------------------------


def test_anyone_with_an_employee_record_thanks_any_active_colleague_but_themselves(org):
    for key in EVERYONE:
        if key != "ann":
            assert thank(org, key, "ann").recipient == org.people["ann"]
    with pytest.raises(PermissionDenied):
        thank(org, "ann", "ann")
    with pytest.raises(PermissionDenied):
        do_give_thanks(org.users["nobody"], ThanksInput("A001", "谢谢", "value:teamwork"))
    Employee.objects.filter(number="B001").update(active=False)
    with pytest.raises(PermissionDenied):
        thank(org, "ann", "bob")
    assert Thanks.objects.count() == len(EVERYONE) - 1


def test_a_note_is_short_and_tied_to_a_value_or_one_of_the_colleague_s_indicators(org):
    with pytest.raises(RecognitionRefused) as empty:
        thank(org, "amy", "ann", note="   ")
    assert empty.value.field == "note"
    with pytest.raises(RecognitionRefused) as long:
        thank(org, "amy", "ann", note="谢" * 281)
    assert long.value.field == "note"
    assert "280" in str(long.value)
    assert len(thank(org, "amy", "ann", note="谢" * 280).note) == 280
    for wrong in ("", "value:nonsense", "indicator:no_such_indicator", "teamwork"):
        with pytest.raises(RecognitionRefused) as refused:
            thank(org, "amy", "ann", tie=wrong)
        assert refused.value.field == "tie", wrong
    do_save_value(org.users["alice"], ValueInput("teamwork", "团队协作", "Teamwork", active=False))
    with pytest.raises(RecognitionRefused):
        thank(org, "amy", "ann", tie="value:teamwork")


def test_an_indicator_of_the_colleague_s_scheme_is_named_in_both_languages(org):
    launched_cycle(org)
    ties = [t for t in ties_for(org.people["ann"]) if t.kind == "indicator"]
    assert ties, "ann's scheme has indicators"
    made = thank(org, "amy", "ann", tie=ties[0].choice)
    assert (made.indicator, made.value) == (ties[0].code, None)
    assert made.dimension
    assert made.tie_label("zh") == ties[0].zh
    assert made.tie_label("en") == ties[0].en != ties[0].zh
    admin = [t for t in ties_for(org.people["alice"]) if t.kind == "indicator"]
    foreign = next((t for t in ties if t.code not in {a.code for a in admin}), None)
    if foreign is not None:  # an agent's indicator is not one of HR's
        with pytest.raises(RecognitionRefused):
            thank(org, "amy", "alice", tie=foreign.choice)


def test_ten_thank_yous_a_day_at_most(org):
    for _ in range(policy.DAILY_LIMIT):
        thank(org, "amy", "ann")
    with pytest.raises(RecognitionRefused) as refused:
        thank(org, "amy", "bob")
    assert "10" in str(refused.value)
    assert "tomorrow" in str(refused.value)
    thank(org, "ann", "amy")  # the limit is each person's own
    Thanks.objects.filter(author=org.people["amy"]).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    thank(org, "amy", "bob")


def test_the_person_and_their_manager_are_told_but_not_the_author(org, client_for, page_for):
    thank(org, "amy", "ann")
    told = set(Notification.objects.values_list("recipient__username", "action"))
    assert told == {("ann", "thanked"), ("mike", "thanked_report")}
    thank(org, "mike", "ann")
    assert Notification.objects.filter(recipient=org.users["mike"]).count() == 1
    client = page_for("mike")
    page = client.get(reverse("notifications")).content.decode()
    assert "thanked someone on your team" in page
    note = Notification.objects.get(recipient=org.users["mike"])
    opened = client.post(reverse("notification-open", args=[note.pk]))
    assert opened["Location"] == reverse("recognition-to-confirm")
    mine = Notification.objects.filter(recipient=org.users["ann"]).first()
    opened = client_for("ann").post(reverse("notification-open", args=[mine.pk]))
    assert opened["Location"] == reverse("recognition-mine")


# --- who reads which ---------------------------------------------------------------------


WALLS = {
    # their own, those they wrote, their department's, the people below them, HR's scope
    "ann": {"amy→ann", "ann→amy", "dora→mike"},
    "amy": {"amy→ann", "ann→amy", "dora→mike"},
    "bob": {"lena→bob", "bob→eve"},
    "mike": {"amy→ann", "ann→amy", "dora→mike"},
    "lena": {"lena→bob"},
    "dora": {"amy→ann", "lena→bob", "ann→amy", "dora→mike"},
    "harry": {"amy→ann", "lena→bob", "ann→amy", "dora→mike"},  # 客服中心 only
    "alice": {"amy→ann", "lena→bob", "bob→eve", "ann→amy", "dora→mike"},
    "eve": {"amy→ann", "lena→bob", "bob→eve", "ann→amy", "dora→mike"},
}


def test_the_wall_shows_each_reader_the_thanks_within_their_scope(org, wall, client_for):
    for key, expected in WALLS.items():
        assert seen(org, key, wall) == expected, key
    page = client_for("bob").get(reverse("recognition-wall")).content.decode()
    assert f'data-testid="thanks-{wall["lena→bob"].pk}"' in page
    assert f'data-testid="thanks-{wall["amy→ann"].pk}"' not in page
    assert client_for("nobody").get(reverse("recognition-wall")).status_code == 403
    assert client_for(None).get(reverse("recognition-wall")).status_code == 302


def test_one_thank_you_is_read_by_whoever_may_see_it_and_nobody_else(org, wall, client_for):
    one = wall["lena→bob"]
    readers = {k for k in EVERYONE if client_for(k).get(
        reverse("recognition-thanks", args=[one.pk])).status_code == 200}  # fmt: skip
    assert readers == {k for k, shown in WALLS.items() if "lena→bob" in shown}
    assert client_for("nobody").get(reverse("recognition-thanks", args=[one.pk])).status_code == 404


def test_a_hidden_thank_you_leaves_the_wall_but_not_the_people_it_concerns(
    org, wall, client_for, page_for
):
    hidden = wall["amy→ann"]
    do_set_shown(org.users["ann"], hidden.pk, False)
    for key in EVERYONE:
        assert "amy→ann" not in seen(org, key, wall), key
    access = {k: Access(org.users[k]) for k in EVERYONE}
    hidden.refresh_from_db()
    readers = {k for k in EVERYONE if policy.can_view_thanks(access[k], hidden)}
    assert readers == {"ann", "amy", "mike", "dora", "eve"}  # eve is above mike
    assert hidden in policy.thanks_received(access["ann"])
    assert hidden in policy.thanks_to_confirm(access["mike"])
    page = page_for("ann").get(reverse("recognition-mine")).content.decode()
    assert 'data-testid="hidden"' in page
    assert "Show on the wall" in page
    for key in ("harry", "alice", "bob"):
        assert (
            client_for(key).get(reverse("recognition-thanks", args=[hidden.pk])).status_code == 404
        )
    with pytest.raises(PermissionDenied):
        do_set_shown(org.users["amy"], hidden.pk, True)  # the author does not choose
    client_for("ann").post(reverse("recognition-shown", args=[hidden.pk]), {"shown": "1"})
    assert "amy→ann" in seen(org, "mike", wall)


def test_the_author_withdraws_within_minutes_and_it_is_gone_for_everyone(
    org, wall, client_for, page_for
):
    one = wall["amy→ann"]
    client = page_for("amy")
    assert (
        "disappears" in client.get(reverse("recognition-withdraw", args=[one.pk])).content.decode()
    )
    assert client_for("ann").get(reverse("recognition-withdraw", args=[one.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        do_withdraw_thanks(org.users["ann"], one.pk)
    withdrawn = client_for("amy").post(reverse("recognition-withdraw", args=[one.pk]))
    assert withdrawn.status_code == 302
    assert "amy→ann" not in seen(org, "amy", wall)
    for key in EVERYONE:
        assert client_for(key).get(reverse("recognition-thanks", args=[one.pk])).status_code == 404
    late = wall["ann→amy"]
    Thanks.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - policy.WITHDRAW_WINDOW - timedelta(seconds=5)
    )
    with pytest.raises(RecognitionRefused) as refused:
        do_withdraw_thanks(org.users["ann"], late.pk)
    assert "15" in str(refused.value)


# --- the manager's confirmation ----------------------------------------------------------


def test_only_the_recipient_s_own_manager_confirms_and_only_once(org, wall):
    one = wall["amy→ann"]
    for key in ("ann", "amy", "bob", "lena", "dora", "alice", "harry", "eve"):
        access = Access(org.users[key])
        assert not policy.may_confirm(access, one), key
        with pytest.raises((PermissionDenied, Thanks.DoesNotExist)):
            do_confirm_thanks(org.users[key], one.pk)
    assert policy.may_confirm(Access(org.users["mike"]), one)
    confirmed = do_confirm_thanks(org.users["mike"], one.pk)
    incident = confirmed.incident
    assert (incident.employee, incident.polarity, incident.kind) == (
        org.people["ann"], "positive", "commendation")  # fmt: skip
    assert incident.recorded_by == org.users["mike"]
    assert incident.occurred_on == timezone.localdate(one.created_at)
    assert one.note in incident.what
    assert reverse("recognition-thanks", args=[one.pk]) in incident.what
    with pytest.raises(RecognitionRefused):
        do_confirm_thanks(org.users["mike"], one.pk)
    assert Incident.objects.count() == 1
    with pytest.raises(RecognitionRefused) as refused:
        do_withdraw_thanks(org.users["amy"], one.pk)
    assert "confirmed" in str(refused.value)
    # It counts where positive incidents count: the incident log of ann.
    assert incident in incidents_in_view(Access(org.users["ann"]))
    assert Notification.objects.filter(recipient=org.users["ann"], action="incident").exists()


def test_eve_confirms_as_the_manager_of_her_own_reports_only(org, wall):
    to_dora = thank(org, "ann", "dora")
    with pytest.raises(PermissionDenied):
        do_confirm_thanks(org.users["eve"], wall["dora→mike"].pk)  # mike is dora's report
    assert do_confirm_thanks(org.users["eve"], to_dora.pk).confirmed


def test_a_manager_does_not_confirm_a_thank_you_they_wrote(org):
    mine = thank(org, "mike", "ann")
    assert mine not in policy.thanks_to_confirm(Access(org.users["mike"]))
    with pytest.raises(PermissionDenied):
        do_confirm_thanks(org.users["mike"], mine.pk)
    assert do_confirm_thanks(org.users["mike"], thank(org, "amy", "ann").pk).confirmed


def test_the_manager_confirms_from_the_page(org, wall, client_for):
    one = wall["amy→ann"]
    client = client_for("mike")
    listed = client.get(reverse("recognition-to-confirm")).content.decode()
    assert f'data-testid="thanks-{one.pk}"' in listed
    assert 'data-testid="confirm"' in listed
    client.post(reverse("recognition-confirm", args=[one.pk]))
    assert Thanks.objects.get(pk=one.pk).incident is not None
    assert f"thanks-{one.pk}" not in client.get(reverse("recognition-to-confirm")).content.decode()
    page = client_for("dora").get(reverse("recognition-thanks", args=[one.pk])).content.decode()
    assert 'data-testid="confirmed"' in page
    assert 'data-testid="confirm"' not in page
    assert client_for("dora").post(reverse("recognition-confirm", args=[one.pk])).status_code == 403


# --- the audit log -----------------------------------------------------------------------


def test_every_write_is_audited_and_read_out_in_words(org, client_for):
    one = thank(org, "amy", "ann")
    do_set_shown(org.users["ann"], one.pk, False)
    do_confirm_thanks(org.users["mike"], one.pk)
    gone = thank(org, "bob", "lena")
    do_withdraw_thanks(org.users["bob"], gone.pk)
    do_save_value(org.users["alice"], ValueInput("learning", "持续学习", "Keep learning", True, 60))
    codes = ["recognition.thank", "recognition.shown", "recognition.confirm",
             "recognition.withdraw", "recognition.value"]  # fmt: skip
    for code in codes:
        entry = AuditEntry.objects.filter(action=code).first()
        assert entry is not None, code
        rows = read_out(client_for, entry)
        assert rows["zh-hans"].action
        assert rows["en"].action
    one.refresh_from_db()
    confirm = AuditEntry.objects.get(action="recognition.confirm")
    assert confirm.actor == org.users["mike"]
    assert confirm.after["incident"] == one.incident_id
    assert AuditEntry.objects.filter(action="incidents.record").count() == 1
    assert AuditEntry.objects.filter(action="recognition.thank").count() == 2
    before = AuditEntry.objects.count()
    do_set_shown(org.users["ann"], one.pk, False)  # no change, no row
    assert AuditEntry.objects.count() == before


# --- company values ----------------------------------------------------------------------


def test_whole_organisation_hr_keeps_the_company_values(org, client_for):
    assert client_for("alice").get(reverse("recognition-values")).status_code == 200
    for key in ("harry", "eve", "mike", "ann"):
        assert client_for(key).get(reverse("recognition-values")).status_code == 403
        with pytest.raises(PermissionDenied):
            do_save_value(org.users[key], ValueInput("x", "某", "Some"))
    answer = client_for("alice").post(
        reverse("recognition-values"),
        {"code": "learning", "name_zh": "持续学习", "name_en": "Keep learning", "active": "on"},
    )
    assert answer.status_code == 302
    assert "value:learning" in {t.choice for t in ties_for(org.people["ann"])}
    refused = client_for("alice").post(
        reverse("recognition-values"), {"code": "Bad Code!", "name_zh": "坏", "name_en": "Bad"}
    )
    assert refused.status_code == 422
    assert not CompanyValue.objects.filter(name_en="Bad").exists()


# --- pages -------------------------------------------------------------------------------


def test_giving_on_the_page_in_two_steps(org, client_for):
    client = client_for("amy")
    first = client.get(reverse("recognition-give"), {"to": "A001"}).content.decode()
    assert 'value="value:teamwork"' in first
    assert "安妮" in first
    unknown = client.get(reverse("recognition-give"), {"to": "ZZZ9"})
    assert unknown.status_code == 422
    assert "ZZZ9" in unknown.content.decode()
    too_long = client.post(
        reverse("recognition-give"),
        {"recipient": "A001", "note": "谢" * 300, "tie": "value:teamwork"},
    )
    assert too_long.status_code == 422
    assert "280" in too_long.content.decode()
    sent = client.post(
        reverse("recognition-give"), {"recipient": "A001", "note": "谢谢", "tie": "value:teamwork"}
    )
    assert sent.status_code == 302
    assert Thanks.objects.get().recipient == org.people["ann"]
    assert client_for("nobody").get(reverse("recognition-give")).status_code == 403


def test_the_wall_reads_in_chinese_by_default_and_in_english(org, wall, client_for):
    client = client_for("mike")
    chinese = client.get(reverse("recognition-wall")).content.decode()
    assert "团队感谢墙" in chinese
    assert "感谢同事" in chinese
    assert "团队协作" in chinese
    client.cookies["django_language"] = "en"
    english = client.get(reverse("recognition-wall")).content.decode()
    assert "Team wall" in english
    assert "Teamwork" in english


def test_the_wall_is_paginated_newest_first(org, client_for):
    for index in range(23):
        author = ["amy", "bob", "mike"][index % 3]
        thank(org, author, "ann" if author != "ann" else "amy", note=f"第{index}次感谢")
    page = client_for("eve").get(reverse("recognition-wall")).content.decode()
    assert "第22次感谢" in page
    assert "第2次感谢" not in page
    second = client_for("eve").get(reverse("recognition-wall"), {"page": 2}).content.decode()
    assert "第2次感谢" in second
    assert "第22次感谢" not in second


def _leaderboards(request):  # a stand-in for the points app's page
    from django.http import HttpResponse

    return HttpResponse("boards")


urlpatterns = [path("boards/", _leaderboards, name="leaderboards")]


def test_the_tabs_link_the_leaderboards_and_badges_only_once_they_exist(org, settings):
    assert [t["name"] for t in tabs("recognition-wall")] in (
        ["recognition-wall"],
        ["recognition-wall", "leaderboards", "badges"],  # once the points app is merged
        ["recognition-wall", "leaderboards"],
        ["recognition-wall", "badges"],
    )
    import kaohe.urls

    module = type(kaohe)("with_boards")
    module.urlpatterns = [*kaohe.urls.urlpatterns, *urlpatterns]
    import sys

    sys.modules["with_boards"] = module
    with override_settings(ROOT_URLCONF="with_boards"):
        found = tabs("recognition-wall")
    assert "leaderboards" in [t["name"] for t in found]
    assert next(t["current"] for t in found) is True


# --- the API -----------------------------------------------------------------------------


def test_the_api_lists_the_same_wall_as_the_page(org, wall, api_for):
    for key, expected in WALLS.items():
        answer = api_for(key).get("/api/v1/recognition/wall")
        assert answer.status_code == 200
        ids = {row["id"] for row in answer.json()["results"]}
        assert ids == {wall[name].pk for name in expected}, key
    assert api_for("nobody").get("/api/v1/recognition/wall").status_code == 403


def test_the_api_gives_hides_confirms_and_withdraws_as_the_pages_do(org, api_for):
    amy = api_for("amy", TokenScope.WRITE)
    ties = amy.get("/api/v1/recognition/ties/A001").json()
    assert {"tie": "value:teamwork", "kind": "value", "label": "团队协作"} in ties or any(
        t["tie"] == "value:teamwork" for t in ties
    )
    assert amy.get("/api/v1/recognition/ties/A002").status_code == 404  # herself
    body = {"recipient": "A001", "note": "谢谢你帮我接手工单", "tie": "value:teamwork"}
    made = amy.post("/api/v1/recognition/thanks", body, content_type="application/json")
    assert made.status_code == 201
    thanks = made.json()
    assert (thanks["recipient"], thanks["shown"], thanks["may_withdraw"]) == ("A001", True, True)
    path = f"/api/v1/recognition/thanks/{thanks['id']}"
    long = amy.post("/api/v1/recognition/thanks", {**body, "note": "谢" * 281},
                    content_type="application/json")  # fmt: skip
    assert long.status_code == 422
    assert long.json()["errors"][0]["field"] == "note"
    ann = api_for("ann", TokenScope.WRITE)
    assert (
        amy.put(f"{path}/shown", {"shown": False}, content_type="application/json").status_code
        == 403
    )
    hidden = ann.put(f"{path}/shown", {"shown": False}, content_type="application/json")
    assert hidden.status_code == 200
    assert hidden.json()["shown"] is False
    assert api_for("harry").get(path).status_code == 404
    received = ann.get("/api/v1/recognition/thanks", {"direction": "received"}).json()
    assert [row["id"] for row in received["results"]] == [thanks["id"]]
    assert api_for("dora", TokenScope.WRITE).post(f"{path}/confirm").status_code == 403
    mike = api_for("mike", TokenScope.WRITE)
    to_confirm = mike.get("/api/v1/recognition/thanks", {"direction": "to_confirm"}).json()
    assert [row["may_confirm"] for row in to_confirm["results"]] == [True]
    confirmed = mike.post(f"{path}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["incident"]
    assert mike.post(f"{path}/confirm").status_code == 409
    assert amy.post(f"{path}/withdraw").status_code == 409
    assert api_for("mike").post(f"{path}/confirm").status_code == 403  # a read-only token
    for _ in range(policy.DAILY_LIMIT - 1):
        assert amy.post("/api/v1/recognition/thanks", body,
                        content_type="application/json").status_code == 201  # fmt: skip
    limited = amy.post("/api/v1/recognition/thanks", body, content_type="application/json")
    assert limited.status_code == 409
    assert "10" in limited.json()["detail"]


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_makes_a_believable_wall(db):
    from kaohe.demo import load_demo
    from kaohe.recognition.demo import demo_recognition

    load_demo()
    made = demo_recognition()
    assert made >= 30
    assert demo_recognition() == 0  # once only
    thanks = Thanks.objects.select_related("author", "recipient")
    assert thanks.filter(confirmed_at__isnull=False).count() >= 3
    assert thanks.filter(shown=False).count() == 1
    assert thanks.filter(recipient__user__username="agent").exists()
    assert len({t.author_id for t in thanks}) > 10
    same_team = sum(t.author.department_id == t.recipient.department_id for t in thanks)
    assert same_team > made / 2
