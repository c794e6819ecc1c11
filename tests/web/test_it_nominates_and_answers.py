"""Running a 360: setups from the library that lock with the first answer, starting reviews
for a cycle, nominating within the limits and the load limit, approving, declining,
reminding, answering (drafts, submission) and closing — and who may do each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from kaohe.appraisals.models import Notification
from kaohe.audit.models import AuditEntry
from kaohe.reviews.actions import (
    AnswerInput,
    GroupInput,
    QuestionInput,
    ReviewRefused,
    SetupInput,
    do_assign,
    do_close_reviews,
    do_create_setup,
    do_decide_nomination,
    do_decline,
    do_nominate,
    do_open_review,
    do_remind,
    do_save_draft,
    do_save_setup,
    do_start_reviews,
    do_submit,
)
from kaohe.reviews.models import Assignment, Response, Review, ReviewSetup

from .reviewing import QUESTIONS, answer, assignment_of, opened, setups_for, started
from .workflow import appraisal_of, launched_cycle


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(org):
    return launched_cycle(org)


def _setup_input(setup, **changes):
    groups = [
        GroupInput(g.group, g.weight, g.min_raters, g.max_raters, g.score_threshold,
                   g.comment_threshold)
        for g in setup.groups.all()
    ]  # fmt: skip
    questions = [
        QuestionInput(q.key, q.text_zh, q.text_en, q.anchors_zh, q.anchors_en, q.feeds)
        for q in setup.questions.all()
    ]
    return SetupInput(changes.get("load_limit", setup.load_limit), groups, questions)


# --- setups ------------------------------------------------------------------------------


def test_a_setup_comes_from_the_library_with_the_team_spirit_questions(org, cycle):
    (setup,) = setups_for(org, cycle, ("ann",))
    keys = list(setup.questions.values_list("key", flat=True))
    assert keys == list(QUESTIONS)
    assert set(setup.questions.values_list("feeds", flat=True)) == {"peer_review_score"}
    assert all(len(q.anchors_zh) == 5 and len(q.anchors_en) == 5 for q in setup.questions.all())
    groups = {g.group: g for g in setup.groups.all()}
    assert set(groups) == {"self", "manager", "peers", "subordinates", "partners", "customers"}
    assert (groups["peers"].score_threshold, groups["peers"].comment_threshold) == (3, 5)
    assert setup.load_limit == 8
    assert AuditEntry.objects.filter(action="reviews.setup_create").count() == 1


def test_the_director_setup_asks_attitude_questions_that_feed_no_score(org, cycle):
    (setup,) = setups_for(org, cycle, ("dora",))
    assert list(setup.questions.values_list("key", flat=True)) == [
        "coordination", "professionalism", "customer_focus"]  # fmt: skip
    assert set(setup.questions.values_list("feeds", flat=True)) == {""}


def test_only_hr_in_scope_makes_and_edits_setups(org, cycle):
    version = appraisal_of(cycle, org, "ann").version
    for key in ("mike", "dora", "eve", "ann", "harry"):  # harry: a built-in shared version
        with pytest.raises(PermissionDenied):
            do_create_setup(org.users[key], version.pk)
    setup = do_create_setup(org.users["alice"], version.pk)
    with pytest.raises(PermissionDenied):
        do_save_setup(org.users["harry"], setup.pk, _setup_input(setup))
    with pytest.raises(ReviewRefused, match="already"):
        do_create_setup(org.users["alice"], version.pk)


def test_settings_refuse_what_would_break_anonymity(org, cycle):
    (setup,) = setups_for(org, cycle, ("ann",))
    given = _setup_input(setup)
    weak = [g if g.group != "peers" else GroupInput("peers", g.weight, 1, 6, 2, 5)
            for g in given.groups]  # fmt: skip
    with pytest.raises(ReviewRefused, match="at least 3"):
        do_save_setup(org.users["alice"], setup.pk, SetupInput(8, weak, given.questions))
    bad_feed = [QuestionInput("x", "问", "Q", ["a"] * 5, ["a"] * 5, feeds="nothing")]
    with pytest.raises(ReviewRefused, match="does not have"):
        do_save_setup(org.users["alice"], setup.pk, SetupInput(8, given.groups, bad_feed))


def test_the_setup_locks_with_the_first_answer(org, cycle):
    reviews = started(org, cycle, ("ann",))
    review = opened(org, reviews["ann"])
    setup = review.setup
    do_save_setup(org.users["alice"], setup.pk, _setup_input(setup, load_limit=6))
    answer(org, review, "amy", 4)
    with pytest.raises(ReviewRefused, match="locked"):
        do_save_setup(org.users["alice"], setup.pk, _setup_input(setup, load_limit=5))
    assert ReviewSetup.objects.get(pk=setup.pk).load_limit == 6


def test_the_setup_page_says_it_is_locked(org, cycle, client_for):
    review = opened(org, started(org, cycle, ("ann",))["ann"])
    answer(org, review, "amy", 4)
    page = client_for("alice").get(reverse("reviews-setup", args=[review.setup.pk]))
    assert page.status_code == 200
    assert 'data-testid="locked"' in page.content.decode()
    refused = client_for("alice").post(reverse("reviews-setup", args=[review.setup.pk]),
                                       {"load_limit": "3"}, follow=True)  # fmt: skip
    assert "locked" in refused.content.decode()
    for key in ("harry", "mike", "ann", "eve", "nobody"):
        shown = client_for(key).get(reverse("reviews-setup", args=[review.setup.pk]))
        assert shown.status_code in (403, 404)


# --- starting and nominating -------------------------------------------------------------


def test_starting_makes_self_manager_and_direct_report_assignments(org, cycle):
    reviews = started(org, cycle, ("ann", "mike"))
    ann, mike = reviews["ann"], reviews["mike"]
    assert ann.state == Review.State.NOMINATING
    by_group = {(a.rater.name, a.group) for a in ann.assignments.all()}
    assert by_group == {("安妮", "self"), ("麦克", "manager")}
    groups = {(a.rater.name, a.group) for a in mike.assignments.all()}
    assert groups == {("麦克", "self"), ("朵拉", "manager"), ("安妮", "subordinates"),
                      ("艾米", "subordinates")}  # fmt: skip
    entry = AuditEntry.objects.get(action="reviews.start")
    assert entry.after["reviews"] == 2


def test_only_hr_whose_scope_covers_the_cycle_starts_reviews(org, cycle):
    setups_for(org, cycle, ("ann",))
    deadline = timezone.localdate() + timedelta(days=3)
    for key in ("mike", "dora", "eve", "ann", "harry"):
        with pytest.raises(PermissionDenied):
            do_start_reviews(org.users[key], cycle.pk, deadline)
    with pytest.raises(ReviewRefused, match="deadline"):
        do_start_reviews(org.users["alice"], cycle.pk, timezone.localdate() - timedelta(days=1))


def test_the_reviewee_nominates_and_the_manager_approves_or_rejects(org, cycle):
    review = started(org, cycle, ("ann",))["ann"]
    do_nominate(org.users["ann"], review.pk, "peers", [org.people[k].pk for k in ("amy", "bob")])
    amy, bob = assignment_of(org, review, "amy"), assignment_of(org, review, "bob")
    assert amy.status == Assignment.Status.PROPOSED
    for key in ("ann", "amy", "bob", "lena", "dora", "eve"):  # neither her manager nor HR
        with pytest.raises(PermissionDenied):
            do_decide_nomination(org.users[key], amy.pk, True)
    do_decide_nomination(org.users["mike"], amy.pk, True)
    do_decide_nomination(org.users["mike"], bob.pk, False)
    assert assignment_of(org, review, "amy").status == Assignment.Status.ASKED
    assert not Assignment.objects.filter(pk=bob.pk).exists()
    with pytest.raises(ReviewRefused, match="at least 3"):
        do_open_review(org.users["mike"], review.pk)
    do_assign(org.users["mike"], review.pk, "peers", [org.people["lena"].pk, org.people["bob"].pk])
    with pytest.raises(PermissionDenied):
        do_open_review(org.users["ann"], review.pk)
    do_open_review(org.users["mike"], review.pk)
    assert Review.objects.get(pk=review.pk).state == Review.State.OPEN


def test_harry_in_scope_approves_too(org, cycle):
    review = started(org, cycle, ("ann",))["ann"]
    do_nominate(org.users["ann"], review.pk, "peers", [org.people["amy"].pk])
    do_decide_nomination(org.users["harry"], assignment_of(org, review, "amy").pk, True)
    assert assignment_of(org, review, "amy").status == Assignment.Status.ASKED


def test_nominations_are_refused_beyond_the_limits(org, cycle):
    review = started(org, cycle, ("ann",))["ann"]
    ann = org.users["ann"]
    with pytest.raises(ReviewRefused, match="themself"):
        do_nominate(ann, review.pk, "peers", [org.people["ann"].pk])
    with pytest.raises(ReviewRefused, match="Already a rater"):
        do_nominate(ann, review.pk, "peers", [org.people["mike"].pk])
    with pytest.raises(ReviewRefused, match="self or customers"):
        do_nominate(ann, review.pk, "customers", [org.people["amy"].pk])
    everyone = [org.people[k].pk for k in ("amy", "bob", "lena", "dora", "alice", "harry", "eve")]
    with pytest.raises(ReviewRefused, match="at most 6"):
        do_nominate(ann, review.pk, "peers", everyone)
    with pytest.raises(PermissionDenied):
        do_nominate(org.users["amy"], review.pk, "peers", [org.people["bob"].pk])


def test_a_rater_above_the_load_limit_is_refused_with_who_and_the_limit(org, cycle):
    reviews = started(org, cycle, ("ann", "amy", "bob"))
    setup = reviews["ann"].setup
    do_save_setup(org.users["alice"], setup.pk, _setup_input(setup, load_limit=1))
    # what the org chart asks (lena rates bob as his manager) does not count
    do_nominate(org.users["ann"], reviews["ann"].pk, "peers", [org.people["lena"].pk])
    with pytest.raises(ReviewRefused, match=r"莉娜 already has 1 reviews .* the limit is 1"):
        do_nominate(org.users["amy"], reviews["amy"].pk, "peers", [org.people["lena"].pk])
    # nor their own self-review: amy may still be nominated once
    do_nominate(org.users["bob"], reviews["bob"].pk, "peers", [org.people["amy"].pk])


def test_nobody_who_reads_the_results_rates_anonymously(org, cycle):
    alice = org.people["alice"]
    alice.manager = org.people["dora"]  # HR for the whole organisation, reporting to dora
    alice.save()
    review = started(org, cycle, ("ann", "dora"))
    for key in ("dora", "eve", "alice", "harry"):  # above ann, or HR over her
        with pytest.raises(ReviewRefused, match="will read this review's results"):
            do_nominate(org.users["ann"], review["ann"].pk, "peers", [org.people[key].pk])
    # alice reads dora's results: not asked as one of dora's subordinates
    asked = set(review["dora"].assignments.values_list("rater__user__username", flat=True))
    assert asked == {"dora", "eve", "mike", "lena"}


def test_nobody_adds_to_the_named_groups(org, cycle):
    review = started(org, cycle, ("ann",))["ann"]
    for group in ("manager", "self"):
        with pytest.raises(PermissionDenied):
            do_assign(org.users["alice"], review.pk, group, [org.people["amy"].pk])
    do_assign(org.users["alice"], review.pk, "subordinates", [org.people["amy"].pk])


def test_a_rater_declines_and_the_nominator_hears_only_that(org, cycle, client_for):
    review = started(org, cycle, ("ann",))["ann"]
    do_nominate(org.users["ann"], review.pk, "peers", [org.people["amy"].pk])
    amy = assignment_of(org, review, "amy")
    with pytest.raises(ReviewRefused, match="Say why"):
        do_decline(org.users["amy"], amy.pk, " ")
    with pytest.raises(PermissionDenied):
        do_decline(org.users["bob"], amy.pk, "不熟")
    with pytest.raises(ReviewRefused):
        do_decline(org.users["ann"], assignment_of(org, review, "ann").pk, "不想自评")
    do_decline(org.users["amy"], amy.pk, "私人原因：亲属关系")
    note = Notification.objects.get(recipient=org.users["ann"], action="review_declined")
    assert note.actor_name == "艾米"
    assert AuditEntry.objects.get(action="reviews.decline").note == "私人原因：亲属关系"
    ann_page = client_for("ann").get(reverse("review", args=[review.pk])).content.decode()
    assert "艾米" in ann_page
    assert "亲属关系" not in ann_page
    assert (
        "亲属关系"
        not in client_for("mike").get(reverse("review", args=[review.pk])).content.decode()
    )
    assert (
        "亲属关系" in client_for("alice").get(reverse("review", args=[review.pk])).content.decode()
    )
    listed = client_for("ann").get(reverse("notifications")).content.decode()
    assert "拒绝了您提名的 360 度评估" in listed
    assert "亲属关系" not in listed


# --- answering ---------------------------------------------------------------------------


def test_drafts_are_kept_on_the_assignment_and_deleted_on_submit(org, cycle):
    review = opened(org, started(org, cycle, ("ann",))["ann"])
    amy = assignment_of(org, review, "amy")
    do_save_draft(org.users["amy"], amy.pk, AnswerInput({"cooperation": 4}, "很靠谱"))
    amy.refresh_from_db()
    assert (amy.draft_levels, amy.draft_comment) == ({"cooperation": 4}, "很靠谱")
    assert not Response.objects.exists()
    with pytest.raises(ReviewRefused, match="2 left"):
        do_submit(org.users["amy"], amy.pk, AnswerInput({"cooperation": 4}))
    with pytest.raises(ReviewRefused, match="1 to 5"):
        do_submit(org.users["amy"], amy.pk, AnswerInput(dict.fromkeys(QUESTIONS, 6)))
    given = AnswerInput({"cooperation": 4, "sharing": None, "team_goal": 5}, "很靠谱")
    do_submit(org.users["amy"], amy.pk, given)
    amy.refresh_from_db()
    assert amy.answered
    assert amy.answered_on == timezone.localdate()
    assert amy.draft_levels is None
    assert amy.draft_comment == ""
    (response,) = Response.objects.all()
    assert response.levels == {"cooperation": 4, "sharing": None, "team_goal": 5}
    assert response.group == "peers"
    with pytest.raises(ReviewRefused, match="already"):
        do_submit(org.users["amy"], amy.pk, AnswerInput(dict.fromkeys(QUESTIONS, 1)))


def test_nobody_answers_before_the_review_opens_nor_for_someone_else(org, cycle):
    review = started(org, cycle, ("ann",))["ann"]
    own = assignment_of(org, review, "ann")
    with pytest.raises(ReviewRefused, match="not open"):
        do_submit(org.users["ann"], own.pk, AnswerInput(dict.fromkeys(QUESTIONS, 5)))
    opened(org, review)
    with pytest.raises(PermissionDenied):
        do_submit(org.users["bob"], own.pk, AnswerInput(dict.fromkeys(QUESTIONS, 5)))


def test_the_inbox_and_the_answer_pages_through_the_browser_forms(org, cycle, client_for):
    review = opened(org, started(org, cycle, ("ann",))["ann"])
    amy = assignment_of(org, review, "amy")
    client = client_for("amy")
    inbox = client.get(reverse("reviews-inbox")).content.decode()
    assert "安妮" in inbox
    assert reverse("reviews-answer", args=[amy.pk]) in inbox
    page = client.get(reverse("reviews-answer", args=[amy.pk])).content.decode()
    assert page.count('type="radio"') == 3 * 6  # five anchors and "unable to judge" each
    form = {"q_cooperation": "4", "q_sharing": "na", "q_team_goal": "5", "comment": "好"}
    client.post(reverse("reviews-answer", args=[amy.pk]), {**form, "draft": ""})
    assert Assignment.objects.get(pk=amy.pk).draft_levels == {
        "cooperation": 4, "sharing": None, "team_goal": 5}  # fmt: skip
    going = client.post(reverse("reviews-answer", args=[amy.pk]), {**form, "submit": ""})
    assert going.url == reverse("reviews-confirm", args=[amy.pk])
    assert not Response.objects.exists()  # not before the confirmation
    client.post(reverse("reviews-confirm", args=[amy.pk]))
    assert Response.objects.count() == 1
    assert client_for("bob").get(reverse("reviews-answer", args=[amy.pk])).status_code == 404


def test_reminders_once_a_day_to_those_who_have_not_answered(
    org, cycle, django_capture_on_commit_callbacks
):
    review = opened(org, started(org, cycle, ("ann",))["ann"])
    answer(org, review, "amy", 4)
    org.people["bob"].email = "bob@example.com"
    org.people["bob"].save()
    with pytest.raises(PermissionDenied):
        do_remind(org.users["mike"], [review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        report = do_remind(org.users["alice"], [review.pk])
    assert set(report.reminded) == {"安妮", "麦克", "鲍勃", "莉娜"}
    assert Notification.objects.filter(action="review_remind").count() == 4
    assert not Notification.objects.filter(recipient=org.users["amy"]).exists()
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    again = do_remind(org.users["alice"], [review.pk])
    assert again.count == 0
    assert len(again.already_today) == 4
    assert Notification.objects.filter(action="review_remind").count() == 4


def test_closing_releases_results_and_deletes_drafts(org, cycle, client_for):
    review = opened(org, started(org, cycle, ("ann",))["ann"])
    bob = assignment_of(org, review, "bob")
    do_save_draft(org.users["bob"], bob.pk, AnswerInput({"cooperation": 2}))
    for key in ("mike", "ann", "eve", "dora"):
        with pytest.raises(PermissionDenied):
            do_close_reviews(org.users[key], [review.pk])
    assert client_for("mike").get(reverse("review-close", args=[review.pk])).status_code == 404
    page = client_for("harry").get(reverse("review-close", args=[review.pk]))
    assert 'data-testid="confirm-close"' in page.content.decode()
    client_for("harry").post(reverse("review-close", args=[review.pk]))
    review.refresh_from_db()
    assert review.state == Review.State.CLOSED
    assert review.closed_on == timezone.localdate()
    assert Assignment.objects.get(pk=bob.pk).draft_levels is None
    told = set(Notification.objects.filter(action="review_released")
               .values_list("recipient__username", flat=True))  # fmt: skip
    assert told == {"ann", "mike", "dora", "eve"}


def test_the_daily_command_reminds_each_rater_once(org, cycle):
    from io import StringIO

    from django.core.management import call_command

    opened(org, started(org, cycle, ("ann",))["ann"])
    out = StringIO()
    call_command("remind_reviewers", "--as", "alice", stdout=out)
    assert "5 reminded" in out.getvalue()
    again = StringIO()
    call_command("remind_reviewers", "--as", "alice", stdout=again)
    assert "0 reminded, 5 already" in again.getvalue()
    nothing = StringIO()
    call_command("remind_reviewers", "--as", "mike", stdout=nothing)  # not HR: nothing to do
    assert "0 reminded" in nothing.getvalue()


# --- the input it feeds ------------------------------------------------------------------


def test_a_closed_review_feeds_team_spirit_with_the_groups_counted(org, cycle):
    from decimal import Decimal

    from kaohe.appraisals.inputs import fed_values

    review = opened(org, started(org, cycle, ("ann",))["ann"])
    for key, level in (("amy", 4), ("bob", 5), ("lena", 3), ("mike", 1), ("ann", 5)):
        answer(org, review, key, level)
    appraisal = appraisal_of(cycle, org, "ann")
    scheme = appraisal.version.scheme()
    assert "peer_review_score" not in fed_values(appraisal, scheme)  # not before the close
    do_close_reviews(org.users["alice"], [review.pk])
    value = fed_values(appraisal, scheme)["peer_review_score"]
    assert value.value == Decimal(4)  # the peers' mean only: the feed reads reviews:peers
    assert value.source == "reviews"
    assert value.provenance["groups"] == ["peers"]
    assert value.provenance["detail"]["zh"] == "360 度评估：计入 同事，共 3 份回答"


def test_a_review_with_too_few_peers_feeds_nothing(org, cycle):
    from kaohe.appraisals.inputs import fed_values

    review = opened(org, started(org, cycle, ("ann",))["ann"])
    answer(org, review, "amy", 4)
    answer(org, review, "bob", 4)
    do_close_reviews(org.users["alice"], [review.pk])
    appraisal = appraisal_of(cycle, org, "ann")
    assert "peer_review_score" not in fed_values(appraisal, appraisal.version.scheme())


# --- the API ------------------------------------------------------------------------------


def test_the_api_starts_nominates_declines_and_submits(org, cycle, api_for):
    import json

    from kaohe.tokens.models import TokenScope

    setups_for(org, cycle, ("ann",))
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    body = json.dumps({"deadline": deadline, "employees": ["A001"]})
    path = f"/api/v1/cycles/{cycle.pk}/reviews"
    assert api_for("mike", TokenScope.WRITE).post(path, body, "application/json").status_code == 404
    assert (
        api_for("harry", TokenScope.WRITE).post(path, body, "application/json").status_code == 403
    )
    made = api_for("alice", TokenScope.WRITE).post(path, body, "application/json")
    assert made.status_code == 201
    review = made.json()[0]["id"]
    nominate = json.dumps({"group": "peers", "raters": ["A002", "B001", "L001"]})
    nominations = f"/api/v1/reviews/{review}/nominations"
    ann = api_for("ann", TokenScope.WRITE)
    assert api_for("amy", TokenScope.WRITE).post(nominations, nominate,
                                                 "application/json").status_code == 404  # fmt: skip
    assert api_for("eve", TokenScope.WRITE).post(nominations, nominate,
                                                 "application/json").status_code == 403  # fmt: skip
    shown = ann.post(nominations, nominate, "application/json")
    assert shown.status_code == 201
    assert {n["status"] for n in shown.json()} == {"proposed"}
    too_many = json.dumps({"group": "peers", "raters": ["D001", "H001", "H002", "E001"]})
    refused = ann.post(nominations, too_many, "application/json")
    assert refused.status_code == 409
    assert "6" in refused.json()["detail"]
    reviewed = Review.objects.get(pk=review)
    for assignment in reviewed.assignments.filter(status=Assignment.Status.PROPOSED):
        do_decide_nomination(org.users["mike"], assignment.pk, True)
    do_open_review(org.users["mike"], review)
    bob = assignment_of(org, reviewed, "bob")
    declined = api_for("bob", TokenScope.WRITE).post(
        f"/api/v1/assignments/{bob.pk}/decline", json.dumps({"reason": "不熟悉"}),
        "application/json",
    )  # fmt: skip
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    amy = assignment_of(org, reviewed, "amy")
    answer_body = json.dumps({"levels": {"cooperation": 4, "sharing": None, "team_goal": 5}})
    submit = f"/api/v1/assignments/{amy.pk}/submit"
    assert ann.post(submit, answer_body, "application/json").status_code == 404
    done = api_for("amy", TokenScope.WRITE).post(submit, answer_body, "application/json")
    assert done.json() == {"review": review, "answered": True}  # nothing that leads to it
    again = api_for("amy", TokenScope.WRITE).post(submit, answer_body, "application/json")
    assert again.status_code == 409
    listed = api_for("amy").get("/api/v1/reviews").json()
    assert [t["answered"] for t in listed["to_answer"]] == [True]
    assert listed["to_answer"][0]["draft"] is None


def test_hr_closes_a_cycle_s_review_stage_after_a_confirmation(org, cycle, client_for):
    reviews = started(org, cycle, ("ann", "bob"))
    opened(org, reviews["ann"])
    path = reverse("reviews-close-cycle", args=[cycle.pk])
    for key in ("mike", "dora", "eve", "ann"):
        assert client_for(key).get(path).status_code == 404
    page = client_for("alice").get(path).content.decode()
    assert "安妮" in page
    assert "鲍勃" in page
    assert reverse("reviews-close-cycle", args=[cycle.pk]) in client_for("alice").get(
        reverse("reviews")).content.decode()  # fmt: skip
    client_for("alice").post(path)
    assert set(Review.objects.values_list("state", flat=True)) == {Review.State.CLOSED}
    assert client_for("alice").get(path).status_code == 404  # nothing left to close


def _setup_form(setup):
    """The setup page's fields as the page fills them."""
    form = {"load_limit": str(setup.load_limit)}
    for g in setup.groups.all():
        form |= {f"group_{g.group}_on": "on", f"group_{g.group}_weight": str(g.weight),
                 f"group_{g.group}_min": str(g.min_raters),
                 f"group_{g.group}_max": str(g.max_raters),
                 f"group_{g.group}_score": str(g.score_threshold),
                 f"group_{g.group}_comment": str(g.comment_threshold)}  # fmt: skip
    for n, q in enumerate(setup.questions.all()):
        form |= {f"q{n}_key": q.key, f"q{n}_feeds": q.feeds, f"q{n}_text_zh": q.text_zh,
                 f"q{n}_text_en": q.text_en, f"q{n}_comment": "on"}  # fmt: skip
        for level in range(1, 6):
            form[f"q{n}_zh_{level}"] = q.anchors_zh[level - 1]
            form[f"q{n}_en_{level}"] = q.anchors_en[level - 1]
    return form


def test_hr_edits_the_setup_on_its_page(org, cycle, client_for):
    (setup,) = setups_for(org, cycle, ("ann",))
    page = client_for("alice").get(reverse("reviews-setup", args=[setup.pk])).content.decode()
    assert 'name="q0_zh_5"' in page
    assert setup.questions.first().anchors_zh[4] in page
    form = _setup_form(setup)
    form |= {"load_limit": "6", "q1_drop": "on", "group_customers_on": ""}
    form |= {"q3_key": "listening", "q3_feeds": "peer_review_score", "q3_text_zh": "倾听他人意见",
             "q3_text_en": "Listens to others"}  # fmt: skip
    form |= {
        f"q3_{lang}_{level}": f"{lang}{level}" for lang in ("zh", "en") for level in range(1, 6)
    }
    client_for("alice").post(reverse("reviews-setup", args=[setup.pk]), form)
    setup.refresh_from_db()
    assert setup.load_limit == 6
    assert list(setup.questions.values_list("key", flat=True)) == ["cooperation", "team_goal",
                                                                   "listening"]  # fmt: skip
    assert "customers" not in set(setup.groups.values_list("group", flat=True))
    assert AuditEntry.objects.filter(action="reviews.setup_save").count() == 1
