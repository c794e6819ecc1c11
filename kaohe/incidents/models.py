"""The critical-incident log (关键事件法): dated, positive or negative events recorded about a
person as evidence for an indicator or dimension, some of a kind a scheme counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.core import INCIDENT_KINDS
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

    def __str__(self) -> str:
        return f"{self.employee} {self.occurred_on} {self.polarity}"
