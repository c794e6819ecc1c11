"""A scheme version's review setup: made from the library, edited by HR until the first
answer to any of its reviews arrives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.core import REVIEW_GROUPS
from kaohe.org.policy import access_for
from kaohe.schemes.models import SchemeVersion

from .. import policy
from ..library import default_groups, default_questions
from ..models import NAMED_GROUPS, Question, RaterGroup, ReviewSetup
from ._errors import ReviewRefused


@dataclass(frozen=True)
class GroupInput:
    group: str
    weight: Decimal
    min_raters: int = 0
    max_raters: int = 8
    score_threshold: int = 3
    comment_threshold: int = 5


@dataclass(frozen=True)
class QuestionInput:
    key: str
    text_zh: str
    text_en: str
    anchors_zh: Sequence[str]
    anchors_en: Sequence[str]
    feeds: str = ""
    comment_allowed: bool = True


@dataclass(frozen=True)
class SetupInput:
    load_limit: int
    groups: Sequence[GroupInput]
    questions: Sequence[QuestionInput] = field(default_factory=tuple)


def do_create_setup(actor: Any, version_id: int) -> ReviewSetup:
    """A setup for a scheme version with the library's groups and questionnaire."""
    with transaction.atomic(durable=True):
        version = SchemeVersion.objects.filter(pk=version_id).first()
        if version is None or not policy.may_edit_setup(access_for(actor), version):
            raise PermissionDenied
        if ReviewSetup.objects.filter(version=version).exists():
            raise ReviewRefused(_("This scheme version has a 360 setup already: edit it."))
        setup = ReviewSetup.objects.create(version=version, created_by=actor)
        for made in default_groups():
            RaterGroup.objects.create(
                setup=setup, group=made.group, weight=made.weight,
                min_raters=made.min_raters, max_raters=made.max_raters,
            )  # fmt: skip
        for order, question in enumerate(default_questions(version.scheme()), 1):
            Question.objects.create(
                setup=setup, order=order, key=question.key, feeds=question.feeds,
                text_zh=question.text["zh"], text_en=question.text["en"],
                anchors_zh=question.anchors["zh"], anchors_en=question.anchors["en"],
            )  # fmt: skip
        record(actor, "reviews.setup_create", setup, after=setup_data(setup))
        return setup


def do_save_setup(actor: Any, setup_id: int, given: SetupInput) -> ReviewSetup:
    """Replace a setup's load limit, groups and questions; refused once answers exist."""
    _check(given)
    with transaction.atomic(durable=True):
        setup = (
            ReviewSetup.objects.select_for_update().select_related("version")
            .filter(pk=setup_id).first()
        )  # fmt: skip
        if setup is None or not policy.may_edit_setup(access_for(actor), setup.version):
            raise PermissionDenied
        if setup.locked():
            raise ReviewRefused(
                _("The setup is locked: answers have arrived for its reviews, and changing it "
                  "now would change what those raters were asked. Make a new scheme version "
                  "for other settings.")
            )  # fmt: skip
        _check_feeds(setup.version, given)
        before = setup_data(setup)
        setup.load_limit = given.load_limit
        setup.save(update_fields=["load_limit"])
        setup.groups.all().delete()
        for group in given.groups:
            RaterGroup.objects.create(
                setup=setup, group=group.group, weight=group.weight,
                min_raters=group.min_raters, max_raters=group.max_raters,
                score_threshold=group.score_threshold, comment_threshold=group.comment_threshold,
            )  # fmt: skip
        setup.questions.all().delete()
        for order, question in enumerate(given.questions, 1):
            Question.objects.create(
                setup=setup, order=order, key=question.key, feeds=question.feeds,
                text_zh=question.text_zh, text_en=question.text_en,
                anchors_zh=list(question.anchors_zh), anchors_en=list(question.anchors_en),
                comment_allowed=question.comment_allowed,
            )  # fmt: skip
        record(actor, "reviews.setup_save", setup, before=before, after=setup_data(setup))
        return setup


def _check(given: SetupInput) -> None:
    if not 1 <= given.load_limit <= 50:
        raise ReviewRefused(_("The load limit is a number of reviews from 1 to 50."))
    seen: set[str] = set()
    for group in given.groups:
        if group.group not in REVIEW_GROUPS or group.group in seen:
            raise ReviewRefused(_("Each rater group appears once, from the list."))
        seen.add(group.group)
        if group.weight < 0:
            raise ReviewRefused(_("A group's weight cannot be negative."))
        if group.min_raters > group.max_raters:
            raise ReviewRefused(
                _("%(group)s: the minimum number of raters is above the maximum.")
                % {"group": REVIEW_GROUPS[group.group].zh}
            )
        if group.group not in NAMED_GROUPS and group.score_threshold < 3:
            raise ReviewRefused(
                _("An anonymous group shows scores from at least 3 answers: raise the threshold.")
            )
        if group.comment_threshold < group.score_threshold:
            raise ReviewRefused(_("The comment threshold cannot be below the score threshold."))
    if not given.questions:
        raise ReviewRefused(_("Add at least one question."))
    keys = [q.key for q in given.questions]
    if len(set(keys)) != len(keys) or not all(k and k.replace("_", "").isalnum() for k in keys):
        raise ReviewRefused(_("Each question needs its own id: letters, digits and _ only."))
    for question in given.questions:
        if not question.text_zh.strip() or not question.text_en.strip():
            raise ReviewRefused(_("Each question needs its text in Chinese and in English."))
        anchors = [*question.anchors_zh, *question.anchors_en]
        if len(question.anchors_zh) != 5 or len(question.anchors_en) != 5:
            raise ReviewRefused(_("Each question needs five anchor texts in each language."))
        if not all(a.strip() for a in anchors):
            raise ReviewRefused(_("Each question needs five anchor texts in each language."))


def _check_feeds(version: SchemeVersion, given: SetupInput) -> None:
    scheme = version.scheme()
    known = set(scheme.inputs) | {indicator.id for indicator in scheme.indicators()}
    for question in given.questions:
        if question.feeds and question.feeds not in known:
            raise ReviewRefused(
                _("Question %(key)s feeds '%(feeds)s', which the scheme does not have.")
                % {"key": question.key, "feeds": question.feeds}
            )


def setup_data(setup: ReviewSetup) -> dict[str, Any]:
    """The settings as the audit log keeps them (nothing of any answer)."""
    return {
        "version": str(setup.version),
        "load_limit": setup.load_limit,
        "groups": [
            f"{g.group}: {g.weight} ({g.min_raters}–{g.max_raters}, "
            f"{g.score_threshold}/{g.comment_threshold})"
            for g in setup.groups.order_by("id")
        ],
        "questions": [f"{q.key}: {q.text_zh}" for q in setup.questions.all()],
    }
