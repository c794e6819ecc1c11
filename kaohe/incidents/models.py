"""The critical-incident log (关键事件法): dated, positive or negative events recorded about a
person as evidence for an indicator or dimension, some of a kind a scheme counts; and the
monthly 1:1 feedback check-ins between a manager and a report (seed 000: feedback through
the quarter, not a rush at its end)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.core import INCIDENT_KINDS
from kaohe.i18n import current_lang
from kaohe.org.models import Employee


class Incident(models.Model):
    class Polarity(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEGATIVE = "negative", _("negative")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="incidents"
    )
    occurred_on = models.DateField(_("date"))
    polarity = models.CharField(_("positive or negative"), max_length=8, choices=Polarity.choices)
    # A kind a scheme may count (kaohe.core.INCIDENT_KINDS), or blank for plain evidence.
    kind = models.CharField(
        _("kind"), max_length=20, blank=True, choices=[(k, k) for k in INCIDENT_KINDS]
    )
    what = models.TextField(_("what happened"))
    # The indicator (or, failing one, the dimension) of the person's scheme it evidences.
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    dimension = models.CharField(_("dimension"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(_("employee's response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["employee", "occurred_on"])]
        verbose_name = _("critical incident")
        verbose_name_plural = _("critical incidents")

    def __str__(self) -> str:
        return f"{self.employee} {self.occurred_on} {self.polarity}"

    def kind_label(self) -> str:
        """The kind in the reader's language; empty for plain evidence."""
        return INCIDENT_KINDS[self.kind](current_lang()) if self.kind in INCIDENT_KINDS else ""


class OneOnOne(models.Model):
    """One manager–report feedback conversation of a month; a second one of the same month
    is an edit of the first."""

    manager = models.ForeignKey(
        Employee, verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="one_on_ones"
    )
    month = models.CharField(_("month"), max_length=7)  # YYYY-MM
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)
    actions = models.TextField(_("agreed actions"), blank=True)
    incidents = models.ManyToManyField(Incident, blank=True, related_name="one_on_ones")
    # Goals discussed, by id, until the goals app can be linked to.
    goal_ids = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "employee__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "employee", "month"], name="one_one_on_one_per_month"
            )
        ]
        indexes = [models.Index(fields=["employee", "month"])]
        verbose_name = _("1:1 check-in")
        verbose_name_plural = _("1:1 check-ins")

    def __str__(self) -> str:
        return f"{self.manager} · {self.employee} · {self.month}"
