"""Points (积分) and badges: the rules HR sets, the ledger of points earned, the badges
(built-in and HR's) and who earned them, and the choices people make about the boards.

The ledger holds one row per source event and rule (an incident, a completed goal, an
indicator at its top tier, a badge): the award runs add what is missing, so running them
again changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.i18n import current_lang
from kaohe.org.models import Department, Employee


class RuleKind(models.TextChoices):
    TOP_TIER = "top_tier", _("Indicator at full points in a locked result")
    POSITIVE_INCIDENT = "positive_incident", _("Positive critical incident")
    COMMENDATION = "commendation", _("Customer commendation")
    GOAL_COMPLETED = "goal_completed", _("Personal goal completed")
    BADGE = "badge", _("Badge earned")


class PointRule(models.Model):
    """How many points one event of a kind earns; one rule per kind."""

    kind = models.CharField(_("earned for"), max_length=24, choices=RuleKind.choices, unique=True)
    points = models.PositiveIntegerField(_("points"))
    active = models.BooleanField(_("active"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("point rule")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class PointEntry(models.Model):
    """Points one person earned from one event under one rule."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="point_entries")
    rule = models.ForeignKey(PointRule, on_delete=models.CASCADE, related_name="entries")
    source = models.CharField(max_length=64)  # the event: "incident:12", "goal:3", …
    on = models.DateField()  # the event's day: which month and quarter it counts for
    points = models.PositiveIntegerField()  # the rule's points when it was earned
    why_zh = models.CharField(max_length=300)
    why_en = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "source"], name="one_entry_per_rule_and_event")
        ]
        indexes = [models.Index(fields=["on", "employee"])]
        verbose_name = _("points earned")

    def __str__(self) -> str:
        return f"{self.employee.number} +{self.points} {self.source}"

    @property
    def why(self) -> str:
        return self.why_zh if current_lang() == "zh" else self.why_en


class Comparison(models.TextChoices):
    BEST = "best", _("The best in the team")
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    MOST_IMPROVED = "most_improved", _("The largest improvement in the team")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class Badge(models.Model):
    """A badge and its rule over a catalog metric; the built-in ones cannot be deleted."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    builtin = models.BooleanField(default=False)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    description_zh = models.CharField(_("description (Chinese)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    metric = models.CharField(_("metric"), max_length=64)
    comparison = models.CharField(_("comparison"), max_length=16, choices=Comparison.choices)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    min_volume = models.PositiveIntegerField(_("minimum volume"), default=0)
    # A metric that must stay at or below a bound: "no complaint upheld".
    guard_metric = models.CharField(_("only if"), max_length=64, blank=True)
    guard_at_most = models.FloatField(_("is at most"), default=0)
    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    active = models.BooleanField(_("active"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-builtin", "code"]
        verbose_name = _("badge")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return self.name_zh if current_lang() == "zh" else self.name_en

    @property
    def description(self) -> str:
        return self.description_zh if current_lang() == "zh" else self.description_en


class BadgeAward(models.Model):
    """One person's badge for one period, and why."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="badge_awards")
    period = models.CharField(max_length=16)  # 2026-07, 2026-Q3
    team = models.CharField(max_length=100)  # the team it was judged in, as it was named
    value = models.FloatField()
    why_zh = models.CharField(max_length=300)
    why_en = models.CharField(max_length=300)
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "badge__code", "employee__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "employee", "period"], name="one_badge_per_person_and_period"
            )
        ]
        verbose_name = _("badge award")

    def __str__(self) -> str:
        return f"{self.badge.code} {self.employee.number} {self.period}"

    @property
    def why(self) -> str:
        return self.why_zh if current_lang() == "zh" else self.why_en


class BoardSetting(models.Model):
    """A team's leaderboard turned off by its manager (or HR)."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="board_setting"
    )
    hidden = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.department.path} {'off' if self.hidden else 'on'}"


class BoardChoice(models.Model):
    """How a person is shown on the boards: by name, or by initials."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="board_choice")
    initials = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.employee.number} {'initials' if self.initials else 'name'}"
