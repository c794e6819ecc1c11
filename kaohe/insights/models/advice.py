"""Weight advice: HR's launch flags, each look for signals with what it found, and the
proposals for a scheme's next version that HR accepts, edits or rejects.

A proposal keeps everything its review and its what-if need, whatever happens to the
scheme afterwards: the version it was made from and that version's text, the proposed
text, the changes with their reasons, and the last finished cycle that used the scheme
(the cycle to replay it on) with the version that cycle used.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaohe.appraisals.models import Cycle
from kaohe.i18n import current_lang
from kaohe.org.models import Department
from kaohe.schemes.models import SchemeVersion

__all__ = ["AdviceRun", "AdviceSignal", "LaunchFlag", "Proposal"]


class LaunchFlag(models.Model):
    """A new-product launch HR flags: while it runs, the indicators it concerns (by their
    id in the schemes, e.g. ``fcr``) are proposed more weight."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    indicators = models.JSONField(_("indicators"), default=list)
    weight = models.PositiveSmallIntegerField(_("points of weight"), default=3)
    note = models.TextField(_("note"), blank=True)
    # Ended early by HR: no longer read, whatever its dates say.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("launch flag")
        verbose_name_plural = _("launch flags")

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: date) -> bool:
        """Under way or still to come, and not ended: the next cycle may fall in it."""
        return self.ended_on is None and self.ends_on >= today

    def audit_snapshot(self) -> dict[str, object]:
        """What the audit log keeps; no note and no end, unless there is one."""
        found: dict[str, object] = {
            "name": self.name,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "indicators": list(self.indicators),
            "weight": self.weight,
            "note": self.note,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
        }
        return {key: value for key, value in found.items() if value not in ("", None)}


class AdviceRun(models.Model):
    """One look for signals: when, by whom (nobody: the scheduled task), which quarters."""

    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quarters = models.JSONField(default=list)
    proposals_made = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class AdviceSignal(models.Model):
    """A signal a look found: its kind, whose figures, its strength, the figures behind it
    and its sentence in both languages."""

    run = models.ForeignKey(AdviceRun, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=16)  # kaohe.analytics.SignalKind
    subject = models.CharField(max_length=32)  # "org", or "department:<id>"
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_name = models.CharField(max_length=200)
    strength = models.FloatField()
    weight = models.DecimalField(max_digits=4, decimal_places=1)  # points of weight asked
    # Each figure judged: its name, unit, the quarters' values and bases, the baseline, the
    # usual swing and whether it was reported as worsening (see advice_data.figures_data).
    figures = models.JSONField(default=list)
    sentence_zh = models.TextField()
    sentence_en = models.TextField()
    flag = models.ForeignKey(
        LaunchFlag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    indicators = models.JSONField(default=list)  # a launch: the indicators HR named

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.subject_name}"

    @property
    def sentence(self) -> str:
        return self.sentence_zh if current_lang() == "zh" else self.sentence_en

    @property
    def for_organisation(self) -> bool:
        return self.department_id is None and self.subject == "org"


class Proposal(models.Model):
    """A scheme's next version as the advice proposes it."""

    class Kind(models.TextChoices):
        SIGNALS = "signals", _("From the signals")
        STAGE = "stage", _("A stage's weights")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for HR")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", pgettext_lazy("weight proposal", "Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=16, blank=True)  # startup, growth, mature
    run = models.ForeignKey(
        AdviceRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    signals = models.ManyToManyField(AdviceSignal, blank=True, related_name="proposals")
    code = models.SlugField(_("scheme"), max_length=64)
    base_version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="+")
    base_text = models.TextField()  # the version's text when the proposal was made
    text = models.TextField()  # the proposed text
    # Per indicator that moves: dimension, indicator, name_zh/en, points and weight before
    # and after (strings of the exact decimals), reason_zh/en, raised.
    changes = models.JSONField(default=list)
    skipped = models.JSONField(default=list)  # [{indicator, reason_zh, reason_en}]
    # What the what-if replays the proposal on: the last finished cycle that used the
    # scheme, and the version it used; none when no finished cycle used it yet.
    compare_cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compare_version = models.ForeignKey(
        SchemeVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)  # why HR rejected it
    accepted_text = models.TextField(blank=True)  # what HR accepted, edited or not
    edited = models.BooleanField(default=False)
    accepted_version = models.ForeignKey(
        SchemeVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["code", "status"])]
        verbose_name = _("weight proposal")
        verbose_name_plural = _("weight proposals")

    def __str__(self) -> str:
        return f"{self.base_version} → #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "status": self.status,
            "scheme": str(self.base_version),
            "changes": {c["indicator"]: f"{c['points_before']} → {c['points_after']}"
                        for c in self.changes},
        }  # fmt: skip
