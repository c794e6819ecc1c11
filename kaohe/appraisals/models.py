"""Cycles, appraisals and everything that happens to them.

Nothing here is edited in place once it counts: an appraisal's data is frozen at the
manager's review, a result is a new version rather than a change, and every move of an
appraisal is a history row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import Department, Employee, Position
from kaohe.schemes.models import SchemeVersion

from .workflow import STATE_LABELS, State


class Cycle(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not launched")
        LAUNCHING = "launching", _("Launching")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(_("period"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    departments = models.ManyToManyField(Department, verbose_name=_("departments in scope"))
    appeal_days = models.PositiveIntegerField(_("appeal window (days)"), default=7)
    deadlines = models.JSONField(_("deadlines per stage"), default=dict, blank=True)
    launch_total = models.PositiveIntegerField(default=0)
    launch_done = models.PositiveIntegerField(default=0)
    launch_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")

    def __str__(self) -> str:
        return self.name


class CycleScheme(models.Model):
    """Per cycle and position: the scheme version used and the default base pay.

    A position without a default scheme starts with no version and undecided: the cycle
    cannot launch until HR chooses a scheme for it or leaves it out."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="schemes")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        SchemeVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # HR decided that the position is not appraised in this cycle.
    left_out = models.BooleanField(default=False)
    base_pay = models.DecimalField(
        _("default base pay"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="one_scheme_per_position")
        ]

    @property
    def decided(self) -> bool:
        return self.left_out or self.version_id is not None


class BasePay(models.Model):
    """A person's base pay Q for one cycle, imported before launch."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="base_pays")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="one_base_pay_per_cycle")
        ]


class AppraisalQuerySet(models.QuerySet["Appraisal"]):
    def in_state(self, *states: State) -> AppraisalQuerySet:
        return self.filter(state__in=[str(s) for s in states])


class Appraisal(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="appraisals")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="appraisals")
    # The manager at launch rates; later changes to the org chart do not move appraisals.
    rater = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="rated"
    )
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=24,
        choices=[(str(s), label) for s, label in STATE_LABELS.items()],
        default=State.DRAFT,
        db_index=True,
    )
    base_pay = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    targets = models.JSONField(default=dict, blank=True)  # indicator id → agreed target
    ratings = models.JSONField(default=dict, blank=True)  # manual input → value (the rater)
    self_ratings = models.JSONField(default=dict, blank=True)  # input → value (the employee)
    self_comment = models.TextField(blank=True)
    review_comment = models.TextField(blank=True)
    # Calibration moves the total by a number of points, with a reason in the history.
    calibration = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    # Potential, 1 (low) to 3 (high): given in a calibration session for its 9-box grid.
    potential = models.PositiveSmallIntegerField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_comment = models.TextField(blank=True)
    appeal_until = models.DateTimeField(null=True, blank=True)
    # The data cut-off: at the manager's review the metric-fed values are kept here, with
    # where each came from, and later imports no longer change the appraisal.
    data_cutoff = models.DateTimeField(null=True, blank=True)
    frozen_inputs = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="one_appraisal_per_cycle")
        ]
        indexes = [
            models.Index(fields=["rater", "state"]),
            # Covers the list filtered by state: counting it by cycle, and sorting a
            # cycle's few appraisals in a rare state by employee, without reading the rows.
            models.Index(fields=["state", "cycle", "employee"], name="appraisal_state_listing"),
        ]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.employee}"

    @property
    def current_state(self) -> State:
        return State(self.state)

    def state_label(self) -> Any:
        return STATE_LABELS[self.current_state]

    def latest_result(self) -> Result | None:
        return self.results.order_by("-number").first()

    @property
    def frozen(self) -> bool:
        return self.data_cutoff is not None


class Transition(models.Model):
    """One move of an appraisal: who, when, from, to, why."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=32)
    source = models.CharField(max_length=24)
    target = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Interview(models.Model):
    class RootCause(models.TextChoices):
        NONE = "", _("—")
        PROCESS = "process", _("Process")
        SKILLS = "skills", _("Skills")
        RESOURCES = "resources", _("Resources")
        ATTITUDE = "attitude", _("Attitude")

    appraisal = models.OneToOneField(Appraisal, on_delete=models.CASCADE, related_name="interview")
    strengths = models.TextField(_("strengths"))
    improvements = models.TextField(_("areas to improve"))
    root_cause = models.CharField(
        _("root cause"), max_length=16, choices=RootCause.choices, blank=True
    )
    actions = models.TextField(_("agreed actions"))
    # Per weak indicator (its id), the root cause the interview found: the diagnosis reads it.
    causes = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_at = models.DateTimeField(auto_now_add=True)


class Result(models.Model):
    """A locked result. An adjustment after an appeal is a new number, never an edit."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="results")
    number = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=7, decimal_places=2)
    grade = models.CharField(max_length=8)
    coefficient = models.DecimalField(max_digits=6, decimal_places=3)
    pay = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    trace = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appraisal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "number"], name="one_result_number")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a result is never changed; make a new version")
        super().save(*args, **kwargs)


class Appeal(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        ADJUSTED = "adjusted", _("Adjusted")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("reason"))
    filed_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    appraisal = models.ForeignKey(
        Appraisal, null=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Worded when shown, in the reader's language: the action taken and by whom.
    action = models.CharField(max_length=32)
    actor_name = models.CharField(max_length=150)
    # The state the appraisal was in: reminders are limited to one per stage and day.
    state = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
