"""The demo's 360 reviews, all through the real actions.

- Agents (and the administration and technical-support staff): a peer review each — three
  teammates nominated by the reviewee and approved by the lead — so that the team-spirit
  indicator (``peer_review_score``, ``feed: reviews:peers``) has values. Most get their three
  peers' answers; every seventh only two, so their indicator has no value and is left out
  (the scheme's ``missing: exclude``). These reviews are closed in every cycle.
- The director's reports (the team leads): self, the director, their agents (subordinates),
  the other leads as peers, an administration or support colleague as a cross-department
  partner and two key customers by link. The partner and the customers are each below the
  threshold of three: they are merged into "others". Closed in the history cycle, open in
  the current one.
- The director: self, the general manager and the leads as subordinates, of whom only two
  answer: the subordinates are too few to show, and nothing is merged with them. The
  director's scheme (cs-director) has no review-fed input, so its questions — tied to its
  attitude items — are context for the manager and HR and add nothing to the score.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.org.models import Employee

from .actions import (
    AnswerInput,
    GroupInput,
    LinkInput,
    QuestionInput,
    SetupInput,
    do_answer_by_link,
    do_close_reviews,
    do_create_setup,
    do_decide_nomination,
    do_make_links,
    do_nominate,
    do_open_review,
    do_save_setup,
    do_start_reviews,
    do_submit,
)
from .models import Assignment, Review, ReviewSetup

CUSTOMERS = ("华信银行 王经理", "东方物流 李总")


def demo_reviews(cycle: Cycle, *, released: bool) -> int:
    """Run the demo's 360 for ``cycle``; the number of reviews started (0 when the cycle
    has reviews already).

    Call it right after the cycle is launched and BEFORE its appraisals are walked to the
    manager's review: that step freezes the appraisal's inputs, and a review closed later
    no longer feeds them. ``released=True`` (the history cycle) closes every review;
    ``released=False`` (the current cycle) closes the agents' peer reviews, so that
    team spirit has values, and leaves the leads' and the director's 360 open. Call it
    outside any transaction (its actions commit durably), after ``load_demo`` (it reads the
    demo's ``hr`` account and position names).
    """
    if Review.objects.filter(cycle=cycle).exists():
        return 0
    hr = get_user_model().objects.get(username="hr")
    rng = random.Random(360 + cycle.pk)
    with translation.override("zh-hans"):
        _setups(hr, cycle)
        deadline = timezone.localdate() + timedelta(days=14)
        reviews = do_start_reviews(hr, cycle.pk, deadline)
        director = _director(cycle)
        leads = list(Employee.objects.filter(manager=director).order_by("number"))
        for review in reviews:
            person = review.reviewee
            waiting = set() if released else WAITING
            if person.pk == director.pk:
                _director_review(review, rng, waiting)
            elif person in leads:
                _lead_review(hr, review, [p for p in leads if p != person], rng, waiting)
            else:
                _peer_review(review, rng)
        chiefs = {director.pk, *(lead.pk for lead in leads)}
        agents = [r.pk for r in reviews if r.reviewee_id not in chiefs]
        do_close_reviews(hr, agents)
        if released:
            do_close_reviews(hr, [r.pk for r in reviews if r.pk not in agents])
    return len(reviews)


# The demo accounts that find open 360s to answer in their inbox in the current cycle.
WAITING = {"agent", "manager"}


def _waits(employee: Employee | None, waiting: set[str]) -> bool:
    return (
        employee is not None
        and employee.user is not None
        and (employee.user.get_username() in waiting)
    )


def _director(cycle: Cycle) -> Employee:
    found = Appraisal.objects.filter(cycle=cycle, employee__position__name="客服总监").first()
    assert found is not None, "the demo cycle has no director"
    return found.employee


def _setups(hr: Any, cycle: Cycle) -> None:
    """A setup from the library for every version the cycle uses; the director's asks no
    peers (a director has none in the demo organisation)."""
    versions = set(Appraisal.objects.filter(cycle=cycle).values_list("version_id", flat=True))
    for version_id in sorted(versions):
        setup = ReviewSetup.objects.filter(version_id=version_id).first()
        if setup is None:
            setup = do_create_setup(hr, version_id)
            if setup.version.code.startswith("cs-director"):
                _without_peers(hr, setup)


def _without_peers(hr: Any, setup: ReviewSetup) -> None:
    groups = [
        GroupInput(g.group, g.weight, 0 if g.group == "peers" else g.min_raters, g.max_raters,
                   g.score_threshold, g.comment_threshold)
        for g in setup.groups.all()
    ]  # fmt: skip
    questions = [
        QuestionInput(q.key, q.text_zh, q.text_en, q.anchors_zh, q.anchors_en, q.feeds)
        for q in setup.questions.all()
    ]
    do_save_setup(hr, setup.pk, SetupInput(setup.load_limit, groups, questions))


def _manager_user(review: Review) -> Any:
    rater = review.appraisal.rater or review.reviewee.manager
    return rater.user if rater is not None else None


def _approve_and_open(review: Review) -> None:
    manager = _manager_user(review)
    for assignment in review.assignments.filter(status=Assignment.Status.PROPOSED):
        do_decide_nomination(manager, assignment.pk, True)
    do_open_review(manager, review.pk)


def _peer_review(review: Review, rng: random.Random) -> None:
    """Three teammates nominated in a ring; most answer all three."""
    person = review.reviewee
    team = list(Employee.objects.active().filter(manager_id=person.manager_id)
                .order_by("number"))  # fmt: skip
    if len(team) < 4:
        _approve_and_open(review)
        return
    place = team.index(person)
    peers = [team[(place + step) % len(team)] for step in (1, 2, 3)]
    do_nominate(person.user, review.pk, "peers", [p.pk for p in peers])
    _approve_and_open(review)
    standing = rng.uniform(3.0, 4.8)  # how the team sees this person
    answering = peers if place % 7 else peers[:2]
    for rater in [person, *answering]:
        _answer(review, rater, standing + (0.4 if rater == person else 0), rng, comment="")
    _answer(review, review.appraisal.rater or person.manager, standing, rng, comment="")


def _lead_review(
    hr: Any, review: Review, other_leads: list[Employee], rng: random.Random, waiting: set[str]
) -> None:
    person = review.reviewee
    do_nominate(person.user, review.pk, "peers", [p.pk for p in other_leads[:4]])
    partner = _partner_for(review, other_leads)
    if partner is not None:
        do_nominate(person.user, review.pk, "partners", [partner.pk])
    _approve_and_open(review)
    standing = rng.uniform(3.2, 4.6)
    asked = review.assignments.filter(status=Assignment.Status.ASKED).select_related("rater")
    for assignment in asked:
        if assignment.group == "subordinates" and rng.random() < 0.3:
            continue  # not everyone answers
        if _waits(assignment.rater, waiting):
            continue  # left for the demo account to answer
        lift = 0.8 if assignment.group == "self" else 0
        comment = rng.choice(_COMMENTS) if assignment.group == "subordinates" else ""
        _answer(review, assignment.rater, standing + lift, rng, comment=comment)
    made = do_make_links(hr, review.pk, [LinkInput(name) for name in CUSTOMERS], "zh")
    for link in made:
        token = link.url.rstrip("/").rsplit("/", 1)[1]
        do_answer_by_link(token, AnswerInput(_levels(review, standing, rng), ""))


def _partner_for(review: Review, other_leads: list[Employee]) -> Employee | None:
    """Someone of another department who works with the lead's team: an administration or
    technical-support colleague (a different one for each lead); never HR, who reads the
    results and so rates in no anonymous group."""
    found = (
        Employee.objects.active()
        .exclude(department_id=review.reviewee.department_id)
        .filter(position__name__in=("行政专员", "技术支持工程师"))
        .order_by("number")
    )
    candidates = list(found)
    if not candidates:
        return None
    return candidates[len(other_leads) * review.reviewee_id % len(candidates)]


def _director_review(review: Review, rng: random.Random, waiting: set[str]) -> None:
    _approve_and_open(review)
    subordinates = review.assignments.filter(group="subordinates").select_related("rater")
    answering = [a for a in subordinates if not _waits(a.rater, waiting)]
    for assignment in answering[:2]:  # two of the leads: too few to show
        _answer(review, assignment.rater, 4.0, rng, comment="")
    _answer(review, review.reviewee, 4.5, rng, comment="")
    manager = review.appraisal.rater or review.reviewee.manager
    if manager is not None:
        _answer(review, manager, 3.8, rng, comment="")


_COMMENTS = (
    "排班安排合理，高峰时会亲自顶岗。",
    "希望组会更聚焦问题，少一些通报。",
    "遇到疑难工单时指导及时。",
    "对新人很耐心，带教细致。",
    "可以多给组员一些成长机会。",
)


def _levels(review: Review, standing: float, rng: random.Random) -> dict[str, int | None]:
    keys = list(review.setup.questions.values_list("key", flat=True))
    return {key: max(1, min(5, round(standing + rng.uniform(-0.8, 0.8)))) for key in keys}


def _answer(review: Review, rater: Any, standing: float, rng: random.Random, comment: str) -> None:
    if rater is None or rater.user is None:
        return
    assignment = review.assignments.filter(rater=rater, status=Assignment.Status.ASKED).first()
    if assignment is None or assignment.answered:
        return
    levels = _levels(review, min(standing, 5.0), rng)
    do_submit(rater.user, assignment.pk, AnswerInput(levels, comment))
