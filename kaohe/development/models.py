"""What follows from a grade (seed 002 §四): a development proposal per locked result, and
the plans people agree — an individual development plan (IDP, 个人发展计划) or a
performance improvement plan (PIP) — with their items and check-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaohe.appraisals.models import Appraisal
from kaohe.org.models import Employee


class Kind(models.TextChoices):
    """Seed 002's table: what each grade leads to, best grade first."""

    PROMOTION = "promotion", _("Promotion candidate / special award")
    KEY_DEVELOPMENT = "key_development", _("Key development plan")
    CAPABILITY = "capability", _("Capability plan")
    PIP = "pip", _("Performance improvement plan")
    ROLE_CHANGE = "role_change", _("Role change / exit review")


# By the grade's place on the scale (A first): what it proposes.
BY_PLACE = [Kind.PROMOTION, Kind.KEY_DEVELOPMENT, Kind.CAPABILITY, Kind.PIP, Kind.ROLE_CHANGE]


class Proposal(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        CHANGED = "changed", _("Changed")
        DISMISSED = "dismissed", _("Dismissed")
        SUPERSEDED = "superseded", _("Superseded by a new result")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="proposals")
    result_number = models.PositiveIntegerField()
    grade = models.CharField(max_length=8)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    proposed_kind = models.CharField(max_length=24, choices=Kind.choices)
    action_zh = models.TextField(blank=True)  # the scheme's development action for the grade
    action_en = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Plan(models.Model):
    class Type(models.TextChoices):
        IDP = "idp", _("Individual development plan")
        PIP = "pip", _("Performance improvement plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drafted")
        AGREED = "agreed", _("Agreed")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        PASSED = "passed", _("Passed")
        EXTENDED = "extended", _("Extended")
        FAILED = "failed", _("Failed")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="plans")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="plans")
    type = models.CharField(max_length=8, choices=Type.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    support = models.TextField(_("support promised"), blank=True)  # a PIP's
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Item(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("development plan item", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    indicator = models.CharField(max_length=64, blank=True)  # the weak indicator it answers
    label = models.CharField(max_length=200)  # the indicator's name when proposed
    action = models.TextField()
    goal = models.TextField(blank=True)  # a PIP item's target
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["id"]


class CheckIn(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
