"""OKR goals: objectives of a person, a team or a department for a quarter or a month, their
key results, the check-ins on them and every change of a key result's progress.

An objective aligns to a parent objective, so that a department's objective gathers its
teams' and people's contributing goals as a tree. A key result is measurable (start, target,
current, unit) or a milestone (done or not); a measurable one may be bound to a catalog
metric, whose stored value then becomes its current value after every data import.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaohe.org.models import Department, Employee

HUNDRED = Decimal(100)
# A goal may own at most this many key results, and needs at least the minimum once it is
# published (a draft may have fewer while it is being written).
FEWEST_KEY_RESULTS, MOST_KEY_RESULTS = 2, 5


class Level(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    TEAM = "team", _("Team")
    DEPARTMENT = "department", pgettext_lazy("goal level", "Department")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


# How many days a check-in holds before its owner is reminded.
CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.MONTHLY: 31}


class Confidence(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def within(self, first_day: object, last_day: object) -> ObjectiveQuerySet:
        """Objectives whose period lies inside these days: a quarter's and its months'."""
        return self.filter(starts__gte=first_day, ends__lte=last_day)

    def published(self) -> ObjectiveQuerySet:
        return self.exclude(status=Objective.Status.DRAFT)


class Objective(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Under way")
        CLOSED = "closed", pgettext_lazy("goal", "Closed")

    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.PERSONAL)
    # The person responsible: for a personal goal the person; for a team's or department's
    # goal the one who answers for it (usually its head).
    owner = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="objectives")
    # The team or department whose goal it is; for a personal goal the owner's department
    # when it was set.
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("goal period"), max_length=16)  # 2026-Q3, 2026-09
    starts = models.DateField()
    ends = models.DateField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    cadence = models.CharField(max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["starts", "level", "id"]
        indexes = [models.Index(fields=["owner", "starts"])]

    def __str__(self) -> str:
        return f"{self.period} {self.title}"[:200]

    def completion(self) -> Decimal | None:
        """The mean completion of its key results, 0–100; None without key results."""
        done = [kr.completion() for kr in self.key_results.all()]
        return sum(done, Decimal(0)) / len(done) if done else None

    def latest_confidence(self) -> str:
        """The confidence of the newest check-in that gave one, '' before any."""
        for check_in in sorted(self.check_ins.all(), key=lambda c: (c.on, c.pk), reverse=True):
            if check_in.confidence:
                return check_in.confidence
        return ""

    def ancestors(self) -> list[Objective]:
        """The parent chain, nearest first; a loop (never written, but guarded) ends it."""
        found: list[Objective] = []
        seen = {self.pk}
        current = self.parent
        while current is not None and current.pk not in seen:
            found.append(current)
            seen.add(current.pk)
            current = current.parent
        return found


class KeyResult(models.Model):
    class Kind(models.TextChoices):
        MEASURABLE = "measurable", _("Measurable")
        MILESTONE = "milestone", _("Milestone")

    class Subject(models.TextChoices):
        OWN = "own", _("The owner's own figure")
        ORG = "org", _("The whole organisation's figure")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(_("key result"), max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEASURABLE)
    start = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    current = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    done = models.BooleanField(default=False)  # a milestone's
    # A catalog metric that feeds ``current`` after every import, and whose figure it reads.
    metric = models.CharField(max_length=64, blank=True)
    subject = models.CharField(max_length=8, choices=Subject.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def bound(self) -> bool:
        return bool(self.metric)

    def completion(self) -> Decimal:
        """(current − start) ÷ (target − start) as a percentage, held within 0–100: a
        decreasing target (start 40, target 20) completes as the value falls. A milestone
        is 0 or 100."""
        if self.kind == self.Kind.MILESTONE:
            return HUNDRED if self.done else Decimal(0)
        if self.start is None or self.target is None or self.start == self.target:
            return Decimal(0)
        current = self.start if self.current is None else self.current
        share = (current - self.start) / (self.target - self.start) * HUNDRED
        return min(max(share, Decimal(0)), HUNDRED)


class CheckIn(models.Model):
    """A dated check-in on an objective or one of its key results: the owner's progress
    and confidence, or a note (a manager's comment is a note alone)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="check_ins")
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    done = models.BooleanField(null=True)  # a milestone's state when the check-in set it
    confidence = models.CharField(max_length=12, choices=Confidence.choices, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the owner's side recorded it (progress) or someone above them (a comment).
    by_owner = models.BooleanField(default=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]


class Progress(models.Model):
    """Every change of a key result's current value or milestone state, and its source."""

    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        EDIT = "edit", _("Edited")
        DATA = "data", _("Data import")

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="history")
    on = models.DateField()  # the day the value held: a check-in's date, else the change's
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    done = models.BooleanField(null=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    run = models.PositiveIntegerField(null=True, blank=True)  # the metric computation read
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
