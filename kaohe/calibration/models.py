"""Calibration sessions, their people and moves, and distribution guidelines.

A session is opened over a population of one cycle (departments, positions) and fixed at
opening: its members are the appraisals it holds. Each move is a record (who, from, to,
why) beside the appraisal's own history row; closing the session moves its appraisals on.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.analytics import DEFAULT_MINIMUM_POPULATION, Guideline, GuidelineError
from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.org.models import Department, Position


class GuidelineFields(models.Model):
    """A distribution guideline: per grade ``[low, high]`` per cent (low == high for a
    target share), advisory unless enforced, and enforced only from a minimum size."""

    shares = models.JSONField(_("shares per grade"), default=dict, blank=True)
    enforced = models.BooleanField(_("enforced"), default=False)
    minimum_population = models.PositiveIntegerField(
        _("minimum population for enforcement"), default=DEFAULT_MINIMUM_POPULATION
    )

    class Meta:
        abstract = True

    def guideline(self, grades: list[str]) -> Guideline | None:
        if not self.shares:
            return None
        try:
            return Guideline.from_mapping(
                self.shares, grades, enforced=self.enforced,
                minimum_population=self.minimum_population,
            )  # fmt: skip
        except GuidelineError:
            return None  # a scheme's grades changed since: shown as no guideline


class CycleGuideline(GuidelineFields):
    """The guideline every session of a cycle starts from."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="guideline")


class Session(GuidelineFields):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="calibrations")
    name = models.CharField(_("name"), max_length=200)
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    positions = models.ManyToManyField(Position, blank=True, related_name="+")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="calibration_sessions"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Member(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="members")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "appraisal"], name="once_per_session")
        ]


class Move(models.Model):
    """One calibration record: who moved whom, from what to what, and why."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="moves")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    from_total = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    from_grade = models.CharField(max_length=8, blank=True)
    to_total = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    to_grade = models.CharField(max_length=8, blank=True)
    adjustment = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
