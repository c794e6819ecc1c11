"""Driving 360 reviews in tests through the actions, as the pages do."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kaohe.reviews.actions import (
    AnswerInput,
    do_create_setup,
    do_decide_nomination,
    do_nominate,
    do_open_review,
    do_start_reviews,
    do_submit,
)
from kaohe.reviews.models import Assignment, Review, ReviewSetup

from .workflow import appraisal_of

QUESTIONS = ("cooperation", "sharing", "team_goal")  # the library's team-spirit questions


def colleagues(org, count, team="企服部/客服中心/客服二组", manager="lena"):
    """More agents with accounts, for reviews that need raters who read no results."""
    from django.contrib.auth import get_user_model

    from kaohe.org.models import Employee

    made = []
    for index in range(count):
        key = f"extra{index}"
        user = get_user_model().objects.create_user(username=key)
        org.users[key] = user
        org.people[key] = Employee.objects.create(
            number=f"X{index:03d}", name=f"同事{index}", department=org.departments[team],
            position=org.people["bob"].position, manager=org.people[manager], user=user,
        )  # fmt: skip
        made.append(key)
    return made


def setups_for(org, cycle, keys=("ann", "amy", "bob", "mike", "lena", "dora")):
    """A setup from the library for each scheme version these people's appraisals use."""
    made = {}
    for key in keys:
        version = appraisal_of(cycle, org, key).version
        if version.pk not in made:
            existing = ReviewSetup.objects.filter(version=version).first()
            made[version.pk] = existing or do_create_setup(org.users["alice"], version.pk)
    return list(made.values())


def started(org, cycle, keys=("ann",), by="alice"):
    setups_for(org, cycle, keys)
    ids = [org.people[key].pk for key in keys]
    deadline = timezone.localdate() + timedelta(days=7)
    do_start_reviews(org.users[by], cycle.pk, deadline, ids)
    return {key: Review.objects.get(cycle=cycle, reviewee=org.people[key]) for key in keys}


def opened(org, review, peers=("amy", "bob", "lena"), partners=()):
    """The reviewee nominates, their manager approves every nomination and opens it."""
    reviewee = next(k for k, p in org.people.items() if p.pk == review.reviewee_id)
    manager = next(k for k, p in org.people.items() if p.pk == review.reviewee.manager_id)
    for group, keys in (("peers", peers), ("partners", partners)):
        if keys:
            do_nominate(org.users[reviewee], review.pk, group, [org.people[k].pk for k in keys])
    for assignment in review.assignments.filter(status=Assignment.Status.PROPOSED):
        do_decide_nomination(org.users[manager], assignment.pk, True)
    do_open_review(org.users[manager], review.pk)
    review.refresh_from_db()
    return review


def assignment_of(org, review, key):
    return Assignment.objects.get(review=review, rater=org.people[key])


def answer(org, review, key, level, comment=""):
    """``key`` answers every question with ``level`` (or a mapping of levels)."""
    levels = level if isinstance(level, dict) else dict.fromkeys(QUESTIONS, level)
    do_submit(org.users[key], assignment_of(org, review, key).pk, AnswerInput(levels, comment))
