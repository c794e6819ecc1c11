"""Anonymity that holds: an answer row that cannot lead back to its rater, outputs that are the
same whichever rater gave which answer, no rater next to an answer in any page, export, API
answer, notification, mail, log line or audit row, groups below their threshold hidden or
merged, results only after the review closes — and who may open what."""

import json
import logging
import re
from itertools import permutations

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from kaohe.appraisals.models import Notification
from kaohe.audit.models import AuditEntry
from kaohe.org.models import GrantRole
from kaohe.reviews.actions import do_close_reviews, do_save_setup
from kaohe.reviews.models import Assignment, Response, Review
from kaohe.tokens.models import TokenScope

from .factory import unlinked_account
from .reviewing import QUESTIONS, answer, assignment_of, colleagues, opened, started
from .test_it_nominates_and_answers import _setup_input
from .workflow import launched_cycle

PEERS = ("amy", "bob", "lena")
PEER_NAMES = ("艾米", "鲍勃", "莉娜")
ANSWERS = {
    "amy": ({"cooperation": 4, "sharing": 2, "team_goal": 3}, "评语甲：协作积极"),
    "bob": ({"cooperation": 2, "sharing": 4, "team_goal": None}, "评语乙：分享不够"),
    "lena": ({"cooperation": 3, "sharing": 3, "team_goal": 5}, "评语丙：目标感强"),
}
COMMENTS = [comment for _levels, comment in ANSWERS.values()]
EVERYONE = ("ann", "amy", "bob", "mike", "lena", "dora", "alice", "harry", "eve", "nobody")


@pytest.fixture
def cycle(org):
    return launched_cycle(org)


def _comments_from_three(org, review):
    """Peers' comments shown from three answers, so that the tests can look for them."""
    setup = review.setup
    given = _setup_input(setup)
    groups = [g.__class__(g.group, g.weight, g.min_raters, g.max_raters, g.score_threshold,
                          3 if g.group == "peers" else g.comment_threshold)
              for g in given.groups]  # fmt: skip
    do_save_setup(org.users["alice"], setup.pk, given.__class__(given.load_limit, groups,
                                                                given.questions))  # fmt: skip


def _answer_all(org, review, given):
    answer(org, review, "ann", 5, "自评：尽心尽力")
    answer(org, review, "mike", {"cooperation": 3, "sharing": 3, "team_goal": 4}, "上级：稳定")
    for key, (levels, comment) in given.items():
        answer(org, review, key, levels, comment)


@pytest.fixture
def review(org, cycle):
    made = opened(org, started(org, cycle, ("ann",))["ann"], peers=PEERS)
    _comments_from_three(org, made)
    return made


@pytest.fixture
def closed(org, review):
    _answer_all(org, review, ANSWERS)
    do_close_reviews(org.users["alice"], [review.pk])
    review.refresh_from_db()
    return review


# --- the answer row --------------------------------------------------------------------


def test_the_answer_row_has_nothing_that_leads_to_its_rater(db):
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert set(fields) == {"id", "review", "group", "levels", "comment"}
    relations = {name: f.related_model for name, f in fields.items() if f.is_relation}
    assert relations == {"review": Review}  # no user, employee, assignment, nor anything back
    assert fields["id"].get_internal_type() == "UUIDField"
    assert fields["id"].primary_key
    timed = ("DateField", "DateTimeField", "TimeField")
    assert not [f for f in fields.values() if f.get_internal_type() in timed]
    assert Response._meta.ordering == ["id"]
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, Response._meta.db_table)
    assert {c.name for c in columns} == {"id", "review_id", "group", "levels", "comment"}
    assert not [f for f in Assignment._meta.get_fields() if f.related_model is Response]


def test_a_submission_writes_one_anonymous_row_and_reshuffles_the_rows(org, review, monkeypatch):
    import kaohe.reviews.actions.answering as answering

    class ByText:  # a known permutation in place of the random one
        def shuffle(self, rows):
            rows.sort(key=lambda row: row.comment)

    monkeypatch.setattr(answering.random, "SystemRandom", ByText)
    for key in PEERS:
        answer(org, review, key, *ANSWERS[key])
    with connection.cursor() as cursor:  # the table's own order, as a database reader sees it
        cursor.execute(f"SELECT comment FROM {Response._meta.db_table}")
        stored = [row[0] for row in cursor.fetchall()]
    # the last submission rewrote every row in the shuffled order, not the order they came
    assert stored == sorted(COMMENTS)
    assert stored != COMMENTS


LEVEL_OF = re.compile(r'"(cooperation|sharing|team_goal)": *(\d|null)|"levels"')


def test_no_audit_row_holds_an_answer_or_points_at_one(org, closed):
    ids = {str(pk) for pk in Response.objects.values_list("id", flat=True)}
    for entry in AuditEntry.objects.all():
        recorded = json.dumps([entry.before, entry.after, entry.note, entry.target_repr],
                              ensure_ascii=False)  # fmt: skip
        assert not any(comment in recorded for comment in COMMENTS), entry.action
        assert not LEVEL_OF.search(recorded), entry.action  # no question → level anywhere
        assert entry.target_type != "reviews.response"
        assert entry.target_id not in ids
    submitted = AuditEntry.objects.filter(action="reviews.submit")
    assert {e.after["rater"] for e in submitted} == {"安妮", "麦克", *PEER_NAMES}
    assert {e.target_id for e in submitted} == {str(closed.pk)}


# --- the same outputs whichever rater gave which answer -----------------------------------

# What differs between any two requests: the CSRF token and the script nonce.
PER_REQUEST = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+')


def _outputs(org, client_for, api_for, review):
    page = client_for("ann").get(reverse("review-results", args=[review.pk])).content.decode()
    export = client_for("alice").get(reverse("review-results-csv", args=[review.pk])).content
    shown = api_for("ann").get(f"/api/v1/reviews/{review.pk}").json()
    return PER_REQUEST.sub("", page), export, shown


def _again(org, review, given):
    """The same review answered again from scratch, the answers given by other raters."""
    Response.objects.filter(review=review).delete()
    Notification.objects.all().delete()  # the "results released" of the previous round
    Assignment.objects.filter(review=review).update(answered=False, answered_on=None)
    Review.objects.filter(pk=review.pk).update(state=Review.State.OPEN, closed_on=None)
    _answer_all(org, review, given)
    do_close_reviews(org.users["alice"], [review.pk])


def test_the_results_are_identical_whichever_rater_gave_which_answer(
    org, review, client_for, api_for
):
    seen = []
    for order in permutations(PEERS):
        given = {rater: ANSWERS[source] for rater, source in zip(order, PEERS, strict=True)}
        _again(org, review, given)
        seen.append(_outputs(org, client_for, api_for, review))
    assert all(outputs == seen[0] for outputs in seen[1:])
    page, _export, shown = seen[0]
    assert all(comment in page for comment in COMMENTS)  # the comments are there, unnamed
    assert shown["results"]["groups"][2]["comments"] == sorted(COMMENTS)


# --- no rater next to an answer anywhere --------------------------------------------------


def _every_output(org, client_for, api_for, review):
    texts = []
    pages = ["reviews", "reviews-inbox", "notifications"]
    for key in EVERYONE:
        client = client_for(key)
        for name in pages:
            texts.append(client.get(reverse(name)).content.decode())
        for name in ("review", "review-results", "review-results-csv"):
            texts.append(client.get(reverse(name, args=[review.pk])).content.decode("utf-8"))
        # the appraisal the review feeds, with its value and where it came from
        texts.append(client.get(reverse("appraisal", args=[review.appraisal_id])).content.decode())
        if key != "nobody":
            caller = api_for(key)
            texts.append(caller.get("/api/v1/reviews").content.decode())
            texts.append(caller.get(f"/api/v1/reviews/{review.pk}").content.decode())
    return texts


def test_no_output_puts_an_anonymous_rater_beside_an_answer(
    org, review, client_for, api_for, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    for person in org.people.values():
        person.email = f"{person.number.lower()}@example.com"
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        from kaohe.reviews.actions import do_remind

        answer(org, review, "amy", *ANSWERS["amy"])
        do_remind(org.users["alice"], [review.pk])
        for key in ("bob", "lena"):
            answer(org, review, key, *ANSWERS[key])
        _answer_all(org, review, {})
        do_close_reviews(org.users["alice"], [review.pk])
    outputs = _every_output(org, client_for, api_for, review)
    outputs += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    outputs += [json.dumps(list(Notification.objects.values()), default=str, ensure_ascii=False)]
    outputs.append(caplog.text)
    for text in outputs:
        has_answer = any(comment in text for comment in COMMENTS)
        has_rater = any(name in text for name in PEER_NAMES)
        assert not (has_answer and has_rater), text[:300]
    assert any(all(c in text for c in COMMENTS) for text in outputs)  # the search can find them
    assert not any(comment in caplog.text for comment in COMMENTS)
    fed = client_for("mike").get(reverse("appraisal", args=[review.appraisal_id])).content
    assert "360 度评估：计入 同事，共 3 份回答" in fed.decode()  # the appraisal reads the peers
    assert mail.outbox
    assert not any(c in m.body for m in mail.outbox for c in COMMENTS)


def test_a_refused_answer_says_what_is_wrong_without_the_answer(org, review):
    from kaohe.reviews.actions import AnswerInput, ReviewRefused, do_submit

    amy = assignment_of(org, review, "amy")
    with pytest.raises(ReviewRefused) as refused:
        do_submit(org.users["amy"], amy.pk, AnswerInput({"cooperation": 9}, "评语甲：协作积极"))
    assert "评语甲" not in str(refused.value)
    assert "9" not in str(refused.value)


# --- thresholds ---------------------------------------------------------------------------


@pytest.fixture
def mike_review(org, cycle):
    peers = colleagues(org, 3)
    return opened(org, started(org, cycle, ("mike",))["mike"], peers=peers, partners=("bob",))


def _mike_answers(org, review, with_partner):
    answer(org, review, "mike", 4)
    answer(org, review, "dora", 3)
    answer(org, review, "ann", 2, "下属评语一")
    answer(org, review, "amy", 1, "下属评语二")
    if with_partner:
        answer(org, review, "bob", 5, "协作方评语")
    do_close_reviews(org.users["alice"], [review.pk])


def test_a_group_below_its_threshold_is_not_shown_and_its_count_nowhere(
    org, mike_review, client_for, api_for
):
    _mike_answers(org, mike_review, with_partner=False)
    data = api_for("mike").get(f"/api/v1/reviews/{mike_review.pk}").json()["results"]
    assert [g["group"] for g in data["groups"]] == ["self", "manager"]
    assert data["hidden"] == [{"group": "subordinates", "label": "下属"}]
    page = client_for("mike").get(reverse("review-results", args=[mike_review.pk]))
    html = page.content.decode()
    hidden = html.split('data-testid="hidden">', 1)[1].split("</p>", 1)[0]
    assert "下属" in hidden
    assert not re.search(r"\d", hidden)
    assert "下属评语" not in html
    assert "1.5" not in html
    assert data["inputs"][0]["value"] is None  # the peers' input: no peer answered


def test_small_groups_merge_into_others_when_that_reaches_the_threshold(
    org, mike_review, client_for, api_for
):
    _mike_answers(org, mike_review, with_partner=True)
    data = api_for("mike").get(f"/api/v1/reviews/{mike_review.pk}").json()["results"]
    others = data["groups"][-1]
    assert (others["group"], others["members"], others["responses"]) == (
        "others", ["subordinates", "partners"], 3)  # fmt: skip
    assert {c["mean"] for c in others["cells"]} == {"2.7"}  # (2 + 1 + 5) / 3
    assert others["comments"] == []
    assert data["hidden"] == []
    html = client_for("mike").get(reverse("review-results", args=[mike_review.pk])).content
    assert "协作方评语" not in html.decode()  # comments need five answers


# --- release only after the close -------------------------------------------------------


def test_results_are_released_only_when_the_review_closes(org, review, client_for, api_for):
    _answer_all(org, review, ANSWERS)
    for key in ("ann", "mike", "alice"):
        assert client_for(key).get(reverse("review-results", args=[review.pk])).status_code == 404
        shown = api_for(key).get(f"/api/v1/reviews/{review.pk}").json()
        assert shown["results"] is None
        assert (shown["answered"], shown["asked"]) == (5, 5)
    page = client_for("ann").get(reverse("review", args=[review.pk])).content.decode()
    progress = page.split('data-testid="progress">', 1)[1].split("</p>", 1)[0]
    assert re.findall(r"\d+", progress) == ["5", "5"]  # answered of asked, nothing per group
    assert 'data-testid="not-answered"' not in page
    assert "评语" not in page
    do_close_reviews(org.users["alice"], [review.pk])
    assert client_for("ann").get(reverse("review-results", args=[review.pk])).status_code == 200


def test_before_the_close_the_reviewee_sees_one_count_not_per_group(org, review, api_for):
    answer(org, review, "amy", *ANSWERS["amy"])
    shown = api_for("ann").get(f"/api/v1/reviews/{review.pk}").json()
    assert (shown["answered"], shown["asked"]) == (1, 5)
    (listed,) = api_for("ann").get("/api/v1/reviews").json()["mine"]
    assert (listed["answered"], listed["asked"]) == (1, 5)  # the list counts alike
    assert shown["not_answered"] is None
    assert all(set(n) == {"employee", "name", "group", "status"} for n in shown["nominations"])


# --- who may open what ------------------------------------------------------------------

REVIEW_READERS = {"ann", "mike", "dora", "eve", "alice", "harry"}  # eve: dora's manager
HR = {"alice", "harry"}


@pytest.mark.parametrize("key", EVERYONE)
def test_the_permission_matrix_of_the_pages(org, closed, client_for, key):
    client = client_for(key)
    expected = 200 if key in REVIEW_READERS else 404
    assert client.get(reverse("review", args=[closed.pk])).status_code == expected
    assert client.get(reverse("review-results", args=[closed.pk])).status_code == expected
    csv = client.get(reverse("review-results-csv", args=[closed.pk])).status_code
    assert csv == (200 if key in HR else 404)
    assert client.get(reverse("review-close", args=[closed.pk])).status_code == 404  # closed
    inbox = client.get(reverse("reviews-inbox")).status_code
    assert inbox == (403 if key == "nobody" else 200)
    setups = client.get(reverse("reviews-setups")).status_code
    assert setups == (200 if key in HR else 403)


@pytest.mark.parametrize("key", EVERYONE)
def test_the_permission_matrix_of_the_endpoints(org, review, api_for, client_for, key):
    if key == "nobody":
        assert client_for("nobody").get("/api/v1/reviews").status_code == 403
        return
    caller = api_for(key, TokenScope.WRITE)
    expected = 200 if key in REVIEW_READERS else 404
    assert caller.get(f"/api/v1/reviews/{review.pk}").status_code == expected
    own = assignment_of(org, review, "amy")
    body = json.dumps({"levels": dict.fromkeys(QUESTIONS, 3), "comment": ""})
    draft = caller.put(f"/api/v1/assignments/{own.pk}/draft", body,
                       content_type="application/json").status_code  # fmt: skip
    assert draft == (200 if key == "amy" else 404)
    close = caller.post(f"/api/v1/reviews/{review.pk}/close").status_code
    assert close == (200 if key in HR else 403 if key in REVIEW_READERS else 404)


def test_an_executive_by_that_role_alone_sees_no_review(org, closed, client):
    viewer = unlinked_account("viewer", role=GrantRole.EXECUTIVE)
    client.force_login(viewer)
    assert client.get(reverse("review", args=[closed.pk])).status_code == 404
    assert client.get(reverse("review-results", args=[closed.pk])).status_code == 404


def test_the_audit_page_words_the_submissions_without_the_answers(org, closed, client_for):
    page = client_for("alice").get(reverse("audit-log")).content.decode()
    assert "提交 360 度评估答卷" in page
    assert "360 度评估" in page
    assert not any(comment in page for comment in COMMENTS)
