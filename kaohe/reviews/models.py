"""360-degree reviews: a setup per scheme version (rater groups, questions), a review per
appraisal, the assignments of raters to it, the anonymous answers, and customers' links.

Anonymity lives in the shape of these tables. An ``Assignment`` knows who was asked and
whether they answered (for completion and reminders) and holds their draft until they
submit; a ``Response`` is the submitted answer and knows nothing of who gave it: no user,
employee or assignment reference, a random UUID key rather than a counter, the day and not
the moment. Submitting writes the response, marks the assignment answered and deletes the
draft in one transaction, then rewrites the review's responses in random order, so that
neither a key nor the rows' physical order tells which answer is the newest.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.core import REVIEW_GROUPS
from kaohe.i18n import current_lang
from kaohe.org.models import Employee
from kaohe.schemes.models import SchemeVersion

# Groups whose raters are known by their role and shown whatever their number.
NAMED_GROUPS = ("self", "manager")
# Groups filled from the org chart when the review starts.
AUTOMATIC_GROUPS = ("self", "manager", "subordinates")
# Groups the reviewee nominates (the manager approves); customers answer by link.
NOMINATED_GROUPS = ("peers", "partners")
LINK_GROUP = "customers"
GROUP_CHOICES = [(key, label.en) for key, label in REVIEW_GROUPS.items()]
LEVELS = (1, 2, 3, 4, 5)


def group_label(group: str) -> str:
    label = REVIEW_GROUPS.get(group)
    if label is None:  # the summary's merged group
        return str(_("others (merged)"))
    return label.zh if current_lang() == "zh" else label.en


class ReviewSetup(models.Model):
    """How a scheme version's appraisals are reviewed: who rates, with which questions."""

    version = models.OneToOneField(
        SchemeVersion, on_delete=models.PROTECT, related_name="review_setup"
    )
    # Assignments a rater may carry in one cycle before nominations are refused.
    load_limit = models.PositiveSmallIntegerField(_("reviews per rater per cycle"), default=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("360 review setup")

    def __str__(self) -> str:
        return f"{self.version}"

    def locked(self) -> bool:
        """Settings lock with the first answer to any review under this setup."""
        return Response.objects.filter(review__setup=self).exists()


class RaterGroup(models.Model):
    setup = models.ForeignKey(ReviewSetup, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(max_length=16, choices=GROUP_CHOICES)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    min_raters = models.PositiveSmallIntegerField(default=0)
    max_raters = models.PositiveSmallIntegerField(default=8)
    score_threshold = models.PositiveSmallIntegerField(default=3)
    comment_threshold = models.PositiveSmallIntegerField(default=5)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setup", "group"], name="one_rater_group_per_setup")
        ]

    def __str__(self) -> str:
        return group_label(self.group)

    @property
    def named(self) -> bool:
        return self.group in NAMED_GROUPS

    @property
    def label(self) -> str:
        return group_label(self.group)


class Question(models.Model):
    setup = models.ForeignKey(ReviewSetup, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    # The question's id in the answers' ``levels``; stable once answers exist.
    key = models.SlugField(max_length=40)
    # The scheme input (or indicator) the question's mean feeds; empty for context only.
    feeds = models.CharField(max_length=64, blank=True)
    text_zh = models.TextField()
    text_en = models.TextField()
    anchors_zh = models.JSONField(default=list)  # five texts, level 1 first
    anchors_en = models.JSONField(default=list)
    comment_allowed = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["setup", "key"], name="one_question_key_per_setup")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_zh if current_lang() == "zh" else self.text_en

    def anchors(self, lang: str | None = None) -> list[tuple[int, str]]:
        texts = self.anchors_zh if (lang or current_lang()) == "zh" else self.anchors_en
        return list(zip(LEVELS, texts, strict=False))


class Review(models.Model):
    class State(models.TextChoices):
        NOMINATING = "nominating", _("Nominating raters")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed, results released")

    appraisal = models.OneToOneField(Appraisal, on_delete=models.PROTECT, related_name="review")
    setup = models.ForeignKey(ReviewSetup, on_delete=models.PROTECT, related_name="reviews")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="reviews")
    reviewee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(max_length=16, choices=State.choices, default=State.NOMINATING)
    deadline = models.DateField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "reviewee__number"]
        verbose_name = _("360 review")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.reviewee}"

    @property
    def closed(self) -> bool:
        return self.state == self.State.CLOSED


class Assignment(models.Model):
    """One rater asked to review one person: who, in which group, whether answered. Their
    draft is kept here (it carries the rater; it is not an answer yet) and deleted on
    submit. Nothing here points to the response they submitted."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Nominated, awaiting the manager")
        ASKED = "asked", _("Asked")
        DECLINED = "declined", _("Declined")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assignments")
    rater = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="review_tasks")
    group = models.CharField(max_length=16, choices=GROUP_CHOICES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASKED)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(blank=True)  # HR's to read, not the nominator's
    answered = models.BooleanField(default=False)
    answered_on = models.DateField(null=True, blank=True)
    draft_levels = models.JSONField(null=True, blank=True)
    draft_comment = models.TextField(blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "group", "rater__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "rater"], name="one_assignment_per_rater")
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.rater}"

    @property
    def group_label(self) -> str:
        return group_label(self.group)

    @property
    def has_draft(self) -> bool:
        return self.draft_levels is not None


class Response(models.Model):
    """One submitted answer, with nothing that leads back to its rater."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(max_length=16, choices=GROUP_CHOICES)
    levels = models.JSONField(default=dict)  # question key → 1..5, or None: unable to judge
    comment = models.TextField(blank=True)
    # No date either: matched with the day an assignment was answered (or the audit row of
    # the submission), a day with one answer from a group would name its rater.

    class Meta:
        # By the random key: no ordering that follows time.
        ordering = ["id"]


class CustomerLink(models.Model):
    """A one-time link for a customer contact; only the SHA-256 digest of its token is kept."""

    class Language(models.TextChoices):
        ZH = "zh", "中文"
        EN = "en", "English"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="customer_links")
    digest = models.CharField(max_length=64, unique=True)
    contact = models.CharField(_("contact"), max_length=200)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ZH)
    expires_at = models.DateTimeField()
    used_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "contact", "id"]

    def __str__(self) -> str:
        return f"{self.review} · {self.contact}"
